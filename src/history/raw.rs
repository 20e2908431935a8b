//! Raw object access for the hot path of the history walk: commits and trees
//! read straight from the object database and compared bytewise, without
//! building libgit2's parsed tree objects (whose allocations dominated).

use git2::{ObjectType, Odb, Oid};

use crate::Error;

fn err(context: &str, e: git2::Error) -> Error {
    Error::Git(format!("{context}: {}", e.message()))
}

/// A commit's tree and first parent, from its raw header lines.
pub fn commit_tree_and_parent(odb: &Odb<'_>, id: Oid) -> Result<(Oid, Option<Oid>), Error> {
    let obj = odb
        .read(id)
        .map_err(|e| err(&format!("cannot read commit {id}"), e))?;
    if obj.kind() != ObjectType::Commit {
        return Err(Error::Git(format!("{id} is not a commit")));
    }
    let data = obj.data();
    let mut tree = None;
    let mut parent = None;
    for line in data.split(|b| *b == b'\n') {
        if line.is_empty() {
            break; // end of headers
        }
        if let Some(hex) = line.strip_prefix(b"tree ") {
            tree = std::str::from_utf8(hex)
                .ok()
                .and_then(|h| Oid::from_str(h).ok());
        } else if let Some(hex) = line.strip_prefix(b"parent ") {
            if parent.is_none() {
                parent = std::str::from_utf8(hex)
                    .ok()
                    .and_then(|h| Oid::from_str(h).ok());
            }
        }
    }
    let tree = tree.ok_or_else(|| Error::Git(format!("commit {id} has no tree")))?;
    Ok((tree, parent))
}

/// A tree object, read raw (no copy: callers borrow `data()`).
pub fn read_tree<'o>(odb: &'o Odb<'_>, id: Oid) -> Result<git2::OdbObject<'o>, Error> {
    let obj = odb.read(id).map_err(|e| err("cannot read a tree", e))?;
    if obj.kind() != ObjectType::Tree {
        return Err(Error::Git(format!("{id} is not a tree")));
    }
    Ok(obj)
}

/// One entry of a raw tree: `<octal mode> SP <name> NUL <20-byte id>`.
#[derive(Clone, Copy)]
struct Entry<'a> {
    dir: bool,
    name: &'a [u8],
    id: &'a [u8],
    /// Length of the whole entry in bytes.
    len: usize,
}

/// The entry starting at `data[at..]`, if well-formed.
fn entry_at(data: &[u8], at: usize) -> Option<Entry<'_>> {
    let rest = data.get(at..)?;
    let sp = memchr::memchr(b' ', rest)?;
    let nul = sp + memchr::memchr(0, &rest[sp..])?;
    let id = rest.get(nul + 1..nul + 21)?;
    // Only a tree's mode (40000) starts with '4'; a byte test avoids a memcmp call per entry.
    Some(Entry {
        dir: rest[0] == b'4',
        name: &rest[sp + 1..nul],
        id,
        len: nul + 21,
    })
}

/// The id of the entry `name` of a raw tree, a folder (`dir`) or a file.
fn find(tree: &[u8], name: &[u8], dir: bool) -> Option<Oid> {
    let mut at = 0;
    while let Some(e) = entry_at(tree, at) {
        if e.dir == dir && e.name == name {
            return Oid::from_bytes(e.id).ok();
        }
        at += e.len;
    }
    None
}

pub fn find_dir(tree: &[u8], name: &[u8]) -> Option<Oid> {
    find(tree, name, true)
}

pub fn find_file(tree: &[u8], name: &[u8]) -> Option<Oid> {
    find(tree, name, false)
}

/// git's tree order: names compare bytewise, a folder as if it ended in '/'.
fn git_order(a: &Entry<'_>, b: &Entry<'_>) -> std::cmp::Ordering {
    let n = a.name.len().min(b.name.len());
    match a.name[..n].cmp(&b.name[..n]) {
        std::cmp::Ordering::Equal => {}
        o => return o,
    }
    let next = |e: &Entry<'_>| {
        if e.name.len() > n {
            Some(e.name[n])
        } else if e.dir {
            Some(b'/')
        } else {
            None
        }
    };
    next(a).cmp(&next(b))
}

/// Length of the common prefix of two byte strings, compared a block at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

type Named = Vec<(String, Oid)>;

/// Folders added, removed and changed between two raw trees. Identical
/// leading entries are skipped without comparing names, the differing middle
/// is merged in git's order, and the walk stops as soon as the remainders
/// are byte-identical: a commit that touches one folder of ten thousand
/// costs a block compare, not ten thousand name comparisons.
pub fn compare_dirs(old: &[u8], new: &[u8]) -> (Named, Named, Vec<(String, Oid, Oid)>) {
    let (mut added, mut removed, mut modified) = (Vec::new(), Vec::new(), Vec::new());
    let name = |e: &Entry<'_>| String::from_utf8_lossy(e.name).into_owned();
    let oid = |e: &Entry<'_>| Oid::from_bytes(e.id).unwrap_or(Oid::ZERO_SHA1);
    let (mut i, mut j) = (0, 0);
    loop {
        // Skip the identical run ahead (same bytes in both): one NUL search
        // per whole entry inside it, nothing else. When the rest is
        // identical, the comparison is over.
        let same = common_prefix(&old[i..], &new[j..]);
        if i + same == old.len() && j + same == new.len() {
            break;
        }
        let mut k = 0;
        while let Some(nul) = memchr::memchr(0, &old[i + k..]) {
            let end = k + nul + 21;
            if end > same {
                break;
            }
            k = end;
        }
        i += k;
        j += k;
        match (entry_at(old, i), entry_at(new, j)) {
            (Some(x), Some(y)) => match git_order(&x, &y) {
                std::cmp::Ordering::Equal => {
                    if x.id != y.id && x.dir && y.dir {
                        modified.push((name(&x), oid(&x), oid(&y)));
                    } else if x.dir != y.dir {
                        if x.dir {
                            removed.push((name(&x), oid(&x)));
                        }
                        if y.dir {
                            added.push((name(&y), oid(&y)));
                        }
                    }
                    i += x.len;
                    j += y.len;
                }
                std::cmp::Ordering::Less => {
                    if x.dir {
                        removed.push((name(&x), oid(&x)));
                    }
                    i += x.len;
                }
                std::cmp::Ordering::Greater => {
                    if y.dir {
                        added.push((name(&y), oid(&y)));
                    }
                    j += y.len;
                }
            },
            (Some(x), None) => {
                if x.dir {
                    removed.push((name(&x), oid(&x)));
                }
                i += x.len;
            }
            (None, Some(y)) => {
                if y.dir {
                    added.push((name(&y), oid(&y)));
                }
                j += y.len;
            }
            (None, None) => break,
        }
    }
    (added, removed, modified)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(entries: &[(&str, bool, u8)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, dir, id) in entries {
            out.extend_from_slice(if *dir { b"40000 " } else { b"100644 " });
            out.extend_from_slice(name.as_bytes());
            out.push(0);
            out.extend_from_slice(&[*id; 20]);
        }
        out
    }

    #[test]
    fn compares_in_git_order_and_skips_identical_runs() {
        let many: Vec<(String, bool, u8)> =
            (0..500).map(|i| (format!("v{i:04}"), true, 1)).collect();
        fn as_ref(v: &[(String, bool, u8)]) -> Vec<(&str, bool, u8)> {
            v.iter().map(|(n, d, i)| (n.as_str(), *d, *i)).collect()
        }
        let old = tree(&as_ref(&many));
        let mut changed = many.clone();
        changed[250].2 = 2; // modified
        changed.remove(10); // removed
        changed.push(("w-new".into(), true, 3)); // added at the end
        changed.insert(0, ("a-file".into(), false, 4)); // a file: ignored
        let new = tree(&as_ref(&changed));
        let (a, r, m) = compare_dirs(&old, &new);
        assert_eq!(
            a.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            vec!["w-new"]
        );
        assert_eq!(
            r.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            vec!["v0010"]
        );
        assert_eq!(
            m.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            vec!["v0250"]
        );
        let (a, r, m) = compare_dirs(&old, &old);
        assert!(a.is_empty() && r.is_empty() && m.is_empty());
        // "a.b" sorts before the folder "a" ("a/"), which sorts before "a0".
        let t = tree(&[("a.b", false, 1), ("a", true, 1), ("a0", true, 1)]);
        let (a, ..) = compare_dirs(&tree(&[]), &t);
        assert_eq!(
            a.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            vec!["a", "a0"]
        );
    }
}

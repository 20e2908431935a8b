//! Commits and trees as raw bytes, parsed by gix-object: the hot path of
//! the history walk reads them without building libgit2 objects (whose
//! allocations dominated) and compares trees bytewise.

use std::cmp::Ordering;

use git2::Oid;
use gix_object::tree::EntryRef;
use gix_object::{CommitRefIter, TreeRefIter};

const HASH: gix_hash::Kind = gix_hash::Kind::Sha1;

fn oid(id: &gix_hash::oid) -> Oid {
    Oid::from_bytes(id.as_bytes()).unwrap_or(Oid::ZERO_SHA1)
}

/// A commit's tree and first parent, from its header lines (`None` when
/// it names no tree). A malformed parent line ends the parents.
pub fn tree_and_parent(commit: &[u8]) -> Option<(Oid, Option<Oid>)> {
    let mut iter = CommitRefIter::from_bytes(commit, HASH);
    let tree = iter.tree_id().ok()?;
    let parent = iter.parent_ids().next();
    Some((oid(&tree), parent.as_deref().map(oid)))
}

/// The entries of a raw tree, up to the first malformed one.
pub fn entries(tree: &[u8]) -> impl Iterator<Item = EntryRef<'_>> {
    TreeRefIter::from_bytes(tree, HASH).map_while(Result::ok)
}

/// The id of the entry `name` of a raw tree, whatever its kind.
pub fn find(tree: &[u8], name: &[u8]) -> Option<Oid> {
    entries(tree)
        .find(|e| e.filename == name)
        .map(|e| oid(e.oid))
}

/// The id of the entry `name` of a raw tree, a folder (`dir`) or not.
fn find_kind(tree: &[u8], name: &[u8], dir: bool) -> Option<Oid> {
    entries(tree)
        .find(|e| e.mode.is_tree() == dir && e.filename == name)
        .map(|e| oid(e.oid))
}

pub fn find_dir(tree: &[u8], name: &[u8]) -> Option<Oid> {
    find_kind(tree, name, true)
}

pub fn find_file(tree: &[u8], name: &[u8]) -> Option<Oid> {
    find_kind(tree, name, false)
}

/// One entry of a raw tree and its length in bytes.
struct Entry<'a> {
    dir: bool,
    name: &'a [u8],
    id: &'a gix_hash::oid,
    len: usize,
}

/// The entry starting at `data[at..]`, if well-formed.
fn entry_at(data: &[u8], at: usize) -> Option<Entry<'_>> {
    let rest = data.get(at..)?;
    let mut iter = TreeRefIter::from_bytes(rest, HASH);
    let e = iter.next()?.ok()?;
    Some(Entry {
        dir: e.mode.is_tree(),
        name: e.filename,
        id: e.oid,
        len: iter.offset_to_next_entry(rest),
    })
}

/// git's tree order: names compare bytewise, a folder as if it ended in '/'.
fn git_order(a: &Entry<'_>, b: &Entry<'_>) -> Ordering {
    gix_object::tree::name_order(a.name, a.dir, b.name, b.dir)
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
    let oid = |e: &Entry<'_>| oid(e.id);
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
                Ordering::Equal => {
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
                Ordering::Less => {
                    if x.dir {
                        removed.push((name(&x), oid(&x)));
                    }
                    i += x.len;
                }
                Ordering::Greater => {
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
    fn commits_give_their_tree_and_first_parent() {
        let t = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
        let (p1, p2) = (
            "0123456789012345678901234567890123456789",
            "9876543210987654321098765432109876543210",
        );
        let sig = "A U Thor <a@example.com> 1700000000 +0100";
        let merge =
            format!("tree {t}\nparent {p1}\nparent {p2}\nauthor {sig}\ncommitter {sig}\n\nMerge\n");
        let root = format!("tree {t}\nauthor {sig}\ncommitter {sig}\n\nFirst\n");
        let id = |h: &str| Oid::from_str(h).unwrap();
        assert_eq!(
            tree_and_parent(merge.as_bytes()),
            Some((id(t), Some(id(p1))))
        );
        assert_eq!(tree_and_parent(root.as_bytes()), Some((id(t), None)));
        assert_eq!(tree_and_parent(b"author x\n\nno tree\n"), None);
    }

    #[test]
    fn finds_entries_by_name_and_kind() {
        let t = tree(&[("notes.md", false, 1), ("vendors", true, 2)]);
        assert_eq!(
            find_dir(&t, b"vendors"),
            Some(Oid::from_bytes(&[2; 20]).unwrap())
        );
        assert_eq!(find_file(&t, b"vendors"), None);
        assert_eq!(
            find_file(&t, b"notes.md"),
            Some(Oid::from_bytes(&[1; 20]).unwrap())
        );
        assert_eq!(find(&t, b"vendors"), find_dir(&t, b"vendors"));
        assert_eq!(find(&t, b"absent"), None);
        // A damaged tail ends the entries instead of failing the read.
        let mut damaged = t.clone();
        damaged.truncate(t.len() - 5);
        assert_eq!(entries(&damaged).count(), 1);
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

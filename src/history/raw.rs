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

pub fn read_tree(odb: &Odb<'_>, id: Oid) -> Result<Vec<u8>, Error> {
    let obj = odb.read(id).map_err(|e| err("cannot read a tree", e))?;
    if obj.kind() != ObjectType::Tree {
        return Err(Error::Git(format!("{id} is not a tree")));
    }
    Ok(obj.data().to_vec())
}

/// One entry of a raw tree: mode, name and object id bytes.
struct Entry<'a> {
    dir: bool,
    name: &'a [u8],
    id: &'a [u8],
}

/// Iterate a raw tree: `<octal mode> SP <name> NUL <20-byte id>` repeated.
fn entries(data: &[u8]) -> impl Iterator<Item = Entry<'_>> {
    let mut rest = data;
    std::iter::from_fn(move || {
        let sp = rest.iter().position(|b| *b == b' ')?;
        let nul = sp + rest[sp..].iter().position(|b| *b == 0)?;
        if rest.len() < nul + 21 {
            return None;
        }
        let e = Entry {
            dir: &rest[..sp] == b"40000",
            name: &rest[sp + 1..nul],
            id: &rest[nul + 1..nul + 21],
        };
        rest = &rest[nul + 21..];
        Some(e)
    })
}

pub fn find_dir(tree: &[u8], name: &[u8]) -> Option<Oid> {
    entries(tree)
        .find(|e| e.dir && e.name == name)
        .and_then(|e| Oid::from_bytes(e.id).ok())
}

/// git's tree order: names compare bytewise, a folder as if it ended in '/'.
fn git_order(a: &Entry<'_>, b: &Entry<'_>) -> std::cmp::Ordering {
    fn key<'a>(e: &Entry<'a>) -> impl Iterator<Item = u8> + 'a {
        e.name.iter().copied().chain(e.dir.then_some(b'/'))
    }
    key(a).cmp(key(b))
}

type Named = Vec<(String, Oid)>;

/// Folders added, removed and changed between two raw trees, in one merge
/// pass (both are sorted in git's order).
pub fn compare_dirs(old: &[u8], new: &[u8]) -> (Named, Named, Vec<(String, Oid, Oid)>) {
    let (mut added, mut removed, mut modified) = (Vec::new(), Vec::new(), Vec::new());
    let name = |e: &Entry<'_>| String::from_utf8_lossy(e.name).into_owned();
    let oid = |e: &Entry<'_>| Oid::from_bytes(e.id).unwrap_or(Oid::ZERO_SHA1);
    let mut a = entries(old).filter(|e| e.dir).peekable();
    let mut b = entries(new).filter(|e| e.dir).peekable();
    loop {
        match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match git_order(x, y) {
                std::cmp::Ordering::Equal => {
                    if x.id != y.id {
                        modified.push((name(x), oid(x), oid(y)));
                    }
                    a.next();
                    b.next();
                }
                std::cmp::Ordering::Less => {
                    removed.push((name(x), oid(x)));
                    a.next();
                }
                std::cmp::Ordering::Greater => {
                    added.push((name(y), oid(y)));
                    b.next();
                }
            },
            (Some(x), None) => {
                removed.push((name(x), oid(x)));
                a.next();
            }
            (None, Some(y)) => {
                added.push((name(y), oid(y)));
                b.next();
            }
            (None, None) => break,
        }
    }
    (added, removed, modified)
}

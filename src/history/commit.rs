//! Commit metadata for readers: who, when and why, parsed from a commit's
//! raw bytes by gix-object and bounded (commit text comes from pull
//! requests).

use git2::Oid;

use super::types::CommitInfo;
use crate::error::Damage;
use crate::error::Error;

/// Who made commit `id`, when and why, from its raw bytes (gix-object
/// parses it). Names and messages are trimmed as libgit2 trimmed them.
pub fn commit_info(id: Oid, data: &[u8]) -> Result<CommitInfo, Error> {
    let bad = || Error::from(Damage::CommitUnparsable { id });
    let c = gix_object::CommitRef::from_bytes(data, gix_hash::Kind::Sha1).map_err(|_| bad())?;
    let author = c.author().map_err(|_| bad())?;
    let (seconds, offset) = author
        .time()
        .map_or((author.seconds(), 0), |t| (t.seconds, t.offset));
    let date = jiff::Timestamp::from_second(seconds)
        .ok()
        .and_then(|ts| {
            jiff::tz::Offset::from_seconds(offset)
                .ok()
                .map(|o| ts.to_zoned(o.to_time_zone()).date().to_string())
        })
        .unwrap_or_default();
    // libgit2 dropped the newlines that may start a message.
    let message: &[u8] = c.message;
    let start = message
        .iter()
        .position(|b| *b != b'\n')
        .unwrap_or(message.len());
    let full = String::from_utf8_lossy(&message[start..]);
    let full = full.trim_end();
    let summary = full.lines().next().unwrap_or("");
    let id = id.to_string();
    Ok(CommitInfo {
        short: id[..id.len().min(10)].to_string(),
        id,
        author: bounded(
            &String::from_utf8_lossy(trim_git_space(author.name)),
            MAX_AUTHOR,
        ),
        time: seconds,
        date,
        summary: bounded(summary, MAX_SUMMARY),
        message: bounded(full, MAX_MESSAGE),
    })
}

/// `s` without the white space git trims around a name (libgit2's
/// `git__isspace`: space, tab, newline, vertical tab, form feed, return).
fn trim_git_space(s: &[u8]) -> &[u8] {
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let start = s.iter().position(|b| !space(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !space(b)).map_or(start, |e| e + 1);
    &s[start..end]
}

/// Longest author name kept, in characters.
pub const MAX_AUTHOR: usize = 200;
/// Longest commit subject kept, in characters.
pub const MAX_SUMMARY: usize = 300;
/// Longest commit message kept (subject and body), in characters. Commit
/// text comes from pull requests: a 10 MB message must not become a 10 MB
/// page, or a 10 MB line in a CI log.
pub const MAX_MESSAGE: usize = 4000;

/// `s` cut to `max` characters, saying how much was cut.
fn bounded(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((end, _)) => {
            let rest = s[end..].chars().count();
            format!("{} … [{rest} more characters not shown]", &s[..end])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What libgit2 made of a commit (the reference these fields kept).
    fn via_libgit2(repo: &git2::Repository, id: Oid) -> (String, i64, i32, String) {
        let c = repo.find_commit(id).unwrap();
        let a = c.author();
        let msg = String::from_utf8_lossy(c.message_bytes())
            .trim_end()
            .to_string();
        (
            String::from_utf8_lossy(a.name_bytes()).into_owned(),
            a.when().seconds(),
            a.when().offset_minutes(),
            msg,
        )
    }

    #[test]
    fn reads_commits_as_libgit2_did() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let tree = repo.treebuilder(None).unwrap().write().unwrap();
        let raw = |author: &str, message: &str| {
            format!(
                "tree {tree}\nauthor {author}\ncommitter C <c@example.com> 1 +0000\n\n{message}"
            )
        };
        let cases = [
            (
                "Ana Analyst <ana@example.com> 1767225600 +0530",
                "Renew\n\nBody line\n",
            ),
            (
                "  Spaced Name \t <s@example.com> 1767225600 -0800",
                "\n\nLeading newlines\n",
            ),
            (
                "Late <l@example.com> 1767268800 +1400",
                "One line without newline",
            ),
        ];
        for (author, message) in cases {
            let id = repo
                .odb()
                .unwrap()
                .write(git2::ObjectType::Commit, raw(author, message).as_bytes())
                .unwrap();
            let data = raw(author, message).into_bytes();
            let info = commit_info(id, &data).unwrap();
            let (name, seconds, offset_minutes, msg) = via_libgit2(&repo, id);
            assert_eq!(info.author, name, "{author}");
            assert_eq!(info.time, seconds);
            assert_eq!(info.message, msg);
            assert_eq!(info.summary, msg.lines().next().unwrap());
            assert_eq!(info.short, id.to_string()[..10]);
            let local = jiff::Timestamp::from_second(seconds)
                .unwrap()
                .to_zoned(
                    jiff::tz::Offset::from_seconds(offset_minutes * 60)
                        .unwrap()
                        .to_time_zone(),
                )
                .date()
                .to_string();
            assert_eq!(info.date, local);
        }
        // The author's local date: 2026-01-01 12:00 UTC is already 2026-01-02 at +14:00.
        let id = Oid::ZERO_SHA1;
        let late = commit_info(id, raw(cases[2].0, "x").as_bytes()).unwrap();
        assert_eq!(late.date, "2026-01-02");
        assert!(commit_info(id, b"not a commit").is_err());
    }

    #[test]
    fn long_text_is_bounded_and_says_so() {
        assert_eq!(bounded("short", 10), "short");
        assert_eq!(bounded("ééééé", 2), "éé … [3 more characters not shown]");
    }
}

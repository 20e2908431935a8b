//! Commit metadata for readers: who, when and why, parsed from a commit's
//! raw bytes by gix-object and bounded (commit text comes from pull
//! requests).

use git2::Oid;

use super::types::CommitInfo;
use crate::Error;

/// Who made commit `id`, when and why, from its raw bytes (gix-object
/// parses it). Names and messages are trimmed as libgit2 trimmed them.
pub fn commit_info(id: Oid, data: &[u8]) -> Result<CommitInfo, Error> {
    let bad = || Error::Git(format!("cannot read commit {id}: it does not parse"));
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

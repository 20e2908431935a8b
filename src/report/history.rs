//! What `vetted history` prints: the latest registry commits as a summary,
//! or every change as JSON, and a last line about the walk.

use std::fmt::Write as _;
use std::time::Duration;

use crate::console::visible;
use crate::history::History;

/// How many commits the summary lists.
pub const SUMMARY_COMMITS: usize = 20;

/// The latest commits, one line each:
/// `<short id> <date> <author>: <subject> [<vendor slugs>]`. Commit
/// messages and authors come from pull requests too: control and invisible
/// characters are shown as escapes.
pub fn summary(h: &History) -> String {
    let mut s = String::new();
    for c in h.commits.iter().take(SUMMARY_COMMITS) {
        let vendors: Vec<&str> = c.vendors.iter().map(|v| v.slug.as_str()).collect();
        let _ = writeln!(
            s,
            "{} {} {}: {} [{}]",
            c.commit.short,
            c.commit.date,
            c.commit.author,
            c.commit.summary,
            vendors.join(", ")
        );
    }
    visible(&s, true).into_owned()
}

/// Every commit's changes, as a pretty-printed JSON array and a line break.
pub fn json(h: &History) -> String {
    serde_json::to_string_pretty(&h.commits).unwrap_or_default() + "\n"
}

/// The last line: what the walk found and what it cost.
pub fn walk_line(h: &History, elapsed: Duration) -> String {
    format!(
        "{} registry commits, {} vendors with history; compared {} commits, {} from cache, in {} ms",
        h.commits.len(),
        h.vendors.len(),
        h.walked,
        h.cached,
        elapsed.as_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::CommitChanges;

    /// A commit touching `vendors`, read from JSON so that the test does not
    /// depend on how the history stage spells the rest of a change.
    fn commit(n: usize, author: &str, vendors: &[&str]) -> CommitChanges {
        let vendors: Vec<_> = vendors
            .iter()
            .map(|slug| {
                serde_json::json!({
                    "slug": slug, "kind": {"type": "modified"}, "changes": [], "derived": []
                })
            })
            .collect();
        serde_json::from_value(serde_json::json!({
            "commit": {
                "id": format!("{n:040}"),
                "short": format!("{n:07}"),
                "author": author,
                "time": 0,
                "date": "2026-11-22",
                "summary": format!("change {n}"),
                "message": format!("change {n}\n"),
            },
            "vendors": vendors,
            "policy": [],
        }))
        .expect("a commit's changes, as the history stage writes them")
    }

    #[test]
    fn the_summary_lists_the_latest_commits_visibly() {
        let mut h = History {
            commits: vec![
                commit(1, "A. Analyst", &["acme", "zeta"]),
                commit(2, "Evil\u{1b}[2J", &[]),
            ],
            ..History::default()
        };
        assert_eq!(
            summary(&h),
            "0000001 2026-11-22 A. Analyst: change 1 [acme, zeta]\n\
             0000002 2026-11-22 Evil\\u{1b}[2J: change 2 []\n"
        );
        h.commits = (0..30).map(|n| commit(n, "x", &[])).collect();
        assert_eq!(summary(&h).lines().count(), SUMMARY_COMMITS);
        assert!(json(&h).ends_with("]\n"));
        h.walked = 30;
        h.cached = 12;
        assert_eq!(
            walk_line(&h, Duration::from_millis(1234)),
            "30 registry commits, 0 vendors with history; compared 30 commits, 12 from cache, in 1234 ms"
        );
    }
}

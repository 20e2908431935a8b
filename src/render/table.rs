//! Paginated tables: the big lists of the site (vendors, findings, the change
//! log) as complete static pages with a pager, plus one data script per
//! table that `vetted.js` loads to filter and sort over every row at once.
//!
//! # Static side
//!
//! A list lives in a folder (`vendors/`): its first page is `vendors/index.html`,
//! page N ≥ 2 is `vendors/page/N/index.html` ([`page_path`]). Every page has
//! complete server-rendered rows (`[site] rows_per_page` of them, from the
//! policy) and a pager (`TableView::pager`: previous, next and numbered links,
//! `rel="prev"`/`rel="next"`, `aria-current="page"`). Facets are the same list
//! restricted to one filter value, each ONE page in its own folder
//! (`vendors/tier/1/`, `vendors/decision/not-approved/`) linked from the
//! filter area: they are the filters without JavaScript. A facet page holds
//! the value's first `rows_per_page` rows and, when it has more, a line
//! linking the full list filtered by hash (`vendors/index.html#tier=1`,
//! [`FacetMore`]); with JavaScript it filters and pages over all of them.
//! Every row stays reachable without JavaScript through the full list's pager.
//!
//! # Using it for a table
//!
//! 1. Build the full, ordered list of rows once per call (cheap row views).
//! 2. Describe the lists with [`Listing::new`]: the folder, the facets (each a
//!    filter key, a value and its label, and which rows belong to it).
//!    `Listing::count` is the page kind's `count`, `Listing::locate` turns a
//!    page index into (list, page number) for `target` and `data`.
//! 3. `Listing::view` gives the [`TableView`] the template reads (pager,
//!    facet links, the count), and `Listing::window` the row indices of the page.
//! 4. The data script: one [`DataRow`] per row (its stable key, sort values
//!    per sortable column, filter values, and cells as [`Part`]s), written by
//!    [`data_script`] to `<folder>rows.js` (see `pages::data_scripts`).
//! 5. The template: `<table data-table="NAME" data-rows="{{ root }}{{ t.script }}"
//!    data-page-size=…>`, `data-key` on every row, `<th data-sort-key=… data-sort-type=…>`,
//!    a `form.filters[data-filter-for=NAME]` whose controls have `data-filter="q|tier|…"`,
//!    the count element `[data-count][data-shown][data-total]` and the pager
//!    `nav[data-pager-for=NAME]` (see `vendors.html`). vetted.js does the rest:
//!    filter, sort and page over all rows, state in the URL hash
//!    (`#q=…&tier=1&decision=not-approved&sort=tier&dir=desc&page=2`).

use serde::Serialize;
use serde_json::{Value, json};

use super::publish::OutFile;
use super::view::{Badge, TierView};
use crate::error::Error;

/// Path of page `n` (1-based) of the list in folder `dir` (`vendors/`).
pub fn page_path(dir: &str, n: usize) -> String {
    if n <= 1 {
        format!("{dir}index.html")
    } else {
        format!("{dir}page/{n}/index.html")
    }
}

/// Number of pages for `total` rows, `per` per page (an empty list has one page).
pub fn page_count(total: usize, per: usize) -> usize {
    total.div_ceil(per.max(1)).max(1)
}

/// One link of a pager; `number: None` is a gap (…).
#[derive(Debug, Clone, Serialize)]
pub struct PagerLink {
    pub number: Option<usize>,
    /// Site-root-relative.
    pub href: String,
    pub current: bool,
}

/// One option of a facet: a static page of the list restricted to one value.
#[derive(Debug, Clone, Serialize)]
pub struct FacetLink {
    pub value: String,
    pub label: String,
    /// Site-root-relative; the facet's first page.
    pub href: String,
    pub count: usize,
    pub current: bool,
}

/// A filter of the table with its static pages.
#[derive(Debug, Clone, Serialize)]
pub struct FacetGroup {
    /// The URL-hash key (`tier`, `decision`, `status`).
    pub key: String,
    /// `Tier`.
    pub label: String,
    pub options: Vec<FacetLink>,
}

/// What a paginated table's template reads: this page's place in the list,
/// the pager, the facet links and the data script.
#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    /// `data-table` (`vendors`).
    pub name: String,
    /// 1-based page number, and how many pages this list has.
    pub page: usize,
    pub pages: usize,
    pub per_page: usize,
    /// Rows on this list (a facet's rows on a facet page).
    pub shown: usize,
    /// Rows of the whole table.
    pub total: usize,
    /// 1-based range of the rows on this page (0, 0 when empty).
    pub first: usize,
    pub last: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub links: Vec<PagerLink>,
    /// Site-root-relative `rows.js`.
    pub script: String,
    /// First page of the whole (unfiltered) list.
    pub all_href: String,
    /// The facet this page shows, if any: key, value and label.
    pub facet_key: Option<String>,
    pub facet_value: Option<String>,
    pub facet_label: Option<String>,
    pub facets: Vec<FacetGroup>,
    /// On a facet page with more rows than a page: the full list filtered
    /// by hash (`vendors/index.html#tier=1`) and the counts, written out.
    pub more: Option<FacetMore>,
}

/// "Showing 100 of 2,345: page through all of them in the full list".
#[derive(Debug, Clone, Serialize)]
pub struct FacetMore {
    /// Site-root-relative, with the facet's hash filter.
    pub href: String,
    pub shown: String,
    pub of: String,
}

/// Percent-encode all but RFC 3986's unreserved characters (a hash value).
pub fn hash_encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `2345` as `2,345`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A facet definition: key, value, label, and the indices of its rows.
#[derive(Debug, Clone)]
pub struct Facet {
    pub key: String,
    pub key_label: String,
    pub value: String,
    pub label: String,
    pub rows: Vec<usize>,
}

impl Facet {
    /// The facet `key=value` (labelled `key_label: label`) of the rows that
    /// `f` accepts, by index into `rows`.
    pub fn new<T>(
        rows: &[T],
        key: &str,
        key_label: &str,
        value: &str,
        label: &str,
        f: impl Fn(&T) -> bool,
    ) -> Facet {
        Facet {
            key: key.into(),
            key_label: key_label.into(),
            value: value.into(),
            label: label.into(),
            rows: (0..rows.len())
                .filter(|&i| rows.get(i).is_some_and(&f))
                .collect(),
        }
    }
}

impl Facet {
    /// One `tier` facet per tier (`T1 · Critical`), of the rows whose tier
    /// `tier_of` gives: the tier filter of every table with a Tier column.
    pub fn tiers<T>(rows: &[T], tiers: &[TierView], tier_of: impl Fn(&T) -> u8) -> Vec<Facet> {
        tiers
            .iter()
            .map(|t| {
                let label = format!("{} · {}", t.label, t.name);
                Facet::new(rows, "tier", "Tier", &t.level.to_string(), &label, |r| {
                    tier_of(r) == t.level
                })
            })
            .collect()
    }
}

struct List {
    dir: String,
    facet: Option<usize>,
    rows: Vec<usize>,
}

/// Every list of one table: the whole table and each facet, with their pages.
pub struct Listing {
    name: String,
    dir: String,
    per: usize,
    total: usize,
    facets: Vec<Facet>,
    lists: Vec<List>,
}

impl Listing {
    /// The table `name` in folder `dir` with `total` rows and these facets
    /// (empty facets get no pages and no link).
    pub fn new(name: &str, dir: &str, total: usize, per: usize, facets: Vec<Facet>) -> Listing {
        let facets: Vec<Facet> = facets.into_iter().filter(|f| !f.rows.is_empty()).collect();
        let mut lists = vec![List {
            dir: dir.to_string(),
            facet: None,
            rows: (0..total).collect(),
        }];
        for (i, f) in facets.iter().enumerate() {
            lists.push(List {
                dir: facet_dir(dir, &f.key, &f.value),
                facet: Some(i),
                rows: f.rows.clone(),
            });
        }
        Listing {
            name: name.to_string(),
            dir: dir.to_string(),
            per: per.max(1),
            total,
            facets,
            lists,
        }
    }

    /// Pages of a list: the whole table is paginated, a facet has one page
    /// (its first rows; the rest are in the full list, filtered by hash).
    /// A table whose full list is empty (`total` 0: the calendar, whose rows
    /// live only in its month and overdue facets) paginates every facet in
    /// full, or its rows past the first page would be reachable from nowhere.
    fn pages_of(&self, l: &List) -> usize {
        if l.facet.is_some() && self.facet_is_one_page() {
            1
        } else {
            page_count(l.rows.len(), self.per)
        }
    }

    /// Whether a facet is one page (the full list holds its rows too).
    fn facet_is_one_page(&self) -> bool {
        self.total > 0
    }

    /// Pages of every list.
    pub fn count(&self) -> usize {
        self.lists.iter().map(|l| self.pages_of(l)).sum()
    }

    /// Page index `i` of the page kind as (list index, 1-based page).
    pub fn locate(&self, mut i: usize) -> (usize, usize) {
        for (li, l) in self.lists.iter().enumerate() {
            let n = self.pages_of(l);
            if i < n {
                return (li, i + 1);
            }
            i -= n;
        }
        (0, 1)
    }

    /// Output path of page index `i`.
    pub fn path(&self, i: usize) -> String {
        let (li, n) = self.locate(i);
        self.lists
            .get(li)
            .map_or_else(|| page_path(&self.dir, 1), |l| page_path(&l.dir, n))
    }

    /// Where page index `i` is written and its title: `title` for the list,
    /// `"{title} · {facet}: {value}"` for a facet page.
    pub fn target(&self, i: usize, title: &str) -> super::page::Target<'static> {
        let title = match self.facet_of(i) {
            Some(f) => format!("{title} · {}: {}", f.key_label, f.label),
            None => title.to_string(),
        };
        super::page::Target {
            path: self.path(i).into(),
            title: title.into(),
        }
    }

    /// The facet of page index `i`, if it is a facet page: (key label, label).
    pub fn facet_of(&self, i: usize) -> Option<&Facet> {
        let (li, _) = self.locate(i);
        self.lists
            .get(li)
            .and_then(|l| l.facet)
            .and_then(|f| self.facets.get(f))
    }

    /// Row indices (into the full table) shown on page index `i`.
    pub fn window(&self, i: usize) -> &[usize] {
        let (li, n) = self.locate(i);
        let Some(l) = self.lists.get(li) else {
            return &[];
        };
        let start = ((n - 1) * self.per).min(l.rows.len());
        let end = (start + self.per).min(l.rows.len());
        l.rows.get(start..end).unwrap_or(&[])
    }

    /// The template's view of page index `i`.
    pub fn view(&self, i: usize) -> TableView {
        let (li, n) = self.locate(i);
        let (dir, len, facet, pages) = self
            .lists
            .get(li)
            .map_or((self.dir.as_str(), 0, None, 1), |l| {
                (l.dir.as_str(), l.rows.len(), l.facet, self.pages_of(l))
            });
        let first = if len == 0 { 0 } else { (n - 1) * self.per + 1 };
        let f = facet.and_then(|f| self.facets.get(f));
        let more = f
            .filter(|_| len > self.per && self.facet_is_one_page())
            .map(|f| FacetMore {
                href: format!(
                    "{}#{}={}",
                    page_path(&self.dir, 1),
                    hash_encode(&f.key),
                    hash_encode(&f.value)
                ),
                shown: thousands(self.per),
                of: thousands(len),
            });
        TableView {
            name: self.name.clone(),
            page: n,
            pages,
            per_page: self.per,
            shown: len,
            total: self.total,
            first,
            last: (n * self.per).min(len),
            prev: (n > 1).then(|| page_path(dir, n - 1)),
            next: (n < pages).then(|| page_path(dir, n + 1)),
            links: pager_links(dir, n, pages),
            script: format!("{}rows.js", self.dir),
            all_href: page_path(&self.dir, 1),
            facet_key: f.map(|f| f.key.clone()),
            facet_value: f.map(|f| f.value.clone()),
            facet_label: f.map(|f| format!("{}: {}", f.key_label, f.label)),
            facets: self.groups(facet),
            more,
        }
    }

    fn groups(&self, current: Option<usize>) -> Vec<FacetGroup> {
        let mut out: Vec<FacetGroup> = Vec::new();
        for (i, f) in self.facets.iter().enumerate() {
            let link = FacetLink {
                value: f.value.clone(),
                label: f.label.clone(),
                href: page_path(&facet_dir(&self.dir, &f.key, &f.value), 1),
                count: f.rows.len(),
                current: current == Some(i),
            };
            match out.last_mut() {
                Some(g) if g.key == f.key => g.options.push(link),
                _ => out.push(FacetGroup {
                    key: f.key.clone(),
                    label: f.key_label.clone(),
                    options: vec![link],
                }),
            }
        }
        out
    }
}

/// A facet's folder: `{dir}{key}/{value}/`, or `{dir}{key}/` for a facet
/// without a value (the calendar's `overdue`).
fn facet_dir(dir: &str, key: &str, value: &str) -> String {
    if value.is_empty() {
        format!("{dir}{key}/")
    } else {
        format!("{dir}{key}/{value}/")
    }
}

/// Numbered links: the first, the last, and two either side of the current
/// page; gaps between them as `number: None`.
fn pager_links(dir: &str, n: usize, pages: usize) -> Vec<PagerLink> {
    let mut out = Vec::new();
    let mut last = 0;
    for p in 1..=pages {
        if p == 1 || p == pages || p.abs_diff(n) <= 2 {
            if p > last + 1 {
                out.push(PagerLink {
                    number: None,
                    href: String::new(),
                    current: false,
                });
            }
            out.push(PagerLink {
                number: Some(p),
                href: page_path(dir, p),
                current: p == n,
            });
            last = p;
        }
    }
    out
}

/// A piece of a cell as the data script carries it; vetted.js builds the
/// DOM from these with textContent only.
#[derive(Debug, Clone)]
pub enum Part {
    Text(String),
    /// Text and a site-root-relative href.
    Link(String, String),
    /// A link whose text is in a monospace span (ids).
    MonoLink(String, String),
    Badge(Badge),
    Tier(TierView),
    Time(String),
    Muted(String),
    /// A second line (`cell-sub`).
    Sub(String),
    /// Text in `<code>` (versions).
    Code(String),
    /// A badge that links (site-root-relative href).
    BadgeLink(Badge, String),
}

impl Part {
    fn json(&self) -> Value {
        match self {
            Part::Text(t) => json!(t),
            Part::Link(t, h) => json!(["a", t, h]),
            Part::MonoLink(t, h) => json!(["c", t, h]),
            Part::Badge(b) => json!(["b", b.label, b.tone, b.key]),
            Part::Tier(t) => json!(["t", t.label, t.name, t.level]),
            Part::Time(d) => json!(["d", d]),
            Part::Muted(t) => json!(["m", t]),
            Part::Sub(t) => json!(["s", t]),
            Part::Code(t) => json!(["k", t]),
            Part::BadgeLink(b, h) => json!(["ba", b.label, b.tone, b.key, h]),
        }
    }
}

/// The data script's table of repeated parts (a badge, a tier, "Not
/// required", a category): each part that occurs more than once and is not
/// tiny is written once in `parts` and referred to by its index (a number
/// where a part goes; a plain text part is a string, so the two never mix).
struct PartTable {
    index: std::collections::HashMap<String, usize>,
    table: Vec<Value>,
    repeated: std::collections::HashSet<String>,
}

impl PartTable {
    fn new(rows: &[DataRow]) -> PartTable {
        let mut seen = std::collections::HashSet::new();
        let mut repeated = std::collections::HashSet::new();
        for p in rows.iter().flat_map(|r| r.cells.iter().flatten()) {
            let text = p.json().to_string();
            if text.len() > 6 && !seen.insert(text.clone()) {
                repeated.insert(text);
            }
        }
        PartTable {
            index: std::collections::HashMap::new(),
            table: Vec::new(),
            repeated,
        }
    }

    /// The part, or its index in the table when it repeats.
    fn refer(&mut self, p: &Part) -> Value {
        let v = p.json();
        let text = v.to_string();
        if !self.repeated.contains(&text) {
            return shorten(v);
        }
        let next = self.table.len();
        let i = *self.index.entry(text).or_insert(next);
        if i == next {
            self.table.push(shorten(v));
        }
        json!(i)
    }
}

/// A vendor page's href (`vendors/SLUG/index.html#x`) as `~SLUG#x`; vetted.js
/// expands it (a slug is `[a-z0-9-]`, so it holds no `#`).
fn shorten(mut v: Value) -> Value {
    let at = match v.get(0).and_then(Value::as_str) {
        Some("a" | "c") => 2,
        Some("ba") => 4,
        _ => return v,
    };
    if let Some(Value::String(h)) = v.get_mut(at)
        && let Some(rest) = h.strip_prefix("vendors/")
        && let Some((slug, tail)) = rest.split_once("/index.html")
        && !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && (tail.is_empty() || tail.starts_with('#'))
    {
        *h = format!("~{slug}{tail}");
    }
    v
}

/// One row of a data script.
#[derive(Debug, Clone)]
pub struct DataRow {
    /// `data-key`: a stable id (vendor slug, `slug/finding-id`, …).
    pub key: String,
    /// One value per sortable column, in [`Columns::sort`] order.
    pub sort: Vec<Value>,
    /// One value per filter, in [`Columns::filters`] order.
    pub filter: Vec<String>,
    /// One list of parts per column.
    pub cells: Vec<Vec<Part>>,
}

/// The columns of a data script.
pub struct Columns<'a> {
    /// Sort keys (`<th data-sort-key>`).
    pub sort: &'a [&'a str],
    /// Filter keys (URL-hash keys, `data-filter`), `q` excluded.
    pub filters: &'a [&'a str],
    /// Per column: `th` (the row header) or `td`, and a class (`num`) or "".
    pub cells: &'a [(&'a str, &'a str)],
}

/// `VETTED_ROWS[name] = {sort, filters, cells, rows}` as a script: rows as
/// arrays (`[key, [sort values], [filter values], [cells]]`), no repeated
/// keys, `</` escaped.
pub fn data_script(
    path: &str,
    name: &str,
    cols: &Columns,
    rows: &[DataRow],
) -> Result<OutFile, Error> {
    data_script_with(path, name, cols, rows, Vec::new())
}

/// [`data_script`] with more matching rules for vetted.js in the script's
/// object: `before: [filter key]` (a wanted number matches a row whose number
/// token is below it: `eos=2028`), `pairs: [[key, key, filter key]]` (two
/// wanted values must match one `a:b` token of the third filter together:
/// `kind` and `status` in the same evidence cell). A filter value is a
/// space-separated list of tokens; a wanted value matches one of them.
pub fn data_script_with(
    path: &str,
    name: &str,
    cols: &Columns,
    rows: &[DataRow],
    extra: Vec<(&str, Value)>,
) -> Result<OutFile, Error> {
    let mut parts = PartTable::new(rows);
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            let cells: Vec<Value> = r
                .cells
                .iter()
                .map(|c| Value::Array(c.iter().map(|p| parts.refer(p)).collect()))
                .collect();
            json!([r.key, r.sort, r.filter, cells])
        })
        .collect();
    let cells: Vec<Value> = cols.cells.iter().map(|(t, c)| json!([t, c])).collect();
    let mut body = json!({
        "sort": cols.sort,
        "filters": cols.filters,
        "cells": cells,
        "parts": parts.table,
        "rows": rows,
    });
    if let Value::Object(m) = &mut body {
        for (k, v) in extra {
            m.insert(k.to_string(), v);
        }
    }
    let text = serde_json::to_string(&body)
        .map_err(|source| Error::SearchIndexSerialise { source })?
        .replace("</", "<\\/");
    let name = serde_json::to_string(name).unwrap_or_else(|_| "\"\"".into());
    Ok(OutFile {
        path: path.to_string(),
        bytes: format!("(window.VETTED_ROWS = window.VETTED_ROWS || {{}})[{name}] = {text};\n")
            .into_bytes(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_made_only_of_facets_paginates_them_in_full() {
        // The calendar: no full list, a month of 250 events, 100 a page.
        let l = Listing::new(
            "calendar",
            "calendar/",
            0,
            100,
            vec![facet("month", "2027-03", (0..250).collect())],
        );
        assert_eq!(l.count(), 4, "the empty index and three pages of the month");
        assert_eq!(l.path(3), "calendar/month/2027-03/page/3/index.html");
        assert_eq!(l.window(3), &(200..250).collect::<Vec<_>>()[..]);
        let v = l.view(1);
        assert_eq!((v.pages, v.shown), (3, 250));
        assert!(v.more.is_none(), "no full list to send the reader to");
    }

    #[test]
    fn page_paths_and_counts() {
        assert_eq!(page_path("vendors/", 1), "vendors/index.html");
        assert_eq!(page_path("vendors/", 3), "vendors/page/3/index.html");
        assert_eq!(page_count(0, 100), 1);
        assert_eq!(page_count(100, 100), 1);
        assert_eq!(page_count(101, 100), 2);
        assert_eq!(page_count(5, 0), 5);
    }

    fn facet(key: &str, value: &str, rows: Vec<usize>) -> Facet {
        Facet {
            key: key.into(),
            key_label: key.to_uppercase(),
            value: value.into(),
            label: value.into(),
            rows,
        }
    }

    #[test]
    fn listing_splits_rows_into_pages_and_facets() {
        let l = Listing::new(
            "t",
            "x/",
            25,
            10,
            vec![
                facet("tier", "1", vec![0, 5, 7]),
                facet("tier", "2", vec![]),
                facet("status", "bad", (0..12).collect()),
            ],
        );
        // 3 pages of all rows, 1 of tier 1, none of the empty tier 2, 1 of status.
        assert_eq!(l.count(), 5);
        let paths: Vec<String> = (0..5).map(|i| l.path(i)).collect();
        assert_eq!(
            paths,
            [
                "x/index.html",
                "x/page/2/index.html",
                "x/page/3/index.html",
                "x/tier/1/index.html",
                "x/status/bad/index.html",
            ]
        );
        assert_eq!(l.window(0), (0..10).collect::<Vec<_>>().as_slice());
        assert_eq!(l.window(2), &[20, 21, 22, 23, 24]);
        assert_eq!(l.window(3), &[0, 5, 7]);
        assert_eq!(l.window(4), (0..10).collect::<Vec<_>>().as_slice());
        let v = l.view(2);
        assert_eq!(
            (v.page, v.pages, v.first, v.last, v.shown, v.total),
            (3, 3, 21, 25, 25, 25)
        );
        assert_eq!(v.prev.as_deref(), Some("x/page/2/index.html"));
        assert_eq!(v.next, None);
        let v = l.view(4);
        assert_eq!(v.facet_key.as_deref(), Some("status"));
        assert_eq!((v.pages, v.next.as_deref(), v.shown), (1, None, 12));
        let more = v.more.as_ref().unwrap();
        assert_eq!(
            (more.href.as_str(), more.shown.as_str(), more.of.as_str()),
            ("x/index.html#status=bad", "10", "12")
        );
        assert!(l.view(3).more.is_none());
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(hash_encode("a b/é"), "a%20b%2F%C3%A9");
        assert_eq!(v.facets.len(), 2);
        assert!(v.facets[1].options[0].current);
        assert_eq!(v.script, "x/rows.js");
    }

    #[test]
    fn pager_links_have_gaps() {
        let numbers: Vec<Option<usize>> =
            pager_links("x/", 10, 20).iter().map(|l| l.number).collect();
        assert_eq!(
            numbers,
            [
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(20)
            ]
        );
        assert_eq!(pager_links("x/", 1, 1).len(), 1);
    }

    #[test]
    fn data_script_is_compact_and_escaped() {
        let cols = Columns {
            sort: &["name"],
            filters: &["tier"],
            cells: &[("th", ""), ("td", "num")],
        };
        let row = |key: &str| DataRow {
            key: key.into(),
            sort: vec![json!("acme </script>")],
            filter: vec!["1".into()],
            cells: vec![
                vec![Part::Link(
                    "A</script>".into(),
                    format!("vendors/{key}/index.html"),
                )],
                vec![Part::Text("3".into()), Part::Sub("1 overdue".into())],
            ],
        };
        let rows = vec![row("acme"), row("b")];
        let f = data_script("x/rows.js", "t", &cols, &rows).unwrap();
        let s = String::from_utf8(f.bytes).unwrap();
        assert!(!s.contains("</"), "{s}");
        assert!(s.starts_with("(window.VETTED_ROWS = window.VETTED_ROWS || {})[\"t\"] = {"));
        let json = s
            .split_once(" = {")
            .and_then(|(_, r)| r.rsplit_once(';'))
            .map(|(j, _)| format!("{{{j}").replace("<\\/", "</"))
            .unwrap();
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["rows"][0][0], "acme");
        // A vendor page's href is shortened; a repeated part is written once.
        assert_eq!(v["rows"][0][3][0][0], json!(["a", "A</script>", "~acme"]));
        assert_eq!(v["rows"][1][3][1][1], json!(0));
        assert_eq!(v["parts"], json!([["s", "1 overdue"]]));
        assert_eq!(v["rows"][0][3][1][0], json!("3"));
        assert_eq!(v["cells"][1], json!(["td", "num"]));
    }
}

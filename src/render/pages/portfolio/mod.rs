//! The cross-vendor pages: `evidence/`, `subprocessors/` (an index and one
//! page per subprocessor) and `products/`. Each table is one `Vec` of row
//! view structs, built once per build ([`Cross`], cached on the model) and
//! cut into static pages (`X/index.html`, `X/page/N/index.html`) so no page
//! grows with the registry beyond its page size; a template partial draws
//! one row.

pub(crate) mod evidence;
pub(crate) mod products;
pub(crate) mod subprocessors;

use crate::render::model::Model;
use crate::render::view::{PageLink, PagerView};

pub use evidence::EvidencePages;
pub use products::ProductsPages;
pub use subprocessors::{SubprocessorIndex, SubprocessorPages};

/// Every cross-vendor table's rows, built once per build.
pub struct Cross {
    pub evidence: evidence::Matrix,
    pub subprocessors: subprocessors::Groups,
    pub products: products::Table,
}

/// The cross-vendor tables of this build, made on first use and kept in the
/// model's memo (so the model does not depend on the pages).
pub fn cross(model: &Model) -> std::sync::Arc<Cross> {
    model.memo.get("cross-vendor tables", || Cross::new(model))
}

impl Cross {
    pub fn new(model: &Model) -> Cross {
        Cross {
            evidence: evidence::matrix(model),
            subprocessors: subprocessors::groups(model),
            products: products::table(model),
        }
    }
}

/// Pages a table of `total` rows takes at `per` rows a page (at least one).
pub fn page_count(total: usize, per: usize) -> usize {
    total.div_ceil(per.max(1)).max(1)
}

/// Page `n` (0-based) of the table whose first page is `dir/index.html`.
pub fn page_path(dir: &str, n: usize) -> String {
    if n == 0 {
        format!("{dir}/index.html")
    } else {
        format!("{dir}/page/{}/index.html", n + 1)
    }
}

/// `title` on the first page, `title (page 2 of 5)` after it.
pub fn page_title(title: &str, n: usize, pages: usize) -> String {
    if n == 0 {
        title.to_string()
    } else {
        format!("{title} (page {} of {pages})", n + 1)
    }
}

/// Rows of page `n` (0-based), cloned.
pub fn page_rows<T: Clone>(rows: &[T], n: usize, per: usize) -> Vec<T> {
    rows.iter().skip(n * per).take(per).cloned().collect()
}

/// The pager of page `n` (0-based) of a table in `dir`.
pub fn pager(dir: &str, n: usize, total: usize, per: usize) -> PagerView {
    let pages = page_count(total, per);
    let first = if total == 0 { 0 } else { n * per + 1 };
    let last = total.min((n + 1) * per);
    PagerView {
        page: n + 1,
        pages,
        total,
        first,
        last,
        prev: n.checked_sub(1).map(|p| page_path(dir, p)),
        next: (n + 1 < pages).then(|| page_path(dir, n + 1)),
        links: (0..pages)
            .map(|p| PageLink {
                number: p + 1,
                href: page_path(dir, p),
                current: p == n,
            })
            .collect(),
    }
}

/// Distinct values, in first-seen order.
pub(crate) fn distinct<'s>(values: impl IntoIterator<Item = &'s str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !out.iter().any(|x| x == v) {
            out.push(v.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_cut_at_the_page_size_and_linked() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        assert_eq!(page_path("products", 0), "products/index.html");
        assert_eq!(page_path("products", 1), "products/page/2/index.html");
        let p = pager("products", 1, 25, 10);
        assert_eq!((p.page, p.pages, p.first, p.last), (2, 3, 11, 20));
        assert_eq!(p.prev.as_deref(), Some("products/index.html"));
        assert_eq!(p.next.as_deref(), Some("products/page/3/index.html"));
        assert!(p.links[1].current && !p.links[0].current);
        let empty = pager("products", 0, 0, 10);
        assert_eq!((empty.first, empty.last, empty.next), (0, 0, None));
        assert_eq!(page_rows(&[1, 2, 3, 4, 5], 1, 2), [3, 4]);
        assert_eq!(page_title("Products", 1, 3), "Products (page 2 of 3)");
    }
}

//! `products/index.html`: every product of every vendor with its end of
//! support ([`EndOfSupport`]) and the version-bound evidence of
//! artifact-kinds.toml (an SBOM, an MDS2 form in the example) on file for it.
//! A paginated table ([`crate::render::table`]): `products/page/N/`, facets
//! `products/tier/N/` and `products/eos/{past,upcoming,not-stated}/`, and
//! `products/rows.js` for vetted.js (hash keys `q`, `tier`, `eos`: a group or a
//! year, "before 1 January of it").

use std::sync::Arc;

use serde_json::json;

use crate::assess::ArtifactStatus;
use crate::error::Error;
use crate::model::Product;
use crate::model::dates::add_months;
use crate::render::assessed::Assessed;
use crate::render::badge::artifact_badge;
use crate::render::link::vendor_link;
use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::portfolio::EndOfSupport;
use crate::render::publish::OutFile;
use crate::render::table::{Columns, DataRow, Facet, Listing, Part, data_script_with};
use crate::render::view::{
    Badge, FilterOption, NavSection, ProductEvidence, ProductRow, ProductsPage, Tone,
};

const DIR: &str = "products/";
const NAME: &str = "products";

/// Every product row, earliest end of support first.
pub struct Table {
    pub rows: Vec<ProductRow>,
    pub kinds: Vec<FilterOption>,
    pub years: Vec<FilterOption>,
}

pub struct ProductsPages;

/// The listing of the product table's pages and facets (tier, end-of-support group).
fn listing(model: &Model) -> Arc<Listing> {
    model.memo.get("products-listing", || {
        let cross = super::cross(model);
        let rows = &cross.products.rows;
        let mut facets = Facet::tiers(rows, &model.all_tiers(), |r| r.tier.level);
        for e in EOS_GROUPS {
            let b = eos_badge(e, false);
            facets.push(Facet::new(
                rows,
                "eos",
                "End of support",
                &b.key,
                &b.label,
                |r| r.eos.key == b.key,
            ));
        }
        let per = model.registry.settings.rows_per_page;
        Listing::new(NAME, DIR, rows.len(), per, facets)
    })
}

const EOS_GROUPS: [EndOfSupport; 3] = [
    EndOfSupport::Past,
    EndOfSupport::Upcoming,
    EndOfSupport::NotStated,
];

impl Page for ProductsPages {
    type Data = ProductsPage;
    const TEMPLATE: &'static str = "products.html";
    const SECTION: NavSection = NavSection::Products;
    const KEY: &'static str = "products";

    fn count(&self, model: &Model) -> usize {
        listing(model).count()
    }

    fn target<'m>(&self, model: &'m Model, i: usize) -> Target<'m> {
        listing(model).target(i, "Products")
    }

    fn data(&self, model: &Model, i: usize) -> ProductsPage {
        let cross = super::cross(model);
        let t = &cross.products;
        let l = listing(model);
        let count = |key: &str| t.rows.iter().filter(|r| r.eos.key == key).count();
        ProductsPage {
            rows: l
                .window(i)
                .iter()
                .filter_map(|&r| t.rows.get(r).cloned())
                .collect(),
            table: l.view(i),
            tiers: model.all_tiers(),
            statuses: EOS_GROUPS
                .into_iter()
                .map(|e| eos_badge(e, false))
                .collect(),
            years: t.years.clone(),
            kinds: t.kinds.clone(),
            shortcuts: (1..=3)
                .map(|n| {
                    let year = model.today.year() + n;
                    let before = t
                        .rows
                        .iter()
                        .filter(|r| r.eos_year.is_some_and(|y| y < year))
                        .count();
                    FilterOption {
                        value: format!("eos={year}"),
                        label: format!("End of support before {year} ({before})"),
                    }
                })
                .collect(),
            past: count("past"),
            upcoming: count("upcoming"),
            not_stated: count("not-stated"),
        }
    }
}

/// The columns of `products/rows.js`, as `products.html` draws them (the
/// version-bound kinds' columns follow, sorted by `k:<kind>`).
const COLUMNS: Columns = Columns {
    sort: &["product", "version", "vendor", "tier", "eos"],
    filters: &["tier", "eos"],
    cells: &[("th", ""), ("td", ""), ("td", ""), ("td", ""), ("td", "")],
};

/// `products/rows.js`: every product row for vetted.js. The `eos` filter
/// value is the group and the year (`past 2025`): vetted.js matches a group
/// by token and a year as "a year token below it" (`data.before`).
pub fn script(model: &Model) -> Result<OutFile, Error> {
    let cross = super::cross(model);
    let t = &cross.products;
    let mut sort: Vec<String> = COLUMNS.sort.iter().map(|s| (*s).to_string()).collect();
    let mut cells: Vec<(&str, &str)> = COLUMNS.cells.to_vec();
    for k in &t.kinds {
        sort.push(format!("k:{}", k.value));
        cells.push(("td", ""));
    }
    let sort: Vec<&str> = sort.iter().map(String::as_str).collect();
    let cols = Columns {
        sort: &sort,
        filters: COLUMNS.filters,
        cells: &cells,
    };
    let rows: Vec<DataRow> = t.rows.iter().map(data_row).collect();
    let before = vec![("before", json!(["eos"]))];
    data_script_with(&format!("{DIR}rows.js"), NAME, &cols, &rows, before)
}

fn data_row(r: &ProductRow) -> DataRow {
    let mut eos = Vec::new();
    if let Some(d) = &r.end_of_support {
        eos.push(Part::Time(d.clone()));
        eos.push(Part::Text(" ".into()));
    }
    eos.push(Part::Badge(r.eos.clone()));
    if !r.when.is_empty() {
        eos.push(Part::Sub(r.when.clone()));
    }
    let mut sort = vec![
        json!(r.name.to_lowercase()),
        json!(r.version.to_lowercase()),
        json!(r.vendor.name.to_lowercase()),
        json!(r.tier.level),
        json!(r.end_of_support.as_deref().unwrap_or("9999-99-99")),
    ];
    let mut cells = vec![
        vec![Part::Link(r.name.clone(), r.href.clone())],
        vec![Part::Code(r.version.clone())],
        vec![Part::Link(r.vendor.name.clone(), r.vendor.href.clone())],
        vec![Part::Tier(r.tier.clone())],
        eos,
    ];
    for e in &r.evidence {
        sort.push(json!(e.status.as_ref().map_or(99, |b| b.rank)));
        cells.push(match (&e.status, &e.href) {
            (Some(b), Some(h)) => vec![Part::BadgeLink(b.clone(), h.clone())],
            (Some(b), None) => vec![Part::Badge(b.clone())],
            _ => vec![Part::Muted("None".into())],
        });
    }
    let year = r.eos_year.map(|y| format!(" {y}")).unwrap_or_default();
    DataRow {
        key: format!("{}/{}", r.vendor.slug, r.name),
        sort,
        filter: vec![r.tier.level.to_string(), format!("{}{year}", r.eos.key)],
        cells,
    }
}

/// The end-of-support badge; `soon` (within the policy's warning months)
/// turns an upcoming date's tone to a warning.
pub fn eos_badge(e: EndOfSupport, soon: bool) -> Badge {
    match e {
        EndOfSupport::Past => Badge::new(e.key(), "Past", Tone::Bad, 2),
        EndOfSupport::Upcoming if soon => Badge::new(e.key(), "Upcoming", Tone::Warn, 1),
        EndOfSupport::Upcoming => Badge::new(e.key(), "Upcoming", Tone::Info, 1),
        EndOfSupport::NotStated => Badge::new(e.key(), "Not stated", Tone::Neutral, 0),
    }
}

pub fn table(model: &Model) -> Table {
    let kinds: Vec<FilterOption> = model
        .registry
        .kinds
        .values()
        .filter(|k| k.version_bound)
        .map(|k| FilterOption {
            value: k.id.clone(),
            label: k.title.clone(),
        })
        .collect();
    let mut keyed: Vec<(Option<crate::model::Date>, ProductRow)> = Vec::new();
    for p in model.assessed() {
        for pr in &p.vendor.products {
            let row = row(model, p, pr, &kinds);
            keyed.push((pr.end_of_support, row));
        }
    }
    // Stated dates first, earliest first; then by vendor (already in
    // vendor order) and product order.
    keyed.sort_by_key(|k| (k.0.is_none(), k.0));
    let mut years: Vec<i16> = keyed.iter().filter_map(|k| k.1.eos_year).collect();
    years.sort_unstable();
    years.dedup();
    Table {
        rows: keyed.into_iter().map(|k| k.1).collect(),
        kinds,
        years: years
            .into_iter()
            .map(|y| FilterOption {
                value: (y + 1).to_string(),
                label: format!("Before {}", y + 1),
            })
            .collect(),
    }
}

fn row(model: &Model, p: &Assessed, pr: &Product, kinds: &[FilterOption]) -> ProductRow {
    let e = EndOfSupport::of(pr.end_of_support, model.today);
    let warn = add_months(
        model.today,
        model.registry.settings.end_of_support_warning_months,
    );
    let soon = pr.end_of_support.is_some_and(|d| d <= warn);
    ProductRow {
        vendor: vendor_link(p.vendor),
        tier: model.tier(p.assessment.tier),
        name: pr.name.clone(),
        version: pr.version.clone(),
        end_of_support: pr.end_of_support.map(|d| d.to_string()),
        eos_year: pr.end_of_support.map(|d| d.year()),
        eos: eos_badge(e, soon),
        when: pr
            .end_of_support
            .map_or_else(String::new, |d| model.when(d)),
        evidence: kinds
            .iter()
            .map(|k| product_evidence(p, pr, &k.value))
            .collect(),
        href: format!("{}#profile", p.href),
    }
}

/// The vendor's evidence of `kind` for the product: the requirement's
/// status when the tier requires it, else the best artifact of the kind
/// covering the product (superseded ones left out).
pub fn product_evidence(p: &Assessed, pr: &Product, kind: &str) -> ProductEvidence {
    let req = p
        .requirements()
        .iter()
        .find(|r| r.kind == kind && r.product.as_deref() == Some(pr.name.as_str()));
    let art = |i: usize| format!("{}#artifact-{i}", p.href);
    if let Some(r) = req {
        return ProductEvidence {
            kind: kind.to_string(),
            status: Some(artifact_badge(r.status)),
            href: Some(
                r.satisfied_by
                    .map_or_else(|| format!("{}#evidence", p.href), art),
            ),
        };
    }
    let best = p
        .assessed_artifacts()
        .filter(|(a, s)| {
            a.kind == kind
                && a.subject.is_none()
                && (a.covers.is_empty() || a.covers.contains(&pr.name))
                && s.status != ArtifactStatus::Superseded
        })
        .min_by_key(|(a, s)| (s.status, a.index));
    ProductEvidence {
        kind: kind.to_string(),
        status: best.map(|(_, s)| artifact_badge(s.status)),
        href: best.map(|(a, _)| art(a.index)),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::history::History;

    #[test]
    fn products_are_listed_by_end_of_support_with_their_version_bound_evidence() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("registry");
        let registry = crate::validate::validate(crate::load::load(&root))
            .registry
            .expect("the example registry is valid");
        let assessment = crate::assess::assess(&registry, "2026-11-22".parse().unwrap());
        let history = History::default();
        let model = Model::new(&registry, &assessment, &history);
        let t = table(&model);
        let kinds: Vec<&str> = t.kinds.iter().map(|k| k.value.as_str()).collect();
        assert_eq!(
            kinds,
            ["mds2", "sbom"],
            "the version-bound kinds of the policy"
        );
        let first = &t.rows[0];
        assert_eq!(
            (first.name.as_str(), first.eos.key.as_str(), first.eos_year),
            ("Brightbay Bedside Terminal", "past", Some(2025))
        );
        assert_eq!(t.rows.last().unwrap().eos.key, "not-stated");
        let fleet = t
            .rows
            .iter()
            .find(|r| r.name == "Corvane Fleet Server")
            .unwrap();
        let status: Vec<Option<&str>> = fleet
            .evidence
            .iter()
            .map(|e| e.status.as_ref().map(|b| b.key.as_str()))
            .collect();
        assert_eq!(status, [Some("valid"), Some("valid")]);
        assert!(t.years.iter().any(|y| y.value == "2028"));
    }
}

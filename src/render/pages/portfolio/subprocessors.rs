//! `subprocessors/index.html` and `subprocessors/<slug>/index.html`: every
//! fourth party, grouped as the assessment compares names
//! ([`crate::render::portfolio::fourth_parties`]), with the vendors and
//! products that depend on it and its concentration among the policy's
//! concentration tiers. The index is a paginated table
//! ([`crate::render::table`]: `subprocessors/page/N/`, `subprocessors/rows.js`,
//! hash keys `q`, `tier` (used by a vendor of the tier), `status`
//! (`concentrated`)); it has no facet pages, whose folders could clash with
//! a subprocessor's own.

use std::sync::Arc;

use serde_json::json;

use super::{distinct, page_count, page_path, page_rows, page_title, pager};
use crate::error::Error;
use crate::model::VendorStatus;
use crate::render::badge::{decision_badge, lifecycle_badge};
use crate::render::link::vendor_link;
use crate::render::model::Model;
use crate::render::page::{Page, Target};
use crate::render::portfolio::fourth_parties;
use crate::render::publish::OutFile;
use crate::render::table::{Columns, DataRow, Listing, Part, data_script};
use crate::render::view::{Badge, Tone};
use crate::render::view::{
    ConcentrationView, NavSection, SubprocessorPage, SubprocessorRow, SubprocessorUse,
    SubprocessorsPage,
};

/// Vendors per subprocessor page.
pub const USES_PER_PAGE: usize = 1000;
const DIR: &str = "subprocessors";

/// One subprocessor with every vendor entry naming it.
pub struct Group {
    pub slug: String,
    pub row: SubprocessorRow,
    pub names: Vec<String>,
    /// By vendor name (the site's vendor order).
    pub uses: Vec<SubprocessorUse>,
}

pub struct Groups {
    /// By name key.
    pub groups: Vec<Group>,
    /// (group, page within it) of every subprocessor page, in order.
    pub pages: Vec<(usize, usize)>,
    pub policy: ConcentrationView,
}

pub fn groups(model: &Model) -> Groups {
    let settings = &model.registry.settings;
    let joined = model.assessed();
    let in_scope = |i: &usize| {
        joined.get(*i).is_some_and(|p| {
            p.vendor.status != VendorStatus::Offboarded
                && settings.concentration_tiers.contains(&p.assessment.tier)
        })
    };
    let groups: Vec<Group> = fourth_parties(joined)
        .into_iter()
        .map(|f| {
            let uses: Vec<SubprocessorUse> = f
                .users
                .iter()
                .filter_map(|(i, s)| {
                    let p = joined.get(*i)?;
                    Some(SubprocessorUse {
                        vendor: vendor_link(p.vendor),
                        tier: model.tier(p.assessment.tier),
                        decision: decision_badge(p.assessment.decision.value),
                        lifecycle: lifecycle_badge(p.vendor.status),
                        products: p.vendor.products.iter().map(|x| x.name.clone()).collect(),
                        service: s.service.clone(),
                        data: s.data.clone(),
                        region: s.region.clone(),
                        baa_flow_down: match s.baa_flow_down {
                            Some(true) => "Yes",
                            Some(false) => "No",
                            None => "Not stated",
                        }
                        .to_string(),
                        href: format!("{}#profile", p.href),
                    })
                })
                .collect();
            let mut vendors: Vec<usize> = f.users.iter().map(|(i, _)| *i).collect();
            vendors.dedup(); // users are in vendor order
            let mut levels: Vec<u8> = uses.iter().map(|u| u.tier.level).collect();
            levels.sort_unstable();
            levels.dedup();
            let concentration = vendors.iter().filter(|i| in_scope(i)).count();
            let row = SubprocessorRow {
                name: f.name.to_string(),
                href: format!("{DIR}/{}/index.html", f.slug),
                vendors: vendors.len(),
                products: vendors
                    .iter()
                    .filter_map(|i| joined.get(*i))
                    .map(|p| p.vendor.products.len())
                    .sum(),
                top_tier: model.tier(levels.first().copied().unwrap_or(0)),
                tier_levels: levels
                    .iter()
                    .map(u8::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
                services: distinct(f.users.iter().map(|(_, s)| s.service.as_str())),
                data: distinct(
                    f.users
                        .iter()
                        .flat_map(|(_, s)| s.data.iter().map(String::as_str)),
                ),
                regions: distinct(f.users.iter().filter_map(|(_, s)| s.region.as_deref())),
                concentration,
                concentrated: settings.concentration_threshold > 0
                    && concentration >= settings.concentration_threshold,
            };
            let mut names = distinct(f.users.iter().map(|(_, s)| s.name.trim()));
            names.sort();
            Group {
                slug: f.slug,
                row,
                names,
                uses,
            }
        })
        .collect();
    let pages = groups
        .iter()
        .enumerate()
        .flat_map(|(g, x)| (0..page_count(x.uses.len(), USES_PER_PAGE)).map(move |n| (g, n)))
        .collect();
    let policy = ConcentrationView {
        tiers: settings
            .concentration_tiers
            .iter()
            .map(|l| model.tier(*l))
            .collect(),
        threshold: settings.concentration_threshold,
        vendors: model
            .live()
            .filter(|p| settings.concentration_tiers.contains(&p.assessment.tier))
            .count(),
    };
    Groups {
        groups,
        pages,
        policy,
    }
}

/// `subprocessors/index.html`.
pub struct SubprocessorIndex;

fn listing(model: &Model) -> Arc<Listing> {
    model.memo.get("subprocessors-listing", || {
        let n = super::cross(model).subprocessors.groups.len();
        let per = model.registry.settings.rows_per_page;
        Listing::new(NAME, INDEX_DIR, n, per, Vec::new())
    })
}

const NAME: &str = "subprocessors";
const INDEX_DIR: &str = "subprocessors/";

impl Page for SubprocessorIndex {
    type Data = SubprocessorsPage;
    const TEMPLATE: &'static str = "subprocessors.html";
    const SECTION: NavSection = NavSection::Subprocessors;
    const KEY: &'static str = "subprocessors";

    fn count(&self, model: &Model) -> usize {
        listing(model).count()
    }

    fn target<'m>(&self, model: &'m Model, i: usize) -> Target<'m> {
        let l = listing(model);
        Target {
            path: l.path(i).into(),
            title: page_title("Subprocessors", i, l.count()).into(),
        }
    }

    fn data(&self, model: &Model, i: usize) -> SubprocessorsPage {
        let cross = super::cross(model);
        let g = &cross.subprocessors;
        let l = listing(model);
        SubprocessorsPage {
            rows: l
                .window(i)
                .iter()
                .filter_map(|&r| g.groups.get(r).map(|x| x.row.clone()))
                .collect(),
            table: l.view(i),
            tiers: model.all_tiers(),
            concentration: g.policy.clone(),
        }
    }
}

/// The columns of `subprocessors/rows.js`, as `subprocessors.html` draws them.
const COLUMNS: Columns = Columns {
    sort: &["name", "tier", "vendors", "concentration"],
    filters: &["tier", "status"],
    cells: &[
        ("th", ""),
        ("td", ""),
        ("td", "num"),
        ("td", "num"),
        ("td", ""),
        ("td", ""),
        ("td", ""),
    ],
};

/// `subprocessors/rows.js`: every subprocessor row for vetted.js.
pub fn script(model: &Model) -> Result<OutFile, Error> {
    let cross = super::cross(model);
    let g = &cross.subprocessors;
    let rows: Vec<DataRow> = g.groups.iter().map(|x| data_row(&x.row)).collect();
    data_script(&format!("{INDEX_DIR}rows.js"), NAME, &COLUMNS, &rows)
}

fn data_row(r: &SubprocessorRow) -> DataRow {
    let products = if r.products == 1 {
        "product"
    } else {
        "products"
    };
    let mut conc = vec![Part::Text(r.concentration.to_string())];
    if r.concentrated {
        conc.push(Part::Text(" ".into()));
        let b = Badge::new("concentrated", "Concentrated", Tone::Warn, 1);
        conc.push(Part::Badge(b));
    }
    let regions = if r.regions.is_empty() {
        vec![Part::Muted("Not stated".into())]
    } else {
        vec![Part::Text(r.regions.join("; "))]
    };
    DataRow {
        key: r.href.clone(),
        sort: vec![
            json!(r.name.to_lowercase()),
            json!(r.top_tier.level),
            json!(r.vendors),
            json!(r.concentration),
        ],
        filter: vec![
            r.tier_levels.clone(),
            if r.concentrated { "concentrated" } else { "" }.to_string(),
        ],
        cells: vec![
            vec![Part::Link(r.name.clone(), r.href.clone())],
            vec![Part::Tier(r.top_tier.clone())],
            vec![
                Part::Text(r.vendors.to_string()),
                Part::Sub(format!("{} {products}", r.products)),
            ],
            conc,
            vec![Part::Text(r.services.join("; "))],
            vec![Part::Text(r.data.join(", "))],
            regions,
        ],
    }
}

/// `subprocessors/<slug>/index.html` (and its further pages).
pub struct SubprocessorPages;

impl Page for SubprocessorPages {
    type Data = SubprocessorPage;
    const TEMPLATE: &'static str = "subprocessor.html";
    const SECTION: NavSection = NavSection::Subprocessors;
    const KEY: &'static str = "subprocessor";

    fn count(&self, model: &Model) -> usize {
        super::cross(model).subprocessors.pages.len()
    }

    fn target<'m>(&self, model: &'m Model, i: usize) -> Target<'m> {
        let cross = super::cross(model);
        let g = &cross.subprocessors;
        let Some((x, n)) = g
            .pages
            .get(i)
            .and_then(|(x, n)| Some((g.groups.get(*x)?, *n)))
        else {
            return Target::fixed("subprocessors/index.html", "Subprocessors");
        };
        let pages = page_count(x.uses.len(), USES_PER_PAGE);
        Target {
            path: page_path(&format!("{DIR}/{}", x.slug), n).into(),
            title: page_title(&x.row.name, n, pages).into(),
        }
    }

    fn data(&self, model: &Model, i: usize) -> SubprocessorPage {
        let cross = super::cross(model);
        let g = &cross.subprocessors;
        let (x, n) = g.pages.get(i).copied().unwrap_or((0, 0));
        let group = g.groups.get(x);
        let uses = group.map_or(&[][..], |x| &x.uses[..]);
        let dir = group.map_or_else(String::new, |x| format!("{DIR}/{}", x.slug));
        SubprocessorPage {
            summary: group.map_or_else(|| empty_row(model), |x| x.row.clone()),
            names: group.map(|x| x.names.clone()).unwrap_or_default(),
            rows: page_rows(uses, n, USES_PER_PAGE),
            pager: pager(&dir, n, uses.len(), USES_PER_PAGE),
            tiers: model.all_tiers(),
            policy: g.policy.clone(),
        }
    }
}

/// Never shown: `data` is only asked for pages `count` listed.
fn empty_row(model: &Model) -> SubprocessorRow {
    SubprocessorRow {
        name: String::new(),
        href: String::new(),
        vendors: 0,
        products: 0,
        top_tier: model.tier(0),
        tier_levels: String::new(),
        services: Vec::new(),
        data: Vec::new(),
        regions: Vec::new(),
        concentration: 0,
        concentrated: false,
    }
}

//! The theme's contract as data: the view model of every page of the
//! example registry's site (assessed on 2026-11-22, without git history),
//! snapshotted as JSON, one snapshot per page. A change to what templates
//! receive shows up here in review; a removed or renamed field also raises
//! `VIEW_CONTRACT_VERSION` (README, theme section).

use std::collections::BTreeSet;
use std::path::Path;

use vetted::RegistryOptions;
use vetted::render::{VIEW_CONTRACT_VERSION, ViewModel, view_model};

const TODAY: &str = "2026-11-22";

/// The example registry's view model, as `vetted build --today 2026-11-22` sees it
/// (history left out: it would depend on this repository's commits).
fn example() -> ViewModel {
    let today = TODAY.parse().unwrap();
    let checked = vetted::load_and_validate(&RegistryOptions {
        registry: Path::new(env!("CARGO_MANIFEST_DIR")).join("registry"),
        today,
    })
    .unwrap();
    let registry = checked.registry.expect("the example registry validates");
    let assessment = vetted::assess::assess(&registry, today);
    view_model(&registry, &assessment, None).unwrap()
}

/// `vendors/acme/index.html` → `vendors-acme-index.html`.
fn snapshot_name(path: &str) -> String {
    path.replace('/', "-")
}

fn pretty<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

#[test]
fn every_page_view_is_snapshotted_as_json() {
    let mut model = example();
    // vetted's own version would change every snapshot on a release.
    model.site.version = "[version]".into();
    insta::assert_snapshot!(
        "site",
        pretty(&serde_json::json!({
            "contract_version": model.contract_version,
            "site": model.site,
        }))
    );
    insta::assert_snapshot!("search-index", pretty(&model.search));
    for page in &model.pages {
        insta::assert_snapshot!(snapshot_name(&page.page.path), pretty(page));
    }
}

#[test]
fn the_view_model_lists_every_page_once_with_its_contract_version() {
    let model = example();
    assert_eq!(model.contract_version, VIEW_CONTRACT_VERSION);
    assert_eq!(model.site.contract_version, VIEW_CONTRACT_VERSION);
    assert_eq!(model.site.today, TODAY);

    let paths: Vec<&str> = model.pages.iter().map(|p| p.page.path.as_str()).collect();
    let unique: BTreeSet<&str> = paths.iter().copied().collect();
    assert_eq!(
        unique.len(),
        paths.len(),
        "a path is declared twice: {paths:?}"
    );
    for fixed in [
        "index.html",
        "vendors/index.html",
        "calendar/index.html",
        "questionnaire/index.html",
        "findings/index.html",
        "changes/index.html",
        "changes.atom",
    ] {
        assert!(unique.contains(fixed), "{fixed} missing from {paths:?}");
    }
    // One page per vendor, by name, each with its own data.
    let vendors: Vec<&vetted::render::PageData> =
        model.pages.iter().filter(|p| p.key == "vendor").collect();
    assert_eq!(vendors.len(), 15);
    for v in &vendors {
        let slug = v.data["slug"].as_str().unwrap();
        assert_eq!(v.page.path, format!("vendors/{slug}/index.html"));
        assert_eq!(v.page.title, v.data["name"].as_str().unwrap());
        assert_eq!(v.page.root, "../../");
        assert_eq!(v.template, "vendor.html");
    }
    let names: Vec<String> = vendors
        .iter()
        .map(|v| v.data["name"].as_str().unwrap().to_lowercase())
        .collect();
    assert!(names.is_sorted(), "{names:?}");
}

#[test]
fn every_declared_template_is_in_the_default_theme() {
    let model = example();
    let templates: BTreeSet<&str> = vetted::render::DEFAULT_THEME
        .iter()
        .filter_map(|(path, _)| path.strip_prefix("templates/"))
        .collect();
    for page in &model.pages {
        assert!(
            templates.contains(page.template),
            "{} is drawn by {}, which the default theme lacks",
            page.page.path,
            page.template
        );
    }
}

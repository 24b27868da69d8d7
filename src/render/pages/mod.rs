//! The page kinds of the site: one trait, one file per kind, one registry that the plan, the sitemap, the menu and the reserved names iterate.
//!
//! A kind says which files it produces for an index ([`PageKind::plan`]), renders one of
//! them ([`PageKind::render`]), and may give its sitemap date and its menu entry. Adding a
//! kind means: its file here, one line in [`KINDS`], its template and its tests. What a page
//! reads is exactly the view it hands its template; `serve` skips a page whose view did not
//! change (see [`super::InputHashes`]), so no dependency list is kept by hand.

mod catalogue;
mod data;
mod departments;
mod discovery;
mod epci;
mod free_pages;
mod home;
mod markers;
mod not_found;
mod projects;
mod publics;
mod search;
mod sectors;
mod statistics;

use super::{RenderError, Rendered, Renderer, Shared};
use crate::catalogue::Catalogue;
use crate::model::{Date, Page, Project, Site};
use crate::routes::{index_of, listing_page_dir};
use crate::territory::{Department, Territories};
use rayon::prelude::*;

/// One kind of page (or file) of the site.
pub trait PageKind: Sync {
    /// A short stable name, for messages and tests (`projet`, `secteur`…).
    fn name(&self) -> &'static str;

    /// Adds every file of this kind to `plan`, in a deterministic order.
    fn plan(&self, s: &Scope<'_>, plan: &mut Plan);

    /// Whether [`PageKind::plan`] reads the files planned by the kinds before it
    /// ([`Plan::planned`]); the others are planned side by side.
    fn reads_plan(&self) -> bool {
        false
    }

    /// Renders one planned file of this kind.
    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError>;

    /// Whether this kind's files exist in every language of the site (under `<code>/` for
    /// the others); false for files every language shares, kept at the root only.
    fn in_every_language(&self) -> bool {
        true
    }

    /// Whether the sitemap lists this kind's HTML pages.
    fn in_sitemap(&self) -> bool {
        true
    }

    /// Last modification of a planned page, for the sitemap (`None`: no date given); the same
    /// for every page of a paginated listing (the sitemap asks it once per listing).
    fn lastmod(&self, _s: &Shared<'_>, _planned: &Planned) -> Option<Date> {
        None
    }

    /// This kind's entry in the main menu, if it has one.
    fn menu(&self) -> Option<MenuEntry> {
        None
    }

    /// The top-level folder this kind's pages live in (`secteurs`), if it owns one: free
    /// pages may not take that slug (checked against `routes::RESERVED_PAGE_SLUGS`).
    fn folder(&self) -> Option<&'static str> {
        None
    }
}

/// What the plan of a site depends on: its settings, published pages and listings.
pub struct Scope<'a> {
    /// Site settings.
    pub site: &'a Site,
    /// Published free pages.
    pub pages: &'a [Page],
    /// Published projects with their listings.
    pub catalogue: &'a Catalogue<'a>,
    /// The region's reference tables.
    pub territories: &'static Territories,
    /// The region's departments, in code order.
    pub departments: &'static [Department],
}

impl<'a> Scope<'a> {
    /// The scope of `catalogue`'s site.
    pub fn new(site: &'a Site, pages: &'a [Page], catalogue: &'a Catalogue<'a>) -> Scope<'a> {
        let territories = Territories::region();
        Scope {
            site,
            pages,
            catalogue,
            territories,
            departments: territories.departments(),
        }
    }
}

/// A main-menu entry of a page kind.
#[derive(Debug, Clone, Copy)]
pub struct MenuEntry {
    /// Key compared with `page.rubrique` to mark the current section.
    pub key: &'static str,
    /// Label.
    pub name: &'static str,
    /// Folder, relative to the root.
    pub path: &'static str,
}

/// Every page kind, in plan order (the sitemap lists pages in this order, the menu its
/// entries).
pub static KINDS: &[&dyn PageKind] = &[
    &home::Home,
    &catalogue::Catalogue,
    &search::SearchIndex,
    &sectors::SectorIndex,
    &sectors::SectorPage,
    &departments::TerritoryIndex,
    &departments::DepartmentPage,
    &departments::DepartmentSectorPage,
    &epci::EpciPage,
    &publics::PublicIndex,
    &publics::PublicPage,
    &free_pages::FreePage,
    &projects::ProjectPage,
    &projects::Radar,
    &data::DataPage,
    &markers::MarkerIndex,
    &markers::MarkerPage,
    &statistics::Statistics,
    &not_found::NotFound,
    &discovery::Robots,
    &discovery::Sitemap,
    &discovery::SiteFeed,
    &discovery::SectorFeed,
    &discovery::DepartmentFeed,
    &data::DataFiles,
];

/// One file to produce.
#[derive(Clone)]
pub struct Planned {
    /// Output path, relative to the output folder, `/`-separated.
    pub path: String,
    /// The kind that produces it.
    pub kind: &'static dyn PageKind,
    /// What the file is about, as its kind defines it (position of a project, sector,
    /// department, EPCI, marker, free page, data file…; 0 when the kind has one subject).
    pub item: usize,
    /// Second coordinate of the pages of a pair (the sector of a department × sector
    /// page), 0 otherwise.
    pub second: usize,
    /// Page number of a paginated listing (1 for single pages).
    pub page: usize,
}

impl Planned {
    /// The folder of a page (`secteurs/culture/` for `secteurs/culture/index.html`).
    pub fn dir(&self) -> &str {
        self.path.strip_suffix("index.html").unwrap_or(&self.path)
    }
}

impl std::fmt::Debug for Planned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({} {} {} {})",
            self.path,
            self.kind.name(),
            self.item,
            self.second,
            self.page
        )
    }
}

/// The plan being built by the kinds.
pub struct Plan {
    files: Vec<Planned>,
    kind: &'static dyn PageKind,
    per_page: usize,
}

impl Plan {
    /// The files planned so far (by the kinds before the current one in [`KINDS`]); only for
    /// a kind whose [`PageKind::reads_plan`] says so.
    pub fn planned(&self) -> &[Planned] {
        debug_assert!(
            self.kind.reads_plan(),
            "{} reads the plan without saying so",
            self.kind.name()
        );
        &self.files
    }

    /// Adds the file at `path` about `item`.
    pub fn file(&mut self, path: String, item: usize) {
        self.push(path, item, 0, 1);
    }

    /// Adds the `index.html` of folder `dir`, about `item`.
    pub fn single(&mut self, dir: &str, item: usize) {
        self.push(index_of(dir), item, 0, 1);
    }

    /// Adds every page of a listing of `count` items at `base`, about `(item, second)`.
    pub fn listing(&mut self, base: &str, count: usize, item: usize, second: usize) {
        for page in 1..=super::paths::page_count(count, self.per_page) {
            self.push(index_of(&listing_page_dir(base, page)), item, second, page);
        }
    }

    fn push(&mut self, path: String, item: usize, second: usize, page: usize) {
        self.files.push(Planned {
            path,
            kind: self.kind,
            item,
            second,
            page,
        });
    }
}

/// Every file of the site but the theme's static files, in registry order.
pub fn plan(s: &Scope<'_>) -> Vec<Planned> {
    let per_page = s.site.per_page.max(1);
    let mut files = Vec::new();
    // Runs of kinds that do not read the plan are planned in parallel, then appended in
    // registry order; a kind that reads it is planned after everything before it.
    for run in KINDS.split_inclusive(|kind| kind.reads_plan()) {
        let (readers, independent) = match run.split_last() {
            Some((last, rest)) if last.reads_plan() => (Some(*last), rest),
            _ => (None, run),
        };
        let planned: Vec<Vec<Planned>> = independent
            .par_iter()
            .map(|&kind| {
                let mut plan = Plan {
                    files: Vec::new(),
                    kind,
                    per_page,
                };
                kind.plan(s, &mut plan);
                plan.files
            })
            .collect();
        files.extend(planned.into_iter().flatten());
        if let Some(kind) = readers {
            let mut plan = Plan {
                files,
                kind,
                per_page,
            };
            kind.plan(s, &mut plan);
            files = plan.files;
        }
    }
    files
}

/// The output paths of the pages of a site publishing `projects` and `pages` (theme files
/// excluded): what link checking compares links with.
pub fn planned_paths(site: &Site, projects: &[Project], pages: &[Page]) -> Vec<String> {
    // Which files the plan holds depends on the groups' sizes, not on their order.
    let catalogue = Catalogue::unordered(projects);
    plan(&Scope::new(site, pages, &catalogue))
        .into_iter()
        .map(|planned| planned.path)
        .collect()
}

/// The main menu of the site's own sections, in registry order.
pub fn menu() -> impl Iterator<Item = MenuEntry> {
    KINDS.iter().filter_map(|kind| kind.menu())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Link checking takes the site's paths from a catalogue that is grouped but not sorted:
    /// they are the paths of the sorted catalogue's plan (demonstration site).
    #[test]
    fn the_paths_of_the_plan_do_not_depend_on_the_order() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let content = crate::content::load(root).unwrap();
        let validated = crate::validate::validate(&content, 2026);
        let projects: Vec<Project> = validated
            .projects
            .into_iter()
            .filter(|p| !p.draft)
            .collect();
        let catalogue = Catalogue::new(&projects);
        let mut sorted: Vec<String> =
            plan(&Scope::new(&validated.site, &validated.pages, &catalogue))
                .into_iter()
                .map(|planned| planned.path)
                .collect();
        let mut unordered = planned_paths(&validated.site, &projects, &validated.pages);
        assert!(sorted.len() > 200, "{}", sorted.len());
        sorted.sort();
        unordered.sort();
        assert_eq!(unordered, sorted);
    }

    #[test]
    fn every_kind_has_a_distinct_name() {
        let mut names: Vec<&str> = KINDS.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count, "{names:?}");
    }

    #[test]
    fn every_folder_of_a_kind_is_reserved_for_free_pages() {
        let folders: Vec<&str> = KINDS.iter().filter_map(|k| k.folder()).collect();
        assert!(folders.len() >= 7, "{folders:?}");
        for folder in folders {
            assert!(
                crate::routes::RESERVED_PAGE_SLUGS.contains(&folder),
                "{folder} is not in routes::RESERVED_PAGE_SLUGS"
            );
        }
    }

    #[test]
    fn menu_lists_the_site_sections_in_order() {
        let keys: Vec<&str> = menu().map(|m| m.key).collect();
        assert_eq!(
            keys,
            [
                "accueil",
                "projets",
                "secteurs",
                "territoires",
                "marqueurs",
                "statistiques"
            ]
        );
    }
}

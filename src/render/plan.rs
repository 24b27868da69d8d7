//! The page plan: every file the render stage produces, with what produces it.

use super::discovery::{
    FEED_FILE, FeedScope, ROBOTS_PATH, SITEMAP_PATH, feeds_enabled, sitemap_part_path,
    sitemap_split,
};
use super::opendata::{DATA_DIR, DataFile};
use super::paths::{listing_page_dir, page_count};
use crate::catalogue::Catalogue;
use crate::model::{Page, Site};
use crate::territory::Department;

/// What produces one output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// The home page.
    Home,
    /// Page `page` (1-based) of the catalogue.
    Catalogue {
        /// Page number.
        page: usize,
    },
    /// The page of the project at this position of the project slice.
    Project(usize),
    /// The standalone radar of the project at this position.
    Radar(usize),
    /// The sector index.
    Sectors,
    /// Page `page` of the sector at this position of `site.sectors`.
    Sector {
        /// Position in `site.sectors`.
        sector: usize,
        /// Page number.
        page: usize,
    },
    /// The department index.
    Territories,
    /// Page `page` of the department at this position of the region's departments.
    Department {
        /// Position in the region's departments.
        department: usize,
        /// Page number.
        page: usize,
    },
    /// Page `page` of a non-empty (department, sector) pair.
    DepartmentSector {
        /// Position in the region's departments.
        department: usize,
        /// Position in `site.sectors`.
        sector: usize,
        /// Page number.
        page: usize,
    },
    /// Page `page` of the EPCI at this position of the region's EPCI (`Territories::epcis`),
    /// planned only for EPCI with projects.
    Epci {
        /// Position in the region's EPCI.
        epci: usize,
        /// Page number.
        page: usize,
    },
    /// The free page at this position of the page slice.
    FreePage(usize),
    /// The "page not found" page.
    NotFound,
    /// `sitemap.xml` (only when the site knows its base URL): the sitemap, or the sitemap
    /// index when the pages exceed the limits of one sitemap.
    Sitemap,
    /// The sitemap of this number (from 1) listed by the sitemap index, when there is one.
    SitemapPart(usize),
    /// `robots.txt`.
    Robots,
    /// An Atom feed (only when the site knows its base URL and has projects).
    Feed(FeedScope),
    /// A file of the open data export (`donnees/…`).
    OpenData(DataFile),
    /// The page describing the open data (`donnees/index.html`).
    DataPage,
    /// The markers index (`marqueurs/index.html`).
    Markers,
    /// The page of the marker at this position of the radar order.
    Marker(usize),
    /// The statistics page (`statistiques/index.html`).
    Statistics,
    /// The search and filter index of the catalogue page (`projets/recherche.json`).
    SearchIndex,
}

/// One file to produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// Output path, relative to the output folder, `/`-separated.
    pub path: String,
    /// What produces it.
    pub job: Job,
}

/// Folder of a sector's page.
pub fn sector_dir(key: &str) -> String {
    format!("secteurs/{key}/")
}

/// Folder of a department's page.
pub fn department_dir(slug: &str) -> String {
    format!("territoires/{slug}/")
}

/// Folder of a (department, sector) page.
pub fn department_sector_dir(department_slug: &str, sector_key: &str) -> String {
    format!("territoires/{department_slug}/{sector_key}/")
}

/// Folder of an EPCI's page: under `territoires/epci/`, by SIREN (an EPCI may span two
/// departments, and its SIREN outlives its renamings).
pub fn epci_dir(siren: &str) -> String {
    format!("territoires/epci/{siren}/")
}

/// Folder of a project's page.
pub fn project_dir(slug: &str) -> String {
    format!("projets/{slug}/")
}

/// Every page of the site except static files, in a deterministic order.
pub fn plan(
    site: &Site,
    catalogue: &Catalogue<'_>,
    departments: &[Department],
    pages: &[Page],
) -> Vec<Planned> {
    let per_page = site.per_page.max(1);
    let mut plan = Vec::new();
    let single = |plan: &mut Vec<Planned>, dir: &str, job: Job| {
        plan.push(Planned {
            path: format!("{dir}index.html"),
            job,
        });
    };

    single(&mut plan, "", Job::Home);
    push_listing(&mut plan, "projets/", catalogue.len(), per_page, |page| {
        Job::Catalogue { page }
    });
    plan.push(Planned {
        path: super::search::SEARCH_INDEX_PATH.to_string(),
        job: Job::SearchIndex,
    });
    single(&mut plan, "secteurs/", Job::Sectors);
    for (sector, info) in site.sectors.iter().enumerate() {
        let count = catalogue.projects_in_sector(&info.key).len();
        push_listing(&mut plan, &sector_dir(&info.key), count, per_page, |page| {
            Job::Sector { sector, page }
        });
    }
    single(&mut plan, "territoires/", Job::Territories);
    for (department, info) in departments.iter().enumerate() {
        let count = catalogue.projects_in_department(&info.code).len();
        push_listing(
            &mut plan,
            &department_dir(&info.slug),
            count,
            per_page,
            |page| Job::Department { department, page },
        );
        for (sector, sector_info) in site.sectors.iter().enumerate() {
            let count = catalogue
                .projects_in_department_sector(&info.code, &sector_info.key)
                .len();
            if count > 0 {
                let dir = department_sector_dir(&info.slug, &sector_info.key);
                push_listing(&mut plan, &dir, count, per_page, |page| {
                    Job::DepartmentSector {
                        department,
                        sector,
                        page,
                    }
                });
            }
        }
    }
    for (epci, info) in crate::territory::Territories::region()
        .epcis()
        .iter()
        .enumerate()
    {
        let count = catalogue.projects_in_epci(&info.siren).len();
        if count > 0 {
            push_listing(&mut plan, &epci_dir(&info.siren), count, per_page, |page| {
                Job::Epci { epci, page }
            });
        }
    }
    for (index, page) in pages.iter().enumerate() {
        single(&mut plan, &format!("{}/", page.slug), Job::FreePage(index));
    }
    for &index in catalogue.listing() {
        if let Some(project) = catalogue.project(index) {
            let dir = project_dir(&project.slug);
            single(&mut plan, &dir, Job::Project(index));
            plan.push(Planned {
                path: format!("{dir}radar.svg"),
                job: Job::Radar(index),
            });
        }
    }
    single(&mut plan, DATA_DIR, Job::DataPage);
    single(&mut plan, super::insights::MARKERS_DIR, Job::Markers);
    for (marker, key) in crate::model::MARKER_KEYS.iter().enumerate() {
        single(
            &mut plan,
            &super::insights::marker_dir(key),
            Job::Marker(marker),
        );
    }
    single(&mut plan, super::insights::STATISTICS_DIR, Job::Statistics);
    plan.push(Planned {
        path: "404.html".to_string(),
        job: Job::NotFound,
    });
    push_discovery(&mut plan, site, catalogue, departments);
    plan
}

/// Adds robots.txt, the sitemap, the feeds and the open data files.
fn push_discovery(
    plan: &mut Vec<Planned>,
    site: &Site,
    catalogue: &Catalogue<'_>,
    departments: &[Department],
) {
    // Every HTML page is planned by now: the sitemap's split is known.
    let sitemaps = site
        .url_base
        .as_deref()
        .map(|base| sitemap_split(base, plan).len());
    let mut push = |path: String, job: Job| plan.push(Planned { path, job });
    push(ROBOTS_PATH.to_string(), Job::Robots);
    if let Some(count) = sitemaps {
        push(SITEMAP_PATH.to_string(), Job::Sitemap);
        if count > 1 {
            for number in 1..=count {
                push(sitemap_part_path(number), Job::SitemapPart(number));
            }
        }
    }
    if feeds_enabled(site, catalogue) {
        push(FEED_FILE.to_string(), Job::Feed(FeedScope::Site));
        for (index, sector) in site.sectors.iter().enumerate() {
            push(
                format!("{}{FEED_FILE}", sector_dir(&sector.key)),
                Job::Feed(FeedScope::Sector(index)),
            );
        }
        for (index, department) in departments.iter().enumerate() {
            push(
                format!("{}{FEED_FILE}", department_dir(&department.slug)),
                Job::Feed(FeedScope::Department(index)),
            );
        }
    }
    for file in DataFile::ALL {
        push(format!("{DATA_DIR}{}", file.name()), Job::OpenData(file));
    }
}

/// Adds every page of a paginated listing of `items` at `base`.
fn push_listing(
    plan: &mut Vec<Planned>,
    base: &str,
    items: usize,
    per_page: usize,
    job: impl Fn(usize) -> Job,
) {
    for page in 1..=page_count(items, per_page) {
        plan.push(Planned {
            path: format!("{}index.html", listing_page_dir(base, page)),
            job: job(page),
        });
    }
}

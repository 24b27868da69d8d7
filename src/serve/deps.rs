//! Which planned files a change of projects affects: a signature and the projects each shows.
//!
//! For every file of the page plan, [`dependencies`] records a *signature* (the values the
//! file reads from the whole catalogue: counts, the slugs it lists, the medians and related
//! projects it shows, as text) and the projects whose own data it shows. After an edit,
//! [`affected`] selects the files whose signature changed, which are new, or which show a
//! changed project; only those are rendered again.

use crate::catalogue::Catalogue;
use crate::model::{Page, Project, Site};
use crate::render::HOME_LATEST;
use crate::render::discovery::FeedScope;
use crate::render::paths::page_range;
use crate::render::plan::{self, Job};
use crate::stats::{self, MedianProfile, RELATED_MAX};
use crate::territory::Territories;
use std::collections::{BTreeSet, HashMap, HashSet};

/// How much of a project a file shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shows {
    /// Its card fields (title, summary, label, stage, sectors, territory, markers…): any
    /// change except to the Markdown body.
    Card,
    /// Everything, the body included.
    Everything,
}

/// What one planned file depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct FileDeps {
    /// Values read from the whole catalogue, as text.
    pub signature: String,
    /// Projects (by slug) whose data the file shows.
    pub projects: Vec<(String, Shows)>,
    /// The file reads every project (statistics, feeds, open data…).
    pub all: Option<Shows>,
}

/// The projects that changed between two versions of the content, by slug (added and
/// removed ones included).
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// Projects with any change.
    pub everything: BTreeSet<String>,
    /// Projects whose card fields changed (any field but the body).
    pub card: BTreeSet<String>,
}

impl Changes {
    /// Compares two versions of the project list.
    pub fn between(old: &[Project], new: &[Project]) -> Changes {
        let fingerprints = |projects: &[Project]| -> HashMap<String, (String, String)> {
            projects
                .iter()
                .map(|p| {
                    let everything = format!("{p:?}");
                    let card = format!(
                        "{:?}",
                        Project {
                            body: String::new(),
                            ..p.clone()
                        }
                    );
                    (p.slug.clone(), (everything, card))
                })
                .collect()
        };
        let (old, new) = (fingerprints(old), fingerprints(new));
        let mut changes = Changes::default();
        for slug in old.keys().chain(new.keys()) {
            match (old.get(slug), new.get(slug)) {
                (Some(a), Some(b)) => {
                    if a.0 != b.0 {
                        changes.everything.insert(slug.clone());
                    }
                    if a.1 != b.1 {
                        changes.card.insert(slug.clone());
                    }
                }
                _ => {
                    changes.everything.insert(slug.clone());
                    changes.card.insert(slug.clone());
                }
            }
        }
        changes
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.everything.is_empty()
    }

    fn touches(&self, slug: &str, shows: Shows) -> bool {
        match shows {
            Shows::Card => self.card.contains(slug),
            Shows::Everything => self.everything.contains(slug),
        }
    }

    fn any(&self, shows: Shows) -> bool {
        match shows {
            Shows::Card => !self.card.is_empty(),
            Shows::Everything => !self.everything.is_empty(),
        }
    }
}

/// The dependencies of every planned file (theme files excluded), by output path.
pub fn dependencies(
    site: &Site,
    projects: &[Project],
    pages: &[Page],
) -> HashMap<String, FileDeps> {
    let territories = Territories::region();
    let departments = territories.departments();
    let catalogue = Catalogue::new(projects);
    // What project pages show besides the project: its related projects and the median
    // profile of its first sector (as computed by the render stage).
    let related = stats::all_related(&catalogue, &site.scale, RELATED_MAX);
    let sector_medians: Vec<MedianProfile> = site
        .sectors
        .iter()
        .map(|s| {
            MedianProfile::of(
                catalogue
                    .projects_in_sector(&s.key)
                    .iter()
                    .filter_map(|&i| catalogue.project(i)),
            )
        })
        .collect();
    let per_page = site.per_page.max(1);
    let slug = |i: usize| catalogue.project(i).map_or("", |p| p.slug.as_str());
    let slugs = |positions: &[usize]| positions.iter().map(|&i| slug(i)).collect::<Vec<_>>();
    // A page of a listing: how many, and which projects this page shows.
    let listing = |positions: &[usize], page: usize| {
        let shown = &positions[page_range(positions.len(), per_page, page)];
        (
            format!("{} {:?}", positions.len(), slugs(shown)),
            slugs(shown)
                .into_iter()
                .map(|s| (s.to_string(), Shows::Card))
                .collect::<Vec<_>>(),
        )
    };
    // Counts shown on the home page, the indexes and the sector and department pages.
    let counts = format!(
        "{} {:?} {:?} {:?} {:?}",
        catalogue.len(),
        catalogue.sector_counts().collect::<Vec<_>>(),
        catalogue.department_counts().collect::<Vec<_>>(),
        catalogue.department_sector_counts().collect::<Vec<_>>(),
        catalogue.epci_counts().collect::<Vec<_>>(),
    );
    let deps = |signature: String, projects: Vec<(String, Shows)>, all: Option<Shows>| FileDeps {
        signature,
        projects,
        all,
    };
    // A sector's or department's feed: the projects of that scope (an empty feed takes its
    // date from the whole catalogue).
    let scoped_feed = |shown: Vec<&str>| FileDeps {
        signature: format!("{shown:?}"),
        projects: shown
            .iter()
            .map(|s| (s.to_string(), Shows::Everything))
            .collect(),
        all: shown.is_empty().then_some(Shows::Everything),
    };
    plan::plan(site, &catalogue, departments, pages)
        .into_iter()
        .map(|planned| {
            let d = match planned.job {
                Job::Home => {
                    let latest = catalogue.latest_labelled(HOME_LATEST);
                    let shown = slugs(latest);
                    deps(
                        format!("{counts} {shown:?}"),
                        shown.iter().map(|s| (s.to_string(), Shows::Card)).collect(),
                        None,
                    )
                }
                Job::Catalogue { page } => {
                    let (signature, shown) = listing(catalogue.listing(), page);
                    deps(signature, shown, None)
                }
                Job::Sectors | Job::Territories => deps(counts.clone(), Vec::new(), None),
                Job::Sector { sector, page } => {
                    let key = site.sectors.get(sector).map_or("", |s| s.key.as_str());
                    let (signature, shown) = listing(catalogue.projects_in_sector(key), page);
                    deps(format!("{counts} {signature}"), shown, None)
                }
                Job::Department { department, page } => {
                    let code = departments.get(department).map_or("", |d| d.code.as_str());
                    let (signature, shown) = listing(catalogue.projects_in_department(code), page);
                    deps(format!("{counts} {signature}"), shown, None)
                }
                Job::DepartmentSector {
                    department,
                    sector,
                    page,
                } => {
                    let code = departments.get(department).map_or("", |d| d.code.as_str());
                    let key = site.sectors.get(sector).map_or("", |s| s.key.as_str());
                    let (signature, shown) =
                        listing(catalogue.projects_in_department_sector(code, key), page);
                    deps(signature, shown, None)
                }
                Job::Epci { epci, page } => {
                    let siren = territories
                        .epcis()
                        .get(epci)
                        .map_or("", |e| e.siren.as_str());
                    let positions = catalogue.projects_in_epci(siren);
                    let (signature, _) = listing(positions, page);
                    // The EPCI page may place every project of the EPCI on its map.
                    let all = slugs(positions)
                        .into_iter()
                        .map(|s| (s.to_string(), Shows::Card))
                        .collect();
                    deps(signature, all, None)
                }
                Job::Project(index) => {
                    let mut shown = vec![(slug(index).to_string(), Shows::Everything)];
                    let neighbours: Vec<String> = related
                        .get(index)
                        .map(|list| {
                            list.iter()
                                .map(|(i, r)| format!("{} {r:?}", slug(*i)))
                                .collect()
                        })
                        .unwrap_or_default();
                    if let Some(list) = related.get(index) {
                        shown.extend(
                            list.iter()
                                .map(|(i, _)| (slug(*i).to_string(), Shows::Card)),
                        );
                    }
                    let median = catalogue
                        .project(index)
                        .and_then(|p| p.sectors.first())
                        .and_then(|key| site.sectors.iter().position(|s| &s.key == key))
                        .and_then(|position| sector_medians.get(position));
                    deps(format!("{neighbours:?} {median:?}"), shown, None)
                }
                Job::Radar(index) => deps(
                    String::new(),
                    vec![(slug(index).to_string(), Shows::Everything)],
                    None,
                ),
                Job::Feed(FeedScope::Sector(sector)) => {
                    let key = site.sectors.get(sector).map_or("", |s| s.key.as_str());
                    scoped_feed(slugs(catalogue.projects_in_sector(key)))
                }
                Job::Feed(FeedScope::Department(department)) => {
                    let code = departments.get(department).map_or("", |d| d.code.as_str());
                    scoped_feed(slugs(catalogue.projects_in_department(code)))
                }
                Job::SearchIndex
                | Job::Sitemap
                | Job::SitemapPart(_)
                | Job::Feed(FeedScope::Site)
                | Job::OpenData(_) => deps(String::new(), Vec::new(), Some(Shows::Everything)),
                Job::FreePage(_) | Job::NotFound | Job::Robots => {
                    deps(String::new(), Vec::new(), None)
                }
                // The data page, and any page reading aggregates of the whole catalogue
                // (markers, statistics): rendered again after every project change.
                _ => deps(String::new(), Vec::new(), Some(Shows::Everything)),
            };
            (planned.path, d)
        })
        .collect()
}

/// The planned files to render again: new ones, those whose signature changed and those
/// that show a changed project.
pub fn affected(
    old: &HashMap<String, FileDeps>,
    new: &HashMap<String, FileDeps>,
    changes: &Changes,
) -> HashSet<String> {
    new.iter()
        .filter(|(path, deps)| {
            let Some(before) = old.get(*path) else {
                return true;
            };
            before.signature != deps.signature
                || deps.all.is_some_and(|shows| changes.any(shows))
                || deps
                    .projects
                    .iter()
                    .any(|(slug, shows)| changes.touches(slug, *shows))
        })
        .map(|(path, _)| path.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deps(signature: &str, projects: &[(&str, Shows)], all: Option<Shows>) -> FileDeps {
        FileDeps {
            signature: signature.into(),
            projects: projects.iter().map(|(s, w)| (s.to_string(), *w)).collect(),
            all,
        }
    }

    #[test]
    fn selects_new_files_changed_signatures_and_shown_projects() {
        let old: HashMap<String, FileDeps> = [
            (
                "a".to_string(),
                deps("1", &[("p", Shows::Everything)], None),
            ),
            ("b".to_string(), deps("1", &[("q", Shows::Card)], None)),
            ("c".to_string(), deps("1", &[], None)),
            ("d".to_string(), deps("", &[], Some(Shows::Card))),
            ("e".to_string(), deps("", &[], Some(Shows::Everything))),
        ]
        .into_iter()
        .collect();
        let mut new = old.clone();
        new.insert("c".into(), deps("2", &[], None));
        new.insert("f".into(), deps("", &[], None));
        // Only p's body changed.
        let changes = Changes {
            everything: ["p".to_string()].into_iter().collect(),
            card: BTreeSet::new(),
        };
        let mut selected: Vec<_> = affected(&old, &new, &changes).into_iter().collect();
        selected.sort();
        assert_eq!(selected, ["a", "c", "e", "f"]);
        // q's card changed.
        let changes = Changes {
            everything: ["q".to_string()].into_iter().collect(),
            card: ["q".to_string()].into_iter().collect(),
        };
        let mut selected: Vec<_> = affected(&old, &old, &changes).into_iter().collect();
        selected.sort();
        assert_eq!(selected, ["b", "d", "e"]);
    }
}

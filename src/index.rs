//! Index stage: the catalogue made once per build (listings, parsed bodies, open-data records, medians, related projects), read by every later stage.
//!
//! [`Index::new`] does every per-project computation the later stages share, once and in
//! parallel: each body is parsed a single time into its sections (HTML with the links of a
//! project page, heading ids and titles) and its plain text (search); each project's open-data
//! record is made once (open data files and JSON-LD read it); medians, the projects that
//! practise each marker most and the related projects of every project are computed once.
//! Rendering, the search index, the open data export and `serve` only read it.
//!
//! Another language's index ([`Index::new_in`]) parses its bodies again (their texts, links
//! and paths differ) and makes its records (its titles, its address), but takes from the
//! default language's index what depends only on scores, sectors and territories: the
//! medians, the counts of strong scores and the related projects (ranked by score, then
//! slug). Only the top projects per marker, whose ties go by title, are ranked again.

use crate::catalogue::Catalogue;
use crate::markdown::{self, SectionedBody};
use crate::model::{CANONICAL_SECTIONS, MARKER_COUNT, Page, Project, Site};
use crate::render::opendata::{Record, record};
use crate::routes::{project_dir, racine};
use crate::stats::{self, MedianProfile, RELATED_MAX, Relatedness};
use crate::territory::Territories;
use rayon::prelude::*;

/// Most projects listed on a marker's page.
pub const MARKER_TOP_SHOWN: usize = 12;

/// The indexed catalogue of one build.
pub struct Index<'a> {
    /// Site settings.
    pub site: &'a Site,
    /// Published free pages.
    pub pages: &'a [Page],
    /// Published projects with their listings.
    pub catalogue: Catalogue<'a>,
    /// The region's reference tables.
    pub territories: &'static Territories,
    /// Each project's body, parsed once, by position (links relative to its page).
    pub bodies: Vec<SectionedBody>,
    /// Each project's open-data record, by position.
    pub records: Vec<Record>,
    /// Medians, top projects per marker and related projects.
    pub insights: Insights,
    /// In a language other than the default: the projects and pages shown with their texts
    /// in the default language, for want of a translation.
    pub untranslated: Option<Untranslated>,
}

/// The projects and pages of a language that have no translation into it.
#[derive(Debug, Clone, Default)]
pub struct Untranslated {
    /// The language their texts are in (the site's default).
    pub language: String,
    /// Slugs of the projects.
    pub projects: std::collections::HashSet<String>,
    /// Slugs of the free pages.
    pub pages: std::collections::HashSet<String>,
}

impl<'a> Index<'a> {
    /// Indexes the published `projects` and `pages` of `site`.
    pub fn new(site: &'a Site, projects: &'a [Project], pages: &'a [Page]) -> Index<'a> {
        Index::new_in(site, projects, pages, "", None, None)
    }

    /// [`Index::new`] for a language other than the default, whose pages are one folder
    /// down (`en/`): bodies link to shared files (`medias/`…) through `shared_prefix` (`../`).
    /// `default`, the default language's index of the same projects in the same order, lends
    /// its language-independent aggregates (see the module's doc).
    pub fn new_in(
        site: &'a Site,
        projects: &'a [Project],
        pages: &'a [Page],
        shared_prefix: &str,
        untranslated: Option<Untranslated>,
        default: Option<&Index<'_>>,
    ) -> Index<'a> {
        let territories = Territories::region();
        let catalogue = Catalogue::new(projects);
        // Every project page sits at the same depth: its links all start with this prefix.
        let base = racine(&format!("{}index.html", project_dir("x")));
        let shared_base = format!("{base}{shared_prefix}");
        let (bodies, records): (Vec<SectionedBody>, Vec<Record>) = projects
            .par_iter()
            .map(|project| {
                (
                    markdown::render_sections_in(&project.body, &base, &shared_base),
                    record(project, site, territories, site.url_base.as_deref()),
                )
            })
            .unzip();
        let insights = match default {
            Some(default) => default.insights.for_language(site, &catalogue),
            None => Insights::new(site, &catalogue, territories),
        };
        Index {
            site,
            pages,
            catalogue,
            territories,
            bodies,
            records,
            insights,
            untranslated,
        }
    }

    /// The open-data records ordered by slug (a stable order: adding a project never moves
    /// the others' relative positions, and diffs stay small).
    pub fn records_by_slug(&self) -> Vec<&Record> {
        let mut records: Vec<&Record> = self.records.iter().collect();
        records.sort_by(|a, b| a.slug.cmp(&b.slug));
        records
    }
}

/// Every aggregate of the build, computed once.
pub struct Insights {
    /// Median profile of the whole catalogue.
    pub catalogue: MedianProfile,
    /// Median profile of each sector, in the order of `site.sectors`.
    pub sectors: Vec<MedianProfile>,
    /// Median profile of each department, in the region's order.
    pub departments: Vec<MedianProfile>,
    /// For each marker, the positions of the projects that practise it, best first.
    pub top: Vec<Vec<usize>>,
    /// For each marker, how many projects score at least [`stats::strong_threshold`] on it.
    pub strong: Vec<usize>,
    /// For each project (by position), its related projects, best first.
    pub related: Vec<Vec<(usize, Relatedness)>>,
}

/// For each marker, the positions of the projects that practise it, best first.
fn top_by_marker(site: &Site, catalogue: &Catalogue<'_>) -> Vec<Vec<usize>> {
    (0..MARKER_COUNT)
        .map(|m| stats::top_by_marker(catalogue, m, &site.scale))
        .collect()
}

/// Id and title of each canonical section of a body (`None` when it lacks the section).
pub type SectionAnchors = [Option<(String, String)>; CANONICAL_SECTIONS.len()];

/// The canonical section anchors of a parsed body: the first section of each kind.
pub fn section_anchors(body: &SectionedBody) -> SectionAnchors {
    let mut anchors: SectionAnchors = Default::default();
    for section in &body.sections {
        if let Some(slot) = section.canonical.and_then(|i| anchors.get_mut(i))
            && slot.is_none()
        {
            *slot = Some((section.id.clone(), section.title.clone()));
        }
    }
    anchors
}

impl Insights {
    /// The aggregates of `catalogue`, the same projects as those these were computed from
    /// in another language: all taken from these but the top projects per marker, ranked
    /// again (their ties go by title).
    fn for_language(&self, site: &Site, catalogue: &Catalogue<'_>) -> Insights {
        Insights {
            catalogue: self.catalogue.clone(),
            sectors: self.sectors.clone(),
            departments: self.departments.clone(),
            top: top_by_marker(site, catalogue),
            strong: self.strong.clone(),
            related: self.related.clone(),
        }
    }

    /// Computes the aggregates of `catalogue`.
    fn new(site: &Site, catalogue: &Catalogue<'_>, territories: &Territories) -> Insights {
        let of = |positions: &[usize]| {
            MedianProfile::of(positions.iter().filter_map(|&i| catalogue.project(i)))
        };
        Insights {
            catalogue: MedianProfile::of(catalogue.all()),
            sectors: site
                .sectors
                .iter()
                .map(|s| of(catalogue.projects_in_sector(&s.key)))
                .collect(),
            departments: territories
                .departments()
                .iter()
                .map(|d| of(catalogue.projects_in_department(&d.code)))
                .collect(),
            top: top_by_marker(site, catalogue),
            strong: (0..MARKER_COUNT)
                .map(|m| stats::count_at_least(catalogue, m, stats::strong_threshold(&site.scale)))
                .collect(),
            related: stats::all_related(catalogue, &site.scale, RELATED_MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::{test_project, test_site};

    /// Another language's index, lent the default language's aggregates, has exactly those it
    /// would compute itself, though its titles (and so its listing order and ties) differ.
    #[test]
    fn another_language_shares_what_does_not_depend_on_it() {
        let site = test_site();
        let communes = ["80021", "59350", "60057", "80001", "59122"];
        let sectors = [
            site.sectors[0].key.as_str(),
            site.sectors[1 % site.sectors.len()].key.as_str(),
        ];
        let projects: Vec<Project> = (0..24)
            .map(|n| {
                let mut project = test_project(
                    &format!("projet-{n:02}"),
                    &format!("Projet {}", (b'a' + n as u8) as char),
                    2015 + (n % 3) as u16,
                    &[sectors[n % 2]],
                    &[communes[n % communes.len()]],
                );
                // Ties on some markers, not on others.
                project.markers[0] = Some(f64::from((n % 4) as u8) * 0.5);
                project.markers[3] = Some(f64::from((n % 7) as u8) * 0.5);
                project
            })
            .collect();
        // Translated titles in the reverse order of the French ones.
        let translated: Vec<Project> = projects
            .iter()
            .enumerate()
            .map(|(n, p)| {
                let mut p = p.clone();
                p.title = format!("Project {}", (b'z' - n as u8) as char);
                p
            })
            .collect();
        let default = Index::new(&site, &projects, &[]);
        let shared = Index::new_in(&site, &translated, &[], "../", None, Some(&default));
        let own = Index::new_in(&site, &translated, &[], "../", None, None);
        let (a, b) = (&shared.insights, &own.insights);
        assert_eq!(a.catalogue, b.catalogue);
        assert_eq!(a.sectors, b.sectors);
        assert_eq!(a.departments, b.departments);
        assert_eq!(a.strong, b.strong);
        assert_eq!(a.related, b.related);
        assert_eq!(a.top, b.top);
        // The ties of the top projects go by title: the languages rank them differently.
        assert_ne!(default.insights.top, b.top);
        assert!(b.related.iter().any(|r| r.len() > 1));
    }
}

//! Index stage: the catalogue made once per build (listings, parsed bodies, open-data records, medians, related projects), read by every later stage.
//!
//! [`Index::new`] does every per-project computation the later stages share, once and in
//! parallel: each body is parsed a single time into its sections (HTML with the links of a
//! project page, heading ids and titles) and its plain text (search); each project's open-data
//! record is made once, when first read (the open data files make them all in parallel, a
//! project page's JSON-LD its own); medians, the projects that
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
use crate::validate::stable_hash;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// A parsed body with the hash it is kept under in the memo (when one is kept).
type KeyedBody = (Option<u64>, Arc<SectionedBody>);

/// For each project (by position), its related projects, best first.
pub type Related = Vec<Vec<(usize, Relatedness)>>;

/// The distinct search terms of each project's text, by the hash of that text.
pub type SearchTerms = Mutex<HashMap<u64, Arc<[String]>>>;

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
    /// Each project's body, parsed once, by position (links relative to its page); shared
    /// with the memo that `serve` keeps between rebuilds.
    pub bodies: Vec<Arc<SectionedBody>>,
    /// Each project's open-data record, by position, made on first use (`serve` shows a few
    /// pages per rebuild; the open data files make them all, in parallel).
    records: Vec<OnceLock<Record>>,
    /// Medians, top projects per marker and related projects.
    pub insights: Insights,
    /// In a language other than the default: the projects and pages shown with their texts
    /// in the default language, for want of a translation.
    pub untranslated: Option<Untranslated>,
    /// The search terms of the previous index (`serve`), for the projects whose text is the
    /// same; the search index leaves its own there.
    pub search_terms: Option<&'a SearchTerms>,
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

/// What an index leaves for the next one (`serve` keeps one between rebuilds): the parsed
/// bodies and the related projects, reused where their inputs are the same.
#[derive(Debug, Default)]
pub struct Memo {
    /// Parsed bodies by the hash of their text and link prefixes.
    bodies: HashMap<u64, Arc<SectionedBody>>,
    /// The related projects of the last index, with the hash of what they were computed from.
    related: Option<(u64, Related)>,
    /// The search terms of each project's text.
    search_terms: SearchTerms,
}

/// The hash of what the related projects are computed from: each project's slug, sectors,
/// places and scores, in catalogue order, and the scale.
fn related_inputs_hash(projects: &[Project], scale: &crate::model::Scale) -> u64 {
    let per_project: Vec<_> = projects
        .iter()
        .map(|p| {
            let scores: Vec<Option<u64>> = p.markers.iter().map(|m| m.map(f64::to_bits)).collect();
            (
                &p.slug,
                &p.sectors,
                &p.territory.communes,
                &p.territory.epcis,
                &p.territory.departments,
                scores,
            )
        })
        .collect();
    stable_hash((
        scale.min.to_bits(),
        scale.max.to_bits(),
        scale.step.to_bits(),
        RELATED_MAX,
        per_project,
    ))
}

impl<'a> Index<'a> {
    /// Indexes the published `projects` and `pages` of `site`.
    pub fn new(site: &'a Site, projects: &'a [Project], pages: &'a [Page]) -> Index<'a> {
        Index::new_in(site, projects, pages, "", None, None)
    }

    /// [`Index::new`], taking from `memo` the bodies and related projects whose inputs have
    /// not changed since the index that filled it, and leaving this index's in it.
    pub fn new_reusing(
        site: &'a Site,
        projects: &'a [Project],
        pages: &'a [Page],
        memo: &'a mut Memo,
    ) -> Index<'a> {
        let mut index = Index::build(site, projects, pages, "", None, Some(&mut *memo), None);
        index.search_terms = Some(&memo.search_terms);
        index
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
        Index::build(
            site,
            projects,
            pages,
            shared_prefix,
            untranslated,
            None,
            default,
        )
    }

    fn build(
        site: &'a Site,
        projects: &'a [Project],
        pages: &'a [Page],
        shared_prefix: &str,
        untranslated: Option<Untranslated>,
        mut memo: Option<&mut Memo>,
        default: Option<&Index<'_>>,
    ) -> Index<'a> {
        let territories = Territories::region();
        let catalogue = Catalogue::new(projects);
        // Every project page sits at the same depth: its links all start with this prefix.
        let base = racine(&format!("{}index.html", project_dir("x")));
        let shared_base = format!("{base}{shared_prefix}");
        let known = memo.as_deref().map(|memo| &memo.bodies);
        let bodies: Vec<KeyedBody> = projects
            .par_iter()
            .map(|project| {
                let key = known.map(|_| stable_hash((&project.body, &base, &shared_base)));
                let body = match known.zip(key).and_then(|(bodies, key)| bodies.get(&key)) {
                    Some(body) => body.clone(),
                    None => Arc::new(markdown::render_sections_in(
                        &project.body,
                        &base,
                        &shared_base,
                    )),
                };
                (key, body)
            })
            .collect();
        let records = projects.iter().map(|_| OnceLock::new()).collect();
        let insights = match default {
            Some(default) => default.insights.for_language(site, &catalogue),
            None => {
                let related_key = memo
                    .as_deref()
                    .map(|_| related_inputs_hash(projects, &site.scale));
                let known_related = memo
                    .as_deref_mut()
                    .and_then(|memo| memo.related.take())
                    .filter(|(key, _)| Some(*key) == related_key)
                    .map(|(_, related)| related);
                let insights = Insights::new(site, &catalogue, territories, known_related);
                if let Some(memo) = memo.as_deref_mut() {
                    memo.related = related_key.map(|key| (key, insights.related.clone()));
                }
                insights
            }
        };
        if let Some(memo) = memo {
            memo.bodies = bodies
                .iter()
                .filter_map(|(key, body)| Some(((*key)?, body.clone())))
                .collect();
        }
        let bodies = bodies.into_iter().map(|(_, body)| body).collect();
        Index {
            site,
            pages,
            catalogue,
            territories,
            bodies,
            records,
            insights,
            untranslated,
            search_terms: None,
        }
    }

    /// The open-data record of the project at `position`.
    pub fn record(&self, position: usize) -> Option<&Record> {
        let project = self.catalogue.project(position)?;
        let site = self.site;
        Some(
            self.records
                .get(position)?
                .get_or_init(|| record(project, site, self.territories, site.url_base.as_deref())),
        )
    }

    /// The open-data records ordered by slug (a stable order: adding a project never moves
    /// the others' relative positions, and diffs stay small).
    pub fn records_by_slug(&self) -> Vec<&Record> {
        let mut records: Vec<&Record> = (0..self.records.len())
            .into_par_iter()
            .filter_map(|position| self.record(position))
            .collect();
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
    pub related: Related,
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

    /// Computes the aggregates of `catalogue`; the related projects are `related` when given
    /// (computed before from the same inputs).
    fn new(
        site: &Site,
        catalogue: &Catalogue<'_>,
        territories: &Territories,
        related: Option<Related>,
    ) -> Insights {
        let of = |positions: &[usize]| {
            MedianProfile::of(positions.iter().filter_map(|&i| catalogue.project(i)))
        };
        // Related projects are ranked in parallel; the other aggregates, a few sorts each,
        // are computed beside them.
        let (related, (medians, (top, strong))) = rayon::join(
            || related.unwrap_or_else(|| stats::all_related(catalogue, &site.scale, RELATED_MAX)),
            || {
                let medians = (
                    MedianProfile::of(catalogue.all()),
                    site.sectors
                        .iter()
                        .map(|s| of(catalogue.projects_in_sector(&s.key)))
                        .collect(),
                    territories
                        .departments()
                        .iter()
                        .map(|d| of(catalogue.projects_in_department(&d.code)))
                        .collect(),
                );
                let threshold = stats::strong_threshold(&site.scale);
                let strong = (0..MARKER_COUNT)
                    .map(|m| stats::count_at_least(catalogue, m, threshold))
                    .collect();
                (medians, (top_by_marker(site, catalogue), strong))
            },
        );
        let (catalogue_median, sectors, departments) = medians;
        Insights {
            catalogue: catalogue_median,
            sectors,
            departments,
            top,
            strong,
            related,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::{test_project, test_site};

    /// The demonstration's published projects.
    fn demonstration() -> (Site, Vec<Project>) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = crate::build::check(root).expect("demonstration site");
        let projects = std::mem::take(&mut checked.validated.projects);
        (checked.validated.site, projects)
    }

    /// An index made with a memo has the bodies and related projects of one made afresh,
    /// after edits to what they are computed from.
    #[test]
    fn an_index_reusing_a_memo_equals_one_made_afresh() {
        let (site, mut projects) = demonstration();
        let mut memo = Memo::default();
        let mut related_before = None;
        type Edit = fn(&mut Vec<Project>);
        let steps: [(&str, Edit); 5] = [
            ("first", |_| {}),
            ("nothing", |_| {}),
            ("body", |p| {
                p[0].body.push_str("\n\nUn paragraphe de plus.\n")
            }),
            ("sectors", |p| {
                let other = p[1].sectors.clone();
                p[0].sectors = other;
            }),
            ("scores", |p| {
                for score in p[0].markers.iter_mut() {
                    *score = Some(0.0);
                }
            }),
        ];
        for (name, step) in steps {
            step(&mut projects);
            let afresh = Index::new(&site, &projects, &[]);
            let reusing = Index::new_reusing(&site, &projects, &[], &mut memo);
            assert_eq!(reusing.bodies, afresh.bodies, "{name}");
            assert_eq!(reusing.insights.related, afresh.insights.related, "{name}");
            if name == "sectors" {
                assert_ne!(
                    Some(&afresh.insights.related),
                    related_before.as_ref(),
                    "the edit changes related projects"
                );
            }
            related_before = Some(afresh.insights.related.clone());
        }
    }

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

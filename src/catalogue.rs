//! Indexes over the validated projects: listing order, by sector, by department, by both.
//!
//! Built once per build; every index holds positions in the project slice (never clones),
//! kept in listing order, in `BTreeMap`s so that iteration is deterministic.

use crate::model::Project;
use crate::text::fold;
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// The catalogue: the projects with their indexes. Borrows the projects.
#[derive(Debug)]
pub struct Catalogue<'a> {
    projects: &'a [Project],
    /// Positions in `projects`, in listing order.
    listing: Vec<usize>,
    /// Positions in `projects`, most recently labelled first.
    latest: Vec<usize>,
    by_sector: BTreeMap<&'a str, Vec<usize>>,
    by_department: BTreeMap<&'a str, Vec<usize>>,
    /// Department code -> sector key -> positions.
    by_department_sector: BTreeMap<&'a str, BTreeMap<&'a str, Vec<usize>>>,
    /// EPCI SIREN -> positions of the projects acting in one of its communes.
    by_epci: BTreeMap<&'a str, Vec<usize>>,
    /// Target group key -> positions of the projects aimed at it.
    by_public: BTreeMap<&'a str, Vec<usize>>,
}

impl<'a> Catalogue<'a> {
    /// Indexes `projects` (any order; drafts are expected to be filtered out already).
    pub fn new(projects: &'a [Project]) -> Catalogue<'a> {
        let folded: Vec<String> = projects.par_iter().map(|p| fold(&p.title)).collect();
        let by_title = |a: usize, b: usize| {
            folded[a]
                .cmp(&folded[b])
                .then_with(|| projects[a].slug.cmp(&projects[b].slug))
                .then_with(|| a.cmp(&b))
        };

        // Both orders end on the position: an unstable sort gives what a stable one would.
        let (listing, latest) = rayon::join(
            || {
                let mut listing: Vec<usize> = (0..projects.len()).collect();
                listing.par_sort_unstable_by(|&a, &b| {
                    projects[b]
                        .label
                        .year
                        .cmp(&projects[a].label.year)
                        .then_with(|| by_title(a, b))
                });
                listing
            },
            || {
                let mut latest: Vec<usize> = (0..projects.len()).collect();
                latest.par_sort_unstable_by(|&a, &b| {
                    let (pa, pb) = (&projects[a].label, &projects[b].label);
                    pb.year
                        .cmp(&pa.year)
                        .then_with(|| match (pa.date, pb.date) {
                            (Some(da), Some(db)) => db.cmp(&da),
                            (Some(_), None) => Ordering::Less,
                            (None, Some(_)) => Ordering::Greater,
                            (None, None) => Ordering::Equal,
                        })
                        .then_with(|| by_title(a, b))
                });
                latest
            },
        );
        Catalogue::in_orders(projects, listing, latest)
    }

    /// `projects` grouped but not sorted (both orders are the slice's): for what depends only
    /// on which projects each group holds, such as the output paths of the site.
    pub fn unordered(projects: &'a [Project]) -> Catalogue<'a> {
        let order: Vec<usize> = (0..projects.len()).collect();
        Catalogue::in_orders(projects, order.clone(), order)
    }

    /// The catalogue of `projects` listed in `listing` order, `latest` first for the latest
    /// labelled; groups in listing order.
    fn in_orders(
        projects: &'a [Project],
        listing: Vec<usize>,
        latest: Vec<usize>,
    ) -> Catalogue<'a> {
        // Grouped by hash (tens of thousands of insertions into a few hundred groups), then
        // sorted once by key.
        type Groups<K> = foldhash::HashMap<K, Vec<usize>>;
        let mut by_sector: Groups<&str> = Groups::default();
        let mut by_department: Groups<&str> = Groups::default();
        let mut by_department_sector: Groups<(&str, &str)> = Groups::default();
        let mut by_epci: Groups<&str> = Groups::default();
        let mut by_public: Groups<&str> = Groups::default();
        for &index in &listing {
            let project = &projects[index];
            for public in &project.publics {
                push_once(by_public.entry(public).or_default(), index);
            }
            for sector in &project.sectors {
                push_once(by_sector.entry(sector).or_default(), index);
            }
            for epci in &project.territory.epcis {
                push_once(by_epci.entry(epci).or_default(), index);
            }
            for department in &project.territory.departments {
                push_once(by_department.entry(department).or_default(), index);
                for sector in &project.sectors {
                    push_once(
                        by_department_sector
                            .entry((department.as_str(), sector.as_str()))
                            .or_default(),
                        index,
                    );
                }
            }
        }
        let mut nested: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
        for ((department, sector), positions) in by_department_sector {
            nested
                .entry(department)
                .or_default()
                .insert(sector, positions);
        }
        let by_department_sector = nested;
        let [by_sector, by_department, by_epci, by_public] =
            [by_sector, by_department, by_epci, by_public]
                .map(|groups| groups.into_iter().collect());

        Catalogue {
            projects,
            listing,
            latest,
            by_sector,
            by_department,
            by_department_sector,
            by_epci,
            by_public,
        }
    }

    /// All projects, in the slice's order (positions used by the indexes refer to it).
    pub fn all(&self) -> &'a [Project] {
        self.projects
    }

    /// The project at position `index` of [`Catalogue::all`].
    pub fn project(&self, index: usize) -> Option<&'a Project> {
        self.projects.get(index)
    }

    /// Number of projects.
    pub fn len(&self) -> usize {
        self.projects.len()
    }

    /// Whether the catalogue has no project.
    pub fn is_empty(&self) -> bool {
        self.projects.is_empty()
    }

    /// Positions of all projects in listing order: label year descending, then title
    /// (case- and accent-insensitive), then slug.
    pub fn listing(&self) -> &[usize] {
        &self.listing
    }

    /// The projects in listing order.
    pub fn projects_in_listing_order(&self) -> impl Iterator<Item = &'a Project> + '_ {
        self.listing.iter().map(|&i| &self.projects[i])
    }

    /// Positions of the `count` most recently labelled projects (year, then decision date
    /// when given, then title).
    pub fn latest_labelled(&self, count: usize) -> &[usize] {
        &self.latest[..count.min(self.latest.len())]
    }

    /// Positions of the projects of a sector, in listing order (empty when none).
    pub fn projects_in_sector(&self, sector: &str) -> &[usize] {
        self.by_sector.get(sector).map_or(&[], Vec::as_slice)
    }

    /// Positions of the projects acting in a department, in listing order.
    pub fn projects_in_department(&self, department: &str) -> &[usize] {
        self.by_department
            .get(department)
            .map_or(&[], Vec::as_slice)
    }

    /// Positions of the projects of a sector acting in a department, in listing order.
    pub fn projects_in_department_sector(&self, department: &str, sector: &str) -> &[usize] {
        self.by_department_sector
            .get(department)
            .and_then(|sectors| sectors.get(sector))
            .map_or(&[], Vec::as_slice)
    }

    /// Positions of the projects aimed at the target group `public`, in listing order.
    pub fn projects_for_public(&self, public: &str) -> &[usize] {
        self.by_public.get(public).map_or(&[], Vec::as_slice)
    }

    /// Positions of the projects acting in a commune of an EPCI (by SIREN), in listing order.
    pub fn projects_in_epci(&self, siren: &str) -> &[usize] {
        self.by_epci.get(siren).map_or(&[], Vec::as_slice)
    }

    /// SIREN of the EPCI that have at least one project, with their counts, by SIREN.
    pub fn epci_counts(&self) -> impl Iterator<Item = (&'a str, usize)> + '_ {
        self.by_epci.iter().map(|(k, v)| (*k, v.len()))
    }

    /// Sector keys that have at least one project, with their counts, by key.
    pub fn sector_counts(&self) -> impl Iterator<Item = (&'a str, usize)> + '_ {
        self.by_sector.iter().map(|(k, v)| (*k, v.len()))
    }

    /// Department codes that have at least one project, with their counts, by code.
    pub fn department_counts(&self) -> impl Iterator<Item = (&'a str, usize)> + '_ {
        self.by_department.iter().map(|(k, v)| (*k, v.len()))
    }

    /// Non-empty (department code, sector key) pairs with their counts, ordered.
    pub fn department_sector_counts(
        &self,
    ) -> impl Iterator<Item = ((&'a str, &'a str), usize)> + '_ {
        self.by_department_sector
            .iter()
            .flat_map(|(department, sectors)| {
                sectors
                    .iter()
                    .map(move |(sector, list)| ((*department, *sector), list.len()))
            })
    }

    /// Number of sectors with at least one project.
    pub fn sectors_covered(&self) -> usize {
        self.by_sector.len()
    }

    /// Number of departments with at least one project.
    pub fn departments_covered(&self) -> usize {
        self.by_department.len()
    }
}

/// Appends `index` unless it is already the last one (a key listed twice in one project).
fn push_once(list: &mut Vec<usize>, index: usize) {
    if list.last() != Some(&index) {
        list.push(index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Date, Label, LegalForm, ProjectTerritory, Stage, Structure};

    fn project(slug: &str, title: &str, year: u16, sectors: &[&str], depts: &[&str]) -> Project {
        Project {
            slug: slug.into(),
            source: format!("content/projets/{slug}.md"),
            title: title.into(),
            summary: String::new(),
            label: Label { year, date: None },
            sectors: sectors.iter().map(|s| s.to_string()).collect(),
            territory: ProjectTerritory {
                communes: vec![],
                departments: depts.iter().map(|s| s.to_string()).collect(),
                epcis: vec![],
                scope: None,
            },
            stage: Stage::Emergence,
            publics: vec![],
            structure: Structure {
                name: "S".into(),
                legal_form: LegalForm::Association,
                siret: None,
                postal_code: "59000".into(),
                commune: "Lille".into(),
                website: None,
                esus: None,
            },
            partners: vec![],
            markers: [None; 12],
            replication: None,
            image: None,
            contact_email: None,
            updated: None,
            draft: false,
            body: String::new(),
        }
    }

    #[test]
    fn epci_index_lists_projects_of_each_of_their_epci() {
        let mut projects = sample();
        projects[1].territory.epcis = vec!["200".into(), "100".into()];
        projects[2].territory.epcis = vec!["100".into()];
        let catalogue = Catalogue::new(&projects);
        assert_eq!(
            slugs(&projects, catalogue.projects_in_epci("100")),
            ["e", "a"]
        );
        assert_eq!(slugs(&projects, catalogue.projects_in_epci("200")), ["a"]);
        assert!(catalogue.projects_in_epci("300").is_empty());
        let counts: Vec<_> = catalogue.epci_counts().collect();
        assert_eq!(counts, [("100", 2), ("200", 1)]);
    }

    fn sample() -> Vec<Project> {
        vec![
            project("b", "Bravo", 2018, &["alimentation"], &["59"]),
            project(
                "a",
                "alpha",
                2018,
                &["alimentation", "mobilite"],
                &["59", "62"],
            ),
            project("e", "Écho", 2020, &["mobilite"], &["80"]),
            project("c", "Charlie", 2016, &["mobilite", "mobilite"], &["62"]),
        ]
    }

    fn slugs<'a>(projects: &'a [Project], positions: &[usize]) -> Vec<&'a str> {
        positions
            .iter()
            .map(|&i| projects[i].slug.as_str())
            .collect()
    }

    #[test]
    fn listing_is_by_year_then_folded_title() {
        let projects = sample();
        let catalogue = Catalogue::new(&projects);
        assert_eq!(slugs(&projects, catalogue.listing()), ["e", "a", "b", "c"]);
        assert_eq!(catalogue.len(), 4);
    }

    #[test]
    fn indexes_follow_listing_order_and_multi_department_projects_appear_twice() {
        let projects = sample();
        let catalogue = Catalogue::new(&projects);
        assert_eq!(
            slugs(&projects, catalogue.projects_in_sector("mobilite")),
            ["e", "a", "c"]
        );
        assert_eq!(
            slugs(&projects, catalogue.projects_in_department("59")),
            ["a", "b"]
        );
        assert_eq!(
            slugs(&projects, catalogue.projects_in_department("62")),
            ["a", "c"]
        );
        assert_eq!(
            slugs(
                &projects,
                catalogue.projects_in_department_sector("62", "mobilite")
            ),
            ["a", "c"]
        );
        assert!(
            catalogue
                .projects_in_department_sector("80", "alimentation")
                .is_empty()
        );
        assert!(catalogue.projects_in_sector("inconnu").is_empty());
        let pairs: Vec<_> = catalogue.department_sector_counts().collect();
        assert_eq!(
            pairs,
            [
                (("59", "alimentation"), 2),
                (("59", "mobilite"), 1),
                (("62", "alimentation"), 1),
                (("62", "mobilite"), 2),
                (("80", "mobilite"), 1)
            ]
        );
        assert_eq!(catalogue.sectors_covered(), 2);
        assert_eq!(catalogue.departments_covered(), 3);
        let counts: Vec<_> = catalogue.department_counts().collect();
        assert_eq!(counts, [("59", 2), ("62", 2), ("80", 1)]);
    }

    #[test]
    fn latest_uses_the_decision_date() {
        let mut projects = sample();
        projects[0].label.date = Date::parse("2018-11-02");
        projects[1].label.date = Date::parse("2018-03-01");
        let catalogue = Catalogue::new(&projects);
        assert_eq!(
            slugs(&projects, catalogue.latest_labelled(3)),
            ["e", "b", "a"]
        );
        assert_eq!(catalogue.latest_labelled(10).len(), 4);
    }

    #[test]
    fn empty_catalogue_is_fine() {
        let catalogue = Catalogue::new(&[]);
        assert!(catalogue.is_empty());
        assert!(catalogue.latest_labelled(6).is_empty());
        assert_eq!(catalogue.sectors_covered(), 0);
    }
}

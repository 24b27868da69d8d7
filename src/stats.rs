//! Aggregates over the catalogue: median marker profiles, counts, top projects per marker and related projects.
//!
//! Everything here is computed once per build from the [`Catalogue`] and is pure (no I/O);
//! the render stage turns the results into the markers, statistics and project pages.
//!
//! **Medians** are taken over the *assessed* scores of a marker only (a `null` score is left
//! out, never counted as the minimum); a marker nobody assessed has no median ("non évalué").
//! With an even count, the median is the mean of the two middle values, so it may fall between
//! two steps of the scale (1,75 on a 0.5 scale): fine for an aggregate, which is no project's
//! score.
//!
//! **Related projects** of a project `a`: every other project `b` that shares at least one
//! sector, one department or one EPCI with it gets the score
//!
//! ```text
//! score(a, b) = 3 × secteurs + 2 × territoire + 1 × profil        (0 to 6)
//! secteurs   = shared sectors / number of sectors of a             (0 to 1)
//! territoire = 1 same commune, 2/3 same EPCI, 1/3 same department, 0 otherwise
//! profil     = 1 − RMS(a_i − b_i) / (max − min) over the markers both assessed (0 to 1),
//!              0 when no marker is assessed by both
//! ```
//!
//! ranked by score (highest first), then by slug; the first [`RELATED_MAX`] are kept. A
//! project sharing neither a sector nor a place is never suggested (it could score at most 1,
//! from its profile alone), which also bounds the work: only the projects of the commune,
//! EPCI, sector and department indexes of `a` are scored. (An EPCI may straddle a department
//! border: two projects in its communes on either side share the EPCI, not the department.)

use crate::catalogue::Catalogue;
use crate::model::{MARKER_COUNT, Project, Scale, Stage};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Most related projects shown on a project page.
pub const RELATED_MAX: usize = 6;

/// Weight of the shared sectors in the related-project score.
pub const WEIGHT_SECTORS: f64 = 3.0;
/// Weight of the shared territory in the related-project score.
pub const WEIGHT_TERRITORY: f64 = 2.0;
/// Weight of the profile similarity in the related-project score.
pub const WEIGHT_PROFILE: f64 = 1.0;

/// Median of `values` (sorted in place): the middle value, or the mean of the two middle
/// values for an even count; `None` when empty. Non-finite values are ignored.
pub fn median(values: &mut Vec<f64>) -> Option<f64> {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    })
}

/// The median profile of a group of projects.
#[derive(Debug, Clone, PartialEq)]
pub struct MedianProfile {
    /// Median of each marker over its assessed scores, in marker order; `None` when no
    /// project of the group assessed it.
    pub medians: [Option<f64>; MARKER_COUNT],
    /// Number of assessed scores behind each median.
    pub assessed: [usize; MARKER_COUNT],
    /// Number of projects in the group.
    pub projects: usize,
}

impl MedianProfile {
    /// The median profile of `projects`.
    pub fn of<'p>(projects: impl IntoIterator<Item = &'p Project>) -> MedianProfile {
        let mut columns: [Vec<f64>; MARKER_COUNT] = std::array::from_fn(|_| Vec::new());
        let mut count = 0;
        for project in projects {
            count += 1;
            for (column, score) in columns.iter_mut().zip(project.markers.iter()) {
                if let Some(score) = score.filter(|s| s.is_finite()) {
                    column.push(score);
                }
            }
        }
        let assessed = std::array::from_fn(|i| columns[i].len());
        let medians = columns.map(|mut column| median(&mut column));
        MedianProfile {
            medians,
            assessed,
            projects: count,
        }
    }
}

/// How two projects share a territory, from the closest tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TerritoryTie {
    /// No department in common.
    None,
    /// A department in common.
    Department,
    /// An EPCI in common.
    Epci,
    /// A commune in common.
    Commune,
}

impl TerritoryTie {
    /// The territory term of the score (0, 1/3, 2/3 or 1).
    pub fn weight(self) -> f64 {
        match self {
            TerritoryTie::None => 0.0,
            TerritoryTie::Department => 1.0 / 3.0,
            TerritoryTie::Epci => 2.0 / 3.0,
            TerritoryTie::Commune => 1.0,
        }
    }
}

/// Why a project is related to another, and how much.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Relatedness {
    /// Number of sectors in common.
    pub shared_sectors: usize,
    /// Closest territorial tie.
    pub territory: TerritoryTie,
    /// Profile similarity (0 to 1), `None` when no marker is assessed by both.
    pub profile: Option<f64>,
    /// The total score (0 to 6), see the module documentation.
    pub score: f64,
}

/// Whether two sorted-or-not small lists share an element.
fn intersects(a: &[String], b: &[String]) -> bool {
    a.iter().any(|x| b.contains(x))
}

/// Profile similarity of two score lists: 1 − RMS difference / scale span over the markers
/// both assessed; `None` when there is none.
pub fn profile_similarity(
    a: &[Option<f64>; MARKER_COUNT],
    b: &[Option<f64>; MARKER_COUNT],
    scale: &Scale,
) -> Option<f64> {
    let span = scale.max - scale.min;
    if !(span.is_finite() && span > 0.0) {
        return None;
    }
    let mut sum = 0.0;
    let mut count = 0usize;
    for (x, y) in a.iter().zip(b.iter()) {
        if let (Some(x), Some(y)) = (x, y)
            && x.is_finite()
            && y.is_finite()
        {
            let d = (x - y) / span;
            sum += d * d;
            count += 1;
        }
    }
    (count > 0).then(|| (1.0 - (sum / count as f64).sqrt()).clamp(0.0, 1.0))
}

/// A project's sectors, communes and EPCI as small sorted integer lists, for fast comparisons.
#[derive(Debug, Clone, Default)]
struct Features {
    sectors: Vec<u32>,
    communes: Vec<u32>,
    epcis: Vec<u32>,
}

/// Interns strings as integers (one table per kind of value).
#[derive(Default)]
struct Interner<'s>(std::collections::HashMap<&'s str, u32>);

impl<'s> Interner<'s> {
    fn ids(&mut self, values: &'s [String]) -> Vec<u32> {
        let mut ids: Vec<u32> = values
            .iter()
            .map(|v| {
                let next = self.0.len() as u32;
                *self.0.entry(v.as_str()).or_insert(next)
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// The features of every project, by position.
fn features(projects: &[Project]) -> Vec<Features> {
    let (mut sectors, mut communes, mut epcis) = (
        Interner::default(),
        Interner::default(),
        Interner::default(),
    );
    projects
        .iter()
        .map(|p| Features {
            sectors: sectors.ids(&p.sectors),
            communes: communes.ids(&p.territory.communes),
            epcis: epcis.ids(&p.territory.epcis),
        })
        .collect()
}

/// Number of values two sorted, deduplicated lists share.
fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The sector and territory terms of the score, weighted and summed.
fn partial_score(shared_sectors: usize, own_sectors: usize, territory: TerritoryTie) -> f64 {
    let sectors = if own_sectors == 0 {
        0.0
    } else {
        shared_sectors as f64 / own_sectors as f64
    };
    WEIGHT_SECTORS * sectors + WEIGHT_TERRITORY * territory.weight()
}

/// How related `b` is to `a` (not symmetric: the sector term counts `a`'s sectors).
///
/// Written over the strings, independently of the integer features that the ranking uses,
/// so that the tests can check one against the other.
pub fn relatedness(a: &Project, b: &Project, scale: &Scale) -> Relatedness {
    let distinct: Vec<&String> = a
        .sectors
        .iter()
        .enumerate()
        .filter(|(i, s)| !a.sectors[..*i].contains(s))
        .map(|(_, s)| s)
        .collect();
    let shared_sectors = distinct.iter().filter(|s| b.sectors.contains(s)).count();
    let (ta, tb) = (&a.territory, &b.territory);
    let territory = if intersects(&ta.communes, &tb.communes) {
        TerritoryTie::Commune
    } else if intersects(&ta.epcis, &tb.epcis) {
        TerritoryTie::Epci
    } else if intersects(&ta.departments, &tb.departments) {
        TerritoryTie::Department
    } else {
        TerritoryTie::None
    };
    let profile = profile_similarity(&a.markers, &b.markers, scale);
    Relatedness {
        shared_sectors,
        territory,
        profile,
        score: partial_score(shared_sectors, distinct.len(), territory)
            + WEIGHT_PROFILE * profile.unwrap_or(0.0),
    }
}

/// Ranking of two candidates: higher score first, then slug.
fn rank(a: (&Project, f64), b: (&Project, f64)) -> Ordering {
    b.1.total_cmp(&a.1).then_with(|| a.0.slug.cmp(&b.0.slug))
}

/// Which group of candidates is being scored (see [`related_with`]).
#[derive(Clone, Copy, PartialEq)]
enum Tier {
    /// Sharing a commune (any sector).
    Commune,
    /// Sharing an EPCI and a sector, and (not having been seen before) no commune.
    EpciAndSector,
    /// Sharing a sector and a department, and (not having been seen before) no commune or EPCI.
    SectorAndDepartment,
    /// Sharing a sector, and (not having been seen before) no place at all.
    SectorOnly,
    /// Sharing an EPCI, and (not having been seen before) no sector or commune.
    EpciOnly,
    /// Sharing a department, and (not having been seen before) no sector, commune or EPCI.
    DepartmentOnly,
}

/// What the related-project ranking reads besides the catalogue: the features of every
/// project and the projects of each commune, EPCI, and EPCI and sector (by interned ids),
/// built once per build.
struct Neighbourhood {
    features: Vec<Features>,
    by_commune: Vec<Vec<usize>>,
    by_epci: Vec<Vec<usize>>,
    /// Indexed by `epci * sector_count + sector`.
    by_epci_sector: Vec<Vec<usize>>,
    sector_count: usize,
}

impl Neighbourhood {
    fn of(projects: &[Project]) -> Neighbourhood {
        let features = features(projects);
        let count = |ids: fn(&Features) -> &[u32]| {
            features
                .iter()
                .flat_map(ids)
                .map(|&id| id as usize + 1)
                .max()
                .unwrap_or(0)
        };
        let (commune_count, epci_count) = (count(|f| &f.communes), count(|f| &f.epcis));
        let sector_count = count(|f| &f.sectors);
        let mut by_commune = vec![Vec::new(); commune_count];
        let mut by_epci = vec![Vec::new(); epci_count];
        let mut by_epci_sector = vec![Vec::new(); epci_count * sector_count];
        for (position, f) in features.iter().enumerate() {
            for &commune in &f.communes {
                by_commune[commune as usize].push(position);
            }
            for &epci in &f.epcis {
                by_epci[epci as usize].push(position);
                for &sector in &f.sectors {
                    by_epci_sector[epci as usize * sector_count + sector as usize].push(position);
                }
            }
        }
        Neighbourhood {
            features,
            by_commune,
            by_epci,
            by_epci_sector,
            sector_count,
        }
    }

    /// The projects of an EPCI sharing a sector (interned ids).
    fn in_epci_sector(&self, epci: u32, sector: u32) -> &[usize] {
        let at = epci as usize * self.sector_count + sector as usize;
        self.by_epci_sector.get(at).map_or(&[], Vec::as_slice)
    }
}

/// Positions in `lists` at `id` (empty when out of range).
fn listed(lists: &[Vec<usize>], id: u32) -> &[usize] {
    lists.get(id as usize).map_or(&[], Vec::as_slice)
}

/// The related projects of the project at `index`: at most `count` positions, best first,
/// with their relatedness. `seen` is scratch space of `catalogue.len()` entries (reused
/// between calls; any content).
///
/// Exact, but pruned: the projects sharing a commune, or an EPCI and a sector, are scored
/// first; then, by decreasing best possible score once those are seen, the projects sharing
/// a sector and a department (at most 3 + 2/3 + 1 with the default weights), only a sector
/// (3 + 1), only an EPCI (4/3 + 1) and only a department (2/3 + 1); each group is looked at
/// only while fewer than `count` kept projects score more than its maximum. A candidate whose sector and territory terms plus the largest
/// profile term cannot beat the last kept one is dropped before its profile is compared.
fn related_with(
    catalogue: &Catalogue<'_>,
    neighbourhood: &Neighbourhood,
    index: usize,
    scale: &Scale,
    count: usize,
    seen: &mut [usize],
) -> Vec<(usize, Relatedness)> {
    let projects = catalogue.all();
    let features = &neighbourhood.features;
    let (Some(a), Some(fa)) = (projects.get(index), features.get(index)) else {
        return Vec::new();
    };
    if count == 0 {
        return Vec::new();
    }
    let stamp = index;
    if let Some(slot) = seen.get_mut(index) {
        *slot = stamp; // never a candidate of itself
    }
    let own_sectors = fa.sectors.len();
    let mut best: Vec<(usize, Relatedness)> = Vec::with_capacity(count + 1);
    let mut visit = |candidate: usize, tier: Tier, best: &mut Vec<(usize, Relatedness)>| {
        match seen.get_mut(candidate) {
            Some(slot) if *slot != stamp => *slot = stamp,
            _ => return,
        }
        let (b, fb) = (&projects[candidate], &features[candidate]);
        let shared_sectors = match tier {
            Tier::EpciOnly | Tier::DepartmentOnly => 0,
            _ => shared(&fa.sectors, &fb.sectors),
        };
        let territory = match tier {
            Tier::Commune => TerritoryTie::Commune,
            Tier::EpciAndSector | Tier::EpciOnly => TerritoryTie::Epci,
            Tier::SectorAndDepartment | Tier::DepartmentOnly => TerritoryTie::Department,
            Tier::SectorOnly => TerritoryTie::None,
        };
        let partial = partial_score(shared_sectors, own_sectors, territory);
        let full = best.len() >= count;
        if full
            && best
                .last()
                .is_some_and(|(_, last)| partial + WEIGHT_PROFILE < last.score)
        {
            return;
        }
        let profile = profile_similarity(&a.markers, &b.markers, scale);
        let score = partial + WEIGHT_PROFILE * profile.unwrap_or(0.0);
        if full
            && best
                .last()
                .is_some_and(|&(i, last)| rank((b, score), (&projects[i], last.score)).is_ge())
        {
            return;
        }
        let at = best
            .partition_point(|&(i, other)| rank((&projects[i], other.score), (b, score)).is_lt());
        best.insert(
            at,
            (
                candidate,
                Relatedness {
                    shared_sectors,
                    territory,
                    profile,
                    score,
                },
            ),
        );
        best.truncate(count);
    };
    // The projects of a's communes, and those of its EPCI that share a sector.
    for &commune in &fa.communes {
        for &candidate in listed(&neighbourhood.by_commune, commune) {
            visit(candidate, Tier::Commune, &mut best);
        }
    }
    for &epci in &fa.epcis {
        for &sector in &fa.sectors {
            for &candidate in neighbourhood.in_epci_sector(epci, sector) {
                visit(candidate, Tier::EpciAndSector, &mut best);
            }
        }
    }
    // Each further group is looked at only while a project of it could still enter the
    // list; the groups come by decreasing best score, so once one is skipped, so are the
    // next ones, and each group's ties follow from what the previous ones have seen.
    let needed = |best: &Vec<(usize, Relatedness)>, tier_max: f64| {
        best.len() < count || best.last().is_some_and(|(_, r)| r.score <= tier_max)
    };
    let department_term = WEIGHT_TERRITORY * TerritoryTie::Department.weight();
    let epci_term = WEIGHT_TERRITORY * TerritoryTie::Epci.weight();
    if needed(&best, WEIGHT_SECTORS + department_term + WEIGHT_PROFILE) {
        for department in &a.territory.departments {
            for sector in &a.sectors {
                for &candidate in catalogue.projects_in_department_sector(department, sector) {
                    visit(candidate, Tier::SectorAndDepartment, &mut best);
                }
            }
        }
    }
    if needed(&best, WEIGHT_SECTORS + WEIGHT_PROFILE) {
        for sector in &a.sectors {
            for &candidate in catalogue.projects_in_sector(sector) {
                visit(candidate, Tier::SectorOnly, &mut best);
            }
        }
    }
    if needed(&best, epci_term + WEIGHT_PROFILE) {
        for &epci in &fa.epcis {
            for &candidate in listed(&neighbourhood.by_epci, epci) {
                visit(candidate, Tier::EpciOnly, &mut best);
            }
        }
    }
    if needed(&best, department_term + WEIGHT_PROFILE) {
        for department in &a.territory.departments {
            for &candidate in catalogue.projects_in_department(department) {
                visit(candidate, Tier::DepartmentOnly, &mut best);
            }
        }
    }
    best
}

/// The related projects of every project (by position), computed in parallel.
pub fn all_related(
    catalogue: &Catalogue<'_>,
    scale: &Scale,
    count: usize,
) -> Vec<Vec<(usize, Relatedness)>> {
    let n = catalogue.len();
    let neighbourhood = Neighbourhood::of(catalogue.all());
    (0..n)
        .into_par_iter()
        .map_init(
            || vec![usize::MAX; n],
            |seen, index| related_with(catalogue, &neighbourhood, index, scale, count, seen),
        )
        .collect()
}

/// The related projects of one project (see the module documentation).
pub fn related_projects(
    catalogue: &Catalogue<'_>,
    index: usize,
    scale: &Scale,
    count: usize,
) -> Vec<(usize, Relatedness)> {
    let mut seen = vec![usize::MAX; catalogue.len()];
    let neighbourhood = Neighbourhood::of(catalogue.all());
    related_with(catalogue, &neighbourhood, index, scale, count, &mut seen)
}

/// Positions of the projects that practise marker `marker` (score above the scale's
/// minimum), best first: score descending, then label year descending, then title (case-
/// and accent-insensitive), then slug.
pub fn top_by_marker(catalogue: &Catalogue<'_>, marker: usize, scale: &Scale) -> Vec<usize> {
    let projects = catalogue.all();
    // The listing is already by label year descending, then folded title, then slug: a
    // stable sort by score keeps that order among equal scores.
    let mut scored: Vec<(usize, f64)> = catalogue
        .listing()
        .iter()
        .filter_map(|&i| {
            let score = projects.get(i)?.markers.get(marker).copied().flatten()?;
            (score.is_finite() && score > scale.min + 1e-9).then_some((i, score))
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.into_iter().map(|(i, _)| i).collect()
}

/// The score from which a project counts as practising a marker strongly: one step below the
/// scale's maximum (2,5 on the default scale from 0 to 3), or the maximum itself when the
/// scale has a single step or is unusable.
pub fn strong_threshold(scale: &Scale) -> f64 {
    let threshold = scale.max - scale.step;
    if threshold.is_finite() && threshold > scale.min && threshold < scale.max {
        threshold
    } else {
        scale.max
    }
}

/// Number of projects whose score on `marker` is at least `threshold` (unassessed scores
/// never count).
pub fn count_at_least(catalogue: &Catalogue<'_>, marker: usize, threshold: f64) -> usize {
    catalogue
        .all()
        .iter()
        .filter(|p| {
            p.markers
                .get(marker)
                .copied()
                .flatten()
                .is_some_and(|score| score >= threshold - 1e-9)
        })
        .count()
}

/// Number of projects at each stage, in the order of [`Stage::ALL`] (zeros included).
pub fn stage_counts(projects: &[Project]) -> Vec<(Stage, usize)> {
    Stage::ALL
        .iter()
        .map(|&stage| (stage, projects.iter().filter(|p| p.stage == stage).count()))
        .collect()
}

/// Number of projects labelled each year, oldest year first (years without project left out).
pub fn year_counts(projects: &[Project]) -> Vec<(u16, usize)> {
    let mut counts: BTreeMap<u16, usize> = BTreeMap::new();
    for project in projects {
        *counts.entry(project.label.year).or_default() += 1;
    }
    counts.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Label, LegalForm, ProjectTerritory, Structure};

    fn project(
        slug: &str,
        sectors: &[&str],
        communes: &[&str],
        epcis: &[&str],
        depts: &[&str],
    ) -> Project {
        Project {
            slug: slug.into(),
            source: format!("content/projets/{slug}.md"),
            title: slug.to_uppercase(),
            summary: String::new(),
            label: Label {
                year: 2020,
                date: None,
            },
            sectors: sectors.iter().map(|s| s.to_string()).collect(),
            territory: ProjectTerritory {
                communes: communes.iter().map(|s| s.to_string()).collect(),
                departments: depts.iter().map(|s| s.to_string()).collect(),
                epcis: epcis.iter().map(|s| s.to_string()).collect(),
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
            markers: [Some(2.0); MARKER_COUNT],
            replication: None,
            image: None,
            contact_email: None,
            updated: None,
            draft: false,
            body: String::new(),
        }
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut vec![3.0, 1.0, 2.0, 0.5]), Some(1.5));
        assert_eq!(median(&mut vec![1.0, 2.5]), Some(1.75));
        assert_eq!(median(&mut vec![2.5]), Some(2.5));
        assert_eq!(median(&mut vec![]), None);
        assert_eq!(median(&mut vec![f64::NAN, 1.0]), Some(1.0));
    }

    #[test]
    fn median_profile_ignores_unassessed_scores() {
        let mut a = project("a", &["x"], &[], &[], &["59"]);
        let mut b = project("b", &["x"], &[], &[], &["59"]);
        let mut c = project("c", &["x"], &[], &[], &["59"]);
        a.markers = [None; MARKER_COUNT];
        a.markers[0] = Some(3.0);
        b.markers = [None; MARKER_COUNT];
        b.markers[0] = Some(0.0);
        b.markers[1] = Some(1.0);
        c.markers = [None; MARKER_COUNT];
        c.markers[0] = Some(1.0);
        c.markers[1] = Some(2.0);
        let profile = MedianProfile::of([&a, &b, &c]);
        assert_eq!(profile.projects, 3);
        assert_eq!(profile.medians[0], Some(1.0));
        assert_eq!(profile.assessed[0], 3);
        // a's null is ignored, not read as 0: median of 1 and 2.
        assert_eq!(profile.medians[1], Some(1.5));
        assert_eq!(profile.assessed[1], 2);
        assert_eq!(profile.medians[2], None);
        assert_eq!(profile.assessed[2], 0);
        let empty = MedianProfile::of(std::iter::empty::<&Project>());
        assert_eq!(empty.projects, 0);
        assert!(empty.medians.iter().all(Option::is_none));
    }

    #[test]
    fn profile_similarity_uses_jointly_assessed_markers() {
        let scale = Scale::default();
        let a = [Some(3.0); MARKER_COUNT];
        let mut b = [Some(0.0); MARKER_COUNT];
        assert_eq!(profile_similarity(&a, &b, &scale), Some(0.0));
        assert_eq!(profile_similarity(&a, &a, &scale), Some(1.0));
        b = [None; MARKER_COUNT];
        assert_eq!(profile_similarity(&a, &b, &scale), None);
        b[0] = Some(1.5);
        assert_eq!(profile_similarity(&a, &b, &scale), Some(0.5));
    }

    #[test]
    fn relatedness_follows_the_documented_formula() {
        let scale = Scale::default();
        let a = project("a", &["x", "y"], &["59350"], &["e1"], &["59"]);
        let mut b = project("b", &["y"], &["59009"], &["e1"], &["59"]);
        b.markers = [Some(0.5); MARKER_COUNT];
        let r = relatedness(&a, &b, &scale);
        assert_eq!(r.shared_sectors, 1);
        assert_eq!(r.territory, TerritoryTie::Epci);
        let expected = 3.0 * 0.5 + 2.0 * (2.0 / 3.0) + (1.0 - 1.5 / 3.0);
        assert!((r.score - expected).abs() < 1e-12, "{}", r.score);
    }

    #[test]
    fn related_projects_are_ranked_with_slug_tie_breaks() {
        let scale = Scale::default();
        let projects = vec![
            project("moi", &["alim"], &["59350"], &["e1"], &["59"]),
            // Same sector, same commune: 3 + 2 + 1 = 6.
            project("zz-commune", &["alim"], &["59350"], &["e1"], &["59"]),
            // Same sector, same EPCI: 3 + 4/3 + 1.
            project("epci", &["alim"], &["59009"], &["e1"], &["59"]),
            // Same sector, same department, twice (slug breaks the tie).
            project("dept-b", &["alim"], &["59512"], &["e2"], &["59"]),
            project("dept-a", &["alim"], &["59512"], &["e2"], &["59"]),
            // Same sector only: 3 + 0 + 1.
            project("secteur", &["alim"], &["80021"], &["e3"], &["80"]),
            // Same commune but another sector: 0 + 2 + 1.
            project("voisin", &["mobilite"], &["59350"], &["e1"], &["59"]),
            // Nothing in common: never suggested.
            project("ailleurs", &["mobilite"], &["80021"], &["e3"], &["80"]),
        ];
        let catalogue = Catalogue::new(&projects);
        let related = related_projects(&catalogue, 0, &scale, RELATED_MAX);
        let slugs: Vec<&str> = related
            .iter()
            .map(|(i, _)| projects[*i].slug.as_str())
            .collect();
        assert_eq!(
            slugs,
            [
                "zz-commune",
                "epci",
                "dept-a",
                "dept-b",
                "secteur",
                "voisin"
            ]
        );
        let top3 = related_projects(&catalogue, 0, &scale, 3);
        assert_eq!(top3.len(), 3);
        assert_eq!(projects[top3[2].0].slug, "dept-a");
        // The parallel version gives the same lists.
        let all = all_related(&catalogue, &scale, RELATED_MAX);
        assert_eq!(all[0], related);
        assert!(all[7].iter().all(|(i, _)| projects[*i].slug != "ailleurs"));
        assert!(related_projects(&catalogue, 0, &scale, 0).is_empty());
    }

    #[test]
    fn pruned_ranking_equals_brute_force() {
        let scale = Scale::default();
        const SECTORS: [&str; 8] = ["a", "b", "c", "d", "e", "f", "g", "h"];
        // e5 straddles the 02/80 border; the empty commune is a project given by its
        // department only.
        const PLACES: [(&str, &str, &str); 8] = [
            ("59350", "e1", "59"),
            ("59009", "e1", "59"),
            ("59122", "e2", "59"),
            ("80021", "e3", "80"),
            ("80001", "e4", "80"),
            ("02408", "e5", "02"),
            ("80620", "e5", "80"),
            ("", "", "62"),
        ];
        // Few sectors over many projects fill the nearer groups, which the bounds then skip.
        for (size, sector_count) in [(8usize, 8u64), (15, 8), (30, 8), (60, 8), (120, 3)] {
            for seed in 1..=12u64 {
                // A small deterministic generator (LCG): varied sectors, places and
                // profiles, with ties so that the slug tie-break matters.
                let mut state: u64 = seed;
                let mut next = |n: u64| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (state >> 33) % n
                };
                let projects: Vec<Project> = (0..size)
                    .map(|i| {
                        let place = PLACES[next(PLACES.len() as u64) as usize];
                        let first = next(sector_count) as usize;
                        let mut sectors = vec![SECTORS[first]];
                        if next(2) == 0 {
                            let other = (first as u64 + 1 + next(sector_count - 1)) % sector_count;
                            sectors.push(SECTORS[other as usize]);
                        }
                        let mut departments = vec![place.2];
                        if next(5) == 0 && place.2 != "62" {
                            departments.push("62");
                        }
                        let (communes, epcis): (&[&str], &[&str]) = if place.0.is_empty() {
                            (&[], &[])
                        } else {
                            (&[place.0], &[place.1])
                        };
                        let slug = format!("p{:03}", (i * 37) % size);
                        let mut p = project(&slug, &sectors, communes, epcis, &departments);
                        for m in p.markers.iter_mut() {
                            let v = next(8);
                            *m = (v < 7).then_some(v as f64 * 0.5);
                        }
                        p
                    })
                    .collect();
                let catalogue = Catalogue::new(&projects);
                let pruned = all_related(&catalogue, &scale, RELATED_MAX);
                for (i, a) in projects.iter().enumerate() {
                    let mut all: Vec<(usize, Relatedness)> = projects
                        .iter()
                        .enumerate()
                        .filter(|(j, b)| {
                            *j != i
                                && (intersects(&a.sectors, &b.sectors)
                                    || intersects(
                                        &a.territory.departments,
                                        &b.territory.departments,
                                    )
                                    || intersects(&a.territory.epcis, &b.territory.epcis))
                        })
                        .map(|(j, b)| (j, relatedness(a, b, &scale)))
                        .collect();
                    all.sort_by(|x, y| {
                        rank((&projects[x.0], x.1.score), (&projects[y.0], y.1.score))
                    });
                    all.truncate(RELATED_MAX);
                    assert_eq!(
                        pruned[i], all,
                        "size {size}, seed {seed}, project {}",
                        a.slug
                    );
                }
            }
        }
    }

    #[test]
    fn top_by_marker_sorts_by_score_year_then_title() {
        let scale = Scale::default();
        let mut projects = vec![
            project("b", &["x"], &[], &[], &["59"]),
            project("a", &["x"], &[], &[], &["59"]),
            project("c", &["x"], &[], &[], &["59"]),
            project("d", &["x"], &[], &[], &["59"]),
            project("e", &["x"], &[], &[], &["59"]),
        ];
        projects[0].markers[4] = Some(3.0);
        projects[1].markers[4] = Some(3.0);
        projects[2].markers[4] = Some(3.0);
        projects[2].label.year = 2022;
        projects[3].markers[4] = None;
        projects[4].markers[4] = Some(0.0);
        let catalogue = Catalogue::new(&projects);
        let top: Vec<&str> = top_by_marker(&catalogue, 4, &scale)
            .into_iter()
            .map(|i| projects[i].slug.as_str())
            .collect();
        assert_eq!(top, ["c", "a", "b"]);
    }

    #[test]
    fn strong_scores_count_from_one_step_below_the_maximum() {
        assert_eq!(strong_threshold(&Scale::default()), 2.5);
        let coarse = Scale {
            min: 0.0,
            max: 1.0,
            step: 1.0,
        };
        assert_eq!(strong_threshold(&coarse), 1.0);
        let broken = Scale {
            min: 0.0,
            max: 3.0,
            step: f64::NAN,
        };
        assert_eq!(strong_threshold(&broken), 3.0);
        let mut projects: Vec<Project> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|slug| project(slug, &["x"], &[], &[], &["59"]))
            .collect();
        for (p, score) in
            projects
                .iter_mut()
                .zip([Some(3.0), Some(2.5), Some(2.0), None, Some(2.5)])
        {
            p.markers[1] = score;
        }
        let catalogue = Catalogue::new(&projects);
        assert_eq!(count_at_least(&catalogue, 1, 2.5), 3);
        assert_eq!(count_at_least(&catalogue, 1, 3.0), 1);
        assert_eq!(
            count_at_least(&catalogue, 1, 0.0),
            4,
            "unassessed never counts"
        );
    }

    #[test]
    fn counts_by_stage_and_year() {
        let mut projects = vec![
            project("a", &["x"], &[], &[], &["59"]),
            project("b", &["x"], &[], &[], &["59"]),
        ];
        projects[1].stage = Stage::Essaimage;
        projects[1].label.year = 2018;
        let stages = stage_counts(&projects);
        assert_eq!(stages.len(), 4);
        assert_eq!(stages[0], (Stage::Emergence, 1));
        assert_eq!(stages[3], (Stage::Essaimage, 1));
        assert_eq!(year_counts(&projects), [(2018, 1), (2020, 1)]);
    }
}

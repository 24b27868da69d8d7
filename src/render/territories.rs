//! Territories in depth: EPCI pages, the region map (home, territories index) and the locator maps.

use super::Shared;
use super::views::{Entree, Lien, Listing};
use crate::map::{self, Class, MapDepartment, Outlines};
use crate::model::Project;
use crate::routes::{epci_dir, racine};
use crate::territory::Territories;
use crate::text::fold;
use serde::Serialize;
use std::collections::BTreeSet;

/// The region map with its legend and its text equivalent.
#[derive(Debug, Serialize)]
pub struct RegionMapView {
    /// The SVG, to print with `| safe` (departments as links, relative to the page).
    pub svg: String,
    /// The classes of the legend, lightest first, each with its swatch (`pastille`, SVG).
    pub legende: Vec<LegendEntry>,
    /// The text equivalent: every department with its count and class.
    pub departements: Vec<MapRow>,
    /// Credit of the data ("Sources : …").
    pub credit: String,
}

/// One class of the legend.
#[derive(Debug, Serialize)]
pub struct LegendEntry {
    /// The class (`min`, `max`, `couleur`, `hachures`, `libelle`).
    #[serde(flatten)]
    pub classe: Class,
    /// A 20 × 20 swatch as inline SVG (decorative: `aria-hidden`).
    pub pastille: String,
}

/// One department in the text equivalent of the map.
#[derive(Debug, Serialize)]
pub struct MapRow {
    /// Name.
    pub nom: String,
    /// INSEE code.
    pub code: String,
    /// Folder of its page, relative to the site root.
    pub chemin: String,
    /// Number of projects.
    pub nombre: usize,
    /// Legend text of its class.
    pub classe: String,
}

/// A department's own map and median radar (first page of its listing).
#[derive(Debug, Serialize)]
pub struct DepartmentPortrait {
    /// The map (SVG, `role="img"`): its outline, every commune as a grey dot, those where
    /// projects act as red discs; print it with `| safe`.
    pub carte: String,
    /// The text equivalent of the marks: the communes where projects act, by name.
    pub communes: Vec<CommuneCount>,
    /// Number of the department's communes drawn.
    pub nombre_communes: usize,
    /// Number of its projects that name no commune of the department (acting department-wide).
    pub sans_commune: usize,
    /// Credit of the map data.
    pub credit: String,
    /// The median radar of its projects with its table (`null` without project).
    pub mediane: Option<super::insights::MedianRadarView>,
}

/// A commune where projects act, with their number.
#[derive(Debug, Serialize)]
pub struct CommuneCount {
    /// Name.
    pub nom: String,
    /// INSEE code.
    pub code: String,
    /// Number of projects of the department acting there.
    pub nombre: usize,
}

/// The communes of department `code` where the projects at `positions` act, by name, and how
/// many of those projects name none of its communes.
pub(super) fn department_communes(
    s: &Shared<'_>,
    code: &str,
    positions: &[usize],
) -> (Vec<CommuneCount>, usize) {
    let t = s.territories;
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut without = 0;
    for project in positions.iter().filter_map(|&i| s.catalogue.project(i)) {
        let here: BTreeSet<&str> = project
            .territory
            .communes
            .iter()
            .filter_map(|c| current_code(t, c))
            .filter(|c| t.commune(c).is_some_and(|c| c.department == code))
            .collect();
        if here.is_empty() {
            without += 1;
        }
        for commune in here {
            *counts.entry(commune).or_default() += 1;
        }
    }
    let mut communes: Vec<CommuneCount> = counts
        .into_iter()
        .filter_map(|(c, nombre)| {
            let commune = t.commune(c)?;
            Some(CommuneCount {
                nom: commune.name.clone(),
                code: commune.code.clone(),
                nombre,
            })
        })
        .collect();
    communes.sort_by_cached_key(|c| (fold(&c.nom), c.code.clone()));
    (communes, without)
}

/// The map of department `code` (named `name`) with the communes of `communes` marked, and
/// the number of communes it draws.
pub(super) fn department_map(
    s: &Shared<'_>,
    code: &str,
    name: &str,
    communes: &[CommuneCount],
) -> (String, usize) {
    let all: Vec<&str> = Territories::region()
        .communes()
        .iter()
        .filter(|c| c.department == code)
        .map(|c| c.code.as_str())
        .collect();
    let marked: Vec<map::MarkedCommune<'_>> = communes
        .iter()
        .map(|c| map::MarkedCommune {
            code: &c.code,
            name: &c.nom,
            count: c.nombre,
        })
        .collect();
    let title = s.trn(
        "carte_departement_titre",
        communes.len(),
        &[("total", &all.len().to_string()), ("nom", name)],
    );
    let svg = map::department_map_svg(code, &all, &marked, &title, &format!("carte-{code}"))
        .unwrap_or_default();
    (svg, all.len())
}

/// An EPCI page (`territoires/epci/<siren>/`, paginated).
#[derive(Debug, Serialize)]
pub struct EpciPageView<'v> {
    /// Name.
    pub nom: String,
    /// SIREN.
    pub siren: String,
    /// Kind in French ("Communauté d'agglomération").
    pub nature: String,
    /// Departments of its communes in the region, linking to their pages.
    pub departements: &'v [Lien],
    /// Its communes in the region, by name; `projets` is true where a project of the page acts.
    pub communes: &'v [EpciCommune],
    /// Names of the communes where its projects act, by name.
    pub communes_projets: &'v [String],
    /// Locator map (SVG, `role="img"`): its communes in grey, those with projects in red.
    pub carte: &'v str,
    /// Credit of the map data.
    pub credit: String,
    /// Its projects.
    #[serde(flatten)]
    pub liste: Listing<'v>,
}

/// What every page of an EPCI shows above its projects (made once per build).
#[derive(Debug)]
pub struct EpciHead {
    /// Departments of its communes in the region, linking to their pages.
    pub departements: Vec<Lien>,
    /// Its communes in the region, by name, marked where a project acts.
    pub communes: Vec<EpciCommune>,
    /// Names of the communes where its projects act, by name.
    pub communes_projets: Vec<String>,
    /// Locator map (SVG).
    pub carte: String,
}

/// A commune of an EPCI.
#[derive(Debug, Serialize)]
pub struct EpciCommune {
    /// Name.
    pub nom: String,
    /// INSEE code.
    pub code: String,
    /// Whether a project of the catalogue acts there.
    pub projets: bool,
}

/// Name of an EPCI kind in the page's language ("Communauté d'agglomération").
pub fn epci_kind(s: &Shared<'_>, kind: &str) -> String {
    s.tr(match kind {
        "CC" => "epci_cc",
        "CA" => "epci_ca",
        "CU" => "epci_cu",
        "METRO" => "epci_metropole",
        _ => "epci_autre",
    })
}

/// The current commune code a project's commune code stands for (itself, or the current
/// commune of a delegated, associated or absorbed code).
pub(super) fn current_code<'t>(t: &'t Territories, code: &'t str) -> Option<&'t str> {
    if let Some(c) = t.commune(code) {
        return Some(c.code.as_str());
    }
    if let Some((_, current)) = t.former_commune(code) {
        return Some(current.code.as_str());
    }
    t.absorbed_into(code).map(|c| c.code.as_str())
}

/// The folder of an EPCI's page when the catalogue has one for it.
pub(super) fn epci_page(s: &Shared<'_>, siren: &str) -> Option<String> {
    (s.territories.epci(siren).is_some() && !s.catalogue.projects_in_epci(siren).is_empty())
        .then(|| epci_dir(siren))
}

/// The EPCI with projects that have a commune in a department, by name, with their counts.
pub(super) fn department_epcis(s: &Shared<'_>, department: &str) -> Vec<Entree> {
    let t = s.territories;
    let mut entries: Vec<Entree> = s
        .catalogue
        .epci_counts()
        .filter_map(|(siren, count)| {
            let epci = t.epci(siren)?;
            epci.departments
                .iter()
                .any(|d| d == department)
                .then(|| Entree {
                    nom: epci.name.clone(),
                    chemin: epci_dir(siren),
                    nombre: count,
                    description: epci_kind(s, &epci.kind),
                    cle: siren.to_string(),
                })
        })
        .collect();
    entries.sort_by_cached_key(|e| (fold(&e.nom), e.cle.clone()));
    entries
}

/// The region map as seen from the page at `path` (links relative to it); `id` prefixes the ids
/// inside the SVG.
pub(super) fn region_map(s: &Shared<'_>, path: &str, id: &str) -> RegionMapView {
    let root = racine(path);
    let max = s
        .department_entries
        .iter()
        .map(|e| e.nombre)
        .max()
        .unwrap_or(0);
    let mut classes = map::classes(max);
    let count = |n: usize| match n {
        0 => s.tr("aucun_projet_court"),
        n => s.trn("n_projets", n, &[]),
    };
    for class in &mut classes {
        class.libelle = if class.min == class.max {
            count(class.min)
        } else {
            s.trf(
                "projets_de_a",
                &[
                    ("min", &class.min.to_string()),
                    ("max", &class.max.to_string()),
                ],
            )
        };
    }
    let departments: Vec<MapDepartment<'_>> = s
        .department_entries
        .iter()
        .map(|e| MapDepartment {
            code: &e.cle,
            name: &e.nom,
            count: e.nombre,
            href: format!("{root}{}", e.chemin),
        })
        .collect();
    let title = s.tr("carte_region_titre");
    let svg = map::region_map_svg_in(
        &departments,
        &classes,
        id,
        &map::RegionMapTexts {
            title: &title,
            count: &count,
            department: &|name, count| {
                s.trf(
                    "carte_departement_info",
                    &[("nom", name), ("nombre", count)],
                )
            },
        },
    );
    let rows = s
        .department_entries
        .iter()
        .map(|e| MapRow {
            nom: e.nom.clone(),
            code: e.cle.clone(),
            chemin: e.chemin.clone(),
            nombre: e.nombre,
            classe: classes
                .iter()
                .find(|c| e.nombre >= c.min && e.nombre <= c.max)
                .map_or_else(String::new, |c| c.libelle.clone()),
        })
        .collect();
    let legende = classes
        .into_iter()
        .map(|classe| LegendEntry {
            pastille: swatch(&classe),
            classe,
        })
        .collect();
    RegionMapView {
        svg,
        legende,
        departements: rows,
        credit: s.tr("credit_cartes"),
    }
}

/// A legend swatch: a square of the class's fill, hatched for the empty class (decorative).
fn swatch(class: &Class) -> String {
    let hatching = if class.hachures {
        r##"<path d="M0 20L20 0M-5 5L5-5M15 25L25 15" stroke="#8a8a8a" stroke-width="2"/>"##
    } else {
        ""
    };
    format!(
        r##"<svg class="geo-pastille" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false"><rect x="0.5" y="0.5" width="19" height="19" fill="{}" stroke="#1e1e1e"/>{hatching}</svg>"##,
        class.couleur
    )
}

/// The locator map of a project: its departments filled, a dot at each of its communes.
pub(super) fn project_locator(s: &Shared<'_>, project: &Project) -> String {
    let t = s.territories;
    let outlines = Outlines::region();
    let mut names = Vec::new();
    let mut points = Vec::new();
    for code in &project.territory.communes {
        if let Some(current) = current_code(t, code) {
            if let Some(point) = outlines.commune_point(current) {
                points.push(point);
            }
            if let Some(c) = t.commune(current) {
                names.push(c.name.clone());
            }
        }
    }
    let departments: Vec<&str> = project
        .territory
        .departments
        .iter()
        .map(String::as_str)
        .collect();
    let department_names: Vec<&str> = departments
        .iter()
        .filter_map(|code| t.department(code).map(|d| d.name.as_str()))
        .collect();
    let title = if names.is_empty() {
        s.trf(
            "carte_situation",
            &[("lieux", &department_names.join(", "))],
        )
    } else {
        s.trf(
            "carte_situation",
            &[(
                "lieux",
                &format!("{} ({})", names.join(", "), department_names.join(", ")),
            )],
        )
    };
    map::locator_svg(
        &departments,
        &[],
        &points,
        &title,
        &format!("situation-{}", project.slug),
    )
}

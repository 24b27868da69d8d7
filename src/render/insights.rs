//! Marker pages, the statistics page, median overlays and related projects: computed once per build, rendered here.
//!
//! The aggregates (median profiles, the projects that practise each marker most, related
//! projects) are computed once by the index stage ([`crate::index::Insights`]); the page
//! functions below only read them. Formulas: see [`crate::stats`].

use super::views::{Lien, Miette, ScaleView};
use super::{RenderError, Rendered, Renderer, crumb, here, missing};
use crate::index::section_anchors;
use crate::model::{self, MARKER_COUNT, Project};
use crate::radar::{AxisLabels, RadarOptions, RadarSeries, radar_svg_with};
use crate::routes::{department_dir, project_dir, sector_dir};
use crate::stats::{
    MedianProfile, Relatedness, TerritoryTie, stage_counts, strong_threshold, year_counts,
};
use crate::text::slugify;
use serde::Serialize;

use crate::index::MARKER_TOP_SHOWN;
use crate::routes::{MARKERS_DIR, marker_dir};

/// Slug of the free page that explains the method, linked from the marker pages when present.
pub const METHOD_PAGE: &str = "methode";

/// The canonical body section (index in [`CANONICAL_SECTIONS`]) where a project shows best how
/// it practises each marker, in marker order: the need and the territory in "Contexte"; the
/// people, the collective, research, governance and resources in "Processus"; accessibility
/// and service in "Résultats"; breaking with the existing and social change in "Impacts".
pub const MARKER_SECTIONS: [usize; MARKER_COUNT] = [0, 1, 1, 1, 1, 0, 1, 1, 2, 2, 3, 3];

/// A marker on the markers index and on its own page.
#[derive(Debug, Serialize)]
pub struct MarkerEntry {
    /// Fixed key (`nature_collectif`).
    pub cle: &'static str,
    /// Name (site override or default).
    pub nom: String,
    /// What it means (site override or default).
    pub aide: String,
    /// Folder of its page.
    pub chemin: String,
    /// Number of projects that practise it (score above the scale's minimum).
    pub nombre: usize,
    /// Number of projects that practise it strongly: a score of at least `vue.seuil_fort`
    /// (2,5 on the default scale).
    pub nombre_fort: usize,
    /// That number as a percentage of the catalogue, rounded (0 to 100; the width of a bar).
    pub part_fort: u32,
    /// Median of the catalogue on this marker ("2,5"), `null` when nobody assessed it.
    pub mediane: Option<String>,
    /// Number of projects that assessed it.
    pub evalues: usize,
    /// Name of the body section its practice is best described in ("Processus").
    pub section: &'static str,
}

/// The markers index (`marqueurs/`).
#[derive(Debug, Serialize)]
pub struct MarkersView {
    /// The twelve markers, in radar order.
    pub marqueurs: Vec<MarkerEntry>,
    /// The "La méthode" free page, when the site has one.
    pub methode: Option<Lien>,
    /// Lowest and highest score of the scale, French format.
    pub bareme: ScaleView,
    /// The score from which a project counts as practising a marker strongly ("2,5": one
    /// step below the scale's maximum).
    pub seuil_fort: String,
    /// Number of projects in the catalogue.
    pub nombre_projets: usize,
}

/// A project that practises a marker, on the marker's page.
#[derive(Debug, Serialize)]
pub struct PractiseView {
    /// Title.
    pub titre: String,
    /// Summary.
    pub resume: String,
    /// Folder of its page.
    pub chemin: String,
    /// Its score on the marker ("3").
    pub note: String,
    /// Label year.
    pub annee: u16,
    /// Its sectors.
    pub secteurs: Vec<Lien>,
    /// Link to the body section where it describes this practice (`projets/x/#processus`),
    /// or to its markers (`#marqueurs`) when it has no such section.
    pub lien_section: String,
    /// Title of that section, `null` when the link goes to the markers.
    pub section: Option<String>,
}

/// The page of one marker (`marqueurs/<cle>/`).
#[derive(Debug, Serialize)]
pub struct MarkerPageView {
    /// The marker.
    pub marqueur: MarkerEntry,
    /// The "La méthode" free page, when the site has one.
    pub methode: Option<Lien>,
    /// The projects that practise it most (at most 12), best first.
    pub projets: Vec<PractiseView>,
    /// Highest score given on this marker ("3"), `null` when no project practises it.
    pub note_max: Option<String>,
    /// Number of projects with that highest score (may exceed the projects listed).
    pub nombre_note_max: usize,
    /// Highest score of the scale ("3").
    pub bareme_max: String,
    /// The score from which a project counts as practising a marker strongly ("2,5").
    pub seuil_fort: String,
    /// Number of projects in the catalogue.
    pub nombre_projets: usize,
    /// Previous and next markers in radar order (wrapping around).
    pub precedent: Lien,
    /// Next marker.
    pub suivant: Lien,
}

/// A row of a count table.
#[derive(Debug, Serialize)]
pub struct CountRow {
    /// What is counted (sector name, department, stage, year).
    pub nom: String,
    /// Its page, if any.
    pub chemin: Option<String>,
    /// Number of projects.
    pub nombre: usize,
    /// Width of its bar, 0 to 100 (percent of the largest count of the table).
    pub barre: u32,
}

/// A marker's median in a median table.
#[derive(Debug, Serialize)]
pub struct MedianRow {
    /// Marker name.
    pub nom: String,
    /// Median ("1,75"), `null`: "non évalué".
    pub mediane: Option<String>,
    /// Number of assessed scores behind it.
    pub evalues: usize,
}

/// A median radar with its table.
#[derive(Debug, Serialize)]
pub struct MedianRadarView {
    /// Id of the block (for in-page links).
    pub id: String,
    /// What the median is of ("Ensemble du catalogue", a sector or a department name).
    pub nom: String,
    /// Page of that sector or department, if any.
    pub chemin: Option<String>,
    /// Number of projects of the group.
    pub nombre_projets: usize,
    /// Inline SVG (print it with `| safe`): axes named for the whole catalogue; numbered,
    /// over the catalogue's median and without legend for a sector or a department (the
    /// small multiples of `statistiques/`).
    pub svg: String,
    /// For the whole catalogue, the same radar with numbered axes, for narrow displays
    /// (print it with `| safe`); `null` for the small multiples.
    pub svg_numerote: Option<String>,
    /// The twelve medians, in radar order.
    pub marqueurs: Vec<MedianRow>,
}

/// A table of counts.
#[derive(Debug, Serialize)]
pub struct CountTable {
    /// Id of its heading (`stats-secteurs`, `stats-departements`, `stats-stades`,
    /// `stats-annees`).
    pub id: &'static str,
    /// Heading ("Par secteur").
    pub titre: String,
    /// Caption of the table.
    pub legende: String,
    /// Header of the first column ("Secteur").
    pub entete: String,
    /// The rows.
    pub lignes: Vec<CountRow>,
}

/// The statistics page (`statistiques/`).
#[derive(Debug, Serialize)]
pub struct StatisticsView {
    /// Number of projects.
    pub nombre_projets: usize,
    /// Counts, in this order: by sector (every sector of the vocabulary, site order), by
    /// department (the five), by stage (the four, in order), by label year (oldest first).
    pub tableaux: Vec<CountTable>,
    /// Median radar of the whole catalogue.
    pub ensemble: MedianRadarView,
    /// Median radar of each sector that has projects.
    pub par_secteur: Vec<MedianRadarView>,
    /// Median radar of each department that has projects.
    pub par_departement: Vec<MedianRadarView>,
    /// Lowest and highest score of the scale, French format.
    pub bareme: ScaleView,
}

/// A radar in its two layouts (a page shows one, by the figure's width).
pub(crate) struct ProjectRadars {
    /// Axes named by the markers.
    pub names: String,
    /// Axes numbered as the markers table.
    pub numbers: String,
}

/// What a project's radar shows (its inputs, hashed with its page's view): the radar itself
/// is drawn only when the page is rendered (see [`Renderer::project_radar_plan`]).
#[derive(Serialize)]
pub(crate) struct ProjectRadarPlan<'p> {
    project_title: &'p str,
    scores: &'p [Option<f64>; MARKER_COUNT],
    /// The sector median's label and values.
    median: Option<(String, [Option<f64>; MARKER_COUNT])>,
    title: String,
    desc: String,
    id: String,
}

impl ProjectRadarPlan<'_> {
    /// The radar in both layouts.
    pub(crate) fn draw(&self, renderer: &Renderer<'_, '_>) -> ProjectRadars {
        let mut series = vec![RadarSeries {
            label: self.project_title,
            scores: self.scores,
            class: "projet",
        }];
        if let Some((label, medians)) = &self.median {
            series.push(RadarSeries {
                label,
                scores: medians,
                class: "mediane",
            });
        }
        renderer.both_layouts(&series, &self.title, &self.desc, &self.id)
    }
}

/// The numbered layout, with its legend (in French: callers give the page's texts).
const NUMBERED: RadarOptions<'static> = RadarOptions {
    labels: AxisLabels::Numbers,
    legend: true,
    texts: &crate::radar::FRENCH,
};

/// What ends the ids of a numbered radar shown on the same page as its named twin.
const NUMBERED_SUFFIX: &str = "-n";

/// A related project on a project page: its card and why it is suggested.
#[derive(Debug, Serialize)]
pub struct RelatedView<'v> {
    /// Its card (as in listings).
    pub carte: &'v super::Card,
    /// Reasons in French ("même secteur", "même commune", "profil proche à 85 %").
    pub raisons: Vec<String>,
}

/// Count rows with bars relative to the largest count.
fn count_rows(rows: Vec<(String, Option<String>, usize)>) -> Vec<CountRow> {
    let max = rows.iter().map(|r| r.2).max().unwrap_or(0);
    rows.into_iter()
        .map(|(nom, chemin, nombre)| CountRow {
            nom,
            chemin,
            nombre,
            barre: (nombre * 100 + max / 2).checked_div(max).unwrap_or(0) as u32,
        })
        .collect()
}

/// The reasons a related project is suggested, in the theme's texts of the page's language.
pub fn related_reasons(r: &Relatedness, texts: &super::texts::LanguageTexts) -> Vec<String> {
    let mut reasons = Vec::new();
    match r.shared_sectors {
        0 => {}
        n => reasons.push(texts.fill("raison_secteurs", Some(n), &[])),
    }
    match r.territory {
        TerritoryTie::Commune => reasons.push(texts.text("raison_commune").to_string()),
        TerritoryTie::Epci => reasons.push(texts.text("raison_epci").to_string()),
        TerritoryTie::Department => reasons.push(texts.text("raison_departement").to_string()),
        TerritoryTie::None => {}
    }
    if let Some(p) = r.profile {
        let percent = ((p * 100.0).round() as u32).to_string();
        reasons.push(texts.fill("raison_profil", None, &[("pourcentage", &percent)]));
    }
    reasons
}

impl Renderer<'_, '_> {
    /// The "La méthode" page, when the site has one.
    fn method_link(&self) -> Option<Lien> {
        self.shared
            .pages
            .iter()
            .find(|p| p.slug == METHOD_PAGE)
            .map(|p| Lien {
                nom: p.title.clone(),
                chemin: format!("{METHOD_PAGE}/"),
            })
    }

    /// The entry of marker `m`.
    fn marker_entry(&self, m: usize) -> Option<MarkerEntry> {
        let s = self.shared;
        let info = s.markers.get(m)?;
        let catalogue = &s.index.insights.catalogue;
        let strong = s.index.insights.strong.get(m).copied().unwrap_or(0);
        Some(MarkerEntry {
            cle: info.key,
            nom: info.name.clone(),
            aide: info.help.clone(),
            chemin: marker_dir(info.key),
            nombre: s.index.insights.top.get(m).map_or(0, Vec::len),
            nombre_fort: strong,
            part_fort: (strong * 100 + s.catalogue.len() / 2)
                .checked_div(s.catalogue.len())
                .unwrap_or(0) as u32,
            mediane: catalogue.medians[m].map(|v| s.score(v)),
            evalues: catalogue.assessed[m],
            section: model::canonical_sections(&s.site.language)[MARKER_SECTIONS[m]],
        })
    }

    /// `marqueurs/index.html`.
    pub(crate) fn markers_index(&self, path: &str, dir: String) -> Result<Rendered, RenderError> {
        let s = self.shared;
        let view = MarkersView {
            marqueurs: (0..MARKER_COUNT)
                .filter_map(|m| self.marker_entry(m))
                .collect(),
            methode: self.method_link(),
            bareme: ScaleView {
                min: s.score(s.site.scale.min),
                max: s.score(s.site.scale.max),
            },
            seuil_fort: s.score(strong_threshold(&s.site.scale)),
            nombre_projets: s.catalogue.len(),
        };
        let meta = s.meta(
            s.tr("les_douze_marqueurs"),
            dir,
            "marqueurs",
            true,
            vec![crumb(s.tr("accueil"), ""), here(s.tr("marqueurs"))],
        );
        self.page("marqueurs.html", path, &meta, &view)
    }

    /// `marqueurs/<cle>/index.html`.
    pub(crate) fn marker_page(
        &self,
        m: usize,
        path: &str,
        dir: String,
    ) -> Result<Rendered, RenderError> {
        let s = self.shared;
        let marqueur = self.marker_entry(m).ok_or_else(|| missing(path))?;
        let top = s.index.insights.top.get(m).map_or(&[][..], Vec::as_slice);
        let score = |i: usize| {
            s.catalogue
                .project(i)
                .and_then(|p| p.markers[m])
                .unwrap_or(f64::NAN)
        };
        let best = top.first().map(|&i| score(i));
        let nombre_note_max = best.map_or(0, |b| top.iter().filter(|&&i| score(i) == b).count());
        let wanted = MARKER_SECTIONS[m];
        let projets = top
            .iter()
            .take(MARKER_TOP_SHOWN)
            .filter_map(|&i| Some((i, s.catalogue.project(i)?)))
            .map(|(i, p)| {
                let anchors = s.index.bodies.get(i).map(|body| section_anchors(body));
                let section = anchors
                    .as_ref()
                    .and_then(|anchors| anchors[wanted].as_ref());
                PractiseView {
                    titre: p.title.clone(),
                    resume: p.summary.clone(),
                    chemin: project_dir(&p.slug),
                    note: p.markers[m].map(|v| s.score(v)).unwrap_or_default(),
                    annee: p.label.year,
                    secteurs: p.sectors.iter().map(|k| s.sector_link(k)).collect(),
                    lien_section: format!(
                        "{}#{}",
                        project_dir(&p.slug),
                        section.map_or("marqueurs", |(id, _)| id.as_str())
                    ),
                    section: section.map(|(_, title)| title.clone()),
                }
            })
            .collect();
        let neighbour = |k: usize| -> Lien {
            let info = &s.markers[k % s.markers.len().max(1)];
            Lien {
                nom: info.name.clone(),
                chemin: marker_dir(info.key),
            }
        };
        let title = marqueur.nom.clone();
        let view = MarkerPageView {
            projets,
            note_max: best.filter(|b| b.is_finite()).map(|v| s.score(v)),
            nombre_note_max,
            bareme_max: s.score(s.site.scale.max),
            seuil_fort: s.score(strong_threshold(&s.site.scale)),
            nombre_projets: s.catalogue.len(),
            methode: self.method_link(),
            precedent: neighbour(m + MARKER_COUNT - 1),
            suivant: neighbour(m + 1),
            marqueur,
        };
        let fil: Vec<Miette> = vec![
            crumb(s.tr("accueil"), ""),
            crumb(s.tr("marqueurs"), MARKERS_DIR),
            here(title.clone()),
        ];
        let meta = s.meta(title, dir, "marqueurs", false, fil);
        self.page("marqueur.html", path, &meta, &view)
    }

    /// A radar of the site's markers drawn in both layouts, named (ids from `id`) and
    /// numbered (ids from `id` and [`NUMBERED_SUFFIX`]).
    fn both_layouts(
        &self,
        series: &[RadarSeries<'_>],
        title: &str,
        desc: &str,
        id: &str,
    ) -> ProjectRadars {
        let site = self.shared.site;
        let draw = |options: RadarOptions, id: &str| {
            radar_svg_with(
                &self.shared.markers,
                &site.scale,
                series,
                title,
                desc,
                id,
                RadarOptions {
                    texts: &self.shared.radar_texts,
                    ..options
                },
            )
        };
        ProjectRadars {
            names: draw(RadarOptions::default(), id),
            numbers: draw(NUMBERED, &format!("{id}{NUMBERED_SUFFIX}")),
        }
    }

    /// A median radar and its table, drawn twice: axes named (wide displays) and numbered
    /// (narrow ones).
    pub(crate) fn median_radar(
        &self,
        id: String,
        nom: String,
        chemin: Option<String>,
        profile: &MedianProfile,
    ) -> MedianRadarView {
        self.median_block(id, nom, chemin, profile, false)
    }

    /// A median radar and its table: as [`Renderer::median_radar`], or with `small_multiple`
    /// a group's radar for the small multiples of `statistiques/`: numbered axes, over the
    /// catalogue's median (dashed) and without legend (the page shows one for all).
    fn median_block(
        &self,
        id: String,
        nom: String,
        chemin: Option<String>,
        profile: &MedianProfile,
        small_multiple: bool,
    ) -> MedianRadarView {
        let site = self.shared.site;
        let s = self.shared;
        let min = s.score(site.scale.min);
        let max = s.score(site.scale.max);
        let label = s.trf("mediane_de", &[("nom", &nom)]);
        let title = s.trf("profil_median_de", &[("nom", &nom)]);
        let projects = s.trn("n_projets", profile.projects, &[]);
        if small_multiple {
            let catalogue = &self.shared.index.insights.catalogue;
            let catalogue_label = s.tr("mediane_catalogue");
            let series = [
                RadarSeries {
                    label: &label,
                    scores: &profile.medians,
                    class: "groupe",
                },
                RadarSeries {
                    label: &catalogue_label,
                    scores: &catalogue.medians,
                    class: "mediane-catalogue",
                },
            ];
            let svg = radar_svg_with(
                &self.shared.markers,
                &site.scale,
                &series,
                &title,
                &s.trf(
                    "radar_medianes_comparees",
                    &[
                        ("projets", &projects),
                        ("catalogue", &s.trn("n_projets", catalogue.projects, &[])),
                        ("min", &min),
                        ("max", &max),
                    ],
                ),
                &id,
                RadarOptions {
                    labels: AxisLabels::Numbers,
                    legend: false,
                    texts: &s.radar_texts,
                },
            );
            return self.median_view(id, nom, chemin, profile, svg, None);
        }
        let series = [RadarSeries {
            label: &label,
            scores: &profile.medians,
            class: "mediane",
        }];
        let desc = s.trf(
            "radar_medianes",
            &[("projets", &projects), ("min", &min), ("max", &max)],
        );
        let radars = self.both_layouts(&series, &title, &desc, &id);
        self.median_view(id, nom, chemin, profile, radars.names, Some(radars.numbers))
    }

    /// The view of a median radar: its drawings and the twelve medians.
    fn median_view(
        &self,
        id: String,
        nom: String,
        chemin: Option<String>,
        profile: &MedianProfile,
        svg: String,
        svg_numerote: Option<String>,
    ) -> MedianRadarView {
        MedianRadarView {
            marqueurs: self
                .shared
                .markers
                .iter()
                .enumerate()
                .map(|(m, info)| MedianRow {
                    nom: info.name.clone(),
                    mediane: profile
                        .medians
                        .get(m)
                        .copied()
                        .flatten()
                        .map(|v| self.shared.score(v)),
                    evalues: profile.assessed.get(m).copied().unwrap_or(0),
                })
                .collect(),
            id,
            nom,
            chemin,
            nombre_projets: profile.projects,
            svg,
            svg_numerote,
        }
    }

    /// `statistiques/index.html`.
    pub(crate) fn statistics(&self, path: &str, dir: String) -> Result<Rendered, RenderError> {
        let s = self.shared;
        let c = s.catalogue;
        let secteurs = count_rows(
            s.sectors
                .iter()
                .map(|e| (e.nom.clone(), Some(e.chemin.clone()), e.nombre))
                .collect(),
        );
        let departements = count_rows(
            s.department_entries
                .iter()
                .map(|e| (e.nom.clone(), Some(e.chemin.clone()), e.nombre))
                .collect(),
        );
        let stades = count_rows(
            stage_counts(c.all())
                .into_iter()
                .map(|(stage, n)| (s.texts.stage(stage).to_string(), None, n))
                .collect(),
        );
        let annees = count_rows(
            year_counts(c.all())
                .into_iter()
                .map(|(year, n)| (year.to_string(), None, n))
                .collect(),
        );
        let par_secteur = s
            .site
            .sectors
            .iter()
            .zip(&s.index.insights.sectors)
            .filter(|(_, profile)| profile.projects > 0)
            .map(|(sector, profile)| {
                self.median_block(
                    format!("mediane-secteur-{}", slugify(&sector.key)),
                    sector.name.clone(),
                    Some(sector_dir(&sector.key)),
                    profile,
                    true,
                )
            })
            .collect();
        let par_departement = s
            .departments
            .iter()
            .zip(&s.index.insights.departments)
            .filter(|(_, profile)| profile.projects > 0)
            .map(|(d, profile)| {
                self.median_block(
                    format!("mediane-departement-{}", slugify(&d.code)),
                    d.name.clone(),
                    Some(department_dir(&d.slug)),
                    profile,
                    true,
                )
            })
            .collect();
        let table = |id, titre, legende, entete, lignes| CountTable {
            id,
            titre,
            legende,
            entete,
            lignes,
        };
        let view = StatisticsView {
            nombre_projets: c.len(),
            tableaux: vec![
                table(
                    "stats-secteurs",
                    s.tr("par_secteur"),
                    s.tr("stats_secteurs_legende"),
                    s.tr("facette_secteur"),
                    secteurs,
                ),
                table(
                    "stats-departements",
                    s.tr("par_departement"),
                    s.tr("stats_departements_legende"),
                    s.tr("departement"),
                    departements,
                ),
                table(
                    "stats-stades",
                    s.tr("par_stade"),
                    s.tr("stats_stades_legende"),
                    s.tr("stade"),
                    stades,
                ),
                table(
                    "stats-annees",
                    s.tr("par_annee"),
                    s.tr("stats_annees_legende"),
                    s.tr("annee"),
                    annees,
                ),
            ],
            ensemble: self.median_radar(
                "mediane-ensemble".into(),
                s.tr("ensemble_du_catalogue"),
                None,
                &s.index.insights.catalogue,
            ),
            par_secteur,
            par_departement,
            bareme: ScaleView {
                min: s.score(s.site.scale.min),
                max: s.score(s.site.scale.max),
            },
        };
        let meta = s.meta(
            s.tr("statistiques"),
            dir,
            "statistiques",
            true,
            vec![crumb(s.tr("accueil"), ""), here(s.tr("statistiques"))],
        );
        self.page("statistiques.html", path, &meta, &view)
    }

    /// What the radar of a project shows: the project overlaid with the median of its first
    /// sector (when it has one in the vocabulary), and that sector's name. Cheap: the radar is
    /// drawn by [`ProjectRadarPlan::draw`] only when the page is rendered.
    pub(crate) fn project_radar_plan<'p>(
        &self,
        project: &'p Project,
    ) -> (ProjectRadarPlan<'p>, Option<(Lien, &MedianProfile)>) {
        let s = self.shared;
        let site = s.site;
        let median = project.sectors.first().and_then(|key| {
            let position = *s.sector_positions.get(key.as_str())?;
            let profile = s.index.insights.sectors.get(position)?;
            Some((s.sector_link(key), profile))
        });
        let assessed = project.markers.iter().filter(|m| m.is_some()).count();
        let (min, max) = (s.score(site.scale.min), s.score(site.scale.max));
        let (assessed, total) = (assessed.to_string(), MARKER_COUNT.to_string());
        let desc = match &median {
            None => s.trf(
                "radar_description",
                &[
                    ("evalues", &assessed),
                    ("total", &total),
                    ("min", &min),
                    ("max", &max),
                ],
            ),
            Some((sector, profile)) => s.trf(
                "radar_description_secteur",
                &[
                    ("evalues", &assessed),
                    ("total", &total),
                    ("secteur", &sector.nom),
                    ("projets", &s.trn("n_projets", profile.projects, &[])),
                    ("min", &min),
                    ("max", &max),
                ],
            ),
        };
        let plan = ProjectRadarPlan {
            project_title: &project.title,
            scores: &project.markers,
            median: median.as_ref().map(|(sector, profile)| {
                (
                    s.trf("mediane_du_secteur_de", &[("secteur", &sector.nom)]),
                    profile.medians,
                )
            }),
            title: s.trf("radar_titre", &[("titre", &project.title)]),
            desc,
            id: format!("radar-{}", project.slug),
        };
        (plan, median)
    }

    /// The related projects of the project at `index`, with their reasons.
    pub(crate) fn related_views(&self, index: usize) -> Vec<RelatedView<'_>> {
        let s = self.shared;
        s.index
            .insights
            .related
            .get(index)
            .map(|list| {
                list.iter()
                    .filter_map(|(i, r)| {
                        Some(RelatedView {
                            carte: s.card_at(*i)?,
                            raisons: related_reasons(r, &s.texts),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_relative_to_the_largest_count() {
        let rows = count_rows(vec![
            ("a".into(), None, 4),
            ("b".into(), None, 1),
            ("c".into(), None, 0),
        ]);
        let bars: Vec<u32> = rows.iter().map(|r| r.barre).collect();
        assert_eq!(bars, [100, 25, 0]);
        assert!(count_rows(vec![("a".into(), None, 0)])[0].barre == 0);
    }

    #[test]
    fn reasons_name_the_ties() {
        let r = Relatedness {
            shared_sectors: 2,
            territory: TerritoryTie::Epci,
            profile: Some(0.854),
            score: 0.0,
        };
        assert_eq!(
            related_reasons(
                &r,
                crate::render::texts::Texts::load(None)
                    .expect("textes")
                    .language("fr")
            ),
            [
                "2 secteurs en commun",
                "même intercommunalité",
                "profil proche à 85 %"
            ]
        );
    }
}

//! Render stage: page plan, views and theme rendering (Tera), in parallel; pure, no disk writes.
//!
//! [`render_site`] loads the theme once (default theme embedded, overridden file by file by
//! the site's theme folder), indexes the catalogue, builds what every page shares once (the
//! project cards as Tera values, the sector and department entries, the menu), plans every
//! output file, then renders the plan in parallel with rayon. Each template receives `racine`
//! (the relative path back to the site root), `page` (title, breadcrumb, menu section) and
//! `vue` (what that page shows); `site`, `menu` and `pied` are global.

pub mod discovery;
pub mod insights;
pub mod opendata;
pub mod paths;
pub mod plan;
pub mod search;
pub mod territories;
mod theme;
pub mod views;

#[cfg(test)]
mod tests;

use crate::catalogue::Catalogue;
use crate::markdown;
use crate::model::{self, Project};
use crate::output::OutputFile;
use crate::radar::{RadarSeries, radar_svg};
use crate::territory::{Department, Territories, french_department_name};
use crate::text::{fold, slugify};
use paths::{page_count, page_range, pagination, racine, racine_404};
use plan::{Job, Planned, department_dir, department_sector_dir, project_dir, sector_dir};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use theme::Theme;
use views::*;

/// Slugs of the free pages linked from the footer (required on French public sites).
pub const FOOTER_PAGES: [&str; 2] = ["accessibilite", "mentions-legales"];

/// How many of the latest labelled projects the home page shows.
pub const HOME_LATEST: usize = 6;

/// Everything the render stage needs.
pub struct RenderInput<'a> {
    /// Site settings.
    pub site: &'a model::Site,
    /// Validated projects, drafts already filtered out, any order.
    pub projects: &'a [model::Project],
    /// Free pages, drafts filtered out.
    pub pages: &'a [model::Page],
    /// `<root>/themes/<site.theme>/` if it exists: overrides the embedded default theme
    /// file by file (`templates/…` and `static/…`).
    pub theme_dir: Option<&'a Path>,
}

/// Why the site could not be rendered (messages in French, naming the file to fix).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A file of the site's theme could not be read.
    #[error(
        "impossible de lire le fichier de thème {} : {} ; vérifiez qu'il existe et que vous avez le droit de le lire",
        path.display(),
        crate::content::io_reason(source)
    )]
    ThemeRead {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A file name of the site's theme is not valid UTF-8.
    #[error(
        "le nom du fichier de thème {} n'est pas en UTF-8 : renommez-le (lettres, chiffres, tirets)",
        path.display()
    )]
    ThemeFileName {
        /// The file.
        path: PathBuf,
    },
    /// A template does not parse, or its inheritance is broken.
    #[error(
        "le gabarit « {template} » ({origin}) est invalide ; corrigez-le à l'endroit indiqué :\n{message}"
    )]
    Template {
        /// Template name (path under `templates/`).
        template: String,
        /// The file it comes from, or the embedded default theme.
        origin: String,
        /// Tera's report (line, column, excerpt).
        message: String,
    },
    /// A template failed while rendering a page (often a variable that does not exist).
    #[error(
        "le rendu de « {output} » avec le gabarit « {template} » ({origin}) a échoué ; vérifiez les variables utilisées (voir la liste dans le README du thème par défaut) :\n{message}"
    )]
    Render {
        /// The page being rendered.
        output: String,
        /// Template name.
        template: String,
        /// The file it comes from, or the embedded default theme.
        origin: String,
        /// Tera's report.
        message: String,
    },
    /// Two pages would be written to the same path.
    #[error(
        "deux pages du site s'écriraient au même endroit « {path} » ; renommez la page libre ou la clé de secteur en cause"
    )]
    PathConflict {
        /// The output path.
        path: String,
    },
}

/// Renders the whole site: every page, the radars and the theme's static files.
pub fn render_site(input: &RenderInput) -> Result<Vec<OutputFile>, RenderError> {
    render_site_with_progress(input, &crate::progress::Progress::hidden())
}

/// [`render_site`], counting rendered pages on `progress`.
pub fn render_site_with_progress(
    input: &RenderInput,
    progress: &crate::progress::Progress,
) -> Result<Vec<OutputFile>, RenderError> {
    render_planned(input, None, progress).map(|rendered| rendered.files)
}

/// What [`render_selected`] produced.
#[derive(Debug)]
pub struct Rendered {
    /// The selected planned files (every file, theme files included, when nothing was
    /// selected).
    pub files: Vec<OutputFile>,
    /// Every path of the plan, selected or not, in plan order (theme files excluded).
    pub planned: Vec<String>,
}

/// Renders only the planned files whose path is in `only` (all of them, plus the theme's
/// static files, when `only` is `None`): the incremental rebuilds of `amiris serve`.
pub fn render_selected(
    input: &RenderInput,
    only: Option<&std::collections::HashSet<String>>,
) -> Result<Rendered, RenderError> {
    render_planned(input, only, &crate::progress::Progress::hidden())
}

/// [`render_selected`], counting rendered pages on `progress`.
fn render_planned(
    input: &RenderInput,
    only: Option<&std::collections::HashSet<String>>,
    progress: &crate::progress::Progress,
) -> Result<Rendered, RenderError> {
    let mut theme = Theme::load(input.theme_dir)?;
    let territories = Territories::region();
    let catalogue = Catalogue::new(input.projects);
    let shared = Shared::new(input, territories, &catalogue)?;
    shared.set_globals(&mut theme)?;

    let plan = plan::plan(
        input.site,
        &catalogue,
        territories.departments(),
        input.pages,
    );
    let static_outputs = theme.static_outputs();
    check_conflicts(
        plan.iter()
            .map(|p| p.path.as_str())
            .chain(static_outputs.iter().map(|(path, _)| path.as_str())),
    )?;

    let renderer = Renderer {
        shared: &shared,
        theme: &theme,
        plan: &plan,
    };
    let selected = only.map_or(plan.len(), |only| {
        plan.iter().filter(|p| only.contains(&p.path)).count()
    });
    progress.start("pages", selected);
    let mut files = plan
        .par_iter()
        .filter(|planned| only.is_none_or(|only| only.contains(&planned.path)))
        .map(|planned| {
            let rendered = renderer.render(planned);
            progress.tick();
            rendered
        })
        .collect::<Result<Vec<_>, _>>()?;
    if only.is_none() {
        files.extend(static_outputs.into_iter().map(|(path, bytes)| OutputFile {
            path,
            bytes: bytes.to_vec(),
        }));
    }
    Ok(Rendered {
        files,
        planned: plan.into_iter().map(|planned| planned.path).collect(),
    })
}

/// Fails on the first output path produced twice.
fn check_conflicts<'p>(paths: impl Iterator<Item = &'p str>) -> Result<(), RenderError> {
    let mut seen = std::collections::HashSet::new();
    for path in paths {
        if !seen.insert(path) {
            return Err(RenderError::PathConflict {
                path: path.to_string(),
            });
        }
    }
    Ok(())
}

/// What every page shares, computed once per build.
struct Shared<'a> {
    site: &'a model::Site,
    pages: &'a [model::Page],
    catalogue: &'a Catalogue<'a>,
    territories: &'static Territories,
    departments: &'static [Department],
    /// Project cards as Tera values (cheap to clone: reference-counted), by project position.
    cards: Vec<tera::Value>,
    /// Every sector of the vocabulary, in site order, with its count.
    sectors: Vec<Entree>,
    /// The region's departments, in code order, with their counts.
    department_entries: Vec<Entree>,
    /// Sector key -> position in `site.sectors`.
    sector_positions: HashMap<&'a str, usize>,
    /// Medians, top projects per marker and related projects, computed once.
    insights: insights::Insights,
    /// Free pages in menu order (`ordre`, then title).
    menu_pages: Vec<&'a model::Page>,
}

impl<'a> Shared<'a> {
    fn new(
        input: &RenderInput<'a>,
        territories: &'static Territories,
        catalogue: &'a Catalogue<'a>,
    ) -> Result<Shared<'a>, RenderError> {
        let site = input.site;
        let departments = territories.departments();
        let sector_positions: HashMap<&str, usize> = site
            .sectors
            .iter()
            .enumerate()
            .map(|(i, s)| (s.key.as_str(), i))
            .collect();
        let sectors: Vec<Entree> = site
            .sectors
            .iter()
            .map(|s| Entree {
                nom: s.name.clone(),
                chemin: sector_dir(&s.key),
                nombre: catalogue.projects_in_sector(&s.key).len(),
                description: s.description.clone(),
                cle: s.key.clone(),
            })
            .collect();
        let department_entries: Vec<Entree> = departments
            .iter()
            .map(|d| Entree {
                nom: d.name.clone(),
                chemin: department_dir(&d.slug),
                nombre: catalogue.projects_in_department(&d.code).len(),
                description: String::new(),
                cle: d.code.clone(),
            })
            .collect();
        let insights = insights::Insights::new(site, catalogue, departments);
        let mut menu_pages: Vec<&model::Page> = input.pages.iter().collect();
        menu_pages
            .sort_by_cached_key(|p| (p.order.is_none(), p.order, fold(&p.title), p.slug.clone()));

        let mut shared = Shared {
            site,
            pages: input.pages,
            catalogue,
            territories,
            departments,
            cards: Vec::new(),
            sectors,
            department_entries,
            sector_positions,
            insights,
            menu_pages,
        };
        shared.cards = input
            .projects
            .par_iter()
            .map(|project| to_value(&shared.card(project), &project_dir(&project.slug)))
            .collect::<Result<_, _>>()?;
        Ok(shared)
    }

    /// The site-wide variables: `site`, `menu`, `pied`.
    fn set_globals(&self, theme: &mut Theme) -> Result<(), RenderError> {
        let site = SiteView {
            titre: &self.site.title,
            description: &self.site.description,
            langue: if self.site.language.is_empty() {
                "fr"
            } else {
                &self.site.language
            },
            url_base: self.site.url_base.as_deref(),
        };
        let mut menu = vec![
            MenuItem {
                cle: "accueil".into(),
                nom: "Accueil".into(),
                chemin: String::new(),
            },
            MenuItem {
                cle: "projets".into(),
                nom: "Projets".into(),
                chemin: "projets/".into(),
            },
            MenuItem {
                cle: "secteurs".into(),
                nom: "Secteurs".into(),
                chemin: "secteurs/".into(),
            },
            MenuItem {
                cle: "territoires".into(),
                nom: "Territoires".into(),
                chemin: "territoires/".into(),
            },
            MenuItem {
                cle: "marqueurs".into(),
                nom: "Marqueurs".into(),
                chemin: insights::MARKERS_DIR.into(),
            },
            MenuItem {
                cle: "statistiques".into(),
                nom: "Statistiques".into(),
                chemin: insights::STATISTICS_DIR.into(),
            },
        ];
        menu.extend(
            self.menu_pages
                .iter()
                .filter(|p| !FOOTER_PAGES.contains(&p.slug.as_str()))
                .map(|p| MenuItem {
                    cle: page_menu_key(&p.slug),
                    nom: p.title.clone(),
                    chemin: format!("{}/", p.slug),
                }),
        );
        let footer: Vec<Lien> = FOOTER_PAGES
            .iter()
            .filter_map(|slug| self.pages.iter().find(|p| p.slug == *slug))
            .map(|p| Lien {
                nom: p.title.clone(),
                chemin: format!("{}/", p.slug),
            })
            .collect();
        theme.set_global("site", to_value(&site, "")?);
        theme.set_global("menu", to_value(&menu, "")?);
        let mut footer = footer;
        footer.push(Lien {
            nom: "Données ouvertes".into(),
            chemin: opendata::DATA_DIR.into(),
        });
        theme.set_global("pied", to_value(&footer, "")?);
        Ok(())
    }

    /// A link to a sector's page (the key itself when it is not in the vocabulary).
    fn sector_link(&self, key: &str) -> Lien {
        match self.sector_positions.get(key) {
            Some(&i) => Lien {
                nom: self.sectors[i].nom.clone(),
                chemin: self.sectors[i].chemin.clone(),
            },
            None => Lien {
                nom: key.to_string(),
                chemin: "secteurs/".into(),
            },
        }
    }

    /// A link to a department's page (the secteur index when it is not the region's).
    fn department_link(&self, code: &str) -> Lien {
        match self.territories.department(code) {
            Some(d) => Lien {
                nom: d.name.clone(),
                chemin: department_dir(&d.slug),
            },
            None => Lien {
                nom: code.to_string(),
                chemin: "territoires/".into(),
            },
        }
    }

    /// The card of a project.
    fn card<'p>(&self, project: &'p Project) -> ProjectCard<'p> {
        ProjectCard {
            slug: &project.slug,
            titre: &project.title,
            resume: &project.summary,
            chemin: project_dir(&project.slug),
            annee: project.label.year,
            stade: project.stage.label(),
            secteurs: project
                .sectors
                .iter()
                .map(|k| self.sector_link(k))
                .collect(),
            departements: project
                .territory
                .departments
                .iter()
                .map(|c| self.department_link(c))
                .collect(),
            image: project.image.as_ref(),
        }
    }

    /// The cards of a page of a listing.
    fn cards_of(&self, positions: &[usize]) -> Vec<&tera::Value> {
        positions
            .iter()
            .filter_map(|&i| self.cards.get(i))
            .collect()
    }

    /// A page of a listing.
    fn listing(&self, base: &str, positions: &[usize], page: usize) -> Listing<'_> {
        let per_page = self.site.per_page.max(1);
        let total = page_count(positions.len(), per_page);
        Listing {
            nombre: positions.len(),
            projets: self.cards_of(&positions[page_range(positions.len(), per_page, page)]),
            pagination: pagination(base, page, total),
        }
    }

    /// The page metadata of an output path.
    fn meta(
        &self,
        titre: String,
        dir: String,
        rubrique: &str,
        exacte: bool,
        fil: Vec<Miette>,
    ) -> PageMeta<'a> {
        let titre_document = if titre.is_empty() {
            self.site.title.clone()
        } else {
            format!("{titre} – {}", self.site.title)
        };
        let url = self
            .site
            .url_base
            .as_deref()
            .map(|base| discovery::absolute_url(base, &dir));
        PageMeta {
            titre,
            titre_document,
            description: &self.site.description,
            chemin: dir,
            rubrique: rubrique.to_string(),
            rubrique_exacte: exacte,
            fil_ariane: fil,
            url,
            type_og: "website",
            image: None,
            flux: discovery::feed_links(self.site, self.catalogue, None, None),
        }
    }
}

/// Menu key of a free page.
fn page_menu_key(slug: &str) -> String {
    format!("page-{slug}")
}

/// A breadcrumb step with a link.
fn crumb(nom: impl Into<String>, chemin: impl Into<String>) -> Miette {
    Miette {
        nom: nom.into(),
        chemin: Some(chemin.into()),
    }
}

/// The last breadcrumb step (the current page).
fn here(nom: impl Into<String>) -> Miette {
    Miette {
        nom: nom.into(),
        chemin: None,
    }
}

/// " (page N sur M)" for pages after the first, so that every title is unique.
fn page_suffix(page: usize, total: usize) -> String {
    if page > 1 {
        format!(" (page {page} sur {total})")
    } else {
        String::new()
    }
}

/// Renders planned pages with the shared data and the theme.
struct Renderer<'r, 'a> {
    shared: &'r Shared<'a>,
    theme: &'r Theme,
    /// The whole plan (the sitemap lists its pages).
    plan: &'r [Planned],
}

impl Renderer<'_, '_> {
    /// Produces one planned file.
    fn render(&self, planned: &Planned) -> Result<OutputFile, RenderError> {
        let s = self.shared;
        let path = planned.path.as_str();
        let dir = path.strip_suffix("index.html").unwrap_or(path).to_string();
        let per_page = s.site.per_page.max(1);
        let accueil = || crumb("Accueil", "");
        match planned.job {
            Job::Home => {
                let view = HomeView {
                    description: &s.site.description,
                    nombre_projets: s.catalogue.len(),
                    nombre_secteurs: s.catalogue.sectors_covered(),
                    nombre_departements: s.catalogue.departments_covered(),
                    derniers: s.cards_of(s.catalogue.latest_labelled(HOME_LATEST)),
                    secteurs: &s.sectors,
                    departements: &s.department_entries,
                    carte: territories::region_map(s, path, "carte-accueil"),
                };
                let meta = s.meta(String::new(), dir, "accueil", true, Vec::new());
                self.page("index.html", path, &meta, &view)
            }
            Job::Catalogue { page } => {
                let total = page_count(s.catalogue.len(), per_page);
                let mut fil = vec![accueil()];
                if page > 1 {
                    fil.push(crumb("Projets", "projets/"));
                    fil.push(here(format!("Page {page}")));
                } else {
                    fil.push(here("Projets"));
                }
                let meta = s.meta(
                    format!("Projets{}", page_suffix(page, total)),
                    dir,
                    "projets",
                    page == 1,
                    fil,
                );
                let view = CatalogueView {
                    liste: s.listing("projets/", s.catalogue.listing(), page),
                };
                self.page("projets.html", path, &meta, &view)
            }
            Job::Project(index) => self.project(index, path, dir),
            Job::Radar(index) => {
                let project = s.catalogue.project(index).ok_or_else(|| missing(path))?;
                let svg = self.radar(project);
                let mut bytes = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".to_vec();
                bytes.extend_from_slice(svg.as_bytes());
                bytes.push(b'\n');
                Ok(OutputFile {
                    path: path.to_string(),
                    bytes,
                })
            }
            Job::Sectors => {
                let meta = s.meta(
                    "Secteurs".into(),
                    dir,
                    "secteurs",
                    true,
                    vec![accueil(), here("Secteurs")],
                );
                let view = SectorsView {
                    secteurs: &s.sectors,
                };
                self.page("secteurs.html", path, &meta, &view)
            }
            Job::Sector { sector, page } => {
                let entry = s.sectors.get(sector).ok_or_else(|| missing(path))?;
                let positions = s.catalogue.projects_in_sector(&entry.cle);
                let total = page_count(positions.len(), per_page);
                let mut fil = vec![accueil(), crumb("Secteurs", "secteurs/")];
                if page > 1 {
                    fil.push(crumb(entry.nom.clone(), entry.chemin.clone()));
                    fil.push(here(format!("Page {page}")));
                } else {
                    fil.push(here(entry.nom.clone()));
                }
                let departements = s
                    .departments
                    .iter()
                    .filter_map(|d| {
                        let count = s
                            .catalogue
                            .projects_in_department_sector(&d.code, &entry.cle)
                            .len();
                        (count > 0).then(|| Entree {
                            nom: d.name.clone(),
                            chemin: department_sector_dir(&d.slug, &entry.cle),
                            nombre: count,
                            description: String::new(),
                            cle: d.code.clone(),
                        })
                    })
                    .collect();
                let mut meta = s.meta(
                    format!("{}{}", entry.nom, page_suffix(page, total)),
                    dir,
                    "secteurs",
                    false,
                    fil,
                );
                meta.flux = discovery::feed_links(s.site, s.catalogue, Some(sector), None);
                let view = SectorView {
                    secteur: entry,
                    liste: s.listing(&entry.chemin, positions, page),
                    departements,
                };
                self.page("secteur.html", path, &meta, &view)
            }
            Job::Territories => {
                let meta = s.meta(
                    "Territoires".into(),
                    dir,
                    "territoires",
                    true,
                    vec![accueil(), here("Territoires")],
                );
                let view = TerritoriesView {
                    departements: &s.department_entries,
                    carte: territories::region_map(s, path, "carte-territoires"),
                };
                self.page("territoires.html", path, &meta, &view)
            }
            Job::Department { department, page } => {
                let entry = s
                    .department_entries
                    .get(department)
                    .ok_or_else(|| missing(path))?;
                let positions = s.catalogue.projects_in_department(&entry.cle);
                let total = page_count(positions.len(), per_page);
                let mut fil = vec![accueil(), crumb("Territoires", "territoires/")];
                if page > 1 {
                    fil.push(crumb(entry.nom.clone(), entry.chemin.clone()));
                    fil.push(here(format!("Page {page}")));
                } else {
                    fil.push(here(entry.nom.clone()));
                }
                let slug = &s.departments[department].slug;
                let secteurs = s
                    .sectors
                    .iter()
                    .filter_map(|sector| {
                        let count = s
                            .catalogue
                            .projects_in_department_sector(&entry.cle, &sector.cle)
                            .len();
                        (count > 0).then(|| Entree {
                            nom: sector.nom.clone(),
                            chemin: department_sector_dir(slug, &sector.cle),
                            nombre: count,
                            description: sector.description.clone(),
                            cle: sector.cle.clone(),
                        })
                    })
                    .collect();
                let mut meta = s.meta(
                    format!("{}{}", entry.nom, page_suffix(page, total)),
                    dir,
                    "territoires",
                    false,
                    fil,
                );
                meta.flux =
                    discovery::feed_links(s.site, s.catalogue, None, Some((slug, &entry.nom)));
                let view = DepartmentView {
                    departement: entry,
                    liste: s.listing(&entry.chemin, positions, page),
                    secteurs,
                    epcis: territories::department_epcis(s, &entry.cle),
                };
                self.page("territoire.html", path, &meta, &view)
            }
            Job::DepartmentSector {
                department,
                sector,
                page,
            } => {
                let department_entry = s
                    .department_entries
                    .get(department)
                    .ok_or_else(|| missing(path))?;
                let sector_entry = s.sectors.get(sector).ok_or_else(|| missing(path))?;
                let positions = s
                    .catalogue
                    .projects_in_department_sector(&department_entry.cle, &sector_entry.cle);
                let total = page_count(positions.len(), per_page);
                let base =
                    department_sector_dir(&s.departments[department].slug, &sector_entry.cle);
                let mut fil = vec![
                    accueil(),
                    crumb("Territoires", "territoires/"),
                    crumb(
                        department_entry.nom.clone(),
                        department_entry.chemin.clone(),
                    ),
                ];
                if page > 1 {
                    fil.push(crumb(sector_entry.nom.clone(), base.clone()));
                    fil.push(here(format!("Page {page}")));
                } else {
                    fil.push(here(sector_entry.nom.clone()));
                }
                let mut meta = s.meta(
                    format!(
                        "{} – {}{}",
                        sector_entry.nom,
                        department_entry.nom,
                        page_suffix(page, total)
                    ),
                    dir,
                    "territoires",
                    false,
                    fil,
                );
                meta.flux = discovery::feed_links(
                    s.site,
                    s.catalogue,
                    Some(sector),
                    Some((&s.departments[department].slug, &department_entry.nom)),
                );
                let view = DepartmentSectorView {
                    departement: department_entry,
                    secteur: sector_entry,
                    liste: s.listing(&base, positions, page),
                };
                self.page("territoire_secteur.html", path, &meta, &view)
            }
            Job::Epci { epci, page } => self.epci(epci, page, path, dir),
            Job::FreePage(index) => {
                let page = s.pages.get(index).ok_or_else(|| missing(path))?;
                let base = racine(path);
                let view = FreePageView {
                    titre: &page.title,
                    resume: &page.summary,
                    contenu: markdown::render(&page.body, &base),
                };
                let mut meta = s.meta(
                    page.title.clone(),
                    dir,
                    &page_menu_key(&page.slug),
                    true,
                    vec![accueil(), here(page.title.clone())],
                );
                if !page.summary.trim().is_empty() {
                    meta.description = &page.summary;
                }
                self.page("page.html", path, &meta, &view)
            }
            Job::NotFound => {
                let mut meta = s.meta(
                    "Page introuvable".into(),
                    String::new(),
                    "",
                    false,
                    Vec::new(),
                );
                meta.url = None;
                let root = racine_404(s.site.url_base.as_deref());
                self.page_with_root("404.html", path, &root, &meta, &NotFoundView {})
            }
            Job::Sitemap => self.sitemap(path),
            Job::SitemapPart(number) => self.sitemap_part(number, path),
            Job::Robots => Ok(self.robots(path)),
            Job::Feed(scope) => self.feed(scope, path),
            Job::OpenData(file) => self.open_data(file, path),
            Job::DataPage => self.data_page(path, dir),
            Job::Markers => self.markers_index(path, dir),
            Job::Marker(marker) => self.marker_page(marker, path, dir),
            Job::Statistics => self.statistics(path, dir),
            Job::SearchIndex => Ok(OutputFile {
                path: path.to_string(),
                bytes: search::search_index(s.site, s.catalogue, s.territories),
            }),
        }
    }

    /// The radar of a project.
    fn radar(&self, project: &Project) -> String {
        let site = self.shared.site;
        let series = [RadarSeries {
            label: &project.title,
            scores: &project.markers,
            class: "projet",
        }];
        let assessed = project.markers.iter().filter(|m| m.is_some()).count();
        radar_svg(
            &site.markers,
            &site.scale,
            &series,
            &format!("Profil d'innovation sociale : {}", project.title),
            &format!(
                "Radar des douze marqueurs d'innovation sociale du projet ({assessed} évalués sur {}), sur une échelle de {} à {} ; les valeurs figurent aussi dans le tableau des marqueurs.",
                model::MARKER_COUNT,
                model::format_score(site.scale.min),
                model::format_score(site.scale.max)
            ),
            &format!("radar-{}", project.slug),
        )
    }

    /// The page of one project.
    fn project(&self, index: usize, path: &str, dir: String) -> Result<OutputFile, RenderError> {
        let s = self.shared;
        let project = s.catalogue.project(index).ok_or_else(|| missing(path))?;
        let t = s.territories;
        let base = racine(path);
        let body = markdown::render_sections(&project.body, &base);

        let communes = project
            .territory
            .communes
            .iter()
            .map(|code| {
                let nom = match t.commune(code) {
                    Some(c) => c.name.clone(),
                    None => match t.former_commune(code) {
                        Some((name, current)) => format!("{name} ({})", current.name),
                        None => code.clone(),
                    },
                };
                CommuneView {
                    code: code.clone(),
                    nom,
                }
            })
            .collect();
        let epcis = project
            .territory
            .epcis
            .iter()
            .map(|siren| EpciView {
                siren: siren.clone(),
                nom: t
                    .epci(siren)
                    .map_or_else(|| siren.clone(), |e| e.name.clone()),
                chemin: territories::epci_page(s, siren),
            })
            .collect();

        let voisins = self.related_views(index);
        let (radar_svg, sector_median) = self.project_radar_with_median(project);
        let mut marqueurs = marker_views(project, &s.site.markers);
        if let Some((_, profile)) = &sector_median {
            for (view, median) in marqueurs.iter_mut().zip(profile.medians.iter()) {
                view.mediane_secteur = median.map(model::format_score);
            }
        }
        let card = discovery::project_card(s.site, project);
        let view = ProjectView {
            slug: &project.slug,
            titre: &project.title,
            resume: &project.summary,
            label: LabelView {
                annee: project.label.year,
                date: project.label.date.map(|d| d.french()),
            },
            stade: project.stage.label(),
            secteurs: project.sectors.iter().map(|k| s.sector_link(k)).collect(),
            publics: project
                .publics
                .iter()
                .map(|k| {
                    s.site
                        .public(k)
                        .map_or_else(|| k.clone(), |p| p.name.clone())
                })
                .collect(),
            territoire: TerritoryView {
                communes,
                epcis,
                departements: project
                    .territory
                    .departments
                    .iter()
                    .map(|c| s.department_link(c))
                    .collect(),
                echelle: project.territory.scope.map(|scope| scope.label()),
                situation: territories::project_locator(s, project),
                credit: crate::map::CREDIT,
            },
            structure: StructureView {
                nom: &project.structure.name,
                forme_juridique: project.structure.legal_form.label(),
                siret: project.structure.siret.as_deref().map(grouped_siret),
                code_postal: &project.structure.postal_code,
                commune: &project.structure.commune,
                // Validated as http(s) already; checked again since it becomes an href.
                site_web: project
                    .structure
                    .website
                    .as_deref()
                    .filter(|url| is_web_url(url)),
                esus: project.structure.esus,
            },
            partenaires: project
                .partners
                .iter()
                .map(|p| PartnerView {
                    nom: &p.name,
                    role: p.role.label(),
                })
                .collect(),
            radar: RadarView {
                svg: radar_svg,
                chemin: format!("{}radar.svg", project_dir(&project.slug)),
            },
            marqueurs,
            secteur_mediane: sector_median.map(|(link, profile)| SectorMedianView {
                secteur: link,
                nombre_projets: profile.projects,
            }),
            bareme: ScaleView {
                min: model::format_score(s.site.scale.min),
                max: model::format_score(s.site.scale.max),
            },
            introduction: body.intro,
            sections: body
                .sections
                .into_iter()
                .map(|section| SectionView {
                    canonique: section
                        .canonical
                        .and_then(|i| model::CANONICAL_SECTIONS.get(i))
                        .map(|name| slugify(name)),
                    titre: section.title,
                    id: section.id,
                    contenu: section.html,
                })
                .collect(),
            essaimage: project.replication.as_ref().map(|r| ReplicationView {
                ouvert: r.open,
                territoires: r
                    .territories
                    .iter()
                    .map(|code| {
                        french_department_name(code)
                            .map_or_else(|| code.clone(), |name| format!("{name} ({code})"))
                    })
                    .collect(),
            }),
            image: project.image.as_ref(),
            contact: project.contact_email.as_deref(),
            mis_a_jour: project.updated.map(|d| d.french()),
            voisins,
            json_ld: discovery::project_json_ld(
                &opendata::record(project, s.site, t, s.site.url_base.as_deref()),
                card.as_ref().map(|c| c.url.as_str()),
            ),
        };
        let meta = s.meta(
            project.title.clone(),
            dir,
            "projets",
            false,
            vec![
                crumb("Accueil", ""),
                crumb("Projets", "projets/"),
                here(project.title.clone()),
            ],
        );
        let meta = PageMeta {
            description: &project.summary,
            type_og: "article",
            image: card,
            ..meta
        };
        self.page("projet.html", path, &meta, &view)
    }

    /// Renders a page whose `racine` follows from its path.
    fn page<V: Serialize>(
        &self,
        template: &str,
        path: &str,
        meta: &PageMeta<'_>,
        view: &V,
    ) -> Result<OutputFile, RenderError> {
        self.page_with_root(template, path, &racine(path), meta, view)
    }

    /// Renders a page with an explicit `racine`.
    fn page_with_root<V: Serialize>(
        &self,
        template: &str,
        path: &str,
        root: &str,
        meta: &PageMeta<'_>,
        view: &V,
    ) -> Result<OutputFile, RenderError> {
        let mut context = tera::Context::new();
        context.insert_value("racine", tera::Value::from(root));
        context.insert_value("page", to_value(meta, path)?);
        context.insert_value("vue", to_value(view, path)?);
        let html = self.theme.render(template, &context, path)?;
        Ok(OutputFile {
            path: path.to_string(),
            bytes: html.into_bytes(),
        })
    }
}

/// Whether `url` is an absolute http(s) URL that may become an `href`.
fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && markdown::is_safe_url(url)
}

/// An internal inconsistency of the plan (a position out of range): never expected.
fn missing(path: &str) -> RenderError {
    RenderError::Render {
        output: path.to_string(),
        template: String::new(),
        origin: "amiris".into(),
        message: "élément introuvable dans le catalogue (erreur interne)".into(),
    }
}

/// A view as a Tera value (serialising these views never fails in practice, but a failure
/// must not panic).
fn to_value<T: Serialize + ?Sized>(value: &T, path: &str) -> Result<tera::Value, RenderError> {
    tera::Value::try_from_serializable(value).map_err(|error| RenderError::Render {
        output: path.to_string(),
        template: String::new(),
        origin: "amiris".into(),
        message: format!("données de page impossibles à transmettre au gabarit : {error}"),
    })
}

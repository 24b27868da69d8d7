//! Render stage: page plan, views and theme rendering (Tera), in parallel; pure, no disk writes.
//!
//! [`render_site`] loads the theme once (default theme embedded, overridden file by file by
//! the site's theme folder), indexes the catalogue, builds what every page shares once (the
//! sector and department entries, the menu; each project card as a Tera value the first time
//! a page shows it), plans every
//! output file, then renders the plan in parallel with rayon. Each template receives `racine`
//! (the relative path back to the site root), `page` (title, breadcrumb, menu section) and
//! `vue` (what that page shows); `site`, `menu` and `pied` are global.

pub mod discovery;
pub mod insights;
pub mod languages;
pub mod opendata;
pub mod pages;
pub mod paths;
pub mod search;
pub mod territories;
pub mod texts;
mod theme;
pub mod views;

#[cfg(test)]
pub(crate) mod tests;

use crate::catalogue::Catalogue;
use crate::index::Index;
use crate::markdown;
use crate::model::{self, Project};
use crate::output::OutputFile;
use crate::radar::{RadarOptions, RadarSeries, radar_svg_with};
use crate::routes::{department_dir, project_dir, racine, sector_dir};
use crate::territory::{Department, Territories};
use crate::text::fold;
use pages::Planned;
use paths::{page_count, page_range, pagination};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use theme::Theme;
use views::*;

/// Slugs of the free pages linked from the footer (required on French public sites).
pub const FOOTER_PAGES: [&str; 2] = ["accessibilite", "mentions-legales"];

/// How many of the latest labelled projects the home page shows.
pub const HOME_LATEST: usize = 6;

/// Everything the render stage needs.
pub struct RenderInput<'a> {
    /// The indexed catalogue (site settings, published projects and pages).
    pub index: &'a Index<'a>,
    /// `<root>/themes/<site.theme>/` if it exists: overrides the embedded default theme
    /// file by file (`templates/…` and `static/…`).
    pub theme_dir: Option<&'a Path>,
    /// The site in each of its other languages (see [`languages::Translations`]), rendered
    /// under `<code>/`; empty for a site of one language.
    pub translations: &'a [Index<'a>],
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
    /// A texts file of the theme (`i18n/<code>.yaml`) does not parse or names an unknown key.
    #[error("le fichier de textes du thème {origin} est invalide ; corrigez-le :\n{message}")]
    ThemeTexts {
        /// The file (or the embedded default theme's file).
        origin: String,
        /// What is wrong, with its line when the YAML reader gives it.
        message: String,
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

/// A site ready to render: theme loaded, what pages share made once, every output planned,
/// in each language of the site (the default first, at the root).
pub struct Prepared<'a> {
    parts: Vec<Part<'a>>,
    /// Output paths of the theme's static files.
    static_paths: Vec<String>,
}

/// The site in one language.
struct Part<'a> {
    theme: Theme,
    shared: Shared<'a>,
    /// Paths relative to the language's root (`shared.prefix` is added on output).
    plan: Vec<Planned>,
    /// Full output paths of `plan`, in the same order.
    paths: Vec<String>,
    /// Hash of the site-wide template variables (`site`, `menu`, `pied`, `t`).
    globals: u64,
}

impl<'a> Prepared<'a> {
    /// Loads the theme, builds the shared views and plans every file, in every language;
    /// fails on a broken theme or on two files planned at the same path.
    pub fn new(input: &RenderInput<'a>) -> Result<Prepared<'a>, RenderError> {
        let texts = texts::Texts::load(input.theme_dir)?;
        let languages: Vec<languages::Language> = std::iter::once(input.index)
            .chain(input.translations.iter())
            .enumerate()
            .map(|(i, index)| {
                let code = site_language(index.site).to_string();
                languages::Language {
                    prefix: if i == 0 {
                        String::new()
                    } else {
                        format!("{code}/")
                    },
                    name: texts.language(&code).text("nom_langue").to_string(),
                    code,
                }
            })
            .collect();
        let mut parts = Vec::new();
        for (i, index) in std::iter::once(input.index)
            .chain(input.translations.iter())
            .enumerate()
        {
            let mut theme = Theme::load_with(input.theme_dir, texts.clone())?;
            let shared = Shared::new(index, &theme, &languages, i, input.index.site)?;
            // The markers and the scale are part of every page's inputs: pages hash what their
            // radars are drawn from, not the drawings (see `Renderer::unchanged_page`).
            let globals = hash_of(&(
                shared.set_globals(&mut theme)?,
                theme.fingerprint(),
                &shared.markers,
                &shared.site.scale,
            ));
            let mut plan = pages::plan(&pages::Scope::new(
                shared.site,
                shared.pages,
                shared.catalogue,
            ));
            if i > 0 {
                plan.retain(|planned| planned.kind.in_every_language());
            }
            let paths = plan
                .par_iter()
                .map(|planned| format!("{}{}", shared.prefix, planned.path))
                .collect();
            parts.push(Part {
                theme,
                shared,
                plan,
                paths,
                globals,
            });
        }
        let static_paths = parts
            .first()
            .map(|part| {
                part.theme
                    .static_outputs()
                    .into_iter()
                    .map(|(path, _)| path)
                    .collect()
            })
            .unwrap_or_default();
        let prepared = Prepared {
            parts,
            static_paths,
        };
        check_conflicts(prepared.paths())?;
        Ok(prepared)
    }

    /// Every path the render stage writes: the plan, then the theme's static files.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.planned()
            .chain(self.static_paths.iter().map(String::as_str))
    }

    /// Hash of every template's name and text (and of the theme's texts).
    pub fn theme_fingerprint(&self) -> u64 {
        self.parts
            .first()
            .map_or(0, |part| part.theme.fingerprint())
    }

    /// Every planned path (theme files excluded), in plan order, language by language.
    pub fn planned(&self) -> impl Iterator<Item = &str> {
        self.parts
            .iter()
            .flat_map(|part| part.paths.iter().map(String::as_str))
    }

    /// Renders the planned files whose path is in `only` (every planned file and the
    /// theme's static files when `only` is `None`) in parallel, handing each to `sink` as
    /// soon as it is made; returns how many were made. Stops at the first error.
    pub fn render_each<E>(
        &self,
        only: Option<&HashSet<String>>,
        progress: &crate::progress::Progress,
        sink: impl Fn(OutputFile) -> Result<(), E> + Sync + Send,
    ) -> Result<usize, E>
    where
        E: From<RenderError> + Send,
    {
        self.render_with(only, None, None, progress, sink)
    }

    /// Renders every planned file and the theme's static files for a build over a previous
    /// output: a page whose inputs are those recorded in `hashes` (fingerprints of the
    /// previous build, see [`crate::fingerprints`]) is not rendered but handed to `keep`,
    /// which takes the previous file as it is, or answers false (it is then rendered after
    /// all). Returns how many files were handed to `sink`.
    pub fn render_reusing<E>(
        &self,
        hashes: &PageHashes,
        progress: &crate::progress::Progress,
        keep: impl Fn(&str) -> Result<bool, E> + Sync + Send,
        sink: impl Fn(OutputFile) -> Result<(), E> + Sync + Send,
    ) -> Result<usize, E>
    where
        E: From<RenderError> + Send,
    {
        self.render_with(None, Some(hashes), Some(&keep), progress, sink)
    }

    /// Renders the planned files whose path is in `only` (every planned file and the theme's
    /// static files when `only` is `None`), skipping the pages whose inputs are those
    /// recorded in `hashes` (the incremental renders of `serve`); returns how many files
    /// were handed to `sink`.
    pub fn render_changed<E>(
        &self,
        only: Option<&HashSet<String>>,
        hashes: &PageHashes,
        sink: impl Fn(OutputFile) -> Result<(), E> + Sync + Send,
    ) -> Result<usize, E>
    where
        E: From<RenderError> + Send,
    {
        self.render_with(
            only,
            Some(hashes),
            None,
            &crate::progress::Progress::hidden(),
            sink,
        )
    }

    #[allow(clippy::type_complexity)]
    fn render_with<E>(
        &self,
        only: Option<&HashSet<String>>,
        hashes: Option<&PageHashes>,
        keep: Option<&(dyn Fn(&str) -> Result<bool, E> + Sync + Send)>,
        progress: &crate::progress::Progress,
        sink: impl Fn(OutputFile) -> Result<(), E> + Sync + Send,
    ) -> Result<usize, E>
    where
        E: From<RenderError> + Send,
    {
        let produced = std::sync::atomic::AtomicUsize::new(0);
        let selected = only.map_or(self.planned().count(), |only| {
            self.planned().filter(|p| only.contains(*p)).count()
        });
        progress.start("pages", selected);
        for part in &self.parts {
            let renderer = Renderer {
                shared: &part.shared,
                theme: &part.theme,
                plan: &part.plan,
                globals: part.globals,
                hashes,
            };
            // Renders whatever the hashes say, for a page whose previous file is gone.
            let plain = Renderer {
                hashes: None,
                ..renderer
            };
            let prefixed = |file: OutputFile| OutputFile {
                path: format!("{}{}", part.shared.prefix, file.path),
                bytes: file.bytes,
            };
            part.plan
                .par_iter()
                .zip(part.paths.par_iter())
                .filter(|(_, path)| only.is_none_or(|only| only.contains(*path)))
                .try_for_each(|(planned, path)| {
                    let rendered = renderer.render(planned)?;
                    progress.tick();
                    let file = match rendered {
                        Some(file) => file,
                        None => match keep {
                            Some(keep) if !keep(path)? => {
                                plain.render(planned)?.ok_or_else(|| missing(path))?
                            }
                            _ => return Ok(()),
                        },
                    };
                    produced.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    sink(prefixed(file))
                })?;
        }
        let mut count = produced.into_inner();
        if only.is_none()
            && let Some(part) = self.parts.first()
        {
            for (path, bytes) in part.theme.static_outputs() {
                sink(OutputFile {
                    path,
                    bytes: bytes.to_vec(),
                })?;
                count += 1;
            }
        }
        Ok(count)
    }
}

/// Renders the whole site in memory: every page, the radars and the theme's static files.
pub fn render_site(input: &RenderInput) -> Result<Vec<OutputFile>, RenderError> {
    let prepared = Prepared::new(input)?;
    let mut files =
        gather(|sink| prepared.render_each(None, &crate::progress::Progress::hidden(), sink))?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The files a parallel render hands to its sink, gathered in memory (in no set order).
pub fn gather(
    render: impl FnOnce(
        &(dyn Fn(OutputFile) -> Result<(), RenderError> + Sync + Send),
    ) -> Result<usize, RenderError>,
) -> Result<Vec<OutputFile>, RenderError> {
    let files = std::sync::Mutex::new(Vec::new());
    render(&|file| {
        files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(file);
        Ok(())
    })?;
    Ok(files
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner))
}

/// Fails on the first output path produced twice.
fn check_conflicts<'p>(paths: impl Iterator<Item = &'p str>) -> Result<(), RenderError> {
    let mut seen = foldhash::HashSet::default();
    for path in paths {
        if !seen.insert(path) {
            return Err(RenderError::PathConflict {
                path: path.to_string(),
            });
        }
    }
    Ok(())
}

/// What every page shares, computed once per build from the index.
pub struct Shared<'a> {
    /// The indexed catalogue.
    pub index: &'a Index<'a>,
    /// Site settings.
    pub site: &'a model::Site,
    /// Published free pages.
    pub pages: &'a [model::Page],
    /// Published projects with their listings.
    pub catalogue: &'a Catalogue<'a>,
    /// The region's reference tables.
    pub territories: &'static Territories,
    /// The region's departments, in code order.
    pub departments: &'static [Department],
    /// Project cards as Tera values with their hashes, by project position, each made the
    /// first time a page shows it (`serve` renders a few pages per rebuild).
    cards: Vec<std::sync::OnceLock<Option<Card>>>,
    /// Every sector of the vocabulary, in site order, with its count.
    pub sectors: Vec<Entree>,
    /// The region's departments, in code order, with their counts.
    pub department_entries: Vec<Entree>,
    /// Every target group of the vocabulary, in site order, with its count.
    pub publics: Vec<Entree>,
    /// Sector key -> position in `site.sectors`.
    sector_positions: HashMap<&'a str, usize>,
    /// Free pages in menu order (`ordre`, then title).
    menu_pages: Vec<&'a model::Page>,
    /// The latest date of the whole catalogue (sitemap date of every page listing it all).
    pub latest_of_all: Option<model::Date>,
    /// The theme's texts in the site's language.
    pub texts: texts::LanguageTexts,
    /// The texts radars write themselves, in the site's language (from `texts`).
    pub radar_texts: crate::radar::RadarTexts,
    /// The twelve markers as pages show them: the site's names and explanations where
    /// site.yaml gives them, else the theme's.
    pub markers: Vec<model::MarkerInfo>,
    /// Folder of this language's pages: empty for the default language, else `<code>/`.
    pub prefix: String,
    /// What leads from this language's root to the site's root (shared files): empty for the
    /// default language, else [`languages::SHARED_PREFIX`].
    pub shared_prefix: &'static str,
    /// Every language of the site, the default first.
    languages: Vec<languages::Language>,
    /// Position of this one in `languages`.
    language: usize,
    /// The default language's settings (its address is the site's root).
    pub root_site: &'a model::Site,
    /// What every page of an EPCI shows above its projects, by position in the region's
    /// EPCI, made by its first page rendered.
    pub(crate) epci_heads: Vec<std::sync::OnceLock<territories::EpciHead>>,
}

impl<'a> Shared<'a> {
    fn new(
        index: &'a Index<'a>,
        theme: &Theme,
        languages: &[languages::Language],
        language: usize,
        root_site: &'a model::Site,
    ) -> Result<Shared<'a>, RenderError> {
        let site = index.site;
        let texts = theme.texts.language(site_language(site));
        let catalogue = &index.catalogue;
        let territories = index.territories;
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
        let publics: Vec<Entree> = site
            .publics
            .iter()
            .map(|p| Entree {
                nom: p.name.clone(),
                chemin: crate::routes::public_dir(&p.key),
                nombre: catalogue.projects_for_public(&p.key).len(),
                description: String::new(),
                cle: p.key.clone(),
            })
            .collect();
        let mut menu_pages: Vec<&model::Page> = index.pages.iter().collect();
        menu_pages
            .sort_by_cached_key(|p| (p.order.is_none(), p.order, fold(&p.title), p.slug.clone()));

        let mut shared = Shared {
            index,
            site,
            pages: index.pages,
            catalogue,
            territories,
            departments,
            cards: Vec::new(),
            sectors,
            department_entries,
            publics,
            sector_positions,
            menu_pages,
            latest_of_all: discovery::latest_date(catalogue, catalogue.listing()),
            markers: localized_markers(&site.markers, texts),
            radar_texts: radar_texts(texts),
            texts: texts.clone(),
            prefix: languages
                .get(language)
                .map(|l| l.prefix.clone())
                .unwrap_or_default(),
            shared_prefix: if language == 0 {
                ""
            } else {
                languages::SHARED_PREFIX
            },
            languages: languages.to_vec(),
            language,
            root_site,
            epci_heads: territories
                .epcis()
                .iter()
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        };
        shared.cards = catalogue
            .all()
            .iter()
            .map(|_| std::sync::OnceLock::new())
            .collect();
        Ok(shared)
    }

    /// Code of this part's language (`fr` when site.yaml names none).
    pub fn language_code(&self) -> &str {
        site_language(self.site)
    }

    /// Projects per listing page.
    pub fn per_page(&self) -> usize {
        self.site.per_page.max(1)
    }

    /// Sets the site-wide variables `site`, `menu`, `pied`; returns the hash of their values.
    fn set_globals(&self, theme: &mut Theme) -> Result<u64, RenderError> {
        let site = SiteView {
            titre: &self.site.title,
            description: &self.site.description,
            langue: site_language(self.site),
            url_base: self.site.url_base.as_deref(),
            organisme: self.site.operator.as_ref().map(|o| IdentityView {
                nom: &o.name,
                site_web: o.website.as_deref(),
                logo: o.logo.as_ref(),
            }),
            partenaires: (self.site.partners.iter())
                .map(|p| IdentityView {
                    nom: &p.name,
                    site_web: p.website.as_deref(),
                    logo: Some(&p.logo),
                })
                .collect(),
        };
        let mut menu: Vec<MenuItem> = pages::menu()
            .map(|entry| MenuItem {
                cle: entry.key.into(),
                nom: self.tr(entry.key),
                chemin: entry.path.into(),
            })
            .collect();
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
            nom: self.tr("donnees_ouvertes"),
            chemin: crate::routes::DATA_DIR.into(),
        });
        theme.set_global("pied", to_value(&footer, "")?);
        let texts = theme.texts.language(site.langue).value().clone();
        theme.set_global("t", texts);
        if !self.shared_prefix.is_empty() {
            // What `asset()` puts before the static files' paths (see `theme`).
            theme.set_global("partage", tera::Value::from(self.shared_prefix));
        }
        Ok(hash_of(&(&site, &menu, &footer)))
    }

    /// A link to a sector's page (the key itself when it is not in the vocabulary).
    pub(crate) fn sector_link(&self, key: &str) -> Lien {
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

    /// A link to a target group's page (the publics index when it is not in the vocabulary).
    pub(crate) fn public_link(&self, key: &str) -> Lien {
        match self.publics.iter().find(|p| p.cle == key) {
            Some(entry) => Lien {
                nom: entry.nom.clone(),
                chemin: entry.chemin.clone(),
            },
            None => Lien {
                nom: key.to_string(),
                chemin: crate::routes::PUBLICS_DIR.into(),
            },
        }
    }

    /// A link to a department's page (the secteur index when it is not the region's).
    pub(crate) fn department_link(&self, code: &str) -> Lien {
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
    pub(crate) fn card<'p>(&self, project: &'p Project) -> ProjectCard<'p> {
        ProjectCard {
            langue_texte: self.project_text_language(&project.slug),
            slug: &project.slug,
            titre: &project.title,
            resume: &project.summary,
            chemin: project_dir(&project.slug),
            annee: project.label.year,
            stade: self.texts.stage(project.stage).to_string(),
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

    /// The card of the project at `position`, made on first use. A card that could not
    /// become a Tera value is left out (it holds only texts and numbers: never seen).
    pub(crate) fn card_at(&self, position: usize) -> Option<&Card> {
        let project = self.catalogue.project(position)?;
        self.cards
            .get(position)?
            .get_or_init(|| {
                let card = self.card(project);
                Some(Card {
                    value: to_value(&card, &project_dir(&project.slug)).ok()?,
                    hash: hash_of(&card),
                })
            })
            .as_ref()
    }

    /// The cards of a page of a listing.
    pub(crate) fn cards_of(&self, positions: &[usize]) -> Vec<&Card> {
        positions.iter().filter_map(|&i| self.card_at(i)).collect()
    }

    /// A page of a listing.
    pub(crate) fn listing(&self, base: &str, positions: &[usize], page: usize) -> Listing<'_> {
        let per_page = self.site.per_page.max(1);
        let total = page_count(positions.len(), per_page);
        Listing {
            nombre: positions.len(),
            projets: self.cards_of(&positions[page_range(positions.len(), per_page, page)]),
            pagination: pagination(base, page, total),
        }
    }

    /// The page metadata of an output path.
    pub(crate) fn meta(
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
            langues: self.language_links(&dir),
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
            flux: discovery::feed_links(self.site, self.catalogue, None, None, &self.texts),
        }
    }
}

/// The language of the site's pages (`fr` when site.yaml leaves it empty).
/// The texts radars write themselves, from the theme's texts of one language (`radar_…`,
/// `separateur_decimal`).
fn radar_texts(texts: &texts::LanguageTexts) -> crate::radar::RadarTexts {
    let plain = |key: &str| std::borrow::Cow::Owned(texts::plain_text(texts.text(key)));
    crate::radar::RadarTexts {
        numbered_title: plain("radar_axes_numerotes"),
        numbered_note: plain("radar_note_numeros"),
        score_separator: plain("radar_separateur_note"),
        not_assessed: plain("radar_non_evalue"),
        not_assessed_short: plain("radar_ne_court"),
        series: plain("radar_serie"),
        decimal: texts
            .text("separateur_decimal")
            .chars()
            .next()
            .unwrap_or(','),
    }
}

fn site_language(site: &model::Site) -> &str {
    if site.language.is_empty() {
        "fr"
    } else {
        &site.language
    }
}

/// The markers with the theme's names and explanations where the site does not give its own.
fn localized_markers(
    markers: &[model::MarkerInfo],
    texts: &texts::LanguageTexts,
) -> Vec<model::MarkerInfo> {
    markers
        .iter()
        .enumerate()
        .map(|(axis, marker)| {
            let mut marker = marker.clone();
            if !marker.custom_name
                && let Some(name) = texts.marker_name(axis)
            {
                marker.name = name.to_string();
            }
            if !marker.custom_help
                && let Some(help) = texts.marker_help(axis)
            {
                marker.help = help.to_string();
            }
            marker
        })
        .collect()
}

impl Shared<'_> {
    /// The language of a project's texts when it has no translation into this language.
    pub(crate) fn project_text_language(&self, slug: &str) -> Option<String> {
        let untranslated = self.index.untranslated.as_ref()?;
        untranslated
            .projects
            .contains(slug)
            .then(|| untranslated.language.clone())
    }

    /// The language of a free page's texts when it has no translation into this language.
    pub(crate) fn page_text_language(&self, slug: &str) -> Option<String> {
        let untranslated = self.index.untranslated.as_ref()?;
        untranslated
            .pages
            .contains(slug)
            .then(|| untranslated.language.clone())
    }

    /// A score as this page's language writes it ("2,5", "2.5"; the theme's
    /// `separateur_decimal`).
    pub fn score(&self, score: f64) -> String {
        model::format_score_with(score, self.radar_texts.decimal)
    }

    /// A date as this page's language writes it ("15 juin 2017", "15 June 2017"): the theme's
    /// `mois` (the twelve months, separated by commas) and `date` (`{jour} {mois} {annee}`);
    /// in French, the first of the month is "1er".
    pub(crate) fn date(&self, date: model::Date) -> String {
        if self.texts.text("mois") == "mois" || self.site.language == "fr" {
            return date.french();
        }
        let months: Vec<&str> = self.texts.text("mois").split(',').map(str::trim).collect();
        let month = months
            .get(usize::from(date.month).saturating_sub(1))
            .copied()
            .unwrap_or_default();
        self.trf(
            "date",
            &[
                ("jour", &date.day.to_string()),
                ("mois", month),
                ("annee", &date.year.to_string()),
            ],
        )
    }

    /// An interface text of the theme in this page's language.
    pub(crate) fn tr(&self, key: &str) -> String {
        self.texts.text(key).to_string()
    }

    /// An interface text with its holes filled (see [`texts::LanguageTexts::fill`]).
    pub(crate) fn trf(&self, key: &str, holes: &[(&str, &str)]) -> String {
        self.texts.fill(key, None, holes)
    }

    /// An interface text in its form for `n`, holes filled.
    pub(crate) fn trn(&self, key: &str, n: usize, holes: &[(&str, &str)]) -> String {
        self.texts.fill(key, Some(n), holes)
    }

    /// The page at `dir` (relative to its language's root) in every language of the site,
    /// for the language switcher and `hreflang`; empty on a site of one language, and for a
    /// file that is not a folder's page (the 404 page: its address is not known).
    fn language_links(&self, dir: &str) -> Vec<LanguageLink> {
        if self.languages.len() < 2 || !(dir.is_empty() || dir.ends_with('/')) {
            return Vec::new();
        }
        let up = crate::routes::racine(&crate::routes::index_of(dir));
        let up = if up == "./" { "" } else { up.as_str() };
        let to_root = format!("{up}{}", self.shared_prefix);
        self.languages
            .iter()
            .enumerate()
            .map(|(i, language)| {
                let path = format!("{}{dir}", language.prefix);
                let lien = if path.is_empty() && to_root.is_empty() {
                    "./".to_string()
                } else {
                    format!("{to_root}{path}")
                };
                LanguageLink {
                    code: language.code.clone(),
                    nom: language.name.clone(),
                    url: self
                        .root_site
                        .url_base
                        .as_deref()
                        .map_or_else(|| lien.clone(), |base| discovery::absolute_url(base, &path)),
                    lien,
                    courante: i == self.language,
                    defaut: i == 0,
                }
            })
            .collect()
    }
}

/// Menu key of a free page.
pub(crate) fn page_menu_key(slug: &str) -> String {
    format!("page-{slug}")
}

/// A breadcrumb step with a link.
pub(crate) fn crumb(nom: impl Into<String>, chemin: impl Into<String>) -> Miette {
    Miette {
        nom: nom.into(),
        chemin: Some(chemin.into()),
    }
}

/// Ends the breadcrumb `fil` of page `page` of the listing `name` at `dir`: the listing itself
/// on its first page, else a link to it followed by "Page N".
pub(crate) fn listing_crumbs(
    s: &Shared<'_>,
    mut fil: Vec<Miette>,
    name: &str,
    dir: &str,
    page: usize,
) -> Vec<Miette> {
    if page > 1 {
        fil.push(crumb(name, dir));
        fil.push(here(s.trf("page_n", &[("n", &page.to_string())])));
    } else {
        fil.push(here(name));
    }
    fil
}

/// The last breadcrumb step (the current page).
pub(crate) fn here(nom: impl Into<String>) -> Miette {
    Miette {
        nom: nom.into(),
        chemin: None,
    }
}

/// " (page N sur M)" for pages after the first, so that every title is unique.
pub(crate) fn page_suffix(s: &Shared<'_>, page: usize, total: usize) -> String {
    if page > 1 {
        s.trf(
            "page_sur",
            &[("page", &page.to_string()), ("total", &total.to_string())],
        )
    } else {
        String::new()
    }
}

/// Renders planned pages with the shared data and the theme.
pub struct Renderer<'r, 'a> {
    /// What every page shares.
    pub shared: &'r Shared<'a>,
    theme: &'r Theme,
    /// The whole plan (the sitemap lists its pages).
    pub plan: &'r [Planned],
    /// Hash of the site-wide template variables.
    globals: u64,
    /// In `serve`: the pages' input hashes, to skip unchanged pages.
    hashes: Option<&'r PageHashes>,
}

impl Renderer<'_, '_> {
    /// Produces one planned file with its kind (`None`: unchanged since the previous render).
    fn render(&self, planned: &Planned) -> Result<Rendered, RenderError> {
        planned.kind.render(self, planned)
    }

    /// The radar of a project alone, in the layout of `options`; `suffix` ends its ids (two
    /// layouts of one radar share a page).
    pub(crate) fn radar(&self, project: &Project, options: RadarOptions, suffix: &str) -> String {
        let site = self.shared.site;
        let series = [RadarSeries {
            label: &project.title,
            scores: &project.markers,
            class: "projet",
        }];
        let assessed = project.markers.iter().filter(|m| m.is_some()).count();
        radar_svg_with(
            &self.shared.markers,
            &site.scale,
            &series,
            &self.shared.trf("radar_titre", &[("titre", &project.title)]),
            &self.shared.trf(
                "radar_description",
                &[
                    ("evalues", &assessed.to_string()),
                    ("total", &model::MARKER_COUNT.to_string()),
                    ("min", &self.shared.score(site.scale.min)),
                    ("max", &self.shared.score(site.scale.max)),
                ],
            ),
            &format!("radar-{}{suffix}", project.slug),
            RadarOptions {
                texts: &self.shared.radar_texts,
                ..options
            },
        )
    }

    /// Whether the file at `path`, made from `inputs` only, is the one the previous render
    /// (`serve`) or build (its fingerprints) made: it is then not made again; always false
    /// without previous hashes. For files made without a template (radars, the search
    /// index), whose inputs the caller names.
    pub(crate) fn unchanged<T: Serialize + ?Sized>(&self, path: &str, inputs: &T) -> bool {
        self.hashes.is_some_and(|hashes| {
            hashes.record(&format!("{}{path}", self.shared.prefix), hash_of(inputs))
        })
    }

    /// Renders a page whose `racine` follows from its path.
    pub(crate) fn page<V: Serialize>(
        &self,
        template: &str,
        path: &str,
        meta: &PageMeta<'_>,
        view: &V,
    ) -> Result<Rendered, RenderError> {
        self.page_with_root(template, path, &racine(path), meta, view)
    }

    /// Renders a page with an explicit `racine`.
    pub(crate) fn page_with_root<V: Serialize>(
        &self,
        template: &str,
        path: &str,
        root: &str,
        meta: &PageMeta<'_>,
        view: &V,
    ) -> Result<Rendered, RenderError> {
        if self.unchanged_page_with_root(template, path, root, meta, view) {
            return Ok(None);
        }
        self.render_page_with_root(template, path, root, meta, view)
    }

    /// Whether the page at `path` would receive the same inputs as in the previous render
    /// (then it is not rendered), `key` standing for its view: the view itself, or the view
    /// with what is costly to make (a radar's SVG) replaced by what it is made from. Records
    /// the page's new hash; call it once per page.
    pub(crate) fn unchanged_page<K: Serialize + ?Sized>(
        &self,
        template: &str,
        path: &str,
        meta: &PageMeta<'_>,
        key: &K,
    ) -> bool {
        self.unchanged_page_with_root(template, path, &racine(path), meta, key)
    }

    fn unchanged_page_with_root<K: Serialize + ?Sized>(
        &self,
        template: &str,
        path: &str,
        root: &str,
        meta: &PageMeta<'_>,
        key: &K,
    ) -> bool {
        self.unchanged(path, &(self.globals, template, root, meta, key))
    }

    /// Renders a page without looking at the previous render (after
    /// [`Renderer::unchanged_page`]).
    pub(crate) fn render_page<V: Serialize>(
        &self,
        template: &str,
        path: &str,
        meta: &PageMeta<'_>,
        view: &V,
    ) -> Result<Rendered, RenderError> {
        self.render_page_with_root(template, path, &racine(path), meta, view)
    }

    fn render_page_with_root<V: Serialize>(
        &self,
        template: &str,
        path: &str,
        root: &str,
        meta: &PageMeta<'_>,
        view: &V,
    ) -> Result<Rendered, RenderError> {
        let mut context = tera::Context::new();
        context.insert_value("racine", tera::Value::from(root));
        context.insert_value("page", to_value(meta, path)?);
        context.insert_value("vue", to_value(view, path)?);
        let html = self.theme.render(template, &context, path)?;
        Ok(Some(OutputFile {
            path: path.to_string(),
            bytes: html.into_bytes(),
        }))
    }
}

/// A rendered file, or `None` when `serve` already has it (same template inputs as in the
/// previous render: see [`PageHashes`]).
pub type Rendered = Option<OutputFile>;

/// The hash of what each template page received, per output path: `serve` re-renders only
/// the pages whose inputs changed since its previous render. The inputs are exactly what the
/// template sees (its name, `racine`, `page`, `vue` and the site-wide variables), so no list
/// of what a page depends on is kept by hand, and a new page kind needs nothing here.
#[derive(Debug, Default)]
pub struct PageHashes {
    previous: HashMap<String, u64>,
    current: std::sync::Mutex<HashMap<String, u64>>,
}

impl PageHashes {
    /// Hashes to compare with those of a previous render (empty: render everything).
    pub fn after(previous: HashMap<String, u64>) -> PageHashes {
        PageHashes {
            previous,
            current: Default::default(),
        }
    }

    /// Records the inputs of the page at `path`; true when they are those of the previous
    /// render.
    fn record(&self, path: &str, inputs: u64) -> bool {
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_string(), inputs);
        self.previous.get(path) == Some(&inputs)
    }

    /// The hashes of this render, for the next one.
    pub fn into_current(self) -> HashMap<String, u64> {
        self.current
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The hashes of the pages rendered since [`PageHashes::after`], and the previous hashes
    /// of the other pages that `keep` still wants (`serve` renders pages on request: a page
    /// not asked for since keeps the hash of the bytes it still holds).
    pub fn into_merged(self, keep: impl Fn(&str) -> bool) -> HashMap<String, u64> {
        let PageHashes { previous, current } = self;
        let mut merged = previous;
        merged.retain(|path, _| keep(path));
        merged.extend(
            current
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        merged
    }
}

thread_local! {
    /// Whether this thread is serialising a value for [`hash_of`] (a [`Card`] then gives its
    /// hash instead of its content).
    static HASHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A project card (as listings, the home page and related projects show it) made once per
/// build: its Tera value, and the hash of that value, which a page's input hash takes instead
/// of serialising the card again.
#[derive(Debug)]
pub struct Card {
    value: tera::Value,
    hash: u64,
}

impl Serialize for Card {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if HASHING.get() {
            serializer.serialize_u64(self.hash)
        } else {
            self.value.serialize(serializer)
        }
    }
}

/// A 64-bit hash of a value's serialisation (with each [`Card`] standing for its hash),
/// written into a buffer kept by the thread and hashed once (foldhash, fixed seed: the same
/// in every run of one executable, which is all the fingerprints need, see
/// [`crate::fingerprints::identity`]).
pub(crate) fn hash_of<T: Serialize + ?Sized>(value: &T) -> u64 {
    use std::cell::RefCell;
    use std::hash::BuildHasher;
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    let hash = |buffer: &mut Vec<u8>| {
        buffer.clear();
        let hashing = HASHING.replace(true);
        // A value that cannot be serialised hashes as what was written so far: its page is
        // then rendered, and the render reports the error.
        let _ = serde_json::to_writer(&mut *buffer, value);
        HASHING.set(hashing);
        let hash = foldhash::quality::FixedState::with_seed(0).hash_one(buffer.as_slice());
        // A large input (the search index's) is not held until the thread ends.
        if buffer.capacity() > 1 << 20 {
            *buffer = Vec::new();
        }
        hash
    };
    BUFFER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buffer) => hash(&mut buffer),
        Err(_) => hash(&mut Vec::new()),
    })
}

/// Whether `url` is an absolute http(s) URL that may become an `href`.
pub(crate) fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && markdown::is_safe_url(url)
}

/// An internal inconsistency of the plan (a position out of range): never expected.
pub(crate) fn missing(path: &str) -> RenderError {
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

//! The site in its other languages (`langues: [fr, en]`): each one's settings, projects and pages, indexed once, rendered under `<code>/`.
//!
//! The default language is at the site's root and built exactly as a site of one language.
//! Every other language gets the whole site again under `<code>/` (`en/projets/…`): its pages
//! link within their language (their `racine` leads to `<code>/`), while the files every
//! language shares — the theme's static files, `medias/`, the open data files, the social
//! cards, the sitemap and `robots.txt` — stay at the root, reached through [`SHARED_PREFIX`].

use crate::index::{Index, Untranslated};
use crate::model::{Page, PageTranslation, Project, ProjectTranslation, Site};

/// What leads from a language's root (`en/`) back to the site's root, where shared files are.
pub const SHARED_PREFIX: &str = "../";

/// A language of the site as pages link to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Language {
    /// Code (`en`).
    pub code: String,
    /// Folder of its pages, relative to the site root: empty for the default language, else
    /// `<code>/`.
    pub prefix: String,
    /// Its name in itself ("English"), from the theme's texts.
    pub name: String,
}

/// The site's settings, projects and pages in each language other than the default.
pub struct Translations {
    parts: Vec<(Site, Vec<Project>, Vec<Page>, Untranslated)>,
}

impl Translations {
    /// The other languages of `site` (none for a site of one language). Each one's settings
    /// take the texts site.yaml gives for it, its address is `url_base` + `<code>/`, and its
    /// media paths lead to the shared `medias/`; a project or page with a translation into it
    /// takes its texts, the others keep those of the default language.
    pub fn new(
        site: &Site,
        projects: &[Project],
        pages: &[Page],
        project_translations: &[ProjectTranslation],
        page_translations: &[PageTranslation],
    ) -> Translations {
        let parts = site
            .languages()
            .into_iter()
            .skip(1)
            .map(|code| {
                let mut localized = site.localized(code);
                localized.url_base = site.url_base.as_ref().map(|base| format!("{base}{code}/"));
                if let Some(operator) = &mut localized.operator
                    && let Some(logo) = &mut operator.logo
                {
                    logo.src = format!("{SHARED_PREFIX}{}", logo.src);
                }
                for partner in &mut localized.partners {
                    partner.logo.src = format!("{SHARED_PREFIX}{}", partner.logo.src);
                }
                let mut untranslated = Untranslated {
                    language: site.language.clone(),
                    ..Untranslated::default()
                };
                let projects: Vec<Project> = projects
                    .iter()
                    .map(|project| {
                        let mut project = project.clone();
                        if let Some(image) = &mut project.image {
                            image.src = format!("{SHARED_PREFIX}{}", image.src);
                        }
                        match project_translations
                            .iter()
                            .find(|t| t.language == code && t.slug == project.slug)
                        {
                            Some(translation) => {
                                project.title = translation.title.clone();
                                project.summary = translation.summary.clone();
                                project.body = translation.body.clone();
                                if let (Some(image), Some(alt)) =
                                    (&mut project.image, &translation.image_alt)
                                {
                                    image.alt = alt.clone();
                                }
                            }
                            None => {
                                untranslated.projects.insert(project.slug.clone());
                            }
                        }
                        project
                    })
                    .collect();
                let pages: Vec<Page> = pages
                    .iter()
                    .map(|page| {
                        let mut page = page.clone();
                        match page_translations
                            .iter()
                            .find(|t| t.language == code && t.slug == page.slug)
                        {
                            Some(translation) => {
                                page.title = translation.title.clone();
                                if let Some(summary) = &translation.summary {
                                    page.summary = summary.clone();
                                }
                                page.body = translation.body.clone();
                            }
                            None => {
                                untranslated.pages.insert(page.slug.clone());
                            }
                        }
                        page
                    })
                    .collect();
                (localized, projects, pages, untranslated)
            })
            .collect();
        Translations { parts }
    }

    /// Each other language's catalogue, indexed (bodies parsed with their links within the
    /// language and their media paths to the shared `medias/`), with the aggregates that do
    /// not depend on the language taken from `default`, the default language's index.
    pub fn indexes(&self, default: &Index<'_>) -> Vec<Index<'_>> {
        self.parts
            .iter()
            .map(|(site, projects, pages, untranslated)| {
                Index::new_in(
                    site,
                    projects,
                    pages,
                    SHARED_PREFIX,
                    Some(untranslated.clone()),
                    Some(default),
                )
            })
            .collect()
    }
}

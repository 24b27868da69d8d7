//! Discovery files: absolute URLs, `sitemap.xml`, `robots.txt`, Atom feeds and JSON-LD.
//!
//! Everything here is dated from the content, never from the clock: a project's date is its
//! last editorial update (`mis_a_jour`), else its label decision date, else 1 January of its
//! label year, whichever is latest ([`project_date`]); a listing's is the latest date of
//! its projects. Absolute URLs need the site's public address (`url_base` or `--base-url`):
//! without it there is no sitemap, no feed and no absolute meta (see [`discovery_enabled`]).

use super::opendata::Record;
use super::pages::Planned;
use super::views::Lien;
use super::{RenderError, Rendered, Renderer, missing};
use crate::catalogue::Catalogue;
use crate::escape;
use crate::model::{Date, Project, Site};
use crate::output::OutputFile;
use crate::routes::{department_dir, project_dir, sector_dir};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::HashSet;
use std::ops::Range;

/// Most entries in one Atom feed (the newest labelled projects).
pub const FEED_LIMIT: usize = 50;

use crate::routes::{FEED_FILE, card_path};

/// Most URLs in one sitemap file (sitemaps.org protocol).
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// Largest sitemap file in bytes, uncompressed (sitemaps.org protocol: 50 MiB).
pub const SITEMAP_MAX_BYTES: usize = 52_428_800;

/// Width of the social card in pixels.
pub const CARD_WIDTH: u32 = 1200;

/// Height of the social card in pixels.
pub const CARD_HEIGHT: u32 = 630;

/// Which projects a feed lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedScope {
    /// The whole catalogue (`atom.xml`).
    Site,
    /// One sector, by position in `site.sectors` (`secteurs/<cle>/atom.xml`).
    Sector(usize),
    /// One department, by position in the region's departments
    /// (`territoires/<slug>/atom.xml`).
    Department(usize),
}

/// Whether the site can publish absolute URLs (sitemap, feeds, canonical and OpenGraph URLs).
pub fn discovery_enabled(site: &Site) -> bool {
    site.url_base.is_some()
}

/// Whether feeds are published: the site knows its address and has at least one project
/// (a feed's `updated` date must come from the data).
pub fn feeds_enabled(site: &Site, catalogue: &Catalogue<'_>) -> bool {
    discovery_enabled(site) && !catalogue.is_empty()
}

/// The warning printed by `build` when the site has no public address.
pub const NO_BASE_URL_WARNING: &str = "avertissement : site.yaml n'indique pas url_base et --base-url n'est pas donné : \
     sitemap.xml, les flux Atom et les adresses absolues des balises de partage (og:url, og:image) \
     ne sont pas produits. Indiquez l'adresse publique du site pour les obtenir.";

/// `path` (relative to the site root) as an absolute URL under `base` (which ends with `/`).
pub fn absolute_url(base: &str, path: &str) -> String {
    let path = path.trim_start_matches('/');
    if base.ends_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    }
}

/// 1 January of the label year: the earliest the label can have been granted.
fn year_start(project: &Project) -> Date {
    Date {
        year: project.label.year,
        month: 1,
        day: 1,
    }
}

/// When the project was labelled: the decision date, else 1 January of the label year.
pub fn label_date(project: &Project) -> Date {
    project.label.date.unwrap_or_else(|| year_start(project))
}

/// When the project's page last changed in substance: the latest of its editorial update,
/// its label decision date and 1 January of its label year.
pub fn project_date(project: &Project) -> Date {
    [
        Some(year_start(project)),
        project.label.date,
        project.updated,
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or_else(|| year_start(project))
}

/// The latest [`project_date`] of the projects at `positions`.
pub fn latest_date(catalogue: &Catalogue<'_>, positions: &[usize]) -> Option<Date> {
    positions
        .iter()
        .filter_map(|&i| catalogue.project(i))
        .map(project_date)
        .max()
}

/// A date as an Atom timestamp (midnight UTC).
fn atom_time(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// One URL of the sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    /// Absolute URL.
    pub loc: String,
    /// Last modification, omitted when unknown (free pages).
    pub lastmod: Option<Date>,
    /// On a site of several languages: the page in each language, as (`hreflang`, absolute
    /// URL), `x-default` included (`<xhtml:link rel="alternate">`).
    pub alternates: Vec<(String, String)>,
}

/// A language of the site as the sitemap lists it: its code and the folder of its pages.
pub type SitemapLanguage = (String, String);

/// One URL of a sitemap: its address, its alternates (`hreflang`, URL) and the position of its
/// page among the pages the sitemap lists.
pub type SitemapUrl = (String, Vec<(String, String)>, usize);

/// The languages of `site` for the sitemap: empty for a site of one language.
pub fn sitemap_languages(site: &Site) -> Vec<SitemapLanguage> {
    let languages = site.languages();
    if languages.len() < 2 {
        return Vec::new();
    }
    languages
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let prefix = if i == 0 {
                String::new()
            } else {
                format!("{code}/")
            };
            (code.to_string(), prefix)
        })
        .collect()
}

/// The URL of the `n`-th entry of a sitemap over `pages` in `languages` (each page once per
/// language, the languages of a page together) and its alternates.
pub fn sitemap_url(
    base: &str,
    pages: &[&Planned],
    languages: &[SitemapLanguage],
    n: usize,
) -> Option<SitemapUrl> {
    if languages.is_empty() {
        let page = pages.get(n)?;
        return Some((page_url(base, page), Vec::new(), n));
    }
    let position = n / languages.len();
    let page = pages.get(position)?;
    let url_in = |prefix: &str| absolute_url(base, &format!("{prefix}{}", page.dir()));
    let mut alternates: Vec<(String, String)> = languages
        .iter()
        .map(|(code, prefix)| (code.clone(), url_in(prefix)))
        .collect();
    alternates.push(("x-default".to_string(), url_in(&languages[0].1)));
    let loc = url_in(&languages[n % languages.len()].1);
    Some((loc, alternates, position))
}

/// Start of a sitemap file, up to its root element's opening tag.
const URLSET_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";

/// End of a sitemap file.
const URLSET_TAIL: &str = "</urlset>\n";

/// One entry of a sitemap or of a sitemap index: `<tag><loc>…</loc><lastmod>…</lastmod></tag>`.
fn push_entry(out: &mut String, tag: &str, entry: &SitemapEntry) {
    out.push_str(&format!("  <{tag}><loc>{}</loc>", escape::xml(&entry.loc)));
    if let Some(date) = entry.lastmod {
        out.push_str(&format!("<lastmod>{date}</lastmod>"));
    }
    for (language, url) in &entry.alternates {
        out.push_str(&format!(
            "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
            escape::xml(language),
            escape::xml(url)
        ));
    }
    out.push_str(&format!("</{tag}>\n"));
}

/// `sitemap.xml` (sitemaps.org protocol 0.9).
pub fn sitemap_xml(entries: &[SitemapEntry]) -> String {
    let mut out = if entries.iter().any(|e| !e.alternates.is_empty()) {
        URLSET_HEAD.replacen(
            "\">\n",
            "\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
            1,
        )
    } else {
        String::from(URLSET_HEAD)
    };
    for entry in entries {
        push_entry(&mut out, "url", entry);
    }
    out.push_str(URLSET_TAIL);
    out
}

/// A sitemap index listing the sitemaps of a split sitemap (sitemaps.org protocol 0.9).
pub fn sitemap_index_xml(sitemaps: &[SitemapEntry]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for entry in sitemaps {
        push_entry(&mut out, "sitemap", entry);
    }
    out.push_str("</sitemapindex>\n");
    out
}

/// Bytes the entry of `loc` can take in a sitemap, a last modification date included (the
/// plan splits the sitemap before the dates are known: the bound keeps every file in the limit).
fn sitemap_entry_bound(loc: &str) -> usize {
    "  <url><loc></loc><lastmod>YYYY-MM-DD</lastmod></url>\n".len() + escape::xml(loc).len()
}

/// Splits consecutive entries of the given byte sizes into sitemaps of at most `max_urls`
/// entries and `max_bytes` bytes each (head and tail of the file included); an entry too
/// big on its own still gets a sitemap of its own. One range (maybe empty) when all fit.
pub fn split_sitemap(sizes: &[usize], max_urls: usize, max_bytes: usize) -> Vec<Range<usize>> {
    let frame = URLSET_HEAD.len() + URLSET_TAIL.len();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut bytes = frame;
    for (i, &size) in sizes.iter().enumerate() {
        let full = i - start >= max_urls.max(1) || bytes + size > max_bytes;
        if full && i > start {
            parts.push(start..i);
            start = i;
            bytes = frame;
        }
        bytes += size;
    }
    parts.push(start..sizes.len());
    parts
}

/// The pages a sitemap lists, in plan order: every HTML page of a kind listed in sitemaps.
pub fn sitemap_pages(plan: &[Planned]) -> impl Iterator<Item = &Planned> {
    plan.iter()
        .filter(|p| p.path.ends_with(".html") && p.kind.in_sitemap())
}

/// The absolute URL of a page in the sitemap (a folder's URL for its `index.html`).
pub fn page_url(base: &str, page: &Planned) -> String {
    absolute_url(base, page.dir())
}

/// How the pages of `plan` are split between sitemaps under the sitemaps.org limits
/// ([`SITEMAP_MAX_URLS`], [`SITEMAP_MAX_BYTES`]): positions in [`sitemap_pages`]; one range
/// when `sitemap.xml` lists them all, else one per [`crate::routes::sitemap_part_path`] file.
pub fn sitemap_split(base: &str, plan: &[Planned]) -> Vec<Range<usize>> {
    sitemap_split_in(base, plan, &[])
}

/// [`sitemap_split`] for a site of several `languages` (see [`sitemap_languages`]): positions
/// of the entries of [`sitemap_url`], each page once per language, with its alternates.
pub fn sitemap_split_in(
    base: &str,
    plan: &[Planned],
    languages: &[SitemapLanguage],
) -> Vec<Range<usize>> {
    let pages: Vec<&Planned> = sitemap_pages(plan).collect();
    let count = pages.len() * languages.len().max(1);
    let sizes: Vec<usize> = (0..count)
        .filter_map(|n| sitemap_url(base, &pages, languages, n))
        .map(|(loc, alternates, _)| {
            sitemap_entry_bound(&loc)
                + alternates
                    .iter()
                    .map(|(language, url)| {
                        "<xhtml:link rel=\"alternate\" hreflang=\"\" href=\"\"/>".len()
                            + escape::xml(language).len()
                            + escape::xml(url).len()
                    })
                    .sum::<usize>()
        })
        .collect();
    // Room for the namespace of the alternates in the head of each file.
    let bytes = if languages.is_empty() {
        SITEMAP_MAX_BYTES
    } else {
        SITEMAP_MAX_BYTES - 64
    };
    split_sitemap(&sizes, SITEMAP_MAX_URLS, bytes)
}

/// `robots.txt`: everything may be crawled; points at the sitemap when there is one.
pub fn robots_txt(sitemap_url: Option<&str>) -> String {
    let mut out = String::from(
        "# Tout le site peut être exploré.\n# robots.txt n'est lu par les robots qu'à la racine du domaine : si le site est publié\n# dans un sous-dossier, recopiez ces lignes dans le robots.txt de la racine.\nUser-agent: *\nDisallow:\n",
    );
    if let Some(url) = sitemap_url {
        out.push_str(&format!("\nSitemap: {url}\n"));
    }
    out
}

/// A category of a feed entry (a sector).
#[derive(Debug, Clone)]
pub struct FeedCategory {
    /// Key of the sector.
    pub term: String,
    /// Its name.
    pub label: String,
}

/// One entry of a feed (a project).
#[derive(Debug, Clone)]
pub struct FeedEntry {
    /// Absolute URL of the project's page, also the entry's stable id.
    pub url: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Label date.
    pub published: Date,
    /// Last change.
    pub updated: Date,
    /// Sectors.
    pub categories: Vec<FeedCategory>,
}

/// An Atom feed.
#[derive(Debug, Clone)]
pub struct Feed {
    /// Language of its texts (`xml:lang`).
    pub language: String,
    /// Absolute URL of the feed itself, also its stable id.
    pub url: String,
    /// Absolute URL of the page it follows.
    pub page_url: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// Author (the site).
    pub author: String,
    /// Address of the author (the site's home page).
    pub author_url: String,
    /// Latest change of the entries (or of the catalogue when there is none).
    pub updated: Date,
    /// Scheme of the categories (the sectors' index page).
    pub category_scheme: String,
    /// Entries, newest label first.
    pub entries: Vec<FeedEntry>,
}

/// The feed as Atom (RFC 4287) XML.
pub fn atom_xml(feed: &Feed) -> String {
    let e = escape::xml;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"",
    );
    out.push_str(&e(&feed.language));
    out.push_str("\">\n");
    out.push_str(&format!("  <id>{}</id>\n", e(&feed.url)));
    out.push_str(&format!("  <title>{}</title>\n", e(&feed.title)));
    out.push_str(&format!("  <subtitle>{}</subtitle>\n", e(&feed.subtitle)));
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        e(&feed.url)
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        e(&feed.page_url)
    ));
    out.push_str(&format!(
        "  <updated>{}</updated>\n",
        atom_time(feed.updated)
    ));
    out.push_str(&format!(
        "  <author><name>{}</name><uri>{}</uri></author>\n",
        e(&feed.author),
        e(&feed.author_url)
    ));
    out.push_str("  <generator>amiris</generator>\n");
    for entry in &feed.entries {
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <id>{}</id>\n", e(&entry.url)));
        out.push_str(&format!("    <title>{}</title>\n", e(&entry.title)));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            e(&entry.url)
        ));
        out.push_str(&format!(
            "    <published>{}</published>\n",
            atom_time(entry.published)
        ));
        out.push_str(&format!(
            "    <updated>{}</updated>\n",
            atom_time(entry.updated)
        ));
        for category in &entry.categories {
            out.push_str(&format!(
                "    <category term=\"{}\" scheme=\"{}\" label=\"{}\"/>\n",
                e(&category.term),
                e(&feed.category_scheme),
                e(&category.label)
            ));
        }
        out.push_str(&format!("    <summary>{}</summary>\n", e(&entry.summary)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// Inserts `value` under `key` when it is present.
fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.to_string(), value);
    }
}

/// The schema.org description of a project (a `Project`, run by its carrier
/// `Organization`, serving its communes and departments), as script-safe JSON.
///
/// The label is an `award` (schema.org has no "label" property; `foundingDate` would
/// misstate when the project started); the carrier is the `parentOrganization` (a
/// `Project` is an `Organization` in schema.org, run by the structure that carries it).
/// `award` names the label in the page's language.
pub fn project_json_ld(record: &Record, image_url: Option<&str>, award: &str) -> String {
    let mut project = Map::new();
    project.insert("@context".into(), json!("https://schema.org"));
    project.insert("@type".into(), json!("Project"));
    project.insert("name".into(), json!(record.titre));
    project.insert("description".into(), json!(record.resume));
    put(&mut project, "url", record.url.as_ref().map(|u| json!(u)));
    put(&mut project, "image", image_url.map(|u| json!(u)));
    project.insert("award".into(), json!(award));
    let keywords: Vec<&str> = record.secteurs.iter().map(|s| s.nom.as_str()).collect();
    project.insert("keywords".into(), json!(keywords.join(", ")));

    let mut areas: Vec<Value> = record
        .territoire
        .communes
        .iter()
        .map(|c| {
            json!({
                "@type": "City",
                "name": c.nom,
                "identifier": {"@type": "PropertyValue", "propertyID": "code INSEE", "value": c.code},
            })
        })
        .collect();
    areas.extend(record.territoire.departements.iter().map(|d| {
        json!({
            "@type": "AdministrativeArea",
            "name": d.nom,
            "identifier": {"@type": "PropertyValue", "propertyID": "code INSEE du département", "value": d.code},
        })
    }));
    project.insert("areaServed".into(), Value::Array(areas));

    let s = &record.structure;
    let mut carrier = Map::new();
    carrier.insert("@type".into(), json!("Organization"));
    carrier.insert("name".into(), json!(s.nom));
    put(
        &mut carrier,
        "identifier",
        s.siret
            .as_ref()
            .map(|siret| json!({"@type": "PropertyValue", "propertyID": "SIRET", "value": siret})),
    );
    carrier.insert(
        "address".into(),
        json!({
            "@type": "PostalAddress",
            "postalCode": s.code_postal,
            "addressLocality": s.commune,
            "addressCountry": "FR",
        }),
    );
    put(&mut carrier, "url", s.site_web.as_ref().map(|u| json!(u)));
    project.insert("parentOrganization".into(), Value::Object(carrier));
    put(
        &mut project,
        "email",
        record.contact_email.as_ref().map(|m| json!(m)),
    );
    escape::json_in_script(&Value::Object(project))
}

/// The image shared with a page (OpenGraph / Twitter).
#[derive(Debug, Clone, Serialize)]
pub struct SocialImage {
    /// Absolute URL.
    pub url: String,
    /// Width in pixels.
    pub largeur: u32,
    /// Height in pixels.
    pub hauteur: u32,
    /// MIME type.
    pub type_mime: &'static str,
    /// Alternative text.
    pub alt: String,
}

/// The social card of a project, when the site knows its address and draws cards; its text
/// alternative from `texts` (`carte_alt`), in the page's language.
pub fn project_card(
    site: &Site,
    project: &Project,
    texts: &super::texts::LanguageTexts,
) -> Option<SocialImage> {
    if !site.social_cards {
        return None;
    }
    let base = site.url_base.as_deref()?;
    Some(SocialImage {
        url: absolute_url(base, &card_path(&project.slug)),
        largeur: CARD_WIDTH,
        hauteur: CARD_HEIGHT,
        type_mime: "image/png",
        // The text made plain before its holes are filled with the project's (plain) texts.
        alt: super::texts::plain_text(texts.text("carte_alt"))
            .replace("{titre}", &project.title)
            .replace("{structure}", &project.structure.name)
            .replace("{annee}", &project.label.year.to_string()),
    })
}

/// The feeds a page links to with `<link rel="alternate">`: the site's feed first, then
/// those of the sector and department it shows (by position), when feeds are published.
pub fn feed_links(
    site: &Site,
    catalogue: &Catalogue<'_>,
    sector: Option<usize>,
    department: Option<(&str, &str)>,
    texts: &super::texts::LanguageTexts,
) -> Vec<Lien> {
    if !feeds_enabled(site, catalogue) {
        return Vec::new();
    }
    let mut links = vec![Lien {
        nom: texts.fill("flux_site", None, &[("site", &site.title)]),
        chemin: FEED_FILE.to_string(),
    }];
    if let Some(info) = sector.and_then(|i| site.sectors.get(i)) {
        links.push(Lien {
            nom: texts.fill(
                "flux_de",
                None,
                &[("nom", &info.name), ("site", &site.title)],
            ),
            chemin: format!("{}{FEED_FILE}", sector_dir(&info.key)),
        });
    }
    if let Some((slug, name)) = department {
        links.push(Lien {
            nom: texts.fill("flux_de", None, &[("nom", name), ("site", &site.title)]),
            chemin: format!("{}{FEED_FILE}", department_dir(slug)),
        });
    }
    links
}

impl Renderer<'_, '_> {
    /// One Atom feed.
    pub(crate) fn feed(&self, scope: FeedScope, path: &str) -> Result<Rendered, RenderError> {
        let s = self.shared;
        let c = s.catalogue;
        let site = s.site;
        let base = site.url_base.as_deref().ok_or_else(|| missing(path))?;
        let (dir, title, subtitle, members): (String, String, String, Option<&[usize]>) =
            match scope {
                FeedScope::Site => (
                    String::new(),
                    s.trf("flux_site", &[("site", &site.title)]),
                    s.tr("flux_site_sous_titre"),
                    None,
                ),
                FeedScope::Sector(index) => {
                    let info = site.sectors.get(index).ok_or_else(|| missing(path))?;
                    (
                        sector_dir(&info.key),
                        s.trf("flux_de", &[("nom", &info.name), ("site", &site.title)]),
                        s.trf("flux_secteur_sous_titre", &[("secteur", &info.name)]),
                        Some(c.projects_in_sector(&info.key)),
                    )
                }
                FeedScope::Department(index) => {
                    let d = s.departments.get(index).ok_or_else(|| missing(path))?;
                    (
                        department_dir(&d.slug),
                        s.trf("flux_de", &[("nom", &d.name), ("site", &site.title)]),
                        s.trf(
                            "flux_departement_sous_titre",
                            &[("departement", &d.name), ("code", &d.code)],
                        ),
                        Some(c.projects_in_department(&d.code)),
                    )
                }
            };
        let members: Option<HashSet<usize>> = members.map(|m| m.iter().copied().collect());
        let positions: Vec<usize> = c
            .latest_labelled(c.len())
            .iter()
            .copied()
            .filter(|i| members.as_ref().is_none_or(|m| m.contains(i)))
            .take(FEED_LIMIT)
            .collect();
        let entries: Vec<FeedEntry> = positions
            .iter()
            .filter_map(|&i| c.project(i))
            .map(|p| FeedEntry {
                url: absolute_url(base, &project_dir(&p.slug)),
                title: p.title.clone(),
                summary: p.summary.clone(),
                published: label_date(p),
                updated: project_date(p),
                categories: p
                    .sectors
                    .iter()
                    .map(|key| FeedCategory {
                        term: key.clone(),
                        label: site
                            .sector(key)
                            .map_or_else(|| key.clone(), |s| s.name.clone()),
                    })
                    .collect(),
            })
            .collect();
        let updated = entries
            .iter()
            .map(|e| e.updated)
            .max()
            .or_else(|| latest_date(c, c.listing()))
            .ok_or_else(|| missing(path))?;
        let feed = Feed {
            language: site.language.clone(),
            url: absolute_url(base, path),
            page_url: absolute_url(base, &dir),
            title,
            subtitle,
            author: site.title.clone(),
            author_url: absolute_url(base, ""),
            updated,
            category_scheme: absolute_url(base, "secteurs/"),
            entries,
        };
        Ok(Some(OutputFile {
            path: path.to_string(),
            bytes: atom_xml(&feed).into_bytes(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::test_project;
    use super::*;

    #[test]
    fn absolute_urls_join_base_and_path() {
        assert_eq!(
            absolute_url("https://a.fr/catalogue/", "projets/x/"),
            "https://a.fr/catalogue/projets/x/"
        );
        assert_eq!(
            absolute_url("https://a.fr", "/atom.xml"),
            "https://a.fr/atom.xml"
        );
        assert_eq!(absolute_url("https://a.fr/", ""), "https://a.fr/");
    }

    #[test]
    fn project_dates_come_from_the_content() {
        let mut p = test_project("a", "A", 2019, &["alimentation"], &["59122"]);
        p.updated = None;
        assert_eq!(project_date(&p).to_string(), "2019-06-15");
        p.updated = Date::parse("2021-03-02");
        assert_eq!(project_date(&p).to_string(), "2021-03-02");
        assert_eq!(label_date(&p).to_string(), "2019-06-15");
        p.label.date = None;
        p.updated = None;
        assert_eq!(project_date(&p).to_string(), "2019-01-01");
        assert_eq!(label_date(&p).to_string(), "2019-01-01");
    }

    /// A plan of `count` project pages (and one radar, not listed, after each).
    fn pages(count: usize) -> Vec<Planned> {
        let kind = |name: &str| {
            *super::super::pages::KINDS
                .iter()
                .find(|k| k.name() == name)
                .expect("kind")
        };
        let (project, radar) = (kind("projet"), kind("radar"));
        (0..count)
            .flat_map(|i| {
                [
                    (format!("projets/p{i}/index.html"), project),
                    (format!("projets/p{i}/radar.svg"), radar),
                ]
            })
            .map(|(path, kind)| Planned {
                path,
                kind,
                item: 0,
                second: 0,
                page: 1,
            })
            .collect()
    }

    #[test]
    fn split_respects_the_url_limit() {
        assert_eq!(split_sitemap(&[], 3, 1000), vec![0..0]);
        assert_eq!(split_sitemap(&[10; 3], 3, 1000), vec![0..3]);
        assert_eq!(split_sitemap(&[10; 4], 3, 1000), vec![0..3, 3..4]);
        assert_eq!(split_sitemap(&[10; 7], 3, 1000), vec![0..3, 3..6, 6..7]);
    }

    #[test]
    fn split_respects_the_byte_limit_head_and_tail_included() {
        let frame = URLSET_HEAD.len() + URLSET_TAIL.len();
        // Exactly full, then one byte over.
        assert_eq!(split_sitemap(&[10, 10], 100, frame + 20), vec![0..2]);
        assert_eq!(split_sitemap(&[10, 11], 100, frame + 20), vec![0..1, 1..2]);
        assert_eq!(
            split_sitemap(&[10, 10, 10, 10, 10], 100, frame + 25),
            vec![0..2, 2..4, 4..5]
        );
        // An entry larger than the limit still gets a file of its own, never an empty one.
        assert_eq!(
            split_sitemap(&[5, 1000, 5], 100, frame + 20),
            vec![0..1, 1..2, 2..3]
        );
    }

    #[test]
    fn bound_covers_the_written_entry() {
        let entry = SitemapEntry {
            loc: "https://a.fr/projets/l'été-&-co/".into(),
            lastmod: Date::parse("2024-05-06"),
            alternates: Vec::new(),
        };
        let written =
            sitemap_xml(std::slice::from_ref(&entry)).len() - URLSET_HEAD.len() - URLSET_TAIL.len();
        assert_eq!(sitemap_entry_bound(&entry.loc), written);
    }

    #[test]
    fn split_at_the_real_limits_lists_every_page_once_in_order() {
        let base = "https://exemple.fr/catalogue/";
        let plan = pages(SITEMAP_MAX_URLS);
        assert_eq!(sitemap_split(base, &plan), vec![0..SITEMAP_MAX_URLS]);
        let plan = pages(SITEMAP_MAX_URLS + 1);
        let split = sitemap_split(base, &plan);
        assert_eq!(
            split,
            vec![0..SITEMAP_MAX_URLS, SITEMAP_MAX_URLS..SITEMAP_MAX_URLS + 1]
        );
        // Long addresses: the 50 MiB limit splits first.
        let long_base = format!("https://exemple.fr/{}/", "x".repeat(1500));
        let long_plan = pages(40_000);
        let split = sitemap_split(&long_base, &long_plan);
        assert!(split.len() > 1, "{split:?}");
        let listed: Vec<usize> = split.iter().flat_map(|r| r.clone()).collect();
        assert_eq!(listed, (0..40_000).collect::<Vec<_>>());
        for range in &split {
            let bytes: usize = URLSET_HEAD.len()
                + URLSET_TAIL.len()
                + sitemap_pages(&long_plan)
                    .skip(range.start)
                    .take(range.len())
                    .map(|p| sitemap_entry_bound(&page_url(&long_base, p)))
                    .sum::<usize>();
            assert!(bytes <= SITEMAP_MAX_BYTES, "{bytes}");
        }
    }

    #[test]
    fn sitemap_index_lists_the_sitemaps() {
        let xml = sitemap_index_xml(&[
            SitemapEntry {
                loc: absolute_url("https://a.fr/", &crate::routes::sitemap_part_path(1)),
                lastmod: Date::parse("2024-05-06"),
                alternates: Vec::new(),
            },
            SitemapEntry {
                loc: absolute_url("https://a.fr/", &crate::routes::sitemap_part_path(2)),
                lastmod: None,
                alternates: Vec::new(),
            },
        ]);
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  <sitemap><loc>https://a.fr/sitemap-1.xml</loc><lastmod>2024-05-06</lastmod></sitemap>\n  <sitemap><loc>https://a.fr/sitemap-2.xml</loc></sitemap>\n</sitemapindex>\n"
        );
    }

    #[test]
    fn robots_points_at_the_sitemap_only_when_known() {
        assert!(
            robots_txt(Some("https://a.fr/sitemap.xml"))
                .contains("\nSitemap: https://a.fr/sitemap.xml\n")
        );
        assert!(!robots_txt(None).contains("Sitemap"));
    }
}

//! Every output path of the site, in one leaf module: folders of each page kind, fixed files, reserved names.
//!
//! Paths are relative to the output folder, `/`-separated; folders end with `/` and hold an
//! `index.html`. Nothing here depends on another module of the crate, so validation, the
//! render stage, the social cards and `serve` all name paths the same way.

/// Folder of the catalogue listing.
pub const PROJECTS_DIR: &str = "projets/";

/// Folder of the sector index.
pub const SECTORS_DIR: &str = "secteurs/";

/// Folder of the territories index.
pub const TERRITORIES_DIR: &str = "territoires/";

/// Folder of the target-group index.
pub const PUBLICS_DIR: &str = "publics/";

/// Folder of the markers index.
pub const MARKERS_DIR: &str = "marqueurs/";

/// Folder of the statistics page.
pub const STATISTICS_DIR: &str = "statistiques/";

/// Folder of the open data export and of its description page.
pub const DATA_DIR: &str = "donnees/";

/// Folder of the theme's static files.
pub const STATIC_DIR: &str = "static/";

/// Folder of the content's media files.
pub const MEDIA_DIR: &str = "medias/";

/// The search and filter index of the catalogue page.
pub const SEARCH_INDEX_PATH: &str = "projets/recherche.json";

/// File name of the feeds (at the root, and in a sector's or department's folder).
pub const FEED_FILE: &str = "atom.xml";

/// Path of the sitemap.
pub const SITEMAP_PATH: &str = "sitemap.xml";

/// Path of the `number`-th (from 1) sitemap of a split sitemap, listed by the sitemap index
/// `sitemap.xml`. At the root: a sitemap may only list URLs at or below its own folder.
pub fn sitemap_part_path(number: usize) -> String {
    format!("sitemap-{number}.xml")
}

/// Path of robots.txt.
pub const ROBOTS_PATH: &str = "robots.txt";

/// Path of the "page not found" page.
pub const NOT_FOUND_PATH: &str = "404.html";

/// File name of a project's standalone radar, in its folder.
pub const RADAR_FILE: &str = "radar.svg";

/// File name of a project's social card, in its folder.
pub const CARD_FILE: &str = "carte.png";

/// Top-level folders of the site's own pages: a free page may not take one of these slugs.
/// (The page-kind registry checks in its tests that every kind's folder is listed here.)
pub const RESERVED_PAGE_SLUGS: &[&str] = &[
    "projets",
    "secteurs",
    "territoires",
    "publics",
    "marqueurs",
    "statistiques",
    "donnees",
    "static",
    "medias",
];

/// Project slugs that would collide with the catalogue's own folders (`projets/page/2/`).
pub const RESERVED_PROJECT_SLUGS: &[&str] = &["page", "index"];

/// Whether `path` (relative to the site root) is a file every language shares, kept at the
/// root: the theme's static files, the medias, the open data files (not their page
/// `donnees/`), the social cards.
pub fn is_shared_path(path: &str) -> bool {
    path.starts_with(STATIC_DIR)
        || path.starts_with(MEDIA_DIR)
        || (path.starts_with(DATA_DIR) && path.len() > DATA_DIR.len() && !path.ends_with('/'))
        || path.ends_with(CARD_FILE)
}

/// Folder of a project's page.
pub fn project_dir(slug: &str) -> String {
    format!("{PROJECTS_DIR}{slug}/")
}

/// Path of a project's standalone radar.
pub fn radar_path(slug: &str) -> String {
    format!("{}{RADAR_FILE}", project_dir(slug))
}

/// Path of a project's social card.
pub fn card_path(slug: &str) -> String {
    format!("{}{CARD_FILE}", project_dir(slug))
}

/// Folder of a sector's page.
pub fn sector_dir(key: &str) -> String {
    format!("{SECTORS_DIR}{key}/")
}

/// Folder of a target group's page.
pub fn public_dir(key: &str) -> String {
    format!("{PUBLICS_DIR}{key}/")
}

/// Folder of a department's page.
pub fn department_dir(slug: &str) -> String {
    format!("{TERRITORIES_DIR}{slug}/")
}

/// Folder of a (department, sector) page.
pub fn department_sector_dir(department_slug: &str, sector_key: &str) -> String {
    format!("{TERRITORIES_DIR}{department_slug}/{sector_key}/")
}

/// Folder of an EPCI's page: under `territoires/epci/`, by SIREN (an EPCI may span two
/// departments, and its SIREN outlives its renamings).
pub fn epci_dir(siren: &str) -> String {
    format!("{TERRITORIES_DIR}epci/{siren}/")
}

/// Folder of a marker's page: its key with `_` written `-` (`nature_collectif` ->
/// `marqueurs/nature-collectif/`), like every other address of the site.
pub fn marker_dir(key: &str) -> String {
    format!("{MARKERS_DIR}{}/", key.replace('_', "-"))
}

/// Folder of a free page.
pub fn free_page_dir(slug: &str) -> String {
    format!("{slug}/")
}

/// Folder of a page of a listing: page 1 is `base` itself (`projets/`), page N ≥ 2 is
/// `base` + `page/N/`. `base` is relative to the site root and ends with `/`.
pub fn listing_page_dir(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// The `index.html` of a folder.
pub fn index_of(dir: &str) -> String {
    format!("{dir}index.html")
}

/// The prefix that leads from the page written at `output_path` back to the site root:
/// `./` for a file at the root, `../` one folder down, `../../` two folders down…
pub fn racine(output_path: &str) -> String {
    let depth = output_path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// The prefix used by `404.html`, whose URL is unknown (hosts serve it for any missing path):
/// the path part of `url_base` (`https://a.fr/catalogue/` -> `/catalogue/`) when the site
/// knows its address, else `./` (right only when the 404 page is shown for a root URL).
pub fn racine_404(url_base: Option<&str>) -> String {
    let Some(url) = url_base else {
        return "./".to_string();
    };
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme
        .find('/')
        .map_or("/", |slash| &after_scheme[slash..]);
    let path = path.split(['?', '#']).next().unwrap_or("/");
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn racine_follows_depth() {
        assert_eq!(racine("index.html"), "./");
        assert_eq!(racine("projets/index.html"), "../");
        assert_eq!(racine("projets/page/2/index.html"), "../../../");
    }

    #[test]
    fn racine_of_404_comes_from_url_base() {
        assert_eq!(racine_404(None), "./");
        assert_eq!(racine_404(Some("https://a.fr/")), "/");
        assert_eq!(racine_404(Some("https://a.fr/catalogue/")), "/catalogue/");
        assert_eq!(racine_404(Some("https://a.fr/catalogue")), "/catalogue/");
        assert_eq!(racine_404(Some("https://a.fr")), "/");
    }

    #[test]
    fn folders_of_each_kind() {
        assert_eq!(project_dir("panier"), "projets/panier/");
        assert_eq!(radar_path("panier"), "projets/panier/radar.svg");
        assert_eq!(card_path("panier"), "projets/panier/carte.png");
        assert_eq!(sector_dir("culture"), "secteurs/culture/");
        assert_eq!(public_dir("jeunes"), "publics/jeunes/");
        assert_eq!(department_dir("nord"), "territoires/nord/");
        assert_eq!(
            department_sector_dir("nord", "culture"),
            "territoires/nord/culture/"
        );
        assert_eq!(epci_dir("200093201"), "territoires/epci/200093201/");
        assert_eq!(
            marker_dir("nature_collectif"),
            "marqueurs/nature-collectif/"
        );
        assert_eq!(listing_page_dir("projets/", 1), "projets/");
        assert_eq!(listing_page_dir("projets/", 3), "projets/page/3/");
        assert_eq!(index_of("secteurs/"), "secteurs/index.html");
    }

    #[test]
    fn every_section_folder_is_reserved() {
        for dir in [
            PROJECTS_DIR,
            SECTORS_DIR,
            TERRITORIES_DIR,
            PUBLICS_DIR,
            MARKERS_DIR,
            STATISTICS_DIR,
            DATA_DIR,
            STATIC_DIR,
            MEDIA_DIR,
        ] {
            let slug = dir.trim_end_matches('/');
            assert!(RESERVED_PAGE_SLUGS.contains(&slug), "{slug}");
        }
    }
}

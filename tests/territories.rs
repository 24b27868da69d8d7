//! Territories in depth: EPCI pages, the region map and its text equivalent, locator maps, cross links.

mod common;

use common::{build_ok, copy_fixture, read_text};
use scraper::{Html, Selector};
use std::path::{Path, PathBuf};

/// Builds the minimal fixture and returns the site (kept alive) and its output folder.
fn built() -> (tempfile::TempDir, PathBuf) {
    let site = copy_fixture("minimal");
    build_ok(site.path());
    let output = site.path().join("output");
    (site, output)
}

fn select(html: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn attrs(html: &Html, css: &str, attr: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// The output file a relative link of the page at `page` leads to (`…/` -> `…/index.html`).
fn resolve(output: &Path, page: &str, href: &str) -> PathBuf {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                assert!(parts.pop().is_some(), "{href} leaves the site from {page}");
            }
            other => parts.push(other),
        }
    }
    let mut path = output.join(parts.join("/"));
    if href.ends_with('/') || href.is_empty() {
        path = path.join("index.html");
    }
    path
}

/// The outer markup of the first element matching `css`, parsed as strict XML.
fn svg_parses(html: &Html, css: &str) -> usize {
    let selector = Selector::parse(css).expect("selector");
    let svg = html.select(&selector).next().expect("an SVG").html();
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants().count()
}

#[test]
fn epci_pages_list_their_projects_and_communes() {
    let (_site, output) = built();
    // panier-solidaire acts in Cambrai (CA de Cambrai) and Amiens (CA Amiens Métropole);
    // cafe-des-aidants in Laon (CA du Pays de Laon); garage-solidaire names only a department.
    let expected = [
        (
            "200068500",
            "CA de Cambrai",
            vec!["Le Panier solidaire du Cambrésis"],
        ),
        (
            "248000531",
            "CA Amiens Métropole",
            vec!["Le Panier solidaire du Cambrésis"],
        ),
        (
            "200043495",
            "CA du Pays de Laon",
            vec!["Café des aidants de Laon"],
        ),
    ];
    let mut dirs: Vec<String> = std::fs::read_dir(output.join("territoires/epci"))
        .expect("territoires/epci/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    assert_eq!(dirs, ["200043495", "200068500", "248000531"]);
    for (siren, name, projects) in expected {
        let path = format!("territoires/epci/{siren}/index.html");
        let html = Html::parse_document(&read_text(&output, &path));
        assert_eq!(select(&html, "h1"), [name]);
        assert_eq!(select(&html, "#projets .carte-titre"), projects, "{path}");
        let communes = select(&html, ".geo-communes li");
        assert!(communes.len() > 5, "{path}: {communes:?}");
        // The locator map: one red dot per commune with a project, the others grey.
        assert_eq!(
            attrs(&html, ".geo-situation circle[fill='#b3261e']", "cx").len(),
            1
        );
        svg_parses(&html, "svg.geo-situation");
        for href in attrs(&html, "main a", "href") {
            assert!(resolve(&output, &path, &href).is_file(), "{path}: {href}");
        }
    }
    let cambrai =
        Html::parse_document(&read_text(&output, "territoires/epci/200068500/index.html"));
    assert!(select(&cambrai, ".geo-communes strong").contains(&"Cambrai".to_string()));
}

#[test]
fn department_and_project_pages_link_to_epci_pages() {
    let (_site, output) = built();
    let nord = Html::parse_document(&read_text(&output, "territoires/nord/index.html"));
    assert_eq!(
        attrs(
            &nord,
            "nav[aria-label='Ce département par intercommunalité'] a",
            "href"
        ),
        ["../../territoires/epci/200068500/"]
    );
    let project = "projets/panier-solidaire/index.html";
    let html = Html::parse_document(&read_text(&output, project));
    let epci_links: Vec<String> = attrs(&html, ".fiche-liste a[href*='epci']", "href");
    assert_eq!(
        epci_links,
        [
            "../../territoires/epci/200068500/",
            "../../territoires/epci/248000531/"
        ]
    );
    for href in epci_links {
        assert!(resolve(&output, project, &href).is_file(), "{href}");
    }
    // Locator map: Nord and Somme filled, a dot at Cambrai and one at Amiens.
    assert_eq!(
        attrs(&html, ".geo-situation circle[fill='#b3261e']", "cx").len(),
        2
    );
    let titles = select(&html, "svg.geo-situation title");
    assert_eq!(
        titles,
        ["Carte de situation du projet dans les Hauts-de-France : Cambrai, Amiens (Nord, Somme)"]
    );
    svg_parses(&html, "svg.geo-situation");
    // A project placed by department only: no dot, its department filled.
    let garage = Html::parse_document(&read_text(&output, "projets/garage-solidaire/index.html"));
    assert!(attrs(&garage, ".geo-situation circle", "cx").is_empty());
}

#[test]
fn region_map_links_resolve_and_its_table_matches_the_catalogue() {
    let (_site, output) = built();
    // Counts of the minimal fixture: Cambrai (59) + Amiens (80); Laon (02); Somme (80).
    let expected = [
        ("Aisne", "1"),
        ("Nord", "1"),
        ("Oise", "0"),
        ("Pas-de-Calais", "0"),
        ("Somme", "2"),
    ];
    for page in ["index.html", "territoires/index.html"] {
        let html = Html::parse_document(&read_text(&output, page));
        let links = attrs(&html, "svg.geo-region a", "href");
        assert_eq!(links.len(), 5, "{page}");
        for href in &links {
            assert!(resolve(&output, page, href).is_file(), "{page}: {href}");
        }
        let names = select(&html, "svg.geo-region a > title");
        assert_eq!(names[4], "Somme : 2 projets");
        assert_eq!(names[2], "Oise : aucun projet");
        // No role (implicit graphics-document): role="img" would hide its links, and the
        // HTML checker refuses role="group" on <svg>.
        assert!(attrs(&html, "svg.geo-region", "role").is_empty(), "{page}");
        let labelled = attrs(&html, "svg.geo-region", "aria-labelledby");
        assert_eq!(
            select(&html, &format!("svg.geo-region #{}", labelled[0])).len(),
            1
        );
        svg_parses(&html, "svg.geo-region");

        let rows = Selector::parse(".geo-tableau tbody tr").expect("selector");
        let cell = Selector::parse("th a, td").expect("selector");
        let table: Vec<(String, String)> = html
            .select(&rows)
            .map(|row| {
                let cells: Vec<String> = row
                    .select(&cell)
                    .map(|c| c.text().collect::<String>())
                    .collect();
                (cells[0].clone(), cells[1].clone())
            })
            .collect();
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(table, expected, "{page}");
        // Each count agrees with the department's own page.
        for (name, count) in &expected {
            let slug = name.to_lowercase();
            let department = read_text(&output, &format!("territoires/{slug}/index.html"));
            let chapo = select(&Html::parse_document(&department), ".chapo");
            assert!(
                chapo[0].starts_with(&format!("{count} projet")),
                "{chapo:?}"
            );
        }
        assert!(
            select(&html, ".geo-credit")
                .contains(&"Sources : INSEE COG 2026 via Etalab ; IGN Admin Express".to_string())
        );
        let legend = select(&html, ".geo-legende li");
        assert_eq!(legend, ["aucun projet", "1 projet", "2 projets"]);
    }
}

#[test]
fn sector_department_pages_are_linked_from_both_sides() {
    let (_site, output) = built();
    let pair = "territoires/nord/alimentation/index.html";
    assert!(output.join(pair).is_file());
    let from_department = Html::parse_document(&read_text(&output, "territoires/nord/index.html"));
    assert!(
        attrs(&from_department, "main a", "href")
            .contains(&"../../territoires/nord/alimentation/".to_string())
    );
    let from_sector = Html::parse_document(&read_text(&output, "secteurs/alimentation/index.html"));
    assert!(
        attrs(&from_sector, "main a", "href")
            .contains(&"../../territoires/nord/alimentation/".to_string())
    );
}

#[test]
fn credits_appear_in_the_footer() {
    let (_site, output) = built();
    for page in ["index.html", "a-propos/index.html"] {
        let html = Html::parse_document(&read_text(&output, page));
        let footer = select(&html, "footer");
        assert!(
            footer[0].contains("Sources des cartes et des territoires : INSEE COG 2026 via Etalab ; IGN Admin Express"),
            "{page}: {footer:?}"
        );
    }
}

//! Pages per target group (`publics/`, `publics/<cle>/`) through the real binary: listings, pagination, links from project pages, the catalogue and the sitemap.

mod common;

use common::{amiris, build_ok, copy_fixture, read_text};
use scraper::{Html, Selector};
use std::path::Path;

/// The `href` of every link matching `selector` in `html`.
fn links(html: &str, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).expect("selector");
    Html::parse_document(html)
        .select(&selector)
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect()
}

/// The project titles listed on a listing page (cards link to `projets/<slug>/`).
fn listed_projects(html: &str) -> Vec<String> {
    let mut slugs: Vec<String> = links(html, "#projets a")
        .into_iter()
        .filter_map(|href| {
            let rest = href.split("projets/").nth(1)?;
            let slug = rest.strip_suffix('/')?;
            (!slug.is_empty() && !slug.contains('/')).then(|| slug.to_string())
        })
        .collect();
    slugs.sort();
    slugs.dedup();
    slugs
}

/// Adds `publics: [..]` to a project of the minimal fixture that has none.
fn give_publics(root: &Path, file: &str, publics: &str) {
    let path = root.join("content/projets").join(file);
    let text = std::fs::read_to_string(&path).expect("project");
    assert!(!text.contains("\npublics:"), "{file} already has publics");
    let text = text.replacen("\ntitre:", &format!("\npublics: {publics}\ntitre:"), 1);
    std::fs::write(&path, text).expect("write");
}

#[test]
fn each_public_has_its_page_listing_exactly_its_projects() {
    let site = copy_fixture("minimal");
    give_publics(site.path(), "cafe-des-aidants.md", "[seniors, jeunes]");
    build_ok(site.path());
    let output = site.path().join("output");

    let index = read_text(&output, "publics/index.html");
    assert_eq!(
        links(&index, ".grille-entrees a"),
        ["../publics/seniors/", "../publics/jeunes/"]
    );
    assert!(index.contains("2 projets"), "{index}");

    let seniors = read_text(&output, "publics/seniors/index.html");
    assert_eq!(
        listed_projects(&seniors),
        ["cafe-des-aidants", "panier-solidaire"]
    );
    // par_page is 2 in the fixture: jeunes has two projects, one page; a third makes two.
    let jeunes = read_text(&output, "publics/jeunes/index.html");
    assert_eq!(
        listed_projects(&jeunes),
        ["cafe-des-aidants", "garage-solidaire"]
    );
    assert!(!output.join("publics/jeunes/page/2/index.html").exists());
}

#[test]
fn a_listing_of_more_than_a_page_is_paginated() {
    let site = copy_fixture("minimal");
    give_publics(site.path(), "cafe-des-aidants.md", "[jeunes]");
    let panier = site.path().join("content/projets/panier-solidaire.md");
    let text = std::fs::read_to_string(&panier).expect("project");
    std::fs::write(
        &panier,
        text.replace("publics: [seniors]", "publics: [seniors, jeunes]"),
    )
    .expect("write");
    build_ok(site.path());
    let output = site.path().join("output");
    let first = listed_projects(&read_text(&output, "publics/jeunes/index.html"));
    let second = listed_projects(&read_text(&output, "publics/jeunes/page/2/index.html"));
    assert_eq!(first.len() + second.len(), 3, "{first:?} {second:?}");
    assert!(!output.join("publics/jeunes/page/3/index.html").exists());
}

#[test]
fn project_pages_the_catalogue_and_the_sitemap_link_to_public_pages() {
    let site = copy_fixture("minimal");
    build_ok(site.path());
    let output = site.path().join("output");

    let project = read_text(&output, "projets/panier-solidaire/index.html");
    assert!(
        links(&project, "dd a").contains(&"../../publics/seniors/".to_string()),
        "{:?}",
        links(&project, "dd a")
    );
    let catalogue = read_text(&output, "projets/index.html");
    assert!(links(&catalogue, "a").contains(&"../publics/".to_string()));
    let sitemap = read_text(&output, "sitemap.xml");
    for url in ["publics/", "publics/seniors/", "publics/jeunes/"] {
        assert!(
            sitemap.contains(&format!("<loc>https://essai.example.fr/{url}</loc>")),
            "{url} not in the sitemap"
        );
    }
    // The search index gives the filter the page of each public.
    let search = read_text(&output, "projets/recherche.json");
    assert!(
        search.contains("\"chemin\":\"publics/seniors/\""),
        "{search}"
    );
}

#[test]
fn a_free_page_may_not_take_the_publics_folder() {
    let site = copy_fixture("minimal");
    std::fs::write(
        site.path().join("content/pages/publics.md"),
        "---\ntitre: Publics\n---\nTexte.\n",
    )
    .expect("write");
    let out = amiris(&["check", "--root", &site.path().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    let report =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("content/pages/publics.md"), "{report}");
}

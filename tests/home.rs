//! The home page leads with what people come for: a search form to the catalogue, key figures, the map, the latest projects.

mod common;

use common::{build_ok, copy_fixture, read_text};
use scraper::{Html, Selector};

fn one<'a>(html: &'a Html, css: &str) -> scraper::ElementRef<'a> {
    let selector = Selector::parse(css).expect("selector");
    let mut found = html.select(&selector);
    let first = found.next().unwrap_or_else(|| panic!("no {css}"));
    assert!(found.next().is_none(), "more than one {css}");
    first
}

#[test]
fn the_home_page_starts_with_a_search_form_to_the_catalogue() {
    let site = copy_fixture("minimal");
    build_ok(site.path());
    let output = site.path().join("output");
    let text = read_text(&output, "index.html");
    let html = Html::parse_document(&text);

    let form = one(&html, "main form.recherche-accueil");
    assert_eq!(form.value().attr("method"), Some("get"));
    assert_eq!(form.value().attr("action"), Some("./projets/"));
    assert!(output.join("projets/index.html").exists());
    let input = one(&html, "main form.recherche-accueil input[type=search]");
    assert_eq!(
        input.value().attr("name"),
        Some("q"),
        "the catalogue reads q"
    );
    let id = input.value().attr("id").expect("id");
    let label = one(&html, &format!("main label[for={id}]"));
    let label: String = label.text().collect();
    assert!(label.contains("3 projets"), "{label}");

    // The site title is in the header, not repeated as the page's heading.
    let h1: String = one(&html, "main h1").text().collect();
    assert!(!h1.contains("Catalogue d'essai"), "{h1}");
    // What comes first: search, key figures, map, then the latest projects.
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing"))
    };
    assert!(at("recherche-accueil") < at("titre-chiffres"));
    assert!(at("titre-chiffres") < at("titre-carte"));
    assert!(at("titre-carte") < at("titre-derniers"));
    assert!(text.contains("class=\"geo-carte geo-region\""));
}

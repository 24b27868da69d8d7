//! A site of several languages (`langues: [fr, en]`): every page in each language, `hreflang` both ways, links within their language, errors of site.yaml with file, line and field.

mod common;

use common::{amiris, build_ok, copy_fixture, json_diagnostics};
use scraper::{Html, Selector};
use std::collections::BTreeSet;
use std::path::Path;

/// The `minimal` fixture made bilingual: `langues: [fr, en]`, the title and a sector's name
/// given in both languages.
fn bilingual_site() -> tempfile::TempDir {
    let site = copy_fixture("minimal");
    let path = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&path).expect("site.yaml");
    let text = text
        .replacen(
            "titre: \"Catalogue d'essai\"",
            "langues: [fr, en]\ntitre: {fr: \"Catalogue d'essai\", en: \"Test catalogue\"}",
            1,
        )
        .replacen(
            "nom: \"Alimentation durable\"",
            "nom: {fr: \"Alimentation durable\", en: \"Sustainable food\"}",
            1,
        )
        + "marqueurs:\n  gouvernance:\n    nom: {fr: \"Gouvernance partagée\", en: \"Shared governance\"}\n  ressources:\n    nom: \"Moyens\"\n";
    std::fs::write(&path, text).expect("site.yaml");
    site
}

/// Every HTML file under `root`, as `/`-separated paths relative to it.
fn html_files(root: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let relative = e
                .path()
                .strip_prefix(root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            relative.ends_with(".html").then_some(relative)
        })
        .collect()
}

/// `href` resolved against the page at `page` (both relative to the site root), without its
/// fragment or query; `None` for external and in-page links.
fn resolve(page: &str, href: &str) -> Option<String> {
    if href.contains("://") || href.starts_with("mailto:") || href.starts_with('#') {
        return None;
    }
    let href = href.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let mut path = parts.join("/");
    if href.ends_with('/') || href.is_empty() || href == "." || href.ends_with("/.") {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

/// Whether a resolved path is a file every language shares (kept at the root).
fn shared(path: &str) -> bool {
    path.starts_with("static/")
        || path.starts_with("medias/")
        || (path.starts_with("donnees/") && !path.ends_with(".html"))
        || path.ends_with("carte.png")
}

fn select(selector: &str) -> Selector {
    Selector::parse(selector).expect("sélecteur")
}

#[test]
fn every_page_exists_in_both_languages_with_hreflang_both_ways() {
    let site = bilingual_site();
    build_ok(site.path());
    let out = site.path().join("output");
    let all = html_files(&out);
    let french: Vec<&String> = all
        .iter()
        .filter(|p| !p.starts_with("en/") && p.as_str() != "404.html")
        .collect();
    assert!(french.len() > 20, "{french:?}");
    let alternate = select("link[rel=alternate][hreflang]");
    for page in &french {
        let english = format!("en/{page}");
        assert!(all.contains(&english), "{english} manque");
        for (path, lang) in [(page.as_str(), "fr"), (english.as_str(), "en")] {
            let html = Html::parse_document(&common::read_text(&out, path));
            let root = html.root_element();
            assert_eq!(root.value().attr("lang"), Some(lang), "{path}");
            let links: Vec<(String, String)> = html
                .select(&alternate)
                .map(|l| {
                    (
                        l.value().attr("hreflang").unwrap_or("").to_string(),
                        l.value().attr("href").unwrap_or("").to_string(),
                    )
                })
                .collect();
            let dir = page.strip_suffix("index.html").unwrap_or(page);
            let expected = vec![
                ("fr".to_string(), format!("https://essai.example.fr/{dir}")),
                (
                    "x-default".to_string(),
                    format!("https://essai.example.fr/{dir}"),
                ),
                (
                    "en".to_string(),
                    format!("https://essai.example.fr/en/{dir}"),
                ),
            ];
            assert_eq!(links, expected, "{path}");
            // The switcher leads to the same page in the other language.
            let other = if lang == "fr" { "en" } else { "fr" };
            let switch = html
                .select(&select(&format!("nav.langues a[hreflang={other}]")))
                .next()
                .unwrap_or_else(|| panic!("{path}: pas de lien vers {other}"));
            let target = resolve(path, switch.value().attr("href").unwrap_or(""));
            let counterpart = if lang == "fr" {
                english.clone()
            } else {
                page.to_string()
            };
            assert_eq!(target.as_deref(), Some(counterpart.as_str()), "{path}");
        }
    }
    // Site texts given per language, the theme's texts in the page's language.
    let home = common::read_text(&out, "en/index.html");
    assert!(home.contains("Test catalogue"), "{home}");
    assert!(home.contains("Sustainable food"));
    assert!(home.contains(">Skip to content</a>"));
    // Markers: the site's name per language, a plain string for every language, else the
    // theme's name in the page's language.
    let markers = common::read_text(&out, "en/marqueurs/index.html");
    assert!(markers.contains("Shared governance"), "{markers}");
    assert!(markers.contains(">Moyens<"));
    assert!(markers.contains("Place of the beneficiaries"));
    let french_markers = common::read_text(&out, "marqueurs/index.html");
    assert!(french_markers.contains("Gouvernance partagée"));
    assert!(french_markers.contains("Place des bénéficiaires"));
    let french_home = common::read_text(&out, "index.html");
    assert!(french_home.contains("Alimentation durable"));
    assert!(!french_home.contains("Sustainable food"));
    // Files every language shares are written once, at the root.
    for only_at_root in ["sitemap.xml", "robots.txt", "donnees/catalogue.csv"] {
        assert!(out.join(only_at_root).is_file(), "{only_at_root}");
        assert!(
            !out.join("en").join(only_at_root).exists(),
            "{only_at_root}"
        );
    }
    assert!(!out.join("en/static").exists());
    assert!(out.join("en/projets/recherche.json").is_file());
}

#[test]
fn untranslated_projects_and_pages_keep_their_french_texts_marked() {
    let site = bilingual_site();
    build_ok(site.path());
    let out = site.path().join("output");
    let lang_fr = select("h1[lang=fr], p.chapo[lang=fr], div.texte[lang=fr]");
    for (page, notice) in [
        (
            "projets/garage-solidaire/index.html",
            "This page has not been translated yet",
        ),
        (
            "a-propos/index.html",
            "This page has not been translated yet",
        ),
    ] {
        let english = Html::parse_document(&common::read_text(&out, &format!("en/{page}")));
        assert!(english.select(&lang_fr).count() >= 2, "en/{page}");
        let text = english.root_element().text().collect::<String>();
        assert!(text.contains(notice), "en/{page}");
        let french = Html::parse_document(&common::read_text(&out, page));
        assert_eq!(french.select(&lang_fr).count(), 0, "{page}");
        assert!(
            !french
                .root_element()
                .text()
                .collect::<String>()
                .contains("traduite")
        );
    }
    let listing = Html::parse_document(&common::read_text(&out, "en/projets/index.html"));
    assert!(listing.select(&select(".carte-titre[lang=fr]")).count() >= 2);
}

#[test]
fn no_link_leaves_its_language_but_shared_files_and_every_link_resolves() {
    let site = bilingual_site();
    build_ok(site.path());
    let out = site.path().join("output");
    let links = select("a[href], link[href], img[src], script[src]");
    let switch = select("nav.langues a, link[rel=alternate][hreflang]");
    for page in html_files(&out) {
        if page.ends_with("404.html") {
            continue;
        }
        let html = Html::parse_document(&common::read_text(&out, &page));
        let switches: Vec<_> = html.select(&switch).map(|e| e.id()).collect();
        let english = page.starts_with("en/");
        for element in html.select(&links) {
            if switches.contains(&element.id()) {
                continue;
            }
            let value = element.value();
            let Some(url) = value.attr("href").or_else(|| value.attr("src")) else {
                continue;
            };
            let Some(target) = resolve(&page, url) else {
                continue;
            };
            assert!(
                out.join(&target).exists() || target.ends_with("carte.png"),
                "{page}: lien cassé {url} -> {target}"
            );
            if shared(&target) {
                continue;
            }
            assert_eq!(
                target.starts_with("en/"),
                english,
                "{page}: le lien {url} ({target}) sort de sa langue"
            );
        }
    }
}

#[test]
fn site_yaml_language_errors_name_file_line_and_field() {
    let site = copy_fixture("minimal");
    let path = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&path).expect("site.yaml");
    let text = text.replacen(
        "titre: \"Catalogue d'essai\"",
        "langue: fr\nlangues: [fr, en]\ntitre: {fr: \"Catalogue d'essai\", de: \"Testkatalog\"}",
        1,
    );
    std::fs::write(&path, text).expect("site.yaml");
    let output = amiris(&[
        "check",
        "--root",
        &site.path().to_string_lossy(),
        "--format",
        "json",
    ]);
    assert!(!output.status.success());
    let found = json_diagnostics(&output.stdout);
    let both = found
        .iter()
        .find(|d| d.field.as_deref() == Some("langues"))
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(
        (both.file.as_str(), both.line, both.severity.as_str()),
        ("content/site.yaml", 2, "error")
    );
    assert!(
        both.message.contains("« langue » et « langues »"),
        "{}",
        both.message
    );

    // Without the conflict, a text in a language the site does not have.
    let text = std::fs::read_to_string(&path)
        .expect("site.yaml")
        .replacen("langue: fr\n", "", 1);
    std::fs::write(&path, text).expect("site.yaml");
    let output = amiris(&[
        "check",
        "--root",
        &site.path().to_string_lossy(),
        "--format",
        "json",
    ]);
    let found = json_diagnostics(&output.stdout);
    let foreign = found
        .iter()
        .find(|d| d.field.as_deref() == Some("titre.de"))
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(
        (foreign.file.as_str(), foreign.line),
        ("content/site.yaml", 2)
    );
    assert!(foreign.message.contains("« de »"), "{}", foreign.message);
}

#[test]
fn a_site_of_one_language_has_no_switcher_nor_hreflang() {
    let site = copy_fixture("minimal");
    build_ok(site.path());
    let out = site.path().join("output");
    assert!(!out.join("en").exists());
    let home = common::read_text(&out, "index.html");
    assert!(!home.contains("hreflang"), "{home}");
    assert!(!home.contains("class=\"menu langues\""));
}

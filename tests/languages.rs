//! A site of several languages (`langues: [fr, en]`): every page in each language, `hreflang` both ways, links within their language, errors of site.yaml with file, line and field.

mod common;

use common::{build_ok, check_json, copy_fixture};
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

/// An English translation of the fixture's `garage-solidaire` project.
const GARAGE_EN: &str = "---\ntitre: \"Solidarity garage of the Amiens area\"\nresume: \"A non-profit garage repairing at cost the cars of people in back-to-work schemes.\"\n---\n\n## Context\n\nIn villages without shops, older residents struggle to do their shopping and meet their neighbours.\n\n## Process\n\nA residents' committee, volunteers and the local authority designed the service together.\n\n## Results\n\nThe service was tested for six months, then adjusted.\n\n## Impacts\n\nPeople in back-to-work schemes keep their car and their job.\n\n## Dissemination\n\nTwo other garages opened in the region.\n\n## Summary\n\nA garage that keeps people on the road to work.\n";

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
    // And back: no English page without its French one.
    for page in all.iter().filter(|p| p.starts_with("en/")) {
        let french_page = &page["en/".len()..];
        assert!(
            all.contains(french_page),
            "{french_page} manque pour {page}"
        );
    }
    let alternate = select("link[rel=alternate][hreflang]");
    for page in &french {
        let english = format!("en/{page}");
        assert!(all.contains(&english), "{english} manque");
        for (path, lang) in [(page.as_str(), "fr"), (english.as_str(), "en")] {
            let html = common::page(&out, path);
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
        let english = common::page(&out, &format!("en/{page}"));
        assert!(english.select(&lang_fr).count() >= 2, "en/{page}");
        let text = english.root_element().text().collect::<String>();
        assert!(text.contains(notice), "en/{page}");
        let french = common::page(&out, page);
        assert_eq!(french.select(&lang_fr).count(), 0, "{page}");
        assert!(
            !french
                .root_element()
                .text()
                .collect::<String>()
                .contains("traduite")
        );
    }
    let listing = common::page(&out, "en/projets/index.html");
    assert!(listing.select(&select(".carte-titre[lang=fr]")).count() >= 2);
}

#[test]
fn a_translated_project_shows_its_english_texts_in_english_only() {
    let site = bilingual_site();
    std::fs::write(
        site.path().join("content/projets/garage-solidaire.en.md"),
        GARAGE_EN,
    )
    .expect("traduction");
    build_ok(site.path());
    let out = site.path().join("output");
    let english = common::read_text(&out, "en/projets/garage-solidaire/index.html");
    let html = Html::parse_document(&english);
    let h1: String = html
        .select(&select("h1"))
        .next()
        .expect("h1")
        .text()
        .collect();
    assert_eq!(h1, "Solidarity garage of the Amiens area");
    assert_eq!(
        html.select(&select("h1[lang], p.chapo[lang], div.texte[lang]"))
            .count(),
        0
    );
    assert!(!english.contains("This page has not been translated yet"));
    assert!(english.contains("id=\"context\""), "{english}");
    assert!(
        english.contains("section-corps section-contexte"),
        "{english}"
    );
    let french = common::read_text(&out, "projets/garage-solidaire/index.html");
    assert!(
        french.contains("Garage solidaire de l&#39;Amiénois"),
        "{french}"
    );
    assert!(!french.contains("Solidarity garage"));
    // The other projects stay untranslated in English.
    let other = common::read_text(&out, "en/projets/panier-solidaire/index.html");
    assert!(other.contains("This page has not been translated yet"));
}

#[test]
fn translation_errors_name_file_line_and_field_and_a_missing_section_warns() {
    let site = bilingual_site();
    let projects = site.path().join("content/projets");
    std::fs::write(projects.join("inconnu.en.md"), GARAGE_EN).expect("orpheline");
    std::fs::write(projects.join("garage-solidaire.de.md"), GARAGE_EN).expect("allemand");
    std::fs::write(
        projects.join("panier-solidaire.en.md"),
        GARAGE_EN
            .replacen("resume:", "secteurs: [mobilite]\nresume:", 1)
            .replacen(
                "## Summary\n\nA garage that keeps people on the road to work.\n",
                "",
                1,
            ),
    )
    .expect("clé non traduisible");
    std::fs::write(projects.join("cafe-des-aidants.fr.md"), GARAGE_EN).expect("défaut");
    let pages = site.path().join("content/pages");
    std::fs::write(
        pages.join("a-propos.en.md"),
        "---\ntitre: \"About\"\nordre: 3\n---\n\nA test catalogue.\n",
    )
    .expect("page");
    std::fs::write(
        pages.join("perdue.en.md"),
        "---\ntitre: \"Lost\"\n---\n\nNo original.\n",
    )
    .expect("page orpheline");
    let (output, found) = check_json(site.path());
    assert!(!output.status.success());
    let of =
        |file: &str| -> Vec<&common::Found> { found.iter().filter(|d| d.file == file).collect() };
    let orphan = of("content/projets/inconnu.en.md");
    assert_eq!(orphan.len(), 1, "{found:?}");
    assert_eq!((orphan[0].line, orphan[0].severity.as_str()), (1, "error"));
    assert!(
        orphan[0].message.contains("content/projets/inconnu.md"),
        "{}",
        orphan[0].message
    );
    let german = of("content/projets/garage-solidaire.de.md");
    assert_eq!(german.len(), 1, "{found:?}");
    assert!(
        german[0].message.contains("« de »"),
        "{}",
        german[0].message
    );
    let key = of("content/projets/panier-solidaire.en.md");
    let sectors = key
        .iter()
        .find(|d| d.field.as_deref() == Some("secteurs"))
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!((sectors.line, sectors.severity.as_str()), (3, "error"));
    assert!(
        sectors.message.contains("ne se traduit pas"),
        "{}",
        sectors.message
    );
    let default = of("content/projets/cafe-des-aidants.fr.md");
    assert_eq!(default.len(), 1, "{found:?}");
    assert_eq!(
        (default[0].line, default[0].severity.as_str()),
        (1, "error")
    );
    assert!(
        default[0].message.contains("langue par défaut"),
        "{}",
        default[0].message
    );
    // Free pages: the same rules.
    let order = of("content/pages/a-propos.en.md");
    assert_eq!(order.len(), 1, "{found:?}");
    assert_eq!(
        (
            order[0].line,
            order[0].field.as_deref(),
            order[0].severity.as_str()
        ),
        (3, Some("ordre"), "error")
    );
    let lost = of("content/pages/perdue.en.md");
    assert_eq!(lost.len(), 1, "{found:?}");
    assert_eq!((lost[0].line, lost[0].severity.as_str()), (1, "error"));
    assert!(
        lost[0].message.contains("content/pages/perdue.md"),
        "{}",
        lost[0].message
    );
    let missing = key
        .iter()
        .find(|d| d.code == "section-manquante")
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(missing.severity, "warning");
    assert!(
        missing.message.contains("## Summary"),
        "{}",
        missing.message
    );
}

#[test]
fn feeds_and_maps_speak_the_language_of_their_pages() {
    let site = bilingual_site();
    build_ok(site.path());
    let out = site.path().join("output");
    let english = common::read_text(&out, "en/atom.xml");
    assert!(english.contains("xml:lang=\"en\""), "{english}");
    assert!(english.contains("<title>New labelled projects – Test catalogue</title>"));
    assert!(
        english.contains("https://essai.example.fr/en/projets/"),
        "{english}"
    );
    let french = common::read_text(&out, "atom.xml");
    assert!(french.contains("xml:lang=\"fr\""));
    assert!(
        french.contains("<title>Nouveaux projets labellisés – Catalogue d'essai</title>"),
        "{french}"
    );
    assert!(!french.contains("/en/projets/"));
    // Every feed (sectors', departments'…) has its English one, in English.
    let feeds: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "atom.xml")
        .filter_map(|e| {
            let relative = e
                .path()
                .strip_prefix(&out)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            (!relative.starts_with("en/")).then_some(relative)
        })
        .collect();
    assert!(feeds.len() > 5, "{feeds:?}");
    for feed in &feeds {
        let english = common::read_text(&out, &format!("en/{feed}"));
        assert!(english.contains("xml:lang=\"en\""), "en/{feed}");
        assert!(!english.contains("xml:lang=\"fr\""), "en/{feed}");
    }
    let home = common::read_text(&out, "en/index.html");
    assert!(
        home.contains("Map of the departments of Hauts-de-France"),
        "{home}"
    );
    assert!(home.contains("no projects"));
    assert!(!home.contains("aucun projet"));
    assert!(
        home.contains("title=\"New labelled projects – Test catalogue\""),
        "{home}"
    );
    // Radars: titles, descriptions, marker names and the marks of what is not assessed.
    let radar = common::read_text(&out, "en/projets/garage-solidaire/radar.svg");
    assert!(radar.contains("Social innovation profile: "), "{radar}");
    assert!(radar.contains("Place of research: not assessed"), "{radar}");
    assert!(
        radar.contains(">n.a.<") && !radar.contains("évalué"),
        "{radar}"
    );
    let page = common::read_text(&out, "en/projets/garage-solidaire/index.html");
    assert!(page.contains(" (numbered axes)</title>"), "{page}");
    assert!(
        page.contains("Location of the project in Hauts-de-France: "),
        "{page}"
    );
    assert!(page.contains("Sources: INSEE COG 2026"), "{page}");
    let french = common::read_text(&out, "projets/garage-solidaire/radar.svg");
    assert!(
        french.contains("Place de la recherche : non évalué"),
        "{french}"
    );
    let department = common::read_text(&out, "en/territoires/somme/index.html");
    assert!(
        department.contains("municipalities of the department Somme"),
        "{department}"
    );
    // Dates in the page's language.
    let dated = common::read_text(&out, "en/projets/panier-solidaire/index.html");
    assert!(dated.contains("(decision of 15 June 2017)"), "{dated}");
    assert!(
        dated.contains("Page updated on 10 January 2018."),
        "{dated}"
    );
}

#[test]
fn the_sitemap_lists_every_page_in_each_language_with_its_alternates() {
    let site = bilingual_site();
    build_ok(site.path());
    let out = site.path().join("output");
    let xml = common::read_text(&out, "sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap XML");
    let xhtml = "http://www.w3.org/1999/xhtml";
    let urls: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .collect();
    let french_pages = html_files(&out)
        .iter()
        .filter(|p| !p.starts_with("en/") && p.as_str() != "404.html")
        .count();
    assert_eq!(urls.len(), 2 * french_pages, "{xml}");
    for url in &urls {
        let loc = url
            .children()
            .find(|n| n.has_tag_name("loc"))
            .and_then(|n| n.text())
            .expect("loc");
        let alternates: Vec<(&str, &str)> = url
            .children()
            .filter(|n| n.has_tag_name((xhtml, "link")))
            .map(|n| {
                (
                    n.attribute("hreflang").unwrap_or(""),
                    n.attribute("href").unwrap_or(""),
                )
            })
            .collect();
        let path = loc
            .strip_prefix("https://essai.example.fr/")
            .expect("site URL");
        let french = path.strip_prefix("en/").unwrap_or(path);
        assert_eq!(
            alternates,
            [
                ("fr", format!("https://essai.example.fr/{french}").as_str()),
                (
                    "en",
                    format!("https://essai.example.fr/en/{french}").as_str()
                ),
                (
                    "x-default",
                    format!("https://essai.example.fr/{french}").as_str()
                ),
            ],
            "{loc}"
        );
    }
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
        let html = common::page(&out, &page);
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
    let (output, found) = check_json(site.path());
    assert!(!output.status.success());
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
    let (_, found) = check_json(site.path());
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

/// The first `<h1>` of an output page, its text.
fn heading(out: &Path, path: &str) -> String {
    common::page(out, path)
        .select(&select("h1"))
        .next()
        .unwrap_or_else(|| panic!("{path}: pas de h1"))
        .text()
        .collect::<String>()
        .trim()
        .to_string()
}

#[test]
fn site_texts_given_per_language_fall_back_to_the_default_language() {
    let site = bilingual_site();
    let path = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&path).expect("site.yaml");
    let text = text
        .replacen(
            "description: \"Un petit site pour les tests d'intégration d'amiris.\"",
            "description: {fr: \"Un petit site pour les tests d'intégration d'amiris.\"}",
            1,
        )
        .replacen(
            "nom: \"Personnes âgées\"",
            "nom: {fr: \"Personnes âgées\", en: \"Older people\"}",
            1,
        )
        .replacen("nom: \"Lien social\"", "nom: {fr: \"Lien social\"}", 1)
        .replacen(
            "  ressources:\n",
            "    aide: {fr: \"Qui décide, et comment ?\", en: \"Who decides, and how?\"}\n  recherche:\n    nom: {fr: \"Liens avec la recherche\"}\n  ressources:\n",
            1,
        );
    assert!(
        text.contains("Who decides") && text.contains("Older people"),
        "{text}"
    );
    std::fs::write(&path, text).expect("site.yaml");
    // Each text whose map lacks English is a warning naming its field; complete maps are not.
    let (output, found) = check_json(site.path());
    assert!(output.status.success());
    let missing: Vec<(String, String)> = found
        .into_iter()
        .filter(|d| d.code == "traduction-manquante")
        .map(|d| {
            assert_eq!(
                (d.file.as_str(), d.severity.as_str()),
                ("content/site.yaml", "warning")
            );
            assert!(d.message.contains("« en »"), "{}", d.message);
            (d.field.unwrap_or_default(), d.message)
        })
        .collect();
    let fields: Vec<&str> = missing.iter().map(|(field, _)| field.as_str()).collect();
    assert_eq!(fields.len(), 3, "{missing:?}");
    assert!(fields.contains(&"description"), "{missing:?}");
    assert!(fields.contains(&"marqueurs.recherche.nom"), "{missing:?}");
    assert!(
        fields
            .iter()
            .any(|f| f.starts_with("secteurs[") && f.ends_with("].nom")),
        "{missing:?}"
    );
    build_ok(site.path());
    let out = site.path().join("output");
    // A public's name and a marker's help in each language.
    assert_eq!(
        heading(&out, "en/publics/seniors/index.html"),
        "Older people"
    );
    assert_eq!(
        heading(&out, "publics/seniors/index.html"),
        "Personnes âgées"
    );
    let english = common::read_text(&out, "en/marqueurs/gouvernance/index.html");
    assert!(english.contains("Who decides, and how?"), "{english}");
    assert!(!english.contains("Qui décide"));
    let french = common::read_text(&out, "marqueurs/gouvernance/index.html");
    assert!(french.contains("Qui décide, et comment ?"), "{french}");
    assert!(!french.contains("Who decides"));
    // A map without the page's language: the default language's text.
    assert_eq!(
        heading(&out, "en/secteurs/lien-social/index.html"),
        "Lien social"
    );
    assert_eq!(
        heading(&out, "en/marqueurs/recherche/index.html"),
        "Liens avec la recherche"
    );
    let description = select("meta[name=description]");
    let home = common::page(&out, "en/index.html");
    assert_eq!(
        home.select(&description)
            .next()
            .and_then(|m| m.value().attr("content")),
        Some("Un petit site pour les tests d'intégration d'amiris.")
    );
}

/// The demonstration catalogue (the repository's `content/`), built with its languages.
#[test]
fn the_demonstration_translates_a_dozen_projects_and_every_free_page() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = std::fs::read_to_string(repo.join("content/site.yaml")).expect("site.yaml");
    assert!(site.contains("\nlangues: [fr, en]\n"), "{site}");
    let (_dir, out) = common::build_demonstration();
    let notice = "This page has not been translated yet";
    let translated = |path: &str| -> bool {
        let page = common::page(&out, path);
        !page
            .root_element()
            .text()
            .collect::<String>()
            .contains(notice)
            && page.select(&select("h1[lang=fr]")).count() == 0
    };
    let mut projects = 0;
    for entry in std::fs::read_dir(repo.join("content/projets")).expect("projets") {
        let name = entry
            .expect("entrée")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if let Some(slug) = name.strip_suffix(".en.md") {
            let path = format!("en/projets/{slug}/index.html");
            assert!(translated(&path), "{path}: la traduction n'apparaît pas");
            projects += 1;
        }
    }
    assert!(projects >= 12, "{projects} fiches traduites");
    let mut pages = 0;
    for entry in std::fs::read_dir(repo.join("content/pages")).expect("pages") {
        let name = entry
            .expect("entrée")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let Some(slug) = name.strip_suffix(".md") else {
            continue;
        };
        if slug.ends_with(".en") {
            continue;
        }
        assert!(
            repo.join(format!("content/pages/{slug}.en.md")).is_file(),
            "content/pages/{slug}.en.md manque"
        );
        let path = format!("en/{slug}/index.html");
        assert!(translated(&path), "{path}: la traduction n'apparaît pas");
        pages += 1;
    }
    assert!(pages >= 4, "{pages} pages libres");
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

/// The fragments of the theme's French interface texts (between holes and tags, 10
/// characters or more) that its English text of the same key does not have: none should be
/// read on an English page outside what is marked `lang="fr"`.
fn french_interface_fragments() -> BTreeSet<String> {
    use amiris::render::texts::{Entry, Texts};
    let texts = Texts::load(None).expect("textes");
    let forms = |entry: Option<&Entry>| -> Vec<String> {
        match entry {
            Some(Entry::One(text)) => vec![text.clone()],
            Some(Entry::Counted {
                un,
                plusieurs,
                zero,
            }) => [Some(un), Some(plusieurs), zero.as_ref()]
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
            None => Vec::new(),
        }
    };
    let (fr, en) = (texts.language("fr"), texts.language("en"));
    let mut fragments = BTreeSet::new();
    for (key, entry) in &fr.interface {
        let english = forms(en.interface.get(key)).join(" ");
        for form in forms(Some(entry)) {
            let plain = amiris::render::texts::plain_text(&form);
            for piece in plain.split(['{', '}', '<', '>']) {
                let piece = piece.trim_matches(|c: char| " .:;,()«»".contains(c));
                if piece.chars().count() >= 10 && piece.contains(' ') && !english.contains(piece) {
                    fragments.insert(piece.to_string());
                }
            }
        }
    }
    fragments
}

/// What a reader of `html` meets outside elements marked `lang="fr"`: text (SVG titles and
/// descriptions included) and the `alt`, `title`, `aria-label` and `content` attributes.
fn text_outside_french(html: &Html) -> String {
    let mut out = String::new();
    for node in html.root_element().descendants() {
        let french = node.ancestors().chain(std::iter::once(node)).any(|n| {
            n.value()
                .as_element()
                .is_some_and(|e| e.attr("lang") == Some("fr"))
        });
        if french {
            continue;
        }
        if let Some(text) = node.value().as_text() {
            out.push_str(text);
            out.push('\n');
        } else if let Some(element) = node.value().as_element() {
            for name in ["alt", "title", "aria-label", "content"] {
                if let Some(value) = element.attr(name) {
                    out.push_str(value);
                    out.push('\n');
                }
            }
        }
    }
    out
}

#[test]
fn english_pages_keep_no_french_interface_text() {
    let site = bilingual_site();
    let content = site.path().join("content");
    let yaml = content.join("site.yaml");
    let text = std::fs::read_to_string(&yaml).expect("site.yaml");
    let logo = r#"<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80"><rect width="240" height="80"/></svg>"#;
    std::fs::write(content.join("medias/logo.svg"), logo).expect("logo");
    std::fs::write(
        &yaml,
        text + "organisme:\n  nom: \"Conseil d'essai\"\n  logo: {src: medias/logo.svg, alt: {fr: \"Conseil d'essai (logo)\", en: \"Test council (logo)\"}}\npartenaires:\n  - nom: \"Fondation\"\n    logo: {src: medias/logo.svg, alt: \"Fondation Un\"}\n",
    )
    .expect("site.yaml");
    build_ok(site.path());
    let out = site.path().join("output");

    // Logos: the English text alternative on English pages, a single text in both.
    let home = common::page(&out, "en/index.html");
    let alts: Vec<&str> = home
        .select(&select("header img, footer img"))
        .filter_map(|i| i.value().attr("alt"))
        .collect();
    assert_eq!(alts, ["Test council (logo)", "Fondation Un"]);
    let accueil = common::page(&out, "index.html");
    let alts: Vec<&str> = accueil
        .select(&select("header img, footer img"))
        .filter_map(|i| i.value().attr("alt"))
        .collect();
    assert_eq!(alts, ["Conseil d'essai (logo)", "Fondation Un"]);

    // The label in the JSON-LD, in each language.
    let ld = |path: &str| -> serde_json::Value {
        let html = common::page(&out, path);
        let script = html
            .select(&select("script[type=\"application/ld+json\"]"))
            .next()
            .expect("JSON-LD")
            .text()
            .collect::<String>();
        serde_json::from_str(&script).expect("json")
    };
    assert_eq!(
        ld("en/projets/panier-solidaire/index.html")["award"],
        "AMIRIS social innovation label 2017 – Hauts-de-France Region"
    );
    assert_eq!(
        ld("projets/panier-solidaire/index.html")["award"],
        "Label AMIRIS innovation sociale 2017 – Région Hauts-de-France"
    );

    // Scores with a decimal point in English (radar tooltips, ring values, tables), a comma
    // in French.
    let english = common::read_text(&out, "en/projets/garage-solidaire/index.html");
    assert!(
        english.contains("Place of the beneficiaries: 1.5 / 3"),
        "{english}"
    );
    assert!(english.contains(">1.5<"), "{english}");
    let french = common::read_text(&out, "projets/garage-solidaire/index.html");
    assert!(
        french.contains("Place des bénéficiaires : 1,5 / 3"),
        "{french}"
    );

    // A "page not found" in English, its links within the English site.
    let missing = common::read_text(&out, "en/404.html");
    let missing_doc = Html::parse_document(&missing);
    assert_eq!(
        missing_doc
            .select(&select("html"))
            .next()
            .and_then(|h| h.value().attr("lang")),
        Some("en")
    );
    assert!(missing.contains("<title>Page not found"), "{missing}");
    assert!(missing.contains("href=\"/en/projets/\""), "{missing}");
    assert!(common::read_text(&out, "404.html").contains("<title>Page introuvable"));

    // No French interface text left on any English page (SVG files included).
    let fragments = french_interface_fragments();
    assert!(fragments.len() > 100, "{}", fragments.len());
    let mut left = Vec::new();
    for page in html_files(&out.join("en")) {
        let html = common::page(&out.join("en"), &page);
        let text = text_outside_french(&html);
        for fragment in &fragments {
            if text.contains(fragment.as_str()) {
                left.push(format!("en/{page}: « {fragment} »"));
            }
        }
    }
    assert!(left.is_empty(), "{left:#?}");
}

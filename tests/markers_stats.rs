//! Marker pages, statistics page, sector-median overlay and related projects, on a hand-made site built by the real binary.

mod common;

use common::{MARKER_KEYS as KEYS, build_ok, fixture, read_text};
use scraper::{ElementRef, Html, Selector};
use std::path::Path;

/// A hand-made project: every field the tests vary.
struct Spec {
    slug: &'static str,
    title: &'static str,
    year: u16,
    sectors: &'static [&'static str],
    communes: &'static [&'static str],
    departments: &'static [&'static str],
    stage: &'static str,
    /// The twelve scores in radar order; `None` is written `null`.
    markers: [Option<f64>; 12],
}

/// Index of `gouvernance` and `recherche` in radar order.
const GOUVERNANCE: usize = 6;
const RECHERCHE: usize = 4;

fn list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

fn project_file(p: &Spec) -> String {
    let mut territory = String::new();
    if !p.communes.is_empty() {
        territory.push_str(&format!("  communes: {}\n", list(p.communes)));
    }
    if !p.departments.is_empty() {
        territory.push_str(&format!("  departements: {}\n", list(p.departments)));
    }
    let markers: String = KEYS
        .iter()
        .zip(p.markers.iter())
        .map(|(k, v)| match v {
            Some(v) => format!("  {k}: {v:?}\n"),
            None => format!("  {k}: null\n"),
        })
        .collect();
    let sections: String = ["Contexte", "Processus", "Résultats", "Impacts", "Diffusion", "Synthèse"]
        .iter()
        .map(|s| format!("## {s}\n\nCe que le projet {} dit de sa section {s}, en quelques mots choisis pour dépasser le seuil des cinquante mots attendus dans le corps d'une fiche de démonstration.\n\n", p.title))
        .collect();
    format!(
        "---\ntitre: \"{}\"\nresume: \"Résumé de {}.\"\nlabel:\n  annee: {}\nsecteurs: {}\nterritoire:\n{territory}stade: {}\nstructure:\n  nom: \"Structure\"\n  forme_juridique: association\n  code_postal: \"59000\"\n  commune: \"Lille\"\nmarqueurs:\n{markers}---\n\n{sections}",
        p.title,
        p.title,
        p.year,
        list(p.sectors),
        p.stage,
    )
}

/// Scores all equal to `v`, with `gouvernance` and `recherche` overridden.
fn scores(v: f64, gouvernance: Option<f64>, recherche: Option<f64>) -> [Option<f64>; 12] {
    let mut m = [Some(v); 12];
    m[GOUVERNANCE] = gouvernance;
    m[RECHERCHE] = recherche;
    m
}

/// The projects of the test site. Lille, Villeneuve-d'Ascq and Roubaix share the EPCI of the
/// Métropole européenne de Lille; Cambrai is in the Nord but another EPCI; Amiens in the Somme.
fn specs() -> Vec<Spec> {
    vec![
        Spec {
            slug: "reference",
            title: "Référence",
            year: 2020,
            sectors: &["alimentation"],
            communes: &["59350"],
            departments: &[],
            stage: "emergence",
            markers: scores(2.0, Some(3.0), Some(1.0)),
        },
        Spec {
            slug: "meme-commune",
            title: "Même commune",
            year: 2022,
            sectors: &["alimentation"],
            communes: &["59350"],
            departments: &[],
            stage: "experimentation",
            markers: scores(2.0, Some(3.0), Some(2.0)),
        },
        Spec {
            slug: "meme-epci",
            title: "Abeilles de la métropole",
            year: 2022,
            sectors: &["alimentation"],
            communes: &["59009"],
            departments: &[],
            stage: "experimentation",
            markers: scores(2.0, Some(2.5), Some(1.5)),
        },
        Spec {
            slug: "meme-departement",
            title: "Même département",
            year: 2019,
            sectors: &["alimentation"],
            communes: &["59122"],
            departments: &[],
            stage: "developpement",
            markers: scores(2.0, None, Some(3.0)),
        },
        Spec {
            slug: "meme-secteur",
            title: "Même secteur",
            year: 2018,
            sectors: &["alimentation"],
            communes: &["80021"],
            departments: &[],
            stage: "essaimage",
            markers: scores(2.0, Some(0.0), None),
        },
        Spec {
            slug: "voisin-de-palier",
            title: "Voisin de palier",
            year: 2021,
            sectors: &["mobilite"],
            communes: &["59512"],
            departments: &[],
            stage: "emergence",
            markers: scores(2.0, Some(3.0), Some(0.5)),
        },
        Spec {
            slug: "ailleurs",
            title: "Ailleurs",
            year: 2023,
            sectors: &["mobilite"],
            communes: &[],
            departments: &["80"],
            stage: "emergence",
            markers: scores(1.0, Some(1.0), None),
        },
    ]
}

/// Builds the test site (minimal fixture's settings, the projects above, optional free
/// pages) and returns its temporary root.
fn site(with_method_page: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("projets")).unwrap();
    std::fs::create_dir_all(content.join("pages")).unwrap();
    std::fs::copy(
        fixture("minimal").join("content/site.yaml"),
        content.join("site.yaml"),
    )
    .unwrap();
    for spec in specs() {
        std::fs::write(
            content.join(format!("projets/{}.md", spec.slug)),
            project_file(&spec),
        )
        .unwrap();
    }
    if with_method_page {
        std::fs::write(
            content.join("pages/methode.md"),
            "---\ntitre: \"La méthode\"\n---\n\nLes douze marqueurs de l'Institut Godin.\n",
        )
        .unwrap();
    }
    build_ok(dir.path());
    dir
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: ElementRef<'_>) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn page(root: &Path, path: &str) -> Html {
    Html::parse_document(&read_text(&root.join("output"), path))
}

#[test]
fn marker_page_lists_the_top_projects_in_order() {
    let dir = site(true);
    let html = page(dir.path(), "marqueurs/gouvernance/index.html");
    let titles: Vec<String> = html.select(&sel(".pratique-titre a")).map(text).collect();
    // 3 (2022: title order), 3 (2021), 3 (2020), 2,5 (2022), 1; 0 and null are left out.
    assert_eq!(
        titles,
        [
            "Même commune",
            "Voisin de palier",
            "Référence",
            "Abeilles de la métropole",
            "Ailleurs"
        ]
    );
    let notes: Vec<String> = html
        .select(&sel(".pratique-note strong"))
        .map(text)
        .collect();
    assert_eq!(notes, ["3", "3", "3", "2,5", "1"]);
    let main = text(html.select(&sel("main")).next().unwrap());
    assert!(
        main.contains("3 projets ont la note la plus haute, 3 sur 3"),
        "{main}"
    );
    // A figure that tells markers apart: the projects with 2,5 or more (3, 3, 3, 2,5).
    let total = specs().len();
    assert!(
        main.contains(&format!(
            "4 projets sur {total} obtiennent 2,5 ou plus sur ce marqueur"
        )),
        "{main}"
    );
    // Each project links to the section where it describes the practice (Processus).
    let links: Vec<&str> = html
        .select(&sel(".pratique a[href*='#']"))
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(links[0], "../../projets/meme-commune/#processus");
    assert_eq!(links.len(), 5);
    // The help text and the method page.
    assert!(main.contains("Les décisions sont prises de façon démocratique"));
    assert!(
        html.select(&sel("a[href='../../methode/']"))
            .next()
            .is_some()
    );

    // The index lists the twelve markers, each linking to its page.
    let index = page(dir.path(), "marqueurs/index.html");
    let hrefs: Vec<&str> = index
        .select(&sel(".liste-marqueurs .entree-titre a"))
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(hrefs.len(), 12);
    assert_eq!(hrefs[2], "../marqueurs/nature-collectif/");
    // Each marker shows how many projects score 2,5 or more on it, not how many have any
    // score: gouvernance (the 7th) 4, place de la recherche (the 5th) 1 (a 3).
    let strong: Vec<String> = index
        .select(&sel(".liste-marqueurs .marqueur-fort"))
        .map(text)
        .collect();
    assert_eq!(strong.len(), 12);
    assert_eq!(
        strong[6],
        format!("4 projets sur {total} obtiennent 2,5 ou plus")
    );
    assert_eq!(
        strong[4],
        format!("1 projet sur {total} obtient 2,5 ou plus")
    );
    for href in hrefs {
        let path = href.trim_start_matches("../");
        assert!(
            dir.path()
                .join("output")
                .join(path)
                .join("index.html")
                .is_file(),
            "{href}"
        );
    }
    assert!(index.select(&sel("a[href='../methode/']")).next().is_some());
}

#[test]
fn without_a_method_page_there_is_no_link_to_it() {
    let dir = site(false);
    let index = read_text(&dir.path().join("output"), "marqueurs/index.html");
    assert!(!index.contains("methode/"));
    // The menu has the two new entries.
    let html = Html::parse_document(&index);
    let menu: Vec<String> = html.select(&sel(".menu a")).map(text).collect();
    assert!(menu.contains(&"Marqueurs".to_string()), "{menu:?}");
    assert!(menu.contains(&"Statistiques".to_string()), "{menu:?}");
    let current = html
        .select(&sel(".menu a[aria-current='page']"))
        .next()
        .unwrap();
    assert_eq!(text(current), "Marqueurs");
}

/// Rows of the count table under heading `id`: (name, count).
fn count_table(html: &Html, id: &str) -> Vec<(String, usize)> {
    let section = html
        .select(&sel(&format!("section[aria-labelledby='{id}']")))
        .next()
        .unwrap_or_else(|| panic!("no table {id}"));
    section
        .select(&sel("tbody tr"))
        .map(|tr| {
            let name = text(tr.select(&sel("th")).next().unwrap());
            let count = text(tr.select(&sel("td.nombre")).next().unwrap());
            (name, count.parse().unwrap())
        })
        .collect()
}

/// Medians of the median table of block `id`: marker name -> median text.
fn median_table(html: &Html, id: &str) -> Vec<(String, String, String)> {
    let block = html
        .select(&sel(&format!("#{id}")))
        .next()
        .unwrap_or_else(|| panic!("no block {id}"));
    block
        .select(&sel("tbody tr"))
        .map(|tr| {
            let cells: Vec<String> = tr.select(&sel("th, td")).map(text).collect();
            (cells[0].clone(), cells[1].clone(), cells[2].clone())
        })
        .collect()
}

#[test]
fn statistics_count_the_catalogue_and_show_medians() {
    let dir = site(false);
    let html = page(dir.path(), "statistiques/index.html");
    let specs = specs();

    let sectors = count_table(&html, "stats-secteurs");
    let count = |sector: &str| specs.iter().filter(|s| s.sectors.contains(&sector)).count();
    // Every sector of the vocabulary has a row, even without project.
    assert_eq!(
        sectors,
        [
            ("Alimentation durable".to_string(), count("alimentation")),
            ("Lien social".to_string(), 0),
            ("Mobilité solidaire".to_string(), count("mobilite"))
        ]
    );
    assert_eq!(count("alimentation"), 5);

    let departments = count_table(&html, "stats-departements");
    assert_eq!(
        departments,
        [
            ("Aisne".to_string(), 0),
            ("Nord".to_string(), 5),
            ("Oise".to_string(), 0),
            ("Pas-de-Calais".to_string(), 0),
            ("Somme".to_string(), 2)
        ]
    );
    let stages = count_table(&html, "stats-stades");
    assert_eq!(
        stages,
        [
            ("Émergence".to_string(), 3),
            ("Expérimentation".to_string(), 2),
            ("Développement".to_string(), 1),
            ("Essaimage".to_string(), 1)
        ]
    );
    let years = count_table(&html, "stats-annees");
    let mut expected: Vec<(String, usize)> = Vec::new();
    for year in 2018..=2023u16 {
        let n = specs.iter().filter(|s| s.year == year).count();
        if n > 0 {
            expected.push((year.to_string(), n));
        }
    }
    assert_eq!(years, expected);

    // Medians of the whole catalogue: gouvernance 3, 3, 2.5, 0, 3, 1 (one null) -> 2.75;
    // recherche 1, 2, 1.5, 3, 0.5 (two nulls) -> 1.5; the others 2 ×6 and 1 -> 2.
    let all = median_table(&html, "mediane-ensemble");
    assert_eq!(all.len(), 12);
    assert_eq!(all[GOUVERNANCE].1, "2,75");
    assert_eq!(all[GOUVERNANCE].2, "6");
    assert_eq!(all[RECHERCHE].1, "1,5");
    assert_eq!(all[RECHERCHE].2, "5");
    assert_eq!(all[0].1, "2");
    // Mobilité: gouvernance 3 and 1 -> 2; recherche 0.5 and null -> 0,5.
    let mobility = median_table(&html, "mediane-secteur-mobilite");
    assert_eq!(mobility[GOUVERNANCE].1, "2");
    assert_eq!(mobility[RECHERCHE].1, "0,5");
    // Sectors without projects have no radar; each radar has its svg.
    assert!(
        html.select(&sel("#mediane-secteur-lien-social"))
            .next()
            .is_none()
    );
    assert_eq!(
        html.select(&sel("section.radar-median svg.radar")).count(),
        2,
        "the catalogue's, named and numbered"
    );
    // Two sectors and two departments as small multiples over the catalogue's median.
    let multiples: Vec<_> = html.select(&sel(".multiple svg.radar")).collect();
    assert_eq!(multiples.len(), 2 + 2, "two sectors, two departments");
    for svg in multiples {
        assert_eq!(svg.select(&sel(".radar-serie-groupe")).count(), 1);
        assert_eq!(
            svg.select(&sel(".radar-serie-mediane-catalogue")).count(),
            1
        );
        assert_eq!(svg.select(&sel(".radar-legende")).count(), 0);
        assert_eq!(
            svg.select(&sel(".radar-libelle"))
                .map(text)
                .collect::<Vec<_>>()[11],
            "12"
        );
    }
}

#[test]
fn a_sector_where_nobody_assessed_a_marker_shows_non_evalue() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("projets")).unwrap();
    std::fs::copy(
        fixture("minimal").join("content/site.yaml"),
        content.join("site.yaml"),
    )
    .unwrap();
    let mut spec = specs().remove(0);
    spec.markers[RECHERCHE] = None;
    std::fs::write(content.join("projets/reference.md"), project_file(&spec)).unwrap();
    build_ok(dir.path());
    let html = page(dir.path(), "statistiques/index.html");
    let all = median_table(&html, "mediane-ensemble");
    assert_eq!(all[RECHERCHE].1, "non évalué");
    assert_eq!(all[RECHERCHE].2, "0");
    let project = page(dir.path(), "projets/reference/index.html");
    let row = project
        .select(&sel(".tableau-marqueurs tbody tr"))
        .nth(RECHERCHE)
        .unwrap();
    assert_eq!(
        text(row.select(&sel("td.mediane")).next().unwrap()),
        "non évalué"
    );
}

#[test]
fn project_radar_overlays_its_sector_median_with_a_legend_and_table_column() {
    let dir = site(false);
    let html = page(dir.path(), "projets/reference/index.html");
    // The same radar twice: axes named (wide) and numbered (narrow), with distinct ids.
    let radars: Vec<_> = html.select(&sel(".profil svg.radar")).collect();
    assert_eq!(radars.len(), 2);
    assert_eq!(
        radars
            .iter()
            .map(|svg| svg.value().attr("aria-labelledby").unwrap_or_default())
            .collect::<Vec<_>>(),
        ["radar-reference-titre", "radar-reference-n-titre"]
    );
    for svg in radars {
        assert_eq!(svg.select(&sel(".radar-donnees .radar-serie")).count(), 2);
        assert_eq!(
            svg.select(&sel(".radar-donnees .radar-serie-mediane"))
                .count(),
            1
        );
        let legend = svg.select(&sel(".radar-legende")).next().expect("legend");
        let legend = text(legend);
        assert!(legend.contains("Référence"), "{legend}");
        assert!(legend.contains("Médiane du secteur"), "{legend}");
    }
    let headers: Vec<String> = html
        .select(&sel(".tableau-marqueurs thead th"))
        .map(text)
        .collect();
    assert_eq!(headers, ["Marqueur", "Valeur", "Médiane du secteur"]);
    // Alimentation, gouvernance: 3, 3, 2.5, null, 0 -> 2,75.
    let row = html
        .select(&sel(".tableau-marqueurs tbody tr"))
        .nth(GOUVERNANCE)
        .unwrap();
    assert_eq!(text(row.select(&sel("td.mediane")).next().unwrap()), "2,75");
    // The standalone radar stays the project's alone.
    let standalone = read_text(&dir.path().join("output"), "projets/reference/radar.svg");
    assert!(!standalone.contains("radar-serie-mediane"));
}

#[test]
fn related_projects_follow_the_documented_ranking() {
    let dir = site(false);
    let html = page(dir.path(), "projets/reference/index.html");
    let section = html
        .select(&sel("section.voisins"))
        .next()
        .expect("related section");
    let titles: Vec<String> = section.select(&sel(".carte-titre a")).map(text).collect();
    // Same sector + commune, + EPCI, + department, sector only, then same EPCI but another
    // sector; "Ailleurs" shares nothing and is never suggested.
    assert_eq!(
        titles,
        [
            "Même commune",
            "Abeilles de la métropole",
            "Même département",
            "Même secteur",
            "Voisin de palier"
        ]
    );
    let reasons: Vec<String> = section.select(&sel(".voisin-raisons")).map(text).collect();
    assert!(
        reasons[0].starts_with("même secteur · même commune · profil proche à"),
        "{reasons:?}"
    );
    assert!(
        reasons[4].starts_with("même intercommunalité"),
        "{reasons:?}"
    );
}

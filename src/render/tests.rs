//! Tests of the whole render stage on a small handmade catalogue.

use super::*;
use crate::index::Index;
use crate::model::{
    Date, Image, Label, LegalForm, MARKER_COUNT, MARKER_HELP, MARKER_KEYS, MARKER_LABELS,
    MarkerInfo, Page, Partner, PartnerRole, Project, ProjectTerritory, Public, Replication, Scale,
    Scope, Sector, Site, Stage, Structure,
};
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};

/// A site with three sectors (one without project) and two projects per listing page.
pub fn test_site() -> Site {
    Site {
        title: "Innovation sociale en Hauts-de-France".into(),
        description: "Catalogue des initiatives labellisées AMIRIS.".into(),
        url_base: None,
        language: "fr".into(),
        translations: Vec::new(),
        theme: "default".into(),
        per_page: 2,
        scale: Scale::default(),
        sectors: vec![
            Sector {
                key: "alimentation".into(),
                name: "Alimentation durable".into(),
                description: "Circuits courts et épiceries solidaires.".into(),
            },
            Sector {
                key: "mobilite".into(),
                name: "Mobilité".into(),
                description: String::new(),
            },
            Sector {
                key: "culture".into(),
                name: "Culture".into(),
                description: String::new(),
            },
        ],
        publics: vec![Public {
            key: "seniors".into(),
            name: "Personnes âgées".into(),
        }],
        markers: (0..MARKER_COUNT)
            .map(|i| MarkerInfo {
                key: MARKER_KEYS[i],
                name: MARKER_LABELS[i].into(),
                help: MARKER_HELP[i].into(),
                custom_name: false,
                custom_help: false,
            })
            .collect(),
        social_cards: true,
        card_cache: None,
        operator: None,
        partners: Vec::new(),
    }
}

/// A project with sensible defaults; `communes` are INSEE codes of the region.
pub fn test_project(
    slug: &str,
    title: &str,
    year: u16,
    sectors: &[&str],
    communes: &[&str],
) -> Project {
    let t = Territories::region();
    let mut departments: Vec<String> = communes.iter().map(|c| c[..2].to_string()).collect();
    departments.sort();
    departments.dedup();
    let mut epcis: Vec<String> = communes
        .iter()
        .filter_map(|c| t.commune(c).and_then(|c| c.epci.clone()))
        .collect();
    epcis.sort();
    epcis.dedup();
    let mut markers = [Some(2.0); MARKER_COUNT];
    markers[1] = Some(2.5);
    markers[4] = None;
    Project {
        slug: slug.into(),
        source: format!("content/projets/{slug}.md"),
        title: title.into(),
        summary: format!("Résumé de {title}."),
        label: Label {
            year,
            date: Date::parse(&format!("{year}-06-15")),
        },
        sectors: sectors.iter().map(|s| s.to_string()).collect(),
        territory: ProjectTerritory {
            communes: communes.iter().map(|s| s.to_string()).collect(),
            departments,
            epcis,
            scope: Some(Scope::Locale),
        },
        stage: Stage::Experimentation,
        publics: vec!["seniors".into()],
        structure: Structure {
            name: format!("Association {title}"),
            legal_form: LegalForm::Association,
            siret: Some("44306184100047".into()),
            postal_code: "59400".into(),
            commune: "Cambrai".into(),
            website: Some("https://exemple.org".into()),
            esus: Some(true),
        },
        partners: vec![Partner {
            name: "CCAS".into(),
            role: PartnerRole::Collectivite,
        }],
        markers,
        replication: Some(Replication {
            open: true,
            territories: vec!["13".into()],
        }),
        image: None,
        contact_email: Some("contact@exemple.org".into()),
        updated: Date::parse("2024-01-01"),
        draft: false,
        body: "Intro.\n\n## Contexte\n\nUn besoin, voir [l'autre](projets/velo/).\n\n## Résultats\n\nDes [chiffres](#contexte).\n\n## Synthèse\n\nFin."
            .into(),
    }
}

fn test_page(slug: &str, title: &str, order: Option<i64>) -> Page {
    Page {
        slug: slug.into(),
        source: format!("content/pages/{slug}.md"),
        title: title.into(),
        summary: String::new(),
        order,
        draft: false,
        body: format!("Texte de la page {title}. [Les projets](projets/)."),
    }
}

fn test_projects() -> Vec<Project> {
    let mut panier = test_project(
        "panier",
        "Le <script>alert(1)</script> Panier",
        2017,
        &["alimentation"],
        &["59122"],
    );
    panier.image = Some(Image {
        src: "medias/panier.jpg".into(),
        alt: "Le camion-épicerie".into(),
        width: Some(640),
        height: Some(360),
    });
    panier
        .body
        .push_str("\n\n[piège](javascript:alert(1)) <script>x()</script>");
    vec![
        panier,
        test_project("velo", "Vélo pour tous", 2019, &["mobilite"], &["80021"]),
        test_project(
            "jardins",
            "Jardins partagés",
            2018,
            &["alimentation", "mobilite"],
            &["59350", "62041"],
        ),
        test_project(
            "epicerie",
            "Épicerie mobile",
            2020,
            &["alimentation"],
            &["59350"],
        ),
        test_project(
            "cantine",
            "Cantine solidaire",
            2016,
            &["alimentation"],
            &["59350"],
        ),
    ]
}

fn test_pages() -> Vec<Page> {
    vec![
        test_page("a-propos", "À propos", Some(1)),
        test_page("methode", "Méthode", None),
        test_page("accessibilite", "Accessibilité", None),
        test_page("mentions-legales", "Mentions légales", None),
    ]
}

/// Renders the test site into a map path -> bytes.
fn render_test_site(
    site: &Site,
    projects: &[Project],
    pages: &[Page],
) -> BTreeMap<String, Vec<u8>> {
    let index = Index::new(site, projects, pages);
    let input = RenderInput {
        index: &index,
        theme_dir: None,
        translations: &[],
    };
    let files = render_site(&input).unwrap_or_else(|e| panic!("rendu : {e}"));
    let count = files.len();
    let map: BTreeMap<String, Vec<u8>> = files.into_iter().map(|f| (f.path, f.bytes)).collect();
    assert_eq!(map.len(), count, "chemins en double");
    map
}

fn html_pages(files: &BTreeMap<String, Vec<u8>>) -> impl Iterator<Item = (&String, String)> {
    files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8_lossy(bytes).into_owned()))
}

#[test]
fn every_expected_path_is_produced() {
    let (site, projects, pages) = (test_site(), test_projects(), test_pages());
    let files = render_test_site(&site, &projects, &pages);
    for path in [
        "index.html",
        "404.html",
        "projets/index.html",
        "projets/page/2/index.html",
        "projets/page/3/index.html",
        "projets/panier/index.html",
        "projets/panier/radar.svg",
        "projets/velo/index.html",
        "projets/jardins/radar.svg",
        "secteurs/index.html",
        "secteurs/alimentation/index.html",
        "secteurs/alimentation/page/2/index.html",
        "secteurs/mobilite/index.html",
        "secteurs/culture/index.html",
        "territoires/index.html",
        "territoires/aisne/index.html",
        "territoires/nord/index.html",
        "territoires/nord/page/2/index.html",
        "territoires/oise/index.html",
        "territoires/pas-de-calais/index.html",
        "territoires/somme/index.html",
        "territoires/nord/alimentation/index.html",
        "territoires/nord/alimentation/page/2/index.html",
        "territoires/nord/mobilite/index.html",
        "territoires/pas-de-calais/alimentation/index.html",
        "territoires/somme/mobilite/index.html",
        "a-propos/index.html",
        "accessibilite/index.html",
        "mentions-legales/index.html",
        "static/style.css",
        "static/favicon.svg",
    ] {
        assert!(
            files.contains_key(path),
            "{path} manque ; produits : {:?}",
            files.keys()
        );
    }
    for path in [
        "projets/page/4/index.html",
        "territoires/nord/culture/index.html",
        "territoires/somme/alimentation/index.html",
        "secteurs/alimentation/page/3/index.html",
    ] {
        assert!(!files.contains_key(path), "{path} ne devrait pas exister");
    }
}

#[test]
fn every_page_has_exactly_one_h1_and_a_unique_title() {
    let (site, projects, pages) = (test_site(), test_projects(), test_pages());
    let files = render_test_site(&site, &projects, &pages);
    let h1 = Selector::parse("h1").expect("sélecteur");
    let title = Selector::parse("title").expect("sélecteur");
    let mut titles = BTreeSet::new();
    for (path, text) in html_pages(&files) {
        let doc = Html::parse_document(&text);
        assert_eq!(doc.select(&h1).count(), 1, "{path}");
        let title: String = doc.select(&title).flat_map(|t| t.text()).collect();
        assert!(title.contains(&site.title), "{path}: {title}");
        assert!(
            titles.insert(title.clone()),
            "titre en double : {title} ({path})"
        );
    }
}

#[test]
fn autoescape_neutralises_markup_in_content() {
    let (site, projects, pages) = (test_site(), test_projects(), test_pages());
    let files = render_test_site(&site, &projects, &pages);
    for (path, text) in html_pages(&files) {
        // Only JSON-LD data blocks, never executed, whose JSON cannot close them, and the
        // theme's own catalogue script (an external file) on the catalogue pages.
        let theme_scripts = text.matches("<script src=\"../static/catalogue.").count()
            + text
                .matches("<script src=\"../../../static/catalogue.")
                .count();
        assert_eq!(
            theme_scripts > 0,
            path.starts_with("projets/index.html") || path.starts_with("projets/page/"),
            "{path}"
        );
        assert_eq!(
            text.matches("<script").count(),
            text.matches("<script type=\"application/ld+json\">")
                .count()
                + theme_scripts,
            "{path} contient un script"
        );
        assert_eq!(
            text.matches("<script").count(),
            text.matches("</script>").count(),
            "{path} : un titre ferme le bloc JSON-LD"
        );
        assert!(!text.to_ascii_lowercase().contains("javascript:"), "{path}");
        assert!(!text.contains(" style=\""), "{path} a un attribut style");
    }
    let page = String::from_utf8_lossy(&files["projets/panier/index.html"]);
    assert!(
        page.contains("Le &lt;script&gt;alert(1)&lt;&#x2F;script&gt; Panier")
            || page.contains("Le &lt;script&gt;alert(1)&lt;/script&gt; Panier"),
        "{page}"
    );
    // The link text of the neutralised link stays.
    assert!(page.contains("piège"));
}

/// Resolves `href` found in the page at `page_path` to an output path (None for external
/// links and same-page fragments).
fn resolve(page_path: &str, href: &str) -> Option<(String, Option<String>)> {
    if href.contains(':') || href.starts_with("//") {
        return None;
    }
    let (target, fragment) = match href.split_once('#') {
        Some((t, f)) => (t, Some(f.to_string())),
        None => (href, None),
    };
    let target = target.split('?').next().unwrap_or("");
    let mut parts: Vec<&str> = page_path.split('/').collect();
    parts.pop();
    if target.is_empty() {
        return Some((page_path.to_string(), fragment));
    }
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                assert!(
                    parts.pop().is_some(),
                    "{href} sort du site depuis {page_path}"
                );
            }
            other => parts.push(other),
        }
    }
    let mut path = parts.join("/");
    if target.ends_with('/') || target == "." || target.ends_with("/.") {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some((path, fragment))
}

#[test]
fn every_relative_link_resolves_to_a_produced_file() {
    let (site, projects, pages) = (test_site(), test_projects(), test_pages());
    let files = render_test_site(&site, &projects, &pages);
    let links = Selector::parse("a[href], link[href]").expect("sélecteur");
    let sources = Selector::parse("img[src]").expect("sélecteur");
    let with_id = Selector::parse("[id]").expect("sélecteur");
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let docs: Vec<(&String, Html)> = html_pages(&files)
        .map(|(path, text)| (path, Html::parse_document(&text)))
        .collect();
    for (path, doc) in &docs {
        ids.insert(
            path.as_str(),
            doc.select(&with_id)
                .filter_map(|e| e.value().attr("id").map(str::to_string))
                .collect(),
        );
    }
    let mut checked = 0;
    for (path, doc) in &docs {
        let urls = doc
            .select(&links)
            .filter_map(|e| e.value().attr("href"))
            .chain(doc.select(&sources).filter_map(|e| e.value().attr("src")));
        for url in urls {
            let Some((target, fragment)) = resolve(path, url) else {
                continue;
            };
            checked += 1;
            if target.starts_with("medias/") {
                continue; // copied by the build, not by the render stage
            }
            assert!(
                files.contains_key(&target),
                "{path} : lien cassé {url} -> {target}"
            );
            if let Some(fragment) = fragment
                && let Some(targets) = ids.get(target.as_str())
            {
                assert!(
                    targets.contains(&fragment),
                    "{path} : ancre {url} introuvable"
                );
            }
        }
    }
    assert!(checked > 500, "trop peu de liens vérifiés : {checked}");
}

#[test]
fn the_link_checker_catches_a_broken_racine() {
    assert_eq!(
        resolve("projets/a/index.html", "../../secteurs/x/"),
        Some(("secteurs/x/index.html".into(), None))
    );
    assert_eq!(
        resolve("index.html", "./"),
        Some(("index.html".into(), None))
    );
    assert_eq!(
        resolve("projets/a/index.html", "../secteurs/x/#y"),
        Some(("projets/secteurs/x/index.html".into(), Some("y".into())))
    );
    assert_eq!(resolve("index.html", "https://a.fr/"), None);
}

#[test]
fn project_page_shows_the_markers_as_an_accessible_table() {
    let (site, projects, pages) = (test_site(), test_projects(), test_pages());
    let files = render_test_site(&site, &projects, &pages);
    let text = String::from_utf8_lossy(&files["projets/velo/index.html"]).into_owned();
    let doc = Html::parse_document(&text);
    let rows = Selector::parse("table.tableau-marqueurs tbody tr").expect("sélecteur");
    let row_headers = Selector::parse("table.tableau-marqueurs tbody th[scope=row]").expect("s");
    let caption = Selector::parse("table.tableau-marqueurs caption").expect("sélecteur");
    assert_eq!(doc.select(&rows).count(), MARKER_COUNT);
    assert_eq!(doc.select(&row_headers).count(), MARKER_COUNT);
    assert_eq!(doc.select(&caption).count(), 1);
    assert!(text.contains("<td>2,5</td>"), "virgule décimale");
    assert!(text.contains("non évalué"));
    assert!(text.contains("<svg"), "radar en ligne");
    for word in ["moyenne", "total", "Moyenne", "Total"] {
        assert!(!text.contains(word), "pas de note globale : {word}");
    }
    // Territory names from the reference tables, dates in French, replication outside the region.
    assert!(text.contains("Amiens"), "commune nommée");
    assert!(text.contains("Somme"), "département nommé");
    assert!(text.contains("15 juin 2019"), "date en français");
    assert!(text.contains("Bouches-du-Rhône"), "essaimage nommé");
    assert!(text.contains("443 061 841 00047"));
    // Canonical sections flagged, body links rebased.
    assert!(text.contains("section-resultats"), "section canonique");
    assert!(text.contains("href=\"../../projets/velo/\""));
}

#[test]
fn standalone_radar_is_an_svg_document() {
    let (site, projects, pages) = (test_site(), test_projects(), test_pages());
    let files = render_test_site(&site, &projects, &pages);
    let svg = String::from_utf8_lossy(&files["projets/velo/radar.svg"]).into_owned();
    assert!(svg.starts_with("<?xml"), "{svg}");
    assert!(svg.contains("<svg") && svg.contains("</svg>"));
}

#[test]
fn empty_sector_has_its_page() {
    let (site, projects, pages) = (test_site(), test_projects(), test_pages());
    let files = render_test_site(&site, &projects, &pages);
    let text = String::from_utf8_lossy(&files["secteurs/culture/index.html"]).into_owned();
    assert!(text.contains("Aucun projet pour l'instant"));
    let aisne = String::from_utf8_lossy(&files["territoires/aisne/index.html"]).into_owned();
    assert!(aisne.contains("Aucun projet pour l'instant"));
}

#[test]
fn menu_footer_and_pagination_are_accessible() {
    let (site, projects, pages) = (test_site(), test_projects(), test_pages());
    let files = render_test_site(&site, &projects, &pages);
    let page2 = String::from_utf8_lossy(&files["projets/page/2/index.html"]).into_owned();
    assert!(page2.contains("aria-label=\"Pagination\""));
    assert!(page2.contains("rel=\"prev\"") && page2.contains("rel=\"next\""));
    assert!(page2.contains("href=\"../../../projets/page/2/\" aria-current=\"page\""));
    assert!(
        page2.contains("aria-label=\"Fil d&#39;Ariane\"")
            || page2.contains("aria-label=\"Fil d'Ariane\"")
    );
    assert!(page2.contains("href=\"../../../projets/\" aria-current=\"true\""));
    let catalogue = String::from_utf8_lossy(&files["projets/index.html"]).into_owned();
    assert!(catalogue.contains("href=\"../projets/\" aria-current=\"page\""));
    // Menu: pages by order then title; footer pages only in the footer.
    let home = String::from_utf8_lossy(&files["index.html"]).into_owned();
    let about = home.find(">À propos<").expect("à propos au menu");
    let method = home.find(">Méthode<").expect("méthode au menu");
    assert!(about < method);
    assert_eq!(home.matches(">Mentions légales<").count(), 1);
    assert_eq!(home.matches(">Accessibilité<").count(), 1);
    assert!(home.contains("href=\"./mentions-legales/\""));
    assert!(home.contains("Content-Security-Policy"));
    assert!(home.contains("href=\"#contenu\""));
    assert!(home.contains("<html lang=\"fr\">"));
}

#[test]
fn home_shows_key_figures_and_latest_projects() {
    let (site, projects, pages) = (test_site(), test_projects(), test_pages());
    let files = render_test_site(&site, &projects, &pages);
    let home = String::from_utf8_lossy(&files["index.html"]).into_owned();
    assert!(
        home.contains("<span class=\"chiffre\">5</span> projets"),
        "{home}"
    );
    assert!(home.contains("<span class=\"chiffre\">2</span> secteurs"));
    assert!(home.contains("<span class=\"chiffre\">3</span> départements"));
    let latest = home.find("Épicerie mobile").expect("dernier projet");
    let older = home.find("Cantine solidaire").expect("projet plus ancien");
    assert!(latest < older);
}

#[test]
fn rendering_is_deterministic() {
    let (site, projects, pages) = (test_site(), test_projects(), test_pages());
    let first = render_test_site(&site, &projects, &pages);
    let mut reversed = projects.clone();
    reversed.reverse();
    let second = render_test_site(&site, &reversed, &pages);
    assert_eq!(first, second);
}

#[test]
fn not_found_page_uses_the_site_path_when_known() {
    let (mut site, projects, pages) = (test_site(), test_projects(), test_pages());
    site.url_base = Some("https://exemple.fr/catalogue/".into());
    let files = render_test_site(&site, &projects, &pages);
    let text = String::from_utf8_lossy(&files["404.html"]).into_owned();
    let style = theme::hashed_name(
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    );
    assert!(
        text.contains(&format!("href=\"/catalogue/static/{style}\"")),
        "{text}"
    );
    assert!(text.contains("href=\"/catalogue/projets/\""));
}

#[test]
fn empty_catalogue_renders() {
    let site = test_site();
    let files = render_test_site(&site, &[], &[]);
    assert!(files.contains_key("projets/index.html"));
    assert!(!files.contains_key("projets/page/2/index.html"));
    let text = String::from_utf8_lossy(&files["index.html"]).into_owned();
    assert!(text.contains("Aucun projet pour l'instant"));
}

#[test]
fn conflicting_paths_are_refused() {
    let (site, projects) = (test_site(), test_projects());
    let pages = vec![test_page("projets", "Projets", None)];
    let index = Index::new(&site, &projects, &pages);
    let input = RenderInput {
        index: &index,
        theme_dir: None,
        translations: &[],
    };
    let Err(error) = render_site(&input) else {
        panic!("le conflit de chemins devrait être refusé");
    };
    assert!(error.to_string().contains("projets/index.html"), "{error}");
}

#[test]
fn override_templates_are_used_and_render_errors_name_the_file() {
    let (site, projects, pages) = (test_site(), test_projects(), test_pages());
    let dir = tempfile::tempdir().expect("dossier temporaire");
    std::fs::create_dir_all(dir.path().join("templates")).expect("dossier");
    std::fs::write(
        dir.path().join("templates/page.html"),
        "{% extends \"base.html\" %}{% block contenu %}<h1>{{ vue.titre }}</h1>PERSO{% endblock contenu %}",
    )
    .expect("écriture");
    let index = Index::new(&site, &projects, &pages);
    let input = RenderInput {
        index: &index,
        theme_dir: Some(dir.path()),
        translations: &[],
    };
    let files = render_site(&input).expect("rendu");
    let about = files
        .iter()
        .find(|f| f.path == "a-propos/index.html")
        .expect("page");
    assert!(String::from_utf8_lossy(&about.bytes).contains("PERSO"));

    std::fs::write(
        dir.path().join("templates/page.html"),
        "{% extends \"base.html\" %}{% block contenu %}\n<h1>{{ vue.inexistant.champ }}</h1>{% endblock contenu %}",
    )
    .expect("écriture");
    let Err(error) = render_site(&input) else {
        panic!("une variable inconnue devrait échouer");
    };
    let text = error.to_string();
    assert!(text.contains("page.html"), "{text}");
    assert!(text.contains(&dir.path().display().to_string()), "{text}");
    assert!(
        text.contains("a-propos/index.html") || text.contains("index.html"),
        "{text}"
    );
}

#[test]
#[ignore = "writes the test site to $TMPDIR/amiris-rendu for a visual check"]
fn write_sample_site() {
    let (site, projects, pages) = (test_site(), test_projects(), test_pages());
    let files = render_test_site(&site, &projects, &pages);
    let root = std::env::temp_dir().join("amiris-rendu");
    for (path, bytes) in files {
        let target = root.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).expect("dossier");
        }
        std::fs::write(target, bytes).expect("écriture");
    }
}

#[test]
#[ignore = "a large catalogue, to look at render time by hand (cargo test --release … -- --ignored --nocapture)"]
fn large_catalogue() {
    let site = Site {
        per_page: 24,
        ..test_site()
    };
    let communes = ["59122", "80021", "59350", "62041"];
    let projects: Vec<Project> = (0..5000)
        .map(|i| {
            let sectors: &[&str] = match i % 3 {
                0 => &["alimentation"],
                1 => &["mobilite", "culture"],
                _ => &["culture"],
            };
            test_project(
                &format!("projet-{i}"),
                &format!("Projet numéro {i}"),
                2014 + (i % 11) as u16,
                sectors,
                &[communes[i % 4], communes[(i / 4) % 4]],
            )
        })
        .collect();
    let pages = test_pages();
    let start = std::time::Instant::now();
    let files = render_test_site(&site, &projects, &pages);
    let bytes: usize = files.values().map(Vec::len).sum();
    eprintln!(
        "{} fichiers, {} Mo, en {:?}",
        files.len(),
        bytes / 1_000_000,
        start.elapsed()
    );
}

/// The sitemaps.org limit of 50,000 URLs, at the real limit and through the real plan and
/// renderer: 460 projects, each in two sectors and in one commune of every EPCI of the region,
/// listed one per page, make about 51,000 pages. Only the sitemap files are rendered (all
/// the pages would take minutes); the split itself is tested with lowered limits in
/// `discovery`.
#[test]
fn sitemap_becomes_an_index_past_fifty_thousand_urls() {
    let base = "https://exemple.fr/catalogue/";
    let site = Site {
        per_page: 1,
        url_base: Some(base.into()),
        ..test_site()
    };
    let communes: Vec<&str> = Territories::region()
        .epcis()
        .iter()
        .filter_map(|e| e.communes.first().map(String::as_str))
        .collect();
    let projects: Vec<Project> = (0..460)
        .map(|i| {
            test_project(
                &format!("projet-{i}"),
                &format!("Projet numéro {i}"),
                2014 + (i % 11) as u16,
                &["alimentation", "mobilite"],
                &communes,
            )
        })
        .collect();
    let index = Index::new(&site, &projects, &[]);
    let input = RenderInput {
        index: &index,
        theme_dir: None,
        translations: &[],
    };
    let prepared = Prepared::new(&input).unwrap_or_else(|e| panic!("{e}"));
    let planned: Vec<&str> = prepared.planned().collect();
    let only: std::collections::HashSet<String> = ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]
        .into_iter()
        .map(String::from)
        .collect();
    let files = std::sync::Mutex::new(BTreeMap::new());
    prepared
        .render_each(Some(&only), &crate::progress::Progress::hidden(), |f| {
            let text = String::from_utf8(f.bytes).expect("UTF-8");
            files.lock().expect("lock").insert(f.path, text);
            Ok::<(), RenderError>(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let files = files.into_inner().expect("lock");
    let pages: BTreeSet<String> = planned
        .iter()
        .filter(|p| p.ends_with(".html") && **p != "404.html")
        .map(|p| format!("{base}{}", p.strip_suffix("index.html").unwrap_or(p)))
        .collect();
    assert!(
        (50_001..100_000).contains(&pages.len()),
        "{} pages",
        pages.len()
    );
    assert!(planned.contains(&"sitemap-2.xml"));
    assert!(!planned.contains(&"sitemap-3.xml"));
    let locs = |xml: &str| -> Vec<String> {
        xml.split("<loc>")
            .skip(1)
            .filter_map(|s| s.split("</loc>").next())
            .map(String::from)
            .collect()
    };
    let index = &files["sitemap.xml"];
    assert!(index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    assert_eq!(
        locs(index),
        [
            format!("{base}sitemap-1.xml"),
            format!("{base}sitemap-2.xml")
        ]
    );
    assert_eq!(index.matches("<lastmod>").count(), 2);
    let first = locs(&files["sitemap-1.xml"]);
    let second = locs(&files["sitemap-2.xml"]);
    assert_eq!(first.len(), 50_000);
    assert_eq!(first.len() + second.len(), pages.len());
    let listed: BTreeSet<String> = first.into_iter().chain(second).collect();
    assert_eq!(listed, pages, "every page listed once");
    for part in ["sitemap-1.xml", "sitemap-2.xml"] {
        assert!(
            files[part].contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
    }
}

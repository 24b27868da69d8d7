//! Discovery files and open data, on the real binary: sitemap, robots, Atom feeds, social meta, JSON-LD, CSV/JSON exports.

mod common;

use common::{amiris, build_ok, copy_fixture, read_text, read_tree};
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const BASE: &str = "https://essai.example.fr/";
const ATOM: &str = "http://www.w3.org/2005/Atom";
const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// The projects of the minimal fixture that are published (the draft is not).
const PUBLISHED: [&str; 3] = ["cafe-des-aidants", "garage-solidaire", "panier-solidaire"];

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

/// Builds the minimal fixture, optionally after editing it; returns the temp dir.
fn built(edit: impl FnOnce(&Path)) -> tempfile::TempDir {
    let site = copy_fixture("minimal");
    edit(site.path());
    build_ok(site.path());
    site
}

/// Replaces `from` by `to` in a file of the site (the text must be there).
fn replace_in(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} should contain {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// The URL of an output HTML page.
fn url_of(page: &str) -> String {
    format!("{BASE}{}", page.strip_suffix("index.html").unwrap_or(page))
}

/// Children of `node` with this local name.
fn children<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// Text of the only child `name` of `node`.
fn child_text(node: roxmltree::Node<'_, '_>, name: &str) -> String {
    let found: Vec<_> = children(node, name).collect();
    assert_eq!(
        found.len(),
        1,
        "exactly one <{name}> in <{}>",
        node.tag_name().name()
    );
    found[0].text().unwrap_or_default().to_string()
}

/// Whether `text` is an RFC 3339 timestamp as amiris writes them (`YYYY-MM-DDT00:00:00Z`).
fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 20
        && text.ends_with("T00:00:00Z")
        && b[4] == b'-'
        && b[7] == b'-'
        && text[..4]
            .bytes()
            .chain(text[5..7].bytes())
            .chain(text[8..10].bytes())
            .all(|c| c.is_ascii_digit())
}

/// Checks that an Atom document is valid for what RFC 4287 requires, and returns the
/// (id, title, updated) of its entries.
fn check_atom(path: &str, xml: &str) -> Vec<(String, String, String)> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{path}: {e}"));
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed", "{path}");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM), "{path}");
    assert_eq!(
        child_text(feed, "id"),
        format!("{BASE}{path}"),
        "{path}: stable id"
    );
    assert!(!child_text(feed, "title").is_empty(), "{path}");
    let updated = child_text(feed, "updated");
    assert!(is_timestamp(&updated), "{path}: {updated}");
    let author = children(feed, "author").next().expect("feed author");
    assert!(!child_text(author, "name").is_empty());
    let links: Vec<_> = children(feed, "link").collect();
    let self_link = links
        .iter()
        .find(|l| l.attribute("rel") == Some("self"))
        .expect("rel=self");
    assert_eq!(
        self_link.attribute("href"),
        Some(format!("{BASE}{path}").as_str())
    );
    assert!(links.iter().any(|l| l.attribute("rel") == Some("alternate")
        && l.attribute("href").is_some_and(|h| h.starts_with(BASE))));
    let mut entries = Vec::new();
    for entry in children(feed, "entry") {
        let id = child_text(entry, "id");
        assert!(id.starts_with(BASE), "{path}: absolute entry id {id}");
        let entry_updated = child_text(entry, "updated");
        assert!(is_timestamp(&entry_updated), "{entry_updated}");
        assert!(is_timestamp(&child_text(entry, "published")));
        assert!(
            entry_updated <= updated,
            "{path}: feed updated is the latest"
        );
        let alternate = children(entry, "link")
            .find(|l| l.attribute("rel") == Some("alternate"))
            .expect("entry link rel=alternate");
        assert_eq!(alternate.attribute("href"), Some(id.as_str()));
        entries.push((id, child_text(entry, "title"), entry_updated));
    }
    assert!(entries.len() <= 50, "{path}: at most 50 entries");
    entries
}

#[test]
fn sitemap_lists_every_page_dated_from_the_content() {
    let site = built(|_| {});
    let output = site.path().join("output");
    let files = read_tree(&output);
    let xml = read_text(&output, "sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap parses");
    let urlset = doc.root_element();
    assert_eq!(urlset.tag_name().name(), "urlset");
    assert_eq!(urlset.tag_name().namespace(), Some(SITEMAP));
    let mut lastmods: BTreeMap<String, Option<String>> = BTreeMap::new();
    for url in children(urlset, "url") {
        let loc = child_text(url, "loc");
        let lastmod = children(url, "lastmod")
            .next()
            .map(|l| l.text().unwrap_or_default().to_string());
        assert!(lastmods.insert(loc, lastmod).is_none(), "no duplicate");
    }
    let expected: BTreeSet<String> = files
        .keys()
        .filter(|p| p.ends_with(".html") && *p != "404.html")
        .map(|p| url_of(p))
        .collect();
    let listed: BTreeSet<String> = lastmods.keys().cloned().collect();
    assert_eq!(listed, expected, "every HTML page but the 404 page");

    let date = |page: &str| lastmods[&url_of(page)].clone();
    // A project: its own last update (mis_a_jour) …
    assert_eq!(
        date("projets/panier-solidaire/index.html").as_deref(),
        Some("2018-01-10")
    );
    // … listings: the latest of their projects; free pages: none.
    let project_dates: Vec<String> = PUBLISHED
        .iter()
        .map(|slug| date(&format!("projets/{slug}/index.html")).expect("project lastmod"))
        .collect();
    let latest = project_dates.iter().max().cloned();
    assert_eq!(date("index.html"), latest);
    assert_eq!(date("projets/index.html"), latest);
    assert_eq!(
        date("territoires/nord/alimentation/index.html").as_deref(),
        Some("2018-01-10"),
        "the only project there is the Panier"
    );
    assert_eq!(date("a-propos/index.html"), None);

    let robots = read_text(&output, "robots.txt");
    assert!(robots.contains("User-agent: *"));
    assert!(
        robots
            .lines()
            .any(|l| l == format!("Sitemap: {BASE}sitemap.xml"))
    );
}

#[test]
fn feeds_are_valid_atom_and_linked_from_their_pages() {
    let site = built(|_| {});
    let output = site.path().join("output");
    let files = read_tree(&output);
    let feeds: Vec<&String> = files.keys().filter(|p| p.ends_with("atom.xml")).collect();
    // The site, three sectors, five departments.
    assert_eq!(feeds.len(), 1 + 3 + 5, "{feeds:?}");
    for feed in &feeds {
        check_atom(feed, &read_text(&output, feed));
    }

    let all = check_atom("atom.xml", &read_text(&output, "atom.xml"));
    let ids: Vec<&str> = all.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids.len(), PUBLISHED.len(), "drafts are not announced");
    // Newest label first: the Garage (2021), then the Café (2019), then the Panier (2017).
    assert_eq!(
        ids,
        [
            format!("{BASE}projets/garage-solidaire/"),
            format!("{BASE}projets/cafe-des-aidants/"),
            format!("{BASE}projets/panier-solidaire/"),
        ]
    );
    let mobility = check_atom(
        "secteurs/mobilite/atom.xml",
        &read_text(&output, "secteurs/mobilite/atom.xml"),
    );
    assert_eq!(mobility.len(), 1);
    assert_eq!(mobility[0].1, "Garage solidaire de l'Amiénois");
    let oise = check_atom(
        "territoires/oise/atom.xml",
        &read_text(&output, "territoires/oise/atom.xml"),
    );
    assert!(oise.is_empty(), "an empty feed is still valid");

    for (page, expected) in [
        ("index.html", vec!["atom.xml"]),
        (
            "secteurs/mobilite/index.html",
            vec!["atom.xml", "secteurs/mobilite/atom.xml"],
        ),
        (
            "territoires/nord/index.html",
            vec!["atom.xml", "territoires/nord/atom.xml"],
        ),
        (
            "territoires/nord/alimentation/index.html",
            vec![
                "atom.xml",
                "secteurs/alimentation/atom.xml",
                "territoires/nord/atom.xml",
            ],
        ),
    ] {
        let doc = Html::parse_document(&read_text(&output, page));
        let hrefs: Vec<String> = doc
            .select(&sel("link[rel='alternate'][type='application/atom+xml']"))
            .map(|l| l.value().attr("href").unwrap_or_default().to_string())
            .collect();
        let depth = page.matches('/').count();
        let expected: Vec<String> = expected
            .iter()
            .map(|p| {
                format!(
                    "{}{p}",
                    if depth == 0 {
                        "./".to_string()
                    } else {
                        "../".repeat(depth)
                    }
                )
            })
            .collect();
        assert_eq!(hrefs, expected, "{page}");
    }
}

#[test]
fn every_page_has_open_graph_and_twitter_meta() {
    let site = built(|_| {});
    let output = site.path().join("output");
    let files = read_tree(&output);
    for page in files.keys().filter(|p| p.ends_with(".html")) {
        let doc = Html::parse_document(&read_text(&output, page));
        let meta = |key: &str| -> Option<String> {
            doc.select(&sel(&format!("meta[property='{key}'], meta[name='{key}']")))
                .next()
                .and_then(|m| m.value().attr("content").map(str::to_string))
        };
        for key in [
            "og:title",
            "og:description",
            "og:type",
            "og:site_name",
            "twitter:card",
        ] {
            assert!(meta(key).is_some_and(|v| !v.is_empty()), "{page}: {key}");
        }
        assert_eq!(meta("og:locale").as_deref(), Some("fr_FR"), "{page}");
        let canonical = doc
            .select(&sel("link[rel='canonical']"))
            .next()
            .and_then(|l| l.value().attr("href").map(str::to_string));
        if page == "404.html" {
            assert_eq!(
                meta("og:url"),
                None,
                "the 404 page has no address of its own"
            );
            assert_eq!(canonical, None);
            continue;
        }
        assert_eq!(meta("og:url"), Some(url_of(page)), "{page}");
        assert_eq!(canonical, Some(url_of(page)), "{page}");
        let is_project = page.starts_with("projets/")
            && PUBLISHED
                .iter()
                .any(|slug| *page == format!("projets/{slug}/index.html"));
        if is_project {
            let dir = page.strip_suffix("index.html").unwrap_or(page);
            assert_eq!(meta("og:type").as_deref(), Some("article"));
            assert_eq!(
                meta("og:image"),
                Some(format!("{BASE}{dir}carte.png")),
                "{page}"
            );
            assert_eq!(meta("og:image:width").as_deref(), Some("1200"));
            assert_eq!(meta("og:image:height").as_deref(), Some("630"));
            assert!(meta("og:image:alt").is_some_and(|alt| alt.len() > 20));
            assert_eq!(meta("twitter:card").as_deref(), Some("summary_large_image"));
        } else {
            assert_eq!(meta("og:type").as_deref(), Some("website"), "{page}");
            assert_eq!(meta("og:image"), None, "{page}");
            assert_eq!(meta("twitter:card").as_deref(), Some("summary"), "{page}");
        }
    }
}

#[test]
fn project_pages_carry_schema_org_json_ld() {
    let site = built(|_| {});
    let output = site.path().join("output");
    let doc = Html::parse_document(&read_text(&output, "projets/panier-solidaire/index.html"));
    let scripts: Vec<String> = doc
        .select(&sel("script[type='application/ld+json']"))
        .map(|s| s.text().collect())
        .collect();
    assert_eq!(scripts.len(), 1);
    let ld: serde_json::Value = serde_json::from_str(&scripts[0]).expect("JSON-LD parses");
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "Project");
    assert_eq!(ld["name"], "Le Panier solidaire du Cambrésis");
    assert_eq!(ld["url"], format!("{BASE}projets/panier-solidaire/"));
    let carrier = &ld["parentOrganization"];
    assert_eq!(carrier["@type"], "Organization");
    assert_eq!(carrier["name"], "Association Le Panier solidaire");
    assert_eq!(carrier["identifier"]["propertyID"], "SIRET");
    assert_eq!(carrier["identifier"]["value"], "44306184100047");
    assert_eq!(carrier["address"]["postalCode"], "59400");
    assert_eq!(carrier["address"]["addressLocality"], "Cambrai");
    assert_eq!(carrier["address"]["addressCountry"], "FR");
    let areas = ld["areaServed"].as_array().expect("areaServed");
    let named = |kind: &str| -> Vec<String> {
        areas
            .iter()
            .filter(|a| a["@type"] == kind)
            .map(|a| a["name"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(named("City"), ["Cambrai", "Amiens"]);
    assert_eq!(named("AdministrativeArea"), ["Nord", "Somme"]);
    assert!(
        ld["keywords"]
            .as_str()
            .is_some_and(|k| k.contains("Alimentation durable"))
    );
}

#[test]
fn hostile_titles_are_escaped_in_every_format() {
    let hostile = "=HYPERLINK(\"http://x.example/?a=1&b=2\";\"</script><!--clic\")";
    let site = built(|root| {
        replace_in(
            root,
            "content/projets/cafe-des-aidants.md",
            "titre: \"Café des aidants de Laon\"",
            &format!("titre: '{hostile}'"),
        );
    });
    let output = site.path().join("output");

    // Atom and sitemap still parse, and carry the exact title.
    let entries = check_atom("atom.xml", &read_text(&output, "atom.xml"));
    assert!(
        entries.iter().any(|(_, title, _)| title == hostile),
        "{entries:?}"
    );
    roxmltree::Document::parse(&read_text(&output, "sitemap.xml")).expect("sitemap parses");

    // The JSON-LD block cannot be closed or commented out by the title.
    let raw = read_text(&output, "projets/cafe-des-aidants/index.html");
    assert_eq!(raw.matches("<script").count(), 1, "only the JSON-LD block");
    assert_eq!(
        raw.matches("</script>").count(),
        1,
        "closed once, by amiris"
    );
    assert!(!raw.contains("<!--clic"));
    let doc = Html::parse_document(&raw);
    let ld: String = doc
        .select(&sel("script[type='application/ld+json']"))
        .next()
        .expect("JSON-LD")
        .text()
        .collect();
    let ld: serde_json::Value = serde_json::from_str(&ld).expect("JSON-LD parses");
    assert_eq!(ld["name"], hostile);
    let og_title = doc
        .select(&sel("meta[property='og:title']"))
        .next()
        .and_then(|m| m.value().attr("content"));
    assert_eq!(og_title, Some(hostile));

    // The CSV neutralises the formula; the JSON keeps the exact text.
    let rows = csv_rows(&output);
    let row = rows
        .iter()
        .find(|r| r["slug"] == "cafe-des-aidants")
        .expect("row");
    assert_eq!(row["titre"], format!("'{hostile}"));
    let json = json_records(&output);
    let record = json
        .iter()
        .find(|r| r["slug"] == "cafe-des-aidants")
        .expect("record");
    assert_eq!(record["titre"], hostile);
}

/// The CSV rows as maps column -> cell (parsed by the `csv` crate), after checking the BOM.
fn csv_rows(output: &Path) -> Vec<BTreeMap<String, String>> {
    let bytes = std::fs::read(output.join("donnees/catalogue.csv")).expect("csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte order mark");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let headers: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.expect("RFC 4180 row");
            assert_eq!(r.len(), headers.len(), "every row has every column");
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// The JSON export.
fn json_records(output: &Path) -> Vec<serde_json::Value> {
    let text = read_text(output, "donnees/catalogue.json");
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON parses");
    value.as_array().expect("an array").clone()
}

#[test]
fn open_data_matches_the_projects_and_its_schema() {
    let site = built(|_| {});
    let output = site.path().join("output");

    let schema: serde_json::Value =
        serde_json::from_str(&read_text(&output, "donnees/schema.json")).expect("schema");
    let fields: Vec<&serde_json::Value> = schema["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .collect();
    let names: Vec<&str> = fields
        .iter()
        .map(|f| f["name"].as_str().expect("name"))
        .collect();
    for field in &fields {
        for key in ["title", "description", "type"] {
            assert!(
                field[key].as_str().is_some_and(|t| !t.is_empty()),
                "{field}"
            );
        }
    }

    let bytes = std::fs::read(output.join("donnees/catalogue.csv")).expect("csv");
    let header = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    let header: Vec<&str> = header
        .lines()
        .next()
        .expect("header")
        .trim_end()
        .split(';')
        .collect();
    assert_eq!(
        header, names,
        "the CSV columns are the schema's fields, in order"
    );

    let rows = csv_rows(&output);
    assert_eq!(rows.len(), PUBLISHED.len(), "one row per published project");
    let slugs: Vec<&str> = rows.iter().map(|r| r["slug"].as_str()).collect();
    assert_eq!(slugs, PUBLISHED, "ordered by slug");
    let panier = &rows[2];
    assert_eq!(panier["titre"], "Le Panier solidaire du Cambrésis");
    assert_eq!(panier["label_annee"], "2017");
    assert_eq!(panier["label_date"], "2017-06-15");
    assert_eq!(panier["communes"], "59122 | 80021");
    assert_eq!(panier["communes_noms"], "Cambrai | Amiens");
    assert_eq!(panier["departements_noms"], "Nord | Somme");
    assert_eq!(panier["secteurs"], "alimentation | lien-social");
    assert_eq!(panier["structure_esus"], "oui");
    assert_eq!(panier["marqueur_beneficiaires"], "2,5", "decimal comma");
    assert_eq!(panier["marqueur_contextualisation"], "3");
    assert_eq!(panier["url"], format!("{BASE}projets/panier-solidaire/"));
    let garage = &rows[1];
    assert_eq!(garage["marqueur_recherche"], "", "not assessed: empty");
    // Every number column holds numbers with a decimal comma (or nothing).
    for field in fields.iter().filter(|f| f["type"] == "number") {
        assert_eq!(field["decimalChar"], ",");
        let name = field["name"].as_str().unwrap_or_default();
        for row in &rows {
            let cell = row[name].replace(',', ".");
            assert!(
                cell.is_empty() || cell.parse::<f64>().is_ok(),
                "{name}: {cell}"
            );
        }
    }

    let json = json_records(&output);
    assert_eq!(json.len(), PUBLISHED.len());
    let panier = &json[2];
    assert_eq!(panier["slug"], "panier-solidaire");
    assert_eq!(panier["territoire"]["communes"][0]["nom"], "Cambrai");
    assert_eq!(panier["structure"]["forme_juridique"]["nom"], "Association");
    assert_eq!(panier["secteurs"][0]["nom"], "Alimentation durable");
    let markers = panier["marqueurs"].as_object().expect("markers object");
    assert_eq!(markers.len(), 12);
    assert_eq!(markers["beneficiaires"], 2.5);
    assert!(json[1]["marqueurs"]["recherche"].is_null());
    let text = read_text(&output, "donnees/catalogue.json");
    let order: Vec<usize> = [
        "\"contextualisation\"",
        "\"gouvernance\"",
        "\"changement_social\"",
    ]
    .iter()
    .map(|k| text.find(k).expect("marker key"))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "radar order");

    let package: serde_json::Value =
        serde_json::from_str(&read_text(&output, "donnees/datapackage.json")).expect("package");
    assert_eq!(package["resources"][0]["dialect"]["delimiter"], ";");
    for resource in package["resources"].as_array().expect("resources") {
        let path = resource["path"].as_str().expect("path");
        assert!(output.join("donnees").join(path).is_file(), "{path}");
    }

    // The page describing the data lists every column and is linked from the footer.
    let page = Html::parse_document(&read_text(&output, "donnees/index.html"));
    let documented: Vec<String> = page
        .select(&sel("table tbody th code"))
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(documented, names);
    let home = Html::parse_document(&read_text(&output, "index.html"));
    assert!(
        home.select(&sel("footer a[href='./donnees/']"))
            .next()
            .is_some(),
        "footer link to the open data page"
    );
}

#[test]
fn without_a_base_url_absolute_files_are_left_out_with_a_warning() {
    let site = copy_fixture("minimal");
    replace_in(
        site.path(),
        "content/site.yaml",
        "url_base: \"https://essai.example.fr/\"\n",
        "",
    );
    let root = site.path().to_string_lossy().to_string();
    let out = amiris(&["build", "--root", &root]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("url_base").count(),
        1,
        "one warning: {stderr}"
    );
    let output = site.path().join("output");
    let files = read_tree(&output);
    for absent in ["sitemap.xml", "atom.xml", "secteurs/mobilite/atom.xml"] {
        assert!(!files.contains_key(absent), "{absent}");
    }
    assert!(!read_text(&output, "robots.txt").contains("Sitemap"));
    let page = read_text(&output, "projets/panier-solidaire/index.html");
    for absent in [
        "og:url",
        "og:image",
        "rel=\"canonical\"",
        "application/atom+xml",
    ] {
        assert!(!page.contains(absent), "{absent}");
    }
    assert!(page.contains("og:title"));
    assert!(
        files.contains_key("donnees/catalogue.csv"),
        "open data needs no address"
    );

    // --base-url brings them back.
    let out = amiris(&[
        "build",
        "--root",
        &root,
        "--quiet",
        "--base-url",
        "https://autre.example.fr/catalogue",
    ]);
    assert!(out.status.success());
    let sitemap = read_text(&output, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://autre.example.fr/catalogue/projets/</loc>"));
}

/// The address given on the command line counts for `check` as for `build`, and may be an IP
/// address (an intranet staging server).
#[test]
fn the_command_line_address_may_be_an_ip_and_serves_check_too() {
    let site = copy_fixture("minimal");
    let root = site.path();
    replace_in(
        root,
        "content/site.yaml",
        "url_base: \"https://essai.example.fr/\"\n",
        "",
    );
    let page = root.join("content/pages/a-propos.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(
        &page,
        format!(
            "{text}\nSuivez les [nouveaux projets](atom.xml) et le [plan du site](sitemap.xml).\n"
        ),
    )
    .expect("write");
    let root_arg = root.to_string_lossy().to_string();
    let broken_links = |extra: &[&str]| -> (Option<i32>, usize) {
        let mut args = vec!["check", "--root", &root_arg, "--format", "json"];
        args.extend_from_slice(extra);
        let out = amiris(&args);
        let diagnostics: Vec<serde_json::Value> =
            serde_json::from_slice(&out.stdout).expect("JSON diagnostics");
        let links = diagnostics.iter().filter(|d| d["code"] == "lien").count();
        (out.status.code(), links)
    };

    // Without an address there is no feed nor sitemap: both links are reported.
    assert_eq!(broken_links(&[]), (Some(1), 2));
    let ip = "http://192.168.1.20:8080/catalogue";
    assert_eq!(broken_links(&["--base-url", ip]), (Some(0), 0));
    assert_eq!(
        broken_links(&["--base-url", "http://[fd00::1]/"]),
        (Some(0), 0)
    );

    let out = amiris(&["build", "--root", &root_arg, "--quiet", "--base-url", ip]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let output = root.join("output");
    let sitemap = read_text(&output, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>http://192.168.1.20:8080/catalogue/a-propos/</loc>"),
        "{sitemap}"
    );
    assert!(read_text(&output, "atom.xml").contains("http://192.168.1.20:8080/catalogue/"));

    // Not a web address: a usage error (exit 2) for both commands, nothing checked or built.
    for command in ["check", "build"] {
        let out = amiris(&[command, "--root", &root_arg, "--base-url", "192.168.1.20"]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--base-url « 192.168.1.20 »"),
            "{command}"
        );
    }
}

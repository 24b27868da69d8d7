//! The real binary on fixture sites: exit codes, diagnostics, pages produced, links, radar.

mod common;

use common::{
    amiris, build_demonstration_into, build_ok, copy_fixture, fixture, read_text, read_tree,
};
use scraper::{Html, Selector};
use std::collections::BTreeSet;
use std::path::Path;

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

#[test]
fn check_reports_every_problem_with_file_line_column_and_field() {
    let root = fixture("broken");
    let out = amiris(&[
        "check",
        "--root",
        &root.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let found: BTreeSet<(String, u64, u64, String, String)> = json
        .as_array()
        .expect("array")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
                d["field"].as_str().unwrap_or_default().to_string(),
                d["code"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let file = "content/projets/projet-casse.md".to_string();
    let expected: BTreeSet<_> = [
        (file.clone(), 1, 1, "secteurs".into(), "champ-requis".into()),
        (file.clone(), 6, 1, "secteur".into(), "champ-inconnu".into()),
        (
            file.clone(),
            8,
            18,
            "territoire.departements[0]".into(),
            "guillemets".into(),
        ),
        (
            file.clone(),
            22,
            16,
            "marqueurs.gouvernance".into(),
            "marqueur".into(),
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(found, expected);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Vouliez-vous dire « secteurs »"), "{text}");
}

#[test]
fn check_human_output_quotes_the_line() {
    let root = fixture("broken");
    let out = amiris(&["check", "--root", &root.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("--> content/projets/projet-casse.md:22:16"),
        "{text}"
    );
    assert!(text.contains("22 |   gouvernance: 7"), "{text}");
    assert!(text.contains("4 erreurs"), "{text}");
}

#[test]
fn check_of_a_valid_site_exits_zero_with_warnings_only() {
    let root = fixture("minimal");
    let out = amiris(&[
        "check",
        "--root",
        &root.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let codes: Vec<&str> = json
        .as_array()
        .expect("array")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        codes,
        ["marqueur-non-evalue"],
        "only the null marker is reported"
    );
}

#[test]
fn a_folder_without_site_exits_two() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = amiris(&["build", "--root", &dir.path().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("content/site.yaml est introuvable"), "{text}");
    assert!(!dir.path().join("output").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = copy_fixture("minimal");
    build_ok(site.path());
    let output = site.path().join("output");
    let before = read_tree(&output);
    let project = site.path().join("content/projets/garage-solidaire.md");
    let text = std::fs::read_to_string(&project).expect("read");
    std::fs::write(
        &project,
        text.replace("stade: developpement", "stade: fini"),
    )
    .expect("write");
    let out = amiris(&["build", "--root", &site.path().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rien n'a été écrit"));
    assert_eq!(read_tree(&output), before);
}

#[test]
fn build_refuses_a_folder_it_did_not_create() {
    let site = copy_fixture("minimal");
    let precious = site.path().join("documents");
    std::fs::create_dir(&precious).expect("mkdir");
    std::fs::write(precious.join("rapport.txt"), "important").expect("write");
    let out = amiris(&[
        "build",
        "--root",
        &site.path().to_string_lossy(),
        "--output",
        &precious.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(precious.join("rapport.txt")).expect("read"),
        "important"
    );
}

/// The paths every build of the minimal fixture must produce.
const EXPECTED_PAGES: &[&str] = &[
    "index.html",
    "404.html",
    "projets/index.html",
    "projets/page/2/index.html",
    "projets/panier-solidaire/index.html",
    "projets/panier-solidaire/radar.svg",
    "projets/garage-solidaire/index.html",
    "projets/garage-solidaire/radar.svg",
    "projets/cafe-des-aidants/index.html",
    "secteurs/index.html",
    "secteurs/alimentation/index.html",
    "secteurs/lien-social/index.html",
    "secteurs/mobilite/index.html",
    "territoires/index.html",
    "territoires/aisne/index.html",
    "territoires/nord/index.html",
    "territoires/oise/index.html",
    "territoires/pas-de-calais/index.html",
    "territoires/somme/index.html",
    "territoires/nord/alimentation/index.html",
    "territoires/nord/lien-social/index.html",
    "territoires/somme/alimentation/index.html",
    "territoires/somme/mobilite/index.html",
    "territoires/aisne/lien-social/index.html",
    "a-propos/index.html",
    "mentions-legales/index.html",
    "medias/panier.svg",
];

#[test]
fn build_produces_every_page_kind() {
    let site = copy_fixture("minimal");
    build_ok(site.path());
    let files = read_tree(&site.path().join("output"));
    for path in EXPECTED_PAGES {
        assert!(files.contains_key(*path), "missing {path}");
    }
    for absent in [
        "projets/brouillon-en-cours/index.html",
        "territoires/aisne/mobilite/index.html",
        "projets/page/3/index.html",
    ] {
        assert!(!files.contains_key(absent), "unexpected {absent}");
    }
}

#[test]
fn drafts_are_published_only_with_the_flag() {
    let site = copy_fixture("minimal");
    let root = site.path().to_string_lossy().to_string();
    let out = amiris(&["build", "--root", &root, "--drafts", "--quiet"]);
    assert!(out.status.success());
    assert!(
        site.path()
            .join("output/projets/brouillon-en-cours/index.html")
            .is_file()
    );
}

/// Resolves a relative link of the page at `page` to an output path, or None if external.
fn resolve(page: &str, link: &str) -> Option<String> {
    let link = link.split(['#', '?']).next().unwrap_or("");
    if link.is_empty() || link.contains(':') || link.starts_with("//") {
        return None;
    }
    assert!(!link.starts_with('/'), "absolute link {link} in {page}");
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for piece in link.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                assert!(parts.pop().is_some(), "{link} in {page} leaves the site");
            }
            other => parts.push(other),
        }
    }
    let mut path = parts.join("/");
    if link.ends_with('/') || path.is_empty() {
        path = if path.is_empty() {
            "index.html".into()
        } else {
            format!("{path}/index.html")
        };
    }
    Some(path)
}

#[test]
fn every_page_is_french_has_one_h1_and_only_working_relative_links() {
    let site = copy_fixture("minimal");
    build_ok(site.path());
    let output = site.path().join("output");
    let files = read_tree(&output);
    let html_pages: Vec<&String> = files.keys().filter(|p| p.ends_with(".html")).collect();
    assert!(html_pages.len() >= 20);
    for page in html_pages {
        if page == "404.html" {
            continue;
        }
        let doc = Html::parse_document(&read_text(&output, page));
        assert_eq!(doc.select(&sel("h1")).count(), 1, "{page}: one h1");
        let html = doc.select(&sel("html")).next().expect("html");
        assert_eq!(html.value().attr("lang"), Some("fr"), "{page}");
        assert_eq!(doc.select(&sel("main")).count(), 1, "{page}: one main");
        assert!(
            doc.select(&sel("a[href='#contenu']")).next().is_some(),
            "{page}: skip link"
        );
        for img in doc.select(&sel("img")) {
            assert!(img.value().attr("alt").is_some(), "{page}: img without alt");
        }
        for (css, attr) in [
            ("a[href]", "href"),
            ("link[href]", "href"),
            ("img[src]", "src"),
        ] {
            for element in doc.select(&sel(css)) {
                let link = element.value().attr(attr).unwrap_or_default();
                if let Some(target) = resolve(page, link) {
                    assert!(files.contains_key(&target), "{page}: broken link {link}");
                }
            }
        }
        assert!(
            // JSON-LD data blocks are never executed (and CSP does not apply to them).
            doc.select(&sel("script:not([src]):not([type='application/ld+json'])"))
                .next()
                .is_none(),
            "{page}: inline script"
        );
    }
}

#[test]
fn project_page_shows_radar_and_scores_table() {
    let site = copy_fixture("minimal");
    build_ok(site.path());
    let output = site.path().join("output");
    let doc = Html::parse_document(&read_text(&output, "projets/garage-solidaire/index.html"));
    let h1: String = doc.select(&sel("h1")).next().expect("h1").text().collect();
    assert_eq!(h1.trim(), "Garage solidaire de l'Amiénois");
    let svg = doc
        .select(&sel("svg.radar[role='img']"))
        .next()
        .expect("inline radar");
    assert!(svg.select(&sel("title")).next().is_some());
    assert!(svg.select(&sel("desc")).next().is_some());
    let table = doc.select(&sel("table")).next().expect("scores table");
    let rows: Vec<String> = table
        .select(&sel("tbody tr"))
        .map(|r| r.text().collect::<String>())
        .collect();
    assert_eq!(rows.len(), 12);
    assert!(rows[4].contains("Place de la recherche") && rows[4].contains("non évalué"));
    assert!(rows[1].contains("1,5"), "French decimal comma: {}", rows[1]);
    let body: String = doc
        .select(&sel("main"))
        .next()
        .expect("main")
        .text()
        .collect();
    assert!(body.contains("Somme"), "department named");
    assert!(!body.to_lowercase().contains("moyenne"), "no average score");

    let standalone = read_text(&output, "projets/garage-solidaire/radar.svg");
    let radar = Html::parse_fragment(&standalone);
    let root = radar.select(&sel("svg")).next().expect("svg");
    assert_eq!(root.value().attr("role"), Some("img"));
    assert_eq!(radar.select(&sel("polygon.radar-serie")).count(), 1);
    assert_eq!(radar.select(&sel(".radar-non-evalue")).count(), 1);
}

#[test]
fn content_cannot_inject_markup() {
    let site = copy_fixture("minimal");
    let project = site.path().join("content/projets/cafe-des-aidants.md");
    let text = std::fs::read_to_string(&project).expect("read");
    let hostile = text
        .replace(
            "titre: \"Café des aidants de Laon\"",
            "titre: \"<script>alert(1)</script> Café\"",
        )
        .replace(
            "## Synthèse",
            "<img src=x onerror=alert(1)>\n\n[lien](javascript:alert(1))\n\n## Synthèse",
        );
    std::fs::write(&project, hostile).expect("write");
    build_ok(site.path());
    let output = site.path().join("output");
    let page = Html::parse_document(&read_text(&output, "projets/cafe-des-aidants/index.html"));
    assert_eq!(
        page.select(&sel("script:not([type='application/ld+json'])"))
            .count(),
        0,
        "no script element but the JSON-LD data block"
    );
    assert_eq!(
        page.select(&sel("[onerror]")).count(),
        0,
        "no event handler"
    );
    for link in page.select(&sel("a[href]")) {
        let href = link.value().attr("href").unwrap_or_default().to_lowercase();
        assert!(!href.trim().starts_with("javascript:"), "{href}");
    }
    let h1: String = page.select(&sel("h1")).next().expect("h1").text().collect();
    assert!(
        h1.contains("<script>alert(1)</script>"),
        "title shown as text: {h1}"
    );
    let listing = read_text(&output, "projets/index.html");
    assert!(!listing.contains("<script>alert"));
}

#[test]
fn builds_are_deterministic_and_a_rebuild_changes_nothing() {
    let first = copy_fixture("minimal");
    let second = copy_fixture("minimal");
    build_ok(first.path());
    build_ok(second.path());
    let a = read_tree(&first.path().join("output"));
    let b = read_tree(&second.path().join("output"));
    assert_eq!(a, b, "two builds of the same input are byte-identical");

    let before = file_identities(&first.path().join("output"));
    let out = build_ok(first.path());
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("0 ajouté, 0 modifié"), "{summary}");
    assert!(summary.contains("0 supprimé ;"), "{summary}");
    // Not one file touched: same inode (not rewritten, not replaced) and same modification time.
    let after = file_identities(&first.path().join("output"));
    assert_eq!(before.len(), a.len());
    assert_eq!(before, after, "a no-change rebuild modifies no file");
}

/// Every file of a tree (path relative to `root`) -> (inode, modification time in ns).
#[cfg(unix)]
fn file_identities(root: &Path) -> std::collections::BTreeMap<String, (u64, i64)> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("parcours"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().expect("métadonnées");
            let rel = e.path().strip_prefix(root).expect("préfixe");
            (
                rel.to_string_lossy().into_owned(),
                (meta.ino(), meta.mtime() * 1_000_000_000 + meta.mtime_nsec()),
            )
        })
        .collect()
}

/// Elsewhere, modification times only.
#[cfg(not(unix))]
fn file_identities(root: &Path) -> std::collections::BTreeMap<String, (u64, i64)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("parcours"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let modified = e.metadata().expect("métadonnées").modified().expect("date");
            let ns = modified
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as i64);
            let rel = e.path().strip_prefix(root).expect("préfixe");
            (rel.to_string_lossy().into_owned(), (0, ns))
        })
        .collect()
}

#[test]
fn the_demonstration_site_builds() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = tempfile::tempdir().expect("tmp");
    let output = out_dir.path().join("site");
    build_demonstration_into(&output, &[]);
    let projects = std::fs::read_dir(repo.join("content/projets"))
        .expect("projects")
        .count();
    let pages = std::fs::read_dir(output.join("projets"))
        .expect("output")
        .filter(|e| {
            e.as_ref()
                .map(|e| e.path().join("radar.svg").is_file())
                .unwrap_or(false)
        })
        .count();
    assert!(pages >= 36, "{pages} project pages");
    assert!(pages <= projects);
    for page in [
        "a-propos/index.html",
        "methode/index.html",
        "accessibilite/index.html",
        "mentions-legales/index.html",
    ] {
        assert!(output.join(page).is_file(), "{page}");
    }
}

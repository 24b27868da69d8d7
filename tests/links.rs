//! Links of Markdown bodies: `check` reports the broken ones with file, line and column; the good ones work in the built site.

mod common;

use common::{amiris, build_ok, copy_fixture, read_tree};
use std::collections::BTreeMap;
use std::path::Path;

/// Appends `text` to a file of the site.
fn append(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    let mut content = std::fs::read_to_string(&path).expect("lecture");
    content.push_str(text);
    std::fs::write(&path, content).expect("écriture");
}

/// Number of lines of a file (the next appended line is this + 1).
fn line_count(root: &Path, file: &str) -> usize {
    std::fs::read_to_string(root.join(file))
        .expect("lecture")
        .lines()
        .count()
}

/// `check --format json` on `root`: exit code and diagnostics of code `lien`.
fn link_diagnostics(root: &Path) -> (Option<i32>, Vec<serde_json::Value>) {
    let out = amiris(&[
        "check",
        "--root",
        &root.to_string_lossy(),
        "--format",
        "json",
    ]);
    let all: Vec<serde_json::Value> =
        serde_json::from_slice(&out.stdout).expect("rapport JSON de check");
    let links = all.into_iter().filter(|d| d["code"] == "lien").collect();
    (out.status.code(), links)
}

#[test]
fn broken_links_are_errors_at_their_place() {
    let site = copy_fixture("minimal");
    let root = site.path();
    let project = "content/projets/garage-solidaire.md";
    let first = line_count(root, project) + 2;
    append(
        root,
        project,
        "\nVoir [le panier](projet:panier-solidair) et [l'aide](projets/cafe-des-aidant/).\n\
         Une photo : ![atelier](medias/atelier.jpg), [méthode](/a-propos/).\n\
         [en cours](projet:brouillon-en-cours) [dehors](../../etc/) [ok](projet:cafe-des-aidants)\n",
    );
    let page = "content/pages/a-propos.md";
    let page_line = line_count(root, page) + 2;
    append(
        root,
        page,
        "\nLe [secteur](secteurs/alimentaton/) et les [mentions][ml].\n\n[ml]: mentions-legale/\n",
    );

    let (code, links) = link_diagnostics(root);
    assert_eq!(code, Some(1), "{links:#?}");
    let found: Vec<(String, u64, u64)> = links
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let at = |file: &str, line: usize, column: u64| (file.to_string(), line as u64, column);
    assert_eq!(
        found,
        [
            at(page, page_line, 14),
            at(page, page_line + 2, 7),
            at(project, first, 18),
            at(project, first, 54),
            at(project, first + 1, 24),
            at(project, first + 1, 55),
            at(project, first + 2, 12),
            at(project, first + 2, 48),
        ],
        "{links:#?}"
    );
    let message = |i: usize| links[i]["message"].as_str().unwrap_or("").to_string();
    assert!(
        message(0).contains("Vouliez-vous dire « secteurs/alimentation/ »"),
        "{}",
        message(0)
    );
    assert!(
        message(1).contains("« mentions-legales/ »"),
        "{}",
        message(1)
    );
    assert!(
        message(2).contains("Vouliez-vous dire « projet:panier-solidaire »"),
        "{}",
        message(2)
    );
    assert!(
        message(3).contains("« projets/cafe-des-aidants/ »"),
        "{}",
        message(3)
    );
    assert!(
        message(4).contains("content/medias/atelier.jpg"),
        "{}",
        message(4)
    );
    assert!(message(5).contains("« / »"), "{}", message(5));
    assert!(message(6).contains("brouillon"), "{}", message(6));
    assert!(message(7).contains("racine du site"), "{}", message(7));
    assert!(links.iter().all(|d| d["severity"] == "error"));

    // The human report quotes the line with a caret under the address.
    let out = amiris(&["check", "--root", &root.to_string_lossy()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("erreur[lien]: « projet:panier-solidair »"),
        "{text}"
    );
    assert!(
        text.contains(&format!("--> {project}:{first}:18")),
        "{text}"
    );

    // build validates first: nothing is written.
    let out = amiris(&["build", "--root", &root.to_string_lossy(), "--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!root.join("output").exists());
}

#[test]
fn a_draft_may_link_another_draft() {
    let site = copy_fixture("minimal");
    let root = site.path();
    let draft = "content/projets/brouillon-en-cours.md";
    append(
        root,
        draft,
        "\nVoir [soi-même](projet:brouillon-en-cours) et [le panier](projet:panier-solidaire).\n",
    );
    let (code, links) = link_diagnostics(root);
    assert!(links.is_empty(), "{links:#?}");
    assert_eq!(code, Some(0));
}

/// The path of the file an internal `href` of the page at `page` leads to, or `None` for an
/// external address or a same-page anchor.
fn target_file(page: &str, href: &str) -> Option<String> {
    let href = href.split(['#', '?']).next().unwrap_or("");
    if href.is_empty() || href.contains(':') {
        return None;
    }
    assert!(!href.starts_with('/'), "{page} : lien absolu « {href} »");
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for segment in href.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                assert!(parts.pop().is_some(), "{page} : « {href} » sort du site");
            }
            other => parts.push(other),
        }
    }
    let mut file = parts.join("/");
    if href.ends_with('/') || href.ends_with("/.") || href.ends_with("..") || file.is_empty() {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Some(file)
}

#[test]
fn good_links_lead_to_files_of_the_built_site() {
    let site = copy_fixture("minimal");
    let root = site.path();
    append(
        root,
        "content/projets/garage-solidaire.md",
        "\nVoir [le panier](projet:panier-solidaire#contexte), [l'aide][aide], \
         [le Nord](territoires/nord/), [la méthode](./a-propos/), \
         [les données](donnees/catalogue.csv), [le radar](projets/panier-solidaire/radar.svg), \
         [filtrer](projets/?secteur=mobilite) et ![panier](medias/panier.svg).\n\n\
         [aide]: projet:cafe-des-aidants\n",
    );
    build_ok(root);
    let files: BTreeMap<String, Vec<u8>> = read_tree(&root.join("output"));

    let page = "projets/garage-solidaire/index.html";
    let html = String::from_utf8_lossy(&files[page]).into_owned();
    for expected in [
        "href=\"../../projets/panier-solidaire/#contexte\"",
        "href=\"../../projets/cafe-des-aidants/\"",
        "src=\"../../medias/panier.svg\"",
    ] {
        assert!(html.contains(expected), "{expected} manque dans {page}");
    }

    // Every internal link and asset of every page leads to a file of the output.
    let selector =
        scraper::Selector::parse("a[href], link[href], img[src], script[src]").expect("sélecteur");
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let document = scraper::Html::parse_document(&String::from_utf8_lossy(bytes));
        for element in document.select(&selector) {
            let value = element.value();
            let href = value.attr("href").or(value.attr("src")).unwrap_or("");
            if let Some(file) = target_file(path, href) {
                assert!(
                    files.contains_key(&file),
                    "{path} : « {href} » mène à {file}, absent du site"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked} liens vérifiés seulement");
}

#[test]
fn the_demonstration_content_has_no_broken_link() {
    let (code, links) = link_diagnostics(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(links.is_empty(), "{links:#?}");
    assert_eq!(code, Some(0));
}

#[test]
fn theme_assets_have_content_hashed_names() {
    let site = copy_fixture("minimal");
    let root = site.path();
    build_ok(root);
    let output = root.join("output");
    let files = read_tree(&output);
    let html = String::from_utf8_lossy(&files["index.html"]).into_owned();
    let document = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse("link[rel=stylesheet]").expect("sélecteur");
    let href = document
        .select(&selector)
        .next()
        .and_then(|e| e.value().attr("href"))
        .expect("feuille de style")
        .to_string();
    let name = href.strip_prefix("./static/").expect("chemin relatif");
    let digest = name
        .strip_prefix("style.")
        .and_then(|rest| rest.strip_suffix(".css"))
        .expect("style.<empreinte>.css");
    assert_eq!(digest.len(), 8, "{name}");
    assert!(digest.bytes().all(|b| b.is_ascii_hexdigit()), "{name}");
    assert_eq!(
        files[&format!("static/{name}")],
        files["static/style.css"],
        "la copie hachée a les octets de l'original"
    );

    // A theme override changes the stylesheet: its name changes, the favicon's does not.
    let favicon = |files: &BTreeMap<String, Vec<u8>>| {
        files
            .keys()
            .find(|k| k.starts_with("static/favicon.") && k.len() > "static/favicon.svg".len())
            .cloned()
    };
    let before = favicon(&files);
    std::fs::create_dir_all(root.join("themes/default/static")).expect("dossier");
    std::fs::write(
        root.join("themes/default/static/style.css"),
        "body { color: #222 }",
    )
    .expect("écriture");
    build_ok(root);
    let after = read_tree(&output);
    let html = String::from_utf8_lossy(&after["index.html"]).into_owned();
    assert!(!html.contains(&href), "l'ancien nom haché est encore cité");
    assert!(
        !after.contains_key(&format!("static/{name}")),
        "l'ancienne copie reste"
    );
    assert_eq!(favicon(&after), before);
}

#[test]
fn a_file_full_of_broken_links_is_summed_up() {
    let site = copy_fixture("minimal");
    let root = site.path();
    let page = "content/pages/a-propos.md";
    let line = line_count(root, page) + 2;
    let links: String = (0..60).map(|i| format!("[l{i}](perdu-{i}/) ")).collect();
    append(root, page, &format!("\n{links}\n"));
    let (code, links) = link_diagnostics(root);
    assert_eq!(code, Some(1));
    assert_eq!(links.len(), 51, "{links:#?}");
    let last = &links[50];
    assert!(
        last["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("et 10 autres liens cassés"),
        "{last:#}"
    );
    // At the 51st address: "[lN](perdu-N/) " is 15 characters for N < 10, 17 from 10 on.
    assert_eq!(last["line"].as_u64(), Some(line as u64));
    assert_eq!(last["column"].as_u64(), Some(10 * 15 + 40 * 17 + 7));
}

#[test]
fn a_megabyte_of_links_is_checked_quickly() {
    let site = copy_fixture("minimal");
    let root = site.path();
    // Just under the 1 MB limit of a file: 54,000 links, broken and good, inline and by
    // reference, on one line.
    let mut body = String::from("\n");
    for i in 0..18_000 {
        body.push_str(&format!("[a](x{i}/) [b](projet:panier-solidaire) [c][r] "));
    }
    body.push_str("\n\n[r]: secteurs/inconnu/\n");
    append(root, "content/pages/a-propos.md", &body);
    let started = std::time::Instant::now();
    let (code, links) = link_diagnostics(root);
    let elapsed = started.elapsed();
    assert_eq!(code, Some(1));
    assert_eq!(links.len(), 51);
    assert!(
        elapsed < std::time::Duration::from_secs(10),
        "{elapsed:?} pour vérifier les liens"
    );
}

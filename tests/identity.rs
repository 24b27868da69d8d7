//! Site identity set in site.yaml: the operating body's logo in the header, partners in the footer, errors reported.

mod common;

use common::{amiris, build_ok, check_json, copy_fixture, read_text};
use scraper::{Html, Selector};
use std::fs;
use std::path::Path;

const LOGO: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80"><rect width="240" height="80" fill="navy"/></svg>"#;
const PARTNER: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 150 60"><circle cx="30" cy="30" r="20"/></svg>"#;

const IDENTITY: &str = r#"organisme:
  nom: "Conseil d'essai"
  site_web: "https://conseil.example.org/"
  logo:
    src: medias/logo.svg
    alt: "Conseil d'essai"
partenaires:
  - nom: "Fondation Un"
    site_web: "https://un.example.org/"
    logo: { src: medias/un.svg, alt: "Fondation Un" }
  - nom: "Coopérative Deux"
    logo: { src: medias/deux.svg, alt: "Coopérative Deux" }
"#;

/// The minimal fixture with `identity` appended to its site.yaml and the logo files written.
fn site_with(identity: &str) -> tempfile::TempDir {
    let site = copy_fixture("minimal");
    let content = site.path().join("content");
    let yaml = content.join("site.yaml");
    let mut text = fs::read_to_string(&yaml).expect("site.yaml");
    text.push_str(identity);
    fs::write(&yaml, text).expect("site.yaml");
    fs::write(content.join("medias/logo.svg"), LOGO).expect("logo");
    fs::write(content.join("medias/un.svg"), PARTNER).expect("logo");
    fs::write(content.join("medias/deux.svg"), PARTNER).expect("logo");
    site
}

/// `(src, alt, width, height)` of every `img` matching `css`.
fn images(html: &Html, css: &str) -> Vec<[String; 4]> {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector)
        .map(|e| {
            let attr = |name: &str| e.value().attr(name).unwrap_or("<absent>").to_string();
            [attr("src"), attr("alt"), attr("width"), attr("height")]
        })
        .collect()
}

fn hrefs(html: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector)
        .filter_map(|e| e.value().attr("href").map(str::to_string))
        .collect()
}

#[test]
fn the_logo_and_partners_appear_on_every_page_with_their_files() {
    let site = site_with(IDENTITY);
    build_ok(site.path());
    let output = site.path().join("output");
    for (page, root) in [
        ("index.html", "./"),
        ("projets/panier-solidaire/index.html", "../../"),
    ] {
        let html = Html::parse_document(&read_text(&output, page));
        let header = images(&html, "header.bandeau a.marque img");
        assert_eq!(
            header,
            [[
                format!("{root}medias/logo.svg"),
                "Conseil d'essai".to_string(),
                "240".into(),
                "80".into()
            ]],
            "{page}"
        );
        assert_eq!(hrefs(&html, "header.bandeau a.marque"), [root], "{page}");
        let footer = images(&html, "footer .pied-partenaires img");
        assert_eq!(
            footer,
            [
                [
                    format!("{root}medias/un.svg"),
                    "Fondation Un".to_string(),
                    "150".into(),
                    "60".into()
                ],
                [
                    format!("{root}medias/deux.svg"),
                    "Coopérative Deux".to_string(),
                    "150".into(),
                    "60".into()
                ]
            ],
            "{page}"
        );
        // Only the partner with a web site is a link; the operator's name links to its site.
        assert_eq!(
            hrefs(&html, "footer .pied-partenaires a"),
            ["https://un.example.org/"]
        );
        assert_eq!(
            hrefs(&html, "footer .pied-organisme a"),
            ["https://conseil.example.org/"]
        );
        let organisme = Selector::parse("footer .pied-organisme").expect("selector");
        let text: String = html.select(&organisme).flat_map(|e| e.text()).collect();
        assert!(text.contains("Conseil d'essai"), "{text}");
    }
    for (name, bytes) in [
        ("logo.svg", LOGO),
        ("un.svg", PARTNER),
        ("deux.svg", PARTNER),
    ] {
        let copied = fs::read_to_string(output.join("medias").join(name)).expect(name);
        assert_eq!(copied, bytes, "{name} copied as is");
    }
}

#[test]
fn without_identity_no_logo_is_shown() {
    let site = copy_fixture("minimal");
    build_ok(site.path());
    let html = Html::parse_document(&read_text(&site.path().join("output"), "index.html"));
    assert!(images(&html, "header img").is_empty());
    assert!(images(&html, "footer img").is_empty());
    assert!(hrefs(&html, "footer .pied-organisme a").is_empty());
}

/// `(code, line, field)` of every error of `check --format json` in site.yaml.
fn site_errors(root: &Path) -> Vec<(String, u64, String, String)> {
    let (output, found) = check_json(root);
    assert_eq!(output.status.code(), Some(1), "check fails");
    found
        .into_iter()
        .filter(|d| d.severity == "error" && d.file == "content/site.yaml")
        .map(|d| (d.code, d.line, d.field.unwrap_or_default(), d.message))
        .collect()
}

#[test]
fn bad_identity_is_reported_with_line_and_field() {
    let site = site_with(
        r#"organisme:
  nom: ""
  site_web: "organisme.example.org"
  logo:
    src: medias/absent.svg
    alt: ""
partenaires:
  - nom: "Sans logo"
  - nom: "Logo sans alt"
    logo: { src: medias/un.svg }
  - nom: "Clé fautive"
    lien: "https://x.example.org/"
    logo: { src: ../secret.svg, alt: "X" }
"#,
    );
    let first = fs::read_to_string(site.path().join("content/site.yaml"))
        .expect("site.yaml")
        .lines()
        .position(|l| l == "organisme:")
        .expect("organisme") as u64
        + 1;
    let found = site_errors(site.path());
    let expected: [(&str, u64, &str, &str); 8] = [
        ("champ-requis", 1, "organisme.nom", "est vide"),
        ("url", 2, "organisme.site_web", "https://"),
        ("image", 4, "organisme.logo.src", "introuvable"),
        ("champ-requis", 5, "organisme.logo.alt", "est vide"),
        ("champ-requis", 7, "partenaires[0].logo", "manque"),
        ("champ-requis", 9, "partenaires[1].logo.alt", "manque"),
        ("champ-inconnu", 11, "partenaires[2].lien", "site_web"),
        (
            "image",
            12,
            "partenaires[2].logo.src",
            "rester dans le dossier",
        ),
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for ((code, line, field, message), (want_code, offset, want_field, words)) in
        found.iter().zip(&expected)
    {
        assert_eq!(
            (code.as_str(), *line, field.as_str()),
            (*want_code, first + offset, *want_field),
            "{message}"
        );
        assert!(message.contains(words), "{message}");
    }
    // Nothing is written when site.yaml has an error.
    let output = amiris(&[
        "build",
        "--root",
        site.path().to_str().expect("path"),
        "--quiet",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!site.path().join("output").exists());
}

#[test]
fn the_commented_example_of_amiris_init_works_once_uncommented() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("site");
    let init = amiris(&["init", root.to_str().expect("path")]);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let yaml = root.join("content/site.yaml");
    let text = fs::read_to_string(&yaml).expect("site.yaml");
    let mut inside = false;
    let uncommented: Vec<String> = text
        .lines()
        .map(|line| {
            inside = (inside || line == "# organisme:") && !line.starts_with("echelle");
            match line.strip_prefix("# ") {
                Some(rest) if inside => rest.to_string(),
                _ => line.to_string(),
            }
        })
        .collect();
    assert!(uncommented.iter().any(|l| l == "organisme:"), "{text}");
    fs::write(&yaml, uncommented.join("\n")).expect("site.yaml");
    fs::create_dir_all(root.join("content/medias")).expect("medias");
    fs::write(root.join("content/medias/logo.svg"), LOGO).expect("logo");
    fs::write(
        root.join("content/medias/partenaire.png"),
        b"\x89PNG\r\n\x1a\n",
    )
    .expect("png");
    build_ok(&root);
    let html = Html::parse_document(&read_text(&root.join("output"), "index.html"));
    assert_eq!(images(&html, "header img").len(), 1);
    assert_eq!(images(&html, "footer .pied-partenaires img").len(), 1);
}

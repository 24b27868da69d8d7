//! Snapshots of the key page kinds of the minimal fixture (review changes with `cargo insta review`).

mod common;

use common::{build_ok, copy_fixture, read_text};

/// Builds the minimal fixture once per test and returns the text of the requested output files.
fn built(paths: &[&str]) -> Vec<String> {
    let site = copy_fixture("minimal");
    build_ok(site.path());
    let output = site.path().join("output");
    paths.iter().map(|p| read_text(&output, p)).collect()
}

#[test]
fn key_pages_match_their_snapshots() {
    let pages = [
        "index.html",
        "projets/index.html",
        "projets/panier-solidaire/index.html",
        "projets/panier-solidaire/radar.svg",
        "secteurs/index.html",
        "secteurs/lien-social/index.html",
        "territoires/index.html",
        "territoires/nord/index.html",
        "territoires/nord/alimentation/index.html",
        "a-propos/index.html",
        "404.html",
        "territoires/epci/200043495/index.html",
        "marqueurs/index.html",
        "marqueurs/gouvernance/index.html",
        "statistiques/index.html",
        "donnees/index.html",
        "donnees/catalogue.csv",
        "donnees/schema.json",
        "sitemap.xml",
    ];
    for (path, text) in pages.iter().zip(built(&pages)) {
        let name = path.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, redact_asset_hashes(&text));
    }
}

/// The content hashes of theme files (`static/style.3f9a1c2b.css`) replaced by `[empreinte]`, so
/// that editing the style sheet does not change every snapshot (tests/links.rs checks them).
fn redact_asset_hashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("static/") {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let end = after
            .find(|c: char| matches!(c, '"' | '\'' | ')') || c.is_whitespace())
            .unwrap_or(after.len());
        let redacted: Vec<&str> = after[..end]
            .split('.')
            .map(|part| {
                let hash = part.len() == 8
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
                if hash { "[empreinte]" } else { part }
            })
            .collect();
        out.push_str(&redacted.join("."));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn asset_hashes_are_redacted() {
    assert_eq!(
        redact_asset_hashes(r#"<link href="../static/style.3f9a1c2b.css"> static/a.b"#),
        r#"<link href="../static/style.[empreinte].css"> static/a.b"#
    );
}

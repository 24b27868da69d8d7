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
    ];
    for (path, text) in pages.iter().zip(built(&pages)) {
        let name = path.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, text);
    }
}

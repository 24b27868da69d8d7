//! Rebuilds over a previous output through the real binary: pages whose inputs did not change are linked without being rendered, and the result is always the site a fresh build makes.

mod common;

use common::{amiris, copy_fixture, read_tree};
use std::path::Path;

/// Runs `amiris build --timings` on `root` into `output`; returns how many pages and radars
/// were taken from the previous output without being rendered.
fn build_counting_kept(root: &Path, output: &Path) -> usize {
    let out = amiris(&[
        "build",
        "--root",
        &root.to_string_lossy(),
        "--output",
        &output.to_string_lossy(),
        "--quiet",
        "--timings",
        "--sans-cartes",
    ]);
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Pages reprises sans nouveau rendu : "))
        .unwrap_or_else(|| panic!("no count of kept pages: {stdout}"));
    line.trim().parse().expect("a number")
}

/// Asserts that `output` holds exactly what a fresh build of `root` makes.
fn assert_same_as_fresh_build(root: &Path, output: &Path, step: &str) {
    let fresh = tempfile::tempdir().expect("dir");
    let fresh_output = fresh.path().join("site");
    assert_eq!(build_counting_kept(root, &fresh_output), 0, "{step}");
    let (rebuilt, expected) = (read_tree(output), read_tree(&fresh_output));
    let differing: Vec<&String> = expected
        .keys()
        .chain(rebuilt.keys())
        .filter(|path| rebuilt.get(*path) != expected.get(*path))
        .collect();
    assert!(
        differing.is_empty(),
        "{step}: differs from a fresh build: {differing:?}"
    );
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn rebuilds_reuse_unchanged_pages_and_equal_fresh_builds() {
    let site = copy_fixture("minimal");
    let root = site.path();
    let output = root.join("output");
    assert_eq!(build_counting_kept(root, &output), 0, "first build");
    let pages = read_tree(&output)
        .keys()
        .filter(|p| {
            p.ends_with(".html") || p.ends_with("radar.svg") || *p == "projets/recherche.json"
        })
        .count();

    // Nothing changed: every page, radar and the search index are taken as they are.
    assert_eq!(build_counting_kept(root, &output), pages, "no-op");
    assert_same_as_fresh_build(root, &output, "no-op");

    // One title: the pages that show it are rendered again, the others kept.
    let panier = root.join("content/projets/panier-solidaire.md");
    edit(&panier, "titre: \"Le Panier", "titre: \"Un Panier");
    let kept = build_counting_kept(root, &output);
    assert!(kept > 0 && kept < pages, "{kept} of {pages}");
    assert_same_as_fresh_build(root, &output, "title");
    let page =
        std::fs::read_to_string(output.join("projets/panier-solidaire/index.html")).expect("page");
    assert!(page.contains("Un Panier"));
    let search = std::fs::read_to_string(output.join("projets/recherche.json")).expect("index");
    assert!(
        search.contains("Un Panier"),
        "the search index is made again"
    );

    // A template of the site's theme edited: no page is taken from the previous output.
    let templates = root.join("themes/default/templates");
    std::fs::create_dir_all(&templates).expect("mkdir");
    std::fs::write(
        templates.join("page.html"),
        "{% extends \"base.html\" %}{% block contenu %}<h1>{{ vue.titre }}</h1>GABARIT DU SITE{% endblock contenu %}",
    )
    .expect("write");
    assert_eq!(build_counting_kept(root, &output), 0, "theme edited");
    assert!(
        std::fs::read_to_string(output.join("a-propos/index.html"))
            .expect("page")
            .contains("GABARIT DU SITE")
    );
    assert_same_as_fresh_build(root, &output, "theme");
}

#[test]
fn a_page_changed_by_hand_or_lost_fingerprints_are_rendered_again() {
    let site = copy_fixture("minimal");
    let root = site.path();
    let output = root.join("output");
    build_counting_kept(root, &output);

    // A page edited in the output (other bytes, other date): rendered again, put back.
    std::fs::write(output.join("index.html"), "modifié à la main").expect("write");
    build_counting_kept(root, &output);
    assert_same_as_fresh_build(root, &output, "hand edit");

    // Fingerprints damaged or gone: everything is rendered, the site is the same.
    let fingerprints = root.join("output.amiris-empreintes");
    assert!(fingerprints.is_file());
    std::fs::write(&fingerprints, "n'importe quoi\n").expect("write");
    assert_eq!(build_counting_kept(root, &output), 0, "damaged");
    std::fs::remove_file(&fingerprints).expect("rm");
    assert_eq!(build_counting_kept(root, &output), 0, "gone");
    assert_same_as_fresh_build(root, &output, "fingerprints gone");
    // And they are never published.
    assert!(!read_tree(&output).keys().any(|p| p.contains("empreintes")));
}

//! Build options through the real binary: social cards turned off (`--sans-cartes`, `cartes_de_partage: false`) and `--timings`.

mod common;

use common::{amiris, build_ok, copy_fixture, read_tree};
use scraper::{Html, Selector};
use std::path::Path;

/// Published projects of the `minimal` fixture.
const PUBLISHED: [&str; 3] = ["cafe-des-aidants", "garage-solidaire", "panier-solidaire"];

/// Runs `amiris build` on `root` with extra arguments; asserts success.
fn build_with(root: &Path, extra: &[&str]) -> String {
    let root = root.to_string_lossy();
    let mut args = vec!["build", "--root", &root, "--quiet"];
    args.extend_from_slice(extra);
    let out = amiris(&args);
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The `og:image` meta tags of a project page.
fn og_images(output: &Path, slug: &str) -> usize {
    let html = std::fs::read_to_string(output.join(format!("projets/{slug}/index.html")))
        .expect("project page");
    let selector = Selector::parse(r#"meta[property^="og:image"]"#).expect("selector");
    Html::parse_document(&html).select(&selector).count()
}

/// Asserts that the output holds no card and that no page announces one.
fn assert_no_cards(output: &Path) {
    let tree = read_tree(output);
    let cards: Vec<&String> = tree.keys().filter(|p| p.ends_with("carte.png")).collect();
    assert!(cards.is_empty(), "{cards:?}");
    for slug in PUBLISHED {
        assert_eq!(og_images(output, slug), 0, "{slug}");
        assert!(tree.contains_key(&format!("projets/{slug}/index.html")));
    }
}

#[test]
fn sans_cartes_draws_no_card_and_drops_og_image() {
    let site = copy_fixture("minimal");
    let output = site.path().join("output");
    // With cards first (the control: og:image is there), then without.
    build_ok(site.path());
    assert!(output.join("projets/panier-solidaire/carte.png").is_file());
    assert!(og_images(&output, "panier-solidaire") > 0);

    let summary = build_with(site.path(), &["--sans-cartes"]);
    assert!(
        summary.contains("cartes de partage : 0 dessinée, 0 reprise ;"),
        "{summary}"
    );
    assert_no_cards(&output);
}

#[test]
fn cartes_de_partage_false_in_site_yaml_turns_cards_off() {
    let site = copy_fixture("minimal");
    let settings = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&settings).expect("site.yaml");
    std::fs::write(&settings, format!("{text}cartes_de_partage: false\n")).expect("write");
    build_ok(site.path());
    assert_no_cards(&site.path().join("output"));
}

#[test]
fn cartes_de_partage_must_be_a_boolean() {
    let site = copy_fixture("minimal");
    let settings = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&settings).expect("site.yaml");
    let line = text.lines().count() + 1;
    std::fs::write(&settings, format!("{text}cartes_de_partage: non\n")).expect("write");
    let out = amiris(&[
        "check",
        "--root",
        &site.path().to_string_lossy(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let diagnostics: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let found = diagnostics.as_array().expect("array").iter().any(|d| {
        d["field"] == "cartes_de_partage"
            && d["line"] == line
            && d["file"] == "content/site.yaml"
            && d["severity"] == "error"
    });
    assert!(found, "{diagnostics:#}");
}

#[test]
fn timings_name_every_stage_and_the_peak_memory() {
    let site = copy_fixture("minimal");
    let stdout = build_with(site.path(), &["--timings"]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("Site généré"), "{stdout}");
    let stages = [
        "lecture",
        "vérification",
        "index",
        "rendu et écriture",
        "cartes de partage",
        "mise en place",
        "total",
    ];
    for stage in stages {
        let line = lines
            .iter()
            .find(|l| l.trim_start().starts_with(stage))
            .unwrap_or_else(|| panic!("no line for {stage}: {stdout}"));
        assert!(line.trim_end().ends_with(" ms"), "{line}");
    }
    assert!(
        lines.iter().any(|l| l.starts_with("Mémoire maximale : ")
            && l.ends_with(" Mio")
            && !l.contains("inconnue")),
        "{stdout}"
    );
    // Without the option, only the summary line.
    let plain = build_with(site.path(), &[]);
    assert_eq!(plain.lines().count(), 1, "{plain}");
}

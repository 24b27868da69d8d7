//! `amiris new` and `amiris init` through the real binary: what `check` says afterwards.

mod common;

use common::{amiris, build_ok, copy_fixture};
use std::path::Path;

/// `check --format json` on `root`: (severity, code, field) of every diagnostic of `file`.
fn diagnostics_of(root: &Path, file: &str) -> Vec<(String, String, Option<String>)> {
    let out = amiris(&[
        "check",
        "--root",
        &root.to_string_lossy(),
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check json");
    json.as_array()
        .expect("array")
        .iter()
        .filter(|d| d["file"] == file)
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
                d["field"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[test]
fn new_project_lists_exactly_what_remains_to_fill() {
    let site = copy_fixture("minimal");
    let root = site.path().to_string_lossy().to_string();
    let out = amiris(&["new", "L'Atelier vélo d'Amiens", "--root", &root]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = "content/projets/l-atelier-velo-d-amiens.md";
    assert!(String::from_utf8_lossy(&out.stdout).contains(file));
    let text = std::fs::read_to_string(site.path().join(file)).unwrap();
    // Every field of the format is present, the markers with their labels, the six sections.
    for needle in [
        "titre: \"L'Atelier vélo d'Amiens\"",
        "label:",
        "secteurs:",
        "#   mobilite : Mobilité solidaire",
        "territoire:",
        "stade:",
        "publics:",
        "structure:",
        "partenaires:",
        "gouvernance:",
        "# Gouvernance",
        "# Capacité de changement social",
        "notes de 0 à 3 par pas de 0,5",
        "essaimage:",
        "image:",
        "contact:",
        "mis_a_jour:",
        "brouillon:",
        "## Contexte",
        "## Synthèse",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    let found = diagnostics_of(site.path(), file);
    let error = |code: &str, field: &str| {
        (
            "error".to_string(),
            code.to_string(),
            Some(field.to_string()),
        )
    };
    let mut expected = vec![
        error("champ-requis", "resume"),
        error("champ-requis", "label.annee"),
        error("champ-requis", "secteurs"),
        error("territoire", "territoire"),
        error("champ-requis", "stade"),
        error("champ-requis", "structure.nom"),
        error("champ-requis", "structure.forme_juridique"),
        error("champ-requis", "structure.code_postal"),
        error("champ-requis", "structure.commune"),
    ];
    for marker in amiris::model::MARKER_KEYS {
        expected.push((
            "warning".into(),
            "marqueur-non-evalue".into(),
            Some(format!("marqueurs.{marker}")),
        ));
    }
    // The section hints are HTML comments: they are not text, so the body is still empty.
    expected.push(("error".into(), "corps-vide".into(), None));
    assert_eq!(found, expected);
}

#[test]
fn new_refuses_to_overwrite_and_reserved_names() {
    let site = copy_fixture("minimal");
    let root = site.path().to_string_lossy().to_string();
    let path = site.path().join("content/projets/panier-solidaire.md");
    let before = std::fs::read(&path).unwrap();
    let out = amiris(&["new", "Panier solidaire", "--root", &root]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/projets/panier-solidaire.md") && stderr.contains("existe déjà"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let out = amiris(&["new", "Index", "--root", &root]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("réservé"));
    let out = amiris(&["new", "!!!", "--root", &root]);
    assert_eq!(out.status.code(), Some(2));
    let out = amiris(&["new", "Projet", "--root", "/nonexistent-amiris"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("content/site.yaml est introuvable"));
}

#[test]
fn init_creates_a_site_that_checks_clean_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("nouveau-site");
    let out = amiris(&["init", &site.to_string_lossy()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in [
        "content/site.yaml",
        "content/pages/a-propos.md",
        "content/pages/methode.md",
        "content/pages/accessibilite.md",
        "content/pages/mentions-legales.md",
        ".gitignore",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    assert!(
        std::fs::read_to_string(site.join(".gitignore"))
            .unwrap()
            .contains("output/")
    );
    // The publishing files offered to copy: valid YAML, building with --base-url set from the
    // host's own variable for the site's address (right for any repository, nothing to
    // replace but where amiris comes from), and the very text docs/publier.md shows.
    let guide = include_str!("../docs/publier.md");
    for (file, address) in [
        (
            "publication/github-pages.yml",
            "URL_BASE: ${{ steps.pages.outputs.base_url }}",
        ),
        ("publication/gitlab-ci.yml", "URL_BASE: $CI_PAGES_URL"),
    ] {
        let text = std::fs::read_to_string(site.join(file)).unwrap();
        let yaml: Result<serde_json::Value, _> = serde_saphyr::from_str(&text);
        assert!(yaml.is_ok(), "{file}: {yaml:?}");
        assert!(
            text.contains("amiris build --base-url \"$URL_BASE\""),
            "{file}"
        );
        assert!(text.contains(address), "{file}");
        assert_eq!(text.matches("URL_BASE:").count(), 1, "{file}");
        let addresses: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#') && l.contains("https://"))
            .collect();
        // The only address written is where amiris comes from (and its guard's test of it).
        assert!(
            addresses.iter().any(|l| l.contains("AMIRIS_DEPOT:"))
                && addresses
                    .iter()
                    .all(|l| l.contains("https://exemple.fr/amiris.git")),
            "{file}: {addresses:?}"
        );
        assert!(
            guide.contains(&text),
            "docs/publier.md must show {file} as written"
        );
    }
    // The example project passes check without a single diagnostic.
    let out = amiris(&[
        "check",
        "--root",
        &site.to_string_lossy(),
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 0, "{json}");
    build_ok(&site);
    for page in [
        "index.html",
        "a-propos/index.html",
        "methode/index.html",
        "projets/exemple-epicerie-itinerante/index.html",
    ] {
        assert!(site.join("output").join(page).is_file(), "{page}");
    }
    // A new project then round-trips through check once filled in like the example.
    let out = amiris(&["new", "Deuxième projet", "--root", &site.to_string_lossy()]);
    assert!(out.status.success());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "à garder").unwrap();
    let out = amiris(&["init", &dir.path().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("n'est pas vide"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A file given as the folder.
    let out = amiris(&["init", &dir.path().join("notes.txt").to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("notes.txt") && !stderr.contains("os error"),
        "{stderr}"
    );
}

#[test]
fn the_publishing_files_stop_at_once_while_amiris_address_is_the_placeholder() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    assert!(amiris(&["init", &site.to_string_lossy()]).status.success());
    let read = |file: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(site.join(file)).unwrap();
        serde_saphyr::from_str(&text).expect("YAML")
    };
    let github = read("publication/github-pages.yml");
    let gitlab = read("publication/gitlab-ci.yml");
    let placeholder = github["env"]["AMIRIS_DEPOT"].as_str().expect("env");
    assert_eq!(gitlab["variables"]["AMIRIS_DEPOT"], placeholder);
    let guard_github = github["jobs"]["publier"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["name"] == "Vérifier l'adresse d'amiris")
        .and_then(|s| s["run"].as_str())
        .expect("guard step");
    let script = gitlab["pages"]["script"].as_array().expect("script");
    let guard_gitlab = script[0].as_str().expect("guard line");
    // The guard comes before installing amiris.
    assert!(script[1].as_str().unwrap().starts_with("cargo install"));
    for guard in [guard_github, guard_gitlab] {
        let run = |address: &str| {
            std::process::Command::new("sh")
                .args(["-c", guard])
                .env("AMIRIS_DEPOT", address)
                .output()
                .expect("sh")
        };
        let stopped = run(placeholder);
        assert_eq!(stopped.status.code(), Some(1), "{guard}");
        assert!(
            String::from_utf8_lossy(&stopped.stdout).contains("Remplacez AMIRIS_DEPOT"),
            "{stopped:?}"
        );
        assert!(run("https://depot.example.org/amiris.git").status.success());
    }
}

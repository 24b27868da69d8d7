//! Validation of one project file: front matter fields, territory, markers, body.

use super::fields::{
    Checker, Fields, boolean, choice, code, date, french_list, integer, list, number,
    specified_text, text,
};
use super::rules::{email_is_valid, siret_is_valid, url_is_valid};
use crate::content::SourceFile;
use crate::fields::keys_of;
use crate::media::Medias;
use crate::model::{
    CANONICAL_SECTIONS, Image, Label, LegalForm, MARKER_COUNT, MARKER_KEYS, Partner, PartnerRole,
    Project, ProjectTerritory, Replication, Scope, Site, Stage, Structure,
};
use crate::territory::{Territories, french_department_name};
use crate::text::{closest, fold};
use crate::yaml::{Key, Node, Pos, Value};

/// Earliest label year accepted (spec, "Precisions").
pub const FIRST_LABEL_YEAR: u16 = 2010;

/// Fewest words a body should have before a warning.
pub const MIN_BODY_WORDS: usize = 50;

/// What a project is checked against besides its own file.
pub struct ProjectContext<'a> {
    /// Site settings (vocabularies, scale).
    pub site: &'a Site,
    /// Media files present, relative to `content/` (`medias/x.jpg`), with their sizes.
    pub medias: &'a Medias,
    /// Upper bound of `label.annee` is this year + 1.
    pub current_year: u16,
}

/// Validates a project file; returns the project when the file has no error.
pub fn validate_project(
    file: &SourceFile,
    context: &ProjectContext<'_>,
    checker: &mut Checker<'_>,
) -> Option<Project> {
    let errors_before = checker.error_count();
    let (root, body, body_line) = super::parse_document(file, checker)?;
    let top = Fields::open(checker, &root, "", Pos { line: 1, column: 1 }, &keys_of(""))?;

    let title = top
        .take(checker, "titre")
        .and_then(|(_, n)| specified_text(checker, n, "titre"));
    let summary = top
        .take(checker, "resume")
        .and_then(|(_, n)| specified_text(checker, n, "resume"));
    let label = top
        .take(checker, "label")
        .and_then(|(k, n)| check_label(checker, k, n, context.current_year));
    let sectors = top
        .take(checker, "secteurs")
        .and_then(|(_, n)| check_sectors(checker, n, context.site));
    let territory = top
        .take(checker, "territoire")
        .and_then(|(k, n)| check_territory(checker, k, n));
    let stage = top
        .take(checker, "stade")
        .and_then(|(_, n)| choice(checker, n, "stade", Stage::KEYS, Stage::from_key));
    let publics = match top.take(checker, "publics") {
        Some((_, n)) => check_publics(checker, n, context.site),
        None => Some(Vec::new()),
    };
    let structure = top
        .take(checker, "structure")
        .and_then(|(k, n)| check_structure(checker, k, n));
    let partners = match top.take(checker, "partenaires") {
        Some((_, n)) => check_partners(checker, n),
        None => Some(Vec::new()),
    };
    let markers = top
        .take(checker, "marqueurs")
        .and_then(|(k, n)| check_markers(checker, k, n, context.site));
    let replication = top
        .take(checker, "essaimage")
        .map(|(k, n)| check_replication(checker, k, n));
    let image = top
        .take(checker, "image")
        .map(|(k, n)| check_image(checker, k, n, context.medias));
    let contact_email = top
        .take(checker, "contact")
        .map(|(k, n)| check_contact(checker, k, n));
    let updated = top
        .take(checker, "mis_a_jour")
        .map(|(_, n)| date(checker, n, "mis_a_jour"));
    let draft = top
        .take(checker, "brouillon")
        .map(|(_, n)| boolean(checker, n, "brouillon"));

    check_body(checker, body, body_line, draft.flatten().unwrap_or(false));

    if checker.error_count() > errors_before {
        return None;
    }
    Some(Project {
        slug: file.stem.clone(),
        source: file.path.clone(),
        title: title?,
        summary: summary?,
        label: label?,
        sectors: sectors?,
        territory: territory?,
        stage: stage?,
        publics: publics?,
        structure: structure?,
        partners: partners?,
        markers: markers?,
        replication: replication.flatten(),
        image: image.flatten(),
        contact_email: contact_email.flatten(),
        updated: updated.flatten(),
        draft: draft.flatten().unwrap_or(false),
        body: body.to_string(),
    })
}

fn check_label(
    checker: &mut Checker<'_>,
    key: &Key,
    node: &Node,
    current_year: u16,
) -> Option<Label> {
    let fields = Fields::open(checker, node, "label", key.pos, &keys_of("label"))?;
    let latest = current_year.saturating_add(1);
    let year = fields.take(checker, "annee").and_then(|(_, n)| {
        let year = integer(checker, n, "label.annee")?;
        if year < i64::from(FIRST_LABEL_YEAR) || year > i64::from(latest) {
            checker.error(
                "annee",
                n.pos,
                "label.annee",
                format!(
                    "l'année du label {year} n'est pas possible : elle doit être comprise entre \
                     {FIRST_LABEL_YEAR} et {latest}"
                ),
            );
            return None;
        }
        Some(year as u16)
    });
    let date = match fields.take(checker, "date") {
        Some((_, n)) => Some(date(checker, n, "label.date")?),
        None => None,
    };
    Some(Label { year: year?, date })
}

/// A list of vocabulary keys (sectors or publics), each checked against `known`.
fn vocabulary_keys(
    checker: &mut Checker<'_>,
    node: &Node,
    field: &str,
    code: &'static str,
    known: &[&str],
    what: &str,
) -> Option<Vec<(String, Pos)>> {
    let items = list(checker, node, field)?;
    let mut keys = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let item_field = format!("{field}[{i}]");
        let Some(key) = text(checker, item, &item_field) else {
            ok = false;
            continue;
        };
        if keys.iter().any(|(k, _)| k == &key) {
            checker.error(
                code,
                item.pos,
                &item_field,
                format!("« {key} » est cité deux fois"),
            );
            ok = false;
        } else if !known.contains(&key.as_str()) {
            let suggestion = closest(&key, known.iter().copied())
                .map(|s| format!(" Vouliez-vous dire « {s} » ?"))
                .unwrap_or_default();
            checker.error(
                code,
                item.pos,
                &item_field,
                format!(
                    "« {key} » n'est pas {what} de site.yaml.{suggestion} Clés permises : {}.",
                    known.join(", ")
                ),
            );
            ok = false;
        }
        keys.push((key, item.pos));
    }
    ok.then_some(keys)
}

fn check_sectors(checker: &mut Checker<'_>, node: &Node, site: &Site) -> Option<Vec<String>> {
    let known: Vec<&str> = site.sectors.iter().map(|s| s.key.as_str()).collect();
    let keys = vocabulary_keys(checker, node, "secteurs", "secteur", &known, "un secteur")?;
    if keys.is_empty() || keys.len() > 3 {
        checker.error(
            "secteur",
            node.pos,
            "secteurs",
            format!(
                "un projet relève de 1 à 3 secteurs, pas {} : choisissez les plus importants",
                keys.len()
            ),
        );
        return None;
    }
    Some(keys.into_iter().map(|(k, _)| k).collect())
}

fn check_publics(checker: &mut Checker<'_>, node: &Node, site: &Site) -> Option<Vec<String>> {
    let known: Vec<&str> = site.publics.iter().map(|p| p.key.as_str()).collect();
    let keys = vocabulary_keys(checker, node, "publics", "public", &known, "un public")?;
    Some(keys.into_iter().map(|(k, _)| k).collect())
}

fn region_departments_text() -> String {
    Territories::region()
        .departments()
        .iter()
        .map(|d| format!("\"{}\" ({})", d.code, d.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_territory(checker: &mut Checker<'_>, key: &Key, node: &Node) -> Option<ProjectTerritory> {
    let territories = Territories::region();
    let fields = Fields::open(checker, node, "territoire", key.pos, &keys_of("territoire"))?;
    let errors_before = checker.error_count();
    let mut communes: Vec<(String, Pos)> = Vec::new();
    if let Some((_, n)) = fields.take(checker, "communes") {
        for (i, item) in list(checker, n, "territoire.communes")
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let field = format!("territoire.communes[{i}]");
            let Some(value) = code(checker, item, &field) else {
                continue;
            };
            if territories.commune(&value).is_some() {
                if communes.iter().any(|(c, _)| c == &value) {
                    checker.error(
                        "commune",
                        item.pos,
                        &field,
                        format!("la commune « {value} » est citée deux fois"),
                    );
                }
                communes.push((value, item.pos));
            } else if let Some((name, current)) = territories.former_commune(&value) {
                checker.error(
                    "commune",
                    item.pos,
                    &field,
                    format!(
                        "« {value} » ({name}) n'est plus une commune : elle fait partie de {} ; \
                         écrivez le code de la commune actuelle \"{}\"",
                        current.name, current.code
                    ),
                );
            } else if let Some(current) = territories.absorbed_into(&value) {
                checker.error(
                    "commune",
                    item.pos,
                    &field,
                    format!(
                        "« {value} » est un ancien code de commune, absorbée par {} : écrivez le \
                         code de la commune actuelle \"{}\"",
                        current.name, current.code
                    ),
                );
            } else {
                let named = territories.communes_named(&value);
                let hint = if named.is_empty() {
                    " Indiquez le code INSEE à 5 chiffres (pas le code postal) d'une commune \
                     des Hauts-de-France."
                        .to_string()
                } else {
                    let candidates: Vec<String> = named
                        .iter()
                        .take(5)
                        .map(|c| format!("\"{}\" ({}, {})", c.code, c.name, c.department))
                        .collect();
                    format!(
                        " Vouliez-vous dire {} ?",
                        french_list(&candidates.iter().map(String::as_str).collect::<Vec<_>>())
                    )
                };
                checker.error(
                    "commune",
                    item.pos,
                    &field,
                    format!("« {value} » n'est pas le code d'une commune de la région.{hint}"),
                );
            }
        }
    }
    let mut departments: Vec<String> = Vec::new();
    let mut given_departments: Option<(Pos, Vec<String>)> = None;
    if let Some((k, n)) = fields.take(checker, "departements") {
        let mut given = Vec::new();
        for (i, item) in list(checker, n, "territoire.departements")
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let field = format!("territoire.departements[{i}]");
            let Some(value) = code(checker, item, &field) else {
                continue;
            };
            if territories.department(&value).is_some() {
                given.push(value);
            } else {
                checker.error(
                    "departement",
                    item.pos,
                    &field,
                    format!(
                        "« {value} » n'est pas un département des Hauts-de-France : codes permis \
                         {}",
                        region_departments_text()
                    ),
                );
            }
        }
        given_departments = Some((k.pos, given));
    }
    // An empty list places the project nowhere, like an absent one.
    let is_given = |key: &str| {
        fields
            .get(key)
            .is_some_and(|(_, n)| !matches!(&n.value, Value::Seq(items) if items.is_empty()))
    };
    if !is_given("communes") && !is_given("departements") {
        checker.error(
            "territoire",
            fields.anchor,
            "territoire",
            "indiquez où agit le projet : « communes » (codes INSEE) ou « departements »",
        );
    }
    let mut epcis = Vec::new();
    for (code, pos) in &communes {
        let Some(commune) = territories.commune(code) else {
            continue;
        };
        if let Some((_, given)) = &given_departments
            && !given.contains(&commune.department)
        {
            checker.error(
                "territoire",
                *pos,
                "territoire.departements",
                format!(
                    "la commune {} ({code}) est dans le département \"{}\", absent de \
                     « departements » : ajoutez-le",
                    commune.name, commune.department
                ),
            );
        }
        departments.push(commune.department.clone());
        epcis.extend(commune.epci.clone());
    }
    if let Some((_, given)) = given_departments {
        departments.extend(given);
    }
    departments.sort();
    departments.dedup();
    epcis.sort();
    epcis.dedup();
    let scope = match fields.take(checker, "echelle") {
        Some((_, n)) => Some(choice(
            checker,
            n,
            "territoire.echelle",
            Scope::KEYS,
            Scope::from_key,
        )?),
        None => None,
    };
    (checker.error_count() == errors_before).then(|| ProjectTerritory {
        communes: communes.into_iter().map(|(c, _)| c).collect(),
        departments,
        epcis,
        scope,
    })
}

fn check_structure(checker: &mut Checker<'_>, key: &Key, node: &Node) -> Option<Structure> {
    let fields = Fields::open(checker, node, "structure", key.pos, &keys_of("structure"))?;
    let name = fields
        .take(checker, "nom")
        .and_then(|(_, n)| specified_text(checker, n, "structure.nom"));
    let legal_form = fields.take(checker, "forme_juridique").and_then(|(_, n)| {
        choice(
            checker,
            n,
            "structure.forme_juridique",
            LegalForm::KEYS,
            LegalForm::from_key,
        )
    });
    // Each field is read on its own: a wrong value never hides the next field's problems.
    let siret = fields.take(checker, "siret").and_then(|(_, n)| {
        let value = code(checker, n, "structure.siret")?;
        if !siret_is_valid(&value) {
            let detail = if value.len() != 14 || !value.bytes().all(|b| b.is_ascii_digit()) {
                "il faut exactement 14 chiffres, sans espace"
            } else {
                "sa clé de contrôle est fausse : vérifiez chaque chiffre (avis de situation \
                     SIRENE)"
            };
            checker.error(
                "siret",
                n.pos,
                "structure.siret",
                format!("le SIRET « {value} » n'est pas valide : {detail}"),
            );
            return None;
        }
        Some(value)
    });
    let postal = fields.take(checker, "code_postal").and_then(|(_, n)| {
        let value = code(checker, n, "structure.code_postal")?;
        let territories = Territories::region();
        let served = territories.communes_with_postal_code(&value);
        let well_formed = value.len() == 5 && value.bytes().all(|b| b.is_ascii_digit());
        let in_region_prefix = well_formed && territories.department(&value[..2]).is_some();
        if served.is_empty() && in_region_prefix {
            checker.warning(
                "code-postal",
                n.pos,
                "structure.code_postal",
                format!(
                    "« {value} » n'est le code postal d'aucune commune de la région : vérifiez-le \
                     (un code CEDEX est accepté)"
                ),
            );
        } else if served.is_empty() {
            checker.error(
                "code-postal",
                n.pos,
                "structure.code_postal",
                format!(
                    "« {value} » n'est pas un code postal des Hauts-de-France : le siège social \
                     doit se trouver dans la région (5 chiffres commençant par 02, 59, 60, 62 ou \
                     80)"
                ),
            );
            return None;
        }
        Some((value, served))
    });
    let commune = fields.take(checker, "commune").and_then(|(_, n)| {
        let value = specified_text(checker, n, "structure.commune")?;
        Some((value, n.pos))
    });
    if let (Some((postal_code, served)), Some((commune, pos))) = (&postal, &commune) {
        let folded = fold(commune);
        if !served.is_empty() && !served.iter().any(|c| fold(&c.name) == folded) {
            let names: Vec<&str> = served.iter().take(8).map(|c| c.name.as_str()).collect();
            checker.warning(
                "commune-siege",
                *pos,
                "structure.commune",
                format!(
                    "« {commune} » n'est pas desservie par le code postal {postal_code} \
                     (communes de ce code : {}) : vérifiez le nom ou le code postal",
                    names.join(", ")
                ),
            );
        }
    }
    let website = fields
        .take(checker, "site_web")
        .map(|(_, n)| checked_url(checker, n, "structure.site_web"));
    let esus = fields
        .take(checker, "esus")
        .map(|(_, n)| boolean(checker, n, "structure.esus"));
    Some(Structure {
        name: name?,
        legal_form: legal_form?,
        siret,
        postal_code: postal?.0,
        commune: commune?.0,
        website: website.flatten(),
        esus: esus.flatten(),
    })
}

/// An absolute http(s) address written at `field` (reported otherwise).
pub(super) fn checked_url(checker: &mut Checker<'_>, node: &Node, field: &str) -> Option<String> {
    let value = text(checker, node, field)?;
    if url_is_valid(&value) {
        return Some(value);
    }
    checker.error(
        "url",
        node.pos,
        field,
        format!(
            "« {value} » n'est pas une adresse web complète : elle doit commencer par https:// \
             (ou http://), par exemple https://www.exemple.fr"
        ),
    );
    None
}

fn check_partners(checker: &mut Checker<'_>, node: &Node) -> Option<Vec<Partner>> {
    let items = list(checker, node, "partenaires")?;
    let mut partners = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("partenaires[{i}]");
        let Some(fields) = Fields::open(checker, item, &path, item.pos, &keys_of("partenaires[]"))
        else {
            continue;
        };
        let name = fields
            .take(checker, "nom")
            .and_then(|(_, n)| specified_text(checker, n, &fields.field("nom")));
        let role = fields.take(checker, "role").and_then(|(_, n)| {
            choice(
                checker,
                n,
                &fields.field("role"),
                PartnerRole::KEYS,
                PartnerRole::from_key,
            )
        });
        if let (Some(name), Some(role)) = (name, role) {
            partners.push(Partner { name, role });
        }
    }
    Some(partners)
}

fn check_markers(
    checker: &mut Checker<'_>,
    key: &Key,
    node: &Node,
    site: &Site,
) -> Option<[Option<f64>; MARKER_COUNT]> {
    let fields = Fields::open(checker, node, "marqueurs", key.pos, &MARKER_KEYS)?;
    let scale = site.scale;
    let allowed = scale
        .values()
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let mut scores = [None; MARKER_COUNT];
    let mut ok = true;
    for (i, marker) in MARKER_KEYS.iter().enumerate() {
        let field = fields.field(marker);
        let entry = node
            .as_map()
            .and_then(|entries| entries.iter().find(|(k, _)| k.name == *marker));
        match entry {
            None => {
                checker.error(
                    "marqueur",
                    key.pos,
                    &field,
                    format!(
                        "le marqueur « {marker} » manque : les douze marqueurs sont obligatoires \
                         (écrivez `{marker}: null` s'il n'a pas été évalué)"
                    ),
                );
                ok = false;
            }
            Some((marker_key, value)) if matches!(value.value, Value::Null) => {
                checker.warning(
                    "marqueur-non-evalue",
                    marker_key.pos,
                    &field,
                    format!("le marqueur « {marker} » n'est pas évalué (null) : il sera affiché « non évalué »"),
                );
            }
            Some((_, value)) => match number(checker, value, &field) {
                Some(score) if scale.contains(score) => scores[i] = Some(score),
                Some(score) => {
                    checker.error(
                        "marqueur",
                        value.pos,
                        &field,
                        format!(
                            "la note {score} n'est pas sur l'échelle du site : notes permises \
                             {allowed} (ou null si non évalué)"
                        ),
                    );
                    ok = false;
                }
                None => ok = false,
            },
        }
    }
    ok.then_some(scores)
}

fn check_replication(checker: &mut Checker<'_>, key: &Key, node: &Node) -> Option<Replication> {
    let fields = Fields::open(checker, node, "essaimage", key.pos, &keys_of("essaimage"))?;
    let open = fields
        .take(checker, "ouvert")
        .map(|(_, n)| boolean(checker, n, "essaimage.ouvert"));
    let mut territories = Vec::new();
    if let Some((_, n)) = fields.take(checker, "territoires") {
        for (i, item) in list(checker, n, "essaimage.territoires")
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let field = format!("essaimage.territoires[{i}]");
            let Some(value) = code(checker, item, &field) else {
                continue;
            };
            if french_department_name(&value).is_some() {
                territories.push(value);
            } else {
                checker.error(
                    "departement",
                    item.pos,
                    &field,
                    format!(
                        "« {value} » n'est pas un code de département français : par exemple \
                         \"59\", \"2A\" ou \"974\""
                    ),
                );
            }
        }
    }
    Some(Replication {
        open: open.unwrap_or(Some(false))?,
        territories,
    })
}

fn check_image(
    checker: &mut Checker<'_>,
    key: &Key,
    node: &Node,
    medias: &Medias,
) -> Option<Image> {
    let fields = Fields::open(checker, node, "image", key.pos, &keys_of("image"))?;
    let src = fields
        .take(checker, "src")
        .and_then(|(_, n)| media_path(checker, n, "image.src", medias));
    let alt = fields
        .take(checker, "alt")
        .and_then(|(_, n)| alternative_text(checker, n, "image.alt"));
    Some(sized_image(src?, alt?, medias))
}

/// The path of a file of `content/medias/` written at `field` (`./` prefix accepted); a
/// missing file, or a path leaving the site, is reported.
pub(super) fn media_path(
    checker: &mut Checker<'_>,
    node: &Node,
    field: &str,
    medias: &Medias,
) -> Option<String> {
    let value = text(checker, node, field)?;
    let normalised = value.trim_start_matches("./").to_string();
    if medias.contains_key(&normalised) {
        return Some(normalised);
    }
    let reason = if value.starts_with('/') || value.contains("..") || value.contains('\\') {
        "le chemin doit rester dans le dossier du site"
    } else {
        "fichier introuvable"
    };
    checker.error(
        "image",
        node.pos,
        field,
        format!(
            "image « {value} » : {reason}. Placez l'image dans content/medias/ et écrivez \
             par exemple « medias/photo.jpg »"
        ),
    );
    None
}

/// The alternative text of an image, written at `field`: an empty one is reported.
pub(super) fn alternative_text(
    checker: &mut Checker<'_>,
    node: &Node,
    field: &str,
) -> Option<String> {
    let value = text(checker, node, field)?;
    if value.is_empty() {
        checker.error("image", node.pos, field, "décrivez l'image en quelques mots (texte alternatif pour les personnes qui ne la voient pas)");
        return None;
    }
    Some(value)
}

/// An image of the medias with its pixel size, when it can be read.
pub(super) fn sized_image(src: String, alt: String, medias: &Medias) -> Image {
    let size = medias.get(&src).copied().flatten();
    Image {
        width: size.map(|s| s.width),
        height: size.map(|s| s.height),
        src,
        alt,
    }
}

fn check_contact(checker: &mut Checker<'_>, key: &Key, node: &Node) -> Option<String> {
    let fields = Fields::open(checker, node, "contact", key.pos, &keys_of("contact"))?;
    let (_, n) = fields.take(checker, "email")?;
    let value = text(checker, n, "contact.email")?;
    if email_is_valid(&value) {
        return Some(value);
    }
    checker.error(
        "email",
        n.pos,
        "contact.email",
        format!("« {value} » n'est pas une adresse électronique valide : par exemple contact@association.fr"),
    );
    None
}

/// Checks the body: the canonical sections (a missing one is shown where it belongs), the
/// word count (HTML comments, like the template's hints, are not words), and, for a published
/// project, that it says something at all.
fn check_body(checker: &mut Checker<'_>, body: &str, body_line: usize, draft: bool) {
    check_body_in(checker, body, body_line, draft, &CANONICAL_SECTIONS);
}

/// [`check_body`] with the canonical section headings of a language (`sections`, in the order
/// of [`CANONICAL_SECTIONS`]): for translations.
pub(super) fn check_body_in(
    checker: &mut Checker<'_>,
    body: &str,
    body_line: usize,
    draft: bool,
    sections: &[&str; 6],
) {
    let line_of = |offset: usize| body_line + body[..offset].matches('\n').count();
    let start = Pos {
        line: body_line,
        column: 1,
    };
    let headings = crate::markdown::section_headings(body);
    let found: Vec<Option<usize>> = headings
        .iter()
        .map(|(title, _)| {
            let folded = crate::text::fold(title);
            sections.iter().position(|s| crate::text::fold(s) == folded)
        })
        .collect();
    for (index, section) in sections.iter().enumerate() {
        if found.contains(&Some(index)) {
            continue;
        }
        // Where it belongs: after the closest canonical section before it that is present,
        // that is at the next heading, or at the end of the text.
        let previous = (0..index)
            .rev()
            .find_map(|p| found.iter().position(|f| *f == Some(p)).map(|at| (p, at)));
        let (pos, place) = match previous {
            Some((p, at)) => {
                let line = match headings.get(at + 1) {
                    Some((_, offset)) => line_of(*offset),
                    None => line_of(body.trim_end().len()),
                };
                (
                    Pos { line, column: 1 },
                    format!("ajoutez-la après la section « ## {} »", sections[p]),
                )
            }
            None => (
                headings.first().map_or(start, |(_, offset)| Pos {
                    line: line_of(*offset),
                    column: 1,
                }),
                "ajoutez-la au début du texte".to_string(),
            ),
        };
        checker.warning(
            "section-manquante",
            pos,
            "",
            format!("la section « ## {section} » manque dans le texte du projet : {place}"),
        );
    }
    // The text's words: section titles are not text.
    let heading_words: usize = headings
        .iter()
        .map(|(title, _)| crate::markdown::word_count(title))
        .sum();
    let words = crate::markdown::word_count(body).saturating_sub(heading_words);
    if words == 0 && !draft {
        checker.error(
            "corps-vide",
            start,
            "",
            "le texte du projet est vide (ses sections n'ont que des titres ou des \
             commentaires) : écrivez au moins quelques phrases, ou gardez la fiche hors du site \
             avec « brouillon: true »",
        );
    } else if words == 0 {
        checker.warning(
            "corps-court",
            start,
            "",
            format!(
                "le texte du projet est encore vide : écrivez-le (au moins {MIN_BODY_WORDS} mots) \
                 avant de retirer « brouillon: true »"
            ),
        );
    } else if words < MIN_BODY_WORDS {
        checker.warning(
            "corps-court",
            start,
            "",
            format!(
                "le texte du projet ne compte que {} : au moins {MIN_BODY_WORDS} sont attendus",
                crate::text::count(words, "mot", "mots")
            ),
        );
    }
}

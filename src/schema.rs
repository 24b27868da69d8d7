//! `amiris schema`: a JSON Schema (draft 2020-12) of a project's front matter, for editors.
//!
//! The schema is built from the validator's own tables (the vocabularies of [`crate::model`],
//! the marker keys and the site's scale, the region's departments from [`crate::territory`],
//! and, inside a site, its sectors and publics), so the two cannot drift apart; keys, required
//! lists, lengths and each field's title and description come from the field specification
//! ([`crate::fields`]); the unit tests below check them against the validator itself.
//!
//! It only uses keywords whose meaning is the same in draft-07, the dialect VS Code's YAML
//! extension validates with, and adds that extension's French messages (`errorMessage`,
//! `patternErrorMessage`, `enumDescriptions`), which other validators ignore.
//!
//! What the schema cannot say is left to `amiris check`: SIRET check digits, whether a commune
//! or postal code exists, image files, the label year's upper bound (it follows the clock and
//! the schema must not). It is slightly stricter in three rare cases: a number or `true` where
//! text is expected (`titre: 2017`), a blank optional field written `""` (write nothing or
//! `null`), and spaces around a text counting towards its length.

use crate::content::{self, SourceFile};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::fields::required_of;
use crate::model::{LegalForm, MARKER_KEYS, PartnerRole, Scale, Scope, Site, Stage};
use crate::territory::{Territories, french_department_name};
use crate::validate::fields::Checker;
use crate::validate::project::FIRST_LABEL_YEAR;
use crate::validate::{default_site, validate_site};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The JSON Schema dialect declared by the output.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The draft-07 meta-schema, for tools that know no later dialect (`--draft-07`).
pub const DIALECT_07: &str = "http://json-schema.org/draft-07/schema#";

/// Which dialect the output declares: the keywords used mean the same in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Draft 2020-12 (the default).
    Draft2020,
    /// Draft-07, for validators such as Ajv's default class (remark-lint-frontmatter-schema).
    Draft07,
}

impl Dialect {
    /// The `$schema` URI of the dialect.
    pub fn uri(self) -> &'static str {
        match self {
            Dialect::Draft2020 => DIALECT,
            Dialect::Draft07 => DIALECT_07,
        }
    }
}

/// `schema` declaring `dialect` in its `$schema`.
pub fn declared(schema: Json, dialect: Dialect) -> Json {
    with(schema, [("$schema", dialect.uri().into())])
}

/// Fewest and most sectors a project may cite.
pub const SECTORS_PER_PROJECT: (usize, usize) = (1, 3);

/// A JSON value whose objects keep the order in which they were built (readable output).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A decimal number (finite).
    Num(f64),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object, in insertion order.
    Obj(Vec<(String, Json)>),
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Int(i) => serializer.serialize_i64(*i),
            Json::Num(n) => serializer.serialize_f64(*n),
            Json::Str(s) => serializer.serialize_str(s),
            Json::Arr(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Obj(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl From<&str> for Json {
    fn from(text: &str) -> Self {
        Json::Str(text.to_string())
    }
}

impl From<String> for Json {
    fn from(text: String) -> Self {
        Json::Str(text)
    }
}

impl From<bool> for Json {
    fn from(value: bool) -> Self {
        Json::Bool(value)
    }
}

impl From<usize> for Json {
    fn from(value: usize) -> Self {
        Json::Int(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<Vec<Json>> for Json {
    fn from(items: Vec<Json>) -> Self {
        Json::Arr(items)
    }
}

impl Json {
    /// The value of `key` when this is an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value of `key` when this is an object, to change it.
    fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        match self {
            Json::Obj(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Pretty-printed JSON text, ending with a newline.
    pub fn to_pretty(&self) -> String {
        // Serializing this type cannot fail: keys are strings and numbers are finite.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// An object from `(key, value)` pairs, in this order.
fn obj<const N: usize>(entries: [(&str, Json); N]) -> Json {
    Json::Obj(
        entries
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect(),
    )
}

/// Sets entries of an object: replaced in place when the key exists, else added at the end
/// (no-op on other values).
fn with<const N: usize>(mut base: Json, entries: [(&str, Json); N]) -> Json {
    if let Json::Obj(existing) = &mut base {
        for (key, value) in entries {
            match existing.iter_mut().find(|(k, _)| k == key) {
                Some((_, slot)) => *slot = value,
                None => existing.push((key.to_string(), value)),
            }
        }
    }
    base
}

/// `schema` with `description` as its first entry (an object's hover text in editors).
fn described(description: &str, schema: Json) -> Json {
    titled(None, description, schema)
}

/// `schema` with a `title` (if any) and a `description` as its first entries.
fn titled(title: Option<&str>, description: &str, mut schema: Json) -> Json {
    if let Json::Obj(entries) = &mut schema {
        entries.retain(|(key, _)| key != "title" && key != "description");
        entries.insert(0, ("description".to_string(), description.into()));
        if let Some(title) = title {
            entries.insert(0, ("title".to_string(), title.into()));
        }
    }
    schema
}

/// The front matter's schema with each specified field's title and description taken from the
/// field specification ([`crate::fields`]), so an editor's hover says what docs/format.md and the
/// `amiris new` template say. The twelve markers keep their own (the site's marker names and
/// definitions, and its scale).
fn with_field_texts(mut schema: Json) -> Json {
    for field in crate::fields::FIELDS {
        if field.path.starts_with("marqueurs.") {
            continue;
        }
        let mut node = Some(&mut schema);
        for segment in field.path.split('.') {
            let key = segment.trim_end_matches("[]");
            node = node
                .and_then(|n| n.get_mut("properties"))
                .and_then(|n| n.get_mut(key));
            if segment.ends_with("[]") {
                node = node.and_then(|n| n.get_mut("items"));
            }
        }
        if let Some(node) = node {
            *node = titled(
                Some(field.title),
                &field.description(),
                std::mem::replace(node, Json::Null),
            );
        }
    }
    schema
}

/// A JSON array of strings.
fn strings<'a>(items: impl IntoIterator<Item = &'a str>) -> Json {
    Json::Arr(items.into_iter().map(Json::from).collect())
}

/// A score as JSON: whole numbers without a decimal point, others rounded to 6 decimals (so
/// `0.1 * 3` is written `0.3`, as an author would type it).
fn score(value: f64) -> Json {
    let rounded = (value * 1e6).round() / 1e6;
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        Json::Int(rounded as i64)
    } else {
        Json::Num(rounded)
    }
}

/// A score as an author writes it ("2.5", "3").
fn score_text(value: f64) -> String {
    match score(value) {
        Json::Int(i) => i.to_string(),
        Json::Num(n) => n.to_string(),
        _ => String::new(),
    }
}

/// `type` accepting `null` too when the field is optional (the validator treats an empty
/// optional field as absent).
fn kind(name: &str, optional: bool) -> Json {
    if optional {
        strings([name, "null"])
    } else {
        name.into()
    }
}

/// Where a property is used: its schema is built knowing whether `null` is allowed.
#[derive(Clone, Copy)]
enum Presence {
    Required,
    Optional,
}

impl Presence {
    fn optional(self) -> bool {
        matches!(self, Presence::Optional)
    }
}

/// A text field (`minLength` / `maxLength` counted like the validator, before trimming).
fn text(lengths: Option<(usize, usize)>, presence: Presence) -> Json {
    let mut schema = obj([
        ("type", kind("string", presence.optional())),
        ("pattern", "\\S".into()),
    ]);
    if let Some((min, max)) = lengths {
        schema = with(
            schema,
            [("minLength", min.into()), ("maxLength", max.into())],
        );
    }
    with(
        schema,
        [(
            "errorMessage",
            "un texte non vide (entre guillemets s'il contient « : » ou « # »)".into(),
        )],
    )
}

/// The length bounds of a field, from the field specification ([`crate::fields`]).
fn lengths(field: &str) -> Option<(usize, usize)> {
    crate::fields::length(field)
}

/// A closed choice among `keys`, shown with their French `labels` in completion lists.
fn choice(keys: &[&str], labels: impl IntoIterator<Item = String>, presence: Presence) -> Json {
    let mut values: Vec<Json> = keys.iter().map(|k| Json::from(*k)).collect();
    if presence.optional() {
        values.push(Json::Null);
    }
    let mut labels: Vec<Json> = labels.into_iter().map(Json::from).collect();
    if presence.optional() {
        labels.push("non renseigné".into());
    }
    obj([
        ("type", kind("string", presence.optional())),
        ("enum", Json::Arr(values)),
        ("enumDescriptions", Json::Arr(labels)),
        (
            "errorMessage",
            format!("valeurs permises : {}", keys.join(", ")).into(),
        ),
    ])
}

/// An ISO date, quoted or not (`AAAA-MM-JJ`); February 30 passes here, not in `amiris check`.
fn date(presence: Presence) -> Json {
    obj([
        ("type", kind("string", presence.optional())),
        ("format", "date".into()),
        (
            "pattern",
            "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$".into(),
        ),
        (
            "patternErrorMessage",
            "écrivez la date AAAA-MM-JJ, par exemple 2017-06-15".into(),
        ),
    ])
}

/// `true` or `false`.
fn boolean(presence: Presence) -> Json {
    obj([
        ("type", kind("boolean", presence.optional())),
        ("errorMessage", "écrivez true (oui) ou false (non)".into()),
    ])
}

/// A code written as a quoted string; `pattern` gives its shape.
fn code(pattern: String, pattern_message: String) -> Json {
    obj([
        ("type", "string".into()),
        ("pattern", pattern.into()),
        ("patternErrorMessage", pattern_message.into()),
        (
            "errorMessage",
            "écrivez ce code entre guillemets, par exemple \"02\" : sans guillemets, YAML le lit \
             comme un nombre et perd les zéros de tête"
                .into(),
        ),
    ])
}

/// An object with exactly these properties; `required` among them.
fn object(properties: Vec<(&str, Json)>, required: &[&str], optional: bool) -> Json {
    let properties = Json::Obj(
        properties
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect(),
    );
    let mut schema = obj([("type", kind("object", optional))]);
    if !required.is_empty() {
        schema = with(schema, [("required", strings(required.iter().copied()))]);
    }
    with(
        schema,
        [
            ("properties", properties),
            ("additionalProperties", false.into()),
        ],
    )
}

/// `^(02|59|60|62|80)` for the region's departments.
fn region_prefix() -> String {
    let codes: Vec<&str> = Territories::region()
        .departments()
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    format!("^({})", codes.join("|"))
}

/// The region's department codes, e.g. "02, 59, 60, 62 ou 80".
fn region_codes_text() -> String {
    let codes: Vec<&str> = Territories::region()
        .departments()
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    crate::validate::fields::french_list(&codes)
}

/// Every French department code the validator accepts for `essaimage.territoires`.
pub fn french_department_codes() -> Vec<(String, &'static str)> {
    (1..=99)
        .map(|n| format!("{n:02}"))
        .chain(["2A".to_string(), "2B".to_string()])
        .chain((970..=989).map(|n| n.to_string()))
        .filter_map(|code| french_department_name(&code).map(|name| (code, name)))
        .collect()
}

/// Schema of `secteurs` or `publics` items: the site's keys when known, else any key.
fn vocabulary_item(keys: Option<Vec<(&str, &str)>>, what: &str) -> Json {
    match keys {
        Some(keys) => obj([
            ("type", "string".into()),
            ("enum", strings(keys.iter().map(|(k, _)| *k))),
            (
                "enumDescriptions",
                Json::Arr(keys.iter().map(|(_, n)| Json::from(*n)).collect()),
            ),
            (
                "errorMessage",
                format!(
                    "{what} inconnu de site.yaml ; clés permises : {}",
                    keys.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
                )
                .into(),
            ),
        ]),
        None => obj([
            ("type", "string".into()),
            ("pattern", "^[a-z0-9]+(-[a-z0-9]+)*$".into()),
            (
                "patternErrorMessage",
                format!(
                    "{what} : une clé de site.yaml, en minuscules sans accent, chiffres et tirets"
                )
                .into(),
            ),
        ]),
    }
}

/// The schema of a project's front matter; `site` gives the vocabularies, scale and marker
/// labels (without a site: any sector or public key, the default scale and labels).
pub fn project_schema(site: Option<&Site>) -> Json {
    let defaults = default_site();
    let in_site = site.is_some();
    let site = site.unwrap_or(&defaults);
    let region = Territories::region();
    let prefix = region_prefix();
    let region_codes = region_codes_text();

    let label = object(
        vec![
            (
                "annee",
                obj([
                    ("type", "integer".into()),
                    ("minimum", Json::Int(i64::from(FIRST_LABEL_YEAR))),
                    (
                        "errorMessage",
                        format!("une année, nombre entier à partir de {FIRST_LABEL_YEAR}, sans guillemets")
                            .into(),
                    ),
                ]),
            ),
            ("date", date(Presence::Optional)),
        ],
        &required_of("label"),
        false,
    );

    let sector_keys = in_site.then(|| {
        site.sectors
            .iter()
            .map(|s| (s.key.as_str(), s.name.as_str()))
            .collect::<Vec<_>>()
    });
    let (fewest, most) = SECTORS_PER_PROJECT;
    let sectors = obj([
        ("type", "array".into()),
        ("minItems", fewest.into()),
        ("maxItems", most.into()),
        ("uniqueItems", true.into()),
        ("items", vocabulary_item(sector_keys, "secteur")),
    ]);

    let department_enum = obj([
        ("type", "string".into()),
        (
            "enum",
            strings(region.departments().iter().map(|d| d.code.as_str())),
        ),
        (
            "enumDescriptions",
            Json::Arr(
                region
                    .departments()
                    .iter()
                    .map(|d| Json::from(d.name.as_str()))
                    .collect(),
            ),
        ),
        (
            "errorMessage",
            format!("un département des Hauts-de-France entre guillemets : {region_codes}").into(),
        ),
    ]);
    let territory = with(
        object(
            vec![
                (
                    "communes",
                    obj([
                        ("type", kind("array", true)),
                        ("uniqueItems", true.into()),
                        (
                            "items",
                            described(
                                "Code INSEE d'une commune de la région, entre guillemets.",
                                code(
                                    format!("{prefix}[0-9]{{3}}$"),
                                    format!(
                                        "code INSEE d'une commune de la région : 5 chiffres \
                                     commençant par {region_codes}, par exemple \"59122\" \
                                     (Cambrai)"
                                    ),
                                ),
                            ),
                        ),
                    ]),
                ),
                (
                    "departements",
                    obj([("type", kind("array", true)), ("items", department_enum)]),
                ),
                (
                    "echelle",
                    choice(
                        Scope::KEYS,
                        Scope::ALL.iter().map(|s| s.label().to_string()),
                        Presence::Optional,
                    ),
                ),
            ],
            &[],
            false,
        ),
        [(
            "anyOf",
            Json::Arr(
                ["communes", "departements"]
                    .into_iter()
                    .map(|list| {
                        obj([
                            ("required", strings([list])),
                            (
                                "properties",
                                obj([(
                                    list,
                                    obj([("type", "array".into()), ("minItems", 1.into())]),
                                )]),
                            ),
                        ])
                    })
                    .collect(),
            ),
        )],
    );

    let stage = choice(
        Stage::KEYS,
        Stage::ALL.iter().map(|s| s.label().to_string()),
        Presence::Required,
    );

    let public_keys = in_site.then(|| {
        site.publics
            .iter()
            .map(|p| (p.key.as_str(), p.name.as_str()))
            .collect::<Vec<_>>()
    });
    let mut publics = obj([("type", kind("array", true)), ("uniqueItems", true.into())]);
    publics = match &public_keys {
        Some(keys) if keys.is_empty() => with(publics, [("maxItems", 0.into())]),
        _ => with(publics, [("items", vocabulary_item(public_keys, "public"))]),
    };

    let postal_pattern = format!("{prefix}[0-9]{{3}}$");
    let structure = object(
        vec![
            ("nom", text(lengths("structure.nom"), Presence::Required)),
            (
                "forme_juridique",
                choice(
                    LegalForm::KEYS,
                    LegalForm::ALL.iter().map(|f| f.label().to_string()),
                    Presence::Required,
                ),
            ),
            (
                "siret",
                with(
                    code(
                        "^[0-9]{14}$".into(),
                        "le SIRET compte exactement 14 chiffres, sans espace".into(),
                    ),
                    [("type", kind("string", true))],
                ),
            ),
            (
                "code_postal",
                code(
                    postal_pattern,
                    format!(
                        "code postal des Hauts-de-France : 5 chiffres commençant par \
                         {region_codes}"
                    ),
                ),
            ),
            (
                "commune",
                text(lengths("structure.commune"), Presence::Required),
            ),
            (
                "site_web",
                obj([
                    ("type", kind("string", true)),
                    ("format", "uri".into()),
                    (
                        "pattern",
                        "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s\"<>\\\\^`{|}]+$".into(),
                    ),
                    (
                        "patternErrorMessage",
                        "une adresse web complète, sans espace, commençant par https://".into(),
                    ),
                ]),
            ),
            ("esus", boolean(Presence::Optional)),
        ],
        &required_of("structure"),
        false,
    );

    let partners = obj([
        ("type", kind("array", true)),
        (
            "items",
            described(
                "Un partenaire : son nom et son rôle.",
                object(
                    vec![
                        (
                            "nom",
                            text(lengths("partenaires[].nom"), Presence::Required),
                        ),
                        (
                            "role",
                            choice(
                                PartnerRole::KEYS,
                                PartnerRole::ALL.iter().map(|r| r.label().to_string()),
                                Presence::Required,
                            ),
                        ),
                    ],
                    &required_of("partenaires[]"),
                    false,
                ),
            ),
        ),
    ]);

    let markers = markers_schema(site);

    let french = french_department_codes();
    let replication = object(
        vec![
            ("ouvert", boolean(Presence::Optional)),
            (
                "territoires",
                obj([
                    ("type", kind("array", true)),
                    (
                        "items",
                        obj([
                            ("type", "string".into()),
                            ("enum", strings(french.iter().map(|(c, _)| c.as_str()))),
                            (
                                "enumDescriptions",
                                Json::Arr(french.iter().map(|(_, n)| Json::from(*n)).collect()),
                            ),
                            (
                                "errorMessage",
                                "un code de département français entre guillemets, par \
                                 exemple \"59\", \"2A\" ou \"974\""
                                    .into(),
                            ),
                        ]),
                    ),
                ]),
            ),
        ],
        &[],
        true,
    );

    let image = object(
        vec![
            (
                "src",
                obj([
                    ("type", "string".into()),
                    ("pattern", "^(\\./)*medias/.+$".into()),
                    (
                        "patternErrorMessage",
                        "placez l'image dans content/medias/ et écrivez medias/nom-du-fichier.jpg"
                            .into(),
                    ),
                ]),
            ),
            ("alt", text(None, Presence::Required)),
        ],
        &required_of("image"),
        true,
    );

    let contact = object(
        vec![(
            "email",
            obj([
                ("type", kind("string", true)),
                ("format", "email".into()),
                ("pattern", "^[^@\\s]+@[^@\\s]+\\.[A-Za-z]{2,}$".into()),
                (
                    "patternErrorMessage",
                    "une adresse électronique, par exemple contact@association.fr".into(),
                ),
            ]),
        )],
        &[],
        true,
    );

    let properties: Vec<(&str, Json)> = vec![
        ("titre", text(lengths("titre"), Presence::Required)),
        ("resume", text(lengths("resume"), Presence::Required)),
        ("label", label),
        ("secteurs", sectors),
        ("territoire", territory),
        ("stade", stage),
        ("publics", publics),
        ("structure", structure),
        ("partenaires", partners),
        ("marqueurs", markers),
        ("essaimage", replication),
        ("image", image),
        ("contact", contact),
        ("mis_a_jour", date(Presence::Optional)),
        ("brouillon", boolean(Presence::Optional)),
    ];

    let origin = if in_site {
        format!(
            "pour le site « {} » (secteurs, publics et échelle de son site.yaml)",
            site.title
        )
    } else {
        "sans site : secteurs et publics sans liste fermée, échelle par défaut".into()
    };
    let top = described(
        &format!(
            "En-tête YAML d'une fiche projet (content/projets/*.md), format de contenu version \
             1. Schéma produit par `amiris schema` {origin}. Ce que le schéma ne peut pas \
             vérifier (communes et codes postaux existants, clé du SIRET, fichiers d'image, \
             année du label) l'est par `amiris check`."
        ),
        with_field_texts(object(properties, &required_of(""), false)),
    );
    let Json::Obj(entries) = top else {
        return top;
    };
    let mut head = vec![
        ("$schema".to_string(), Json::from(DIALECT)),
        (
            "title".to_string(),
            Json::from("Fiche projet AMIRIS (en-tête YAML)"),
        ),
    ];
    head.extend(entries);
    Json::Obj(head)
}

/// The twelve markers: each a score on the site's scale, or `null` when not assessed.
fn markers_schema(site: &Site) -> Json {
    let Scale { min, max, step } = site.scale;
    let values = site.scale.values();
    let allowed: Vec<String> = values.iter().map(|v| score_text(*v)).collect();
    let mut enum_values: Vec<Json> = values.iter().map(|v| score(*v)).collect();
    enum_values.push(Json::Null);
    let properties = MARKER_KEYS
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let (name, help) = site
                .markers
                .iter()
                .find(|m| m.key == *key)
                .map(|m| (m.name.clone(), m.help.clone()))
                .unwrap_or_default();
            let schema = obj([
                ("title", name.clone().into()),
                (
                    "description",
                    format!(
                        "Marqueur {} / 12 : {name}. {help} Note de {} à {} par pas de {} \
                         (nombre, avec un point décimal : 2.5), ou null s'il n'a pas été évalué.",
                        i + 1,
                        score_text(min),
                        score_text(max),
                        score_text(step)
                    )
                    .into(),
                ),
                ("type", strings(["number", "null"])),
                ("enum", Json::Arr(enum_values.clone())),
                (
                    "errorMessage",
                    format!(
                        "notes permises : {} (ou null si non évalué)",
                        allowed.join(", ")
                    )
                    .into(),
                ),
            ]);
            (*key, schema)
        })
        .collect();
    object(properties, &MARKER_KEYS, false)
}

/// The schema `amiris schema` prints, with a note for the terminal when there is no site.
#[derive(Debug)]
pub struct Generated {
    /// Pretty-printed JSON Schema.
    pub json: String,
    /// A French note for standard error (no site found), if any.
    pub note: Option<String>,
}

/// Why no schema was printed.
#[derive(Debug)]
pub enum SchemaError {
    /// site.yaml has errors: the diagnostics, printed like `amiris check` (exit code 1).
    Content(String),
    /// No site where one was asked for, or site.yaml cannot be read (exit code 2).
    Failure(String),
}

/// Generates the schema for the site at `root` (`--root`); without `--root`, the current
/// folder is used if it holds a site, else a schema without the site's vocabularies.
/// `dialect` is the `$schema` it declares.
pub fn generate(root: Option<&Path>, dialect: Dialect) -> Result<Generated, SchemaError> {
    let explicit = root.is_some();
    let root = root.unwrap_or(Path::new("."));
    let site_path = root.join("content").join("site.yaml");
    let is_file = fs::symlink_metadata(&site_path).is_ok_and(|m| m.is_file());
    if !is_file {
        if explicit {
            return Err(SchemaError::Failure(
                content::LoadError::NoSite(root.to_path_buf()).to_string(),
            ));
        }
        return Ok(Generated {
            json: declared(project_schema(None), dialect).to_pretty(),
            note: Some(
                "note : pas de site ici (content/site.yaml introuvable) : le schéma accepte \
                 toute clé de secteur et de public. Pour les vocabulaires d'un site, lancez \
                 `amiris schema --root DOSSIER`."
                    .into(),
            ),
        });
    }
    let site = read_site(&site_path)?;
    Ok(Generated {
        json: declared(project_schema(Some(&site)), dialect).to_pretty(),
        note: None,
    })
}

/// Reads and validates site.yaml; its errors are reported like `amiris check` would.
fn read_site(path: &Path) -> Result<Site, SchemaError> {
    const RELATIVE: &str = "content/site.yaml";
    let too_large = fs::metadata(path).is_ok_and(|m| m.len() > content::MAX_FILE_BYTES);
    if too_large {
        return Err(SchemaError::Failure(format!(
            "{RELATIVE} dépasse la limite de 1 Mo"
        )));
    }
    let bytes = fs::read(path).map_err(|error| {
        SchemaError::Failure(format!(
            "impossible de lire {RELATIVE} : {}",
            content::io_message(&error)
        ))
    })?;
    let file = match content::decode(bytes) {
        Ok(text) => SourceFile {
            path: RELATIVE.into(),
            stem: String::new(),
            text: text.into(),
        },
        Err((line, column, message)) => {
            let problem = Diagnostic {
                severity: Severity::Error,
                code: "encodage",
                file: RELATIVE.into(),
                line,
                column,
                field: None,
                message,
            };
            return Err(SchemaError::Content(diagnostic::to_human(
                &[problem],
                &BTreeMap::new(),
            )));
        }
    };
    let mut checker = Checker::new(RELATIVE);
    let site = validate_site(&file, &mut checker);
    if checker.error_count() > 0 {
        let mut diagnostics = checker.diagnostics;
        diagnostic::sort(&mut diagnostics);
        let sources = BTreeMap::from([(file.path.clone(), file.text.to_string())]);
        return Err(SchemaError::Content(diagnostic::to_human(
            &diagnostics,
            &sources,
        )));
    }
    Ok(site)
}

#[cfg(test)]
mod tests;

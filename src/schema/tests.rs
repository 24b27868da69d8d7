//! The schema checked against the validator: same keys, same required fields, same bounds, and
//! the same verdict on every mutation of a complete project that the schema can express.

use super::*;
use crate::content::{LoadedContent, MediaFile};
use crate::validate;
use serde_json::{Value, json};

const DEMO_SITE: &str = include_str!("../../content/site.yaml");

/// A project using every field, valid for the demonstration site.
fn full_project() -> Value {
    let markers: serde_json::Map<String, Value> = MARKER_KEYS
        .iter()
        .map(|k| (k.to_string(), json!(2.5)))
        .collect();
    json!({
        "titre": "Le Panier solidaire du Cambrésis",
        "resume": "Une épicerie solidaire itinérante qui livre les villages sans commerce.",
        "label": { "annee": 2017, "date": "2017-06-15" },
        "secteurs": ["alimentation", "lien-social"],
        "territoire": { "communes": ["59122"], "departements": ["59"], "echelle": "locale" },
        "stade": "experimentation",
        "publics": ["seniors"],
        "structure": {
            "nom": "Association Le Panier solidaire",
            "forme_juridique": "association",
            "siret": "44306184100047",
            "code_postal": "59400",
            "commune": "Cambrai",
            "site_web": "https://panier-solidaire.example.org",
            "esus": true
        },
        "partenaires": [{ "nom": "CCAS de Cambrai", "role": "collectivite" }],
        "marqueurs": markers,
        "essaimage": { "ouvert": true, "territoires": ["80"] },
        "image": { "src": "medias/panier.jpg", "alt": "Le camion-épicerie sur la place" },
        "contact": { "email": "contact@panier-solidaire.example.org" },
        "mis_a_jour": "2018-01-10",
        "brouillon": false
    })
}

/// The demonstration site's settings, validated.
fn demo_site() -> Site {
    let file = SourceFile {
        path: "content/site.yaml".into(),
        stem: String::new(),
        text: DEMO_SITE.into(),
    };
    let mut checker = Checker::new(&file.path);
    let site = validate_site(&file, &mut checker);
    assert_eq!(checker.error_count(), 0, "{:?}", checker.diagnostics);
    site
}

/// The schema of the demonstration site, as serde_json.
fn demo_schema() -> Value {
    serde_json::from_str(&project_schema(Some(&demo_site())).to_pretty()).expect("json")
}

/// Errors the validator finds in a project whose front matter is `front` (JSON is YAML); those
/// of the demonstration site.yaml (whose logos are not among these medias) do not count.
fn validator_errors(front: &Value) -> Vec<Diagnostic> {
    let text = format!("---\n{front}\n---\n## Contexte\n\nTexte.\n");
    let content = LoadedContent {
        site: Some(SourceFile {
            path: "content/site.yaml".into(),
            stem: String::new(),
            text: DEMO_SITE.into(),
        }),
        projects: vec![SourceFile {
            path: "content/projets/essai.md".into(),
            stem: "essai".into(),
            text: text.into(),
        }],
        medias: vec![MediaFile {
            path: "medias/panier.jpg".into(),
            bytes: vec![0xFF, 0xD8],
        }],
        ..LoadedContent::default()
    };
    validate::validate(&content, 2026)
        .diagnostics
        .into_iter()
        .filter(|d| d.is_error() && d.file == "content/projets/essai.md")
        .collect()
}

/// Messages of the schema's errors for `front`.
fn schema_errors(schema: &Value, front: &Value) -> Vec<String> {
    let validator = jsonschema::draft202012::new(schema).expect("schema compiles");
    validator
        .iter_errors(front)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// The object at a dotted path (`structure`, `partenaires.0`), mutable.
fn at<'a>(value: &'a mut Value, path: &str) -> &'a mut Value {
    path.split('.')
        .filter(|p| !p.is_empty())
        .fold(value, |v, part| match part.parse::<usize>() {
            Ok(i) => &mut v[i],
            Err(_) => &mut v[part],
        })
}

/// The schema of the object at a dotted path (array items through `items`).
fn schema_at<'a>(schema: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .filter(|p| !p.is_empty())
        .fold(schema, |s, part| match part.parse::<usize>() {
            Ok(_) => &s["items"],
            Err(_) => &s["properties"][part],
        })
}

/// Every object of the format, as paths into [`full_project`].
const OBJECTS: &[&str] = &[
    "",
    "label",
    "territoire",
    "structure",
    "partenaires.0",
    "marqueurs",
    "essaimage",
    "image",
    "contact",
];

/// Both verdicts agree on `front`; returns whether it is valid.
fn assert_agree(schema: &Value, front: &Value, what: &str) -> bool {
    let by_validator = validator_errors(front);
    let by_schema = schema_errors(schema, front);
    assert_eq!(
        by_validator.is_empty(),
        by_schema.is_empty(),
        "{what}: validator {:?} / schema {:?}",
        by_validator
            .iter()
            .map(|d| (&d.field, &d.message))
            .collect::<Vec<_>>(),
        by_schema
    );
    by_schema.is_empty()
}

#[test]
fn the_schema_is_a_valid_2020_12_schema() {
    for schema in [
        demo_schema(),
        serde_json::from_str(&project_schema(None).to_pretty()).expect("json"),
    ] {
        assert_eq!(schema["$schema"], DIALECT);
        if let Err(error) = jsonschema::meta::validate(&schema) {
            panic!("not a valid schema: {error}");
        }
    }
}

#[test]
fn the_full_project_is_valid_for_both() {
    let schema = demo_schema();
    assert!(assert_agree(&schema, &full_project(), "full project"));
}

#[test]
fn the_keys_of_every_object_are_the_validators() {
    let schema = demo_schema();
    for path in OBJECTS {
        let mut front = full_project();
        at(&mut front, path)["zz_inconnu"] = json!(1);
        let errors = validator_errors(&front);
        let unknown = errors
            .iter()
            .find(|d| d.code == "champ-inconnu")
            .unwrap_or_else(|| panic!("{path}: no unknown-key error in {errors:?}"));
        let allowed: Vec<&str> = unknown
            .message
            .split("Champs permis ici : ")
            .nth(1)
            .and_then(|rest| rest.strip_suffix('.'))
            .unwrap_or_else(|| panic!("{path}: message changed: {}", unknown.message))
            .split(", ")
            .collect();
        let in_schema = schema_at(&schema, path)["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{path}: no properties"));
        let in_schema: Vec<&str> = in_schema.keys().map(String::as_str).collect();
        let (mut a, mut b) = (allowed.clone(), in_schema.clone());
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "keys of « {path} »");
        assert_eq!(schema_at(&schema, path)["additionalProperties"], false);
        assert!(
            !schema_errors(&schema, &front).is_empty(),
            "{path}: unknown key accepted"
        );
    }
}

#[test]
fn required_and_optional_fields_are_the_validators() {
    let schema = demo_schema();
    for path in OBJECTS {
        let keys: Vec<String> = schema_at(&schema, path)["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .cloned()
            .collect();
        let required: Vec<&str> = schema_at(&schema, path)["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for key in &keys {
            let mut front = full_project();
            at(&mut front, path)
                .as_object_mut()
                .expect("object")
                .remove(key);
            let valid = assert_agree(&schema, &front, &format!("without {path}.{key}"));
            assert_eq!(valid, !required.contains(&key.as_str()), "{path}.{key}");
            // An optional field left empty (null) counts as absent for both.
            if valid {
                let mut front = full_project();
                at(&mut front, path)[key.as_str()] = Value::Null;
                assert!(assert_agree(
                    &schema,
                    &front,
                    &format!("{path}.{key}: null")
                ));
            }
        }
    }
}

#[test]
fn lengths_and_counts_are_the_validators() {
    let schema = demo_schema();
    let fields = [
        ("titre", ""),
        ("resume", ""),
        ("nom", "structure"),
        ("commune", "structure"),
        ("nom", "partenaires.0"),
    ];
    let lengths: Vec<(&str, usize, usize)> = crate::fields::FIELDS
        .iter()
        .filter_map(|f| f.length.map(|(min, max)| (f.path, min, max)))
        .collect();
    assert_eq!(fields.len(), lengths.len());
    for ((key, parent), (name, min, max)) in fields.iter().zip(&lengths) {
        for (length, valid) in [
            (*min, true),
            (min - 1, false),
            (*max, true),
            (max + 1, false),
        ] {
            if length == 0 {
                continue;
            }
            let mut front = full_project();
            at(&mut front, parent)[*key] = json!("é".repeat(length));
            assert_eq!(
                assert_agree(&schema, &front, &format!("{name} of {length}")),
                valid,
                "{name} of {length} characters"
            );
        }
    }
    let sectors = ["alimentation", "lien-social", "mobilite", "habitat"];
    let (fewest, most) = SECTORS_PER_PROJECT;
    for count in fewest - 1..=most + 1 {
        let mut front = full_project();
        front["secteurs"] = json!(sectors[..count]);
        assert_eq!(
            assert_agree(&schema, &front, &format!("{count} sectors")),
            (fewest..=most).contains(&count)
        );
    }
}

#[test]
fn both_agree_on_values_the_schema_can_express() {
    let schema = demo_schema();
    let cases: Vec<(&str, &str, Value, bool)> = vec![
        ("", "stade", json!("lancement"), false),
        ("", "stade", json!("essaimage"), true),
        (
            "",
            "secteurs",
            json!(["alimentation", "alimentation"]),
            false,
        ),
        ("", "secteurs", json!(["inconnu"]), false),
        ("", "secteurs", json!("alimentation"), false),
        ("", "publics", json!(["inconnus"]), false),
        ("", "publics", json!(["seniors", "seniors"]), false),
        ("", "publics", json!([]), true),
        ("", "mis_a_jour", json!("2018-13-01"), false),
        ("", "mis_a_jour", json!("10/01/2018"), false),
        ("", "brouillon", json!("oui"), false),
        ("", "brouillon", json!(true), true),
        ("", "label", json!({ "annee": 2017 }), true),
        ("label", "annee", json!(2009), false),
        ("label", "annee", json!(2010), true),
        ("label", "annee", json!("2017"), false),
        ("label", "annee", json!(2017.5), false),
        ("territoire", "communes", json!([59122]), false),
        ("territoire", "communes", json!(["591"]), false),
        ("territoire", "communes", json!(["59122", "59122"]), false),
        ("territoire", "departements", json!(["2"]), false),
        ("territoire", "departements", json!([59]), false),
        ("territoire", "departements", json!(["75"]), false),
        ("territoire", "departements", json!(["59", "62"]), true),
        ("territoire", "echelle", json!("nationale"), false),
        ("", "territoire", json!({}), false),
        ("", "territoire", json!({ "communes": [] }), false),
        (
            "",
            "territoire",
            json!({ "communes": [], "departements": ["80"] }),
            true,
        ),
        ("", "territoire", json!({ "departements": ["02"] }), true),
        ("", "territoire", json!({ "communes": ["80021"] }), true),
        ("structure", "forme_juridique", json!("ong"), false),
        ("structure", "code_postal", json!(59400), false),
        ("structure", "code_postal", json!("75001"), false),
        ("structure", "siret", json!("4430618410004"), false),
        ("structure", "siret", json!(44306184100047_i64), false),
        ("structure", "site_web", json!("www.example.org"), false),
        ("structure", "site_web", json!("javascript:alert(1)"), false),
        (
            "structure",
            "site_web",
            json!("HTTPS://example.org/a?b=c"),
            true,
        ),
        ("structure", "esus", json!("oui"), false),
        ("partenaires.0", "role", json!("mecene"), false),
        ("", "partenaires", json!([]), true),
        ("", "partenaires", json!({ "nom": "x" }), false),
        ("marqueurs", "gouvernance", json!(3.5), false),
        ("marqueurs", "gouvernance", json!(2.4), false),
        ("marqueurs", "gouvernance", json!(-0.5), false),
        ("marqueurs", "gouvernance", json!("2"), false),
        ("marqueurs", "gouvernance", json!(3.0), true),
        ("marqueurs", "gouvernance", json!(0), true),
        ("marqueurs", "gouvernance", Value::Null, true),
        ("essaimage", "territoires", json!(["20"]), false),
        ("essaimage", "territoires", json!(["2A", "974", "13"]), true),
        ("essaimage", "territoires", json!([80]), false),
        ("essaimage", "ouvert", json!(1), false),
        ("image", "src", json!("../../etc/passwd"), false),
        ("image", "src", json!("/etc/passwd"), false),
        ("image", "src", json!("./medias/panier.jpg"), true),
        ("image", "alt", json!(""), false),
        ("contact", "email", json!("pas-une-adresse"), false),
        ("contact", "email", json!("contact@localhost"), false),
    ];
    let draft_07: Value = serde_json::from_str(
        &declared(project_schema(Some(&demo_site())), Dialect::Draft07).to_pretty(),
    )
    .expect("json");
    assert_eq!(draft_07["$schema"], DIALECT_07);
    let draft_07 = jsonschema::draft7::new(&draft_07).expect("a valid draft-07 schema");
    for (parent, key, value, valid) in cases {
        let mut front = full_project();
        at(&mut front, parent)[key] = value.clone();
        let what = format!("{parent}.{key} = {value}");
        assert_eq!(assert_agree(&schema, &front, &what), valid, "{what}");
        assert_eq!(draft_07.is_valid(&front), valid, "draft-07: {what}");
    }
}

#[test]
fn the_documented_differences_are_the_only_known_ones() {
    // The schema is stricter on text written as a number and on blank optional fields: both
    // are accepted by `amiris check`, flagged in the editor (see the module doc).
    let schema = demo_schema();
    let mut front = full_project();
    front["titre"] = json!(2017);
    assert!(validator_errors(&front).is_empty());
    assert!(!schema_errors(&schema, &front).is_empty());
    let mut front = full_project();
    front["structure"]["siret"] = json!("");
    assert!(validator_errors(&front).is_empty());
    assert!(!schema_errors(&schema, &front).is_empty());
    // And looser where only the reference data or the files can tell.
    for (parent, key, value) in [
        ("structure", "siret", json!("44306184100048")),
        ("territoire", "communes", json!(["59999"])),
        ("image", "src", json!("medias/absente.jpg")),
        ("label", "annee", json!(2099)),
    ] {
        let mut front = full_project();
        at(&mut front, parent)[key] = value;
        assert!(!validator_errors(&front).is_empty(), "{parent}.{key}");
        assert!(schema_errors(&schema, &front).is_empty(), "{parent}.{key}");
    }
}

#[test]
fn codes_patterns_cover_the_region() {
    let schema = demo_schema();
    let commune = &schema["properties"]["territoire"]["properties"]["communes"]["items"];
    let postal = &schema["properties"]["structure"]["properties"]["code_postal"];
    let commune = jsonschema::draft202012::new(commune).expect("compiles");
    let postal = jsonschema::draft202012::new(postal).expect("compiles");
    let territories = Territories::region();
    assert!(territories.communes().len() > 3000);
    for c in territories.communes() {
        assert!(commune.is_valid(&json!(c.code)), "commune {}", c.code);
        for code in &c.postal_codes {
            assert!(postal.is_valid(&json!(code)), "postal code {code}");
        }
    }
    assert!(!commune.is_valid(&json!("75056")) && !postal.is_valid(&json!("75001")));
}

#[test]
fn french_departments_are_the_validators() {
    let codes = french_department_codes();
    assert_eq!(codes.len(), 101);
    assert!(codes.iter().any(|(c, n)| c == "2A" && *n == "Corse-du-Sud"));
    assert!(codes.iter().any(|(c, _)| c == "976"));
    assert!(!codes.iter().any(|(c, _)| c == "20" || c == "975"));
}

#[test]
fn scores_are_written_as_authors_type_them() {
    let mut site = demo_site();
    site.scale = Scale {
        min: 0.0,
        max: 1.0,
        step: 0.1,
    };
    let schema = project_schema(Some(&site)).to_pretty();
    assert!(schema.contains("0.3,"), "0.1 * 3 printed as typed");
    assert!(!schema.contains("0.30000000000000004"));
    assert_eq!(score(3.0), Json::Int(3));
    assert_eq!(score(2.5), Json::Num(2.5));
}

#[test]
fn vocabularies_follow_the_site() {
    let with_site = demo_schema();
    let sectors = &with_site["properties"]["secteurs"]["items"]["enum"];
    let site = demo_site();
    assert_eq!(
        sectors.as_array().map(Vec::len),
        Some(site.sectors.len()),
        "every sector of site.yaml"
    );
    let without: Value = serde_json::from_str(&project_schema(None).to_pretty()).expect("json");
    let item = &without["properties"]["secteurs"]["items"];
    assert!(item.get("enum").is_none());
    let item = jsonschema::draft202012::new(item).expect("compiles");
    assert!(item.is_valid(&json!("n-importe-quelle-cle")));
    assert!(!item.is_valid(&json!("Pas une clé")));
    let mut site = demo_site();
    site.publics.clear();
    let no_publics: Value =
        serde_json::from_str(&project_schema(Some(&site)).to_pretty()).expect("json");
    assert_eq!(no_publics["properties"]["publics"]["maxItems"], 0);
}

#[test]
fn output_is_deterministic_and_ordered_like_the_spec() {
    let site = demo_site();
    let first = project_schema(Some(&site)).to_pretty();
    assert_eq!(first, project_schema(Some(&site)).to_pretty());
    let titre = first.find("\"titre\": {").expect("titre");
    let brouillon = first.find("\"brouillon\": {").expect("brouillon");
    assert!(first.starts_with("{\n  \"$schema\""));
    assert!(titre < brouillon, "properties in the spec's order");
    let markers = &project_schema(Some(&site));
    let marker_keys: Vec<&str> = match markers
        .get("properties")
        .and_then(|p| p.get("marqueurs"))
        .and_then(|m| m.get("properties"))
    {
        Some(Json::Obj(entries)) => entries.iter().map(|(k, _)| k.as_str()).collect(),
        other => panic!("markers: {other:?}"),
    };
    assert_eq!(marker_keys, MARKER_KEYS);
}

/// Every object key once (JSON parsers disagree on duplicates).
fn assert_unique_keys(value: &Json, path: &str) {
    match value {
        Json::Obj(entries) => {
            let mut keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
            keys.sort_unstable();
            let count = keys.len();
            keys.dedup();
            assert_eq!(keys.len(), count, "duplicate key in {path}");
            for (key, child) in entries {
                assert_unique_keys(child, &format!("{path}/{key}"));
            }
        }
        Json::Arr(items) => items.iter().for_each(|item| assert_unique_keys(item, path)),
        _ => {}
    }
}

#[test]
fn no_object_repeats_a_key() {
    assert_unique_keys(&project_schema(Some(&demo_site())), "");
    assert_unique_keys(&project_schema(None), "");
}

/// The schema of the field at a specification path (`partenaires[].nom`, `marqueurs.<clé>`
/// as its first marker).
fn schema_of_field<'s>(schema: &'s Value, path: &str) -> &'s Value {
    let mut node = schema;
    for part in path.split('.') {
        let (key, items) = match part.strip_suffix("[]") {
            Some(key) => (key, true),
            None => (part, false),
        };
        let key = if key == "<clé>" { MARKER_KEYS[0] } else { key };
        node = &node["properties"][key];
        assert!(!node.is_null(), "{path}: no property {key}");
        if items {
            node = &node["items"];
        }
    }
    node
}

#[test]
fn every_field_of_the_specification_is_in_the_schema() {
    let schema = demo_schema();
    for field in crate::fields::FIELDS {
        let node = schema_of_field(&schema, field.path);
        // The editor's hover is the specification's title and description (the markers have
        // the site's own names and definitions).
        if !field.path.starts_with("marqueurs.") {
            assert_eq!(node["title"], json!(field.title), "{}", field.path);
            assert_eq!(
                node["description"],
                json!(field.description()),
                "{}",
                field.path
            );
        }
        // Required keys are listed as such by their block, optional ones are not.
        let parent = if field.parent().is_empty() {
            &schema
        } else {
            let parent = schema_of_field(&schema, field.parent().trim_end_matches("[]"));
            if field.parent().ends_with("[]") {
                &parent["items"]
            } else {
                parent
            }
        };
        let key = if field.key() == "<clé>" {
            MARKER_KEYS[0]
        } else {
            field.key()
        };
        let listed = parent["required"]
            .as_array()
            .is_some_and(|r| r.iter().any(|k| k == key));
        assert_eq!(listed, field.required, "{}: required", field.path);
        if let Some((min, max)) = field.length {
            assert_eq!(node["minLength"], json!(min), "{}", field.path);
            assert_eq!(node["maxLength"], json!(max), "{}", field.path);
            // The editor's hover text says the same bound.
            let description = node["description"].as_str().unwrap_or_default();
            assert!(
                description.contains(&format!("{max} caractères")),
                "{}: {description}",
                field.path
            );
        }
    }
    // And nothing more: each block has exactly the specified keys.
    for block in [
        "",
        "label",
        "territoire",
        "structure",
        "essaimage",
        "image",
        "contact",
    ] {
        let node = if block.is_empty() {
            &schema
        } else {
            schema_of_field(&schema, block)
        };
        let keys: Vec<&str> = node["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .map(String::as_str)
            .collect();
        let mut specified = crate::fields::keys_of(block);
        specified.sort_unstable();
        assert_eq!(keys, specified, "{block}");
    }
}

#[test]
fn the_validator_checks_the_shape_of_every_specified_field() {
    // Every field, its value replaced by a list of lists (a shape no field accepts), is refused
    // by the validator with an error on that field: a field added to the specification but
    // not checked fails here.
    for field in crate::fields::FIELDS {
        let concrete = field
            .path
            .replace("[]", ".0")
            .replace("<clé>", MARKER_KEYS[0]);
        let (parent, key) = concrete.rsplit_once('.').unwrap_or(("", concrete.as_str()));
        let mut front = full_project();
        at(&mut front, parent)[key] = json!([[1]]);
        let shown = concrete.replace(".0", "[0]");
        let errors = validator_errors(&front);
        assert!(
            errors
                .iter()
                .any(|d| d.field.as_deref().is_some_and(|f| f.starts_with(&shown))),
            "{}: no error on {shown} in {errors:#?}",
            field.path
        );
    }
}

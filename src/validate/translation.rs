//! Validation of translations (`content/projets/<slug>.<code>.md`, `content/pages/<slug>.<code>.md`): their language, their original, their translatable fields, their sections.

use super::fields::{Checker, bounded_text, specified_text, text};
use super::project::{alternative_text, check_body_in};
use crate::content::SourceFile;
use crate::model::{PageTranslation, ProjectTranslation, canonical_sections};
use crate::yaml::{Node, Pos, Value};
use std::collections::BTreeSet;

/// Keys a project translation may give: the texts a reader reads (everything else comes from
/// the project itself).
const PROJECT_KEYS: &[&str] = &["titre", "resume", "image"];

/// Keys a free page translation may give.
const PAGE_KEYS: &[&str] = &["titre", "resume"];

/// The slug and language of a translation's file name (`panier.en` -> `panier`, `en`); `None`
/// for a file of the default language.
pub fn translation_of(stem: &str) -> Option<(&str, &str)> {
    let (slug, language) = stem.rsplit_once('.')?;
    (!slug.is_empty() && language.len() == 2 && language.bytes().all(|b| b.is_ascii_lowercase()))
        .then_some((slug, language))
}

/// What a translation is checked against.
pub struct TranslationContext<'c> {
    /// The site's languages, the default first.
    pub languages: &'c [&'c str],
    /// Slugs of the files in the default language, in the same folder.
    pub originals: &'c BTreeSet<&'c str>,
    /// `projet` or `page`, for messages.
    pub what: &'static str,
}

/// Checks that a translation's language is one of the site's other languages and that its
/// original exists; reports at the top of the file.
fn check_language_and_original(
    file: &SourceFile,
    slug: &str,
    language: &str,
    context: &TranslationContext<'_>,
    checker: &mut Checker<'_>,
) -> bool {
    let top = Pos { line: 1, column: 1 };
    let default = context.languages.first().copied().unwrap_or("fr");
    let folder = file.path.rsplit_once('/').map_or("", |(folder, _)| folder);
    if language == default {
        checker.error(
            "traduction",
            top,
            "",
            format!(
                "« {language} » est la langue par défaut du site : son texte s'écrit dans {folder}/{slug}.md, pas dans une traduction"
            ),
        );
        return false;
    }
    if !context.languages.contains(&language) {
        checker.error(
            "traduction",
            top,
            "",
            format!(
                "traduction en « {language} », qui n'est pas une langue du site (langues : {}) : ajoutez-la à « langues » dans content/site.yaml, ou retirez ce fichier",
                context.languages.join(", ")
            ),
        );
        return false;
    }
    if !context.originals.contains(slug) {
        checker.error(
            "traduction",
            top,
            "",
            format!(
                "traduction sans original : il n'y a pas de {} {folder}/{slug}.md à traduire (le nom du fichier doit être celui de l'original, suivi de .{language}.md)",
                context.what
            ),
        );
        return false;
    }
    true
}

/// Reports every key of `root` not in `allowed`: a field of the original (not translatable:
/// it comes from the original) or an unknown one.
fn check_keys(checker: &mut Checker<'_>, root: &Node, allowed: &[&str], originals: &[&str]) {
    let Some(entries) = root.as_map() else {
        return;
    };
    for (key, _) in entries {
        if allowed.contains(&key.name.as_str()) {
            continue;
        }
        let message = if originals.contains(&key.name.as_str()) {
            format!(
                "« {} » ne se traduit pas : il vient du fichier en langue par défaut. Une traduction ne donne que {}",
                key.name,
                allowed.join(", ")
            )
        } else {
            format!(
                "champ inconnu « {} » : une traduction ne donne que {}",
                key.name,
                allowed.join(", ")
            )
        };
        checker.error("non-traduisible", key.pos, &key.name, message);
    }
}

/// Validates a project translation; returns it when the file has no error.
pub fn validate_project_translation(
    file: &SourceFile,
    slug: &str,
    language: &str,
    context: &TranslationContext<'_>,
    checker: &mut Checker<'_>,
) -> Option<ProjectTranslation> {
    let errors_before = checker.error_count();
    if !check_language_and_original(file, slug, language, context, checker) {
        return None;
    }
    let (root, body, body_line) = super::parse_document(file, checker)?;
    check_keys(checker, &root, PROJECT_KEYS, &crate::fields::keys_of(""));
    let get = |key: &str| {
        root.as_map()
            .and_then(|entries| entries.iter().find(|(k, _)| k.name == key))
            .map(|(k, n)| (k, n))
    };
    let required = |checker: &mut Checker<'_>, key: &str| {
        let found = get(key);
        if found.is_none() {
            checker.error(
                "champ-requis",
                Pos { line: 1, column: 1 },
                key,
                format!("le champ « {key} » manque : une traduction donne le {key} traduit"),
            );
        }
        found.and_then(|(_, n)| specified_text(checker, n, key))
    };
    let title = required(checker, "titre");
    let summary = required(checker, "resume");
    let mut image_alt = None;
    if let Some((key, node)) = get("image") {
        match node.as_map() {
            Some(entries) => {
                for (k, n) in entries {
                    if k.name == "alt" {
                        image_alt = alternative_text(checker, n, "image.alt");
                    } else {
                        checker.error(
                            "non-traduisible",
                            k.pos,
                            &format!("image.{}", k.name),
                            format!(
                                "« image.{} » ne se traduit pas : l'image vient du fichier en langue par défaut ; une traduction ne donne que image.alt",
                                k.name
                            ),
                        );
                    }
                }
            }
            None => checker.error(
                "type",
                key.pos,
                "image",
                "« image » doit être un bloc avec « alt » : le texte alternatif traduit",
            ),
        }
    }
    check_body_in(
        checker,
        body,
        body_line,
        false,
        canonical_sections(language),
    );
    if checker.error_count() > errors_before {
        return None;
    }
    Some(ProjectTranslation {
        language: language.to_string(),
        slug: slug.to_string(),
        source: file.path.clone(),
        title: title?,
        summary: summary?,
        image_alt,
        body: body.to_string(),
    })
}

/// Validates a free page translation; returns it when the file has no error.
pub fn validate_page_translation(
    file: &SourceFile,
    slug: &str,
    language: &str,
    context: &TranslationContext<'_>,
    checker: &mut Checker<'_>,
) -> Option<PageTranslation> {
    let errors_before = checker.error_count();
    if !check_language_and_original(file, slug, language, context, checker) {
        return None;
    }
    let (root, body, _) = super::parse_document(file, checker)?;
    check_keys(
        checker,
        &root,
        PAGE_KEYS,
        &["titre", "resume", "ordre", "brouillon"],
    );
    let entries = root.as_map().unwrap_or(&[]);
    let get = |key: &str| entries.iter().find(|(k, _)| k.name == key);
    let title = match get("titre") {
        Some((_, n)) => bounded_text(checker, n, "titre", 1, 150),
        None => {
            checker.error(
                "champ-requis",
                Pos { line: 1, column: 1 },
                "titre",
                "le champ « titre » manque : une traduction donne le titre traduit",
            );
            None
        }
    };
    let summary = get("resume").and_then(|(_, n)| match &n.value {
        Value::Null => None,
        _ => text(checker, n, "resume"),
    });
    if checker.error_count() > errors_before {
        return None;
    }
    Some(PageTranslation {
        language: language.to_string(),
        slug: slug.to_string(),
        source: file.path.clone(),
        title: title?,
        summary,
        body: body.to_string(),
    })
}

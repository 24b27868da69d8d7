//! The theme's texts per language (`i18n/<code>.yaml`): interface texts for templates, the markers' names and explanations, the labels of the closed vocabularies.
//!
//! The default theme embeds `fr.yaml` and `en.yaml`; a site's theme may give its own
//! `i18n/<code>.yaml`, which overrides the default texts key by key (like templates, file by
//! file). Every language falls back to French for a key it does not give. Texts are loaded once
//! per build; templates read the interface texts as `t` (HTML, like the templates themselves)
//! and fill their `{name}` holes with the `avec` filter.

use super::RenderError;
use crate::model::{LegalForm, MARKER_KEYS, PartnerRole, Scope, Stage};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use tera::{Kwargs, State, TeraResult, Value};

/// The language whose texts every other one falls back to.
pub const DEFAULT_LANGUAGE: &str = "fr";

/// Text files of the default theme, by language code.
const DEFAULT_TEXTS: &[(&str, &str)] = &[
    ("fr", include_str!("../../themes/default/i18n/fr.yaml")),
    ("en", include_str!("../../themes/default/i18n/en.yaml")),
];

/// One interface text: a single form, or forms chosen by a number.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    /// The same text whatever the number.
    One(String),
    /// Forms by number: `un` for 1, `plusieurs` for 2 and more, `zero` for 0 (`un` if absent).
    Counted {
        /// 1 (and 0 without `zero`).
        un: String,
        /// 2 and more.
        plusieurs: String,
        /// 0, when the language says it otherwise than 1.
        #[serde(default)]
        zero: Option<String>,
    },
}

/// A marker's name and explanation in one language.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkerText {
    /// Name.
    #[serde(default)]
    pub nom: Option<String>,
    /// Short explanation.
    #[serde(default)]
    pub aide: Option<String>,
}

/// One `i18n/<code>.yaml` file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TextsFile {
    #[serde(default)]
    interface: BTreeMap<String, Entry>,
    #[serde(default)]
    marqueurs: BTreeMap<String, MarkerText>,
    #[serde(default)]
    stades: BTreeMap<String, String>,
    #[serde(default)]
    echelles: BTreeMap<String, String>,
    #[serde(default)]
    formes_juridiques: BTreeMap<String, String>,
    #[serde(default)]
    roles: BTreeMap<String, String>,
}

/// The texts of one language, complete (missing keys taken from French).
#[derive(Debug, Clone)]
pub struct LanguageTexts {
    /// Interface texts by key.
    pub interface: BTreeMap<String, Entry>,
    /// Markers' names and explanations by marker key.
    pub markers: BTreeMap<String, MarkerText>,
    stages: BTreeMap<String, String>,
    scopes: BTreeMap<String, String>,
    legal_forms: BTreeMap<String, String>,
    roles: BTreeMap<String, String>,
    /// `interface` as the template variable `t` (every text marked safe: it is HTML).
    value: Value,
}

impl LanguageTexts {
    /// The template variable `t`.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// An interface text with one form (the `un` form of a counted one); the key itself when
    /// unknown, so that a missing text shows rather than breaks the page.
    pub fn text<'t>(&'t self, key: &'t str) -> &'t str {
        match self.interface.get(key) {
            Some(Entry::One(text)) => text,
            Some(Entry::Counted { un, .. }) => un,
            None => key,
        }
    }

    /// An interface text in its form for `n` (see [`Entry`]), each `{name}` hole filled with
    /// the value given for it as is, `{n}` with `n` in plain digits: for texts the render stage
    /// writes itself (titles, breadcrumbs, radar descriptions), which templates then escape.
    pub fn fill(&self, key: &str, n: Option<usize>, holes: &[(&str, &str)]) -> String {
        let mut text = match (self.interface.get(key), n) {
            (Some(Entry::One(text)), _) => text.clone(),
            (Some(Entry::Counted { un, zero, .. }), Some(0)) => {
                zero.clone().unwrap_or_else(|| un.clone())
            }
            (Some(Entry::Counted { plusieurs, .. }), Some(n)) if n > 1 => plusieurs.clone(),
            (Some(Entry::Counted { un, .. }), _) => un.clone(),
            (None, _) => key.to_string(),
        };
        if let Some(n) = n {
            text = text.replace("{n}", &n.to_string());
        }
        for (name, value) in holes {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// Name of the marker at `axis` (in the order of [`MARKER_KEYS`]).
    pub fn marker_name(&self, axis: usize) -> Option<&str> {
        let key = MARKER_KEYS.get(axis)?;
        self.markers.get(*key)?.nom.as_deref()
    }

    /// Explanation of the marker at `axis`.
    pub fn marker_help(&self, axis: usize) -> Option<&str> {
        let key = MARKER_KEYS.get(axis)?;
        self.markers.get(*key)?.aide.as_deref()
    }

    /// Label of a development stage.
    pub fn stage(&self, stage: Stage) -> &str {
        label(&self.stages, stage.key(), stage.label())
    }

    /// Label of a scale of action.
    pub fn scope(&self, scope: Scope) -> &str {
        label(&self.scopes, scope.key(), scope.label())
    }

    /// Label of a legal form.
    pub fn legal_form(&self, form: LegalForm) -> &str {
        label(&self.legal_forms, form.key(), form.label())
    }

    /// Label of a partner's role.
    pub fn role(&self, role: PartnerRole) -> &str {
        label(&self.roles, role.key(), role.label())
    }
}

/// The label of `key` in `labels`, else `default` (the model's French label).
fn label<'t>(labels: &'t BTreeMap<String, String>, key: &str, default: &'t str) -> &'t str {
    labels.get(key).map_or(default, String::as_str)
}

/// An interface text (HTML) as plain text, for what is not HTML: the texts catalogue.js
/// writes with `textContent`, JSON-LD.
pub fn plain_text(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// The texts of every language the theme knows.
#[derive(Debug, Clone)]
pub struct Texts {
    languages: BTreeMap<String, LanguageTexts>,
    fingerprint: u64,
}

impl Texts {
    /// The default theme's texts, overridden key by key by `theme_dir/i18n/<code>.yaml`.
    pub fn load(theme_dir: Option<&Path>) -> Result<Texts, RenderError> {
        let mut files: BTreeMap<String, TextsFile> = BTreeMap::new();
        let mut sources: Vec<(String, String)> = Vec::new();
        for (code, text) in DEFAULT_TEXTS {
            let file = parse(
                text,
                &format!("i18n/{code}.yaml (thème par défaut intégré)"),
            )?;
            files.insert(code.to_string(), file);
            sources.push((code.to_string(), text.to_string()));
        }
        let defaults = KeySets {
            interface: files
                .get(DEFAULT_LANGUAGE)
                .map(|f| f.interface.keys().cloned().collect())
                .unwrap_or_default(),
        };
        if let Some(dir) = theme_dir {
            let dir = dir.join("i18n");
            if dir.is_dir() {
                let mut paths: Vec<_> = std::fs::read_dir(&dir)
                    .map_err(|source| RenderError::ThemeRead {
                        path: dir.clone(),
                        source,
                    })?
                    .filter_map(Result::ok)
                    .map(|entry| entry.path())
                    .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
                    .collect();
                paths.sort();
                for path in paths {
                    let Some(code) = path.file_stem().and_then(|s| s.to_str()) else {
                        continue;
                    };
                    let text = std::fs::read_to_string(&path).map_err(|source| {
                        RenderError::ThemeRead {
                            path: path.clone(),
                            source,
                        }
                    })?;
                    let file = parse(&text, &path.display().to_string())?;
                    check_keys(&file, &defaults, &path.display().to_string())?;
                    sources.push((code.to_string(), text.clone()));
                    let base = files.entry(code.to_string()).or_default();
                    base.overlay(file);
                }
            }
        }
        let french = files.remove(DEFAULT_LANGUAGE).unwrap_or_default();
        let mut languages = BTreeMap::new();
        for (code, mut file) in files {
            file.fill_from(&french);
            languages.insert(code, LanguageTexts::from(file));
        }
        languages.insert(DEFAULT_LANGUAGE.to_string(), LanguageTexts::from(french));
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            sources.hash(&mut hasher);
            hasher.finish()
        };
        Ok(Texts {
            languages,
            fingerprint,
        })
    }

    /// The texts of `code` (French for a language the theme does not know).
    pub fn language(&self, code: &str) -> &LanguageTexts {
        self.languages
            .get(code)
            .or_else(|| self.languages.get(DEFAULT_LANGUAGE))
            .expect("the default theme has French texts")
    }

    /// Hash of every text file read.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
}

/// The key sets of the default texts, to check a site's overrides against.
struct KeySets {
    interface: Vec<String>,
}

impl TextsFile {
    /// Replaces this file's texts by those `other` gives.
    fn overlay(&mut self, other: TextsFile) {
        self.interface.extend(other.interface);
        for (key, text) in other.marqueurs {
            let marker = self.marqueurs.entry(key).or_default();
            if text.nom.is_some() {
                marker.nom = text.nom;
            }
            if text.aide.is_some() {
                marker.aide = text.aide;
            }
        }
        self.stades.extend(other.stades);
        self.echelles.extend(other.echelles);
        self.formes_juridiques.extend(other.formes_juridiques);
        self.roles.extend(other.roles);
    }

    /// Takes from `base` every text this file does not give.
    fn fill_from(&mut self, base: &TextsFile) {
        fn fill<V: Clone>(map: &mut BTreeMap<String, V>, base: &BTreeMap<String, V>) {
            for (key, value) in base {
                map.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
        fill(&mut self.interface, &base.interface);
        for (key, text) in &base.marqueurs {
            let marker = self.marqueurs.entry(key.clone()).or_default();
            if marker.nom.is_none() {
                marker.nom = text.nom.clone();
            }
            if marker.aide.is_none() {
                marker.aide = text.aide.clone();
            }
        }
        fill(&mut self.stades, &base.stades);
        fill(&mut self.echelles, &base.echelles);
        fill(&mut self.formes_juridiques, &base.formes_juridiques);
        fill(&mut self.roles, &base.roles);
    }
}

impl From<TextsFile> for LanguageTexts {
    fn from(file: TextsFile) -> LanguageTexts {
        let mut map = tera::Map::new();
        for (key, entry) in &file.interface {
            let value = match entry {
                Entry::One(text) => Value::safe_string(text),
                Entry::Counted {
                    un,
                    plusieurs,
                    zero,
                } => {
                    let mut forms = tera::Map::new();
                    forms.insert("un".into(), Value::safe_string(un));
                    forms.insert("plusieurs".into(), Value::safe_string(plusieurs));
                    if let Some(zero) = zero {
                        forms.insert("zero".into(), Value::safe_string(zero));
                    }
                    Value::from(forms)
                }
            };
            map.insert(key.clone().into(), value);
        }
        LanguageTexts {
            value: Value::from(map),
            interface: file.interface,
            markers: file.marqueurs,
            stages: file.stades,
            scopes: file.echelles,
            legal_forms: file.formes_juridiques,
            roles: file.roles,
        }
    }
}

/// Parses a texts file; `origin` names it in the error.
fn parse(text: &str, origin: &str) -> Result<TextsFile, RenderError> {
    serde_saphyr::from_str::<TextsFile>(text).map_err(|error| RenderError::ThemeTexts {
        origin: origin.to_string(),
        message: error.to_string(),
    })
}

/// Refuses an interface key the default theme does not have (a typo would otherwise be
/// silently ignored), and a marker or vocabulary key that does not exist.
fn check_keys(file: &TextsFile, defaults: &KeySets, origin: &str) -> Result<(), RenderError> {
    let unknown = |kind: &str, key: &str, known: &[&str]| {
        let hint = crate::text::closest(key, known.iter().copied())
            .map(|close| format!(" Vouliez-vous dire « {close} » ?"))
            .unwrap_or_default();
        RenderError::ThemeTexts {
            origin: origin.to_string(),
            message: format!("{kind} : clé inconnue « {key} ».{hint}"),
        }
    };
    let interface: Vec<&str> = defaults.interface.iter().map(String::as_str).collect();
    for key in file.interface.keys() {
        if !interface.contains(&key.as_str()) {
            return Err(unknown("interface", key, &interface));
        }
    }
    for key in file.marqueurs.keys() {
        if !MARKER_KEYS.contains(&key.as_str()) {
            return Err(unknown("marqueurs", key, &MARKER_KEYS));
        }
    }
    for (kind, map, known) in [
        ("stades", &file.stades, Stage::KEYS),
        ("echelles", &file.echelles, Scope::KEYS),
        (
            "formes_juridiques",
            &file.formes_juridiques,
            LegalForm::KEYS,
        ),
        ("roles", &file.roles, PartnerRole::KEYS),
    ] {
        for key in map.keys() {
            if !known.contains(&key.as_str()) {
                return Err(unknown(kind, key, known));
            }
        }
    }
    Ok(())
}

/// `{{ t.cle | avec(n=3, nom=x) }}`: the text (for a counted text, its form for `n`) with each
/// `{name}` hole filled by the argument of that name, escaped (the text itself is the theme's
/// HTML); `{n}` is written with digit grouping. The result is marked safe.
pub fn avec(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let n = kwargs.get::<i64>("n")?;
    let form = match value.as_map() {
        Some(forms) => {
            let pick = |name: &str| {
                forms
                    .get(&tera::value::Key::Str(name))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            let chosen = match n {
                Some(0) => pick("zero").or_else(|| pick("un")),
                Some(1) => pick("un"),
                Some(_) => pick("plusieurs"),
                None => pick("un"),
            };
            chosen.ok_or_else(|| {
                tera::Error::message("avec : texte à formes sans « un » ni « plusieurs »")
            })?
        }
        None => value.as_str().map(str::to_string).ok_or_else(|| {
            tera::Error::message(format!(
                "avec : un texte était attendu, pas « {value} » (clé absente des textes du thème ?)"
            ))
        })?,
    };
    let mut out = form;
    for (key, arg) in kwargs.iter() {
        let Some(name) = key.as_str() else { continue };
        let replacement = if name == "n" {
            super::theme::french_number(n.unwrap_or_default())
        } else {
            crate::escape::html(&arg.to_string()).into_owned()
        };
        out = out.replace(&format!("{{{name}}}"), &replacement);
    }
    Ok(Value::safe_string(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_languages_have_the_same_keys() {
        let fr: TextsFile = serde_saphyr::from_str(DEFAULT_TEXTS[0].1).expect("fr.yaml");
        let en: TextsFile = serde_saphyr::from_str(DEFAULT_TEXTS[1].1).expect("en.yaml");
        let keys = |f: &TextsFile| f.interface.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&fr), keys(&en));
        assert_eq!(fr.marqueurs.len(), MARKER_KEYS.len());
        assert_eq!(en.marqueurs.len(), MARKER_KEYS.len());
        for (kind, map) in [("stades", &en.stades), ("echelles", &en.echelles)] {
            assert!(!map.is_empty(), "{kind}");
        }
        // English counted texts say 0 in the plural: each gives its zero form.
        for (key, entry) in &en.interface {
            if let Entry::Counted { zero, .. } = entry {
                assert!(zero.is_some(), "en.yaml: {key} has no zero form");
            }
        }
    }

    #[test]
    fn french_texts_match_the_model_labels() {
        let texts = Texts::load(None).expect("textes");
        let fr = texts.language("fr");
        for (axis, label) in crate::model::MARKER_LABELS.iter().enumerate() {
            assert_eq!(fr.marker_name(axis), Some(*label));
            assert_eq!(fr.marker_help(axis), Some(crate::model::MARKER_HELP[axis]));
        }
        for stage in Stage::ALL {
            assert_eq!(fr.stage(*stage), stage.label());
        }
        for scope in Scope::ALL {
            assert_eq!(fr.scope(*scope), scope.label());
        }
        for form in LegalForm::ALL {
            assert_eq!(fr.legal_form(*form), form.label());
        }
        for role in PartnerRole::ALL {
            assert_eq!(fr.role(*role), role.label());
        }
        assert_eq!(texts.language("en").stage(Stage::Emergence), "Emergence");
        assert_eq!(texts.language("xx").text("accueil"), "Accueil");
    }

    #[test]
    fn a_site_theme_overrides_key_by_key_and_refuses_unknown_keys() {
        let dir = tempfile::tempdir().expect("dossier temporaire");
        std::fs::create_dir_all(dir.path().join("i18n")).expect("dossier");
        std::fs::write(
            dir.path().join("i18n/fr.yaml"),
            "interface:\n  accueil: \"Départ\"\nmarqueurs:\n  gouvernance:\n    nom: \"Décider ensemble\"\n",
        )
        .expect("écriture");
        std::fs::write(
            dir.path().join("i18n/de.yaml"),
            "interface:\n  accueil: \"Startseite\"\n",
        )
        .expect("écriture");
        let texts = Texts::load(Some(dir.path())).expect("textes");
        let fr = texts.language("fr");
        assert_eq!(fr.text("accueil"), "Départ");
        assert_eq!(fr.text("rechercher"), "Rechercher");
        assert_eq!(fr.marker_name(6), Some("Décider ensemble"));
        assert_eq!(
            fr.marker_help(6),
            Some(crate::model::MARKER_HELP[6]),
            "the explanation stays"
        );
        let de = texts.language("de");
        assert_eq!(de.text("accueil"), "Startseite");
        assert_eq!(de.text("rechercher"), "Rechercher", "falls back to French");

        std::fs::write(
            dir.path().join("i18n/fr.yaml"),
            "interface:\n  acceuil: \"Départ\"\n",
        )
        .expect("écriture");
        let error = Texts::load(Some(dir.path())).unwrap_err().to_string();
        assert!(error.contains("« acceuil »"), "{error}");
        assert!(error.contains("Vouliez-vous dire « accueil »"), "{error}");
        assert!(error.contains("fr.yaml"), "{error}");

        std::fs::write(dir.path().join("i18n/fr.yaml"), "interface: [\n").expect("écriture");
        let error = Texts::load(Some(dir.path())).unwrap_err().to_string();
        assert!(error.contains("fr.yaml"), "{error}");
    }

    #[test]
    fn avec_fills_holes_and_picks_forms() {
        let texts = Texts::load(None).expect("textes");
        let mut tera = tera::Tera::new();
        tera.register_filter("avec", avec);
        tera.add_raw_template(
            "t.html",
            "{{ t.n_projets | avec(n=0) }}|{{ t.n_projets | avec(n=1) }}|{{ t.n_projets | avec(n=12345) }}|{{ t.labellise_en | avec(annee=\"<b>\") }}",
        )
        .expect("gabarit");
        let mut context = tera::Context::new();
        context.insert_value("t", texts.language("fr").value().clone());
        assert_eq!(
            tera.render("t.html", &context).expect("rendu"),
            "0 projet|1 projet|12\u{202f}345 projets|Labellisé en &lt;b&gt;"
        );
        context.insert_value("t", texts.language("en").value().clone());
        let english = tera.render("t.html", &context).expect("rendu");
        assert!(english.starts_with("0 projects|1 project|"), "{english}");
    }
}

//! Validation of `content/site.yaml` and of free pages (`content/pages/*.md`).

use super::fields::{Checker, Fields, boolean, bounded_text, integer, list, number, text};
use super::project::{alternative_text, checked_url, media_path, sized_image};
use super::rules::site_url_is_valid;
use crate::content::SourceFile;
use crate::media::Medias;
use crate::model::{
    Image, MARKER_HELP, MARKER_KEYS, MARKER_LABELS, MarkerInfo, Operator, Page, Public, Scale,
    Sector, Site, SitePartner, SiteTranslation,
};
use crate::text::is_slug;
use crate::yaml::{self, Key, Node, Pos};

/// Most rings a scale may have (a radar with more is unreadable).
pub const MAX_SCALE_STEPS: usize = 20;

const SITE_KEYS: &[&str] = &[
    "titre",
    "description",
    "url_base",
    "langue",
    "langues",
    "theme",
    "par_page",
    "echelle",
    "secteurs",
    "publics",
    "marqueurs",
    "cartes_de_partage",
    "cache_cartes",
    "organisme",
    "partenaires",
];

/// Keys of `organisme` and of each item of `partenaires`.
const IDENTITY_KEYS: &[&str] = &["nom", "site_web", "logo"];

/// Site settings used when site.yaml cannot be read (so projects can still be checked).
pub fn default_site() -> Site {
    Site {
        title: "Catalogue".into(),
        description: String::new(),
        url_base: None,
        language: "fr".into(),
        translations: Vec::new(),
        theme: "default".into(),
        per_page: 24,
        scale: Scale::default(),
        sectors: Vec::new(),
        publics: Vec::new(),
        markers: default_markers(),
        social_cards: true,
        card_cache: None,
        operator: None,
        partners: Vec::new(),
    }
}

fn default_markers() -> Vec<MarkerInfo> {
    (0..MARKER_KEYS.len())
        .map(|i| MarkerInfo {
            key: MARKER_KEYS[i],
            name: MARKER_LABELS[i].into(),
            help: MARKER_HELP[i].into(),
            custom_name: false,
            custom_help: false,
        })
        .collect()
}

/// Validates site.yaml; returns the settings, with defaults for what is wrong or absent. The
/// logos of `organisme` and `partenaires` are not looked for among the medias (see
/// [`validate_site_with_medias`]).
pub fn validate_site(file: &SourceFile, checker: &mut Checker<'_>) -> Site {
    check_site(file, checker, None)
}

/// [`validate_site`], also checking that every logo is a file of `medias` (and reading its size).
pub fn validate_site_with_medias(
    file: &SourceFile,
    checker: &mut Checker<'_>,
    medias: &Medias,
) -> Site {
    check_site(file, checker, Some(medias))
}

fn check_site(file: &SourceFile, checker: &mut Checker<'_>, medias: Option<&Medias>) -> Site {
    let mut site = default_site();
    let parsed = yaml::parse(&file.text, 1);
    for problem in parsed.problems {
        checker.error(problem.code, problem.pos, "", problem.message);
    }
    let Some(root) = parsed.root else {
        if file.text.trim().is_empty() {
            checker.error(
                "champ-requis",
                Pos { line: 1, column: 1 },
                "",
                "site.yaml est vide : indiquez au moins « titre » et « secteurs »",
            );
        }
        return site;
    };
    let Some(top) = Fields::open(checker, &root, "", Pos { line: 1, column: 1 }, SITE_KEYS) else {
        return site;
    };
    check_languages(checker, &top, &mut site);
    let languages: Vec<String> = site.languages().iter().map(|l| l.to_string()).collect();
    let mut translated = Translated::new(&languages);
    if let Some((title, others)) = top
        .require(checker, "titre")
        .and_then(|(_, n)| localized(checker, n, "titre", &languages, Some((1, 150))))
    {
        site.title = title;
        translated.put(others, |t, text| t.title = Some(text));
    }
    if let Some((_, n)) = top.get("description")
        && let Some((description, others)) = localized(checker, n, "description", &languages, None)
    {
        site.description = description;
        translated.put(others, |t, text| t.description = Some(text));
    }
    if let Some((_, n)) = top.get("url_base")
        && let Some(url) = text(checker, n, "url_base")
    {
        if site_url_is_valid(&url) {
            site.url_base = Some(if url.ends_with('/') {
                url
            } else {
                format!("{url}/")
            });
        } else {
            checker.error("url", n.pos, "url_base", format!("« {url} » n'est pas une adresse web complète : par exemple https://innovation-sociale.exemple.fr/"));
        }
    }
    if let Some((_, n)) = top.get("theme")
        && let Some(theme) = text(checker, n, "theme")
    {
        if is_slug(&theme) {
            site.theme = theme;
        } else {
            checker.error("valeur", n.pos, "theme", format!("« {theme} » n'est pas un nom de thème : le nom d'un dossier de themes/, en minuscules, chiffres et tirets"));
        }
    }
    if let Some((_, n)) = top.get("cache_cartes")
        && let Some(dir) = text(checker, n, "cache_cartes")
    {
        if dir.trim().is_empty() {
            checker.error("valeur", n.pos, "cache_cartes", "cache_cartes est vide : indiquez un dossier, par exemple .cache/cartes, ou retirez la ligne");
        } else {
            site.card_cache = Some(dir);
        }
    }
    if let Some((_, n)) = top.get("par_page")
        && let Some(per_page) = integer(checker, n, "par_page")
    {
        if (1..=500).contains(&per_page) {
            site.per_page = per_page as usize;
        } else {
            checker.error("valeur", n.pos, "par_page", format!("par_page vaut {per_page} : choisissez un nombre de projets par page entre 1 et 500"));
        }
    }
    if let Some((_, n)) = top.get("cartes_de_partage")
        && let Some(on) = boolean(checker, n, "cartes_de_partage")
    {
        site.social_cards = on;
    }
    if let Some((k, n)) = top.get("echelle") {
        site.scale = check_scale(checker, k, n).unwrap_or_default();
    }
    if let Some((_, n)) = top.require(checker, "secteurs") {
        site.sectors = vocabulary(checker, n, "secteurs", true, &languages)
            .into_iter()
            .map(|entry| {
                translated.put(entry.names, |t, text| {
                    t.sector_names.insert(entry.key.clone(), text);
                });
                translated.put(entry.descriptions, |t, text| {
                    t.sector_descriptions.insert(entry.key.clone(), text);
                });
                Sector {
                    key: entry.key,
                    name: entry.name,
                    description: entry.description,
                }
            })
            .collect();
        if site.sectors.is_empty() && list_len(n) == Some(0) {
            checker.error(
                "champ-requis",
                n.pos,
                "secteurs",
                "la liste des secteurs est vide : il en faut au moins un",
            );
        }
    }
    if let Some((_, n)) = top.get("publics") {
        site.publics = vocabulary(checker, n, "publics", false, &languages)
            .into_iter()
            .map(|entry| {
                translated.put(entry.names, |t, text| {
                    t.public_names.insert(entry.key.clone(), text);
                });
                Public {
                    key: entry.key,
                    name: entry.name,
                }
            })
            .collect();
    }
    if let Some((k, n)) = top.get("marqueurs") {
        check_marker_overrides(
            checker,
            k,
            n,
            &mut site.markers,
            &languages,
            &mut translated,
        );
    }
    if let Some((k, n)) = top.get("organisme") {
        site.operator = check_operator(checker, k, n, medias, &languages, &mut translated);
    }
    if let Some((_, n)) = top.get("partenaires") {
        site.partners = check_site_partners(checker, n, medias, &languages, &mut translated);
    }
    site.translations = translated.into_translations();
    site
}

/// The languages of the site: `langues: [fr, en]` (the first is the default, at the root), or
/// `langue: fr` as before; both given is an error.
fn check_languages(checker: &mut Checker<'_>, top: &Fields<'_>, site: &mut Site) {
    let single = top.get("langue");
    let several = top.get("langues");
    if let (Some(_), Some((k, _))) = (single, several) {
        checker.error(
            "valeur",
            k.pos,
            "langues",
            "site.yaml donne à la fois « langue » et « langues » : gardez seulement « langues » (par exemple langues: [fr, en]), dont la première est la langue par défaut",
        );
        return;
    }
    if let Some((_, n)) = single {
        if let Some(code) = text(checker, n, "langue") {
            if is_language_code(&code) {
                site.language = code;
            } else {
                checker.error("valeur", n.pos, "langue", format!("« {code} » n'est pas un code de langue : deux lettres minuscules, par exemple fr ou en"));
            }
        }
        return;
    }
    let Some((_, n)) = several else {
        return;
    };
    let Some(items) = list(checker, n, "langues") else {
        return;
    };
    let mut codes: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("langues[{i}]");
        let Some(code) = text(checker, item, &field) else {
            continue;
        };
        if !is_language_code(&code) {
            checker.error("valeur", item.pos, &field, format!("« {code} » n'est pas un code de langue : deux lettres minuscules, par exemple fr ou en"));
        } else if codes.contains(&code) {
            checker.error(
                "valeur",
                item.pos,
                &field,
                format!("la langue « {code} » est déjà dans la liste"),
            );
        } else {
            codes.push(code);
        }
    }
    let mut codes = codes.into_iter();
    match codes.next() {
        Some(first) => site.language = first,
        None => {
            checker.error(
                "champ-requis",
                n.pos,
                "langues",
                "la liste des langues est vide : indiquez au moins la langue par défaut, par exemple [fr]",
            );
            return;
        }
    }
    site.translations = codes
        .map(|language| SiteTranslation {
            language,
            ..SiteTranslation::default()
        })
        .collect();
}

/// Two lowercase ASCII letters (ISO 639-1), the folder of a language's pages.
fn is_language_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase())
}

/// A text of site.yaml a visitor reads: a string (every language) or a map by language
/// (`{fr: "…", en: "…"}`, the default language required). Returns the default language's
/// text and the others' as (language, text).
fn localized(
    checker: &mut Checker<'_>,
    node: &Node,
    field: &str,
    languages: &[String],
    bounds: Option<(usize, usize)>,
) -> Option<(String, Vec<(String, String)>)> {
    localized_with(
        checker,
        node,
        field,
        languages,
        |checker, node, field| match bounds {
            Some((min, max)) => bounded_text(checker, node, field, min, max),
            None => text(checker, node, field),
        },
    )
}

/// [`localized`] with each text read (and checked) by `read`.
fn localized_with(
    checker: &mut Checker<'_>,
    node: &Node,
    field: &str,
    languages: &[String],
    read: impl Fn(&mut Checker<'_>, &Node, &str) -> Option<String>,
) -> Option<(String, Vec<(String, String)>)> {
    let crate::yaml::Value::Map(entries) = &node.value else {
        return read(checker, node, field).map(|text| (text, Vec::new()));
    };
    let default = languages.first().map_or("fr", String::as_str);
    let mut main = None;
    let mut others = Vec::new();
    for (key, value) in entries {
        let path = format!("{field}.{}", key.name);
        if !languages.contains(&key.name) {
            checker.error("valeur", key.pos, &path, format!("« {} » n'est pas une langue du site (langues : {}) : retirez ce texte ou ajoutez la langue à « langues »", key.name, languages.join(", ")));
            continue;
        }
        let Some(text) = read(checker, value, &path) else {
            continue;
        };
        if key.name == default {
            main = Some(text);
        } else {
            others.push((key.name.clone(), text));
        }
    }
    if main.is_none() {
        checker.error("champ-requis", node.pos, field, format!("« {field} » doit avoir un texte dans la langue par défaut du site ({default}), par exemple {default}: \"…\""));
    }
    for language in languages.iter().skip(1) {
        if !entries.iter().any(|(key, _)| key.name == *language) {
            checker.warning("traduction-manquante", node.pos, field, format!("« {field} » n'a pas de texte en « {language} » : les pages en « {language} » montrent le texte en « {default} ». Ajoutez {language}: \"…\" à ce bloc, ou donnez un seul texte pour toutes les langues"));
        }
    }
    main.map(|main| (main, others))
}

/// The texts site.yaml gives for the languages other than the default, being collected.
struct Translated {
    translations: Vec<SiteTranslation>,
}

impl Translated {
    fn new(languages: &[String]) -> Translated {
        Translated {
            translations: languages
                .iter()
                .skip(1)
                .map(|language| SiteTranslation {
                    language: language.clone(),
                    ..SiteTranslation::default()
                })
                .collect(),
        }
    }

    /// Records each (language, text) with `set`.
    fn put(
        &mut self,
        texts: Vec<(String, String)>,
        mut set: impl FnMut(&mut SiteTranslation, String),
    ) {
        for (language, text) in texts {
            if let Some(translation) = self
                .translations
                .iter_mut()
                .find(|t| t.language == language)
            {
                set(translation, text);
            }
        }
    }

    fn into_translations(self) -> Vec<SiteTranslation> {
        self.translations
    }
}

/// `organisme`: the name of the body that runs the site, its web site and its logo. (When a
/// field has an error the site is not built: what is returned then does not matter.)
fn check_operator(
    checker: &mut Checker<'_>,
    key: &Key,
    node: &Node,
    medias: Option<&Medias>,
    languages: &[String],
    translated: &mut Translated,
) -> Option<Operator> {
    let fields = Fields::open(checker, node, "organisme", key.pos, IDENTITY_KEYS)?;
    let name = fields
        .require(checker, "nom")
        .and_then(|(_, n)| bounded_text(checker, n, "organisme.nom", 1, 150));
    let website = fields
        .get("site_web")
        .and_then(|(_, n)| checked_url(checker, n, "organisme.site_web"));
    let logo = fields.get("logo").and_then(|(k, n)| {
        let (logo, alts) = check_logo(checker, k, n, "organisme.logo", medias, languages)?;
        translated.put(alts, |t, alt| t.operator_logo_alt = Some(alt));
        Some(logo)
    });
    Some(Operator {
        name: name?,
        website,
        logo,
    })
}

/// `partenaires`: each with its name, its logo and an optional web site.
fn check_site_partners(
    checker: &mut Checker<'_>,
    node: &Node,
    medias: Option<&Medias>,
    languages: &[String],
    translated: &mut Translated,
) -> Vec<SitePartner> {
    let mut partners = Vec::new();
    let items = list(checker, node, "partenaires").unwrap_or(&[]);
    for (i, item) in items.iter().enumerate() {
        let path = format!("partenaires[{i}]");
        let Some(fields) = Fields::open(checker, item, &path, item.pos, IDENTITY_KEYS) else {
            continue;
        };
        let name = fields
            .require(checker, "nom")
            .and_then(|(_, n)| bounded_text(checker, n, &fields.field("nom"), 1, 150));
        let website = fields
            .get("site_web")
            .and_then(|(_, n)| checked_url(checker, n, &fields.field("site_web")));
        let logo = fields.require(checker, "logo").and_then(|(k, n)| {
            let (logo, alts) = check_logo(checker, k, n, &fields.field("logo"), medias, languages)?;
            translated.put(alts, |t, alt| {
                t.partner_logo_alts.insert(i, alt);
            });
            Some(logo)
        });
        if let (Some(name), Some(logo)) = (name, logo) {
            partners.push(SitePartner {
                name,
                website,
                logo,
            });
        }
    }
    partners
}

/// A logo `{src, alt}` written at `field`: both required, `src` a file of the medias (when they
/// are known), `alt` a text or one per language (`{fr: "…", en: "…"}`); the logo with the
/// default language's `alt`, and the other languages' as (language, text); `None` when it
/// has an error (reported).
fn check_logo(
    checker: &mut Checker<'_>,
    key: &Key,
    node: &Node,
    field: &str,
    medias: Option<&Medias>,
    languages: &[String],
) -> Option<(Image, Vec<(String, String)>)> {
    let fields = Fields::open(checker, node, field, key.pos, &["src", "alt"])?;
    let src = fields
        .require(checker, "src")
        .and_then(|(_, n)| match medias {
            Some(medias) => media_path(checker, n, &fields.field("src"), medias),
            None => text(checker, n, &fields.field("src")),
        });
    let alt = fields.require(checker, "alt").and_then(|(_, n)| {
        localized_with(
            checker,
            n,
            &fields.field("alt"),
            languages,
            alternative_text,
        )
    });
    let (alt, others) = alt?;
    Some((
        sized_image(src?, alt, medias.unwrap_or(&Medias::new())),
        others,
    ))
}

fn list_len(node: &Node) -> Option<usize> {
    match &node.value {
        yaml::Value::Seq(items) => Some(items.len()),
        _ => None,
    }
}

fn check_scale(checker: &mut Checker<'_>, key: &Key, node: &Node) -> Option<Scale> {
    let fields = Fields::open(checker, node, "echelle", key.pos, &["min", "max", "pas"])?;
    let defaults = Scale::default();
    let mut read = |name: &str, default: f64| match fields.get(name) {
        Some((_, n)) => number(checker, n, &fields.field(name)),
        None => Some(default),
    };
    let (min, max, step) = (
        read("min", defaults.min)?,
        read("max", defaults.max)?,
        read("pas", defaults.step)?,
    );
    let steps = (max - min) / step;
    let whole = (steps - steps.round()).abs() < 1e-9;
    if step <= 0.0 || max <= min || !whole || steps.round() as usize > MAX_SCALE_STEPS {
        checker.error(
            "echelle",
            key.pos,
            "echelle",
            format!(
                "échelle incohérente (min {min}, max {max}, pas {step}) : il faut min < max, un pas \
                 positif qui divise exactement l'écart, et au plus {MAX_SCALE_STEPS} pas"
            ),
        );
        return None;
    }
    Some(Scale { min, max, step })
}

/// A list of `{cle, nom, description}`; returns the valid entries.
/// One entry of a vocabulary (`secteurs`, `publics`) with its texts in the other languages.
struct VocabularyEntry {
    key: String,
    name: String,
    description: String,
    names: Vec<(String, String)>,
    descriptions: Vec<(String, String)>,
}

fn vocabulary(
    checker: &mut Checker<'_>,
    node: &Node,
    field: &str,
    with_description: bool,
    languages: &[String],
) -> Vec<VocabularyEntry> {
    let allowed: &[&str] = if with_description {
        &["cle", "nom", "description"]
    } else {
        &["cle", "nom"]
    };
    let mut entries: Vec<VocabularyEntry> = Vec::new();
    for (i, item) in list(checker, node, field).unwrap_or(&[]).iter().enumerate() {
        let path = format!("{field}[{i}]");
        let Some(fields) = Fields::open(checker, item, &path, item.pos, allowed) else {
            continue;
        };
        let key = fields.require(checker, "cle").and_then(|(_, n)| {
            let key = text(checker, n, &fields.field("cle"))?;
            if !is_slug(&key) {
                checker.error("valeur", n.pos, &fields.field("cle"), format!("la clé « {key} » doit être en minuscules sans accent, chiffres et tirets (elle sert d'adresse de page), par exemple « {} »", crate::text::slugify(&key)));
                return None;
            }
            if entries.iter().any(|e| e.key == key) {
                checker.error("valeur", n.pos, &fields.field("cle"), format!("la clé « {key} » est déjà utilisée plus haut"));
                return None;
            }
            Some(key)
        });
        let name = fields.require(checker, "nom").and_then(|(_, n)| {
            localized(checker, n, &fields.field("nom"), languages, Some((1, 120)))
        });
        let (description, descriptions) = fields
            .get("description")
            .and_then(|(_, n)| localized(checker, n, &fields.field("description"), languages, None))
            .unwrap_or_default();
        if let (Some(key), Some((name, names))) = (key, name) {
            entries.push(VocabularyEntry {
                key,
                name,
                description,
                names,
                descriptions,
            });
        }
    }
    entries
}

fn check_marker_overrides(
    checker: &mut Checker<'_>,
    key: &Key,
    node: &Node,
    markers: &mut [MarkerInfo],
    languages: &[String],
    translated: &mut Translated,
) {
    let Some(fields) = Fields::open(checker, node, "marqueurs", key.pos, &MARKER_KEYS) else {
        return;
    };
    for marker in markers.iter_mut() {
        let Some((k, n)) = fields.get(marker.key) else {
            continue;
        };
        let path = fields.field(marker.key);
        let Some(item) = Fields::open(checker, n, &path, k.pos, &["nom", "aide"]) else {
            continue;
        };
        if let Some((_, n)) = item.get("nom")
            && let Some((name, names)) =
                localized(checker, n, &item.field("nom"), languages, Some((1, 120)))
        {
            translated.put(names, |t, text| {
                t.marker_names.insert(marker.key.to_string(), text);
            });
            marker.name = name;
            marker.custom_name = true;
        }
        if let Some((_, n)) = item.get("aide")
            && let Some((help, helps)) = localized(checker, n, &item.field("aide"), languages, None)
        {
            translated.put(helps, |t, text| {
                t.marker_helps.insert(marker.key.to_string(), text);
            });
            marker.help = help;
            marker.custom_help = true;
        }
    }
}

/// Validates a free page; returns it when the file has no error.
pub fn validate_page(file: &SourceFile, checker: &mut Checker<'_>) -> Option<Page> {
    let errors_before = checker.error_count();
    let (root, body, _) = super::parse_document(file, checker)?;
    let top = Fields::open(
        checker,
        &root,
        "",
        Pos { line: 1, column: 1 },
        &["titre", "resume", "ordre", "brouillon"],
    )?;
    let title = top
        .require(checker, "titre")
        .and_then(|(_, n)| bounded_text(checker, n, "titre", 1, 150));
    let summary = top
        .get("resume")
        .and_then(|(_, n)| bounded_text(checker, n, "resume", 1, 300));
    let order = top
        .get("ordre")
        .and_then(|(_, n)| integer(checker, n, "ordre"));
    let draft = top
        .get("brouillon")
        .and_then(|(_, n)| boolean(checker, n, "brouillon"));
    if checker.error_count() > errors_before {
        return None;
    }
    Some(Page {
        slug: file.stem.clone(),
        source: file.path.clone(),
        title: title?,
        summary: summary.unwrap_or_default(),
        order,
        draft: draft.unwrap_or(false),
        body: body.to_string(),
    })
}

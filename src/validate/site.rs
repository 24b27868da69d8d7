//! Validation of `content/site.yaml` and of free pages (`content/pages/*.md`).

use super::fields::{Checker, Fields, boolean, bounded_text, integer, list, number, text};
use super::rules::site_url_is_valid;
use crate::content::SourceFile;
use crate::model::{
    MARKER_HELP, MARKER_KEYS, MARKER_LABELS, MarkerInfo, Page, Public, Scale, Sector, Site,
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
    "theme",
    "par_page",
    "echelle",
    "secteurs",
    "publics",
    "marqueurs",
    "cartes_de_partage",
    "cache_cartes",
];

/// Site settings used when site.yaml cannot be read (so projects can still be checked).
pub fn default_site() -> Site {
    Site {
        title: "Catalogue".into(),
        description: String::new(),
        url_base: None,
        language: "fr".into(),
        theme: "default".into(),
        per_page: 24,
        scale: Scale::default(),
        sectors: Vec::new(),
        publics: Vec::new(),
        markers: default_markers(),
        social_cards: true,
        card_cache: None,
    }
}

fn default_markers() -> Vec<MarkerInfo> {
    (0..MARKER_KEYS.len())
        .map(|i| MarkerInfo {
            key: MARKER_KEYS[i],
            name: MARKER_LABELS[i].into(),
            help: MARKER_HELP[i].into(),
        })
        .collect()
}

/// Validates site.yaml; returns the settings, with defaults for what is wrong or absent.
pub fn validate_site(file: &SourceFile, checker: &mut Checker<'_>) -> Site {
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
    if let Some(title) = top
        .require(checker, "titre")
        .and_then(|(_, n)| bounded_text(checker, n, "titre", 1, 150))
    {
        site.title = title;
    }
    if let Some((_, n)) = top.get("description") {
        site.description = text(checker, n, "description").unwrap_or_default();
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
    if let Some((_, n)) = top.get("langue") {
        site.language = text(checker, n, "langue").unwrap_or(site.language);
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
        site.sectors = vocabulary(checker, n, "secteurs", true)
            .into_iter()
            .map(|(key, name, description)| Sector {
                key,
                name,
                description,
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
        site.publics = vocabulary(checker, n, "publics", false)
            .into_iter()
            .map(|(key, name, _)| Public { key, name })
            .collect();
    }
    if let Some((k, n)) = top.get("marqueurs") {
        check_marker_overrides(checker, k, n, &mut site.markers);
    }
    site
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
fn vocabulary(
    checker: &mut Checker<'_>,
    node: &Node,
    field: &str,
    with_description: bool,
) -> Vec<(String, String, String)> {
    let allowed: &[&str] = if with_description {
        &["cle", "nom", "description"]
    } else {
        &["cle", "nom"]
    };
    let mut entries: Vec<(String, String, String)> = Vec::new();
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
            if entries.iter().any(|(k, _, _)| k == &key) {
                checker.error("valeur", n.pos, &fields.field("cle"), format!("la clé « {key} » est déjà utilisée plus haut"));
                return None;
            }
            Some(key)
        });
        let name = fields
            .require(checker, "nom")
            .and_then(|(_, n)| bounded_text(checker, n, &fields.field("nom"), 1, 120));
        let description = fields
            .get("description")
            .and_then(|(_, n)| text(checker, n, &fields.field("description")))
            .unwrap_or_default();
        if let (Some(key), Some(name)) = (key, name) {
            entries.push((key, name, description));
        }
    }
    entries
}

fn check_marker_overrides(
    checker: &mut Checker<'_>,
    key: &Key,
    node: &Node,
    markers: &mut [MarkerInfo],
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
            && let Some(name) = bounded_text(checker, n, &item.field("nom"), 1, 120)
        {
            marker.name = name;
        }
        if let Some((_, n)) = item.get("aide")
            && let Some(help) = text(checker, n, &item.field("aide"))
        {
            marker.help = help;
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

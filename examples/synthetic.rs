//! Synthetic catalogue generator for the benchmark: a valid amiris site (and optionally the equivalent Hugo site) of N projects.
//!
//! ```text
//! cargo run --release --example synthetic -- --projects N --out DIR [--hugo] [--seed S] [--layouts DIR]
//! ```
//!
//! Writes `DIR/content/site.yaml` (a copy of the demonstration's, with the logos it names) and `DIR/content/projets/*.md`,
//! N project files that follow the content format (version 1) exactly: real current communes of
//! the region, valid Luhn SIRETs, twelve markers on the 0..3 step 0.5 scale, 1 to 3 sectors, the
//! six canonical sections with about 300 words of filler, unique slugs. With `--hugo`, also
//! writes `DIR/hugo/`: the same projects as Hugo content, `hugo.yaml`, data files and the
//! layouts of `bench/hugo-layouts/` (or of `--layouts DIR`). See `bench/README.md`.
//!
//! Everything is deterministic: project number `i` is drawn from a PRNG seeded with `(seed, i)`,
//! so the catalogue of 1,000 projects is the first 1,000 projects of the catalogue of 10,000.
//! Only the standard library plus crates already in Cargo.toml (serde, serde-saphyr, deunicode).

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The demonstration's site settings, copied verbatim into the generated site.
const SITE_YAML: &str = include_str!("../content/site.yaml");
/// The demonstration's identity images that site.yaml names (organisme and partner logos),
/// written beside it so that the generated site is valid.
const SITE_MEDIAS: [(&str, &[u8]); 4] = [
    (
        "logo-demonstration.svg",
        include_bytes!("../content/medias/logo-demonstration.svg"),
    ),
    (
        "partenaire-a.svg",
        include_bytes!("../content/medias/partenaire-a.svg"),
    ),
    (
        "partenaire-b.svg",
        include_bytes!("../content/medias/partenaire-b.svg"),
    ),
    (
        "partenaire-c.svg",
        include_bytes!("../content/medias/partenaire-c.svg"),
    ),
];
/// Current communes of the region (derived data, TSV: code, nom, departement, epci, codes_postaux, population).
const COMMUNES_TSV: &str = include_str!("../data/territoires/communes.tsv");
/// The five departments (TSV: code, nom, slug).
const DEPARTEMENTS_TSV: &str = include_str!("../data/territoires/departements.tsv");
/// The EPCI of the region (TSV: siren, nom, type, communes).
const EPCI_TSV: &str = include_str!("../data/territoires/epci.tsv");
/// File marking a folder as made by this generator (so that it may be wiped and regenerated).
const MARKER_FILE: &str = ".amiris-synthetic";

/// The twelve marker keys and default labels, shared with the validator.
use amiris::model::{MARKER_KEYS, MARKER_LABELS};

/// The six canonical body sections.
const SECTIONS: [&str; 6] = [
    "Contexte",
    "Processus",
    "Résultats",
    "Impacts",
    "Diffusion",
    "Synthèse",
];

const STAGES: [(&str, &str); 4] = [
    ("emergence", "Émergence"),
    ("experimentation", "Expérimentation"),
    ("developpement", "Développement"),
    ("essaimage", "Essaimage"),
];
const SCOPES: [&str; 4] = ["locale", "intercommunale", "departementale", "regionale"];
const LEGAL_FORMS: [(&str, &str, &str); 10] = [
    ("association", "Association", "Association"),
    ("association", "Association", "Collectif"),
    ("scic", "SCIC", "SCIC"),
    ("scop", "SCOP", "SCOP"),
    ("association", "Association", "Maison"),
    ("sas", "SAS", "Entreprise solidaire"),
    ("cooperative", "Coopérative", "Coopérative"),
    ("fondation", "Fondation", "Fondation"),
    ("sarl", "SARL", "Atelier"),
    ("autre", "Autre", "Groupement"),
];
const PARTNER_ROLES: [(&str, &str); 7] = [
    ("beneficiaires", "Bénéficiaires"),
    ("collectivite", "Collectivité"),
    ("recherche", "Recherche"),
    ("entreprise", "Entreprise"),
    ("association", "Association"),
    ("financeur", "Financeur"),
    ("autre", "Autre"),
];
const PARTNER_NAMES: [&str; 16] = [
    "Centre communal d'action sociale",
    "Conseil départemental",
    "Université régionale",
    "Banque coopérative",
    "Fondation d'entreprise",
    "Caisse d'allocations familiales",
    "Mission locale",
    "Bailleur social",
    "Chambre d'agriculture",
    "Réseau des ressourceries",
    "Collectif d'habitants",
    "Laboratoire de sociologie",
    "Entreprise de transport",
    "Maison de santé",
    "Centre social",
    "Fédération d'éducation populaire",
];
/// Departments outside the region where practices get replicated.
const ELSEWHERE: [&str; 10] = ["08", "51", "76", "27", "95", "77", "75", "35", "69", "13"];

const KINDS: [&str; 40] = [
    "Épicerie solidaire",
    "Garage solidaire",
    "Tiers-lieu",
    "Ressourcerie",
    "Café des aidants",
    "Jardin partagé",
    "Atelier vélo",
    "Conciergerie solidaire",
    "Habitat inclusif",
    "Fabrique numérique",
    "Cuisine partagée",
    "Bus santé",
    "Crèche coopérative",
    "Recyclerie",
    "Légumerie",
    "Maison des parents solos",
    "Médiathèque mobile",
    "Théâtre forum",
    "Plateforme de mobilité",
    "Bricothèque",
    "Conserverie",
    "Ferme urbaine",
    "Repair café",
    "Auto-école sociale",
    "Boutique partagée",
    "Restaurant d'insertion",
    "Bibliothèque d'objets",
    "Atelier couture",
    "Réseau de covoiturage",
    "Potager pédagogique",
    "Maison du bien-vieillir",
    "Accorderie",
    "Coopérative d'activité",
    "Pôle de services",
    "Chantier d'insertion",
    "Studio de musique partagé",
    "Résidence intergénérationnelle",
    "Marché de producteurs",
    "Point numérique",
    "Laverie sociale",
];
const QUALIFIERS: [&str; 24] = [
    "",
    "",
    "",
    "itinérant",
    "coopératif",
    "des habitants",
    "pour tous",
    "des familles",
    "du quartier",
    "en réseau",
    "des aînés",
    "des jeunes",
    "inclusif",
    "participatif",
    "des quatre saisons",
    "du canal",
    "de la vallée",
    "des mines",
    "du bocage",
    "de la gare",
    "du marais",
    "des faubourgs",
    "des deux rives",
    "partagé",
];

const SUBJECTS: [&str; 24] = [
    "Les habitants",
    "L'équipe salariée",
    "Les bénévoles",
    "Le collectif",
    "Les partenaires",
    "Les familles accompagnées",
    "La structure porteuse",
    "Les élus du territoire",
    "Les personnes concernées",
    "Le conseil d'administration",
    "Les usagers",
    "Un groupe de travail",
    "Les jeunes du quartier",
    "Les commerçants",
    "Les agriculteurs voisins",
    "Les travailleurs sociaux",
    "Une coordinatrice",
    "Les associations locales",
    "Les aidants",
    "Les chercheurs associés",
    "Les entreprises du bassin",
    "La commune",
    "Un comité d'usagers",
    "Les adhérents",
];
/// Verbs as (singular, plural) forms, to agree with the subject.
const VERBS: [(&str, &str); 24] = [
    ("a construit", "ont construit"),
    ("anime", "animent"),
    ("a imaginé", "ont imaginé"),
    ("coordonne", "coordonnent"),
    ("accompagne", "accompagnent"),
    ("a évalué", "ont évalué"),
    ("développe", "développent"),
    ("partage", "partagent"),
    ("expérimente", "expérimentent"),
    ("finance en partie", "financent en partie"),
    ("organise", "organisent"),
    ("consolide", "consolident"),
    ("documente", "documentent"),
    ("a ouvert", "ont ouvert"),
    ("fait vivre", "font vivre"),
    ("adapte", "adaptent"),
    ("mutualise", "mutualisent"),
    ("porte", "portent"),
    ("améliore", "améliorent"),
    ("a repensé", "ont repensé"),
    ("soutient", "soutiennent"),
    ("transmet", "transmettent"),
    ("accueille", "accueillent"),
    ("co-construit", "co-construisent"),
];
const OBJECTS: [&str; 30] = [
    "un service de proximité",
    "des ateliers hebdomadaires",
    "une offre accessible à tous",
    "des permanences dans les villages",
    "un lieu ouvert et convivial",
    "des parcours d'accompagnement",
    "une gouvernance partagée",
    "des outils de suivi",
    "un réseau de bénévoles",
    "une démarche d'évaluation",
    "des formations courtes",
    "un modèle économique hybride",
    "des temps d'échange réguliers",
    "une tarification solidaire",
    "des circuits courts",
    "un fonds de dotation",
    "une plateforme de réservation",
    "des chantiers collectifs",
    "un guide méthodologique",
    "des rencontres entre pairs",
    "un accueil sans rendez-vous",
    "des emplois durables",
    "une offre de transport à la demande",
    "un espace de travail partagé",
    "des actions de prévention",
    "un comité de pilotage",
    "une charte des usages",
    "des visites à domicile",
    "un programme de parrainage",
    "des solutions de garde",
];
const COMPLEMENTS: [&str; 30] = [
    "avec les acteurs du territoire",
    "depuis plusieurs années",
    "au plus près des besoins",
    "dans une logique de coopération",
    "sans condition de ressources",
    "en lien avec la collectivité",
    "pour rompre l'isolement",
    "malgré des moyens limités",
    "grâce à des financements croisés",
    "dans les zones peu desservies",
    "en s'appuyant sur la recherche",
    "avec une attention aux plus fragiles",
    "à l'échelle de l'intercommunalité",
    "pour favoriser l'autonomie",
    "en respectant le rythme de chacun",
    "dans les quartiers prioritaires",
    "au cœur des villages",
    "avec le soutien de la Région",
    "selon les principes de l'éducation populaire",
    "en privilégiant l'usage à la propriété",
    "pour créer des emplois non délocalisables",
    "en réduisant les déchets",
    "à partir des savoir-faire locaux",
    "en mobilisant le bénévolat",
    "dans une démarche d'amélioration continue",
    "en associant les bénéficiaires aux décisions",
    "pour faciliter l'accès aux droits",
    "sans se substituer aux services publics",
    "avec une grande souplesse d'organisation",
    "pour que le modèle puisse essaimer",
];
const CONNECTORS: [&str; 12] = [
    "Par ailleurs,",
    "Depuis le lancement,",
    "Au fil des mois,",
    "Concrètement,",
    "En parallèle,",
    "Chaque semaine,",
    "Dès la première année,",
    "Pour aller plus loin,",
    "Dans ce cadre,",
    "Progressivement,",
    "Avec le recul,",
    "Aujourd'hui,",
];
const RESULT_UNITS: [&str; 12] = [
    "personnes accompagnées chaque année",
    "bénévoles actifs",
    "emplois créés",
    "communes desservies",
    "ateliers organisés",
    "tonnes de déchets évitées",
    "familles bénéficiaires",
    "trajets réalisés",
    "partenaires engagés",
    "heures de formation",
    "repas servis",
    "adhérents",
];

/// Options of the command line.
struct Options {
    projects: usize,
    out: PathBuf,
    hugo: bool,
    seed: u64,
    /// Hugo layouts copied into `DIR/hugo/layouts` (default: the repository's `bench/hugo-layouts`).
    layouts: PathBuf,
}

fn usage() -> &'static str {
    "usage : cargo run --release --example synthetic -- --projects N --out DOSSIER [--hugo] \
     [--seed S] [--layouts DOSSIER]"
}

fn parse_args() -> Result<Options, String> {
    let mut projects = None;
    let mut out = None;
    let mut hugo = false;
    let mut seed = 20_140_101_u64;
    let mut layouts = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/hugo-layouts");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--projects" | "-n" => {
                let value = args.next().ok_or("--projects attend un nombre")?;
                let n: usize = value
                    .replace(['_', ','], "")
                    .parse()
                    .map_err(|_| format!("--projects : « {value} » n'est pas un nombre"))?;
                projects = Some(n);
            }
            "--out" | "-o" => {
                out = Some(PathBuf::from(args.next().ok_or("--out attend un dossier")?))
            }
            "--hugo" => hugo = true,
            "--seed" => {
                let value = args.next().ok_or("--seed attend un nombre")?;
                seed = value
                    .parse()
                    .map_err(|_| format!("--seed : « {value} » n'est pas un nombre"))?;
            }
            "--layouts" => {
                layouts = PathBuf::from(args.next().ok_or("--layouts attend un dossier")?)
            }
            "--help" | "-h" => return Err(usage().to_string()),
            other => return Err(format!("option inconnue « {other} »\n{}", usage())),
        }
    }
    match (projects, out) {
        (Some(projects), Some(out)) => Ok(Options {
            projects,
            out,
            hugo,
            seed,
            layouts,
        }),
        _ => Err(usage().to_string()),
    }
}

/// SplitMix64: tiny, fast, good enough for filler, and identical on every platform.
struct Rng(u64);

impl Rng {
    /// A generator for project number `index` of the catalogue seeded with `seed`.
    fn for_project(seed: u64, index: usize) -> Rng {
        let mut rng = Rng(seed ^ (index as u64).wrapping_mul(0xA076_1D64_78BD_642F));
        rng.next_u64();
        rng
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0; the modulo bias is irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Uniform in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// True with probability `percent` %.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A uniformly chosen item of a non-empty list of small copyable values.
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// A current commune of the region.
struct Commune {
    code: String,
    name: String,
    department: String,
    epci: String,
    postal_codes: Vec<String>,
}

/// A department of the region.
struct Department {
    code: String,
    name: String,
    slug: String,
}

/// The vocabularies of site.yaml that the generator needs.
#[derive(Deserialize)]
struct SiteVocabulary {
    secteurs: Vec<VocabularyEntry>,
    #[serde(default)]
    publics: Vec<VocabularyEntry>,
}

#[derive(Deserialize)]
struct VocabularyEntry {
    cle: String,
    nom: String,
    #[serde(default)]
    description: String,
}

/// Reference data and vocabularies, loaded once.
struct World {
    communes: Vec<Commune>,
    departments: Vec<Department>,
    epci_names: BTreeMap<String, String>,
    site: SiteVocabulary,
    site_title: String,
    site_description: String,
}

fn tsv_rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.split('\t').collect())
}

fn load_world() -> Result<World, String> {
    let communes: Vec<Commune> = tsv_rows(COMMUNES_TSV)
        .filter(|row| row.len() >= 5)
        .map(|row| Commune {
            code: row[0].to_string(),
            name: row[1].to_string(),
            department: row[2].to_string(),
            epci: row[3].to_string(),
            postal_codes: row[4]
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
        })
        .filter(|c| !c.postal_codes.is_empty())
        .collect();
    let departments: Vec<Department> = tsv_rows(DEPARTEMENTS_TSV)
        .filter(|row| row.len() >= 3)
        .map(|row| Department {
            code: row[0].to_string(),
            name: row[1].to_string(),
            slug: row[2].to_string(),
        })
        .collect();
    let epci_names = tsv_rows(EPCI_TSV)
        .filter(|row| row.len() >= 2)
        .map(|row| (row[0].to_string(), row[1].to_string()))
        .collect();
    let site_yaml = default_language_only(SITE_YAML);
    let site: SiteVocabulary = serde_saphyr::from_str(&strip_unknown_for_vocabulary(&site_yaml))
        .map_err(|e| format!("content/site.yaml illisible : {e}"))?;
    let site_title = site_yaml
        .lines()
        .find_map(|line| line.strip_prefix("titre:"))
        .map(|t| t.trim().trim_matches('"').to_string())
        .unwrap_or_else(|| "Innovation sociale en Hauts-de-France".to_string());
    let site_description = site_yaml
        .lines()
        .find_map(|line| line.strip_prefix("description:"))
        .map(|t| t.trim().trim_matches('"').to_string())
        .unwrap_or_default();
    if communes.len() < 100 || departments.len() != 5 || site.secteurs.len() < 3 {
        return Err("données de référence incomplètes (communes, départements ou secteurs)".into());
    }
    Ok(World {
        communes,
        departments,
        epci_names,
        site,
        site_title,
        site_description,
    })
}

/// Keeps only the `secteurs:` and `publics:` blocks of site.yaml (serde ignores the rest anyway,
/// but this keeps the generator independent of any other key's shape).
/// The demonstration's site.yaml in its default language only: `langues: [fr, en]` becomes
/// `langue: fr` and every text given per language (`{fr: "…", en: "…"}`, inline or as a block)
/// its French text, so that the synthetic catalogue (and the benchmark) stays a site of one
/// language, as before the demonstration was translated.
fn default_language_only(yaml: &str) -> String {
    let mut out = String::with_capacity(yaml.len());
    let lines: Vec<&str> = yaml.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(rest) = line.strip_prefix("langues: [") {
            let first = rest.split([',', ']']).next().unwrap_or("fr").trim();
            out.push_str(&format!("langue: {first}\n"));
        } else if let Some((head, map)) = line.split_once(": {fr: \"")
            && let Some((french, english)) = map.split_once("\", en: \"")
        {
            // What follows the map on its line (` }` closing a logo's inline block).
            let tail = english.split_once("\"}").map_or("", |(_, tail)| tail);
            out.push_str(&format!("{head}: \"{french}\"{tail}\n"));
        } else if line.ends_with(':')
            && let Some(next) = lines.get(i + 1)
            && let Some(french) = next.trim_start().strip_prefix("fr: ")
            && next.len() - next.trim_start().len() > line.len() - line.trim_start().len()
        {
            out.push_str(&format!("{line} {french}\n"));
            // The other languages' lines of the block.
            i += 2;
            let indent = next.len() - next.trim_start().len();
            while lines
                .get(i)
                .is_some_and(|l| l.len() - l.trim_start().len() == indent && !l.trim().is_empty())
            {
                i += 1;
            }
            continue;
        } else {
            out.push_str(line);
            out.push('\n');
        }
        i += 1;
    }
    out
}

fn strip_unknown_for_vocabulary(yaml: &str) -> String {
    let mut kept = String::new();
    let mut keep = false;
    for line in yaml.lines() {
        let top_level = !line.starts_with([' ', '\t', '#']) && !line.trim().is_empty();
        if top_level {
            keep = line.starts_with("secteurs:") || line.starts_with("publics:");
        }
        if keep {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept
}

/// A YAML double-quoted scalar.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Lower-case ASCII words joined by single hyphens (same rule as amiris' slugs).
fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in deunicode::deunicode(text).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// A DNS label (at most 63 characters) from a slug: cut at the last hyphen that fits.
fn dns_label(slug: &str) -> String {
    if slug.len() <= 63 {
        return slug.to_string();
    }
    let head = &slug[..63];
    let cut = head.rfind('-').filter(|&i| i > 0).unwrap_or(63);
    head[..cut].trim_end_matches('-').to_string()
}

/// "de Lens", "du Touquet", "de la Bassée", "des Moëres", "d'Arras".
fn of_place(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("Le ") {
        format!("du {rest}")
    } else if let Some(rest) = name.strip_prefix("Les ") {
        format!("des {rest}")
    } else if let Some(rest) = name.strip_prefix("La ") {
        format!("de la {rest}")
    } else if let Some(rest) = name.strip_prefix("L'") {
        format!("de l'{rest}")
    } else if name.starts_with(['A', 'E', 'I', 'O', 'U', 'Y', 'H', 'É', 'È', 'Î', 'Œ']) {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

/// A valid SIRET: 13 random digits and the Luhn check digit, never La Poste's SIREN.
fn siret(rng: &mut Rng) -> String {
    loop {
        let mut digits: Vec<u32> = (0..13).map(|_| rng.below(10) as u32).collect();
        if digits[0] == 0 {
            digits[0] = 1 + rng.below(9) as u32;
        }
        // Luhn: with the check digit appended, the digits at odd positions from the right
        // (1-based even) are doubled; here that is every digit of `digits` at an even
        // distance from its end.
        let sum: u32 = digits
            .iter()
            .rev()
            .enumerate()
            .map(|(i, &d)| {
                if i % 2 == 0 {
                    let doubled = d * 2;
                    if doubled > 9 { doubled - 9 } else { doubled }
                } else {
                    d
                }
            })
            .sum();
        digits.push((10 - sum % 10) % 10);
        let text: String = digits.iter().map(|d| char::from(b'0' + *d as u8)).collect();
        if !text.starts_with("356000000") && luhn_ok(&text) {
            return text;
        }
    }
}

/// The Luhn check over ASCII digits (a second, independent implementation guards `siret`).
fn luhn_ok(digits: &str) -> bool {
    let mut sum = 0;
    for (i, b) in digits.bytes().rev().enumerate() {
        let d = u32::from(b - b'0');
        sum += if i % 2 == 1 {
            if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
        } else {
            d
        };
    }
    sum % 10 == 0
}

/// One sentence of filler: connector? subject verb object complement.
fn sentence(rng: &mut Rng) -> String {
    let mut text = String::new();
    let subject = rng.pick(&SUBJECTS);
    // Plural subjects are the ones starting with "Les " or "Des ".
    let plural = subject.starts_with("Les ") || subject.starts_with("Des ");
    if rng.chance(35) {
        text.push_str(rng.pick(&CONNECTORS));
        text.push(' ');
        let mut chars = subject.chars();
        if let Some(first) = chars.next() {
            text.extend(first.to_lowercase());
            text.push_str(chars.as_str());
        }
    } else {
        text.push_str(subject);
    }
    text.push(' ');
    let (singular, plural_form) = rng.pick(&VERBS);
    text.push_str(if plural { plural_form } else { singular });
    text.push(' ');
    text.push_str(rng.pick(&OBJECTS));
    text.push(' ');
    text.push_str(rng.pick(&COMPLEMENTS));
    if rng.chance(30) {
        text.push_str(", ");
        text.push_str(rng.pick(&COMPLEMENTS));
    }
    text.push('.');
    text
}

/// A paragraph of about `words` words.
fn paragraph(rng: &mut Rng, words: usize) -> String {
    let mut text = String::new();
    while text.split_whitespace().count() < words {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&sentence(rng));
    }
    text
}

/// A generated project, in the terms both sites need.
struct Project {
    slug: String,
    title: String,
    summary: String,
    year: usize,
    label_date: String,
    updated: String,
    sectors: Vec<usize>,
    communes: Vec<usize>,
    departments_given: Vec<String>,
    /// Departments of the project: given ones plus those of its communes, sorted.
    departments: Vec<String>,
    scope: Option<&'static str>,
    stage: (&'static str, &'static str),
    publics: Vec<usize>,
    structure_name: String,
    legal_form: (&'static str, &'static str),
    siret: Option<String>,
    postal_code: String,
    head_office: String,
    website: Option<String>,
    esus: Option<bool>,
    partners: Vec<(String, (&'static str, &'static str))>,
    markers: [f64; 12],
    replication: Option<(bool, Vec<String>)>,
    email: Option<String>,
    body: String,
}

fn generate_project(
    world: &World,
    seed: u64,
    index: usize,
    taken: &mut HashSet<String>,
) -> Project {
    let mut rng = Rng::for_project(seed, index);
    let head = rng.below(world.communes.len());
    let head_commune = &world.communes[head];

    // Territory: the head commune, sometimes neighbours of the same department, rarely none.
    let mut communes = Vec::new();
    let mut departments_given = Vec::new();
    if rng.chance(90) {
        communes.push(head);
        for _ in 0..rng.between(0, 3) {
            let other = rng.below(world.communes.len());
            let same_department = world.communes[other].department == head_commune.department;
            if !communes.contains(&other) && (same_department || rng.chance(20)) {
                communes.push(other);
            }
        }
        if rng.chance(15) {
            departments_given.push(
                world.departments[rng.below(world.departments.len())]
                    .code
                    .clone(),
            );
            for &c in &communes {
                departments_given.push(world.communes[c].department.clone());
            }
        }
    } else {
        departments_given.push(head_commune.department.clone());
        if rng.chance(40) {
            departments_given.push(
                world.departments[rng.below(world.departments.len())]
                    .code
                    .clone(),
            );
        }
    }
    departments_given.sort();
    departments_given.dedup();
    let departments: Vec<String> = departments_given
        .iter()
        .cloned()
        .chain(
            communes
                .iter()
                .map(|&c| world.communes[c].department.clone()),
        )
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    // Title and unique slug.
    let kind = rng.pick(&KINDS);
    let qualifier = rng.pick(&QUALIFIERS);
    let place = of_place(&head_commune.name);
    let base_title = if qualifier.is_empty() {
        format!("{kind} {place}")
    } else {
        format!("{kind} {qualifier} {place}")
    };
    let mut title = base_title.clone();
    let mut slug = slugify(&title);
    let mut n = 2;
    while taken.contains(&slug) || slug == "page" || slug == "index" {
        title = format!("{base_title} ({n})");
        slug = slugify(&title);
        n += 1;
    }
    taken.insert(slug.clone());

    let sector_count = rng.between(1, 3);
    let mut sectors = Vec::new();
    while sectors.len() < sector_count {
        let s = rng.below(world.site.secteurs.len());
        if !sectors.contains(&s) {
            sectors.push(s);
        }
    }
    let mut publics = Vec::new();
    if !world.site.publics.is_empty() {
        for _ in 0..rng.between(0, 3) {
            let p = rng.below(world.site.publics.len());
            if !publics.contains(&p) {
                publics.push(p);
            }
        }
    }

    let summary = {
        let s = format!(
            "{base_title} : {}, {}.",
            rng.pick(&OBJECTS),
            rng.pick(&COMPLEMENTS)
        );
        if s.chars().count() > 300 {
            s.chars().take(299).collect::<String>() + "…"
        } else {
            s
        }
    };

    let year = rng.between(2014, 2025);
    let (month, day) = (rng.between(1, 12), rng.between(1, 28));
    let label_date = format!("{year:04}-{month:02}-{day:02}");
    let updated = {
        let y = (year + rng.between(1, 3)).min(2025);
        if y == year {
            format!("{y:04}-12-{:02}", rng.between(day.max(1), 28).max(day))
        } else {
            format!("{y:04}-{:02}-{:02}", rng.between(1, 12), rng.between(1, 28))
        }
    };

    let legal = rng.pick(&LEGAL_FORMS);
    let structure_name = format!("{} {}", legal.2, base_title);
    let host = dns_label(&slug);
    let partners = (0..rng.between(0, 4))
        .map(|_| {
            let name = format!(
                "{} {}",
                rng.pick(&PARTNER_NAMES),
                of_place(&world.communes[rng.below(world.communes.len())].name)
            );
            (name, rng.pick(&PARTNER_ROLES))
        })
        .collect();
    let mut markers = [0.0; 12];
    // A per-project "profile" level so radars differ in shape and size.
    let level = rng.between(2, 5) as i64;
    for m in markers.iter_mut() {
        let steps = (level + rng.between(0, 3) as i64 - 1).clamp(0, 6);
        *m = steps as f64 * 0.5;
    }
    let replication = rng.chance(40).then(|| {
        let open = rng.chance(80);
        let mut territories: Vec<String> = Vec::new();
        for _ in 0..rng.between(0, 3) {
            let code = if rng.chance(50) {
                world.departments[rng.below(world.departments.len())]
                    .code
                    .clone()
            } else {
                rng.pick(&ELSEWHERE).to_string()
            };
            if !territories.contains(&code) {
                territories.push(code);
            }
        }
        (open, territories)
    });

    let body = body(&mut rng, kind, &place);

    Project {
        slug,
        title,
        summary,
        year,
        label_date,
        updated,
        sectors,
        communes,
        departments_given,
        departments,
        scope: rng.chance(80).then(|| rng.pick(&SCOPES)),
        stage: rng.pick(&STAGES),
        publics,
        structure_name,
        legal_form: (legal.0, legal.1),
        siret: rng.chance(85).then(|| siret(&mut rng)),
        postal_code: head_commune.postal_codes[0].clone(),
        head_office: head_commune.name.clone(),
        website: rng
            .chance(70)
            .then(|| format!("https://{host}.example.org")),
        esus: rng.chance(50).then(|| rng.chance(50)),
        partners,
        markers,
        replication,
        email: rng
            .chance(75)
            .then(|| format!("contact@{host}.example.org")),
        body,
    }
}

/// The Markdown body: the six canonical sections, about 300 words, a list and some emphasis.
fn body(rng: &mut Rng, kind: &str, place: &str) -> String {
    let mut text = String::new();
    for section in SECTIONS {
        let _ = write!(text, "## {section}\n\n");
        match section {
            "Contexte" => {
                let _ = write!(
                    text,
                    "Le projet « {kind} » s'adresse aux habitants {place}. {}\n\n",
                    paragraph(rng, 40)
                );
            }
            "Résultats" => {
                let _ = write!(text, "{}\n\n", paragraph(rng, 15));
                for _ in 0..rng.between(3, 5) {
                    let _ = writeln!(
                        text,
                        "- **{}** {} ;",
                        rng.between(3, 900),
                        rng.pick(&RESULT_UNITS)
                    );
                }
                text.push('\n');
            }
            "Synthèse" => {
                let _ = write!(text, "*{}*\n\n", paragraph(rng, 30));
            }
            _ => {
                let _ = write!(text, "{}\n\n{}\n\n", paragraph(rng, 26), paragraph(rng, 16));
            }
        }
    }
    text.truncate(text.trim_end().len());
    text.push('\n');
    text
}

fn score_text(score: f64) -> String {
    if score.fract() == 0.0 {
        format!("{score:.0}")
    } else {
        format!("{score:.1}")
    }
}

fn yaml_list(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().collect();
    format!("[{}]", items.join(", "))
}

/// The project file for amiris, following the content format (version 1).
fn amiris_file(world: &World, p: &Project) -> String {
    let mut f = String::with_capacity(4096);
    f.push_str("---\n");
    let _ = writeln!(f, "titre: {}", quoted(&p.title));
    let _ = writeln!(f, "resume: {}", quoted(&p.summary));
    let _ = writeln!(f, "label:\n  annee: {}\n  date: {}", p.year, p.label_date);
    let _ = writeln!(
        f,
        "secteurs: {}",
        yaml_list(
            p.sectors
                .iter()
                .map(|&s| world.site.secteurs[s].cle.clone())
        )
    );
    f.push_str("territoire:\n");
    if !p.communes.is_empty() {
        let _ = writeln!(
            f,
            "  communes: {}",
            yaml_list(p.communes.iter().map(|&c| quoted(&world.communes[c].code)))
        );
    }
    if !p.departments_given.is_empty() {
        let _ = writeln!(
            f,
            "  departements: {}",
            yaml_list(p.departments_given.iter().map(|d| quoted(d)))
        );
    }
    if let Some(scope) = p.scope {
        let _ = writeln!(f, "  echelle: {scope}");
    }
    let _ = writeln!(f, "stade: {}", p.stage.0);
    if !p.publics.is_empty() {
        let _ = writeln!(
            f,
            "publics: {}",
            yaml_list(p.publics.iter().map(|&i| world.site.publics[i].cle.clone()))
        );
    }
    f.push_str("structure:\n");
    let _ = writeln!(f, "  nom: {}", quoted(&p.structure_name));
    let _ = writeln!(f, "  forme_juridique: {}", p.legal_form.0);
    if let Some(siret) = &p.siret {
        let _ = writeln!(f, "  siret: {}", quoted(siret));
    }
    let _ = writeln!(f, "  code_postal: {}", quoted(&p.postal_code));
    let _ = writeln!(f, "  commune: {}", quoted(&p.head_office));
    if let Some(url) = &p.website {
        let _ = writeln!(f, "  site_web: {}", quoted(url));
    }
    if let Some(esus) = p.esus {
        let _ = writeln!(f, "  esus: {esus}");
    }
    if !p.partners.is_empty() {
        f.push_str("partenaires:\n");
        for (name, role) in &p.partners {
            let _ = writeln!(f, "  - nom: {}\n    role: {}", quoted(name), role.0);
        }
    }
    f.push_str("marqueurs:\n");
    for (key, score) in MARKER_KEYS.iter().zip(p.markers) {
        let _ = writeln!(f, "  {key}: {}", score_text(score));
    }
    if let Some((open, territories)) = &p.replication {
        let _ = writeln!(f, "essaimage:\n  ouvert: {open}");
        if !territories.is_empty() {
            let _ = writeln!(
                f,
                "  territoires: {}",
                yaml_list(territories.iter().map(|t| quoted(t)))
            );
        }
    }
    if let Some(email) = &p.email {
        let _ = writeln!(f, "contact:\n  email: {}", quoted(email));
    }
    let _ = writeln!(f, "mis_a_jour: {}", p.updated);
    f.push_str("---\n\n");
    f.push_str(&p.body);
    f
}

fn department<'a>(world: &'a World, code: &str) -> Option<&'a Department> {
    world.departments.iter().find(|d| d.code == code)
}

/// The same project as a Hugo content page: YAML front matter with title, summary, date, the
/// taxonomies `secteurs` and `departements` (department slugs, like amiris' paths) and what
/// the page shows as params (the twelve scores, resolved commune and EPCI names …).
fn hugo_file(world: &World, p: &Project) -> String {
    let mut f = String::with_capacity(4096);
    f.push_str("---\n");
    let _ = writeln!(f, "title: {}", quoted(&p.title));
    let _ = writeln!(f, "summary: {}", quoted(&p.summary));
    let _ = writeln!(f, "date: {}", p.label_date);
    let _ = writeln!(f, "lastmod: {}", p.updated);
    let _ = writeln!(f, "annee: {}", p.year);
    let _ = writeln!(
        f,
        "secteurs: {}",
        yaml_list(
            p.sectors
                .iter()
                .map(|&s| world.site.secteurs[s].cle.clone())
        )
    );
    let _ = writeln!(
        f,
        "departements: {}",
        yaml_list(
            p.departments
                .iter()
                .filter_map(|d| department(world, d))
                .map(|d| d.slug.clone())
        )
    );
    if !p.communes.is_empty() {
        f.push_str("communes:\n");
        for &c in &p.communes {
            let commune = &world.communes[c];
            let _ = writeln!(
                f,
                "  - code: {}\n    nom: {}",
                quoted(&commune.code),
                quoted(&commune.name)
            );
        }
        let epcis: BTreeSet<&str> = p
            .communes
            .iter()
            .map(|&c| world.communes[c].epci.as_str())
            .filter(|e| !e.is_empty())
            .collect();
        if !epcis.is_empty() {
            f.push_str("epci:\n");
            for siren in epcis {
                let name = world
                    .epci_names
                    .get(siren)
                    .map(String::as_str)
                    .unwrap_or(siren);
                let _ = writeln!(f, "  - {}", quoted(name));
            }
        }
    }
    if let Some(scope) = p.scope {
        let _ = writeln!(f, "echelle: {scope}");
    }
    let _ = writeln!(f, "stade: {}", quoted(p.stage.1));
    if !p.publics.is_empty() {
        let _ = writeln!(
            f,
            "publics: {}",
            yaml_list(p.publics.iter().map(|&i| world.site.publics[i].cle.clone()))
        );
    }
    f.push_str("structure:\n");
    let _ = writeln!(f, "  nom: {}", quoted(&p.structure_name));
    let _ = writeln!(f, "  forme_juridique: {}", quoted(p.legal_form.1));
    if let Some(siret) = &p.siret {
        let _ = writeln!(f, "  siret: {}", quoted(siret));
    }
    let _ = writeln!(f, "  code_postal: {}", quoted(&p.postal_code));
    let _ = writeln!(f, "  commune: {}", quoted(&p.head_office));
    if let Some(url) = &p.website {
        let _ = writeln!(f, "  site_web: {}", quoted(url));
    }
    if let Some(esus) = p.esus {
        let _ = writeln!(f, "  esus: {esus}");
    }
    if !p.partners.is_empty() {
        f.push_str("partenaires:\n");
        for (name, role) in &p.partners {
            let _ = writeln!(f, "  - nom: {}\n    role: {}", quoted(name), quoted(role.1));
        }
    }
    let _ = writeln!(
        f,
        "marqueurs: {}",
        yaml_list(p.markers.iter().map(|&s| score_text(s)))
    );
    if let Some((open, territories)) = &p.replication {
        let _ = writeln!(f, "essaimage:\n  ouvert: {open}");
        if !territories.is_empty() {
            let _ = writeln!(
                f,
                "  territoires: {}",
                yaml_list(territories.iter().map(|t| quoted(t)))
            );
        }
    }
    if let Some(email) = &p.email {
        let _ = writeln!(f, "contact: {}", quoted(email));
    }
    f.push_str("---\n\n");
    f.push_str(&p.body);
    f
}

/// `hugo.yaml`: pagination 12 (like the demonstration's `par_page`), the two taxonomies, no
/// RSS / sitemap / robots.txt, relative links (amiris' links are relative), a `radar.svg`
/// beside each project page (amiris writes one too).
fn hugo_config(world: &World) -> String {
    format!(
        r#"# Generated by examples/synthetic.rs for the benchmark (see bench/README.md).
baseURL: "https://innovation-sociale.example.fr/"
languageCode: fr
defaultContentLanguage: fr
title: {title}
paginate: 12
paginatePath: page
relativeURLs: true
disableKinds: [RSS, sitemap, robotsTXT]
params:
  description: {description}
taxonomies:
  secteur: secteurs
  departement: departements
markup:
  goldmark:
    renderer:
      unsafe: false
    parser:
      autoHeadingID: true
mediaTypes:
  image/svg+xml:
    suffixes: [svg]
outputFormats:
  radar:
    mediaType: image/svg+xml
    baseName: radar
    isPlainText: true
    notAlternative: true
outputs:
  home: [HTML]
  section: [HTML]
  taxonomy: [HTML]
  term: [HTML]
  page: [HTML, radar]
"#,
        title = quoted(&world.site_title),
        description = quoted(&world.site_description)
    )
}

/// The Hugo site's data files (`data/*.yaml`): markers, sectors (ordered list and name by
/// key), publics and departments, as paths relative to the Hugo site with their text.
fn hugo_data(world: &World) -> Vec<(&'static str, String)> {
    let mut markers = String::new();
    for (key, label) in MARKER_KEYS.iter().zip(MARKER_LABELS) {
        let _ = writeln!(markers, "- cle: {key}\n  nom: {}", quoted(label));
    }
    let mut sectors = String::new();
    let mut sector_names = String::new();
    for s in &world.site.secteurs {
        let _ = writeln!(
            sectors,
            "- cle: {}\n  nom: {}\n  description: {}",
            s.cle,
            quoted(&s.nom),
            quoted(&s.description)
        );
        let _ = writeln!(sector_names, "{}: {}", s.cle, quoted(&s.nom));
    }
    let mut publics = String::new();
    for p in &world.site.publics {
        let _ = writeln!(publics, "{}: {}", p.cle, quoted(&p.nom));
    }
    let mut departments = String::new();
    for d in &world.departments {
        let _ = writeln!(
            departments,
            "- code: {}\n  nom: {}\n  slug: {}",
            quoted(&d.code),
            quoted(&d.name),
            d.slug
        );
    }
    vec![
        ("data/marqueurs.yaml", markers),
        ("data/secteurs.yaml", sectors),
        ("data/noms_secteurs.yaml", sector_names),
        ("data/publics.yaml", publics),
        ("data/departements.yaml", departments),
    ]
}

fn write_file(path: &Path, text: &str) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut file = io::BufWriter::new(fs::File::create(path)?);
    file.write_all(text.as_bytes())?;
    file.flush()
}

fn copy_tree(from: &Path, to: &Path) -> io::Result<usize> {
    let mut copied = 0;
    fs::create_dir_all(to)?;
    let mut entries: Vec<_> = fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let kind = entry.file_type()?;
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copied += copy_tree(&entry.path(), &target)?;
        } else if kind.is_file() {
            fs::copy(entry.path(), &target)?;
            copied += 1;
        }
    }
    Ok(copied)
}

/// Makes `out` ready: created if missing; wiped of a previous generation if it holds our marker
/// file; refused if it is a non-empty folder we did not make.
fn prepare_output(out: &Path) -> Result<(), String> {
    let describe = |e: io::Error| format!("{} : {e}", out.display());
    if out.exists() {
        let empty = fs::read_dir(out).map_err(describe)?.next().is_none();
        if !empty {
            if !out.join(MARKER_FILE).is_file() {
                return Err(format!(
                    "{} n'est pas vide et n'a pas été créé par ce générateur : choisissez un autre dossier",
                    out.display()
                ));
            }
            for sub in ["content", "hugo", "output"] {
                let path = out.join(sub);
                if path.exists() {
                    fs::remove_dir_all(&path).map_err(describe)?;
                }
            }
        }
    }
    fs::create_dir_all(out).map_err(describe)?;
    write_file(
        &out.join(MARKER_FILE),
        "Dossier produit par examples/synthetic.rs (banc d'essai amiris) ; il peut être effacé.\n",
    )
    .map_err(describe)
}

fn run(options: &Options) -> Result<(), String> {
    let world = load_world()?;
    prepare_output(&options.out)?;
    let io_error = |path: &Path, e: io::Error| format!("{} : {e}", path.display());

    let site = options.out.join("content/site.yaml");
    write_file(&site, &default_language_only(SITE_YAML)).map_err(|e| io_error(&site, e))?;
    for (name, bytes) in SITE_MEDIAS {
        let path = options.out.join("content/medias").join(name);
        fs::create_dir_all(options.out.join("content/medias"))
            .and_then(|()| fs::write(&path, bytes))
            .map_err(|e| io_error(&path, e))?;
    }
    fs::create_dir_all(options.out.join("content/projets"))
        .map_err(|e| io_error(&options.out, e))?;

    let mut taken = HashSet::new();
    let mut words = 0usize;
    // Non-empty (department, sector) pairs, for the Hugo site's pages of each pair.
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for index in 0..options.projects {
        let project = generate_project(&world, options.seed, index, &mut taken);
        words += project.body.split_whitespace().count();
        for code in &project.departments {
            if let Some(d) = world.departments.iter().position(|d| &d.code == code) {
                pairs.extend(project.sectors.iter().map(|&sector| (d, sector)));
            }
        }
        let path = options
            .out
            .join(format!("content/projets/{}.md", project.slug));
        write_file(&path, &amiris_file(&world, &project)).map_err(|e| io_error(&path, e))?;
        if options.hugo {
            let path = options
                .out
                .join(format!("hugo/content/projets/{}.md", project.slug));
            write_file(&path, &hugo_file(&world, &project)).map_err(|e| io_error(&path, e))?;
        }
    }

    if options.hugo {
        let hugo = options.out.join("hugo");
        let files: Vec<(PathBuf, String)> = {
            let mut files = vec![
                (hugo.join("hugo.yaml"), hugo_config(&world)),
                (
                    hugo.join("content/_index.md"),
                    format!("---\ntitle: {}\n---\n", quoted(&world.site_title)),
                ),
                (
                    hugo.join("content/projets/_index.md"),
                    "---\ntitle: \"Tous les projets\"\n---\n".to_string(),
                ),
                (
                    hugo.join("content/secteurs/_index.md"),
                    "---\ntitle: \"Secteurs\"\n---\n".to_string(),
                ),
                (
                    hugo.join("content/departements/_index.md"),
                    "---\ntitle: \"Territoires\"\n---\n".to_string(),
                ),
                (
                    hugo.join("content/croisements/_index.md"),
                    "---\ntitle: \"Territoires\"\nurl: /territoires/\n---\n".to_string(),
                ),
            ];
            for (path, text) in hugo_data(&world) {
                files.push((hugo.join(path), text));
            }
            // amiris' territoires/<département>/<secteur>/ pages: one section per pair.
            for &(d, sector) in &pairs {
                let (d, sector) = (&world.departments[d], &world.site.secteurs[sector]);
                files.push((
                    hugo.join(format!("content/croisements/{}-{}/_index.md", d.slug, sector.cle)),
                    format!(
                        "---\ntitle: {}\nurl: /territoires/{}/{}/\ndepartement: {}\nsecteur: {}\n---\n",
                        quoted(&format!("{} · {}", sector.nom, d.name)),
                        d.slug,
                        sector.cle,
                        d.slug,
                        sector.cle
                    ),
                ));
            }
            for s in &world.site.secteurs {
                files.push((
                    hugo.join(format!("content/secteurs/{}/_index.md", s.cle)),
                    format!(
                        "---\ntitle: {}\ndescription: {}\n---\n",
                        quoted(&s.nom),
                        quoted(&s.description)
                    ),
                ));
            }
            for d in &world.departments {
                files.push((
                    hugo.join(format!("content/departements/{}/_index.md", d.slug)),
                    format!(
                        "---\ntitle: {}\ncode: {}\n---\n",
                        quoted(&d.name),
                        quoted(&d.code)
                    ),
                ));
            }
            files
        };
        for (path, text) in &files {
            write_file(path, text).map_err(|e| io_error(path, e))?;
        }
        let layouts = &options.layouts;
        copy_tree(layouts, &hugo.join("layouts")).map_err(|e| io_error(layouts, e))?;
        // The default theme's style sheet, at the same path as in amiris' output (optional).
        let css = layouts
            .parent()
            .and_then(Path::parent)
            .map(|repo| repo.join("themes/default/static/style.css"));
        if let Some(css) = css.filter(|css| css.is_file()) {
            let target = hugo.join("static/static/style.css");
            fs::create_dir_all(hugo.join("static/static")).map_err(|e| io_error(&target, e))?;
            fs::copy(&css, &target).map_err(|e| io_error(&css, e))?;
        }
    }

    eprintln!(
        "{} projets écrits dans {} (≈ {} mots de texte par projet){}",
        options.projects,
        options.out.display(),
        words.checked_div(options.projects).unwrap_or(0),
        if options.hugo {
            ", site Hugo équivalent dans hugo/"
        } else {
            ""
        }
    );
    Ok(())
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("erreur : {message}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated site is one amiris accepts without a single diagnostic (run by
    /// `cargo test`: `test = true` for this example in Cargo.toml), so that a change of the
    /// demonstration's site.yaml or of the content rules cannot silently break the benchmark.
    #[test]
    fn the_generated_site_is_valid() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let out = dir.path().join("site");
        let options = Options {
            projects: 60,
            out: out.clone(),
            hugo: false,
            seed: 1,
            layouts: PathBuf::from("bench/hugo-layouts"),
        };
        run(&options).expect("generated");
        let checked = amiris::build::check(&out).expect("readable");
        let diagnostics: Vec<String> = checked
            .validated
            .diagnostics
            .iter()
            .map(|d| format!("{}:{} {:?} {}", d.file, d.line, d.field, d.message))
            .collect();
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
        assert_eq!(checked.validated.projects.len(), 60);
    }

    #[test]
    fn generated_sirets_pass_luhn() {
        let mut rng = Rng(7);
        for _ in 0..1000 {
            let s = siret(&mut rng);
            assert_eq!(s.len(), 14);
            assert!(luhn_ok(&s), "{s}");
        }
        assert!(luhn_ok("44306184100047"));
        assert!(!luhn_ok("44306184100048"));
    }

    #[test]
    fn slugs_and_places() {
        assert_eq!(
            slugify("Épicerie solidaire d'Arras (2)"),
            "epicerie-solidaire-d-arras-2"
        );
        assert_eq!(of_place("Le Touquet-Paris-Plage"), "du Touquet-Paris-Plage");
        assert_eq!(of_place("Les Moëres"), "des Moëres");
        assert_eq!(of_place("Arras"), "d'Arras");
        assert_eq!(of_place("Lens"), "de Lens");
        let long = "conciergerie-solidaire-des-quatre-saisons-de-vallees-en-champagne-2";
        let label = dns_label(long);
        assert!(label.len() <= 63 && !label.ends_with('-'), "{label}");
        assert_eq!(
            label,
            "conciergerie-solidaire-des-quatre-saisons-de-vallees-en"
        );
        assert_eq!(dns_label("court"), "court");
    }

    #[test]
    fn catalogues_are_deterministic_prefixes() {
        let world = load_world().expect("reference data");
        let mut a = HashSet::new();
        let mut b = HashSet::new();
        for i in 0..200 {
            let p = generate_project(&world, 1, i, &mut a);
            let q = generate_project(&world, 1, i, &mut b);
            assert_eq!(amiris_file(&world, &p), amiris_file(&world, &q));
            assert!(
                p.markers
                    .iter()
                    .all(|m| (0.0..=3.0).contains(m) && (m * 2.0).fract() == 0.0)
            );
            assert!((1..=3).contains(&p.sectors.len()));
            assert!(p.summary.chars().count() <= 300);
            let words = p.body.split_whitespace().count();
            assert!((200..=450).contains(&words), "{words} words");
        }
        assert_eq!(a.len(), 200, "slugs are unique");
    }
}

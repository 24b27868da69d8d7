//! Validated, typed content: what templates and exports see (never raw author input).

use serde::Serialize;
use std::fmt;

/// Number of markers of the Institut Godin grid (the radar's axes).
pub const MARKER_COUNT: usize = 12;

/// The twelve marker keys, in the fixed order of the radar's axes (clockwise from 12 o'clock).
pub const MARKER_KEYS: [&str; MARKER_COUNT] = [
    "contextualisation",
    "beneficiaires",
    "nature_collectif",
    "intervention_collectif",
    "recherche",
    "ancrage_territorial",
    "gouvernance",
    "ressources",
    "accessibilite",
    "service",
    "rupture",
    "changement_social",
];

/// Default French labels of the twelve markers, in the order of [`MARKER_KEYS`].
pub const MARKER_LABELS: [&str; MARKER_COUNT] = [
    "Contextualisation du besoin et de l'aspiration",
    "Place des bénéficiaires",
    "Nature du collectif",
    "Intervention du collectif",
    "Place de la recherche",
    "Ancrage territorial",
    "Gouvernance",
    "Ressources",
    "Logique d'accessibilité",
    "Logique de service",
    "Rupture avec l'existant",
    "Capacité de changement social",
];

/// Default short help texts of the twelve markers, in the order of [`MARKER_KEYS`].
pub const MARKER_HELP: [&str; MARKER_COUNT] = [
    "Le projet répond à un besoin social ou à une aspiration identifiés sur le territoire, avec les personnes concernées.",
    "Les bénéficiaires participent à la conception, à la mise en œuvre et à l'évaluation du projet.",
    "Le projet est porté par un collectif diversifié d'acteurs (associations, habitants, entreprises, collectivités).",
    "Le collectif intervient réellement dans les décisions et la conduite du projet.",
    "Le projet s'appuie sur la recherche, l'expérimentation et l'évaluation pour apprendre et s'améliorer.",
    "Le projet s'inscrit dans son territoire, en mobilise les ressources et y crée des coopérations.",
    "Les décisions sont prises de façon démocratique et partagée entre les parties prenantes.",
    "Le projet hybride ses ressources : marchandes, publiques, bénévoles et de réciprocité.",
    "Le service est accessible à tous, sans discrimination financière, géographique ou culturelle.",
    "Le projet privilégie l'usage et la qualité du service rendu plutôt que la vente d'un produit.",
    "Le projet rompt avec les pratiques existantes par son approche, son organisation ou son public.",
    "Le projet transforme durablement les rapports sociaux, les pratiques et les politiques publiques.",
];

/// The six canonical body sections (level-2 headings) of the instruction grid.
pub const CANONICAL_SECTIONS: [&str; 6] = [
    "Contexte",
    "Processus",
    "Résultats",
    "Impacts",
    "Diffusion",
    "Synthèse",
];

/// The six canonical sections in English, in the order of [`CANONICAL_SECTIONS`] (the headings
/// of a project's English translation).
pub const CANONICAL_SECTIONS_EN: [&str; 6] = [
    "Context",
    "Process",
    "Results",
    "Impacts",
    "Dissemination",
    "Summary",
];

/// The canonical section headings of a translation into `language` (French for a language
/// without its own).
pub fn canonical_sections(language: &str) -> &'static [&'static str; 6] {
    match language {
        "en" => &CANONICAL_SECTIONS_EN,
        _ => &CANONICAL_SECTIONS,
    }
}

/// The translation of a project into a language other than the default
/// (`content/projets/<slug>.<code>.md`): its texts only, the rest comes from the project.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectTranslation {
    /// Language code (`en`).
    pub language: String,
    /// Slug of the translated project.
    pub slug: String,
    /// Source file, relative to the site root.
    pub source: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Alternative text of the project's image, if given.
    pub image_alt: Option<String>,
    /// Markdown body.
    pub body: String,
}

/// The translation of a free page (`content/pages/<slug>.<code>.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct PageTranslation {
    /// Language code (`en`).
    pub language: String,
    /// Slug of the translated page.
    pub slug: String,
    /// Source file, relative to the site root.
    pub source: String,
    /// Title.
    pub title: String,
    /// Summary, if given.
    pub summary: Option<String>,
    /// Markdown body.
    pub body: String,
}

/// A calendar date (ISO 8601, `YYYY-MM-DD`), validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2017.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of month, 1 to 31 (checked against the month).
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists (leap years included).
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = &text[range];
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (year >= 1 && (1..=days_in_month).contains(&day)).then_some(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The date in French, e.g. "15 juin 2017".
    pub fn french(&self) -> String {
        const MONTHS: [&str; 12] = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ];
        let day = if self.day == 1 {
            "1er".to_string()
        } else {
            self.day.to_string()
        };
        format!("{day} {} {}", MONTHS[self.month as usize - 1], self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The marker scale of the site: scores lie in `min..=max` on multiples of `step`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scale {
    /// Lowest score (centre of the radar).
    pub min: f64,
    /// Highest score (outer ring).
    pub max: f64,
    /// Distance between two allowed scores (and between two rings).
    pub step: f64,
}

impl Default for Scale {
    fn default() -> Self {
        Scale {
            min: 0.0,
            max: 3.0,
            step: 0.5,
        }
    }
}

impl Scale {
    /// Whether `score` lies on the scale (within bounds, a multiple of `step` from `min`).
    pub fn contains(&self, score: f64) -> bool {
        if !score.is_finite() || score < self.min - 1e-9 || score > self.max + 1e-9 {
            return false;
        }
        let steps = (score - self.min) / self.step;
        (steps - steps.round()).abs() < 1e-6
    }

    /// Every allowed score, from `min` to `max`.
    pub fn values(&self) -> Vec<f64> {
        let count = ((self.max - self.min) / self.step).round() as usize;
        (0..=count)
            .map(|i| self.min + i as f64 * self.step)
            .collect()
    }
}

/// A score shown to people: "2,5" (French decimal comma), "3".
pub fn format_score(score: f64) -> String {
    format_score_with(score, ',')
}

/// A score shown to people with `decimal` as decimal separator: "2.5" with `.`, "3".
pub fn format_score_with(score: f64, decimal: char) -> String {
    let rounded = (score * 100.0).round() / 100.0;
    if rounded.is_finite() && rounded.is_sign_positive() {
        // The digits `format!` writes for `{:.0}` or `{:.2}` with trailing zeros trimmed,
        // without its exact decimal expansion (a few percent of a build's processor time).
        let text = crate::radar::num(rounded);
        return match decimal {
            '.' => text.to_string(),
            _ => text.replace('.', decimal.encode_utf8(&mut [0; 4])),
        };
    }
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        let text = format!("{rounded:.2}");
        text.trim_end_matches('0')
            .replace('.', decimal.encode_utf8(&mut [0; 4]))
    }
}

/// A sector of the site's controlled vocabulary.
#[derive(Debug, Clone, Serialize)]
pub struct Sector {
    /// Key used in project files and in paths (`secteurs/<key>/`).
    pub key: String,
    /// Display name.
    pub name: String,
    /// Optional description shown on the sector page.
    pub description: String,
}

/// A target group of the site's vocabulary.
#[derive(Debug, Clone, Serialize)]
pub struct Public {
    /// Key used in project files.
    pub key: String,
    /// Display name.
    pub name: String,
}

/// Label and help text of one marker, after site overrides.
#[derive(Debug, Clone, Serialize)]
pub struct MarkerInfo {
    /// Fixed key (see [`MARKER_KEYS`]).
    pub key: &'static str,
    /// Display name.
    pub name: String,
    /// Short explanation.
    pub help: String,
    /// Whether site.yaml gives the name (else it is the theme's, in each language).
    #[serde(skip)]
    pub custom_name: bool,
    /// Whether site.yaml gives the explanation.
    #[serde(skip)]
    pub custom_help: bool,
}

/// Site settings from `content/site.yaml`, validated.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    /// Site title.
    pub title: String,
    /// One-paragraph description (home page, meta description).
    pub description: String,
    /// Absolute base URL for sitemap, feeds and social cards (ends with `/`), if known.
    pub url_base: Option<String>,
    /// Language code of the pages (`fr`): the default language, at the site's root.
    pub language: String,
    /// The other languages (`langues: [fr, en]` gives `en`), each under `<code>/`, with the
    /// site texts given for them.
    #[serde(skip)]
    pub translations: Vec<SiteTranslation>,
    /// Theme name (`default` is embedded in the binary).
    pub theme: String,
    /// Projects per listing page.
    pub per_page: usize,
    /// The marker scale.
    pub scale: Scale,
    /// Sectors, in the order of site.yaml.
    pub sectors: Vec<Sector>,
    /// Target groups, in the order of site.yaml.
    pub publics: Vec<Public>,
    /// The twelve markers with their (possibly overridden) labels.
    pub markers: Vec<MarkerInfo>,
    /// Whether the build draws a PNG social card per project (`cartes_de_partage`, on by
    /// default; `build --sans-cartes` turns it off for one build).
    pub social_cards: bool,
    /// Folder of the social-card cache (`cache_cartes`), relative to the site folder.
    #[serde(skip)]
    pub card_cache: Option<String>,
    /// The body that runs the site, if given.
    pub operator: Option<Operator>,
    /// Partners shown in the footer, in the order of site.yaml.
    pub partners: Vec<SitePartner>,
}

/// The texts of site.yaml given for one language other than the default (`{fr: …, en: …}`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteTranslation {
    /// Language code (`en`).
    pub language: String,
    /// Site title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Sector key -> name.
    pub sector_names: std::collections::BTreeMap<String, String>,
    /// Sector key -> description.
    pub sector_descriptions: std::collections::BTreeMap<String, String>,
    /// Target-group key -> name.
    pub public_names: std::collections::BTreeMap<String, String>,
    /// Marker key -> name.
    pub marker_names: std::collections::BTreeMap<String, String>,
    /// Marker key -> explanation.
    pub marker_helps: std::collections::BTreeMap<String, String>,
    /// Text alternative of the operating body's logo.
    pub operator_logo_alt: Option<String>,
    /// Partner position in `partenaires` -> text alternative of its logo.
    pub partner_logo_alts: std::collections::BTreeMap<usize, String>,
}

impl Site {
    /// Every language of the site, the default first.
    pub fn languages(&self) -> Vec<&str> {
        std::iter::once(self.language.as_str())
            .chain(self.translations.iter().map(|t| t.language.as_str()))
            .collect()
    }

    /// The settings as seen in `language`: the texts site.yaml gives for it replace the default
    /// language's (a text it does not give stays, as does a plain string given for all languages);
    /// `language` becomes the site's language and the site has no other.
    pub fn localized(&self, language: &str) -> Site {
        let mut site = self.clone();
        site.translations = Vec::new();
        site.language = language.to_string();
        let Some(translation) = self.translations.iter().find(|t| t.language == language) else {
            return site;
        };
        if let Some(title) = &translation.title {
            site.title = title.clone();
        }
        if let Some(description) = &translation.description {
            site.description = description.clone();
        }
        for sector in &mut site.sectors {
            if let Some(name) = translation.sector_names.get(&sector.key) {
                sector.name = name.clone();
            }
            if let Some(description) = translation.sector_descriptions.get(&sector.key) {
                sector.description = description.clone();
            }
        }
        for public in &mut site.publics {
            if let Some(name) = translation.public_names.get(&public.key) {
                public.name = name.clone();
            }
        }
        for marker in &mut site.markers {
            if let Some(name) = translation.marker_names.get(marker.key) {
                marker.name = name.clone();
                marker.custom_name = true;
            }
            if let Some(help) = translation.marker_helps.get(marker.key) {
                marker.help = help.clone();
                marker.custom_help = true;
            }
        }
        if let (Some(logo), Some(alt)) = (
            site.operator.as_mut().and_then(|o| o.logo.as_mut()),
            &translation.operator_logo_alt,
        ) {
            logo.alt = alt.clone();
        }
        for (i, partner) in site.partners.iter_mut().enumerate() {
            if let Some(alt) = translation.partner_logo_alts.get(&i) {
                partner.logo.alt = alt.clone();
            }
        }
        site
    }

    /// The sector with this key.
    pub fn sector(&self, key: &str) -> Option<&Sector> {
        self.sectors.iter().find(|s| s.key == key)
    }

    /// The target group with this key.
    pub fn public(&self, key: &str) -> Option<&Public> {
        self.publics.iter().find(|p| p.key == key)
    }
}

/// Declares a closed vocabulary: an enum with its YAML keys and French labels.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $key:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $(#[doc = $label] $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every key as written in YAML, in declaration order.
            pub const KEYS: &'static [&'static str] = &[$($key),+];

            /// The value written as `key` in YAML.
            pub fn from_key(key: &str) -> Option<Self> {
                match key { $($key => Some($name::$variant),)+ _ => None }
            }

            /// The key as written in YAML.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// The French label shown to visitors.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.key())
            }
        }
    };
}

vocabulary! {
    /// Development stage of a project.
    Stage {
        Emergence => "emergence", "Émergence";
        Experimentation => "experimentation", "Expérimentation";
        Developpement => "developpement", "Développement";
        Essaimage => "essaimage", "Essaimage";
    }
}

vocabulary! {
    /// Geographic scale at which a project acts.
    Scope {
        Locale => "locale", "Locale";
        Intercommunale => "intercommunale", "Intercommunale";
        Departementale => "departementale", "Départementale";
        Regionale => "regionale", "Régionale";
    }
}

vocabulary! {
    /// Legal form of the carrier structure.
    LegalForm {
        Association => "association", "Association";
        Fondation => "fondation", "Fondation";
        Scop => "scop", "SCOP";
        Scic => "scic", "SCIC";
        Sas => "sas", "SAS";
        Sasu => "sasu", "SASU";
        Sarl => "sarl", "SARL";
        Sa => "sa", "SA";
        Cooperative => "cooperative", "Coopérative";
        Autre => "autre", "Autre";
    }
}

vocabulary! {
    /// Role of a partner in a project.
    PartnerRole {
        Beneficiaires => "beneficiaires", "Bénéficiaires";
        Collectivite => "collectivite", "Collectivité";
        Recherche => "recherche", "Recherche";
        Entreprise => "entreprise", "Entreprise";
        Association => "association", "Association";
        Financeur => "financeur", "Financeur";
        Autre => "autre", "Autre";
    }
}

/// When and how the label was granted.
#[derive(Debug, Clone, Serialize)]
pub struct Label {
    /// Year the label was granted.
    pub year: u16,
    /// Committee decision date, if given.
    pub date: Option<Date>,
}

/// Where a project acts, resolved against the reference tables.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectTerritory {
    /// INSEE codes of the communes where it acts (current communes of the region), as written.
    pub communes: Vec<String>,
    /// Department codes: those given plus those of the communes, sorted, without duplicates.
    pub departments: Vec<String>,
    /// SIREN codes of the EPCI of its communes, sorted, without duplicates.
    pub epcis: Vec<String>,
    /// Declared scale of action.
    pub scope: Option<Scope>,
}

/// The carrier structure.
#[derive(Debug, Clone, Serialize)]
pub struct Structure {
    /// Name of the structure.
    pub name: String,
    /// Legal form.
    pub legal_form: LegalForm,
    /// SIRET (14 digits, checked).
    pub siret: Option<String>,
    /// Postal code of the head office (in the region).
    pub postal_code: String,
    /// Commune of the head office, as written.
    pub commune: String,
    /// Web site (absolute http(s) URL).
    pub website: Option<String>,
    /// ESUS agreement ("entreprise solidaire d'utilité sociale").
    pub esus: Option<bool>,
}

/// A partner of the project.
#[derive(Debug, Clone, Serialize)]
pub struct Partner {
    /// Partner name.
    pub name: String,
    /// Its role.
    pub role: PartnerRole,
}

/// Spreading of the practice ("essaimage").
#[derive(Debug, Clone, Serialize)]
pub struct Replication {
    /// The carrier welcomes replication elsewhere.
    pub open: bool,
    /// Department codes (anywhere in France) where it has been replicated.
    pub territories: Vec<String>,
}

/// An image of `content/medias/`: a project's illustration or a logo of site.yaml.
#[derive(Debug, Clone, Serialize)]
pub struct Image {
    /// Path relative to `content/` (e.g. `medias/panier.jpg`).
    pub src: String,
    /// Alternative text (never empty).
    pub alt: String,
    /// Width in pixels, when the file's size could be read (reserves its space on the page).
    #[serde(rename = "largeur")]
    pub width: Option<u32>,
    /// Height in pixels, when the file's size could be read.
    #[serde(rename = "hauteur")]
    pub height: Option<u32>,
}

/// The body that runs the site (`organisme` in site.yaml): shown in the header and footer.
#[derive(Debug, Clone, Serialize)]
pub struct Operator {
    /// Its name.
    pub name: String,
    /// Its own web site (absolute http(s) URL).
    pub website: Option<String>,
    /// Its logo.
    pub logo: Option<Image>,
}

/// A partner of the site (`partenaires` in site.yaml): its logo in the footer.
#[derive(Debug, Clone, Serialize)]
pub struct SitePartner {
    /// Its name.
    pub name: String,
    /// Its web site (absolute http(s) URL).
    pub website: Option<String>,
    /// Its logo.
    pub logo: Image,
}

/// A validated project (one file of `content/projets/`).
#[derive(Debug, Clone, Serialize)]
pub struct Project {
    /// Slug, from the file name; also the folder of its page.
    pub slug: String,
    /// Source file, relative to the site root (e.g. `content/projets/x.md`).
    pub source: String,
    /// Title.
    pub title: String,
    /// One-sentence summary (at most 300 characters).
    pub summary: String,
    /// Label year and date.
    pub label: Label,
    /// Sector keys (1 to 3), as ordered by the author.
    pub sectors: Vec<String>,
    /// Territory, resolved.
    pub territory: ProjectTerritory,
    /// Development stage.
    pub stage: Stage,
    /// Target group keys.
    pub publics: Vec<String>,
    /// Carrier structure.
    pub structure: Structure,
    /// Partners.
    pub partners: Vec<Partner>,
    /// The twelve scores, in the order of [`MARKER_KEYS`]; `None` means not assessed.
    pub markers: [Option<f64>; MARKER_COUNT],
    /// Spreading of the practice.
    pub replication: Option<Replication>,
    /// Illustration.
    pub image: Option<Image>,
    /// Organisational contact e-mail.
    pub contact_email: Option<String>,
    /// Last editorial update.
    pub updated: Option<Date>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// Markdown body (after the front matter).
    pub body: String,
}

/// A free page of `content/pages/`.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// Slug, from the file name; the page lives at `<slug>/index.html`.
    pub slug: String,
    /// Source file, relative to the site root.
    pub source: String,
    /// Title.
    pub title: String,
    /// Optional summary.
    pub summary: String,
    /// Position in the menu (lowest first; pages without come last, by title).
    pub order: Option<i64>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// Markdown body.
    pub body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert_eq!(
            Date::parse("2017-06-15"),
            Some(Date {
                year: 2017,
                month: 6,
                day: 15
            })
        );
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2023-13-01").is_none());
        assert!(Date::parse("2023-1-01").is_none());
        assert!(Date::parse("2023-01-+1").is_none());
        assert_eq!(Date::parse("2017-06-01").unwrap().french(), "1er juin 2017");
    }

    #[test]
    fn scale_accepts_only_its_steps() {
        let scale = Scale::default();
        assert!(scale.contains(0.0) && scale.contains(2.5) && scale.contains(3.0));
        assert!(!scale.contains(2.4) && !scale.contains(3.5) && !scale.contains(-0.5));
        assert!(!scale.contains(f64::NAN));
        assert_eq!(scale.values(), vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]);
    }

    #[test]
    fn scores_use_a_decimal_comma() {
        assert_eq!(format_score(2.5), "2,5");
        assert_eq!(format_score_with(1.0 / 3.0, '.'), "0.33");
        assert_eq!(format_score_with(0.125, ','), "0,13");
        assert_eq!(format_score_with(-0.5, ','), "-0,5");
        assert_eq!(format_score(3.0), "3");
        assert_eq!(format_score(1.25), "1,25");
    }

    /// `format_score_with` as first written, through the float formatting of `format!`.
    fn reference_format_score(score: f64, decimal: char) -> String {
        let rounded = (score * 100.0).round() / 100.0;
        if rounded.fract() == 0.0 {
            format!("{rounded:.0}")
        } else {
            let text = format!("{rounded:.2}");
            text.trim_end_matches('0')
                .replace('.', decimal.encode_utf8(&mut [0; 4]))
        }
    }

    #[test]
    fn scores_are_written_as_float_formatting_wrote_them() {
        let mut values: Vec<f64> = (0..200_000).map(|k| f64::from(k) / 1000.0).collect();
        for step in [0.5, 0.25, 0.1, 1.0 / 3.0, 0.125, 0.005, 0.015] {
            values.extend((0..10_000).map(|i| f64::from(i) * step));
        }
        // Pseudo-random values of every magnitude (SplitMix64 bits, finite, non-negative).
        let mut state = 20261205u64;
        for _ in 0..100_000 {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            let value = f64::from_bits((z ^ (z >> 31)) >> 1);
            if value.is_finite() {
                values.push(value);
            }
        }
        values.extend([
            0.0,
            -0.0,
            -0.004,
            -0.5,
            -2.675,
            1e15,
            4.5e15,
            1e300,
            f64::MAX,
        ]);
        values.extend([f64::INFINITY, f64::NEG_INFINITY, f64::NAN]);
        for value in values {
            for decimal in [',', '.'] {
                assert_eq!(
                    format_score_with(value, decimal),
                    reference_format_score(value, decimal),
                    "{value:e}"
                );
            }
        }
    }
}

//! Search and filter index of the catalogue page (`projets/recherche.json`), built at build time for `catalogue.js`.
//!
//! The index holds, per project in listing order, the fields a result card shows and its facet
//! values (as positions in the facet tables), plus an inverted index of the French word stems
//! of its title, summary, body, carrier structure and communes. Words are folded (lower case,
//! accents removed), split on anything that is not a letter or a digit, stop words and
//! one-letter words dropped, then reduced by a light French stemmer ([`stem`]).
//! `themes/default/static/catalogue.js` applies the very same folding, stop words and stemmer
//! to the query: the two must stay identical (the browser test compares them on a word list).
//!
//! Postings (the projects of a stem) are delta-encoded positions in base 36 joined by `.`:
//! at 1,000 projects the whole file stays well under the 200 KB compressed budget.

use crate::index::Index as CatalogueIndex;
use crate::model::{Project, Stage};
use crate::territory::Territories;
use crate::validate::stable_hash;
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// Version of the index format (read by `catalogue.js`): 2 added `langue` and `textes`.
pub const SEARCH_INDEX_VERSION: u32 = 2;

/// The theme's interface texts catalogue.js writes (messages, facet names, chips), given to it
/// in the index in the page's language. Their `{name}` holes are filled by the script.
pub const SCRIPT_TEXTS: [&str; 20] = [
    "catalogue_statut",
    "recherche_resultats_pertinents",
    "recherche_resultats_recents",
    "recherche_aucun",
    "recherche_aussi_dans_le_texte",
    "recherche_afficher_plus",
    "recherche_retirer_filtre",
    "recherche_puce_requete",
    "recherche_puce_filtre",
    "recherche_choisis",
    "recherche_ouvert_essaimage",
    "labellise_en",
    "secteurs",
    "facette_secteur",
    "facette_departement",
    "facette_epci",
    "facette_stade",
    "facette_public",
    "facette_annee",
    "facette_essaimage",
];

/// Accented letters and ligatures, by the letters they fold to (same table in catalogue.js).
const FOLDS: [(&str, &str); 12] = [
    ("a", "àáâãäåā"),
    ("c", "çćč"),
    ("e", "èéêëēėęě"),
    ("i", "ìíîïī"),
    ("n", "ñń"),
    ("o", "òóôõöøō"),
    ("u", "ùúûüū"),
    ("y", "ýÿ"),
    ("oe", "œ"),
    ("ae", "æ"),
    ("ss", "ß"),
    ("s", "š"),
];

/// Words too common to search for in French, folded (same list in catalogue.js).
pub const STOP_WORDS: [&str; 58] = [
    "au", "aux", "avec", "ce", "ces", "cet", "cette", "dans", "de", "des", "du", "elle", "en",
    "et", "est", "il", "ils", "la", "le", "les", "leur", "leurs", "lui", "mais", "me", "meme",
    "mes", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui",
    "sa", "se", "ses", "son", "sur", "un", "une", "vos", "votre", "vous", "ete", "etre", "sont",
    "ont", "plus", "aussi", "comme", "tout", "tous",
];

/// Suffixes the French stemmer removes, the first that fits winning (same list in
/// catalogue.js).
const SUFFIXES: [&str; 23] = [
    "issement", "ement", "ation", "atrice", "ateur", "ance", "ence", "euse", "eur", "isme", "iste",
    "ique", "aire", "iere", "ier", "ite", "ive", "elle", "if", "el", "ee", "er", "e",
];

/// Words too common to search for in English (same list in catalogue.js).
pub const ENGLISH_STOP_WORDS: [&str; 46] = [
    "about", "after", "all", "also", "an", "and", "are", "as", "at", "be", "been", "but", "by",
    "can", "for", "from", "had", "has", "have", "in", "into", "is", "it", "its", "not", "of", "on",
    "or", "our", "so", "than", "that", "the", "their", "them", "they", "this", "to", "was", "we",
    "were", "which", "who", "will", "with", "you",
];

/// Suffixes the English stemmer removes after the inflections, the first that fits winning
/// (same list in catalogue.js).
const ENGLISH_SUFFIXES: [&str; 31] = [
    "isation", "ization", "ational", "fulness", "ousness", "iveness", "ation", "ition", "ement",
    "ment", "ness", "able", "ible", "ance", "ence", "ship", "hood", "ally", "ical", "ity", "ive",
    "ise", "ize", "ism", "ist", "ful", "ous", "al", "er", "ly", "e",
];

/// Shortest stem the stemmers leave.
const MIN_STEM: usize = 3;

/// How the words of one language become search terms: its stop words and its stemmer. The
/// index of a language and the queries made on its pages use the same one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analysis {
    /// French stop words and the light French stemmer ([`stem`]).
    French,
    /// English stop words and the light English stemmer ([`stem_english`]).
    English,
    /// Any other language: words folded, nothing dropped but single letters, not stemmed.
    Plain,
}

impl Analysis {
    /// The analysis of a language code (`fr`, `en`; others are [`Analysis::Plain`]).
    pub fn of(language: &str) -> Analysis {
        match language {
            "fr" => Analysis::French,
            "en" => Analysis::English,
            _ => Analysis::Plain,
        }
    }

    /// The code catalogue.js knows it by (the index's `analyse`).
    pub fn code(self) -> &'static str {
        match self {
            Analysis::French => "fr",
            Analysis::English => "en",
            Analysis::Plain => "",
        }
    }

    fn stop_words(self) -> &'static [&'static str] {
        match self {
            Analysis::French => &STOP_WORDS,
            Analysis::English => &ENGLISH_STOP_WORDS,
            Analysis::Plain => &[],
        }
    }

    /// The stem of a folded word.
    pub fn stem(self, word: &str) -> String {
        match self {
            Analysis::French => stem(word),
            Analysis::English => stem_english(word),
            Analysis::Plain => word.to_string(),
        }
    }

    /// The search terms of a text: folded words without stop words or single characters,
    /// stemmed, in text order (with repeats).
    pub fn terms(self, text: &str) -> Vec<String> {
        let folded = fold(text);
        self.words(&folded).map(|word| self.stem(word)).collect()
    }

    /// The distinct search terms of a text ([`Analysis::terms`] without repeats), in no
    /// particular order: what an inverted index needs of each document.
    pub fn distinct_terms(self, text: &str) -> Vec<String> {
        let folded = fold(text);
        let mut seen: HashSet<Cow<'_, str>, foldhash::fast::FixedState> =
            HashSet::with_hasher(foldhash::fast::FixedState::default());
        for word in self.words(&folded) {
            seen.insert(self.stem_of(word));
        }
        seen.into_iter().map(Cow::into_owned).collect()
    }

    /// The words of a folded text that make terms: split on anything that is not a letter or
    /// a digit, single characters and stop words dropped.
    fn words(self, folded: &str) -> impl Iterator<Item = &str> {
        let stop_words = self.stop_words();
        folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(move |word| {
                // Stop words are all shorter than 8 bytes: longer words skip the lookup.
                let mut chars = word.chars();
                chars.next().is_some()
                    && chars.next().is_some()
                    && (word.len() >= 8 || !stop_words.contains(word))
            })
    }

    /// [`Analysis::stem`], borrowing from the word when the stem is a prefix of it.
    fn stem_of(self, word: &str) -> Cow<'_, str> {
        match self {
            Analysis::French => french_stem(word),
            Analysis::English => Cow::Owned(stem_english(word)),
            Analysis::Plain => Cow::Borrowed(word),
        }
    }
}

/// `text` folded for search: lower case, accents and ligatures removed ("Œuvre" → "oeuvre").
pub fn fold(text: &str) -> String {
    // `str::to_lowercase` lowers a capital sigma by its context, a char at a time cannot:
    // such (Greek) text takes the whole-string path.
    if text.contains('Σ') {
        return fold_lowercase(&text.to_lowercase());
    }
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
        } else {
            for lower in c.to_lowercase() {
                push_folded(&mut folded, lower);
            }
        }
    }
    folded
}

/// [`fold`] of a text already in lower case.
fn fold_lowercase(lower: &str) -> String {
    let mut folded = String::with_capacity(lower.len());
    for c in lower.chars() {
        push_folded(&mut folded, c);
    }
    folded
}

/// Pushes the folded form of a lower-case character (its base letters if it is in
/// [`FOLDS`], itself otherwise).
fn push_folded(folded: &mut String, c: char) {
    if c.is_ascii() {
        folded.push(c);
        return;
    }
    match FOLDS.iter().find(|(_, variants)| variants.contains(c)) {
        Some((base, _)) => folded.push_str(base),
        None => folded.push(c),
    }
}

/// The French stem of a folded word: plural removed, then the first fitting suffix of
/// [`SUFFIXES`] that leaves at least three letters. Only plain `a`–`z` words are stemmed.
pub fn stem(word: &str) -> String {
    french_stem(word).into_owned()
}

/// [`stem`], borrowing from the word unless the stem is not a prefix of it (`-aux` → `-al`).
fn french_stem(word: &str) -> Cow<'_, str> {
    if word.len() <= MIN_STEM || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    let stem = if word.ends_with("eaux") {
        &word[..word.len() - 1]
    } else if word.ends_with("aux") && word.len() > 4 {
        let mut stem = format!("{}al", &word[..word.len() - 3]);
        let kept = suffix_stripped(&stem, &SUFFIXES).len();
        stem.truncate(kept);
        return Cow::Owned(stem);
    } else if (word.ends_with('s') && !word.ends_with("ss")) || word.ends_with('x') {
        &word[..word.len() - 1]
    } else {
        word
    };
    Cow::Borrowed(suffix_stripped(stem, &SUFFIXES))
}

/// Removes the first of `suffixes` that `stem` ends with and that leaves at least
/// [`MIN_STEM`] letters.
fn strip_suffix(stem: &mut String, suffixes: &[&str]) {
    let kept = suffix_stripped(stem, suffixes).len();
    stem.truncate(kept);
}

/// `stem` without the first of `suffixes` it ends with that leaves at least [`MIN_STEM`]
/// letters (itself if none does).
fn suffix_stripped<'s>(stem: &'s str, suffixes: &[&str]) -> &'s str {
    match suffixes
        .iter()
        .find(|s| stem.len() >= s.len() + MIN_STEM && stem.ends_with(*s))
    {
        Some(suffix) => &stem[..stem.len() - suffix.len()],
        None => stem,
    }
}

/// The English stem of a folded word, in the manner of the French one: the plural or third
/// person (`-ies` → `-y`, `-sses` → `-ss`, `-s` but not `-ss`, `-us`, `-is`), then `-ing` or
/// `-ed` (`-ied` → `-y`; a doubled final consonant other than `l`, `s`, `z` undoubled:
/// "running" → "run"), then the first fitting suffix of [`ENGLISH_SUFFIXES`]; every step
/// leaves at least three letters. Only plain `a`–`z` words are stemmed.
pub fn stem_english(word: &str) -> String {
    if word.len() <= MIN_STEM || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    let keeps = |w: &str, suffix: &str| w.ends_with(suffix) && w.len() - suffix.len() >= MIN_STEM;
    let mut stem = word.to_string();
    if keeps(&stem, "ies") {
        stem.truncate(stem.len() - 3);
        stem.push('y');
    } else if stem.ends_with("sses") {
        stem.truncate(stem.len() - 2);
    } else if stem.ends_with('s')
        && !stem.ends_with("ss")
        && !stem.ends_with("us")
        && !stem.ends_with("is")
    {
        stem.truncate(stem.len() - 1);
    }
    let inflected = if keeps(&stem, "ied") {
        stem.truncate(stem.len() - 3);
        stem.push('y');
        false
    } else if keeps(&stem, "ing") {
        stem.truncate(stem.len() - 3);
        true
    } else if keeps(&stem, "ed") && !stem.ends_with("eed") {
        stem.truncate(stem.len() - 2);
        true
    } else {
        false
    };
    if inflected {
        let bytes = stem.as_bytes();
        let n = bytes.len();
        if n > MIN_STEM && bytes[n - 1] == bytes[n - 2] && !b"aeioulsz".contains(&bytes[n - 1]) {
            stem.truncate(n - 1);
        }
    }
    strip_suffix(&mut stem, &ENGLISH_SUFFIXES);
    stem
}

/// The French search terms of a text (see [`Analysis::terms`]).
pub fn terms(text: &str) -> Vec<String> {
    Analysis::French.terms(text)
}

/// A value of a facet.
#[derive(Debug, Serialize)]
struct FacetValue {
    /// Value in the URL query (sector key, department slug, EPCI SIREN…).
    cle: String,
    /// Label shown.
    nom: String,
    /// Page of the value on the site, relative to the root (sectors and departments).
    #[serde(skip_serializing_if = "Option::is_none")]
    chemin: Option<String>,
}

/// The facet tables.
#[derive(Debug, Serialize)]
struct Facets {
    secteur: Vec<FacetValue>,
    departement: Vec<FacetValue>,
    epci: Vec<FacetValue>,
    stade: Vec<FacetValue>,
    public: Vec<FacetValue>,
    annee: Vec<FacetValue>,
}

/// One project: card fields and facet positions (short keys: the file is downloaded).
#[derive(Debug, Serialize)]
struct Entry<'a> {
    /// Title.
    t: &'a str,
    /// Summary.
    r: &'a str,
    /// Slug (page `projets/<slug>/`).
    u: &'a str,
    /// Illustration path relative to the site root.
    #[serde(skip_serializing_if = "Option::is_none")]
    i: Option<&'a str>,
    /// Position of the label year in `annee`.
    a: usize,
    /// Position of the stage in `stade`.
    st: usize,
    /// Positions in `secteur`.
    s: Vec<usize>,
    /// Positions in `departement`.
    d: Vec<usize>,
    /// Positions in `epci`.
    e: Vec<usize>,
    /// Positions in `public`.
    p: Vec<usize>,
    /// Open to replication.
    o: u8,
}

/// The whole index.
#[derive(Debug, Serialize)]
struct Index<'a> {
    version: u32,
    /// Language of the pages using it: picks the stop words and stemmer of queries (as
    /// [`Analysis::of`]) and how numbers are written.
    langue: &'a str,
    /// The texts catalogue.js writes, in that language, as plain text (see [`SCRIPT_TEXTS`]).
    textes: BTreeMap<&'static str, serde_json::Value>,
    facettes: Facets,
    projets: Vec<Entry<'a>>,
    /// Stems, sorted (byte order, as JavaScript compares these ASCII-folded strings).
    termes: Vec<String>,
    /// For each stem, its projects: delta-encoded positions in `projets`, base 36, `.`-joined.
    postes: Vec<String>,
}

/// Position of `key` in `values`, by `cle`.
fn position(values: &[FacetValue], key: &str) -> Option<usize> {
    values.iter().position(|v| v.cle == key)
}

/// Delta-encoded postings in base 36.
fn encode_postings(positions: &[usize]) -> String {
    let mut out = String::new();
    let mut previous = 0;
    for (n, &position) in positions.iter().enumerate() {
        if n > 0 {
            out.push('.');
        }
        let mut delta = position - previous;
        previous = position;
        let mut digits = Vec::new();
        loop {
            digits.push(std::char::from_digit((delta % 36) as u32, 36).unwrap_or('0'));
            delta /= 36;
            if delta == 0 {
                break;
            }
        }
        out.extend(digits.iter().rev());
    }
    out
}

/// Every searchable word of a project, `body_text` being the plain text of its body.
fn project_text(project: &Project, body_text: &str, territories: &Territories) -> String {
    let mut text = format!(
        "{} {} {} {}",
        project.title, project.summary, project.structure.name, body_text
    );
    for code in &project.territory.communes {
        if let Some(commune) = territories.commune(code) {
            text.push(' ');
            text.push_str(&commune.name);
        }
    }
    text
}

/// [`SCRIPT_TEXTS`] in one language: a string, or its counted forms as
/// `{un, plusieurs, zero}` (`zero` falling back to `un`, as in templates).
fn script_texts(texts: &super::texts::LanguageTexts) -> BTreeMap<&'static str, serde_json::Value> {
    use super::texts::Entry;
    SCRIPT_TEXTS
        .iter()
        .map(|&key| {
            let value = match texts.interface.get(key) {
                Some(Entry::Counted {
                    un,
                    plusieurs,
                    zero,
                }) => serde_json::json!({
                    "un": super::texts::plain_text(un),
                    "plusieurs": super::texts::plain_text(plusieurs),
                    "zero": super::texts::plain_text(zero.as_ref().unwrap_or(un)),
                }),
                _ => serde_json::Value::String(super::texts::plain_text(texts.text(key))),
            };
            (key, value)
        })
        .collect()
}

/// The search index of the catalogue, as compact JSON: its words analysed as the site's
/// `language` says ([`Analysis::of`]), with the script's texts in that language.
pub fn search_index(
    index: &CatalogueIndex<'_>,
    texts: &super::texts::LanguageTexts,
    language: &str,
) -> Vec<u8> {
    let (site, catalogue, territories) = (index.site, &index.catalogue, index.territories);
    let analysis = Analysis::of(language);
    let projects: Vec<&Project> = catalogue.projects_in_listing_order().collect();
    // The distinct terms of every project, in listing order, stemmed in parallel (or taken
    // from the memo of the previous index when the project's text is the same).
    let memo = index.search_terms.map(|memo| {
        std::mem::take(
            &mut *memo
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    });
    let project_terms: Vec<(u64, Arc<[String]>)> = catalogue
        .listing()
        .par_iter()
        .map(|&i| match (catalogue.project(i), index.bodies.get(i)) {
            (Some(project), Some(body)) => {
                let text = project_text(project, &body.text, territories);
                let key = memo.as_ref().map_or(0, |_| stable_hash((language, &text)));
                if let Some(known) = memo.as_ref().and_then(|memo| memo.get(&key)) {
                    return (key, known.clone());
                }
                (key, analysis.distinct_terms(&text).into())
            }
            _ => (0, Arc::from([])),
        })
        .collect();
    if let Some(memo) = index.search_terms {
        *memo
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            project_terms.iter().cloned().collect();
    }

    let secteur = site
        .sectors
        .iter()
        .map(|s| FacetValue {
            cle: s.key.clone(),
            nom: s.name.clone(),
            chemin: Some(crate::routes::sector_dir(&s.key)),
        })
        .collect();
    let departement: Vec<FacetValue> = territories
        .departments()
        .iter()
        .map(|d| FacetValue {
            cle: d.slug.clone(),
            nom: d.name.clone(),
            chemin: Some(crate::routes::department_dir(&d.slug)),
        })
        .collect();
    // Only the EPCI that have projects, by name.
    let sirens: BTreeSet<&str> = projects
        .iter()
        .flat_map(|p| p.territory.epcis.iter().map(String::as_str))
        .collect();
    let mut epci: Vec<FacetValue> = sirens
        .into_iter()
        .map(|siren| FacetValue {
            cle: siren.to_string(),
            nom: territories
                .epci(siren)
                .map_or_else(|| siren.to_string(), |e| e.name.clone()),
            chemin: None,
        })
        .collect();
    epci.sort_by_cached_key(|v| (crate::text::fold(&v.nom), v.cle.clone()));
    let stade: Vec<FacetValue> = Stage::ALL
        .iter()
        .map(|s| FacetValue {
            cle: s.key().to_string(),
            nom: texts.stage(*s).to_string(),
            chemin: None,
        })
        .collect();
    let public: Vec<FacetValue> = site
        .publics
        .iter()
        .map(|p| FacetValue {
            cle: p.key.clone(),
            nom: p.name.clone(),
            chemin: Some(crate::routes::public_dir(&p.key)),
        })
        .collect();
    let years: BTreeSet<u16> = projects.iter().map(|p| p.label.year).collect();
    let annee: Vec<FacetValue> = years
        .iter()
        .rev()
        .map(|y| FacetValue {
            cle: y.to_string(),
            nom: y.to_string(),
            chemin: None,
        })
        .collect();
    let facettes = Facets {
        secteur,
        departement,
        epci,
        stade,
        public,
        annee,
    };

    // Positions are pushed in increasing order: each posting list comes out sorted, once.
    let mut postings: HashMap<&str, Vec<usize>, foldhash::fast::FixedState> =
        HashMap::with_hasher(foldhash::fast::FixedState::default());
    let mut entries = Vec::with_capacity(projects.len());
    for (n, (project, (_, project_terms))) in projects.iter().zip(&project_terms).enumerate() {
        for term in project_terms.iter() {
            postings.entry(term).or_default().push(n);
        }
        let positions = |values: &[FacetValue], keys: &mut dyn Iterator<Item = &str>| {
            keys.filter_map(|k| position(values, k)).collect::<Vec<_>>()
        };
        entries.push(Entry {
            t: &project.title,
            r: &project.summary,
            u: &project.slug,
            i: project.image.as_ref().map(|i| i.src.as_str()),
            a: position(&facettes.annee, &project.label.year.to_string()).unwrap_or(0),
            st: position(&facettes.stade, project.stage.key()).unwrap_or(0),
            s: positions(
                &facettes.secteur,
                &mut project.sectors.iter().map(String::as_str),
            ),
            d: positions(
                &facettes.departement,
                &mut project
                    .territory
                    .departments
                    .iter()
                    .filter_map(|c| territories.department(c))
                    .map(|d| d.slug.as_str()),
            ),
            e: positions(
                &facettes.epci,
                &mut project.territory.epcis.iter().map(String::as_str),
            ),
            p: positions(
                &facettes.public,
                &mut project.publics.iter().map(String::as_str),
            ),
            o: u8::from(project.replication.as_ref().is_some_and(|r| r.open)),
        });
    }
    let mut postings: Vec<(&str, Vec<usize>)> = postings.into_iter().collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let (termes, postes) = postings
        .into_iter()
        .map(|(term, positions)| (term.to_string(), encode_postings(&positions)))
        .unzip();
    let index = Index {
        version: SEARCH_INDEX_VERSION,
        langue: language,
        textes: script_texts(texts),
        facettes,
        projets: entries,
        termes,
        postes,
    };
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_vec(&index).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_accents_and_case() {
        assert_eq!(fold("École ŒUVRE Ça Noël"), "ecole oeuvre ca noel");
        assert_eq!(fold("ÉTÉ"), "ete");
    }

    /// The folding, stop words and stemming as first written (whole-string lower case, a
    /// table lookup per character, stems built as owned strings, repeats sorted away): the
    /// faster code must give the same terms.
    fn reference_distinct_terms(analysis: Analysis, text: &str) -> Vec<String> {
        let mut folded = String::new();
        for c in text.to_lowercase().chars() {
            match FOLDS.iter().find(|(_, variants)| variants.contains(c)) {
                Some((base, _)) => folded.push_str(base),
                None => folded.push(c),
            }
        }
        let mut terms: Vec<String> = folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 2 && !analysis.stop_words().contains(w))
            .map(|word| match analysis {
                Analysis::French => reference_french_stem(word),
                _ => analysis.stem(word),
            })
            .collect();
        terms.sort_unstable();
        terms.dedup();
        terms
    }

    fn reference_french_stem(word: &str) -> String {
        if word.len() <= MIN_STEM || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return word.to_string();
        }
        let mut stem = if word.ends_with("eaux") {
            word[..word.len() - 1].to_string()
        } else if word.ends_with("aux") && word.len() > 4 {
            format!("{}al", &word[..word.len() - 3])
        } else if (word.ends_with('s') && !word.ends_with("ss")) || word.ends_with('x') {
            word[..word.len() - 1].to_string()
        } else {
            word.to_string()
        };
        if let Some(suffix) = SUFFIXES
            .iter()
            .find(|s| stem.ends_with(*s) && stem.len() - s.len() >= MIN_STEM)
        {
            stem.truncate(stem.len() - suffix.len());
        }
        stem
    }

    #[test]
    fn distinct_terms_are_the_terms_without_repeats() {
        let mut texts = vec![
            "École ŒUVRE Ça Noël, les jardins partagés des Jardiniers ; ÉTÉ 2024.".to_string(),
            "Journaux, chateaux, sociaux, animatrices et ANIMATEURS : l'éducation populaire."
                .to_string(),
            "ΣΟΦΙΑ ΟΔΟΣ Σ σ İstanbul ǅemal ß Straße œil Æther ŠKODA ﬁn ½ x2 a b".to_string(),
            "İstanbul ǅemal ß Straße œil Æther ŠKODA ﬁn ÀÉÎÕÜ".to_string(),
            "running studied classes cities buses thesis analysis hopping".to_string(),
        ];
        // Every folded letter in capitals and small, beside plain words, and words ending in
        // every suffix of both stemmers.
        for (_, variants) in FOLDS {
            texts.push(format!(
                "{variants} {} x{variants}aux",
                variants.to_uppercase()
            ));
        }
        for suffix in SUFFIXES.iter().chain(ENGLISH_SUFFIXES.iter()) {
            texts.push(format!(
                "ab{suffix} abc{suffix} abcd{suffix}s abc{suffix}x {suffix}aux"
            ));
        }
        texts.push(STOP_WORDS.join(" ") + " " + &ENGLISH_STOP_WORDS.join(" "));
        for analysis in [Analysis::French, Analysis::English, Analysis::Plain] {
            for text in &texts {
                let mut terms = analysis.distinct_terms(text);
                terms.sort_unstable();
                assert_eq!(
                    terms,
                    reference_distinct_terms(analysis, text),
                    "{analysis:?}: {text}"
                );
                let mut repeated = analysis.terms(text);
                repeated.sort_unstable();
                repeated.dedup();
                assert_eq!(terms, repeated, "{analysis:?}: {text}");
            }
        }
        for word in [
            "jardins", "journaux", "chateaux", "eaux", "aux", "sociaux", "ete",
        ] {
            assert_eq!(stem(word), reference_french_stem(word), "{word}");
        }
    }

    /// [`Analysis::distinct_terms`] looks stop words up only for words under 8 bytes.
    #[test]
    fn stop_words_are_shorter_than_eight_bytes() {
        for word in STOP_WORDS.iter().chain(ENGLISH_STOP_WORDS.iter()) {
            assert!(word.len() < 8, "{word}");
        }
    }

    /// The word list also checked against catalogue.js in tests/search_browser.rs.
    #[test]
    fn french_word_forms_share_a_stem() {
        let same = [
            ("jardin", "jardins"),
            ("ecole", "ecoles"),
            ("journal", "journaux"),
            ("chateau", "chateaux"),
            ("social", "sociale"),
            ("sociaux", "social"),
            ("culturel", "culture"),
            ("animation", "animateur"),
            ("animatrice", "animation"),
            ("jardinier", "jardin"),
            ("jardiniere", "jardins"),
            ("engage", "engagement"),
            ("mobiliser", "mobilisation"),
            ("solidaire", "solidaires"),
        ];
        for (a, b) in same {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
        assert_eq!(stem("jardins"), "jardin");
        assert_eq!(stem("ecole"), "ecol");
        assert_eq!(stem("bus"), "bus");
        assert_eq!(stem("classe"), "class");
        assert_eq!(stem("2024"), "2024");
        assert_eq!(stem("cafe"), "caf");
    }

    /// The word list also checked against catalogue.js in tests/search_browser.rs.
    #[test]
    fn english_word_forms_share_a_stem() {
        let same = [
            ("garden", "gardens"),
            ("gardening", "gardeners"),
            ("community", "communities"),
            ("study", "studied"),
            ("studies", "studying"),
            ("house", "housing"),
            ("houses", "housed"),
            ("volunteer", "volunteering"),
            ("volunteers", "volunteered"),
            ("run", "running"),
            ("shop", "shopping"),
            ("local", "locally"),
            ("organise", "organisation"),
            ("organised", "organising"),
            ("repair", "repairs"),
            ("repaired", "repairing"),
            ("class", "classes"),
            ("solidarity", "solidarities"),
        ];
        for (a, b) in same {
            assert_eq!(stem_english(a), stem_english(b), "{a} / {b}");
        }
        assert_eq!(stem_english("gardens"), "garden");
        assert_eq!(stem_english("running"), "run");
        assert_eq!(stem_english("filling"), "fill");
        assert_eq!(stem_english("bus"), "bus");
        assert_eq!(stem_english("analysis"), "analysis");
        assert_eq!(stem_english("2024"), "2024");
        assert_eq!(stem_english("cafe"), "caf");
    }

    #[test]
    fn each_language_has_its_analysis() {
        assert_eq!(
            Analysis::English.terms("The gardens of the schools, in Amiens!"),
            vec!["garden", "school", "amien"]
        );
        // French stop words are words in English, and the other way round.
        assert_eq!(Analysis::English.terms("les"), vec!["les"]);
        assert!(Analysis::French.terms("les").is_empty());
        assert_eq!(Analysis::French.terms("the"), vec!["the"]);
        // A language without a stemmer keeps its words folded.
        assert_eq!(
            Analysis::of("de").terms("Die Gärten"),
            vec!["die", "garten"]
        );
        assert_eq!(Analysis::of("fr"), Analysis::French);
    }

    #[test]
    fn script_texts_are_plain_text_in_the_language() {
        let texts = crate::render::texts::Texts::load(None).expect("texts");
        let english = script_texts(texts.language("en"));
        assert_eq!(english.len(), SCRIPT_TEXTS.len());
        assert_eq!(
            english["recherche_aucun"],
            "No project matches these criteria."
        );
        assert_eq!(
            english["recherche_resultats_pertinents"]["plusieurs"],
            "{n} projects of {total}, most relevant first."
        );
        let french = script_texts(texts.language("fr"));
        assert_eq!(french["recherche_choisis"]["zero"], "({n} choisi)");
        assert_eq!(
            crate::render::texts::plain_text("R&amp;D &lt;b&gt; l&#39;a"),
            "R&D <b> l'a"
        );
    }

    #[test]
    fn terms_drop_stop_words_and_single_letters() {
        assert_eq!(
            terms("Les jardins de l'École, à Amiens !"),
            vec!["jardin", "ecol", "amien"]
        );
        assert!(terms("de la et à").is_empty());
    }

    #[test]
    fn postings_are_delta_encoded_in_base_36() {
        let positions = [0, 1, 37, 1000];
        // 0, +1, +36 ("10"), +963 ("qr").
        assert_eq!(encode_postings(&positions), "0.1.10.qr");
    }

    #[test]
    fn body_text_drops_markup_and_urls() {
        let text = crate::markdown::render_sections(
            "## Contexte\n\nUn [jardin](https://exemple.fr/x) *partagé*.",
            "",
        )
        .text;
        assert!(text.contains("jardin") && text.contains("partagé"));
        assert!(!text.contains("exemple") && !text.contains('#'));
    }
}

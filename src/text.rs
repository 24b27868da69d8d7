//! Text helpers shared by every stage: slugs, accent folding, near-miss suggestions.

use deunicode::deunicode;

/// A URL slug: ASCII, lower case, words joined by single hyphens ("Œuvre d'Art à Noël" ->
/// "oeuvre-d-art-a-noel").
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in deunicode(text).chars() {
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

/// Whether `slug` is a valid slug: lower-case ASCII letters, digits and single inner hyphens.
pub fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A French count with its noun or participle agreeing: `count(1, "page", "pages")` is
/// "1 page", `count(3, …)` is "3 pages" (0 and 1 take the singular, as in French).
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n > 1 { plural } else { singular })
}

/// Text folded for comparisons: accents removed, lower case, runs of non-alphanumerics as one
/// space ("Résultats " and "resultats" fold alike).
pub fn fold(text: &str) -> String {
    slugify(text).replace('-', " ")
}

/// The candidate closest to `word` when it is a plausible typo of it (for "did you mean").
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let folded = fold(word);
    candidates
        .into_iter()
        .map(|candidate| {
            let distance = strsim::damerau_levenshtein(&folded, &fold(candidate));
            (distance, candidate)
        })
        .filter(|(distance, candidate)| {
            let allowed = (candidate.chars().count() / 3).clamp(1, 3);
            *distance <= allowed
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Number of Unicode scalar values after trimming white space (how lengths are counted).
pub fn char_len(text: &str) -> usize {
    text.trim().chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_accents_and_punctuation() {
        assert_eq!(slugify("Œuvre d'Art à Noël"), "oeuvre-d-art-a-noel");
        assert_eq!(slugify("  Le Panier -- solidaire! "), "le-panier-solidaire");
        assert!(is_slug("panier-solidaire-2"));
        assert!(!is_slug("Panier") && !is_slug("a--b") && !is_slug("-a") && !is_slug("é"));
    }

    #[test]
    fn near_misses_are_suggested() {
        assert_eq!(closest("secteur", ["secteurs", "stade"]), Some("secteurs"));
        assert_eq!(closest("resumé", ["resume", "titre"]), Some("resume"));
        assert_eq!(closest("zzzz", ["secteurs", "stade"]), None);
    }
}

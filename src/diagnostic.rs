//! Diagnostics as data (file, line, column, field, French message), printed human or JSON.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How serious a problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The content cannot be published as is.
    Error,
    /// Worth fixing, but the site builds.
    Warning,
}

/// One problem in the content, at a precise place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code of the kind of problem (see [`CODES`]).
    pub code: &'static str,
    /// File, relative to the site root, '/'-separated.
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// Dotted field path (`marqueurs.gouvernance`, `secteurs[1]`), when the problem has one.
    pub field: Option<String>,
    /// What is wrong and what is allowed, in French.
    pub message: String,
}

impl Diagnostic {
    /// Whether this diagnostic is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Every diagnostic code with its explanation (French), for the docs and `--help` readers.
pub const CODES: &[(&str, &str)] = &[
    (
        "fichier",
        "Le fichier ne peut pas être lu : absent, illisible, trop gros, binaire, lien symbolique ou mal placé.",
    ),
    (
        "encodage",
        "Le fichier n'est pas en UTF-8 ou contient un caractère nul.",
    ),
    (
        "en-tete",
        "L'en-tête YAML (entre deux lignes `---`) est absent ou n'est jamais fermé.",
    ),
    (
        "yaml-syntaxe",
        "Le YAML de l'en-tête ne se lit pas (indentation, deux-points, guillemets).",
    ),
    (
        "yaml-limite",
        "L'en-tête dépasse les limites (alias trop développés, imbrication trop profonde).",
    ),
    (
        "yaml-etiquette",
        "Une étiquette YAML (`!!str`, `!x`…) est utilisée : elles ne sont pas acceptées.",
    ),
    (
        "cle-en-double",
        "Une même clé est écrite deux fois dans un même bloc.",
    ),
    (
        "champ-inconnu",
        "Un champ qui n'existe pas dans le format (souvent une faute de frappe).",
    ),
    ("champ-requis", "Un champ obligatoire manque."),
    (
        "type",
        "La valeur n'a pas le bon type (texte, nombre, liste, oui/non…).",
    ),
    (
        "guillemets",
        "Un code (département, commune, code postal, SIRET) doit être écrit entre guillemets.",
    ),
    ("longueur", "Un texte est trop court, trop long ou vide."),
    ("valeur", "La valeur n'est pas l'une des valeurs permises."),
    (
        "slug",
        "Le nom du fichier ne forme pas une adresse valide, est réservé ou déjà pris.",
    ),
    (
        "secteur",
        "Un secteur n'existe pas dans le vocabulaire de site.yaml, ou leur nombre n'est pas de 1 à 3.",
    ),
    (
        "public",
        "Un public n'existe pas dans le vocabulaire de site.yaml.",
    ),
    (
        "departement",
        "Un code de département n'est pas l'un de ceux de la région, ou de France.",
    ),
    (
        "commune",
        "Un code de commune n'est pas celui d'une commune actuelle de la région.",
    ),
    (
        "territoire",
        "Le territoire est incomplet ou incohérent (départements et communes).",
    ),
    (
        "code-postal",
        "Le code postal n'est pas l'un de ceux de la région.",
    ),
    (
        "commune-siege",
        "La commune du siège ne correspond pas à son code postal (avertissement).",
    ),
    (
        "siret",
        "Le SIRET n'a pas 14 chiffres ou sa clé de contrôle est fausse.",
    ),
    (
        "marqueur",
        "Un marqueur manque, est inconnu ou sa note n'est pas sur l'échelle.",
    ),
    (
        "marqueur-non-evalue",
        "Un marqueur est laissé à `null` (non évalué) (avertissement).",
    ),
    ("annee", "L'année du label n'est pas dans la plage permise."),
    (
        "date",
        "Une date n'est pas une date valide au format AAAA-MM-JJ.",
    ),
    (
        "url",
        "Une adresse web n'est pas absolue en http:// ou https://.",
    ),
    ("email", "Une adresse électronique est mal formée."),
    (
        "image",
        "L'image est introuvable sous content/medias/ ou son texte alternatif est vide.",
    ),
    (
        "section-manquante",
        "Une des six sections du corps (Contexte, Processus, Résultats, Impacts, Diffusion, Synthèse) manque (avertissement).",
    ),
    (
        "traduction",
        "Une traduction (fichier <nom>.<langue>.md) n'a pas d'original dans la langue par défaut, ou sa langue n'est pas l'une des autres langues du site (langues de site.yaml).",
    ),
    (
        "non-traduisible",
        "Une traduction donne un champ qui ne se traduit pas (codes, notes, territoire, structure… viennent du fichier original).",
    ),
    (
        "traduction-manquante",
        "Un texte de site.yaml donné par langue ({fr: …, en: …}) n'a pas de texte pour l'une des langues du site : ses pages montrent celui de la langue par défaut (avertissement).",
    ),
    (
        "corps-court",
        "Le corps du texte compte moins de 50 mots, commentaires HTML non comptés (avertissement).",
    ),
    (
        "corps-vide",
        "Le texte d'un projet publié est vide : ses sections n'ont que des titres ou des commentaires.",
    ),
    (
        "echelle",
        "L'échelle des marqueurs de site.yaml est incohérente.",
    ),
    (
        "fichier-ignore",
        "Un fichier de content/projets ou content/pages n'est pas un fichier .md et est ignoré (avertissement).",
    ),
    (
        "lien",
        "Un lien ou une image du texte mène à une adresse que le site ne publie pas (projet, page, secteur, territoire ou média inconnu, brouillon, « / » initial, « ../ » qui sort du site).",
    ),
];

/// Sorts diagnostics for output: by file, then position, then code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, b.code, &b.message))
    });
}

/// Diagnostics as one JSON array (the `check --format json` contract of site.md).
pub fn to_json(diagnostics: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".into())
}

/// Diagnostics as a compiler would print them: message, `--> file:line:column`, the source
/// line with a caret. `sources` maps a file to its text, for the quoted line.
pub fn to_human(diagnostics: &[Diagnostic], sources: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let label = match diagnostic.severity {
            Severity::Error => "erreur",
            Severity::Warning => "avertissement",
        };
        let _ = writeln!(out, "{label}[{}]: {}", diagnostic.code, diagnostic.message);
        let _ = writeln!(
            out,
            "  --> {}:{}:{}",
            diagnostic.file, diagnostic.line, diagnostic.column
        );
        let source_line = sources
            .get(&diagnostic.file)
            .and_then(|text| text.lines().nth(diagnostic.line.saturating_sub(1)));
        if let Some(line) = source_line {
            let number = diagnostic.line.to_string();
            let gutter = " ".repeat(number.len());
            let shown: String = line.chars().take(160).collect();
            let shown = shown.trim_end_matches('\r').replace('\t', " ");
            let caret_at: String = shown
                .chars()
                .take(diagnostic.column.saturating_sub(1))
                .map(|c| if c.is_whitespace() { c } else { ' ' })
                .collect();
            let _ = writeln!(out, " {gutter} |");
            let _ = writeln!(out, " {number} | {shown}");
            let _ = writeln!(out, " {gutter} | {caret_at}^");
        }
        if let Some(field) = &diagnostic.field {
            let _ = writeln!(out, "   = champ : {field}");
        }
        out.push('\n');
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let _ = writeln!(out, "{}", summary_line(errors, warnings));
    out
}

/// "2 erreurs, 1 avertissement" (French plurals), or a line saying all is well.
pub fn summary_line(errors: usize, warnings: usize) -> String {
    if errors == 0 && warnings == 0 {
        return "Aucun problème trouvé.".into();
    }
    use crate::text::count;
    format!(
        "{}, {}.",
        count(errors, "erreur", "erreurs"),
        count(warnings, "avertissement", "avertissements")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code: "champ-inconnu",
            file: "content/projets/a.md".into(),
            line: 2,
            column: 3,
            field: Some("secteur".into()),
            message: "champ inconnu".into(),
        }
    }

    #[test]
    fn human_output_quotes_the_line_with_a_caret() {
        let sources = BTreeMap::from([(
            "content/projets/a.md".to_string(),
            "---\n  secteur: x\n".to_string(),
        )]);
        let text = to_human(&[sample()], &sources);
        assert!(text.contains("erreur[champ-inconnu]: champ inconnu"));
        assert!(text.contains("--> content/projets/a.md:2:3"));
        assert!(text.contains(" 2 |   secteur: x\n   |   ^\n"), "{text}");
        assert!(text.contains("1 erreur, 0 avertissement."));
    }

    #[test]
    fn json_output_has_the_contract_fields() {
        let json: serde_json::Value = serde_json::from_str(&to_json(&[sample()])).expect("json");
        let item = &json[0];
        assert_eq!(item["severity"], "error");
        assert_eq!(item["code"], "champ-inconnu");
        assert_eq!(item["file"], "content/projets/a.md");
        assert_eq!(item["line"], 2);
        assert_eq!(item["column"], 3);
        assert_eq!(item["field"], "secteur");
    }

    #[test]
    fn every_code_is_in_the_user_docs() {
        let docs = include_str!("../docs/diagnostics.md");
        for (code, _) in CODES {
            assert!(
                docs.contains(&format!("| `{code}` |")),
                "{code} missing from docs"
            );
        }
    }

    #[test]
    fn every_code_is_documented_once() {
        let mut codes: Vec<_> = CODES.iter().map(|(code, _)| *code).collect();
        let count = codes.len();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), count);
    }
}

//! Reading typed values out of a YAML node tree while collecting every problem.

use crate::diagnostic::{Diagnostic, Severity};
use crate::text::closest;
use crate::yaml::{Key, Node, Pos, Value};

/// Collects the diagnostics of one file.
pub struct Checker<'a> {
    /// File, relative to the site root.
    pub file: &'a str,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    /// A checker for `file`.
    pub fn new(file: &'a str) -> Self {
        Checker {
            file,
            diagnostics: Vec::new(),
        }
    }

    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        pos: Pos,
        field: &str,
        message: String,
    ) {
        debug_assert!(
            crate::diagnostic::CODES
                .iter()
                .any(|(known, _)| *known == code),
            "diagnostic code {code} is not in diagnostic::CODES (nor, then, in docs/diagnostics.md)"
        );
        self.diagnostics.push(Diagnostic {
            severity,
            code,
            file: self.file.to_string(),
            line: pos.line.max(1),
            column: pos.column.max(1),
            field: (!field.is_empty()).then(|| field.to_string()),
            message,
        });
    }

    /// Records an error.
    pub fn error(&mut self, code: &'static str, pos: Pos, field: &str, message: impl Into<String>) {
        self.push(Severity::Error, code, pos, field, message.into());
    }

    /// Records a warning.
    pub fn warning(
        &mut self,
        code: &'static str,
        pos: Pos,
        field: &str,
        message: impl Into<String>,
    ) {
        self.push(Severity::Warning, code, pos, field, message.into());
    }

    /// Number of errors so far (to tell whether a part was valid).
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// `a.b` or `b` when the parent path is empty.
pub fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// "a, b ou c" for messages.
pub fn french_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} ou {last}", init.join(", ")),
    }
}

/// The entries of a mapping, checked against the keys it may have.
pub struct Fields<'n> {
    entries: &'n [(Key, Node)],
    /// Dotted path of the mapping (empty at the top).
    pub path: String,
    /// Where missing keys are reported: the mapping's own key, or line 1 at the top.
    pub anchor: Pos,
}

impl<'n> Fields<'n> {
    /// Opens `node` as a mapping whose keys must be among `allowed`; reports a wrong type and
    /// every unknown key (with a "did you mean").
    pub fn open(
        checker: &mut Checker<'_>,
        node: &'n Node,
        path: &str,
        anchor: Pos,
        allowed: &[&str],
    ) -> Option<Fields<'n>> {
        let Some(entries) = node.as_map() else {
            let what = if path.is_empty() {
                "l'en-tête".to_string()
            } else {
                format!("« {path} »")
            };
            checker.error(
                "type",
                node.pos,
                path,
                format!(
                    "{what} doit être un ensemble de champs `clé: valeur`, pas {}",
                    node.kind_name()
                ),
            );
            return None;
        };
        for (key, _) in entries {
            if allowed.contains(&key.name.as_str()) {
                continue;
            }
            let field = join(path, &key.name);
            let suggestion = closest(&key.name, allowed.iter().copied())
                .map(|s| format!(" Vouliez-vous dire « {s} » ?"))
                .unwrap_or_default();
            checker.error(
                "champ-inconnu",
                key.pos,
                &field,
                format!(
                    "champ inconnu « {} ».{suggestion} Champs permis ici : {}.",
                    key.name,
                    allowed.join(", ")
                ),
            );
        }
        Some(Fields {
            entries,
            path: path.to_string(),
            anchor,
        })
    }

    /// The key and value of `key`, if present and neither null nor blank text.
    pub fn get(&self, key: &str) -> Option<(&'n Key, &'n Node)> {
        self.entries
            .iter()
            .find(|(k, v)| k.name == key && !is_blank(v))
            .map(|(k, v)| (k, v))
    }

    /// Like [`Fields::get`], reporting a missing (or empty) required key at the right place.
    pub fn require(&self, checker: &mut Checker<'_>, key: &str) -> Option<(&'n Key, &'n Node)> {
        let found = self.get(key);
        if found.is_none() {
            let field = self.field(key);
            let empty_key = self.entries.iter().find(|(k, _)| k.name == key);
            let (pos, message) = match empty_key {
                Some((k, _)) => (k.pos, format!("le champ obligatoire « {field} » est vide")),
                None => (
                    self.anchor,
                    format!("le champ obligatoire « {field} » manque"),
                ),
            };
            checker.error("champ-requis", pos, &field, message);
        }
        found
    }

    /// The key, as the field specification ([`crate::fields`]) says: a required one missing
    /// or empty is reported (see [`Fields::require`]), and a value of the wrong shape is
    /// reported and not returned (see [`has_specified_shape`]), so the field's own rules only
    /// ever see a value of its shape.
    pub fn take(&self, checker: &mut Checker<'_>, key: &str) -> Option<(&'n Key, &'n Node)> {
        let path = self.field(key);
        let found = if crate::fields::is_required(&path) {
            self.require(checker, key)
        } else {
            self.get(key)
        }?;
        has_specified_shape(checker, found.1, &path).then_some(found)
    }

    /// Dotted path of a key of this mapping.
    pub fn field(&self, key: &str) -> String {
        join(&self.path, key)
    }
}

/// Whether `node` has the shape that the field specification ([`crate::fields::Shape`]) gives
/// the field at `path`; a wrong shape is reported with the message of that shape's reader
/// (a code without quotes, a date that does not exist, a lone value for a list…). Paths the
/// specification does not hold (site.yaml) pass.
pub fn has_specified_shape(checker: &mut Checker<'_>, node: &Node, path: &str) -> bool {
    use crate::fields::Shape;
    let Some(field) = crate::fields::field(path) else {
        return true;
    };
    let before = checker.error_count();
    match field.shape {
        Shape::Text | Shape::Url | Shape::Email | Shape::Path | Shape::Choice(_) => {
            text(checker, node, path);
        }
        Shape::Code => {
            code(checker, node, path);
        }
        Shape::Integer => {
            integer(checker, node, path);
        }
        Shape::Score if matches!(node.value, Value::Null) => {}
        Shape::Score => {
            number(checker, node, path);
        }
        Shape::Boolean => {
            boolean(checker, node, path);
        }
        Shape::Date => {
            date(checker, node, path);
        }
        Shape::Keys | Shape::Codes | Shape::Blocks => {
            list(checker, node, path);
        }
        Shape::Block if node.as_map().is_none() => checker.error(
            "type",
            node.pos,
            path,
            format!(
                "« {path} » doit être un ensemble de champs `clé: valeur`, pas {}",
                node.kind_name()
            ),
        ),
        Shape::Block => {}
    }
    checker.error_count() == before
}

/// Whether a node is null or a string of white space (both mean "not filled in").
fn is_blank(node: &Node) -> bool {
    match &node.value {
        Value::Null => true,
        Value::Str(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A text value (strings, and plain numbers or booleans taken as written).
pub fn text(checker: &mut Checker<'_>, node: &Node, field: &str) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.trim().to_string()),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => Some(node.raw.trim().to_string()),
        Value::Null => None,
        Value::Seq(_) | Value::Map(_) => {
            checker.error(
                "type",
                node.pos,
                field,
                format!("« {field} » doit être un texte, pas {}", node.kind_name()),
            );
            None
        }
    }
}

/// A text with a length in `min..=max` characters (counted after trimming).
pub fn bounded_text(
    checker: &mut Checker<'_>,
    node: &Node,
    field: &str,
    min: usize,
    max: usize,
) -> Option<String> {
    let value = text(checker, node, field)?;
    let length = crate::text::char_len(&value);
    if length < min || length > max {
        let allowed = if min <= 1 {
            format!("au plus {max} caractères")
        } else {
            format!("de {min} à {max} caractères")
        };
        checker.error(
            "longueur",
            node.pos,
            field,
            format!(
                "« {field} » compte {} : il en faut {allowed}",
                crate::text::count(length, "caractère", "caractères")
            ),
        );
        return None;
    }
    Some(value)
}

/// A text whose length bounds, if any, come from the field specification
/// ([`crate::fields::length`]).
pub fn specified_text(checker: &mut Checker<'_>, node: &Node, field: &str) -> Option<String> {
    match crate::fields::length(field) {
        Some((min, max)) => bounded_text(checker, node, field, min, max),
        None => text(checker, node, field),
    }
}

/// A code written as a quoted string (`"02"`); a plain number gets a message about quotes.
pub fn code(checker: &mut Checker<'_>, node: &Node, field: &str) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.trim().to_string()),
        Value::Int(_) | Value::Float(_) => {
            checker.error(
                "guillemets",
                node.pos,
                field,
                format!(
                    "écrivez ce code entre guillemets : \"{}\" (sans guillemets, YAML le lit comme \
                     un nombre et perd les zéros de tête)",
                    node.raw
                ),
            );
            None
        }
        _ => {
            checker.error(
                "type",
                node.pos,
                field,
                format!(
                    "« {field} » doit être un code entre guillemets, pas {}",
                    node.kind_name()
                ),
            );
            None
        }
    }
}

/// A whole number.
pub fn integer(checker: &mut Checker<'_>, node: &Node, field: &str) -> Option<i64> {
    match node.value {
        Value::Int(i) => Some(i),
        _ => {
            checker.error(
                "type",
                node.pos,
                field,
                format!(
                    "« {field} » doit être un nombre entier, pas {}",
                    node.kind_name()
                ),
            );
            None
        }
    }
}

/// A number (integer or decimal).
pub fn number(checker: &mut Checker<'_>, node: &Node, field: &str) -> Option<f64> {
    match node.value {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) if f.is_finite() => Some(f),
        _ => {
            let hint = if node.raw.contains(',') {
                " (le séparateur décimal est le point : 2.5)"
            } else {
                ""
            };
            // `.nan` and `.inf` are numbers to YAML but not scores: show them as written.
            let what = match node.value {
                Value::Float(_) => format!("« {} »", node.raw),
                _ => node.kind_name().to_string(),
            };
            checker.error(
                "type",
                node.pos,
                field,
                format!("« {field} » doit être un nombre, pas {what}{hint}"),
            );
            None
        }
    }
}

/// `true` or `false`.
pub fn boolean(checker: &mut Checker<'_>, node: &Node, field: &str) -> Option<bool> {
    match node.value {
        Value::Bool(b) => Some(b),
        _ => {
            // French authors write « oui » and « non »: say what they are in YAML.
            let hint = match crate::text::fold(&node.raw).as_str() {
                "oui" | "vrai" => " (oui s'écrit true)",
                "non" | "faux" => " (non s'écrit false)",
                _ => "",
            };
            checker.error(
                "type",
                node.pos,
                field,
                format!(
                    "« {field} » doit valoir true ou false, pas « {} »{hint}",
                    node.raw
                ),
            );
            None
        }
    }
}

/// An ISO date `AAAA-MM-JJ`, quoted or not.
pub fn date(checker: &mut Checker<'_>, node: &Node, field: &str) -> Option<crate::model::Date> {
    let parsed = match &node.value {
        Value::Str(s) => crate::model::Date::parse(s.trim()),
        _ => None,
    };
    if parsed.is_none() {
        // Written in the right form, the date itself does not exist (February 30).
        let well_formed = node.raw.len() == 10
            && node.raw.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        let message = if well_formed {
            format!(
                "le {} n'existe pas : vérifiez le jour et le mois (AAAA-MM-JJ, par exemple \
                 2017-06-15)",
                node.raw
            )
        } else {
            format!(
                "« {} » n'est pas une date valide : écrivez-la AAAA-MM-JJ, par exemple 2017-06-15",
                node.raw
            )
        };
        checker.error("date", node.pos, field, message);
    }
    parsed
}

/// The items of a list; a lone value gets a message showing the list form.
pub fn list<'n>(checker: &mut Checker<'_>, node: &'n Node, field: &str) -> Option<&'n [Node]> {
    match &node.value {
        Value::Seq(items) => Some(items),
        _ => {
            // A code written between quotes keeps them in the list.
            let example = match (node.raw.is_empty(), node.quoted) {
                (true, _) => "[valeur1, valeur2]".to_string(),
                (false, true) => format!("[\"{}\"]", node.raw),
                (false, false) => format!("[{}]", node.raw),
            };
            checker.error(
                "type",
                node.pos,
                field,
                format!(
                    "« {field} » doit être une liste, par exemple {example}, pas {}",
                    node.kind_name()
                ),
            );
            None
        }
    }
}

/// One of a closed set of keys; otherwise an error listing them (with a "did you mean").
pub fn choice<T: Copy>(
    checker: &mut Checker<'_>,
    node: &Node,
    field: &str,
    keys: &[&str],
    from_key: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let value = text(checker, node, field)?;
    if let Some(found) = from_key(&value) {
        return Some(found);
    }
    let suggestion = closest(&value, keys.iter().copied())
        .map(|s| format!(" Vouliez-vous dire « {s} » ?"))
        .unwrap_or_default();
    checker.error(
        "valeur",
        node.pos,
        field,
        format!(
            "« {value} » n'est pas une valeur permise pour « {field} ».{suggestion} Valeurs \
             permises : {}.",
            french_list(keys)
        ),
    );
    None
}

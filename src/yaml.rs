//! YAML front matter -> a tree of nodes that remember where they were written.
//!
//! Built from the event stream of serde-saphyr's parser (granit-parser) rather than through
//! serde, so that validation can report every problem of a file at once, tell a quoted
//! `"02"` from a plain `02`, refuse tags and duplicate keys, and bound alias expansion.

use serde_saphyr::granit_parser::{ErrorKind, Event, Parser, ScalarStyle};
use std::collections::HashMap;

/// Deepest nesting of collections accepted (the format needs 3).
pub const MAX_DEPTH: usize = 32;

/// Most nodes one document may expand to, aliases included (defeats "billion laughs").
pub const MAX_NODES: usize = 50_000;

/// A position in a file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, counted in characters.
    pub column: usize,
}

/// A mapping key with its position.
#[derive(Debug, Clone)]
pub struct Key {
    /// The key as written.
    pub name: String,
    /// Where the key starts.
    pub pos: Pos,
}

/// What a node holds, after YAML 1.2 core-schema resolution of plain scalars.
#[derive(Debug, Clone)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer written plainly (`2017`, `02`).
    Int(i64),
    /// A float written plainly (`2.5`).
    Float(f64),
    /// A string: quoted, block, or a plain scalar that is no other type.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order, keys unique.
    Map(Vec<(Key, Node)>),
}

/// A YAML value with its position and, for scalars, the text as written.
#[derive(Debug, Clone)]
pub struct Node {
    /// Where the value starts.
    pub pos: Pos,
    /// The resolved value.
    pub value: Value,
    /// For scalars: the source text (after unescaping), e.g. `02` for `Int(2)`.
    pub raw: String,
    /// Whether the scalar was quoted (`"…"` or `'…'`).
    pub quoted: bool,
}

impl Node {
    /// The entries of a mapping node.
    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// French name of the node's type, for messages ("un nombre", "une liste"…).
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "une valeur vide",
            Value::Bool(_) => "un booléen",
            Value::Int(_) | Value::Float(_) => "un nombre",
            Value::Str(_) => "un texte",
            Value::Seq(_) => "une liste",
            Value::Map(_) => "un ensemble de champs",
        }
    }
}

/// A problem found while reading YAML; `fatal` ones stop the reading of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlProblem {
    /// Where it is.
    pub pos: Pos,
    /// Stable diagnostic code.
    pub code: &'static str,
    /// Dotted field path when known.
    pub field: Option<String>,
    /// French message.
    pub message: String,
}

/// The outcome of reading a document: the tree (absent after a fatal problem) and all problems.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The root node, if the document could be read to its end.
    pub root: Option<Node>,
    /// Every problem, in source order of discovery.
    pub problems: Vec<YamlProblem>,
}

/// A collection being built while events stream in.
enum Frame {
    Seq {
        pos: Pos,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        pos: Pos,
        anchor: usize,
        entries: Vec<(Key, Node)>,
        pending_key: Option<Key>,
        /// Line of each key already in `entries`: duplicate keys found in constant time.
        lines: HashMap<String, usize>,
    },
}

/// Reads one YAML document. `first_line` is the file line of the document's first line, so
/// positions point into the whole file.
pub fn parse(text: &str, first_line: usize) -> Parsed {
    let mut builder = Builder {
        first_line,
        stack: Vec::new(),
        anchors: HashMap::new(),
        node_count: 0,
        parsed: Parsed::default(),
        documents: 0,
    };
    for item in Parser::new_from_str(text) {
        let step = match item {
            Ok((event, span)) => {
                let start = span.tag_start.unwrap_or(span.start);
                let pos = builder.pos(start.line(), start.col());
                if event_has_tag(&event) {
                    builder.problem(
                        pos,
                        "yaml-etiquette",
                        "les étiquettes YAML (`!!…`, `!…`) ne sont pas acceptées : écrivez la valeur \
                         sans étiquette"
                            .into(),
                    );
                }
                builder.event(event, pos)
            }
            Err(error) if matches!(error.kind(), ErrorKind::RecursionLimitExceeded) => {
                let marker = error.marker();
                Err(builder.too_deep(builder.pos(marker.line(), marker.col())))
            }
            Err(error) => {
                let marker = error.marker();
                let (line, column, message) =
                    syntax_message(text, error.kind(), marker.line(), marker.col());
                Err(YamlProblem {
                    pos: builder.pos(line, column),
                    code: "yaml-syntaxe",
                    field: None,
                    message,
                })
            }
        };
        if let Err(problem) = step {
            builder.parsed.problems.push(problem);
            builder.parsed.root = None;
            return builder.parsed;
        }
    }
    builder.parsed
}

/// What the user did wrong, from the parser's error kind and the lines around it: a French
/// explanation with its fix, and where to show it (line from 1 and column from 0 within
/// `text`, as the parser counts). The parser's English text never reaches the message.
fn syntax_message(
    text: &str,
    kind: &ErrorKind,
    line: usize,
    column: usize,
) -> (usize, usize, String) {
    let lines: Vec<&str> = text.lines().collect();
    // Errors found at the end of the text point past its last line.
    let index = line.max(1).min(lines.len().max(1)) - 1;
    let at = |i: usize| lines.get(i).copied().unwrap_or("");
    let chars_before = |i: usize, byte: usize| at(i)[..byte].chars().count();
    // The last line up to the error that opens a list it does not close.
    let open_bracket = (0..=index)
        .rev()
        .find_map(|i| unbalanced_bracket(at(i)).map(|c| (i, c)));
    match kind {
        ErrorKind::TabNotAllowed
        | ErrorKind::TabInBlockIndentation
        | ErrorKind::TabInIndentation
        | ErrorKind::TabInPlainScalar
        | ErrorKind::TabAtBlockScalarStart => {
            let (i, col) = (index.saturating_sub(1)..=index)
                .rev()
                .find_map(|i| at(i).find('\t').map(|b| (i, chars_before(i, b))))
                .unwrap_or((index, column));
            (
                i + 1,
                col,
                "une tabulation est utilisée ici : l'en-tête YAML ne se décale qu'avec des \
                 espaces. Remplacez la tabulation par des espaces (deux par niveau)."
                    .into(),
            )
        }
        // The quote that closed the value was the opening quote of a later value: the quote
        // that really lacks its closing twin is on an earlier line.
        ErrorKind::InvalidTrailingSingleQuotedScalar
        | ErrorKind::InvalidTrailingDoubleQuotedScalar
            if closes_an_earlier_line(at(index), column, kind) =>
        {
            let (i, col) = (0..index)
                .rev()
                .find_map(|i| unbalanced_quote(at(i)).map(|c| (i, c)))
                .unwrap_or((index, column));
            (i + 1, col, UNCLOSED_QUOTE.into())
        }
        ErrorKind::InvalidTrailingSingleQuotedScalar => (
            line,
            column,
            "du texte suit l'apostrophe qui ferme la valeur : dans un texte entre apostrophes \
             '…', une apostrophe le ferme. Écrivez plutôt tout le texte entre guillemets droits, \
             par exemple resume: \"L'atelier du quartier\"."
                .into(),
        ),
        ErrorKind::InvalidTrailingDoubleQuotedScalar => (
            line,
            column,
            "du texte suit le guillemet qui ferme la valeur : un texte entre guillemets \"…\" \
             s'arrête au guillemet suivant. Écrivez tout le texte entre les guillemets, et les \
             guillemets intérieurs en « chevrons », par exemple titre: \"Le « Panier » \
             solidaire\"."
                .into(),
        ),
        ErrorKind::UnclosedQuotedScalar
        | ErrorKind::DocumentIndicatorInQuotedScalar
        | ErrorKind::InvalidQuotedScalarIndent => {
            // The parser stops where the text ends: show the line where the quote opens.
            let (i, col) = (0..=index)
                .rev()
                .find_map(|i| unbalanced_quote(at(i)).map(|c| (i, c)))
                .unwrap_or((index, column));
            (i + 1, col, UNCLOSED_QUOTE.into())
        }
        ErrorKind::UnclosedFlowCollection { .. }
        | ErrorKind::UnexpectedEofFlowSequence
        | ErrorKind::UnexpectedEofFlowMapping
        | ErrorKind::UnexpectedEofImplicitFlowMapping
        | ErrorKind::ExpectedFlowSequenceSeparator
        | ErrorKind::ExpectedFlowMappingSeparator
        | ErrorKind::MisplacedFlowCollectionEnd
        | ErrorKind::MismatchedFlowCollectionEnd { .. } => {
            let (i, col) = open_bracket.unwrap_or((index, column));
            (i + 1, col, UNCLOSED_BRACKET.into())
        }
        // Inside an unclosed list, the parser stumbles on the next line's `key:`.
        _ if open_bracket.is_some() => {
            let (i, col) = open_bracket.unwrap_or((index, column));
            (i + 1, col, UNCLOSED_BRACKET.into())
        }
        _ => match (index.saturating_sub(1)..=index)
            .rev()
            .find(|&i| colon_in_plain_value(at(i)))
        {
            Some(i) => (
                i + 1,
                plain_value_start(at(i)).map_or(0, |b| chars_before(i, b)),
                "ce texte contient « : » (deux-points suivis d'une espace) : sans guillemets, \
                 YAML le prend pour un nouveau champ. Écrivez tout le texte entre guillemets, par \
                 exemple resume: \"Ateliers : cuisine et partage\"."
                    .into(),
            ),
            None => (
                line,
                column,
                "l'indentation ne convient pas ici : les champs d'un même bloc commencent à la \
                 même colonne, et ceux d'un bloc sont décalés de deux espaces sous son nom (par \
                 exemple « structure: » puis « nom: » deux espaces plus loin). Vérifiez aussi \
                 qu'une espace suit chaque deux-points."
                    .into(),
            ),
        },
    }
}

/// The explanation of a quote that is never closed.
const UNCLOSED_QUOTE: &str = "ce guillemet n'est jamais fermé : ajoutez le guillemet fermant à la \
                              fin du texte (\"…\" ou '…').";

/// Whether the quoted value that ends before `column` (from 0, in characters) of `line` began on
/// an earlier line: the line holds an odd number of such quotes up to there, so the one that
/// closed the value opened nothing on this line.
fn closes_an_earlier_line(line: &str, column: usize, kind: &ErrorKind) -> bool {
    let quote = match kind {
        ErrorKind::InvalidTrailingSingleQuotedScalar => '\'',
        _ => '"',
    };
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars().take(column) {
        if escaped {
            escaped = false;
        } else if c == '\\' && quote == '"' {
            escaped = true;
        } else if c == quote {
            count += 1;
        }
    }
    count % 2 == 1
}

/// The explanation of a list whose bracket is not closed.
const UNCLOSED_BRACKET: &str = "ce crochet n'est pas fermé : une liste s'écrit entre [ et ], ses \
                                éléments séparés par des virgules, par exemple secteurs: \
                                [alimentation, lien-social].";

/// Byte offset of the value of a `key: value` line (list dash allowed), if it has one.
fn plain_value_start(line: &str) -> Option<usize> {
    let at = line.find(": ")?;
    let rest = &line[at + 2..];
    Some(at + 2 + rest.len() - rest.trim_start().len())
}

/// Whether a line is `key: value` whose plain (unquoted) value holds another `: `.
fn colon_in_plain_value(line: &str) -> bool {
    let Some(start) = plain_value_start(line) else {
        return false;
    };
    let value = &line[start..];
    !value.starts_with(['"', '\'', '[', '{', '|', '>', '#']) && value.contains(": ")
}

/// Column (from 0, in characters) of a quote that a line opens and never closes.
fn unbalanced_quote(line: &str) -> Option<usize> {
    let mut open: Option<(char, usize)> = None;
    let mut escaped = false;
    let mut previous = ' ';
    // Last character before this one that is not a space (`:` at the start of the line).
    let mut last_visible = ':';
    for (column, c) in line.chars().enumerate() {
        match open {
            Some(('"', _)) if escaped => escaped = false,
            Some(('"', _)) if c == '\\' => escaped = true,
            Some((quote, _)) if c == quote => open = None,
            Some(_) => {}
            None if c == '#' && previous == ' ' => break,
            // A quote opens a value only at its start (after `: `, `- `, `[`, `,` or `{`).
            None if (c == '"' || c == '\'')
                && matches!(last_visible, ':' | '-' | '[' | ',' | '{') =>
            {
                open = Some((c, column));
            }
            None => {}
        }
        previous = c;
        if c != ' ' {
            last_visible = c;
        }
    }
    open.map(|(_, column)| column)
}

/// Column (from 0, in characters) of the first `[` or `{` that a line opens and never closes.
fn unbalanced_bracket(line: &str) -> Option<usize> {
    let mut stack = Vec::new();
    let mut quote: Option<char> = None;
    for (column, c) in line.chars().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => break,
            (None, '[' | '{') => stack.push(column),
            (None, ']' | '}') => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.first().copied()
}

fn event_has_tag(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::Scalar(_, _, _, Some(_))
            | Event::SequenceStart(_, _, Some(_))
            | Event::MappingStart(_, _, Some(_))
    )
}

struct Builder {
    first_line: usize,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    node_count: usize,
    parsed: Parsed,
    documents: usize,
}

impl Builder {
    fn pos(&self, line: usize, col: usize) -> Pos {
        Pos {
            line: line.max(1) + self.first_line - 1,
            column: col + 1,
        }
    }

    fn problem(&mut self, pos: Pos, code: &'static str, message: String) {
        self.parsed.problems.push(YamlProblem {
            pos,
            code,
            field: None,
            message,
        });
    }

    fn count(&mut self, added: usize, pos: Pos) -> Result<(), YamlProblem> {
        self.node_count = self.node_count.saturating_add(added);
        if self.node_count > MAX_NODES {
            return Err(YamlProblem {
                pos,
                code: "yaml-limite",
                field: None,
                message: format!(
                    "l'en-tête YAML compte trop de valeurs (plus de {MAX_NODES}, alias `*nom` \
                     développés compris) : une fiche n'en a besoin que de quelques dizaines ; \
                     écrivez les valeurs sans alias"
                ),
            });
        }
        Ok(())
    }

    fn event(&mut self, event: Event<'_>, pos: Pos) -> Result<(), YamlProblem> {
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => Ok(()),
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(YamlProblem {
                        pos,
                        code: "yaml-syntaxe",
                        field: None,
                        message: "l'en-tête contient plusieurs documents YAML : il n'en faut \
                                  qu'un, entre les deux lignes `---`"
                            .into(),
                    });
                }
                Ok(())
            }
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().ok_or_else(|| YamlProblem {
                    pos,
                    code: "yaml-syntaxe",
                    field: None,
                    message: "alias (`*nom`) sans ancre (`&nom`) correspondante".into(),
                })?;
                self.count(count_nodes(&node), pos)?;
                let node = Node { pos, ..node };
                self.push_node(node)
            }
            Event::Scalar(text, style, anchor, _) => {
                self.count(1, pos)?;
                let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
                let value = if matches!(style, ScalarStyle::Plain) {
                    resolve_plain(&text)
                } else {
                    Value::Str(text.to_string())
                };
                let node = Node {
                    pos,
                    value,
                    raw: text.into_owned(),
                    quoted,
                };
                if anchor != 0 {
                    self.anchors.insert(anchor, node.clone());
                }
                self.push_node(node)
            }
            Event::SequenceStart(_, anchor, _) => self.open(
                Frame::Seq {
                    pos,
                    anchor,
                    items: Vec::new(),
                },
                pos,
            ),
            Event::MappingStart(_, anchor, _) => self.open(
                Frame::Map {
                    pos,
                    anchor,
                    entries: Vec::new(),
                    pending_key: None,
                    lines: HashMap::new(),
                },
                pos,
            ),
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::Seq { pos, anchor, items }) => {
                        (collection(pos, Value::Seq(items)), anchor)
                    }
                    Some(Frame::Map {
                        pos,
                        anchor,
                        entries,
                        ..
                    }) => (collection(pos, Value::Map(entries)), anchor),
                    None => return Ok(()),
                };
                if anchor != 0 {
                    self.anchors.insert(anchor, node.clone());
                }
                self.push_node(node)
            }
            _ => Ok(()),
        }
    }

    fn open(&mut self, frame: Frame, pos: Pos) -> Result<(), YamlProblem> {
        self.count(1, pos)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.too_deep(pos));
        }
        self.stack.push(frame);
        Ok(())
    }

    /// The problem of a document nested deeper than [`MAX_DEPTH`] (ours or the parser's limit).
    fn too_deep(&self, pos: Pos) -> YamlProblem {
        YamlProblem {
            pos,
            code: "yaml-limite",
            field: None,
            message: format!(
                "l'en-tête YAML est imbriqué trop profondément (plus de {MAX_DEPTH} niveaux)"
            ),
        }
    }

    /// Attaches a finished node to the collection being built (or makes it the root).
    fn push_node(&mut self, node: Node) -> Result<(), YamlProblem> {
        let mut duplicate = None;
        match self.stack.last_mut() {
            None => self.parsed.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending_key,
                lines,
                ..
            }) => match pending_key.take() {
                None => {
                    let name = match &node.value {
                        Value::Str(_)
                        | Value::Int(_)
                        | Value::Float(_)
                        | Value::Bool(_)
                        | Value::Null => node.raw.clone(),
                        _ => {
                            return Err(YamlProblem {
                                pos: node.pos,
                                code: "yaml-syntaxe",
                                field: None,
                                message: "une clé doit être un simple mot, pas une liste ni un \
                                          ensemble de champs"
                                    .into(),
                            });
                        }
                    };
                    *pending_key = Some(Key {
                        name,
                        pos: node.pos,
                    });
                }
                Some(key) => {
                    if let Some(&first_line) = lines.get(&key.name) {
                        duplicate = Some((key, first_line));
                    } else {
                        lines.insert(key.name.clone(), key.pos.line);
                        entries.push((key, node));
                    }
                }
            },
        }
        if let Some((key, first)) = duplicate {
            self.parsed.problems.push(YamlProblem {
                pos: key.pos,
                code: "cle-en-double",
                field: None,
                message: format!(
                    "la clé « {} » est écrite deux fois (déjà ligne {}) : gardez-en une seule",
                    key.name, first
                ),
            });
        }
        Ok(())
    }
}

fn collection(pos: Pos, value: Value) -> Node {
    Node {
        pos,
        value,
        raw: String::new(),
        quoted: false,
    }
}

fn count_nodes(node: &Node) -> usize {
    match &node.value {
        Value::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Map(entries) => {
            1 + entries
                .iter()
                .map(|(_, n)| 1 + count_nodes(n))
                .sum::<usize>()
        }
        _ => 1,
    }
}

/// YAML 1.2 core schema resolution of a plain scalar.
fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(int) = text.parse::<i64>() {
            return Value::Int(int);
        }
        return Value::Float(text.parse().unwrap_or(f64::NAN));
    }
    if let Some(hex) = text.strip_prefix("0x")
        && let Ok(int) = i64::from_str_radix(hex, 16)
    {
        return Value::Int(int);
    }
    if let Some(oct) = text.strip_prefix("0o")
        && let Ok(int) = i64::from_str_radix(oct, 8)
    {
        return Value::Int(int);
    }
    let looks_float = unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && unsigned.bytes().any(|b| b.is_ascii_digit());
    if looks_float && let Ok(float) = text.parse::<f64>() {
        return Value::Float(float);
    }
    Value::Str(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node {
        let parsed = parse(text, 1);
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        parsed.root.expect("root")
    }

    fn entry<'a>(node: &'a Node, key: &str) -> &'a Node {
        &node
            .as_map()
            .expect("map")
            .iter()
            .find(|(k, _)| k.name == key)
            .expect("key")
            .1
    }

    #[test]
    fn plain_and_quoted_scalars_resolve_like_yaml_1_2() {
        let doc = root("a: 02\nb: \"02\"\nc: 2.5\nd: ~\ne: true\nf: 2017-06-15\ng: Lille\n");
        assert!(matches!(entry(&doc, "a").value, Value::Int(2)));
        assert_eq!(entry(&doc, "a").raw, "02");
        assert!(matches!(&entry(&doc, "b").value, Value::Str(s) if s == "02"));
        assert!(entry(&doc, "b").quoted);
        assert!(matches!(entry(&doc, "c").value, Value::Float(f) if f == 2.5));
        assert!(matches!(entry(&doc, "d").value, Value::Null));
        assert!(matches!(entry(&doc, "e").value, Value::Bool(true)));
        assert!(matches!(&entry(&doc, "f").value, Value::Str(s) if s == "2017-06-15"));
        assert!(matches!(&entry(&doc, "g").value, Value::Str(s) if s == "Lille"));
    }

    #[test]
    fn positions_are_one_based_and_offset_by_first_line() {
        let parsed = parse("titre: x\nstructure:\n  nom: y\n", 2);
        let doc = parsed.root.expect("root");
        let structure = &doc.as_map().expect("map")[1];
        assert_eq!(structure.0.pos, Pos { line: 3, column: 1 });
        let nom = &structure.1.as_map().expect("map")[0];
        assert_eq!(nom.0.pos, Pos { line: 4, column: 3 });
        assert_eq!(nom.1.pos, Pos { line: 4, column: 8 });
    }

    #[test]
    fn duplicate_keys_are_reported_and_the_first_kept() {
        let parsed = parse("titre: a\nresume: b\ntitre: c\n", 1);
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].code, "cle-en-double");
        assert_eq!(parsed.problems[0].pos.line, 3);
        let doc = parsed.root.expect("root");
        assert!(matches!(&entry(&doc, "titre").value, Value::Str(s) if s == "a"));
    }

    #[test]
    fn tags_are_reported() {
        let parsed = parse("titre: !!str 12\n", 1);
        assert_eq!(parsed.problems[0].code, "yaml-etiquette");
        assert_eq!(parsed.problems[0].pos.line, 1);
    }

    #[test]
    fn alias_bombs_stop_at_the_node_budget() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, \
                 *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let parsed = parse(&text, 1);
        assert!(parsed.root.is_none());
        assert_eq!(parsed.problems[0].code, "yaml-limite");
    }

    #[test]
    fn small_aliases_are_expanded() {
        let doc = root("a: &x [1, 2]\nb: *x\n");
        assert!(matches!(&entry(&doc, "b").value, Value::Seq(items) if items.len() == 2));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("a: {}{}\n", "[".repeat(200), "]".repeat(200));
        let parsed = parse(&text, 1);
        assert!(parsed.root.is_none());
        assert_eq!(parsed.problems[0].code, "yaml-limite");
    }

    #[test]
    fn the_parser_recursion_limit_is_a_depth_limit() {
        // 400,000 opening brackets stop in the parser itself, before our own depth check.
        let text = format!("titre: {}\n", "[".repeat(400_000));
        let parsed = parse(&text, 2);
        assert!(parsed.root.is_none());
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].code, "yaml-limite");
        assert_eq!(parsed.problems[0].pos.line, 2);
        assert!(parsed.problems[0].message.contains("imbriqué"));
    }

    #[test]
    fn many_keys_are_checked_for_duplicates_in_linear_time() {
        // 20,000 distinct keys (within the node budget), then one duplicate: a linear search
        // per key took seconds.
        let mut text: String = (0..20_000).map(|i| format!("k{i}: 1\n")).collect();
        text.push_str("k7: 2\n");
        let started = std::time::Instant::now();
        let parsed = parse(&text, 1);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
        assert_eq!(parsed.problems[0].code, "cle-en-double");
        assert_eq!(parsed.problems[0].pos.line, 20_001);
        assert!(parsed.problems[0].message.contains("déjà ligne 8"));
        assert_eq!(
            parsed.root.expect("root").as_map().expect("map").len(),
            20_000
        );
    }

    /// The single syntax problem of `text` (front matter starting on line 2): line, column and
    /// message, which must hold no English text of the parser.
    #[track_caller]
    fn syntax(text: &str) -> (usize, usize, String) {
        let parsed = parse(text, 2);
        assert!(parsed.root.is_none());
        assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
        let problem = &parsed.problems[0];
        assert_eq!(problem.code, "yaml-syntaxe");
        for english in [
            "allowed", "mapping", "scalar", "context", "while", "found", "tabs",
        ] {
            assert!(!problem.message.contains(english), "{}", problem.message);
        }
        (
            problem.pos.line,
            problem.pos.column,
            problem.message.clone(),
        )
    }

    #[test]
    fn a_colon_in_a_plain_text_asks_for_quotes() {
        let (line, column, message) =
            syntax("titre: x\nresume: Ateliers : cuisine et partage\nstade: idee\n");
        assert_eq!((line, column), (3, 9));
        assert!(message.contains("entre guillemets"), "{message}");
    }

    #[test]
    fn a_tab_asks_for_spaces() {
        let (line, column, message) = syntax("titre: x\nstructure:\n\tnom: y\n");
        assert_eq!((line, column), (4, 1));
        assert!(message.contains("tabulation"), "{message}");
        assert!(message.contains("espaces"), "{message}");
    }

    #[test]
    fn text_after_a_closing_quote_is_explained() {
        let (line, _, message) = syntax("titre: 'L'atelier du quartier'\nstade: idee\n");
        assert_eq!(line, 2);
        assert!(message.contains("apostrophe"), "{message}");
        let (line, _, message) = syntax("titre: \"Le \"Panier\" solidaire\"\n");
        assert_eq!(line, 2);
        assert!(message.contains("guillemet"), "{message}");
    }

    #[test]
    fn an_unclosed_quote_points_at_its_opening() {
        let (line, column, message) =
            syntax("titre: \"Le Panier\nresume: x\nstade: idee\nsecteurs: [a]\n");
        assert_eq!((line, column), (2, 8));
        assert!(message.contains("jamais fermé"), "{message}");
    }

    #[test]
    fn an_unclosed_quote_closed_by_a_later_value_points_at_its_opening() {
        // The text runs on to the next line's opening quote, then stumbles on what follows it.
        let (line, column, message) = syntax(
            "titre: x\nstructure:\n  nom: \"Association L'Épicerie\n  siret: \"44306184100047\"\n",
        );
        assert_eq!((line, column), (4, 8));
        assert!(message.contains("jamais fermé"), "{message}");
        let (line, column, message) =
            syntax("titre: 'Le Panier\nresume: 'Une épicerie'\nstade: idee\n");
        assert_eq!((line, column), (2, 8));
        assert!(message.contains("jamais fermé"), "{message}");
        // A value closed on its own line, with text after it, keeps its own explanation.
        let (_, _, message) = syntax("titre: x\nresume: \"Le \"Panier\" solidaire\"\n");
        assert!(message.contains("du texte suit le guillemet"), "{message}");
    }

    #[test]
    fn an_unclosed_bracket_points_at_its_opening() {
        let (line, column, message) =
            syntax("titre: x\nsecteurs: [alimentation, lien-social\nstade: idee\n");
        assert_eq!((line, column), (3, 11));
        assert!(message.contains("crochet"), "{message}");
    }

    #[test]
    fn a_bad_indentation_is_explained() {
        let (line, _, message) = syntax("titre: x\nstructure:\n  nom: y\n forme_juridique: z\n");
        assert!((4..=5).contains(&line), "{line}");
        assert!(message.contains("indentation"), "{message}");
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let parsed = parse("titre: \"non fermé\nresume: x\n", 5);
        assert!(parsed.root.is_none());
        assert_eq!(parsed.problems[0].code, "yaml-syntaxe");
        assert!(parsed.problems[0].pos.line >= 5);
    }
}

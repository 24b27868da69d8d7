//! `amiris import`: project files from a spreadsheet export (CSV), validated like `check`.
//!
//! Each row becomes the text of a project file; the texts are validated in memory together with
//! the site's existing content (same rules, same messages as `check`), and each diagnostic is
//! traced back to the row (spreadsheet line) and column it came from.

use crate::content::{self, LoadError, SourceFile};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{CANONICAL_SECTIONS, MARKER_KEYS, Site};
use crate::scaffold::{SECTION_HINTS, plain_io_error, write_message, yaml_quote};
use crate::text::{closest, fold, slugify};
use crate::validate::{self, rules};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

/// Separator of the values of a list inside one cell (as in the open-data export).
pub const LIST_SEPARATOR: char = '|';

/// Largest CSV file read (a catalogue of thousands of projects stays far below).
pub const MAX_CSV_BYTES: u64 = 50 * 1024 * 1024;

/// What `amiris import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Site folder (holds `content/site.yaml`).
    pub root: PathBuf,
    /// The CSV file.
    pub csv: PathBuf,
    /// Validate only, write nothing (`--essai`).
    pub dry_run: bool,
    /// Replace existing project files (`--remplacer`).
    pub replace: bool,
    /// Write the rows without errors even when others have some (`--partiel`).
    pub partial: bool,
}

/// A column of the import, with the project field it fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    /// File name (address); by default from the title.
    Slug,
    /// `titre`.
    Titre,
    /// `resume`.
    Resume,
    /// `label.annee`.
    LabelAnnee,
    /// `label.date`.
    LabelDate,
    /// `stade`.
    Stade,
    /// `secteurs` (list).
    Secteurs,
    /// `publics` (list).
    Publics,
    /// `territoire.echelle`.
    Echelle,
    /// `territoire.communes` (list).
    Communes,
    /// `territoire.departements` (list).
    Departements,
    /// `structure.nom`.
    StructureNom,
    /// `structure.forme_juridique`.
    FormeJuridique,
    /// `structure.siret`.
    Siret,
    /// `structure.code_postal`.
    CodePostal,
    /// `structure.commune`.
    StructureCommune,
    /// `structure.site_web`.
    SiteWeb,
    /// `structure.esus`.
    Esus,
    /// `partenaires[].nom` (list).
    Partenaires,
    /// `partenaires[].role` (list, same order).
    PartenairesRoles,
    /// `essaimage.ouvert`.
    EssaimageOuvert,
    /// `essaimage.territoires` (list).
    EssaimageTerritoires,
    /// `image.src`.
    ImageSrc,
    /// `image.alt`.
    ImageAlt,
    /// `contact.email`.
    ContactEmail,
    /// `mis_a_jour`.
    MisAJour,
    /// `brouillon`.
    Brouillon,
    /// `marqueurs.<key>`, by position in [`MARKER_KEYS`].
    Marqueur(usize),
    /// A canonical body section, by position in [`CANONICAL_SECTIONS`].
    Section(usize),
}

/// Columns of the open-data export that the import ignores (derived from the others).
pub const IGNORED_COLUMNS: &[&str] = &[
    "url",
    "secteurs_noms",
    "publics_noms",
    "communes_noms",
    "epci",
    "epci_noms",
    "departements_noms",
];

impl Column {
    /// The columns that fill one field of the specification ([`crate::fields`]).
    pub const FIELD_COLUMNS: [Column; 26] = {
        use Column::*;
        [
            Titre,
            Resume,
            LabelAnnee,
            LabelDate,
            Stade,
            Secteurs,
            Publics,
            Echelle,
            Communes,
            Departements,
            StructureNom,
            FormeJuridique,
            Siret,
            CodePostal,
            StructureCommune,
            SiteWeb,
            Esus,
            Partenaires,
            PartenairesRoles,
            EssaimageOuvert,
            EssaimageTerritoires,
            ImageSrc,
            ImageAlt,
            ContactEmail,
            MisAJour,
            Brouillon,
        ]
    };

    /// The path, in the field specification, of the field this column fills (none for the
    /// file name, the markers and the body sections).
    pub fn path(self) -> Option<&'static str> {
        use Column::*;
        Some(match self {
            Titre => "titre",
            Resume => "resume",
            LabelAnnee => "label.annee",
            LabelDate => "label.date",
            Stade => "stade",
            Secteurs => "secteurs",
            Publics => "publics",
            Echelle => "territoire.echelle",
            Communes => "territoire.communes",
            Departements => "territoire.departements",
            StructureNom => "structure.nom",
            FormeJuridique => "structure.forme_juridique",
            Siret => "structure.siret",
            CodePostal => "structure.code_postal",
            StructureCommune => "structure.commune",
            SiteWeb => "structure.site_web",
            Esus => "structure.esus",
            Partenaires => "partenaires[].nom",
            PartenairesRoles => "partenaires[].role",
            EssaimageOuvert => "essaimage.ouvert",
            EssaimageTerritoires => "essaimage.territoires",
            ImageSrc => "image.src",
            ImageAlt => "image.alt",
            ContactEmail => "contact.email",
            MisAJour => "mis_a_jour",
            Brouillon => "brouillon",
            Slug | Marqueur(_) | Section(_) => return None,
        })
    }

    /// The column that fills the field at a specification path.
    fn of_path(path: &str) -> Option<Column> {
        Column::FIELD_COLUMNS
            .into_iter()
            .find(|c| c.path() == Some(path))
    }
}

/// Every column: its key (the open-data export's column name) and its French title, both from
/// the field specification ([`crate::fields`]) but for the file name, markers and sections.
pub fn columns() -> Vec<(Column, String, String)> {
    let mut all = vec![(Column::Slug, "slug".to_string(), "Identifiant".to_string())];
    for field in crate::fields::FIELDS {
        if let (Some(name), Some(column)) = (field.column, Column::of_path(field.path)) {
            all.push((column, name.to_string(), field.title.to_string()));
        }
    }
    for (i, key) in MARKER_KEYS.iter().enumerate() {
        all.push((
            Column::Marqueur(i),
            format!("marqueur_{key}"),
            crate::model::MARKER_LABELS[i].to_string(),
        ));
    }
    for (i, section) in CANONICAL_SECTIONS.iter().enumerate() {
        all.push((Column::Section(i), slugify(section), section.to_string()));
    }
    all
}

/// The column a header names: its key or its title (case, accents and punctuation ignored),
/// or a marker's bare key (`gouvernance`).
fn column_named(header: &str, all: &[(Column, String, String)]) -> Option<Column> {
    let folded = fold(header);
    all.iter()
        .find(|(column, key, title)| {
            fold(key) == folded
                || fold(title) == folded
                || matches!(column, Column::Marqueur(i) if fold(MARKER_KEYS[*i]) == folded)
        })
        .map(|(column, _, _)| *column)
}

/// One problem traced back to the spreadsheet.
#[derive(Debug, Clone, PartialEq)]
pub struct RowProblem {
    /// Error or warning.
    pub severity: Severity,
    /// Diagnostic code, as in `check`.
    pub code: &'static str,
    /// The column header as written in the file, or the expected key when the column is absent.
    pub column: Option<String>,
    /// The field of the project file (`structure.code_postal`).
    pub field: Option<String>,
    /// The message of `check`.
    pub message: String,
}

/// One row of the spreadsheet and what became of it.
#[derive(Debug, Clone)]
pub struct RowReport {
    /// Line of the row in the spreadsheet (the header is line 1).
    pub line: u64,
    /// Project file, relative to the site root (`content/projets/<slug>.md`).
    pub path: String,
    /// Whether that file exists already.
    pub exists: bool,
    /// Text generated for the file.
    pub text: String,
    /// Problems of this row.
    pub problems: Vec<RowProblem>,
}

impl RowReport {
    /// Whether the row has an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// What an import found and did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Encoding found (`UTF-8` or `Windows-1252`).
    pub encoding: &'static str,
    /// Separator found.
    pub separator: char,
    /// Problems with the columns themselves (unknown, repeated, missing title).
    pub header_problems: Vec<String>,
    /// Errors of site.yaml (the rows cannot be checked against a broken vocabulary).
    pub site_problems: Vec<Diagnostic>,
    /// Every non-empty row.
    pub rows: Vec<RowReport>,
    /// Files written.
    pub written: Vec<String>,
    /// Files left as they were because they exist (no `--remplacer`).
    pub kept: Vec<String>,
    /// Spreadsheet lines not written because they have errors (`--partiel`).
    pub refused: Vec<u64>,
}

impl ImportReport {
    /// Whether anything has an error (exit code 1).
    pub fn has_errors(&self) -> bool {
        self.blocks_every_row() || self.rows.iter().any(RowReport::has_errors)
    }

    /// Whether no row can be written at all, even with `--partiel` (columns or site.yaml).
    pub fn blocks_every_row(&self) -> bool {
        !self.header_problems.is_empty() || !self.site_problems.is_empty()
    }
}

/// Why an import could not run at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The CSV file could not be read.
    #[error("« {path} » : {message}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What happened and what to do.
        message: String,
    },
    /// The site could not be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A project file could not be written.
    #[error("« {path} » : {message}")]
    Write {
        /// The file.
        path: PathBuf,
        /// What happened and what to do.
        message: String,
    },
}

/// Decodes a spreadsheet export: UTF-8 (BOM removed) when valid, else Windows-1252.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), "UTF-8"),
        Err(_) => (
            bytes.iter().map(|&b| windows_1252(b)).collect(),
            "Windows-1252",
        ),
    }
}

/// The character of a Windows-1252 byte (the five undefined bytes map to their C1 controls, as
/// browsers do).
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9F => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// The separator of the header line: whichever of `;`, `,` and tab occurs most outside quotes
/// (`;` on a tie, as French spreadsheets write).
pub fn sniff_separator(text: &str) -> char {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [';', ',', '\t'][best]
}

/// Runs the import: reads, generates, validates and (unless dry run or errors) writes.
pub fn run(options: &ImportOptions) -> Result<ImportReport, ImportError> {
    let read_error = |message: String| ImportError::Read {
        path: options.csv.clone(),
        message,
    };
    let meta = fs::metadata(&options.csv).map_err(|e| read_error(content::io_message(&e)))?;
    if !meta.is_file() {
        return Err(read_error(
            "ce n'est pas un fichier : indiquez le fichier CSV exporté du tableur".into(),
        ));
    }
    if meta.len() > MAX_CSV_BYTES {
        return Err(read_error(format!(
            "le fichier pèse {} Mo, au-delà de la limite de {} Mo : découpez-le",
            meta.len() / (1024 * 1024),
            MAX_CSV_BYTES / (1024 * 1024)
        )));
    }
    let bytes = fs::read(&options.csv).map_err(|e| read_error(content::io_message(&e)))?;
    let (text, encoding) = decode(&bytes);
    let separator = sniff_separator(&text);
    let mut report = ImportReport {
        encoding,
        separator,
        ..ImportReport::default()
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator as u8)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| read_error(csv_message(&e)))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let all = columns();
    let mut by_index: Vec<Option<Column>> = Vec::new();
    let mut header_of: BTreeMap<Column, String> = BTreeMap::new();
    for header in &headers {
        let column = if header.is_empty() || IGNORED_COLUMNS.iter().any(|i| fold(i) == fold(header))
        {
            None
        } else if let Some(column) = column_named(header, &all) {
            if let Some(first) = header_of.get(&column) {
                report.header_problems.push(format!(
                    "les colonnes « {first} » et « {header} » désignent le même champ : \
                     gardez-en une seule"
                ));
            } else {
                header_of.insert(column, header.clone());
            }
            Some(column)
        } else {
            let names: Vec<String> = all.iter().map(|(_, k, _)| k.clone()).collect();
            let titles: Vec<String> = all.iter().map(|(_, _, t)| t.clone()).collect();
            let suggestion = closest(
                header,
                names.iter().chain(titles.iter()).map(String::as_str),
            )
            .map(|s| format!(" Vouliez-vous dire « {s} » ?"))
            .unwrap_or_default();
            report.header_problems.push(format!(
                "colonne inconnue « {header} ».{suggestion} Les colonnes permises sont décrites \
                 dans docs/import.md (laissez vide l'en-tête d'une colonne à ignorer)."
            ));
            None
        };
        by_index.push(column);
    }
    if !header_of.contains_key(&Column::Titre) {
        report.header_problems.push(
            "la colonne « titre » (ou « Titre ») manque : elle est obligatoire, c'est d'elle \
             que vient le nom de chaque fiche"
                .into(),
        );
    }
    if !report.header_problems.is_empty() {
        return Ok(report);
    }

    let mut loaded = content::load(&options.root)?;
    let site = match &loaded.site {
        Some(file) => {
            validate::validate_site(file, &mut validate::fields::Checker::new(&file.path))
        }
        None => validate::default_site(),
    };
    let mut generated: Vec<(u64, String, String, BTreeMap<Column, String>)> = Vec::new();
    let mut extra: BTreeMap<u64, Vec<RowProblem>> = BTreeMap::new();
    let mut first_line_of: BTreeMap<String, u64> = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| read_error(csv_message(&e)))?;
        let line = record
            .position()
            .map_or(0, |p| line_at(&text, p.byte() as usize));
        let mut cells: BTreeMap<Column, String> = BTreeMap::new();
        for (index, cell) in record.iter().enumerate() {
            if let Some(Some(column)) = by_index.get(index) {
                let value = unneutralise(cell.trim());
                if !value.is_empty() {
                    cells.insert(*column, value);
                }
            }
        }
        if cells.is_empty() {
            continue;
        }
        let mut problems = Vec::new();
        // A row without text would publish an empty page: it is written as a draft.
        let no_text =
            (0..CANONICAL_SECTIONS.len()).all(|i| !cells.contains_key(&Column::Section(i)));
        // (A row that says `brouillon: non` asks to publish: `check` then refuses the empty text.)
        if no_text && !cells.contains_key(&Column::Brouillon) {
            cells.insert(Column::Brouillon, "oui".into());
            problems.push(RowProblem {
                severity: Severity::Warning,
                code: "corps-vide",
                column: None,
                field: None,
                message: "les colonnes du texte (Contexte à Synthèse) sont vides : la fiche est \
                          écrite en brouillon (brouillon: true), hors du site ; écrivez son texte \
                          puis retirez la ligne « brouillon » pour la publier"
                    .into(),
            });
        }
        let slug_column = if cells.contains_key(&Column::Slug) {
            Column::Slug
        } else {
            Column::Titre
        };
        let slug = match cells.get(&Column::Slug) {
            Some(given) => given.clone(),
            None => slugify(cells.get(&Column::Titre).map_or("", String::as_str)),
        };
        let stem = if slug.is_empty() {
            problems.push(RowProblem {
                severity: Severity::Error,
                code: "slug",
                column: header_of.get(&Column::Titre).cloned(),
                field: Some("titre".into()),
                message: "le titre est vide : il donne aussi le nom du fichier de la fiche".into(),
            });
            format!("ligne-{line}")
        } else {
            slug
        };
        if let Some(first) = first_line_of.get(&stem) {
            problems.push(RowProblem {
                severity: Severity::Error,
                code: "slug",
                column: header_of.get(&slug_column).cloned(),
                field: None,
                message: format!(
                    "la fiche « {stem}.md » viendrait aussi de la ligne {first} : deux lignes ne \
                     peuvent pas donner le même fichier (changez le titre ou la colonne slug)"
                ),
            });
        } else {
            first_line_of.insert(stem.clone(), line);
        }
        extra.insert(line, problems);
        let text = project_text(&cells, &site);
        generated.push((line, stem, text, cells));
    }

    // Validate the generated files in memory with the rest of the catalogue.
    let new_stems: BTreeSet<&str> = generated.iter().map(|(_, s, _, _)| s.as_str()).collect();
    let existing: BTreeSet<String> = loaded.projects.iter().map(|p| p.stem.clone()).collect();
    loaded
        .projects
        .retain(|p| !new_stems.contains(p.stem.as_str()));
    let mut seen = BTreeSet::new();
    for (_, stem, text, _) in &generated {
        if seen.insert(stem.clone()) {
            loaded.projects.push(SourceFile {
                path: format!("content/projets/{stem}.md"),
                stem: stem.clone(),
                text: text.as_str().into(),
            });
        }
    }
    loaded.projects.sort_by(|a, b| a.path.cmp(&b.path));
    let validated = validate::validate(&loaded, rules::current_year());
    report.site_problems = validated
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && d.file == "content/site.yaml")
        .cloned()
        .collect();
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for diagnostic in &validated.diagnostics {
        by_file
            .entry(&diagnostic.file)
            .or_default()
            .push(diagnostic);
    }
    let mut reported = BTreeSet::new();
    for (line, stem, text, cells) in generated {
        let path = format!("content/projets/{stem}.md");
        let mut problems = extra.remove(&line).unwrap_or_default();
        // A repeated row is reported once, on its own line; the file's problems on the first.
        if reported.insert(stem.clone()) {
            // A row without text already says so (corps-vide): no second warning about it.
            let said_empty = problems.iter().any(|p| p.code == "corps-vide");
            for diagnostic in by_file
                .get(path.as_str())
                .into_iter()
                .flatten()
                .filter(|d| !(said_empty && d.code == "corps-court"))
            {
                let column =
                    column_of(diagnostic.field.as_deref(), diagnostic.code, &cells).map(|c| {
                        header_of
                            .get(&c)
                            .cloned()
                            .unwrap_or_else(|| format!("{} (colonne absente)", key_of(c, &all)))
                    });
                let cell = column_of(diagnostic.field.as_deref(), diagnostic.code, &cells)
                    .and_then(|c| cells.get(&c));
                problems.push(RowProblem {
                    severity: diagnostic.severity,
                    code: diagnostic.code,
                    column,
                    field: diagnostic.field.clone(),
                    message: spreadsheet_message(diagnostic, cell.map(String::as_str), &site)
                        .unwrap_or_else(|| diagnostic.message.clone()),
                });
            }
        }
        report.rows.push(RowReport {
            line,
            exists: existing.contains(&stem),
            path,
            text,
            problems,
        });
    }

    if options.dry_run || report.blocks_every_row() || (report.has_errors() && !options.partial) {
        return Ok(report);
    }
    let folder = options.root.join("content").join("projets");
    fs::create_dir_all(&folder).map_err(|e| ImportError::Write {
        path: folder.clone(),
        message: write_message(&e),
    })?;
    for row in &report.rows {
        if row.has_errors() {
            report.refused.push(row.line);
            continue;
        }
        let target = options.root.join(&row.path);
        if row.exists && !options.replace {
            report.kept.push(row.path.clone());
            continue;
        }
        let result = if row.exists {
            fs::write(&target, &row.text).map_err(|e| write_message(&e))
        } else {
            crate::scaffold::write_new(&target, &row.text).map_err(|e| match e {
                crate::scaffold::ScaffoldError::Io { message, .. } => message,
                other => other.to_string(),
            })
        };
        result.map_err(|message| ImportError::Write {
            path: target.clone(),
            message,
        })?;
        report.written.push(row.path.clone());
    }
    Ok(report)
}

/// What a spreadsheet user needs instead of `check`'s message, for the problems a spreadsheet
/// causes: a date quoted in the user's own format, a SIRET the spreadsheet turned into a number,
/// a sector or public written as neither its key nor its exact name (with the name it is like).
fn spreadsheet_message(diagnostic: &Diagnostic, cell: Option<&str>, site: &Site) -> Option<String> {
    let cell = cell?;
    match diagnostic.code {
        code @ ("secteur" | "public") => {
            let (what, vocabulary): (&str, Vec<(&str, &str)>) = if code == "secteur" {
                let sectors = site.sectors.iter();
                (
                    "secteur",
                    sectors.map(|e| (e.key.as_str(), e.name.as_str())).collect(),
                )
            } else {
                let publics = site.publics.iter();
                (
                    "public",
                    publics.map(|e| (e.key.as_str(), e.name.as_str())).collect(),
                )
            };
            let index: usize = diagnostic
                .field
                .as_deref()?
                .split_once('[')?
                .1
                .strip_suffix(']')?
                .parse()
                .ok()?;
            let items = key_items(cell, vocabulary.iter().copied());
            let (written, key) = items.get(index)?;
            // A known key cited twice keeps `check`'s message.
            if vocabulary.iter().any(|(k, _)| k == key) {
                return None;
            }
            let suggestion = entry_like(written, &vocabulary)
                .map(|(key, name)| format!(" Vouliez-vous dire « {name} » (clé {key}) ?"))
                .unwrap_or_default();
            let keys: Vec<&str> = vocabulary.iter().map(|(k, _)| *k).collect();
            Some(format!(
                "« {written} » n'est ni la clé ni le nom d'un {what} de site.yaml.{suggestion} \
                 Écrivez la clé ou le nom exact ; clés permises : {}.",
                keys.join(", ")
            ))
        }
        "date" if date_parts(cell).is_some() || is_iso_shaped(cell) => Some(format!(
            "le {cell} n'existe pas : vérifiez le jour et le mois (JJ/MM/AAAA, par exemple \
             15/06/2017)"
        )),
        "date" => Some(format!(
            "« {cell} » n'est pas une date : écrivez-la JJ/MM/AAAA (par exemple 15/06/2017) ou \
             AAAA-MM-JJ"
        )),
        "siret" if is_scientific(cell) => Some(format!(
            "le tableur a transformé ce SIRET en nombre (« {cell} ») et en a perdu les derniers \
             chiffres : mettez la colonne SIRET au format Texte, saisissez de nouveau les 14 \
             chiffres, puis exportez encore le tableau en CSV"
        )),
        _ => None,
    }
}

/// Whether a cell is a number in a spreadsheet's scientific notation (`4,43062E+13`).
fn is_scientific(cell: &str) -> bool {
    let Some((mantissa, exponent)) = cell.split_once(['E', 'e']) else {
        return false;
    };
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    !mantissa.is_empty()
        && mantissa
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
        && !exponent.is_empty()
        && exponent.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a cell is written `AAAA-MM-JJ` with digits (a date in form, perhaps impossible).
fn is_iso_shaped(cell: &str) -> bool {
    let parts: Vec<&str> = cell.split('-').collect();
    matches!(parts.as_slice(), [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2)
        && cell.bytes().all(|b| b.is_ascii_digit() || b == b'-')
}

/// The spreadsheet line where the record starting at `byte` begins (line ends before it skipped).
fn line_at(text: &str, byte: usize) -> u64 {
    let byte = byte.min(text.len());
    let mut line = 1 + text.as_bytes()[..byte]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    for b in text.as_bytes()[byte..].iter() {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
    }
    line as u64
}

fn key_of(column: Column, all: &[(Column, String, String)]) -> String {
    all.iter()
        .find(|(c, _, _)| *c == column)
        .map_or_else(String::new, |(_, k, _)| k.clone())
}

/// A French explanation of a CSV reading error.
fn csv_message(error: &csv::Error) -> String {
    let line = error
        .position()
        .map(|p| format!(" (ligne {})", p.line()))
        .unwrap_or_default();
    match error.kind() {
        csv::ErrorKind::Io(io) => format!("lecture impossible : {}", plain_io_error(io)),
        _ => format!(
            "le fichier CSV est mal formé{line} : vérifiez les guillemets, puis exportez-le de \
             nouveau depuis le tableur"
        ),
    }
}

/// Removes the `'` the open-data export puts before a cell that starts like a formula.
fn unneutralise(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => cell.to_string(),
    }
}

/// The column a diagnostic's field comes from.
fn column_of(field: Option<&str>, code: &str, cells: &BTreeMap<Column, String>) -> Option<Column> {
    use Column::*;
    let Some(field) = field else {
        return match code {
            "slug" if cells.contains_key(&Slug) => Some(Slug),
            "slug" => Some(Titre),
            _ => None,
        };
    };
    // Drop list indexes: `partenaires[0].role` -> `partenaires.role`.
    let mut path = String::new();
    let mut depth = 0;
    for c in field.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            c if depth == 0 => path.push(c),
            _ => {}
        }
    }
    if let Some(key) = path.strip_prefix("marqueurs.") {
        return MARKER_KEYS.iter().position(|k| *k == key).map(Marqueur);
    }
    match path.as_str() {
        "marqueurs" => return Some(Marqueur(0)),
        // No list of communes but departments: the territory problem is theirs.
        "territoire" if !cells.contains_key(&Communes) && cells.contains_key(&Departements) => {
            return Some(Departements);
        }
        _ => {}
    }
    // A field's own column; a block's problem goes to its first field that has a column.
    let spec_path = match path.as_str() {
        "partenaires.nom" | "partenaires.role" => path.replacen("partenaires", "partenaires[]", 1),
        _ => path.clone(),
    };
    Column::of_path(&spec_path).or_else(|| {
        crate::fields::FIELDS
            .iter()
            .filter(|f| f.parent().trim_end_matches("[]") == spec_path)
            .find_map(|f| Column::of_path(f.path))
    })
}

/// Values of a list cell: split on `|` (and, for keys and codes, on `,` too).
fn list_values(cell: &str, codes: bool) -> Vec<String> {
    cell.split(|c| c == LIST_SEPARATOR || (codes && c == ','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// A code whose leading zeros a spreadsheet dropped gets them back (`2` -> `02`).
fn pad_code(value: &str, width: usize) -> String {
    if value.bytes().all(|b| b.is_ascii_digit()) && value.len() < width && value.len() + 1 == width
    {
        format!("0{value}")
    } else {
        value.to_string()
    }
}

fn quoted_list(values: &[String]) -> String {
    let items: Vec<String> = values.iter().map(|v| yaml_quote(v)).collect();
    format!("[{}]", items.join(", "))
}

/// A number cell with a decimal comma or point, written plainly; anything else quoted (the
/// validator then says what is expected).
fn number_value(cell: &str) -> String {
    let normalised = cell.replace(',', ".").replace(' ', "");
    match normalised.parse::<f64>() {
        Ok(x) if x.is_finite() && !normalised.contains(['e', 'E', 'i', 'n', 'N']) => normalised,
        _ => yaml_quote(cell),
    }
}

/// A whole-number cell written plainly, else quoted.
fn integer_value(cell: &str) -> String {
    if !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit()) && cell.len() <= 6 {
        cell.to_string()
    } else {
        yaml_quote(cell)
    }
}

/// `oui`/`non` (and `vrai`/`faux`, `true`/`false`, `1`/`0`, `x`) as a YAML boolean.
fn boolean_value(cell: &str) -> String {
    match fold(cell).as_str() {
        "oui" | "o" | "vrai" | "true" | "1" | "x" | "yes" => "true".into(),
        "non" | "n" | "faux" | "false" | "0" | "no" => "false".into(),
        _ => yaml_quote(cell),
    }
}

/// Day, month and year of a `JJ/MM/AAAA` cell (spreadsheets' French display), as written.
fn date_parts(cell: &str) -> Option<(&str, &str, &str)> {
    let parts: Vec<&str> = cell.split('/').collect();
    match parts.as_slice() {
        [d, m, y]
            if y.len() == 4
                && (1..=2).contains(&d.len())
                && (1..=2).contains(&m.len())
                && [d, m, y]
                    .iter()
                    .all(|p| p.bytes().all(|b| b.is_ascii_digit())) =>
        {
            Some((d, m, y))
        }
        _ => None,
    }
}

/// An ISO date kept as is; `JJ/MM/AAAA` turned into ISO.
fn date_value(cell: &str) -> String {
    match date_parts(cell) {
        Some((d, m, y)) => yaml_quote(&format!("{y}-{m:0>2}-{d:0>2}")),
        None => yaml_quote(cell),
    }
}

/// The text of the project file for one row; sectors and publics may be given by their key or
/// their name in `site`.
pub fn project_text(cells: &BTreeMap<Column, String>, site: &Site) -> String {
    use Column::*;
    let get = |c: Column| cells.get(&c).map(String::as_str);
    let mut out = String::from("---\n");
    let line = |out: &mut String, indent: &str, key: &str, value: Option<String>| match value {
        Some(v) => {
            let _ = writeln!(out, "{indent}{key}: {v}");
        }
        None => {
            let _ = writeln!(out, "{indent}{key}:");
        }
    };
    line(&mut out, "", "titre", get(Titre).map(yaml_quote));
    line(&mut out, "", "resume", get(Resume).map(yaml_quote));
    out.push_str("label:\n");
    line(&mut out, "  ", "annee", get(LabelAnnee).map(integer_value));
    if let Some(date) = get(LabelDate) {
        line(&mut out, "  ", "date", Some(date_value(date)));
    }
    line(
        &mut out,
        "",
        "secteurs",
        get(Secteurs).map(|c| {
            let vocabulary = site
                .sectors
                .iter()
                .map(|s| (s.key.as_str(), s.name.as_str()));
            quoted_list(&keys(c, vocabulary))
        }),
    );
    out.push_str("territoire:\n");
    if let Some(cell) = get(Communes) {
        let codes: Vec<String> = list_values(cell, true)
            .iter()
            .map(|c| pad_code(c, 5))
            .collect();
        line(&mut out, "  ", "communes", Some(quoted_list(&codes)));
    }
    if let Some(cell) = get(Departements) {
        let codes: Vec<String> = list_values(cell, true)
            .iter()
            .map(|c| pad_code(c, 2))
            .collect();
        line(&mut out, "  ", "departements", Some(quoted_list(&codes)));
    }
    if let Some(scope) = get(Echelle) {
        line(
            &mut out,
            "  ",
            "echelle",
            Some(yaml_quote(&fold_key(scope))),
        );
    }
    line(
        &mut out,
        "",
        "stade",
        get(Stade).map(|s| yaml_quote(&fold_key(s))),
    );
    if let Some(cell) = get(Publics) {
        let vocabulary = site
            .publics
            .iter()
            .map(|p| (p.key.as_str(), p.name.as_str()));
        line(
            &mut out,
            "",
            "publics",
            Some(quoted_list(&keys(cell, vocabulary))),
        );
    }
    out.push_str("structure:\n");
    line(&mut out, "  ", "nom", get(StructureNom).map(yaml_quote));
    line(
        &mut out,
        "  ",
        "forme_juridique",
        get(FormeJuridique).map(|s| yaml_quote(&fold_key(s))),
    );
    if let Some(siret) = get(Siret) {
        line(
            &mut out,
            "  ",
            "siret",
            Some(yaml_quote(&siret.replace(' ', ""))),
        );
    }
    line(
        &mut out,
        "  ",
        "code_postal",
        get(CodePostal).map(|c| yaml_quote(&pad_code(&c.replace(' ', ""), 5))),
    );
    line(
        &mut out,
        "  ",
        "commune",
        get(StructureCommune).map(yaml_quote),
    );
    if let Some(url) = get(SiteWeb) {
        line(&mut out, "  ", "site_web", Some(yaml_quote(url)));
    }
    if let Some(esus) = get(Esus) {
        line(&mut out, "  ", "esus", Some(boolean_value(esus)));
    }
    let names = get(Partenaires).map_or_else(Vec::new, |c| list_values(c, false));
    let roles = get(PartenairesRoles).map_or_else(Vec::new, |c| list_values(c, false));
    if !names.is_empty() || !roles.is_empty() {
        out.push_str("partenaires:\n");
        for i in 0..names.len().max(roles.len()) {
            let _ = writeln!(
                out,
                "  - nom: {}",
                names.get(i).map(|n| yaml_quote(n)).unwrap_or_default()
            );
            if let Some(role) = roles.get(i) {
                let _ = writeln!(out, "    role: {}", yaml_quote(&fold_key(role)));
            } else {
                out.push_str("    role:\n");
            }
        }
    }
    out.push_str("marqueurs:\n");
    for (i, key) in MARKER_KEYS.iter().enumerate() {
        let value = get(Marqueur(i)).and_then(|c| {
            let folded = fold(c);
            (folded != "non evalue" && folded != "ne" && folded != "null").then(|| number_value(c))
        });
        line(&mut out, "  ", key, value);
    }
    if get(EssaimageOuvert).is_some() || get(EssaimageTerritoires).is_some() {
        out.push_str("essaimage:\n");
        if let Some(open) = get(EssaimageOuvert) {
            line(&mut out, "  ", "ouvert", Some(boolean_value(open)));
        }
        if let Some(cell) = get(EssaimageTerritoires) {
            let codes: Vec<String> = list_values(cell, true)
                .iter()
                .map(|c| pad_code(c, 2))
                .collect();
            line(&mut out, "  ", "territoires", Some(quoted_list(&codes)));
        }
    }
    if get(ImageSrc).is_some() || get(ImageAlt).is_some() {
        out.push_str("image:\n");
        line(&mut out, "  ", "src", get(ImageSrc).map(yaml_quote));
        line(&mut out, "  ", "alt", get(ImageAlt).map(yaml_quote));
    }
    if let Some(email) = get(ContactEmail) {
        out.push_str("contact:\n");
        line(&mut out, "  ", "email", Some(yaml_quote(email)));
    }
    if let Some(date) = get(MisAJour) {
        line(&mut out, "", "mis_a_jour", Some(date_value(date)));
    }
    if let Some(draft) = get(Brouillon) {
        line(&mut out, "", "brouillon", Some(boolean_value(draft)));
    }
    out.push_str("---\n");
    for (i, section) in CANONICAL_SECTIONS.iter().enumerate() {
        let _ = write!(out, "\n## {section}\n\n");
        match get(Section(i)) {
            Some(text) => {
                let text = text.replace("\r\n", "\n").replace('\r', "\n");
                let _ = writeln!(out, "{}", text.trim());
            }
            None => {
                let _ = writeln!(out, "<!-- {} -->", SECTION_HINTS[i]);
            }
        }
    }
    out
}

/// The vocabulary keys of a list cell: each value is a key, or the name of an entry of
/// `vocabulary` (key, name), as spreadsheets often show names.
fn keys<'v>(
    cell: &str,
    vocabulary: impl Iterator<Item = (&'v str, &'v str)> + Clone,
) -> Vec<String> {
    key_items(cell, vocabulary)
        .into_iter()
        .map(|(_, key)| key)
        .collect()
}

/// The entry of `vocabulary` (key, name) that a value naming none is most like: a near-miss of
/// a key or a name, else the one name that starts with the most of the value's words
/// (« Lien social et solidarités » is like « Lien social et vieillissement »).
fn entry_like<'v>(value: &str, vocabulary: &[(&'v str, &'v str)]) -> Option<(&'v str, &'v str)> {
    let by_text = |text: &str| {
        vocabulary
            .iter()
            .find(|(key, name)| *key == text || *name == text)
            .copied()
    };
    if let Some(near) = closest(
        value,
        vocabulary.iter().flat_map(|(key, name)| [*key, *name]),
    ) {
        return by_text(near);
    }
    let folded = fold(value);
    let words: Vec<&str> = folded.split(' ').collect();
    let shared = |name: &str| {
        fold(name)
            .split(' ')
            .zip(&words)
            .take_while(|(a, b)| a == *b)
            .count()
    };
    let best = vocabulary.iter().map(|(_, n)| shared(n)).max()?;
    let mut alike = vocabulary.iter().filter(|(_, n)| shared(n) == best);
    match (alike.next(), alike.next()) {
        (Some(entry), None) if best > 0 => Some(*entry),
        _ => None,
    }
}

/// Each value of a vocabulary list cell as written, with the key it becomes (see [`keys`]).
fn key_items<'v>(
    cell: &str,
    vocabulary: impl Iterator<Item = (&'v str, &'v str)> + Clone,
) -> Vec<(String, String)> {
    // Names may hold commas ("Alimentation durable, circuits courts"): match the whole cell's
    // `|` items first, then split keys on commas too.
    let key_named = |value: &str| {
        let folded = fold(value);
        vocabulary
            .clone()
            .find(|(_, name)| fold(name) == folded)
            .map(|(key, _)| key.to_string())
    };
    let mut found = Vec::new();
    for item in list_values(cell, false) {
        match key_named(&item) {
            Some(key) => found.push((item, key)),
            None => found.extend(list_values(&item, true).into_iter().map(|v| {
                let key = key_named(&v).unwrap_or_else(|| fold_key(&v));
                (v, key)
            })),
        }
    }
    found
}

/// A vocabulary value as a key: `Expérimentation` -> `experimentation` (spreadsheets show
/// labels; a key is lower case without accents). Keys with hyphens keep them.
fn fold_key(value: &str) -> String {
    let slug = slugify(value);
    if slug.is_empty() {
        value.to_string()
    } else {
        slug
    }
}

/// The report of an import in French, one problem per line, by row and column.
pub fn to_human(report: &ImportReport, csv_name: &str) -> String {
    let mut out = String::new();
    for problem in &report.header_problems {
        let _ = writeln!(out, "{csv_name}, ligne 1 : erreur : {problem}");
    }
    for d in &report.site_problems {
        let _ = writeln!(
            out,
            "{}:{}:{} : erreur : {} — corrigez site.yaml avant d'importer",
            d.file, d.line, d.column, d.message
        );
    }
    for row in &report.rows {
        for p in &row.problems {
            let severity = match p.severity {
                Severity::Error => "erreur",
                Severity::Warning => "avertissement",
            };
            let column = match (&p.column, p.code) {
                (Some(c), _) => format!(", colonne « {c} »"),
                (None, "corps-court" | "corps-vide" | "section-manquante" | "lien") => {
                    ", colonnes du texte (Contexte à Synthèse)".to_string()
                }
                (None, _) => String::new(),
            };
            let _ = writeln!(
                out,
                "{csv_name}, ligne {}{column} : {severity} [{}] : {}",
                row.line, p.code, p.message
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_decoded_when_not_utf8() {
        let (text, encoding) = decode(b"R\xe9sum\xe9;\x80;\x9c");
        assert_eq!((text.as_str(), encoding), ("Résumé;€;œ", "Windows-1252"));
        let (text, encoding) = decode("\u{feff}Résumé".as_bytes());
        assert_eq!((text.as_str(), encoding), ("Résumé", "UTF-8"));
    }

    #[test]
    fn separator_is_sniffed_outside_quotes() {
        assert_eq!(sniff_separator("titre;resume\n1,2,3,4"), ';');
        assert_eq!(sniff_separator("\"a;b;c\",titre\n"), ',');
        assert_eq!(sniff_separator("titre\n"), ';');
    }

    #[test]
    fn cells_become_yaml_values() {
        assert_eq!(number_value("2,5"), "2.5");
        assert_eq!(number_value("deux"), "\"deux\"");
        assert_eq!(number_value("inf"), "\"inf\"");
        assert_eq!(date_value("5/6/2017"), "\"2017-06-05\"");
        assert_eq!(boolean_value("Oui"), "true");
        assert_eq!(pad_code("2", 2), "02");
        assert_eq!(pad_code("2100", 5), "02100");
        assert_eq!(pad_code("59", 5), "59");
        assert_eq!(list_values("59122 | 80021,60057", true).len(), 3);
        assert_eq!(list_values("Ville de Lille, CCAS|Caf", false).len(), 2);
        assert_eq!(fold_key("Expérimentation"), "experimentation");
    }

    #[test]
    fn headers_match_keys_titles_and_marker_keys() {
        let all = columns();
        assert_eq!(
            column_named("Année du label", &all),
            Some(Column::LabelAnnee)
        );
        assert_eq!(column_named("label_annee", &all), Some(Column::LabelAnnee));
        assert_eq!(column_named("GOUVERNANCE", &all), Some(Column::Marqueur(6)));
        assert_eq!(column_named("Résultats", &all), Some(Column::Section(2)));
        assert_eq!(column_named("Couleur", &all), None);
    }

    #[test]
    fn every_column_of_the_specification_is_an_import_column() {
        let all = columns();
        for field in crate::fields::FIELDS {
            let found = all.iter().find(|(c, _, _)| c.path() == Some(field.path));
            match field.column {
                Some(name) => {
                    let (_, key, title) = found.unwrap_or_else(|| panic!("{}", field.path));
                    assert_eq!((key.as_str(), title.as_str()), (name, field.title));
                }
                None => assert!(found.is_none(), "{}", field.path),
            }
        }
        for column in Column::FIELD_COLUMNS {
            let path = column.path().expect("a field column has a path");
            assert!(
                crate::fields::field(path).is_some_and(|f| f.column.is_some()),
                "{path}"
            );
        }
    }

    #[test]
    fn fields_map_back_to_columns() {
        let cells = BTreeMap::new();
        assert_eq!(
            column_of(Some("partenaires[1].role"), "choix", &cells),
            Some(Column::PartenairesRoles)
        );
        assert_eq!(
            column_of(Some("marqueurs.gouvernance"), "marqueur", &cells),
            Some(Column::Marqueur(6))
        );
        assert_eq!(column_of(None, "slug", &cells), Some(Column::Titre));
    }
}

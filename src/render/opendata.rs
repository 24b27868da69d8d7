//! Open data export: `donnees/catalogue.json`, `catalogue.csv`, its Table Schema and Data Package.
//!
//! One [`Record`] per project holds every validated field with resolved names (communes,
//! EPCI, departments, sectors, target groups, vocabularies). The JSON is the list of records;
//! the CSV flattens them through [`columns`], the single description of its columns from
//! which the Table Schema (`schema.json`) and the `donnees/` page are generated too, so the
//! three can never drift apart.
//!
//! CSV choices (documented for reusers on the `donnees/` page and in the schema):
//! UTF-8 with a byte order mark (Excel detects UTF-8 only with it), `;` as separator and a
//! decimal comma (what French spreadsheets expect, declared as `decimalChar` in the schema),
//! CRLF line ends and RFC 4180 quoting, lists joined with ` | `, booleans `oui`/`non`, and
//! text cells that a spreadsheet would run as a formula prefixed with `'`.

use super::discovery::absolute_url;
use super::views::{DataColumnView, DataFileView, DataView};
use super::{RenderError, Rendered, Renderer, crumb, here, missing};
use crate::model::{Date, MARKER_KEYS, Project, Site};
use crate::output::OutputFile;
use crate::routes::{DATA_DIR, project_dir};
use crate::territory::{Territories, french_department_name};
use serde::Serialize;
use serde::ser::SerializeMap;

/// Separator of the CSV file.
pub const CSV_SEPARATOR: char = ';';

/// Separator of the values of a list inside one CSV cell.
pub const LIST_SEPARATOR: &str = " | ";

/// The licence of the published data.
pub const LICENCE_NAME: &str = "Licence Ouverte / Open Licence version 2.0";

/// Address of the licence text.
pub const LICENCE_URL: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

/// Identifier of the licence (SPDX-like name used by data.gouv.fr).
pub const LICENCE_ID: &str = "etalab-2.0";

/// First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"
/// list, with line feed and the full-width forms some spreadsheets normalise).
const FORMULA_TRIGGERS: &[char] = &[
    '=', '+', '-', '@', '\t', '\r', '\n', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// A file of the open data export, in `donnees/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFile {
    /// `catalogue.json`: every field of every project.
    Json,
    /// `catalogue.csv`: one row per project.
    Csv,
    /// `schema.json`: Table Schema of the CSV.
    Schema,
    /// `datapackage.json`: Data Package tying the files together.
    Package,
}

impl DataFile {
    /// Every file, in the order of the `donnees/` page.
    pub const ALL: [DataFile; 4] = [
        DataFile::Csv,
        DataFile::Json,
        DataFile::Schema,
        DataFile::Package,
    ];

    /// File name in `donnees/`.
    pub fn name(self) -> &'static str {
        match self {
            DataFile::Json => "catalogue.json",
            DataFile::Csv => "catalogue.csv",
            DataFile::Schema => "schema.json",
            DataFile::Package => "datapackage.json",
        }
    }

    /// Format, for the `donnees/` page.
    pub fn format(self) -> &'static str {
        match self {
            DataFile::Json => "JSON",
            DataFile::Csv => "CSV",
            DataFile::Schema => "JSON (Table Schema)",
            DataFile::Package => "JSON (Data Package)",
        }
    }

    /// What the file holds, in French.
    pub fn description(self) -> &'static str {
        match self {
            DataFile::Csv => {
                "Une ligne par projet, les douze marqueurs en colonnes : à ouvrir dans un tableur. UTF-8 avec BOM, séparateur « ; », virgule décimale."
            }
            DataFile::Json => {
                "Tous les champs de chaque projet, noms des communes, intercommunalités, départements et secteurs compris, ainsi que le texte de la fiche en Markdown."
            }
            DataFile::Schema => {
                "Description normalisée des colonnes du CSV (Table Schema de Frictionless Data), pour la validation et la publication sur data.gouv.fr."
            }
            DataFile::Package => {
                "Description du jeu de données (Data Package) : fichiers, séparateur, encodage et licence."
            }
        }
    }
}

/// A vocabulary value: its key and its French name.
#[derive(Debug, Clone, Serialize)]
pub struct Named {
    /// Key as written in the content files.
    pub cle: String,
    /// Name shown to visitors.
    pub nom: String,
}

/// A territory with an official code.
#[derive(Debug, Clone, Serialize)]
pub struct Coded {
    /// Official code (INSEE for communes and departments).
    pub code: String,
    /// Official name.
    pub nom: String,
}

/// A commune where a project acts.
#[derive(Debug, Clone, Serialize)]
pub struct CommuneRecord {
    /// INSEE code.
    pub code: String,
    /// Name from the reference tables.
    pub nom: String,
    /// Code of its department.
    pub departement: String,
    /// SIREN of its EPCI, if any.
    pub epci: Option<String>,
}

/// An intercommunality.
#[derive(Debug, Clone, Serialize)]
pub struct EpciRecord {
    /// SIREN.
    pub siren: String,
    /// Name.
    pub nom: String,
}

/// Label of a project.
#[derive(Debug, Clone, Serialize)]
pub struct LabelRecord {
    /// Year the label was granted.
    pub annee: u16,
    /// Committee decision date (ISO 8601), if given.
    pub date: Option<Date>,
}

/// Territory of a project, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct TerritoryRecord {
    /// Declared scale of action.
    pub echelle: Option<Named>,
    /// Communes where it acts.
    pub communes: Vec<CommuneRecord>,
    /// EPCI of those communes.
    pub epci: Vec<EpciRecord>,
    /// Departments (given or derived from the communes).
    pub departements: Vec<Coded>,
}

/// The carrier structure.
#[derive(Debug, Clone, Serialize)]
pub struct StructureRecord {
    /// Name.
    pub nom: String,
    /// Legal form.
    pub forme_juridique: Named,
    /// SIRET, 14 digits without spaces.
    pub siret: Option<String>,
    /// Postal code of the head office.
    pub code_postal: String,
    /// Commune of the head office, as written.
    pub commune: String,
    /// Web site.
    pub site_web: Option<String>,
    /// ESUS agreement, `null` when not stated.
    pub esus: Option<bool>,
}

/// A partner.
#[derive(Debug, Clone, Serialize)]
pub struct PartnerRecord {
    /// Name.
    pub nom: String,
    /// Role.
    pub role: Named,
}

/// Spreading of the practice.
#[derive(Debug, Clone, Serialize)]
pub struct ReplicationRecord {
    /// The carrier welcomes replication elsewhere.
    pub ouvert: bool,
    /// Departments (anywhere in France) where it has been replicated.
    pub territoires: Vec<Coded>,
}

/// An illustration.
#[derive(Debug, Clone, Serialize)]
pub struct ImageRecord {
    /// Path relative to the site root.
    pub src: String,
    /// Alternative text.
    pub alt: String,
}

/// The twelve scores by marker key, in radar order (`null`: not assessed).
#[derive(Debug, Clone)]
pub struct Markers(pub Vec<(&'static str, Option<f64>)>);

impl Serialize for Markers {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, score) in &self.0 {
            map.serialize_entry(key, score)?;
        }
        map.end()
    }
}

/// One project as published in the open data (field order is the JSON's key order).
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    /// Identifier, also the folder of its page.
    pub slug: String,
    /// Title.
    pub titre: String,
    /// One-sentence summary.
    pub resume: String,
    /// Absolute address of its page, when the site knows its base URL.
    pub url: Option<String>,
    /// Folder of its page, relative to the site root.
    pub chemin: String,
    /// Label.
    pub label: LabelRecord,
    /// Development stage.
    pub stade: Named,
    /// Sectors, in the author's order.
    pub secteurs: Vec<Named>,
    /// Target groups.
    pub publics: Vec<Named>,
    /// Territory.
    pub territoire: TerritoryRecord,
    /// Carrier structure.
    pub structure: StructureRecord,
    /// Partners.
    pub partenaires: Vec<PartnerRecord>,
    /// The twelve markers.
    pub marqueurs: Markers,
    /// Spreading of the practice, if stated.
    pub essaimage: Option<ReplicationRecord>,
    /// Illustration.
    pub image: Option<ImageRecord>,
    /// Organisational contact e-mail.
    pub contact_email: Option<String>,
    /// Last editorial update.
    pub mis_a_jour: Option<Date>,
    /// Body of the project file, in Markdown.
    pub texte: String,
}

/// The open data record of a project.
pub fn record(
    project: &Project,
    site: &Site,
    territories: &Territories,
    url_base: Option<&str>,
) -> Record {
    let chemin = project_dir(&project.slug);
    let named = |cle: &str, nom: &str| Named {
        cle: cle.to_string(),
        nom: nom.to_string(),
    };
    let department = |code: &String| Coded {
        code: code.clone(),
        nom: territories
            .department(code)
            .map(|d| d.name.clone())
            .or_else(|| french_department_name(code).map(str::to_string))
            .unwrap_or_else(|| code.clone()),
    };
    Record {
        slug: project.slug.clone(),
        titre: project.title.clone(),
        resume: project.summary.clone(),
        url: url_base.map(|base| absolute_url(base, &chemin)),
        chemin,
        label: LabelRecord {
            annee: project.label.year,
            date: project.label.date,
        },
        stade: named(project.stage.key(), project.stage.label()),
        secteurs: project
            .sectors
            .iter()
            .map(|k| named(k, site.sector(k).map_or(k, |s| &s.name)))
            .collect(),
        publics: project
            .publics
            .iter()
            .map(|k| named(k, site.public(k).map_or(k, |p| &p.name)))
            .collect(),
        territoire: TerritoryRecord {
            echelle: project
                .territory
                .scope
                .map(|scope| named(scope.key(), scope.label())),
            communes: project
                .territory
                .communes
                .iter()
                .map(|code| match territories.commune(code) {
                    Some(c) => CommuneRecord {
                        code: code.clone(),
                        nom: c.name.clone(),
                        departement: c.department.clone(),
                        epci: c.epci.clone(),
                    },
                    None => CommuneRecord {
                        code: code.clone(),
                        nom: code.clone(),
                        departement: code.get(..2).unwrap_or_default().to_string(),
                        epci: None,
                    },
                })
                .collect(),
            epci: project
                .territory
                .epcis
                .iter()
                .map(|siren| EpciRecord {
                    siren: siren.clone(),
                    nom: territories
                        .epci(siren)
                        .map_or_else(|| siren.clone(), |e| e.name.clone()),
                })
                .collect(),
            departements: project
                .territory
                .departments
                .iter()
                .map(department)
                .collect(),
        },
        structure: StructureRecord {
            nom: project.structure.name.clone(),
            forme_juridique: named(
                project.structure.legal_form.key(),
                project.structure.legal_form.label(),
            ),
            siret: project.structure.siret.clone(),
            code_postal: project.structure.postal_code.clone(),
            commune: project.structure.commune.clone(),
            site_web: project.structure.website.clone(),
            esus: project.structure.esus,
        },
        partenaires: project
            .partners
            .iter()
            .map(|p| PartnerRecord {
                nom: p.name.clone(),
                role: named(p.role.key(), p.role.label()),
            })
            .collect(),
        marqueurs: Markers(
            MARKER_KEYS
                .iter()
                .zip(project.markers.iter())
                .map(|(key, score)| (*key, score.filter(|s| s.is_finite())))
                .collect(),
        ),
        essaimage: project.replication.as_ref().map(|r| ReplicationRecord {
            ouvert: r.open,
            territoires: r.territories.iter().map(department).collect(),
        }),
        image: project.image.as_ref().map(|i| ImageRecord {
            src: i.src.clone(),
            alt: i.alt.clone(),
        }),
        contact_email: project.contact_email.clone(),
        mis_a_jour: project.updated,
        texte: project.body.clone(),
    }
}

/// `donnees/catalogue.json`: the records as a pretty-printed JSON array, with a final newline.
pub fn catalogue_json(records: &[&Record]) -> Result<Vec<u8>, serde_json::Error> {
    let mut bytes = serde_json::to_vec_pretty(records)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Table Schema type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    Text,
    /// Whole number.
    Integer,
    /// Decimal number (decimal comma in the CSV).
    Number,
    /// ISO 8601 date.
    Date,
    /// `oui` / `non`.
    Boolean,
}

impl Kind {
    /// The Table Schema type name.
    pub fn schema_type(self) -> &'static str {
        match self {
            Kind::Text => "string",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Date => "date",
            Kind::Boolean => "boolean",
        }
    }

    /// The type in French, for the `donnees/` page.
    pub fn french(self) -> &'static str {
        match self {
            Kind::Text => "texte",
            Kind::Integer => "entier",
            Kind::Number => "nombre décimal (virgule)",
            Kind::Date => "date (AAAA-MM-JJ)",
            Kind::Boolean => "oui / non",
        }
    }
}

/// One cell of the CSV, before formatting.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing (missing or not applicable).
    Empty,
    /// Text, neutralised against formulas when written.
    Text(String),
    /// Whole number.
    Integer(i64),
    /// Decimal number.
    Number(f64),
    /// Date.
    Date(Date),
    /// Yes / no.
    Boolean(bool),
}

/// One column of the CSV: its Table Schema description and how to fill it from a record.
pub struct Column {
    /// Name (header of the CSV, `name` in the schema).
    pub name: String,
    /// Type.
    pub kind: Kind,
    /// Short French title.
    pub title: String,
    /// French description.
    pub description: String,
    /// Whether every row has a value.
    pub required: bool,
    /// Whether the cell joins several values with [`LIST_SEPARATOR`].
    pub list: bool,
    /// Table Schema `format` (`uri`, `email`), if any.
    pub format: Option<&'static str>,
    /// Allowed values (keys of a closed vocabulary), if any.
    pub allowed: Vec<String>,
    /// Regular expression every value matches, if any.
    pub pattern: Option<&'static str>,
    /// Bounds of a number column.
    pub bounds: Option<(f64, f64)>,
    /// Extracts the cell of a record.
    pub cell: Box<dyn Fn(&Record) -> Cell + Send + Sync>,
}

/// Text cell, empty when the text is.
fn text(value: &str) -> Cell {
    if value.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(value.to_string())
    }
}

/// Text cell of an optional text.
fn opt_text(value: Option<&str>) -> Cell {
    value.map_or(Cell::Empty, text)
}

/// List cell: the values joined with [`LIST_SEPARATOR`].
fn list<'a>(values: impl IntoIterator<Item = &'a str>) -> Cell {
    text(&values.into_iter().collect::<Vec<_>>().join(LIST_SEPARATOR))
}

/// Builder of a column (keeps the table of columns below readable).
struct ColumnSpec {
    column: Column,
}

impl ColumnSpec {
    fn new(
        name: &str,
        kind: Kind,
        title: &str,
        description: &str,
        cell: impl Fn(&Record) -> Cell + Send + Sync + 'static,
    ) -> ColumnSpec {
        ColumnSpec {
            column: Column {
                name: name.to_string(),
                kind,
                title: title.to_string(),
                description: description.to_string(),
                required: false,
                list: false,
                format: None,
                allowed: Vec::new(),
                pattern: None,
                bounds: None,
                cell: Box::new(cell),
            },
        }
    }
    /// The column of a field of the specification ([`crate::fields`]): name, title,
    /// description, presence, list, format, allowed keys and pattern come from it.
    fn field(path: &str, cell: impl Fn(&Record) -> Cell + Send + Sync + 'static) -> ColumnSpec {
        use crate::fields::Shape;
        // A path without a column would be a mistake of this file (a test checks them all).
        let Some(field) = crate::fields::field(path).filter(|f| f.column.is_some()) else {
            return ColumnSpec::new(path, Kind::Text, path, "", cell);
        };
        let kind = match field.shape {
            Shape::Integer => Kind::Integer,
            Shape::Score => Kind::Number,
            Shape::Boolean => Kind::Boolean,
            Shape::Date => Kind::Date,
            _ => Kind::Text,
        };
        let mut spec = ColumnSpec::new(
            field.column.unwrap_or_default(),
            kind,
            field.title,
            field.help,
            cell,
        );
        spec.column.required = field.always_present();
        spec.column.list = field.is_list();
        spec.column.format = match field.shape {
            Shape::Url => Some("uri"),
            Shape::Email => Some("email"),
            _ => None,
        };
        if let Shape::Choice(keys) = field.shape {
            spec.column.allowed = keys.iter().map(|k| k.to_string()).collect();
        }
        spec.column.pattern = field.pattern;
        spec
    }
    fn required(mut self) -> Self {
        self.column.required = true;
        self
    }
    fn list(mut self) -> Self {
        self.column.list = true;
        self
    }
    fn format(mut self, format: &'static str) -> Self {
        self.column.format = Some(format);
        self
    }
    fn pattern(mut self, pattern: &'static str) -> Self {
        self.column.pattern = Some(pattern);
        self
    }
}

/// The columns of `catalogue.csv`, in order. Marker names and sector keys come from the site
/// settings, hence a function of `site`.
pub fn columns(site: &Site) -> Vec<Column> {
    let mut columns = vec![
        ColumnSpec::new(
            "slug",
            Kind::Text,
            "Identifiant",
            "Identifiant du projet, stable : c'est aussi l'adresse de sa page (projets/<slug>/).",
            |r| text(&r.slug),
        )
        .required()
        .pattern("^[a-z0-9]+(-[a-z0-9]+)*$"),
        ColumnSpec::field("titre", |r| {
            text(&r.titre)
        }),
        ColumnSpec::field("resume", |r| text(&r.resume)),
        ColumnSpec::new(
            "url",
            Kind::Text,
            "Page du projet",
            "Adresse complète de la page du projet sur le site (vide si le site ne connaît pas son adresse publique).",
            |r| opt_text(r.url.as_deref()),
        )
        .format("uri"),
        ColumnSpec::field("label.annee", |r| Cell::Integer(i64::from(r.label.annee))),
        ColumnSpec::field("label.date", |r| r.label.date.map_or(Cell::Empty, Cell::Date)),
        ColumnSpec::field("stade", |r| text(&r.stade.cle)),
        ColumnSpec::field("secteurs", |r| list(r.secteurs.iter().map(|s| s.cle.as_str()))),
        ColumnSpec::new(
            "secteurs_noms",
            Kind::Text,
            "Secteurs",
            "Noms des secteurs, dans le même ordre que la colonne secteurs.",
            |r| list(r.secteurs.iter().map(|s| s.nom.as_str())),
        )
        .required()
        .list(),
        ColumnSpec::field("publics", |r| list(r.publics.iter().map(|s| s.cle.as_str()))),
        ColumnSpec::new(
            "publics_noms",
            Kind::Text,
            "Publics",
            "Noms des publics visés, dans le même ordre que la colonne publics.",
            |r| list(r.publics.iter().map(|s| s.nom.as_str())),
        )
        .list(),
        ColumnSpec::field("territoire.echelle", |r| opt_text(r.territoire.echelle.as_ref().map(|e| e.cle.as_str()))),
        ColumnSpec::field("territoire.communes", |r| list(r.territoire.communes.iter().map(|c| c.code.as_str()))),
        ColumnSpec::new(
            "communes_noms",
            Kind::Text,
            "Communes",
            "Noms des communes, dans le même ordre que la colonne communes.",
            |r| list(r.territoire.communes.iter().map(|c| c.nom.as_str())),
        )
        .list(),
        ColumnSpec::new(
            "epci",
            Kind::Text,
            "Intercommunalités (SIREN)",
            "Numéros SIREN des intercommunalités (EPCI) de ces communes.",
            |r| list(r.territoire.epci.iter().map(|e| e.siren.as_str())),
        )
        .list(),
        ColumnSpec::new(
            "epci_noms",
            Kind::Text,
            "Intercommunalités",
            "Noms des intercommunalités, dans le même ordre que la colonne epci.",
            |r| list(r.territoire.epci.iter().map(|e| e.nom.as_str())),
        )
        .list(),
        ColumnSpec::field("territoire.departements", |r| list(r.territoire.departements.iter().map(|d| d.code.as_str())))
        .required(),
        ColumnSpec::new(
            "departements_noms",
            Kind::Text,
            "Départements",
            "Noms des départements, dans le même ordre que la colonne departements.",
            |r| list(r.territoire.departements.iter().map(|d| d.nom.as_str())),
        )
        .required()
        .list(),
        ColumnSpec::field("structure.nom", |r| text(&r.structure.nom)),
        ColumnSpec::field("structure.forme_juridique", |r| text(&r.structure.forme_juridique.cle)),
        ColumnSpec::field("structure.siret", |r| opt_text(r.structure.siret.as_deref())),
        ColumnSpec::field("structure.code_postal", |r| text(&r.structure.code_postal)),
        ColumnSpec::field("structure.commune", |r| text(&r.structure.commune)),
        ColumnSpec::field("structure.site_web", |r| opt_text(r.structure.site_web.as_deref())),
        ColumnSpec::field("structure.esus", |r| r.structure.esus.map_or(Cell::Empty, Cell::Boolean)),
        ColumnSpec::field("partenaires[].nom", |r| list(r.partenaires.iter().map(|p| p.nom.as_str()))),
        ColumnSpec::field("partenaires[].role", |r| list(r.partenaires.iter().map(|p| p.role.cle.as_str()))),
        ColumnSpec::field("essaimage.ouvert", |r| {
                r.essaimage
                    .as_ref()
                    .map_or(Cell::Empty, |e| Cell::Boolean(e.ouvert))
            }),
        ColumnSpec::field("essaimage.territoires", |r| {
                list(
                    r.essaimage
                        .iter()
                        .flat_map(|e| e.territoires.iter().map(|t| t.code.as_str())),
                )
            }),
        ColumnSpec::field("contact.email", |r| opt_text(r.contact_email.as_deref())),
        ColumnSpec::field("mis_a_jour", |r| r.mis_a_jour.map_or(Cell::Empty, Cell::Date)),
    ];
    let bounds = (site.scale.min, site.scale.max);
    for (index, key) in MARKER_KEYS.iter().enumerate() {
        let name = site
            .markers
            .get(index)
            .map_or(*key, |info| info.name.as_str());
        let mut spec = ColumnSpec::new(
            &format!("marqueur_{key}"),
            Kind::Number,
            name,
            &format!(
                "Marqueur « {name} » de la grille de l'Institut Godin : note de {} à {} ; vide si non évalué.",
                crate::model::format_score(bounds.0),
                crate::model::format_score(bounds.1)
            ),
            move |r| {
                r.marqueurs
                    .0
                    .get(index)
                    .and_then(|(_, score)| *score)
                    .map_or(Cell::Empty, Cell::Number)
            },
        );
        spec.column.bounds = Some(bounds);
        columns.push(spec);
    }
    columns.into_iter().map(|spec| spec.column).collect()
}

/// A text cell made harmless for spreadsheets: a leading `'` when it starts like a formula.
pub fn neutralise_formula(text: &str) -> String {
    if text.starts_with(FORMULA_TRIGGERS) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// A decimal number with a decimal comma and no exponent ("2,5", "3").
pub fn decimal_comma(number: f64) -> String {
    format!("{number}").replace('.', ",")
}

/// The text of a cell in the CSV, quoted per RFC 4180 when needed.
pub fn csv_field(cell: &Cell) -> String {
    let raw = match cell {
        Cell::Empty => return String::new(),
        Cell::Text(text) => neutralise_formula(text),
        Cell::Integer(n) => n.to_string(),
        Cell::Number(x) => decimal_comma(*x),
        Cell::Date(d) => d.to_string(),
        Cell::Boolean(true) => "oui".to_string(),
        Cell::Boolean(false) => "non".to_string(),
    };
    if raw.contains([CSV_SEPARATOR, '"', '\n', '\r']) {
        format!("\"{}\"", raw.replace('"', "\"\""))
    } else {
        raw
    }
}

/// `donnees/catalogue.csv`: BOM, header, one row per record, CRLF line ends.
pub fn catalogue_csv(columns: &[Column], records: &[&Record]) -> Vec<u8> {
    let separator = CSV_SEPARATOR.to_string();
    let mut out = String::from("\u{FEFF}");
    let header: Vec<String> = columns
        .iter()
        .map(|c| csv_field(&Cell::Text(c.name.clone())))
        .collect();
    out.push_str(&header.join(&separator));
    out.push_str("\r\n");
    for record in records {
        let row: Vec<String> = columns
            .iter()
            .map(|c| csv_field(&(c.cell)(record)))
            .collect();
        out.push_str(&row.join(&separator));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// `donnees/schema.json`: the Frictionless Table Schema of the CSV, in French.
pub fn table_schema(columns: &[Column], site: &Site) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    let fields: Vec<Value> = columns
        .iter()
        .map(|c| {
            let mut field = Map::new();
            field.insert("name".into(), json!(c.name));
            field.insert("title".into(), json!(c.title));
            field.insert("type".into(), json!(c.kind.schema_type()));
            let mut description = c.description.clone();
            if c.list {
                description.push_str(" Plusieurs valeurs sont séparées par « | » (barre verticale entourée d'espaces).");
            }
            field.insert("description".into(), json!(description));
            if let Some(format) = c.format {
                field.insert("format".into(), json!(format));
            }
            match c.kind {
                Kind::Number => {
                    field.insert("decimalChar".into(), json!(","));
                }
                Kind::Boolean => {
                    field.insert("trueValues".into(), json!(["oui"]));
                    field.insert("falseValues".into(), json!(["non"]));
                }
                _ => {}
            }
            let mut constraints = Map::new();
            if c.required {
                constraints.insert("required".into(), json!(true));
            }
            if c.list {
                // A cell holds several values: `enum` and `pattern` would apply to the whole
                // cell, so one pattern repeats the allowed item around the separator.
                let item = if c.allowed.is_empty() {
                    c.pattern.map(|p| format!("({p})"))
                } else {
                    Some(format!("({})", c.allowed.join("|")))
                };
                if let Some(item) = item {
                    constraints.insert("pattern".into(), json!(format!("{item}( \\| {item})*")));
                }
            } else {
                if !c.allowed.is_empty() {
                    constraints.insert("enum".into(), json!(c.allowed));
                }
                if let Some(pattern) = c.pattern {
                    constraints.insert("pattern".into(), json!(pattern));
                }
            }
            if let Some((min, max)) = c.bounds {
                constraints.insert("minimum".into(), json!(min));
                constraints.insert("maximum".into(), json!(max));
            }
            if c.name == "slug" {
                constraints.insert("unique".into(), json!(true));
            }
            if !constraints.is_empty() {
                field.insert("constraints".into(), Value::Object(constraints));
            }
            Value::Object(field)
        })
        .collect();
    json!({
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": "catalogue-amiris",
        "title": format!("Catalogue des projets labellisés – {}", site.title),
        "description": "Une ligne par projet labellisé AMIRIS (innovation sociale, Région Hauts-de-France), avec les douze marqueurs de l'Institut Godin en colonnes. Fichier CSV en UTF-8 avec BOM, séparateur « ; », virgule décimale, listes séparées par « | », cellules de texte commençant par = + - @ précédées d'une apostrophe.",
        "licenses": [{"name": LICENCE_ID, "title": LICENCE_NAME, "path": LICENCE_URL}],
        "fields": fields,
        "primaryKey": "slug",
        "missingValues": [""],
    })
}

/// `donnees/datapackage.json`: the Frictionless Data Package tying the files, the CSV
/// dialect (separator, encoding) and the licence together.
pub fn data_package(site: &Site) -> serde_json::Value {
    let mut package = serde_json::json!({
        // Not "tabular-data-package": that profile requires every resource to be a table,
        // and catalogue.json is not one (Frictionless refuses the package).
        "profile": "data-package",
        "name": "catalogue-amiris",
        "title": format!("Catalogue des projets labellisés – {}", site.title),
        "description": site.description,
        "licenses": [{"name": LICENCE_ID, "title": LICENCE_NAME, "path": LICENCE_URL}],
        "resources": [
            {
                "name": "catalogue",
                "path": "catalogue.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {
                    "delimiter": CSV_SEPARATOR.to_string(),
                    "lineTerminator": "\r\n",
                    "quoteChar": "\"",
                    "doubleQuote": true,
                    "header": true
                },
                "schema": "schema.json"
            },
            {
                "name": "catalogue-json",
                "path": "catalogue.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8"
            }
        ]
    });
    // Only when known: the Data Package profile wants a string, not null.
    if let (Some(base), Some(fields)) = (site.url_base.as_deref(), package.as_object_mut()) {
        fields.insert("homepage".into(), absolute_url(base, "").into());
    }
    package
}

/// Pretty JSON with a final newline (serialising a `Value` cannot fail).
pub fn pretty(value: &serde_json::Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

impl Renderer<'_, '_> {
    /// One file of the open data export.
    pub(crate) fn open_data(&self, file: DataFile, path: &str) -> Result<Rendered, RenderError> {
        let s = self.shared;
        let site = s.site;
        let _base = site.url_base.as_deref();
        let bytes = match file {
            DataFile::Json => {
                catalogue_json(&s.index.records_by_slug()).map_err(|error| RenderError::Render {
                    output: path.to_string(),
                    template: String::new(),
                    origin: "amiris".into(),
                    message: format!("export JSON impossible : {error}"),
                })?
            }
            DataFile::Csv => catalogue_csv(&columns(site), &s.index.records_by_slug()),
            DataFile::Schema => pretty(&table_schema(&columns(site), site)),
            DataFile::Package => pretty(&data_package(site)),
        };
        Ok(Some(OutputFile {
            path: path.to_string(),
            bytes,
        }))
    }

    /// The page describing the open data (`donnees/`).
    pub(crate) fn data_page(&self, path: &str, dir: String) -> Result<Rendered, RenderError> {
        let s = self.shared;
        if dir != DATA_DIR {
            return Err(missing(path));
        }
        let view = DataView {
            nombre_projets: s.catalogue.len(),
            fichiers: DataFile::ALL
                .iter()
                .map(|f| DataFileView {
                    nom: f.name(),
                    chemin: format!("{}{DATA_DIR}{}", s.shared_prefix, f.name()),
                    format: f.format(),
                    description: f.description(),
                })
                .collect(),
            colonnes: columns(s.site)
                .into_iter()
                .map(|c| DataColumnView {
                    type_donnee: c.kind.french(),
                    nom: c.name,
                    titre: c.title,
                    description: c.description,
                    obligatoire: c.required,
                    liste: c.list,
                })
                .collect(),
            separateur: CSV_SEPARATOR.to_string(),
            separateur_liste: LIST_SEPARATOR,
            licence: LICENCE_NAME,
            licence_url: LICENCE_URL,
        };
        let mut meta = s.meta(
            s.tr("donnees_ouvertes"),
            dir,
            "donnees",
            true,
            vec![crumb(s.tr("accueil"), ""), here(s.tr("donnees_ouvertes"))],
        );
        let description = super::texts::plain_text(s.texts.text("donnees_description"));
        meta.description = &description;
        self.page("donnees.html", path, &meta, &view)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{test_project, test_site};
    use super::*;

    #[test]
    fn every_field_with_an_open_data_column_comes_from_the_specification() {
        let all = columns(&crate::validate::default_site());
        for field in crate::fields::FIELDS {
            let found = all.iter().find(|c| Some(c.name.as_str()) == field.column);
            if !field.open_data {
                assert!(found.is_none(), "{} is not published", field.path);
                continue;
            }
            let column = found.unwrap_or_else(|| panic!("no column for {}", field.path));
            assert_eq!(column.title, field.title, "{}", field.path);
            assert_eq!(column.description, field.help, "{}", field.path);
            assert_eq!(column.list, field.is_list(), "{}", field.path);
            assert_eq!(column.pattern, field.pattern, "{}", field.path);
            // Departments are always known (given or deduced from the communes).
            let required = field.always_present() || field.path == "territoire.departements";
            assert_eq!(column.required, required, "{}", field.path);
            if let crate::fields::Shape::Choice(keys) = field.shape {
                assert_eq!(column.allowed, keys, "{}", field.path);
            }
        }
    }

    #[test]
    fn formulas_are_neutralised_and_plain_text_is_not() {
        for hostile in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralise_formula(hostile), format!("'{hostile}"));
        }
        assert_eq!(neutralise_formula("Café = bonheur"), "Café = bonheur");
        assert_eq!(neutralise_formula(""), "");
    }

    #[test]
    fn fields_are_quoted_per_rfc_4180() {
        assert_eq!(csv_field(&Cell::Text("simple".into())), "simple");
        assert_eq!(csv_field(&Cell::Text("a;b".into())), "\"a;b\"");
        assert_eq!(
            csv_field(&Cell::Text("dit \"oui\"".into())),
            "\"dit \"\"oui\"\"\""
        );
        assert_eq!(csv_field(&Cell::Text("a\nb".into())), "\"a\nb\"");
        assert_eq!(csv_field(&Cell::Number(2.5)), "2,5");
        assert_eq!(csv_field(&Cell::Number(3.0)), "3");
        assert_eq!(
            csv_field(&Cell::Number(-0.5)),
            "-0,5",
            "numbers are not text"
        );
        assert_eq!(csv_field(&Cell::Boolean(true)), "oui");
        assert_eq!(csv_field(&Cell::Empty), "");
    }

    #[test]
    fn csv_has_bom_header_and_one_row_per_project() {
        let site = test_site();
        let projects = [
            test_project("b-projet", "B", 2019, &["alimentation"], &["59122"]),
            test_project("a-projet", "A", 2020, &["mobilite"], &["80021"]),
        ];
        let index = crate::index::Index::new(&site, &projects, &[]);
        let records = index.records_by_slug();
        assert_eq!(records[0].slug, "a-projet", "ordered by slug");
        let columns = columns(&site);
        let csv = String::from_utf8(catalogue_csv(&columns, &records)).expect("utf-8");
        assert!(csv.starts_with('\u{FEFF}'));
        let lines: Vec<&str> = csv.trim_end_matches("\r\n").split("\r\n").collect();
        assert_eq!(lines.len(), 3);
        assert!(
            lines[0]
                .trim_start_matches('\u{FEFF}')
                .starts_with("slug;titre;")
        );
        assert_eq!(lines[0].split(';').count(), columns.len());
        assert!(lines[0].ends_with("marqueur_changement_social"));
    }

    #[test]
    fn schema_describes_every_column_in_french() {
        let site = test_site();
        let columns = columns(&site);
        let schema = table_schema(&columns, &site);
        let fields = schema["fields"].as_array().expect("fields");
        assert_eq!(fields.len(), columns.len());
        assert_eq!(columns.len(), 31 + MARKER_KEYS.len());
        for field in fields {
            assert!(!field["title"].as_str().unwrap_or_default().is_empty());
            assert!(!field["description"].as_str().unwrap_or_default().is_empty());
        }
        let names: std::collections::BTreeSet<&str> =
            columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names.len(), columns.len(), "unique names");
    }

    #[test]
    fn list_columns_constrain_each_value_not_the_cell() {
        let site = test_site();
        let columns = columns(&site);
        let schema = table_schema(&columns, &site);
        let fields = schema["fields"].as_array().expect("fields");
        let roles = fields
            .iter()
            .find(|f| f["name"] == "partenaires_roles")
            .expect("partenaires_roles");
        // An enum would refuse "collectivite | financeur" (Frictionless did).
        assert!(roles["constraints"].get("enum").is_none(), "{roles}");
        let pattern = roles["constraints"]["pattern"].as_str().expect("pattern");
        assert!(
            pattern.starts_with("(beneficiaires|collectivite|"),
            "{pattern}"
        );
        assert!(pattern.ends_with(")( \\| (beneficiaires|collectivite|recherche|entreprise|association|financeur|autre))*"), "{pattern}");
        for field in fields.iter().filter(|f| f.get("constraints").is_some()) {
            let listed = columns
                .iter()
                .any(|c| c.list && field["name"] == c.name.as_str());
            if listed {
                assert!(field["constraints"].get("enum").is_none(), "{field}");
            }
        }
    }

    #[test]
    fn json_keeps_marker_order_and_nulls() {
        let site = test_site();
        let mut project = test_project("a", "A", 2020, &["mobilite"], &["80021"]);
        project.markers[4] = None;
        let record = record(
            &project,
            &site,
            Territories::region(),
            Some("https://x.fr/"),
        );
        let json = String::from_utf8(catalogue_json(&[&record]).expect("json")).expect("utf-8");
        let first = json.find("\"contextualisation\"").expect("first marker");
        let last = json.find("\"changement_social\"").expect("last marker");
        assert!(first < last);
        assert!(json.contains("\"recherche\": null"));
        assert!(json.contains("\"url\": \"https://x.fr/projets/a/\""));
    }
}

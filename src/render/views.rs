//! The views: small serialisable structs, one per kind of page, that templates receive.
//!
//! Field names are French: they are the vocabulary theme authors write in templates
//! (documented in `themes/default/README.md`). Paths (`chemin`) are relative to the site root
//! and end with `/` for folders; templates prefix them with `racine`.

use super::discovery::SocialImage;
use super::paths::Pagination;
use crate::model::{Image, Project, format_score_with};
use serde::Serialize;

/// A link to a page of the site.
#[derive(Debug, Clone, Serialize)]
pub struct Lien {
    /// Text of the link.
    pub nom: String,
    /// Folder or file of the target, relative to the site root.
    pub chemin: String,
}

/// An entry of an index page: a sector or a department with its number of projects.
#[derive(Debug, Clone, Serialize)]
pub struct Entree {
    /// Name.
    pub nom: String,
    /// Folder of its page, relative to the site root.
    pub chemin: String,
    /// Number of projects.
    pub nombre: usize,
    /// Description (empty when none).
    pub description: String,
    /// Key of the sector or code of the department.
    pub cle: String,
}

/// The site-wide variable `site`.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// Site title.
    pub titre: &'a str,
    /// One-paragraph description.
    pub description: &'a str,
    /// Language code of the pages.
    pub langue: &'a str,
    /// Absolute base URL, if known.
    pub url_base: Option<&'a str>,
    /// The body that runs the site (`organisme`), if given.
    pub organisme: Option<IdentityView<'a>>,
    /// The site's partners (`partenaires`), in site.yaml order.
    pub partenaires: Vec<IdentityView<'a>>,
}

/// The body that runs the site, or one of its partners (site.yaml `organisme`, `partenaires`).
#[derive(Debug, Serialize)]
pub struct IdentityView<'a> {
    /// Name.
    pub nom: &'a str,
    /// Its web site (absolute URL), if given.
    pub site_web: Option<&'a str>,
    /// Its logo (`src` relative to the site root, `alt`, `largeur`, `hauteur`), if given.
    pub logo: Option<&'a Image>,
}

/// An entry of the main menu (site-wide variable `menu`).
#[derive(Debug, Serialize)]
pub struct MenuItem {
    /// Key compared with `page.rubrique` to mark the active entry.
    pub cle: String,
    /// Text of the link.
    pub nom: String,
    /// Folder of the target, relative to the site root (empty for the home page).
    pub chemin: String,
}

/// One step of the breadcrumb.
#[derive(Debug, Clone, Serialize)]
pub struct Miette {
    /// Text.
    pub nom: String,
    /// Folder of the target; `None` for the current page (the last step).
    pub chemin: Option<String>,
}

/// What every page knows about itself (variable `page`).
#[derive(Debug, Serialize)]
pub struct PageMeta<'a> {
    /// Title of the page's content (the `<h1>`).
    pub titre: String,
    /// Full document title for `<title>`: "Titre – Site", unique per page.
    pub titre_document: String,
    /// Meta description.
    pub description: &'a str,
    /// Folder (or file) of the page, relative to the site root.
    pub chemin: String,
    /// Key of the menu entry this page belongs to (empty when none).
    pub rubrique: String,
    /// Whether the page is the menu entry's own page (`aria-current="page"`) rather than a
    /// page inside its section (`aria-current="true"`).
    pub rubrique_exacte: bool,
    /// Breadcrumb from the home page to this one (empty on the home page).
    pub fil_ariane: Vec<Miette>,
    /// Absolute address of the page (canonical link, `og:url`); `None` when the site does
    /// not know its base URL, and on the 404 page.
    pub url: Option<String>,
    /// OpenGraph type: `article` for a project, `website` otherwise.
    pub type_og: &'static str,
    /// Image shared with the page (`og:image`): a project's social card, else `None`.
    pub image: Option<SocialImage>,
    /// Atom feeds about this page (`<link rel="alternate">`): `nom`, `chemin`.
    pub flux: Vec<Lien>,
    /// On a site of several languages, this page in each language (the language switcher and
    /// `hreflang` links); absent on a site of one language.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub langues: Vec<LanguageLink>,
}

/// The same page in one language of the site.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LanguageLink {
    /// Language code (`hreflang`, `lang`).
    pub code: String,
    /// Name of the language in itself ("English").
    pub nom: String,
    /// Link to the page in that language, relative to the current page.
    pub lien: String,
    /// Absolute address of that page when the site knows its address, else `lien`.
    pub url: String,
    /// Whether it is the current page's language.
    pub courante: bool,
    /// Whether it is the site's default language (`hreflang="x-default"`).
    pub defaut: bool,
}

/// A project as shown in listings: built once per project, shared by every listing.
#[derive(Debug, Serialize)]
pub struct ProjectCard<'a> {
    /// The language of its title and summary when it is not the page's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub langue_texte: Option<String>,
    /// Slug.
    pub slug: &'a str,
    /// Title.
    pub titre: &'a str,
    /// One-sentence summary.
    pub resume: &'a str,
    /// Folder of its page.
    pub chemin: String,
    /// Label year.
    pub annee: u16,
    /// Stage, in the page's language.
    pub stade: String,
    /// Its sectors.
    pub secteurs: Vec<Lien>,
    /// Departments where it acts.
    pub departements: Vec<Lien>,
    /// Illustration (`src` relative to the site root, `alt`).
    pub image: Option<&'a Image>,
}

/// A listing: a page of projects with its pagination (shared by several views).
#[derive(Debug, Serialize)]
pub struct Listing<'v> {
    /// Number of projects in the whole listing (all pages).
    pub nombre: usize,
    /// The cards of this page.
    pub projets: Vec<&'v super::Card>,
    /// Pagination of the listing.
    pub pagination: Pagination,
}

/// Home page (`index.html`).
#[derive(Debug, Serialize)]
pub struct HomeView<'v> {
    /// The site description: what the label is.
    pub description: &'v str,
    /// Number of projects.
    pub nombre_projets: usize,
    /// Number of sectors with at least one project.
    pub nombre_secteurs: usize,
    /// Number of departments with at least one project.
    pub nombre_departements: usize,
    /// The latest labelled projects (at most six).
    pub derniers: Vec<&'v super::Card>,
    /// Every sector of the vocabulary with its count.
    pub secteurs: &'v [Entree],
    /// The five departments with their counts.
    pub departements: &'v [Entree],
    /// The region map, its legend and its text equivalent.
    pub carte: super::territories::RegionMapView,
}

/// The catalogue (`projets/`, `projets/page/N/`).
#[derive(Debug, Serialize)]
pub struct CatalogueView<'v> {
    /// The projects of this page.
    #[serde(flatten)]
    pub liste: Listing<'v>,
}

/// Sector index (`secteurs/`).
#[derive(Debug, Serialize)]
pub struct SectorsView<'v> {
    /// Every sector of the vocabulary with its count.
    pub secteurs: &'v [Entree],
}

/// One sector (`secteurs/<cle>/`, paginated).
#[derive(Debug, Serialize)]
pub struct SectorView<'v> {
    /// The sector (`nom`, `chemin`, `nombre`, `description`, `cle`).
    pub secteur: &'v Entree,
    /// Its projects.
    #[serde(flatten)]
    pub liste: Listing<'v>,
    /// Departments where it has projects, each linking to the sector × department page.
    pub departements: Vec<Entree>,
}

/// Index of the target groups (`publics/`).
#[derive(Debug, Serialize)]
pub struct PublicsView<'v> {
    /// Every public of the vocabulary with its count.
    pub publics: &'v [Entree],
}

/// One target group (`publics/<cle>/`, paginated).
#[derive(Debug, Serialize)]
pub struct PublicView<'v> {
    /// The public (`nom`, `chemin`, `nombre`, `cle`).
    pub public: &'v Entree,
    /// Its projects.
    #[serde(flatten)]
    pub liste: Listing<'v>,
}

/// Department index (`territoires/`).
#[derive(Debug, Serialize)]
pub struct TerritoriesView<'v> {
    /// The five departments with their counts.
    pub departements: &'v [Entree],
    /// The region map, its legend and its text equivalent.
    pub carte: super::territories::RegionMapView,
}

/// One department (`territoires/<departement>/`, paginated).
#[derive(Debug, Serialize)]
pub struct DepartmentView<'v> {
    /// The department (`nom`, `chemin`, `nombre`, `cle` = code).
    pub departement: &'v Entree,
    /// Its projects.
    #[serde(flatten)]
    pub liste: Listing<'v>,
    /// Sectors with projects in it, each linking to the sector × department page.
    pub secteurs: Vec<Entree>,
    /// Intercommunalities (EPCI) with projects and a commune in it, by name, each linking to
    /// its page (`description` = kind in French, `cle` = SIREN).
    pub epcis: Vec<Entree>,
    /// Its map and median radar, on the first page of the listing only (`null` on the others).
    pub portrait: Option<super::territories::DepartmentPortrait>,
}

/// One sector in one department (`territoires/<departement>/<secteur>/`, paginated).
#[derive(Debug, Serialize)]
pub struct DepartmentSectorView<'v> {
    /// The department.
    pub departement: &'v Entree,
    /// The sector.
    pub secteur: &'v Entree,
    /// The projects.
    #[serde(flatten)]
    pub liste: Listing<'v>,
}

/// A free page (`<slug>/`).
#[derive(Debug, Serialize)]
pub struct FreePageView<'v> {
    /// The language of its texts when it is not the page's (an untranslated page: `fr`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub langue_texte: Option<String>,
    /// Title.
    pub titre: &'v str,
    /// Summary (may be empty).
    pub resume: &'v str,
    /// Body as safe HTML (print it with `| safe`).
    pub contenu: String,
}

/// The "page not found" page (`404.html`): nothing beyond `page`.
#[derive(Debug, Serialize)]
pub struct NotFoundView {}

/// A commune where a project acts.
#[derive(Debug, Serialize)]
pub struct CommuneView {
    /// INSEE code.
    pub code: String,
    /// Name from the reference tables (the code itself when unknown).
    pub nom: String,
}

/// An intercommunality (EPCI).
#[derive(Debug, Serialize)]
pub struct EpciView {
    /// SIREN.
    pub siren: String,
    /// Name (the SIREN itself when unknown).
    pub nom: String,
    /// Folder of its page, relative to the site root (`null` when it has none).
    pub chemin: Option<String>,
}

/// The territory of a project.
#[derive(Debug, Serialize)]
pub struct TerritoryView {
    /// Communes where it acts.
    pub communes: Vec<CommuneView>,
    /// Intercommunalities of those communes.
    pub epcis: Vec<EpciView>,
    /// Departments, linking to their pages.
    pub departements: Vec<Lien>,
    /// Scale of action in the page's language ("Locale"…), if declared.
    pub echelle: Option<String>,
    /// Locator map (SVG, `role="img"`, to print with `| safe`): its departments filled, a dot
    /// at each commune.
    pub situation: String,
    /// Credit of the map data.
    pub credit: String,
}

/// The carrier structure.
#[derive(Debug, Serialize)]
pub struct StructureView<'a> {
    /// Name.
    pub nom: &'a str,
    /// Legal form in the page's language ("Association", "SCIC"…).
    pub forme_juridique: String,
    /// SIRET, grouped for reading ("443 061 841 00047").
    pub siret: Option<String>,
    /// Postal code of the head office.
    pub code_postal: &'a str,
    /// Commune of the head office.
    pub commune: &'a str,
    /// Web site (absolute URL).
    pub site_web: Option<&'a str>,
    /// ESUS agreement: `true`, `false` or `null` (not stated).
    pub esus: Option<bool>,
}

/// A partner.
#[derive(Debug, Serialize)]
pub struct PartnerView<'a> {
    /// Name.
    pub nom: &'a str,
    /// Role in the page's language.
    pub role: String,
}

/// One marker of a project.
#[derive(Debug, Serialize)]
pub struct MarkerView<'a> {
    /// Fixed key.
    pub cle: &'static str,
    /// Name.
    pub nom: &'a str,
    /// Short explanation.
    pub aide: &'a str,
    /// Folder of the marker's page (`marqueurs/nature-collectif/`).
    pub chemin: String,
    /// Score with a French decimal comma ("2,5"), `null` when not assessed.
    pub note: Option<String>,
    /// Median of the project's first sector on this marker ("1,75"), `null` when not
    /// assessed by any project of the sector or when there is no sector median.
    pub mediane_secteur: Option<String>,
}

/// The radar of a project.
#[derive(Debug, Serialize)]
pub struct RadarView {
    /// Inline SVG markup, axes named (print it with `| safe`): shown when the window is
    /// wider than 33rem.
    pub svg: String,
    /// The same radar with numbered axes, for narrower displays (print it with `| safe`); the
    /// numbers are those of the markers table.
    pub svg_numerote: String,
    /// The standalone SVG file, relative to the site root.
    pub chemin: String,
}

/// The marker scale, for captions.
#[derive(Debug, Serialize)]
pub struct ScaleView {
    /// Lowest score, French format.
    pub min: String,
    /// Highest score, French format.
    pub max: String,
}

/// A level-2 section of a project's body.
#[derive(Debug, Serialize)]
pub struct SectionView<'a> {
    /// Heading text.
    pub titre: &'a str,
    /// Id for the heading (unique in the page).
    pub id: &'a str,
    /// Slug of the canonical section it is ("contexte", "resultats"…), `null` otherwise.
    pub canonique: Option<String>,
    /// Content as safe HTML, without the heading (print it with `| safe`).
    pub contenu: &'a str,
}

/// The sector median overlaid on a project's radar.
#[derive(Debug, Serialize)]
pub struct SectorMedianView {
    /// The sector, linking to its page.
    pub secteur: Lien,
    /// Number of projects of the sector.
    pub nombre_projets: usize,
}

/// Spreading of the practice.
#[derive(Debug, Serialize)]
pub struct ReplicationView {
    /// The carrier welcomes replication elsewhere.
    pub ouvert: bool,
    /// Names of the departments (anywhere in France) where it has been replicated.
    pub territoires: Vec<String>,
}

/// Label of a project.
#[derive(Debug, Serialize)]
pub struct LabelView {
    /// Year.
    pub annee: u16,
    /// Committee decision date in French ("15 juin 2017"), if given.
    pub date: Option<String>,
}

/// One project (`projets/<slug>/`).
#[derive(Debug, Serialize)]
pub struct ProjectView<'a> {
    /// The language of its texts when it is not the page's (an untranslated project: `fr`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub langue_texte: Option<String>,
    /// Slug.
    pub slug: &'a str,
    /// Title.
    pub titre: &'a str,
    /// Summary.
    pub resume: &'a str,
    /// Label year and date.
    pub label: LabelView,
    /// Stage, in the page's language.
    pub stade: String,
    /// Sectors, linking to their pages.
    pub secteurs: Vec<Lien>,
    /// Target groups, by name.
    pub publics: Vec<Lien>,
    /// Territory.
    pub territoire: TerritoryView,
    /// Carrier structure.
    pub structure: StructureView<'a>,
    /// Partners.
    pub partenaires: Vec<PartnerView<'a>>,
    /// The radar.
    pub radar: RadarView,
    /// The twelve markers in radar order.
    pub marqueurs: Vec<MarkerView<'a>>,
    /// The scale of the scores.
    pub bareme: ScaleView,
    /// Body before the first level-2 heading, safe HTML.
    pub introduction: &'a str,
    /// Body sections in document order.
    pub sections: Vec<SectionView<'a>>,
    /// Spreading of the practice, if stated.
    pub essaimage: Option<ReplicationView>,
    /// Illustration (`src` relative to the site root, `alt`).
    pub image: Option<&'a Image>,
    /// Organisational contact e-mail.
    pub contact: Option<&'a str>,
    /// Last editorial update in French.
    pub mis_a_jour: Option<String>,
    /// The median of the project's first sector, drawn on its radar (`null` when the
    /// sector is not in the vocabulary).
    pub secteur_mediane: Option<SectorMedianView>,
    /// Up to six related projects, best first (see `crate::stats`).
    pub voisins: Vec<super::insights::RelatedView<'a>>,
    /// schema.org description (JSON-LD), safe inside `<script type="application/ld+json">`
    /// (`<`, `>` and `&` are escaped as `\u003c`…): print it with `| safe`.
    pub json_ld: String,
}

/// A file of the open data export, on the `donnees/` page.
#[derive(Debug, Serialize)]
pub struct DataFileView {
    /// File name.
    pub nom: &'static str,
    /// Path relative to the site root.
    pub chemin: String,
    /// Format.
    pub format: &'static str,
    /// What it holds.
    pub description: &'static str,
}

/// A column of the CSV, on the `donnees/` page.
#[derive(Debug, Serialize)]
pub struct DataColumnView {
    /// Name (CSV header).
    pub nom: String,
    /// French title.
    pub titre: String,
    /// Type in French.
    pub type_donnee: &'static str,
    /// Description.
    pub description: String,
    /// Whether every row has a value.
    pub obligatoire: bool,
    /// Whether the cell lists several values separated by `separateur_liste`.
    pub liste: bool,
}

/// The open data page (`donnees/`).
#[derive(Debug, Serialize)]
pub struct DataView {
    /// Number of projects in the files.
    pub nombre_projets: usize,
    /// The files.
    pub fichiers: Vec<DataFileView>,
    /// The columns of the CSV, in order.
    pub colonnes: Vec<DataColumnView>,
    /// CSV separator (`;`).
    pub separateur: String,
    /// Separator of several values in one cell (` | `).
    pub separateur_liste: &'static str,
    /// Licence name.
    pub licence: &'static str,
    /// Licence address.
    pub licence_url: &'static str,
}

/// The SIRET grouped as 3-3-3-5 digits, as printed on French documents.
pub fn grouped_siret(siret: &str) -> String {
    if siret.len() == 14 && siret.bytes().all(|b| b.is_ascii_digit()) {
        format!(
            "{} {} {} {}",
            &siret[0..3],
            &siret[3..6],
            &siret[6..9],
            &siret[9..14]
        )
    } else {
        siret.to_string()
    }
}

/// The markers of a project, with the site's names and help texts, scores written with
/// `decimal` as decimal separator.
pub fn marker_views<'a>(
    project: &Project,
    markers: &'a [crate::model::MarkerInfo],
    decimal: char,
) -> Vec<MarkerView<'a>> {
    markers
        .iter()
        .zip(project.markers.iter())
        .map(|(info, score)| MarkerView {
            cle: info.key,
            nom: &info.name,
            aide: &info.help,
            chemin: crate::routes::marker_dir(info.key),
            note: score
                .filter(|s| s.is_finite())
                .map(|s| format_score_with(s, decimal)),
            mediane_secteur: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siret_is_grouped() {
        assert_eq!(grouped_siret("44306184100047"), "443 061 841 00047");
        assert_eq!(grouped_siret("123"), "123");
    }
}

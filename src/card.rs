//! Social cards: a 1200×630 PNG per project (`projets/<slug>/carte.png`), drawn as SVG, rendered with resvg, cached by content hash.
//!
//! A card shows the project's title, carrier structure, territory, label year, the site title
//! and the radar of the twelve markers ([`crate::radar::radar_svg`], nested in the card's
//! SVG). Text is set in Liberation Sans 2.1.5 (SIL Open Font License, see
//! `assets/fonts/OFL.txt`), embedded in the binary and registered as the only font, also as
//! `sans-serif`: no system font is ever looked up, so a card is drawn the same on every
//! machine. Lines are wrapped with the font's real advance widths.
//!
//! **Cache.** Each card carries, in a PNG `tEXt` chunk named [`CACHE_KEYWORD`], a hash of
//! everything that determines its pixels: the card SVG (which holds every text and score
//! shown) and [`RENDERER_ID`] (font, renderer and layout version). Before drawing a card, the
//! build reads the card already published in the previous output (never following a symbolic
//! link) and reuses its bytes when the hash matches: nothing extra is published, and the
//! write stage then sees identical bytes and keeps the file untouched. Deleting the output
//! folder redraws every card, unless a cache folder is set ([`CardCache`]: `--cache DOSSIER`
//! or `cache_cartes` in site.yaml), where every card is also kept as `<hash>.png`, so that a
//! CI job starting from a clean checkout with that folder restored draws only changed cards.

use crate::escape;
use crate::model::{Project, Site};
use crate::output::OutputFile;
use crate::radar::{RadarSeries, num, radar_svg};
use crate::territory::{Territories, french_department_name};
use rayon::prelude::*;
use resvg::{tiny_skia, usvg};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Width of a card in pixels (the size OpenGraph and Twitter recommend).
pub const WIDTH: u32 = 1200;
/// Height of a card in pixels.
pub const HEIGHT: u32 = 630;
/// File name of a card inside its project folder.
pub const FILE_NAME: &str = "carte.png";
/// Keyword of the PNG `tEXt` chunk holding the cache hash.
pub const CACHE_KEYWORD: &str = "amiris-carte";
/// Everything besides the card SVG that determines the pixels; bump the layout number when
/// the drawing code changes in a way the SVG does not show (e.g. PNG encoding).
pub const RENDERER_ID: &str = "amiris carte 1; resvg 0.49; Liberation Sans 2.1.5; png rgba8";
/// Family name of the embedded font.
pub const FONT_FAMILY: &str = "Liberation Sans";

/// Liberation Sans Regular 2.1.5, unmodified (SIL OFL 1.1).
static FONT_REGULAR: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Regular.ttf");
/// Liberation Sans Bold 2.1.5, unmodified (SIL OFL 1.1).
static FONT_BOLD: &[u8] = include_bytes!("../assets/fonts/LiberationSans-Bold.ttf");

/// Largest previous card read back for the cache; anything bigger is redrawn.
const MAX_PREVIOUS_BYTES: u64 = 8 * 1024 * 1024;

// Colours of the default theme (themes/default/static/style.css).
const BLUE: &str = "#1b3a6b";
const YELLOW: &str = "#f5c400";
const WHITE: &str = "#ffffff";
/// Light blue for captions on the blue panel (contrast 8:1 on `BLUE`).
const PALE_BLUE: &str = "#c9d6ea";
/// Muted text on white (contrast 7:1).
const MUTED: &str = "#595959";

// Layout of the blue text panel, in pixels.
const PANEL_WIDTH: f64 = 610.0;
const STRIPE_WIDTH: f64 = 14.0;
const TEXT_X: f64 = 62.0;
const TEXT_WIDTH: f64 = PANEL_WIDTH - TEXT_X - 44.0;
/// Title sizes tried in turn until the title fits in [`TITLE_MAX_LINES`] lines.
const TITLE_SIZES: [f64; 4] = [58.0, 52.0, 46.0, 40.0];
/// Most lines of the title; beyond, the last one ends with an ellipsis.
pub const TITLE_MAX_LINES: usize = 3;
/// Top of the title block.
const TITLE_Y: f64 = 176.0;
/// Line height of the title, as a multiple of its size.
const TITLE_LEADING: f64 = 1.12;
const TAG_SIZE: f64 = 21.0;
const INFO_SIZE: f64 = 25.0;
const INFO_LEADING: f64 = INFO_SIZE * 1.25;
/// From a caption's baseline to its first line's.
const INFO_CAPTION_GAP: f64 = INFO_SIZE * 1.3;
/// Extra space between the carrier and the territory.
const INFO_BLOCK_GAP: f64 = 22.0;
/// Lowest baseline of the blue panel's text.
const INFO_BOTTOM: f64 = 574.0;
const CAPTION_SIZE: f64 = 17.0;
const INFO_MAX_LINES: usize = 2;

// Where the radar goes on the white panel.
const RADAR_X: f64 = PANEL_WIDTH + 10.0;
const RADAR_Y: f64 = 24.0;
const RADAR_WIDTH: f64 = WIDTH as f64 - RADAR_X - 10.0;
const RADAR_HEIGHT: f64 = 540.0;

/// Counts of one build's cards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CardSummary {
    /// Cards drawn by this build (new, or whose content changed).
    pub rendered: usize,
    /// Cards whose bytes were taken from the previous output or the cache folder (same hash).
    pub reused: usize,
    /// Of the reused cards, those found in the cache folder (not in the previous output).
    pub from_cache: usize,
}

/// Why a card could not be drawn (never expected: the SVG is generated and escaped here).
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    /// The card SVG was refused by the renderer.
    #[error(
        "la carte de partage de « {slug} » n'a pas pu être dessinée ({message}) ; signalez ce défaut en joignant la fiche du projet"
    )]
    Render {
        /// The project.
        slug: String,
        /// What the renderer said.
        message: String,
    },
    /// The cache folder could not be created, read or written.
    #[error("dossier de cache des cartes « {path} » : {message}")]
    Cache {
        /// The folder or file concerned.
        path: String,
        /// What the system said.
        message: String,
    },
}

impl CardError {
    fn cache(path: &Path, error: &std::io::Error) -> CardError {
        CardError::Cache {
            path: path.display().to_string(),
            message: error.to_string(),
        }
    }
}

pub use crate::routes::card_path;

/// What a card shows, resolved to display text.
#[derive(Debug, Clone)]
pub struct CardContent {
    /// Project slug (element ids).
    pub slug: String,
    /// Project title.
    pub title: String,
    /// Carrier structure name.
    pub structure: String,
    /// Communes where it acts, by name (may be empty).
    pub communes: Vec<String>,
    /// Departments where it acts, by name.
    pub departments: Vec<String>,
    /// Label year.
    pub year: u16,
    /// Site title.
    pub site_title: String,
    /// The radar, as standalone SVG markup.
    pub radar: String,
}

impl CardContent {
    /// Resolves what the card of `project` shows.
    pub fn new(site: &Site, project: &Project, territories: &Territories) -> CardContent {
        let communes = project
            .territory
            .communes
            .iter()
            .map(|code| match territories.commune(code) {
                Some(c) => c.name.clone(),
                None => match territories.former_commune(code) {
                    Some((name, _)) => name.to_string(),
                    None => code.clone(),
                },
            })
            .collect();
        let departments = project
            .territory
            .departments
            .iter()
            .map(|code| match territories.department(code) {
                Some(d) => d.name.clone(),
                None => french_department_name(code).map_or_else(|| code.clone(), str::to_string),
            })
            .collect();
        let series = [RadarSeries {
            label: &project.title,
            scores: &project.markers,
            class: "projet",
        }];
        let radar = radar_svg(
            &site.markers,
            &site.scale,
            &series,
            &format!("Profil de « {} »", project.title),
            "Radar des douze marqueurs d'innovation sociale",
            &format!("carte-{}", project.slug),
        );
        CardContent {
            slug: project.slug.clone(),
            title: project.title.clone(),
            structure: project.structure.name.clone(),
            communes,
            departments,
            year: project.label.year,
            site_title: site.title.clone(),
            radar,
        }
    }
}

/// A font weight of the embedded family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// Liberation Sans Regular.
    Regular,
    /// Liberation Sans Bold.
    Bold,
}

impl Weight {
    fn bytes(self) -> &'static [u8] {
        match self {
            Weight::Regular => FONT_REGULAR,
            Weight::Bold => FONT_BOLD,
        }
    }

    fn svg(self) -> &'static str {
        match self {
            Weight::Regular => "normal",
            Weight::Bold => "bold",
        }
    }
}

/// Width of `text` set at `size` pixels in the embedded font: the sum of the glyph advances
/// (kerning ignored, a fraction of a pixel). Characters the font lacks count as its
/// "missing glyph" box.
pub fn text_width(text: &str, size: f64, weight: Weight) -> f64 {
    let Ok(font) = skrifa::FontRef::new(weight.bytes()) else {
        // The embedded font always parses; keep a sane estimate rather than fail.
        return text.chars().count() as f64 * 0.6 * size;
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size as f32), LocationRef::default());
    text.chars()
        .map(|c| {
            let glyph = charmap.map(c).unwrap_or(skrifa::GlyphId::NOTDEF);
            f64::from(metrics.advance_width(glyph).unwrap_or(0.0))
        })
        .sum()
}

/// Splits `word` into pieces that each fit in `max_width` (at least one character each).
fn split_long_word(word: &str, max_width: f64, size: f64, weight: Weight) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    for c in word.chars() {
        current.push(c);
        if current.chars().count() > 1 && text_width(&current, size, weight) > max_width {
            current.pop();
            pieces.push(std::mem::take(&mut current));
            current.push(c);
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// Whether a line may break at `c`: any white space but the no-break spaces.
fn breaks_line(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}')
}

/// Glues French punctuation to its word with a no-break space, so that a line never starts
/// with « : », « ; », « ! », « ? » or « » » nor ends with « « ».
fn bind_punctuation(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let glue = c == ' '
            && (i > 0 && chars[i - 1] == '«'
                || chars
                    .get(i + 1)
                    .is_some_and(|next| matches!(next, '»' | ':' | ';' | '!' | '?')));
        out.push(if glue { '\u{a0}' } else { c });
    }
    out
}

/// The words of `text`, between breakable spaces.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(breaks_line).filter(|w| !w.is_empty())
}

/// Cuts `text` so that `text…` fits in `max_width`: between two words when that keeps most
/// of the line, inside a word otherwise.
fn ellipsize(text: &str, max_width: f64, size: f64, weight: Weight) -> String {
    let trailing = |c: char| c.is_whitespace() || ",;:–-«(".contains(c);
    let fitted = |candidate: &str| {
        let line = format!("{}…", candidate.trim_end_matches(trailing));
        let width = text_width(&line, size, weight);
        (width <= max_width).then_some((line, width))
    };
    let all: Vec<&str> = words(text).collect();
    for count in (1..all.len()).rev() {
        if let Some((line, width)) = fitted(&all[..count].join(" ")) {
            if width >= 0.75 * max_width {
                return line;
            }
            break;
        }
    }
    let mut chars: Vec<char> = all.join(" ").chars().collect();
    loop {
        let candidate: String = chars.iter().collect();
        match fitted(&candidate) {
            Some((line, _)) => return line,
            None if chars.is_empty() => return "…".to_string(),
            None => {
                chars.pop();
            }
        }
    }
}

/// Wraps `text` in lines of at most `max_width` pixels (words longer than a line are cut),
/// at most `max_lines` lines; returns the lines and whether text was dropped (the last line
/// then ends with "…"). French punctuation stays with its word.
pub fn wrap(
    text: &str,
    max_width: f64,
    size: f64,
    weight: Weight,
    max_lines: usize,
) -> (Vec<String>, bool) {
    let text = bind_punctuation(text);
    // Pieces with the separator placed before each: a space between words, nothing between
    // the parts of a word too long for a line.
    let mut pieces: Vec<(&str, String)> = Vec::new();
    let too_wide = |word: &str| text_width(word, size, weight) > max_width;
    for unit in words(&text) {
        // A group glued by no-break spaces that cannot fit is broken at them first.
        let glued: Vec<&str> = if too_wide(unit) {
            unit.split('\u{a0}').filter(|w| !w.is_empty()).collect()
        } else {
            vec![unit]
        };
        for word in glued {
            if too_wide(word) {
                for (i, part) in split_long_word(word, max_width, size, weight)
                    .into_iter()
                    .enumerate()
                {
                    pieces.push((if i == 0 { " " } else { "" }, part));
                }
            } else {
                pieces.push((" ", word.to_string()));
            }
        }
    }
    // Each line with the index of its first piece.
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (index, (separator, piece)) in pieces.iter().enumerate() {
        if let Some((_, current)) = lines.last_mut() {
            let joined = format!("{current}{separator}{piece}");
            if text_width(&joined, size, weight) <= max_width {
                *current = joined;
                continue;
            }
        }
        lines.push((index, piece.clone()));
    }
    let max_lines = max_lines.max(1);
    if lines.len() <= max_lines {
        return (lines.into_iter().map(|(_, line)| line).collect(), false);
    }
    let first = lines[max_lines - 1].0;
    let rest: String = pieces[first..]
        .iter()
        .enumerate()
        .map(|(i, (separator, piece))| {
            if i == 0 {
                piece.clone()
            } else {
                format!("{separator}{piece}")
            }
        })
        .collect();
    let mut kept: Vec<String> = lines
        .into_iter()
        .take(max_lines - 1)
        .map(|(_, line)| line)
        .collect();
    kept.push(ellipsize(&rest, max_width, size, weight));
    (kept, true)
}

/// The title wrapped at the largest size that fits in [`TITLE_MAX_LINES`] lines and leaves
/// `room_below` pixels above [`INFO_BOTTOM`] (cut with an ellipsis at the smallest size when
/// no size fits). Returns the size and the lines.
fn title_lines(title: &str, room_below: f64) -> (f64, Vec<String>) {
    let title = if title.trim().is_empty() {
        "Projet sans titre"
    } else {
        title
    };
    let mut last = (0.0, Vec::new());
    for size in TITLE_SIZES {
        let (lines, cut) = wrap(title, TEXT_WIDTH, size, Weight::Bold, TITLE_MAX_LINES);
        let bottom = title_bottom(size, lines.len());
        if !cut && bottom + room_below <= INFO_BOTTOM {
            return (size, lines);
        }
        last = (size, lines);
    }
    last
}

/// Baseline of the first title line at `size`.
fn title_top(size: f64) -> f64 {
    TITLE_Y + size * 0.8
}

/// Where the text after a title of `count` lines at `size` may start (baseline).
fn title_bottom(size: f64, count: usize) -> f64 {
    title_top(size) + count.saturating_sub(1) as f64 * size * TITLE_LEADING + size * 0.25 + 44.0
}

/// The territory line: commune names (the first few and a count when they do not fit),
/// then the departments; the region when nothing is given.
fn territory_lines(content: &CardContent) -> Vec<String> {
    let fits = |text: &str| {
        let (lines, cut) = wrap(text, TEXT_WIDTH, INFO_SIZE, Weight::Regular, INFO_MAX_LINES);
        (!cut).then_some(lines)
    };
    let departments = content.departments.join(", ");
    let total = content.communes.len();
    for shown in (1..=total).rev() {
        let mut names = content.communes[..shown].join(", ");
        let others = total - shown;
        if others == 1 {
            names.push_str(" et 1 autre commune");
        } else if others > 1 {
            let _ = write!(names, " et {others} autres communes");
        }
        if !departments.is_empty()
            && let Some(lines) = fits(&format!("{names} ({departments})"))
        {
            return lines;
        }
        if let Some(lines) = fits(&names) {
            return lines;
        }
    }
    let text = if departments.is_empty() {
        "Hauts-de-France".to_string()
    } else {
        departments
    };
    wrap(
        &text,
        TEXT_WIDTH,
        INFO_SIZE,
        Weight::Regular,
        INFO_MAX_LINES,
    )
    .0
}

/// One line of text placed on the card.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedText {
    /// Left edge.
    pub x: f64,
    /// Baseline.
    pub y: f64,
    /// Font size in pixels.
    pub size: f64,
    /// Weight.
    pub weight: Weight,
    /// Colour.
    pub fill: &'static str,
    /// The text (unescaped).
    pub text: String,
}

impl PlacedText {
    /// Its right edge, measured with the embedded font.
    pub fn right(&self) -> f64 {
        self.x + text_width(&self.text, self.size, self.weight)
    }
}

/// Where everything of a card goes.
#[derive(Debug, Clone)]
pub struct CardLayout {
    /// Every text line of the blue panel and the radar caption.
    pub texts: Vec<PlacedText>,
    /// The lines of the title (a subset of `texts`).
    pub title: Vec<String>,
    /// Width of the label tag.
    pub tag_width: f64,
}

/// Lays a card out: site title and label tag at the top, the title below them, the carrier
/// and the territory anchored at the bottom of the blue panel (pushed down by a long title),
/// the radar on the white panel.
pub fn layout(content: &CardContent) -> CardLayout {
    let mut texts = Vec::new();
    let mut place = |x: f64, y: f64, size: f64, weight: Weight, fill: &'static str, text: &str| {
        texts.push(PlacedText {
            x,
            y,
            size,
            weight,
            fill,
            text: text.to_string(),
        })
    };

    let (site, _) = wrap(&content.site_title, TEXT_WIDTH, 21.0, Weight::Bold, 1);
    if let Some(line) = site.first() {
        place(TEXT_X, 72.0, 21.0, Weight::Bold, YELLOW, line);
    }
    let tag = format!("Projet labellisé en {}", content.year);
    let tag_width = text_width(&tag, TAG_SIZE, Weight::Bold) + 32.0;
    place(TEXT_X + 16.0, 123.5, TAG_SIZE, Weight::Bold, BLUE, &tag);

    let structure_name = if content.structure.trim().is_empty() {
        "Structure non renseignée"
    } else {
        &content.structure
    };
    let (structure, _) = wrap(
        structure_name,
        TEXT_WIDTH,
        INFO_SIZE,
        Weight::Regular,
        INFO_MAX_LINES,
    );
    let blocks = [
        ("PORTÉ PAR", structure),
        ("TERRITOIRE", territory_lines(content)),
    ];
    // From the first caption's baseline to the last line's.
    let info_height: f64 = blocks
        .iter()
        .map(|(_, lines)| INFO_CAPTION_GAP + lines.len().saturating_sub(1) as f64 * INFO_LEADING)
        .sum::<f64>()
        + (blocks.len() - 1) as f64 * (INFO_LEADING + INFO_BLOCK_GAP);

    let (size, lines) = title_lines(&content.title, info_height);
    let mut y = title_top(size);
    for line in &lines {
        place(TEXT_X, y, size, Weight::Bold, WHITE, line);
        y += size * TITLE_LEADING;
    }
    let mut y = title_bottom(size, lines.len()).max(INFO_BOTTOM - info_height);
    for (caption, lines) in &blocks {
        place(TEXT_X, y, CAPTION_SIZE, Weight::Bold, PALE_BLUE, caption);
        y += INFO_CAPTION_GAP;
        for line in lines {
            place(TEXT_X, y, INFO_SIZE, Weight::Regular, WHITE, line);
            y += INFO_LEADING;
        }
        y += INFO_BLOCK_GAP;
    }

    let caption = "Les douze marqueurs d'innovation sociale (Institut Godin)";
    let caption_x =
        RADAR_X + (RADAR_WIDTH - text_width(caption, CAPTION_SIZE, Weight::Regular)) / 2.0;
    place(
        caption_x,
        600.0,
        CAPTION_SIZE,
        Weight::Regular,
        MUTED,
        caption,
    );
    CardLayout {
        texts,
        title: lines,
        tag_width,
    }
}

/// The card as SVG markup (1200×630 user units), every text escaped.
pub fn card_svg(content: &CardContent) -> String {
    let layout = layout(content);
    let mut svg = String::with_capacity(content.radar.len() + 4096);
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"{FONT_FAMILY}\">"
    );
    let _ = writeln!(
        svg,
        "<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{WHITE}\"/>\n\
         <rect width=\"{}\" height=\"{HEIGHT}\" fill=\"{BLUE}\"/>\n\
         <rect width=\"{}\" height=\"{HEIGHT}\" fill=\"{YELLOW}\"/>\n\
         <rect x=\"{}\" y=\"96\" width=\"{}\" height=\"40\" rx=\"6\" fill=\"{YELLOW}\"/>",
        num(PANEL_WIDTH),
        num(STRIPE_WIDTH),
        num(TEXT_X),
        num(layout.tag_width)
    );
    for text in &layout.texts {
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"{}\" fill=\"{}\">{}</text>",
            num(text.x),
            num(text.y),
            num(text.size),
            text.weight.svg(),
            text.fill,
            escape::html(&text.text)
        );
    }
    // The radar, nested: its own viewBox is fitted (centred) into the white panel.
    let placed = content.radar.trim().replacen(
        "<svg ",
        &format!(
            "<svg x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" ",
            num(RADAR_X),
            num(RADAR_Y),
            num(RADAR_WIDTH),
            num(RADAR_HEIGHT)
        ),
        1,
    );
    svg.push_str(&placed);
    svg.push_str("\n</svg>\n");
    svg
}

/// Start value of FNV-1a, 128 bits.
const FNV_OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
/// Multiplier of FNV-1a, 128 bits.
const FNV_PRIME: u128 = 0x0000000001000000000000000000013B;

/// Feeds `bytes` to an FNV-1a 128-bit hash. FNV's value is fixed by its definition (unlike
/// `std::hash`, which may change between Rust releases), so a card's key is the same on
/// every machine and version; ten lines, no dependency. Not cryptographic: the cache only
/// tells apart the cards of one site, and a collision among 2¹²⁸ values is not a concern.
fn fnv_update(mut hash: u128, bytes: &[u8]) -> u128 {
    for byte in bytes {
        hash ^= u128::from(*byte);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

/// FNV-1a, 128 bits, of `bytes`.
#[cfg(test)]
fn fnv1a_128(bytes: &[u8]) -> u128 {
    fnv_update(FNV_OFFSET, bytes)
}

/// The cache key of a card, in hex: FNV-1a 128 of [`RENDERER_ID`], the sizes of the
/// embedded fonts (so that swapping a font file redraws every card even if the identifier
/// was forgotten), a NUL, and the card SVG.
pub fn card_key(svg: &str) -> String {
    let hash = fnv_update(FNV_OFFSET, RENDERER_ID.as_bytes());
    let hash = fnv_update(hash, &(FONT_REGULAR.len() as u64).to_le_bytes());
    let hash = fnv_update(hash, &(FONT_BOLD.len() as u64).to_le_bytes());
    let hash = fnv_update(hash, b"\0");
    format!("{:032x}", fnv_update(hash, svg.as_bytes()))
}

/// Renderer options, built once: the embedded fonts only (also as `sans-serif`), and
/// `<image>` references resolved to nothing (a card never reads a file).
fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut fontdb = usvg::fontdb::Database::new();
        fontdb.load_font_data(FONT_REGULAR.to_vec());
        fontdb.load_font_data(FONT_BOLD.to_vec());
        fontdb.set_sans_serif_family(FONT_FAMILY);
        let mut options = usvg::Options {
            font_family: FONT_FAMILY.to_string(),
            languages: vec!["fr".to_string()],
            fontdb: Arc::new(fontdb),
            ..usvg::Options::default()
        };
        options.image_href_resolver = usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        };
        options
    })
}

/// Draws a card SVG into PNG bytes (RGBA, 8 bits, opaque), with `key` in a `tEXt` chunk.
pub fn render_png(svg: &str, key: &str, slug: &str) -> Result<Vec<u8>, CardError> {
    let error = |message: String| CardError::Render {
        slug: slug.to_string(),
        message,
    };
    let tree = usvg::Tree::from_str(svg, options()).map_err(|e| error(e.to_string()))?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT)
        .ok_or_else(|| error("image impossible à allouer".into()))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    // Straight RGBA (a no-op on this opaque image, done by tiny-skia's optimised code; an
    // RGB copy made here would cost more than the whole drawing in debug builds and save
    // only 4 % of the file).
    let rgba = pixmap.take_demultiplied();
    let mut bytes = Vec::with_capacity(96 * 1024);
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .add_text_chunk(CACHE_KEYWORD.to_string(), key.to_string())
        .map_err(|e| error(e.to_string()))?;
    let mut writer = encoder.write_header().map_err(|e| error(e.to_string()))?;
    writer
        .write_image_data(&rgba)
        .map_err(|e| error(e.to_string()))?;
    writer.finish().map_err(|e| error(e.to_string()))?;
    Ok(bytes)
}

/// The PNG signature.
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// Width and height from a PNG's header, if `bytes` starts like a PNG.
pub fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || bytes[..8] != PNG_SIGNATURE || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let width = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
    let height = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
    Some((width, height))
}

/// The cache key stored in a card PNG (its `tEXt` chunk [`CACHE_KEYWORD`]), read from the
/// chunks before the image data; `None` for anything else.
pub fn stored_key(bytes: &[u8]) -> Option<String> {
    if png_size(bytes)? != (WIDTH, HEIGHT) {
        return None;
    }
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let length = u32::from_be_bytes(bytes[at..at + 4].try_into().ok()?) as usize;
        let kind = &bytes[at + 4..at + 8];
        let data = bytes.get(at + 8..at + 8 + length)?;
        match kind {
            b"IDAT" | b"IEND" => return None,
            b"tEXt" => {
                let mut parts = data.splitn(2, |b| *b == 0);
                if parts.next() == Some(CACHE_KEYWORD.as_bytes()) {
                    return parts
                        .next()
                        .and_then(|text| std::str::from_utf8(text).ok())
                        .map(str::to_string);
                }
            }
            _ => {}
        }
        at += 12 + length;
    }
    None
}

/// The last chunk of every PNG (length 0, `IEND`, its CRC).
const PNG_END: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82];

/// Whether `bytes` is a card drawn with `key`: its cache chunk holds `key` and the file ends
/// with the `IEND` chunk (a card cut short by a crash or a full disk is never reused).
fn carries_key(bytes: &[u8], key: &str) -> bool {
    bytes.ends_with(&PNG_END) && stored_key(bytes).as_deref() == Some(key)
}

/// The bytes of `path` when it is a regular file (not a symbolic link) of at most
/// [`MAX_PREVIOUS_BYTES`].
fn read_regular_file(path: &Path) -> Option<Vec<u8>> {
    let metadata = fs::symlink_metadata(path).ok()?;
    if !metadata.file_type().is_file() || metadata.len() > MAX_PREVIOUS_BYTES {
        return None;
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    fs::File::open(path)
        .ok()?
        .take(MAX_PREVIOUS_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// The bytes of the card at `relative` in the previous output, when it is a regular file
/// reached without any symbolic link, in a folder that amiris produced (marker file).
fn read_previous(output_dir: &Path, relative: &str) -> Option<Vec<u8>> {
    let is_real_dir =
        |path: &Path| fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_dir());
    if !is_real_dir(output_dir) {
        return None;
    }
    if !crate::output::is_amiris_output(output_dir) {
        return None;
    }
    let mut path = output_dir.to_path_buf();
    let components: Vec<&str> = relative.split('/').collect();
    let (file, folders) = components.split_last()?;
    for folder in folders {
        path.push(folder);
        if !is_real_dir(&path) {
            return None;
        }
    }
    path.push(file);
    read_regular_file(&path)
}

/// Whether `name` is a cache key: 32 lowercase hexadecimal digits (see [`card_key`]).
fn is_key(name: &str) -> bool {
    name.len() == 32 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A folder where drawn cards are kept across builds, one file `<key>.png` per card, named
/// by its cache key ([`card_key`]): a build that starts from an empty output (a clean
/// checkout in CI) takes from it every card whose key has not changed. After a build it holds
/// exactly that build's cards: the others are deleted (one folder per site, one build at a
/// time).
#[derive(Debug)]
pub struct CardCache {
    dir: PathBuf,
}

impl CardCache {
    /// Opens the cache folder `dir`, creating it (and its parents) if needed.
    pub fn open(dir: &Path) -> Result<CardCache, CardError> {
        fs::create_dir_all(dir).map_err(|e| CardError::cache(dir, &e))?;
        Ok(CardCache {
            dir: dir.to_path_buf(),
        })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.png"))
    }

    /// The card kept under `key`, if it is a whole card carrying that key (a regular file,
    /// never through a symbolic link).
    fn get(&self, key: &str) -> Option<Vec<u8>> {
        read_regular_file(&self.path(key)).filter(|bytes| carries_key(bytes, key))
    }

    /// Whether a file is kept under `key` (not checked: [`CardCache::get`] checks on reading).
    fn contains(&self, key: &str) -> bool {
        fs::symlink_metadata(self.path(key)).is_ok_and(|m| m.file_type().is_file())
    }

    /// Keeps `bytes` under `key`: written beside, then renamed, so that a crash never
    /// leaves half a card under a key.
    fn put(&self, key: &str, bytes: &[u8]) -> Result<(), CardError> {
        let temporary = self
            .dir
            .join(format!("{key}.png.tmp{}", std::process::id()));
        fs::write(&temporary, bytes).map_err(|e| CardError::cache(&temporary, &e))?;
        let path = self.path(key);
        fs::rename(&temporary, &path).map_err(|e| {
            let _ = fs::remove_file(&temporary);
            CardError::cache(&path, &e)
        })
    }

    /// Deletes the cards (and leftover temporary files) whose key is not in `keep`; any
    /// other file of the folder is left alone. Returns how many files were deleted.
    fn prune(&self, keep: &HashSet<&str>) -> Result<usize, CardError> {
        let entries = fs::read_dir(&self.dir).map_err(|e| CardError::cache(&self.dir, &e))?;
        let mut deleted = 0;
        for entry in entries {
            let entry = entry.map_err(|e| CardError::cache(&self.dir, &e))?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let Some((key, rest)) = name.split_once('.') else {
                continue;
            };
            let ours = is_key(key)
                && (rest == "png"
                    || rest
                        .strip_prefix("png.tmp")
                        .is_some_and(|pid| pid.bytes().all(|b| b.is_ascii_digit())));
            if !ours || (rest == "png" && keep.contains(key)) {
                continue;
            }
            if entry.file_type().is_ok_and(|t| t.is_file()) {
                let path = entry.path();
                fs::remove_file(&path).map_err(|e| CardError::cache(&path, &e))?;
                deleted += 1;
            }
        }
        Ok(deleted)
    }
}

/// `path` made absolute (from the current folder) with `.` and `..` resolved by name.
fn lexical_absolute(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut normal = PathBuf::new();
    for component in absolute.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// Whether `inner` is `outer` or inside it, comparing names (no symbolic link resolved).
fn lexically_within(inner: &Path, outer: &Path) -> bool {
    lexical_absolute(inner).starts_with(lexical_absolute(outer))
}

/// Where the bytes of a card came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Drawn by this build.
    Drawn,
    /// The same card in the previous output.
    Previous,
    /// The cache folder.
    Cache,
}

/// The card of one project: reused from `previous` or `cache` when its key matches, drawn
/// otherwise; a card drawn or found only in the previous output is kept in `cache`.
/// Returns the file, where it came from and its key.
fn card_file(
    site: &Site,
    project: &Project,
    previous: Option<&Path>,
    cache: Option<&CardCache>,
) -> Result<(OutputFile, Origin, String), CardError> {
    let content = CardContent::new(site, project, Territories::region());
    let svg = card_svg(&content);
    let key = card_key(&svg);
    let path = card_path(&project.slug);
    if let Some(bytes) = previous
        .and_then(|dir| read_previous(dir, &path))
        .filter(|bytes| carries_key(bytes, &key))
    {
        if let Some(cache) = cache
            && !cache.contains(&key)
        {
            cache.put(&key, &bytes)?;
        }
        return Ok((OutputFile { path, bytes }, Origin::Previous, key));
    }
    if let Some(bytes) = cache.and_then(|cache| cache.get(&key)) {
        return Ok((OutputFile { path, bytes }, Origin::Cache, key));
    }
    let bytes = render_png(&svg, &key, &project.slug)?;
    if let Some(cache) = cache {
        cache.put(&key, &bytes)?;
    }
    Ok((OutputFile { path, bytes }, Origin::Drawn, key))
}

/// The cards of every project, in parallel; those unchanged since the build that produced
/// `previous_output` (the current output folder, if any) are reused from it.
pub fn render_cards(
    site: &Site,
    projects: &[Project],
    previous_output: Option<&Path>,
) -> Result<(Vec<OutputFile>, CardSummary), CardError> {
    let files = std::sync::Mutex::new(Vec::new());
    let summary = render_cards_with_progress(
        site,
        projects,
        previous_output,
        None,
        &crate::progress::Progress::hidden(),
        |file| {
            files
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(file);
            Ok::<(), CardError>(())
        },
    )?;
    let mut files = files
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, summary))
}

/// [`render_cards`], also looking in and filling the cache folder `cache` (left with this
/// build's cards only), counting cards (drawn or reused) on `progress` and handing each card
/// to `sink` as soon as it is made (memory never holds every card).
pub fn render_cards_with_progress<E>(
    site: &Site,
    projects: &[Project],
    previous_output: Option<&Path>,
    cache: Option<&Path>,
    progress: &crate::progress::Progress,
    sink: impl Fn(OutputFile) -> Result<(), E> + Sync + Send,
) -> Result<CardSummary, E>
where
    E: From<CardError> + Send,
{
    if let (Some(cache), Some(output)) = (cache, previous_output)
        && lexically_within(cache, output)
    {
        return Err(CardError::Cache {
            path: cache.display().to_string(),
            message: format!(
                "il est dans le dossier de sortie « {} », qui est remplacé à chaque \
                 construction ; choisissez un dossier en dehors, par exemple .cache/cartes",
                output.display()
            ),
        }
        .into());
    }
    let cache = cache.map(CardCache::open).transpose()?;
    progress.start("cartes de partage", projects.len());
    let results = projects
        .par_iter()
        .map(|project| {
            let (file, origin, key) = card_file(site, project, previous_output, cache.as_ref())?;
            progress.tick();
            sink(file)?;
            Ok((origin, key))
        })
        .collect::<Result<Vec<_>, E>>()?;
    if let Some(cache) = &cache {
        let keep: HashSet<&str> = results.iter().map(|(_, key)| key.as_str()).collect();
        cache.prune(&keep)?;
    }
    let mut summary = CardSummary::default();
    for (origin, _) in results {
        match origin {
            Origin::Drawn => summary.rendered += 1,
            Origin::Previous => summary.reused += 1,
            Origin::Cache => {
                summary.reused += 1;
                summary.from_cache += 1;
            }
        }
    }
    Ok(summary)
}

#[cfg(test)]
mod tests;

//! Social cards: a 1200×630 PNG per project (`projets/<slug>/carte.png`), drawn as SVG, rendered with resvg, cached by content hash.
//!
//! A card shows the project's title, carrier structure, territory, label year, the site title
//! and the radar of the twelve markers ([`crate::radar::radar_svg`], placed in the card's SVG
//! by a transform). Text is set in Liberation Sans 2.1.5 (SIL Open Font License, see
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
//!
//! **Drawing in layers.** Most of a card is the same on every card of a site: backgrounds,
//! site title, radar caption, the radar's rings, axes, ring values and axis labels. The card
//! is cut into three SVG layers ([`card_layers`]): the *backdrop* (drawn once per build, per
//! radar frame: the radar's footnote about unassessed markers shrinks it), the card's *own*
//! marks (tag, title, carrier, territory, the radar's profile: the only ones parsed and
//! rasterised per card), and the *overlay* (ring values, which sit over the profile with a
//! white halo, and axis labels: drawn once, kept as its few non-transparent pixels and
//! blended over each card). The layers hold the elements of [`card_svg`] in the same order,
//! so the result is the whole SVG drawn at once, give or take one level of rounding where
//! layers are blended (tested). The radar is placed by a transform rather than a nested
//! `<svg>`, whose clipping costs resvg a full-size buffer per drawing.
//!
//! **Text from glyph masks.** Texts are not drawn by resvg but by `glyphs`: each glyph is
//! rasterised once per build (hinted, on whole pixels) and blended wherever it recurs. The
//! radar's axis labels too: they are read back from its markup ([`radar_labels`]) and
//! placed through its transform, each line anchored with its shaped width (fewer
//! anti-aliased shades and letters that repeat exactly: cards 7 % lighter). The radar's
//! centre is put on a pixel's centre, so that its vertical and horizontal axes are one
//! pixel wide (1 % lighter). The whole SVG drawn by resvg stays the reference of the
//! layered drawing, compared in 16×16 blocks (text edges move by up to half a pixel).
//!
//! **Palette against the shared layers.** The backdrop with the overlay over it is numbered
//! once per build, its colours snapped to blending steps (below) and given the first entries
//! of every card's palette, each of its pixels its index. A card is compared with it eight
//! pixels at a time: unchanged blocks copy the reference's indices, and only the pixels its
//! own marks changed are looked up (through a small table of the colours seen last); the
//! card's own colours are snapped too (between the reference's commonest colours and its
//! 8 commonest own ones: each colour is measured once per thread against the ramps between
//! the reference's anchors, [`SnapCache`], and per card against those that end at one of
//! its own anchors) and take the next entries. A card whose colours would not fit in 256
//! entries is quantised on its own ([`quantize`]).
//!
//! **Encoding.** A card is flat colours plus anti-aliasing: about 600 distinct colours. It is
//! written as an indexed-colour PNG: a palette of at most 256 colours chosen per card
//! ([`quantize`]: the 64 most frequent, then the colour farthest from the palette, so rare
//! anti-aliasing shades still get a close colour), rows unfiltered, DEFLATE by zlib-rs (the
//! `png` crate's fastest backend): level 5 with tuned search parameters for a card's own
//! rows, 9 for the rows it shares with every card (level 4, then 6, then 5 before; see
//! below). Before the
//! palette is chosen, every shade that is a blend of two of the card's 16 most frequent colours
//! (within 3 levels of the segment between them) is snapped to one of the steps between
//! them ([`snap_to_ramps`]): 8 across a whole channel, fewer across a narrower blend (4
//! between white and the radar's grey), so that no blend is off by more than half of
//! 255 / 8 levels; an edge keeps a few shades between its two colours instead of dozens,
//! the palette is then exact (140 to 190 colours on the demonstration's cards) and DEFLATE
//! finds more repeats. The decoded card is within 17 levels of a channel of the drawing
//! (tested), within the 16 levels of the reference comparison but on a few pixels. The
//! references were re-blessed when the radar's labels went to glyph masks and its centre to
//! a pixel's centre (edges moved by under half a pixel), then when narrower blends got fewer
//! steps (at most 27 levels from the previous references, on about 700 pixels a card).
//!
//! Where the bytes of a card go (`card_encoders`, first 100 synthetic cards, the cards'
//! settings, 29.6 KB in all): flat backgrounds 3.0 KB (DEFLATE needs five repeats per row of
//! 1,200 bytes, whatever the filter), the blue panel's texts 11.9 KB, the white panel
//! 16.1 KB, of which the card's own radar profile 2.4 KB: the radar's rings, axes, labels,
//! ring values and caption, the same on every card, still cost 13.7 KB in each (17.9 KB
//! before the labels were drawn from glyph masks, 4 steps kept between white and the grid's
//! grey and DEFLATE went from level 4 to 6). Without its grid (rings and axes) a card would
//! weigh 8 KB less: that grid, anti-aliased diagonal strokes that no two rows share, is
//! most of what separates a card from 20 KB, and only a different radar would remove it.
//!
//! In the build (fresh build of the 1,000-project synthetic catalogue, release binary, output
//! on tmpfs; per card = (build) − (build `--sans-cartes`), ÷ 1,000, user + sys time by
//! `/usr/bin/time`, median of 3 runs, the binary before this step in the same runs, on a
//! quiet machine, load under 1.6, 5 December 2026, 13:44 UTC): 29,836 bytes and 4.93 ms per
//! card, against 37,400 bytes and 4.51 ms before (42,839 bytes and 4.78 ms before the
//! previous step). On ext4, deleting and recreating the output between runs made the kernel's
//! inode allocation (`recently_deleted`) grow from run to run, by seconds: measure on tmpfs.
//! DEFLATE level 6 costs about 0.6 ms more per card than level 4, of which the faster
//! palette loop and the per-thread snapping win back a part; DEFLATE is then about half a
//! card's work, drawing (resvg for the tag and the profile, glyph masks) a quarter, the
//! palette a tenth (callgrind, 60 cards). The 4 ms and the 30 KB could not both be had with
//! the DEFLATE levels as they were (level 4 would give about 4.3 ms and 32.7 KB, level 5
//! about 4.6 ms and 30.4 KB; the tuned own rows below do better than both). A fresh 10,000-project build took 30.06 s of wall time once (29.8 KB per card,
//! 58.9 s of processor time, 8.1 s of it without cards; output on tmpfs, same quiet
//! machine, 13:45 UTC): at the 30 s aimed at, with nothing to spare.
//!
//! **Shared rows compressed once** (commit after 9368e96): a card's first and last rows that
//! are its reference's (rows 0 to about 96 and from about 580: the label tag and the blue
//! panel's last line bound them) are compressed once per build at level 9 and spliced into
//! its zlib stream ([`encode_over_reference`]); only the rows between are compressed per
//! card, at level 6, with the rows above as dictionary. Same pixels (all 1,000 cards of the
//! synthetic catalogue compared), 29,228 bytes per card instead of 29,836. Instructions
//! (callgrind, fresh build of the first 60 synthetic projects, minus the same with
//! `--sans-cartes`): 48.8 M per card against 50.6 M (−3.6 %).
//!
//! **Middle rows at level 5** (commit 76b7194): a card's own rows are compressed at DEFLATE
//! level 5 rather than 6, and the checksum of the shared rows is worked out once with them
//! and combined ([`SharedRows`]). Same pixels (all 1,000 synthetic cards decoded and
//! compared), 29,773 bytes per card instead of 29,228. Processor time per card as above
//! (1,000 synthetic projects, tmpfs, median of 3, both binaries alternated in the same runs,
//! 6 December 2026 around 00:20 UTC, load 1.1 to 1.5, the machine slower than at 13:44 the
//! day before): 5.86 ms against 6.65 ms for the binary before (−12 %) in one set of runs,
//! 6.87 against 7.37 (−7 %) in another. Applied to the 4.93 ms of 13:44 with the splice's
//! −3.6 %, about 4.3 ms per card: the 4 ms target is not shown to be met.
//!
//! Instructions (callgrind, fresh build of the first 100 synthetic projects minus the same
//! with `--sans-cartes`, ÷ 100): 43.7 M per card at level 5 (48.8 M at level 6 on 60 cards
//! before); with DEFLATE's output buffer kept from card to card rather than zeroed afresh
//! ([`deflate_raw`], commit 5eab5d0), 43.0 M (−1.8 %). The global allocator (mimalloc)
//! changes nothing here: a card's buffers are reused per thread.
//!
//! **Own rows tuned** (commits 182553f to c4a980c, 6 December 2026, 02:20 to
//! 03:10 UTC). Instructions per card as above, each step against the one before: glyph
//! masks blended with their on-canvas columns worked out once per glyph and fully covered
//! pixels copied (43.0 M to about 42.3 M), a card's own colours measured once per thread
//! against the ramps between the reference's anchors, per card only against the ramps
//! that end at one of its own anchors ([`SnapCache`]; 41.95 M with the glyphs), the own
//! rows compressed with DEFLATE tuned ([`OWN_ROWS_TUNING`]: 34.95 M, −16.7 %) and three
//! rows of dictionary rather than 28 ([`DICTIONARY_ROWS`]: 34.4 M): 34.4 M per card against
//! 43.0 M, −20 %. The same pixels throughout (all 1,000 synthetic cards decoded and
//! compared with those of commit fbd21d8: none differs), 29,655 bytes per card on the
//! 1,000-project catalogue instead of 29,773. The tuning was chosen on the own rows of the
//! first 100 synthetic cards (dumped, then compressed alone under callgrind; bytes and
//! instructions of DEFLATE per card; good length, max lazy, nice length, max chain):
//!
//! | settings | bytes | M instructions |
//! |---|---:|---:|
//! | level 4 (4, 12, 32, 24; no look one match ahead) | 28,668 | 15.2 |
//! | level 5 (8, 16, 32, 32), as before | 26,347 | 21.9 |
//! | level 5, memory level 5 (blocks of 2,048 symbols rather than 16,384) | 26,055 | 22.4 |
//! | level 5, memory 5, (8, 4, 258, 16) | 25,886 | 16.4 |
//! | level 5, memory 5, (8, 2, 258, 16) | 26,048 | 15.7 |
//! | level 5, memory 5, (8, 1, 258, 16), chosen | 26,230 | 14.9 |
//! | level 5, memory 5, (8, 1, 258, 8) | 26,342 | 14.7 |
//!
//! Level 5's lazy parameter sets which matches have every position entered in the hash
//! chains (up to 16 × max lazy bytes): a card's long matches (flat runs, repeated rows) were
//! most of that work, and a short search (few candidates) that goes on to a whole match of
//! 258 bytes finds as much. What is left per card (callgrind, 100 cards, 34.4 M, inclusive
//! counts): DEFLATE 14.0 M (`deflate_medium` 6.9 M, `longest_match` 3.2 M), the rest of
//! the encoding 8.4 M (the comparison with the reference in `encode_into` 5.3 M, snapping
//! 1.7 M), drawing 11.0 M (resvg for the tag and the profile 6.5 M, of which parsing their
//! SVG 0.8 M and filling and stroking the profile most of the rest; glyphs, shaping
//! included, 3.0 M); `memcpy` (the backdrop into each card, the reference's indices, the
//! rows for DEFLATE) 2.5 M of those.
//!
//! Processor time per card (fresh build of the 1,000-project synthetic catalogue minus the
//! same with `--sans-cartes`, ÷ 1,000, user + sys by `/usr/bin/time`, output on tmpfs,
//! median of 3, the binary of commit fbd21d8 alternated with this one in the same runs, 6
//! December 2026, 03:26 UTC, load 1.4 to 2.5 with the builds' own two threads, the machine
//! much slower than in the runs above): 6.84 ms against 8.02 ms (−15 %); in a set run at
//! 03:24 during another compile, 6.45 against 7.76 (−17 %); in one at 03:29 (quiet at its
//! start, another compile by its end), 5.17 against 6.36 (−19 %). Applied to the 4.3 ms
//! estimated above for the binary before, about 3.5 to 3.7 ms per card: under the 4 ms
//! target by the instruction counts and every ratio, though not timed on a quiet machine.
//!
//! **Only what a card drew is put back** (6 December 2026, 18:20 UTC). Each thread keeps
//! its canvas from card to card; instead of copying the whole 3 MB backdrop into it for
//! each card, it puts the backdrop back only inside the rectangles the last card's own marks
//! may have touched (each top-level element of its own layer, strokes included, widened by
//! two pixels; each line of its texts) and under the overlay's pixels, and the comparison
//! with the reference only looks inside those rectangles (11 to 18 % of a card). Same bytes
//! (all 1,000 and all 10,000 synthetic cards compared with those of commit ddca636).
//! Processor time per card (`bench/cartes.sh`, 1,000 synthetic projects, tmpfs, 5 runs
//! alternated with the binary of ddca636, load 1.6): 3.21 ms against 3.51 ms (−8.5 %).
//! On this session's machine the binary of commit 1af8b90 (before issue 10, the one its
//! figures were measured with) takes 25.8 to 26.1 ms per card, where the issue measured
//! about 21 to 22 ms: the machine is not faster than the issue's.
//!
//! **A new compressor per card** (6 December 2026, found by the `card` fuzz target, see
//! `docs/fuzzing.md`). The compressor of a card's own rows used to be reset and kept from
//! card to card on a thread; a reset leaves the last card's data in DEFLATE's window, and the
//! match search reads a little past the end of the input, so that on some cards the matches
//! chosen near the end (never the data) depended on the card drawn before on the same thread,
//! and cards go to threads in no fixed order. Each card now gets a compressor of its own,
//! whose window starts zeroed: same bytes on all 1,000 synthetic cards, no measurable cost
//! (3.32 ms per card either way, `bench/cartes.sh`, 5 runs alternated, 18:35 UTC).
//!
//! Settings measured (`cargo run --release --example card_encoders -- DOSSIER 100`, first
//! 100 projects of the synthetic catalogue of `bench/`, one thread's processor time per card
//! including the palette chosen for the card alone, on the shared 2-core machine under a
//! load of about 6, 5 December 2026, 13:24 UTC; average bytes; largest difference of a
//! channel against the drawing; "8 steps" across a whole channel, fewer across a narrower
//! blend). In the same run, drawing a card took 7.37 ms as one SVG and 1.82 ms in layers,
//! the palette 1.17 ms, a card as the build makes it 5.00 ms.
//!
//! | encoder | ms per card | bytes per card | largest difference |
//! |---|---:|---:|---:|
//! | RGBA, adaptive filter, zlib-rs 6 (the settings before palettes) | 6.79 | 78017 | 0 |
//! | 256 colours, no steps, zlib-rs 4 | 2.85 | 38852 | 3 |
//! | 256 colours, 8 steps, zlib-rs 4 (the level before) | 2.69 | 32705 | 17 |
//! | 256 colours, 8 steps, zlib-rs 5 (chosen since, for the card's own rows) | 3.18 | 30430 | 17 |
//! | 256 colours, 8 steps, zlib-rs 6 (chosen then) | 3.85 | 29612 | 17 |
//! | 256 colours, 8 steps, zlib-rs 7 | 5.72 | 31345 | 17 |
//! | 256 colours, 8 steps, zlib-rs 9 | 13.14 | 27953 | 17 |
//! | 256 colours, 4 steps, zlib-rs 6 | 4.00 | 26736 | 30 |
//!
//! libdeflate (the `libdeflater` crate, built from C, PNG chunks written by hand; commit
//! 3c3f91c) was measured in the same way at 13:14 UTC, load 8, against zlib-rs 6 at 4.04 ms
//! and 29,612 bytes: level 4 3.17 ms and 32,658 bytes, 5 3.24 ms and 30,769, 6 3.67 ms and
//! 30,211, 7 4.88 ms and 29,954, 9 10.44 ms and 28,454, 12 293 ms and 25,569. On the raw
//! image data alone (60 cards, best of 5): libdeflate 6 29,331 bytes in 3.40 ms, zlib-rs 5
//! 29,453 in 2.88 ms, zlib-rs 6 28,643 in 4.24 ms. It is nowhere lighter for the same time
//! than zlib-rs, and was dropped. 4 steps would reach 26.7 KB with edges 30 levels off
//! (visibly coarser text); the earlier table (16, 8 and 4 uniform steps, 32 to 256 colours,
//! fdeflate) is in this file's history (commit 58251e1).

use crate::escape;
use crate::model::{MARKER_COUNT, Project, Site};
use crate::output::OutputFile;
use crate::radar::{RadarSeries, num, radar_svg};
use crate::territory::{Territories, french_department_name};
use rayon::prelude::*;
use resvg::{tiny_skia, usvg};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

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
pub const RENDERER_ID: &str = "amiris carte 5 (glyph masks, radar labels too, radar centred on a pixel); resvg 0.49; harfrust 0.12; Liberation Sans 2.1.5; png 0.18 indexed 256 8 steps per whole channel zlib-rs 5 tuned (memory 5, lazy 1, nice 258, chain 16) after 3 rows of dictionary, shared rows at 9";
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

use crate::routes::card_path;

mod glyphs;

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
        let radar = card_radar(site, &project.title, &project.markers);
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

/// The radar a card shows for a project titled `title` with `scores`, as standalone SVG.
pub fn card_radar(site: &Site, title: &str, scores: &[Option<f64>; MARKER_COUNT]) -> String {
    let series = [RadarSeries {
        label: title,
        scores,
        class: "projet",
    }];
    radar_svg(
        &site.markers,
        &site.scale,
        &series,
        // The same title and id on every card: the radar's grid is drawn once per build
        // (see [`card_layers`]), and a PNG shows neither.
        "Profil du projet",
        "Radar des douze marqueurs d'innovation sociale",
        "carte",
    )
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
    /// Colour (`#rrggbb`).
    pub fill: Cow<'static, str>,
    /// The text (unescaped).
    pub text: String,
    /// Whether every card of the site shows it at the same place (site title, radar caption).
    pub shared: bool,
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
            fill: Cow::Borrowed(fill),
            text: text.to_string(),
            shared: false,
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
    // The first text is the site title, the last the radar caption.
    if let Some(site) = texts.first_mut().filter(|t| t.fill == YELLOW) {
        site.shared = true;
    }
    if let Some(caption) = texts.last_mut() {
        caption.shared = true;
    }
    CardLayout {
        texts,
        title: lines,
        tag_width,
    }
}

/// A card cut into the three layers it is drawn in, each a whole SVG document of the card's
/// size. Drawn one over the other they give [`card_svg`]: the same elements in the same
/// order, the radar's parts in the same frame.
#[derive(Debug, Clone, PartialEq)]
pub struct CardLayers {
    /// What every card of the site shows under its own marks: backgrounds and the radar's
    /// rings and axes.
    pub backdrop: String,
    /// The texts of the backdrop (site title, radar caption), drawn from glyph masks.
    pub backdrop_texts: Vec<PlacedText>,
    /// The card's own marks: label tag and the radar's profile.
    pub own: String,
    /// The card's own texts (tag, title, carrier, territory), drawn from glyph masks.
    pub own_texts: Vec<PlacedText>,
    /// What every card of the site shows over its own marks: the radar's ring values (over
    /// the profile, with a white halo) and footnote, and its axis labels when they are not
    /// in `overlay_texts`.
    pub overlay: String,
    /// The radar's axis labels, drawn from glyph masks over `overlay`.
    pub overlay_texts: Vec<PlacedText>,
}

/// The radar's markup cut where [`radar_svg`] starts its groups: a group that fits its view
/// box into the white panel (centred, as a nested `<svg>` would, but without the clipping
/// layer that would cost a full-size buffer per drawing: the radar's view box holds all it
/// draws), the rings and axes, the profile, and what follows it (ring values, labels,
/// footnote). [`RadarParts::close`] ends the group.
struct RadarParts {
    open: String,
    grid: String,
    data: String,
    over: String,
    /// The transform of `open`: scale, then horizontal and vertical shift.
    transform: [f64; 3],
}

/// `over` without the axis labels, and the labels placed on the card (empty when resvg
/// draws them).
type OverParts = (String, Vec<PlacedText>);

impl RadarParts {
    /// The part over the profile without its axis labels, and the labels placed on the
    /// card ([`radar_labels`]; `over` whole and no labels when resvg draws them). The same
    /// on every card of a site: made once per process for each radar frame.
    fn over_parts(&self) -> Arc<OverParts> {
        type Made = (String, [u64; 3], Arc<OverParts>);
        static MADE: Mutex<Vec<Made>> = Mutex::new(Vec::new());
        let transform = self.transform.map(f64::to_bits);
        let lock = || MADE.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, _, parts)) = lock()
            .iter()
            .find(|(over, known, _)| *over == self.over && *known == transform)
        {
            return Arc::clone(parts);
        }
        let [scale, dx, dy] = self.transform;
        let parts = Arc::new(
            radar_labels(&self.over, scale, dx, dy)
                .unwrap_or_else(|| (self.over.clone(), Vec::new())),
        );
        let mut made = lock();
        // A few radar frames at most per process (tests draw many sites): keep the latest.
        if made.len() >= MAX_SHARED_LAYERS {
            made.remove(0);
        }
        made.push((self.over.clone(), transform, Arc::clone(&parts)));
        parts
    }
}

/// The value of attribute `name` in the start tag `tag` (double-quoted, as the radar writes).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[at..at + tag[at..].find('"')?])
}

/// Text of the radar's markup unescaped (the references [`escape::html`] writes) with its
/// white space collapsed as SVG does; `None` for any other markup.
fn unescape_text(markup: &str) -> Option<String> {
    if markup.contains('<') {
        return None;
    }
    let mut text = String::with_capacity(markup.len());
    let mut rest = markup;
    while let Some(at) = rest.find('&') {
        text.push_str(&rest[..at]);
        let end = rest[at..].find(';')? + at;
        text.push(match &rest[at..=end] {
            "&amp;" => '&',
            "&lt;" => '<',
            "&gt;" => '>',
            "&quot;" => '"',
            "&#39;" => '\'',
            _ => return None,
        });
        rest = &rest[end + 1..];
    }
    text.push_str(rest);
    let words: Vec<&str> = text
        .split([' ', '\t', '\n', '\r'])
        .filter(|w| !w.is_empty())
        .collect();
    Some(words.join(" "))
}

/// The radar's axis labels (its group `radar-libelles`, marker names as [`radar_svg`]
/// writes them) placed on the card through the radar's transform (`scale`, then `dx`,
/// `dy`), each line anchored as its `text-anchor` says with its shaped width; and `over`
/// without that group. `None` when the group is in another form (numbered labels in
/// groups, bold): resvg then draws it.
fn radar_labels(over: &str, scale: f64, dx: f64, dy: f64) -> Option<(String, Vec<PlacedText>)> {
    let start = over.find("<g class=\"radar-libelles\"")?;
    let body_start = start + over[start..].find('>')? + 1;
    let end = body_start + over[body_start..].find("</g>")?;
    let group = &over[start..body_start];
    let body = &over[body_start..end];
    if body.contains("<g") || group.contains("font-weight") {
        return None;
    }
    let fill = attribute(group, "fill")?;
    if !(fill.len() == 7
        && fill.starts_with('#')
        && fill[1..].bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return None;
    }
    let mut labels = Vec::new();
    for element in body.split("</text>").map(str::trim) {
        if element.is_empty() {
            continue;
        }
        let tag_end = element.find('>')? + 1;
        let tag = element[..tag_end].strip_prefix("<text")?;
        let size = attribute(tag, "font-size")?.parse::<f64>().ok()? * scale;
        let anchor = attribute(tag, "text-anchor").unwrap_or("start");
        for line in element[tag_end..].split("</tspan>").map(str::trim) {
            if line.is_empty() {
                continue;
            }
            let line_tag_end = line.find('>')? + 1;
            let line_tag = line[..line_tag_end].strip_prefix("<tspan")?;
            let x: f64 = attribute(line_tag, "x")?.parse().ok()?;
            let y: f64 = attribute(line_tag, "y")?.parse().ok()?;
            let text = unescape_text(&line[line_tag_end..])?;
            let width = glyphs::shaped_width(&text, size, Weight::Regular);
            let shift = match anchor {
                "start" => 0.0,
                "middle" => width / 2.0,
                "end" => width,
                _ => return None,
            };
            labels.push(PlacedText {
                x: dx + x * scale - shift,
                y: dy + y * scale,
                size,
                weight: Weight::Regular,
                fill: Cow::Owned(fill.to_string()),
                text,
                shared: true,
            });
        }
    }
    let rest = &over[end + "</g>".len()..];
    Some((
        format!(
            "{}{}",
            &over[..start],
            rest.strip_prefix('\n').unwrap_or(rest)
        ),
        labels,
    ))
}

impl RadarParts {
    /// Cuts the radar of a card; `None` if its markup is not as [`radar_svg`] writes it.
    fn of(radar: &str) -> Option<RadarParts> {
        let radar = radar.trim();
        let open_end = radar.find('>')? + 1;
        let data = radar.find("<g class=\"radar-donnees\">")?;
        let over_start = radar.find("<g class=\"radar-graduations\"")?;
        let end = radar.rfind("</svg>")?;
        if !(open_end <= data && data <= over_start && over_start <= end) {
            return None;
        }
        let view_box: Vec<f64> = radar[..open_end]
            .split("viewBox=\"")
            .nth(1)?
            .split('"')
            .next()?
            .split_whitespace()
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        let [x, y, width, height] = view_box[..] else {
            return None;
        };
        if !(width > 0.0 && height > 0.0) {
            return None;
        }
        // preserveAspectRatio="xMidYMid meet", the default of a nested <svg>.
        let scale = (RADAR_WIDTH / width).min(RADAR_HEIGHT / height);
        // The radar's centre on a pixel's centre (moved by at most half a pixel): its
        // vertical and horizontal axes then cover one column and one row of pixels each,
        // rather than two at half strength.
        let centre = |v: f64| v.floor() + 0.5;
        let dx = centre(RADAR_X + (RADAR_WIDTH - width * scale) / 2.0 - x * scale);
        let dy = centre(RADAR_Y + (RADAR_HEIGHT - height * scale) / 2.0 - y * scale);
        let open = format!(
            "<g transform=\"matrix({scale:.6} 0 0 {scale:.6} {dx:.4} {dy:.4})\" \
             font-family=\"sans-serif\">"
        );
        Some(RadarParts {
            open,
            grid: radar[open_end..data].to_string(),
            data: radar[data..over_start].to_string(),
            over: radar[over_start..end].to_string(),
            transform: [scale, dx, dy],
        })
    }
}

/// The pieces of a card's markup, from which both its layers and its whole SVG are made.
struct CardParts {
    /// The opening `<svg>` tag of the card, with its line end.
    head: String,
    /// Backgrounds and the texts every card shares.
    shared: String,
    /// Backgrounds only.
    shared_marks: String,
    /// The texts every card shares (site title, radar caption).
    shared_texts: Vec<PlacedText>,
    /// Label tag and the card's own texts.
    own: String,
    /// Label tag only.
    own_marks: String,
    /// The card's own texts.
    own_texts: Vec<PlacedText>,
    /// The radar, cut; `None` if it could not be (never expected).
    radar: Option<RadarParts>,
    /// The whole radar, fitted into the white panel.
    radar_whole: String,
}

impl CardParts {
    fn of(content: &CardContent) -> CardParts {
        let layout = layout(content);
        let texts = |shared: bool| {
            let mut svg = String::new();
            for text in layout.texts.iter().filter(|t| t.shared == shared) {
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
            svg
        };
        let head = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
             viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"{FONT_FAMILY}\">\n"
        );
        let shared_marks = format!(
            "<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{WHITE}\"/>\n\
             <rect width=\"{}\" height=\"{HEIGHT}\" fill=\"{BLUE}\"/>\n\
             <rect width=\"{}\" height=\"{HEIGHT}\" fill=\"{YELLOW}\"/>\n",
            num(PANEL_WIDTH),
            num(STRIPE_WIDTH),
        );
        let shared = format!("{shared_marks}{}", texts(true));
        let own_marks = format!(
            "<rect x=\"{}\" y=\"96\" width=\"{}\" height=\"40\" rx=\"6\" fill=\"{YELLOW}\"/>\n",
            num(TEXT_X),
            num(layout.tag_width)
        );
        let own = format!("{own_marks}{}", texts(false));
        let (shared_texts, own_texts) = layout.texts.into_iter().partition(|t| t.shared);
        let radar = RadarParts::of(&content.radar);
        let radar_whole = match &radar {
            Some(r) => format!("{}\n{}{}{}</g>", r.open, r.grid, r.data, r.over),
            // Never expected: the radar nested as it is, fitted by its own view box.
            None => content.radar.trim().replacen(
                "<svg ",
                &format!(
                    "<svg x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" ",
                    num(RADAR_X),
                    num(RADAR_Y),
                    num(RADAR_WIDTH),
                    num(RADAR_HEIGHT)
                ),
                1,
            ),
        };
        CardParts {
            head,
            shared,
            shared_marks,
            shared_texts,
            own,
            own_marks,
            own_texts,
            radar,
            radar_whole,
        }
    }
}

/// The card cut into its layers (see [`CardLayers`]).
pub fn card_layers(content: &CardContent) -> CardLayers {
    layers_of(&CardParts::of(content))
}

/// The whole card and its layers, laid out once.
pub fn card_svg_and_layers(content: &CardContent) -> (String, CardLayers) {
    let parts = CardParts::of(content);
    (svg_of(&parts), layers_of(&parts))
}

fn layers_of(parts: &CardParts) -> CardLayers {
    let layer = |marks: &str, radar_part: Option<&str>| {
        let mut svg = parts.head.clone();
        svg.push_str(marks);
        if let (Some(radar), Some(part)) = (&parts.radar, radar_part) {
            let _ = write!(svg, "{}\n{part}</g>\n", radar.open);
        }
        svg.push_str("</svg>\n");
        svg
    };
    let (backdrop, own, overlay, overlay_texts) = match &parts.radar {
        Some(radar) => {
            let over = radar.over_parts();
            (
                layer(&parts.shared_marks, Some(&radar.grid)),
                layer(&parts.own_marks, Some(&radar.data)),
                layer("", Some(&over.0)),
                over.1.clone(),
            )
        }
        None => (
            layer(&parts.shared_marks, None),
            layer(&format!("{}{}\n", parts.own_marks, parts.radar_whole), None),
            layer("", None),
            Vec::new(),
        ),
    };
    CardLayers {
        backdrop,
        backdrop_texts: parts.shared_texts.clone(),
        own,
        own_texts: parts.own_texts.clone(),
        overlay,
        overlay_texts,
    }
}

/// The whole card as one SVG document (1200×630 user units), every text escaped: the
/// elements of [`card_layers`] in the same drawing order, the radar in one piece. Its hash
/// is the card's cache key; drawn in one go, it is the reference the layered drawing is
/// tested against.
pub fn card_svg(content: &CardContent) -> String {
    svg_of(&CardParts::of(content))
}

fn svg_of(parts: &CardParts) -> String {
    let mut svg = String::with_capacity(parts.radar_whole.len() + 4096);
    svg.push_str(&parts.head);
    svg.push_str(&parts.shared);
    svg.push_str(&parts.own);
    svg.push_str(&parts.radar_whole);
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

/// A blank card-sized canvas filled with `colour`.
fn canvas(colour: tiny_skia::Color) -> Result<tiny_skia::Pixmap, String> {
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("image impossible à allouer")?;
    pixmap.fill(colour);
    Ok(pixmap)
}

/// A rectangle of a card's pixels: columns `left..right` of rows `top..bottom`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PixelRect {
    /// First column.
    pub(crate) left: usize,
    /// First row.
    pub(crate) top: usize,
    /// Column after the last.
    pub(crate) right: usize,
    /// Row after the last.
    pub(crate) bottom: usize,
}

impl PixelRect {
    /// The whole card.
    const CARD: PixelRect = PixelRect {
        left: 0,
        top: 0,
        right: WIDTH as usize,
        bottom: HEIGHT as usize,
    };

    /// The smallest rectangle holding both.
    pub(crate) fn union(self, other: PixelRect) -> PixelRect {
        PixelRect {
            left: self.left.min(other.left),
            top: self.top.min(other.top),
            right: self.right.max(other.right),
            bottom: self.bottom.max(other.bottom),
        }
    }

    /// The whole pixels around the area from (`left`, `top`) to (`right`, `bottom`) in card
    /// units, widened by `margin` pixels on every side and clipped to the card; `None` when
    /// that is empty.
    fn around(left: f32, top: f32, right: f32, bottom: f32, margin: f32) -> Option<PixelRect> {
        let clip = |value: f32, limit: u32| (value.max(0.0) as usize).min(limit as usize);
        let rect = PixelRect {
            left: clip((left - margin).floor(), WIDTH),
            top: clip((top - margin).floor(), HEIGHT),
            right: clip((right + margin).ceil(), WIDTH),
            bottom: clip((bottom + margin).ceil(), HEIGHT),
        };
        (rect.left < rect.right && rect.top < rect.bottom).then_some(rect)
    }
}

/// Pixels added around an element's bounds (its strokes included) to hold what
/// anti-aliasing draws beyond them (half a pixel at most).
const TOUCH_MARGIN: f32 = 2.0;

/// Draws an SVG document of the card's size over `pixmap`.
fn draw_svg(svg: &str, pixmap: &mut tiny_skia::Pixmap) -> Result<(), String> {
    draw_svg_touching(svg, pixmap, &mut Vec::new())
}

/// [`draw_svg`], adding to `touched` a rectangle around each of the document's top-level
/// elements: its bounds with strokes (and, for a group, filters and clips), widened by
/// [`TOUCH_MARGIN`]. Nothing outside them is drawn.
fn draw_svg_touching(
    svg: &str,
    pixmap: &mut tiny_skia::Pixmap,
    touched: &mut Vec<PixelRect>,
) -> Result<(), String> {
    let tree = usvg::Tree::from_str(svg, options()).map_err(|e| e.to_string())?;
    for node in tree.root().children() {
        let (left, top, right, bottom) = match node {
            usvg::Node::Group(group) => {
                let b = group.abs_layer_bounding_box();
                (b.left(), b.top(), b.right(), b.bottom())
            }
            node => {
                let b = node.abs_stroke_bounding_box();
                (b.left(), b.top(), b.right(), b.bottom())
            }
        };
        touched.extend(PixelRect::around(left, top, right, bottom, TOUCH_MARGIN));
    }
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    Ok(())
}

/// Draws a whole card SVG ([`card_svg`]) in one go, on white: the reference drawing.
pub fn draw_whole(svg: &str) -> Result<tiny_skia::Pixmap, String> {
    let mut pixmap = canvas(tiny_skia::Color::WHITE)?;
    draw_svg(svg, &mut pixmap)?;
    Ok(pixmap)
}

/// The pixels of a layer drawn on a transparent canvas that are not fully transparent: their
/// index and premultiplied RGBA value.
struct Sprite {
    pixels: Vec<(u32, [u8; 4])>,
}

impl Sprite {
    fn of(pixmap: &tiny_skia::Pixmap) -> Sprite {
        let pixels = pixmap
            .data()
            .chunks_exact(4)
            .enumerate()
            .filter(|(_, px)| px[3] != 0)
            .map(|(i, px)| (i as u32, [px[0], px[1], px[2], px[3]]))
            .collect();
        Sprite { pixels }
    }

    /// Paints the sprite over `rgba` (premultiplied, card-sized), as a source-over blend.
    fn paint_over(&self, rgba: &mut [u8]) {
        for (index, source) in &self.pixels {
            let Some(target) = rgba.get_mut(*index as usize * 4..*index as usize * 4 + 4) else {
                continue;
            };
            let keep = 255 - u32::from(source[3]);
            for (t, s) in target.iter_mut().zip(source) {
                // s + t × (255 − αs) / 255, rounded to nearest.
                let v = u32::from(*t) * keep + 128;
                *t = (u32::from(*s) + ((v + (v >> 8)) >> 8)).min(255) as u8;
            }
        }
    }
}

/// What a reused canvas holds besides its backdrop: the overlay painted over it, and the
/// rectangles the last card's own marks may have touched (see [`CardPainter::draw_on`]).
struct Painted {
    backdrop: Arc<tiny_skia::Pixmap>,
    overlay: Arc<Sprite>,
    touched: Vec<PixelRect>,
}

impl Painted {
    /// Puts the backdrop's pixels back where `rgba` (the card drawn last) may differ from it.
    fn restore(&self, rgba: &mut [u8]) {
        let backdrop = self.backdrop.data();
        let width = WIDTH as usize;
        for rect in &self.touched {
            for y in rect.top..rect.bottom {
                let row = (y * width + rect.left) * 4..(y * width + rect.right) * 4;
                rgba[row.clone()].copy_from_slice(&backdrop[row]);
            }
        }
        for (index, _) in &self.overlay.pixels {
            let pixel = *index as usize * 4..*index as usize * 4 + 4;
            rgba[pixel.clone()].copy_from_slice(&backdrop[pixel]);
        }
    }
}

/// Most distinct backdrops (or overlays) a painter keeps; cards of one site have one or two
/// (the radar's footnote about unassessed markers moves it), beyond that the layer is drawn
/// for each card.
const MAX_SHARED_LAYERS: usize = 8;

/// A shared layer drawn once: the entry of `list` for `svg`, made and kept on first use.
fn shared_layer<T>(
    list: &Mutex<Vec<(String, Arc<T>)>>,
    svg: &str,
    make: impl FnOnce() -> Result<T, String>,
) -> Result<Arc<T>, String> {
    // Drawing under the lock: the other threads wait once for the first card's layer
    // rather than all draw it.
    let mut list = list.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, layer)) = list.iter().find(|(known, _)| known == svg) {
        return Ok(Arc::clone(layer));
    }
    let layer = Arc::new(make()?);
    if list.len() < MAX_SHARED_LAYERS {
        list.push((svg.to_string(), Arc::clone(&layer)));
    }
    Ok(layer)
}

/// Draws cards in layers ([`card_layers`]): the backdrop and the overlay, the same for
/// every card of a site, are drawn once; each card then costs a copy of the backdrop, its
/// own marks and the overlay's few pixels. One painter per build, shared by its threads.
#[derive(Default)]
pub struct CardPainter {
    backdrops: Mutex<Vec<(String, Arc<tiny_skia::Pixmap>)>>,
    overlays: Mutex<Vec<(String, Arc<Sprite>)>>,
    references: Mutex<Vec<(String, Arc<Option<Reference>>)>>,
    glyphs: glyphs::GlyphCache,
}

impl CardPainter {
    /// A painter with no layer drawn yet.
    pub fn new() -> CardPainter {
        CardPainter::default()
    }

    /// Draws the card made of `layers` (opaque, so premultiplied and straight RGBA agree).
    pub fn draw(&self, layers: &CardLayers) -> Result<tiny_skia::Pixmap, String> {
        let mut pixmap = canvas(tiny_skia::Color::WHITE)?;
        self.draw_on(layers, &mut pixmap, &mut None)?;
        Ok(pixmap)
    }

    /// [`CardPainter::draw`] on a card-sized `pixmap`; returns the reference of its shared
    /// layers (`None` if it has too many colours to be one). `painted` tells what `pixmap`
    /// holds (`None`: anything): when it is the same backdrop, only what the last card drew
    /// over it is put back (11 to 18 % of the card on the tests' cards), rather than the
    /// whole 3 MB. It is left telling what the new card drew, or `None` on an error.
    fn draw_on(
        &self,
        layers: &CardLayers,
        pixmap: &mut tiny_skia::Pixmap,
        painted: &mut Option<Painted>,
    ) -> Result<Arc<Option<Reference>>, String> {
        // The backdrop's texts are part of what tells one backdrop from another.
        let backdrop_key = format!("{}{:?}", layers.backdrop, layers.backdrop_texts);
        let backdrop = shared_layer(&self.backdrops, &backdrop_key, || {
            let mut backdrop = draw_whole(&layers.backdrop)?;
            for text in &layers.backdrop_texts {
                self.glyphs.draw(text, &mut backdrop);
            }
            Ok(backdrop)
        })?;
        let mut touched = match painted.take() {
            Some(last) if Arc::ptr_eq(&last.backdrop, &backdrop) => {
                last.restore(pixmap.data_mut());
                let mut touched = last.touched;
                touched.clear();
                touched
            }
            _ => {
                pixmap.data_mut().copy_from_slice(backdrop.data());
                Vec::new()
            }
        };
        draw_svg_touching(&layers.own, pixmap, &mut touched)?;
        for text in &layers.own_texts {
            touched.extend(self.glyphs.draw(text, pixmap));
        }
        let overlay_key = format!("{}{:?}", layers.overlay, layers.overlay_texts);
        let overlay = shared_layer(&self.overlays, &overlay_key, || {
            let mut pixmap = canvas(tiny_skia::Color::TRANSPARENT)?;
            draw_svg(&layers.overlay, &mut pixmap)?;
            for text in &layers.overlay_texts {
                self.glyphs.draw(text, &mut pixmap);
            }
            Ok(Sprite::of(&pixmap))
        })?;
        overlay.paint_over(pixmap.data_mut());
        let reference_key = format!("{backdrop_key}\0{overlay_key}");
        let reference = shared_layer(&self.references, &reference_key, || {
            let mut rgba = backdrop.data().to_vec();
            overlay.paint_over(&mut rgba);
            Ok(Reference::of(&rgba, EncoderSettings::CARD.ramp_steps))
        })?;
        *painted = Some(Painted {
            backdrop,
            overlay,
            touched,
        });
        Ok(reference)
    }

    /// The PNG of the card made of `layers`, with `key` in its cache chunk.
    pub fn render_png(
        &self,
        layers: &CardLayers,
        key: &str,
        slug: &str,
    ) -> Result<Vec<u8>, CardError> {
        SCRATCH
            .with(|scratch| {
                let mut scratch = scratch.borrow_mut();
                let mut canvas = match scratch.canvas.take() {
                    Some(canvas) => canvas,
                    None => canvas(tiny_skia::Color::WHITE)?,
                };
                let drawn = self.draw_on(layers, &mut canvas, &mut scratch.painted);
                let bytes = drawn.and_then(|reference| {
                    scratch.reference = Some(reference);
                    let bytes = encode_into(&canvas, key, EncoderSettings::CARD, &mut scratch);
                    scratch.reference = None;
                    bytes
                });
                scratch.canvas = Some(canvas);
                bytes
            })
            .map_err(|message| CardError::Render {
                slug: slug.to_string(),
                message,
            })
    }
}

/// Draws a card SVG in one go into PNG bytes, with `key` in a `tEXt` chunk (the reference
/// drawing, encoded as the build encodes cards).
pub fn render_png(svg: &str, key: &str, slug: &str) -> Result<Vec<u8>, CardError> {
    draw_whole(svg)
        .and_then(|pixmap| encode_png(&pixmap, key, EncoderSettings::CARD))
        .map_err(|message| CardError::Render {
            slug: slug.to_string(),
            message,
        })
}

/// How a card is written as PNG (the choices measured in the module documentation).
#[derive(Debug, Clone, Copy)]
pub struct EncoderSettings {
    /// Most colours of the palette (indexed colour, 1 to 256, chosen per card); 0 for RGBA.
    pub colours: usize,
    /// DEFLATE implementation and effort.
    pub deflate: png::DeflateCompression,
    /// Row filter.
    pub filter: png::Filter,
    /// Blending steps kept between two colours of the card ([`snap_to_ramps`]); 0 keeps
    /// every shade of anti-aliasing.
    pub ramp_steps: u32,
}

impl EncoderSettings {
    /// The settings of the cards.
    pub const CARD: EncoderSettings = EncoderSettings {
        colours: 256,
        deflate: png::DeflateCompression::Level(5),
        filter: png::Filter::NoFilter,
        ramp_steps: 8,
    };
}

/// Encodes an opaque card-sized image as PNG, with `key` in a `tEXt` chunk.
pub fn encode_png(
    pixmap: &tiny_skia::Pixmap,
    key: &str,
    settings: EncoderSettings,
) -> Result<Vec<u8>, String> {
    encode_into(pixmap, key, settings, &mut Scratch::default())
}

/// Buffers reused from card to card by one thread: a card is 3 MB of pixels, and allocating
/// that afresh for each card costs page faults on the order of the drawing itself.
#[derive(Default)]
struct Scratch {
    /// The card being drawn.
    canvas: Option<tiny_skia::Pixmap>,
    /// What the canvas holds besides its backdrop, when known; [`encode_into`] compares
    /// only its touched rectangles with the reference, so it must describe the pixmap being
    /// encoded (only [`CardPainter::render_png`] sets it, for its canvas).
    painted: Option<Painted>,
    /// Runs of one colour: its number and length (see [`quantize_into`]).
    runs: Vec<(u32, u32)>,
    /// One palette index per pixel.
    indices: Vec<u8>,
    /// The pixels of a card's own colours and their numbers (see [`Reference::quantize`]).
    pending: Vec<(u32, u16)>,
    /// The shared layers of the card being encoded, when it is drawn over them.
    reference: Option<Arc<Option<Reference>>>,
    /// Own colours snapped by earlier cards.
    snaps: SnapCache,
    /// A card's filtered rows (see [`encode_over_reference`]).
    filtered: Vec<u8>,
    /// Where DEFLATE writes a card's own rows ([`deflate_raw`]).
    room: Vec<u8>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// [`encode_png`] with the buffers of `scratch`.
fn encode_into(
    pixmap: &tiny_skia::Pixmap,
    key: &str,
    settings: EncoderSettings,
    scratch: &mut Scratch,
) -> Result<Vec<u8>, String> {
    let rgba;
    let (data, palette): (&[u8], Option<Vec<u8>>) = if settings.colours > 0 {
        let colours = settings.colours.min(PALETTE_SIZE);
        let compared = scratch
            .reference
            .as_deref()
            .and_then(Option::as_ref)
            .and_then(|reference| {
                reference.quantize(
                    pixmap.data(),
                    scratch
                        .painted
                        .as_ref()
                        .map(|painted| painted.touched.as_slice()),
                    colours,
                    settings.ramp_steps,
                    &mut scratch.pending,
                    &mut scratch.snaps,
                    &mut scratch.indices,
                )
            });
        let shared = scratch.reference.clone();
        if let (
            Some(palette),
            Some(reference),
            png::Filter::NoFilter,
            png::DeflateCompression::Level(level),
        ) = (
            &compared,
            shared.as_deref().and_then(Option::as_ref),
            settings.filter,
            settings.deflate,
        ) {
            return encode_over_reference(reference, palette, key, i32::from(level), scratch);
        }
        let palette = match compared {
            Some(palette) => palette,
            None => quantize_into(
                pixmap.data(),
                colours,
                settings.ramp_steps,
                &mut scratch.runs,
                &mut scratch.indices,
            ),
        };
        (&scratch.indices, Some(palette))
    } else {
        // Straight RGBA (a no-op on this opaque image).
        rgba = pixmap.clone().take_demultiplied();
        (&rgba, None)
    };
    encode_with_png_crate(data, palette, key, settings.deflate, settings.filter)
}

/// DEFLATE level of the rows a card shares with its reference, compressed once per build
/// ([`Reference::compressed_rows`]): the best, since it is paid once.
const SHARED_ROWS_LEVEL: i32 = 9;
/// Runs of rows kept compressed per reference (a card's first and last rows that are the
/// reference's: a few runs per build).
const MAX_COMPRESSED_RUNS: usize = 64;
/// Bytes of a PNG row of indices: its filter byte (none), then one index per pixel.
const ROW_BYTES: usize = 1 + WIDTH as usize;
/// Rows of the reference given as dictionary to DEFLATE before a card's own rows: three
/// (all that fits in DEFLATE's 32 KiB window, 28 rows, made the same bytes within one per
/// card: what repeats is mostly the row just above; entering each of its positions in the
/// hash chains cost about 1.5 % of a card's instructions).
const DICTIONARY_ROWS: usize = 3;

/// Appends rows `rows` of `indices` (one per pixel) to `out`, each behind its filter byte
/// (none).
fn filter_rows(indices: &[u8], rows: std::ops::Range<usize>, out: &mut Vec<u8>) {
    let width = WIDTH as usize;
    out.reserve(rows.len() * ROW_BYTES);
    for row in indices[rows.start * width..rows.end * width].chunks_exact(width) {
        out.push(0);
        out.extend_from_slice(row);
    }
}

/// DEFLATE's search parameters (zlib's `deflateTune`): a lazy search is cut short from
/// a match this long (`good_length`), matches up to `16 × max_lazy` bytes have each of their
/// positions entered in the hash chains, a search stops at a match of `nice_length` bytes
/// or after `max_chain` candidates.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Tuning {
    good_length: i32,
    max_lazy: i32,
    nice_length: i32,
    max_chain: i32,
}

/// How a card's own rows are compressed: zlib-rs level 5's algorithm (a match, then a look
/// one match ahead) with smaller blocks and other search parameters. Level 5 gives each
/// block 16,384 symbols (`mem_level` 8), enters every position of a match of up to 256
/// bytes in the hash chains and looks at 32 candidates, stopping at a match of 32 bytes.
/// Here blocks hold 2,048 symbols (`mem_level` 5: Huffman codes follow the card's regions
/// more closely, 1 % smaller), only matches of up to 16 bytes have their positions entered
/// (flat runs and repeated rows are long matches: most of the hash work was theirs), 16
/// candidates at most, up to a whole match of 258 bytes (measured on the own rows of the
/// first 100 synthetic cards, callgrind, see the module documentation).
const OWN_ROWS_MEM_LEVEL: i32 = 5;
/// The search parameters of a card's own rows (see [`OWN_ROWS_MEM_LEVEL`]).
const OWN_ROWS_TUNING: Tuning = Tuning {
    good_length: 8,
    max_lazy: 1,
    nice_length: 258,
    max_chain: 16,
};

/// A raw DEFLATE compressor (no zlib header: its output is spliced into a zlib stream)
/// through zlib-rs's C interface, the only one that has `deflateTune`. It compresses one
/// stream ([`deflate_raw`] takes it): a reset one would keep the last stream's data in its
/// window, and the match search reads a little past the end of the input, so that the
/// matches picked near the end (not the data) would depend on the stream compressed before
/// (found by the `card` fuzz target: a card's bytes depended on the card drawn before it on
/// its thread). A new one starts from a zeroed window.
struct Deflater {
    /// Boxed: zlib's state points back to its stream, which must not move.
    stream: Box<libz_rs_sys::z_stream>,
}

impl Deflater {
    /// A compressor at `level` with `mem_level`, its search parameters set to `tuning`.
    fn new(level: i32, mem_level: i32, tuning: Option<Tuning>) -> Result<Deflater, String> {
        let mut stream = Box::new(libz_rs_sys::z_stream::default());
        // SAFETY: `stream` is a zeroed `z_stream` (no allocator set: zlib-rs's own), boxed
        // so that it stays where it is initialised; the version and size are zlib-rs's own.
        let status = unsafe {
            libz_rs_sys::deflateInit2_(
                &mut *stream,
                level,
                libz_rs_sys::Z_DEFLATED,
                -15,
                mem_level,
                libz_rs_sys::Z_DEFAULT_STRATEGY,
                libz_rs_sys::zlibVersion(),
                std::mem::size_of::<libz_rs_sys::z_stream>() as i32,
            )
        };
        if status != libz_rs_sys::Z_OK {
            return Err(format!("DEFLATE impossible à préparer ({status})"));
        }
        let mut deflater = Deflater { stream };
        if let Some(t) = tuning {
            // SAFETY: the stream was initialised by `deflateInit2_` and not ended.
            Self::check(unsafe {
                libz_rs_sys::deflateTune(
                    &mut *deflater.stream,
                    t.good_length,
                    t.max_lazy,
                    t.nice_length,
                    t.max_chain,
                )
            })?;
        }
        Ok(deflater)
    }

    /// Checks a zlib status.
    fn check(status: i32) -> Result<(), String> {
        if status == libz_rs_sys::Z_OK {
            Ok(())
        } else {
            Err(format!("erreur DEFLATE ({status})"))
        }
    }

    /// Sets the data just before the stream's start (at most the last 32 KiB count).
    fn set_dictionary(&mut self, dictionary: &[u8]) -> Result<(), String> {
        // SAFETY: the stream is initialised; the pointer and length are those of a slice,
        // read during the call only.
        Self::check(unsafe {
            libz_rs_sys::deflateSetDictionary(
                &mut *self.stream,
                dictionary.as_ptr(),
                dictionary.len() as u32,
            )
        })
    }

    /// Compresses the whole of `input` into `output` with `flush` (`Z_FINISH` or
    /// `Z_SYNC_FLUSH`); the bytes written, or an error if the input or the stream's end
    /// did not fit.
    fn compress(&mut self, input: &[u8], output: &mut [u8], flush: i32) -> Result<usize, String> {
        let (in_len, out_len) = (
            u32::try_from(input.len()).map_err(|e| e.to_string())?,
            u32::try_from(output.len()).map_err(|e| e.to_string())?,
        );
        let stream = &mut *self.stream;
        stream.next_in = input.as_ptr().cast_mut();
        stream.avail_in = in_len;
        stream.next_out = output.as_mut_ptr();
        stream.avail_out = out_len;
        // SAFETY: the stream is initialised; `next_in` and `next_out` point to slices of
        // `avail_in` and `avail_out` bytes that outlive the call, and zlib only reads the
        // input.
        let status = unsafe { libz_rs_sys::deflate(stream, flush) };
        let (left_in, left_out) = (stream.avail_in, stream.avail_out);
        stream.next_in = std::ptr::null_mut();
        stream.next_out = std::ptr::null_mut();
        stream.avail_in = 0;
        stream.avail_out = 0;
        let done = if flush == libz_rs_sys::Z_FINISH {
            status == libz_rs_sys::Z_STREAM_END
        } else {
            status == libz_rs_sys::Z_OK
        };
        if !done || left_in != 0 {
            return Err("compression DEFLATE incomplète".to_string());
        }
        Ok((out_len - left_out) as usize)
    }
}

impl Drop for Deflater {
    fn drop(&mut self) {
        // SAFETY: the stream was initialised and is ended once, here.
        unsafe { libz_rs_sys::deflateEnd(&mut *self.stream) };
    }
}

/// Appends `input` compressed by `deflate` as raw DEFLATE to `out`, after `dictionary` (the data just
/// before it in the stream, of which the last 32 KiB can be referred to): ending with the
/// final block if `last`, with a sync flush (byte-aligned) otherwise. The compressor writes
/// into `room`, grown to the worst case once and kept from call to call (zeroing the worst
/// case, over half a megabyte, for each card cost about 2 % of a card's instructions).
fn deflate_raw(
    mut deflate: Deflater,
    dictionary: &[u8],
    input: &[u8],
    last: bool,
    room: &mut Vec<u8>,
    out: &mut Vec<u8>,
) -> Result<(), String> {
    const WINDOW: usize = 1 << 15;
    if !dictionary.is_empty() {
        deflate.set_dictionary(&dictionary[dictionary.len().saturating_sub(WINDOW)..])?;
    }
    let flush = if last {
        libz_rs_sys::Z_FINISH
    } else {
        libz_rs_sys::Z_SYNC_FLUSH
    };
    // Room for the worst case: the whole input in one call.
    let bound = zlib_rs::compress_bound(input.len()) + 64;
    if room.len() < bound {
        room.resize(bound, 0);
    }
    let written = deflate.compress(input, &mut room[..bound], flush)?;
    out.extend_from_slice(&room[..written]);
    Ok(())
}

/// Appends a PNG chunk of type `kind` holding `data` to `out`.
fn push_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let at = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = zlib_rs::crc32::crc32(0, &out[at..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// The PNG of a card whose palette indices (`scratch.indices`) were worked out against
/// `reference`: the same chunks as [`encode_with_png_crate`] (header, palette, cache key,
/// one image data chunk), but the card's first and last rows that are the reference's come
/// compressed once per build ([`Reference::compressed_rows`]); only the rows between them
/// are compressed here, at `level`, after the first ones as a dictionary.
fn encode_over_reference(
    reference: &Reference,
    palette: &[u8],
    key: &str,
    level: i32,
    scratch: &mut Scratch,
) -> Result<Vec<u8>, String> {
    let width = WIDTH as usize;
    let height = HEIGHT as usize;
    let indices = &scratch.indices;
    let same_row = |y: &usize| {
        indices[y * width..(y + 1) * width] == reference.indices[y * width..(y + 1) * width]
    };
    let first = (0..height).find(|y| !same_row(y)).unwrap_or(height);
    // A card the same as its reference (never: the label tag is its own) is compressed whole.
    let (first, last) = if first == height {
        (0, height)
    } else {
        let last = (first..height)
            .rev()
            .find(|y| !same_row(y))
            .map_or(height, |y| y + 1);
        (first, last)
    };
    // A new compressor for each card (see [`Deflater`]).
    let deflate = Deflater::new(level, OWN_ROWS_MEM_LEVEL, Some(OWN_ROWS_TUNING))?;
    let filtered = &mut scratch.filtered;
    filtered.clear();
    // The dictionary: the reference's filtered rows just above the first own row.
    let dictionary_rows = first.saturating_sub(DICTIONARY_ROWS);
    filter_rows(&reference.indices, dictionary_rows..first, filtered);
    let dictionary_len = filtered.len();
    filter_rows(indices, first..last, filtered);
    let mut stream = Vec::with_capacity(48 * 1024);
    stream.extend_from_slice(&[0x78, 0x9c]);
    // The checksum of the shared rows is worked out once with them, then combined.
    let mut adler = 1;
    if first > 0 {
        let above = reference.compressed_rows(0..first)?;
        stream.extend_from_slice(&above.deflated);
        adler = above.adler;
    }
    let (dictionary, own) = filtered.split_at(dictionary_len);
    deflate_raw(
        deflate,
        dictionary,
        own,
        last == height,
        &mut scratch.room,
        &mut stream,
    )?;
    adler = zlib_rs::adler32::adler32_combine(
        adler,
        zlib_rs::adler32::adler32(1, own),
        own.len() as u64,
    );
    if last < height {
        let below = reference.compressed_rows(last..height)?;
        stream.extend_from_slice(&below.deflated);
        adler = zlib_rs::adler32::adler32_combine(adler, below.adler, below.len);
    }
    stream.extend_from_slice(&adler.to_be_bytes());

    let mut bytes = Vec::with_capacity(stream.len() + palette.len() + 256);
    bytes.extend_from_slice(&PNG_SIGNATURE);
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&WIDTH.to_be_bytes());
    header.extend_from_slice(&HEIGHT.to_be_bytes());
    // 8 bits per index, indexed colour, DEFLATE, adaptive filtering method, no interlace.
    header.extend_from_slice(&[8, 3, 0, 0, 0]);
    push_chunk(&mut bytes, b"IHDR", &header);
    push_chunk(&mut bytes, b"PLTE", palette);
    let mut text = Vec::with_capacity(CACHE_KEYWORD.len() + 1 + key.len());
    text.extend_from_slice(CACHE_KEYWORD.as_bytes());
    text.push(0);
    text.extend_from_slice(key.as_bytes());
    push_chunk(&mut bytes, b"tEXt", &text);
    push_chunk(&mut bytes, b"IDAT", &stream);
    bytes.extend_from_slice(&PNG_END);
    Ok(bytes)
}

/// A card's samples (palette indices with `palette`, RGBA otherwise) as PNG, with `key` in
/// a `tEXt` chunk.
fn encode_with_png_crate(
    data: &[u8],
    palette: Option<Vec<u8>>,
    key: &str,
    compression: png::DeflateCompression,
    filter: png::Filter,
) -> Result<Vec<u8>, String> {
    let error = |e: png::EncodingError| e.to_string();
    let mut bytes = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_deflate_compression(compression);
    encoder.set_filter(filter);
    match palette {
        Some(palette) => {
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(palette);
        }
        None => encoder.set_color(png::ColorType::Rgba),
    }
    encoder
        .add_text_chunk(CACHE_KEYWORD.to_string(), key.to_string())
        .map_err(error)?;
    let mut writer = encoder.write_header().map_err(error)?;
    writer.write_image_data(data).map_err(error)?;
    writer.finish().map_err(error)?;
    Ok(bytes)
}

/// Most colours of a palette.
const PALETTE_SIZE: usize = 256;
/// Colours always kept, the most frequent first (the flat colours of the design and the
/// commonest anti-aliasing shades); the rest of the palette goes to the colours farthest
/// from it.
const PALETTE_SEEDS: usize = 64;

/// A hasher for `u32` colours (the map is only looked up, never iterated for output: the
/// palette comes from sorted lists, so the result does not depend on the hasher).
#[derive(Default)]
struct ColourHasher(u64);

impl std::hash::Hasher for ColourHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 << 8 | u64::from(*byte)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_u32(&mut self, value: u32) {
        // The map takes its buckets from the low bits and a tag from the top seven: both
        // must vary (a product shifted right left the tag always 0, so every lookup
        // compared a whole group of entries).
        let product = u64::from(value).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = product ^ (product >> 29);
    }
}

type ColourMap<V> = HashMap<u32, V, std::hash::BuildHasherDefault<ColourHasher>>;

/// An opaque RGBA image as a palette (RGB triplets) and one index per pixel: exact when it
/// has at most `colours` colours; otherwise the [`PALETTE_SEEDS`] most frequent colours,
/// then, one at a time, the colour farthest from the palette so far (which keeps the largest
/// error small: the rare shades of anti-aliasing still get a close colour), every pixel
/// taking the nearest. Deterministic: ties go to the more frequent, then the smaller colour.
pub fn quantize(rgba: &[u8], colours: usize) -> (Vec<u8>, Vec<u8>) {
    let mut indices = Vec::new();
    let palette = quantize_into(rgba, colours, 0, &mut Vec::new(), &mut indices);
    (palette, indices)
}

/// [`quantize`], writing the indices into `indices` and using `runs` as scratch space.
fn quantize_into(
    rgba: &[u8],
    colours: usize,
    ramp_steps: u32,
    runs: &mut Vec<(u32, u32)>,
    indices: &mut Vec<u8>,
) -> Vec<u8> {
    // The image as runs of one colour (a card is mostly long runs), each distinct colour
    // (0xBBGGRR) numbered in order of appearance: one pass over the pixels, the map only
    // consulted once per run, and the indices written run by run.
    let mut number_of: ColourMap<u32> = ColourMap::default();
    let mut unique: Vec<u32> = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    runs.clear();
    let pixel_count = rgba.len() / 4;
    let pixel = |i: usize| u32::from_le_bytes([rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2], 0]);
    let mut i = 0;
    while i < pixel_count {
        let colour = pixel(i);
        let start = i;
        i += 1;
        // Four pixels at a time while the run lasts, then one by one.
        let [r, g, b, a] = [
            rgba[4 * start],
            rgba[4 * start + 1],
            rgba[4 * start + 2],
            rgba[4 * start + 3],
        ];
        let block = [r, g, b, a, r, g, b, a, r, g, b, a, r, g, b, a];
        while i + 4 <= pixel_count && rgba[4 * i..4 * i + 16] == block {
            i += 4;
        }
        while i < pixel_count && pixel(i) == colour {
            i += 1;
        }
        let number = *number_of.entry(colour).or_insert_with(|| {
            unique.push(colour);
            counts.push(0);
            (unique.len() - 1) as u32
        });
        let length = (i - start) as u32;
        counts[number as usize] += length;
        runs.push((number, length));
    }
    let (palette, index_of_number) = choose_palette(&unique, &counts, colours, ramp_steps);
    indices.clear();
    indices.reserve(pixel_count);
    for (number, length) in runs.iter() {
        indices.resize(
            indices.len() + *length as usize,
            index_of_number[*number as usize],
        );
    }
    palette
}

/// The numbers of the colours seen (a count above 0), by decreasing count, then increasing
/// colour.
fn frequency_order(unique: &[u32], counts: &[u32]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..unique.len()).filter(|n| counts[*n] > 0).collect();
    order.sort_unstable_by(|a, b| {
        counts[*b]
            .cmp(&counts[*a])
            .then(unique[*a].cmp(&unique[*b]))
    });
    order
}

/// Colours that anti-aliasing blends between: the most frequent colours of a card (its
/// flat areas and the cores of its lines and letters).
const RAMP_ANCHORS: usize = 16;
/// Farthest a colour may lie from the segment between two anchors (squared distance in
/// RGB levels) and still be read as their blend.
const RAMP_RESIDUAL: i64 = RAMP_MARGIN as i64 * RAMP_MARGIN as i64;
/// The distance of [`RAMP_RESIDUAL`], in levels of one channel.
const RAMP_MARGIN: i32 = 3;

/// The segment between two anchors: from one, the difference to the other, its squared
/// length.
struct Ramp {
    from: [i32; 3],
    delta: [i32; 3],
    length: i64,
    /// The box around the segment, [`RAMP_RESIDUAL`] wider each way: a colour outside it
    /// is too far from the segment (a quick test before the distance).
    low: [i32; 3],
    high: [i32; 3],
}

/// The channels of a colour 0xBBGGRR.
fn channels(colour: u32) -> [i32; 3] {
    [
        (colour & 0xff) as i32,
        ((colour >> 8) & 0xff) as i32,
        ((colour >> 16) & 0xff) as i32,
    ]
}

/// The segment from anchor `from` to anchor `to` (0xBBGGRR); `None` if they are the same.
fn ramp(from: u32, to: u32) -> Option<Ramp> {
    let (from, to) = (channels(from), channels(to));
    let delta = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
    let length = delta.iter().map(|d| i64::from(d * d)).sum::<i64>();
    (length > 0).then(|| Ramp {
        from,
        delta,
        length,
        low: std::array::from_fn(|k| from[k].min(to[k]) - RAMP_MARGIN),
        high: std::array::from_fn(|k| from[k].max(to[k]) + RAMP_MARGIN),
    })
}

/// The segments between two of `anchors` (0xBBGGRR) whose second anchor's number is in
/// `seconds`, each with the numbers of its two anchors, in the order of those pairs (the
/// order of [`ramps_between`]).
fn numbered_ramps_between(anchors: &[u32], seconds: std::ops::Range<usize>) -> Vec<(Pair, Ramp)> {
    let mut ramps = Vec::new();
    for (i, from) in anchors.iter().enumerate() {
        for (j, to) in anchors.iter().enumerate().skip((i + 1).max(seconds.start)) {
            if j >= seconds.end {
                break;
            }
            if let Some(ramp) = ramp(*from, *to) {
                ramps.push(((i as u8, j as u8), ramp));
            }
        }
    }
    ramps
}

/// The segments between every two of `anchors` (0xBBGGRR).
fn ramps_between(anchors: &[u32]) -> Vec<Ramp> {
    numbered_ramps_between(anchors, 0..anchors.len())
        .into_iter()
        .map(|(_, ramp)| ramp)
        .collect()
}

/// Numbers of the two anchors of a ramp, in the list of anchors it was made from: the
/// order of [`ramps_between`]'s segments.
type Pair = (u8, u8);

/// The squared distance of a colour's channels `c` from `ramp` and its projection on it
/// (× the ramp's length); `None` when it lies outside the ramp's box (too far). Inlined:
/// it is called for every colour and ramp, and most calls end at the box.
#[inline(always)]
fn ramp_distance(c: [i32; 3], ramp: &Ramp) -> Option<(i64, i64)> {
    // Without short-circuits: one branch rather than six.
    let outside = (c[0] < ramp.low[0])
        | (c[0] > ramp.high[0])
        | (c[1] < ramp.low[1])
        | (c[1] > ramp.high[1])
        | (c[2] < ramp.low[2])
        | (c[2] > ramp.high[2]);
    if outside {
        return None;
    }
    let v: [i64; 3] = std::array::from_fn(|k| i64::from(c[k] - ramp.from[k]));
    let dot = (0..3)
        .map(|k| v[k] * i64::from(ramp.delta[k]))
        .sum::<i64>()
        .clamp(0, ramp.length);
    // |v − t·d|² with t = dot / length, computed × length² in integers.
    let residual = (0..3)
        .map(|k| {
            let r = v[k] * ramp.length - dot * i64::from(ramp.delta[k]);
            r * r
        })
        .sum::<i64>()
        / (ramp.length * ramp.length);
    Some((residual, dot))
}

/// The blending step of `ramp` nearest to the point of projection `dot` ([`ramp_distance`]).
fn snap_along(ramp: &Ramp, dot: i64, steps: u32) -> u32 {
    // `steps` across a blend of a whole channel (0 to 255); a narrower blend gets
    // fewer, so that every blend keeps the same largest error.
    let widest = ramp
        .delta
        .iter()
        .map(|d| i64::from(d.abs()))
        .max()
        .unwrap_or(0);
    let steps = ((i64::from(steps) * widest + 254) / 255).max(1);
    let step = (dot * steps * 2 + ramp.length) / (2 * ramp.length);
    let channel = |k: usize| {
        let value = i64::from(ramp.from[k]) * steps + step * i64::from(ramp.delta[k]);
        ((value * 2 + steps).div_euclid(2 * steps)).clamp(0, 255) as u32
    };
    channel(0) | channel(1) << 8 | channel(2) << 16
}

/// `colour` (0xBBGGRR) snapped to blending steps along the nearest of `ramps`, if it lies
/// within [`RAMP_RESIDUAL`] of it; unchanged otherwise. `steps` is the count across a blend
/// of a whole channel (0 to 255): a ramp whose widest channel spans fewer levels gets
/// proportionally fewer (at least one), so that the largest error, half a step, is the same
/// on every ramp (4 steps between white and the radar's grey rather than 8: cards 3 %
/// lighter). Of ramps at the same distance, the first.
fn snap(colour: u32, ramps: &[Ramp], steps: u32) -> u32 {
    let c = channels(colour);
    // The nearest segment: its squared distance, the ramp, the projection × length.
    let mut best: Option<(i64, &Ramp, i64)> = None;
    for ramp in ramps {
        let Some((residual, dot)) = ramp_distance(c, ramp) else {
            continue;
        };
        if best.is_none_or(|b| residual < b.0) {
            best = Some((residual, ramp, dot));
        }
    }
    match best {
        Some((residual, ramp, dot)) if residual <= RAMP_RESIDUAL => snap_along(ramp, dot, steps),
        _ => colour,
    }
}

/// The nearest of numbered `ramps` to a colour's channels `c` (the first of those at the
/// same distance): its squared distance, its pair and the colour snapped along it; `None`
/// when no ramp's box holds the colour.
fn nearest_ramp(c: [i32; 3], ramps: &[(Pair, Ramp)], steps: u32) -> Option<(i64, Pair, u32)> {
    let mut best: Option<(i64, &(Pair, Ramp), i64)> = None;
    for numbered in ramps {
        let Some((residual, dot)) = ramp_distance(c, &numbered.1) else {
            continue;
        };
        if best.is_none_or(|b| residual < b.0) {
            best = Some((residual, numbered, dot));
        }
    }
    best.map(|(residual, (pair, ramp), dot)| (residual, *pair, snap_along(ramp, dot, steps)))
}

/// Each colour of `unique` (0xBBGGRR, numbered as in `order`, most frequent first) snapped
/// to `steps` blending steps between two of the [`RAMP_ANCHORS`] first, where it lies on
/// the segment between them ([`snap`]); the anchors and other colours (three-colour
/// corners) are left as they are.
fn snap_to_ramps(unique: &[u32], order: &[usize], steps: u32) -> Vec<u32> {
    let anchors: Vec<u32> = order
        .iter()
        .take(RAMP_ANCHORS)
        .map(|n| unique[*n])
        .collect();
    let ramps = ramps_between(&anchors);
    let mut snapped = unique.to_vec();
    for n in order.iter().skip(RAMP_ANCHORS) {
        snapped[*n] = snap(unique[*n], &ramps, steps);
    }
    snapped
}

/// The palette of an image of the colours `unique` (0xBBGGRR), each seen `counts` times
/// (colours seen 0 times are ignored), as RGB triplets, and the palette index of each colour.
fn choose_palette(
    unique: &[u32],
    counts: &[u32],
    colours: usize,
    ramp_steps: u32,
) -> (Vec<u8>, Vec<u8>) {
    let colours = colours.clamp(1, PALETTE_SIZE);
    let order = frequency_order(unique, counts);
    if ramp_steps > 0 {
        // The snapped colours, merged, are the image the palette is chosen for.
        let snapped = snap_to_ramps(unique, &order, ramp_steps);
        let mut number_of: ColourMap<u32> = ColourMap::default();
        let (mut merged, mut merged_counts) = (Vec::new(), Vec::new());
        let mut merged_number = vec![0u32; unique.len()];
        for n in &order {
            let number = *number_of.entry(snapped[*n]).or_insert_with(|| {
                merged.push(snapped[*n]);
                merged_counts.push(0);
                (merged.len() - 1) as u32
            });
            merged_counts[number as usize] += counts[*n];
            merged_number[*n] = number;
        }
        let (palette, index) = choose_palette(&merged, &merged_counts, colours, 0);
        let index_of_number = merged_number.iter().map(|m| index[*m as usize]).collect();
        return (palette, index_of_number);
    }
    // The colours in that order, split in channels (the distance loop below vectorises).
    let channel = |shift: u32| -> Vec<i32> {
        order
            .iter()
            .map(|n| ((unique[*n] >> shift) & 0xff) as i32)
            .collect()
    };
    let (reds, greens, blues) = (channel(0), channel(8), channel(16));

    // Palette entries, and for each colour (in `order`) its nearest entry and distance.
    let mut palette: Vec<u32> = Vec::with_capacity(colours);
    let mut nearest_index = vec![0u8; order.len()];
    let mut nearest_distance = vec![i32::MAX; order.len()];
    // Adds the colour of rank `chosen` to the palette; returns the rank of the first (most
    // frequent) of the colours now farthest from the palette, and that distance.
    let mut add = |palette: &mut Vec<u32>, chosen: usize| -> (usize, i32) {
        let index = palette.len() as u8;
        palette.push(unique[order[chosen]]);
        let (r, g, b) = (reds[chosen], greens[chosen], blues[chosen]);
        for rank in 0..order.len() {
            let (dr, dg, db) = (reds[rank] - r, greens[rank] - g, blues[rank] - b);
            let d = dr * dr + dg * dg + db * db;
            if d < nearest_distance[rank] {
                nearest_distance[rank] = d;
                nearest_index[rank] = index;
            }
        }
        let mut far = (0, -1);
        for (rank, d) in nearest_distance.iter().enumerate() {
            if *d > far.1 {
                far = (rank, *d);
            }
        }
        far
    };
    if order.len() <= colours {
        for rank in 0..order.len() {
            palette.push(unique[order[rank]]);
            nearest_index[rank] = rank as u8;
        }
    } else {
        let mut far = (0, 0);
        for rank in 0..PALETTE_SEEDS.min(colours / 4).max(1) {
            far = add(&mut palette, rank);
        }
        while palette.len() < colours && far.1 > 0 {
            far = add(&mut palette, far.0);
        }
    }
    let mut index_of_number = vec![0u8; unique.len()];
    for (number, index) in order.iter().zip(&nearest_index) {
        index_of_number[*number] = *index;
    }
    let palette = palette
        .iter()
        .flat_map(|c| [*c as u8, (c >> 8) as u8, (c >> 16) as u8])
        .collect();
    (palette, index_of_number)
}

/// Own colours of a thread's earlier cards, each with its nearest ramp between the
/// reference's anchors ([`nearest_ramp`]), for the few references its cards had. A card's
/// own colours are snapped between the reference's anchors and the card's own ones
/// ([`Reference::quantize`]); the ramps between the reference's anchors, more than half of
/// them, are the same on every card, and cards of a site share most of their own colours
/// (the profile's fill over the grid, white text's edges on blue): each colour is measured
/// against them once, and only the ramps that end at one of the card's own anchors are
/// looked at per card. (Keyed by the whole set of anchors, as before, the cache seldom hit:
/// the card's own anchors change from card to card.)
#[derive(Default)]
struct SnapCache {
    entries: Vec<SnapEntry>,
}

/// The nearest reference ramps found for one set of reference anchors.
struct SnapEntry {
    anchors: Vec<u32>,
    steps: u32,
    /// Each colour measured so far: its nearest reference ramp, if any.
    nearest: ColourMap<Option<(i64, Pair, u32)>>,
}

/// Most sets of anchors a [`SnapCache`] keeps (the oldest goes first).
const SNAP_CACHE_ENTRIES: usize = 8;

impl SnapCache {
    /// The colours measured so far against the ramps between `anchors`.
    fn for_anchors(
        &mut self,
        anchors: &[u32],
        steps: u32,
    ) -> &mut ColourMap<Option<(i64, Pair, u32)>> {
        let found = self
            .entries
            .iter()
            .position(|entry| entry.anchors == anchors && entry.steps == steps);
        let at = match found {
            Some(at) => at,
            None => {
                if self.entries.len() >= SNAP_CACHE_ENTRIES {
                    self.entries.remove(0);
                }
                self.entries.push(SnapEntry {
                    anchors: anchors.to_vec(),
                    steps,
                    nearest: ColourMap::default(),
                });
                self.entries.len() - 1
            }
        };
        &mut self.entries[at].nearest
    }
}

// A card's pixels are compared with the reference's eight at a time, with no remainder.
const _: () = assert!((WIDTH * HEIGHT).is_multiple_of(8));

/// Bits of the hash that picks a slot of [`Reference::quantize`]'s table of recent colours.
const RECENT_BITS: u32 = 10;
/// Slots of that table.
const RECENT_COLOURS: usize = 1 << RECENT_BITS;

/// Colours of a card's own marks that also anchor blends ([`Reference::quantize`]): the
/// profile's fill and stroke, its fill over the grid, the label tag (8 rather than 4: cards
/// 2 % lighter, as the palette chosen for the card alone; 12: 0.2 % more).
const OWN_ANCHORS: usize = 8;

/// What every card of a site shows where its own marks leave it alone (the backdrop with
/// the overlay over it), with the first part of every card's palette: its colours snapped
/// to blending steps ([`snap_to_ramps`]) once per build, each pixel's palette index worked
/// out once. A card is then compared with it eight pixels at a time: the blocks its own
/// marks left alone take the reference's indices, and only the pixels that differ are
/// looked up.
struct Reference {
    /// The premultiplied RGBA pixels.
    rgba: Vec<u8>,
    /// The palette index of each pixel.
    indices: Vec<u8>,
    /// The palette's first entries (0xBBGGRR): the reference's snapped colours, the most
    /// frequent first.
    palette: Vec<u32>,
    /// The palette index of each colour of the reference, before snapping.
    index_of_colour: ColourMap<u8>,
    /// The palette index of each entry of `palette`.
    index_of_entry: ColourMap<u8>,
    /// The reference's most frequent colours, between which blends are snapped.
    anchors: Vec<u32>,
    /// The ramps between `anchors`.
    ramps: Vec<(Pair, Ramp)>,
    /// Blending steps kept (the encoder settings it was made for).
    steps: u32,
    /// Runs of rows compressed once per build ([`Reference::compressed_rows`]).
    compressed: Mutex<Vec<CompressedRows>>,
}

/// Rows of a reference (first, end) and their DEFLATE stream ([`Reference::compressed_rows`]).
type CompressedRows = (usize, usize, Arc<SharedRows>);

/// A run of a reference's rows as spliced into a card's zlib stream.
struct SharedRows {
    /// The rows, filtered, as raw DEFLATE.
    deflated: Vec<u8>,
    /// Adler-32 of the filtered rows (from 1), combined into the stream's checksum.
    adler: u32,
    /// Length of the filtered rows.
    len: u64,
}

impl Reference {
    /// The reference of `rgba` for cards encoded with `steps` blending steps; `None` when
    /// its snapped colours do not fit in a palette (never on a card).
    fn of(rgba: &[u8], steps: u32) -> Option<Reference> {
        let mut number_of: ColourMap<u32> = ColourMap::default();
        let (mut unique, mut counts) = (Vec::new(), Vec::new());
        let mut numbers = Vec::with_capacity(rgba.len() / 4);
        for px in rgba.chunks_exact(4) {
            let colour = u32::from_le_bytes([px[0], px[1], px[2], 0]);
            let number = *number_of.entry(colour).or_insert_with(|| {
                unique.push(colour);
                counts.push(0u32);
                (unique.len() - 1) as u32
            });
            counts[number as usize] += 1;
            numbers.push(number);
        }
        let order = frequency_order(&unique, &counts);
        let snapped = if steps > 0 {
            snap_to_ramps(&unique, &order, steps)
        } else {
            unique.clone()
        };
        let mut palette = Vec::new();
        let mut index_of_entry: ColourMap<u8> = ColourMap::default();
        let mut index_of_number = vec![0u8; unique.len()];
        for n in &order {
            let entry = snapped[*n];
            let index = match index_of_entry.get(&entry) {
                Some(index) => *index,
                None => {
                    let index = u8::try_from(palette.len()).ok()?;
                    palette.push(entry);
                    index_of_entry.insert(entry, index);
                    index
                }
            };
            index_of_number[*n] = index;
        }
        let index_of_colour = unique
            .iter()
            .zip(&index_of_number)
            .map(|(colour, index)| (*colour, *index))
            .collect();
        let anchors: Vec<u32> = order
            .iter()
            .take(RAMP_ANCHORS)
            .map(|n| unique[*n])
            .collect();
        Some(Reference {
            ramps: numbered_ramps_between(&anchors, 0..anchors.len()),
            anchors,
            rgba: rgba.to_vec(),
            indices: numbers
                .iter()
                .map(|n| index_of_number[*n as usize])
                .collect(),
            palette,
            index_of_colour,
            index_of_entry,
            steps,
            compressed: Mutex::new(Vec::new()),
        })
    }

    /// Rows `rows` of the reference's indices, filtered (each row behind its filter byte,
    /// none) and compressed once per build at [`SHARED_ROWS_LEVEL`] as raw DEFLATE with no
    /// earlier data: ending with the final block if `rows` reaches the card's bottom, with a
    /// sync flush (byte-aligned, not final) otherwise, so that it can be spliced into the
    /// stream of any card whose rows `rows` are the reference's.
    fn compressed_rows(&self, rows: std::ops::Range<usize>) -> Result<Arc<SharedRows>, String> {
        let mut cache = self
            .compressed
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((_, _, bytes)) = cache
            .iter()
            .find(|(start, end, _)| *start == rows.start && *end == rows.end)
        {
            return Ok(Arc::clone(bytes));
        }
        let mut filtered = Vec::new();
        filter_rows(&self.indices, rows.clone(), &mut filtered);
        let mut deflated = Vec::new();
        deflate_raw(
            Deflater::new(SHARED_ROWS_LEVEL, 8, None)?,
            &[],
            &filtered,
            rows.end == HEIGHT as usize,
            &mut Vec::new(),
            &mut deflated,
        )?;
        let bytes = Arc::new(SharedRows {
            deflated,
            adler: zlib_rs::adler32::adler32(1, &filtered),
            len: filtered.len() as u64,
        });
        if cache.len() >= MAX_COMPRESSED_RUNS {
            cache.remove(0);
        }
        cache.push((rows.start, rows.end, Arc::clone(&bytes)));
        Ok(bytes)
    }

    /// The palette (RGB triplets) of a card drawn over this reference (same size), writing
    /// its indices into `indices`: the reference's palette, then the card's own colours
    /// (snapped between the reference's anchors and the card's [`OWN_ANCHORS`] commonest own
    /// colours) in order of first appearance. Only the pixels within `touched` are compared
    /// with the reference, when given: the card is the reference everywhere else. `None`
    /// when that makes more than `colours` entries or the settings are not the reference's:
    /// the card is then quantised on its own.
    #[allow(clippy::too_many_arguments)]
    fn quantize(
        &self,
        rgba: &[u8],
        touched: Option<&[PixelRect]>,
        colours: usize,
        steps: u32,
        pending: &mut Vec<(u32, u16)>,
        snaps: &mut SnapCache,
        indices: &mut Vec<u8>,
    ) -> Option<Vec<u8>> {
        if rgba.len() != self.rgba.len() || steps != self.steps || self.palette.len() > colours {
            return None;
        }
        const BLOCK: usize = 8;
        let pixel_count = rgba.len() / 4;
        indices.resize(pixel_count, 0);
        // The card's own colours (not in the reference), by first appearance, with counts;
        // `pending` holds each pixel of such a colour and its number.
        let mut own: Vec<u32> = Vec::new();
        let mut own_counts: Vec<u32> = Vec::new();
        let mut own_number: ColourMap<u16> = ColourMap::default();
        pending.clear();
        // Colours looked up lately, in a small direct-mapped table (a slot per hash of the
        // colour; `u32::MAX` is no colour): each one's index in the palette, or its own
        // number (high bit). Differing pixels are runs of a few colours (the profile's
        // fill, letters and their anti-aliased edges), so the maps are seldom consulted.
        let mut recent_colour = [u32::MAX; RECENT_COLOURS];
        let mut recent_code = [0u16; RECENT_COLOURS];
        indices.copy_from_slice(&self.indices);
        let all = [PixelRect::CARD];
        let runs = touched_blocks(touched.unwrap_or(&all), BLOCK);
        let blocks = runs.iter().flat_map(|run| {
            let pixels = run.start * BLOCK..run.end * BLOCK;
            let bytes = pixels.start * 4..pixels.end * 4;
            (run.start..run.end).zip(
                rgba[bytes.clone()]
                    .chunks_exact(4 * BLOCK)
                    .zip(self.rgba[bytes].chunks_exact(4 * BLOCK)),
            )
        });
        for (block, (card, reference)) in blocks {
            let indices = &mut indices[block * BLOCK..(block + 1) * BLOCK];
            if same_bytes(card, reference) {
                continue;
            }
            let pixels = card.chunks_exact(4).zip(reference.chunks_exact(4));
            for (i, ((px, was), index)) in pixels.zip(indices.iter_mut()).enumerate() {
                let px = u32::from_le_bytes([px[0], px[1], px[2], px[3]]);
                if px == u32::from_le_bytes([was[0], was[1], was[2], was[3]]) {
                    continue;
                }
                let colour = px & 0x00ff_ffff;
                let slot = (colour.wrapping_mul(0x9e37_79b1) >> (32 - RECENT_BITS)) as usize;
                let code = if recent_colour[slot] == colour {
                    recent_code[slot]
                } else {
                    let code = match self.index_of_colour.get(&colour) {
                        Some(index) => u16::from(*index),
                        None => {
                            let number = match own_number.get(&colour) {
                                Some(number) => *number,
                                None => {
                                    let number = u16::try_from(own.len()).ok()?;
                                    if number >= 0x8000 {
                                        return None;
                                    }
                                    own.push(colour);
                                    own_counts.push(0);
                                    own_number.insert(colour, number);
                                    number
                                }
                            };
                            0x8000 | number
                        }
                    };
                    recent_colour[slot] = colour;
                    recent_code[slot] = code;
                    code
                };
                if code & 0x8000 == 0 {
                    *index = code as u8;
                } else {
                    let number = code & 0x7fff;
                    own_counts[usize::from(number)] += 1;
                    pending.push(((block * BLOCK + i) as u32, number));
                }
            }
        }
        // The card's own colours, snapped, get the entries after the reference's.
        let mut palette = self.palette.clone();
        let mut added: ColourMap<u8> = ColourMap::default();
        let mut index_of_own = Vec::with_capacity(own.len());
        if !own.is_empty() {
            let order = frequency_order(&own, &own_counts);
            let mut anchors = self.anchors.clone();
            anchors.extend(order.iter().take(OWN_ANCHORS).map(|n| own[*n]));
            // As `snap` between all the anchors: the nearest of the ramps between the
            // reference's anchors (measured once per thread) and of those that end at one
            // of the card's own anchors (after them in `ramps_between`'s order).
            let own_ramps = numbered_ramps_between(&anchors, self.anchors.len()..anchors.len());
            let measured = snaps.for_anchors(&self.anchors, steps);
            for colour in &own {
                let entry = if steps > 0 {
                    let c = channels(*colour);
                    let shared = *measured
                        .entry(*colour)
                        .or_insert_with(|| nearest_ramp(c, &self.ramps, steps));
                    let nearest = match (shared, nearest_ramp(c, &own_ramps, steps)) {
                        (Some(a), Some(b)) => Some(if (b.0, b.1) < (a.0, a.1) { b } else { a }),
                        (a, b) => a.or(b),
                    };
                    match nearest {
                        Some((residual, _, snapped)) if residual <= RAMP_RESIDUAL => snapped,
                        _ => *colour,
                    }
                } else {
                    *colour
                };
                let index = match self.index_of_entry.get(&entry).or(added.get(&entry)) {
                    Some(index) => *index,
                    None => {
                        if palette.len() >= colours {
                            return None;
                        }
                        let index = palette.len() as u8;
                        palette.push(entry);
                        added.insert(entry, index);
                        index
                    }
                };
                index_of_own.push(index);
            }
        }
        for (pixel, number) in pending.iter() {
            indices[*pixel as usize] = index_of_own[usize::from(*number)];
        }
        Some(
            palette
                .iter()
                .flat_map(|c| [*c as u8, (c >> 8) as u8, (c >> 16) as u8])
                .collect(),
        )
    }
}

/// The runs of blocks (`block` pixels of a row, numbered in pixel order) that cover the
/// pixels of `rects`, in increasing order, each block once.
fn touched_blocks(rects: &[PixelRect], block: usize) -> Vec<std::ops::Range<usize>> {
    let per_row = (WIDTH as usize).div_ceil(block);
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    let mut spans: Vec<std::ops::Range<usize>> = Vec::with_capacity(rects.len());
    for y in 0..HEIGHT as usize {
        spans.clear();
        spans.extend(
            rects
                .iter()
                .filter(|rect| (rect.top..rect.bottom).contains(&y))
                .map(|rect| rect.left / block..rect.right.div_ceil(block).min(per_row)),
        );
        spans.sort_by_key(|span| span.start);
        for span in &spans {
            let span = y * per_row + span.start..y * per_row + span.end;
            match runs.last_mut() {
                Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
                _ => runs.push(span),
            }
        }
    }
    runs
}

/// Whether `a` and `b` hold the same bytes, compared eight at a time (a block of a card
/// is 32 bytes: four loads each, where a general comparison calls `memcmp`).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let word = |bytes: &[u8]| {
        let mut word = [0u8; 8];
        word.copy_from_slice(bytes);
        u64::from_ne_bytes(word)
    };
    a.len() == b.len()
        && a.chunks_exact(8)
            .zip(b.chunks_exact(8))
            .all(|(x, y)| word(x) == word(y))
        && a.chunks_exact(8).remainder() == b.chunks_exact(8).remainder()
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
    painter: &CardPainter,
) -> Result<(OutputFile, Origin, String), CardError> {
    let content = CardContent::new(site, project, Territories::region());
    // Laid out once; the layers are only cut for a card that is drawn.
    let parts = CardParts::of(&content);
    let key = card_key(&svg_of(&parts));
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
    let bytes = painter.render_png(&layers_of(&parts), &key, &project.slug)?;
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
    let painter = CardPainter::new();
    progress.start("cartes de partage", projects.len());
    let results = projects
        .par_iter()
        .map(|project| {
            let (file, origin, key) =
                card_file(site, project, previous_output, cache.as_ref(), &painter)?;
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

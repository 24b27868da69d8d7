//! Radar chart of the twelve markers: geometry in pure Rust, SVG markup from it.
//!
//! Coordinates are SVG user units with the centre of the radar at `(0, 0)` and `y` growing
//! downwards; the view box is computed from every drawn element (rings, wrapped axis labels,
//! legend) so nothing is ever clipped, whatever the marker names or series labels.

use crate::escape;
use crate::model::{MARKER_COUNT, MARKER_LABELS, MarkerInfo, Scale, format_score_with};
use std::borrow::Cow;
use std::f64::consts::TAU;
use std::fmt::Write as _;

/// One profile drawn on a radar (a project, or a median).
#[derive(Debug, Clone, Copy)]
pub struct RadarSeries<'a> {
    /// Name shown in the legend and in the text equivalent.
    pub label: &'a str,
    /// Scores in marker order; `None` is "non évalué", never drawn as the minimum.
    pub scores: &'a [Option<f64>; MARKER_COUNT],
    /// CSS class suffix for styling (`radar-serie-<class>`).
    pub class: &'a str,
}

/// Radius of the outer ring (the scale's maximum), in user units.
pub const RADIUS: f64 = 140.0;
/// Distance between the outer ring and the nearest edge of an axis label.
pub const LABEL_GAP: f64 = 12.0;
/// Font size of the axis labels.
pub const LABEL_FONT_SIZE: f64 = 12.5;
/// Line height of the axis labels and legend entries.
pub const LINE_HEIGHT: f64 = LABEL_FONT_SIZE * 1.2;
/// Target width of one axis-label line, in characters (longer names wrap on 2–3 lines).
pub const LABEL_LINE_CHARS: usize = 16;
/// Most lines an axis label may take.
pub const LABEL_MAX_LINES: usize = 3;
/// Estimated advance of one glyph, as a fraction of the font size.
pub const GLYPH_WIDTH_EM: f64 = 0.55;
/// Most rings drawn; a finer scale gets rings at a multiple of its step.
pub const MAX_RINGS: usize = 12;

/// Font size of the ring values along the first axis.
const RING_FONT_SIZE: f64 = 10.0;
/// Font size of the "n.é." markers and of the footnote explaining them.
const NOTE_FONT_SIZE: f64 = 11.0;
/// Empty space kept above and below the drawing inside the view box.
const MARGIN: f64 = 8.0;
/// Empty space kept left and right: wider, since real fonts often run wider than the
/// 0.55 em estimate (DejaVu Sans, a common fallback, averages about 0.6 em).
const SIDE_MARGIN: f64 = 20.0;
/// Size of a legend swatch.
const SWATCH: f64 = 12.0;
/// Text colour (contrast 17:1 on white).
const TEXT_COLOUR: &str = "#1a1a1a";
/// Colour of the ring values (contrast 7:1 on white).
const MUTED_COLOUR: &str = "#595959";
/// Colour of the inner rings and axes (contrast 3.3:1 on white, enough for graphics).
const GRID_COLOUR: &str = "#8c8c8c";
/// Colour of the outer ring (contrast 4.7:1 on white).
const OUTER_RING_COLOUR: &str = "#737373";

/// How the axes of a radar are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AxisLabels {
    /// The marker names, wrapped on up to three lines: for a radar shown at least about
    /// 540 px wide (wide screens, print, the standalone file, the social card).
    Names,
    /// The marker numbers 1 to 12 in larger type, in a narrower drawing: for phones and
    /// small multiples, where names would be shrunk below 12 px; the page shows the key
    /// (the numbered table of markers) beside it, and each point's tooltip names its marker.
    Numbers,
}

/// Choices that change a radar's layout and language but not what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RadarOptions<'t> {
    /// Names or numbers on the axes.
    pub labels: AxisLabels,
    /// Whether a legend of the series is drawn below the chart when there is more than one
    /// series (a grid of radars sharing one legend in the page leaves it out).
    pub legend: bool,
    /// The texts the radar writes itself, in the page's language.
    pub texts: &'t RadarTexts,
}

impl Default for RadarOptions<'_> {
    fn default() -> Self {
        RadarOptions {
            labels: AxisLabels::Names,
            legend: true,
            texts: &FRENCH,
        }
    }
}

/// The few texts a radar writes beside the marker names, title and description it is given:
/// the caller gives them in the page's language ([`FRENCH`] by default). They are plain text
/// (escaped when drawn).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RadarTexts {
    /// Added to the title (its accessible name) of a radar with numbered axes, so that the two
    /// drawings of one radar are told apart (in a tagged PDF, for instance).
    pub numbered_title: Cow<'static, str>,
    /// Added to the description of a radar with numbered axes.
    pub numbered_note: Cow<'static, str>,
    /// Between a marker's name and its score in a point's tooltip (" : ").
    pub score_separator: Cow<'static, str>,
    /// After a marker's name when its score is not assessed, in tooltips, and after
    /// [`RadarTexts::not_assessed_short`] in the footnote (" : non évalué").
    pub not_assessed: Cow<'static, str>,
    /// The mark drawn where a score is not assessed ("n.é.").
    pub not_assessed_short: Cow<'static, str>,
    /// Legend of a series without a label, `{n}` its number ("Série {n}").
    pub series: Cow<'static, str>,
    /// Decimal separator of the ring values and scores (`,` in French).
    pub decimal: char,
}

/// The radar's texts in French.
pub static FRENCH: RadarTexts = RadarTexts {
    numbered_title: Cow::Borrowed(" (axes numérotés)"),
    numbered_note: Cow::Borrowed(
        " Les axes sont numérotés de 1 à 12 dans l'ordre du tableau des marqueurs.",
    ),
    score_separator: Cow::Borrowed(" : "),
    not_assessed: Cow::Borrowed(" : non évalué"),
    not_assessed_short: Cow::Borrowed("n.é."),
    series: Cow::Borrowed("Série {n}"),
    decimal: ',',
};

/// Type sizes and spacing of one of the two layouts ([`AxisLabels`]).
struct Metrics {
    /// Font size of the axis labels.
    label_font: f64,
    /// Distance between the outer ring and the nearest edge of an axis label.
    label_gap: f64,
    /// Font size of the ring values.
    ring_font: f64,
    /// Font size of the "n.é." marks and their footnote.
    note_font: f64,
    /// Font size of the legend (line height: 1.2 times).
    legend_font: f64,
    /// Empty space kept left and right of the drawing.
    side_margin: f64,
}

/// The layout with marker names (the social card's: unchanged since the cards were made).
const NAMES: Metrics = Metrics {
    label_font: LABEL_FONT_SIZE,
    label_gap: LABEL_GAP,
    ring_font: RING_FONT_SIZE,
    note_font: NOTE_FONT_SIZE,
    legend_font: LABEL_FONT_SIZE,
    side_margin: SIDE_MARGIN,
};

/// The layout with marker numbers: about 350 units wide instead of about 560, so that the
/// numbers stay above 12 px and the ring values near it even on a 320 px phone.
const NUMBERS: Metrics = Metrics {
    label_font: 17.0,
    label_gap: 8.0,
    ring_font: 14.0,
    note_font: 14.0,
    legend_font: 15.0,
    side_margin: 8.0,
};

/// Dash pattern of the outline of a reference series (a median), so it differs from the
/// project's solid outline without relying on colour.
const REFERENCE_DASH: &str = "7 4";

/// Series colours, in order of the series; each has a contrast of at least 4.5:1 on white.
pub const SERIES_COLOURS: [&str; 6] = [
    "#1d4ed8", "#b45309", "#047857", "#7e22ce", "#b91c1c", "#0e7490",
];

/// Horizontal alignment of a text (`text-anchor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Text starts at the anchor point (labels on the right side).
    Start,
    /// Text is centred on the anchor point (labels at the top and bottom).
    Middle,
    /// Text ends at the anchor point (labels on the left side).
    End,
}

impl Anchor {
    /// The value of the SVG `text-anchor` attribute.
    pub fn as_svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// An axis-aligned box, `(x0, y0)` top-left to `(x1, y1)` bottom-right.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
}

impl Bounds {
    /// The smallest box holding both.
    pub fn union(self, other: Bounds) -> Bounds {
        Bounds {
            x0: self.x0.min(other.x0),
            y0: self.y0.min(other.y0),
            x1: self.x1.max(other.x1),
            y1: self.y1.max(other.y1),
        }
    }

    /// Whether `other` lies entirely inside this box.
    pub fn contains(&self, other: &Bounds) -> bool {
        other.x0 >= self.x0 && other.y0 >= self.y0 && other.x1 <= self.x1 && other.y1 <= self.y1
    }
}

/// Angle of axis `i` in radians, clockwise from 12 o'clock (axis 0 points straight up).
pub fn axis_angle(i: usize) -> f64 {
    TAU * (i % MARKER_COUNT) as f64 / MARKER_COUNT as f64
}

/// Unit vector of axis `i` in SVG coordinates (`y` down).
pub fn axis_direction(i: usize) -> (f64, f64) {
    let angle = axis_angle(i);
    (angle.sin(), -angle.cos())
}

/// Where `value` sits between the centre (0, the scale's minimum) and the outer ring (1, its
/// maximum); out-of-range values are clamped, a degenerate scale or value gives 0.
pub fn scale_fraction(value: f64, scale: &Scale) -> f64 {
    let span = scale.max - scale.min;
    let fraction = (value - scale.min) / span;
    if span > 0.0 && fraction.is_finite() {
        fraction.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The point of `value` on `axis`: the scale's minimum at the centre, its maximum at `radius`.
pub fn point(axis: usize, value: f64, scale: &Scale, radius: f64) -> (f64, f64) {
    let (dx, dy) = axis_direction(axis);
    let r = radius * scale_fraction(value, scale);
    (dx * r, dy * r)
}

/// Whether the scale can be drawn: finite bounds, `max > min`, positive step.
fn scale_is_sound(scale: &Scale) -> bool {
    scale.min.is_finite()
        && scale.max.is_finite()
        && scale.step.is_finite()
        && scale.max > scale.min
        && scale.step > 0.0
}

/// The values at which rings are drawn, innermost first, the last one being the scale's
/// maximum. The minimum is the centre, not a ring. Rings lie on every step of the scale, or
/// on every n-th step when there would be more than [`MAX_RINGS`].
pub fn ring_values(scale: &Scale) -> Vec<f64> {
    if !scale_is_sound(scale) {
        return Vec::new();
    }
    let steps = ((scale.max - scale.min) / scale.step).floor();
    if !steps.is_finite() || steps < 1.0 {
        return vec![scale.max];
    }
    let stride = (steps / MAX_RINGS as f64).ceil().max(1.0);
    let count = (steps / stride).floor() as usize;
    let mut values: Vec<f64> = (1..=count)
        .map(|i| scale.min + i as f64 * stride * scale.step)
        .filter(|v| *v < scale.max - scale.step * 1e-6)
        .collect();
    values.push(scale.max);
    values
}

/// The twelve corners of the ring at `value`, clockwise from the first axis.
pub fn ring_polygon(value: f64, scale: &Scale, radius: f64) -> [(f64, f64); MARKER_COUNT] {
    std::array::from_fn(|axis| point(axis, value, scale, radius))
}

/// Anchor of the label of `axis`: start on the right, end on the left, middle at top/bottom.
pub fn label_anchor(axis: usize) -> Anchor {
    let (dx, _) = axis_direction(axis);
    if dx.abs() < 0.1 {
        Anchor::Middle
    } else if dx > 0.0 {
        Anchor::Start
    } else {
        Anchor::End
    }
}

/// Estimated width of `text` at `font_size` (every glyph counted as [`GLYPH_WIDTH_EM`] em).
pub fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().count() as f64 * GLYPH_WIDTH_EM * font_size
}

/// Greedy word wrap at `width` characters; words longer than `width` stay whole.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let fits = current.chars().count() + 1 + word.chars().count() <= width;
        if current.is_empty() {
            current.push_str(word);
        } else if fits {
            current.push(' ');
            current.push_str(word);
        } else {
            lines.push(std::mem::take(&mut current));
            current.push_str(word);
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Wraps an axis label into balanced lines: one line up to `width` characters, otherwise at
/// least two lines of at most about `width` characters (a little more when that saves a
/// line, more when a word or the `max_lines` limit demands it).
pub fn wrap_label(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let words = text.split_whitespace().count();
    let total = text.chars().count();
    if total <= width || words <= 1 {
        return wrap_words(text, total.max(1));
    }
    let longest_word = text
        .split_whitespace()
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(1);
    let mut limit = (width + width / 8).max(longest_word);
    while wrap_words(text, limit).len() > max_lines.max(2) && limit < total {
        limit += 1;
    }
    let lines = wrap_words(text, limit).len().max(2);
    // Balance: the narrowest width that needs no more lines.
    let narrowest = (longest_word..=limit)
        .find(|w| wrap_words(text, *w).len() <= lines)
        .unwrap_or(limit);
    wrap_words(text, narrowest)
}

/// Splits a free text (legend entry) into lines of at most `width` characters, breaking
/// inside words only when one is longer than a line.
fn wrap_hard(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut pieces = Vec::new();
    for word in text.split_whitespace() {
        let chars: Vec<char> = word.chars().collect();
        for chunk in chars.chunks(width) {
            pieces.push(chunk.iter().collect::<String>());
        }
    }
    wrap_words(&pieces.join(" "), width)
}

/// Position and lines of one axis label.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisLabel {
    /// The axis it names.
    pub axis: usize,
    /// Horizontal alignment relative to `x`.
    pub anchor: Anchor,
    /// Anchor abscissa of every line.
    pub x: f64,
    /// The wrapped lines with the baseline ordinate of each.
    pub lines: Vec<(String, f64)>,
    /// Estimated box of the whole label.
    pub bounds: Bounds,
}

/// Lays out the label of `axis` outside a ring of `radius`: anchored by the side, the text
/// block pushed away from the centre so it never overlaps the outer ring.
pub fn axis_label(axis: usize, name: &str, radius: f64) -> AxisLabel {
    let lines = wrap_label(name, LABEL_LINE_CHARS, LABEL_MAX_LINES);
    place_label(axis, lines, radius, &NAMES)
}

/// Places the already wrapped `lines` of the label of `axis` outside a ring of `radius`, in
/// the type of `metrics`.
fn place_label(axis: usize, lines: Vec<String>, radius: f64, metrics: &Metrics) -> AxisLabel {
    let anchor = label_anchor(axis);
    let (dx, dy) = axis_direction(axis);
    let reach = radius + metrics.label_gap;
    let (x, y) = (dx * reach, dy * reach);
    let (font, line_height) = (metrics.label_font, metrics.label_font * 1.2);
    let height = lines.len() as f64 * line_height;
    // The block's centre moves up for labels above the centre, down for those below, so
    // its edge facing the centre sits on the anchor point at the top and bottom.
    let top = y + dy * height / 2.0 - height / 2.0;
    let width = lines
        .iter()
        .map(|line| text_width(line, font))
        .fold(0.0, f64::max);
    let (x0, x1) = match anchor {
        Anchor::Start => (x, x + width),
        Anchor::Middle => (x - width / 2.0, x + width / 2.0),
        Anchor::End => (x - width, x),
    };
    let lines = lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let baseline = top + (i as f64 + 0.5) * line_height + 0.35 * font;
            (line, baseline)
        })
        .collect();
    AxisLabel {
        axis,
        anchor,
        x,
        lines,
        bounds: Bounds {
            x0,
            y0: top,
            x1,
            y1: top + height,
        },
    }
}

/// A number for SVG markup: rounded to two decimals (half to even, on the exact binary
/// value, as `format!("{:.2}")` does), no trailing zeros, never `-0`; `0` for NaN and
/// infinities.
///
/// Written with integer arithmetic on the value in hundredths: the float formatting it
/// replaces (exact decimal expansion) was about 9 % of a no-op build's CPU at 10,000 projects.
/// Values of 2^52 or more (never a coordinate) go through `format!`.
pub(crate) fn num(value: f64) -> Num {
    if !value.is_finite() {
        return Num::short(b"0");
    }
    let Some(hundredths) = hundredths(value.abs()) else {
        return Num::Long(slow_num(value));
    };
    // At most 18 digits (below 2^52 × 100 / 2), a point, a sign.
    let mut bytes = [0u8; NUM_CAPACITY];
    let mut start = NUM_CAPACITY;
    let mut put = |byte: u8| {
        start -= 1;
        bytes[start] = byte;
    };
    let (mut units, cents) = (hundredths / 100, (hundredths % 100) as u8);
    if cents % 10 != 0 {
        put(b'0' + cents % 10);
    }
    if cents != 0 {
        put(b'0' + cents / 10);
        put(b'.');
    }
    loop {
        put(b'0' + (units % 10) as u8);
        units /= 10;
        if units == 0 {
            break;
        }
    }
    if value < 0.0 && hundredths != 0 {
        put(b'-');
    }
    Num::Short { bytes, start }
}

/// Room for the longest number [`num`] writes without `format!`.
const NUM_CAPACITY: usize = 24;

/// A number written by [`num`]: on the stack, so writing it allocates nothing.
pub(crate) enum Num {
    /// ASCII text in `bytes[start..]`.
    Short {
        /// The text, right-aligned.
        bytes: [u8; NUM_CAPACITY],
        /// Where it starts.
        start: usize,
    },
    /// A value too large for [`hundredths`], written by `format!`.
    Long(String),
}

impl Num {
    /// `text` (ASCII, at most [`NUM_CAPACITY`] bytes) as a short number.
    fn short(text: &[u8]) -> Num {
        let mut bytes = [0u8; NUM_CAPACITY];
        let start = NUM_CAPACITY - text.len();
        bytes[start..].copy_from_slice(text);
        Num::Short { bytes, start }
    }
}

impl std::ops::Deref for Num {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            // Only ASCII digits, `.` and `-` are written: never invalid.
            Num::Short { bytes, start } => std::str::from_utf8(&bytes[*start..]).unwrap_or("0"),
            Num::Long(text) => text,
        }
    }
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self)
    }
}

/// `magnitude` (finite, not negative) × 100 rounded to an integer, half to even, computed
/// exactly from its binary representation; `None` from 2^52 on.
fn hundredths(magnitude: f64) -> Option<u64> {
    let bits = magnitude.to_bits();
    let biased = (bits >> 52) & 0x7ff;
    let fraction = bits & ((1 << 52) - 1);
    // magnitude = mantissa × 2^-shift
    if biased >= 1075 {
        return None;
    }
    let (mantissa, shift) = if biased == 0 {
        (fraction, 1074)
    } else {
        (fraction | (1 << 52), 1075 - biased)
    };
    // Below 2^53 × 100 < 2^60.
    let scaled = mantissa * 100;
    if shift > 60 {
        // The remainder is below half of 2^shift: rounds to 0.
        return Some(0);
    }
    let quotient = scaled >> shift;
    let remainder = scaled & ((1 << shift) - 1);
    let half = 1 << (shift - 1);
    let round_up = remainder > half || (remainder == half && quotient % 2 == 1);
    Some(quotient + u64::from(round_up))
}

/// [`num`] through `format!`, for values of 2^52 or more.
fn slow_num(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// `x,y x,y …` for a `points` attribute.
fn points_attr(points: &[(f64, f64)]) -> String {
    let mut out = String::with_capacity(points.len() * 16);
    for (i, (x, y)) in points.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{},{}", num(*x), num(*y));
    }
    out
}

/// An identifier safe in `id` attributes and CSS classes: ASCII letters, digits, `-` and
/// `_`, starting with a letter (anything else becomes `-`; an empty result gets a prefix).
fn sanitize_token(token: &str, fallback: &str) -> String {
    let cleaned: String = token
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    match cleaned.chars().next() {
        None => fallback.to_string(),
        Some(c) if c.is_ascii_alphabetic() => cleaned,
        Some(_) => format!("{fallback}-{cleaned}"),
    }
}

/// The name of marker `axis`, from the site's markers or the default labels.
fn marker_name(markers: &[MarkerInfo], axis: usize) -> &str {
    markers
        .get(axis)
        .map(|m| m.name.as_str())
        .filter(|name| !name.trim().is_empty())
        .unwrap_or(MARKER_LABELS[axis])
}

/// One series in the legend, laid out.
struct LegendEntry {
    /// Index of the series (its colour).
    index: usize,
    /// Top of its first line.
    top: f64,
    /// Wrapped lines with the baseline of each.
    lines: Vec<(String, f64)>,
}

/// A drawable score: any finite number (drawing clamps it onto the scale); `None`, NaN and
/// infinities are "non évalué".
fn assessed(score: Option<f64>) -> Option<f64> {
    score.filter(|s| s.is_finite())
}

/// Whether the series at `index` is a reference (a median) drawn over the first one: an
/// outline in dashes without fill, with square points, where the first series is filled,
/// solid, with round points. Shape and line tell them apart, not only colour.
fn is_reference(index: usize) -> bool {
    index > 0
}

/// The part of a radar that does not depend on its series: axis labels laid out, the grid
/// and the ring values, for one vocabulary, scale and layout (drawn once, then reused by every
/// radar of the build: most radars of a site share them).
#[derive(Debug)]
struct Frame {
    /// The extent of the rings and labels.
    chart: Bounds,
    /// The grid group (rings, then axes).
    grid: String,
    /// The ring values group.
    graduations: String,
    /// The axis labels group.
    labels: String,
}

/// What a [`Frame`] is drawn from.
#[derive(Debug, PartialEq)]
struct FrameKey {
    names: Vec<String>,
    scale: [u64; 3],
    labels: AxisLabels,
    decimal: char,
}

impl Frame {
    /// The frame of `markers` on `scale` (already checked sound) in the `labels` layout.
    fn of(
        markers: &[MarkerInfo],
        scale: &Scale,
        labels: AxisLabels,
        metrics: &Metrics,
        decimal: char,
    ) -> std::sync::Arc<Frame> {
        use std::sync::{Arc, Mutex, PoisonError};
        static FRAMES: Mutex<Vec<(FrameKey, Arc<Frame>)>> = Mutex::new(Vec::new());
        let key = FrameKey {
            names: (0..MARKER_COUNT)
                .map(|axis| marker_name(markers, axis).to_string())
                .collect(),
            scale: [
                scale.min.to_bits(),
                scale.max.to_bits(),
                scale.step.to_bits(),
            ],
            labels,
            decimal,
        };
        let lock = || FRAMES.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, frame)) = lock().iter().find(|(k, _)| *k == key) {
            return Arc::clone(frame);
        }
        let frame = Arc::new(Frame::draw(markers, scale, labels, metrics, decimal));
        let mut frames = lock();
        // A few vocabularies at most per process (tests build many sites): keep the latest.
        if frames.len() >= 16 {
            frames.remove(0);
        }
        frames.push((key, Arc::clone(&frame)));
        frame
    }

    fn draw(
        markers: &[MarkerInfo],
        scale: &Scale,
        layout: AxisLabels,
        metrics: &Metrics,
        decimal: char,
    ) -> Frame {
        let scale = *scale;
        let options = RadarOptions {
            labels: layout,
            ..RadarOptions::default()
        };
        let labels: Vec<AxisLabel> = (0..MARKER_COUNT)
            .map(|axis| {
                let lines = match options.labels {
                    AxisLabels::Names => wrap_label(
                        marker_name(markers, axis),
                        LABEL_LINE_CHARS,
                        LABEL_MAX_LINES,
                    ),
                    AxisLabels::Numbers => vec![(axis + 1).to_string()],
                };
                place_label(axis, lines, RADIUS, metrics)
            })
            .collect();

        // The chart's extent, centred horizontally so the radar sits in the middle.
        let mut chart = Bounds {
            x0: -RADIUS,
            y0: -RADIUS,
            x1: RADIUS,
            y1: RADIUS,
        };
        for label in &labels {
            chart = chart.union(label.bounds);
        }

        let mut grid = String::with_capacity(2048);
        // Grid: rings then axes.
        let _ = writeln!(
            grid,
            "<g class=\"radar-grille\" fill=\"none\" stroke=\"{GRID_COLOUR}\" stroke-width=\"0.75\">"
        );
        let rings = ring_values(&scale);
        for (i, value) in rings.iter().enumerate() {
            let outer = i + 1 == rings.len();
            let polygon = ring_polygon(*value, &scale, RADIUS);
            if outer {
                let _ = writeln!(
                    grid,
                    "<polygon class=\"radar-anneau radar-anneau-max\" stroke=\"{OUTER_RING_COLOUR}\" \
                     stroke-width=\"1.25\" points=\"{}\"/>",
                    points_attr(&polygon)
                );
            } else {
                let _ = writeln!(
                    grid,
                    "<polygon class=\"radar-anneau\" points=\"{}\"/>",
                    points_attr(&polygon)
                );
            }
        }
        for axis in 0..MARKER_COUNT {
            let (x, y) = point(axis, scale.max, &scale, RADIUS);
            let _ = writeln!(
                grid,
                "<line class=\"radar-axe\" x1=\"0\" y1=\"0\" x2=\"{}\" y2=\"{}\"/>",
                num(x),
                num(y)
            );
        }
        grid.push_str("</g>\n");

        let mut graduations = String::with_capacity(1024);
        // Ring values along the first axis, with a white halo to stay legible over shapes.
        let ring_font = metrics.ring_font;
        let _ = writeln!(
            graduations,
            "<g class=\"radar-graduations\" font-size=\"{}\" fill=\"{MUTED_COLOUR}\" \
             stroke=\"#ffffff\" stroke-width=\"{}\" stroke-linejoin=\"round\" \
             paint-order=\"stroke\">",
            num(ring_font),
            num(ring_font / 4.0)
        );
        for value in std::iter::once(scale.min).chain(rings.iter().copied()) {
            let (_, y) = point(0, value, &scale, RADIUS);
            let _ = writeln!(
                graduations,
                "<text x=\"4\" y=\"{}\" font-size=\"{}\">{}</text>",
                num(y - 2.5),
                num(ring_font),
                escape::html(&format_score_with(value, decimal))
            );
        }
        graduations.push_str("</g>\n");

        let mut text = String::with_capacity(2048);
        // Axis labels.
        let label_font = metrics.label_font;
        let numbered = options.labels == AxisLabels::Numbers;
        let _ = writeln!(
            text,
            "<g class=\"radar-libelles\" fill=\"{TEXT_COLOUR}\" font-size=\"{}\"{}>",
            num(label_font),
            if numbered {
                " font-weight=\"bold\""
            } else {
                ""
            }
        );
        for label in &labels {
            if numbered {
                // The number's tooltip names the marker.
                let _ = write!(
                    text,
                    "<g><title>{}</title>",
                    escape::html(marker_name(markers, label.axis))
                );
            }
            let _ = write!(
                text,
                "<text class=\"radar-libelle radar-libelle-{}\" text-anchor=\"{}\" font-size=\"{}\">",
                label.axis + 1,
                label.anchor.as_svg(),
                num(label_font)
            );
            for (line, baseline) in &label.lines {
                let _ = write!(
                    text,
                    "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
                    num(label.x),
                    num(*baseline),
                    escape::html(line)
                );
            }
            text.push_str(if numbered {
                "</text></g>\n"
            } else {
                "</text>\n"
            });
        }
        text.push_str("</g>\n");

        Frame {
            chart,
            grid,
            graduations,
            labels: text,
        }
    }
}

/// Renders a radar as standalone-ready SVG markup (`<svg …>…</svg>`), with `role="img"`,
/// `<title>` and `<desc>`; `id` makes element ids unique when several radars share a page.
/// Axes carry the marker names and a legend is drawn for several series: the
/// [`RadarOptions::default`] of [`radar_svg_with`].
///
/// `id` and the series classes are reduced to `[A-Za-z0-9_-]` (starting with a letter); all
/// text is XML-escaped. A legend is drawn when there is more than one series, a footnote
/// explaining "n.é." when a score is not assessed. An unusable scale (step ≤ 0, max ≤ min,
/// non-finite) falls back to the default one rather than failing: validation rejects it first.
/// The first series is filled, solid, with round points; the following ones are references
/// (medians): dashed outlines without fill, with square points.
pub fn radar_svg(
    markers: &[MarkerInfo],
    scale: &Scale,
    series: &[RadarSeries<'_>],
    title: &str,
    desc: &str,
    id: &str,
) -> String {
    radar_svg_with(
        markers,
        scale,
        series,
        title,
        desc,
        id,
        RadarOptions::default(),
    )
}

/// [`radar_svg`] with a choice of axis labels and legend.
pub fn radar_svg_with(
    markers: &[MarkerInfo],
    scale: &Scale,
    series: &[RadarSeries<'_>],
    title: &str,
    desc: &str,
    id: &str,
    options: RadarOptions,
) -> String {
    let id = sanitize_token(id, "radar");
    let scale = if scale_is_sound(scale) {
        *scale
    } else {
        Scale::default()
    };
    let metrics = match options.labels {
        AxisLabels::Names => &NAMES,
        AxisLabels::Numbers => &NUMBERS,
    };
    // What does not depend on the series (labels, grid, graduations), made once per
    // vocabulary, scale and layout.
    let texts = options.texts;
    let frame = Frame::of(markers, &scale, options.labels, metrics, texts.decimal);
    let chart = frame.chart;
    let side = metrics.side_margin;
    let mut half_width = chart.x0.abs().max(chart.x1.abs()) + side;

    // Legend and footnote below the chart, wrapped to its width.
    let show_legend = options.legend && series.len() > 1;
    let any_unassessed = series
        .iter()
        .any(|s| s.scores.iter().any(|score| assessed(*score).is_none()));
    let legend_font = metrics.legend_font;
    let line_height = legend_font * 1.2;
    let swatch = legend_font.min(SWATCH);
    let swatch_width = 2.0 * swatch;
    let legend_x = -half_width + side;
    let text_x = legend_x + swatch_width + 6.0;
    let chars_per_line =
        ((half_width - side - text_x) / (GLYPH_WIDTH_EM * legend_font)).floor() as usize;
    let mut cursor = chart.y1 + 14.0;
    let mut legend: Vec<LegendEntry> = Vec::new();
    if show_legend {
        for (index, serie) in series.iter().enumerate() {
            let mut lines = wrap_hard(serie.label, chars_per_line.max(8));
            if lines.is_empty() {
                lines.push(texts.series.replace("{n}", &(index + 1).to_string()));
            }
            let top = cursor;
            let placed = lines
                .into_iter()
                .enumerate()
                .map(|(i, line)| {
                    let baseline = top + (i as f64 + 0.5) * line_height + 0.35 * legend_font;
                    (line, baseline)
                })
                .collect::<Vec<_>>();
            cursor += placed.len() as f64 * line_height + 4.0;
            legend.push(LegendEntry {
                index,
                top,
                lines: placed,
            });
        }
    }
    let note_font = metrics.note_font;
    let footnote = any_unassessed.then(|| {
        let baseline = cursor + note_font;
        cursor += note_font * 1.5;
        baseline
    });
    let mut bottom = if show_legend || footnote.is_some() {
        cursor
    } else {
        chart.y1
    };
    // A legend line can only be wider than planned if one word was hard-split oddly; widen.
    for entry in &legend {
        for (line, _) in &entry.lines {
            half_width = half_width.max(text_x + text_width(line, legend_font) + side);
        }
    }
    bottom += MARGIN;
    let top = chart.y0 - MARGIN;

    let mut svg = String::with_capacity(8192);
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{} {} {} {}\" role=\"img\" \
         aria-labelledby=\"{id}-titre\" aria-describedby=\"{id}-desc\" class=\"radar\" \
         font-family=\"sans-serif\">",
        num(-half_width),
        num(top),
        num(2.0 * half_width),
        num(bottom - top),
    );
    let _ = write!(svg, "<title id=\"{id}-titre\">{}", escape::html(title));
    if options.labels == AxisLabels::Numbers {
        svg.push_str(&escape::xml(&texts.numbered_title));
    }
    svg.push_str("</title>\n");
    let _ = write!(svg, "<desc id=\"{id}-desc\">{}", escape::html(desc));
    if options.labels == AxisLabels::Numbers {
        svg.push_str(&escape::xml(&texts.numbered_note));
    }
    svg.push_str("</desc>\n");

    svg.push_str(&frame.grid);

    // Series: shapes first (all of them), then points on top so none hides another's points.
    let classes: Vec<String> = series
        .iter()
        .enumerate()
        .map(|(i, s)| sanitize_token(s.class, &format!("serie{}", i + 1)))
        .collect();
    svg.push_str("<g class=\"radar-donnees\">\n");
    for (index, serie) in series.iter().enumerate() {
        let colour = SERIES_COLOURS[index % SERIES_COLOURS.len()];
        let class = &classes[index];
        let vertices: Vec<(f64, f64)> = serie
            .scores
            .iter()
            .enumerate()
            .filter_map(|(axis, score)| {
                assessed(*score).map(|value| point(axis, value, &scale, RADIUS))
            })
            .collect();
        let (fill, stroke) = if is_reference(index) {
            (
                "fill=\"none\"".to_string(),
                format!("stroke-width=\"2.5\" stroke-dasharray=\"{REFERENCE_DASH}\""),
            )
        } else {
            (
                format!("fill=\"{colour}\" fill-opacity=\"0.18\""),
                "stroke-width=\"2\"".to_string(),
            )
        };
        match vertices.len() {
            0 | 1 => {}
            2 => {
                let _ = writeln!(
                    svg,
                    "<polyline class=\"radar-serie radar-serie-{class}\" fill=\"none\" \
                     stroke=\"{colour}\" {stroke} stroke-linejoin=\"round\" \
                     points=\"{}\"/>",
                    points_attr(&vertices)
                );
            }
            _ => {
                let _ = writeln!(
                    svg,
                    "<polygon class=\"radar-serie radar-serie-{class}\" {fill} \
                     stroke=\"{colour}\" {stroke} \
                     stroke-linejoin=\"round\" points=\"{}\"/>",
                    points_attr(&vertices)
                );
            }
        }
    }
    // References' points first: where a project's point and a median's coincide, the round
    // point shows inside the corners of the square.
    for (index, serie) in series.iter().enumerate().rev() {
        let colour = SERIES_COLOURS[index % SERIES_COLOURS.len()];
        let class = &classes[index];
        for (axis, score) in serie.scores.iter().enumerate() {
            let name = marker_name(markers, axis);
            let prefix = if series.len() > 1 {
                format!("{} — ", serie.label)
            } else {
                String::new()
            };
            match assessed(*score) {
                Some(value) => {
                    let (x, y) = point(axis, value, &scale, RADIUS);
                    let tooltip = format!(
                        "{prefix}{name}{}{} / {}",
                        texts.score_separator,
                        format_score_with(value.clamp(scale.min, scale.max), texts.decimal),
                        format_score_with(scale.max, texts.decimal)
                    );
                    let tooltip = escape::html(&tooltip);
                    if is_reference(index) {
                        let _ = writeln!(
                            svg,
                            "<rect class=\"radar-point radar-point-{class}\" x=\"{}\" y=\"{}\" \
                             width=\"9\" height=\"9\" fill=\"{colour}\" stroke=\"#ffffff\" \
                             stroke-width=\"1\"><title>{tooltip}</title></rect>",
                            num(x - 4.5),
                            num(y - 4.5),
                        );
                    } else {
                        let _ = writeln!(
                            svg,
                            "<circle class=\"radar-point radar-point-{class}\" cx=\"{}\" \
                             cy=\"{}\" r=\"3.5\" fill=\"{colour}\" stroke=\"#ffffff\" \
                             stroke-width=\"1\"><title>{tooltip}</title></circle>",
                            num(x),
                            num(y),
                        );
                    }
                }
                None => {
                    // Stacked inwards from near the axis end, one slot per series.
                    let (dx, dy) = axis_direction(axis);
                    let r = RADIUS - 14.0 - index as f64 * (note_font + 2.0);
                    let (x, y) = (dx * r.max(14.0), dy * r.max(14.0));
                    let _ = writeln!(
                        svg,
                        "<g class=\"radar-non-evalue radar-non-evalue-{class}\"><title>{}</title>\
                         <text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"middle\" \
                         fill=\"{colour}\" stroke=\"#ffffff\" stroke-width=\"3\" \
                         stroke-linejoin=\"round\" paint-order=\"stroke\" \
                         font-style=\"italic\">{}</text></g>",
                        escape::html(&format!("{prefix}{name}{}", texts.not_assessed)),
                        num(x),
                        num(y + 0.35 * note_font),
                        num(note_font),
                        escape::html(&texts.not_assessed_short),
                    );
                }
            }
        }
    }
    svg.push_str("</g>\n");

    svg.push_str(&frame.graduations);
    svg.push_str(&frame.labels);

    // Legend: each key drawn as its series is (filled and solid with a round point, or
    // dashed with a square point).
    if show_legend {
        let _ = writeln!(
            svg,
            "<g class=\"radar-legende\" fill=\"{TEXT_COLOUR}\" font-size=\"{}\">",
            num(legend_font)
        );
        for LegendEntry { index, top, lines } in &legend {
            let colour = SERIES_COLOURS[index % SERIES_COLOURS.len()];
            let key_top = top + (line_height - swatch) / 2.0;
            let middle = key_top + swatch / 2.0;
            let centre = legend_x + swatch_width / 2.0;
            if is_reference(*index) {
                let _ = writeln!(
                    svg,
                    "<g class=\"radar-legende-cle radar-serie-{}\"><line x1=\"{}\" y1=\"{}\" \
                     x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"2.5\" \
                     stroke-dasharray=\"{REFERENCE_DASH}\"/><rect x=\"{}\" y=\"{}\" \
                     width=\"9\" height=\"9\" fill=\"{colour}\" stroke=\"#ffffff\" \
                     stroke-width=\"1\"/></g>",
                    classes[*index],
                    num(legend_x),
                    num(middle),
                    num(legend_x + swatch_width),
                    num(middle),
                    num(centre - 4.5),
                    num(middle - 4.5),
                );
            } else {
                let _ = writeln!(
                    svg,
                    "<g class=\"radar-legende-cle radar-serie-{}\"><rect x=\"{}\" y=\"{}\" \
                     width=\"{}\" height=\"{}\" fill=\"{colour}\" fill-opacity=\"0.18\" \
                     stroke=\"{colour}\" stroke-width=\"2\"/><circle cx=\"{}\" cy=\"{}\" \
                     r=\"3.5\" fill=\"{colour}\" stroke=\"#ffffff\" stroke-width=\"1\"/></g>",
                    classes[*index],
                    num(legend_x),
                    num(key_top),
                    num(swatch_width),
                    num(swatch),
                    num(centre),
                    num(middle),
                );
            }
            svg.push_str("<text font-size=\"");
            svg.push_str(&num(legend_font));
            svg.push_str("\">");
            for (line, baseline) in lines {
                let _ = write!(
                    svg,
                    "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
                    num(text_x),
                    num(*baseline),
                    escape::html(line)
                );
            }
            svg.push_str("</text>\n");
        }
        svg.push_str("</g>\n");
    }
    if let Some(baseline) = footnote {
        let _ = writeln!(
            svg,
            "<text class=\"radar-note\" x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{MUTED_COLOUR}\">\
             <tspan font-style=\"italic\">{}</tspan>{}</text>",
            num(legend_x),
            num(baseline),
            num(note_font),
            escape::html(&texts.not_assessed_short),
            escape::html(&texts.not_assessed),
        );
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MARKER_HELP, MARKER_KEYS};

    /// A parsed XML element (enough XML to check the radar's markup).
    #[derive(Debug)]
    struct Element {
        name: String,
        attrs: Vec<(String, String)>,
        children: Vec<Node>,
    }

    #[derive(Debug)]
    enum Node {
        Element(Element),
        Text(String),
    }

    impl Element {
        fn attr(&self, name: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }

        fn has_class(&self, class: &str) -> bool {
            self.attr("class")
                .is_some_and(|c| c.split_whitespace().any(|c| c == class))
        }

        /// Every descendant element (self included), depth first, with its ancestors.
        fn walk<'a>(
            &'a self,
            ancestors: &mut Vec<&'a Element>,
            out: &mut Vec<(Vec<&'a Element>, &'a Element)>,
        ) {
            out.push((ancestors.clone(), self));
            ancestors.push(self);
            for child in &self.children {
                if let Node::Element(e) = child {
                    e.walk(ancestors, out);
                }
            }
            ancestors.pop();
        }

        fn all(&self) -> Vec<(Vec<&Element>, &Element)> {
            let mut out = Vec::new();
            self.walk(&mut Vec::new(), &mut out);
            out
        }

        fn text(&self) -> String {
            self.children
                .iter()
                .map(|c| match c {
                    Node::Text(t) => t.clone(),
                    Node::Element(e) => e.text(),
                })
                .collect()
        }
    }

    /// Strict parser of the XML subset we emit: elements, attributes in double quotes, text,
    /// the five entities and numeric references. Anything else is an error.
    struct Parser<'a> {
        s: &'a str,
        i: usize,
    }

    impl Parser<'_> {
        fn rest(&self) -> &str {
            &self.s[self.i..]
        }

        fn skip_ws(&mut self) {
            while self.rest().starts_with([' ', '\n', '\t', '\r']) {
                self.i += 1;
            }
        }

        fn name(&mut self) -> Result<String, String> {
            let len = self
                .rest()
                .find(|c: char| !(c.is_ascii_alphanumeric() || "-_:".contains(c)))
                .unwrap_or(self.rest().len());
            if len == 0 {
                return Err(format!("name expected at {}", self.i));
            }
            let name = self.rest()[..len].to_string();
            self.i += len;
            Ok(name)
        }

        fn decode(raw: &str) -> Result<String, String> {
            let mut out = String::new();
            let mut rest = raw;
            while let Some(pos) = rest.find('&') {
                out.push_str(&rest[..pos]);
                let end = rest[pos..].find(';').ok_or("unterminated entity")? + pos;
                let entity = &rest[pos + 1..end];
                let c = match entity {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ if entity.starts_with('#') => entity[1..]
                        .parse::<u32>()
                        .ok()
                        .and_then(char::from_u32)
                        .ok_or(format!("bad reference &{entity};"))?,
                    _ => return Err(format!("unknown entity &{entity};")),
                };
                out.push(c);
                rest = &rest[end + 1..];
            }
            out.push_str(rest);
            Ok(out)
        }

        fn element(&mut self) -> Result<Element, String> {
            if !self.rest().starts_with('<') {
                return Err(format!("'<' expected at {}", self.i));
            }
            self.i += 1;
            let name = self.name()?;
            let mut attrs: Vec<(String, String)> = Vec::new();
            loop {
                self.skip_ws();
                if self.rest().starts_with("/>") {
                    self.i += 2;
                    return Ok(Element {
                        name,
                        attrs,
                        children: Vec::new(),
                    });
                }
                if self.rest().starts_with('>') {
                    self.i += 1;
                    break;
                }
                let attr = self.name()?;
                if !self.rest().starts_with("=\"") {
                    return Err(format!("=\" expected after {attr}"));
                }
                self.i += 2;
                let end = self.rest().find('"').ok_or("unterminated attribute")?;
                let raw = &self.rest()[..end];
                if raw.contains('<') {
                    return Err("'<' in attribute".into());
                }
                let value = Self::decode(raw)?;
                self.i += end + 1;
                if attrs.iter().any(|(n, _)| *n == attr) {
                    return Err(format!("duplicate attribute {attr}"));
                }
                attrs.push((attr, value));
            }
            let mut children = Vec::new();
            loop {
                if self.rest().starts_with("</") {
                    self.i += 2;
                    let closing = self.name()?;
                    if closing != name || !self.rest().starts_with('>') {
                        return Err(format!("</{name}> expected, found </{closing}"));
                    }
                    self.i += 1;
                    return Ok(Element {
                        name,
                        attrs,
                        children,
                    });
                }
                if self.rest().starts_with("<!") || self.rest().starts_with("<?") {
                    return Err("unexpected markup declaration".into());
                }
                if self.rest().starts_with('<') {
                    children.push(Node::Element(self.element()?));
                    continue;
                }
                let end = self.rest().find('<').ok_or(format!("unclosed <{name}>"))?;
                children.push(Node::Text(Self::decode(&self.rest()[..end])?));
                self.i += end;
            }
        }
    }

    fn parse_xml(s: &str) -> Result<Element, String> {
        let mut parser = Parser { s, i: 0 };
        let root = parser.element()?;
        parser.skip_ws();
        if parser.i != s.len() {
            return Err("content after the root element".into());
        }
        Ok(root)
    }

    fn markers() -> Vec<MarkerInfo> {
        (0..MARKER_COUNT)
            .map(|i| MarkerInfo {
                key: MARKER_KEYS[i],
                name: MARKER_LABELS[i].to_string(),
                help: MARKER_HELP[i].to_string(),
                custom_name: false,
                custom_help: false,
            })
            .collect()
    }

    const FULL: [Option<f64>; MARKER_COUNT] = [
        Some(3.0),
        Some(2.5),
        Some(2.0),
        Some(1.5),
        Some(3.0),
        Some(2.0),
        Some(1.0),
        Some(2.5),
        Some(0.5),
        Some(2.0),
        Some(3.0),
        Some(1.5),
    ];

    fn one(scores: &[Option<f64>; MARKER_COUNT]) -> String {
        let series = [RadarSeries {
            label: "Projet",
            scores,
            class: "projet",
        }];
        radar_svg(
            &markers(),
            &Scale::default(),
            &series,
            "Radar",
            "Profil",
            "r1",
        )
    }

    /// A radar writes the texts it is given, in the caller's language: tooltips, the marks
    /// and footnote of what is not assessed, the numbered layout's title and note, a series
    /// without label, and scores and ring values with its decimal separator; a radar drawn
    /// after it with the French texts gets its own frame back.
    #[test]
    fn a_radar_writes_the_texts_it_is_given() {
        let english = RadarTexts {
            numbered_title: Cow::Borrowed(" (numbered axes)"),
            numbered_note: Cow::Borrowed(" The axes are numbered 1 to 12."),
            score_separator: Cow::Borrowed(": "),
            not_assessed: Cow::Borrowed(": not assessed"),
            not_assessed_short: Cow::Borrowed("n.a."),
            series: Cow::Borrowed("Series {n}"),
            decimal: '.',
        };
        let mut scores = FULL;
        scores[1] = Some(1.5);
        scores[4] = None;
        let series = [
            RadarSeries {
                label: "Projet",
                scores: &scores,
                class: "projet",
            },
            RadarSeries {
                label: "",
                scores: &FULL,
                class: "mediane",
            },
        ];
        let draw = |texts: &RadarTexts, labels: AxisLabels| {
            let options = RadarOptions {
                labels,
                legend: true,
                texts,
            };
            radar_svg_with(
                &markers(),
                &Scale::default(),
                &series,
                "T",
                "D",
                "r",
                options,
            )
        };
        let svg = draw(&english, AxisLabels::Numbers);
        assert!(svg.contains(">T (numbered axes)</title>"), "{svg}");
        assert!(
            svg.contains(">D The axes are numbered 1 to 12.</desc>"),
            "{svg}"
        );
        assert!(
            svg.contains("Projet — Place des bénéficiaires: 1.5 / 3</title>"),
            "{svg}"
        );
        assert!(
            svg.contains("Place de la recherche: not assessed</title>"),
            "{svg}"
        );
        assert!(svg.contains(">n.a.</text>"), "{svg}");
        assert!(svg.contains(">n.a.</tspan>: not assessed</text>"), "{svg}");
        assert!(svg.contains(">Series 2</tspan>"), "{svg}");
        assert!(
            svg.contains(">1.5</text>") && !svg.contains(">1,5<"),
            "{svg}"
        );
        assert!(
            !svg.contains("évalué") && !svg.contains("numérotés"),
            "{svg}"
        );
        let french = draw(&FRENCH, AxisLabels::Numbers);
        assert!(french.contains("Place des bénéficiaires : 1,5 / 3</title>"));
        assert!(french.contains(">1,5</text>") && !french.contains(">1.5<"));
        assert!(french.contains(">n.é.</tspan> : non évalué</text>"));
        assert!(french.contains(">Série 2</tspan>"));
    }

    /// The frame shared between radars is the one of each radar's own vocabulary, scale and
    /// layout: a radar drawn after another with other names or another scale is not given
    /// the first one's labels or rings.
    #[test]
    fn shared_frames_follow_names_scale_and_layout() {
        let series = [RadarSeries {
            label: "Projet",
            scores: &FULL,
            class: "projet",
        }];
        let draw = |markers: &[MarkerInfo], scale: &Scale, labels: AxisLabels| {
            let options = RadarOptions {
                labels,
                ..RadarOptions::default()
            };
            radar_svg_with(markers, scale, &series, "Radar", "Profil", "r", options)
        };
        let usual = markers();
        let mut renamed = markers();
        renamed[4].name = "Ancrage dans le quartier".into();
        let scale = Scale::default();
        let finer = Scale {
            step: 0.25,
            ..scale
        };
        // The axis labels' group (no nested group in the named layout).
        let labels = |svg: &str| -> String {
            let start = svg.find("<g class=\"radar-libelles\"").expect("labels");
            let end = start + svg[start..].find("</g>").expect("end of labels");
            svg[start..end].to_string()
        };
        let first = draw(&usual, &scale, AxisLabels::Names);
        assert!(!labels(&first).contains("quartier"));
        let other = draw(&renamed, &scale, AxisLabels::Names);
        assert!(labels(&other).contains("quartier"), "{other}");
        assert_eq!(draw(&usual, &scale, AxisLabels::Names), first);
        let numbered = draw(&usual, &scale, AxisLabels::Numbers);
        assert!(numbered.contains("font-weight=\"bold\""));
        assert_ne!(numbered, first);
        let rings = |svg: &str| svg.matches("<polygon class=\"radar-anneau").count();
        let on_finer = draw(&usual, &finer, AxisLabels::Names);
        assert_eq!(rings(&first), ring_values(&scale).len());
        assert_eq!(rings(&on_finer), ring_values(&finer).len());
    }

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9
    }

    fn parse_points(text: &str) -> Vec<(f64, f64)> {
        text.split_whitespace()
            .map(|pair| {
                let (x, y) = pair.split_once(',').expect("x,y");
                (x.parse().expect("x"), y.parse().expect("y"))
            })
            .collect()
    }

    fn view_box(root: &Element) -> Bounds {
        let v: Vec<f64> = root
            .attr("viewBox")
            .expect("viewBox")
            .split_whitespace()
            .map(|n| n.parse().expect("number"))
            .collect();
        assert_eq!(v.len(), 4);
        Bounds {
            x0: v[0],
            y0: v[1],
            x1: v[0] + v[2],
            y1: v[1] + v[3],
        }
    }

    /// Estimated boxes of every piece of text in the SVG (0.55 em per glyph, ascent 0.8 em,
    /// descent 0.25 em), read from the markup itself.
    fn text_boxes(root: &Element) -> Vec<(String, Bounds)> {
        let mut boxes = Vec::new();
        for (_, element) in root.all() {
            if element.name != "text" {
                continue;
            }
            let size: f64 = element
                .attr("font-size")
                .expect("font-size on text")
                .parse()
                .unwrap();
            let anchor = element.attr("text-anchor").unwrap_or("start");
            let mut runs: Vec<(f64, f64, String)> = Vec::new();
            let spans: Vec<&Element> = element
                .children
                .iter()
                .filter_map(|c| match c {
                    Node::Element(e) if e.name == "tspan" && e.attr("x").is_some() => Some(e),
                    _ => None,
                })
                .collect();
            if spans.is_empty() {
                let x = element.attr("x").expect("x").parse().unwrap();
                let y = element.attr("y").expect("y").parse().unwrap();
                runs.push((x, y, element.text()));
            } else {
                for span in spans {
                    let x = span.attr("x").unwrap().parse().unwrap();
                    let y = span.attr("y").expect("y on tspan").parse().unwrap();
                    runs.push((x, y, span.text()));
                }
            }
            for (x, y, text) in runs {
                let w = text.chars().count() as f64 * 0.55 * size;
                let (x0, x1) = match anchor {
                    "start" => (x, x + w),
                    "middle" => (x - w / 2.0, x + w / 2.0),
                    "end" => (x - w, x),
                    other => panic!("anchor {other}"),
                };
                boxes.push((
                    text,
                    Bounds {
                        x0,
                        y0: y - 0.8 * size,
                        x1,
                        y1: y + 0.25 * size,
                    },
                ));
            }
        }
        boxes
    }

    /// Every element with `class`, in document order.
    fn with_class<'a>(root: &'a Element, class: &str) -> Vec<&'a Element> {
        root.all()
            .into_iter()
            .filter(|(_, e)| e.has_class(class))
            .map(|(_, e)| e)
            .collect()
    }

    fn count_class(root: &Element, class: &str) -> usize {
        root.all()
            .iter()
            .filter(|(_, e)| e.has_class(class))
            .count()
    }

    #[test]
    fn axes_start_at_noon_and_turn_clockwise() {
        let scale = Scale::default();
        assert!(close(point(0, 3.0, &scale, 100.0), (0.0, -100.0)));
        assert!(close(point(3, 3.0, &scale, 100.0), (100.0, 0.0)));
        assert!(close(point(6, 3.0, &scale, 100.0), (0.0, 100.0)));
        assert!(close(point(9, 3.0, &scale, 100.0), (-100.0, 0.0)));
        assert!(axis_angle(1) > axis_angle(0));
        let (x, y) = point(1, 3.0, &scale, 100.0);
        assert!(x > 0.0 && y < 0.0, "axis 1 is up and to the right");
    }

    #[test]
    fn max_is_on_the_outer_ring_and_min_at_the_centre() {
        let scale = Scale {
            min: 1.0,
            max: 5.0,
            step: 1.0,
        };
        let outer = ring_polygon(5.0, &scale, RADIUS);
        for (axis, corner) in outer.iter().enumerate() {
            let (x, y) = point(axis, 5.0, &scale, RADIUS);
            assert!(((x * x + y * y).sqrt() - RADIUS).abs() < 1e-9);
            assert!(close((x, y), *corner));
            assert!(close(point(axis, 1.0, &scale, RADIUS), (0.0, 0.0)));
            let (x, y) = point(axis, 3.0, &scale, RADIUS);
            assert!(((x * x + y * y).sqrt() - RADIUS / 2.0).abs() < 1e-9);
        }
        // Out of range values are clamped, never drawn outside the chart.
        assert!(close(point(0, 9.0, &scale, 10.0), (0.0, -10.0)));
        assert!(close(point(0, -9.0, &scale, 10.0), (0.0, 0.0)));
        assert!(close(point(0, f64::NAN, &scale, 10.0), (0.0, 0.0)));
    }

    #[test]
    fn rings_lie_on_every_step_and_end_at_max() {
        assert_eq!(
            ring_values(&Scale::default()),
            vec![0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
        );
        let custom = Scale {
            min: 1.0,
            max: 5.0,
            step: 1.0,
        };
        assert_eq!(ring_values(&custom), vec![2.0, 3.0, 4.0, 5.0]);
        let fine = Scale {
            min: 0.0,
            max: 100.0,
            step: 1.0,
        };
        let rings = ring_values(&fine);
        assert!(rings.len() <= MAX_RINGS && rings.len() >= 5, "{rings:?}");
        assert_eq!(rings.last(), Some(&100.0));
        // A max that is not a multiple of the step still gets its outer ring.
        let odd = Scale {
            min: 0.0,
            max: 2.5,
            step: 1.0,
        };
        assert_eq!(ring_values(&odd), vec![1.0, 2.0, 2.5]);
        let broken = Scale {
            min: 0.0,
            max: 3.0,
            step: 0.0,
        };
        assert!(ring_values(&broken).is_empty());
    }

    #[test]
    fn custom_scale_draws_its_rings_and_values() {
        let scores = [Some(5.0); MARKER_COUNT];
        let series = [RadarSeries {
            label: "P",
            scores: &scores,
            class: "projet",
        }];
        let scale = Scale {
            min: 1.0,
            max: 5.0,
            step: 1.0,
        };
        let svg = radar_svg(&markers(), &scale, &series, "T", "D", "x");
        let root = parse_xml(&svg).unwrap();
        assert_eq!(count_class(&root, "radar-anneau"), 4);
        assert_eq!(count_class(&root, "radar-anneau-max"), 1);
        let graduations: Vec<String> = root
            .all()
            .iter()
            .filter(|(ancestors, e)| {
                e.name == "text" && ancestors.iter().any(|a| a.has_class("radar-graduations"))
            })
            .map(|(_, e)| e.text())
            .collect();
        assert_eq!(graduations, ["1", "2", "3", "4", "5"]);
        // Every vertex of a full-max series is on the outer ring.
        let outer = root
            .all()
            .into_iter()
            .find(|(_, e)| e.has_class("radar-anneau-max"))
            .unwrap()
            .1;
        let serie = root
            .all()
            .into_iter()
            .find(|(_, e)| e.has_class("radar-serie"))
            .unwrap()
            .1;
        assert_eq!(serie.attr("points"), outer.attr("points"));
    }

    #[test]
    fn default_scale_labels_rings_with_a_decimal_comma() {
        let root = parse_xml(&one(&FULL)).unwrap();
        assert_eq!(count_class(&root, "radar-anneau"), 6);
        let texts: Vec<String> = root
            .all()
            .iter()
            .filter(|(a, e)| e.name == "text" && a.iter().any(|a| a.has_class("radar-graduations")))
            .map(|(_, e)| e.text())
            .collect();
        assert_eq!(texts, ["0", "0,5", "1", "1,5", "2", "2,5", "3"]);
    }

    #[test]
    fn series_polygon_goes_through_every_assessed_score() {
        let root = parse_xml(&one(&FULL)).unwrap();
        let scale = Scale::default();
        let polygon = root
            .all()
            .into_iter()
            .find(|(_, e)| e.has_class("radar-serie"))
            .unwrap()
            .1;
        assert_eq!(polygon.name, "polygon");
        assert!(polygon.has_class("radar-serie-projet"));
        let points = parse_points(polygon.attr("points").unwrap());
        assert_eq!(points.len(), MARKER_COUNT);
        for (axis, p) in points.iter().enumerate() {
            let (x, y) = point(axis, FULL[axis].unwrap(), &scale, RADIUS);
            assert!(
                (p.0 - x).abs() <= 0.005 && (p.1 - y).abs() <= 0.005,
                "axis {axis}"
            );
        }
        assert_eq!(count_class(&root, "radar-point"), MARKER_COUNT);
        assert_eq!(count_class(&root, "radar-non-evalue"), 0);
        assert!(
            !one(&FULL).contains("n.é."),
            "no footnote without unassessed scores"
        );
    }

    #[test]
    fn unassessed_score_is_skipped_and_marked() {
        let mut scores = FULL;
        scores[4] = None;
        let svg = one(&scores);
        let root = parse_xml(&svg).unwrap();
        let scale = Scale::default();
        let polygon = root
            .all()
            .into_iter()
            .find(|(_, e)| e.has_class("radar-serie"))
            .unwrap()
            .1;
        let points = parse_points(polygon.attr("points").unwrap());
        assert_eq!(points.len(), MARKER_COUNT - 1);
        // No vertex on axis 4, in particular not at the centre (the minimum).
        let (dx, dy) = axis_direction(4);
        for p in &points {
            let along = p.0 * dx + p.1 * dy;
            let across = p.0 * dy - p.1 * dx;
            assert!(
                !(across.abs() < 0.01 && along >= -0.01),
                "vertex on axis 4: {p:?}"
            );
        }
        let expected: Vec<(f64, f64)> = (0..MARKER_COUNT)
            .filter(|a| *a != 4)
            .map(|a| point(a, scores[a].unwrap(), &scale, RADIUS))
            .collect();
        for (p, e) in points.iter().zip(&expected) {
            assert!((p.0 - e.0).abs() <= 0.005 && (p.1 - e.1).abs() <= 0.005);
        }
        assert_eq!(count_class(&root, "radar-point"), MARKER_COUNT - 1);
        let marks = with_class(&root, "radar-non-evalue");
        assert_eq!(marks.len(), 1);
        assert!(
            marks[0]
                .text()
                .contains("Place de la recherche : non évalué")
        );
        assert!(marks[0].text().contains("n.é."));
        assert!(svg.contains("non évalué</text>"), "footnote explains n.é.");
    }

    #[test]
    fn few_scores_give_dots_or_a_polyline() {
        let mut scores = [None; MARKER_COUNT];
        scores[2] = Some(2.0);
        let root = parse_xml(&one(&scores)).unwrap();
        assert_eq!(count_class(&root, "radar-serie"), 0);
        assert_eq!(count_class(&root, "radar-point"), 1);
        assert_eq!(count_class(&root, "radar-non-evalue"), 11);
        scores[7] = Some(0.0);
        let root = parse_xml(&one(&scores)).unwrap();
        let line = root
            .all()
            .into_iter()
            .find(|(_, e)| e.has_class("radar-serie"))
            .unwrap()
            .1;
        assert_eq!(line.name, "polyline");
        assert_eq!(line.attr("fill"), Some("none"));
        assert_eq!(parse_points(line.attr("points").unwrap()).len(), 2);
        assert_eq!(count_class(&root, "radar-point"), 2);
        let none = parse_xml(&one(&[None; MARKER_COUNT])).unwrap();
        assert_eq!(count_class(&none, "radar-point"), 0);
        assert_eq!(count_class(&none, "radar-serie"), 0);
    }

    #[test]
    fn root_is_an_accessible_image() {
        let svg = one(&FULL);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\""));
        let root = parse_xml(&svg).unwrap();
        assert_eq!(root.name, "svg");
        assert_eq!(root.attr("role"), Some("img"));
        // Named by its title, described by its desc: the description is read once, not
        // both as part of the name and as the description.
        assert_eq!(root.attr("aria-labelledby"), Some("r1-titre"));
        assert_eq!(root.attr("aria-describedby"), Some("r1-desc"));
        let title = root
            .all()
            .into_iter()
            .find(|(_, e)| e.attr("id") == Some("r1-titre"))
            .unwrap()
            .1;
        assert_eq!(
            (title.name.as_str(), title.text().as_str()),
            ("title", "Radar")
        );
        let desc = root
            .all()
            .into_iter()
            .find(|(_, e)| e.attr("id") == Some("r1-desc"))
            .unwrap()
            .1;
        assert_eq!(
            (desc.name.as_str(), desc.text().as_str()),
            ("desc", "Profil")
        );
        for forbidden in [
            "<script",
            "foreignObject",
            "href",
            "url(",
            "<image",
            "<style",
        ] {
            assert!(!svg.contains(forbidden), "{forbidden}");
        }
        assert_eq!(count_class(&root, "radar-axe"), MARKER_COUNT);
        assert_eq!(count_class(&root, "radar-libelle"), MARKER_COUNT);
        assert_eq!(
            count_class(&root, "radar-legende"),
            0,
            "no legend for one series"
        );
    }

    #[test]
    fn hostile_text_is_escaped() {
        let hostile = "</title><script>alert(1)</script> & \"q\" 'a'";
        let scores = FULL;
        let series = [
            RadarSeries {
                label: hostile,
                scores: &scores,
                class: "x\"><script>",
            },
            RadarSeries {
                label: "Médiane",
                scores: &scores,
                class: "mediane",
            },
        ];
        let mut names = markers();
        names[0].name = "<b>gras</b> & co".into();
        let svg = radar_svg(
            &names,
            &Scale::default(),
            &series,
            hostile,
            hostile,
            "a\" onload=\"x",
        );
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("<b>"));
        assert!(!svg.contains("onload=\""));
        let root = parse_xml(&svg).unwrap();
        let title = root
            .all()
            .into_iter()
            .find(|(_, e)| e.name == "title")
            .unwrap()
            .1;
        assert_eq!(title.text(), hostile);
        assert!(root.attr("aria-labelledby").unwrap().split(' ').all(|id| {
            id.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        }));
        let legend: String = root
            .all()
            .iter()
            .filter(|(a, e)| e.name == "text" && a.iter().any(|a| a.has_class("radar-legende")))
            .map(|(_, e)| e.text())
            .collect::<Vec<_>>()
            .join("|");
        assert!(
            legend.contains("</script>") && legend.contains("Médiane"),
            "{legend}"
        );
    }

    #[test]
    fn output_is_deterministic() {
        let mut scores = FULL;
        scores[9] = None;
        let median = [Some(1.5); MARKER_COUNT];
        let series = [
            RadarSeries {
                label: "Projet",
                scores: &scores,
                class: "projet",
            },
            RadarSeries {
                label: "Médiane",
                scores: &median,
                class: "mediane",
            },
        ];
        let a = radar_svg(&markers(), &Scale::default(), &series, "T", "D", "r");
        let b = radar_svg(&markers(), &Scale::default(), &series, "T", "D", "r");
        assert_eq!(a, b);
        // Numbers carry at most two decimals and never a negative zero.
        for token in a.split(['"', ' ', ',']) {
            if let Some((_, decimals)) = token.split_once('.')
                && token.parse::<f64>().is_ok()
            {
                assert!(decimals.len() <= 2, "{token}");
            }
            assert_ne!(token, "-0");
        }
        assert_eq!(&*num(-0.001), "0");
        assert_eq!(&*num(1.005_1), "1.01");
        assert_eq!(&*num(2.50), "2.5");
        assert_eq!(&*num(-3.0), "-3");
        assert_eq!(&*num(f64::NAN), "0");
    }

    /// `num` as it was before it was rewritten with integers: the reference it must match.
    fn reference_num(value: f64) -> String {
        if !value.is_finite() {
            return "0".to_string();
        }
        let text = format!("{value:.2}");
        let text = if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.')
        } else {
            &text
        };
        if text == "-0" {
            "0".to_string()
        } else {
            text.to_string()
        }
    }

    /// The `i`-th of a deterministic sequence of well-spread 64-bit patterns (Fibonacci
    /// hashing: `i` times 2^64 divided by the golden ratio).
    fn spread(i: u64) -> u64 {
        i.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    /// The `i`-th of a deterministic sequence of values spread over `0..1`.
    fn unit(i: u64) -> f64 {
        (spread(i) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// The values the sweep checks: specials, every thousandth in ±600 (every rounding
    /// boundary x.xx5 on its nearest float), every exact binary tie n/8 and every hundredth
    /// and half-hundredth in ±500 with its two neighbouring floats, powers of two around the fast
    /// path's limit, and pseudo-random floats: coordinates in ±2000 and raw bit patterns over
    /// the whole range (subnormals and huge values included). Each with its negation.
    fn sweep() -> Vec<f64> {
        let mut values = vec![
            0.0,
            f64::NAN,
            f64::INFINITY,
            f64::MIN_POSITIVE,
            f64::from_bits(1),
            f64::MAX,
            f64::EPSILON,
            0.005,
            0.015,
            0.125,
            0.375,
            1.005,
            2.675,
            4_503_599_627_370_495.5,
        ];
        for k in -600_000..=600_000 {
            values.push(f64::from(k) / 1000.0);
        }
        for n in -16_000..=16_000 {
            values.push(f64::from(n) / 8.0);
        }
        for n in -100_000..=100_000 {
            let v = f64::from(n) / 200.0;
            values.extend([v, v.next_up(), v.next_down()]);
        }
        for e in 40..60 {
            let v = 2f64.powi(e);
            values.extend([v, v.next_up(), v.next_down(), v + 0.5, v - 0.25]);
        }
        for i in 0..300_000 {
            values.push(unit(i) * 4000.0 - 2000.0);
            values.push(f64::from_bits(spread(i ^ 0x5EED_0000_0000)));
        }
        let negated: Vec<f64> = values.iter().map(|v| -v).collect();
        values.extend(negated);
        values
    }

    #[test]
    fn num_writes_exactly_what_float_formatting_wrote() {
        let values = sweep();
        assert!(values.len() > 4_000_000, "{}", values.len());
        for value in values {
            assert_eq!(
                &*num(value),
                reference_num(value),
                "{value:e} ({:#x})",
                value.to_bits()
            );
        }
        assert_eq!(&*num(-0.0), "0");
        assert_eq!(&*num(0.125), "0.12");
        assert_eq!(&*num(0.375), "0.38");
        assert_eq!(&*num(-2.675), "-2.67");
        assert_eq!(&*num(1e300), reference_num(1e300));
        assert_eq!(format!("[{}]", num(-12.5)), "[-12.5]");
    }

    /// Micro-benchmark of `num` beside the float formatting it replaced, in the same run:
    /// `cargo test --release --lib radar::tests::num_benchmark -- --ignored --nocapture`.
    #[test]
    #[ignore = "benchmark: run by hand in release mode"]
    fn num_benchmark() {
        use std::fmt::Write as _;
        use std::hint::black_box;
        use std::time::Instant;
        // Radar-like coordinates: points on five rings.
        let values: Vec<f64> = (0..200_000u64)
            .map(|i| (i % 5 + 1) as f64 * 24.5 * (unit(i) * TAU).cos())
            .collect();
        // Nanoseconds per value of `f` over every value, ten times.
        let per_value = |f: &mut dyn FnMut(f64)| {
            let start = Instant::now();
            for _ in 0..10 {
                for value in &values {
                    f(black_box(*value));
                }
            }
            start.elapsed().as_nanos() as f64 / (10 * values.len()) as f64
        };
        let mut out = String::with_capacity(64);
        let mut total = 0;
        for round in 0..3 {
            let old = per_value(&mut |value| {
                out.clear();
                let _ = write!(out, "{}", reference_num(value));
                black_box(&out);
            });
            let new = per_value(&mut |value| {
                out.clear();
                let _ = write!(out, "{}", num(value));
                black_box(&out);
            });
            let bare = per_value(&mut |value| total += num(value).len());
            println!(
                "round {round}: format!-based {old:.1} ns/value, integer {new:.1} ns/value \
                 ({bare:.1} ns without writing it), {:.1}× faster",
                old / new
            );
        }
        black_box(total);
    }

    #[test]
    fn labels_are_anchored_by_side_and_stay_outside_the_rings() {
        let anchors: Vec<Anchor> = (0..MARKER_COUNT).map(label_anchor).collect();
        assert_eq!(anchors[0], Anchor::Middle);
        assert_eq!(anchors[6], Anchor::Middle);
        assert!(anchors[1..6].iter().all(|a| *a == Anchor::Start));
        assert!(anchors[7..].iter().all(|a| *a == Anchor::End));
        let labels: Vec<AxisLabel> = (0..MARKER_COUNT)
            .map(|i| axis_label(i, MARKER_LABELS[i], RADIUS))
            .collect();
        assert!(labels[0].bounds.y1 <= -RADIUS, "top label above the chart");
        assert!(
            labels[6].bounds.y0 >= RADIUS,
            "bottom label below the chart"
        );
        assert!(labels[3].bounds.x0 >= RADIUS && labels[9].bounds.x1 <= -RADIUS);
        for (i, a) in labels.iter().enumerate() {
            // The box's closest point to the centre is outside the outer ring.
            let cx = 0.0_f64.clamp(a.bounds.x0, a.bounds.x1);
            let cy = 0.0_f64.clamp(a.bounds.y0, a.bounds.y1);
            assert!(
                (cx * cx + cy * cy).sqrt() >= RADIUS,
                "label {i} overlaps the rings"
            );
            assert!(a.lines.len() <= LABEL_MAX_LINES);
            for b in &labels[i + 1..] {
                let overlap = a.bounds.x0 < b.bounds.x1
                    && b.bounds.x0 < a.bounds.x1
                    && a.bounds.y0 < b.bounds.y1
                    && b.bounds.y0 < a.bounds.y1;
                assert!(!overlap, "labels {} and {} overlap", a.axis, b.axis);
            }
        }
    }

    #[test]
    fn long_names_wrap_on_balanced_lines_without_splitting_words() {
        assert_eq!(wrap_label("Gouvernance", 16, 3), ["Gouvernance"]);
        assert_eq!(
            wrap_label("Capacité de changement social", 16, 3),
            ["Capacité de", "changement social"]
        );
        assert_eq!(
            wrap_label("Intervention du collectif", 16, 3),
            ["Intervention", "du collectif"]
        );
        let long = "Contextualisation du besoin et de l'aspiration";
        let lines = wrap_label(long, 16, 3);
        assert!(lines.len() <= 3 && lines.len() >= 2);
        assert_eq!(lines.join(" "), long);
        let very_long = "un deux trois quatre cinq six sept huit neuf dix onze douze treize";
        let lines = wrap_label(very_long, 16, 3);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines.join(" "), very_long);
        assert_eq!(wrap_label("Anticonstitutionnellement", 16, 3).len(), 1);
        assert_eq!(
            wrap_label("Logique de service", 16, 3),
            ["Logique de", "service"]
        );
        assert_eq!(wrap_label("Logique  de", 16, 3), ["Logique de"]);
        assert!(wrap_label("", 16, 3).is_empty());
        assert_eq!(
            wrap_hard("abcdefghij klm", 4),
            ["abcd", "efgh", "ij", "klm"]
        );
    }

    fn assert_text_fits(svg: &str) {
        let root = parse_xml(svg).unwrap();
        let view = view_box(&root);
        let boxes = text_boxes(&root);
        assert!(boxes.len() >= MARKER_COUNT);
        for (text, b) in boxes {
            assert!(view.contains(&b), "{text:?} {b:?} outside {view:?}");
        }
        let half = RADIUS;
        assert!(view.contains(&Bounds {
            x0: -half,
            y0: -half,
            x1: half,
            y1: half
        }));
    }

    #[test]
    fn every_text_fits_in_the_view_box() {
        assert_text_fits(&one(&FULL));
        // Overridden, long marker names and long series labels.
        let mut names = markers();
        names[3].name = "Intervention effective et durable du collectif dans la conduite".into();
        names[9].name = "Logiqueextraordinairementlongue de service".into();
        names[0].name = "Contextualisation du besoin, de l'aspiration et du territoire".into();
        let scores = [Some(1.0); MARKER_COUNT];
        let labels = [
            "Projet au titre particulièrement long pour vérifier le retour à la ligne de la légende",
            "https://exemple.fr/un-lien-tres-long-sans-espace-aucun-qui-deborderait-forcement",
            "",
            "Médiane du département",
        ];
        let series: Vec<RadarSeries> = labels
            .iter()
            .map(|label| RadarSeries {
                label,
                scores: &scores,
                class: "s",
            })
            .collect();
        let svg = radar_svg(&names, &Scale::default(), &series, "T", "D", "r");
        assert_text_fits(&svg);
        let root = parse_xml(&svg).unwrap();
        assert_eq!(count_class(&root, "radar-legende-cle"), 4);
        // Missing markers fall back to the default labels.
        let svg = radar_svg(&[], &Scale::default(), &series[..1], "T", "D", "r");
        assert!(svg.contains("Gouvernance"));
        assert_text_fits(&svg);
    }

    /// A project and a median, as on a project page.
    fn project_and_median(options: RadarOptions) -> String {
        let mut median = [Some(1.5); MARKER_COUNT];
        median[2] = None;
        let series = [
            RadarSeries {
                label: "Projet",
                scores: &FULL,
                class: "projet",
            },
            RadarSeries {
                label: "Médiane du secteur",
                scores: &median,
                class: "mediane",
            },
        ];
        radar_svg_with(
            &markers(),
            &Scale::default(),
            &series,
            "T",
            "D",
            "r",
            options,
        )
    }

    #[test]
    fn numbered_axes_are_large_in_a_narrow_drawing_and_fit_it() {
        let numbered = RadarOptions {
            labels: AxisLabels::Numbers,
            ..RadarOptions::default()
        };
        let svg = project_and_median(numbered);
        assert_text_fits(&svg);
        let root = parse_xml(&svg).unwrap();
        let labels: Vec<String> = root
            .all()
            .into_iter()
            .filter(|(_, e)| e.has_class("radar-libelle"))
            .map(|(_, e)| e.text())
            .collect();
        let expected: Vec<String> = (1..=MARKER_COUNT).map(|n| n.to_string()).collect();
        assert_eq!(labels, expected);
        assert!(svg.contains("<title id=\"r-titre\">T (axes numérotés)</title>"));
        assert!(svg.contains(
            " Les axes sont numérotés de 1 à 12 dans l'ordre du tableau des marqueurs.</desc>"
        ));
        // Each number's tooltip names its marker.
        assert!(svg.contains(
            "<g><title>Place de la recherche</title><text class=\"radar-libelle radar-libelle-5\""
        ));
        // Drawn 358 px wide (a 390 px phone less the page's margins), the numbers and the
        // ring values are at least 12 px; the named layout would shrink its names below 9.
        let width = |svg: &str| {
            view_box(&parse_xml(svg).unwrap()).x1 - view_box(&parse_xml(svg).unwrap()).x0
        };
        let shown = |font: f64, svg: &str| font * 358.0 / width(svg);
        assert!(shown(NUMBERS.label_font, &svg) >= 12.0, "{}", width(&svg));
        assert!(shown(NUMBERS.ring_font, &svg) >= 12.0);
        let named = project_and_median(RadarOptions::default());
        assert!(shown(NAMES.label_font, &named) < 9.0, "{}", width(&named));
        // Same data either way: one polygon and the points of each series.
        for svg in [&svg, &named] {
            let root = parse_xml(svg).unwrap();
            assert_eq!(count_class(&root, "radar-point-projet"), MARKER_COUNT);
            assert_eq!(count_class(&root, "radar-point-mediane"), MARKER_COUNT - 1);
        }
        // Without its legend, the drawing ends below the chart.
        let bare = project_and_median(RadarOptions {
            labels: AxisLabels::Numbers,
            legend: false,
            ..RadarOptions::default()
        });
        assert_eq!(count_class(&parse_xml(&bare).unwrap(), "radar-legende"), 0);
        assert!(view_box(&parse_xml(&bare).unwrap()).y1 < view_box(&root).y1);
    }

    #[test]
    fn a_median_differs_from_the_project_by_line_and_point_shape() {
        let svg = project_and_median(RadarOptions::default());
        let root = parse_xml(&svg).unwrap();
        let shape = |class: &str| {
            root.all()
                .into_iter()
                .find(|(_, e)| e.has_class("radar-serie") && e.has_class(class))
                .unwrap()
                .1
        };
        let project = shape("radar-serie-projet");
        assert_eq!(project.attr("fill-opacity"), Some("0.18"));
        assert_eq!(project.attr("stroke-dasharray"), None);
        let median = shape("radar-serie-mediane");
        assert_eq!(median.attr("fill"), Some("none"), "no fill to mix colours");
        assert_eq!(median.attr("stroke-dasharray"), Some(REFERENCE_DASH));
        let all_named = |class: &str, name: &str| {
            let points = with_class(&root, class);
            !points.is_empty() && points.iter().all(|e| e.name == name)
        };
        assert!(all_named("radar-point-projet", "circle"));
        assert!(all_named("radar-point-mediane", "rect"));
        // The median's squares come first: a project's round point on the same spot is
        // drawn over it and stays visible.
        let first_circle = svg.find("<circle class=\"radar-point").unwrap();
        let last_square = svg.rfind("<rect class=\"radar-point").unwrap();
        assert!(last_square < first_circle);
        // The legend's keys are drawn the same way.
        let keys = with_class(&root, "radar-legende-cle");
        assert_eq!(keys.len(), 2);
        let names = |e: &Element| {
            e.children
                .iter()
                .filter_map(|c| match c {
                    Node::Element(e) => Some(e.name.clone()),
                    Node::Text(_) => None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(names(keys[0]), ["rect", "circle"]);
        assert_eq!(names(keys[1]), ["line", "rect"]);
        assert!(svg.contains(&format!("stroke-dasharray=\"{REFERENCE_DASH}\"/><rect")));
    }

    #[test]
    fn broken_input_does_not_panic() {
        let scores = [
            Some(f64::NAN),
            Some(f64::INFINITY),
            Some(-4.0),
            Some(99.0),
            None,
            None,
            Some(1.0),
            Some(1.0),
            Some(1.0),
            Some(1.0),
            Some(1.0),
            Some(1.0),
        ];
        let series = [RadarSeries {
            label: "P",
            scores: &scores,
            class: "",
        }];
        for scale in [
            Scale {
                min: 0.0,
                max: 3.0,
                step: 0.0,
            },
            Scale {
                min: 3.0,
                max: 0.0,
                step: 0.5,
            },
            Scale {
                min: f64::NAN,
                max: 3.0,
                step: 0.5,
            },
            Scale {
                min: 0.0,
                max: 1e12,
                step: 1e-12,
            },
        ] {
            let svg = radar_svg(&markers(), &scale, &series, "", "", "");
            let root = parse_xml(&svg).unwrap();
            assert_eq!(root.attr("aria-labelledby"), Some("radar-titre"));
            assert_eq!(root.attr("aria-describedby"), Some("radar-desc"));
            assert_eq!(count_class(&root, "radar-non-evalue"), 4);
            assert_text_fits(&svg);
        }
        assert_eq!(sanitize_token("12 ab", "radar"), "radar-12-ab");
        assert_eq!(sanitize_token("projet-x", "radar"), "projet-x");
    }

    #[test]
    fn series_colours_have_aa_contrast_on_white() {
        fn luminance(hex: &str) -> f64 {
            let channel = |i: usize| {
                let v = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
                if v <= 0.03928 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
        }
        let contrast = |hex: &str| 1.05 / (luminance(hex) + 0.05);
        for colour in SERIES_COLOURS.iter().chain(&[TEXT_COLOUR, MUTED_COLOUR]) {
            assert!(contrast(colour) >= 4.5, "{colour}: {}", contrast(colour));
        }
        assert!(contrast(GRID_COLOUR) >= 3.0 && contrast(OUTER_RING_COLOUR) >= 3.0);
    }

    #[test]
    #[ignore = "writes radar.svg and radar2.svg to the temp dir for a visual check"]
    fn render_sample() {
        let mut scores = FULL;
        scores[4] = None;
        let median = [
            Some(1.5),
            Some(2.0),
            Some(1.5),
            Some(2.0),
            Some(1.0),
            Some(2.5),
            Some(1.5),
            Some(2.0),
            Some(2.0),
            Some(1.5),
            Some(1.0),
            Some(2.0),
        ];
        let series = [RadarSeries {
            label: "L'Épicerie solidaire & partagée",
            scores: &scores,
            class: "projet",
        }];
        let svg = radar_svg(
            &markers(),
            &Scale::default(),
            &series,
            "Radar",
            "Profil",
            "r",
        );
        std::fs::write(std::env::temp_dir().join("radar.svg"), svg).unwrap();
        let two = [
            series[0],
            RadarSeries {
                label: "Médiane du catalogue",
                scores: &median,
                class: "mediane",
            },
        ];
        let svg = radar_svg(&markers(), &Scale::default(), &two, "Radar", "Profil", "r");
        std::fs::write(std::env::temp_dir().join("radar2.svg"), svg).unwrap();
    }
}

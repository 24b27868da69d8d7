//! Radar chart of the twelve markers: geometry in pure Rust, SVG markup from it.
//!
//! STUB: the radar helper replaces the bodies; the signatures are the contract.

use crate::model::{MarkerInfo, Scale, MARKER_COUNT};

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

/// Renders a radar as standalone-ready SVG markup (`<svg …>…</svg>`), with `role="img"`,
/// `<title>` and `<desc>`; `id` makes element ids unique when several radars share a page.
pub fn radar_svg(
    _markers: &[MarkerInfo],
    _scale: &Scale,
    _series: &[RadarSeries<'_>],
    _title: &str,
    _desc: &str,
    _id: &str,
) -> String {
    unimplemented!()
}

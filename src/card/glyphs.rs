//! Card text drawn from cached glyph masks: a glyph is rasterised once per weight, size and position within a pixel, then blended wherever it recurs.
//!
//! Drawing a card's text through resvg converted every glyph of every line to a path and
//! filled it afresh, which was most of a card's drawing time. Here each line is shaped with
//! harfrust (the shaper resvg uses, with its default features, kerning included), and each
//! glyph is rasterised by tiny-skia, as resvg does, once per build for each (weight, size,
//! glyph, horizontal phase). Outlines are hinted lightly (skrifa, vertical hinting only,
//! advances unchanged: the layout and line widths stay those of the unhinted font), and a
//! glyph's pen position is rounded to a whole pixel ([`PHASES`]) and its baseline too:
//! stems and baselines fall on pixel edges, so letters are sharper, and a letter drawn twice
//! on one line gives the same pixels both times, which DEFLATE stores as a repeat (cards
//! 7 % lighter than with resvg's unhinted text at fractional positions).

use super::{PixelRect, PlacedText, Weight};
use resvg::tiny_skia;
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// Horizontal positions a glyph may take within a pixel (its pen position is rounded to
/// `1 / PHASES` of a pixel): 1, whole pixels (4, quarter pixels, made cards 5 % heavier for
/// no visible gain).
pub const PHASES: i64 = 1;

/// A font of the embedded family, ready to shape and to give outlines.
struct Face {
    font: skrifa::FontRef<'static>,
    shaping: harfrust::ShaperData,
    units_per_em: f32,
}

/// The two embedded faces, parsed once per process.
fn face(weight: Weight) -> Option<&'static Face> {
    static FACES: OnceLock<[Option<Face>; 2]> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        [Weight::Regular, Weight::Bold].map(|weight| {
            let font = skrifa::FontRef::new(weight.bytes()).ok()?;
            let units_per_em = f32::from(
                font.metrics(Size::unscaled(), LocationRef::default())
                    .units_per_em,
            );
            Some(Face {
                shaping: harfrust::ShaperData::new(&font),
                font,
                units_per_em,
            })
        })
    });
    faces[match weight {
        Weight::Regular => 0,
        Weight::Bold => 1,
    }]
    .as_ref()
}

/// One glyph of a shaped line: its id and its pen position from the line's start, in pixels.
struct PlacedGlyph {
    id: u32,
    x: f32,
    y: f32,
}

/// Width of `text` set at `size` pixels as it is drawn here and by resvg: the sum of the
/// shaped advances, kerning included (what an SVG `text-anchor` centres or right-aligns).
pub fn shaped_width(text: &str, size: f64, weight: Weight) -> f64 {
    let Some(face) = face(weight) else {
        return super::text_width(text, size, weight);
    };
    let (_, advance) = shape(face, text, size as f32);
    f64::from(advance)
}

/// Shapes `text` at `size` pixels: the glyphs with their positions (advances, kerning and
/// marks from harfrust, in font units scaled to the size), and the pen position after the
/// last glyph.
fn shape(face: &Face, text: &str, size: f32) -> (Vec<PlacedGlyph>, f32) {
    let shaper = face.shaping.shaper(&face.font).build();
    let mut buffer = harfrust::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    let output = shaper.shape(buffer, harfrust::ShapeOptions::new());
    let scale = size / face.units_per_em;
    let mut pen = 0.0;
    let glyphs = output
        .glyph_infos()
        .iter()
        .zip(output.glyph_positions())
        .map(|(info, position)| {
            let glyph = PlacedGlyph {
                id: info.glyph_id,
                x: pen + position.x_offset as f32 * scale,
                y: -(position.y_offset as f32) * scale,
            };
            pen += position.x_advance as f32 * scale;
            glyph
        })
        .collect();
    (glyphs, pen)
}

/// A glyph's coverage, rasterised at one size and phase: `alpha` holds `width × height`
/// values, its top-left pixel at (`left`, `top`) from the pen position (whole pixels).
struct GlyphMask {
    left: i32,
    top: i32,
    width: usize,
    alpha: Vec<u8>,
}

/// Collects a glyph outline into a tiny-skia path.
struct PathPen(tiny_skia::PathBuilder);

impl OutlinePen for PathPen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0, cy0, x, y);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(cx0, cy0, cx1, cy1, x, y);
    }

    fn close(&mut self) {
        self.0.close();
    }
}

/// Rasterises glyph `id` of `face` at `size` pixels, hinted, its origin `phase / PHASES` of
/// a pixel right of a pixel's left edge; `None` for a glyph without outline (a space).
fn rasterise(face: &Face, id: u32, size: f32, phase: i64) -> Option<GlyphMask> {
    let outlines = face.font.outline_glyphs();
    let outline = outlines.get(skrifa::GlyphId::new(id))?;
    let mut pen = PathPen(tiny_skia::PathBuilder::new());
    let hinting = skrifa::outline::HintingInstance::new(
        &outlines,
        Size::new(size),
        LocationRef::default(),
        skrifa::outline::Target::Smooth {
            mode: skrifa::outline::SmoothMode::Light,
            symmetric_rendering: true,
            preserve_linear_metrics: true,
        },
    )
    .ok()?;
    outline
        .draw(DrawSettings::hinted(&hinting, false), &mut pen)
        .ok()?;
    let path = pen.0.finish()?;
    // A hinted outline is in pixels, y upwards; the canvas has y downwards.
    let placed =
        tiny_skia::Transform::from_row(1.0, 0.0, 0.0, -1.0, phase as f32 / PHASES as f32, 0.0);
    let bounds = path.clone().transform(placed)?.bounds();
    let left = bounds.left().floor() as i32 - 1;
    let top = bounds.top().floor() as i32 - 1;
    let width = (bounds.right().ceil() as i32 - left + 1).max(1) as u32;
    let height = (bounds.bottom().ceil() as i32 - top + 1).max(1) as u32;
    let mut mask = tiny_skia::Mask::new(width, height)?;
    mask.fill_path(
        &path,
        tiny_skia::FillRule::Winding,
        true,
        placed.post_translate(-left as f32, -top as f32),
    );
    Some(GlyphMask {
        left,
        top,
        width: width as usize,
        alpha: mask.take(),
    })
}

/// Which rasterised glyph: weight, size (bits of the `f32`), glyph id, phase.
type GlyphKey = (u8, u32, u32, u8);

/// Glyph masks rasterised so far, shared by the threads of one build.
#[derive(Default)]
pub struct GlyphCache {
    masks: Mutex<HashMap<GlyphKey, Option<Arc<GlyphMask>>>>,
}

impl GlyphCache {
    /// The mask of a glyph, rasterised on first use.
    fn mask(
        &self,
        face: &Face,
        weight: Weight,
        size: f32,
        id: u32,
        phase: i64,
    ) -> Option<Arc<GlyphMask>> {
        let key = (weight as u8, size.to_bits(), id, phase as u8);
        if let Some(mask) = self
            .masks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return mask.clone();
        }
        // Rasterised outside the lock; two threads may both rasterise a new glyph, with the
        // same result.
        let mask = rasterise(face, id, size, phase).map(Arc::new);
        self.masks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, mask.clone());
        mask
    }

    /// Draws `text` over the premultiplied RGBA `pixmap`, clipped to it; returns the
    /// rectangle of the pixels its glyphs' masks cover (`None` if none is on the pixmap).
    pub fn draw(&self, text: &PlacedText, pixmap: &mut tiny_skia::Pixmap) -> Option<PixelRect> {
        let face = face(text.weight)?;
        let mut covered: Option<PixelRect> = None;
        let colour = parse_colour(&text.fill);
        let size = text.size as f32;
        let (width, height) = (pixmap.width() as i64, pixmap.height() as i64);
        let data = pixmap.data_mut();
        for glyph in shape(face, &text.text, size).0 {
            let x = ((text.x as f32 + glyph.x) * PHASES as f32).round() as i64;
            let (pixel_x, phase) = (x.div_euclid(PHASES), x.rem_euclid(PHASES));
            let pixel_y = (text.y as f32 + glyph.y).round() as i64;
            let Some(mask) = self.mask(face, text.weight, size, glyph.id, phase) else {
                continue;
            };
            // The mask's columns that fall on the canvas, the same for every row.
            let left = pixel_x + i64::from(mask.left);
            let first = (-left).clamp(0, mask.width as i64) as usize;
            let end = (width - left).clamp(first as i64, mask.width as i64) as usize;
            if first == end {
                continue;
            }
            let rows = (pixel_y + i64::from(mask.top)).clamp(0, height)
                ..(pixel_y + i64::from(mask.top) + (mask.alpha.len() / mask.width) as i64)
                    .clamp(0, height);
            if !rows.is_empty() {
                let glyph_rect = PixelRect {
                    left: (left + first as i64) as usize,
                    top: rows.start as usize,
                    right: (left + end as i64) as usize,
                    bottom: rows.end as usize,
                };
                covered = Some(covered.map_or(glyph_rect, |rect| rect.union(glyph_rect)));
            }
            for (row, coverage) in mask.alpha.chunks_exact(mask.width).enumerate() {
                let y = pixel_y + i64::from(mask.top) + row as i64;
                if !(0..height).contains(&y) {
                    continue;
                }
                let at = ((y * width + left + first as i64) * 4) as usize;
                let pixels = data[at..at + (end - first) * 4].chunks_exact_mut(4);
                for (pixel, alpha) in pixels.zip(&coverage[first..end]) {
                    match *alpha {
                        0 => {}
                        // What `blend` gives at full coverage, without the arithmetic.
                        255 => pixel.copy_from_slice(&colour),
                        alpha => blend(pixel, colour, alpha),
                    }
                }
            }
        }
        covered
    }
}

/// Blends the opaque `colour` at coverage `alpha` over one premultiplied RGBA pixel.
fn blend(pixel: &mut [u8], colour: [u8; 4], alpha: u8) {
    let (a, keep) = (u32::from(alpha), 255 - u32::from(alpha));
    for (target, source) in pixel.iter_mut().zip(colour) {
        *target = ((u32::from(source) * a + u32::from(*target) * keep + 127) / 255) as u8;
    }
}

/// `#rrggbb` as opaque RGBA (black for anything else: the colours are constants of the card).
fn parse_colour(hex: &str) -> [u8; 4] {
    let channel = |i: usize| {
        hex.get(1 + 2 * i..3 + 2 * i)
            .and_then(|c| u8::from_str_radix(c, 16).ok())
            .unwrap_or(0)
    };
    [channel(0), channel(1), channel(2), 255]
}

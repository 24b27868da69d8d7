//! Maps of the region: Lambert-93 projection and Douglas–Peucker simplification (used by the
//! outline derivation tool), and the SVG maps drawn at build time from the embedded outlines.
//!
//! The outlines are derived once, in the repository, by `examples/derive_cartes.rs` from the
//! IGN Admin Express (COG 2018) GeoJSON extracts: projected to Lambert-93, fitted into a
//! viewBox about 1,000 units high (north up), simplified and rounded to integers, written as
//! SVG path data in `data/territoires/carte-departements.tsv` (two levels of detail) with one
//! point per current commune in `data/territoires/centroides-communes.tsv`. At build time
//! nothing is projected: the tables are parsed once and the paths pasted into the markup.

use crate::escape;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

const DEPARTMENTS_TSV: &str = include_str!("../data/territoires/carte-departements.tsv");
const CENTROIDS_TSV: &str = include_str!("../data/territoires/centroides-communes.tsv");

/// Credit line shown under every map (the sources of the outlines and of the codes).
pub const CREDIT: &str = "Sources : INSEE COG 2026 via Etalab ; IGN Admin Express";

// ---------------------------------------------------------------------------------------------
// Geometry (pure functions, unit-tested; used by the derivation tool)
// ---------------------------------------------------------------------------------------------

/// A point in a plane (projected metres, or viewBox units).
pub type Point = (f64, f64);

/// Projects WGS84 / RGF93 longitude and latitude (degrees) to Lambert-93 (EPSG:2154) metres:
/// the conformal conic projection of the official French maps (GRS80 ellipsoid, standard
/// parallels 44° and 49° N, origin 3° E 46.5° N at 700,000 / 6,600,000 m). `y` grows northwards.
pub fn lambert93(longitude: f64, latitude: f64) -> Point {
    const A: f64 = 6_378_137.0;
    const E: f64 = 0.081_819_191_042_815_8;
    let m = |phi: f64| phi.cos() / (1.0 - (E * phi.sin()).powi(2)).sqrt();
    let t = |phi: f64| {
        let s = E * phi.sin();
        (std::f64::consts::FRAC_PI_4 - phi / 2.0).tan() / ((1.0 - s) / (1.0 + s)).powf(E / 2.0)
    };
    let (phi1, phi2, phi0) = (44f64.to_radians(), 49f64.to_radians(), 46.5f64.to_radians());
    let n = (m(phi1).ln() - m(phi2).ln()) / (t(phi1).ln() - t(phi2).ln());
    let f = m(phi1) / (n * t(phi1).powf(n));
    let rho = |phi: f64| A * f * t(phi).powf(n);
    let theta = n * (longitude - 3.0).to_radians();
    let r = rho(latitude.to_radians());
    (
        700_000.0 + r * theta.sin(),
        6_600_000.0 + rho(phi0) - r * theta.cos(),
    )
}

/// The affine map from projected metres to viewBox units: scaled, `y` flipped so that north is
/// up, with a margin around the bounding box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    min_x: f64,
    max_y: f64,
    scale: f64,
    margin: f64,
    /// Width of the viewBox.
    pub width: f64,
    /// Height of the viewBox.
    pub height: f64,
}

impl Frame {
    /// Fits the bounding box `(min, max)` of projected points into a viewBox whose larger side
    /// is `size` units, margins included.
    pub fn fit(min: Point, max: Point, size: f64, margin: f64) -> Frame {
        let span = (max.0 - min.0).max(max.1 - min.1).max(f64::MIN_POSITIVE);
        let scale = (size - 2.0 * margin) / span;
        Frame {
            min_x: min.0,
            max_y: max.1,
            scale,
            margin,
            width: ((max.0 - min.0) * scale + 2.0 * margin).ceil(),
            height: ((max.1 - min.1) * scale + 2.0 * margin).ceil(),
        }
    }

    /// A projected point in viewBox units (`y` downwards, as in SVG).
    pub fn to_view(&self, point: Point) -> Point {
        (
            self.margin + (point.0 - self.min_x) * self.scale,
            self.margin + (self.max_y - point.1) * self.scale,
        )
    }
}

/// Distance from `p` to the segment `a`–`b`.
fn segment_distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length2 = dx * dx + dy * dy;
    let t = if length2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((p.0 - a.0 - t * dx).powi(2) + (p.1 - a.1 - t * dy).powi(2)).sqrt()
}

/// Douglas–Peucker simplification of an open line: keeps both ends and every point farther than
/// `tolerance` from the simplified line (iterative, so any length is safe).
pub fn simplify(points: &[Point], tolerance: f64) -> Vec<Point> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0, points.len() - 1)];
    while let Some((first, last)) = stack.pop() {
        let mut farthest = (0.0, first);
        for (i, &p) in points.iter().enumerate().take(last).skip(first + 1) {
            let d = segment_distance(p, points[first], points[last]);
            if d > farthest.0 {
                farthest = (d, i);
            }
        }
        if farthest.0 > tolerance {
            keep[farthest.1] = true;
            stack.push((first, farthest.1));
            stack.push((farthest.1, last));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

/// Simplifies a closed ring (first point repeated last, or not): split at the point farthest
/// from the first, each half simplified, so that the ring keeps its extent. Returns the ring
/// without the closing point.
pub fn simplify_ring(ring: &[Point], tolerance: f64) -> Vec<Point> {
    let mut ring = ring.to_vec();
    if ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    if ring.len() < 4 {
        return ring;
    }
    let start = ring[0];
    let far = (1..ring.len())
        .max_by(|&a, &b| {
            let da = (ring[a].0 - start.0).hypot(ring[a].1 - start.1);
            let db = (ring[b].0 - start.0).hypot(ring[b].1 - start.1);
            da.total_cmp(&db)
        })
        .unwrap_or(1);
    let mut closed = ring.clone();
    closed.push(start);
    let mut out = simplify(&closed[..=far], tolerance);
    out.pop();
    out.extend(simplify(&closed[far..], tolerance));
    out.pop();
    out
}

/// Area of a ring by the shoelace formula (positive when counter-clockwise in a y-up plane).
pub fn signed_area(ring: &[Point]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum::<f64>()
        / 2.0
}

/// SVG path data for rings of integer points, in relative moves (`m`, `l`, `z`), the most
/// compact form: one subpath per ring. Rings with fewer than three distinct points are dropped.
pub fn path_data(rings: &[Vec<(i64, i64)>]) -> String {
    let mut d = String::new();
    let mut pen = (0i64, 0i64);
    for ring in rings {
        let mut points = ring.clone();
        points.dedup();
        if points.len() > 1 && points.first() == points.last() {
            points.pop();
        }
        if points.len() < 3 {
            continue;
        }
        for (i, &(x, y)) in points.iter().enumerate() {
            let (dx, dy) = (x - pen.0, y - pen.1);
            if i == 0 {
                push_pair(&mut d, 'm', dx, dy);
            } else if i == 1 {
                push_pair(&mut d, 'l', dx, dy);
            } else {
                push_pair(&mut d, ' ', dx, dy);
            }
            pen = (x, y);
        }
        d.push('z');
        // After `z` the pen returns to the subpath's first point.
        pen = points[0];
    }
    d.trim().to_string()
}

/// Appends a command letter (or a separator) and a coordinate pair; a minus sign doubles as a
/// separator, as SVG allows.
fn push_pair(d: &mut String, command: char, dx: i64, dy: i64) {
    if command != ' ' {
        d.push(command);
    } else if dx >= 0 {
        d.push(' ');
    }
    let _ = write!(d, "{dx}");
    if dy >= 0 {
        d.push(' ');
    }
    let _ = write!(d, "{dy}");
}

// ---------------------------------------------------------------------------------------------
// Embedded outlines
// ---------------------------------------------------------------------------------------------

/// The outline of one department, ready to paste into SVG.
#[derive(Debug)]
pub struct DepartmentShape {
    /// INSEE code.
    pub code: &'static str,
    /// Where its label goes (viewBox units).
    pub label: (i64, i64),
    /// Path data of the detailed outline (region map).
    pub detailed: &'static str,
    /// Path data of the coarse outline (small locator maps).
    pub coarse: &'static str,
}

/// The embedded outlines, parsed once.
#[derive(Debug)]
pub struct Outlines {
    /// viewBox width.
    pub width: i64,
    /// viewBox height.
    pub height: i64,
    /// The five departments, in code order.
    pub departments: Vec<DepartmentShape>,
    /// Current commune INSEE code -> its point (centroid of its 2018 outlines).
    centroids: HashMap<&'static str, (i64, i64)>,
}

impl Outlines {
    /// The shared instance (parsed on first use; malformed lines are skipped, never a panic).
    pub fn region() -> &'static Outlines {
        static OUTLINES: OnceLock<Outlines> = OnceLock::new();
        OUTLINES.get_or_init(Outlines::parse)
    }

    fn parse() -> Outlines {
        let mut width = 1000;
        let mut height = 1000;
        let mut departments = Vec::new();
        for line in DEPARTMENTS_TSV.lines() {
            let cells: Vec<&'static str> = line.split('\t').collect();
            match cells.as_slice() {
                ["viewbox", w, h] => {
                    width = w.parse().unwrap_or(width);
                    height = h.parse().unwrap_or(height);
                }
                [code, x, y, detailed, coarse] if code.len() == 2 => {
                    if let (Ok(x), Ok(y)) = (x.parse(), y.parse()) {
                        departments.push(DepartmentShape {
                            code,
                            label: (x, y),
                            detailed,
                            coarse,
                        });
                    }
                }
                _ => {}
            }
        }
        departments.sort_by_key(|d| d.code);
        let centroids = CENTROIDS_TSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut cells = line.split('\t');
                let code = cells.next()?;
                let x = cells.next()?.parse().ok()?;
                let y = cells.next()?.parse().ok()?;
                Some((code, (x, y)))
            })
            .collect();
        Outlines {
            width,
            height,
            departments,
            centroids,
        }
    }

    /// The point of a current commune (`None` when its outline is unknown).
    pub fn commune_point(&self, code: &str) -> Option<(i64, i64)> {
        self.centroids.get(code).copied()
    }

    /// Number of communes with a point.
    pub fn commune_count(&self) -> usize {
        self.centroids.len()
    }
}

// ---------------------------------------------------------------------------------------------
// SVG
// ---------------------------------------------------------------------------------------------

/// One class of the choropleth: a range of project counts and how it is drawn.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Class {
    /// Smallest count of the class.
    pub min: usize,
    /// Largest count of the class.
    pub max: usize,
    /// Fill colour.
    pub couleur: &'static str,
    /// Whether the class is hatched (the empty class), so that it does not rest on colour alone.
    pub hachures: bool,
    /// Legend text ("0 projet", "1 à 3 projets").
    pub libelle: String,
}

/// Fills from light to dark (blues); the labels are drawn on a white halo, so their contrast
/// does not depend on the fill.
const FILLS: [&str; 4] = ["#dbe8f5", "#9ec4e6", "#4f8fcc", "#1f5a99"];
/// Fill of the class "0 projet" (with hatching).
const EMPTY_FILL: &str = "#f4f4f4";

/// The classes of counts for a map whose largest count is `max`: "0 projet" (hatched), then up
/// to four ranges of equal width over 1..=max, lightest to darkest.
pub fn classes(max: usize) -> Vec<Class> {
    let mut classes = vec![Class {
        min: 0,
        max: 0,
        couleur: EMPTY_FILL,
        hachures: true,
        libelle: "aucun projet".into(),
    }];
    if max == 0 {
        return classes;
    }
    let steps = max.min(FILLS.len());
    let mut low = 1;
    for step in 0..steps {
        let high = if step + 1 == steps {
            max
        } else {
            (max * (step + 1)).div_ceil(steps).max(low)
        };
        let libelle = if low == high {
            format!("{low} projet{}", if low > 1 { "s" } else { "" })
        } else {
            format!("{low} à {high} projets")
        };
        // Spread the colours over the whole ramp when there are fewer classes than colours.
        let colour = FILLS[(step * (FILLS.len() - 1)) / (steps - 1).max(1)];
        classes.push(Class {
            min: low,
            max: high,
            couleur: colour,
            hachures: false,
            libelle,
        });
        low = high + 1;
        if low > max {
            break;
        }
    }
    classes
}

/// The class of a count.
fn class_of(classes: &[Class], count: usize) -> &Class {
    classes
        .iter()
        .find(|c| count >= c.min && count <= c.max)
        .unwrap_or(&classes[0])
}

/// A department as shown on the region map.
#[derive(Debug, Clone)]
pub struct MapDepartment<'a> {
    /// INSEE code.
    pub code: &'a str,
    /// Name.
    pub name: &'a str,
    /// Number of projects.
    pub count: usize,
    /// Link to its page, relative to the page showing the map.
    pub href: String,
}

/// "3 projets", "1 projet", "aucun projet".
pub fn projects_text(count: usize) -> String {
    match count {
        0 => "aucun projet".into(),
        1 => "1 projet".into(),
        n => format!("{n} projets"),
    }
}

/// The region map: each department shaded by its class and drawn as a link to its page, with its
/// name and count written on a white halo. The SVG keeps its implicit role (`graphics-document`,
/// a container: `role="img"` would hide its links from assistive technologies, and the HTML
/// checker refuses `role="group"` on `<svg>`) and is named by its `<title>`; the page gives
/// the same figures as a table. `id` prefixes the ids used inside (one map per page).
pub fn region_map_svg(departments: &[MapDepartment<'_>], classes: &[Class], id: &str) -> String {
    region_map_svg_in(
        departments,
        classes,
        id,
        &RegionMapTexts {
            title: REGION_MAP_TITLE,
            count: &projects_text,
            department: &|name, count| format!("{name} : {count}"),
        },
    )
}

/// Title of the region map, in French.
pub const REGION_MAP_TITLE: &str =
    "Carte des départements des Hauts-de-France selon le nombre de projets";

/// The texts of the region map, in the page's language.
pub struct RegionMapTexts<'t> {
    /// The map's title.
    pub title: &'t str,
    /// A number of projects ("3 projets").
    pub count: &'t dyn Fn(usize) -> String,
    /// A department's tooltip from its (escaped) name and its count text ("Nord : 3 projets").
    pub department: &'t dyn Fn(&str, &str) -> String,
}

/// [`region_map_svg`] with its texts in another language.
pub fn region_map_svg_in(
    departments: &[MapDepartment<'_>],
    classes: &[Class],
    id: &str,
    texts: &RegionMapTexts<'_>,
) -> String {
    let outlines = Outlines::region();
    let id = escape::html(id);
    let mut svg = String::with_capacity(24 * 1024);
    let _ = write!(
        svg,
        r##"<svg class="geo-carte geo-region" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" aria-labelledby="{id}-titre"><title id="{id}-titre">{title}</title><defs><pattern id="{id}-hachures" patternUnits="userSpaceOnUse" width="16" height="16" patternTransform="rotate(45)"><rect width="16" height="16" fill="{EMPTY_FILL}"/><line x1="0" y1="0" x2="0" y2="16" stroke="#8a8a8a" stroke-width="3"/></pattern></defs>"##,
        w = outlines.width,
        h = outlines.height,
        title = escape::html(texts.title),
    );
    for shape in &outlines.departments {
        let Some(department) = departments.iter().find(|d| d.code == shape.code) else {
            continue;
        };
        let class = class_of(classes, department.count);
        let fill = if class.hachures {
            format!("url(#{id}-hachures)")
        } else {
            class.couleur.to_string()
        };
        let name = escape::html(department.name);
        let count = escape::html(&(texts.count)(department.count)).into_owned();
        let tooltip = (texts.department)(&name, &count);
        let _ = write!(
            svg,
            r##"<a href="{href}" class="geo-departement"><title>{tooltip}</title><path d="{d}" fill="{fill}" stroke="#1e1e1e" stroke-width="2" stroke-linejoin="round"/><text x="{x}" y="{y}" text-anchor="middle" class="geo-etiquette" fill="#1a1a1a" stroke="#ffffff" stroke-width="7" stroke-linejoin="round" paint-order="stroke" font-size="30"><tspan x="{x}" font-weight="bold">{name}</tspan><tspan x="{x}" dy="1.2em">{count}</tspan></text></a>"##,
            href = escape::html(&department.href),
            d = shape.detailed,
            x = shape.label.0,
            y = shape.label.1 - 10,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A small locator map: the five departments in outline, those of `highlighted` filled, a small
/// grey dot at each of `minor` and a red dot at each of `points`. An image (`role="img"`) named
/// by `title`.
pub fn locator_svg(
    highlighted: &[&str],
    minor: &[(i64, i64)],
    points: &[(i64, i64)],
    title: &str,
    id: &str,
) -> String {
    let outlines = Outlines::region();
    let id = escape::html(id);
    let mut svg = String::with_capacity(8 * 1024);
    let _ = write!(
        svg,
        r#"<svg class="geo-carte geo-situation" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-titre"><title id="{id}-titre">{title}</title>"#,
        w = outlines.width,
        h = outlines.height,
        title = escape::html(title),
    );
    for shape in &outlines.departments {
        let fill = if highlighted.contains(&shape.code) {
            FILLS[0]
        } else {
            "#ffffff"
        };
        let _ = write!(
            svg,
            r##"<path d="{d}" fill="{fill}" stroke="#505050" stroke-width="4" stroke-linejoin="round"/>"##,
            d = shape.coarse,
        );
    }
    for (x, y) in minor {
        let _ = write!(svg, r##"<circle cx="{x}" cy="{y}" r="4" fill="#505050"/>"##);
    }
    for (x, y) in points {
        let _ = write!(
            svg,
            r##"<circle cx="{x}" cy="{y}" r="16" fill="#b3261e" stroke="#ffffff" stroke-width="5"/>"##
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The bounding box `(min, max)` of path data made by [`path_data`] (relative `m`, `l`, `z`
/// with integer pairs), or `None` when it holds no point.
pub fn path_bounds(d: &str) -> Option<((i64, i64), (i64, i64))> {
    /// The pen's walk through the path.
    struct Walk {
        pen: (i64, i64),
        start: (i64, i64),
        command: char,
        pending: Option<i64>,
        bounds: Option<((i64, i64), (i64, i64))>,
    }
    impl Walk {
        /// Takes one number; every second one completes a relative move.
        fn number(&mut self, token: &mut String) {
            let Ok(n) = token.parse::<i64>() else {
                token.clear();
                return;
            };
            token.clear();
            let Some(dx) = self.pending.take() else {
                self.pending = Some(n);
                return;
            };
            self.pen = (self.pen.0 + dx, self.pen.1 + n);
            if self.command == 'm' {
                self.start = self.pen;
                // Further pairs after a move are lines (SVG rule).
                self.command = 'l';
            }
            let p = self.pen;
            let b = self.bounds.get_or_insert((p, p));
            b.0 = (b.0.0.min(p.0), b.0.1.min(p.1));
            b.1 = (b.1.0.max(p.0), b.1.1.max(p.1));
        }
    }
    let mut walk = Walk {
        pen: (0, 0),
        start: (0, 0),
        command: 'm',
        pending: None,
        bounds: None,
    };
    let mut token = String::new();
    for c in d.chars().chain(std::iter::once(' ')) {
        match c {
            '0'..='9' => token.push(c),
            '-' => {
                walk.number(&mut token);
                token.push('-');
            }
            _ => {
                walk.number(&mut token);
                if c == 'z' || c == 'Z' {
                    walk.pen = walk.start;
                } else if c.is_ascii_alphabetic() {
                    walk.command = c;
                }
            }
        }
    }
    walk.bounds
}

/// A commune marked on a department map.
#[derive(Debug, Clone)]
pub struct MarkedCommune<'a> {
    /// INSEE code.
    pub code: &'a str,
    /// Name.
    pub name: &'a str,
    /// Number of projects acting there.
    pub count: usize,
}

/// Fill of the marks of communes with projects (the locator maps' red).
const MARK_FILL: &str = "#b3261e";

/// The map of one department: its detailed outline (the region map's, cropped by the
/// viewBox), every commune of `communes` as a small grey dot (all in one path, a few bytes
/// each) and each commune of `marked` as a larger red disc ringed in white, whose area grows
/// with its count; sizes, not only colours, tell them apart. An image (`role="img"`) named by
/// `title`, whose text equivalent the page gives as a list. `None` for an unknown department.
pub fn department_map_svg(
    department: &str,
    communes: &[&str],
    marked: &[MarkedCommune<'_>],
    title: &str,
    id: &str,
) -> Option<String> {
    let outlines = Outlines::region();
    let shape = outlines.departments.iter().find(|d| d.code == department)?;
    let ((min_x, min_y), (max_x, max_y)) = path_bounds(shape.detailed)?;
    const MARGIN: i64 = 12;
    let id = escape::html(id);
    let mut svg = String::with_capacity(12 * 1024);
    let _ = write!(
        svg,
        r##"<svg class="geo-carte geo-departement-carte" xmlns="http://www.w3.org/2000/svg" viewBox="{x} {y} {w} {h}" role="img" aria-labelledby="{id}-titre"><title id="{id}-titre">{title}</title><path d="{d}" fill="#eef3f9" stroke="#505050" stroke-width="2.5" stroke-linejoin="round"/>"##,
        x = min_x - MARGIN,
        y = min_y - MARGIN,
        w = max_x - min_x + 2 * MARGIN,
        h = max_y - min_y + 2 * MARGIN,
        title = escape::html(title),
        d = shape.detailed,
    );
    // Every commune: a zero-length segment with a round cap draws a dot.
    let mut dots = String::with_capacity(communes.len() * 9);
    let mut pen: Option<(i64, i64)> = None;
    for point in communes.iter().filter_map(|c| outlines.commune_point(c)) {
        match pen {
            None => {
                let _ = write!(dots, "M{} {}h0", point.0, point.1);
            }
            Some(p) => push_pair(&mut dots, 'm', point.0 - p.0, point.1 - p.1),
        }
        if pen.is_some() {
            dots.push_str("h0");
        }
        pen = Some(point);
    }
    if !dots.is_empty() {
        let _ = write!(
            svg,
            r##"<path d="{dots}" stroke="#7a7a7a" stroke-width="4" stroke-linecap="round"/>"##
        );
    }
    let mut marks: Vec<(&MarkedCommune<'_>, (i64, i64))> = marked
        .iter()
        .filter_map(|m| Some((m, outlines.commune_point(m.code)?)))
        .collect();
    // Largest first, so a small mark is never hidden under a larger neighbour.
    marks.sort_by_key(|(m, _)| std::cmp::Reverse(m.count));
    for (mark, (x, y)) in marks {
        let radius = 7.0 + 3.0 * ((mark.count.max(1) - 1) as f64).sqrt();
        let _ = write!(
            svg,
            r##"<circle cx="{x}" cy="{y}" r="{radius:.1}" fill="{MARK_FILL}" stroke="#ffffff" stroke-width="2.5"/>"##
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambert93_origin_and_known_points() {
        let (x, y) = lambert93(3.0, 46.5);
        assert!((x - 700_000.0).abs() < 0.01 && (y - 6_600_000.0).abs() < 0.01);
        // Notre-Dame de Paris, published Lambert-93 coordinates about (652 470, 6 861 690).
        let (x, y) = lambert93(2.349_9, 48.853_0);
        assert!((x - 652_470.0).abs() < 200.0, "x = {x}");
        assert!((y - 6_861_690.0).abs() < 200.0, "y = {y}");
    }

    #[test]
    fn frame_keeps_north_up_and_points_inside() {
        let lille = lambert93(3.057, 50.629);
        let amiens = lambert93(2.296, 49.894);
        let laon = lambert93(3.624, 49.564);
        let min = (lille.0.min(amiens.0), laon.1);
        let max = (laon.0, lille.1);
        let frame = Frame::fit(min, max, 1000.0, 10.0);
        assert!(frame.width <= 1000.0 && frame.height <= 1000.0);
        for p in [lille, amiens, laon] {
            let (x, y) = frame.to_view(p);
            assert!((0.0..=frame.width).contains(&x), "{x}");
            assert!((0.0..=frame.height).contains(&y), "{y}");
        }
        // Lille is north of Amiens: smaller y on screen. Laon is east of Amiens: larger x.
        assert!(frame.to_view(lille).1 < frame.to_view(amiens).1);
        assert!(frame.to_view(laon).0 > frame.to_view(amiens).0);
    }

    #[test]
    fn simplification_drops_points_and_keeps_ends() {
        let line: Vec<Point> = (0..=100)
            .map(|i| (i as f64, (i as f64 * 0.3).sin() * 0.2))
            .collect();
        let simple = simplify(&line, 0.5);
        assert_eq!(simple, [(0.0, 0.0), line[100]]);
        // A real corner is kept.
        let corner = [(0.0, 0.0), (5.0, 0.1), (10.0, 0.0), (10.0, 10.0)];
        assert_eq!(
            simplify(&corner, 1.0),
            [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]
        );
        assert_eq!(simplify(&corner[..2], 1.0), corner[..2]);
    }

    #[test]
    fn ring_simplification_keeps_the_extent() {
        let ring: Vec<Point> = (0..360)
            .map(|deg| {
                let a = (deg as f64).to_radians();
                (100.0 * a.cos(), 100.0 * a.sin())
            })
            .collect();
        let simple = simplify_ring(&ring, 2.0);
        assert!(simple.len() < 40 && simple.len() >= 8, "{}", simple.len());
        assert_eq!(simple[0], ring[0]);
        assert!(simple.contains(&ring[180]));
        assert!(signed_area(&simple) > 0.9 * signed_area(&ring));
    }

    #[test]
    fn path_data_is_relative_and_closed() {
        let d = path_data(&[vec![(10, 10), (20, 10), (20, 20), (10, 10)], vec![(1, 1)]]);
        assert_eq!(d, "m10 10l10 0 0 10z");
        let d = path_data(&[
            vec![(10, 10), (20, 10), (20, 20)],
            vec![(5, 5), (6, 5), (6, 4)],
        ]);
        assert_eq!(d, "m10 10l10 0 0 10zm-5-5l1 0 0-1z");
    }

    #[test]
    fn classes_cover_every_count_once() {
        for max in 0..30 {
            let classes = classes(max);
            for count in 0..=max {
                let hits = classes
                    .iter()
                    .filter(|c| count >= c.min && count <= c.max)
                    .count();
                assert_eq!(hits, 1, "max {max}, count {count}: {classes:?}");
            }
            assert!(classes.len() <= 5);
        }
        let c = classes(12);
        let labels: Vec<&str> = c.iter().map(|c| c.libelle.as_str()).collect();
        assert_eq!(
            labels,
            [
                "aucun projet",
                "1 à 3 projets",
                "4 à 6 projets",
                "7 à 9 projets",
                "10 à 12 projets"
            ]
        );
        assert_eq!(classes(1)[1].libelle, "1 projet");
        assert_eq!(classes(1)[1].couleur, FILLS[0]);
    }

    #[test]
    fn embedded_outlines_are_complete() {
        let o = Outlines::region();
        let codes: Vec<&str> = o.departments.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["02", "59", "60", "62", "80"]);
        assert!(o.width > 500 && o.width <= 1000 && o.height <= 1000);
        for d in &o.departments {
            assert!(d.detailed.starts_with('m') && d.detailed.ends_with('z'));
            assert!(d.coarse.len() < d.detailed.len());
            assert!((0..o.width).contains(&d.label.0) && (0..o.height).contains(&d.label.1));
        }
        let detailed: usize = o.departments.iter().map(|d| d.detailed.len()).sum();
        assert!(detailed < 30_000, "{detailed} bytes");
        // Every current commune has a point, inside the viewBox; Lille is north of Amiens.
        assert_eq!(o.commune_count(), 3782);
        let lille = o.commune_point("59350").expect("Lille");
        let amiens = o.commune_point("80021").expect("Amiens");
        assert!(lille.1 < amiens.1 && lille.0 > amiens.0);
        for commune in crate::territory::Territories::region().communes() {
            let (x, y) = o.commune_point(&commune.code).expect(&commune.code);
            assert!((0..o.width).contains(&x) && (0..o.height).contains(&y));
        }
    }

    #[test]
    fn region_map_is_well_formed_with_links() {
        let departments = [
            MapDepartment {
                code: "02",
                name: "Aisne",
                count: 0,
                href: "territoires/aisne/".into(),
            },
            MapDepartment {
                code: "59",
                name: "Nord & <co>",
                count: 4,
                href: "territoires/nord/".into(),
            },
        ];
        let svg = region_map_svg(&departments, &classes(4), "carte");
        assert_eq!(svg.matches("<a ").count(), 2);
        assert!(svg.contains(r#"href="territoires/aisne/""#));
        assert!(svg.contains("Nord &amp; &lt;co&gt; : 4 projets"));
        assert!(svg.contains("url(#carte-hachures)"));
        assert!(!svg.contains("role="), "no role: its links stay reachable");
        assert_balanced(&svg);
        let svg = locator_svg(&["59"], &[(5, 5), (6, 6)], &[(10, 20)], "Situation", "s");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert_eq!(svg.matches("#b3261e").count(), 1);
        assert!(svg.contains(r#"role="img""#));
        assert_balanced(&svg);
    }

    #[test]
    fn path_bounds_follow_relative_moves() {
        let d = path_data(&[
            vec![(10, 10), (20, 10), (20, 20)],
            vec![(5, 5), (6, 5), (6, 4)],
        ]);
        assert_eq!(path_bounds(&d), Some(((5, 4), (20, 20))));
        assert_eq!(path_bounds(""), None);
        // Each department's outline holds its label and every one of its communes.
        let o = Outlines::region();
        let t = crate::territory::Territories::region();
        for shape in &o.departments {
            let ((x0, y0), (x1, y1)) = path_bounds(shape.detailed).expect(shape.code);
            let inside = |(x, y): (i64, i64)| (x0..=x1).contains(&x) && (y0..=y1).contains(&y);
            assert!(inside(shape.label), "{}", shape.code);
            assert!(
                x1 - x0 < o.width * 3 / 4 && y1 - y0 < o.height * 3 / 4,
                "{} is not the region: {:?}",
                shape.code,
                ((x0, y0), (x1, y1))
            );
            for c in t.communes().iter().filter(|c| c.department == shape.code) {
                assert!(
                    inside(o.commune_point(&c.code).expect("point")),
                    "{}",
                    c.code
                );
            }
        }
    }

    #[test]
    fn department_map_marks_only_the_given_communes() {
        let communes = ["59350", "59009", "59183"];
        let marked = [
            MarkedCommune {
                code: "59350",
                name: "Lille",
                count: 4,
            },
            MarkedCommune {
                code: "59183",
                name: "Dunkerque",
                count: 1,
            },
        ];
        let svg = department_map_svg("59", &communes, &marked, "Carte du Nord & co", "c").unwrap();
        assert_eq!(svg.matches("<circle").count(), 2);
        // The larger mark (4 projects) is drawn first, with the larger radius.
        let lille = o_point("59350");
        let first = svg.find("<circle").unwrap();
        assert!(svg[first..].starts_with(&format!(
            r#"<circle cx="{}" cy="{}" r="12.2""#,
            lille.0, lille.1
        )));
        assert!(svg.contains(r#"r="7.0""#));
        // Three dots in one path: one absolute move, two relative ones.
        let dots = svg.split("<path").nth(2).unwrap();
        assert_eq!(dots.matches("h0").count(), 3, "{dots}");
        assert!(svg.contains("Carte du Nord &amp; co"));
        assert!(svg.contains(r#"role="img""#));
        assert_balanced(&svg);
        assert!(department_map_svg("75", &communes, &marked, "x", "c").is_none());
    }

    fn o_point(code: &str) -> (i64, i64) {
        Outlines::region().commune_point(code).expect(code)
    }

    /// Every opening tag has its closing tag, in order (the SVG is parsed as XML by tests/).
    fn assert_balanced(svg: &str) {
        let mut stack = Vec::new();
        let mut rest = svg;
        while let Some(at) = rest.find('<') {
            let end = rest[at..].find('>').expect("tag end") + at;
            let tag = &rest[at + 1..end];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop(), Some(name.to_string()), "{svg}");
            } else if !tag.ends_with('/') {
                let name = tag.split([' ', '>']).next().unwrap_or("").to_string();
                stack.push(name);
            }
            rest = &rest[end + 1..];
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
    }
}

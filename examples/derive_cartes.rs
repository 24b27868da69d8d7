//! Derives the embedded map outlines (data/territoires/carte-departements.tsv, centroides-communes.tsv) from the IGN GeoJSON extracts.
//!
//! Usage, from the repository root:
//!
//! ```sh
//! cargo run --example derive_cartes [-- DOSSIER_DES_EXTRAITS]
//! ```
//!
//! DOSSIER_DES_EXTRAITS holds departements-32.geojson and communes-32.geojson (IGN Admin
//! Express COG 2018, simplified by gregoiredavid/france-geojson); it defaults to
//! ../shared/data/territoires. The current communes and the code changes since 2018 come from
//! the tables already derived in data/territoires/ (run tools/derive_territoires.py first).
//! Same input, same bytes out.

use amiris::map::{Frame, Point, lambert93, path_data, signed_area, simplify_ring};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Height (the larger side) of the viewBox, margins included.
const SIZE: f64 = 1000.0;
/// Margin around the region, in viewBox units.
const MARGIN: f64 = 8.0;
/// Douglas–Peucker tolerance of the region map, in viewBox units (1 unit ≈ 260 m).
const DETAILED_TOLERANCE: f64 = 1.2;
/// Tolerance of the small locator maps (drawn about 200 pixels high).
const COARSE_TOLERANCE: f64 = 5.0;
/// Rings smaller than this (square viewBox units) are dropped from the locator outline.
const COARSE_MIN_AREA: f64 = 400.0;

type Polygon = Vec<Vec<Point>>;

fn main() {
    if let Err(message) = run() {
        eprintln!("derive_cartes : {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let source = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/data/territoires"));
    let out = root.join("data/territoires");

    let departments = features(&source.join("departements-32.geojson"))?;
    let communes = features(&source.join("communes-32.geojson"))?;

    // Frame: the bounding box of the projected departments.
    let mut min = (f64::MAX, f64::MAX);
    let mut max = (f64::MIN, f64::MIN);
    for (_, polygons) in &departments {
        for p in polygons.iter().flatten().flatten() {
            min = (min.0.min(p.0), min.1.min(p.1));
            max = (max.0.max(p.0), max.1.max(p.1));
        }
    }
    let frame = Frame::fit(min, max, SIZE, MARGIN);
    let view = |polygons: &[Polygon]| -> Vec<Polygon> {
        polygons
            .iter()
            .map(|rings| {
                rings
                    .iter()
                    .map(|ring| ring.iter().map(|&p| frame.to_view(p)).collect())
                    .collect()
            })
            .collect()
    };

    let mut table = String::new();
    let _ = writeln!(
        table,
        "viewbox\t{}\t{}",
        frame.width as i64, frame.height as i64
    );
    let mut detailed_bytes = 0;
    for (code, polygons) in &departments {
        let polygons = view(polygons);
        let rings: Vec<&Vec<Point>> = polygons.iter().flatten().collect();
        let detailed = outline(&rings, DETAILED_TOLERANCE, 0.0);
        let coarse = outline(&rings, COARSE_TOLERANCE, COARSE_MIN_AREA);
        let label = label_point(&polygons);
        detailed_bytes += detailed.len();
        let _ = writeln!(
            table,
            "{code}\t{}\t{}\t{detailed}\t{coarse}",
            label.0.round() as i64,
            label.1.round() as i64
        );
    }
    write(&out.join("carte-departements.tsv"), &table)?;

    // Communes: group the 2018 outlines by the current commune they belong to now.
    let current = tsv(&out.join("communes.tsv"))?;
    let current: Vec<String> = current.into_iter().map(|row| row[0].clone()).collect();
    let mut moved: HashMap<String, String> = HashMap::new();
    for table in ["anciennes-communes.tsv", "codes-absorbes.tsv"] {
        for row in tsv(&out.join(table))? {
            if let (Some(code), Some(now)) = (row.first(), row.last()) {
                moved.insert(code.clone(), now.clone());
            }
        }
    }
    let is_current: std::collections::HashSet<&str> = current.iter().map(String::as_str).collect();
    // Current code -> (sum of area × centroid, sum of area).
    let mut sums: BTreeMap<String, (f64, f64, f64)> = BTreeMap::new();
    let mut unknown = Vec::new();
    for (code, polygons) in &communes {
        let target = if is_current.contains(code.as_str()) {
            code.clone()
        } else if let Some(now) = moved.get(code) {
            now.clone()
        } else {
            unknown.push(code.clone());
            continue;
        };
        let entry = sums.entry(target).or_insert((0.0, 0.0, 0.0));
        for rings in view(polygons) {
            for (i, ring) in rings.iter().enumerate() {
                let (area, cx, cy) = centroid(ring);
                // Outer ring adds, holes subtract, whatever their orientation.
                let sign = if i == 0 { 1.0 } else { -1.0 };
                entry.0 += sign * area * cx;
                entry.1 += sign * area * cy;
                entry.2 += sign * area;
            }
        }
    }
    let mut points = String::from("code\tx\ty\n");
    let mut missing = Vec::new();
    let mut sorted = current.clone();
    sorted.sort();
    for code in &sorted {
        match sums.get(code) {
            Some(&(sx, sy, area)) if area > 0.0 => {
                let _ = writeln!(
                    points,
                    "{code}\t{}\t{}",
                    (sx / area).round() as i64,
                    (sy / area).round() as i64
                );
            }
            _ => missing.push(code.clone()),
        }
    }
    write(&out.join("centroides-communes.tsv"), &points)?;
    eprintln!(
        "derive_cartes : départements {} octets de tracé détaillé ; {} communes situées, {} sans contour {:?}, {} codes 2018 inconnus {:?}",
        detailed_bytes,
        sorted.len() - missing.len(),
        missing.len(),
        missing,
        unknown.len(),
        unknown
    );
    Ok(())
}

/// Simplified, rounded path data of rings; rings under `min_area` are dropped.
fn outline(rings: &[&Vec<Point>], tolerance: f64, min_area: f64) -> String {
    let rounded: Vec<Vec<(i64, i64)>> = rings
        .iter()
        .filter(|ring| signed_area(ring).abs() >= min_area)
        .map(|ring| {
            simplify_ring(ring, tolerance)
                .iter()
                .map(|p| (p.0.round() as i64, p.1.round() as i64))
                .collect()
        })
        .collect();
    path_data(&rounded)
}

/// Area and centroid of a ring (absolute area).
fn centroid(ring: &[Point]) -> (f64, f64, f64) {
    let n = ring.len();
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (p, q) = (ring[i], ring[(i + 1) % n]);
        let cross = p.0 * q.1 - q.0 * p.1;
        a += cross;
        cx += (p.0 + q.0) * cross;
        cy += (p.1 + q.1) * cross;
    }
    if a.abs() < f64::EPSILON {
        return (0.0, 0.0, 0.0);
    }
    (a.abs() / 2.0, cx / (3.0 * a), cy / (3.0 * a))
}

/// Whether `p` is inside a polygon (even-odd over its rings).
fn inside(p: Point, rings: &[Vec<Point>]) -> bool {
    let mut odd = false;
    for ring in rings {
        let n = ring.len();
        for i in 0..n {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            if (a.1 > p.1) != (b.1 > p.1) && p.0 < (b.0 - a.0) * (p.1 - a.1) / (b.1 - a.1) + a.0 {
                odd = !odd;
            }
        }
    }
    odd
}

/// Distance from `p` to the nearest edge of the rings.
fn edge_distance(p: Point, rings: &[Vec<Point>]) -> f64 {
    let mut best = f64::MAX;
    for ring in rings {
        let n = ring.len();
        for i in 0..n {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let l2 = dx * dx + dy * dy;
            let t = if l2 > 0.0 {
                (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / l2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            best = best.min((p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy));
        }
    }
    best
}

/// The label point of a department: inside its largest polygon, as far from its edges as a
/// 60 × 60 grid search finds (a centroid can fall outside a crescent-shaped department).
fn label_point(polygons: &[Polygon]) -> Point {
    let largest = polygons
        .iter()
        .max_by(|a, b| {
            signed_area(&a[0])
                .abs()
                .total_cmp(&signed_area(&b[0]).abs())
        })
        .expect("a department has a polygon");
    let (mut min, mut max) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for p in &largest[0] {
        min = (min.0.min(p.0), min.1.min(p.1));
        max = (max.0.max(p.0), max.1.max(p.1));
    }
    let mut best = ((min.0 + max.0) / 2.0, (min.1 + max.1) / 2.0);
    let mut best_distance = -1.0;
    for i in 0..60 {
        for j in 0..60 {
            let p = (
                min.0 + (max.0 - min.0) * (i as f64 + 0.5) / 60.0,
                min.1 + (max.1 - min.1) * (j as f64 + 0.5) / 60.0,
            );
            if inside(p, largest) {
                let d = edge_distance(p, largest);
                if d > best_distance {
                    best_distance = d;
                    best = p;
                }
            }
        }
    }
    best
}

/// The features of a GeoJSON file: `properties.code` -> polygons of projected points, sorted
/// by code.
fn features(path: &Path) -> Result<Vec<(String, Vec<Polygon>)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{} : {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{} : {e}", path.display()))?;
    let mut out = Vec::new();
    for feature in json["features"].as_array().ok_or("pas de « features »")? {
        let code = feature["properties"]["code"]
            .as_str()
            .ok_or("entité sans code")?
            .to_string();
        let geometry = &feature["geometry"];
        let polygons: Vec<&serde_json::Value> = match geometry["type"].as_str() {
            Some("Polygon") => vec![&geometry["coordinates"]],
            Some("MultiPolygon") => geometry["coordinates"]
                .as_array()
                .ok_or("MultiPolygon vide")?
                .iter()
                .collect(),
            other => return Err(format!("{code} : géométrie {other:?} non prise en charge")),
        };
        let mut shapes = Vec::new();
        for polygon in polygons {
            let mut rings = Vec::new();
            for ring in polygon.as_array().ok_or("polygone invalide")? {
                let points: Option<Vec<Point>> = ring
                    .as_array()
                    .ok_or("anneau invalide")?
                    .iter()
                    .map(|p| Some(lambert93(p[0].as_f64()?, p[1].as_f64()?)))
                    .collect();
                rings.push(points.ok_or_else(|| format!("{code} : coordonnée invalide"))?);
            }
            shapes.push(rings);
        }
        out.push((code, shapes));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The rows of a TSV table, header skipped.
fn tsv(path: &Path) -> Result<Vec<Vec<String>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{} : {e}", path.display()))?;
    Ok(text
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{} : {e}", path.display()))
}

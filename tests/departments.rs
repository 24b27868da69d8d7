//! Department pages of the demonstration site: their own map (communes with projects marked) and their median radar, checked against the project files.

mod common;

use common::{MARKER_KEYS, build_demonstration, read_text};
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

const DEPARTMENTS: [(&str, &str); 5] = [
    ("02", "aisne"),
    ("59", "nord"),
    ("60", "oise"),
    ("62", "pas-de-calais"),
    ("80", "somme"),
];

/// What the test reads of a project file, line by line (independently of amiris).
struct Declared {
    communes: Vec<String>,
    departments: Vec<String>,
    markers: BTreeMap<String, Option<f64>>,
}

/// The codes of a one-line YAML list (`  communes: ["59122", "80021"]`).
fn codes(line: &str) -> Vec<String> {
    let list = line.split_once(':').map_or("", |(_, v)| v);
    list.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

fn published_projects(repo: &Path) -> Vec<Declared> {
    let mut projects = Vec::new();
    for entry in fs::read_dir(repo.join("content/projets")).expect("projets") {
        let path = entry.expect("entry").path();
        // Translations (`<slug>.en.md`) carry only texts.
        if path
            .file_stem()
            .is_some_and(|stem| stem.to_string_lossy().contains('.'))
        {
            continue;
        }
        let text = fs::read_to_string(&path).expect("project");
        let front = text.split("\n---").next().expect("front matter");
        if front.lines().any(|l| l.trim() == "brouillon: true") {
            continue;
        }
        let mut declared = Declared {
            communes: Vec::new(),
            departments: Vec::new(),
            markers: BTreeMap::new(),
        };
        let mut in_markers = false;
        for line in front.lines() {
            let trimmed = line.trim();
            if line.starts_with("  communes:") {
                declared.communes = codes(line);
            } else if line.starts_with("  departements:") {
                declared.departments = codes(line);
            }
            if !line.starts_with(' ') {
                in_markers = line.starts_with("marqueurs:");
            } else if in_markers && let Some((key, value)) = trimmed.split_once(':') {
                let value = value.split('#').next().unwrap_or("").trim();
                declared
                    .markers
                    .insert(key.to_string(), value.parse::<f64>().ok());
            }
        }
        assert_eq!(declared.markers.len(), 12, "{front}");
        projects.push(declared);
    }
    projects
}

/// Current commune code -> (x, y) of its point on the maps, from the embedded table.
fn centroids(repo: &Path) -> BTreeMap<String, (String, String)> {
    fs::read_to_string(repo.join("data/territoires/centroides-communes.tsv"))
        .expect("centroids")
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut cells = l.split('\t');
            Some((
                cells.next()?.to_string(),
                (cells.next()?.to_string(), cells.next()?.to_string()),
            ))
        })
        .collect()
}

/// The median as the theme README defines it; `None` without any score.
fn median(mut scores: Vec<f64>) -> Option<String> {
    if scores.is_empty() {
        return None;
    }
    scores.sort_by(|a, b| a.partial_cmp(b).expect("number"));
    let n = scores.len();
    let m = if n % 2 == 1 {
        scores[n / 2]
    } else {
        (scores[n / 2 - 1] + scores[n / 2]) / 2.0
    };
    let text = format!("{m:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    Some(text.replace('.', ","))
}

#[test]
fn each_department_page_maps_its_communes_and_shows_its_median_radar() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_out, output) = build_demonstration();
    let projects = published_projects(repo);
    let points = centroids(repo);
    for (code, slug) in DEPARTMENTS {
        let page = format!("territoires/{slug}/index.html");
        let html = Html::parse_document(&read_text(&output, &page));
        let mine: Vec<&Declared> = projects
            .iter()
            .filter(|p| {
                p.departments.iter().any(|d| d == code)
                    || p.communes.iter().any(|c| c.starts_with(code))
            })
            .collect();

        // The map: one dot per commune of the department, one disc per commune with projects.
        let selector = Selector::parse(".departement-carte .geo-dessin svg").expect("selector");
        let svg = html.select(&selector).next().expect(&page).html();
        assert!(svg.len() < 14_000, "{page}: map of {} bytes", svg.len());
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert_eq!(doc.root_element().attribute("role"), Some("img"));
        let discs: BTreeSet<(String, String)> = doc
            .descendants()
            .filter(|n| n.has_tag_name("circle"))
            .map(|n| {
                let at = |a: &str| n.attribute(a).expect(a).to_string();
                (at("cx"), at("cy"))
            })
            .collect();
        let mut expected_counts: BTreeMap<&str, usize> = BTreeMap::new();
        for project in &mine {
            let here: BTreeSet<&str> = project
                .communes
                .iter()
                .filter(|c| c.starts_with(code))
                .map(String::as_str)
                .collect();
            for commune in here {
                *expected_counts.entry(commune).or_default() += 1;
            }
        }
        let expected: BTreeSet<(String, String)> = expected_counts
            .keys()
            .map(|c| points.get(*c).expect(c).clone())
            .collect();
        assert_eq!(discs, expected, "{page}: marked communes");
        let communes_of_department = points.keys().filter(|c| c.starts_with(code)).count();
        let dots = doc
            .descendants()
            .filter(|n| n.has_tag_name("path"))
            .filter_map(|n| n.attribute("d"))
            .map(|d| d.matches("h0").count())
            .max()
            .unwrap_or(0);
        assert_eq!(dots, communes_of_department, "{page}: one dot per commune");

        // Its text equivalent: the same communes, each with its number of projects.
        let item = Selector::parse(".geo-communes-projets li").expect("selector");
        let mut listed: Vec<usize> = html
            .select(&item)
            .map(|li| {
                let text: String = li.text().collect();
                let count = text.rsplit('(').next().expect("count");
                count.split(' ').next().expect("n").parse().expect(&text)
            })
            .collect();
        let mut wanted: Vec<usize> = expected_counts.values().copied().collect();
        listed.sort_unstable();
        wanted.sort_unstable();
        assert_eq!(listed, wanted, "{page}: communes listed with their counts");

        // The median radar and its table, computed here from the project files.
        let row = Selector::parse("#mediane-departement table tbody tr td:first-of-type")
            .expect("selector");
        let shown: Vec<String> = html
            .select(&row)
            .map(|td| td.text().collect::<String>().trim().to_string())
            .collect();
        // Drawn twice, axes named and numbered (one shown by the figure's width).
        let radar = Selector::parse("#mediane-departement .radar-noms svg").expect("selector");
        let numbered =
            Selector::parse("#mediane-departement .radar-numeros svg").expect("selector");
        if mine.is_empty() {
            assert!(shown.is_empty(), "{page}: no radar without project");
            continue;
        }
        assert_eq!(html.select(&radar).count(), 1, "{page}: one radar");
        assert_eq!(
            html.select(&numbered).count(),
            1,
            "{page}: its numbered twin"
        );
        let wanted: Vec<String> = MARKER_KEYS
            .iter()
            .map(|m| {
                median(mine.iter().filter_map(|p| p.markers[*m]).collect())
                    .unwrap_or_else(|| "non évalué".into())
            })
            .collect();
        assert_eq!(shown, wanted, "{page}: medians");
    }
}

#[test]
fn later_pages_of_a_department_do_not_repeat_its_map() {
    // One project per page: the Somme (two projects) has a second page.
    let site = common::copy_fixture("minimal");
    let yaml = site.path().join("content/site.yaml");
    let text = fs::read_to_string(&yaml).expect("site.yaml");
    fs::write(&yaml, text.replace("par_page: 2", "par_page: 1")).expect("site.yaml");
    common::build_ok(site.path());
    let output = site.path().join("output");
    let first = Html::parse_document(&read_text(&output, "territoires/somme/index.html"));
    let later = Html::parse_document(&read_text(&output, "territoires/somme/page/2/index.html"));
    let selector =
        Selector::parse(".departement-carte .geo-dessin svg, #mediane-departement .radar-noms svg")
            .expect("css");
    assert_eq!(
        first.select(&selector).count(),
        2,
        "map and radar on page 1"
    );
    assert_eq!(later.select(&selector).count(), 0, "neither on page 2");
}

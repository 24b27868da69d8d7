//! The demonstration site in headless Chromium: axe-core finds no violation (best practices included) on one page of every kind, in French and in English, no page scrolls sideways at 320 px, no page repeats an id.
//!
//! Each checker runs over the whole site in one Chromium process (see tests/common/browser.rs):
//! a harness page loads the site's pages in frames of the width under test, a few at a time,
//! waits for the catalogue's script when a page has one, and records what it measured. Control
//! pages written by the test (not by amiris) prove each detector sees what it looks for: a
//! page wider than 320 px, a repeated id, an image without text alternative and a page without
//! landmarks or main heading.
//!
//! axe-core is the npm package installed by `.ci/run` (version pinned there) into
//! `target/npm`. Without Chromium or axe-core the tests fail under `CI=true` and are skipped,
//! with a message, elsewhere.

mod common;

use common::browser::{AXE, HARNESS, Served, axe_source, chromium, files_with, run_harness};
use common::build_demonstration;
use std::collections::BTreeMap;
use std::path::Path;

/// A harness script running `work` (which reads `PAGES`) over `pages`.
fn over_pages(work: &str, pages: &[String]) -> String {
    let list = serde_json::to_string(pages).expect("pages as JSON");
    format!("{WAIT_FOR_SCRIPTS_JS}\n{}", work.replace("PAGES", &list))
}

/// Writes a control page (not made by amiris) into the served folder; returns its path.
fn write_control(output: &Path, name: &str, body: &str) -> String {
    let path = format!("controle/{name}/index.html");
    let target = output.join(&path);
    std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
    std::fs::write(
        &target,
        format!(
            "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Contrôle {name}</title></head><body>{body}</body></html>\n"
        ),
    )
    .expect("write control");
    path
}

/// Waits, in a loaded frame, for the catalogue's script to be ready when the page has one.
const WAIT_FOR_SCRIPTS_JS: &str = r#"
function pret(cadre, suite) {
  attendreQue(function () {
    var doc = cadre.contentDocument;
    var formulaire = doc.getElementById('filtres');
    var script = doc.querySelector('script[src*="catalogue."]');
    return !formulaire || !script || formulaire.hasAttribute('data-pret');
  }, 10000, function (ok) { suite(ok); });
}
function parLots(elements, simultanes, travail, fin) {
  var suivant = 0, enCours = 0, fini = false;
  function lancer() {
    if (fini) return;
    if (suivant >= elements.length && enCours === 0) { fini = true; fin(); return; }
    while (enCours < simultanes && suivant < elements.length) {
      var element = elements[suivant++];
      enCours++;
      travail(element, function () { enCours--; setTimeout(lancer, 0); });
    }
  }
  lancer();
}
"#;

/// Measures every page at 320 px: horizontal overflow (with the elements sticking out) and
/// repeated ids, on the live document once its scripts have run.
const LAYOUT_JS: &str = r#"
var pages = PAGES;
var resultats = {};
function decrire(el) {
  var nom = el.localName;
  if (el.id) nom += '#' + el.id;
  if (typeof el.className === 'string' && el.className) nom += '.' + el.className.split(/\s+/).join('.');
  return nom;
}
parLots(pages, 4, function (page, suite) {
  charger('/' + page, 320, 640, function (cadre) {
    pret(cadre, function (scriptsPrets) {
      var doc = cadre.contentDocument;
      var racine = doc.documentElement;
      var largeur = racine.clientWidth;
      var depassent = [];
      if (racine.scrollWidth > largeur) {
        // The innermost elements that stick out (their ancestors only follow them).
        // (text too wide for its box counts too: it sticks out of a box that does not).
        var sort = function (el) {
          var r = el.getBoundingClientRect();
          return r.width > 0 && (r.right > largeur + 0.5 ||
            (el.scrollWidth > el.clientWidth + 1 && r.left + el.scrollWidth > largeur + 0.5 &&
             cadre.contentWindow.getComputedStyle(el).overflowX === 'visible'));
        };
        var tous = doc.body ? doc.body.getElementsByTagName('*') : [];
        for (var i = 0; i < tous.length && depassent.length < 5; i++) {
          if (sort(tous[i]) && !Array.prototype.some.call(tous[i].children, sort)) {
            var r = tous[i].getBoundingClientRect();
            depassent.push(decrire(tous[i]) + ' (' + Math.round(r.right) + ' px)');
          }
        }
      }
      var vus = {};
      var doubles = [];
      Array.prototype.forEach.call(doc.querySelectorAll('[id]'), function (el) {
        if (vus[el.id] && doubles.indexOf(el.id) < 0) doubles.push(el.id);
        vus[el.id] = true;
      });
      resultats[page] = {
        largeur: largeur,
        defilement: racine.scrollWidth,
        depassent: depassent,
        doubles: doubles,
        scripts: scriptsPrets
      };
      cadre.remove();
      suite();
    });
  });
}, function () { finir(resultats); });
"#;

/// Runs axe-core in each page (desktop width), once its scripts have run.
const AXE_JS: &str = r#"
var pages = PAGES;
var resultats = {};
parLots(pages, 2, function (page, suite) {
  charger('/' + page, 1280, 900, function (cadre) {
    pret(cadre, function () {
      injecter(cadre, '/__harnais/axe.min.js', function (erreur) {
        if (erreur) { resultats[page] = { erreur: String(erreur) }; cadre.remove(); suite(); return; }
        var fenetre = cadre.contentWindow;
        fenetre.axe.run(cadre.contentDocument, { resultTypes: ['violations'] }).then(function (r) {
          resultats[page] = {
            violations: r.violations.map(function (v) {
              return {
                regle: v.id,
                etiquettes: v.tags,
                aide: v.help,
                cibles: v.nodes.slice(0, 5).map(function (n) {
                  return n.target.join(' ') + ' : ' + (n.failureSummary || '').replace(/\s+/g, ' ');
                })
              };
            }),
            passees: r.passes.map(function (v) { return v.id; }),
            version: r.testEngine.version
          };
        }, function (e) {
          resultats[page] = { erreur: String(e) };
        }).then(function () { cadre.remove(); suite(); });
      });
    });
  });
}, function () { finir(resultats); });
"#;

/// The kind of a page, from its path: the first folder kept, the others (slugs, keys,
/// page numbers) replaced by `*`, except `page` and `epci` which mark kinds of their own.
fn page_kind(path: &str) -> String {
    let folders: Vec<&str> = path
        .trim_end_matches("index.html")
        .trim_end_matches('/')
        .split('/')
        .collect();
    folders
        .iter()
        .enumerate()
        .map(|(n, f)| {
            if n == 0 || matches!(*f, "page" | "epci") {
                f.to_string()
            } else {
                "*".to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn page_kinds_group_paths_as_expected() {
    assert_eq!(page_kind("index.html"), "");
    assert_eq!(page_kind("projets/index.html"), "projets");
    assert_eq!(page_kind("projets/abc/index.html"), "projets/*");
    assert_eq!(page_kind("projets/page/2/index.html"), "projets/page/*");
    assert_eq!(
        page_kind("territoires/nord/alimentation/index.html"),
        "territoires/*/*"
    );
    assert_eq!(
        page_kind("territoires/epci/200093201/index.html"),
        "territoires/epci/*"
    );
    assert_eq!(page_kind("404.html"), "404.html");
}

#[test]
fn no_page_scrolls_sideways_at_320_px_nor_repeats_an_id() {
    let Some(browser) = chromium("d'affichage à 320 px") else {
        return;
    };
    let (_dir, output) = build_demonstration();
    let mut pages = files_with(&output, &["html"]);
    assert!(pages.len() > 150, "{} pages", pages.len());
    let wide = write_control(
        &output,
        "large",
        "<main><h1>Large</h1><table><tr><td>\
         Une cellule de tableau qui ne revient jamais à la ligne et dépasse donc 320 pixels\
         </td></tr></table></main><style>td { white-space: nowrap }</style>",
    );
    let repeated = write_control(
        &output,
        "ids",
        "<main><h1 id=\"double\">Titre</h1><svg><title id=\"double\">x</title></svg></main>",
    );
    pages.push(wide.clone());
    pages.push(repeated.clone());
    let script = over_pages(LAYOUT_JS, &pages);
    let out = run_harness(browser, &output, Served::default(), &script);

    // The detectors work.
    let control = &out[wide.as_str()];
    assert!(
        control["defilement"].as_u64() > control["largeur"].as_u64(),
        "{control}"
    );
    assert!(control["depassent"].to_string().contains("td"), "{control}");
    assert_eq!(
        out[repeated.as_str()]["doubles"],
        serde_json::json!(["double"])
    );

    let mut problems = Vec::new();
    for page in &pages[..pages.len() - 2] {
        let result = &out[page.as_str()];
        assert!(result.is_object(), "{page} not measured: {out}");
        assert_eq!(result["scripts"], true, "{page}: script not ready");
        // The frame is 320 px wide: what the page lays out in (without a scrollbar).
        let width = result["largeur"].as_u64().expect("width");
        assert!((300..=320).contains(&width), "{page}: {result}");
        if result["defilement"].as_u64() > Some(width) {
            problems.push(format!(
                "{page} : défile de côté à 320 px ({} px pour {width} px) : {}",
                result["defilement"], result["depassent"]
            ));
        }
        if result["doubles"].as_array().is_some_and(|d| !d.is_empty()) {
            problems.push(format!("{page} : id répétés {}", result["doubles"]));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn axe_finds_no_violation_on_any_page_kind() {
    let Some(browser) = chromium("axe-core") else {
        return;
    };
    let Some(axe) = axe_source("axe-core") else {
        return;
    };
    let (_dir, output) = build_demonstration();
    // One page of each kind (the first by path), the catalogue also with a query and a filter.
    let mut kinds: BTreeMap<String, String> = BTreeMap::new();
    for page in files_with(&output, &["html"]) {
        kinds.entry(page_kind(&page)).or_insert(page);
    }
    assert!(kinds.len() >= 18, "{kinds:?}");
    let mut pages: Vec<String> = kinds.into_values().collect();
    pages.push("projets/?q=jardin".to_string());
    pages.push("projets/?secteur=alimentation&q=solidaire".to_string());
    let missing_alt = write_control(
        &output,
        "axe-image",
        "<main><h1>Image</h1><img src=\"x.png\"></main>",
    );
    let no_landmark = write_control(&output, "axe-repere", "<p>Sans repère ni titre</p>");
    pages.push(missing_alt.clone());
    pages.push(no_landmark.clone());
    let script = over_pages(AXE_JS, &pages);
    let served = Served::default().file(&format!("{HARNESS}/axe.min.js"), axe);
    let out = run_harness(browser, &output, served, &script);
    eprintln!("axe-core {} ({AXE})", out[pages[0].as_str()]["version"]);

    // The detectors work: a rule of WCAG and rules of best practice.
    let rules = |page: &str| -> Vec<String> {
        out[page]["violations"]
            .as_array()
            .unwrap_or_else(|| panic!("{page}: {}", out[page]))
            .iter()
            .map(|v| v["regle"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert!(rules(missing_alt.as_str()).contains(&"image-alt".to_string()));
    let best = rules(no_landmark.as_str());
    assert!(
        best.contains(&"landmark-one-main".to_string())
            && best.contains(&"page-has-heading-one".to_string()),
        "{best:?}"
    );

    let mut problems = Vec::new();
    let mut passed = std::collections::BTreeSet::new();
    for page in &pages[..pages.len() - 2] {
        let result = &out[page.as_str()];
        assert!(
            result["erreur"].is_null() && result["violations"].is_array(),
            "{page}: {result}"
        );
        for rule in result["passees"].as_array().expect("passes") {
            passed.insert(rule.as_str().unwrap_or("").to_string());
        }
        for v in result["violations"].as_array().expect("violations") {
            problems.push(format!(
                "{page} : {} ({}) {}",
                v["regle"], v["aide"], v["cibles"]
            ));
        }
    }
    // Page-level best-practice rules did run on the site's pages (not only on the controls).
    for rule in [
        "landmark-one-main",
        "page-has-heading-one",
        "region",
        "color-contrast",
    ] {
        assert!(passed.contains(rule), "{rule} never passed: {passed:?}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Reads, after focusing them from the keyboard's point of view, the colours of the focus
/// rings that sit on coloured backgrounds: the skip link over the banner, a department of the
/// region map, and the font of the catalogue's filter button.
const FOCUS_JS: &str = r#"
var resultats = {};
charger('/territoires/', 1280, 900, function (cadre) {
  var doc = cadre.contentDocument, win = cadre.contentWindow;
  var lien = doc.querySelector('.lien-evitement');
  lien.focus();
  resultats.evitement = {
    visible: lien.matches(':focus-visible'),
    anneau: win.getComputedStyle(lien).outlineColor,
    largeur: win.getComputedStyle(lien).outlineWidth,
    fond: win.getComputedStyle(doc.querySelector('.bandeau')).backgroundColor
  };
  var departement = doc.querySelector('.geo-region .geo-departement');
  departement.focus();
  var trace = departement.querySelector('path');
  resultats.departement = {
    visible: departement.matches(':focus-visible'),
    anneau: win.getComputedStyle(trace).stroke,
    largeur: win.getComputedStyle(trace).strokeWidth,
    fond: win.getComputedStyle(doc.body).backgroundColor
  };
  charger('/projets/', 1280, 900, function (cadre) {
    var doc = cadre.contentDocument, win = cadre.contentWindow;
    var bouton = doc.querySelector('#filtres button');
    resultats.bouton = {
      police: win.getComputedStyle(bouton).fontFamily,
      taille: win.getComputedStyle(bouton).fontSize,
      policeTexte: win.getComputedStyle(doc.body).fontFamily,
      tailleTexte: win.getComputedStyle(doc.body).fontSize
    };
    finir(resultats);
  });
});
"#;

/// Relative luminance (WCAG 2) of a computed CSS colour `rgb(r, g, b)` or `rgba(…)`.
fn luminance(css: &str) -> f64 {
    let inner = css
        .trim()
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')');
    let channels: Vec<f64> = inner
        .split(',')
        .take(3)
        .map(|c| {
            c.trim()
                .parse::<f64>()
                .unwrap_or_else(|_| panic!("colour {css}"))
        })
        .collect();
    assert_eq!(channels.len(), 3, "colour {css}");
    let linear = |c: f64| {
        let c = c / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(channels[0]) + 0.7152 * linear(channels[1]) + 0.0722 * linear(channels[2])
}

/// Contrast ratio (WCAG 2) of two computed CSS colours.
fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn contrast_follows_wcag() {
    assert!((contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") - 21.0).abs() < 0.01);
    // The theme's yellow on white: the map ring the issue measured at 1.64:1.
    assert!((contrast("rgb(245, 196, 0)", "rgb(255, 255, 255)") - 1.64).abs() < 0.02);
    assert!(contrast("rgba(27, 58, 107, 1)", "rgb(27, 58, 107)") < 1.01);
}

#[test]
fn focus_rings_contrast_with_what_surrounds_them() {
    let Some(browser) = chromium("des anneaux de focus") else {
        return;
    };
    let (_dir, output) = build_demonstration();
    let out = run_harness(browser, &output, Served::default(), FOCUS_JS);
    for ring in ["evitement", "departement"] {
        let r = &out[ring];
        assert_eq!(r["visible"], true, "{ring}: {r}");
        let (colour, around) = (
            r["anneau"].as_str().expect("ring colour"),
            r["fond"].as_str().expect("background"),
        );
        let ratio = contrast(colour, around);
        assert!(ratio >= 3.0, "{ring}: {colour} on {around}: {ratio:.2}:1");
        let width: f64 = r["largeur"]
            .as_str()
            .and_then(|w| w.trim_end_matches("px").parse().ok())
            .expect("ring width");
        assert!(width >= 2.0, "{ring}: {r}");
    }
    let button = &out["bouton"];
    assert_eq!(button["police"], button["policeTexte"], "{button}");
    assert_eq!(button["taille"], button["tailleTexte"], "{button}");
}

/// The demonstration made bilingual (`langues: [fr, en]`), built without social cards into a
/// temporary folder; returns the folder (kept alive) and the output path.
fn build_bilingual_demonstration() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("dossier temporaire");
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_tree(&repo.join("content"), &dir.path().join("content"));
    let site = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site).expect("site.yaml");
    let text = if text.contains("\nlangues:") {
        text
    } else {
        text.replacen("\nlangue: fr\n", "\nlangues: [fr, en]\n", 1)
    };
    assert!(text.contains("\nlangues: [fr, en]"), "{text}");
    std::fs::write(&site, text).expect("site.yaml");
    let output = dir.path().join("sortie");
    let run = common::amiris(&[
        "build",
        "--root",
        &dir.path().to_string_lossy(),
        "--output",
        &output.to_string_lossy(),
        "--sans-cartes",
        "--quiet",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (dir, output)
}

#[test]
fn axe_finds_no_violation_on_any_english_page_kind() {
    let Some(browser) = chromium("axe-core") else {
        return;
    };
    let Some(axe) = axe_source("axe-core") else {
        return;
    };
    let (_dir, output) = build_bilingual_demonstration();
    let mut kinds: BTreeMap<String, String> = BTreeMap::new();
    for page in files_with(&output.join("en"), &["html"]) {
        kinds
            .entry(page_kind(&page))
            .or_insert_with(|| format!("en/{page}"));
    }
    assert!(kinds.len() >= 18, "{kinds:?}");
    let pages: Vec<String> = kinds.into_values().collect();
    let script = over_pages(AXE_JS, &pages);
    let served = Served::default().file(&format!("{HARNESS}/axe.min.js"), axe);
    let out = run_harness(browser, &output, served, &script);
    let mut problems = Vec::new();
    for page in &pages {
        let result = &out[page.as_str()];
        assert!(
            result["erreur"].is_null() && result["violations"].is_array(),
            "{page}: {result}"
        );
        for v in result["violations"].as_array().expect("violations") {
            problems.push(format!(
                "{page} : {} ({}) {}",
                v["regle"], v["aide"], v["cibles"]
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

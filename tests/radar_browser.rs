//! The radars of the demonstration site as Chromium displays them: at every width from a 320 px phone to a desktop, one drawing per figure, axis labels at least 12 px, ring values too on 360–390 px phones.
//!
//! One Chromium process (tests/common/browser.rs) loads project pages and `statistiques/` in
//! frames of each width; in each frame, the displayed size of a text of a radar is its
//! computed font size (SVG user units) times the scale from user units to CSS pixels
//! (`getScreenCTM().a`), which is what `getBoundingClientRect` of the text would show.

mod common;

use common::browser::{Served, chromium, run_harness};
use common::build_demonstration;
use serde_json::Value;

/// Widths checked, in CSS pixels: small and common phones, a tablet, desktops.
const WIDTHS: [u32; 7] = [320, 360, 390, 600, 768, 1024, 1366];

/// Smallest displayed size of an axis label, in CSS pixels.
const MIN_LABEL_PX: f64 = 12.0;

/// Measures every radar figure of each page at each width.
const MEASURE_JS: &str = r#"
var pages = PAGES, largeurs = LARGEURS;
var travaux = [];
pages.forEach(function (page) { largeurs.forEach(function (l) { travaux.push([page, l]); }); });
var resultats = [];
enSerie(travaux, function (travail, suite) {
  var page = travail[0], largeur = travail[1];
  charger('/' + page, largeur, 844, function (cadre) {
    var doc = cadre.contentDocument, win = cadre.contentWindow;
    var taille = function (el) {
      var ctm = el.getScreenCTM();
      return parseFloat(win.getComputedStyle(el).fontSize) * (ctm ? ctm.a : 0);
    };
    var min = function (liste) {
      return liste.length ? Math.min.apply(null, liste) : null;
    };
    var figures = [];
    Array.prototype.forEach.call(doc.querySelectorAll('.radar-figure'), function (figure) {
      var vus = Array.prototype.filter.call(figure.querySelectorAll('svg.radar'), function (svg) {
        var r = svg.getBoundingClientRect();
        return r.width > 0 && r.height > 0;
      });
      var mesures = vus.map(function (svg) {
        var libelles = Array.prototype.map.call(svg.querySelectorAll('.radar-libelle'), taille);
        var anneaux = Array.prototype.map.call(svg.querySelectorAll('.radar-graduations text'), taille);
        return {
          numerote: Array.prototype.every.call(svg.querySelectorAll('.radar-libelle'), function (t) {
            return /^\d+$/.test(t.textContent.trim());
          }),
          libelles: libelles.length,
          libelle_min: min(libelles),
          anneau_min: min(anneaux),
          largeur: svg.getBoundingClientRect().width
        };
      });
      figures.push({ radars: figure.querySelectorAll('svg.radar').length, vus: mesures });
    });
    resultats.push({ page: page, largeur: largeur, figures: figures });
    cadre.remove();
    suite();
  });
}, function () { finir(resultats); });
"#;

#[test]
fn radar_labels_are_at_least_12_px_at_every_width() {
    let Some(browser) = chromium("radar_labels_are_at_least_12_px_at_every_width") else {
        return;
    };
    let (_dir, output) = build_demonstration();
    let pages = [
        "projets/reseau-des-epiceries-solidaires-etudiantes-des-hauts-de-france/",
        "projets/l-epicerie-roulante-de-thierache/",
        "statistiques/",
        "territoires/nord/",
    ];
    for page in pages {
        assert!(output.join(page).join("index.html").is_file(), "{page}");
    }
    let script = MEASURE_JS
        .replace("PAGES", &serde_json::to_string(&pages).expect("json"))
        .replace("LARGEURS", &serde_json::to_string(&WIDTHS).expect("json"));
    let results = run_harness(browser, &output, Served::default(), &script);
    let results = results.as_array().expect("results");
    assert_eq!(results.len(), pages.len() * WIDTHS.len());
    let number = |v: &Value, key: &str| v[key].as_f64().unwrap_or(f64::NAN);
    for result in results {
        let (page, width) = (result["page"].as_str().unwrap(), number(result, "largeur"));
        let figures = result["figures"].as_array().expect("figures");
        assert!(!figures.is_empty(), "{page} at {width}: no radar");
        for figure in figures {
            let shown = figure["vus"].as_array().expect("shown");
            // One drawing per figure is displayed (a project page holds two, named and
            // numbered; the hidden one is display: none).
            assert_eq!(shown.len(), 1, "{page} at {width} px: {figure}");
            let radar = &shown[0];
            assert_eq!(number(radar, "libelles"), 12.0, "{page} at {width} px");
            let label = number(radar, "libelle_min");
            eprintln!(
                "{page} à {width} px : radar de {:.0} px, libellés {label:.1} px, graduations \
                 {:.1} px{}",
                number(radar, "largeur"),
                number(radar, "anneau_min"),
                if radar["numerote"] == true {
                    " (axes numérotés)"
                } else {
                    ""
                }
            );
            assert!(
                label >= MIN_LABEL_PX,
                "{page} at {width} px: labels of {label:.1} px ({radar})"
            );
            if figure["radars"] == 2 && (360.0..=390.0).contains(&width) {
                // A project page on a phone: numbered axes, ring values legible too.
                assert_eq!(radar["numerote"], true, "{page} at {width} px");
                let ring = number(radar, "anneau_min");
                assert!(
                    ring >= MIN_LABEL_PX,
                    "{page} at {width} px: rings {ring:.1} px"
                );
            }
            if figure["radars"] == 2 && width >= 1024.0 {
                assert_eq!(radar["numerote"], false, "{page} at {width} px: names");
            }
        }
    }
}

//! No script from content, proved in a real browser: every page of a site full of payloads is loaded in headless Chromium, which must never see one run.
//!
//! `tests/fixtures/payloads/` puts payloads in every text field of the front matter, of
//! site.yaml and of the free pages, and in the Markdown bodies: each would set
//! `data-pwned="<id>"` on its document element if it ran, the id naming the file and field.
//! The test builds that site, serves the output over a loopback HTTP server started here, and
//! loads every page (HTML, SVG, XML) in one Chromium process: a harness page holds one
//! `<iframe>` per page and, once all have loaded, writes down for each page whether
//! `data-pwned` was set and an audit of what could still run on interaction (event-handler
//! attributes, `javascript:` or `data:` URLs as the browser itself parses them, frames,
//! inline scripts). The DOM of the harness is then read back with `--dump-dom`.
//!
//! Two passes: the pages as published (with their Content-Security-Policy meta tag, whose
//! violations Chromium logs on stderr), then the same pages with that tag removed, so that
//! escaping alone is proved, not only the policy. Control pages written by the test (not by
//! amiris) prove each detector works: an external `controle.js` setting `data-pwned`, an
//! inline handler (blocked and logged under the policy, run without it), a `javascript:` link.
//!
//! Chromium is Debian's `chromium` (installed by `.ci/run`). Without it the test fails under
//! `CI=true` and is skipped with a message otherwise.

mod common;

use common::browser::{HARNESS, Served, files_with, serve};
use common::{build_ok, copy_fixture};
use scraper::{Html, Selector};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// Path prefix under which the server removes the Content-Security-Policy meta tag.
const WITHOUT_CSP: &str = "/sans-csp";

/// The Content-Security-Policy meta tag as the theme writes it (start of the tag).
const CSP_TAG_START: &str = "<meta http-equiv=\"Content-Security-Policy\"";

/// Runs once the harness and every frame have loaded: records, per page, `data-pwned` and
/// an audit of what could run on interaction, then marks the harness done.
const AUDIT_JS: &str = r#"
function audit(doc) {
  var found = [];
  var urlAttributes = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster',
                       'background', 'ping', 'codebase', 'cite', 'manifest'];
  var all = doc.getElementsByTagName('*');
  for (var i = 0; i < all.length; i++) {
    var el = all[i];
    var tag = el.localName.toLowerCase();
    for (var j = 0; j < el.attributes.length; j++) {
      var name = el.attributes[j].name.toLowerCase();
      var value = el.attributes[j].value;
      if (name.indexOf('on') === 0) found.push('gestionnaire ' + tag + '[' + name + ']');
      if (name === 'srcdoc') found.push('srcdoc ' + tag);
      if (urlAttributes.indexOf(name) >= 0) {
        var protocol;
        try { protocol = new URL(value, doc.baseURI).protocol; } catch (e) { protocol = 'invalide:'; }
        if (['http:', 'https:', 'mailto:'].indexOf(protocol) < 0) {
          found.push('url ' + protocol + ' ' + tag + '[' + name + ']');
        }
      }
    }
    // The theme's own forms are allowed: the catalogue's filters (id "filtres") and the search
    // forms that send a query to the catalogue, all with method get and nowhere else.
    var themeForm = false;
    if (tag === 'form' && (el.getAttribute('method') || '').toLowerCase() === 'get') {
      var target = null;
      try { target = new URL(el.getAttribute('action') || '', doc.baseURI); } catch (e) {}
      themeForm = el.id === 'filtres' || (target !== null &&
        target.origin === new URL(doc.baseURI).origin && /\/projets\/$/.test(target.pathname) &&
        target.search === '' && target.hash === '');
    }
    if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'form', 'portal']
        .indexOf(tag) >= 0 && !themeForm) {
      found.push('élément ' + tag);
    }
    if (tag === 'meta' && /refresh/i.test(el.getAttribute('http-equiv') || '')) {
      found.push('meta refresh');
    }
    if (tag === 'script') {
      var type = (el.getAttribute('type') || '').toLowerCase();
      if (el.hasAttribute('src')) {
        var origin;
        try { origin = new URL(el.getAttribute('src'), doc.baseURI).origin; } catch (e) { origin = ''; }
        if (origin !== location.origin) found.push('script externe');
      } else if (type !== 'application/ld+json') {
        found.push('script en ligne');
      }
    }
  }
  return found;
}
window.addEventListener('load', function () {
  var list = document.getElementById('resultats');
  var frames = document.querySelectorAll('iframe[data-page]');
  for (var i = 0; i < frames.length; i++) {
    var frame = frames[i];
    var item = document.createElement('li');
    item.setAttribute('data-page', frame.getAttribute('data-page'));
    var doc = null;
    try { doc = frame.contentDocument; } catch (e) { doc = null; }
    if (!doc || !doc.documentElement) {
      item.setAttribute('data-erreur', 'document inaccessible');
    } else {
      item.setAttribute('data-url', doc.URL);
      item.setAttribute('data-type', doc.contentType);
      var pwned = doc.documentElement.getAttribute('data-pwned');
      if (pwned !== null) item.setAttribute('data-pwned', pwned);
      item.setAttribute('data-audit', audit(doc).join(' | '));
    }
    list.appendChild(item);
  }
  document.documentElement.setAttribute('data-fini', String(frames.length));
});
"#;

/// `html` without its Content-Security-Policy meta tag.
fn strip_csp(html: &str) -> String {
    match html.find(CSP_TAG_START) {
        Some(start) => {
            let end = html[start..]
                .find('>')
                .map_or(html.len(), |e| start + e + 1);
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html.to_string(),
    }
}

/// The harness page: one frame per page, under `prefix` (empty or [`WITHOUT_CSP`]).
fn harness_page(pages: &[String], prefix: &str) -> String {
    let mut html = String::from(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <title>Harnais</title>",
    );
    html.push_str(&format!(
        "<script src=\"{HARNESS}/audit.js\"></script></head><body>\n"
    ));
    for page in pages {
        html.push_str(&format!(
            "<iframe data-page=\"{page}\" src=\"{prefix}/{page}\" width=\"400\" height=\"300\"></iframe>\n"
        ));
    }
    html.push_str("<ol id=\"resultats\"></ol>\n</body></html>\n");
    html
}

/// What the harness recorded for one page.
#[derive(Debug)]
struct PageResult {
    /// `data-pwned` of the page's document element, if set.
    pwned: Option<String>,
    /// What the audit found, if anything.
    audit: Vec<String>,
    /// The document's URL and content type, or an error.
    loaded: Result<(String, String), String>,
}

/// Reads the harness DOM dumped by Chromium: page path → result.
fn results(dom: &str, expected_frames: usize) -> BTreeMap<String, PageResult> {
    let doc = Html::parse_document(dom);
    let html = doc
        .select(&Selector::parse("html").expect("selector"))
        .next()
        .expect("html");
    assert_eq!(
        html.value().attr("data-fini"),
        Some(expected_frames.to_string().as_str()),
        "the harness did not finish (or a page navigated it away); DOM: {}",
        &dom[..dom.len().min(2000)]
    );
    assert_eq!(
        html.value().attr("data-pwned"),
        None,
        "a payload reached the harness itself"
    );
    let mut map = BTreeMap::new();
    for item in doc.select(&Selector::parse("#resultats li").expect("selector")) {
        let attr = |name| item.value().attr(name).map(str::to_string);
        let loaded = match (attr("data-url"), attr("data-type"), attr("data-erreur")) {
            (Some(url), Some(kind), None) => Ok((url, kind)),
            (_, _, error) => Err(error.unwrap_or_default()),
        };
        map.insert(
            attr("data-page").expect("data-page"),
            PageResult {
                pwned: attr("data-pwned"),
                audit: attr("data-audit")
                    .unwrap_or_default()
                    .split(" | ")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                loaded,
            },
        );
    }
    assert_eq!(map.len(), expected_frames, "one result per frame");
    map
}

/// The pages Chromium reports a Content-Security-Policy violation on (from its console log).
fn csp_violations(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|line| line.contains("Content Security Policy"))
        .map(|line| {
            line.rsplit_once("source: ")
                .map_or(line, |(_, source)| source)
                .to_string()
        })
        .collect()
}

/// Every HTML page carries the theme's policy before anything it governs, and nothing the
/// policy forbids: no inline script (JSON-LD data excepted), no style element or attribute,
/// no event-handler attribute.
fn assert_pages_satisfy_the_policy(output: &Path, pages: &[String]) {
    let csp = Selector::parse("meta[http-equiv=\"Content-Security-Policy\"]").expect("selector");
    let head_items = Selector::parse("head > *").expect("selector");
    let everything = Selector::parse("*").expect("selector");
    for page in pages.iter().filter(|p| p.ends_with(".html")) {
        let html = std::fs::read_to_string(output.join(page)).expect("read page");
        let doc = Html::parse_document(&html);
        let metas: Vec<_> = doc.select(&csp).collect();
        assert_eq!(metas.len(), 1, "{page}: one Content-Security-Policy meta");
        let policy = metas[0].value().attr("content").unwrap_or("");
        for directive in ["script-src 'self'", "object-src 'none'", "base-uri 'none'"] {
            assert!(policy.contains(directive), "{page}: {policy}");
        }
        assert!(
            !policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"),
            "{page}: {policy}"
        );
        // Nothing the policy governs comes before it.
        for item in doc.select(&head_items) {
            let name = item.value().name();
            if item.value().attr("http-equiv") == Some("Content-Security-Policy") {
                break;
            }
            assert!(
                !matches!(name, "script" | "link" | "style" | "base"),
                "{page}: <{name}> before the policy"
            );
        }
        for element in doc.select(&everything) {
            let value = element.value();
            let name = value.name();
            assert_ne!(name, "style", "{page}: <style> element");
            if name == "script" {
                assert!(
                    value.attr("src").is_some()
                        || value.attr("type") == Some("application/ld+json"),
                    "{page}: inline script"
                );
            }
            for (attribute, _) in value.attrs() {
                assert!(
                    attribute != "style" && !attribute.starts_with("on"),
                    "{page}: attribute {attribute} on <{name}>"
                );
            }
        }
    }
}

/// Writes the control pages into the served folder; returns their paths.
fn write_controls(served: &Path, policy_tag: &str) -> Vec<String> {
    let page = |body: &str| {
        format!(
            "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\n{policy_tag}\n\
             <title>Contrôle</title></head><body>{body}</body></html>\n"
        )
    };
    let write = |path: &str, text: &str| {
        let target = served.join(path);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::write(target, text).expect("write control");
    };
    // A script the policy allows (same origin, external) that sets data-pwned.
    write(
        "controle/script/index.html",
        &page("<p>Contrôle</p><script src=\"controle.js\"></script>"),
    );
    write(
        "controle/script/controle.js",
        "document.documentElement.setAttribute('data-pwned', 'controle-script');\n",
    );
    // An inline handler (blocked and logged under the policy, run without it), a link whose
    // javascript: URL hides behind an entity-encoded tab, and two forms the theme never writes
    // (one posts to the catalogue, one sends elsewhere).
    write(
        "controle/en-ligne/index.html",
        &page(
            "<img src=\"introuvable.png\" alt=\"\" \
             onerror=\"document.documentElement.setAttribute('data-pwned','controle-en-ligne')\">\
             <a href=\"java&#9;script:void(0)\">lien</a>\
             <form method=\"post\" action=\"../../projets/\"></form>\
             <form method=\"get\" action=\"https://ailleurs.example/projets/\"></form>",
        ),
    );
    vec![
        "controle/en-ligne/index.html".to_string(),
        "controle/script/index.html".to_string(),
    ]
}

#[test]
fn no_payload_runs_in_a_real_browser() {
    let Some(browser) = common::browser::chromium("navigateur") else {
        return;
    };
    let site = copy_fixture("payloads");
    build_ok(site.path());
    let output = site.path().join("output");

    // Every page kind: HTML, standalone SVG (radars), XML (feed, sitemap).
    let pages = files_with(&output, &["html", "svg", "xml"]);
    assert!(
        pages
            .iter()
            .filter(|p| p.starts_with("projets/projet-"))
            .count()
            >= 30,
        "{pages:?}"
    );
    assert_pages_satisfy_the_policy(&output, &pages);

    // The payloads did reach the pages, as text: the test checks something.
    let project = common::read_text(&output, "projets/projet-01-script/index.html");
    assert!(project.contains("&lt;script&gt;document.documentElement.setAttribute("));

    let index = std::fs::read_to_string(output.join("index.html")).expect("index");
    let tag_start = index.find(CSP_TAG_START).expect("policy tag");
    let tag_end = tag_start + index[tag_start..].find('>').expect("tag end") + 1;
    let controls = write_controls(&output, &index[tag_start..tag_end]);
    let all: Vec<String> = pages.iter().chain(&controls).cloned().collect();

    let mut served = Served::default()
        .file(&format!("{HARNESS}/audit.js"), AUDIT_JS)
        .file(&format!("{HARNESS}/avec-csp.html"), harness_page(&all, ""))
        .file(
            &format!("{HARNESS}/sans-csp.html"),
            harness_page(&all, WITHOUT_CSP),
        );
    served.rewrites.push((WITHOUT_CSP.to_string(), strip_csp));
    let origin = serve(output.clone(), served);

    for (pass, with_policy) in [("avec-csp", true), ("sans-csp", false)] {
        let started = Instant::now();
        let run = common::browser::run(browser, &format!("{origin}{HARNESS}/{pass}.html"));
        let (dom, stderr) = (run.dom, run.stderr);
        eprintln!(
            "{pass} : {} documents chargés dans Chromium en {:?}",
            all.len(),
            started.elapsed()
        );
        let results = results(&dom, all.len());
        let prefix = if with_policy { "" } else { WITHOUT_CSP };

        // The detectors work: the controls are caught.
        let script = &results["controle/script/index.html"];
        assert_eq!(script.pwned.as_deref(), Some("controle-script"), "{pass}");
        let inline = &results["controle/en-ligne/index.html"];
        assert!(
            inline.audit.iter().any(|a| a == "url javascript: a[href]")
                && inline
                    .audit
                    .iter()
                    .any(|a| a == "gestionnaire img[onerror]")
                && inline.audit.iter().filter(|a| *a == "élément form").count() == 2,
            "{pass}: {:?}",
            inline.audit
        );
        let violations = csp_violations(&stderr);
        if with_policy {
            assert_eq!(inline.pwned, None, "the policy blocks inline handlers");
            assert!(
                violations
                    .iter()
                    .any(|v| v.contains("/controle/en-ligne/index.html")),
                "the blocked handler is logged: {violations:?}"
            );
        } else {
            assert_eq!(inline.pwned.as_deref(), Some("controle-en-ligne"));
        }

        // Nothing of amiris's ran, could run on interaction, or broke the policy.
        for page in &pages {
            let result = &results[page];
            let (url, _) = result
                .loaded
                .as_ref()
                .unwrap_or_else(|e| panic!("{pass}: {page} not loaded: {e}"));
            assert_eq!(url, &format!("{origin}{prefix}/{page}"), "{pass}");
            assert_eq!(result.pwned, None, "{pass}: a payload ran on {page}");
            assert!(
                result.audit.is_empty(),
                "{pass}: {page} could still run script: {:?}",
                result.audit
            );
        }
        let ours: Vec<&String> = violations
            .iter()
            .filter(|v| !v.contains("/controle/"))
            .collect();
        assert!(
            ours.is_empty(),
            "{pass}: policy violations on amiris pages: {ours:?}"
        );
    }
}

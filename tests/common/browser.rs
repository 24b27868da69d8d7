//! Headless Chromium for the integration tests: finding the browser (and axe-core), a loopback HTTP server for a built site plus in-memory harness files, one browser run, the harness's output.
//!
//! A browser test builds a site, serves its output with [`serve`] together with a harness
//! page held in memory, and loads that harness in one Chromium process with [`run`]
//! (`--dump-dom`). The harness page loads the site's pages in `<iframe>`s, does its work in
//! them, writes its result as JSON into `<pre id="sortie">` with `finir(…)` (from
//! [`HARNESS_JS`]) and then releases its own `load` event, which `--dump-dom` waits for: the
//! last frame of [`harness_page`] is answered by the server only once `finir` has been called.
//! No virtual time is needed, and `performance.now()` is real.
//!
//! Chromium is Debian's `chromium`, axe-core the npm package installed by `.ci/run` into
//! `target/npm`. Without them the tests fail under `CI=true` and are skipped, with a message,
//! elsewhere.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Where Debian's `chromium` package puts the browser.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Where `.ci/run` installs axe-core (`npm install --prefix target/npm axe-core@…`).
pub const AXE: &str = "target/npm/node_modules/axe-core/axe.min.js";

/// Path prefix of the harness files, served from memory.
pub const HARNESS: &str = "/__harnais";

/// Longest a Chromium run may last before the test kills it.
pub const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(300);

/// Longest the server holds the harness's `load` event back.
const HOLD_TIMEOUT: Duration = Duration::from_secs(280);

/// Whether running under continuous integration (`CI=true`), where a missing tool fails.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// A tool a test needs is missing: panics under `CI=true`, else prints why the test is skipped.
fn missing(what: &str, install: &str, test: &str) {
    if in_ci() {
        panic!(
            "{what} est introuvable : en intégration continue (CI=true) le test {test} est \
             obligatoire ; {install}"
        );
    }
    eprintln!(
        "test {test} ignoré : {what} est introuvable ({install} ; en intégration continue, \
         CI=true rend ce test obligatoire)"
    );
}

/// The browser, if installed; `None` means skip (a message was printed). `test` names the
/// test in the message.
pub fn chromium(test: &str) -> Option<&'static str> {
    if Path::new(CHROMIUM).is_file() {
        return Some(CHROMIUM);
    }
    missing(
        CHROMIUM,
        ".ci/run installe le paquet Debian « chromium »",
        test,
    );
    None
}

/// The source of axe-core, if installed; `None` means skip (a message was printed).
pub fn axe_source(test: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(AXE);
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) => {
            missing(
                &path.display().to_string(),
                ".ci/run installe axe-core avec npm dans target/npm",
                test,
            );
            None
        }
    }
}

/// Content type of a served file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "css" => "text/css",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Changes an HTML page served under a path prefix (e.g. removes its security policy).
pub type Rewrite = fn(&str) -> String;

/// The test server: the output folder, the harness files, and the "done" signal.
struct Server {
    root: PathBuf,
    harness: BTreeMap<String, Vec<u8>>,
    rewrites: Vec<(String, Rewrite)>,
    done: Mutex<bool>,
    signal: Condvar,
}

impl Server {
    /// Status, content type and body for a request target.
    fn respond(&self, target: &str) -> (u16, &'static str, Vec<u8>) {
        let path = target.split(['?', '#']).next().unwrap_or("");
        if path == format!("{HARNESS}/fini") {
            *self.done.lock().expect("lock") = true;
            self.signal.notify_all();
            return (200, "text/plain", b"ok".to_vec());
        }
        if path == format!("{HARNESS}/attente") {
            let done = self.done.lock().expect("lock");
            let _ = self
                .signal
                .wait_timeout_while(done, HOLD_TIMEOUT, |done| !*done)
                .expect("wait");
            return (
                200,
                "text/html; charset=utf-8",
                b"<!DOCTYPE html><title>fin</title><p>fin".to_vec(),
            );
        }
        if let Some(body) = self.harness.get(path) {
            return (200, content_type(path), body.clone());
        }
        let (rewrite, rest) = self
            .rewrites
            .iter()
            .find_map(|(prefix, f)| path.strip_prefix(prefix.as_str()).map(|r| (Some(*f), r)))
            .unwrap_or((None, path));
        let mut relative = rest.trim_start_matches('/').to_string();
        if relative.is_empty() || relative.ends_with('/') {
            relative.push_str("index.html");
        }
        // Only plain paths inside the served folder.
        if relative
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == ".." || part.contains('\\'))
        {
            return (404, "text/plain", b"introuvable".to_vec());
        }
        match std::fs::read(self.root.join(&relative)) {
            Ok(bytes) => match rewrite {
                Some(f) if relative.ends_with(".html") => (
                    200,
                    content_type(&relative),
                    f(&String::from_utf8_lossy(&bytes)).into_bytes(),
                ),
                _ => (200, content_type(&relative), bytes),
            },
            Err(_) => (404, "text/plain", b"introuvable".to_vec()),
        }
    }

    /// Answers one HTTP/1.1 request and closes the connection.
    fn handle(&self, mut stream: TcpStream) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let Ok(clone) = stream.try_clone() else {
            return;
        };
        let mut reader = BufReader::new(clone);
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).is_err() {
            return;
        }
        loop {
            let mut header = String::new();
            match reader.read_line(&mut header) {
                Ok(0) | Err(_) => break,
                Ok(_) if header == "\r\n" || header == "\n" => break,
                Ok(_) => {}
            }
        }
        let target = request_line.split_whitespace().nth(1).unwrap_or("/");
        let (status, kind, body) = self.respond(target);
        let reason = if status == 200 { "OK" } else { "Not Found" };
        let head = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&body);
        let _ = stream.flush();
    }
}

/// What to serve besides the built site.
#[derive(Default)]
pub struct Served {
    /// Harness files by absolute path (e.g. `/__harnais/page.html`).
    pub files: BTreeMap<String, Vec<u8>>,
    /// Path prefixes under which the site's HTML pages are served changed by a function.
    pub rewrites: Vec<(String, Rewrite)>,
}

impl Served {
    /// Adds a harness file.
    pub fn file(mut self, path: &str, body: impl Into<Vec<u8>>) -> Self {
        self.files.insert(path.to_string(), body.into());
        self
    }
}

/// Serves `root` and `served` on a loopback port for the life of the test process; returns
/// the origin (`http://127.0.0.1:PORT`).
pub fn serve(root: PathBuf, served: Served) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("address").port();
    let server = Arc::new(Server {
        root,
        harness: served.files,
        rewrites: served.rewrites,
        done: Mutex::new(false),
        signal: Condvar::new(),
    });
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let server = Arc::clone(&server);
            std::thread::spawn(move || server.handle(stream));
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// What one Chromium run printed.
pub struct BrowserRun {
    /// The DOM of the page once its `load` event fired (`--dump-dom`).
    pub dom: String,
    /// The browser's log (with `--enable-logging=stderr`, console messages and policy
    /// violations).
    pub stderr: String,
}

/// One headless Chromium process on `url`, with a fresh profile: the dumped DOM and the log.
pub fn run(browser: &str, url: &str) -> BrowserRun {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--window-size=1400,1000",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    while child.try_wait().expect("wait chromium").is_none() {
        if started.elapsed() > CHROMIUM_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("Chromium n'a pas fini en {CHROMIUM_TIMEOUT:?} sur {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    BrowserRun {
        dom: out.join().expect("chromium stdout"),
        stderr: err.join().expect("chromium stderr"),
    }
}

/// Script of every harness page: `finir(resultat)` writes the result as JSON and releases
/// the page's `load` event; `charger(src, largeur, hauteur, suite)` loads a page in a new
/// frame of that size and calls `suite(cadre)` once it has loaded; `injecter(cadre, src,
/// suite)` loads a harness script into a frame's document (same origin, so the pages'
/// `script-src 'self'` allows it); `enSerie(elements, travail, fin)` runs an asynchronous
/// `travail(element, suivant)` over a list, one at a time.
pub const HARNESS_JS: &str = r#"
function finir(resultat) {
  document.getElementById('sortie').textContent = JSON.stringify(resultat);
  var x = new XMLHttpRequest();
  x.open('GET', '/__harnais/fini', true);
  x.send();
}
function charger(src, largeur, hauteur, suite) {
  var cadre = document.createElement('iframe');
  cadre.width = String(largeur);
  cadre.height = String(hauteur);
  cadre.addEventListener('load', function () { suite(cadre); }, { once: true });
  cadre.src = src;
  document.getElementById('cadres').appendChild(cadre);
}
function injecter(cadre, src, suite) {
  var doc = cadre.contentDocument;
  var script = doc.createElement('script');
  script.src = src;
  script.addEventListener('load', function () { suite(); }, { once: true });
  script.addEventListener('error', function () { suite(new Error('script ' + src)); }, { once: true });
  (doc.head || doc.documentElement).appendChild(script);
}
function enSerie(elements, travail, fin) {
  var i = 0;
  (function suivant() {
    if (i >= elements.length) { fin(); return; }
    var element = elements[i++];
    try { travail(element, function () { setTimeout(suivant, 0); }); }
    catch (e) { fin(e); }
  })();
}
function attendreQue(condition, delai, suite) {
  var debut = Date.now();
  (function essai() {
    var ok = false;
    try { ok = condition(); } catch (e) { ok = false; }
    if (ok || Date.now() - debut > delai) suite(ok); else setTimeout(essai, 20);
  })();
}
"#;

/// A harness page: `head` (extra markup in `<head>`), `body` (before the frames), then
/// `script` (which must call `finir`). Frames made by `charger` go into `<div id="cadres">`.
pub fn harness_page(head: &str, body: &str, script: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Harnais</title>\
         <script src=\"{HARNESS}/commun.js\"></script>{head}</head><body>\n{body}\n\
         <div id=\"cadres\"></div>\n<pre id=\"sortie\"></pre>\n<script>{script}</script>\n\
         <iframe src=\"{HARNESS}/attente\" width=\"10\" height=\"10\"></iframe>\n</body></html>\n"
    )
}

/// The harness files every harness page needs ([`HARNESS_JS`] at `/__harnais/commun.js`).
pub fn harness_files() -> Served {
    Served::default().file(&format!("{HARNESS}/commun.js"), HARNESS_JS)
}

/// The JSON the harness wrote into `<pre id="sortie">`.
pub fn harness_output(dom: &str) -> serde_json::Value {
    let doc = scraper::Html::parse_document(dom);
    let pre = doc
        .select(&scraper::Selector::parse("#sortie").expect("selector"))
        .next()
        .unwrap_or_else(|| panic!("no harness output; DOM: {}", &dom[..dom.len().min(3000)]));
    let text: String = pre.text().collect();
    serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "harness output ({e}): {}; DOM: {}",
            &text[..text.len().min(2000)],
            &dom[..dom.len().min(2000)]
        )
    })
}

/// Builds a harness page with `script`, serves it beside `root` and runs Chromium on it:
/// the JSON passed to `finir`.
pub fn run_harness(browser: &str, root: &Path, served: Served, script: &str) -> serde_json::Value {
    let mut served = served;
    for (path, body) in harness_files().files {
        served.files.entry(path).or_insert(body);
    }
    let page = format!("{HARNESS}/harnais.html");
    served
        .files
        .insert(page.clone(), harness_page("", "", script).into_bytes());
    let origin = serve(root.to_path_buf(), served);
    let started = Instant::now();
    let out = run(browser, &format!("{origin}{page}"));
    eprintln!("Chromium : harnais exécuté en {:?}", started.elapsed());
    harness_output(&out.dom)
}

/// Paths (relative, '/'-separated) of every file under `root` with one of `extensions`,
/// sorted.
pub fn files_with(root: &Path, extensions: &[&str]) -> Vec<String> {
    let mut paths: Vec<String> = super::read_tree(root)
        .into_keys()
        .filter(|p| extensions.iter().any(|e| p.ends_with(&format!(".{e}"))))
        .collect();
    paths.sort();
    paths
}

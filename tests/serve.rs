//! `amiris serve` end to end: the real binary on a copy of a fixture, fetched over HTTP.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a change may take to show (the issue asks for a fraction of a second).
const CHANGE_TIMEOUT: Duration = Duration::from_secs(10);

/// A running `amiris serve`, killed when dropped.
struct Preview {
    child: Child,
    port: u16,
    lines: mpsc::Receiver<String>,
    _site: tempfile::TempDir,
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Preview {
    /// Starts the preview of a copy of `fixture` on a port chosen by the system.
    fn start(fixture: &str) -> Preview {
        let site = common::copy_fixture(fixture);
        let mut child = Command::new(env!("CARGO_BIN_EXE_amiris"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start amiris serve");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                println!("[serve] {line}");
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut preview = Preview {
            child,
            port: 0,
            lines,
            _site: site,
        };
        let line = preview.wait_line("Aperçu du site : ", Duration::from_secs(60));
        let url = line.split("Aperçu du site : ").nth(1).expect("url");
        let port = url
            .strip_prefix("http://127.0.0.1:")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("URL not on 127.0.0.1: {url}"));
        assert_ne!(port, 0);
        preview.port = port;
        preview
    }

    fn root(&self) -> &Path {
        self._site.path()
    }

    /// The next stdout line containing `needle`.
    fn wait_line(&self, needle: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(_) => panic!("no line with « {needle} » within {timeout:?}"),
            }
        }
    }

    fn get(&self, target: &str) -> HttpResponse {
        request(self.port, "GET", target)
    }

    /// Fetches `target` until `condition` holds; returns the body and the time it took.
    fn poll_until(&self, target: &str, condition: impl Fn(&str) -> bool) -> (String, Duration) {
        let started = Instant::now();
        loop {
            let response = self.get(target);
            if condition(&response.body) {
                return (response.body, started.elapsed());
            }
            assert!(
                started.elapsed() < CHANGE_TIMEOUT,
                "{target} did not change within {CHANGE_TIMEOUT:?}; last body:\n{}",
                response.body
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// An HTTP response of the tiny client.
#[derive(Debug)]
struct HttpResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl HttpResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one raw HTTP/1.1 request (the target is sent as is, never normalised).
fn request(port: u16, method: &str, target: &str) -> HttpResponse {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(40)))
        .expect("timeout");
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad response: {head}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    HttpResponse {
        status,
        headers,
        body: body.to_string(),
    }
}

/// Writes a file the way vim and VS Code do: a new file renamed over the old one.
fn save_by_rename(path: &Path, text: &str) {
    let temporary = path.with_extension("md.tmp~");
    std::fs::write(&temporary, text).expect("write temporary");
    std::fs::rename(&temporary, path).expect("rename over");
}

fn h1(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("h1").expect("selector");
    document
        .select(&selector)
        .next()
        .map(|e| e.text().collect::<String>().trim().to_string())
        .unwrap_or_default()
}

/// "Reconstruit en N ms : P pages (sur T) …" -> (N, P, T).
fn rebuild_numbers(line: &str) -> (u64, usize, Option<usize>) {
    let number = |s: &str| -> u64 {
        s.chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or_else(|_| panic!("no number in « {line} »"))
    };
    let after = line.split("Reconstruit en ").nth(1).expect("rebuild line");
    let ms = number(after);
    let pages = number(after.split(" ms : ").nth(1).expect("pages"));
    let total = after.split("(sur ").nth(1).map(|s| number(s) as usize);
    (ms, pages as usize, total)
}

const PROJECT: &str = "content/projets/panier-solidaire.md";
const PAGE: &str = "/projets/panier-solidaire/";
const TITLE: &str = "Le Panier solidaire du Cambrésis";

#[test]
fn an_edit_is_served_after_an_incremental_rebuild_and_open_pages_reload() {
    let preview = Preview::start("minimal");
    let first = preview.get(PAGE);
    assert_eq!(first.status, 200);
    assert_eq!(
        first.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(h1(&first.body), TITLE);
    let document = scraper::Html::parse_document(&first.body);
    let script = scraper::Selector::parse("script[src=\"/__amiris/recharge.js\"]").unwrap();
    let version: u64 = document
        .select(&script)
        .next()
        .and_then(|s| s.value().attr("data-version"))
        .and_then(|v| v.parse().ok())
        .expect("reload script with its version");
    assert!(!first.body.contains("amiris-erreurs"));
    let js = preview.get("/__amiris/recharge.js");
    assert_eq!(js.status, 200);
    assert!(
        js.header("Content-Type")
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(js.body.contains("/__amiris/evenements"));

    // An open page waits for the next version (long-poll).
    let port = preview.port;
    let poll = std::thread::spawn(move || {
        request(
            port,
            "GET",
            &format!("/__amiris/evenements?version={version}"),
        )
    });
    std::thread::sleep(Duration::from_millis(200));

    let path = preview.root().join(PROJECT);
    let text = std::fs::read_to_string(&path).unwrap();
    let started = Instant::now();
    save_by_rename(&path, &text.replace(TITLE, "Le Panier solidaire renommé"));
    let (body, waited) = preview.poll_until(PAGE, |b| h1(b) == "Le Panier solidaire renommé");
    println!(
        "title edit visible over HTTP after {} ms",
        started.elapsed().as_millis()
    );
    assert!(waited < CHANGE_TIMEOUT);
    assert!(body.contains("/__amiris/recharge.js"));
    let line = preview.wait_line("Reconstruit en ", Duration::from_secs(5));
    let (ms, title_pages, total) = rebuild_numbers(&line);
    let total = total.expect("an incremental rebuild names the site's page count");
    println!("title edit: rebuilt in {ms} ms, {title_pages} of {total} pages");
    assert!(
        title_pages > 0 && title_pages < total,
        "a title edit re-renders some pages, not all: {line}"
    );
    let answered = poll.join().expect("long-poll thread");
    let new_version: u64 = answered
        .body
        .trim_start_matches("{\"version\":")
        .trim_end_matches('}')
        .parse()
        .expect("version");
    assert!(new_version > version, "{}", answered.body);
    // The listing that shows the project shows its new title too.
    let listing = preview.get("/projets/page/2/");
    assert!(listing.body.contains("Le Panier solidaire renommé"));
    let sector = preview.get("/secteurs/alimentation/");
    assert!(sector.body.contains("Le Panier solidaire renommé"));

    // A body-only edit: the rebuild renders the pages asked for recently whose inputs
    // changed, the others when asked for.
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text.replacen(
        "## Contexte\n",
        "## Contexte\n\nPhrase ajoutée en direct.\n",
        1,
    );
    assert_ne!(edited, text, "the fixture has a Contexte section");
    save_by_rename(&path, &edited);
    preview.poll_until(PAGE, |b| b.contains("Phrase ajoutée en direct."));
    let line = preview.wait_line("Reconstruit en ", Duration::from_secs(5));
    let (ms, body_pages, _) = rebuild_numbers(&line);
    println!("body edit: rebuilt in {ms} ms, {body_pages} pages");
    // Of the three pages asked for by now, only the project's own changed.
    assert_eq!(body_pages, 1, "body edit {body_pages} pages: {line}");
    assert!(line.contains("les autres à la demande"), "{line}");
    // Nothing was written into the site folder.
    assert!(!preview.root().join("output").exists());
}

#[test]
fn invalid_content_shows_the_overlay_over_the_last_good_site_until_fixed() {
    let preview = Preview::start("minimal");
    let path = preview.root().join(PROJECT);
    let good = std::fs::read_to_string(&path).unwrap();
    let line = good
        .lines()
        .position(|l| l.starts_with("stade:"))
        .expect("stade line")
        + 1;
    save_by_rename(&path, &good.replace("stade: essaimage", "stade: inconnu"));
    let (body, _) = preview.poll_until(PAGE, |b| b.contains("amiris-erreurs"));
    let document = scraper::Html::parse_document(&body);
    let overlay = scraper::Selector::parse("body > #amiris-erreurs[role=alert]").unwrap();
    let overlay = document
        .select(&overlay)
        .next()
        .expect("overlay first in body")
        .text()
        .collect::<String>();
    assert!(overlay.contains(PROJECT), "{overlay}");
    assert!(overlay.contains(&format!("ligne {line}")), "{overlay}");
    assert!(overlay.contains("stade"), "{overlay}");
    // The last good page is still served under the overlay.
    assert_eq!(h1(&body), TITLE);
    let css = preview.get("/__amiris/apercu.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert!(css.body.contains(".amiris-erreurs"));
    // Every page shows it, the home page included.
    assert!(preview.get("/").body.contains("id=\"amiris-erreurs\""));

    save_by_rename(&path, &good);
    let (body, _) = preview.poll_until(PAGE, |b| !b.contains("amiris-erreurs"));
    assert_eq!(h1(&body), TITLE);
}

#[test]
fn only_files_of_the_site_are_served_and_only_on_loopback() {
    let preview = Preview::start("minimal");
    for target in [
        "/../Cargo.toml",
        "/projets/../../content/site.yaml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/content/site.yaml",
        "/projets/..%2f..%2fcontent%2fsite.yaml",
        "/content/site.yaml",
        "/content/projets/panier-solidaire.md",
    ] {
        let response = preview.get(target);
        assert_eq!(response.status, 404, "{target}");
        assert!(!response.body.contains("titre:"), "{target}");
    }
    for target in [
        "/..%5c..%5ccontent%5csite.yaml",
        "/a%00b",
        "/%zz",
        "/..\\content\\site.yaml",
    ] {
        let status = preview.get(target).status;
        assert!(status == 400 || status == 404, "{target}: {status}");
    }
    assert_eq!(request(preview.port, "POST", "/").status, 405);
    assert_eq!(request(preview.port, "DELETE", "/").status, 405);
    let head = request(preview.port, "HEAD", PAGE);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let radar = preview.get("/projets/panier-solidaire/radar.svg");
    assert_eq!(radar.status, 200);
    assert_eq!(radar.header("Content-Type"), Some("image/svg+xml"));
    let redirect = preview.get("/projets");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("Location"), Some("/projets/"));
    let missing = preview.get("/nulle-part/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page introuvable"));

    // The listening socket is bound to 127.0.0.1 only (Linux: /proc/net/tcp).
    if cfg!(target_os = "linux") {
        let table = std::fs::read_to_string("/proc/net/tcp").expect("/proc/net/tcp");
        let port = format!("{:04X}", preview.port);
        let listening: Vec<&str> = table
            .lines()
            .skip(1)
            .filter_map(|l| {
                let fields: Vec<&str> = l.split_whitespace().collect();
                let (address, state) = (fields.get(1)?, fields.get(3)?);
                (address.ends_with(&format!(":{port}")) && *state == "0A").then_some(*address)
            })
            .collect();
        assert_eq!(listening, [format!("0100007F:{port}")]);
        let table6 = std::fs::read_to_string("/proc/net/tcp6").unwrap_or_default();
        assert!(
            !table6.lines().any(|l| l
                .split_whitespace()
                .nth(1)
                .is_some_and(|a| a.ends_with(&format!(":{port}")))),
            "no IPv6 listener"
        );
    }
}

#[test]
fn a_half_written_project_does_not_freeze_the_preview() {
    let preview = Preview::start("minimal");
    let new_file = "content/projets/projet-en-cours.md";
    // A new project, still being written: its errors are shown, nothing else stops.
    std::fs::write(
        preview.root().join(new_file),
        "---\ntitre: \"Projet en cours\"\nresume:\n---\n",
    )
    .unwrap();
    let (body, _) = preview.poll_until(PAGE, |b| b.contains(new_file));
    assert_eq!(h1(&body), TITLE);
    // The banner and the console say that only that project is left out.
    assert!(
        body.contains("le reste du site suit vos modifications"),
        "{body}"
    );
    preview.wait_line("Erreurs dans des fiches projet", Duration::from_secs(30));
    // The rest of the site keeps following the edits.
    let path = preview.root().join(PROJECT);
    let good = std::fs::read_to_string(&path).unwrap();
    save_by_rename(
        &path,
        &good.replace(TITLE, "Le Panier solidaire, nouvelle version"),
    );
    let (body, _) = preview.poll_until(PAGE, |b| h1(b) == "Le Panier solidaire, nouvelle version");
    assert!(
        body.contains(new_file),
        "the banner still names the unfinished file"
    );
    // The unfinished project's own address shows its errors.
    let page = preview.get("/projets/projet-en-cours/");
    assert_eq!(page.status, 404);
    assert!(page.body.contains("id=\"amiris-erreurs\""), "{}", page.body);
    assert!(page.body.contains("resume"), "{}", page.body);
    // The banner is in the flow of the page: it pushes the header down, never covers it.
    let css = preview.get("/__amiris/apercu.css").body;
    assert!(
        !css.contains("position: fixed") && !css.contains("position: absolute"),
        "{css}"
    );
    // Once finished (here: removed), the banner goes.
    std::fs::remove_file(preview.root().join(new_file)).unwrap();
    preview.poll_until(PAGE, |b| !b.contains("amiris-erreurs"));
}

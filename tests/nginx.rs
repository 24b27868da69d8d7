//! The demonstration site served by a real nginx under a sub-path, crawled over HTTP: no broken link.
//!
//! Builds the demonstration catalogue with `--base-url http://127.0.0.1:<port>/catalogue/`,
//! serves it with nginx (`location /catalogue/ { alias …; }`, `error_page 404`), then crawls
//! from `/catalogue/` every page and asset it links to (`href`, `src`, absolute same-origin URLs
//! of `<meta>` and JSON-LD, `url(…)` of style sheets, `<loc>` and `<link href>` of the XML
//! files), and asserts: every internal address answers 200; every HTML page of the output is
//! reached; a missing address gets the 404 page with status 404 (under `en/`, the English one);
//! every XML file parses.
//!
//! nginx comes from the Debian package (`.ci/run` installs it). Without it the test fails
//! under `CI=true` and is skipped with a message elsewhere.

mod common;

use common::amiris;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The sub-path the site is served under.
const PREFIX: &str = "/catalogue/";

/// nginx, running as a child of the test; killed when dropped (also when the test fails).
struct Nginx {
    child: Child,
    port: u16,
    error_log: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The nginx binary: on the PATH, or where Debian installs it.
fn nginx_binary() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain(["/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"].map(PathBuf::from))
        .map(|dir| dir.join("nginx"))
        .find(|candidate| candidate.is_file())
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("port libre")
}

/// A minimal, self-contained configuration: one process in the foreground, every file in
/// `dir`, the site under `PREFIX`, the site's 404 page for missing addresses.
fn nginx_config(dir: &Path, port: u16, site: &Path) -> String {
    let d = dir.display();
    format!(
        r#"daemon off;
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 64; }}
http {{
    types {{
        text/html html;
        text/css css;
        text/xml xml;
        text/plain txt;
        text/csv csv;
        application/json json;
        image/svg+xml svg;
        image/png png;
        image/jpeg jpg jpeg;
        image/webp webp;
    }}
    default_type application/octet-stream;
    access_log {d}/access.log;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        location {PREFIX} {{
            alias {site}/;
            # Content-hashed theme files never change: cache them for good.
            location ~ "\.[0-9a-f]{{8}}\.[a-z0-9]+$" {{
                add_header Cache-Control "public, max-age=31536000, immutable";
            }}
        }}
        # The English pages' own 404 page, as docs/publier.md tells.
        location {PREFIX}en/ {{
            alias {site}/en/;
            error_page 404 {PREFIX}en/404.html;
        }}
        error_page 404 {PREFIX}404.html;
    }}
}}
"#,
        site = site.display()
    )
}

/// Starts nginx on a free port serving `site` (which may not exist yet).
fn start_nginx(binary: &Path, dir: &Path, site: &Path) -> Nginx {
    let mut last_error = String::new();
    for _ in 0..5 {
        let port = free_port();
        let conf = dir.join("nginx.conf");
        std::fs::write(&conf, nginx_config(dir, port, site)).expect("écriture de nginx.conf");
        let error_log = dir.join("error.log");
        let child = Command::new(binary)
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(&conf)
            .arg("-e")
            .arg(&error_log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("lancement de nginx");
        let mut nginx = Nginx {
            child,
            port,
            error_log,
        };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = nginx.child.try_wait() {
                break;
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return nginx;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        last_error = std::fs::read_to_string(&nginx.error_log).unwrap_or_default();
    }
    panic!("nginx n'a pas démarré :\n{last_error}");
}

/// One HTTP response.
struct Response {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

/// `GET path` over HTTP/1.1 (one connection per request).
fn get(port: u16, path: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connexion à nginx");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("délai");
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: amiris-test\r\nConnection: close\r\n\r\n",
        encode_path(path)
    );
    stream.write_all(request.as_bytes()).expect("requête");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("réponse");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("réponse sans en-têtes pour {path}"));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("ligne de statut illisible pour {path} : {head}"));
    let headers: BTreeMap<String, String> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .get("transfer-encoding")
        .is_some_and(|t| t.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

/// The body of a chunked response.
fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .expect("taille de bloc");
        if size == 0 {
            break;
        }
        let start = end + 2;
        body.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
    body
}

/// A path as it goes on the request line: bytes outside printable ASCII percent-encoded.
fn encode_path(path: &str) -> String {
    path.bytes()
        .map(|b| {
            if b.is_ascii_graphic() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `%XX` escapes decoded (to find the file on disk).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where a link leads, seen from the page at `from` (an absolute path).
#[derive(Debug, PartialEq)]
enum Target {
    /// An absolute path on the test server (query and fragment removed).
    Internal(String),
    /// Another site, `mailto:`…: not crawled.
    External,
    /// A same-page anchor.
    SamePage,
}

/// Resolves `href` against the page at `from` like a browser would.
fn resolve(from: &str, href: &str, origin: &str) -> Result<Target, String> {
    let href = href.trim();
    let href = href.split('#').next().unwrap_or("");
    if href.is_empty() {
        return Ok(Target::SamePage);
    }
    let path = if let Some(rest) = href.strip_prefix(origin) {
        if !rest.starts_with('/') {
            return Ok(Target::External);
        }
        rest.to_string()
    } else if href.starts_with("//") || has_scheme(href) {
        return Ok(Target::External);
    } else if href.starts_with('/') {
        href.to_string()
    } else if let Some(query) = href.strip_prefix('?') {
        format!("{}?{query}", from.split('?').next().unwrap_or(from))
    } else {
        let dir = &from[..from.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{href}")
    };
    let path = path.split('?').next().unwrap_or("");
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." => {
                if last {
                    parts.push("");
                }
            }
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!(
                        "« {href} » remonte au-dessus de la racine du serveur"
                    ));
                }
                if last {
                    parts.push("");
                }
            }
            other => parts.push(other),
        }
    }
    Ok(Target::Internal(format!("/{}", parts.join("/"))))
}

/// Whether `url` starts with a URL scheme (`https:`, `mailto:`…).
fn has_scheme(url: &str) -> bool {
    match url.find([':', '/', '?', '#']) {
        Some(at) if url.as_bytes()[at] == b':' => url[..at]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
        _ => false,
    }
}

/// The addresses an HTML page points to: links, assets, and absolute URLs of its metadata.
fn html_links(html: &str, origin: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let mut links = Vec::new();
    for (selector, attribute) in [
        ("a[href]", "href"),
        ("link[href]", "href"),
        ("area[href]", "href"),
        ("img[src]", "src"),
        ("script[src]", "src"),
        ("source[src]", "src"),
        ("iframe[src]", "src"),
        ("meta[content]", "content"),
    ] {
        let selector = scraper::Selector::parse(selector).expect("sélecteur");
        for element in document.select(&selector) {
            if let Some(value) = element.value().attr(attribute) {
                // `<meta content>` is text, except the absolute URLs of OpenGraph and Twitter.
                if attribute != "content" || value.starts_with(origin) {
                    links.push(value.to_string());
                }
            }
        }
    }
    for selector in ["img[srcset]", "source[srcset]"] {
        let selector = scraper::Selector::parse(selector).expect("sélecteur");
        for element in document.select(&selector) {
            let srcset = element.value().attr("srcset").unwrap_or("");
            links.extend(
                srcset
                    .split(',')
                    .filter_map(|item| item.split_whitespace().next())
                    .map(str::to_string),
            );
        }
    }
    let json_ld =
        scraper::Selector::parse(r#"script[type="application/ld+json"]"#).expect("sélecteur");
    for element in document.select(&json_ld) {
        let text: String = element.text().collect();
        let value: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("JSON-LD illisible ({e}) : {text}"));
        json_urls(&value, origin, &mut links);
    }
    links
}

/// The strings of a JSON value that are absolute URLs of the test server.
fn json_urls(value: &serde_json::Value, origin: &str, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) if text.starts_with(origin) => out.push(text.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_urls(v, origin, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| json_urls(v, origin, out)),
        _ => {}
    }
}

/// The `url(…)` references of a style sheet (`data:` URIs excluded).
fn css_links(css: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = css;
    while let Some(at) = rest.find("url(") {
        rest = &rest[at + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        let url = rest[..end].trim().trim_matches(['"', '\'']);
        if !url.starts_with("data:") {
            links.push(url.to_string());
        }
        rest = &rest[end..];
    }
    links
}

/// The addresses an XML file points to (`<loc>` of a sitemap, `<link href>` of a feed); panics
/// when it does not parse.
fn xml_links(path: &str, text: &str) -> Vec<String> {
    let document = roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("{path} n'est pas du XML bien formé : {e}"));
    let mut links = Vec::new();
    for node in document.descendants().filter(|n| n.is_element()) {
        match node.tag_name().name() {
            "loc" => links.extend(node.text().map(|t| t.trim().to_string())),
            "link" => links.extend(node.attribute("href").map(str::to_string)),
            _ => {}
        }
    }
    links
}

/// The URL path at which a file of the output is served (`a/index.html` -> `/catalogue/a/`).
fn url_of(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) => format!("{PREFIX}{dir}"),
        None => format!("{PREFIX}{file}"),
    }
}

/// The crawl: what was fetched, from where, and what went wrong.
#[derive(Default)]
struct Crawl {
    /// Path -> the page that first linked it.
    seen: BTreeMap<String, String>,
    queue: VecDeque<String>,
    /// Paths that answered 200.
    ok: BTreeSet<String>,
    problems: Vec<String>,
    external: BTreeSet<String>,
}

impl Crawl {
    /// Queues the links found on the page at `from`.
    fn follow(&mut self, from: &str, links: Vec<String>, origin: &str) {
        for link in links {
            match resolve(from, &link, origin) {
                Ok(Target::Internal(path)) => {
                    if !path.starts_with(PREFIX) {
                        self.problems.push(format!(
                            "{from} : le lien « {link} » sort du site servi sous {PREFIX} ({path})"
                        ));
                    } else if !self.seen.contains_key(&path) {
                        self.seen.insert(path.clone(), from.to_string());
                        self.queue.push_back(path);
                    }
                }
                Ok(Target::External) => {
                    self.external.insert(link);
                }
                Ok(Target::SamePage) => {}
                Err(problem) => self.problems.push(format!("{from} : {problem}")),
            }
        }
    }

    /// Fetches every queued address, following what each one links to.
    fn run(&mut self, port: u16, origin: &str) {
        while let Some(path) = self.queue.pop_front() {
            let response = get(port, &path);
            if response.status != 200 {
                self.problems.push(format!(
                    "{path} (lien trouvé sur {}) : statut HTTP {}",
                    self.seen[&path], response.status
                ));
                continue;
            }
            self.ok.insert(path.clone());
            let content_type = response
                .headers
                .get("content-type")
                .cloned()
                .unwrap_or_default();
            let text = String::from_utf8_lossy(&response.body);
            let links = if content_type.starts_with("text/html") {
                html_links(&text, origin)
            } else if content_type.starts_with("text/css") {
                css_links(&text)
            } else if path.ends_with(".xml") || path.ends_with(".svg") {
                xml_links(&path, &text)
            } else {
                Vec::new()
            };
            self.follow(&path, links, origin);
        }
    }
}

/// The built demonstration site under `dir/site`, served by nginx.
fn serve_demonstration(binary: &Path, dir: &Path) -> (Nginx, PathBuf) {
    let site = dir.join("site");
    let nginx = start_nginx(binary, dir, &site);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    // An IP address, as on an intranet staging server: `--base-url` accepts it.
    let base_url = format!("http://127.0.0.1:{}{PREFIX}", nginx.port);
    let out = amiris(&[
        "build",
        "--root",
        &repo.to_string_lossy(),
        "--output",
        &site.to_string_lossy(),
        "--base-url",
        &base_url,
        "--quiet",
    ]);
    assert!(
        out.status.success(),
        "la construction a échoué : {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (nginx, site)
}

#[test]
fn nginx_serves_the_site_under_a_sub_path_without_a_broken_link() {
    let Some(binary) = nginx_binary() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("nginx est introuvable : .ci/run doit l'installer (paquet Debian nginx)");
        }
        eprintln!("test ignoré : nginx est introuvable (apt-get install nginx pour le lancer)");
        return;
    };
    let dir = tempfile::tempdir().expect("dossier temporaire");
    let (nginx, site) = serve_demonstration(&binary, dir.path());
    let port = nginx.port;
    let origin = format!("http://127.0.0.1:{port}");
    let files = common::read_tree(&site);

    let mut crawl = Crawl::default();

    // A missing address, shallow or deep, gets the site's 404 page with status 404, and the
    // links of that page work from there.
    for missing in [
        format!("{PREFIX}cette-page-n-existe-pas/"),
        format!("{PREFIX}projets/projet-inconnu/page/3/"),
    ] {
        let response = get(port, &missing);
        assert_eq!(response.status, 404, "{missing}");
        assert_eq!(
            response.body, files["404.html"],
            "{missing} : la page 404 du site doit être servie"
        );
        let text = String::from_utf8_lossy(&response.body).into_owned();
        crawl.follow(&missing, html_links(&text, &origin), &origin);
    }
    // Under en/, the English one.
    let missing = format!("{PREFIX}en/projets/projet-inconnu/");
    let response = get(port, &missing);
    assert_eq!(response.status, 404, "{missing}");
    assert_eq!(
        response.body, files["en/404.html"],
        "{missing} : la page 404 anglaise doit être servie"
    );
    let text = String::from_utf8_lossy(&response.body).into_owned();
    crawl.follow(&missing, html_links(&text, &origin), &origin);

    // The ownership marker lies beside the published folder, not in it: nginx (which serves
    // dot files by default) has nothing to give.
    assert!(dir.path().join("site.amiris").is_file());
    assert!(
        !files.keys().any(|f| f.ends_with(".amiris")),
        "témoin publié"
    );
    assert_eq!(get(port, &format!("{PREFIX}.amiris")).status, 404);

    // From the home page, everything it leads to.
    crawl.seen.insert(PREFIX.to_string(), "(départ)".into());
    crawl.queue.push_back(PREFIX.to_string());
    // robots.txt and the sitemap are entry points of crawlers, not linked from pages.
    for entry in ["robots.txt", "sitemap.xml"] {
        if files.contains_key(entry) {
            let path = format!("{PREFIX}{entry}");
            crawl
                .seen
                .insert(path.clone(), "(point d'entrée des robots)".into());
            crawl.queue.push_back(path);
        }
    }
    crawl.run(port, &origin);

    if let Some(robots) = files.get("robots.txt") {
        let robots = String::from_utf8_lossy(robots);
        for line in robots.lines() {
            if let Some(url) = line.strip_prefix("Sitemap:") {
                match resolve(PREFIX, url.trim(), &origin) {
                    Ok(Target::Internal(path)) => assert!(
                        crawl.ok.contains(&path),
                        "le plan du site de robots.txt ({path}) ne répond pas"
                    ),
                    other => panic!("robots.txt : plan du site hors du site : {other:?}"),
                }
            }
        }
    }

    assert!(
        crawl.problems.is_empty(),
        "{} problème(s) :\n{}",
        crawl.problems.len(),
        crawl.problems.join("\n")
    );

    // Every HTML page of the output tree, and every content-hashed theme file, was reached.
    let reached: BTreeSet<String> = crawl.ok.iter().map(|p| percent_decode(p)).collect();
    let unreached: Vec<&String> = files
        .keys()
        .filter(|file| {
            let page = file.ends_with(".html") && !file.ends_with("404.html");
            let hashed = file.starts_with("static/") && is_hashed(file);
            (page || hashed) && !reached.contains(&url_of(file))
        })
        .collect();
    assert!(
        unreached.is_empty(),
        "{} fichier(s) jamais atteints depuis l'accueil : {unreached:?}",
        unreached.len()
    );

    // Every XML file of the output parses (sitemap.xml and atom.xml among them when built).
    for (file, bytes) in &files {
        if file.ends_with(".xml") {
            xml_links(file, &String::from_utf8_lossy(bytes));
        }
    }
    for required in ["sitemap.xml", "atom.xml"] {
        if files.contains_key(required) {
            assert!(
                crawl.ok.contains(&format!("{PREFIX}{required}")),
                "{required} est produit mais jamais atteint"
            );
        } else {
            eprintln!("remarque : {required} n'est pas produit par cette version");
        }
    }

    // Content-hashed files are served with a long cache lifetime.
    let style = crawl
        .ok
        .iter()
        .find(|p| p.starts_with(&format!("{PREFIX}static/style.")) && is_hashed(p))
        .expect("feuille de style à nom haché atteinte")
        .clone();
    let response = get(port, &style);
    assert!(
        response
            .headers
            .get("cache-control")
            .is_some_and(|c| c.contains("immutable")),
        "{style} : {:?}",
        response.headers
    );

    let other_files: Vec<&String> = files
        .keys()
        .filter(|file| !reached.contains(&url_of(file)))
        .collect();
    eprintln!(
        "crawl : {} adresses en 200, {} liens externes non suivis ; fichiers non liés (hors pages) : {other_files:?}",
        crawl.ok.len(),
        crawl.external.len()
    );
}

/// Whether a file name carries a content hash (`style.3f9a1c2b.css`).
fn is_hashed(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.split('.').any(|part| {
        part.len() == 8
            && part
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

#[test]
fn links_resolve_like_a_browser() {
    let origin = "http://127.0.0.1:8080";
    let from = "/catalogue/projets/a/";
    let internal = |p: &str| Ok(Target::Internal(p.to_string()));
    assert_eq!(resolve(from, "../../", origin), internal("/catalogue/"));
    assert_eq!(
        resolve(from, "../../static/s.css", origin),
        internal("/catalogue/static/s.css")
    );
    assert_eq!(
        resolve(from, "radar.svg#x", origin),
        internal("/catalogue/projets/a/radar.svg")
    );
    assert_eq!(
        resolve(from, "./", origin),
        internal("/catalogue/projets/a/")
    );
    assert_eq!(resolve(from, "..", origin), internal("/catalogue/projets/"));
    assert_eq!(
        resolve(from, "?secteur=x", origin),
        internal("/catalogue/projets/a/")
    );
    assert_eq!(
        resolve(from, "/catalogue/x/", origin),
        internal("/catalogue/x/")
    );
    assert_eq!(
        resolve(from, "http://127.0.0.1:8080/catalogue/y/", origin),
        internal("/catalogue/y/")
    );
    assert_eq!(
        resolve(from, "http://127.0.0.1:80801/", origin),
        Ok(Target::External)
    );
    assert_eq!(
        resolve(from, "https://exemple.fr/", origin),
        Ok(Target::External)
    );
    assert_eq!(resolve(from, "mailto:a@b.fr", origin), Ok(Target::External));
    assert_eq!(resolve(from, "#haut", origin), Ok(Target::SamePage));
    assert!(resolve(from, "../../../../x", origin).is_err());
    assert_eq!(url_of("projets/a/index.html"), "/catalogue/projets/a/");
    assert_eq!(
        url_of("projets/a/radar.svg"),
        "/catalogue/projets/a/radar.svg"
    );
    assert!(is_hashed("static/style.3f9a1c2b.css") && !is_hashed("static/style.css"));
    assert_eq!(
        css_links("a{background:url('i.png')} b{x:url(data:x)}"),
        ["i.png"]
    );
    assert_eq!(percent_decode("a%20b"), "a b");
    assert_eq!(encode_path("/a b/é"), "/a%20b/%C3%A9");
}

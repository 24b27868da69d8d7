//! HTTP answers of `amiris serve`: only GET and HEAD, only files of the in-memory site,
//! the reload script and overlay style under `/__amiris/`, and the reload long-poll.

use super::live::{Live, Problem};
use crate::escape;
use std::io::Cursor;
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// Prefix of the addresses reserved for the preview machinery.
pub const RESERVED: &str = "/__amiris/";
/// The reload script, injected into every served HTML page.
const RELOAD_JS: &str = include_str!("recharge.js");
/// The style of the diagnostics overlay.
const OVERLAY_CSS: &str = include_str!("apercu.css");
/// How long a reload long-poll waits for a new version before answering anyway.
const POLL_TIMEOUT: Duration = Duration::from_secs(25);

/// Why a request path is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Malformed: bad percent escape, NUL or control character, backslash, not UTF-8 (400).
    BadRequest,
    /// Names something outside the site: `.` or `..` segment, empty segment (404).
    NotFound,
}

/// Decodes the path of a request target into a key of the in-memory site (no leading
/// `/`), refusing anything that could name a file outside it.
pub fn site_key(target: &str) -> Result<String, Refused> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(path) = path.strip_prefix('/') else {
        return Err(Refused::BadRequest);
    };
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(Refused::BadRequest)?;
            let hex = std::str::from_utf8(hex).map_err(|_| Refused::BadRequest)?;
            let value = u8::from_str_radix(hex, 16).map_err(|_| Refused::BadRequest)?;
            decoded.push(value);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(decoded).map_err(|_| Refused::BadRequest)?;
    if decoded.chars().any(|c| c.is_control() || c == '\\') {
        return Err(Refused::BadRequest);
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (index, segment) in segments.iter().enumerate() {
        if *segment == "." || *segment == ".." || (segment.is_empty() && index != last) {
            return Err(Refused::NotFound);
        }
    }
    Ok(decoded)
}

/// The content type of an output file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "xml" => {
            if path.ends_with("atom.xml") {
                "application/atom+xml; charset=utf-8"
            } else {
                "application/xml; charset=utf-8"
            }
        }
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// Answers one request (called on its own thread).
pub fn handle(request: Request, live: &Arc<Live>) {
    let answer = answer(request.method(), request.url(), live);
    let mut response = Response::new(
        StatusCode(answer.status),
        Vec::new(),
        Cursor::new(Body(answer.body.clone())),
        Some(answer.body.len()),
        None,
    );
    let mut headers = vec![
        ("Content-Type", answer.content_type.to_string()),
        ("Cache-Control", "no-store".to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
    ];
    if let Some(location) = answer.location {
        headers.push(("Location", location));
    }
    if answer.status == 405 {
        headers.push(("Allow", "GET, HEAD".to_string()));
    }
    for (name, value) in headers {
        if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    // The client may have gone away: nothing to do about it.
    let _ = request.respond(response);
}

/// A shared body, readable without copying.
struct Body(Arc<Vec<u8>>);

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// A response before it is sent.
#[derive(Debug)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Body (left out for HEAD by the server).
    pub body: Arc<Vec<u8>>,
    /// `Location` of a redirect.
    pub location: Option<String>,
}

fn text(status: u16, message: &str) -> Answer {
    Answer {
        status,
        content_type: "text/plain; charset=utf-8",
        body: Arc::new(format!("{message}\n").into_bytes()),
        location: None,
    }
}

/// The answer to a request for `target`.
/// The site's page for unknown addresses.
const NOT_FOUND: &str = "404.html";

/// The answer to a request: a file of the site (a pending one rendered first), a redirect to
/// a folder's page, the site's 404 page, or one of the preview's own files.
pub fn answer(method: &Method, target: &str, live: &Live) -> Answer {
    if !matches!(method, Method::Get | Method::Head) {
        return text(
            405,
            "Méthode non permise : l'aperçu ne répond qu'à GET et HEAD.",
        );
    }
    let key = match site_key(target) {
        Ok(key) => key,
        Err(Refused::BadRequest) => return text(400, "Adresse invalide."),
        Err(Refused::NotFound) => return text(404, "Page introuvable."),
    };
    if let Some(name) = format!("/{key}").strip_prefix(RESERVED) {
        return reserved(name, target, live);
    }
    let file = if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key.clone()
    };
    let state = live.lock_current(&file);
    let (version, problems) = (state.version, state.problems.clone());
    if !state.built {
        drop(state);
        let page = placeholder(&problems, version);
        return html(200, page.into_bytes());
    }
    if let Some(bytes) = state.files.get(&file).cloned() {
        drop(state);
        if file.ends_with(".html") {
            return html(200, inject(&bytes, version, &problems));
        }
        return Answer {
            status: 200,
            content_type: content_type(&file),
            body: bytes,
            location: None,
        };
    }
    let index = format!("{key}/index.html");
    if state.files.contains_key(&index) || state.pending.contains(&index) {
        return Answer {
            status: 301,
            content_type: "text/plain; charset=utf-8",
            body: Arc::new(Vec::new()),
            location: Some(format!(
                "{}/",
                target.split(['?', '#']).next().unwrap_or_default()
            )),
        };
    }
    drop(state);
    let not_found = live.lock_current(NOT_FOUND).files.get(NOT_FOUND).cloned();
    match not_found {
        Some(bytes) => html(404, inject(&bytes, version, &problems)),
        None => text(404, "Page introuvable."),
    }
}

fn html(status: u16, body: Vec<u8>) -> Answer {
    Answer {
        status,
        content_type: "text/html; charset=utf-8",
        body: Arc::new(body),
        location: None,
    }
}

/// The preview's own files and the reload long-poll.
fn reserved(name: &str, target: &str, live: &Live) -> Answer {
    match name {
        "recharge.js" => Answer {
            status: 200,
            content_type: "text/javascript; charset=utf-8",
            body: Arc::new(RELOAD_JS.as_bytes().to_vec()),
            location: None,
        },
        "apercu.css" => Answer {
            status: 200,
            content_type: "text/css; charset=utf-8",
            body: Arc::new(OVERLAY_CSS.as_bytes().to_vec()),
            location: None,
        },
        "evenements" => {
            let seen = target
                .split_once('?')
                .and_then(|(_, query)| {
                    query
                        .split('&')
                        .find_map(|pair| pair.strip_prefix("version="))
                })
                .and_then(|v| v.parse::<u64>().ok());
            let version = match seen {
                Some(seen) => live.wait_change(seen, POLL_TIMEOUT),
                None => live.lock().version,
            };
            Answer {
                status: 200,
                content_type: "application/json",
                body: Arc::new(format!("{{\"version\":{version}}}").into_bytes()),
                location: None,
            }
        }
        _ => text(404, "Page introuvable."),
    }
}

/// The tags added to the `<head>` of every served page.
fn head_tags(version: u64) -> String {
    format!(
        "<link rel=\"stylesheet\" href=\"{RESERVED}apercu.css\">\
         <script src=\"{RESERVED}recharge.js\" data-version=\"{version}\" defer></script>"
    )
}

/// The diagnostics banner (empty when there is no problem).
pub fn overlay(problems: &[Problem]) -> String {
    if problems.is_empty() {
        return String::new();
    }
    // Errors in project files only leave those projects out (a published one keeps its last
    // good page): the rest of the site is current, and the banner says so.
    let title = if problems.iter().all(Problem::is_in_a_project) {
        "Des fiches projet comportent des erreurs : elles restent hors de l'aperçu (une fiche \
         déjà publiée y garde sa dernière version correcte) ; le reste du site suit vos \
         modifications. Corrigez le fichier, la page se rechargera."
    } else {
        "Le contenu comporte des erreurs : la page montre le dernier état correct du site. \
         Corrigez le fichier, la page se rechargera."
    };
    let mut html = format!(
        "<div id=\"amiris-erreurs\" class=\"amiris-erreurs\" role=\"alert\">\
         <p class=\"amiris-erreurs-titre\">{title}</p><ul>"
    );
    for problem in problems {
        html.push_str("<li>");
        if let Some(file) = &problem.file {
            html.push_str("<code class=\"amiris-erreurs-lieu\">");
            html.push_str(&escape::html(file));
            if let Some((line, column)) = problem.position {
                html.push_str(&format!(", ligne {line}, colonne {column}"));
            }
            html.push_str("</code> ");
        }
        html.push_str(&escape::html(&problem.message));
        html.push_str("</li>");
    }
    html.push_str("</ul></div>");
    html
}

/// Adds the reload script and style to a page, and the overlay when there are problems.
pub fn inject(page: &[u8], version: u64, problems: &[Problem]) -> Vec<u8> {
    let page = String::from_utf8_lossy(page);
    let head = head_tags(version);
    let mut out = match page.find("</head>") {
        Some(at) => format!("{}{head}{}", &page[..at], &page[at..]),
        None => format!("{head}{page}"),
    };
    let banner = overlay(problems);
    if !banner.is_empty() {
        let at = out
            .find("<body")
            .and_then(|start| out[start..].find('>').map(|end| start + end + 1))
            .unwrap_or(out.len());
        out.insert_str(at, &banner);
    }
    out.into_bytes()
}

/// The page served before any good build exists.
fn placeholder(problems: &[Problem], version: u64) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <title>Aperçu indisponible</title>{}</head><body>{}\
         <main class=\"amiris-attente\"><h1>Le site n'a pas encore pu être construit</h1>\
         <p>Corrigez les erreurs signalées : la page se rechargera d'elle-même.</p></main>\
         </body></html>\n",
        head_tags(version),
        overlay(problems)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_keys_never_leave_the_site() {
        assert_eq!(site_key("/").as_deref(), Ok(""));
        assert_eq!(site_key("/projets/a/?x=1").as_deref(), Ok("projets/a/"));
        assert_eq!(site_key("/caf%C3%A9/").as_deref(), Ok("café/"));
        for target in [
            "/../etc/passwd",
            "/projets/../../x",
            "/%2e%2e/x",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/a//b",
            "/./a",
        ] {
            assert_eq!(site_key(target), Err(Refused::NotFound), "{target}");
        }
        for target in [
            "/a%00b",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/%zz",
            "/%e9",
            "/%",
            "relative",
            "http://example.org/",
        ] {
            assert_eq!(site_key(target), Err(Refused::BadRequest), "{target}");
        }
    }

    #[test]
    fn content_types_follow_extensions() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("static/style.3f9a.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("projets/a/radar.svg"), "image/svg+xml");
        assert_eq!(
            content_type("atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("medias/photo.JPG"), "image/jpeg");
        assert_eq!(content_type("donnees/x"), "application/octet-stream");
    }

    #[test]
    fn overlay_escapes_and_places_the_banner_after_body() {
        let problems = [Problem {
            file: Some("content/projets/<x>.md".into()),
            position: Some((3, 7)),
            message: "« secteurs » <b>manque</b>".into(),
        }];
        let page = b"<html><head><title>t</title></head><body class=\"x\"><p>ok</p></body></html>";
        let out = String::from_utf8(inject(page, 4, &problems)).unwrap();
        assert!(out.contains("data-version=\"4\" defer></script></head>"));
        assert!(out.contains("<body class=\"x\"><div id=\"amiris-erreurs\""));
        assert!(out.contains("content/projets/&lt;x&gt;.md, ligne 3, colonne 7"));
        assert!(out.contains("&lt;b&gt;manque&lt;/b&gt;"));
        let clean = String::from_utf8(inject(page, 5, &[])).unwrap();
        assert!(!clean.contains("amiris-erreurs"));
    }

    #[test]
    fn the_banner_says_whether_the_rest_of_the_site_is_current() {
        let in_project = Problem {
            file: Some("content/projets/a.md".into()),
            position: Some((2, 1)),
            message: "x".into(),
        };
        let elsewhere = Problem {
            file: Some("content/site.yaml".into()),
            position: Some((2, 1)),
            message: "y".into(),
        };
        let projects_only = overlay(std::slice::from_ref(&in_project));
        assert!(projects_only.contains("le reste du site suit vos modifications"));
        assert!(!projects_only.contains("dernier état correct du site"));
        let whole_site = overlay(&[in_project, elsewhere]);
        assert!(whole_site.contains("la page montre le dernier état correct du site"));
    }

    #[test]
    fn only_get_and_head_are_answered() {
        let live = Live::default();
        assert_eq!(answer(&Method::Post, "/", &live).status, 405);
        assert_eq!(answer(&Method::Get, "/%2e%2e/x", &live).status, 404);
        assert_eq!(answer(&Method::Get, "/a%00", &live).status, 400);
        // Before any build: the placeholder page.
        assert_eq!(answer(&Method::Get, "/", &live).status, 200);
    }
}

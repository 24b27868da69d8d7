//! Printing a project page: Chromium's print to PDF of demonstration projects, at most three A4 pages, with the named radar and the markers table, without menus or footer links.
//!
//! Each page is printed from its file (`file://`, no server needed: links and styles are
//! relative) by one headless Chromium process per page with `--print-to-pdf`. The PDF is read
//! as bytes: the page count is the `/Count` of its page tree; what was printed is read from
//! the link annotations (`/URI`, one per visible link) and the alternative texts of the
//! tagged PDF (`/Alt`, the radar's title: the numbered drawing's ends in "(axes numérotés)").

mod common;

use common::browser::chromium;
use common::build_demonstration;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Most A4 pages a project page may print on.
const MAX_PAGES: usize = 3;

/// Longest one print may take before the test gives up.
const PRINT_TIMEOUT: Duration = Duration::from_secs(120);

/// Prints `page` (a file) to a PDF with Chromium; the PDF's bytes.
fn print_to_pdf(browser: &str, page: &Path, pdf: &Path) -> Vec<u8> {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-extensions",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    while child.try_wait().expect("wait chromium").is_none() {
        if started.elapsed() > PRINT_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "Chromium n'a pas imprimé {} en {PRINT_TIMEOUT:?}",
                page.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::read(pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()))
}

/// Number of pages of a PDF: the `/Count` of its root page tree (the largest one).
fn page_count(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Count ")
        .filter_map(|(i, m)| {
            let digits: String = text[i + m.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .max()
        .expect("page tree with /Count")
}

/// The targets of the PDF's links (`/URI (…)`).
fn link_targets(pdf: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/URI (")
        .filter_map(|(i, m)| {
            let rest = &text[i + m.len()..];
            rest.find(')').map(|end| rest[..end].to_string())
        })
        .collect()
}

/// The alternative texts of the tagged PDF: `/Alt <FEFF…>` (UTF-16 in hexadecimal) or
/// `/Alt (…)` (a literal string: escapes and octal codes of PDFDocEncoding, Latin-1 for the
/// letters used here).
fn alternative_texts(pdf: &[u8]) -> Vec<String> {
    let mut texts = Vec::new();
    let mut rest = pdf;
    while let Some(at) = find(rest, b"/Alt ") {
        rest = &rest[at + 5..];
        match rest.first() {
            Some(b'<') => {
                let end = find(rest, b">").unwrap_or(rest.len());
                let hex = String::from_utf8_lossy(&rest[1..end]);
                let units: Vec<u16> = (0..hex.len() / 4)
                    .filter_map(|k| u16::from_str_radix(hex.get(4 * k..4 * k + 4)?, 16).ok())
                    .collect();
                let text = String::from_utf16_lossy(&units);
                texts.push(text.trim_start_matches('\u{feff}').to_string());
            }
            Some(b'(') => {
                let (mut text, mut depth, mut i) = (String::new(), 0, 1);
                while let Some(&byte) = rest.get(i) {
                    i += 1;
                    match byte {
                        b'\\' => {
                            let digits: Vec<u8> = rest[i..]
                                .iter()
                                .take(3)
                                .take_while(|b| b.is_ascii_digit())
                                .copied()
                                .collect();
                            if digits.is_empty() {
                                text.push(rest.get(i).copied().map_or(' ', char::from));
                                i += 1;
                            } else {
                                let code = u8::from_str_radix(
                                    std::str::from_utf8(&digits).unwrap_or("0"),
                                    8,
                                )
                                .unwrap_or(b'?');
                                text.push(char::from(code));
                                i += digits.len();
                            }
                        }
                        b'(' => {
                            depth += 1;
                            text.push('(');
                        }
                        b')' if depth == 0 => break,
                        b')' => {
                            depth -= 1;
                            text.push(')');
                        }
                        other => text.push(char::from(other)),
                    }
                }
                texts.push(text);
            }
            _ => {}
        }
    }
    texts
}

/// Position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The published demonstration projects (those with a page in `output`), longest source
/// first.
fn projects_by_length(output: &Path) -> Vec<String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/projets");
    let mut projects: Vec<(u64, String)> = std::fs::read_dir(&folder)
        .expect("projects")
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let slug = name.strip_suffix(".md")?.to_string();
            Some((e.metadata().ok()?.len(), slug))
        })
        .filter(|(_, slug)| {
            output
                .join("projets")
                .join(slug)
                .join("index.html")
                .is_file()
        })
        .collect();
    projects.sort_by(|a, b| b.cmp(a));
    projects.into_iter().map(|(_, s)| s).collect()
}

#[test]
fn a_project_page_prints_on_three_a4_pages_at_most_with_its_radar_and_table() {
    let Some(browser) =
        chromium("a_project_page_prints_on_three_a4_pages_at_most_with_its_radar_and_table")
    else {
        return;
    };
    let (dir, output) = build_demonstration();
    // The five longest texts, and the shortest for contrast.
    let projects = projects_by_length(&output);
    assert!(projects.len() > 6, "{projects:?}");
    let mut slugs = projects[..5].to_vec();
    slugs.extend(projects.last().cloned());
    let root = format!("file://{}/", output.display());
    for slug in &slugs {
        let page = output.join("projets").join(slug).join("index.html");
        let pdf = print_to_pdf(browser, &page, &dir.path().join(format!("{slug}.pdf")));
        let pages = page_count(&pdf);
        eprintln!("{slug} : {pages} page(s)");
        assert!(
            (1..=MAX_PAGES).contains(&pages),
            "{slug} s'imprime sur {pages} pages"
        );
        let links = link_targets(&pdf);
        // The markers table (a link per marker) and the radar's caption were printed.
        for marker in ["contextualisation", "gouvernance", "changement-social"] {
            let target = format!("{root}marqueurs/{marker}/");
            assert!(links.contains(&target), "{slug}: no {target} in {links:?}");
        }
        assert!(
            links
                .iter()
                .any(|l| l.ends_with(&format!("{slug}/radar.svg"))),
            "{slug}: {links:?}"
        );
        // Neither the menu (its "Marqueurs" entry, "À propos") nor the footer's links.
        for hidden in [
            "marqueurs/",
            "a-propos/",
            "mentions-legales/",
            "accessibilite/",
        ] {
            let target = format!("{root}{hidden}");
            assert!(!links.contains(&target), "{slug}: {target} printed");
        }
        // The radar printed is the one with named axes, not its numbered twin.
        let radars: Vec<String> = alternative_texts(&pdf)
            .into_iter()
            .filter(|alt| alt.starts_with("Profil d'innovation sociale"))
            .collect();
        assert_eq!(radars.len(), 1, "{slug}: {radars:?}");
        assert!(
            !radars[0].contains("axes numérotés"),
            "{slug}: numbered radar printed ({})",
            radars[0]
        );
    }
}

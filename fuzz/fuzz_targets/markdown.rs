//! Fuzz target: any UTF-8 text through the safe Markdown renderer and the section helpers.

#![no_main]

use amiris::markdown;
use libfuzzer_sys::fuzz_target;

/// The scheme a browser would see in an attribute value (already entity-decoded): leading and
/// trailing C0 controls and spaces dropped, tabs and newlines removed anywhere (WHATWG URL).
fn scheme(value: &str) -> Option<String> {
    let cleaned: String = value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = cleaned.find(':')?;
    let candidate = &cleaned[..colon];
    let mut chars = candidate.chars();
    let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (first_is_letter && rest_ok).then(|| candidate.to_ascii_lowercase())
}

/// Decodes the character references a browser would decode in an attribute value (named ones
/// the renderer writes, and numeric ones).
fn decode_entities(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The values of every `href="…"` and `src="…"` attribute, with the entities the renderer
/// writes decoded.
fn url_attributes(html: &str) -> Vec<String> {
    let mut values = Vec::new();
    for name in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(name) {
            rest = &rest[at + name.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            values.push(decode_entities(&rest[..end]));
            rest = &rest[end..];
        }
    }
    values
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let html = markdown::render(body, "../../");
    let lower = html.to_ascii_lowercase();
    // Raw HTML never passes through: no element can be opened by the author.
    assert!(!lower.contains("<script"), "script element in {html:?}");
    assert!(!lower.contains("<iframe"), "iframe element in {html:?}");
    // Links and images only lead to the web, e-mail or the site itself.
    for value in url_attributes(&html) {
        if let Some(scheme) = scheme(&value) {
            assert!(
                matches!(scheme.as_str(), "http" | "https" | "mailto"),
                "{scheme}: URL {value:?} in {html:?}"
            );
        }
    }
    let _ = markdown::render_sections(body, "");
    let _ = markdown::section_headings(body);
    let _ = markdown::word_count(body);
});

//! Fuzz target: any UTF-8 text through the safe Markdown renderer and the section helpers.

#![no_main]

use amiris::markdown;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let html = markdown::render(body, "../../");
    let lower = html.to_ascii_lowercase();
    // Raw HTML never passes through: no element can be opened by the author.
    assert!(!lower.contains("<script"), "script element in {html:?}");
    assert!(!lower.contains("<iframe"), "iframe element in {html:?}");
    let _ = markdown::render_sections(body, "");
    let _ = markdown::section_headings(body);
    let _ = markdown::word_count(body);
});

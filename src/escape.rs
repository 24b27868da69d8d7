//! The one set of escaping rules for markup amiris writes: HTML, SVG and XML text and attributes, JSON in `<script>`.
//!
//! Every function here follows the same rules, so a piece of text is escaped the same way in a
//! page, a template, a radar chart, a map, a sitemap, a feed or the preview's error banner:
//!
//! - **Element text** needs `&` and `<` escaped; `>` is escaped too (`&gt;`), so `]]>` (which
//!   XML forbids in text) can never appear and no rule depends on what came before.
//! - **Attribute values** need their delimiter escaped as well. amiris writes every attribute
//!   double-quoted: `"` becomes `&quot;`. In HTML and SVG ([`html`]) `'` also becomes `&#39;`,
//!   so the same text is safe in an attribute a theme writes single-quoted (this is also what
//!   the templates' autoescaping did before it was routed here). One function serves both text
//!   and attributes: there is no place where the weaker text-only rule would be worth a
//!   second function.
//! - **XML documents** amiris writes itself (sitemap, Atom feeds; [`xml`]) have only
//!   double-quoted attributes, so `'` stays as typed (feed readers show the source text).
//! - **Characters XML 1.0 forbids** (C0 controls other than tab, line feed and carriage return;
//!   U+FFFE and U+FFFF; surrogates cannot occur in Rust strings) are dropped: no escape can
//!   stand for them (`&#1;` is forbidden too) and they are parse errors in HTML. Everything
//!   else is copied as is, in UTF-8, without numeric references.
//! - **JSON inside `<script>`** ([`json_in_script`]): `<`, `>` and `&` become `\u003c`,
//!   `\u003e`, `\u0026`, and U+2028/U+2029 `\u2028`/`\u2029` (still the same JSON), so no
//!   `</script>`, `<!--` or `]]>` can appear.

use serde_json::Value;
use std::borrow::Cow;
use std::io;

/// Text escaped for HTML and SVG, in element text and in attribute values quoted either way.
pub fn html(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

/// Text escaped for the XML documents amiris writes (sitemap, Atom): element text and
/// double-quoted attribute values; `'` is kept as typed.
pub fn xml(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// [`html`] written to `out`: the templates' autoescaping (Tera's escape function).
pub fn write_html(text: &str, out: &mut dyn io::Write) -> io::Result<()> {
    let mut start = 0;
    let mut from = 0;
    while let Some((at, replacement, len)) = next_special(text.as_bytes(), from, true) {
        out.write_all(&text.as_bytes()[start..at])?;
        out.write_all(replacement.as_bytes())?;
        start = at + len;
        from = start;
    }
    out.write_all(&text.as_bytes()[start..])
}

/// JSON made safe to sit inside an HTML `<script>` element (see the module's rules).
pub fn json_in_script(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The text escaped, borrowed when nothing needed it.
fn escape(text: &str, apostrophe: bool) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let Some(mut special) = next_special(bytes, 0, apostrophe) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    let mut start = 0;
    loop {
        let (at, replacement, len) = special;
        out.push_str(&text[start..at]);
        out.push_str(replacement);
        start = at + len;
        match next_special(bytes, start, apostrophe) {
            Some(next) => special = next,
            None => break,
        }
    }
    out.push_str(&text[start..]);
    Cow::Owned(out)
}

/// Bytes that may start something [`next_special`] replaces: the markup characters, the C0
/// controls but tab, line feed and carriage return, and the lead byte of U+FFFE/U+FFFF. Text
/// is scanned for them with one table lookup per byte; only they go through the full rules.
const MAY_BE_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = !matches!(byte as u8, b'\t' | b'\n' | b'\r');
        byte += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = true;
    table[b'\'' as usize] = true;
    table[0xEF] = true;
    table
};

/// The first byte at or after `from` that is not copied as is: its position, what replaces
/// it and how many bytes it covers. Every position returned starts a character (the special
/// bytes are ASCII, or the lead byte of U+FFFE/U+FFFF).
fn next_special(
    bytes: &[u8],
    from: usize,
    apostrophe: bool,
) -> Option<(usize, &'static str, usize)> {
    let mut i = from;
    loop {
        i += bytes
            .get(i..)?
            .iter()
            .position(|byte| MAY_BE_SPECIAL[usize::from(*byte)])?;
        let replacement = match bytes[i] {
            b'&' => Some(("&amp;", 1)),
            b'<' => Some(("&lt;", 1)),
            b'>' => Some(("&gt;", 1)),
            b'"' => Some(("&quot;", 1)),
            b'\'' if apostrophe => Some(("&#39;", 1)),
            b'\t' | b'\n' | b'\r' => None,
            0..0x20 => Some(("", 1)),
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF in UTF-8.
            0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => Some(("", 3)),
            _ => None,
        };
        if let Some((replacement, len)) = replacement {
            return Some((i, replacement, len));
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Both flavours, checked to agree except on `'`.
    fn both(text: &str) -> (String, String) {
        let html = html(text).into_owned();
        let xml = xml(text).into_owned();
        assert_eq!(html.replace("&#39;", "'"), xml, "{text:?}");
        let mut written = Vec::new();
        write_html(text, &mut written).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), html, "{text:?}");
        (html, xml)
    }

    #[test]
    fn markup_characters_are_escaped_in_text_and_attributes() {
        let (html, xml) = both("<a href=\"x\">Tom & 'Jerry'</a>");
        assert_eq!(
            html,
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(
            xml,
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; 'Jerry'&lt;/a&gt;"
        );
    }

    #[test]
    fn plain_text_is_borrowed_and_unchanged() {
        let text = "Épicerie solidaire à Saint-Omer (62) : 12 % — ok ½ 🎉";
        assert!(matches!(html(text), Cow::Borrowed(t) if t == text));
        assert!(matches!(xml(text), Cow::Borrowed(t) if t == text));
        assert!(matches!(html(""), Cow::Borrowed("")));
    }

    #[test]
    fn entities_are_escaped_again_never_trusted() {
        assert_eq!(both("&amp; &lt; &#39;").0, "&amp;amp; &amp;lt; &amp;#39;");
    }

    #[test]
    fn script_cannot_open_or_close_an_element() {
        let (html, xml) = both("</title><script>alert(1)</script><!-- x -->");
        for out in [html, xml] {
            assert!(!out.contains('<') && !out.contains('>'), "{out}");
        }
    }

    #[test]
    fn an_attribute_value_cannot_be_closed_with_either_quote() {
        let hostile = "x\" onload=\"alert(1)' onerror='alert(2)";
        let html = html(hostile);
        assert!(!html.contains('"') && !html.contains('\''), "{html}");
        let xml = xml(hostile);
        assert!(!xml.contains('"'), "{xml}");
        // The XML documents' attributes are double-quoted: as parsed, the value is the text.
        let doc = format!("<e a=\"{xml}\" b='{html}'/>");
        let parsed = roxmltree::Document::parse(&doc).unwrap();
        assert_eq!(parsed.root_element().attribute("a"), Some(hostile));
        assert_eq!(parsed.root_element().attribute("b"), Some(hostile));
    }

    #[test]
    fn cdata_end_never_appears() {
        let (html, xml) = both("a]]>b ]]]]>>");
        for out in [html, xml] {
            assert!(!out.contains("]]>"), "{out}");
        }
        assert_eq!(super::xml("a]]>b"), "a]]&gt;b");
    }

    #[test]
    fn characters_xml_forbids_are_dropped() {
        let controls: String = (0u8..0x20).map(char::from).collect();
        let (html, xml) = both(&format!("a{controls}b\u{FFFE}c\u{FFFF}d"));
        assert_eq!(html, "a\t\n\rbcd");
        assert_eq!(xml, "a\t\n\rbcd");
        assert_eq!(both("\u{0}").0, "");
        assert_eq!(both("\u{1b}[31m").0, "[31m");
    }

    #[test]
    fn characters_xml_allows_are_kept() {
        // Neighbours of the forbidden ones, sharing their UTF-8 lead byte or range.
        let kept =
            "\u{7f}\u{80}\u{9f}\u{FFFD}\u{FEFF}\u{EFFF}\u{FBFF}\u{10000}\u{10FFFF}\u{D7FF}\u{E000}";
        assert!(matches!(html(kept), Cow::Borrowed(_)));
        assert!(matches!(xml(kept), Cow::Borrowed(_)));
        assert_eq!(both("\u{FFFD}\u{FFFE}\u{FFFD}").0, "\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn every_output_parses_as_xml_to_the_allowed_text() {
        let hostile = "<script>\"'&\u{1}\u{8}\u{b}\u{c}\u{FFFE}\u{FFFF}]]>\u{FFFD}é\t\n";
        let (html, xml) = both(hostile);
        let allowed = "<script>\"'&]]>\u{FFFD}é\t\n";
        for out in [html, xml] {
            let doc = format!("<t a=\"{out}\">{out}</t>");
            let parsed = roxmltree::Document::parse(&doc).unwrap();
            assert_eq!(parsed.root_element().text(), Some(allowed));
            // XML parsers normalise whitespace in attribute values to spaces.
            let attribute = allowed.replace(['\t', '\n'], " ");
            assert_eq!(
                parsed.root_element().attribute("a"),
                Some(attribute.as_str())
            );
        }
    }

    /// The rules written the obvious way, one character at a time.
    fn reference(text: &str, apostrophe: bool) -> String {
        let mut out = String::new();
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' if apostrophe => out.push_str("&#39;"),
                '\t' | '\n' | '\r' => out.push(c),
                c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn byte_scanning_matches_the_rules_on_every_short_mix_and_every_ascii_character() {
        // Every string of up to four characters over an alphabet of special, neighbouring and
        // multi-byte characters.
        let alphabet = [
            'a', '&', '<', '>', '"', '\'', '\t', '\u{0}', '\u{1f}', ' ', 'é', '\u{FFFD}',
            '\u{FFFE}', '\u{FFFF}', '\u{EFBF}', '🎉',
        ];
        let n = alphabet.len();
        let mut text = String::new();
        for len in 0..=4u32 {
            for mut index in 0..n.pow(len) {
                text.clear();
                for _ in 0..len {
                    text.push(alphabet[index % n]);
                    index /= n;
                }
                assert_eq!(html(&text), reference(&text, true), "{text:?}");
                assert_eq!(xml(&text), reference(&text, false), "{text:?}");
            }
        }
        // Every ASCII character (all the bytes the scan's table decides on alone) and
        // characters whose UTF-8 starts with 0xEF, alone, between letters and at the ends;
        // `both` also checks the writer.
        let mut chars: Vec<char> = (0u8..0x80).map(char::from).collect();
        chars.extend([
            '\u{efff}', '\u{f000}', '\u{fefe}', '\u{fffd}', '\u{fffe}', '\u{ffff}',
        ]);
        chars.extend(['\u{10000}', 'é', '€', '🎉']);
        for c in &chars {
            for text in [
                c.to_string(),
                format!("a{c}b"),
                format!("{c}{c}é"),
                format!("é{c}"),
            ] {
                let (html, xml) = both(&text);
                assert_eq!(html, reference(&text, true), "{text:?}");
                assert_eq!(xml, reference(&text, false), "{text:?}");
            }
        }
    }

    #[test]
    fn json_in_script_hides_markup_and_line_separators() {
        let value = json!({"t": "</script><!-- a & b ]]> \u{2028}\u{2029}", "n": 1});
        let out = json_in_script(&value);
        for forbidden in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!out.contains(forbidden), "{out}");
        }
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, value);
    }
}

//! Markdown to safe HTML (pulldown-cmark; raw HTML and script URLs never reach the page).
//!
//! Bodies are written by editors, not trusted: raw HTML is shown as escaped text, links and
//! images whose URL has a scheme other than `http`, `https` or `mailto` lose their link (their
//! text stays), heading attributes other than the id are dropped. Headings get deterministic
//! ids from [`slugify`](crate::text::slugify), unique within the document. Level-1 headings are
//! demoted to level 2, since the page title is the only `<h1>` of a page.
//!
//! Relative URLs in Markdown are relative to the site root (`projets/autre/`, `medias/x.jpg`):
//! they are prefixed with the page's `base` (e.g. `../../`) so they work from any page.
//! `projet:<slug>` is the short form of `projets/<slug>/` (see [`project_link_slug`]);
//! `amiris check` verifies that every such link leads to a published file
//! (`validate::links`).

use crate::model::CANONICAL_SECTIONS;
use crate::text::{fold, slugify};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Element ids used by the default theme's layout: headings of a body never take them.
pub const RESERVED_IDS: &[&str] = &[
    "contenu",
    "menu",
    "navigation",
    "pied",
    "fil-ariane",
    "marqueurs",
    "radar",
    "projets",
    "pagination",
    "filtres",
    "notes",
    "titre-page",
    "titre-chiffres",
    "titre-derniers",
    "titre-secteurs",
    "titre-territoires",
    "fiche-bref",
    "fiche-marqueurs",
    "fiche-sommaire",
    "fiche-essaimage",
    "fiche-structure",
    "fiche-partenaires",
    "fiche-voisins",
];

/// Marker written between sections while rendering; NUL is replaced in the input first (as
/// CommonMark asks), so in the output it can only come from here.
const SECTION_MARK: &str = "\u{0}";

/// One level-2 section of a body.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Section {
    /// Heading text, plain (inline formatting removed).
    pub title: String,
    /// Id of the heading, unique in the document.
    pub id: String,
    /// Index in [`CANONICAL_SECTIONS`] when the heading is a canonical section.
    pub canonical: Option<usize>,
    /// HTML of the section's content, without its heading.
    pub html: String,
}

/// A body split at its level-2 headings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SectionedBody {
    /// HTML before the first level-2 heading (often empty).
    pub intro: String,
    /// The sections, in document order.
    pub sections: Vec<Section>,
    /// The text a reader sees (no markup, no URLs), words separated by spaces: what the
    /// search index reads.
    pub text: String,
}

/// The short form of a link to a project: `[texte](projet:panier-solidaire)`.
pub const PROJECT_LINK_SCHEME: &str = "projet:";

/// The slug of a `projet:<slug>` link (letter case of `projet:` ignored, anchor and query
/// removed), or `None` for any other URL. The slug is as written: it may be invalid.
pub fn project_link_slug(url: &str) -> Option<&str> {
    let url = url.trim();
    let prefix = url.get(..PROJECT_LINK_SCHEME.len())?;
    if !prefix.eq_ignore_ascii_case(PROJECT_LINK_SCHEME) {
        return None;
    }
    let rest = &url[PROJECT_LINK_SCHEME.len()..];
    Some(rest.split(['#', '?']).next().unwrap_or("").trim())
}

/// `projet:<slug>[#ancre]` as the root-relative path `projets/<slug>/[#ancre]`; other URLs,
/// and short forms whose slug is not a valid slug (they lose their link), unchanged.
fn expand_project_link(url: CowStr<'_>) -> CowStr<'_> {
    match project_link_slug(&url) {
        Some(slug) if crate::text::is_slug(slug) => {
            let suffix = url.find(['#', '?']).map_or("", |at| &url[at..]);
            CowStr::from(format!("projets/{slug}/{suffix}"))
        }
        _ => url,
    }
}

/// The Markdown extensions the site accepts.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body` to safe HTML; relative URLs are prefixed with `base` (the page's path to
/// the site root, e.g. `../`, or empty).
pub fn render(body: &str, base: &str) -> String {
    render_in(body, base, base)
}

/// [`render`] for a page of a language other than the default (under `en/`): relative URLs
/// are prefixed with `base` (the path to the language's root), except those of files every
/// language shares (`medias/`…, see [`crate::routes::is_shared_path`]), prefixed with
/// `shared_base` (the path to the site's root).
pub fn render_in(body: &str, base: &str, shared_base: &str) -> String {
    let body = without_nul(body);
    let events = sanitize(
        &body,
        &Bases {
            page: base,
            shared: shared_base,
        },
    );
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Renders `body` to safe HTML split at its level-2 headings (see [`render`] for `base`).
pub fn render_sections(body: &str, base: &str) -> SectionedBody {
    render_sections_in(body, base, base)
}

/// [`render_sections`] with the bases of [`render_in`].
pub fn render_sections_in(body: &str, base: &str, shared_base: &str) -> SectionedBody {
    let body = without_nul(body);
    let events = sanitize(
        &body,
        &Bases {
            page: base,
            shared: shared_base,
        },
    );
    let mut sections = Vec::new();
    let mut kept = Vec::with_capacity(events.len());
    let mut text = String::with_capacity(body.len());
    let mut iter = events.into_iter();
    while let Some(event) = iter.next() {
        push_plain_text(&mut text, &event);
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                id,
                ..
            }) => {
                // The heading itself is left to the theme: keep its text and id only.
                let mut title = String::new();
                for inner in iter.by_ref() {
                    push_plain_text(&mut text, &inner);
                    match inner {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(text) | Event::Code(text) => title.push_str(&text),
                        Event::SoftBreak | Event::HardBreak => title.push(' '),
                        _ => {}
                    }
                }
                let title = title.trim().to_string();
                sections.push(Section {
                    canonical: canonical_section(&title),
                    id: id.map(|id| id.to_string()).unwrap_or_default(),
                    title,
                    html: String::new(),
                });
                kept.push(Event::Html(CowStr::Borrowed(SECTION_MARK)));
            }
            other => kept.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, kept.into_iter());
    let mut parts = html.split(SECTION_MARK);
    let intro = parts.next().unwrap_or_default().to_string();
    for (section, part) in sections.iter_mut().zip(parts) {
        section.html = part.trim_start_matches('\n').to_string();
    }
    SectionedBody {
        intro,
        sections,
        text,
    }
}

/// Adds what a reader sees of `event` to `text`: its words followed by a space, a space at
/// the end of every block and at line breaks.
fn push_plain_text(text: &mut String, event: &Event<'_>) {
    match event {
        Event::Text(t) | Event::Code(t) => {
            text.push_str(t);
            text.push(' ');
        }
        Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
        _ => {}
    }
}

/// The body with NUL characters replaced by U+FFFD (CommonMark's rule for insecure
/// characters), borrowed when there is none.
fn without_nul(body: &str) -> Cow<'_, str> {
    if body.contains('\0') {
        Cow::Owned(body.replace('\0', "\u{fffd}"))
    } else {
        Cow::Borrowed(body)
    }
}

/// The section headings of `body` (levels 1 and 2, since level 1 is shown as level 2), as
/// (plain text, byte offset of the heading in `body`): what validation checks against the
/// canonical sections, without rendering.
pub fn section_headings(body: &str) -> Vec<(String, usize)> {
    let mut headings = Vec::new();
    let mut current: Option<(String, usize)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1 | HeadingLevel::H2,
                ..
            }) => current = Some((String::new(), range.start)),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((title, offset)) = current.take() {
                    headings.push((title.trim().to_string(), offset));
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((title, _)) = current.as_mut() {
                    title.push_str(&text);
                }
            }
            _ => {}
        }
    }
    headings
}

/// Index in [`CANONICAL_SECTIONS`] of a heading, ignoring case, accents and punctuation.
pub fn canonical_section(title: &str) -> Option<usize> {
    let folded = fold(title);
    CANONICAL_SECTIONS
        .iter()
        .position(|canonical| fold(canonical) == folded)
        .or_else(|| {
            // The headings of an English translation.
            crate::model::CANONICAL_SECTIONS_EN
                .iter()
                .position(|canonical| fold(canonical) == folded)
        })
}

/// Number of words a reader sees in `body` (text and inline code; markup, URLs, lone
/// punctuation and raw HTML, HTML comments included, excluded: the hints `amiris new` writes
/// as comments are not text).
pub fn word_count(body: &str) -> usize {
    let mut text = String::with_capacity(body.len());
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            // Inline tags do not separate words ("l'*école*" is one word).
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) | Event::Rule => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .count()
}

/// Whether a link or image URL may reach the page: relative, fragment, or with an `http`,
/// `https` or `mailto` scheme. Entities are already decoded by the parser; this also sees
/// through what browsers ignore (leading spaces and control characters, tabs and newlines
/// inside, letter case).
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    match cleaned.find([':', '/', '?', '#']) {
        Some(at) if cleaned.as_bytes()[at] == b':' => {
            let scheme = cleaned[..at].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// Whether a (safe) URL is relative to the site root and needs the page's base prefix.
fn is_root_relative_path(url: &str) -> bool {
    !url.is_empty()
        && !url.starts_with(['/', '#', '?'])
        && url
            .find([':', '/', '?', '#'])
            .is_none_or(|at| url.as_bytes()[at] != b':')
}

/// What relative URLs are prefixed with.
struct Bases<'b> {
    /// Path from the page to its language's root (the site's root in the default language).
    page: &'b str,
    /// Path from the page to the site's root, where shared files are.
    shared: &'b str,
}

/// Rewrites a URL for the page: prefix relative paths with the base they need.
fn rebase<'a>(url: CowStr<'a>, bases: &Bases<'_>) -> CowStr<'a> {
    let base = if crate::routes::is_shared_path(&url) {
        bases.shared
    } else {
        bases.page
    };
    if !base.is_empty() && is_root_relative_path(&url) {
        CowStr::from(format!("{base}{url}"))
    } else {
        url
    }
}

/// Parses `body` and returns the filtered event stream (see the module docs).
fn sanitize<'a>(body: &'a str, base: &Bases<'_>) -> Vec<Event<'a>> {
    let raw: Vec<Event<'a>> = Parser::new_ext(body, options()).collect();

    // Ids already taken: the theme's, then the footnotes' (`note-<label>`), then headings'.
    let mut used: HashSet<String> = RESERVED_IDS.iter().map(|id| id.to_string()).collect();
    for event in &raw {
        if let Event::Start(Tag::FootnoteDefinition(label)) | Event::FootnoteReference(label) =
            event
        {
            used.insert(footnote_id(label));
        }
    }

    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(raw.len());
    // For each open link or image: whether its tag was kept (false: neutralised).
    let mut link_kept: Vec<bool> = Vec::new();
    let mut in_html_block = false;
    let mut iter = raw.into_iter().peekable();
    while let Some(event) = iter.next() {
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                // Collect the heading's content to derive its id.
                let mut inner = Vec::new();
                let mut text = String::new();
                for event in iter.by_ref() {
                    match event {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(ref t) | Event::Code(ref t) => {
                            text.push_str(t);
                            inner.push(event);
                        }
                        Event::Html(html) | Event::InlineHtml(html) => {
                            if !is_html_comment(&html) {
                                text.push_str(&html);
                                inner.push(Event::Text(html));
                            }
                        }
                        other => inner.push(other),
                    }
                }
                let level = level.max(HeadingLevel::H2);
                let wanted = id.map(|id| slugify(&id)).unwrap_or_else(|| slugify(&text));
                let id = unique_id(
                    &mut used,
                    &mut next_suffix,
                    if wanted.is_empty() {
                        "section"
                    } else {
                        &wanted
                    },
                );
                let classes = classes
                    .into_iter()
                    .filter(|class| is_safe_class(class))
                    .collect();
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes,
                    attrs: Vec::new(),
                }));
                for event in inner {
                    push_inline(&mut out, event, base, &mut link_kept);
                }
                out.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::HtmlBlock) => {
                // Shown as text in a paragraph, unless it is only comments.
                in_html_block = true;
                out.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::HtmlBlock) => {
                in_html_block = false;
                if matches!(out.last(), Some(Event::Start(Tag::Paragraph))) {
                    out.pop();
                } else {
                    out.push(Event::End(TagEnd::Paragraph));
                }
            }
            Event::Html(html) if in_html_block => {
                let stripped = strip_html_comments(&html);
                if !stripped.trim().is_empty() {
                    out.push(Event::Text(CowStr::from(stripped)));
                }
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                out.push(Event::Start(Tag::FootnoteDefinition(CowStr::from(
                    footnote_id(&label),
                ))));
            }
            Event::FootnoteReference(label) => {
                out.push(Event::FootnoteReference(CowStr::from(footnote_id(&label))));
            }
            other => push_inline(&mut out, other, base, &mut link_kept),
        }
    }
    out
}

/// Pushes one event, neutralising raw HTML and unsafe links or images.
fn push_inline<'a>(
    out: &mut Vec<Event<'a>>,
    event: Event<'a>,
    base: &Bases<'_>,
    link_kept: &mut Vec<bool>,
) {
    match event {
        Event::Html(html) | Event::InlineHtml(html) => {
            if !is_html_comment(&html) {
                out.push(Event::Text(html));
            }
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = expand_project_link(dest_url);
            let keep = is_safe_url(&dest_url);
            link_kept.push(keep);
            if keep {
                out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: rebase(dest_url, base),
                    title,
                    id,
                }));
            }
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = expand_project_link(dest_url);
            let keep = is_safe_url(&dest_url);
            link_kept.push(keep);
            if keep {
                out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: rebase(dest_url, base),
                    title,
                    id,
                }));
            }
        }
        Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
            if link_kept.pop().unwrap_or(false) {
                out.push(Event::End(end));
            }
        }
        other => out.push(other),
    }
}

/// Id of a footnote from its label.
fn footnote_id(label: &str) -> String {
    let slug = slugify(label);
    if slug.is_empty() {
        // Labels made only of punctuation: keep them distinct and deterministic.
        let code: String = label.bytes().map(|b| format!("{b:02x}")).collect();
        format!("note-{code}")
    } else {
        format!("note-{slug}")
    }
}

/// `wanted`, or `wanted-2`, `wanted-3`… whichever is free; marks it used. `next` remembers,
/// per wanted id, the first suffix not yet known to be taken, so that thousands of identical
/// headings cost linear time (the ids are the same as trying every suffix from 2).
fn unique_id(
    used: &mut HashSet<String>,
    next: &mut HashMap<String, usize>,
    wanted: &str,
) -> String {
    let mut candidate = wanted.to_string();
    let mut n = next.get(wanted).copied().unwrap_or(2);
    while used.contains(&candidate) {
        candidate = format!("{wanted}-{n}");
        n += 1;
    }
    next.insert(wanted.to_string(), n);
    used.insert(candidate.clone());
    candidate
}

/// Classes from heading attributes: plain identifiers only.
fn is_safe_class(class: &str) -> bool {
    !class.is_empty()
        && class
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether an HTML fragment is only a comment.
fn is_html_comment(html: &str) -> bool {
    let trimmed = html.trim();
    trimmed.starts_with("<!--") && trimmed.ends_with("-->")
}

/// The text of an HTML block without its comments (an unclosed comment runs to the end).
fn strip_html_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start + 4..].find("-->") {
            Some(end) => rest = &rest[start + 4 + end + 3..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(body: &str) -> String {
        render(body, "")
    }

    #[test]
    fn raw_html_blocks_are_escaped_text() {
        let out = html("<script>alert(1)</script>\n\nTexte");
        assert!(!out.contains("<script"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        let out = html("<div onclick=\"x()\">a</div>\n");
        assert!(!out.contains("<div"), "{out}");
        let out = html("<!-- commentaire -->\n\nTexte");
        assert!(
            !out.contains("commentaire") && out.contains("Texte"),
            "{out}"
        );
    }

    #[test]
    fn inline_html_is_escaped_text() {
        let out = html("Un <img src=x onerror=alert(1)> et <b>gras</b>.");
        assert!(!out.contains("<img"), "{out}");
        assert!(!out.contains("<b>"), "{out}");
        assert!(out.contains("&lt;b&gt;gras&lt;/b&gt;"), "{out}");
    }

    #[test]
    fn script_urls_are_neutralised() {
        for body in [
            "[clic](javascript:alert(1))",
            "[clic](JaVaScRiPt:alert(1))",
            "[clic](%20javascript:alert(1))",
            "[clic](<  javascript:alert(1)>)",
            "[clic](&#106;avascript:alert(1))",
            "[clic](&#x6A;avascript&#58;alert(1))",
            "[clic](java&#9;script:alert(1))",
            "[clic](java&#10;script:alert(1))",
            "[clic](&#1;javascript:alert(1))",
            "[clic](data:text/html;base64,PHNjcmlwdD4=)",
            "[clic](vbscript:msgbox(1))",
            "<javascript:alert(1)>",
            "[clic][ref]\n\n[ref]: javascript:alert(1)",
        ] {
            let out = html(body);
            let lower = out.to_ascii_lowercase();
            assert!(!lower.contains("href"), "{body} -> {out}");
            assert!(
                !lower.contains("script:") || !lower.contains("<a"),
                "{body} -> {out}"
            );
        }
        // The text of the neutralised link stays.
        assert_eq!(html("[clic](javascript:x)"), "<p>clic</p>\n");
    }

    #[test]
    fn percent_encoded_scheme_is_a_harmless_relative_path() {
        // `%3A` is not a scheme separator for browsers: this is a relative path.
        let out = html("[a](javascript%3Aalert(1))");
        assert!(out.contains("href=\"javascript%3Aalert(1)\""), "{out}");
    }

    #[test]
    fn script_images_are_neutralised() {
        for body in [
            "![texte](javascript:alert(1))",
            "![texte](data:image/svg+xml;base64,PHN2Zz4=)",
            "![texte](VBSCRIPT:x)",
        ] {
            let out = html(body);
            assert!(!out.contains("<img"), "{body} -> {out}");
            assert!(out.contains("texte"), "{body} -> {out}");
        }
    }

    #[test]
    fn allowed_urls_pass() {
        assert!(html("[a](https://exemple.fr/x)").contains("href=\"https://exemple.fr/x\""));
        assert!(html("[a](HTTP://exemple.fr)").contains("href=\"HTTP://exemple.fr\""));
        assert!(html("[a](mailto:contact@exemple.fr)").contains("href=\"mailto:"));
        assert!(html("<contact@exemple.fr>").contains("href=\"mailto:contact@exemple.fr\""));
        assert!(html("[a](#contexte)").contains("href=\"#contexte\""));
        assert!(html("![photo](medias/a.jpg)").contains("src=\"medias/a.jpg\""));
    }

    #[test]
    fn relative_urls_are_rebased() {
        let out = render(
            "[a](projets/x/) [b](#ici) [c](https://e.fr) ![d](medias/a.jpg)",
            "../../",
        );
        assert!(out.contains("href=\"../../projets/x/\""), "{out}");
        assert!(out.contains("href=\"#ici\""), "{out}");
        assert!(out.contains("href=\"https://e.fr\""), "{out}");
        assert!(out.contains("src=\"../../medias/a.jpg\""), "{out}");
    }

    #[test]
    fn url_check_sees_through_obfuscation() {
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" \u{1}JAVASCRIPT:alert(1)"));
        assert!(!is_safe_url("jav\tascript:alert(1)"));
        assert!(!is_safe_url("java\nscript:alert(1)"));
        assert!(!is_safe_url("data:text/html,x"));
        assert!(!is_safe_url("vbscript:x"));
        assert!(!is_safe_url("\u{a0}javascript:x"));
        assert!(is_safe_url("https://a.fr/b:c"));
        assert!(is_safe_url("projets/a:b"));
        assert!(is_safe_url("?a=b:c"));
        assert!(is_safe_url("#x"));
        assert!(is_safe_url("//exemple.fr/x"));
    }

    #[test]
    fn heading_attributes_cannot_inject() {
        let out = html("## Titre {#mon-id .joli onclick=alert(1) style=color:red}");
        assert!(!out.contains("onclick") && !out.contains("style"), "{out}");
        assert!(out.contains("id=\"mon-id\""), "{out}");
        assert!(out.contains("class=\"joli\""), "{out}");
        let out = html("## Titre {#\"><script>x</script>}");
        assert!(!out.contains("<script"), "{out}");
    }

    #[test]
    fn heading_ids_are_french_friendly_and_unique() {
        let out = html("## Résultats\n\n## Résultats\n\n### Œuvre d'art\n\n## Contenu\n\n## !!!");
        assert!(out.contains("<h2 id=\"resultats\">"), "{out}");
        assert!(out.contains("<h2 id=\"resultats-2\">"), "{out}");
        assert!(out.contains("<h3 id=\"oeuvre-d-art\">"), "{out}");
        // `contenu` belongs to the theme.
        assert!(out.contains("<h2 id=\"contenu-2\">"), "{out}");
        assert!(out.contains("<h2 id=\"section\">"), "{out}");
    }

    #[test]
    fn many_identical_headings_get_ids_in_linear_time() {
        // Ids a suffix search from 2 would give, including one taken by an explicit heading.
        let out = html("## a\n\n## a-3 {#a-3}\n\n## a\n\n## a\n\n## a\n");
        let ids: Vec<&str> = out
            .match_indices("id=\"")
            .map(|(at, _)| {
                let rest = &out[at + 4..];
                &rest[..rest.find('"').unwrap_or(0)]
            })
            .collect();
        assert_eq!(ids, ["a", "a-3", "a-2", "a-4", "a-5"]);
        // 100,000 identical headings (half a megabyte) took minutes with a quadratic search.
        let body = "## a\n".repeat(100_000);
        let started = std::time::Instant::now();
        let out = html(&body);
        assert!(out.contains("id=\"a-100000\""));
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }

    #[test]
    fn level_one_headings_are_demoted() {
        let out = html("# Grand titre\n\ntexte");
        assert!(!out.contains("<h1"), "{out}");
        assert!(
            out.contains("<h2 id=\"grand-titre\">Grand titre</h2>"),
            "{out}"
        );
    }

    #[test]
    fn extensions_work() {
        let out =
            html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~barré~~ et note[^1].\n\n[^1]: La note.");
        assert!(out.contains("<table>"), "{out}");
        assert!(out.contains("<del>barré</del>"), "{out}");
        assert!(out.contains("href=\"#note-1\""), "{out}");
        assert!(out.contains("id=\"note-1\""), "{out}");
    }

    #[test]
    fn project_short_links_become_relative_paths() {
        assert_eq!(
            render("[Le panier](projet:panier-solidaire)", "../../"),
            "<p><a href=\"../../projets/panier-solidaire/\">Le panier</a></p>\n"
        );
        let out = render(
            "[a](Projet:panier#contexte) [b][r]\n\n[r]: projet:velo",
            "./",
        );
        assert!(out.contains("href=\"./projets/panier/#contexte\""), "{out}");
        assert!(out.contains("href=\"./projets/velo/\""), "{out}");
        // An invalid slug is not a path to follow: the link is dropped, its text stays.
        assert_eq!(html("[a](projet:../../x)"), "<p>a</p>\n");
        assert_eq!(html("[a](projet:)"), "<p>a</p>\n");
        assert_eq!(project_link_slug(" PROJET:abc?x"), Some("abc"));
        assert_eq!(project_link_slug("projets/abc/"), None);
    }

    #[test]
    fn footnote_labels_do_not_inject() {
        let out = html("x[^\"><b>]\n\n[^\"><b>]: note");
        assert!(!out.contains("<b>"), "{out}");
    }

    #[test]
    fn bodies_split_into_sections() {
        let body = "Intro.\n\n## Contexte\n\nUn besoin.\n\n### Détail\n\nx\n\n## RÉSULTATS \n\nDes chiffres.\n\n## Autre chose\n\nfin";
        let split = render_sections(body, "");
        assert_eq!(split.intro, "<p>Intro.</p>\n");
        assert_eq!(split.sections.len(), 3);
        assert_eq!(split.sections[0].title, "Contexte");
        assert_eq!(split.sections[0].id, "contexte");
        assert_eq!(split.sections[0].canonical, Some(0));
        assert!(split.sections[0].html.contains("<h3 id=\"detail\">"));
        assert!(!split.sections[0].html.contains("<h2"));
        assert_eq!(split.sections[1].canonical, Some(2));
        assert_eq!(split.sections[1].html, "<p>Des chiffres.</p>\n");
        assert_eq!(split.sections[2].canonical, None);
        assert_eq!(split.sections[2].html, "<p>fin</p>\n");
    }

    #[test]
    fn section_split_ignores_hostile_nul() {
        let split = render_sections("a\u{0}b\n\n## Contexte\n\nc\u{0}d", "");
        assert_eq!(split.sections.len(), 1);
        assert!(split.intro.contains("a\u{fffd}b"), "{:?}", split.intro);
    }

    #[test]
    fn section_headings_are_listed_with_offsets() {
        let body = "# Contexte\n\ntexte\n\n### Détail\n\n## *Résultats*\n";
        assert_eq!(
            section_headings(body),
            [("Contexte".to_string(), 0), ("Résultats".to_string(), 32)]
        );
    }

    #[test]
    fn canonical_sections_match_loosely() {
        assert_eq!(canonical_section("synthese"), Some(5));
        assert_eq!(canonical_section("  Impacts "), Some(3));
        assert_eq!(canonical_section("Résultats obtenus"), None);
    }

    #[test]
    fn words_are_counted() {
        assert_eq!(
            word_count("## Titre\n\nUn *deux* `trois` [quatre](https://x.fr)."),
            5
        );
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count("l'*école* — ici\n\n- un\n- deux"), 4);
        // The hints of `amiris new`, block or inline, multi-line or not, are not words.
        assert_eq!(
            word_count("## Contexte\n\n<!-- Le besoin, l'aspiration, le territoire. -->\n"),
            1
        );
        assert_eq!(
            word_count("Un <!-- deux\ntrois --> quatre.\n\n<!--\ncinq\n-->\n"),
            2
        );
    }
}

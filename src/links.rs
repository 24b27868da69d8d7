//! Link check, after validation: relative links and images of Markdown bodies must lead to a file the site publishes.
//!
//! Every project and free page body is scanned (pulldown-cmark, as the render stage reads it).
//! Links with a scheme (`https:`, `mailto:`…) and same-page anchors (`#…`) are left alone: the
//! check works offline. `projet:<slug>` is the short form of `projets/<slug>/`. Every other
//! link is a path from the site root (see [`markdown`](crate::markdown)); it must name a file
//! of the output: a page of the page plan (the same plan the render stage follows, so the
//! check knows exactly which sector, department and pagination pages exist), a project's
//! radar or social card, a media of `content/medias/`. Query strings and anchors are not
//! checked. A link from a published document to a draft is an error too: the draft's page is
//! not published, the link would be broken on the site.

use crate::content::{LoadedContent, SourceFile, split_front_matter};
use crate::diagnostic::{Diagnostic, Severity};
use crate::markdown::{self, PROJECT_LINK_SCHEME};
use crate::model::{Page, Project, Site};
use crate::render::pages::planned_paths;
use crate::routes::card_path;
use crate::text::{closest, is_slug};
use pulldown_cmark::{Event, LinkType, Parser, Tag};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// Code of the diagnostics of this check.
const CODE: &str = "lien";

/// Broken links detailed per file (with a suggestion each); beyond, one more diagnostic counts
/// the others, so that a file full of broken links neither floods the report nor slows the check.
pub const MAX_DETAILED_PER_FILE: usize = 50;

/// Every file the site would publish, with and without drafts: the site is planned at the
/// first link that needs it (a catalogue whose bodies link only outside never plans it).
struct Targets<'a> {
    /// What the site is planned from.
    inputs: PlanInputs<'a>,
    /// Output paths of a build without drafts (planned at first use).
    published: OnceLock<HashSet<String>>,
    /// Output paths of a build with `--drafts`, when they differ from `published` (some
    /// project or page is a draft; planned at first use).
    drafts_too: OnceLock<Option<HashSet<String>>>,
    /// Slugs of project files that did not validate: their own errors are reported, links to
    /// them are not (whether they will be published is not known yet).
    failed_projects: HashSet<String>,
    /// Same for free pages.
    failed_pages: HashSet<String>,
    /// The validated projects' slugs sorted, for suggestions (made at the first broken link).
    project_slugs: OnceLock<BTreeSet<String>>,
    /// What an author would write to reach each published file (`projets/x/`, `medias/a.jpg`),
    /// for suggestions (made at the first broken link that needs them).
    link_forms: OnceLock<BTreeSet<String>>,
}

/// What the link check plans the site's paths from.
#[derive(Clone, Copy)]
struct PlanInputs<'a> {
    content: &'a LoadedContent,
    site: &'a Site,
    projects: &'a [Project],
    pages: &'a [Page],
}

impl<'a> Targets<'a> {
    fn new(
        content: &'a LoadedContent,
        site: &'a Site,
        projects: &'a [Project],
        pages: &'a [Page],
    ) -> Self {
        let validated_projects: HashSet<&str> =
            projects.iter().map(|p| p.source.as_str()).collect();
        let validated_pages: HashSet<&str> = pages.iter().map(|p| p.source.as_str()).collect();
        let failed = |files: &[SourceFile], validated: &HashSet<&str>| {
            files
                .iter()
                .filter(|f| !validated.contains(f.path.as_str()) && is_slug(&f.stem))
                .map(|f| f.stem.clone())
                .collect::<HashSet<String>>()
        };
        Targets {
            inputs: PlanInputs {
                content,
                site,
                projects,
                pages,
            },
            failed_projects: failed(&content.projects, &validated_projects),
            failed_pages: failed(&content.pages, &validated_pages),
            published: OnceLock::new(),
            drafts_too: OnceLock::new(),
            project_slugs: OnceLock::new(),
            link_forms: OnceLock::new(),
        }
    }

    /// Output paths of a build without drafts.
    fn published(&self) -> &HashSet<String> {
        self.published
            .get_or_init(|| output_paths(self.inputs, false))
    }

    /// Output paths of a build with `--drafts`.
    fn with_drafts(&self) -> &HashSet<String> {
        let PlanInputs {
            projects, pages, ..
        } = self.inputs;
        // Without drafts (the usual case) both builds publish the same files.
        let drafts_too = self.drafts_too.get_or_init(|| {
            (projects.iter().any(|p| p.draft) || pages.iter().any(|p| p.draft))
                .then(|| output_paths(self.inputs, true))
        });
        drafts_too.as_ref().unwrap_or_else(|| self.published())
    }

    /// Slugs of every validated project, sorted.
    fn project_slugs(&self) -> &BTreeSet<String> {
        self.project_slugs.get_or_init(|| {
            self.inputs
                .projects
                .iter()
                .map(|p| p.slug.clone())
                .collect()
        })
    }

    /// What an author would write to reach each published file, sorted.
    fn link_forms(&self) -> &BTreeSet<String> {
        self.link_forms.get_or_init(|| {
            self.published()
                .iter()
                .map(|path| match path.strip_suffix("index.html") {
                    Some(dir) => dir.to_string(),
                    None => path.clone(),
                })
                .collect()
        })
    }
}

/// The output paths of a build (the page plan, the projects' social cards, the medias).
fn output_paths(inputs: PlanInputs<'_>, drafts: bool) -> HashSet<String> {
    let PlanInputs {
        content,
        site,
        projects,
        pages,
    } = inputs;
    let filtered;
    let projects = if drafts || !projects.iter().any(|p| p.draft) {
        projects
    } else {
        filtered = projects
            .iter()
            .filter(|p| !p.draft)
            .cloned()
            .collect::<Vec<Project>>();
        &filtered
    };
    let pages: Vec<Page> = pages
        .iter()
        .filter(|p| drafts || !p.draft)
        .cloned()
        .collect();
    let mut paths: HashSet<String> = planned_paths(site, projects, &pages).into_iter().collect();
    if site.social_cards {
        paths.extend(projects.iter().map(|p| card_path(&p.slug)));
    }
    paths.extend(content.medias.iter().map(|m| m.path.clone()));
    paths
}

/// Checks the links of every project and page body; `projects` and `pages` are the validated
/// ones (drafts included).
pub fn check_links(
    content: &LoadedContent,
    site: &Site,
    projects: &[Project],
    pages: &[Page],
) -> Vec<Diagnostic> {
    check_links_reusing(content, site, projects, pages, None)
}

/// The links each file's body holds, by the hash of its text: `serve` keeps them between
/// rebuilds, so that only the files that changed are parsed again.
#[derive(Debug, Default)]
pub struct Memo {
    links: HashMap<u64, Arc<[BodyLink]>>,
}

/// A body's links with the hash of its file's text.
type KnownLinks = (u64, Arc<[BodyLink]>);

/// [`check_links`], taking from `memo` the links of the files whose text is unchanged and
/// leaving every file's in it.
pub fn check_links_reusing(
    content: &LoadedContent,
    site: &Site,
    projects: &[Project],
    pages: &[Page],
    memo: Option<&mut Memo>,
) -> Vec<Diagnostic> {
    let targets = Targets::new(content, site, projects, pages);
    let drafts: BTreeMap<&str, bool> = projects
        .iter()
        .map(|p| (p.source.as_str(), p.draft))
        .chain(pages.iter().map(|p| (p.source.as_str(), p.draft)))
        .collect();
    let files: Vec<&SourceFile> = content.projects.iter().chain(&content.pages).collect();
    let known = memo.as_deref().map(|memo| &memo.links);
    let (found, broken): (Vec<Option<KnownLinks>>, Vec<Vec<Diagnostic>>) = files
        .par_iter()
        .map(|file| {
            let key = known.map(|_| crate::validate::stable_hash(&file.text));
            let reused = known.zip(key).and_then(|(known, key)| known.get(&key));
            // A body known to hold no link has nothing to check (most of a catalogue).
            if let Some(links) = reused.filter(|links| links.is_empty()) {
                return (key.map(|key| (key, links.clone())), Vec::new());
            }
            let Ok(split) = split_front_matter(&file.text) else {
                return (None, Vec::new());
            };
            let links = match reused {
                Some(links) => links.clone(),
                None => body_links(split.body).into(),
            };
            let from_draft = drafts.get(file.path.as_str()).copied().unwrap_or(false);
            let broken = check_file(&file.path, &split, &links, from_draft, &targets);
            (key.map(|key| (key, links)), broken)
        })
        .unzip();
    if let Some(memo) = memo {
        memo.links = found.into_iter().flatten().collect();
    }
    broken.into_iter().flatten().collect()
}

/// The broken links of one file (`links`: those its body holds).
fn check_file(
    path: &str,
    split: &crate::content::FrontMatter<'_>,
    links: &[BodyLink],
    from_draft: bool,
    targets: &Targets,
) -> Vec<Diagnostic> {
    let mut broken: Vec<(usize, String)> = Vec::new();
    let mut others = 0;
    let mut first_other = 0;
    for link in links {
        let detailed = broken.len() < MAX_DETAILED_PER_FILE;
        if let Some(message) = problem(&link.url, from_draft, targets, detailed) {
            if detailed {
                broken.push((link.at, message));
            } else {
                if others == 0 {
                    first_other = link.at;
                }
                others += 1;
            }
        }
    }
    if others > 0 {
        broken.push((
            first_other,
            format!(
                "et {others} autre{} lien{} cassé{} à partir d'ici (seuls les \
                 {MAX_DETAILED_PER_FILE} premiers sont détaillés) : corrigez les premiers puis \
                 relancez la vérification",
                plural(others),
                plural(others),
                plural(others)
            ),
        ));
    }
    let offsets: Vec<usize> = broken.iter().map(|(at, _)| *at).collect();
    let places = positions(split.body, &offsets, split.body_first_line);
    broken
        .into_iter()
        .zip(places)
        .map(|((_, message), (line, column))| Diagnostic {
            severity: Severity::Error,
            code: CODE,
            file: path.to_string(),
            line,
            column,
            field: None,
            message,
        })
        .collect()
}

/// "s" for a French plural.
fn plural(n: usize) -> &'static str {
    if n > 1 { "s" } else { "" }
}

/// A link or image destination of a body.
#[derive(Debug, Clone, PartialEq)]
struct BodyLink {
    /// The destination, as the parser decoded it.
    url: String,
    /// Byte offset in the body of the destination (or of the link when it cannot be found).
    at: usize,
}

/// Every link and image destination of `body`, once per place it is written (a reference
/// definition used several times counts once, at the definition).
fn body_links(body: &str) -> Vec<BodyLink> {
    let mut links = Vec::new();
    let mut seen_definitions = HashSet::new();
    let mut iter = Parser::new_ext(body, markdown::options()).into_offset_iter();
    while let Some((event, range)) = iter.next() {
        let (link_type, url, id) = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                id,
                ..
            })
            | Event::Start(Tag::Image {
                link_type,
                dest_url,
                id,
                ..
            }) => (link_type, dest_url, id),
            _ => continue,
        };
        let span: Range<usize> = match link_type {
            LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => {
                match iter.reference_definitions().get(&id) {
                    Some(definition) => definition.span.clone(),
                    None => range,
                }
            }
            _ => range,
        };
        if !matches!(
            link_type,
            LinkType::Inline | LinkType::Autolink | LinkType::Email
        ) && !seen_definitions.insert(span.start)
        {
            continue;
        }
        let written = body.get(span.clone()).unwrap_or("");
        // The destination is at the end of an inline link (`[text](url)`), after the label of
        // a definition (`[label]: url`): its last occurrence in the span, when written as is.
        let at = written
            .rfind(url.as_ref())
            .filter(|_| !url.is_empty())
            .map_or(span.start, |offset| span.start + offset);
        links.push(BodyLink {
            url: url.to_string(),
            at,
        });
    }
    links
}

/// File line and column (in characters, from 1) of byte offsets of the body, in one pass.
fn positions(body: &str, offsets: &[usize], body_first_line: usize) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut places = vec![(body_first_line, 1); offsets.len()];
    let (mut line, mut column) = (body_first_line, 1);
    let mut chars = body.char_indices().peekable();
    for i in order {
        while let Some(&(at, c)) = chars.peek() {
            if at >= offsets[i] {
                break;
            }
            chars.next();
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        places[i] = (line, column);
    }
    places
}

/// What is wrong with a link destination, in French, or `None` when it resolves. With
/// `suggest` false, only whether it is broken: the message may be empty (no costly search for a
/// close address).
fn problem(url: &str, from_draft: bool, targets: &Targets, suggest: bool) -> Option<String> {
    let url = url.trim();
    if let Some(slug) = markdown::project_link_slug(url) {
        return project_shortcut_problem(url, slug, from_draft, targets, suggest);
    }
    if url.is_empty() || url.starts_with(['#', '?']) || url.starts_with("//") {
        // Same page, or a protocol-relative address of another site.
        return None;
    }
    if has_scheme(url) || !markdown::is_safe_url(url) {
        // Another site, or a script address that the render stage neutralises (also when a
        // tab, a line break or a control character hides its scheme): not a path of the site.
        return None;
    }
    let path = url.split(['#', '?']).next().unwrap_or("");
    if let Some(rest) = path.strip_prefix('/') {
        let shown = url.trim_start_matches('/');
        return Some(format!(
            "« {url} » commence par « / » : sur un hébergement dans un sous-dossier \
             (https://exemple.fr/catalogue/), ce lien mènerait hors du site. Écrivez les liens \
             internes depuis la racine du site, sans « / » initial : « {shown} »{}",
            if resolve(&percent_decode(rest)).is_ok() {
                "."
            } else {
                " (et vérifiez l'adresse)."
            }
        ));
    }
    let decoded = percent_decode(path);
    let resolved = match resolve(&decoded) {
        Ok(resolved) => resolved,
        Err(()) => {
            return Some(format!(
                "« {url} » remonte au-dessus de la racine du site (« ../ ») : les liens internes \
                 s'écrivent depuis la racine du site, par exemple « projets/mon-projet/ »."
            ));
        }
    };
    path_problem(url, &resolved, from_draft, targets, suggest)
}

/// What is wrong with `projet:<slug>`.
fn project_shortcut_problem(
    url: &str,
    slug: &str,
    from_draft: bool,
    targets: &Targets,
    suggest: bool,
) -> Option<String> {
    if !is_slug(slug) {
        let hint = crate::text::slugify(slug);
        return Some(format!(
            "« {url} » : après « {PROJECT_LINK_SCHEME} » vient le nom du fichier du projet sans \
             « .md » (lettres minuscules sans accent, chiffres, tirets){}.",
            if hint.is_empty() {
                String::new()
            } else {
                format!(", par exemple « {PROJECT_LINK_SCHEME}{hint} »")
            }
        ));
    }
    let path = format!("projets/{slug}/index.html");
    if found(&path, from_draft, targets) || targets.failed_projects.contains(slug) {
        return None;
    }
    if targets.with_drafts().contains(&path) {
        return Some(draft_message(url));
    }
    if !suggest {
        return Some(String::new());
    }
    let hint = closest(slug, targets.project_slugs().iter().map(String::as_str))
        .map(|close| format!(" Vouliez-vous dire « {PROJECT_LINK_SCHEME}{close} » ?"))
        .unwrap_or_default();
    Some(format!(
        "« {url} » : aucun projet « {slug} » (fichier content/projets/{slug}.md) dans le \
         catalogue.{hint}"
    ))
}

/// Whether the output path exists in the build the document is part of.
fn found(path: &str, from_draft: bool, targets: &Targets) -> bool {
    if from_draft {
        targets.with_drafts().contains(path)
    } else {
        targets.published().contains(path)
    }
}

/// The message for a link from a published document to a draft.
fn draft_message(url: &str) -> String {
    format!(
        "« {url} » mène à un brouillon (brouillon: true) : sa page ne sera pas publiée et le \
         lien serait cassé sur le site. Publiez-le d'abord ou retirez le lien."
    )
}

/// What is wrong with a root-relative path (`resolved`: dots and `..` resolved, decoded).
fn path_problem(
    url: &str,
    resolved: &str,
    from_draft: bool,
    targets: &Targets,
    suggest: bool,
) -> Option<String> {
    if resolved.is_empty() {
        return None; // The home page.
    }
    let file = if resolved.ends_with('/') {
        format!("{resolved}index.html")
    } else {
        resolved.to_string()
    };
    if found(&file, from_draft, targets) {
        return None;
    }
    let first = resolved.split('/').next().unwrap_or("");
    let second = resolved.split('/').nth(1).unwrap_or("");
    if (first == "projets" && targets.failed_projects.contains(second))
        || (resolved.contains('/') && targets.failed_pages.contains(first))
    {
        return None;
    }
    if !resolved.ends_with('/') && found(&format!("{resolved}/index.html"), from_draft, targets) {
        return Some(format!(
            "« {url} » désigne une page : ajoutez la barre oblique finale, « {resolved}/ », \
             pour que le lien fonctionne sur tous les hébergements."
        ));
    }
    if targets.with_drafts().contains(&file) {
        return Some(draft_message(url));
    }
    if first == "static" {
        return Some(format!(
            "« {url} » : les fichiers du thème (static/) ne se citent pas depuis le contenu, leur \
             nom publié change avec leur contenu. Placez le fichier dans content/medias/ et \
             écrivez « medias/… »."
        ));
    }
    if !suggest {
        return Some(String::new());
    }
    if first == "medias" {
        let medias = targets
            .link_forms()
            .iter()
            .filter(|form| form.starts_with("medias/"))
            .map(String::as_str);
        let hint = closest(resolved, medias)
            .map(|close| format!(" Vouliez-vous dire « {close} » ?"))
            .unwrap_or_default();
        return Some(format!(
            "« {url} » : le fichier content/{resolved} est introuvable (les noms de fichiers \
             distinguent majuscules et minuscules).{hint}"
        ));
    }
    let hint = suggestion(resolved, targets)
        .map(|close| format!(" Vouliez-vous dire « {close} » ?"))
        .unwrap_or_default();
    Some(format!(
        "« {url} » : le site ne publie aucune page à cette adresse. Les liens internes \
         s'écrivent depuis la racine du site : « projets/<projet>/ » (ou « \
         {PROJECT_LINK_SCHEME}<projet> »), « secteurs/<clé>/ », « territoires/<département>/ », \
         « <page>/ », « medias/<fichier> ».{hint}"
    ))
}

/// The published address closest to `resolved`: by project slug under `projets/`, else
/// among every address of the site.
fn suggestion(resolved: &str, targets: &Targets) -> Option<String> {
    let mut parts = resolved.splitn(3, '/');
    if let (Some("projets"), Some(slug)) = (parts.next(), parts.next())
        && !slug.is_empty()
        && let Some(close) = closest(slug, targets.project_slugs().iter().map(String::as_str))
    {
        let rest = parts.next().unwrap_or("");
        return Some(format!("projets/{close}/{rest}"));
    }
    let with_slash = if resolved.ends_with('/') || resolved.contains('.') {
        resolved.to_string()
    } else {
        format!("{resolved}/")
    };
    closest(&with_slash, targets.link_forms().iter().map(String::as_str)).map(str::to_string)
}

/// Whether a URL starts with a scheme (`https:`, `mailto:`, `tel:`…): a letter, then letters,
/// digits, `+`, `-` or `.` up to a `:` that comes before any `/`, `?` or `#`.
fn has_scheme(url: &str) -> bool {
    match url.find([':', '/', '?', '#']) {
        Some(at) if url.as_bytes()[at] == b':' => {
            let scheme = &url[..at];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

/// `%XX` escapes decoded (`photo%201.jpg` -> `photo 1.jpg`); the text as written when the
/// result would not be UTF-8.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(high), Some(low)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// A path from the site root with `.` and `..` segments resolved (a trailing `/` kept); an
/// error when `..` climbs above the root.
fn resolve(path: &str) -> Result<String, ()> {
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    let mut directory = path.ends_with('/') || path.is_empty();
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "" => {}
            "." => directory |= i == last,
            ".." => {
                parts.pop().ok_or(())?;
                directory |= i == last;
            }
            other => parts.push(other),
        }
    }
    let mut resolved = parts.join("/");
    if directory && !resolved.is_empty() {
        resolved.push('/');
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_from_the_site_root() {
        assert_eq!(resolve("projets/a/").as_deref(), Ok("projets/a/"));
        assert_eq!(resolve("./projets/a/").as_deref(), Ok("projets/a/"));
        assert_eq!(resolve("projets/../methode/").as_deref(), Ok("methode/"));
        assert_eq!(resolve("projets/a/..").as_deref(), Ok("projets/"));
        assert_eq!(resolve("medias//a.jpg").as_deref(), Ok("medias/a.jpg"));
        assert_eq!(resolve(".").as_deref(), Ok(""));
        assert_eq!(resolve("../a/"), Err(()));
        assert_eq!(resolve("projets/../../a"), Err(()));
    }

    #[test]
    fn schemes_and_escapes() {
        assert!(has_scheme("https://a.fr") && has_scheme("mailto:a@b.fr") && has_scheme("tel:+33"));
        assert!(!has_scheme("projets/a:b/") && !has_scheme("a.jpg") && !has_scheme("1a:b"));
        assert_eq!(percent_decode("photo%20%C3%A9t%C3%A9.jpg"), "photo été.jpg");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%FF"), "%FF");
    }

    #[test]
    fn neutralised_script_links_are_not_paths_of_the_site() {
        let (content, site) = (LoadedContent::default(), crate::validate::default_site());
        let targets = Targets::new(&content, &site, &[], &[]);
        // What browsers read as `javascript:` once tabs, line breaks and leading control
        // characters are dropped: the link is removed at render, it is no broken path.
        for url in [
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "JaVa\r\nScRiPt:alert(1)",
            "\u{1}javascript:alert(1)",
        ] {
            assert_eq!(problem(url, false, &targets, true), None, "{url:?}");
        }
        assert!(problem("projets/absent/", false, &targets, true).is_some());
    }

    #[test]
    fn links_are_found_with_their_positions() {
        let body = "Texte [a](projets/x/) et ![b](medias/y.jpg).\n\n\
                    Voir [c][ref], [c][ref] et <https://exemple.fr>.\n\n\
                    [ref]: projet:z\n";
        let links = body_links(body);
        let urls: Vec<&str> = links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "projets/x/",
                "medias/y.jpg",
                "projet:z",
                "https://exemple.fr"
            ]
        );
        let offsets: Vec<usize> = links.iter().map(|l| l.at).collect();
        let places = positions(body, &offsets, 10);
        assert_eq!(places[0], (10, 11));
        assert_eq!(places[1], (10, 31));
        // The reference link points at its definition, once.
        assert_eq!(places[2], (14, 8));
        assert_eq!(places[3], (12, 29));
    }

    /// With a memo kept between checks, the diagnostics are those of a check from scratch,
    /// after a broken link is written into one file and again once it is fixed.
    #[test]
    fn reused_links_give_the_diagnostics_of_a_fresh_check() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let mut content = crate::content::load(&root).unwrap();
        let validated = crate::validate::validate(&content, 2026);
        let check = |content: &LoadedContent, memo: Option<&mut Memo>| {
            let found = check_links_reusing(
                content,
                &validated.site,
                &validated.projects,
                &validated.pages,
                memo,
            );
            found
                .iter()
                .map(|d| format!("{}:{}:{} {}", d.file, d.line, d.column, d.message))
                .collect::<Vec<String>>()
        };
        let mut memo = Memo::default();
        let original = content.projects[0].text.to_string();
        let broken = format!("{original}\nVoir [ailleurs](projets/nulle-part/).\n");
        for text in [&original, &broken, &original] {
            content.projects[0].text = text.as_str().into();
            let fresh = check(&content, None);
            assert_eq!(check(&content, Some(&mut memo)), fresh);
            assert_eq!(fresh.is_empty(), text == &original, "{fresh:?}");
        }
        assert_eq!(
            memo.links.len(),
            content.projects.len() + content.pages.len()
        );
    }

    #[test]
    fn columns_count_characters() {
        let body = "\nÉté : [x](a/)";
        let links = body_links(body);
        assert_eq!(positions(body, &[links[0].at, 0], 5), [(6, 11), (5, 1)]);
    }
}

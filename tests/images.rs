//! Project images: on the project page with their alt text and size, in every card with their size and lazy loading.

mod common;

use common::{build_demonstration, build_ok, copy_fixture, read_text};
use scraper::{ElementRef, Html, Selector};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector).collect()
}

fn attr(element: &ElementRef<'_>, name: &str) -> Option<String> {
    element.value().attr(name).map(str::to_string)
}

/// The `image` block of each project file of `content/projets`: slug -> (src, alt), read
/// line by line (independently of amiris' YAML reader).
fn declared_images(root: &Path) -> BTreeMap<String, (String, String)> {
    let mut images = BTreeMap::new();
    for entry in fs::read_dir(root.join("content/projets")).expect("projets") {
        let path = entry.expect("entry").path();
        // Translations (`<slug>.en.md`) give only the image's alternative text in their language.
        if path
            .file_stem()
            .is_some_and(|stem| stem.to_string_lossy().contains('.'))
        {
            continue;
        }
        let text = fs::read_to_string(&path).expect("project");
        let lines: Vec<&str> = text.lines().collect();
        let Some(at) = lines.iter().position(|l| *l == "image:") else {
            continue;
        };
        let value = |key: &str| {
            lines[at + 1..at + 3]
                .iter()
                .find_map(|l| l.trim().strip_prefix(key))
                .map(|v| v.trim().trim_matches('"').to_string())
                .expect(key)
        };
        let slug = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .to_string();
        images.insert(slug, (value("src:"), value("alt:")));
    }
    images
}

/// Width and height of an SVG file from its root element (`width`/`height`, else `viewBox`).
fn svg_size(bytes: &str) -> (String, String) {
    let doc = roxmltree::Document::parse(bytes).expect("SVG parses");
    let root = doc.root_element();
    match (root.attribute("width"), root.attribute("height")) {
        (Some(w), Some(h)) => (w.to_string(), h.to_string()),
        _ => {
            let view: Vec<&str> = root
                .attribute("viewBox")
                .expect("viewBox")
                .split_whitespace()
                .collect();
            (view[2].to_string(), view[3].to_string())
        }
    }
}

/// Checks every project page and every listing card of the site built at `output` against
/// the images declared in `root`; returns how many images were checked on project pages.
fn check_site(root: &Path, output: &Path) -> usize {
    let declared = declared_images(root);
    for (slug, (src, alt)) in &declared {
        let page = format!("projets/{slug}/index.html");
        let html = Html::parse_document(&read_text(output, &page));
        let images = select(&html, "figure.projet-image img");
        assert_eq!(images.len(), 1, "{page}");
        let img = &images[0];
        assert_eq!(attr(img, "src"), Some(format!("../../{src}")), "{page}");
        assert_eq!(attr(img, "alt").as_deref(), Some(alt.as_str()), "{page}");
        assert!(!alt.is_empty(), "{page}: alt text");
        let file = fs::read_to_string(output.join(src)).expect("image copied");
        let (width, height) = svg_size(&file);
        assert_eq!(attr(img, "width"), Some(width), "{page}");
        assert_eq!(attr(img, "height"), Some(height), "{page}");
        // The first image of the page is not lazy: it is in the first screen.
        assert_eq!(attr(img, "loading"), None, "{page}");
    }
    // Cards: every project card of the catalogue pages shows its image, sized and lazy.
    let mut cards_with_image = 0;
    let mut page = 1;
    loop {
        let path = if page == 1 {
            "projets/index.html".to_string()
        } else {
            format!("projets/page/{page}/index.html")
        };
        if !output.join(&path).exists() {
            break;
        }
        let html = Html::parse_document(&read_text(output, &path));
        for card in select(&html, "article.carte") {
            let link = Selector::parse(".carte-titre a").expect("selector");
            let href = card
                .select(&link)
                .next()
                .and_then(|a| attr(&a, "href"))
                .expect("card link");
            let slug = href.trim_end_matches('/').rsplit('/').next().expect("slug");
            let img = Selector::parse("img").expect("selector");
            let images: Vec<ElementRef<'_>> = card.select(&img).collect();
            match declared.get(slug) {
                Some((src, _)) => {
                    assert_eq!(images.len(), 1, "{path}: card of {slug}");
                    let img = &images[0];
                    let depth = if page == 1 { "../" } else { "../../../" };
                    assert_eq!(attr(img, "src"), Some(format!("{depth}{src}")));
                    assert_eq!(
                        attr(img, "alt").as_deref(),
                        Some(""),
                        "decorative in a card"
                    );
                    assert_eq!(attr(img, "loading").as_deref(), Some("lazy"));
                    let file = fs::read_to_string(output.join(src)).expect("image");
                    let (width, height) = svg_size(&file);
                    assert_eq!(attr(img, "width"), Some(width), "{path}: {slug}");
                    assert_eq!(attr(img, "height"), Some(height), "{path}: {slug}");
                    cards_with_image += 1;
                }
                None => assert!(images.is_empty(), "{path}: {slug} has no image"),
            }
        }
        page += 1;
    }
    assert_eq!(cards_with_image, declared.len(), "one card per project");
    declared.len()
}

#[test]
fn the_fixture_image_is_shown_with_its_size() {
    let site = copy_fixture("minimal");
    build_ok(site.path());
    let checked = check_site(site.path(), &site.path().join("output"));
    assert_eq!(checked, 1);
}

#[test]
fn a_dozen_demonstration_projects_have_small_illustrations() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_out, output) = build_demonstration();
    let checked = check_site(repo, &output);
    assert!(checked >= 12, "{checked} projects with an image");
    let mut alts: Vec<String> = declared_images(repo)
        .into_values()
        .map(|(_, a)| a)
        .collect();
    alts.sort();
    alts.dedup();
    assert_eq!(alts.len(), checked, "each image has its own alt text");
    for (src, _) in declared_images(repo).values() {
        let size = fs::metadata(repo.join("content").join(src))
            .expect(src)
            .len();
        assert!(size < 50_000, "{src}: {size} bytes");
    }
}

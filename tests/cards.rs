//! Social cards through the real binary: one valid 1200×630 PNG per published project, identical across builds, redrawn only when what they show changes.

mod common;

use common::{amiris, build_ok, copy_fixture, read_tree};
use std::path::Path;

/// Published projects of the `minimal` fixture (the draft has no card).
const PUBLISHED: [&str; 3] = ["cafe-des-aidants", "garage-solidaire", "panier-solidaire"];

fn card(slug: &str) -> String {
    format!("projets/{slug}/carte.png")
}

/// `(drawn, reused)` from the summary line of a build.
fn card_counts(stdout: &[u8]) -> (usize, usize) {
    let text = String::from_utf8_lossy(stdout);
    let after = text
        .split("cartes de partage : ")
        .nth(1)
        .unwrap_or_else(|| panic!("no card counts in the summary: {text}"));
    let numbers: Vec<usize> = after
        .split([' ', ','])
        .filter_map(|w| w.parse().ok())
        .take(2)
        .collect();
    let agree = |n: usize, one: &str, many: &str| format!("{n} {}", if n > 1 { many } else { one });
    assert!(
        after.starts_with(&format!(
            "{}, {}",
            agree(numbers[0], "dessinée", "dessinées"),
            agree(numbers[1], "reprise", "reprises")
        )),
        "{text}"
    );
    (numbers[0], numbers[1])
}

/// Decodes a PNG fully; returns its size.
fn decode(bytes: &[u8]) -> (u32, u32) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("valid PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("buffer size")];
    let frame = reader.next_frame(&mut pixels).expect("decodes");
    (frame.width, frame.height)
}

fn modified(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime")
}

#[test]
fn each_published_project_gets_a_1200_by_630_card() {
    let site = copy_fixture("minimal");
    let out = build_ok(site.path());
    assert_eq!(card_counts(&out.stdout), (PUBLISHED.len(), 0));
    let tree = read_tree(&site.path().join("output"));
    let cards: Vec<&String> = tree.keys().filter(|p| p.ends_with("/carte.png")).collect();
    assert_eq!(cards.len(), PUBLISHED.len(), "{cards:?}");
    for slug in PUBLISHED {
        let bytes = &tree[&card(slug)];
        assert_eq!(decode(bytes), (1200, 630), "{slug}");
        assert!(bytes.len() < 400_000, "{slug}: {} bytes", bytes.len());
    }
    assert!(!tree.contains_key(&card("brouillon-en-cours")));

    // With --drafts, the draft gets its card too.
    let drafts = amiris(&[
        "build",
        "--root",
        &site.path().to_string_lossy(),
        "--drafts",
        "--quiet",
    ]);
    assert!(drafts.status.success());
    assert_eq!(card_counts(&drafts.stdout), (1, PUBLISHED.len()));
    assert!(
        site.path()
            .join("output")
            .join(card("brouillon-en-cours"))
            .is_file()
    );
}

#[test]
fn two_fresh_builds_give_identical_cards() {
    let first = copy_fixture("minimal");
    let second = copy_fixture("minimal");
    build_ok(first.path());
    build_ok(second.path());
    let a = read_tree(&first.path().join("output"));
    let b = read_tree(&second.path().join("output"));
    for slug in PUBLISHED {
        assert!(a[&card(slug)] == b[&card(slug)], "{slug} differs");
    }
}

#[test]
fn a_rebuild_redraws_only_the_cards_whose_content_changed() {
    let site = copy_fixture("minimal");
    build_ok(site.path());
    let output = site.path().join("output");
    let before = read_tree(&output);
    let times: Vec<_> = PUBLISHED
        .iter()
        .map(|slug| modified(&output.join(card(slug))))
        .collect();

    // Nothing changed: every card reused, files untouched.
    let out = build_ok(site.path());
    assert_eq!(card_counts(&out.stdout), (0, PUBLISHED.len()));
    for (slug, time) in PUBLISHED.iter().zip(&times) {
        assert_eq!(modified(&output.join(card(slug))), *time, "{slug}");
    }

    // One title changed: that card only.
    let file = site.path().join("content/projets/garage-solidaire.md");
    let text = std::fs::read_to_string(&file).expect("read");
    let changed = text.replacen("titre: \"", "titre: \"Nouveau ", 1);
    assert_ne!(text, changed);
    std::fs::write(&file, changed).expect("write");
    let out = build_ok(site.path());
    assert_eq!(card_counts(&out.stdout), (1, PUBLISHED.len() - 1));
    let after = read_tree(&output);
    for slug in PUBLISHED {
        let same = before[&card(slug)] == after[&card(slug)];
        assert_eq!(same, slug != "garage-solidaire", "{slug}");
    }

    // A change the card does not show (the summary) redraws nothing.
    let file = site.path().join("content/projets/panier-solidaire.md");
    let text = std::fs::read_to_string(&file).expect("read");
    let changed = text.replacen("resume: \"", "resume: \"Vraiment : ", 1);
    assert_ne!(text, changed);
    std::fs::write(&file, changed).expect("write");
    let out = build_ok(site.path());
    assert_eq!(card_counts(&out.stdout), (0, PUBLISHED.len()));
}

#[test]
fn a_tampered_or_missing_card_is_redrawn() {
    let site = copy_fixture("minimal");
    build_ok(site.path());
    let output = site.path().join("output");
    let path = output.join(card("panier-solidaire"));
    let good = std::fs::read(&path).expect("read");
    std::fs::write(&path, b"not a png").expect("tamper");
    std::fs::remove_file(output.join(card("garage-solidaire"))).expect("remove");
    let out = build_ok(site.path());
    assert_eq!(card_counts(&out.stdout), (2, 1));
    assert_eq!(std::fs::read(&path).expect("read"), good);
}

#[test]
fn a_hostile_title_gives_a_valid_card() {
    let site = copy_fixture("minimal");
    let file = site.path().join("content/projets/cafe-des-aidants.md");
    let text = std::fs::read_to_string(&file).expect("read");
    // 150 characters, the most a title may have.
    let mut title = "</text><script>alert(1)</script> &amp; \"œuvre\" ]]><!-- ".to_string();
    while title.chars().count() < 150 {
        title.push_str("Très long titre ");
    }
    let title: String = title.chars().take(150).collect();
    let hostile = format!("titre: '{}'", title.trim_end());
    let changed = text.replacen("titre: \"Café des aidants de Laon\"", &hostile, 1);
    assert_ne!(text, changed);
    std::fs::write(&file, changed).expect("write");
    build_ok(site.path());
    let bytes = std::fs::read(site.path().join("output").join(card("cafe-des-aidants")))
        .expect("card written");
    assert_eq!(decode(&bytes), (1200, 630));
}

#[test]
fn the_cache_folder_survives_a_deleted_output() {
    let site = copy_fixture("minimal");
    let root = site.path().to_string_lossy().into_owned();
    let cache = site.path().join("cache-ci");
    let cache_arg = cache.to_string_lossy().into_owned();
    let build = |args: &[&str]| {
        let mut all = vec!["build", "--root", &root, "--quiet"];
        all.extend_from_slice(args);
        let out = amiris(&all);
        assert!(out.status.success(), "{out:?}");
        out
    };
    let out = build(&["--cache", &cache_arg]);
    assert_eq!(card_counts(&out.stdout), (PUBLISHED.len(), 0));
    let cards = read_tree(&site.path().join("output"));
    assert_eq!(
        std::fs::read_dir(&cache).expect("cache").count(),
        PUBLISHED.len()
    );

    // A clean checkout: no output, the cache restored.
    std::fs::remove_dir_all(site.path().join("output")).expect("rm output");
    let out = build(&["--cache", &cache_arg]);
    assert_eq!(card_counts(&out.stdout), (0, PUBLISHED.len()));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("(dont {} du cache)", PUBLISHED.len())),
        "{text}"
    );
    assert_eq!(read_tree(&site.path().join("output")), cards);

    // The same through site.yaml (relative to the site folder).
    std::fs::remove_dir_all(site.path().join("output")).expect("rm output");
    let yaml = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&yaml).expect("read");
    std::fs::write(&yaml, format!("{text}\ncache_cartes: cache-ci\n")).expect("write");
    let out = build(&[]);
    assert_eq!(card_counts(&out.stdout), (0, PUBLISHED.len()));

    // Inside the output folder: refused, exit 2.
    let inside = site
        .path()
        .join("output/cache")
        .to_string_lossy()
        .into_owned();
    let out = amiris(&["build", "--root", &root, "--quiet", "--cache", &inside]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("dossier de sortie"));
}

//! Hostile input corpus: each case ends in an exact diagnostic and exit 1, or in a safe build; never a panic, a hang, a memory blow-up or a read outside the site.
//!
//! Small text cases live in `tests/fixtures/hostile/cas/`; large or binary ones (30 MB file,
//! invalid UTF-8, NUL, BOM, CRLF, 100,000-character title, symbolic links, named pipes) are
//! made here, in a temporary copy of the valid site `tests/fixtures/hostile/site/`. Every run
//! goes through [`common::amiris_bounded`] (2 GiB address space, killed after 60 s) and must
//! use less than [`BOUND`] of processor time and [`WALL_BOUND`] of wall time.

mod common;

use common::{Found, Run, amiris_bounded, copy_fixture, fixture, json_diagnostics};
use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

/// Most processor time any single run may use: far above a normal run (a debug build of the
/// test site takes about one second), far below an unbounded one. Processor time rather than
/// wall time, so that other jobs sharing the machine cannot make a test fail.
const BOUND: Duration = Duration::from_secs(10);

/// Longest wall time any single run may take (a run blocked on a read uses no processor time):
/// generous, because a run waiting for processors that other jobs hold is not a hang (4 s of
/// processor time took 22 s on a shared 2-core machine).
const WALL_BOUND: Duration = Duration::from_secs(45);

/// Most resident memory any single run may use.
const MEMORY_BOUND_KIB: u64 = 1024 * 1024;

/// Written in files outside the site: it must never show up in anything amiris prints or writes.
const SECRET: &str = "SECRET-HORS-DU-SITE-7f3a";

/// A temporary copy of the valid site the cases are added to.
fn site() -> tempfile::TempDir {
    copy_fixture("hostile/site")
}

/// Bytes of a committed case file.
fn case(name: &str) -> Vec<u8> {
    fs::read(fixture("hostile/cas").join(name)).expect("case file")
}

/// Text of the valid project of the site, to derive cases from.
fn modele() -> String {
    fs::read_to_string(fixture("hostile/site/content/projets/modele.md")).expect("modele")
}

/// Writes a project file of the temporary site.
fn put_project(root: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    fs::write(root.join("content/projets").join(name), bytes).expect("write case");
}

/// Asserts a run ended by itself, in time and memory, without a panic, and printed nothing
/// from outside the site; returns its exit code.
fn finished(run: &Run) -> i32 {
    let out = &run.output;
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!(
        "amiris: {:?} processeur, {:?} au total, {} Mio au plus",
        run.cpu,
        run.wall,
        run.peak_kib / 1024
    );
    assert!(!run.timed_out, "killed after {:?}: {stderr}", run.wall);
    assert!(
        run.cpu < BOUND && run.wall < WALL_BOUND,
        "run took {:?} of processor time, {:?} in all (bounds {BOUND:?}, {WALL_BOUND:?}); \
         stderr: {stderr}",
        run.cpu,
        run.wall
    );
    assert!(
        run.peak_kib < MEMORY_BOUND_KIB,
        "run used {} KiB of memory",
        run.peak_kib
    );
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal ({:?}): {stderr}", out.status));
    assert!(
        matches!(code, 0..=2),
        "unexpected exit code {code}: {stderr}"
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(SECRET) && !stderr.contains(SECRET),
        "a file outside the site was read and printed"
    );
    code
}

/// `check --format json` on `root`: exit code and every diagnostic.
fn check(root: &Path) -> (i32, Vec<Found>) {
    let run = amiris_bounded(&[
        "check",
        "--root",
        &root.to_string_lossy(),
        "--format",
        "json",
    ]);
    let code = finished(&run);
    (code, json_diagnostics(&run.output.stdout))
}

/// Asserts `check` exits 1 with exactly these errors (code, file, line, column), in this
/// order, and no warning; returns them for checks on fields and messages.
fn expect_errors(root: &Path, expected: &[(&str, &str, u64, u64)]) -> Vec<Found> {
    let (code, found) = check(root);
    let got: Vec<(&str, &str, u64, u64)> = found
        .iter()
        .map(|d| (d.code.as_str(), d.file.as_str(), d.line, d.column))
        .collect();
    assert_eq!(got, expected, "{found:#?}");
    assert!(found.iter().all(|d| d.severity == "error"), "{found:#?}");
    assert_eq!(code, 1);
    found
}

/// `build --quiet` on `root` into `root/output`; asserts it ends in time.
fn build(root: &Path) -> (i32, Output) {
    let run = amiris_bounded(&["build", "--root", &root.to_string_lossy(), "--quiet"]);
    let code = finished(&run);
    (code, run.output)
}

/// A build that must fail with exit 1 and write nothing.
fn build_refused(root: &Path) {
    let (code, out) = build(root);
    assert_eq!(code, 1, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        !root.join("output").exists(),
        "a refused build wrote output/"
    );
}

/// A build that must succeed.
fn build_ok(root: &Path) {
    let (code, out) = build(root);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out.stderr));
}

/// A folder outside the site holding files with [`SECRET`] in them.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let mut project = modele();
    project = project.replace("Le Panier solidaire du Cambrésis", SECRET);
    fs::write(dir.path().join("secret.md"), &project).expect("write");
    fs::write(
        dir.path().join("secret.svg"),
        format!("<svg>{SECRET}</svg>"),
    )
    .expect("write");
    fs::create_dir(dir.path().join("pages")).expect("mkdir");
    fs::write(
        dir.path().join("pages/secret.md"),
        format!("---\ntitre: \"{SECRET}\"\n---\n\n{SECRET}\n"),
    )
    .expect("write");
    dir
}

#[test]
fn the_base_site_is_valid_and_builds() {
    let root = site();
    let (code, found) = check(root.path());
    assert_eq!((code, found), (0, Vec::new()));
    build_ok(root.path());
    assert!(
        root.path()
            .join("output/projets/modele/index.html")
            .is_file()
    );
}

#[test]
fn an_alias_bomb_stops_at_the_node_budget() {
    let root = site();
    put_project(root.path(), "bombe-alias.md", case("bombe-alias.md"));
    let found = expect_errors(
        root.path(),
        &[("yaml-limite", "content/projets/bombe-alias.md", 7, 25)],
    );
    assert!(found[0].message.contains("50000"), "{}", found[0].message);
    build_refused(root.path());
}

#[test]
fn deep_nesting_is_refused_whatever_its_form() {
    let root = site();
    // Committed: 40 levels of flow lists (the format uses 3).
    put_project(root.path(), "imbrication.md", case("imbrication.md"));
    // 400,000 opening brackets: the parser's own limit.
    put_project(
        root.path(),
        "imbrication-crochets.md",
        format!("---\ntitre: {}\n---\n", "[".repeat(400_000)),
    );
    // 100 levels of indented mappings.
    let block: String = (0..100)
        .map(|i| format!("{}a:\n", "  ".repeat(i)))
        .collect();
    put_project(
        root.path(),
        "imbrication-blocs.md",
        format!("---\n{block}---\n"),
    );
    // 100,000 nested block sequences on one line.
    put_project(
        root.path(),
        "imbrication-tirets.md",
        format!("---\ntitre:\n{}x\n---\n", "- ".repeat(100_000)),
    );
    let found = expect_errors(
        root.path(),
        &[
            (
                "yaml-limite",
                "content/projets/imbrication-blocs.md",
                34,
                65,
            ),
            (
                "yaml-limite",
                "content/projets/imbrication-crochets.md",
                2,
                263,
            ),
            (
                "yaml-limite",
                "content/projets/imbrication-tirets.md",
                3,
                63,
            ),
            ("yaml-limite", "content/projets/imbrication.md", 3, 39),
        ],
    );
    for d in &found {
        assert!(d.message.contains("32 niveaux"), "{}", d.message);
    }
    build_refused(root.path());
}

#[test]
fn a_30_mb_project_file_is_refused_without_being_read() {
    let root = site();
    let mut bytes = b"---\ntitre: \"".to_vec();
    bytes.resize(30 * 1024 * 1024, b'a');
    put_project(root.path(), "gros.md", &bytes);
    let found = expect_errors(root.path(), &[("fichier", "content/projets/gros.md", 1, 1)]);
    assert!(found[0].message.contains("1 Mo"), "{}", found[0].message);
    build_refused(root.path());
}

#[test]
fn oversized_site_yaml_and_pages_are_refused() {
    let root = site();
    let big = vec![b'#'; 2 * 1024 * 1024];
    fs::write(root.path().join("content/pages/grosse.md"), &big).expect("write");
    let mut site_yaml = fs::read(root.path().join("content/site.yaml")).expect("read");
    site_yaml.extend(std::iter::repeat_n(b'\n', 2 * 1024 * 1024));
    fs::write(root.path().join("content/site.yaml"), &site_yaml).expect("write");
    let (code, found) = check(root.path());
    assert_eq!(code, 1);
    let files: Vec<(&str, &str)> = found
        .iter()
        .filter(|d| d.code == "fichier")
        .map(|d| (d.file.as_str(), d.severity.as_str()))
        .collect();
    assert_eq!(
        files,
        [
            ("content/pages/grosse.md", "error"),
            ("content/site.yaml", "error")
        ]
    );
    build_refused(root.path());
}

#[test]
fn invalid_utf8_is_located() {
    let root = site();
    let mut bytes = modele().into_bytes();
    // "Cambrésis" in Latin-1 on line 2: the é becomes the lone byte 0xE9.
    let at = bytes
        .windows(2)
        .position(|w| w == "é".as_bytes())
        .expect("é");
    bytes.splice(at..at + 2, [0xE9]);
    put_project(root.path(), "latin1.md", &bytes);
    let found = expect_errors(
        root.path(),
        &[("encodage", "content/projets/latin1.md", 2, 37)],
    );
    assert!(found[0].message.contains("UTF-8"), "{}", found[0].message);
    build_refused(root.path());
}

#[test]
fn nul_bytes_are_located() {
    let root = site();
    let text = modele().replacen("Une épicerie", "Une\0épicerie", 1);
    put_project(root.path(), "nul.md", text);
    let found = expect_errors(
        root.path(),
        &[("encodage", "content/projets/nul.md", 3, 13)],
    );
    assert!(found[0].message.contains("nul"), "{}", found[0].message);
    build_refused(root.path());
}

#[test]
fn a_bom_and_crlf_line_endings_build() {
    let root = site();
    let title = "Le Panier solidaire du Cambrésis";
    let bom = format!("\u{feff}{}", modele().replace(title, "Fiche avec BOM"));
    put_project(root.path(), "avec-bom.md", bom);
    let crlf = modele()
        .replace(title, "Fiche en CRLF")
        .replace('\n', "\r\n");
    put_project(root.path(), "en-crlf.md", crlf);
    let both = format!(
        "\u{feff}{}",
        modele()
            .replace(title, "Fiche BOM et CRLF")
            .replace('\n', "\r\n")
    );
    put_project(root.path(), "bom-et-crlf.md", both);
    let (code, found) = check(root.path());
    assert_eq!((code, found), (0, Vec::new()));
    build_ok(root.path());
    for (slug, title) in [
        ("avec-bom", "Fiche avec BOM"),
        ("en-crlf", "Fiche en CRLF"),
        ("bom-et-crlf", "Fiche BOM et CRLF"),
    ] {
        let html = common::read_text(
            &root.path().join("output"),
            &format!("projets/{slug}/index.html"),
        );
        let doc = scraper::Html::parse_document(&html);
        let h1 = scraper::Selector::parse("h1").expect("selector");
        let h1: String = doc.select(&h1).next().expect("h1").text().collect();
        assert_eq!(h1.trim(), title);
        assert!(!html.contains('\u{feff}') && !html.contains('\r'), "{slug}");
        // The six sections were found despite the line endings.
        assert!(html.contains("id=\"synthese\""), "{slug}");
    }
}

#[test]
fn an_empty_file_and_an_unclosed_front_matter_are_reported() {
    let root = site();
    put_project(root.path(), "vide.md", case("vide.md"));
    put_project(root.path(), "non-ferme.md", case("non-ferme.md"));
    let found = expect_errors(
        root.path(),
        &[
            ("en-tete", "content/projets/non-ferme.md", 1, 1),
            ("en-tete", "content/projets/vide.md", 1, 1),
        ],
    );
    assert!(
        found[0].message.contains("jamais fermé"),
        "{}",
        found[0].message
    );
    assert!(found[1].message.contains("---"), "{}", found[1].message);
    build_refused(root.path());
}

#[test]
fn symbolic_link_loops_are_reported_not_followed() {
    let root = site();
    let content = root.path().join("content");
    symlink("boucle.md", content.join("projets/boucle.md")).expect("link");
    symlink(".", content.join("medias/boucle")).expect("link");
    symlink("a.md", content.join("pages/b.md")).expect("link");
    symlink("b.md", content.join("pages/a.md")).expect("link");
    let found = expect_errors(
        root.path(),
        &[
            ("fichier", "content/medias/boucle", 1, 1),
            ("fichier", "content/pages/a.md", 1, 1),
            ("fichier", "content/pages/b.md", 1, 1),
            ("fichier", "content/projets/boucle.md", 1, 1),
        ],
    );
    for d in &found {
        assert!(d.message.contains("lien symbolique"), "{}", d.message);
    }
    build_refused(root.path());
}

#[test]
fn symbolic_links_out_of_content_are_never_followed() {
    let root = site();
    let away = outside();
    let content = root.path().join("content");
    symlink(
        away.path().join("secret.md"),
        content.join("projets/dehors.md"),
    )
    .expect("link");
    symlink(
        away.path().join("secret.svg"),
        content.join("medias/dehors.svg"),
    )
    .expect("link");
    symlink("../../../etc/passwd", content.join("projets/passwd.md")).expect("link");
    expect_errors(
        root.path(),
        &[
            ("fichier", "content/medias/dehors.svg", 1, 1),
            ("fichier", "content/projets/dehors.md", 1, 1),
            ("fichier", "content/projets/passwd.md", 1, 1),
        ],
    );
    build_refused(root.path());
}

#[test]
fn linked_folders_and_site_yaml_are_never_followed() {
    // Whole folders of content/ given as links to elsewhere (they used to be read).
    let root = site();
    let away = outside();
    let content = root.path().join("content");
    fs::remove_dir_all(content.join("pages")).expect("rm");
    symlink(away.path().join("pages"), content.join("pages")).expect("link");
    fs::remove_dir_all(content.join("medias")).expect("rm");
    symlink(away.path(), content.join("medias")).expect("link");
    let found = expect_errors(
        root.path(),
        &[
            ("fichier", "content/medias", 1, 1),
            ("fichier", "content/pages", 1, 1),
            ("image", "content/projets/modele.md", 41, 8),
        ],
    );
    assert!(
        found[1].message.contains("lien symbolique"),
        "{}",
        found[1].message
    );
    build_refused(root.path());

    let root = site();
    let projets = root.path().join("content/projets");
    fs::rename(&projets, away.path().join("projets")).expect("move");
    symlink(away.path().join("projets"), &projets).expect("link");
    expect_errors(root.path(), &[("fichier", "content/projets", 1, 1)]);
    build_refused(root.path());

    // site.yaml itself as a link: reported as a link, not as a missing site.
    let root = site();
    let site_yaml = root.path().join("content/site.yaml");
    fs::rename(&site_yaml, away.path().join("site.yaml")).expect("move");
    symlink(away.path().join("site.yaml"), &site_yaml).expect("link");
    let (code, found) = check(root.path());
    assert_eq!(code, 1);
    let link = found
        .iter()
        .find(|d| d.file == "content/site.yaml")
        .expect("site.yaml reported");
    assert_eq!(
        (link.code.as_str(), link.line, link.column),
        ("fichier", 1, 1)
    );
    assert!(link.message.contains("lien symbolique"), "{}", link.message);
    build_refused(root.path());
}

#[test]
fn named_pipes_and_devices_are_refused_without_blocking() {
    let root = site();
    let fifo = root.path().join("content/projets/tube.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    // A writer that never writes: reading the pipe would wait forever.
    let found = expect_errors(root.path(), &[("fichier", "content/projets/tube.md", 1, 1)]);
    assert!(
        found[0].message.contains("fichier ordinaire"),
        "{}",
        found[0].message
    );
    build_refused(root.path());
}

#[test]
fn file_names_that_are_not_slugs_get_a_free_suggestion() {
    let root = site();
    for name in [
        "Panier Solidaire.md",
        "ÉPICERIE.md",
        "vélo-école.md",
        "Modele.md",
        "deux--tirets.md",
        "★.md",
    ] {
        put_project(root.path(), name, modele());
    }
    let found = expect_errors(
        root.path(),
        &[
            ("slug", "content/projets/Modele.md", 1, 1),
            ("slug", "content/projets/Panier Solidaire.md", 1, 1),
            ("slug", "content/projets/deux--tirets.md", 1, 1),
            ("slug", "content/projets/modele.md", 1, 1),
            ("slug", "content/projets/vélo-école.md", 1, 1),
            ("slug", "content/projets/ÉPICERIE.md", 1, 1),
            ("slug", "content/projets/★.md", 1, 1),
        ],
    );
    let message = |file: &str| {
        &found
            .iter()
            .find(|d| d.file == format!("content/projets/{file}"))
            .expect("diagnostic")
            .message
    };
    assert!(message("Panier Solidaire.md").contains("« panier-solidaire.md »"));
    assert!(message("ÉPICERIE.md").contains("« epicerie.md »"));
    assert!(message("vélo-école.md").contains("« velo-ecole.md »"));
    assert!(message("deux--tirets.md").contains("« deux-tirets.md »"));
    // `modele.md` is taken: the suggestion is a free name.
    assert!(
        message("Modele.md").contains("« modele-2.md »"),
        "{}",
        message("Modele.md")
    );
    // The two files giving the address projets/modele/ are named together.
    assert!(
        message("modele.md").contains("projets/modele/")
            && message("modele.md").contains("Modele.md"),
        "{}",
        message("modele.md")
    );
    // Nothing to suggest from a name without letters or digits.
    assert!(
        !message("★.md").contains("Renommez-le par exemple"),
        "{}",
        message("★.md")
    );
    build_refused(root.path());
}

#[test]
fn image_paths_escaping_the_site_are_refused() {
    let root = site();
    for (name, src) in [
        ("image-remonte.md", "../../etc/passwd"),
        ("image-absolue.md", "/etc/passwd"),
        ("image-detour.md", "medias/../../../../etc/passwd"),
        ("image-site.md", "medias/../site.yaml"),
        ("image-contenu.md", "projets/modele.md"),
        ("image-url.md", "file:///etc/passwd"),
        ("image-antislash.md", "medias\\\\..\\\\..\\\\etc\\\\passwd"),
    ] {
        let text = modele().replace("src: medias/photo.svg", &format!("src: \"{src}\""));
        put_project(root.path(), name, text);
    }
    let found = expect_errors(
        root.path(),
        &[
            ("image", "content/projets/image-absolue.md", 41, 8),
            ("image", "content/projets/image-antislash.md", 41, 8),
            ("image", "content/projets/image-contenu.md", 41, 8),
            ("image", "content/projets/image-detour.md", 41, 8),
            ("image", "content/projets/image-remonte.md", 41, 8),
            ("image", "content/projets/image-site.md", 41, 8),
            ("image", "content/projets/image-url.md", 41, 8),
        ],
    );
    for d in &found {
        assert_eq!(d.field.as_deref(), Some("image.src"));
        assert!(d.message.contains("medias/"), "{}", d.message);
    }
    build_refused(root.path());
}

#[test]
fn a_100000_character_title_is_refused_quickly() {
    let root = site();
    let text = modele().replace(
        "\"Le Panier solidaire du Cambrésis\"",
        &format!("\"{}\"", "é".repeat(100_000)),
    );
    put_project(root.path(), "long.md", text);
    let found = expect_errors(
        root.path(),
        &[("longueur", "content/projets/long.md", 2, 8)],
    );
    assert_eq!(found[0].field.as_deref(), Some("titre"));
    assert!(found[0].message.contains("100000"), "{}", found[0].message);
    assert!(found[0].message.contains("150"), "{}", found[0].message);
    assert!(
        found[0].message.len() < 500,
        "the message repeats the title"
    );
    build_refused(root.path());
}

#[test]
fn pathological_markdown_bodies_build_in_bounded_time() {
    // Bodies just under the 1 MB limit that stress the Markdown parser and the heading ids,
    // each built alone (one project, one social card) so that each run is measured alone.
    let head = modele();
    let bodies = [
        ("titres-identiques", "## a\n".repeat(100_000)),
        ("crochets", "[".repeat(900_000)),
        ("citations", format!("{} a", ">".repeat(300_000))),
        ("liens", "[a](".repeat(200_000)),
        ("html", "<div>\n".repeat(150_000)),
        ("notes", format!("{}\n\n[^a]: x\n", "[^a]".repeat(200_000))),
    ];
    for (name, body) in &bodies {
        let root = site();
        fs::remove_file(root.path().join("content/projets/modele.md")).expect("rm");
        put_project(
            root.path(),
            &format!("{name}.md"),
            format!("{head}\n{body}"),
        );
        eprintln!("corps « {name} » :");
        build_ok(root.path());
        let html = common::read_text(
            &root.path().join("output"),
            &format!("projets/{name}/index.html"),
        );
        assert!(!html.contains("<div>\n<div>"), "raw HTML reached the page");
    }
}

#[test]
fn a_yaml_header_with_thousands_of_keys_is_bounded() {
    let root = site();
    let keys: String = (0..30_000).map(|i| format!("k{i}: 1\n")).collect();
    put_project(root.path(), "cles.md", format!("---\n{keys}---\n"));
    let found = expect_errors(
        root.path(),
        &[("yaml-limite", "content/projets/cles.md", 25_001, 9)],
    );
    assert!(found[0].message.contains("50000"), "{}", found[0].message);
}

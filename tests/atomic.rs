//! Atomic, careful output: a build killed at any moment leaves the previous site byte-identical or the new one complete, the next build recovers, and links in or as the output folder are never followed.
//!
//! The killed builds run on a synthetic site of [`PROJECTS`] projects generated here from the
//! valid project of `tests/fixtures/hostile/site/`, so that rendering and writing take long
//! enough to be interrupted at many points: half of the kills are spread over the whole run,
//! half over its write stage (from the moment the staging folder `output.amiris-neuf`
//! appears to the end, swap included).

mod common;

use common::{amiris, copy_fixture, copy_tree, fixture, read_tree};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Projects of the synthetic site (each one page, one radar, one social card).
const PROJECTS: usize = 80;

/// Builds killed per run of the test.
const KILLS: usize = 20;

/// A site's tree of files: path → bytes.
type Tree = BTreeMap<String, Vec<u8>>;

/// The staging and previous-site siblings of `output`.
fn siblings(output: &Path) -> [PathBuf; 2] {
    let name = output.file_name().expect("name").to_string_lossy();
    [
        output.with_file_name(format!("{name}.amiris-neuf")),
        output.with_file_name(format!("{name}.amiris-ancien")),
    ]
}

/// Writes the synthetic site's projects in `version` (`A` or `B`: every body differs).
fn write_projects(root: &Path, version: &str) {
    let modele =
        fs::read_to_string(fixture("hostile/site/content/projets/modele.md")).expect("modele");
    let projets = root.join("content/projets");
    for i in 0..PROJECTS {
        let text = modele.replace(
            "Un service simple",
            &format!("Version {version} du projet numéro {i}. Un service simple"),
        );
        fs::write(projets.join(format!("projet-{i:04}.md")), text).expect("write project");
    }
}

/// Starts `amiris build --root <root> --quiet`, its output discarded.
fn start_build(root: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_amiris"))
        .args(["build", "--root", &root.to_string_lossy(), "--quiet"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start amiris")
}

/// Runs a normal build and asserts it succeeded.
fn build(root: &Path) {
    let out = amiris(&["build", "--root", &root.to_string_lossy(), "--quiet"]);
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Puts the previous site back: `output/` exactly as `pristine`, no sibling folder. Files are
/// hard links of the pristine copy (fast): a build never writes into an existing file, and if
/// one did, the next comparison with the old site's bytes would catch it.
fn restore(output: &Path, pristine: &Path) {
    for path in std::iter::once(output.to_path_buf()).chain(siblings(output)) {
        if path.exists() {
            fs::remove_dir_all(&path).expect("remove");
        }
    }
    for entry in walkdir::WalkDir::new(pristine) {
        let entry = entry.expect("walk");
        let target = output.join(entry.path().strip_prefix(pristine).expect("prefix"));
        if entry.file_type().is_dir() {
            fs::create_dir(&target).expect("mkdir");
        } else {
            fs::hard_link(entry.path(), &target).expect("link");
        }
    }
}

/// Which complete site `output/` holds, or why it is neither.
fn classify(output: &Path, old: &Tree, new: &Tree) -> Result<&'static str, String> {
    if !output.is_dir() {
        return Err("le dossier de sortie a disparu".into());
    }
    let now = read_tree(output);
    if &now == old {
        return Ok("ancien");
    }
    if &now == new {
        return Ok("nouveau");
    }
    let missing = old.keys().filter(|k| !now.contains_key(*k)).count();
    let from_old = now.iter().filter(|(k, v)| old.get(*k) == Some(v)).count();
    let from_new = now.iter().filter(|(k, v)| new.get(*k) == Some(v)).count();
    Err(format!(
        "mélange : {} fichiers, {missing} de l'ancien site absents, {from_old} identiques à \
         l'ancien, {from_new} identiques au nouveau",
        now.len()
    ))
}

/// Waits for `path` to exist, up to `limit`; returns when it appeared (since `started`).
fn wait_for(path: &Path, child: &mut Child, started: Instant, limit: Duration) -> Option<Duration> {
    while started.elapsed() < limit {
        if path.exists() {
            return Some(started.elapsed());
        }
        if child.try_wait().expect("wait").is_some() {
            return None;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    None
}

#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one_never_a_mix() {
    let site = copy_fixture("hostile/site");
    let root = site.path();
    fs::remove_file(root.join("content/projets/modele.md")).expect("rm");
    write_projects(root, "A");
    let output = root.join("output");
    let [staging, _] = siblings(&output);

    build(root);
    let old = read_tree(&output);
    let pristine = tempfile::tempdir().expect("tmp");
    copy_tree(&output, pristine.path());

    // The new site, built once without interruption over the old one: how long it takes and
    // when its staging folder appears.
    write_projects(root, "B");
    let started = Instant::now();
    let mut child = start_build(root);
    let staged_at = wait_for(&staging, &mut child, started, Duration::from_secs(600))
        .expect("the staging folder appears during the build");
    assert!(child.wait().expect("wait").success());
    let duration = started.elapsed();
    let new = read_tree(&output);
    for i in 0..PROJECTS {
        let page = format!("projets/projet-{i:04}/index.html");
        assert_ne!(old.get(&page), new.get(&page), "{page} did not change");
    }
    for sibling in siblings(&output) {
        assert!(!sibling.exists(), "{} left over", sibling.display());
    }
    let writing = duration.saturating_sub(staged_at);
    eprintln!(
        "construction complète : {duration:?}, dont {writing:?} d'écriture ({} fichiers)",
        new.len()
    );

    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut killed_with_leftovers = 0;
    for i in 0..KILLS {
        restore(&output, pristine.path());
        let started = Instant::now();
        let mut child = start_build(root);
        let when = if i % 2 == 0 {
            // Spread over the whole build.
            let at = duration.mul_f64((i / 2) as f64 / (KILLS / 2) as f64 + 0.5 / KILLS as f64);
            std::thread::sleep(at.saturating_sub(started.elapsed()));
            at
        } else {
            // Spread over the write stage, a little past its measured end (swap, cleanup).
            let seen = wait_for(&staging, &mut child, started, duration * 4);
            let fraction = (i / 2) as f64 / (KILLS / 2 - 1) as f64 * 1.1;
            let delay = writing.mul_f64(fraction);
            std::thread::sleep(delay);
            seen.unwrap_or_default() + delay
        };
        let still_running = child.try_wait().expect("wait").is_none();
        child.kill().expect("kill");
        let status = child.wait().expect("wait");
        let leftovers = siblings(&output).iter().any(|s| s.exists());
        if still_running && leftovers {
            killed_with_leftovers += 1;
        }
        let outcome = classify(&output, &old, &new).unwrap_or_else(|why| {
            panic!("arrêt n° {i} à {when:?} ({status:?}) : {why}");
        });
        *outcomes
            .entry(if still_running {
                outcome
            } else {
                "fini avant l'arrêt"
            })
            .or_default() += 1;

        // The next normal build recovers from whatever was left and publishes the new site.
        build(root);
        assert_eq!(
            classify(&output, &old, &new),
            Ok("nouveau"),
            "after kill n° {i}"
        );
        for sibling in siblings(&output) {
            assert!(!sibling.exists(), "{} left over", sibling.display());
        }
    }
    eprintln!(
        "{KILLS} constructions arrêtées net (SIGKILL) : {outcomes:?} ; {killed_with_leftovers} \
         pendant l'écriture (dossier de préparation présent)"
    );
    assert!(
        outcomes.get("ancien").copied().unwrap_or(0) >= KILLS / 4,
        "too few kills landed during the build: {outcomes:?}"
    );
    assert!(
        killed_with_leftovers > 0,
        "no kill landed during the write stage: {outcomes:?}"
    );
}

#[test]
fn an_output_folder_that_is_a_link_is_refused() {
    let site = copy_fixture("hostile/site");
    let elsewhere = tempfile::tempdir().expect("tmp");
    fs::write(elsewhere.path().join("garde.txt"), "intact").expect("write");
    let link = site.path().join("output");
    symlink(elsewhere.path(), &link).expect("link");
    for output in [
        link.to_string_lossy().into_owned(),
        format!("{}/", link.display()),
    ] {
        let out = amiris(&[
            "build",
            "--root",
            &site.path().to_string_lossy(),
            "--output",
            &output,
            "--quiet",
        ]);
        assert_eq!(out.status.code(), Some(2), "{output}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("lien symbolique"), "{stderr}");
    }
    assert!(fs::symlink_metadata(&link).expect("link").is_symlink());
    let left: Vec<String> = read_tree(elsewhere.path()).into_keys().collect();
    assert_eq!(left, ["garde.txt"]);
    assert_eq!(
        fs::read_to_string(elsewhere.path().join("garde.txt")).expect("read"),
        "intact"
    );
}

#[test]
fn links_inside_the_previous_output_are_never_followed() {
    let site = copy_fixture("hostile/site");
    let root = site.path();
    build(root);
    let output = root.join("output");
    let expected = read_tree(&output);

    // Outside the output: a file, a folder, and a file hard-linked into the output.
    let outside = tempfile::tempdir().expect("tmp");
    let victim = outside.path().join("victime.txt");
    fs::write(&victim, "à ne pas toucher").expect("write");
    let folder = outside.path().join("dossier");
    fs::create_dir(&folder).expect("mkdir");
    fs::write(folder.join("index.html"), "dossier extérieur").expect("write");
    let hard = outside.path().join("dur.txt");
    fs::write(&hard, "lien physique").expect("write");

    // A link where the build writes a file, a link where it writes a folder, a stray link,
    // and a hard link to an outside file where the build writes a file.
    fs::remove_file(output.join("index.html")).expect("rm");
    symlink(&victim, output.join("index.html")).expect("link");
    fs::remove_dir_all(output.join("projets/modele")).expect("rm");
    symlink(&folder, output.join("projets/modele")).expect("link");
    symlink(&victim, output.join("lien-dehors")).expect("link");
    fs::remove_file(output.join("404.html")).expect("rm");
    let hard_linked = fs::hard_link(&hard, output.join("404.html")).is_ok();

    build(root);

    assert_eq!(read_tree(&output), expected, "the output is the site again");
    for path in ["index.html", "projets/modele", "404.html"] {
        assert!(
            !fs::symlink_metadata(output.join(path))
                .expect("meta")
                .is_symlink(),
            "{path} is still a link"
        );
    }
    assert!(fs::symlink_metadata(output.join("lien-dehors")).is_err());
    assert_eq!(
        fs::read_to_string(&victim).expect("read"),
        "à ne pas toucher"
    );
    assert_eq!(
        read_tree(&folder).into_keys().collect::<Vec<_>>(),
        ["index.html"]
    );
    assert_eq!(
        fs::read_to_string(folder.join("index.html")).expect("read"),
        "dossier extérieur"
    );
    if hard_linked {
        assert_eq!(fs::read_to_string(&hard).expect("read"), "lien physique");
    }
}

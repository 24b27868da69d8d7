//! Times `amiris serve`'s rebuild after one project's title is edited (the benchmark's serve row).
//!
//! `cargo run --release --example serve_rebuild -- SITE [EDITS]`: builds SITE in memory as
//! `serve` does, with its first project's page open, then edits that project's title EDITS times
//! (default 5, restoring it at the end) and prints each rebuild's wall time, from the file
//! written to the new site served (the open page rendered), then the time the home page takes
//! when asked for next.

use amiris::serve::live::{Builder, Live, Outcome};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// The binary's allocator, so that the times are those of `amiris serve`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage : serve_rebuild DOSSIER_DU_SITE [MODIFICATIONS]");
        std::process::exit(2);
    };
    let edits: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    let mut projects: Vec<PathBuf> = std::fs::read_dir(root.join("content/projets"))
        .expect("content/projets")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    projects.sort();
    let first = projects.first().expect("at least one project").clone();
    let original = std::fs::read_to_string(&first).expect("project text");
    amiris::serve::keep_freed_memory();
    let live = Arc::new(Live::default());
    let mut builder = Builder::new(root, false, "http://127.0.0.1:1/".into(), live.clone());
    let started = Instant::now();
    let outcome = builder.rebuild(true);
    println!("first build: {:?} ({outcome:?})", started.elapsed());
    // The edited project's page is open in the browser (asked for once).
    let slug = first
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let page = format!("projets/{slug}/index.html");
    drop(live.lock_current(&page));
    for edit in 0..edits {
        let text = original.replacen("titre: \"", &format!("titre: \"Modifié {edit} "), 1);
        std::fs::write(&first, text).expect("write project");
        let started = Instant::now();
        let (outcome, elapsed, home) = builder.rebuild_then(false, |outcome, session| {
            let elapsed = started.elapsed();
            // Another page asked for afterwards, rendered on request.
            let asked = Instant::now();
            session.render("index.html");
            (outcome, elapsed, asked.elapsed())
        });
        match outcome {
            Outcome::Rebuilt {
                pages,
                others,
                timings,
                ..
            } => {
                let stages: Vec<String> = timings
                    .iter()
                    .map(|(stage, time)| format!("{} {} ms", stage.label(), time.as_millis()))
                    .collect();
                println!(
                    "edit {edit}: {} ms ({pages} pages, {others} other files; {}); home page \
                     then rendered on request in {} ms",
                    elapsed.as_millis(),
                    stages.join(", "),
                    home.as_millis()
                )
            }
            other => println!("edit {edit}: {elapsed:?} {other:?}"),
        }
    }
    std::fs::write(&first, original).expect("restore project");
}

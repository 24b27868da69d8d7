//! Times `amiris serve`'s rebuild after one project's title is edited (the benchmark's serve row).
//!
//! `cargo run --release --example serve_rebuild -- SITE [EDITS]`: builds SITE in memory as
//! `serve` does, then edits the title of its first project EDITS times (default 5, restoring it
//! at the end) and prints each rebuild's wall time, from the file written to the new site served.

use amiris::serve::live::{Builder, Live, Outcome};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

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
    let live = Arc::new(Live::default());
    let mut builder = Builder::new(root, false, "http://127.0.0.1:1/".into(), live);
    let started = Instant::now();
    let outcome = builder.rebuild(true);
    println!("first build: {:?} ({outcome:?})", started.elapsed());
    for edit in 0..edits {
        let text = original.replacen("titre: \"", &format!("titre: \"Modifié {edit} "), 1);
        std::fs::write(&first, text).expect("write project");
        let started = Instant::now();
        let outcome = builder.rebuild(false);
        let elapsed = started.elapsed();
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
                    "edit {edit}: {} ms ({pages} pages, {others} other files; {})",
                    elapsed.as_millis(),
                    stages.join(", ")
                )
            }
            other => println!("edit {edit}: {elapsed:?} {other:?}"),
        }
    }
    std::fs::write(&first, original).expect("restore project");
}

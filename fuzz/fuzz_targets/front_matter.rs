//! Fuzz target: a project file's bytes through decoding, front-matter split, YAML parse,
//! validation against a fixed site, and the human rendering of the diagnostics.

#![no_main]

use amiris::content::{self, LoadedContent, SourceFile};
use amiris::diagnostic;
use amiris::validate;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

/// The demonstration site's settings: real vocabularies and scale.
const SITE_YAML: &str = include_str!("../../content/site.yaml");

fuzz_target!(|data: &[u8]| {
    // Same limit as the loader: larger files never reach the parser.
    if data.len() as u64 > content::MAX_FILE_BYTES {
        return;
    }
    let text = match content::decode(data.to_vec()) {
        Ok(text) => text,
        Err(_) => return,
    };
    let project = SourceFile {
        path: "content/projets/fuzz.md".into(),
        stem: "fuzz".into(),
        text,
    };
    let loaded = LoadedContent {
        site: Some(SourceFile {
            path: "content/site.yaml".into(),
            stem: String::new(),
            text: SITE_YAML.into(),
        }),
        projects: vec![project.clone()],
        ..LoadedContent::default()
    };
    let validated = validate::validate(&loaded, 2026);
    assert!(
        validated.projects.len() + usize::from(validated.has_errors()) >= 1,
        "a project is either accepted or reported"
    );
    let sources = BTreeMap::from([(project.path.clone(), project.text.clone())]);
    let _ = diagnostic::to_human(&validated.diagnostics, &sources);
    let _ = diagnostic::to_json(&validated.diagnostics);
});

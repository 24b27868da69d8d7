//! Fuzz target: any texts and scores on a social card, drawn in a sequence on one thread's reused canvas, checked against the same card drawn on a fresh one.

#![no_main]

use amiris::card::{
    CardContent, CardPainter, card_key, card_layers, card_radar, card_svg, png_size, stored_key,
};
use amiris::content::{LoadedContent, SourceFile};
use amiris::model::{MARKER_COUNT, Site};
use amiris::validate;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// The demonstration site's settings: real markers and scale.
const SITE_YAML: &str = include_str!("../../content/site.yaml");

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let loaded = LoadedContent {
            site: Some(SourceFile {
                path: "content/site.yaml".into(),
                stem: String::new(),
                text: SITE_YAML.into(),
            }),
            ..LoadedContent::default()
        };
        validate::validate(&loaded, 2026).site
    })
}

/// One painter for the whole run, as one build's: its shared layers and each thread's
/// canvas carry over from input to input.
fn painter() -> &'static CardPainter {
    static PAINTER: OnceLock<CardPainter> = OnceLock::new();
    PAINTER.get_or_init(CardPainter::new)
}

/// A card from the fuzzer's bytes: fields separated by 0x1f (title, carrier, communes,
/// departments, site title), then the year and the twelve scores from the last bytes.
fn content(data: &[u8]) -> Option<CardContent> {
    let text = std::str::from_utf8(data).ok()?;
    let mut fields = text.split('\u{1f}');
    let mut next = || fields.next().unwrap_or("").to_string();
    let (title, structure, communes, departments, site_title) =
        (next(), next(), next(), next(), next());
    let list = |s: &str| -> Vec<String> {
        s.split(',')
            .filter(|x| !x.is_empty())
            .take(40)
            .map(str::to_string)
            .collect()
    };
    let tail = data
        .iter()
        .rev()
        .take(MARKER_COUNT + 2)
        .copied()
        .collect::<Vec<u8>>();
    let byte = |i: usize| tail.get(i).copied().unwrap_or(0);
    let mut scores = [None; MARKER_COUNT];
    for (i, score) in scores.iter_mut().enumerate() {
        // Half steps from 0 to 3, and "not assessed".
        let b = byte(i + 2) % 8;
        *score = (b < 7).then_some(f64::from(b) / 2.0);
    }
    let site = site();
    let radar = card_radar(site, &title, &scores);
    Some(CardContent {
        slug: "fuzz".into(),
        title,
        structure,
        communes: list(&communes),
        departments: list(&departments),
        year: u16::from_le_bytes([byte(0), byte(1)]),
        site_title: if site_title.is_empty() {
            site.title.clone()
        } else {
            site_title
        },
        radar,
    })
}

fuzz_target!(|data: &[u8]| {
    if data.len() > 4096 {
        return;
    }
    let Some(content) = content(data) else {
        return;
    };
    let layers = card_layers(&content);
    let key = card_key(&card_svg(&content));
    // On this thread's canvas, after whatever card the last input drew.
    let reused = painter().render_png(&layers, &key, "fuzz").expect("drawn");
    assert_eq!(png_size(&reused), Some((1200, 630)));
    assert_eq!(stored_key(&reused).as_deref(), Some(key.as_str()));
    // On a new thread's canvas, never used: the same bytes.
    let fresh = std::thread::scope(|scope| {
        scope
            .spawn(|| painter().render_png(&layers, &key, "fuzz"))
            .join()
            .expect("thread")
    })
    .expect("drawn");
    assert!(
        reused == fresh,
        "a reused canvas gave other bytes than a fresh one"
    );
});

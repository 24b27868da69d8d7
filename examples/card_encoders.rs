//! Measures the social cards of a catalogue: drawing time, and each PNG encoder setting's time, size and fidelity (the table of `src/card.rs`).
//!
//! ```text
//! cargo run --release --example card_encoders -- DOSSIER [N]
//! ```
//!
//! Draws the cards of the first N projects (100 by default) of the site in DOSSIER (for
//! instance a synthetic catalogue of `bench/`), on one thread, and prints in Markdown: the
//! processor time per card of the drawing (whole SVG at once, and in layers as the build
//! does), then for each encoder setting the processor time per card (palette included),
//! the average bytes and the largest difference of one channel between the decoded PNG and
//! the drawing. Times are the thread's processor time, not wall time, so that a shared
//! machine disturbs them less; compare rows of one run only.

use amiris::card::{
    CardContent, CardPainter, EncoderSettings, HEIGHT, WIDTH, card_key, card_svg_and_layers,
    draw_whole, encode_png,
};
use amiris::territory::Territories;
use png::{DeflateCompression as Png, Filter};
use resvg::tiny_skia::Pixmap;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

/// Processor time used by the calling thread so far.
#[cfg(target_os = "linux")]
fn thread_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Wall time since the first call (elsewhere than on Linux).
#[cfg(not(target_os = "linux"))]
fn thread_time() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// RGB triplets of a decoded PNG (palette expanded).
fn decode(png: &[u8]) -> Vec<u8> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("valid PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
    let frame = reader.next_frame(&mut pixels).expect("decodes");
    let samples = frame.color_type.samples();
    pixels
        .chunks_exact(samples)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect()
}

/// RGB triplets of a drawn card.
fn rgb(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect()
}

/// Left edge of the white panel (the blue panel's width).
const PANEL: u32 = 610;

/// `pixmap` with every pixel of the columns `columns` replaced by the pixel of its column
/// on the first row (the flat backgrounds there: stripe, blue panel, white panel).
fn flattened(pixmap: &Pixmap, columns: std::ops::Range<u32>) -> Pixmap {
    let mut flat = pixmap.clone();
    let data = flat.data_mut();
    let row = 4 * WIDTH as usize;
    for y in 1..HEIGHT as usize {
        for x in columns.clone() {
            let x = 4 * x as usize;
            data.copy_within(x..x + 4, y * row + x);
        }
    }
    flat
}

fn max_difference(a: &[u8], b: &[u8]) -> u8 {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.abs_diff(*y))
        .max()
        .unwrap_or(0)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage : card_encoders DOSSIER [N]");
        return ExitCode::from(2);
    };
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100);
    let checked = match amiris::build::check(Path::new(&root)) {
        Ok(checked) => checked,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    let site = &checked.validated.site;
    let projects = &checked.validated.projects[..count.min(checked.validated.projects.len())];
    let indexed = |steps: u32, deflate: Png| EncoderSettings {
        colours: 256,
        deflate,
        filter: Filter::NoFilter,
        ramp_steps: steps,
    };
    let settings: Vec<(&str, EncoderSettings)> = vec![
        (
            "RGBA, adaptive filter, zlib-rs 6 (the settings before palettes)",
            EncoderSettings {
                colours: 0,
                deflate: Png::Level(6),
                filter: Filter::Adaptive,
                ramp_steps: 0,
            },
        ),
        (
            "256 colours, no steps, zlib-rs 4",
            indexed(0, Png::Level(4)),
        ),
        ("256 colours, 8 steps, zlib-rs 4", indexed(8, Png::Level(4))),
        (
            "256 colours, 8 steps, zlib-rs 5 (chosen)",
            EncoderSettings::CARD,
        ),
        ("256 colours, 8 steps, zlib-rs 6", indexed(8, Png::Level(6))),
        ("256 colours, 8 steps, zlib-rs 7", indexed(8, Png::Level(7))),
        ("256 colours, 8 steps, zlib-rs 9", indexed(8, Png::Level(9))),
        ("256 colours, 4 steps, zlib-rs 6", indexed(4, Png::Level(6))),
    ];
    let painter = CardPainter::new();
    let (mut whole_time, mut layered_time, mut card_time) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let mut layered_difference = 0;
    let mut palette_time = Duration::ZERO;
    let mut times = vec![Duration::ZERO; settings.len()];
    let mut bytes = vec![0usize; settings.len()];
    let mut differences = vec![0u8; settings.len()];
    // Where the bytes go, with the cards' settings: [whole card, flat, left panel only,
    // right panel only, right panel without the card's own marks].
    let mut regions = [0usize; 5];
    for project in projects {
        let content = CardContent::new(site, project, Territories::region());
        let (svg, layers) = card_svg_and_layers(&content);
        let key = card_key(&svg);
        let start = thread_time();
        let whole = draw_whole(&svg).expect("drawn");
        whole_time += thread_time() - start;
        let start = thread_time();
        let layered = painter.draw(&layers).expect("drawn");
        layered_time += thread_time() - start;
        let start = thread_time();
        painter
            .render_png(&layers, &key, &project.slug)
            .expect("card");
        card_time += thread_time() - start;
        let start = thread_time();
        let _ = amiris::card::quantize(layered.data(), 256);
        palette_time += thread_time() - start;
        let drawn = rgb(layered.data());
        let mut shared_only = layers.clone();
        shared_only.own = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\"/>"
        );
        shared_only.own_texts.clear();
        let shared = painter.draw(&shared_only).expect("drawn");
        let size = |pixmap: &Pixmap| {
            encode_png(pixmap, &key, EncoderSettings::CARD)
                .expect("encoded")
                .len()
        };
        regions[0] += size(&layered);
        regions[1] += size(&flattened(&layered, 0..WIDTH));
        regions[2] += size(&flattened(&layered, PANEL..WIDTH));
        regions[3] += size(&flattened(&layered, 0..PANEL));
        regions[4] += size(&flattened(&shared, 0..PANEL));
        layered_difference = layered_difference.max(max_difference(&rgb(whole.data()), &drawn));
        for (i, (_, setting)) in settings.iter().enumerate() {
            let start = thread_time();
            let png = encode_png(&layered, &key, *setting).expect("encoded");
            times[i] += thread_time() - start;
            bytes[i] += png.len();
            differences[i] = differences[i].max(max_difference(&decode(&png), &drawn));
        }
    }
    let n = projects.len().max(1) as f64;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0 / n;
    println!("{} cards of {root}", projects.len());
    println!(
        "drawing: whole SVG {:.2} ms, in layers {:.2} ms (largest difference {layered_difference}); \
         a card as the build makes it (layers, palette, PNG): {:.2} ms; the palette alone \
         {:.2} ms",
        ms(whole_time),
        ms(layered_time),
        ms(card_time),
        ms(palette_time)
    );
    let kb = |bytes: usize| bytes as f64 / n;
    println!(
        "where the bytes go (the cards' settings, bytes per card): whole card {:.0}; flat \
         backgrounds {:.0}; blue panel's texts {:.0}; radar panel {:.0}, of which the card's \
         own profile {:.0}",
        kb(regions[0]),
        kb(regions[1]),
        kb(regions[2] - regions[1]),
        kb(regions[3] - regions[1]),
        kb(regions[3] - regions[4]),
    );
    println!();
    println!("| encoder | ms per card | bytes per card | largest difference |");
    println!("|---|---:|---:|---:|");
    for (i, (name, _)) in settings.iter().enumerate() {
        println!(
            "| {name} | {:.2} | {:.0} | {} |",
            ms(times[i]),
            bytes[i] as f64 / n,
            differences[i]
        );
    }
    ExitCode::SUCCESS
}

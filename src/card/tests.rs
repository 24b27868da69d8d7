//! Unit tests of the social cards: text measurement and wrapping, layout bounds, escaping, PNG bytes, cache key, reading the previous output.

use super::*;
use crate::model::{
    Label, LegalForm, MARKER_COUNT, MARKER_HELP, MARKER_KEYS, MARKER_LABELS, MarkerInfo,
    ProjectTerritory, Scale, Stage, Structure,
};

fn site() -> Site {
    Site {
        title: "Innovation sociale en Hauts-de-France".into(),
        description: String::new(),
        url_base: None,
        language: "fr".into(),
        translations: Vec::new(),
        theme: "default".into(),
        per_page: 12,
        scale: Scale::default(),
        sectors: Vec::new(),
        publics: Vec::new(),
        markers: (0..MARKER_COUNT)
            .map(|i| MarkerInfo {
                key: MARKER_KEYS[i],
                name: MARKER_LABELS[i].into(),
                help: MARKER_HELP[i].into(),
                custom_name: false,
                custom_help: false,
            })
            .collect(),
        social_cards: true,
        card_cache: None,
        operator: None,
        partners: Vec::new(),
    }
}

fn project(title: &str, communes: &[&str]) -> Project {
    let mut departments: Vec<String> = communes.iter().map(|c| c[..2].to_string()).collect();
    departments.sort();
    departments.dedup();
    Project {
        slug: "panier".into(),
        source: "content/projets/panier.md".into(),
        title: title.into(),
        summary: String::new(),
        label: Label {
            year: 2019,
            date: None,
        },
        sectors: vec!["alimentation".into()],
        territory: ProjectTerritory {
            communes: communes.iter().map(|s| s.to_string()).collect(),
            departments,
            epcis: Vec::new(),
            scope: None,
        },
        stage: Stage::Experimentation,
        publics: Vec::new(),
        structure: Structure {
            name: "Association Le Panier solidaire".into(),
            legal_form: LegalForm::Association,
            siret: None,
            postal_code: "59400".into(),
            commune: "Cambrai".into(),
            website: None,
            esus: None,
        },
        partners: Vec::new(),
        markers: [Some(2.0); MARKER_COUNT],
        replication: None,
        image: None,
        contact_email: None,
        updated: None,
        draft: false,
        body: String::new(),
    }
}

fn content(title: &str) -> CardContent {
    CardContent::new(&site(), &project(title, &["59122"]), Territories::region())
}

/// A 150-character title made of ordinary words.
fn long_title() -> String {
    let mut title = String::new();
    while title.chars().count() < 150 {
        title.push_str("Réseau solidaire d'entraide ");
    }
    title.chars().take(150).collect()
}

#[test]
fn the_embedded_fonts_have_every_french_glyph() {
    for weight in [Weight::Regular, Weight::Bold] {
        let font = skrifa::FontRef::new(weight.bytes()).expect("embedded font parses");
        let charmap = font.charmap();
        for c in "éèêëàâäîïôöùûüÿçœæÉÈÊÀÂÎÔÙÛÇŒÆ«»’‘“”–—…€\u{a0}".chars()
        {
            assert!(charmap.map(c).is_some(), "{weight:?} lacks {c:?}");
        }
    }
}

#[test]
fn widths_come_from_the_font() {
    let regular = text_width("Innovation sociale", 20.0, Weight::Regular);
    let bold = text_width("Innovation sociale", 20.0, Weight::Bold);
    assert!(regular > 100.0 && regular < 250.0, "{regular}");
    assert!(bold > regular);
    // Proportional: an "i" is narrower than an "m".
    assert!(text_width("iiii", 20.0, Weight::Regular) < text_width("mmmm", 20.0, Weight::Regular));
    // Twice the size, twice the width.
    let double = text_width("Innovation sociale", 40.0, Weight::Regular);
    assert!((double - 2.0 * regular).abs() < 0.01);
}

#[test]
fn a_short_text_stays_on_one_line() {
    let (lines, cut) = wrap("Le Panier solidaire", 500.0, 40.0, Weight::Bold, 3);
    assert_eq!(lines, ["Le Panier solidaire"]);
    assert!(!cut);
}

#[test]
fn a_150_character_title_wraps_and_ends_with_an_ellipsis() {
    let title = long_title();
    assert_eq!(title.chars().count(), 150);
    let layout = layout(&content(&title));
    assert_eq!(layout.title.len(), TITLE_MAX_LINES, "{:?}", layout.title);
    let last = layout.title.last().expect("a last line");
    assert!(last.ends_with('…'), "{last}");
    assert!(
        !last.ends_with(" …"),
        "no space before the ellipsis: {last}"
    );
    // Nothing invented: every line but the ellipsis comes from the title, in order.
    let shown = layout.title.join(" ");
    let shown = shown.trim_end_matches('…');
    assert!(title.starts_with(shown), "{shown}");
    for text in layout
        .texts
        .iter()
        .filter(|t| layout.title.contains(&t.text))
    {
        assert!(text.right() <= TEXT_X + TEXT_WIDTH + 0.01, "{text:?}");
        assert_eq!(text.size, TITLE_SIZES[TITLE_SIZES.len() - 1]);
    }
}

#[test]
fn a_word_longer_than_a_line_is_cut_without_spaces() {
    let word = "x".repeat(150);
    let (lines, cut) = wrap(&word, 300.0, 40.0, Weight::Bold, 3);
    assert!(cut);
    assert_eq!(lines.len(), 3);
    for line in &lines {
        assert!(!line.contains(' '), "{line}");
        assert!(text_width(line, 40.0, Weight::Bold) <= 300.0);
    }
    let (lines, cut) = wrap(&"y".repeat(20), 300.0, 40.0, Weight::Bold, 3);
    assert!(!cut);
    assert_eq!(lines.concat(), "y".repeat(20));
}

#[test]
fn french_punctuation_stays_with_its_word() {
    for width in [180.0, 200.0, 260.0, 320.0, 400.0] {
        let (lines, _) = wrap(
            "Le réseau « solidaire » des villages : ça marche ! Vraiment ?",
            width,
            24.0,
            Weight::Bold,
            10,
        );
        for line in &lines {
            assert!(
                !line.starts_with(['»', ':', '!', '?']) && !line.ends_with('«'),
                "{width}: {lines:?}"
            );
        }
    }
    // Too narrow for « solidaire » glued: broken at the no-break spaces rather than inside.
    let (lines, _) = wrap("« solidaire »", 120.0, 24.0, Weight::Bold, 5);
    assert_eq!(lines, ["« solidaire", "»"]);
}

#[test]
fn a_size_is_chosen_so_that_short_titles_are_large() {
    let short = layout(&content("Vélo pour tous"));
    let title_sizes: Vec<f64> = short
        .texts
        .iter()
        .filter(|t| short.title.contains(&t.text))
        .map(|t| t.size)
        .collect();
    assert_eq!(title_sizes, [TITLE_SIZES[0]]);
}

#[test]
fn every_text_stays_inside_its_panel_without_overlap() {
    let mut crowded = project(&long_title(), &[]);
    crowded.structure.name = "Société coopérative d'intérêt collectif des circuits courts \
                              alimentaires et de la transition écologique du Hainaut"
        .into();
    crowded.territory.communes = [
        "59122", "59606", "59350", "59178", "59009", "59183", "59512", "59599",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    crowded.territory.departments = vec!["59".into(), "62".into()];
    for project in [crowded, project("Vélo", &["59122"]), project("", &[])] {
        let layout = layout(&CardContent::new(&site(), &project, Territories::region()));
        let panel: Vec<&PlacedText> = layout.texts.iter().filter(|t| t.x < PANEL_WIDTH).collect();
        for pair in panel.windows(2) {
            // Baselines go down, each at least a line of the larger text below the previous.
            assert!(
                pair[1].y - pair[0].y >= pair[1].size.max(pair[0].size) * 0.95,
                "{pair:?}"
            );
        }
        for text in &panel {
            assert!(text.right() <= PANEL_WIDTH - 20.0, "{text:?}");
            assert!(text.y <= INFO_BOTTOM + 0.01, "{text:?}");
            assert!(!text.text.trim().is_empty(), "{text:?}");
        }
    }
}

#[test]
fn territory_names_communes_then_counts_the_others() {
    let few = CardContent::new(
        &site(),
        &project("P", &["59122", "59606"]),
        Territories::region(),
    );
    assert_eq!(territory_lines(&few), ["Cambrai, Valenciennes (Nord)"]);
    let codes: Vec<String> = Territories::region()
        .communes()
        .iter()
        .filter(|c| c.code.starts_with("59"))
        .take(40)
        .map(|c| c.code.clone())
        .collect();
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    let many = CardContent::new(&site(), &project("P", &codes), Territories::region());
    let lines = territory_lines(&many);
    assert!(lines.len() <= INFO_MAX_LINES, "{lines:?}");
    let text = lines.join(" ");
    assert!(text.contains("autres communes"), "{text}");
    let none = CardContent::new(&site(), &project("P", &[]), Territories::region());
    assert_eq!(territory_lines(&none), ["Hauts-de-France"]);
}

#[test]
fn hostile_text_is_escaped_and_renders() {
    let hostile = "</text><script>alert(1)</script> & \"guillemets\" ' \u{0}\u{7}]]><!--";
    let mut project = project(hostile, &["59122"]);
    project.structure.name = hostile.into();
    let content = CardContent::new(&site(), &project, Territories::region());
    let svg = card_svg(&content);
    assert!(!svg.contains("<script"));
    assert!(!svg.contains("</text><"));
    assert!(!svg.contains('\u{0}'));
    let key = card_key(&svg);
    let png = render_png(&svg, &key, "panier").expect("renders");
    assert_eq!(png_size(&png), Some((WIDTH, HEIGHT)));
}

#[test]
fn unassessed_markers_are_drawn_and_explained() {
    let mut project = project("Projet à évaluer", &["59122"]);
    project.markers = [None; MARKER_COUNT];
    project.markers[0] = Some(3.0);
    let content = CardContent::new(&site(), &project, Territories::region());
    let svg = card_svg(&content);
    assert!(svg.contains("non évalué"), "footnote of the radar");
    assert!(render_png(&svg, &card_key(&svg), "panier").is_ok());
    project.markers = [None; MARKER_COUNT];
    let content = CardContent::new(&site(), &project, Territories::region());
    assert!(render_png(&card_svg(&content), "k", "panier").is_ok());
}

#[test]
fn png_bytes_are_a_1200_by_630_image_carrying_the_key() {
    let content = content("Le Panier solidaire");
    let (svg, layers) = card_svg_and_layers(&content);
    let key = card_key(&svg);
    let png = CardPainter::new()
        .render_png(&layers, &key, "panier")
        .expect("renders");
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let reader = decoder.read_info().expect("valid PNG");
    let info = reader.info();
    assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
    assert_eq!(info.color_type, png::ColorType::Indexed);
    let text = info
        .uncompressed_latin1_text
        .iter()
        .find(|t| t.keyword == CACHE_KEYWORD)
        .expect("cache chunk");
    assert_eq!(text.text, key);
    assert!(info.trns.is_none(), "opaque: no transparency chunk");
    let pixels = decode_rgb(&png);
    // The blue panel at the left, white at the right, the yellow stripe: exact colours.
    let at = |x: usize, y: usize| &pixels[(y * WIDTH as usize + x) * 3..][..3];
    assert_eq!(at(300, 610), [0x1b, 0x3a, 0x6b]);
    assert_eq!(at(1190, 10), [0xff, 0xff, 0xff]);
    assert_eq!(at(5, 300), [0xf5, 0xc4, 0x00]);
    assert_eq!(stored_key(&png), Some(key));
}

/// A PNG decoded to RGB triplets (palette expanded).
fn decode_rgb(png: &[u8]) -> Vec<u8> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("valid PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
    let frame = reader.next_frame(&mut pixels).expect("decodes");
    assert_eq!((frame.width, frame.height), (WIDTH, HEIGHT));
    let samples = frame.color_type.samples();
    pixels
        .chunks_exact(samples)
        .flat_map(|px| {
            if samples == 4 {
                assert_eq!(px[3], 255, "opaque");
            }
            [px[0], px[1], px[2]]
        })
        .collect()
}

/// RGB triplets of a drawn (opaque) card.
fn rgb_of(pixmap: &tiny_skia::Pixmap) -> Vec<u8> {
    pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|px| {
            assert_eq!(px[3], 255, "opaque");
            [px[0], px[1], px[2]]
        })
        .collect()
}

/// The largest difference of one channel between two images.
fn max_difference(a: &[u8], b: &[u8]) -> u8 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| x.abs_diff(*y))
        .max()
        .unwrap_or(0)
}

/// Cards that exercise every layer: short and long titles, many communes, unassessed
/// markers (the radar's footnote moves the radar), none assessed, hostile text.
fn varied_cards() -> Vec<CardContent> {
    let mut crowded = project(
        &long_title(),
        &["59122", "59606", "59350", "59178", "80021"],
    );
    crowded.structure.name = "Société coopérative d'intérêt collectif des circuits courts \
                              alimentaires et de la transition écologique du Hainaut"
        .into();
    crowded.territory.departments = vec!["59".into(), "80".into()];
    let mut unassessed = project("Projet à évaluer", &["59122"]);
    unassessed.markers[2] = None;
    unassessed.markers[7] = None;
    let mut none = project("Rien d'évalué", &[]);
    none.markers = [None; MARKER_COUNT];
    let mut hostile = project("</text><g> & \"é\" ]]><!-- «\u{a0}x\u{a0}»", &["62041"]);
    hostile.markers[0] = Some(0.0);
    hostile.markers[1] = Some(3.0);
    [
        project("Vélo", &["59122"]),
        crowded,
        unassessed,
        none,
        hostile,
    ]
    .iter()
    .map(|p| CardContent::new(&site(), p, Territories::region()))
    .collect()
}

/// Side of the blocks compared by [`worst_block_difference`].
const BLOCK: usize = 16;
/// Largest difference of a block's average allowed between the layered drawing and resvg's.
const BLOCK_TOLERANCE: f64 = 20.0;

/// The largest difference, over 8×8 blocks and channels, between the average values of two
/// card-sized RGB images.
fn worst_block_difference(a: &[u8], b: &[u8]) -> f64 {
    let (width, height) = (WIDTH as usize, HEIGHT as usize);
    let mut worst: f64 = 0.0;
    for block_y in (0..height).step_by(BLOCK) {
        for block_x in (0..width).step_by(BLOCK) {
            for channel in 0..3 {
                let (mut sum_a, mut sum_b, mut n) = (0.0, 0.0, 0.0);
                for y in block_y..(block_y + BLOCK).min(height) {
                    for x in block_x..(block_x + BLOCK).min(width) {
                        let at = (y * width + x) * 3 + channel;
                        sum_a += f64::from(a[at]);
                        sum_b += f64::from(b[at]);
                        n += 1.0;
                    }
                }
                worst = worst.max((sum_a - sum_b).abs() / n);
            }
        }
    }
    worst
}

#[test]
fn the_block_comparison_sees_a_changed_letter() {
    // The tolerance must not hide one letter drawn differently.
    let painter = CardPainter::new();
    let draw = |title: &str| rgb_of(&painter.draw(&card_layers(&content(title))).expect("drawn"));
    let worst = worst_block_difference(&draw("Le Panier solidaire"), &draw("Le Panier solidaira"));
    assert!(worst > 3.0 * BLOCK_TOLERANCE, "{worst}");
}

#[test]
fn the_layered_drawing_is_the_whole_card_drawn_at_once() {
    let painter = CardPainter::new();
    for content in varied_cards() {
        let (svg, layers) = card_svg_and_layers(&content);
        assert_eq!(svg, card_svg(&content));
        assert_eq!(layers, card_layers(&content));
        let whole = rgb_of(&draw_whole(&svg).expect("whole"));
        let layered = rgb_of(&painter.draw(&layers).expect("layered"));
        // Text is drawn from glyph masks (hinted, on whole pixels) rather than by resvg:
        // edges move by up to half a pixel, so pixels are compared in 16×16 blocks, whose
        // average a missing, extra or shifted letter changes by far more.
        let worst = worst_block_difference(&whole, &layered);
        assert!(worst <= BLOCK_TOLERANCE, "{}: {worst}", content.title);
    }
    // One backdrop per radar frame (with and without the footnote), one overlay each.
    let backdrops = painter.backdrops.lock().expect("lock").len();
    let overlays = painter.overlays.lock().expect("lock").len();
    assert_eq!((backdrops, overlays), (2, 2));
}

#[test]
fn the_layers_split_shared_and_own_marks() {
    let cards = varied_cards();
    let (a, b) = (card_layers(&cards[0]), card_layers(&cards[1]));
    assert_eq!(a.backdrop, b.backdrop);
    assert_eq!(a.overlay, b.overlay);
    assert_ne!((&a.own, &a.own_texts), (&b.own, &b.own_texts));
    assert_eq!(a.backdrop_texts, b.backdrop_texts);
    assert_ne!(a.own_texts, b.own_texts);
    let shows = |texts: &[PlacedText], what: &str| texts.iter().any(|t| t.text.contains(what));
    assert!(shows(
        &a.backdrop_texts,
        "Innovation sociale en Hauts-de-France"
    ));
    assert!(a.backdrop.contains("radar-grille") && !a.backdrop.contains("radar-donnees"));
    assert!(shows(&a.own_texts, "Vélo") && a.own.contains("radar-donnees"));
    assert!(!a.own.contains("radar-grille") && !shows(&a.own_texts, "Innovation sociale"));
    // Texts are drawn from glyph masks, never by the SVG renderer.
    assert!(!a.backdrop.contains("<text") && !a.own.contains("font-weight"));
    assert!(a.overlay.contains("radar-graduations") && !a.overlay.contains("radar-libelle"));
    assert!(shows(&a.overlay_texts, "Gouvernance") && !a.overlay.contains("Gouvernance"));
    assert_eq!(a.overlay_texts, b.overlay_texts);
    assert!(!a.overlay.contains("radar-donnees"));
    // Unassessed markers add the footnote, which changes the radar's frame.
    let unassessed = card_layers(&cards[2]);
    assert!(unassessed.overlay.contains("non évalué"));
    assert_ne!(unassessed.backdrop, a.backdrop);
}

#[test]
fn the_radar_labels_are_drawn_from_glyph_masks_where_resvg_put_them() {
    let layers = card_layers(&content("Le Panier solidaire"));
    let labels = &layers.overlay_texts;
    // Twelve markers, most on two lines; the apostrophe unescaped.
    assert!(labels.len() >= 12, "{labels:?}");
    assert!(
        labels.iter().any(|t| t.text == "l'aspiration"),
        "{labels:?}"
    );
    // Anchors as the SVG says: the first and seventh labels centred on the radar's axis,
    // the labels on the right start right of it, those on the left end left of it.
    let centre = (PANEL_WIDTH + WIDTH as f64) / 2.0;
    let width = |t: &PlacedText| glyphs::shaped_width(&t.text, t.size, t.weight);
    for name in ["Gouvernance", "Contextualisation"] {
        let label = labels.iter().find(|t| t.text == name).expect(name);
        assert!(
            (label.x + width(label) / 2.0 - centre).abs() < 1.0,
            "{label:?}"
        );
    }
    let right = labels
        .iter()
        .find(|t| t.text == "Place des")
        .expect("Place des");
    let left = labels
        .iter()
        .find(|t| t.text == "Ressources")
        .expect("Ressources");
    assert!(right.x > centre + 50.0 && left.x + width(left) < centre - 50.0);
    for label in labels {
        assert!(label.x > PANEL_WIDTH && label.x + width(label) < WIDTH as f64);
        assert_eq!(
            (label.weight, label.fill.as_ref()),
            (Weight::Regular, "#1a1a1a")
        );
    }
}

#[test]
fn radar_labels_in_another_form_are_left_to_the_renderer() {
    let plain = "<g class=\"radar-libelles\" fill=\"#1a1a1a\" font-size=\"12.5\">\n\
                 <text class=\"radar-libelle\" text-anchor=\"end\" font-size=\"10\">\
                 <tspan x=\"-10\" y=\"20\">A &amp; B</tspan></text>\n</g>\n<text>n.é.</text>";
    let (rest, labels) = radar_labels(plain, 2.0, 100.0, 50.0).expect("plain labels");
    assert_eq!(rest, "<text>n.é.</text>");
    assert_eq!(labels.len(), 1);
    assert_eq!((labels[0].text.as_str(), labels[0].size), ("A & B", 20.0));
    let width = glyphs::shaped_width("A & B", 20.0, Weight::Regular);
    assert!((labels[0].x + width - 80.0).abs() < 1e-9 && labels[0].y == 90.0);
    // Bold numbers in groups with tooltips, or an unknown reference: drawn by resvg.
    let bold = plain.replace(
        "font-size=\"12.5\">",
        "font-size=\"12.5\" font-weight=\"bold\">",
    );
    assert!(radar_labels(&bold, 2.0, 100.0, 50.0).is_none());
    assert!(radar_labels(&plain.replace("&amp;", "&eacute;"), 2.0, 100.0, 50.0).is_none());
}

#[test]
fn the_radar_centre_is_on_a_pixel_centre() {
    // Its vertical and horizontal axes then fall on one column and one row of pixels.
    for content in varied_cards() {
        let layers = card_layers(&content);
        let matrix = layers
            .backdrop
            .split("matrix(")
            .nth(1)
            .and_then(|m| m.split(')').next())
            .expect("radar transform");
        let values: Vec<f64> = matrix
            .split(' ')
            .map(|v| v.parse().expect("number"))
            .collect();
        assert_eq!(
            (values[4].fract(), values[5].fract()),
            (0.5, 0.5),
            "{matrix}"
        );
    }
}

#[test]
fn a_palette_is_exact_up_to_256_colours_and_close_beyond() {
    // 200 colours: exact.
    let few: Vec<u8> = (0..WIDTH * HEIGHT)
        .flat_map(|i| [(i % 200) as u8, 7, (i % 200) as u8 / 2, 255])
        .collect();
    let (palette, indices) = quantize(&few, 256);
    assert_eq!(palette.len(), 200 * 3);
    for (px, index) in few.chunks_exact(4).zip(&indices) {
        let entry = &palette[*index as usize * 3..][..3];
        assert_eq!(entry, &px[..3]);
    }
    // Every shade of grey and of two ramps (768 colours), mostly white: within a few levels.
    let many: Vec<u8> = (0..WIDTH * HEIGHT)
        .flat_map(|i| match i % 3000 {
            v @ 0..256 => [v as u8, v as u8, v as u8, 255],
            v @ 256..512 => [(v - 256) as u8, 0x3a, 0x6b, 255],
            v @ 512..768 => [0xf5, 0xc4, (v - 512) as u8, 255],
            _ => [255, 255, 255, 255],
        })
        .collect();
    let (palette, indices) = quantize(&many, 256);
    assert_eq!(palette.len(), 256 * 3);
    let mut worst = 0;
    for (px, index) in many.chunks_exact(4).zip(&indices) {
        let entry = &palette[*index as usize * 3..][..3];
        worst = worst.max(max_difference(entry, &px[..3]));
    }
    assert!(worst <= 3, "{worst}");
    assert_eq!((palette, indices), quantize(&many, 256), "deterministic");
}

/// Largest difference of a channel between a card and its drawing: half a blending step
/// (1/16) of the widest blend of the card (white over its blue, 228 levels: 14.25), the
/// distance allowed off the segment between two colours (3.2) and rounding (0.5).
const ENCODED_TOLERANCE: u8 = 17;

#[test]
fn an_encoded_card_is_within_half_a_blending_step_of_its_drawing() {
    let painter = CardPainter::new();
    for content in varied_cards() {
        let layers = card_layers(&content);
        let drawn = painter.draw(&layers).expect("drawn");
        let png = encode_png(&drawn, "k", EncoderSettings::CARD).expect("encoded");
        let difference = max_difference(&decode_rgb(&png), &rgb_of(&drawn));
        assert!(
            difference <= ENCODED_TOLERANCE,
            "{}: {difference}",
            content.title
        );
    }
}

#[test]
fn a_card_drawn_over_the_shared_layers_is_within_half_a_step_and_drawn_alike_in_any_order() {
    let cards = varied_cards();
    let painter = CardPainter::new();
    let mut first = Vec::new();
    for content in &cards {
        let layers = card_layers(content);
        let png = painter.render_png(&layers, "k", "p").expect("encoded");
        let drawn = painter.draw(&layers).expect("drawn");
        let difference = max_difference(&decode_rgb(&png), &rgb_of(&drawn));
        assert!(
            difference <= ENCODED_TOLERANCE,
            "{}: {difference}",
            content.title
        );
        // Its palette starts with its shared layers' (the path the build takes).
        let references = painter.references.lock().expect("lock");
        let fits = references.iter().any(|(_, reference)| {
            Option::as_ref(reference).is_some_and(|reference| {
                let mut indices = Vec::new();
                reference
                    .quantize(
                        drawn.data(),
                        None,
                        256,
                        8,
                        &mut Vec::new(),
                        &mut SnapCache::default(),
                        &mut indices,
                    )
                    .is_some_and(|palette| palette.starts_with(&rgb_triplets(&reference.palette)))
            })
        });
        assert!(fits, "{}", content.title);
        first.push(png);
    }
    // Another build drawing them in the opposite order gives the same bytes.
    let painter = CardPainter::new();
    for (content, png) in cards.iter().zip(&first).rev() {
        let again = painter
            .render_png(&card_layers(content), "k", "p")
            .expect("encoded");
        assert!(again == *png, "{}", content.title);
    }
}

#[test]
fn a_card_draws_nothing_outside_the_rectangles_it_reports() {
    let painter = CardPainter::new();
    for content in varied_cards() {
        let layers = card_layers(&content);
        let mut pixmap = canvas(tiny_skia::Color::WHITE).expect("canvas");
        let mut painted = None;
        let reference = painter
            .draw_on(&layers, &mut pixmap, &mut painted)
            .expect("drawn");
        let reference = Option::as_ref(&reference).expect("reference");
        let painted = painted.expect("what was drawn");
        let mut inside = vec![false; (WIDTH * HEIGHT) as usize];
        for run in touched_blocks(&painted.touched, 1) {
            inside[run].fill(true);
        }
        let pixels = pixmap
            .data()
            .chunks_exact(4)
            .zip(reference.rgba.chunks_exact(4));
        let changed: Vec<usize> = pixels
            .enumerate()
            .filter(|(_, (card, shared))| card != shared)
            .map(|(i, _)| i)
            .collect();
        assert!(!changed.is_empty(), "{}", content.title);
        let outside = changed.iter().filter(|i| !inside[**i]).count();
        assert_eq!(outside, 0, "{}: pixels changed outside", content.title);
        // The rectangles leave most of the card alone (what makes them worth it).
        let share = inside.iter().filter(|i| **i).count() as f64 / inside.len() as f64;
        assert!(share < 0.3, "{}: {share}", content.title);
    }
}

#[test]
fn touched_blocks_cover_each_block_once_in_pixel_order() {
    let rect = |left, top, right, bottom| PixelRect {
        left,
        top,
        right,
        bottom,
    };
    // Two overlapping rectangles on rows 1 and 2, a third alone on row 3; blocks of 8.
    let runs = touched_blocks(
        &[
            rect(3, 1, 20, 3),
            rect(16, 2, 30, 3),
            rect(1192, 3, 1200, 4),
        ],
        8,
    );
    assert_eq!(runs, vec![150..153, 300..304, 599..600]);
    // A rectangle ending at a row's end and one starting the next row make one run.
    let runs = touched_blocks(&[rect(1100, 0, 1200, 1), rect(0, 1, 10, 2)], 8);
    assert_eq!(runs, vec![137..152]);
    assert_eq!(touched_blocks(&[PixelRect::CARD], 8), vec![0..150 * 630]);
}

#[test]
fn a_reused_canvas_gives_the_bytes_of_a_fresh_one() {
    let cards = varied_cards();
    let painter = CardPainter::new();
    // Every card after every other (backdrops with and without the radar's footnote
    // included), on this thread's canvas, against the same card on a new thread's.
    for first in &cards {
        for second in &cards {
            for content in [first, second] {
                let layers = card_layers(content);
                let reused = painter.render_png(&layers, "k", "p").expect("reused");
                let fresh = std::thread::scope(|scope| {
                    scope
                        .spawn(|| painter.render_png(&layers, "k", "p"))
                        .join()
                        .expect("thread")
                })
                .expect("fresh");
                assert!(reused == fresh, "{} after {}", second.title, first.title);
            }
        }
    }
}

/// RGB triplets of colours 0xBBGGRR.
fn rgb_triplets(colours: &[u32]) -> Vec<u8> {
    colours
        .iter()
        .flat_map(|c| [*c as u8, (c >> 8) as u8, (c >> 16) as u8])
        .collect()
}

/// Colour 0xBBGGRR of an RGB triplet.
fn packed(rgb: [i32; 3]) -> u32 {
    rgb[0] as u32 | (rgb[1] as u32) << 8 | (rgb[2] as u32) << 16
}

#[test]
fn blends_of_two_colours_keep_eight_steps_and_other_colours_stay() {
    let (white, blue) = ([255, 255, 255], [0x1b, 0x3a, 0x6b]);
    // White and blue fill the card, 14 dark reds are the other frequent colours.
    let mut unique = vec![packed(white), packed(blue)];
    let mut counts = vec![100_000, 90_000];
    for i in 0..14 {
        unique.push(packed([40 + 10 * i, 0, 0]));
        counts.push(1_000 - i as u32);
    }
    // 99 blends of white and blue (every percent), once each, and a green on no blend.
    let blend =
        |t: i32| -> [i32; 3] { std::array::from_fn(|k| white[k] + (blue[k] - white[k]) * t / 100) };
    for t in 1..100 {
        unique.push(packed(blend(t)));
        counts.push(1);
    }
    let green = packed([0, 200, 0]);
    unique.push(green);
    counts.push(1);
    let (palette, index_of) = choose_palette(&unique, &counts, 256, 8);
    let entry = |n: usize| -> [u8; 3] {
        palette[index_of[n] as usize * 3..][..3]
            .try_into()
            .expect("triplet")
    };
    // Every blend took one of the 7 steps between white and blue, or an end.
    let blends: HashSet<[u8; 3]> = (16..115).map(entry).collect();
    assert!(blends.len() <= 9, "{blends:?}");
    for (n, colour) in unique.iter().enumerate().take(115).skip(16) {
        let difference = max_difference(&entry(n), &colour.to_le_bytes()[..3]);
        assert!(difference <= ENCODED_TOLERANCE, "{n}: {difference}");
    }
    // The frequent colours and the green are kept exactly.
    for n in (0..16).chain([115]) {
        assert_eq!(entry(n), unique[n].to_le_bytes()[..3], "{n}");
    }
    // Without steps, every blend keeps its own colour.
    let (palette, _) = choose_palette(&unique, &counts, 256, 0);
    assert_eq!(palette.len(), unique.len() * 3);
}

#[test]
fn a_narrower_blend_keeps_fewer_steps_and_the_same_largest_error() {
    // Between white and the grid's grey (115 levels): 4 steps, not 8; each within 16
    // levels (half a step of a whole channel's blend), as across white and blue.
    let (white, grey) = ([255, 255, 255], [0x8c, 0x8c, 0x8c]);
    let ramps = ramps_between(&[packed(white), packed(grey)]);
    let mut snapped = HashSet::new();
    for t in 0..=115 {
        let blend: [i32; 3] = std::array::from_fn(|k| white[k] + (grey[k] - white[k]) * t / 115);
        let colour = snap(packed(blend), &ramps, 8);
        let difference = max_difference(
            &colour.to_le_bytes()[..3],
            &packed(blend).to_le_bytes()[..3],
        );
        assert!(difference <= 16, "{t}: {difference}");
        snapped.insert(colour);
    }
    assert_eq!(snapped.len(), 5, "{snapped:?}");
}

#[test]
fn the_same_card_gives_the_same_bytes() {
    let svg = card_svg(&content("Le Panier solidaire"));
    let key = card_key(&svg);
    assert_eq!(
        render_png(&svg, &key, "panier").expect("first"),
        render_png(&svg, &key, "panier").expect("second")
    );
}

#[test]
fn the_key_follows_what_the_card_shows() {
    let base = card_key(&card_svg(&content("Le Panier solidaire")));
    assert_eq!(base, card_key(&card_svg(&content("Le Panier solidaire"))));
    assert_eq!(base.len(), 32);
    assert_ne!(base, card_key(&card_svg(&content("Le Panier solidaires"))));
    let mut other = project("Le Panier solidaire", &["59122"]);
    other.markers[3] = Some(2.5);
    let other = CardContent::new(&site(), &other, Territories::region());
    assert_ne!(base, card_key(&card_svg(&other)));
}

#[test]
fn fnv_matches_the_reference_values() {
    // Test vectors of the FNV reference (draft-eastlake-fnv), FNV-1a 128 bits.
    assert_eq!(fnv1a_128(b""), 0x6c62272e07bb014262b821756295c58d);
    assert_eq!(fnv1a_128(b"a"), 0xd228cb696f1a8caf78912b704e4a8964);
}

#[test]
fn stored_key_refuses_anything_else() {
    let svg = card_svg(&content("P"));
    let png = render_png(&svg, "abc", "panier").expect("renders");
    assert_eq!(stored_key(&png).as_deref(), Some("abc"));
    assert_eq!(stored_key(b"not a png"), None);
    assert_eq!(stored_key(&png[..40]), None, "truncated");
    let mut wrong_size = png.clone();
    wrong_size[16..20].copy_from_slice(&600u32.to_be_bytes());
    assert_eq!(stored_key(&wrong_size), None);
    let plain = render_png(&svg, "", "panier").expect("renders");
    assert_eq!(stored_key(&plain).as_deref(), Some(""));
}

#[cfg(unix)]
#[test]
fn the_previous_card_is_read_only_through_real_folders() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("output");
    let elsewhere = dir.path().join("ailleurs");
    fs::create_dir_all(out.join("projets/a")).expect("mkdir");
    fs::create_dir_all(elsewhere.join("b")).expect("mkdir");
    fs::write(out.join("projets/a/carte.png"), b"card a").expect("write");
    fs::write(elsewhere.join("carte.png"), b"secret").expect("write");
    fs::write(elsewhere.join("b/carte.png"), b"secret").expect("write");
    // No marker file: not an amiris output, nothing is read.
    assert_eq!(read_previous(&out, "projets/a/carte.png"), None);
    fs::write(dir.path().join("output.amiris"), "x").expect("marker");
    assert_eq!(
        read_previous(&out, "projets/a/carte.png").as_deref(),
        Some(&b"card a"[..])
    );
    // A linked file, a linked folder, a linked output: never followed.
    fs::create_dir_all(out.join("projets/c")).expect("mkdir");
    symlink(elsewhere.join("carte.png"), out.join("projets/c/carte.png")).expect("symlink");
    assert_eq!(read_previous(&out, "projets/c/carte.png"), None);
    symlink(elsewhere.join("b"), out.join("projets/b")).expect("symlink");
    assert_eq!(read_previous(&out, "projets/b/carte.png"), None);
    let linked_out = dir.path().join("lien");
    symlink(&out, &linked_out).expect("symlink");
    assert_eq!(read_previous(&linked_out, "projets/a/carte.png"), None);
    assert_eq!(read_previous(&out, "projets/absent/carte.png"), None);
}

#[test]
fn cards_are_reused_when_unchanged_and_redrawn_otherwise() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path();
    let site = site();
    let mut projects = vec![
        project("Premier", &["59122"]),
        project("Second", &["59606"]),
    ];
    projects[1].slug = "second".into();
    let (files, summary) = render_cards(&site, &projects, Some(out)).expect("cards");
    assert_eq!(
        summary,
        CardSummary {
            rendered: 2,
            reused: 0,
            from_cache: 0
        }
    );
    assert_eq!(files[0].path, "projets/panier/carte.png");
    // The marker of earlier versions, inside the folder, is still recognised.
    fs::write(out.join(crate::output::MARKER_NAME), "x").expect("marker");
    for file in &files {
        let path = out.join(&file.path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, &file.bytes).expect("write");
    }
    projects[1].title = "Second, renommé".into();
    let (again, summary) = render_cards(&site, &projects, Some(out)).expect("cards");
    assert_eq!(
        summary,
        CardSummary {
            rendered: 1,
            reused: 1,
            from_cache: 0
        }
    );
    assert_eq!(again[0], files[0]);
    assert_ne!(again[1].bytes, files[1].bytes);
}

/// Builds the cards of `projects` with `cache`, the previous output being `out`.
fn cards_with_cache(
    projects: &[Project],
    out: &Path,
    cache: &Path,
) -> Result<(Vec<OutputFile>, CardSummary), CardError> {
    let files = std::sync::Mutex::new(Vec::new());
    let summary = render_cards_with_progress(
        &site(),
        projects,
        Some(out),
        Some(cache),
        &crate::progress::Progress::hidden(),
        |file| {
            files.lock().expect("lock").push(file);
            Ok::<(), CardError>(())
        },
    )?;
    let mut files = files.into_inner().expect("lock");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files, summary))
}

/// The names of the files in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_cache_folder_serves_a_clean_output_and_keeps_only_current_cards() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = dir.path().join("cache/cartes");
    let mut projects = vec![
        project("Premier", &["59122"]),
        project("Second", &["59606"]),
    ];
    projects[1].slug = "second".into();
    // A fresh output (no previous card): everything drawn, and kept in the cache.
    let (files, summary) =
        cards_with_cache(&projects, &dir.path().join("out1"), &cache).expect("cards");
    assert_eq!(
        (summary.rendered, summary.reused, summary.from_cache),
        (2, 0, 0)
    );
    let keys: Vec<String> = files
        .iter()
        .map(|f| stored_key(&f.bytes).expect("key"))
        .collect();
    let mut expected: Vec<String> = keys.iter().map(|k| format!("{k}.png")).collect();
    expected.sort();
    assert_eq!(names(&cache), expected);
    fs::write(cache.join("LISEZMOI.txt"), "pas une carte").expect("write");

    // Another fresh output (a clean checkout with the cache restored): nothing drawn.
    let (again, summary) =
        cards_with_cache(&projects, &dir.path().join("out2"), &cache).expect("cards");
    assert_eq!(
        (summary.rendered, summary.reused, summary.from_cache),
        (0, 2, 2)
    );
    assert_eq!(again, files);

    // One title changed: that card only, and the cache forgets the old one.
    projects[1].title = "Second, renommé".into();
    let (changed, summary) =
        cards_with_cache(&projects, &dir.path().join("out3"), &cache).expect("cards");
    assert_eq!(
        (summary.rendered, summary.reused, summary.from_cache),
        (1, 1, 1)
    );
    assert_eq!(changed[0], files[0]);
    let new_key = stored_key(&changed[1].bytes).expect("key");
    let mut expected = vec![
        format!("{}.png", keys[0]),
        format!("{new_key}.png"),
        "LISEZMOI.txt".to_string(),
    ];
    expected.sort();
    assert_eq!(names(&cache), expected, "other files are left alone");
}

#[test]
fn a_card_of_the_previous_output_fills_the_cache() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("output");
    let projects = vec![project("Premier", &["59122"])];
    let (files, _) = render_cards(&site(), &projects, Some(&out)).expect("cards");
    fs::create_dir_all(out.join("projets/panier")).expect("mkdir");
    fs::write(dir.path().join("output.amiris"), "x").expect("marker");
    fs::write(out.join(&files[0].path), &files[0].bytes).expect("write");
    let cache = dir.path().join("cache");
    let (_, summary) = cards_with_cache(&projects, &out, &cache).expect("cards");
    assert_eq!(
        (summary.rendered, summary.reused, summary.from_cache),
        (0, 1, 0)
    );
    let key = stored_key(&files[0].bytes).expect("key");
    assert_eq!(
        fs::read(cache.join(format!("{key}.png"))).expect("cached"),
        files[0].bytes
    );
}

#[test]
fn a_truncated_or_foreign_cached_card_is_redrawn() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = dir.path().join("cache");
    let projects = vec![project("Premier", &["59122"])];
    let (files, _) = cards_with_cache(&projects, &dir.path().join("a"), &cache).expect("cards");
    let key = stored_key(&files[0].bytes).expect("key");
    let path = cache.join(format!("{key}.png"));
    // Cut short (its head, with the key, is intact): redrawn, and the cache repaired.
    let bytes = &files[0].bytes;
    fs::write(&path, &bytes[..bytes.len() / 2]).expect("truncate");
    let (again, summary) =
        cards_with_cache(&projects, &dir.path().join("b"), &cache).expect("cards");
    assert_eq!((summary.rendered, summary.from_cache), (1, 0));
    assert_eq!(again, files);
    assert_eq!(&fs::read(&path).expect("read"), bytes);
    // Another card under this name (another key inside): redrawn.
    let other = render_png(&card_svg(&content("Autre")), "0123", "panier").expect("renders");
    fs::write(&path, other).expect("write");
    let (_, summary) = cards_with_cache(&projects, &dir.path().join("c"), &cache).expect("cards");
    assert_eq!((summary.rendered, summary.from_cache), (1, 0));
}

#[test]
fn a_cache_inside_the_output_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("output");
    let projects = vec![project("Premier", &["59122"])];
    for cache in [
        out.clone(),
        out.join("cartes"),
        dir.path().join("autre/../output/./cache"),
    ] {
        let error = cards_with_cache(&projects, &out, &cache).expect_err("refused");
        assert!(error.to_string().contains("dossier de sortie"), "{error}");
    }
    assert!(!out.exists(), "nothing created");
    assert!(cards_with_cache(&projects, &out, &dir.path().join("output-cache")).is_ok());
}

#[test]
fn only_card_names_are_pruned() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = CardCache::open(dir.path()).expect("open");
    let key = "0123456789abcdef0123456789abcdef";
    let old = "fedcba9876543210fedcba9876543210";
    for name in [
        format!("{key}.png"),
        format!("{old}.png"),
        format!("{old}.png.tmp123"),
        format!("{old}.PNG"),
        format!("{old}.png.bak"),
        "0123.png".to_string(),
        "notes.png".to_string(),
    ] {
        fs::write(dir.path().join(name), "x").expect("write");
    }
    fs::create_dir(dir.path().join(format!("{}.png", "a".repeat(32)))).expect("mkdir");
    let keep: HashSet<&str> = [key].into_iter().collect();
    assert_eq!(cache.prune(&keep).expect("prune"), 2);
    let mut expected = vec![
        format!("{key}.png"),
        format!("{old}.PNG"),
        format!("{old}.png.bak"),
        "0123.png".to_string(),
        "notes.png".to_string(),
        format!("{}.png", "a".repeat(32)),
    ];
    expected.sort();
    assert_eq!(names(dir.path()), expected);
}

/// Demonstration projects whose cards are kept as references in `src/card/references/`:
/// a short title, a long title over several departments, unassessed markers.
const REFERENCE_CARDS: [&str; 3] = [
    "artistes-en-ehpad",
    "reseau-des-epiceries-solidaires-etudiantes-des-hauts-de-france",
    "conserverie-solidaire-du-soissonnais",
];

/// Pixels (at most 0.01 % of the card) allowed to differ from the reference by more than
/// [`REFERENCE_TOLERANCE`].
const REFERENCE_STRAY_PIXELS: usize = 75;
/// Largest difference of one channel allowed on the other pixels.
const REFERENCE_TOLERANCE: u8 = 16;

/// The current cards of the reference projects, drawn as the build draws them.
fn demonstration_cards() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checked = crate::build::check(root).expect("demonstration site");
    let site = &checked.validated.site;
    let projects: Vec<Project> = REFERENCE_CARDS
        .iter()
        .map(|slug| {
            checked
                .validated
                .projects
                .iter()
                .find(|p| p.slug == *slug)
                .unwrap_or_else(|| panic!("{slug} is in content/projets"))
                .clone()
        })
        .collect();
    let (files, summary) = render_cards(site, &projects, None).expect("cards");
    assert_eq!(summary.rendered, REFERENCE_CARDS.len());
    REFERENCE_CARDS
        .iter()
        .map(|slug| {
            let file = files
                .iter()
                .find(|f| f.path == card_path(slug))
                .unwrap_or_else(|| panic!("card of {slug}"));
            (slug.to_string(), file.bytes.clone())
        })
        .collect()
}

/// The cards of three demonstration projects look as their committed references: every
/// pixel within 16 levels of a channel, but for at most 75 pixels (0.01 %). Rendering is
/// integer and deterministic on one machine (the bytes are identical); the margin only
/// absorbs a different rounding of anti-aliased edges on another processor or a later
/// resvg, which moves an edge pixel by a step of coverage. Anything seen — a moved, added
/// or missing glyph, a new colour, a shifted radar — changes hundreds to thousands of
/// pixels by far more. `AMIRIS_BLESS_CARDS=1 cargo test --lib card::tests::the_demo`
/// rewrites the references after a deliberate change (look at them before committing).
#[test]
fn the_demonstration_cards_match_their_references() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/card/references");
    let bless = std::env::var_os("AMIRIS_BLESS_CARDS").is_some();
    for (slug, bytes) in demonstration_cards() {
        let path = dir.join(format!("{slug}.png"));
        if bless {
            fs::create_dir_all(&dir).expect("mkdir");
            fs::write(&path, &bytes).expect("write reference");
        }
        let reference = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (now, then) = (decode_rgb(&bytes), decode_rgb(&reference));
        let mut stray = 0;
        let mut worst = 0;
        for (a, b) in now.chunks_exact(3).zip(then.chunks_exact(3)) {
            let difference = max_difference(a, b);
            worst = worst.max(difference);
            if difference > REFERENCE_TOLERANCE {
                stray += 1;
            }
        }
        assert!(
            stray <= REFERENCE_STRAY_PIXELS,
            "{slug}: {stray} pixels differ by more than {REFERENCE_TOLERANCE} (at most \
             {worst}) from {}",
            path.display()
        );
    }
}

#[test]
fn the_reference_comparison_sees_a_changed_card() {
    // The tolerance must not hide a visible change: one letter of the title.
    let painter = CardPainter::new();
    let draw = |title: &str| {
        let png = painter
            .render_png(&card_layers(&content(title)), "k", "panier")
            .expect("renders");
        decode_rgb(&png)
    };
    let (a, b) = (draw("Le Panier solidaire"), draw("Le Panier solidaira"));
    let stray = a
        .chunks_exact(3)
        .zip(b.chunks_exact(3))
        .filter(|(x, y)| max_difference(x, y) > REFERENCE_TOLERANCE)
        .count();
    assert!(stray > 4 * REFERENCE_STRAY_PIXELS, "{stray}");
}

/// The data of a PNG's first chunk of type `kind` (empty if none).
fn chunk(png: &[u8], kind: &[u8; 4]) -> Vec<u8> {
    let mut at = 8;
    while at + 12 <= png.len() {
        let length = u32::from_be_bytes(png[at..at + 4].try_into().expect("length")) as usize;
        if &png[at + 4..at + 8] == kind {
            return png[at + 8..at + 8 + length].to_vec();
        }
        at += 12 + length;
    }
    Vec::new()
}

/// The image data of a PNG (its `IDAT` chunks joined), each chunk's CRC checked.
fn image_data(png: &[u8]) -> Vec<u8> {
    let mut data = Vec::new();
    let mut at = 8;
    while at + 12 <= png.len() {
        let length = u32::from_be_bytes(png[at..at + 4].try_into().expect("length")) as usize;
        let chunk = &png[at + 4..at + 8 + length];
        let crc = u32::from_be_bytes(
            png[at + 8 + length..at + 12 + length]
                .try_into()
                .expect("crc"),
        );
        assert_eq!(
            zlib_rs::crc32::crc32(0, chunk),
            crc,
            "CRC of {:?}",
            &chunk[..4]
        );
        if &chunk[..4] == b"IDAT" {
            data.extend_from_slice(&chunk[4..]);
        }
        at += 12 + length;
    }
    assert_eq!(at, png.len());
    data
}

#[test]
fn rows_shared_with_the_reference_are_compressed_once_and_spliced_exactly() {
    let painter = CardPainter::new();
    for content in varied_cards() {
        let layers = card_layers(&content);
        let png = painter.render_png(&layers, "k", "p").expect("encoded");
        let drawn = painter.draw(&layers).expect("drawn");
        // The indices the card was given against its reference.
        let references = painter.references.lock().expect("lock");
        let (reference, expected) = references
            .iter()
            .find_map(|(_, reference)| {
                let reference = Option::as_ref(reference)?;
                let mut indices = Vec::new();
                let palette = reference.quantize(
                    drawn.data(),
                    None,
                    256,
                    8,
                    &mut Vec::new(),
                    &mut SnapCache::default(),
                    &mut indices,
                )?;
                // Its own reference (another radar frame's may give a palette too).
                (palette == chunk(&png, b"PLTE")).then_some((reference, indices))
            })
            .expect("drawn over a reference");
        // The whole zlib stream inflates (its Adler-32 checked) to the card's rows.
        let mut inflated = vec![0u8; HEIGHT as usize * ROW_BYTES + 1];
        let (rows, code) = zlib_rs::decompress_slice(
            &mut inflated,
            &image_data(&png),
            zlib_rs::InflateConfig::default(),
        );
        assert_eq!(code, zlib_rs::ReturnCode::Ok, "{}", content.title);
        let mut filtered = Vec::new();
        filter_rows(&expected, 0..HEIGHT as usize, &mut filtered);
        assert!(rows == filtered, "{}", content.title);
        // The card's first and last rows came from the reference's runs, compressed once.
        let runs = reference.compressed.lock().expect("lock");
        assert!(
            runs.iter().any(|(start, _, _)| *start == 0)
                && runs.iter().any(|(_, end, _)| *end == HEIGHT as usize),
            "{}: {:?}",
            content.title,
            runs.iter().map(|(s, e, _)| (s, e)).collect::<Vec<_>>()
        );
    }
}

/// The input the `card` fuzz target found: a compressor reused from card to card kept the
/// previous card's data in its window, and the matches DEFLATE picked near the end of the
/// input read it: the same card gave other bytes (the same pixels) as the second card of a
/// thread than as the first.
#[test]
fn a_card_has_the_same_bytes_whatever_its_thread_drew_before() {
    let site = site();
    let scores = [2.5, 3.0, 0.5, 0.0, -1.0, 3.0, 2.5, 2.0, 1.5, 1.0, 0.5, 0.0]
        .map(|score: f64| (score >= 0.0).then_some(score));
    let title = "Beauvaisis Women Entrepreneurs' Cooperative".to_string();
    let content = CardContent {
        slug: "fuzz".into(),
        title: title.clone(),
        structure: format!("Associati{}on", "k".repeat(105)),
        communes: vec!["Amiens".into(), "Abbeville".into()],
        departments: vec!["Somme".into()],
        year: 29300,
        site_title: site.title.clone(),
        radar: card_radar(&site, &title, &scores),
    };
    let painter = CardPainter::new();
    let layers = card_layers(&content);
    let render = || painter.render_png(&layers, "k", "p").expect("drawn");
    let on_a_new_thread =
        || std::thread::scope(|scope| scope.spawn(render).join().expect("thread"));
    let first = on_a_new_thread();
    // The same thread again, after a card, then after another card.
    let again = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let _ = render();
                let _ = painter.render_png(&card_layers(&varied_cards()[1]), "k", "p");
                render()
            })
            .join()
            .expect("thread")
    });
    assert!(first == again);
    assert!(first == on_a_new_thread());
}

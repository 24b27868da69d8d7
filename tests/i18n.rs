//! The theme's texts (`i18n/<code>.yaml`): a site's theme overrides them key by key, pages read them, a wrong key stops the build naming the file.

mod common;

use common::{amiris, build_ok, copy_fixture, read_text};

#[test]
fn a_site_theme_overrides_interface_texts_markers_and_stages() {
    let site = copy_fixture("minimal");
    let root = site.path();
    let i18n = root.join("themes/default/i18n");
    std::fs::create_dir_all(&i18n).expect("dossier");
    std::fs::write(
        i18n.join("fr.yaml"),
        "interface:\n  aller_au_contenu: \"Sauter au texte\"\n  n_projets:\n    un: \"{n} initiative\"\n    plusieurs: \"{n} initiatives\"\nmarqueurs:\n  gouvernance:\n    nom: \"Décider ensemble\"\nstades:\n  experimentation: \"Essai\"\n",
    )
    .expect("écriture");
    build_ok(root);
    let out = root.join("output");
    let home = read_text(&out, "index.html");
    assert!(home.contains(">Sauter au texte</a>"), "{home}");
    assert!(!home.contains("Aller au contenu"));
    let sectors = read_text(&out, "secteurs/index.html");
    assert!(sectors.contains("initiative"), "{sectors}");
    assert!(!sectors.contains("projets</p>") && !sectors.contains(" projet</p>"));
    let markers = read_text(&out, "marqueurs/index.html");
    assert!(markers.contains("Décider ensemble"), "{markers}");
    assert!(!markers.contains(">Gouvernance<"));
    let catalogue = read_text(&out, "projets/recherche.json");
    assert!(catalogue.contains("\"Essai\""), "{catalogue}");
}

#[test]
fn an_unknown_key_in_a_site_theme_texts_stops_the_build() {
    let site = copy_fixture("minimal");
    let root = site.path();
    let i18n = root.join("themes/default/i18n");
    std::fs::create_dir_all(&i18n).expect("dossier");
    std::fs::write(i18n.join("fr.yaml"), "interface:\n  acceuil: \"Départ\"\n").expect("écriture");
    let output = amiris(&["build", "--root", &root.to_string_lossy(), "--quiet"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("fr.yaml"), "{stderr}");
    assert!(stderr.contains("« acceuil »"), "{stderr}");
    assert!(stderr.contains("« accueil »"), "{stderr}");
}

#[test]
fn a_site_theme_overrides_the_english_texts_of_english_pages_only() {
    let site = copy_fixture("minimal");
    let root = site.path();
    let yaml = root.join("content/site.yaml");
    let text = std::fs::read_to_string(&yaml).expect("site.yaml");
    std::fs::write(&yaml, format!("langues: [fr, en]\n{text}")).expect("site.yaml");
    let i18n = root.join("themes/default/i18n");
    std::fs::create_dir_all(&i18n).expect("dossier");
    std::fs::write(
        i18n.join("en.yaml"),
        "interface:\n  aller_au_contenu: \"Jump to the text\"\nmarqueurs:\n  gouvernance:\n    nom: \"Deciding together\"\n",
    )
    .expect("écriture");
    build_ok(root);
    let out = root.join("output");
    let english = read_text(&out, "en/index.html");
    assert!(english.contains(">Jump to the text</a>"), "{english}");
    assert!(!english.contains("Skip to content"));
    let markers = read_text(&out, "en/marqueurs/index.html");
    assert!(markers.contains("Deciding together"), "{markers}");
    // Texts the site's theme does not give stay the default theme's.
    assert!(markers.contains("Place of the beneficiaries"), "{markers}");
    let french = read_text(&out, "index.html");
    assert!(french.contains(">Aller au contenu</a>"), "{french}");
    assert!(!french.contains("Jump to the text"));
}

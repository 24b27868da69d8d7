//! The theme: embedded default templates and static files, site overrides, the Tera engine.

use super::RenderError;
use std::collections::BTreeMap;
use std::error::Error as _;
use std::path::Path;
use std::sync::Arc;
use tera::{Context, Kwargs, State, Tera, TeraResult};

/// Templates of the default theme, by name (their path under `templates/`).
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "projets.html",
        include_str!("../../themes/default/templates/projets.html"),
    ),
    (
        "projet.html",
        include_str!("../../themes/default/templates/projet.html"),
    ),
    (
        "secteurs.html",
        include_str!("../../themes/default/templates/secteurs.html"),
    ),
    (
        "secteur.html",
        include_str!("../../themes/default/templates/secteur.html"),
    ),
    (
        "publics.html",
        include_str!("../../themes/default/templates/publics.html"),
    ),
    (
        "public.html",
        include_str!("../../themes/default/templates/public.html"),
    ),
    (
        "territoires.html",
        include_str!("../../themes/default/templates/territoires.html"),
    ),
    (
        "territoire.html",
        include_str!("../../themes/default/templates/territoire.html"),
    ),
    (
        "territoire_secteur.html",
        include_str!("../../themes/default/templates/territoire_secteur.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "donnees.html",
        include_str!("../../themes/default/templates/donnees.html"),
    ),
    (
        "marqueurs.html",
        include_str!("../../themes/default/templates/marqueurs.html"),
    ),
    (
        "marqueur.html",
        include_str!("../../themes/default/templates/marqueur.html"),
    ),
    (
        "statistiques.html",
        include_str!("../../themes/default/templates/statistiques.html"),
    ),
    (
        "epci.html",
        include_str!("../../themes/default/templates/epci.html"),
    ),
    (
        "partials/carte-region.html",
        include_str!("../../themes/default/templates/partials/carte-region.html"),
    ),
    (
        "partials/carte.html",
        include_str!("../../themes/default/templates/partials/carte.html"),
    ),
    (
        "partials/liste.html",
        include_str!("../../themes/default/templates/partials/liste.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../../themes/default/templates/partials/pagination.html"),
    ),
    (
        "partials/radar_median.html",
        include_str!("../../themes/default/templates/partials/radar_median.html"),
    ),
    (
        "partials/radars_multiples.html",
        include_str!("../../themes/default/templates/partials/radars_multiples.html"),
    ),
    (
        "partials/tableau_medianes.html",
        include_str!("../../themes/default/templates/partials/tableau_medianes.html"),
    ),
];

/// Static files of the default theme, by path under `static/`.
const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
    (
        "catalogue.js",
        include_bytes!("../../themes/default/static/catalogue.js"),
    ),
];

/// Extensions of the files of `templates/` that are loaded as templates (others, such as
/// editor backups, are ignored).
const TEMPLATE_EXTENSIONS: &[&str] = &["html", "xml", "svg", "txt", "json"];

/// Where a template comes from, for error messages.
const EMBEDDED: &str = "thème par défaut intégré";

/// The loaded theme: templates parsed once, static files in memory.
pub struct Theme {
    tera: Tera,
    /// The texts of every language (`i18n/<code>.yaml`).
    pub texts: super::texts::Texts,
    /// Template name -> where it comes from (a file path or the embedded theme).
    origins: BTreeMap<String, String>,
    /// Path under `static/` -> bytes, sorted by path.
    static_files: BTreeMap<String, Vec<u8>>,
    /// Hash of every template's name and text and of the asset names templates get: pages
    /// made with another theme are never reused by a later build.
    fingerprint: u64,
    /// Path under `static/` -> output path of its content-hashed copy (`static/style.3f9a1c2b.css`).
    assets: Arc<BTreeMap<String, String>>,
}

impl Theme {
    /// The default theme, overridden file by file by `theme_dir/templates/` and
    /// `theme_dir/static/` when given.
    #[cfg(test)]
    pub fn load(theme_dir: Option<&Path>) -> Result<Theme, RenderError> {
        Theme::load_with(theme_dir, super::texts::Texts::load(theme_dir)?)
    }

    /// [`Theme::load`] with the theme's texts already read (once per build, whatever the
    /// number of languages).
    pub fn load_with(
        theme_dir: Option<&Path>,
        texts: super::texts::Texts,
    ) -> Result<Theme, RenderError> {
        let mut templates: BTreeMap<String, (String, String)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(name, text)| (name.to_string(), (text.to_string(), EMBEDDED.to_string())))
            .collect();
        let mut static_files: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
            .iter()
            .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
            .collect();

        if let Some(dir) = theme_dir {
            for (name, path) in theme_files(&dir.join("templates"))? {
                let extension = name.rsplit_once('.').map_or("", |(_, ext)| ext);
                if !TEMPLATE_EXTENSIONS.contains(&extension) {
                    continue;
                }
                let text =
                    std::fs::read_to_string(&path).map_err(|source| RenderError::ThemeRead {
                        path: path.clone(),
                        source,
                    })?;
                templates.insert(name, (text, path.display().to_string()));
            }
            for (name, path) in theme_files(&dir.join("static"))? {
                let bytes = std::fs::read(&path).map_err(|source| RenderError::ThemeRead {
                    path: path.clone(),
                    source,
                })?;
                static_files.insert(name, bytes);
            }
        }

        let origins: BTreeMap<String, String> = templates
            .iter()
            .map(|(name, (_, origin))| (name.clone(), origin.clone()))
            .collect();
        let assets: Arc<BTreeMap<String, String>> = Arc::new(
            static_files
                .iter()
                .map(|(name, bytes)| (name.clone(), format!("static/{}", hashed_name(name, bytes))))
                .collect(),
        );
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
        tera.set_escape_fn(crate::escape::write_html);
        register_filters(&mut tera);
        register_asset_function(&mut tera, Arc::clone(&assets));
        tera.add_raw_templates(
            templates
                .iter()
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        )
        .map_err(|error| template_error(&error, &origins))?;
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            for (name, (text, _)) in &templates {
                name.hash(&mut hasher);
                text.hash(&mut hasher);
            }
            // What `asset()` gives templates: names carrying the static files' hashes.
            for (name, hashed) in assets.iter() {
                name.hash(&mut hasher);
                hashed.hash(&mut hasher);
            }
            texts.fingerprint().hash(&mut hasher);
            hasher.finish()
        };

        Ok(Theme {
            tera,
            texts,
            origins,
            static_files,
            assets,
            fingerprint,
        })
    }

    /// Hash of every template's name and text.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Sets a variable seen by every template (`site`, `menu`, `pied`, `t`).
    pub fn set_global(&mut self, key: &'static str, value: tera::Value) {
        self.tera.global_context().insert_value(key, value);
    }

    /// Renders `template` for the page written at `output`.
    pub fn render(
        &self,
        template: &str,
        context: &Context,
        output: &str,
    ) -> Result<String, RenderError> {
        self.tera
            .render(template, context)
            .map_err(|error| RenderError::Render {
                output: output.to_string(),
                template: template.to_string(),
                origin: self.origin(template),
                message: error_text(&error),
            })
    }

    /// The static files, by path under `static/`.
    #[cfg(test)]
    pub fn static_files(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.static_files
    }

    /// Every static file as (output path, bytes): each one twice, under its content-hashed name
    /// (`static/style.3f9a1c2b.css`, what [`asset`](register_asset_function) gives templates,
    /// safe to cache forever) and under its own name (`static/style.css`, for `url(…)`
    /// references between static files and for templates written before hashed names).
    pub fn static_outputs(&self) -> Vec<(String, &[u8])> {
        let mut outputs = Vec::with_capacity(self.static_files.len() * 2);
        for (name, bytes) in &self.static_files {
            if let Some(hashed) = self.assets.get(name) {
                outputs.push((hashed.clone(), bytes.as_slice()));
            }
            outputs.push((format!("static/{name}"), bytes.as_slice()));
        }
        outputs
    }

    /// Where the template `name` comes from.
    fn origin(&self, name: &str) -> String {
        self.origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| "gabarit introuvable".to_string())
    }
}

/// Files under `dir` (recursively, hidden ones skipped), as (path relative to `dir` with `/`
/// separators, full path), sorted. A missing folder has no files.
fn theme_files(dir: &Path) -> Result<Vec<(String, std::path::PathBuf)>, RenderError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        });
    for entry in walker {
        let entry = entry.map_err(|error| RenderError::ThemeRead {
            path: error
                .path()
                .map_or_else(|| dir.to_path_buf(), Path::to_path_buf),
            source: error.into(),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let mut parts = Vec::new();
        for part in relative.components() {
            match part.as_os_str().to_str() {
                Some(text) => parts.push(text),
                None => {
                    return Err(RenderError::ThemeFileName {
                        path: entry.path().to_path_buf(),
                    });
                }
            }
        }
        files.push((parts.join("/"), entry.path().to_path_buf()));
    }
    Ok(files)
}

/// A template error from Tera, naming the template's file.
fn template_error(error: &tera::Error, origins: &BTreeMap<String, String>) -> RenderError {
    let template = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            report.filename().to_string()
        }
        tera::ErrorKind::MissingParent { current, .. } => current.clone(),
        tera::ErrorKind::CircularExtend { tpl, .. } => tpl.clone(),
        tera::ErrorKind::CircularInclude { tpl, .. } => tpl.clone(),
        _ => String::new(),
    };
    let origin = origins
        .get(&template)
        .cloned()
        .unwrap_or_else(|| "thème".to_string());
    RenderError::Template {
        template,
        origin,
        message: error_text(error),
    }
}

/// Tera's message with its chain of causes.
fn error_text(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str("\n  cause : ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// FNV-1a, 64 bits: a stable hash of bytes (the same on every machine and Rust version, unlike
/// the standard library's hasher), enough to tell versions of a theme file apart.
pub fn fnv1a_64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The content-hashed name of a static file: the first 8 hexadecimal digits of the FNV-1a hash
/// of its bytes inserted before the extension of its last component (`img/logo.svg` ->
/// `img/logo.1a2b3c4d.svg`; `LICENCE` -> `LICENCE.1a2b3c4d`).
pub fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let digest = format!("{:016x}", fnv1a_64(bytes));
    let digest = &digest[..8];
    let file_start = name.rfind('/').map_or(0, |slash| slash + 1);
    match name[file_start..].rfind('.') {
        Some(dot) if dot > 0 => {
            let dot = file_start + dot;
            format!("{}.{digest}{}", &name[..dot], &name[dot..])
        }
        _ => format!("{name}.{digest}"),
    }
}

/// `{{ asset(name="style.css") }}`: the output path, relative to the site root, of the
/// content-hashed copy of a static file (`static/style.3f9a1c2b.css`); a template writes
/// `{{ racine }}{{ asset(name="style.css") }}`. An unknown name stops the build with the list of
/// the theme's static files.
fn register_asset_function(tera: &mut Tera, assets: Arc<BTreeMap<String, String>>) {
    tera.register_function("asset", move |kwargs: Kwargs, state: &State| -> TeraResult<String> {
        let name = kwargs.must_get::<&str>("name")?;
        // On the pages of a language other than the default (under `en/`), `racine` leads to
        // that language's root: `partage` (`../`) leads on to the shared static files.
        let shared = state.get::<String>("partage")?.unwrap_or_default();
        let name = name.trim_start_matches("./").trim_start_matches("static/");
        match assets.get(name) {
            Some(path) => Ok(format!("{shared}{path}")),
            None => {
                let known: Vec<&str> = assets.keys().map(String::as_str).collect();
                let hint = crate::text::closest(name, known.iter().copied())
                    .map(|close| format!(" Vouliez-vous dire « {close} » ?"))
                    .unwrap_or_default();
                Err(tera::Error::message(format!(
                    "asset : aucun fichier « {name} » dans static/ du thème (fichiers : {}).{hint}",
                    known.join(", ")
                )))
            }
        }
    });
}

/// Filters the default theme uses (documented in the theme's README).
fn register_filters(tera: &mut Tera) {
    // `{{ n | pluriel }}`: "s" when n ≥ 2 (French: 0 and 1 are singular);
    // `{{ n | pluriel(singulier="al", pluriel="aux") }}` for other endings.
    tera.register_filter(
        "pluriel",
        |n: i64, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let singular = kwargs.get::<&str>("singulier")?.unwrap_or("");
            let plural = kwargs.get::<&str>("pluriel")?.unwrap_or("s");
            Ok(if n >= 2 { plural } else { singular }.to_string())
        },
    );
    // `{{ n | nombre }}`: an integer with French digit grouping ("12 345", narrow no-break space).
    tera.register_filter("nombre", |n: i64, _: Kwargs, _: &State| french_number(n));
    // `{{ t.cle | avec(n=3, nom=x) }}`: a text of the theme with its holes filled.
    tera.register_filter("avec", super::texts::avec);
}

/// An integer with groups of three digits separated by a narrow no-break space.
pub fn french_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_numbers_are_grouped() {
        assert_eq!(french_number(0), "0");
        assert_eq!(french_number(999), "999");
        assert_eq!(french_number(1234), "1\u{202f}234");
        assert_eq!(french_number(-1234567), "-1\u{202f}234\u{202f}567");
    }

    #[test]
    fn default_theme_parses() {
        let theme = Theme::load(None).expect("thème par défaut");
        assert!(theme.static_files().contains_key("style.css"));
    }

    #[test]
    fn filters_work() {
        let theme = Theme::load(None).expect("thème par défaut");
        let mut tera = theme.tera.clone();
        tera.add_raw_template(
            "t.txt",
            "{{ 0 | pluriel }}|{{ 2 | pluriel }}|{{ 3 | pluriel(singulier=\"al\", pluriel=\"aux\") }}|{{ 12345 | nombre }}",
        )
        .expect("gabarit");
        assert_eq!(
            tera.render("t.txt", &Context::new()).expect("rendu"),
            "|s|aux|12\u{202f}345"
        );
    }

    #[test]
    fn autoescaping_follows_the_escape_module() {
        let theme = Theme::load(None).expect("thème par défaut");
        let mut tera = theme.tera.clone();
        tera.add_raw_template("t.html", "<p title=\"{{ v }}\">{{ v }}</p>")
            .expect("gabarit");
        let hostile = "<script>'x' & \"y\"\u{1}\u{FFFF}</script>";
        let mut context = Context::new();
        context.insert("v", &hostile);
        let escaped = crate::escape::html(hostile);
        assert_eq!(
            tera.render("t.html", &context).expect("rendu"),
            format!("<p title=\"{escaped}\">{escaped}</p>")
        );
        assert!(!escaped.contains('\u{1}') && !escaped.contains('\''));
    }

    #[test]
    fn fnv1a_matches_the_reference_values() {
        // Test vectors of the FNV reference implementation.
        assert_eq!(fnv1a_64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a_64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a_64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn hashed_names_keep_folder_and_extension() {
        let digest = &format!("{:016x}", fnv1a_64(b"body{}"))[..8];
        assert_eq!(
            hashed_name("style.css", b"body{}"),
            format!("style.{digest}.css")
        );
        assert_eq!(
            hashed_name("img/logo.v2.svg", b"body{}"),
            format!("img/logo.v2.{digest}.svg")
        );
        assert_eq!(
            hashed_name("LICENCE", b"body{}"),
            format!("LICENCE.{digest}")
        );
        assert_eq!(hashed_name("a.b/c", b"body{}"), format!("a.b/c.{digest}"));
        assert_ne!(
            hashed_name("style.css", b"a"),
            hashed_name("style.css", b"b")
        );
    }

    #[test]
    fn asset_gives_the_hashed_path_and_refuses_unknown_names() {
        let theme = Theme::load(None).expect("thème par défaut");
        let mut tera = theme.tera.clone();
        tera.add_raw_template("ok.txt", "{{ asset(name=\"style.css\") }}")
            .expect("gabarit");
        let path = tera.render("ok.txt", &Context::new()).expect("rendu");
        let css = &theme.static_files()["style.css"];
        assert_eq!(path, format!("static/{}", hashed_name("style.css", css)));
        let outputs = theme.static_outputs();
        assert!(
            outputs
                .iter()
                .any(|(p, b)| *p == path && *b == css.as_slice())
        );
        assert!(outputs.iter().any(|(p, _)| p == "static/style.css"));
        assert_eq!(outputs.len(), theme.static_files().len() * 2);

        tera.add_raw_template("ko.txt", "{{ asset(name=\"stlye.css\") }}")
            .expect("gabarit");
        let error = error_text(&tera.render("ko.txt", &Context::new()).unwrap_err());
        assert!(error.contains("« stlye.css »"), "{error}");
        assert!(error.contains("Vouliez-vous dire « style.css »"), "{error}");
    }

    #[test]
    fn overrides_replace_and_extend() {
        let dir = tempfile::tempdir().expect("dossier temporaire");
        let templates = dir.path().join("templates");
        std::fs::create_dir_all(templates.join("partials")).expect("dossier");
        std::fs::write(templates.join("404.html"), "perdu").expect("écriture");
        std::fs::write(templates.join("partials/extra.html"), "x").expect("écriture");
        std::fs::write(templates.join("404.html~"), "{{ oups").expect("écriture");
        std::fs::create_dir_all(dir.path().join("static/img")).expect("dossier");
        std::fs::write(dir.path().join("static/style.css"), "body{}").expect("écriture");
        std::fs::write(dir.path().join("static/img/logo.svg"), "<svg/>").expect("écriture");
        std::fs::write(dir.path().join("static/.cache"), "x").expect("écriture");
        let theme = Theme::load(Some(dir.path())).expect("thème");
        assert_eq!(
            theme
                .render("404.html", &Context::new(), "404.html")
                .expect("rendu"),
            "perdu"
        );
        assert!(theme.origin("404.html").ends_with("404.html"));
        assert_eq!(theme.origin("base.html"), EMBEDDED);
        assert_eq!(theme.static_files()["style.css"], b"body{}");
        assert!(theme.static_files().contains_key("img/logo.svg"));
        assert!(theme.static_files().contains_key("favicon.svg"));
        assert!(!theme.static_files().contains_key(".cache"));
    }

    #[test]
    fn a_broken_override_names_its_file_and_line() {
        let dir = tempfile::tempdir().expect("dossier temporaire");
        std::fs::create_dir_all(dir.path().join("templates")).expect("dossier");
        std::fs::write(
            dir.path().join("templates/page.html"),
            "{% extends \"base.html\" %}\n{% block contenu %}\n{{ vue.titre \n{% endblock contenu %}",
        )
        .expect("écriture");
        let Err(error) = Theme::load(Some(dir.path())) else {
            panic!("le gabarit cassé devrait être refusé");
        };
        let text = error.to_string();
        assert!(text.contains("page.html"), "{text}");
        assert!(text.contains(&dir.path().display().to_string()), "{text}");
        assert!(text.contains("page.html:4:1"), "{text}");
    }
}

//! `amiris new` and `amiris init`: a commented project file to fill in, and a new site that builds.

use crate::content::{self, SourceFile};
use crate::model::{CANONICAL_SECTIONS, Scale, Site, format_score};
use crate::text::{is_slug, slugify};
use crate::validate::{RESERVED_PROJECT_SLUGS, default_site, fields::Checker, validate_site};
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Why `new` or `init` wrote nothing (exit code 2); every message names the file and says what
/// to do.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The folder holds no `content/site.yaml`.
    #[error(
        "aucun site dans « {0} » : le fichier content/site.yaml est introuvable. Lancez la \
         commande depuis le dossier du site, indiquez-le avec --root, ou créez un site avec \
         « amiris init DOSSIER »."
    )]
    NoSite(PathBuf),
    /// The title gives no usable file name.
    #[error(
        "le titre « {0} » ne donne pas de nom de fichier : il faut au moins une lettre ou un \
         chiffre"
    )]
    EmptySlug(String),
    /// The title gives a reserved file name.
    #[error(
        "le titre donne le nom « {0}.md », réservé par le site (noms réservés : {1}) : \
         précisez le titre"
    )]
    ReservedSlug(String, String),
    /// The project file exists already.
    #[error(
        "le fichier « {0} » existe déjà : il n'a pas été modifié. Ouvrez-le pour le compléter, \
         ou choisissez un autre titre."
    )]
    Exists(String),
    /// `init` was given a folder that is not empty.
    #[error(
        "le dossier « {0} » n'est pas vide : « amiris init » ne crée un site que dans un dossier \
         vide ou absent, pour ne rien écraser. Indiquez un nouveau dossier."
    )]
    NotEmpty(PathBuf),
    /// A file or folder could not be read or written.
    #[error("« {path} » : {message}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What happened and what to do, in French.
        message: String,
    },
}

/// A French explanation of a failed write, without Rust internals.
pub fn write_message(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::PermissionDenied => {
            "écriture refusée : vérifiez que vous avez le droit d'écrire dans ce dossier".into()
        }
        ErrorKind::AlreadyExists => "le fichier existe déjà : il n'a pas été modifié".into(),
        ErrorKind::NotFound => "dossier introuvable : vérifiez le chemin".into(),
        ErrorKind::StorageFull => "le disque est plein : libérez de la place et recommencez".into(),
        ErrorKind::ReadOnlyFilesystem => {
            "le disque est en lecture seule : choisissez un autre dossier".into()
        }
        ErrorKind::NotADirectory => {
            "un élément du chemin est un fichier, pas un dossier : vérifiez le chemin".into()
        }
        ErrorKind::IsADirectory => "c'est un dossier, pas un fichier".into(),
        _ => format!("écriture impossible ({})", plain_io_error(error)),
    }
}

/// The operating system's description of an error, without the `(os error N)` suffix.
pub fn plain_io_error(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(index) => text[..index].to_string(),
        None => text,
    }
}

fn io_error(path: &Path, error: &std::io::Error) -> ScaffoldError {
    ScaffoldError::Io {
        path: path.to_path_buf(),
        message: write_message(error),
    }
}

/// A YAML double-quoted scalar holding `text` exactly (backslash, quote and controls escaped).
pub fn yaml_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{feff}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Reads and validates `content/site.yaml` of `root` (its vocabularies feed the comments);
/// settings with errors fall back to the defaults, as in `check`.
pub fn read_site(root: &Path) -> Result<Site, ScaffoldError> {
    let path = root.join("content").join("site.yaml");
    if !path.is_file() {
        return Err(ScaffoldError::NoSite(root.to_path_buf()));
    }
    let bytes = fs::read(&path).map_err(|error| ScaffoldError::Io {
        path: path.clone(),
        message: content::io_message(&error),
    })?;
    let Ok(text) = content::decode(bytes) else {
        return Ok(default_site());
    };
    let file = SourceFile {
        path: "content/site.yaml".into(),
        stem: String::new(),
        text: text.into(),
    };
    let mut checker = Checker::new(&file.path);
    Ok(validate_site(&file, &mut checker))
}

/// Pads a comment column: `line` then spaces up to column 32, then `# comment`.
fn commented(out: &mut String, line: &str, comment: &str) {
    let width = line.chars().count();
    let pad = 32usize.saturating_sub(width).max(1);
    let _ = writeln!(out, "{line}{}# {comment}", " ".repeat(pad));
}

fn scale_text(scale: &Scale) -> String {
    format!(
        "notes de {} à {} par pas de {}",
        format_score(scale.min),
        format_score(scale.max),
        format_score(scale.step)
    )
}

/// The comment of a field in the template, from the field specification: whether it must be
/// filled in, what to write, its length bounds and allowed keys.
pub fn field_note(path: &str) -> String {
    let Some(field) = crate::fields::field(path) else {
        return String::new();
    };
    let mut help = field.help.trim_end_matches('.').to_string();
    if let Some(first) = help.chars().next()
        && field.required_text.is_none_or(|_| field.required)
    {
        help = format!("{}{}", first.to_lowercase(), &help[first.len_utf8()..]);
    }
    if let Some((min, max)) = field.length
        && !help.contains("caractères")
    {
        help.push_str(&format!(", {min} à {max} caractères"));
    }
    if let crate::fields::Shape::Choice(keys) = field.shape
        && !keys.iter().all(|k| help.contains(k))
    {
        help.push_str(&format!(" : {}", keys.join(", ")));
    }
    match (field.required, field.required_text) {
        (false, Some(_)) => help,
        (true, _) => format!("obligatoire : {help}"),
        (false, None) => format!("facultatif : {help}"),
    }
}

/// A commented-out example line of an optional block (`  # ouvert: true   # …`).
fn commented_out(out: &mut String, line: &str, path: &str) {
    commented(out, &format!("  # {line}"), &field_note(path));
}

/// The text of a new project file: every field present with its comment from the field
/// specification ([`crate::fields`]); required fields left empty (so `check` lists them as
/// errors), optional ones empty or commented out (so `check` says nothing about them).
pub fn project_template(title: &str, site: &Site) -> String {
    let mut out = String::new();
    out.push_str("---\n");
    out.push_str(
        "# Fiche créée par « amiris new ». Remplissez les champs, puis lancez « amiris check » :\n\
         # il liste ce qui reste à compléter. Un champ « facultatif » peut rester vide.\n\
         # Les textes s'écrivent entre guillemets ; les codes (communes, départements, code\n\
         # postal, SIRET) aussi.\n",
    );
    let field = |out: &mut String, line: &str, path: &str| commented(out, line, &field_note(path));
    field(&mut out, &format!("titre: {}", yaml_quote(title)), "titre");
    field(&mut out, "resume:", "resume");
    field(&mut out, "label:", "label");
    field(&mut out, "  annee:", "label.annee");
    field(&mut out, "  date:", "label.date");
    field(&mut out, "secteurs:", "secteurs");
    if site.sectors.is_empty() {
        out.push_str("  # (aucun secteur dans site.yaml : ajoutez-en d'abord)\n");
    }
    for sector in &site.sectors {
        let _ = writeln!(out, "  #   {} : {}", sector.key, sector.name);
    }
    field(&mut out, "territoire:", "territoire");
    field(&mut out, "  communes:", "territoire.communes");
    field(&mut out, "  departements:", "territoire.departements");
    field(&mut out, "  echelle:", "territoire.echelle");
    field(&mut out, "stade:", "stade");
    field(&mut out, "publics:", "publics");
    for public in &site.publics {
        let _ = writeln!(out, "  #   {} : {}", public.key, public.name);
    }
    field(&mut out, "structure:", "structure");
    field(&mut out, "  nom:", "structure.nom");
    field(&mut out, "  forme_juridique:", "structure.forme_juridique");
    field(&mut out, "  siret:", "structure.siret");
    field(&mut out, "  code_postal:", "structure.code_postal");
    field(&mut out, "  commune:", "structure.commune");
    field(&mut out, "  site_web:", "structure.site_web");
    field(&mut out, "  esus:", "structure.esus");
    field(&mut out, "partenaires:", "partenaires");
    commented_out(&mut out, "- nom: \"CCAS de Cambrai\"", "partenaires[].nom");
    commented_out(&mut out, "  role: collectivite", "partenaires[].role");
    commented(
        &mut out,
        "marqueurs:",
        &format!(
            "{} ; {} (écrire 2.5 avec un point) ; vide = non évalué",
            field_note("marqueurs"),
            scale_text(&site.scale)
        ),
    );
    for marker in &site.markers {
        commented(&mut out, &format!("  {}:", marker.key), &marker.name);
    }
    commented(
        &mut out,
        "essaimage:",
        &format!(
            "{} ; retirez les # des lignes utiles",
            field_note("essaimage")
        ),
    );
    commented_out(&mut out, "ouvert: true", "essaimage.ouvert");
    commented_out(&mut out, "territoires: [\"80\"]", "essaimage.territoires");
    commented(
        &mut out,
        "image:",
        &format!("{} ; retirez les # des deux lignes", field_note("image")),
    );
    commented_out(&mut out, "src: medias/photo.jpg", "image.src");
    commented_out(&mut out, "alt: \"…\"", "image.alt");
    field(&mut out, "contact:", "contact");
    commented_out(&mut out, "email: \"contact@exemple.fr\"", "contact.email");
    field(&mut out, "mis_a_jour:", "mis_a_jour");
    field(&mut out, "brouillon:", "brouillon");
    out.push_str("---\n");
    for (section, hint) in CANONICAL_SECTIONS.iter().zip(SECTION_HINTS) {
        let _ = write!(out, "\n## {section}\n\n<!-- {hint} -->\n");
    }
    out
}

/// One hint per canonical section, written as an HTML comment: not counted as words, so a body
/// holding only the hints is empty (`corps-vide`) until real text is written.
pub const SECTION_HINTS: [&str; 6] = [
    "Le besoin, l'aspiration, le territoire.",
    "Comment le projet est construit et fonctionne.",
    "Ce qui a été réalisé, chiffres à l'appui.",
    "Ce que le projet change.",
    "Comment il se partage ou s'essaime.",
    "Le projet en quelques lignes.",
];

/// `amiris new`: writes `content/projets/<slug>.md` from `title`, never over an existing file;
/// returns the path written, relative to `root`.
pub fn new_project(root: &Path, title: &str) -> Result<String, ScaffoldError> {
    let site = read_site(root)?;
    let slug = slugify(title);
    if slug.is_empty() || !is_slug(&slug) {
        return Err(ScaffoldError::EmptySlug(title.to_string()));
    }
    if RESERVED_PROJECT_SLUGS.contains(&slug.as_str()) {
        return Err(ScaffoldError::ReservedSlug(
            slug,
            RESERVED_PROJECT_SLUGS.join(", "),
        ));
    }
    let folder = root.join("content").join("projets");
    fs::create_dir_all(&folder).map_err(|e| io_error(&folder, &e))?;
    let relative = format!("content/projets/{slug}.md");
    let path = folder.join(format!("{slug}.md"));
    if fs::symlink_metadata(&path).is_ok() {
        return Err(ScaffoldError::Exists(relative));
    }
    write_new(&path, &project_template(title.trim(), &site))?;
    Ok(relative)
}

/// Creates `path` with `text`, failing (without touching it) when it exists.
pub fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| io_error(path, &e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| io_error(path, &e))
}

/// `site.yaml` of a new site: the region's title, a starter vocabulary, no public address yet.
const INIT_SITE: &str = include_str!("scaffold/site.yaml");
/// The example project of a new site (passes `check` without a warning).
const INIT_PROJECT: &str = include_str!("scaffold/exemple-epicerie-itinerante.md");
/// The "à propos" page of a new site.
const INIT_ABOUT: &str = include_str!("scaffold/a-propos.md");

/// GitHub Actions workflow publishing the site on GitHub Pages (to copy into
/// `.github/workflows/`).
pub const GITHUB_PAGES_WORKFLOW: &str = include_str!("scaffold/github-pages.yml");
/// GitLab CI file publishing the site on GitLab Pages (to copy as `.gitlab-ci.yml`).
pub const GITLAB_PAGES_CI: &str = include_str!("scaffold/gitlab-ci.yml");

/// Files of a new site, relative to its folder.
pub fn init_files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("content/site.yaml", INIT_SITE),
        (
            "content/projets/exemple-epicerie-itinerante.md",
            INIT_PROJECT,
        ),
        ("content/pages/a-propos.md", INIT_ABOUT),
        (
            "content/pages/methode.md",
            include_str!("../content/pages/methode.md"),
        ),
        (
            "content/pages/accessibilite.md",
            include_str!("../content/pages/accessibilite.md"),
        ),
        (
            "content/pages/mentions-legales.md",
            include_str!("../content/pages/mentions-legales.md"),
        ),
        (
            ".gitignore",
            "# Site produit par « amiris build », son fichier témoin et ses empreintes, cartes de\n\
             # partage gardées par --cache\noutput/\noutput.amiris\noutput.amiris-empreintes*\n.cache/\n",
        ),
        // Ready to copy into place to publish from GitHub or GitLab (docs/publier.md).
        ("publication/github-pages.yml", GITHUB_PAGES_WORKFLOW),
        ("publication/gitlab-ci.yml", GITLAB_PAGES_CI),
    ]
}

/// `amiris init`: creates a new site in `dir` (absent or empty); returns the files written.
pub fn init_site(dir: &Path) -> Result<Vec<&'static str>, ScaffoldError> {
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
            }
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
        }
        Err(error) => {
            return Err(ScaffoldError::Io {
                path: dir.to_path_buf(),
                message: match error.kind() {
                    std::io::ErrorKind::NotADirectory => {
                        "c'est un fichier, pas un dossier : indiquez un nouveau dossier".into()
                    }
                    _ => content::io_message(&error),
                },
            });
        }
    }
    let files = init_files();
    for (relative, text) in &files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error(parent, &e))?;
        }
        write_new(&path, text)?;
    }
    Ok(files.iter().map(|(relative, _)| *relative).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_text_exact() {
        assert_eq!(
            yaml_quote("L'« atelier » \"vélo\""),
            "\"L'« atelier » \\\"vélo\\\"\""
        );
        assert_eq!(yaml_quote("a\\b\nc\u{7}"), "\"a\\\\b\\nc\\u0007\"");
    }

    #[test]
    fn the_template_has_every_field_with_its_specified_note() {
        let text = project_template("Projet", &crate::validate::default_site());
        for field in crate::fields::FIELDS {
            if field.path == "marqueurs.<clé>" {
                continue; // one line per marker of the site, commented with its name
            }
            let note = field_note(field.path);
            let line = text
                .lines()
                .find(|l| l.contains(&format!("{}:", field.key())) && l.contains(&note))
                .unwrap_or_else(|| panic!("no line for {} with « {note} »:\n{text}", field.path));
            assert_eq!(
                line.contains("obligatoire"),
                field.required,
                "{}: {line}",
                field.path
            );
        }
        for key in crate::model::MARKER_KEYS {
            assert!(text.contains(&format!("\n  {key}:")), "{key}");
        }
    }

    #[test]
    fn os_error_numbers_are_dropped() {
        let error = std::io::Error::from_raw_os_error(2);
        assert!(!plain_io_error(&error).contains("os error"));
    }
}

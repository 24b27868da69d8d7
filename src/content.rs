//! Load stage: reads `content/` (the only reads of content) and splits front matter from body.

use crate::diagnostic::{Diagnostic, Severity};
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Largest project or page file accepted (spec: a project file over 1 MB is an error).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Largest media file copied to the site.
pub const MAX_MEDIA_BYTES: u64 = 20 * 1024 * 1024;

/// A text file of the content, read and decoded.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, '/'-separated (`content/projets/x.md`).
    pub path: String,
    /// File name without `.md` (the slug candidate).
    pub stem: String,
    /// Text, BOM removed (shared with `serve`'s memo of the files read).
    pub text: Arc<str>,
}

/// A media file (image) to publish as is.
#[derive(Debug, Clone)]
pub struct MediaFile {
    /// Path relative to `content/`, '/'-separated (`medias/panier.jpg`): also its output path.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Everything read from a site folder.
#[derive(Debug, Default)]
pub struct LoadedContent {
    /// `content/site.yaml`.
    pub site: Option<SourceFile>,
    /// `content/projets/*.md`, sorted by name.
    pub projects: Vec<SourceFile>,
    /// `content/pages/*.md`, sorted by name.
    pub pages: Vec<SourceFile>,
    /// `content/medias/**`, sorted by path.
    pub medias: Vec<MediaFile>,
    /// Problems with files themselves (unreadable, too large, links, misplaced).
    pub diagnostics: Vec<Diagnostic>,
}

/// A failure that prevents looking at the content at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The folder holds no `content/site.yaml`.
    #[error(
        "aucun site dans « {0} » : le fichier content/site.yaml est introuvable. Lancez la \
         commande depuis le dossier du site ou indiquez-le avec --root."
    )]
    NoSite(PathBuf),
    /// A folder could not be listed.
    #[error(
        "impossible de lire le dossier « {} » : {}. Vérifiez qu'il existe et que vous avez le droit de le lire.",
        .path.display(),
        io_reason(.source)
    )]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// What identifies a version of a file without reading it: size, modification time and, on
/// Unix, inode and change time (an editor that saves by renaming gives a new inode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    inode: u64,
    #[cfg(unix)]
    changed: (i64, i64),
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Stamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: meta.ino(),
            #[cfg(unix)]
            changed: (meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// The text files of the previous load with their stamps: `serve` keeps one between
/// rebuilds, so that a file whose stamp is unchanged is not read and decoded again.
#[derive(Debug, Default)]
pub struct Memo {
    previous: Mutex<foldhash::HashMap<String, (Stamp, Arc<str>)>>,
    current: Mutex<foldhash::HashMap<String, (Stamp, Arc<str>)>>,
}

impl Memo {
    /// The text of `relative` read last time, if its stamp is still `stamp`; the entry is
    /// kept for the next load either way it is found.
    fn reuse(&self, relative: &str, stamp: Stamp) -> Option<Arc<str>> {
        let (known, text) = lock(&self.previous).remove(relative)?;
        if known != stamp {
            return None;
        }
        let copy = text.clone();
        lock(&self.current).insert(relative.to_string(), (stamp, text));
        Some(copy)
    }

    /// Keeps a text just read for the next load.
    fn keep(&self, relative: &str, stamp: Stamp, text: &Arc<str>) {
        lock(&self.current).insert(relative.to_string(), (stamp, text.clone()));
    }

    /// Ends a load: what it kept becomes what the next one reuses.
    fn finish(&self) {
        let current = std::mem::take(&mut *lock(&self.current));
        *lock(&self.previous) = current;
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Reads the content of the site at `root`.
pub fn load(root: &Path) -> Result<LoadedContent, LoadError> {
    load_reusing(root, None)
}

/// [`load`], taking from `memo` the texts of the files whose stamp is unchanged.
pub fn load_reusing(root: &Path, memo: Option<&Memo>) -> Result<LoadedContent, LoadError> {
    let loaded = load_with(root, memo);
    if let Some(memo) = memo {
        memo.finish();
    }
    loaded
}

fn load_with(root: &Path, memo: Option<&Memo>) -> Result<LoadedContent, LoadError> {
    let content = root.join("content");
    let site_path = content.join("site.yaml");
    let mut loaded = LoadedContent::default();
    match fs::symlink_metadata(&site_path) {
        Ok(meta) if meta.is_file() => {
            loaded.site = read_text(
                &site_path,
                "content/site.yaml",
                &mut loaded.diagnostics,
                memo,
            );
        }
        Ok(meta) if meta.file_type().is_symlink() => {
            loaded.diagnostics.push(link_problem("content/site.yaml"));
        }
        _ => return Err(LoadError::NoSite(root.to_path_buf())),
    }
    loaded.projects = read_markdown_folder(&content, "projets", &mut loaded.diagnostics, memo)?;
    loaded.pages = read_markdown_folder(&content, "pages", &mut loaded.diagnostics, memo)?;
    loaded.medias = read_medias(&content, &mut loaded.diagnostics);
    Ok(loaded)
}

fn file_problem(path: &str, code: &'static str, severity: Severity, message: String) -> Diagnostic {
    Diagnostic {
        severity,
        code,
        file: path.to_string(),
        line: 1,
        column: 1,
        field: None,
        message,
    }
}

/// The error for a symbolic link found in `content/` (links are never followed).
fn link_problem(relative: &str) -> Diagnostic {
    file_problem(
        relative,
        "fichier",
        Severity::Error,
        format!(
            "« {relative} » est un lien symbolique : les liens ne sont pas suivis. \
             Remplacez-le par le fichier ou le dossier lui-même."
        ),
    )
}

/// The `*.md` files directly in `content/<folder>/`; anything else there is reported.
fn read_markdown_folder(
    content: &Path,
    folder: &str,
    diagnostics: &mut Vec<Diagnostic>,
    memo: Option<&Memo>,
) -> Result<Vec<SourceFile>, LoadError> {
    let dir = content.join(folder);
    if fs::symlink_metadata(&dir).is_ok_and(|meta| meta.file_type().is_symlink()) {
        diagnostics.push(link_problem(&format!("content/{folder}")));
        return Ok(Vec::new());
    }
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(LoadError::Folder { path: dir, source }),
    };
    let mut names: Vec<(String, fs::FileType)> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| LoadError::Folder {
            path: dir.clone(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let file_type = entry.file_type().map_err(|source| LoadError::Folder {
            path: dir.clone(),
            source,
        })?;
        names.push((name, file_type));
    }
    names.sort_by(|a, b| a.0.cmp(&b.0));
    // Files are read in parallel; what each gives is then taken in name order, so that the
    // files and the diagnostics come in the same order as from one thread.
    let read: Vec<(Option<SourceFile>, Vec<Diagnostic>)> = names
        .par_iter()
        .map(|(name, file_type)| {
            let mut found = Vec::new();
            let file = read_entry(&dir, folder, name, file_type, &mut found, memo);
            (file, found)
        })
        .collect();
    let mut files = Vec::new();
    for (file, found) in read {
        diagnostics.extend(found);
        files.extend(file);
    }
    Ok(files)
}

/// One entry of a Markdown folder: the file when it is a readable `.md` file, or the
/// problem it is (symbolic link, folder, other file).
fn read_entry(
    dir: &Path,
    folder: &str,
    name: &str,
    file_type: &fs::FileType,
    diagnostics: &mut Vec<Diagnostic>,
    memo: Option<&Memo>,
) -> Option<SourceFile> {
    let relative = format!("content/{folder}/{name}");
    if name.starts_with('.') {
        return None;
    }
    if file_type.is_symlink() {
        diagnostics.push(link_problem(&relative));
    } else if file_type.is_dir() {
        diagnostics.push(file_problem(
            &relative,
            "fichier",
            Severity::Error,
            format!(
                "« {relative} » est un dossier : les fichiers doivent être placés directement \
                     dans content/{folder}/, sans sous-dossier."
            ),
        ));
    } else if let Some(stem) = name.strip_suffix(".md") {
        let mut file = read_text(&dir.join(name), &relative, diagnostics, memo)?;
        file.stem = stem.to_string();
        return Some(file);
    } else {
        diagnostics.push(file_problem(
            &relative,
            "fichier-ignore",
            Severity::Warning,
            format!(
                "« {relative} » n'est pas un fichier .md : il est ignoré. Les images vont \
                     dans content/medias/."
            ),
        ));
    }
    None
}

/// Reads a text file, reporting (rather than failing on) size, encoding and I/O problems.
fn read_text(
    path: &Path,
    relative: &str,
    diagnostics: &mut Vec<Diagnostic>,
    memo: Option<&Memo>,
) -> Option<SourceFile> {
    let problem = |code, message| file_problem(relative, code, Severity::Error, message);
    let stamp = match fs::symlink_metadata(path) {
        // A named pipe or a device would block the read or never end.
        Ok(meta) if !meta.is_file() => {
            diagnostics.push(problem(
                "fichier",
                "ce n'est pas un fichier ordinaire (tube, périphérique…) : remplacez-le par un \
                 fichier texte"
                    .into(),
            ));
            return None;
        }
        Ok(meta) if meta.len() > MAX_FILE_BYTES => {
            diagnostics.push(problem(
                "fichier",
                format!(
                    "le fichier pèse {} Ko, au-delà de la limite de 1 Mo : raccourcissez le texte \
                     et placez les images dans content/medias/",
                    meta.len() / 1024
                ),
            ));
            return None;
        }
        Ok(meta) => Stamp::of(&meta),
        Err(error) => {
            diagnostics.push(problem("fichier", io_message(&error)));
            return None;
        }
    };
    let source = |text| SourceFile {
        path: relative.to_string(),
        stem: String::new(),
        text,
    };
    if let Some(text) = memo.and_then(|memo| memo.reuse(relative, stamp)) {
        return Some(source(text));
    }
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            diagnostics.push(problem("fichier", io_message(&error)));
            return None;
        }
    };
    match decode(bytes) {
        Ok(text) => {
            let text: Arc<str> = text.into();
            if let Some(memo) = memo {
                memo.keep(relative, stamp, &text);
            }
            Some(source(text))
        }
        Err((line, column, message)) => {
            diagnostics.push(Diagnostic {
                line,
                column,
                ..problem("encodage", message)
            });
            None
        }
    }
}

/// Decodes UTF-8 (BOM removed), refusing NUL characters; errors carry line, column, message.
pub fn decode(bytes: Vec<u8>) -> Result<String, (usize, usize, String)> {
    let position = |bytes: &[u8], offset: usize| {
        let before = &bytes[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        (line, column)
    };
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            let (line, column) = position(error.as_bytes(), offset);
            return Err((
                line,
                column,
                "le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 depuis votre \
                 éditeur (« Enregistrer sous… », encodage UTF-8)"
                    .into(),
            ));
        }
    };
    if let Some(offset) = text.find('\0') {
        let (line, column) = position(text.as_bytes(), offset);
        return Err((
            line,
            column,
            "le fichier contient un caractère nul : ce n'est pas un fichier texte".into(),
        ));
    }
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// A French explanation of an I/O error, without Rust internals.
pub fn io_message(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "fichier introuvable".into(),
        ErrorKind::PermissionDenied => "lecture refusée : vérifiez les droits du fichier".into(),
        ErrorKind::IsADirectory => "c'est un dossier, pas un fichier".into(),
        _ => format!("lecture impossible ({})", io_reason(error)),
    }
}

/// The cause of an I/O error in French, without Rust internals (`Os { code: 2 … }`) or the
/// `(os error N)` suffix.
pub fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "fichier ou dossier introuvable".into(),
        ErrorKind::PermissionDenied => "accès refusé".into(),
        ErrorKind::AlreadyExists => {
            "un fichier porte déjà ce nom : déplacez-le ou choisissez un autre chemin".into()
        }
        ErrorKind::NotADirectory => "un élément du chemin est un fichier, pas un dossier".into(),
        ErrorKind::IsADirectory => "c'est un dossier, pas un fichier".into(),
        ErrorKind::DirectoryNotEmpty => "le dossier n'est pas vide".into(),
        ErrorKind::StorageFull => "le disque est plein".into(),
        ErrorKind::ReadOnlyFilesystem => "le disque est en lecture seule".into(),
        ErrorKind::CrossesDevices => "les deux chemins sont sur des disques différents".into(),
        ErrorKind::InvalidData => "contenu illisible".into(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(index) => text[..index].to_string(),
                None => text,
            }
        }
    }
}

/// Every file under `content/medias/`, links refused, sizes bounded.
fn read_medias(content: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<MediaFile> {
    let dir = content.join("medias");
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut medias = Vec::new();
    let walker = walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .max_depth(8);
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let where_ = error
                    .path()
                    .and_then(|p| p.strip_prefix(content).ok())
                    .map(|p| format!("content/{}", p.to_string_lossy()))
                    .unwrap_or_else(|| "content/medias".into());
                diagnostics.push(file_problem(
                    &where_,
                    "fichier",
                    Severity::Error,
                    "dossier de médias illisible : vérifiez les droits".into(),
                ));
                continue;
            }
        };
        let Ok(relative) = entry.path().strip_prefix(content) else {
            continue;
        };
        let relative = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let shown = format!("content/{relative}");
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        if entry.path_is_symlink() {
            diagnostics.push(file_problem(
                &shown,
                "fichier",
                Severity::Error,
                format!("« {shown} » est un lien symbolique : les liens ne sont pas suivis"),
            ));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let too_big = entry
            .metadata()
            .map(|m| m.len() > MAX_MEDIA_BYTES)
            .unwrap_or(false);
        if too_big {
            diagnostics.push(file_problem(
                &shown,
                "fichier",
                Severity::Error,
                "l'image dépasse 20 Mo : réduisez-la avant de la publier".into(),
            ));
            continue;
        }
        match fs::read(entry.path()) {
            Ok(bytes) => medias.push(MediaFile {
                path: relative,
                bytes,
            }),
            Err(error) => diagnostics.push(file_problem(
                &shown,
                "fichier",
                Severity::Error,
                io_message(&error),
            )),
        }
    }
    medias
}

/// A file split into its YAML front matter and its Markdown body.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrontMatter<'a> {
    /// The YAML between the two `---` lines.
    pub yaml: &'a str,
    /// File line of the first YAML line.
    pub yaml_first_line: usize,
    /// The Markdown after the closing `---` line.
    pub body: &'a str,
    /// File line of the first body line.
    pub body_first_line: usize,
}

/// Splits `---\n<yaml>\n---\n<body>`; the error is (line, French message).
pub fn split_front_matter(text: &str) -> Result<FrontMatter<'_>, (usize, String)> {
    let is_fence = |line: &str| line.trim_end_matches(['\r', '\n', ' ', '\t']) == "---";
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_fence(first) {
        return Err((
            1,
            "le fichier doit commencer par un en-tête YAML : une ligne `---`, les champs, puis \
             une autre ligne `---`"
                .into(),
        ));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    let mut line_number = 1;
    for line in lines {
        line_number += 1;
        if is_fence(line) {
            return Ok(FrontMatter {
                yaml: &text[yaml_start..offset],
                yaml_first_line: 2,
                body: &text[offset + line.len()..],
                body_first_line: line_number + 1,
            });
        }
        offset += line.len();
    }
    Err((
        1,
        "l'en-tête YAML n'est jamais fermé : ajoutez une ligne `---` après le dernier champ".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With a memo kept between loads, a file rewritten in place with a text of the same
    /// length (same inode, same size) is read again, and the texts match a load without memo.
    #[test]
    fn reused_texts_follow_every_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let projets = dir.path().join("content/projets");
        fs::create_dir_all(&projets).unwrap();
        fs::write(dir.path().join("content/site.yaml"), "titre: Site\n").unwrap();
        fs::write(projets.join("a.md"), "texte A\n").unwrap();
        fs::write(projets.join("b.md"), "texte B\n").unwrap();
        let memo = Memo::default();
        let texts = |loaded: &LoadedContent| -> Vec<String> {
            loaded.projects.iter().map(|f| f.text.to_string()).collect()
        };
        let first = load_reusing(dir.path(), Some(&memo)).unwrap();
        assert_eq!(texts(&first), ["texte A\n", "texte B\n"]);
        // Same length, same inode: only the modification and change times differ.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(projets.join("b.md"), "texte C\n").unwrap();
        let second = load_reusing(dir.path(), Some(&memo)).unwrap();
        assert_eq!(texts(&second), ["texte A\n", "texte C\n"]);
        assert_eq!(texts(&second), texts(&load(dir.path()).unwrap()));
        // Every text read (site.yaml too) is kept for the next load.
        let kept = lock(&memo.previous);
        assert_eq!(kept.len(), 3);
        assert_eq!(&*kept["content/projets/a.md"].1, "texte A\n");
    }

    #[test]
    fn front_matter_is_split_with_line_numbers() {
        let split = split_front_matter("---\ntitre: a\n---\n## Contexte\n").expect("split");
        assert_eq!(split.yaml, "titre: a\n");
        assert_eq!(split.yaml_first_line, 2);
        assert_eq!(split.body, "## Contexte\n");
        assert_eq!(split.body_first_line, 4);
    }

    #[test]
    fn crlf_front_matter_is_accepted() {
        let split = split_front_matter("---\r\ntitre: a\r\n---\r\ncorps\r\n").expect("split");
        assert_eq!(split.yaml, "titre: a\r\n");
        assert_eq!(split.body, "corps\r\n");
    }

    #[test]
    fn missing_or_unclosed_front_matter_is_reported() {
        assert_eq!(split_front_matter("titre: a\n").unwrap_err().0, 1);
        assert!(
            split_front_matter("---\ntitre: a\n")
                .unwrap_err()
                .1
                .contains("jamais fermé")
        );
        assert!(split_front_matter("").is_err());
    }

    #[test]
    fn decoding_removes_the_bom_and_refuses_nul_and_bad_utf8() {
        assert_eq!(decode(b"\xef\xbb\xbf---\n".to_vec()).expect("bom"), "---\n");
        let (line, column, _) = decode(b"---\nab\0\n".to_vec()).unwrap_err();
        assert_eq!((line, column), (2, 3));
        let (line, column, message) = decode(b"---\n\xe9t\xe9\n".to_vec()).unwrap_err();
        assert_eq!((line, column), (2, 1));
        assert!(message.contains("UTF-8"));
    }
}

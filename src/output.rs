//! Write stage: checks the rendered paths, stages the site beside the output folder and swaps it in atomically.
//!
//! The render stage hands each [`OutputFile`] to a [`Staging`] as soon as it is made; this
//! module is the only place that writes the site to disk. The new tree is built in a sibling folder `<output>.amiris-neuf`
//! (same parent, so `rename` is atomic), then swapped with the current output: on Linux in
//! one step (`renameat2` with `RENAME_EXCHANGE`), so that the output folder always holds a
//! complete site, old or new, even if the process is killed; elsewhere, or on a file system
//! without that operation, through `<output>.amiris-ancien` (a crash between the two renames
//! is repaired by the next write). Files whose bytes did not change are hard links of the previous
//! ones (or copies keeping their modification time), so `rsync`, `rclone sync` or an S3 sync
//! transfer only what changed. Symbolic links are never followed.
//!
//! The folder is recognised as amiris's by a marker file beside it, `<output>.amiris`
//! ([`marker_path`]), never inside it: whatever is inside is published with the site, and
//! common hosts serve dot files. The `.amiris` file that earlier versions wrote inside the
//! folder ([`MARKER_NAME`]) is still recognised, and is gone after the next build.

use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;
use walkdir::WalkDir;

/// Name of the marker file that earlier versions wrote inside the output folder: still
/// recognised as proof of ownership, no longer written, and reserved in rendered paths.
pub const MARKER_NAME: &str = ".amiris";

/// Suffix of the marker file written beside the output folder: `output` → `output.amiris`.
pub const MARKER_SUFFIX: &str = ".amiris";

/// Content of the marker file (in French, for whoever opens it).
pub const MARKER_TEXT: &str = "Ce fichier témoin indique que le dossier voisin du même nom (sans « .amiris ») est produit par amiris et sera entièrement remplacé à chaque construction : ne modifiez pas ce dossier à la main. Ne supprimez pas ce fichier : sans lui, amiris refuse de remplacer le dossier.\n";

/// Suffix of the staging folder, a sibling of the output folder.
const STAGING_SUFFIX: &str = ".amiris-neuf";

/// Suffix of the folder holding the previous output during the swap.
const OLD_SUFFIX: &str = ".amiris-ancien";

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated, e.g. `projets/x/index.html`.
    pub path: String,
    /// The file's exact content.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// Builds an output file from a relative path and its content.
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// What a write changed (the marker file is not counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteSummary {
    /// Files that did not exist in the previous output (or were not regular files there).
    pub added: usize,
    /// Files that existed with different bytes.
    pub changed: usize,
    /// Files whose bytes are identical: kept as they were (same inode and modification time).
    pub unchanged: usize,
    /// Entries of the previous output that the new site no longer contains.
    pub removed: usize,
}

/// Errors of the write stage; each message names the path and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A rendered path is not a plain relative `/`-separated path.
    #[error(
        "chemin de fichier invalide « {path} » : {reason} ; le rendu doit produire des chemins relatifs simples séparés par « / » (corrigez le gabarit ou le contenu qui produit ce chemin, ou signalez ce défaut)"
    )]
    InvalidPath {
        /// The offending path, as rendered.
        path: String,
        /// Why it is refused, in French.
        reason: &'static str,
    },
    /// Two rendered files have the same path.
    #[error(
        "le chemin « {path} » est produit deux fois : chaque fichier du site doit avoir un chemin unique (vérifiez que deux projets ou pages n'ont pas le même identifiant)"
    )]
    DuplicatePath {
        /// The duplicated path.
        path: String,
    },
    /// A rendered path is a file and also the folder of another rendered path.
    #[error(
        "le chemin « {path} » serait à la fois un fichier et le dossier de « {child} » : renommez l'un des deux (vérifiez les identifiants des projets et des pages)"
    )]
    FileFolderConflict {
        /// The path rendered as a file.
        path: String,
        /// A path that needs it to be a folder.
        child: String,
    },
    /// A rendered path would overwrite the marker file.
    #[error(
        "le chemin « {path} » est réservé au fichier témoin d'amiris : renommez la page ou le fichier qui le produit"
    )]
    ReservedPath {
        /// The offending path.
        path: String,
    },
    /// The output path has no final name (`/`, `..`).
    #[error(
        "le dossier de sortie « {} » ne désigne pas un dossier nommé : indiquez avec --output un dossier précis, par exemple « output »",
        .dir.display()
    )]
    UnnamedOutput {
        /// The output path, made absolute.
        dir: PathBuf,
    },
    /// The output path is a symbolic link.
    #[error(
        "le dossier de sortie « {} » est un lien symbolique : amiris ne suit pas les liens ; indiquez le dossier réel avec --output",
        .dir.display()
    )]
    OutputIsSymlink {
        /// The output path.
        dir: PathBuf,
    },
    /// The output path exists and is not a folder.
    #[error(
        "« {} » existe et n'est pas un dossier : choisissez un autre dossier de sortie avec --output, ou déplacez ce fichier",
        .dir.display()
    )]
    OutputNotDirectory {
        /// The output path.
        dir: PathBuf,
    },
    /// The output folder is not empty and was not made by amiris.
    #[error(
        "le dossier « {} » n'est pas vide et n'a pas été créé par amiris (fichier témoin « {} » absent à côté de lui) : amiris refuse d'en remplacer le contenu ; choisissez un autre dossier avec --output, ou videz celui-ci si son contenu peut être perdu",
        .dir.display(),
        marker_path(.dir).unwrap_or_default().display()
    )]
    NotAmirisOutput {
        /// The output path.
        dir: PathBuf,
    },
    /// A sibling name amiris needs is taken by something it did not create.
    #[error(
        "« {} » existe mais n'a pas été créé par amiris, qui utilise ce nom pendant la construction : déplacez-le ou supprimez-le, ou choisissez un autre dossier avec --output",
        .path.display()
    )]
    ForeignSibling {
        /// The sibling path.
        path: PathBuf,
    },
    /// A file-system operation failed.
    #[error(
        "impossible de {action} « {} » : {} ; vérifiez les droits d'accès et l'espace disque, puis relancez la construction",
        .path.display(),
        crate::content::io_reason(.source)
    )]
    Io {
        /// What was attempted, in French (an infinitive: « lire », « écrire »…).
        action: &'static str,
        /// The path concerned.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// A rename of the swap failed.
    #[error(
        "impossible de renommer « {} » en « {} » : {} ; le dossier de sortie doit être un dossier ordinaire (pas un point de montage) dont le dossier parent est accessible en écriture ; relancez la construction",
        .from.display(),
        .to.display(),
        crate::content::io_reason(.source)
    )]
    Rename {
        /// The path being renamed.
        from: PathBuf,
        /// Its intended new name.
        to: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// The new site is in place but the previous one could not be deleted.
    #[error(
        "le nouveau site est en place dans « {} », mais l'ancienne version « {} » n'a pas pu être supprimée : {} ; elle le sera à la prochaine construction, ou supprimez-la à la main",
        .output.display(),
        .old.display(),
        crate::content::io_reason(.source)
    )]
    OldNotRemoved {
        /// The output folder (holding the new site).
        output: PathBuf,
        /// The folder holding the previous site.
        old: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
}

/// Shorthand for an [`OutputError::Io`].
fn io_err(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> OutputError {
    let path = path.to_path_buf();
    move |source| OutputError::Io {
        action,
        path,
        source,
    }
}

/// Writes the site into `output_dir`, replacing its previous content atomically: a
/// [`Staging`] given every file at once.
pub fn write_site(output_dir: &Path, files: &[OutputFile]) -> Result<WriteSummary, OutputError> {
    let staging = Staging::begin(output_dir, files.iter().map(|f| f.path.as_str()))?;
    files
        .par_iter()
        .try_for_each(|file| staging.put(&file.path, &file.bytes))?;
    staging.finish()
}

/// A new site being written beside the output folder, file by file as the render stage
/// produces them (in parallel): memory holds the paths, never the site.
///
/// [`Staging::begin`] checks every path first (nothing is written if one is invalid),
/// refuses an `output_dir` that is a symbolic link, a file, or a non-empty folder without its
/// marker file ([`marker_path`]), writes that marker, then creates `<output_dir>.amiris-neuf`
/// with every folder.
/// [`Staging::put`] stages one file: a hard link of the previous one when its bytes are
/// identical (same inode and modification time), a fresh file otherwise.
/// [`Staging::finish`] swaps the new site in. Dropped unfinished (an error anywhere), the
/// staging folder is removed and the previous output is left untouched. Missing parent
/// folders of `output_dir` are created.
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    output_exists: bool,
    previous: HashMap<PathBuf, Previous>,
    /// Every path declared to [`Staging::begin`].
    declared: HashSet<String>,
    added: AtomicUsize,
    changed: AtomicUsize,
    unchanged: AtomicUsize,
    /// Size and modification time of every staged file, by path (for the fingerprints of
    /// the next build, see [`crate::fingerprints`]).
    stamps: std::sync::Mutex<HashMap<String, Stamp>>,
    finished: bool,
}

/// Size and modification time of a file: what tells, without reading it, that a file is
/// still the one a build wrote.
pub type Stamp = (u64, Option<SystemTime>);

impl Staging {
    /// Prepares the staging folder for a site made of exactly the files at `paths`.
    pub fn begin<'p>(
        output_dir: &Path,
        paths: impl IntoIterator<Item = &'p str>,
    ) -> Result<Staging, OutputError> {
        let mut sorted: Vec<&str> = paths.into_iter().collect();
        sorted.par_sort_unstable();
        check_paths(&sorted)?;

        // Rebuilt from its components: no trailing slash, which would make the system follow
        // a symbolic link named by the output path.
        let output: PathBuf = std::path::absolute(output_dir)
            .map_err(io_err("résoudre", output_dir))?
            .components()
            .collect();
        let Some(name) = output.file_name().map(|n| n.to_os_string()) else {
            return Err(OutputError::UnnamedOutput { dir: output });
        };
        let staging = output.with_file_name(suffixed(&name, STAGING_SUFFIX));
        let old = output.with_file_name(suffixed(&name, OLD_SUFFIX));
        let marker = output.with_file_name(suffixed(&name, MARKER_SUFFIX));

        if let Some(parent) = output.parent() {
            fs::create_dir_all(parent).map_err(io_err("créer le dossier", parent))?;
        }

        let output_exists = inspect_output(&output, &old, &marker)?;
        remove_leftover(&staging, &marker)?;
        if output_exists {
            remove_leftover(&old, &marker)?;
        }
        place_marker(&marker)?;

        let previous = if output_exists {
            scan_previous(&output)?
        } else {
            HashMap::new()
        };

        fs::create_dir(&staging).map_err(io_err("créer le dossier", &staging))?;
        let begun = Staging {
            output,
            staging,
            old,
            output_exists,
            previous,
            declared: sorted.iter().map(|p| p.to_string()).collect(),
            added: AtomicUsize::new(0),
            changed: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            stamps: Default::default(),
            finished: false,
        };
        // From here on, dropping `begun` on an error removes the staging folder.
        let mut folders = BTreeSet::new();
        for path in &sorted {
            for (i, _) in path.match_indices('/') {
                folders.insert(&path[..i]);
            }
        }
        // A folder's path is a prefix of its children's, so it sorts (and is created) first.
        for folder in folders {
            let path = begun.staging.join(folder);
            fs::create_dir(&path).map_err(io_err("créer le dossier", &path))?;
        }
        Ok(begun)
    }

    /// Stages the file at `path` (one of the declared paths) with `bytes`.
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<(), OutputError> {
        if !self.declared.contains(path) {
            return Err(OutputError::InvalidPath {
                path: path.to_string(),
                reason: "ce fichier n'était pas prévu par le plan du site (erreur interne)",
            });
        }
        let (status, stamp) = self.stage_file(path, bytes)?;
        self.count(path, status, stamp);
        Ok(())
    }

    /// Stages the previous output's file at `path` (a declared path) as it is, without
    /// reading it, when it is still the regular file of size and modification time `stamp`
    /// (a hard link, as for unchanged bytes); false when it is not (the caller then renders
    /// and [`Staging::put`]s it).
    pub fn keep(&self, path: &str, stamp: Stamp) -> Result<bool, OutputError> {
        if !self.declared.contains(path) {
            return Ok(false);
        }
        let Some(&Previous::File { len, modified }) = self.previous.get(Path::new(path)) else {
            return Ok(false);
        };
        if (len, modified) != stamp || modified.is_none() {
            return Ok(false);
        }
        if fs::hard_link(self.output.join(path), self.staging.join(path)).is_err() {
            return Ok(false);
        }
        self.count(path, Status::Unchanged, stamp);
        Ok(true)
    }

    /// The size and modification time of the previous output's regular file at `path`.
    pub fn previous_stamp(&self, path: &str) -> Option<Stamp> {
        match self.previous.get(Path::new(path)) {
            Some(&Previous::File { len, modified }) => Some((len, modified)),
            _ => None,
        }
    }

    /// The size and modification time of every file staged so far, by path.
    pub fn stamps(&self) -> HashMap<String, Stamp> {
        self.stamps
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn count(&self, path: &str, status: Status, stamp: Stamp) {
        let counter = match status {
            Status::Added => &self.added,
            Status::Changed => &self.changed,
            Status::Unchanged => &self.unchanged,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        self.stamps
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_string(), stamp);
    }

    /// The output folder being replaced (absolute).
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// Swaps the staged site in; every declared file must have been put.
    pub fn finish(mut self) -> Result<WriteSummary, OutputError> {
        let summary = WriteSummary {
            added: self.added.load(Ordering::Relaxed),
            changed: self.changed.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            removed: self
                .previous
                .keys()
                .filter(|p| {
                    p.as_path() != Path::new(MARKER_NAME)
                        && p.to_str().is_none_or(|p| !self.declared.contains(p))
                })
                .count(),
        };
        let staged = summary.added + summary.changed + summary.unchanged;
        if staged != self.declared.len() {
            return Err(OutputError::InvalidPath {
                path: self.staging.display().to_string(),
                reason: "des fichiers prévus par le plan du site n'ont pas été produits (erreur interne)",
            });
        }
        self.finished = true;
        swap(&self.output, &self.staging, &self.old, self.output_exists)?;
        Ok(summary)
    }

    /// Stages one file: a hard link (or a copy keeping the modification time) of the
    /// previous file if its bytes are identical, a fresh file otherwise.
    fn stage_file(&self, rel: &str, bytes: &[u8]) -> Result<(Status, Stamp), OutputError> {
        let dest = self.staging.join(rel);
        let fresh = |status| -> Result<(Status, Stamp), OutputError> {
            let file = write_fresh(&dest, bytes)?;
            let modified = file.metadata().ok().and_then(|m| m.modified().ok());
            Ok((status, (bytes.len() as u64, modified)))
        };
        match self.previous.get(Path::new(rel)) {
            Some(&Previous::File { len, modified }) => {
                let src = self.output.join(rel);
                // An unreadable previous file is simply rewritten.
                let same = len == bytes.len() as u64 && same_bytes(&src, bytes);
                if same {
                    stage_unchanged(&src, &dest, bytes, modified, true)?;
                    Ok((Status::Unchanged, (len, modified)))
                } else {
                    fresh(Status::Changed)
                }
            }
            Some(Previous::Other) | None => fresh(Status::Added),
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            // Best effort: a leftover staging folder is removed by the next write anyway.
            let _ = remove_tree(&self.staging);
        }
    }
}

/// Whether the file at `path` holds exactly `bytes` (false when it cannot be read).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let mut old = Vec::with_capacity(bytes.len() + 1);
    // One byte more than expected reveals a file that grew since it was listed.
    match Read::take(&mut file, bytes.len() as u64 + 1).read_to_end(&mut old) {
        Ok(_) => old == bytes,
        Err(_) => false,
    }
}

/// `name` followed by `suffix`.
fn suffixed(name: &OsString, suffix: &str) -> OsString {
    let mut s = name.clone();
    s.push(suffix);
    s
}

/// Checks every rendered path (already sorted): plain relative path, unique, not reserved,
/// never both a file and a folder.
fn check_paths(sorted: &[&str]) -> Result<(), OutputError> {
    for path in sorted {
        check_path(path)?;
    }
    for pair in sorted.windows(2) {
        if pair[0] == pair[1] {
            return Err(OutputError::DuplicatePath {
                path: pair[0].to_string(),
            });
        }
    }
    let all: HashSet<&str> = sorted.iter().copied().collect();
    for path in sorted {
        for (i, _) in path.match_indices('/') {
            let folder = &path[..i];
            if all.contains(folder) {
                return Err(OutputError::FileFolderConflict {
                    path: folder.to_string(),
                    child: path.to_string(),
                });
            }
        }
    }
    Ok(())
}

/// Checks one rendered path.
fn check_path(path: &str) -> Result<(), OutputError> {
    let invalid = |reason| {
        Err(OutputError::InvalidPath {
            path: path.to_string(),
            reason,
        })
    };
    if path.is_empty() {
        return invalid("le chemin est vide");
    }
    if path.starts_with('/') {
        return invalid("le chemin est absolu");
    }
    if path.contains('\\') {
        return invalid("le chemin contient une barre oblique inverse « \\ »");
    }
    if path.contains('\0') {
        return invalid("le chemin contient un caractère nul");
    }
    for part in path.split('/') {
        match part {
            "" => return invalid("le chemin contient un élément vide (« // » ou « / » final)"),
            "." => return invalid("le chemin contient un élément « . »"),
            ".." => return invalid("le chemin remonte hors du dossier de sortie (« .. »)"),
            _ => {}
        }
    }
    if path == MARKER_NAME {
        return Err(OutputError::ReservedPath {
            path: path.to_string(),
        });
    }
    Ok(())
}

/// The marker file of the output folder `output`: `<output>.amiris` beside it (`None` for
/// a path without a final name, such as `/`).
pub fn marker_path(output: &Path) -> Option<PathBuf> {
    // Rebuilt from its components: `site/` and `site/.` name the folder `site`.
    let output: PathBuf = output.components().collect();
    let name = output.file_name()?.to_os_string();
    Some(output.with_file_name(suffixed(&name, MARKER_SUFFIX)))
}

/// Whether `path` is a regular file (a symbolic link is not followed).
fn is_regular_file(path: &Path) -> Result<bool, OutputError> {
    match fs::symlink_metadata(path) {
        Ok(meta) => Ok(meta.is_file()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_err("lire", path)(e)),
    }
}

/// Whether `dir` is a real folder that amiris built: its marker file is beside it, or the
/// marker of earlier versions is inside it. Any error reads as "no".
pub fn is_amiris_output(dir: &Path) -> bool {
    fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        && (marker_path(dir).is_some_and(|m| is_regular_file(&m).unwrap_or(false))
            || is_regular_file(&dir.join(MARKER_NAME)).unwrap_or(false))
}

/// Whether `dir` (the output folder or one of its working siblings `.amiris-neuf` and
/// `.amiris-ancien`) may be replaced: the output's `marker` exists (amiris owns the output
/// and the working names beside it), `dir` holds the marker of earlier versions, or `dir` is
/// empty.
fn is_ours(dir: &Path, marker: &Path) -> Result<bool, OutputError> {
    if is_regular_file(marker)? || is_regular_file(&dir.join(MARKER_NAME))? {
        return Ok(true);
    }
    let mut entries = fs::read_dir(dir).map_err(io_err("lire le dossier", dir))?;
    Ok(entries.next().is_none())
}

/// Writes the marker file beside the output folder, unless it is already there.
fn place_marker(marker: &Path) -> Result<(), OutputError> {
    match fs::symlink_metadata(marker) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(_) => Err(OutputError::ForeignSibling {
            path: marker.to_path_buf(),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            write_fresh(marker, MARKER_TEXT.as_bytes()).map(|_| ())
        }
        Err(e) => Err(io_err("lire", marker)(e)),
    }
}

/// Checks the output folder, restoring it from `old` after an interrupted swap.
/// Returns whether the output folder exists (and may be replaced).
fn inspect_output(output: &Path, old: &Path, marker: &Path) -> Result<bool, OutputError> {
    let meta = match fs::symlink_metadata(output) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // Crash between the two renames of a swap: put the previous site back.
            match fs::symlink_metadata(old) {
                Ok(old_meta) if old_meta.is_dir() && is_ours(old, marker)? => {
                    fs::rename(old, output).map_err(|source| OutputError::Rename {
                        from: old.to_path_buf(),
                        to: output.to_path_buf(),
                        source,
                    })?;
                    fs::symlink_metadata(output).map_err(io_err("lire", output))?
                }
                Ok(_) => {
                    return Err(OutputError::ForeignSibling {
                        path: old.to_path_buf(),
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
                Err(e) => return Err(io_err("lire", old)(e)),
            }
        }
        Err(e) => return Err(io_err("lire", output)(e)),
    };
    if meta.file_type().is_symlink() {
        return Err(OutputError::OutputIsSymlink {
            dir: output.to_path_buf(),
        });
    }
    if !meta.is_dir() {
        return Err(OutputError::OutputNotDirectory {
            dir: output.to_path_buf(),
        });
    }
    if !is_ours(output, marker)? {
        return Err(OutputError::NotAmirisOutput {
            dir: output.to_path_buf(),
        });
    }
    Ok(true)
}

/// Removes a leftover sibling folder of a previous write, if it is one amiris made.
fn remove_leftover(path: &Path, marker: &Path) -> Result<(), OutputError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() && is_ours(path, marker)? => {
            remove_tree(path).map_err(io_err("supprimer", path))
        }
        Ok(_) => Err(OutputError::ForeignSibling {
            path: path.to_path_buf(),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err("lire", path)(e)),
    }
}

/// Deletes a folder amiris made (an earlier version's marker file inside it last, so that an
/// interrupted deletion still leaves a folder recognised as amiris's). Symbolic links inside
/// are removed, not followed.
fn remove_tree(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER_NAME {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(&path)?;
        } else {
            fs::remove_file(&path)?;
        }
    }
    match fs::remove_file(dir.join(MARKER_NAME)) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    fs::remove_dir(dir)
}

/// What the previous output held at one relative path.
#[derive(Debug, Clone, Copy)]
enum Previous {
    /// A regular file, reached without crossing any symbolic link.
    File {
        /// Its size in bytes.
        len: u64,
        /// Its modification time, if the platform gives one.
        modified: Option<SystemTime>,
    },
    /// Anything else but a folder (symbolic link, socket…): never read nor linked.
    Other,
}

/// Lists the previous output without following symbolic links.
fn scan_previous(output: &Path) -> Result<HashMap<PathBuf, Previous>, OutputError> {
    let mut previous = HashMap::new();
    let walker = WalkDir::new(output)
        .follow_links(false)
        .follow_root_links(false)
        .min_depth(1);
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(output).to_path_buf();
            OutputError::Io {
                action: "lire",
                path,
                source: e.into(),
            }
        })?;
        let file_type = entry.file_type();
        if file_type.is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(output) else {
            continue;
        };
        let kind = if file_type.is_file() {
            let meta = entry.metadata().map_err(|e| OutputError::Io {
                action: "lire",
                path: entry.path().to_path_buf(),
                source: e.into(),
            })?;
            Previous::File {
                len: meta.len(),
                modified: meta.modified().ok(),
            }
        } else {
            Previous::Other
        };
        previous.insert(rel.to_path_buf(), kind);
    }
    Ok(previous)
}

/// How one file compares with the previous output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// Not in the previous output (or not as a regular file).
    Added,
    /// In the previous output with other bytes.
    Changed,
    /// Identical bytes: linked or copied with its modification time.
    Unchanged,
}

/// Stages an unchanged file: hard link of `src` if `try_link` and the file system allows it,
/// otherwise a copy of `bytes` given the modification time `modified`.
fn stage_unchanged(
    src: &Path,
    dest: &Path,
    bytes: &[u8],
    modified: Option<SystemTime>,
    try_link: bool,
) -> Result<(), OutputError> {
    if try_link && fs::hard_link(src, dest).is_ok() {
        return Ok(());
    }
    let file = write_fresh(dest, bytes)?;
    if let Some(time) = modified {
        file.set_modified(time)
            .map_err(io_err("dater (date de modification)", dest))?;
    }
    Ok(())
}

/// Creates `dest` (which must not exist: a link there is never followed) with `bytes`.
fn write_fresh(dest: &Path, bytes: &[u8]) -> Result<fs::File, OutputError> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dest)
        .map_err(io_err("créer le fichier", dest))?;
    file.write_all(bytes).map_err(io_err("écrire", dest))?;
    Ok(file)
}

/// Exchanges the names of two folders in one atomic step; `Ok(false)` when the system or the
/// file system cannot (the caller then renames twice).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both arguments are valid NUL-terminated paths that outlive the call; the raw
    // system call avoids depending on the C library's version for its `renameat2` wrapper.
    let result = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if result == 0 {
        return Ok(true);
    }
    let error = io::Error::last_os_error();
    match error.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(error),
    }
}

/// Exchanges the names of two folders in one atomic step: not available here.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Swaps the staged site in and deletes the previous one: in one atomic exchange where the
/// system allows it, otherwise output → old, staging → output, then old deleted.
fn swap(output: &Path, staging: &Path, old: &Path, output_exists: bool) -> Result<(), OutputError> {
    let rename = |from: &Path, to: &Path| {
        fs::rename(from, to).map_err(|source| OutputError::Rename {
            from: from.to_path_buf(),
            to: to.to_path_buf(),
            source,
        })
    };
    if !output_exists {
        return rename(staging, output).inspect_err(|_| {
            let _ = remove_tree(staging);
        });
    }
    match exchange(staging, output) {
        // The staging name now holds the previous site: if its deletion is interrupted, the
        // next write removes it as a leftover (the marker beside the output vouches for it).
        Ok(true) => {
            return remove_tree(staging).map_err(|source| OutputError::OldNotRemoved {
                output: output.to_path_buf(),
                old: staging.to_path_buf(),
                source,
            });
        }
        Ok(false) => {}
        Err(source) => {
            let _ = remove_tree(staging);
            return Err(OutputError::Rename {
                from: staging.to_path_buf(),
                to: output.to_path_buf(),
                source,
            });
        }
    }
    if let Err(err) = rename(output, old) {
        let _ = remove_tree(staging);
        return Err(err);
    }
    if let Err(err) = rename(staging, output) {
        // Put the previous site back; if even that fails, the next write restores it.
        if fs::rename(old, output).is_ok() {
            let _ = remove_tree(staging);
        }
        return Err(err);
    }
    remove_tree(old).map_err(|source| OutputError::OldNotRemoved {
        output: output.to_path_buf(),
        old: old.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::os::unix::fs::MetadataExt;

    /// Every entry under `dir` (links not followed): path → (kind, bytes or link target).
    fn snapshot(dir: &Path) -> BTreeMap<String, (String, Vec<u8>, u64)> {
        let mut map = BTreeMap::new();
        for entry in WalkDir::new(dir)
            .follow_links(false)
            .follow_root_links(false)
            .min_depth(1)
        {
            let entry = entry.expect("walk");
            let rel = entry
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .into_owned();
            let meta = fs::symlink_metadata(entry.path()).expect("meta");
            let (kind, content) = if meta.file_type().is_symlink() {
                let target = fs::read_link(entry.path()).expect("link");
                ("lien", target.to_string_lossy().as_bytes().to_vec())
            } else if meta.is_dir() {
                ("dossier", Vec::new())
            } else {
                ("fichier", fs::read(entry.path()).expect("read"))
            };
            map.insert(rel, (kind.to_string(), content, meta.ino()));
        }
        map
    }

    fn files(list: &[(&str, &str)]) -> Vec<OutputFile> {
        list.iter().map(|(p, b)| OutputFile::new(*p, *b)).collect()
    }

    fn siblings(output: &Path) -> (PathBuf, PathBuf) {
        let name = output.file_name().expect("name").to_os_string();
        (
            output.with_file_name(suffixed(&name, STAGING_SUFFIX)),
            output.with_file_name(suffixed(&name, OLD_SUFFIX)),
        )
    }

    fn assert_no_siblings(output: &Path) {
        let (staging, old) = siblings(output);
        assert!(fs::symlink_metadata(&staging).is_err(), "staging left over");
        assert!(fs::symlink_metadata(&old).is_err(), "old left over");
    }

    fn base() -> Vec<OutputFile> {
        files(&[
            ("index.html", "<p>accueil</p>"),
            ("projets/a/index.html", "<p>a</p>"),
            ("projets/b/index.html", "<p>b</p>"),
        ])
    }

    #[test]
    fn first_write_creates_files_and_marker_beside_them() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        let summary = write_site(&out, &base()).expect("write");
        assert_eq!(
            summary,
            WriteSummary {
                added: 3,
                changed: 0,
                unchanged: 0,
                removed: 0
            }
        );
        assert_eq!(
            fs::read(out.join("projets/b/index.html")).expect("b"),
            b"<p>b</p>"
        );
        assert_eq!(
            fs::read_to_string(tmp.path().join("site.amiris")).expect("marker"),
            MARKER_TEXT
        );
        // Nothing but the site inside: the marker is never published with it.
        assert_eq!(snapshot(&out).len(), 6); // 3 files, projets, projets/a, projets/b
        assert!(fs::symlink_metadata(out.join(MARKER_NAME)).is_err());
        assert_no_siblings(&out);
    }

    #[test]
    fn missing_parents_are_created_and_empty_folder_accepted() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("x/y/site");
        write_site(&out, &base()).expect("write");
        assert!(out.join("index.html").is_file());

        let empty = tmp.path().join("vide");
        fs::create_dir(&empty).expect("mkdir");
        let summary = write_site(&empty, &base()).expect("write into empty");
        assert_eq!(summary.added, 3);
        assert!(tmp.path().join("vide.amiris").is_file());
        assert!(!empty.join(MARKER_NAME).exists());
        assert_no_siblings(&empty);
    }

    #[test]
    fn identical_rewrite_keeps_inodes_and_mtimes() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        write_site(&out, &base()).expect("first");
        let before: Vec<(u64, SystemTime)> = base()
            .iter()
            .map(|f| {
                let m = fs::metadata(out.join(&f.path)).expect("meta");
                (m.ino(), m.modified().expect("mtime"))
            })
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(20));

        let summary = write_site(&out, &base()).expect("second");
        assert_eq!(
            summary,
            WriteSummary {
                added: 0,
                changed: 0,
                unchanged: 3,
                removed: 0
            }
        );
        let after: Vec<(u64, SystemTime)> = base()
            .iter()
            .map(|f| {
                let m = fs::metadata(out.join(&f.path)).expect("meta");
                (m.ino(), m.modified().expect("mtime"))
            })
            .collect();
        assert_eq!(before, after);
        assert_no_siblings(&out);
    }

    #[test]
    fn changed_file_is_rewritten_others_kept() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        write_site(&out, &base()).expect("first");
        let ino_a = fs::metadata(out.join("projets/a/index.html"))
            .expect("a")
            .ino();
        let ino_b = fs::metadata(out.join("projets/b/index.html"))
            .expect("b")
            .ino();

        let mut next = base();
        next[2].bytes = b"<p>b v2</p>".to_vec();
        let summary = write_site(&out, &next).expect("second");
        assert_eq!(
            summary,
            WriteSummary {
                added: 0,
                changed: 1,
                unchanged: 2,
                removed: 0
            }
        );
        assert_eq!(
            fs::read(out.join("projets/b/index.html")).expect("b"),
            b"<p>b v2</p>"
        );
        let new_b = fs::metadata(out.join("projets/b/index.html")).expect("b");
        assert_ne!(new_b.ino(), ino_b);
        assert_eq!(new_b.nlink(), 1);
        assert_eq!(
            fs::metadata(out.join("projets/a/index.html"))
                .expect("a")
                .ino(),
            ino_a
        );
        // The old tree is gone: the kept file has a single link again.
        assert_eq!(
            fs::metadata(out.join("projets/a/index.html"))
                .expect("a")
                .nlink(),
            1
        );
    }

    #[test]
    fn same_length_different_bytes_is_changed() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        write_site(&out, &files(&[("a.txt", "abc")])).expect("first");
        let summary = write_site(&out, &files(&[("a.txt", "abd")])).expect("second");
        assert_eq!(summary.changed, 1);
        assert_eq!(fs::read(out.join("a.txt")).expect("a"), b"abd");
    }

    #[test]
    fn dropped_file_is_removed_with_its_folder() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        write_site(&out, &base()).expect("first");
        let mut next = base();
        next.remove(1);
        next.push(OutputFile::new("nouveau.html", "n"));
        let summary = write_site(&out, &next).expect("second");
        assert_eq!(
            summary,
            WriteSummary {
                added: 1,
                changed: 0,
                unchanged: 2,
                removed: 1
            }
        );
        assert!(!out.join("projets/a").exists());
        assert!(out.join("nouveau.html").is_file());
    }

    #[test]
    fn folder_of_an_earlier_version_is_taken_over_and_its_inner_marker_dropped() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        fs::create_dir_all(out.join("projets")).expect("mkdir");
        fs::write(out.join(MARKER_NAME), "ancien témoin").expect("marker");
        fs::write(out.join("projets/vieux.html"), "v").expect("old page");
        assert!(is_amiris_output(&out));
        let summary = write_site(&out, &base()).expect("write");
        assert_eq!(summary.added, 3);
        assert_eq!(summary.removed, 1); // the old page; the old marker is not counted
        assert!(fs::symlink_metadata(out.join(MARKER_NAME)).is_err());
        assert!(tmp.path().join("site.amiris").is_file());
        assert!(is_amiris_output(&out));
        assert!(is_amiris_output(&tmp.path().join("site/")));
        assert_no_siblings(&out);
    }

    #[test]
    fn without_its_marker_the_folder_is_no_longer_replaced() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        write_site(&out, &base()).expect("first");
        fs::remove_file(tmp.path().join("site.amiris")).expect("rm marker");
        assert!(!is_amiris_output(&out));
        let before = snapshot(&out);
        let err = write_site(&out, &base()).expect_err("must refuse");
        assert!(matches!(err, OutputError::NotAmirisOutput { .. }), "{err}");
        assert!(err.to_string().contains("site.amiris"), "{err}");
        assert_eq!(snapshot(&out), before);

        // A marker name taken by a folder or a link is not amiris's: refused, kept.
        fs::create_dir(tmp.path().join("autre.amiris")).expect("mkdir");
        let err = write_site(&tmp.path().join("autre"), &base()).expect_err("taken");
        assert!(matches!(err, OutputError::ForeignSibling { .. }), "{err}");
        assert!(!tmp.path().join("autre").exists());
    }

    #[test]
    fn refuses_non_empty_folder_without_marker() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("documents");
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("notes.txt"), "précieux").expect("write");
        let before = snapshot(&out);
        let err = write_site(&out, &base()).expect_err("must refuse");
        assert!(matches!(err, OutputError::NotAmirisOutput { .. }), "{err}");
        assert!(err.to_string().contains("documents"));
        assert_eq!(snapshot(&out), before);
        assert_no_siblings(&out);
    }

    #[test]
    fn refuses_bad_paths_writing_nothing() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        write_site(&out, &base()).expect("first");
        let before = snapshot(&out);
        let bad = [
            "../x", "/etc/x", "a//b", "", "a/", "./a", "a/../b", "a\\b", "a\0b", ".amiris",
        ];
        for path in bad {
            let mut list = base();
            list.push(OutputFile::new(path, "x"));
            let err = write_site(&out, &list).expect_err(path);
            assert!(
                matches!(
                    err,
                    OutputError::InvalidPath { .. } | OutputError::ReservedPath { .. }
                ),
                "{path:?}: {err}"
            );
            assert_eq!(snapshot(&out), before, "{path:?}");
            assert_no_siblings(&out);
        }
        let mut dup = base();
        dup.push(OutputFile::new("index.html", "autre"));
        let err = write_site(&out, &dup).expect_err("duplicate");
        assert!(matches!(err, OutputError::DuplicatePath { ref path } if path == "index.html"));
        assert_eq!(snapshot(&out), before);

        // Nothing is created either when the output does not exist yet.
        let fresh = tmp.path().join("neuf");
        assert!(write_site(&fresh, &files(&[("../evade", "x")])).is_err());
        assert!(!fresh.exists());
        assert!(!tmp.path().join("evade").exists());
    }

    #[test]
    fn file_folder_conflict_is_refused_and_output_kept() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        write_site(&out, &base()).expect("first");
        let before = snapshot(&out);
        let err = write_site(&out, &files(&[("a", "1"), ("a/b", "2")])).expect_err("conflict");
        assert!(
            matches!(err, OutputError::FileFolderConflict { .. }),
            "{err}"
        );
        assert_eq!(snapshot(&out), before);
        assert_no_siblings(&out);
    }

    #[test]
    fn failure_mid_staging_leaves_previous_output_identical() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        write_site(&out, &base()).expect("first");
        let before = snapshot(&out);
        // Valid path, but a name longer than any file system allows: fails while staging,
        // after other files (sorted before it) were already staged.
        let mut list = base();
        list.push(OutputFile::new(format!("z/{}", "n".repeat(300)), "x"));
        let err = write_site(&out, &list).expect_err("name too long");
        assert!(matches!(err, OutputError::Io { .. }), "{err}");
        assert_eq!(snapshot(&out), before);
        assert_no_siblings(&out);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn exchange_swaps_two_folders() {
        let tmp = tempfile::tempdir().expect("tmp");
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        fs::create_dir(&a).expect("mkdir");
        fs::create_dir(&b).expect("mkdir");
        fs::write(a.join("x"), "a").expect("write");
        fs::write(b.join("x"), "b").expect("write");
        // tmpfs and ext4 support the exchange; the test runs where the build does.
        assert!(exchange(&a, &b).expect("exchange"));
        assert_eq!(fs::read_to_string(a.join("x")).expect("read"), "b");
        assert_eq!(fs::read_to_string(b.join("x")).expect("read"), "a");
        assert!(exchange(&a, &tmp.path().join("absent")).is_err());
    }

    /// Between the two renames of a non-atomic swap the output folder does not exist for a
    /// few microseconds: a watcher checking it in a loop during hundreds of writes sees it.
    #[cfg(target_os = "linux")]
    #[test]
    fn the_output_folder_never_disappears_during_a_swap() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        write_site(&out, &base()).expect("first");
        let stop = Arc::new(AtomicBool::new(false));
        let missing = Arc::new(AtomicUsize::new(0));
        let checks = Arc::new(AtomicUsize::new(0));
        let watcher = {
            let (out, stop, missing, checks) = (
                out.clone(),
                Arc::clone(&stop),
                Arc::clone(&missing),
                Arc::clone(&checks),
            );
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if fs::symlink_metadata(out.join("index.html")).is_err() {
                        missing.fetch_add(1, Ordering::Relaxed);
                    }
                    checks.fetch_add(1, Ordering::Relaxed);
                }
            })
        };
        for i in 0..300 {
            let mut files = base();
            files.push(OutputFile::new("change.html", i.to_string()));
            write_site(&out, &files).expect("write");
        }
        stop.store(true, Ordering::Relaxed);
        watcher.join().expect("watcher");
        assert!(checks.load(Ordering::Relaxed) > 300);
        assert_eq!(missing.load(Ordering::Relaxed), 0, "the output was missing");
        assert_eq!(fs::read(out.join("change.html")).expect("read"), b"299");
        assert_no_siblings(&out);
    }

    #[test]
    fn recovers_from_crash_between_renames() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        write_site(&out, &base()).expect("first");
        let (_, old) = siblings(&out);
        fs::rename(&out, &old).expect("simulate crash");
        let summary = write_site(&out, &base()).expect("recover");
        assert_eq!(summary.unchanged, 3);
        assert_eq!(summary.added, 0);
        assert!(out.join("index.html").is_file());
        assert_no_siblings(&out);
    }

    #[test]
    fn leftover_siblings_are_cleaned() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        write_site(&out, &base()).expect("first");
        let (staging, old) = siblings(&out);
        for dir in [&staging, &old] {
            fs::create_dir_all(dir.join("projets")).expect("mkdir");
            fs::write(dir.join("projets/vieux.html"), "v").expect("junk");
        }
        write_site(&out, &base()).expect("second");
        assert_no_siblings(&out);
    }

    /// The working names beside a folder amiris does not own (no marker) are not its own.
    #[test]
    fn foreign_sibling_is_refused() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        let (staging, old) = siblings(&out);
        for sibling in [&staging, &old] {
            fs::create_dir(sibling).expect("mkdir");
            fs::write(sibling.join("à moi.txt"), "x").expect("write");
            let err = write_site(&out, &base()).expect_err("foreign");
            assert!(matches!(err, OutputError::ForeignSibling { .. }), "{err}");
            assert!(sibling.join("à moi.txt").is_file());
            assert!(!out.exists());
            assert!(!tmp.path().join("site.amiris").exists());
            fs::remove_dir_all(sibling).expect("rm");
        }
    }

    #[test]
    fn refuses_symlink_or_file_as_output() {
        let tmp = tempfile::tempdir().expect("tmp");
        let target = tmp.path().join("cible");
        fs::create_dir(&target).expect("mkdir");
        let link = tmp.path().join("site");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        let err = write_site(&link, &base()).expect_err("symlink");
        assert!(matches!(err, OutputError::OutputIsSymlink { .. }), "{err}");
        assert!(snapshot(&target).is_empty());
        assert_no_siblings(&link);
        let err = write_site(&tmp.path().join("site/"), &base()).expect_err("symlink/");
        assert!(matches!(err, OutputError::OutputIsSymlink { .. }), "{err}");
        assert!(snapshot(&target).is_empty());
        assert_no_siblings(&link);

        let file = tmp.path().join("fichier");
        fs::write(&file, "x").expect("write");
        let err = write_site(&file, &base()).expect_err("file");
        assert!(
            matches!(err, OutputError::OutputNotDirectory { .. }),
            "{err}"
        );
        assert_eq!(fs::read(&file).expect("read"), b"x");
    }

    #[test]
    fn symlinks_in_previous_output_are_not_followed() {
        let tmp = tempfile::tempdir().expect("tmp");
        let outside = tmp.path().join("dehors");
        fs::create_dir(&outside).expect("mkdir");
        fs::write(outside.join("index.html"), "<p>a</p>").expect("write");
        fs::write(outside.join("secret.html"), "<p>accueil</p>").expect("write");
        let outside_before = snapshot(&outside);

        let out = tmp.path().join("site");
        write_site(&out, &base()).expect("first");
        // A linked folder and a linked file, with the same bytes as what is rendered next.
        fs::remove_dir_all(out.join("projets/a")).expect("rm");
        std::os::unix::fs::symlink(&outside, out.join("projets/a")).expect("dir link");
        fs::remove_file(out.join("index.html")).expect("rm");
        std::os::unix::fs::symlink(outside.join("secret.html"), out.join("index.html"))
            .expect("file link");

        let summary = write_site(&out, &base()).expect("second");
        assert_eq!(
            summary,
            WriteSummary {
                added: 2,
                changed: 0,
                unchanged: 1,
                removed: 1 // the link `projets/a` itself
            }
        );
        for path in ["index.html", "projets/a/index.html"] {
            let meta = fs::symlink_metadata(out.join(path)).expect("meta");
            assert!(meta.is_file(), "{path} must be a regular file");
            assert_eq!(meta.nlink(), 1, "{path} must not be linked outside");
        }
        assert_eq!(snapshot(&outside), outside_before);
        assert_no_siblings(&out);
    }

    #[test]
    fn copy_fallback_keeps_modification_time() {
        let tmp = tempfile::tempdir().expect("tmp");
        let src = tmp.path().join("src.txt");
        fs::write(&src, "pareil").expect("write");
        let old_time = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        fs::File::options()
            .write(true)
            .open(&src)
            .expect("open")
            .set_modified(old_time)
            .expect("set");
        let dest = tmp.path().join("dest.txt");
        stage_unchanged(&src, &dest, b"pareil", Some(old_time), false).expect("copy");
        let meta = fs::metadata(&dest).expect("meta");
        assert_eq!(meta.modified().expect("mtime"), old_time);
        assert_ne!(meta.ino(), fs::metadata(&src).expect("src").ino());
        assert_eq!(fs::read(&dest).expect("read"), b"pareil");
    }

    #[test]
    fn unnamed_output_is_refused() {
        let err = write_site(Path::new("/"), &base()).expect_err("root");
        assert!(matches!(err, OutputError::UnnamedOutput { .. }), "{err}");
    }

    #[test]
    fn removed_counts_ignore_marker_and_include_stray_entries() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("site");
        write_site(&out, &base()).expect("first");
        fs::write(out.join("ajout-manuel.txt"), "x").expect("write");
        std::os::unix::fs::symlink("/nulle-part", out.join("lien")).expect("link");
        let summary = write_site(&out, &base()).expect("second");
        assert_eq!(summary.removed, 2);
        assert_eq!(summary.unchanged, 3);
        assert!(fs::symlink_metadata(out.join("lien")).is_err());
    }
}

//! The site served from memory: the last good build, its rebuilds (template pages whose inputs did
//! not change are not rendered again) and the diagnostics shown over the pages while the content is invalid.

use crate::build::{self, BuildError, Published, Stage};
use crate::diagnostic::Diagnostic;
use crate::index::Index;
use crate::model::Project;
use crate::output::OutputFile;
use crate::render::{PageHashes, Prepared, RenderError, RenderInput};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// One problem shown in the browser overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// File relative to the site root, when known.
    pub file: Option<String>,
    /// Line and column, when known.
    pub position: Option<(usize, usize)>,
    /// What is wrong, in French.
    pub message: String,
}

impl Problem {
    /// A problem without a place (theme, I/O).
    fn general(message: String) -> Problem {
        Problem {
            file: None,
            position: None,
            message,
        }
    }

    /// Whether the problem is in a project file (which leaves only that project out).
    pub fn is_in_a_project(&self) -> bool {
        self.file
            .as_deref()
            .is_some_and(|f| f.starts_with("content/projets/"))
    }

    /// A content diagnostic.
    fn from_diagnostic(d: &Diagnostic) -> Problem {
        let message = match &d.field {
            Some(field) => format!("{} (champ « {field} »)", d.message),
            None => d.message.clone(),
        };
        Problem {
            file: Some(d.file.clone()),
            position: Some((d.line, d.column)),
            message,
        }
    }
}

/// What the server shows; swapped under a lock after each rebuild.
#[derive(Debug, Default)]
pub struct Served {
    /// Every file of the last good build, by output path.
    pub files: HashMap<String, Arc<Vec<u8>>>,
    /// Increases after every rebuild, good or not: open pages reload when it changes.
    pub version: u64,
    /// The problems of the last rebuild, when it failed (the files stay the last good ones).
    pub problems: Vec<Problem>,
    /// Whether a good build exists at all.
    pub built: bool,
}

/// The served state and its change notification, shared by the HTTP threads.
#[derive(Debug, Default)]
pub struct Live {
    state: Mutex<Served>,
    changed: Condvar,
}

impl Live {
    /// Locks the served state (a poisoned lock still holds a usable site).
    pub fn lock(&self) -> MutexGuard<'_, Served> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until the version differs from `seen`, at most `timeout`; returns the version.
    pub fn wait_change(&self, seen: u64, timeout: Duration) -> u64 {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.version == seen)
            .unwrap_or_else(|e| e.into_inner());
        guard.version
    }

    fn publish(&self, update: impl FnOnce(&mut Served)) {
        let mut state = self.lock();
        update(&mut state);
        state.version += 1;
        drop(state);
        self.changed.notify_all();
    }
}

/// What the last good rebuild left, to make the next one incremental.
struct LastGood {
    /// The input hash of every template page (see [`PageHashes`]).
    hashes: HashMap<String, u64>,
    /// The projects published then (one that gets errors keeps its last good page).
    projects: Vec<Project>,
}

/// How a rebuild went, for the console.
#[derive(Debug)]
pub enum Outcome {
    /// The site was rebuilt.
    Rebuilt {
        /// HTML pages rendered.
        pages: usize,
        /// Other files rendered (radars, feeds, data…).
        others: usize,
        /// HTML pages of the whole site.
        total_pages: usize,
        /// Whether every file was rendered (first build, theme changed).
        full: bool,
        /// Time spent loading and validating.
        check: Duration,
        /// Whole rebuild time.
        elapsed: Duration,
        /// Wall time of each stage (the write stage is the swap of the served files).
        timings: Vec<(Stage, Duration)>,
        /// Warnings of the content, as printed by `check`.
        warnings: String,
    },
    /// Nothing the site shows changed.
    Unchanged {
        /// Whole rebuild time.
        elapsed: Duration,
    },
    /// The content or the theme has errors: the previous site stays served, or, when only
    /// project files have errors, the site without them.
    Failed {
        /// The report for the console.
        report: String,
        /// Whether only project files have errors (the rest of the site is current).
        projects_only: bool,
    },
}

/// Rebuilds the site into [`Live`].
pub struct Builder {
    root: PathBuf,
    drafts: bool,
    base_url: String,
    last: Option<LastGood>,
    /// The checks of the project files, reused for those that have not changed.
    memo: crate::validate::Memo,
    /// The parsed bodies and related projects, reused where their inputs are unchanged.
    index_memo: crate::index::Memo,
    live: Arc<Live>,
}

impl Builder {
    /// A builder for the site at `root`, served at `base_url` (`http://127.0.0.1:PORT/`).
    pub fn new(root: PathBuf, drafts: bool, base_url: String, live: Arc<Live>) -> Builder {
        Builder {
            root,
            drafts,
            base_url,
            last: None,
            memo: crate::validate::Memo::default(),
            index_memo: crate::index::Memo::default(),
            live,
        }
    }

    /// Loads, validates, indexes and renders what changed; `theme_changed` forces a full
    /// render.
    pub fn rebuild(&mut self, theme_changed: bool) -> Outcome {
        let started = Instant::now();
        match self.try_rebuild(theme_changed, started) {
            Ok(outcome) => outcome,
            Err((problems, report)) => {
                self.live.publish(|s| s.problems = problems);
                Outcome::Failed {
                    report,
                    projects_only: false,
                }
            }
        }
    }

    /// A full in-memory build of the site, in which the template pages whose inputs did not
    /// change since the last good rebuild are not rendered again (their served bytes stay).
    fn try_rebuild(
        &mut self,
        theme_changed: bool,
        started: Instant,
    ) -> Result<Outcome, (Vec<Problem>, String)> {
        let general = |message: String| (vec![Problem::general(message.clone())], message);
        let (mut checked, mut timings) =
            build::check_reusing(&self.root, &mut self.memo).map_err(|e| general(e.to_string()))?;
        let check_time = started.elapsed();
        let mut lap = Instant::now();
        let mut stage_done = |stage: Stage, timings: &mut Vec<(Stage, Duration)>| {
            timings.push((stage, lap.elapsed()));
            lap = Instant::now();
        };
        let errors: Vec<Diagnostic> = checked
            .validated
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        // A project with errors (say, one being written) is left out and its errors shown over
        // every page; the rest of the site keeps updating. Errors elsewhere (site.yaml, free
        // pages, files that cannot be read) still keep the last good site.
        let problems: Vec<Problem> = errors.iter().map(Problem::from_diagnostic).collect();
        let error_report = crate::diagnostic::to_human(&errors, &checked.sources);
        if errors
            .iter()
            .any(|d| !d.file.starts_with("content/projets/"))
        {
            return Err((problems, error_report));
        }
        let warnings =
            crate::diagnostic::to_human(&checked.validated.diagnostics, &checked.sources);
        checked.validated.site.url_base = Some(self.base_url.clone());
        let Published {
            mut projects,
            pages,
            theme_dir,
        } = build::published(&self.root, &mut checked.validated, self.drafts).map_err(
            |e| match e {
                BuildError::Usage(message) => general(message),
                other => general(other.to_string()),
            },
        )?;
        // A published project that now has errors keeps its last good page under the banner.
        if let Some(last) = &self.last {
            let kept: Vec<Project> = last
                .projects
                .iter()
                .filter(|p| {
                    errors.iter().any(|d| d.file == p.source)
                        && !projects.iter().any(|q| q.slug == p.slug)
                })
                .cloned()
                .collect();
            for project in kept {
                let at = projects.partition_point(|q| q.source < project.source);
                projects.insert(at, project);
            }
        }
        let site = &checked.validated.site;
        let index = Index::new_reusing(site, &projects, &pages, &mut self.index_memo);
        let translations = crate::render::languages::Translations::new(
            site,
            &projects,
            &pages,
            &checked.validated.project_translations,
            &checked.validated.page_translations,
        );
        let translated = translations.indexes(&index);
        let prepared = Prepared::new(&RenderInput {
            index: &index,
            theme_dir: theme_dir.as_deref(),
            translations: &translated,
        })
        .map_err(|e| general(e.to_string()))?;
        stage_done(Stage::Index, &mut timings);

        let full = theme_changed || self.last.is_none();
        let previous = match (&self.last, full) {
            (Some(last), false) => last.hashes.clone(),
            _ => HashMap::new(),
        };
        let hashes = PageHashes::after(previous);
        let rendered: Mutex<Vec<OutputFile>> = Mutex::new(Vec::new());
        prepared
            .render_changed(&hashes, |file| {
                rendered
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(file);
                Ok::<(), RenderError>(())
            })
            .map_err(|e| general(e.to_string()))?;
        let rendered = rendered
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let medias: Vec<(String, Arc<Vec<u8>>)> = checked
            .content
            .medias
            .into_iter()
            .map(|m| (m.path, Arc::new(m.bytes)))
            .collect();
        let paths: HashSet<String> = prepared
            .paths()
            .map(str::to_string)
            .chain(medias.iter().map(|(path, _)| path.clone()))
            .collect();

        let pages_rendered = rendered
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count();
        let others = rendered.len() - pages_rendered;
        let total_pages = prepared.planned().filter(|p| p.ends_with(".html")).count();
        stage_done(Stage::Render, &mut timings);
        let mut changed = false;
        self.live.publish(|s| {
            let before = s.files.len();
            s.files.retain(|path, _| paths.contains(path));
            changed |= s.files.len() != before;
            for file in rendered {
                let bytes = Arc::new(file.bytes);
                changed |= s.files.get(&file.path) != Some(&bytes);
                s.files.insert(file.path, bytes);
            }
            for (path, bytes) in medias {
                changed |= s.files.get(&path) != Some(&bytes);
                s.files.insert(path, bytes);
            }
            changed |= s.problems != problems || !s.built;
            s.problems = problems.clone();
            s.built = true;
        });
        self.last = Some(LastGood {
            hashes: hashes.into_current(),
            projects,
        });
        stage_done(Stage::Write, &mut timings);
        if !problems.is_empty() && pages_rendered == 0 {
            return Ok(Outcome::Failed {
                report: error_report,
                projects_only: true,
            });
        }
        if !full && pages_rendered == 0 && !changed {
            return Ok(Outcome::Unchanged {
                elapsed: started.elapsed(),
            });
        }
        Ok(Outcome::Rebuilt {
            pages: pages_rendered,
            others,
            total_pages,
            full,
            check: check_time,
            elapsed: started.elapsed(),
            timings,
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn copy_minimal(to: &Path) {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let target = to.join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }

    /// Every file served after a full build of the site as it is now.
    fn full_build(root: &Path) -> HashMap<String, Arc<Vec<u8>>> {
        let live = Arc::new(Live::default());
        let mut builder = Builder::new(
            root.into(),
            false,
            "http://127.0.0.1:1/".into(),
            live.clone(),
        );
        assert!(matches!(
            builder.rebuild(true),
            Outcome::Rebuilt { full: true, .. }
        ));
        live.lock().files.clone()
    }

    fn edit(path: &Path, from: &str, to: &str) {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains(from), "{from} in {}", path.display());
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    /// After each edit, the incremental rebuild serves exactly what a full build would.
    #[test]
    fn incremental_rebuilds_equal_full_builds() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        copy_minimal(root);
        let projets = root.join("content/projets");
        let panier = projets.join("panier-solidaire.md");
        let live = Arc::new(Live::default());
        let mut builder = Builder::new(
            root.into(),
            false,
            "http://127.0.0.1:1/".into(),
            live.clone(),
        );
        builder.rebuild(true);
        type Step<'a> = Box<dyn Fn() + 'a>;
        let steps: Vec<(&str, Step)> = vec![
            (
                "title",
                Box::new(|| edit(&panier, "titre: \"Le Panier", "titre: \"Un Panier")),
            ),
            (
                "body",
                Box::new(|| edit(&panier, "## Contexte\n", "## Contexte\n\nAjout.\n")),
            ),
            (
                "heading",
                Box::new(|| edit(&panier, "## Processus", "## Processus suivi")),
            ),
            (
                "marker",
                Box::new(|| edit(&panier, "recherche: 1\n", "recherche: 3\n")),
            ),
            (
                "sector",
                Box::new(|| edit(&panier, "[alimentation, lien-social]", "[lien-social]")),
            ),
            (
                "commune",
                Box::new(|| edit(&panier, "[\"59122\", \"80021\"]", "[\"80021\"]")),
            ),
            (
                "year",
                Box::new(|| edit(&panier, "annee: 2017", "annee: 2022")),
            ),
            (
                "added",
                Box::new(|| {
                    let text = std::fs::read_to_string(&panier).unwrap();
                    std::fs::write(
                        projets.join("panier-bis.md"),
                        text.replace("titre: \"Un Panier", "titre: \"Autre panier"),
                    )
                    .unwrap();
                }),
            ),
            (
                "draft",
                Box::new(|| edit(&panier, "---\ntitre", "---\nbrouillon: true\ntitre")),
            ),
            (
                "removed",
                Box::new(|| std::fs::remove_file(projets.join("panier-bis.md")).unwrap()),
            ),
        ];
        for (name, step) in steps {
            step();
            let outcome = builder.rebuild(false);
            let Outcome::Rebuilt { full, pages, .. } = outcome else {
                panic!("{name}: {outcome:?}");
            };
            assert!(!full, "{name}: a project edit is incremental");
            assert!(pages > 0, "{name}");
            let served = live.lock().files.clone();
            let expected = full_build(root);
            let mut differing: Vec<&String> = expected
                .keys()
                .chain(served.keys())
                .filter(|path| served.get(*path) != expected.get(*path))
                .collect();
            differing.sort();
            differing.dedup();
            assert!(
                differing.is_empty(),
                "{name}: stale or missing files {differing:?}"
            );
        }
    }

    /// Replaces the line starting with `prefix` (after indentation) by `line`.
    fn set_line(path: &Path, prefix: &str, line: &str) {
        let text = std::fs::read_to_string(path).unwrap();
        let mut done = false;
        let out: Vec<String> = text
            .lines()
            .map(|l| {
                if !done && l.trim_start().starts_with(prefix) {
                    done = true;
                    line.to_string()
                } else {
                    l.to_string()
                }
            })
            .collect();
        assert!(done, "{prefix} in {}", path.display());
        std::fs::write(path, out.join("\n") + "\n").unwrap();
    }

    /// The same on the demonstration catalogue (related projects, medians, pagination).
    #[test]
    fn incremental_rebuilds_equal_full_builds_on_the_demonstration_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        for entry in walkdir::WalkDir::new(&demo) {
            let entry = entry.unwrap();
            let target = root
                .join("content")
                .join(entry.path().strip_prefix(&demo).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
        let project = root.join("content/projets/artistes-en-ehpad.md");
        let live = Arc::new(Live::default());
        let mut builder = Builder::new(
            root.into(),
            false,
            "http://127.0.0.1:1/".into(),
            live.clone(),
        );
        builder.rebuild(true);
        type Step<'a> = Box<dyn Fn() + 'a>;
        let steps: Vec<(&str, Step)> = vec![
            (
                "title",
                Box::new(|| set_line(&project, "titre:", "titre: \"Zèbres en EHPAD\"")),
            ),
            (
                "markers",
                Box::new(|| {
                    set_line(&project, "contextualisation:", "  contextualisation: 0");
                    set_line(&project, "gouvernance:", "  gouvernance: 3");
                }),
            ),
            (
                "year",
                Box::new(|| set_line(&project, "annee:", "  annee: 2024")),
            ),
            (
                "body",
                Box::new(|| {
                    let mut text = std::fs::read_to_string(&project).unwrap();
                    text.push_str("\n## Suite\n\nUn paragraphe de plus.\n");
                    std::fs::write(&project, text).unwrap();
                }),
            ),
            (
                "draft",
                Box::new(|| set_line(&project, "titre:", "brouillon: true\ntitre: \"Zèbres\"")),
            ),
        ];
        for (name, step) in steps {
            step();
            let outcome = builder.rebuild(false);
            let Outcome::Rebuilt {
                full,
                pages,
                total_pages,
                ..
            } = outcome
            else {
                panic!("{name}: {outcome:?}");
            };
            assert!(
                !full && pages > 0 && pages < total_pages,
                "{name}: {pages}/{total_pages}"
            );
            let served = live.lock().files.clone();
            let expected = full_build(root);
            let mut differing: Vec<&String> = expected
                .keys()
                .chain(served.keys())
                .filter(|path| served.get(*path) != expected.get(*path))
                .collect();
            differing.sort();
            differing.dedup();
            assert!(
                differing.is_empty(),
                "{name}: stale or missing files {differing:?}"
            );
        }
    }
}

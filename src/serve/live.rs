//! The site served from memory: the last good build, its rebuilds (template pages whose inputs did
//! not change are not rendered again) and the diagnostics shown over the pages while the content is invalid.

use crate::build::{self, BuildError, Published, Stage};
use crate::diagnostic::Diagnostic;
use crate::index::Index;
use crate::model::Project;
use crate::output::OutputFile;
use crate::render::{PageHashes, Prepared, RenderError, RenderInput};
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, mpsc};
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
    /// The files of the site, by output path: those of the last good build, and, for the
    /// paths in `pending`, those of an earlier build.
    pub files: foldhash::HashMap<String, Arc<Vec<u8>>>,
    /// Paths of the last good build not made for it yet: after an incremental rebuild, pages
    /// are rendered when asked for (see [`Builder::rebuild_then`]).
    pub pending: foldhash::HashSet<String>,
    /// The HTML pages asked for last, the most recent last (at most [`RECENT_PAGES`]): they
    /// are rendered at each rebuild, and open pages reload when one of them changed.
    pub recent: VecDeque<String>,
    /// Increases after every rebuild that changed what open pages show, or their problems:
    /// open pages reload when it changes.
    pub version: u64,
    /// The problems of the last rebuild, when it failed (the files stay the last good ones).
    pub problems: Vec<Problem>,
    /// Whether a good build exists at all.
    pub built: bool,
}

/// How many recently asked pages are kept up to date at each rebuild (the pages open in
/// the browser are among them).
pub const RECENT_PAGES: usize = 16;

/// What the builder's thread receives: file events, and the files asked for that it must
/// render.
#[derive(Debug)]
pub enum Message {
    /// A change in the watched folders.
    Changed(notify::Result<notify::Event>),
    /// A pending file asked for; `done` is answered once it is rendered.
    Render {
        /// Output path.
        path: String,
        /// Answered when the file is in [`Served::files`] (or cannot be made).
        done: mpsc::Sender<()>,
    },
}

/// The served state and its change notification, shared by the HTTP threads.
#[derive(Debug, Default)]
pub struct Live {
    state: Mutex<Served>,
    changed: Condvar,
    /// Where pending files are asked for (the builder's thread), once it listens.
    renderer: OnceLock<mpsc::Sender<Message>>,
}

impl Live {
    /// Locks the served state (a poisoned lock still holds a usable site).
    pub fn lock(&self) -> MutexGuard<'_, Served> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends the requests for pending files to `renderer` (the builder's thread).
    pub fn render_with(&self, renderer: mpsc::Sender<Message>) {
        let _ = self.renderer.set(renderer);
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

    /// Locks the served state once the file at `path` is current: a pending file is first
    /// rendered by the builder's thread. An HTML page is noted as recently asked for.
    pub fn lock_current(&self, path: &str) -> MutexGuard<'_, Served> {
        let mut state = self.lock();
        if path.ends_with(".html")
            && (state.files.contains_key(path) || state.pending.contains(path))
        {
            state.recent.retain(|p| p != path);
            state.recent.push_back(path.to_string());
            if state.recent.len() > RECENT_PAGES {
                state.recent.pop_front();
            }
        }
        if !state.pending.contains(path) {
            return state;
        }
        drop(state);
        if let Some(renderer) = self.renderer.get() {
            let (done, rendered) = mpsc::channel();
            let message = Message::Render {
                path: path.to_string(),
                done,
            };
            if renderer.send(message).is_ok() {
                let _ = rendered.recv_timeout(RENDER_TIMEOUT);
            }
        }
        self.lock()
    }

    /// Updates the served state under one lock; `update` answers whether open pages must
    /// reload (the version then increases).
    fn publish(&self, update: impl FnOnce(&mut Served) -> bool) {
        let mut state = self.lock();
        let bump = update(&mut state);
        if bump {
            state.version += 1;
        }
        drop(state);
        if bump {
            self.changed.notify_all();
        }
    }

    /// Shows `problems` over the pages (open pages reload when they changed).
    fn show_problems(&self, problems: Vec<Problem>) {
        self.publish(|s| {
            let changed = s.problems != problems;
            s.problems = problems;
            changed
        });
    }
}

/// How long a request waits for its page to be rendered (the builder may be rebuilding).
const RENDER_TIMEOUT: Duration = Duration::from_secs(60);

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
        /// Whether the files not rendered are rendered when asked for (see
        /// [`Builder::rebuild_then`]).
        on_request: bool,
        /// Time spent loading and validating.
        check: Duration,
        /// Whole rebuild time.
        elapsed: Duration,
        /// Wall time of each stage (the write stage is the swap of the served files).
        timings: Vec<(Stage, Duration)>,
        /// Warnings of the content, as printed by `check`.
        warnings: String,
    },
    /// Nothing the site shows changed (with pages rendered on request: nothing the recently
    /// asked pages show, nor the list of the site's files).
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

/// The site of the last rebuild while it is served: renders its pending files on request.
pub struct Session<'s> {
    /// `None` when the rebuild failed (nothing is pending then).
    prepared: Option<&'s Prepared<'s>>,
    hashes: &'s PageHashes,
    live: &'s Live,
    /// Set when a render failed: the hashes it recorded may not match the files kept, so the
    /// next rebuild renders everything.
    broken: std::cell::Cell<bool>,
}

impl<'s> Session<'s> {
    /// The session of a failed rebuild: nothing to render.
    fn failed(hashes: &'s PageHashes, live: &'s Live) -> Session<'s> {
        Session {
            prepared: None,
            hashes,
            live,
            broken: Default::default(),
        }
    }

    /// Renders the file at `path` if it is pending, and publishes it.
    pub fn render(&self, path: &str) {
        if self.live.lock().pending.contains(path) {
            let only = HashSet::from([path.to_string()]);
            self.render_pending(&only);
        }
    }

    /// Renders every pending file (tests compare the result with a full build).
    pub fn render_all(&self) -> usize {
        let pending: HashSet<String> = self.live.lock().pending.iter().cloned().collect();
        self.render_pending(&pending)
    }

    /// Renders the paths of `only`, publishes them and takes them out of the pending ones;
    /// a render error is shown over the pages (the file stays pending). Returns how many
    /// were rendered (the others' inputs had not changed: their bytes are current).
    fn render_pending(&self, only: &HashSet<String>) -> usize {
        let Some(prepared) = self.prepared else {
            return 0;
        };
        match render_into_vec(prepared, Some(only), self.hashes) {
            Ok(rendered) => {
                let count = rendered.len();
                self.live.publish(|s| {
                    for path in only {
                        s.pending.remove(path);
                    }
                    for file in rendered {
                        s.files.insert(file.path, Arc::new(file.bytes));
                    }
                    false
                });
                count
            }
            Err(error) => {
                self.broken.set(true);
                self.live
                    .show_problems(vec![Problem::general(error.to_string())]);
                0
            }
        }
    }
}

/// Renders the paths of `only` (every file when `None`) whose inputs changed.
fn render_into_vec(
    prepared: &Prepared<'_>,
    only: Option<&HashSet<String>>,
    hashes: &PageHashes,
) -> Result<Vec<OutputFile>, RenderError> {
    crate::render::gather(|sink| prepared.render_changed(only, hashes, sink))
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

    /// Loads, validates, indexes and renders every file whose inputs changed; `theme_changed`
    /// forces a full render. (Tests and `build`-like uses; `serve` renders on request, see
    /// [`Builder::rebuild_then`].)
    pub fn rebuild(&mut self, theme_changed: bool) -> Outcome {
        self.rebuild_with(theme_changed, true, |outcome, _| outcome)
    }

    /// Loads, validates and indexes the site, then hands the outcome and a [`Session`] to
    /// `serve`, which renders the files asked for until the site must be rebuilt again; the
    /// new site is published before `serve` is called.
    ///
    /// The first build and a theme change render every file (a template error is then found
    /// at once). After a content change only the recently asked pages are rendered at once;
    /// every other file becomes pending and is rendered when asked for, if its inputs
    /// changed (the hash of what its template receives, [`PageHashes`]): a rebuild costs the
    /// index, not the 20,000 pages of a large catalogue. Open pages reload when one of the
    /// recently asked pages changed, when files appeared or went, or when the problems
    /// changed.
    pub fn rebuild_then<R>(
        &mut self,
        theme_changed: bool,
        serve: impl FnOnce(Outcome, &Session<'_>) -> R,
    ) -> R {
        self.rebuild_with(theme_changed, false, serve)
    }

    fn rebuild_with<R, F: FnOnce(Outcome, &Session<'_>) -> R>(
        &mut self,
        theme_changed: bool,
        eager: bool,
        serve: F,
    ) -> R {
        let started = Instant::now();
        let live = self.live.clone();
        // The last good site stays served under the problems; nothing to render on request.
        let fail = |(problems, report): (Vec<Problem>, String), serve: F| {
            live.show_problems(problems);
            let outcome = Outcome::Failed {
                report,
                projects_only: false,
            };
            serve(outcome, &Session::failed(&PageHashes::default(), &live))
        };
        let general = |message: String| (vec![Problem::general(message.clone())], message);
        let (mut checked, mut timings) = match build::check_reusing(&self.root, &mut self.memo) {
            Ok(checked) => checked,
            Err(e) => {
                return fail(general(e.to_string()), serve);
            }
        };
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
            return fail((problems, error_report), serve);
        }
        let warnings =
            crate::diagnostic::to_human(&checked.validated.diagnostics, &checked.sources);
        checked.validated.site.url_base = Some(self.base_url.clone());
        let Published {
            mut projects,
            pages,
            theme_dir,
        } = match build::published(&self.root, &mut checked.validated, self.drafts) {
            Ok(published) => published,
            Err(e) => {
                let message = match e {
                    BuildError::Usage(message) => message,
                    other => other.to_string(),
                };
                return fail(general(message), serve);
            }
        };
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
        let prepared = match Prepared::new(&RenderInput {
            index: &index,
            theme_dir: theme_dir.as_deref(),
            translations: &translated,
        }) {
            Ok(prepared) => prepared,
            Err(e) => {
                return fail(general(e.to_string()), serve);
            }
        };
        stage_done(Stage::Index, &mut timings);

        let full = theme_changed || self.last.is_none();
        let previous = match (&mut self.last, full) {
            (Some(last), false) => std::mem::take(&mut last.hashes),
            _ => HashMap::new(),
        };
        let hashes = PageHashes::after(previous);
        let planned: foldhash::HashSet<&str> = prepared.planned().collect();
        // What is rendered now: everything on a full or eager rebuild, else the pages asked
        // for recently that still exist.
        let now: Option<HashSet<String>> = (!full && !eager).then(|| {
            live.lock()
                .recent
                .iter()
                .filter(|path| planned.contains(path.as_str()))
                .cloned()
                .collect()
        });
        let rendered = match render_into_vec(&prepared, now.as_ref(), &hashes) {
            Ok(rendered) => rendered,
            Err(e) => {
                // The previous hashes are gone with `hashes`: the next rebuild renders all.
                self.last = None;
                return fail(general(e.to_string()), serve);
            }
        };
        let medias: Vec<(String, Arc<Vec<u8>>)> = checked
            .content
            .medias
            .into_iter()
            .map(|m| (m.path, Arc::new(m.bytes)))
            .collect();
        let media_paths: Vec<String> = medias.iter().map(|(path, _)| path.clone()).collect();
        let paths: foldhash::HashSet<&str> = prepared
            .paths()
            .chain(media_paths.iter().map(String::as_str))
            .collect();

        let pages_rendered = rendered
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .count();
        let others = rendered.len() - pages_rendered;
        let total_pages = planned.iter().filter(|p| p.ends_with(".html")).count();
        stage_done(Stage::Render, &mut timings);
        let on_request = now.is_some();
        let mut changed = false;
        live.publish(|state| {
            let before = state.files.len();
            changed = full || !state.built || state.problems != problems;
            state.files.retain(|path, _| paths.contains(path.as_str()));
            changed |= state.files.len() != before;
            changed |= paths.iter().any(|path| !state.files.contains_key(*path));
            for file in rendered {
                let bytes = Arc::new(file.bytes);
                changed |= state.files.get(&file.path) != Some(&bytes);
                state.files.insert(file.path, bytes);
            }
            for (path, bytes) in medias {
                changed |= state.files.get(&path) != Some(&bytes);
                state.files.insert(path, bytes);
            }
            state.pending = match &now {
                Some(now) => planned
                    .iter()
                    .filter(|p| !now.contains(**p))
                    .map(|p| p.to_string())
                    .collect(),
                None => Default::default(),
            };
            state.problems = problems.clone();
            state.built = true;
            changed
        });
        stage_done(Stage::Write, &mut timings);
        let outcome = if !problems.is_empty() {
            Outcome::Failed {
                report: error_report,
                projects_only: true,
            }
        } else if !full && !changed {
            Outcome::Unchanged {
                elapsed: started.elapsed(),
            }
        } else {
            Outcome::Rebuilt {
                pages: pages_rendered,
                others,
                total_pages,
                full,
                on_request,
                check: check_time,
                elapsed: started.elapsed(),
                timings,
                warnings,
            }
        };
        let session = Session {
            prepared: Some(&prepared),
            hashes: &hashes,
            live: &live,
            broken: Default::default(),
        };
        let result = serve(outcome, &session);
        let broken = session.broken.get();
        let hashes = (!broken).then(|| hashes.into_merged(|path| planned.contains(path)));
        let last = hashes.map(|hashes| LastGood { hashes, projects });
        // The previous projects are freed on another thread: this runs once the next change
        // has come, and freeing 10,000 projects would delay its rebuild.
        let previous = std::mem::replace(&mut self.last, last);
        std::thread::spawn(move || drop(previous));
        result
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

    /// A builder of the site at `root` into `live`.
    fn builder(root: &Path, live: &Arc<Live>) -> Builder {
        Builder::new(
            root.into(),
            false,
            "http://127.0.0.1:1/".into(),
            live.clone(),
        )
    }

    /// Every file served after a full build of the site as it is now.
    fn full_build(root: &Path) -> foldhash::HashMap<String, Arc<Vec<u8>>> {
        let live = Arc::new(Live::default());
        let mut builder = builder(root, &live);
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

    type Step<'a> = Box<dyn Fn() + 'a>;

    /// Files that differ between what is served and what a full build serves.
    fn stale_files(live: &Live, root: &Path) -> Vec<String> {
        let served = live.lock().files.clone();
        let expected = full_build(root);
        let mut differing: Vec<String> = expected
            .keys()
            .chain(served.keys())
            .filter(|path| served.get(*path) != expected.get(*path))
            .cloned()
            .collect();
        differing.sort();
        differing.dedup();
        differing
    }

    /// Runs `steps` on the site at `root`, each followed by a rebuild, twice: rendering every
    /// changed file at once (`Builder::rebuild`, whose outcome `check` looks at), then as
    /// `serve` does, on request, with nothing asked for after every other step (pending files
    /// then wait over two rebuilds). After each step rendered, the files served are exactly
    /// those of a full build. `reset` puts the files back between the two runs.
    fn assert_steps_equal_full_builds(
        root: &Path,
        steps: &[(&str, Step)],
        reset: &dyn Fn(),
        check: &dyn Fn(&str, Outcome),
    ) {
        for lazy in [false, true] {
            reset();
            let live = Arc::new(Live::default());
            let mut builder = builder(root, &live);
            builder.rebuild(true);
            for (number, (name, step)) in steps.iter().enumerate() {
                step();
                if !lazy {
                    check(name, builder.rebuild(false));
                } else if number % 2 == 0 {
                    builder.rebuild_then(false, |_, _| ());
                    continue;
                } else {
                    let pending = builder.rebuild_then(false, |_, session| session.render_all());
                    assert!(pending > 0, "{name}: files were pending");
                    assert!(live.lock().pending.is_empty(), "{name}");
                }
                let stale = stale_files(&live, root);
                assert!(
                    stale.is_empty(),
                    "{name} (on request: {lazy}): stale or missing files {stale:?}"
                );
            }
        }
    }

    /// After each edit, the incremental rebuild serves exactly what a full build would, also
    /// when pages are rendered on request.
    #[test]
    fn incremental_rebuilds_equal_full_builds() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let projets = root.join("content/projets");
        let panier = projets.join("panier-solidaire.md");
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
        let reset = || {
            let _ = std::fs::remove_dir_all(root.join("content"));
            copy_minimal(root);
        };
        assert_steps_equal_full_builds(root, &steps, &reset, &|name, outcome| {
            let Outcome::Rebuilt { full, pages, .. } = outcome else {
                panic!("{name}: {outcome:?}");
            };
            assert!(!full, "{name}: a project edit is incremental");
            assert!(pages > 0, "{name}");
        });
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
        let project = root.join("content/projets/artistes-en-ehpad.md");
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
        let reset = || {
            let _ = std::fs::remove_dir_all(root.join("content"));
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
        };
        assert_steps_equal_full_builds(root, &steps, &reset, &|name, outcome| {
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
        });
    }
}

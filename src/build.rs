//! The whole pipeline, from a site folder to its output: load, validate, render, write.

use crate::card::{CardError, CardSummary, render_cards_with_progress};
use crate::content::{self, LoadError, LoadedContent};
use crate::fingerprints;
use crate::index::Index;
use crate::output::{OutputError, Staging, WriteSummary};
use crate::render::{PageHashes, Prepared, RenderError, RenderInput};
use crate::routes::card_path;
use crate::text::count;
use crate::validate::{self, Validated, rules};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What `amiris build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site folder (holds `content/site.yaml`).
    pub root: PathBuf,
    /// Output folder.
    pub output: PathBuf,
    /// Public base URL overriding `url_base`.
    pub base_url: Option<String>,
    /// Publish drafts too.
    pub drafts: bool,
    /// Draw no social card, whatever `cartes_de_partage` says (`--sans-cartes`).
    pub no_cards: bool,
    /// Social-card cache folder overriding `cache_cartes` (which is relative to `root`).
    pub cache: Option<PathBuf>,
}

/// A checked site: its validation and the source texts (to quote lines in messages).
#[derive(Debug)]
pub struct Checked {
    /// Validation result with every diagnostic.
    pub validated: Validated,
    /// Text of every file read, by path relative to the root.
    pub sources: BTreeMap<String, String>,
    /// What was loaded (medias are needed by the build).
    pub content: LoadedContent,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Warnings found while validating.
    pub checked: Checked,
    /// HTML pages produced.
    pub pages: usize,
    /// Pages and radars linked from the previous output without being rendered (their
    /// inputs had not changed, see [`crate::fingerprints`]).
    pub kept: usize,
    /// Files added / changed / unchanged / removed in the output.
    pub written: WriteSummary,
    /// Social cards drawn by this build or reused from the previous output.
    pub cards: CardSummary,
    /// Wall time of the build.
    pub elapsed: Duration,
    /// Wall time of each stage, in pipeline order.
    pub timings: Vec<(Stage, Duration)>,
}

/// A stage of the build, as `build --timings` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading content/ (site.yaml, projects, pages, medias).
    Load,
    /// Checking every file and the links between them.
    Validate,
    /// The catalogue's indexes, parsed bodies, medians and related projects.
    Index,
    /// Pages, radars, feeds, open data and the theme's files, each written to the staging
    /// folder as soon as it is made.
    Render,
    /// Social cards (drawn or reused), made side by side with the render stage: their
    /// times overlap.
    Cards,
    /// Swapping the new site in and deleting the previous one.
    Write,
}

impl Stage {
    /// The stage's name in French.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Load => "lecture",
            Stage::Validate => "vérification",
            Stage::Index => "index",
            Stage::Render => "rendu et écriture",
            Stage::Cards => "cartes de partage",
            Stage::Write => "mise en place",
        }
    }
}

/// Times the stages of one build.
struct Stopwatch {
    last: Instant,
    timings: Vec<(Stage, Duration)>,
}

impl Stopwatch {
    fn new() -> Stopwatch {
        Stopwatch {
            last: Instant::now(),
            timings: Vec::new(),
        }
    }

    /// Ends `stage` now.
    fn lap(&mut self, stage: Stage) {
        let now = Instant::now();
        self.timings.push((stage, now - self.last));
        self.last = now;
    }

    /// Ends now stages that ran side by side, each with its own wall time.
    fn lap_together(&mut self, stages: &[(Stage, Duration)]) {
        self.timings.extend_from_slice(stages);
        self.last = Instant::now();
    }
}

/// Why a build stopped; the previous output is untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The site folder could not be read (exit 2).
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The content has errors (exit 1); nothing was written.
    #[error("le contenu comporte des erreurs : rien n'a été écrit")]
    Content(Box<Checked>),
    /// A setting given on the command line is wrong (exit 2).
    #[error("{0}")]
    Usage(String),
    /// The theme could not render the site (exit 2).
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The output could not be written (exit 2).
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A social card could not be drawn (exit 2).
    #[error(transparent)]
    Card(#[from] CardError),
}

/// Loads and validates the site at `root`, writing nothing.
pub fn check(root: &Path) -> Result<Checked, LoadError> {
    check_timed(root, None, &mut Stopwatch::new(), None)
}

/// [`check`], reusing the checks `memo` holds of the project files that have not changed (see
/// [`validate::Memo`]); also gives the wall time of the load and validate stages.
pub fn check_reusing(
    root: &Path,
    memo: &mut validate::Memo,
) -> Result<(Checked, Vec<(Stage, Duration)>), LoadError> {
    let mut stopwatch = Stopwatch::new();
    let checked = check_timed(root, None, &mut stopwatch, Some(memo))?;
    Ok((checked, stopwatch.timings))
}

/// The site's address given with `--base-url`, ending with `/`; the usage error to print
/// (in French) when it is not a web address.
pub fn base_url_option(url: &str) -> Result<String, String> {
    if !rules::site_url_is_valid(url) {
        return Err(format!(
            "--base-url « {url} » n'est pas une adresse web complète (https://…)"
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// [`check`] with the site's address replaced by `base_url` (from [`base_url_option`]) before
/// links are checked, as `build --base-url` publishes it: links to the feeds that the address
/// enables are then not reported.
pub fn check_with_base_url(root: &Path, base_url: Option<&str>) -> Result<Checked, LoadError> {
    check_timed(root, base_url, &mut Stopwatch::new(), None)
}

/// [`check_with_base_url`], timing the load and validate stages.
fn check_timed(
    root: &Path,
    base_url: Option<&str>,
    stopwatch: &mut Stopwatch,
    memo: Option<&mut validate::Memo>,
) -> Result<Checked, LoadError> {
    let mut memo = memo;
    let content = content::load_reusing(root, memo.as_deref().map(|memo| &memo.files))?;
    stopwatch.lap(Stage::Load);
    let mut validated =
        validate::validate_reusing(&content, rules::current_year(), memo.as_deref_mut());
    if let Some(url) = base_url {
        validated.site.url_base = Some(url.to_string());
    }
    let broken_links = crate::links::check_links_reusing(
        &content,
        &validated.site,
        &validated.projects,
        &validated.pages,
        memo.map(|memo| &mut memo.links),
    );
    validated.add_diagnostics(broken_links);
    stopwatch.lap(Stage::Validate);
    // Only the files a diagnostic quotes (a clean build keeps no second copy of the content).
    let quoted: std::collections::HashSet<&str> = validated
        .diagnostics
        .iter()
        .map(|d| d.file.as_str())
        .collect();
    let sources = content
        .site
        .iter()
        .chain(&content.projects)
        .chain(&content.pages)
        .filter(|file| quoted.contains(file.path.as_str()))
        .map(|file| (file.path.clone(), file.text.to_string()))
        .collect();
    Ok(Checked {
        validated,
        sources,
        content,
    })
}

/// What a validated site publishes: the render stage's input besides the settings.
#[derive(Debug)]
pub struct Published {
    /// Projects, drafts filtered out unless asked for.
    pub projects: Vec<crate::model::Project>,
    /// Free pages, drafts filtered out unless asked for.
    pub pages: Vec<crate::model::Page>,
    /// `<root>/themes/<site.theme>/` when it exists.
    pub theme_dir: Option<PathBuf>,
}

/// Filters drafts and finds the site's theme folder (a missing theme other than `default`
/// is a usage error); shared by `build` and `serve`. The projects and pages are moved out of
/// `validated` (a 10,000-project catalogue is not held twice).
pub fn published(
    root: &Path,
    validated: &mut Validated,
    drafts: bool,
) -> Result<Published, BuildError> {
    let theme_dir = root.join("themes").join(&validated.site.theme);
    let theme_dir = theme_dir.is_dir().then_some(theme_dir);
    if theme_dir.is_none() && validated.site.theme != "default" {
        return Err(BuildError::Usage(format!(
            "le thème « {} » de site.yaml est introuvable : créez le dossier themes/{}/ ou \
             écrivez « theme: default »",
            validated.site.theme, validated.site.theme
        )));
    }
    let mut projects = std::mem::take(&mut validated.projects);
    projects.retain(|p| drafts || !p.draft);
    let mut pages = std::mem::take(&mut validated.pages);
    pages.retain(|p| drafts || !p.draft);
    Ok(Published {
        projects,
        pages,
        theme_dir,
    })
}

/// Builds the site: validates first and writes nothing when the content has an error.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with_progress(options, &crate::progress::Progress::hidden())
}

/// [`build`], showing pages and cards rendered on `progress` (cleared before returning).
pub fn build_with_progress(
    options: &BuildOptions,
    progress: &crate::progress::Progress,
) -> Result<BuildReport, BuildError> {
    let result = build_stages(options, progress);
    progress.finish();
    result
}

fn build_stages(
    options: &BuildOptions,
    progress: &crate::progress::Progress,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut stopwatch = Stopwatch::new();
    let base_url = options
        .base_url
        .as_deref()
        .map(base_url_option)
        .transpose()
        .map_err(BuildError::Usage)?;
    let mut checked = check_timed(&options.root, base_url.as_deref(), &mut stopwatch, None)?;
    if checked.validated.has_errors() {
        return Err(BuildError::Content(Box::new(checked)));
    }
    if options.no_cards {
        checked.validated.site.social_cards = false;
    }
    let Published {
        projects,
        pages,
        theme_dir,
    } = published(&options.root, &mut checked.validated, options.drafts)?;
    // The source texts are no longer needed (validated, links checked): only the medias are.
    checked.content.projects = Vec::new();
    checked.content.pages = Vec::new();
    let validated = &checked.validated;
    let index = Index::new(&validated.site, &projects, &pages);
    let translations = crate::render::languages::Translations::new(
        &validated.site,
        &projects,
        &pages,
        &validated.project_translations,
        &validated.page_translations,
    );
    let translated = translations.indexes(&index);
    stopwatch.lap(Stage::Index);

    let prepared = Prepared::new(&RenderInput {
        index: &index,
        theme_dir: theme_dir.as_deref(),
        translations: &translated,
    })?;
    let html_pages = prepared.planned().filter(|p| p.ends_with(".html")).count();
    let cards_on = validated.site.social_cards;
    let card_paths: Vec<String> = if cards_on {
        projects.iter().map(|p| card_path(&p.slug)).collect()
    } else {
        Vec::new()
    };
    let staging = Staging::begin(
        &options.output,
        prepared
            .paths()
            .chain(checked.content.medias.iter().map(|m| m.path.as_str()))
            .chain(card_paths.iter().map(String::as_str)),
    )?;
    // Pages whose inputs are those fingerprinted by the previous build, on a file that has
    // not changed since, are linked without being rendered.
    let fingerprint_file = fingerprints::path_for(staging.output());
    let identity = fingerprints::identity(prepared.theme_fingerprint());
    let trusted: HashMap<String, u64> = fingerprint_file
        .as_deref()
        .map(|file| fingerprints::read(file, &identity))
        .unwrap_or_default()
        .into_iter()
        .filter(|(path, (_, stamp))| staging.previous_stamp(path) == Some(*stamp))
        .map(|(path, (hash, _))| (path, hash))
        .collect();
    let hashes = PageHashes::after(trusted);
    let kept = std::sync::atomic::AtomicUsize::new(0);
    let cache = options.cache.clone().or_else(|| {
        let dir = validated.site.card_cache.as_ref()?;
        Some(options.root.join(dir))
    });
    // Pages and cards are made side by side in the one thread pool, so that both cores stay
    // busy: the many small pages fill the gaps between the long card drawings.
    progress.start_together(
        "pages et cartes de partage",
        prepared.planned().count() + card_paths.len(),
    );
    let (rendered, cards) = rayon::join(
        || {
            let started = Instant::now();
            prepared.render_reusing(
                &hashes,
                progress,
                |path| {
                    let linked = match staging.previous_stamp(path) {
                        Some(stamp) => staging.keep(path, stamp)?,
                        None => false,
                    };
                    if linked {
                        kept.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    Ok::<bool, BuildError>(linked)
                },
                |file| {
                    staging
                        .put(&file.path, &file.bytes)
                        .map_err(BuildError::from)
                },
            )?;
            checked
                .content
                .medias
                .par_iter()
                .try_for_each(|media| staging.put(&media.path, &media.bytes))?;
            Ok::<Duration, BuildError>(started.elapsed())
        },
        || {
            let started = Instant::now();
            let cards = if cards_on {
                render_cards_with_progress(
                    &validated.site,
                    &projects,
                    Some(options.output.as_path()),
                    cache.as_deref(),
                    progress,
                    |file| {
                        staging
                            .put(&file.path, &file.bytes)
                            .map_err(BuildError::from)
                    },
                )?
            } else {
                CardSummary::default()
            };
            Ok::<(CardSummary, Duration), BuildError>((cards, started.elapsed()))
        },
    );
    progress.end_together();
    let render_time = rendered?;
    let (cards, cards_time) = cards?;
    stopwatch.lap_together(&[(Stage::Render, render_time), (Stage::Cards, cards_time)]);
    let stamps = staging.stamps();
    let written = staging.finish()?;
    if let Some(file) = &fingerprint_file {
        let current = hashes.into_current();
        let entries = current
            .iter()
            .filter_map(|(path, hash)| Some((path.as_str(), *hash, *stamps.get(path)?)));
        // Fingerprints only spare work: without them the next build renders everything.
        if fingerprints::write(file, &identity, entries).is_err() {
            fingerprints::remove(file);
        }
    }
    stopwatch.lap(Stage::Write);
    Ok(BuildReport {
        checked,
        pages: html_pages,
        kept: kept.into_inner(),
        written,
        cards,
        elapsed: started.elapsed(),
        timings: stopwatch.timings,
    })
}

/// The lines `build --timings` prints after the summary: each stage's wall time, the whole
/// build's and the peak memory of the process.
pub fn timings_lines(report: &BuildReport) -> String {
    let mut lines = String::from("Durée de chaque étape :\n");
    for (stage, duration) in &report.timings {
        lines.push_str(&format!(
            "  {:<18} {:>9} ms\n",
            stage.label(),
            french_millis(*duration)
        ));
    }
    lines.push_str(&format!(
        "  {:<18} {:>9} ms\n",
        "total",
        french_millis(report.elapsed)
    ));
    lines.push_str(&format!(
        "Pages reprises sans nouveau rendu : {}\n",
        report.kept
    ));
    match peak_memory_bytes() {
        Some(bytes) => lines.push_str(&format!(
            "Mémoire maximale : {} Mio\n",
            format!("{:.1}", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
        )),
        None => lines.push_str("Mémoire maximale : inconnue sur ce système\n"),
    }
    lines
}

/// Milliseconds with one decimal, French decimal comma.
fn french_millis(duration: Duration) -> String {
    format!("{:.1}", duration.as_secs_f64() * 1000.0).replace('.', ",")
}

/// The peak resident memory of this process (`VmHWM` of /proc/self/status), where the
/// system tells it.
fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The one-line summary printed after a build (French plurals agree).
pub fn summary_line(report: &BuildReport) -> String {
    let w = &report.written;
    let seconds = format!("{:.2}", report.elapsed.as_secs_f64()).replace('.', ",");
    let from_cache = match report.cards.from_cache {
        0 => String::new(),
        n => format!(" (dont {n} du cache)"),
    };
    format!(
        "Site généré : {} ; fichiers : {}, {}, {}, {} ; cartes de partage : {}, \
         {}{from_cache} ; en {seconds} s.",
        count(report.pages, "page", "pages"),
        count(w.added, "ajouté", "ajoutés"),
        count(w.changed, "modifié", "modifiés"),
        count(w.unchanged, "inchangé", "inchangés"),
        count(w.removed, "supprimé", "supprimés"),
        count(report.cards.rendered, "dessinée", "dessinées"),
        count(report.cards.reused, "reprise", "reprises"),
    )
}

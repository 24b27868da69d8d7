//! Build progress on a terminal: one line on stderr, redrawn at most ten times a second.

use std::io::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Shortest time between two redraws (a build renders thousands of pages a second).
const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// Width of the bar itself, in characters.
const BAR_WIDTH: usize = 24;

/// Progress of the current stage of a build; hidden (does nothing) off a terminal or with
/// `--quiet`. Shared across the render threads: counting is one atomic addition.
#[derive(Debug)]
pub struct Progress {
    visible: bool,
    label: Mutex<&'static str>,
    done: AtomicUsize,
    total: AtomicUsize,
    last_draw: Mutex<Option<Instant>>,
    /// Set by [`Progress::start_together`]: the stages running side by side count on one bar,
    /// and their own `start` calls change nothing.
    together: std::sync::atomic::AtomicBool,
}

impl Progress {
    /// A progress that shows nothing.
    pub fn hidden() -> Self {
        Self::new(false)
    }

    /// A progress drawn on stderr (the caller checks that stderr is a terminal).
    pub fn on_terminal() -> Self {
        Self::new(true)
    }

    fn new(visible: bool) -> Self {
        Progress {
            visible,
            label: Mutex::new(""),
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
            last_draw: Mutex::new(None),
            together: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Starts a stage of `total` steps (`label`: "pages", "cartes de partage").
    pub fn start(&self, label: &'static str, total: usize) {
        if !self.visible || self.together.load(Ordering::Relaxed) {
            return;
        }
        if let Ok(mut current) = self.label.lock() {
            *current = label;
        }
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        self.draw(true);
    }

    /// Starts stages that run side by side (pages and cards) as one bar of `total` steps,
    /// the sum of theirs: until [`Progress::end_together`], their own [`Progress::start`]
    /// calls are ignored and every step of either counts on this bar.
    pub fn start_together(&self, label: &'static str, total: usize) {
        self.start(label, total);
        self.together.store(true, Ordering::Relaxed);
    }

    /// Ends the stages started by [`Progress::start_together`].
    pub fn end_together(&self) {
        self.together.store(false, Ordering::Relaxed);
    }

    /// One step of the current stage is done.
    pub fn tick(&self) {
        if !self.visible {
            return;
        }
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        self.draw(done == self.total.load(Ordering::Relaxed));
    }

    /// Clears the line (before the summary is printed).
    pub fn finish(&self) {
        if self.visible {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }

    fn draw(&self, force: bool) {
        let Ok(mut last) = self.last_draw.try_lock() else {
            return; // another thread is drawing
        };
        let now = Instant::now();
        if !force && last.is_some_and(|t| now.duration_since(t) < REDRAW_EVERY) {
            return;
        }
        *last = Some(now);
        let label = self.label.lock().map(|l| *l).unwrap_or("");
        let line = bar_line(
            label,
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        );
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
    }
}

/// The text of the progress line: `[#######.......] 120/400 pages`.
pub fn bar_line(label: &str, done: usize, total: usize) -> String {
    let done = done.min(total);
    let filled = (done * BAR_WIDTH).checked_div(total).unwrap_or(BAR_WIDTH);
    format!(
        "[{}{}] {done}/{total} {label}",
        "#".repeat(filled),
        ".".repeat(BAR_WIDTH - filled)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_count() {
        assert_eq!(
            bar_line("pages", 0, 4),
            format!("[{}] 0/4 pages", ".".repeat(BAR_WIDTH))
        );
        assert_eq!(
            bar_line("pages", 2, 4),
            format!("[{}{}] 2/4 pages", "#".repeat(12), ".".repeat(12))
        );
        assert!(bar_line("cartes de partage", 9, 4).starts_with(&format!("[{}]", "#".repeat(24))));
        assert!(bar_line("pages", 0, 0).contains("0/0"));
    }

    #[test]
    fn stages_started_together_count_on_one_bar() {
        // Visible, but never drawn while the test holds the drawing lock.
        let progress = Progress::new(true);
        let _drawing = progress.last_draw.lock().unwrap();
        progress.start_together("pages et cartes de partage", 5);
        progress.start("pages", 3);
        progress.tick();
        progress.start("cartes de partage", 2);
        progress.tick();
        assert_eq!(progress.done.load(Ordering::Relaxed), 2);
        assert_eq!(progress.total.load(Ordering::Relaxed), 5);
        assert_eq!(
            *progress.label.lock().unwrap(),
            "pages et cartes de partage"
        );
        progress.end_together();
        progress.start("pages", 3);
        assert_eq!(progress.done.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn a_hidden_progress_counts_nothing_and_never_draws() {
        let progress = Progress::hidden();
        progress.start("pages", 3);
        progress.tick();
        assert_eq!(progress.done.load(Ordering::Relaxed), 0);
    }
}

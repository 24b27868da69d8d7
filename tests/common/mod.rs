//! Shared helpers of the integration tests: fixture copies, running the real binary, walking output.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Path of a fixture site under tests/fixtures/.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A temporary copy of a fixture site (tests never write into the repository).
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&fixture(name), dir.path());
    dir
}

/// Copies a folder recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Runs `amiris` with arguments.
pub fn amiris(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_amiris"))
        .args(args)
        .output()
        .expect("run amiris")
}

/// Runs `amiris build --root <root> --quiet` and asserts success.
pub fn build_ok(root: &Path) -> Output {
    let out = amiris(&["build", "--root", &root.to_string_lossy(), "--quiet"]);
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Builds the repository's demonstration site (its `content/`) into `output`, with `extra`
/// arguments, and asserts success.
pub fn build_demonstration_into(output: &Path, extra: &[&str]) -> Output {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = repo.to_string_lossy();
    let output = output.to_string_lossy();
    let mut args = vec!["build", "--root", &root, "--output", &output, "--quiet"];
    args.extend_from_slice(extra);
    let out = amiris(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Every file of a tree: path relative to `root` ('/'-separated) -> bytes.
pub fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("walk output"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Text of an output file.
pub fn read_text(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The HTML file at `path` under `root`, parsed.
pub fn page(root: &Path, path: &str) -> scraper::Html {
    scraper::Html::parse_document(&read_text(root, path))
}

/// Longest a bounded run may last before the test kills it (the tests assert far less).
pub const HARD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Address space allowed to a bounded run, in KiB (2 GiB): a runaway allocation fails the run.
pub const MEMORY_LIMIT_KIB: u64 = 2 * 1024 * 1024;

/// What a bounded run of `amiris` did and cost.
#[derive(Debug)]
pub struct Run {
    /// Exit status and captured output.
    pub output: Output,
    /// Wall-clock time, from spawn to exit.
    pub wall: std::time::Duration,
    /// Processor time (user + system, all threads), read from `/proc` when the process ends:
    /// unlike wall time, it does not grow when other jobs share the machine.
    pub cpu: std::time::Duration,
    /// Highest resident memory seen while it ran (`VmHWM`), in KiB.
    pub peak_kib: u64,
    /// Whether it was killed for running past [`HARD_TIMEOUT`].
    pub timed_out: bool,
}

/// `(state, utime + stime in clock ticks)` of a process, from `/proc/<pid>/stat`.
fn proc_stat(pid: u32) -> Option<(char, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat[stat.rfind(')')? + 1..].split_whitespace().collect();
    let state = fields.first()?.chars().next()?;
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((state, utime + stime))
}

/// Peak resident memory (`VmHWM`) of a running process, in KiB.
fn proc_peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `amiris` with arguments under a 2 GiB address-space limit (`ulimit -v`), killing it
/// after [`HARD_TIMEOUT`]; measures wall time, processor time and peak memory (Linux `/proc`).
pub fn amiris_bounded(args: &[&str]) -> Run {
    use std::io::Read;
    use std::process::Stdio;
    /// Clock ticks per second of `/proc/<pid>/stat` times (`getconf CLK_TCK`, 100 on Linux).
    const TICKS_PER_SECOND: u64 = 100;
    let started = std::time::Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_amiris"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run amiris");
    let pid = child.id();
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err_reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    // Poll /proc without reaping: a finished process stays a zombie ('Z') whose stat still
    // holds its final processor time, until `wait` below.
    let mut ticks = 0;
    let mut peak_kib = 0;
    let mut timed_out = false;
    while let Some((state, used)) = proc_stat(pid) {
        ticks = used;
        if state == 'Z' || state == 'X' {
            break;
        }
        if let Some(kib) = proc_peak_kib(pid) {
            peak_kib = peak_kib.max(kib);
        }
        if started.elapsed() > HARD_TIMEOUT {
            timed_out = true;
            let _ = child.kill();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let status = child.wait().expect("wait amiris");
    let wall = started.elapsed();
    let output = Output {
        status,
        stdout: out_reader.join().expect("stdout reader"),
        stderr: err_reader.join().expect("stderr reader"),
    };
    Run {
        output,
        wall,
        cpu: std::time::Duration::from_millis(ticks * 1000 / TICKS_PER_SECOND),
        peak_kib,
        timed_out,
    }
}

/// One diagnostic of `check --format json`, reduced to what the tests compare.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// `error` or `warning`.
    pub severity: String,
    /// Stable code.
    pub code: String,
    /// File relative to the root.
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
    /// Dotted field path, if any.
    pub field: Option<String>,
    /// French message.
    pub message: String,
}

/// Runs `amiris check --format json` on the site at `root`: the run (for its exit status)
/// and the diagnostics it printed.
pub fn check_json(root: &Path) -> (Output, Vec<Found>) {
    let output = amiris(&[
        "check",
        "--root",
        &root.to_string_lossy(),
        "--format",
        "json",
    ]);
    let found = json_diagnostics(&output.stdout);
    (output, found)
}

/// The diagnostics printed by `check --format json`.
pub fn json_diagnostics(stdout: &[u8]) -> Vec<Found> {
    let values: Vec<serde_json::Value> = serde_json::from_slice(stdout).unwrap_or_else(|e| {
        panic!(
            "check --format json printed no JSON array ({e}): {}",
            String::from_utf8_lossy(stdout)
        )
    });
    values
        .iter()
        .map(|v| Found {
            severity: v["severity"].as_str().expect("severity").to_string(),
            code: v["code"].as_str().expect("code").to_string(),
            file: v["file"].as_str().expect("file").to_string(),
            line: v["line"].as_u64().expect("line"),
            column: v["column"].as_u64().expect("column"),
            field: v["field"].as_str().map(str::to_string),
            message: v["message"].as_str().expect("message").to_string(),
        })
        .collect()
}

/// The twelve marker keys, in radar order (as the spec lists them).
pub const MARKER_KEYS: [&str; 12] = [
    "contextualisation",
    "beneficiaires",
    "nature_collectif",
    "intervention_collectif",
    "recherche",
    "ancrage_territorial",
    "gouvernance",
    "ressources",
    "accessibilite",
    "service",
    "rupture",
    "changement_social",
];

/// Builds the demonstration site (the repository's `content/`) without social cards into a
/// temporary folder; returns the folder (kept alive) and the output path.
pub fn build_demonstration() -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().expect("tempdir");
    let output = out.path().join("site");
    build_demonstration_into(&output, &["--sans-cartes"]);
    (out, output)
}

pub mod browser;

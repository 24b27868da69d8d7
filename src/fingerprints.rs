//! Fingerprints kept beside the output between builds: what each page was made from, so that a rebuild links the pages whose inputs did not change instead of rendering them again.
//!
//! `<output>.amiris-empreintes` (beside the output folder, like its marker file, so never
//! published) lists, for each page made from a template and each radar, the hash of its
//! inputs (see [`crate::render::PageHashes`]) with the size and modification time of the
//! file written. A later build trusts an entry only when the file in the output still has
//! that size and modification time, and only when it runs the same program (its version and
//! the size and date of its executable) with the same templates: then the page is hard-linked
//! without being rendered. Anything else (no file, another program, an edited template, a
//! file changed by hand, a damaged line) means the page is rendered and compared as usual.

use crate::output::Stamp;
use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// First line of the file.
const HEADER: &str = "amiris-empreintes 1";

/// Suffix of the file, beside the output folder: `output` → `output.amiris-empreintes`.
pub const SUFFIX: &str = ".amiris-empreintes";

/// What the fingerprints of an earlier build say: path → (hash of the inputs, stamp of the
/// file written).
pub type Previous = HashMap<String, (u64, Stamp)>;

/// The fingerprint file of the output folder `output` (absolute, named).
pub fn path_for(output: &Path) -> Option<PathBuf> {
    let mut name = output.file_name()?.to_os_string();
    name.push(SUFFIX);
    Some(output.with_file_name(name))
}

/// Who made the pages: this program (version, size and date of its executable) with
/// templates of hash `theme`.
pub fn identity(theme: u64) -> String {
    let exe = std::env::current_exe()
        .and_then(fs::metadata)
        .ok()
        .map(|m| (m.len(), m.modified().ok().map(nanos)));
    match exe {
        Some((len, Some(Some(modified)))) => format!(
            "{} {len} {modified} {theme:016x}",
            env!("CARGO_PKG_VERSION")
        ),
        // Without a way to tell two executables apart, nothing is reused.
        _ => String::new(),
    }
}

/// The fingerprints at `path` made by `identity`; empty when there are none, when they come
/// from another program or theme, or when the file cannot be read.
pub fn read(path: &Path, identity: &str) -> Previous {
    let mut previous = Previous::new();
    if identity.is_empty() {
        return previous;
    }
    let Ok(text) = fs::read_to_string(path) else {
        return previous;
    };
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) || lines.next() != Some(identity) {
        return previous;
    }
    for line in lines {
        if let Some((path, entry)) = parse_line(line) {
            previous.insert(path, entry);
        }
    }
    previous
}

/// Writes `entries` (path, hash, stamp) made by `identity` to `path`, through a temporary
/// file renamed over it. Entries without a modification time are left out.
pub fn write<'e>(
    path: &Path,
    identity: &str,
    entries: impl IntoIterator<Item = (&'e str, u64, Stamp)>,
) -> std::io::Result<()> {
    let mut text = format!("{HEADER}\n{identity}\n");
    let mut lines: Vec<String> = entries
        .into_iter()
        .filter(|(path, _, _)| !path.contains(['\n', '\t']))
        .filter_map(|(path, hash, (len, modified))| {
            let modified = nanos(modified?)?;
            Some(format!("{hash:016x}\t{len}\t{modified}\t{path}\n"))
        })
        .collect();
    lines.sort_unstable();
    text.extend(lines);
    let mut temporary = path.as_os_str().to_os_string();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    let mut file = fs::File::create(&temporary)?;
    file.write_all(text.as_bytes())?;
    drop(file);
    fs::rename(&temporary, path)
}

/// Removes the fingerprints at `path`, if any (a build that could not write new ones must
/// not leave old ones that no longer describe the output).
pub fn remove(path: &Path) {
    let _ = fs::remove_file(path);
}

/// Nanoseconds since the Unix epoch.
fn nanos(time: SystemTime) -> Option<u128> {
    time.duration_since(UNIX_EPOCH).ok().map(|d| d.as_nanos())
}

/// One line: `hash \t size \t modification (ns) \t path`.
fn parse_line(line: &str) -> Option<(String, (u64, Stamp))> {
    let mut fields = line.splitn(4, '\t');
    let hash = u64::from_str_radix(fields.next()?, 16).ok()?;
    let len: u64 = fields.next()?.parse().ok()?;
    let modified: u128 = fields.next()?.parse().ok()?;
    let path = fields.next()?;
    let seconds = u64::try_from(modified / 1_000_000_000).ok()?;
    let sub = u32::try_from(modified % 1_000_000_000).ok()?;
    let time = UNIX_EPOCH.checked_add(Duration::new(seconds, sub))?;
    Some((path.to_string(), (hash, (len, Some(time)))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_other_identities_are_ignored() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("site.amiris-empreintes");
        let time = UNIX_EPOCH + Duration::new(1_764_000_000, 123_456_789);
        write(
            &file,
            "moi",
            [
                ("projets/a/index.html", 0xabcd, (42, Some(time))),
                ("sans-date.html", 1, (1, None)),
            ],
        )
        .expect("write");
        let read_back = read(&file, "moi");
        assert_eq!(read_back.len(), 1);
        assert_eq!(
            read_back["projets/a/index.html"],
            (0xabcd, (42, Some(time)))
        );
        assert!(read(&file, "un autre").is_empty());
        assert!(read(&file, "").is_empty());
        assert!(read(&dir.path().join("absent"), "moi").is_empty());
    }

    #[test]
    fn damaged_lines_are_skipped() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("f");
        fs::write(
            &file,
            format!("{HEADER}\nmoi\nzz\t1\t2\ta\n00ff\t3\t4000000000\tb\n00ff\tx\t1\tc\n"),
        )
        .expect("write");
        let read_back = read(&file, "moi");
        assert_eq!(read_back.keys().collect::<Vec<_>>(), ["b"]);
    }
}

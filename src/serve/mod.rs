//! `amiris serve`: builds the site in memory, serves it on the loopback interface, watches
//! `content/` and `themes/`, rebuilds what an edit affects and reloads the open pages.
//!
//! The site is never written to disk: the server answers from the files of the last good
//! build ([`live::Live`]). HTML answers get a reload script (a long-poll on
//! `/__amiris/evenements`) and, while the content is invalid, a banner listing the
//! diagnostics ([`http`]). Each rebuild checks again only the project files that changed,
//! reuses the parsed bodies, related projects and search terms whose inputs are unchanged,
//! renders the pages asked for recently and leaves every other file to be rendered when asked
//! for, if its inputs changed ([`live::Builder::rebuild_then`]); the first build and a theme
//! change render all.

pub mod http;
pub mod live;

use live::{Builder, Live, Message, Outcome, Session};
use notify::{EventKind, RecursiveMode, Watcher};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

/// Quiet time after the last file event before rebuilding (editors write in several steps).
pub const DEBOUNCE: Duration = Duration::from_millis(25);

/// What `amiris serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site folder (holds `content/site.yaml`).
    pub root: PathBuf,
    /// Port on 127.0.0.1; 0 lets the system choose a free one.
    pub port: u16,
    /// Publish drafts too.
    pub drafts: bool,
}

/// Why the preview could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The port is taken or not allowed.
    #[error(
        "impossible d'ouvrir le port {port} sur 127.0.0.1 : {message}. Choisissez-en un autre avec --port (par exemple --port 8001), ou omettez --port pour un port libre"
    )]
    Bind {
        /// The port asked for.
        port: u16,
        /// The system's reason.
        message: String,
    },
    /// A folder cannot be watched.
    #[error(
        "impossible de surveiller le dossier {} ({message}) : vérifiez qu'il existe et qu'il est lisible",
        path.display()
    )]
    Watch {
        /// The folder.
        path: PathBuf,
        /// The reason.
        message: String,
    },
    /// The site folder has no `content/` folder.
    #[error(
        "le dossier {} n'a pas de sous-dossier content/ : lancez la commande dans le dossier du site ou indiquez-le avec --root",
        path.display()
    )]
    NoContent {
        /// The site folder.
        path: PathBuf,
    },
}

/// Why a port could not be opened, in French and without the system's error number.
fn bind_reason(error: &(dyn std::error::Error + 'static)) -> String {
    match error.downcast_ref::<std::io::Error>().map(std::io::Error::kind) {
        Some(std::io::ErrorKind::AddrInUse) => {
            "ce port est déjà utilisé (par un autre aperçu amiris ou un autre programme)".into()
        }
        Some(std::io::ErrorKind::PermissionDenied) => {
            "ce port est réservé (les ports en dessous de 1024 demandent des droits d'administration)"
                .into()
        }
        _ => error
            .downcast_ref::<std::io::Error>()
            .map_or_else(|| error.to_string(), crate::scaffold::plain_io_error),
    }
}

/// Index of `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (mimalloc.h): the crate
/// does not name it (see the test that checks its default).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc (the binary's allocator) never to give freed memory back to the system:
/// each rebuild of `serve` frees and allocates again about as much as the one before, and
/// memory given back is zeroed by the kernel again when touched (2 MB pages: on this machine,
/// 15,900 page faults for a build of 10,000 projects instead of 620). Nothing changes when
/// another allocator is the global one.
pub fn keep_freed_memory() {
    // SAFETY: sets an integer option of mimalloc's; any value is valid for any option, and
    // mimalloc reads its options atomically.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// Runs the preview until the process is stopped (Ctrl+C).
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let root = std::fs::canonicalize(&options.root).unwrap_or_else(|_| options.root.clone());
    let content = root.join("content");
    if !content.is_dir() {
        return Err(ServeError::NoContent { path: root });
    }
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, options.port));
    let server = tiny_http::Server::http(address).map_err(|e| ServeError::Bind {
        port: options.port,
        message: bind_reason(&*e),
    })?;
    let port = server
        .server_addr()
        .to_ip()
        .map_or(options.port, |a| a.port());
    let url = format!("http://127.0.0.1:{port}/");

    // Watch before the first build, so that no edit made during it is missed. File events and
    // the HTTP threads' requests for pending files reach the builder through one channel.
    let (sender, messages) = mpsc::channel();
    let events = sender.clone();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = events.send(Message::Changed(event));
    })
    .map_err(|e| ServeError::Watch {
        path: content.clone(),
        message: e.to_string(),
    })?;
    let themes = root.join("themes");
    for folder in [&content, &themes] {
        if folder.is_dir() {
            watcher
                .watch(folder, RecursiveMode::Recursive)
                .map_err(|e| ServeError::Watch {
                    path: folder.clone(),
                    message: e.to_string(),
                })?;
        }
    }

    let live = Arc::new(Live::default());
    live.render_with(sender);
    let mut builder = Builder::new(root.clone(), options.drafts, url.clone(), live.clone());
    let mut server = Some(server);
    let mut theme_changed = true;
    let mut first = true;
    // Requests for pending files that came while the files settled: answered by the next site.
    let mut held: Vec<(String, mpsc::Sender<()>)> = Vec::new();
    // Whether this rebuild is the one that follows the first build at once (see below).
    let mut after_first = false;
    loop {
        let next = builder.rebuild_then(theme_changed, |outcome, session| {
            let built = matches!(outcome, Outcome::Rebuilt { .. });
            if !(after_first && matches!(outcome, Outcome::Unchanged { .. })) {
                report(&outcome, first);
            }
            if let Some(server) = server.take() {
                start_server(server, &live);
                println!("Aperçu du site : {url}");
                println!(
                    "Surveillance de {}{} ; arrêt : Ctrl+C.",
                    display(&root, &content),
                    if themes.is_dir() {
                        format!(" et {}", display(&root, &themes))
                    } else {
                        String::new()
                    }
                );
                println!(
                    "L'aperçu n'écrit rien sur le disque et ne répond qu'à cet ordinateur (127.0.0.1)."
                );
            }
            for (path, done) in held.drain(..) {
                session.render(&path);
                let _ = done.send(());
            }
            if first && built {
                // The first build made every page, card and open-data record: freeing them
                // took tens of milliseconds, which the first edit waited for. A rebuild with
                // nothing changed, straight away, frees them while nobody waits (silent
                // unless something changed meanwhile).
                return Some(Changes::default());
            }
            serve_until_change(&messages, &themes, session)
        });
        after_first = first;
        first = false;
        // The previous site is dropped while the files settle.
        let Some(mut changes) = next else { break };
        if !after_first && !settle(&messages, &themes, &mut changes, &mut held) {
            break;
        }
        theme_changed = changes.theme;
    }
    drop(watcher);
    Ok(())
}

/// Answers each HTTP request on its own thread.
fn start_server(server: tiny_http::Server, live: &Arc<Live>) {
    let live = live.clone();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let live = live.clone();
            std::thread::spawn(move || http::handle(request, &live));
        }
    });
}

/// What the file events since the last rebuild asked for.
#[derive(Debug, Default)]
struct Changes {
    /// Something other than a read happened (or an event was lost).
    relevant: bool,
    /// A file of `themes/` changed: every file is rendered again.
    theme: bool,
}

impl Changes {
    fn note(&mut self, event: notify::Result<notify::Event>, themes: &Path) {
        match event {
            Ok(event) => {
                if matches!(event.kind, EventKind::Access(_)) {
                    return;
                }
                self.relevant = true;
                if event.paths.iter().any(|p| p.starts_with(themes)) {
                    self.theme = true;
                }
            }
            Err(error) => {
                eprintln!("Surveillance des fichiers : {error}");
                // Something may have been missed: rebuild to be sure.
                self.relevant = true;
            }
        }
    }
}

/// Renders the files asked for until a file changes; returns that change (`None` when the
/// watcher stopped).
fn serve_until_change(
    messages: &mpsc::Receiver<Message>,
    themes: &Path,
    session: &Session<'_>,
) -> Option<Changes> {
    loop {
        match messages.recv() {
            Ok(Message::Render { path, done }) => {
                session.render(&path);
                let _ = done.send(());
            }
            Ok(Message::Changed(event)) => {
                let mut changes = Changes::default();
                changes.note(event, themes);
                if changes.relevant {
                    return Some(changes);
                }
            }
            Err(_) => return None,
        }
    }
}

/// Waits until no file event came for [`DEBOUNCE`] (editors write in several steps), noting
/// the changes; requests for pending files are `held` for the next site. False when the
/// watcher stopped.
fn settle(
    messages: &mpsc::Receiver<Message>,
    themes: &Path,
    changes: &mut Changes,
    held: &mut Vec<(String, mpsc::Sender<()>)>,
) -> bool {
    loop {
        match messages.recv_timeout(DEBOUNCE) {
            Ok(Message::Changed(event)) => changes.note(event, themes),
            Ok(Message::Render { path, done }) => held.push((path, done)),
            Err(mpsc::RecvTimeoutError::Timeout) => return true,
            Err(mpsc::RecvTimeoutError::Disconnected) => return false,
        }
    }
}

fn display(root: &Path, folder: &Path) -> String {
    folder.strip_prefix(root).map_or_else(
        |_| folder.display().to_string(),
        |p| format!("{}/", p.display()),
    )
}

/// Milliseconds, for the console.
fn ms(duration: Duration) -> u128 {
    duration.as_millis()
}

/// Prints how a rebuild went.
fn report(outcome: &Outcome, first: bool) {
    match outcome {
        Outcome::Rebuilt {
            pages,
            others,
            total_pages,
            full,
            on_request,
            check,
            elapsed,
            warnings,
            ..
        } => {
            if !warnings.is_empty() {
                eprint!("{warnings}");
            }
            let verb = if first { "Construit" } else { "Reconstruit" };
            let scope = if *full {
                "site entier".to_string()
            } else {
                format!("sur {total_pages}")
            };
            let rest = if *on_request {
                ", les autres à la demande"
            } else {
                ""
            };
            println!(
                "{verb} en {} ms : {} ({scope}) et {}{rest} ; vérification {} ms.",
                ms(*elapsed),
                crate::text::count(*pages, "page", "pages"),
                crate::text::count(*others, "autre fichier", "autres fichiers"),
                ms(*check)
            );
        }
        Outcome::Unchanged { elapsed } => {
            println!(
                "Reconstruit en {} ms : 0 page (rien n'a changé dans les pages ouvertes).",
                ms(*elapsed)
            );
        }
        Outcome::Failed {
            report,
            projects_only,
        } => {
            eprint!("{report}");
            if !report.ends_with('\n') {
                eprintln!();
            }
            if *projects_only {
                println!(
                    "Erreurs dans des fiches projet : le navigateur les affiche ; ces fiches \
                     restent hors de l'aperçu, le reste du site suit vos modifications."
                );
            } else {
                println!(
                    "Erreurs dans le contenu : le navigateur les affiche ; le dernier site \
                     correct reste servi."
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option index is mimalloc 3's purge delay: its default is 1,000 ms there (options.c),
    /// a value no neighbouring option has; a mimalloc whose options moved fails here.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reads an integer option.
        let get = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(get(), 1000);
        }
        keep_freed_memory();
        assert_eq!(get(), -1);
    }
}

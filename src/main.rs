//! The `amiris` binary: parses the command line, runs the library, prints, sets the exit code.

use amiris::build::{self, BuildError, BuildOptions};
use amiris::cli::{Command, Format};
use amiris::diagnostic::{self, Diagnostic};
use amiris::schema;
use std::process::ExitCode;

/// The allocator: a build allocates and frees many small strings and values (pages, template
/// values, search terms); mimalloc does it with fewer instructions than the system's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code when the content has errors (site.md).
const EXIT_CONTENT: u8 = 1;
/// Exit code for usage, configuration or I/O failures (site.md).
const EXIT_FAILURE: u8 = 2;

fn main() -> ExitCode {
    let cli = match amiris::cli::parse() {
        Ok(cli) => cli,
        Err(error) if amiris::cli::is_help(&error) => {
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        Err(error) => return fail(&amiris::cli::usage_error(&error)),
    };
    match cli.command {
        Command::New { title, root } => new_command(&root, &title),
        Command::Init { dir } => init_command(&dir),
        Command::Import {
            file,
            root,
            essai,
            remplacer,
            partiel,
        } => import_command(amiris::import::ImportOptions {
            root,
            csv: file,
            dry_run: essai,
            replace: remplacer,
            partial: partiel,
        }),
        Command::Schema { root, draft_07 } => {
            let dialect = if draft_07 {
                schema::Dialect::Draft07
            } else {
                schema::Dialect::Draft2020
            };
            schema_command(root.as_deref(), dialect)
        }
        Command::Serve { root, port, drafts } => {
            amiris::serve::keep_freed_memory();
            match amiris::serve::serve(&amiris::serve::ServeOptions { root, port, drafts }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => fail(&error.to_string()),
            }
        }
        Command::Check {
            root,
            format,
            base_url,
        } => match base_url.as_deref().map(build::base_url_option).transpose() {
            Err(message) => fail(&message),
            Ok(base_url) => check_command(&root, format, base_url.as_deref()),
        },
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            cache,
            quiet,
            no_cards,
            timings,
        } => {
            let output = output.unwrap_or_else(|| root.join("output"));
            let options = BuildOptions {
                output: output.clone(),
                root,
                base_url,
                drafts,
                no_cards,
                cache,
            };
            // A bar on a terminal only: `--quiet` and redirected output get the summary line.
            let progress = if !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                amiris::progress::Progress::on_terminal()
            } else {
                amiris::progress::Progress::hidden()
            };
            match build::build_with_progress(&options, &progress) {
                Ok(report) => {
                    let warnings: Vec<Diagnostic> = report.checked.validated.diagnostics.clone();
                    if !quiet && !warnings.is_empty() {
                        eprint!(
                            "{}",
                            diagnostic::to_human(&warnings, &report.checked.sources)
                        );
                    }
                    if !quiet && report.checked.validated.site.url_base.is_none() {
                        eprintln!("{}", amiris::render::discovery::NO_BASE_URL_WARNING);
                    }
                    println!("{}", build::summary_line(&report));
                    if timings {
                        print!("{}", build::timings_lines(&report));
                    }
                    if !quiet {
                        println!("{}", where_line(&output));
                    }
                    ExitCode::SUCCESS
                }
                Err(BuildError::Content(checked)) => {
                    let diagnostics = &checked.validated.diagnostics;
                    let shown: Vec<Diagnostic> = if quiet {
                        diagnostics
                            .iter()
                            .filter(|d| d.is_error())
                            .cloned()
                            .collect()
                    } else {
                        diagnostics.clone()
                    };
                    eprint!("{}", diagnostic::to_human(&shown, &checked.sources));
                    eprintln!(
                        "Le contenu comporte des erreurs : rien n'a été écrit, le site précédent reste en place."
                    );
                    ExitCode::from(EXIT_CONTENT)
                }
                Err(error) => fail(&error.to_string()),
            }
        }
    }
}

/// `amiris schema`: the schema on stdout; site.yaml errors exit 1, a missing site exits 2.
fn schema_command(root: Option<&std::path::Path>, dialect: schema::Dialect) -> ExitCode {
    match schema::generate(root, dialect) {
        Ok(generated) => {
            if let Some(note) = generated.note {
                eprintln!("{note}");
            }
            print!("{}", generated.json);
            ExitCode::SUCCESS
        }
        Err(schema::SchemaError::Content(report)) => {
            eprint!("{report}");
            eprintln!("site.yaml comporte des erreurs : corrigez-les pour obtenir le schéma.");
            ExitCode::from(EXIT_CONTENT)
        }
        Err(schema::SchemaError::Failure(message)) => fail(&message),
    }
}

/// `amiris new`: the commented project file, or why it was not written (exit 2).
fn new_command(root: &std::path::Path, title: &str) -> ExitCode {
    match amiris::scaffold::new_project(root, title) {
        Ok(relative) => {
            println!(
                "Fiche créée : {relative}\nRemplissez-la, puis lancez « amiris check » : il liste \
                 ce qui reste à compléter."
            );
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error.to_string()),
    }
}

/// `amiris init`: a new site in an empty folder.
fn init_command(dir: &std::path::Path) -> ExitCode {
    match amiris::scaffold::init_site(dir) {
        Ok(files) => {
            println!("Site créé dans « {} » :", dir.display());
            for file in files {
                println!("  {file}");
            }
            println!(
                "Ensuite : amiris build --root {} (le site est écrit dans output/), puis \
                 amiris new \"Titre du projet\" --root {} pour chaque projet. Pour publier : \
                 docs/publier.md (publication/ contient les fichiers prêts à copier pour GitHub \
                 Pages et GitLab Pages).",
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error.to_string()),
    }
}

/// `amiris import`: problems by row and column; files written only when no row has an error,
/// or, with `--partiel`, the rows without errors (exit 1 if any row was refused).
fn import_command(options: amiris::import::ImportOptions) -> ExitCode {
    use amiris::import;
    use amiris::text::count;
    let name = options.csv.display().to_string();
    let report = match import::run(&options) {
        Ok(report) => report,
        Err(error) => return fail(&error.to_string()),
    };
    eprint!("{}", import::to_human(&report, &name));
    let rows = report.rows.len();
    let failing = report.rows.iter().filter(|r| r.has_errors()).count();
    let errors: usize = report
        .rows
        .iter()
        .flat_map(|r| &r.problems)
        .filter(|p| p.severity == diagnostic::Severity::Error)
        .count()
        + report.header_problems.len()
        + report.site_problems.len();
    let warnings: usize = report
        .rows
        .iter()
        .flat_map(|r| &r.problems)
        .filter(|p| p.severity == diagnostic::Severity::Warning)
        .count();
    let read = format!(
        "{name} ({}, séparateur « {} ») : {} de projet, {failing} avec des erreurs ; {}, {}.",
        report.encoding,
        if report.separator == '\t' {
            "tabulation".to_string()
        } else {
            report.separator.to_string()
        },
        count(rows, "ligne", "lignes"),
        count(errors, "erreur", "erreurs"),
        count(warnings, "avertissement", "avertissements"),
    );
    let drafts = report
        .rows
        .iter()
        .filter(|r| !r.has_errors() && r.problems.iter().any(|p| p.code == "corps-vide"))
        .count();
    let drafts_note = if drafts == 0 {
        String::new()
    } else {
        format!(
            " Dont {} sans texte, en brouillon (hors du site).",
            count(drafts, "fiche", "fiches")
        )
    };
    if report.blocks_every_row() || (report.has_errors() && !options.partial) {
        println!("{read}");
        println!(
            "Rien n'a été écrit : corrigez le tableau (ligne et colonne indiquées) et relancez{}.",
            if report.blocks_every_row() {
                ""
            } else {
                ", ou écrivez seulement les lignes sans erreur avec --partiel"
            }
        );
        return ExitCode::from(EXIT_CONTENT);
    }
    if options.dry_run {
        println!("{read}");
        let writable: Vec<_> = report.rows.iter().filter(|r| !r.has_errors()).collect();
        let existing = writable.iter().filter(|r| r.exists).count();
        let existing_note = if existing == 0 {
            String::new()
        } else if options.replace {
            format!(" et {}", count(existing, "remplacée", "remplacées"))
        } else {
            format!(
                " ; {} déjà et {} (--remplacer pour les remplacer)",
                count(existing, "existe", "existent"),
                if existing > 1 {
                    "seraient laissées telles quelles"
                } else {
                    "serait laissée telle quelle"
                }
            )
        };
        let refused_note = if failing == 0 {
            String::new()
        } else {
            format!(
                " ; {}",
                count(failing, "ligne serait refusée", "lignes seraient refusées")
            )
        };
        println!(
            "Essai : rien n'a été écrit. Sans --essai, {}{existing_note}{refused_note}.{drafts_note}",
            count(
                writable.len() - existing,
                "fiche serait créée",
                "fiches seraient créées"
            ),
        );
        return if failing > 0 {
            ExitCode::from(EXIT_CONTENT)
        } else {
            ExitCode::SUCCESS
        };
    }
    for path in &report.written {
        println!("écrit : {path}");
    }
    for path in &report.kept {
        println!("existe déjà, laissé tel quel : {path} (--remplacer pour le remplacer)");
    }
    println!("{read}");
    println!(
        "{}, {}.{drafts_note}",
        count(report.written.len(), "fiche écrite", "fiches écrites"),
        count(
            report.kept.len(),
            "laissée telle quelle",
            "laissées telles quelles"
        )
    );
    if !report.refused.is_empty() {
        let lines: Vec<String> = report.refused.iter().map(u64::to_string).collect();
        println!(
            "{} à cause de leurs erreurs ({}) : corrigez le tableau et relancez.",
            count(
                report.refused.len(),
                "ligne non écrite",
                "lignes non écrites"
            ),
            if lines.len() > 1 {
                format!("lignes {}", lines.join(", "))
            } else {
                format!("ligne {}", lines.join(", "))
            }
        );
        return ExitCode::from(EXIT_CONTENT);
    }
    ExitCode::SUCCESS
}

/// After a build: where the site is and how to look at it.
fn where_line(output: &std::path::Path) -> String {
    let shown = std::fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf());
    format!(
        "Site écrit dans « {0} ». Pour le regarder : python3 -m http.server --directory \"{0}\" \
         8000, puis http://localhost:8000/ ; pour un aperçu qui suit vos modifications : amiris \
         serve ; pour le publier : docs/publier.md.",
        shown.display()
    )
}

/// `amiris check`: every problem of every file, the site's address taken from `base_url`
/// when given.
fn check_command(root: &std::path::Path, format: Format, base_url: Option<&str>) -> ExitCode {
    match build::check_with_base_url(root, base_url) {
        Ok(checked) => {
            let diagnostics = &checked.validated.diagnostics;
            match format {
                Format::Json => println!("{}", diagnostic::to_json(diagnostics)),
                Format::Human => {
                    print!("{}", diagnostic::to_human(diagnostics, &checked.sources))
                }
            }
            if checked.validated.has_errors() {
                ExitCode::from(EXIT_CONTENT)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => fail(&error.to_string()),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("erreur : {message}");
    ExitCode::from(EXIT_FAILURE)
}

//! The `amiris` binary: parses the command line, runs the library, prints, sets the exit code.

use amiris::build::{self, BuildError, BuildOptions};
use amiris::cli::{Cli, Command, Format};
use amiris::diagnostic::{self, Diagnostic};
use amiris::schema;
use clap::Parser;
use std::process::ExitCode;

/// Exit code when the content has errors (site.md).
const EXIT_CONTENT: u8 = 1;
/// Exit code for usage, configuration or I/O failures (site.md).
const EXIT_FAILURE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Schema { root, draft_07 } => {
            let dialect = if draft_07 {
                schema::Dialect::Draft07
            } else {
                schema::Dialect::Draft2020
            };
            schema_command(root.as_deref(), dialect)
        }
        Command::Check { root, format } => match build::check(&root) {
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
        },
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            quiet,
        } => {
            let options = BuildOptions {
                output: output.unwrap_or_else(|| root.join("output")),
                root,
                base_url,
                drafts,
            };
            match build::build(&options) {
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

fn fail(message: &str) -> ExitCode {
    eprintln!("erreur : {message}");
    ExitCode::from(EXIT_FAILURE)
}

//! Command-line definitions (clap), with French help texts.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// amiris : génère le site du catalogue des initiatives labellisées AMIRIS.
#[derive(Debug, Parser)]
#[command(name = "amiris", version, about, long_about = None)]
pub struct Cli {
    /// La commande à lancer.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands of site.md.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Vérifie le contenu puis génère le site dans le dossier de sortie.
    Build {
        /// Dossier du site, celui qui contient content/site.yaml (par défaut : le dossier
        /// courant).
        #[arg(long, default_value = ".", value_name = "DOSSIER")]
        root: PathBuf,
        /// Dossier où écrire le site (par défaut : <root>/output).
        #[arg(long, value_name = "DOSSIER")]
        output: Option<PathBuf>,
        /// Adresse publique du site, à la place de url_base de site.yaml.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Publie aussi les brouillons (brouillon: true).
        #[arg(long)]
        drafts: bool,
        /// Dossier où garder les cartes de partage dessinées, pour les reprendre à la
        /// construction suivante même si le dossier de sortie a disparu (à la place de
        /// cache_cartes de site.yaml).
        #[arg(long, value_name = "DOSSIER")]
        cache: Option<PathBuf>,
        /// N'affiche que le résumé final et les erreurs.
        #[arg(long)]
        quiet: bool,
        /// Ne dessine pas les cartes de partage (images PNG des réseaux sociaux), quel que
        /// soit le réglage cartes_de_partage de site.yaml.
        #[arg(long = "sans-cartes")]
        no_cards: bool,
        /// Affiche après le résumé la durée de chaque étape et la mémoire maximale.
        #[arg(long)]
        timings: bool,
    },
    /// Vérifie le contenu et signale tous les problèmes, sans rien écrire.
    Check {
        /// Dossier du site, celui qui contient content/site.yaml (par défaut : le dossier
        /// courant).
        #[arg(long, default_value = ".", value_name = "DOSSIER")]
        root: PathBuf,
        /// Format du rapport : human (lisible, par défaut) ou json (pour les outils).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Adresse publique du site, à la place de url_base de site.yaml, comme pour build
        /// (les liens vers les flux Atom qu'elle fait publier ne sont alors pas signalés).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Aperçu local : construit le site en mémoire, le sert sur 127.0.0.1 et le met à jour
    /// à chaque modification de content/ ou du thème (rechargement automatique des pages).
    Serve {
        /// Dossier du site, celui qui contient content/site.yaml (par défaut : le dossier
        /// courant).
        #[arg(long, default_value = ".", value_name = "DOSSIER")]
        root: PathBuf,
        /// Port sur 127.0.0.1 (par défaut : un port libre choisi par le système).
        #[arg(long, default_value_t = 0, value_name = "N")]
        port: u16,
        /// Montre aussi les brouillons (brouillon: true).
        #[arg(long)]
        drafts: bool,
    },
    /// Affiche le schéma JSON (draft 2020-12) de l'en-tête d'une fiche projet, pour les éditeurs.
    Schema {
        /// Dossier du site dont reprendre les secteurs et publics (par défaut : le dossier
        /// courant s'il contient content/site.yaml, sinon un schéma sans vocabulaires).
        #[arg(long, value_name = "DOSSIER")]
        root: Option<PathBuf>,
        /// Déclare le dialecte draft-07 au lieu de 2020-12 (mêmes règles), pour les outils qui
        /// ne connaissent pas 2020-12 (remark-lint-frontmatter-schema).
        #[arg(long = "draft-07")]
        draft_07: bool,
    },
    /// Crée une fiche projet commentée à remplir : content/projets/<adresse>.md.
    New {
        /// Titre du projet, entre guillemets (il donne aussi le nom du fichier).
        #[arg(value_name = "TITRE")]
        title: String,
        /// Dossier du site, celui qui contient content/site.yaml (par défaut : le dossier
        /// courant).
        #[arg(long, default_value = ".", value_name = "DOSSIER")]
        root: PathBuf,
    },
    /// Crée un nouveau site dans un dossier vide : réglages, vocabulaires, un projet d'exemple
    /// et les pages libres.
    Init {
        /// Dossier à créer (absent ou vide).
        #[arg(value_name = "DOSSIER")]
        dir: PathBuf,
    },
    /// Crée des fiches projet à partir d'un tableau exporté en CSV (une ligne par projet).
    Import {
        /// Fichier CSV (séparateur « ; » ou « , », UTF-8 ou Windows-1252).
        #[arg(value_name = "FICHIER.csv")]
        file: PathBuf,
        /// Dossier du site, celui qui contient content/site.yaml (par défaut : le dossier
        /// courant).
        #[arg(long, default_value = ".", value_name = "DOSSIER")]
        root: PathBuf,
        /// Vérifie chaque ligne et signale les problèmes sans rien écrire.
        #[arg(long)]
        essai: bool,
        /// Remplace les fiches qui existent déjà (sinon elles sont laissées telles quelles).
        #[arg(long)]
        remplacer: bool,
        /// Écrit les lignes sans erreur même si d'autres en ont (sinon : tout ou rien) ; les
        /// lignes refusées sont signalées et le code de sortie vaut 1.
        #[arg(long)]
        partiel: bool,
    },
}

/// Report format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Like a compiler: message, place, source line with a caret.
    Human,
    /// One JSON array of diagnostics.
    Json,
}

/// Help layout with French headings and French typography (a space before the colon), for a
/// command with or without subcommands and positional arguments (clap's own headings say
/// "Usage:", "Commands:", "Arguments:").
fn help_template(command: &clap::Command) -> String {
    let mut sections = Vec::new();
    if command.has_subcommands() {
        sections.push("Commandes :\n{subcommands}");
    }
    if command.get_positionals().next().is_some() {
        sections.push("Arguments :\n{positionals}");
    }
    sections.push("Options :\n{options}");
    format!(
        "{{about-with-newline}}\nUtilisation : {{usage}}\n\n{}{{after-help}}",
        sections.join("\n\n")
    )
}

/// The command line with every text clap writes itself in French: help and version flags,
/// headings, no English `help` subcommand.
pub fn command() -> clap::Command {
    french(Cli::command(), true)
}

fn french(command: clap::Command, top: bool) -> clap::Command {
    let template = help_template(&command);
    let mut command = command
        .help_template(template)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_help_heading("Commandes")
        .subcommand_value_name("COMMANDE")
        .arg(
            Arg::new("aide")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Affiche cette aide"),
        );
    if top {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Affiche la version d'amiris"),
        );
    }
    // clap would add "[default: …]" and "[possible values: …]": the French help texts say it.
    let ids: Vec<String> = command
        .get_arguments()
        .filter(|arg| arg.get_action().takes_values())
        .map(|arg| arg.get_id().to_string())
        .collect();
    for id in ids {
        command = command.mut_arg(id, |arg| {
            arg.hide_default_value(true).hide_possible_values(true)
        });
    }
    command.mut_subcommands(|sub| french(sub, false))
}

/// Reads the command line (help and version requests come back as errors to print as is).
pub fn parse() -> Result<Cli, clap::Error> {
    let matches = command().try_get_matches()?;
    Cli::from_arg_matches(&matches)
}

/// Whether a parse "error" is in fact help or version text to print, and success.
pub fn is_help(error: &clap::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    )
}

/// A French message for a command line that was not understood: what is wrong, a suggestion
/// when one is close, and where to find help.
pub fn usage_error(error: &clap::Error) -> String {
    let text = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(list)) => Some(list.join(", ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(list)) => Some(
            list.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    };
    let quoted = |kind: ContextKind| text(kind).map(|s| format!("« {s} »"));
    let suggestion = |kind: ContextKind| {
        text(kind)
            .map(|s| format!(" Vouliez-vous dire « {s} » ?"))
            .unwrap_or_default()
    };
    let what = match error.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "{} n'est pas une commande d'amiris.{} Commandes : {}.",
            quoted(ContextKind::InvalidSubcommand).unwrap_or_default(),
            suggestion(ContextKind::SuggestedSubcommand),
            subcommand_names().join(", ")
        ),
        ErrorKind::UnknownArgument => format!(
            "l'option {} n'existe pas pour cette commande.{}",
            quoted(ContextKind::InvalidArg).unwrap_or_default(),
            suggestion(ContextKind::SuggestedArg)
        ),
        // clap reports an option given without its value as an empty value.
        ErrorKind::InvalidValue if text(ContextKind::InvalidValue).is_none_or(|v| v.is_empty()) => {
            format!(
                "il manque la valeur de {} : écrivez-la après l'option.",
                quoted(ContextKind::InvalidArg).unwrap_or_else(|| "cette option".into())
            )
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let allowed = text(ContextKind::ValidValue)
                .map(|v| format!(" Valeurs permises : {v}."))
                .unwrap_or_default();
            format!(
                "la valeur {} ne convient pas pour {}.{allowed}",
                quoted(ContextKind::InvalidValue).unwrap_or_else(|| "donnée".into()),
                quoted(ContextKind::InvalidArg).unwrap_or_else(|| "cette option".into())
            )
        }
        ErrorKind::MissingRequiredArgument => format!(
            "il manque {}.",
            quoted(ContextKind::InvalidArg).unwrap_or_else(|| "un argument".into())
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            format!("indiquez une commande : {}.", subcommand_names().join(", "))
        }
        ErrorKind::ArgumentConflict => format!(
            "l'option {} ne peut pas servir deux fois ni avec {}.",
            quoted(ContextKind::InvalidArg).unwrap_or_default(),
            quoted(ContextKind::PriorArg).unwrap_or_else(|| "une autre".into())
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!(
                "nombre de valeurs inattendu pour {}{}.",
                quoted(ContextKind::InvalidArg).unwrap_or_else(|| "cette option".into()),
                text(ContextKind::InvalidValue)
                    .map(|v| format!(" (« {v} » en trop)"))
                    .unwrap_or_default()
            )
        }
        _ => "la ligne de commande n'est pas comprise.".into(),
    };
    format!("{what} Aide : amiris --help, ou amiris COMMANDE --help.")
}

fn subcommand_names() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_french_command_line_is_consistent() {
        super::command().debug_assert();
    }
}

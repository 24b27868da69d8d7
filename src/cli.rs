//! Command-line definitions (clap), with French help texts.

use clap::{Parser, Subcommand, ValueEnum};
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
        /// Dossier du site (celui qui contient content/site.yaml).
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
        /// Dossier du site (celui qui contient content/site.yaml).
        #[arg(long, default_value = ".", value_name = "DOSSIER")]
        root: PathBuf,
        /// Format du rapport : human (lisible) ou json (pour les outils).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Aperçu local : construit le site en mémoire, le sert sur 127.0.0.1 et le met à jour
    /// à chaque modification de content/ ou du thème (rechargement automatique des pages).
    Serve {
        /// Dossier du site (celui qui contient content/site.yaml).
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
        /// Dossier du site (celui qui contient content/site.yaml).
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
        /// Dossier du site (celui qui contient content/site.yaml).
        #[arg(long, default_value = ".", value_name = "DOSSIER")]
        root: PathBuf,
        /// Vérifie chaque ligne et signale les problèmes sans rien écrire.
        #[arg(long)]
        essai: bool,
        /// Remplace les fiches qui existent déjà (sinon elles sont laissées telles quelles).
        #[arg(long)]
        remplacer: bool,
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

//! amiris: static-site generator for the catalogue of AMIRIS-labelled social innovation projects.
//!
//! The pipeline, one stage per module, each taking a value and returning one; only the two
//! ends touch the disk:
//!
//! ```text
//! load     content/ on disk  -> SourceFile { path, text }              (content::load)
//! parse    SourceFile        -> yaml::Node tree with positions + body  (content, yaml)
//! validate Node tree         -> Project | Vec<Diagnostic>              (validate)
//! links    bodies + the plan -> Vec<Diagnostic>                        (links)
//! index    &[Project]        -> Index: listings, parsed bodies, records,
//!                               medians, related projects, once        (index, catalogue, stats)
//! render   &Index            -> each OutputFile as it is made          (render: one PageKind
//!                               per page kind in render/pages/, rayon; paths from routes)
//!          + social cards    -> projets/<slug>/carte.png (card: resvg, cached by hash)
//! write    each OutputFile   -> staged beside output/, swapped in      (output::Staging)
//! ```
//!
//! Files go to the staging folder as soon as they are rendered: memory holds the index and
//! the paths, never the whole site. `amiris build --timings` prints the time of each stage.

pub mod build;
pub mod card;
pub mod catalogue;
pub mod cli;
pub mod content;
pub mod diagnostic;
pub mod escape;
pub mod fields;
pub mod fingerprints;
pub mod import;
pub mod index;
pub mod links;
pub mod map;
pub mod markdown;
pub mod media;
pub mod model;
pub mod output;
pub mod progress;
pub mod radar;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod stats;
pub mod territory;
pub mod text;
pub mod validate;
pub mod yaml;

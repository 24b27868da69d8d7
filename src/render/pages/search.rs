//! The search and filter index of the catalogue page (`projets/recherche.json`).

use super::{PageKind, Plan, Planned, Scope};
use crate::model::Project;
use crate::output::OutputFile;
use crate::render::{RenderError, Rendered, Renderer, search};
use crate::routes::SEARCH_INDEX_PATH;

/// The search index.
pub struct SearchIndex;

impl PageKind for SearchIndex {
    fn name(&self) -> &'static str {
        "recherche"
    }

    fn plan(&self, _s: &Scope<'_>, plan: &mut Plan) {
        plan.file(SEARCH_INDEX_PATH.to_string(), 0);
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        // Everything the index is made from: the vocabularies and every project (body
        // included), in listing order, and the language; hashing them is far cheaper than stemming every text.
        let index = r.shared.index;
        let projects: Vec<&Project> = index.catalogue.projects_in_listing_order().collect();
        let language = r.shared.language_code();
        let inputs = (&index.site.sectors, &index.site.publics, projects, language);
        if r.unchanged(&planned.path, &inputs) {
            return Ok(None);
        }
        Ok(Some(OutputFile {
            path: planned.path.clone(),
            bytes: search::search_index(r.shared.index, &r.shared.texts, language),
        }))
    }
}

//! Marker pages: the twelve markers explained (`marqueurs/`) and, per marker, the projects that practise it most (`marqueurs/<cle>/`), rendered by `render::insights`.

use super::{MenuEntry, PageKind, Plan, Planned, Scope};
use crate::model::MARKER_KEYS;
use crate::render::{RenderError, Rendered, Renderer};
use crate::routes::{MARKERS_DIR, marker_dir};

/// The markers index.
pub struct MarkerIndex;

impl PageKind for MarkerIndex {
    fn name(&self) -> &'static str {
        "marqueurs"
    }

    fn plan(&self, _s: &Scope<'_>, plan: &mut Plan) {
        plan.single(MARKERS_DIR, 0);
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        r.markers_index(&planned.path, planned.dir().to_string())
    }

    fn menu(&self) -> Option<MenuEntry> {
        Some(MenuEntry {
            key: "marqueurs",
            name: "Marqueurs",
            path: MARKERS_DIR,
        })
    }

    fn folder(&self) -> Option<&'static str> {
        Some("marqueurs")
    }
}

/// The page of one marker (`item`: its position in radar order).
pub struct MarkerPage;

impl PageKind for MarkerPage {
    fn name(&self) -> &'static str {
        "marqueur"
    }

    fn plan(&self, _s: &Scope<'_>, plan: &mut Plan) {
        for (marker, key) in MARKER_KEYS.iter().enumerate() {
            plan.single(&marker_dir(key), marker);
        }
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        r.marker_page(planned.item, &planned.path, planned.dir().to_string())
    }
}

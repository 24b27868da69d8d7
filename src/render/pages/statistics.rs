//! The statistics page (`statistiques/`): counts and median radars (rendered by `render::insights`).

use super::{MenuEntry, PageKind, Plan, Planned, Scope};
use crate::render::{RenderError, Rendered, Renderer};
use crate::routes::STATISTICS_DIR;

/// The statistics page.
pub struct Statistics;

impl PageKind for Statistics {
    fn name(&self) -> &'static str {
        "statistiques"
    }

    fn plan(&self, _s: &Scope<'_>, plan: &mut Plan) {
        plan.single(STATISTICS_DIR, 0);
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        r.statistics(&planned.path, planned.dir().to_string())
    }

    fn menu(&self) -> Option<MenuEntry> {
        Some(MenuEntry {
            key: "statistiques",
            name: "Statistiques",
            path: STATISTICS_DIR,
        })
    }

    fn folder(&self) -> Option<&'static str> {
        Some("statistiques")
    }
}

//! The home page (`index.html`): key figures, latest labelled projects, the region map, entries to browse.

use super::{MenuEntry, PageKind, Plan, Planned, Scope};
use crate::model::Date;
use crate::render::views::HomeView;
use crate::render::{HOME_LATEST, RenderError, Rendered, Renderer, Shared, territories};

/// The home page.
pub struct Home;

impl PageKind for Home {
    fn name(&self) -> &'static str {
        "accueil"
    }

    fn plan(&self, _s: &Scope<'_>, plan: &mut Plan) {
        plan.single("", 0);
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let s = r.shared;
        let path = planned.path.as_str();
        let view = HomeView {
            description: &s.site.description,
            nombre_projets: s.catalogue.len(),
            nombre_secteurs: s.catalogue.sectors_covered(),
            nombre_departements: s.catalogue.departments_covered(),
            derniers: s.cards_of(s.catalogue.latest_labelled(HOME_LATEST)),
            secteurs: &s.sectors,
            departements: &s.department_entries,
            carte: territories::region_map(s, path, "carte-accueil"),
        };
        let meta = s.meta(
            String::new(),
            planned.dir().to_string(),
            "accueil",
            true,
            Vec::new(),
        );
        r.page("index.html", path, &meta, &view)
    }

    fn lastmod(&self, s: &Shared<'_>, _planned: &Planned) -> Option<Date> {
        s.latest_of_all
    }

    fn menu(&self) -> Option<MenuEntry> {
        Some(MenuEntry {
            key: "accueil",
            name: "Accueil",
            path: "",
        })
    }
}

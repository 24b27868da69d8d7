//! The whole catalogue, paginated (`projets/`, `projets/page/N/`), with the filter and search panel.

use super::{MenuEntry, PageKind, Plan, Planned, Scope};
use crate::model::Date;
use crate::render::paths::page_count;
use crate::render::views::CatalogueView;
use crate::render::{RenderError, Rendered, Renderer, Shared, crumb, listing_crumbs, page_suffix};
use crate::routes::PROJECTS_DIR;

/// The catalogue listing.
pub struct Catalogue;

impl PageKind for Catalogue {
    fn name(&self) -> &'static str {
        "catalogue"
    }

    fn plan(&self, s: &Scope<'_>, plan: &mut Plan) {
        plan.listing(PROJECTS_DIR, s.catalogue.len(), 0, 0);
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let s = r.shared;
        let page = planned.page;
        let total = page_count(s.catalogue.len(), s.per_page());
        let fil = vec![crumb(s.tr("accueil"), "")];
        let fil = listing_crumbs(s, fil, &s.tr("projets"), PROJECTS_DIR, page);
        let meta = s.meta(
            format!("{}{}", s.tr("projets"), page_suffix(s, page, total)),
            planned.dir().to_string(),
            "projets",
            page == 1,
            fil,
        );
        let view = CatalogueView {
            liste: s.listing(PROJECTS_DIR, s.catalogue.listing(), page),
        };
        r.page("projets.html", &planned.path, &meta, &view)
    }

    fn lastmod(&self, s: &Shared<'_>, _planned: &Planned) -> Option<Date> {
        s.latest_of_all
    }

    fn menu(&self) -> Option<MenuEntry> {
        Some(MenuEntry {
            key: "projets",
            name: "Projets",
            path: PROJECTS_DIR,
        })
    }

    fn folder(&self) -> Option<&'static str> {
        Some("projets")
    }
}

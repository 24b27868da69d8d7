//! Target-group pages: the index of publics (`publics/`) and one paginated page per public (`publics/<cle>/`).

use super::{PageKind, Plan, Planned, Scope};
use crate::model::Date;
use crate::render::discovery::latest_date;
use crate::render::paths::page_count;
use crate::render::views::{PublicView, PublicsView};
use crate::render::{
    RenderError, Rendered, Renderer, Shared, crumb, here, listing_crumbs, missing, page_suffix,
};
use crate::routes::{PUBLICS_DIR, public_dir};

/// The index of publics.
pub struct PublicIndex;

impl PageKind for PublicIndex {
    fn name(&self) -> &'static str {
        "publics"
    }

    fn plan(&self, _s: &Scope<'_>, plan: &mut Plan) {
        plan.single(PUBLICS_DIR, 0);
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let s = r.shared;
        let meta = s.meta(
            s.tr("publics"),
            planned.dir().to_string(),
            "publics",
            true,
            vec![crumb(s.tr("accueil"), ""), here(s.tr("publics"))],
        );
        let view = PublicsView {
            publics: &s.publics,
        };
        r.page("publics.html", &planned.path, &meta, &view)
    }

    fn lastmod(&self, s: &Shared<'_>, _planned: &Planned) -> Option<Date> {
        s.latest_of_all
    }

    fn folder(&self) -> Option<&'static str> {
        Some("publics")
    }
}

/// The page of one public (`item`: its position in `site.publics`).
pub struct PublicPage;

impl PageKind for PublicPage {
    fn name(&self) -> &'static str {
        "public"
    }

    fn plan(&self, s: &Scope<'_>, plan: &mut Plan) {
        for (public, info) in s.site.publics.iter().enumerate() {
            let count = s.catalogue.projects_for_public(&info.key).len();
            plan.listing(&public_dir(&info.key), count, public, 0);
        }
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let s = r.shared;
        let (page, path) = (planned.page, planned.path.as_str());
        let entry = s.publics.get(planned.item).ok_or_else(|| missing(path))?;
        let positions = s.catalogue.projects_for_public(&entry.cle);
        let total = page_count(positions.len(), s.per_page());
        let fil = vec![
            crumb(s.tr("accueil"), ""),
            crumb(s.tr("publics"), PUBLICS_DIR),
        ];
        let fil = listing_crumbs(s, fil, &entry.nom, &entry.chemin, page);
        let meta = s.meta(
            format!("{}{}", entry.nom, page_suffix(s, page, total)),
            planned.dir().to_string(),
            "publics",
            false,
            fil,
        );
        let view = PublicView {
            public: entry,
            liste: s.listing(&entry.chemin, positions, page),
        };
        r.page("public.html", path, &meta, &view)
    }

    fn lastmod(&self, s: &Shared<'_>, planned: &Planned) -> Option<Date> {
        let info = s.site.publics.get(planned.item)?;
        latest_date(s.catalogue, s.catalogue.projects_for_public(&info.key))
    }
}

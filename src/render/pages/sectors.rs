//! Sector pages: the sector index (`secteurs/`) and one paginated page per sector (`secteurs/<cle>/`).

use super::{MenuEntry, PageKind, Plan, Planned, Scope};
use crate::model::Date;
use crate::render::discovery::{feed_links, latest_date};
use crate::render::paths::page_count;
use crate::render::views::{Entree, SectorView, SectorsView};
use crate::render::{
    RenderError, Rendered, Renderer, Shared, crumb, here, listing_crumbs, missing, page_suffix,
};
use crate::routes::{SECTORS_DIR, department_sector_dir, sector_dir};

/// The sector index.
pub struct SectorIndex;

impl PageKind for SectorIndex {
    fn name(&self) -> &'static str {
        "secteurs"
    }

    fn plan(&self, _s: &Scope<'_>, plan: &mut Plan) {
        plan.single(SECTORS_DIR, 0);
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let s = r.shared;
        let meta = s.meta(
            s.tr("secteurs"),
            planned.dir().to_string(),
            "secteurs",
            true,
            vec![crumb(s.tr("accueil"), ""), here(s.tr("secteurs"))],
        );
        let view = SectorsView {
            secteurs: &s.sectors,
        };
        r.page("secteurs.html", &planned.path, &meta, &view)
    }

    fn lastmod(&self, s: &Shared<'_>, _planned: &Planned) -> Option<Date> {
        s.latest_of_all
    }

    fn menu(&self) -> Option<MenuEntry> {
        Some(MenuEntry {
            key: "secteurs",
            name: "Secteurs",
            path: SECTORS_DIR,
        })
    }

    fn folder(&self) -> Option<&'static str> {
        Some("secteurs")
    }
}

/// The page of one sector (`item`: its position in `site.sectors`).
pub struct SectorPage;

impl PageKind for SectorPage {
    fn name(&self) -> &'static str {
        "secteur"
    }

    fn plan(&self, s: &Scope<'_>, plan: &mut Plan) {
        for (sector, info) in s.site.sectors.iter().enumerate() {
            let count = s.catalogue.projects_in_sector(&info.key).len();
            plan.listing(&sector_dir(&info.key), count, sector, 0);
        }
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let s = r.shared;
        let (sector, page, path) = (planned.item, planned.page, planned.path.as_str());
        let entry = s.sectors.get(sector).ok_or_else(|| missing(path))?;
        let positions = s.catalogue.projects_in_sector(&entry.cle);
        let total = page_count(positions.len(), s.per_page());
        let fil = vec![
            crumb(s.tr("accueil"), ""),
            crumb(s.tr("secteurs"), SECTORS_DIR),
        ];
        let fil = listing_crumbs(s, fil, &entry.nom, &entry.chemin, page);
        let departements = s
            .departments
            .iter()
            .filter_map(|d| {
                let count = s
                    .catalogue
                    .projects_in_department_sector(&d.code, &entry.cle)
                    .len();
                (count > 0).then(|| Entree {
                    nom: d.name.clone(),
                    chemin: department_sector_dir(&d.slug, &entry.cle),
                    nombre: count,
                    description: String::new(),
                    cle: d.code.clone(),
                })
            })
            .collect();
        let mut meta = s.meta(
            format!("{}{}", entry.nom, page_suffix(s, page, total)),
            planned.dir().to_string(),
            "secteurs",
            false,
            fil,
        );
        meta.flux = feed_links(s.site, s.catalogue, Some(sector), None, &s.texts);
        let view = SectorView {
            secteur: entry,
            liste: s.listing(&entry.chemin, positions, page),
            departements,
        };
        r.page("secteur.html", path, &meta, &view)
    }

    fn lastmod(&self, s: &Shared<'_>, planned: &Planned) -> Option<Date> {
        let info = s.site.sectors.get(planned.item)?;
        latest_date(s.catalogue, s.catalogue.projects_in_sector(&info.key))
    }
}

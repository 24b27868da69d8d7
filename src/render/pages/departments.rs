//! Territory pages: the territories index with the region map (`territoires/`), one paginated page per department and per non-empty (department, sector) pair.

use super::{MenuEntry, PageKind, Plan, Planned, Scope};
use crate::model::Date;
use crate::render::discovery::{feed_links, latest_date};
use crate::render::paths::page_count;
use crate::render::territories::DepartmentPortrait;
use crate::render::views::{DepartmentSectorView, DepartmentView, Entree, TerritoriesView};
use crate::render::{
    RenderError, Rendered, Renderer, Shared, crumb, here, listing_crumbs, missing, page_suffix,
    territories,
};
use crate::routes::{TERRITORIES_DIR, department_dir, department_sector_dir};

/// The territories index.
pub struct TerritoryIndex;

impl PageKind for TerritoryIndex {
    fn name(&self) -> &'static str {
        "territoires"
    }

    fn plan(&self, _s: &Scope<'_>, plan: &mut Plan) {
        plan.single(TERRITORIES_DIR, 0);
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let s = r.shared;
        let meta = s.meta(
            s.tr("territoires"),
            planned.dir().to_string(),
            "territoires",
            true,
            vec![crumb(s.tr("accueil"), ""), here(s.tr("territoires"))],
        );
        let view = TerritoriesView {
            departements: &s.department_entries,
            carte: territories::region_map(s, &planned.path, "carte-territoires"),
        };
        r.page("territoires.html", &planned.path, &meta, &view)
    }

    fn lastmod(&self, s: &Shared<'_>, _planned: &Planned) -> Option<Date> {
        s.latest_of_all
    }

    fn menu(&self) -> Option<MenuEntry> {
        Some(MenuEntry {
            key: "territoires",
            name: "Territoires",
            path: TERRITORIES_DIR,
        })
    }

    fn folder(&self) -> Option<&'static str> {
        Some("territoires")
    }
}

/// The page of one department (`item`: its position in the region's departments).
pub struct DepartmentPage;

impl PageKind for DepartmentPage {
    fn name(&self) -> &'static str {
        "departement"
    }

    fn plan(&self, s: &Scope<'_>, plan: &mut Plan) {
        for (department, info) in s.departments.iter().enumerate() {
            let count = s.catalogue.projects_in_department(&info.code).len();
            plan.listing(&department_dir(&info.slug), count, department, 0);
        }
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let s = r.shared;
        let (department, page, path) = (planned.item, planned.page, planned.path.as_str());
        let entry = s
            .department_entries
            .get(department)
            .ok_or_else(|| missing(path))?;
        let positions = s.catalogue.projects_in_department(&entry.cle);
        let total = page_count(positions.len(), s.per_page());
        let fil = vec![
            crumb(s.tr("accueil"), ""),
            crumb(s.tr("territoires"), TERRITORIES_DIR),
        ];
        let fil = listing_crumbs(s, fil, &entry.nom, &entry.chemin, page);
        let slug = &s.departments[department].slug;
        let secteurs = s
            .sectors
            .iter()
            .filter_map(|sector| {
                let count = s
                    .catalogue
                    .projects_in_department_sector(&entry.cle, &sector.cle)
                    .len();
                (count > 0).then(|| Entree {
                    nom: sector.nom.clone(),
                    chemin: department_sector_dir(slug, &sector.cle),
                    nombre: count,
                    description: sector.description.clone(),
                    cle: sector.cle.clone(),
                })
            })
            .collect();
        let mut meta = s.meta(
            format!("{}{}", entry.nom, page_suffix(s, page, total)),
            planned.dir().to_string(),
            "territoires",
            false,
            fil,
        );
        meta.flux = feed_links(
            s.site,
            s.catalogue,
            None,
            Some((slug, &entry.nom)),
            &s.texts,
        );
        // The map and the median radar: once per department, on the first page of its listing.
        let portrait = (page == 1).then(|| {
            let (communes, sans_commune) =
                territories::department_communes(s, &entry.cle, positions);
            let profile = s.index.insights.departments.get(department);
            let (carte, nombre_communes) =
                territories::department_map(s, &entry.cle, &entry.nom, &communes);
            DepartmentPortrait {
                carte,
                nombre_communes,
                communes,
                sans_commune,
                credit: s.tr("credit_cartes"),
                mediane: profile.filter(|p| p.projects > 0).map(|profile| {
                    r.median_radar(
                        "mediane-departement".into(),
                        entry.nom.clone(),
                        None,
                        profile,
                    )
                }),
            }
        });
        let view = DepartmentView {
            departement: entry,
            liste: s.listing(&entry.chemin, positions, page),
            secteurs,
            epcis: territories::department_epcis(s, &entry.cle),
            portrait,
        };
        r.page("territoire.html", path, &meta, &view)
    }

    fn lastmod(&self, s: &Shared<'_>, planned: &Planned) -> Option<Date> {
        let d = s.departments.get(planned.item)?;
        latest_date(s.catalogue, s.catalogue.projects_in_department(&d.code))
    }
}

/// The page of a non-empty (department, sector) pair (`item`: the department's position,
/// `second`: the sector's).
pub struct DepartmentSectorPage;

impl PageKind for DepartmentSectorPage {
    fn name(&self) -> &'static str {
        "departement-secteur"
    }

    fn plan(&self, s: &Scope<'_>, plan: &mut Plan) {
        for (department, info) in s.departments.iter().enumerate() {
            for (sector, sector_info) in s.site.sectors.iter().enumerate() {
                let count = s
                    .catalogue
                    .projects_in_department_sector(&info.code, &sector_info.key)
                    .len();
                if count > 0 {
                    let dir = department_sector_dir(&info.slug, &sector_info.key);
                    plan.listing(&dir, count, department, sector);
                }
            }
        }
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let s = r.shared;
        let (department, sector, page) = (planned.item, planned.second, planned.page);
        let path = planned.path.as_str();
        let department_entry = s
            .department_entries
            .get(department)
            .ok_or_else(|| missing(path))?;
        let sector_entry = s.sectors.get(sector).ok_or_else(|| missing(path))?;
        let positions = s
            .catalogue
            .projects_in_department_sector(&department_entry.cle, &sector_entry.cle);
        let total = page_count(positions.len(), s.per_page());
        let department_slug = &s.departments[department].slug;
        let base = department_sector_dir(department_slug, &sector_entry.cle);
        let fil = vec![
            crumb(s.tr("accueil"), ""),
            crumb(s.tr("territoires"), TERRITORIES_DIR),
            crumb(
                department_entry.nom.clone(),
                department_entry.chemin.clone(),
            ),
        ];
        let fil = listing_crumbs(s, fil, &sector_entry.nom, &base, page);
        let mut meta = s.meta(
            format!(
                "{} – {}{}",
                sector_entry.nom,
                department_entry.nom,
                page_suffix(s, page, total)
            ),
            planned.dir().to_string(),
            "territoires",
            false,
            fil,
        );
        meta.flux = feed_links(
            s.site,
            s.catalogue,
            Some(sector),
            Some((department_slug, &department_entry.nom)),
            &s.texts,
        );
        let view = DepartmentSectorView {
            departement: department_entry,
            secteur: sector_entry,
            liste: s.listing(&base, positions, page),
        };
        r.page("territoire_secteur.html", path, &meta, &view)
    }

    fn lastmod(&self, s: &Shared<'_>, planned: &Planned) -> Option<Date> {
        let d = s.departments.get(planned.item)?;
        let info = s.site.sectors.get(planned.second)?;
        latest_date(
            s.catalogue,
            s.catalogue
                .projects_in_department_sector(&d.code, &info.key),
        )
    }
}

//! EPCI pages (`territoires/epci/<siren>/`, paginated): the EPCI's communes, its projects and a locator map.

use super::{PageKind, Plan, Planned, Scope};
use crate::map::{self, Outlines};
use crate::render::paths::page_count;
use crate::render::territories::{EpciCommune, EpciHead, EpciPageView, current_code, epci_kind};
use crate::render::views::Lien;
use crate::render::{
    RenderError, Rendered, Renderer, Shared, crumb, listing_crumbs, missing, page_suffix,
};
use crate::routes::{department_dir, epci_dir};
use crate::territory::Epci;
use crate::text::fold;
use std::collections::BTreeSet;

/// The page of an EPCI with projects (`item`: its position in the region's EPCI).
pub struct EpciPage;

impl PageKind for EpciPage {
    fn name(&self) -> &'static str {
        "epci"
    }

    fn plan(&self, s: &Scope<'_>, plan: &mut Plan) {
        for (epci, info) in s.territories.epcis().iter().enumerate() {
            let count = s.catalogue.projects_in_epci(&info.siren).len();
            if count > 0 {
                plan.listing(&epci_dir(&info.siren), count, epci, 0);
            }
        }
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let (epci, page, path) = (planned.item, planned.page, planned.path.as_str());
        let dir = planned.dir().to_string();
        let s = r.shared;
        let t = s.territories;
        let info = t.epcis().get(epci).ok_or_else(|| missing(path))?;
        let positions = s.catalogue.projects_in_epci(&info.siren);
        let total = page_count(positions.len(), s.per_page());
        let base = epci_dir(&info.siren);

        let head = s
            .epci_heads
            .get(epci)
            .ok_or_else(|| missing(path))?
            .get_or_init(|| epci_head(s, info));

        let mut fil = vec![
            crumb(s.tr("accueil"), ""),
            crumb(s.tr("territoires"), crate::routes::TERRITORIES_DIR),
        ];
        if let [single] = head.departements.as_slice() {
            fil.push(crumb(single.nom.clone(), single.chemin.clone()));
        }
        let fil = listing_crumbs(s, fil, &info.name, &base, page);
        let meta = s.meta(
            format!("{}{}", info.name, page_suffix(s, page, total)),
            dir,
            "territoires",
            false,
            fil,
        );
        let view = EpciPageView {
            nom: info.name.clone(),
            siren: info.siren.clone(),
            nature: epci_kind(s, &info.kind),
            departements: &head.departements,
            communes: &head.communes,
            communes_projets: &head.communes_projets,
            carte: &head.carte,
            credit: s.tr("credit_cartes"),
            liste: s.listing(&base, positions, page),
        };
        r.page("epci.html", path, &meta, &view)
    }
}

/// The communes, departments and locator map of an EPCI (the same on each of its pages).
fn epci_head(s: &Shared<'_>, info: &Epci) -> EpciHead {
    let t = s.territories;
    let positions = s.catalogue.projects_in_epci(&info.siren);
    let members: BTreeSet<&str> = info.communes.iter().map(String::as_str).collect();
    let mut with_projects: BTreeSet<&str> = BTreeSet::new();
    for &index in positions {
        if let Some(project) = s.catalogue.project(index) {
            for code in &project.territory.communes {
                if let Some(current) = current_code(t, code)
                    && members.contains(current)
                {
                    with_projects.insert(current);
                }
            }
        }
    }
    let mut communes: Vec<EpciCommune> = info
        .communes
        .iter()
        .filter_map(|code| t.commune(code))
        .map(|c| EpciCommune {
            nom: c.name.clone(),
            code: c.code.clone(),
            projets: with_projects.contains(c.code.as_str()),
        })
        .collect();
    communes.sort_by_cached_key(|c| (fold(&c.nom), c.code.clone()));
    let communes_projets = communes
        .iter()
        .filter(|c| c.projets)
        .map(|c| c.nom.clone())
        .collect();

    let department_codes = &info.departments;
    let departements: Vec<Lien> = department_codes
        .iter()
        .filter_map(|code| t.department(code))
        .map(|d| Lien {
            nom: d.name.clone(),
            chemin: department_dir(&d.slug),
        })
        .collect();

    let outlines = Outlines::region();
    let minor: Vec<(i64, i64)> = communes
        .iter()
        .filter(|c| !c.projets)
        .filter_map(|c| outlines.commune_point(&c.code))
        .collect();
    let major: Vec<(i64, i64)> = communes
        .iter()
        .filter(|c| c.projets)
        .filter_map(|c| outlines.commune_point(&c.code))
        .collect();
    let highlighted: Vec<&str> = department_codes.iter().map(String::as_str).collect();
    let carte = map::locator_svg(
        &highlighted,
        &minor,
        &major,
        &s.trf(
            "carte_situation_epci",
            &[("total", &communes.len().to_string()), ("nom", &info.name)],
        ),
        &format!("situation-{}", info.siren),
    );
    EpciHead {
        departements,
        communes,
        communes_projets,
        carte,
    }
}

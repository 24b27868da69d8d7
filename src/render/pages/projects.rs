//! Project pages (`projets/<slug>/`) and their standalone radars (`projets/<slug>/radar.svg`).

use super::{PageKind, Plan, Planned, Scope};
use crate::model::{self, Date};
use crate::output::OutputFile;
use crate::radar::RadarOptions;
use crate::render::discovery::{project_card, project_date, project_json_ld};
use crate::render::texts::plain_text;
use crate::render::views::*;
use crate::render::{RenderError, Rendered, Renderer, Shared, crumb, here, is_web_url, missing};
use crate::routes::{PROJECTS_DIR, project_dir, radar_path};
use crate::territory::french_department_name;
use crate::text::slugify;

/// The page of a project (`item`: its position in the catalogue), in listing order.
pub struct ProjectPage;

impl PageKind for ProjectPage {
    fn name(&self) -> &'static str {
        "projet"
    }

    fn plan(&self, s: &Scope<'_>, plan: &mut Plan) {
        for &index in s.catalogue.listing() {
            if let Some(project) = s.catalogue.project(index) {
                plan.single(&project_dir(&project.slug), index);
            }
        }
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let (index, path) = (planned.item, planned.path.as_str());
        let dir = planned.dir().to_string();
        let s = r.shared;
        let project = s.catalogue.project(index).ok_or_else(|| missing(path))?;
        let t = s.territories;
        let body = s.index.bodies.get(index).ok_or_else(|| missing(path))?;

        let communes = project
            .territory
            .communes
            .iter()
            .map(|code| {
                let nom = match t.commune(code) {
                    Some(c) => c.name.clone(),
                    None => match t.former_commune(code) {
                        Some((name, current)) => format!("{name} ({})", current.name),
                        None => code.clone(),
                    },
                };
                CommuneView {
                    code: code.clone(),
                    nom,
                }
            })
            .collect();
        let epcis = project
            .territory
            .epcis
            .iter()
            .map(|siren| EpciView {
                siren: siren.clone(),
                nom: t
                    .epci(siren)
                    .map_or_else(|| siren.clone(), |e| e.name.clone()),
                chemin: crate::render::territories::epci_page(s, siren),
            })
            .collect();

        let voisins = r.related_views(index);
        let (radar_plan, sector_median) = r.project_radar_plan(project);
        let mut marqueurs = marker_views(project, &s.markers, s.radar_texts.decimal);
        if let Some((_, profile)) = &sector_median {
            for (view, median) in marqueurs.iter_mut().zip(profile.medians.iter()) {
                view.mediane_secteur = median.map(|m| s.score(m));
            }
        }
        let card = project_card(s.root_site, project, &s.texts);
        let mut view = ProjectView {
            langue_texte: s.project_text_language(&project.slug),
            slug: &project.slug,
            titre: &project.title,
            resume: &project.summary,
            label: LabelView {
                annee: project.label.year,
                date: project.label.date.map(|d| s.date(d)),
            },
            stade: s.texts.stage(project.stage).to_string(),
            secteurs: project.sectors.iter().map(|k| s.sector_link(k)).collect(),
            publics: project.publics.iter().map(|k| s.public_link(k)).collect(),
            territoire: TerritoryView {
                communes,
                epcis,
                departements: project
                    .territory
                    .departments
                    .iter()
                    .map(|c| s.department_link(c))
                    .collect(),
                echelle: project
                    .territory
                    .scope
                    .map(|scope| s.texts.scope(scope).to_string()),
                situation: crate::render::territories::project_locator(s, project),
                credit: s.tr("credit_cartes"),
            },
            structure: StructureView {
                nom: &project.structure.name,
                forme_juridique: s.texts.legal_form(project.structure.legal_form).to_string(),
                siret: project.structure.siret.as_deref().map(grouped_siret),
                code_postal: &project.structure.postal_code,
                commune: &project.structure.commune,
                // Validated as http(s) already; checked again since it becomes an href.
                site_web: project
                    .structure
                    .website
                    .as_deref()
                    .filter(|url| is_web_url(url)),
                esus: project.structure.esus,
            },
            partenaires: project
                .partners
                .iter()
                .map(|p| PartnerView {
                    nom: &p.name,
                    role: s.texts.role(p.role).to_string(),
                })
                .collect(),
            // Drawn below, only when the page is rendered.
            radar: RadarView {
                svg: String::new(),
                svg_numerote: String::new(),
                chemin: radar_path(&project.slug),
            },
            marqueurs,
            secteur_mediane: sector_median.map(|(link, profile)| SectorMedianView {
                secteur: link,
                nombre_projets: profile.projects,
            }),
            bareme: ScaleView {
                min: s.score(s.site.scale.min),
                max: s.score(s.site.scale.max),
            },
            introduction: &body.intro,
            sections: body
                .sections
                .iter()
                .map(|section| SectionView {
                    canonique: section
                        .canonical
                        .and_then(|i| model::CANONICAL_SECTIONS.get(i))
                        .map(|name| slugify(name)),
                    titre: &section.title,
                    id: &section.id,
                    contenu: &section.html,
                })
                .collect(),
            essaimage: project.replication.as_ref().map(|r| ReplicationView {
                ouvert: r.open,
                territoires: r
                    .territories
                    .iter()
                    .map(|code| {
                        french_department_name(code)
                            .map_or_else(|| code.clone(), |name| format!("{name} ({code})"))
                    })
                    .collect(),
            }),
            image: project.image.as_ref(),
            contact: project.contact_email.as_deref(),
            mis_a_jour: project.updated.map(|d| s.date(d)),
            voisins,
            json_ld: project_json_ld(
                s.index.record(index).ok_or_else(|| missing(path))?,
                card.as_ref().map(|c| c.url.as_str()),
                &plain_text(&s.texts.fill(
                    "label_json_ld",
                    None,
                    &[("annee", &project.label.year.to_string())],
                )),
            ),
        };
        let meta = s.meta(
            project.title.clone(),
            dir,
            "projets",
            false,
            vec![
                crumb(s.tr("accueil"), ""),
                crumb(s.tr("projets"), PROJECTS_DIR),
                here(project.title.clone()),
            ],
        );
        let meta = PageMeta {
            description: &project.summary,
            type_og: "article",
            image: card,
            ..meta
        };
        if r.unchanged_page("projet.html", path, &meta, &(&view, &radar_plan)) {
            return Ok(None);
        }
        let radars = radar_plan.draw(r);
        view.radar.svg = radars.names;
        view.radar.svg_numerote = radars.numbers;
        r.render_page("projet.html", path, &meta, &view)
    }

    fn lastmod(&self, s: &Shared<'_>, planned: &Planned) -> Option<Date> {
        s.catalogue.project(planned.item).map(project_date)
    }
}

/// The standalone radar of a project (`item`: its position in the catalogue).
pub struct Radar;

impl PageKind for Radar {
    fn name(&self) -> &'static str {
        "radar"
    }

    fn plan(&self, s: &Scope<'_>, plan: &mut Plan) {
        for &index in s.catalogue.listing() {
            if let Some(project) = s.catalogue.project(index) {
                plan.file(radar_path(&project.slug), index);
            }
        }
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let project = r
            .shared
            .catalogue
            .project(planned.item)
            .ok_or_else(|| missing(&planned.path))?;
        let site = r.shared.site;
        let inputs = (
            &project.slug,
            &project.title,
            &project.markers,
            &r.shared.markers,
            &site.scale,
        );
        if r.unchanged(&planned.path, &inputs) {
            return Ok(None);
        }
        let svg = r.radar(project, RadarOptions::default(), "");
        let mut bytes = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".to_vec();
        bytes.extend_from_slice(svg.as_bytes());
        bytes.push(b'\n');
        Ok(Some(OutputFile {
            path: planned.path.clone(),
            bytes,
        }))
    }
}

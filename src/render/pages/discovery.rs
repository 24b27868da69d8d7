//! Discovery files: `robots.txt`, `sitemap.xml` and the Atom feeds (whole site, each sector, each department), rendered by `render::discovery`.

use super::{PageKind, Plan, Planned, Scope};
use crate::output::OutputFile;
use crate::render::discovery::{
    FeedScope, SitemapEntry, absolute_url, feeds_enabled, robots_txt, sitemap_xml,
};
use crate::render::{RenderError, Rendered, Renderer, missing};
use crate::routes::{FEED_FILE, ROBOTS_PATH, SITEMAP_PATH, department_dir, sector_dir};

/// `robots.txt`.
pub struct Robots;

impl PageKind for Robots {
    fn name(&self) -> &'static str {
        "robots"
    }

    fn plan(&self, _s: &Scope<'_>, plan: &mut Plan) {
        plan.file(ROBOTS_PATH.to_string(), 0);
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let sitemap = r
            .shared
            .site
            .url_base
            .as_deref()
            .map(|base| absolute_url(base, SITEMAP_PATH));
        Ok(Some(OutputFile {
            path: planned.path.clone(),
            bytes: robots_txt(sitemap.as_deref()).into_bytes(),
        }))
    }
}

/// `sitemap.xml` (when the site knows its address): every HTML page of the plan whose kind
/// is listed, with its kind's date.
pub struct Sitemap;

impl PageKind for Sitemap {
    fn name(&self) -> &'static str {
        "plan-du-site"
    }

    fn plan(&self, s: &Scope<'_>, plan: &mut Plan) {
        if s.site.url_base.is_some() {
            plan.file(SITEMAP_PATH.to_string(), 0);
        }
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let s = r.shared;
        let path = planned.path.as_str();
        let base = s.site.url_base.as_deref().ok_or_else(|| missing(path))?;
        let entries: Vec<SitemapEntry> = r
            .plan
            .iter()
            .filter(|p| p.path.ends_with(".html") && p.kind.in_sitemap())
            .map(|p| SitemapEntry {
                loc: absolute_url(base, p.dir()),
                lastmod: p.kind.lastmod(s, p),
            })
            .collect();
        Ok(Some(OutputFile {
            path: path.to_string(),
            bytes: sitemap_xml(&entries).into_bytes(),
        }))
    }
}

/// The feed of the whole catalogue (`atom.xml`).
pub struct SiteFeed;

impl PageKind for SiteFeed {
    fn name(&self) -> &'static str {
        "flux"
    }

    fn plan(&self, s: &Scope<'_>, plan: &mut Plan) {
        if feeds_enabled(s.site, s.catalogue) {
            plan.file(FEED_FILE.to_string(), 0);
        }
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        r.feed(FeedScope::Site, &planned.path)
    }
}

/// The feed of each sector (`item`: its position in `site.sectors`).
pub struct SectorFeed;

impl PageKind for SectorFeed {
    fn name(&self) -> &'static str {
        "flux-secteur"
    }

    fn plan(&self, s: &Scope<'_>, plan: &mut Plan) {
        if feeds_enabled(s.site, s.catalogue) {
            for (index, sector) in s.site.sectors.iter().enumerate() {
                plan.file(format!("{}{FEED_FILE}", sector_dir(&sector.key)), index);
            }
        }
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        r.feed(FeedScope::Sector(planned.item), &planned.path)
    }
}

/// The feed of each department (`item`: its position in the region's departments).
pub struct DepartmentFeed;

impl PageKind for DepartmentFeed {
    fn name(&self) -> &'static str {
        "flux-departement"
    }

    fn plan(&self, s: &Scope<'_>, plan: &mut Plan) {
        if feeds_enabled(s.site, s.catalogue) {
            for (index, department) in s.departments.iter().enumerate() {
                plan.file(
                    format!("{}{FEED_FILE}", department_dir(&department.slug)),
                    index,
                );
            }
        }
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        r.feed(FeedScope::Department(planned.item), &planned.path)
    }
}

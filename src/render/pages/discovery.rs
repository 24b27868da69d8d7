//! Discovery files: `robots.txt`, `sitemap.xml` and the Atom feeds (whole site, each sector, each department), rendered by `render::discovery`.

use super::{PageKind, Plan, Planned, Scope};
use crate::model::Date;
use crate::output::OutputFile;
use crate::render::discovery::{
    FeedScope, SitemapEntry, absolute_url, feeds_enabled, robots_txt, sitemap_index_xml,
    sitemap_languages, sitemap_pages, sitemap_split_in, sitemap_url, sitemap_xml,
};
use crate::render::{RenderError, Rendered, Renderer, missing};
use crate::routes::{
    FEED_FILE, ROBOTS_PATH, SITEMAP_PATH, department_dir, sector_dir, sitemap_part_path,
};
use std::ops::Range;

/// `robots.txt`.
pub struct Robots;

impl PageKind for Robots {
    fn in_every_language(&self) -> bool {
        false
    }

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
/// is listed, with its kind's date; past the sitemaps.org limits, the index of the sitemaps
/// `sitemap-1.xml`, `sitemap-2.xml`… that list them (`item`: 0 for `sitemap.xml`, else the
/// number of the sitemap). Planned after every kind whose pages it lists.
pub struct Sitemap;

impl Sitemap {
    /// The site's address, which a sitemap file at `path` needs.
    fn base<'r>(r: &'r Renderer<'_, '_>, path: &str) -> Result<&'r str, RenderError> {
        r.shared
            .site
            .url_base
            .as_deref()
            .ok_or_else(|| missing(path))
    }

    /// The sitemap entries of the pages at `range` of [`sitemap_pages`].
    fn entries(r: &Renderer<'_, '_>, base: &str, range: Range<usize>) -> Vec<SitemapEntry> {
        let pages: Vec<&Planned> = sitemap_pages(r.plan).collect();
        let languages = sitemap_languages(r.shared.site);
        // The pages of a paginated listing follow each other and share their date: it is
        // computed once per listing, not once per page.
        type Listing<'k> = (&'k str, usize, usize);
        let mut listing: Option<(Listing, Option<Date>)> = None;
        range
            .filter_map(|n| sitemap_url(base, &pages, &languages, n))
            .map(|(loc, alternates, position)| {
                let page = pages[position];
                let key = (page.kind.name(), page.item, page.second);
                let lastmod = match listing {
                    Some((known, date)) if known == key => date,
                    _ => {
                        let date = page.kind.lastmod(r.shared, page);
                        listing = Some((key, date));
                        date
                    }
                };
                SitemapEntry {
                    loc,
                    lastmod,
                    alternates,
                }
            })
            .collect()
    }
}

impl PageKind for Sitemap {
    fn reads_plan(&self) -> bool {
        true
    }

    fn in_every_language(&self) -> bool {
        false
    }

    fn name(&self) -> &'static str {
        "plan-du-site"
    }

    fn plan(&self, s: &Scope<'_>, plan: &mut Plan) {
        if let Some(base) = s.site.url_base.as_deref() {
            // Every listed page is planned by now: the split is known.
            let parts = sitemap_split_in(base, plan.planned(), &sitemap_languages(s.site)).len();
            plan.file(SITEMAP_PATH.to_string(), 0);
            if parts > 1 {
                for number in 1..=parts {
                    plan.file(sitemap_part_path(number), number);
                }
            }
        }
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let path = planned.path.as_str();
        let base = Self::base(r, path)?;
        let split = sitemap_split_in(base, r.plan, &sitemap_languages(r.shared.site));
        let xml = if planned.item > 0 {
            let range = split
                .into_iter()
                .nth(planned.item - 1)
                .ok_or_else(|| missing(path))?;
            sitemap_xml(&Self::entries(r, base, range))
        } else if let [all] = split.as_slice() {
            sitemap_xml(&Self::entries(r, base, all.clone()))
        } else {
            let sitemaps: Vec<SitemapEntry> = split
                .into_iter()
                .enumerate()
                .map(|(i, range)| SitemapEntry {
                    alternates: Vec::new(),
                    loc: absolute_url(base, &sitemap_part_path(i + 1)),
                    lastmod: Self::entries(r, base, range)
                        .iter()
                        .filter_map(|e| e.lastmod)
                        .max(),
                })
                .collect();
            sitemap_index_xml(&sitemaps)
        };
        Ok(Some(OutputFile {
            path: path.to_string(),
            bytes: xml.into_bytes(),
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

//! Free pages of `content/pages/` (`<slug>/`): about, method, accessibility, legal notice…

use super::{PageKind, Plan, Planned, Scope};
use crate::markdown;
use crate::render::views::FreePageView;
use crate::render::{RenderError, Rendered, Renderer, crumb, here, missing, page_menu_key};
use crate::routes::{free_page_dir, racine};

/// A free page (`item`: its position among the published pages).
pub struct FreePage;

impl PageKind for FreePage {
    fn name(&self) -> &'static str {
        "page-libre"
    }

    fn plan(&self, s: &Scope<'_>, plan: &mut Plan) {
        for (index, page) in s.pages.iter().enumerate() {
            plan.single(&free_page_dir(&page.slug), index);
        }
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let s = r.shared;
        let path = planned.path.as_str();
        let page = s.pages.get(planned.item).ok_or_else(|| missing(path))?;
        let view = FreePageView {
            langue_texte: s.page_text_language(&page.slug),
            titre: &page.title,
            resume: &page.summary,
            contenu: markdown::render_in(
                &page.body,
                &racine(path),
                &format!("{}{}", racine(path), r.shared.shared_prefix),
            ),
        };
        let mut meta = s.meta(
            page.title.clone(),
            planned.dir().to_string(),
            &page_menu_key(&page.slug),
            true,
            vec![crumb(s.tr("accueil"), ""), here(page.title.clone())],
        );
        if !page.summary.trim().is_empty() {
            meta.description = &page.summary;
        }
        r.page("page.html", path, &meta, &view)
    }
}

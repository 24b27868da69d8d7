//! The "page not found" page (`404.html`, `en/404.html`…), whose links start from its language's base path.
//!
//! Every language has its own: a host that serves one error page per folder (nginx's
//! `error_page` in a `location`, Apache's `ErrorDocument` in a folder's `.htaccess`) shows
//! `en/404.html` for a missing English address; hosts that serve only the root's `404.html`
//! (GitHub and GitLab Pages) show the default language's.

use super::{PageKind, Plan, Planned, Scope};
use crate::render::views::NotFoundView;
use crate::render::{RenderError, Rendered, Renderer};
use crate::routes::{NOT_FOUND_PATH, racine_404};

/// The 404 page.
pub struct NotFound;

impl PageKind for NotFound {
    fn name(&self) -> &'static str {
        "404"
    }

    fn plan(&self, _s: &Scope<'_>, plan: &mut Plan) {
        plan.file(NOT_FOUND_PATH.to_string(), 0);
    }

    fn render(&self, r: &Renderer<'_, '_>, planned: &Planned) -> Result<Rendered, RenderError> {
        let s = r.shared;
        let mut meta = s.meta(
            s.tr("page_introuvable"),
            String::new(),
            "",
            false,
            Vec::new(),
        );
        meta.url = None;
        // Its address is unknown (hosts serve it for any missing path): no alternates, no
        // language switcher with links relative to where it might be shown.
        meta.langues = Vec::new();
        let root = racine_404(s.site.url_base.as_deref());
        r.page_with_root("404.html", &planned.path, &root, &meta, &NotFoundView {})
    }

    fn in_sitemap(&self) -> bool {
        false
    }
}

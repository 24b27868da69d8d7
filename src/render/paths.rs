//! Output paths, relative links (`racine`) and pagination arithmetic.

use serde::Serialize;
use std::ops::Range;

/// The prefix that leads from the page written at `output_path` back to the site root:
/// `./` for a file at the root, `../` one folder down, `../../` two folders down…
pub fn racine(output_path: &str) -> String {
    let depth = output_path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// The prefix used by `404.html`, whose URL is unknown (hosts serve it for any missing path):
/// the path part of `url_base` (`https://a.fr/catalogue/` -> `/catalogue/`) when the site
/// knows its address, else `./` (right only when the 404 page is shown for a root URL).
pub fn racine_404(url_base: Option<&str>) -> String {
    let Some(url) = url_base else {
        return "./".to_string();
    };
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme
        .find('/')
        .map_or("/", |slash| &after_scheme[slash..]);
    let path = path.split(['?', '#']).next().unwrap_or("/");
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// Folder of a page of a listing: page 1 is `base` itself (`projets/`), page N ≥ 2 is
/// `base` + `page/N/`. `base` is relative to the site root and ends with `/`.
pub fn listing_page_dir(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// Number of pages of a listing of `items` (at least one, even when empty).
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// Positions of the items shown on page `page` (1-based) of a listing.
pub fn page_range(items: usize, per_page: usize, page: usize) -> Range<usize> {
    let per_page = per_page.max(1);
    let start = (page.max(1) - 1).saturating_mul(per_page).min(items);
    start..start.saturating_add(per_page).min(items)
}

/// One entry of a pagination bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaginationItem {
    /// Page number; `None` for an ellipsis ("…") standing for skipped pages.
    pub numero: Option<usize>,
    /// Folder of that page, relative to the site root (empty for an ellipsis).
    pub chemin: String,
    /// Whether it is the page being shown.
    pub courante: bool,
}

/// The pagination of one page of a listing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pagination {
    /// Current page number (1-based).
    pub courante: usize,
    /// Number of pages.
    pub total: usize,
    /// Folder of the previous page, relative to the site root.
    pub precedente: Option<String>,
    /// Folder of the next page, relative to the site root.
    pub suivante: Option<String>,
    /// Entries to show: first, last, and two pages around the current one, with ellipses.
    pub elements: Vec<PaginationItem>,
}

/// Pagination of page `current` out of `total` of the listing at `base`.
pub fn pagination(base: &str, current: usize, total: usize) -> Pagination {
    let total = total.max(1);
    let current = current.clamp(1, total);
    let shown = |n: usize| n == 1 || n == total || n.abs_diff(current) <= 2;
    let mut elements = Vec::new();
    let mut n = 1;
    while n <= total {
        if shown(n) {
            elements.push(PaginationItem {
                numero: Some(n),
                chemin: listing_page_dir(base, n),
                courante: n == current,
            });
            n += 1;
        } else {
            let next = (n..=total).find(|&m| shown(m)).unwrap_or(total + 1);
            if next - n == 1 {
                // An ellipsis would hide a single page: show it instead.
                elements.push(PaginationItem {
                    numero: Some(n),
                    chemin: listing_page_dir(base, n),
                    courante: false,
                });
            } else {
                elements.push(PaginationItem {
                    numero: None,
                    chemin: String::new(),
                    courante: false,
                });
            }
            n = next;
        }
    }
    Pagination {
        courante: current,
        total,
        precedente: (current > 1).then(|| listing_page_dir(base, current - 1)),
        suivante: (current < total).then(|| listing_page_dir(base, current + 1)),
        elements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn racine_follows_depth() {
        assert_eq!(racine("index.html"), "./");
        assert_eq!(racine("404.html"), "./");
        assert_eq!(racine("projets/index.html"), "../");
        assert_eq!(racine("projets/mon-projet/index.html"), "../../");
        assert_eq!(racine("projets/mon-projet/radar.svg"), "../../");
        assert_eq!(racine("projets/page/3/index.html"), "../../../");
        assert_eq!(
            racine("territoires/nord/alimentation/page/2/index.html"),
            "../../../../../"
        );
    }

    #[test]
    fn racine_of_404_comes_from_url_base() {
        assert_eq!(racine_404(None), "./");
        assert_eq!(racine_404(Some("https://a.fr/")), "/");
        assert_eq!(racine_404(Some("https://a.fr")), "/");
        assert_eq!(racine_404(Some("https://a.fr/catalogue/")), "/catalogue/");
        assert_eq!(racine_404(Some("https://a.fr/catalogue")), "/catalogue/");
    }

    #[test]
    fn page_counts_and_ranges() {
        assert_eq!(page_count(0, 24), 1);
        assert_eq!(page_count(24, 24), 1);
        assert_eq!(page_count(25, 24), 2);
        assert_eq!(page_count(5, 0), 5);
        assert_eq!(page_range(50, 24, 1), 0..24);
        assert_eq!(page_range(50, 24, 3), 48..50);
        assert_eq!(page_range(50, 24, 4), 50..50);
        assert_eq!(page_range(0, 24, 1), 0..0);
        assert_eq!(page_range(10, usize::MAX, usize::MAX), 10..10);
    }

    #[test]
    fn listing_dirs() {
        assert_eq!(listing_page_dir("projets/", 1), "projets/");
        assert_eq!(listing_page_dir("projets/", 2), "projets/page/2/");
    }

    fn numbers(p: &Pagination) -> Vec<Option<usize>> {
        p.elements.iter().map(|e| e.numero).collect()
    }

    #[test]
    fn pagination_windows_with_ellipses() {
        let p = pagination("projets/", 1, 1);
        assert_eq!(numbers(&p), [Some(1)]);
        assert_eq!((p.precedente, p.suivante), (None, None));

        let p = pagination("projets/", 6, 12);
        assert_eq!(
            numbers(&p),
            [
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(12)
            ]
        );
        assert_eq!(p.precedente.as_deref(), Some("projets/page/5/"));
        assert_eq!(p.suivante.as_deref(), Some("projets/page/7/"));
        assert!(p.elements[4].courante);
        assert_eq!(p.elements.iter().filter(|e| e.courante).count(), 1);

        // A gap of one page shows the page, not an ellipsis.
        let p = pagination("projets/", 4, 7);
        assert_eq!(numbers(&p), (1..=7).map(Some).collect::<Vec<_>>());

        let p = pagination("projets/", 2, 3);
        assert_eq!(p.precedente.as_deref(), Some("projets/"));
        assert_eq!(p.elements[0].chemin, "projets/");
    }
}

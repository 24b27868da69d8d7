//! Pagination arithmetic and the pagination bar of listings (their paths come from `routes`).

use crate::routes::listing_page_dir;

use serde::Serialize;
use std::ops::Range;

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

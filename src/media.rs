//! Media files of `content/medias/`: their pixel size, read once so pages can reserve their space.

use crate::content::MediaFile;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Width and height of an image, in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// Every media file by its path relative to `content/` (`medias/logo.svg`), with its size
/// when it is an image whose size can be read.
pub type Medias = BTreeMap<String, Option<Size>>;

/// The medias of a site with their sizes (read in parallel; an unreadable image has none).
pub fn catalogue(files: &[MediaFile]) -> Medias {
    files
        .par_iter()
        .map(|file| (file.path.clone(), size_of(&file.path, &file.bytes)))
        .collect()
}

/// The size of an image: from the header of a raster format (PNG, JPEG, WebP, GIF, AVIF…), or
/// from the `width`/`height` (else the `viewBox`) of an SVG document. `None` for anything else.
pub fn size_of(path: &str, bytes: &[u8]) -> Option<Size> {
    let is_svg = path
        .rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("svg"));
    let (width, height) = if is_svg {
        svg_size(bytes)?
    } else {
        let size = imagesize::blob_size(bytes).ok()?;
        (
            u32::try_from(size.width).ok()?,
            u32::try_from(size.height).ok()?,
        )
    };
    (width > 0 && height > 0).then_some(Size { width, height })
}

/// The size of an SVG document as a browser would lay it out (parsed by usvg, which never
/// reads another file here: `<image>` references resolve to nothing).
fn svg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    use resvg::usvg;
    let options = usvg::Options {
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(bytes, &options).ok()?;
    let size = tree.size();
    let round = |v: f32| (1.0..=100_000.0).contains(&v).then(|| v.round() as u32);
    Some((round(size.width())?, round(size.height())?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_size_comes_from_its_attributes_or_view_box() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="320" height="90"/>"#;
        assert_eq!(
            size_of("medias/logo.svg", svg),
            Some(Size {
                width: 320,
                height: 90
            })
        );
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360"/>"#;
        assert_eq!(
            size_of("medias/a.SVG", svg),
            Some(Size {
                width: 640,
                height: 360
            })
        );
        assert_eq!(size_of("medias/a.svg", b"<not svg"), None);
    }

    #[test]
    fn raster_size_comes_from_the_header() {
        // A 3×2 PNG: signature, then the IHDR chunk (width, height, depth, colour type…).
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&3u32.to_be_bytes());
        png.extend_from_slice(&2u32.to_be_bytes());
        png.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            size_of("medias/a.png", &png),
            Some(Size {
                width: 3,
                height: 2
            })
        );
        assert_eq!(size_of("medias/a.jpg", b"not an image"), None);
        assert_eq!(size_of("medias/vide.png", b""), None);
    }
}

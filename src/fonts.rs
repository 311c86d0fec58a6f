//! The fonts compiled into the binary, shared by the loader (which checks
//! that every character a person wrote can be shown) and the renderer.
//!
//! Liberation Sans (SIL OFL 1.1) sets every text: it has Arial's metrics and
//! every character Swedish reports need, U+2212 and U+00A0 included. DejaVu
//! Sans (Arabic and many symbols) and Symbola (emoji) stand in only for
//! characters Liberation Sans lacks, so that any text a person writes can be
//! shown. No system font is ever looked up; only the glyphs used are
//! embedded in a PDF.

use std::sync::OnceLock;

/// File name and bytes of each embedded font.
pub const FONTS: [(&str, &[u8]); 7] = [
    ("LiberationSans-Regular.ttf", include_bytes!("../fonts/LiberationSans-Regular.ttf")),
    ("LiberationSans-Bold.ttf", include_bytes!("../fonts/LiberationSans-Bold.ttf")),
    ("LiberationSans-Italic.ttf", include_bytes!("../fonts/LiberationSans-Italic.ttf")),
    ("LiberationSans-BoldItalic.ttf", include_bytes!("../fonts/LiberationSans-BoldItalic.ttf")),
    ("DejaVuSans.ttf", include_bytes!("../fonts/DejaVuSans.ttf")),
    ("DejaVuSans-Bold.ttf", include_bytes!("../fonts/DejaVuSans-Bold.ttf")),
    ("Symbola.ttf", include_bytes!("../fonts/Symbola.ttf")),
];

/// The licence texts that go with the fonts wherever they are copied.
pub const LICENSES: [(&str, &[u8]); 3] = [
    ("LICENSE-LiberationSans.txt", include_bytes!("../fonts/LICENSE-LiberationSans.txt")),
    ("LICENSE-DejaVuSans.txt", include_bytes!("../fonts/LICENSE-DejaVuSans.txt")),
    ("LICENSE-Symbola.txt", include_bytes!("../fonts/LICENSE-Symbola.txt")),
];

/// Whether the embedded fonts can show a character. Whitespace, control
/// characters and invisible format characters are not drawn and always
/// pass. A character no font has would make PDF/UA and PDF/A export fail
/// deep in Typst, so the loader checks user text with this first and says
/// which character it is.
///
/// Reads only the fonts' character maps (ttf-parser), not whole fonts, so
/// the loader does not depend on the layout engine.
pub fn covers(c: char) -> bool {
    // Liberation Sans has every printable ASCII character; most text is that.
    if c.is_ascii_graphic() {
        return true;
    }
    if c.is_whitespace() || c.is_control() || ('\u{200B}'..='\u{200F}').contains(&c) || c == '\u{00AD}' {
        return true;
    }
    faces().iter().any(|face| face.glyph_index(c).is_some())
}

/// The width of `text` set in Liberation Sans Regular at `size`, in the
/// units of `size`: charts measure their labels with it to place legends
/// and to leave out value labels that would not fit. A character the font
/// lacks counts as wide as an "M".
pub fn text_width(text: &str, size: f64) -> f64 {
    let face = &faces()[0];
    let advance =
        |c: char| face.glyph_index(c).or_else(|| face.glyph_index('M')).and_then(|g| face.glyph_hor_advance(g));
    let units: u32 = text.chars().map(|c| u32::from(advance(c).unwrap_or(0))).sum();
    units as f64 * size / f64::from(face.units_per_em())
}

/// The fonts' faces, parsed once per process.
fn faces() -> &'static [ttf_parser::Face<'static>] {
    static FACES: OnceLock<Vec<ttf_parser::Face<'static>>> = OnceLock::new();
    FACES.get_or_init(|| FONTS.iter().filter_map(|(_, data)| ttf_parser::Face::parse(data, 0).ok()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fonts_cover_what_reports_are_written_in() {
        for c in "Åsa, Ωμέγα, Жук, שלום, مرحبا, 😀🎉, −21,5 %\u{a0}".chars() {
            assert!(covers(c), "{c:?} U+{:04X}", c as u32);
        }
        assert!(!covers('漢'));
        assert_eq!(FONTS.len(), faces().len(), "every font parses");
    }

    #[test]
    fn text_is_measured_with_the_fonts_widths() {
        // Liberation Sans has Arial's widths: digits 0,556 em, a space 0,278.
        assert!((text_width("10", 10.0) - 11.12).abs() < 0.01, "{}", text_width("10", 10.0));
        assert!((text_width("1 0", 10.0) - 13.9).abs() < 0.01);
        assert!(text_width("Mål 90 %", 12.0) > text_width("Mål", 12.0));
    }
}

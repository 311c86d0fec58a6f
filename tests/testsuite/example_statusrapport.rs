//! The foundation example: seed 001, "Resultat per verksamhetsområde
//! september 2023", built in-process and read back from the PDF.

use std::sync::OnceLock;

use crate::pdf::Pdf;
use crate::support::build_example;

fn pdf() -> &'static Pdf {
    static PDF: OnceLock<Pdf> = OnceLock::new();
    PDF.get_or_init(|| Pdf::parse(build_example("statusrapport-2023-09")))
}

#[test]
fn is_a_16_9_slide_deck_of_eleven_pages() {
    assert_eq!(pdf().pages(), 11);
    let (width, height) = pdf().page_size();
    assert!((width - 841.89).abs() < 0.1 && (height - 473.56).abs() < 0.1, "{width} × {height}");
}

#[test]
fn figures_are_formatted_the_swedish_way() {
    let text = pdf().text();
    for expected in [
        "−21,5 mnkr",
        "−19,4 mnkr",
        "−7,6 mnkr",
        "+5,8 mnkr",
        "+2,9 mnkr",
        "+3,3 mnkr",
        "+15,4 mnkr",
        "−16,7 mnkr",
        "−13,6 mnkr",
        "+3,6 mnkr",
        "−2,4 mnkr",
        "97,2 %",
        "88 %",
        "−9 300 st",
        "+11 800 st",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from the PDF text");
    }
    assert!(!text.contains("-21,5"), "a hyphen is not a minus sign");
}

#[test]
fn no_title_slide_as_in_the_seed_and_the_footer() {
    // `titelsida = false`: the deck opens with its table; the title is the
    // document's title for the viewer.
    let first = pdf().page_text(1);
    assert!(first.starts_with("Resultat per verksamhetsområde september 2023"), "{first}");
    assert!(first.contains("Region Halland │ Halland – Bästa livsplatsen"), "{first}");
    assert!(!pdf().text().contains("Hälso- och sjukvårdsnämnden"), "no title slide");
    assert_eq!(pdf().info("Title").as_deref(), Some("Statusrapport Närsjukvården Halland"));
}

#[test]
fn names_the_verksamhetsomraden_and_their_results() {
    let table = pdf().page_text(1);
    for name in ["Vårdcentralen Halland", "Folktandvården Halland", "Närsjukvården gemensamt", "Närsjukvården Halland"]
    {
        assert!(table.contains(name), "{name} missing from {table}");
    }
    assert!(table.contains("Senast lämnad prognos, uppföljningsrapport 2 efter augusti"), "{table}");
    assert!(table.contains("−23,3"), "VC Halland's accumulated deviation: {table}");
}

#[test]
fn commentary_bullets_carry_the_data() {
    let text = pdf().page_text(2);
    assert!(text.contains("uppgår nu till totalt −21,5 mnkr"), "{text}");
    assert!(text.contains("Hyrpersonal har fortsatt avvikelse −19,4 mnkr i september"), "{text}");
    let text = pdf().page_text(3);
    assert!(text.contains("+2,9 mnkr efter september (+3,3 mnkr efter augusti)"), "{text}");
}

#[test]
fn chart_labels_are_real_swedish_text() {
    // Chart text is placed glyph by glyph, which pdf-extract reads with
    // spaces between the letters; compare without spaces.
    let text: String = pdf().page_text(2).split_whitespace().collect();
    for label in ["jan2023feb", "maj", "sep", "−1", "−3,4"] {
        assert!(text.contains(label), "{label:?} missing from chart text: {text}");
    }
    assert!(!text.contains("−1,0"), "whole ticks without decimals: {text}");
}

#[test]
fn only_our_fonts_and_all_embedded() {
    assert_eq!(pdf().fonts_without_program(), Vec::<String>::new());
    for name in pdf().font_names() {
        assert!(name.starts_with("LiberationSans"), "unexpected font {name}");
    }
}

#[test]
fn metadata_for_the_viewer_and_the_archive() {
    assert_eq!(pdf().info("Title").as_deref(), Some("Statusrapport Närsjukvården Halland"));
    assert_eq!(pdf().info("Author").as_deref(), Some("Närsjukvården Halland"));
    assert_eq!(pdf().language().as_deref(), Some("sv-SE"));
}

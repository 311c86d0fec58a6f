//! Board-ready PDF: tagged PDF/UA-1 with PDF/A-2a, metadata from the report,
//! structure (headings, lists, tables with header cells, figures with alt
//! text), and byte-identical output for the same inputs.

use lopdf::{Dictionary, Object};
use statusrapport::pipeline::{self, Options};

use crate::pdf::Pdf;
use crate::support::{build_example, build_with, repo};

/// Structure element types of the tag tree, in reading order, with the alt
/// text of figures.
fn structure(pdf: &Pdf) -> Vec<(String, Option<String>)> {
    let catalog = pdf.document.catalog().unwrap();
    let root = catalog.get(b"StructTreeRoot").unwrap().as_reference().unwrap();
    let mut out = Vec::new();
    walk(pdf, pdf.document.get_dictionary(root).unwrap(), &mut out, 0);
    out
}

fn walk(pdf: &Pdf, element: &Dictionary, out: &mut Vec<(String, Option<String>)>, depth: usize) {
    assert!(depth < 64, "structure tree is not absurdly deep");
    if let Ok(kind) = element.get(b"S").and_then(Object::as_name) {
        let alt = element.get(b"Alt").ok().and_then(|a| lopdf::decode_text_string(a).ok());
        out.push((String::from_utf8_lossy(kind).into_owned(), alt));
    }
    let kids = match element.get(b"K") {
        Ok(Object::Array(kids)) => kids.clone(),
        Ok(kid) => vec![kid.clone()],
        Err(_) => Vec::new(),
    };
    for kid in kids {
        let dict = match &kid {
            Object::Reference(id) => pdf.document.get_dictionary(*id).ok(),
            Object::Dictionary(dict) => Some(dict),
            _ => None,
        };
        if let Some(dict) = dict.filter(|d| d.has(b"S")) {
            walk(pdf, dict, out, depth + 1);
        }
    }
}

#[test]
fn tagged_with_headings_lists_tables_and_described_figures() {
    let pdf = Pdf::parse(build_example("statusrapport-2023-09"));
    let tags = structure(&pdf);
    let count = |kind: &str| tags.iter().filter(|(k, _)| k == kind).count();
    // Without a title slide (as seed 001) each slide's heading is an H1.
    assert_eq!(count("H1"), 11, "one H1 per slide");
    assert_eq!(count("H2"), 0);
    let first_heading = tags.iter().position(|(k, _)| k.starts_with('H') && k.len() == 2).unwrap();
    assert_eq!(tags[first_heading].0, "H1", "headings start at H1");
    assert_eq!(count("Table"), 1);
    assert_eq!(count("TH"), 5, "the table's header row has header cells");
    assert!(count("L") >= 3 && count("LI") >= 9, "commentary bullets are lists");
    let figures: Vec<&String> =
        tags.iter().filter(|(k, _)| k == "Figure").map(|(_, alt)| alt.as_ref().expect("alt text")).collect();
    assert_eq!(figures.len(), 11);
    assert_eq!(
        figures[0],
        "Stapeldiagram: Budgetavvikelse per månad 2023, Närsjukvården Halland, från −1,6\u{a0}mnkr i januari till −3,4\u{a0}mnkr i september; sämst i september (−3,4\u{a0}mnkr)."
    );
    assert!(figures.iter().any(|alt| alt.starts_with("Liggande stapeldiagram: Förändring i antal listade")));
    assert!(figures.iter().any(|alt| alt.contains("Mållinje vid 90\u{a0}%")));
}

#[test]
fn metadata_language_and_standards() {
    let pdf = Pdf::parse(build_example("tjansteskrivelse-hsn-570-2023"));
    assert_eq!(pdf.info("Title").as_deref(), Some("Åtgärder för ekonomi i balans"));
    assert_eq!(pdf.info("Author").as_deref(), Some("Hälso- och sjukvård"));
    assert_eq!(pdf.info("Subject").as_deref(), Some("Tjänsteskrivelse till Hälso- och sjukvårdsnämnden, 2023-05-04"));
    let keywords = pdf.info("Keywords").unwrap();
    assert!(keywords.contains("HSN/570/2023") && keywords.contains("tjänsteskrivelse"), "{keywords}");
    assert_eq!(pdf.language().as_deref(), Some("sv-SE"));
    let catalog = pdf.document.catalog().unwrap();
    let preferences = catalog.get(b"ViewerPreferences").unwrap().as_dict().unwrap();
    assert!(preferences.get(b"DisplayDocTitle").unwrap().as_bool().unwrap(), "the viewer shows the title");
    let mark_info = catalog.get(b"MarkInfo").unwrap().as_dict().unwrap();
    assert!(mark_info.get(b"Marked").unwrap().as_bool().unwrap());
    let metadata = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
    let xmp = pdf.document.get_object(metadata).unwrap().as_stream().unwrap();
    let xmp = String::from_utf8_lossy(&xmp.content);
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "PDF/UA-1");
    assert!(
        xmp.contains("<pdfaid:part>2</pdfaid:part>") && xmp.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
        "PDF/A-2a"
    );
    assert_eq!(pdf.info("CreationDate").as_deref(), Some("D:20230504000000Z"), "the report's date, not the clock");
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    let first = build_example("uppfoljning-2018-03");
    let second = build_example("uppfoljning-2018-03");
    assert!(first == second, "two builds differ");
    // A fresh engine (as in another process) gives the same bytes too.
    let fresh = statusrapport::render::Engine::new();
    let (_, built) = pipeline::build(&fresh, &repo().join("data/uppfoljning-2018-03"), &Options::default());
    let third = built.pdf.expect("a PDF").bytes;
    assert!(first == third, "a fresh engine gives other bytes");
}

#[test]
fn source_date_epoch_sets_the_creation_date() {
    let options = Options { source_date_epoch: Some(1_700_000_000), ..Options::default() };
    let pdf = build_with(&repo().join("data/skrivelse-delarsrapport-april-2023"), &options).pdf();
    assert_eq!(pdf.info("CreationDate").as_deref(), Some("D:20231114221320Z"));
}

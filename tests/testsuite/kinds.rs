//! Every kind of document, one example project per seed: page size, page
//! count, the seed's key text in the PDF, and one page compared with a
//! committed reference image so that layout regressions are seen.
//!
//! After an intended layout change, refresh the references with
//! `UPDATE_REFERENCES=1 cargo test kinds` and look at them before committing.

use statusrapport::render::PagedDocument;

use crate::support::{build_with, repo};

const SLIDE: (f64, f64) = (841.89, 473.56);
const A4: (f64, f64) = (595.28, 841.89);

struct Example {
    folder: &'static str,
    size: (f64, f64),
    pages: usize,
    texts: &'static [&'static str],
    /// The page compared with `tests/references/<folder>.png`.
    reference_page: usize,
}

fn check(example: &Example) {
    let outcome = build_with(&repo().join("data").join(example.folder), &Default::default());
    assert!(outcome.cx.diagnostics.iter().next().is_none(), "{}", outcome.messages());
    let pdf = outcome.pdf();
    let (width, height) = pdf.page_size();
    assert!(
        (width - example.size.0).abs() < 0.2 && (height - example.size.1).abs() < 0.2,
        "{}: page is {width} × {height}",
        example.folder
    );
    assert_eq!(pdf.pages(), example.pages, "{}: page count", example.folder);
    let text = pdf.text();
    for expected in example.texts {
        assert!(text.contains(expected), "{}: {expected:?} missing", example.folder);
    }
    compare_with_reference(example, &outcome.document());
}

/// Renders the page at 0.4 px/pt and compares it with the reference:
/// at most 0.5 % of the pixels may differ by more than a fifth of the range.
fn compare_with_reference(example: &Example, document: &PagedDocument) {
    let page = &document.pages()[example.reference_page - 1];
    let options = typst_render::RenderOptions { pixel_per_pt: 0.4.into(), ..Default::default() };
    let rendered = typst_render::render(page, &options);
    let path = repo().join("tests/references").join(format!("{}.png", example.folder));
    if std::env::var_os("UPDATE_REFERENCES").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        rendered.save_png(&path).expect("reference written");
        return;
    }
    let reference = tiny_skia::Pixmap::load_png(&path)
        .unwrap_or_else(|e| panic!("{}: no reference image ({e}); run with UPDATE_REFERENCES=1", path.display()));
    assert_eq!(
        (rendered.width(), rendered.height()),
        (reference.width(), reference.height()),
        "{}: image size",
        example.folder
    );
    let differing = rendered
        .data()
        .chunks(4)
        .zip(reference.data().chunks(4))
        .filter(|(a, b)| a.iter().zip(b.iter()).any(|(x, y)| x.abs_diff(*y) > 51))
        .count();
    let share = differing as f64 / (rendered.width() * rendered.height()) as f64;
    assert!(
        share < 0.005,
        "{}: page {} differs from the reference in {:.2} % of the pixels",
        example.folder,
        example.reference_page,
        share * 100.0
    );
}

#[test]
fn seed_000_handlingsplan_statusrapport() {
    check(&Example {
        folder: "handlingsplan-2017-11",
        size: SLIDE,
        pages: 9,
        texts: &[
            "BÄSTA LIVSPLATSEN",
            "Handlingsplan budget i balans",
            "Driftnämnden Närsjukvård",
            "2017-11-30",
            "Resultat R12 VO Kungsbacka",
            "Budgetavvikelse per månad och ackumulerat 2017, VO Kungsbacka",
            "Tjänsteöverskott på ca 15 tjänster identifierat",
            "Särskilt stödteam arbetar med VC Bäckagård och VC Hertig Knut.",
        ],
        reference_page: 4,
    });
}

#[test]
fn seed_001_resultat_per_verksamhetsomrade() {
    check(&Example {
        folder: "statusrapport-2023-09",
        size: SLIDE,
        pages: 11,
        texts: &[
            "Resultat per verksamhetsområde september 2023",
            "Kostnad inhyrda läkare",
            "Sjukfrånvaro",
            "Personalomsättning",
        ],
        reference_page: 2,
    });
}

#[test]
fn seed_002_uppfoljning_efter_3_manader() {
    check(&Example {
        folder: "uppfoljning-2018-03",
        size: SLIDE,
        pages: 11,
        texts: &[
            "Resultat efter 3 månader −121 mnkr, vilket är 33 mnkr sämre än budget",
            "Prognos för 2018 −194 mnkr, vilket är 211 mnkr sämre än budget",
            "kostnadsminskning på 138 mnkr",
            "Personalkostnader har ökat med 10,5 %*",
            "Kostnader för köpt vård har ökat med 6,5 %*",
            "Kostnader för läkemedel har ökat med 15,8 %*",
            "nettokostnaderna ökat med 8,6 %*",
            "uppgår till 4,8 %",
            "Skatter och statsbidrag har ökat med 4,1 %*",
            "uppgår till 3,2 %",
            "Utfall 3 mån 2018 jämfört med utfall 3 mån 2017",
            "RH 84 84 82 81 83 67 71 76 80 81 76 76 80",
            "Riket 77 77 74 74 76 63 64 72 73 75 72 72 77",
            "Källa: Väntetider i vården",
            "Förslag till beslut",
        ],
        reference_page: 8,
    });
}

#[test]
fn seed_003_tjansteskrivelse() {
    check(&Example {
        folder: "tjansteskrivelse-hsn-570-2023",
        size: A4,
        pages: 2,
        texts: &[
            "2023-05-04",
            "Hälso- och sjukvård",
            "Henrik Wahlström",
            "HSN/570/2023",
            "Åtgärder för ekonomi i balans",
            "Ärendebeskrivning",
            "Regiondirektörens förslag",
            "1. Hälso- och sjukvårdsnämnden godkänner redovisad rapport.",
            "5. Regiondirektören får i uppdrag att vid nämndens sammanträde i oktober",
            "I tjänsten",
            "Sara Lewerentz",
            "Regiondirektör",
            "Anna Granevärn",
            "Tf. hälso- och sjukvårdsdirektör",
            "Utdrag till",
        ],
        reference_page: 1,
    });
}

#[test]
fn seed_004_skrivelse() {
    check(&Example {
        folder: "skrivelse-delarsrapport-april-2023",
        size: A4,
        pages: 2,
        texts: &[
            "skrivelse till regionfullmäktige",
            "åtgärdsplaner på 274 miljoner kronor",
            "34 miljoner kronor eller 37 procent av förväntad effekt på 91 miljoner kronor",
            "50 procent av åtgärderna",
            "58 miljoner kronor",
            "Patientavgifter",
        ],
        reference_page: 1,
    });
}

#[test]
fn manadsrapport_a4_with_contents() {
    check(&Example {
        folder: "manadsrapport-2017-09",
        size: A4,
        pages: 6,
        texts: &[
            "Innehåll",
            "Sammanfattning",
            "Resultat per nämnd",
            "−17,0 mnkr",
            "−35,0 mnkr",
            "Bilaga: data bakom diagrammen",
            "Sjukfrånvarotid i procent av ordinarie arbetstid, per månad (SKR:s definition)",
        ],
        reference_page: 1,
    });
}

/// The tjänsteskrivelse's first page names its diarienummer once (in the
/// page header) and has no empty `Tfn:` or `E-post:` line; given, they
/// are shown (seed 003 has the labels empty).
#[test]
fn tjansteskrivelse_header_without_repeats_or_empty_lines() {
    let example = repo().join("data/tjansteskrivelse-hsn-570-2023");
    let outcome = build_with(&example, &Default::default());
    let first = outcome.pdf().page_text(1);
    // The text itself cites the case once more: "(HSN/570/2023), §46".
    assert_eq!(first.matches("Diarienummer").count(), 1, "{first}");
    assert_eq!(first.matches("HSN/570/2023").count(), 2, "{first}");
    assert!(!first.contains("Tfn") && !first.contains("E-post"), "{first}");

    let project = crate::support::Project::example("tjansteskrivelse-hsn-570-2023");
    project.edit(
        "rapport.toml",
        "namn = \"Henrik Wahlström\"",
        "namn = \"Henrik Wahlström\"\ntelefon = \"035-13 48 00\"\nepost = \"henrik.wahlstrom@regionhalland.se\"",
    );
    let first = project.build().pdf().page_text(1);
    assert!(first.contains("Tfn: 035-13 48 00"), "{first}");
    assert!(first.contains("E-post: henrik.wahlstrom@regionhalland.se"), "{first}");
    assert_eq!(first.matches("Diarienummer").count(), 1, "{first}");
}

//! The laid-out pages checked as a reader sees them (`src/render/fit.rs`)
//! and long content continued: commentary too long for its slide goes on
//! slides marked "(forts.)", split by paragraph, list item and word, with
//! nothing lost and nothing below the footer; a long table continues with
//! its header row repeated. With `ryms_inte = "fel"` such content is an
//! error naming the commentary file and line and the page; text a
//! project's own template scales below the floor is always one.

use statusrapport::render::PagedDocument;
use typst::introspection::Introspector;
use typst::layout::{Frame, FrameItem, Point, Transform};

use crate::support::{Build, Project};

/// About the length of one of seed 001's VC Halland bullets.
const BULLET: &str = "fortsätter avvika negativt mot budget. Hyrpersonal har fortsatt avvikelse i september \
samtidigt som kostnaden för egen personal har ökat. Ingen tydlig minskning av timanställd personal. Positivt \
är dock att kostnaden för hyrläkare börjar minska.";

const REPORT: &str = r#"typ = "statusrapport"
titel = "Uppföljning {period}"
namnd = "Hälso- och sjukvårdsnämnden"
period = "2023-09"

[[data]]
fil = "data.csv"

[[enhet]]
id = "vo"
namn = "VO Kungsbacka"

[matt.utfall]
namn = "Resultat"
enhet = "mnkr"

[[avsnitt]]
rubrik = "Ekonomi {månad}"
enhet = "vo"
kommentar = "kommentarer/vo.md"
[[avsnitt.diagram]]
typ = "stapel"
matt = "utfall"
"#;

/// The commentary file's lines before the text (front matter).
const FRONT_MATTER: &str =
    "+++\nenhet = \"vo\"\nperiod = \"2023-09\"\nforfattare = \"Ekonomienheten\"\nstatus = \"granskad\"\n+++\n";

/// A one-slide report whose commentary is `text`, with `extra` lines in
/// `rapport.toml` (`ryms_inte = …`).
fn project(text: &str, extra: &str) -> Project {
    let mut csv = String::from("enhet;matt;period;varde\n");
    for month in 1..=9 {
        csv.push_str(&format!("vo;utfall;2023-{month:02};-1,{month}\n"));
    }
    let report = REPORT.replace("period = \"2023-09\"\n", &format!("period = \"2023-09\"\n{extra}"));
    Project::new(&[
        ("rapport.toml", &report),
        ("data.csv", &csv),
        ("kommentarer/vo.md", &format!("{FRONT_MATTER}{text}")),
    ])
}

fn bullets(count: usize) -> String {
    (1..=count).map(|n| format!("- Punkt {n}: kostnaden {BULLET}\n")).collect()
}

/// Every text run on every page: page, top, bottom (points from the page's
/// top) and text; translations only, as our templates use.
fn runs(document: &PagedDocument) -> Vec<(usize, f64, f64, String)> {
    fn walk(frame: &Frame, ts: Transform, page: usize, out: &mut Vec<(usize, f64, f64, String)>) {
        for (position, item) in frame.items() {
            let here = ts.pre_concat(Transform::translate(position.x, position.y));
            match item {
                FrameItem::Group(group) => walk(&group.frame, here.pre_concat(group.transform), page, out),
                FrameItem::Text(text) => {
                    let baseline = Point::zero().transform(here).y.to_pt();
                    let size = text.size.to_pt();
                    out.push((page, baseline - 0.8 * size, baseline + 0.2 * size, text.text.to_string()));
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (index, page) in document.pages().iter().enumerate() {
        walk(&page.frame, Transform::identity(), index + 1, &mut out);
    }
    out
}

/// No text on a page reaches down to its footer ("Region Halland │ …").
fn assert_nothing_below_footer(build: &Build) {
    let runs = runs(&build.document());
    for page in 1..=runs.iter().map(|r| r.0).max().unwrap_or(0) {
        let Some(footer_top) =
            runs.iter().filter(|r| r.0 == page && r.3.contains("Region Halland")).map(|r| r.1).reduce(f64::min)
        else {
            continue;
        };
        for (_, top, bottom, text) in runs.iter().filter(|r| r.0 == page && r.1 < footer_top - 1.0) {
            assert!(
                *bottom < footer_top,
                "page {page}: {text:?} ({top:.1}–{bottom:.1}) reaches the footer at {footer_top:.1}"
            );
        }
    }
}

/// Every non-space character of `written` is in `extracted` at least as
/// often: nothing was cut (titles and footers only add).
fn assert_every_character_kept(written: &str, extracted: &str) {
    let mut counts = std::collections::BTreeMap::new();
    for c in written.chars().filter(|c| !c.is_whitespace()) {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    for (c, count) in counts {
        let found = extracted.chars().filter(|e| *e == c).count();
        assert!(found >= count, "{c:?}: {found} of {count} in the PDF");
    }
}

#[test]
fn a_short_commentary_stays_on_one_slide() {
    let outcome = project(&bullets(2), "").build();
    assert!(outcome.cx.diagnostics.iter().next().is_none(), "{}", outcome.messages());
    let pdf = outcome.pdf();
    assert_eq!(pdf.pages(), 2, "title slide and the slide");
    assert!(!pdf.text().contains("(forts.)"));
}

#[test]
fn long_commentary_continues_on_marked_slides_without_loss() {
    // 7–8 bullets shrank to 8 pt, 10 ran over the footer, 11 overprinted.
    for count in [7, 8, 10, 11] {
        let outcome = project(&bullets(count), "").build();
        assert!(outcome.cx.diagnostics.iter().next().is_none(), "{count}: {}", outcome.messages());
        let pdf = outcome.pdf();
        let text = pdf.text();
        for n in 1..=count {
            assert!(text.contains(&format!("Punkt {n}: kostnaden")), "{count}: bullet {n} lost:\n{text}");
        }
        assert_every_character_kept(&bullets(count).replace("- ", ""), &text);
        assert!(pdf.pages() >= 3, "{count}: title, the slide and its continuation; got {}", pdf.pages());
        assert!(!pdf.page_text(2).contains("(forts.)"), "{count}");
        assert!(pdf.page_text(3).contains("Ekonomi september (forts.)"), "{count}: {}", pdf.page_text(3));
        assert_nothing_below_footer(&outcome);
    }
}

#[test]
fn a_continuation_is_not_a_heading() {
    // One heading per section in the outline and the tag tree.
    let outcome = project(&bullets(11), "").build();
    let document = outcome.document();
    let headings = document.introspector().query(&typst::foundations::Selector::Elem(
        typst::foundations::Element::of::<typst::model::HeadingElem>(),
        None,
    ));
    let texts: Vec<String> = headings.iter().map(|h| h.plain_text().to_string()).collect();
    assert_eq!(texts.iter().filter(|t| t.contains("Ekonomi")).count(), 1, "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("forts.")), "{texts:?}");
}

#[test]
fn a_ten_thousand_character_word_and_prose_are_kept_whole() {
    let word: String = (0..10_000).map(|i| (b'a' + (i % 10) as u8) as char).collect();
    let sentence = "Kostnaden för köpt vård är fortsatt hög men avvikelsen är mindre i augusti och september. ";
    let prose: String = (1..=100).map(|n| format!("Mening {n}. {sentence}")).collect();
    assert!(prose.chars().count() >= 10_000);
    for (name, text) in [("word", format!("Inledning. {word}\n")), ("prose", format!("{prose}\n"))] {
        let outcome = project(&text, "").build();
        assert!(outcome.cx.diagnostics.iter().next().is_none(), "{name}: {}", outcome.messages());
        let pdf = outcome.pdf();
        let extracted = pdf.text();
        assert!(extracted.contains("(forts.)"), "{name}");
        assert_every_character_kept(&text, &extracted);
        if name == "prose" {
            for n in 1..=100 {
                assert!(extracted.contains(&format!("Mening {n}.")), "{name}: sentence {n} lost");
            }
        }
        assert_nothing_below_footer(&outcome);
    }
}

#[test]
fn with_ryms_inte_fel_too_long_commentary_is_an_error_naming_line_and_page() {
    let outcome = project(&bullets(11), "ryms_inte = \"fel\"\n").build();
    assert!(!outcome.has_pdf());
    let messages = outcome.messages();
    assert!(messages.contains("kommentaren ryms inte på sidan 2"), "{messages}");
    // The first bullet that does not fit, on its line in the commentary
    // file (front matter: six lines).
    let line = messages
        .split("kommentarer/vo.md:")
        .nth(1)
        .and_then(|after| after.split(':').next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("no line in {messages}"));
    assert!((8..=17).contains(&line), "bullet {} is not the first one left out: {messages}", line - 6);
    assert!(messages.contains(&format!("- Punkt {}: kostnaden", line - 6)), "{messages}");
}

#[test]
fn with_its_own_templates_typeset_apart_a_report_still_names_the_line() {
    // Project templates are typeset in a child process; the places the
    // marks point at travel there and back.
    let project = project(&bullets(11), "ryms_inte = \"fel\"\nmallar = \"mallar\"\n");
    for template in ["statusrapport.typ", "gemensam.typ"] {
        let text = std::fs::read_to_string(crate::support::repo().join("report-templates").join(template)).unwrap();
        project.write(&format!("mallar/{template}"), text);
    }
    let run = project.run(&["check", "."]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("kommentaren ryms inte på sidan 2"), "{}", run.stderr);
    assert!(run.stderr.contains("kommentarer/vo.md:"), "{}", run.stderr);
}

/// A report whose one slide is a table of 23 units with a total row.
fn long_table(extra: &str) -> Project {
    let mut report = format!(
        "typ = \"statusrapport\"\ntitel = \"Tabell\"\nnamnd = \"Nämnden\"\nperiod = \"2023-09\"\n{extra}[[data]]\nfil = \"data.csv\"\n[matt.utfall]\nnamn = \"Resultat\"\nenhet = \"mnkr\"\n"
    );
    let mut csv = String::from("enhet;matt;period;varde\n");
    for n in 1..=23 {
        report.push_str(&format!("[[enhet]]\nid = \"e{n}\"\nnamn = \"Enhet nummer {n}\"\n"));
        csv.push_str(&format!("e{n};utfall;2023-09;{n},5\n"));
    }
    report.push_str(
        "[[avsnitt]]\nrubrik = \"Alla enheter\"\n[avsnitt.tabell]\nforsta_kolumn = \"Enhet\"\nsumma = \"Totalt\"\nkolumner = [{ matt = \"utfall\", rubrik = \"Resultatet\" }]\n",
    );
    Project::new(&[("rapport.toml", &report), ("data.csv", &csv)])
}

#[test]
fn a_table_too_long_for_its_slide_continues_with_its_header() {
    let outcome = long_table("").build();
    assert!(outcome.cx.diagnostics.iter().next().is_none(), "{}", outcome.messages());
    let pdf = outcome.pdf();
    assert_eq!(pdf.pages(), 3, "title, the table and its continuation");
    let (first, next) = (pdf.page_text(2), pdf.page_text(3));
    assert!(first.contains("Alla enheter") && !first.contains("(forts.)"), "{first}");
    assert!(next.contains("Alla enheter (forts.)"), "{next}");
    for page in [&first, &next] {
        assert!(page.contains("Enhet") && page.contains("Resultatet"), "header on each slide: {page}");
    }
    let all = format!("{first}\n{next}\n");
    for n in 1..=23 {
        assert!(
            all.contains(&format!("Enhet nummer {n}\n")) || all.contains(&format!("Enhet nummer {n} ")),
            "row {n} lost: {all}"
        );
    }
    assert!(!first.contains("Totalt") && next.contains("Totalt"), "the total comes last");
    assert_nothing_below_footer(&outcome);
    // With ryms_inte = "fel" the table is an error at its section.
    let outcome = long_table("ryms_inte = \"fel\"\n").build();
    assert!(!outcome.has_pdf());
    let messages = outcome.messages();
    assert!(messages.contains("tabellen ryms inte på sidan 2"), "{messages}");
    assert!(messages.contains("rapport.toml:") && messages.contains("rubrik = \"Alla enheter\""), "{messages}");
}

#[test]
fn an_unknown_ryms_inte_names_the_allowed_values() {
    let outcome = project(&bullets(1), "ryms_inte = \"krymp\"\n").build();
    let messages = outcome.messages();
    assert!(messages.contains("okänd inställning för ryms_inte `krymp`"), "{messages}");
    assert!(messages.contains("\"fortsätt\" eller \"fel\""), "{messages}");
}

#[test]
fn text_a_projects_template_scales_below_the_floor_is_an_error() {
    let project = project(&bullets(1), "mallar = \"mallar\"\n");
    let template = crate::support::repo().join("report-templates/statusrapport.typ");
    let own = std::fs::read_to_string(template).unwrap().replace(
        "#for s in d.sections {",
        "#scale(50%, reflow: true)[Liten text i en egen mall]\n#for s in d.sections {",
    );
    assert!(own.contains("Liten text"), "the template changed; put the scaled text elsewhere");
    project.write("mallar/statusrapport.typ", own);
    let outcome = project.build();
    assert!(!outcome.has_pdf());
    let messages = outcome.messages();
    assert!(messages.contains("texten \"Liten text i en egen mall\""), "{messages}");
    assert!(messages.contains("mindre än den minsta läsbara storleken 12 pt i en statusrapport"), "{messages}");
}

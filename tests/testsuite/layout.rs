//! Layout that uses the page, and the layout keys of `rapport.toml`:
//! `titelsida`, `diagram_per_bild`, `styckeavstand`, `logotyp`.

use crate::support::{Project, build_with, repo};

const REPORT: &str = r#"typ = "statusrapport"
titel = "Layout"
namnd = "Nämnden"
period = "2023-03"
[[data]]
fil = "data.csv"
[[enhet]]
id = "e"
namn = "Enheten"
[matt.utfall]
namn = "Resultat"
enhet = "mnkr"
[matt.andel]
namn = "Andel"
enhet = "%"
[[avsnitt]]
rubrik = "Två diagram"
enhet = "e"
[[avsnitt.diagram]]
typ = "stapel"
matt = "utfall"
[[avsnitt.diagram]]
typ = "linje"
matt = "andel"
"#;

const DATA: &str = "enhet;matt;period;varde\ne;utfall;2023-01;-1\ne;utfall;2023-02;2\ne;utfall;2023-03;-3\ne;andel;2023-01;96\ne;andel;2023-02;98\ne;andel;2023-03;99\n";

fn project(extra: &str) -> Project {
    let report = REPORT.replace("period = \"2023-03\"\n", &format!("period = \"2023-03\"\n{extra}"));
    Project::new(&[("rapport.toml", &report), ("data.csv", DATA)])
}

#[test]
fn two_charts_share_a_slide_only_when_the_report_asks() {
    let pdf = project("").build().pdf();
    assert_eq!(pdf.pages(), 3, "title slide, then one slide per chart");
    assert!(pdf.page_text(3).contains("Två diagram (forts.)"), "{}", pdf.page_text(3));
    let pdf = project("diagram_per_bild = 2\n").build().pdf();
    assert_eq!(pdf.pages(), 2, "title slide and one slide with both charts");
}

#[test]
fn without_a_title_slide_the_report_starts_with_its_first_section() {
    let pdf = project("titelsida = false\n").build().pdf();
    assert_eq!(pdf.pages(), 2);
    assert!(pdf.page_text(1).starts_with("Två diagram"), "{}", pdf.page_text(1));
    // The seed-001 example opens with its table, as the seed does.
    let build = build_with(&repo().join("data/statusrapport-2023-09"), &Default::default());
    let first = build.pdf().page_text(1);
    assert!(first.starts_with("Resultat per verksamhetsområde september 2023"), "{first}");
}

#[test]
fn layout_keys_out_of_range_are_named_at_their_place() {
    let build = project("diagram_per_bild = 3\nstyckeavstand = -2\n").build();
    let messages = build.messages();
    assert!(messages.contains("diagram_per_bild ska vara 1 eller 2"), "{messages}");
    assert!(messages.contains("rapport.toml:5:"), "{messages}");
    assert!(messages.contains("styckeavstand ska vara 0–36 punkter"), "{messages}");
    assert!(messages.contains("rapport.toml:6:"), "{messages}");
}

#[test]
fn a_share_axis_stops_at_100_and_a_target_reads_as_people_write_it() {
    let report = REPORT.replace("typ = \"linje\"\nmatt = \"andel\"", "typ = \"linje\"\nmatt = \"andel\"\nmal = 90");
    let build = Project::new(&[("rapport.toml", &report), ("data.csv", DATA)]).build();
    let bundle = build.built.bundle.as_ref().expect("a bundle");
    let svg =
        String::from_utf8_lossy(&bundle.files.iter().find(|f| f.path == "/diagram/2.svg").unwrap().bytes).into_owned();
    assert!(svg.contains(">\n100\n<"), "the axis ends at 100: {svg}");
    assert!(!svg.contains(">\n105\n<") && !svg.contains(">\n110\n<"), "{svg}");
    assert!(svg.contains(">\nMål 90\u{a0}%\n<"), "{svg}");
}

#[test]
fn short_text_goes_under_charts_that_take_the_width() {
    // Handlingsplan slide 4: two charts and one sentence. The charts sit side
    // by side over the whole width, each taller than the two stacked in the
    // left half were (about 140 pt).
    let build = build_with(&repo().join("data/handlingsplan-2017-11"), &Default::default());
    build.pdf();
    let slots: Vec<_> = build.built.chart_slots.values().collect();
    assert!(!slots.is_empty());
    for slot in slots {
        assert!(slot.height > 200.0 && slot.width > 330.0, "{slot:?}");
    }
}

#[test]
fn the_glyph_measure_sees_through_every_transformation() {
    // Text set at 7 pt (in the footer, which the layout check leaves to the
    // template), and a chart in a slot 8 cm wide whose text stands at the
    // slides' floor: both are measured as they stand on the page.
    let template = "#import \"gemensam.typ\": *\n#let d = json(\"/data.json\")\n#show: setup.with(d)\n#set text(size: 12pt)\n#set page(paper: \"a5\", margin: 1cm, footer: text(size: 7pt)[liten text])\n#for s in d.sections { for c in s.charts { box(width: 8cm, chart-figure(c, height: 5cm)) } }\n";
    let report = REPORT.replace("period = \"2023-03\"\n", "period = \"2023-03\"\nmallar = \"mallar\"\n");
    let project =
        Project::new(&[("rapport.toml", &report), ("data.csv", DATA), ("mallar/statusrapport.typ", template)]);
    let shown = project.build().pdf().shown_text();
    assert!(shown.iter().any(|t| (t.size - 7.0).abs() < 0.01), "{shown:?}");
    let chart_text: Vec<f64> = shown.iter().map(|t| t.size).filter(|s| (s - 12.0).abs() < 0.05).collect();
    assert!(chart_text.len() > 5, "the charts' ticks and labels at 12 pt: {shown:?}");
}

#[test]
fn a_projects_own_logo_takes_the_organisations_name_in_the_slide_footer() {
    // The project's own file (the region's logo is never shipped): on the
    // title slide above the slogan, and in each slide's footer in place of
    // "Region Halland", before "│ Halland – Bästa livsplatsen".
    let logo = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><rect width="120" height="30" fill="#004890"/></svg>"##;
    let with_logo = project("logotyp = \"logo.svg\"\n");
    with_logo.write("logo.svg", logo);
    let pdf = with_logo.build().pdf();
    let footer = pdf.page_text(2);
    assert!(footer.contains("│ Halland – Bästa livsplatsen"), "{footer}");
    assert!(!footer.contains("Region Halland │"), "the logo stands for the name: {footer}");
    let without = project("").build().pdf().page_text(2);
    assert!(without.contains("Region Halland │ Halland – Bästa livsplatsen"), "{without}");
}

//! Charts drawn for the slot the template gives them, and the chart kinds.

use statusrapport::chart::units_per_pt;
use statusrapport::kind::Kind;

use crate::support::{Project, build_with, repo};

/// The `width` and `height` attributes of a chart's SVG in the built files.
fn svg_size(build: &crate::support::Build, path: &str) -> (u32, u32) {
    let bundle = build.built.bundle.as_ref().expect("a bundle");
    let file = bundle.files.iter().find(|f| f.path == path).expect("the chart's file");
    let svg = String::from_utf8_lossy(&file.bytes);
    let number = |name: &str| -> u32 {
        let start = svg.find(&format!("{name}=\"")).expect("the attribute") + name.len() + 2;
        svg[start..].split('"').next().unwrap().parse().unwrap()
    };
    (number("width"), number("height"))
}

const REPORT: &str = r#"typ = "statusrapport"
titel = "Diagramytor"
namnd = "Nämnden"
period = "2023-03"
mallar = "mallar"
[[data]]
fil = "data.csv"
[[enhet]]
id = "e"
namn = "Enheten"
[matt.utfall]
namn = "Resultat"
enhet = "mnkr"
[[avsnitt]]
rubrik = "Resultat"
enhet = "e"
[[avsnitt.diagram]]
typ = "stapel"
matt = "utfall"
"#;

#[test]
fn a_projects_own_template_decides_the_size_a_chart_is_drawn_for() {
    // An A5 page with 1 cm margins and a 6 cm high chart: the chart is drawn
    // 128 mm × 60 mm, so its text has the same size on this page as anywhere.
    let template = "#import \"gemensam.typ\": *\n#let d = json(\"/data.json\")\n#show: setup.with(d)\n#set text(size: 12pt)\n#set page(paper: \"a5\", margin: 1cm)\n#heading(level: 1, d.title)\n#for s in d.sections { heading(level: 2, s.heading); for c in s.charts { chart-figure(c, height: 6cm) } }\n";
    let project = Project::new(&[
        ("rapport.toml", REPORT),
        ("data.csv", "enhet;matt;period;varde\ne;utfall;2023-01;-1\ne;utfall;2023-02;2\ne;utfall;2023-03;-3\n"),
        ("mallar/statusrapport.typ", template),
    ]);
    let build = project.build();
    build.pdf();
    let slot = build.built.chart_slots["/diagram/1.svg"];
    let mm = 72.0 / 25.4;
    assert!((slot.width - 128.0 * mm).abs() < 0.01 && (slot.height - 60.0 * mm).abs() < 0.01, "{slot:?}");
    let scale = units_per_pt(Kind::Statusrapport.legibility().chart);
    let expected = ((slot.width * scale).floor() as u32, (slot.height * scale).floor() as u32);
    assert_eq!(svg_size(&build, "/diagram/1.svg"), expected);
}

#[test]
fn every_chart_of_the_examples_is_drawn_for_its_slot() {
    for example in [
        "statusrapport-2023-09",
        "handlingsplan-2017-11",
        "manadsrapport-2017-09",
        "uppfoljning-2018-03",
        "regionjamforelse-2025",
    ] {
        let build = build_with(&repo().join("data").join(example), &Default::default());
        build.pdf();
        let report = build.built.report.as_ref().unwrap();
        let scale = units_per_pt(report.kind.legibility().chart);
        let charts = build.built.report.as_ref().unwrap().sections.iter().map(|s| s.charts.len()).sum::<usize>();
        assert_eq!(build.built.chart_slots.len(), charts, "{example}: every chart has a slot");
        for (path, slot) in &build.built.chart_slots {
            let expected = ((slot.width * scale).floor() as u32, (slot.height * scale).floor() as u32);
            assert_eq!(svg_size(&build, path), expected, "{example} {path}");
        }
    }
}

#[test]
fn monthly_bars_with_the_accumulated_line_and_bars_side_by_side_in_the_examples() {
    let alt_texts =
        |example: &str| build_with(&repo().join("data").join(example), &Default::default()).pdf().alt_texts();
    let handlingsplan = alt_texts("handlingsplan-2017-11");
    assert!(
        handlingsplan.iter().any(|alt| alt.starts_with(
            "Stapeldiagram med linje: Budgetavvikelse per månad och ackumulerat 2017, VO Kungsbacka, mnkr. Per månad:"
        ) && alt.ends_with("Ackumulerat: −18,6\u{a0}mnkr efter oktober.")),
        "{handlingsplan:#?}"
    );
    let uppfoljning = alt_texts("uppfoljning-2018-03");
    assert!(
        uppfoljning
            .iter()
            .any(|alt| alt.starts_with("Stapeldiagram med staplar sida vid sida (Region Halland, Riket)")
                && alt.contains("Riket: från 77\u{a0}% i mars 2017 till 77\u{a0}% i mars 2018")
                && alt.ends_with("Mållinje vid 80\u{a0}%.")),
        "{uppfoljning:#?}"
    );
}

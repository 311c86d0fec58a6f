//! The messages people see for typical mistakes, as snapshots: each test
//! starts from a small valid project, makes one mistake, and records what
//! `check` would print (file, line, column, the line, a caret, the hint).

use std::fs;

use statusrapport::model::Variant;
use statusrapport::pipeline::{self, Options};

use crate::pdf::engine;

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

[matt.budget]
namn = "Budget"
enhet = "mnkr"

[matt.ack_avvikelse]
namn = "Ackumulerad avvikelse"
formel = "ack(utfall - budget)"
enhet = "mnkr"
tecken = true

[matt.telefon]
namn = "Telefontillgänglighet"
enhet = "%"

[[avsnitt]]
rubrik = "Ekonomi {månad}"
enhet = "vo"
kommentar = "kommentar.toml"
[[avsnitt.diagram]]
typ = "stapel"
matt = "utfall"
"#;

const COMMENTARY: &str = r#"enhet = "vo"
period = "2023-09"
forfattare = "Ekonomienheten"
status = "godkänd"
text = """
- Avvikelsen är {ack_avvikelse} efter {månad}.
- Telefontillgängligheten var {telefon} i {månad}.
"""
"#;

fn data() -> String {
    let mut csv = String::from("enhet;matt;period;varde\n");
    for month in 1..=9 {
        csv.push_str(&format!("vo;utfall;2023-{month:02};-1,{month}\nvo;budget;2023-{month:02};-0,5\n"));
    }
    csv.push_str("vo;telefon;2023-09;96,4\n");
    csv
}

/// Writes the project with `change` applied to (file, text) pairs, checks
/// it as `statusrapport check` does, and returns the messages with the
/// temporary folder shown as `projekt`.
fn messages(change: impl FnOnce(&mut Vec<(&'static str, String)>)) -> String {
    let mut files =
        vec![("rapport.toml", REPORT.to_string()), ("kommentar.toml", COMMENTARY.to_string()), ("data.csv", data())];
    change(&mut files);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("projekt");
    for (name, text) in &files {
        let path = root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    let (mut cx, project) = pipeline::load(&root);
    if let Some(project) = project {
        pipeline::build_variant(engine(), &mut cx, &project, &Variant::Whole, &Options::default());
    }
    let shown = statusrapport::diagnostic::render_plain(&cx.sources, &cx.diagnostics);
    shown.replace(&root.display().to_string(), "projekt")
}

fn edit(files: &mut [(&'static str, String)], name: &str, from: &str, to: &str) {
    let (_, text) = files.iter_mut().find(|(n, _)| *n == name).unwrap();
    assert!(text.contains(from), "{name} has no {from:?}");
    *text = text.replacen(from, to, 1);
}

#[test]
fn the_valid_project_has_no_messages() {
    assert_eq!(messages(|_| {}), "");
}

#[test]
fn misspelled_key() {
    insta::assert_snapshot!(messages(|f| edit(f, "rapport.toml", "titel =", "titl =")));
}

#[test]
fn swedish_letters_in_a_key() {
    insta::assert_snapshot!(messages(|f| edit(f, "rapport.toml", "namnd =", "nämnd =")));
}

#[test]
fn unknown_placeholder() {
    insta::assert_snapshot!(messages(|f| edit(f, "kommentar.toml", "{ack_avvikelse}", "{ack_avvikelsen}")));
}

#[test]
fn placeholder_with_unknown_unit() {
    insta::assert_snapshot!(messages(|f| edit(f, "kommentar.toml", "{telefon}", "{vo2.telefon}")));
}

#[test]
fn brace_left_open() {
    insta::assert_snapshot!(messages(|f| edit(f, "kommentar.toml", "{månad}.", "{månad.")));
}

#[test]
fn commentary_written_for_last_month() {
    insta::assert_snapshot!(messages(|f| edit(f, "kommentar.toml", "period = \"2023-09\"", "period = \"2023-08\"")));
}

#[test]
fn unknown_status() {
    insta::assert_snapshot!(messages(|f| edit(f, "kommentar.toml", "\"godkänd\"", "\"klar\"")));
}

#[test]
fn hand_typed_figure_disagrees_with_the_data() {
    insta::assert_snapshot!(messages(|f| edit(f, "kommentar.toml", "{telefon}", "95,0 %")));
}

#[test]
fn text_in_a_number_cell() {
    insta::assert_snapshot!(messages(|f| edit(f, "data.csv", "vo;utfall;2023-04;-1,4", "vo;utfall;2023-04;ca 1,4")));
}

#[test]
fn decimal_point_and_comma_mixed() {
    insta::assert_snapshot!(messages(|f| edit(f, "data.csv", "vo;utfall;2023-04;-1,4", "vo;utfall;2023-04;-1.4")));
}

#[test]
fn the_same_value_twice() {
    insta::assert_snapshot!(messages(|f| edit(f, "data.csv", "vo;budget;2023-02;-0,5", "vo;budget;2023-01;-0,5")));
}

#[test]
fn unknown_unit_in_the_data() {
    insta::assert_snapshot!(messages(|f| edit(f, "data.csv", "vo;telefon;", "v0;telefon;")));
}

#[test]
fn unknown_metric_in_the_data() {
    insta::assert_snapshot!(messages(|f| edit(f, "data.csv", "vo;telefon;", "vo;telefn;")));
}

#[test]
fn month_after_the_report_year() {
    insta::assert_snapshot!(messages(|f| edit(f, "data.csv", "vo;telefon;2023-09", "vo;telefon;2024-09")));
}

#[test]
fn month_missing_for_a_derived_metric() {
    insta::assert_snapshot!(messages(|f| edit(f, "data.csv", "vo;utfall;2023-03;-1,3\n", "")));
}

#[test]
fn unknown_chart_type() {
    insta::assert_snapshot!(messages(|f| edit(f, "rapport.toml", "typ = \"stapel\"", "typ = \"staple\"")));
}

#[test]
fn formula_naming_an_unknown_metric() {
    insta::assert_snapshot!(messages(|f| edit(f, "rapport.toml", "ack(utfall - budget)", "ack(utfall - budgett)")));
}

#[test]
fn formula_that_cannot_be_read() {
    insta::assert_snapshot!(messages(|f| edit(f, "rapport.toml", "ack(utfall - budget)", "ack(utfall - )")));
}

#[test]
fn data_file_missing() {
    insta::assert_snapshot!(messages(|f| edit(f, "rapport.toml", "fil = \"data.csv\"", "fil = \"siffror.csv\"")));
}

#[test]
fn path_out_of_the_project() {
    insta::assert_snapshot!(messages(|f| edit(f, "rapport.toml", "fil = \"data.csv\"", "fil = \"../../etc/passwd\"")));
}

#[test]
fn wrong_kind_of_value() {
    insta::assert_snapshot!(messages(|f| edit(
        f,
        "rapport.toml",
        "enhet = \"%\"",
        "enhet = \"%\"\ndecimaler = \"en\""
    )));
}

#[test]
fn unknown_report_kind() {
    insta::assert_snapshot!(messages(|f| edit(f, "rapport.toml", "\"statusrapport\"", "\"statusrapprot\"")));
}

#[test]
fn month_that_does_not_exist() {
    insta::assert_snapshot!(messages(|f| edit(f, "rapport.toml", "period = \"2023-09\"", "period = \"2023-13\"")));
}

#[test]
fn error_in_a_project_template() {
    insta::assert_snapshot!(messages(|f| {
        edit(f, "rapport.toml", "period = \"2023-09\"", "period = \"2023-09\"\nmallar = \"mallar\"");
        f.push((
            "mallar/statusrapport.typ",
            "#import \"gemensam.typ\": *\n#let d = json(\"/data.json\")\n#d.titel\n".into(),
        ));
    }));
}

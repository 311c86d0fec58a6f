//! The messages people see for typical mistakes, as snapshots: each test
//! starts from a small valid project, makes one mistake, and records what
//! `check` would print (file, line, column, the line, a caret, the hint).

use crate::support::Project;

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
status = "granskad"
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

/// Writes the project, makes one change, checks it as `statusrapport
/// check` does, and returns the messages with the temporary folder shown as
/// `projekt`.
fn messages(change: impl FnOnce(&Project)) -> String {
    let project = Project::new(&[("rapport.toml", REPORT), ("kommentar.toml", COMMENTARY), ("data.csv", &data())]);
    change(&project);
    project.build().messages()
}

#[test]
fn the_valid_project_has_no_messages() {
    assert_eq!(messages(|_| {}), "");
}

#[test]
fn misspelled_key() {
    insta::assert_snapshot!(messages(|p| p.edit("rapport.toml", "titel =", "titl =")));
}

#[test]
fn swedish_letters_in_a_key() {
    insta::assert_snapshot!(messages(|p| p.edit("rapport.toml", "namnd =", "nämnd =")));
}

#[test]
fn unknown_placeholder() {
    insta::assert_snapshot!(messages(|p| p.edit("kommentar.toml", "{ack_avvikelse}", "{ack_avvikelsen}")));
}

#[test]
fn placeholder_with_unknown_unit() {
    insta::assert_snapshot!(messages(|p| p.edit("kommentar.toml", "{telefon}", "{vo2.telefon}")));
}

#[test]
fn brace_left_open() {
    insta::assert_snapshot!(messages(|p| p.edit("kommentar.toml", "{månad}.", "{månad.")));
}

#[test]
fn commentary_written_for_last_month() {
    insta::assert_snapshot!(messages(|p| p.edit("kommentar.toml", "period = \"2023-09\"", "period = \"2023-08\"")));
}

#[test]
fn unknown_status() {
    insta::assert_snapshot!(messages(|p| p.edit("kommentar.toml", "\"granskad\"", "\"klar\"")));
}

#[test]
fn hand_typed_figure_disagrees_with_the_data() {
    insta::assert_snapshot!(messages(|p| p.edit("kommentar.toml", "{telefon}", "95,0 %")));
}

#[test]
fn text_in_a_number_cell() {
    insta::assert_snapshot!(messages(|p| p.edit("data.csv", "vo;utfall;2023-04;-1,4", "vo;utfall;2023-04;ca 1,4")));
}

#[test]
fn decimal_point_and_comma_mixed() {
    insta::assert_snapshot!(messages(|p| p.edit("data.csv", "vo;utfall;2023-04;-1,4", "vo;utfall;2023-04;-1.4")));
}

#[test]
fn the_same_value_twice() {
    insta::assert_snapshot!(messages(|p| p.edit("data.csv", "vo;budget;2023-02;-0,5", "vo;budget;2023-01;-0,5")));
}

#[test]
fn unknown_unit_in_the_data() {
    insta::assert_snapshot!(messages(|p| p.edit("data.csv", "vo;telefon;", "v0;telefon;")));
}

#[test]
fn unknown_metric_in_the_data() {
    insta::assert_snapshot!(messages(|p| p.edit("data.csv", "vo;telefon;", "vo;telefn;")));
}

#[test]
fn month_after_the_report_year() {
    insta::assert_snapshot!(messages(|p| p.edit("data.csv", "vo;telefon;2023-09", "vo;telefon;2024-09")));
}

#[test]
fn month_missing_for_a_derived_metric() {
    insta::assert_snapshot!(messages(|p| p.edit("data.csv", "vo;utfall;2023-03;-1,3\n", "")));
}

#[test]
fn unknown_chart_type() {
    insta::assert_snapshot!(messages(|p| p.edit("rapport.toml", "typ = \"stapel\"", "typ = \"staple\"")));
}

#[test]
fn formula_naming_an_unknown_metric() {
    insta::assert_snapshot!(messages(|p| p.edit("rapport.toml", "ack(utfall - budget)", "ack(utfall - budgett)")));
}

#[test]
fn formula_that_cannot_be_read() {
    insta::assert_snapshot!(messages(|p| p.edit("rapport.toml", "ack(utfall - budget)", "ack(utfall - )")));
}

#[test]
fn data_file_missing() {
    insta::assert_snapshot!(messages(|p| p.edit("rapport.toml", "fil = \"data.csv\"", "fil = \"siffror.csv\"")));
}

#[test]
fn path_out_of_the_project() {
    insta::assert_snapshot!(messages(|p| p.edit("rapport.toml", "fil = \"data.csv\"", "fil = \"../../etc/passwd\"")));
}

#[test]
fn wrong_kind_of_value() {
    insta::assert_snapshot!(messages(|p| p.edit("rapport.toml", "enhet = \"%\"", "enhet = \"%\"\ndecimaler = \"en\"")));
}

#[test]
fn unknown_report_kind() {
    insta::assert_snapshot!(messages(|p| p.edit("rapport.toml", "\"statusrapport\"", "\"statusrapprot\"")));
}

#[test]
fn month_that_does_not_exist() {
    insta::assert_snapshot!(messages(|p| p.edit("rapport.toml", "period = \"2023-09\"", "period = \"2023-13\"")));
}

#[test]
fn error_in_a_project_template() {
    insta::assert_snapshot!(messages(|p| {
        p.edit("rapport.toml", "period = \"2023-09\"", "period = \"2023-09\"\nmallar = \"mallar\"");
        p.write("mallar/statusrapport.typ", "#import \"gemensam.typ\": *\n#let d = json(\"/data.json\")\n#d.titel\n");
    }));
}

#[test]
fn accumulated_bars_of_a_metric_that_does_not_add_up() {
    insta::assert_snapshot!(messages(|p| p.edit(
        "rapport.toml",
        "typ = \"stapel\"\nmatt = \"utfall\"",
        "typ = \"stapel_ack\"\nmatt = \"telefon\""
    )));
}

#[test]
fn too_many_series_for_a_chart() {
    insta::assert_snapshot!(messages(|p| p.edit(
        "rapport.toml",
        "typ = \"stapel\"\nmatt = \"utfall\"",
        "typ = \"stapel\"\nserier = [{ matt = \"utfall\" }, { matt = \"budget\" }]"
    )));
}

#[test]
fn a_wrong_figure_is_shown_in_its_own_sentence_with_one_tip() {
    // The same figure twice: right after September, wrong after August.
    insta::assert_snapshot!(messages(|p| p.edit(
        "kommentar.toml",
        "- Avvikelsen är {ack_avvikelse} efter {månad}.",
        "- Ackumulerad avvikelse är −9,0 mnkr efter september.\n- Ack avvikelse −9,0 mnkr efter augusti, totalt."
    )));
}

#[test]
fn functions_over_months_in_a_sentence() {
    let project = Project::new(&[("rapport.toml", REPORT), ("kommentar.toml", COMMENTARY), ("data.csv", &data())]);
    project.edit(
        "kommentar.toml",
        "- Telefontillgängligheten var {telefon} i {månad}.",
        "- Sämst i {lägst_månad(utfall)}, {lägst(utfall)}; bäst i {högst_månad(vo.utfall)}.\n- {antal_minst(utfall; -1,5)} månader nådde målet, {andel_minst(utfall; -1,5)}; första kvartalet i snitt {medel(utfall)@2023-01..2023-03}.",
    );
    let build = project.build();
    assert_eq!(build.messages(), "");
    let text = crate::pdf::normalise_spaces(&build.pdf().text());
    assert!(text.contains("Sämst i september, −1,9 mnkr; bäst i januari."), "{text}");
    assert!(text.contains("5 månader nådde målet, 56 %; första kvartalet i snitt −1,2 mnkr."), "{text}");
}

#[test]
fn a_function_over_months_without_a_target() {
    insta::assert_snapshot!(messages(|p| p.edit(
        "kommentar.toml",
        "{telefon} i {månad}",
        "{antal_minst(utfall)} i {månad}"
    )));
}

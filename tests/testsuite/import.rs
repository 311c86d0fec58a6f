//! The import description of `[[data]]`, one test per option: each reads a
//! small export shaped the way the option is for and asserts the figures
//! read (and that nothing else was read), or the message (as a snapshot)
//! when the file needs the option and it is not given.

use statusrapport::metrics::Metrics;
use statusrapport::model::Variant;
use statusrapport::period::Month;
use statusrapport::{pipeline, validate};

use crate::support::Project;

/// A report with units `vok` (VO Kungsbacka), `voh` (VO Halmstad/Laholm)
/// and metrics `utfall`, `budget`, reading `data` as declared by `entry`
/// (the lines under `[[data]]`).
fn project(entry: &str, file: &str, data: &str) -> Project {
    let report = format!(
        r#"typ = "statusrapport"
titel = "Uppföljning {{period}}"
namnd = "Hälso- och sjukvårdsnämnden"
period = "2023-09"

[[data]]
fil = "{file}"
{entry}

[[enhet]]
id = "vok"
namn = "VO Kungsbacka"

[[enhet]]
id = "voh"
namn = "VO Halmstad/Laholm"
alias = ["Halmstad"]

[matt.utfall]
namn = "Utfall"
enhet = "mnkr"

[matt.budget]
namn = "Budget"
enhet = "mnkr"
mal = 0.0
"#
    );
    Project::new(&[("rapport.toml", &report), (file, data)])
}

/// The figures read, as `enhet matt månad värde` lines in order, or the
/// messages if the project has errors.
fn figures(project: &Project) -> Result<Vec<String>, String> {
    let (mut cx, loaded) = pipeline::load(&project.root);
    let loaded = loaded.ok_or("not loaded")?;
    let report = validate::validate(&mut cx, &loaded, &Variant::Whole);
    let messages = statusrapport::diagnostic::render_plain(&cx.sources, &cx.diagnostics)
        .replace(&project.root.display().to_string(), "projekt");
    let report = match report {
        Some(report) if !cx.diagnostics.has_errors() => report,
        _ => return Err(messages),
    };
    let metrics = Metrics::new(&report, &loaded.data);
    let mut out = Vec::new();
    for (m, metric) in report.metrics.iter().enumerate() {
        for (u, unit) in report.units.iter().enumerate() {
            for month in Month::parse("2023-01").unwrap().through(Month::parse("2023-12").unwrap()) {
                if let Some(value) = metrics.value(m, u, month) {
                    out.push(format!("{} {} {month} {value}", unit.id, metric.id));
                }
            }
        }
    }
    Ok(out)
}

fn read(entry: &str, file: &str, data: &str) -> Vec<String> {
    figures(&project(entry, file, data)).unwrap_or_else(|messages| panic!("{messages}"))
}

fn message(entry: &str, file: &str, data: &str) -> String {
    figures(&project(entry, file, data)).expect_err("the export needs an option")
}

#[test]
fn the_header_is_found_below_title_rows() {
    let data = "Resultatrapport;;\nPeriod: 2023;;\n\nenhet;matt;2023-01\nvok;utfall;-1,2\n";
    assert_eq!(read("", "data.csv", data), ["vok utfall 2023-01 -1.2"]);
}

#[test]
fn rubrikrad() {
    // A title row with two periods would be taken for the header.
    let data = "Jämförelse;2022;2023\nenhet;matt;2023-01\nvok;utfall;-1,2\n";
    insta::assert_snapshot!(message("", "data.csv", data));
    assert_eq!(read("rubrikrad = 2", "data.csv", data), ["vok utfall 2023-01 -1.2"]);
}

#[test]
fn hoppa_over_borjan() {
    let data = "Jämförelse;2022;2023\nenhet;matt;2023-01\nvok;utfall;-1,2\n";
    assert_eq!(read("hoppa_over_borjan = 1", "data.csv", data), ["vok utfall 2023-01 -1.2"]);
}

#[test]
fn hoppa_over_slutet() {
    let data = "enhet;matt;2023-01\nvok;utfall;-1,2\n*;;\nPreliminärt;;\n";
    insta::assert_snapshot!(message("", "data.csv", data));
    assert_eq!(read("hoppa_over_slutet = 2", "data.csv", data), ["vok utfall 2023-01 -1.2"]);
}

#[test]
fn ignorera_rader() {
    let data = "enhet;matt;2023-01\nvok;utfall;-1,2\nSumma;;-1,2\n\nKälla: Raindance;;\n";
    insta::assert_snapshot!(message("", "data.csv", data));
    assert_eq!(read(r#"ignorera_rader = ["summa", "KÄLLA"]"#, "data.csv", data), ["vok utfall 2023-01 -1.2"]);
    let blank_first = "enhet;matt;2023-01\nvok;utfall;-1,2\n;utfall;-9\n";
    assert_eq!(read(r#"ignorera_rader = [""]"#, "data.csv", blank_first), ["vok utfall 2023-01 -1.2"]);
}

#[test]
fn ignorera_kolumner() {
    let data = "enhet;matt;2023-01;2023-02;Summa\nvok;utfall;-1,2;-0,8;-2,0\n";
    insta::assert_snapshot!(message("", "data.csv", data));
    assert_eq!(
        read(r#"ignorera_kolumner = ["summa"]"#, "data.csv", data),
        ["vok utfall 2023-01 -1.2", "vok utfall 2023-02 -0.8"]
    );
}

#[test]
fn kolumner() {
    let data = "Verksamhet;Typ;jan;feb\nVO Kungsbacka;Utfall;-1,2;-0,8\nHalmstad;Budget;0;0,5\n";
    insta::assert_snapshot!(message("", "data.csv", data));
    let wide = read(r#"kolumner = { enhet = "Verksamhet", matt = "Typ" }"#, "data.csv", data);
    assert_eq!(
        wide,
        ["vok utfall 2023-01 -1.2", "vok utfall 2023-02 -0.8", "voh budget 2023-01 0", "voh budget 2023-02 0.5"]
    );
    let long = "Förvaltning;Månad;Belopp\nvok;2023-03;4,5\n";
    let entry = r#"matt = "utfall"
kolumner = { enhet = "Förvaltning", period = "Månad", varde = "Belopp" }"#;
    assert_eq!(read(entry, "data.csv", long), ["vok utfall 2023-03 4.5"]);
}

#[test]
fn enhet_och_matt_for_hela_filen() {
    let data = "2023-01;2023-02\n-1,2;-0,8\n";
    assert_eq!(
        read("enhet = \"VO Kungsbacka\"\nmatt = \"utfall\"", "data.csv", data),
        ["vok utfall 2023-01 -1.2", "vok utfall 2023-02 -0.8"]
    );
}

#[test]
fn fyll_nedat() {
    let data = "enhet;matt;2023-01\nvok;utfall;-1,2\n;budget;-0,5\n";
    insta::assert_snapshot!(message("", "data.csv", data));
    assert_eq!(read("fyll_nedat = true", "data.csv", data), ["vok utfall 2023-01 -1.2", "vok budget 2023-01 -0.5"]);
}

#[test]
fn ar() {
    let data = "enhet;matt;jan;feb\nvok;utfall;-1,2;-0,8\n";
    // Without `ar`, the report period's year.
    assert_eq!(read("", "data.csv", data), ["vok utfall 2023-01 -1.2", "vok utfall 2023-02 -0.8"]);
    assert_eq!(months_read("ar = 2022", data), ("2022-01".into(), "2022-02".into()));
}

/// The first and last month read for `vok`'s `utfall`.
fn months_read(entry: &str, data: &str) -> (String, String) {
    let project = project(entry, "data.csv", data);
    let (_, loaded) = pipeline::load(&project.root);
    let (first, last) = loaded.unwrap().data.series("utfall", "vok").and_then(|s| s.months()).unwrap();
    (first.to_string(), last.to_string())
}

#[test]
fn the_year_above_the_months() {
    let data = ";;Utfall 2022;\nenhet;matt;jan;feb\nvok;utfall;-1,2;-0,8\n";
    assert_eq!(months_read("", data), ("2022-01".into(), "2022-02".into()));
}

#[test]
fn decimaltecken() {
    let data = "enhet;matt;2023-01;2023-02\nvok;utfall;1.234;2.5\n";
    // `2.5` shows the point is the decimal mark.
    assert_eq!(read("", "data.csv", data), ["vok utfall 2023-01 1.234", "vok utfall 2023-02 2.5"]);
    let alone = "enhet;matt;2023-01\nvok;utfall;1.234\n";
    insta::assert_snapshot!(message("", "data.csv", alone));
    assert_eq!(read(r#"decimaltecken = ".""#, "data.csv", alone), ["vok utfall 2023-01 1.234"]);
}

#[test]
fn tusentalsavgransare() {
    let alone = "enhet;matt;2023-01\nvok;utfall;1.234\n";
    assert_eq!(read(r#"tusentalsavgransare = ".""#, "data.csv", alone), ["vok utfall 2023-01 1234"]);
    // `1.234.567` shows the point groups thousands.
    let data = "enhet;matt;2023-01;2023-02\nvok;utfall;1.234;1.234.567\n";
    assert_eq!(read("", "data.csv", data), ["vok utfall 2023-01 1234", "vok utfall 2023-02 1234567"]);
}

#[test]
fn parentes_negativ() {
    let data = "enhet;matt;2023-01\nvok;utfall;(1 234,5)\n";
    insta::assert_snapshot!(message("", "data.csv", data));
    assert_eq!(read("parentes_negativ = true", "data.csv", data), ["vok utfall 2023-01 -1234.5"]);
}

#[test]
fn felvarde_tomt() {
    let data = "enhet;matt;2023-01;2023-02\nvok;utfall;#DIV/0!;-0,8\n";
    insta::assert_snapshot!(message("", "data.csv", data));
    assert_eq!(read("felvarde_tomt = true", "data.csv", data), ["vok utfall 2023-02 -0.8"]);
}

#[test]
fn saknas_och_noll() {
    let data = "region;matt;2023M05;2023M06\nvok;utfall;12;..\nvok;budget;-;3\n";
    // Undeclared, a sign in place of a figure is refused with what to write.
    let columns = "kolumner = { enhet = \"region\" }";
    insta::assert_snapshot!(message(columns, "data.csv", data));
    let declared = format!("{columns}\nsaknas = [\"..\"]\nnoll = [\"-\"]");
    // 2023-06 of utfall is missing: no figure, and not zero.
    assert_eq!(
        read(&declared, "data.csv", data),
        ["vok utfall 2023-05 12", "vok budget 2023-05 0", "vok budget 2023-06 3"]
    );
    let both = "saknas = [\"-\"]\nnoll = [\" - \"]";
    assert!(message(both, "data.csv", data).contains("`-` står både under saknas och under noll"));
}

#[test]
fn values_as_people_type_them() {
    let data = "enhet;matt;2023-01;2023-02;2023-03;2023-04\nvok;utfall;97,2 %;−1,5;1 234 tkr;-0,5\n";
    assert_eq!(
        read("", "data.csv", data),
        ["vok utfall 2023-01 97.2", "vok utfall 2023-02 -1.5", "vok utfall 2023-03 1234", "vok utfall 2023-04 -0.5"]
    );
}

#[test]
fn month_headings_as_exports_write_them() {
    let data = "enhet;matt;januari 2023;feb-23;2023-mar;apr 2023;2023M05\nvok;utfall;1;2;3;4;5\n";
    assert_eq!(read("", "data.csv", data).len(), 5);
}

#[test]
fn an_impossible_date_is_an_error() {
    let data = "enhet;matt;period;varde\nvok;utfall;2023-02-30;1\n";
    insta::assert_snapshot!(message("", "data.csv", data));
}

#[test]
fn names_as_people_write_them() {
    let data = "enhet;matt;2023-01\n  vo   KUNGSBACKA ;UTFALL;1\nVO Halmstad/Laholm;utfall;2\nhalmstad;Utfall;3\n";
    // `halmstad` (alias) and `VO Halmstad/Laholm` (namn) are the same unit: one month twice.
    insta::assert_snapshot!(message("", "data.csv", data));
    let data = "enhet;matt;2023-01;2023-02\n  vo   KUNGSBACKA ;UTFALL;1;2\nV\u{0061}\u{030A}rd;utfall;3;4\n";
    insta::assert_snapshot!(message("", "data.csv", data));
    let data = "enhet;matt;2023-01\n  vo   KUNGSBACKA ;UTFALL;1\nHalmstad;budget;2\n";
    assert_eq!(read("", "data.csv", data), ["vok utfall 2023-01 1", "voh budget 2023-01 2"]);
}

#[test]
fn a_name_for_two_units_is_an_error() {
    let project = project("", "data.csv", "enhet;matt;2023-01\nHalmstad;utfall;1\n");
    project.edit(
        "rapport.toml",
        "id = \"vok\"\nnamn = \"VO Kungsbacka\"",
        "id = \"vok\"\nnamn = \"VO Kungsbacka\"\nalias = [\"Halmstad\"]",
    );
    insta::assert_snapshot!(figures(&project).expect_err("ambiguous"));
}

#[test]
fn visa_inlasning_shows_how_the_file_was_read() {
    let data = "Resultat 2023;;\n\nenhet;matt;jan;feb\nvok;utfall;-1,2;-0,8\nSumma;;-1,2;-0,8\n";
    let project = project(r#"ignorera_rader = ["Summa"]"#, "data.csv", data);
    let run = project.run(&["check", "--visa-inlasning", "data.csv", "projekt"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let shown = run.stdout.replace('\\', "/");
    assert!(shown.contains("Rubrikrad: rad 3"), "{shown}");
    assert!(shown.contains("jan: månaden 2023-01"), "{shown}");
    assert!(shown.contains("rad 1 (Resultat 2023): ovanför rubrikraden"), "{shown}");
    assert!(shown.contains("rad 5 (Summa): ignorera_rader"), "{shown}");
    assert!(shown.contains("vok / utfall: 2023-01: −1,2, 2023-02: −0,8"), "{shown}");
}

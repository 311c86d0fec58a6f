//! Figures in as controllers deliver them: one small fixture file per input
//! shape and encoding (`tests/fixtures/tabeller/`).

use std::fs;

use statusrapport::dataset::DataSet;
use statusrapport::diagnostic::Sources;
use statusrapport::load::{CsvRows, ReadLog, ReadOptions, decode, read_table};
use statusrapport::period::Month;

use crate::support::{Build, Project, repo};

/// Reads a CSV text with everything detected.
fn read_text(name: &str, text: String) -> (DataSet, Vec<String>) {
    let mut sources = Sources::default();
    let source = sources.add(name, text);
    let mut data = DataSet::default();
    let mut rows = CsvRows::new(sources.text(source), source, None);
    let delimiter = rows.delimiter();
    let problems =
        read_table(&mut rows, Some(delimiter), &ReadOptions::default(), &mut data, &sources, &mut ReadLog::default());
    let messages = problems.iter().map(|p| format!("{} {}", sources.position(p).unwrap(), p.message)).collect();
    (data, messages)
}

/// Reads a fixture with everything detected; returns the data and the
/// messages as `file:line:column message`.
fn read(name: &str) -> (DataSet, Vec<String>) {
    let bytes = fs::read(repo().join("tests/fixtures/tabeller").join(name)).unwrap();
    read_text(name, decode(bytes, None).expect("decodes"))
}

fn value(data: &DataSet, metric: &str, unit: &str, month: &str) -> Option<f64> {
    data.series(metric, unit)?.get(Month::parse(month).unwrap())?.value
}

#[test]
fn long_form_semicolons_decimal_comma_bom_and_crlf() {
    let (data, problems) = read("lang-semikolon-decimalkomma-bom-crlf.csv");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(value(&data, "utfall", "vch", "2023-09"), Some(-3.6));
    assert_eq!(data.len(), 2, "the header with å, ä and ö (mått, värde, källa) is understood");
}

#[test]
fn long_form_commas_and_decimal_points() {
    let (data, problems) = read("lang-komma-decimalpunkt.csv");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(value(&data, "utfall", "vch", "2023-08"), Some(-2.7));
}

#[test]
fn long_form_commas_and_quoted_decimal_commas() {
    let (data, problems) = read("lang-komma-decimalkomma-citat.csv");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(value(&data, "utfall", "vch", "2023-09"), Some(-3.6));
}

#[test]
fn long_form_tabs() {
    let (data, problems) = read("lang-tabb.tsv");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(value(&data, "utfall", "vch", "2023-09"), Some(-3.6));
}

#[test]
fn thousands_separated_by_spaces() {
    let (data, problems) = read("lang-tusental.csv");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(value(&data, "samtal", "vch", "2023-08"), Some(44_900.0));
    assert_eq!(value(&data, "samtal", "vch", "2023-09"), Some(48_100.0));
}

#[test]
fn wide_form_like_the_region_against_riket_table() {
    let (data, problems) = read("bred-riket.csv");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(value(&data, "nybesok_60", "RH", "2017-05"), Some(82.0));
    assert_eq!(value(&data, "nybesok_60", "Riket", "2017-05"), None, "an empty cell is missing, not zero");
    let (data, problems) = read("bred-manadsnamn.csv");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(value(&data, "nybesok_60", "RH", "2017-04"), Some(84.0));
}

#[test]
fn windows_1252_from_swedish_excel() {
    let (data, problems) = read("windows-1252.csv");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(value(&data, "utfall", "Vårdcentralen Halland", "2023-09"), Some(-3.6));
    assert_eq!(value(&data, "utfall", "Folktandvården Halland", "2023-09"), Some(2.9));
}

#[test]
fn utf16_unicode_text_from_excel() {
    let (data, problems) = read("utf16-unicodetext.txt");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(value(&data, "utfall", "Vårdcentralen Halland", "2023-09"), Some(-3.6));
}

#[test]
fn dates_as_periods_mean_their_month() {
    let (data, problems) = read("datum-som-period.csv");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(value(&data, "utfall", "vch", "2023-08"), Some(-2.7));
}

#[test]
fn mixed_decimal_marks_in_a_column_are_an_error() {
    let (_, problems) = read("blandade-decimaler.csv");
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with("blandade-decimaler.csv:3:20 filen blandar decimalkomma och decimalpunkt"),
        "{problems:?}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// A table written the Swedish way (semicolons, decimal comma, spaces
    /// between thousands, the minus sign, empty cells) reads back exactly.
    #[test]
    fn written_tables_read_back(values in proptest::collection::vec(proptest::option::of(-1e7..1e7f64), 1..60), crlf: bool) {
        let mut text = String::from("enhet;matt;period;varde");
        let first = Month::parse("2020-01").unwrap();
        for (i, value) in values.iter().enumerate() {
            let cell = value.map(|v| statusrapport::swedish::format_number(v, 2, false)).unwrap_or_default();
            text.push_str(if crlf { "\r\n" } else { "\n" });
            text.push_str(&format!("e;m;{};{cell}", first.plus(i as i64)));
        }
        let (data, problems) = read_text("p.csv", text);
        proptest::prop_assert!(problems.is_empty(), "{:?}", problems);
        for (i, value) in values.iter().enumerate() {
            let read = data.series("m", "e").unwrap().get(first.plus(i as i64)).unwrap().value;
            match (value, read) {
                (Some(v), Some(r)) => proptest::prop_assert!((v - r).abs() <= 0.005 + 1e-12 * v.abs()),
                (None, None) => {}
                other => proptest::prop_assert!(false, "{:?}", other),
            }
        }
    }

    /// Whatever bytes a data file holds, reading it gives values or
    /// messages, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        // Binary data is refused by `decode` with a message; text is read.
        let Ok(text) = decode(bytes, None) else { return Ok(()) };
        let _ = read_text("x.csv", text);
    }
}

/// A project around a fixture file, built in-process.
fn project(fixture: &str, data: &str, rest: &str) -> Build {
    let report = format!(
        "typ = \"statusrapport\"\ntitel = \"Test\"\nnamnd = \"Nämnden\"\nperiod = \"2017-05\"\n[[data]]\nfil = \"{fixture}\"\n{data}\n[[enhet]]\nid = \"RH\"\nnamn = \"Region Halland\"\n[[enhet]]\nid = \"Riket\"\nnamn = \"Riket\"\n[matt.nybesok_60]\nnamn = \"Andel nybesök inom 60 dagar\"\nenhet = \"%\"\ndecimaler = 0\n{rest}"
    );
    let project = Project::new(&[("rapport.toml", &report)]);
    project.fixture(&format!("tabeller/{fixture}"), fixture);
    project.build()
}

#[test]
fn an_excel_sheet_named_in_the_report_file() {
    let rest = "[[avsnitt]]\nrubrik = \"Väntetider\"\n[avsnitt.tabell]\nfran = \"2017-03\"\nrader = [{ matt = \"nybesok_60\", enhet = \"RH\", namn = \"RH\" }, { matt = \"nybesok_60\", enhet = \"Riket\", namn = \"Riket\" }]\n";
    let text = project("excel-bred.xlsx", "blad = \"Väntetider\"", rest).pdf().page_text(2);
    assert!(text.contains("RH 84 85 82"), "84,5 rounds to 85 with no decimals: {text}");
    assert!(text.contains("Riket 77 77 –"), "an empty Excel cell is shown as –: {text}");
}

#[test]
fn an_excel_error_points_at_the_sheet_row() {
    let messages = project("excel-bred.xlsx", "blad = \"Vantetider\"", "").messages();
    assert!(messages.contains("bladet `Vantetider` finns inte; arbetsboken har Översikt, Väntetider"), "{messages}");
}

#[test]
fn empty_cells_are_gaps_in_charts_and_dashes_in_tables() {
    let report = "typ = \"statusrapport\"\ntitel = \"Test\"\nnamnd = \"Nämnden\"\nperiod = \"2023-09\"\n[[data]]\nfil = \"data.csv\"\n[[enhet]]\nid = \"vch\"\nnamn = \"VC Halland\"\n[matt.utfall]\nnamn = \"Resultat\"\nenhet = \"mnkr\"\n[[avsnitt]]\nrubrik = \"Resultat\"\nenhet = \"vch\"\n[avsnitt.tabell]\nfran = \"2023-07\"\nrader = [{ matt = \"utfall\" }]\n[[avsnitt.diagram]]\ntyp = \"linje\"\nmatt = \"utfall\"\nfran = \"2023-07\"\n";
    let project = Project::new(&[("rapport.toml", report)]);
    project.fixture("tabeller/tomma-celler.csv", "data.csv");
    let pdf = project.build().pdf();
    let text = pdf.page_text(2);
    assert!(text.contains("VC Halland −1,0 – −3,6"), "{text}");
    assert!(
        text.contains("värde saknas för augusti 2023")
            || pdf.alt_texts().iter().any(|a| a.contains("värde saknas för augusti 2023"))
    );
}

#[test]
fn excel_cells_keep_their_types_and_errors_are_named_at_their_cell() {
    let bytes = fs::read(repo().join("tests/fixtures/excel/typade-celler.xlsx")).unwrap();
    let mut sources = Sources::default();
    let mut rows = statusrapport::load::SheetRows::open(&bytes, None, "typade-celler.xlsx", &mut sources).unwrap();
    let mut data = DataSet::default();
    let problems = read_table(&mut rows, None, &ReadOptions::default(), &mut data, &sources, &mut ReadLog::default());
    assert_eq!(value(&data, "utfall", "vch", "2023-07"), Some(-1.25), "a number Excel typed");
    assert_eq!(value(&data, "utfall", "vch", "2023-08"), Some(-2.5), "an Excel date as the period");
    assert_eq!(value(&data, "utfall", "vch", "2023-09"), Some(-3.75), "a number written as text");
    let shown: Vec<String> =
        problems.iter().map(|p| format!("{} {}", sources.position(p).unwrap(), p.message)).collect();
    assert_eq!(
        shown,
        [
            "typade-celler.xlsx Blad1!D5 cellen visar Excels felvärde `#DIV/0!`, inget tal",
            "typade-celler.xlsx Blad1!D6 cellen visar Excels felvärde `#N/A`, inget tal",
        ]
    );

    // As people see it: the row quoted, the cell named as Excel names it.
    let project = Project::new(&[(
        "rapport.toml",
        "typ = \"statusrapport\"\ntitel = \"T\"\nnamnd = \"N\"\nperiod = \"2023-09\"\n[[data]]\nfil = \"siffror.xlsx\"\n[[enhet]]\nid = \"vch\"\nnamn = \"VC\"\n[matt.utfall]\nnamn = \"Resultat\"\n[matt.budget]\nnamn = \"Budget\"\n",
    )]);
    project.fixture("excel/typade-celler.xlsx", "siffror.xlsx");
    let messages = project.build().messages();
    assert!(messages.contains("┌─ projekt/siffror.xlsx Blad1!D5\n"), "{messages}");
    assert!(messages.contains("5 │ vch budget  2023-09 #DIV/0!\n"), "the sheet row is quoted: {messages}");
    let output = project.run(&["check", "projekt", "--format", "json"]);
    let first: serde_json::Value = serde_json::from_str(output.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(
        (first["cell"].as_str(), first["line"].as_u64(), first["column"].as_u64()),
        (Some("Blad1!D5"), Some(5), Some(4))
    );
}

//! Yearly figures (Kolada's key figures, SCB's yearly tables): written `2023`
//! in a data file, shown per year in charts and tables, the latest year with
//! a value where a chart or table shows its year, the report's year in text.

use serde_json::Value;

use crate::support::{Build, Project};

const REPORT: &str = r#"typ = "statusrapport"
titel = "Regionjämförelse"
namnd = "Hälso- och sjukvårdsnämnden"
period = "2025-06"

[[data]]
fil = "kostnad.csv"

[[enhet]]
id = "RH"
namn = "Region Halland"
[[enhet]]
id = "Riket"
namn = "Riket"
[[enhet]]
id = "RS"
namn = "Region Skåne"
kortnamn = "Skåne"

[matt.kostnad]
namn = "Nettokostnad"
enhet = "kr/inv"
decimaler = 0

[matt.okning]
namn = "Ökning mot föregående år"
formel = "forandring_procent(kostnad)"
enhet = "%"

[[avsnitt]]
rubrik = "Jämförelse mellan regionerna"
kommentar = "kommentar.toml"
[[avsnitt.diagram]]
typ = "liggande"
matt = "kostnad"
[[avsnitt.diagram]]
typ = "grupperad"
serier = [{ matt = "kostnad", enhet = "RH" }, { matt = "kostnad", enhet = "Riket" }]

[[avsnitt]]
rubrik = "Tabeller"
enhet = "RH"
[avsnitt.tabell]
rader = [{ matt = "kostnad", enhet = "RH" }, { matt = "kostnad", enhet = "Riket" }]
[[avsnitt.nyckeltal]]
matt = "kostnad"
senaste = true

[[avsnitt]]
rubrik = "Per region"
[avsnitt.tabell]
kolumner = [{ matt = "kostnad" }, { matt = "kostnad", period = "2022", rubrik = "Nettokostnad 2022" }]
"#;

/// Three years per region; 2024 only for Riket and Skåne so far, nothing
/// for 2025.
const DATA: &str = "enhet;matt;period;varde\n\
RH;kostnad;2022;30110,2\nRH;kostnad;2023;31250,4\nRH;kostnad;2024;\n\
Riket;kostnad;2022;31870,5\nRiket;kostnad;2023;32980,1\nRiket;kostnad;2024;34410,7\n\
RS;kostnad;2022;32000\nRS;kostnad;2023;33100\nRS;kostnad;2024;34000\n";

const COMMENTARY: &str = r#"enhet = "RH"
period = "2025-06"
status = "godkänd"
text = "Kostnaden {kostnad@2023} ökade med {okning@2023} ({Riket.kostnad@senaste} i riket)."
"#;

fn project() -> Project {
    Project::new(&[("rapport.toml", REPORT), ("kostnad.csv", DATA), ("kommentar.toml", COMMENTARY)])
}

/// A file the build gave Typst, as JSON.
fn json(build: &Build, path: &str) -> Value {
    let bundle = build.built.bundle.as_ref().unwrap_or_else(|| panic!("no bundle:\n{}", build.messages()));
    let file = bundle.files.iter().find(|f| f.path == path).expect("the file");
    serde_json::from_slice(&file.bytes).expect("JSON")
}

#[test]
fn charts_show_the_years_with_values_and_bars_per_region_the_latest() {
    let build = project().build();
    assert!(!build.messages().contains("fel:"), "{}", build.messages());
    let bars = json(&build, "/diagram/1.json");
    assert_eq!(bars["title"], "Nettokostnad 2024, kr/inv", "the latest year with a value, in the title");
    assert_eq!(bars["labels"], serde_json::json!(["Region Halland", "Riket", "Skåne"]));
    assert_eq!(bars["series"][0]["label"], "2024");
    assert_eq!(bars["series"][0]["values"], serde_json::json!([null, 34410.7, 34000.0]));
    let grouped = json(&build, "/diagram/2.json");
    assert_eq!(grouped["title"], "Nettokostnad per år, kr/inv");
    // 2020 and 2021 (the default five years back) have no values; 2025 none yet.
    assert_eq!(grouped["labels"], serde_json::json!(["2022", "2023", "2024"]));
    let text = crate::pdf::normalise_spaces(&build.pdf().text());
    assert!(text.contains("Nettokostnad per år, kr/inv"), "{text}");
    let alt = crate::pdf::normalise_spaces(&build.pdf().alt_texts().join("\n"));
    assert!(
        alt.contains("Region Halland: från 30 110 kr/inv år 2022 till 31 250 kr/inv år 2023; värde saknas för 2024."),
        "{alt}"
    );
}

#[test]
fn tables_key_figures_and_placeholders_name_their_years() {
    let build = project().build();
    let data = json(&build, "/data.json");
    let sections = &data["sections"];
    let commentary = sections[0]["commentary"][0]["runs"].as_array().unwrap();
    let text: String = commentary.iter().map(|r| r["text"].as_str().unwrap()).collect();
    assert_eq!(text, "Kostnaden 31\u{a0}250\u{a0}kr/inv ökade med 3,8\u{a0}% (34\u{a0}411\u{a0}kr/inv i riket).");
    let by_year = &sections[1]["table"];
    assert_eq!(by_year["headers"], serde_json::json!([[""], ["2022"], ["2023"], ["2024"]]));
    assert_eq!(by_year["rows"][0], serde_json::json!(["Region Halland", "30\u{a0}110", "31\u{a0}250", "–"]));
    let key_figure = &sections[1]["key_figures"][0];
    assert_eq!(key_figure["when"], "2023");
    assert_eq!(key_figure["note"], "senaste tillgängliga värde");
    let by_region = &sections[2]["table"];
    assert_eq!(by_region["headers"][1], serde_json::json!(["Nettokostnad 2024", "(kr/inv)"]));
    assert_eq!(by_region["rows"][0], serde_json::json!(["Region Halland", "–", "30\u{a0}110"]));
    // Halland's 2024 is missing in a column that shows 2024, and said so.
    let messages = build.messages();
    assert!(messages.contains("varning: tabellen visar – för RH Nettokostnad: 2024"), "{messages}");
    assert!(messages.contains("saknas i datafilerna: `kostnad` för `RH` 2024"), "{messages}");
}

#[test]
fn a_yearly_figure_in_text_is_the_report_years_and_says_how_to_ask_for_another() {
    let project = project();
    project.edit("kommentar.toml", "{kostnad@2023} ökade", "{kostnad} ökade");
    let messages = project.build().messages();
    assert!(messages.contains("fel: {kostnad} har inget värde i datat"), "{messages}");
    assert!(messages.contains("saknas i datafilerna: `kostnad` för `RH` 2025"), "{messages}");
    assert!(
        messages.contains("skriv {kostnad@senaste} för det senaste året med ett värde, eller året: {kostnad@2024}"),
        "{messages}"
    );
}

#[test]
fn yearly_and_monthly_figures_do_not_mix() {
    let project = project();
    project.edit("kostnad.csv", "RS;kostnad;2022;32000", "RS;kostnad;2022-12;32000");
    let messages = project.build().messages();
    assert!(messages.contains("måttet `kostnad` har årsvärden för `RH` men månadsvärden för `RS`"), "{messages}");

    let project = self::project();
    project.edit("rapport.toml", "formel = \"forandring_procent(kostnad)\"", "formel = \"ack(kostnad)\"");
    let messages = project.build().messages();
    assert!(messages.contains("fel: ack() räknar med månader, men måttet har ett värde per år"), "{messages}");

    let project = self::project();
    project.edit("rapport.toml", "typ = \"grupperad\"", "typ = \"stapel_ack\"");
    project.edit(
        "rapport.toml",
        "serier = [{ matt = \"kostnad\", enhet = \"RH\" }, { matt = \"kostnad\", enhet = \"Riket\" }]",
        "serier = [{ matt = \"kostnad\", enhet = \"RH\" }]",
    );
    let messages = project.build().messages();
    assert!(
        messages.contains("måttet `kostnad` har ett värde per år, så det kan inte visas per månad och ackumulerat"),
        "{messages}"
    );

    let project = self::project();
    project.edit("rapport.toml", "period = \"2022\", rubrik", "period = \"2022-12\", rubrik");
    let messages = project.build().messages();
    assert!(messages.contains("fel: måttet `kostnad` har ett värde per år"), "{messages}");
}

#[test]
fn the_example_compares_halland_with_riket_and_every_region_citing_kolada() {
    let build =
        crate::support::build_with(&crate::support::repo().join("data/regionjamforelse-2025"), &Default::default());
    assert!(build.messages().is_empty(), "{}", build.messages());
    let pdf = build.pdf();
    let regions = crate::pdf::normalise_spaces(&pdf.page_text(3));
    assert!(regions.contains("Nettokostnad hälso- och sjukvård per invånare 2024, kr"), "{regions}");
    assert!(regions.contains("Källa: Kolada"), "{regions}");
    assert!(regions.contains("Exempeldata"), "the figures are marked as made up: {regions}");
    let alt = crate::pdf::normalise_spaces(&pdf.alt_texts().join("\n"));
    assert!(
        alt.contains(
            "Liggande stapeldiagram: Nettokostnad hälso- och sjukvård per invånare 2024, kr: Riket 37 127 kr, Stockholm"
        ),
        "{alt}"
    );
    assert_eq!(json(&build, "/diagram/1.json")["labels"].as_array().unwrap().len(), 22, "21 regions and Riket");
    let by_year = crate::pdf::normalise_spaces(&pdf.page_text(4));
    assert!(by_year.contains("Källa: Kolada; egen bearbetning av data från Kolada"), "{by_year}");
}

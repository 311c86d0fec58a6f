//! `statusrapport hamta` against a local server that answers as Kolada's v3
//! API and SCB's PxWebApi 2 are documented to: values and their provenance
//! written into the project, pages followed, and every failure a Swedish
//! message that names the source while the previous file stays as it was.
//! Builds then read the file, never the network, and cite the source.

use std::fs;
use std::time::Duration;

use statusrapport::context::Context;
use statusrapport::fetch::{self, Options, Outcome, Settings, Status};

use crate::server::{Reply, Server, closed_address};
use crate::support::Project;

const KPI: &str = r#"{"count": 1, "values": [{"id": "N70061",
  "title": "Nettokostnad hälso- och sjukvård totalt (inkl. läkemedel), kr/inv",
  "description": "Nettokostnad för hälso- och sjukvård totalt, dividerat med antal invånare i regionen den 31/12. Källa: SCBs räkenskapssammandrag.",
  "is_divided_by_gender": false, "municipality_type": "L", "auspice": "X",
  "operating_area": "Hälso- och sjukvård", "perspective": "Resurser",
  "prel_publication_date": "2026-03-31", "publication_date": "2026-08-28",
  "publ_period": "2025", "has_ou_data": false}],
  "next_url": null, "previous_url": null}"#;

const DATA_PATH: &str = "/v3/data/kpi/N70061/municipality/0000,0013/year/2022,2023,2024";

/// The first page: four values and a link to the second (v3's `next_url`).
const PAGE_1: &str = r#"{"count": 4, "values": [
  {"kpi": "N70061", "municipality": "0013", "period": 2022,
   "values": [{"gender": "T", "count": 1, "status": "", "value": 30110.2, "isdeleted": false}]},
  {"kpi": "N70061", "municipality": "0000", "period": 2022,
   "values": [{"gender": "T", "count": 1, "status": "", "value": 31870.5, "isdeleted": false}]},
  {"kpi": "N70061", "municipality": "0013", "period": 2023,
   "values": [{"gender": "T", "count": 1, "status": "", "value": 31250.4, "isdeleted": false}]},
  {"kpi": "N70061", "municipality": "0000", "period": 2023,
   "values": [{"gender": "T", "count": 1, "status": "", "value": 32980.1, "isdeleted": false}]}],
  "next_url": "http://127.0.0.1:PORT/v3/data/kpi/N70061/municipality/0000,0013/year/2022,2023,2024?page=2&per_page=4",
  "previous_url": null}"#;

/// The second page: Halland's 2024 missing (`null`, status Missing), no
/// `next_url` key at all.
const PAGE_2: &str = r#"{"count": 2, "values": [
  {"kpi": "N70061", "municipality": "0013", "period": 2024,
   "values": [{"gender": "T", "count": 1, "status": "Missing", "value": null, "isdeleted": false}]},
  {"kpi": "N70061", "municipality": "0000", "period": 2024,
   "values": [{"gender": "T", "count": 1, "status": "", "value": 34410.7, "isdeleted": false}]}],
  "previous_url": "http://127.0.0.1:PORT/v3/data/kpi/N70061/municipality/0000,0013/year/2022,2023,2024?page=1&per_page=4"}"#;

const EXPECTED_CSV: &str = "enhet;matt;period;varde;kalla
Riket;nettokostnad;2022;31870,5;Kolada N70061
Riket;nettokostnad;2023;32980,1;Kolada N70061
Riket;nettokostnad;2024;34410,7;Kolada N70061
RH;nettokostnad;2022;30110,2;Kolada N70061
RH;nettokostnad;2023;31250,4;Kolada N70061
RH;nettokostnad;2024;;Kolada N70061
";

fn report(address: &str) -> String {
    format!(
        r#"typ = "statusrapport"
titel = "Regionjämförelse"
namnd = "Hälso- och sjukvårdsnämnden"
period = "2025-06"

[[enhet]]
id = "RH"
namn = "Region Halland"
[[enhet]]
id = "Riket"
namn = "Riket"

[matt.nettokostnad]
namn = "Nettokostnad hälso- och sjukvård"
enhet = "kr/inv"
decimaler = 0

[matt.okning]
namn = "Ökning mot föregående år"
formel = "forandring_procent(nettokostnad)"
enhet = "%"

[[kalla]]
typ = "kolada"
fil = "hamtat/nettokostnad.csv"
matt = "nettokostnad"
nyckeltal = "N70061"
ar = "2022..2024"
enheter = {{ "0013" = "RH", "0000" = "Riket" }}
adress = "{address}/v3"

[[avsnitt]]
rubrik = "Nettokostnad per invånare"
kalla = "Årsredovisningarna"
[[avsnitt.diagram]]
typ = "grupperad"
serier = [{{ matt = "nettokostnad", enhet = "RH" }}, {{ matt = "nettokostnad", enhet = "Riket" }}]

[[avsnitt]]
rubrik = "Halland mot riket"
enhet = "RH"
[[avsnitt.nyckeltal]]
matt = "okning"
senaste = true
"#
    )
}

fn settings() -> Options {
    Options {
        http: Settings {
            timeout: Duration::from_secs(2),
            longest_wait: Duration::from_secs(5),
            retries: 2,
            spacing: Duration::ZERO,
        },
        replace: false,
    }
}

/// Fetches the project's sources; the messages as `check` shows them, with
/// the project as `projekt` and the server's port as `PORT`.
fn fetch(project: &Project, options: &Options, server: &str) -> (Vec<Outcome>, String) {
    let mut cx = Context::new(&project.root);
    let outcomes = fetch::fetch_project(&mut cx, options).expect("the report file is read");
    let messages = statusrapport::diagnostic::render_plain(&cx.sources, &cx.diagnostics)
        .replace(&project.root.display().to_string(), "projekt")
        .replace(server.trim_start_matches("http://"), "127.0.0.1:PORT");
    (outcomes, messages)
}

fn kolada(replies: Vec<(&str, Vec<Reply>)>) -> Server {
    Server::start(&replies)
}

fn good_kolada() -> Server {
    kolada(vec![
        ("/v3/kpi/N70061", vec![Reply::json(KPI)]),
        (DATA_PATH, vec![Reply::json(PAGE_1)]),
        (&format!("{DATA_PATH}?page=2&per_page=4"), vec![Reply::json(PAGE_2)]),
    ])
}

#[test]
fn kolada_pages_are_followed_and_written_with_their_provenance() {
    let server = good_kolada();
    let project = Project::new(&[("rapport.toml", &report(&server.url))]);
    let (outcomes, messages) = fetch(&project, &settings(), &server.url);
    assert_eq!(outcomes[0].status, Status::Written(5), "{messages}");
    assert_eq!(outcomes[0].source, "Kolada N70061");
    assert_eq!(project.read("hamtat/nettokostnad.csv"), EXPECTED_CSV);
    assert_eq!(
        server.asked(),
        ["/v3/kpi/N70061", DATA_PATH, &format!("{DATA_PATH}?page=2&per_page=4")],
        "the key figure, then both pages"
    );
    insta::assert_snapshot!("hamta_kolada_notes", messages);

    let provenance: toml::Table = project.read("hamtat/nettokostnad.kalla.toml").parse().expect("TOML");
    assert_eq!(provenance["kalla"].as_str(), Some("Kolada"));
    assert_eq!(provenance["kallhanvisning"].as_str(), Some("Källa: Kolada"));
    assert!(provenance["villkor"].as_str().unwrap().contains("får inte Kolada anges som källa"));
    assert!(!project.read("hamtat/nettokostnad.kalla.toml").contains("CC BY"), "no licence Kolada does not name");
    assert_eq!(provenance["adresser"].as_array().unwrap().len(), 3);
    assert_eq!(provenance["sha256"].as_str(), Some(statusrapport::context::sha256(EXPECTED_CSV.as_bytes()).as_str()));
    assert!(provenance["hamtad"].as_str().unwrap().ends_with('Z'));
    let details = provenance["uppgifter"].as_table().unwrap();
    assert_eq!(details["titel"].as_str(), Some("Nettokostnad hälso- och sjukvård totalt (inkl. läkemedel), kr/inv"));

    // The build reads the file (the server is gone) and cites the source:
    // the direct figures as Kolada, the computed share as a processing.
    drop(server);
    let build = project.build();
    let text = crate::pdf::normalise_spaces(&build.pdf().text());
    assert!(text.contains("Källa: Årsredovisningarna; Kolada"), "{text}");
    assert!(text.contains("Källa: egen bearbetning av data från Kolada"), "{text}");
    assert!(text.contains("Ökning mot föregående år3,8 % 2023 (senaste tillgängliga värde)"), "{text}");
}

#[test]
fn fetching_again_with_the_same_values_leaves_the_data_file_as_it_was() {
    let server = good_kolada();
    let project = Project::new(&[("rapport.toml", &report(&server.url))]);
    fetch(&project, &settings(), &server.url);
    let modified = fs::metadata(project.path("hamtat/nettokostnad.csv")).unwrap().modified().unwrap();
    let (outcomes, _) = fetch(&project, &settings(), &server.url);
    assert_eq!(outcomes[0].status, Status::Unchanged(5));
    assert_eq!(fs::metadata(project.path("hamtat/nettokostnad.csv")).unwrap().modified().unwrap(), modified);
}

#[test]
fn pages_end_at_an_empty_page_and_at_v2s_next_page() {
    // A page that links on but has no values ends the paging; the link of
    // v2 (`next_page`) and a relative link are followed.
    let first = PAGE_1.replace(
        "\"next_url\": \"http://127.0.0.1:PORT/v3/data/kpi/N70061/municipality/0000,0013/year/2022,2023,2024?page=2&per_page=4\"",
        "\"next_page\": \"/v3/data/kpi/N70061/municipality/0000,0013/year/2022,2023,2024?page=2&per_page=4\"",
    );
    let empty = r#"{"count": 0, "values": [], "next_url": "http://127.0.0.1:PORT/v3/igen"}"#;
    let server = kolada(vec![
        ("/v3/kpi/N70061", vec![Reply::json(KPI)]),
        (DATA_PATH, vec![Reply::json(&first)]),
        (&format!("{DATA_PATH}?page=2&per_page=4"), vec![Reply::json(empty)]),
    ]);
    let project = Project::new(&[("rapport.toml", &report(&server.url))]);
    let (outcomes, messages) = fetch(&project, &settings(), &server.url);
    assert_eq!(outcomes[0].status, Status::Written(4), "{messages}");
    assert_eq!(server.asked().len(), 3, "{:?}", server.asked());
    assert!(messages.contains("Kolada har inga värden för 2024 (ännu inte publicerat?)"), "{messages}");
}

/// Fetches with a server answering the data request with `data`, from a
/// project whose previous file holds the expected values; the file must be
/// as it was and the message is returned.
fn failing(data: Vec<Reply>) -> String {
    let server = kolada(vec![("/v3/kpi/N70061", vec![Reply::json(KPI)]), (DATA_PATH, data)]);
    failing_at(&server, &report(&server.url))
}

fn failing_at(server: &Server, report: &str) -> String {
    let project = Project::new(&[("rapport.toml", report), ("hamtat/nettokostnad.csv", EXPECTED_CSV)]);
    let (outcomes, messages) = fetch(&project, &settings(), &server.url);
    assert_eq!(outcomes[0].status, Status::Failed, "{messages}");
    assert_eq!(project.read("hamtat/nettokostnad.csv"), EXPECTED_CSV, "the previous file is kept");
    assert!(!project.path("hamtat/nettokostnad.kalla.toml").exists());
    let left: Vec<_> = fs::read_dir(project.path("hamtat")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 1, "no temporary file left: {left:?}");
    messages
}

#[test]
fn every_failure_names_the_source_and_keeps_the_previous_file() {
    let problem = "application/problem+json";
    let cases: Vec<(&str, String)> = vec![
        ("no_network", {
            let address = closed_address();
            let server = kolada(Vec::new());
            let message = failing_at(&server, &report(&address));
            message.replace(address.trim_start_matches("http://"), "127.0.0.1:PORT")
        }),
        ("timeout", failing(vec![Reply::json(PAGE_1).delayed(Duration::from_secs(4))])),
        ("not_found", failing(vec![Reply::with(404, r#"{"detail":"Not Found"}"#, "application/json")])),
        ("gone", failing(vec![Reply::with(410, "<html><body>Gone</body></html>", "text/html")])),
        (
            "bad_request",
            failing(vec![Reply::with(400, r#"{"title":"Bad Request","status":400,"detail":"Too many ids"}"#, problem)]),
        ),
        ("server_error", failing(vec![Reply::with(500, "Internal Server Error", "text/plain")])),
        (
            "rate_limited",
            failing(vec![
                Reply::with(429, "API calls quota exceeded! maximum admitted 30 per 10s.", "text/plain")
                    .header("Retry-After", "3600"),
            ]),
        ),
        ("not_json", failing(vec![Reply::with(200, "<html><body>Logga in</body></html>", "text/html")])),
        ("changed_shape", failing(vec![Reply::json(r#"{"count": 1, "rows": []}"#)])),
        ("changed_period", failing(vec![Reply::json(&PAGE_1.replace("\"period\": 2023", "\"period\": \"2023-H1\""))])),
        ("no_values", failing(vec![Reply::json(r#"{"count": 0, "values": [], "next_url": null}"#)])),
        ("lost_values", failing(vec![Reply::json(&PAGE_1.replace(",\n  \"next_url\"", ",\n  \"next\""))])),
    ];
    for (name, messages) in cases {
        insta::assert_snapshot!(format!("hamta_fails_{name}"), messages);
    }
}

#[test]
fn an_unknown_key_figure_is_said_so() {
    let server = kolada(vec![("/v3/kpi/N70061", vec![Reply::json(r#"{"count": 0, "values": [], "next_url": null}"#)])]);
    let messages = failing_at(&server, &report(&server.url));
    assert!(messages.contains("fel: Kolada N70061: Kolada känner inte till nyckeltalet N70061"), "{messages}");
}

#[test]
fn a_rate_limit_is_waited_out_as_asked() {
    let server = kolada(vec![
        (
            "/v3/kpi/N70061",
            vec![Reply::with(429, "Too Many Requests", "text/plain").header("Retry-After", "0"), Reply::json(KPI)],
        ),
        (DATA_PATH, vec![Reply::with(503, "", "text/plain").header("Retry-After", "0"), Reply::json(PAGE_1)]),
        (&format!("{DATA_PATH}?page=2&per_page=4"), vec![Reply::json(PAGE_2)]),
    ]);
    let project = Project::new(&[("rapport.toml", &report(&server.url))]);
    let (outcomes, messages) = fetch(&project, &settings(), &server.url);
    assert_eq!(outcomes[0].status, Status::Written(5), "{messages}");
    assert_eq!(server.asked().len(), 5);
}

#[test]
fn values_withdrawn_at_the_source_replace_the_file_only_when_asked() {
    let server = kolada(vec![
        ("/v3/kpi/N70061", vec![Reply::json(KPI)]),
        (DATA_PATH, vec![Reply::json(&PAGE_1.replace(",\n  \"next_url\"", ",\n  \"next\""))]),
    ]);
    let project = Project::new(&[("rapport.toml", &report(&server.url)), ("hamtat/nettokostnad.csv", EXPECTED_CSV)]);
    let options = Options { replace: true, ..settings() };
    let (outcomes, messages) = fetch(&project, &options, &server.url);
    assert_eq!(outcomes[0].status, Status::Written(4), "{messages}");
    assert!(!project.read("hamtat/nettokostnad.csv").contains(";2024;"));
}

const SCB_MONTHS: &str = r#"{
  "version": "2.0", "class": "dataset",
  "label": "Exempeltabell efter region, tabellinnehåll och månad",
  "source": "Statistikmyndigheten SCB", "updated": "2025-04-15T06:00:00Z",
  "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
  "id": ["Region", "ContentsCode", "Tid"], "size": [2, 1, 3],
  "dimension": {
    "Region": {"label": "region",
      "category": {"index": {"13": 0, "00": 1}, "label": {"13": "Hallands län", "00": "Riket"}}},
    "ContentsCode": {"label": "tabellinnehåll",
      "category": {"index": {"X1": 0}, "label": {"X1": "Andel, procent"},
        "unit": {"X1": {"base": "procent", "decimals": 1}}}},
    "Tid": {"label": "månad",
      "category": {"index": {"2025M01": 0, "2025M02": 1, "2025M03": 2},
                   "label": {"2025M01": "2025M01", "2025M02": "2025M02", "2025M03": "2025M03"}}}
  },
  "value": [6.1, 6.3, null, 8.7, 8.9, 8.8],
  "status": {"2": ".."}
}"#;

const SCB_PATH: &str = "/api/v2/tables/TAB9999/data?lang=sv&outputFormat=json-stat2&valueCodes%5BRegion%5D=00,13&valueCodes%5BContentsCode%5D=X1&valueCodes%5BTid%5D=TOP(3)";

fn scb_report(address: &str) -> String {
    format!(
        r#"typ = "statusrapport"
titel = "Andel"
namnd = "Nämnden"
period = "2025-03"
[[enhet]]
id = "RH"
namn = "Region Halland"
[[enhet]]
id = "Riket"
namn = "Riket"
[matt.andel]
namn = "Andel"
enhet = "%"
[[kalla]]
typ = "scb"
fil = "hamtat/andel.csv"
matt = "andel"
tabell = "TAB9999"
enheter = {{ "13" = "RH", "00" = "Riket" }}
urval = {{ ContentsCode = ["X1"], Tid = ["TOP(3)"] }}
adress = "{address}/api/v2"
[[avsnitt]]
rubrik = "Andel per månad"
[[avsnitt.diagram]]
typ = "linje"
serier = [{{ matt = "andel", enhet = "RH" }}, {{ matt = "andel", enhet = "Riket" }}]
fran = "2025-01"
"#
    )
}

#[test]
fn an_scb_table_in_json_stat2_becomes_monthly_values_cited_as_scb() {
    let server = Server::start(&[(SCB_PATH, vec![Reply::json(SCB_MONTHS)])]);
    let project = Project::new(&[("rapport.toml", &scb_report(&server.url))]);
    let (outcomes, messages) = fetch(&project, &settings(), &server.url);
    assert_eq!(outcomes[0].status, Status::Written(5), "{messages}");
    assert_eq!(
        project.read("hamtat/andel.csv"),
        "enhet;matt;period;varde;kalla\nRiket;andel;2025-01;8,7;SCB TAB9999\nRiket;andel;2025-02;8,9;SCB TAB9999\nRiket;andel;2025-03;8,8;SCB TAB9999\nRH;andel;2025-01;6,1;SCB TAB9999\nRH;andel;2025-02;6,3;SCB TAB9999\nRH;andel;2025-03;;SCB TAB9999\n"
    );
    assert!(messages.contains("värde saknas i tabellen för 1 markerade `..`"), "{messages}");
    let provenance: toml::Table = project.read("hamtat/andel.kalla.toml").parse().expect("TOML");
    assert_eq!(provenance["licens"].as_str(), Some("CC0"));
    assert_eq!(provenance["kallhanvisning"].as_str(), Some("Källa: SCB"));
    let details = provenance["uppgifter"].as_table().unwrap();
    assert_eq!(details["urval"].as_str(), Some("ContentsCode = X1 (Andel, procent)"));
    assert_eq!(details["enhet"].as_str(), Some("procent"));
    drop(server);
    let text = crate::pdf::normalise_spaces(&project.build().pdf().text());
    assert!(text.contains("Källa: SCB"), "{text}");
}

#[test]
fn scb_errors_and_tables_that_do_not_fit_are_said_so() {
    let two_contents = SCB_MONTHS
        .replace("\"size\": [2, 1, 3]", "\"size\": [2, 2, 3]")
        .replace("{\"X1\": 0}", "{\"X1\": 0, \"X2\": 1}")
        .replace("[6.1, 6.3, null, 8.7, 8.9, 8.8]", "[1,2,3,4,5,6,7,8,9,10,11,12]");
    let quarters = SCB_MONTHS.replace("2025M01", "2025K1").replace("2025M02", "2025K2").replace("2025M03", "2025K3");
    let too_many = r#"{"type":"Parameter error","detail":"Too many cells selected","status":400,"title":"Too many cells selected"}"#;
    let cases = [
        (
            "scb_not_found",
            Reply::with(
                404,
                r#"{"type":"Parameter error","title":"Non-existent table","status":404}"#,
                "application/problem+json",
            ),
        ),
        ("scb_too_many_cells", Reply::with(400, too_many, "application/problem+json")),
        ("scb_two_contents", Reply::json(&two_contents)),
        ("scb_quarters", Reply::json(&quarters)),
        ("scb_short_values", Reply::json(&SCB_MONTHS.replace("[6.1, 6.3, null, 8.7, 8.9, 8.8]", "[6.1, 6.3]"))),
    ];
    for (name, reply) in cases {
        let server = Server::start(&[(SCB_PATH, vec![reply])]);
        let project = Project::new(&[("rapport.toml", &scb_report(&server.url))]);
        let (outcomes, messages) = fetch(&project, &settings(), &server.url);
        assert_eq!(outcomes[0].status, Status::Failed, "{name}: {messages}");
        assert!(!project.path("hamtat/andel.csv").exists());
        insta::assert_snapshot!(format!("hamta_{name}"), messages);
    }
}

#[test]
fn a_source_entry_is_checked_where_it_is_written() {
    let project = Project::new(&[(
        "rapport.toml",
        &report("ftp://example.se")
            .replace("ar = \"2022..2024\"", "ar = \"2024..2022\"\ntabell = \"TAB638\"")
            .replace("\"0000\" = \"Riket\"", "\"0000\" = \"Riket\", \"0014\" = \"VGR\""),
    )]);
    let (outcomes, messages) = fetch(&project, &settings(), "http://-");
    assert_eq!(outcomes[0].status, Status::Failed);
    insta::assert_snapshot!("hamta_bad_entry", messages);
    // The same problems in every build, and the data file not there yet.
    let build = project.build();
    assert!(build.messages().contains("fel: åren går baklänges, från 2024 till 2022"), "{}", build.messages());
    assert!(build.messages().contains("hämta dem med: statusrapport hamta"), "{}", build.messages());
}

#[test]
fn the_command_fetches_every_project_and_exits_by_the_outcome() {
    let server = good_kolada();
    let project = Project::new(&[("rapport.toml", &report(&server.url))]);
    let run = project.run(&["hamta", "projekt", "--tidsgrans", "5"]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("hämtad: Kolada N70061 → projekt/hamtat/nettokostnad.csv (5 värden)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Hämtning: 1 hämtade, 0 oförändrade, 0 misslyckade."), "{}", run.stdout);
    assert!(run.stderr.contains("varning: Kolada N70061: värde saknas i Kolada för RH (0013) 2024"), "{}", run.stderr);
    let run = project.run(&["hamta", "projekt", "--format", "json"]);
    let line: serde_json::Value =
        serde_json::from_str(run.stdout.lines().last().unwrap()).expect("a JSON line per source");
    assert_eq!(line["status"], "oförändrad");
    assert_eq!(line["varden"], 5);

    drop(server);
    let run = project.run(&["hamta", "projekt"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("den tidigare filen hamtat/nettokostnad.csv är kvar som den var"), "{}", run.stderr);
    // Building never goes online.
    let run = project.run(&["build", "projekt"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);

    let plain = Project::new(&[(
        "rapport.toml",
        "typ = \"skrivelse\"\ntitel = \"T\"\nnamnd = \"N\"\ndatum = \"2024-01-10\"\n",
    )]);
    let run = plain.run(&["hamta", "projekt"]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("fel: inga källor att hämta under projekt ([[kalla]] saknas)"), "{}", run.stderr);
}

#[test]
fn the_gender_asked_for_is_taken_and_deleted_entries_left_out() {
    // A key figure divided by gender (K, M, T per entry), one entry deleted.
    let kpi = KPI.replace("\"is_divided_by_gender\": false", "\"is_divided_by_gender\": true");
    let page = r#"{"count": 2, "values": [
      {"kpi": "N70061", "municipality": "0013", "period": 2024,
       "values": [
         {"gender": "K", "count": 1, "status": "", "value": 171020.0, "isdeleted": false},
         {"gender": "M", "count": 1, "status": "", "value": 173890.0, "isdeleted": false},
         {"gender": "T", "count": 1, "status": "", "value": 344910.0, "isdeleted": false}]},
      {"kpi": "N70061", "municipality": "0000", "period": 2024,
       "values": [
         {"gender": "K", "count": 1, "status": "", "value": 5281000.0, "isdeleted": true},
         {"gender": "T", "count": 1, "status": "", "value": 10587000.0, "isdeleted": false}]}],
      "next_url": ""}"#;
    let path = "/v3/data/kpi/N70061/municipality/0000,0013/year/2024";
    let server = kolada(vec![("/v3/kpi/N70061", vec![Reply::json(&kpi)]), (path, vec![Reply::json(page)])]);
    let report = report(&server.url).replace("ar = \"2022..2024\"", "ar = 2024\nkon = \"K\"");
    let project = Project::new(&[("rapport.toml", &report)]);
    let (outcomes, messages) = fetch(&project, &settings(), &server.url);
    assert_eq!(outcomes[0].status, Status::Written(1), "{messages}");
    assert_eq!(
        project.read("hamtat/nettokostnad.csv"),
        "enhet;matt;period;varde;kalla\nRiket;nettokostnad;2024;;Kolada N70061\nRH;nettokostnad;2024;171020;Kolada N70061\n"
    );
}

#[test]
fn an_scb_table_of_years_gives_yearly_values() {
    let yearly = r#"{"version": "2.0", "class": "dataset",
      "label": "Folkmängden efter region, tabellinnehåll och år", "source": "Statistikmyndigheten SCB",
      "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
      "id": ["Region", "ContentsCode", "Tid"], "size": [2, 1, 2],
      "dimension": {
        "Region": {"label": "region", "category": {"index": {"13": 0, "00": 1}, "label": {"13": "Hallands län", "00": "Riket"}}},
        "ContentsCode": {"label": "tabellinnehåll", "category": {"index": {"BE0101N1": 0}, "label": {"BE0101N1": "Folkmängd"},
          "unit": {"BE0101N1": {"base": "antal", "decimals": 0}}}},
        "Tid": {"label": "år", "category": {"index": {"2023": 0, "2024": 1}, "label": {"2023": "2023", "2024": "2024"}}}},
      "value": [341500, 344900, 10551700, 10587700]}"#;
    let path = "/api/v2/tables/TAB638/data?lang=sv&outputFormat=json-stat2&valueCodes%5BRegion%5D=00,13&valueCodes%5BContentsCode%5D=BE0101N1&valueCodes%5BTid%5D=2023,2024";
    let server = Server::start(&[(path, vec![Reply::json(yearly)])]);
    let report = scb_report(&server.url).replace("TAB9999", "TAB638").replace(
        "ContentsCode = [\"X1\"], Tid = [\"TOP(3)\"]",
        "ContentsCode = [\"BE0101N1\"], Tid = [\"2023\", \"2024\"]",
    );
    let project = Project::new(&[("rapport.toml", &report)]);
    let (outcomes, messages) = fetch(&project, &settings(), &server.url);
    assert_eq!(outcomes[0].status, Status::Written(4), "{messages}");
    assert_eq!(
        project.read("hamtat/andel.csv"),
        "enhet;matt;period;varde;kalla\nRiket;andel;2023;10551700;SCB TAB638\nRiket;andel;2024;10587700;SCB TAB638\nRH;andel;2023;341500;SCB TAB638\nRH;andel;2024;344900;SCB TAB638\n"
    );
}

#[test]
fn values_after_the_report_year_are_left_out() {
    let server = Server::start(&[(SCB_PATH, vec![Reply::json(&SCB_MONTHS.replace("2025M", "2026M"))])]);
    let project = Project::new(&[("rapport.toml", &scb_report(&server.url).replace("fran = \"2025-01\"", ""))]);
    let (outcomes, messages) = fetch(&project, &settings(), &server.url);
    assert_eq!(outcomes[0].status, Status::Failed, "{messages}");
    assert!(messages.contains("svaret har inga värden för rapportåret 2025 eller åren före"), "{messages}");

    // November 2025 to January 2026 for a report on 2025: January is left out.
    let later = SCB_MONTHS.replace("2025M01", "2025M11").replace("2025M02", "2025M12").replace("2025M03", "2026M01");
    let server = Server::start(&[(SCB_PATH, vec![Reply::json(&later)])]);
    let project = Project::new(&[(
        "rapport.toml",
        &scb_report(&server.url).replace("period = \"2025-03\"", "period = \"2025-12\""),
    )]);
    let (outcomes, messages) = fetch(&project, &settings(), &server.url);
    assert_eq!(outcomes[0].status, Status::Written(4), "{messages}");
    assert!(messages.contains("värden efter rapportåret 2025 skrivs inte"), "{messages}");
    assert!(!project.read("hamtat/andel.csv").contains("2026"));
    assert!(project.build().has_pdf());
}

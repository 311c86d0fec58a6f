//! The commentary writers' side: commentary as Markdown files, next month in
//! one command, and what changed since the last published report.

use std::fs;

use crate::pdf::Pdf;
use crate::support::Project;

const EXAMPLE: &str = "statusrapport-2023-09";

#[test]
fn markdown_commentary_is_read_as_written_and_messages_point_into_it() {
    let project = Project::example(EXAMPLE);
    let front =
        "+++\n# Skriven i Word och inklistrad.\nenhet = \"vch\"\nperiod = \"2023-09\"\nstatus = \"granskad\"\n+++\n";
    let body = "Underlaget finns i G:\\Ekonomi\\2023 och kallas “Prognos \"P2\"”.\n\n\
                • Samtalen ändrades med {samtal_forandring@2023-05..2023-09}.\n\
                •\tChattarna ändrades med {chattar_forandring@2023-05..2023-09}.\n";
    project.write("kommentarer/telefon.md", format!("{front}{body}"));
    let build = project.build();
    assert!(build.has_pdf(), "{}", build.messages());
    let text = build.pdf().text();
    assert!(text.contains("G:\\Ekonomi\\2023 och kallas “Prognos \"P2\"”."), "{text}");
    assert!(
        text.contains("”.• Samtalen ändrades med −9 300 st. • Chattarna ändrades med +11 800 st."),
        "each pasted bullet is a list item: {text}"
    );

    project.edit("kommentarer/telefon.md", "{chattar_forandring@", "{chatar_forandring@");
    let output = project.run(&["check", EXAMPLE]);
    assert_eq!(output.code, Some(1), "{}", output.stderr);
    assert!(output.stderr.contains("okänd platshållare `{chatar_forandring@2023-05..2023-09}`"), "{}", output.stderr);
    assert!(output.stderr.contains(&format!("{EXAMPLE}/kommentarer/telefon.md:10:26")), "{}", output.stderr);
}

#[test]
fn ny_period_moves_the_month_keeps_the_texts_and_says_what_is_left() {
    let project = Project::example(EXAMPLE);
    let before = project.read("kommentarer/vch-ekonomi.md");
    let output = project.run(&["ny-period", EXAMPLE, "2023-10"]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);

    let report = project.read("rapport.toml");
    assert!(report.starts_with("# Statusrapport september 2023 för Närsjukvården Halland"), "comments are kept");
    assert!(report.contains("\nperiod = \"2023-10\"\ndatum = \"2023-11-17\"\n"), "{report}");
    let after = project.read("kommentarer/vch-ekonomi.md");
    assert!(after.contains("period = \"2023-10\"") && after.contains("status = \"utkast\""), "{after}");
    assert!(!after.contains("godkand_"), "the approval goes with the old month: {after}");
    let text_of = |file: &str| file.rsplit("\n+++\n").next().unwrap().to_string();
    assert_eq!(text_of(&after), text_of(&before), "last month's text is kept");
    assert_eq!(after.lines().next(), before.lines().next());

    let stdout = &output.stdout;
    assert!(stdout.contains("rapport.toml: period 2023-09 → 2023-10, datum 2023-10-17 → 2023-11-17"), "{stdout}");
    assert!(stdout.contains("kommentarer/telefon.md: period 2023-10, status utkast (var godkänd)"), "{stdout}");
    assert!(stdout.contains("rapport.toml:8 nämner september"), "the subtitle names the old month: {stdout}");
    assert!(stdout.contains("kommentarer/telefon.md:11 nämner september"), "{stdout}");
    assert!(stdout.contains("kommentarer/vch-ekonomi.md:15 nämner september"), "{stdout}");
    assert!(
        stdout.contains("siffror/ekonomi.csv: siffror för oktober 2023 saknas (avv_barntandvard för ftv,"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "siffror/kontakter.csv: siffror för oktober 2023 saknas (besok för vch, chattar för vch, samtal för vch)"
        ),
        "{stdout}"
    );

    // Moving to the month it already has changes nothing.
    let again = project.run(&["ny-period", EXAMPLE, "2023-10"]);
    assert_eq!(again.code, Some(1));
    assert!(again.stderr.contains("rapporten gäller redan oktober 2023"), "{}", again.stderr);
    assert_eq!(project.read("kommentarer/vch-ekonomi.md"), after);
    let wrong = project.run(&["ny-period", EXAMPLE, "oktober"]);
    assert_eq!(wrong.code, Some(2));
    assert!(wrong.stderr.contains("`oktober` är ingen månad"), "{}", wrong.stderr);
}

#[test]
fn a_build_lists_what_changed_since_the_last_published_report() {
    let project = Project::example(EXAMPLE);
    let published = project.run(&["build", EXAMPLE, "-o", "ut", "--publicera"]);
    assert_eq!(published.code, Some(0), "{}", published.stderr);
    let list = project.dir().join(format!("ut/{EXAMPLE}.andringar.html"));
    assert!(fs::read_to_string(&list).unwrap().contains("Ingen tidigare publicerad version"));
    assert!(project.dir().join(format!("ut/{EXAMPLE}.innehall.json")).is_file());

    project.edit("siffror/ekonomi.csv", "vch;utfall;2023-09;-3,6", "vch;utfall;2023-09;-4,6");
    project.edit("siffror/kontakter.csv", "vch;besok;2023-09;63900", "vch;besok;2023-09;64900");
    project.edit("kommentarer/telefon.md", "förändrades antalet inkommande samtal", "ändrades antalet samtal");
    let built = project.run(&["build", EXAMPLE, "-o", "ut"]);
    assert_eq!(built.code, Some(0), "{}", built.stderr);
    let html = fs::read_to_string(&list).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"), "{html}");
    assert!(html.contains("Jämfört med den senast publicerade versionen (september 2023)"), "{html}");
    assert!(
        html.contains("tabell › Vårdcentralen Halland › Resultat ack. (mnkr)</th><td><del>−26,9</del></td><td><ins>−27,9</ins></td>"),
        "a table's figure: {html}"
    );
    assert!(
        html.contains("Antal besök per månad 2023 › september 2023 › VC Halland</th><td><del>63\u{a0}900\u{a0}st</del></td><td><ins>64\u{a0}900\u{a0}st</ins></td>"),
        "a chart's figure: {html}"
    );
    assert!(html.contains("<td><del>Maj–september 2023 förändrades antalet inkommande samtal"), "{html}");
    assert!(html.contains("<td><ins>Maj–september 2023 ändrades antalet samtal"), "{html}");
    assert!(html.contains("telefon.md</th><td><del>godkänd</del></td><td><ins>granskad</ins></td>"), "{html}");

    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(project.dir().join("ut/manifest.json")).unwrap()).unwrap();
    let entry = &manifest["rapporter"][0]["andringar"];
    assert_eq!(entry["fil"], format!("{EXAMPLE}.andringar.html"));
    assert!(entry["antal"].as_u64().unwrap() >= 3, "{entry}");
    // A build that is not published keeps the published content to compare with.
    let kept: serde_json::Value =
        serde_json::from_slice(&fs::read(project.dir().join(format!("ut/{EXAMPLE}.innehall.json"))).unwrap()).unwrap();
    assert!(kept["statuses"].to_string().contains("godkänd"), "{kept}");
    assert!(!Pdf::parse(fs::read(project.dir().join(format!("ut/{EXAMPLE}.pdf"))).unwrap()).text().is_empty());
}

//! The laid-out pages checked as a reader sees them (`src/render/fit.rs`):
//! commentary too long for its slide, a 10 000-character word, text a
//! project's own template scales below the floor. Each is an error naming
//! the page, and no PDF is written.

use crate::support::Project;

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
kommentar = "kommentar.toml"
[[avsnitt.diagram]]
typ = "stapel"
matt = "utfall"
"#;

/// A one-slide report whose commentary is `text`.
fn project(text: &str) -> Project {
    let mut csv = String::from("enhet;matt;period;varde\n");
    for month in 1..=9 {
        csv.push_str(&format!("vo;utfall;2023-{month:02};-1,{month}\n"));
    }
    let commentary = format!(
        "enhet = \"vo\"\nperiod = \"2023-09\"\nforfattare = \"Ekonomienheten\"\nstatus = \"granskad\"\ntext = \"\"\"\n{text}\"\"\"\n"
    );
    Project::new(&[("rapport.toml", REPORT), ("data.csv", &csv), ("kommentar.toml", &commentary)])
}

fn bullets(count: usize) -> String {
    (1..=count).map(|n| format!("- Punkt {n}: kostnaden {BULLET}\n")).collect()
}

#[test]
fn a_short_commentary_passes() {
    let outcome = project(&bullets(2)).build();
    assert!(outcome.cx.diagnostics.iter().next().is_none(), "{}", outcome.messages());
    assert!(outcome.has_pdf());
}

#[test]
fn commentary_running_into_the_footer_is_an_error_naming_the_page() {
    // 11 such bullets overprinted the footer, `check` saying nothing.
    let outcome = project(&bullets(11)).build();
    assert!(!outcome.has_pdf());
    let messages = outcome.messages();
    assert!(messages.contains("på sidan 2 går ner i sidfoten"), "{messages}");
    assert!(messages.contains("projekt/rapport.toml"), "{messages}");
}

#[test]
fn a_ten_thousand_character_word_does_not_go_out_cut() {
    let word: String = (0..10_000).map(|i| (b'a' + (i % 10) as u8) as char).collect();
    let outcome = project(&format!("Inledning. {word}\n")).build();
    assert!(!outcome.has_pdf());
    assert!(outcome.messages().contains("på sidan 2 går ner i sidfoten"), "{}", outcome.messages());
}

#[test]
fn text_a_projects_template_scales_below_the_floor_is_an_error() {
    let project = project(&bullets(1));
    let template = crate::support::repo().join("report-templates/statusrapport.typ");
    let own = std::fs::read_to_string(template)
        .unwrap()
        .replace("#for s in d.sections", "#scale(50%, reflow: true)[Liten text i en egen mall]\n#for s in d.sections");
    assert!(own.contains("Liten text"), "the template changed; put the scaled text elsewhere");
    project.write("mallar/statusrapport.typ", own);
    project.edit("rapport.toml", "period = \"2023-09\"\n", "period = \"2023-09\"\nmallar = \"mallar\"\n");
    let outcome = project.build();
    assert!(!outcome.has_pdf());
    let messages = outcome.messages();
    assert!(messages.contains("texten \"Liten text i en egen mall\""), "{messages}");
    assert!(messages.contains("mindre än den minsta läsbara storleken 12 pt i en statusrapport"), "{messages}");
}

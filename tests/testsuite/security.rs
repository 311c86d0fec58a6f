//! Hostile input: commentary that looks like Typst, Markdown tricks, HTML,
//! odd scripts and very long words shows as literal text; paths that lead
//! out of the project folder are refused.

use std::fs;

use crate::support::{Build, Project};

const REPORT: &str = "typ = \"skrivelse\"\ntitel = \"Test\"\nnamnd = \"Nämnden\"\ndatum = \"2023-05-04\"\n[[avsnitt]]\nrubrik = \"Text\"\nkommentar = \"k.toml\"\n";

/// The project with its one commentary file, built.
fn project(report: &str, commentary: &str) -> Build {
    let commentary = format!("status = \"granskad\"\ntext = '''\n{commentary}\n'''\n");
    Project::new(&[("rapport.toml", report), ("k.toml", &commentary)]).build()
}

#[test]
fn typst_code_in_commentary_is_only_text() {
    let tricks = [
        "#read(\"/etc/passwd\")",
        "#include \"rapport.toml\"",
        "#sys.inputs",
        "$x^2$",
        "#panic(\"x\")",
        "#image(\"/etc/passwd\")",
        "<script>alert(1)</script>",
        "[länk](javascript:alert(1))",
        "![bild](/etc/passwd)",
        "\\#escaped",
    ];
    let text = tricks.join(" och ") + "\n\n```typ\n#panic(\"kodblock\")\n```\n";
    let shown = project(REPORT, &text).pdf().text();
    for trick in tricks.iter().filter(|t| !t.starts_with('\\')) {
        assert!(shown.contains(trick), "{trick:?} is shown as written: {shown}");
    }
    assert!(shown.contains("#panic(\"kodblock\")"), "{shown}");
    assert!(!shown.contains("root:"), "nothing was read from the file system");
}

#[test]
fn other_scripts_emoji_and_long_words_are_shown() {
    let long = "x".repeat(3000);
    let text = format!(
        "Hebreiska שלום, arabiska مرحبا, grekiska αβγ, kyrilliska жук, emoji 😀 🎉.\n\nLångt ord: {long} slut."
    );
    let shown = project(REPORT, &text).pdf().text();
    for expected in ["αβγ", "жук", "😀", "slut."] {
        assert!(shown.contains(expected), "{expected:?} missing");
    }
    let xs = shown.chars().filter(|c| *c == 'x').count();
    assert!(xs >= 3000, "the long word is all there, broken over lines ({xs})");
}

#[test]
fn characters_no_font_has_are_refused_with_the_place() {
    let outcome = project(REPORT, "Kinesiska 漢字 går inte att visa.");
    assert!(!outcome.has_pdf());
    let shown = outcome.messages();
    assert!(shown.contains("fel: tecknet `漢字` (U+6F22 U+5B57) finns inte i rapportens typsnitt"), "{shown}");
    assert!(shown.contains("k.toml:3:11"), "{shown}");
}

#[test]
fn paths_out_of_the_project_are_refused() {
    let project = Project::new(&[("k.toml", "status = \"granskad\"\ntext = \"Text.\"\n")]);
    fs::write(project.dir().join("hemlig.csv"), "enhet;matt;period;varde\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(project.dir().join("hemlig.csv"), project.path("lank.csv")).unwrap();
    let cases = [
        ("fil = \"../hemlig.csv\"", "pekar utanför projektmappen"),
        ("fil = \"/etc/passwd\"", "pekar utanför projektmappen"),
        ("fil = \"siffror/../../hemlig.csv\"", "pekar utanför projektmappen"),
        #[cfg(unix)]
        ("fil = \"lank.csv\"", "leder via en symbolisk länk ut ur projektmappen"),
    ];
    for (line, expected) in cases {
        project.write("rapport.toml", REPORT.replace("[[avsnitt]]", &format!("[[data]]\n{line}\n[[avsnitt]]")));
        let outcome = project.build();
        assert!(!outcome.has_pdf(), "{line} is refused");
        assert!(outcome.messages().contains(expected), "{line}: {}", outcome.messages());
    }
    for (key, value) in [("logotyp", "../logo.svg"), ("mallar", "/tmp"), ("mallar", "..")] {
        project.write("rapport.toml", REPORT.replace("[[avsnitt]]", &format!("{key} = \"{value}\"\n[[avsnitt]]")));
        let shown = project.build().messages();
        assert!(shown.contains("pekar utanför projektmappen"), "{key} = {value}: {shown}");
    }
}

#[test]
fn unit_ids_cannot_name_paths() {
    let report =
        REPORT.replace("[[avsnitt]]", "per_enhet = true\n[[enhet]]\nid = \"../../ut\"\nnamn = \"X\"\n[[avsnitt]]");
    let shown = project(&report, "Text.").messages();
    assert!(shown.contains("`../../ut` kan inte användas som id för en enhet"), "{shown}");
}

//! Hostile input: commentary that looks like Typst, Markdown tricks, HTML,
//! odd scripts and very long words shows as literal text; paths that lead
//! out of the project folder are refused.

use std::fs;
use std::path::Path;

use crate::pdf::{Pdf, build};

const REPORT: &str = "typ = \"skrivelse\"\ntitel = \"Test\"\nnamnd = \"Nämnden\"\ndatum = \"2023-05-04\"\n[[avsnitt]]\nrubrik = \"Text\"\nkommentar = \"k.toml\"\n";

fn project(dir: &Path, report: &str, commentary: &str) -> statusrapport::pipeline::Outcome {
    fs::write(dir.join("rapport.toml"), report).unwrap();
    fs::write(dir.join("k.toml"), format!("status = \"godkänd\"\ntext = '''\n{commentary}\n'''\n")).unwrap();
    build(dir)
}

fn messages(outcome: &statusrapport::pipeline::Outcome) -> String {
    statusrapport::diagnostic::render_plain(&outcome.cx.sources, &outcome.cx.diagnostics)
}

#[test]
fn typst_code_in_commentary_is_only_text() {
    let dir = tempfile::tempdir().unwrap();
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
    let outcome = project(dir.path(), REPORT, &text);
    let shown = messages(&outcome);
    let pdf = Pdf::parse(outcome.pdf.unwrap_or_else(|| panic!("{shown}")).bytes);
    let shown = pdf.text();
    for trick in tricks.iter().filter(|t| !t.starts_with('\\')) {
        assert!(shown.contains(trick), "{trick:?} is shown as written: {shown}");
    }
    assert!(shown.contains("#panic(\"kodblock\")"), "{shown}");
    assert!(!shown.contains("root:"), "nothing was read from the file system");
}

#[test]
fn other_scripts_emoji_and_long_words_are_shown() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(3000);
    let text = format!(
        "Hebreiska שלום, arabiska مرحبا, grekiska αβγ, kyrilliska жук, emoji 😀 🎉.\n\nLångt ord: {long} slut."
    );
    let outcome = project(dir.path(), REPORT, &text);
    let shown = messages(&outcome);
    let pdf = Pdf::parse(outcome.pdf.unwrap_or_else(|| panic!("{shown}")).bytes);
    let shown = pdf.text();
    for expected in ["αβγ", "жук", "😀", "slut."] {
        assert!(shown.contains(expected), "{expected:?} missing");
    }
    let xs = shown.chars().filter(|c| *c == 'x').count();
    assert!(xs >= 3000, "the long word is all there, broken over lines ({xs})");
}

#[test]
fn characters_no_font_has_are_refused_with_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = project(dir.path(), REPORT, "Kinesiska 漢字 går inte att visa.");
    assert!(outcome.pdf.is_none());
    let shown = messages(&outcome);
    assert!(shown.contains("fel: tecknet `漢字` (U+6F22 U+5B57) finns inte i rapportens typsnitt"), "{shown}");
    assert!(shown.contains("k.toml:3:11"), "{shown}");
}

#[test]
fn paths_out_of_the_project_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let project_dir = dir.path().join("projekt");
    fs::create_dir(&project_dir).unwrap();
    fs::write(dir.path().join("hemlig.csv"), "enhet;matt;period;varde\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("hemlig.csv"), project_dir.join("lank.csv")).unwrap();
    let cases = [
        ("fil = \"../hemlig.csv\"", "pekar utanför projektmappen"),
        ("fil = \"/etc/passwd\"", "pekar utanför projektmappen"),
        ("fil = \"siffror/../../hemlig.csv\"", "pekar utanför projektmappen"),
        #[cfg(unix)]
        ("fil = \"lank.csv\"", "leder via en symbolisk länk ut ur projektmappen"),
    ];
    for (line, expected) in cases {
        let report = REPORT.replace("[[avsnitt]]", &format!("[[data]]\n{line}\n[[avsnitt]]"));
        let outcome = project(&project_dir, &report, "Text.");
        assert!(outcome.pdf.is_none(), "{line} is refused");
        let shown = messages(&outcome);
        assert!(shown.contains(expected), "{line}: {shown}");
    }
    for (key, value) in [("logotyp", "../logo.svg"), ("mallar", "/tmp"), ("mallar", "..")] {
        let report = REPORT.replace("[[avsnitt]]", &format!("{key} = \"{value}\"\n[[avsnitt]]"));
        let outcome = project(&project_dir, &report, "Text.");
        assert!(messages(&outcome).contains("pekar utanför projektmappen"), "{key} = {value}: {}", messages(&outcome));
    }
}

#[test]
fn unit_ids_cannot_name_paths() {
    let dir = tempfile::tempdir().unwrap();
    let report =
        REPORT.replace("[[avsnitt]]", "per_enhet = true\n[[enhet]]\nid = \"../../ut\"\nnamn = \"X\"\n[[avsnitt]]");
    let outcome = project(dir.path(), &report, "Text.");
    assert!(messages(&outcome).contains("`../../ut` kan inte användas som id för en enhet"), "{}", messages(&outcome));
}

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
fn other_scripts_and_long_words_are_shown() {
    let long = "x".repeat(3000);
    let text = format!("Hebreiska שלום, arabiska مرحبا, grekiska αβγ, kyrilliska жук.\n\nLångt ord: {long} slut.");
    let shown = project(REPORT, &text).pdf().text();
    for expected in ["αβγ", "жук", "slut."] {
        assert!(shown.contains(expected), "{expected:?} missing");
    }
    let xs = shown.chars().filter(|c| *c == 'x').count();
    assert!(xs >= 3000, "the long word is all there, broken over lines ({xs})");
}

/// Emoji are refused, saying why: the fonts have no colour emoji, and a
/// board paper reads the same printed and with a screen reader.
#[test]
fn emoji_are_refused_with_the_place_and_the_reason() {
    let outcome = project(REPORT, "Bra jobbat 👍🏽 och ❤️!");
    assert!(!outcome.has_pdf());
    let shown = outcome.messages();
    assert!(
        shown.contains("fel: emoji kan inte visas i rapporten: `👍🏽` (U+1F44D U+1F3FD)\n  ┌─ projekt/k.toml:3:12"),
        "{shown}"
    );
    assert!(shown.contains("fel: emoji kan inte visas i rapporten: `❤` (U+2764)"), "{shown}");
    assert!(shown.contains("rapportens typsnitt har inga färgemoji"), "{shown}");
}

/// Characters that hide or reverse text are removed, with a warning at
/// their place: U+202E would show −12,5 mnkr as 5,21−.
#[test]
fn reordering_and_invisible_characters_are_removed_with_a_warning() {
    let outcome = project(REPORT, "Avvikelsen är \u{202E}−12,5 mnkr\u{202C} och\u{200B}\u{200B} mer.");
    let shown = outcome.messages();
    assert!(
        shown.contains(
            "varning: det osynliga tecknet U+202E (ändrar läsriktningen) togs bort här\n  ┌─ projekt/k.toml:3:15"
        ),
        "{shown}"
    );
    assert!(shown.contains("U+200B (blanksteg utan bredd), U+200B (blanksteg utan bredd) togs bort"), "{shown}");
    let text = outcome.pdf().text();
    assert!(text.contains("Avvikelsen är −12,5 mnkr och mer."), "{text}");
}

/// Control characters written as TOML escapes are errors at their place
/// in Swedish, not an English Typst error late in PDF export.
#[test]
fn control_characters_are_errors_where_they_are_written() {
    for (escape, name) in
        [("\\u0000", "U+0000 (nolltecken)"), ("\\b", "U+0008 (backsteg)"), ("\\u001B", "U+001B (escape")]
    {
        let report = REPORT.replace("titel = \"Test\"", &format!("titel = \"Te{escape}st\""));
        let outcome = project(&report, "Text.");
        assert!(!outcome.has_pdf());
        let shown = outcome.messages();
        assert!(shown.contains(&format!("fel: styrtecknet {name}")), "{shown}");
        assert!(shown.contains("projekt/rapport.toml:2:12"), "{shown}");
        assert!(!shown.contains('\u{1b}'), "{shown:?}");
    }
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

/// Only regular files are read, checked before they are opened: a FIFO
/// would hang the run (holding the output lock), a device would never end.
/// A link that cannot be followed is refused, not assumed to be inside.
#[cfg(unix)]
#[test]
fn only_regular_files_are_read_and_unresolvable_links_are_refused() {
    let project = Project::new(&[("k.toml", "status = \"granskad\"\ntext = \"Text.\"\n")]);
    let fifo = std::process::Command::new("mkfifo").arg(project.path("ror.csv")).status().unwrap();
    assert!(fifo.success());
    std::os::unix::fs::symlink("/dev/zero", project.path("noll.csv")).unwrap();
    std::os::unix::fs::symlink("/proc/self/fd/0", project.path("stdin.csv")).unwrap();
    std::os::unix::fs::symlink(project.path("finns-inte.csv"), project.path("bruten.csv")).unwrap();
    std::os::unix::fs::symlink("slinga.csv", project.path("slinga.csv")).unwrap();
    let cases = [
        ("ror.csv", "det är ingen vanlig fil"),
        ("noll.csv", "leder via en symbolisk länk ut ur projektmappen"),
        ("stdin.csv", "sökvägen `stdin.csv`"),
        ("bruten.csv", "kan inte följas till en fil"),
        ("slinga.csv", "kan inte följas till en fil"),
        ("data\\\\ror.csv", "finns inte"),
    ];
    for (file, expected) in cases {
        project
            .write("rapport.toml", REPORT.replace("[[avsnitt]]", &format!("[[data]]\nfil = \"{file}\"\n[[avsnitt]]")));
        let started = std::time::Instant::now();
        let outcome = project.build();
        assert!(started.elapsed().as_secs() < 10, "{file} does not hang");
        assert!(!outcome.has_pdf(), "{file} is refused");
        assert!(outcome.messages().contains(expected), "{file}: {}", outcome.messages());
    }
    // A Windows path is read with `/` and shown so.
    fs::create_dir(project.path("data")).unwrap();
    project.write("rapport.toml", REPORT.replace("[[avsnitt]]", "[[data]]\nfil = \"data\\\\saknas.csv\"\n[[avsnitt]]"));
    let shown = project.build().messages();
    assert!(shown.contains("projekt/data/saknas.csv finns inte"), "{shown}");
}

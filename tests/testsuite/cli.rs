//! The binary as people and scripts use it: exit codes, what it prints,
//! what it writes.

use std::fs;
use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::pdf::Pdf;
use crate::support::{Project, build_with, engine, repo, run};

#[test]
fn build_writes_pdfs_and_a_manifest_then_skips_what_did_not_change() {
    let project = Project::example("skrivelse-delarsrapport-april-2023");
    let output = project.run(&["build", ".", "-o", "ut"]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    assert!(
        output.stdout.contains(
            "byggd       ./skrivelse-delarsrapport-april-2023 → ut/skrivelse-delarsrapport-april-2023.pdf (2 sidor,"
        ),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("1 byggd, 0 oförändrade, 0 misslyckade. Manifest: ut/manifest.json"),
        "{}",
        output.stdout
    );
    assert!(project.dir().join("ut/skrivelse-delarsrapport-april-2023.pdf").is_file());

    let again = project.run(&["build", ".", "-o", "ut", "--format", "json"]);
    assert_eq!(again.code, Some(0));
    let line: serde_json::Value = serde_json::from_str(again.stdout.trim()).expect("one JSON line");
    assert_eq!(line["status"], "oförändrad");
    assert_eq!(line["pdf"], "skrivelse-delarsrapport-april-2023.pdf");

    let forced = project.run(&["build", ".", "-o", "ut", "--force"]);
    assert!(forced.stdout.contains(": 1 byggd, 0 oförändrade"), "{}", forced.stdout);
}

#[test]
fn publishing_refuses_a_draft_even_when_nothing_changed() {
    // A draft built into a folder, then the same folder built for
    // publishing: the unchanged draft must not pass as published.
    let project = Project::named("nya", &[]);
    fs::remove_dir(&project.root).unwrap();
    assert_eq!(project.run(&["new", "statusrapport", "nya"]).code, Some(0));
    let draft = project.run(&["build", "nya", "-o", "ut"]);
    assert_eq!(draft.code, Some(0), "{}", draft.stderr);
    let published = project.run(&["build", "nya", "-o", "ut", "--publicera"]);
    assert_eq!(published.code, Some(1), "{}\n{}", published.stdout, published.stderr);
    assert!(!published.stdout.lines().any(|l| l.starts_with("oförändrad")), "{}", published.stdout);
    assert!(published.stdout.contains("misslyckad  nya"), "{}", published.stdout);
    assert!(
        published.stderr.contains("rapporten publiceras inte: texter som inte är godkända"),
        "{}",
        published.stderr
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(project.dir().join("ut/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["rapporter"][0]["status"], "misslyckad");
}

#[test]
fn the_summary_counts_this_run_in_swedish_singular_and_plural() {
    let project = Project::example("skrivelse-delarsrapport-april-2023");
    crate::support::copy_tree(&project.root, &project.dir().join("annan"));
    let both = project.run(&["build", ".", "-o", "ut"]);
    assert!(both.stdout.contains(": 2 byggda, 0 oförändrade, 0 misslyckade."), "{}", both.stdout);
    // One of the two, into the same folder: the manifest keeps both, the summary counts one.
    let one = project.run(&["build", "annan", "-o", "ut", "--force"]);
    assert!(one.stdout.contains(": 1 byggd, 0 oförändrade, 0 misslyckade."), "{}", one.stdout);
    let check = project.run(&["check", "annan"]);
    assert!(check.stdout.starts_with("Kontroll av 1 rapportmapp: inga fel (0 fel, 0 varningar)."), "{}", check.stdout);
}

#[test]
fn approved_texts_publish_and_a_text_changed_after_approval_does_not() {
    let project = Project::named("nya", &[]);
    fs::remove_dir(&project.root).unwrap();
    assert_eq!(project.run(&["new", "statusrapport", "nya"]).code, Some(0));
    project.edit("kommentarer/vo2.md", "status = \"utkast\"", "status = \"granskad\"");
    let refused = project.run(&["build", "nya", "-o", "ut", "--publicera"]);
    assert_eq!(refused.code, Some(1), "reviewed is not approved: {}", refused.stderr);
    assert!(refused.stderr.contains("nya/kommentarer/vo2.md (granskad, Namn Efternamn)"), "{}", refused.stderr);

    let approve = project.run(&[
        "godkann",
        "nya/kommentarer/vo1.md",
        "nya/kommentarer/vo2.md",
        "--av",
        "Karin Ek, verksamhetschef",
        "--datum",
        "2023-10-12",
    ]);
    assert_eq!(approve.code, Some(0), "{}", approve.stderr);
    let approved = project.read("kommentarer/vo1.md");
    assert!(
        approved.contains("status = \"godkänd\"") && approved.contains("godkand_av = \"Karin Ek, verksamhetschef\"")
    );
    assert!(approved.starts_with("+++\n# Kommentaren till bilden om vo1."), "comments are kept: {approved}");
    assert!(
        approved.contains("godkand_kontrollsumma = \"")
            && approved.contains("\n+++\n- Den ackumulerade budgetavvikelsen är {ack_avvikelse} efter {månad}.\n"),
        "the front matter is edited and the text below kept: {approved}"
    );
    let published = project.run(&["build", "nya", "-o", "ut", "--publicera"]);
    assert_eq!(published.code, Some(0), "{}", published.stderr);
    assert!(!Pdf::parse(fs::read(project.dir().join("ut/nya.pdf")).unwrap()).text().contains("UTKAST"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(project.dir().join("ut/manifest.json")).unwrap()).unwrap();
    let texts = &manifest["rapporter"][0]["texter"];
    assert_eq!(texts[0]["godkand_av"], "Karin Ek, verksamhetschef");
    assert_eq!(texts[0]["godkand_datum"], "2023-10-12");
    assert_eq!(texts[0]["status"], "godkänd");

    // Edited after approval: no longer approved, and said so.
    project.edit("kommentarer/vo1.md", "Den ackumulerade", "Den samlade");
    let changed = project.run(&["build", "nya", "-o", "ut", "--publicera"]);
    assert_eq!(changed.code, Some(1), "{}", changed.stderr);
    assert!(
        changed.stderr.contains("texten har ändrats efter att Karin Ek, verksamhetschef godkände den 2023-10-12"),
        "{}",
        changed.stderr
    );
    assert!(changed.stderr.contains("nya/kommentarer/vo1.md (granskad, Namn Efternamn)"), "{}", changed.stderr);
}

#[test]
fn a_failed_report_exits_1_and_says_where() {
    let project = Project::example("skrivelse-delarsrapport-april-2023");
    project.edit("text/skrivelse.md", "{uppnadd_effekt}", "{uppnad_effekt}");
    let output = project.run(&["build", ".", "-o", "ut"]);
    assert_eq!(output.code, Some(1));
    assert!(output.stderr.contains("fel: okänd platshållare `{uppnad_effekt}`"), "{}", output.stderr);
    assert!(output.stderr.contains("skrivelse-delarsrapport-april-2023/text/skrivelse.md:13:214"), "{}", output.stderr);
    assert!(output.stderr.contains("menade du `{uppnadd_effekt}`?"), "{}", output.stderr);
    assert!(output.stdout.contains("misslyckad"), "{}", output.stdout);
}

#[test]
fn usage_errors_exit_2_in_swedish_and_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(&["build", "finns-inte"], dir.path());
    assert_eq!(output.code, Some(2));
    assert_eq!(output.stderr, "fel: finns-inte kan inte läsas: filen eller mappen finns inte\n");
    let output = run(&["check", "finns-inte", "--format", "json"], dir.path());
    assert_eq!(output.code, Some(2));
    let line: serde_json::Value = serde_json::from_str(output.stdout.trim()).expect("one JSON line");
    assert_eq!(line["message"], "finns-inte kan inte läsas: filen eller mappen finns inte");
    assert_eq!(line["file"], "finns-inte");
    let output = run(&["check", "."], dir.path());
    assert_eq!(output.code, Some(2));
    assert!(output.stderr.starts_with("fel: inga rapporter under .\ntips: "), "{}", output.stderr);
    let output = run(&["build", ".", "--shard", "3/2"], dir.path());
    assert_eq!(output.code, Some(2));
    assert!(output.stderr.contains("`3/2` är ingen del"), "{}", output.stderr);
    let output = run(&["new", "brev", "x"], dir.path());
    assert_eq!(output.code, Some(2));
    assert!(output.stderr.starts_with("fel: okänd rapporttyp `brev`; typerna är statusrapport"), "{}", output.stderr);
    let output = run(&["watch", "."], dir.path());
    assert_eq!(
        (output.code, output.stderr.lines().next()),
        (Some(2), Some("fel: . är ingen rapportmapp (rapport.toml saknas)"))
    );
}

#[test]
fn check_writes_nothing_and_reports_every_problem_of_every_file_at_once() {
    let project = Project::example("statusrapport-2023-09");
    project.edit(
        "rapport.toml",
        "kommentar = \"kommentarer/vch-ekonomi.md\"",
        "kommentar = \"kommentarer/vch-ekonomi.md\"\nkomentar = \"x\"",
    );
    project.edit("siffror/listning.csv", "varberg;", "varbreg;");
    project.edit("kommentarer/telefon.md", "{", "{telefn");
    let output = project.run(&["check", "."]);
    assert_eq!(output.code, Some(1));
    let stderr = &output.stderr;
    assert!(stderr.contains("okänd nyckel `komentar`") && stderr.contains("menade du `kommentar`?"), "{stderr}");
    assert!(stderr.contains("okänd enhet `varbreg`") && stderr.contains("siffror/listning.csv:3:1"), "{stderr}");
    assert!(stderr.contains("okänd platshållare `{telefn"), "{stderr}");
    assert!(output.stdout.contains("fel hittades (3 fel, 1 varning). Inget skrevs."), "{}", output.stdout);
    assert!(
        stderr.contains("texten har ändrats efter att Förvaltningschef (exempel) godkände den 2023-10-17"),
        "{stderr}"
    );
    assert!(!project.dir().join("ut").exists(), "check writes nothing");

    let project = Project::example("statusrapport-2023-09");
    project.edit("siffror/listning.csv", "varberg;", "varbreg;");
    let output = project.run(&["check", ".", "--format", "json"]);
    assert_eq!(output.code, Some(1));
    let lines: Vec<serde_json::Value> = output.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["message"], "okänd enhet `varbreg`");
    assert_eq!((lines[0]["line"].as_u64(), lines[0]["column"].as_u64()), (Some(3), Some(1)));
    assert!(lines[0]["file"].as_str().unwrap().ends_with("siffror/listning.csv"));
}

#[test]
fn new_projects_of_every_kind_build_and_drafts_do_not_publish() {
    let dir = tempfile::tempdir().unwrap();
    for kind in ["statusrapport", "tjänsteskrivelse", "skrivelse", "månadsrapport"] {
        let output = run(&["new", kind, &format!("nya/{kind}")], dir.path());
        assert_eq!(output.code, Some(0), "{kind}: {}", output.stderr);
    }
    let output = run(&["check", "nya"], dir.path());
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let output = run(&["build", "nya", "-o", "ut"], dir.path());
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let pdf = Pdf::parse(fs::read(dir.path().join("ut/statusrapport.pdf")).unwrap());
    assert!(pdf.text().contains("UTKAST"), "drafts carry the UTKAST mark");

    let output = run(&["build", "nya", "-o", "publicerat", "--publicera"], dir.path());
    assert_eq!(output.code, Some(1));
    assert!(
        output
            .stderr
            .contains("rapporten publiceras inte: texter som inte är godkända: nya/statusrapport/kommentarer/vo1.md (utkast, Namn Efternamn)"),
        "{}",
        output.stderr
    );
    assert!(!dir.path().join("publicerat/statusrapport.pdf").exists());
    let output = run(&["new", "skrivelse", "nya/skrivelse"], dir.path());
    assert_eq!(output.code, Some(2), "an existing folder is not overwritten");
}

#[test]
fn ejected_typst_files_compile_to_the_same_pages() {
    let dir = tempfile::tempdir().unwrap();
    let example = repo().join("data/statusrapport-2023-09");
    let output = run(&["eject", &example.to_string_lossy(), "-o", "ejekt"], dir.path());
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    assert!(
        output
            .stdout
            .contains("typst compile --root . --font-path fonts --ignore-system-fonts --pdf-standard ua-1,a-2a"),
        "{}",
        output.stdout
    );
    let ejected = dir.path().join("ejekt");
    for file in [
        "statusrapport.typ",
        "gemensam.typ",
        "data.json",
        "diagram/1.svg",
        "fonts/LiberationSans-Regular.ttf",
        "LÄSMIG.txt",
    ] {
        assert!(ejected.join(file).is_file(), "{file} is written");
    }

    // Compile the folder as the Typst CLI would: its files, its fonts.
    let mut files = Vec::new();
    collect(&ejected, &ejected, &mut files);
    let bundle = statusrapport::render::Bundle { main: "/statusrapport.typ".into(), files };
    let world = statusrapport::render::world_for(
        engine(),
        &bundle,
        statusrapport::pipeline::today(chrono::NaiveDate::from_ymd_opt(2023, 10, 17).unwrap()),
    );
    let mut cx = statusrapport::context::Context::new(&ejected);
    let document = statusrapport::render::layout(&world, &bundle, &mut cx).expect("the ejected files compile");
    let ours = build_with(&example, &Default::default()).document();
    assert_eq!(document.pages().len(), ours.pages().len());
    let options = typst_render::RenderOptions { pixel_per_pt: 0.5.into(), ..Default::default() };
    for (number, (ejected_page, our_page)) in document.pages().iter().zip(ours.pages()).enumerate() {
        let (a, b) = (typst_render::render(ejected_page, &options), typst_render::render(our_page, &options));
        assert!(a.data() == b.data(), "page {} differs", number + 1);
    }
}

fn collect(root: &Path, folder: &Path, out: &mut Vec<statusrapport::render::VirtualFile>) {
    for entry in fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let relative = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            out.push(statusrapport::render::VirtualFile {
                path: format!("/{relative}"),
                bytes: fs::read(&path).unwrap(),
                shown_as: relative,
            });
        }
    }
}

#[test]
fn a_second_run_on_the_same_output_waits_for_the_first() {
    let project = Project::example("skrivelse-delarsrapport-april-2023");
    let out = project.dir().join("ut");
    let lock =
        statusrapport::batch::OutputLock::acquire(&out, Duration::ZERO, |_, _| panic!("nobody else holds it")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_statusrapport"))
        .args(["build", ".", "-o", "ut"])
        .current_dir(project.dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The second run says that it waits; until the lock is let go it writes nothing.
    let (said, heard) = std::sync::mpsc::channel();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = said.send(line);
        }
    });
    let waiting = heard.recv_timeout(Duration::from_secs(60)).expect("the second run says something");
    assert!(waiting.starts_with("en annan körning mot ut pågår (process "), "{waiting}");
    assert!(waiting.contains(&format!("process {}, startad ", std::process::id())), "whose lock: {waiting}");
    assert!(child.try_wait().unwrap().is_none(), "the second run waits while the lock is held");
    assert!(!out.join("skrivelse-delarsrapport-april-2023.pdf").exists());
    drop(lock);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(out.join("skrivelse-delarsrapport-april-2023.pdf").exists());
}

/// A run that holds the lock for longer than the limit (hung, say): the
/// waiting run gives up with a message naming whose lock it is.
#[test]
fn waiting_for_the_lock_has_a_limit_and_names_the_holder() {
    let project = Project::example("skrivelse-delarsrapport-april-2023");
    let out = project.dir().join("ut");
    let _lock =
        statusrapport::batch::OutputLock::acquire(&out, Duration::ZERO, |_, _| panic!("nobody else holds it")).unwrap();
    let started = std::time::Instant::now();
    let run = project.run(&["build", ".", "-o", "ut", "--vanta", "1"]);
    assert!(started.elapsed() < Duration::from_secs(30), "gave up after the limit");
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let holder = format!("process {}, startad ", std::process::id());
    assert!(
        run.stderr.contains(&format!("fel: utmappen ut kan inte användas: en annan körning ({holder}")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("i mer än 1 s"), "{}", run.stderr);
    assert!(!out.join("skrivelse-delarsrapport-april-2023.pdf").exists());
}

#[test]
fn eject_of_a_unit_without_its_own_pdf_is_an_error() {
    let project = Project::example("handlingsplan-2017-11");
    let run = project.run(&["eject", "handlingsplan-2017-11", "--enhet", "finnsinte"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("enheten `finnsinte` har ingen egen PDF i rapporten"), "{}", run.stderr);
    assert!(run.stderr.contains("enheterna med egen PDF är kba, hlm"), "{}", run.stderr);
    assert!(!project.dir().join("handlingsplan-2017-11-finnsinte-typst").exists());
}

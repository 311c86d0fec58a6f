//! The binary as people and scripts use it: exit codes, what it prints,
//! what it writes.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::pdf::{Pdf, engine, repo};

fn statusrapport(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_statusrapport")).args(args).current_dir(dir).output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Copies an example project into `dir`.
fn copy_example(name: &str, dir: &Path) -> std::path::PathBuf {
    let target = dir.join(name);
    copy_tree(&repo().join("data").join(name), &target);
    target
}

pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn build_writes_pdfs_and_a_manifest_then_skips_what_did_not_change() {
    let dir = tempfile::tempdir().unwrap();
    copy_example("skrivelse-delarsrapport-april-2023", dir.path());
    let output = statusrapport(&["build", ".", "-o", "ut"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(
            "byggd       ./skrivelse-delarsrapport-april-2023 → ut/skrivelse-delarsrapport-april-2023.pdf (2 sidor,"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("1 byggda, 0 oförändrade, 0 misslyckade. Manifest: ut/manifest.json"), "{stdout}");
    assert!(dir.path().join("ut/skrivelse-delarsrapport-april-2023.pdf").is_file());

    let again = statusrapport(&["build", ".", "-o", "ut", "--format", "json"], dir.path());
    assert_eq!(again.status.code(), Some(0));
    let line: serde_json::Value = serde_json::from_str(text(&again.stdout).trim()).expect("one JSON line");
    assert_eq!(line["status"], "oförändrad");
    assert_eq!(line["pdf"], "skrivelse-delarsrapport-april-2023.pdf");

    let forced = statusrapport(&["build", ".", "-o", "ut", "--force"], dir.path());
    assert!(text(&forced.stdout).contains("1 byggda"), "{}", text(&forced.stdout));
}

#[test]
fn a_failed_report_exits_1_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let project = copy_example("skrivelse-delarsrapport-april-2023", dir.path());
    let text_file = project.join("text/skrivelse.toml");
    let broken = fs::read_to_string(&text_file).unwrap().replace("{uppnadd_effekt}", "{uppnad_effekt}");
    fs::write(&text_file, broken).unwrap();
    let output = statusrapport(&["build", ".", "-o", "ut"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("fel: okänd platshållare `{uppnad_effekt}`"), "{stderr}");
    assert!(stderr.contains("skrivelse-delarsrapport-april-2023/text/skrivelse.toml:9:214"), "{stderr}");
    assert!(stderr.contains("menade du `{uppnadd_effekt}`?"), "{stderr}");
    assert!(text(&output.stdout).contains("misslyckad"), "{}", text(&output.stdout));
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let output = statusrapport(&["build", "finns-inte"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).starts_with("fel: finns-inte kan inte läsas"), "{}", text(&output.stderr));
    let output = statusrapport(&["build", ".", "--shard", "3/2"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("`3/2` är ingen del"), "{}", text(&output.stderr));
    let output = statusrapport(&["new", "brev", "x"], dir.path());
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn check_writes_nothing_and_reports_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let project = copy_example("statusrapport-2023-09", dir.path());
    let report = fs::read_to_string(project.join("rapport.toml")).unwrap().replace("titel =", "titl =");
    fs::write(
        project.join("rapport.toml"),
        report.replace("titl =", "titel =").replace("[[data]]\nfil", "[[data]]\nfill"),
    )
    .unwrap();
    let csv = fs::read_to_string(project.join("siffror/listning.csv")).unwrap().replace("varberg;", "varbreg;");
    fs::write(project.join("siffror/listning.csv"), csv).unwrap();
    let output = statusrapport(&["check", "."], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("okänd nyckel `fill`") && stderr.contains("menade du `fil`?"), "{stderr}");
    assert!(stderr.contains("nyckeln `fil` saknas"), "{stderr}");
    assert!(!dir.path().join("ut").exists(), "check writes nothing");

    let dir = tempfile::tempdir().unwrap();
    let project = copy_example("statusrapport-2023-09", dir.path());
    let csv = fs::read_to_string(project.join("siffror/listning.csv")).unwrap().replace("varberg;", "varbreg;");
    fs::write(project.join("siffror/listning.csv"), csv).unwrap();
    let output = statusrapport(&["check", ".", "--format", "json"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        text(&output.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["message"], "okänd enhet `varbreg`");
    assert_eq!((lines[0]["line"].as_u64(), lines[0]["column"].as_u64()), (Some(3), Some(1)));
    assert!(lines[0]["file"].as_str().unwrap().ends_with("siffror/listning.csv"));
}

#[test]
fn new_projects_of_every_kind_build_and_drafts_do_not_publish() {
    let dir = tempfile::tempdir().unwrap();
    for kind in ["statusrapport", "tjänsteskrivelse", "skrivelse", "månadsrapport"] {
        let output = statusrapport(&["new", kind, &format!("nya/{kind}")], dir.path());
        assert_eq!(output.status.code(), Some(0), "{kind}: {}", text(&output.stderr));
    }
    let output = statusrapport(&["check", "nya"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let output = statusrapport(&["build", "nya", "-o", "ut"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let pdf = Pdf::parse(fs::read(dir.path().join("ut/statusrapport.pdf")).unwrap());
    assert!(pdf.text().contains("UTKAST"), "drafts carry the UTKAST mark");

    let output = statusrapport(&["build", "nya", "-o", "publicerat", "--publicera"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr
            .contains("rapporten publiceras inte: kommentarer i status utkast: nya/statusrapport/kommentarer/vo1.toml"),
        "{stderr}"
    );
    assert!(!dir.path().join("publicerat/statusrapport.pdf").exists());
    let output = statusrapport(&["new", "skrivelse", "nya/skrivelse"], dir.path());
    assert_eq!(output.status.code(), Some(2), "an existing folder is not overwritten");
}

#[test]
fn ejected_typst_files_compile_to_the_same_pages() {
    let dir = tempfile::tempdir().unwrap();
    let output = statusrapport(
        &["eject", &repo().join("data/statusrapport-2023-09").to_string_lossy(), "-o", "ejekt"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("typst compile --root . --font-path fonts --ignore-system-fonts --pdf-standard ua-1,a-2a"),
        "{stdout}"
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
    let mut cx = statusrapport::load::Context::new(&ejected);
    let document = statusrapport::render::layout(&world, &bundle, &mut cx).expect("the ejected files compile");
    let ours = crate::pdf::build(&repo().join("data/statusrapport-2023-09"));
    assert_eq!(document.pages().len(), ours.document.unwrap().pages().len());
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
    let dir = tempfile::tempdir().unwrap();
    copy_example("skrivelse-delarsrapport-april-2023", dir.path());
    let lock =
        statusrapport::batch::OutputLock::acquire(&dir.path().join("ut"), |_| panic!("nobody else holds it")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_statusrapport"))
        .args(["build", ".", "-o", "ut"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "the second run waits while the lock is held");
    assert!(!dir.path().join("ut/skrivelse-delarsrapport-april-2023.pdf").exists());
    drop(lock);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(text(&output.stderr).contains("en annan körning mot ut pågår"), "{}", text(&output.stderr));
    assert!(dir.path().join("ut/skrivelse-delarsrapport-april-2023.pdf").exists());
}

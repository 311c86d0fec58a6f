//! The Windows release's nightly build: the Task Scheduler definition in
//! `docs/windows/nattbygge.xml` is task XML that runs every night and
//! catches up a missed night, its command is a `build` the binary accepts,
//! and `LÄSMIG.txt` says where its log and manifest go. (That Windows runs
//! it is tested under Wine by `tests/windows/run.sh`.)

use std::fs;
use std::process::Command;

use crate::support::{Project, copy_tree, repo};

const TASK_NAMESPACE: &str = "http://schemas.microsoft.com/windows/2004/02/mit/task";
/// Where LÄSMIG.txt tells people to unpack the program.
const PROGRAM: &str = r"C:\statusrapport\statusrapport.exe";
const LOG: &str = r"logg\statusrapport.log";

fn task_xml() -> String {
    fs::read_to_string(repo().join("docs/windows/nattbygge.xml")).expect("docs/windows/nattbygge.xml")
}

/// The text of the element at `path` (element names below the root).
fn text_at(document: &roxmltree::Document, path: &[&str]) -> String {
    let mut node = document.root_element();
    for name in path {
        node = node
            .children()
            .find(|child| child.has_tag_name((TASK_NAMESPACE, *name)))
            .unwrap_or_else(|| panic!("<{name}> in {path:?}"));
    }
    node.text().unwrap_or_default().to_string()
}

/// The action's `cmd.exe /d /c "…"` arguments, split into the commands
/// that cmd runs one after another (`&`).
fn cmd_commands(arguments: &str) -> Vec<String> {
    let inner = arguments
        .strip_prefix("/d /c \"")
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("cmd.exe /d /c \"…\": cmd removes the outer quotes and runs the rest");
    inner.split(" & ").map(str::to_string).collect()
}

#[test]
fn the_nightly_task_runs_every_night_and_catches_up_a_missed_one() {
    let xml = task_xml();
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let task = document.root_element();
    assert!(task.has_tag_name((TASK_NAMESPACE, "Task")));
    assert_eq!(task.attribute("version"), Some("1.2"));

    let trigger = ["Triggers", "CalendarTrigger"];
    assert!(text_at(&document, &[&trigger[..], &["StartBoundary"]].concat()).ends_with("T02:30:00"));
    assert_eq!(text_at(&document, &[&trigger[..], &["ScheduleByDay", "DaysInterval"]].concat()), "1");
    assert_eq!(text_at(&document, &["Settings", "StartWhenAvailable"]), "true");
    // A night that is still running when the next starts is not run twice;
    // the lock would make the second wait anyway.
    assert_eq!(text_at(&document, &["Settings", "MultipleInstancesPolicy"]), "IgnoreNew");
    assert_eq!(text_at(&document, &["Settings", "ExecutionTimeLimit"]), "PT2H");
    assert_eq!(text_at(&document, &["Settings", "DisallowStartIfOnBatteries"]), "false");
    assert_eq!(text_at(&document, &["Actions", "Exec", "Command"]), "cmd.exe");
    assert_eq!(text_at(&document, &["Actions", "Exec", "WorkingDirectory"]), r"C:\Rapporter");
}

#[test]
fn the_nightly_task_logs_a_build_that_the_binary_accepts() {
    let xml = task_xml();
    let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let commands = cmd_commands(&text_at(&document, &["Actions", "Exec", "Arguments"]));
    assert_eq!(commands.len(), 3, "{commands:?}");
    // In parentheses: cmd runs everything after an `if` on its line as
    // part of it, so the build would only run on the first night.
    assert_eq!(commands[0], "(if not exist logg mkdir logg)");
    assert_eq!(commands[1], format!("echo ===== %DATE% %TIME% >> {LOG}"));

    // "C:\statusrapport\statusrapport.exe" build … >> logg\statusrapport.log 2>&1
    let build = commands[2].strip_prefix(&format!("\"{PROGRAM}\" ")).expect("the program, quoted");
    let (arguments, redirect) = build.split_once(" >> ").expect("output appended to the log");
    assert_eq!(redirect, format!("{LOG} 2>&1"), "stdout and stderr both go to the log");
    let arguments: Vec<&str> = arguments.split(' ').collect();
    assert_eq!(arguments, ["build", "projekt", "-o", "ut", "--publicera"]);

    // The same arguments, in a folder laid out as the task expects.
    let dir = tempfile::tempdir().unwrap();
    let project = "skrivelse-delarsrapport-april-2023";
    copy_tree(&repo().join("data").join(project), &dir.path().join("projekt").join(project));
    let output =
        Command::new(env!("CARGO_BIN_EXE_statusrapport")).args(&arguments).current_dir(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(dir.path().join("ut").join(format!("{project}.pdf")).is_file());
    assert!(dir.path().join("ut/manifest.json").is_file());
}

#[test]
fn the_windows_readme_says_how_to_register_the_task_and_where_its_results_go() {
    let readme = fs::read_to_string(repo().join("docs/windows/LÄSMIG.txt")).unwrap();
    for needed in [
        r#"schtasks /Create /TN "statusrapport nattbygge" /XML nattbygge.xml"#,
        r#"Register-ScheduledTask -TaskName "statusrapport nattbygge" -Xml (Get-Content .\nattbygge.xml -Raw -Encoding UTF8)"#,
        r#"schtasks /Run /TN "statusrapport nattbygge""#,
        r"<WorkingDirectory>C:\Rapporter</WorkingDirectory>",
        &format!("\"{PROGRAM}\""),
        r"C:\Rapporter\ut\manifest.json",
        &format!(r"C:\Rapporter\{LOG}"),
        "Senaste körningsresultat",
    ] {
        assert!(readme.contains(needed), "LÄSMIG.txt should say {needed}");
    }
}

/// A project written on Windows names its files with `\`; the nightly build
/// on Linux reads the same file, whichever way TOML quotes the path.
#[test]
fn paths_written_with_backslashes_read_the_same_file_on_every_system() {
    for written in [r"fil = 'siffror\ekonomi\resultat.csv'", r#"fil = "siffror\\ekonomi\\resultat.csv""#] {
        let project = Project::example("manadsrapport-2017-09");
        fs::create_dir_all(project.path("siffror/ekonomi")).unwrap();
        fs::rename(project.path("siffror/resultat.csv"), project.path("siffror/ekonomi/resultat.csv")).unwrap();
        project.edit("rapport.toml", r#"fil = "siffror/resultat.csv""#, written);
        let built = project.build();
        assert!(built.has_pdf(), "{written}:\n{}", built.messages());
        let reference = Project::example("manadsrapport-2017-09").build().pdf().text();
        assert_eq!(built.pdf().text(), reference, "{written}");
    }
}

//! A project's own templates (`mallar`) are typeset in a child process that
//! is watched: a runaway template fails only its own report, and a good one
//! gives the same PDF as if typeset in-process.

use std::fs;
use std::path::Path;

use statusrapport::batch::{MANIFEST, Manifest, ReportStatus};

use crate::support::{repo, run, run_with_env};

const REPORT: &str = "typ = \"skrivelse\"\ntitel = \"Test\"\nnamnd = \"Nämnden\"\ndatum = \"2023-05-04\"\n[[avsnitt]]\nrubrik = \"Text\"\nkommentar = \"k.toml\"\n";
const COMMENTARY: &str = "status = \"granskad\"\ntext = '''\nEn mening om läget.\n'''\n";

/// A skrivelse in `root/name`, with its own copy of the built-in template
/// when `template` is given.
fn project(root: &Path, name: &str, template: Option<&str>) {
    let folder = root.join(name);
    fs::create_dir_all(folder.join("mallar")).unwrap();
    let report = match template {
        Some(_) => REPORT.replace("datum =", "mallar = \"mallar\"\ndatum ="),
        None => REPORT.to_string(),
    };
    fs::write(folder.join("rapport.toml"), report).unwrap();
    fs::write(folder.join("k.toml"), COMMENTARY).unwrap();
    if let Some(template) = template {
        fs::write(folder.join("mallar/skrivelse.typ"), template).unwrap();
    }
}

fn built_in() -> String {
    fs::read_to_string(repo().join("report-templates/skrivelse.typ")).unwrap()
}

fn manifest(out: &Path) -> Manifest {
    serde_json::from_slice(&fs::read(out.join(MANIFEST)).unwrap()).unwrap()
}

#[test]
fn a_runaway_project_template_fails_only_its_own_report() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("rapporter"), dir.path().join("ut"));
    project(&root, "vanlig", None);
    project(&root, "egen", Some(&built_in()));
    let first = run(&["build", "rapporter", "-o", "ut"], dir.path());
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let good = fs::read(out.join("egen.pdf")).unwrap();

    // Seconds: an endless loop. Memory: a range of 400 million values (a
    // child typesetting a skrivelse takes about 120 MB).
    let runaways = [
        (
            "#let n = 0\n#for i in range(100000) { for j in range(100000) { n += 1 } }\n",
            "3,4096",
            "har arbetat i mer än 3 s",
        ),
        ("#let x = range(400000000)\n#x.len()\n", "600,250", "har tagit mer än 250 MB minne"),
    ];
    for (template, limits, reason) in runaways {
        fs::write(root.join("egen/mallar/skrivelse.typ"), template).unwrap();
        fs::remove_file(out.join("vanlig.pdf")).unwrap();
        let limits = [("STATUSRAPPORT_MALLGRANS", limits)];
        let second = run_with_env(&["build", "rapporter", "-o", "ut", "--force"], dir.path(), &limits);
        assert_eq!(second.code, Some(1), "{}", second.stderr);
        let expected = format!(
            "fel: rapporter/egen/rapport.toml: rapportens egen mall (mallar i rapport.toml) {reason} och stoppades; \
             rapporten byggdes inte"
        );
        assert!(second.stderr.contains(&expected), "{}", second.stderr);
        assert!(second.stderr.contains("den förra PDF-filen ligger kvar"), "{}", second.stderr);
        assert_eq!(fs::read(out.join("egen.pdf")).unwrap(), good, "the old PDF is untouched");
        assert!(out.join("vanlig.pdf").exists(), "the other report is built");
        let statuses: Vec<(String, ReportStatus)> =
            manifest(&out).rapporter.into_iter().map(|entry| (entry.pdf, entry.status)).collect();
        assert_eq!(
            statuses,
            [("egen.pdf".to_string(), ReportStatus::Misslyckad), ("vanlig.pdf".to_string(), ReportStatus::Byggd)]
        );
    }
}

#[test]
fn a_good_project_template_gives_the_pdf_typeset_in_process() {
    // Two trees with a project of the same name (the name is in the PDF):
    // one with the built-in template, one with its copy as its own.
    let dir = tempfile::tempdir().unwrap();
    project(&dir.path().join("inbyggd"), "rapport", None);
    project(&dir.path().join("egen"), "rapport", Some(&built_in()));
    for tree in ["inbyggd", "egen"] {
        let built = run(&["build", tree, "-o", &format!("ut-{tree}")], dir.path());
        assert_eq!(built.code, Some(0), "{}", built.stderr);
    }
    let pdf = |tree: &str| fs::read(dir.path().join(format!("ut-{tree}/rapport.pdf"))).unwrap();
    assert!(pdf("egen") == pdf("inbyggd"), "the same bytes from the child process as in-process");
}

/// A child whose parent is killed (`kill -9` of a nightly run) is no longer
/// watched; it ends itself past the time limit instead of running on.
#[cfg(target_os = "linux")]
#[test]
fn a_child_outliving_its_killed_parent_ends_at_the_time_limit() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    let endless = "#let n = 0\n#for i in range(100000) { for j in range(100000) { n += 1 } }\n";
    project(&dir.path().join("rapporter"), "egen", Some(endless));
    let mut parent = Command::new(env!("CARGO_BIN_EXE_statusrapport"))
        .args(["check", "rapporter"])
        .env("STATUSRAPPORT_MALLGRANS", "4,4096")
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The child is started by a worker thread: look in every thread's list.
    let tasks = format!("/proc/{}/task", parent.id());
    let started = Instant::now();
    let child = loop {
        let threads = fs::read_dir(&tasks).unwrap().flatten();
        let listed: String =
            threads.map(|t| fs::read_to_string(t.path().join("children")).unwrap_or_default()).collect();
        if let Some(pid) = listed.split_whitespace().next() {
            break pid.to_string();
        }
        assert!(started.elapsed() < Duration::from_secs(30), "no child process started");
        std::thread::sleep(Duration::from_millis(20));
    };
    // Killed once the child has its request and is in the endless loop.
    std::thread::sleep(Duration::from_millis(1500));
    parent.kill().unwrap();
    parent.wait().unwrap();
    let killed = Instant::now();
    // Gone, or a zombie nobody reaps (state Z in /proc/PID/stat).
    let running = || {
        fs::read_to_string(format!("/proc/{child}/stat"))
            .is_ok_and(|stat| stat.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z')))
    };
    assert!(running(), "the child still runs when its parent is killed");
    while running() {
        if killed.elapsed() > Duration::from_secs(20) {
            let _ = Command::new("kill").args(["-9", &child]).status();
            panic!("the orphaned child runs on");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

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

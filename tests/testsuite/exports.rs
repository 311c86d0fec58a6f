//! The corpus of real-shaped exports (`tests/exports/`, written by
//! `skapa_exporter.py` the way finance systems, HR and telephony systems,
//! statistics services and Excel write them): each is read with only its
//! `rapport.toml` written, never edited, and every figure read must be the
//! one its `forvantat.csv` gives, and no other.

use statusrapport::metrics::Metrics;
use statusrapport::model::Variant;
use statusrapport::period::Month;
use statusrapport::{pipeline, validate};

use crate::support::{repo, run};

fn exports() -> Vec<std::path::PathBuf> {
    let mut folders: Vec<_> = std::fs::read_dir(repo().join("tests/exports"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("rapport.toml").is_file())
        .collect();
    folders.sort();
    folders
}

#[test]
fn every_export_is_read_as_it_comes() {
    let folders = exports();
    assert!(folders.len() >= 10, "the corpus has {} exports", folders.len());
    for folder in folders {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        let (mut cx, project) = pipeline::load(&folder);
        let project = project.expect("the report file is read");
        let report = validate::validate(&mut cx, &project, &Variant::Whole);
        let messages = statusrapport::diagnostic::render_plain(&cx.sources, &cx.diagnostics);
        let report = report.unwrap_or_else(|| panic!("{name}: not read:\n{messages}"));
        assert!(!cx.diagnostics.has_errors(), "{name}:\n{messages}");
        let metrics = Metrics::new(&report, &project.data);
        let expected = std::fs::read_to_string(folder.join("forvantat.csv")).unwrap();
        let mut count = 0;
        for line in expected.lines().skip(1) {
            let fields: Vec<&str> = line.split(';').collect();
            let [unit, metric, month, value] = fields[..] else { panic!("{name}: {line}") };
            let unit_id = report.units.iter().position(|u| u.id == unit).unwrap_or_else(|| panic!("{name}: {unit}"));
            let metric_id = report.metric_by_id(metric).unwrap_or_else(|| panic!("{name}: {metric}"));
            let read = metrics.value(metric_id, unit_id, Month::parse(month).unwrap());
            let wanted: Option<f64> = (!value.is_empty()).then(|| value.parse().unwrap());
            let same = match (read, wanted) {
                (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                (a, b) => a == b,
            };
            assert!(same, "{name}: {unit} {metric} {month}: read {read:?}, the export has {wanted:?}");
            count += 1;
        }
        assert_eq!(project.data.len(), count, "{name}: values read beyond those the export has");
    }
}

#[test]
fn every_export_passes_check() {
    let run = run(&["check", "tests/exports"], &repo());
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("inga fel"), "{}", run.stdout);
}

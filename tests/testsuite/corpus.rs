//! The corpus of broken report projects (`tests/corpus/`, one fault each):
//! `statusrapport check` on each must exit with 1 (the report's fault) or 2
//! (usage), never panic, and say in Swedish where and what; the message and
//! exit code are kept as snapshots.

use std::process::Command;

use crate::support::repo;

#[test]
fn every_broken_project_gets_a_clear_message() {
    let corpus = repo().join("tests/corpus");
    let mut folders: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name())
        .collect();
    folders.sort();
    assert!(folders.len() >= 50, "the corpus has {} projects", folders.len());
    for folder in folders {
        let name = folder.to_string_lossy().into_owned();
        let relative = format!("tests/corpus/{name}");
        let output = Command::new(env!("CARGO_BIN_EXE_statusrapport"))
            .args(["check", &relative])
            .current_dir(repo())
            .output()
            .expect("the binary runs");
        let code = output.status.code();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(matches!(code, Some(1 | 2)), "{name}: exit code {code:?}\n{stderr}");
        assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{name} panicked:\n{stderr}");
        assert!(stderr.contains("fel: "), "{name}: no error message:\n{stderr}");
        insta::assert_snapshot!(name.clone(), format!("slutkod {}\n{stdout}\n{stderr}", code.unwrap_or(-1)));
    }
}

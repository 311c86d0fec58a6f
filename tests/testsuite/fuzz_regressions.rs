//! Replays the fuzz targets' seeds and every input the fuzzer found a
//! problem with (`fuzz/seeds/`, `fuzz/regressions/`), on the stable
//! toolchain: none may panic.

use crate::support::repo;

fn replay(target: &str, run: fn(&[u8])) {
    let mut count = 0;
    for folder in ["fuzz/seeds", "fuzz/regressions"] {
        let Ok(entries) = std::fs::read_dir(repo().join(folder).join(target)) else { continue };
        for entry in entries.filter_map(|e| e.ok()).filter(|e| !e.file_name().to_string_lossy().starts_with('.')) {
            run(&std::fs::read(entry.path()).unwrap());
            count += 1;
        }
    }
    assert!(count > 0, "no inputs for {target}");
}

#[test]
fn csv() {
    replay("csv", statusrapport::fuzzing::csv);
}

#[test]
fn kommentar() {
    replay("kommentar", statusrapport::fuzzing::commentary);
}

#[test]
fn formel() {
    replay("formel", statusrapport::fuzzing::formula);
}

#[test]
fn projekt() {
    replay("projekt", statusrapport::fuzzing::project);
}

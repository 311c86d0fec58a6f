//! Times `watch`'s rebuild after one-line commentary edits, in the process
//! (as the watch loop runs it, without the file watcher's own delay):
//! `cargo run --release --example watch_rebuild -- RAPPORTMAPP [ÄNDRINGAR]`.
//! Prints JSON with the median, min and max milliseconds until the preview
//! pages were ready, and until the PDF was written too.

use std::fs;
use std::path::Path;

use statusrapport::pipeline::Options;
use statusrapport::render::Engine;
use statusrapport::watch::Session;

/// The allocator the binary uses, so that the times are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("a work folder");
    for entry in fs::read_dir(from).expect("the project folder").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("a copy");
        }
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let project = args.next().expect("usage: watch_rebuild RAPPORTMAPP [ÄNDRINGAR]");
    let edits: usize = args.next().map_or(20, |n| n.parse().expect("a number of edits"));
    let work = std::env::temp_dir().join(format!("watch-rebuild-{}", std::process::id()));
    let copy = work.join("rapport");
    copy_tree(Path::new(&project), &copy);
    let commentary = fs::read_dir(copy.join("kommentarer"))
        .expect("a kommentarer folder")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "md" || e == "toml"))
        .expect("a commentary file");
    let original = fs::read_to_string(&commentary).expect("the commentary");

    let engine = Engine::new();
    let mut session = Session::new(&engine, &copy, &work.join("ut"), Options::default());
    assert!(session.rebuild().ok, "the first build succeeds");
    let (mut preview, mut total) = (Vec::new(), Vec::new());
    for edit in 0..edits {
        let changed = original.replacen("\n- ", &format!("\n- Ändring {edit}: "), 1);
        fs::write(&commentary, changed).expect("the edit is written");
        let rebuild = session.rebuild();
        assert!(rebuild.ok, "{}", rebuild.messages);
        preview.push(rebuild.preview_ms);
        total.push(rebuild.total_ms);
    }
    let _ = fs::remove_dir_all(&work);
    let (min, max) = (preview.iter().copied().fold(f64::MAX, f64::min), preview.iter().copied().fold(0.0, f64::max));
    println!(
        "{{\"runs\": {edits}, \"preview_median_ms\": {:.2}, \"preview_min_ms\": {min:.2}, \"preview_max_ms\": {max:.2}, \"total_median_ms\": {:.2}}}",
        median(&mut preview),
        median(&mut total)
    );
}

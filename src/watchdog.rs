//! A watchdog over project templates. A project's own templates
//! (`mallar = "…"`) are Typst code the secretariat chose, and Typst has no
//! limit on time or memory: `range(400000000)` takes gigabytes, a long
//! `for` loop takes hours. While such a template is laid out, a thread
//! checks the time and the process's memory; past a limit it says which
//! report's template it was and ends the run (a thread running Typst cannot
//! be stopped any other way). The output folder stays consistent: PDFs are
//! replaced atomically and the manifest written during a run claims only
//! what is on disk.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Longest a project template may take to lay out one report.
pub const MOST_SECONDS: u64 = 60;
/// Most memory (resident, the whole process) while a project template is
/// laid out; a report needs a few hundred megabytes.
pub const MOST_MEGABYTES: u64 = 2048;

/// Reports whose own templates are being laid out: project folder and start.
static WATCHED: Mutex<Vec<(u64, PathBuf, Instant)>> = Mutex::new(Vec::new());

/// Watches while alive.
pub struct Watched {
    id: u64,
}

impl Drop for Watched {
    fn drop(&mut self) {
        if let Ok(mut watched) = WATCHED.lock() {
            watched.retain(|(id, ..)| *id != self.id);
        }
    }
}

/// Watches the layout of the report in `root` with its own templates.
pub fn watch(root: &Path) -> Watched {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    static THREAD: OnceLock<()> = OnceLock::new();
    THREAD.get_or_init(|| {
        // If the thread cannot start, the run goes on unwatched.
        let _ = std::thread::Builder::new().name("vakt".into()).spawn(patrol);
    });
    let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    WATCHED.lock().expect("the watchdog never panics holding it").push((id, root.to_path_buf(), Instant::now()));
    Watched { id }
}

fn patrol() {
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let Ok(watched) = WATCHED.lock() else { return };
        if watched.is_empty() {
            continue;
        }
        let slow = watched.iter().find(|(_, _, started)| started.elapsed() > Duration::from_secs(MOST_SECONDS));
        let what = match (slow, resident_megabytes()) {
            (Some((_, root, _)), _) => Some((vec![root.clone()], format!("har arbetat i mer än {MOST_SECONDS} s"))),
            (None, Some(megabytes)) if megabytes > MOST_MEGABYTES => Some((
                watched.iter().map(|(_, root, _)| root.clone()).collect(),
                format!("har tagit mer än {MOST_MEGABYTES} MB minne"),
            )),
            _ => None,
        };
        if let Some((roots, reason)) = what {
            for root in roots {
                eprintln!(
                    "fel: {}: rapportens egen mall (mallar i rapport.toml) {reason}; körningen avbryts så att \
                     datorn inte tar slut.\n  = tips: rätta mallen (en slinga utan slut, eller en mycket stor \
                     range?); PDF-filer som inte hann byggas ligger kvar som de var, och manifest.json nämner bara \
                     det som finns på disk",
                    crate::diagnostic::slashed(root.join(crate::config::REPORT_FILE))
                );
            }
            std::process::exit(i32::from(crate::error::REPORT_FAILED));
        }
    }
}

/// The process's resident memory, where the system tells it (Linux).
fn resident_megabytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024)
}

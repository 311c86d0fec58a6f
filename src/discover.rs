//! Finds the report projects under a path: every folder that holds a
//! `rapport.toml`, however deep. Hidden folders, output folders and build
//! folders are not searched, nor symlinks followed (which keeps the walk
//! inside the tree and finite). A subfolder that cannot be read is that
//! folder's error; the walk goes on past it.

use std::fs;
use std::path::{Path, PathBuf};

use crate::config::REPORT_FILE;
use crate::diagnostic::{self, Diagnostic};
use crate::error::io_reason;

/// Folders never searched for projects.
const SKIPPED: [&str; 3] = ["ut", "target", "node_modules"];

/// What a walk found.
#[derive(Debug, Default)]
pub struct Found {
    /// Report folders, sorted, so that runs are reproducible.
    pub projects: Vec<PathBuf>,
    /// One error per subfolder that could not be read.
    pub unreadable: Vec<Diagnostic>,
}

/// Report folders under `path`; `path` itself counts if it holds a report
/// file. Only `path` itself being unreadable is an error.
pub fn find_projects(path: &Path) -> std::io::Result<Found> {
    let mut found = Found::default();
    if path.join(REPORT_FILE).is_file() {
        found.projects.push(path.to_path_buf());
        return Ok(found);
    }
    let mut folders = vec![(path.to_path_buf(), fs::read_dir(path)?)];
    while let Some((folder, entries)) = folders.pop() {
        let mut subfolders = Vec::new();
        for entry in entries {
            let subfolder = entry.and_then(|entry| {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                let searched =
                    entry.file_type()?.is_dir() && !name.starts_with('.') && !SKIPPED.contains(&name.as_ref());
                Ok(searched.then(|| entry.path()))
            });
            match subfolder {
                Ok(Some(subfolder)) => subfolders.push(subfolder),
                Ok(None) => {}
                Err(error) => found.unreadable.push(unreadable(&folder, &error)),
            }
        }
        for subfolder in subfolders {
            if subfolder.join(REPORT_FILE).is_file() {
                found.projects.push(subfolder);
                continue;
            }
            match fs::read_dir(&subfolder) {
                Ok(entries) => folders.push((subfolder, entries)),
                Err(error) => found.unreadable.push(unreadable(&subfolder, &error)),
            }
        }
    }
    found.projects.sort();
    Ok(found)
}

fn unreadable(folder: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("mappen kan inte läsas ({}); rapporter i den byggs inte", io_reason(error)))
        .in_file(folder)
        .hint(format!(
            "ge den som kör statusrapport rätt att läsa {}, eller flytta mappen ur trädet",
            diagnostic::slashed(folder)
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_are_found_at_any_depth() {
        let dir = tempfile::tempdir().unwrap();
        let deep: PathBuf = (0..40).fold(dir.path().to_path_buf(), |path, i| path.join(format!("m{i}")));
        fs::create_dir_all(&deep).unwrap();
        fs::write(deep.join(REPORT_FILE), "").unwrap();
        fs::create_dir_all(dir.path().join("a/.dold")).unwrap();
        fs::write(dir.path().join("a/.dold").join(REPORT_FILE), "").unwrap();
        let found = find_projects(dir.path()).unwrap();
        assert_eq!(found.projects, [deep]);
        assert!(found.unreadable.is_empty());
    }

    /// A folder without read permission (root reads anything, so the test
    /// only asserts when the folder really is unreadable).
    #[cfg(unix)]
    #[test]
    fn an_unreadable_folder_is_its_own_error_and_the_walk_goes_on() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        for name in ["a/p", "b/stangd/q", "c/r"] {
            fs::create_dir_all(dir.path().join(name)).unwrap();
            fs::write(dir.path().join(name).join(REPORT_FILE), "").unwrap();
        }
        let closed = dir.path().join("b/stangd");
        fs::set_permissions(&closed, fs::Permissions::from_mode(0o000)).unwrap();
        let readable = fs::read_dir(&closed).is_ok();
        let found = find_projects(dir.path()).unwrap();
        fs::set_permissions(&closed, fs::Permissions::from_mode(0o755)).unwrap();
        if readable {
            return;
        }
        assert_eq!(found.projects, [dir.path().join("a/p"), dir.path().join("c/r")]);
        assert_eq!(found.unreadable.len(), 1);
        assert_eq!(found.unreadable[0].file.as_deref(), Some(closed.as_path()));
        assert!(found.unreadable[0].message.contains("behörighet saknas"), "{}", found.unreadable[0].message);
    }
}

//! Finds the report projects under a path: every folder that holds a
//! `rapport.toml`. Hidden folders, output folders and build folders are not
//! searched.

use std::fs;
use std::path::{Path, PathBuf};

use crate::config::REPORT_FILE;

/// Folders never searched for projects.
const SKIPPED: [&str; 3] = ["ut", "target", "node_modules"];

/// Report folders under `path`, sorted, so that runs are reproducible.
/// `path` itself counts if it holds a report file.
pub fn find_projects(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    visit(path, &mut found, 0)?;
    found.sort();
    Ok(found)
}

fn visit(folder: &Path, found: &mut Vec<PathBuf>, depth: usize) -> std::io::Result<()> {
    if folder.join(REPORT_FILE).is_file() {
        found.push(folder.to_path_buf());
        return Ok(());
    }
    if depth > 16 {
        return Ok(());
    }
    for entry in fs::read_dir(folder)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // Not following symlinks keeps the walk inside the tree and finite.
        if entry.file_type()?.is_dir() && !name.starts_with('.') && !SKIPPED.contains(&name.as_ref()) {
            visit(&entry.path(), found, depth + 1)?;
        }
    }
    Ok(())
}

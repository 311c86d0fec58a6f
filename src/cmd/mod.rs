//! One module per subcommand, each a small function over the library that
//! returns its exit code or an [`AppError`], which `main` prints.

pub mod approve;
pub mod build;
pub mod check;
pub mod eject;
pub mod hamta;
pub mod new;
pub mod next_period;
pub mod watch;

use std::path::{Path, PathBuf};

use statusrapport::error::AppError;

/// The report projects under `path`; none is an error.
pub fn projects_under(path: &Path) -> Result<Vec<PathBuf>, AppError> {
    match statusrapport::discover::find_projects(path) {
        Ok(projects) if projects.is_empty() => Err(AppError::NoProjects { path: path.to_path_buf() }),
        Ok(projects) => Ok(projects),
        Err(error) => Err(AppError::Unreadable { path: path.to_path_buf(), error }),
    }
}

/// A folder that must be one report project.
pub fn one_project(path: &Path, command: &'static str) -> Result<(), AppError> {
    if path.join(statusrapport::config::REPORT_FILE).is_file() {
        Ok(())
    } else {
        Err(AppError::NotAProject { path: path.to_path_buf(), command })
    }
}

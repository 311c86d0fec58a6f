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

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use statusrapport::diagnostic::{self, Diagnostic, JsonDiagnostic, Sources};
use statusrapport::discover::Found;
use statusrapport::error::AppError;

use crate::cli::OutputFormat;

/// The report projects under `path`; none is an error. Subfolders that
/// could not be read are shown as errors here, in `format`, and returned
/// as the number of them: the command goes on with the rest and fails.
pub fn projects_under(path: &Path, format: OutputFormat) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), AppError> {
    let Found { projects, unreadable } = statusrapport::discover::find_projects(path)
        .map_err(|error| AppError::Unreadable { path: path.to_path_buf(), error })?;
    let sources = Sources::default();
    let color = if std::io::stderr().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
    let mut stderr = StandardStream::stderr(color);
    for problem in &unreadable {
        match format {
            OutputFormat::Text => diagnostic::emit_one(&mut stderr, &sources, problem),
            OutputFormat::Json => {
                println!("{}", serde_json::to_string(&JsonDiagnostic::new(&sources, problem)).expect("serialises"))
            }
        }
    }
    if projects.is_empty() && unreadable.is_empty() {
        return Err(AppError::NoProjects { path: path.to_path_buf() });
    }
    Ok((projects, unreadable))
}

/// A folder that must be one report project.
pub fn one_project(path: &Path, command: &'static str) -> Result<(), AppError> {
    if path.join(statusrapport::config::REPORT_FILE).is_file() {
        Ok(())
    } else {
        Err(AppError::NotAProject { path: path.to_path_buf(), command })
    }
}

//! One module per subcommand, each a small function over the library.

pub mod build;
pub mod check;
pub mod eject;
pub mod new;
pub mod watch;

/// Exit code when at least one report failed (data, commentary, template).
pub const REPORT_FAILED: u8 = 1;
/// Exit code for usage and configuration errors.
pub const USAGE: u8 = 2;

/// The report projects under `path`, or the exit code after saying in
/// Swedish why there are none.
pub fn projects_under(path: &std::path::Path) -> Result<Vec<std::path::PathBuf>, u8> {
    match statusrapport::discover::find_projects(path) {
        Ok(projects) if projects.is_empty() => {
            eprintln!("fel: inga rapporter under {} (en rapportmapp innehåller rapport.toml)", path.display());
            Err(USAGE)
        }
        Ok(projects) => Ok(projects),
        Err(error) => {
            eprintln!("fel: {} kan inte läsas: {error}", path.display());
            Err(USAGE)
        }
    }
}

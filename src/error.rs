//! Errors that stop a command before or beside the reports themselves (no
//! reports found, an output folder that cannot be used), as typed values
//! with their exit code, and the operating system's reasons in Swedish.
//!
//! Problems in a report's own files are [`Diagnostic`](crate::diagnostic::Diagnostic)s
//! with a place; these have at most a path. The binary prints both in one
//! place, as text or as JSON lines.

use std::io;
use std::path::PathBuf;

use crate::diagnostic::slashed;

/// Exit code when at least one report failed (data, commentary, template).
pub const REPORT_FAILED: u8 = 1;
/// Exit code for usage and configuration errors.
pub const USAGE: u8 = 2;

/// What to do about an internal error (a bug of ours, never meant to happen).
pub const INTERNAL_ERROR_HINT: &str = "det är ett fel i verktyget, inte nödvändigtvis i dina filer: skicka \
                                       meddelandet och projektmappen till den som förvaltar statusrapport";

#[derive(Debug)]
pub enum AppError {
    /// The path holds no report project.
    NoProjects { path: PathBuf },
    /// A command for one report was given a folder without `rapport.toml`.
    NotAProject { path: PathBuf, command: &'static str },
    /// The path to search, or a folder under it, cannot be read.
    Unreadable { path: PathBuf, error: io::Error },
    /// The output folder cannot be created, locked or written.
    OutputUnusable { path: PathBuf, error: io::Error },
    /// The manifest could not be written after the reports were built.
    ManifestUnwritable { path: PathBuf, error: io::Error },
    /// `new` with a kind we do not make.
    UnknownKind { written: String, kinds: Vec<&'static str> },
    /// `new` into a folder that has files.
    FolderNotEmpty { path: PathBuf },
    /// A file or folder of a command's own output cannot be written.
    Unwritable { path: PathBuf, error: io::Error },
    /// `eject` of a report that has errors (shown above it).
    ReportHasErrors,
    /// `eject --enhet` for a unit without a PDF of its own.
    NoSuchUnitReport { unit: String, units: Vec<String> },
    /// The file watcher of `watch` cannot start or follow the folder.
    Watcher { path: PathBuf, reason: String },
    /// The preview server of `watch --serve` cannot start.
    PreviewServer { reason: String },
    /// `hamta` under a path whose reports have no `[[kalla]]`.
    NoSources { path: PathBuf },
}

impl AppError {
    pub fn exit_code(&self) -> u8 {
        match self {
            AppError::ManifestUnwritable { .. } | AppError::ReportHasErrors => REPORT_FAILED,
            _ => USAGE,
        }
    }

    /// The file or folder the error is about, for JSON output.
    pub fn path(&self) -> Option<&PathBuf> {
        match self {
            AppError::NoProjects { path }
            | AppError::NotAProject { path, .. }
            | AppError::Unreadable { path, .. }
            | AppError::OutputUnusable { path, .. }
            | AppError::ManifestUnwritable { path, .. }
            | AppError::FolderNotEmpty { path }
            | AppError::Unwritable { path, .. }
            | AppError::Watcher { path, .. }
            | AppError::NoSources { path } => Some(path),
            AppError::UnknownKind { .. }
            | AppError::ReportHasErrors
            | AppError::NoSuchUnitReport { .. }
            | AppError::PreviewServer { .. } => None,
        }
    }

    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            AppError::NoProjects { .. } => Some("en rapportmapp innehåller rapport.toml".into()),
            AppError::NotAProject { command, .. } => {
                Some(format!("`statusrapport {command}` tar en rapportmapp, den som innehåller rapport.toml"))
            }
            AppError::UnknownKind { .. } => Some("till exempel: statusrapport new statusrapport min-rapport".into()),
            AppError::FolderNotEmpty { .. } => Some("välj en ny mapp".into()),
            AppError::NoSuchUnitReport { unit, units } if units.is_empty() => Some(format!(
                "rapporten har inga enheter med egen PDF (per_enhet i rapport.toml); utan --enhet {unit} lämnas hela rapporten ut"
            )),
            AppError::NoSuchUnitReport { unit, units } => Some(crate::diagnostic::suggest(
                unit,
                units.iter().map(String::as_str),
                format!("enheterna med egen PDF är {}", units.join(", ")),
            )),
            AppError::NoSources { .. } => Some(
                "en källa skrivs som [[kalla]] i rapport.toml, till exempel typ = \"kolada\", nyckeltal = \"N70061\""
                    .into(),
            ),
            _ => None,
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::NoProjects { path } => write!(f, "inga rapporter under {}", slashed(path)),
            AppError::NotAProject { path, .. } => {
                write!(f, "{} är ingen rapportmapp (rapport.toml saknas)", slashed(path))
            }
            AppError::Unreadable { path, error } => {
                write!(f, "{} kan inte läsas: {}", slashed(path), io_reason(error))
            }
            AppError::OutputUnusable { path, error } => {
                write!(f, "utmappen {} kan inte användas: {}", slashed(path), io_reason(error))
            }
            AppError::ManifestUnwritable { path, error } => {
                write!(f, "manifestet kan inte skrivas i {}: {}", slashed(path), io_reason(error))
            }
            AppError::UnknownKind { written, kinds } => {
                write!(f, "okänd rapporttyp `{written}`; typerna är {}", kinds.join(", "))
            }
            AppError::FolderNotEmpty { path } => write!(f, "{} finns redan och är inte tom", slashed(path)),
            AppError::Unwritable { path, error } => {
                write!(f, "{} kan inte skrivas: {}", slashed(path), io_reason(error))
            }
            AppError::NoSuchUnitReport { unit, .. } => write!(f, "enheten `{unit}` har ingen egen PDF i rapporten"),
            AppError::ReportHasErrors => {
                f.write_str("rapporten kan inte lämnas ut som Typst förrän felen ovan är rättade")
            }
            AppError::Watcher { path, reason } => write!(f, "{} kan inte bevakas: {reason}", slashed(path)),
            AppError::PreviewServer { reason } => write!(f, "förhandsvisningen kan inte startas: {reason}"),
            AppError::NoSources { path } => {
                write!(f, "inga källor att hämta under {} ([[kalla]] saknas)", slashed(path))
            }
        }
    }
}

/// An I/O error of our own making, its reason already in Swedish (a file
/// that is not a regular file, or is too large); [`io_reason`] shows it as
/// it is.
#[derive(Debug)]
pub struct Said(pub String);

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Said {}

impl Said {
    pub fn error(kind: io::ErrorKind, reason: impl Into<String>) -> io::Error {
        io::Error::new(kind, Said(reason.into()))
    }
}

/// The operating system's reason for a failed file operation, in Swedish
/// (its own text is in the system's language, usually English).
pub fn io_reason(error: &io::Error) -> String {
    use io::ErrorKind::*;
    // Said in Swedish already: a file that Windows would not replace.
    if let Some(refused) = error.get_ref().and_then(|inner| inner.downcast_ref::<crate::publish::ReplaceRefused>()) {
        return refused.to_string();
    }
    if let Some(said) = error.get_ref().and_then(|inner| inner.downcast_ref::<Said>()) {
        return said.0.clone();
    }
    let reason = match error.kind() {
        NotFound => "filen eller mappen finns inte",
        PermissionDenied => "behörighet saknas",
        AlreadyExists => "finns redan",
        IsADirectory => "är en mapp, inte en fil",
        NotADirectory => "en del av sökvägen är en fil, inte en mapp",
        DirectoryNotEmpty => "mappen är inte tom",
        StorageFull => "disken är full",
        QuotaExceeded => "diskkvoten är slut",
        ReadOnlyFilesystem => "filsystemet är skrivskyddat",
        FileTooLarge => "filen är för stor",
        ResourceBusy => "filen används av ett annat program",
        TimedOut => "tiden gick ut",
        Interrupted => "avbröts",
        InvalidFilename => "ogiltigt filnamn",
        CrossesDevices => "kan inte flyttas mellan olika diskar",
        TooManyLinks => "för många länkar",
        InvalidData | UnexpectedEof => "filen är trasig eller avklippt",
        OutOfMemory => "minnet räcker inte",
        WouldBlock => "används av en annan process",
        _ => return unknown_reason(error),
    };
    reason.to_string()
}

/// A reason with no Swedish text: the system's code, so it can be looked up.
fn unknown_reason(error: &io::Error) -> String {
    match error.raw_os_error() {
        Some(code) => format!("systemfel {code} ({error})"),
        None => format!("systemfel ({error})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operating_system_reasons_are_in_swedish() {
        let missing = std::fs::read("/finns/inte").unwrap_err();
        assert_eq!(io_reason(&missing), "filen eller mappen finns inte");
        let error = AppError::OutputUnusable { path: "ut".into(), error: io::Error::from(io::ErrorKind::StorageFull) };
        assert_eq!(error.to_string(), "utmappen ut kan inte användas: disken är full");
        assert_eq!(error.exit_code(), USAGE);
        assert_eq!(AppError::ReportHasErrors.exit_code(), REPORT_FAILED);
    }
}

//! Publish: write a PDF so that readers only ever see the old complete file
//! or the new complete file. The bytes go to a temporary file in the output
//! folder, are flushed to disk, and the file is renamed over the old one.
//!
//! Windows refuses to rename over a file that another program holds open
//! (Adobe Reader holds an open PDF that way). Then the temporary file is
//! removed, the old file stays as it was, and the error says so in Swedish.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `folder/name` (`name` may have folders in it),
/// atomically replacing any earlier file.
pub fn write_atomically(folder: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let target = folder.join(name);
    let parent = target.parent().unwrap_or(folder);
    fs::create_dir_all(parent)?;
    let mut temporary = tempfile::Builder::new().prefix(".statusrapport-").suffix(".tmp").tempfile_in(parent)?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    if let Err(error) = temporary.persist(&target) {
        // Dropping the temporary file removes it: no half file is left.
        drop(error.file);
        return Err(explain_refused_replace(error.error));
    }
    Ok(target)
}

/// Windows errors for a rename over a file that another program holds
/// open or locked, or that is read-only. Elsewhere a file can be replaced
/// while someone reads it.
#[cfg(windows)]
const REFUSED_REPLACE: [u32; 3] = {
    use windows_sys::Win32::Foundation::{ERROR_ACCESS_DENIED, ERROR_LOCK_VIOLATION, ERROR_SHARING_VIOLATION};
    [ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION]
};
#[cfg(not(windows))]
const REFUSED_REPLACE: [u32; 0] = [];

/// Turns a refused replace into [`ReplaceRefused`]; other errors pass as
/// they are.
fn explain_refused_replace(error: std::io::Error) -> std::io::Error {
    match error.raw_os_error() {
        Some(code) if REFUSED_REPLACE.contains(&(code as u32)) => {
            std::io::Error::new(std::io::ErrorKind::ResourceBusy, ReplaceRefused)
        }
        _ => error,
    }
}

/// Windows would not replace the file: says what happened, that nothing was
/// lost and what to do. [`crate::error::io_reason`] shows it as it is.
#[derive(Debug)]
pub struct ReplaceRefused;

impl std::fmt::Display for ReplaceRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "filen är öppen i ett annat program (till exempel en PDF-läsare) eller skrivskyddad, och Windows \
             låter inte en sådan fil ersättas. Den tidigare filen ligger kvar orörd. Stäng filen i det andra \
             programmet och kör igen.",
        )
    }
}

impl std::error::Error for ReplaceRefused {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let folder = tempfile::tempdir().unwrap();
        write_atomically(folder.path(), "a.pdf", b"old").unwrap();
        write_atomically(folder.path(), "a.pdf", b"new").unwrap();
        assert_eq!(fs::read(folder.path().join("a.pdf")).unwrap(), b"new");
        assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_refused_replace_is_shown_in_swedish_as_it_is() {
        let error = std::io::Error::new(std::io::ErrorKind::ResourceBusy, ReplaceRefused);
        let shown = crate::error::io_reason(&error);
        assert!(shown.starts_with("filen är öppen i ett annat program"), "{shown}");
        assert!(shown.contains("Den tidigare filen ligger kvar orörd."), "{shown}");
    }

    #[test]
    fn other_errors_pass_unchanged() {
        let error = explain_refused_replace(std::io::Error::from(std::io::ErrorKind::NotFound));
        assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
    }

    /// A PDF reader that holds the file open, sharing it for reading only.
    #[cfg(windows)]
    #[test]
    fn a_pdf_open_in_a_reader_is_kept_and_the_error_says_why() {
        use std::os::windows::fs::OpenOptionsExt;
        use windows_sys::Win32::Storage::FileSystem::FILE_SHARE_READ;

        let folder = tempfile::tempdir().unwrap();
        write_atomically(folder.path(), "a.pdf", b"old").unwrap();
        let reader =
            fs::File::options().read(true).share_mode(FILE_SHARE_READ).open(folder.path().join("a.pdf")).unwrap();
        let error = write_atomically(folder.path(), "a.pdf", b"new").unwrap_err();
        assert!(error.get_ref().is_some_and(|inner| inner.is::<ReplaceRefused>()), "{error}");
        drop(reader);
        assert_eq!(fs::read(folder.path().join("a.pdf")).unwrap(), b"old");
        assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 1, "the temporary file is gone");
    }
}

//! Publish: write a PDF so that readers only ever see the old complete file
//! or the new complete file. The bytes go to a temporary file in the output
//! folder, are flushed to disk, and the file is renamed over the old one.
//!
//! The file gets the permissions a new file of the user's gets (the umask
//! decides, as for `cp`), or keeps those of the file it replaces, so that a
//! web server publishing the folder can still read it. A run killed before
//! the rename leaves its temporary file; the next run over the folder
//! removes it ([`remove_stale_temporaries`]).
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
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY_PREFIX).suffix(TEMPORARY_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created as `0666` minus the umask, like any new file of the user's.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temporary = builder.tempfile_in(parent)?;
    #[cfg(unix)]
    if let Ok(earlier) = fs::metadata(&target) {
        temporary.as_file().set_permissions(earlier.permissions())?;
    }
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    if let Err(error) = temporary.persist(&target) {
        // Dropping the temporary file removes it: no half file is left.
        drop(error.file);
        return Err(explain_refused_replace(error.error));
    }
    Ok(target)
}

const TEMPORARY_PREFIX: &str = ".statusrapport-";
const TEMPORARY_SUFFIX: &str = ".tmp";

/// Removes the temporary files that runs killed before their rename left in
/// `folder` and its subfolders (symlinks are not followed). Only for a
/// folder whose lock the caller holds, so that no other run is writing
/// there; a file that cannot be removed is left for the next run.
pub fn remove_stale_temporaries(folder: &Path) {
    let mut folders = vec![folder.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if kind.is_dir() {
                folders.push(entry.path());
            } else if kind.is_file() && name.starts_with(TEMPORARY_PREFIX) && name.ends_with(TEMPORARY_SUFFIX) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
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

    #[cfg(unix)]
    #[test]
    fn a_new_file_follows_the_umask_and_a_replaced_one_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().unwrap();
        let mode = |name: &str| fs::metadata(folder.path().join(name)).unwrap().permissions().mode() & 0o777;
        // The test process's umask, read the only way std allows: a new file.
        let probe = folder.path().join("probe");
        fs::write(&probe, b"").unwrap();
        let expected = mode("probe");
        fs::remove_file(&probe).unwrap();

        write_atomically(folder.path(), "a.pdf", b"old").unwrap();
        assert_eq!(mode("a.pdf"), expected);
        fs::set_permissions(folder.path().join("a.pdf"), fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(folder.path(), "a.pdf", b"new").unwrap();
        assert_eq!(mode("a.pdf"), 0o640);
    }

    #[test]
    fn stale_temporaries_are_removed_and_nothing_else() {
        let folder = tempfile::tempdir().unwrap();
        fs::create_dir_all(folder.path().join("a/b")).unwrap();
        for name in [".statusrapport-x1.tmp", "a/b/.statusrapport-y2.tmp", "a/b/rapport.pdf", "a/anteckning.tmp"] {
            fs::write(folder.path().join(name), b"x").unwrap();
        }
        remove_stale_temporaries(folder.path());
        assert!(!folder.path().join(".statusrapport-x1.tmp").exists());
        assert!(!folder.path().join("a/b/.statusrapport-y2.tmp").exists());
        assert!(folder.path().join("a/b/rapport.pdf").exists());
        assert!(folder.path().join("a/anteckning.tmp").exists());
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

//! Publish: write a PDF so that readers only ever see the old complete file
//! or the new complete file. The bytes go to a temporary file in the output
//! folder, are flushed to disk, and the file is renamed over the old one.

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
    temporary.persist(&target).map_err(|error| error.error)?;
    Ok(target)
}

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
}

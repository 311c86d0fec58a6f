//! The working state of one report's build, handed from stage to stage: the
//! files read (for quoting in messages), the messages themselves, and a
//! fingerprint of every byte read (for skipping what has not changed).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diagnostic::{Diagnostic, Diagnostics, Sources};

#[derive(Clone)]
pub struct Context {
    /// The project folder, as the user named it (messages show paths under it).
    pub root: PathBuf,
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    digest: Sha256,
}

impl Context {
    pub fn new(root: &Path) -> Context {
        Context {
            root: root.to_path_buf(),
            sources: Sources::default(),
            diagnostics: Diagnostics::default(),
            digest: Sha256::new(),
        }
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reports every problem of a result and keeps its value, if any.
    pub fn take<T>(&mut self, result: Result<T, Diagnostic>) -> Option<T> {
        result.map_err(|problem| self.report(problem)).ok()
    }

    /// Adds a file's bytes to the fingerprint, labelled with its path.
    pub fn add_to_digest(&mut self, label: &str, bytes: &[u8]) {
        add_labelled(&mut self.digest, label, bytes);
    }

    /// Hex SHA-256 of everything read so far, then of `extra`: what is not
    /// a project file (tool version, options). Only the hasher is copied.
    pub fn digest_with(&self, extra: &[(&str, &[u8])]) -> String {
        let mut digest = self.digest.clone();
        for (label, bytes) in extra {
            add_labelled(&mut digest, label, bytes);
        }
        hex(&digest.finalize())
    }
}

/// Adds one labelled item to a digest; the lengths keep `("ab", "c")` and
/// `("a", "bc")` apart.
fn add_labelled(digest: &mut Sha256, label: &str, bytes: &[u8]) {
    digest.update((label.len() as u64).to_le_bytes());
    digest.update(label.as_bytes());
    digest.update((bytes.len() as u64).to_le_bytes());
    digest.update(bytes);
}

/// Lower-case hex of a hash.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex SHA-256 of some bytes.
pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

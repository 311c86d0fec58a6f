//! The templates compiled into the binary, and a project's overrides of
//! them (`mallar = "mallar"` in `rapport.toml`: a `.typ` file there replaces
//! the built-in file of the same name; other files there may be imported).

use std::collections::BTreeMap;

use crate::diagnostic::SourceId;
use crate::kind::{Kind, SHARED_TEMPLATE};
use crate::render::VirtualFile;

/// The template files of a report: built-ins, replaced or added to by the
/// project's own.
pub fn template_files(
    overrides: &BTreeMap<String, (String, SourceId)>,
    shown: impl Fn(SourceId) -> String,
) -> Vec<VirtualFile> {
    let built_in = std::iter::once(SHARED_TEMPLATE).chain(Kind::ALL.map(Kind::template));
    let mut files: Vec<VirtualFile> = built_in
        .filter(|(name, _)| !overrides.contains_key(*name))
        .map(|(name, text)| VirtualFile {
            path: format!("/{name}"),
            bytes: text.as_bytes().to_vec(),
            shown_as: format!("report-templates/{name} (inbyggd mall)"),
        })
        .collect();
    files.extend(overrides.iter().map(|(name, (text, source))| VirtualFile {
        path: format!("/{name}"),
        bytes: text.as_bytes().to_vec(),
        shown_as: shown(*source),
    }));
    files
}

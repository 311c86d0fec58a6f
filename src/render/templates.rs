//! The templates compiled into the binary, and a project's overrides of
//! them (`mallar = "mallar"` in `rapport.toml`: a `.typ` file there replaces
//! the built-in file of the same name; other files there may be imported).

use std::collections::BTreeMap;

use crate::diagnostic::SourceId;
use crate::model::Kind;
use crate::render::VirtualFile;

/// Shared look: colours, fonts, footer, tables, charts, commentary.
pub const SHARED: &str = "gemensam.typ";

/// Every built-in template file, by name.
pub const BUILT_IN: [(&str, &str); 5] = [
    (SHARED, include_str!("../../report-templates/gemensam.typ")),
    ("statusrapport.typ", include_str!("../../report-templates/statusrapport.typ")),
    ("tjänsteskrivelse.typ", include_str!("../../report-templates/tjänsteskrivelse.typ")),
    ("skrivelse.typ", include_str!("../../report-templates/skrivelse.typ")),
    ("månadsrapport.typ", include_str!("../../report-templates/månadsrapport.typ")),
];

/// The template file a kind starts from.
pub fn main_file(kind: Kind) -> String {
    format!("{}.typ", kind.name())
}

/// The template files of a report: built-ins, replaced or added to by the
/// project's own.
pub fn template_files(
    overrides: &BTreeMap<String, (String, SourceId)>,
    shown: impl Fn(SourceId) -> String,
) -> Vec<VirtualFile> {
    let mut files: Vec<VirtualFile> = BUILT_IN
        .iter()
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

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

#[cfg(test)]
mod tests {
    use crate::kind::Kind;

    /// `watch` rebuilds a one-line commentary edit in a fraction of a full
    /// layout only because Typst finds everything else unchanged: a rule,
    /// function or `layout` that holds the whole data (`d`) changes with
    /// every edit, and every page is laid out again (a rebuild took five
    /// times as long). So the built-in templates touch `d` only for its
    /// sections and appendix, and take the rest through `doc`.
    #[test]
    fn the_built_in_templates_take_only_the_sections_from_the_whole_data() {
        for (name, text) in Kind::ALL.map(Kind::template) {
            assert!(text.contains("#let doc = document-wide(d)"), "{name}");
            for (number, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
                for (at, _) in code.match_indices('d') {
                    let (before, from) = code.split_at(at);
                    let alone = !before.ends_with(word) && !from[1..].starts_with(word);
                    let allowed = ["d.sections", "d.appendix", "d = json("].iter().any(|a| from.starts_with(a))
                        || ["document-wide(", "appendix("].iter().any(|a| before.ends_with(a));
                    assert!(!alone || allowed, "{name}:{}: `d` used outside the sections: {line}", number + 1);
                }
            }
        }
    }
}

//! Approval of a commentary text (`statusrapport godkann FIL --av NAMN`):
//! the file gets `status = "godkänd"`, who approved it, when, and a
//! fingerprint of the text. Validation then counts the text as approved
//! only while it is the text that was approved.
//!
//! The file's TOML (a Markdown file's front matter) is edited in place with
//! toml_edit, so its comments, order and layout stay as the writer left
//! them, and the file is written atomically.

use std::path::Path;

use chrono::NaiveDate;

use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::error::io_reason;
use crate::load;
use crate::model::text_fingerprint;

/// Marks the commentary file at `path` approved by `by` on `date`.
/// Problems (the file cannot be read, is not a commentary file, has no
/// text) are reported to `cx`; `false` if it was not approved.
pub fn approve(cx: &mut Context, path: &Path, by: &str, date: NaiveDate) -> bool {
    let Some(loaded) = load::commentary_file(cx, path) else { return false };
    if cx.diagnostics.has_errors() {
        return false;
    }
    if by.trim().is_empty() {
        cx.report(Diagnostic::error("ange vem som godkänner texten").hint("skriv till exempel --av \"Karin Ek\""));
        return false;
    }
    let text = cx.sources.text(loaded.source);
    let fingerprint = text_fingerprint(&loaded.text.value);
    let edited = crate::commentary_file::edit(text, &loaded.layout, |document| {
        crate::commentary_file::set_keeping_comment(document, "status", "godkänd");
        document["godkand_av"] = toml_edit::value(by.trim());
        document["godkand_datum"] = toml_edit::value(date.to_string());
        document["godkand_kontrollsumma"] = toml_edit::value(fingerprint);
    })
    .expect("the file's TOML parsed when it was loaded");
    let (folder, name) = (path.parent().unwrap_or(Path::new(".")), path.file_name().unwrap_or_default());
    match crate::publish::write_atomically(folder, &name.to_string_lossy(), edited.as_bytes()) {
        Ok(_) => true,
        Err(error) => {
            cx.report(Diagnostic::error(format!("filen kan inte skrivas: {}", io_reason(&error))).in_file(path));
            false
        }
    }
}

//! Approval of a commentary text (`statusrapport godkann FIL --av NAMN`):
//! the file gets `status = "godkänd"`, who approved it, when, and a
//! fingerprint of the text. Validation then counts the text as approved
//! only while it is the text that was approved.
//!
//! The file is edited in place with toml_edit, so its comments, order and
//! layout stay as the writer left them, and written atomically.

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
    let mut document: toml_edit::DocumentMut =
        cx.sources.text(loaded.source).parse().expect("the file parsed as TOML when it was loaded");
    document["status"] = toml_edit::value("godkänd");
    document["godkand_av"] = toml_edit::value(by.trim());
    document["godkand_datum"] = toml_edit::value(date.to_string());
    document["godkand_kontrollsumma"] = toml_edit::value(text_fingerprint(&loaded.file.text.value));
    let (folder, name) = (path.parent().unwrap_or(Path::new(".")), path.file_name().unwrap_or_default());
    match crate::publish::write_atomically(folder, &name.to_string_lossy(), document.to_string().as_bytes()) {
        Ok(_) => true,
        Err(error) => {
            cx.report(Diagnostic::error(format!("filen kan inte skrivas: {}", io_reason(&error))).in_file(path));
            false
        }
    }
}

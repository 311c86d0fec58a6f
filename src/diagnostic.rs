//! Problems found in a report project, with the place in the file they come
//! from, shown rustc-style to people (codespan-reporting) or as JSON lines to
//! machines.
//!
//! Every file the loader reads is registered in [`Sources`] with its decoded
//! text, so that a message can quote the line and point at the column even
//! for a Windows-1252 CSV or a template compiled into the binary.

use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CodespanDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::Buffer, termcolor::WriteColor};
use serde::Serialize;

/// How serious a problem is: an error stops the report, a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceId(usize);

/// A byte range in a registered file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub source: SourceId,
    pub span: Range<usize>,
}

/// One problem, in Swedish, with what to do about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Option<Location>,
    /// Only the file is known (it could not be read or parsed at all).
    pub file: Option<PathBuf>,
    pub hints: Vec<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, message: message.into(), location: None, file: None, hints: Vec::new() }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(message) }
    }

    pub fn at(mut self, source: SourceId, span: Range<usize>) -> Self {
        self.location = Some(Location { source, span });
        self
    }

    pub fn in_file(mut self, path: &Path) -> Self {
        self.file = Some(path.to_path_buf());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Problems collected while working on one report; one problem never hides
/// the next.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.0.len() - self.errors()
    }
}

/// The text of every file a report was built from, for quoting in messages.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<(String, String)>,
}

impl Sources {
    /// Registers a file by the name people know it by (its path relative to
    /// where the command was run) and its decoded text.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> SourceId {
        self.files.push((name.into(), text.into()));
        SourceId(self.files.len() - 1)
    }

    pub fn name(&self, id: SourceId) -> &str {
        &self.files[id.0].0
    }

    pub fn text(&self, id: SourceId) -> &str {
        &self.files[id.0].1
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, id: SourceId, offset: usize) -> (usize, usize) {
        let text = self.text(id);
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    /// `fil:rad:kolumn` of a diagnostic, or just the file, for one-line output.
    pub fn position(&self, diagnostic: &Diagnostic) -> Option<String> {
        if let Some(location) = &diagnostic.location {
            let (line, column) = self.line_column(location.source, location.span.start);
            Some(format!("{}:{line}:{column}", self.name(location.source)))
        } else {
            diagnostic.file.as_ref().map(|path| path.display().to_string())
        }
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Writes diagnostics the way rustc does: message, `fil:rad:kolumn`, the
/// source line with a caret under the place, and the hints; the severity in
/// Swedish (`fel`, `varning`).
pub fn emit_human(out: &mut dyn WriteColor, sources: &Sources, diagnostics: &Diagnostics) {
    let mut files = SimpleFiles::new();
    for (name, text) in &sources.files {
        files.add(name.as_str(), text.as_str());
    }
    let config = term::Config::default();
    for diagnostic in diagnostics.iter() {
        let mut rendered = match diagnostic.severity {
            Severity::Error => CodespanDiagnostic::error(),
            Severity::Warning => CodespanDiagnostic::warning(),
        };
        let mut message = diagnostic.message.clone();
        if diagnostic.location.is_none()
            && let Some(path) = &diagnostic.file
        {
            message = format!("{}: {message}", path.display());
        }
        rendered = rendered.with_message(message);
        if let Some(location) = &diagnostic.location {
            let text = sources.text(location.source);
            let start = floor_char_boundary(text, location.span.start.min(text.len()));
            let end = floor_char_boundary(text, location.span.end.clamp(start, text.len()));
            rendered = rendered.with_labels(vec![Label::primary(location.source.0, start..end)]);
        }
        let notes = diagnostic.hints.iter().map(|hint| format!("tips: {hint}")).collect();
        rendered = rendered.with_notes(notes);
        let mut buffer = if out.supports_color() { Buffer::ansi() } else { Buffer::no_color() };
        if term::emit_to_write_style(&mut buffer, &config, &files, &rendered).is_err() {
            continue;
        }
        // codespan-reporting names the severity in English; the header is the
        // first line and starts with it (after colour codes, if any).
        let text = String::from_utf8_lossy(buffer.as_slice());
        let (header, rest) = text.split_once('\n').unwrap_or((&text, ""));
        let header = match diagnostic.severity {
            Severity::Error => header.replacen("error", "fel", 1),
            Severity::Warning => header.replacen("warning", "varning", 1),
        };
        // A failed write to stderr has nowhere to be reported.
        let _ = write!(out, "{header}\n{rest}");
    }
}

/// Diagnostics as plain text, as `emit_human` writes them without colour
/// (for tests and logs).
pub fn render_plain(sources: &Sources, diagnostics: &Diagnostics) -> String {
    let mut buffer = Buffer::no_color();
    emit_human(&mut buffer, sources, diagnostics);
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// A diagnostic as one JSON object, for `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub severity: Severity,
    pub message: &'a str,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub hints: &'a [String],
}

impl<'a> JsonDiagnostic<'a> {
    pub fn new(sources: &Sources, diagnostic: &'a Diagnostic) -> Self {
        let (file, line, column) = match &diagnostic.location {
            Some(location) => {
                let (line, column) = sources.line_column(location.source, location.span.start);
                (Some(sources.name(location.source).to_string()), Some(line), Some(column))
            }
            None => (diagnostic.file.as_ref().map(|p| p.display().to_string()), None, None),
        };
        JsonDiagnostic {
            severity: diagnostic.severity,
            message: &diagnostic.message,
            file,
            line,
            column,
            hints: &diagnostic.hints,
        }
    }
}

/// The closest of `candidates` to a misspelled `word`, for "menade du …?".
/// Swedish letters are folded (`nämnd` finds `namnd`) because TOML keys are
/// written without å, ä and ö.
///
/// A candidate is close when few letters differ (one for short names, a
/// quarter of them for longer) or when the two are alike by Jaro–Winkler
/// (which forgives a dropped ending, `ack_avvikelse` for `ack_avvikelsen`).
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let folded = fold_swedish(word);
    let allowed_edits = (folded.chars().count() / 4).max(1);
    candidates
        .into_iter()
        .map(|candidate| {
            let other = fold_swedish(candidate);
            let edits = strsim::damerau_levenshtein(&folded, &other);
            let likeness = strsim::jaro_winkler(&folded, &other);
            (edits, likeness, candidate)
        })
        .filter(|(edits, likeness, _)| *edits <= allowed_edits || *likeness > 0.85)
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)))
        .map(|(_, _, candidate)| candidate)
}

/// Lowercases and replaces å, ä, ö (and é) by their plain letters.
pub fn fold_swedish(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            'é' => 'e',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let mut sources = Sources::default();
        let id = sources.add("a.toml", "titel = \"x\"\nnämnd = 3\n");
        assert_eq!(sources.line_column(id, 0), (1, 1));
        let offset = "titel = \"x\"\nnämnd = ".len();
        assert_eq!(sources.line_column(id, offset), (2, 9));
    }

    #[test]
    fn did_you_mean_folds_swedish_letters() {
        assert_eq!(did_you_mean("nämnd", ["namnd", "titel"]), Some("namnd"));
        assert_eq!(did_you_mean("titl", ["namnd", "titel"]), Some("titel"));
        assert_eq!(did_you_mean("xyz", ["namnd", "titel"]), None);
        assert_eq!(did_you_mean("v0", ["vo", "ftv"]), Some("vo"));
        assert_eq!(did_you_mean("ack_avvikelsen", ["ack_avvikelse", "avvikelse"]), Some("ack_avvikelse"));
    }
}

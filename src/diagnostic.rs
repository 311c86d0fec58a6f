//! Problems found in a report project, with the place in the file they come
//! from, shown rustc-style to people (codespan-reporting) or as JSON lines to
//! machines.
//!
//! Every file the loader reads is registered in [`Sources`] with its decoded
//! text, so that a message can quote the line and point at the column even
//! for a Windows-1252 CSV or a template compiled into the binary. A place in
//! a file is a [`Span`], which carries its file the way a Typst span carries
//! its file id; a value read from a TOML file keeps its span as a
//! [`Located`] value, so whichever file a name was written in, the one
//! resolver of names can point at it.
//!
//! An Excel sheet is registered as a text too, one line per sheet row and
//! one tab-separated field per cell, so that it can be quoted like a CSV
//! line; its places are shown the way Excel names them (`Blad1!D7`).

use std::cell::Cell;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CodespanDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::Buffer, termcolor::WriteColor};
use serde::{Deserialize, Serialize};

/// How serious a problem is: an error stops the report, a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(u32);

/// A byte range in a registered file. Twelve bytes, since every loaded
/// value of a data file keeps one (files are at most 4 GiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    pub source: SourceId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(source: SourceId, range: Range<usize>) -> Span {
        Span { source, start: range.start as u32, end: range.end as u32 }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Points a diagnostic at this span.
    pub fn locate(self, diagnostic: Diagnostic) -> Diagnostic {
        diagnostic.at(self)
    }
}

thread_local! {
    /// The file whose TOML is being deserialised, so that [`Located`]
    /// values can carry it; set only by [`reading`].
    static READING: Cell<Option<SourceId>> = const { Cell::new(None) };
}

/// Runs `parse` (a TOML deserialisation of `source`'s text) so that every
/// [`Located`] value it makes carries `source`.
pub fn reading<R>(source: SourceId, parse: impl FnOnce() -> R) -> R {
    let outer = READING.with(|current| current.replace(Some(source)));
    let result = parse();
    READING.with(|current| current.set(outer));
    result
}

/// A value as written in a file, with its place there.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Located<T> {
    pub fn new(value: T, span: Span) -> Located<T> {
        Located { value, span }
    }

    pub fn get_ref(&self) -> &T {
        &self.value
    }

    /// A diagnostic pointing at this value.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message).at(self.span)
    }

    pub fn warning(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(message).at(self.span)
    }
}

impl Located<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The value trimmed; `None` when blank.
    pub fn text(&self) -> Option<String> {
        Some(self.value.trim().to_string()).filter(|s| !s.is_empty())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = toml::Spanned::<T>::deserialize(deserializer)?;
        let span = spanned.span();
        // Outside `reading` (never in the tool itself) the place is unknown.
        let source = READING.with(Cell::get).unwrap_or(SourceId(u32::MAX));
        Ok(Located { value: spanned.into_inner(), span: Span::new(source, span) })
    }
}

/// One problem, in Swedish, with what to do about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Option<Span>,
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

    pub fn at(mut self, span: Span) -> Self {
        self.location = Some(span);
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

/// What a registered file is: a text (lines and columns) or an Excel sheet
/// shown as text (rows and lettered columns).
#[derive(Debug, Clone)]
enum Kind {
    Text,
    Sheet { sheet: String },
}

#[derive(Debug, Clone)]
struct SourceFile {
    name: String,
    text: String,
    kind: Kind,
}

/// The text of every file a report was built from, for quoting in messages.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<SourceFile>,
}

/// Where a problem is, as a person looks for it: a line and column in a
/// text, or a cell of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    /// 1-based line, or the sheet's row.
    pub line: usize,
    /// 1-based column in characters, or the sheet's column number.
    pub column: usize,
    /// `Blad1!D7` for a sheet.
    pub cell: Option<String>,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.cell {
            Some(cell) => write!(f, "{} {cell}", self.file),
            None => write!(f, "{}:{}:{}", self.file, self.line, self.column),
        }
    }
}

impl Sources {
    /// Registers a file by the name people know it by (its path relative to
    /// where the command was run) and its decoded text.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> SourceId {
        self.push(SourceFile { name: name.into(), text: text.into(), kind: Kind::Text })
    }

    /// Registers an Excel sheet shown as text: a line per row, cells
    /// separated by tabs, no tab or line break inside a cell.
    pub fn add_sheet(&mut self, file: impl Into<String>, sheet: &str, text: String) -> SourceId {
        self.push(SourceFile { name: file.into(), text, kind: Kind::Sheet { sheet: sheet.to_string() } })
    }

    fn push(&mut self, file: SourceFile) -> SourceId {
        self.files.push(file);
        SourceId(self.files.len() as u32 - 1)
    }

    fn file(&self, id: SourceId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn name(&self, id: SourceId) -> &str {
        self.file(id).map_or("", |f| f.name.as_str())
    }

    pub fn text(&self, id: SourceId) -> &str {
        self.file(id).map_or("", |f| f.text.as_str())
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        let text = self.text(span.source);
        let start = floor_char_boundary(text, span.start as usize);
        let end = floor_char_boundary(text, (span.end as usize).clamp(start, text.len()));
        &text[start..end]
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, id: SourceId, offset: usize) -> (usize, usize) {
        let text = self.text(id);
        let offset = floor_char_boundary(text, offset);
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    /// Where a span starts, as a person looks for it.
    pub fn place(&self, span: Span) -> Place {
        let (line, column) = self.line_column(span.source, span.start as usize);
        let file = self.name(span.source).to_string();
        match self.file(span.source).map(|f| &f.kind) {
            Some(Kind::Sheet { sheet }) => {
                let text = self.text(span.source);
                let offset = floor_char_boundary(text, span.start as usize);
                let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
                let column = text[line_start..offset].matches('\t').count() + 1;
                Place { file, line, column, cell: Some(cell_name(sheet, line, column)) }
            }
            _ => Place { file, line, column, cell: None },
        }
    }

    /// `fil:rad:kolumn` (or `fil Blad1!D7`) of a diagnostic, or just the
    /// file, for one-line output.
    pub fn position(&self, diagnostic: &Diagnostic) -> Option<String> {
        match diagnostic.location {
            Some(span) => Some(self.place(span).to_string()),
            None => diagnostic.file.as_ref().map(|path| path.display().to_string()),
        }
    }
}

/// `Blad1!D7`; a sheet name with spaces or punctuation is quoted as Excel
/// does (`'Resultat 2023'!D7`).
pub fn cell_name(sheet: &str, row: usize, column: usize) -> String {
    let plain = sheet.chars().all(|c| c.is_alphanumeric() || c == '_');
    let sheet = if plain { sheet.to_string() } else { format!("'{}'", sheet.replace('\'', "''")) };
    format!("{sheet}!{}{row}", column_letters(column))
}

/// Excel's column letters: 1 → A, 27 → AA, 16384 → XFD.
pub fn column_letters(mut column: usize) -> String {
    let mut letters = Vec::new();
    while column > 0 {
        let rest = (column - 1) % 26;
        letters.push(b'A' + rest as u8);
        column = (column - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

fn floor_char_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Writes diagnostics the way rustc does: message, `fil:rad:kolumn`, the
/// source line with a caret under the place, and the hints; the severity in
/// Swedish (`fel`, `varning`), and a sheet's place as Excel names it.
pub fn emit_human(out: &mut dyn WriteColor, sources: &Sources, diagnostics: &Diagnostics) {
    for diagnostic in diagnostics.iter() {
        emit_one(out, sources, diagnostic);
    }
}

/// One diagnostic, as [`emit_human`] writes each.
pub fn emit_one(out: &mut dyn WriteColor, sources: &Sources, diagnostic: &Diagnostic) {
    let mut files = SimpleFiles::new();
    for file in &sources.files {
        files.add(file.name.as_str(), file.text.as_str());
    }
    let config = term::Config::default();
    {
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
        let mut cell_locus = None;
        if let Some(span) = diagnostic.location
            && sources.file(span.source).is_some()
        {
            let text = sources.text(span.source);
            let start = floor_char_boundary(text, span.start as usize);
            let end = floor_char_boundary(text, (span.end as usize).clamp(start, text.len()));
            rendered = rendered.with_labels(vec![Label::primary(span.source.0 as usize, start..end)]);
            if let Some(cell) = sources.place(span).cell {
                // codespan-reporting writes `name:line:column`; a sheet's
                // place reads `name Blad1!D7`.
                let (line, column) = sources.line_column(span.source, start);
                let name = sources.name(span.source);
                cell_locus = Some((format!("{name}:{line}:{column}"), format!("{name} {cell}")));
            }
        }
        let notes = diagnostic.hints.iter().map(|hint| format!("tips: {hint}")).collect();
        rendered = rendered.with_notes(notes);
        let mut buffer = if out.supports_color() { Buffer::ansi() } else { Buffer::no_color() };
        if term::emit_to_write_style(&mut buffer, &config, &files, &rendered).is_err() {
            return;
        }
        // codespan-reporting names the severity in English; the header is the
        // first line and starts with it (after colour codes, if any).
        let text = String::from_utf8_lossy(buffer.as_slice());
        let (header, rest) = text.split_once('\n').unwrap_or((&text, ""));
        let header = match diagnostic.severity {
            Severity::Error => header.replacen("error", "fel", 1),
            Severity::Warning => header.replacen("warning", "varning", 1),
        };
        let rest = match &cell_locus {
            Some((written, wanted)) => rest.replacen(written.as_str(), wanted, 1),
            None => rest.to_string(),
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
    /// The sheet cell (`Blad1!D7`) for a place in an Excel file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    pub hints: &'a [String],
}

impl<'a> JsonDiagnostic<'a> {
    pub fn new(sources: &Sources, diagnostic: &'a Diagnostic) -> Self {
        let (file, line, column, cell) = match diagnostic.location {
            Some(span) => {
                let place = sources.place(span);
                (Some(place.file), Some(place.line), Some(place.column), place.cell)
            }
            None => (diagnostic.file.as_ref().map(|p| p.display().to_string()), None, None, None),
        };
        JsonDiagnostic {
            severity: diagnostic.severity,
            message: &diagnostic.message,
            file,
            line,
            column,
            cell,
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

/// The hint for a near miss, written the same way everywhere.
pub fn menade_du(suggestion: &str) -> String {
    format!("menade du `{suggestion}`?")
}

/// "menade du `x`?" for the nearest candidate, else `otherwise`.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>, otherwise: impl Into<String>) -> String {
    did_you_mean(word, candidates).map_or_else(|| otherwise.into(), menade_du)
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
    fn sheet_places_are_named_as_excel_names_cells() {
        let mut sources = Sources::default();
        let id = sources.add_sheet(
            "ekonomi.xlsx",
            "Blad1",
            "\nenhet\tmatt\tperiod\tvarde\nvch\tutfall\t2023-09\tx\n".into(),
        );
        let offset = "\nenhet\tmatt\tperiod\tvarde\nvch\tutfall\t2023-09\t".len();
        assert_eq!(sources.place(Span::new(id, offset..offset + 1)).to_string(), "ekonomi.xlsx Blad1!D3");
        assert_eq!(cell_name("Resultat 2023", 7, 28), "'Resultat 2023'!AB7");
        assert_eq!(column_letters(16384), "XFD");
        let diagnostics = {
            let mut d = Diagnostics::default();
            d.push(Diagnostic::error("`x` är inget tal").at(Span::new(id, offset..offset + 1)));
            d
        };
        let shown = render_plain(&sources, &diagnostics);
        assert!(shown.contains("┌─ ekonomi.xlsx Blad1!D3\n"), "{shown}");
    }

    #[test]
    fn did_you_mean_folds_swedish_letters() {
        assert_eq!(did_you_mean("nämnd", ["namnd", "titel"]), Some("namnd"));
        assert_eq!(did_you_mean("titl", ["namnd", "titel"]), Some("titel"));
        assert_eq!(did_you_mean("xyz", ["namnd", "titel"]), None);
        assert_eq!(did_you_mean("v0", ["vo", "ftv"]), Some("vo"));
        assert_eq!(did_you_mean("ack_avvikelsen", ["ack_avvikelse", "avvikelse"]), Some("ack_avvikelse"));
        assert_eq!(suggest("xyz", ["a"], "inga"), "inga");
    }

    #[test]
    fn located_values_carry_their_file() {
        #[derive(Deserialize)]
        struct File {
            titel: Located<String>,
        }
        let mut sources = Sources::default();
        sources.add("a.toml", "");
        let b = sources.add("b.toml", "titel = \"x\"");
        let file: File = reading(b, || toml::from_str("titel = \"x\"").unwrap());
        assert_eq!(file.titel.span, Span::new(b, 8..11));
    }
}

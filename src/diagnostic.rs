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
/// the next. At most [`MOST_PER_FILE`] are kept per file: beyond that one
/// message says how many more there are (a file of 100 000 broken rows
/// gives 100 messages and "… och 99 900 till", not a flood).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
    per_file: std::collections::HashMap<FileKey, PerFile>,
    hidden_errors: usize,
}

/// Messages kept per file.
pub const MOST_PER_FILE: usize = 100;

/// Whether a message is the one counting those not kept.
pub fn counts_hidden(diagnostic: &Diagnostic) -> bool {
    diagnostic.message.starts_with(HIDDEN_PREFIX)
}

const HIDDEN_PREFIX: &str = "… och ";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileKey {
    Source(SourceId),
    Path(PathBuf),
}

#[derive(Debug, Clone, Default)]
struct PerFile {
    count: usize,
    /// Index in the list of the message counting those not kept.
    summary: Option<usize>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let key = match (&diagnostic.location, &diagnostic.file) {
            (Some(span), _) => FileKey::Source(span.source),
            (None, Some(path)) => FileKey::Path(path.clone()),
            (None, None) => return self.list.push(diagnostic),
        };
        let file = self.per_file.entry(key).or_default();
        file.count += 1;
        if file.count <= MOST_PER_FILE {
            return self.list.push(diagnostic);
        }
        self.hidden_errors += usize::from(diagnostic.is_error());
        let hidden = file.count - MOST_PER_FILE;
        let message = format!(
            "{HIDDEN_PREFIX}{} {} till om samma fil visas inte (de första {MOST_PER_FILE} visas)",
            crate::swedish::format_number(hidden as f64, 0, false),
            if hidden == 1 { "meddelande" } else { "meddelanden" }
        );
        match file.summary {
            Some(index) => {
                let summary = &mut self.list[index];
                summary.message = message;
                if diagnostic.is_error() {
                    summary.severity = Severity::Error;
                }
            }
            None => {
                file.summary = Some(self.list.len());
                self.list.push(Diagnostic {
                    severity: diagnostic.severity,
                    message,
                    hints: vec!["rätta de första och kör igen; ofta har många samma orsak".to_string()],
                    ..diagnostic
                });
            }
        }
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Diagnostic::is_error)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }

    /// Errors found, also those not kept.
    pub fn errors(&self) -> usize {
        self.kept().filter(|d| d.is_error()).count() + self.hidden_errors
    }

    /// Warnings found, also those not kept.
    pub fn warnings(&self) -> usize {
        self.kept().filter(|d| !d.is_error()).count() + self.hidden().1
    }

    /// Errors and warnings not kept (counted in a summary message).
    pub fn hidden(&self) -> (usize, usize) {
        let hidden: usize = self.per_file.values().map(|f| f.count.saturating_sub(MOST_PER_FILE)).sum();
        (self.hidden_errors, hidden - self.hidden_errors)
    }

    /// The messages kept, without those counting the others.
    fn kept(&self) -> impl Iterator<Item = &Diagnostic> {
        let summaries: Vec<usize> = self.per_file.values().filter_map(|f| f.summary).collect();
        self.list.iter().enumerate().filter(move |(i, _)| !summaries.contains(i)).map(|(_, d)| d)
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
    /// Byte offset of each line's start, built at the first lookup: a
    /// place is then found by binary search, so that many messages about
    /// one large file cost no more than one pass over it.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    fn line_starts(&self) -> &[usize] {
        self.line_starts
            .get_or_init(|| std::iter::once(0).chain(self.text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    /// 0-based index of the line holding `offset`, and the line's start.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let starts = self.line_starts();
        let index = starts.partition_point(|&start| start <= offset).saturating_sub(1);
        (index, starts[index])
    }

    /// The byte range of a line, without its line break.
    fn line_range(&self, index: usize) -> Range<usize> {
        let starts = self.line_starts();
        let start = starts[index];
        let end = starts.get(index + 1).map_or(self.text.len(), |&next| next - 1);
        let end = if self.text[start..end].ends_with('\r') { end - 1 } else { end };
        start..end
    }
}

/// The text of every file a report was built from, for quoting in messages.
/// Shared, not copied, when a context is cloned (one per PDF of a report):
/// a data file may be tens of megabytes.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: Vec<std::sync::Arc<SourceFile>>,
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
        self.push(SourceFile {
            name: name.into(),
            text: text.into(),
            kind: Kind::Text,
            line_starts: Default::default(),
        })
    }

    /// Registers an Excel sheet shown as text: a line per row, cells
    /// separated by tabs, no tab or line break inside a cell.
    pub fn add_sheet(&mut self, file: impl Into<String>, sheet: &str, text: String) -> SourceId {
        let kind = Kind::Sheet { sheet: sheet.to_string() };
        self.push(SourceFile { name: file.into(), text, kind, line_starts: Default::default() })
    }

    fn push(&mut self, mut file: SourceFile) -> SourceId {
        file.name = slashed(&file.name);
        self.files.push(std::sync::Arc::new(file));
        SourceId(self.files.len() as u32 - 1)
    }

    fn file(&self, id: SourceId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize).map(|file| &**file)
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
        let Some(file) = self.file(id) else { return (1, 1) };
        let offset = floor_char_boundary(&file.text, offset);
        let (index, start) = file.line_of(offset);
        (index + 1, file.text[start..offset].chars().count() + 1)
    }

    /// Where a span starts, as a person looks for it.
    pub fn place(&self, span: Span) -> Place {
        let (line, column) = self.line_column(span.source, span.start as usize);
        let file = self.name(span.source).to_string();
        match self.file(span.source).map(|f| &f.kind) {
            Some(Kind::Sheet { sheet }) => {
                let text = self.text(span.source);
                let offset = floor_char_boundary(text, span.start as usize);
                let line_start = self.file(span.source).map_or(0, |f| f.line_starts()[line - 1]);
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
            None => diagnostic.file.as_ref().map(slashed),
        }
    }
}

/// A path as people see it in messages and in the manifest: `/` between
/// folders on every system, so that a message or a manifest reads the same
/// on Windows (which accepts `/` too) as elsewhere.
pub fn slashed(path: impl AsRef<Path>) -> String {
    let shown = path.as_ref().display().to_string();
    if cfg!(windows) { shown.replace('\\', "/") } else { shown }
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
    let config = term::Config::default();
    let mut rendered = match diagnostic.severity {
        Severity::Error => CodespanDiagnostic::error(),
        Severity::Warning => CodespanDiagnostic::warning(),
    };
    let mut message = visible(&diagnostic.message).into_owned();
    if diagnostic.location.is_none()
        && let Some(path) = &diagnostic.file
    {
        message = format!("{}: {message}", visible(&slashed(path)));
    }
    rendered = rendered.with_message(message);
    let mut cell_locus = None;
    let mut snippet = Snippet::default();
    if let Some(span) = diagnostic.location
        && let Some(file) = sources.file(span.source)
    {
        let label;
        (snippet, label) = Snippet::of(file, span);
        rendered = rendered.with_labels(vec![Label::primary((), label)]);
        if let Some(cell) = sources.place(span).cell {
            // codespan-reporting writes `name:line:column`; a sheet's
            // place reads `name Blad1!D7`.
            let (line, column) = sources.line_column(span.source, span.start as usize);
            let name = &snippet.name;
            cell_locus = Some((format!("{name}:{line}:{column}"), format!("{name} {cell}")));
        }
    }
    let notes = diagnostic.hints.iter().map(|hint| format!("tips: {}", visible(hint))).collect();
    rendered = rendered.with_notes(notes);
    let mut buffer = if out.supports_color() { Buffer::ansi() } else { Buffer::no_color() };
    if term::emit_to_write_style(&mut buffer, &config, &snippet, &rendered).is_err() {
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

/// Widest quoted line, in bytes: a longer line is cut to a window around
/// the place (a CSV header of 100 000 columns is one line).
const SNIPPET_WIDTH: usize = 160;

/// The lines a message quotes, as codespan-reporting reads a file: only
/// those lines, a long one cut to a window around the place, control
/// characters made visible, and the file's real line and column numbers.
#[derive(Default)]
struct Snippet {
    name: String,
    text: String,
    line_starts: Vec<usize>,
    /// Line number of the first line.
    first_line: usize,
    /// Where the first line's window starts in `text`, and its column in
    /// the file.
    window: (usize, usize),
}

impl Snippet {
    /// The snippet for a span, and the span's range in it.
    fn of(file: &SourceFile, span: Span) -> (Snippet, Range<usize>) {
        let text = &file.text;
        let start = floor_char_boundary(text, span.start as usize);
        let end = floor_char_boundary(text, (span.end as usize).clamp(start, text.len()));
        let (first, first_start) = file.line_of(start);
        let (last, _) = file.line_of(end.saturating_sub(1).max(start));
        let name = visible(&file.name).into_owned();
        let lines = file.line_range(first).start..file.line_range(last).end;
        if first != last && lines.len() <= 8 * SNIPPET_WIDTH {
            let quoted = format!("{}\n", shown_text(&text[lines.clone()]));
            let line_starts =
                std::iter::once(0).chain(quoted.match_indices('\n').map(|(i, _)| i + 1)).filter(|&i| i < quoted.len());
            let snippet = Snippet {
                name,
                line_starts: line_starts.collect(),
                text: quoted,
                first_line: first + 1,
                window: (0, 1),
            };
            return (snippet, start - lines.start..end - lines.start);
        }
        let line = &text[file.line_range(first)];
        let (a, b) = (start - first_start, (end - first_start).min(line.len()));
        let (from, to) = if line.len() <= SNIPPET_WIDTH {
            (0, line.len())
        } else {
            let from = floor_char_boundary(line, a.saturating_sub(SNIPPET_WIDTH / 3));
            let to = ceil_char_boundary(line, (from + SNIPPET_WIDTH).max(a + 1).min(line.len()));
            (from, to)
        };
        let before = if from > 0 { "…" } else { "" };
        let after = if to < line.len() { "…" } else { "" };
        let quoted = format!("{before}{}{after}\n", shown_text(&line[from..to]));
        let column = line[..from].chars().count() + 1;
        let label = before.len() + a - from..before.len() + b.clamp(a, to) - from;
        let snippet =
            Snippet { name, text: quoted, line_starts: vec![0], first_line: first + 1, window: (before.len(), column) };
        (snippet, label)
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Snippet {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.line_starts.partition_point(|&start| start <= byte_index).saturating_sub(1))
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.first_line + line_index)
    }

    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let start = self.line_range((), line_index)?.start;
        let byte_index = floor_char_boundary(&self.text, byte_index);
        if line_index == 0 {
            let (window, column) = self.window;
            return Ok(column + self.text.get(window..byte_index.max(window)).map_or(0, |t| t.chars().count()));
        }
        Ok(self.text.get(start..byte_index.max(start)).map_or(0, |t| t.chars().count()) + 1)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, codespan_reporting::files::Error> {
        let start = *self
            .line_starts
            .get(line_index)
            .ok_or(codespan_reporting::files::Error::LineTooLarge { given: line_index, max: self.line_starts.len() })?;
        let end = self.line_starts.get(line_index + 1).copied().unwrap_or(self.text.len());
        Ok(start..end)
    }
}

fn ceil_char_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index += 1;
    }
    index
}

/// A text for the terminal: every control character but tab and line
/// break shown as its code (`<U+001B>`), so that nothing read from a file
/// can move the cursor, change colours or clear the screen.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_terminal_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| if is_terminal_control(c) { format!("<U+{:04X}>", c as u32) } else { c.to_string() })
        .collect::<String>()
        .into()
}

fn is_terminal_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// A file's text for quoting: control characters become `?` of the same
/// length in bytes, so that places (byte offsets) stay right.
fn shown_text(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| is_terminal_control(c) && c != '\r') {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| if is_terminal_control(c) && c != '\r' { "?".repeat(c.len_utf8()) } else { c.to_string() })
        .collect::<String>()
        .into()
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
            None => (diagnostic.file.as_ref().map(slashed), None, None, None),
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
    fn snippets_and_messages_never_carry_terminal_escapes() {
        let mut sources = Sources::default();
        let id = sources.add("data.csv", "enhet;varde\nvo;\u{1b}[2J\u{1b}[31m12\n");
        let at = "enhet;varde\nvo;".len();
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(Diagnostic::error("`\u{1b}[31m12` är inget tal").at(Span::new(id, at..at + 1)).hint("\u{7}"));
        let shown = render_plain(&sources, &diagnostics);
        assert!(!shown.contains('\u{1b}') && !shown.contains('\u{7}'), "{shown:?}");
        assert!(shown.contains("`<U+001B>[31m12` är inget tal"), "{shown}");
        assert!(shown.contains("vo;?[2J?[31m12"), "{shown}");
        assert!(shown.contains("┌─ data.csv:2:4"), "{shown}");
    }

    #[test]
    fn a_flood_of_messages_about_one_file_is_counted_not_shown() {
        let mut sources = Sources::default();
        let text = "enhet;matt;period;varde\n".to_string() + &"vo;utfall;2023-09;n/a\n".repeat(5000);
        let id = sources.add("data.csv", text);
        let mut diagnostics = Diagnostics::default();
        for row in 0..5000 {
            let at = 24 + row * 22 + 18;
            diagnostics.push(Diagnostic::error("`n/a` är inget tal").at(Span::new(id, at..at + 3)));
        }
        diagnostics.push(Diagnostic::warning("utan fil"));
        assert_eq!(diagnostics.iter().count(), MOST_PER_FILE + 2);
        assert_eq!((diagnostics.errors(), diagnostics.warnings()), (5000, 1));
        let shown = render_plain(&sources, &diagnostics);
        assert!(
            shown.contains("fel: … och 4\u{a0}900 meddelanden till om samma fil visas inte (de första 100 visas)"),
            "{}",
            &shown[shown.len() - 600..]
        );
        assert!(shown.contains("┌─ data.csv:102:19"), "the count points at the first not shown: {shown}");
    }

    #[test]
    fn a_long_line_is_quoted_as_a_window_around_the_place() {
        let mut sources = Sources::default();
        let header: Vec<String> = (0..20_000).map(|i| format!("kolumn{i}")).collect();
        let text = header.join(";") + "\n";
        let id = sources.add("bred.csv", text.clone());
        let at = text.find("kolumn15000").unwrap();
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(Diagnostic::error("okänd kolumn `kolumn15000`").at(Span::new(id, at..at + 11)));
        let shown = render_plain(&sources, &diagnostics);
        assert!(shown.len() < 1000, "{shown}");
        assert!(shown.contains(&format!("┌─ bred.csv:1:{}", at + 1)), "{shown}");
        assert!(shown.contains("…") && shown.contains("kolumn15000"), "{shown}");
        let caret_line = shown.lines().find(|l| l.contains("^^^")).unwrap();
        let quoted_line = shown.lines().find(|l| l.contains("kolumn15000;")).unwrap();
        let caret = caret_line.chars().position(|c| c == '^').unwrap();
        assert!(quoted_line.chars().skip(caret).collect::<String>().starts_with("kolumn15000"), "{shown}");
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

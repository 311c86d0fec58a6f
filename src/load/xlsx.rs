//! Excel (and OpenDocument) sheets, read with calamine as typed cells:
//! numbers stay numbers, dates dates, and Excel's error values are named as
//! Excel shows them (`#DIV/0!`).
//!
//! For messages a sheet is also registered as text, one line per sheet row
//! and one tab-separated field per cell, written as Swedish Excel shows it
//! (`-21,5`, `2023-09-01`, `SANT`), so that a message can quote the row and
//! name the cell (`Blad1!D7`).

use std::io::Cursor;

use calamine::{CellErrorType, Data, Range, Reader, open_workbook_auto_from_rs};
use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, SourceId, Sources, Span};
use crate::load::rows::{Row, Rows, Value};

/// A sheet of a workbook, with the place of its first row in the text it
/// was registered as.
pub struct SheetRows {
    range: Range<Data>,
    source: SourceId,
    /// Next row of `range` to read.
    next: usize,
    /// Byte offset of each row's line in the registered text.
    line_starts: Vec<u32>,
    /// Empty columns before the range's first (A, B, … when it starts at C).
    first_column: usize,
}

impl SheetRows {
    /// Reads `sheet` (or the first sheet) of a workbook, registering it in
    /// `sources` under the file's name.
    pub fn open(bytes: &[u8], sheet: Option<&str>, file: &str, sources: &mut Sources) -> Result<SheetRows, String> {
        let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|error| match error {
            calamine::Error::Msg(_) => {
                "filen kan inte läsas som kalkylark (xlsx, xls eller ods); kontrollera att den är sparad från Excel"
                    .to_string()
            }
            other => format!("filen kan inte läsas som kalkylark: {other}"),
        })?;
        let names = workbook.sheet_names();
        let name = match sheet {
            Some(wanted) => names
                .iter()
                .find(|n| n.as_str() == wanted)
                .cloned()
                .ok_or_else(|| format!("bladet `{wanted}` finns inte; arbetsboken har {}", names.join(", ")))?,
            None => names.first().cloned().ok_or("arbetsboken har inga blad")?,
        };
        let range =
            workbook.worksheet_range(&name).map_err(|error| format!("bladet `{name}` kan inte läsas: {error}"))?;
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        let (first_row, first_column) = (first_row as usize, first_column as usize);
        let mut text = "\n".repeat(first_row);
        let mut line_starts = Vec::with_capacity(range.height());
        for row in range.rows() {
            line_starts.push(text.len() as u32);
            for _ in 0..first_column {
                text.push('\t');
            }
            for (index, cell) in row.iter().enumerate() {
                if index > 0 {
                    text.push('\t');
                }
                text.push_str(&shown(cell));
            }
            text.push('\n');
        }
        let source = sources.add_sheet(file, &name, text);
        Ok(SheetRows { range, source, next: 0, line_starts, first_column })
    }
}

impl Rows for SheetRows {
    fn source(&self) -> SourceId {
        self.source
    }

    fn next_row(&mut self, row: &mut Row) -> Result<bool, Diagnostic> {
        row.clear();
        let Some(&line_start) = self.line_starts.get(self.next) else { return Ok(false) };
        let index = self.next;
        self.next += 1;
        let mut offset = line_start as usize;
        for _ in 0..self.first_column {
            row.push(Value::Empty, "", Span::new(self.source, offset..offset));
            offset += 1;
        }
        for column in 0..self.range.width() {
            let cell = self.range.get((index, column)).unwrap_or(&Data::Empty);
            let text = shown(cell);
            row.push(value(cell), &text, Span::new(self.source, offset..offset + text.len()));
            offset += text.len() + 1;
        }
        Ok(true)
    }
}

/// A cell's typed value.
fn value(cell: &Data) -> Value {
    match cell {
        Data::Empty => Value::Empty,
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::Bool(b) => Value::Bool(*b),
        Data::String(_) | Data::DurationIso(_) => Value::Text,
        Data::DateTimeIso(text) => {
            NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d").map_or(Value::Text, Value::Date)
        }
        Data::DateTime(date) if date.is_datetime() => {
            let (year, month, day, ..) = date.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(year.into(), month.into(), day.into())
                .map_or(Value::Number(date.as_f64()), Value::Date)
        }
        Data::DateTime(date) => Value::Number(date.as_f64()),
        Data::Error(error) => Value::Error(error_name(error)),
    }
}

/// A cell as Swedish Excel shows it, on one line.
fn shown(cell: &Data) -> String {
    match value(cell) {
        Value::Empty => String::new(),
        Value::Number(number) => number.to_string().replace('.', ","),
        Value::Date(date) => date.to_string(),
        Value::Bool(true) => "SANT".into(),
        Value::Bool(false) => "FALSKT".into(),
        Value::Error(name) => name.into(),
        Value::Text => match cell {
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.replace(['\t', '\n', '\r'], " "),
            _ => String::new(),
        },
    }
}

/// Excel's name of an error value, as the cell shows it.
fn error_name(error: &CellErrorType) -> &'static str {
    match error {
        CellErrorType::Div0 => "#DIV/0!",
        CellErrorType::NA => "#N/A",
        CellErrorType::Name => "#NAME?",
        CellErrorType::Null => "#NULL!",
        CellErrorType::Num => "#NUM!",
        CellErrorType::Ref => "#REF!",
        CellErrorType::Value => "#VALUE!",
        CellErrorType::GettingData => "#GETTING_DATA",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_their_types() {
        assert_eq!(value(&Data::Float(-21.5)), Value::Number(-21.5));
        assert_eq!(shown(&Data::Float(-21.5)), "-21,5");
        assert_eq!(shown(&Data::String("a\tb".into())), "a b");
        assert_eq!(value(&Data::Error(CellErrorType::Div0)), Value::Error("#DIV/0!"));
        let date = calamine::ExcelDateTime::new(45170.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(value(&Data::DateTime(date)), Value::Date(NaiveDate::from_ymd_opt(2023, 9, 1).unwrap()));
    }

    #[test]
    fn garbage_is_not_a_workbook() {
        let mut sources = Sources::default();
        let error = SheetRows::open(b"not a workbook", None, "x.xlsx", &mut sources).err().unwrap();
        assert!(error.starts_with("filen kan inte läsas"));
    }
}

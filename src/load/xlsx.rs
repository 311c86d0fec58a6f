//! Excel (and OpenDocument) sheets, read with calamine as typed cells:
//! numbers stay numbers, dates dates, and Excel's error values are named as
//! Excel shows them (`#DIV/0!`).
//!
//! For messages a sheet is also registered as text, one line per sheet row
//! and one tab-separated field per cell, written as Swedish Excel shows it
//! (`-21,5`, `2023-09-01`, `SANT`), so that a message can quote the row and
//! name the cell (`Blad1!D7`).

use std::io::Cursor;

use std::io::{Read, Seek};

use calamine::{Cell, CellErrorType, Data, Dimensions, Range, Reader, Sheets, Xlsx, open_workbook_auto_from_rs};
use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, SourceId, Sources, Span, cell_name};
use crate::load::rows::{Row, Rows, Value};
use crate::load::table::{LARGEST_CELL, MOST_COLUMNS};

/// Most bytes a workbook may unpack to, measured while unpacking (the sizes
/// a zip file declares can lie): a workbook of a million rows of figures
/// fits.
const MOST_UNPACKED: u64 = 256 << 20;
/// Most cells in the rectangle from a sheet's first filled cell to its
/// last: cells only at A1 and XFD1048576 would make a rectangle of 17
/// billion cells.
const MOST_CELLS: u64 = 5_000_000;

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
        check_unpacked_size(bytes)?;
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
        let mut range = match &mut workbook {
            Sheets::Xlsx(xlsx) => bounded_range(xlsx, &name)?,
            // Other formats are read whole by calamine; their size is
            // bounded by the unpacked size above.
            other => {
                let range =
                    other.worksheet_range(&name).map_err(|error| format!("bladet `{name}` kan inte läsas: {error}"))?;
                if let (Some(start), Some(end)) = (range.start(), range.end()) {
                    check_extent(&name, start, end)?;
                }
                range
            }
        };
        spread_merged(&mut range, &merged_cells(&mut workbook, &name));
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

/// A zip archive (xlsx, ods) must unpack to at most [`MOST_UNPACKED`]
/// bytes, counted by unpacking; anything that is no zip is left to the
/// workbook reader.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    let mut total = 0u64;
    for index in 0..archive.len() {
        let Ok(entry) = archive.by_index(index) else { continue };
        let mut limited = entry.take(MOST_UNPACKED + 1 - total);
        total += std::io::copy(&mut limited, &mut std::io::sink()).unwrap_or(0);
        if total > MOST_UNPACKED {
            return Err(format!(
                "arbetsboken packas upp till mer än {} MB, gränsen för en datafil; spara bara bladet med \
                 rapportens siffror i en egen arbetsbok (eller som CSV)",
                MOST_UNPACKED >> 20
            ));
        }
    }
    Ok(())
}

/// Reads an xlsx sheet cell by cell, stopping at the first cell that breaks
/// a limit: the sheet's declared dimension is not trusted, and a rectangle
/// of cells is only made once it is known to be of reasonable size.
fn bounded_range<RS: Read + Seek>(xlsx: &mut Xlsx<RS>, name: &str) -> Result<Range<Data>, String> {
    let unreadable = |error: calamine::XlsxError| format!("bladet `{name}` kan inte läsas: {error}");
    let mut reader = xlsx.worksheet_cells_reader(name).map_err(unreadable)?;
    let mut cells = Vec::new();
    let (mut start, mut end) = ((u32::MAX, u32::MAX), (0, 0));
    while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(unreadable)? {
        let mut value: Data = cell.get_value().clone().into();
        if value == Data::Empty {
            continue;
        }
        // A cell formatted as a percentage holds 0,972 and shows 97,2 %:
        // read as shown, as `97,2 %` written as text is.
        if let Data::Float(number) = value
            && reader
                .styles()
                .get(style)
                .and_then(|s| s.number_format.as_ref())
                .is_some_and(|f| is_percent(&f.format_code))
        {
            value = Data::Float(percent_shown(number));
        }
        let (row, column) = cell.get_position();
        if let Data::String(text) = &value
            && text.len() > LARGEST_CELL
        {
            return Err(format!(
                "cellen {} har {} tecken; gränsen är {LARGEST_CELL} (en cell i en datafil är ett namn eller ett tal)",
                cell_name(name, row as usize + 1, column as usize + 1),
                text.chars().count()
            ));
        }
        start = (start.0.min(row), start.1.min(column));
        end = (end.0.max(row), end.1.max(column));
        check_extent(name, start, end)?;
        cells.push(Cell::new((row, column), value));
    }
    Ok(Range::from_sparse(cells))
}

/// Whether an Excel number format shows its number as a percentage
/// (`0,0%`): a `%` in the format for positive numbers that is not quoted
/// text or escaped.
fn is_percent(format: &str) -> bool {
    let (mut quoted, mut escaped) = (false, false);
    for c in format.split(';').next().unwrap_or_default().chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// The percentage a fraction shows as (0,972 → 97,2), without the binary
/// noise of the multiplication (97,19999999999999).
fn percent_shown(fraction: f64) -> f64 {
    (fraction * 100.0 * 1e9).round() / 1e9
}

/// The rectangle from `start` to `end` (0-based, inclusive) is within the
/// limits of a table of figures.
fn check_extent(name: &str, start: (u32, u32), end: (u32, u32)) -> Result<(), String> {
    let columns = u64::from(end.1 - start.1) + 1;
    let rows = u64::from(end.0 - start.0) + 1;
    if columns > MOST_COLUMNS as u64 || rows * columns > MOST_CELLS {
        let corner = |(row, column): (u32, u32)| cell_name(name, row as usize + 1, column as usize + 1);
        return Err(format!(
            "bladet har värden från {} till {}, {} kolumner och {} rader; gränsen är {MOST_COLUMNS} kolumner och {} \
             celler. Ta bort det som står långt ut i bladet (Ctrl+End i Excel visar den sista cellen)",
            corner(start),
            corner(end),
            columns,
            rows,
            crate::swedish::format_number(MOST_CELLS as f64, 0, false)
        ));
    }
    Ok(())
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

/// The merged cells of a sheet (xlsx and xls; none for other formats, or
/// when they cannot be read: the cells are then read as they are).
fn merged_cells(workbook: &mut Sheets<Cursor<&[u8]>>, name: &str) -> Vec<Dimensions> {
    match workbook {
        Sheets::Xlsx(xlsx) => xlsx.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(xls) => xls.merge_cells_by_sheet_name(name).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Gives every cell of a merged region the text (or date) its first cell
/// shows, as the user sees it: a heading merged over three month columns
/// heads all three, a unit merged over four rows names all four. Merged
/// numbers are left alone, so no figure is counted twice.
fn spread_merged(range: &mut Range<Data>, merged: &[Dimensions]) {
    let (Some(start), Some(end)) = (range.start(), range.end()) else { return };
    for region in merged {
        let Some(first) = range.get_value(region.start).cloned() else { continue };
        if !matches!(first, Data::String(_) | Data::DateTime(_) | Data::DateTimeIso(_)) {
            continue;
        }
        for row in region.start.0.max(start.0)..=region.end.0.min(end.0) {
            for column in region.start.1.max(start.1)..=region.end.1.min(end.1) {
                if (row, column) != region.start && range.get_value((row, column)).is_none_or(|c| *c == Data::Empty) {
                    range.set_value((row, column), first.clone());
                }
            }
        }
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
    fn a_sheet_spread_over_the_whole_grid_is_refused_without_allocating_it() {
        let error = check_extent("Blad1", (0, 0), (1_048_575, 16_383)).unwrap_err();
        assert!(error.starts_with("bladet har värden från Blad1!A1 till Blad1!XFD1048576"), "{error}");
        assert!(check_extent("Blad1", (0, 0), (1_000_000, 3)).is_ok());
        assert!(check_extent("Blad1", (0, 0), (10, 1500)).is_err());
    }

    #[test]
    fn percent_formats_are_told_from_others() {
        for percent in ["0%", "0.00%", "0,0 %", "#,##0.0%;-#,##0.0%", "[Red]0%"] {
            assert!(is_percent(percent), "{percent}");
        }
        for other in ["General", "0.0", "\"%\"0", "0\\%", "0;0%", "yyyy-mm-dd"] {
            assert!(!is_percent(other), "{other}");
        }
        assert_eq!(percent_shown(0.972), 97.2);
        assert_eq!(percent_shown(-0.015), -1.5);
    }

    #[test]
    fn garbage_is_not_a_workbook() {
        let mut sources = Sources::default();
        let error = SheetRows::open(b"not a workbook", None, "x.xlsx", &mut sources).err().unwrap();
        assert!(error.starts_with("filen kan inte läsas"));
    }
}

//! Excel (and OpenDocument) sheets, read with calamine and turned into
//! tab-separated text, one line per sheet row, so that the table reader and
//! its messages work as for CSV: line N of the text is row N of the sheet.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use chrono::{Duration, NaiveDate};

/// Reads `sheet` (or the first sheet) and returns its name and its text.
pub fn sheet_as_text(bytes: &[u8], sheet: Option<&str>) -> Result<(String, String), String> {
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
    let range = workbook.worksheet_range(&name).map_err(|error| format!("bladet `{name}` kan inte läsas: {error}"))?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let mut text = "\n".repeat(first_row as usize);
    for row in range.rows() {
        let cells: Vec<String> =
            std::iter::repeat_n(String::new(), first_column as usize).chain(row.iter().map(cell_text)).collect();
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    Ok((name, text))
}

/// A cell as the table reader expects it: numbers with a decimal point,
/// dates as `2023-09-01`, text without tabs or line breaks.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.replace(['\t', '\n', '\r'], " "),
        Data::DateTime(date) => excel_date(date.as_f64()).map_or_else(|| date.as_f64().to_string(), |d| d.to_string()),
        Data::Error(error) => format!("#{error:?}"),
    }
}

/// Excel's serial day number (days since 1899-12-30) as a date.
fn excel_date(serial: f64) -> Option<NaiveDate> {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_signed(Duration::try_days(serial.floor() as i64)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serial_dates() {
        assert_eq!(excel_date(45170.0).unwrap().to_string(), "2023-09-01");
        assert_eq!(cell_text(&Data::Float(-21.5)), "-21.5");
        assert_eq!(cell_text(&Data::String("a\tb".into())), "a b");
    }

    #[test]
    fn garbage_is_not_a_workbook() {
        assert!(sheet_as_text(b"not a workbook", None).unwrap_err().starts_with("filen kan inte läsas"));
    }
}

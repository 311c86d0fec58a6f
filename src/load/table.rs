//! Tables of figures as controllers deliver them, in long form (one row per
//! value) or wide form (one column per month), from any source of typed
//! rows (a CSV, an Excel sheet). Numbers typed by Excel are taken as they
//! are; numbers written as text are read the Swedish way (decimal comma or
//! point, the same throughout a column).

use crate::dataset::{DataSet, NewValue};
use crate::diagnostic::{Diagnostic, Sources, Span, did_you_mean, fold_swedish, menade_du};
use crate::keyword::Keyword;
use crate::load::rows::{Row, Rows, Value};
use crate::period::{Frequency, Month};
use crate::swedish;

/// Largest magnitude accepted in a cell; anything beyond is a unit mistake
/// (kronor in a mnkr column) or a broken export.
const LARGEST_VALUE: f64 = 1e15;

/// How a file is laid out, declared in `rapport.toml` or detected.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    pub shape: Option<Shape>,
    /// Unit of every row, for files without a unit column.
    pub unit: Option<(String, Span)>,
    /// Metric of every row, for files without a metric column.
    pub metric: Option<(String, Span)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `enhet;matt;period;varde`: one row per value.
    Long,
    /// `enhet;matt;2023-01;2023-02;…`: one column per month.
    Wide,
}

impl Keyword for Shape {
    const WHAT: &'static str = "form";
    const WORDS: &'static [(&'static str, Shape)] =
        &[("lång", Shape::Long), ("lang", Shape::Long), ("bred", Shape::Wide)];
}

/// The columns of a long file, by their Swedish names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Unit,
    Metric,
    Period,
    Value,
    /// `kalla`: where a figure comes from; read and accepted, not shown.
    Source,
    /// A column of values for one month or (`2023`) one year.
    Month(Month, Frequency),
}

const LONG_COLUMNS: [(&str, Column); 5] = [
    ("enhet", Column::Unit),
    ("matt", Column::Metric),
    ("period", Column::Period),
    ("varde", Column::Value),
    ("kalla", Column::Source),
];

/// A header cell's column: a Swedish column name, or a month (written, or
/// an Excel date) or year.
fn column_of(row: &Row, index: usize) -> Option<Column> {
    if let Some((month, frequency)) = cell_period(row, index) {
        return Some(Column::Month(month, frequency));
    }
    let name = row.text(index);
    let folded = fold_swedish(name);
    if let Some((_, column)) = LONG_COLUMNS.iter().find(|(n, _)| *n == folded) {
        return Some(*column);
    }
    (folded == "manad").then_some(Column::Period)
}

/// The month a cell names: an Excel date, or `2023-09`, `2023-09-30`,
/// `sep 2023`, `september 2023`; or a year, `2023` (written, or a whole
/// number in Excel), for yearly figures such as Kolada's, kept at December.
fn cell_period(row: &Row, index: usize) -> Option<(Month, Frequency)> {
    let year = |year: i32| Month::new(year, 12).map(|december| (december, Frequency::Yearly));
    match row.cell(index)?.value {
        Value::Date(date) => Month::of_date(date).map(|m| (m, Frequency::Monthly)),
        Value::Number(n) if n.fract() == 0.0 && (1000.0..10000.0).contains(&n) => year(n as i32),
        Value::Text => {
            let text = row.text(index).trim();
            if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
                return year(text.parse().ok()?);
            }
            parse_month_heading(text).map(|m| (m, Frequency::Monthly))
        }
        _ => None,
    }
}

fn parse_month_heading(text: &str) -> Option<Month> {
    let text = text.trim();
    if let Some(month) = Month::parse(text) {
        return Some(month);
    }
    // A day of the month: only a day that exists (not `2023-02-30`).
    if text.len() == 10 && text.as_bytes()[7] == b'-' {
        let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        return Month::of_date(date);
    }
    let (name, year) = text.rsplit_once(' ')?;
    Month::new(year.parse().ok()?, swedish::month_from_name(name)?)
}

/// Where the decimal mark of a column has been seen first, to catch a
/// column that mixes `21,5` and `21.5`.
#[derive(Debug, Clone, Copy)]
struct DecimalMark {
    mark: char,
    first: Span,
}

/// Reads one table of figures into `data`. Returns every problem found;
/// reading goes on after a bad row so that all problems show at once.
/// `delimiter` is the CSV separator, for hints (none for sheets).
pub fn read_table(
    rows: &mut dyn Rows,
    delimiter: Option<u8>,
    options: &TableOptions,
    data: &mut DataSet,
    sources: &Sources,
) -> Vec<Diagnostic> {
    let file_start = Span::new(rows.source(), 0..0);
    let mut row = Row::default();

    // The header.
    loop {
        match rows.next_row(&mut row) {
            Ok(false) => {
                return vec![
                    Diagnostic::error("filen är tom; den ska ha en rubrikrad och minst en rad med värden")
                        .at(file_start),
                ];
            }
            Ok(true) if row.is_blank() => continue,
            Ok(true) => break,
            Err(problem) => return vec![problem],
        }
    }
    if let Err(problem) = within_limits(&row, file_start) {
        return vec![problem];
    }
    let mut problems = Vec::new();
    let mut columns = Vec::with_capacity(row.len());
    for i in 0..row.len() {
        match column_of(&row, i) {
            Some(column) => columns.push(column),
            None => {
                let name = row.text(i);
                let mut problem = row.span(i, file_start).locate(Diagnostic::error(format!(
                    "okänd kolumn `{name}`; kolumnerna heter enhet, matt, period, varde (lång form) eller är månader som 2023-09 (bred form)"
                )));
                if let Some(suggestion) = did_you_mean(name, LONG_COLUMNS.iter().map(|(n, _)| *n)) {
                    problem = problem.hint(menade_du(suggestion));
                } else if name.is_empty() {
                    problem = problem.hint("ge kolumnen en rubrik, eller ta bort den tomma kolumnen");
                }
                problems.push(problem);
                columns.push(Column::Source);
            }
        }
    }
    if !problems.is_empty() {
        return problems;
    }
    let header_start = row.span(0, file_start);
    let has = |wanted: Column| columns.contains(&wanted);
    let detected = if has(Column::Period) || has(Column::Value) {
        Shape::Long
    } else if columns.iter().any(|c| matches!(c, Column::Month(..))) {
        Shape::Wide
    } else {
        return vec![header_start.locate(
            Diagnostic::error("det går inte att se hur filen är ordnad: rubrikraden har varken kolumnerna period och varde eller några månader")
                .hint("lång form: enhet;matt;period;varde, bred form: enhet;matt;2023-01;2023-02;…"),
        )];
    };
    let shape = options.shape.unwrap_or(detected);
    let mut missing = Vec::new();
    if !has(Column::Unit) && options.unit.is_none() {
        missing.push("enhet");
    }
    if !has(Column::Metric) && options.metric.is_none() {
        missing.push("matt");
    }
    if shape == Shape::Long {
        missing.extend(
            ["period", "varde"]
                .into_iter()
                .zip([Column::Period, Column::Value])
                .filter(|(_, c)| !has(*c))
                .map(|(n, _)| n),
        );
    }
    if !missing.is_empty() {
        return vec![
            header_start.locate(
                Diagnostic::error(format!("kolumnen {} saknas", missing.join(", ")))
                    .hint("lägg till kolumnen, eller ange enhet/matt för hela filen under [[data]] i rapport.toml"),
            ),
        ];
    }
    if shape == Shape::Wide && (has(Column::Period) || has(Column::Value)) {
        return vec![header_start.locate(Diagnostic::error(
            "filen är angiven som bred (en kolumn per månad) men har kolumnerna period/varde som hör till lång form",
        ))];
    }
    let position = |wanted: Column| columns.iter().position(|c| *c == wanted);
    let unit_column = position(Column::Unit);
    let metric_column = position(Column::Metric);
    let mut marks: Vec<Option<DecimalMark>> = vec![None; columns.len()];

    loop {
        match rows.next_row(&mut row) {
            Ok(false) => break,
            Ok(true) => {}
            Err(problem) => {
                problems.push(problem);
                break;
            }
        }
        if row.is_blank() {
            continue;
        }
        if let Err(problem) = within_limits(&row, file_start) {
            problems.push(problem);
            continue;
        }
        if row.len() != columns.len() {
            let extra_are_empty =
                row.len() > columns.len() && row.cells()[columns.len()..].iter().all(|c| c.value == Value::Empty);
            if !extra_are_empty {
                let mut problem = row.span(row.len().min(columns.len()).saturating_sub(1), file_start).locate(
                    Diagnostic::error(format!("raden har {} fält men rubrikraden har {}", row.len(), columns.len())),
                );
                if delimiter == Some(b',') {
                    problem = problem
                        .hint("i en kommaseparerad fil måste tal med decimalkomma stå inom citattecken: \"21,5\"");
                } else {
                    problem = problem.hint("varje rad ska ha lika många fält som rubrikraden");
                }
                problems.push(problem);
                continue;
            }
        }
        let (unit, unit_origin) = named(&row, unit_column, &options.unit, file_start);
        let (metric, metric_origin) = named(&row, metric_column, &options.metric, file_start);
        if unit.is_empty() || metric.is_empty() {
            let (column, what) = if unit.is_empty() { (unit_column, "enhet") } else { (metric_column, "matt") };
            problems.push(
                row.span(column.unwrap_or(0), file_start)
                    .locate(Diagnostic::error(format!("raden saknar {what}")))
                    .hint("fyll i cellen eller ta bort raden"),
            );
            continue;
        }
        let mut add = |(month, frequency): (Month, Frequency), value_column: usize, problems: &mut Vec<Diagnostic>| {
            let value_origin = row.span(value_column, file_start);
            let value = match read_value(&row, value_column, &mut marks[value_column], value_origin, sources) {
                Ok(value) => value,
                Err(problem) => return problems.push(problem),
            };
            let new = NewValue { metric, unit, month, frequency, value, metric_origin, unit_origin, value_origin };
            if let Err(problem) = data.insert(new, sources) {
                problems.push(problem);
            }
        };
        match shape {
            Shape::Long => {
                let period_column = position(Column::Period).expect("checked above");
                let value_column = position(Column::Value).expect("checked above");
                match cell_period(&row, period_column) {
                    Some(period) => add(period, value_column, &mut problems),
                    None => problems.push(
                        row.span(period_column, file_start)
                            .locate(Diagnostic::error(format!("`{}` är ingen månad", row.text(period_column))))
                            .hint("skriv månaden som år-månad, till exempel 2023-09 (eller året, 2023, för årsvärden)"),
                    ),
                }
            }
            Shape::Wide => {
                for (i, column) in columns.iter().enumerate() {
                    if let Column::Month(month, frequency) = column {
                        add((*month, *frequency), i, &mut problems);
                    }
                }
            }
        }
    }
    problems
}

/// Most columns of a table: a wide table of a hundred years of months fits.
pub const MOST_COLUMNS: usize = 1200;
/// Longest cell, in bytes: a name or a number, never a text of pages.
pub const LARGEST_CELL: usize = 1000;

/// A row within the limits of a table of figures; more is no export of
/// figures but a mistake or an attack, and reading on would cost memory
/// and time for nothing.
fn within_limits(row: &Row, file_start: Span) -> Result<(), Diagnostic> {
    if row.len() > MOST_COLUMNS {
        return Err(row.span(MOST_COLUMNS, file_start).locate(
            Diagnostic::error(format!("raden har {} kolumner; gränsen är {MOST_COLUMNS}", row.len()))
                .hint("en datafil har kolumnerna enhet, matt och period/varde, eller en kolumn per månad; ta bort övriga kolumner eller dela upp filen"),
        ));
    }
    if let Some(index) = (0..row.len()).find(|&i| row.text(i).len() > LARGEST_CELL) {
        return Err(row.span(index, file_start).locate(
            Diagnostic::error(format!(
                "cellen har {} tecken; gränsen är {LARGEST_CELL}",
                row.text(index).chars().count()
            ))
            .hint("en cell i en datafil är ett namn eller ett tal; kontrollera exporten (saknas ett citattecken eller en radbrytning?)"),
        ));
    }
    Ok(())
}

/// A name from its column, or the file's declared name for every row.
fn named<'a>(
    row: &'a Row,
    column: Option<usize>,
    declared: &'a Option<(String, Span)>,
    file_start: Span,
) -> (&'a str, Span) {
    match (column, declared) {
        (Some(i), _) => (row.text(i), row.span(i, file_start)),
        (None, Some((name, span))) => (name.as_str(), *span),
        (None, None) => unreachable!("checked above: a column or a default exists"),
    }
}

/// Reads one value cell: empty is missing; a number Excel typed is taken as
/// it is; a text is a number with at most one decimal mark, the same mark
/// throughout the column.
fn read_value(
    row: &Row,
    index: usize,
    mark: &mut Option<DecimalMark>,
    origin: Span,
    sources: &Sources,
) -> Result<Option<f64>, Diagnostic> {
    let text = row.text(index);
    let value = match row.cell(index).map_or(Value::Empty, |c| c.value) {
        Value::Empty => return Ok(None),
        Value::Number(value) => value,
        Value::Text => parse_text_number(text, mark, origin, sources)?,
        Value::Error(name) => {
            return Err(origin
                .locate(Diagnostic::error(format!("cellen visar Excels felvärde `{name}`, inget tal")))
                .hint("rätta formeln i Excel, eller lämna cellen tom om värdet saknas"));
        }
        Value::Date(_) | Value::Bool(_) => {
            return Err(origin
                .locate(Diagnostic::error(format!("`{text}` är inget tal")))
                .hint("cellen är formaterad som datum eller sant/falskt i Excel; ge den talformat"));
        }
    };
    if !value.is_finite() || value.abs() > LARGEST_VALUE {
        return Err(origin
            .locate(Diagnostic::error(format!("talet `{text}` är orimligt stort")))
            .hint("kontrollera enheten (kronor i stället för mnkr?) och exporten"));
    }
    Ok(Some(value))
}

/// A number written as text, the Swedish way or as a spreadsheet exports it.
fn parse_text_number(
    text: &str,
    mark: &mut Option<DecimalMark>,
    origin: Span,
    sources: &Sources,
) -> Result<f64, Diagnostic> {
    let Some(value) = swedish::parse_number(text) else {
        let lower = text.to_lowercase();
        let hint = if ["nan", "inf", "-inf", "infinity", "#n/a", "#div/0!", "#värdefel!", "#saknas!"]
            .contains(&lower.as_str())
        {
            "lämna cellen tom om värdet saknas"
        } else {
            "skriv talet med siffror, till exempel −21,5; lämna cellen tom om värdet saknas"
        };
        let message = match super::characters::hidden_in(text) {
            Some(hidden) => format!("`{text}` är inget tal: det har tecken som inte syns, {hidden}"),
            None => format!("`{text}` är inget tal"),
        };
        return Err(origin.locate(Diagnostic::error(message)).hint(hint));
    };
    if let Some(this_mark) = text.chars().find(|c| *c == ',' || *c == '.') {
        match mark {
            None => *mark = Some(DecimalMark { mark: this_mark, first: origin }),
            Some(seen) if seen.mark != this_mark => {
                return Err(origin
                    .locate(Diagnostic::error(format!(
                        "kolumnen blandar decimalkomma och decimalpunkt: `{text}` har `{this_mark}`, tidigare värden `{}`",
                        seen.mark
                    )))
                    .hint(format!(
                        "använd samma decimaltecken i hela kolumnen; det första värdet med `{}` står i {}",
                        seen.mark,
                        sources.place(seen.first)
                    )));
            }
            Some(_) => {}
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::csv::CsvRows;

    fn read(text: &str) -> (DataSet, Vec<String>) {
        let mut sources = Sources::default();
        let source = sources.add("test.csv", text);
        let mut data = DataSet::default();
        let mut rows = CsvRows::new(text, source, None);
        let problems = read_table(&mut rows, Some(b';'), &TableOptions::default(), &mut data, &sources);
        let messages =
            problems.iter().map(|p| format!("{} {}", sources.position(p).unwrap_or_default(), p.message)).collect();
        (data, messages)
    }

    fn value(data: &DataSet, metric: &str, unit: &str, month: &str) -> Option<f64> {
        data.series(metric, unit)?.get(Month::parse(month)?)?.value
    }

    #[test]
    fn reads_the_long_form() {
        let (data, problems) = read("enhet;matt;period;varde\nvch;resultat;2023-09;-21,5\nvch;resultat;2023-08;\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(value(&data, "resultat", "vch", "2023-09"), Some(-21.5));
        assert_eq!(value(&data, "resultat", "vch", "2023-08"), None);
        assert_eq!(data.len(), 2);
    }

    #[test]
    fn reads_the_wide_form() {
        let (data, problems) = read("enhet;matt;2023-03;apr 2023\r\nRH;andel;84;84,5\r\nRiket;andel;77;\r\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(value(&data, "andel", "RH", "2023-04"), Some(84.5));
        assert_eq!(value(&data, "andel", "Riket", "2023-04"), None);
    }

    #[test]
    fn years_are_yearly_values_at_december() {
        let (data, problems) = read("enhet;matt;period;varde\nRH;kostnad;2022;31250,4\nRH;kostnad;2023;\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(value(&data, "kostnad", "RH", "2022-12"), Some(31250.4));
        assert_eq!(data.series("kostnad", "RH").unwrap().frequency, Frequency::Yearly);
        let (data, problems) = read("enhet;matt;2022;2023\nRiket;kostnad;32980,1;34410,7\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(value(&data, "kostnad", "Riket", "2023-12"), Some(34410.7));
        let (_, problems) = read("enhet;matt;period;varde\nRH;kostnad;2022;1\nRH;kostnad;2022-12;2\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("test.csv:3:20 ett månadsvärde för måttet `kostnad`"), "{problems:?}");
        let (_, problems) = read("enhet;matt;period;varde\nRH;kostnad;2022;1\nRH;kostnad;2022;2\n");
        assert!(problems[0].ends_with("och året 2022"), "{problems:?}");
    }

    #[test]
    fn points_at_the_bad_cell() {
        for impossible in ["2023-02-30", "2023-09-99", "2023-13-01"] {
            let (_, problems) = read(&format!("enhet;matt;period;varde\nvch;resultat;{impossible};1\n"));
            assert!(problems[0].contains(&format!("`{impossible}` är ingen månad")), "{problems:?}");
        }
        let (data, problems) = read("enhet;matt;period;varde\nvch;resultat;2024-02-29;1\n");
        assert!(problems.is_empty() && !data.is_empty(), "{problems:?}");
        let (_, problems) = read("enhet;matt;period;varde\nvch;resultat;2023-09;abc\n");
        assert_eq!(problems, ["test.csv:2:22 `abc` är inget tal"]);
        let (_, problems) = read("enhet;matt;period;varde\nvch;resultat;2023-09;1,5\nvch;resultat;2023-10;1.5\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("test.csv:3:22 kolumnen blandar"), "{problems:?}");
        let (_, problems) = read("enhet;matt;period;varde\nvch;resultat;2023-09;1\nvch;resultat;2023-09;2\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("test.csv:3:22 det finns redan"), "{problems:?}");
    }

    #[test]
    fn crlf_rows_are_located() {
        let (_, problems) = read("enhet;matt;period;varde\r\nvch;resultat;2023-09;1\r\nvch;resultat;2023-10;x\r\n");
        assert_eq!(problems, ["test.csv:3:22 `x` är inget tal"]);
    }

    #[test]
    fn quoted_fields_are_located() {
        let text = "enhet,matt,period,varde\n\"vch\",\"res\",\"2023-09\",\"x,y\"\n";
        let mut sources = Sources::default();
        let source = sources.add("test.csv", text);
        let mut rows = CsvRows::new(text, source, None);
        let problems = read_table(&mut rows, Some(b','), &TableOptions::default(), &mut DataSet::default(), &sources);
        assert_eq!(sources.position(&problems[0]).unwrap(), "test.csv:2:24");
    }
}

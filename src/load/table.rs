//! Tables of figures as controllers deliver them: CSV from Excel or a
//! finance system (`;`, `,` or tab; decimal comma or point; UTF-8 with or
//! without BOM, or Windows-1252; CRLF), in long form (one row per value) or
//! wide form (one column per month). Excel sheets are turned into the same
//! tab-separated text first (see `xlsx.rs`), so one reader serves both and
//! every message can quote the row it is about.

use std::ops::Range;

use crate::dataset::{DataSet, NewValue, Span};
use crate::diagnostic::{Diagnostic, SourceId, Sources, did_you_mean, fold_swedish};
use crate::period::Month;
use crate::swedish;

/// Largest magnitude accepted in a cell; anything beyond is a unit mistake
/// (kronor in a mnkr column) or a broken export.
const LARGEST_VALUE: f64 = 1e15;

/// How a file is laid out, declared in `rapport.toml` or detected.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    pub shape: Option<Shape>,
    pub delimiter: Option<u8>,
    /// Whether `"` quotes fields (CSV) or is an ordinary character (sheets).
    pub quoting: bool,
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

/// The text encodings we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
}

/// Turns file bytes into text: a UTF-8 BOM is dropped; UTF-16 with a BOM
/// (Excel's "Unicode text") is decoded; bytes that are not UTF-8 are read as
/// Windows-1252 (what Excel on Swedish Windows writes), unless the report
/// file declared the encoding. Binary files (NUL bytes) are refused.
pub fn decode(bytes: &[u8], declared: Option<Encoding>) -> Result<String, String> {
    if let Some((encoding, rest)) = [(encoding_rs::UTF_16LE, b"\xFF\xFE"), (encoding_rs::UTF_16BE, b"\xFE\xFF")]
        .into_iter()
        .find_map(|(encoding, bom)| bytes.strip_prefix(bom.as_slice()).map(|rest| (encoding, rest)))
    {
        let (text, _) = encoding.decode_without_bom_handling(rest);
        return Ok(text.into_owned());
    }
    if bytes.contains(&0) {
        return Err("filen ser inte ut som text (den innehåller binära data); spara den som CSV (semikolonavgränsad) eller ange ett Excelblad".to_string());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match (std::str::from_utf8(bytes), declared) {
        (Ok(text), None | Some(Encoding::Utf8)) => Ok(text.to_string()),
        (Err(error), Some(Encoding::Utf8)) => {
            let offset = error.valid_up_to();
            let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(format!(
                "filen är inte giltig UTF-8 (rad {line}, byte {}); spara den som UTF-8 eller ange kodning = \"windows-1252\"",
                offset + 1
            ))
        }
        (_, Some(Encoding::Windows1252)) | (Err(_), None) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok(text.into_owned())
        }
    }
}

/// Guesses the separator from the header line: the most frequent of `;`,
/// tab and `,` outside quotes (`;` wins a tie, since Swedish Excel writes it).
pub fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|line| !line.trim().is_empty()).unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ',' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b';', b'\t', b','];
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    candidates[best]
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
    Month(Month),
}

const LONG_COLUMNS: [(&str, Column); 5] = [
    ("enhet", Column::Unit),
    ("matt", Column::Metric),
    ("period", Column::Period),
    ("varde", Column::Value),
    ("kalla", Column::Source),
];

fn column_by_name(name: &str) -> Option<Column> {
    let folded = fold_swedish(name.trim());
    if let Some((_, column)) = LONG_COLUMNS.iter().find(|(n, _)| *n == folded) {
        return Some(*column);
    }
    if folded == "manad" {
        return Some(Column::Period);
    }
    parse_month_heading(name).map(Column::Month)
}

/// A month in a header or period cell: `2023-09`, `2023-09-30`, `sep 2023`,
/// `september 2023`.
fn parse_month_heading(text: &str) -> Option<Month> {
    let text = text.trim();
    if let Some(month) = Month::parse(text) {
        return Some(month);
    }
    if text.len() == 10 && text.as_bytes()[7] == b'-' {
        return Month::parse(&text[..7]);
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
pub fn read_table(
    text: &str,
    source: SourceId,
    options: &TableOptions,
    data: &mut DataSet,
    sources: &Sources,
) -> Vec<Diagnostic> {
    let delimiter = options.delimiter.unwrap_or_else(|| detect_delimiter(text));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .quoting(options.quoting)
        .from_reader(text.as_bytes());
    let mut problems = Vec::new();
    let mut record = csv::ByteRecord::new();
    // Where each field of the current record is in the text, found in one
    // scan per record.
    let mut spans: Vec<Range<usize>> = Vec::new();
    let find_spans = |record: &csv::ByteRecord, spans: &mut Vec<Range<usize>>| {
        let start = record.position().map_or(0, |p| p.byte() as usize);
        field_spans(text, start, delimiter, options.quoting, spans);
    };
    let locate = |spans: &[Range<usize>], column: usize| -> Span {
        let span = spans.get(column).or(spans.last()).cloned().unwrap_or(0..0);
        Span::new(source, span)
    };

    // The header.
    let header = loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => {
                return vec![
                    Diagnostic::error("filen är tom; den ska ha en rubrikrad och minst en rad med värden")
                        .at(source, 0..0),
                ];
            }
            Ok(true) if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) => continue,
            Ok(true) => break record.clone(),
            Err(error) => return vec![csv_error(error, source, text)],
        }
    };
    find_spans(&header, &mut spans);
    let mut columns = Vec::with_capacity(header.len());
    for (i, name) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(name);
        match column_by_name(&name) {
            Some(column) => columns.push(column),
            None => {
                let known = LONG_COLUMNS.iter().map(|(n, _)| *n);
                let mut problem = locate(&spans, i).locate(Diagnostic::error(format!(
                    "okänd kolumn `{}`; kolumnerna heter enhet, matt, period, varde (lång form) eller är månader som 2023-09 (bred form)",
                    name.trim()
                )));
                if let Some(suggestion) = did_you_mean(&name, known) {
                    problem = problem.hint(format!("menade du `{suggestion}`?"));
                } else if name.trim().is_empty() {
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
    let has = |wanted: Column| columns.contains(&wanted);
    let detected = if has(Column::Period) || has(Column::Value) {
        Shape::Long
    } else if columns.iter().any(|c| matches!(c, Column::Month(_))) {
        Shape::Wide
    } else {
        return vec![locate(&spans, 0).locate(
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
            locate(&spans, 0).locate(
                Diagnostic::error(format!("kolumnen {} saknas", missing.join(", ")))
                    .hint("lägg till kolumnen, eller ange enhet/matt för hela filen under [[data]] i rapport.toml"),
            ),
        ];
    }
    if shape == Shape::Wide && (has(Column::Period) || has(Column::Value)) {
        return vec![locate(&spans, 0).locate(Diagnostic::error(
            "filen är angiven som bred (en kolumn per månad) men har kolumnerna period/varde som hör till lång form",
        ))];
    }
    let column_of = |wanted: Column| columns.iter().position(|c| *c == wanted);
    let unit_column = column_of(Column::Unit);
    let metric_column = column_of(Column::Metric);
    let mut marks: Vec<Option<DecimalMark>> = vec![None; columns.len()];

    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                problems.push(csv_error(error, source, text));
                break;
            }
        }
        let field = |i: usize| std::str::from_utf8(record.get(i).unwrap_or(b"")).unwrap_or("").trim();
        if (0..record.len()).all(|i| field(i).is_empty()) {
            continue;
        }
        find_spans(&record, &mut spans);
        if record.len() != columns.len() {
            let extra_are_empty =
                record.len() > columns.len() && (columns.len()..record.len()).all(|i| field(i).is_empty());
            if !extra_are_empty {
                let mut problem = locate(&spans, record.len().min(columns.len()).saturating_sub(1)).locate(
                    Diagnostic::error(format!("raden har {} fält men rubrikraden har {}", record.len(), columns.len())),
                );
                if delimiter == b',' {
                    problem = problem
                        .hint("i en kommaseparerad fil måste tal med decimalkomma stå inom citattecken: \"21,5\"");
                } else {
                    problem = problem.hint("varje rad ska ha lika många fält som rubrikraden");
                }
                problems.push(problem);
                continue;
            }
        }
        // A name from its column, or the file's declared name for every row.
        let (unit, unit_origin) = match (unit_column, &options.unit) {
            (Some(i), _) => (field(i), locate(&spans, i)),
            (None, Some((name, span))) => (name.as_str(), *span),
            (None, None) => unreachable!("checked above: a column or a default exists"),
        };
        let (metric, metric_origin) = match (metric_column, &options.metric) {
            (Some(i), _) => (field(i), locate(&spans, i)),
            (None, Some((name, span))) => (name.as_str(), *span),
            (None, None) => unreachable!("checked above: a column or a default exists"),
        };
        if unit.is_empty() || metric.is_empty() {
            let (column, what) = if unit.is_empty() { (unit_column, "enhet") } else { (metric_column, "matt") };
            problems.push(
                locate(&spans, column.unwrap_or(0))
                    .locate(Diagnostic::error(format!("raden saknar {what}")))
                    .hint("fyll i cellen eller ta bort raden"),
            );
            continue;
        }
        let mut add = |month: Month, value_column: usize, problems: &mut Vec<Diagnostic>| {
            let value_origin = locate(&spans, value_column);
            let value = match parse_cell(field(value_column), &mut marks[value_column], value_origin, sources) {
                Ok(value) => value,
                Err(problem) => return problems.push(problem),
            };
            let new = NewValue { metric, unit, month, value, metric_origin, unit_origin, value_origin };
            if let Err(problem) = data.insert(new, sources) {
                problems.push(problem);
            }
        };
        match shape {
            Shape::Long => {
                let period_column = column_of(Column::Period).expect("checked above");
                let value_column = column_of(Column::Value).expect("checked above");
                match parse_month_heading(field(period_column)) {
                    Some(month) => add(month, value_column, &mut problems),
                    None => problems.push(
                        locate(&spans, period_column)
                            .locate(Diagnostic::error(format!("`{}` är ingen månad", field(period_column))))
                            .hint("skriv månaden som år-månad, till exempel 2023-09"),
                    ),
                }
            }
            Shape::Wide => {
                for (i, column) in columns.iter().enumerate() {
                    if let Column::Month(month) = column {
                        add(*month, i, &mut problems);
                    }
                }
            }
        }
    }
    problems
}

/// Reads one value cell: empty is missing; otherwise a number with at most
/// one decimal mark, the same mark throughout the column.
fn parse_cell(
    text: &str,
    mark: &mut Option<DecimalMark>,
    origin: Span,
    sources: &Sources,
) -> Result<Option<f64>, Diagnostic> {
    if text.is_empty() {
        return Ok(None);
    }
    let Some(value) = swedish::parse_number(text) else {
        let lower = text.to_lowercase();
        let hint = if ["nan", "inf", "-inf", "infinity", "#n/a", "#div/0!", "#värdefel!", "#saknas!"]
            .contains(&lower.as_str())
        {
            "lämna cellen tom om värdet saknas"
        } else {
            "skriv talet med siffror, till exempel −21,5; lämna cellen tom om värdet saknas"
        };
        return Err(origin.locate(Diagnostic::error(format!("`{text}` är inget tal"))).hint(hint));
    };
    if value.abs() > LARGEST_VALUE {
        return Err(origin
            .locate(Diagnostic::error(format!("talet `{text}` är orimligt stort")))
            .hint("kontrollera enheten (kronor i stället för mnkr?) och exporten"));
    }
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
                        seen.first.describe(sources)
                    )));
            }
            Some(_) => {}
        }
    }
    Ok(Some(value))
}

/// Byte ranges of the fields of the record starting at `start`, found by
/// scanning the text once (the CSV reader does not keep field positions).
fn field_spans(text: &str, start: usize, delimiter: u8, quoting: bool, spans: &mut Vec<Range<usize>>) {
    spans.clear();
    let bytes = text.as_bytes();
    let mut pos = start.min(bytes.len());
    // After a CRLF the reader's record position can point at the `\n`.
    while pos < bytes.len() && (bytes[pos] == b'\n' || bytes[pos] == b'\r') {
        pos += 1;
    }
    loop {
        let field_start = pos;
        let mut quoted = false;
        while pos < bytes.len() {
            let b = bytes[pos];
            if quoting && b == b'"' {
                quoted = !quoted;
            } else if !quoted && (b == delimiter || b == b'\n' || b == b'\r') {
                break;
            }
            pos += 1;
        }
        spans.push(trim_span(text, field_start..pos));
        if pos >= bytes.len() || bytes[pos] != delimiter {
            return;
        }
        pos += 1;
    }
}

/// Narrows a span to its content without surrounding spaces and quotes;
/// an empty field keeps its position.
fn trim_span(text: &str, span: Range<usize>) -> Range<usize> {
    let pad = |c: char| c.is_whitespace() || c == '"';
    let field = &text[span.clone()];
    let after_start = field.trim_start_matches(pad);
    if after_start.is_empty() {
        return span.start..span.start;
    }
    let start = span.start + (field.len() - after_start.len());
    start..start + after_start.trim_end_matches(pad).len()
}

fn csv_error(error: csv::Error, source: SourceId, text: &str) -> Diagnostic {
    let offset = error.position().map_or(0, |p| p.byte() as usize).min(text.len());
    Diagnostic::error(format!("filen kan inte läsas som CSV: {error}")).at(source, offset..offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (DataSet, Vec<String>) {
        let mut sources = Sources::default();
        let source = sources.add("test.csv", text);
        let mut data = DataSet::default();
        let problems =
            read_table(text, source, &TableOptions { quoting: true, ..Default::default() }, &mut data, &sources);
        let messages =
            problems.iter().map(|p| format!("{} {}", sources.position(p).unwrap_or_default(), p.message)).collect();
        (data, messages)
    }

    fn value(data: &DataSet, metric: &str, unit: &str, month: &str) -> Option<f64> {
        data.series(metric, unit)?.get(Month::parse(month)?)?.value
    }

    #[test]
    fn detects_the_delimiter() {
        assert_eq!(detect_delimiter("enhet;matt;period;varde\n"), b';');
        assert_eq!(detect_delimiter("enhet,matt,period,varde\n"), b',');
        assert_eq!(detect_delimiter("enhet\tmatt\tperiod\tvarde\n"), b'\t');
        assert_eq!(detect_delimiter("\"a,b\";c\n"), b';');
    }

    #[test]
    fn decodes_utf16_and_refuses_binary_data() {
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("enhet;vård".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&utf16, None).unwrap(), "enhet;vård");
        assert!(decode(b"a\0b", None).unwrap_err().starts_with("filen ser inte ut som text"));
    }

    #[test]
    fn decodes_windows_1252_and_strips_the_bom() {
        assert_eq!(decode(b"\xEF\xBB\xBFenhet", None).unwrap(), "enhet");
        assert_eq!(decode(b"V\xE5rdcentral", None).unwrap(), "Vårdcentral");
        assert!(decode(b"V\xE5rd", Some(Encoding::Utf8)).is_err());
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
    fn points_at_the_bad_cell() {
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
        let (_, problems) = read("enhet,matt,period,varde\n\"vch\",\"res\",\"2023-09\",\"x,y\"\n");
        assert_eq!(problems, ["test.csv:2:24 `x,y` är inget tal"]);
    }
}

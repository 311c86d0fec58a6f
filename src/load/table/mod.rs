//! Tables of figures as controllers deliver them, in long form (one row per
//! value) or wide form (one column per month), from any source of typed
//! rows (a CSV, an Excel sheet), and as exports shape them: title rows
//! above the header, a super-header above the months, columns named the
//! system's way, totals and notes at the bottom. What `[[data]]` declares
//! about the file is in [`ReadOptions`]; the header is found by itself when
//! not declared. Numbers typed by Excel are taken as they are; numbers
//! written as text are read by `values`.

mod header;
mod months;
mod values;

use std::collections::VecDeque;

use crate::dataset::{DataSet, NewValue};
use crate::diagnostic::{Diagnostic, Sources, Span};
use crate::keyword::Keyword;
use crate::load::rows::{Row, Rows, Value};
use crate::period::{Frequency, Month};
use crate::swedish::normalise;
use header::{Above, Column};
pub use values::NumberFormat;
use values::{Marks, Reading, Refusal};

/// Largest magnitude accepted in a cell; anything beyond is a unit mistake
/// (kronor in a mnkr column) or a broken export.
const LARGEST_VALUE: f64 = 1e15;

/// How many rows the header is looked for in when not declared.
const HEADER_SEARCH: usize = 50;

/// How many skipped rows and first values the reading log keeps.
const LOGGED: usize = 20;
/// Values shown for each of them.
const SHOWN_VALUES: usize = 3;

/// What `[[data]]` declares about a file, checked.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub shape: Option<Shape>,
    /// Unit of every row, for files without a unit column.
    pub unit: Option<(String, Span)>,
    /// Metric of every row, for files without a metric column.
    pub metric: Option<(String, Span)>,
    /// `rubrikrad`: the header's row number as the user sees it.
    pub header_row: Option<usize>,
    /// `hoppa_over_borjan`, `hoppa_over_slutet`: rows to leave out.
    pub skip_top: usize,
    pub skip_bottom: usize,
    /// `ignorera_rader`: rows whose first filled cell starts with one of
    /// these (normalised); `""` is a row whose first cell is empty.
    pub ignore_rows: Vec<String>,
    /// `ignorera_kolumner`: header texts (normalised).
    pub ignore_columns: Vec<String>,
    /// `kolumner = { enhet = "Verksamhet" }`: header texts (normalised).
    pub columns: Vec<(Role, String)>,
    /// `fyll_nedat`: an empty unit or metric cell is the one above it.
    pub fill_down: bool,
    /// `ar`: the year of months written without one (`jan`).
    pub year: Option<i32>,
    /// The report period's year, when neither `ar` nor the rows above the
    /// header give one.
    pub report_year: Option<i32>,
    pub numbers: NumberFormat,
    /// `felvarde_tomt`: Excel's error values are missing values.
    pub errors_missing: bool,
    /// `saknas`, `noll`: cell texts (trimmed) that stand for a missing
    /// value or for zero.
    pub missing_texts: Vec<String>,
    pub zero_texts: Vec<String>,
}

/// What a column of a long file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Unit,
    Metric,
    Period,
    Value,
    /// `kalla`: where a figure comes from; read and accepted, not shown.
    Source,
}

impl Keyword for Role {
    const WHAT: &'static str = "kolumn";
    const WORDS: &'static [(&'static str, Role)] = &[
        ("enhet", Role::Unit),
        ("matt", Role::Metric),
        ("mått", Role::Metric),
        ("period", Role::Period),
        ("varde", Role::Value),
        ("värde", Role::Value),
    ];
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

/// How a file was read, for `check --visa-inlasning`.
#[derive(Debug, Clone, Default)]
pub struct ReadLog {
    /// The header's row number and place, and whether it was found (not declared).
    pub header: Option<(usize, String, bool)>,
    /// Each column's heading and what it was read as.
    pub columns: Vec<(String, String)>,
    pub rows_used: usize,
    pub rows_skipped: usize,
    /// The first skipped rows: row number, first cell, reason.
    pub skipped: Vec<(usize, String, String)>,
    /// The first values of each unit and metric.
    pub first_values: Vec<FirstValues>,
    /// How many of `first_values` have all the values shown: once all
    /// have, a value needs no look (a million rows pass by).
    complete: usize,
}

impl ReadLog {
    /// The log as `check --visa-inlasning` shows it.
    pub fn describe(&self, file: &str) -> String {
        use std::fmt::Write;
        let mut out = format!("Inläsning av {file}\n");
        match &self.header {
            Some((number, place, found)) => {
                let how = if *found { "hittad" } else { "angiven" };
                let _ = writeln!(out, "  Rubrikrad: rad {number} ({place}), {how}");
            }
            None => out.push_str("  Rubrikrad: ingen (se felen nedan)\n"),
        }
        if !self.columns.is_empty() {
            out.push_str("  Kolumner:\n");
            for (heading, read_as) in &self.columns {
                let heading = if heading.is_empty() { "(tom)" } else { heading };
                let _ = writeln!(out, "    {heading}: {read_as}");
            }
        }
        let _ = writeln!(out, "  Rader: {} lästa, {} överhoppade", self.rows_used, self.rows_skipped);
        for (number, first, reason) in &self.skipped {
            let _ = writeln!(out, "    rad {number} ({first}): {reason}");
        }
        if self.rows_skipped > self.skipped.len() {
            let _ = writeln!(out, "    … och {} till", self.rows_skipped - self.skipped.len());
        }
        if !self.first_values.is_empty() {
            out.push_str("  Första värdena per enhet och mått:\n");
            for FirstValues { unit, metric, values } in &self.first_values {
                let shown: Vec<String> = values
                    .iter()
                    .map(|(period, value)| {
                        let value = value
                            .map_or("tomt".to_string(), |v| v.to_string().replace('.', ",").replace('-', "\u{2212}"));
                        format!("{period}: {value}")
                    })
                    .collect();
                let _ = writeln!(out, "    {unit} / {metric}: {}", shown.join(", "));
            }
        }
        out
    }

    fn skip(&mut self, number: usize, row: &Row, reason: &str) {
        self.rows_skipped += 1;
        if self.skipped.len() < LOGGED {
            let first = row.cells().iter().enumerate().find(|(_, c)| c.value != Value::Empty).map(|(i, _)| row.text(i));
            self.skipped.push((number, first.unwrap_or("").to_string(), reason.to_string()));
        }
    }

    fn value(&mut self, unit: &str, metric: &str, month: Month, frequency: Frequency, value: Option<f64>) {
        let period = || match frequency {
            Frequency::Monthly => month.to_string(),
            Frequency::Yearly => month.year.to_string(),
        };
        let logged = self.first_values.len();
        if self.complete == LOGGED {
            return;
        }
        match self.first_values.iter_mut().find(|first| first.unit == unit && first.metric == metric) {
            Some(first) if first.values.len() < SHOWN_VALUES => {
                first.values.push((period(), value));
                if first.values.len() == SHOWN_VALUES {
                    self.complete += 1;
                }
            }
            Some(_) => {}
            None if logged < LOGGED => self.first_values.push(FirstValues {
                unit: unit.to_string(),
                metric: metric.to_string(),
                values: vec![(period(), value)],
            }),
            None => {}
        }
    }
}

/// The first values read for a unit and metric, as (period, value).
#[derive(Debug, Clone)]
pub struct FirstValues {
    pub unit: String,
    pub metric: String,
    pub values: Vec<(String, Option<f64>)>,
}

/// A value whose reading waits for the rest of the file (`1.234`).
struct Pending {
    metric: String,
    unit: String,
    month: Month,
    frequency: Frequency,
    metric_origin: Span,
    unit_origin: Span,
    value_origin: Span,
    text: String,
    mark: char,
    as_decimal: f64,
    as_grouped: f64,
}

/// What the text numbers of a file have shown of its marks, with the
/// first place each was seen.
#[derive(Debug, Default)]
struct Evidence {
    decimal: Option<(char, Span)>,
    grouping: Option<(char, Span)>,
}

/// The row number of a row as the user sees it (the sheet's row, the
/// file's line).
fn row_number(row: &Row, file_start: Span, sources: &Sources) -> usize {
    let span = row.span(0, file_start);
    sources.line_column(span.source, span.start as usize).0
}

/// Reads one table of figures into `data`. Returns every problem found;
/// reading goes on after a bad row so that all problems show at once.
/// `delimiter` is the CSV separator, for hints (none for sheets).
pub fn read_table(
    rows: &mut dyn Rows,
    delimiter: Option<u8>,
    options: &ReadOptions,
    data: &mut DataSet,
    sources: &Sources,
    log: &mut ReadLog,
) -> Vec<Diagnostic> {
    let file_start = Span::new(rows.source(), 0..0);
    let mut row = Row::default();

    // The header: the declared row, else the first that looks like one,
    // else the first row with anything in it (whose columns are then
    // reported). Rows above it may give the year.
    let mut above: Option<Row> = None;
    let mut first_filled: Option<(Row, usize)> = None;
    let mut title_year = None;
    let mut searched = 0;
    let (number, found) = loop {
        match rows.next_row(&mut row) {
            Ok(false) => match first_filled.take() {
                Some((first, number)) if options.header_row.is_none() => {
                    row = first;
                    above = None;
                    break (number, false);
                }
                _ => {
                    let message = match options.header_row {
                        Some(n) => format!("filen har ingen rad {n} med innehåll; rubrikrad = {n} pekar utanför den"),
                        None => "filen är tom; den ska ha en rubrikrad och minst en rad med värden".to_string(),
                    };
                    return vec![Diagnostic::error(message).at(file_start)];
                }
            },
            Ok(true) => {}
            Err(problem) => return vec![problem],
        }
        if row.is_blank() {
            continue;
        }
        let number = row_number(&row, file_start, sources);
        if number <= options.skip_top {
            log.skip(number, &row, "hoppa_over_borjan");
            continue;
        }
        let is_header = match options.header_row {
            Some(declared) => number == declared,
            None => header::looks_like_header(&row, options),
        };
        if is_header {
            break (number, options.header_row.is_none());
        }
        if options.header_row.is_some_and(|declared| number > declared) {
            return vec![row.span(0, file_start).locate(Diagnostic::error(format!(
                "rad {} är tom; rubrikrad = {} ska peka på raden med kolumnernas rubriker",
                options.header_row.unwrap_or(0),
                options.header_row.unwrap_or(0)
            )))];
        }
        searched += 1;
        log.skip(number, &row, "ovanför rubrikraden");
        if first_filled.is_none() {
            first_filled = Some((clone_row(&row), number));
        }
        if options.header_row.is_none() && searched >= HEADER_SEARCH {
            let (first, number) = first_filled.take().expect("set above");
            row = first;
            above = None;
            break (number, false);
        }
        for index in 0..row.len() {
            title_year = title_year.or_else(|| months::year_in(row.text(index)));
        }
        // Only the row right above the header is its super-header.
        let mut previous = above.take().unwrap_or_default();
        std::mem::swap(&mut previous, &mut row);
        above = Some(previous);
    };
    if let Err(problem) = within_limits(&row, file_start) {
        return vec![problem];
    }
    let above = above.filter(|a| row_number(a, file_start, sources) + 1 == number);
    let year = options.year.or(title_year).or(options.report_year);
    let not_found = "ingen rad såg ut som en rubrikrad (med enhet, matt och period/varde, eller månader); ange rubrikraden under [[data]] i rapport.toml: rubrikrad = …".to_string();
    let header_found = found || options.header_row.is_some();
    let (columns, aboves) = match header::columns(&row, above.as_ref(), year, options, file_start) {
        Ok(_) if !header_found => {
            return vec![
                row.span(0, file_start)
                    .locate(Diagnostic::error("filen har ingen rubrikrad som kan läsas"))
                    .hint(not_found),
            ];
        }
        Ok(columns) => columns,
        Err(mut problems) => {
            let named = (0..row.len()).any(|i| matches!(header::named(row.text(i), options), Some(Column::Role(_))));
            if !header_found && !named {
                for problem in &mut problems {
                    problem.hints.push(not_found.clone());
                }
            } else if found && let Some(first) = problems.first_mut() {
                first
                    .hints
                    .push(format!("rad {number} togs för rubrikraden; är det fel, ange rubrikrad = … under [[data]]"));
            }
            return problems;
        }
    };
    let header_start = row.span(0, file_start);
    log.header = Some((number, sources.place(header_start).to_string(), found));
    log.columns = columns.iter().enumerate().map(|(i, column)| (row.text(i).to_string(), describe(*column))).collect();
    let has = |role: Role| columns.contains(&Column::Role(role));
    let has_months = columns.iter().any(|c| matches!(c, Column::Month(..)));
    let detected = if has(Role::Period) || has(Role::Value) {
        Shape::Long
    } else if has_months {
        Shape::Wide
    } else {
        return vec![header_start.locate(
            Diagnostic::error(format!("det går inte att se hur filen är ordnad: rubrikraden (rad {number}) har varken kolumnerna period och varde eller några månader"))
                .hint("lång form: enhet;matt;period;varde, bred form: enhet;matt;2023-01;2023-02;…")
                .hint("är rubrikraden en annan, ange den under [[data]] i rapport.toml: rubrikrad = …"),
        )];
    };
    let shape = options.shape.unwrap_or(detected);
    // Month columns under a super-header may name their metric (`Utfall 2023`).
    let column_metrics = !has(Role::Metric) && options.metric.is_none() && shape == Shape::Wide;
    let month_has_metric = |i: usize| aboves[i].name.is_some();
    let mut missing = Vec::new();
    if !has(Role::Unit) && options.unit.is_none() {
        missing.push("enhet");
    }
    let metrics_from_above = column_metrics
        && columns.iter().enumerate().filter(|(_, c)| matches!(c, Column::Month(..))).all(|(i, _)| month_has_metric(i));
    if !has(Role::Metric) && options.metric.is_none() && !metrics_from_above {
        missing.push("matt");
    }
    if shape == Shape::Long {
        missing.extend(
            ["period", "varde"]
                .into_iter()
                .zip([Role::Period, Role::Value])
                .filter(|(_, role)| !has(*role))
                .map(|(n, _)| n),
        );
    }
    if !missing.is_empty() {
        let mut problem = header_start.locate(
            Diagnostic::error(format!("kolumnen {} saknas i rubrikraden (rad {number})", missing.join(", ")))
                .hint(format!("heter kolumnen något annat i exporten, skriv under [[data]] i rapport.toml: kolumner = {{ {} = \"rubriken i exporten\" }}", missing[0]))
                .hint("gäller hela filen en enhet eller ett mått, skriv under [[data]]: enhet = \"…\" eller matt = \"…\""),
        );
        if found {
            problem = problem
                .hint(format!("rad {number} togs för rubrikraden; är det fel, ange rubrikrad = … under [[data]]"));
        }
        return vec![problem];
    }
    if shape == Shape::Wide && (has(Role::Period) || has(Role::Value)) {
        return vec![header_start.locate(Diagnostic::error(
            "filen är angiven som bred (en kolumn per månad) men har kolumnerna period/varde som hör till lång form",
        ))];
    }
    let position = |role: Role| columns.iter().position(|c| *c == Column::Role(role));
    let unit_column = position(Role::Unit);
    let metric_column = position(Role::Metric);
    let mut reader = Reader {
        options,
        sources,
        file_start,
        evidence: Evidence::default(),
        pending: Vec::new(),
        problems: Vec::new(),
    };
    // Rows held back for `hoppa_over_slutet`.
    let mut held: VecDeque<Row> = VecDeque::new();
    // The last unit and metric cells, for `fyll_nedat`.
    let mut last_names: [Option<(String, Span)>; 2] = [None, None];

    loop {
        let mut next = if options.skip_bottom > 0 { Row::default() } else { std::mem::take(&mut row) };
        match rows.next_row(&mut next) {
            Ok(false) => break,
            Ok(true) => {}
            Err(problem) => {
                reader.problems.push(problem);
                break;
            }
        }
        let current = if options.skip_bottom > 0 {
            held.push_back(next);
            if held.len() <= options.skip_bottom {
                continue;
            }
            held.pop_front().expect("longer than skip_bottom")
        } else {
            next
        };
        reader.row(
            &current,
            &columns,
            &aboves,
            column_metrics,
            unit_column,
            metric_column,
            shape,
            delimiter,
            &mut last_names,
            data,
            log,
        );
        if options.skip_bottom == 0 {
            row = current;
        }
    }
    for skipped in &held {
        if !skipped.is_blank() {
            log.skip(row_number(skipped, file_start, sources), skipped, "hoppa_over_slutet");
        }
    }
    reader.finish(data)
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

fn describe(column: Column) -> String {
    match column {
        Column::Role(Role::Unit) => "enhet".into(),
        Column::Role(Role::Metric) => "mått".into(),
        Column::Role(Role::Period) => "period".into(),
        Column::Role(Role::Value) => "värde".into(),
        Column::Role(Role::Source) => "källa (läses inte)".into(),
        Column::Month(month, Frequency::Monthly) => format!("månaden {month}"),
        Column::Month(month, Frequency::Yearly) => format!("året {}", month.year),
        Column::Ignored => "ignoreras (ignorera_kolumner)".into(),
        Column::Blank => "tom rubrik (ska vara tom)".into(),
    }
}

fn clone_row(row: &Row) -> Row {
    let mut copy = Row::default();
    for (index, cell) in row.cells().iter().enumerate() {
        copy.push(cell.value, row.text(index), cell.span);
    }
    copy
}

/// Reads the rows after the header.
struct Reader<'a> {
    options: &'a ReadOptions,
    sources: &'a Sources,
    file_start: Span,
    evidence: Evidence,
    pending: Vec<Pending>,
    problems: Vec<Diagnostic>,
}

impl Reader<'_> {
    #[allow(clippy::too_many_arguments)]
    fn row(
        &mut self,
        row: &Row,
        columns: &[Column],
        aboves: &[Above],
        column_metrics: bool,
        unit_column: Option<usize>,
        metric_column: Option<usize>,
        shape: Shape,
        delimiter: Option<u8>,
        last_names: &mut [Option<(String, Span)>; 2],
        data: &mut DataSet,
        log: &mut ReadLog,
    ) {
        let file_start = self.file_start;
        if row.is_blank() {
            return;
        }
        let options = self.options;
        if let Err(problem) = within_limits(row, file_start) {
            self.problems.push(problem);
            return;
        }
        if let Some(reason) = ignored(row, options) {
            log.skip(row_number(row, file_start, self.sources), row, &reason);
            return;
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
                self.problems.push(problem);
                return;
            }
        }
        // A cell under a column without heading must be empty.
        if let Some(index) = columns
            .iter()
            .enumerate()
            .position(|(i, c)| *c == Column::Blank && row.cell(i).is_some_and(|cell| cell.value != Value::Empty))
        {
            self.problems.push(
                row.span(index, file_start)
                    .locate(Diagnostic::error(format!("`{}` står i en kolumn utan rubrik", row.text(index))))
                    .hint("är rubrikraden en annan, ange den under [[data]] i rapport.toml: rubrikrad = …"),
            );
            return;
        }
        let [unit_above, metric_above] = last_names;
        let (unit, unit_origin) = name(row, unit_column, &options.unit, options.fill_down, unit_above, file_start);
        let (metric, metric_origin) =
            name(row, metric_column, &options.metric, options.fill_down, metric_above, file_start);
        let metric_needed = !(column_metrics && metric_column.is_none());
        if unit.is_empty() || (metric_needed && metric.is_empty()) {
            let (column, what) = if unit.is_empty() { (unit_column, "enhet") } else { (metric_column, "mått") };
            let mut problem =
                row.span(column.unwrap_or(0), file_start).locate(Diagnostic::error(format!("raden saknar {what}")));
            // A label outside the metric and value columns (`Summa`, `Källa: …`).
            let label = (0..row.len())
                .find(|&i| !row.text(i).is_empty())
                .filter(|&i| {
                    Some(i) != metric_column
                        && matches!(columns.get(i), Some(Column::Role(Role::Unit) | Column::Ignored | Column::Blank))
                })
                .map(|i| row.text(i));
            if let Some(first) = label {
                let word = first_word(first);
                problem = problem.hint(format!(
                    "är raden en summa-, rubrik- eller anteckningsrad, skriv under [[data]] i rapport.toml: ignorera_rader = [\"{word}\"]"
                ));
            }
            // Blank below a merged or once-written name; never for a row
            // with a label of its own (a total must not take the name above).
            if label.is_none() && log.rows_used > 0 && !options.fill_down {
                problem = problem.hint(
                    "gäller raden samma som raden ovanför (sammanfogade celler), skriv under [[data]]: fyll_nedat = true",
                );
            }
            self.problems.push(problem);
            return;
        }
        match shape {
            Shape::Long => {
                let period_column = columns.iter().position(|c| *c == Column::Role(Role::Period)).expect("checked");
                let value_column = columns.iter().position(|c| *c == Column::Role(Role::Value)).expect("checked");
                let cell = row.cell(period_column).map_or(Value::Empty, |c| c.value);
                let text = row.text(period_column);
                let period = match months::heading(cell, text) {
                    Some(months::Heading::Month(month)) => Some((month, Frequency::Monthly)),
                    Some(months::Heading::Year(year)) => Month::new(year, 12).map(|m| (m, Frequency::Yearly)),
                    Some(months::Heading::MonthOnly(month)) => options
                        .year
                        .or(options.report_year)
                        .and_then(|y| Month::new(y, month))
                        .map(|m| (m, Frequency::Monthly)),
                    _ => None,
                };
                match period {
                    Some((month, frequency)) => self.value(
                        row,
                        value_column,
                        unit,
                        unit_origin,
                        metric,
                        metric_origin,
                        month,
                        frequency,
                        data,
                        log,
                    ),
                    None => {
                        let problem = row.span(period_column, file_start);
                        let problem = if months::heading(cell, text) == Some(months::Heading::Impossible) {
                            problem.locate(Diagnostic::error(format!("`{text}` är inget datum som finns")))
                        } else {
                            problem.locate(Diagnostic::error(format!("`{text}` är ingen månad")))
                        };
                        self.problems.push(problem.hint(
                            "skriv månaden som år-månad, till exempel 2023-09 (eller året, 2023, för årsvärden)",
                        ));
                    }
                }
            }
            Shape::Wide => {
                for (i, column) in columns.iter().enumerate() {
                    if let Column::Month(month, frequency) = column {
                        let (metric, metric_origin) = match (&aboves[i].name, column_metrics) {
                            (Some((name, span)), true) => (name.as_str(), *span),
                            _ => (metric, metric_origin),
                        };
                        self.value(row, i, unit, unit_origin, metric, metric_origin, *month, *frequency, data, log);
                    }
                }
            }
        }
        log.rows_used += 1;
    }

    /// Reads one value cell into `data` (or holds it back when its reading
    /// waits for the rest of the file).
    #[allow(clippy::too_many_arguments)]
    fn value(
        &mut self,
        row: &Row,
        index: usize,
        unit: &str,
        unit_origin: Span,
        metric: &str,
        metric_origin: Span,
        month: Month,
        frequency: Frequency,
        data: &mut DataSet,
        log: &mut ReadLog,
    ) {
        let value_origin = row.span(index, self.file_start);
        let value = match self.cell(row, index, value_origin) {
            Ok(Some(Reading::Number(value))) => Some(value),
            Ok(None) => None,
            Ok(Some(Reading::Ambiguous { mark, as_decimal, as_grouped })) => {
                self.pending.push(Pending {
                    metric: metric.to_string(),
                    unit: unit.to_string(),
                    month,
                    frequency,
                    metric_origin,
                    unit_origin,
                    value_origin,
                    text: row.text(index).to_string(),
                    mark,
                    as_decimal,
                    as_grouped,
                });
                return;
            }
            Err(problem) => return self.problems.push(problem),
        };
        log.value(unit, metric, month, frequency, value);
        let new = NewValue { metric, unit, month, frequency, value, metric_origin, unit_origin, value_origin };
        if let Err(problem) = data.insert(new, self.sources) {
            self.problems.push(problem);
        }
    }

    /// Reads one value cell: empty is missing; a number Excel typed is
    /// taken as it is; a text is read by `values`.
    fn cell(&mut self, row: &Row, index: usize, origin: Span) -> Result<Option<Reading>, Diagnostic> {
        let text = row.text(index);
        let value = match row.cell(index).map_or(Value::Empty, |c| c.value) {
            Value::Empty => return Ok(None),
            Value::Number(value) => value,
            Value::Text if self.options.errors_missing && is_error_text(text) => return Ok(None),
            Value::Text if self.options.missing_texts.iter().any(|t| t == text) => return Ok(None),
            Value::Text if self.options.zero_texts.iter().any(|t| t == text) => 0.0,
            Value::Text => match self.text_number(text, origin)? {
                Reading::Number(value) => value,
                ambiguous => return Ok(Some(ambiguous)),
            },
            Value::Error(_) if self.options.errors_missing => return Ok(None),
            Value::Error(name) => {
                return Err(origin
                    .locate(Diagnostic::error(format!("cellen visar Excels felvärde `{name}`, inget tal")))
                    .hint("rätta formeln i Excel; ska felvärden läsas som saknade värden, skriv under [[data]] i rapport.toml: felvarde_tomt = true"));
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
        Ok(Some(Reading::Number(value)))
    }

    /// A number written as text; what it shows of the file's marks must
    /// agree with the rest of the file.
    fn text_number(&mut self, text: &str, origin: Span) -> Result<Reading, Diagnostic> {
        let (reading, marks) = match values::read(text, self.options.numbers) {
            Ok(read) => read,
            Err(refusal) => return Err(refused(text, refusal, self.options.numbers, origin)),
        };
        let Marks { decimal, grouping } = marks;
        if let Some(mark) = decimal {
            match self.evidence.decimal {
                None => self.evidence.decimal = Some((mark, origin)),
                Some((seen, first)) if seen != mark => {
                    return Err(origin
                        .locate(Diagnostic::error(format!(
                            "filen blandar decimalkomma och decimalpunkt: `{text}` har `{mark}`, tidigare värden `{seen}`"
                        )))
                        .hint(format!(
                            "använd samma decimaltecken i hela filen; det första värdet med `{seen}` står i {}",
                            self.sources.place(first)
                        )));
                }
                Some(_) => {}
            }
        }
        if let Some(mark) = grouping {
            self.evidence.grouping.get_or_insert((mark, origin));
        }
        Ok(reading)
    }

    /// Reads the held-back values now that the whole file has been seen.
    fn finish(mut self, data: &mut DataSet) -> Vec<Diagnostic> {
        let pending = std::mem::take(&mut self.pending);
        let mut undecided: Vec<&Pending> = Vec::new();
        for held in &pending {
            let decimal = self.evidence.decimal.map(|(mark, _)| mark);
            let grouping = self.evidence.grouping.map(|(mark, _)| mark);
            let value = if decimal == Some(held.mark) {
                held.as_decimal
            } else if grouping == Some(held.mark) || decimal.is_some() {
                held.as_grouped
            } else {
                undecided.push(held);
                continue;
            };
            let new = NewValue {
                metric: &held.metric,
                unit: &held.unit,
                month: held.month,
                frequency: held.frequency,
                value: Some(value),
                metric_origin: held.metric_origin,
                unit_origin: held.unit_origin,
                value_origin: held.value_origin,
            };
            if let Err(problem) = data.insert(new, self.sources) {
                self.problems.push(problem);
            }
        }
        if let Some(first) = undecided.first() {
            let mark = first.mark;
            let others = undecided.len() - 1;
            let more = if others > 0 { format!(" (och {others} celler till)") } else { String::new() };
            let (as_decimal, as_grouped) = (first.as_decimal, first.as_grouped);
            self.problems.push(
                first
                    .value_origin
                    .locate(Diagnostic::error(format!(
                        "`{}` kan läsas både som {} och som {}{more}; filen visar inte vilket",
                        first.text,
                        crate::swedish::format_number(as_decimal, 3, false),
                        crate::swedish::format_number(as_grouped, 0, false)
                    )))
                    .hint(format!(
                        "är `{mark}` decimaltecken, skriv under [[data]] i rapport.toml: decimaltecken = \"{mark}\"; skiljer `{mark}` tusental, skriv: tusentalsavgransare = \"{mark}\""
                    )),
            );
        }
        self.problems
    }
}

/// A row's unit or metric: its cell, else the name declared for the whole
/// file, else (`fyll_nedat`) the last one above. Borrowed, not copied: a
/// file may have a million rows.
fn name<'a>(
    row: &'a Row,
    column: Option<usize>,
    declared: &'a Option<(String, Span)>,
    fill_down: bool,
    above: &'a mut Option<(String, Span)>,
    file_start: Span,
) -> (&'a str, Span) {
    let Some(index) = column else {
        return declared.as_ref().map_or(("", file_start), |(name, span)| (name.as_str(), *span));
    };
    let (text, span) = (row.text(index), row.span(index, file_start));
    if !fill_down {
        return (text, span);
    }
    if !text.is_empty() {
        match above {
            Some((name, at)) if name == text => *at = span,
            _ => *above = Some((text.to_string(), span)),
        }
    }
    above.as_ref().map_or((text, span), |(name, span)| (name.as_str(), *span))
}

/// Why a row is left out by `ignorera_rader`, if it is.
fn ignored(row: &Row, options: &ReadOptions) -> Option<String> {
    if options.ignore_rows.is_empty() {
        return None;
    }
    let first_empty = row.cell(0).is_none_or(|c| c.value == Value::Empty);
    if first_empty && options.ignore_rows.iter().any(String::is_empty) {
        return Some("ignorera_rader: tom första cell".into());
    }
    let first = first_filled(row)?;
    // Most rows are figures: compare their first letter before normalising.
    let initial = first.chars().next()?.to_lowercase().next()?;
    if !options.ignore_rows.iter().any(|wanted| wanted.starts_with(initial) || !initial.is_alphanumeric()) {
        return None;
    }
    let first = normalise(first);
    options
        .ignore_rows
        .iter()
        .find(|wanted| !wanted.is_empty() && first.starts_with(wanted.as_str()))
        .map(|wanted| format!("ignorera_rader: börjar med `{wanted}`"))
}

/// The text of a row's first filled cell.
fn first_filled(row: &Row) -> Option<&str> {
    (0..row.len()).map(|i| row.text(i)).find(|t| !t.is_empty())
}

/// The first word of a text (`Källa` of `Källa: Raindance`), for hints.
fn first_word(text: &str) -> &str {
    text.split([' ', ':', ',']).next().filter(|w| !w.is_empty()).unwrap_or(text)
}

/// Whether a text is an error value as spreadsheets and programs write it.
fn is_error_text(text: &str) -> bool {
    let lower = text.to_lowercase();
    ["nan", "inf", "-inf", "infinity", "#n/a", "#div/0!", "#värdefel!", "#saknas!", "#value!", "#ref!", "#num!"]
        .contains(&lower.as_str())
}

/// Whether a cell text is a sign in place of a figure, as statistics
/// tables and accounting formats write them: `..`, `-`, `x`.
fn is_marker(text: &str) -> bool {
    !text.is_empty()
        && text.chars().count() <= 3
        && text.chars().all(|c| matches!(c, '.' | '-' | '–' | '—' | '…' | 'x' | 'X' | '*'))
}

/// The message for a text that is not a figure.
fn refused(text: &str, refusal: Refusal, format: NumberFormat, origin: Span) -> Diagnostic {
    let message = match super::characters::hidden_in(text) {
        Some(hidden) => format!("`{text}` är inget tal: det har tecken som inte syns, {hidden}"),
        None => format!("`{text}` är inget tal"),
    };
    let problem = origin.locate(Diagnostic::error(message));
    match refusal {
        Refusal::Parentheses => problem.hint(
            "betyder parentesen ett negativt tal, skriv under [[data]] i rapport.toml: parentes_negativ = true",
        ),
        Refusal::Mark(mark) => match format.decimal {
            Some(decimal) => problem.hint(format!(
                "decimaltecknet är `{decimal}` enligt rapport.toml, och `{mark}` skiljer inte tusental här; kontrollera decimaltecken under [[data]]"
            )),
            None => problem.hint(format!(
                "`{mark}` står varken som decimaltecken eller mellan tusental; ange under [[data]] i rapport.toml: decimaltecken = \",\" eller \".\""
            )),
        },
        Refusal::NotANumber => {
            if is_error_text(text) {
                problem.hint("lämna cellen tom om värdet saknas; eller skriv under [[data]] i rapport.toml: felvarde_tomt = true")
            } else if is_marker(text) {
                problem.hint(format!(
                    "står `{text}` för ett värde som saknas (som `..` i SCB:s tabeller), skriv under [[data]] i rapport.toml: saknas = [\"{text}\"]; står det för noll: noll = [\"{text}\"]"
                ))
            } else {
                problem.hint("skriv talet med siffror, till exempel −21,5; lämna cellen tom om värdet saknas")
            }
        }
    }
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
        let problems =
            read_table(&mut rows, Some(b';'), &ReadOptions::default(), &mut data, &sources, &mut ReadLog::default());
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
        for (impossible, message) in [
            ("2023-02-30", "är inget datum som finns"),
            ("2023-09-99", "är inget datum som finns"),
            ("2023-13-01", "är ingen månad"),
        ] {
            let (_, problems) = read(&format!("enhet;matt;period;varde\nvch;resultat;{impossible};1\n"));
            assert!(problems[0].contains(&format!("`{impossible}` {message}")), "{problems:?}");
        }
        let (data, problems) = read("enhet;matt;period;varde\nvch;resultat;2024-02-29;1\n");
        assert!(problems.is_empty() && !data.is_empty(), "{problems:?}");
        let (_, problems) = read("enhet;matt;period;varde\nvch;resultat;2023-09;abc\n");
        assert_eq!(problems, ["test.csv:2:22 `abc` är inget tal"]);
        let (_, problems) = read("enhet;matt;period;varde\nvch;resultat;2023-09;1,5\nvch;resultat;2023-10;1.5\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("test.csv:3:22 filen blandar"), "{problems:?}");
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
        let problems = read_table(
            &mut rows,
            Some(b','),
            &ReadOptions::default(),
            &mut DataSet::default(),
            &sources,
            &mut ReadLog::default(),
        );
        assert_eq!(sources.position(&problems[0]).unwrap(), "test.csv:2:24");
    }
}

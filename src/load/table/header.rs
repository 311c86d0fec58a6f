//! The header of a table: which row it is (declared, or the first row with
//! the expected columns or with periods), what each column holds, and the
//! year of month columns written without one.

use crate::diagnostic::{Diagnostic, Span, did_you_mean, fold_swedish, menade_du};
use crate::load::rows::{Row, Value};
use crate::load::table::months::{self, Heading};
use crate::load::table::{ReadOptions, Role};
use crate::period::{Frequency, Month};
use crate::swedish::normalise;

/// What a column of the table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Role(Role),
    /// Values for one month or (`2023`) one year.
    Month(Month, Frequency),
    /// Left out by `ignorera_kolumner`.
    Ignored,
    /// No heading; its cells must be empty.
    Blank,
}

/// The columns of a long file, by their Swedish names.
const NAMED: [(&str, Role); 6] = [
    ("enhet", Role::Unit),
    ("matt", Role::Metric),
    ("period", Role::Period),
    ("manad", Role::Period),
    ("varde", Role::Value),
    ("kalla", Role::Source),
];

/// A named column: mapped by `kolumner = { … }`, ignored, or one of ours.
pub fn named(text: &str, options: &ReadOptions) -> Option<Column> {
    let written = normalise(text);
    if written.is_empty() {
        return None;
    }
    if let Some((role, _)) = options.columns.iter().find(|(_, name)| *name == written) {
        return Some(Column::Role(*role));
    }
    if options.ignore_columns.contains(&written) {
        return Some(Column::Ignored);
    }
    let folded = fold_swedish(&written);
    NAMED.iter().find(|(name, _)| *name == folded).map(|(_, role)| Column::Role(*role))
}

/// Whether a row looks like the header: the long form's columns, or
/// periods (two, or one beside a named column).
pub fn looks_like_header(row: &Row, options: &ReadOptions) -> bool {
    let mut periods = 0;
    let mut roles = Vec::new();
    for (index, cell) in row.cells().iter().enumerate() {
        let text = row.text(index);
        if let Some(Column::Role(role)) = named(text, options) {
            roles.push(role);
        } else if months::heading(cell.value, text).is_some_and(|h| h != Heading::Impossible) {
            periods += 1;
        }
    }
    let long = roles.contains(&Role::Period) && roles.contains(&Role::Value);
    let declared = options.unit.is_some() || options.metric.is_some();
    long || roles.len() >= 2 || periods >= 2 || (periods == 1 && (!roles.is_empty() || declared))
}

/// The year and the text of the cell above a month heading (a
/// super-header, `Utfall 2023` over `jan` … `dec`).
#[derive(Debug, Clone, Default)]
pub struct Above {
    pub year: Option<i32>,
    /// The text without its year (`Utfall`), and where it is.
    pub name: Option<(String, Span)>,
}

/// Reads the header row. `above` is the row right above it, if any;
/// `year` the year for months written without one.
pub fn columns(
    row: &Row,
    above: Option<&Row>,
    year: Option<i32>,
    options: &ReadOptions,
    file_start: Span,
) -> Result<(Vec<Column>, Vec<Above>), Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut columns = Vec::with_capacity(row.len());
    let mut aboves = Vec::with_capacity(row.len());
    for index in 0..row.len() {
        let text = row.text(index);
        let value = row.cell(index).map_or(Value::Empty, |c| c.value);
        let above = above.map(|above| above_of(above, index, file_start)).unwrap_or_default();
        let column = if let Some(column) = named(text, options) {
            column
        } else {
            match months::heading(value, text) {
                Some(Heading::Month(month)) => Column::Month(month, Frequency::Monthly),
                Some(Heading::Year(year)) => match Month::new(year, 12) {
                    Some(december) => Column::Month(december, Frequency::Yearly),
                    None => Column::Blank,
                },
                Some(Heading::MonthOnly(month)) => match above.year.or(year).and_then(|y| Month::new(y, month)) {
                    Some(month) => Column::Month(month, Frequency::Monthly),
                    None => {
                        problems.push(row.span(index, file_start).locate(
                            Diagnostic::error(format!("månadsrubriken `{text}` säger inte vilket år den gäller")).hint(
                                "ange året under [[data]] i rapport.toml: ar = 2023 (eller ange rapportens period)",
                            ),
                        ));
                        Column::Blank
                    }
                },
                Some(Heading::Impossible) => {
                    problems.push(
                        row.span(index, file_start)
                            .locate(Diagnostic::error(format!("`{text}` är inget datum som finns")))
                            .hint("rätta datumet i exporten; en månad kan också skrivas 2023-09"),
                    );
                    Column::Blank
                }
                None if value == Value::Empty => Column::Blank,
                None => {
                    problems.push(unknown_column(row, index, options, file_start));
                    Column::Blank
                }
            }
        };
        columns.push(column);
        aboves.push(above);
    }
    if problems.is_empty() { Ok((columns, aboves)) } else { Err(problems) }
}

fn above_of(above: &Row, index: usize, file_start: Span) -> Above {
    let text = above.text(index);
    if text.is_empty() {
        return Above::default();
    }
    let year = months::year_in(text);
    let name = match year {
        Some(year) => text.replace(&year.to_string(), ""),
        None => text.to_string(),
    };
    let name = name.trim_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | ':' | ',')).to_string();
    let name = (!name.is_empty()).then(|| (name, above.span(index, file_start)));
    Above { year, name }
}

fn unknown_column(row: &Row, index: usize, options: &ReadOptions, file_start: Span) -> Diagnostic {
    let text = row.text(index);
    let mut problem = row.span(index, file_start).locate(Diagnostic::error(format!(
        "okänd kolumn `{text}`; kolumnerna heter enhet, matt, period, varde (lång form) eller är månader som 2023-09 (bred form)"
    )));
    if let Some(suggestion) = did_you_mean(text, NAMED.iter().map(|(n, _)| *n)) {
        problem = problem.hint(menade_du(suggestion));
    }
    let taken = |role: Role| options.columns.iter().any(|(r, _)| *r == role);
    let free: Vec<String> = [(Role::Unit, "enhet", "enheterna"), (Role::Metric, "matt", "måtten")]
        .into_iter()
        .filter(|(role, _, _)| !taken(*role))
        .map(|(_, key, what)| format!("för {what}: kolumner = {{ {key} = \"{text}\" }}"))
        .collect();
    if !free.is_empty() {
        problem = problem.hint(format!("står kolumnen {}, under [[data]] i rapport.toml", free.join(", ")));
    }
    problem.hint(format!("ska kolumnen inte läsas (en summa, en kommentar), skriv: ignorera_kolumner = [\"{text}\"]"))
}

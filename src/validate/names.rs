//! The one resolver of what people write: units, metrics, months, periods
//! and dates, wherever they were written (the report file, a data file, a
//! commentary file). A name that is not found is an error at its place with
//! the nearest known name.

use chrono::NaiveDate;

use crate::diagnostic::{Diagnostic, Located, Span, suggest};
use crate::model::{Metric, MetricId, Unit, UnitId};
use crate::period::{Month, Period};

/// The units and metrics of a report, for looking names up.
#[derive(Clone, Copy)]
pub struct Names<'a> {
    pub units: &'a [Unit],
    pub metrics: &'a [Metric],
}

impl<'a> Names<'a> {
    /// The unit a name stands for, written at `at`.
    pub fn unit(&self, written: &str, at: Span) -> Result<UnitId, Diagnostic> {
        let written = written.trim();
        self.units.iter().position(|u| u.id == written).ok_or_else(|| {
            let hint = suggest(
                written,
                self.units.iter().map(|u| u.id.as_str()),
                "enheter definieras som [[enhet]] i rapport.toml",
            );
            Diagnostic::error(format!("okänd enhet `{written}`")).at(at).hint(hint)
        })
    }

    /// The metric a name stands for, written at `at`.
    pub fn metric(&self, written: &str, at: Span) -> Result<MetricId, Diagnostic> {
        let written = written.trim();
        self.metrics.iter().position(|m| m.id == written).ok_or_else(|| {
            let hint = suggest(
                written,
                self.metrics.iter().map(|m| m.id.as_str()),
                "mått definieras som [matt.namn] i rapport.toml",
            );
            Diagnostic::error(format!("okänt mått `{written}`")).at(at).hint(hint)
        })
    }

    pub fn unit_at(&self, written: &Located<String>) -> Result<UnitId, Diagnostic> {
        self.unit(written.as_str(), written.span)
    }

    pub fn metric_at(&self, written: &Located<String>) -> Result<MetricId, Diagnostic> {
        self.metric(written.as_str(), written.span)
    }
}

/// What a section's contents (series, texts, placeholders) can name, and
/// the defaults they fall back on.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub names: Names<'a>,
    /// The report month.
    pub period: Option<Month>,
    /// The unit of the section or commentary file.
    pub unit: Option<UnitId>,
}

impl<'a> Scope<'a> {
    pub fn units(&self) -> &'a [Unit] {
        self.names.units
    }

    pub fn metrics(&self) -> &'a [Metric] {
        self.names.metrics
    }

    /// The same scope for another unit.
    pub fn for_unit(self, unit: Option<UnitId>) -> Scope<'a> {
        Scope { unit, ..self }
    }
}

/// A month written `2023-09`.
pub fn month(written: &Located<String>) -> Result<Month, Diagnostic> {
    Month::parse(written.as_str()).ok_or_else(|| {
        written.error(format!("`{}` är ingen månad", written.as_str())).hint("skriv år och månad: \"2023-09\"")
    })
}

/// Where a chart or table starts: a month, or a year (its January; for
/// yearly figures the year itself).
pub fn first_month(written: &Located<String>) -> Result<Month, Diagnostic> {
    match Period::parse(written.as_str()) {
        Some(Period::Year(year)) => Ok(Month { year, month: 1 }),
        _ => month(written),
    }
}

/// A month, tertial, quarter, year or range of months.
pub fn period(written: &Located<String>) -> Result<Period, Diagnostic> {
    Period::parse(written.as_str()).ok_or_else(|| {
        written
            .error(format!("`{}` är ingen period", written.as_str()))
            .hint("skriv en månad (2023-09), ett tertial (2023-T2), ett kvartal (2023-K1) eller ett år (2023)")
    })
}

/// A date written `2023-10-12`, in [`crate::period::YEARS`].
pub fn date(written: &Located<String>) -> Result<NaiveDate, Diagnostic> {
    let date = NaiveDate::parse_from_str(written.as_str().trim(), "%Y-%m-%d").map_err(|_| {
        written
            .error(format!("`{}` är inget datum", written.as_str()))
            .hint("skriv datum som ÅÅÅÅ-MM-DD, till exempel \"2023-10-12\"")
    })?;
    let years = crate::period::YEARS;
    if !years.contains(&chrono::Datelike::year(&date)) {
        return Err(written
            .error(format!(
                "`{}` ligger utanför de år en rapport kan ha ({}–{})",
                written.as_str(),
                years.start(),
                years.end()
            ))
            .hint("skriv rapportens datum som ÅÅÅÅ-MM-DD, till exempel \"2023-10-12\""));
    }
    Ok(date)
}

/// An id that can be written in a placeholder (`{enhet.mått}`) and in a
/// file name.
pub fn id(written: &Located<String>, what: &str) -> Result<(), Diagnostic> {
    let id = written.as_str();
    let valid = !id.is_empty() && id.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if valid {
        return Ok(());
    }
    Err(written
        .error(format!("`{id}` kan inte användas som {what}"))
        .hint("använd bokstäver, siffror, _ och -, utan mellanslag och punkt"))
}

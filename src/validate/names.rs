//! The one resolver of what people write: units, metrics, months, periods
//! and dates, wherever they were written (the report file, a data file, a
//! commentary file). A name that is not found is an error at its place with
//! the nearest known name.

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use crate::diagnostic::{Diagnostic, Located, Span, did_you_mean, menade_du};
use crate::model::{Metric, MetricId, Unit, UnitId};
use crate::period::{Month, Period};
use crate::swedish::normalise;

/// The units and metrics of a report, for looking names up.
#[derive(Clone, Copy)]
pub struct Names<'a> {
    pub units: &'a [Unit],
    pub metrics: &'a [Metric],
}

impl<'a> Names<'a> {
    /// The unit a name stands for, written at `at`: its id, `namn`,
    /// `kortnamn` or one of its `alias`, written as people write them.
    pub fn unit(&self, written: &str, at: Span) -> Result<UnitId, Diagnostic> {
        Lookup::new(self.unit_names()).find(written, at, &UNIT_WORDS)
    }

    /// The metric a name stands for, written at `at`: its id, `namn` or one
    /// of its `alias`.
    pub fn metric(&self, written: &str, at: Span) -> Result<MetricId, Diagnostic> {
        Lookup::new(self.metric_names()).find(written, at, &METRIC_WORDS)
    }

    /// The same lookups, indexed once for many names (a data file's).
    pub fn resolver(&self) -> Resolver<'a> {
        Resolver { units: Lookup::new(self.unit_names()), metrics: Lookup::new(self.metric_names()) }
    }

    /// Every unit's id and names.
    fn unit_names(&self) -> Vec<(&'a str, Vec<&'a str>)> {
        let names = |u: &'a Unit| {
            [u.name.as_str(), u.short_name.as_str()].into_iter().chain(u.aliases.iter().map(String::as_str)).collect()
        };
        self.units.iter().map(|u| (u.id.as_str(), names(u))).collect()
    }

    /// Every metric's id and names.
    fn metric_names(&self) -> Vec<(&'a str, Vec<&'a str>)> {
        let names =
            |m: &'a Metric| std::iter::once(m.name.as_str()).chain(m.aliases.iter().map(String::as_str)).collect();
        self.metrics.iter().map(|m| (m.id.as_str(), names(m))).collect()
    }

    pub fn unit_at(&self, written: &Located<String>) -> Result<UnitId, Diagnostic> {
        self.unit(written.as_str(), written.span)
    }

    pub fn metric_at(&self, written: &Located<String>) -> Result<MetricId, Diagnostic> {
        self.metric(written.as_str(), written.span)
    }
}

/// [`Names`] indexed, for looking up many names.
pub struct Resolver<'a> {
    units: Lookup<'a>,
    metrics: Lookup<'a>,
}

impl Resolver<'_> {
    pub fn unit(&self, written: &str, at: Span) -> Result<UnitId, Diagnostic> {
        self.units.find(written, at, &UNIT_WORDS)
    }

    pub fn metric(&self, written: &str, at: Span) -> Result<MetricId, Diagnostic> {
        self.metrics.find(written, at, &METRIC_WORDS)
    }
}

/// Declared units or metrics by their ids as written, and by every id and
/// name as people write them (see [`normalise`]).
struct Lookup<'a> {
    declared: Vec<(&'a str, Vec<&'a str>)>,
    ids: FxHashMap<&'a str, usize>,
    written: FxHashMap<String, Vec<usize>>,
}

impl<'a> Lookup<'a> {
    fn new(declared: Vec<(&'a str, Vec<&'a str>)>) -> Lookup<'a> {
        let mut ids = FxHashMap::default();
        let mut written: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (index, (id, names)) in declared.iter().enumerate() {
            ids.entry(*id).or_insert(index);
            for name in std::iter::once(id).chain(names) {
                let entries = written.entry(normalise(name)).or_default();
                if !entries.contains(&index) {
                    entries.push(index);
                }
            }
        }
        Lookup { declared, ids, written }
    }

    /// The entry a written name stands for: the id exactly as written
    /// first, then every id and name as people write them; none, or more
    /// than one, is an error at `at`.
    fn find(&self, written: &str, at: Span, words: &Words) -> Result<usize, Diagnostic> {
        if let Some(index) = self.ids.get(written.trim()) {
            return Ok(*index);
        }
        match self.written.get(&normalise(written)).map(Vec::as_slice) {
            Some([index]) => Ok(*index),
            found => {
                let found: Vec<&str> = found.unwrap_or_default().iter().map(|&i| self.declared[i].0).collect();
                Err(unknown(written, at, found, words, &self.declared))
            }
        }
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

/// How a message speaks of units or of metrics.
struct Words {
    /// `okänd enhet`
    unknown: &'static str,
    /// `enheterna`
    plural: &'static str,
    /// `[[enhet]]`
    table: &'static str,
    /// `en enhet`
    one: &'static str,
}

const UNIT_WORDS: Words = Words { unknown: "okänd enhet", plural: "enheterna", table: "[[enhet]]", one: "en enhet" };
const METRIC_WORDS: Words = Words { unknown: "okänt mått", plural: "måtten", table: "[matt.…]", one: "ett mått" };

/// Most declared names a message lists.
const LISTED: usize = 12;

/// The message for a name that stands for no declared unit or metric (or
/// for more than one): the declared names, the nearest, and how to add the
/// written one as an alias.
fn unknown(written: &str, at: Span, found: Vec<&str>, words: &Words, declared: &[(&str, Vec<&str>)]) -> Diagnostic {
    let written = written.trim();
    if found.len() > 1 {
        return Diagnostic::error(format!("`{written}` kan vara flera: {}", quoted(&found)))
            .at(at)
            .hint("skriv id:t för den som avses; ett namn eller alias ska bara höra till en");
    }
    let mut problem = Diagnostic::error(format!("{} `{written}`", words.unknown)).at(at);
    if declared.is_empty() {
        return problem
            .hint(format!("rapporten har inga {} än; lägg till {} i rapport.toml", words.plural, words.table));
    }
    let all = declared.iter().flat_map(|(id, names)| std::iter::once(*id).chain(names.iter().copied()));
    if let Some(nearest) = did_you_mean(written, all) {
        problem = problem.hint(menade_du(nearest));
    }
    let listed: Vec<String> = declared
        .iter()
        .take(LISTED)
        .map(|(id, names)| match names.first() {
            Some(name) if *name != *id => format!("{id} ({name})"),
            _ => id.to_string(),
        })
        .collect();
    let more = declared.len().saturating_sub(LISTED);
    let more = if more > 0 { format!(" och {more} till") } else { String::new() };
    problem
        .hint(format!("rapporten har {}: {}{more}", words.plural, listed.join(", ")))
        .hint(format!(
            "står det för {} som redan finns, lägg till namnet där i rapport.toml: alias = [\"{written}\"]; annars lägg till {} {}",
            words.one, words.one, words.table
        ))
}

fn quoted(ids: &[&str]) -> String {
    ids.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ")
}

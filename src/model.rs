//! A report as validated: every name resolved, every period parsed, every
//! formula and placeholder checked. Later stages (derive, chart, render) take
//! these types and cannot meet a dangling reference.

mod text;

use std::path::PathBuf;

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use crate::diagnostic::Span;
use crate::formula::Expr;
use crate::keyword::Keyword;
pub use crate::kind::Kind;
use crate::load::Logo;
use crate::period::{Frequency, Month, Period};
use crate::swedish::NumberStyle;
pub use text::*;

/// Which PDF of a project is built: the whole report, or one unit's own
/// (see `per_enhet`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Variant {
    Whole,
    /// The unit's id.
    Unit(String),
}

impl Variant {
    /// The PDF's file name without extension: the project folder's name,
    /// with the unit's id for a unit's own PDF.
    pub fn pdf_stem(&self, root: &std::path::Path) -> String {
        let absolute = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let stem = absolute.file_name().map_or_else(|| "rapport".to_string(), |n| n.to_string_lossy().into_owned());
        match self {
            Variant::Whole => stem,
            Variant::Unit(id) => format!("{stem}-{id}"),
        }
    }
}

/// Index into [`Report::units`].
pub type UnitId = usize;
/// Index into [`Report::metrics`].
pub type MetricId = usize;

#[derive(Debug, Clone)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub short_name: String,
    /// Other names the unit goes by in exports (`alias = […]`).
    pub aliases: Vec<String>,
}

/// How monthly values add up over a longer period (tertial, year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// Flows such as kostnader and resultat: the sum of the months.
    Sum,
    /// Levels such as sjukfrånvaro in percent: the mean of the months.
    Mean,
    /// Stocks and running figures (ack, R12, listade): the last month.
    Last,
}

impl Keyword for Aggregation {
    const WHAT: &'static str = "aggregering";
    const WORDS: &'static [(&'static str, Aggregation)] = &[
        ("summa", Aggregation::Sum),
        ("medel", Aggregation::Mean),
        ("medelvärde", Aggregation::Mean),
        ("senaste", Aggregation::Last),
    ];
}

#[derive(Debug, Clone)]
pub enum Definition {
    /// Read from the data files.
    Input,
    Formula(Expr),
}

#[derive(Debug, Clone)]
pub struct Metric {
    pub id: String,
    pub name: String,
    pub style: NumberStyle,
    pub definition: Definition,
    pub aggregation: Aggregation,
    pub target: Option<f64>,
    pub description: Option<String>,
    /// Other names the metric goes by in exports (`alias = […]`).
    pub aliases: Vec<String>,
    /// Monthly, or yearly when its data is written per year (a formula is
    /// yearly when a metric it uses is).
    pub frequency: Frequency,
}

/// Which series of the loaded data feed an input metric for a unit: the
/// (metric, unit) names as the data files wrote them. A unit or metric may
/// be written differently in different files.
/// Keyed, so that a file with 20 000 series looks each up at once.
#[derive(Debug, Clone, Default)]
pub struct Inputs(FxHashMap<(MetricId, UnitId), Vec<(String, String)>>);

impl Inputs {
    pub fn add(&mut self, metric: MetricId, unit: UnitId, written: (&str, &str)) {
        self.0.entry((metric, unit)).or_default().push((written.0.to_string(), written.1.to_string()));
    }

    /// The data's (metric, unit) names that feed `metric` for `unit`, in
    /// the order they were added.
    pub fn of(&self, metric: MetricId, unit: UnitId) -> impl Iterator<Item = (&str, &str)> {
        self.0.get(&(metric, unit)).into_iter().flatten().map(|(m, u)| (m.as_str(), u.as_str()))
    }
}

/// A monthly series in a chart or table row: one metric for one unit.
#[derive(Debug, Clone)]
pub struct SeriesRef {
    pub metric: MetricId,
    pub unit: UnitId,
    pub label: String,
    /// Where the series was named, for messages about missing values.
    pub origin: Span,
}

/// The chart kinds, each defined once: its name, how many series it shows
/// and over which months by default. How each is drawn is in `chart/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Lines over months, with an optional target line.
    Line,
    /// Bars over months, negative and positive in different colours.
    Bar,
    /// Bars over months with the year's accumulated value as a line over
    /// them (budgetavvikelse per month and ackumulerad).
    BarAccumulated,
    /// Bars of several series side by side per month (the region beside
    /// Riket).
    GroupedBars,
    /// Horizontal bars, one per unit, at the report month.
    UnitBars,
}

impl Keyword for ChartKind {
    const WHAT: &'static str = "diagramtyp";
    const WORDS: &'static [(&'static str, ChartKind)] = &[
        ("linje", ChartKind::Line),
        ("stapel", ChartKind::Bar),
        ("stapel_ack", ChartKind::BarAccumulated),
        ("grupperad", ChartKind::GroupedBars),
        ("liggande", ChartKind::UnitBars),
    ];
}

/// What series a chart kind takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesRule {
    /// Exactly one series over months.
    One,
    /// Between the two numbers of series over months.
    Several(usize, usize),
    /// One metric, one bar per unit at the report month.
    PerUnit,
}

impl ChartKind {
    pub fn name(self) -> &'static str {
        crate::keyword::name(self)
    }

    pub fn series(self) -> SeriesRule {
        match self {
            ChartKind::Line => SeriesRule::Several(1, 6),
            ChartKind::Bar | ChartKind::BarAccumulated => SeriesRule::One,
            ChartKind::GroupedBars => SeriesRule::Several(1, 4),
            ChartKind::UnitBars => SeriesRule::PerUnit,
        }
    }

    /// The first month shown when the report file does not say:
    /// the report year for bars, twelve months back for lines; for yearly
    /// figures, the five years before the report year.
    pub fn default_first(self, period: Month, frequency: Frequency) -> Month {
        if frequency == Frequency::Yearly {
            return Month { year: period.year - 5, month: 12 };
        }
        match self {
            ChartKind::Bar | ChartKind::BarAccumulated | ChartKind::GroupedBars => period.year_start(),
            ChartKind::Line | ChartKind::UnitBars => period.plus(-12),
        }
    }

    /// The title when the report file gives none: the metric, the period
    /// shown (`last`: the month, or for yearly figures the latest year
    /// shown) and the unit (`units`: the short names of the series' units).
    pub fn default_title(self, metric: &Metric, units: &[&str], last: Month) -> String {
        let unit_text = metric.style.unit.as_deref().map(|u| format!(", {u}")).unwrap_or_default();
        let name = &metric.name;
        let per = match metric.frequency {
            Frequency::Monthly => format!("per månad {}", last.year),
            Frequency::Yearly => "per år".to_string(),
        };
        match self {
            ChartKind::UnitBars => format!("{name} {}{unit_text}", metric.frequency.long_name(last)),
            ChartKind::Bar => format!("{name} {per}, {}{unit_text}", units[0]),
            ChartKind::BarAccumulated => {
                format!("{name} per månad och ackumulerat {}, {}{unit_text}", last.year, units[0])
            }
            ChartKind::GroupedBars => format!("{name} {per}{unit_text}"),
            ChartKind::Line if units.len() == 1 => format!("{name}, {}{unit_text}", units[0]),
            ChartKind::Line => format!("{name}{unit_text}"),
        }
    }

    /// Whether the values must add up over months (an accumulated line of
    /// percentages would mean nothing).
    pub fn needs_sum(self) -> bool {
        match self {
            ChartKind::BarAccumulated => true,
            ChartKind::Line | ChartKind::Bar | ChartKind::GroupedBars | ChartKind::UnitBars => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Chart {
    pub kind: ChartKind,
    /// As written; `None`: made when drawn from what the chart shows.
    pub title: Option<TextTemplate>,
    pub series: Vec<SeriesRef>,
    /// Monthly, or yearly (then `first` and `last` are Decembers).
    pub frequency: Frequency,
    pub first: Month,
    /// The report month (or year); a yearly chart shows the years from
    /// `first` to it that have values (see `Metrics::shown`).
    pub last: Month,
    pub target: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub metric: MetricId,
    pub heading: String,
    /// As written, or the report month; `None` for a yearly metric without
    /// a written period: the latest year with a value up to the report year.
    pub period: Option<Period>,
    pub origin: Span,
}

#[derive(Debug, Clone)]
pub enum Table {
    /// One row per unit, one column per metric.
    UnitsByMetrics { first_heading: String, units: Vec<UnitId>, columns: Vec<Column>, total: Option<String> },
    /// One row per series, one column per month (or year, up to the latest
    /// with a value, for yearly figures).
    SeriesByMonths { first_heading: String, rows: Vec<SeriesRef>, frequency: Frequency, first: Month, last: Month },
}

/// A large figure with its label, e.g. "Måluppfyllelse 97,2 % september".
#[derive(Debug, Clone)]
pub struct KeyFigure {
    pub series: SeriesRef,
    pub heading: String,
    pub latest_available: bool,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub heading: TextTemplate,
    /// The section's `rubrik` in `rapport.toml`, for messages about the
    /// section as a whole (its table or charts do not fit).
    pub origin: Span,
    pub unit: Option<UnitId>,
    pub commentary: Option<Commentary>,
    pub charts: Vec<Chart>,
    pub table: Option<Table>,
    pub key_figures: Vec<KeyFigure>,
    pub footnote: Option<TextTemplate>,
    pub source_note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The layout choices a report makes in `rapport.toml`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// Slides open with a title slide.
    pub title_page: bool,
    /// How many of a section's charts share a slide.
    pub charts_per_slide: u8,
    /// Space between paragraphs beyond the line spacing, in points.
    pub paragraph_spacing: f64,
    /// What happens to content too long for its slide.
    pub overflow: Overflow,
}

/// What happens to content that does not fit its place at a legible size
/// (`ryms_inte` in `rapport.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Overflow {
    /// It continues on a following slide marked "(forts.)".
    #[default]
    Continue,
    /// It is an error: the writer shortens the text.
    Error,
}

impl Keyword for Overflow {
    const WHAT: &'static str = "inställning för ryms_inte";
    const WORDS: &'static [(&'static str, Overflow)] = &[("fortsätt", Overflow::Continue), ("fel", Overflow::Error)];
}

impl Overflow {
    /// The word templates read in `/data.json`.
    pub fn name(self) -> &'static str {
        crate::keyword::name(self)
    }
}

/// What a report is, who it is for, and what is in it.
#[derive(Debug, Clone)]
pub struct Report {
    /// The project folder.
    pub root: PathBuf,
    /// File name of the PDF without extension (the folder's name).
    pub name: String,
    pub kind: Kind,
    pub title: TextTemplate,
    pub subtitle: Option<TextTemplate>,
    pub namnd: String,
    pub forvaltning: Option<String>,
    pub recipient: Option<String>,
    pub period: Option<Month>,
    pub date: NaiveDate,
    pub diarienummer: Option<String>,
    pub logo: Option<Logo>,
    pub handlaggare: Option<Person>,
    pub signatures: Vec<Person>,
    pub signature_heading: Option<String>,
    pub extract_to: Vec<String>,
    pub data_appendix: bool,
    pub layout: Layout,
    pub units: Vec<Unit>,
    pub metrics: Vec<Metric>,
    pub inputs: Inputs,
    pub sections: Vec<Section>,
    /// The fetched sources (`[[kalla]]`), for attribution.
    pub sources: Vec<Source>,
}

impl Report {
    pub fn metric_by_id(&self, id: &str) -> Option<MetricId> {
        self.metrics.iter().position(|m| m.id == id)
    }

    /// The commentaries of the report, in order.
    pub fn commentaries(&self) -> impl Iterator<Item = &Commentary> {
        self.sections.iter().filter_map(|s| s.commentary.as_ref())
    }

    /// Whether any commentary is still a draft (`utkast`).
    pub fn is_draft(&self) -> bool {
        self.commentaries().any(|c| c.status == Status::Draft)
    }

    /// Where the figures of a metric for a unit come from, as the "Källa:"
    /// line says it: a fetched source's name (`Kolada`), or, for a formula
    /// over fetched figures, `egen bearbetning av data från Kolada`; both
    /// services ask not to be named as the source of figures processed by
    /// someone else.
    pub fn attributions(&self, metric: MetricId, unit: UnitId) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_attributions(metric, unit, false, &mut out, 0);
        out
    }

    fn collect_attributions(&self, metric: MetricId, unit: UnitId, derived: bool, out: &mut Vec<String>, depth: usize) {
        // Formulas are checked for cycles; the depth only bounds the walk.
        if depth > 32 {
            return;
        }
        match &self.metrics[metric].definition {
            Definition::Input => {
                let fetched =
                    self.sources.iter().filter(|s| s.metric == metric && s.units.iter().any(|u| u.unit == unit));
                for source in fetched {
                    let name = source.service.name();
                    let text =
                        if derived { format!("egen bearbetning av data från {name}") } else { name.to_string() };
                    if !out.contains(&text) {
                        out.push(text);
                    }
                }
            }
            Definition::Formula(expr) => {
                for (name, _) in expr.metrics() {
                    if let Some(used) = self.metric_by_id(name) {
                        self.collect_attributions(used, unit, true, out, depth + 1);
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Fetched sources (`[[kalla]]`): what `statusrapport hamta` asks for, and
// what the report names under the figures.
// ---------------------------------------------------------------------------

/// A checked `[[kalla]]` entry.
#[derive(Debug, Clone)]
pub struct Source {
    pub service: Service,
    /// The data file as written, inside the project.
    pub file: String,
    pub metric: MetricId,
    /// The metric's id, as the data file names it.
    pub metric_id: String,
    /// The source's ids and the report's units they are.
    pub units: Vec<SourceUnit>,
    /// The service's address, without a trailing `/`.
    pub address: String,
    /// The entry in `rapport.toml`, for messages about fetching it.
    pub origin: Span,
}

/// A unit as a source names it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceUnit {
    /// The source's id: Kolada's `0013`, SCB's region code `13`.
    pub code: String,
    pub unit: UnitId,
    /// The report's unit id, as the data file names it.
    pub id: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Service {
    /// A key figure of Kolada (yearly values), from its v3 API.
    Kolada { key_figure: String, years: Years, gender: String },
    /// A table of SCB's statistical database, from PxWebApi 2 as JSON-stat2.
    Scb { table: String, selection: Vec<(String, Vec<String>)>, unit_variable: String },
}

impl Service {
    /// The name the services ask to be cited by: "Källa: Kolada", "Källa: SCB".
    pub fn name(&self) -> &'static str {
        match self {
            Service::Kolada { .. } => "Kolada",
            Service::Scb { .. } => "SCB",
        }
    }

    /// What is fetched, for messages: `Kolada N70061`, `SCB TAB638`.
    pub fn describe(&self) -> String {
        match self {
            Service::Kolada { key_figure, .. } => format!("Kolada {key_figure}"),
            Service::Scb { table, .. } => format!("SCB {table}"),
        }
    }
}

/// The years asked of Kolada.
#[derive(Debug, Clone, PartialEq)]
pub enum Years {
    Listed(Vec<i32>),
    /// From this year on, to the year of fetching or the report's year.
    From(i32),
}

impl Years {
    /// The years, with `last` ending an open range.
    pub fn resolve(&self, last: i32) -> Vec<i32> {
        match self {
            Years::Listed(years) => years.clone(),
            Years::From(first) => (*first..=last.max(*first)).collect(),
        }
    }
}

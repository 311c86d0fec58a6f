//! A report as validated: every name resolved, every period parsed, every
//! formula and placeholder checked. Later stages (derive, chart, render) take
//! these types and cannot meet a dangling reference.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::commentary::{Commentary, TextTemplate};
use crate::dataset::Span;
use crate::formula::Expr;
use crate::period::{Month, Period};
use crate::swedish::NumberStyle;

/// The document kinds, each with its template in `report-templates/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 16:9 slides for the nämnd.
    Statusrapport,
    /// A4 decision document.
    Tjansteskrivelse,
    /// A4 letter, e.g. to regionfullmäktige.
    Skrivelse,
    /// A4 long-form monthly follow-up.
    Manadsrapport,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Statusrapport, Kind::Tjansteskrivelse, Kind::Skrivelse, Kind::Manadsrapport];

    /// The name people write in `typ = "…"`; also the template folder name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Statusrapport => "statusrapport",
            Kind::Tjansteskrivelse => "tjänsteskrivelse",
            Kind::Skrivelse => "skrivelse",
            Kind::Manadsrapport => "månadsrapport",
        }
    }

    /// Accepts the name with or without å, ä, ö, in any case.
    pub fn parse(name: &str) -> Option<Kind> {
        let folded = crate::diagnostic::fold_swedish(name.trim());
        Kind::ALL.into_iter().find(|kind| crate::diagnostic::fold_swedish(kind.name()) == folded)
    }

    /// Whether the kind is built from figures (and so needs a report month).
    pub fn needs_period(self) -> bool {
        matches!(self, Kind::Statusrapport | Kind::Manadsrapport)
    }
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Lines over months, with an optional target line.
    Line,
    /// Bars over months, negative and positive in different colours.
    Bar,
    /// Horizontal bars, one per unit, at the report month.
    UnitBars,
}

#[derive(Debug, Clone)]
pub struct Chart {
    pub kind: ChartKind,
    pub title: TextTemplate,
    pub series: Vec<SeriesRef>,
    pub first: Month,
    pub last: Month,
    pub target: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub metric: MetricId,
    pub heading: String,
    pub period: Period,
    pub origin: Span,
}

#[derive(Debug, Clone)]
pub enum Table {
    /// One row per unit, one column per metric.
    UnitsByMetrics { first_heading: String, units: Vec<UnitId>, columns: Vec<Column>, total: Option<String> },
    /// One row per series, one column per month.
    SeriesByMonths { first_heading: String, rows: Vec<SeriesRef>, first: Month, last: Month },
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
    pub units: Vec<Unit>,
    pub metrics: Vec<Metric>,
    pub sections: Vec<Section>,
}

/// A logo the project supplies; never one of ours.
#[derive(Debug, Clone)]
pub struct Logo {
    /// `logo.svg` or `logo.png`, the name the template sees.
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl Report {
    pub fn metric_by_id(&self, id: &str) -> Option<MetricId> {
        self.metrics.iter().position(|m| m.id == id)
    }

    /// Whether any commentary is still a draft (`utkast`).
    pub fn is_draft(&self) -> bool {
        self.sections.iter().filter_map(|s| s.commentary.as_ref()).any(|c| c.status == crate::commentary::Status::Draft)
    }
}

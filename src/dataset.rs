//! The figures of a report as loaded: one value per (metric, unit, month),
//! each remembering the cell it came from so that later checks (unknown
//! unit, duplicate, month outside the report) can point at it.
//!
//! Kept compact, since a data file may have a million rows: names are stored
//! once per series, and a cell's origin is a 12-byte span.
//!
//! A series holds monthly values or yearly ones (written `2023`, kept at
//! December of the year, see [`Frequency`]), never both.

use rustc_hash::FxHashMap;

use crate::diagnostic::{Diagnostic, Sources, Span};
use crate::period::{Frequency, Month};

/// One loaded value and the cell it was read from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// `None` for an empty cell: a missing value, never zero.
    pub value: Option<f64>,
    pub origin: Span,
}

/// The loaded months of one metric for one unit, sorted by month. A sorted
/// vector rather than a map: files list months in order, so adding is a
/// push, and a million values take a third of the memory.
#[derive(Debug, Clone, Default)]
pub struct LoadedSeries {
    cells: Vec<(Month, Cell)>,
    /// Where the unit and the metric were first named, for messages about
    /// the names themselves.
    pub unit_origin: Option<Span>,
    pub metric_origin: Option<Span>,
    /// Monthly or yearly, as the first value was written.
    pub frequency: Frequency,
}

impl LoadedSeries {
    /// The cell of a month, if the data has one.
    pub fn get(&self, month: Month) -> Option<&Cell> {
        self.cells.binary_search_by_key(&month, |(m, _)| *m).ok().map(|i| &self.cells[i].1)
    }

    /// The cells in month order.
    pub fn iter(&self) -> impl Iterator<Item = (Month, &Cell)> {
        self.cells.iter().map(|(month, cell)| (*month, cell))
    }

    /// The first and last month with a cell.
    pub fn months(&self) -> Option<(Month, Month)> {
        Some((self.cells.first()?.0, self.cells.last()?.0))
    }

    /// Adds a cell, or returns the cell already there for its month.
    fn insert(&mut self, month: Month, cell: Cell) -> Result<(), Cell> {
        if self.cells.last().is_none_or(|(last, _)| *last < month) {
            self.cells.push((month, cell));
            return Ok(());
        }
        match self.cells.binary_search_by_key(&month, |(m, _)| *m) {
            Ok(i) => Err(self.cells[i].1),
            Err(i) => {
                self.cells.insert(i, (month, cell));
                Ok(())
            }
        }
    }
}

/// The figures of every data file of a report: metric → unit → series.
#[derive(Debug, Default)]
pub struct DataSet {
    /// FxHash: the names are ours to hash, and SipHash was a quarter of the
    /// time of loading a million rows.
    metrics: FxHashMap<String, FxHashMap<String, LoadedSeries>>,
    values: usize,
}

/// One value being added, with where its parts were written.
pub struct NewValue<'a> {
    pub metric: &'a str,
    pub unit: &'a str,
    /// For a yearly value, December of its year.
    pub month: Month,
    pub frequency: Frequency,
    pub value: Option<f64>,
    pub metric_origin: Span,
    pub unit_origin: Span,
    pub value_origin: Span,
}

impl DataSet {
    /// Adds a value; a second value for the same (metric, unit, month) is
    /// reported with both places, and the first one kept.
    pub fn insert(&mut self, new: NewValue<'_>, sources: &Sources) -> Result<(), Diagnostic> {
        let units = match self.metrics.get_mut(new.metric) {
            Some(units) => units,
            None => self.metrics.entry(new.metric.to_string()).or_default(),
        };
        let series = match units.get_mut(new.unit) {
            Some(series) => series,
            None => units.entry(new.unit.to_string()).or_default(),
        };
        if series.unit_origin.is_none() {
            series.frequency = new.frequency;
        } else if series.frequency != new.frequency {
            let (this, first) = match new.frequency {
                Frequency::Yearly => ("ett årsvärde", "månadsvärden"),
                Frequency::Monthly => ("ett månadsvärde", "årsvärden"),
            };
            let first_place = series.iter().next().map(|(_, cell)| sources.place(cell.origin).to_string());
            return Err(new
                .value_origin
                .locate(Diagnostic::error(format!(
                    "{this} för måttet `{}` och enheten `{}`, som redan har {first}",
                    new.metric, new.unit
                )))
                .hint(format!(
                    "ett mått har antingen ett värde per månad (2023-09) eller ett per år (2023){}",
                    first_place.map(|p| format!("; det första står i {p}")).unwrap_or_default()
                )));
        }
        series.unit_origin.get_or_insert(new.unit_origin);
        series.metric_origin.get_or_insert(new.metric_origin);
        let cell = Cell { value: new.value, origin: new.value_origin };
        if let Err(first) = series.insert(new.month, cell) {
            return Err(new
                .value_origin
                .locate(Diagnostic::error(format!(
                    "det finns redan ett värde för måttet `{}`, enheten `{}` och {}",
                    new.metric,
                    new.unit,
                    new.frequency.named(new.month)
                )))
                .hint(format!("det första står i {}; ta bort en av raderna", sources.place(first.origin))));
        }
        self.values += 1;
        Ok(())
    }

    pub fn series(&self, metric: &str, unit: &str) -> Option<&LoadedSeries> {
        self.metrics.get(metric)?.get(unit)
    }

    /// Every (metric, unit) pair with data, sorted so that messages come in
    /// a stable order.
    pub fn keys(&self) -> Vec<(&str, &str)> {
        let mut keys: Vec<_> = self
            .metrics
            .iter()
            .flat_map(|(metric, units)| units.keys().map(move |unit| (metric.as_str(), unit.as_str())))
            .collect();
        keys.sort_unstable();
        keys
    }

    /// Number of values loaded.
    pub fn len(&self) -> usize {
        self.values
    }

    pub fn is_empty(&self) -> bool {
        self.values == 0
    }
}

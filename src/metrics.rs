//! Derived metrics: every metric of a report as a monthly series per unit,
//! input metrics straight from the data, formulas evaluated month by month.
//!
//! Definitions (a missing month in the inputs gives a missing result, never
//! a zero; division by zero gives a missing result):
//!
//! * `r12(x)` — rolling 12-month sum: x of the month and the eleven before.
//!   Unit as x. R12 for september 2023 is oktober 2022 … september 2023.
//! * `ack(x)` — ackumulerat utfall, year to date: x from January of the
//!   month's year to the month. Unit as x.
//! * `helar(x)` — the whole calendar year's sum, the same in every month of
//!   the year; needs all twelve months (e.g. årsbudget from monthly budget).
//! * `foregaende_ar(x)` — x of the same month one year earlier.
//! * `forandring(x)` — förändring mot föregående år: x − x a year earlier.
//!   Unit as x; positive means higher than last year.
//! * `forandring_procent(x)` — (x / x a year earlier − 1) × 100, in percent.
//! * `andel(del, helhet)` — del / helhet × 100, in percent.
//! * `maluppfyllelse(x, mal)` — share, in percent, of the months from January
//!   to the month that have a value at or above the target (months without
//!   a value are not counted). `maluppfyllelse(x)` uses x's own `mal`.
//! * `mot_mal(x, mal)` — value against target: x − mal (positive is better
//!   than target). `mot_mal(x)` uses x's own `mal`.
//!
//! Budgetavvikelse is written as a formula, `utfall - budget`: positive is
//! better than budget for a result and, for cost lines where the data gives
//! costs as negative figures, a cost below budget (Region Halland's sign
//! convention: the sign is the effect on the result). Accumulated, it is
//! `ack(utfall - budget)`, which equals the sum of the monthly deviations.
//! Prognos is an input (the latest forecast made in a month); prognosavvikelse
//! is `prognos - helar(budget)`.
//!
//! Yearly figures (Kolada's key figures) sit at December of their year on
//! the same timeline, so `foregaende_ar`, `forandring` and `andel` work on
//! them as they are; the functions that add up months give no value for
//! them (validation refuses them), and a yearly metric has a value only for
//! a whole year (`2023`), never for a month.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use chrono::Datelike;

use crate::dataset::DataSet;
use crate::formula::{Expr, Function, Operator};
use crate::model::{Aggregation, Definition, MetricId, Report, UnitId};
use crate::period::{Frequency, Month, Period};

/// The months every series covers, the same for all series of a report so
/// that positions line up.
#[derive(Debug, Clone, Copy)]
struct Timeline {
    first: Month,
    len: usize,
}

impl Timeline {
    fn index(&self, month: Month) -> Option<usize> {
        let index = self.first.months_until(month);
        (0..self.len as i64).contains(&index).then_some(index as usize)
    }

    fn month(&self, index: usize) -> Month {
        self.first.plus(index as i64)
    }
}

/// A series on the report's timeline.
pub type Values = Rc<[Option<f64>]>;

/// Every metric for every unit, computed when first asked for.
pub struct Metrics<'a> {
    report: &'a Report,
    data: &'a DataSet,
    timeline: Timeline,
    cache: RefCell<HashMap<(MetricId, UnitId), Values>>,
}

impl<'a> Metrics<'a> {
    /// The timeline runs from two years before the report year (enough for
    /// R12 and a year-on-year change of it) or the earliest data, to the end
    /// of the report year or the latest data.
    pub fn new(report: &'a Report, data: &'a DataSet) -> Metrics<'a> {
        let period = report.period.unwrap_or(Month { year: report.date.year(), month: report.date.month() });
        let mut first = period.year_start().plus(-24);
        let mut last = Month { year: period.year, month: 12 };
        for (metric, unit) in data.keys() {
            if let Some((earliest, latest)) = data.series(metric, unit).and_then(|series| series.months()) {
                first = first.min(earliest);
                last = last.max(latest);
            }
        }
        let timeline = Timeline { first, len: first.months_until(last) as usize + 1 };
        Metrics { report, data, timeline, cache: RefCell::new(HashMap::new()) }
    }

    /// The value of a metric for a unit in a month.
    pub fn value(&self, metric: MetricId, unit: UnitId, month: Month) -> Option<f64> {
        let index = self.timeline.index(month)?;
        self.series(metric, unit)[index]
    }

    /// The values from `first` to `last`, both included.
    pub fn range(&self, metric: MetricId, unit: UnitId, first: Month, last: Month) -> Vec<(Month, Option<f64>)> {
        first.through(last).map(|month| (month, self.value(metric, unit, month))).collect()
    }

    /// The value over a period: the month's value, or the months combined
    /// as the metric says (sum, mean or last month).
    pub fn period_value(&self, metric: MetricId, unit: UnitId, period: Period) -> Option<f64> {
        if self.report.metrics[metric].frequency == Frequency::Yearly {
            return match period {
                Period::Year(year) => self.value(metric, unit, Month { year, month: 12 }),
                _ => None,
            };
        }
        let (first, last) = period.months();
        if first == last {
            return self.value(metric, unit, first);
        }
        let values: Option<Vec<f64>> = first.through(last).map(|m| self.value(metric, unit, m)).collect();
        let values = values?;
        match self.report.metrics[metric].aggregation {
            Aggregation::Sum => Some(values.iter().sum()),
            Aggregation::Mean => Some(values.iter().sum::<f64>() / values.len() as f64),
            Aggregation::Last => values.last().copied(),
        }
    }

    /// A function of the months `first` to `last` (`lagst`, `antal_minst`,
    /// …), against `target` or else the metric's own `mal`.
    pub fn over_months(
        &self,
        function: Function,
        metric: MetricId,
        unit: UnitId,
        (first, last): (Month, Month),
        target: Option<f64>,
    ) -> Option<f64> {
        let values: Vec<Option<f64>> = first.through(last).map(|m| self.value(metric, unit, m)).collect();
        let targets = vec![target.or(self.report.metrics[metric].target); values.len()];
        let months: Vec<u32> = first.through(last).map(|m| m.month).collect();
        of_months(function, &values, &targets, |k| months[k])
    }

    /// The latest month at or before `month` that has a value.
    pub fn latest_available(&self, metric: MetricId, unit: UnitId, month: Month) -> Option<(Month, f64)> {
        let series = self.series(metric, unit);
        let end = self.timeline.index(month)?;
        (0..=end).rev().find_map(|i| series[i].map(|v| (self.timeline.month(i), v)))
    }

    /// The first and last month a chart or table of `series` shows:
    /// `first` and `last` for monthly figures; for yearly ones the years
    /// between them that have a value in any of the series (a year's
    /// statistics come out months after it ends, and a source may start
    /// later), or `first` and `last` if none has one.
    pub fn shown(
        &self,
        series: &[(MetricId, UnitId)],
        frequency: Frequency,
        first: Month,
        last: Month,
    ) -> (Month, Month) {
        if frequency == Frequency::Monthly {
            return (first, last);
        }
        let with_values: Vec<Month> = frequency
            .through(first, last)
            .into_iter()
            .filter(|&month| series.iter().any(|&(metric, unit)| self.value(metric, unit, month).is_some()))
            .collect();
        match (with_values.first(), with_values.last()) {
            (Some(&earliest), Some(&latest)) => (earliest, latest),
            _ => (first, last),
        }
    }

    /// The input values a missing result needed but did not have, as
    /// (metric, month) pairs: what to tell the person who must fix the data.
    pub fn missing_inputs(&self, metric: MetricId, unit: UnitId, month: Month) -> Vec<(MetricId, Month)> {
        let mut missing = Vec::new();
        self.collect_missing(metric, unit, month, &mut missing, 0);
        missing.sort_by_key(|(m, month)| (*m, *month));
        missing.dedup();
        missing
    }

    fn collect_missing(
        &self,
        metric: MetricId,
        unit: UnitId,
        month: Month,
        out: &mut Vec<(MetricId, Month)>,
        depth: usize,
    ) {
        if depth > 32 || self.value(metric, unit, month).is_some() {
            return;
        }
        match &self.report.metrics[metric].definition {
            Definition::Input => out.push((metric, month)),
            Definition::Formula(expr) => self.collect_missing_expr(expr, unit, month, out, depth + 1),
        }
    }

    fn collect_missing_expr(
        &self,
        expr: &Expr,
        unit: UnitId,
        month: Month,
        out: &mut Vec<(MetricId, Month)>,
        depth: usize,
    ) {
        match expr {
            Expr::Number(_) => {}
            Expr::Metric { name, .. } => {
                if let Some(metric) = self.report.metric_by_id(name) {
                    self.collect_missing(metric, unit, month, out, depth);
                }
            }
            Expr::Negate(inner) => self.collect_missing_expr(inner, unit, month, out, depth),
            Expr::Binary(_, left, right) => {
                self.collect_missing_expr(left, unit, month, out, depth);
                self.collect_missing_expr(right, unit, month, out, depth);
            }
            Expr::Call { function, args, .. } => {
                let months: Vec<Month> = match function {
                    Function::R12 => month.plus(-11).through(month).collect(),
                    Function::Ack
                    | Function::Maluppfyllelse
                    | Function::Lagst
                    | Function::Hogst
                    | Function::LagstManad
                    | Function::HogstManad
                    | Function::Medel
                    | Function::AntalMinst
                    | Function::AntalHogst
                    | Function::AndelMinst
                    | Function::AndelHogst => month.year_start().through(month).collect(),
                    Function::Helar => month.year_start().through(Month { year: month.year, month: 12 }).collect(),
                    Function::ForegaendeAr => vec![month.plus(-12)],
                    Function::Forandring | Function::ForandringProcent => {
                        vec![month, month.plus(-12)]
                    }
                    Function::Andel | Function::MotMal => vec![month],
                };
                for arg in args {
                    for &m in &months {
                        self.collect_missing_expr(arg, unit, m, out, depth);
                    }
                }
            }
        }
    }

    /// The whole series of a metric for a unit, computed once.
    pub fn series(&self, metric: MetricId, unit: UnitId) -> Values {
        if let Some(values) = self.cache.borrow().get(&(metric, unit)) {
            return values.clone();
        }
        let values: Values = match &self.report.metrics[metric].definition {
            Definition::Input => self.input(metric, unit),
            Definition::Formula(expr) => self.eval(expr, unit).into(),
        };
        self.cache.borrow_mut().insert((metric, unit), values.clone());
        values
    }

    fn input(&self, metric: MetricId, unit: UnitId) -> Values {
        let mut values = vec![None; self.timeline.len];
        for (metric_name, unit_name) in self.report.inputs.of(metric, unit) {
            let Some(series) = self.data.series(metric_name, unit_name) else { continue };
            for (month, cell) in series.iter() {
                if let Some(index) = self.timeline.index(month) {
                    values[index] = cell.value;
                }
            }
        }
        values.into()
    }

    /// Evaluates a formula for one unit over the whole timeline. Validation
    /// has checked names, arity and cycles.
    fn eval(&self, expr: &Expr, unit: UnitId) -> Vec<Option<f64>> {
        let len = self.timeline.len;
        match expr {
            Expr::Number(n) => vec![Some(*n); len],
            Expr::Metric { name, .. } => match self.report.metric_by_id(name) {
                Some(metric) => self.series(metric, unit).to_vec(),
                None => vec![None; len],
            },
            Expr::Negate(inner) => self.eval(inner, unit).into_iter().map(|v| v.map(|v| -v)).collect(),
            Expr::Binary(operator, left, right) => {
                let (left, right) = (self.eval(left, unit), self.eval(right, unit));
                left.iter()
                    .zip(&right)
                    .map(|(l, r)| {
                        let (l, r) = ((*l)?, (*r)?);
                        let result = match operator {
                            Operator::Add => l + r,
                            Operator::Subtract => l - r,
                            Operator::Multiply => l * r,
                            Operator::Divide => l / r,
                        };
                        result.is_finite().then_some(result)
                    })
                    .collect()
            }
            Expr::Call { function, args, .. } => self.call(*function, args, unit),
        }
    }

    fn call(&self, function: Function, args: &[Expr], unit: UnitId) -> Vec<Option<f64>> {
        let x = self.eval(&args[0], unit);
        // The second argument (a whole or a target), evaluated once.
        let y = match (function, args.get(1)) {
            (Function::Andel, Some(arg)) => self.eval(arg, unit),
            (function, Some(arg)) if function.takes_target() => self.eval(arg, unit),
            (function, None) if function.takes_target() => {
                vec![self.own_target(&args[0]); self.timeline.len]
            }
            _ => Vec::new(),
        };
        let timeline = self.timeline;
        // Index of January of the month's year; `None` when it lies before
        // the timeline (those months count as missing).
        let january = |i: usize| i.checked_sub((timeline.month(i).month - 1) as usize);
        let a_year_back = |values: &[Option<f64>], i: usize| i.checked_sub(12).and_then(|j| values[j]);
        let sum = |values: &[Option<f64>]| values.iter().copied().sum::<Option<f64>>();
        (0..timeline.len)
            .map(|i| match function {
                Function::R12 => i.checked_sub(11).and_then(|start| sum(&x[start..=i])),
                Function::Ack => sum(&x[january(i)?..=i]),
                Function::Helar => {
                    let start = january(i)?;
                    x.get(start..start + 12).and_then(sum)
                }
                Function::ForegaendeAr => a_year_back(&x, i),
                Function::Forandring => Some(x[i]? - a_year_back(&x, i)?),
                Function::ForandringProcent => {
                    let before = a_year_back(&x, i)?;
                    (before != 0.0).then_some((x[i]? / before - 1.0) * 100.0)
                }
                Function::Andel => {
                    let whole = y[i]?;
                    (whole != 0.0).then_some(x[i]? / whole * 100.0)
                }
                Function::MotMal => Some(x[i]? - y[i]?),
                Function::Maluppfyllelse => {
                    of_months(Function::AndelMinst, &x[january(i)?..=i], &y[january(i)?..=i], |_| 0)
                }
                function if function.of_months() => {
                    let start = january(i)?;
                    let targets = if y.is_empty() { &[][..] } else { &y[start..=i] };
                    of_months(function, &x[start..=i], targets, |k| timeline.month(start + k).month)
                }
                _ => None,
            })
            .collect()
    }

    /// The `mal` of the metric a one-argument `maluppfyllelse(x)` or
    /// `mot_mal(x)` names.
    fn own_target(&self, arg: &Expr) -> Option<f64> {
        let Expr::Metric { name, .. } = arg else {
            return None;
        };
        self.report.metrics[self.report.metric_by_id(name)?].target
    }
}

/// A function of a run of months (see [`Function::of_months`]): `values`
/// and `targets` month by month (no targets for the functions without),
/// `month(k)` the month number (1–12) of the `k`th.
fn of_months(
    function: Function,
    values: &[Option<f64>],
    targets: &[Option<f64>],
    month: impl Fn(usize) -> u32,
) -> Option<f64> {
    // How many months met the target, of those with a value and a target.
    let count = |meets: fn(f64, f64) -> bool| {
        let (met, counted) = values.iter().zip(targets).fold((0, 0), |(met, counted), pair| match pair {
            (Some(v), Some(t)) => (met + usize::from(meets(*v, *t)), counted + 1),
            _ => (met, counted),
        });
        (counted > 0).then_some((met as f64, counted as f64))
    };
    match function {
        Function::Lagst => extreme(values, false).map(|(_, v)| v),
        Function::Hogst => extreme(values, true).map(|(_, v)| v),
        Function::LagstManad => extreme(values, false).map(|(k, _)| f64::from(month(k))),
        Function::HogstManad => extreme(values, true).map(|(k, _)| f64::from(month(k))),
        Function::Medel => {
            let present: Vec<f64> = values.iter().flatten().copied().collect();
            (!present.is_empty()).then(|| present.iter().sum::<f64>() / present.len() as f64)
        }
        Function::AntalMinst => count(|v, t| v >= t).map(|(met, _)| met),
        Function::AntalHogst => count(|v, t| v <= t).map(|(met, _)| met),
        Function::AndelMinst => count(|v, t| v >= t).map(|(met, counted)| met / counted * 100.0),
        Function::AndelHogst => count(|v, t| v <= t).map(|(met, counted)| met / counted * 100.0),
        _ => None,
    }
}

/// The place and value of the lowest (or highest) value; the first of equals.
fn extreme(values: &[Option<f64>], highest: bool) -> Option<(usize, f64)> {
    values.iter().enumerate().filter_map(|(i, v)| v.map(|v| (i, v))).fold(None, |best, (i, v)| match best {
        Some((_, b)) if (highest && v <= b) || (!highest && v >= b) => best,
        _ => Some((i, v)),
    })
}

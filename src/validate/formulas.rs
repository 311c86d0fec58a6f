//! Metrics as the report file defines them: name, unit, decimals, and
//! either read from the data or computed by a formula whose names, targets
//! and dependencies are checked here.

use std::collections::BTreeMap;

use crate::config::MetricEntry;
use crate::context::Context;
use crate::diagnostic::{Diagnostic, Located};
use crate::formula::{self, Expr, Function};
use crate::keyword;
use crate::model::{Aggregation, Definition, Metric};
use crate::period::Frequency;
use crate::swedish::NumberStyle;
use crate::validate::names::{self, Names};
use crate::validate::text::TextOrigin;

/// Most decimals a metric may show.
const MAX_DECIMALS: i64 = 6;

/// The metrics in the order written in the file, which is how people read
/// them; a metric with a broken definition is reported and left out.
pub fn metrics(cx: &mut Context, entries: &BTreeMap<String, Located<MetricEntry>>) -> Vec<Metric> {
    let mut entries: Vec<_> = entries.iter().collect();
    entries.sort_by_key(|(_, entry)| entry.span.start);
    let mut metrics = Vec::new();
    let mut formulas = Vec::new();
    for (name, entry) in entries {
        // The metric's name is the table key; the table's span stands for it.
        let key = Located::new(name.clone(), entry.span);
        cx.take(names::id(&key, "namn på ett mått"));
        if let Some(metric) = metric(cx, &key, &entry.value) {
            formulas.push(entry.value.formel.clone());
            metrics.push(metric);
        }
    }
    check_formulas(cx, &mut metrics, &formulas);
    metrics
}

fn metric(cx: &mut Context, key: &Located<String>, entry: &MetricEntry) -> Option<Metric> {
    let decimals = match &entry.decimaler {
        Some(d) if !(0..=MAX_DECIMALS).contains(d.get_ref()) => {
            cx.report(d.error(format!("antalet decimaler ska vara 0–{MAX_DECIMALS}")));
            1
        }
        Some(d) => *d.get_ref() as u8,
        None => 1,
    };
    let unit = entry.enhet.as_ref().map_or("", |u| u.as_str()).trim();
    let mut style = NumberStyle::new(decimals).with_unit(unit);
    if entry.tecken.unwrap_or(false) {
        style = style.signed();
    }
    let definition = match &entry.formel {
        None => Definition::Input,
        Some(written) => match formula::parse(written.as_str()) {
            Ok(expr) => Definition::Formula(expr),
            Err(error) => {
                let at = TextOrigin::of(written, &cx.sources).span(error.span.clone());
                cx.report(Diagnostic::error(format!("formeln kan inte läsas: {}", error.message)).at(at));
                // The report fails; the name stays known so that texts
                // using it are not reported as well.
                Definition::Input
            }
        },
    };
    if let Definition::Formula(Expr::Call { function: Function::LagstManad | Function::HogstManad, .. }) = &definition {
        style = style.months();
    }
    let aggregation = match &entry.aggregering {
        None if unit == "%" || matches!(definition, Definition::Formula(_)) => Aggregation::Last,
        None => Aggregation::Sum,
        Some(written) => cx.take(keyword::parse::<Aggregation>(written))?,
    };
    Some(Metric {
        id: key.get_ref().clone(),
        name: entry.namn.get_ref().trim().to_string(),
        style,
        definition,
        aggregation,
        target: entry.mal.as_ref().map(|m| *m.get_ref()),
        description: entry.beskrivning.as_ref().map(|d| d.get_ref().trim().to_string()),
        aliases: entry.alias.iter().map(|a| a.get_ref().trim().to_string()).collect(),
        // Input metrics get theirs from the data (`data::inputs`), formulas
        // from their inputs (`yearly_formulas`).
        frequency: Frequency::Monthly,
    })
}

/// Names in formulas must be metrics (resolved as everywhere, and written
/// as their ids from here on); formulas must not depend on themselves; a
/// one-argument `maluppfyllelse(x)` needs x's `mal`.
fn check_formulas(cx: &mut Context, metrics: &mut [Metric], formulas: &[Option<Located<String>>]) {
    for index in 0..metrics.len() {
        let (Definition::Formula(expr), Some(written)) = (&metrics[index].definition, &formulas[index]) else {
            continue;
        };
        let origin = TextOrigin::of(written, &cx.sources);
        let names = Names { units: &[], metrics };
        let mut ids = Vec::new();
        for (name, range) in expr.metrics() {
            match names.metric(name, origin.span(range)) {
                Ok(metric) => ids.push((name.to_string(), metrics[metric].id.clone())),
                Err(problem) => cx.report(problem),
            }
        }
        if let Definition::Formula(expr) = &mut metrics[index].definition {
            expr.rename_metrics(&mut |name| ids.iter().find(|(written, _)| written == name).map(|(_, id)| id.clone()));
        }
    }
    let metrics = &*metrics;
    for (metric, written) in metrics.iter().zip(formulas) {
        let (Definition::Formula(expr), Some(written)) = (&metric.definition, written) else {
            continue;
        };
        let origin = TextOrigin::of(written, &cx.sources);
        if let Some(range) = missing_own_target(expr, metrics) {
            cx.report(
                Diagnostic::error("målvärde saknas")
                    .at(origin.span(range))
                    .hint("ge måttet som funktionen räknar på ett `mal = …`, eller skriv målet som andra argument"),
            );
        }
        if depends_on(expr, &metric.id, metrics, 0) {
            cx.report(
                written
                    .error(format!("formeln för `{}` beror på sig själv", metric.id))
                    .hint("en formel kan bara bygga på andra mått"),
            );
        }
    }
}

/// Where a one-argument `maluppfyllelse(x)`/`mot_mal(x)` names a metric
/// without `mal`.
fn missing_own_target(expr: &Expr, metrics: &[Metric]) -> Option<std::ops::Range<usize>> {
    match expr {
        Expr::Call { function, args, span } if function.takes_target() && args.len() == 1 => {
            let has_target = matches!(&args[0], Expr::Metric { name, .. } if metrics.iter().any(|m| &m.id == name && m.target.is_some()));
            (!has_target).then(|| span.clone())
        }
        Expr::Call { args, .. } => args.iter().find_map(|a| missing_own_target(a, metrics)),
        Expr::Negate(inner) => missing_own_target(inner, metrics),
        Expr::Binary(_, left, right) => {
            missing_own_target(left, metrics).or_else(|| missing_own_target(right, metrics))
        }
        _ => None,
    }
}

/// Whether `expr` reaches metric `id` through the formulas it names.
fn depends_on(expr: &Expr, id: &str, metrics: &[Metric], depth: usize) -> bool {
    if depth > metrics.len() {
        return true;
    }
    expr.metrics().into_iter().any(|(name, _)| {
        name == id
            || metrics.iter().find(|m| m.id == name).is_some_and(|m| match &m.definition {
                Definition::Formula(inner) => depends_on(inner, id, metrics, depth + 1),
                Definition::Input => false,
            })
    })
}

/// A formula over a yearly metric is yearly. The functions that add up or
/// count months (`r12`, `ack`, `helar`, `maluppfyllelse`) mean nothing for
/// a value per year and are refused.
pub fn yearly_formulas(cx: &mut Context, metrics: &mut [Metric], entries: &BTreeMap<String, Located<MetricEntry>>) {
    // Each round settles one more level of formulas over formulas.
    for _ in 0..metrics.len() {
        let yearly: Vec<bool> = metrics
            .iter()
            .map(|metric| match &metric.definition {
                Definition::Formula(expr) => uses_yearly(expr, metrics),
                Definition::Input => metric.frequency == Frequency::Yearly,
            })
            .collect();
        let mut changed = false;
        for (metric, yearly) in metrics.iter_mut().zip(yearly) {
            if yearly && metric.frequency != Frequency::Yearly {
                metric.frequency = Frequency::Yearly;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for metric in metrics.iter() {
        let Definition::Formula(expr) = &metric.definition else { continue };
        let Some(written) = entries.get(&metric.id).and_then(|e| e.value.formel.as_ref()) else { continue };
        if let Some((function, range)) = month_function_over_years(expr, metrics) {
            let at = TextOrigin::of(written, &cx.sources).span(range);
            cx.report(
                Diagnostic::error(format!("{}() räknar med månader, men måttet har ett värde per år", function.name()))
                    .at(at)
                    .hint("för årsvärden fungerar foregaende_ar, forandring, forandring_procent, andel och mot_mal"),
            );
        }
    }
}

/// Whether a formula names a yearly metric.
fn uses_yearly(expr: &Expr, metrics: &[Metric]) -> bool {
    expr.metrics().into_iter().any(|(name, _)| metrics.iter().any(|m| m.id == name && m.frequency == Frequency::Yearly))
}

/// The first call of a function over months whose argument is yearly.
fn month_function_over_years(expr: &Expr, metrics: &[Metric]) -> Option<(Function, std::ops::Range<usize>)> {
    match expr {
        Expr::Call { function, args, span } => {
            if function.over_months() && uses_yearly(&args[0], metrics) {
                return Some((*function, span.clone()));
            }
            args.iter().find_map(|arg| month_function_over_years(arg, metrics))
        }
        Expr::Negate(inner) => month_function_over_years(inner, metrics),
        Expr::Binary(_, left, right) => {
            month_function_over_years(left, metrics).or_else(|| month_function_over_years(right, metrics))
        }
        Expr::Number(_) | Expr::Metric { .. } => None,
    }
}

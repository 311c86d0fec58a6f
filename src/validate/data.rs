//! The loaded figures against the report file: every value must belong to
//! a declared unit and an input metric, and lie no later than the end of
//! the report year. Gives the map from the names the data files use to the
//! report's metrics and units.

use std::collections::BTreeSet;

use crate::context::Context;
use crate::dataset::DataSet;
use crate::diagnostic::Diagnostic;
use crate::model::{Definition, Inputs};
use crate::period::Month;
use crate::validate::names::Names;

pub fn inputs(cx: &mut Context, data: &DataSet, names: Names, period: Option<Month>) -> Inputs {
    let mut inputs = Inputs::default();
    let mut reported = BTreeSet::new();
    for (metric_name, unit_name) in data.keys() {
        let Some(series) = data.series(metric_name, unit_name) else { continue };
        let (Some(metric_origin), Some(unit_origin)) = (series.metric_origin, series.unit_origin) else { continue };
        let metric = match names.metric(metric_name, metric_origin) {
            Ok(metric) => Some(metric),
            Err(problem) => {
                if reported.insert(("matt", metric_name)) {
                    cx.report(problem);
                }
                None
            }
        };
        if let Some(metric) = metric
            && matches!(names.metrics[metric].definition, Definition::Formula(_))
        {
            if reported.insert(("matt", metric_name)) {
                cx.report(
                    Diagnostic::error(format!(
                        "måttet `{metric_name}` beräknas med en formel och kan inte också läsas från data"
                    ))
                    .at(metric_origin)
                    .hint("ta bort raderna ur datafilen, eller formeln ur rapport.toml"),
                );
            }
            continue;
        }
        let unit = match names.unit(unit_name, unit_origin) {
            Ok(unit) => Some(unit),
            Err(problem) => {
                if reported.insert(("enhet", unit_name)) {
                    cx.report(problem);
                }
                None
            }
        };
        if let Some(period) = period {
            let year_end = Month { year: period.year, month: 12 };
            if let Some((month, cell)) = series.iter().find(|(month, _)| *month > year_end) {
                cx.report(
                    Diagnostic::error(format!("månaden {month} ligger efter rapportåret {}", period.year))
                        .at(cell.origin)
                        .hint("kontrollera rapportens period och att datafilen gäller rätt år"),
                );
            }
        }
        if let (Some(metric), Some(unit)) = (metric, unit) {
            inputs.add(metric, unit, (metric_name, unit_name));
        }
    }
    inputs
}

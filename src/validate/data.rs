//! The loaded figures against the report file: every value must belong to
//! a declared unit and an input metric, and lie no later than the end of
//! the report year. Gives the map from the names the data files use to the
//! report's metrics and units, and whether each input metric is monthly or
//! yearly (all its series must agree).

use std::collections::BTreeSet;

use crate::context::Context;
use crate::dataset::DataSet;
use crate::diagnostic::Diagnostic;
use crate::model::{Definition, Inputs};
use crate::period::{Frequency, Month};
use crate::validate::names::Names;

/// The inputs, and each metric's frequency (by `MetricId`).
pub fn inputs(cx: &mut Context, data: &DataSet, names: Names, period: Option<Month>) -> (Inputs, Vec<Frequency>) {
    let mut inputs = Inputs::default();
    let resolver = names.resolver();
    let mut reported = BTreeSet::new();
    // Per metric: the frequency of its first series, and that series' unit.
    let mut frequencies: Vec<Option<(Frequency, &str)>> = vec![None; names.metrics.len()];
    for (metric_name, unit_name) in data.keys() {
        let Some(series) = data.series(metric_name, unit_name) else { continue };
        let (Some(metric_origin), Some(unit_origin)) = (series.metric_origin, series.unit_origin) else { continue };
        let metric = match resolver.metric(metric_name, metric_origin) {
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
        let unit = match resolver.unit(unit_name, unit_origin) {
            Ok(unit) => Some(unit),
            Err(problem) => {
                let first_word = unit_name.split([' ', ':', ',']).find(|w| !w.is_empty()).unwrap_or(unit_name);
                let problem = problem.hint(format!(
                    "är raden ingen enhet utan en summa-, rubrik- eller anteckningsrad, skriv under [[data]] i rapport.toml: ignorera_rader = [\"{first_word}\"]"
                ));
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
                    Diagnostic::error(format!(
                        "{} ligger efter rapportåret {}",
                        series.frequency.named(month),
                        period.year
                    ))
                    .at(cell.origin)
                    .hint("kontrollera rapportens period och att datafilen gäller rätt år"),
                );
            }
        }
        if let Some(metric) = metric {
            match frequencies[metric] {
                None => frequencies[metric] = Some((series.frequency, unit_name)),
                Some((first, first_unit)) if first != series.frequency => {
                    if reported.insert(("frekvens", metric_name)) {
                        let (yearly, monthly) =
                            if first == Frequency::Yearly { (first_unit, unit_name) } else { (unit_name, first_unit) };
                        cx.report(
                            Diagnostic::error(format!(
                                "måttet `{metric_name}` har årsvärden för `{yearly}` men månadsvärden för `{monthly}`"
                            ))
                            .at(metric_origin)
                            .hint("ett mått har antingen ett värde per månad eller ett per år; ge årsvärdena ett eget mått"),
                        );
                    }
                }
                Some(_) => {}
            }
        }
        if let (Some(metric), Some(unit)) = (metric, unit) {
            // The same unit may be written differently in two files; a
            // month given under both is given twice.
            for (other_metric, other_unit) in inputs.of(metric, unit) {
                let Some(other) = data.series(other_metric, other_unit) else { continue };
                if let Some((month, cell)) = series.iter().find(|(month, _)| other.get(*month).is_some()) {
                    let first = other.get(month).map(|c| cx.sources.place(c.origin).to_string()).unwrap_or_default();
                    cx.report(
                        Diagnostic::error(format!(
                            "värdet för {} finns två gånger: för `{metric_name}`/`{unit_name}` och för `{other_metric}`/`{other_unit}`, som är samma mått och enhet",
                            series.frequency.named(month)
                        ))
                        .at(cell.origin)
                        .hint(format!("det första värdet står i {first}; ta bort det ena ur datafilerna")),
                    );
                    break;
                }
            }
            inputs.add(metric, unit, (metric_name, unit_name));
        }
    }
    (inputs, frequencies.into_iter().map(|f| f.map_or(Frequency::Monthly, |(f, _)| f)).collect())
}

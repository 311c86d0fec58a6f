//! Sections (a slide, a headed part of an A4 document) and what they show:
//! charts, a table, key figures, commentary and notes.

use crate::config::{ChartEntry, KeyFigureEntry, SectionEntry, SeriesEntry, TableEntry};
use crate::context::Context;
use crate::diagnostic::{Diagnostic, Located};
use crate::keyword;
use crate::load::Project;
use crate::model::{
    Aggregation, Chart, ChartKind, Column, KeyFigure, Kind, Section, SeriesRef, SeriesRule, Table, UnitId,
};
use crate::period::{Frequency, Month, Period};
use crate::validate::names::{self, Scope};
use crate::validate::{commentary, text};

/// One section; `star_unit` is the unit a `*` section is shown for.
pub fn section(
    cx: &mut Context,
    entry: &SectionEntry,
    star_unit: Option<UnitId>,
    project: &Project,
    scope: Scope,
    kind: Option<Kind>,
) -> Option<Section> {
    let errors_before = cx.diagnostics.errors();
    if kind.is_some_and(Kind::needs_headings) && entry.rubrik.text().is_none() {
        cx.report(
            entry
                .rubrik
                .error("avsnittet saknar rubrik")
                .hint("varje bild i en statusrapport och varje avsnitt i en månadsrapport behöver en rubrik"),
        );
    }
    let unit = match star_unit {
        Some(unit) => Some(unit),
        None => entry.enhet.as_ref().and_then(|u| cx.take(scope.names.unit_at(u))),
    };
    let scope = scope.for_unit(unit);
    let heading = text::template(cx, &entry.rubrik, scope);
    let footnote = entry.fotnot.as_ref().and_then(|f| text::template(cx, f, scope));
    let commentary = entry.kommentar.as_ref().and_then(|named| {
        let path = crate::config::commentary_path(named.get_ref(), star_unit.map(|u| scope.units()[u].id.as_str()));
        let loaded = project.commentaries.get(&path)?;
        commentary::commentary(cx, loaded, scope)
    });
    let charts: Vec<Chart> = entry.diagram.iter().filter_map(|chart_entry| chart(cx, chart_entry, scope)).collect();
    let table = entry.tabell.as_ref().and_then(|table_entry| table(cx, table_entry, scope));
    let key_figures = entry.nyckeltal.iter().filter_map(|figure| key_figure(cx, figure, scope)).collect();
    (cx.diagnostics.errors() == errors_before).then(|| Section {
        heading: heading.unwrap_or_default(),
        origin: entry.rubrik.span,
        unit,
        commentary,
        charts,
        table,
        key_figures,
        footnote,
        source_note: entry.kalla.as_ref().map(|k| k.get_ref().trim().to_string()),
    })
}

/// One metric for one unit (the series', or else the section's).
fn series(cx: &mut Context, entry: &SeriesEntry, scope: Scope) -> Option<SeriesRef> {
    let metric = cx.take(scope.names.metric_at(&entry.matt));
    let unit = match &entry.enhet {
        Some(written) => cx.take(scope.names.unit_at(written)),
        None => scope.unit.or_else(|| {
            cx.report(
                entry
                    .matt
                    .error("det framgår inte vilken enhet serien gäller")
                    .hint("ange enhet = \"…\" för serien eller för avsnittet"),
            );
            None
        }),
    };
    let (metric, unit) = (metric?, unit?);
    let label =
        entry.namn.as_ref().map_or_else(|| scope.units()[unit].short_name.clone(), |n| n.get_ref().trim().to_string());
    Some(SeriesRef { metric, unit, label, origin: entry.matt.span })
}

/// The units a chart or table lists, or all of them.
fn listed_units(cx: &mut Context, listed: &[Located<String>], scope: Scope) -> Vec<UnitId> {
    if listed.is_empty() {
        return (0..scope.units().len()).collect();
    }
    listed.iter().filter_map(|u| cx.take(scope.names.unit_at(u))).collect()
}

fn chart(cx: &mut Context, entry: &ChartEntry, scope: Scope) -> Option<Chart> {
    let errors_before = cx.diagnostics.errors();
    let kind = cx.take(keyword::parse::<ChartKind>(&entry.typ))?;
    let Some(period) = scope.period else {
        cx.report(
            entry
                .typ
                .error("diagram kräver att rapporten har en period")
                .hint("ange period = \"ÅÅÅÅ-MM\" i rapport.toml"),
        );
        return None;
    };
    let mut series = Vec::new();
    if let Some(matt) = &entry.matt {
        if kind.series() == SeriesRule::PerUnit {
            let metric = cx.take(scope.names.metric_at(matt))?;
            series.extend(listed_units(cx, &entry.enheter, scope).into_iter().map(|unit| SeriesRef {
                metric,
                unit,
                label: scope.units()[unit].short_name.clone(),
                origin: matt.span,
            }));
        } else {
            let single = SeriesEntry { matt: matt.clone(), enhet: None, namn: None };
            series.extend(self::series(cx, &single, scope));
        }
    }
    for entry in &entry.serier {
        series.extend(self::series(cx, entry, scope));
    }
    if series.is_empty() {
        // Unless a series was already reported (an unknown metric).
        if cx.diagnostics.errors() == errors_before {
            cx.report(
                entry
                    .typ
                    .error("diagrammet har ingen serie")
                    .hint("ange matt = \"…\" eller serier = [{ matt = \"…\", enhet = \"…\" }]"),
            );
        }
        return None;
    }
    let count_problem = match kind.series() {
        SeriesRule::One if series.len() > 1 => Some(format!("ett diagram av typen {} visar en serie", kind.name())),
        SeriesRule::Several(_, most) if series.len() > most => {
            Some(format!("ett diagram av typen {} visar högst {most} serier", kind.name()))
        }
        _ => None,
    };
    if let Some(message) = count_problem {
        let hint = match kind {
            ChartKind::Bar | ChartKind::BarAccumulated => "använd typ = \"linje\" eller \"grupperad\" för flera serier",
            _ => "dela upp serierna på två diagram",
        };
        cx.report(entry.typ.error(message).hint(hint));
        return None;
    }
    let metric = &scope.metrics()[series[0].metric];
    let frequency = metric.frequency;
    if series.iter().any(|s| scope.metrics()[s.metric].frequency != frequency) {
        cx.report(
            entry
                .typ
                .error("diagrammet blandar mått med ett värde per månad och mått med ett värde per år")
                .hint("visa årsvärden och månadsvärden i var sitt diagram"),
        );
        return None;
    }
    if kind.needs_sum() && frequency == Frequency::Yearly {
        cx.report(
            entry
                .typ
                .error(format!(
                    "måttet `{}` har ett värde per år, så det kan inte visas per månad och ackumulerat",
                    metric.id
                ))
                .hint("använd typ = \"stapel\" eller \"grupperad\""),
        );
        return None;
    }
    if kind.needs_sum() && metric.aggregation != Aggregation::Sum {
        cx.report(
            entry
                .typ
                .error(format!("måttet `{}` summeras inte över månader, så det kan inte visas ackumulerat", metric.id))
                .hint("använd typ = \"stapel\", eller ett mått med aggregering = \"summa\""),
        );
        return None;
    }
    let first = match &entry.fran {
        Some(written) => frequency.anchor(cx.take(names::first_month(written))?),
        None => kind.default_first(period, frequency),
    };
    let last = frequency.anchor(period);
    if first > last {
        cx.report(entry.fran.as_ref()?.error("diagrammet börjar efter rapportmånaden"));
        return None;
    }
    let title = match &entry.rubrik {
        Some(title) => Some(text::template(cx, title, scope)?),
        None => None,
    };
    Some(Chart {
        kind,
        title,
        first,
        last,
        frequency,
        target: entry.mal.as_ref().map(|m| *m.get_ref()).or(metric.target),
        series,
    })
}

fn table(cx: &mut Context, entry: &TableEntry, scope: Scope) -> Option<Table> {
    let first_heading = entry.forsta_kolumn.as_ref().map(|h| h.get_ref().trim().to_string());
    match (entry.kolumner.is_empty(), entry.rader.is_empty()) {
        (false, true) => {
            let columns: Vec<Column> = entry
                .kolumner
                .iter()
                .filter_map(|column| {
                    let metric = cx.take(scope.names.metric_at(&column.matt))?;
                    let period = match (&column.period, scope.period) {
                        (Some(written), _) => {
                            let period = cx.take(names::period(written))?;
                            let yearly = scope.metrics()[metric].frequency == Frequency::Yearly;
                            if yearly && !matches!(period, Period::Year(_)) {
                                cx.report(
                                    written
                                        .error(format!("måttet `{}` har ett värde per år", column.matt.as_str()))
                                        .hint("skriv perioden som ett år, till exempel period = \"2023\""),
                                );
                                return None;
                            }
                            Some(period)
                        }
                        (None, Some(_)) if scope.metrics()[metric].frequency == Frequency::Yearly => None,
                        (None, Some(month)) => Some(Period::Month(month)),
                        (None, None) => {
                            cx.report(
                                column
                                    .matt
                                    .error("kolumnen kräver en period")
                                    .hint("ange period för kolumnen eller rapporten"),
                            );
                            return None;
                        }
                    };
                    let heading = column
                        .rubrik
                        .as_ref()
                        .map_or_else(|| scope.metrics()[metric].name.clone(), |r| r.get_ref().trim().to_string());
                    Some(Column { metric, heading, period, origin: column.matt.span })
                })
                .collect();
            let units = listed_units(cx, &entry.enheter, scope);
            (columns.len() == entry.kolumner.len()).then(|| Table::UnitsByMetrics {
                first_heading: first_heading.unwrap_or_else(|| "Enhet".into()),
                units,
                columns,
                total: entry.summa.as_ref().map(|s| s.get_ref().trim().to_string()),
            })
        }
        (true, false) => {
            let rows: Vec<SeriesRef> = entry.rader.iter().filter_map(|row| series(cx, row, scope)).collect();
            if rows.len() != entry.rader.len() {
                return None;
            }
            let period = scope.period?;
            let frequency = scope.metrics()[rows.first()?.metric].frequency;
            if rows.iter().any(|r| scope.metrics()[r.metric].frequency != frequency) {
                cx.report(
                    entry.rader[0]
                        .matt
                        .error("tabellen blandar mått med ett värde per månad och mått med ett värde per år")
                        .hint("visa årsvärden och månadsvärden i var sin tabell"),
                );
                return None;
            }
            let first = match (&entry.fran, frequency) {
                (Some(written), _) => frequency.anchor(cx.take(names::first_month(written))?),
                (None, Frequency::Monthly) => period.plus(-12),
                (None, Frequency::Yearly) => Month { year: period.year - 5, month: 12 },
            };
            Some(Table::SeriesByMonths {
                first_heading: first_heading.unwrap_or_default(),
                rows,
                frequency,
                first,
                last: frequency.anchor(period),
            })
        }
        _ => {
            let problem =
                Diagnostic::error("en tabell har antingen kolumner (mått per enhet) eller rader (serier per månad)")
                    .hint("ange kolumner = [{ matt = \"…\" }] eller rader = [{ matt = \"…\", enhet = \"…\" }]");
            let at = entry.kolumner.first().map(|c| c.matt.span).or(entry.rader.first().map(|r| r.matt.span));
            cx.report(match at {
                Some(at) => problem.at(at),
                None => problem.in_file(&cx.root.join(crate::config::REPORT_FILE)),
            });
            None
        }
    }
}

fn key_figure(cx: &mut Context, entry: &KeyFigureEntry, scope: Scope) -> Option<KeyFigure> {
    let series = series(cx, &SeriesEntry { matt: entry.matt.clone(), enhet: entry.enhet.clone(), namn: None }, scope)?;
    if scope.period.is_none() {
        cx.report(entry.matt.error("nyckeltal kräver att rapporten har en period"));
        return None;
    }
    let heading = entry
        .rubrik
        .as_ref()
        .map_or_else(|| scope.metrics()[series.metric].name.clone(), |r| r.get_ref().trim().to_string());
    Some(KeyFigure { series, heading, latest_available: entry.senaste.unwrap_or(false) })
}

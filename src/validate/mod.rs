//! Validate: turn the raw project into a [`Report`] whose every name,
//! period, formula and placeholder is checked. Each problem names its file,
//! line and column; validation goes on after a problem so that all of them
//! show at once.
//!
//! One concern a module: the report's header and units (`report`), metrics
//! and their formulas (`formulas`), the loaded figures (`data`), sections
//! with their charts, tables and key figures (`sections`), commentary files
//! (`commentary`), texts with placeholders (`text`), fetched sources
//! (`sources`), all resolving names through `names`.

mod commentary;
mod data;
mod formulas;
pub mod names;
mod report;
mod sections;
pub mod sources;
pub mod text;

use crate::config::{ReportFile, SectionEntry};
use crate::context::Context;
use crate::load::Project;
use crate::model::{Piece, Report, Source, UnitId, Variant};
use names::{Names, Scope};

/// Checks a loaded project and builds the report of one of its PDFs (the
/// whole report, or one unit's). Returns `None` if there were errors (all of
/// them are in `cx.diagnostics`).
pub fn validate(cx: &mut Context, project: &Project, variant: &Variant) -> Option<Report> {
    let errors_before = cx.diagnostics.errors();
    let config = &project.config;
    let header = report::header(cx, config)?;
    let units = report::units(cx, config);
    let mut metrics = formulas::metrics(cx, &config.matt);
    let (inputs, frequencies) =
        data::inputs(cx, &project.data, Names { units: &units, metrics: &metrics }, header.period);
    for (metric, frequency) in metrics.iter_mut().zip(frequencies) {
        metric.frequency = frequency;
    }
    formulas::yearly_formulas(cx, &mut metrics, &config.matt);
    let names = Names { units: &units, metrics: &metrics };
    let fetched = sources::sources(cx, &config.kalla, names);
    let scope = Scope { names, period: header.period, unit: None };

    let star_units = report::star_units(cx, config, names);
    let mut sections = Vec::new();
    let is_star = |entry: &SectionEntry| entry.enhet.as_ref().is_some_and(|u| u.get_ref() == "*");
    let mut index = 0;
    while index < config.avsnitt.len() {
        // Consecutive `*` sections repeat together, unit by unit.
        let group = config.avsnitt[index..].iter().take_while(|e| is_star(e)).count();
        if group == 0 {
            sections.extend(sections::section(cx, &config.avsnitt[index], None, project, scope, header.kind));
            index += 1;
            continue;
        }
        let units_here: Vec<UnitId> = match variant {
            Variant::Whole => star_units.clone(),
            Variant::Unit(id) => units.iter().position(|u| &u.id == id).into_iter().collect(),
        };
        for unit in units_here {
            for entry in &config.avsnitt[index..index + group] {
                sections.extend(sections::section(cx, entry, Some(unit), project, scope, header.kind));
            }
        }
        index += group;
    }

    let mut title = text::template(cx, &config.titel, scope).unwrap_or_default();
    if let Variant::Unit(id) = variant
        && let Some(unit) = units.iter().find(|u| &u.id == id)
    {
        title.0.push(Piece::Text(format!(": {}", unit.name)));
    }
    let subtitle = config.undertitel.as_ref().filter(|s| s.text().is_some());
    let subtitle = subtitle.and_then(|s| text::template(cx, s, scope));
    let report = Report {
        root: cx.root.clone(),
        name: variant.pdf_stem(&cx.root),
        kind: header.kind?,
        title,
        subtitle,
        namnd: config.namnd.get_ref().trim().to_string(),
        forvaltning: config.forvaltning.as_ref().and_then(|s| s.text()),
        recipient: config.mottagare.as_ref().and_then(|s| s.text()),
        period: header.period,
        date: header.date?,
        diarienummer: config.diarienummer.as_ref().and_then(|s| s.text()),
        logo: project.logo.clone(),
        handlaggare: config.handlaggare.as_ref().map(report::person),
        signatures: config.underskrift.iter().map(report::person).collect(),
        signature_heading: config.underskrift_rubrik.as_ref().and_then(|s| s.text()),
        extract_to: config.utdrag_till.iter().map(|s| s.get_ref().trim().to_string()).collect(),
        data_appendix: config.bilaga_diagramdata.unwrap_or(false),
        layout: report::layout(cx, config),
        units,
        metrics,
        inputs,
        sections,
        sources: fetched,
    };
    (cx.diagnostics.errors() == errors_before).then_some(report)
}

/// The `[[kalla]]` entries of a report file, checked against its units and
/// metrics, for `hamta`: it runs before the figures it fetches exist, so
/// it checks only what fetching needs (problems elsewhere in the file are
/// left to `check`).
pub fn sources_of(cx: &mut Context, config: &ReportFile) -> Vec<Source> {
    let mut quiet = cx.clone();
    let units = report::units(&mut quiet, config);
    let metrics = formulas::metrics(&mut quiet, &config.matt);
    sources::sources(cx, &config.kalla, Names { units: &units, metrics: &metrics })
}

//! Validate: turn the raw project into a [`Report`] whose every name,
//! period, formula and placeholder is checked. Each problem names its file,
//! line and column; validation goes on after a problem so that all of them
//! show at once.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use toml::Spanned;

use crate::commentary::{self, Commentary, Names, Piece, Status, TextOrigin, TextTemplate};
use crate::config::{
    ChartEntry, KeyFigureEntry, MetricEntry, PerUnit, Person as PersonEntry, SectionEntry, SeriesEntry, TableEntry,
};
use crate::dataset::{DataSet, Span};
use crate::diagnostic::{Diagnostic, SourceId, did_you_mean};
use crate::formula::{self, Expr};
use crate::load::{Context, Project};
use crate::model::*;
use crate::period::{Month, Period};
use crate::swedish::NumberStyle;

/// Most decimals a metric may show.
const MAX_DECIMALS: i64 = 6;

/// Checks a loaded project and builds the report of one of its PDFs (the
/// whole report, or one unit's). Returns `None` if there were errors (all of
/// them are in `cx.diagnostics`).
pub fn validate(cx: &mut Context, project: &Project, variant: &Variant) -> Option<Report> {
    let errors_before = cx.diagnostics.errors();
    let mut v = Validator { cx, source: project.report_source };
    let config = &project.config;

    let kind = v.kind(&config.typ);
    if config.titel.get_ref().trim().is_empty() {
        v.error_at(
            &config.titel,
            "rapporten saknar titel",
            Some("titeln blir dokumentets titel i PDF-filen; skriv titel = \"…\""),
        );
    }
    let period = config.period.as_ref().and_then(|p| v.month(p));
    if period.is_none() && config.period.is_none() && kind.is_some_and(Kind::needs_period) {
        v.error_at(
            &config.typ,
            "rapporten saknar period",
            Some("ange rapportmånaden, till exempel period = \"2023-09\""),
        );
        return None;
    }
    // A period that is written but wrong would make every placeholder and
    // chart report it again; stop at the header.
    if config.period.is_some() && period.is_none() {
        return None;
    }
    let date = match &config.datum {
        Some(written) => v.date(written),
        None => period.map(Month::last_day),
    };
    if date.is_none() && config.datum.is_none() && period.is_none() {
        v.error_at(&config.titel, "rapporten saknar datum", Some("ange datum = \"ÅÅÅÅ-MM-DD\""));
    }
    let units = v.units(config);
    let metrics = v.metrics(&config.matt);
    v.check_data(&project.data, &units, &metrics, period);

    let star_units = v.star_units(config, &units);
    let mut sections = Vec::new();
    let is_star = |entry: &SectionEntry| entry.enhet.as_ref().is_some_and(|u| u.get_ref() == "*");
    let mut index = 0;
    while index < config.avsnitt.len() {
        // Consecutive `*` sections repeat together, unit by unit.
        let group = config.avsnitt[index..].iter().take_while(|e| is_star(e)).count();
        if group == 0 {
            sections.extend(v.section(&config.avsnitt[index], None, project, &units, &metrics, period, kind));
            index += 1;
            continue;
        }
        let units_here: Vec<UnitId> = match variant {
            Variant::Whole => star_units.clone(),
            Variant::Unit(id) => units.iter().position(|u| &u.id == id).into_iter().collect(),
        };
        for unit in units_here {
            for entry in &config.avsnitt[index..index + group] {
                sections.extend(v.section(entry, Some(unit), project, &units, &metrics, period, kind));
            }
        }
        index += group;
    }

    let name = variant.pdf_stem(&v.cx.root);
    let report_names = Names { units: &units, metrics: &metrics, period, unit: None };
    let mut title = v.template(&config.titel, &report_names).unwrap_or_default();
    if let Variant::Unit(id) = variant
        && let Some(unit) = units.iter().find(|u| &u.id == id)
    {
        title.0.push(Piece::Text(format!(": {}", unit.name)));
    }
    let subtitle = config.undertitel.as_ref().filter(|s| !s.get_ref().trim().is_empty());
    let subtitle = subtitle.and_then(|s| v.template(s, &report_names));
    let report = Report {
        root: v.cx.root.clone(),
        name,
        kind: kind?,
        title,
        subtitle,
        namnd: config.namnd.get_ref().trim().to_string(),
        forvaltning: text(&config.forvaltning),
        recipient: text(&config.mottagare),
        period,
        date: date?,
        diarienummer: text(&config.diarienummer),
        logo: project.logo.clone(),
        handlaggare: config.handlaggare.as_ref().map(person),
        signatures: config.underskrift.iter().map(person).collect(),
        signature_heading: text(&config.underskrift_rubrik),
        extract_to: config.utdrag_till.iter().map(|s| s.get_ref().trim().to_string()).collect(),
        data_appendix: config.bilaga_diagramdata.unwrap_or(false),
        units,
        metrics,
        sections,
    };
    (cx.diagnostics.errors() == errors_before).then_some(report)
}

/// An optional text as written, trimmed; blank counts as not written.
fn text(written: &Option<Spanned<String>>) -> Option<String> {
    written.as_ref().map(|s| s.get_ref().trim().to_string()).filter(|s| !s.is_empty())
}

fn person(entry: &PersonEntry) -> Person {
    Person {
        name: entry.namn.get_ref().trim().to_string(),
        title: text(&entry.titel),
        phone: text(&entry.telefon),
        email: text(&entry.epost),
    }
}

struct Validator<'a> {
    cx: &'a mut Context,
    /// The report file, where most spans point.
    source: SourceId,
}

impl Validator<'_> {
    fn at<T>(&self, spanned: &Spanned<T>) -> Span {
        Span::new(self.source, spanned.span())
    }

    fn error_at<T>(&mut self, spanned: &Spanned<T>, message: impl Into<String>, hint: Option<&str>) {
        let mut diagnostic = self.at(spanned).locate(Diagnostic::error(message));
        if let Some(hint) = hint {
            diagnostic = diagnostic.hint(hint);
        }
        self.cx.report(diagnostic);
    }

    fn kind(&mut self, written: &Spanned<String>) -> Option<Kind> {
        let kind = Kind::parse(written.get_ref());
        if kind.is_none() {
            let names = Kind::ALL.map(Kind::name);
            let hint = match did_you_mean(written.get_ref(), names) {
                Some(suggestion) => format!("menade du `{suggestion}`?"),
                None => format!("typerna är {}", names.join(", ")),
            };
            self.error_at(written, format!("okänd rapporttyp `{}`", written.get_ref()), Some(&hint));
        }
        kind
    }

    fn month(&mut self, written: &Spanned<String>) -> Option<Month> {
        let month = Month::parse(written.get_ref());
        if month.is_none() {
            self.error_at(
                written,
                format!("`{}` är ingen månad", written.get_ref()),
                Some("skriv år och månad: \"2023-09\""),
            );
        }
        month
    }

    fn period(&mut self, written: &Spanned<String>) -> Option<Period> {
        let period = Period::parse(written.get_ref());
        if period.is_none() {
            self.error_at(
                written,
                format!("`{}` är ingen period", written.get_ref()),
                Some("skriv en månad (2023-09), ett tertial (2023-T2), ett kvartal (2023-K1) eller ett år (2023)"),
            );
        }
        period
    }

    fn date(&mut self, written: &Spanned<String>) -> Option<NaiveDate> {
        let date = NaiveDate::parse_from_str(written.get_ref().trim(), "%Y-%m-%d").ok();
        if date.is_none() {
            self.error_at(
                written,
                format!("`{}` är inget datum", written.get_ref()),
                Some("skriv datum som ÅÅÅÅ-MM-DD, till exempel \"2023-10-12\""),
            );
        }
        date
    }

    /// Checks that an id can be written in a placeholder (`{enhet.mått}`).
    fn id(&mut self, written: &Spanned<String>, what: &str) -> bool {
        let id = written.get_ref();
        let valid = !id.is_empty() && id.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        if !valid {
            self.error_at(
                written,
                format!("`{id}` kan inte användas som {what}"),
                Some("använd bokstäver, siffror, _ och -, utan mellanslag och punkt"),
            );
        }
        valid
    }

    /// The units `*` sections and per-unit PDFs are for, checked.
    fn star_units(&mut self, config: &crate::config::ReportFile, units: &[Unit]) -> Vec<UnitId> {
        match config.per_enhet.as_ref().map(|p| (p, p.get_ref())) {
            Some((written, PerUnit::Listed(listed))) => {
                listed.iter().filter_map(|id| self.unit_ref(&Spanned::new(written.span(), id.clone()), units)).collect()
            }
            Some((written, PerUnit::All(true))) if units.is_empty() => {
                self.error_at(
                    written,
                    "per_enhet kräver att rapporten har enheter",
                    Some("lägg till [[enhet]] i rapport.toml"),
                );
                Vec::new()
            }
            _ => (0..units.len()).collect(),
        }
    }

    fn units(&mut self, config: &crate::config::ReportFile) -> Vec<Unit> {
        let mut units: Vec<Unit> = Vec::new();
        for entry in &config.enhet {
            // An invalid id is reported; the unit stays so that the data and
            // texts naming it are not reported as well.
            self.id(&entry.id, "id för en enhet");
            if units.iter().any(|u| &u.id == entry.id.get_ref()) {
                self.error_at(
                    &entry.id,
                    format!("enheten `{}` finns redan", entry.id.get_ref()),
                    Some("varje enhet ska ha ett eget id"),
                );
                continue;
            }
            let name = entry.namn.get_ref().trim().to_string();
            let short_name = entry.kortnamn.as_ref().map_or_else(|| name.clone(), |s| s.get_ref().trim().to_string());
            units.push(Unit { id: entry.id.get_ref().clone(), name, short_name });
        }
        units
    }

    fn metrics(&mut self, entries: &BTreeMap<String, Spanned<MetricEntry>>) -> Vec<Metric> {
        // In the order written in the file, which is how people read them.
        let mut entries: Vec<_> = entries.iter().collect();
        entries.sort_by_key(|(_, entry)| entry.span().start);
        let mut metrics = Vec::new();
        let mut formula_spans = Vec::new();
        for (name, entry) in entries {
            // The metric's name is the table key; the table's span stands for it.
            let key = Spanned::new(entry.span(), name.clone());
            let entry = entry.get_ref();
            self.id(&key, "namn på ett mått");
            let key = &key;
            if let Some(metric) = self.metric(key, entry) {
                formula_spans.push(entry.formel.as_ref().map(|f| (self.at(f), f.get_ref().clone())));
                metrics.push(metric);
            }
        }
        self.check_formulas(&metrics, &formula_spans);
        metrics
    }

    fn metric(&mut self, key: &Spanned<String>, entry: &MetricEntry) -> Option<Metric> {
        let decimals = match &entry.decimaler {
            Some(d) if !(0..=MAX_DECIMALS).contains(d.get_ref()) => {
                self.error_at(d, format!("antalet decimaler ska vara 0–{MAX_DECIMALS}"), None);
                1
            }
            Some(d) => *d.get_ref() as u8,
            None => 1,
        };
        let unit = entry.enhet.as_ref().map_or("", |u| u.get_ref().as_str()).trim();
        let mut style = NumberStyle::new(decimals).with_unit(unit);
        if entry.tecken.unwrap_or(false) {
            style = style.signed();
        }
        let definition = match &entry.formel {
            None => Definition::Input,
            Some(written) => match formula::parse(written.get_ref()) {
                Ok(expr) => Definition::Formula(expr),
                Err(error) => {
                    let origin = TextOrigin::of_toml_string(
                        self.cx.sources.text(self.source),
                        self.source,
                        written.span(),
                        written.get_ref(),
                    );
                    let span = origin.exact_start.map_or(self.at(written), |start| {
                        Span::new(self.source, start + error.span.start..start + error.span.end)
                    });
                    self.cx
                        .report(span.locate(Diagnostic::error(format!("formeln kan inte läsas: {}", error.message))));
                    // The report fails; the name stays known so that texts
                    // using it are not reported as well.
                    Definition::Input
                }
            },
        };
        let aggregation = match &entry.aggregering {
            None if unit == "%" || matches!(definition, Definition::Formula(_)) => Aggregation::Last,
            None => Aggregation::Sum,
            Some(written) => match crate::diagnostic::fold_swedish(written.get_ref()).as_str() {
                "summa" => Aggregation::Sum,
                "medel" | "medelvarde" => Aggregation::Mean,
                "senaste" => Aggregation::Last,
                other => {
                    self.error_at(
                        written,
                        format!("okänd aggregering `{other}`"),
                        Some("skriv \"summa\", \"medel\" eller \"senaste\""),
                    );
                    return None;
                }
            },
        };
        Some(Metric {
            id: key.get_ref().clone(),
            name: entry.namn.get_ref().trim().to_string(),
            style,
            definition,
            aggregation,
            target: entry.mal.as_ref().map(|m| *m.get_ref()),
            description: entry.beskrivning.as_ref().map(|d| d.get_ref().trim().to_string()),
        })
    }

    /// Names in formulas must be metrics; formulas must not depend on
    /// themselves; a one-argument `maluppfyllelse(x)` needs x's `mal`.
    fn check_formulas(&mut self, metrics: &[Metric], formula_spans: &[Option<(Span, String)>]) {
        let ids: Vec<String> = metrics.iter().map(|m| m.id.clone()).collect();
        for (index, metric) in metrics.iter().enumerate() {
            let (Definition::Formula(expr), Some((span, text))) = (&metric.definition, &formula_spans[index]) else {
                continue;
            };
            let origin = TextOrigin::of_toml_string(
                self.cx.sources.text(self.source),
                self.source,
                span.start as usize..span.end as usize,
                text,
            );
            let place = |range: std::ops::Range<usize>| {
                origin.exact_start.map_or(*span, |start| Span::new(span.source, start + range.start..start + range.end))
            };
            for (name, range) in expr.metrics() {
                if !ids.iter().any(|id| id == name) {
                    let hint = did_you_mean(name, ids.iter().map(String::as_str)).map(|s| format!("menade du `{s}`?"));
                    let mut problem = place(range)
                        .locate(Diagnostic::error(format!("formeln nämner måttet `{name}`, som inte finns")));
                    problem =
                        problem.hint(hint.unwrap_or_else(|| "mått definieras som [matt.namn] i rapport.toml".into()));
                    self.cx.report(problem);
                }
            }
            if let Some(range) = missing_own_target(expr, metrics) {
                self.cx.report(
                    place(range).locate(Diagnostic::error("målvärde saknas").hint(
                        "ge måttet som funktionen räknar på ett `mal = …`, eller skriv målet som andra argument",
                    )),
                );
            }
            if depends_on(expr, &metric.id, metrics, 0) {
                self.cx.report(
                    span.locate(
                        Diagnostic::error(format!("formeln för `{}` beror på sig själv", metric.id))
                            .hint("en formel kan bara bygga på andra mått"),
                    ),
                );
            }
        }
    }

    /// Every value in the data must belong to a declared unit and input
    /// metric, and lie no later than the end of the report year.
    fn check_data(&mut self, data: &DataSet, units: &[Unit], metrics: &[Metric], period: Option<Month>) {
        let mut reported_units = BTreeSet::new();
        let mut reported_metrics = BTreeSet::new();
        for (metric_id, unit_id) in data.keys() {
            let Some(series) = data.series(metric_id, unit_id) else {
                continue;
            };
            match metrics.iter().find(|m| m.id == metric_id) {
                None if reported_metrics.insert(metric_id) => {
                    let hint = did_you_mean(metric_id, metrics.iter().map(|m| m.id.as_str())).map_or_else(
                        || "lägg till måttet som [matt.…] i rapport.toml".to_string(),
                        |s| format!("menade du `{s}`?"),
                    );
                    if let Some(origin) = series.metric_origin {
                        self.cx
                            .report(origin.locate(Diagnostic::error(format!("okänt mått `{metric_id}`")).hint(hint)));
                    }
                }
                Some(Metric { definition: Definition::Formula(_), .. }) if reported_metrics.insert(metric_id) => {
                    if let Some(origin) = series.metric_origin {
                        self.cx.report(
                            origin.locate(
                                Diagnostic::error(format!(
                                    "måttet `{metric_id}` beräknas med en formel och kan inte också läsas från data"
                                ))
                                .hint("ta bort raderna ur datafilen, eller formeln ur rapport.toml"),
                            ),
                        );
                    }
                }
                _ => {}
            }
            if !units.iter().any(|u| u.id == unit_id) && reported_units.insert(unit_id) {
                let hint = did_you_mean(unit_id, units.iter().map(|u| u.id.as_str())).map_or_else(
                    || "lägg till enheten som [[enhet]] i rapport.toml".to_string(),
                    |s| format!("menade du `{s}`?"),
                );
                if let Some(origin) = series.unit_origin {
                    self.cx.report(origin.locate(Diagnostic::error(format!("okänd enhet `{unit_id}`")).hint(hint)));
                }
            }
            if let Some(period) = period {
                let year_end = Month { year: period.year, month: 12 };
                if let Some((month, cell)) = series.iter().find(|(month, _)| *month > year_end) {
                    self.cx.report(
                        cell.origin.locate(
                            Diagnostic::error(format!("månaden {month} ligger efter rapportåret {}", period.year))
                                .hint("kontrollera rapportens period och att datafilen gäller rätt år"),
                        ),
                    );
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    /// One section; `star_unit` is the unit a `*` section is shown for.
    fn section(
        &mut self,
        entry: &SectionEntry,
        star_unit: Option<UnitId>,
        project: &Project,
        units: &[Unit],
        metrics: &[Metric],
        period: Option<Month>,
        kind: Option<Kind>,
    ) -> Option<Section> {
        let errors_before = self.cx.diagnostics.errors();
        let needs_heading = matches!(kind, Some(Kind::Statusrapport | Kind::Manadsrapport));
        if needs_heading && entry.rubrik.get_ref().trim().is_empty() {
            self.error_at(
                &entry.rubrik,
                "avsnittet saknar rubrik",
                Some("varje bild i en statusrapport och varje avsnitt i en månadsrapport behöver en rubrik"),
            );
        }
        let unit = match star_unit {
            Some(unit) => Some(unit),
            None => entry.enhet.as_ref().and_then(|u| self.unit_ref(u, units)),
        };
        let names = Names { units, metrics, period, unit };
        let heading = self.template(&entry.rubrik, &names);
        let footnote = entry.fotnot.as_ref().and_then(|f| self.template(f, &names));
        let commentary = entry.kommentar.as_ref().and_then(|named| {
            let path = crate::config::commentary_path(named.get_ref(), star_unit.map(|u| units[u].id.as_str()));
            let loaded = project.commentaries.get(&path)?;
            self.commentary(loaded, units, metrics, period, unit)
        });
        let context = SeriesContext { units, metrics, unit, period };
        let charts: Vec<Chart> = entry.diagram.iter().filter_map(|chart| self.chart(chart, &context)).collect();
        let table = entry.tabell.as_ref().and_then(|table| self.table(table, &context));
        let key_figures = entry.nyckeltal.iter().filter_map(|figure| self.key_figure(figure, &context)).collect();
        (self.cx.diagnostics.errors() == errors_before).then(|| Section {
            heading: heading.unwrap_or_default(),
            unit,
            commentary,
            charts,
            table,
            key_figures,
            footnote,
            source_note: entry.kalla.as_ref().map(|k| k.get_ref().trim().to_string()),
        })
    }

    fn unit_ref(&mut self, written: &Spanned<String>, units: &[Unit]) -> Option<UnitId> {
        let found = units.iter().position(|u| &u.id == written.get_ref());
        if found.is_none() {
            let hint = did_you_mean(written.get_ref(), units.iter().map(|u| u.id.as_str())).map_or_else(
                || "enheter definieras som [[enhet]] i rapport.toml".to_string(),
                |s| format!("menade du `{s}`?"),
            );
            self.error_at(written, format!("okänd enhet `{}`", written.get_ref()), Some(&hint));
        }
        found
    }

    fn metric_ref(&mut self, written: &Spanned<String>, metrics: &[Metric]) -> Option<MetricId> {
        let found = metrics.iter().position(|m| &m.id == written.get_ref());
        if found.is_none() {
            let hint = did_you_mean(written.get_ref(), metrics.iter().map(|m| m.id.as_str())).map_or_else(
                || "mått definieras som [matt.namn] i rapport.toml".to_string(),
                |s| format!("menade du `{s}`?"),
            );
            self.error_at(written, format!("okänt mått `{}`", written.get_ref()), Some(&hint));
        }
        found
    }

    fn template(&mut self, written: &Spanned<String>, names: &Names) -> Option<TextTemplate> {
        let origin = TextOrigin::of_toml_string(
            self.cx.sources.text(self.source),
            self.source,
            written.span(),
            written.get_ref(),
        );
        match commentary::parse_template(written.get_ref().trim(), origin, names) {
            Ok(template) => Some(template),
            Err(problems) => {
                problems.into_iter().for_each(|p| self.cx.report(p));
                None
            }
        }
    }

    fn commentary(
        &mut self,
        loaded: &crate::load::LoadedCommentary,
        units: &[Unit],
        metrics: &[Metric],
        period: Option<Month>,
        section_unit: Option<UnitId>,
    ) -> Option<Commentary> {
        let file = &loaded.file;
        let source = loaded.source;
        let at = |spanned: &Spanned<String>| Span::new(source, spanned.span());
        let status = match &file.status {
            None => Status::Draft,
            Some(written) => match Status::parse(written.get_ref()) {
                Some(status) => status,
                None => {
                    self.cx.report(
                        at(written)
                            .locate(Diagnostic::error(format!("okänd status `{}`", written.get_ref())))
                            .hint("status är \"utkast\", \"granskad\" eller \"godkänd\""),
                    );
                    return None;
                }
            },
        };
        let unit = match &file.enhet {
            Some(written) => match units.iter().position(|u| &u.id == written.get_ref()) {
                Some(unit) => Some(unit),
                None => {
                    let hint = did_you_mean(written.get_ref(), units.iter().map(|u| u.id.as_str()))
                        .map(|s| format!("menade du `{s}`?"));
                    let mut problem =
                        at(written).locate(Diagnostic::error(format!("okänd enhet `{}`", written.get_ref())));
                    if let Some(hint) = hint {
                        problem = problem.hint(hint);
                    }
                    self.cx.report(problem);
                    return None;
                }
            },
            None => section_unit,
        };
        if let (Some(written), Some(report_period)) = (&file.period, period) {
            match Month::parse(written.get_ref()) {
                Some(month) if month != report_period => self.cx.report(
                    at(written)
                        .locate(Diagnostic::warning(format!(
                            "kommentaren gäller {}, rapporten {}",
                            month.long_name(),
                            report_period.long_name()
                        )))
                        .hint(format!("uppdatera texten och skriv period = \"{report_period}\"")),
                ),
                Some(_) => {}
                None => self.cx.report(
                    at(written).locate(
                        Diagnostic::error(format!("`{}` är ingen månad", written.get_ref()))
                            .hint("skriv år och månad: \"2023-09\""),
                    ),
                ),
            }
        }
        let text = &file.text;
        let origin = TextOrigin::of_toml_string(self.cx.sources.text(source), source, text.span(), text.get_ref());
        let names = Names { units, metrics, period, unit };
        match commentary::parse_markdown(text.get_ref(), origin, &names) {
            Ok(blocks) => Some(Commentary {
                source,
                status,
                author: file.forfattare.as_ref().map(|a| a.get_ref().trim().to_string()),
                unit,
                blocks,
            }),
            Err(problems) => {
                problems.into_iter().for_each(|p| self.cx.report(p));
                None
            }
        }
    }

    fn series(&mut self, entry: &SeriesEntry, context: &SeriesContext) -> Option<SeriesRef> {
        let metric = self.metric_ref(&entry.matt, context.metrics);
        let unit = match &entry.enhet {
            Some(written) => self.unit_ref(written, context.units),
            None => context.unit.or_else(|| {
                self.error_at(
                    &entry.matt,
                    "det framgår inte vilken enhet serien gäller",
                    Some("ange enhet = \"…\" för serien eller för avsnittet"),
                );
                None
            }),
        };
        let (metric, unit) = (metric?, unit?);
        let label = entry
            .namn
            .as_ref()
            .map_or_else(|| context.units[unit].short_name.clone(), |n| n.get_ref().trim().to_string());
        Some(SeriesRef { metric, unit, label, origin: self.at(&entry.matt) })
    }

    fn chart(&mut self, entry: &ChartEntry, context: &SeriesContext) -> Option<Chart> {
        let errors_before = self.cx.diagnostics.errors();
        let kind = match crate::diagnostic::fold_swedish(entry.typ.get_ref()).as_str() {
            "linje" => ChartKind::Line,
            "stapel" => ChartKind::Bar,
            "liggande" => ChartKind::UnitBars,
            other => {
                let hint = did_you_mean(other, ["linje", "stapel", "liggande"]).map_or_else(
                    || "diagramtyperna är linje, stapel och liggande".to_string(),
                    |s| format!("menade du `{s}`?"),
                );
                self.error_at(&entry.typ, format!("okänd diagramtyp `{other}`"), Some(&hint));
                return None;
            }
        };
        let Some(period) = context.period else {
            self.error_at(
                &entry.typ,
                "diagram kräver att rapporten har en period",
                Some("ange period = \"ÅÅÅÅ-MM\" i rapport.toml"),
            );
            return None;
        };
        let mut series = Vec::new();
        if let Some(matt) = &entry.matt {
            if kind == ChartKind::UnitBars {
                let metric = self.metric_ref(matt, context.metrics)?;
                let units: Vec<UnitId> = if entry.enheter.is_empty() {
                    (0..context.units.len()).collect()
                } else {
                    entry.enheter.iter().filter_map(|u| self.unit_ref(u, context.units)).collect()
                };
                series.extend(units.into_iter().map(|unit| SeriesRef {
                    metric,
                    unit,
                    label: context.units[unit].short_name.clone(),
                    origin: self.at(matt),
                }));
            } else {
                let single = SeriesEntry { matt: matt.clone(), enhet: None, namn: None };
                series.extend(self.series(&single, context));
            }
        }
        for entry in &entry.serier {
            series.extend(self.series(entry, context));
        }
        if series.is_empty() {
            // Unless a series was already reported (an unknown metric).
            if self.cx.diagnostics.errors() == errors_before {
                self.error_at(
                    &entry.typ,
                    "diagrammet har ingen serie",
                    Some("ange matt = \"…\" eller serier = [{ matt = \"…\", enhet = \"…\" }]"),
                );
            }
            return None;
        }
        if kind == ChartKind::Bar && series.len() > 1 {
            self.error_at(
                &entry.typ,
                "ett stapeldiagram över månader visar en serie",
                Some("använd typ = \"linje\" för flera serier"),
            );
            return None;
        }
        let default_first = match kind {
            ChartKind::Bar => period.year_start(),
            _ => period.plus(-12),
        };
        let first = match &entry.fran {
            Some(written) => self.month(written)?,
            None => default_first,
        };
        if first > period {
            self.error_at(entry.fran.as_ref()?, "diagrammet börjar efter rapportmånaden", None);
            return None;
        }
        let metric = &context.metrics[series[0].metric];
        let title = match &entry.rubrik {
            Some(title) => {
                let names = Names {
                    units: context.units,
                    metrics: context.metrics,
                    period: context.period,
                    unit: context.unit,
                };
                self.template(title, &names)?
            }
            None => TextTemplate::literal(&default_chart_title(kind, metric, &series, context, period)),
        };
        Some(Chart {
            kind,
            title,
            first,
            last: period,
            target: entry.mal.as_ref().map(|m| *m.get_ref()).or(metric.target),
            series,
        })
    }

    fn table(&mut self, entry: &TableEntry, context: &SeriesContext) -> Option<Table> {
        let first_heading = entry.forsta_kolumn.as_ref().map(|h| h.get_ref().trim().to_string());
        match (entry.kolumner.is_empty(), entry.rader.is_empty()) {
            (false, true) => {
                let period = context.period;
                let columns: Vec<Column> = entry
                    .kolumner
                    .iter()
                    .filter_map(|column| {
                        let metric = self.metric_ref(&column.matt, context.metrics)?;
                        let period = match &column.period {
                            Some(written) => self.period(written)?,
                            None => Period::Month(period.or_else(|| {
                                self.error_at(
                                    &column.matt,
                                    "kolumnen kräver en period",
                                    Some("ange period för kolumnen eller rapporten"),
                                );
                                None
                            })?),
                        };
                        let heading = column
                            .rubrik
                            .as_ref()
                            .map_or_else(|| context.metrics[metric].name.clone(), |r| r.get_ref().trim().to_string());
                        Some(Column { metric, heading, period, origin: self.at(&column.matt) })
                    })
                    .collect();
                let units = if entry.enheter.is_empty() {
                    (0..context.units.len()).collect()
                } else {
                    entry.enheter.iter().filter_map(|u| self.unit_ref(u, context.units)).collect()
                };
                (columns.len() == entry.kolumner.len()).then(|| Table::UnitsByMetrics {
                    first_heading: first_heading.unwrap_or_else(|| "Enhet".into()),
                    units,
                    columns,
                    total: entry.summa.as_ref().map(|s| s.get_ref().trim().to_string()),
                })
            }
            (true, false) => {
                let rows: Vec<SeriesRef> = entry.rader.iter().filter_map(|row| self.series(row, context)).collect();
                let period = context.period?;
                let first = match &entry.fran {
                    Some(written) => self.month(written)?,
                    None => period.plus(-12),
                };
                (rows.len() == entry.rader.len()).then(|| Table::SeriesByMonths {
                    first_heading: first_heading.unwrap_or_default(),
                    rows,
                    first,
                    last: period,
                })
            }
            _ => {
                let at = entry.kolumner.first().map(|c| &c.matt).or(entry.rader.first().map(|r| &r.matt));
                let problem = Diagnostic::error(
                    "en tabell har antingen kolumner (mått per enhet) eller rader (serier per månad)",
                )
                .hint("ange kolumner = [{ matt = \"…\" }] eller rader = [{ matt = \"…\", enhet = \"…\" }]");
                match at {
                    Some(at) => self.cx.report(self.at(at).locate(problem)),
                    None => self.cx.report(problem.at(self.source, 0..0)),
                }
                None
            }
        }
    }

    fn key_figure(&mut self, entry: &KeyFigureEntry, context: &SeriesContext) -> Option<KeyFigure> {
        let series =
            self.series(&SeriesEntry { matt: entry.matt.clone(), enhet: entry.enhet.clone(), namn: None }, context)?;
        if context.period.is_none() {
            self.error_at(&entry.matt, "nyckeltal kräver att rapporten har en period", None);
            return None;
        }
        let heading = entry
            .rubrik
            .as_ref()
            .map_or_else(|| context.metrics[series.metric].name.clone(), |r| r.get_ref().trim().to_string());
        Some(KeyFigure { series, heading, latest_available: entry.senaste.unwrap_or(false) })
    }
}

/// What series in a section can refer to.
struct SeriesContext<'a> {
    units: &'a [Unit],
    metrics: &'a [Metric],
    unit: Option<UnitId>,
    period: Option<Month>,
}

fn default_chart_title(
    kind: ChartKind,
    metric: &Metric,
    series: &[SeriesRef],
    context: &SeriesContext,
    period: Month,
) -> String {
    let unit_text = metric.style.unit.as_deref().map(|u| format!(", {u}")).unwrap_or_default();
    match kind {
        ChartKind::UnitBars => format!("{} {}{unit_text}", metric.name, period.long_name()),
        ChartKind::Bar => format!(
            "{} per månad {}, {}{unit_text}",
            metric.name, period.year, context.units[series[0].unit].short_name
        ),
        ChartKind::Line if series.len() == 1 => {
            format!("{}, {}{unit_text}", metric.name, context.units[series[0].unit].short_name)
        }
        ChartKind::Line => format!("{}{unit_text}", metric.name),
    }
}

/// Where a one-argument `maluppfyllelse(x)`/`mot_mal(x)` names a metric
/// without `mal`.
fn missing_own_target(expr: &Expr, metrics: &[Metric]) -> Option<std::ops::Range<usize>> {
    match expr {
        Expr::Call { function: formula::Function::Maluppfyllelse | formula::Function::MotMal, args, span }
            if args.len() == 1 =>
        {
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

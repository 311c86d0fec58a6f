//! The data a template reads from `/data.json`: the report with every
//! figure already formatted the Swedish way and every placeholder filled.
//! Templates only lay out; they never compute or format a number.

use chrono::Datelike;
use serde::Serialize;

use crate::chart::{DataTable, RenderedChart};
use crate::context::Context;
use crate::diagnostic::{Diagnostic, SourceId, Span};
use crate::formula::Function;
use crate::kind::Legibility;
use crate::metrics::Metrics;
use crate::model::{
    Aggregation, Block, Inline, KeyFigure, MetricId, Person, Piece, Placeholder, PlaceholderKind, Report, Section,
    Table, TextTemplate, UnitId, When,
};
use crate::period::{Frequency, Month, Period};
use crate::swedish::{self, NumberStyle};

#[derive(Debug, Serialize)]
pub struct Document {
    pub kind: &'static str,
    pub title: String,
    pub subtitle: Option<String>,
    pub namnd: String,
    pub forvaltning: Option<String>,
    pub recipient: Option<String>,
    /// PDF author: the förvaltning if given, else the nämnd.
    pub author: String,
    /// PDF subject.
    pub description: String,
    pub keywords: Vec<String>,
    pub date: String,
    pub date_long: String,
    pub period: Option<String>,
    pub period_long: Option<String>,
    pub diarienummer: Option<String>,
    pub draft: bool,
    pub logo: Option<String>,
    pub handlaggare: Option<PersonData>,
    pub signature_heading: Option<String>,
    pub signatures: Vec<PersonData>,
    pub extract_to: Vec<String>,
    pub sections: Vec<SectionData>,
    pub appendix: Vec<TableData>,
    pub layout: LayoutData,
    /// The kind's smallest text sizes (`Kind::legibility`).
    pub legibility: Legibility,
    /// Where content came from, by the index templates pass back in their
    /// `<passform>` marks: sections' `rubrik`, commentary paragraphs.
    #[serde(skip)]
    pub origins: Vec<Span>,
}

/// The report's layout choices, sizes in points.
#[derive(Debug, Serialize)]
pub struct LayoutData {
    pub title_page: bool,
    pub charts_per_slide: u8,
    pub paragraph_spacing: f64,
    /// `fortsätt` or `fel` (`ryms_inte`): what templates do with content
    /// that does not fit its slide at a legible size.
    pub overflow: &'static str,
}

#[derive(Debug, Serialize)]
pub struct PersonData {
    pub name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SectionData {
    pub heading: String,
    /// Index into [`Document::origins`]: the section's `rubrik`.
    pub origin: usize,
    pub unit: Option<String>,
    pub charts: Vec<ChartData>,
    pub table: Option<TableData>,
    pub key_figures: Vec<KeyFigureData>,
    pub commentary: Vec<BlockData>,
    pub footnote: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ChartData {
    /// Virtual path of the SVG.
    pub path: String,
    pub title: String,
    pub alt: String,
}

#[derive(Debug, Serialize)]
pub struct TableData {
    pub title: Option<String>,
    /// A line under the title, e.g. the metric's definition.
    pub note: Option<String>,
    /// Each header cell as lines (`["mar", "2017"]`).
    pub headers: Vec<Vec<String>>,
    pub rows: Vec<Vec<String>>,
    /// A closing row (a total), set apart in the table.
    pub total: Option<Vec<String>>,
    /// Which columns hold numbers (right-aligned).
    pub numeric: Vec<bool>,
}

#[derive(Debug, Serialize)]
pub struct KeyFigureData {
    pub heading: String,
    pub value: String,
    /// `september 2023`
    pub when: String,
    pub note: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum BlockData {
    /// `origin`: index into [`Document::origins`], where it was written.
    Paragraph {
        runs: Vec<RunData>,
        origin: usize,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<BlockData>>,
    },
}

#[derive(Debug, Serialize)]
pub struct RunData {
    pub text: String,
    pub strong: bool,
    pub emph: bool,
    pub link: Option<String>,
    /// A forced line break instead of text.
    #[serde(rename = "break")]
    pub line_break: bool,
}

/// Builds the template data; problems (a placeholder without a value) are
/// reported to `cx`.
pub fn build(
    report: &Report,
    metrics: &Metrics,
    charts: &[Vec<(String, RenderedChart)>],
    cx: &mut Context,
) -> Document {
    let filler = Filler { report, metrics };
    let mut sections = Vec::new();
    let mut origins = Vec::new();
    for (section, section_charts) in report.sections.iter().zip(charts) {
        sections.push(filler.section(section, section_charts, &mut origins, cx));
    }
    let appendix = if report.data_appendix {
        charts.iter().flatten().map(|(_, chart)| appendix_table(&chart.title, &chart.table)).collect()
    } else {
        Vec::new()
    };
    let author = report.forvaltning.clone().unwrap_or_else(|| report.namnd.clone());
    let period_long = report.period.map(Month::long_name);
    let mut keywords = vec![report.kind.name().to_string(), report.namnd.clone()];
    keywords.extend(period_long.clone());
    keywords.extend(report.diarienummer.clone());
    let description = match &period_long {
        Some(period) => format!("{} till {}, {period}", capitalise(report.kind.name()), report.namnd),
        None => format!("{} till {}, {}", capitalise(report.kind.name()), report.namnd, swedish::date_iso(report.date)),
    };
    Document {
        kind: report.kind.name(),
        title: filler.template(&report.title, cx),
        subtitle: report.subtitle.as_ref().map(|s| filler.template(s, cx)),
        namnd: report.namnd.clone(),
        forvaltning: report.forvaltning.clone(),
        recipient: report.recipient.clone(),
        author,
        description,
        keywords,
        date: swedish::date_iso(report.date),
        date_long: swedish::date_long(report.date),
        period: report.period.map(|p| p.to_string()),
        period_long,
        diarienummer: report.diarienummer.clone(),
        draft: report.is_draft(),
        logo: report.logo.as_ref().map(|logo| format!("/{}", logo.file_name)),
        handlaggare: report.handlaggare.as_ref().map(person),
        signature_heading: report.signature_heading.clone(),
        signatures: report.signatures.iter().map(person).collect(),
        extract_to: report.extract_to.clone(),
        sections,
        appendix,
        layout: LayoutData {
            title_page: report.layout.title_page,
            charts_per_slide: report.layout.charts_per_slide,
            paragraph_spacing: report.layout.paragraph_spacing,
            overflow: report.layout.overflow.name(),
        },
        legibility: report.kind.legibility(),
        origins,
    }
}

/// A text with placeholders filled (chart titles, before the charts are
/// drawn).
pub fn fill(template: &TextTemplate, report: &Report, metrics: &Metrics, cx: &mut Context) -> String {
    Filler { report, metrics }.template(template, cx)
}

/// The placeholders a commentary about `unit` can use, each as written
/// (`{ack_avvikelse}`) with what it prints in this report: the preview
/// offers them as the writer types `{`. Without a unit each metric is
/// offered for every unit (`{vch.ack_avvikelse}`). A value the data lacks
/// prints as in the report; its message belongs to the texts that use it.
pub fn offered_placeholders(
    report: &Report,
    metrics: &Metrics,
    unit: Option<UnitId>,
    source: SourceId,
) -> Vec<(String, String)> {
    let filler = Filler { report, metrics };
    let mut scratch = Context::new(&report.root);
    let span = crate::diagnostic::Span::new(source, 0..0);
    let mut offered: Vec<(String, PlaceholderKind)> = Vec::new();
    if report.period.is_some() {
        offered.push(("{period}".into(), PlaceholderKind::ReportPeriod));
        offered.push(("{månad}".into(), PlaceholderKind::MonthName));
        offered.push(("{föregående_månad}".into(), PlaceholderKind::PreviousMonthName));
        offered.push(("{år}".into(), PlaceholderKind::Year));
    }
    offered.push(("{datum}".into(), PlaceholderKind::Date));
    offered.push(("{nämnd}".into(), PlaceholderKind::Namnd));
    if let Some(unit) = unit {
        offered.push(("{enhet}".into(), PlaceholderKind::UnitName(unit)));
    }
    for (metric, m) in report.metrics.iter().enumerate() {
        match unit {
            Some(unit) => offered
                .push((format!("{{{}}}", m.id), PlaceholderKind::Value { metric, unit, when: When::ReportMonth })),
            None => offered.extend(report.units.iter().enumerate().map(|(unit, u)| {
                (format!("{{{}.{}}}", u.id, m.id), PlaceholderKind::Value { metric, unit, when: When::ReportMonth })
            })),
        }
    }
    offered
        .into_iter()
        .map(|(written, kind)| {
            let value = filler.placeholder(&Placeholder { kind, span, written: written.clone() }, &mut scratch);
            (written, value)
        })
        .collect()
}

/// Text a person wrote, made ready for layout: units bound to their
/// numbers with a no-break space, and in a word too long for a line (a
/// pasted address, a mistyped run of letters), which would otherwise run
/// off the page, a break opportunity (U+200B) every 20 characters: short
/// enough for a slide's narrowest commentary column at its largest size.
fn written_text(text: &str) -> String {
    const LONGEST: usize = 40;
    const PIECE: usize = 20;
    let bound = swedish::bind_units(text);
    if !bound.split_whitespace().any(|word| word.chars().count() > LONGEST) {
        return bound;
    }
    let mut out = String::with_capacity(bound.len() + bound.len() / PIECE * 3);
    let mut rest = bound.as_str();
    while !rest.is_empty() {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (word, after) = rest.split_at(word_end);
        if word.chars().count() > LONGEST {
            for (i, c) in word.chars().enumerate() {
                if i > 0 && i % PIECE == 0 {
                    out.push('\u{200B}');
                }
                out.push(c);
            }
        } else {
            out.push_str(word);
        }
        let space_end = after.find(|c: char| !c.is_whitespace()).unwrap_or(after.len());
        out.push_str(&after[..space_end]);
        rest = &after[space_end..];
    }
    out
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn person(person: &Person) -> PersonData {
    PersonData {
        name: person.name.clone(),
        title: person.title.clone(),
        phone: person.phone.clone(),
        email: person.email.clone(),
    }
}

fn appendix_table(title: &str, table: &DataTable) -> TableData {
    TableData {
        title: Some(title.to_string()),
        note: table.note.clone(),
        headers: table.headers.iter().map(|h| vec![h.clone()]).collect(),
        rows: table.rows.clone(),
        total: None,
        numeric: (0..table.headers.len()).map(|i| i > 0).collect(),
    }
}

/// Fills placeholders and formats figures for one report.
struct Filler<'a> {
    report: &'a Report,
    metrics: &'a Metrics<'a>,
}

impl Filler<'_> {
    fn section(
        &self,
        section: &Section,
        charts: &[(String, RenderedChart)],
        origins: &mut Vec<Span>,
        cx: &mut Context,
    ) -> SectionData {
        origins.push(section.origin);
        SectionData {
            heading: self.template(&section.heading, cx),
            origin: origins.len() - 1,
            unit: section.unit.map(|u| self.report.units[u].name.clone()),
            charts: charts
                .iter()
                .map(|(path, chart)| ChartData {
                    path: path.clone(),
                    title: chart.title.clone(),
                    alt: chart.alt.clone(),
                })
                .collect(),
            table: section.table.as_ref().map(|table| self.table(table, cx)),
            key_figures: section.key_figures.iter().filter_map(|figure| self.key_figure(figure, cx)).collect(),
            // A paragraph not in its file as written is named by its file.
            commentary: match &section.commentary {
                Some(c) => self.blocks(&c.blocks, Span::new(c.source, 0..0), origins, cx),
                None => Vec::new(),
            },
            footnote: section.footnote.as_ref().map(|f| self.template(f, cx)),
            source: self.sources(section),
        }
    }

    /// The "Källa:" line: the section's own `kalla`, then the services
    /// whose fetched figures its charts, table and key figures show.
    fn sources(&self, section: &Section) -> Option<String> {
        let mut shown: Vec<(MetricId, usize)> = Vec::new();
        shown.extend(section.charts.iter().flat_map(|c| c.series.iter().map(|s| (s.metric, s.unit))));
        match &section.table {
            Some(Table::UnitsByMetrics { units, columns, .. }) => {
                shown.extend(columns.iter().flat_map(|c| units.iter().map(move |u| (c.metric, *u))));
            }
            Some(Table::SeriesByMonths { rows, .. }) => shown.extend(rows.iter().map(|s| (s.metric, s.unit))),
            None => {}
        }
        shown.extend(section.key_figures.iter().map(|k| (k.series.metric, k.series.unit)));
        let mut parts: Vec<String> = section.source_note.iter().cloned().collect();
        for (metric, unit) in shown {
            for attribution in self.report.attributions(metric, unit) {
                if !parts.contains(&attribution) {
                    parts.push(attribution);
                }
            }
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    fn template(&self, template: &TextTemplate, cx: &mut Context) -> String {
        let mut out = String::new();
        for piece in &template.0 {
            match piece {
                Piece::Text(text) => out.push_str(&written_text(text)),
                Piece::Placeholder(placeholder) => out.push_str(&self.placeholder(placeholder, cx)),
                Piece::LineBreak => out.push(' '),
            }
        }
        out
    }

    fn blocks(&self, blocks: &[Block], file: Span, origins: &mut Vec<Span>, cx: &mut Context) -> Vec<BlockData> {
        blocks
            .iter()
            .map(|block| match block {
                Block::Paragraph { inlines, span } => {
                    origins.push(span.unwrap_or(file));
                    BlockData::Paragraph {
                        runs: inlines.iter().map(|i| self.run(i, cx)).collect(),
                        origin: origins.len() - 1,
                    }
                }
                Block::List { ordered, start, items } => BlockData::List {
                    ordered: *ordered,
                    start: *start,
                    items: items.iter().map(|item| self.blocks(item, file, origins, cx)).collect(),
                },
            })
            .collect()
    }

    fn run(&self, inline: &Inline, cx: &mut Context) -> RunData {
        let (text, line_break) = match &inline.piece {
            Piece::Text(text) => (written_text(text), false),
            Piece::Placeholder(placeholder) => (self.placeholder(placeholder, cx), false),
            Piece::LineBreak => (String::new(), true),
        };
        RunData { text, strong: inline.strong, emph: inline.emphasis, link: inline.link.clone(), line_break }
    }

    /// The text a placeholder stands for; a value the data lacks is an
    /// error that says which input months are missing.
    fn placeholder(&self, placeholder: &Placeholder, cx: &mut Context) -> String {
        let report = self.report;
        let period = report.period;
        match &placeholder.kind {
            PlaceholderKind::ReportPeriod => period.map(Month::long_name).unwrap_or_default(),
            PlaceholderKind::MonthName => period.map(|p| swedish::month_name(p.month).to_string()).unwrap_or_default(),
            PlaceholderKind::PreviousMonthName => {
                period.map(|p| swedish::month_name(p.plus(-1).month).to_string()).unwrap_or_default()
            }
            PlaceholderKind::Year => period.map(|p| p.year.to_string()).unwrap_or_default(),
            PlaceholderKind::UnitName(unit) => report.units[*unit].name.clone(),
            PlaceholderKind::Date => swedish::date_long(report.date),
            PlaceholderKind::Namnd => report.namnd.clone(),
            PlaceholderKind::OverMonths { .. } => self.over_months(placeholder, cx),
            PlaceholderKind::Value { metric, unit, when } => {
                let style = &report.metrics[*metric].style;
                let frequency = report.metrics[*metric].frequency;
                // A yearly figure stands for the report's year.
                let (value, month) = match (when, period.map(|p| frequency.anchor(p))) {
                    (When::Period(p), _) => (self.metrics.period_value(*metric, *unit, *p), p.months().1),
                    (When::LatestAvailable, Some(p)) => match self.metrics.latest_available(*metric, *unit, p) {
                        Some((month, value)) => (Some(value), month),
                        None => (None, p),
                    },
                    (When::PreviousMonth, Some(p)) => {
                        let previous = p.plus(-frequency.step());
                        (self.metrics.value(*metric, *unit, previous), previous)
                    }
                    (_, Some(p)) => (self.metrics.value(*metric, *unit, p), p),
                    (_, None) => (None, Month { year: 1900, month: 1 }),
                };
                if value.is_none() {
                    let mut problem = placeholder
                        .span
                        .locate(Diagnostic::error(format!("{} har inget värde i datat", placeholder.written)))
                        .hint(self.explain_missing(*metric, *unit, month));
                    if frequency == Frequency::Yearly && *when == When::ReportMonth {
                        let id = &report.metrics[*metric].id;
                        problem = problem.hint(format!(
                            "ett års siffror publiceras månader efter årets slut; skriv {{{id}@senaste}} för det senaste året med ett värde, eller året: {{{id}@{}}}",
                            month.year - 1
                        ));
                    }
                    cx.report(problem);
                }
                style.format(value)
            }
        }
    }

    /// A function of months in a placeholder, formatted: a month by its
    /// name, a count as a number, a share in percent, a value as its metric.
    fn over_months(&self, placeholder: &Placeholder, cx: &mut Context) -> String {
        let PlaceholderKind::OverMonths { function, metric, unit, when, target } = placeholder.kind else {
            return String::new();
        };
        let Some(period) = self.report.period else { return String::new() };
        let months = match when {
            When::Period(p) => p.months(),
            When::PreviousMonth => (period.year_start(), period.plus(-1)),
            When::ReportMonth | When::LatestAvailable => (period.year_start(), period),
        };
        let value = self.metrics.over_months(function, metric, unit, months, target);
        if value.is_none() {
            cx.report(
                placeholder
                    .span
                    .locate(Diagnostic::error(format!("{} har inget värde i datat", placeholder.written)))
                    .hint(format!(
                        "det finns inga värden för {} {}–{}",
                        self.report.metrics[metric].id, months.0, months.1
                    )),
            );
        }
        match function {
            Function::LagstManad | Function::HogstManad => NumberStyle::new(0).months().format(value),
            Function::AntalMinst | Function::AntalHogst => NumberStyle::new(0).format(value),
            Function::AndelMinst | Function::AndelHogst => NumberStyle::new(0).with_unit("%").format(value),
            _ => self.report.metrics[metric].style.format(value),
        }
    }

    /// "saknas: budget för vch i augusti 2023, …" for a missing value.
    fn explain_missing(&self, metric: usize, unit: usize, month: Month) -> String {
        let missing = self.metrics.missing_inputs(metric, unit, month);
        let unit_id = &self.report.units[unit].id;
        let when = |metric: MetricId, month: Month| self.report.metrics[metric].frequency.long_name(month);
        if missing.is_empty() {
            return format!(
                "värdet för {} {} {} kan inte beräknas (division med noll?)",
                unit_id,
                self.report.metrics[metric].id,
                when(metric, month)
            );
        }
        let mut parts: Vec<String> = missing
            .iter()
            .take(6)
            .map(|(m, month)| format!("`{}` för `{unit_id}` {}", self.report.metrics[*m].id, when(*m, *month)))
            .collect();
        if missing.len() > 6 {
            parts.push(format!("och {} till", missing.len() - 6));
        }
        format!("saknas i datafilerna: {}", parts.join(", "))
    }

    fn key_figure(&self, figure: &KeyFigure, cx: &mut Context) -> Option<KeyFigureData> {
        let series = &figure.series;
        let metric = &self.report.metrics[series.metric];
        // A yearly figure stands for the report's year.
        let period = metric.frequency.anchor(self.report.period?);
        let when = |month: Month| metric.frequency.long_name(month);
        let (value, month, note) = match self.metrics.value(series.metric, series.unit, period) {
            Some(value) => (value, period, None),
            None if figure.latest_available => {
                match self.metrics.latest_available(series.metric, series.unit, period) {
                    Some((month, value)) => (value, month, Some("senaste tillgängliga värde".to_string())),
                    None => {
                        cx.report(series.origin.locate(Diagnostic::error(format!(
                            "nyckeltalet {} har inget värde före {}",
                            figure.heading,
                            when(period)
                        ))));
                        return None;
                    }
                }
            }
            None => {
                cx.report(
                    series
                        .origin
                        .locate(Diagnostic::error(format!(
                            "nyckeltalet {} har inget värde för {}",
                            figure.heading,
                            when(period)
                        )))
                        .hint(self.explain_missing(series.metric, series.unit, period))
                        .hint("skriv senaste = true för att visa det senaste värde som finns"),
                );
                return None;
            }
        };
        Some(KeyFigureData {
            heading: figure.heading.clone(),
            value: metric.style.format(Some(value)),
            when: when(month),
            note,
        })
    }

    fn table(&self, table: &Table, cx: &mut Context) -> TableData {
        let report = self.report;
        let header = |name: &str, style: &NumberStyle| match &style.unit {
            Some(unit) => vec![name.to_string(), format!("({unit})")],
            None => vec![name.to_string()],
        };
        match table {
            Table::UnitsByMetrics { first_heading, units, columns, total } => {
                // A yearly column without a period: the latest year with a
                // value, named in the heading.
                let periods: Vec<Period> = columns
                    .iter()
                    .map(|c| match c.period {
                        Some(period) => period,
                        None => {
                            let year = report.period.map_or_else(|| report.date.year(), |p| p.year);
                            let (earliest, last) = (Month { year: year - 50, month: 12 }, Month { year, month: 12 });
                            let series: Vec<_> = units.iter().map(|u| (c.metric, *u)).collect();
                            Period::Year(self.metrics.shown(&series, Frequency::Yearly, earliest, last).1.year)
                        }
                    })
                    .collect();
                let mut headers = vec![vec![first_heading.clone()]];
                headers.extend(columns.iter().zip(&periods).map(|(c, period)| match (c.period, period) {
                    (None, Period::Year(year)) => {
                        header(&format!("{} {year}", c.heading), &report.metrics[c.metric].style)
                    }
                    _ => header(&c.heading, &report.metrics[c.metric].style),
                }));
                let mut sums: Vec<Option<f64>> = vec![Some(0.0); columns.len()];
                let mut rows = Vec::new();
                for &unit in units {
                    let mut row = vec![report.units[unit].name.clone()];
                    for (i, (column, period)) in columns.iter().zip(&periods).enumerate() {
                        let value = self.metrics.period_value(column.metric, unit, *period);
                        if value.is_none() {
                            let (_, last) = period.months();
                            cx.report(
                                column
                                    .origin
                                    .locate(Diagnostic::warning(format!(
                                        "tabellen visar – för {} {}: {}",
                                        report.units[unit].id,
                                        column.heading,
                                        period.long_name()
                                    )))
                                    .hint(self.explain_missing(column.metric, unit, last)),
                            );
                        }
                        sums[i] = sums[i].zip(value).map(|(a, b)| a + b);
                        row.push(report.metrics[column.metric].style.format_bare(value));
                    }
                    rows.push(row);
                }
                let total = total.as_ref().map(|label| {
                    let mut row = vec![label.clone()];
                    for (column, sum) in columns.iter().zip(&sums) {
                        let metric = &report.metrics[column.metric];
                        // Only flows add up across units; a sum of percentages means nothing.
                        let summable =
                            metric.aggregation == Aggregation::Sum || metric.style.unit.as_deref() == Some("mnkr");
                        row.push(if summable { metric.style.format_bare(*sum) } else { swedish::MISSING.to_string() });
                    }
                    row
                });
                let numeric = (0..=columns.len()).map(|i| i > 0).collect();
                TableData { title: None, note: None, headers, rows, total, numeric }
            }
            Table::SeriesByMonths { first_heading, rows, frequency, first, last } => {
                let series: Vec<_> = rows.iter().map(|s| (s.metric, s.unit)).collect();
                let (first, last) = self.metrics.shown(&series, *frequency, *first, *last);
                let months = frequency.through(first, last);
                let mut headers = vec![vec![first_heading.clone()]];
                for (i, month) in months.iter().enumerate() {
                    headers.push(match frequency {
                        Frequency::Yearly => vec![month.year.to_string()],
                        Frequency::Monthly if i == 0 || month.month == 1 => {
                            vec![swedish::month_abbreviation(month.month).to_string(), month.year.to_string()]
                        }
                        Frequency::Monthly => vec![swedish::month_abbreviation(month.month).to_string()],
                    });
                }
                let data_rows =
                    rows.iter()
                        .map(|series| {
                            let style = &report.metrics[series.metric].style;
                            let mut row = vec![series.label.clone()];
                            row.extend(months.iter().map(|&month| {
                                style.format_bare(self.metrics.value(series.metric, series.unit, month))
                            }));
                            row
                        })
                        .collect();
                let numeric = (0..headers.len()).map(|i| i > 0).collect();
                TableData { title: None, note: None, headers, rows: data_rows, total: None, numeric }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_overlong_words_get_break_opportunities() {
        assert_eq!(written_text("97,2 % i september"), "97,2\u{a0}% i september");
        let long = "x".repeat(100);
        let broken = written_text(&long);
        assert_eq!(broken.replace('\u{200B}', ""), long);
        assert_eq!(broken.matches('\u{200B}').count(), 4);
        assert_eq!(
            written_text(&format!("kort {long} ord")).split('\u{200B}').next(),
            Some("kort xxxxxxxxxxxxxxxxxxxx")
        );
    }
}

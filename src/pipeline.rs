//! The one build path: one PDF of a report project, stage by stage,
//! load → validate → (publishing gate) → (incremental skip) → derive →
//! chart → render → (write). `build`, `check`, `watch` with its preview and
//! `eject` all build through [`Builder::build`], so a check added here holds
//! everywhere (as typst-cli's `compile_once` serves compile and watch).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use typst::foundations::Datetime;

use crate::changes::{self, Changes, Snapshot};
use crate::chart::{self, Frame, RenderedChart};
use crate::config::{PerUnit, ReportFile};
use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::error::io_reason;
use crate::load::{self, Project};
use crate::metrics::Metrics;
use crate::model::{Report, Status, Variant};
use crate::publish;
use crate::render::typeset::{Finish, LaidOut, Typesetter};
use crate::render::{Bundle, Engine, Pdf, PdfSettings, ReportWorld, VirtualFile, document, templates};
use crate::validate;

/// Choices that change what is built.
#[derive(Debug, Clone)]
pub struct Options {
    /// PDF/UA-1 + PDF/A-2a; off only for debugging.
    pub accessible: bool,
    /// Creation time for the PDF instead of the report date
    /// (`SOURCE_DATE_EPOCH`, seconds since 1970).
    pub source_date_epoch: Option<i64>,
    /// A publishing run: a report whose texts are not ready is refused.
    pub publishing: bool,
    /// Build even what has not changed.
    pub force: bool,
    /// Each page as SVG too (`Built::laid_out`), for the preview of `watch`.
    pub preview: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { accessible: true, source_date_epoch: None, publishing: false, force: false, preview: false }
    }
}

impl Options {
    /// The defaults, with `SOURCE_DATE_EPOCH` taken from the environment.
    pub fn from_env() -> Options {
        let source_date_epoch = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse().ok());
        Options { source_date_epoch, ..Options::default() }
    }
}

/// Reads a project's files. The context holds the messages and sources;
/// each of the project's PDFs is then built from a copy of it.
pub fn load(root: &Path) -> (Context, Option<Project>) {
    let mut cx = Context::new(root);
    let project = guarded(&mut cx, load::load).flatten();
    (cx, project)
}

/// Runs one report's work, catching a panic (a bug of ours or of a
/// library, never meant to happen) as that report's internal error, so
/// that the rest of a batch and its manifest go on.
pub fn guarded<T>(cx: &mut Context, work: impl FnOnce(&mut Context) -> T) -> Option<T> {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&mut *cx)));
    outcome
        .map_err(|panic| {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "okänd orsak".to_string());
            let report_file = cx.root.join(crate::config::REPORT_FILE);
            cx.report(
                Diagnostic::error(format!(
                    "internt fel i statusrapport: rapporten byggdes inte ({reason}); övriga rapporter påverkas inte"
                ))
                .in_file(&report_file)
                .hint(crate::error::INTERNAL_ERROR_HINT),
            );
        })
        .ok()
}

/// The PDFs a project gives: the whole report, and with `per_enhet` one per
/// unit, in the order written.
pub fn variants(config: &ReportFile) -> Vec<Variant> {
    let mut variants = vec![Variant::Whole];
    let per_unit = match config.per_enhet.as_ref().map(|p| p.get_ref()) {
        Some(PerUnit::All(true) | PerUnit::Listed(_)) => config.star_units(),
        _ => Vec::new(),
    };
    variants.extend(per_unit.into_iter().map(|unit| Variant::Unit(unit.to_string())));
    variants
}

/// Where a built PDF goes.
#[derive(Debug, Clone, Copy)]
pub enum Output<'a> {
    /// Everything is built and checked, nothing is written.
    Check,
    /// The PDF is published as `folder/name`, atomically.
    Write { folder: &'a Path, name: &'a str },
}

/// What happened to one PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Errors (in `cx.diagnostics`); nothing was written.
    Failed,
    /// Its inputs are those of the PDF already published; nothing was done.
    Unchanged,
    /// Built and checked; nothing was written ([`Output::Check`]).
    Checked,
    /// Built and published.
    Written,
}

/// One PDF's result.
pub struct Built {
    pub outcome: Outcome,
    /// Fingerprint of everything the PDF is made from, once the report has
    /// passed validation and the publishing gate.
    pub digest: Option<String>,
    pub report: Option<Report>,
    /// The document's title with its placeholders filled.
    pub title: Option<String>,
    /// Each section's heading as printed.
    pub headings: Vec<String>,
    /// What the laid-out pages give, also when the PDF could not be made.
    pub laid_out: Option<LaidOut>,
    pub pdf: Option<Pdf>,
    /// The files Typst compiled, and how the PDF was written (for `eject`).
    pub bundle: Option<Bundle>,
    /// The slot each chart was drawn for (chart path → frame).
    pub chart_slots: BTreeMap<String, Frame>,
    pub settings: Option<PdfSettings>,
    /// What changed since the last published build (when written).
    pub changes: Option<Changes>,
    /// Per section, the placeholders its commentary can use with what each
    /// prints (empty without a commentary): the preview offers them.
    pub placeholders: Vec<Vec<(String, String)>>,
}

impl Built {
    fn stopped(outcome: Outcome, report: Option<Report>, digest: Option<String>) -> Built {
        Built {
            outcome,
            digest,
            report,
            title: None,
            headings: Vec::new(),
            laid_out: None,
            pdf: None,
            bundle: None,
            chart_slots: BTreeMap::new(),
            settings: None,
            changes: None,
            placeholders: Vec::new(),
        }
    }
}

/// Builds PDFs, keeping what can be reused from one build to the next: the
/// Typst world (its caches of parsed templates and laid-out pages) and the
/// size of each chart's slot, so that a chart is usually drawn for its slot
/// at the first try.
pub struct Builder<'e> {
    engine: &'e Engine,
    world: Option<ReportWorld<'e>>,
    frames: HashMap<String, Frame>,
}

impl<'e> Builder<'e> {
    pub fn new(engine: &'e Engine) -> Builder<'e> {
        Builder { engine, world: None, frames: HashMap::new() }
    }

    /// Takes chart slots measured in an earlier build (of this PDF, from
    /// the manifest) as the first guess for the next build.
    pub fn remember(&mut self, slots: &BTreeMap<String, Frame>) {
        self.frames.extend(slots.iter().map(|(path, frame)| (path.clone(), *frame)));
    }

    /// Builds one PDF of a loaded project. `published` tells whether a
    /// digest is that of the PDF already in the output (for the incremental
    /// skip, decided only after the publishing gate). A panic is that PDF's
    /// internal error ([`guarded`]); the builder's caches are then dropped.
    pub fn build(
        &mut self,
        cx: &mut Context,
        project: &Project,
        variant: &Variant,
        options: &Options,
        output: Output,
        published: &dyn Fn(&str) -> bool,
    ) -> Built {
        let built = guarded(cx, |cx| self.build_unguarded(cx, project, variant, options, output, published));
        built.unwrap_or_else(|| {
            self.world = None;
            self.frames.clear();
            Built::stopped(Outcome::Failed, None, None)
        })
    }

    fn build_unguarded(
        &mut self,
        cx: &mut Context,
        project: &Project,
        variant: &Variant,
        options: &Options,
        output: Output,
        published: &dyn Fn(&str) -> bool,
    ) -> Built {
        // Unchanged inputs need no work, unless a publishing run must first
        // check that the texts are ready (the gate comes before the skip).
        let digest = input_digest(cx, variant, options);
        // A publishing run also keeps the report's content for the next
        // comparison (`changes`), so it builds what was not published yet.
        let content_kept = |folder: &Path, name: &str| {
            !options.publishing || changes::published(folder, name).is_some_and(|s| s.indata_sha256 == digest)
        };
        let unchanged = match output {
            Output::Write { folder, name } => !options.force && published(&digest) && content_kept(folder, name),
            Output::Check => false,
        };
        if unchanged && !options.publishing {
            return Built::stopped(Outcome::Unchanged, None, Some(digest));
        }
        let Some(report) = validate::validate(cx, project, variant) else {
            return Built::stopped(Outcome::Failed, None, None);
        };
        // A value that could not be loaded would show up again, less clearly,
        // as a missing figure in every text and chart that uses it.
        if cx.diagnostics.has_errors() {
            return Built::stopped(Outcome::Failed, Some(report), None);
        }
        if options.publishing
            && let Some(problem) = unapproved_error(&report, cx)
        {
            cx.report(problem);
            return Built::stopped(Outcome::Failed, Some(report), None);
        }
        if unchanged {
            return Built::stopped(Outcome::Unchanged, Some(report), Some(digest));
        }

        let errors_before = cx.diagnostics.errors();
        let metrics = Metrics::new(&report, &project.data);
        let placeholders = report
            .sections
            .iter()
            .map(|section| match &section.commentary {
                Some(c) => document::offered_placeholders(&report, &metrics, c.unit, c.source),
                None => Vec::new(),
            })
            .collect();
        let mut charts = self.draw_charts(&report, &metrics, cx);
        for section in &report.sections {
            crate::consistency::check(section, &report, &metrics, cx);
        }
        let data = document::build(&report, &metrics, &charts, cx);
        let snapshot = Snapshot::of(&digest, &data, &charts, &report, cx);
        let mut bundle = bundle(&report, project, &charts, &data, cx);
        let settings = match pdf_settings(&report, options) {
            Ok(settings) => settings,
            Err(problem) => {
                cx.report(problem);
                return Built::stopped(Outcome::Failed, Some(report), None);
            }
        };
        let mut built = Built {
            outcome: Outcome::Failed,
            digest: Some(digest),
            title: Some(data.title),
            headings: data.sections.iter().map(|s| s.heading.clone()).collect(),
            report: None,
            laid_out: None,
            pdf: None,
            bundle: None,
            chart_slots: BTreeMap::new(),
            settings: Some(settings.clone()),
            changes: None,
            placeholders,
        };
        if cx.diagnostics.errors() > errors_before {
            built.report = Some(report);
            return built;
        }

        let today = today(report.date);
        let report_file = report.root.join(crate::config::REPORT_FILE);
        let own_templates = !project.template_overrides.is_empty();
        let mut typesetter = Typesetter::new(self.engine, &mut self.world, own_templates, &report_file, cx);
        // Each chart is drawn for the slot the template gave it; one that was
        // drawn for another size is drawn again, and the pages laid out again.
        if let Some(slots) = typesetter.layout(&bundle, today, cx) {
            let mut redrawn = false;
            for (path, chart) in charts.iter_mut().flatten() {
                let Some(slot) = slots.get(path.as_str()) else { continue };
                self.frames.insert(path.clone(), *slot);
                built.chart_slots.insert(path.clone(), *slot);
                if !chart.frame.draws_like(*slot, report.kind.legibility().chart) {
                    let (section, index) = chart_position(&report, path);
                    let model = &report.sections[section].charts[index];
                    *chart = chart::draw(model, &chart.title, &report, &metrics, *slot);
                    replace_file(&mut bundle, path, chart.svg.clone().into_bytes());
                    redrawn = true;
                }
            }
            if redrawn {
                typesetter.layout(&bundle, today, cx);
            }
        }
        let finish = Finish {
            kind: report.kind,
            report_file: &report_file,
            overflow: report.layout.overflow,
            origins: &data.origins,
            headings: &built.headings,
            settings: &settings,
            svg: options.preview,
        };
        let typeset = typesetter.finish(&bundle, &finish, cx);
        drop(typesetter);
        built.report = Some(report);
        built.bundle = Some(bundle);
        built.laid_out = typeset.laid_out;
        let Some(pdf) = typeset.pdf else { return built };
        built.outcome = match output {
            Output::Check => Outcome::Checked,
            Output::Write { folder, name } => {
                let title = built.title.as_deref().unwrap_or_default();
                let changes = Changes::between(changes::published(folder, name).as_ref(), &snapshot);
                let written = changes::write_list(folder, name, &changes, title)
                    .and_then(|()| publish::write_atomically(folder, name, &pdf.bytes));
                built.changes = Some(changes);
                match written {
                    Ok(_) => {
                        if options.publishing
                            && let Err(error) = changes::keep(folder, name, &snapshot)
                        {
                            cx.report(
                                Diagnostic::warning(format!(
                                    "rapportens innehåll kunde inte sparas för nästa jämförelse: {}",
                                    io_reason(&error)
                                ))
                                .in_file(&folder.join(changes::file_names(name).0)),
                            );
                        }
                        Outcome::Written
                    }
                    Err(error) => {
                        cx.report(
                            Diagnostic::error(format!("PDF-filen kan inte skrivas: {}", io_reason(&error)))
                                .in_file(&folder.join(name)),
                        );
                        Outcome::Failed
                    }
                }
            }
        };
        built.pdf = Some(pdf);
        built
    }

    /// Draws every chart for the size its slot had last time, if known.
    fn draw_charts(&self, report: &Report, metrics: &Metrics, cx: &mut Context) -> Vec<Vec<(String, RenderedChart)>> {
        let mut number = 0;
        let mut charts = Vec::new();
        for section in &report.sections {
            let mut drawn = Vec::new();
            for chart in &section.charts {
                number += 1;
                let path = format!("/diagram/{number}.svg");
                let title = match &chart.title {
                    Some(title) => document::fill(title, report, metrics, cx),
                    None => chart::default_title(chart, report, metrics),
                };
                let frame = self.frames.get(&path).copied().unwrap_or(UNMEASURED);
                let rendered = chart::draw(chart, &title, report, metrics, frame);
                drawn.push((path, rendered));
            }
            charts.push(drawn);
        }
        charts
    }
}

/// The frame a chart is drawn for before the template has measured its
/// slot (a report's first build): then drawn again for the slot.
const UNMEASURED: Frame = Frame { width: 450.0, height: 300.0 };

/// The section and index of the chart drawn to `path`.
fn chart_position(report: &Report, path: &str) -> (usize, usize) {
    let number: usize = path.trim_start_matches("/diagram/").trim_end_matches(".svg").parse().expect("our own path");
    let mut seen = 0;
    for (section, s) in report.sections.iter().enumerate() {
        if number <= seen + s.charts.len() {
            return (section, number - seen - 1);
        }
        seen += s.charts.len();
    }
    unreachable!("every path names a chart")
}

fn replace_file(bundle: &mut Bundle, path: &str, bytes: Vec<u8>) {
    if let Some(file) = bundle.files.iter_mut().find(|f| f.path == path) {
        file.bytes = bytes;
    }
}

/// The virtual files of a report: the charts (SVG and their figures as
/// JSON), the template data, the logo and the templates.
fn bundle(
    report: &Report,
    project: &Project,
    charts: &[Vec<(String, RenderedChart)>],
    data: &document::Document,
    cx: &Context,
) -> Bundle {
    let mut files = Vec::new();
    for (number, (path, chart)) in charts.iter().flatten().enumerate() {
        let number = number + 1;
        files.push(VirtualFile {
            path: path.clone(),
            bytes: chart.svg.clone().into_bytes(),
            shown_as: format!("diagram {number}"),
        });
        files.push(VirtualFile {
            path: format!("/diagram/{number}.json"),
            bytes: serde_json::to_vec_pretty(&chart.figures).expect("figures serialise"),
            shown_as: format!("diagram {number} (data)"),
        });
    }
    let json = serde_json::to_vec_pretty(data).expect("template data serialises");
    files.push(VirtualFile { path: "/data.json".into(), bytes: json, shown_as: "data.json (genererad)".into() });
    if let Some(logo) = &report.logo {
        files.push(VirtualFile {
            path: format!("/{}", logo.file_name),
            bytes: logo.bytes.clone(),
            shown_as: logo.file_name.clone(),
        });
    }
    let sources = &cx.sources;
    files.extend(templates::template_files(&project.template_overrides, |id| sources.name(id).to_string()));
    Bundle { main: format!("/{}", report.kind.template().0), files }
}

/// A fingerprint of everything a PDF is made from: the project's files,
/// the templates, the tool's version and the options. The same fingerprint
/// means the same PDF, so a batch run may skip it.
fn input_digest(cx: &Context, variant: &Variant, options: &Options) -> String {
    let unit = match variant {
        Variant::Whole => "",
        Variant::Unit(id) => id,
    };
    cx.digest_with(&[
        // The build fingerprint covers the built-in templates and fonts too.
        ("statusrapport", concat!(env!("CARGO_PKG_VERSION"), "/", env!("STATUSRAPPORT_BUILD")).as_bytes()),
        ("tillganglig", &[u8::from(options.accessible)]),
        ("source-date-epoch", &options.source_date_epoch.unwrap_or(i64::MIN).to_le_bytes()),
        ("variant", unit.as_bytes()),
    ])
}

/// How the PDF is written.
fn pdf_settings(report: &Report, options: &Options) -> Result<PdfSettings, Diagnostic> {
    let (timestamp, timestamp_epoch) = pdf_time(options.source_date_epoch, report.date)?;
    Ok(PdfSettings {
        accessible: options.accessible,
        timestamp,
        timestamp_epoch,
        ident: format!("{}/{}", report.name, report.date),
    })
}

/// The PDF's time, and in seconds since 1970: `SOURCE_DATE_EPOCH` if set
/// (an error if outside [`crate::period::YEARS`]), else the report's date.
fn pdf_time(source_date_epoch: Option<i64>, date: NaiveDate) -> Result<(Datetime, i64), Diagnostic> {
    let years = crate::period::YEARS;
    let timestamp = match source_date_epoch {
        Some(epoch) => chrono::DateTime::from_timestamp(epoch, 0)
            .map(|time| time.naive_utc())
            .filter(|time| years.contains(&time.year()))
            .ok_or_else(|| {
                Diagnostic::error(format!(
                    "miljövariabeln SOURCE_DATE_EPOCH = {epoch} ger en tid utanför åren {}–{}",
                    years.start(),
                    years.end()
                ))
                .hint("SOURCE_DATE_EPOCH är sekunder sedan 1970-01-01; ta bort den eller sätt ett rimligt värde")
            })?,
        None => date.and_hms_opt(0, 0, 0).expect("midnight exists"),
    };
    let datetime = Datetime::from_ymd_hms(
        timestamp.year(),
        timestamp.month() as u8,
        timestamp.day() as u8,
        chrono::Timelike::hour(&timestamp) as u8,
        chrono::Timelike::minute(&timestamp) as u8,
        chrono::Timelike::second(&timestamp) as u8,
    )
    .expect("a time in YEARS is one Typst takes");
    Ok((datetime, timestamp.and_utc().timestamp()))
}

/// The date Typst's `datetime.today()` answers with: the report's date.
pub fn today(date: NaiveDate) -> Datetime {
    Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8).expect("a valid date")
}

/// For a publishing run: the error for a report with texts that are not
/// approved (`utkast`, `granskad`, or changed since they were approved),
/// naming the files, their status and who wrote them: whom to ask.
fn unapproved_error(report: &Report, cx: &Context) -> Option<Diagnostic> {
    let unapproved: Vec<String> = report
        .commentaries()
        .filter(|c| c.status != Status::Approved)
        .map(|c| {
            let status = crate::keyword::name(c.status);
            match &c.author {
                Some(author) => format!("{} ({status}, {author})", cx.sources.name(c.source)),
                None => format!("{} ({status})", cx.sources.name(c.source)),
            }
        })
        .collect();
    (!unapproved.is_empty()).then(|| {
        Diagnostic::error(format!("rapporten publiceras inte: texter som inte är godkända: {}", unapproved.join(", ")))
            .in_file(&report.root.join(crate::config::REPORT_FILE))
            .hint("en text publiceras när den är granskad och godkänd med: statusrapport godkann FIL --av \"Namn\"")
    })
}

/// Builds a project folder's whole report, writing nothing: for tests and
/// tools that want the PDF bytes.
pub fn build(engine: &Engine, root: &Path, options: &Options) -> (Context, Built) {
    let (mut cx, project) = load(root);
    let Some(project) = project else {
        return (cx, Built::stopped(Outcome::Failed, None, None));
    };
    let built = Builder::new(engine).build(&mut cx, &project, &Variant::Whole, options, Output::Check, &|_| false);
    (cx, built)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any `SOURCE_DATE_EPOCH` gives a time or an error, never a panic.
        #[test]
        fn any_source_date_epoch_gives_a_time_or_an_error(epoch in any::<i64>()) {
            let date = NaiveDate::from_ymd_opt(2023, 9, 30).unwrap();
            let years = crate::period::YEARS;
            match pdf_time(Some(epoch), date) {
                Ok((_, seconds)) => prop_assert_eq!(seconds, epoch),
                Err(problem) => {
                    prop_assert!(problem.message.contains("SOURCE_DATE_EPOCH"));
                    let year = chrono::DateTime::from_timestamp(epoch, 0).map(|t| t.year());
                    prop_assert!(year.is_none_or(|y| !years.contains(&y)));
                }
            }
        }
    }

    #[test]
    fn the_edges_of_the_years_and_beyond() {
        let date = NaiveDate::from_ymd_opt(2023, 9, 30).unwrap();
        assert!(pdf_time(Some(253_402_300_800), date).is_err(), "year 10000");
        assert!(pdf_time(Some(i64::MIN), date).is_err());
        assert!(pdf_time(Some(0), date).is_ok());
        for year in [*crate::period::YEARS.start(), *crate::period::YEARS.end()] {
            let edge = NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
            assert!(pdf_time(None, edge).is_ok());
        }
    }

    #[test]
    fn a_panic_is_the_reports_internal_error() {
        let mut cx = Context::new(Path::new("region/vch"));
        let result: Option<()> = guarded(&mut cx, |_| panic!("index out of bounds"));
        assert!(result.is_none());
        let problem = cx.diagnostics.iter().next().unwrap();
        assert!(problem.message.starts_with("internt fel i statusrapport"), "{}", problem.message);
        assert!(problem.message.contains("index out of bounds"), "{}", problem.message);
        assert_eq!(problem.file.as_deref(), Some(Path::new("region/vch/rapport.toml")));
    }
}

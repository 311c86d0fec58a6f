//! One report from folder to PDF bytes, stage by stage:
//! load → validate → derive → chart → render. Publishing (writing the file)
//! is the caller's, so that `check` can run everything and write nothing.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use typst::foundations::Datetime;

use crate::chart::{self, RenderedChart};
use crate::commentary::Status;
use crate::config::PerUnit;
use crate::diagnostic::Diagnostic;
use crate::load::{self, Context, Project};
use crate::metrics::Metrics;
use crate::model::{Report, Variant};
use crate::render::{self, Bundle, Engine, PagedDocument, Pdf, PdfSettings, VirtualFile, document, templates};
use crate::validate;

/// Choices that change the output.
#[derive(Debug, Clone)]
pub struct Options {
    /// PDF/UA-1 + PDF/A-2a; off only for debugging.
    pub accessible: bool,
    /// Creation time for the PDF instead of the report date
    /// (`SOURCE_DATE_EPOCH`, seconds since 1970).
    pub source_date_epoch: Option<i64>,
}

impl Default for Options {
    fn default() -> Self {
        Options { accessible: true, source_date_epoch: None }
    }
}

impl Options {
    /// The defaults, with `SOURCE_DATE_EPOCH` taken from the environment.
    pub fn from_env() -> Options {
        let source_date_epoch = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse().ok());
        Options { source_date_epoch, ..Options::default() }
    }
}

/// A report ready for Typst: the validated report, its virtual files and
/// how to write the PDF.
pub struct Prepared {
    pub report: Report,
    /// The document's title with its placeholders filled.
    pub title: String,
    pub bundle: Bundle,
    pub settings: PdfSettings,
}

/// Reads a project's files. The context holds the messages and sources;
/// each of the project's PDFs is then built from a copy of it.
pub fn load(root: &Path) -> (Context, Option<Project>) {
    let mut cx = Context::new(root);
    let project = load::load(&mut cx);
    (cx, project)
}

/// The PDFs a project gives: the whole report, and with `per_enhet` one per
/// unit, in the order written.
pub fn variants(project: &Project) -> Vec<Variant> {
    let mut variants = vec![Variant::Whole];
    let per_unit = match project.config.per_enhet.as_ref().map(|p| p.get_ref()) {
        Some(PerUnit::All(true) | PerUnit::Listed(_)) => project.config.star_units(),
        _ => Vec::new(),
    };
    variants.extend(per_unit.into_iter().map(|unit| Variant::Unit(unit.to_string())));
    variants
}

/// A fingerprint of everything a PDF is made from: the project's files,
/// the templates, the tool's version and the options. The same fingerprint
/// means the same PDF, so a batch run may skip it.
pub fn input_digest(cx: &Context, variant: &Variant, options: &Options) -> String {
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

/// Validates, derives and draws one PDF of a loaded project; everything but
/// Typst. Problems are in `cx.diagnostics`; `None` if there were errors.
pub fn prepare(cx: &mut Context, project: &Project, variant: &Variant, options: &Options) -> Option<Prepared> {
    let report = validate::validate(cx, project, variant)?;
    // A value that could not be loaded would show up again, less clearly,
    // as a missing figure in every text and chart that uses it.
    if cx.diagnostics.has_errors() {
        return None;
    }
    let (title, bundle) = bundle(cx, &report, project)?;
    let settings = pdf_settings(&report, options);
    Some(Prepared { report, title, bundle, settings })
}

/// Derives the metrics, draws the charts and writes the template data;
/// returns the filled title and the virtual files.
fn bundle(cx: &mut Context, report: &Report, project: &Project) -> Option<(String, Bundle)> {
    let errors_before = cx.diagnostics.errors();
    let metrics = Metrics::new(report, &project.data);
    let mut files = Vec::new();
    let mut charts: Vec<Vec<(String, RenderedChart)>> = Vec::new();
    let mut number = 0;
    for section in &report.sections {
        let mut drawn = Vec::new();
        for chart in &section.charts {
            number += 1;
            let path = format!("/diagram/{number}.svg");
            let title = document::fill(&chart.title, report, &metrics, cx);
            let rendered = chart::draw(chart, &title, report, &metrics, chart::frame(report.kind, section));
            files.push(VirtualFile {
                path: path.clone(),
                bytes: rendered.svg.clone().into_bytes(),
                shown_as: format!("diagram {number}"),
            });
            files.push(VirtualFile {
                path: format!("/diagram/{number}.json"),
                bytes: serde_json::to_vec_pretty(&rendered.figures).expect("figures serialise"),
                shown_as: format!("diagram {number} (data)"),
            });
            drawn.push((path, rendered));
        }
        charts.push(drawn);
    }
    for commentary in report.sections.iter().filter_map(|s| s.commentary.as_ref()) {
        crate::consistency::check(commentary, report, &metrics, cx);
    }
    let data = document::build(report, &metrics, &charts, cx);
    let json = serde_json::to_vec_pretty(&data).expect("template data serialises");
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
    let bundle = Bundle { main: format!("/{}", templates::main_file(report.kind)), files };
    (cx.diagnostics.errors() == errors_before).then_some((data.title, bundle))
}

fn pdf_settings(report: &Report, options: &Options) -> PdfSettings {
    let timestamp = options
        .source_date_epoch
        .and_then(|epoch| chrono::DateTime::from_timestamp(epoch, 0))
        .map(|time| time.naive_utc())
        .unwrap_or_else(|| report.date.and_hms_opt(0, 0, 0).expect("midnight exists"));
    let datetime = Datetime::from_ymd_hms(
        timestamp.year(),
        timestamp.month() as u8,
        timestamp.day() as u8,
        chrono::Timelike::hour(&timestamp) as u8,
        chrono::Timelike::minute(&timestamp) as u8,
        chrono::Timelike::second(&timestamp) as u8,
    )
    .expect("a valid date and time");
    PdfSettings {
        accessible: options.accessible,
        timestamp: datetime,
        timestamp_epoch: timestamp.and_utc().timestamp(),
        ident: format!("{}/{}", report.name, report.date),
    }
}

/// The date Typst's `datetime.today()` answers with: the report's date.
pub fn today(date: NaiveDate) -> Datetime {
    Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8).expect("a valid date")
}

/// For a publishing run: the error for a report that still has commentary
/// in status `utkast`, naming the files.
pub fn draft_error(report: &Report, cx: &Context) -> Option<Diagnostic> {
    // The file, and who wrote it: whom to ask.
    let drafts: Vec<String> = report
        .sections
        .iter()
        .filter_map(|s| s.commentary.as_ref())
        .filter(|c| c.status == Status::Draft)
        .map(|c| match &c.author {
            Some(author) => format!("{} ({author})", cx.sources.name(c.source)),
            None => cx.sources.name(c.source).to_string(),
        })
        .collect();
    (!drafts.is_empty()).then(|| {
        Diagnostic::error(format!("rapporten publiceras inte: kommentarer i status utkast: {}", drafts.join(", ")))
            .in_file(&report.root.join(crate::config::REPORT_FILE))
            .hint("granska texterna och sätt status = \"granskad\" eller \"godkänd\"")
    })
}

/// One PDF's result: the report (if it validated), its pages (if Typst
/// laid them out) and the PDF (only if there were no errors at all).
pub struct Built {
    pub report: Option<Report>,
    pub document: Option<PagedDocument>,
    pub pdf: Option<Pdf>,
}

/// Builds one PDF of a loaded project.
pub fn build_variant(
    engine: &Engine,
    cx: &mut Context,
    project: &Project,
    variant: &Variant,
    options: &Options,
) -> Built {
    let Some(prepared) = prepare(cx, project, variant, options) else {
        return Built { report: None, document: None, pdf: None };
    };
    let world = render::world_for(engine, &prepared.bundle, today(prepared.report.date));
    let document = render::layout(&world, &prepared.bundle, cx);
    let pdf = document
        .as_ref()
        .filter(|_| !cx.diagnostics.has_errors())
        .and_then(|document| render::export(document, &world, &prepared.bundle, &prepared.settings, cx));
    Built { report: Some(prepared.report), document, pdf }
}

/// The outcome of building a project's whole report.
pub struct Outcome {
    pub cx: Context,
    pub report: Option<Report>,
    pub document: Option<PagedDocument>,
    pub pdf: Option<Pdf>,
}

/// Builds a project folder's whole report into PDF bytes.
pub fn build(engine: &Engine, root: &Path, options: &Options) -> Outcome {
    let (mut cx, project) = load(root);
    let Some(project) = project else {
        return Outcome { cx, report: None, document: None, pdf: None };
    };
    let built = build_variant(engine, &mut cx, &project, &Variant::Whole, options);
    Outcome { cx, report: built.report, document: built.document, pdf: built.pdf }
}

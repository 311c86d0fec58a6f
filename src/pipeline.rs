//! One report from folder to PDF bytes, stage by stage:
//! load → validate → derive → chart → render. Publishing (writing the file)
//! is the caller's, so that `check` can run everything and write nothing.

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use typst::foundations::Datetime;

use crate::chart::{self, RenderedChart};
use crate::load::{self, Context, Project};
use crate::metrics::Metrics;
use crate::model::Report;
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
        Options {
            accessible: true,
            source_date_epoch: None,
        }
    }
}

impl Options {
    /// The defaults, with `SOURCE_DATE_EPOCH` taken from the environment.
    pub fn from_env() -> Options {
        let source_date_epoch = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse().ok());
        Options {
            source_date_epoch,
            ..Options::default()
        }
    }
}

/// A report ready for Typst: the validated report, its virtual files and
/// how to write the PDF.
pub struct Prepared {
    pub report: Report,
    pub bundle: Bundle,
    pub settings: PdfSettings,
}

/// Loads, validates, derives and draws; everything but Typst. Problems are
/// in `cx.diagnostics`; `None` if there were errors.
pub fn prepare(cx: &mut Context, options: &Options) -> Option<Prepared> {
    let project = load::load(cx)?;
    let report = validate::validate(cx, &project)?;
    let bundle = bundle(cx, &report, &project, options)?;
    let settings = pdf_settings(&report, options);
    Some(Prepared {
        report,
        bundle,
        settings,
    })
}

/// Derives the metrics, draws the charts and writes the template data.
fn bundle(cx: &mut Context, report: &Report, project: &Project, options: &Options) -> Option<Bundle> {
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
            let rendered = chart::draw(chart, report, &metrics, chart::frame(report.kind, section));
            files.push(VirtualFile {
                path: path.clone(),
                bytes: rendered.svg.clone().into_bytes(),
                shown_as: format!("diagram {number}"),
            });
            drawn.push((path, rendered));
        }
        charts.push(drawn);
    }
    let data = document::build(report, &metrics, &charts, cx);
    let json = serde_json::to_vec_pretty(&data).expect("template data serialises");
    files.push(VirtualFile {
        path: "/data.json".into(),
        bytes: json,
        shown_as: "data.json (genererad)".into(),
    });
    if let Some(logo) = &report.logo {
        files.push(VirtualFile {
            path: format!("/{}", logo.file_name),
            bytes: logo.bytes.clone(),
            shown_as: logo.file_name.clone(),
        });
    }
    let sources = &cx.sources;
    let template_files = templates::template_files(&project.template_overrides, |id| sources.name(id).to_string());
    for file in &template_files {
        cx.add_to_digest(&file.path, &file.bytes);
    }
    files.extend(template_files);
    cx.add_to_digest("statusrapport-version", env!("CARGO_PKG_VERSION").as_bytes());
    cx.add_to_digest("tillganglig", &[u8::from(options.accessible)]);
    if let Some(epoch) = options.source_date_epoch {
        cx.add_to_digest("source-date-epoch", &epoch.to_le_bytes());
    }
    (cx.diagnostics.errors() == errors_before).then(|| Bundle {
        main: format!("/{}", templates::main_file(report.kind)),
        files,
    })
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
        ident: format!("{}/{}", report.name, report.date),
    }
}

/// The date Typst's `datetime.today()` answers with: the report's date.
pub fn today(date: NaiveDate) -> Datetime {
    Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8).expect("a valid date")
}

/// The outcome of building one report: the messages (with the sources to
/// show them) and, if all went well, the laid-out pages and the PDF.
pub struct Outcome {
    pub cx: Context,
    pub report: Option<Report>,
    pub document: Option<PagedDocument>,
    pub pdf: Option<Pdf>,
}

/// Builds one report folder into PDF bytes. A report with any error gets
/// no PDF, even if Typst could lay it out.
pub fn build(engine: &Engine, root: &Path, options: &Options) -> Outcome {
    let mut cx = Context::new(root);
    let Some(prepared) = prepare(&mut cx, options) else {
        return Outcome {
            cx,
            report: None,
            document: None,
            pdf: None,
        };
    };
    let world = render::world_for(engine, &prepared.bundle, today(prepared.report.date));
    let document = render::layout(&world, &prepared.bundle, &mut cx);
    let pdf = document
        .as_ref()
        .filter(|_| !cx.diagnostics.has_errors())
        .and_then(|document| render::export(document, &world, &prepared.bundle, &prepared.settings, &mut cx));
    Outcome {
        cx,
        report: Some(prepared.report),
        document,
        pdf,
    }
}

//! Render: the report's virtual files (template, `/data.json`, chart SVGs,
//! logo) → Typst → PDF, by default tagged PDF/UA-1 and PDF/A-2a.
//!
//! The [`Engine`] (fonts, Typst's standard library) is made once per process
//! and shared by every report, also across threads.

pub mod document;
pub mod fit;
pub mod templates;
pub mod typeset;
pub mod world;

use std::collections::HashMap;

use typst::LibraryExt;
use typst::diag::{Severity as TypstSeverity, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::FileId;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, WorldExt};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::chart::Frame;
use crate::context::Context;
use crate::diagnostic::{Diagnostic, Span};
pub use typst_layout::PagedDocument;
pub use world::{ReportWorld, file_id};

/// What is loaded once and shared: fonts and the Typst standard library.
pub struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl Engine {
    pub fn new() -> Engine {
        let fonts: Vec<Font> = crate::fonts::FONTS.iter().flat_map(|(_, data)| Font::iter(Bytes::new(*data))).collect();
        let book = FontBook::from_fonts(&fonts);
        Engine { library: LazyHash::new(Library::default()), book: LazyHash::new(book), fonts }
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// One file Typst sees, and how to name it in a message.
#[derive(Debug, Clone)]
pub struct VirtualFile {
    /// `/data.json`, `/diagram/1.svg`, `/statusrapport.typ`.
    pub path: String,
    pub bytes: Vec<u8>,
    /// The name in messages: the project's override, or the built-in
    /// template's name.
    pub shown_as: String,
}

/// Everything Typst needs for one report: the files and which is main.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub main: String,
    pub files: Vec<VirtualFile>,
}

impl Bundle {
    fn typst_files(&self) -> HashMap<FileId, Bytes> {
        self.files.iter().map(|f| (file_id(&f.path), Bytes::new(f.bytes.clone()))).collect()
    }
}

/// How the PDF is written.
#[derive(Debug, Clone)]
pub struct PdfSettings {
    /// PDF/UA-1 + PDF/A-2a (the default; off only for debugging).
    pub accessible: bool,
    /// Creation date written in the PDF (the report date, or
    /// `SOURCE_DATE_EPOCH`), so that the same inputs give the same bytes.
    pub timestamp: Datetime,
    /// The same moment in seconds since 1970 (for the Typst CLI).
    pub timestamp_epoch: i64,
    /// Document identifier, derived from the report, not random.
    pub ident: String,
}

/// A finished PDF.
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// Makes a world for a bundle (or refreshes one kept from an earlier build).
pub fn world_for<'e>(engine: &'e Engine, bundle: &Bundle, today: Datetime) -> ReportWorld<'e> {
    ReportWorld::new(engine, file_id(&bundle.main), bundle.typst_files(), today)
}

/// Points an existing world at a changed bundle.
pub fn refresh(world: &mut ReportWorld, bundle: &Bundle, today: Datetime) {
    world.update(file_id(&bundle.main), bundle.typst_files(), today);
}

/// Lays the report out; Typst's errors and warnings become diagnostics
/// pointing into the template (or the project's override of it).
pub fn layout(world: &ReportWorld, bundle: &Bundle, cx: &mut Context) -> Option<PagedDocument> {
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    report_typst(cx, world, bundle, &warnings);
    match output {
        Ok(document) => Some(document),
        Err(errors) => {
            report_typst(cx, world, bundle, &errors);
            None
        }
    }
}

/// The label of the metadata a template places in each chart's slot: the
/// chart's path and the slot's width and height in points.
const CHART_SLOT: &str = "diagramyta";

/// The slots the laid-out document gives its charts: chart path → frame.
/// Charts are then drawn for exactly that size.
pub fn chart_slots(document: &PagedDocument) -> HashMap<String, Frame> {
    use typst::foundations::{Label, Selector, Value};
    use typst::introspection::Introspector;
    let label = Label::new(typst::utils::PicoStr::intern(CHART_SLOT)).expect("a label name");
    let number = |value: Option<&Value>| match value {
        Some(Value::Float(f)) => Some(*f),
        Some(Value::Int(i)) => Some(*i as f64),
        _ => None,
    };
    let mut slots = HashMap::new();
    for element in document.introspector().query(&Selector::Label(label)) {
        let Ok(Value::Dict(slot)) = element.get_by_name("value") else { continue };
        let (Some(Value::Str(path)), Some(width), Some(height)) =
            (slot.get("path").ok(), number(slot.get("width").ok()), number(slot.get("height").ok()))
        else {
            continue;
        };
        slots.insert(path.to_string(), Frame { width, height });
    }
    slots
}

/// Writes a laid-out report as PDF.
pub fn export(
    document: &PagedDocument,
    world: &ReportWorld,
    bundle: &Bundle,
    settings: &PdfSettings,
    cx: &mut Context,
) -> Option<Pdf> {
    let standards: &[PdfStandard] = if settings.accessible { &[PdfStandard::Ua_1, PdfStandard::A_2a] } else { &[] };
    let options = PdfOptions {
        ident: Smart::Custom(settings.ident.clone()),
        creator: Smart::Custom(Some(format!("statusrapport {} (Typst 0.15)", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(settings.timestamp)),
        page_ranges: None,
        standards: PdfStandards::new(standards).expect("PDF/UA-1 and PDF/A-2a combine"),
        tagged: true,
        pretty: false,
    };
    match typst_pdf::pdf(document, &options) {
        Ok(bytes) => Some(Pdf { bytes, pages: document.pages().len() }),
        Err(errors) => {
            report_typst(cx, world, bundle, &errors);
            None
        }
    }
}

/// Turns Typst's diagnostics into ours: the message (Typst's, in English)
/// after a Swedish lead-in, pointing at the template line.
fn report_typst(cx: &mut Context, world: &ReportWorld, bundle: &Bundle, diagnostics: &[SourceDiagnostic]) {
    let mut registered: HashMap<FileId, crate::diagnostic::SourceId> = HashMap::new();
    for diagnostic in diagnostics {
        let lead = if diagnostic.message.contains("PDF/") {
            "PDF-fel"
        } else if diagnostic.message.starts_with("failed to decode image") {
            "en bild (logotypen?) kan inte läsas"
        } else {
            "fel i mallen"
        };
        let mut ours = match diagnostic.severity {
            TypstSeverity::Error => Diagnostic::error(format!("{lead}: {}", diagnostic.message)),
            TypstSeverity::Warning => Diagnostic::warning(format!("varning från mallen: {}", diagnostic.message)),
        };
        if let (Some(id), Some(range)) = (diagnostic.span.id(), world.range(diagnostic.span))
            && let Some(text) = world.text_of(id)
        {
            let path = id.vpath().get_with_slash().to_string();
            let name = bundle.files.iter().find(|f| f.path == path).map_or(path, |f| f.shown_as.clone());
            let source = *registered.entry(id).or_insert_with(|| cx.sources.add(name, text));
            ours = ours.at(Span::new(source, range));
        }
        for hint in &diagnostic.hints {
            ours = ours.hint(hint.v.to_string());
        }
        cx.report(ours);
    }
}

/// Where each section's heading is: its page (from 1) and how far down
/// the page (0 at the top, 1 at the bottom); the laid-out headings matched
/// to the sections' headings in order; `None` for a section without a
/// heading of its own.
pub fn section_places(document: &PagedDocument, headings: &[String]) -> Vec<Option<(usize, f64)>> {
    use typst::foundations::{NativeElement, Selector};
    use typst::introspection::Introspector;
    use typst::model::HeadingElem;
    let introspector = document.introspector();
    let laid_out: Vec<(String, usize, f64)> = introspector
        .query(&Selector::Elem(HeadingElem::ELEM, None))
        .iter()
        .filter_map(|heading| {
            let position = introspector.position(heading.location()?)?;
            let page = position.page.get();
            let height = document.pages().get(page - 1)?.frame.height().to_pt();
            let down = if height > 0.0 { (position.point.y.to_pt() / height).clamp(0.0, 1.0) } else { 0.0 };
            // The body only: the heading's plain text starts with its supplement ("Avsnitt").
            let body = heading.to_packed::<HeadingElem>()?.body.plain_text();
            Some((body.trim().to_string(), page, down))
        })
        .collect();
    let mut next = 0;
    headings
        .iter()
        .map(|heading| {
            let at = laid_out[next..].iter().position(|(text, _, _)| text == heading.trim())?;
            next += at + 1;
            Some((laid_out[next - 1].1, laid_out[next - 1].2))
        })
        .collect()
}

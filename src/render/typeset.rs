//! Where a report's pages are typeset: in this process, or, for a report
//! with its own templates (`mallar = "…"`), in a child process of the same
//! program that is watched and killed past a limit.
//!
//! A project's own templates are Typst code the secretariat chose, and
//! Typst has no limit on time or memory: `range(400000000)` takes
//! gigabytes, a long `for` loop takes hours, and a thread running Typst
//! cannot be stopped. In a child process it can: past [`Limits`] the child
//! is killed and that report fails with a message naming its `rapport.toml`;
//! its old PDF stays (only the parent writes) and the batch goes on. Our own
//! templates are known and run here, at no extra cost.
//!
//! The child gets the same virtual files ([`Bundle`]) the parent made and
//! runs the same code ([`Here`]); its messages, laid-out pages and PDF come
//! back over standard output and are added to the parent's [`Context`] as
//! if typeset here. Messages are frames: a count, then each frame's length
//! (u64, little-endian) and bytes; the first frame is JSON, the others are
//! files or the PDF.
//!
//! Memory is watched from outside, by the child's resident size
//! (`/proc/<pid>/status`, Linux), not by an address-space limit set in the
//! child: Typst reserves address space it never touches, so a limit on it
//! would fail good templates, and an allocation failure aborts the child
//! with no say about why. Elsewhere (Windows, macOS) only time is watched.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use typst::foundations::Datetime;

use super::{Bundle, Engine, PagedDocument, Pdf, PdfSettings, ReportWorld, VirtualFile, fit};
use crate::chart::Frame;
use crate::context::Context;
use crate::diagnostic::{Diagnostic, SourceId, Span};
use crate::kind::Kind;
use crate::model::Overflow;

/// The hidden subcommand the child runs (not shown in `--help`).
pub const CHILD_COMMAND: &str = "intern-mallprocess";

/// Test-only: `SEKUNDER,MEGABYTE` instead of the limits below.
const LIMITS_VARIABLE: &str = "STATUSRAPPORT_MALLGRANS";

/// How long and how much memory a project template may take for one report.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub seconds: u64,
    pub megabytes: u64,
}

/// A report needs a few seconds and a few hundred megabytes.
pub const LIMITS: Limits = Limits { seconds: 60, megabytes: 2048 };

impl Limits {
    fn from_env() -> Limits {
        let set = std::env::var(LIMITS_VARIABLE).ok().and_then(|value| {
            let (seconds, megabytes) = value.split_once(',')?;
            Some(Limits { seconds: seconds.trim().parse().ok()?, megabytes: megabytes.trim().parse().ok()? })
        });
        set.unwrap_or(LIMITS)
    }
}

/// Whether project templates are typeset in a child process. Set by the
/// `statusrapport` program; elsewhere (a test harness, the fuzzer) the
/// current program is not one that can be the child.
static ISOLATED: AtomicBool = AtomicBool::new(false);

/// Typesets reports with project templates in a child of this program.
pub fn isolate_project_templates() {
    ISOLATED.store(true, Ordering::Relaxed);
}

/// What to make of the laid-out pages.
pub struct Finish<'a> {
    pub kind: Kind,
    /// The file messages about the pages name (`rapport.toml`) when no
    /// better place is known.
    pub report_file: &'a Path,
    /// `ryms_inte`: whether content too long for its slide continued.
    pub overflow: Overflow,
    /// Where content came from, by the index the templates' `<passform>`
    /// marks give ([`super::document::Document::origins`]).
    pub origins: &'a [Span],
    /// Each section's heading as printed, to find its page.
    pub headings: &'a [String],
    pub settings: &'a PdfSettings,
    /// Each page as SVG too (the preview of `watch`).
    pub svg: bool,
}

/// What the callers need of the laid-out pages.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LaidOut {
    /// Where each section's heading is ([`super::section_places`]).
    pub section_places: Vec<Option<(usize, f64)>>,
    /// Each page as SVG, when asked for.
    pub pages: Vec<Page>,
}

/// A page of the report as the browser shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Page {
    pub svg: String,
    /// Width and height in points.
    pub size: (f64, f64),
}

/// The result of typesetting: the pages (also when no PDF could be made)
/// and the PDF.
#[derive(Default)]
pub struct Typeset {
    pub laid_out: Option<LaidOut>,
    pub pdf: Option<Pdf>,
}

/// Typesets one report: [`layout`](Typesetter::layout) once or twice (the
/// charts may be redrawn for their slots), then [`finish`](Typesetter::finish).
pub enum Typesetter<'a, 'e> {
    Here(Here<'a, 'e>),
    Child(Child),
}

impl<'a, 'e> Typesetter<'a, 'e> {
    /// Here, reusing `world`, or for a report with project templates in a
    /// watched child process (when this program can be that child).
    pub fn new(
        engine: &'e Engine,
        world: &'a mut Option<ReportWorld<'e>>,
        project_templates: bool,
        report_file: &Path,
        cx: &mut Context,
    ) -> Typesetter<'a, 'e> {
        if project_templates && ISOLATED.load(Ordering::Relaxed) {
            Typesetter::Child(Child::start(report_file, Limits::from_env(), cx))
        } else {
            Typesetter::Here(Here { engine, world, document: None })
        }
    }

    /// Lays the pages out; the slot each chart got, or `None` if the
    /// template failed (messages in `cx`).
    pub fn layout(&mut self, bundle: &Bundle, today: Datetime, cx: &mut Context) -> Option<HashMap<String, Frame>> {
        match self {
            Typesetter::Here(here) => here.layout(bundle, today, cx),
            Typesetter::Child(child) => child.layout(bundle, today, cx),
        }
    }

    /// Checks the last laid-out pages and, without errors, exports the PDF.
    pub fn finish(&mut self, bundle: &Bundle, finish: &Finish, cx: &mut Context) -> Typeset {
        match self {
            Typesetter::Here(here) => here.finish(bundle, finish, cx),
            Typesetter::Child(child) => child.finish(finish, cx),
        }
    }
}

/// Typesetting in this process; the world (Typst's caches) is kept from
/// one build to the next.
pub struct Here<'a, 'e> {
    engine: &'e Engine,
    world: &'a mut Option<ReportWorld<'e>>,
    document: Option<PagedDocument>,
}

impl Here<'_, '_> {
    fn layout(&mut self, bundle: &Bundle, today: Datetime, cx: &mut Context) -> Option<HashMap<String, Frame>> {
        let world = match self.world {
            Some(world) => {
                super::refresh(world, bundle, today);
                world
            }
            None => self.world.insert(super::world_for(self.engine, bundle, today)),
        };
        self.document = super::layout(world, bundle, cx);
        self.document.as_ref().map(super::chart_slots)
    }

    fn finish(&mut self, bundle: &Bundle, finish: &Finish, cx: &mut Context) -> Typeset {
        let (Some(document), Some(world)) = (self.document.take(), self.world.as_ref()) else {
            return Typeset::default();
        };
        // The pages as a reader sees them: nothing into the footer, off the
        // page or below the kind's legible size.
        let subject = fit::Subject {
            kind: finish.kind,
            overflow: finish.overflow,
            origins: finish.origins,
            report_file: finish.report_file,
        };
        fit::check(&document, &subject, cx);
        // Keep Typst's caches from growing without end over a long session.
        typst::comemo::evict(10);
        let pdf = if cx.diagnostics.has_errors() {
            None
        } else {
            super::export(&document, world, bundle, finish.settings, cx)
        };
        let pages = match finish.svg {
            true => document
                .pages()
                .iter()
                .map(|page| Page {
                    svg: page_svg(page),
                    size: (page.frame.width().to_pt(), page.frame.height().to_pt()),
                })
                .collect(),
            false => Vec::new(),
        };
        Typeset {
            laid_out: Some(LaidOut { section_places: super::section_places(&document, finish.headings), pages }),
            pdf,
        }
    }
}

/// A page as SVG, memoised with Typst's caches: after a save most pages
/// are the very frames of the last build (Typst kept them), and writing
/// their SVG again was a third of `watch`'s rebuild.
#[comemo::memoize]
fn page_svg(page: &typst_layout::Page) -> String {
    typst_svg::svg(page, &typst_svg::SvgOptions::default())
}

/// A watched child process typesetting one report.
pub struct Child {
    /// `None` once it failed (the report's error is reported).
    process: Option<std::process::Child>,
    messages: mpsc::Receiver<io::Result<Vec<Vec<u8>>>>,
    started: Instant,
    limits: Limits,
    report_file: PathBuf,
}

/// Why the child gave no answer.
enum Stop {
    Seconds,
    Megabytes,
    Failed(String),
}

impl Child {
    fn start(report_file: &Path, limits: Limits, cx: &mut Context) -> Child {
        let (send, messages) = mpsc::channel();
        let mut child =
            Child { process: None, messages, started: Instant::now(), limits, report_file: report_file.into() };
        let spawned = std::env::current_exe().and_then(|program| {
            Command::new(program).arg(CHILD_COMMAND).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()
        });
        match spawned {
            Ok(mut process) => {
                let mut stdout = process.stdout.take().expect("piped");
                // Reads the child's answers, so that waiting for one can time out.
                std::thread::spawn(move || {
                    loop {
                        let message = read_message(&mut stdout);
                        let ended = message.is_err();
                        if send.send(message).is_err() || ended {
                            return;
                        }
                    }
                });
                child.process = Some(process);
            }
            Err(error) => child.fail(Stop::Failed(crate::error::io_reason(&error)), cx),
        }
        child
    }

    fn layout(&mut self, bundle: &Bundle, today: Datetime, cx: &mut Context) -> Option<HashMap<String, Frame>> {
        let files = bundle.files.iter().map(|f| (f.path.clone(), f.shown_as.clone())).collect();
        let request = Request::Layout { main: bundle.main.clone(), today: parts(today), files };
        let blobs: Vec<&[u8]> = bundle.files.iter().map(|f| f.bytes.as_slice()).collect();
        let (LayoutAnswer { messages, slots }, _) = self.ask(&request, &blobs, cx)?;
        messages.add_to(cx);
        slots.map(|slots| slots.into_iter().collect())
    }

    fn finish(&mut self, finish: &Finish, cx: &mut Context) -> Typeset {
        let (origin_sources, origins) = Places::of(finish.origins, cx);
        let request = Request::Finish {
            kind: finish.kind.name().to_string(),
            report_file: finish.report_file.to_path_buf(),
            overflow: finish.overflow.name().to_string(),
            origin_sources,
            origins,
            headings: finish.headings.to_vec(),
            accessible: finish.settings.accessible,
            timestamp: parts(finish.settings.timestamp),
            timestamp_epoch: finish.settings.timestamp_epoch,
            ident: finish.settings.ident.clone(),
            svg: finish.svg,
        };
        let Some((FinishAnswer { messages, laid_out, pages }, mut blobs)) = self.ask(&request, &[], cx) else {
            return Typeset::default();
        };
        messages.add_to(cx);
        let pdf = pages.zip(blobs.pop()).map(|(pages, bytes)| Pdf { bytes, pages });
        Typeset { laid_out, pdf }
    }

    /// Sends a request and waits for the answer and the frames after it,
    /// watching the limits.
    fn ask<A: DeserializeOwned>(
        &mut self,
        request: &Request,
        blobs: &[&[u8]],
        cx: &mut Context,
    ) -> Option<(A, Vec<Vec<u8>>)> {
        let process = self.process.as_mut()?;
        let header = serde_json::to_vec(request).expect("a request serialises");
        let mut frames = vec![header.as_slice()];
        frames.extend_from_slice(blobs);
        let written = process.stdin.as_mut().map_or(Ok(()), |stdin| write_message(stdin, &frames));
        let answer = written.map_err(|error| Stop::Failed(crate::error::io_reason(&error))).and_then(|()| self.wait());
        let answer = answer.and_then(|mut frames| {
            let header = if frames.is_empty() { Vec::new() } else { frames.remove(0) };
            let answer = serde_json::from_slice(&header).map_err(|error| Stop::Failed(error.to_string()))?;
            Ok((answer, frames))
        });
        answer.map_err(|stop| self.fail(stop, cx)).ok()
    }

    /// The next answer, or why there is none.
    fn wait(&mut self) -> Result<Vec<Vec<u8>>, Stop> {
        let pid = self.process.as_ref().map_or(0, std::process::Child::id);
        loop {
            match self.messages.recv_timeout(Duration::from_millis(20)) {
                Ok(Ok(frames)) => return Ok(frames),
                // Past the limit the child ends itself (it also guards
                // against a killed parent), maybe a moment before this
                // thread looks at the clock: that is the limit too.
                Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(if self.started.elapsed() >= Duration::from_secs(self.limits.seconds) {
                        Stop::Seconds
                    } else {
                        Stop::Failed("den avslutades".into())
                    });
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            if self.started.elapsed() > Duration::from_secs(self.limits.seconds) {
                return Err(Stop::Seconds);
            }
            if resident_megabytes(pid).is_some_and(|megabytes| megabytes > self.limits.megabytes) {
                return Err(Stop::Megabytes);
            }
        }
    }

    /// Kills the child and reports why as the report's error.
    fn fail(&mut self, stop: Stop, cx: &mut Context) {
        let mut ended = None;
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            ended = process.wait().ok();
        }
        let Limits { seconds, megabytes } = self.limits;
        let diagnostic = match stop {
            Stop::Seconds => Diagnostic::error(format!(
                "rapportens egen mall (mallar i rapport.toml) har arbetat i mer än {seconds} s och stoppades; \
                 rapporten byggdes inte"
            )),
            Stop::Megabytes => Diagnostic::error(format!(
                "rapportens egen mall (mallar i rapport.toml) har tagit mer än {megabytes} MB minne och \
                 stoppades; rapporten byggdes inte"
            )),
            Stop::Failed(reason) => {
                cx.report(
                    Diagnostic::error(format!(
                        "internt fel i statusrapport: processen som sätter rapporten med projektets egna mallar \
                         slutade utan svar ({reason}{}); rapporten byggdes inte",
                        ended.map(|status| format!("; {status}")).unwrap_or_default()
                    ))
                    .in_file(&self.report_file)
                    .hint(crate::error::INTERNAL_ERROR_HINT),
                );
                return;
            }
        };
        cx.report(diagnostic.in_file(&self.report_file).hint(
            "rätta mallen (en slinga utan slut, eller en mycket stor range?) och bygg igen; den förra \
             PDF-filen ligger kvar som den var och övriga rapporter byggs som vanligt",
        ));
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        // Its work is done (or abandoned); it must not outlive the report.
        if let Some(mut process) = self.process.take() {
            drop(process.stdin.take());
            let _ = process.kill();
            let _ = process.wait();
        }
    }
}

/// The child: answers requests on standard input until it is closed.
pub fn serve() -> io::Result<()> {
    // A child whose parent was killed is no longer watched: it ends itself
    // past the parent's time limit (which counts from before it started).
    let seconds = Limits::from_env().seconds;
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(seconds));
        std::process::exit(2);
    });
    let engine = Engine::new();
    let mut world = None;
    let mut here = Here { engine: &engine, world: &mut world, document: None };
    let mut bundle = Bundle { main: String::new(), files: Vec::new() };
    let (mut input, mut output) = (io::stdin().lock(), io::stdout().lock());
    loop {
        let mut frames = match read_message(&mut input) {
            Ok(frames) if !frames.is_empty() => frames,
            Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Ok(_) => return Err(io::Error::new(io::ErrorKind::InvalidData, "empty request")),
            Err(error) => return Err(error),
        };
        let header = frames.remove(0);
        let request: Request = serde_json::from_slice(&header)?;
        let mut cx = Context::new(Path::new(""));
        match request {
            Request::Layout { main, today, files } => {
                let files = files.into_iter().zip(frames);
                let files = files.map(|((path, shown_as), bytes)| VirtualFile { path, bytes, shown_as }).collect();
                bundle = Bundle { main, files };
                let slots = here.layout(&bundle, datetime(today), &mut cx);
                let answer =
                    LayoutAnswer { messages: Messages::of(&cx), slots: slots.map(|s| s.into_iter().collect()) };
                write_message(&mut output, &[&serde_json::to_vec(&answer)?])?;
            }
            Request::Finish {
                kind,
                report_file,
                overflow,
                origin_sources,
                origins,
                headings,
                accessible,
                timestamp,
                timestamp_epoch,
                ident,
                svg,
            } => {
                let kind = Kind::ALL.into_iter().find(|k| k.name() == kind);
                let kind = kind.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "unknown kind"))?;
                let overflow = crate::keyword::find::<Overflow>(&overflow)
                    .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "unknown overflow"))?;
                let settings = PdfSettings { accessible, timestamp: datetime(timestamp), timestamp_epoch, ident };
                let origins = Places::spans(origin_sources, &origins, &mut cx);
                let finish = Finish {
                    kind,
                    report_file: &report_file,
                    overflow,
                    origins: &origins,
                    headings: &headings,
                    settings: &settings,
                    svg,
                };
                let typeset = here.finish(&bundle, &finish, &mut cx);
                let pages = typeset.pdf.as_ref().map(|pdf| pdf.pages);
                let answer = FinishAnswer { messages: Messages::of(&cx), laid_out: typeset.laid_out, pages };
                let header = serde_json::to_vec(&answer)?;
                let mut frames = vec![header.as_slice()];
                frames.extend(typeset.pdf.as_ref().map(|pdf| pdf.bytes.as_slice()));
                write_message(&mut output, &frames)?;
            }
        }
    }
}

#[derive(Serialize, Deserialize)]
enum Request {
    /// Followed by one frame per file.
    Layout { main: String, today: [i32; 6], files: Vec<(String, String)> },
    Finish {
        kind: String,
        report_file: PathBuf,
        overflow: String,
        /// Name and text of each file `origins` point into.
        origin_sources: Vec<(String, String)>,
        origins: Vec<Place>,
        headings: Vec<String>,
        accessible: bool,
        timestamp: [i32; 6],
        timestamp_epoch: i64,
        ident: String,
        svg: bool,
    },
}

#[derive(Serialize, Deserialize)]
struct LayoutAnswer {
    messages: Messages,
    slots: Option<Vec<(String, Frame)>>,
}

/// Followed by the PDF's frame when there is one (`pages`).
#[derive(Serialize, Deserialize)]
struct FinishAnswer {
    messages: Messages,
    laid_out: Option<LaidOut>,
    pages: Option<usize>,
}

/// The child's messages with the files they quote.
#[derive(Serialize, Deserialize)]
struct Messages {
    /// Name and text of each file quoted.
    sources: Vec<(String, String)>,
    list: Vec<Message>,
}

#[derive(Serialize, Deserialize)]
struct Message {
    error: bool,
    message: String,
    /// Where in `sources`.
    place: Option<Place>,
    file: Option<PathBuf>,
    hints: Vec<String>,
}

/// A span sent between the processes: index in a list of files (name and
/// text), start and end.
type Place = (usize, u32, u32);

/// Spans as places in the files they quote, and back.
struct Places {
    sources: Vec<(String, String)>,
    index: HashMap<SourceId, usize>,
}

impl Places {
    /// The files quoted and each span as a place in them.
    fn of<'s>(spans: impl IntoIterator<Item = &'s Span>, cx: &Context) -> (Vec<(String, String)>, Vec<Place>) {
        let mut places = Places { sources: Vec::new(), index: HashMap::new() };
        let list = spans.into_iter().map(|span| places.place(*span, cx)).collect();
        (places.sources, list)
    }

    fn place(&mut self, span: Span, cx: &Context) -> Place {
        let at = *self.index.entry(span.source).or_insert_with(|| {
            let (name, text) = (cx.sources.name(span.source), cx.sources.text(span.source));
            self.sources.push((name.to_string(), text.to_string()));
            self.sources.len() - 1
        });
        (at, span.start, span.end)
    }

    /// The spans of `places`, their files added to `cx`.
    fn spans(sources: Vec<(String, String)>, places: &[Place], cx: &mut Context) -> Vec<Span> {
        let ids = Places::add(sources, cx);
        places.iter().map(|&(source, start, end)| Span { source: ids[source], start, end }).collect()
    }

    fn add(sources: Vec<(String, String)>, cx: &mut Context) -> Vec<SourceId> {
        sources.into_iter().map(|(name, text)| cx.sources.add(name, text)).collect()
    }
}

impl Messages {
    fn of(cx: &Context) -> Messages {
        let mut places = Places { sources: Vec::new(), index: HashMap::new() };
        let list = cx
            .diagnostics
            .iter()
            .map(|d| Message {
                error: d.is_error(),
                message: d.message.clone(),
                place: d.location.map(|span| places.place(span, cx)),
                file: d.file.clone(),
                hints: d.hints.clone(),
            })
            .collect();
        Messages { sources: places.sources, list }
    }

    /// Reports the messages in `cx` as if made there.
    fn add_to(self, cx: &mut Context) {
        let ids = Places::add(self.sources, cx);
        for message in self.list {
            let mut diagnostic = match message.error {
                true => Diagnostic::error(message.message),
                false => Diagnostic::warning(message.message),
            };
            if let Some((source, start, end)) = message.place {
                diagnostic = diagnostic.at(Span { source: ids[source], start, end });
            }
            diagnostic.file = message.file;
            diagnostic.hints = message.hints;
            cx.report(diagnostic);
        }
    }
}

/// A date and time as numbers, and back.
fn parts(time: Datetime) -> [i32; 6] {
    let part = |p: Option<u8>| i32::from(p.unwrap_or(0));
    [
        time.year().unwrap_or(0),
        part(time.month()),
        part(time.day()),
        part(time.hour()),
        part(time.minute()),
        part(time.second()),
    ]
}

fn datetime([year, month, day, hour, minute, second]: [i32; 6]) -> Datetime {
    let byte = |n: i32| n as u8;
    Datetime::from_ymd_hms(year, byte(month), byte(day), byte(hour), byte(minute), byte(second))
        .expect("the parent sent a valid time")
}

fn write_message(to: &mut impl Write, frames: &[&[u8]]) -> io::Result<()> {
    to.write_all(&(frames.len() as u64).to_le_bytes())?;
    for frame in frames {
        to.write_all(&(frame.len() as u64).to_le_bytes())?;
        to.write_all(frame)?;
    }
    to.flush()
}

fn read_message(from: &mut impl Read) -> io::Result<Vec<Vec<u8>>> {
    let mut number = [0; 8];
    from.read_exact(&mut number)?;
    (0..u64::from_le_bytes(number))
        .map(|_| {
            from.read_exact(&mut number)?;
            let length = u64::from_le_bytes(number);
            let mut frame = Vec::new();
            from.take(length).read_to_end(&mut frame)?;
            match frame.len() as u64 == length {
                true => Ok(frame),
                false => Err(io::ErrorKind::UnexpectedEof.into()),
            }
        })
        .collect()
}

/// A process's resident memory, where the system tells it (Linux).
fn resident_megabytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024)
}

//! A batch run over a tree of report projects, as the nightly rebuild does
//! it: projects in parallel on all cores, a PDF skipped when nothing it is
//! made from changed, every PDF published atomically, a failure reported
//! without stopping the others or touching the PDF it would have replaced,
//! and `manifest.json` in the output folder telling what happened.
//!
//! One run at a time per output folder: a lock file (`.statusrapport.lock`)
//! makes a second run wait until the first is done.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::chart::Frame;
use crate::context::{Context, sha256};
use crate::diagnostic::{self, Diagnostic, JsonDiagnostic};
use crate::error::Said;
use crate::model::Variant;
use crate::pipeline::{self, Builder, Options, Outcome, Output};
use crate::render::Engine;
use crate::{load, publish};

/// The manifest's file name in the output folder.
pub const MANIFEST: &str = "manifest.json";
const LOCK: &str = ".statusrapport.lock";
/// Largest manifest read (about 200 000 PDFs); a larger one is not ours and
/// is ignored, so that everything is built.
const MAX_MANIFEST: u64 = 1 << 30;

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub out: PathBuf,
    /// Reports built at once (default: one per core).
    pub jobs: Option<usize>,
    pub pipeline: Options,
}

/// Stack for worker threads: Typst's layout recurses deeply, beyond the
/// 2 MiB a thread gets by default (in debug builds especially).
const WORKER_STACK: usize = 64 << 20;

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The most reports built at once: four per core. More only adds memory
/// (each worker has its own Typst caches and a large stack) and no speed.
pub fn most_jobs() -> usize {
    4 * cores()
}

/// Applies `work` to every item on `jobs` threads (default: one per core,
/// at most [`most_jobs`]),
/// each taking the next item when done with one; results in item order.
/// Each thread has its own working state from `state` (a [`Builder`], whose
/// caches serve the thread's next report).
///
/// Plain threads, not a rayon pool: Typst parallelises inside a report with
/// rayon, and a rayon worker waiting on that would steal the next report and
/// start it on the same stack, so that many reports would be half-built at
/// once and memory would grow with the size of the batch.
pub fn parallel_map<T: Sync, R: Send, S>(
    items: &[T],
    jobs: Option<usize>,
    state: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    let jobs = jobs.unwrap_or_else(cores).clamp(1, items.len().max(1)).min(most_jobs());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: std::sync::Mutex<Vec<Option<R>>> = std::sync::Mutex::new(items.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for i in 0..jobs {
            let (next, results, work, state) = (&next, &results, &work, &state);
            std::thread::Builder::new()
                .name(format!("rapport-{i}"))
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, move || {
                    let mut state = state();
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break };
                        let result = work(&mut state, item);
                        results.lock().expect("no worker panics while holding the lock")[index] = Some(result);
                    }
                })
                .expect("threads can be started");
        }
    });
    results.into_inner().expect("workers are done").into_iter().map(|r| r.expect("every item was done")).collect()
}

/// What happened to one PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportStatus {
    /// Built and published.
    Byggd,
    /// Nothing it is made from changed; the PDF was left as it was.
    #[serde(rename = "oförändrad")]
    Oforandrad,
    /// Not built; an earlier PDF, if any, is left as it was.
    Misslyckad,
}

/// One PDF's line in the manifest and in `--format json` output.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportEntry {
    /// The project folder.
    pub rapport: String,
    /// The PDF's file name in the output folder.
    pub pdf: String,
    pub status: ReportStatus,
    /// Fingerprint of the inputs of the PDF that is in the output folder.
    pub indata_sha256: Option<String>,
    pub pdf_sha256: Option<String>,
    pub sidor: Option<usize>,
    pub fel: usize,
    pub varningar: usize,
    /// Build time in milliseconds (0 when unchanged).
    pub ms: u64,
    pub meddelanden: Vec<serde_json::Value>,
    /// Width and height in points of each chart's slot in the PDF: the
    /// first guess for the next build, so that charts are drawn for their
    /// slot at once.
    #[serde(default)]
    pub diagramytor: BTreeMap<String, Frame>,
    /// The PDF's commentary texts: their status, who wrote and who
    /// approved them, and when.
    #[serde(default)]
    pub texter: Vec<TextEntry>,
    /// The list of what changed since the last published build, beside the
    /// PDF (`<rapport>.andringar.html`), and how many changes it lists.
    #[serde(default)]
    pub andringar: Option<ChangesEntry>,
}

/// The list of changes of a PDF in the manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ChangesEntry {
    pub fil: String,
    /// `None` when there was no published build to compare with.
    pub antal: Option<usize>,
}

/// A commentary text of a PDF in the manifest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TextEntry {
    pub fil: String,
    pub status: String,
    pub forfattare: Option<String>,
    pub godkand_av: Option<String>,
    pub godkand_datum: Option<String>,
}

/// The texts of a report, for the manifest.
fn texts(report: &crate::model::Report, cx: &Context) -> Vec<TextEntry> {
    report
        .commentaries()
        .map(|c| TextEntry {
            fil: cx.sources.name(c.source).to_string(),
            status: crate::keyword::name(c.status).to_string(),
            forfattare: c.author.clone(),
            godkand_av: c.approval.as_ref().map(|a| a.by.clone()),
            godkand_datum: c.approval.as_ref().map(|a| a.date.clone()),
        })
        .collect()
}

/// `manifest.json`: the run and every PDF in the output folder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub verktyg: String,
    pub start: String,
    pub slut: String,
    pub rapporter: Vec<ReportEntry>,
    /// Folders of the tree this run could not read: the reports in them
    /// were not built, and whoever reads the manifest in the morning must
    /// see that as plainly as a failed report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub olasbara_mappar: Vec<UnreadableFolder>,
}

/// A folder under the built path that could not be read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnreadableFolder {
    pub mapp: String,
    pub fel: String,
}

impl UnreadableFolder {
    /// From the discovery's message about the folder.
    pub fn new(problem: &Diagnostic) -> UnreadableFolder {
        UnreadableFolder {
            mapp: problem.file.as_ref().map(diagnostic::slashed).unwrap_or_default(),
            fel: problem.message.clone(),
        }
    }
}

/// One PDF's result with its messages for people.
pub struct ReportResult {
    pub entry: ReportEntry,
    /// The messages as rendered for a terminal (plain text).
    pub messages: String,
}

/// The whole run.
pub struct BatchResult {
    /// Every PDF in the output folder, this run's and earlier runs'.
    pub manifest: Manifest,
    /// This run's PDFs: built, unchanged and failed.
    pub built: usize,
    pub unchanged: usize,
    pub failed: usize,
}

/// Holds the output folder's lock for the length of a run.
pub struct OutputLock {
    _file: File,
}

impl OutputLock {
    /// Takes the lock, waiting at most `limit` for another run that holds
    /// it (calling `waiting` once with the lock file and who holds it). The
    /// holder's process id and start time are written in the lock file, so
    /// that a run that waits (or gives up) can say whose lock it is.
    pub fn acquire(out: &Path, limit: Duration, waiting: impl FnOnce(&Path, &str)) -> std::io::Result<OutputLock> {
        fs::create_dir_all(out)?;
        let path = out.join(LOCK);
        let mut file = File::options().create(true).truncate(false).read(true).write(true).open(&path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = lock_holder(&path);
                waiting(&path, &holder);
                let deadline = Instant::now() + limit;
                loop {
                    match file.try_lock() {
                        Ok(()) => break,
                        Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                            std::thread::sleep(Duration::from_millis(200));
                        }
                        Err(TryLockError::WouldBlock) => {
                            return Err(Said::error(
                                std::io::ErrorKind::TimedOut,
                                format!(
                                    "en annan körning ({holder}) har hållit låset {} i mer än {} s; den kan ha \
                                     hängt sig. Se efter om processen lever; väntetiden väljs med --vanta",
                                    diagnostic::slashed(&path),
                                    limit.as_secs()
                                ),
                            ));
                        }
                        Err(TryLockError::Error(error)) => return Err(error),
                    }
                }
            }
            Err(TryLockError::Error(error)) => return Err(error),
        }
        // Who holds the lock; nothing depends on it, so a failed write is
        // only a less helpful message for the next run.
        let holder = format!("process {}, startad {}", std::process::id(), now());
        let _ = file.set_len(0).and_then(|()| file.write_all(holder.as_bytes())).and_then(|()| file.flush());
        Ok(OutputLock { _file: file })
    }
}

/// The lock file's holder as it wrote itself (on Windows a locked file
/// cannot be read by others).
fn lock_holder(path: &Path) -> String {
    match load::read_regular(path, 4096) {
        Ok(bytes) if !bytes.is_empty() => String::from_utf8_lossy(&bytes).into_owned(),
        _ => "okänd process".to_string(),
    }
}

/// Picks this shard's projects: `--shard I/N` keeps a project when a hash
/// of its path under `search_root` (with `/` between folders) falls in shard
/// I, so the split is the same on every machine, however the tree was named
/// (`reg`, `/srv/reg`, `C:\reg`), and does not move when projects are added
/// elsewhere in the tree.
pub fn shard(search_root: &Path, projects: Vec<PathBuf>, index: usize, count: usize) -> Vec<PathBuf> {
    projects
        .into_iter()
        .filter(|path| {
            let relative = path.strip_prefix(search_root).unwrap_or(path);
            let name: Vec<String> =
                relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            let digest = Sha256::digest(name.join("/").as_bytes());
            let number = u64::from_le_bytes(digest[..8].try_into().expect("eight bytes"));
            (number % count as u64) as usize == index - 1
        })
        .collect()
}

/// Builds every project found under `search_root`, calling `on_project`
/// with a project's PDFs as soon as they are done (from worker threads).
/// The output folder mirrors the tree: `a/b/rapport.toml` gives
/// `ut/a/b.pdf`. The caller holds the output lock.
///
/// Before anything is written, the PDFs of the whole tree are planned (two
/// reports that would write the same file both fail, naming each other),
/// temporary files a killed run left are removed, and the manifest is
/// rewritten without the PDFs this run may replace: a run killed half-way
/// leaves a manifest that claims only what is on disk.
pub fn run(
    engine: &Engine,
    search_root: &Path,
    projects: &[PathBuf],
    unreadable: &[UnreadableFolder],
    options: &BatchOptions,
    on_project: &(dyn Fn(&[ReportResult]) + Sync),
) -> std::io::Result<BatchResult> {
    let start = now();
    let previous = read_manifest(&options.out);
    let plans = plan(search_root, projects, options.jobs);
    publish::remove_stale_temporaries(&options.out);
    let replaced: HashSet<&str> = plans.iter().flatten().map(|p| p.name.as_str()).collect();
    write_manifest(&options.out, &start, "", kept_entries(&previous, &options.out, &replaced), unreadable)?;

    let work: Vec<(&PathBuf, &Vec<Planned>)> = projects.iter().zip(&plans).collect();
    let results = parallel_map(
        &work,
        options.jobs,
        || Builder::new(engine),
        |builder, (root, planned)| {
            let results = build_project(builder, root, planned, options, &previous);
            on_project(&results);
            results
        },
    );
    let results: Vec<ReportResult> = results.into_iter().flatten().collect();
    let count = |status| results.iter().filter(|r: &&ReportResult| r.entry.status == status).count();
    let (built, unchanged, failed) =
        (count(ReportStatus::Byggd), count(ReportStatus::Oforandrad), count(ReportStatus::Misslyckad));

    // Entries of PDFs this run did not touch (other shards, other trees)
    // stay, as long as their PDF is still there.
    let mut entries = kept_entries(&previous, &options.out, &HashSet::new());
    for result in results {
        entries.insert(result.entry.pdf.clone(), result.entry);
    }
    let manifest = write_manifest(&options.out, &start, &now(), entries, unreadable)?;
    Ok(BatchResult { manifest, built, unchanged, failed })
}

/// The earlier entries that still describe a PDF in the output folder,
/// except those named in `replaced`.
fn kept_entries(
    previous: &BTreeMap<String, ReportEntry>,
    out: &Path,
    replaced: &HashSet<&str>,
) -> BTreeMap<String, ReportEntry> {
    previous
        .iter()
        .filter(|(name, _)| !replaced.contains(name.as_str()) && out.join(name).is_file())
        .map(|(name, entry)| (name.clone(), entry.clone()))
        .collect()
}

/// Publishes `manifest.json`; `end` is empty while the run is going on.
fn write_manifest(
    out: &Path,
    start: &str,
    end: &str,
    entries: BTreeMap<String, ReportEntry>,
    unreadable: &[UnreadableFolder],
) -> std::io::Result<Manifest> {
    let manifest = Manifest {
        verktyg: format!("statusrapport {}", env!("CARGO_PKG_VERSION")),
        start: start.to_string(),
        slut: end.to_string(),
        rapporter: entries.into_values().collect(),
        olasbara_mappar: unreadable.to_vec(),
    };
    let json = serde_json::to_vec_pretty(&manifest).expect("manifest serialises");
    publish::write_atomically(out, MANIFEST, &json)?;
    Ok(manifest)
}

/// One PDF a run is to write.
struct Planned {
    variant: Variant,
    /// Its path in the output folder.
    name: String,
    /// The other reports that would write the same file, if any.
    clashes_with: Vec<String>,
}

/// The PDFs of every project, from their report files alone, with the
/// reports whose PDFs would land on the same file (compared without case,
/// as Windows and macOS compare file names).
fn plan(search_root: &Path, projects: &[PathBuf], jobs: Option<usize>) -> Vec<Vec<Planned>> {
    let mut plans = parallel_map(
        projects,
        jobs,
        || (),
        |(), root| {
            let mut cx = Context::new(root);
            let variants = pipeline::guarded(&mut cx, load::report_file)
                .flatten()
                .map_or_else(|| vec![Variant::Whole], |c| pipeline::variants(&c));
            variants
                .into_iter()
                .map(|variant| {
                    let name = pdf_name(search_root, root, &variant);
                    Planned { variant, name, clashes_with: Vec::new() }
                })
                .collect::<Vec<_>>()
        },
    );
    let mut writers: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for (p, planned) in plans.iter().enumerate() {
        for (v, one) in planned.iter().enumerate() {
            writers.entry(one.name.to_lowercase()).or_default().push((p, v));
        }
    }
    for same_file in writers.values().filter(|w| w.len() > 1) {
        for &(p, v) in same_file {
            let others = same_file
                .iter()
                .filter(|&&other| other != (p, v))
                .map(|&(q, w)| describe_variant(&projects[q], &plans[q][w].variant))
                .collect();
            plans[p][v].clashes_with = others;
        }
    }
    plans
}

/// A PDF's report for people: the project folder, and the unit of a
/// unit's own PDF.
fn describe_variant(root: &Path, variant: &Variant) -> String {
    match variant {
        Variant::Whole => diagnostic::slashed(root),
        Variant::Unit(id) => format!("{} (enhet {id})", diagnostic::slashed(root)),
    }
}

/// The error for a PDF that another report would write too.
fn clash_error(root: &Path, planned: &Planned) -> Diagnostic {
    Diagnostic::error(format!(
        "PDF-filen {} skulle skrivas både av {} och av {}; ingen av dem skrivs, så att den ena inte ersätter den andra",
        planned.name,
        describe_variant(root, &planned.variant),
        planned.clashes_with.join(" och ")
    ))
    .in_file(&root.join(crate::config::REPORT_FILE))
    .hint("byt namn på en av projektmapparna (eller på enheten) så att PDF-filerna får olika namn")
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The previous run's entries by PDF name; none if there is no readable
/// manifest (then everything is built).
fn read_manifest(out: &Path) -> BTreeMap<String, ReportEntry> {
    let Ok(bytes) = load::read_regular(&out.join(MANIFEST), MAX_MANIFEST) else { return BTreeMap::new() };
    let Ok(manifest) = serde_json::from_slice::<Manifest>(&bytes) else { return BTreeMap::new() };
    manifest.rapporter.into_iter().map(|entry| (entry.pdf.clone(), entry)).collect()
}

fn sha256_file(path: &Path) -> Option<String> {
    load::read_regular(path, u64::MAX).ok().map(|bytes| sha256(&bytes))
}

/// Loads a project once and builds each of its PDFs.
fn build_project(
    builder: &mut Builder,
    root: &Path,
    planned: &[Planned],
    options: &BatchOptions,
    previous: &BTreeMap<String, ReportEntry>,
) -> Vec<ReportResult> {
    let started = Instant::now();
    let (cx, project) = pipeline::load(root);
    let Some(project) = project else {
        return vec![failure(root, &planned[0].name, &cx, previous, started)];
    };
    planned
        .iter()
        .map(|one| {
            let started = Instant::now();
            let mut cx = cx.clone();
            if !one.clashes_with.is_empty() {
                cx.report(clash_error(root, one));
                return failure(root, &one.name, &cx, previous, started);
            }
            let (variant, name) = (&one.variant, one.name.clone());
            let target = options.out.join(&name);
            let earlier = previous.get(&name);
            // The PDF in the output folder is the one the manifest describes.
            let published = |digest: &str| {
                earlier.is_some_and(|entry| {
                    entry.indata_sha256.as_deref() == Some(digest)
                        && entry.pdf_sha256.is_some()
                        && sha256_file(&target) == entry.pdf_sha256
                })
            };
            let output = Output::Write { folder: &options.out, name: &name };
            if let Some(entry) = earlier {
                builder.remember(&entry.diagramytor);
            }
            let built = builder.build(&mut cx, &project, variant, &options.pipeline, output, &published);
            // Reports of a batch share little that is expensive to redo;
            // without this Typst's caches grow with every report.
            typst::comemo::evict(2);
            match (built.outcome, earlier) {
                (Outcome::Unchanged, Some(entry)) => {
                    let entry = ReportEntry { status: ReportStatus::Oforandrad, ms: 0, ..entry.clone() };
                    ReportResult { entry, messages: String::new() }
                }
                (Outcome::Written, _) => {
                    let pdf = built.pdf.as_ref().expect("a written PDF");
                    let andringar = built.changes.as_ref().map(|changes| ChangesEntry {
                        fil: crate::changes::file_names(&name).1,
                        antal: changes.since.is_some().then(|| changes.count()),
                    });
                    let entry = ReportEntry {
                        rapport: diagnostic::slashed(root),
                        pdf: name,
                        status: ReportStatus::Byggd,
                        indata_sha256: built.digest,
                        pdf_sha256: Some(sha256(&pdf.bytes)),
                        sidor: Some(pdf.pages),
                        fel: 0,
                        varningar: cx.diagnostics.warnings(),
                        ms: started.elapsed().as_millis() as u64,
                        meddelanden: json_messages(&cx),
                        diagramytor: built.chart_slots.clone(),
                        texter: built.report.as_ref().map(|r| texts(r, &cx)).unwrap_or_default(),
                        andringar,
                    };
                    ReportResult { entry, messages: diagnostic::render_plain(&cx.sources, &cx.diagnostics) }
                }
                _ => failure(root, &name, &cx, previous, started),
            }
        })
        .collect()
}

/// The PDF's path in the output folder: the project's place under the
/// search root, its folder's name as file name (with the unit's id for a
/// unit's own PDF).
pub fn pdf_name(search_root: &Path, root: &Path, variant: &Variant) -> String {
    let file = format!("{}.pdf", variant.pdf_stem(root));
    let folders = root.strip_prefix(search_root).ok().and_then(Path::parent).filter(|p| !p.as_os_str().is_empty());
    match folders {
        Some(folders) => format!("{}/{file}", diagnostic::slashed(folders)),
        None => file,
    }
}

/// A failed PDF: the earlier one (and its fingerprint) stays.
fn failure(
    root: &Path,
    name: &str,
    cx: &Context,
    previous: &BTreeMap<String, ReportEntry>,
    started: Instant,
) -> ReportResult {
    let earlier = previous.get(name);
    let entry = ReportEntry {
        rapport: diagnostic::slashed(root),
        pdf: name.to_string(),
        status: ReportStatus::Misslyckad,
        indata_sha256: earlier.and_then(|e| e.indata_sha256.clone()),
        pdf_sha256: earlier.and_then(|e| e.pdf_sha256.clone()),
        sidor: earlier.and_then(|e| e.sidor),
        fel: cx.diagnostics.errors().max(1),
        varningar: cx.diagnostics.warnings(),
        ms: started.elapsed().as_millis() as u64,
        meddelanden: json_messages(cx),
        diagramytor: earlier.map(|e| e.diagramytor.clone()).unwrap_or_default(),
        texter: earlier.map(|e| e.texter.clone()).unwrap_or_default(),
        andringar: earlier.and_then(|e| e.andringar.clone()),
    };
    ReportResult { entry, messages: diagnostic::render_plain(&cx.sources, &cx.diagnostics) }
}

fn json_messages(cx: &Context) -> Vec<serde_json::Value> {
    cx.diagnostics
        .iter()
        .map(|d| serde_json::to_value(JsonDiagnostic::new(&cx.sources, d)).expect("diagnostics serialise"))
        .collect()
}

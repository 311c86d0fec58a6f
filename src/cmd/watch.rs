//! `statusrapport watch`: rebuild on save, with an optional live preview
//! in the browser (`--serve`, on 127.0.0.1 only).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use statusrapport::commentary_edit::{self, Change, Refusal};
use statusrapport::diagnostic::slashed;
use statusrapport::pipeline::Options;
use statusrapport::preview_server::{Body, Limits, PreviewServer, Reply, Routes};
use statusrapport::render::Engine;
use statusrapport::watch::{self, Session};

use crate::cli::WatchArgs;
use statusrapport::error::AppError;

/// After a change, how long to wait for more before building: an editor
/// often writes a file in several steps. A file still being written waits
/// up to `SETTLE` for its end; once every changed file is finished (closed
/// after writing, moved into place, removed), `QUIET` is enough to gather a
/// burst of saves. Windows reports no closes, so there every write settles.
const SETTLE: Duration = Duration::from_millis(15);
const QUIET: Duration = Duration::from_millis(2);

/// How often, while waiting, to look whether the project folder is still
/// the one watched (deleted and created again, it needs a new watch).
const LOOK_AGAIN: Duration = Duration::from_millis(500);

pub fn run(args: &WatchArgs) -> Result<u8, AppError> {
    super::one_project(&args.path, "watch")?;
    let server = if args.serve {
        let server = PreviewServer::start(args.port, Limits::default())
            .map_err(|error| AppError::PreviewServer { reason: statusrapport::error::io_reason(&error) })?;
        Some(server)
    } else {
        None
    };
    let mut watched = Watched::start(&args.path)?;
    let engine = Engine::new();
    let mut session = Session::new(&engine, &args.path, &args.out, Options::from_env());
    if let Some(server) = &server {
        publish(server, &session);
        println!("Förhandsvisning: {}", server.url());
    }
    println!("Bevakar {}; PDF-filen skrivs till {}. Avsluta med Ctrl+C.", slashed(&args.path), slashed(&args.out));
    loop {
        let rebuild = session.rebuild().clone();
        if !rebuild.messages.is_empty() {
            eprint!("{}", rebuild.messages);
        }
        if rebuild.ok {
            println!(
                "Bygge {} klart: förhandsvisning på {} ms, PDF på {} ms.",
                rebuild.number,
                rebuild.preview_ms.round(),
                rebuild.total_ms.round()
            );
        } else {
            println!(
                "Bygge {} misslyckades ({} fel); den senaste lyckade PDF-filen ligger kvar.",
                rebuild.number, rebuild.errors
            );
        }
        if let Some(server) = &server {
            publish(server, &session);
        }
        // The output folder is known by its real path once it exists, so
        // that `..` and symlinks into the project do not hide it.
        let out = real_path(&args.out);
        if !watched.wait_for_change(&out)? {
            return Ok(0);
        }
    }
}

/// The project folder under watch, and which folder it is.
struct Watched {
    root: PathBuf,
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    identity: Option<FolderId>,
}

impl Watched {
    fn start(root: &Path) -> Result<Watched, AppError> {
        let (sender, events) = channel();
        let watcher = notify::recommended_watcher(sender).map_err(|e| watcher_error(root, &e))?;
        let mut watched = Watched { root: root.to_path_buf(), watcher, events, identity: None };
        watched.watch()?;
        Ok(watched)
    }

    fn watch(&mut self) -> Result<(), AppError> {
        self.watcher.watch(&self.root, RecursiveMode::Recursive).map_err(|e| watcher_error(&self.root, &e))?;
        self.identity = folder_id(&self.root);
        Ok(())
    }

    /// Waits until a file of the project changes (not the output), or the
    /// project folder is there again after being deleted; `false` if the
    /// watcher stopped.
    fn wait_for_change(&mut self, out: &Path) -> Result<bool, AppError> {
        // The files written to and not yet finished.
        let mut unfinished = HashSet::new();
        loop {
            match self.events.recv_timeout(LOOK_AGAIN) {
                Ok(event) if relevant(&event, out) => {
                    track(&mut unfinished, &event, out);
                    break;
                }
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => {
                    let now = folder_id(&self.root);
                    if now.is_some() && now != self.identity {
                        // A new folder by the same name: watch it instead.
                        let _ = self.watcher.unwatch(&self.root);
                        self.watch()?;
                        break;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return Ok(false),
            }
        }
        loop {
            match self.events.recv_timeout(if unfinished.is_empty() { QUIET } else { SETTLE }) {
                Ok(event) => track(&mut unfinished, &event, out),
                Err(RecvTimeoutError::Timeout) => return Ok(true),
                Err(RecvTimeoutError::Disconnected) => return Ok(false),
            }
        }
    }
}

fn watcher_error(path: &Path, error: &notify::Error) -> AppError {
    AppError::Watcher { path: path.to_path_buf(), reason: notify_reason(error) }
}

/// A change to a file of the project, not to our own output.
fn relevant(event: &notify::Result<notify::Event>, out: &Path) -> bool {
    match event {
        Ok(event) => {
            matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_))
                && event.paths.iter().any(|path| !is_output(path, out))
        }
        Err(_) => false,
    }
}

/// Keeps `unfinished` up to date with an event: a file written to may be
/// written again until it is closed (or moved into place, or removed).
fn track(unfinished: &mut HashSet<PathBuf>, event: &notify::Result<notify::Event>, out: &Path) {
    let Ok(event) = event else { return };
    let paths = event.paths.iter().filter(|path| !is_output(path, out));
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write))
        | EventKind::Modify(ModifyKind::Name(_))
        | EventKind::Remove(_) => {
            for path in paths {
                unfinished.remove(path);
            }
        }
        EventKind::Create(_) | EventKind::Modify(_) => unfinished.extend(paths.cloned()),
        _ => {}
    }
}

/// Which folder a path is (device and inode where there are such), to tell
/// a folder deleted and created again from the one watched.
#[cfg(unix)]
type FolderId = (u64, u64);
#[cfg(not(unix))]
type FolderId = std::time::SystemTime;

#[cfg(unix)]
fn folder_id(path: &Path) -> Option<FolderId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().filter(|m| m.is_dir()).map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn folder_id(path: &Path) -> Option<FolderId> {
    std::fs::metadata(path).ok().filter(|m| m.is_dir()).and_then(|m| m.created().ok())
}

/// The path with `..` and symlinks resolved, as far as it exists.
fn real_path(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => real_path(parent).join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// Whether a changed path is our own output: in the output folder, or one
/// of our temporary files wherever it is.
fn is_output(path: &Path, out: &Path) -> bool {
    let temporary = path.file_name().and_then(|n| n.to_str()).is_some_and(|name| {
        (name.starts_with(".statusrapport-") && name.ends_with(".tmp")) || name == ".statusrapport.lock"
    });
    temporary || real_path(path).starts_with(out)
}

/// The file watcher's reason, in Swedish where we know it.
fn notify_reason(error: &notify::Error) -> String {
    match &error.kind {
        notify::ErrorKind::Io(error) => statusrapport::error::io_reason(error),
        notify::ErrorKind::PathNotFound => "mappen finns inte".into(),
        notify::ErrorKind::MaxFilesWatch => {
            "systemets gräns för antalet bevakade filer är nådd (inotify max_user_watches)".into()
        }
        other => format!("{other:?}"),
    }
}

/// Hands the latest build to the preview server, which tells open pages.
fn publish(server: &PreviewServer, session: &Session) {
    let html = Body::html(watch::preview_html(session.preview.as_ref(), session.last.as_ref()));
    let status = session.last.as_ref().map(|last| {
        serde_json::json!({ "bygge": last.number, "ok": last.ok, "fel": last.errors, "varningar": last.warnings, "ms": last.preview_ms })
    });
    let status = Body::json(status.unwrap_or_default().to_string());
    // Bodies are shared, not copied, for each request.
    let pages: Vec<(String, Body)> = session
        .preview
        .iter()
        .flat_map(|p| p.addresses.iter().zip(&p.pages))
        .map(|(address, page)| (format!("/{address}"), Body::new("image/svg+xml", page.svg.clone().into_bytes())))
        .collect();
    let pdf = session.preview.as_ref().map(|p| Body::new("application/pdf", p.pdf.clone()));
    let changes = session.preview.as_ref().and_then(|p| p.changes.as_ref()).map(|(_, html)| Body::html(html.clone()));
    let build = session.last.as_ref().map_or(0, |last| last.number);
    // The commentary files the build used: the only files the editor may
    // open or save, named by their number in this list.
    let files = Arc::new(session.last.as_ref().map(|last| last.files.clone()).unwrap_or_default());
    let saved = files.clone();
    let read = Arc::new(move |route: &str| match route {
        "/" => Some(html.clone()),
        "/status.json" => Some(status.clone()),
        "/rapport.pdf" => pdf.clone(),
        "/andringar.html" => changes.clone(),
        _ => {
            if let Some(id) = route.strip_prefix("/kommentar/") {
                return Some(open(files.get(id.strip_suffix(".json")?.parse::<usize>().ok()?)?));
            }
            // `/sida/<i>-<fingerprint>.svg`. An address of an earlier build
            // (a page swapped in while a newer build came) gets the current
            // page, but not to keep: its address names other content.
            let (number, _) = route.strip_prefix("/sida/")?.split_once('-')?;
            let (address, page) = pages.get(number.parse::<usize>().ok()?.checked_sub(1)?)?;
            Some(if address == route { page.clone().lasting() } else { page.clone() })
        }
    });
    let write = Arc::new(move |route: &str, body: &[u8]| {
        let file = route.strip_prefix("/kommentar/").and_then(|id| saved.get(id.parse::<usize>().ok()?));
        match file {
            Some(file) => save(file, body),
            None => refused(404, "det finns ingen sådan kommentarsfil i rapporten"),
        }
    });
    let addresses = session.preview.as_ref().map(|p| p.addresses.clone()).unwrap_or_default();
    server.publish(build, addresses, Routes { read, write });
}

/// A commentary file as the editor shows it, with the placeholders its text
/// can use and their values in the build.
fn open(file: &watch::EditableFile) -> Body {
    let placeholders: Vec<_> =
        file.placeholders.iter().map(|(name, value)| serde_json::json!({ "namn": name, "varde": value })).collect();
    let answer = match commentary_edit::open(&file.path) {
        Ok(opened) => {
            let mut answer = serde_json::to_value(opened).unwrap_or_default();
            answer["platshallare"] = placeholders.into();
            answer
        }
        Err(refusal) => serde_json::json!({ "fel": refusal.message() }),
    };
    let mut answer = answer;
    answer["fil"] = file.name.clone().into();
    Body::json(answer.to_string())
}

/// Saves what the editor sent; the watch loop then rebuilds as for any save.
fn save(file: &watch::EditableFile, body: &[u8]) -> Reply {
    let Ok(change) = serde_json::from_slice::<Change>(body) else {
        return refused(400, "begäran går inte att läsa: kontrollsumma, text, status och forfattare väntades");
    };
    match commentary_edit::save(&file.path, &change) {
        Ok(fingerprint) => {
            Reply { status: 200, body: Body::json(serde_json::json!({ "kontrollsumma": fingerprint }).to_string()) }
        }
        Err(refusal @ Refusal::Changed(_)) => refused(409, refusal.message()),
        Err(refusal @ Refusal::Invalid(_)) => refused(422, refusal.message()),
        Err(refusal @ Refusal::Failed(_)) => refused(500, refusal.message()),
    }
}

fn refused(status: u16, message: &str) -> Reply {
    Reply { status, body: Body::json(serde_json::json!({ "fel": message }).to_string()) }
}

#[cfg(test)]
mod tests {
    use notify::event::{CreateKind, DataChange, RenameMode};

    use super::*;

    fn event(kind: EventKind, path: &str) -> notify::Result<notify::Event> {
        Ok(notify::Event::new(kind).add_path(PathBuf::from(path)))
    }

    /// A file is built once it is finished, whichever way the editor saves it.
    #[test]
    fn a_file_is_unfinished_from_its_first_write_to_its_close_or_rename() {
        let out = Path::new("/ingenstans/ut");
        let mut unfinished = HashSet::new();
        // Written in place: truncated, written, closed.
        track(&mut unfinished, &event(EventKind::Modify(ModifyKind::Data(DataChange::Any)), "/p/k.md"), out);
        assert!(unfinished.contains(Path::new("/p/k.md")));
        track(&mut unfinished, &event(EventKind::Access(AccessKind::Close(AccessMode::Write)), "/p/k.md"), out);
        assert!(unfinished.is_empty());
        // Written beside and moved into place.
        track(&mut unfinished, &event(EventKind::Create(CreateKind::File), "/p/.k.md.tmp"), out);
        track(&mut unfinished, &event(EventKind::Modify(ModifyKind::Data(DataChange::Any)), "/p/.k.md.tmp"), out);
        track(&mut unfinished, &event(EventKind::Modify(ModifyKind::Name(RenameMode::From)), "/p/.k.md.tmp"), out);
        track(&mut unfinished, &event(EventKind::Modify(ModifyKind::Name(RenameMode::To)), "/p/k.md"), out);
        assert!(unfinished.is_empty());
        // Windows reports a write with no close: it stays unfinished, and
        // the build waits the settling time for more.
        track(&mut unfinished, &event(EventKind::Modify(ModifyKind::Any), "/p/k.md"), out);
        assert!(!unfinished.is_empty());
        // Reading a file, or our own output, changes nothing.
        let mut none = HashSet::new();
        track(&mut none, &event(EventKind::Access(AccessKind::Close(AccessMode::Read)), "/p/k.md"), out);
        track(&mut none, &event(EventKind::Modify(ModifyKind::Data(DataChange::Any)), "/p/.statusrapport-1.tmp"), out);
        assert!(none.is_empty());
    }
}

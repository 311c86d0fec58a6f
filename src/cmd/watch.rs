//! `statusrapport watch`: rebuild on save, with an optional live preview
//! in the browser (`--serve`, on 127.0.0.1 only).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};
use statusrapport::pipeline::Options;
use statusrapport::render::Engine;
use statusrapport::watch::{self, Session};
use typst::foundations::Bytes;
use typst_kit::server::{HttpBody, HttpServer};

use crate::cli::WatchArgs;
use statusrapport::error::AppError;

/// After the first change, how long to wait for more (an editor often
/// writes a file in several steps) before building.
const SETTLE: Duration = Duration::from_millis(15);

pub fn run(args: &WatchArgs) -> Result<u8, AppError> {
    super::one_project(&args.path, "watch")?;
    let server = if args.serve {
        let server = HttpServer::new("statusrapport", args.port, true)
            .map_err(|reason| AppError::PreviewServer { reason: reason.to_string() })?;
        Some(server)
    } else {
        None
    };
    let (sender, events) = channel();
    let watcher_error =
        |error: notify::Error| AppError::Watcher { path: args.path.clone(), reason: notify_reason(&error) };
    let mut watcher = notify::recommended_watcher(sender).map_err(watcher_error)?;
    watcher.watch(&args.path, RecursiveMode::Recursive).map_err(watcher_error)?;

    let engine = Engine::new();
    let mut session = Session::new(&engine, &args.path, &args.out, Options::from_env());
    if let Some(server) = &server {
        println!("Förhandsvisning: http://{}/", server.addr());
    }
    println!("Bevakar {}; PDF-filen skrivs till {}. Avsluta med Ctrl+C.", args.path.display(), args.out.display());
    let out = std::path::absolute(&args.out).unwrap_or_else(|_| args.out.clone());
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
        if !wait_for_change(&events, &out) {
            return Ok(0);
        }
    }
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

/// Hands the latest build to the preview server, which reloads open pages.
fn publish(server: &HttpServer, session: &Session) {
    let html = watch::preview_html(session.preview.as_ref(), session.last.as_ref());
    let status = session.last.as_ref().map(|last| {
        serde_json::json!({ "bygge": last.number, "ok": last.ok, "fel": last.errors, "varningar": last.warnings, "ms": last.preview_ms })
    });
    let status = Bytes::from_string(status.unwrap_or_default().to_string());
    // Bytes are shared, not copied, for each request.
    let pages: Arc<Vec<Bytes>> =
        Arc::new(session.preview.iter().flat_map(|p| &p.pages).map(|page| Bytes::from_string(page.clone())).collect());
    let pdf = session.preview.as_ref().map(|p| Bytes::new(p.pdf.clone()));
    let changes = session.preview.as_ref().and_then(|p| p.changes.as_ref()).map(|(_, html)| html.clone());
    server.set_router(move |route| match route {
        "/" => Some(HttpBody::Html(html.clone())),
        "/status.json" => Some(HttpBody::Raw(status.clone())),
        "/rapport.pdf" => pdf.clone().map(HttpBody::Raw),
        "/andringar.html" => changes.clone().map(HttpBody::Html),
        _ => {
            // `/bygge/<n>/sida/<i>.svg`; any build number serves the current pages.
            let (_, page) = route.strip_prefix("/bygge/")?.split_once("/sida/")?;
            let number: usize = page.strip_suffix(".svg")?.parse().ok()?;
            pages.get(number.checked_sub(1)?).cloned().map(HttpBody::Raw)
        }
    });
}

/// Waits until a file of the project changes (not the output); `false` if
/// the watcher stopped.
fn wait_for_change(events: &Receiver<notify::Result<notify::Event>>, out: &Path) -> bool {
    let relevant = |event: &notify::Result<notify::Event>| match event {
        Ok(event) => {
            matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_))
                && event.paths.iter().any(|path| !is_output(path, out))
        }
        Err(_) => false,
    };
    loop {
        match events.recv() {
            Ok(event) if relevant(&event) => break,
            Ok(_) => continue,
            Err(_) => return false,
        }
    }
    loop {
        match events.recv_timeout(SETTLE) {
            Ok(_) => continue,
            Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
}

/// Whether a changed path is our own output (the PDF or its temporary file).
fn is_output(path: &Path, out: &Path) -> bool {
    let path: PathBuf = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    path.starts_with(out)
}

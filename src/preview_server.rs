//! The preview server of `watch --serve`: the latest build's pages to a
//! browser on the same machine, and a stream of build numbers so that an
//! open page reloads when a new build is there.
//!
//! Only the person who started it can reach it: it listens on 127.0.0.1
//! only, every address starts with a random token (`/3f…9a/`), and a request
//! whose `Host` is not this server, or whose `Origin` is another site, is
//! refused, so that neither another machine, nor a web page (by DNS
//! rebinding or a cross-site request) can read the report.
//!
//! Writing is one kind of request: a `POST` of a commentary text from the
//! preview's editor, under the same token, `Host` and `Origin` rules (a
//! write without the token is refused 403, not 404), with a body of at most
//! [`Limits::body_bytes`]; what it may write is the router's business.
//!
//! Bounded in every direction: a fixed pool of workers with a bounded queue
//! (a full queue is answered 503), request heads of at most a few KiB, one
//! request per connection (so a client that pipelines gets one answer), a
//! deadline for reading the request and for each write, and a bounded
//! number of event streams, each on its own thread and ended when its
//! client stops reading.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What a route answers.
#[derive(Clone)]
pub struct Body {
    pub content_type: &'static str,
    pub bytes: Arc<[u8]>,
    /// Whether the browser may keep it: only for an address that names
    /// its content (a page image by its fingerprint), which never changes.
    pub lasting: bool,
}

impl Body {
    pub fn html(html: String) -> Body {
        Body { content_type: "text/html; charset=utf-8", bytes: html.into_bytes().into(), lasting: false }
    }

    pub fn json(json: String) -> Body {
        Body { content_type: "application/json", bytes: json.into_bytes().into(), lasting: false }
    }

    pub fn new(content_type: &'static str, bytes: impl Into<Arc<[u8]>>) -> Body {
        Body { content_type, bytes: bytes.into(), lasting: false }
    }

    /// A body the browser may keep for as long as it likes.
    pub fn lasting(self) -> Body {
        Body { lasting: true, ..self }
    }
}

/// Answers a route (the path after the token, `/rapport.pdf`).
pub type Router = Arc<dyn Fn(&str) -> Option<Body> + Send + Sync>;

/// Answers a `POST` to a route with its body.
pub type Writer = Arc<dyn Fn(&str, &[u8]) -> Reply + Send + Sync>;

/// An answer with its status.
pub struct Reply {
    pub status: u16,
    pub body: Body,
}

/// What a build serves: pages to read, and what a `POST` may write.
#[derive(Clone)]
pub struct Routes {
    pub read: Router,
    pub write: Writer,
}

impl Routes {
    /// Routes that only read: every `POST` is 404.
    pub fn read_only(read: Router) -> Routes {
        Routes { read, write: Arc::new(|_, _| Reply { status: 404, body: text(404) }) }
    }
}

/// The server's bounds; [`Limits::default`] for use, smaller in tests.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Threads answering requests.
    pub workers: usize,
    /// Connections waiting for a worker; more are answered 503.
    pub queue: usize,
    /// Open event streams; more are answered 503.
    pub event_streams: usize,
    /// Largest request head (request line and headers).
    pub head_bytes: usize,
    /// Largest body of a `POST` (a commentary text with its fields).
    pub body_bytes: usize,
    /// Time to receive the whole request head.
    pub read_timeout: Duration,
    /// Time a single write may wait for the client to read.
    pub write_timeout: Duration,
    /// An event stream says something this often, so that a closed page's
    /// stream ends.
    pub heartbeat: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            workers: 8,
            queue: 64,
            event_streams: 32,
            head_bytes: 16 << 10,
            body_bytes: BODY_BYTES,
            read_timeout: Duration::from_secs(5),
            write_timeout: Duration::from_secs(10),
            heartbeat: Duration::from_secs(10),
        }
    }
}

/// The largest `POST` body by default: 1 MB, far more than any commentary.
pub const BODY_BYTES: usize = 1 << 20;

/// The route of the stream of build numbers.
pub const EVENTS: &str = "/__events";

/// The published build: its number, its pages' addresses and its routes.
struct State {
    build: u64,
    pages: Vec<String>,
    routes: Routes,
}

struct Shared {
    state: Mutex<State>,
    published: Condvar,
    streams: AtomicUsize,
    token: String,
    port: u16,
    limits: Limits,
}

/// A running preview server. Its threads live as long as the process.
pub struct PreviewServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

impl PreviewServer {
    /// Listens on 127.0.0.1 at `port`, or without one at the first free of
    /// 3000–3005 (then any free port).
    pub fn start(port: Option<u16>, limits: Limits) -> io::Result<PreviewServer> {
        let listener = match port {
            Some(port) => TcpListener::bind((Ipv4Addr::LOCALHOST, port))?,
            None => (3000..=3005)
                .find_map(|port| TcpListener::bind((Ipv4Addr::LOCALHOST, port)).ok())
                .map_or_else(|| TcpListener::bind((Ipv4Addr::LOCALHOST, 0)), Ok)?,
        };
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State { build: 0, pages: Vec::new(), routes: Routes::read_only(Arc::new(|_| None)) }),
            published: Condvar::new(),
            streams: AtomicUsize::new(0),
            token: token()?,
            port: addr.port(),
            limits,
        });
        let (queue, waiting) = sync_channel::<TcpStream>(limits.queue);
        let waiting = Arc::new(Mutex::new(waiting));
        for i in 0..limits.workers.max(1) {
            let (shared, waiting) = (shared.clone(), waiting.clone());
            std::thread::Builder::new().name(format!("forhandsvisning-{i}")).spawn(move || work(&shared, &waiting))?;
        }
        std::thread::Builder::new().name("forhandsvisning".into()).spawn(move || accept(&listener, &queue))?;
        Ok(PreviewServer { addr, shared })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address to open: `http://127.0.0.1:3000/<token>/`.
    pub fn url(&self) -> String {
        format!("http://{}/{}/", self.addr, self.shared.token)
    }

    /// Serves build number `build` from now on; open pages hear of it,
    /// with the addresses of its `pages` (relative, without spaces), so
    /// that they fetch them at once, alongside the page itself.
    pub fn publish(&self, build: u64, pages: Vec<String>, routes: Routes) {
        let mut state = self.shared.state.lock().unwrap_or_else(|e| e.into_inner());
        *state = State { build, pages, routes };
        self.shared.published.notify_all();
    }
}

/// 128 random bits as hex, from the operating system.
fn token() -> io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).map_err(|error| io::Error::other(error.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

fn accept(listener: &TcpListener, queue: &SyncSender<TcpStream>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        match queue.try_send(stream) {
            Ok(()) => {}
            Err(TrySendError::Full(stream)) => {
                // Never wait on a client here: a short deadline for the answer.
                let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
                respond(&stream, "GET", 503, &busy());
            }
            Err(TrySendError::Disconnected(_)) => return,
        }
    }
}

fn work(shared: &Arc<Shared>, waiting: &Mutex<Receiver<TcpStream>>) {
    loop {
        let next = waiting.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(stream) = next else { return };
        serve(shared, stream);
    }
}

fn busy() -> Body {
    Body::new("text/plain; charset=utf-8", &b"upptaget: f\xc3\xb6r m\xc3\xa5nga samtidiga anslutningar\n"[..])
}

/// A request's method, target and the headers we look at.
struct Request {
    method: String,
    target: String,
    host: Option<String>,
    origin: Option<String>,
    content_length: u64,
}

/// Answers one request on a connection, then closes it.
fn serve(shared: &Arc<Shared>, stream: TcpStream) {
    let limits = shared.limits;
    let _ = stream.set_write_timeout(Some(limits.write_timeout));
    let (request, mut body) = match read_head(&stream, &limits) {
        Ok(read) => read,
        Err(Some(status)) => return respond(&stream, "GET", status, &text(status)),
        Err(None) => return,
    };
    let method = request.method.as_str();
    if !matches!(method, "GET" | "HEAD" | "POST") {
        return respond(&stream, method, 405, &text(405));
    }
    let writing = method == "POST";
    let ours = |value: &str, prefix: &str| {
        [format!("{prefix}127.0.0.1:{}", shared.port), format!("{prefix}localhost:{}", shared.port)]
            .iter()
            .any(|allowed| value.eq_ignore_ascii_case(allowed))
    };
    if !request.host.as_deref().is_some_and(|host| ours(host, "")) {
        return respond(&stream, method, 403, &text(403));
    }
    if request.origin.as_deref().is_some_and(|origin| !ours(origin, "http://")) {
        return respond(&stream, method, 403, &text(403));
    }
    let path = request.target.split(['?', '#']).next().unwrap_or("");
    let route = path.strip_prefix('/').and_then(|p| p.strip_prefix(shared.token.as_str()));
    let route = route.map(|route| if route.is_empty() { "/" } else { route }).filter(|r| r.starts_with('/'));
    let Some(route) = route else {
        // Without the token nothing is there to read, and nothing may be written.
        let status = if writing { 403 } else { 404 };
        return respond(&stream, method, status, &text(status));
    };
    let allowed = if writing { limits.body_bytes as u64 } else { 0 };
    if request.content_length > allowed {
        return respond(&stream, method, 413, &text(413));
    }
    if writing {
        if let Err(status) = read_body(&stream, &limits, request.content_length as usize, &mut body) {
            if let Some(status) = status {
                respond(&stream, method, status, &text(status));
            }
            return;
        }
        let write = shared.state.lock().unwrap_or_else(|e| e.into_inner()).routes.write.clone();
        let reply = write(route, &body);
        return respond(&stream, method, reply.status, &reply.body);
    }
    if route == EVENTS {
        return open_stream(shared, stream);
    }
    let router = shared.state.lock().unwrap_or_else(|e| e.into_inner()).routes.read.clone();
    match router(route) {
        Some(body) => respond(&stream, method, 200, &body),
        None => respond(&stream, method, 404, &text(404)),
    }
}

/// Reads the request head within the limits, with the bytes of the body
/// that came with it: `Err(Some(status))` to answer, `Err(None)` when the
/// client went away.
fn read_head(stream: &TcpStream, limits: &Limits) -> Result<(Request, Vec<u8>), Option<u16>> {
    let deadline = Instant::now() + limits.read_timeout;
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    let end = loop {
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        if head.len() > limits.head_bytes {
            return Err(Some(431));
        }
        let n = read_before(stream, deadline, &mut chunk)?;
        head.extend_from_slice(&chunk[..n]);
    };
    if end > limits.head_bytes {
        return Err(Some(431));
    }
    let body = head[end + 4..].to_vec();
    let head = std::str::from_utf8(&head[..end]).map_err(|_| Some(400))?;
    let mut lines = head.split("\r\n");
    let mut parts = lines.next().unwrap_or("").split(' ');
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(Some(400));
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return Err(Some(400));
    }
    let mut request =
        Request { method: method.to_string(), target: target.to_string(), host: None, origin: None, content_length: 0 };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { return Err(Some(400)) };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "host" if request.host.is_some() => return Err(Some(400)),
            "host" => request.host = Some(value.to_string()),
            "origin" => request.origin = Some(value.to_string()),
            "content-length" => request.content_length = value.parse().map_err(|_| Some(400))?,
            "transfer-encoding" => return Err(Some(413)),
            _ => {}
        }
    }
    Ok((request, body))
}

/// Reads the rest of a body of `length` bytes (`body` holds what came with
/// the head) within the read deadline.
fn read_body(stream: &TcpStream, limits: &Limits, length: usize, body: &mut Vec<u8>) -> Result<(), Option<u16>> {
    if body.len() > length {
        return Err(Some(400));
    }
    let deadline = Instant::now() + limits.read_timeout;
    let mut chunk = [0u8; 8192];
    while body.len() < length {
        let want = (length - body.len()).min(chunk.len());
        let n = read_before(stream, deadline, &mut chunk[..want])?;
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(())
}

/// Reads what the client sends next into `chunk`, before `deadline`: the
/// number of bytes, or `Err(Some(408))` past the deadline and `Err(None)`
/// when the client went away.
fn read_before(mut stream: &TcpStream, deadline: Instant, chunk: &mut [u8]) -> Result<usize, Option<u16>> {
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(Some(408));
        }
        match stream.read(chunk) {
            Ok(0) => return Err(None),
            Ok(n) => return Ok(n),
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => return Err(Some(408)),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Err(None),
        }
    }
}

/// The answer to a refused or failed request: its status and, in
/// Swedish, what it means for the person at the browser.
fn text(status: u16) -> Body {
    let meaning = match status {
        400 => "begäran går inte att läsa",
        403 => "förbjudet: adressen saknar rätt nyckel, eller begäran kommer från en annan webbplats eller dator",
        404 => "finns inte",
        405 => "förhandsvisningen tar bara emot GET, HEAD och POST",
        408 => "begäran kom inte fram i tid",
        413 => "för stor: en kommentar som sparas får vara högst 1 MB, och en läsning får inte skicka något innehåll",
        431 => "för långa rubriker i begäran",
        _ => "upptaget",
    };
    Body::new("text/plain; charset=utf-8", format!("{status} {}: {meaning}\n", reason(status)).into_bytes())
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        409 => "Conflict",
        422 => "Unprocessable Content",
        500 => "Internal Server Error",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        _ => "Service Unavailable",
    }
}

/// Writes a whole answer and closes the connection.
fn respond(mut stream: &TcpStream, method: &str, status: u16, body: &Body) {
    let cache = if body.lasting && status == 200 { "private, max-age=86400, immutable" } else { "no-store" };
    let head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: {cache}\r\n\
         X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n",
        reason(status),
        body.content_type,
        body.bytes.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(&body.bytes);
    }
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// Starts an event stream on its own thread, if there is room for one.
fn open_stream(shared: &Arc<Shared>, stream: TcpStream) {
    let limit = shared.limits.event_streams;
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= limit {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        return respond(&stream, "GET", 503, &busy());
    }
    let owned = shared.clone();
    let started = std::thread::Builder::new().name("forhandsvisning-strom".into()).spawn(move || {
        let _ = events(&owned, &stream);
        let _ = stream.shutdown(std::net::Shutdown::Both);
        owned.streams.fetch_sub(1, Ordering::SeqCst);
    });
    if started.is_err() {
        // The closure, and with it the count's decrement, never ran.
        shared.streams.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The stream of build numbers: the current one at once, then each new one
/// (with its pages' addresses), and a comment every heartbeat; ends when
/// the client stops reading.
fn events(shared: &Shared, mut stream: &TcpStream) -> io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
          X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 1000\n\n",
    )?;
    let mut sent = None;
    loop {
        // `data: 7 sida/1-….svg sida/2-….svg`, or nothing new.
        let (build, data) = {
            let state = shared.state.lock().unwrap_or_else(|e| e.into_inner());
            let (state, _) = shared
                .published
                .wait_timeout_while(state, shared.limits.heartbeat, |state| Some(state.build) == sent)
                .unwrap_or_else(|e| e.into_inner());
            let data = (Some(state.build) != sent).then(|| {
                std::iter::once(state.build.to_string())
                    .chain(state.pages.iter().cloned())
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            (state.build, data)
        };
        match data {
            None => stream.write_all(b": ping\n\n")?,
            Some(data) => {
                write!(stream, "event: bygge\ndata: {data}\n\n")?;
                sent = Some(build);
            }
        }
        stream.flush()?;
    }
}

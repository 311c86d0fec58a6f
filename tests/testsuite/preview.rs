//! `watch` and its preview server under odd operations and hostile clients:
//! the output folder inside the project (through `..` or a symlink), the
//! project folder deleted and created again, requests from other sites and
//! other hosts, huge heads, slow and pipelining clients, many event streams.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use statusrapport::preview_server::{Body, Limits, PreviewServer, Routes};

use crate::support::run;

fn server(limits: Limits) -> PreviewServer {
    let server = PreviewServer::start(Some(0), limits).expect("the server starts");
    server.publish(
        1,
        vec!["sida/1-a.svg".into()],
        Routes::read_only(Arc::new(|route| (route == "/").then(|| Body::html("<p>sida</p>".into())))),
    );
    server
}

fn limits() -> Limits {
    Limits {
        workers: 2,
        queue: 4,
        event_streams: 3,
        head_bytes: 4096,
        body_bytes: 1024,
        read_timeout: Duration::from_millis(500),
        write_timeout: Duration::from_millis(500),
        heartbeat: Duration::from_millis(200),
    }
}

/// The token path of the server's address: `/3f…/`.
fn base(server: &PreviewServer) -> String {
    let url = server.url();
    url[url.find(&server.addr().to_string()).unwrap() + server.addr().to_string().len()..].to_string()
}

/// Sends `request` as it is and reads the answer until the server closes.
fn exchange(addr: SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn get(server: &PreviewServer, path: &str, extra: &str) -> String {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n{extra}\r\n", server.addr());
    exchange(server.addr(), request.as_bytes())
}

#[test]
fn only_this_machine_with_the_token_and_no_other_site_reads_the_preview() {
    let server = server(limits());
    assert!(server.url().starts_with(&format!("http://127.0.0.1:{}/", server.addr().port())));
    assert!(server.addr().ip().is_loopback());
    let token = base(&server);
    assert_eq!(token.len(), 34, "a 128-bit token: {token}");
    assert_ne!(token, base(&self::server(limits())), "a new token for each server");

    assert!(get(&server, &token, "").starts_with("HTTP/1.1 200 OK"));
    assert!(get(&server, &token, "").contains("Referrer-Policy: no-referrer"));
    assert!(get(&server, "/", "").starts_with("HTTP/1.1 404"), "no token");
    assert!(get(&server, "/00000000000000000000000000000000/", "").starts_with("HTTP/1.1 404"), "a wrong token");
    let other_host = format!("GET {token} HTTP/1.1\r\nHost: rebinding.example:{}\r\n\r\n", server.addr().port());
    assert!(exchange(server.addr(), other_host.as_bytes()).starts_with("HTTP/1.1 403"), "DNS rebinding");
    let no_host = format!("GET {token} HTTP/1.1\r\n\r\n");
    assert!(exchange(server.addr(), no_host.as_bytes()).starts_with("HTTP/1.1 403"));
    assert!(get(&server, &token, "Origin: https://angripare.example\r\n").starts_with("HTTP/1.1 403"), "cross-site");
    let own_origin = format!("Origin: http://127.0.0.1:{}\r\n", server.addr().port());
    assert!(get(&server, &token, &own_origin).starts_with("HTTP/1.1 200"));
    let post = format!("POST {token} HTTP/1.1\r\nHost: {}\r\nContent-Length: 2\r\n\r\nab", server.addr());
    assert!(exchange(server.addr(), post.as_bytes()).starts_with("HTTP/1.1 404"), "nothing to write here");
    let put = format!("PUT {token} HTTP/1.1\r\nHost: {}\r\nContent-Length: 2\r\n\r\nab", server.addr());
    assert!(exchange(server.addr(), put.as_bytes()).starts_with("HTTP/1.1 405"));
}

#[test]
fn huge_heads_slow_and_pipelining_clients_do_not_hold_up_others() {
    let server = server(limits());
    let token = base(&server);
    // A head far over the limit: refused after reading a few KiB.
    let started = Instant::now();
    let huge = format!("GET {token} HTTP/1.1\r\nHost: {}\r\nX: {}\r\n\r\n", server.addr(), "a".repeat(1 << 20));
    assert!(exchange(server.addr(), huge.as_bytes()).starts_with("HTTP/1.1 431"));
    assert!(started.elapsed() < Duration::from_secs(3));

    // Clients that send half a request and wait, and one that pipelines
    // many requests and never reads: more of them than workers.
    let mut idle: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut stream = TcpStream::connect(server.addr()).unwrap();
            stream.write_all(b"GET / HTTP/1.1\r\n").unwrap();
            stream
        })
        .collect();
    let mut pipelining = TcpStream::connect(server.addr()).unwrap();
    let one = format!("GET {token} HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr());
    let _ = pipelining.write_all(one.repeat(2000).as_bytes());
    idle.push(pipelining);

    // Others are answered: at once when a worker is free, and within the
    // read deadline (500 ms here) while the slow ones hold the workers.
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let answer = get(&server, &token, "");
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
        assert!(Instant::now() < deadline, "nobody else was answered");
        std::thread::sleep(Duration::from_millis(50));
    }
    // The slow clients are cut off at the deadline.
    let mut answer = String::new();
    idle[0].set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    let _ = idle[0].read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[test]
fn event_streams_are_bounded_and_tell_each_new_build() {
    let server = server(limits());
    let token = base(&server);
    let request = format!("GET {token}__events HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr());
    let mut streams: Vec<BufReader<TcpStream>> = (0..3)
        .map(|_| {
            let mut stream = TcpStream::connect(server.addr()).unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            stream.write_all(request.as_bytes()).unwrap();
            BufReader::new(stream)
        })
        .collect();
    let next_build = |stream: &mut BufReader<TcpStream>| loop {
        let mut line = String::new();
        assert_ne!(stream.read_line(&mut line).unwrap(), 0, "the stream ended");
        if let Some(data) = line.strip_prefix("data: ") {
            return data.trim().to_string();
        }
    };
    for stream in &mut streams {
        assert_eq!(next_build(stream), "1 sida/1-a.svg", "the current build at once, with its pages");
    }
    assert!(exchange(server.addr(), request.as_bytes()).starts_with("HTTP/1.1 503"), "a fourth stream");
    assert!(get(&server, &token, "").starts_with("HTTP/1.1 200"), "pages are still served");

    server.publish(2, Vec::new(), Routes::read_only(Arc::new(|_| None)));
    for stream in &mut streams {
        assert_eq!(next_build(stream), "2");
    }
    // A closed page frees its stream (noticed at the next heartbeat).
    streams.pop();
    std::thread::sleep(Duration::from_millis(600));
    let mut again = TcpStream::connect(server.addr()).unwrap();
    again.write_all(request.as_bytes()).unwrap();
    let mut reader = BufReader::new(again);
    reader.get_mut().set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(next_build(&mut reader), "2");
}

/// `statusrapport watch` running, its output lines arriving on a channel.
struct Watch {
    child: Child,
    lines: Receiver<String>,
}

impl Watch {
    fn start(args: &[&str], dir: &std::path::Path) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_statusrapport"))
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (sender, lines) = channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        Watch { child, lines }
    }

    /// Waits for the line of build `number`.
    fn build(&self, number: u64, within: Duration) -> String {
        let deadline = Instant::now() + within;
        let prefix = format!("Bygge {number} ");
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(&prefix) => return line,
                Ok(_) => continue,
                Err(_) => panic!("no build {number} within {within:?}"),
            }
        }
    }

    /// Waits for a successful build after build `after`; its number.
    fn next_good_build(&self, after: u64, within: Duration) -> u64 {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self.lines.recv_timeout(left).unwrap_or_else(|_| panic!("no good build within {within:?}"));
            let Some(rest) = line.strip_prefix("Bygge ") else { continue };
            let number: u64 = rest.split(' ').next().unwrap().parse().unwrap();
            if number > after && line.contains("klart") {
                return number;
            }
        }
    }

    /// The builds reported during `period`.
    fn builds_during(&self, period: Duration) -> Vec<String> {
        let deadline = Instant::now() + period;
        let mut builds = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            if line.starts_with("Bygge ") {
                builds.push(line);
            }
        }
        builds
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn new_project(dir: &std::path::Path) {
    assert_eq!(run(&["new", "skrivelse", "rapport"], dir).code, Some(0));
}

#[test]
fn watch_never_rebuilds_for_its_own_output_inside_the_project() {
    let dir = tempfile::tempdir().unwrap();
    new_project(dir.path());
    #[cfg(unix)]
    std::os::unix::fs::symlink("rapport", dir.path().join("lank")).unwrap();
    for out in ["rapport/../rapport/ut", "./rapport/ut", "lank/ut-via-lank"] {
        if out.starts_with("lank") && !dir.path().join("lank").exists() {
            continue;
        }
        let watch = Watch::start(&["watch", "rapport", "-o", out], dir.path());
        assert!(watch.build(1, Duration::from_secs(60)).contains("klart"));
        let more = watch.builds_during(Duration::from_secs(3));
        assert!(more.is_empty(), "{out}: rebuilt without an edit: {more:?}");
    }
}

#[test]
fn watch_follows_a_project_folder_deleted_and_created_again() {
    let dir = tempfile::tempdir().unwrap();
    new_project(dir.path());
    let project = dir.path().join("rapport");
    let watch = Watch::start(&["watch", "rapport", "-o", "ut"], dir.path());
    assert!(watch.build(1, Duration::from_secs(60)).contains("klart"));
    let kept = dir.path().join("kvar");
    std::fs::rename(&project, &kept).unwrap();
    std::thread::sleep(Duration::from_millis(800));
    // (The folder gone is a failed build; the copy coming back a good one.)
    crate::support::copy_tree(&kept, &project);
    let mut recreated = watch.next_good_build(1, Duration::from_secs(30));
    // Builds for files the copy wrote after the folder was watched again.
    for line in watch.builds_during(Duration::from_secs(2)) {
        recreated = recreated.max(line["Bygge ".len()..].split(' ').next().unwrap().parse().unwrap());
    }
    let text = project.join("text/skrivelse.md");
    let edited = std::fs::read_to_string(&text).unwrap().replace("Skriv skrivelsens text här.", "Ny text.");
    std::fs::write(&text, edited).unwrap();
    assert!(watch.next_good_build(recreated, Duration::from_secs(30)) > recreated, "the new folder is watched");
}

/// The preview's address of a running `watch --serve`: the server and the
/// token path (`/3f…/`).
fn preview_address(watch: &Watch) -> (SocketAddr, String) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let line = watch.lines.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("an address");
        if let Some(url) = line.strip_prefix("Förhandsvisning: http://") {
            let (addr, token) = url.split_once('/').unwrap();
            return (addr.parse().unwrap(), format!("/{token}"));
        }
    }
}

fn post(addr: SocketAddr, path: &str, host: &str, extra: &str, body: &str) -> String {
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}\r\n{body}",
        body.len()
    );
    exchange(addr, request.as_bytes())
}

/// The JSON body of an answer.
fn json(answer: &str) -> serde_json::Value {
    serde_json::from_str(&answer[answer.find("\r\n\r\n").unwrap() + 4..]).unwrap()
}

#[test]
fn the_editor_saves_only_the_reports_own_commentary_files_for_this_page_and_never_over_a_colleagues_edit() {
    let (dir, watch, addr, token) = served_new_project();
    let host = addr.to_string();
    let file = dir.path().join("rapport/text/skrivelse.md");
    let before = std::fs::read_to_string(&file).unwrap();

    // What the editor opens: the text as written, status, author, a fingerprint.
    let opened = json(&get_at(addr, &format!("{token}kommentar/0.json")));
    assert_eq!(opened["fil"], "rapport/text/skrivelse.md");
    assert_eq!(opened["text"], "Skriv skrivelsens text här.\n\n- En punktlista\n- med åtgärder\n");
    assert_eq!(
        (opened["status"].as_str(), opened["forfattare"].as_str()),
        (Some("utkast"), Some("Nämndsekretariatet"))
    );
    let offered = opened["platshallare"].as_array().unwrap();
    assert!(offered.iter().any(|p| p["namn"] == "{nämnd}" && !p["varde"].as_str().unwrap().is_empty()), "{offered:?}");
    let fingerprint = opened["kontrollsumma"].as_str().unwrap().to_string();
    let body = |text: &str, status: &str, fingerprint: &str| {
        serde_json::json!({ "kontrollsumma": fingerprint, "text": text, "status": status, "forfattare": "Karin Ek" })
            .to_string()
    };
    let good = body("Ny text från förhandsvisningen.\n", "granskad", &fingerprint);

    // Refused, and nothing written: no token, another host (DNS rebinding),
    // another site, a file not in the report's list, too large a body,
    // godkänd from the browser.
    let own_origin = format!("Origin: http://{host}\r\n");
    let path = format!("{token}kommentar/0");
    let refusals = [
        (post(addr, "/kommentar/0", &host, &own_origin, &good), "403"),
        (post(addr, &path, &format!("rebinding.example:{}", addr.port()), "", &good), "403"),
        (post(addr, &path, &host, "Origin: https://angripare.example\r\n", &good), "403"),
        (post(addr, &format!("{token}kommentar/1"), &host, &own_origin, &good), "404"),
        (post(addr, &format!("{token}kommentar/..%2F..%2Frapport.toml"), &host, &own_origin, &good), "404"),
        (post(addr, &format!("{token}kommentar/0/../../rapport.toml"), &host, &own_origin, &good), "404"),
        (post(addr, &path, &host, &own_origin, &"x".repeat(2 << 20)), "413"),
        (post(addr, &path, &host, &own_origin, &body("A\n", "godkänd", &fingerprint)), "422"),
    ];
    for (answer, status) in &refusals {
        assert!(answer.starts_with(&format!("HTTP/1.1 {status}")), "{status}: {answer}");
    }
    assert!(refusals[6].0.contains("högst 1 MB"), "a Swedish message: {}", refusals[6].0);
    assert!(refusals[7].0.contains("statusrapport godkann"), "{}", refusals[7].0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before, "nothing written");

    // A good save: the text replaced, the front matter's comments kept, the
    // file replaced by a rename (a new inode), no temporary file left.
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&file).unwrap());
    let saved = post(addr, &path, &host, &own_origin, &good);
    assert!(saved.starts_with("HTTP/1.1 200"), "{saved}");
    let after = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        after,
        before
            .replace("forfattare = \"Nämndsekretariatet\"", "forfattare = \"Karin Ek\"")
            .replace("status = \"utkast\"", "status = \"granskad\"")
            .replace(
                "Skriv skrivelsens text här.\n\n- En punktlista\n- med åtgärder\n",
                "Ny text från förhandsvisningen.\n"
            )
    );
    assert!(after.starts_with("+++\n# Skrivelsens text i Markdown."), "{after}");
    assert_eq!(json(&saved)["kontrollsumma"], statusrapport::context::sha256(after.as_bytes()));
    #[cfg(unix)]
    assert_ne!(std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&file).unwrap()), inode, "renamed into place");
    assert_eq!(std::fs::read_dir(file.parent().unwrap()).unwrap().count(), 1, "no temporary file left");
    // The watch loop rebuilds as for any save, and the index shows the file's new status and author.
    published(addr, &token, watch.next_good_build(1, Duration::from_secs(60)));
    let page = get_at(addr, &token);
    assert!(page.contains("granskad · Karin Ek"), "{page}");

    // A save from an editor opened before that one: refused, the file kept.
    let stale = post(addr, &path, &host, &own_origin, &body("Min äldre text\n", "utkast", &fingerprint));
    assert!(stale.starts_with("HTTP/1.1 409"), "{stale}");
    assert!(json(&stale)["fel"].as_str().unwrap().contains("har ändrats sedan du öppnade den"), "{stale}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), after);
}

/// A page image's address names its content: the browser may keep it, and
/// a save reloads only the pages it changed; an earlier build's address
/// still shows the current page, but not to keep.
#[test]
fn page_images_are_kept_by_the_browser_only_under_their_own_fingerprint() {
    let (dir, watch, addr, token) = served_new_project();
    let page = get_at(addr, &token);
    let address = |page: &str| {
        let before = "id=\"sida-1\" src=\"";
        let start = page.find(before).unwrap() + before.len();
        page[start..start + page[start..].find('"').unwrap()].to_string()
    };
    let first = address(&page);
    assert!(first.starts_with("sida/1-") && first.ends_with(".svg"), "{first}");
    let image = get_at(addr, &format!("{token}{first}"));
    assert!(
        image.starts_with("HTTP/1.1 200") && image.contains("Cache-Control: private, max-age=86400, immutable"),
        "{image}"
    );
    assert!(image.contains("<svg"), "{image}");
    let other = get_at(addr, &format!("{token}sida/1-0000000000000000.svg"));
    assert!(other.starts_with("HTTP/1.1 200") && other.contains("Cache-Control: no-store"), "{other}");
    assert!(get_at(addr, &format!("{token}sida/9-0000000000000000.svg")).starts_with("HTTP/1.1 404"));

    // A save that changes the page gives it a new address.
    let file = dir.path().join("rapport/text/skrivelse.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("Skriv skrivelsens text här.", "En annan text.")).unwrap();
    published(addr, &token, watch.next_good_build(1, Duration::from_secs(60)));
    assert_ne!(address(&get_at(addr, &token)), first);
}

/// A new skrivelse project watched with the preview served, its first build
/// published: the folder, the watch, the address and the token.
fn served_new_project() -> (tempfile::TempDir, Watch, SocketAddr, String) {
    let dir = tempfile::tempdir().unwrap();
    new_project(dir.path());
    let watch = Watch::start(&["watch", "rapport", "-o", "ut", "--serve", "--port", "0"], dir.path());
    let (addr, token) = preview_address(&watch);
    assert!(watch.build(1, Duration::from_secs(60)).contains("klart"));
    published(addr, &token, 1);
    (dir, watch, addr, token)
}

/// Waits until the server serves build `number` (watch prints a build's
/// line before it hands the build to the server).
fn published(addr: SocketAddr, token: &str, number: u64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while json(&get_at(addr, &format!("{token}status.json")))["bygge"].as_u64() < Some(number) {
        assert!(Instant::now() < deadline, "build {number} not published");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn get_at(addr: SocketAddr, path: &str) -> String {
    exchange(addr, format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
}

#[test]
fn the_index_knows_each_sections_page_and_the_editor_offers_the_builds_values() {
    let project = crate::support::Project::example("statusrapport-2023-09");
    let watch = Watch::start(&["watch", "statusrapport-2023-09", "-o", "ut", "--serve", "--port", "0"], project.dir());
    let (addr, token) = preview_address(&watch);
    assert!(watch.build(1, Duration::from_secs(120)).contains("klart"));
    published(addr, &token, 1);
    let page = get_at(addr, &token);
    // Each section's heading found on its page (the heading's supplement is not part of its text).
    assert!(page.contains("Vårdcentralen Halland</a> (sida 2)"), "{page}");
    assert!(page.contains("Uppföljning av handlingsplaner VC Halland</a> (sida 11)"), "{page}");
    let places = &page[page.find("id=\"avsnitt\">").unwrap() + 13..];
    let places: serde_json::Value = serde_json::from_str(&places[..places.find("</script>").unwrap()]).unwrap();
    let vch = places.as_array().unwrap().iter().find(|s| s["sida"] == 2).unwrap();
    let down = vch["ner"].as_f64().unwrap();
    assert!(down > 0.0 && down < 0.2, "the heading near the top of its page: {down}");

    // The editor of vch-ekonomi.md offers the metrics of its unit with the values the report prints.
    let id = vch["fil"].as_u64().unwrap();
    let opened = json(&get_at(addr, &format!("{token}kommentar/{id}.json")));
    assert!(opened["fil"].as_str().unwrap().ends_with("kommentarer/vch-ekonomi.md"));
    let offered = opened["platshallare"].as_array().unwrap();
    let value =
        |name: &str| offered.iter().find(|p| p["namn"] == name).map(|p| p["varde"].as_str().unwrap().to_string());
    assert_eq!(value("{ack_avv_personal}").as_deref(), Some("−21,5\u{a0}mnkr"), "{offered:?}");
    assert_eq!(value("{månad}").as_deref(), Some("september"));
    assert_eq!(opened["status"], "godkänd");
    let pdf = crate::pdf::Pdf::parse(std::fs::read(project.dir().join("ut/statusrapport-2023-09.pdf")).unwrap());
    let printed = pdf.page_text(2).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(printed.contains("totalt −21,5 mnkr"), "the value as the report prints it: {printed}");
}

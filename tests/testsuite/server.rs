//! A local HTTP server for the tests of `hamta`: it serves answers written
//! after Kolada's and SCB's documented formats, in order, and remembers
//! what it was asked. No real service is reachable from the tests.

use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// One answer.
#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    /// Wait this long before answering (a slow service).
    pub delay: Option<Duration>,
}

impl Reply {
    pub fn json(body: &str) -> Reply {
        Reply::with(200, body, "application/json; charset=UTF-8")
    }

    pub fn with(status: u16, body: &str, content_type: &'static str) -> Reply {
        Reply { status, body: body.to_string(), content_type, headers: Vec::new(), delay: None }
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Reply {
        self.headers.push((name, value.to_string()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = Some(delay);
        self
    }
}

/// Routes: the request's path and query as sent (`/v3/kpi/N70061`) and
/// the answers to give, one per request; the last one repeats.
type Routes = Vec<(String, Vec<Reply>)>;

pub struct Server {
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
    asked: Arc<Mutex<Vec<String>>>,
    pub url: String,
}

impl Server {
    /// Serves `routes` on a free port of 127.0.0.1; `PORT` in a body stands
    /// for the port (for absolute `next_url` links). Anything else is 404.
    pub fn start(routes: &[(&str, Vec<Reply>)]) -> Server {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a local port"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let routes: Arc<Mutex<Routes>> =
            Arc::new(Mutex::new(routes.iter().map(|(path, replies)| (path.to_string(), replies.clone())).collect()));
        let asked = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (server, asked) = (server.clone(), asked.clone());
            thread::spawn(move || {
                for request in server.incoming_requests() {
                    let url = request.url().to_string();
                    asked.lock().unwrap().push(url.clone());
                    let reply = {
                        let mut routes = routes.lock().unwrap();
                        match routes.iter_mut().find(|(path, _)| *path == url) {
                            Some((_, replies)) if replies.len() > 1 => replies.remove(0),
                            Some((_, replies)) => replies[0].clone(),
                            None => Reply::with(404, r#"{"detail":"Not Found"}"#, "application/json"),
                        }
                    };
                    // A slow answer must not hold up the others.
                    thread::spawn(move || {
                        if let Some(delay) = reply.delay {
                            thread::sleep(delay);
                        }
                        let mut response =
                            tiny_http::Response::from_string(reply.body.replace("PORT", &port.to_string()))
                                .with_status_code(reply.status)
                                .with_header(
                                    tiny_http::Header::from_bytes("Content-Type", reply.content_type)
                                        .expect("a header"),
                                );
                        for (name, value) in &reply.headers {
                            response
                                .add_header(tiny_http::Header::from_bytes(*name, value.as_bytes()).expect("a header"));
                        }
                        let _ = request.respond(response);
                    });
                }
            })
        };
        Server { server, thread: Some(thread), asked, url: format!("http://127.0.0.1:{port}") }
    }

    /// The paths and queries asked, in order.
    pub fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// An address where nothing listens (a port just freed).
pub fn closed_address() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    let port = listener.local_addr().expect("an address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

//! The one way `hamta` asks a service: a GET for JSON over a blocking
//! client (ureq, rustls), with a time limit, a pause between requests, the
//! waits a `429 Too Many Requests` (or `503`) asks for, and every failure as
//! a Swedish sentence naming the host.
//!
//! Error answers are read by status code only; their body is quoted when it
//! says something (an RFC 7807 problem's `title` and `detail`, FastAPI's
//! `detail`, or the first line of plain text), since neither Kolada's v3
//! errors nor SCB's production ones are documented exactly.

use std::cell::{Cell, RefCell};
use std::io;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::error::io_reason;

/// Largest answer read: SCB allows 150 000 cells per request, a few MB.
const LARGEST_ANSWER: u64 = 64 << 20;
/// Largest error answer read, for its message.
const LARGEST_ERROR_ANSWER: u64 = 64 << 10;

/// How patient fetching is.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Longest time for one request, connecting included.
    pub timeout: Duration,
    /// Longest wait a `429`/`503` may ask for before fetching gives up.
    pub longest_wait: Duration,
    /// How many times a `429`/`503` is retried.
    pub retries: u32,
    /// Pause between requests: Kolada states no limit but its clients keep
    /// to about five a second; SCB allows 30 calls in 10 seconds.
    pub spacing: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout: Duration::from_secs(30),
            longest_wait: Duration::from_secs(60),
            retries: 3,
            spacing: Duration::from_millis(250),
        }
    }
}

/// Why a source could not be fetched: a Swedish sentence and what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub message: String,
    pub hint: String,
}

impl Failure {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Failure {
        Failure { message: message.into(), hint: hint.into() }
    }
}

/// A client for one service, remembering every address it asked.
pub struct Client {
    agent: ureq::Agent,
    settings: Settings,
    last_request: Cell<Option<Instant>>,
    asked: RefCell<Vec<String>>,
}

impl Client {
    pub fn new(settings: &Settings) -> Client {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(settings.timeout))
            .http_status_as_error(false)
            .user_agent(format!("statusrapport/{}", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: config.into(),
            settings: settings.clone(),
            last_request: Cell::new(None),
            asked: RefCell::default(),
        }
    }

    /// Every address asked so far, in order.
    pub fn asked(&self) -> Vec<String> {
        self.asked.borrow().clone()
    }

    /// GETs `url` and reads its body as JSON.
    pub fn get_json(&self, url: &str) -> Result<Value, Failure> {
        let host = host(url);
        let mut attempt = 0;
        loop {
            self.pause();
            self.asked.borrow_mut().push(url.to_string());
            let response = self.agent.get(url).header("Accept", "application/json").call();
            let mut response = response.map_err(|error| transport_failure(&error, host, self.settings.timeout))?;
            let status = response.status().as_u16();
            if (200..300).contains(&status) {
                let body = response
                    .body_mut()
                    .with_config()
                    .limit(LARGEST_ANSWER)
                    .read_to_string()
                    .map_err(|error| transport_failure(&error, host, self.settings.timeout))?;
                return parse_json(&body, host);
            }
            let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_string);
            let body =
                response.body_mut().with_config().limit(LARGEST_ERROR_ANSWER).read_to_string().unwrap_or_default();
            if matches!(status, 429 | 503) && attempt < self.settings.retries {
                let wait = retry_after.as_deref().and_then(seconds_to_wait).unwrap_or(2u64.pow(attempt + 1));
                if Duration::from_secs(wait) <= self.settings.longest_wait {
                    attempt += 1;
                    thread::sleep(Duration::from_secs(wait));
                    continue;
                }
                return Err(Failure::new(
                    format!("{host} ber om en paus på {wait} s innan nästa fråga (HTTP {status})"),
                    "för många frågor på kort tid; försök igen om en stund",
                ));
            }
            return Err(status_failure(status, &body, retry_after.as_deref(), host, url));
        }
    }

    /// Keeps the pause between requests.
    fn pause(&self) {
        if let Some(last) = self.last_request.get() {
            let since = last.elapsed();
            if since < self.settings.spacing {
                thread::sleep(self.settings.spacing - since);
            }
        }
        self.last_request.set(Some(Instant::now()));
    }
}

/// The host of an address, for messages.
pub fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?']).next().unwrap_or(rest)
}

/// `Retry-After` as seconds: a number, or an HTTP date.
fn seconds_to_wait(value: &str) -> Option<u64> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(seconds);
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some((at.timestamp() - chrono::Utc::now().timestamp()).max(0) as u64)
}

fn parse_json(body: &str, host: &str) -> Result<Value, Failure> {
    serde_json::from_str(body.trim_start_matches('\u{FEFF}')).map_err(|_| {
        let looks_like_page = body.trim_start().starts_with('<');
        Failure::new(
            if looks_like_page {
                format!("{host} svarade med en webbsida i stället för JSON")
            } else {
                format!("svaret från {host} är inte JSON")
            },
            "en proxy eller inloggningssida emellan, eller fel adress; kontrollera adress = … i [[kalla]]",
        )
    })
}

/// A failure before any answer: no network, a refused connection, time out.
fn transport_failure(error: &ureq::Error, host: &str, timeout: Duration) -> Failure {
    let offline = "kontrollera nätverket (och proxyn, HTTPS_PROXY), eller försök igen senare";
    match error {
        ureq::Error::Timeout(_) => Failure::new(
            format!("{host} svarade inte inom {} s", timeout.as_secs()),
            "försök igen senare, eller ge mer tid med --tidsgrans SEKUNDER",
        ),
        ureq::Error::HostNotFound => {
            Failure::new(format!("hittar inte {host} (inget nätverk, eller fel adress?)"), offline)
        }
        ureq::Error::ConnectionFailed => Failure::new(format!("kan inte ansluta till {host}"), offline),
        ureq::Error::Io(io) => match io.kind() {
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Failure::new(
                format!("{host} svarade inte inom {} s", timeout.as_secs()),
                "försök igen senare, eller ge mer tid med --tidsgrans SEKUNDER",
            ),
            io::ErrorKind::ConnectionRefused => Failure::new(format!("{host} tar inte emot anslutningar"), offline),
            io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted | io::ErrorKind::UnexpectedEof => {
                Failure::new(format!("anslutningen till {host} bröts mitt i svaret"), "försök igen om en stund")
            }
            _ => Failure::new(format!("kan inte hämta från {host}: {}", io_reason(io)), offline),
        },
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => Failure::new(
            format!("den krypterade anslutningen till {host} kunde inte upprättas ({error})"),
            "en proxy som byter certifikat, eller fel klocka på datorn?",
        ),
        ureq::Error::BodyExceedsLimit(_) => Failure::new(
            format!("svaret från {host} är större än {} MB", LARGEST_ANSWER >> 20),
            "hämta färre värden: färre år, enheter eller värden i urvalet",
        ),
        ureq::Error::BadUri(_) => Failure::new(
            format!("adressen till {host} kan inte användas ({error})"),
            "kontrollera adress = … i [[kalla]]",
        ),
        _ => Failure::new(format!("kan inte hämta från {host} ({error})"), offline),
    }
}

/// An error answer, by its status code; its body quoted if it says what.
fn status_failure(status: u16, body: &str, retry_after: Option<&str>, host: &str, url: &str) -> Failure {
    let said = error_text(body).map(|t| format!(": {t}")).unwrap_or_default();
    let (what, hint) = match status {
        400 | 422 => (
            "förstod inte frågan".to_string(),
            "kontrollera nyckeltal eller tabell, enheternas koder och urvalet i [[kalla]]; en för stor fråga (för många värden) ger också det här felet".to_string(),
        ),
        403 => (
            "vägrade svara".to_string(),
            "frågan kan vara för stor (för många värden); hämta färre år, enheter eller värden".to_string(),
        ),
        404 => ("hittar inte det som efterfrågades".to_string(), format!("kontrollera id:t och adressen: {url}")),
        410 => (
            "har tagit bort adressen".to_string(),
            "tjänsten har bytt version; ange den nya med adress = … i [[kalla]]".to_string(),
        ),
        429 => (
            "tar inte emot fler frågor just nu".to_string(),
            match retry_after {
                Some(wait) => format!("försök igen om {wait} s"),
                None => "försök igen om en stund".to_string(),
            },
        ),
        500..=599 => ("har ett fel".to_string(), "felet ligger hos tjänsten; försök igen senare".to_string()),
        _ => ("svarade med ett fel".to_string(), format!("adressen var {url}")),
    };
    Failure::new(format!("{host} {what} (HTTP {status}{said})"), hint)
}

/// What an error answer says: an RFC 7807 problem's title and detail,
/// FastAPI's `detail`, or the first line of a plain text.
fn error_text(body: &str) -> Option<String> {
    let trimmed = body.trim();
    if trimmed.is_empty() || trimmed.starts_with('<') {
        return None;
    }
    let text = match serde_json::from_str::<Value>(trimmed) {
        Ok(json) => {
            let field = |key: &str| match &json[key] {
                Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                Value::Array(items) => items.first().and_then(|i| i["msg"].as_str()).map(str::to_string),
                _ => None,
            };
            match (field("title"), field("detail")) {
                (Some(title), Some(detail)) if title != detail => format!("{title} – {detail}"),
                (Some(text), _) | (None, Some(text)) => text,
                (None, None) => return None,
            }
        }
        Err(_) => trimmed.lines().next()?.trim().to_string(),
    };
    Some(text.chars().take(200).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_answers_are_quoted_when_they_say_something() {
        let problem = r#"{"type":"Parameter error","title":"Non-existent table","status":404}"#;
        assert_eq!(error_text(problem).as_deref(), Some("Non-existent table"));
        let both = r#"{"type":"Parameter error","detail":"Too many cells selected","status":400,"title":"Too many cells selected"}"#;
        assert_eq!(error_text(both).as_deref(), Some("Too many cells selected"));
        let spec = r#"{"title": "Bad Request", "status": 400, "detail": "Value, xxx is not a valid value code"}"#;
        assert_eq!(error_text(spec).as_deref(), Some("Bad Request – Value, xxx is not a valid value code"));
        assert_eq!(error_text(r#"{"detail":"Not Found"}"#).as_deref(), Some("Not Found"));
        let fastapi = r#"{"detail":[{"loc":["path","kpi"],"msg":"too many ids","type":"value_error"}]}"#;
        assert_eq!(error_text(fastapi).as_deref(), Some("too many ids"));
        let quota = "API calls quota exceeded! maximum admitted 30 per 10s.";
        assert_eq!(error_text(quota).as_deref(), Some(quota));
        assert_eq!(error_text("<html><body>Gone</body></html>"), None);
        assert_eq!(error_text(""), None);
    }

    #[test]
    fn waits_are_read_as_seconds_or_dates() {
        assert_eq!(seconds_to_wait("10"), Some(10));
        assert_eq!(seconds_to_wait("Wed, 21 Oct 2015 07:28:00 GMT"), Some(0));
        assert_eq!(seconds_to_wait("snart"), None);
    }

    #[test]
    fn hosts_are_named() {
        assert_eq!(host("https://api.kolada.se/v3/kpi/N1"), "api.kolada.se");
        assert_eq!(host("http://127.0.0.1:8080?x"), "127.0.0.1:8080");
    }
}

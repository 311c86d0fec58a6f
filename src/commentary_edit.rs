//! Editing a commentary file from the preview: what the editor shows (the
//! text as written, the status and the author, and a fingerprint of the
//! file's bytes), and saving what the writer changed.
//!
//! A save keeps everything else in the file as it was: a Markdown file's
//! text below the front matter is replaced exactly, its front matter (or a
//! TOML file's keys) changed with toml_edit, so comments and order stay. It
//! is refused when the file changed on disk since the editor opened it (the
//! fingerprint differs), so a colleague's edit is never overwritten, and the
//! file is written atomically. `godkänd` is never set here: only
//! `statusrapport godkann` approves a text.

use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::commentary_file::{self, Layout};
use crate::diagnostic::slashed;
use crate::error::io_reason;

/// The largest commentary file the editor opens.
const MAX_FILE: u64 = 1 << 20;

/// The statuses a writer may choose; `godkänd` comes from `godkann`.
pub const STATUSES: [&str; 2] = ["utkast", "granskad"];

/// One save at a time, so that two saves of one file cannot both pass the
/// fingerprint check.
static SAVING: Mutex<()> = Mutex::new(());

/// A commentary file as the editor shows it.
#[derive(Debug, Serialize)]
pub struct Opened {
    /// `md` or `toml`.
    pub format: &'static str,
    pub text: String,
    pub status: String,
    pub forfattare: String,
    /// SHA-256 of the file's bytes, sent back with a save.
    pub kontrollsumma: String,
}

/// What the editor sends to save.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub kontrollsumma: String,
    pub text: String,
    pub status: String,
    pub forfattare: String,
}

/// Why a file was not opened or saved, in Swedish.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// The file changed on disk since the editor opened it.
    Changed(String),
    /// The request or the file cannot be edited here.
    Invalid(String),
    /// Reading or writing failed.
    Failed(String),
}

impl Refusal {
    pub fn message(&self) -> &str {
        match self {
            Refusal::Changed(message) | Refusal::Invalid(message) | Refusal::Failed(message) => message,
        }
    }
}

/// The file as read now, split into what the editor shows.
struct Current {
    bom: bool,
    text: String,
    layout: Layout,
    fingerprint: String,
}

fn read(path: &Path) -> Result<Current, Refusal> {
    let name = slashed(path);
    let bytes = crate::load::read_regular(path, MAX_FILE)
        .map_err(|error| Refusal::Failed(format!("{name} kan inte läsas: {}", io_reason(&error))))?;
    let fingerprint = crate::context::sha256(&bytes);
    let text = String::from_utf8(bytes).map_err(|_| {
        Refusal::Invalid(format!("{name} är inte sparad som UTF-8; öppna den i en textredigerare och spara som UTF-8"))
    })?;
    let (bom, text) = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => (true, rest.to_string()),
        None => (false, text),
    };
    let source = crate::diagnostic::Sources::default().add(name.clone(), "");
    let layout = Layout::of(path, &text, source).map_err(|problem| {
        Refusal::Invalid(format!("{name} kan inte redigeras här: {}; rätta filen i en textredigerare", problem.message))
    })?;
    Ok(Current { bom, text, layout, fingerprint })
}

/// The TOML of the file: all of it, or a Markdown file's front matter.
fn toml(current: &Current) -> Result<toml_edit::DocumentMut, Refusal> {
    let front = match &current.layout {
        Layout::Toml => &current.text[..],
        Layout::Markdown { front, .. } => &current.text[front.clone()],
    };
    front.parse().map_err(|_| {
        Refusal::Invalid("filens uppgifter (TOML) går inte att läsa; rätta filen i en textredigerare, så visar förhandsvisningen var felet är".into())
    })
}

fn string(document: &toml_edit::DocumentMut, key: &str) -> String {
    document.get(key).and_then(toml_edit::Item::as_str).unwrap_or_default().to_string()
}

/// The file at `path` as the editor shows it.
pub fn open(path: &Path) -> Result<Opened, Refusal> {
    let current = read(path)?;
    let document = toml(&current)?;
    let text = match &current.layout {
        Layout::Toml => string(&document, "text"),
        Layout::Markdown { body, .. } => current.text[body.clone()].to_string(),
    };
    Ok(Opened {
        format: if matches!(current.layout, Layout::Toml) { "toml" } else { "md" },
        text: text.replace("\r\n", "\n"),
        status: string(&document, "status"),
        forfattare: string(&document, "forfattare"),
        kontrollsumma: current.fingerprint,
    })
}

/// Saves `change` to the file at `path`; the new fingerprint.
pub fn save(path: &Path, change: &Change) -> Result<String, Refusal> {
    let _one_at_a_time = SAVING.lock().unwrap_or_else(|e| e.into_inner());
    let current = read(path)?;
    if current.fingerprint != change.kontrollsumma {
        return Err(Refusal::Changed(format!(
            "{} har ändrats sedan du öppnade den (av någon annan eller i ett annat program), så din ändring har inte \
             sparats, för att inte skriva över den andra ändringen. Kopiera din text, öppna avsnittet igen och för in \
             den på nytt.",
            slashed(path)
        )));
    }
    let document = toml(&current)?;
    let old_status = string(&document, "status");
    let status = change.status.trim();
    if status != old_status && !STATUSES.contains(&status) {
        return Err(Refusal::Invalid(format!(
            "status kan sättas till {} här; godkänd sätts bara med statusrapport godkann",
            STATUSES.join(" eller ")
        )));
    }
    let author = change.forfattare.trim();
    let old_author = string(&document, "forfattare");
    // The browser sends line breaks as \n; a file written with \r\n keeps them.
    let crlf = current.text.contains("\r\n");
    let new_text = change.text.replace("\r\n", "\n");
    let new_text = if crlf { new_text.replace('\n', "\r\n") } else { new_text };
    let (text, layout) = match &current.layout {
        Layout::Markdown { body, .. } => (format!("{}{new_text}", &current.text[..body.start]), current.layout.clone()),
        Layout::Toml => (current.text.clone(), Layout::Toml),
    };
    let text_key_changed = matches!(layout, Layout::Toml)
        && string(&document, "text").replace("\r\n", "\n") != change.text.replace("\r\n", "\n");
    let edited = if status != old_status || author != old_author || text_key_changed {
        commentary_file::edit(&text, &layout, |document| {
            if status != old_status {
                commentary_file::set_keeping_comment(document, "status", status);
            }
            if author != old_author {
                if author.is_empty() {
                    document.remove("forfattare");
                } else {
                    commentary_file::set_keeping_comment(document, "forfattare", author);
                }
            }
            if text_key_changed {
                commentary_file::set_keeping_comment(document, "text", &change.text);
            }
        })
        .expect("the TOML parsed above")
    } else {
        text
    };
    let bytes = if current.bom { format!("\u{FEFF}{edited}") } else { edited }.into_bytes();
    let (folder, name) = (path.parent().unwrap_or(Path::new(".")), path.file_name().unwrap_or_default());
    crate::publish::write_atomically(folder, &name.to_string_lossy(), &bytes)
        .map_err(|error| Refusal::Failed(format!("{} kan inte sparas: {}", slashed(path), io_reason(&error))))?;
    Ok(crate::context::sha256(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(opened: &Opened, text: &str, status: &str, author: &str) -> Change {
        Change {
            kontrollsumma: opened.kontrollsumma.clone(),
            text: text.into(),
            status: status.into(),
            forfattare: author.into(),
        }
    }

    #[test]
    fn a_markdown_save_replaces_the_text_and_keeps_the_front_matter_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.md");
        let file = "+++\r\n# vem skriver\r\nforfattare = \"Ek\" # controller\r\nstatus = \"utkast\"  # eller granskad\r\n+++\r\nGammal \"text\" G:\\Ekonomi\r\n";
        std::fs::write(&path, file).unwrap();
        let opened = open(&path).unwrap();
        assert_eq!((opened.format, opened.text.as_str()), ("md", "Gammal \"text\" G:\\Ekonomi\n"));
        assert_eq!((opened.status.as_str(), opened.forfattare.as_str()), ("utkast", "Ek"));
        let saved = save(&path, &change(&opened, "Ny text {period}.\n- punkt\n", "granskad", "Karin Ek")).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            written,
            "+++\r\n# vem skriver\r\nforfattare = \"Karin Ek\" # controller\r\nstatus = \"granskad\"  # eller granskad\r\n+++\r\nNy text {period}.\r\n- punkt\r\n"
        );
        assert_eq!(saved, crate::context::sha256(written.as_bytes()));
        // Only the text changed: the front matter stays byte for byte.
        let opened = open(&path).unwrap();
        save(&path, &change(&opened, "Tredje.\n", "granskad", "Karin Ek")).unwrap();
        assert!(std::fs::read_to_string(&path).unwrap().ends_with("# eller granskad\r\n+++\r\nTredje.\r\n"));
        assert!(std::fs::read_dir(dir.path()).unwrap().count() == 1, "no temporary file left");
    }

    #[test]
    fn a_file_changed_since_it_was_opened_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.md");
        std::fs::write(&path, "+++\nstatus = \"utkast\"\n+++\nA\n").unwrap();
        let opened = open(&path).unwrap();
        std::fs::write(&path, "+++\nstatus = \"utkast\"\n+++\nKollegans text\n").unwrap();
        let refused = save(&path, &change(&opened, "Min text\n", "utkast", "")).unwrap_err();
        assert!(
            matches!(refused, Refusal::Changed(_)) && refused.message().contains("har ändrats sedan du öppnade den")
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "+++\nstatus = \"utkast\"\n+++\nKollegans text\n");
    }

    #[test]
    fn godkand_is_never_set_here_but_an_approved_file_keeps_its_status() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.md");
        std::fs::write(&path, "+++\nstatus = \"utkast\"\n+++\nA\n").unwrap();
        let opened = open(&path).unwrap();
        let refused = save(&path, &change(&opened, "A\n", "godkänd", "")).unwrap_err();
        assert!(refused.message().contains("statusrapport godkann"), "{refused:?}");
        std::fs::write(&path, "+++\nstatus = \"godkänd\"\ngodkand_av = \"X\"\n+++\nA\n").unwrap();
        let opened = open(&path).unwrap();
        save(&path, &change(&opened, "B\n", "godkänd", "")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "+++\nstatus = \"godkänd\"\ngodkand_av = \"X\"\n+++\nB\n");
    }

    #[test]
    fn a_toml_file_gets_its_text_key_changed_with_comments_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.toml");
        std::fs::write(&path, "# kommentar\nstatus = \"utkast\" # status\ntext = \"\"\"\nGammal\n\"\"\"\n").unwrap();
        let opened = open(&path).unwrap();
        assert_eq!((opened.format, opened.text.as_str()), ("toml", "Gammal\n"));
        save(&path, &change(&opened, "Ny \"text\" med G:\\Ekonomi\nrad två\n", "granskad", "")).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        // Written without escapes, as a writer would write it.
        assert_eq!(
            written,
            "# kommentar\nstatus = \"granskad\" # status\ntext = '''\nNy \"text\" med G:\\Ekonomi\nrad två\n'''\n"
        );
        let reread: toml_edit::DocumentMut = written.parse().unwrap();
        assert_eq!(reread["text"].as_str(), Some("Ny \"text\" med G:\\Ekonomi\nrad två\n"));
    }
}

//! The two layouts of a commentary file: TOML with the text in `text = """…"""`,
//! or Markdown (`.md`) with a short TOML front matter between two `+++`
//! lines, as Zola and Hugo write it, and the text below as written, so
//! quotes, backslashes and text pasted from Word need no escaping.
//!
//! Reading ([`Layout::toml_text`]) keeps every byte offset, so messages
//! point into the file as it is; editing ([`edit`]) changes the TOML part
//! with toml_edit and leaves the rest of the file as the writer left it.

use std::ops::Range;
use std::path::Path;

use crate::diagnostic::{Diagnostic, SourceId, Span};

/// The front matter's delimiter line.
const DELIMITER: &str = "+++";

/// Where the TOML and the text of a commentary file are.
#[derive(Debug, Clone, PartialEq)]
pub enum Layout {
    /// The whole file is TOML; the text is its `text` key.
    Toml,
    /// `+++`, TOML (`front`), `+++`, then the text (`body`).
    Markdown { front: Range<usize>, body: Range<usize> },
}

impl Layout {
    /// The layout of the file at `path` with contents `text` (registered as
    /// `source`): Markdown for `.md` files, TOML otherwise.
    pub fn of(path: &Path, text: &str, source: SourceId) -> Result<Layout, Diagnostic> {
        if !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")) {
            return Ok(Layout::Toml);
        }
        let example =
            "+++\nenhet = \"vch\"\nperiod = \"2023-09\"\nforfattare = \"Karin Ek\"\nstatus = \"utkast\"\n+++\nTexten …";
        let mut lines = lines(text);
        let Some((first, after_first)) = lines.next().filter(|(line, _)| is_delimiter(&text[line.clone()])) else {
            return Err(Diagnostic::error("en kommentar i Markdown börjar med en rad med bara +++")
                .at(Span::new(source, 0..0))
                .hint(format!(
                    "skriv uppgifterna om texten mellan två rader +++ och texten under, så här:\n{example}"
                )));
        };
        let Some((closing, after_closing)) = lines.find(|(line, _)| is_delimiter(&text[line.clone()])) else {
            return Err(Diagnostic::error("raden +++ i början avslutas aldrig av en rad med bara +++")
                .at(Span::new(source, first))
                .hint(format!(
                    "skriv en rad med bara +++ efter uppgifterna om texten (status och de andra), så här:\n{example}"
                )));
        };
        Ok(Layout::Markdown { front: after_first..closing.start, body: after_closing..text.len() })
    }

    /// The TOML to parse, with the same byte offsets as the file: for a
    /// Markdown file the front matter, with the opening `+++` blanked and
    /// everything from the closing `+++` on left out.
    pub fn toml_text(&self, text: &str) -> String {
        match self {
            Layout::Toml => text.to_string(),
            Layout::Markdown { front, .. } => {
                let mut toml = text[..front.end].to_string();
                toml.replace_range(..DELIMITER.len(), &" ".repeat(DELIMITER.len()));
                toml
            }
        }
    }
}

/// Each line's range without its line break, and where the next line starts.
fn lines(text: &str) -> impl Iterator<Item = (Range<usize>, usize)> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        (start < text.len()).then(|| {
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            let line = start..end;
            start = (end + 1).min(text.len());
            (line, start)
        })
    })
}

fn is_delimiter(line: &str) -> bool {
    line.trim_end() == DELIMITER
}

/// The file `text` with its TOML (all of it, or the front matter) changed
/// by `change`; everything else stays byte for byte. `None` if the TOML
/// does not parse (the file was checked when it was loaded).
pub fn edit(text: &str, layout: &Layout, change: impl FnOnce(&mut toml_edit::DocumentMut)) -> Option<String> {
    let front = match layout {
        Layout::Toml => 0..text.len(),
        Layout::Markdown { front, .. } => front.clone(),
    };
    let mut document: toml_edit::DocumentMut = text[front.clone()].parse().ok()?;
    change(&mut document);
    let mut edited = document.to_string();
    if matches!(layout, Layout::Markdown { .. }) && !edited.is_empty() && !edited.ends_with('\n') {
        edited.push('\n');
    }
    // toml_edit writes \n; a file written with \r\n (Windows) keeps them.
    if text[front.clone()].contains("\r\n") {
        edited = edited.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    Some(format!("{}{edited}{}", &text[..front.start], &text[front.end..]))
}

/// Sets `key` to the text `value`, keeping the comment after the old value
/// (`status = "utkast"   # utkast, granskad eller godkänd`).
pub fn set_keeping_comment(document: &mut toml_edit::DocumentMut, key: &str, value: &str) {
    let mut new = toml_edit::Value::from(value);
    if let Some(old) = document.get(key).and_then(toml_edit::Item::as_value) {
        *new.decor_mut() = old.decor().clone();
    }
    document[key] = toml_edit::Item::Value(new);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> SourceId {
        crate::diagnostic::Sources::default().add("k.md", "")
    }

    fn layout(text: &str) -> Result<Layout, Diagnostic> {
        Layout::of(Path::new("k.md"), text, source())
    }

    #[test]
    fn front_matter_and_body_keep_their_offsets() {
        let text = "+++\r\nstatus = \"utkast\"\r\n+++\r\nTexten \"som den är\" G:\\Ekonomi\r\n";
        let Layout::Markdown { front, body } = layout(text).unwrap() else { panic!("markdown") };
        assert_eq!(&text[front.clone()], "status = \"utkast\"\r\n");
        assert_eq!(&text[body], "Texten \"som den är\" G:\\Ekonomi\r\n");
        let toml = layout(text).unwrap().toml_text(text);
        assert_eq!(toml.len(), front.end);
        assert_eq!(toml.find("status"), text.find("status"));
    }

    #[test]
    fn missing_delimiters_are_named() {
        assert!(layout("status = \"utkast\"\n").unwrap_err().message.contains("börjar med en rad med bara +++"));
        assert!(layout("+++\nstatus = \"utkast\"\nText\n").unwrap_err().message.contains("avslutas aldrig"));
        assert_eq!(
            layout("+++\n+++").unwrap(),
            Layout::Markdown { front: 4..4, body: 7..7 },
            "an empty front matter and no text"
        );
        assert_eq!(Layout::of(Path::new("k.toml"), "x", source()).unwrap(), Layout::Toml);
    }

    #[test]
    fn editing_keeps_the_rest_as_written() {
        let text = "+++\n# vem\nforfattare = \"Ek\" # controller\nstatus = \"utkast\"\n+++\n- \"a\" \\ b\n";
        let layout = layout(text).unwrap();
        let edited = edit(text, &layout, |doc| set_keeping_comment(doc, "forfattare", "Karin Ek")).unwrap();
        assert_eq!(
            edited,
            "+++\n# vem\nforfattare = \"Karin Ek\" # controller\nstatus = \"utkast\"\n+++\n- \"a\" \\ b\n"
        );
        let added = edit(text, &layout, |doc| doc["godkand_av"] = toml_edit::value("Ek")).unwrap();
        assert!(added.ends_with("status = \"utkast\"\ngodkand_av = \"Ek\"\n+++\n- \"a\" \\ b\n"), "{added}");
    }
}

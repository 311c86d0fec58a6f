//! Watch: rebuild a report when one of its files is saved, reusing what did
//! not change. The Typst world (and with it Typst's caches of parsed
//! templates, laid-out charts and fonts) lives from one build to the next;
//! only the files whose bytes changed are compiled again.
//!
//! A failed build keeps the last good PDF and preview: the preview shows the
//! messages above the last good pages.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostic;
use crate::model::Variant;
use crate::pipeline::{self, Builder, Options, Outcome, Output};
use crate::render::Engine;

/// The last good build: what the preview shows and the PDF holds.
#[derive(Debug, Clone)]
pub struct Preview {
    pub title: String,
    pub pages: Vec<Page>,
    pub pdf: Vec<u8>,
    /// What changed since the last published build: the count (`None` if
    /// there is none to compare with) and the list as a page.
    pub changes: Option<(Option<usize>, String)>,
    /// Each page's address ([`page_address`]), made once per build for the
    /// page and the server.
    pub addresses: Vec<String>,
}

impl Preview {
    pub fn new(title: String, pages: Vec<Page>, pdf: Vec<u8>, changes: Option<(Option<usize>, String)>) -> Preview {
        let addresses = pages.iter().enumerate().map(|(i, page)| page_address(i + 1, page)).collect();
        Preview { title, pages, pdf, changes, addresses }
    }
}

pub use crate::render::typeset::Page;

/// The result of one rebuild.
#[derive(Debug, Clone)]
pub struct Rebuild {
    /// Counts rebuilds, so that the preview page can tell a new build.
    pub number: u64,
    pub ok: bool,
    /// Time from the start of the rebuild until the preview pages were ready.
    pub preview_ms: f64,
    /// Time until the PDF was written too.
    pub total_ms: f64,
    pub errors: usize,
    pub warnings: usize,
    /// The messages, as `check` prints them (plain text).
    pub messages: String,
    /// The report's sections with their files and messages.
    pub index: Vec<IndexEntry>,
    /// The commentary files the preview may edit (`IndexEntry::file_id`).
    pub files: Vec<EditableFile>,
}

/// A commentary file the report was built from, which the preview's
/// editor may open and save. A request names it by its number in this
/// list of the server's own, never by a path.
#[derive(Debug, Clone)]
pub struct EditableFile {
    pub name: String,
    pub path: PathBuf,
    /// The placeholders its text can use, with what each prints in the
    /// build.
    pub placeholders: Vec<(String, String)>,
}

/// A section of the report in the preview's index: where it is, which file
/// its text comes from, and the messages about that file.
#[derive(Debug, Clone, Default)]
pub struct IndexEntry {
    pub heading: String,
    pub unit: Option<String>,
    pub file: Option<String>,
    pub status: Option<String>,
    pub author: Option<String>,
    /// The page (from 1) in the pages shown, and how far down it the
    /// heading is (0 to 1).
    pub place: Option<(usize, f64)>,
    /// The commentary file's number in `Rebuild::files`.
    pub file_id: Option<usize>,
    /// (error, message as `check` prints it).
    pub messages: Vec<(bool, String)>,
}

/// The sections of a build's report with their pages and files, and the
/// commentary files they come from, once it got as far as a report.
fn sections(built: &pipeline::Built, cx: &crate::context::Context) -> Option<(Vec<IndexEntry>, Vec<EditableFile>)> {
    let report = built.report.as_ref()?;
    let places = built.laid_out.as_ref().map(|l| l.section_places.clone()).unwrap_or_default();
    let mut files: Vec<EditableFile> = Vec::new();
    let entries = report
        .sections
        .iter()
        .enumerate()
        .map(|(i, section)| {
            let commentary = section.commentary.as_ref();
            let file = commentary.map(|c| cx.sources.name(c.source).to_string());
            let file_id = file.as_ref().map(|name| match files.iter().position(|f| &f.name == name) {
                Some(id) => id,
                None => {
                    // The name is the path the build read it from.
                    let placeholders = built.placeholders.get(i).cloned().unwrap_or_default();
                    files.push(EditableFile { name: name.clone(), path: PathBuf::from(name), placeholders });
                    files.len() - 1
                }
            });
            IndexEntry {
                heading: built.headings.get(i).cloned().unwrap_or_default(),
                unit: section.unit.map(|u| report.units[u].name.clone()),
                file,
                status: commentary.map(|c| crate::keyword::name(c.status).to_string()),
                author: commentary.and_then(|c| c.author.clone()),
                place: places.get(i).copied().flatten(),
                file_id,
                messages: Vec::new(),
            }
        })
        .collect();
    Some((entries, files))
}

/// Each section gets the messages about its commentary file.
fn attach_messages(entries: &mut [IndexEntry], cx: &crate::context::Context) {
    for entry in entries {
        let Some(file) = &entry.file else { continue };
        entry.messages = cx
            .diagnostics
            .iter()
            .filter(|d| d.location.is_some_and(|span| cx.sources.name(span.source) == file))
            .map(|d| {
                let mut one = diagnostic::Diagnostics::default();
                one.push(d.clone());
                (d.is_error(), diagnostic::render_plain(&cx.sources, &one))
            })
            .collect();
    }
}

/// A report under watch.
pub struct Session<'e> {
    builder: Builder<'e>,
    root: PathBuf,
    out: PathBuf,
    options: Options,
    pub preview: Option<Preview>,
    pub last: Option<Rebuild>,
    builds: u64,
    /// The index and files of the last build that got as far as a report.
    sections: Vec<IndexEntry>,
    files: Vec<EditableFile>,
}

impl<'e> Session<'e> {
    pub fn new(engine: &'e Engine, root: &Path, out: &Path, options: Options) -> Session<'e> {
        Session {
            builder: Builder::new(engine),
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            options: Options { preview: true, ..options },
            preview: None,
            last: None,
            builds: 0,
            sections: Vec::new(),
            files: Vec::new(),
        }
    }

    /// Builds the report again from its files. On success the preview and
    /// the PDF in the output folder are replaced; on failure both stay.
    pub fn rebuild(&mut self) -> &Rebuild {
        let started = Instant::now();
        self.builds += 1;
        let (mut cx, project) = pipeline::load(&self.root);
        let mut ok = false;
        let mut preview_ms = 0.0;
        let mut entries = Vec::new();
        if let Some(project) = project {
            let name = format!("{}.pdf", Variant::Whole.pdf_stem(&self.root));
            let output = Output::Write { folder: &self.out, name: &name };
            let built = self.builder.build(&mut cx, &project, &Variant::Whole, &self.options, output, &|_| false);
            // A build that stopped before its report keeps the last index
            // (of the pages still shown), with this build's messages.
            if let Some((sections, files)) = sections(&built, &cx) {
                self.sections = sections;
                self.files = files;
            }
            entries = self.sections.clone();
            attach_messages(&mut entries, &cx);
            if let (Outcome::Written, Some(laid_out), Some(pdf), Some(title)) =
                (built.outcome, built.laid_out, built.pdf, built.title)
            {
                let changes = built.changes.map(|c| (c.since.is_some().then(|| c.count()), c.html(&title)));
                let pages = laid_out.pages;
                preview_ms = started.elapsed().as_secs_f64() * 1000.0;
                self.preview = Some(Preview::new(title, pages, pdf.bytes, changes));
                ok = true;
            }
        }
        self.last.insert(Rebuild {
            number: self.builds,
            ok,
            preview_ms,
            total_ms: started.elapsed().as_secs_f64() * 1000.0,
            errors: cx.diagnostics.errors(),
            warnings: cx.diagnostics.warnings(),
            messages: diagnostic::render_plain(&cx.sources, &cx.diagnostics),
            index: entries,
            files: self.files.clone(),
        })
    }
}

/// The preview page: the report's pages as images beside an index of its
/// sections, the messages of a failed build above them, a line saying how
/// fresh it is, and an editor for a section's commentary. Its script
/// ([`PAGE_SCRIPT`]) follows the server's stream of build numbers: when the
/// build shown is not the latest it fetches the page again and puts the new
/// build's part (`#bygge`) in place of the old, keeping the place the writer
/// was reading and the editor as it is; it says "inaktuell" while the
/// connection is lost (the browser reconnects by itself). Addresses are
/// relative, under the server's token; a page's address names its content
/// ([`page_address`]), so the browser keeps the pages a save did not change
/// and loads only the new ones.
pub fn preview_html(preview: Option<&Preview>, last: Option<&Rebuild>) -> String {
    let title = preview.map_or("Förhandsvisning", |p| p.title.as_str());
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{PAGE_STYLE}</style>\n</head>\n<body>\n\
         <div id=\"inaktuell\" role=\"alert\" hidden>{STALE}</div>\n<div id=\"bygge\">\n",
        escape(title)
    );
    html.push_str(&build_part(preview, last));
    html.push_str("</div>\n");
    html.push_str(EDITOR);
    html.push_str("<script>\n");
    html.push_str(PAGE_SCRIPT);
    html.push_str("</script>\n</body>\n</html>\n");
    html
}

/// The address of page `number` (from 1): `sida/2-<fingerprint>.svg`, the
/// fingerprint of its image, so that the same address always means the
/// same image.
fn page_address(number: usize, page: &Page) -> String {
    format!("sida/{number}-{}.svg", &crate::context::sha256(page.svg.as_bytes())[..16])
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// What a new build replaces: the status line, the messages, the index and
/// the pages, and where each section is for a click on a page.
fn build_part(preview: Option<&Preview>, last: Option<&Rebuild>) -> String {
    let mut html = String::new();
    if let Some(last) = last {
        let status = match (last.ok, preview) {
            (true, _) => format!("Bygge {} klart på {} ms.", last.number, last.preview_ms.round()),
            (false, Some(_)) => format!(
                "Bygge {} misslyckades ({} fel); sidorna nedan är från det senaste lyckade bygget.",
                last.number, last.errors
            ),
            (false, None) => format!(
                "Bygge {} misslyckades ({} fel), och rapporten har inte byggts än: rätta felen nedan, så visas sidorna här.",
                last.number, last.errors
            ),
        };
        let changes = match preview.and_then(|p| p.changes.as_ref()) {
            Some((Some(count), _)) => format!(
                " <a href=\"andringar.html\">{} sedan den senast publicerade</a>",
                crate::swedish::count(*count, "ändring", "ändringar")
            ),
            Some((None, _)) => {
                " <a href=\"andringar.html\">Ändringar: ingen publicerad version att jämföra med</a>".into()
            }
            None => String::new(),
        };
        let pdf = if preview.is_some() { " <a href=\"rapport.pdf\">PDF</a>" } else { "" };
        html.push_str(&format!(
            "<header id=\"status\" data-bygge=\"{}\" data-ok=\"{}\">{status}{pdf}{changes}</header>\n",
            last.number, last.ok
        ));
        if !last.messages.is_empty() {
            let class = if last.errors > 0 { "fel" } else { "varning" };
            html.push_str(&format!("<pre class=\"{class}\">{}</pre>\n", escape(&last.messages)));
        }
    }
    let index = last.map_or(&[][..], |l| l.index.as_slice());
    let messages = |entry: &IndexEntry| -> String {
        entry
            .messages
            .iter()
            .map(|(error, text)| {
                let class = if *error { "fel" } else { "varning" };
                format!("<pre class=\"{class}\">{}</pre>", escape(text))
            })
            .collect()
    };
    html.push_str("<div class=\"rapport\">\n");
    if !index.is_empty() {
        html.push_str("<nav aria-label=\"Rapportens avsnitt\">\n<h2>Avsnitt</h2>\n<ol>\n");
        for entry in index {
            let heading = match (entry.place, preview.is_some()) {
                (Some((page, _)), true) => {
                    format!("<a href=\"#sida-{page}\">{}</a> (sida {page})", escape(&entry.heading))
                }
                _ => escape(&entry.heading),
            };
            let mut details = Vec::new();
            details.extend(entry.unit.as_deref().map(escape));
            details.extend(entry.file.as_deref().map(|f| format!("<span class=\"fil\">{}</span>", escape(f))));
            details.extend(entry.status.as_deref().map(escape));
            details.extend(entry.author.as_deref().map(escape));
            let edit = entry.file_id.map_or(String::new(), |id| {
                format!(
                    "<br><button type=\"button\" class=\"redigera\" data-fil=\"{id}\" data-rubrik=\"{heading}\" aria-label=\"Redigera texten till {heading}\">Redigera texten</button>",
                    heading = escape(&entry.heading)
                )
            });
            html.push_str(&format!("<li>{heading}<br>{}{edit}{}</li>\n", details.join(" · "), messages(entry)));
        }
        html.push_str("</ol>\n</nav>\n");
    }
    html.push_str("<main>\n");
    if last.is_none() {
        html.push_str("<header id=\"status\" data-bygge=\"0\">Rapporten byggs för första gången …</header>\n");
    }
    if let Some(preview) = preview {
        for (i, page) in preview.pages.iter().enumerate() {
            // The messages about a section's file stand on its page too.
            for entry in index.iter().filter(|e| e.place.is_some_and(|(p, _)| p == i + 1)) {
                html.push_str(&messages(entry));
            }
            // The page's size, so the layout (and the place kept across
            // builds) is there before the image has loaded.
            html.push_str(&format!(
                "<img id=\"sida-{n}\" src=\"{}\" width=\"{}\" height=\"{}\" alt=\"Sida {n} av {}\" title=\"Klicka på ett avsnitt för att redigera dess text\">\n",
                preview.addresses[i],
                page.size.0.round(),
                page.size.1.round(),
                preview.pages.len(),
                n = i + 1,
            ));
        }
    }
    html.push_str("</main>\n</div>\n");
    // Where each section starts, for a click on a page.
    let places: Vec<serde_json::Value> = index
        .iter()
        .map(|e| {
            serde_json::json!({
                "rubrik": e.heading,
                "sida": e.place.map(|(page, _)| page),
                "ner": e.place.map(|(_, down)| (down * 1000.0).round() / 1000.0),
                "fil": e.file_id,
            })
        })
        .collect();
    // `<` escaped so that no text can end the script element.
    let places = serde_json::Value::Array(places).to_string().replace('<', "\\u003c");
    html.push_str(&format!("<script type=\"application/json\" id=\"avsnitt\">{places}</script>\n"));
    html
}

const STALE: &str =
    "Inaktuell: kontakten med statusrapport watch är bruten, så sidorna kan vara gamla. Försöker igen …";

const PAGE_STYLE: &str = "\
body { background: #e4e4e4; font-family: 'Liberation Sans', Arial, sans-serif; margin: 0; padding: 1rem; }
body.redigerar { padding-right: 32rem; }
header { color: #2f2f2f; margin-bottom: 1rem; }
.fel, .varning { padding: 0.5rem 1rem; white-space: pre; overflow-x: auto; font-family: monospace; }
.fel { background: #fcc8c8; border-left: 6px solid #700b1b; }
.varning { background: #fff3c4; border-left: 6px dashed #6b4f00; }
.rapport { display: flex; gap: 1rem; align-items: flex-start; }
nav { flex: 0 0 18rem; position: sticky; top: 0; max-height: 100vh; overflow-y: auto; background: #fff; padding: 0.5rem 1rem; font-size: 0.9rem; }
nav li { margin-bottom: 0.6rem; } nav .fil { font-family: monospace; font-size: 0.8rem; color: #2f2f2f; }
main { flex: 1; min-width: 0; }
#inaktuell { position: fixed; top: 0; left: 0; right: 0; z-index: 2; background: #ffe14d; color: #000; border: 3px solid #000; padding: 0.5rem 1rem; font-weight: bold; }
main img { display: block; width: min(100%, 1100px); height: auto; margin: 0 auto 1rem; background: white; box-shadow: 0 1px 4px #0004; cursor: pointer; }
#redigerare { position: fixed; top: 0; right: 0; bottom: 0; width: 30rem; overflow-y: auto; background: #fff; border-left: 3px solid #2f2f2f; padding: 1rem; z-index: 1; }
#redigerare label { display: block; font-weight: bold; margin-top: 0.8rem; }
#redigerare textarea { width: 100%; box-sizing: border-box; height: 45vh; font: 1rem/1.4 'Liberation Sans', Arial, sans-serif; }
#redigerare input, #redigerare select { font-size: 1rem; width: 100%; box-sizing: border-box; }
#redigerare button { font-size: 1rem; margin-top: 1rem; margin-right: 0.5rem; }
#forslag { list-style: none; margin: 0; padding: 0; border: 1px solid #2f2f2f; max-height: 14rem; overflow-y: auto; }
#forslag li { padding: 0.2rem 0.5rem; cursor: pointer; } #forslag li[aria-selected=true] { background: #005fa3; color: #fff; }
#forslag .varde { float: right; margin-left: 1rem; }
#redigera-besked.fel { white-space: normal; font-family: inherit; }
";

/// The editor beside the pages, filled by [`PAGE_SCRIPT`] for the file
/// chosen; kept as it is when a new build replaces the pages.
const EDITOR: &str = "<aside id=\"redigerare\" aria-labelledby=\"redigerare-rubrik\" hidden>
<h2 id=\"redigerare-rubrik\">Redigera texten</h2>
<p>Avsnitt: <strong id=\"redigerare-avsnitt\"></strong><br>Fil: <span class=\"fil\" id=\"redigerare-fil\"></span></p>
<p id=\"redigerare-toml\" hidden>Filen är en TOML-fil: texten sparas i dess nyckel <code>text</code>, och allt annat i filen står kvar.</p>
<form id=\"redigera\">
<label for=\"kommentar-text\">Text</label>
<p id=\"text-hjalp\">Skriv som i filen (Markdown: en rad som börjar med - blir en punkt). Skriv { för att hämta en siffra ur datat.</p>
<textarea id=\"kommentar-text\" spellcheck=\"true\" role=\"combobox\" aria-autocomplete=\"list\" aria-controls=\"forslag\" aria-expanded=\"false\" aria-describedby=\"text-hjalp\"></textarea>
<ul id=\"forslag\" role=\"listbox\" aria-label=\"Platshållare med sina värden\" hidden></ul>
<label for=\"kommentar-status\">Status</label>
<select id=\"kommentar-status\"><option value=\"utkast\">utkast</option><option value=\"granskad\">granskad</option></select>
<p id=\"godkand-info\" hidden>Texten är godkänd. Ändrar du den räknas den som ändrad efter godkännandet och behöver godkännas igen (statusrapport godkann).</p>
<label for=\"kommentar-forfattare\">Författare</label>
<input id=\"kommentar-forfattare\" type=\"text\" autocomplete=\"name\">
<button type=\"submit\" id=\"spara\">Spara</button><button type=\"button\" id=\"stang\">Stäng</button>
</form>
<p id=\"redigera-besked\" role=\"status\" aria-live=\"polite\"></p>
<div id=\"redigerare-meddelanden\" aria-label=\"Meddelanden om filen\"></div>
</aside>
";

/// The page's script: follows the build numbers, swaps in new builds, and
/// runs the editor.
const PAGE_SCRIPT: &str = include_str!("watch/preview.js");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_build_shows_its_messages_above_the_last_good_pages() {
        let preview = Preview::new(
            "Rapport <1>".into(),
            vec![Page { svg: "<svg/>".into(), size: (595.3, 841.9) }; 2],
            Vec::new(),
            Some((Some(3), String::new())),
        );
        let last = Rebuild {
            number: 3,
            ok: false,
            preview_ms: 0.0,
            total_ms: 5.0,
            errors: 1,
            warnings: 0,
            messages: "fel: okänd platshållare `{x}`".into(),
            index: vec![IndexEntry {
                heading: "Ekonomi".into(),
                unit: Some("VC Halland".into()),
                file: Some("k.md".into()),
                status: Some("utkast".into()),
                author: Some("Karin Ek".into()),
                place: Some((2, 0.25)),
                file_id: Some(0),
                messages: vec![(false, "varning: x".into())],
            }],
            files: Vec::new(),
        };
        let html = preview_html(Some(&preview), Some(&last));
        assert!(html.contains("<title>Rapport &lt;1&gt;</title>"));
        assert!(html.contains("Bygge 3 misslyckades (1 fel)"));
        assert!(html.contains("<pre class=\"fel\">fel: okänd platshållare `{x}`</pre>"));
        assert!(
            html.contains(
                "<img id=\"sida-2\" src=\"sida/2-d4dc56669143034f.svg\" width=\"595\" height=\"842\" alt=\"Sida 2 av 2\""
            ),
            "{html}"
        );
        assert!(html.contains("<a href=\"#sida-2\">Ekonomi</a> (sida 2)<br>VC Halland · <span class=\"fil\">k.md</span> · utkast · Karin Ek<br><button type=\"button\" class=\"redigera\" data-fil=\"0\" data-rubrik=\"Ekonomi\" aria-label=\"Redigera texten till Ekonomi\">Redigera texten</button><pre class=\"varning\">varning: x</pre></li>"), "{html}");
        assert!(html.contains("<script type=\"application/json\" id=\"avsnitt\">[{\"fil\":0,\"ner\":0.25,\"rubrik\":\"Ekonomi\",\"sida\":2}]</script>"), "{html}");
        assert_eq!(html.matches("<pre class=\"varning\">varning: x</pre>").count(), 2, "in the index and on its page");
        assert!(html.contains("<a href=\"andringar.html\">3 ändringar sedan den senast publicerade</a>"), "{html}");
        assert!(html.contains("new EventSource(\"__events\")"), "{html}");
        let never_built = preview_html(None, Some(&last));
        assert!(never_built.contains("rapporten har inte byggts än") && !never_built.contains("rapport.pdf"));
    }
}

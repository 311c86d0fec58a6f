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
    /// One SVG per page.
    pub pages: Vec<String>,
    pub pdf: Vec<u8>,
    /// What changed since the last published build: the count (`None` if
    /// there is none to compare with) and the list as a page.
    pub changes: Option<(Option<usize>, String)>,
}

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
    /// The page (from 1) in the pages shown.
    pub page: Option<usize>,
    /// (error, message as `check` prints it).
    pub messages: Vec<(bool, String)>,
}

/// The sections of a build's report with their pages and files, once it
/// got as far as a report.
fn sections(built: &pipeline::Built, cx: &crate::context::Context) -> Option<Vec<IndexEntry>> {
    let report = built.report.as_ref()?;
    let pages = built.document.as_ref().map(|d| crate::render::section_pages(d, &built.headings)).unwrap_or_default();
    let entries = report
        .sections
        .iter()
        .enumerate()
        .map(|(i, section)| {
            let commentary = section.commentary.as_ref();
            IndexEntry {
                heading: built.headings.get(i).cloned().unwrap_or_default(),
                unit: section.unit.map(|u| report.units[u].name.clone()),
                file: commentary.map(|c| cx.sources.name(c.source).to_string()),
                status: commentary.map(|c| crate::keyword::name(c.status).to_string()),
                author: commentary.and_then(|c| c.author.clone()),
                page: pages.get(i).copied().flatten(),
                messages: Vec::new(),
            }
        })
        .collect();
    Some(entries)
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
    /// The index of the last build that got as far as a report.
    sections: Vec<IndexEntry>,
}

impl<'e> Session<'e> {
    pub fn new(engine: &'e Engine, root: &Path, out: &Path, options: Options) -> Session<'e> {
        Session {
            builder: Builder::new(engine),
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            options,
            preview: None,
            last: None,
            builds: 0,
            sections: Vec::new(),
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
            if let Some(sections) = sections(&built, &cx) {
                self.sections = sections;
            }
            entries = self.sections.clone();
            attach_messages(&mut entries, &cx);
            if let (Outcome::Written, Some(document), Some(pdf), Some(title)) =
                (built.outcome, built.document, built.pdf, built.title)
            {
                let changes = built.changes.map(|c| (c.since.is_some().then(|| c.count()), c.html(&title)));
                let options = typst_svg::SvgOptions::default();
                let pages: Vec<String> = document.pages().iter().map(|page| typst_svg::svg(page, &options)).collect();
                preview_ms = started.elapsed().as_secs_f64() * 1000.0;
                self.preview = Some(Preview { title, pages, pdf: pdf.bytes, changes });
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
        })
    }
}

/// The preview page: the report's pages as images, the messages of a failed
/// build above them, and a line saying how fresh it is. Its script follows
/// the server's stream of build numbers: it reloads the page when the build
/// shown is not the latest, and says "inaktuell" while the connection is
/// lost (the browser reconnects by itself). Addresses are relative, under
/// the server's token; page addresses carry the build number
/// (`bygge/3/sida/1.svg`), so a reload never shows a cached page.
pub fn preview_html(preview: Option<&Preview>, last: Option<&Rebuild>) -> String {
    let escape = |text: &str| text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let title = preview.map_or("Förhandsvisning", |p| p.title.as_str());
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n\
         body {{ background: #e4e4e4; font-family: 'Liberation Sans', Arial, sans-serif; margin: 0; padding: 1rem; }}\n\
         header {{ color: #2f2f2f; margin-bottom: 1rem; }}\n\
         .fel, .varning {{ padding: 0.5rem 1rem; white-space: pre; overflow-x: auto; font-family: monospace; }}\n\
         .fel {{ background: #fcc8c8; border-left: 6px solid #700b1b; }}\n\
         .varning {{ background: #fff3c4; border-left: 6px dashed #6b4f00; }}\n\
         .rapport {{ display: flex; gap: 1rem; align-items: flex-start; }}\n\
         nav {{ flex: 0 0 18rem; position: sticky; top: 0; max-height: 100vh; overflow-y: auto; background: #fff; padding: 0.5rem 1rem; font-size: 0.9rem; }}\n\
         nav li {{ margin-bottom: 0.6rem; }} nav .fil {{ font-family: monospace; font-size: 0.8rem; color: #2f2f2f; }}\n\
         main {{ flex: 1; min-width: 0; }}\n\
         #inaktuell {{ position: sticky; top: 0; z-index: 1; background: #ffe14d; color: #000; border: 3px solid #000; padding: 0.5rem 1rem; font-weight: bold; margin-bottom: 1rem; }}\n\
         img {{ display: block; width: min(100%, 1100px); margin: 0 auto 1rem; background: white; box-shadow: 0 1px 4px #0004; }}\n\
         </style>\n</head>\n<body>\n\
         <div id=\"inaktuell\" role=\"alert\" hidden>Inaktuell: kontakten med statusrapport watch är bruten, så sidorna kan vara gamla. Försöker igen …</div>\n",
        escape(title)
    );
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
            let heading = match (entry.page, preview.is_some()) {
                (Some(page), true) => format!("<a href=\"#sida-{page}\">{}</a> (sida {page})", escape(&entry.heading)),
                _ => escape(&entry.heading),
            };
            let mut details = Vec::new();
            details.extend(entry.unit.as_deref().map(escape));
            details.extend(entry.file.as_deref().map(|f| format!("<span class=\"fil\">{}</span>", escape(f))));
            details.extend(entry.status.as_deref().map(escape));
            details.extend(entry.author.as_deref().map(escape));
            html.push_str(&format!("<li>{heading}<br>{}{}</li>\n", details.join(" · "), messages(entry)));
        }
        html.push_str("</ol>\n</nav>\n");
    }
    html.push_str("<main>\n");
    if last.is_none() {
        html.push_str("<header id=\"status\" data-bygge=\"0\">Rapporten byggs för första gången …</header>\n");
    }
    if let Some(preview) = preview {
        let version = last.map_or(0, |l| l.number);
        for (i, _) in preview.pages.iter().enumerate() {
            // The messages about a section's file stand on its page too.
            for entry in index.iter().filter(|e| e.page == Some(i + 1)) {
                html.push_str(&messages(entry));
            }
            html.push_str(&format!(
                "<img id=\"sida-{}\" src=\"bygge/{version}/sida/{}.svg\" alt=\"Sida {} av {}\">\n",
                i + 1,
                i + 1,
                i + 1,
                preview.pages.len()
            ));
        }
    }
    html.push_str("</main>\n</div>\n");
    html.push_str(RELOAD_SCRIPT);
    html.push_str("</body>\n</html>\n");
    html
}

/// Follows the server's build numbers (`preview_server::EVENTS`).
const RELOAD_SCRIPT: &str = "<script>\n(() => {\n\
  const shown = document.getElementById('status')?.dataset.bygge ?? '0';\n\
  const stale = document.getElementById('inaktuell');\n\
  const events = new EventSource('__events');\n\
  events.addEventListener('bygge', (event) => {\n\
    if (event.data === shown) { stale.hidden = true; return; }\n\
    stale.textContent = 'Inaktuell: ett nyare bygge finns; laddar om …';\n\
    stale.hidden = false;\n\
    location.reload();\n\
  });\n\
  events.onerror = () => { stale.hidden = false; };\n\
})();\n</script>\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_build_shows_its_messages_above_the_last_good_pages() {
        let preview = Preview {
            title: "Rapport <1>".into(),
            pages: vec!["<svg/>".into(); 2],
            pdf: Vec::new(),
            changes: Some((Some(3), String::new())),
        };
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
                page: Some(2),
                messages: vec![(false, "varning: x".into())],
            }],
        };
        let html = preview_html(Some(&preview), Some(&last));
        assert!(html.contains("<title>Rapport &lt;1&gt;</title>"));
        assert!(html.contains("Bygge 3 misslyckades (1 fel)"));
        assert!(html.contains("<pre class=\"fel\">fel: okänd platshållare `{x}`</pre>"));
        assert!(html.contains("<img id=\"sida-2\" src=\"bygge/3/sida/2.svg\" alt=\"Sida 2 av 2\">"), "{html}");
        assert!(html.contains("<a href=\"#sida-2\">Ekonomi</a> (sida 2)<br>VC Halland · <span class=\"fil\">k.md</span> · utkast · Karin Ek<pre class=\"varning\">varning: x</pre></li>"), "{html}");
        assert_eq!(html.matches("<pre class=\"varning\">varning: x</pre>").count(), 2, "in the index and on its page");
        assert!(html.contains("<a href=\"andringar.html\">3 ändringar sedan den senast publicerade</a>"), "{html}");
        assert!(html.contains("new EventSource('__events')"), "{html}");
        let never_built = preview_html(None, Some(&last));
        assert!(never_built.contains("rapporten har inte byggts än") && !never_built.contains("rapport.pdf"));
    }
}

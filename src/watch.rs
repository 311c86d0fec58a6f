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
        if let Some(project) = project {
            let name = format!("{}.pdf", Variant::Whole.pdf_stem(&self.root));
            let output = Output::Write { folder: &self.out, name: &name };
            let built = self.builder.build(&mut cx, &project, &Variant::Whole, &self.options, output, &|_| false);
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
         .fel {{ background: #fcc8c8; border-left: 6px solid #700b1b; padding: 0.5rem 1rem; white-space: pre; overflow-x: auto; font-family: monospace; }}\n\
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
            html.push_str(&format!("<pre class=\"fel\">{}</pre>\n", escape(&last.messages)));
        }
    }
    if last.is_none() {
        html.push_str("<header id=\"status\" data-bygge=\"0\">Rapporten byggs för första gången …</header>\n");
    }
    if let Some(preview) = preview {
        let version = last.map_or(0, |l| l.number);
        for (i, _) in preview.pages.iter().enumerate() {
            html.push_str(&format!(
                "<img src=\"bygge/{version}/sida/{}.svg\" alt=\"Sida {} av {}\">\n",
                i + 1,
                i + 1,
                preview.pages.len()
            ));
        }
    }
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
        };
        let html = preview_html(Some(&preview), Some(&last));
        assert!(html.contains("<title>Rapport &lt;1&gt;</title>"));
        assert!(html.contains("Bygge 3 misslyckades (1 fel)"));
        assert!(html.contains("<pre class=\"fel\">fel: okänd platshållare `{x}`</pre>"));
        assert!(html.contains("<img src=\"bygge/3/sida/2.svg\" alt=\"Sida 2 av 2\">"));
        assert!(html.contains("<a href=\"andringar.html\">3 ändringar sedan den senast publicerade</a>"), "{html}");
        assert!(html.contains("new EventSource('__events')"), "{html}");
        let never_built = preview_html(None, Some(&last));
        assert!(never_built.contains("rapporten har inte byggts än") && !never_built.contains("rapport.pdf"));
    }
}

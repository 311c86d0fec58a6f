//! What changed since the last published report, for the nämndsekreterare's
//! review before the report goes to the nämnd: figures in tables, key
//! figures and charts, commentary paragraphs added, removed or changed, and
//! the texts' status.
//!
//! A publishing build (`--publicera`) keeps the report's content as read,
//! every figure formatted as printed, beside the PDF (`<rapport>.innehall.json`).
//! Every build that writes the PDF compares with it and writes the list
//! beside the PDF as accessible HTML (`<rapport>.andringar.html`).
//!
//! Figures and texts are matched by their place (section, table or chart,
//! row, column), not by headings, which often name the month.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::chart::RenderedChart;
use crate::context::Context;
use crate::model::Report;
use crate::render::document::{BlockData, Document, TableData};

/// A report's content as a reader sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Fingerprint of the inputs of the build it was taken from.
    pub indata_sha256: String,
    /// `september 2023`, or the report's date.
    pub period: String,
    pub figures: Vec<Figure>,
    /// Per section, its commentary's paragraphs (list items as `• …`).
    pub texts: Vec<SectionText>,
    /// Commentary file → status.
    pub statuses: BTreeMap<String, String>,
}

/// One printed figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Where it stands, independent of headings: `2/diagram/1/jan/Utfall`.
    pub key: String,
    /// Where it stands, for people: `Ekonomi › Resultat › jan › Utfall`.
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionText {
    pub key: String,
    pub heading: String,
    pub paragraphs: Vec<String>,
}

impl Snapshot {
    /// The content of a built report.
    pub fn of(
        digest: &str,
        data: &Document,
        charts: &[Vec<(String, RenderedChart)>],
        report: &Report,
        cx: &Context,
    ) -> Snapshot {
        let mut figures = Vec::new();
        let mut texts = Vec::new();
        for (index, section) in data.sections.iter().enumerate() {
            let key = (index + 1).to_string();
            let heading = &section.heading;
            if let Some(table) = &section.table {
                let title = table.title.as_deref().unwrap_or("tabell");
                table_figures(&mut figures, &format!("{key}/tabell"), &format!("{heading} › {title}"), table);
            }
            for (k, figure) in section.key_figures.iter().enumerate() {
                figures.push(Figure {
                    key: format!("{key}/nyckeltal/{}", k + 1),
                    label: format!("{heading} › {}", figure.heading),
                    value: figure.value.clone(),
                });
            }
            for (k, (_, chart)) in charts.get(index).into_iter().flatten().enumerate() {
                let table = &chart.table;
                let headers: Vec<Vec<String>> = table.headers.iter().map(|h| vec![h.clone()]).collect();
                let as_table = TableData {
                    title: None,
                    note: None,
                    headers,
                    rows: table.rows.clone(),
                    total: None,
                    numeric: Vec::new(),
                };
                let label = format!("{heading} › {}", chart.title);
                table_figures(&mut figures, &format!("{key}/diagram/{}", k + 1), &label, &as_table);
            }
            let mut paragraphs = Vec::new();
            flatten(&section.commentary, "", &mut paragraphs);
            if !paragraphs.is_empty() {
                texts.push(SectionText { key, heading: heading.clone(), paragraphs });
            }
        }
        let statuses = report
            .commentaries()
            .map(|c| (cx.sources.name(c.source).to_string(), crate::keyword::name(c.status).to_string()))
            .collect();
        Snapshot {
            indata_sha256: digest.to_string(),
            period: data.period_long.clone().unwrap_or_else(|| data.date_long.clone()),
            figures,
            texts,
            statuses,
        }
    }
}

/// Each cell after the first column, placed by row and column.
fn table_figures(figures: &mut Vec<Figure>, key: &str, label: &str, table: &TableData) {
    let header = |column: usize| table.headers.get(column).map(|lines| lines.join(" ")).unwrap_or_default();
    for row in table.rows.iter().chain(&table.total) {
        let Some(name) = row.first() else { continue };
        for (column, value) in row.iter().enumerate().skip(1) {
            let column_name = header(column);
            figures.push(Figure {
                key: format!("{key}/{name}/{column_name}"),
                label: format!("{label} › {name} › {column_name}"),
                value: value.clone(),
            });
        }
    }
}

/// Paragraph texts, list items marked with `•` and indented by level.
fn flatten(blocks: &[BlockData], indent: &str, out: &mut Vec<String>) {
    for block in blocks {
        match block {
            BlockData::Paragraph { runs, .. } => {
                let text: String = runs.iter().map(|r| if r.line_break { " " } else { r.text.as_str() }).collect();
                out.push(format!("{indent}{}", text.trim()));
            }
            BlockData::List { items, .. } => {
                for item in items {
                    let mut inner = Vec::new();
                    flatten(item, "", &mut inner);
                    let mut inner = inner.into_iter();
                    if let Some(first) = inner.next() {
                        out.push(format!("{indent}• {first}"));
                    }
                    out.extend(inner.map(|rest| format!("{indent}  {rest}")));
                }
            }
        }
    }
}

/// What changed between two snapshots.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    /// The published report compared with; `None` if none was.
    pub since: Option<String>,
    /// Label, before, after (`None`: not in that version).
    pub figures: Vec<(String, Option<String>, Option<String>)>,
    /// Section heading, before, after (`None`: added or removed).
    pub paragraphs: Vec<(String, Option<String>, Option<String>)>,
    /// File, before, after.
    pub statuses: Vec<(String, Option<String>, Option<String>)>,
}

impl Changes {
    pub fn between(before: Option<&Snapshot>, after: &Snapshot) -> Changes {
        let Some(before) = before else { return Changes::default() };
        let old: BTreeMap<&str, &Figure> = before.figures.iter().map(|f| (f.key.as_str(), f)).collect();
        let new: BTreeMap<&str, &Figure> = after.figures.iter().map(|f| (f.key.as_str(), f)).collect();
        let mut figures = Vec::new();
        for figure in &after.figures {
            match old.get(figure.key.as_str()) {
                Some(was) if was.value == figure.value => {}
                was => figures.push((figure.label.clone(), was.map(|w| w.value.clone()), Some(figure.value.clone()))),
            }
        }
        for figure in before.figures.iter().filter(|f| !new.contains_key(f.key.as_str())) {
            figures.push((figure.label.clone(), Some(figure.value.clone()), None));
        }

        let mut paragraphs = Vec::new();
        let old_texts: BTreeMap<&str, &SectionText> = before.texts.iter().map(|t| (t.key.as_str(), t)).collect();
        for text in &after.texts {
            let was = old_texts.get(text.key.as_str()).map_or(&[][..], |t| t.paragraphs.as_slice());
            for (removed, added) in diff(was, &text.paragraphs) {
                paragraphs.push((text.heading.clone(), removed, added));
            }
        }
        for text in before.texts.iter().filter(|t| !after.texts.iter().any(|a| a.key == t.key)) {
            paragraphs.extend(text.paragraphs.iter().map(|p| (text.heading.clone(), Some(p.clone()), None)));
        }

        let mut statuses = Vec::new();
        for (file, status) in &after.statuses {
            let was = before.statuses.get(file);
            if was != Some(status) {
                statuses.push((file.clone(), was.cloned(), Some(status.clone())));
            }
        }
        for (file, status) in before.statuses.iter().filter(|(file, _)| !after.statuses.contains_key(*file)) {
            statuses.push((file.clone(), Some(status.clone()), None));
        }
        Changes { since: Some(before.period.clone()), figures, paragraphs, statuses }
    }

    pub fn count(&self) -> usize {
        self.figures.len() + self.paragraphs.len() + self.statuses.len()
    }

    /// The list as an accessible HTML page (Swedish, headings, tables with
    /// header cells), for the review and the preview.
    pub fn html(&self, title: &str) -> String {
        let mut html = format!(
            "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>Ändringar: {title}</title>\n<style>\n\
             body {{ font-family: 'Liberation Sans', Arial, sans-serif; color: #1f1f1f; max-width: 60rem; margin: 1rem auto; padding: 0 1rem; line-height: 1.4; }}\n\
             table {{ border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; }}\n\
             th, td {{ border: 1px solid #8a8a8a; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }}\n\
             th {{ background: #e8eef4; }}\n\
             del {{ color: #700b1b; }} ins {{ color: #1b5e20; text-decoration: none; font-weight: bold; }}\n\
             </style>\n</head>\n<body>\n<main>\n<h1>Ändringar i {title}</h1>\n",
            title = escape(title)
        );
        let Some(since) = &self.since else {
            html.push_str(
                "<p>Ingen tidigare publicerad version av rapporten finns att jämföra med. \
                 När rapporten publiceras (<code>statusrapport build --publicera</code>) sparas dess innehåll, \
                 och nästa bygge visar vad som har ändrats sedan dess.</p>\n</main>\n</body>\n</html>\n",
            );
            return html;
        };
        html.push_str(&format!(
            "<p>Jämfört med den senast publicerade versionen ({}): {}.</p>\n",
            escape(since),
            match self.count() {
                0 => "inga ändringar".to_string(),
                n => crate::swedish::count(n, "ändring", "ändringar"),
            }
        ));
        let cell = |value: &Option<String>, tag: &str| match value {
            Some(value) => format!("<{tag}>{}</{tag}>", escape(value)),
            None => "<span>finns inte</span>".to_string(),
        };
        let sections = [
            ("Siffror", "Var", "Före", "Nu", &self.figures),
            ("Texter", "Avsnitt", "Före", "Nu", &self.paragraphs),
            ("Status för texterna", "Fil", "Före", "Nu", &self.statuses),
        ];
        for (heading, place, before, after, rows) in sections {
            html.push_str(&format!("<h2>{heading}</h2>\n"));
            if rows.is_empty() {
                html.push_str("<p>Inga ändringar.</p>\n");
                continue;
            }
            html.push_str(&format!(
                "<table>\n<caption>{heading}: {}</caption>\n<thead><tr><th scope=\"col\">{place}</th><th scope=\"col\">{before}</th><th scope=\"col\">{after}</th></tr></thead>\n<tbody>\n",
                crate::swedish::count(rows.len(), "ändring", "ändringar")
            ));
            for (label, was, now) in rows {
                html.push_str(&format!(
                    "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>\n",
                    escape(label),
                    cell(was, "del"),
                    cell(now, "ins")
                ));
            }
            html.push_str("</tbody>\n</table>\n");
        }
        html.push_str("</main>\n</body>\n</html>\n");
        html
    }
}

/// How long the comparison of one section's text may take; past it the
/// rest is compared more coarsely (a text of thousands of paragraphs, all
/// changed).
const DIFF_TIME: Duration = Duration::from_millis(200);

/// Paragraph changes from `before` to `after`: (removed, added) pairs, a
/// removal followed by an addition at the same place shown as one change.
/// Myers' diff, in time and memory that follow the number of changes, not
/// the length of the text.
fn diff(before: &[String], after: &[String]) -> Vec<(Option<String>, Option<String>)> {
    let deadline = Instant::now() + DIFF_TIME;
    let ops = similar::capture_diff_slices_deadline(similar::Algorithm::Myers, before, after, Some(deadline));
    let mut changes = Vec::new();
    for op in ops {
        let (tag, old, new) = op.as_tag_tuple();
        if tag != similar::DiffTag::Equal {
            changes.extend(paired(before[old].to_vec(), after[new].to_vec()));
        }
    }
    changes
}

/// Removed and added paragraphs at one place, as changes in order.
fn paired(removed: Vec<String>, added: Vec<String>) -> Vec<(Option<String>, Option<String>)> {
    let pairs = removed.len().max(added.len());
    let (mut r, mut a) = (removed.into_iter(), added.into_iter());
    (0..pairs).map(|_| (r.next(), a.next())).collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The file names beside a PDF `name` (`a/b.pdf`): its content
/// (`a/b.innehall.json`) and its list of changes (`a/b.andringar.html`).
pub fn file_names(name: &str) -> (String, String) {
    let stem = name.strip_suffix(".pdf").unwrap_or(name);
    (format!("{stem}.innehall.json"), format!("{stem}.andringar.html"))
}

/// The content of the last published build of PDF `name` in `folder`.
pub fn published(folder: &Path, name: &str) -> Option<Snapshot> {
    let bytes = std::fs::read(folder.join(file_names(name).0)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Writes the list of changes beside PDF `name`, atomically.
pub fn write_list(folder: &Path, name: &str, changes: &Changes, title: &str) -> std::io::Result<()> {
    crate::publish::write_atomically(folder, &file_names(name).1, changes.html(title).as_bytes()).map(|_| ())
}

/// Keeps a published build's content beside its PDF, for the next builds
/// to compare with.
pub fn keep(folder: &Path, name: &str, snapshot: &Snapshot) -> std::io::Result<()> {
    let json = serde_json::to_vec_pretty(snapshot).expect("a snapshot serialises");
    crate::publish::write_atomically(folder, &file_names(name).0, &json).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(figures: &[(&str, &str)], paragraphs: &[&str], status: &str) -> Snapshot {
        Snapshot {
            indata_sha256: String::new(),
            period: "september 2023".into(),
            figures: figures
                .iter()
                .map(|(key, value)| Figure {
                    key: key.to_string(),
                    label: format!("Ekonomi › {key}"),
                    value: value.to_string(),
                })
                .collect(),
            texts: vec![SectionText {
                key: "1".into(),
                heading: "Ekonomi".into(),
                paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            }],
            statuses: BTreeMap::from([("k.md".to_string(), status.to_string())]),
        }
    }

    #[test]
    fn a_long_text_is_compared_in_bounded_memory() {
        let before: Vec<String> = (0..50_000).map(|i| format!("Stycke {i}.")).collect();
        let mut after = before.clone();
        after[25_000] = "Ändrat stycke.".into();
        after.insert(100, "Nytt stycke.".into());
        let changes = diff(&before, &after);
        assert_eq!(
            changes,
            [(None, Some("Nytt stycke.".into())), (Some("Stycke 25000.".into()), Some("Ändrat stycke.".into()))]
        );
        // Everything changed: listed in order, in bounded time and memory.
        let other: Vec<String> = (0..50_000).map(|i| format!("Annat {i}.")).collect();
        let changes = diff(&before, &other);
        assert_eq!(changes.len(), 50_000);
        assert_eq!(changes[7], (Some("Stycke 7.".into()), Some("Annat 7.".into())));
    }

    #[test]
    fn changed_figures_paragraphs_and_statuses_are_listed() {
        let before = snapshot(&[("a", "1,0"), ("b", "2,0"), ("c", "3,0")], &["Ett.", "Två.", "Tre."], "godkänd");
        let after =
            snapshot(&[("a", "1,0"), ("b", "2,5"), ("d", "4,0")], &["Ett.", "Två, ändrad.", "Tre.", "Fyra."], "utkast");
        let changes = Changes::between(Some(&before), &after);
        assert_eq!(
            changes.figures,
            [
                ("Ekonomi › b".into(), Some("2,0".into()), Some("2,5".into())),
                ("Ekonomi › d".into(), None, Some("4,0".into())),
                ("Ekonomi › c".into(), Some("3,0".into()), None),
            ]
        );
        assert_eq!(
            changes.paragraphs,
            [
                ("Ekonomi".into(), Some("Två.".into()), Some("Två, ändrad.".into())),
                ("Ekonomi".into(), None, Some("Fyra.".into())),
            ]
        );
        assert_eq!(changes.statuses, [("k.md".into(), Some("godkänd".into()), Some("utkast".into()))]);
        let html = changes.html("Statusrapport <NSH>");
        assert!(html.contains("<html lang=\"sv\">") && html.contains("Statusrapport &lt;NSH&gt;"));
        assert!(
            html.contains("<th scope=\"row\">Ekonomi › b</th><td><del>2,0</del></td><td><ins>2,5</ins></td>"),
            "{html}"
        );
        assert!(html.contains("6 ändringar"), "{html}");
        assert_eq!(Changes::between(Some(&after), &after).count(), 0);
        assert!(Changes::between(None, &after).html("R").contains("Ingen tidigare publicerad version"));
    }
}

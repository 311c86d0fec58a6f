//! Next month in one command (`statusrapport ny-period MAPP 2023-10`): the
//! report's `period` and `datum` move, every commentary gets the new
//! `period` and goes back to `utkast` with last month's text kept for its
//! writer to revise, and what is left to do is listed: texts that name last
//! month, and figures the data files do not have yet for the new month.
//!
//! Every file is planned before any is written, and each is edited with
//! toml_edit (comments, order and layout kept) and written atomically.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{Months, NaiveDate};

use crate::commentary_file::{self, Layout, set_keeping_comment};
use crate::config::REPORT_FILE;
use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::error::io_reason;
use crate::load;
use crate::period::{Frequency, Month};
use crate::swedish;

/// The keys `statusrapport godkann` writes, removed with the approval.
const APPROVAL_KEYS: [&str; 3] = ["godkand_av", "godkand_datum", "godkand_kontrollsumma"];

/// The files to write and what to tell the user.
pub struct NextPeriod {
    pub from: Month,
    pub to: Month,
    /// Path → new contents.
    pub files: Vec<(PathBuf, String)>,
    /// What was changed, one line each.
    pub done: Vec<String>,
    /// What the writers and the secretariat still have to do.
    pub todo: Vec<String>,
}

/// Plans moving the project at `cx.root` to month `to`; problems are
/// reported to `cx` and nothing is planned.
pub fn plan(cx: &mut Context, to: Month) -> Option<NextPeriod> {
    let project = load::load(cx)?;
    if cx.diagnostics.has_errors() {
        return None;
    }
    let config = &project.config;
    let Some(from) = config.period.as_ref().and_then(|p| Month::parse(p.as_str())) else {
        cx.report(
            Diagnostic::error("rapporten har ingen period att flytta")
                .in_file(&cx.root.join(REPORT_FILE))
                .hint("skriv period = \"ÅÅÅÅ-MM\" i rapport.toml"),
        );
        return None;
    };
    if from == to {
        cx.report(Diagnostic::error(format!("rapporten gäller redan {}", to.long_name())));
        return None;
    }
    let mut next = NextPeriod { from, to, files: Vec::new(), done: Vec::new(), todo: Vec::new() };

    // rapport.toml: period, and datum as many months on.
    let report_path = cx.root.join(REPORT_FILE);
    // The report file's text, as registered when it was loaded.
    let report_text = cx.sources.text(config.typ.span.source).to_string();
    let shifted = config.datum.as_ref().and_then(|d| {
        let date = NaiveDate::parse_from_str(d.as_str().trim(), "%Y-%m-%d").ok()?;
        let months = from.months_until(to);
        let moved = if months > 0 {
            date.checked_add_months(Months::new(months as u32))
        } else {
            date.checked_sub_months(Months::new(months.unsigned_abs() as u32))
        }?;
        Some((date, moved))
    });
    let edited = commentary_file::edit(&report_text, &Layout::Toml, |document| {
        set_keeping_comment(document, "period", &to.to_string());
        if let Some((_, moved)) = shifted {
            set_keeping_comment(document, "datum", &moved.to_string());
        }
    })
    .expect("rapport.toml parsed when it was loaded");
    next.files.push((report_path, edited));
    next.done.push(match shifted {
        Some((date, moved)) => format!("{REPORT_FILE}: period {from} → {to}, datum {date} → {moved}"),
        None => format!("{REPORT_FILE}: period {from} → {to}"),
    });
    for (line, _) in naming_month(&report_text, from).filter(|(_, text)| !is_period_key(text)) {
        next.todo.push(format!(
            "{REPORT_FILE}:{line} nämner {}: skriv om eller använd {{period}} eller {{månad}}",
            month_word(from)
        ));
    }

    // Every commentary: new period, back to draft, text kept.
    let mut seen = std::collections::BTreeSet::new();
    for (written, loaded) in &project.commentaries {
        if !seen.insert(loaded.source) {
            continue;
        }
        let Ok(path) = load::resolve_inside(&cx.root, written) else { continue };
        let text = cx.sources.text(loaded.source).to_string();
        let edited = commentary_file::edit(&text, &loaded.layout, |document| {
            set_keeping_comment(document, "period", &to.to_string());
            set_keeping_comment(document, "status", "utkast");
            for key in APPROVAL_KEYS {
                document.remove(key);
            }
        })
        .expect("the commentary's TOML parsed when it was loaded");
        let was = loaded.file.status.as_ref().map_or("utkast".to_string(), |s| s.as_str().trim().to_string());
        next.done.push(format!("{written}: period {to}, status utkast (var {was})"));
        // In a Markdown file only the text below the front matter.
        let (lines_before, searched) = match &loaded.layout {
            Layout::Markdown { body, .. } => (text[..body.start].matches('\n').count(), &text[body.clone()]),
            Layout::Toml => (0, text.as_str()),
        };
        for (line, _) in naming_month(searched, from).filter(|(_, line)| !is_period_key(line)) {
            next.todo.push(format!(
                "{written}:{} nämner {}: skriv om texten för {}",
                line + lines_before,
                month_word(from),
                to.long_name()
            ));
        }
        next.files.push((path, edited));
    }

    // Figures: series that have last month but not the new one.
    let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (metric, unit) in project.data.keys() {
        let Some(series) = project.data.series(metric, unit) else { continue };
        if series.frequency != Frequency::Monthly || series.get(to).is_some() {
            continue;
        }
        let Some(last) = series.get(from) else { continue };
        let file = cx.sources.name(last.origin.source).to_string();
        missing.entry(file).or_default().push(format!("{metric} för {unit}"));
    }
    for (file, mut series) in missing {
        series.sort();
        let file = PathBuf::from(&file);
        let file = crate::diagnostic::slashed(file.strip_prefix(&cx.root).unwrap_or(&file));
        next.todo.push(format!("{file}: siffror för {} saknas ({})", to.long_name(), abbreviated(&series)));
    }
    Some(next)
}

/// Writes the planned files, each atomically; the first failure is
/// reported and stops.
pub fn write(cx: &mut Context, next: &NextPeriod) -> bool {
    for (path, text) in &next.files {
        let (folder, name) = (path.parent().unwrap_or(&cx.root), path.file_name().unwrap_or_default());
        if let Err(error) = crate::publish::write_atomically(folder, &name.to_string_lossy(), text.as_bytes()) {
            cx.report(Diagnostic::error(format!("filen kan inte skrivas: {}", io_reason(&error))).in_file(path));
            return false;
        }
    }
    true
}

/// `september`, as last month is named in running text.
fn month_word(month: Month) -> String {
    swedish::month_name(month.month).to_string()
}

/// The lines (1-based, with their text) that name `month`: its Swedish name
/// as a word, or `2023-09`. Comment lines are left out.
fn naming_month(text: &str, month: Month) -> impl Iterator<Item = (usize, &str)> {
    let name = month_word(month);
    let code = month.to_string();
    text.lines().enumerate().filter_map(move |(i, line)| {
        let lower = line.to_lowercase();
        let as_word = |(at, _): (usize, &str)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + name.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        };
        let comment = lower.trim_start().starts_with('#');
        let names = !comment && (lower.contains(&code) || lower.match_indices(&name).any(as_word));
        names.then_some((i + 1, line))
    })
}

/// `period = …` or `datum = …`: the lines this command moves itself.
fn is_period_key(line: &str) -> bool {
    let key = line.split('=').next().unwrap_or("").trim();
    matches!(key, "period" | "datum")
}

/// At most five names, then how many more.
fn abbreviated(names: &[String]) -> String {
    let shown = names.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    match names.len().saturating_sub(5) {
        0 => shown,
        more => format!("{shown} och {more} till"),
    }
}

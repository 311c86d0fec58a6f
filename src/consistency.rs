//! Text and data must agree: a figure typed by hand in commentary (rather
//! than brought in by a placeholder) is compared with the data of the metric
//! its words name, and a mismatch is one warning at that figure, naming the
//! metric, its value and the placeholder to write instead.
//!
//! How a figure is read, as the region's texts phrase them:
//!
//! * A figure is a number with a unit (`−21,5 mnkr`, `+ 5,8 mnkr`,
//!   `– 7,6 mnkr`, `97,2%`, `9 300 st`, `37 procent`); a hyphen, an en dash
//!   or a plus, with or without a space, is its sign. A figure said to be
//!   approximate (`drygt`, `ca`, `över` …) or qualified (`exkl.`, `inkl.`)
//!   is not a figure of the data and is not checked.
//! * The metric is named by the words of the figure's clause: the sentence,
//!   or the parenthesis the figure stands in, unless that parenthesis says
//!   nothing but figures and months (`(+3,3 mnkr efter aug)`), which belongs
//!   to its sentence. A sentence that begins by referring back (`Avvikelsen
//!   efter sep uppgår till …`) goes on about the sentence before. Words are compared forgiving inflection (`avvikelsen`),
//!   compounds (`avvikelse` names `budgetavvikelse`) and abbreviations
//!   (`ack`, `avv`, `tot`, `sep`). A metric is named when all its words are
//!   there (two at least, or one long one), or all but one with one of them
//!   specific. A sentence that speaks of the whole (`Totalt ligger vi på …`)
//!   names the report's totals (metrics whose names say nothing specific).
//! * The month is the one the clause names nearest the figure (`efter
//!   september`, `i aug`, `maj–september 2023`), else the report month.
//! * The figure agrees if it equals, at its own number of decimals, the value
//!   of any metric its clause names even in part; a figure without a sign
//!   may be the value's size (`9 300 st färre`). Otherwise it is reported
//!   against the metric named most specifically, nearest in value.

use crate::context::Context;
use crate::diagnostic::{Diagnostic, Span, fold_swedish};
use crate::metrics::Metrics;
use crate::model::{Aggregation, Block, MetricId, Piece, PlaceholderKind, Report, Section, UnitId};
use crate::period::{Month, Period};
use crate::swedish::{self, NBSP};

/// Checks every sentence of a section's commentary; mismatches are
/// warnings in `cx`. A sentence that names no metric may give the figure of
/// one of the section's key figures (`Måluppfyllelse 97,2 % september`).
pub fn check(section: &Section, report: &Report, metrics: &Metrics, cx: &mut Context) {
    let Some(commentary) = &section.commentary else { return };
    let (Some(unit), Some(period)) = (commentary.unit, report.period) else { return };
    let key_figures = section.key_figures.iter().map(|k| k.series.metric).collect();
    let reader = Reader { report, metrics, unit, period, key_figures };
    for (text, span) in paragraphs(&commentary.blocks, report) {
        for (written, problem, occurrence) in reader.mismatches(&text) {
            let at = span.and_then(|span| Some((span, locate(cx.sources.slice(span), &written, occurrence)?)));
            let place = match at {
                Some((span, offset)) => {
                    Span::new(span.source, span.start as usize + offset..span.start as usize + offset + written.len())
                }
                None => Span::new(commentary.source, 0..0),
            };
            cx.report(problem.at(place));
        }
    }
}

/// The text of every paragraph (list items included) with the placeholders
/// that name months and units written out, and values left out (their
/// figures come from the data); with the paragraph's place.
fn paragraphs(blocks: &[Block], report: &Report) -> Vec<(String, Option<Span>)> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Paragraph { inlines, span } => {
                let text = inlines
                    .iter()
                    .map(|inline| match &inline.piece {
                        Piece::Text(text) => text.clone(),
                        Piece::LineBreak => " ".into(),
                        Piece::Placeholder(p) => written_out(&p.kind, report),
                    })
                    .collect();
                out.push((text, *span));
            }
            Block::List { items, .. } => items.iter().for_each(|item| out.extend(paragraphs(item, report))),
        }
    }
    out
}

/// What a placeholder reads as in a sentence; a value is a placeholder
/// mark, so that it is never taken for a typed figure.
fn written_out(kind: &PlaceholderKind, report: &Report) -> String {
    let month = |m: Option<Month>| m.map(|m| swedish::month_name(m.month).to_string()).unwrap_or_default();
    match kind {
        PlaceholderKind::ReportPeriod => report.period.map(Month::long_name).unwrap_or_default(),
        PlaceholderKind::MonthName => month(report.period),
        PlaceholderKind::PreviousMonthName => month(report.period.map(|p| p.plus(-1))),
        PlaceholderKind::Year => report.period.map(|p| p.year.to_string()).unwrap_or_default(),
        PlaceholderKind::UnitName(unit) => report.units[*unit].name.clone(),
        PlaceholderKind::Date
        | PlaceholderKind::Namnd
        | PlaceholderKind::Value { .. }
        | PlaceholderKind::OverMonths { .. } => "\u{2022}".into(),
    }
}

/// The byte offset in a paragraph's source of the figure `written` that is
/// the `occurrence`-th of its kind in the paragraph.
fn locate(source: &str, written: &str, occurrence: usize) -> Option<usize> {
    source.match_indices(written).nth(occurrence).map(|(offset, _)| offset)
}

/// A number with a unit, as written in running text.
#[derive(Debug, PartialEq)]
struct Figure {
    /// As written, e.g. `−21,5 mnkr`.
    written: String,
    /// Byte offsets in the sentence.
    start: usize,
    end: usize,
    value: f64,
    /// Digits after the decimal comma.
    decimals: u8,
    signed: bool,
    unit: &'static str,
}

/// Units recognised after a figure, and the unit class each belongs to.
const UNITS: [(&str, &str); 8] = [
    ("mnkr", "mnkr"),
    ("miljoner kronor", "mnkr"),
    ("miljoner", "mnkr"),
    ("mkr", "mnkr"),
    ("procent", "%"),
    ("%", "%"),
    ("st", "st"),
    ("tkr", "tkr"),
];

/// The unit class of a metric's unit.
fn unit_class(unit: &str) -> &str {
    UNITS.iter().find(|(word, _)| *word == unit).map_or(unit, |(_, class)| class)
}

/// Words before a figure that make it approximate, and after it that
/// qualify it: neither is a figure of the data.
const APPROXIMATE: [&str; 13] = [
    "drygt", "knappt", "cirka", "ca", "ungefar", "runt", "omkring", "nastan", "over", "under", "minst", "hogst",
    "narmare",
];
const QUALIFIED: [&str; 4] = ["exkl", "exklusive", "utan", "exkluderat"];

/// Abbreviations of the region's texts and what they stand for.
const ABBREVIATIONS: [(&str, &str); 6] = [
    ("ack", "ackumulerad"),
    ("avv", "avvikelse"),
    ("tot", "totalt"),
    ("jmf", "jamfort"),
    ("jmfr", "jamfort"),
    ("hyrpers", "hyrpersonal"),
];

/// Words of metric names that say nothing of what is measured.
const GENERIC: [&str; 13] = [
    "ackumulerad",
    "ackumulerat",
    "avvikelse",
    "budgetavvikelse",
    "budget",
    "kostnad",
    "kostnader",
    "totalt",
    "totala",
    "rullande",
    "manad",
    "manader",
    "helar",
];
const STOPWORDS: [&str; 16] =
    ["och", "mot", "per", "i", "av", "for", "till", "med", "pa", "om", "samma", "sedan", "an", "som", "ar", "den"];

/// Phrases written out for what a metric's name abbreviates.
const PHRASES: [(&str, &str); 3] =
    [("rullande tolv månader", "r12"), ("rullande 12 månader", "r12"), ("rullande tolvmånaders", "r12")];

/// Sentences that begin like this speak of the whole.
const WHOLE: [&str; 4] = ["totalt", "sammantaget", "sammanlagt", "sammanfattningsvis"];

fn words(text: &str) -> Vec<String> {
    let mut text = text.to_lowercase();
    for (phrase, short) in PHRASES {
        text = text.replace(phrase, short);
    }
    fold_swedish(&text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| ABBREVIATIONS.iter().find(|(short, _)| *short == w).map_or(w, |(_, long)| long).to_string())
        .collect()
}

/// How a word of the text stands for a word of a metric's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    /// The word itself, or inflected (`avvikelsen`, `kostnaden`).
    Word,
    /// As part of a compound (`avvikelse` for `budgetavvikelse`).
    Part,
}

fn word_matches(text: &str, name: &str) -> Option<Match> {
    let common = text.chars().zip(name.chars()).take_while(|(a, b)| a == b).count();
    let shorter = text.chars().count().min(name.chars().count());
    // Inflection: a shared beginning of five letters or more that is most
    // of the shorter word (avvika, avvikelse; förändrades, förändring).
    if text == name || (common >= 5 && common * 10 >= shorter * 7) {
        return Some(Match::Word);
    }
    let compound = text.chars().count() >= 6 && (name.ends_with(text) || name.starts_with(text));
    compound.then_some(Match::Part)
}

/// How a clause names a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Naming {
    /// Some of its words: its value confirms a figure, a mismatch says nothing.
    Partly,
    /// The clause is about it: a mismatch is reported.
    Named,
}

struct Reader<'a> {
    report: &'a Report,
    metrics: &'a Metrics<'a>,
    unit: UnitId,
    period: Month,
    /// The metrics of the section's key figures.
    key_figures: Vec<MetricId>,
}

impl Reader<'_> {
    /// The figures of a paragraph that disagree with the data: (the figure
    /// as written, the warning, which occurrence of that text it is).
    fn mismatches(&self, paragraph: &str) -> Vec<(String, Diagnostic, usize)> {
        let mut out = Vec::new();
        let mut previous = "";
        for (sentence_start, sentence) in sentences(paragraph) {
            for figure in figures(sentence) {
                let before = paragraph[..sentence_start + figure.start].matches(figure.written.as_str()).count();
                if let Some(problem) = self.judge(sentence, previous, &figure) {
                    out.push((figure.written.clone(), problem, before));
                }
            }
            previous = sentence;
        }
        out
    }

    /// A warning if the figure disagrees with the metric its clause names;
    /// `previous` is the sentence before, which a sentence that names no
    /// metric may go on about (`Avvikelsen efter sep uppgår till …`).
    fn judge(&self, sentence: &str, previous: &str, figure: &Figure) -> Option<Diagnostic> {
        if self.is_hedged(sentence, figure) {
            return None;
        }
        let clause = clause(sentence, figure);
        // The month: in the figure's own parenthesis, else in its clause
        // outside parentheses (they speak of other months).
        let figure_end = |part: &str| figure.end.saturating_sub(offset_in(sentence, part));
        let period = match parenthesis(sentence, figure) {
            Some(inside) => month_named(inside, figure_end(inside), self.period),
            None => None,
        }
        .or_else(|| month_named(&outside_parentheses(clause), figure_end(clause), self.period))
        .unwrap_or(Period::Month(self.period));
        let named_by = |text: &str| -> Vec<(MetricId, Naming)> {
            let text_words = words(text);
            (0..self.report.metrics.len())
                .filter(|&id| self.unit_of(id) == figure.unit)
                .filter_map(|id| naming(&text_words, &words(&self.report.metrics[id].name)).map(|n| (id, n)))
                .collect()
        };
        let is_named = |found: &[(MetricId, Naming)]| found.iter().any(|(_, n)| *n == Naming::Named);
        let mut named = named_by(clause);
        if !is_named(&named) && !previous.is_empty() && refers_back(clause) {
            named = named_by(&format!("{previous} {clause}"));
        }
        if !is_named(&named) && speaks_of_the_whole(sentence) {
            named.extend(self.totals(figure.unit).into_iter().map(|id| (id, Naming::Named)));
        }
        if named.is_empty() {
            let key_figures = self.key_figures.iter().filter(|&&id| self.unit_of(id) == figure.unit);
            named.extend(key_figures.map(|&id| (id, Naming::Named)));
        }
        if !is_named(&named) {
            return None;
        }
        let values: Vec<(MetricId, Naming, f64)> = named
            .iter()
            .filter_map(|&(id, naming)| Some((id, naming, self.metrics.period_value(id, self.unit, period)?)))
            .collect();
        if values.is_empty() || values.iter().any(|(_, _, value)| agrees(figure, *value)) {
            return None;
        }
        // The metric named most specifically; among those, nearest in value.
        let specific = |id: MetricId| {
            words(&self.report.metrics[id].name).iter().filter(|w| !GENERIC.contains(&w.as_str())).count()
        };
        let &(metric, _, value) = values.iter().min_by(|a, b| {
            specific(b.0).cmp(&specific(a.0)).then((a.2 - figure.value).abs().total_cmp(&(b.2 - figure.value).abs()))
        })?;
        let metric_data = &self.report.metrics[metric];
        let when = match period {
            Period::Month(month) if month == self.period => format!("i {}", month.long_name()),
            Period::Month(month) => format!("i {}", month.long_name()),
            other => other.long_name(),
        };
        let placeholder = match period {
            Period::Month(month) if month == self.period => format!("{{{}}}", metric_data.id),
            Period::Month(month) if month.year == self.period.year => {
                format!("{{{}@{}}}", metric_data.id, swedish::month_name(month.month))
            }
            other => format!("{{{}@{}}}", metric_data.id, period_written(other)),
        };
        Some(
            Diagnostic::warning(format!(
                "siffran `{}` stämmer inte med datat: {} för {} {when} är {}",
                figure.written.replace(NBSP, " "),
                metric_data.name,
                self.report.units[self.unit].name,
                metric_data.style.format(Some(value)).replace(NBSP, " ")
            ))
            .hint(format!("skriv {placeholder} så hämtas talet ur datat")),
        )
    }

    /// The unit class of a metric.
    fn unit_of(&self, metric: MetricId) -> &str {
        unit_class(self.report.metrics[metric].style.unit.as_deref().unwrap_or(""))
    }

    /// The report's totals: metrics of the unit class whose names say
    /// nothing specific (`Ackumulerad budgetavvikelse`, `Resultat`).
    fn totals(&self, unit: &str) -> Vec<MetricId> {
        (0..self.report.metrics.len())
            .filter(|&id| {
                let metric = &self.report.metrics[id];
                self.unit_of(id) == unit
                    && metric.aggregation != Aggregation::Mean
                    && words(&metric.name)
                        .iter()
                        .all(|w| GENERIC.contains(&w.as_str()) || STOPWORDS.contains(&w.as_str()))
            })
            .collect()
    }

    /// Whether the word just before the figure makes it approximate, or the
    /// words after it qualify it.
    fn is_hedged(&self, sentence: &str, figure: &Figure) -> bool {
        let before = words(&sentence[..figure.start]);
        let after = words(&sentence[figure.end..]);
        before.last().is_some_and(|w| APPROXIMATE.contains(&w.as_str()))
            || after.iter().take(3).any(|w| QUALIFIED.contains(&w.as_str()))
    }
}

/// How a clause's words name a metric's name, if at all.
fn naming(clause: &[String], name: &[String]) -> Option<Naming> {
    let name: Vec<&String> = name.iter().filter(|w| !STOPWORDS.contains(&w.as_str())).collect();
    let matches: Vec<(&String, Match)> = name
        .iter()
        .filter_map(|n| {
            let found = clause.iter().filter_map(|w| word_matches(w, n));
            found.min_by_key(|m| *m != Match::Word).map(|m| (*n, m))
        })
        .collect();
    if matches.is_empty() {
        return None;
    }
    let specific = matches.iter().filter(|(w, _)| !GENERIC.contains(&w.as_str())).count();
    let all = matches.len() == name.len();
    // One word names a metric when it is written out and long enough to mean something.
    let one_word = name.len() == 1 && matches[0].1 == Match::Word && specific == 1 && name[0].chars().count() >= 6;
    if (all && (name.len() >= 2 || one_word)) || (matches.len() >= 2 && matches.len() + 1 >= name.len() && specific > 0)
    {
        Some(Naming::Named)
    } else {
        Some(Naming::Partly)
    }
}

/// Words a sentence that goes on about the sentence before begins with.
const REFERRING: [&str; 6] = ["den", "det", "detta", "dessa", "denna", "de"];

/// Whether a clause begins by referring back (`Avvikelsen efter sep …`,
/// `Den uppgår till …`).
fn refers_back(clause: &str) -> bool {
    words(clause).first().is_some_and(|w| {
        REFERRING.contains(&w.as_str()) || GENERIC.iter().any(|g| word_matches(w, g) == Some(Match::Word))
    })
}

/// Whether a sentence speaks of the whole: `Totalt …`, `… ligger vi på …`.
fn speaks_of_the_whole(sentence: &str) -> bool {
    let words = words(sentence);
    words.first().is_some_and(|w| WHOLE.contains(&w.as_str())) || words.iter().any(|w| w == "vi")
}

/// A figure agrees with a value if they are the same at the figure's
/// decimals; a figure without a sign may give the value's size.
fn agrees(figure: &Figure, value: f64) -> bool {
    let shown = |v: f64| swedish::format_number(v, figure.decimals, false);
    shown(figure.value) == shown(value) || (!figure.signed && shown(figure.value) == shown(value.abs()))
}

/// A period as a placeholder writes it after `@`.
fn period_written(period: Period) -> String {
    match period {
        Period::Range(first, last) => format!("{first}..{last}"),
        Period::Month(month) => month.to_string(),
        other => other.long_name(),
    }
}

/// Byte offset of `part` (a slice of `whole`) in `whole`.
fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

/// The parenthesis a figure stands in, if any.
fn parenthesis<'s>(sentence: &'s str, figure: &Figure) -> Option<&'s str> {
    let open = sentence[..figure.start].rfind('(')?;
    if sentence[..figure.start].rfind(')').is_some_and(|close| close > open) {
        return None;
    }
    let close = sentence[figure.end..].find(')').map_or(sentence.len(), |i| figure.end + i);
    Some(&sentence[open + 1..close])
}

/// A text with what stands in parentheses blanked out, offsets kept.
fn outside_parentheses(text: &str) -> String {
    let mut depth = 0usize;
    text.chars()
        .map(|c| {
            let blank = depth > 0 || c == '(';
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if blank && c != ')' { " ".repeat(c.len_utf8()) } else { c.to_string() }
        })
        .collect()
}

/// The clause a figure belongs to (see the module documentation).
fn clause<'s>(sentence: &'s str, figure: &Figure) -> &'s str {
    let Some(parenthesis) = parenthesis(sentence, figure) else { return sentence };
    let says_more = words(parenthesis).iter().any(|w| {
        w.chars().count() > 3
            && !w.chars().all(|c| c.is_ascii_digit())
            && swedish::month_from_name(w).is_none()
            && !["efter", "mnkr", "procent", "totalt", "miljoner", "kronor"].contains(&w.as_str())
    });
    if says_more { parenthesis } else { sentence }
}

/// The month or months a clause names for a figure ending at `figure_end`
/// (a byte offset in the clause): the first after it (`+2,9 mnkr efter
/// september`), else the nearest before it (`i augusti var …`). A month is
/// `september`, `sep` or `maj–september 2023`, in the report's year unless
/// a year follows.
fn month_named(clause: &str, figure_end: usize, report: Month) -> Option<Period> {
    let folded = clause.to_lowercase();
    let mut found: Vec<(usize, Period)> = Vec::new();
    let tokens: Vec<(usize, &str)> = folded
        .split_inclusive(|c: char| !c.is_alphanumeric())
        .scan(0, |offset, piece| {
            let start = *offset;
            *offset += piece.len();
            Some((start, piece.trim_end_matches(|c: char| !c.is_alphanumeric())))
        })
        .filter(|(_, word)| !word.is_empty())
        .collect();
    let month_at = |i: usize| tokens.get(i).and_then(|(_, w)| swedish::month_from_name(w).filter(|_| w.len() >= 3));
    let year_at =
        |i: usize| tokens.get(i).and_then(|(_, w)| w.parse::<i32>().ok()).filter(|y| (1990..2200).contains(y));
    let mut i = 0;
    while i < tokens.len() {
        if let Some(first) = month_at(i) {
            // `maj–september`, `maj-sep`: a second month right after a dash.
            let dash = tokens.get(i + 1).is_some_and(|(at, _)| folded[tokens[i].0..*at].contains(['–', '-', '—']));
            let (last, next) = match month_at(i + 1).filter(|_| dash) {
                Some(last) => (last, i + 2),
                None => (first, i + 1),
            };
            let year = year_at(next).unwrap_or(report.year);
            let period = match (Month::new(year, first), Month::new(year, last)) {
                (Some(a), Some(b)) if a == b => Some(Period::Month(a)),
                (Some(a), Some(b)) if a < b => Some(Period::Range(a, b)),
                _ => None,
            };
            if let Some(period) = period {
                found.push((tokens[i].0, period));
            }
            i = next;
        } else {
            i += 1;
        }
    }
    let after = found.iter().filter(|(at, _)| *at >= figure_end).min_by_key(|(at, _)| *at);
    let before = found.iter().filter(|(at, _)| *at < figure_end).max_by_key(|(at, _)| *at);
    after.or(before).map(|(_, period)| *period)
}

/// Sentences with their byte offsets. A sentence ends at `.`, `!` or `?`
/// before a space (a decimal point has digits on both sides), unless a
/// parenthesis follows, which belongs to it.
fn sentences(paragraph: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = paragraph.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at_end = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        if matches!(c, '.' | '!' | '?') && at_end {
            let rest = paragraph[i + 1..].trim_start();
            if rest.starts_with('(') {
                continue;
            }
            let end = i + c.len_utf8();
            out.push((start, &paragraph[start..end]));
            start = end;
        }
    }
    if !paragraph[start..].trim().is_empty() {
        out.push((start, &paragraph[start..]));
    }
    out
}

/// Figures: numbers followed by a unit, with their sign if written.
fn figures(sentence: &str) -> Vec<Figure> {
    let chars: Vec<(usize, char)> = sentence.char_indices().collect();
    let is_space = |c: char| matches!(c, ' ' | NBSP | '\u{202F}');
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let boundary = i == 0 || is_space(chars[i - 1].1) || matches!(chars[i - 1].1, '(' | ',' | ':');
        // A sign, with or without a space before the digits: `–7,6`, `– 7,6`, `+ 5,8`.
        let sign_gap = if matches!(c, '−' | '-' | '+' | '–') && boundary {
            match chars.get(i + 1) {
                Some((_, d)) if d.is_ascii_digit() => Some(1),
                Some((_, s)) if is_space(*s) && chars.get(i + 2).is_some_and(|(_, d)| d.is_ascii_digit()) => Some(2),
                _ => None,
            }
        } else {
            None
        };
        let begins = c.is_ascii_digit() && (i == 0 || !chars[i - 1].1.is_alphanumeric() && chars[i - 1].1 != '-');
        if sign_gap.is_none() && !begins {
            i += 1;
            continue;
        }
        let digits_from = i + sign_gap.unwrap_or(0);
        let mut j = digits_from;
        let mut decimals = 0u8;
        let mut in_decimals = false;
        while j < chars.len() {
            let ch = chars[j].1;
            let grouped = is_space(ch)
                && !in_decimals
                && chars.get(j + 1).is_some_and(|(_, d)| d.is_ascii_digit())
                && chars.get(j + 3).is_some_and(|(_, d)| d.is_ascii_digit())
                && chars.get(j + 4).is_none_or(|(_, d)| !d.is_ascii_digit());
            if ch.is_ascii_digit() {
                if in_decimals {
                    decimals += 1;
                }
                j += 1;
            } else if ch == ',' && !in_decimals && chars.get(j + 1).is_some_and(|(_, d)| d.is_ascii_digit()) {
                in_decimals = true;
                j += 1;
            } else if grouped {
                j += 1;
            } else {
                break;
            }
        }
        let number_end = chars.get(j).map_or(sentence.len(), |(o, _)| *o);
        let rest = sentence[number_end..].trim_start_matches(is_space);
        let unit = UNITS.iter().find(|(word, _)| {
            rest.starts_with(word) && !rest[word.len()..].starts_with(|ch: char| ch.is_alphanumeric())
        });
        let number: String = sentence[chars[digits_from].0..number_end].chars().filter(|c| !is_space(*c)).collect();
        if let (Some((word, class)), Some(magnitude)) = (unit, swedish::parse_number(&number)) {
            let negative = sign_gap.is_some() && c != '+';
            let unit_start = number_end + (sentence[number_end..].len() - rest.len());
            let end = unit_start + word.len();
            found.push(Figure {
                written: sentence[start..end].to_string(),
                start,
                end,
                value: if negative { -magnitude } else { magnitude },
                decimals,
                signed: sign_gap.is_some(),
                unit: class,
            });
        }
        i = j.max(i + 1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(sentence: &str) -> Vec<(String, f64, u8, bool, &'static str)> {
        figures(sentence).into_iter().map(|f| (f.written, f.value, f.decimals, f.signed, f.unit)).collect()
    }

    #[test]
    fn figures_as_the_region_writes_them() {
        assert_eq!(
            shown("Måluppfyllelse 97,2% september, tot -21,5 mnkr och 9 300 st samt år 2023."),
            [
                ("97,2%".into(), 97.2, 1, false, "%"),
                ("-21,5 mnkr".into(), -21.5, 1, true, "mnkr"),
                ("9 300 st".into(), 9300.0, 0, false, "st")
            ]
        );
        assert_eq!(shown("budgetavvikelse totalt – 7,6 mnkr (inkl")[0], ("– 7,6 mnkr".into(), -7.6, 1, true, "mnkr"));
        assert_eq!(shown("Övriga intäkter + 5,8 mnkr är")[0], ("+ 5,8 mnkr".into(), 5.8, 1, true, "mnkr"));
        assert!(shown("TG 3 enligt budget och 2021–23 samt 5 stycken").is_empty());
        assert_eq!(shown("34 miljoner kronor eller 37 procent")[1].4, "%");
    }

    #[test]
    fn sentences_keep_their_parenthesis_and_not_decimal_points() {
        let text = "Ack avvikelse +2,9 mnkr efter september. (+3,3 mnkr efter aug). Nästa 2.5 mening.";
        let found: Vec<&str> = sentences(text).into_iter().map(|(_, s)| s.trim()).collect();
        assert_eq!(found, ["Ack avvikelse +2,9 mnkr efter september. (+3,3 mnkr efter aug).", "Nästa 2.5 mening."]);
    }

    #[test]
    fn months_named_nearest_the_figure() {
        let report = Month::parse("2023-09").unwrap();
        let month = |text: &str, at: &str| month_named(text, text.find(at).unwrap() + at.len(), report);
        assert_eq!(month("+3,3 mnkr efter aug", "+3,3 mnkr"), Some(Period::Month(Month::parse("2023-08").unwrap())));
        assert_eq!(month("+2,9 mnkr efter september (+3,3 mnkr efter aug)", "+2,9 mnkr"), Some(Period::Month(report)));
        assert_eq!(
            month("Maj–september 2023 har 9 300 st färre", "9 300 st"),
            Some(Period::Range(Month::parse("2023-05").unwrap(), report))
        );
        assert_eq!(month("Resultatet var −2 mnkr.", "−2"), None);
    }

    #[test]
    fn words_name_metrics_forgiving_inflection_compounds_and_abbreviations() {
        let clause = words("Ack avvikelse är fortsatt positiv");
        assert_eq!(naming(&clause, &words("Ackumulerad budgetavvikelse")), Some(Naming::Named));
        let clause = words("Kostnaden för personal fortsätter avvika negativt, tot");
        assert_eq!(naming(&clause, &words("Ackumulerad avvikelse personalkostnader")), Some(Naming::Named));
        assert_eq!(naming(&words("mot budget och"), &words("Budget")), Some(Naming::Partly), "confirms, never names");
        assert_eq!(naming(&words("Sjukfrånvaron var"), &words("Sjukfrånvaro")), Some(Naming::Named));
        assert_eq!(naming(&words("samt övriga intäkter"), &words("Avvikelse övriga intäkter")), Some(Naming::Named));
    }
}

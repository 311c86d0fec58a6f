//! Text and data must agree: a figure typed by hand in commentary (rather
//! than brought in by a placeholder) is compared with the data of the metric
//! the same sentence names, and a mismatch is a warning that points at the
//! figure and names the placeholder to use instead.
//!
//! A sentence names a metric when the words of the metric's name begin
//! consecutive words of the sentence: "Telefontillgängligheten, egen
//! mätning, var 96 %" names "Telefontillgänglighet, egen mätning". Names of
//! one short word ("Budget", "Resultat") are too common in running text to
//! count. The figure must follow the name within a few words, and agrees if
//! it equals, as the metric writes it, the metric's value for the text's
//! unit in the report month or the month before.

use crate::context::Context;
use crate::diagnostic::{Diagnostic, Span, fold_swedish};
use crate::metrics::Metrics;
use crate::model::{Commentary, Report, paragraph_texts};
use crate::swedish::{self, NBSP};

/// A number with a unit, as written in running text.
#[derive(Debug, PartialEq)]
struct HandTyped {
    /// As written, e.g. `96,0 %`.
    written: String,
    /// Byte offset in the sentence.
    offset: usize,
    value: f64,
    unit: &'static str,
}

/// Units recognised after a hand-typed number, and the metric unit each
/// corresponds to.
const UNITS: [(&str, &str); 6] = [
    ("mnkr", "mnkr"),
    ("miljoner kronor", "miljoner kronor"),
    ("procent", "%"),
    ("%", "%"),
    ("st", "st"),
    ("tkr", "tkr"),
];

/// Checks every sentence of a commentary; mismatches are warnings in `cx`.
pub fn check(commentary: &Commentary, report: &Report, metrics: &Metrics, cx: &mut Context) {
    let (Some(unit), Some(period)) = (commentary.unit, report.period) else { return };
    // Placeholders are left out: their figures come from the data.
    for paragraph in paragraph_texts(&commentary.blocks, &|_| " ".to_string()) {
        for sentence in sentences(&paragraph) {
            let figures = hand_typed(&sentence);
            if figures.is_empty() {
                continue;
            }
            let sentence_words: Vec<String> = words(&sentence);
            for metric_id in 0..report.metrics.len() {
                let metric = &report.metrics[metric_id];
                let Some(name_end) = named_at(&sentence_words, &words(&metric.name)) else { continue };
                let metric_unit = metric.style.unit.as_deref().unwrap_or("");
                let near = |figure: &&HandTyped| {
                    let position = words(&sentence[..figure.offset]).len();
                    position >= name_end && position <= name_end + NEAR
                };
                for figure in figures.iter().filter(|f| f.unit == metric_unit).filter(near) {
                    let candidates = [period, period.plus(-1)].map(|m| metrics.value(metric_id, unit, m));
                    let agrees = candidates.iter().flatten().any(|value| {
                        swedish::format_number(*value, metric.style.decimals, false)
                            == swedish::format_number(figure.value, metric.style.decimals, false)
                    });
                    if agrees || candidates[0].is_none() {
                        continue;
                    }
                    let text = cx.sources.text(commentary.source);
                    let at = text.find(&figure.written).or_else(|| text.find(&figure.written.replace(NBSP, " ")));
                    let problem = Diagnostic::warning(format!(
                        "siffran `{}` stämmer inte med datat: {} för {} i {} är {}",
                        figure.written.replace(NBSP, " "),
                        metric.name,
                        report.units[unit].name,
                        period.long_name(),
                        metric.style.format(candidates[0])
                    ))
                    .hint(format!("skriv {{{}}} så hämtas talet ur datat", metric.id));
                    let problem = match at {
                        Some(start) => problem.at(Span::new(commentary.source, start..start + figure.written.len())),
                        None => problem.at(Span::new(commentary.source, 0..0)),
                    };
                    cx.report(problem);
                }
            }
        }
    }
}

/// How many words after a metric's name a figure may stand and still be
/// about it.
const NEAR: usize = 8;

/// Where a metric's name ends in the sentence's words (index after its
/// last word), if the sentence names it; see the module documentation.
fn named_at(sentence: &[String], name: &[String]) -> Option<usize> {
    let distinctive = name.len() >= 2 || name.first().is_some_and(|w| w.chars().count() >= 10);
    if !distinctive {
        return None;
    }
    (0..sentence.len().saturating_sub(name.len() - 1))
        .find(|&start| name.iter().enumerate().all(|(j, word)| sentence[start + j].starts_with(word.as_str())))
        .map(|start| start + name.len())
}

/// Sentences end at `.`, `!` or `?` followed by a space (a decimal point
/// has digits on both sides and is not an end).
fn sentences(paragraph: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = paragraph.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        if matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|n| n.is_whitespace()) {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

fn words(text: &str) -> Vec<String> {
    fold_swedish(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// Numbers followed by a unit: `−21,5 mnkr`, `97,2 %`, `9 300 st`.
fn hand_typed(sentence: &str) -> Vec<HandTyped> {
    let chars: Vec<(usize, char)> = sentence.char_indices().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let signed = matches!(c, '−' | '-' | '+' | '–')
            && chars.get(i + 1).is_some_and(|(_, d)| d.is_ascii_digit())
            && (i == 0 || chars[i - 1].1.is_whitespace() || chars[i - 1].1 == '(');
        let begins = c.is_ascii_digit() && (i == 0 || !chars[i - 1].1.is_alphanumeric());
        if !(signed || begins) {
            i += 1;
            continue;
        }
        let mut j = i + usize::from(signed);
        // Digits, group spaces between digits, one decimal comma.
        while j < chars.len() {
            let ch = chars[j].1;
            let grouped = matches!(ch, ' ' | NBSP | '\u{202F}')
                && chars.get(j + 1).is_some_and(|(_, d)| d.is_ascii_digit())
                && chars.get(j + 4).is_none_or(|(_, d)| !d.is_ascii_digit())
                && chars.get(j + 3).is_some_and(|(_, d)| d.is_ascii_digit());
            if ch.is_ascii_digit() || ch == ',' && chars.get(j + 1).is_some_and(|(_, d)| d.is_ascii_digit()) || grouped
            {
                j += 1;
            } else {
                break;
            }
        }
        let number_end = chars.get(j).map_or(sentence.len(), |(o, _)| *o);
        let rest = sentence[number_end..].trim_start_matches([' ', NBSP]);
        let unit = UNITS.iter().find(|(word, _)| {
            rest.starts_with(word) && !rest[word.len()..].starts_with(|ch: char| ch.is_alphanumeric())
        });
        if let (Some((word, unit)), Some(value)) = (unit, swedish::parse_number(&sentence[start..number_end])) {
            let unit_start = number_end + (sentence[number_end..].len() - rest.len());
            found.push(HandTyped {
                written: sentence[start..unit_start + word.len()].to_string(),
                offset: start,
                value,
                unit,
            });
        }
        i = j.max(i + 1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_numbers_with_units() {
        let found = hand_typed("Måluppfyllelse 97,2 % september, totalt −21,5 mnkr och 9 300 st samt år 2023.");
        let shown: Vec<(&str, f64, &str)> = found.iter().map(|f| (f.written.as_str(), f.value, f.unit)).collect();
        assert_eq!(shown, [("97,2 %", 97.2, "%"), ("−21,5 mnkr", -21.5, "mnkr"), ("9 300 st", 9300.0, "st")]);
        assert!(hand_typed("TG 3 enligt budget och 2021–23 samt 5 stycken").is_empty());
        assert_eq!(hand_typed("34 miljoner kronor eller 37 procent")[1].unit, "%");
    }

    #[test]
    fn a_sentence_names_a_metric_by_its_words_in_order() {
        let sentence = words("Telefontillgängligheten, egen mätning, var 96,0 % i september.");
        assert_eq!(named_at(&sentence, &words("Telefontillgänglighet, egen mätning")), Some(3));
        assert_eq!(named_at(&words("samt övriga intäkter"), &words("Avvikelse övriga intäkter")), None);
        assert_eq!(named_at(&words("mot budget och"), &words("Budget")), None);
        assert_eq!(named_at(&words("Sjukfrånvaron var 5,4 %"), &words("Sjukfrånvaro")), Some(1));
    }

    #[test]
    fn sentences_do_not_end_at_decimal_points() {
        assert_eq!(sentences("Det är 2.5 mnkr. Nästa mening"), ["Det är 2.5 mnkr.", " Nästa mening"]);
    }
}

//! Figures written as text, as people and systems type them: `−21,5`,
//! `1 234`, `1.234.567,5`, `97,2 %`, `1 234 tkr`, and `(1 234)` for a
//! negative where the file says so. A figure that can be read two ways
//! (`1.234`: a decimal point, or a dot between thousands) is never read
//! one way silently: the caller decides from the rest of the file or from
//! what `rapport.toml` declares.

/// How a file writes its numbers, as declared under `[[data]]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NumberFormat {
    /// `decimaltecken`.
    pub decimal: Option<char>,
    /// `tusentalsavgransare` (spaces always group thousands).
    pub grouping: Option<char>,
    /// `parentes_negativ`: `(1 234)` is −1234.
    pub parentheses_negative: bool,
}

/// A text read as a figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    Number(f64),
    /// One mark with three digits after it (`1.234`): a decimal mark
    /// (1,234) or a thousands separator (1234).
    Ambiguous {
        mark: char,
        as_decimal: f64,
        as_grouped: f64,
    },
}

/// What one text shows of how the file writes numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    pub decimal: Option<char>,
    pub grouping: Option<char>,
}

/// Why a text is not a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotANumber,
    /// `(1 234)` without `parentes_negativ = true`.
    Parentheses,
    /// A mark that is neither the declared decimal mark nor a separator
    /// between groups of three digits.
    Mark(char),
}

/// Unit words after a figure that are dropped (`1 234 tkr`, `97,2 %`).
const SUFFIXES: [&str; 10] = ["%", "tkr", "mnkr", "mkr", "kr", "sek", "st", "h", "tim", "dagar"];

/// Most digits read; more is not a figure.
const MAX_DIGITS: usize = 40;
/// Most separators in one figure.
const MAX_MARKS: usize = 16;

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{A0}' | '\u{202F}' | '\u{2009}')
}

/// Reads a figure written as text.
pub fn read(text: &str, format: NumberFormat) -> Result<(Reading, Marks), Refusal> {
    let mut text = text.trim_matches(|c: char| c.is_whitespace() || is_space(c));
    if let Some(rest) = strip_suffix(text) {
        text = rest;
    }
    let mut negative = false;
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        if !format.parentheses_negative {
            return Err(Refusal::Parentheses);
        }
        negative = true;
        text = inner.trim();
    }
    if let Some(first @ ('-' | '\u{2212}' | '–' | '+')) = text.chars().next() {
        negative ^= first != '+';
        text = text[first.len_utf8()..].trim_start();
    }
    // Digits, and the separators between them with how many digits came before.
    let mut digits = [0u8; MAX_DIGITS];
    let mut count = 0;
    let mut marks: [(char, usize); MAX_MARKS] = [(' ', 0); MAX_MARKS];
    let mut mark_count = 0;
    for c in text.chars() {
        match c {
            '0'..='9' if count < MAX_DIGITS => {
                digits[count] = c as u8;
                count += 1;
            }
            ',' | '.' | '\'' if mark_count < MAX_MARKS => {
                marks[mark_count] = (c, count);
                mark_count += 1;
            }
            c if is_space(c) && count > 0 && mark_count < MAX_MARKS => {
                marks[mark_count] = (' ', count);
                mark_count += 1;
            }
            _ => return Err(Refusal::NotANumber),
        }
    }
    if count == 0 {
        return Err(Refusal::NotANumber);
    }
    let marks = &marks[..mark_count];
    let punct = |c: char| c != ' ';
    let kinds: Vec<char> = marks.iter().map(|(c, _)| *c).filter(|c| punct(*c)).fold(Vec::new(), |mut kinds, c| {
        if !kinds.contains(&c) {
            kinds.push(c);
        }
        kinds
    });
    let last_punct = marks.iter().rev().find(|(c, _)| punct(*c)).copied();
    let times = |mark: char| marks.iter().filter(|(c, _)| *c == mark).count();
    // The decimal mark's place (digits before it), and what was seen.
    let (decimal_at, seen) = match (format.decimal, kinds.as_slice(), last_punct) {
        (_, [], _) => (None, Marks::default()),
        (Some(declared), _, Some((last, at))) => {
            let decimal = (last == declared && times(declared) == 1).then_some(at);
            (decimal, Marks { decimal: decimal.map(|_| declared), grouping: None })
        }
        (None, [_, _], Some((last, at))) if times(last) == 1 => {
            let grouping = kinds.iter().copied().find(|c| *c != last);
            (Some(at), Marks { decimal: Some(last), grouping })
        }
        (None, [only], Some((_, at))) => {
            let only = *only;
            let after = count - at;
            let spaces_group = marks.iter().any(|(c, _)| *c == ' ');
            if times(only) > 1 || only == '\'' || format.grouping == Some(only) {
                (None, Marks { decimal: None, grouping: Some(only) })
            } else if after != 3 || at == 0 || at > 3 || digits[0] == b'0' || spaces_group || format.grouping.is_some()
            {
                (Some(at), Marks { decimal: Some(only), grouping: None })
            } else {
                let as_decimal = number(&digits[..count], Some(at), negative).ok_or(Refusal::NotANumber)?;
                let as_grouped = number(&digits[..count], None, negative).ok_or(Refusal::NotANumber)?;
                return Ok((Reading::Ambiguous { mark: only, as_decimal, as_grouped }, Marks::default()));
            }
        }
        _ => return Err(Refusal::NotANumber),
    };
    // Every other mark must separate groups of three digits.
    let mut previous: Option<usize> = None;
    for (c, at) in marks {
        if Some(*at) == decimal_at && Some(*c) == last_punct.map(|(l, _)| l) {
            break;
        }
        if punct(*c) {
            let declared_other = format.grouping.is_some_and(|g| g != *c);
            let groups_of_three = previous.map_or(*at <= 3 && *at > 0, |p| at - p == 3);
            if declared_other || !groups_of_three || Some(*c) == format.decimal {
                return Err(Refusal::Mark(*c));
            }
        }
        previous = Some(*at);
    }
    if let (Some(p), None) = (previous, decimal_at)
        && marks.iter().any(|(c, _)| punct(*c))
        && count - p != 3
    {
        return Err(Refusal::Mark(last_punct.map_or(',', |(c, _)| c)));
    }
    let value = number(&digits[..count], decimal_at, negative).ok_or(Refusal::NotANumber)?;
    Ok((Reading::Number(value), seen))
}

/// The text without a trailing unit word (`tkr`, `%`), if it has one.
fn strip_suffix(text: &str) -> Option<&str> {
    SUFFIXES.iter().find_map(|suffix| {
        let split = text.len().checked_sub(suffix.len())?;
        let (number, end) = (text.get(..split)?, text.get(split..)?);
        let glued_ok = *suffix == "%" || number.ends_with(|c: char| c.is_whitespace() || is_space(c));
        (end.eq_ignore_ascii_case(suffix)
            && glued_ok
            && number.ends_with(|c: char| c.is_ascii_digit() || c == ')' || c.is_whitespace() || is_space(c)))
        .then(|| number.trim_end_matches(|c: char| c.is_whitespace() || is_space(c)))
    })
}

/// The figure of `digits` with the decimal mark after `decimal_at` digits.
fn number(digits: &[u8], decimal_at: Option<usize>, negative: bool) -> Option<f64> {
    let mut plain = [0u8; MAX_DIGITS + 1];
    let split = decimal_at.unwrap_or(digits.len());
    plain[..split].copy_from_slice(&digits[..split]);
    let mut length = split;
    if split < digits.len() {
        plain[split] = b'.';
        plain[split + 1..=digits.len()].copy_from_slice(&digits[split..]);
        length = digits.len() + 1;
    }
    let value: f64 = std::str::from_utf8(&plain[..length]).ok()?.parse().ok()?;
    value.is_finite().then_some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Option<f64> {
        match read(text, NumberFormat::default()) {
            Ok((Reading::Number(n), _)) => Some(n),
            _ => None,
        }
    }

    #[test]
    fn reads_figures_as_people_type_them() {
        assert_eq!(plain("-21,5"), Some(-21.5));
        assert_eq!(plain("−1,5"), Some(-1.5));
        assert_eq!(plain("1 234"), Some(1234.0));
        assert_eq!(plain("1\u{A0}234,5"), Some(1234.5));
        assert_eq!(plain("97,2 %"), Some(97.2));
        assert_eq!(plain("97,2%"), Some(97.2));
        assert_eq!(plain("1 234 tkr"), Some(1234.0));
        assert_eq!(plain("1.234.567,5"), Some(1234567.5));
        assert_eq!(plain("1,234,567.5"), Some(1234567.5));
        assert_eq!(plain("1.234.567"), Some(1234567.0));
        assert_eq!(plain("0.234"), Some(0.234));
        assert_eq!(plain("12.5"), Some(12.5));
        assert_eq!(plain("1234.567"), Some(1234.567));
        assert_eq!(plain("12tkr"), None);
        assert_eq!(plain("abc"), None);
        assert_eq!(plain("1,2,3"), None);
        assert_eq!(plain("NaN"), None);
    }

    #[test]
    fn never_guesses_a_lone_mark_before_three_digits() {
        let (reading, _) = read("1.234", NumberFormat::default()).unwrap();
        assert_eq!(reading, Reading::Ambiguous { mark: '.', as_decimal: 1.234, as_grouped: 1234.0 });
        let declared = NumberFormat { grouping: Some('.'), ..NumberFormat::default() };
        assert_eq!(read("1.234", declared).unwrap().0, Reading::Number(1234.0));
        let declared = NumberFormat { decimal: Some('.'), ..NumberFormat::default() };
        assert_eq!(read("1.234", declared).unwrap().0, Reading::Number(1.234));
        let declared = NumberFormat { decimal: Some(','), ..NumberFormat::default() };
        assert_eq!(read("1.234", declared).unwrap().0, Reading::Number(1234.0));
        assert_eq!(read("1.5", declared), Err(Refusal::Mark('.')));
    }

    #[test]
    fn parentheses_are_negative_only_when_declared() {
        assert_eq!(read("(1 234)", NumberFormat::default()), Err(Refusal::Parentheses));
        let declared = NumberFormat { parentheses_negative: true, ..NumberFormat::default() };
        assert_eq!(read("(1 234)", declared).unwrap().0, Reading::Number(-1234.0));
    }
}

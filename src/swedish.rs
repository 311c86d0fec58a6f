//! Swedish typographic conventions for numbers, units and dates, in one place.
//!
//! Every figure a reader sees (tables, charts, commentary placeholders, alt
//! text) is formatted here, so that the same value reads the same everywhere:
//!
//! * decimal comma, no-break space (U+00A0) between groups of three digits;
//! * the real minus sign U+2212, never a hyphen;
//! * an explicit plus where the report shows a deviation (`+5,8 mnkr`);
//! * a no-break space between a number and its unit (`97,2 %`, `−21,5 mnkr`).
//!
//! Rounding is half away from zero on the value's shortest decimal form, so
//! `0,15` with one decimal is `0,2` the way a person rounds it, not `0,1` as
//! the binary float would give. A value that rounds to zero is shown without
//! sign: `−0,04` with one decimal is `0,0` (and `0,0 mnkr` also in a deviation
//! column), because a rounded-away deviation is neither better nor worse.
//!
//! We write this ourselves rather than use ICU4X (`icu_decimal`, locale `sv`):
//! ICU gives the grouping and the minus, but not the units, the explicit plus
//! for deviations, the zero rule or decimal-string rounding, and it would add
//! its locale data crates to a build that is already long. The module is small
//! and every rule has a test.

use chrono::{Datelike, NaiveDate};
use unicode_normalization::UnicodeNormalization;

/// No-break space: between digit groups and between a number and its unit.
pub const NBSP: char = '\u{00A0}';
/// The minus sign U+2212.
pub const MINUS: char = '\u{2212}';
/// Shown in tables where a value is missing (en dash).
pub const MISSING: &str = "–";

/// Month names as written in running text.
const MONTH_NAMES: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// Month abbreviations for chart axes and narrow table headers.
const MONTH_ABBREVIATIONS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];

/// How a value is written: decimals, unit and whether a plus sign is shown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NumberStyle {
    pub decimals: u8,
    pub unit: Option<String>,
    /// Show `+` before positive values (deviations, changes).
    pub explicit_sign: bool,
    /// The value is a month (1–12), shown by its name (`april`).
    pub month_name: bool,
}

impl NumberStyle {
    pub fn new(decimals: u8) -> Self {
        NumberStyle { decimals, unit: None, explicit_sign: false, month_name: false }
    }

    pub fn with_unit(mut self, unit: &str) -> Self {
        self.unit = (!unit.is_empty()).then(|| unit.to_string());
        self
    }

    pub fn signed(mut self) -> Self {
        self.explicit_sign = true;
        self
    }

    /// Values are months (`lagst_manad`), shown by name without a unit.
    pub fn months(mut self) -> Self {
        self.month_name = true;
        self
    }

    /// The value with its unit, e.g. `−21,5 mnkr`; `–` when missing.
    pub fn format(&self, value: Option<f64>) -> String {
        let Some(value) = value else {
            return MISSING.to_string();
        };
        if self.month_name {
            return self.format_bare(Some(value));
        }
        let number = format_number(value, self.decimals, self.explicit_sign);
        match &self.unit {
            Some(unit) => format!("{number}{NBSP}{unit}"),
            None => number,
        }
    }

    /// The value without its unit (for table cells under a unit header and
    /// chart axes); `–` when missing.
    pub fn format_bare(&self, value: Option<f64>) -> String {
        match value {
            Some(value) if self.month_name && (1.0..=12.0).contains(&value) => month_name(value as u32).to_string(),
            Some(value) => format_number(value, self.decimals, self.explicit_sign),
            None => MISSING.to_string(),
        }
    }
}

/// Formats a number the Swedish way: `−12 345,6`, or `+5,8` with
/// `explicit_sign`. Non-finite values cannot come from validated data; they
/// are written as `–` rather than as `NaN`.
pub fn format_number(value: f64, decimals: u8, explicit_sign: bool) -> String {
    if !value.is_finite() {
        return MISSING.to_string();
    }
    let (integer, fraction) = round_decimal(value.abs(), decimals as usize);
    let is_zero = integer.bytes().all(|b| b == b'0') && fraction.bytes().all(|b| b == b'0');
    let mut out = String::new();
    if !is_zero {
        if value < 0.0 {
            out.push(MINUS);
        } else if explicit_sign {
            out.push('+');
        }
    }
    out.push_str(&group_thousands(&integer));
    if decimals > 0 {
        out.push(',');
        out.push_str(&fraction);
    }
    out
}

/// Rounds a non-negative value half away from zero at `decimals` places,
/// working on its shortest round-trip decimal form. Returns the integer and
/// fraction digits.
fn round_decimal(value: f64, decimals: usize) -> (String, String) {
    // `{}` on f64 prints the shortest string that reads back as the same
    // float, in plain (non-exponent) notation.
    let text = format!("{value}");
    let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, ""));
    let mut digits: Vec<u8> = int_part.bytes().chain(frac_part.bytes()).map(|b| b - b'0').collect();
    let int_len = int_part.len();
    // Pad the fraction so that it has at least `decimals` digits.
    digits.resize(digits.len().max(int_len + decimals), 0);
    let keep = int_len + decimals;
    let round_up = digits.get(keep).is_some_and(|&d| d >= 5);
    digits.truncate(keep);
    let mut int_len = int_len;
    if round_up {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                int_len += 1;
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let to_string = |ds: &[u8]| ds.iter().map(|d| char::from(b'0' + d)).collect::<String>();
    (to_string(&digits[..int_len]), to_string(&digits[int_len..]))
}

/// `1234567` → `1 234 567` with no-break spaces.
fn group_thousands(integer: &str) -> String {
    let integer = integer.trim_start_matches('0');
    let integer = if integer.is_empty() { "0" } else { integer };
    let mut out = String::with_capacity(integer.len() + integer.len() / 3 * 2);
    for (i, c) in integer.chars().enumerate() {
        if i > 0 && (integer.len() - i) % 3 == 0 {
            out.push(NBSP);
        }
        out.push(c);
    }
    out
}

/// Reads a number written the Swedish way (or as a spreadsheet exports it):
/// decimal comma or point, spaces or no-break spaces between groups, U+2212,
/// en dash or hyphen as minus, an optional leading `+`. Returns `None` for
/// anything else (text, `NaN`, `inf`, two decimal marks).
pub fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim_matches(|c: char| c.is_whitespace());
    let (negative, rest) = match text.chars().next()? {
        sign @ (MINUS | '–' | '-') => (true, &text[sign.len_utf8()..]),
        '+' => (false, &text[1..]),
        _ => (false, text),
    };
    // The plain digits go into a buffer on the stack (a million cells must
    // not mean a million allocations); only absurdly long numbers spill.
    let mut buffer = [0u8; 64];
    let mut spilled = String::new();
    let mut length = 0;
    let mut seen_decimal = false;
    let mut seen_digit = false;
    for c in rest.chars() {
        let byte = match c {
            '0'..='9' => {
                seen_digit = true;
                c as u8
            }
            ',' | '.' if !seen_decimal => {
                seen_decimal = true;
                b'.'
            }
            ' ' | NBSP | '\u{202F}' | '\u{2009}' if !seen_decimal => continue,
            _ => return None,
        };
        if length < buffer.len() {
            buffer[length] = byte;
            length += 1;
        } else {
            if spilled.is_empty() {
                spilled.push_str(std::str::from_utf8(&buffer).expect("ASCII"));
            }
            spilled.push(byte as char);
        }
    }
    if !seen_digit {
        return None;
    }
    let plain = if spilled.is_empty() { std::str::from_utf8(&buffer[..length]).expect("ASCII") } else { &spilled };
    let value: f64 = plain.parse().ok()?;
    value.is_finite().then_some(if negative { -value } else { value })
}

/// A name as people write it, for comparing: composed Unicode (NFC, so
/// that å typed as a + ring is å), lower case, single spaces between words
/// (no-break spaces too), none around.
pub fn normalise(written: &str) -> String {
    let mut out = String::with_capacity(written.len());
    for word in written.split(|c: char| c.is_whitespace() || c == '\u{A0}' || c == '\u{202F}').filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.nfc().flat_map(char::to_lowercase));
    }
    out
}

/// Items as a Swedish list: "a", "a och b", "a, b och c".
pub fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} och {last}", rest.join(", ")),
    }
}

/// A count with its noun in the singular or plural: `1 varning`,
/// `2 varningar`, `0 fel`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `september` for month 9.
pub fn month_name(month: u32) -> &'static str {
    MONTH_NAMES[(month as usize - 1) % 12]
}

/// `sep` for month 9, for chart axes.
pub fn month_abbreviation(month: u32) -> &'static str {
    MONTH_ABBREVIATIONS[(month as usize - 1) % 12]
}

/// Finds a month by its Swedish name or abbreviation (`sep`, `sept`, `september`).
pub fn month_from_name(name: &str) -> Option<u32> {
    let name = name.trim().trim_end_matches('.').to_lowercase();
    if name.is_empty() {
        return None;
    }
    (1..=12).find(|&m| {
        let full = month_name(m);
        full == name || (name.len() >= 3 && full.starts_with(&name))
    })
}

/// `30 september 2023`, the form for running text.
pub fn date_long(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), month_name(date.month()), date.year())
}

/// `2023-09-30`, the form for headers, metadata and tables.
pub fn date_iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Puts a no-break space between a number and a following unit in text that a
/// person wrote (`97,2 %` must not break before the `%`).
pub fn bind_units(text: &str) -> String {
    const UNITS: [&str; 6] = ["%", "mnkr", "mdkr", "tkr", "kr", "st"];
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let follows_digit = i > 0 && chars[i - 1].is_ascii_digit();
        if c == ' ' && follows_digit {
            let rest: String = chars[i + 1..].iter().take(5).collect();
            let unit_follows = UNITS
                .iter()
                .any(|unit| rest.starts_with(unit) && !rest[unit.len()..].starts_with(|ch: char| ch.is_alphanumeric()));
            if unit_follows {
                out.push(NBSP);
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// What we write, we read back: the value rounded to the decimals.
        #[test]
        fn formatted_numbers_parse_back(value in -1e12..1e12f64, decimals in 0u8..4, signed: bool) {
            let written = format_number(value, decimals, signed);
            let read = parse_number(&written).expect("our own output parses");
            let scale = 10f64.powi(decimals as i32);
            prop_assert!((read - value).abs() <= 0.5 / scale + 1e-9 * value.abs(), "{value} → {written} → {read}");
            prop_assert!(!written.contains('-'), "never a hyphen: {written}");
            prop_assert!(!written.contains('.'), "never a decimal point: {written}");
        }

        /// Any text either parses to a finite number or is refused; it never panics.
        #[test]
        fn parsing_never_panics(text in "\\PC{0,40}") {
            if let Some(value) = parse_number(&text) {
                prop_assert!(value.is_finite());
            }
        }
    }

    fn plain(s: &str) -> String {
        s.replace(NBSP, " ").replace(MINUS, "-")
    }

    #[test]
    fn negatives_use_the_minus_sign() {
        assert_eq!(format_number(-21.5, 1, false), "\u{2212}21,5");
        assert_eq!(NumberStyle::new(1).with_unit("mnkr").format(Some(-21.5)), "\u{2212}21,5\u{a0}mnkr");
    }

    #[test]
    fn deviations_show_an_explicit_plus() {
        let style = NumberStyle::new(1).with_unit("mnkr").signed();
        assert_eq!(style.format(Some(5.8)), "+5,8\u{a0}mnkr");
        assert_eq!(style.format(Some(-7.6)), "\u{2212}7,6\u{a0}mnkr");
    }

    #[test]
    fn percent_has_a_no_break_space() {
        assert_eq!(NumberStyle::new(1).with_unit("%").format(Some(97.2)), "97,2\u{a0}%");
        assert_eq!(NumberStyle::new(0).with_unit("%").format(Some(88.0)), "88\u{a0}%");
    }

    #[test]
    fn zero_and_values_rounding_to_zero_have_no_sign() {
        assert_eq!(format_number(0.0, 1, false), "0,0");
        assert_eq!(format_number(-0.0, 1, true), "0,0");
        assert_eq!(format_number(-0.04, 1, false), "0,0");
        assert_eq!(format_number(-0.04, 1, true), "0,0");
        assert_eq!(format_number(0.04, 1, true), "0,0");
        assert_eq!(format_number(-0.05, 1, false), "\u{2212}0,1");
        assert_eq!(format_number(0.05, 1, true), "+0,1");
    }

    #[test]
    fn rounding_is_half_away_from_zero_on_the_decimal_form() {
        assert_eq!(format_number(0.15, 1, false), "0,2");
        assert_eq!(format_number(2.25, 1, false), "2,3");
        assert_eq!(format_number(-2.25, 1, false), "\u{2212}2,3");
        assert_eq!(format_number(1.005, 2, false), "1,01");
        assert_eq!(format_number(9.95, 1, false), "10,0");
        assert_eq!(format_number(999.96, 1, false), "1\u{a0}000,0");
        assert_eq!(format_number(0.5, 0, false), "1");
        assert_eq!(format_number(37.36, 0, false), "37");
        assert_eq!(format_number(34.0 / 91.0 * 100.0, 0, false), "37");
    }

    #[test]
    fn large_numbers_are_grouped_by_three() {
        assert_eq!(plain(&format_number(12345.6, 1, false)), "12 345,6");
        assert_eq!(plain(&format_number(1234567.0, 0, false)), "1 234 567");
        assert_eq!(plain(&format_number(-1406807.0, 0, false)), "-1 406 807");
        assert_eq!(plain(&format_number(100.0, 0, false)), "100");
        assert_eq!(plain(&format_number(1000.0, 0, false)), "1 000");
        assert_eq!(plain(&format_number(9300.0, 0, false)), "9 300");
        assert_eq!(plain(&format_number(1e15, 0, false)), "1 000 000 000 000 000");
    }

    #[test]
    fn missing_and_non_finite_values_show_a_dash() {
        assert_eq!(NumberStyle::new(1).with_unit("mnkr").format(None), "–");
        assert_eq!(format_number(f64::NAN, 1, false), "–");
        assert_eq!(format_number(f64::INFINITY, 1, false), "–");
    }

    #[test]
    fn tiny_values_are_not_written_in_exponent_form() {
        assert_eq!(format_number(1e-10, 2, false), "0,00");
        assert_eq!(format_number(-1e-10, 2, true), "0,00");
    }

    #[test]
    fn parses_what_spreadsheets_and_people_write() {
        assert_eq!(parse_number("-21,5"), Some(-21.5));
        assert_eq!(parse_number("\u{2212}21,5"), Some(-21.5));
        assert_eq!(parse_number("– 7,6"), Some(-7.6));
        assert_eq!(parse_number("+5,8"), Some(5.8));
        assert_eq!(parse_number("12 345,6"), Some(12345.6));
        assert_eq!(parse_number("12\u{a0}345,6"), Some(12345.6));
        assert_eq!(parse_number("97.2"), Some(97.2));
        assert_eq!(parse_number(" 3 "), Some(3.0));
        assert_eq!(parse_number("1,2,3"), None);
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("-"), None);
        assert_eq!(parse_number(","), None);
    }

    #[test]
    fn month_names_and_dates() {
        assert_eq!(month_name(9), "september");
        assert_eq!(month_abbreviation(5), "maj");
        assert_eq!(month_abbreviation(10), "okt");
        assert_eq!(month_from_name("Sept."), Some(9));
        assert_eq!(month_from_name("mars"), Some(3));
        assert_eq!(month_from_name("ma"), None);
        let date = NaiveDate::from_ymd_opt(2023, 9, 30).unwrap();
        assert_eq!(date_long(date), "30 september 2023");
        assert_eq!(date_iso(date), "2023-09-30");
    }

    #[test]
    fn units_in_written_text_are_bound_to_their_number() {
        assert_eq!(bind_units("Måluppfyllelse 97,2 % september"), "Måluppfyllelse 97,2\u{a0}% september");
        assert_eq!(bind_units("tot -21,5 mnkr."), "tot -21,5\u{a0}mnkr.");
        assert_eq!(bind_units("9 300 st färre"), "9 300\u{a0}st färre");
        assert_eq!(bind_units("3 stora"), "3 stora");
        assert_eq!(bind_units("år 2023 kr"), "år 2023\u{a0}kr");
    }
}

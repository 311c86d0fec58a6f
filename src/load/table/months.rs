//! Month and year headings as exports write them: `2023-09`, `sep 2023`,
//! `september 2023`, `jan-23`, `2023-jan`, `2023M09`, an Excel date, a year
//! (`2023`), or a month alone (`jan` … `dec`, the year given elsewhere).

use chrono::NaiveDate;

use crate::load::rows::Value;
use crate::period::Month;
use crate::swedish;

/// What a cell says about time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heading {
    Month(Month),
    /// A year, for yearly figures (kept at December).
    Year(i32),
    /// `jan` … `dec`: the year comes from the header above, `ar` or the
    /// report period.
    MonthOnly(u32),
    /// A date that does not exist, such as `2023-02-30`.
    Impossible,
}

/// The heading of a cell, if it is one.
pub fn heading(value: Value, text: &str) -> Option<Heading> {
    match value {
        Value::Date(date) => Month::of_date(date).map(Heading::Month),
        Value::Number(n) if n.fract() == 0.0 && (1000.0..10000.0).contains(&n) => Some(Heading::Year(n as i32)),
        Value::Text => text_heading(text.trim()),
        _ => None,
    }
}

fn text_heading(text: &str) -> Option<Heading> {
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Heading::Year(text.parse().ok()?));
    }
    if let Some(month) = Month::parse(text) {
        return Some(Heading::Month(month));
    }
    // `2023-09-30`: a date, which must exist.
    if text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-' {
        let month = Month::parse(&text[..7])?;
        return Some(match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(_) => Heading::Month(month),
            Err(_) => Heading::Impossible,
        });
    }
    // `2023M09`, as statistics services write months.
    if let Some((year, month)) = text.split_once(['M', 'm'])
        && year.len() == 4
        && month.len() == 2
        && let (Ok(year), Ok(month)) = (year.parse(), month.parse())
    {
        return Month::new(year, month).map(Heading::Month);
    }
    if let Some(month) = month_named(text) {
        return Some(Heading::MonthOnly(month));
    }
    // A month name and a year in either order: `sep 2023`, `jan-23`, `2023-jan`.
    let (first, second) = text.split_once([' ', '-', '/', '\u{A0}'])?;
    let (first, second) = (first.trim(), second.trim());
    let (name, year) = if first.bytes().all(|b| b.is_ascii_digit()) { (second, first) } else { (first, second) };
    let month = month_named(name)?;
    let year: i32 = match year.len() {
        4 => year.parse().ok()?,
        2 => 2000 + year.parse::<i32>().ok()?,
        _ => return None,
    };
    Month::new(year, month).map(Heading::Month)
}

/// A month written by name, in Swedish or as English systems abbreviate it.
fn month_named(text: &str) -> Option<u32> {
    swedish::month_from_name(text).or_else(|| {
        let text = text.trim().trim_end_matches('.').to_lowercase();
        let english = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
        english.iter().position(|m| *m == text).map(|i| i as u32 + 1)
    })
}

/// The first year written in a text (`Utfall 2023`, `Period: jan–sep 2023`).
pub fn year_in(text: &str) -> Option<i32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|word| word.len() == 4)
        .filter_map(|word| word.parse().ok())
        .find(|year| (1900..=2200).contains(year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> Option<Heading> {
        heading(Value::Text, text)
    }

    #[test]
    fn reads_the_ways_exports_write_months() {
        let september = Some(Heading::Month(Month { year: 2023, month: 9 }));
        for text in
            ["2023-09", "sep 2023", "september 2023", "Sep. 2023", "sep-23", "2023-sep", "2023M09", "2023-09-30"]
        {
            assert_eq!(month(text), september, "{text}");
        }
        assert_eq!(month("jan"), Some(Heading::MonthOnly(1)));
        assert_eq!(month("Dec"), Some(Heading::MonthOnly(12)));
        assert_eq!(month("maj"), Some(Heading::MonthOnly(5)));
        assert_eq!(month("2023"), Some(Heading::Year(2023)));
        assert_eq!(month("2023-02-30"), Some(Heading::Impossible));
        assert_eq!(month("Verksamhet"), None);
        assert_eq!(month("Summa"), None);
        assert_eq!(year_in("Utfall 2023"), Some(2023));
        assert_eq!(year_in("Konto 12345"), None);
    }
}

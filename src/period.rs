//! Calendar months, the unit every figure is reported in, and the longer
//! periods derived from them (tertial, quarter, year, year to date).
//!
//! Regions use the calendar year as fiscal year; a tertial is four months
//! (T1 januari–april, T2 maj–augusti, T3 september–december).

use std::fmt;

use chrono::NaiveDate;

use crate::swedish;

/// A calendar month, e.g. `2023-09`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

/// The years a report's periods and dates may fall in: wide enough for any
/// real report, narrow enough that every date in them can be formatted,
/// shifted and handed to Typst without overflow.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && YEARS.contains(&year)).then_some(Month { year, month })
    }

    /// Parses the ISO form `2023-09` (also `2023-9`).
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.trim().split_once('-')?;
        if year.len() != 4 || month.is_empty() || month.len() > 2 {
            return None;
        }
        Month::new(year.parse().ok()?, month.parse().ok()?)
    }

    /// The month a date falls in.
    pub fn of_date(date: NaiveDate) -> Option<Month> {
        use chrono::Datelike;
        Month::new(date.year(), date.month())
    }

    /// Months since year 0, for arithmetic.
    fn index(self) -> i64 {
        self.year as i64 * 12 + (self.month as i64 - 1)
    }

    fn from_index(index: i64) -> Month {
        Month { year: index.div_euclid(12) as i32, month: (index.rem_euclid(12) + 1) as u32 }
    }

    /// The month `n` months later (earlier for negative `n`).
    pub fn plus(self, n: i64) -> Month {
        Month::from_index(self.index() + n)
    }

    /// Number of months from `self` to `other` (positive if `other` is later).
    pub fn months_until(self, other: Month) -> i64 {
        other.index() - self.index()
    }

    /// January of the same year.
    pub fn year_start(self) -> Month {
        Month { year: self.year, month: 1 }
    }

    /// The last day of the month.
    pub fn last_day(self) -> NaiveDate {
        let next = self.plus(1);
        NaiveDate::from_ymd_opt(next.year, next.month, 1)
            .and_then(|d| d.pred_opt())
            .expect("a validated month has a last day")
    }

    /// `september 2023`, for running text.
    pub fn long_name(self) -> String {
        format!("{} {}", swedish::month_name(self.month), self.year)
    }

    /// Every month from `self` to `last`, both included.
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        (self.index()..=last.index()).map(Month::from_index)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// How often a metric has a value: every month (the region's own
/// figures), or once a year (Kolada's key figures, many SCB tables). A
/// yearly value is kept at December of its year, so that one monthly
/// timeline holds both and a year back is twelve months back for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Frequency {
    #[default]
    Monthly,
    Yearly,
}

impl Frequency {
    /// The month a value for `month`'s period is kept at: the month itself,
    /// or December of its year.
    pub fn anchor(self, month: Month) -> Month {
        match self {
            Frequency::Monthly => month,
            Frequency::Yearly => Month { year: month.year, month: 12 },
        }
    }

    /// Months between two values: 1, or 12.
    pub fn step(self) -> i64 {
        match self {
            Frequency::Monthly => 1,
            Frequency::Yearly => 12,
        }
    }

    /// The month of every value from `first` to `last`, both included.
    pub fn through(self, first: Month, last: Month) -> Vec<Month> {
        let (first, last) = (self.anchor(first), self.anchor(last));
        (0..).map(|i| first.plus(i * self.step())).take_while(|m| *m <= last).collect()
    }

    /// How a value's period is written in a data file: `2023-09`, or `2023`.
    pub fn code(self, month: Month) -> String {
        match self {
            Frequency::Monthly => month.to_string(),
            Frequency::Yearly => month.year.to_string(),
        }
    }

    /// How it reads in text: `september 2023`, or `2023`.
    pub fn long_name(self, month: Month) -> String {
        match self {
            Frequency::Monthly => month.long_name(),
            Frequency::Yearly => month.year.to_string(),
        }
    }

    /// With its noun, for messages: `månaden 2023-09`, `året 2023`.
    pub fn named(self, month: Month) -> String {
        match self {
            Frequency::Monthly => format!("månaden {month}"),
            Frequency::Yearly => format!("året {}", month.year),
        }
    }
}

/// A period longer than a month that a table cell or placeholder can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month(Month),
    /// `2023-T2`: maj–augusti 2023.
    Tertial(i32, u32),
    /// `2023-K1`: januari–mars 2023.
    Quarter(i32, u32),
    /// `2023`: the whole year.
    Year(i32),
    /// `2023-05..2023-09`: the months from the first to the last.
    Range(Month, Month),
}

impl Period {
    /// Parses `2023-09`, `2023-T2`, `2023-K1`, `2023` or `2023-05..2023-09`.
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        if let Some((first, last)) = text.split_once("..") {
            let (first, last) = (Month::parse(first)?, Month::parse(last)?);
            return (first <= last).then_some(Period::Range(first, last));
        }
        if let Some(month) = Month::parse(text) {
            return Some(Period::Month(month));
        }
        if text.len() == 4 {
            let year: i32 = text.parse().ok()?;
            return Month::new(year, 1).map(|_| Period::Year(year));
        }
        let (year, rest) = text.split_once('-')?;
        let year: i32 = year.parse().ok()?;
        Month::new(year, 1)?;
        let (kind, number) = rest.split_at_checked(1)?;
        let number: u32 = number.parse().ok()?;
        match kind {
            "T" | "t" if (1..=3).contains(&number) => Some(Period::Tertial(year, number)),
            "K" | "k" | "Q" | "q" if (1..=4).contains(&number) => Some(Period::Quarter(year, number)),
            _ => None,
        }
    }

    /// First and last month of the period.
    pub fn months(self) -> (Month, Month) {
        let span = |year, first: u32, len: u32| (Month { year, month: first }, Month { year, month: first + len - 1 });
        match self {
            Period::Month(m) => (m, m),
            Period::Tertial(y, t) => span(y, (t - 1) * 4 + 1, 4),
            Period::Quarter(y, q) => span(y, (q - 1) * 3 + 1, 3),
            Period::Year(y) => span(y, 1, 12),
            Period::Range(first, last) => (first, last),
        }
    }

    /// How the period reads in text: `september 2023`, `tertial 2 2023`,
    /// `kvartal 1 2023`, `2023`, `maj–september 2023`.
    pub fn long_name(self) -> String {
        match self {
            Period::Month(m) => m.long_name(),
            Period::Tertial(y, t) => format!("tertial {t} {y}"),
            Period::Quarter(y, q) => format!("kvartal {q} {y}"),
            Period::Year(y) => y.to_string(),
            Period::Range(first, last) if first.year == last.year => {
                format!("{}–{}", swedish::month_name(first.month), last.long_name())
            }
            Period::Range(first, last) => format!("{}–{}", first.long_name(), last.long_name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    #[test]
    fn parses_iso_months() {
        assert_eq!(m("2023-09"), Month { year: 2023, month: 9 });
        assert_eq!(m("2023-9"), Month { year: 2023, month: 9 });
        assert_eq!(Month::parse("2023-13"), None);
        assert_eq!(Month::parse("2023-00"), None);
        assert_eq!(Month::parse("23-09"), None);
        assert_eq!(Month::parse("september"), None);
        assert_eq!(m("2023-09").to_string(), "2023-09");
    }

    #[test]
    fn month_arithmetic_crosses_years() {
        assert_eq!(m("2023-09").plus(-11), m("2022-10"));
        assert_eq!(m("2023-12").plus(1), m("2024-01"));
        assert_eq!(m("2023-01").plus(-1), m("2022-12"));
        assert_eq!(m("2022-10").months_until(m("2023-09")), 11);
        assert_eq!(m("2023-11").through(m("2024-02")).count(), 4);
    }

    #[test]
    fn tertials_and_quarters() {
        assert_eq!(Period::parse("2023-T1").unwrap().months(), (m("2023-01"), m("2023-04")));
        assert_eq!(Period::parse("2023-T3").unwrap().months(), (m("2023-09"), m("2023-12")));
        assert_eq!(Period::parse("2023-K4").unwrap().months(), (m("2023-10"), m("2023-12")));
        assert_eq!(Period::parse("2023-T2").unwrap().months(), (m("2023-05"), m("2023-08")));
        assert_eq!(Period::parse("2023-K1").unwrap().months(), (m("2023-01"), m("2023-03")));
        assert_eq!(Period::parse("2023").unwrap().months(), (m("2023-01"), m("2023-12")));
        assert_eq!(Period::parse("2023-T4"), None);
        assert_eq!(Period::parse("2023-05..2023-09").unwrap().months(), (m("2023-05"), m("2023-09")));
        assert_eq!(Period::parse("2023-09..2023-05"), None);
        assert_eq!(Period::parse("2023-05..2023-09").unwrap().long_name(), "maj–september 2023");
        assert_eq!(Period::parse("2023-X1"), None);
    }

    #[test]
    fn yearly_values_are_kept_at_december() {
        assert_eq!(Frequency::Yearly.anchor(m("2023-09")), m("2023-12"));
        assert_eq!(Frequency::Monthly.anchor(m("2023-09")), m("2023-09"));
        assert_eq!(Frequency::Yearly.through(m("2021-01"), m("2023-09")), [m("2021-12"), m("2022-12"), m("2023-12")]);
        assert_eq!(Frequency::Monthly.through(m("2023-11"), m("2024-01")).len(), 3);
        assert_eq!(Frequency::Yearly.long_name(m("2023-12")), "2023");
        assert_eq!(Frequency::Yearly.named(m("2023-12")), "året 2023");
        assert_eq!(Frequency::Monthly.named(m("2023-12")), "månaden 2023-12");
    }

    #[test]
    fn names_and_last_days() {
        assert_eq!(m("2023-09").long_name(), "september 2023");
        assert_eq!(m("2024-02").last_day().to_string(), "2024-02-29");
        assert_eq!(m("2023-12").last_day().to_string(), "2023-12-31");
        assert_eq!(Period::parse("2023-T2").unwrap().long_name(), "tertial 2 2023");
    }
}

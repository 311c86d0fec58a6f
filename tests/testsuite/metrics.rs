//! The laws the derived metrics must keep, as property tests over random
//! monthly series, and the published figures of the seeds.

use chrono::NaiveDate;
use proptest::prelude::*;
use statusrapport::dataset::{DataSet, NewValue};
use statusrapport::diagnostic::{Sources, Span};
use statusrapport::formula;
use statusrapport::metrics::Metrics;
use statusrapport::model::{Aggregation, Definition, Inputs, Kind, Layout, Metric, Report, TextTemplate, Unit};
use statusrapport::period::{Frequency, Month, Period};
use statusrapport::swedish::NumberStyle;

/// Metrics `x` and `y` from data, and the given formulas.
fn report(formulas: &[(&str, &str)]) -> Report {
    let input = |id: &str| Metric {
        id: id.into(),
        name: id.into(),
        style: NumberStyle::new(1),
        definition: Definition::Input,
        aggregation: Aggregation::Sum,
        target: Some(90.0),
        description: None,
        aliases: Vec::new(),
        frequency: Frequency::Monthly,
    };
    let mut metrics = vec![input("x"), input("y")];
    for (id, text) in formulas {
        metrics.push(Metric { definition: Definition::Formula(formula::parse(text).unwrap()), ..input(id) });
    }
    let mut inputs = Inputs::default();
    inputs.add(0, 0, ("x", "e"));
    inputs.add(1, 0, ("y", "e"));
    Report {
        root: ".".into(),
        name: "test".into(),
        kind: Kind::Statusrapport,
        title: TextTemplate::literal("Test"),
        subtitle: None,
        namnd: "Nämnden".into(),
        forvaltning: None,
        recipient: None,
        period: Month::parse("2023-09"),
        date: NaiveDate::from_ymd_opt(2023, 9, 30).unwrap(),
        diarienummer: None,
        logo: None,
        handlaggare: None,
        signatures: Vec::new(),
        signature_heading: None,
        extract_to: Vec::new(),
        data_appendix: false,
        layout: Layout { title_page: true, charts_per_slide: 1, paragraph_spacing: 6.0, overflow: Default::default() },
        units: vec![Unit { id: "e".into(), name: "Enheten".into(), short_name: "E".into(), aliases: Vec::new() }],
        metrics,
        inputs,
        sections: Vec::new(),
        sources: Vec::new(),
    }
}

/// Data for `x` and `y` from January 2022, one value a month (None: empty).
fn data(x: &[Option<f64>], y: &[Option<f64>]) -> DataSet {
    let mut sources = Sources::default();
    let source = sources.add("test.csv", "");
    let span = Span::new(source, 0..0);
    let mut data = DataSet::default();
    let first = Month::parse("2022-01").unwrap();
    for (metric, values) in [("x", x), ("y", y)] {
        for (i, value) in values.iter().enumerate() {
            let new = NewValue {
                metric,
                unit: "e",
                month: first.plus(i as i64),
                frequency: Frequency::Monthly,
                value: *value,
                metric_origin: span,
                unit_origin: span,
                value_origin: span,
            };
            data.insert(new, &sources).unwrap();
        }
    }
    data
}

fn month(i: i64) -> Month {
    Month::parse("2022-01").unwrap().plus(i)
}

fn series() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-1000.0..1000.0f64, 24)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn r12_of_a_constant_is_twelve_times_it(c in -1000.0..1000.0f64) {
        let report = report(&[("r", "r12(x)")]);
        let data = data(&[Some(c); 24], &[]);
        let metrics = Metrics::new(&report, &data);
        for i in 11..24 {
            prop_assert!(close(metrics.value(2, 0, month(i)).unwrap(), 12.0 * c));
        }
        prop_assert_eq!(metrics.value(2, 0, month(10)), None, "R12 needs twelve months");
    }

    #[test]
    fn monthly_deviations_sum_to_the_accumulated_deviation(x in series(), y in series()) {
        let report = report(&[("d", "x - y"), ("a", "ack(x - y)")]);
        let data = data(&x.iter().copied().map(Some).collect::<Vec<_>>(), &y.iter().copied().map(Some).collect::<Vec<_>>());
        let metrics = Metrics::new(&report, &data);
        for year_start in [0, 12] {
            let mut sum = 0.0;
            for i in year_start..year_start + 12 {
                sum += metrics.value(2, 0, month(i)).unwrap();
                prop_assert!(close(metrics.value(3, 0, month(i)).unwrap(), sum));
            }
        }
    }

    #[test]
    fn the_whole_year_is_the_year_to_date_in_december(x in series()) {
        let report = report(&[("h", "helar(x)"), ("a", "ack(x)")]);
        let data = data(&x.iter().copied().map(Some).collect::<Vec<_>>(), &[]);
        let metrics = Metrics::new(&report, &data);
        let december = metrics.value(3, 0, month(11)).unwrap();
        for i in 0..12 {
            prop_assert!(close(metrics.value(2, 0, month(i)).unwrap(), december));
        }
        let tertial = metrics.period_value(0, 0, Period::Tertial(2022, 2)).unwrap();
        prop_assert!(close(tertial, x[4..8].iter().sum()));
    }

    #[test]
    fn change_is_the_value_minus_last_years(x in series()) {
        let report = report(&[("f", "forandring(x)"), ("p", "foregaende_ar(x)"), ("q", "forandring_procent(x)")]);
        let data = data(&x.iter().copied().map(Some).collect::<Vec<_>>(), &[]);
        let metrics = Metrics::new(&report, &data);
        for i in 12..24 {
            let (now, before) = (x[i as usize], x[i as usize - 12]);
            prop_assert!(close(metrics.value(2, 0, month(i)).unwrap(), now - before));
            prop_assert!(close(metrics.value(3, 0, month(i)).unwrap(), before));
            if before != 0.0 {
                prop_assert!(close(metrics.value(4, 0, month(i)).unwrap(), (now / before - 1.0) * 100.0));
            }
        }
    }

    #[test]
    fn a_share_times_its_whole_is_its_part(x in series(), y in series()) {
        let report = report(&[("s", "andel(x, y)"), ("m", "maluppfyllelse(x)")]);
        let data = data(&x.iter().copied().map(Some).collect::<Vec<_>>(), &y.iter().copied().map(Some).collect::<Vec<_>>());
        let metrics = Metrics::new(&report, &data);
        for i in 0..24 {
            let share = metrics.value(2, 0, month(i));
            prop_assert!(close(share.unwrap() * y[i as usize] / 100.0, x[i as usize]));
            let met = metrics.value(3, 0, month(i)).unwrap();
            prop_assert!((0.0..=100.0).contains(&met));
        }
    }

    #[test]
    fn a_missing_month_makes_r12_missing_for_twelve_months(gap in 0usize..24) {
        let mut x = vec![Some(1.0); 24];
        x[gap] = None;
        let report = report(&[("r", "r12(x)")]);
        let data = data(&x, &[]);
        let metrics = Metrics::new(&report, &data);
        for i in 11..24 {
            let covers_gap = (i - 11..=i).contains(&(gap as i64));
            prop_assert_eq!(metrics.value(2, 0, month(i)).is_none(), covers_gap);
        }
        if gap >= 12 {
            let missing = metrics.missing_inputs(2, 0, month(gap as i64));
            prop_assert_eq!(missing, vec![(0, month(gap as i64))], "the message names the missing month");
        }
    }
}

#[test]
fn seed_004_34_of_91_is_37_percent() {
    let report = report(&[("andel", "andel(x, y)")]);
    let mut x = vec![None; 24];
    let mut y = vec![None; 24];
    x[15] = Some(34.0);
    y[15] = Some(91.0);
    let data = data(&x, &y);
    let metrics = Metrics::new(&report, &data);
    let share = metrics.value(2, 0, Month::parse("2023-04").unwrap());
    assert_eq!(NumberStyle::new(0).with_unit("procent").format(share), "37\u{a0}procent");
}

#[test]
fn seed_002_result_and_prognosis_against_budget() {
    // Resultat efter 3 månader −121 mnkr, 33 mnkr sämre än budget; prognos
    // −194 mnkr, 211 mnkr sämre än årsbudgeten (+17 mnkr).
    let report = report(&[
        ("ack", "ack(x)"),
        ("under", "-ack(x - y)"),
        ("arsbudget", "helar(y)"),
        ("prognosavvikelse", "-194 - helar(y)"),
    ]);
    let mut x = vec![None; 24];
    let mut y = vec![None; 24];
    for (i, (actual, budget)) in [(-40.0, -30.0), (-45.0, -32.0), (-36.0, -26.0)].into_iter().enumerate() {
        x[12 + i] = Some(actual);
        y[12 + i] = Some(budget);
    }
    for (i, budget) in y.iter_mut().enumerate().skip(15) {
        *budget = Some(if i == 23 { 11.4 } else { 11.7 });
    }
    let data = data(&x, &y);
    let metrics = Metrics::new(&report, &data);
    let march = Month::parse("2023-03").unwrap();
    let mnkr = NumberStyle::new(0).with_unit("mnkr");
    assert_eq!(mnkr.format(metrics.value(2, 0, march)), "\u{2212}121\u{a0}mnkr");
    assert_eq!(mnkr.format(metrics.value(3, 0, march)), "33\u{a0}mnkr");
    assert_eq!(mnkr.format(metrics.value(4, 0, march)), "17\u{a0}mnkr");
    assert_eq!(mnkr.format(metrics.value(5, 0, march)), "\u{2212}211\u{a0}mnkr", "211 mnkr sämre än årsbudgeten");
}

#[test]
fn the_lowest_and_highest_month_and_the_months_that_met_the_target() {
    // 2023: jan −1,2, feb −0,8, mar −2,1, apr −2,9, maj −0,4, jun (saknas), jul 0,3.
    let report = report(&[
        ("lagst", "lagst(x)"),
        ("lagst_manad", "lägst_månad(x)"),
        ("hogst_manad", "hogst_manad(x)"),
        ("medel", "medel(x)"),
        ("antal", "antal_minst(x, y)"),
        ("andel", "andel_hogst(x, -1)"),
    ]);
    let mut x = vec![None; 24];
    for (i, value) in [-1.2, -0.8, -2.1, -2.9, -0.4].into_iter().enumerate() {
        x[12 + i] = Some(value);
    }
    x[18] = Some(0.3);
    let data = data(&x, &[Some(-1.0); 24]);
    let metrics = Metrics::new(&report, &data);
    let july = Month::parse("2023-07").unwrap();
    assert_eq!(metrics.value(2, 0, july), Some(-2.9));
    assert_eq!(metrics.value(3, 0, july), Some(4.0), "april");
    assert_eq!(metrics.value(4, 0, july), Some(7.0), "juli");
    assert!(close(metrics.value(5, 0, july).unwrap(), (-1.2 - 0.8 - 2.1 - 2.9 - 0.4 + 0.3) / 6.0));
    assert_eq!(metrics.value(6, 0, july), Some(3.0), "feb, maj and jul at or above −1");
    assert_eq!(metrics.value(7, 0, july), Some(50.0), "jan, mar, apr of six months at or below −1");
    // March: January to March only.
    assert_eq!(metrics.value(3, 0, Month::parse("2023-03").unwrap()), Some(3.0));
    let over = |function: &str, first: &str, last: &str| {
        let (function, _) = statusrapport::formula::Function::by_name(function).unwrap();
        let months = (Month::parse(first).unwrap(), Month::parse(last).unwrap());
        metrics.over_months(function, 0, 0, months, Some(-1.0))
    };
    assert_eq!(over("lagst_manad", "2023-05", "2023-07"), Some(5.0));
    assert_eq!(over("hogst", "2023-01", "2023-04"), Some(-0.8));
    assert_eq!(over("antal_minst", "2023-01", "2023-04"), Some(1.0));
    assert_eq!(over("medel", "2023-06", "2023-06"), None, "no month with a value");
}

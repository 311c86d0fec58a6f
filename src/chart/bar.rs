//! `stapel`: one series as bars over months, dark blue above zero and dark
//! red below, with the value on each bar.

use plotters::prelude::*;

use super::{Drawn, Input, Line, draw_bar_values, draw_month_axis, draw_month_bars, draw_zero_line};
use super::{describe_series, month_axes, months_drawn, value_range};
use crate::period::Frequency;
use crate::swedish::NumberStyle;

pub fn draw(input: &Input) -> Drawn {
    let line = &input.series[0];
    months_drawn(input, svg(line, input), alt(input.title, line, input.style, input.frequency))
}

fn svg(line: &Line, input: &Input) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, input.units()).into_drawing_area();
        let (low, high) = value_range(line.values.iter().filter_map(|(_, v)| *v));
        let n = line.values.len();
        let mut chart = month_axes(&root, n, (low, high), 20);
        draw_month_bars(&mut chart, &line.values, 0.0, 0.68, None);
        draw_zero_line(&mut chart, n);
        draw_bar_values(&root, &chart, &line.values, input.style);
        let months: Vec<_> = line.values.iter().map(|(m, _)| *m).collect();
        draw_month_axis(&root, &chart, &months, low, input.frequency);
        root.present().expect("SVG into a string");
    }
    svg
}

fn alt(title: &str, line: &Line, style: &NumberStyle, frequency: Frequency) -> String {
    format!("Stapeldiagram: {title}, {}.", describe_series(&line.values, style, true, frequency))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Frame;
    use crate::chart::tests::line;

    #[test]
    fn alt_text_names_first_last_and_worst() {
        let style = NumberStyle::new(1).with_unit("mnkr").signed();
        let alt = alt(
            "budgetavvikelse per månad 2023, VO Kungsbacka",
            &line(&[Some(-3.1), Some(-1.0), Some(-4.2), Some(0.8)]),
            &style,
            Frequency::Monthly,
        );
        assert_eq!(
            alt,
            "Stapeldiagram: budgetavvikelse per månad 2023, VO Kungsbacka, från \u{2212}3,1\u{a0}mnkr i januari till +0,8\u{a0}mnkr i april; sämst i mars (\u{2212}4,2\u{a0}mnkr)."
        );
    }

    #[test]
    fn svg_has_swedish_labels_and_our_font() {
        let style = NumberStyle::new(1);
        let input = Input {
            title: "x",
            series: vec![line(&[Some(-3.1), Some(2.5), None])],
            style: &style,
            target: None,
            description: None,
            frame: Frame { width: 450.0, height: 250.0 },
            text: 12.0,
            frequency: Frequency::Monthly,
        };
        let svg = draw(&input).svg;
        assert!(svg.contains("font-family=\"Liberation Sans\""));
        assert!(svg.contains("\njan\n") && svg.contains("\nfeb\n") && svg.contains("\n2023\n"), "{svg}");
        assert!(svg.contains("\u{2212}3,1"), "{svg}");
        assert!(svg.contains("#700B1B") || svg.contains("#700b1b"), "negative bars are red");
        assert!(svg.contains("width=\"665\" height=\"369\""), "drawn for its frame, text at 12 pt");
    }

    #[test]
    fn yearly_bars_are_labelled_with_their_years() {
        let style = NumberStyle::new(0).with_unit("kr");
        let december = crate::period::Month::parse("2021-12").unwrap();
        let values = (0..3).map(|i| (december.plus(12 * i), Some(30000.0 + 1000.0 * i as f64))).collect();
        let input = Input {
            title: "Nettokostnad per år",
            series: vec![Line { label: "RH".into(), values }],
            style: &style,
            target: None,
            description: None,
            frame: Frame { width: 450.0, height: 250.0 },
            text: 12.0,
            frequency: Frequency::Yearly,
        };
        let drawn = draw(&input);
        assert!(drawn.svg.contains("\n2021\n") && drawn.svg.contains("\n2023\n"), "{}", drawn.svg);
        assert!(!drawn.svg.contains("\ndec\n"), "no month names for years");
        assert_eq!(drawn.labels, ["2021", "2022", "2023"]);
        assert_eq!(drawn.table.headers[0], "År");
        assert_eq!(drawn.table.rows[0][0], "2021");
        assert!(
            drawn.alt.contains("från 30\u{a0}000\u{a0}kr år 2021 till 32\u{a0}000\u{a0}kr år 2023"),
            "{}",
            drawn.alt
        );
    }
}

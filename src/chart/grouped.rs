//! `grupperad`: several series as bars side by side per month, such as the
//! region beside Riket. Series differ by colour and by their place in each
//! group (the legend's order, left to right); a dashed target line when the
//! chart has a target.

use plotters::prelude::*;

use super::{Drawn, Input, Key, SERIES_STYLES, draw_legend, draw_month_axis, draw_month_bars, draw_target_line};
use super::{axis_top, describe_lines, draw_zero_line, month_axes, months_drawn, target_label, value_range};

/// The share of a month's width the group of bars takes.
const GROUP_WIDTH: f64 = 0.8;

pub fn draw(input: &Input) -> Drawn {
    let names: Vec<&str> = input.series.iter().map(|l| l.label.as_str()).collect();
    let alt = format!(
        "Stapeldiagram med staplar sida vid sida ({}): {}.{}",
        names.join(", "),
        input.title,
        describe_lines(input)
    );
    months_drawn(input, svg(input), alt)
}

fn svg(input: &Input) -> String {
    let lines = &input.series;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, input.units()).into_drawing_area();
        let values = lines.iter().flat_map(|l| l.values.iter().filter_map(|(_, v)| *v)).chain(input.target);
        let (low, high) = value_range(values.clone());
        let high = axis_top(high, input.style, values.fold(f64::NEG_INFINITY, f64::max));
        let n = lines[0].values.len();
        let mut chart = month_axes(&root, n, (low, high), 40);
        let width = GROUP_WIDTH / lines.len() as f64;
        let mut legend = Vec::new();
        for (index, line) in lines.iter().enumerate() {
            let (colour, _, _) = SERIES_STYLES[index % SERIES_STYLES.len()];
            let offset = -GROUP_WIDTH / 2.0 + width * (index as f64 + 0.5);
            draw_month_bars(&mut chart, &line.values, offset, width * 0.9, Some(colour));
            legend.push((Key::Bar(colour), line.label.clone()));
        }
        draw_zero_line(&mut chart, n);
        if let Some(target) = input.target {
            draw_target_line(&mut chart, n, target);
            legend.push((Key::Target, target_label(target, input.style)));
        }
        let months: Vec<_> = lines[0].values.iter().map(|(m, _)| *m).collect();
        draw_month_axis(&root, &chart, &months, low, input.frequency);
        draw_legend(&root, &legend);
        root.present().expect("SVG into a string");
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::tests::line;
    use crate::chart::{Frame, Line};
    use crate::period::Frequency;
    use crate::swedish::NumberStyle;

    #[test]
    fn each_series_gets_its_bars_and_its_place_in_the_legend() {
        let style = NumberStyle::new(0).with_unit("%");
        let riket = Line { label: "Riket".into(), values: line(&[Some(77.0), Some(78.0)]).values };
        let input = Input {
            title: "Andel inom 60 dagar",
            series: vec![line(&[Some(84.0), Some(82.0)]), riket],
            style: &style,
            target: Some(80.0),
            description: None,
            frame: Frame { width: 500.0, height: 280.0 },
            text: 12.0,
            frequency: Frequency::Monthly,
        };
        let drawn = draw(&input);
        assert!(drawn.svg.contains(">\nRiket\n<") && drawn.svg.contains(">\nMål 80\u{a0}%\n<"), "{}", drawn.svg);
        assert_eq!(drawn.svg.matches("fill=\"#378A30\"").count(), 2 + 1, "two green bars and the legend key");
        assert!(
            drawn.alt.starts_with("Stapeldiagram med staplar sida vid sida (VO Kungsbacka, Riket)"),
            "{}",
            drawn.alt
        );
        assert_eq!(drawn.table.headers, ["Månad", "VO Kungsbacka", "Riket"]);
    }
}

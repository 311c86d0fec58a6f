//! `linje`: one or more series as lines over months, gaps where values are
//! missing, a dashed target line, and a legend when there is more than one
//! series or a target.

use plotters::prelude::*;

use super::{Drawn, Input, Key, SERIES_STYLES, draw_legend, draw_line, draw_month_axis, draw_target_line};
use super::{axis_top, describe_lines, draw_zero_line, month_axes, months_drawn, target_label, value_range};

pub fn draw(input: &Input) -> Drawn {
    let alt = format!("Linjediagram: {}.{}", input.title, describe_lines(input));
    months_drawn(input, svg(input), alt)
}

fn svg(input: &Input) -> String {
    let lines = &input.series;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, input.units()).into_drawing_area();
        let values = lines.iter().flat_map(|l| l.values.iter().filter_map(|(_, v)| *v)).chain(input.target);
        let (mut low, high) = value_range(values.clone());
        let high = axis_top(high, input.style, values.clone().fold(f64::NEG_INFINITY, f64::max));
        // Levels far from zero (percentages around 80) read better without zero.
        let min = values.clone().fold(f64::INFINITY, f64::min);
        if min > 0.0 && min > (high - min) * 1.5 {
            low = (min - (high - min) * 0.5).max(0.0);
        }
        let n = lines[0].values.len();
        let mut legend: Vec<(Key, String)> = Vec::new();
        if lines.len() > 1 {
            for (index, line) in lines.iter().enumerate() {
                legend.push((Key::Line(SERIES_STYLES[index % SERIES_STYLES.len()]), line.label.clone()));
            }
        }
        if let Some(target) = input.target {
            legend.push((Key::Target, target_label(target, input.style)));
        }
        let margin_top = if legend.is_empty() { 14 } else { 40 };
        let mut chart = month_axes(&root, n, (low, high), margin_top);
        if low < 0.0 && values.clone().any(|v| v > 0.0) {
            draw_zero_line(&mut chart, n);
        }
        if let Some(target) = input.target {
            draw_target_line(&mut chart, n, target);
        }
        for (index, line) in lines.iter().enumerate() {
            draw_line(&mut chart, &line.values, SERIES_STYLES[index % SERIES_STYLES.len()]);
        }
        let months: Vec<_> = lines[0].values.iter().map(|(m, _)| *m).collect();
        draw_month_axis(&root, &chart, &months, low, input.frequency);
        draw_legend(&root, &legend);
        root.present().expect("SVG into a string");
    }
    svg
}

//! `linje`: one or more series as lines over months, gaps where values are
//! missing, a dashed target line, and a legend when there is more than one
//! series or a target.

use plotters::prelude::*;

use super::{Drawn, Input, Key, Line, SERIES_STYLES, draw_legend, draw_line, draw_month_axis, draw_target_line};
use super::{describe_series, figure_series, month_axes, month_labels, months_table, target_label, value_range};
use crate::swedish::NumberStyle;

pub fn draw(input: &Input) -> Drawn {
    Drawn {
        svg: svg(input),
        alt: alt(input.title, &input.series, input.target, input.style),
        table: months_table(&input.series, input.style, input.description),
        labels: month_labels(&input.series[0]),
        series: input.series.iter().map(figure_series).collect(),
    }
}

fn svg(input: &Input) -> String {
    let lines = &input.series;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, input.frame.units()).into_drawing_area();
        let values = lines.iter().flat_map(|l| l.values.iter().filter_map(|(_, v)| *v)).chain(input.target);
        let (mut low, high) = value_range(values.clone());
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
        let mut chart = month_axes(&root, n, (low, high), margin_top, input.style);
        if let Some(target) = input.target {
            draw_target_line(&mut chart, n, target);
        }
        for (index, line) in lines.iter().enumerate() {
            draw_line(&mut chart, &line.values, SERIES_STYLES[index % SERIES_STYLES.len()]);
        }
        let months: Vec<_> = lines[0].values.iter().map(|(m, _)| *m).collect();
        draw_month_axis(&root, &chart, &months, low);
        draw_legend(&root, &legend);
        root.present().expect("SVG into a string");
    }
    svg
}

fn alt(title: &str, lines: &[Line], target: Option<f64>, style: &NumberStyle) -> String {
    let mut text = format!("Linjediagram: {title}.");
    for line in lines {
        text.push_str(&format!(" {}: {}.", line.label, describe_series(&line.values, style, false)));
    }
    if let Some(target) = target {
        text.push_str(&format!(" Mållinje vid {}.", style.format(Some(target))));
    }
    text
}

//! `liggande`: one metric as horizontal bars, one per unit, at the report
//! month (for yearly figures, the latest year with a value), in the order
//! the report lists the units; the value at the end of each bar.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{DARK_BLUE, DataTable, Drawn, FigureSeries, GREY, GRID, Input, RED};
use super::{TEXT_UNITS, font, tick_decimals, value_range};
use crate::fonts;

pub fn draw(input: &Input) -> Drawn {
    let month = input.series[0].values[0].0;
    let bars: Vec<(String, Option<f64>)> = input.series.iter().map(|s| (s.label.clone(), s.values[0].1)).collect();
    Drawn {
        svg: svg(&bars, input),
        alt: alt(input.title, &bars, input),
        table: DataTable {
            headers: vec!["Enhet".into(), input.frequency.long_name(month)],
            rows: bars.iter().map(|(label, value)| vec![label.clone(), input.style.format(*value)]).collect(),
            note: input.description.map(str::to_string),
        },
        labels: bars.iter().map(|(label, _)| label.clone()).collect(),
        series: vec![FigureSeries {
            label: input.frequency.code(month),
            values: bars.iter().map(|(_, v)| *v).collect(),
        }],
    }
}

fn svg(bars: &[(String, Option<f64>)], input: &Input) -> String {
    let style = input.style;
    let frame = input.units();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, frame).into_drawing_area();
        let (low, high) = value_range(bars.iter().filter_map(|(_, v)| *v));
        let high = high + (high - low) * 0.1;
        let n = bars.len() as f64;
        let longest = bars.iter().map(|(l, _)| fonts::text_width(l, TEXT_UNITS)).fold(0.0, f64::max).ceil() as u32;
        let decimals = tick_decimals(low..high, 6);
        let mut chart = ChartBuilder::on(&root)
            .margin_top(10)
            .margin_right(16)
            .x_label_area_size(40)
            .y_label_area_size((longest + 16).min(frame.0 / 3))
            .build_cartesian_2d(low..high, (n - 0.5)..-0.5)
            .expect("chart area fits the SVG");
        let formatter = |v: &f64| crate::swedish::format_number(*v, decimals, false);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(6)
            .x_label_formatter(&formatter)
            .label_style(font())
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(GREY)
            .draw()
            .expect("mesh draws into a string");
        let rectangles = bars.iter().enumerate().filter_map(|(i, (_, value))| {
            let value = (*value)?;
            let colour = if value < 0.0 { RED } else { DARK_BLUE };
            Some(Rectangle::new([(0.0, i as f64 - 0.32), (value, i as f64 + 0.32)], colour.filled()))
        });
        chart.draw_series(rectangles).expect("bars draw into a string");
        let spec = chart.as_coord_spec().clone();
        for (i, (label, value)) in bars.iter().enumerate() {
            let (x0, y) = spec.translate(&(low, i as f64));
            let _ = root.draw(&Text::new(label.clone(), (x0 - 8, y), font().pos(Pos::new(HPos::Right, VPos::Center))));
            let (x, y) = spec.translate(&(value.unwrap_or(0.0), i as f64));
            let (anchor, dx) = if value.is_some_and(|v| v < 0.0) { (HPos::Right, -6) } else { (HPos::Left, 6) };
            let text = style.format_bare(*value);
            let _ = root.draw(&Text::new(text, (x + dx, y), font().pos(Pos::new(anchor, VPos::Center))));
        }
        root.present().expect("SVG into a string");
    }
    svg
}

fn alt(title: &str, bars: &[(String, Option<f64>)], input: &Input) -> String {
    let values: Vec<String> =
        bars.iter().map(|(label, value)| format!("{label} {}", input.style.format(*value))).collect();
    let mut text = format!("Liggande stapeldiagram: {title}: {}.", values.join(", "));
    let present: Vec<&(String, Option<f64>)> = bars.iter().filter(|(_, v)| v.is_some()).collect();
    if present.len() > 2 {
        let highest =
            present.iter().max_by(|a, b| a.1.unwrap_or(0.0).total_cmp(&b.1.unwrap_or(0.0))).expect("not empty");
        let lowest =
            present.iter().min_by(|a, b| a.1.unwrap_or(0.0).total_cmp(&b.1.unwrap_or(0.0))).expect("not empty");
        text.push_str(&format!(" Högst {}, lägst {}.", highest.0, lowest.0));
    }
    text
}

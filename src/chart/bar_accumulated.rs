//! `stapel_ack`: one series as bars per month with the year's accumulated
//! value as a line over them, as the handlingsplan shows the budget
//! deviation: what each month added, and where the year stands.
//!
//! The accumulated value of a month is the sum from January of its year to
//! the month (as `ack(x)`), also when the chart starts later in the year;
//! a month missing before it leaves the line without a value there.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{DARK_BLUE, Drawn, Input, Key, Line, Marker, TEXT, TEXT_SIZE};
use super::{
    describe_series, draw_bar_values, draw_legend, draw_line, draw_month_axis, draw_month_bars, draw_zero_line,
};
use super::{figure_series, month_axes, month_labels, months_table, value_range};
use crate::metrics::Metrics;
use crate::model::Chart;
use crate::period::Frequency;
use crate::swedish::NumberStyle;

const ACCUMULATED: (RGBColor, bool, Marker) = (TEXT, false, Marker::Diamond);

pub fn draw(input: &Input, chart: &Chart, metrics: &Metrics) -> Drawn {
    let monthly = Line { label: "Per månad".into(), values: input.series[0].values.clone() };
    let accumulated = Line { label: "Ackumulerat".into(), values: accumulate(chart, metrics) };
    let lines = [monthly, accumulated];
    Drawn {
        svg: svg(&lines, input),
        alt: alt(input.title, &lines, input.style),
        table: months_table(&lines, input.style, input.description, Frequency::Monthly),
        labels: month_labels(&lines[0], Frequency::Monthly),
        series: lines.iter().map(figure_series).collect(),
    }
}

/// The year-to-date sum of the chart's series at each of its months.
fn accumulate(chart: &Chart, metrics: &Metrics) -> Vec<(crate::period::Month, Option<f64>)> {
    let series = &chart.series[0];
    let from_january = metrics.range(series.metric, series.unit, chart.first.year_start(), chart.last);
    let mut sum = Some(0.0);
    let mut out = Vec::new();
    for (month, value) in from_january {
        if month.month == 1 {
            sum = Some(0.0);
        }
        sum = sum.zip(value).map(|(a, b)| a + b);
        if month >= chart.first {
            out.push((month, sum));
        }
    }
    out
}

fn svg(lines: &[Line; 2], input: &Input) -> String {
    let [monthly, accumulated] = lines;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, input.units()).into_drawing_area();
        let values = lines.iter().flat_map(|l| l.values.iter().filter_map(|(_, v)| *v));
        let (low, high) = value_range(values);
        let n = monthly.values.len();
        let mut chart = month_axes(&root, n, (low, high), 40);
        draw_month_bars(&mut chart, &monthly.values, 0.0, 0.6, None);
        draw_zero_line(&mut chart, n);
        draw_bar_values(&root, &chart, &monthly.values, input.style);
        draw_line(&mut chart, &accumulated.values, ACCUMULATED);
        // The latest accumulated value, beside its point: where the year stands.
        if let Some((i, value)) = accumulated.values.iter().enumerate().rev().find_map(|(i, (_, v))| v.map(|v| (i, v)))
        {
            let (x, y) = chart.as_coord_spec().translate(&(i as f64, value));
            let text = input.style.format_bare(Some(value));
            let bold = (super::FONT, TEXT_SIZE, FontStyle::Bold)
                .into_font()
                .color(&TEXT)
                .pos(Pos::new(HPos::Right, VPos::Bottom));
            let _ = root.draw(&Text::new(text, (x - 10, y - 10), bold));
        }
        let months: Vec<_> = monthly.values.iter().map(|(m, _)| *m).collect();
        draw_month_axis(&root, &chart, &months, low, Frequency::Monthly);
        draw_legend(
            &root,
            &[(Key::Bar(DARK_BLUE), monthly.label.clone()), (Key::Line(ACCUMULATED), accumulated.label.clone())],
        );
        root.present().expect("SVG into a string");
    }
    svg
}

fn alt(title: &str, lines: &[Line; 2], style: &NumberStyle) -> String {
    let [monthly, accumulated] = lines;
    let mut text = format!(
        "Stapeldiagram med linje: {title}. Per månad: {}.",
        describe_series(&monthly.values, style, true, Frequency::Monthly)
    );
    if let Some((month, value)) = accumulated.values.iter().rev().find_map(|(m, v)| v.map(|v| (*m, v))) {
        text.push_str(&format!(
            " Ackumulerat: {} efter {}.",
            style.format(Some(value)),
            crate::swedish::month_name(month.month)
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::tests::line;

    #[test]
    fn alt_text_tells_the_months_and_where_the_year_stands() {
        let style = NumberStyle::new(1).with_unit("mnkr").signed();
        let monthly = line(&[Some(-3.1), Some(-1.0), Some(0.8)]);
        let accumulated =
            Line { label: "Ackumulerat".into(), values: line(&[Some(-3.1), Some(-4.1), Some(-3.3)]).values };
        let text = alt("Budgetavvikelse 2023", &[monthly, accumulated], &style);
        assert_eq!(
            text,
            "Stapeldiagram med linje: Budgetavvikelse 2023. Per månad: från \u{2212}3,1\u{a0}mnkr i januari till +0,8\u{a0}mnkr i mars; sämst i januari (\u{2212}3,1\u{a0}mnkr). Ackumulerat: \u{2212}3,3\u{a0}mnkr efter mars."
        );
    }
}

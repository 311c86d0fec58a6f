//! Chart: metrics → SVG (plotters), with alt text that says what a sighted
//! reader sees and the data table behind the chart.
//!
//! Colours come from Region Halland's palette and reach 3:1 against white
//! for graphical objects (dark blue #004890 8.6:1, green #378A30 4.6:1, red
//! #700B1B 11:1, grey #595959 7:1); the light blue #6CA2D5 (2.6:1) is not
//! used for data. Series also differ by marker and dash, never by colour
//! alone; bars above and below zero differ by direction as well as colour.
//!
//! Text in the SVG (axis labels, legends) names the font family "Liberation
//! Sans", which Typst finds among the embedded fonts, so it stays real text
//! in the PDF.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::metrics::Metrics;
use crate::model::{Chart, ChartKind, Kind, Report, Section};
use crate::period::Month;
use crate::swedish::{self, NumberStyle};

const FONT: &str = "Liberation Sans";
/// Font sizes as plotters takes them (it writes size / 1.24 into the SVG).
const LABEL_SIZE: f64 = 22.0;
const VALUE_SIZE: f64 = 19.0;

pub const DARK_BLUE: RGBColor = RGBColor(0x00, 0x48, 0x90);
pub const GREEN: RGBColor = RGBColor(0x37, 0x8A, 0x30);
pub const RED: RGBColor = RGBColor(0x70, 0x0B, 0x1B);
pub const GREY: RGBColor = RGBColor(0x59, 0x59, 0x59);
const TEXT: RGBColor = RGBColor(0x2F, 0x2F, 0x2F);
const GRID: RGBColor = RGBColor(0xD9, 0xD9, 0xD9);

/// How each series of a line chart is drawn: colour, dash and marker.
#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

const LINE_STYLES: [(RGBColor, bool, Marker); 4] = [
    (DARK_BLUE, false, Marker::Circle),
    (GREEN, true, Marker::Square),
    (RED, false, Marker::Triangle),
    (GREY, true, Marker::Diamond),
];

/// A drawn chart.
#[derive(Debug, Clone)]
pub struct RenderedChart {
    pub title: String,
    pub svg: String,
    pub alt: String,
    pub table: DataTable,
    pub figures: Figures,
}

/// The numbers behind a chart, as plain data (`diagram/N.json` beside the
/// SVG): for hand work after `eject`, and for other tools.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Figures {
    /// `linje`, `stapel` or `liggande`.
    pub kind: &'static str,
    pub title: String,
    pub unit: Option<String>,
    /// Months (`2023-09`) or unit names along the category axis.
    pub labels: Vec<String>,
    pub series: Vec<FigureSeries>,
    pub target: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FigureSeries {
    pub label: String,
    /// `null` where a value is missing.
    pub values: Vec<Option<f64>>,
}

/// The figures behind a chart, for the data appendix.
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The metric's definition (`beskrivning`), if the report gives one.
    pub note: Option<String>,
}

/// The size of a chart's SVG in user units, chosen close to the space the
/// kind's template gives it (about 0.63 pt a unit), so that the 18-unit
/// labels print at 11–12 pt and the shape fits its slot without bands.
pub fn frame(kind: Kind, section: &Section) -> (u32, u32) {
    let beside_text = section.commentary.is_some() || !section.key_figures.is_empty();
    let under_table = section.table.is_some();
    match (kind, beside_text, under_table, section.charts.len()) {
        (Kind::Statusrapport, true, false, 1) => (720, 470),
        (Kind::Statusrapport, true, _, _) => (720, 250),
        (Kind::Statusrapport, false, false, 1) => (1120, 520),
        (Kind::Statusrapport, false, true, 1) => (1120, 330),
        (Kind::Statusrapport, false, _, _) => (600, 500),
        _ => (760, 400),
    }
}

/// One series' values, ready to draw.
struct Line {
    label: String,
    values: Vec<(Month, Option<f64>)>,
}

/// Draws a chart of the report in a frame of `(width, height)` units.
/// `title` is the chart's title with its placeholders filled.
pub fn draw(chart: &Chart, title: &str, report: &Report, metrics: &Metrics, frame: (u32, u32)) -> RenderedChart {
    let metric = &report.metrics[chart.series[0].metric];
    let style = &metric.style;
    match chart.kind {
        ChartKind::Line | ChartKind::Bar => {
            let lines: Vec<Line> = chart
                .series
                .iter()
                .map(|s| Line {
                    label: s.label.clone(),
                    values: metrics.range(s.metric, s.unit, chart.first, chart.last),
                })
                .collect();
            let svg = if chart.kind == ChartKind::Bar {
                month_bars_svg(&lines[0], style, frame)
            } else {
                lines_svg(&lines, chart.target, style, frame)
            };
            let alt = if chart.kind == ChartKind::Bar {
                month_bars_alt(title, &lines[0], style)
            } else {
                lines_alt(title, &lines, chart.target, style)
            };
            let figures = Figures {
                kind: if chart.kind == ChartKind::Bar { "stapel" } else { "linje" },
                title: title.to_string(),
                unit: style.unit.clone(),
                labels: lines[0].values.iter().map(|(month, _)| month.to_string()).collect(),
                series: lines
                    .iter()
                    .map(|line| FigureSeries {
                        label: line.label.clone(),
                        values: line.values.iter().map(|(_, v)| *v).collect(),
                    })
                    .collect(),
                target: chart.target,
            };
            let table = DataTable { note: metric.description.clone(), ..months_table(&lines, style) };
            RenderedChart { title: title.to_string(), svg, alt, table, figures }
        }
        ChartKind::UnitBars => {
            let bars: Vec<(String, Option<f64>)> =
                chart.series.iter().map(|s| (s.label.clone(), metrics.value(s.metric, s.unit, chart.last))).collect();
            RenderedChart {
                title: title.to_string(),
                svg: unit_bars_svg(&bars, style, frame),
                alt: unit_bars_alt(title, &bars, style),
                table: DataTable {
                    headers: vec!["Enhet".into(), chart.last.long_name()],
                    rows: bars.iter().map(|(label, value)| vec![label.clone(), style.format(*value)]).collect(),
                    note: metric.description.clone(),
                },
                figures: Figures {
                    kind: "liggande",
                    title: title.to_string(),
                    unit: style.unit.clone(),
                    labels: bars.iter().map(|(label, _)| label.clone()).collect(),
                    series: vec![FigureSeries {
                        label: chart.last.to_string(),
                        values: bars.iter().map(|(_, v)| *v).collect(),
                    }],
                    target: chart.target,
                },
            }
        }
    }
}

fn font(size: f64) -> TextStyle<'static> {
    (FONT, size).into_font().color(&TEXT)
}

/// Value range with room above and below, always including zero.
fn value_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut low, mut high) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if high - low < 1e-9 {
        high = low + 1.0;
    }
    let pad = (high - low) * 0.12;
    if low < 0.0 {
        low -= pad;
    }
    (low, high + pad)
}

/// The y-axis label: the number as the metric writes it, without unit and
/// without a plus sign (the axis shows the sign by position).
fn axis_number(value: f64, style: &NumberStyle, step: f64) -> String {
    let decimals = if step >= 1.0 || step == 0.0 { 0 } else { style.decimals.max(1) };
    swedish::format_number(value, decimals, false)
}

/// Draws month labels (and the year under January and the first month)
/// below the plotting area, at the pixel positions of the x coordinates.
fn draw_month_axis<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    months: &[Month],
    y_bottom: f64,
) {
    let spec = chart.as_coord_spec();
    let label = font(LABEL_SIZE).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, month) in months.iter().enumerate() {
        let (x, y) = spec.translate(&(i as f64, y_bottom));
        let _ = root.draw(&Text::new(swedish::month_abbreviation(month.month).to_string(), (x, y + 8), label.clone()));
        if i == 0 || month.month == 1 {
            let _ = root.draw(&Text::new(month.year.to_string(), (x, y + 32), label.clone()));
        }
    }
}

/// The plotting area of a chart over `n` months from `low` to `high`, with
/// its y axis (Swedish numbers) and horizontal grid lines drawn; the month
/// labels are drawn by [`draw_month_axis`].
fn month_axes<'a, DB: DrawingBackend + 'a>(
    root: &'a DrawingArea<DB, plotters::coord::Shift>,
    n: usize,
    (low, high): (f64, f64),
    margin_top: u32,
    style: &NumberStyle,
) -> ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>> {
    let step = (high - low) / 6.0;
    let mut chart = ChartBuilder::on(root)
        .margin_top(margin_top)
        .margin_right(16)
        .x_label_area_size(66)
        .y_label_area_size(80)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), low..high)
        .expect("chart area fits the SVG");
    let formatter = |v: &f64| axis_number(*v, style, step);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(7)
        .y_label_formatter(&formatter)
        .label_style(font(LABEL_SIZE))
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(GREY)
        .draw()
        .expect("mesh draws into a string");
    chart
}

/// Bars per month: dark blue above zero, dark red below; the value on each.
fn month_bars_svg(line: &Line, style: &NumberStyle, frame: (u32, u32)) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, frame).into_drawing_area();
        let (low, high) = value_range(line.values.iter().filter_map(|(_, v)| *v));
        let n = line.values.len();
        let mut chart = month_axes(&root, n, (low, high), 20, style);
        let bars = line.values.iter().enumerate().filter_map(|(i, (_, value))| {
            let value = (*value)?;
            let colour = if value < 0.0 { RED } else { DARK_BLUE };
            Some(Rectangle::new([(i as f64 - 0.34, 0.0), (i as f64 + 0.34, value)], colour.filled()))
        });
        chart.draw_series(bars).expect("bars draw into a string");
        chart
            .draw_series(LineSeries::new([(-0.5, 0.0), (n as f64 - 0.5, 0.0)], TEXT.stroke_width(2)))
            .expect("zero line");
        let spec = chart.as_coord_spec().clone();
        for (i, (_, value)) in line.values.iter().enumerate() {
            let Some(value) = value else { continue };
            let (x, y) = spec.translate(&(i as f64, *value));
            let (anchor, dy) = if *value < 0.0 { (VPos::Top, 4) } else { (VPos::Bottom, -4) };
            let text = style.format_bare(Some(*value));
            let _ = root.draw(&Text::new(text, (x, y + dy), font(VALUE_SIZE).pos(Pos::new(HPos::Center, anchor))));
        }
        let months: Vec<Month> = line.values.iter().map(|(m, _)| *m).collect();
        draw_month_axis(&root, &chart, &months, low);
        root.present().expect("SVG into a string");
    }
    svg
}

/// Lines over months; gaps where values are missing; a dashed target line
/// with its label; a legend when there is more than one series.
fn lines_svg(lines: &[Line], target: Option<f64>, style: &NumberStyle, frame: (u32, u32)) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, frame).into_drawing_area();
        let values = lines.iter().flat_map(|l| l.values.iter().filter_map(|(_, v)| *v)).chain(target);
        let (mut low, high) = value_range(values.clone());
        // Levels far from zero (percentages around 80) read better without zero.
        let min = values.clone().fold(f64::INFINITY, f64::min);
        if min > 0.0 && min > (high - min) * 1.5 {
            low = (min - (high - min) * 0.5).max(0.0);
        }
        let n = lines.first().map_or(1, |l| l.values.len());
        let legend_height = if lines.len() > 1 || target.is_some() { 40 } else { 14 };
        let mut chart = month_axes(&root, n, (low, high), legend_height, style);
        if let Some(target) = target {
            chart
                .draw_series(DashedLineSeries::new(
                    [(-0.5, target), (n as f64 - 0.5, target)],
                    10,
                    6,
                    TEXT.stroke_width(2),
                ))
                .expect("target line");
        }
        for (index, line) in lines.iter().enumerate() {
            let (colour, dashed, marker) = LINE_STYLES[index % LINE_STYLES.len()];
            for segment in segments(&line.values) {
                let stroke = colour.stroke_width(3);
                if dashed {
                    chart.draw_series(DashedLineSeries::new(segment.clone(), 12, 6, stroke)).expect("line");
                } else {
                    chart.draw_series(LineSeries::new(segment.clone(), stroke)).expect("line");
                }
                for point in segment {
                    draw_marker(&mut chart, point, marker, colour);
                }
            }
        }
        let months: Vec<Month> = lines.first().map(|l| l.values.iter().map(|(m, _)| *m).collect()).unwrap_or_default();
        draw_month_axis(&root, &chart, &months, low);
        draw_legend(&root, lines, target, style);
        root.present().expect("SVG into a string");
    }
    svg
}

/// Runs of consecutive months with values, as chart points.
fn segments(values: &[(Month, Option<f64>)]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (i, (_, value)) in values.iter().enumerate() {
        match value {
            Some(v) => out.last_mut().expect("never empty").push((i as f64, *v)),
            None if out.last().is_some_and(|s| !s.is_empty()) => out.push(Vec::new()),
            None => {}
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

fn draw_marker<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    point: (f64, f64),
    marker: Marker,
    colour: RGBColor,
) {
    let style = colour.filled();
    let result = match marker {
        Marker::Circle => chart.draw_series(std::iter::once(Circle::new(point, 6, style))).map(|_| ()),
        Marker::Square => chart
            .draw_series(std::iter::once(
                EmptyElement::at(point) + plotters::element::Rectangle::new([(-6, -6), (6, 6)], style),
            ))
            .map(|_| ()),
        Marker::Triangle => chart.draw_series(std::iter::once(TriangleMarker::new(point, 8, style))).map(|_| ()),
        Marker::Diamond => chart
            .draw_series(std::iter::once(
                EmptyElement::at(point) + Polygon::new(vec![(0, -8), (8, 0), (0, 8), (-8, 0)], style),
            ))
            .map(|_| ()),
    };
    result.expect("marker draws into a string");
}

/// The legend across the top: a short line with the marker, then the label.
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    lines: &[Line],
    target: Option<f64>,
    style: &NumberStyle,
) {
    if lines.len() < 2 && target.is_none() {
        return;
    }
    let mut x = 80i32;
    let y = 14i32;
    let label = font(LABEL_SIZE - 2.0).pos(Pos::new(HPos::Left, VPos::Center));
    let show_lines = if lines.len() > 1 { lines } else { &[] };
    for (index, line) in show_lines.iter().enumerate() {
        let (colour, _, marker) = LINE_STYLES[index % LINE_STYLES.len()];
        let _ = root.draw(&PathElement::new(vec![(x, y), (x + 30, y)], colour.stroke_width(3)));
        let centre = (x + 15, y);
        let _ = match marker {
            Marker::Circle => root.draw(&Circle::new(centre, 6, colour.filled())),
            Marker::Square => {
                root.draw(&plotters::element::Rectangle::new([(x + 9, y - 6), (x + 21, y + 6)], colour.filled()))
            }
            Marker::Triangle => root.draw(&TriangleMarker::new(centre, 8, colour.filled())),
            Marker::Diamond => root
                .draw(&Polygon::new(vec![(x + 15, y - 8), (x + 23, y), (x + 15, y + 8), (x + 7, y)], colour.filled())),
        };
        let _ = root.draw(&Text::new(line.label.clone(), (x + 38, y), label.clone()));
        x += 38 + (line.label.chars().count() as i32 * 9) + 30;
    }
    if let Some(target) = target {
        let _ = root.draw(&PathElement::new(vec![(x, y), (x + 12, y)], TEXT.stroke_width(2)));
        let _ = root.draw(&PathElement::new(vec![(x + 18, y), (x + 30, y)], TEXT.stroke_width(2)));
        let _ = root.draw(&Text::new(format!("Mål {}", style.format(Some(target))), (x + 38, y), label));
    }
}

/// Horizontal bars, one per unit, largest value first as written; the value
/// at the end of each bar.
fn unit_bars_svg(bars: &[(String, Option<f64>)], style: &NumberStyle, frame: (u32, u32)) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, frame).into_drawing_area();
        let (low, high) = value_range(bars.iter().filter_map(|(_, v)| *v));
        let high = high + (high - low) * 0.1;
        let n = bars.len() as f64;
        let longest = bars.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(4) as u32;
        let step = (high - low) / 5.0;
        let mut chart = ChartBuilder::on(&root)
            .margin_top(10)
            .margin_right(16)
            .x_label_area_size(40)
            .y_label_area_size((longest * 10 + 16).min(frame.0 / 3))
            .build_cartesian_2d(low..high, (n - 0.5)..-0.5)
            .expect("chart area fits the SVG");
        let formatter = |v: &f64| axis_number(*v, style, step);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(6)
            .x_label_formatter(&formatter)
            .label_style(font(LABEL_SIZE))
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
            let _ = root.draw(&Text::new(
                label.clone(),
                (x0 - 8, y),
                font(LABEL_SIZE).pos(Pos::new(HPos::Right, VPos::Center)),
            ));
            let (x, y) = spec.translate(&(value.unwrap_or(0.0), i as f64));
            let (anchor, dx) = if value.is_some_and(|v| v < 0.0) { (HPos::Right, -6) } else { (HPos::Left, 6) };
            let text = style.format_bare(*value);
            let _ = root.draw(&Text::new(text, (x + dx, y), font(VALUE_SIZE).pos(Pos::new(anchor, VPos::Center))));
        }
        root.present().expect("SVG into a string");
    }
    svg
}

/// "i januari 2023", or "i januari" when the year is the chart's only year.
fn in_month(month: Month, one_year: bool) -> String {
    if one_year { format!("i {}", swedish::month_name(month.month)) } else { format!("i {}", month.long_name()) }
}

/// What a reader sees in a series: first and last value, highest and lowest.
fn describe_series(values: &[(Month, Option<f64>)], style: &NumberStyle, worst_is_lowest: bool) -> String {
    let present: Vec<(Month, f64)> = values.iter().filter_map(|(m, v)| v.map(|v| (*m, v))).collect();
    let Some((&(first_month, first), &(last_month, last))) = present.first().zip(present.last()) else {
        return "inga värden".to_string();
    };
    let one_year = first_month.year == last_month.year;
    let mut text = format!(
        "från {} {} till {} {}",
        style.format(Some(first)),
        in_month(first_month, one_year),
        style.format(Some(last)),
        in_month(last_month, one_year)
    );
    let highest = present.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1)).expect("not empty");
    let lowest = present.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1)).expect("not empty");
    if present.len() > 2 {
        if worst_is_lowest && lowest.1 < 0.0 {
            text.push_str(&format!("; sämst {} ({})", in_month(lowest.0, one_year), style.format(Some(lowest.1))));
        } else {
            text.push_str(&format!(
                "; högst {} {}, lägst {} {}",
                style.format(Some(highest.1)),
                in_month(highest.0, one_year),
                style.format(Some(lowest.1)),
                in_month(lowest.0, one_year)
            ));
        }
    }
    let missing: Vec<String> = values.iter().filter(|(_, v)| v.is_none()).map(|(m, _)| m.long_name()).collect();
    if !missing.is_empty() {
        text.push_str(&format!("; värde saknas för {}", missing.join(", ")));
    }
    text
}

fn month_bars_alt(title: &str, line: &Line, style: &NumberStyle) -> String {
    format!("Stapeldiagram: {title}, {}.", describe_series(&line.values, style, true))
}

fn lines_alt(title: &str, lines: &[Line], target: Option<f64>, style: &NumberStyle) -> String {
    let mut text = format!("Linjediagram: {title}.");
    for line in lines {
        text.push_str(&format!(" {}: {}.", line.label, describe_series(&line.values, style, false)));
    }
    if let Some(target) = target {
        text.push_str(&format!(" Mållinje vid {}.", style.format(Some(target))));
    }
    text
}

fn unit_bars_alt(title: &str, bars: &[(String, Option<f64>)], style: &NumberStyle) -> String {
    let values: Vec<String> = bars.iter().map(|(label, value)| format!("{label} {}", style.format(*value))).collect();
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

fn months_table(lines: &[Line], style: &NumberStyle) -> DataTable {
    let mut headers = vec!["Månad".to_string()];
    headers.extend(lines.iter().map(|l| l.label.clone()));
    let months = lines.first().map(|l| l.values.len()).unwrap_or(0);
    let rows = (0..months)
        .map(|i| {
            let mut row = vec![lines[0].values[i].0.long_name()];
            row.extend(lines.iter().map(|l| style.format(l.values[i].1)));
            row
        })
        .collect();
    DataTable { headers, rows, note: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2.1 contrast ratio between two colours.
    fn contrast(a: RGBColor, b: RGBColor) -> f64 {
        let luminance = |c: RGBColor| {
            let channel = |v: u8| {
                let v = v as f64 / 255.0;
                if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
            };
            0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn chart_colours_reach_wcag_contrast_on_white() {
        for (colour, _, _) in LINE_STYLES {
            assert!(contrast(colour, WHITE) >= 3.0, "{colour:?}: {:.2}", contrast(colour, WHITE));
        }
        assert!(contrast(TEXT, WHITE) >= 4.5, "text");
        assert!(contrast(RED, WHITE) >= 3.0 && contrast(DARK_BLUE, WHITE) >= 3.0, "bars");
        // Region Halland's light blue is below 3:1 and is never used for data.
        assert!(contrast(RGBColor(0x6C, 0xA2, 0xD5), WHITE) < 3.0);
        // Key figures: dark blue on light blue.
        assert!(contrast(DARK_BLUE, RGBColor(0xCE, 0xE2, 0xF2)) >= 4.5);
    }

    fn line(values: &[Option<f64>]) -> Line {
        let first = Month::parse("2023-01").unwrap();
        Line {
            label: "VO Kungsbacka".into(),
            values: values.iter().enumerate().map(|(i, v)| (first.plus(i as i64), *v)).collect(),
        }
    }

    #[test]
    fn bar_alt_text_names_first_last_and_worst() {
        let style = NumberStyle::new(1).with_unit("mnkr").signed();
        let alt = month_bars_alt(
            "budgetavvikelse per månad 2023, VO Kungsbacka",
            &line(&[Some(-3.1), Some(-1.0), Some(-4.2), Some(0.8)]),
            &style,
        );
        assert_eq!(
            alt,
            "Stapeldiagram: budgetavvikelse per månad 2023, VO Kungsbacka, från \u{2212}3,1\u{a0}mnkr i januari till +0,8\u{a0}mnkr i april; sämst i mars (\u{2212}4,2\u{a0}mnkr)."
        );
    }

    #[test]
    fn gaps_split_lines_and_are_told() {
        let l = line(&[Some(1.0), None, Some(2.0), Some(3.0)]);
        assert_eq!(segments(&l.values).len(), 2);
        let alt = describe_series(&l.values, &NumberStyle::new(0), false);
        assert!(alt.ends_with("värde saknas för februari 2023"), "{alt}");
    }

    #[test]
    fn svg_has_swedish_labels_and_our_font() {
        let svg = month_bars_svg(&line(&[Some(-3.1), Some(2.5), None]), &NumberStyle::new(1), (720, 400));
        assert!(svg.contains("font-family=\"Liberation Sans\""));
        assert!(svg.contains("\njan\n") && svg.contains("\nfeb\n") && svg.contains("\n2023\n"), "{svg}");
        assert!(svg.contains("\u{2212}3,1"), "{svg}");
        assert!(svg.contains("#700B1B") || svg.contains("#700b1b"), "negative bars are red");
    }
}

//! Chart: metrics → SVG (plotters), with alt text that says what a sighted
//! reader sees and the data table behind the chart. Each chart kind is a
//! module of its own; this module holds what they share (palette, axes,
//! legend, descriptions) and sends each chart to its kind.
//!
//! A chart is drawn for the slot the template gives it (its [`Frame`], in
//! points, measured from the laid-out page), at a scale that makes its text
//! (ticks, legends, value labels) stand at the kind's chart text floor
//! ([`crate::kind::Legibility`]) on the page whatever the slot: see
//! [`units_per_pt`]. Everything else in a chart (margins, markers, lines)
//! is sized in the chart's units, so it grows and shrinks with the text.
//!
//! Colours come from Region Halland's palette and reach 3:1 against white
//! for graphical objects (dark blue #004890 8.6:1, green #378A30 4.6:1, red
//! #700B1B 11:1, grey #595959 7:1); the light blue #6CA2D5 (2.6:1) is not
//! used for data. Series also differ by marker, dash or position, never by
//! colour alone; bars above and below zero differ by direction as well as
//! colour.
//!
//! Text in the SVG (axis labels, legends) names the font family "Liberation
//! Sans", which Typst finds among the embedded fonts, so it stays real text
//! in the PDF.

mod bar;
mod bar_accumulated;
mod grouped;
mod line;
mod unit_bars;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::fonts;
use crate::metrics::Metrics;
use crate::model::{Chart, ChartKind, Report};
use crate::period::{Frequency, Month};
use crate::swedish::{self, NumberStyle};

const FONT: &str = "Liberation Sans";
/// The size of every text in a chart as plotters takes it (it writes
/// size / 1.24 into the SVG): ticks, legends and value labels alike, so
/// that none is smaller than the floor.
const TEXT_SIZE: f64 = 22.0;
/// The chart text's size in SVG units.
const TEXT_UNITS: f64 = TEXT_SIZE / 1.24;

/// SVG units per point of the page for a chart whose text stands `text`
/// points high on the page.
pub fn units_per_pt(text: f64) -> f64 {
    TEXT_UNITS / text
}

pub const DARK_BLUE: RGBColor = RGBColor(0x00, 0x48, 0x90);
pub const GREEN: RGBColor = RGBColor(0x37, 0x8A, 0x30);
pub const RED: RGBColor = RGBColor(0x70, 0x0B, 0x1B);
pub const GREY: RGBColor = RGBColor(0x59, 0x59, 0x59);
const TEXT: RGBColor = RGBColor(0x2F, 0x2F, 0x2F);
const GRID: RGBColor = RGBColor(0xD9, 0xD9, 0xD9);

/// How each series is told apart: colour, dash and marker.
#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

const SERIES_STYLES: [(RGBColor, bool, Marker); 4] = [
    (DARK_BLUE, false, Marker::Circle),
    (GREEN, true, Marker::Square),
    (RED, false, Marker::Triangle),
    (GREY, true, Marker::Diamond),
];

/// The space a chart is drawn for, in points of the page.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
}

impl Frame {
    /// The SVG's size in its own units, for chart text `text` points high.
    /// Rounded down, so that the image is scaled up (never down) to fill
    /// its slot and the text is never below `text`.
    fn units(self, text: f64) -> (u32, u32) {
        let scale = units_per_pt(text);
        ((self.width * scale).floor().max(160.0) as u32, (self.height * scale).floor().max(120.0) as u32)
    }

    /// Whether a chart drawn for `other` is the same as one drawn for this
    /// frame: a chart depends only on its size in whole SVG units, so the
    /// same inputs give the same bytes whatever size was guessed first.
    pub fn draws_like(self, other: Frame, text: f64) -> bool {
        self.units(text) == other.units(text)
    }
}

/// A drawn chart.
#[derive(Debug, Clone)]
pub struct RenderedChart {
    pub title: String,
    pub svg: String,
    pub alt: String,
    pub table: DataTable,
    pub figures: Figures,
    pub frame: Frame,
}

/// The numbers behind a chart, as plain data (`diagram/N.json` beside the
/// SVG): for hand work after `eject`, and for other tools.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Figures {
    /// The chart kind as written in `typ = "…"`.
    pub kind: &'static str,
    pub title: String,
    pub unit: Option<String>,
    /// Months (`2023-09`), years (`2023`) or unit names along the category
    /// axis.
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

/// What a chart kind draws: the chart's series, their values and style.
pub struct Input<'a> {
    pub title: &'a str,
    pub series: Vec<Line>,
    pub style: &'a NumberStyle,
    pub target: Option<f64>,
    /// The metric's definition, for the data appendix.
    pub description: Option<&'a str>,
    pub frame: Frame,
    /// The size of the chart's text on the page, in points.
    pub text: f64,
    /// Monthly values, or yearly ones (each at December of its year).
    pub frequency: Frequency,
}

impl Input<'_> {
    /// The SVG's size in its own units.
    fn units(&self) -> (u32, u32) {
        self.frame.units(self.text)
    }
}

/// One series' values over the chart's months or years (or, for bars per
/// unit, one value per unit at the report month or latest year).
pub struct Line {
    pub label: String,
    pub values: Vec<(Month, Option<f64>)>,
}

/// What a chart kind gives back; the dispatcher adds title and frame.
pub struct Drawn {
    pub svg: String,
    pub alt: String,
    pub table: DataTable,
    pub labels: Vec<String>,
    pub series: Vec<FigureSeries>,
}

/// Draws a chart of the report for `frame`. `title` is the chart's title
/// with its placeholders filled.
pub fn draw(chart: &Chart, title: &str, report: &Report, metrics: &Metrics, frame: Frame) -> RenderedChart {
    let metric = &report.metrics[chart.series[0].metric];
    let (first, last) = shown(chart, metrics);
    let months = chart.frequency.through(first, last);
    let series = chart
        .series
        .iter()
        .map(|s| Line {
            label: s.label.clone(),
            values: match chart.kind {
                ChartKind::UnitBars => vec![(last, metrics.value(s.metric, s.unit, last))],
                _ => months.iter().map(|&month| (month, metrics.value(s.metric, s.unit, month))).collect(),
            },
        })
        .collect();
    let input = Input {
        title,
        series,
        style: &metric.style,
        target: chart.target,
        description: metric.description.as_deref(),
        frame,
        text: report.kind.legibility().chart,
        frequency: chart.frequency,
    };
    let drawn = match chart.kind {
        ChartKind::Line => line::draw(&input),
        ChartKind::Bar => bar::draw(&input),
        ChartKind::BarAccumulated => bar_accumulated::draw(&input, chart, metrics),
        ChartKind::GroupedBars => grouped::draw(&input),
        ChartKind::UnitBars => unit_bars::draw(&input),
    };
    RenderedChart {
        title: title.to_string(),
        svg: drawn.svg,
        alt: drawn.alt,
        table: drawn.table,
        figures: Figures {
            kind: chart.kind.name(),
            title: title.to_string(),
            unit: metric.style.unit.clone(),
            labels: drawn.labels,
            series: drawn.series,
            target: chart.target,
        },
        frame,
    }
}

/// The months a chart shows: from its first month to the report month, or
/// for yearly figures the years with a value (see [`Metrics::shown`]).
fn shown(chart: &Chart, metrics: &Metrics) -> (Month, Month) {
    let series: Vec<_> = chart.series.iter().map(|s| (s.metric, s.unit)).collect();
    metrics.shown(&series, chart.frequency, chart.first, chart.last)
}

/// The title of a chart whose report file gives none: the metric, the
/// period shown and the units.
pub fn default_title(chart: &Chart, report: &Report, metrics: &Metrics) -> String {
    let metric = &report.metrics[chart.series[0].metric];
    let units: Vec<&str> = chart.series.iter().map(|s| report.units[s.unit].short_name.as_str()).collect();
    chart.kind.default_title(metric, &units, shown(chart, metrics).1)
}

/// A series as figures: its values in month order.
fn figure_series(line: &Line) -> FigureSeries {
    FigureSeries { label: line.label.clone(), values: line.values.iter().map(|(_, v)| *v).collect() }
}

/// The month labels (`2023-09`, or `2023` for years) of a series.
fn month_labels(line: &Line, frequency: Frequency) -> Vec<String> {
    line.values.iter().map(|(month, _)| frequency.code(*month)).collect()
}

fn font() -> TextStyle<'static> {
    (FONT, TEXT_SIZE).into_font().color(&TEXT)
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

/// The decimals an axis's tick labels need: as few as show each of the
/// `count` ticks plotters puts between `range` exactly ("−1", not "−1,0",
/// when every tick is whole). Tick labels carry no unit and no plus sign:
/// the chart's title says the unit, the axis shows the sign by position.
fn tick_decimals(range: std::ops::Range<f64>, count: usize) -> u8 {
    let ticks = RangedCoordf64::from(range).key_points(count);
    needed_decimals(&ticks, 3)
}

/// The fewest decimals, at most `most`, that write every value exactly.
fn needed_decimals(values: &[f64], most: u8) -> u8 {
    (0..most)
        .find(|&decimals| {
            let scale = 10f64.powi(decimals.into());
            values.iter().all(|v| ((v * scale).round() - v * scale).abs() < 1e-6 * (v * scale).abs().max(1.0))
        })
        .unwrap_or(most)
}

/// The top of a value axis: shares (values in per cent, none above 100)
/// stop at 100 %, whatever room the range left above the highest value.
fn axis_top(high: f64, style: &NumberStyle, highest: f64) -> f64 {
    if style.unit.as_deref() == Some("%") && highest <= 100.0 { high.min(100.0) } else { high }
}

/// Draws month labels (and the year under January and the first month),
/// or for yearly figures the years, below the plotting area, at the pixel
/// positions of the x coordinates.
fn draw_month_axis<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    months: &[Month],
    y_bottom: f64,
    frequency: Frequency,
) {
    let spec = chart.as_coord_spec();
    let label = font().pos(Pos::new(HPos::Center, VPos::Top));
    // Every month or year is named when the names fit side by side, else
    // every second (or third …) one; the year stays under January.
    let pitch = (spec.translate(&(1.0, y_bottom)).0 - spec.translate(&(0.0, y_bottom)).0).max(1) as f64;
    let widest = months
        .iter()
        .map(|m| match frequency {
            Frequency::Yearly => m.year.to_string(),
            Frequency::Monthly => swedish::month_abbreviation(m.month).to_string(),
        })
        .map(|text| fonts::text_width(&text, TEXT_UNITS))
        .fold(0.0, f64::max);
    let every = ((widest + TEXT_UNITS * 0.5) / pitch).ceil().max(1.0) as usize;
    for (i, month) in months.iter().enumerate() {
        let (x, y) = spec.translate(&(i as f64, y_bottom));
        let named = (months.len() - 1 - i).is_multiple_of(every);
        if frequency == Frequency::Yearly {
            if !named {
                continue;
            }
            let _ = root.draw(&Text::new(month.year.to_string(), (x, y + 8), label.clone()));
            continue;
        }
        if named {
            let _ =
                root.draw(&Text::new(swedish::month_abbreviation(month.month).to_string(), (x, y + 8), label.clone()));
        }
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
) -> ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>> {
    let decimals = tick_decimals(low..high, 7);
    let mut chart = ChartBuilder::on(root)
        .margin_top(margin_top)
        .margin_right(16)
        .x_label_area_size(66)
        .y_label_area_size(80)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), low..high)
        .expect("chart area fits the SVG");
    let formatter = |v: &f64| swedish::format_number(*v, decimals, false);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(7)
        .y_label_formatter(&formatter)
        .label_style(font())
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(GREY)
        .draw()
        .expect("mesh draws into a string");
    chart
}

/// A solid line across the plotting area at zero.
fn draw_zero_line<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    n: usize,
) {
    chart.draw_series(LineSeries::new([(-0.5, 0.0), (n as f64 - 0.5, 0.0)], TEXT.stroke_width(2))).expect("zero line");
}

/// A dashed target line across the plotting area.
fn draw_target_line<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    n: usize,
    target: f64,
) {
    chart
        .draw_series(DashedLineSeries::new([(-0.5, target), (n as f64 - 0.5, target)], 10, 6, TEXT.stroke_width(2)))
        .expect("target line");
}

/// Bars centred on each month (offset and width in month units), dark blue
/// above zero and dark red below, or one colour for every bar.
fn draw_month_bars<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    values: &[(Month, Option<f64>)],
    offset: f64,
    width: f64,
    colour: Option<RGBColor>,
) {
    let bars = values.iter().enumerate().filter_map(|(i, (_, value))| {
        let value = (*value)?;
        let colour = colour.unwrap_or(if value < 0.0 { RED } else { DARK_BLUE });
        let x = i as f64 + offset;
        Some(Rectangle::new([(x - width / 2.0, 0.0), (x + width / 2.0, value)], colour.filled()))
    });
    chart.draw_series(bars).expect("bars draw into a string");
}

/// The value on each bar, above a positive and below a negative one.
fn draw_bar_values<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    values: &[(Month, Option<f64>)],
    style: &NumberStyle,
) {
    let spec = chart.as_coord_spec().clone();
    // Only when every value fits over its bar's month with space between
    // them: otherwise none (the appendix has them all).
    let pitch = (spec.translate(&(1.0, 0.0)).0 - spec.translate(&(0.0, 0.0)).0) as f64;
    let widest = values.iter().map(|(_, v)| fonts::text_width(&style.format_bare(*v), TEXT_UNITS)).fold(0.0, f64::max);
    if widest + TEXT_UNITS * 0.5 > pitch {
        return;
    }
    for (i, (_, value)) in values.iter().enumerate() {
        let Some(value) = value else { continue };
        let (x, y) = spec.translate(&(i as f64, *value));
        let (anchor, dy) = if *value < 0.0 { (VPos::Top, 4) } else { (VPos::Bottom, -4) };
        let text = style.format_bare(Some(*value));
        let _ = root.draw(&Text::new(text, (x, y + dy), font().pos(Pos::new(HPos::Center, anchor))));
    }
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

/// A series drawn as a line with markers; gaps where values are missing.
fn draw_line<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    values: &[(Month, Option<f64>)],
    (colour, dashed, marker): (RGBColor, bool, Marker),
) {
    for segment in segments(values) {
        let stroke = colour.stroke_width(3);
        if dashed {
            chart.draw_series(DashedLineSeries::new(segment.clone(), 12, 6, stroke)).expect("line");
        } else {
            chart.draw_series(LineSeries::new(segment.clone(), stroke)).expect("line");
        }
        for point in segment {
            draw_marker(chart, point, marker, colour);
        }
    }
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

/// What a legend entry shows before its label.
enum Key {
    /// A line with its marker.
    Line((RGBColor, bool, Marker)),
    /// A filled square, for bars.
    Bar(RGBColor),
    /// The dashed target line.
    Target,
}

/// The legend across the top: each key, then its label.
fn draw_legend<DB: DrawingBackend>(root: &DrawingArea<DB, plotters::coord::Shift>, entries: &[(Key, String)]) {
    let mut x = 80i32;
    let y = 14i32;
    let label = font().pos(Pos::new(HPos::Left, VPos::Center));
    for (key, text) in entries {
        match key {
            Key::Line((colour, _, marker)) => {
                let _ = root.draw(&PathElement::new(vec![(x, y), (x + 30, y)], colour.stroke_width(3)));
                let centre = (x + 15, y);
                let colour = *colour;
                let _ = match marker {
                    Marker::Circle => root.draw(&Circle::new(centre, 6, colour.filled())),
                    Marker::Square => root
                        .draw(&plotters::element::Rectangle::new([(x + 9, y - 6), (x + 21, y + 6)], colour.filled())),
                    Marker::Triangle => root.draw(&TriangleMarker::new(centre, 8, colour.filled())),
                    Marker::Diamond => root.draw(&Polygon::new(
                        vec![(x + 15, y - 8), (x + 23, y), (x + 15, y + 8), (x + 7, y)],
                        colour.filled(),
                    )),
                };
            }
            Key::Bar(colour) => {
                let _ =
                    root.draw(&plotters::element::Rectangle::new([(x + 6, y - 9), (x + 24, y + 9)], colour.filled()));
            }
            Key::Target => {
                let _ = root.draw(&PathElement::new(vec![(x, y), (x + 12, y)], TEXT.stroke_width(2)));
                let _ = root.draw(&PathElement::new(vec![(x + 18, y), (x + 30, y)], TEXT.stroke_width(2)));
            }
        }
        let _ = root.draw(&Text::new(text.clone(), (x + 38, y), label.clone()));
        x += 38 + fonts::text_width(text, TEXT_UNITS).ceil() as i32 + 30;
    }
}

/// The legend text of a target line: "Mål 90 %".
fn target_label(target: f64, style: &NumberStyle) -> String {
    format!("Mål {}", target_text(target, style))
}

/// A target as people write it: without needless decimals or a plus sign
/// ("90 %", not "90,0 %").
fn target_text(target: f64, style: &NumberStyle) -> String {
    let decimals = needed_decimals(&[target], style.decimals);
    NumberStyle { decimals, explicit_sign: false, ..style.clone() }.format(Some(target))
}

/// "i januari 2023", or "i januari" when the year is the chart's only year;
/// "år 2023" for a yearly value.
fn in_month(month: Month, one_year: bool, frequency: Frequency) -> String {
    match frequency {
        Frequency::Yearly => format!("år {}", month.year),
        Frequency::Monthly if one_year => format!("i {}", swedish::month_name(month.month)),
        Frequency::Monthly => format!("i {}", month.long_name()),
    }
}

/// What a reader sees in a series: first and last value, highest and lowest.
fn describe_series(
    values: &[(Month, Option<f64>)],
    style: &NumberStyle,
    worst_is_lowest: bool,
    frequency: Frequency,
) -> String {
    let present: Vec<(Month, f64)> = values.iter().filter_map(|(m, v)| v.map(|v| (*m, v))).collect();
    let Some((&(first_month, first), &(last_month, last))) = present.first().zip(present.last()) else {
        return "inga värden".to_string();
    };
    let one_year = first_month.year == last_month.year;
    let in_month = |month: Month, one_year: bool| in_month(month, one_year, frequency);
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
    let missing: Vec<String> =
        values.iter().filter(|(_, v)| v.is_none()).map(|(m, _)| frequency.long_name(*m)).collect();
    if !missing.is_empty() {
        text.push_str(&format!("; värde saknas för {}", missing.join(", ")));
    }
    text
}

/// What a chart over months gives back, its SVG and alt text drawn.
fn months_drawn(input: &Input, svg: String, alt: String) -> Drawn {
    Drawn {
        svg,
        alt,
        table: months_table(&input.series, input.style, input.description, input.frequency),
        labels: month_labels(&input.series[0], input.frequency),
        series: input.series.iter().map(figure_series).collect(),
    }
}

/// Each series described (first, last, highest, lowest), then the target.
fn describe_lines(input: &Input) -> String {
    let (target, style) = (input.target, input.style);
    let mut text = String::new();
    for line in &input.series {
        text.push_str(&format!(" {}: {}.", line.label, describe_series(&line.values, style, false, input.frequency)));
    }
    if let Some(target) = target {
        text.push_str(&format!(" Mållinje vid {}.", target_text(target, style)));
    }
    text
}

/// One row per month (or year), one column per series.
fn months_table(lines: &[Line], style: &NumberStyle, note: Option<&str>, frequency: Frequency) -> DataTable {
    let first = match frequency {
        Frequency::Monthly => "Månad",
        Frequency::Yearly => "År",
    };
    let mut headers = vec![first.to_string()];
    headers.extend(lines.iter().map(|l| l.label.clone()));
    let months = lines.first().map(|l| l.values.len()).unwrap_or(0);
    let rows = (0..months)
        .map(|i| {
            let mut row = vec![frequency.long_name(lines[0].values[i].0)];
            row.extend(lines.iter().map(|l| style.format(l.values[i].1)));
            row
        })
        .collect();
    DataTable { headers, rows, note: note.map(str::to_string) }
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
        for (colour, _, _) in SERIES_STYLES {
            assert!(contrast(colour, WHITE) >= 3.0, "{colour:?}: {:.2}", contrast(colour, WHITE));
        }
        assert!(contrast(TEXT, WHITE) >= 4.5, "text");
        assert!(contrast(RED, WHITE) >= 3.0 && contrast(DARK_BLUE, WHITE) >= 3.0, "bars");
        // Region Halland's light blue is below 3:1 and is never used for data.
        assert!(contrast(RGBColor(0x6C, 0xA2, 0xD5), WHITE) < 3.0);
        // Key figures: dark blue on light blue.
        assert!(contrast(DARK_BLUE, RGBColor(0xCE, 0xE2, 0xF2)) >= 4.5);
    }

    /// A series from January 2023.
    pub fn line(values: &[Option<f64>]) -> Line {
        let first = Month::parse("2023-01").unwrap();
        Line {
            label: "VO Kungsbacka".into(),
            values: values.iter().enumerate().map(|(i, v)| (first.plus(i as i64), *v)).collect(),
        }
    }

    #[test]
    fn gaps_split_lines_and_are_told() {
        let l = line(&[Some(1.0), None, Some(2.0), Some(3.0)]);
        assert_eq!(segments(&l.values).len(), 2);
        let alt = describe_series(&l.values, &NumberStyle::new(0), false, Frequency::Monthly);
        assert!(alt.ends_with("värde saknas för februari 2023"), "{alt}");
    }

    #[test]
    fn ticks_targets_and_shares_are_written_as_people_write_them() {
        assert_eq!(tick_decimals(-6.2..3.1, 7), 0, "ticks at whole numbers: −6, not −6,0");
        assert_eq!(tick_decimals(-2.4..1.3, 7), 1, "ticks at halves");
        assert_eq!(tick_decimals(0.0..1.2, 7), 1);
        assert_eq!(needed_decimals(&[-1.0, 0.0, 2.0], 3), 0);
        assert_eq!(needed_decimals(&[0.25], 3), 2);
        let share = NumberStyle::new(1).with_unit("%");
        assert_eq!(target_label(90.0, &share), "Mål 90\u{a0}%");
        assert_eq!(target_label(92.5, &share.clone().signed()), "Mål 92,5\u{a0}%");
        assert_eq!(axis_top(105.2, &share, 97.2), 100.0);
        assert_eq!(axis_top(130.0, &share, 120.0), 130.0, "a per cent above 100 is no share");
        assert_eq!(axis_top(105.2, &NumberStyle::new(1).with_unit("mnkr"), 97.2), 105.2);
    }

    #[test]
    fn frames_are_drawn_at_their_size_in_points() {
        // Text 12 pt high: 17,74 units of text make 12 pt, 1,478 units a point.
        let frame = Frame { width: 450.0, height: 300.0 };
        assert_eq!(frame.units(12.0), (665, 443));
        assert!(frame.draws_like(Frame { width: 450.2, height: 299.8 }, 12.0));
        assert!(!frame.draws_like(Frame { width: 440.0, height: 300.0 }, 12.0));
        // Smaller text (A4): the same slot in more units, so all is smaller.
        assert_eq!(frame.units(9.0), (887, 591));
    }
}

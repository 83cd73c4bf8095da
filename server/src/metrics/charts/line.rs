//! The time-series chart: one line per metric over the range (the first one filled as an
//! area), an optional min/max band, a value axis in the metrics' unit and a time axis with
//! ticks that fit the range.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use time::UtcOffset;

use super::frame::{self, Area, HEAD, INK, LINE, MUTED};
use super::text::Lang;
use super::units::{self, Kind};

/// One line: (unix seconds, avg, min, max) points.
pub struct Line {
    pub label: String,
    pub points: Vec<(i64, f64, f64, f64)>,
}

pub struct LineChart {
    pub title: String,
    /// Shown at the top right (e.g. the no-metrics-API note).
    pub note: Option<String>,
    pub kind: Kind,
    /// What the value axis measures ("CPU"): the unit is added.
    pub quantity: String,
    pub from: i64,
    pub to: i64,
    pub offset: UtcOffset,
    /// Draw the min–max band of each line.
    pub band: bool,
    pub lines: Vec<Line>,
    /// What to say when there are no points.
    pub empty: String,
    pub empty_detail: Option<String>,
}

pub const WIDTH: u32 = 760;
pub const HEIGHT: u32 = 320;

pub fn render(c: &LineChart, lang: Lang) -> anyhow::Result<String> {
    frame::svg(WIDTH, HEIGHT, |root| draw(root, c, lang))
}

fn draw(root: &Area, c: &LineChart, lang: Lang) -> anyhow::Result<()> {
    frame::head(root, &c.title, c.note.as_deref())?;
    if c.lines.iter().all(|l| l.points.is_empty()) {
        return frame::message(root, &c.empty, c.empty_detail.as_deref());
    }
    let items: Vec<_> = c
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.label.clone(), frame::color(i)))
        .collect();
    frame::legend(root, &items)?;
    let max = c
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| if c.band { p.3 } else { p.1 }))
        .fold(0.0f64, f64::max);
    let (scale, top) = units::value_axis(c.kind, max, lang, 1.12);
    let y_name = match c.kind {
        Kind::Count => c.quantity.clone(),
        _ => format!("{} ({})", c.quantity, scale.unit),
    };
    let x_name = format!("{} ({})", lang.t("time"), units::offset_name(c.offset));
    let range = c.to - c.from;
    let mut chart = ChartBuilder::on(root)
        .margin_top(HEAD)
        .margin_right(20)
        .margin_left(8)
        .margin_bottom(6)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(c.from as f64..c.to as f64, 0f64..top)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(LINE)
        .axis_style(MUTED)
        .y_labels(6)
        .x_labels(0)
        .label_style(frame::font(11.0, MUTED))
        .axis_desc_style(frame::font(12.0, INK))
        .y_label_formatter(&|v| units::num(*v))
        .x_desc(x_name)
        .y_desc(y_name)
        .draw()?;
    // Time ticks where people expect them (every 10 min, hour, 3 h, day, 5 days), not where
    // round numbers of seconds fall.
    let tick_style = frame::font(11.0, MUTED).pos(Pos::new(HPos::Center, VPos::Top));
    for t in units::ticks(c.from, c.to, c.offset) {
        let x = t as f64;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x, 0.0), (x, top)],
            LINE.stroke_width(1),
        )))?;
        let (px, py) = chart.backend_coord(&(x, 0.0));
        root.draw(&PathElement::new(vec![(px, py), (px, py + 4)], MUTED))?;
        root.draw(&Text::new(
            units::tick_label(t, range, c.offset),
            (px, py + 6),
            tick_style.clone(),
        ))?;
    }
    let div = scale.div;
    let lines: Vec<Vec<(i64, f64, f64, f64)>> = c
        .lines
        .iter()
        .map(|l| thin(&l.points, c.from, c.to, WIDTH as i64))
        .collect();
    for (i, points) in lines.iter().enumerate() {
        let col = frame::color(i);
        let pts = || points.iter().map(|p| (p.0 as f64, p.1 / div));
        if c.band && points.len() > 1 {
            let mut poly: Vec<(f64, f64)> =
                points.iter().map(|p| (p.0 as f64, p.3 / div)).collect();
            poly.extend(points.iter().rev().map(|p| (p.0 as f64, p.2 / div)));
            chart.draw_series(std::iter::once(Polygon::new(poly, col.mix(0.12).filled())))?;
        } else if i == 0 {
            chart.draw_series(AreaSeries::new(pts(), 0.0, col.mix(0.10).filled()))?;
        }
        chart.draw_series(LineSeries::new(pts(), col.stroke_width(2)))?;
        if points.len() == 1 {
            chart.draw_series(pts().map(|p| Circle::new(p, 3, col.filled())))?;
        }
    }
    Ok(())
}

/// At most about one point per pixel column: the points of a column become one (mean of the
/// averages, least minimum, greatest maximum), so the SVG stays small whatever the data.
pub fn thin(
    points: &[(i64, f64, f64, f64)],
    from: i64,
    to: i64,
    columns: i64,
) -> Vec<(i64, f64, f64, f64)> {
    if points.len() as i64 <= columns || to <= from {
        return points.to_vec();
    }
    let width = ((to - from) / columns).max(1);
    let mut out: Vec<(i64, f64, f64, f64)> = Vec::with_capacity(columns as usize + 1);
    let mut n = 0.0;
    let mut col = i64::MIN;
    for &(t, avg, min, max) in points {
        let c = (t - from).div_euclid(width);
        match out.last_mut() {
            Some(last) if c == col => {
                n += 1.0;
                last.1 += (avg - last.1) / n;
                last.2 = last.2.min(min);
                last.3 = last.3.max(max);
            }
            _ => {
                out.push((t, avg, min, max));
                (col, n) = (c, 1.0);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thinning_keeps_extremes_and_means() {
        let pts: Vec<_> = (0..1000)
            .map(|i| (i, i as f64, i as f64 - 1.0, i as f64 + 1.0))
            .collect();
        let t = super::thin(&pts, 0, 1000, 100);
        assert_eq!(t.len(), 100);
        assert_eq!(t[0], (0, 4.5, -1.0, 10.0));
        assert_eq!(t[99].3, 1000.0);
        assert_eq!(super::thin(&pts[..50], 0, 1000, 100).len(), 50);
    }
}

//! The bar chart: horizontal bars, one row per subject and one bar per series in it, each bar
//! with its value written at its end. Used for rankings, the resource pool and applications.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{self, Area, HEAD, INK, LINE, MUTED};
use super::text::Lang;
use super::units::{self, Kind};

/// One row: its label and, per series, the value and the text written after the bar (`None`:
/// not known, drawn as "n/a").
pub struct Row {
    pub label: String,
    pub bars: Vec<Option<(f64, String)>>,
}

pub struct BarChart {
    pub title: String,
    pub note: Option<String>,
    pub kind: Kind,
    /// What the value axis measures: the unit is added.
    pub quantity: String,
    /// The series' names (the legend; none drawn for a single series).
    pub series: Vec<String>,
    pub rows: Vec<Row>,
    pub empty: String,
    pub empty_detail: Option<String>,
}

pub const WIDTH: u32 = 760;
const BAR: i32 = 14;
const GAP: i32 = 14;

pub fn render(c: &BarChart, lang: Lang) -> anyhow::Result<String> {
    let per_row = BAR * c.series.len().max(1) as i32 + GAP;
    let body = (per_row * c.rows.len() as i32).max(140);
    let height = HEAD as i32 + body + 50;
    frame::svg(WIDTH, height as u32, |root| draw(root, c, lang))
}

fn draw(root: &Area, c: &BarChart, lang: Lang) -> anyhow::Result<()> {
    frame::head(root, &c.title, c.note.as_deref())?;
    if c.rows.is_empty() {
        return frame::message(root, &c.empty, c.empty_detail.as_deref());
    }
    let n = c.series.len().max(1);
    if n > 1 {
        let items: Vec<_> = c
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), frame::color(i)))
            .collect();
        frame::legend(root, &items)?;
    }
    let max = c
        .rows
        .iter()
        .flat_map(|r| r.bars.iter().flatten().map(|b| b.0))
        .fold(0.0f64, f64::max);
    // Room after the longest bar for its text.
    let (scale, top) = units::value_axis(c.kind, max, lang, 1.45);
    let label_w = c
        .rows
        .iter()
        .map(|r| frame::text_width(&r.label, 12.0))
        .max()
        .unwrap_or(40)
        .clamp(40, 230)
        + 14;
    let rows = c.rows.len() as f64;
    let name = match c.kind {
        Kind::Count | Kind::Percent => c.quantity.clone(),
        _ => format!("{} ({})", c.quantity, scale.unit),
    };
    let mut chart = ChartBuilder::on(root)
        .margin_top(HEAD)
        .margin_right(20)
        .margin_bottom(6)
        .x_label_area_size(38)
        .y_label_area_size(label_w as u32)
        .build_cartesian_2d(0f64..top, rows..0f64)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .light_line_style(TRANSPARENT)
        .bold_line_style(LINE)
        .axis_style(MUTED)
        .x_labels(6)
        .label_style(frame::font(11.0, MUTED))
        .axis_desc_style(frame::font(12.0, INK))
        .x_label_formatter(&|v| units::num(*v))
        .x_desc(name)
        .draw()?;
    // Bars are placed in pixels inside each row's band.
    let band = |i: usize| {
        let (_, y0) = chart.backend_coord(&(0.0, i as f64));
        let (_, y1) = chart.backend_coord(&(0.0, i as f64 + 1.0));
        (y0, y1)
    };
    let (x0, _) = chart.backend_coord(&(0.0, 0.0));
    let label_style = frame::font(12.0, INK).pos(Pos::new(HPos::Right, VPos::Center));
    let value_style = frame::font(11.0, MUTED).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, row) in c.rows.iter().enumerate() {
        let (y0, y1) = band(i);
        let mid = (y0 + y1) / 2;
        root.draw(&Text::new(
            frame::fit(&row.label, label_w - 14, 12.0),
            (x0 - 8, mid),
            label_style.clone(),
        ))?;
        let start = mid - (BAR * n as i32) / 2;
        for (j, bar) in row.bars.iter().enumerate() {
            let by = start + BAR * j as i32;
            let col = frame::color(j);
            let (x1, text) = match bar {
                Some((v, text)) => (chart.backend_coord(&(v / scale.div, 0.0)).0, text.clone()),
                None => (x0, "—".to_string()),
            };
            if x1 > x0 {
                root.draw(&Rectangle::new(
                    [(x0, by + 1), (x1, by + BAR - 2)],
                    col.filled(),
                ))?;
            }
            root.draw(&Text::new(
                text,
                (x1 + 5, by + BAR / 2),
                value_style.clone(),
            ))?;
        }
    }
    Ok(())
}

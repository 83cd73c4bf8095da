//! What every chart shares: the colours of `assets/css` (`--accent`, `--ok`, `--warn`, ...),
//! the UI's font, the title and subtitle, a legend row, and the "no data" face. Text is plain
//! SVG `<text>`: the browser lays it out, so Chinese needs no font file here.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The UI's font stack (`--font`), unquoted so it fits an SVG attribute.
pub const FONT: &str = "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif";

pub const INK: RGBColor = RGBColor(0x1d, 0x23, 0x30);
pub const MUTED: RGBColor = RGBColor(0x5f, 0x68, 0x78);
pub const LINE: RGBColor = RGBColor(0xdd, 0xe1, 0xe8);
pub const PANEL: RGBColor = RGBColor(0xff, 0xff, 0xff);

/// Series colours: `--accent`, `--ok`, `--warn`, `--bad`, `--sim`, then two more of the same
/// weight.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0x24, 0x57, 0xc5),
    RGBColor(0x1f, 0x7a, 0x4d),
    RGBColor(0x9a, 0x62, 0x00),
    RGBColor(0xb4, 0x23, 0x18),
    RGBColor(0x6b, 0x3f, 0xa0),
    RGBColor(0x0e, 0x74, 0x90),
    RGBColor(0x5f, 0x68, 0x78),
];

pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Height of the title block (title, subtitle, legend).
pub const HEAD: u32 = 62;

pub type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

pub fn font(size: f64, c: RGBColor) -> TextStyle<'static> {
    let mut s = TextStyle::from((FONT, size).into_font());
    s.color = c.to_backend_color();
    s
}

/// Rough width of `s` in pixels at `size` (wide for CJK): for layout only.
pub fn text_width(s: &str, size: f64) -> i32 {
    s.chars()
        .map(|c| {
            if c as u32 >= 0x2e80 {
                size
            } else {
                size * 0.58
            }
        })
        .sum::<f64>() as i32
}

/// `s` cut to about `px` pixels, with an ellipsis.
pub fn fit(s: &str, px: i32, size: f64) -> String {
    if text_width(s, size) <= px {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if text_width(&out, size) + text_width("…", size) + (size as i32) > px {
            break;
        }
        out.push(c);
    }
    out + "…"
}

/// Background, title and (optional) subtitle.
pub fn head(root: &Area, title: &str, subtitle: Option<&str>) -> anyhow::Result<()> {
    root.fill(&PANEL)?;
    root.draw(&Text::new(
        title.to_string(),
        (16, 10),
        font(15.0, INK).pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
    if let Some(s) = subtitle {
        let (w, _) = root.dim_in_pixel();
        root.draw(&Text::new(
            s.to_string(),
            (w as i32 - 16, 12),
            font(12.0, MUTED).pos(Pos::new(HPos::Right, VPos::Top)),
        ))?;
    }
    Ok(())
}

/// A row of colour swatches and names under the title.
pub fn legend(root: &Area, items: &[(String, RGBColor)]) -> anyhow::Result<()> {
    let (w, _) = root.dim_in_pixel();
    let (mut x, mut y) = (16, 38);
    for (label, c) in items {
        let width = 18 + text_width(label, 12.0) + 18;
        if x + width > w as i32 - 8 && x > 16 {
            (x, y) = (16, y + 16);
        }
        root.draw(&Rectangle::new([(x, y + 2), (x + 12, y + 12)], c.filled()))?;
        root.draw(&Text::new(
            label.clone(),
            (x + 17, y + 7),
            font(12.0, INK).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x += width;
    }
    Ok(())
}

/// A message in the middle of the chart's body (no data, no metrics API).
pub fn message(root: &Area, text: &str, detail: Option<&str>) -> anyhow::Result<()> {
    let (w, h) = root.dim_in_pixel();
    let (cx, cy) = (w as i32 / 2, (h as i32 + HEAD as i32) / 2);
    root.draw(&Rectangle::new(
        [(16, HEAD as i32), (w as i32 - 16, h as i32 - 16)],
        ShapeStyle::from(&LINE).stroke_width(1),
    ))?;
    root.draw(&Text::new(
        text.to_string(),
        (cx, cy - 8),
        font(15.0, MUTED).pos(Pos::new(HPos::Center, VPos::Center)),
    ))?;
    if let Some(d) = detail {
        root.draw(&Text::new(
            d.to_string(),
            (cx, cy + 14),
            font(12.0, MUTED).pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Draws with `f` onto a `w`×`h` SVG and returns the document.
pub fn svg(w: u32, h: u32, f: impl FnOnce(&Area) -> anyhow::Result<()>) -> anyhow::Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        f(&root)?;
        root.present()?;
    }
    Ok(out)
}

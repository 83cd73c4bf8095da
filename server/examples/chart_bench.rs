//! Benchmark of the SVG charts: renders a 7-day series chart of 10,000 points per line (1 and
//! 3 lines, with the min/max band) and a 30-row ranking, many times, and prints the median
//! time of each. `--out DIR` also writes the SVGs there (to look at them).
//!
//! `cargo run --release -p ku8portal --example chart_bench [-- --out DIR]`

use std::time::Instant;

use ku8portal::metrics::charts::bars::{self, BarChart, Row};
use ku8portal::metrics::charts::line::{self, Line, LineChart};
use ku8portal::metrics::charts::text::Lang;
use ku8portal::metrics::charts::units::Kind;
use time::UtcOffset;

const POINTS: i64 = 10_000;
const WEEK: i64 = 7 * 86_400;

fn series_chart(lines: usize) -> LineChart {
    let to = 1_795_514_820;
    let from = to - WEEK;
    let lines = (0..lines)
        .map(|l| Line {
            label: format!("series {l}"),
            points: (0..POINTS)
                .map(|i| {
                    let t = from + i * WEEK / POINTS;
                    let x = i as f64 / 200.0 + l as f64;
                    let v = 2.0 + l as f64 + x.sin() + (x * 7.3).cos() * 0.3;
                    (t, v, v * 0.8, v * 1.2)
                })
                .collect(),
        })
        .collect();
    LineChart {
        title: "namespace shop-prod · last 7d".into(),
        note: None,
        kind: Kind::Cores,
        quantity: "CPU".into(),
        from,
        to,
        offset: UtcOffset::UTC,
        band: true,
        lines,
        empty: "No data yet".into(),
        empty_detail: None,
    }
}

fn ranking() -> BarChart {
    BarChart {
        title: "Top CPU usage · pod · last 24h".into(),
        note: None,
        kind: Kind::Cores,
        quantity: "CPU usage (average)".into(),
        series: vec!["CPU usage".into()],
        rows: (0..30)
            .map(|i| Row {
                label: format!("shop-prod/web-{i}"),
                bars: vec![Some((3.0 / (i as f64 + 1.0), format!("{i}")))],
            })
            .collect(),
        empty: "No data yet".into(),
        empty_detail: None,
    }
}

fn median_ms(runs: usize, mut f: impl FnMut() -> String) -> (f64, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let t = Instant::now();
        size = f().len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (times[runs / 2], size)
}

fn main() -> anyhow::Result<()> {
    let out = std::env::args().skip_while(|a| a != "--out").nth(1);
    let one = series_chart(1);
    let three = series_chart(3);
    let top = ranking();
    for (name, ms, bytes) in [
        {
            let (ms, b) = median_ms(31, || line::render(&one, Lang::En).unwrap());
            ("series 7d x 10,000 points, 1 line + band", ms, b)
        },
        {
            let (ms, b) = median_ms(31, || line::render(&three, Lang::Zh).unwrap());
            ("series 7d x 10,000 points, 3 lines + bands", ms, b)
        },
        {
            let (ms, b) = median_ms(101, || bars::render(&top, Lang::En).unwrap());
            ("ranking, 30 bars", ms, b)
        },
    ] {
        println!("{name}: median {ms:.2} ms, {bytes} bytes");
    }
    if let Some(dir) = out {
        std::fs::create_dir_all(&dir)?;
        std::fs::write(format!("{dir}/series-1.svg"), line::render(&one, Lang::En)?)?;
        std::fs::write(
            format!("{dir}/series-3.svg"),
            line::render(&three, Lang::Zh)?,
        )?;
        std::fs::write(format!("{dir}/top.svg"), bars::render(&top, Lang::En)?)?;
    }
    Ok(())
}

//! How a [`PriceSeries`] looks in a notebook: its summary and a chart of its closes.

use chrono::{Duration, NaiveDate};
use plotters::prelude::*;

use super::output::{escape, evcxr_block};
use crate::data::PriceSeries;
use crate::error::{Error, Result};

/// Days since 1970-01-01, the chart's x coordinate.
fn day_number(d: NaiveDate) -> i64 {
    (d - NaiveDate::default()).num_days()
}

impl PriceSeries {
    /// A line chart of the closes as SVG, on a log scale when the closes span more than a
    /// factor of 50 (crypto), linear otherwise.
    ///
    /// ```
    /// let svg = eventstudy::datasets::load("btc")?.to_svg()?;
    /// assert!(svg.starts_with("<svg") && svg.contains("btc"));
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn to_svg(&self) -> Result<String> {
        let title = format!(
            "{} close, {}..{}",
            self.symbol(),
            self.first_date(),
            self.last_date()
        );
        let err = |e: String| Error::Chart {
            chart: title.clone(),
            message: e,
        };
        let (lo, hi) = self
            .close()
            .iter()
            .fold((f64::INFINITY, 0.0f64), |(lo, hi), &c| (lo.min(c), hi.max(c)));
        let (x0, x1) = (
            day_number(self.first_date()),
            day_number(self.last_date()).max(day_number(self.first_date()) + 1),
        );
        let points = self
            .dates()
            .iter()
            .zip(self.close())
            .map(|(d, c)| (day_number(*d), *c));
        let label = |x: &i64| {
            (NaiveDate::default() + Duration::days(*x))
                .format("%Y-%m")
                .to_string()
        };
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (960, 360)).into_drawing_area();
            root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
            let mut builder = ChartBuilder::on(&root);
            builder
                .caption(&title, ("sans-serif", 20))
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(70);
            let color = RGBColor(31, 119, 180);
            if hi / lo > 50.0 {
                let mut chart = builder
                    .build_cartesian_2d(x0..x1, (lo * 0.9..hi * 1.1).log_scale())
                    .map_err(|e| err(e.to_string()))?;
                chart
                    .configure_mesh()
                    .x_label_formatter(&label)
                    .y_desc("close (log scale)")
                    .draw()
                    .map_err(|e| err(e.to_string()))?;
                chart
                    .draw_series(LineSeries::new(points, color))
                    .map_err(|e| err(e.to_string()))?;
            } else {
                let pad = (hi - lo) * 0.05;
                let mut chart = builder
                    .build_cartesian_2d(x0..x1, (lo - pad)..(hi + pad))
                    .map_err(|e| err(e.to_string()))?;
                chart
                    .configure_mesh()
                    .x_label_formatter(&label)
                    .y_desc("close")
                    .draw()
                    .map_err(|e| err(e.to_string()))?;
                chart
                    .draw_series(LineSeries::new(points, color))
                    .map_err(|e| err(e.to_string()))?;
            }
            root.present().map_err(|e| err(e.to_string()))?;
        }
        Ok(svg)
    }

    /// The summary line and the chart as an HTML fragment.
    pub fn to_html(&self) -> Result<String> {
        let text = escape(&self.to_string());
        Ok(format!(
            "<div class=\"eventstudy-series\">\n<p>{text}</p>\n{}\n</div>",
            self.to_svg()?
        ))
    }

    /// Rich display in an evcxr notebook: the chart and the summary (plain text alone if the
    /// chart cannot be drawn).
    pub fn evcxr_display(&self) {
        if let Ok(html) = self.to_html() {
            evcxr_block("text/html", &html);
        }
        evcxr_block("text/plain", &self.to_string());
    }
}

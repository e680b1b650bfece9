//! Event detection: each rule is a single forward pass over a contiguous `f64` slice.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use super::rule::{BreakoutRule, RelativeBasis};
use crate::data::{PriceSeries, datasets};
use crate::error::{Error, Result};

/// One detected event.
///
/// `level` is the value that made the event (the close, the high, or the ratio).
/// `previous_record` is what it broke: the previous record (ATH rules), the crossed level
/// ([`BreakoutRule::LevelCross`]) or the prior rolling maximum ([`BreakoutRule::RollingHigh`]);
/// `previous_record_date` is when that record was set (for a level cross: the last close above
/// the level, if any) and `days_since_record` the rows between then and the event.
///
/// ```
/// use eventstudy::{BreakoutRule, datasets};
/// let events = BreakoutRule::ath_close(250).detect(&datasets::load("rut")?)?;
/// let e = &events[8]; // the ninth since 1989
/// assert_eq!(e.date.to_string(), "2020-11-13");
/// assert_eq!(e.previous_record_date.unwrap().to_string(), "2018-08-31"); // the record it broke
/// assert_eq!(e.days_since_record, Some(555));
/// assert!(e.level > e.previous_record.unwrap());
/// # Ok::<(), eventstudy::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Event date (an observation date of the series).
    pub date: NaiveDate,
    /// The series the rule ran on (`rut`, or `rut/gspc` for a ratio).
    pub symbol: String,
    /// The rule, in words (its `Display`).
    pub rule: String,
    /// The value that made the event.
    pub level: f64,
    /// The record or level it broke.
    pub previous_record: Option<f64>,
    /// When that record was set.
    pub previous_record_date: Option<NaiveDate>,
    /// Rows between that record and the event.
    pub days_since_record: Option<usize>,
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} at {:.2}", self.date, self.symbol, self.level)?;
        match (
            self.previous_record,
            self.previous_record_date,
            self.days_since_record,
        ) {
            (Some(r), Some(d), Some(n)) => write!(f, ", broke {r:.2} set {d} ({n} days earlier)"),
            (Some(r), None, _) => write!(f, ", broke {r:.2}"),
            _ => Ok(()),
        }
    }
}

/// A hit found in a slice: the row and what it broke (value and row).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Hit {
    t: usize,
    broke: Option<(f64, Option<usize>)>,
}

impl BreakoutRule {
    /// Runs the rule on `series`. For [`BreakoutRule::RelativeHigh`] the denominator is loaded
    /// from the bundled datasets by its symbol; use [`BreakoutRule::detect_with`] to pass it.
    ///
    /// ```
    /// use eventstudy::{BreakoutRule, datasets};
    /// let rut = datasets::load("rut")?;
    /// let events = BreakoutRule::ath_close(250).detect(&rut)?;
    /// assert!(events.iter().any(|e| e.date.to_string() == "2020-11-13"));
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn detect(&self, series: &PriceSeries) -> Result<Vec<Event>> {
        match self {
            BreakoutRule::RelativeHigh { other, .. } => self.detect_with(series, &datasets::load(other)?),
            _ => self.detect_inner(series),
        }
    }

    /// Runs the rule with an explicit denominator series for [`BreakoutRule::RelativeHigh`]
    /// (other rules ignore `other`).
    ///
    /// ```
    /// use eventstudy::{BreakoutRule, datasets};
    /// let (rut, gspc) = (datasets::load("rut")?, datasets::load("gspc")?);
    /// let events = BreakoutRule::relative_ath("gspc").detect_with(&rut, &gspc)?;
    /// assert_eq!(events[0].symbol, "rut/gspc");
    /// assert_eq!(events[0].date.to_string(), "2013-07-15"); // small caps beat a 2012 record vs the S&P
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn detect_with(&self, series: &PriceSeries, other: &PriceSeries) -> Result<Vec<Event>> {
        match self {
            BreakoutRule::RelativeHigh { .. } => {
                let ratio = series.ratio_to(other)?;
                self.detect_inner(&ratio)
            }
            _ => self.detect_inner(series),
        }
    }

    fn detect_inner(&self, series: &PriceSeries) -> Result<Vec<Event>> {
        self.validate()?;
        let close = series.close();
        // The value each row is judged on: the close, or max(high, close) for the high rule.
        let values: Cow<'_, [f64]> = match self {
            BreakoutRule::AthHighAfterDrought { .. } => {
                let highs = series.high().ok_or_else(|| Error::MissingData {
                    symbol: series.symbol().to_string(),
                    message: format!("the rule \"{self}\" needs intraday highs and the series has none"),
                })?;
                Cow::Owned(
                    highs
                        .iter()
                        .zip(close)
                        .map(|(h, c)| h.map_or(*c, |h| h.max(*c)))
                        .collect(),
                )
            }
            _ => Cow::Borrowed(close),
        };
        let hits = match self {
            BreakoutRule::AthCloseAfterDrought { min_days }
            | BreakoutRule::AthHighAfterDrought { min_days } => record_after_drought(&values, *min_days),
            BreakoutRule::LevelCross {
                level,
                min_days_below,
            } => level_cross(&values, *level, *min_days_below),
            BreakoutRule::RollingHigh { lookback, min_gap } => rolling_high(&values, *lookback, *min_gap),
            BreakoutRule::RelativeHigh { basis, .. } => match basis {
                RelativeBasis::AthAfterDrought { min_days } => record_after_drought(&values, *min_days),
                RelativeBasis::RollingHigh { lookback, min_gap } => {
                    rolling_high(&values, *lookback, *min_gap)
                }
            },
            BreakoutRule::Dates(dates) => given_dates(series, dates)?,
        };
        let rule = self.to_string();
        let dates = series.dates();
        Ok(hits
            .into_iter()
            .map(|h| Event {
                date: dates[h.t],
                symbol: series.symbol().to_string(),
                rule: rule.clone(),
                level: values[h.t],
                previous_record: h.broke.map(|b| b.0),
                previous_record_date: h.broke.and_then(|b| b.1).map(|i| dates[i]),
                days_since_record: h.broke.and_then(|b| b.1).map(|i| h.t - i),
            })
            .collect())
    }
}

/// Rows `t` where `values[t]` beats every earlier value and the previous record is at least
/// `min_days` rows old.
fn record_after_drought(values: &[f64], min_days: usize) -> Vec<Hit> {
    let mut hits = Vec::new();
    let Some(&first) = values.first() else { return hits };
    let (mut record, mut record_at) = (first, 0usize);
    for (t, &v) in values.iter().enumerate().skip(1) {
        if v > record {
            if t - record_at >= min_days {
                hits.push(Hit {
                    t,
                    broke: Some((record, Some(record_at))),
                });
            }
            record = v;
            record_at = t;
        }
    }
    hits
}

/// Rows `t` where `values[t] > level` after at least `min_below` (and at least one)
/// consecutive values at or below it.
fn level_cross(values: &[f64], level: f64, min_below: usize) -> Vec<Hit> {
    let mut hits = Vec::new();
    let (mut below, mut last_above) = (0usize, None);
    for (t, &v) in values.iter().enumerate() {
        if v > level {
            if below >= min_below.max(1) {
                hits.push(Hit {
                    t,
                    broke: Some((level, last_above)),
                });
            }
            below = 0;
            last_above = Some(t);
        } else {
            below += 1;
        }
    }
    hits
}

/// Rows `t >= lookback` where `values[t]` is above the maximum of the previous `lookback`
/// values, keeping only hits at least `min_gap` rows after the last kept one. The window
/// maximum comes from a monotonic deque: O(n) overall.
fn rolling_high(values: &[f64], lookback: usize, min_gap: usize) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut window: VecDeque<usize> = VecDeque::with_capacity(lookback + 1);
    let mut last_kept: Option<usize> = None;
    for (t, &v) in values.iter().enumerate() {
        while window.front().is_some_and(|&i| i + lookback < t) {
            window.pop_front();
        }
        if t >= lookback
            && let Some(&m) = window.front()
            && v > values[m]
            && last_kept.is_none_or(|k| t - k >= min_gap)
        {
            hits.push(Hit {
                t,
                broke: Some((values[m], Some(m))),
            });
            last_kept = Some(t);
        }
        while window.back().is_some_and(|&i| values[i] <= v) {
            window.pop_back();
        }
        window.push_back(t);
    }
    hits
}

fn given_dates(series: &PriceSeries, dates: &[NaiveDate]) -> Result<Vec<Hit>> {
    let mut rows: Vec<usize> = Vec::with_capacity(dates.len());
    for &d in dates {
        let t = series.index_on_or_after(d).ok_or_else(|| Error::OutOfRange {
            symbol: series.symbol().to_string(),
            message: format!(
                "event date {d} is after the last observation {}",
                series.last_date()
            ),
        })?;
        if d < series.first_date() {
            return Err(Error::OutOfRange {
                symbol: series.symbol().to_string(),
                message: format!(
                    "event date {d} is before the first observation {}",
                    series.first_date()
                ),
            });
        }
        rows.push(t);
    }
    rows.sort_unstable();
    rows.dedup();
    Ok(rows.into_iter().map(|t| Hit { t, broke: None }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(hits: &[Hit]) -> Vec<usize> {
        hits.iter().map(|h| h.t).collect()
    }

    #[test]
    fn record_needs_drought() {
        // Hand-worked: records at 1 (beats 0 after 1 row), 4 (beats row 1 after 3 rows).
        let v = [1.0, 2.0, 1.5, 1.9, 2.5, 2.6];
        assert_eq!(rows(&record_after_drought(&v, 1)), vec![1, 4, 5]);
        assert_eq!(rows(&record_after_drought(&v, 3)), vec![4]);
        assert_eq!(record_after_drought(&v, 3)[0].broke, Some((2.0, Some(1))));
        // Ties are not records.
        assert!(record_after_drought(&[1.0, 1.0, 1.0], 1).is_empty());
    }

    #[test]
    fn level_cross_counts_consecutive_closes_below() {
        let v = [1.0, 1.0, 3.0, 1.0, 3.0, 1.0, 1.0, 1.0, 2.5];
        assert_eq!(rows(&level_cross(&v, 2.0, 2)), vec![2, 8]);
        assert_eq!(level_cross(&v, 2.0, 2)[1].broke, Some((2.0, Some(4))));
        // A series that starts above the level has no cross at row 0.
        assert!(level_cross(&[3.0, 3.5], 2.0, 0).is_empty());
    }

    #[test]
    fn rolling_high_declusters_forward() {
        let v = [1.0, 2.0, 3.0, 4.0, 3.0, 5.0, 6.0];
        // lookback 2: hits at 2,3,5,6; min_gap 2 keeps 2, 5 (3 is 1 after 2; 6 is 1 after 5).
        assert_eq!(rows(&rolling_high(&v, 2, 1)), vec![2, 3, 5, 6]);
        assert_eq!(rows(&rolling_high(&v, 2, 2)), vec![2, 5]);
        assert_eq!(rolling_high(&v, 2, 2)[1].broke, Some((4.0, Some(3))));
    }

    #[test]
    fn rolling_high_matches_brute_force() {
        let v: Vec<f64> = (0..300)
            .map(|i| ((i * 37 % 101) as f64).sin() + i as f64 * 0.01)
            .collect();
        for lookback in [1, 5, 20] {
            let brute: Vec<usize> = (lookback..v.len())
                .filter(|&t| v[t] > v[t - lookback..t].iter().cloned().fold(f64::MIN, f64::max))
                .collect();
            assert_eq!(rows(&rolling_high(&v, lookback, 1)), brute, "lookback {lookback}");
        }
    }
}

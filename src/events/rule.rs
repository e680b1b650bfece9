//! [`BreakoutRule`]: what counts as an event, stated as data.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The default drought for all-time-high rules and the default time below a level: 250 rows,
/// about one year of trading days.
///
/// ```
/// use eventstudy::{BreakoutRule, DEFAULT_DROUGHT};
/// assert_eq!(BreakoutRule::default(), BreakoutRule::ath_close(DEFAULT_DROUGHT));
/// ```
pub const DEFAULT_DROUGHT: usize = 250;

/// A rule that turns a price series into event dates.
///
/// Every rule decides whether day `t` is an event from data up to and including `t` only (no
/// look-ahead). Day counts are rows of the series: trading days on a trading calendar,
/// calendar days on a continuous one.
///
/// ```
/// use eventstudy::BreakoutRule;
/// let rule = BreakoutRule::default();
/// assert_eq!(rule.to_string(), "ATH close after 250-day drought");
/// let json = serde_json::to_string(&rule).unwrap();
/// assert_eq!(serde_json::from_str::<BreakoutRule>(&json).unwrap(), rule);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BreakoutRule {
    /// Day `t` is an event when `close[t]` is above every earlier close in the series and the
    /// previous record close was at least `min_days` rows before `t`.
    AthCloseAfterDrought {
        /// Minimum rows since the previous record close.
        min_days: usize,
    },
    /// As [`BreakoutRule::AthCloseAfterDrought`] on the intraday high. On rows where the high is
    /// unknown the close stands in, and on every row the value used is `max(high, close)` (a
    /// close can sit a cent above a rounded high). A series with no highs at all is an error.
    AthHighAfterDrought {
        /// Minimum rows since the previous record high.
        min_days: usize,
    },
    /// The first close above `level` after at least `min_days_below` consecutive closes at or
    /// below it.
    LevelCross {
        /// The price level.
        level: f64,
        /// Minimum consecutive closes at or below the level just before the cross.
        min_days_below: usize,
    },
    /// Close above the maximum of the previous `lookback` closes, declustered so kept events are
    /// at least `min_gap` rows apart (greedy, oldest first: a later event is dropped, never an
    /// earlier one, so the decision at `t` still uses only the past).
    RollingHigh {
        /// Rows in the look-back window.
        lookback: usize,
        /// Minimum rows between kept events.
        min_gap: usize,
    },
    /// The ratio of this series to `other` (e.g. RUT/SPX: small caps outperforming), on the dates
    /// both have, makes a new high by `basis`.
    RelativeHigh {
        /// Symbol of the denominator series (a bundled symbol, or the series passed to
        /// [`BreakoutRule::detect_with`]).
        other: String,
        /// Which high the ratio must make.
        basis: RelativeBasis,
    },
    /// User-given dates. A date that is not an observation day maps to the next observation.
    Dates(Vec<NaiveDate>),
}

/// The kind of high a ratio must make in [`BreakoutRule::RelativeHigh`].
///
/// ```
/// use eventstudy::{BreakoutRule, RelativeBasis};
/// let basis = RelativeBasis::RollingHigh { lookback: 60, min_gap: 20 };
/// let rule = BreakoutRule::RelativeHigh { other: "gspc".into(), basis };
/// assert_eq!(rule.to_string(), "ratio to gspc: above prior 60-day high, events 20+ days apart");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RelativeBasis {
    /// Record ratio after a drought, as [`BreakoutRule::AthCloseAfterDrought`].
    AthAfterDrought {
        /// Minimum rows since the previous record.
        min_days: usize,
    },
    /// Ratio above its rolling maximum, as [`BreakoutRule::RollingHigh`].
    RollingHigh {
        /// Rows in the look-back window.
        lookback: usize,
        /// Minimum rows between kept events.
        min_gap: usize,
    },
}

impl Default for BreakoutRule {
    /// ATH close after a 250-day drought.
    fn default() -> Self {
        BreakoutRule::AthCloseAfterDrought {
            min_days: DEFAULT_DROUGHT,
        }
    }
}

impl BreakoutRule {
    /// ATH close after `min_days` rows without a record.
    ///
    /// ```
    /// use eventstudy::{BreakoutRule, datasets};
    /// let events = BreakoutRule::ath_close(250).detect(&datasets::load("rut")?)?;
    /// let dates: Vec<String> = events.iter().map(|e| e.date.to_string()).collect();
    /// assert_eq!(dates.len(), 10); // on the Russell 2000 since 1987
    /// assert_eq!(dates[4], "2004-04-05"); // after the longest drought, 1,022 sessions
    /// assert_eq!(dates[7..], ["2016-11-14", "2020-11-13", "2025-09-18"]);
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn ath_close(min_days: usize) -> Self {
        BreakoutRule::AthCloseAfterDrought { min_days }
    }

    /// ATH intraday high after `min_days` rows without a record.
    ///
    /// ```
    /// use eventstudy::{BreakoutRule, datasets};
    /// let events = BreakoutRule::ath_high(250).detect(&datasets::load("rut")?)?;
    /// let dates: Vec<String> = events.iter().map(|e| e.date.to_string()).collect();
    /// assert_eq!(dates[7..], ["2016-11-14", "2020-11-09", "2024-11-25"]); // highs lead closes
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn ath_high(min_days: usize) -> Self {
        BreakoutRule::AthHighAfterDrought { min_days }
    }

    /// First close above `level` after [`DEFAULT_DROUGHT`] closes at or below it.
    ///
    /// ```
    /// use eventstudy::{BreakoutRule, datasets};
    /// let events = BreakoutRule::level_cross(2600.0).detect(&datasets::load("rut")?)?;
    /// assert_eq!(events.len(), 1);
    /// assert_eq!(events[0].date.to_string(), "2026-01-08");
    /// assert_eq!(events[0].previous_record, Some(2600.0));
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn level_cross(level: f64) -> Self {
        BreakoutRule::LevelCross {
            level,
            min_days_below: DEFAULT_DROUGHT,
        }
    }

    /// Ratio to `other` at a record after [`DEFAULT_DROUGHT`] rows without one.
    ///
    /// ```
    /// use eventstudy::{BreakoutRule, datasets};
    /// let rule = BreakoutRule::relative_ath("gspc"); // the denominator is loaded from the bundle
    /// assert_eq!(rule.to_string(), "ratio to gspc: record after 250-day drought");
    /// let events = rule.detect(&datasets::load("rut")?)?;
    /// assert_eq!(events[0].date.to_string(), "2013-07-15");
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn relative_ath(other: impl Into<String>) -> Self {
        BreakoutRule::RelativeHigh {
            other: other.into(),
            basis: RelativeBasis::AthAfterDrought {
                min_days: DEFAULT_DROUGHT,
            },
        }
    }

    /// Checks the parameters (a level must be finite and positive, a look-back at least 1).
    ///
    /// ```
    /// use eventstudy::{BreakoutRule, Error};
    /// assert!(BreakoutRule::ath_close(250).validate().is_ok());
    /// let err = BreakoutRule::level_cross(f64::NAN).validate().unwrap_err();
    /// assert!(matches!(err, Error::InvalidParameter { name: "level", .. }));
    /// assert!(BreakoutRule::Dates(vec![]).validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<()> {
        match self {
            BreakoutRule::LevelCross { level, .. } if !(level.is_finite() && *level > 0.0) => {
                Err(Error::param("level", level, "must be finite and > 0"))
            }
            BreakoutRule::RollingHigh { lookback: 0, .. }
            | BreakoutRule::RelativeHigh {
                basis: RelativeBasis::RollingHigh { lookback: 0, .. },
                ..
            } => Err(Error::param("lookback", 0, "must be at least 1")),
            BreakoutRule::Dates(d) if d.is_empty() => {
                Err(Error::param("dates", "[]", "give at least one date"))
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Display for BreakoutRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BreakoutRule::AthCloseAfterDrought { min_days } => {
                write!(f, "ATH close after {min_days}-day drought")
            }
            BreakoutRule::AthHighAfterDrought { min_days } => {
                write!(f, "ATH intraday high after {min_days}-day drought")
            }
            BreakoutRule::LevelCross {
                level,
                min_days_below,
            } => {
                write!(
                    f,
                    "first close above {level} after {min_days_below} days at or below"
                )
            }
            BreakoutRule::RollingHigh { lookback, min_gap } => {
                write!(
                    f,
                    "close above prior {lookback}-day high, events {min_gap}+ days apart"
                )
            }
            BreakoutRule::RelativeHigh { other, basis } => write!(f, "ratio to {other}: {basis}"),
            BreakoutRule::Dates(dates) => match dates.as_slice() {
                [one] => write!(f, "given date {one}"),
                many => write!(f, "{} given dates", many.len()),
            },
        }
    }
}

impl fmt::Display for RelativeBasis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RelativeBasis::AthAfterDrought { min_days } => write!(f, "record after {min_days}-day drought"),
            RelativeBasis::RollingHigh { lookback, min_gap } => {
                write!(f, "above prior {lookback}-day high, events {min_gap}+ days apart")
            }
        }
    }
}

//! [`Horizon`] and [`WindowOptions`]: how far forward, and how much context before.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How far after entry a window ends.
///
/// The exit is the first available close on or after `entry date + n calendar days`
/// ([`Horizon::CalendarDays`]), or `n` rows after entry ([`Horizon::TradingDays`]: trading days
/// on a trading-calendar target, calendar days on a continuous one).
///
/// ```
/// use eventstudy::Horizon;
/// assert_eq!("30d".parse::<Horizon>()?, Horizon::CalendarDays(30));
/// assert_eq!("21td".parse::<Horizon>()?, Horizon::TradingDays(21));
/// assert_eq!(Horizon::CalendarDays(90).to_string(), "90d");
/// # Ok::<(), eventstudy::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Horizon {
    /// `n` calendar days after entry.
    CalendarDays(u32),
    /// `n` rows of the target series after entry.
    TradingDays(u32),
}

impl Horizon {
    /// The default horizons: 30, 60 and 90 calendar days (one to three months).
    ///
    /// ```
    /// use eventstudy::{Horizon, WindowOptions};
    /// assert_eq!(Horizon::DEFAULTS.map(Horizon::days), [30, 60, 90]);
    /// assert_eq!(WindowOptions::new().horizon_list(), Horizon::DEFAULTS);
    /// ```
    pub const DEFAULTS: [Horizon; 3] = [
        Horizon::CalendarDays(30),
        Horizon::CalendarDays(60),
        Horizon::CalendarDays(90),
    ];

    /// The `n` of the horizon.
    ///
    /// ```
    /// assert_eq!(eventstudy::Horizon::TradingDays(21).days(), 21);
    /// ```
    pub fn days(self) -> u32 {
        match self {
            Horizon::CalendarDays(n) | Horizon::TradingDays(n) => n,
        }
    }

    /// The horizon's length in calendar days, approximating a trading day as 7/5 of a calendar
    /// day (used to space placebo dates and leave out starts near events).
    ///
    /// ```
    /// use eventstudy::Horizon;
    /// assert_eq!(Horizon::CalendarDays(30).calendar_days(), 30);
    /// assert_eq!(Horizon::TradingDays(21).calendar_days(), 30); // a trading month
    /// ```
    pub fn calendar_days(self) -> i64 {
        match self {
            Horizon::CalendarDays(n) => i64::from(n),
            Horizon::TradingDays(n) => (i64::from(n) * 7 + 4) / 5,
        }
    }

    /// Checks that the horizon is at least one day.
    ///
    /// ```
    /// use eventstudy::Horizon;
    /// assert_eq!(Horizon::TradingDays(5).validate()?, Horizon::TradingDays(5));
    /// assert!(Horizon::CalendarDays(0).validate().is_err());
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn validate(self) -> Result<Self> {
        if self.days() == 0 {
            Err(Error::param("horizon", self, "must be at least 1 day"))
        } else {
            Ok(self)
        }
    }
}

impl fmt::Display for Horizon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Horizon::CalendarDays(n) => write!(f, "{n}d"),
            Horizon::TradingDays(n) => write!(f, "{n}td"),
        }
    }
}

impl FromStr for Horizon {
    type Err = Error;

    /// `30`, `30d` (calendar days) or `21td` (trading days / rows).
    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim().to_ascii_lowercase();
        let (num, make): (&str, fn(u32) -> Horizon) = if let Some(n) = t.strip_suffix("td") {
            (n, Horizon::TradingDays)
        } else {
            (t.strip_suffix('d').unwrap_or(&t), Horizon::CalendarDays)
        };
        let n: u32 = num.parse().map_err(|_| {
            Error::param(
                "horizon",
                s,
                "expected a number of days such as 30, 30d (calendar) or 21td (trading)",
            )
        })?;
        make(n).validate()
    }
}

/// Options of the window engine, with chained setters; validated once by
/// [`WindowOptions::validate`] before any work runs.
///
/// ```
/// use eventstudy::{Horizon, WindowOptions};
/// let opts = WindowOptions::new().horizons([Horizon::CalendarDays(30)]).pre_days(10);
/// assert_eq!(opts.horizon_list(), &[Horizon::CalendarDays(30)]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowOptions {
    horizons: Vec<Horizon>,
    pre_days: u32,
    max_entry_gap_days: u32,
    basket_min_history_days: u32,
}

impl Default for WindowOptions {
    fn default() -> Self {
        WindowOptions {
            horizons: Horizon::DEFAULTS.to_vec(),
            pre_days: 30,
            max_entry_gap_days: 7,
            basket_min_history_days: 90,
        }
    }
}

impl WindowOptions {
    /// Defaults: horizons 30/60/90 calendar days, 30 days of path before entry, entry at most 7
    /// days after the event, basket members need 90 days of history before the event.
    ///
    /// ```
    /// let opts = eventstudy::WindowOptions::new();
    /// assert_eq!((opts.pre(), opts.max_entry_gap(), opts.basket_min_history()), (30, 7, 90));
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The horizons to compute.
    ///
    /// ```
    /// use eventstudy::{Horizon, WindowOptions};
    /// let opts = WindowOptions::new().horizons([Horizon::TradingDays(21)]);
    /// assert_eq!(opts.horizon_list(), [Horizon::TradingDays(21)]);
    /// ```
    pub fn horizons(mut self, horizons: impl IntoIterator<Item = Horizon>) -> Self {
        self.horizons = horizons.into_iter().collect();
        self
    }

    /// Calendar days of path to keep before entry (context for charts).
    ///
    /// ```
    /// assert_eq!(eventstudy::WindowOptions::new().pre_days(10).pre(), 10);
    /// ```
    pub fn pre_days(mut self, days: u32) -> Self {
        self.pre_days = days;
        self
    }

    /// The longest wait, in calendar days, from the event to the first available close before
    /// the window is reported as having no entry (a data gap, not a delay to paper over).
    ///
    /// ```
    /// use eventstudy::{Calendar, Horizon::CalendarDays, PriceSeries, WindowOptions, event_window};
    /// let day = |d| chrono::NaiveDate::from_ymd_opt(2024, 1, d).unwrap();
    /// let dates = vec![day(1), day(20), day(25)]; // no close from day 2 to day 19
    /// let x = PriceSeries::from_closes("x", Calendar::Continuous, dates, vec![1.0, 2.0, 3.0])?.into();
    /// let w = event_window(&x, day(5), CalendarDays(5), &WindowOptions::new());
    /// assert_eq!(w.status, eventstudy::WindowStatus::NoEntry { next_close: Some(day(20)) }); // 15 days late
    /// let w = event_window(&x, day(5), CalendarDays(5), &WindowOptions::new().max_entry_gap_days(15));
    /// assert_eq!((w.entry_date, w.exit_date), (Some(day(20)), Some(day(25))));
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn max_entry_gap_days(mut self, days: u32) -> Self {
        self.max_entry_gap_days = days;
        self
    }

    /// Calendar days of history a coin needs before an event to join the altcoin basket.
    ///
    /// ```
    /// assert_eq!(eventstudy::WindowOptions::new().basket_min_history_days(365).basket_min_history(), 365);
    /// ```
    pub fn basket_min_history_days(mut self, days: u32) -> Self {
        self.basket_min_history_days = days;
        self
    }

    /// The horizons.
    ///
    /// ```
    /// assert_eq!(eventstudy::WindowOptions::new().horizon_list().len(), 3);
    /// ```
    pub fn horizon_list(&self) -> &[Horizon] {
        &self.horizons
    }

    /// Calendar days of path before entry.
    ///
    /// ```
    /// assert_eq!(eventstudy::WindowOptions::new().pre(), 30);
    /// ```
    pub fn pre(&self) -> u32 {
        self.pre_days
    }

    /// Longest accepted wait from event to entry, in calendar days.
    ///
    /// ```
    /// assert_eq!(eventstudy::WindowOptions::new().max_entry_gap(), 7);
    /// ```
    pub fn max_entry_gap(&self) -> u32 {
        self.max_entry_gap_days
    }

    /// History a basket member needs before an event, in calendar days.
    ///
    /// ```
    /// assert_eq!(eventstudy::WindowOptions::new().basket_min_history(), 90);
    /// ```
    pub fn basket_min_history(&self) -> u32 {
        self.basket_min_history_days
    }

    /// Checks every parameter: at least one horizon, each at least one day, no duplicates.
    ///
    /// ```
    /// use eventstudy::{Horizon, WindowOptions};
    /// assert!(WindowOptions::new().validate().is_ok());
    /// assert!(WindowOptions::new().horizons([]).validate().is_err());
    /// let twice = WindowOptions::new().horizons([Horizon::CalendarDays(30); 2]);
    /// assert!(twice.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<&Self> {
        if self.horizons.is_empty() {
            return Err(Error::param("horizons", "[]", "give at least one horizon"));
        }
        for (i, h) in self.horizons.iter().enumerate() {
            h.validate()?;
            if self.horizons[..i].contains(h) {
                return Err(Error::param("horizons", h, "listed twice"));
            }
        }
        Ok(self)
    }
}

impl From<Horizon> for WindowOptions {
    fn from(h: Horizon) -> Self {
        WindowOptions::new().horizons([h])
    }
}

impl From<Vec<Horizon>> for WindowOptions {
    fn from(h: Vec<Horizon>) -> Self {
        WindowOptions::new().horizons(h)
    }
}

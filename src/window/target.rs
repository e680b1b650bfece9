//! What a window measures: one asset, a ratio, or an equal-weight altcoin basket.

use chrono::NaiveDate;
use serde::Serialize;

use std::sync::Arc;

use crate::data::datasets::{self, DatasetKind, Universe, is_stablecoin};
use crate::data::{Calendar, PriceSeries};
use crate::error::{Error, Result};

/// An equal-weight basket of coins, rebuilt per event.
///
/// For each event (or baseline start date), the basket holds the members with at least
/// [`crate::WindowOptions::basket_min_history_days`] days of history before that date and a
/// close within the window, equally weighted at entry and held to the exit (buy and hold), so
/// its return is the mean of its members' simple returns. The coins held are reported with
/// every window.
///
/// A member whose data ends before the exit is left out of that window and named in the
/// window's notes (in the bundled data that is a dataset's end date, not a coin's death, so this
/// selects on coverage, not on performance).
///
/// ```
/// use eventstudy::{AltBasket, Horizon, WindowOptions, event_window};
/// let basket = AltBasket::bundled()?.into();
/// let date = "2020-11-13".parse().unwrap();
/// let w = event_window(&basket, date, Horizon::CalendarDays(30), &WindowOptions::new());
/// assert!(w.holdings.iter().any(|m| m == "sol")); // listed 2020-04-10
/// assert!(!w.holdings.iter().any(|m| m == "avax")); // listed 2020-09-22: under 90 days of history
/// # Ok::<(), eventstudy::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AltBasket {
    name: String,
    members: Vec<PriceSeries>,
    measure: BasketMeasure,
    /// When set, a member joins only while it is among the top coins of a ranking.
    #[serde(skip)]
    point_in_time: Option<PointInTime>,
    /// Who may be held on each day, worked out once for the baselines of every horizon.
    #[serde(skip)]
    held: HeldCache,
}

/// [`AltBasket::held`]'s memo: shared by clones, ignored by `==` (it only caches).
#[derive(Clone, Default)]
struct HeldCache(Arc<std::sync::OnceLock<Held>>);

impl std::fmt::Debug for HeldCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HeldCache")
    }
}

impl PartialEq for HeldCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Per member and calendar day from `first`, whether the member may be held from that day,
/// with each member's dates as day numbers (for the baseline's window walks).
#[derive(Debug, Clone)]
pub(crate) struct Held {
    min_history_days: u32,
    first: NaiveDate,
    first_day: i32,
    mask: Vec<Vec<bool>>,
    days: Vec<Vec<i32>>,
}

impl Held {
    /// The first day of the mask.
    pub(crate) fn first(&self) -> NaiveDate {
        self.first
    }

    /// Days covered, from the first member's first date to the last member's last.
    pub(crate) fn len(&self) -> usize {
        self.mask.first().map_or(0, Vec::len)
    }

    /// The slot of a day number of some member's dates.
    pub(crate) fn slot(&self, day: i32) -> usize {
        (day - self.first_day) as usize
    }

    /// Member `k`'s flags, one per slot.
    pub(crate) fn row(&self, k: usize) -> &[bool] {
        &self.mask[k]
    }

    /// Member `k`'s dates as day numbers (`num_days_from_ce`).
    pub(crate) fn days(&self, k: usize) -> &[i32] {
        &self.days[k]
    }
}

/// Point-in-time membership: the altcoins among the `top` coins of the latest ranking on or
/// before a date (BTC, ETH and stablecoins left out), from the first ranking in the list that
/// has a snapshot at most `max_age_days` old. Shared (`Arc`), so cloning a study is cheap.
#[derive(Debug, Clone, PartialEq)]
pub struct PointInTime {
    rankings: Arc<Vec<(Universe, u32)>>,
    top: u32,
}

impl PointInTime {
    /// The rankings in order of preference with the largest snapshot age each may serve,
    /// and how many of the top ranks count.
    pub fn new(rankings: Vec<(Universe, u32)>, top: u32) -> Self {
        PointInTime {
            rankings: Arc::new(rankings),
            top,
        }
    }

    /// The snapshot in force on `date` and its altcoins among the top ranks, by rank.
    ///
    /// ```
    /// use eventstudy::{PointInTime, datasets};
    /// let pit = PointInTime::new(vec![(datasets::universe("cmc_top10_weekly")?, 7)], 10);
    /// let (as_of, coins) = pit.members_at("2016-11-14".parse().unwrap()).unwrap();
    /// assert_eq!(as_of.to_string(), "2016-11-13");
    /// assert_eq!(coins, ["XRP", "LTC", "XMR", "ETC", "DASH", "REP", "XEM", "WAVES"]);
    /// assert!(pit.members_at("2024-01-01".parse().unwrap()).is_none()); // the weekly list ends 2023-07
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn members_at(&self, date: NaiveDate) -> Option<(NaiveDate, Vec<&str>)> {
        self.coins_at(date).map(|(as_of, coins)| (as_of, coins.collect()))
    }

    /// The snapshot in force on `date` and an iterator over its altcoins: the one place the
    /// membership rule is written, shared by [`PointInTime::members_at`] and the per-date check
    /// of the baseline loop (which must not allocate per date).
    fn coins_at(&self, date: NaiveDate) -> Option<(NaiveDate, impl Iterator<Item = &str>)> {
        self.in_force(date).map(|(_, as_of, rows)| {
            let coins = rows
                .iter()
                .filter(|r| r.rank <= self.top)
                .map(|r| r.symbol.as_str())
                .filter(|s| !matches!(*s, "BTC" | "ETH") && !is_stablecoin(s));
            (as_of, coins)
        })
    }

    /// The snapshot in force on `date`: which ranking, its date and its rows.
    fn in_force(&self, date: NaiveDate) -> Option<(usize, NaiveDate, &[crate::data::datasets::Ranked])> {
        self.rankings.iter().enumerate().find_map(|(k, (u, max_age))| {
            let (as_of, rows) = u.snapshot_at(date)?;
            ((date - as_of).num_days() <= i64::from(*max_age)).then_some((k, as_of, rows))
        })
    }

    fn admits(&self, member: &PriceSeries, date: NaiveDate) -> bool {
        self.coins_at(date)
            .is_some_and(|(_, mut coins)| coins.any(|c| c.eq_ignore_ascii_case(member.symbol())))
    }
}

/// What a basket window measures over the members it holds.
///
/// ```text
/// Mean:               (1/k) Σ r_i                      equal weight, buy and hold
/// Median:             median(r_1..r_k)                 type 7; one coin cannot decide it
/// ShareBeating(b):    #{ r_i > r_b } / k               r_b: the benchmark's return, same window
/// ```
///
/// The baseline applies the same measure on every start date, so an "altcoin season" share is
/// compared with the share on ordinary days. The usual threshold of an altcoin season is
/// [`ALT_SEASON_THRESHOLD`] (three quarters of the coins beating BTC).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
#[allow(
    clippy::large_enum_variant,
    reason = "built once per study; boxing the series would only complicate the variant's users"
)]
pub enum BasketMeasure {
    /// The equal-weight mean return.
    Mean,
    /// The median member return.
    Median,
    /// The share of members whose return beats the benchmark's (e.g. BTC) over the window.
    ShareBeating {
        /// The benchmark series.
        #[serde(serialize_with = "symbol_only")]
        benchmark: PriceSeries,
    },
}

fn symbol_only<S: serde::Serializer>(s: &PriceSeries, ser: S) -> std::result::Result<S::Ok, S::Error> {
    ser.serialize_str(s.symbol())
}

/// The share of altcoins beating BTC that is usually called an "altcoin season".
pub const ALT_SEASON_THRESHOLD: f64 = 0.75;

impl AltBasket {
    /// A basket of the given members (each on a continuous calendar: baskets are crypto).
    ///
    /// ```
    /// use eventstudy::{AltBasket, datasets};
    /// let pair = AltBasket::new("pair", vec![datasets::load("sol")?, datasets::load("avax")?])?;
    /// assert_eq!(pair.members().len(), 2);
    /// assert!(AltBasket::new("rut", vec![datasets::load("rut")?]).is_err()); // a trading calendar
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn new(name: impl Into<String>, members: Vec<PriceSeries>) -> Result<Self> {
        let name = name.into();
        if members.is_empty() {
            return Err(Error::param(
                "members",
                "[]",
                "a basket needs at least one member",
            ));
        }
        if let Some(m) = members.iter().find(|m| m.calendar() != Calendar::Continuous) {
            return Err(Error::param(
                "members",
                m.symbol(),
                format!(
                    "basket members must be on a continuous (7-day) calendar, {} is {}",
                    m.symbol(),
                    m.calendar()
                ),
            ));
        }
        Ok(AltBasket {
            name,
            members,
            measure: BasketMeasure::Mean,
            point_in_time: None,
            held: HeldCache::default(),
        })
    }

    /// The same basket holding, at each date, only the members among the top coins of a
    /// ranking then ([`PointInTime`]): "the altcoins that were large at the event", not today's
    /// survivors. Each window names the top coins that have no price series.
    pub fn point_in_time(mut self, name: impl Into<String>, membership: PointInTime) -> Self {
        self.name = name.into();
        self.point_in_time = Some(membership);
        self.held = HeldCache::default();
        self
    }

    /// The point-in-time membership, if any.
    pub fn membership(&self) -> Option<&PointInTime> {
        self.point_in_time.as_ref()
    }

    /// Whether `member` may be held from `date`: listed at least `min_history_days` before it
    /// and, with a point-in-time membership, among the top coins then.
    pub(crate) fn admits(&self, member: &PriceSeries, date: NaiveDate, min_history_days: u32) -> bool {
        let cutoff = date - chrono::Duration::days(i64::from(min_history_days));
        member.first_date() <= cutoff && self.point_in_time.as_ref().is_none_or(|p| p.admits(member, date))
    }

    /// Who may be held on each day of the members' dates, with `min_history_days` of history:
    /// worked out once per basket (for the first history asked; another is worked out anew).
    pub(crate) fn held(&self, min_history_days: u32) -> std::borrow::Cow<'_, Held> {
        let build = || {
            let first = self
                .members
                .iter()
                .map(PriceSeries::first_date)
                .min()
                .unwrap_or_default();
            let last = self
                .members
                .iter()
                .map(PriceSeries::last_date)
                .max()
                .unwrap_or(first);
            let len = (last - first).num_days() as usize + 1;
            Held {
                min_history_days,
                first,
                first_day: chrono::Datelike::num_days_from_ce(&first),
                mask: self.held_mask(first, len, min_history_days),
                days: self
                    .members
                    .iter()
                    .map(|m| m.dates().iter().map(chrono::Datelike::num_days_from_ce).collect())
                    .collect(),
            }
        };
        let cached = self.held.0.get_or_init(build);
        if cached.min_history_days == min_history_days {
            std::borrow::Cow::Borrowed(cached)
        } else {
            std::borrow::Cow::Owned(build())
        }
    }

    /// Per member, on each of the `len` consecutive days from `first`, whether it may be held
    /// from that day ([`AltBasket::admits`] for every member and day). The snapshot in force
    /// changes weekly or monthly, so each one's member set is worked out once, not per day.
    pub(crate) fn held_mask(&self, first: NaiveDate, len: usize, min_history_days: u32) -> Vec<Vec<bool>> {
        let mut mask = vec![vec![false; len]; self.members.len()];
        // The first day index each member has enough history for.
        let from: Vec<usize> = self
            .members
            .iter()
            .map(|m| {
                let ok = m.first_date() + chrono::Duration::days(i64::from(min_history_days));
                usize::try_from((ok - first).num_days()).unwrap_or(0)
            })
            .collect();
        let Some(pit) = &self.point_in_time else {
            for (row, &f) in mask.iter_mut().zip(&from) {
                row.iter_mut().skip(f).for_each(|m| *m = true);
            }
            return mask;
        };
        let mut current: Option<(usize, NaiveDate)> = None;
        let mut in_set = vec![false; self.members.len()];
        let mut date = first;
        for day in 0..len {
            let force = pit.in_force(date);
            let key = force.map(|(k, as_of, _)| (k, as_of));
            if key != current {
                current = key;
                in_set.fill(false);
                if let Some((_, mut coins)) = pit.coins_at(date) {
                    // `coins` is consumed per member: collect the day's symbols once.
                    let symbols: Vec<&str> = coins.by_ref().collect();
                    for (flag, m) in in_set.iter_mut().zip(&self.members) {
                        *flag = symbols.iter().any(|c| c.eq_ignore_ascii_case(m.symbol()));
                    }
                }
            }
            for (k, row) in mask.iter_mut().enumerate() {
                row[day] = in_set[k] && day >= from[k];
            }
            date = date.succ_opt().unwrap_or(date);
        }
        mask
    }

    /// The same members under another measure (and name), e.g. the median coin or the share
    /// beating BTC.
    ///
    /// ```
    /// use eventstudy::{AltBasket, BasketMeasure, datasets};
    /// let season = AltBasket::bundled()?.with_measure(
    ///     "alt_season",
    ///     BasketMeasure::ShareBeating { benchmark: datasets::load("btc")? },
    /// );
    /// assert_eq!(season.name(), "alt_season");
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn with_measure(mut self, name: impl Into<String>, measure: BasketMeasure) -> Self {
        self.name = name.into();
        self.measure = measure;
        self
    }

    /// What the basket measures.
    pub fn measure(&self) -> &BasketMeasure {
        &self.measure
    }

    /// The bundled altcoins: every bundled series of kind
    /// [`DatasetKind::Altcoin`](crate::datasets::DatasetKind::Altcoin) (every coin but BTC,
    /// its Mt.Gox-era variant and ETH, faded coins included), named `alt_basket`.
    ///
    /// ```
    /// let basket = eventstudy::AltBasket::bundled()?;
    /// assert!(basket.members().iter().any(|m| m.symbol() == "sol"));
    /// assert!(!basket.members().iter().any(|m| m.symbol() == "btc"));
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn bundled() -> Result<Self> {
        let members = datasets::all()
            .iter()
            .filter(|d| d.kind == DatasetKind::Altcoin)
            .map(|d| d.load())
            .collect::<Result<Vec<_>>>()?;
        AltBasket::new("alt_basket", members)
    }

    /// The basket's name.
    ///
    /// ```
    /// assert_eq!(eventstudy::AltBasket::bundled()?.name(), "alt_basket");
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// All candidate members.
    ///
    /// ```
    /// use eventstudy::{AltBasket, Calendar};
    /// let basket = AltBasket::bundled()?;
    /// assert!(basket.members().iter().all(|m| m.calendar() == Calendar::Continuous));
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn members(&self) -> &[PriceSeries] {
        &self.members
    }

    /// Members that may be held from `date` ([`AltBasket::admits`]).
    pub(crate) fn eligible(
        &self,
        date: NaiveDate,
        min_history_days: u32,
    ) -> impl Iterator<Item = &PriceSeries> {
        self.members
            .iter()
            .filter(move |m| self.admits(m, date, min_history_days))
    }
}

/// What an event window measures.
///
/// ```
/// use eventstudy::{Target, datasets};
/// let btc: Target = datasets::load("btc")?.into();
/// assert_eq!(btc.name(), "btc");
/// let eth_btc = Target::ratio(&datasets::load("eth")?, &datasets::load("btc")?, "eth_btc")?;
/// assert_eq!(eth_btc.name(), "eth_btc");
/// # Ok::<(), eventstudy::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub enum Target {
    /// One price series (an asset, or a ratio such as ETH/BTC).
    Asset(PriceSeries),
    /// An equal-weight basket rebuilt per event.
    Basket(AltBasket),
}

impl Target {
    /// The name used in reports: the series symbol or the basket name.
    ///
    /// ```
    /// use eventstudy::{AltBasket, Target};
    /// assert_eq!(Target::from(AltBasket::bundled()?).name(), "alt_basket");
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn name(&self) -> &str {
        match self {
            Target::Asset(s) => s.symbol(),
            Target::Basket(b) => b.name(),
        }
    }

    /// The ratio `numerator / denominator` on their common dates, as a target named `name`.
    ///
    /// ```
    /// use eventstudy::{Target, datasets};
    /// let eth_btc = Target::ratio(&datasets::load("eth")?, &datasets::load("btc")?, "eth_btc")?;
    /// assert_eq!(eth_btc.name(), "eth_btc");
    /// assert_eq!(eth_btc.last_date().to_string(), "2026-07-31"); // common dates only: ETH's data ends first
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn ratio(numerator: &PriceSeries, denominator: &PriceSeries, name: &str) -> Result<Target> {
        Ok(Target::Asset(numerator.ratio_to(denominator)?.with_symbol(name)))
    }

    /// The last date with data (the latest member's, for a basket).
    ///
    /// ```
    /// use eventstudy::{AltBasket, Target, datasets};
    /// assert_eq!(Target::from(datasets::load("btc")?).last_date().to_string(), "2026-09-19");
    /// let basket = Target::from(AltBasket::bundled()?);
    /// assert_eq!(basket.last_date().to_string(), "2026-06-23"); // xrp, sol and bnb end last
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn last_date(&self) -> NaiveDate {
        match self {
            Target::Asset(s) => s.last_date(),
            Target::Basket(b) => b
                .members
                .iter()
                .map(PriceSeries::last_date)
                .max()
                .unwrap_or(NaiveDate::MIN),
        }
    }
}

impl From<PriceSeries> for Target {
    fn from(s: PriceSeries) -> Self {
        Target::Asset(s)
    }
}

impl From<AltBasket> for Target {
    fn from(b: AltBasket) -> Self {
        Target::Basket(b)
    }
}

//! Placebo designs as data: which start dates a placebo draw may use for each event.
//!
//! "Are these event dates better than random days?" is the wrong question when the events
//! share something that moves the outcome on its own: every Russell 2000 breakout with crypto
//! data fell 128–516 days after a BTC halving, with BTC above its 200-day average. A [`Null`]
//! names the comparison: random days, days at the same halving phase, in the same trend
//! regime, near a record, with the same user label, their intersections, or the whole event set
//! shifted in time.
//!
//! ```
//! use eventstudy::Null;
//! let null = Null::halving_phase(60);
//! assert_eq!(null.key(), "halving_phase_60");
//! assert_eq!(null.to_string(), "start dates within 60 days of the event's halving phase (days since the last BTC halving)");
//! let both = Null::All(vec![Null::halving_phase(60), Null::TrendRegime { sma_days: 200 }]);
//! assert_eq!(both.key(), "halving_phase_60_and_trend_regime_200");
//! let json = serde_json::to_string(&Null::TrendRegime { sma_days: 200 }).unwrap();
//! assert_eq!(json, r#"{"kind":"trend_regime","sma_days":200}"#);
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::data::PriceSeries;
use crate::error::{Error, Result};
use crate::stats::{Candidates, JointSets};

/// The BTC halvings (block-reward halvings, UTC dates): 2012-11-28, 2016-07-09, 2020-05-11 and
/// 2024-04-20. A study can use others ([`crate::Study::halvings`]).
///
/// ```
/// let h = eventstudy::btc_halvings();
/// assert_eq!(h.len(), 4);
/// assert_eq!(h[3].to_string(), "2024-04-20");
/// ```
pub fn btc_halvings() -> Vec<NaiveDate> {
    [(2012, 11, 28), (2016, 7, 9), (2020, 5, 11), (2024, 4, 20)]
        .into_iter()
        .filter_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
        .collect()
}

/// A label per date, for [`Null::Labels`]: a macro regime, a bucketed liquidity series, … A
/// date takes the label of the latest labelled date on or before it (a step function, so no
/// label is seen before it is set); dates before the first label have none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateLabels {
    /// What the labels are (used in the null's key and words).
    pub name: String,
    /// Date → label.
    pub labels: BTreeMap<NaiveDate, String>,
}

impl DateLabels {
    /// Labels named `name`.
    pub fn new(name: impl Into<String>, labels: impl IntoIterator<Item = (NaiveDate, String)>) -> Self {
        DateLabels {
            name: name.into(),
            labels: labels.into_iter().collect(),
        }
    }

    /// The label in force on `date`.
    pub fn at(&self, date: NaiveDate) -> Option<&str> {
        self.labels.range(..=date).next_back().map(|(_, l)| l.as_str())
    }
}

/// A placebo design: for each event, the baseline start dates a placebo draw may use.
///
/// Each draw takes one candidate per event (distinct dates), and the p-value is
/// `(1 + #{draw mean ≥ observed mean}) / (B + 1)`, one-sided in the claim's direction, with the
/// two-sided p beside it ([`crate::stats::matched_placebo`] has the formulas). "At the event"
/// means at the event window's entry date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Null {
    /// Every baseline start date (the classic placebo).
    Random,
    /// Every baseline start date, the drawn dates at least `days` calendar days apart.
    Spaced {
        /// Minimum spacing in calendar days.
        days: u32,
    },
    /// Start dates whose days since the most recent halving (on or before the date) differ from
    /// the event's by at most `tolerance_days`; dates before the first halving are never
    /// candidates. With `other_cycles_only`, only dates in another halving cycle than the
    /// event's.
    HalvingPhase {
        /// Largest allowed difference in days since the last halving.
        tolerance_days: u32,
        /// Only dates in other halving cycles.
        other_cycles_only: bool,
    },
    /// Start dates where the regime series (the target itself; for a basket, the study's
    /// [`crate::Study::regime_series`]) is on the same side of its `sma_days`-row simple
    /// moving average as at the event: `close > mean(last sma_days closes, inclusive)`. Dates
    /// with fewer rows of history are never candidates.
    TrendRegime {
        /// Rows in the moving average.
        sma_days: usize,
    },
    /// Start dates where the event series is (or is not) within `within` of its running
    /// record, as at the event: `close ≥ (1 − within) · max(closes so far)`, taking the event
    /// series' latest close on or before the date.
    NearRecord {
        /// Fraction below the record, e.g. 0.05.
        within: f64,
    },
    /// Start dates with the same label as the event (see [`DateLabels::at`]).
    Labels(DateLabels),
    /// Candidates that every one of the nulls admits (spacings and shifts carry over).
    All(Vec<Null>),
    /// The whole event set moved by one random offset of `o ≠ 0` calendar days, order and
    /// spacing kept: the offsets for which every shifted date is a baseline start date (and a
    /// candidate of any null intersected with it).
    ShiftedSet,
}

impl Null {
    /// [`Null::HalvingPhase`] over every cycle.
    pub fn halving_phase(tolerance_days: u32) -> Self {
        Null::HalvingPhase {
            tolerance_days,
            other_cycles_only: false,
        }
    }

    /// A stable snake_case key: `random`, `spaced_90`, `halving_phase_60`,
    /// `halving_phase_60_other_cycles`, `trend_regime_200`, `near_record_5pct`,
    /// `labels_NAME`, `shifted_set`, and keys joined by `_and_` for [`Null::All`].
    pub fn key(&self) -> String {
        match self {
            Null::Random => "random".into(),
            Null::Spaced { days } => format!("spaced_{days}"),
            Null::HalvingPhase {
                tolerance_days,
                other_cycles_only,
            } => {
                let cycles = if *other_cycles_only { "_other_cycles" } else { "" };
                format!("halving_phase_{tolerance_days}{cycles}")
            }
            Null::TrendRegime { sma_days } => format!("trend_regime_{sma_days}"),
            Null::NearRecord { within } => format!("near_record_{}pct", percent_key(*within)),
            Null::Labels(l) => format!("labels_{}", snake(&l.name)),
            Null::All(nulls) => nulls.iter().map(Null::key).collect::<Vec<_>>().join("_and_"),
            Null::ShiftedSet => "shifted_set".into(),
        }
    }

    /// Checks the parameters: positive spacing and moving-average length, `within` in [0, 1),
    /// a non-empty intersection without nested intersections.
    pub fn validate(&self) -> Result<()> {
        match self {
            Null::Spaced { days: 0 } => Err(Error::param("Null::Spaced.days", 0, "must be at least 1")),
            Null::TrendRegime { sma_days } if *sma_days < 2 => Err(Error::param(
                "Null::TrendRegime.sma_days",
                sma_days,
                "a moving average needs at least 2 rows",
            )),
            Null::NearRecord { within } if !(0.0..1.0).contains(within) => Err(Error::param(
                "Null::NearRecord.within",
                within,
                "must be a fraction in [0, 1)",
            )),
            Null::Labels(l) if l.labels.is_empty() => {
                Err(Error::param("Null::Labels", &l.name, "no labels given"))
            }
            Null::All(nulls) if nulls.is_empty() => {
                Err(Error::param("Null::All", "[]", "give at least one null"))
            }
            Null::All(nulls) => {
                if nulls.iter().any(|n| matches!(n, Null::All(_))) {
                    return Err(Error::param(
                        "Null::All",
                        self.key(),
                        "flatten nested intersections",
                    ));
                }
                nulls.iter().try_for_each(Null::validate)
            }
            _ => Ok(()),
        }
    }

    /// The candidates of every event under this null, and the spacing the draws must keep.
    ///
    /// # Errors
    /// An invalid null ([`Null::validate`]), an event start date that is not a baseline start
    /// date under [`Null::ShiftedSet`], or [`Null::TrendRegime`] without a regime series.
    pub fn candidates(&self, ctx: &NullContext<'_>) -> Result<(Candidates, Option<i64>)> {
        self.candidates_with(ctx, &StartStates::default())
    }

    /// [`Null::candidates`] with the baseline starts' states taken from (or kept in) `states`,
    /// which is for one context's baseline starts, halvings and series: results that share a
    /// baseline (every rule and sample of a target and horizon) work them out once.
    pub(crate) fn candidates_with(
        &self,
        ctx: &NullContext<'_>,
        states: &StartStates,
    ) -> Result<(Candidates, Option<i64>)> {
        self.validate()?;
        let mut design = Design::all(ctx);
        self.restrict(ctx, &mut design, states)?;
        // A shifted set keeps the events' own spacing; a spacing applies to per-event draws.
        let spacing = if design.shift { None } else { design.spacing };
        Ok((design.into_candidates(ctx, states)?, spacing))
    }

    /// Applies this null's filter (and spacing or shift) to `design`.
    fn restrict(&self, ctx: &NullContext<'_>, design: &mut Design, states: &StartStates) -> Result<()> {
        let n_starts = ctx.baseline_starts.len();
        let keep_if =
            |design: &mut Design, event_state: &dyn Fn(usize) -> Option<i64>, start_state: &[Option<i64>]| {
                for (i, mask) in design.masks.iter_mut().enumerate() {
                    let want = event_state(i);
                    for (m, s) in mask.iter_mut().zip(start_state) {
                        *m &= want.is_some() && *s == want;
                    }
                }
            };
        match self {
            Null::Random => {}
            Null::Spaced { days } => {
                design.spacing = Some(design.spacing.unwrap_or(0).max(i64::from(*days)));
            }
            Null::HalvingPhase {
                tolerance_days,
                other_cycles_only,
            } => {
                let phase = |d: NaiveDate| halving_phase(ctx.halvings, d);
                let starts = states
                    .halving
                    .get_or_init(|| halving_phases(ctx.halvings, ctx.baseline_starts));
                let tol = i64::from(*tolerance_days);
                for (mask, &event) in design.masks.iter_mut().zip(ctx.event_starts) {
                    let Some((cycle, at)) = phase(event) else {
                        mask.fill(false);
                        continue;
                    };
                    for (m, s) in mask.iter_mut().zip(starts.iter()) {
                        *m &= s.is_some_and(|(c, p)| {
                            (p - at).abs() <= tol && !(*other_cycles_only && c == cycle)
                        });
                    }
                }
            }
            Null::TrendRegime { sma_days } => {
                let series = ctx.regime_series.ok_or_else(|| {
                    Error::param(
                        "Null::TrendRegime",
                        self.key(),
                        "needs a regime series: the target is a basket and the study has no regime series",
                    )
                })?;
                let (above, starts) = &*states.get(&states.trend, *sma_days as u64, || {
                    let above = sma_state(series, *sma_days);
                    let starts = states_on(series, &above, ctx.baseline_starts);
                    (above, starts)
                });
                let state = |d: NaiveDate| state_on(series, above, d);
                keep_if(design, &|i| state(ctx.event_starts[i]), starts);
            }
            Null::NearRecord { within } => {
                let series = ctx.event_series;
                let (near, starts) = &*states.get(&states.record, within.to_bits(), || {
                    let near = record_state(series, *within);
                    let starts = states_on(series, &near, ctx.baseline_starts);
                    (near, starts)
                });
                let state = |d: NaiveDate| state_on(series, near, d);
                keep_if(design, &|i| state(ctx.event_starts[i]), starts);
            }
            Null::Labels(labels) => {
                // Labels as small integers: equal labels, equal numbers.
                let names: Vec<&String> = labels.labels.values().collect();
                let code = |d: NaiveDate| {
                    labels
                        .at(d)
                        .and_then(|l| names.iter().position(|n| *n == l))
                        .map(|p| p as i64)
                };
                let starts: Vec<Option<i64>> = ctx.baseline_starts.iter().map(|&d| code(d)).collect();
                keep_if(design, &|i| code(ctx.event_starts[i]), &starts);
            }
            Null::All(nulls) => {
                for null in nulls {
                    null.restrict(ctx, design, states)?;
                }
            }
            Null::ShiftedSet => design.shift = true,
        }
        debug_assert!(design.masks.iter().all(|m| m.len() == n_starts));
        Ok(())
    }
}

impl fmt::Display for Null {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Null::Random => f.write_str("random start dates"),
            Null::Spaced { days } => write!(f, "random start dates at least {days} days apart"),
            Null::HalvingPhase {
                tolerance_days,
                other_cycles_only,
            } => {
                write!(
                    f,
                    "start dates within {tolerance_days} days of the event's halving phase (days since the last BTC halving)"
                )?;
                if *other_cycles_only {
                    f.write_str(", in other halving cycles")?;
                }
                Ok(())
            }
            Null::TrendRegime { sma_days } => write!(
                f,
                "start dates with the target on the same side of its {sma_days}-day moving average as at the event"
            ),
            Null::NearRecord { within } => write!(
                f,
                "start dates with the event series within {}% of its running record, as at the event",
                percent_key(*within).replace('_', ".")
            ),
            Null::Labels(l) => write!(f, "start dates with the event's {} label", l.name),
            Null::All(nulls) => {
                let words: Vec<String> = nulls.iter().map(ToString::to_string).collect();
                f.write_str(&words.join(", and "))
            }
            Null::ShiftedSet => {
                f.write_str("the whole event set shifted by one random offset (order and spacing kept)")
            }
        }
    }
}

/// What [`Null::candidates`] needs to know about one result: the baseline's start dates, the
/// events' entry dates, the halvings, and the series whose states the nulls match on.
#[derive(Debug, Clone, Copy)]
pub struct NullContext<'a> {
    /// The baseline start dates, ascending (the placebo draws index into them).
    pub baseline_starts: &'a [NaiveDate],
    /// Each event's entry date.
    pub event_starts: &'a [NaiveDate],
    /// Halving dates, ascending.
    pub halvings: &'a [NaiveDate],
    /// The series [`Null::TrendRegime`] reads (the target, or a stand-in for a basket).
    pub regime_series: Option<&'a PriceSeries>,
    /// The series the events were detected on, for [`Null::NearRecord`].
    pub event_series: &'a PriceSeries,
}

/// Per-row states (of the series) and per-start states (of the baseline starts) of one
/// state-matching design.
type States = (Vec<Option<i64>>, Vec<Option<i64>>);

/// The baseline starts' states under each design, for one [`NullContext`]'s baseline starts,
/// halvings and series (the events may change): worked out on first use, then shared.
#[derive(Default)]
pub(crate) struct StartStates {
    halving: OnceLock<Vec<Option<(usize, i64)>>>,
    /// Baseline index by calendar day from the first start (`u32::MAX`: no start that day).
    by_day: OnceLock<Vec<u32>>,
    /// By moving-average length.
    trend: Mutex<HashMap<u64, Arc<States>>>,
    /// By `within`'s bits.
    record: Mutex<HashMap<u64, Arc<States>>>,
}

impl StartStates {
    fn get(
        &self,
        map: &Mutex<HashMap<u64, Arc<States>>>,
        key: u64,
        build: impl FnOnce() -> States,
    ) -> Arc<States> {
        // A poisoned lock only means a panic elsewhere mid-insert: the map is still whole.
        if let Some(s) = map.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Arc::clone(s);
        }
        let built = Arc::new(build());
        map.lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key)
            .or_insert(built)
            .clone()
    }
}

/// Per-event masks over the baseline starts, plus the structural choices.
struct Design {
    masks: Vec<Vec<bool>>,
    spacing: Option<i64>,
    shift: bool,
}

impl Design {
    fn all(ctx: &NullContext<'_>) -> Self {
        Design {
            masks: vec![vec![true; ctx.baseline_starts.len()]; ctx.event_starts.len()],
            spacing: None,
            shift: false,
        }
    }

    fn into_candidates(self, ctx: &NullContext<'_>, states: &StartStates) -> Result<Candidates> {
        if !self.shift {
            let pools = self
                .masks
                .iter()
                .map(|m| {
                    m.iter()
                        .enumerate()
                        .filter(|(_, k)| **k)
                        .map(|(i, _)| i as u32)
                        .collect()
                })
                .collect();
            return Ok(Candidates::PerEvent(pools));
        }
        // Shift: offsets o ≠ 0 for which every event's date + o is a start admitted by its mask.
        let starts = ctx.baseline_starts;
        let (Some(&first), Some(&last)) = (starts.first(), starts.last()) else {
            return Ok(Candidates::Joint(JointSets::new(ctx.event_starts.len())));
        };
        // Baseline index by calendar day from the first start: a shifted date is one lookup.
        let by_day = states.by_day.get_or_init(|| {
            let span = (last - first).num_days() as usize + 1;
            let mut by_day = vec![u32::MAX; span];
            for (i, &d) in starts.iter().enumerate() {
                by_day[(d - first).num_days() as usize] = i as u32;
            }
            by_day
        });
        let index = |d: NaiveDate| {
            let k = usize::try_from((d - first).num_days()).ok()?;
            by_day
                .get(k)
                .copied()
                .filter(|&i| i != u32::MAX)
                .map(|i| i as usize)
        };
        let mut event_index = Vec::with_capacity(ctx.event_starts.len());
        for &e in ctx.event_starts {
            event_index.push(index(e).ok_or_else(|| {
                Error::param(
                    "Null::ShiftedSet",
                    e,
                    "an event's entry date is not a baseline start date, so the set cannot be shifted",
                )
            })?);
        }
        let (lo, hi) = match (ctx.event_starts.iter().min(), ctx.event_starts.iter().max()) {
            (Some(&lo), Some(&hi)) => ((first - lo).num_days(), (last - hi).num_days()),
            _ => return Ok(Candidates::Joint(JointSets::new(ctx.event_starts.len()))),
        };
        // Each event's day number from the first start, so a shift is an addition.
        let event_offsets: Vec<i64> = ctx.event_starts.iter().map(|&e| (e - first).num_days()).collect();
        let mut sets = JointSets::new(ctx.event_starts.len());
        let mut set = Vec::with_capacity(ctx.event_starts.len());
        for o in lo..=hi {
            if o == 0 {
                continue;
            }
            // One reused buffer: a set is kept only when every shifted date is admitted.
            set.clear();
            for (&e, mask) in event_offsets.iter().zip(&self.masks) {
                let hit = usize::try_from(e + o)
                    .ok()
                    .and_then(|k| by_day.get(k).copied())
                    .filter(|&i| i != u32::MAX && mask[i as usize]);
                match hit {
                    Some(i) => set.push(i),
                    None => break,
                }
            }
            if set.len() == event_offsets.len() {
                sets.push(&set);
            }
        }
        Ok(Candidates::Joint(sets))
    }
}

/// (cycle index, days since the most recent halving on or before `date`).
fn halving_phase(halvings: &[NaiveDate], date: NaiveDate) -> Option<(usize, i64)> {
    let k = halvings.partition_point(|h| *h <= date).checked_sub(1)?;
    Some((k, (date - halvings[k]).num_days()))
}

/// [`halving_phase`] for ascending dates, in one walk (day numbers, no search per date).
fn halving_phases(halvings: &[NaiveDate], dates: &[NaiveDate]) -> Vec<Option<(usize, i64)>> {
    let halving_days: Vec<i64> = halvings.iter().map(|h| i64::from(h.num_days_from_ce())).collect();
    let mut next = 0; // halvings[..next] are on or before the current date
    dates
        .iter()
        .map(|d| {
            let day = i64::from(d.num_days_from_ce());
            while next < halving_days.len() && halving_days[next] <= day {
                next += 1;
            }
            let k = next.checked_sub(1)?;
            Some((k, day - halving_days[k]))
        })
        .collect()
}

/// Per row of `series`: 1 if the close is above its `n`-row moving average (inclusive), 0 if
/// not, `None` with fewer than `n` rows so far. A rolling sum: O(rows).
fn sma_state(series: &PriceSeries, n: usize) -> Vec<Option<i64>> {
    let close = series.close();
    let mut sum = 0.0;
    close
        .iter()
        .enumerate()
        .map(|(t, &c)| {
            sum += c;
            if t >= n {
                sum -= close[t - n];
            }
            (t + 1 >= n).then(|| i64::from(c > sum / n as f64))
        })
        .collect()
}

/// Per row: 1 if the close is within `within` of the running record, else 0.
fn record_state(series: &PriceSeries, within: f64) -> Vec<Option<i64>> {
    let mut best = f64::NEG_INFINITY;
    series
        .close()
        .iter()
        .map(|&c| {
            best = best.max(c);
            Some(i64::from(c >= (1.0 - within) * best))
        })
        .collect()
}

/// The state of the latest row of `series` on or before `date`.
fn state_on(series: &PriceSeries, states: &[Option<i64>], date: NaiveDate) -> Option<i64> {
    let row = series.dates().partition_point(|d| *d <= date).checked_sub(1)?;
    states[row]
}

/// [`state_on`] for ascending dates, in one walk over the series (no search per date).
fn states_on(series: &PriceSeries, states: &[Option<i64>], dates: &[NaiveDate]) -> Vec<Option<i64>> {
    let rows = series.dates();
    let mut next = 0; // rows[..next] are on or before the current date
    dates
        .iter()
        .map(|&d| {
            while next < rows.len() && rows[next] <= d {
                next += 1;
            }
            next.checked_sub(1).and_then(|row| states[row])
        })
        .collect()
}

/// `0.05` → `5`, `0.025` → `2_5`: a fraction as percent for keys.
fn percent_key(x: f64) -> String {
    let pct = format!("{:.4}", x * 100.0);
    let pct = pct.trim_end_matches('0').trim_end_matches('.');
    pct.replace('.', "_")
}

/// Lower-case snake_case of a free name.
fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

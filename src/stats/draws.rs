//! The sampler behind the placebo tests: per draw, one candidate start date per event
//! (uniform in the event's pool, all distinct, optionally spaced) or one joint set, and the
//! draw's mean of one or more outcomes over the same start dates.
//!
//! Numbers in, numbers out; [`super::matched`] and [`super::placebo`] state the tests.

use std::collections::BTreeMap;
use std::rc::Rc;

use rand::{Rng, SeedableRng};

use super::matched::{Candidates, JointSets};
use super::options::CheckedOptions;
use super::placebo::{DrawRng, MAX_SPACING_TRIES_PER_DRAW, TIE_RTOL, counted_p, uniform_below};
use super::summary::{Baseline, mean_of};

/// Draws are made this many at a time, event by event: each event's picks for a block are two
/// tight loops (generator to positions, then a gather-add per outcome), and memory stays
/// O(events · block).
const BLOCK: usize = 2048;

/// The distance between two events' picks for one block, a little more than the block: a
/// draw's picks, read across the events, then fall in different cache sets (at exactly
/// 8 KiB apart they would all share one, and evict one another).
const STRIDE: usize = BLOCK + 16;

/// Pair-by-pair duplicate checks are used while there are at most this many pairs per event;
/// beyond that (a dozen events drawing from one pool), each draw's picks are stamped instead.
const PAIRWISE_MAX: usize = 4;

/// One outcome's values laid out for drawing.
struct Values {
    /// Per event (per-event pools), each candidate's value, in pool order: a pick reads eight
    /// bytes, and its baseline index (`Setup::sets`) only when a check or a count needs it.
    /// Events with the same pool (every event under random days, the events in one trend
    /// regime) share one copy.
    pools: Vec<Rc<[f64]>>,
    /// Joint: each set's mean value.
    set_means: Vec<f64>,
    observed: f64,
    baseline_mean: f64,
    /// The tie tolerance, 1e-9 · max |baseline value|.
    tol: f64,
}

/// The checked inputs of one placebo, and the pools laid out for drawing: one or more
/// outcomes (simple and log returns) over the same baseline start dates, drawn together.
pub(super) struct Setup<'a> {
    pub(super) n: usize,
    /// Per-event pools (empty when joint).
    pub(super) sets: &'a [Vec<u32>],
    /// Joint candidate sets, when the candidates are joint.
    joint: Option<&'a JointSets>,
    pub(super) flat: bool,
    /// Per outcome, its values.
    outcomes: Vec<Values>,
    /// The pairs of events (e < f) whose picks can be the same start date: those with the
    /// same pool, and those whose pools share a date.
    pairs: Vec<(usize, usize)>,
    /// Whether a pair with different pools is among them. When none is, a collision is the
    /// same position in one pool, and positions stand for dates.
    cross_overlap: bool,
    /// Whether two events' pools share a start date, so a draw can pick one twice.
    overlap: bool,
    pub(super) spacing: Option<i64>,
    days: &'a [i64],
}

impl<'a> Setup<'a> {
    /// Checks the inputs: per outcome, the event values and the baseline they are compared
    /// with (the baselines of all outcomes have the same start dates).
    pub(super) fn new(
        event_values: &[&[f64]],
        baselines: &[&'a Baseline],
        candidates: &'a Candidates,
        options: &CheckedOptions,
    ) -> crate::Result<Self> {
        let first = match (event_values.first(), baselines.first()) {
            (Some(_), Some(b)) if event_values.len() == baselines.len() => *b,
            _ => {
                return Err(crate::Error::param(
                    "outcomes",
                    event_values.len(),
                    format!(
                        "one baseline per outcome is needed; {} were given",
                        baselines.len()
                    ),
                ));
            }
        };
        let n = event_values[0].len();
        let nb = first.len();
        if let Some(k) = (1..baselines.len())
            .find(|&k| event_values[k].len() != n || baselines[k].starts() != first.starts())
        {
            return Err(crate::Error::param(
                "outcomes",
                k,
                "every outcome needs the same events and the same baseline start dates",
            ));
        }
        if candidates.n_events() != n {
            return Err(crate::Error::param(
                "candidates",
                candidates.n_events(),
                format!(
                    "candidates are for {} events, but {n} event returns were given",
                    candidates.n_events()
                ),
            ));
        }
        let (sets, joint): (&[Vec<u32>], Option<&JointSets>) = match candidates {
            Candidates::PerEvent(pools) => (pools, None),
            Candidates::Joint(sets) => (&[], Some(sets)),
        };
        let flat = joint.is_some();
        let outside = |ix: &[u32]| ix.iter().copied().find(|&i| i as usize >= nb);
        let bad = match joint {
            Some(j) => outside(&j.flat),
            None => sets.iter().find_map(|s| outside(s)),
        };
        if let Some(bad) = bad {
            return Err(crate::Error::param(
                "candidates",
                bad,
                format!("index outside the baseline of {nb} start dates"),
            ));
        }
        if let Some(i) = candidates.counts().iter().position(|&c| c == 0) {
            return Err(crate::Error::param(
                "candidates",
                0,
                format!("event {} has no candidate start date", i + 1),
            ));
        }
        // Identical pools are found once, and share one copy of their values.
        let group: Vec<usize> = (0..sets.len())
            .map(|e| {
                sets[..e]
                    .iter()
                    .position(|earlier| *earlier == sets[e])
                    .unwrap_or(e)
            })
            .collect();
        let inv_n = 1.0 / n as f64;
        let outcomes = event_values
            .iter()
            .zip(baselines)
            .map(|(events, baseline)| {
                let values = baseline.returns();
                let set_sum = |set: &[u32]| set.iter().map(|&i| values[i as usize]).sum::<f64>();
                let (baseline_mean, set_means, pools) = if let Some(joint) = joint {
                    let means: Vec<f64> = joint.iter().map(|s| set_sum(s) * inv_n).collect();
                    (means.iter().sum::<f64>() / means.len() as f64, means, Vec::new())
                } else {
                    let mean = sets.iter().map(|s| set_sum(s) / s.len() as f64).sum::<f64>() * inv_n;
                    let mut pools: Vec<Rc<[f64]>> = Vec::with_capacity(n);
                    for (e, set) in sets.iter().enumerate() {
                        pools.push(match group[e] {
                            k if k < e => Rc::clone(&pools[k]),
                            _ => set.iter().map(|&i| values[i as usize]).collect(),
                        });
                    }
                    (mean, Vec::new(), pools)
                };
                Values {
                    pools,
                    set_means,
                    observed: mean_of(events),
                    baseline_mean,
                    tol: TIE_RTOL * baseline.max_abs(),
                }
            })
            .collect();
        let meets = pools_meeting(sets, &group, nb);
        let pairs: Vec<(usize, usize)> = (0..sets.len())
            .flat_map(|e| (e + 1..sets.len()).map(move |f| (e, f)))
            .filter(|&(e, f)| group[e] == group[f] || meets(group[e], group[f]))
            .collect();
        let cross_overlap = pairs.iter().any(|&(e, f)| group[e] != group[f]);
        Ok(Setup {
            n,
            sets,
            joint,
            flat,
            outcomes,
            overlap: !pairs.is_empty(),
            pairs,
            cross_overlap,
            spacing: if flat { None } else { options.spacing_days() },
            days: first.days(),
        })
    }

    /// Outcome k's observed mean.
    pub(super) fn observed(&self, k: usize) -> f64 {
        self.outcomes[k].observed
    }

    /// Outcome k's matched baseline mean.
    pub(super) fn baseline_mean(&self, k: usize) -> f64 {
        self.outcomes[k].baseline_mean
    }

    /// Outcome k's tie tolerance.
    pub(super) fn tol(&self, k: usize) -> f64 {
        self.outcomes[k].tol
    }

    /// Joint: outcome k's set means.
    pub(super) fn set_means(&self, k: usize) -> &[f64] {
        &self.outcomes[k].set_means
    }

    /// Runs the draws: `each(k, mean)` gets every accepted draw's mean of each outcome k, draw
    /// by draw; `picks` (if given) counts how often each baseline start date was drawn (joint:
    /// each set). Returns the attempts (accepted plus rejected).
    ///
    /// Per block of draws, each event's picks are made in turn (uniform positions in its pool,
    /// added to the draw sums in event order); a draw that picked one start date twice, or broke
    /// the spacing, is then drawn again whole until admissible, which is rejection sampling:
    /// accepted draws are uniform over the admissible tuples. All outcomes use the same picks.
    pub(super) fn run(
        &self,
        options: &CheckedOptions,
        picks: Option<&mut Vec<u32>>,
        each: impl FnMut(usize, f64),
    ) -> crate::Result<Drawn> {
        let draws = options.draws() as usize;
        if self.tuples().is_some_and(|t| t <= draws as u64) {
            return self.enumerate(picks, each);
        }
        self.sample(options, picks, each)
    }

    /// [`Setup::run`] by drawing, whatever the number of tuples.
    pub(super) fn sample(
        &self,
        options: &CheckedOptions,
        mut picks: Option<&mut Vec<u32>>,
        mut each: impl FnMut(usize, f64),
    ) -> crate::Result<Drawn> {
        let n = self.n;
        let draws = options.draws() as usize;
        let outcomes = self.outcomes.len();
        let mut rng = DrawRng::seed_from_u64(options.seed());
        if self.flat {
            let k_sets = self.outcomes[0].set_means.len() as u64;
            for _ in 0..draws {
                let k = uniform_below(&mut rng, k_sets) as usize;
                if let Some(p) = picks.as_deref_mut() {
                    p[k] += 1;
                }
                for (o, values) in self.outcomes.iter().enumerate() {
                    each(o, values.set_means[k]);
                }
            }
            return Ok(Drawn::sampled(draws as u64, draws as u64));
        }
        let check = self.overlap || self.spacing.is_some();
        let max_attempts = MAX_SPACING_TRIES_PER_DRAW * draws as u64;
        // Each event's pick in each draw of the block: its position in the event's pool, then
        // (where dates must be compared across different pools, or counted) its baseline index.
        let mut chosen = vec![0u32; n * STRIDE];
        // Per outcome, each draw's sum.
        let mut sums = vec![0.0f64; outcomes * BLOCK];
        let mut redrawn = vec![0.0f64; outcomes];
        let mut bytes = vec![0u8; 4 * BLOCK];
        let mut bad = vec![false; BLOCK];
        let mut picked = vec![0u32; n];
        let mut distinct = Distinct::new(self.days.len());
        // Without a spacing and with few pairs that can collide, duplicates are found pair by
        // pair: a pass over the block per pair (vectorised). With many (a dozen events drawing
        // from one pool), each draw's picks are stamped instead, O(n) per draw. When different
        // pools share no date, only events with the same pool can collide, and on the same
        // position.
        let pairwise = self.spacing.is_none() && self.pairs.len() <= PAIRWISE_MAX * n;
        let on_positions = pairwise && !self.cross_overlap;
        let mut attempts = 0u64;
        let inv_n = 1.0 / n as f64;
        let mut left = draws;
        while left > 0 {
            let c = left.min(BLOCK);
            for o in 0..outcomes {
                sums[o * BLOCK..o * BLOCK + c].fill(0.0);
            }
            for e in 0..n {
                let len = self.sets[e].len() as u32;
                // The generator's words for the whole block at once (its fastest path).
                rng.fill_bytes(&mut bytes[..4 * c]);
                let block = &mut chosen[e * STRIDE..e * STRIDE + c];
                let word = |w: &[u8]| u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
                if let [values] = self.outcomes.as_slice() {
                    // One outcome: position and gather-add in one loop.
                    let pool = &values.pools[e];
                    for ((sum, slot), w) in sums[..c]
                        .iter_mut()
                        .zip(block.iter_mut())
                        .zip(bytes.chunks_exact(4))
                    {
                        let at = lemire(word(w), len, &mut rng);
                        *sum += pool[at as usize];
                        *slot = at;
                    }
                } else {
                    for (slot, w) in block.iter_mut().zip(bytes.chunks_exact(4)) {
                        *slot = lemire(word(w), len, &mut rng);
                    }
                    for (o, values) in self.outcomes.iter().enumerate() {
                        let pool = &values.pools[e];
                        for (sum, &at) in sums[o * BLOCK..o * BLOCK + c].iter_mut().zip(block.iter()) {
                            *sum += pool[at as usize];
                        }
                    }
                }
            }
            attempts += c as u64;
            // Positions become baseline indices here, unless the check compares positions.
            let mut indexed = false;
            let to_indices = |chosen: &mut [u32]| {
                for (e, set) in self.sets.iter().enumerate() {
                    for slot in &mut chosen[e * STRIDE..e * STRIDE + c] {
                        *slot = set[*slot as usize];
                    }
                }
            };
            if check && !on_positions {
                to_indices(&mut chosen);
                indexed = true;
            }
            if !check {
                // Nothing to reject.
            } else if pairwise {
                bad[..c].fill(false);
                for &(e, f) in &self.pairs {
                    let (a, b) = (
                        &chosen[e * STRIDE..e * STRIDE + c],
                        &chosen[f * STRIDE..f * STRIDE + c],
                    );
                    for ((flag, x), y) in bad[..c].iter_mut().zip(a).zip(b) {
                        *flag |= x == y;
                    }
                }
            } else {
                for (j, flag) in bad[..c].iter_mut().enumerate() {
                    for (e, p) in picked.iter_mut().enumerate() {
                        *p = chosen[e * STRIDE + j];
                    }
                    *flag = !distinct.admissible(&mut picked, self.days, self.spacing);
                }
            }
            if check {
                for j in (0..c).filter(|&j| bad[j]) {
                    // Drawn again whole until admissible: rejection sampling.
                    loop {
                        if attempts >= max_attempts {
                            return Err(crate::Error::param(
                                "candidates",
                                n,
                                format!(
                                    "fewer than 1 in {MAX_SPACING_TRIES_PER_DRAW} draws from these pools has {n} \
                                     distinct{} start dates",
                                    self.spacing
                                        .map_or(String::new(), |s| format!(", {s}-day spaced"))
                                ),
                            ));
                        }
                        attempts += 1;
                        redrawn.fill(0.0);
                        for (e, (p, set)) in picked.iter_mut().zip(self.sets).enumerate() {
                            let at = uniform_below(&mut rng, set.len() as u64) as usize;
                            for (sum, values) in redrawn.iter_mut().zip(&self.outcomes) {
                                *sum += values.pools[e][at];
                            }
                            chosen[e * STRIDE + j] = if indexed { set[at] } else { at as u32 };
                            *p = set[at];
                        }
                        if distinct.admissible(&mut picked, self.days, self.spacing) {
                            break;
                        }
                    }
                    for (o, &sum) in redrawn.iter().enumerate() {
                        sums[o * BLOCK + j] = sum;
                    }
                }
            }
            if let Some(p) = picks.as_deref_mut() {
                for (e, set) in self.sets.iter().enumerate() {
                    let block = &chosen[e * STRIDE..e * STRIDE + c];
                    if indexed {
                        block.iter().for_each(|&i| p[i as usize] += 1);
                    } else {
                        block.iter().for_each(|&at| p[set[at as usize] as usize] += 1);
                    }
                }
            }
            for j in 0..c {
                for o in 0..outcomes {
                    each(o, sums[o * BLOCK + j] * inv_n);
                }
            }
            left -= c;
        }
        Ok(Drawn::sampled(attempts, draws as u64))
    }

    /// How many candidate tuples there are (joint: sets), if that fits in a `u64`.
    fn tuples(&self) -> Option<u64> {
        if self.flat {
            return Some(self.outcomes[0].set_means.len() as u64);
        }
        self.sets
            .iter()
            .try_fold(1u64, |t, set| t.checked_mul(set.len() as u64))
    }

    /// Every candidate tuple (joint: set) once, in odometer order, the inadmissible ones left
    /// out: the exact placebo distribution, for when there are no more tuples than draws.
    fn enumerate(
        &self,
        mut picks: Option<&mut Vec<u32>>,
        mut each: impl FnMut(usize, f64),
    ) -> crate::Result<Drawn> {
        if self.flat {
            let t = self.outcomes[0].set_means.len();
            for k in 0..t {
                if let Some(p) = picks.as_deref_mut() {
                    p[k] += 1;
                }
                for (o, values) in self.outcomes.iter().enumerate() {
                    each(o, values.set_means[k]);
                }
            }
            return Ok(Drawn::exact(t as u64, t as u64));
        }
        let n = self.n;
        let check = self.overlap || self.spacing.is_some();
        let mut at = vec![0usize; n];
        let mut picked = vec![0u32; n];
        let mut distinct = Distinct::new(self.days.len());
        let inv_n = 1.0 / n as f64;
        let (mut tried, mut accepted) = (0u64, 0u64);
        loop {
            tried += 1;
            for ((p, &k), set) in picked.iter_mut().zip(&at).zip(self.sets) {
                *p = set[k];
            }
            // `admissible` may sort `picked`: count the picks from `at`, not from it.
            if !check || distinct.admissible(&mut picked, self.days, self.spacing) {
                accepted += 1;
                if let Some(p) = picks.as_deref_mut() {
                    for (&k, set) in at.iter().zip(self.sets) {
                        p[set[k] as usize] += 1;
                    }
                }
                for (o, values) in self.outcomes.iter().enumerate() {
                    let sum: f64 = at.iter().zip(&values.pools).map(|(&k, pool)| pool[k]).sum();
                    each(o, sum * inv_n);
                }
            }
            // Next tuple: the last event's position turns fastest.
            let mut e = n;
            loop {
                if e == 0 {
                    if accepted == 0 {
                        return Err(crate::Error::param(
                            "candidates",
                            n,
                            format!(
                                "none of the {tried} candidate tuples has {n} distinct{} start dates",
                                self.spacing
                                    .map_or(String::new(), |s| format!(", {s}-day spaced"))
                            ),
                        ));
                    }
                    return Ok(Drawn::exact(tried, accepted));
                }
                e -= 1;
                at[e] += 1;
                if at[e] < self.sets[e].len() {
                    break;
                }
                at[e] = 0;
            }
        }
    }

    /// Counters for [`Setup::run`]'s `picks`: one per baseline start date (joint: per set).
    pub(super) fn pick_counters(&self) -> Vec<u32> {
        vec![
            0;
            if self.flat {
                self.outcomes[0].set_means.len()
            } else {
                self.days.len()
            }
        ]
    }

    /// Share of all drawn start dates in each calendar year, from the pick counts.
    pub(super) fn calendar_weights(
        &self,
        baseline: &Baseline,
        picks: &[u32],
        draws: u64,
    ) -> BTreeMap<i32, f64> {
        let total = draws * self.n as u64;
        match self.joint {
            Some(joint) => baseline.calendar_weights(
                joint
                    .iter()
                    .zip(picks)
                    .flat_map(|(set, &c)| set.iter().map(move |&i| (i as usize, u64::from(c)))),
                total,
            ),
            None => {
                baseline.calendar_weights(picks.iter().enumerate().map(|(i, &c)| (i, u64::from(c))), total)
            }
        }
    }
}

/// Lemire's map of a 32-bit word to 0..len (len ≥ 1), exact: the rare word that would bias it
/// is replaced by fresh words from the generator.
#[inline]
fn lemire(word: u32, len: u32, rng: &mut DrawRng) -> u32 {
    let mut m = u64::from(word) * u64::from(len);
    if (m as u32) < len {
        let threshold = len.wrapping_neg() % len;
        while (m as u32) < threshold {
            m = u64::from(rng.next_u32()) * u64::from(len);
        }
    }
    (m >> 32) as u32
}

/// What [`Setup::run`] did: how many tuples it tried and kept, and whether it enumerated them
/// all (exact) or drew them at random.
#[derive(Debug, Clone, Copy)]
pub(super) struct Drawn {
    pub(super) attempts: u64,
    pub(super) accepted: u64,
    pub(super) exact: bool,
}

impl Drawn {
    fn sampled(attempts: u64, accepted: u64) -> Self {
        Drawn {
            attempts,
            accepted,
            exact: false,
        }
    }

    fn exact(attempts: u64, accepted: u64) -> Self {
        Drawn {
            attempts,
            accepted,
            exact: true,
        }
    }

    /// The p of `hits` tail tuples among the B draws (or T tuples): `(1 + hits) / (B + 1)`,
    /// the observed event set counted as one more, so p is never 0.
    pub(super) fn p(&self, hits: u64) -> f64 {
        counted_p(hits, self.accepted)
    }
}

/// Which distinct pools share a start date: `meets(g, h)` for the pools of events g and h
/// (each the first event with its pool, `group`), so that a draw can pick one date twice only
/// from pools that meet. Exact for up to 64 distinct pools (one bit each, per start date);
/// beyond that, every two distinct pools meet when any two do.
fn pools_meeting(sets: &[Vec<u32>], group: &[usize], nb: usize) -> impl Fn(usize, usize) -> bool {
    let firsts: Vec<usize> = (0..sets.len()).filter(|&e| group[e] == e).collect();
    // Per event that starts a pool: the pools it meets, as bits over `firsts`' order.
    let mut met = vec![0u64; sets.len()];
    let mut any = false;
    if firsts.len() <= 64 {
        let mut mask = vec![0u64; nb];
        for (g, &e) in firsts.iter().enumerate() {
            for &i in &sets[e] {
                mask[i as usize] |= 1 << g;
            }
        }
        let mut meet = vec![0u64; firsts.len()];
        for &m in mask.iter().filter(|m| m.count_ones() > 1) {
            let mut bits = m;
            while bits != 0 {
                let g = bits.trailing_zeros() as usize;
                meet[g] |= m & !(1 << g);
                bits &= bits - 1;
            }
        }
        for (g, &e) in firsts.iter().enumerate() {
            met[e] = meet[g];
        }
    } else {
        let mut owner = vec![u32::MAX; nb];
        'scan: for &e in &firsts {
            for &i in &sets[e] {
                let slot = &mut owner[i as usize];
                if *slot != u32::MAX && *slot != e as u32 {
                    any = true;
                    break 'scan;
                }
                *slot = e as u32;
            }
        }
    }
    let bit: Vec<u32> = {
        let mut bit = vec![0; sets.len()];
        for (g, &e) in firsts.iter().enumerate() {
            bit[e] = g as u32;
        }
        bit
    };
    let few = firsts.len() <= 64;
    move |e: usize, f: usize| {
        if few { met[e] >> bit[f] & 1 == 1 } else { any }
    }
}

/// The admissibility check of a draw: distinct start dates (marked in a stamp array, O(n)
/// per draw) and, with a spacing, that far apart.
struct Distinct {
    /// `stamp[i] == generation` marks baseline index i as picked in the current draw.
    stamp: Vec<u32>,
    generation: u32,
}

impl Distinct {
    fn new(len: usize) -> Self {
        Distinct {
            stamp: vec![0; len],
            generation: 0,
        }
    }

    /// Whether the picks are distinct and (with a spacing) at least that many days apart
    /// (sorts `picked` when there is a spacing: start dates ascend with the index, so
    /// neighbours then hold the closest pairs).
    #[inline]
    fn admissible(&mut self, picked: &mut [u32], days: &[i64], spacing: Option<i64>) -> bool {
        if spacing.is_none() && picked.len() <= 8 {
            // A handful of picks: pair by pair is cheaper than touching the stamps.
            return picked
                .iter()
                .enumerate()
                .all(|(k, &a)| picked[k + 1..].iter().all(|&b| a != b));
        }
        if let Some(s) = spacing {
            picked.sort_unstable();
            return picked
                .windows(2)
                .all(|w| w[0] != w[1] && days[w[1] as usize] - days[w[0] as usize] >= s);
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // After 2^32 − 1 draws the stamps are reused: clear them once.
            self.stamp.fill(0);
            self.generation = 1;
        }
        for &i in picked.iter() {
            let mark = &mut self.stamp[i as usize];
            if *mark == self.generation {
                return false;
            }
            *mark = self.generation;
        }
        true
    }
}

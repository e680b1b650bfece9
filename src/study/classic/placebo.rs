//! The classic study's placebo: pseudo-events on each security's own history.
//!
//! Each draw moves every event to a pseudo-event date of its own security's history where the
//! whole design fits (the estimation window has at least the minimum complete rows, every
//! event-window return is present) and whose event window does not overlap an actual event of
//! that security; the model is fitted on the pseudo-event's own estimation window and its CARs
//! measured as for the real event. Events sharing a date share the pseudo date, so the draws
//! keep their cross-correlation. B draws give the CAAR's distribution on dates when nothing
//! happened, with the securities' own volatility, beta, missing days and clustering. Each pseudo-event's fit and CARs come from prefix sums of
//! the regressors' cross-products, O(p³) per candidate date instead of O(L p²).

use rand::SeedableRng;
use rayon::prelude::*;

use crate::stats::{CheckedOptions, DrawRng, ModelKind, derive_seed, invert_spd, uniform_below};
use crate::window::{CheckedEventTime, EventFit};

/// Prefix sums of z_t z_t' over the complete rows, z_t = [1, x_1,t .. x_k,t, r_t]
/// (p = k + 2), row-major p × p per row: `at(t)` is the sum over rows `..t`.
struct CrossProducts {
    p: usize,
    sums: Vec<f64>,
}

impl CrossProducts {
    fn new(returns: &[f64], regressors: &[&[f64]]) -> Self {
        let p = regressors.len() + 2;
        let mut sums = vec![0.0; (returns.len() + 1) * p * p];
        let mut z = vec![0.0; p];
        for t in 0..returns.len() {
            let (done, rest) = sums.split_at_mut((t + 1) * p * p);
            let (previous, next) = (&done[t * p * p..], &mut rest[..p * p]);
            next.copy_from_slice(previous);
            let complete = returns[t].is_finite() && regressors.iter().all(|x| x[t].is_finite());
            if complete {
                z[0] = 1.0;
                for (j, x) in regressors.iter().enumerate() {
                    z[j + 1] = x[t];
                }
                z[p - 1] = returns[t];
                for a in 0..p {
                    for b in 0..p {
                        next[a * p + b] += z[a] * z[b];
                    }
                }
            }
        }
        CrossProducts { p, sums }
    }

    /// Row 0 of Σ z z' over the rows `lo..hi`: the count, Σ x_j and Σ r.
    fn sums_between(&self, lo: usize, hi: usize, out: &mut [f64]) {
        let q = self.p * self.p;
        for (j, o) in out.iter_mut().enumerate().take(self.p) {
            *o = self.sums[hi * q + j] - self.sums[lo * q + j];
        }
    }

    /// Σ z z' over the rows `lo..hi`.
    fn between(&self, lo: usize, hi: usize, out: &mut [f64]) {
        let q = self.p * self.p;
        for (o, (h, l)) in out.iter_mut().zip(
            self.sums[hi * q..(hi + 1) * q]
                .iter()
                .zip(&self.sums[lo * q..(lo + 1) * q]),
        ) {
            *o = h - l;
        }
    }
}

/// Fits `model` from the estimation window's cross-products `m` into `betas` (k slopes) and
/// returns α, or None when it cannot be fitted (too few rows, constant or collinear
/// regressors). `s` and `sxy` are k × k and k scratch buffers.
fn coefficients(
    model: ModelKind,
    m: &[f64],
    p: usize,
    min_rows: usize,
    (s, sxy, betas): (&mut [f64], &mut [f64], &mut [f64]),
) -> Option<f64> {
    let k = p - 2;
    let n = m[0];
    if n < min_rows as f64 || n < (k + 2) as f64 {
        return None;
    }
    if model == ModelKind::MarketAdjusted {
        betas[0] = 1.0;
        return Some(0.0);
    }
    let mean = |j: usize| m[j] / n; // row 0 of m: the sums of z
    let r_mean = mean(p - 1);
    for a in 0..k {
        sxy[a] = m[(a + 1) * p + p - 1] - n * mean(a + 1) * r_mean;
        for b in 0..k {
            s[a * k + b] = m[(a + 1) * p + b + 1] - n * mean(a + 1) * mean(b + 1);
        }
    }
    match k {
        0 => {}
        // The market model: no allocation in the hot loop.
        1 => {
            if s[0].is_nan() || s[0] <= 0.0 {
                return None;
            }
            betas[0] = sxy[0] / s[0];
        }
        _ => {
            let inv = invert_spd(s, k)?;
            for a in 0..k {
                betas[a] = (0..k).map(|b| inv[a * k + b] * sxy[b]).sum();
            }
        }
    }
    Some(r_mean - (0..k).map(|j| betas[j] * mean(j + 1)).sum::<f64>())
}

/// For every row of one security taken as τ = 0, the CAR of each window, flat (row × window),
/// NaN where the design does not fit there (the window leaves the data, the estimation window
/// is short, a return of the event window is missing, or the model cannot be fitted).
pub(crate) fn pseudo_cars(
    returns: &[f64],
    regressors: &[&[f64]],
    model: ModelKind,
    windows: &CheckedEventTime,
) -> Vec<f64> {
    let cp = CrossProducts::new(returns, regressors);
    let p = cp.p;
    let k = p - 2;
    let (t0, t1) = windows.estimation_window();
    let (e1, e2) = windows.event_window();
    let cars = windows.car_windows();
    let w = cars.len();
    let (mut est, mut win) = (vec![0.0; p * p], vec![0.0; p]);
    let (mut s, mut sxy, mut betas) = (vec![0.0; k * k], vec![0.0; k], vec![0.0; k]);
    let t = returns.len() as i64;
    let mut out = vec![f64::NAN; returns.len() * w];
    for d in 0..t {
        if d + t0 < 0 || d + e2 >= t {
            continue;
        }
        let at = |tau: i64| (d + tau) as usize;
        cp.sums_between(at(e1), at(e2) + 1, &mut win);
        if win[0] < (e2 - e1 + 1) as f64 {
            continue;
        }
        cp.between(at(t0), at(t1) + 1, &mut est);
        let scratch = (s.as_mut_slice(), sxy.as_mut_slice(), betas.as_mut_slice());
        let Some(alpha) = coefficients(model, &est, p, windows.min_estimation_rows(), scratch) else {
            continue;
        };
        for (j, &(a, b)) in cars.iter().enumerate() {
            cp.sums_between(at(a), at(b) + 1, &mut win);
            let expected = win[0] * alpha
                + betas
                    .iter()
                    .enumerate()
                    .map(|(i, bi)| bi * win[i + 1])
                    .sum::<f64>();
            out[d as usize * w + j] = win[p - 1] - expected;
        }
    }
    out
}

/// B placebo CAARs per CAR window.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PlaceboDraws {
    /// `caar[k][b]`: draw b's CAAR of window k.
    pub(super) caar: Vec<Vec<f64>>,
    /// The fewest candidate dates any group of events drew from.
    pub(super) fewest_candidates: usize,
}

/// One event as the placebo sees it.
pub(super) struct PlaceboEvent<'a> {
    /// The security's returns.
    pub(super) returns: &'a [f64],
    /// The security's name (events of one security share its candidates).
    pub(super) security: &'a str,
    /// The event row, if the event has one.
    pub(super) row: Option<usize>,
    /// Its fit.
    pub(super) fit: &'a EventFit,
}

/// One group's CAR sums and counts (window × draw) and its number of candidate dates.
type GroupSums = (Vec<f64>, Vec<u32>, usize);

/// Draws B pseudo-event dates and returns each draw's CAAR per window.
///
/// Events on the same row (a common event date) draw the same pseudo date, so that the
/// placebo keeps their cross-correlation; a group draws from the rows where the design fits
/// for at least half of its events, and a draw's CAAR is the mean CAR of the events it fits
/// there. A security's rows whose event window overlaps one of its actual events are never
/// candidates. Each group's stream is `Pcg64Mcg` seeded from `options.seed()` and its row.
///
/// # Errors
/// A message when a group of events has no candidate date.
pub(super) fn pseudo_event_draws(
    events: &[PlaceboEvent<'_>],
    regressors: &[&[f64]],
    model: ModelKind,
    windows: &CheckedEventTime,
    options: &CheckedOptions,
) -> std::result::Result<PlaceboDraws, String> {
    let draws = options.draws() as usize;
    let w = windows.car_windows().len();
    let (e1, e2) = windows.event_window();
    let span = (e2 - e1) as usize;
    // The events some window uses, with their rows.
    let used: Vec<(usize, usize)> = (0..events.len())
        .filter(|&i| events[i].fit.car.iter().any(Option::is_some))
        .filter_map(|i| Some((i, events[i].row?)))
        .collect();
    if used.is_empty() {
        return Err("no event has a CAR: no placebo to draw".into());
    }
    // Each security's pseudo CARs on every row, flat (row × window), NaN where the design does
    // not fit or the row's event window overlaps one of the security's actual events.
    let mut securities: Vec<&str> = used.iter().map(|&(i, _)| events[i].security).collect();
    securities.sort_unstable();
    securities.dedup();
    let mut of_security: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, e) in events.iter().enumerate() {
        of_security.entry(e.security).or_default().push(i);
    }
    let table: Vec<Vec<f64>> = securities
        .par_iter()
        .map(|&s| {
            let members = &of_security[s];
            let actual: Vec<usize> = members.iter().filter_map(|&i| events[i].row).collect();
            let mut flat = pseudo_cars(events[members[0]].returns, regressors, model, windows);
            for (d, cars) in flat.chunks_mut(w).enumerate() {
                if actual.iter().any(|&a| a.abs_diff(d) <= span) {
                    cars.fill(f64::NAN);
                }
            }
            flat
        })
        .collect();
    let position: std::collections::HashMap<&str, usize> =
        securities.iter().enumerate().map(|(k, s)| (*s, k)).collect();
    // Only used events are looked up, and `securities` holds every used event's security.
    let security_of = |i: usize| position[events[i].security];
    // Groups: the used events of each row.
    let mut by_row: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for &(i, row) in &used {
        by_row.entry(row).or_default().push(i);
    }
    let groups: Vec<(usize, Vec<usize>)> = by_row.into_iter().collect();
    let rows = events[used[0].0].returns.len();
    let per_group: Vec<std::result::Result<GroupSums, String>> = groups
        .par_iter()
        .map(|(row, members)| {
            let cars: Vec<&[f64]> = members.iter().map(|&i| table[security_of(i)].as_slice()).collect();
            let fits = |d: usize| cars.iter().filter(|c| c[d * w].is_finite()).count();
            let candidates: Vec<usize> = (0..rows).filter(|&d| 2 * fits(d) >= members.len()).collect();
            if candidates.is_empty() {
                return Err(format!(
                    "the {} event(s) on row {row} have no date outside their events where the design fits for half of them",
                    members.len()
                ));
            }
            let (mut sums, mut counts) = (vec![0.0; w * draws], vec![0u32; w * draws]);
            let mut rng = DrawRng::seed_from_u64(derive_seed(options.seed(), &["classic_placebo", &row.to_string()]));
            for b in 0..draws {
                let d = candidates[uniform_below(&mut rng, candidates.len() as u64) as usize];
                for (&i, c) in members.iter().zip(&cars) {
                    let at = &c[d * w..(d + 1) * w];
                    if !at[0].is_finite() {
                        continue;
                    }
                    for k in (0..w).filter(|&k| events[i].fit.car[k].is_some()) {
                        sums[k * draws + b] += at[k];
                        counts[k * draws + b] += 1;
                    }
                }
            }
            Ok((sums, counts, candidates.len()))
        })
        .collect();
    let (mut total, mut count) = (vec![0.0; w * draws], vec![0u32; w * draws]);
    let mut fewest = usize::MAX;
    for g in per_group {
        let (sums, counts, n) = g?;
        fewest = fewest.min(n);
        for j in 0..w * draws {
            total[j] += sums[j];
            count[j] += counts[j];
        }
    }
    Ok(PlaceboDraws {
        caar: (0..w)
            .map(|k| {
                (k * draws..(k + 1) * draws)
                    .map(|j| total[j] / f64::from(count[j].max(1)))
                    .collect()
            })
            .collect(),
        fewest_candidates: fewest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ReturnKind;
    use crate::window::{EventTimeWindows, fit_event};

    /// Deterministic returns with a market factor and a few missing days.
    fn series(n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5
        };
        let m: Vec<f64> = (0..n).map(|_| 0.02 * next()).collect();
        let f: Vec<f64> = (0..n).map(|_| 0.01 * next()).collect();
        let mut r: Vec<f64> = (0..n)
            .map(|t| 0.001 + 1.2 * m[t] - 0.4 * f[t] + 0.03 * next())
            .collect();
        for t in (7..n).step_by(37) {
            r[t] = f64::NAN;
        }
        (r, m, f)
    }

    #[test]
    fn prefix_sum_cars_equal_the_direct_fit_at_every_row() {
        let (r, m, f) = series(400);
        let windows = EventTimeWindows::new(-120..=-11, -5..=10)
            .cars([-1..=1, 0..=10])
            .min_estimation(60)
            .check()
            .unwrap();
        let cases: [(ModelKind, Vec<&[f64]>); 4] = [
            (ModelKind::ConstantMean, vec![]),
            (ModelKind::MarketAdjusted, vec![&m]),
            (ModelKind::MarketModel, vec![&m]),
            (ModelKind::Factors, vec![&m, &f]),
        ];
        for (model, x) in &cases {
            let flat = pseudo_cars(&r, x, *model, &windows);
            let fast: Vec<Option<Vec<f64>>> = flat
                .chunks(2)
                .map(|c| c[0].is_finite().then(|| c.to_vec()))
                .collect();
            let mut compared = 0;
            for (d, cars) in fast.iter().enumerate() {
                let fit = fit_event(&r, x, d, &windows, *model, ReturnKind::Simple).unwrap();
                let direct: Option<Vec<f64>> = fit.car.iter().map(|c| c.map(|c| c.car)).collect();
                let direct = direct.filter(|_| fit.status.is_complete());
                match (cars, direct) {
                    (Some(a), Some(b)) => {
                        for (x, y) in a.iter().zip(&b) {
                            assert!((x - y).abs() < 1e-12, "{model:?} row {d}: {x} vs {y}");
                        }
                        compared += 1;
                    }
                    (None, None) => {}
                    (a, b) => panic!("{model:?} row {d}: {a:?} vs {b:?}"),
                }
            }
            assert!(compared > 100, "{model:?}: {compared}");
        }
    }
}

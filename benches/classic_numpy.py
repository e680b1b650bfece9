"""A numpy loop that does the classic (market-model) event study, for timing against the Rust one.

This is the "equivalent numpy loop" the Rust classic study (src/study/classic, with
src/window/event_time.rs and src/stats) is compared with for speed. It is written the usual
way: a plain Python loop over the events, vectorised numpy inside each event, and then the
tests across events in numpy/scipy. It computes:

* a synthetic panel, the same every run (numpy default_rng(7)): 5,000 securities x 2,520 trading
  days of daily simple returns, a float64 array (days x securities). The market return is
  m_t ~ N(0.0004, 0.01) and r_it = alpha_i + beta_i m_t + e_it, with alpha_i ~ N(0, 0.0002),
  beta_i ~ U(0.5, 1.5) and e_it ~ N(0, 0.02). About 1% of the stock returns are NaN, placed at
  random. Then N events (`--events`, 1,000 by default): each gets a random security and a
  random event day in 260..2,495, so that every window fits. The events come from one
  (N, 2) uniform draw, so the first 1,000 events of `--events 5000` are the 1,000 events of
  the default run.
* per event (the timed loop, `fit_s`): estimation window tau = -250..-31 (220 rows; rows where
  the stock is NaN are dropped, which leaves L rows; an event with fewer than 110 rows is left
  out, the Rust default max(220/2, 3)); an OLS fit of the market model in closed form (or
  np.linalg.lstsq with `--solver lstsq`), with sigma2 = SSE/(L-2) and the residuals. On the
  event window -5..+5 it computes AR_t = R_t - alpha - beta m_t and
  Var(AR_t) = sigma2 (1 + 1/L + (m_t - mbar)^2/Smm). For each CAR window (-1..1, -5..5, 0..5)
  it computes CAR and Var(CAR) = sigma2 (L2 + L2^2/L + (sum(m_t - mbar))^2/Smm). A CAR is
  defined only when none of its days is missing, as in the Rust `fit_event`.
* across events (`tests_s`):
  - per event-window day, over the events with an AR that day: the AAR, the cross-sectional
    t, Patell's Z = sum SAR / sqrt(sum d/(d-2)) with d = L-2, BMP's t (the cross-sectional t
    of the SARs), and Corrado and Zivney's rank z.
  - per CAR window, the same statistics on the CARs/SCARs. Then the sign test with an exact
    binomial p (scipy.stats.binomtest), the Wilcoxon signed-rank test (scipy.stats.wilcoxon),
    the Corrado-Zivney/Cowan rank z of the window, and 1,000 random sign-flip draws (p = the
    share of draws with |mean| >= |observed mean|).
  - the ranks: each event's estimation residuals followed by its 11 event-window ARs (231
    values, NaN where missing), ranked with scipy.stats.rankdata. U = K/(M+1) - 1/2,
    Ubar_t = mean over events, S_U = sqrt((1/T) sum_t (N_t/N) Ubar_t^2). Day z = Ubar_t/S_U and
    window z = sum_W Ubar_t / (sqrt(L_W) S_U), as in src/stats/rank.rs.
* timings with time.perf_counter: the panel generation (`gen_s`, reported but not counted),
  the per-event loop (`fit_s`) and the tests (`tests_s`, broken down too). `--repeat K` runs
  the loop and the tests K times on the same panel and events, and reports the medians (and
  every run).

What this does not do, and the Rust classic study does: the other tests (Brown-Warner 1980/1985,
Kolari-Pynnonen, Lamb, generalised sign, grank, Corrado's rank, BHAR/ABHAR, Hedges' g, caveats),
the duplicate-event check, and the report. Its sign-flip p is the plain share of draws from one
numpy PCG64 stream. The Rust one is (1 + hits)/(B + 1), with a tie tolerance, from ChaCha8, so
the two agree only up to Monte-Carlo error.

Run:  python3 benches/classic_numpy.py --events 1000 --repeat 3
      python3 benches/classic_numpy.py --events 5000          (to see how the time scales)
"""

import argparse
import platform
import statistics
import sys
import time

import numpy as np
import scipy
from scipy import stats

SEED = 7
N_SECURITIES, N_DAYS = 5_000, 2_520
ESTIMATION = (-250, -31)
EVENT = (-5, 5)
CAR_WINDOWS = ((-1, 1), (-5, 5), (0, 5))
FIRST_DAY, LAST_DAY = 260, N_DAYS - 25  # event days drawn from FIRST_DAY..LAST_DAY inclusive
MIN_ESTIMATION = max((ESTIMATION[1] - ESTIMATION[0] + 1) // 2, 3)  # Rust default: 110 rows
SIGN_FLIP_DRAWS = 1_000
MISSING_SHARE = 0.01


# ---- data ----
def make_panel(seed=SEED):
    """Market returns (days,), stock returns (days x securities, float64, ~1% NaN), and the rng."""
    rng = np.random.default_rng(seed)
    market = rng.normal(0.0004, 0.01, N_DAYS)
    alpha = rng.normal(0.0, 0.0002, N_SECURITIES)
    beta = rng.uniform(0.5, 1.5, N_SECURITIES)
    returns = rng.normal(0.0, 0.02, (N_DAYS, N_SECURITIES))
    returns += alpha
    returns += market[:, None] * beta[None, :]
    returns[rng.random((N_DAYS, N_SECURITIES)) < MISSING_SHARE] = np.nan
    return market, returns, rng


def draw_events(rng, n):
    """n (security, event row) pairs; one (n, 2) draw, so a longer list extends a shorter one."""
    u = rng.random((n, 2))
    security = (u[:, 0] * N_SECURITIES).astype(np.int64)
    day = FIRST_DAY + (u[:, 1] * (LAST_DAY - FIRST_DAY + 1)).astype(np.int64)
    return security, day


# ---- the per-event loop ----
def fit_events(market, returns, security, day, solver="closed"):
    """Fits each event's market model and measures its ARs and CARs (NaN where undefined)."""
    n = len(security)
    e0, e1 = ESTIMATION
    v0, v1 = EVENT
    n_est, n_ev, n_car = e1 - e0 + 1, v1 - v0 + 1, len(CAR_WINDOWS)
    out = {
        "L": np.full(n, np.nan),
        "sigma2": np.full(n, np.nan),
        "ar": np.full((n, n_ev), np.nan),
        "ar_var": np.full((n, n_ev), np.nan),
        "car": np.full((n, n_car), np.nan),
        "car_var": np.full((n, n_car), np.nan),
        # estimation residuals then event ARs: what the rank tests rank
        "combined": np.full((n, n_est + n_ev), np.nan),
    }
    car_slices = [(slice(a - v0, b - v0 + 1), b - a + 1) for a, b in CAR_WINDOWS]
    for i in range(n):
        s, t = security[i], day[i]
        y_all = returns[t + e0 : t + e1 + 1, s]
        x_all = market[t + e0 : t + e1 + 1]
        ok = ~np.isnan(y_all)
        y, x = y_all[ok], x_all[ok]
        L = y.size
        if L < MIN_ESTIMATION:
            continue
        mbar = x.mean()
        dx = x - mbar
        smm = dx @ dx
        if solver == "lstsq":
            X = np.column_stack((np.ones(L), x))
            (alpha, beta), sse, _, _ = np.linalg.lstsq(X, y, rcond=None)
            sse = sse[0]
            resid_all = y_all - alpha - beta * x_all
        else:
            beta = (dx @ (y - y.mean())) / smm
            alpha = y.mean() - beta * mbar
            resid_all = y_all - alpha - beta * x_all  # NaN where the stock is missing
            resid = resid_all[ok]
            sse = resid @ resid
        sigma2 = sse / (L - 2)

        r_ev = returns[t + v0 : t + v1 + 1, s]
        m_ev = market[t + v0 : t + v1 + 1]
        dm = m_ev - mbar
        ar = r_ev - alpha - beta * m_ev
        out["ar"][i] = ar
        out["ar_var"][i] = sigma2 * (1.0 + 1.0 / L + dm * dm / smm)
        for j, (sl, l2) in enumerate(car_slices):
            out["car"][i, j] = ar[sl].sum()  # NaN if a day is missing
            dev = dm[sl].sum()
            out["car_var"][i, j] = sigma2 * (l2 + l2 * l2 / L + dev * dev / smm)
        out["L"][i] = L
        out["sigma2"][i] = sigma2
        out["combined"][i, :n_est] = resid_all
        out["combined"][i, n_est:] = ar
    return out


# ---- the tests across events ----
def t_of(x):
    """Cross-sectional t of x against 0 (sd divisor n-1) and its two-sided t(n-1) p."""
    n = x.size
    t = x.mean() / (x.std(ddof=1) / np.sqrt(n))
    return t, 2.0 * stats.t.sf(abs(t), n - 1)


def patell_of(sar, d):
    z = sar.sum() / np.sqrt((d / (d - 2.0)).sum())
    return z, 2.0 * stats.norm.sf(abs(z))


def sign_flip_p(x, rng, draws=SIGN_FLIP_DRAWS):
    """Share of `draws` random sign patterns whose |mean| is at least the observed |mean|."""
    n = x.size
    observed = abs(x.mean())
    total = x.sum()
    hits = 0
    chunk = max(1, min(draws, 20_000_000 // n))  # at most ~20 MB of bits at a time
    done = 0
    while done < draws:
        k = min(chunk, draws - done)
        bits = rng.integers(0, 2, size=(k, n), dtype=np.int8)
        # sum with signs = sum over positives - sum over negatives = 2 * sum(bits * x) - total
        means = (2.0 * (bits @ x) - total) / n
        hits += int(np.count_nonzero(np.abs(means) >= observed))
        done += k
    return hits / draws


def tests_across(fit, rng, timing):
    """The day and CAR-window tests; adds the time of each part to `timing`."""
    v0, _ = EVENT
    n_est = ESTIMATION[1] - ESTIMATION[0] + 1
    fitted = ~np.isnan(fit["L"])
    d_all = fit["L"][fitted] - 2.0  # degrees of freedom of the market model
    ar, ar_var = fit["ar"][fitted], fit["ar_var"][fitted]
    car, car_var = fit["car"][fitted], fit["car_var"][fitted]

    # Corrado-Zivney ranks of each event's estimation residuals + event ARs
    t0 = time.perf_counter()
    comb = fit["combined"][fitted]
    ranks = stats.rankdata(comb, axis=1, nan_policy="omit")  # NaN stays NaN
    m_i = np.count_nonzero(~np.isnan(comb), axis=1)
    u = ranks / (m_i[:, None] + 1.0) - 0.5
    n_t = np.count_nonzero(~np.isnan(u), axis=0)
    n_events = u.shape[0]
    with np.errstate(invalid="ignore"):
        ubar = np.nansum(u, axis=0) / n_t
    on = n_t > 0
    s_u = np.sqrt(np.sum((n_t[on] / n_events) * ubar[on] ** 2) / np.count_nonzero(on))
    timing["ranks_s"] += time.perf_counter() - t0

    t0 = time.perf_counter()
    days = []
    for k in range(ar.shape[1]):
        ok = ~np.isnan(ar[:, k])
        a = ar[ok, k]
        sar = a / np.sqrt(ar_var[ok, k])
        t, tp = t_of(a)
        pz, pp = patell_of(sar, d_all[ok])
        bt, bp = t_of(sar)
        rz = ubar[n_est + k] / s_u
        days.append({"tau": v0 + k, "n": a.size, "aar": a.mean(), "t": t, "t_p": tp,
                     "patell": pz, "patell_p": pp, "bmp": bt, "bmp_p": bp,
                     "rank_z": rz, "rank_p": 2.0 * stats.norm.sf(abs(rz))})
    timing["day_tests_s"] += time.perf_counter() - t0

    windows = []
    for j, (a_w, b_w) in enumerate(CAR_WINDOWS):
        t0 = time.perf_counter()
        ok = ~np.isnan(car[:, j])
        c = car[ok, j]
        scar = c / np.sqrt(car_var[ok, j])
        t, tp = t_of(c)
        pz, pp = patell_of(scar, d_all[ok])
        bt, bp = t_of(scar)
        positive, nonzero = int(np.count_nonzero(c > 0)), int(np.count_nonzero(c))
        sign_p = stats.binomtest(positive, nonzero, 0.5).pvalue
        wilcoxon_p = stats.wilcoxon(c).pvalue
        grid = slice(n_est + a_w - v0, n_est + b_w - v0 + 1)
        rz = ubar[grid].sum() / (np.sqrt(b_w - a_w + 1) * s_u)
        timing["car_tests_s"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        flip_p = sign_flip_p(c, rng)
        timing["sign_flip_s"] += time.perf_counter() - t0
        windows.append({"window": (a_w, b_w), "n": c.size, "caar": c.mean(), "t": t, "t_p": tp,
                        "patell": pz, "patell_p": pp, "bmp": bt, "bmp_p": bp,
                        "sign_p": sign_p, "wilcoxon_p": wilcoxon_p,
                        "rank_z": rz, "rank_p": 2.0 * stats.norm.sf(abs(rz)),
                        "sign_flip_p": flip_p})
    return days, windows


def run_once(market, returns, security, day, solver):
    t0 = time.perf_counter()
    fit = fit_events(market, returns, security, day, solver)
    t1 = time.perf_counter()
    timing = dict.fromkeys(("ranks_s", "day_tests_s", "car_tests_s", "sign_flip_s"), 0.0)
    rng = np.random.default_rng([SEED, 1])  # the sign-flip draws, the same every run
    days, windows = tests_across(fit, rng, timing)
    t2 = time.perf_counter()
    return {"fit_s": t1 - t0, "tests_s": t2 - t1, "total_s": t2 - t0, **timing}, fit, days, windows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000, help="number of events (default 1000)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of fit+tests; medians reported")
    ap.add_argument("--solver", choices=("closed", "lstsq"), default="closed",
                    help="market-model OLS: closed form (default) or np.linalg.lstsq")
    ap.add_argument("--quiet", action="store_true", help="timings only, no result table")
    args = ap.parse_args()
    if args.events < 2 or args.repeat < 1:
        ap.error("--events must be >= 2 and --repeat >= 1")

    t0 = time.perf_counter()
    market, returns, rng = make_panel()
    security, day = draw_events(rng, args.events)
    gen_s = time.perf_counter() - t0

    runs = []
    for _ in range(args.repeat):
        timing, fit, days, windows = run_once(market, returns, security, day, args.solver)
        runs.append(timing)
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}

    print(f"python {platform.python_version()}  numpy {np.__version__}  scipy {scipy.__version__}"
          f"  ({platform.machine()}, {sys.platform})")
    n_fitted = int(np.count_nonzero(~np.isnan(fit["L"])))
    print(f"panel: {N_DAYS} days x {N_SECURITIES} securities float64 "
          f"({returns.nbytes / 1e6:.0f} MB, {np.isnan(returns).mean():.2%} NaN), gen_s={gen_s:.3f} "
          f"(not counted); events={args.events} fitted={n_fitted} solver={args.solver}")
    if not args.quiet:
        print(" tau     n        AAR       t   patell      bmp   rank_z")
        for r in days:
            print(f"{r['tau']:+4d} {r['n']:5d} {r['aar']:+.6f} {r['t']:+7.3f} {r['patell']:+8.3f} "
                  f"{r['bmp']:+8.3f} {r['rank_z']:+8.3f}")
        print(" window     n       CAAR       t   patell      bmp  sign_p  wilc_p   rank_z  flip_p")
        for r in windows:
            a, b = r["window"]
            print(f"{a:+d}..{b:+d} {r['n']:6d} {r['caar']:+.6f} {r['t']:+7.3f} {r['patell']:+8.3f} "
                  f"{r['bmp']:+8.3f} {r['sign_p']:7.4f} {r['wilcoxon_p']:7.4f} {r['rank_z']:+8.3f} "
                  f"{r['sign_flip_p']:7.3f}")
    if args.repeat > 1:
        for i, r in enumerate(runs, 1):
            print(f"  run {i}: fit_s={r['fit_s']:.3f} tests_s={r['tests_s']:.3f} "
                  f"total_s={r['total_s']:.3f}")
    label = f"median of {args.repeat}" if args.repeat > 1 else "1 run"
    print(f"tests breakdown ({label}): ranks_s={med['ranks_s']:.3f} day_tests_s={med['day_tests_s']:.3f} "
          f"car_tests_s={med['car_tests_s']:.3f} sign_flip_s={med['sign_flip_s']:.3f}")
    print(f"fit per event: {1e6 * med['fit_s'] / args.events:.1f} us")
    print(f"numpy classic: events={args.events} fit_s={med['fit_s']:.3f} tests_s={med['tests_s']:.3f} "
          f"total_s={med['total_s']:.3f} ({label})")


if __name__ == "__main__":
    main()

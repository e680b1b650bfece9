"""Independent reference values for tests/reference.rs (the rut -> btc/eth study).

Recomputes the study straight from the CSV files with pandas/numpy/scipy, following only
the README "Methodology" and the alignment rules in src/window/engine.rs's module header:

1. events: rut row t is an event when close[t] > every earlier close and the previous record
   (the running max's row) is at least 250 rows before t;
2. entry = first close on or after the event date, exit = first close on or after
   entry + h calendar days (h = 30, 60, 90), return = exit / entry - 1; an event before the
   asset's first date is "not listed" and has no window (the Russell 2000 starts in 1987, BTC
   in 2013, ETH in 2015);
3. baseline = the forward return from every start date with a complete window, and the
   statistics printed below (the placebo p is a Monte-Carlo estimate, B = 200,000). The
   baseline mean's standard error is Newey-West with h lags (statsmodels HAC without
   small-sample correction): the t-test divides by sqrt(sd(x)^2/n + se^2), and Hedges g counts
   the baseline as N_eff = var(b, ddof=1) / se^2 values (clamped to [2, N]).

Run: python3 tests/reference/study_reference.py
"""

import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import statsmodels.api as sm
from scipy import special, stats

DATA = Path(__file__).resolve().parents[2] / "data"
HORIZONS = (30, 60, 90)
DROUGHT = 250
B = 200_000


def load(symbol):
    df = pd.read_csv(DATA / f"{symbol}.csv", parse_dates=["date"])
    df = df.dropna(subset=["close"]).sort_values("date").reset_index(drop=True)
    assert df["date"].is_unique
    return df


def events(df):
    closes = df["close"].to_numpy()
    out = []
    best, best_row = closes[0], 0
    for t in range(1, len(closes)):
        if closes[t] > best:
            if t - best_row >= DROUGHT:
                out.append((df["date"][t], t - best_row, best))
            best, best_row = closes[t], t
    return out


def first_on_or_after(dates, d):
    """Index of the first date >= d, or None."""
    i = int(np.searchsorted(dates, np.datetime64(d), side="left"))
    return i if i < len(dates) else None


def fmt(x):
    return repr(float(x))


def main():
    print(f"pandas {pd.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, statsmodels {sm.__version__ if hasattr(sm, '__version__') else ''}")
    rut = load("rut")
    evs = events(rut)
    for d, gap, prev in evs:
        print(f"event {d.date()} rows since record {gap} previous record {prev}")
    event_dates = [d for d, _, _ in evs]
    rng = np.random.default_rng(20240601)

    for asset in ("btc", "eth"):
        df = load(asset)
        dates = df["date"].to_numpy()
        closes = df["close"].to_numpy()
        for h in HORIZONS:
            delta = np.timedelta64(h, "D")
            # events
            ret, entries, not_listed = [], [], []
            for d in event_dates:
                if np.datetime64(d) < dates[0]:
                    not_listed.append(str(d.date()))
                    continue
                i = first_on_or_after(dates, d)
                j = first_on_or_after(dates, dates[i] + delta)
                entries.append(pd.Timestamp(dates[i]).date())
                ret.append(closes[j] / closes[i] - 1.0)
            r = np.array(ret)
            # baseline
            j = np.searchsorted(dates, dates + delta, side="left")
            ok = j < len(dates)
            base = closes[j[ok]] / closes[ok] - 1.0
            N, n = len(base), len(r)
            mb, sb = base.mean(), base.std(ddof=1)
            medb = np.median(base)
            p05, p95 = np.percentile(base, [5, 95])
            mr, sr = r.mean(), r.std(ddof=1)
            excess = mr - mb
            excess_median = np.median(r) - medb
            glass = excess / sb
            hac = sm.OLS(base, np.ones(N)).fit(cov_type="HAC", cov_kwds={"maxlags": h, "use_correction": False})
            se_mu = float(hac.bse[0])
            n_eff = min(max(sb**2 / se_mu**2, 2.0), N)
            df_ = n + n_eff - 2
            pooled = math.sqrt(((n - 1) * sr**2 + (n_eff - 1) * sb**2) / df_)
            J = math.exp(special.gammaln(df_ / 2) - special.gammaln((df_ - 1) / 2)) / math.sqrt(df_ / 2)
            hedges = (mr - mb) / pooled * J
            ranks = [(base <= x).mean() for x in r]
            x = r - mb
            t_stat = x.mean() / math.sqrt(x.var(ddof=1) / n + se_mu**2)
            p_t = 2 * stats.t.sf(abs(t_stat), n - 1)
            obs = abs(x.mean())
            hits = 0
            for signs in itertools.product((1.0, -1.0), repeat=n):
                if abs((np.array(signs) * x).mean()) >= obs * (1 - 1e-12):
                    hits += 1
            p_sign = hits / 2**n
            # Monte-Carlo placebo: B random sets of n distinct baseline starts
            idx = rng.integers(0, N, size=(B, n))
            while True:
                s = np.sort(idx, axis=1)
                dup = (np.diff(s, axis=1) == 0).any(axis=1)
                if not dup.any():
                    break
                idx[dup] = rng.integers(0, N, size=(int(dup.sum()), n))
            pm = base[idx].mean(axis=1)
            ge = int((pm >= mr).sum())
            p_placebo = (1 + ge) / (B + 1)

            print(f"== {asset} {h}d")
            print(f"  not_listed {not_listed}")
            print(f"  entry_dates {entries}")
            print(f"  event_returns {[fmt(v) for v in r]}")
            print(f"  baseline n {N} mean {fmt(mb)} sd {fmt(sb)} median {fmt(medb)} p05 {fmt(p05)} p95 {fmt(p95)}")
            print(f"  excess {fmt(excess)} excess_median {fmt(excess_median)}")
            print(f"  glass_delta {fmt(glass)} hedges_g {fmt(hedges)} J {fmt(J)}")
            print(f"  percentile_ranks {[fmt(v) for v in ranks]}")
            print(f"  se_mu_nw {fmt(se_mu)} n_eff {fmt(n_eff)}")
            print(f"  t_stat {fmt(t_stat)} p_t {fmt(p_t)}")
            print(f"  p_sign_flip {fmt(p_sign)} ({hits}/{2**n})")
            print(f"  p_placebo_mc {fmt(p_placebo)} (B={B}, #>= {ge}, se {math.sqrt(p_placebo * (1 - p_placebo) / B):.5f})")


if __name__ == "__main__":
    main()

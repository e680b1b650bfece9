"""Independent reference values for the "matched placebo" (conditional null) tests.

Recomputes everything straight from data/{rut,btc,eth}.csv with pandas/numpy only, following
these definitions (rows with an empty close are dropped, rows are sorted by date):

1. events: rut row t is an event when close[t] > every earlier close and the row of the previous
   running maximum is at least 250 rows before t; for btc/eth only events on/after the asset's
   first date count;
2. entry = first asset date >= event date, exit = first asset date >= entry + h calendar days
   (h = 30, 60, 90), return = close[exit] / close[entry] - 1; baseline starts = every asset date s
   whose exit (first date >= s + h) exists, baseline return at s likewise;
3. BTC halvings 2012-11-28, 2016-07-09, 2020-05-11, 2024-04-20; phase(d) = days since the most
   recent halving on or before d (none before 2012-11-28: never a candidate);
4. per-event candidate pools of baseline starts:
   random                         all baseline starts;
   halving_phase_60               |phase(s) - phase(entry_i)| <= 60;
   halving_phase_60_other_cycles  as above and s's most recent halving != entry_i's;
   trend_regime_200               above(s) == above(entry_i), above(d) = close(d) > mean of the
                                  asset's last 200 rows' closes ending at d (< 200 rows: none);
   near_record_5pct               near(s): rut close at d' >= 0.95 * max(rut closes up to d'),
                                  d' = last rut date <= s (no such date: none);
   shifted_set                    joint: day offsets o != 0 with entry_i + o a baseline start for
                                  every i; a draw picks one offset and uses every entry_i + o;
5. matched mean = mean over events of the pool mean (shifted_set: mean over offsets of the mean
   over events); excess = mean(event returns) - matched mean; Monte-Carlo placebo, B = 200,000,
   one candidate per event drawn independently and uniformly (duplicates allowed), draw mean =
   mean of the picks; tol = 1e-9 * max|baseline return| (all baseline starts of that
   asset/horizon); one-sided p = (1 + #{draw >= obs - tol}) / (B + 1), two-sided
   p = (1 + #{|draw - matched| >= |obs - matched| - tol}) / (B + 1), se = sqrt(p(1-p)/B);
   calendar weights: MC = share of all drawn start dates per calendar year, exact = mean over
   events of the share of pool i in year y. The generator is numpy default_rng(20241201),
   re-seeded for every (asset, horizon, null) so each block is reproducible on its own.
6. btc 90d halving_phase_60: exact one-sided p = #{pick combinations with mean >= obs - tol} /
   product of pool sizes (exhaustive, when the product is <= 1e8).

Run: python3 tests/reference/null_reference.py
"""

import math
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "data"
HORIZONS = (30, 60, 90)
DROUGHT = 250
B = 200_000
SEED = 20241201
HALVINGS = np.array(["2012-11-28", "2016-07-09", "2020-05-11", "2024-04-20"], dtype="datetime64[D]").astype(np.int64)
NULLS = ("random", "halving_phase_60", "halving_phase_60_other_cycles", "trend_regime_200",
         "near_record_5pct", "shifted_set")
EXACT_LIMIT = 1e8


def load(symbol):
    df = pd.read_csv(DATA / f"{symbol}.csv", parse_dates=["date"])
    df = df.dropna(subset=["close"]).sort_values("date").reset_index(drop=True)
    assert df["date"].is_unique
    days = df["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    return days, df["close"].to_numpy(dtype=float)


def events(closes):
    out, best, best_row = [], closes[0], 0
    for t in range(1, len(closes)):
        if closes[t] > best:
            if t - best_row >= DROUGHT:
                out.append(t)
            best, best_row = closes[t], t
    return out


def day_str(d):
    return str(np.datetime64(int(d), "D"))


def fmt(x):
    return repr(float(x))


def years_of(days):
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def phase_info(days):
    k = np.searchsorted(HALVINGS, days, side="right") - 1
    ok = k >= 0
    phase = np.where(ok, days - HALVINGS[np.maximum(k, 0)], -1)
    return ok, phase, k


def fmt_weights(years, weights):
    return " ".join(f"{y}:{w:.4f}" for y, w in zip(years, weights) if w > 0)


def exact_one_sided(pool_rets, threshold_sum):
    """#{combinations with sum >= threshold_sum} by folding all pools but the largest into a
    sorted array of partial sums, then a searchsorted per value of the largest pool."""
    order = sorted(range(len(pool_rets)), key=lambda i: len(pool_rets[i]))
    partial = np.zeros(1)
    for i in order[:-1]:
        partial = (partial[:, None] + pool_rets[i][None, :]).ravel()
    partial.sort()
    last = pool_rets[order[-1]]
    # count partial + v >= threshold  <=>  partial >= threshold - v
    idx = np.searchsorted(partial, threshold_sum - last, side="left")
    return int((len(partial) - idx).sum())


def main():
    print(f"pandas {pd.__version__}, numpy {np.__version__}")
    rut_days, rut_close = load("rut")
    ev_rows = events(rut_close)
    ev_days = rut_days[ev_rows]
    print(f"rut events ({len(ev_days)}): {[day_str(d) for d in ev_days]}")
    rut_near = rut_close >= 0.95 * np.maximum.accumulate(rut_close)

    for asset in ("btc", "eth"):
        days, closes = load(asset)
        n_rows = len(days)
        # SMA200 / above per asset row
        above = np.zeros(n_rows, dtype=bool)
        sma_ok = np.zeros(n_rows, dtype=bool)
        sma = np.lib.stride_tricks.sliding_window_view(closes, 200).mean(axis=1)
        sma_ok[199:] = True
        above[199:] = closes[199:] > sma
        evd = ev_days[ev_days >= days[0]]
        entry_rows = np.searchsorted(days, evd, side="left")
        assert (entry_rows < n_rows).all()
        entry_days = days[entry_rows]
        n_ev = len(evd)
        print(f"== {asset}: first date {day_str(days[0])}, rows {n_rows}, events counted {[day_str(d) for d in evd]}")
        print(f"   entry_dates {[day_str(d) for d in entry_days]}")
        for h in HORIZONS:
            j = np.searchsorted(days, days + h, side="left")
            ok = j < n_rows
            srow = np.nonzero(ok)[0]
            s_days = days[srow]
            base = closes[j[ok]] / closes[ok] - 1.0
            tol = 1e-9 * np.abs(base).max()
            ej = np.searchsorted(days, entry_days + h, side="left")
            assert (ej < n_rows).all()
            ev_ret = closes[ej] / closes[entry_rows] - 1.0
            obs = ev_ret.mean()
            s_years = years_of(s_days)
            yr = np.arange(s_years.min(), s_years.max() + 1)
            s_ph_ok, s_ph, s_k = phase_info(s_days)
            e_ph_ok, e_ph, e_k = phase_info(entry_days)
            s_above, s_sma_ok = above[srow], sma_ok[srow]
            rk = np.searchsorted(rut_days, s_days, side="right") - 1
            s_near = (rk >= 0) & rut_near[np.maximum(rk, 0)]
            print(f"-- {asset} {h}d: baseline n {len(base)} ({day_str(s_days[0])}..{day_str(s_days[-1])}), "
                  f"max|baseline| {fmt(np.abs(base).max())}")
            print(f"   event_returns {[fmt(v) for v in ev_ret]} mean {fmt(obs)}")
            for null in NULLS:
                rng = np.random.default_rng(SEED)
                if null == "shifted_set":
                    offs = None
                    for e in entry_days:
                        o = s_days - e
                        offs = o if offs is None else np.intersect1d(offs, o)
                    offs = offs[offs != 0]
                    # pools[i] = baseline indices of entry_i + o for every admissible o
                    pools = [np.searchsorted(s_days, e + offs) for e in entry_days]
                    assert all((s_days[p] == e + offs).all() for p, e in zip(pools, entry_days))
                    shifted = np.stack([base[p] for p in pools])  # events x offsets
                    matched = shifted.mean(axis=0).mean()
                    pick = rng.integers(0, len(offs), size=B)
                    draws = shifted[:, pick].mean(axis=0)
                    drawn_idx = np.concatenate([p[pick] for p in pools])
                    sizes = [len(offs)] * n_ev
                    extra = f" offsets {int(offs.min())}..{int(offs.max())}"
                else:
                    pools = []
                    for i in range(n_ev):
                        if null == "random":
                            m = np.ones(len(base), dtype=bool)
                        elif null.startswith("halving_phase_60"):
                            assert e_ph_ok[i]
                            m = s_ph_ok & (np.abs(s_ph - e_ph[i]) <= 60)
                            if null.endswith("other_cycles"):
                                m &= s_k != e_k[i]
                        elif null == "trend_regime_200":
                            assert sma_ok[entry_rows[i]]
                            m = s_sma_ok & (s_above == above[entry_rows[i]])
                        elif null == "near_record_5pct":
                            m = s_near
                        pools.append(np.nonzero(m)[0])
                    sizes = [len(p) for p in pools]
                    if min(sizes) == 0:
                        print(f"   [{null}] candidates_per_event {sizes}: empty pool, skipped")
                        continue
                    matched = np.mean([base[p].mean() for p in pools])
                    picks = [p[rng.integers(0, len(p), size=B)] for p in pools]
                    draws = np.mean([base[q] for q in picks], axis=0)
                    drawn_idx = np.concatenate(picks)
                    extra = ""
                excess = obs - matched
                ge = int((draws >= obs - tol).sum())
                p1 = (1 + ge) / (B + 1)
                ge2 = int((np.abs(draws - matched) >= abs(obs - matched) - tol).sum())
                p2 = (1 + ge2) / (B + 1)
                w_mc = np.bincount(s_years[drawn_idx] - yr[0], minlength=len(yr)) / len(drawn_idx)
                w_ex = np.mean([np.bincount(s_years[p] - yr[0], minlength=len(yr)) / len(p) for p in pools], axis=0)
                print(f"   [{null}] candidates_per_event {sizes}{extra}")
                print(f"     matched_mean {fmt(matched)} excess {fmt(excess)}")
                print(f"     p_one_sided {fmt(p1)} (#>= {ge}, se {fmt(math.sqrt(p1 * (1 - p1) / B))})")
                print(f"     p_two_sided {fmt(p2)} (#>= {ge2}, se {fmt(math.sqrt(p2 * (1 - p2) / B))})")
                print(f"     calendar_weights_mc    {fmt_weights(yr, w_mc)}")
                print(f"     calendar_weights_exact {fmt_weights(yr, w_ex)}")
                if asset == "btc" and h == 90 and null == "halving_phase_60":
                    total = math.prod(sizes)
                    if total <= EXACT_LIMIT:
                        cnt = exact_one_sided([base[p] for p in pools], n_ev * (obs - tol))
                        print(f"     exact_p_one_sided {fmt(cnt / total)} ({cnt}/{total}); "
                              f"(1+count)/(1+total) {fmt((1 + cnt) / (1 + total))}")
                    else:
                        print(f"     exact_p_one_sided not computed (product of pool sizes {total})")


if __name__ == "__main__":
    main()

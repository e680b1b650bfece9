"""The core of the library's main job in pandas/numpy, for timing against the Rust binary.

`cargo run --release --example russell_crypto` detects Russell 2000 breakouts under the five
rules of `russell_crypto_rules()` and tests 30/60/90-day crypto forward returns after them
against each target's unconditional baseline. This script does the same core work with the
same defaults, from the CSV files in data/:

* loads rut, gspc, btc, eth and the 21 altcoins of kind Altcoin (src/data/datasets.rs);
* detects events on rut: ATH close and ATH intraday high (max(high, close)) after a 250-row
  drought, first close above 2,600 and above 2,700 after 250 closes at or below, and the
  RUT/S&P 500 ratio (common dates) above its prior 250-row high, kept events 250+ rows apart;
* targets btc, eth, eth_btc, alt_basket (mean), alt_median, alt_season (share of held coins
  beating BTC) and every altcoin; a coin is held from a date when it has >= 90 days of history
  before it; horizons 30/60/90 calendar days; entry = first close on or after the event (at
  most 7 days late), exit = first close on or after entry + h (src/window/engine.rs);
* per rule x target x horizon and per sample (all events, in-sample <= 2021-12-31,
  out-of-sample): excess mean/median, Glass delta, Hedges g, P(superiority), the Newey-West
  standard error of the baseline mean (lag h), the t-test, the exact sign-flip test, and the
  placebo test of n distinct baseline start dates (B = 10,000, or every n-subset when there are
  no more than B), with q05/q20/q95 and MDE; Holm and Benjamini-Hochberg per sample;
* writes results.csv to a temporary directory and prints a short summary.

Not done (the Rust job does these too): the five placebo designs ("nulls"), the specification
curve, the sensitivity grid, alt_top10 (point-in-time basket), the log-return outcome and the
Westfall-Young p of the primary family, event paths and quantile bands, the 2026 scorecard,
report.md/report.json/charts. Random draws come from one numpy PCG64 stream, not the Rust
per-result ChaCha8 streams, so Monte-Carlo p-values agree only up to Monte-Carlo error.

Run: python3 benches/main_job_pandas.py      (timing: /usr/bin/time -f "%e s" python3 ...)
"""

import itertools
import math
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import special, stats

DATA = Path(__file__).resolve().parents[1] / "data"
ALTS = ["xrp", "doge", "ltc", "sol", "bnb", "xlm", "ada", "link", "trx", "dot", "avax", "xmr",
        "dash", "etc", "xem", "eos", "bch", "xtz", "miota", "neo", "zec"]
HORIZONS = (30, 60, 90)
DROUGHT, B, SEED = 250, 10_000, 20240229
MIN_HISTORY, MAX_ENTRY_GAP = 90, 7
CLAIM = pd.Timestamp("2021-12-31")
TIE = 1e-9


def load(symbol):
    df = pd.read_csv(DATA / f"{symbol}.csv", parse_dates=["date"])
    return df.dropna(subset=["close"]).sort_values("date").set_index("date")


# ---- event rules (src/events/detect.rs), each returning event row numbers ----
def record_after_drought(v, min_days):
    rec = np.flatnonzero(np.r_[True, v[1:] > np.maximum.accumulate(v)[:-1]])  # strict records
    return rec[1:][np.diff(rec) >= min_days]


def level_cross(v, level, min_below):
    above = np.flatnonzero(v > level)
    run_below = above - np.r_[-1, above[:-1]] - 1  # consecutive closes at or below before it
    return above[run_below >= max(min_below, 1)]


def rolling_high(v, lookback, min_gap):
    prior = pd.Series(v).rolling(lookback).max().shift(1).to_numpy()  # max of the previous rows
    hits, kept = [], None
    for t in np.flatnonzero(v > prior):  # NaN prior (t < lookback) compares False
        if kept is None or t - kept >= min_gap:  # greedy, oldest first
            hits.append(t)
            kept = t
    return np.array(hits, dtype=int)


def detect_events(rut, gspc):
    close = rut["close"].to_numpy()
    high = np.fmax(rut["high"].to_numpy(), close)  # unknown high: the close stands in
    ratio = (rut["close"] / gspc["close"]).dropna()  # common dates only
    d = rut.index
    return {
        "ATH close after 250-day drought": d[record_after_drought(close, DROUGHT)],
        "ATH intraday high after 250-day drought": d[record_after_drought(high, DROUGHT)],
        "first close above 2600 after 250 days at or below": d[level_cross(close, 2600.0, DROUGHT)],
        "first close above 2700 after 250 days at or below": d[level_cross(close, 2700.0, DROUGHT)],
        "ratio to gspc: above prior 250-day high, events 250+ days apart":
            ratio.index[rolling_high(ratio.to_numpy(), DROUGHT, DROUGHT)],
    }


# ---- forward returns on one daily grid of every crypto series ----
def crypto_panel():
    s = {sym: load(sym)["close"] for sym in ["btc", "eth"] + ALTS}
    s["eth_btc"] = (s["eth"] / s["btc"]).dropna()
    cols = ["btc", "eth", "eth_btc"] + ALTS
    panel = pd.concat([s[c] for c in cols], axis=1, keys=cols, sort=True)
    return panel.reindex(pd.date_range(panel.index.min(), panel.index.max(), freq="D"))


def next_obs(close):
    """Row of the first close on or after each row (T when none), plus a sentinel row T."""
    T = len(close)
    idx = np.where(~np.isnan(close), np.arange(T)[:, None], T)
    nxt = np.minimum.accumulate(idx[::-1], axis=0)[::-1]
    return np.vstack([nxt, np.full((1, close.shape[1]), T)])


def forward_returns(close, nxt, h):
    """R[t, k]: return from the close of row t to the first close on or after t + h (NaN if none)."""
    T, K = close.shape
    exit_ = nxt[np.minimum(np.arange(T) + h, T)]
    ok = exit_ < T
    exit_close = np.take_along_axis(close, np.where(ok, exit_, 0), axis=0)
    return np.where(ok, exit_close / close - 1.0, np.nan)  # NaN start closes stay NaN


def basket_measures(r_alt, bench):
    """Mean, median, and share beating `bench`, across the held members (non-NaN) of each row."""
    held = ~np.isnan(r_alt)
    count = held.sum(axis=1)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.where(count > 0, np.nansum(r_alt, axis=1) / count, np.nan)
        median = np.nanmedian(r_alt, axis=1)
        share = (r_alt > bench[:, None]).sum(axis=1) / count
    share = np.where((count > 0) & ~np.isnan(bench), share, np.nan)
    return {"alt_basket": mean, "alt_median": median, "alt_season": share}


# ---- statistics (src/stats) ----
def newey_west_se(x, lag):
    """Bartlett-kernel HAC standard error of the mean (statsmodels, no small-sample correction)."""
    n = len(x)
    dev = x - x.mean()
    f = np.fft.rfft(dev, 2 * n)
    gamma = np.fft.irfft(f * np.conj(f), 2 * n)[: min(lag, n - 1) + 1] / n  # autocovariances
    w = 1.0 - np.arange(len(gamma)) / (len(gamma))
    var = gamma[0] + 2.0 * (w[1:] * gamma[1:]).sum()
    return math.sqrt(max(var, 0.0) / n)


def baseline_stats(b, h):
    se = newey_west_se(b, h)
    sd = b.std(ddof=1)
    p05, med, p95 = np.quantile(b, [0.05, 0.5, 0.95])
    return dict(b=b, sorted=np.sort(b), mean=b.mean(), sd=sd, median=med, p05=p05, p95=p95,
                se=se, n_eff=min(max(sd**2 / se**2, 2.0), len(b)) if se > 0 else len(b),
                tol=TIE * np.abs(b).max())


def placebo(r, base, rng):
    b, n, N = base["b"], len(r), len(base["b"])
    if math.comb(N, n) <= B:  # every n-subset once
        means = b if n == 1 else b[np.array(list(itertools.combinations(range(N), n)))].mean(axis=1)
    else:  # n distinct start dates: draw with replacement, redraw rows with a repeat
        idx = rng.integers(0, N, size=(B, n))
        while n > 1:
            s = np.sort(idx, axis=1)
            dup = (s[:, 1:] == s[:, :-1]).any(axis=1)
            if not dup.any():
                break
            idx[dup] = rng.integers(0, N, size=(int(dup.sum()), n))
        means = b[idx].mean(axis=1)
    obs, mu, tol = r.mean(), base["mean"], base["tol"]
    p1 = (1 + np.count_nonzero(means >= obs - tol)) / (len(means) + 1)
    p2 = (1 + np.count_nonzero(np.abs(means - mu) >= abs(obs - mu) - tol)) / (len(means) + 1)
    q05, q20, q95 = np.quantile(means, [0.05, 0.20, 0.95])
    return p1, p2, q05, q20, q95


def sign_flip(x, rng):
    n = len(x)
    thr = abs(x.sum()) - TIE * np.abs(x).sum()
    if n > 20:  # Monte Carlo above 20 events, as the library
        s = rng.choice([-1.0, 1.0], size=(B, n)) @ x
        return (1 + np.count_nonzero(np.abs(s) >= thr)) / (B + 1)

    def half(v):  # sum of s_i v_i for every sign pattern of v
        bits = (np.arange(2 ** len(v))[:, None] >> np.arange(len(v))) & 1
        return (1.0 - 2.0 * bits) @ v

    lo, hi = half(x[: n // 2]), half(x[n // 2:])
    return np.count_nonzero(np.abs(lo[:, None] + hi[None, :]) >= thr) / (len(lo) * len(hi))


def event_stats(r, base, rng):
    n, mu = len(r), base["mean"]
    x = r - mu
    if n >= 2:
        t = x.mean() / math.sqrt(x.var(ddof=1) / n + base["se"] ** 2)
        p_t = min(2 * stats.t.sf(abs(t), n - 1), 1.0)
    else:
        t = p_t = np.nan
    df_ = n + base["n_eff"] - 2
    ss_r = (n - 1) * r.var(ddof=1) if n > 1 else 0.0
    pooled = math.sqrt((ss_r + (base["n_eff"] - 1) * base["sd"] ** 2) / df_)
    j = math.exp(special.gammaln(df_ / 2) - special.gammaln((df_ - 1) / 2)) / math.sqrt(df_ / 2)
    p1, p2, q05, q20, q95 = placebo(r, base, rng)
    return dict(
        n_events=n, event_mean=r.mean(), baseline_n=len(base["b"]), baseline_mean=mu,
        baseline_sd=base["sd"], baseline_median=base["median"], baseline_p05=base["p05"],
        baseline_p95=base["p95"], baseline_se_nw=base["se"], excess=r.mean() - mu,
        excess_median=np.median(r) - base["median"],
        glass_delta=(r.mean() - mu) / base["sd"] if base["sd"] > 0 else np.nan,
        hedges_g=(r.mean() - mu) / pooled * j if pooled > 0 else np.nan,
        prob_superiority=(np.searchsorted(base["sorted"], r, side="right") / len(base["b"])).mean(),
        p_placebo=p1, p_placebo_two_sided=p2, q05=q05, q20=q20, q95=q95, mde=q95 - q20,
        p_sign_flip=sign_flip(x, rng), t_stat=t, p_t=p_t)


def holm(p):
    o = np.argsort(p, kind="stable")
    adj = np.minimum(np.maximum.accumulate((len(p) - np.arange(len(p))) * p[o]), 1.0)
    out = np.empty_like(p)
    out[o] = adj
    return out


def bh(p):
    o = np.argsort(p, kind="stable")
    m = len(p)
    adj = np.minimum.accumulate((p[o] / (np.arange(1, m + 1) / m))[::-1])[::-1]
    out = np.empty_like(p)
    out[o] = np.minimum(adj, 1.0)
    return out


def main():
    rng = np.random.default_rng(SEED)
    rut, gspc = load("rut"), load("gspc")
    events = detect_events(rut, gspc)

    panel = crypto_panel()
    close, grid = panel.to_numpy(), panel.index
    T, cols = len(grid), list(panel.columns)
    nxt = next_obs(close)
    first_row = nxt[0]  # each series' first observation
    alt_k = [cols.index(a) for a in ALTS]
    btc_k = cols.index("btc")
    held = np.arange(T)[:, None] >= first_row[alt_k][None, :] + MIN_HISTORY  # >= 90 days of history

    rows = []
    for h in HORIZONS:
        R = forward_returns(close, nxt, h)
        # baselines: every start date with a complete window; baskets over the coins held then
        base_vals = {c: R[:, k] for k, c in enumerate(cols)}
        base_vals.update(basket_measures(np.where(held, R[:, alt_k], np.nan), R[:, btc_k]))
        bases = {c: baseline_stats(v[~np.isnan(v)], h) for c, v in base_vals.items()}
        for rule, dates in events.items():
            if len(dates) == 0:
                continue
            row = (dates.to_numpy() - grid[0].to_datetime64()) // np.timedelta64(1, "D")
            in_grid = (row >= 0) & (row < T)
            rc = np.clip(row, 0, T - 1)
            entry = nxt[rc]  # first close on or after the event, per series
            ok = in_grid[:, None] & (entry < T) & (entry - rc[:, None] <= MAX_ENTRY_GAP)
            ev = np.where(ok, np.take_along_axis(R, np.where(ok, entry, 0), axis=0), np.nan)
            ev_vals = {c: ev[:, k] for k, c in enumerate(cols)}
            eligible = in_grid[:, None] & held[rc]
            ev_vals.update(basket_measures(np.where(eligible, ev[:, alt_k], np.nan), ev[:, btc_k]))
            in_sample = (dates <= CLAIM)
            for target in ["btc", "eth", "eth_btc", "alt_basket", "alt_median", "alt_season"] + ALTS:
                r_all, base = ev_vals[target], bases[target]
                done = ~np.isnan(r_all)
                for sample, mask in [("all", done), ("in_sample", done & in_sample),
                                     ("out_of_sample", done & ~in_sample)]:
                    if mask.any() and len(base["b"]) >= 2:
                        rows.append(dict(asset=target, rule=rule, horizon=f"{h}d", sample=sample,
                                         **event_stats(r_all[mask], base, rng)))

    res = pd.DataFrame(rows)
    for _, g in res.groupby("sample"):
        res.loc[g.index, "p_holm"] = holm(g["p_placebo"].to_numpy())
        res.loc[g.index, "p_bh"] = bh(g["p_placebo"].to_numpy())
    out = Path(tempfile.mkdtemp(prefix="main_job_pandas_")) / "results.csv"
    res.to_csv(out, index=False)

    for rule, dates in events.items():
        print(f"{len(dates):3d} events  {rule}")
    per = res["sample"].value_counts()
    print(f"{len(res)} results ({per.get('all', 0)} all events, {per.get('in_sample', 0)} in-sample, "
          f"{per.get('out_of_sample', 0)} out-of-sample); placebo p < 0.05: "
          f"{int((res['p_placebo'] < 0.05).sum())} "
          f"({int((res['p_placebo'][res['sample'] == 'all'] < 0.05).sum())} on all events), "
          f"BH < 0.05: {int((res['p_bh'] < 0.05).sum())}")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

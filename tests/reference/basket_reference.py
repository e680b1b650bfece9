"""Independent reference values for the altcoin-basket outcomes (rut records -> 21 altcoins vs btc).

Recomputes everything straight from the CSV files with numpy/pandas only, from these definitions:

1. loading: `date,close` or `date,open,high,low,close,volume`; a row with an empty close is a
   missing observation and is dropped before anything else (so a series' "first date" is its
   first non-missing close, and dropped rows are never entry or exit rows);
2. events: rut row t is an event when close[t] > every earlier close and the row of the previous
   running maximum is at least 250 rows before t (running max over the whole rut history from
   1987); only the events on/after 2013-04-28 (btc's first date) are used;
3. a series' window from date D (h = 30, 60, 90 calendar days): entry = first row with
   date >= D; none -> "censored" (data ends); entry date - D > 7 days -> "no entry"; exit = first
   row with date >= entry date + h days; none -> "censored"; return = close[exit]/close[entry] - 1;
4. a member is eligible at D when its first date <= D - 90 days; the event basket at D is the
   eligible members whose window from D is complete ("held"); ineligible members are never held;
5. event measures over the held members: mean = arithmetic mean (np.mean) of the returns,
   median = np.median, share = #(held member return > btc return from D) / k, where btc's window
   from D follows rule 3 and must be complete (otherwise share is undefined and printed as None);
   k = number held; "alt season" = share >= 0.75 (ties with btc do not count as beating it);
6. baselines, one value per start date s: for mean/median, every calendar date s that is an
   observation date of at least one member; the contributors are the members for which s is an
   observation date, s >= first date + 90 days and the window from s (entry = s) is complete;
   their returns are aggregated by np.mean / np.median. For share, s must in addition be a btc
   observation date with a complete btc window from s (entry = s); share = #(contributor return >
   btc return) / #contributors. A date with no contributor is not a baseline date;
7. baseline statistics over the per-date values: n, mean, std (ddof=1), median, 5th and 95th
   percentile (np.percentile, linear interpolation); all floats printed with repr().

Run: python3 tests/reference/basket_reference.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "data"
HORIZONS = (30, 60, 90)
DROUGHT = 250
FIRST_EVENT = pd.Timestamp("2013-04-28")
MEMBERS = ("xrp doge ltc sol bnb xlm ada link trx dot avax xmr dash etc xem eos bch xtz miota neo zec").split()
BENCH = "btc"
SEASONING = np.timedelta64(90, "D")
MAX_ENTRY_LAG = np.timedelta64(7, "D")
ALT_SEASON = 0.75


def load(symbol):
    df = pd.read_csv(DATA / f"{symbol}.csv", parse_dates=["date"])
    df = df.dropna(subset=["close"]).sort_values("date").reset_index(drop=True)
    assert df["date"].is_unique
    return df["date"].to_numpy(dtype="datetime64[D]"), df["close"].to_numpy(dtype=float)


def events(dates, closes):
    out = []
    best, best_row = closes[0], 0
    for t in range(1, len(closes)):
        if closes[t] > best:
            if t - best_row >= DROUGHT:
                out.append(dates[t])
            best, best_row = closes[t], t
    return out


def window(dates, closes, d, h):
    """(status, entry_date, return) of the window from date d; status 'ok', 'censored', 'no entry'."""
    i = int(np.searchsorted(dates, d, side="left"))
    if i >= len(dates):
        return "censored", None, None
    if dates[i] - d > MAX_ENTRY_LAG:
        return "no entry", dates[i], None
    j = int(np.searchsorted(dates, dates[i] + np.timedelta64(h, "D"), side="left"))
    if j >= len(dates):
        return "censored", dates[i], None
    return "ok", dates[i], closes[j] / closes[i] - 1.0


def forward(dates, closes, h):
    """Per-row forward return with entry = the row itself (NaN where the exit is censored)."""
    j = np.searchsorted(dates, dates + np.timedelta64(h, "D"), side="left")
    ok = j < len(dates)
    r = np.full(len(dates), np.nan)
    r[ok] = closes[j[ok]] / closes[ok] - 1.0
    return r


def fmt(x):
    return None if x is None else repr(float(x))


def summary(v):
    v = np.asarray(v, dtype=float)
    p05, p95 = np.percentile(v, [5, 95])
    return (f"n {len(v)} mean {fmt(v.mean())} std {fmt(v.std(ddof=1))} median {fmt(np.median(v))} "
            f"p05 {fmt(p05)} p95 {fmt(p95)}")


def main():
    print(f"pandas {pd.__version__}, numpy {np.__version__}")
    rut_d, rut_c = load("rut")
    evs = [d for d in events(rut_d, rut_c) if d >= np.datetime64(FIRST_EVENT, "D")]
    print(f"events {[str(d) for d in evs]}")
    series = {s: load(s) for s in MEMBERS}
    bd, bc = load(BENCH)
    print("first dates " + " ".join(f"{s}={series[s][0][0]}" for s in MEMBERS) + f" {BENCH}={bd[0]}")

    # union of member observation dates (candidate baseline start dates)
    all_dates = np.unique(np.concatenate([series[s][0] for s in MEMBERS]))
    pos = {s: np.searchsorted(all_dates, series[s][0]) for s in MEMBERS}

    for h in HORIZONS:
        # ---- events
        vals = {"mean": [], "median": [], "share": []}
        print(f"== {h}d")
        for d in evs:
            b_status, b_entry, b_ret = window(bd, bc, d, h)
            held, rets, incomplete, ineligible = [], [], [], []
            for s in MEMBERS:
                dates, closes = series[s]
                if dates[0] > d - SEASONING:
                    ineligible.append(s)
                    continue
                status, entry, r = window(dates, closes, d, h)
                if status == "ok":
                    held.append(s)
                    rets.append(r)
                else:
                    incomplete.append(f"{s}({status})")
            k = len(held)
            r = np.array(rets)
            mean = float(np.mean(r)) if k else None
            median = float(np.median(r)) if k else None
            if k and b_status == "ok":
                beats = int((r > b_ret).sum())
                share = beats / k
            else:
                beats, share = None, None
            vals["mean"].append(mean)
            vals["median"].append(median)
            vals["share"].append(share)
            print(f"  event {d} btc {b_status} entry {b_entry} return {fmt(b_ret)}")
            print(f"    held k={k} {held}")
            print(f"    eligible but incomplete {incomplete}")
            print(f"    not eligible {ineligible}")
            print(f"    returns {[fmt(x) for x in r]}")
            print(f"    mean {fmt(mean)} median {fmt(median)} share {fmt(share)} ({beats}/{k}) "
                  f"alt_season {None if share is None else share >= ALT_SEASON}")

        # ---- baselines: matrix (start date x member) of contributing returns, NaN elsewhere
        M = np.full((len(all_dates), len(MEMBERS)), np.nan)
        for c, s in enumerate(MEMBERS):
            dates, closes = series[s]
            r = forward(dates, closes, h)
            r[dates < dates[0] + SEASONING] = np.nan
            M[pos[s], c] = r
        b_fwd = np.full(len(all_dates), np.nan)
        bi = np.searchsorted(all_dates, bd)
        inside = (bi < len(all_dates))
        inside[inside] = all_dates[bi[inside]] == bd[inside]
        b_fwd[bi[inside]] = forward(bd, bc, h)[inside]

        contrib = ~np.isnan(M)
        base_mean, base_median, base_share = [], [], []
        for row, m, bret in zip(M, contrib, b_fwd):
            if not m.any():
                continue
            x = row[m]  # member order
            base_mean.append(np.mean(x))
            base_median.append(np.median(x))
            if not np.isnan(bret):
                base_share.append(int((x > bret).sum()) / len(x))
        base = {"mean": base_mean, "median": base_median, "share": base_share}
        for measure in ("mean", "median", "share"):
            print(f"  -- {measure} {h}d")
            print(f"    events {[fmt(v) for v in vals[measure]]}")
            print(f"    baseline {summary(base[measure])}")


if __name__ == "__main__":
    main()

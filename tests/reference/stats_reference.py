#!/usr/bin/env python3
"""Reference values for the unit tests of `src/stats/`.

Every expected number in the `#[cfg(test)]` modules under src/stats/ was printed by this
script. It uses numpy, scipy and statsmodels only (``pip install numpy scipy statsmodels``)
and implements nothing with the Rust code's algorithms where a library routine exists:

* quantiles: ``numpy.percentile`` (default method 'linear' = R type 7);
* sd: ``numpy.std(ddof=1)``; median: ``numpy.median``;
* t-test: ``scipy.stats.ttest_1samp`` and ``scipy.stats.t.ppf``;
* Hedges J: ``scipy.special.gamma`` (df <= 300), ``scipy.special.poch`` beyond;
* percentile ranks: ``scipy.stats.percentileofscore(kind='weak')``;
* sign-flip and placebo p-values: brute-force enumeration with ``itertools`` (integer
  arithmetic where ties matter);
* Holm / Benjamini-Hochberg: ``statsmodels.stats.multitest.multipletests``.

Run from the crate root: ``python3 tests/reference/stats_reference.py``.
"""

import itertools
from fractions import Fraction

import numpy as np
import scipy
import scipy.special
import scipy.stats
import statsmodels
from statsmodels.stats.multitest import multipletests

np.set_printoptions(precision=17, floatmode="unique")


def show(label, value):
    if isinstance(value, (list, tuple, np.ndarray)):
        value = ", ".join(repr(float(v)) for v in value)
        print(f"{label} = [{value}]")
    else:
        print(f"{label} = {float(value)!r}")


print(f"# numpy {np.__version__}, scipy {scipy.__version__}, statsmodels {statsmodels.__version__}")

# ---------------------------------------------------------------- data sets
BASE12 = np.array([0.012, -0.034, 0.051, 0.007, -0.015, 0.023, 0.044, -0.061, 0.005, 0.018, -0.002, 0.031])
BASE2 = np.array([0.01, 0.03])
EV3 = np.array([0.085, 0.062, 0.097])
EV1 = np.array([0.04])
EV2 = np.array([0.05, -0.01])
EV_EQ = np.array([0.02, 0.02, 0.02])

# ---------------------------------------------------------------- quantiles (numpy default = type 7)
print("\n## quantile_type7: numpy.percentile(x, 100*q) (method='linear')")
QDATA = np.array([3.5, -1.0, 2.25, 7.0, 0.0, 4.75, -2.5])
QS = [0.0, 0.05, 0.2, 0.25, 0.5, 0.95, 1.0]
show("QDATA q in " + str(QS), [np.percentile(QDATA, 100 * q) for q in QS])
show("[5.0] q=0.3", np.percentile([5.0], 30))
show("[1.0, 2.0] q in [0.05, 0.5, 0.95]", [np.percentile([1.0, 2.0], p) for p in (5, 50, 95)])

# ---------------------------------------------------------------- summaries
print("\n## summary: n, mean, sd (ddof=1), median, p05, p95 (numpy)")
for name, b in (("BASE12", BASE12), ("BASE2", BASE2)):
    show(
        f"summary {name}",
        [len(b), b.mean(), b.std(ddof=1), np.median(b), np.percentile(b, 5), np.percentile(b, 95)],
    )


# ---------------------------------------------------------------- effect sizes
def hedges_j_gamma(df):
    g = scipy.special.gamma
    return g(df / 2) / (np.sqrt(df / 2) * g((df - 1) / 2))


def hedges_j_poch(df):
    # Gamma(a + 1/2) / Gamma(a) = poch(a, 1/2) with a = (df - 1) / 2
    return scipy.special.poch((df - 1) / 2, 0.5) / np.sqrt(df / 2)


print("\n## hedges_j: scipy.special.gamma (df <= 300) / scipy.special.poch (large df)")
DFS_G = [2, 3, 4, 5, 10, 13, 50, 100, 300]
show(f"J(df) for df in {DFS_G}", [hedges_j_gamma(d) for d in DFS_G])
DFS_P = [1000, 4000, 10000]
show(f"J(df) for df in {DFS_P} (poch)", [hedges_j_poch(d) for d in DFS_P])
show("cross-check gamma vs poch at df=300 (difference)", hedges_j_gamma(300) - hedges_j_poch(300))

print("\n## effects: excess_mean, excess_median, glass, hedges_g, prob_superiority; ranks")
for ename, ev in (("EV3", EV3), ("EV1", EV1), ("EV2", EV2), ("EV_EQ", EV_EQ)):
    for bname, b in (("BASE12", BASE12), ("BASE2", BASE2)):
        n, nb = len(ev), len(b)
        excess = ev.mean() - b.mean()
        excess_med = np.median(ev) - np.median(b)
        glass = excess / b.std(ddof=1)
        s_r2 = ev.var(ddof=1) if n > 1 else 0.0
        df = n + nb - 2
        pooled = np.sqrt(((n - 1) * s_r2 + (nb - 1) * b.var(ddof=1)) / df)
        g = excess / pooled * hedges_j_gamma(df) if df > 1 else float("nan")
        ranks = [scipy.stats.percentileofscore(b, r, kind="weak") / 100 for r in ev]
        show(f"{ename} vs {bname} [excess, excess_med, glass, hedges_g, ps]", [excess, excess_med, glass, g, np.mean(ranks)])
        show(f"{ename} vs {bname} ranks", ranks)

# ---------------------------------------------------------------- t-test
print("\n## t-test: scipy.stats.ttest_1samp(ev - mean(BASE12), 0); critical scipy.stats.t.ppf(0.975, df)")
EV25 = np.array([0.031, -0.012, 0.044, 0.005, 0.027, -0.003, 0.019, 0.052, -0.021, 0.008, 0.015, 0.036, -0.009,
                 0.024, 0.011, 0.041, -0.017, 0.006, 0.029, 0.002, 0.033, -0.006, 0.013, 0.038, 0.021])
for name, ev in (("EV3", EV3), ("EV2", EV2), ("EV25", EV25)):
    x = ev - BASE12.mean()
    res = scipy.stats.ttest_1samp(x, 0.0)
    show(f"{name} [t, p, df, critical_t]", [res.statistic, res.pvalue, len(x) - 1, scipy.stats.t.ppf(0.975, len(x) - 1)])
with np.errstate(all="ignore"):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = scipy.stats.ttest_1samp(EV_EQ - BASE12.mean(), 0.0)
show("EV_EQ scipy gives [t, p] (the Rust code reports 'undefined' instead)", [r.statistic, r.pvalue])
show("critical t for df in [1, 2, 5, 30]", [scipy.stats.t.ppf(0.975, d) for d in (1, 2, 5, 30)])


# ---------------------------------------------------------------- Newey-West and the t-test with se(mu)
print("\n## Newey-West se of the mean: statsmodels OLS(x, const).fit(cov_type='HAC', maxlags=L, use_correction=False)")
import statsmodels.api as sm


def nw_se(x, lag):
    res = sm.OLS(np.asarray(x), np.ones(len(x))).fit(cov_type="HAC", cov_kwds={"maxlags": lag, "use_correction": False})
    return float(res.bse[0])


WAVE = np.sin(np.arange(400) / 40.0)
show("BASE12 nw se [lag 0, lag 2, lag 5]", [nw_se(BASE12, 0), nw_se(BASE12, 2), nw_se(BASE12, 5)])
show("WAVE (sin(i/40), i<400) nw se [lag 0, lag 60]", [nw_se(WAVE, 0), nw_se(WAVE, 60)])
print("## t-test with the baseline mean's se: t = mean(x) / sqrt(sd(x)^2/n + se_mu^2), df = n - 1, p = 2 sf(|t|)")
for name, ev, lag in (("EV3", EV3, 0), ("EV3", EV3, 2), ("EV_EQ", EV_EQ, 0)):
    x = ev - BASE12.mean()
    se_mu = nw_se(BASE12, lag)
    sd2 = x.var(ddof=1) if len(x) > 1 else 0.0
    t = x.mean() / np.sqrt(sd2 / len(x) + se_mu**2)
    show(f"{name} vs BASE12 lag {lag} [t, p]", [t, 2 * scipy.stats.t.sf(abs(t), len(x) - 1)])
# Hedges g with N_eff = s_b^2 / se_NW^2 (clamped to [2, N]): BASE12 at lag 2
nb_eff = min(max(BASE12.var(ddof=1) / nw_se(BASE12, 2) ** 2, 2.0), len(BASE12))
n3 = len(EV3)
df_eff = n3 + nb_eff - 2
pooled = np.sqrt(((n3 - 1) * EV3.var(ddof=1) + (nb_eff - 1) * BASE12.var(ddof=1)) / df_eff)
J = np.exp(scipy.special.gammaln(df_eff / 2) - scipy.special.gammaln((df_eff - 1) / 2)) / np.sqrt(df_eff / 2)
show("EV3 vs BASE12 lag 2 [N_eff, hedges_g]", [nb_eff, (EV3.mean() - BASE12.mean()) / pooled * J])
EVW = np.array([0.9, 0.5, 1.2])
nb_eff = min(max(WAVE.var(ddof=1) / nw_se(WAVE, 60) ** 2, 2.0), len(WAVE))
df_eff = len(EVW) + nb_eff - 2
pooled = np.sqrt(((len(EVW) - 1) * EVW.var(ddof=1) + (nb_eff - 1) * WAVE.var(ddof=1)) / df_eff)
J = np.exp(scipy.special.gammaln(df_eff / 2) - scipy.special.gammaln((df_eff - 1) / 2)) / np.sqrt(df_eff / 2)
show("EVW [0.9, 0.5, 1.2] vs WAVE lag 60 [N_eff, hedges_g]", [nb_eff, (EVW.mean() - WAVE.mean()) / pooled * J])

# ---------------------------------------------------------------- Westfall-Young step-down min-p
print("\n## Westfall-Young step-down min-p (Westfall & Young 1993, algorithm 2.8), written out with loops")


def wy(obs, draws):
    B, m = draws.shape
    raw = [(1 + sum(draws[b, j] >= obs[j] for b in range(B))) / (B + 1) for j in range(m)]
    own = np.array([[sum(draws[c, j] >= draws[b, j] for c in range(B)) / B for j in range(m)] for b in range(B)])
    order = sorted(range(m), key=lambda j: (raw[j], j))
    adj_sorted = []
    for k in range(m):
        rest = order[k:]
        hits = sum(min(own[b, j] for j in rest) <= raw[order[k]] for b in range(B))
        adj_sorted.append((1 + hits) / (B + 1))
    adj = [0.0] * m
    running = 0.0
    for k, j in enumerate(order):
        running = min(1.0, max(running, adj_sorted[k]))
        adj[j] = running
    return raw, adj


rng = np.random.default_rng(7)
WY_DRAWS = np.round(rng.normal(size=(40, 3)) @ np.array([[1, 0.6, 0.2], [0, 0.8, 0.3], [0, 0, 0.9]]), 3)
WY_OBS = np.array([1.9, 1.2, 0.3])
print("WY_DRAWS (40 x 3, row-major) =", [float(v) for v in WY_DRAWS.ravel()])
raw, adj = wy(WY_OBS, WY_DRAWS)
show("WY_OBS [1.9, 1.2, 0.3] raw p", raw)
show("WY_OBS adjusted p", adj)

# ---------------------------------------------------------------- sign-flip
def sign_flip_exact_int(xs):
    """Exact two-sided sign-flip p on integer data (no rounding, ties exact)."""
    n = len(xs)
    obs = abs(sum(xs))
    hits = sum(1 for s in itertools.product((1, -1), repeat=n) if abs(sum(a * b for a, b in zip(s, xs))) >= obs)
    return Fraction(hits, 2**n)


def sign_flip_exact_np(x):
    """Exact two-sided sign-flip p with numpy over all 2^n patterns (chunked)."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    obs = abs(x.mean())
    hits = 0
    chunk = 1 << 16
    for start in range(0, 1 << n, chunk):
        codes = np.arange(start, min(start + chunk, 1 << n), dtype=np.int64)
        bits = (codes[:, None] >> np.arange(n)) & 1
        means = ((1 - 2 * bits) * x).mean(axis=1)
        hits += int(np.count_nonzero(np.abs(means) >= obs * (1 - 1e-9)))
    return hits / 2**n


print("\n## sign-flip exact (itertools / numpy enumeration)")
show("EV3 - mean(BASE12) p, floor", [sign_flip_exact_np(EV3 - BASE12.mean()), 2 / 2**3])
show("EV2 - mean(BASE12) p", sign_flip_exact_np(EV2 - BASE12.mean()))
TIES = [10, 20, 30, -5, 15, 25]  # hundredths: Rust uses [0.10, 0.20, 0.30, -0.05, 0.15, 0.25]
show("TIES/100 p (exact integer arithmetic)", float(sign_flip_exact_int(TIES)))
MIX6 = [0.031, -0.044, 0.012, 0.027, -0.008, 0.019]
show("MIX6 p", sign_flip_exact_np(MIX6))
X12 = [0.021, -0.013, 0.034, 0.008, -0.027, 0.015, 0.042, -0.005, 0.011, 0.019, -0.031, 0.026]
show("X12 p", sign_flip_exact_np(X12))
X20 = [0.012 * ((i * 7) % 11 - 4) + 0.003 for i in range(20)]
show("X20 (0.012*((7i mod 11)-4)+0.003) p", sign_flip_exact_np(X20))
X21 = [0.01 * ((i * 5) % 13 - 5) + 0.004 for i in range(21)]
show("X21 (0.01*((5i mod 13)-5)+0.004) exact p (Rust uses Monte Carlo)", sign_flip_exact_np(X21))

# ---------------------------------------------------------------- placebo by exact enumeration
print("\n## placebo: exact enumeration over all C(N, n) start sets (itertools.combinations)")
P6 = np.array([0.02, -0.01, 0.05, 0.00, 0.03, -0.04])  # dates 2024-01-01 .. 2024-01-06
P6_EV = [0.04, 0.03]
obs = np.mean(P6_EV)
means = np.array([np.mean(c) for c in itertools.combinations(P6, 2)])
tol = 1e-9 * np.abs(P6).max()
p1 = np.mean(means >= obs - tol)
p2 = np.mean(np.abs(means - P6.mean()) >= abs(obs - P6.mean()) - tol)
show("P6 n=2 events [0.04, 0.03]: exact [p_one, p_two]", [p1, p2])
# The library enumerates when there are no more subsets than draws and counts the observed
# set as one more: (1 + #{tail}) / (T + 1).
def counted(share, total):
    return (1 + round(share * total)) / (total + 1)
show("P6 enumerated (1 + k) / (T + 1) [p_one, p_two]", [counted(p1, len(means)), counted(p2, len(means))])

P8 = np.array([0.0131, -0.0217, 0.0342, 0.0023, -0.0085, 0.0276, 0.0409, -0.0153])
P8_DAYS = np.array([0, 1, 2, 5, 6, 7, 12, 13])  # offsets from 2024-01-01
P8_EV = [0.03, 0.025]
obs = np.mean(P8_EV)
pairs = list(itertools.combinations(range(8), 2))
means = np.array([(P8[i] + P8[j]) / 2 for i, j in pairs])
sm = np.sort(means)
assert len(np.unique(sm)) == len(sm), "pair means must be distinct for the quantile check"
# With 28 equally likely pair means, the population quantile at level q is sm[floor(28 q)]
# (no level falls on a jump: 28*0.05=1.4, 28*0.2=5.6, 28*0.95=26.6); a large Monte-Carlo
# sample's type-7 quantile converges to exactly that value.
q05, q20, q95 = sm[1], sm[5], sm[26]
excess = obs - P8.mean()
P8_P = [np.mean(means >= obs - 1e-12), np.mean(np.abs(means - P8.mean()) >= abs(excess) - 1e-12)]
show("P8 n=2 exact [p_one, p_two]", P8_P)
show("P8 enumerated (1 + k) / (T + 1) [p_one, p_two]", [counted(p, len(means)) for p in P8_P])
show("P8 population [q05, q20, q95, mde]", [q05, q20, q95, q95 - q20])
# With no more pairs than draws the library enumerates them: type-7 quantiles of the 28 means.
e05, e20, e95 = np.quantile(means, [0.05, 0.20, 0.95])  # numpy's default is type 7
show("P8 exact type-7 [q05, q20, q95, mde]", [e05, e20, e95, e95 - e20])
assert np.abs(means + excess - q95).min() > 1e-6, "power must not hinge on a tie"
show("P8 power at observed excess: P(mean + excess > q95)", np.mean(means + excess > q95))
ok = [k for k, (i, j) in enumerate(pairs) if abs(P8_DAYS[i] - P8_DAYS[j]) >= 3]
show("P8 spacing 3 days: number of admissible pairs", len(ok))
P8S = [np.mean(means[ok] >= obs - 1e-12), np.mean(np.abs(means[ok] - P8.mean()) >= abs(excess) - 1e-12)]
show("P8 spacing 3 days exact [p_one, p_two]", P8S)
show("P8 spacing 3 days enumerated (1 + k) / (T + 1)", [counted(p, len(ok)) for p in P8S])

# Monte Carlo where enumeration is too dear: N = 60, n = 3 has C(60, 3) = 34,220 > 10,000 draws.
MC60 = np.array([((i * 37) % 61 - 30) / 1000 for i in range(60)])
MC60_EV = [0.012, 0.015, 0.018]
mc_means = np.array([np.mean(c) for c in itertools.combinations(MC60, 3)])
mc_obs = np.mean(MC60_EV)
show("MC60 n=3 exact shares [p_one, p_two]",
     [np.mean(mc_means >= mc_obs - 1e-12), np.mean(np.abs(mc_means - MC60.mean()) >= abs(mc_obs - MC60.mean()) - 1e-12)])

# EventStats end to end: EV3 against BASE12 (dates 2024-01-01 ..), all C(12, 3) triples
means = np.array([np.mean(c) for c in itertools.combinations(BASE12, 3)])
obs = EV3.mean()
EV3P = [np.mean(means >= obs - 1e-12), np.mean(np.abs(means - BASE12.mean()) >= abs(obs - BASE12.mean()) - 1e-12)]
show("EV3 vs BASE12 placebo exact [p_one, p_two]", EV3P)
show("EV3 vs BASE12 enumerated (1 + k) / (T + 1), T = 220", [counted(p, len(means)) for p in EV3P])
ev3_q = np.quantile(means, [0.05, 0.20, 0.95])
show("EV3 vs BASE12 type-7 [q05, q20, q95] of the 220 triple means", ev3_q)

# ---------------------------------------------------------------- multiplicity
print("\n## multiplicity: statsmodels.stats.multitest.multipletests")
PV = np.array([0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9])
show("holm(PV)", multipletests(PV, method="holm")[1])
show("fdr_bh(PV)", multipletests(PV, method="fdr_bh")[1])
PV2 = np.array([0.5, 0.001, 0.3, 0.02])
show("holm(PV2)", multipletests(PV2, method="holm")[1])
show("fdr_bh(PV2)", multipletests(PV2, method="fdr_bh")[1])
show("holm([0.5]), fdr_bh([0.5])", [multipletests([0.5], method="holm")[1][0], multipletests([0.5], method="fdr_bh")[1][0]])

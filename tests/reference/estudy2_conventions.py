#!/usr/bin/env python3
"""estudy2's own conventions, re-implemented to explain where its published numbers differ.

Re-implements estudy2 @ 14946383b9d1's parametric tests (R/parametric_tests.R,
R/car_parametric_tests.R, R/apply_market_model.R) on tests/fixtures/estudy2_rates.csv, and prints
the columns of its vignette's `parametric_tests()` table (docs/articles/estudy2-intro.html, the
same numbers as docs/reference/*.html). Every published column is reproduced to the printed
digits. Where estudy2 differs from classic_reference.py (and the crate):
  * it standardises each AR with sd(estimation residuals), divisor L - 1 (not L - 2);
  * it takes the market's mean and S_mm over every estimation date, also where the stock has
    no return (ZM, UBER), while its 1/L term and Patell's sum of (L-2)/(L-4) use the stock's
    complete cases.
AAR (`mean`) and the cross-sectional t (`t_test`) do not depend on either and agree exactly.

Published (vignette), per event day 2020-03-16..20:
  mean     0.02329740 -0.03157867 -0.01617850 0.07672027 0.05840545
  t_test   1.3941497 -1.2769075 -0.4023135 1.7958275 5.1233281
  patell   2.5507399 -2.9495613 0.3283654 8.4216222 6.3196352
  boehmer  1.20471169 -1.17531339 0.07606284 2.16657728 8.65212561
  bw_1980  2.486449 -3.370281 -1.726675 8.188085 6.233409
  bw_1985  1.858514 -2.519140 -1.290615 6.120241 4.659205
  lamb     1.620049 -2.435456 -1.254626 6.105794 4.565195
  car_lamb 3.846464, car_brown_warner_1985 3.948093 (car_mean 0.02213319, the mean daily AAR)

Run: python3 tests/reference/estudy2_conventions.py
"""
from pathlib import Path

import numpy as np
import pandas as pd

fixture = Path(__file__).resolve().parent / ".." / "fixtures" / "estudy2_rates.csv"
df = pd.read_csv(fixture, na_values=["NA"], parse_dates=["date"])
S = ["AMZN","ZM","UBER","NFLX","SHOP","FB","UPWK"]
est = (df.date >= "2019-04-01") & (df.date <= "2020-03-13")
ev = (df.date >= "2020-03-16") & (df.date <= "2020-03-20")
m = df.GSPC.to_numpy()
res = {}
delta = []
ab = pd.DataFrame(index=df.index)
sar = []
mE = m[est & df.GSPC.notna()]
for s in S:
    cc = est & df[s].notna() & df.GSPC.notna()
    y, x = df.loc[cc, s].to_numpy(), m[cc]
    b, a = np.polyfit(x, y, 1)
    ab[s] = df[s] - a - b * m
    L = cc.sum(); delta.append(L)
    sd = ab.loc[cc, s].std(ddof=1)
    # estudy2: market mean / Smm over the regressor on ALL estimation dates (not only complete cases)
    mkt_est = df.loc[est, "GSPC"].dropna().to_numpy()
    mb = mkt_est.mean(); smm = ((mkt_est - mb) ** 2).sum()
    sar.append(ab.loc[ev, s].to_numpy() / sd / np.sqrt(1 + 1 / L + (m[ev] - mb) ** 2 / smm))
    print(s, "L", L, "alpha", a, "beta", b)
sar = np.array(sar); delta = np.array(delta); N = len(S)
evab = ab.loc[ev].to_numpy().T
mean = evab.mean(0)
estab = ab.loc[est, S]
bw80 = mean / (np.sqrt(estab.var(ddof=1).sum()) / N)
bw85 = mean / estab.mean(axis=1, skipna=True).std(ddof=1)
tt = mean / evab.std(0, ddof=1) * np.sqrt(N)
pt = sar.sum(0) / np.sqrt(((delta - 2) / (delta - 4)).sum())
bh = sar.mean(0) / sar.std(0, ddof=1) * np.sqrt(N)
mkt_est = df.loc[est, "GSPC"].dropna().to_numpy(); mb = mkt_est.mean(); smm = ((mkt_est - mb) ** 2).sum()
lmb = mean / (estab.mean(axis=1).std(ddof=1) * np.sqrt(1 + 1 / delta.mean() + (m[ev] - mb) ** 2 / smm))
for name, v in [("mean", mean), ("bw_1980", bw80), ("bw_1985", bw85), ("t_test", tt), ("patell", pt), ("boehmer", bh), ("lamb", lmb)]:
    print(f"{name:8s}", " ".join(f"{x:.7g}" for x in v))
print("car_mean", mean.mean(), "car_lamb", lmb.sum() / np.sqrt(5), "car_bw_1985", bw85.sum() / np.sqrt(5))
print("n market rows in est window", len(mkt_est), "GSPC NA in window", df.loc[est, 'GSPC'].isna().sum())

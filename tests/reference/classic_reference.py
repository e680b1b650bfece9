#!/usr/bin/env python3
"""Independent reference values for the classic (market-model) event study on estudy2's data.

Provenance
----------
Input: ``tests/fixtures/estudy2_rates.csv`` (see ``tests/fixtures/README.md``), a plain-CSV
export of ``data/rates.rda`` + ``data/rates_indx.rda`` of the R package estudy2
(irudnyts/estudy2 @ 14946383b9d1): daily LOG returns (continuous compounding) of AMZN, ZM, UBER,
NFLX, SHOP, FB, UPWK and of the S&P 500 (column ``GSPC``), 2019-04-02..2020-03-31, 252 rows,
``NA`` = missing (ZM: 13 rows before its IPO, UBER: 28). The returns are used as given (not
converted to simple returns). The study is the one of estudy2's vignette: market model estimated
on 2019-04-01..2020-03-13, event window 2020-03-16..2020-03-20 (COVID crash), one common event
date for all seven stocks.

Everything below is computed straight from the CSV with pandas/numpy/scipy; alpha and beta come
from ``statsmodels.api.OLS(y, add_constant(x)).fit()``, everything else from the formulas:

Samples
  * securities i = the 7 stock columns in file order; market m = GSPC; N = 7;
  * estimation window: rows dated 2019-04-01..2020-03-13 inclusive where both R_i and R_m are
    present; L_i = number of such rows (smaller for ZM and UBER);
  * event window: the rows dated 2020-03-16..2020-03-20 inclusive (5 trading days), L2 = 5.

Market model (MacKinlay 1997, "Event Studies in Economics and Finance", JEL 35(1), eqs. (7)-(12))
  R_it = alpha_i + beta_i R_mt + e_it                    (OLS on the estimation rows)
  sigma2_i = sum(resid^2) / (L_i - 2)
  mbar_i = mean of R_m over the stock's estimation rows; Smm_i = sum (R_m - mbar_i)^2 over them
  AR_it = R_it - alpha_i - beta_i R_mt                   (each event day)
  Var(AR_it) = sigma2_i (1 + 1/L_i + (R_mt - mbar_i)^2 / Smm_i)     (MacKinlay eq. 14's diagonal)
  SAR_it = AR_it / sqrt(Var(AR_it))
  CAR_i = sum_t AR_it
  Var(CAR_i) = sigma2_i (L2 + L2^2/L_i + (sum_t (R_mt - mbar_i))^2 / Smm_i)
               = 1' V_i 1 with V_i = sigma2_i (I + X* (X'X)^-1 X*')   (MacKinlay eqs. 14-17;
               X = [1, R_m] on the estimation rows, X* = [1, R_m] on the event rows; both forms
               are computed and asserted equal to 1e-12 relative)
  SCAR_i = CAR_i / sqrt(Var(CAR_i))

Brown and Warner (1980, 1985): see the comments at the end of main().

Cross-sectional tests, per event day t (and for the CAR window with AR -> CAR, SAR -> SCAR)
  AAR_t = mean_i AR_it;  CAAR = mean_i CAR_i
  cross-sectional t = AAR_t / (sd_i(AR_it, ddof=1) / sqrt(N))                  ~ t(N-1)
  Patell (1976) Z = sum_i SAR_it / sqrt(sum_i (L_i - 2)/(L_i - 4))            ~ N(0, 1)
    (Patell J.M., "Corporate forecasts of earnings per share and stock price behavior:
    empirical tests", Journal of Accounting Research 14(2):246-276, 1976)
  BMP t = mean_i SAR_it / (sd_i(SAR_it, ddof=1) / sqrt(N))                    ~ t(N-1)
    (Boehmer E., Musumeci J., Poulsen A.B., "Event-study methodology under conditions of
    event-induced variance", Journal of Financial Economics 30(2):253-272, 1991)
  p-values are two-sided: 2 * sf(|stat|) of scipy.stats.t(N-1) or scipy.stats.norm.

Run
  python3 tests/reference/classic_reference.py [path/to/estudy2_rates.csv]
(default path: <script dir>/../fixtures/estudy2_rates.csv, the copy bundled in tests/fixtures/). Numbers are printed with 15 significant digits.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats

DEFAULT_FIXTURE = Path(__file__).resolve().parent / ".." / "fixtures" / "estudy2_rates.csv"
SECURITIES = ["AMZN", "ZM", "UBER", "NFLX", "SHOP", "FB", "UPWK"]
MARKET = "GSPC"
EST_START, EST_END = pd.Timestamp("2019-04-01"), pd.Timestamp("2020-03-13")
EV_START, EV_END = pd.Timestamp("2020-03-16"), pd.Timestamp("2020-03-20")
L2 = 5


def g(x):
    return f"{float(x):.15g}"


def gl(xs):
    return "[" + ", ".join(g(x) for x in xs) + "]"


def p_t(stat, df):
    return 2.0 * stats.t.sf(abs(stat), df)


def p_norm(stat):
    return 2.0 * stats.norm.sf(abs(stat))


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FIXTURE
    df = pd.read_csv(path, na_values=["NA"], parse_dates=["date"])
    assert list(df.columns) == ["date"] + SECURITIES + [MARKET], list(df.columns)
    assert df["date"].is_monotonic_increasing and df["date"].is_unique
    assert len(df) == 252, len(df)

    est = df[(df["date"] >= EST_START) & (df["date"] <= EST_END)]
    ev = df[(df["date"] >= EV_START) & (df["date"] <= EV_END)]
    assert len(ev) == L2, ev["date"].tolist()
    assert not ev[SECURITIES + [MARKET]].isna().any().any(), "event window has a missing return"
    ev_dates = [d.strftime("%Y-%m-%d") for d in ev["date"]]
    rm_ev = ev[MARKET].to_numpy()
    N = len(SECURITIES)

    print(f"# classic_reference.py: numpy {np.__version__}, pandas {pd.__version__}, "
          f"scipy {scipy.__version__}, statsmodels {statsmodels.__version__}")
    print(f"# fixture {path.name}: {len(df)} rows {df['date'].iloc[0]:%Y-%m-%d}..{df['date'].iloc[-1]:%Y-%m-%d}")
    print(f"# estimation {EST_START:%Y-%m-%d}..{EST_END:%Y-%m-%d} (complete cases), "
          f"event {ev_dates[0]}..{ev_dates[-1]} (L2 = {L2}), N = {N}")
    print(f"event_dates = {ev_dates}")
    print(f"market_event_returns = {gl(rm_ev)}")

    AR = np.empty((N, L2))
    VAR_AR = np.empty((N, L2))
    CAR = np.empty(N)
    VAR_CAR = np.empty(N)
    L = np.empty(N, dtype=int)
    SIGMA2 = np.empty(N)
    VAR_DDOF1 = np.empty(N)
    est_resid = pd.DataFrame(index=est["date"])

    print("\n## per security")
    for i, name in enumerate(SECURITIES):
        e = est[[name, MARKET]].dropna()
        y = e[name].to_numpy()
        x = e[MARKET].to_numpy()
        Li = len(y)
        fit = sm.OLS(y, sm.add_constant(x)).fit()
        alpha, beta = fit.params
        resid = y - alpha - beta * x
        sigma2 = np.sum(resid**2) / (Li - 2)
        assert abs(sigma2 - fit.scale) <= 1e-12 * sigma2
        mbar = x.mean()
        smm = np.sum((x - mbar) ** 2)

        r_ev = ev[name].to_numpy()
        ar = r_ev - alpha - beta * rm_ev
        var_ar = sigma2 * (1.0 + 1.0 / Li + (rm_ev - mbar) ** 2 / smm)
        car = ar.sum()
        var_car = sigma2 * (L2 + L2**2 / Li + np.sum(rm_ev - mbar) ** 2 / smm)

        # matrix form (MacKinlay eq. 14): V = sigma2 (I + X* (X'X)^-1 X*'), Var(CAR) = 1'V1
        X = np.column_stack([np.ones(Li), x])
        Xs = np.column_stack([np.ones(L2), rm_ev])
        V = sigma2 * (np.eye(L2) + Xs @ np.linalg.inv(X.T @ X) @ Xs.T)
        var_car_m = np.ones(L2) @ V @ np.ones(L2)
        assert abs(var_car_m - var_car) <= 1e-12 * var_car, (name, var_car, var_car_m)
        assert np.allclose(np.diag(V), var_ar, rtol=1e-12, atol=0.0), name

        AR[i], VAR_AR[i], CAR[i], VAR_CAR[i], L[i] = ar, var_ar, car, var_car, Li
        SIGMA2[i], VAR_DDOF1[i] = sigma2, np.var(resid, ddof=1)
        est_resid[name] = pd.Series(resid, index=est.loc[e.index, "date"].to_numpy())
        print(f"{name}: L = {Li}")
        print(f"  alpha = {g(alpha)}")
        print(f"  beta = {g(beta)}")
        print(f"  sigma2 = {g(sigma2)}")
        print(f"  mbar = {g(mbar)}")
        print(f"  Smm = {g(smm)}")
        print(f"  AR = {gl(ar)}")
        print(f"  VarAR = {gl(var_ar)}")
        print(f"  CAR = {g(car)}")
        print(f"  VarCAR = {g(var_car)}")

    SAR = AR / np.sqrt(VAR_AR)
    SCAR = CAR / np.sqrt(VAR_CAR)
    patell_den = np.sqrt(np.sum((L - 2) / (L - 4)))

    def tests(ar, sar):
        mean = ar.mean(axis=0)
        cs_t = mean / (ar.std(axis=0, ddof=1) / np.sqrt(N))
        patell = sar.sum(axis=0) / patell_den
        bmp = sar.mean(axis=0) / (sar.std(axis=0, ddof=1) / np.sqrt(N))
        return mean, cs_t, patell, bmp

    print("\n## per event day: AAR, cross-sectional t (p, t(N-1)), Patell Z (p, normal), BMP t (p, t(N-1))")
    aar, cs_t, patell, bmp = tests(AR, SAR)
    for t, d in enumerate(ev_dates):
        print(f"{d}: AAR = {g(aar[t])}")
        print(f"  cs_t = {g(cs_t[t])}  cs_p = {g(p_t(cs_t[t], N - 1))}")
        print(f"  patell_z = {g(patell[t])}  patell_p = {g(p_norm(patell[t]))}")
        print(f"  bmp_t = {g(bmp[t])}  bmp_p = {g(p_t(bmp[t], N - 1))}")
    print(f"SAR (rows = securities) = [{', '.join(gl(r) for r in SAR)}]")

    print(f"\n## CAR window {ev_dates[0]}..{ev_dates[-1]}")
    caar, ccs_t, cpatell, cbmp = tests(CAR[:, None], SCAR[:, None])
    caar, ccs_t, cpatell, cbmp = caar[0], ccs_t[0], cpatell[0], cbmp[0]
    print(f"CAAR = {g(caar)}")
    print(f"  cs_t = {g(ccs_t)}  cs_p = {g(p_t(ccs_t, N - 1))}")
    print(f"  patell_z = {g(cpatell)}  patell_p = {g(p_norm(cpatell))}")
    print(f"  bmp_t = {g(cbmp)}  bmp_p = {g(p_t(cbmp, N - 1))}")
    print(f"SCAR = {gl(SCAR)}")
    print(f"sum (L_i - 2)/(L_i - 4) = {g(patell_den**2)}")

    # Brown and Warner (1980): t = AAR_t / (sqrt(sum_i var_i) / N), Student t(df); here with the
    # market model's sigma2_i (divisor L_i - 2) and df = 233 (floor(mean L) - 1), and with
    # estudy2's convention (residual variance with divisor L_i - 1).
    # Brown and Warner (1985), crude dependence adjustment: Abar_tau = mean over the stocks
    # with a residual on estimation date tau (pandas skipna), S = sd(Abar, ddof=1) over the T
    # estimation dates, t = AAR_t / S ~ t(T - 1).
    abar = est_resid.mean(axis=1, skipna=True).to_numpy()
    T = len(abar)
    s85 = np.std(abar, ddof=1)
    print(f"\n## Brown-Warner (T = {T} estimation dates)")
    print(f"estimation_aar_sd = {g(s85)}  estimation_aar_first3 = {gl(abar[:3])}")
    for t, d in enumerate(ev_dates):
        bw80 = aar[t] / (np.sqrt(SIGMA2.sum()) / N)
        bw80_e2 = aar[t] / (np.sqrt(VAR_DDOF1.sum()) / N)
        bw85 = aar[t] / s85
        print(f"{d}: bw1980 = {g(bw80)}  p(t233) = {g(p_t(bw80, 233))}  bw1980_estudy2 = {g(bw80_e2)}"
              f"  bw1985 = {g(bw85)}  p(t{T - 1}) = {g(p_t(bw85, T - 1))}")

    # Sign tests and the Wilcoxon signed-rank test, per event day and for the CARs.
    #  sign: n_pos = #{AR > 0} of the n nonzero ARs; z = (2 n_pos - n) / sqrt(n) ~ N(0, 1);
    #        exact p = scipy.stats.binomtest(n_pos, n, 0.5).pvalue (two-sided).
    #  generalized sign (Cowan 1992): p_hat = mean_i (#{estimation AR_i > 0} / L_i);
    #        z = (n_pos - N p_hat) / sqrt(N p_hat (1 - p_hat)) ~ N(0, 1).
    #  Wilcoxon signed-rank: W+ = sum of the ranks of |AR| over the positive ARs (no zeros or
    #        ties here); exact two-sided p = scipy.stats.wilcoxon(x, method="exact").pvalue.
    p_hat = float(np.mean([(est_resid[name].dropna() > 0).mean() for name in SECURITIES]))
    print(f"\n## sign tests and Wilcoxon (generalized sign p_hat = {g(p_hat)})")
    columns = [(d, AR[:, t]) for t, d in enumerate(ev_dates)] + [("CAR", CAR)]
    for label, x in columns:
        nz = x[x != 0]
        n, n_pos = len(nz), int((nz > 0).sum())
        z = (2 * n_pos - n) / np.sqrt(n)
        p_exact = scipy.stats.binomtest(n_pos, n, 0.5).pvalue
        gz = (n_pos - N * p_hat) / np.sqrt(N * p_hat * (1 - p_hat))
        ranks = scipy.stats.rankdata(np.abs(nz))
        w_plus = float(ranks[nz > 0].sum())
        w = scipy.stats.wilcoxon(nz, method="exact")
        print(f"{label}: n_pos = {n_pos}  sign_z = {g(z)}  sign_p_norm = {g(p_norm(z))}  sign_p_exact = {g(p_exact)}"
              f"  gsign_z = {g(gz)}  gsign_p = {g(p_norm(gz))}  w_plus = {g(w_plus)}  wilcoxon_p = {g(w.pvalue)}")


if __name__ == "__main__":
    main()

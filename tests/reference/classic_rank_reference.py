#!/usr/bin/env python3
"""Independent reference values for rank, sign and correlation-adjusted event-study tests on estudy2's data.

Provenance
----------
Input: ``tests/fixtures/estudy2_rates.csv`` (see ``tests/fixtures/README.md``): daily LOG returns
of AMZN, ZM, UBER, NFLX, SHOP, FB, UPWK and the S&P 500 (``GSPC``) from estudy2
(irudnyts/estudy2 @ 14946383b9d1, ``data/rates.rda`` + ``data/rates_indx.rda``), 2019-04-02..
2020-03-31, 252 rows, ``NA`` = missing (ZM: 13 rows before its IPO, UBER: 28). Returns are used
as given. Everything is computed from the CSV with pandas/numpy/scipy (alpha, beta from
``statsmodels.api.OLS``); nothing is copied from estudy2 except the published numbers that
Part A asserts against.

Study (the one of estudy2's vignette, as in classic_reference.py)
  * securities i = the 7 stock columns in file order, N = 7; market m = GSPC;
  * estimation window: dates 2019-04-01..2020-03-13 (240 dates); stock i uses the L_i dates
    where both R_i and R_m are present: L = [240, 227, 212, 240, 240, 240, 240];
  * event window: 2020-03-16..2020-03-20, 5 dates, tau = 0..4 (tau 0 = 2020-03-16); the CAR
    window is the whole event window ("car 0:4"). No trading date lies between the windows,
    so the combined window (estimation + event) is one block of 245 dates.
  * market model by OLS on the stock's L_i rows: R_it = alpha_i + beta_i R_mt + e_it;
    sigma2_i = SSE_i / (L_i - 2); mbar_i, Smm_i = mean and sum of squared deviations of R_m
    over the stock's L_i rows;
  * AR_it = R_it - alpha_i - beta_i R_mt on every date where R_it is present (estimation and
    event dates; on estimation dates AR = the OLS residual);
  * SAR_it = AR_it / sqrt(sigma2_i (1 + 1/L_i + (R_mt - mbar_i)^2 / Smm_i)) on EVERY date,
    estimation dates included (the forecast-error standardisation of Campbell, Lo and MacKinlay
    1997, sec. 4.4.3, which GRANK prescribes for all days; no test below uses another one);
  * for an event-day window W (|W| = L_W days): CAR_i = sum_{t in W} AR_it,
    Var(CAR_i) = sigma2_i (L_W + L_W^2 / L_i + (sum_{t in W} (R_mt - mbar_i))^2 / Smm_i)
    (MacKinlay 1997 eqs. 14-17, i.e. 1'V_i 1, covariance of the forecast errors included),
    SCAR_i = CAR_i / sqrt(Var(CAR_i)); for a one-day window SCAR_i = SAR_it.

p-values are two-sided, 2 * sf(|stat|) of the stated null distribution (scipy.stats).


Part A: estudy2's own conventions (prefix ``estudy2``)
======================================================
Re-implemented from estudy2 @ 14946383b9d1: R/parametric_tests.R (lamb), R/car_parametric_tests.R
(car_lamb), R/nonparametric_tests.R (sign_test, generalized_sign_test, corrado_sign_test,
rank_test, modified_rank_test, wilcoxon_test), R/car_nonparametric_tests.R (car_rank_test),
R/apply_market_model.R (abnormal returns). estudy2 has no CAR version of the sign, Corrado sign
or modified rank tests: its CAR functions are car_lamb, car_brown_warner_1985 (in
estudy2_conventions.py) and car_rank_test only.

How estudy2 builds its inputs (apply_market_model.R, returns.zoo): the stock and the regressor
are merged over all dates; lm(y ~ x) on the complete cases inside the estimation dates (= the
alpha, beta above); abnormal = observed - predicted on every merged date, NA where the stock is
NA. The nonparametric tests take, per stock, the abnormal values on the estimation dates
followed by those on the event dates (NA included) and merge the stocks by date; the "full"
matrix is 245 dates x 7 with NA for ZM (13) and UBER (28).

R quirk used throughout (reproduced, it matters): a daily "sum" over stocks is written
``rowMeans(x, na.rm = TRUE) * ncol(x)``, i.e. (N / N_t) * sum_{i present} x_it with N = 7 and
N_t = number of stocks present on date t. On the 28 dates where ZM and/or UBER are missing
(N_t = 5 on 13 dates, 6 on 15) this is NOT the row sum: it inflates it by 7/5 or 7/6. The
published csign, rank and mrank values are reproduced only with this inflation (with true row
sums they would be the ``estudy2_rowsums`` lines). Event dates have N_t = N, so only the
denominators are affected. Below, S*_t denotes this inflated sum, n_t = N_t, and
Mbar = mean_i(M_i) with M_i = number of non-NA abnormal returns of stock i in the combined
window (M = [245, 232, 217, 245, 245, 245, 245], Mbar = 239.142857...).
All estudy2 tests print significance stars only (no p-values); the stars are |stat| >=
qnorm(0.95), qnorm(0.975), qnorm(0.995) -> *, **, *** (two-sided 10/5/1 % under N(0, 1)),
except Wilcoxon (below). The p printed here is 2 * norm.sf(|stat|) (exact for Wilcoxon).

lamb (parametric_tests.R):
    Abar_t^est = mean over the stocks present of AR_it on each estimation date (rowMeans na.rm);
    s = sd(Abar^est) with divisor (240 - 1);
    mbar, Smm over the regressor of the FIRST stock (AMZN) on all 240 estimation dates;
    stat_t = AAR_t / (s * sqrt(1 + 1/mean_i(L_i) + (R_mt - mbar)^2 / Smm)),  ~ N(0, 1).
    (Lamb R.P., "An exposure-based analysis of property-liability insurer stock values around
    Hurricane Andrew", Journal of Risk and Insurance 62(1):111-123, 1995: a portfolio test, the
    equally weighted portfolio's AR over its estimation-period sd with a forecast-error term.
    The paper itself was not available here; relative to the textbook portfolio market-model
    forecast error, estudy2 uses the sd with divisor T - 1 (not T - 2) of the daily mean AR
    (not the residual of a portfolio regression), 1/mean_i(L_i) for 1/L, and the market
    moments over all 240 dates, while the mean AR averages over the stocks present.)
car_lamb (car_parametric_tests.R): days with > 90 % of stocks present (all 5 here);
    stat = sum_t lamb_t / sqrt(L2), ~ N(0, 1); car_mean = mean_t AAR_t (the mean DAILY AAR,
    not the CAAR).
sign_test:
    stat_t = (S*_t(1{AR > 0}) - 0.5 n_t) / sqrt(0.25 n_t),  ~ N(0, 1). A zero AR would count as
    "not positive" and stay in n_t (there are none).
generalized_sign_test:
    p_hat = mean of 1{AR > 0} over ALL present estimation stock-days POOLED (1639 stock-days,
    p_hat = 0.496644...); stat_t = (S*_t(1{AR > 0}) - n_t p_hat) / sqrt(n_t p_hat (1 - p_hat)).
    Cowan (1992) averages the per-stock fractions, p_hat = (1/N) sum_i (1/L_i) sum_t 1{AR_it > 0}
    (0.496381..., the value classic_reference.py uses); with it the statistics would be the
    ``estudy2_rowsums gsign`` line. The published values match the pooled p_hat only.
corrado_sign_test (Corrado and Zivney 1992):
    med_i = median of stock i's M_i combined-window ARs (NA dropped); G_it = sign(AR_it - med_i)
    (an odd M_i leaves one G = 0: M_i = 245 for five stocks);
    S_G = sqrt( (1/Mbar) sum_{t in combined window} (S*_t(G) / sqrt(n_t))^2 );
    stat_t = S*_t(G) / sqrt(n_t) / S_G  (event dates: sum_i G_it / sqrt(N) / S_G),  ~ N(0, 1).
    Departures from CZ 1992: divisor Mbar (mean number of observations per stock) instead of
    T = number of dates (245); the S*_t inflation on dates with missing stocks.
rank_test (Corrado 1989):
    K_it = rank of AR_it among stock i's M_i combined-window ARs (R rank, ties "average",
    NA kept as NA); Kbar_i = mean_t K_it = (M_i + 1)/2;
    S_K = sqrt( (1/Mbar) sum_t ((1/n_t) S*_t(K - Kbar))^2 );
    stat_t = (1/n_t) S*_t(K - Kbar) / S_K  (event dates: mean_i (K_it - Kbar_i) / S_K), ~ N(0,1).
    Departures from Corrado 1989 (who had no missing values: K_it - (T+1)/2 with a common T):
    raw ranks are demeaned per stock but not rescaled, so ZM's and UBER's ranks span a shorter
    range; divisor Mbar instead of T; the S*_t inflation.
modified_rank_test (Corrado and Zivney 1992 / Kolari and Pynnonen 2010 standardisation):
    U_it = K_it / (1 + M_i);  S_U = sqrt( (1/Mbar) sum_t (S*_t(U - 1/2) / sqrt(n_t))^2 );
    stat_t = S*_t(U - 1/2) / sqrt(n_t) / S_U,  ~ N(0, 1).
    Departures: divisor Mbar instead of T; the S*_t inflation (the textbook version, with row
    sums and T = 245, is the Part B ``rank`` line).
wilcoxon_test:
    W+_t = sum of the ranks of |AR_it| (zero ARs dropped) over the positive AR_it; exact null
    distribution of the signed-rank statistic for n_t = 7 (p here: scipy.stats.wilcoxon exact,
    two-sided). estudy2's stars are asymmetric: upper tail W >= qsignrank(1 - a, n) (a one-sided
    level a), lower tail W <= n(n+1)/2 - qsignrank(1 - a/2, n) (a/2); reproduced and asserted.
car_rank_test (car_nonparametric_tests.R; cites Corrado 1989 and Cowan 1992):
    K_it as in rank_test; mean_rank = mean_i Kbar_i (the mean over stocks of their mean ranks,
    = 120.071428...; Kbar = [123, 116.5, 109, 123, 123, 123, 123]); event dates with > 90 % of stocks present (all 5);
    stat = sqrt(L2) (mean of all event-window K_it - mean_rank)
           / sqrt( (1/Mbar) sum_t (mean_{i present} K_it - mean_rank)^2 ),  ~ N(0, 1).
    Departures from Cowan (1992) / Campbell and Wasley (1993): ranks are not demeaned per stock
    (raw ranks of ZM and UBER are compared with the common mean_rank, so the pre-IPO dates,
    where only the long-history stocks are averaged, and all of ZM/UBER's dates are shifted);
    divisor Mbar instead of T. (Here rowMeans is a plain mean, no inflation.)

Published values (estudy2 @ 14946383b9d1; all reproduced to every printed digit, asserted by
this script, significance stars included):
  docs/articles/estudy2-intro.html (vignette, nonparametric_tests() and parametric_tests()
  tables) and, identical, docs/reference/{lamb,sign_test,generalized_sign_test,
  corrado_sign_test,rank_test,modified_rank_test,wilcoxon_test}.html, per day 2020-03-16..20:
    mean        0.02329740 -0.03157867 -0.01617850  0.07672027  0.05840545
    lmb_stat    1.620049   -2.435456   -1.254626    6.105794    4.565195    (  ** .  *** ***)
    sign_stat   1.1338934   0.3779645   1.1338934   1.8898224   2.6457513  (.  .  .  *   ***)
    gsign_stat  1.1516761   0.3957301   1.1516761   1.9076220   2.6635680  (.  .  .  *   ***)
    csign_stat  0.8636930   0.2878977   0.8636930   1.4394883   2.0152836  (.  .  .  .   ** )
    rank_stat   0.7962064  -0.1857202   1.0205417   2.1127972   2.9255529  (.  .  .  **  ***)
    mrank_stat  0.8499246  -0.2283881   0.9865178   2.1665371   2.9786668  (.  .  .  **  ***)
    wlcx_stat   23          10          15          27          28          (*  .  .  *** ***)
  docs/reference/car_lamb.html:      car_lamb statistic 3.846464, car_mean 0.02213319 (***)
  docs/reference/car_rank_test.html: car_rank_test statistic 3.0537 (***)
  Agreement is asserted to half a unit in the last printed decimal: mean 7 significant digits
  (8 decimals), lmb_stat 7 (6 decimals), sign/gsign/csign/rank/mrank 7-8 (7 decimals),
  wlcx_stat exact integers, car_lamb 7, car_mean 7, car_rank 5 (4 decimals, all R printed).


Part B: textbook tests (each per event day "day t" and for the CAR window "car 0:4")
=====================================================================================
Kolari & Pynnonen (2010): adjusted Patell Z and adjusted BMP t (prefixes adj_patell, adj_bmp;
the unadjusted patell, bmp lines equal classic_reference.py's)
    Kolari J.W., Pynnonen S., "Event study testing with cross-sectional correlation of abnormal
    returns", Review of Financial Studies 23(11):3996-4025, 2010; EventStudyTools,
    "Significance Tests" (https://www.eventstudytools.com/significance-tests), "Adjusted Patell
    Z" and "Adjusted Standardized Cross-Sectional Test".
    Patell Z = sum_i SCAR_i / sqrt(sum_i (L_i - 2)/(L_i - 4))      (Patell 1976)
    BMP t    = mean_i SCAR_i / (sd_i(SCAR_i, ddof=1) / sqrt(N))    (Boehmer et al. 1991)
    rbar = mean over the 21 pairs (i < j) of the Pearson correlation of the stocks'
      estimation-window residuals e_it, each pair over its PAIRWISE COMPLETE dates (pandas
      DataFrame.corr: the pair's own means over the overlap; pairs with ZM or UBER use 227 /
      212 dates, ZM-UBER 212);
    adj = sqrt((1 - rbar) / (1 + (N - 1) rbar));
    adj_patell = Patell Z * adj  ~ N(0, 1);
    adj_bmp = BMP t * adj, p = N(0, 1) (treated as asymptotically standard normal by KP 2010;
      EventStudyTools calls it "Adjusted StdCSect Z"); p_t = t(N - 1) is printed as well.
    The same rbar and factor are used for the CAR window (as EventStudyTools does at the CAAR
    level: the correlation of cumulated standardised residuals is taken to be the daily one).

Corrado (1989) rank test with the Corrado & Zivney (1992) standardisation (prefix rank) and
the Campbell & Wasley (1993) / Cowan (1992) CAR version (line "rank car 0:4")
    Corrado C.J., "A nonparametric test for abnormal security-price performance in event
    studies", Journal of Financial Economics 23(2):385-395, 1989.
    Corrado C.J., Zivney T.L., "The specification and power of the sign test in event study
    hypothesis tests using daily stock returns", Journal of Financial and Quantitative
    Analysis 27(3):465-478, 1992.
    Campbell C.J., Wasley C.E., "Measuring security price performance using daily NASDAQ
    returns", Journal of Financial Economics 33(1):73-92, 1993.
    Cowan A.R., "Nonparametric event study tests", Review of Quantitative Finance and
    Accounting 2(4):343-358, 1992.
    K_it = rank of AR_it among stock i's M_i ARs of the combined window (estimation + event,
      ties averaged; M_i = L_i + 5); U_it = K_it / (M_i + 1) - 1/2 (missing: none);
    Ubar_t = mean over the N_t stocks present of U_it, for each of the T = 245 combined dates;
    S_U = sqrt( (1/T) sum_{t=1..T} (N_t / N) Ubar_t^2 )
        (= the sqrt(N_t) form sqrt((1/T) sum_t ((1/sqrt(N_t)) sum_i U_it)^2) / sqrt(N), asserted;
        the EventStudyTools "Rank Z" / Kolari-Pynnonen 2011 form; without missing data it is
        Corrado's (1/T) sum_t Ubar_t^2);
    rank day t:    stat = Ubar_t / S_U  ~ N(0, 1);
    rank car 0:4:  stat = sum_{t in W} Ubar_t / (sqrt(L_W) S_U) = sqrt(L_W) Ubar_W / S_U,
                   Ubar_W = mean over the window days of Ubar_t (N_t = N on event days)
                   ~ N(0, 1)   (the EventStudyTools CAAR rank test; Cowan 1992; CW 1993);
    rank_unweighted: the same with S_U^2 = (1/T) sum_t Ubar_t^2 (no N_t/N weight; given in case
      the daily mean is used unweighted).

Corrado & Zivney (1992) sign test (prefix csign)
    G_it = sign(AR_it - median_i), median_i over stock i's M_i combined-window ARs (the
      median observation itself gets G = 0; stocks with odd M_i have one such zero);
    S_G = sqrt( (1/T) sum_{t=1..T} ((1/sqrt(N_t)) sum_{i present} G_it)^2 ), T = 245;
    csign day t:   stat = (1/sqrt(N_t)) sum_i G_it / S_G  ~ N(0, 1);
    csign car 0:4: stat = sum_{t in W} ((1/sqrt(N_t)) sum_i G_it) / (sqrt(L_W) S_G)  ~ N(0, 1)
      (CZ 1992 derive the one-day test only; this window version is the Cowan-style sum of the
      daily statistics, the same construction as the rank CAR test; an extension, not CZ's).

Corrado (1989) with raw ranks (prefix corrado_rank; added for the crate's `rank` test)
    D_it = K_it - (M_i + 1)/2; Dbar_t = mean over the stocks present;
    S_D = sqrt( (1/T) sum_t (N_t / N) Dbar_t^2 ); stat = Dbar_t / S_D  ~ N(0, 1).

Lamb (1995), generalised (prefix lamb; added for the crate's `lamb` test)
    lamb_t = AAR_t / ( sd(daily mean estimation AR, ddof 1) * sqrt(mean_i c_it) ),
    c_it = 1 + 1/L_i + (R_mt - mbar_i)^2 / Smm_i over each stock's complete estimation rows
    (estudy2 uses 1 + 1/mean(L_i) + (R_mt - mbar)^2/Smm over all dates: Part A);
    lamb car = sum_t lamb_t / sqrt(L_W)  ~ N(0, 1).

GRANK, Kolari & Pynnonen (2011) (prefix grank)
    Kolari J.W., Pynnonen S., "Nonparametric rank tests for event studies", Journal of
    Empirical Finance 18(5):953-971, 2011; EventStudyTools "Generalized Rank T" test.
    For the window W (a single day: L_W = 1, SCAR_i = SAR_it; or the 5 days):
    SCAR*_i = SCAR_i / S_SCAR, S_SCAR = sd over i of SCAR_i (ddof = 1) (event-induced
      volatility correction);
    GSAR_it = SAR_it on the stock's L_i estimation dates, GSAR_i0 = SCAR*_i on one extra
      "cumulative day" (the other event days are not used);
    T_i = L_i + 1 values per stock; U_it = rank(GSAR_it) / (T_i + 1) - 1/2 (rank among the
      stock's own T_i values);
    T = 241 time points (240 estimation dates + the cumulative day); N_t = stocks present;
    Ubar_t = mean_i U_it; S_Ubar = sqrt( (1/T) sum_{t} (N_t / N) Ubar_t^2 );
    Z = Ubar_0 / S_Ubar (p_z: N(0, 1));
    t_grank = Z sqrt((T - 2) / (T - 1 - Z^2))  ~ t(T - 2) = t(239)  (printed as stat, p).
    SAR on estimation dates uses the forecast-error standardisation above (KP 2011 eq. 2: "the
    standard deviation of the regression prediction errors ... (CLM 1997, 4.4.3)").

Run
  python3 tests/reference/classic_rank_reference.py [path/to/estudy2_rates.csv]
(default: the copy in tests/fixtures/). 15 significant digits. Lines: "<test> day <tau> stat=...
p=..." and "<test> car 0:4 ...", estudy2 values under "estudy2 <test> ...", intermediate
quantities under "info", and estudy2 with true row sums (and Cowan's p_hat) under
"estudy2_rowsums" (not estudy2's output; for comparison only).

Output
------
  # classic_rank_reference.py: numpy 2.4.6, pandas 3.1.1, scipy 1.17.1, statsmodels 0.15.0
  # fixture estudy2_rates.csv: 252 rows; estimation 2019-04-01..2020-03-13 (240 dates), event 2020-03-16..2020-03-20 (tau 0..4), N = 7
  info L = [240, 227, 212, 240, 240, 240, 240]

  ## Part A: estudy2 conventions (every value below agrees with estudy2's published output to its printed digits; asserted)
  estudy2 info mean_L = 234.142857142857 mean_M = 239.142857142857 M = [245, 232, 217, 245, 245, 245, 245] gsign_p_hat_pooled = 0.496644295302013 sd_sign = 1.31284317986613 sd_rank = 38.8449161902805 sd_mrank = 0.42036090780431
  estudy2 mean day 0 value=0.0232973978262161
  estudy2 mean day 1 value=-0.0315786717755343
  estudy2 mean day 2 value=-0.0161785006909956
  estudy2 mean day 3 value=0.0767202708897054
  estudy2 mean day 4 value=0.0584054518322579
  estudy2 lamb day 0 stat=1.62004860920531 p=0.105221835471716
  estudy2 lamb day 1 stat=-2.43545647423914 p=0.0148730138285723
  estudy2 lamb day 2 stat=-1.25462611323685 p=0.209614519301368
  estudy2 lamb day 3 stat=6.1057944256287 p=1.02290599414368e-09
  estudy2 lamb day 4 stat=4.5651949987767 p=4.99030254337862e-06
  estudy2 sign day 0 stat=1.13389341902768 p=0.256839257957857
  estudy2 sign day 1 stat=0.377964473009227 p=0.705456986111273
  estudy2 sign day 2 stat=1.13389341902768 p=0.256839257957857
  estudy2 sign day 3 stat=1.88982236504614 p=0.0587817213553589
  estudy2 sign day 4 stat=2.64575131106459 p=0.0081509715935027
  estudy2 gsign day 0 stat=1.15167607701028 p=0.249454206380311
  estudy2 gsign day 1 stat=0.395730105756836 p=0.692304143564398
  estudy2 gsign day 2 stat=1.15167607701028 p=0.249454206380311
  estudy2 gsign day 3 stat=1.90762204826372 p=0.0564400833450949
  estudy2 gsign day 4 stat=2.66356801951716 p=0.0077316778923166
  estudy2 csign day 0 stat=0.863692965326829 p=0.387756579076405
  estudy2 csign day 1 stat=0.287897655108943 p=0.773425081914339
  estudy2 csign day 2 stat=0.863692965326829 p=0.387756579076405
  estudy2 csign day 3 stat=1.43948827554471 p=0.150012229464624
  estudy2 csign day 4 stat=2.0152835857626 p=0.0438749437888372
  estudy2 rank day 0 stat=0.796206414169331 p=0.425912070028039
  estudy2 rank day 1 stat=-0.185720202843193 p=0.852664184368593
  estudy2 rank day 2 stat=1.02054170869279 p=0.307471618843153
  estudy2 rank day 3 stat=2.11279715907751 p=0.0346181329471033
  estudy2 rank day 4 stat=2.92555289825267 p=0.00343844712890696
  estudy2 mrank day 0 stat=0.849924565265207 p=0.395367027022266
  estudy2 mrank day 1 stat=-0.228388144052373 p=0.819344505592792
  estudy2 mrank day 2 stat=0.986517757454978 p=0.32387910574806
  estudy2 mrank day 3 stat=2.16653710432412 p=0.0302701676947571
  estudy2 mrank day 4 stat=2.9786668466756 p=0.00289505364261118
  estudy2 wilcoxon day 0 stat=23 p=0.15625
  estudy2 wilcoxon day 1 stat=10 p=0.578125
  estudy2 wilcoxon day 2 stat=15 p=0.9375
  estudy2 wilcoxon day 3 stat=27 p=0.03125
  estudy2 wilcoxon day 4 stat=28 p=0.015625
  estudy2 car_lamb car 0:4 stat=3.84646420980085 p=0.00011983462598845 car_mean=0.0221331896163299
  estudy2 car_rank car 0:4 stat=3.05369986269913 p=0.0022603809987324
  estudy2_rowsums csign days 0..4 stat=[0.88585126213741, 0.295283754045803, 0.88585126213741, 1.47641877022902, 2.06698627832062]
  estudy2_rowsums rank days 0..4 stat=[0.816595462208101, -0.19047607778988, 1.04667547696419, 2.16690112257993, 3.00046970063069]
  estudy2_rowsums mrank days 0..4 stat=[0.867332365248701, -0.233065894634891, 1.00672320215416, 2.21091121246291, 3.03967465701959]
  estudy2_rowsums gsign_p_hat_cowan = 0.496381470882759 gsign days 0..4 stat=[1.15307107179075, 0.397122329100886, 1.15307107179075, 1.90901981448061, 2.66496855717048]

  ## Part B: textbook tests
  info rbar = 0.160240271435218 kp_factor = 0.65431944642862 pairs = 21 patell_den2 = 7.06095687583679
  info corr = [AMZN-ZM: 0.226342191689485, AMZN-UBER: 0.0792245938568194, AMZN-NFLX: 0.220693973594862, AMZN-SHOP: 0.243709176827076, AMZN-FB: 0.27429806494341, AMZN-UPWK: 0.110935454515639, ZM-UBER: 0.146999718083268, ZM-NFLX: 0.167185885931865, ZM-SHOP: 0.327103434465159, ZM-FB: 0.143327897950071, ZM-UPWK: 0.0637034693951604, UBER-NFLX: 0.151075812857657, UBER-SHOP: 0.260553983833416, UBER-FB: 0.0421234250165881, UBER-UPWK: 0.127525424479292, NFLX-SHOP: 0.167670270264831, NFLX-FB: 0.186063881791605, NFLX-UPWK: 0.133250516056751, SHOP-FB: 0.136879683208561, SHOP-UPWK: 0.0551322721643598, FB-UPWK: 0.101246569213706]
  patell day 0 stat=2.54443973410956 p=0.0109453197297059
  adj_patell day 0 stat=1.66487639829355 p=0.0959374178185061
  bmp day 0 stat=1.20428443704289 p=0.273826197782111
  adj_bmp day 0 stat=0.787986726188506 p=0.430704470173077 p_t=0.460692544836359
  patell day 1 stat=-2.94207406643613 p=0.00326021939361392
  adj_patell day 1 stat=-1.92505627450249 p=0.0542223184167699
  bmp day 1 stat=-1.17517887043537 p=0.284442122803111
  adj_bmp day 1 stat=-0.768942387957881 p=0.441927512457274 p_t=0.471102121732109
  patell day 2 stat=0.328962926335788 p=0.742183710347236
  adj_patell day 2 stat=0.215246839855571 p=0.829574873757489
  bmp day 2 stat=0.0763774659323792 p=0.941601910297896
  adj_bmp day 2 stat=0.0499752612284952 p=0.960142102361342 p_t=0.961764226475413
  patell day 3 stat=8.40269803046667 p=4.363356715111e-17
  adj_patell day 3 stat=5.4980487238018 p=3.84016835910551e-08
  bmp day 3 stat=2.16688669984349 p=0.0733763811532861
  adj_bmp day 3 stat=1.41783610591513 p=0.156238620137169 p_t=0.206020415088444
  patell day 4 stat=6.30573485209565 p=2.86829708185845e-10
  adj_patell day 4 stat=4.12596493774888 p=3.69183516085478e-05
  bmp day 4 stat=8.65453599612916 p=0.000131191865720832
  adj_bmp day 4 stat=5.66283120208379 p=1.48895612064064e-08 p_t=0.00130359779137047
  patell car 0:4 stat=6.36579331643061 p=1.94282907592205e-10
  adj_patell car 0:4 stat=4.16526235888588 p=3.10994718421894e-05
  bmp car 0:4 stat=2.78547807197056 p=0.0317664763742619
  adj_bmp car 0:4 stat=1.82259247009084 p=0.068365136937551 p_t=0.11819503408894
  info rank T = 245 S_U = 0.153820349896089 S_U_unweighted = 0.155235132720163 Ubar_event = [0.13503728046016, -0.0362866483951459, 0.156739410221433, 0.344222641091294, 0.473255023810736]
  rank day 0 stat=0.877889567611713 p=0.380003651197737
  rank_unweighted day 0 stat=0.869888652741946 p=0.38436125719101
  rank day 1 stat=-0.235902781521813 p=0.81350810981827
  rank_unweighted day 1 stat=-0.233752809427222 p=0.815176887249811
  rank day 2 stat=1.01897707505746 p=0.308213850217261
  rank_unweighted day 2 stat=1.00969031607027 p=0.312643683496866
  rank day 3 stat=2.23782250738493 p=0.0252326320557268
  rank_unweighted day 3 stat=2.217427428054 p=0.0265938971479722
  rank day 4 stat=3.07667369194281 p=0.00209324309197588
  rank_unweighted day 4 stat=3.04863348597675 p=0.0022988475739449
  rank car 0:4 stat=3.11952057391143 p=0.00181145609925242
  rank_unweighted car 0:4 stat=3.09108986979194 p=0.00199423265807641
  info corrado_rank S_D = 37.0702402482695
  corrado_rank day 0 stat=0.83432346867553 p=0.404098730447141
  corrado_rank day 1 stat=-0.194611247889673 p=0.845697296879539
  corrado_rank day 2 stat=1.06939844137395 p=0.284890169349218
  corrado_rank day 3 stat=2.21394380024985 p=0.0268326451846365
  corrado_rank day 4 stat=3.06560886527198 p=0.00217227280304638
  lamb day 0 stat=1.61963938229938 p=0.105309764602482
  lamb day 1 stat=-2.43522230051261 p=0.0148826433444642
  lamb day 2 stat=-1.2545664678492 p=0.209636182600473
  lamb day 3 stat=6.10575484603846 p=1.02315954036075e-09
  lamb day 4 stat=4.5650478237377 p=4.99380484309443e-06
  lamb car 0:4 stat=3.84632907865813 p=0.000119900703343301
  info csign T = 245 S_G = 1.26461139584747 zeros_in_G = [1, 0, 1, 1, 1, 1, 1]
  csign day 0 stat=0.896633877213965 p=0.369914314749289
  csign day 1 stat=0.298877959071322 p=0.765033164983334
  csign day 2 stat=0.896633877213965 p=0.369914314749289
  csign day 3 stat=1.49438979535661 p=0.135073767220142
  csign day 4 stat=2.09214571349925 p=0.0364254829329951
  csign car 0:4 stat=2.53958344714752 p=0.0110984565812676
  grank day 0 stat=0.858619734535686 p=0.391410641499469 z=0.859090165360775 p_z=0.390290772757108 T=241 S_U=0.152164189830994 U0=0.130722759003897 ranks0=[237, 169, 167, 137, 56, 42, 229]
  grank day 1 stat=-0.663980881321415 p=0.507342572078175 z=-0.664755675417599 p_z=0.506206777092035 T=241 S_U=0.152128822724402 U0=-0.101128498300644 ranks0=[195, 130, 10, 151, 155, 19, 7]
  grank day 2 stat=0.307403600716665 p=0.758803882899013 z=0.307985152873775 p_z=0.758093629881598 T=241 S_U=0.151952151198501 U0=0.0467990065163695 ranks0=[227, 171, 12, 169, 131, 192, 13]
  grank day 3 stat=1.66761582742894 p=0.0967017093376923 z=1.66146270125922 p_z=0.096620553972391 T=241 S_U=0.152869382870528 U0=0.253986777803899 ranks0=[193, 150, 212, 189, 93, 193, 211]
  grank day 4 stat=3.22889298419239 p=0.00141702535974495 z=3.16729582931925 p_z=0.00153863709985512 T=241 S_U=0.154638794308868 U0=0.489786808265436 ranks0=[238, 226, 213, 240, 241, 238, 240]
  grank car 0:4 stat=1.87795143175162 p=0.0616054688670269 z=1.86814334398911 p_z=0.061742093361088 T=241 S_U=0.15294613046567 U0=0.285725295618333 ranks0=[239, 202, 180, 226, 169, 182, 98]
"""

import sys
from itertools import combinations
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

# Published by estudy2 @ 14946383b9d1 (see the module docstring for the files): per event day
# 2020-03-16..20 (value strings exactly as printed, significance stars as printed).
PUBLISHED_DAILY = {
    "lamb": (["1.620049", "-2.435456", "-1.254626", "6.105794", "4.565195"],
             ["", "**", "", "***", "***"]),
    "sign": (["1.1338934", "0.3779645", "1.1338934", "1.8898224", "2.6457513"],
             ["", "", "", "*", "***"]),
    "gsign": (["1.1516761", "0.3957301", "1.1516761", "1.9076220", "2.6635680"],
              ["", "", "", "*", "***"]),
    "csign": (["0.8636930", "0.2878977", "0.8636930", "1.4394883", "2.0152836"],
              ["", "", "", "", "**"]),
    "rank": (["0.7962064", "-0.1857202", "1.0205417", "2.1127972", "2.9255529"],
             ["", "", "", "**", "***"]),
    "mrank": (["0.8499246", "-0.2283881", "0.9865178", "2.1665371", "2.9786668"],
              ["", "", "", "**", "***"]),
    "wilcoxon": (["23", "10", "15", "27", "28"], ["*", "", "", "***", "***"]),
}
PUBLISHED_MEAN = ["0.02329740", "-0.03157867", "-0.01617850", "0.07672027", "0.05840545"]
PUBLISHED_CAR = {  # name: (statistic, stars, extra)
    "car_lamb": ("3.846464", "***", {"car_mean": "0.02213319"}),
    "car_rank": ("3.0537", "***", {}),
}


def g(x):
    return f"{float(x):.15g}"


def p_norm(stat):
    return 2.0 * stats.norm.sf(abs(stat))


def p_t(stat, df):
    return 2.0 * stats.t.sf(abs(stat), df)


def assert_printed(value, printed, what):
    """|value - printed| <= half a unit in the printed number's last decimal place."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    tol = 0.5 * 10.0 ** (-decimals) * (1 + 1e-9)
    assert abs(value - float(printed)) <= tol, f"{what}: {value!r} vs published {printed}"


# ----- estudy2's significance stars --------------------------------------------------------
Q1, Q2, Q3 = (stats.norm.ppf(1 - a / 2) for a in (0.10, 0.05, 0.01))


def stars_norm(z):
    return "***" if abs(z) >= Q3 else "**" if abs(z) >= Q2 else "*" if abs(z) >= Q1 else ""


def signrank_cdf(n):
    """P(V <= v), v = 0..n(n+1)/2, V = Wilcoxon signed-rank statistic of n untied differences."""
    counts = np.zeros(n * (n + 1) // 2 + 1)
    counts[0] = 1.0
    for k in range(1, n + 1):
        counts[k:] = counts[k:] + counts[:-k].copy()
    return np.cumsum(counts) / 2.0**n


def qsignrank(p, n):
    """R's qsignrank(p, n): the smallest v with P(V <= v) >= p (R compares with a 1e-7 fuzz)."""
    cdf = signrank_cdf(n)
    return int(np.argmax(cdf >= p * (1 - 64 * 2.220446e-16) - 1e-7))


def stars_wilcoxon(w, n):
    # estudy2's wilcoxon_test: upper tail qsignrank(1 - a), lower tail n(n+1)/2 - qsignrank(1 - a/2)
    s = ""
    for a, mark in ((0.10, "*"), (0.05, "**"), (0.01, "***")):
        if w >= qsignrank(1 - a, n) or w <= n * (n + 1) / 2 - qsignrank(1 - a / 2, n):
            s = mark
    return s


def row_sum_like_estudy2(x):
    """R's rowMeans(x, na.rm = TRUE) * ncol(x): the mean over the present cells times N (all NaN -> NaN)."""
    with np.errstate(invalid="ignore"):
        present = (~np.isnan(x)).sum(axis=1)
        s = np.nansum(x, axis=1)
        out = s / present * x.shape[1]
    out[present == 0] = np.nan
    return out


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FIXTURE
    df = pd.read_csv(path, na_values=["NA"], parse_dates=["date"])
    assert list(df.columns) == ["date"] + SECURITIES + [MARKET], list(df.columns)
    assert df["date"].is_monotonic_increasing and df["date"].is_unique
    assert len(df) == 252, len(df)
    assert not df[MARKET].isna().any()

    is_est = ((df["date"] >= EST_START) & (df["date"] <= EST_END)).to_numpy()
    is_ev = ((df["date"] >= EV_START) & (df["date"] <= EV_END)).to_numpy()
    assert is_ev.sum() == L2
    # no trading day between the two windows, so "estimation rows then event rows" = one block
    first_ev = np.flatnonzero(is_ev)[0]
    assert is_est[first_ev - 1] and not is_est[first_ev]
    is_full = is_est | is_ev
    ev_dates = [d.strftime("%Y-%m-%d") for d in df.loc[is_ev, "date"]]
    rm = df[MARKET].to_numpy()
    rm_ev = rm[is_ev]
    N = len(SECURITIES)

    # ----- market model on each stock's complete estimation rows (as classic_reference.py) ----
    AR = np.full((len(df), N), np.nan)   # all rows, NaN where the stock has no return
    SAR = np.full((len(df), N), np.nan)  # forecast-error standardised, all rows
    L = np.zeros(N, dtype=int)
    SIGMA2 = np.zeros(N)
    MBAR = np.zeros(N)
    SMM = np.zeros(N)
    for i, name in enumerate(SECURITIES):
        r = df[name].to_numpy()
        cc = is_est & ~np.isnan(r)
        y, x = r[cc], rm[cc]
        fit = sm.OLS(y, sm.add_constant(x)).fit()
        alpha, beta = fit.params
        resid = y - alpha - beta * x
        L[i] = len(y)
        SIGMA2[i] = np.sum(resid**2) / (L[i] - 2)
        MBAR[i] = x.mean()
        SMM[i] = np.sum((x - MBAR[i]) ** 2)
        AR[:, i] = r - alpha - beta * rm
        SAR[:, i] = AR[:, i] / np.sqrt(SIGMA2[i] * (1 + 1 / L[i] + (rm - MBAR[i]) ** 2 / SMM[i]))
    assert not np.isnan(AR[is_ev]).any()

    print(f"# classic_rank_reference.py: numpy {np.__version__}, pandas {pd.__version__}, "
          f"scipy {scipy.__version__}, statsmodels {statsmodels.__version__}")
    print(f"# fixture {path.name}: {len(df)} rows; estimation {EST_START:%Y-%m-%d}..{EST_END:%Y-%m-%d} "
          f"({is_est.sum()} dates), event {ev_dates[0]}..{ev_dates[-1]} (tau 0..{L2 - 1}), N = {N}")
    print(f"info L = {list(map(int, L))}")

    def window_car(i, taus):
        """CAR_i over event days taus, its forecast-error variance (MacKinlay 1997 eq. 14-17), SCAR_i."""
        ar = AR[is_ev, i][taus]
        dm = rm_ev[taus] - MBAR[i]
        lw = len(taus)
        var = SIGMA2[i] * (lw + lw**2 / L[i] + dm.sum() ** 2 / SMM[i])
        car = ar.sum()
        return car, var, car / np.sqrt(var)

    windows = [(f"day {t}", [t]) for t in range(L2)] + [(f"car 0:{L2 - 1}", list(range(L2)))]

    # =========================================================================================
    # Part A: estudy2's own conventions
    # =========================================================================================
    est_ar = AR[is_est]            # 240 x N, NaN before the IPOs
    ev_ar = AR[is_ev]              # 5 x N
    full_ar = AR[is_full]          # 245 x N: estimation rows then event rows
    n_full = (~np.isnan(full_ar)).sum(axis=1)          # stocks present per date
    delta_full = (~np.isnan(full_ar)).sum(axis=0)      # M_i: present ARs per stock
    mean_delta_full = delta_full.mean()
    results_a = {}

    # lamb: AAR_t / (sd(daily mean estimation AR) * sqrt(1 + 1/mean(L) + (Rm_t - mbar)^2 / Smm)),
    # mbar / Smm over the first security's regressor on every estimation date (AMZN: 240 dates)
    aar = ev_ar.mean(axis=1)
    est_means = np.nanmean(est_ar, axis=1)
    m_e = rm[is_est]
    mbar_all, smm_all = m_e.mean(), np.sum((m_e - m_e.mean()) ** 2)
    lamb = aar / (np.std(est_means, ddof=1) * np.sqrt(1 + 1 / L.mean() + (rm_ev - mbar_all) ** 2 / smm_all))
    results_a["lamb"] = lamb
    car_lamb = lamb.sum() / np.sqrt(L2)
    car_mean = aar.mean()

    # sign: (sum_i 1{AR > 0} - 0.5 n) / sqrt(0.25 n)
    pos = (ev_ar > 0).astype(float)
    n_ev = (~np.isnan(ev_ar)).sum(axis=1)
    results_a["sign"] = (row_sum_like_estudy2(pos) - 0.5 * n_ev) / np.sqrt(0.25 * n_ev)

    # generalized sign: p_hat pooled over every present estimation stock-day
    est_pos = np.where(np.isnan(est_ar), np.nan, (est_ar > 0).astype(float))
    p_hat_pooled = np.nanmean(est_pos)
    p_hat_cowan = np.mean(np.nanmean(est_pos, axis=0))
    results_a["gsign"] = (row_sum_like_estudy2(pos) - n_ev * p_hat_pooled) / np.sqrt(
        n_ev * p_hat_pooled * (1 - p_hat_pooled))

    # corrado sign: G = sign(AR - median over the stock's combined estimation + event ARs)
    med = np.nanmedian(full_ar, axis=0)
    G = np.sign(full_ar - med)                     # NaN stays NaN; the median itself gives 0
    sums = row_sum_like_estudy2(G)
    sd_g = np.sqrt(np.nansum((sums / np.sqrt(n_full)) ** 2) / mean_delta_full)
    results_a["csign"] = row_sum_like_estudy2(G[-L2:]) / np.sqrt(n_ev) / sd_g

    # rank: K = rank within the stock's combined window (average ties, NaN kept), demeaned by the
    # stock's mean rank (M_i + 1)/2
    K = pd.DataFrame(full_ar).rank(method="average").to_numpy()
    kbar = np.nanmean(K, axis=0)
    diffs = row_sum_like_estudy2(K - kbar)
    sd_k = np.sqrt(np.nansum((diffs / n_full) ** 2) / mean_delta_full)
    results_a["rank"] = row_sum_like_estudy2(K[-L2:] - kbar) / n_ev / sd_k

    # modified rank: U = K / (1 + M_i)
    U = K / (1 + delta_full)
    diffs = row_sum_like_estudy2(U - 0.5)
    sd_u = np.sqrt(np.nansum((diffs / np.sqrt(n_full)) ** 2) / mean_delta_full)
    results_a["mrank"] = row_sum_like_estudy2(U[-L2:] - 0.5) / np.sqrt(n_ev) / sd_u

    # wilcoxon: W+ = sum of the ranks of |AR| (non-zero ARs) over the positive ARs
    absr = np.abs(ev_ar)
    wranks = np.array([stats.rankdata(row) for row in absr])
    results_a["wilcoxon"] = np.where(ev_ar > 0, wranks, 0.0).sum(axis=1)
    assert (ev_ar != 0).all()
    wilcoxon_p = [stats.wilcoxon(row, method="exact").pvalue for row in ev_ar]

    # car_rank: raw ranks against the mean over stocks of their mean ranks
    mean_rank = kbar.mean()
    car_rank = np.sqrt(L2) * (np.nanmean(K[-L2:]) - mean_rank) / np.sqrt(
        np.nansum((np.nanmean(K, axis=1) - mean_rank) ** 2) / mean_delta_full)

    # ---- agreement with the published values --------------------------------------------------
    for t in range(L2):
        assert_printed(aar[t], PUBLISHED_MEAN[t], f"mean day {t}")
    for name, (vals, marks) in PUBLISHED_DAILY.items():
        for t in range(L2):
            x = results_a[name][t]
            assert_printed(x, vals[t], f"{name} day {t}")
            got = stars_wilcoxon(x, N) if name == "wilcoxon" else stars_norm(x)
            assert got == marks[t], (name, t, got, marks[t])
    assert_printed(car_lamb, PUBLISHED_CAR["car_lamb"][0], "car_lamb")
    assert_printed(car_mean, PUBLISHED_CAR["car_lamb"][2]["car_mean"], "car_lamb car_mean")
    assert stars_norm(car_lamb) == PUBLISHED_CAR["car_lamb"][1]
    assert_printed(car_rank, PUBLISHED_CAR["car_rank"][0], "car_rank")
    assert stars_norm(car_rank) == PUBLISHED_CAR["car_rank"][1]

    print("\n## Part A: estudy2 conventions (every value below agrees with estudy2's published output "
          "to its printed digits; asserted)")
    print(f"estudy2 info mean_L = {g(L.mean())} mean_M = {g(mean_delta_full)} M = {list(map(int, delta_full))} "
          f"gsign_p_hat_pooled = {g(p_hat_pooled)} sd_sign = {g(sd_g)} sd_rank = {g(sd_k)} sd_mrank = {g(sd_u)}")
    for t in range(L2):
        print(f"estudy2 mean day {t} value={g(aar[t])}")
    for name in ["lamb", "sign", "gsign", "csign", "rank", "mrank"]:
        for t in range(L2):
            x = results_a[name][t]
            print(f"estudy2 {name} day {t} stat={g(x)} p={g(p_norm(x))}")
    for t in range(L2):
        print(f"estudy2 wilcoxon day {t} stat={g(results_a['wilcoxon'][t])} p={g(wilcoxon_p[t])}")
    print(f"estudy2 car_lamb car 0:{L2 - 1} stat={g(car_lamb)} p={g(p_norm(car_lamb))} car_mean={g(car_mean)}")
    print(f"estudy2 car_rank car 0:{L2 - 1} stat={g(car_rank)} p={g(p_norm(car_rank))}")

    # what the three row-sum tests give with true row sums (not printed by estudy2; for the docs)
    def true_rowsum(x):
        s = np.nansum(x, axis=1)
        s[(~np.isnan(x)).sum(axis=1) == 0] = np.nan
        return s
    fix = {}
    sdx = np.sqrt(np.nansum((true_rowsum(G) / np.sqrt(n_full)) ** 2) / mean_delta_full)
    fix["csign"] = true_rowsum(G[-L2:]) / np.sqrt(n_ev) / sdx
    sdx = np.sqrt(np.nansum((true_rowsum(K - kbar) / n_full) ** 2) / mean_delta_full)
    fix["rank"] = true_rowsum(K[-L2:] - kbar) / n_ev / sdx
    sdx = np.sqrt(np.nansum((true_rowsum(U - 0.5) / np.sqrt(n_full)) ** 2) / mean_delta_full)
    fix["mrank"] = true_rowsum(U[-L2:] - 0.5) / np.sqrt(n_ev) / sdx
    for name, v in fix.items():
        print(f"estudy2_rowsums {name} days 0..{L2 - 1} stat=[{', '.join(g(x) for x in v)}]")
    print(f"estudy2_rowsums gsign_p_hat_cowan = {g(p_hat_cowan)} gsign days 0..{L2 - 1} stat=[" + ", ".join(
        g((pos[t].sum() - N * p_hat_cowan) / np.sqrt(N * p_hat_cowan * (1 - p_hat_cowan))) for t in range(L2)) + "]")

    # =========================================================================================
    # Part B: textbook tests
    # =========================================================================================
    print("\n## Part B: textbook tests")
    T_full = int(is_full.sum())                        # 245 dates in the combined window
    Nt = n_full.astype(float)

    # ---- B1: Kolari & Pynnonen (2010) adjusted Patell Z and adjusted BMP t -----------------
    resid = pd.DataFrame(AR[is_est], columns=SECURITIES)   # estimation rows: AR = OLS residual
    corr = resid.corr(method="pearson")                    # pairwise complete observations
    pairs = list(combinations(range(N), 2))
    rbar = float(np.mean([corr.iat[a, b] for a, b in pairs]))
    # cross-check one short pair by hand (ZM, UBER: the dates where both are present)
    both = resid[["ZM", "UBER"]].dropna()
    assert abs(np.corrcoef(both["ZM"], both["UBER"])[0, 1] - corr.at["ZM", "UBER"]) < 1e-13
    factor = np.sqrt((1 - rbar) / (1 + (N - 1) * rbar))
    patell_den = np.sqrt(np.sum((L - 2) / (L - 4)))
    print(f"info rbar = {g(rbar)} kp_factor = {g(factor)} pairs = {len(pairs)} "
          f"patell_den2 = {g(patell_den**2)}")
    print("info corr = [" + ", ".join(f"{SECURITIES[a]}-{SECURITIES[b]}: {g(corr.iat[a, b])}" for a, b in pairs) + "]")

    for label, taus in windows:
        scar = np.array([window_car(i, taus)[2] for i in range(N)])
        patell = scar.sum() / patell_den
        bmp = scar.mean() / (scar.std(ddof=1) / np.sqrt(N))
        ap, ab = patell * factor, bmp * factor
        print(f"patell {label} stat={g(patell)} p={g(p_norm(patell))}")
        print(f"adj_patell {label} stat={g(ap)} p={g(p_norm(ap))}")
        print(f"bmp {label} stat={g(bmp)} p={g(p_t(bmp, N - 1))}")
        print(f"adj_bmp {label} stat={g(ab)} p={g(p_norm(ab))} p_t={g(p_t(ab, N - 1))}")

    # ---- B2/B3: Corrado (1989) rank with Corrado-Zivney (1992) U; Campbell-Wasley / Cowan CAR
    Ub = U - 0.5                                   # U_it - 1/2, NaN where missing
    ubar = np.nanmean(Ub, axis=1)                  # daily mean over the stocks present
    s_u = np.sqrt(np.sum(Nt / N * ubar**2) / T_full)
    s_u_plain = np.sqrt(np.sum(ubar**2) / T_full)
    # same thing in the sqrt(N_t) form: (1/sqrt(N_t)) sum_i U_it
    s_u_alt = np.sqrt(np.sum((np.nansum(Ub, axis=1) / np.sqrt(Nt)) ** 2) / T_full) / np.sqrt(N)
    assert abs(s_u - s_u_alt) <= 1e-14 * s_u
    ubar_ev = ubar[-L2:]
    print(f"info rank T = {T_full} S_U = {g(s_u)} S_U_unweighted = {g(s_u_plain)} "
          f"Ubar_event = [{', '.join(g(x) for x in ubar_ev)}]")
    for label, taus in windows:
        stat = ubar_ev[taus].sum() / (np.sqrt(len(taus)) * s_u)
        stat_plain = ubar_ev[taus].sum() / (np.sqrt(len(taus)) * s_u_plain)
        print(f"rank {label} stat={g(stat)} p={g(p_norm(stat))}")
        print(f"rank_unweighted {label} stat={g(stat_plain)} p={g(p_norm(stat_plain))}")

    # ---- B2': Corrado (1989) with raw ranks demeaned per stock, D = K - (M_i + 1)/2, and the
    # same N_t/N-weighted spread: S_D = sqrt((1/T) sum_t (N_t/N) Dbar_t^2), stat = Dbar_t / S_D.
    Db = K - (delta_full + 1) / 2.0
    dbar = np.nanmean(Db, axis=1)
    s_d = np.sqrt(np.sum(Nt / N * dbar**2) / T_full)
    print(f"info corrado_rank S_D = {g(s_d)}")
    for t in range(L2):
        stat = dbar[-L2:][t] / s_d
        print(f"corrado_rank day {t} stat={g(stat)} p={g(p_norm(stat))}")

    # ---- B5: Lamb (1995) generalised to per-stock forecast corrections: the portfolio AAR over
    # the sd (ddof 1) of the daily mean estimation AR, times sqrt(mean_i c_it), c_it = 1 + 1/L_i +
    # (R_mt - mbar_i)^2 / Smm_i (each stock's complete estimation rows). car: sum_t lamb_t / sqrt(L_W).
    c = 1 + 1 / L[None, :] + (rm_ev[:, None] - MBAR[None, :]) ** 2 / SMM[None, :]
    lamb_g = aar / (np.std(est_means, ddof=1) * np.sqrt(c.mean(axis=1)))
    for t in range(L2):
        print(f"lamb day {t} stat={g(lamb_g[t])} p={g(p_norm(lamb_g[t]))}")
    print(f"lamb car 0:{L2 - 1} stat={g(lamb_g.sum() / np.sqrt(L2))} p={g(p_norm(lamb_g.sum() / np.sqrt(L2)))}")

    # ---- B2: Corrado & Zivney (1992) sign test (and its Cowan-style sum over the CAR window)
    gsum = np.nansum(G, axis=1) / np.sqrt(Nt)       # (1/sqrt(N_t)) sum_i G_it
    s_g = np.sqrt(np.sum(gsum**2) / T_full)
    print(f"info csign T = {T_full} S_G = {g(s_g)} zeros_in_G = {list(map(int, (G == 0).sum(axis=0)))}")
    for label, taus in windows:
        stat = gsum[-L2:][taus].sum() / (np.sqrt(len(taus)) * s_g)
        print(f"csign {label} stat={g(stat)} p={g(p_norm(stat))}")

    # ---- B4: GRANK, Kolari & Pynnonen (2011) ----------------------------------------------
    est_sar = SAR[is_est]                          # 240 x N, NaN before the IPOs
    T_g = int(is_est.sum()) + 1                    # estimation dates + the cumulative day
    for label, taus in windows:
        scar = np.array([window_car(i, taus)[2] for i in range(N)])
        gsar0 = scar / scar.std(ddof=1)            # SCAR re-standardised, cross-sectional sd
        gsar = np.vstack([est_sar, gsar0[None, :]])   # T_g x N
        present = ~np.isnan(gsar)
        Ti = present.sum(axis=0)                   # L_i + 1
        Kg = pd.DataFrame(gsar).rank(method="average").to_numpy()
        Ug = Kg / (Ti + 1) - 0.5
        Nt_g = present.sum(axis=1).astype(float)
        ubar_g = np.nanmean(Ug, axis=1)
        s_ug = np.sqrt(np.sum(Nt_g / N * ubar_g**2) / T_g)
        z = ubar_g[-1] / s_ug
        tg = z * np.sqrt((T_g - 2) / (T_g - 1 - z**2))
        print(f"grank {label} stat={g(tg)} p={g(p_t(tg, T_g - 2))} z={g(z)} p_z={g(p_norm(z))} "
              f"T={T_g} S_U={g(s_ug)} U0={g(ubar_g[-1])} ranks0=[{', '.join(g(k) for k in Kg[-1])}]")


if __name__ == "__main__":
    main()

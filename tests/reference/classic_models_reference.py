#!/usr/bin/env python3
"""Independent reference values for the constant-mean, market-adjusted, market and factor models.

Covers AR, Var(AR), CAR, Var(CAR), BHAR and the cross-sectional, Patell and BMP tests, on estudy2's
COVID data (Part 1) and eventstudies' stock splits (Part 2), plus eventstudies' own conventions (Part 3).

Provenance
----------
Inputs (plain-CSV exports, ``NA`` = missing, 15 significant digits; see tests/fixtures/README.md
and /work/shared/fixtures/README.md):
  * ``estudy2_rates.csv`` (tests/fixtures/): irudnyts/estudy2 @ 14946383b9d1, ``data/rates.rda`` +
    ``data/rates_indx.rda``: daily LOG returns of AMZN, ZM, UBER, NFLX, SHOP, FB, UPWK and the S&P 500
    (``GSPC``), 2019-04-02..2020-03-31, 252 rows; ZM has 13 NA rows, UBER 28 (before their IPOs);
    GSPC has none.
  * ``eventstudies_StockPriceReturns_pct.csv``, ``eventstudies_OtherReturns_pct.csv``,
    ``eventstudies_SplitDates.csv`` (shared/fixtures/; not copied into tests/fixtures):
    xKDR/eventstudies @ 6ad1e1ea1d37 (6ad1e1ea1d378856322067e7daff1a322aec4855, 2020-06-03),
    ``data/StockPriceReturns.rda``, ``data/OtherReturns.rda``, ``data/SplitDates.rda``: daily returns in
    PER CENT of 30 Indian stocks and of NiftyIndex, CallMoneyRate, SP500, USDINR, 2010-07-01..2013-03-28,
    720 rows (column ``date``, the same dates in both files), and 22 stock-split events (``name``,
    ``when``). Returns are divided by 100 and treated as simple returns.
Nothing is copied from either package except the eventstudies unit-test values that Part 3 asserts
against. Fixture lookup: tests/fixtures/ first, then <repo>/../shared/fixtures/, or the directory
given as the only argument.

Run
  python3 tests/reference/classic_models_reference.py [fixture_dir]
Numbers are printed with 15 significant digits (``nan`` = undefined). Line prefixes: ``p1`` (Part 1),
``p2`` (Part 2), ``p3`` (Part 3), then the model, then the security / event / window / day.

Common formulas
---------------
For a security with L complete estimation rows (design X, L x k, k = number of estimated
parameters p), event-window design rows X*, and sigma2 the residual variance:
  V = sigma2 (I + X* (X'X)^-1 X*')              (MacKinlay 1997, JEL 35(1), eq. 14)
  Var(AR_t) = diag(V)_t;  CAR_W = sum_{t in W} AR_t;  Var(CAR_W) = 1' V_W 1 (V_W = V restricted to W)
  SCAR_W = CAR_W / sqrt(Var(CAR_W))
The closed forms below are asserted equal to 1'V_W 1 to 1e-12 relative.
Cross-section over the N securities/events with a complete window W:
  CAAR = mean CAR;  cross-sectional t = mean(x) / (sd(x, ddof=1) / sqrt(N)) ~ t(N-1), for x = CAR
    (``car_t``/``cs_t``) and x = BHAR (``bhar_t``), ABHAR = mean BHAR;
  Patell Z = sum_i SCAR_i / sqrt(sum_i d_i / (d_i - 2)) ~ N(0, 1), d_i = L_i - p_i
    (Patell 1976, J. Accounting Research 14(2); d_i/(d_i-2) is the variance of a t(d_i) variable);
  BMP t = mean SCAR / (sd(SCAR, ddof=1) / sqrt(N)) ~ t(N-1) (Boehmer, Musumeci, Poulsen 1991, JFE 30(2));
  p-values are two-sided, 2 sf(|stat|) of scipy.stats.t(N-1) or scipy.stats.norm; nan when N < 2.

Part 1: estudy2 data, three normal-return models (prefix p1)
============================================================
Event row tau = 0 is the row dated 2020-03-16 (row 240, 0-based). Estimation window tau = -240..-1
(the 240 rows 2019-04-02..2020-03-13); for each stock the rows where the stock or GSPC is NA are
dropped: L = [240, 227, 212, 240, 240, 240, 240]. Event window tau = 0..4 (2020-03-16..20, all
present); CAR windows 0:4 (L2 = 5) and 0:1 (L2 = 2). R = stock log return, R_m = GSPC.
  (a) constant_mean (p = 1): mu = mean of the L estimation returns; AR_t = R_t - mu;
      sigma2 = sum (R - mu)^2 / (L - 1); Var(AR_t) = sigma2 (1 + 1/L);
      Var(CAR) = sigma2 (L2 + L2^2 / L)   (= V above with X = X* = columns of ones).
  (b) market_adjusted (p = 0, nothing estimated): AR_t = R_t - R_mt;
      sigma2 = var(R - R_m over the estimation rows, ddof = 1); Var(AR_t) = sigma2; Var(CAR) = L2 sigma2.
      For Patell, d = L - 1 (the divisor of sigma2).
  (c) market_model (p = 2): alpha, beta = statsmodels OLS(R, add_constant(R_m)) on the L rows;
      AR_t = R_t - alpha - beta R_mt; sigma2 = SSE / (L - 2); Var(CAR) = 1'V_W 1 with X = [1, R_m]
      (closed form sigma2 (L2 + L2^2/L + (sum_W (R_mt - mbar))^2 / Smm), mbar, Smm = mean and sum of
      squared deviations of R_m over the L rows). Identical to classic_reference.py for window 0:4
      (same L, SCAR; patell_z = 6.36579331643061 there and here).
  BHAR (the returns are LOG returns): BHAR_W = exp(sum_{t in W} R_t) - exp(sum_{t in W} Rhat_t),
      Rhat_t = R_t - AR_t the normal (log) return (mu; R_mt; alpha + beta R_mt).
  Lines: ``p1 <model> <stock> L= params= sigma2=``, ``p1 <model> <stock> tau=<t> AR= VarAR=``,
  ``p1 <model> <stock> car a:b CAR= VarCAR= SCAR= BHAR=``, and per window over the 7 stocks
  ``p1 <model> car a:b N= CAAR= car_t= car_p= ABHAR= bhar_t= bhar_p= patell_z= patell_p= patell_den2= d=``
  (patell_den2 = sum d/(d-2)).

Part 2: eventstudies stock splits, market model and factor models (prefix p2)
=============================================================================
The two return files are joined on ``date`` (identical 720 dates, inner join); all values / 100.
For each of the 22 events (in file order, numbered 1..22):
  * tau = 0 is the first row dated on or after ``when``;
  * status ``security_missing``: ``name`` is not a column of the stock file (never happens: all
    22 names are columns);
  * status ``window_outside_data``: row tau = -120 or row tau = +5 is outside the 720 rows;
  * estimation rows tau = -120..-11 (110 rows); the rows where the stock or any regressor of the
    model is NA are dropped, L = the rest; status ``estimation_too_short`` when L < 60;
  * otherwise status ``ok``: OLS (statsmodels, with constant) of R on the regressors, p = number of
    coefficients, sigma2 = SSE / (L - p); event window tau = -5..+5; Rhat_t = x*_t' b (NaN if any
    regressor is NA on that day), AR_t = R_t - Rhat_t (NaN if R_t or Rhat_t is NaN);
  * CAR windows -1:1, -5:5, 0:5: a window with a NaN AR gets status ``missing_return`` (with the
    missing taus) and is left out of that window's tests only. A missing REGRESSOR (e.g. SP500) on an
    event day counts as a missing return, since no normal return exists for that day;
  * per complete window: CAR, Var(CAR) = 1'V_W 1 (market model: also the closed form, asserted),
    SCAR, BHAR = prod_W (1 + R_t) - prod_W (1 + Rhat_t) (simple returns);
  * per window across the complete events: N, CAAR, cross-sectional t and p (t(N-1)), Patell Z
    (d_i = L_i - p) and p, BMP t and p (t(N-1)), ABHAR and the cross-sectional t of the BHARs;
  * per event day tau = -5..5 across the ``ok`` events with a non-NaN AR that day: N, AAR,
    cross-sectional t and p (t(N-1)).
Models:
  (i)   market_model: R = a + b NiftyIndex (p = 2);
  (ii)  factor_model: R = a + b1 NiftyIndex + b2 SP500 + b3 USDINR (p = 4);
  (iii) factor_nifty_usdinr (added, not in the brief): R = a + b1 NiftyIndex + b2 USDINR (p = 3), the
        regressors of eventstudies' vignette AMM example without its lags / purging, because (ii) is
        nearly empty on these data (see "Data surprises").
Lines: ``p2 <model> event <k> <name> when= tau0= status= [L= coef= sigma2=]``,
``p2 <model> event <k> <name> AR(tau -5..5)=``, ``p2 <model> event <k> <name> car a:b status=ok CAR=
VarCAR= SCAR= BHAR=`` (or ``status=missing_return missing_tau=``), ``p2 <model> car a:b N= events=
CAAR= cs_t= cs_p= patell_z= patell_p= bmp_t= bmp_p= ABHAR= bhar_t= bhar_p= d=``, ``p2 <model> day <tau>
N= AAR= cs_t= cs_p=``.

Data surprises (eventstudies fixture)
  * 17 of the 22 split dates precede the data or are too close to its start: 15 are before
    2010-07-01 (2001..2010-06-21; tau 0 = the first row, 2010-07-01), and HDFC 2010-08-18 (row 34) and
    Sun.Pharmaceutical 2010-11-25 (row 105) have fewer than 120 rows before them: all 17 are
    ``window_outside_data``. Only BHEL 2011-10-03, HDFC.Bank 2011-07-14, ONGC 2011-02-08,
    Tata.Motors 2011-09-12 and Tata.Power 2011-09-26 have full windows. No event date falls on a
    non-row date among these five (tau 0 = the event date itself).
  * NA handling: 31 rows are NA for every stock (apparently Indian market holidays, e.g. 2011-01-26,
    2011-08-15, kept as rows of a wider calendar) and NiftyIndex is NA on the same 31 rows plus every 2013 row (last value
    2012-12-31); Coal.India is NA before 2010-11-05 (listing); USDINR has 8 NA; CallMoneyRate (unused)
    432. BHEL's tau = +3 (2011-10-06) is such a holiday row: its -5:5 and 0:5 windows are
    ``missing_return`` for every model.
  * SP500 is present on only 194 rows, 2010-07-02..2011-07-29, and NA on almost every Monday and
    after US holidays (apparently a return computed only
    between consecutive calendar days), NA everywhere from 2011-08-01. Hence in the factor
    model (ii): BHEL (L = 52) and Tata.Power (L = 54) are ``estimation_too_short``; Tata.Motors
    (L = 61) has no SP500 value in its event window (all windows ``missing_return``); HDFC.Bank (L = 75)
    lacks SP500 at tau -3 and +2, ONGC (L = 75) at -1, +3, +4. Only HDFC.Bank's -1:1 window is complete:
    N = 1 (t statistics nan, Patell Z defined), windows -5:5 and 0:5 have N = 0.

Part 3: xKDR/eventstudies (prefix p3)
=====================================
What the package publishes (repository at 6ad1e1ea1d37, read with git; the whole history, 494
commits, was searched for ``SplitDates``):
  * vignettes/eventstudies.Rnw runs eventstudy(StockPriceReturns, SplitDates, event.window = 5,
    type = "None" / "marketModel" (market.returns = NiftyIndex) / "lmAMM" (+ USDINR, purged),
    remap = "cumsum", inference.strategy = "bootstrap") but the repository holds only the Sweave
    source: no stored output or rendered PDF. Its only printed numbers are differences of bootstrap
    CI bounds at tau 0 (R = 1000 resamples of boot::boot, no seed): random, not reproducible.
  * man/*.Rd examples and README.md (event.window = 7) show code only; rdocumentation / rdrr pages
    found by search show the same code, no output.
  * tests/testthat/: expected values only for 10-row toy price data given inline (reproduced below).
  * pkg/inst/tests/test_interfaces.R (deleted in 6b9d64d, 2015-02-26) had expected Mean columns for
    two ONGC events (2011-08-01, 2010-05-14, event.window = 3, 7 rows) on separate test .rda files of
    an older data set and an older -w..w window; 2010-05-14 precedes this fixture: not reproducible.
  So there are NO published numbers for the SplitDates study with event.window 5.
What eventstudy() computes (R/eventstudy.R, phys2eventtime.R, marketModel.R, remap.cumsum.R,
inference.bootstrap.R, inference.classic.R, inference.wilcox.R), re-implemented in es_*():
  * phys2eventtime: location = findInterval(when, dates) = number of rows dated <= when, i.e.
    tau 0 = the LAST row on or BEFORE the event date (not the first on or after);
    ``unitmissing`` if the name is not a column; ``wrongspan`` if location <= w - 1 or
    location > n - w (every event before 2010-07-01 has location 0); ``wdatamissing`` if any NA
    in tau -w+1..w (for marketModel in the stock OR the market column); else ``success``.
  * event.period = -w+1..w = -4..5 for w = 5 (10 days, asymmetric); estimation period = the first
    row .. tau -w = -5 (the whole history before the event period, no gap, no minimum length).
  * "None": AR = the raw per-cent return. "marketModel": lm(firm ~ market, na.exclude) on the
    complete estimation rows (intercept alpha, slope beta, per cent units), AR = R - alpha - beta R_m
    on the event period.
  * remap.cumsum(is.pc = FALSE, base = 0): the tau = -4 row is set to 0, then cumulative sums:
    value(tau) = sum_{s=-3}^{tau} AR_s (per cent; the tau = -4 AR is dropped; no division by 100).
  * inference.bootstrap: Mean = boot's t0 = the mean over events of value(tau) (deterministic,
    printed as Mean); 2.5/97.5% = quantiles of 1000 resampled means (random, not reproduced).
    inference.classic: R t.test per tau, mean +- qt(0.975, n-1) sd/sqrt(n) (NaN at tau = -4, where
    every value is 0: tstat = 0/0). inference.wilcox: sorted Walsh averages w, no.f = #{k in
    1..m/2: 1 - 2 psignrank(k, n) >= 0.975}, CI = (w[no.f+1], w[m-no.f]) (1-based, m = n(n+1)/2),
    and the median; for n <= 6 no.f = 0, so the CI is [min, max] of the event values.
  There is no variance of CAR, no standardisation and no Patell/BMP test in eventstudies.
Reproduced published values (asserted to 1e-12 relative):
  * tests/testthat/test_functionality_inference.R: classic, wilcox and bootstrap matrices (the
    bootstrap CI there equals [min, max] of the 3 events, since P(all 3 draws = one event) =
    1/27 > 2.5%); test_userinput_remap.R: remap.cumsum of the width-2 window (-4..4);
    test_functionality_constantMeanReturn.R: constantMeanReturn over tau first..-2.
    This checks findInterval, the event-time indexing, the NA-to-0 first row, and the inference.
SplitDates with eventstudies' conventions (event.window = 5, NOT published anywhere, unverified
beyond the unit tests above): outcomes (BHEL ``wdatamissing`` because of its tau +3 holiday;
HDFC.Bank, HDFC, ONGC, Sun.Pharmaceutical, Tata.Motors, Tata.Power ``success``; 15 ``wrongspan``),
per-event cumulated paths tau -4..5, and per tau n, Mean (= the vignette's bootstrap "Mean"
column), classic CI, Median and Wilcoxon CI, for type "None" and "marketModel". Note HDFC succeeds
there with an estimation period of 30 rows (tau -34..-5), while Part 2 calls it window_outside_data.
Lines: ``p3 toy ...``, ``p3 eventstudies <type> outcomes=``, ``p3 eventstudies marketModel event
<k> <name> estimation_tau= n_obs= alpha= beta=``, ``p3 eventstudies <type> event <k> <name>
cumsum(tau -4..5)=``, ``p3 eventstudies <type> tau=<t> n= Mean= classic_lo= classic_hi= Median=
wilcox_lo= wilcox_hi=``.

Output
------
  # classic_models_reference.py: numpy 2.4.6, pandas 3.1.1, scipy 1.17.1, statsmodels 0.15.0
  ## Part 1: estudy2_rates.csv, tau 0 = 2020-03-16 (row 240), estimation tau -240..-1 = 2019-04-02..2020-03-13, event tau 0..4 = 2020-03-16..2020-03-20, N = 7
  p1 constant_mean AMZN L=240 params=[-6.7585997329478e-05] sigma2=0.000274852001198657
  p1 constant_mean AMZN tau=0 AR=-0.0551253711969361 VarAR=0.000275997217870318
  p1 constant_mean AMZN tau=1 AR=0.0679748716318176 VarAR=0.000275997217870318
  p1 constant_mean AMZN tau=2 AR=0.0122508091788342 VarAR=0.000275997217870318
  p1 constant_mean AMZN tau=3 AR=0.0275179832318874 VarAR=0.000275997217870318
  p1 constant_mean AMZN tau=4 AR=-0.0186289075528034 VarAR=0.000275997217870318
  p1 constant_mean AMZN car 0:4 CAR=0.0339893852927996 VarCAR=0.00140289042278481 SCAR=0.907468241647347 BHAR=0.0345619434829759
  p1 constant_mean AMZN car 0:1 CAR=0.0128495004348815 VarCAR=0.000554284869083958 SCAR=0.545782657630257 BHAR=0.0129306620190005
  p1 constant_mean ZM L=227 params=[0.0024232482956515] sigma2=0.00143943212620246
  p1 constant_mean ZM tau=0 AR=0.00119910272672277 VarAR=0.00144577323689058
  p1 constant_mean ZM tau=1 AR=0.0271733311677741 VarAR=0.00144577323689058
  p1 constant_mean ZM tau=2 AR=0.0638296087021169 VarAR=0.00144577323689058
  p1 constant_mean ZM tau=3 AR=0.0393181963762199 VarAR=0.00144577323689058
  p1 constant_mean ZM tau=4 AR=0.0509080895157636 VarAR=0.00144577323689058
  p1 constant_mean ZM car 0:4 CAR=0.182428328488597 VarCAR=0.00735568839821522 SCAR=2.12706429328176 BHAR=0.20256768290262
  p1 constant_mean ZM car 0:1 CAR=0.0283724338944969 VarCAR=0.00290422869515739 SCAR=0.52647916226576 BHAR=0.0289185798823306
  p1 constant_mean UBER L=212 params=[-0.00287466437257692] sigma2=0.00109123162421255
  p1 constant_mean UBER tau=0 AR=-0.104947038782579 VarAR=0.00109637894319469
  p1 constant_mean UBER tau=1 AR=-0.0675626560801414 VarAR=0.00109637894319469
  p1 constant_mean UBER tau=2 AR=-0.240838598429848 VarAR=0.00109637894319469
  p1 constant_mean UBER tau=3 AR=0.326834006755444 VarAR=0.00109637894319469
  p1 constant_mean UBER tau=4 AR=0.0430522346050276 VarAR=0.00109637894319469
  p1 constant_mean UBER car 0:4 CAR=-0.0434620519320971 VarCAR=0.00558484109561612 SCAR=-0.581573776940616 BHAR=-0.0419241714634083
  p1 constant_mean UBER car 0:1 CAR=-0.17250969486272 VarCAR=0.00220305252435364 SCAR=-3.67537012779171 BHAR=-0.157541503300215
  p1 constant_mean NFLX L=240 params=[-0.00036353851124702] sigma2=0.000537669891743554
  p1 constant_mean NFLX tau=0 AR=-0.117731744830039 VarAR=0.000539910182959152
  p1 constant_mean NFLX tau=1 AR=0.0679946792476877 VarAR=0.000539910182959152
  p1 constant_mean NFLX tau=2 AR=-0.0131123084808675 VarAR=0.000539910182959152
  p1 constant_mean NFLX tau=3 AR=0.0515252683125554 VarAR=0.000539910182959152
  p1 constant_mean NFLX tau=4 AR=0.002770025299197 VarAR=0.000539910182959152
  p1 constant_mean NFLX car 0:4 CAR=-0.00855408045146632 VarCAR=0.00274435673910772 SCAR=-0.16328754072041 BHAR=-0.00850213009021417
  p1 constant_mean NFLX car 0:1 CAR=-0.0497370655823513 VarCAR=0.0010843009483495 SCAR=-1.51044612764039 BHAR=-0.0484851663910888
  p1 constant_mean SHOP L=240 params=[0.00266825611135966] sigma2=0.00100458969084648
  p1 constant_mean SHOP tau=0 AR=-0.195668224289354 VarAR=0.001008775481225
  p1 constant_mean SHOP tau=1 AR=0.0942512218232954 VarAR=0.001008775481225
  p1 constant_mean SHOP tau=2 AR=-0.0554612098773181 VarAR=0.001008775481225
  p1 constant_mean SHOP tau=3 AR=-0.0156067094558685 VarAR=0.001008775481225
  p1 constant_mean SHOP tau=4 AR=0.0373040484418892 VarAR=0.001008775481225
  p1 constant_mean SHOP car 0:4 CAR=-0.135180873357355 VarCAR=0.00512759321369555 SCAR=-1.88781079818331 BHAR=-0.1281403084706
  p1 constant_mean SHOP car 0:1 CAR=-0.101417002466058 VarCAR=0.00202592254320706 SCAR=-2.25319797189061 BHAR=-0.0969598802453551
  p1 constant_mean FB L=240 params=[3.88423471599811e-05] sigma2=0.000411484973690115
  p1 constant_mean FB tau=0 AR=-0.153807899165189 VarAR=0.000413199494413824
  p1 constant_mean FB tau=1 AR=0.0230471985461638 VarAR=0.000413199494413824
  p1 constant_mean FB tau=2 AR=-0.0166394729708483 VarAR=0.000413199494413824
  p1 constant_mean FB tau=3 AR=0.0410879355930732 VarAR=0.000413199494413824
  p1 constant_mean FB tau=4 AR=-0.0224924633913969 VarAR=0.000413199494413824
  p1 constant_mean FB car 0:4 CAR=-0.128804701388197 VarCAR=0.0021002878865433 SCAR=-2.81055637760003 BHAR=-0.120877828908802
  p1 constant_mean FB car 0:1 CAR=-0.130760700619025 VarCAR=0.000829828030275065 SCAR=-4.53924045071859 BHAR=-0.122581805180166
  p1 constant_mean UPWK L=240 params=[-0.00397189969211511] sigma2=0.000905993774193901
  p1 constant_mean UPWK tau=0 AR=-0.00302602949552944 VarAR=0.000909768748253042
  p1 constant_mean UPWK tau=1 AR=-0.0703521718681743 VarAR=0.000909768748253042
  p1 constant_mean UPWK tau=2 AR=-0.192672620225636 VarAR=0.000909768748253042
  p1 constant_mean UPWK tau=3 AR=0.0971032468235295 VarAR=0.000909768748253042
  p1 constant_mean UPWK tau=4 AR=0.0418365053113616 VarAR=0.000909768748253042
  p1 constant_mean UPWK car 0:4 CAR=-0.127111069454448 VarCAR=0.00462434322244803 SCAR=-1.86921106212294 BHAR=-0.117017016072706
  p1 constant_mean UPWK car 0:1 CAR=-0.0733782013637037 VarCAR=0.00182708744462437 SCAR=-1.71667228453106 BHAR=-0.0701908770185588
  p1 constant_mean car 0:4 N=7 CAAR=-0.0323850089717382 car_t=-0.741673605806959 car_p=0.486290990766972 ABHAR=-0.0256188326600194 bhar_t=-0.572213806647352 bhar_p=0.587959563945708 patell_z=-1.60993264268043 patell_p=0.107412561838485 patell_den2=7.06069204224601 d=[239, 226, 211, 239, 239, 239, 239]
  p1 constant_mean car 0:1 N=7 CAAR=-0.0695115329377829 car_t=-2.51246638680295 car_p=0.0457504501086262 ABHAR=-0.0648442843191503 bhar_t=-2.50718410736679 bhar_p=0.0460783230638748 patell_z=-4.75036987778836 patell_p=2.03044914564659e-06 patell_den2=7.06069204224601 d=[239, 226, 211, 239, 239, 239, 239]
  p1 market_adjusted AMZN L=240 params=[] sigma2=0.000115961626341856
  p1 market_adjusted AMZN tau=0 AR=0.0724592403728784 VarAR=0.000115961626341856
  p1 market_adjusted AMZN tau=1 AR=0.0096809732379999 VarAR=0.000115961626341856
  p1 market_adjusted AMZN tau=2 AR=0.0654054952096179 VarAR=0.000115961626341856
  p1 market_adjusted AMZN tau=3 AR=0.0227536362324032 VarAR=0.000115961626341856
  p1 market_adjusted AMZN tau=4 AR=0.0256311306240983 VarAR=0.000115961626341856
  p1 market_adjusted AMZN car 0:4 CAR=0.195930475676998 VarCAR=0.000579808131709279 SCAR=8.13691617264132 BHAR=0.184020123366924
  p1 market_adjusted AMZN car 0:1 CAR=0.0821402136108783 VarCAR=0.000231923252683712 SCAR=5.39366142713381 BHAR=0.0798662244433528
  p1 market_adjusted ZM L=227 params=[] sigma2=0.00152841161057527
  p1 market_adjusted ZM tau=0 AR=0.131274548589518 VarAR=0.00152841161057527
  p1 market_adjusted ZM tau=1 AR=-0.0286297329330626 VarAR=0.00152841161057527
  p1 market_adjusted ZM tau=2 AR=0.119475129025882 VarAR=0.00152841161057527
  p1 market_adjusted ZM tau=3 AR=0.0370446836697167 VarAR=0.00152841161057527
  p1 market_adjusted ZM tau=4 AR=0.0976589619856463 VarAR=0.00152841161057527
  p1 market_adjusted ZM car 0:4 CAR=0.3568235903377 VarCAR=0.00764205805287636 SCAR=4.08176871342477 BHAR=0.364553676164213
  p1 market_adjusted ZM car 0:1 CAR=0.102644815656456 VarCAR=0.00305682322115054 SCAR=1.85652951148034 BHAR=0.100847565017784
  p1 market_adjusted UBER L=212 params=[] sigma2=0.000782420388094786
  p1 market_adjusted UBER tau=0 AR=0.019830494411988 VarAR=0.000782420388094786
  p1 market_adjusted UBER tau=1 AR=-0.128663632849207 VarAR=0.000782420388094786
  p1 market_adjusted UBER tau=2 AR=-0.190490990774312 VarAR=0.000782420388094786
  p1 market_adjusted UBER tau=3 AR=0.319262581380712 VarAR=0.000782420388094786
  p1 market_adjusted UBER tau=4 AR=0.0845051944066819 VarAR=0.000782420388094786
  p1 market_adjusted UBER car 0:4 CAR=0.104443646575864 VarCAR=0.00391210194047393 SCAR=1.66984801636436 BHAR=0.0936013625132009
  p1 market_adjusted UBER car 0:1 CAR=-0.108833138437219 VarCAR=0.00156484077618957 SCAR=-2.75122478969671 BHAR=-0.0962036109994973
  p1 market_adjusted NFLX L=240 params=[] sigma2=0.000338008505601554
  p1 market_adjusted NFLX tau=0 AR=0.009556914225858 VarAR=0.000338008505601554
  p1 market_adjusted NFLX tau=1 AR=0.00940482833995251 VarAR=0.000338008505601554
  p1 market_adjusted NFLX tau=2 AR=0.0397464250359987 VarAR=0.000338008505601554
  p1 market_adjusted NFLX tau=3 AR=0.0464649687991537 VarAR=0.000338008505601554
  p1 market_adjusted NFLX tau=4 AR=0.0467341109621812 VarAR=0.000338008505601554
  p1 market_adjusted NFLX car 0:4 CAR=0.151907247363144 VarCAR=0.00169004252800777 SCAR=3.6951296207382 BHAR=0.139477881134864
  p1 market_adjusted NFLX car 0:1 CAR=0.0189617425658105 VarCAR=0.000676017011203107 SCAR=0.729288614958166 BHAR=0.0178587461265556
  p1 market_adjusted SHOP L=240 params=[] sigma2=0.000687674503089909
  p1 market_adjusted SHOP tau=0 AR=-0.06534777061085 VarAR=0.000687674503089909
  p1 market_adjusted SHOP tau=1 AR=0.0386931655381669 VarAR=0.000687674503089909
  p1 market_adjusted SHOP tau=2 AR=0.000429318262154803 VarAR=0.000687674503089909
  p1 market_adjusted SHOP tau=3 AR=-0.0176352143466635 VarAR=0.000687674503089909
  p1 market_adjusted SHOP tau=4 AR=0.0842999287274801 VarAR=0.000687674503089909
  p1 market_adjusted SHOP car 0:4 CAR=0.0404394275702883 VarCAR=0.00343837251544954 SCAR=0.689649675349785 BHAR=0.0350864168404488
  p1 market_adjusted SHOP car 0:1 CAR=-0.0266546050726831 VarCAR=0.00137534900617982 SCAR=-0.718730033757645 BHAR=-0.0245383781945785
  p1 market_adjusted FB L=240 params=[] sigma2=0.000178760764922047
  p1 market_adjusted FB tau=0 AR=-0.026116859250885 VarAR=0.000178760764922047
  p1 market_adjusted FB tau=1 AR=-0.0351402715031644 VarAR=0.000178760764922047
  p1 market_adjusted FB tau=2 AR=0.0366216414044249 VarAR=0.000178760764922047
  p1 market_adjusted FB tau=3 AR=0.0364300169380785 VarAR=0.000178760764922047
  p1 market_adjusted FB tau=4 AR=0.0218740031299943 VarAR=0.000178760764922047
  p1 market_adjusted FB car 0:4 CAR=0.0336685307184483 VarCAR=0.000893803824610237 SCAR=1.1261676818001 BHAR=0.0291124544660057
  p1 market_adjusted FB car 0:1 CAR=-0.0612571307540494 VarCAR=0.000357521529844095 SCAR=-3.23970563179464 BHAR=-0.0554333921846228
  p1 market_adjusted UPWK L=240 params=[] sigma2=0.000821962568509583
  p1 market_adjusted UPWK tau=0 AR=0.120654268379499 VarAR=0.000821962568509583
  p1 market_adjusted UPWK tau=1 AR=-0.132550383956778 VarAR=0.000821962568509583
  p1 market_adjusted UPWK tau=2 AR=-0.143422247889638 VarAR=0.000821962568509583
  p1 market_adjusted UPWK tau=3 AR=0.0884345861292597 VarAR=0.000821962568509583
  p1 market_adjusted UPWK tau=4 AR=0.0821922297934777 VarAR=0.000821962568509583
  p1 market_adjusted UPWK car 0:4 CAR=0.0153084524558214 VarCAR=0.00410981284254792 SCAR=0.238792271776533 BHAR=0.0131154391106272
  p1 market_adjusted UPWK car 0:1 CAR=-0.0118961155772782 VarCAR=0.00164392513701917 SCAR=-0.293402734290324 BHAR=-0.0110324825266318
  p1 market_adjusted car 0:4 N=7 CAAR=0.128360195814038 car_t=2.81440293943621 car_p=0.0305784719492561 ABHAR=0.122709621942326 bhar_t=2.6243544239589 bhar_p=0.0393559977017594 patell_z=7.39059900810636 patell_p=1.46168812133825e-13 patell_den2=7.06069204224601 d=[239, 226, 211, 239, 239, 239, 239]
  p1 market_adjusted car 0:1 N=7 CAAR=-0.000699174001154958 car_t=-0.0245418929744987 car_p=0.981216226345046 ABHAR=0.00162352452605165 bhar_t=0.0608470306145763 bhar_p=0.953457197110569 patell_z=0.367461136887815 patell_p=0.71327507552569 patell_den2=7.06069204224601 d=[239, 226, 211, 239, 239, 239, 239]
  p1 market_model AMZN L=240 params=[0.000134189146722981, 0.864635122597955] sigma2=0.000112439804942823
  p1 market_model AMZN tau=0 AR=0.0550454271523773 VarAR=0.00014796575500058
  p1 market_model AMZN tau=1 AR=0.0174285817304007 VarAR=0.0001202877866567
  p1 market_model AMZN tau=2 AR=0.0580668797347511 VarAR=0.000118971240617972
  p1 market_model AMZN tau=3 AR=0.0232552235629236 VarAR=0.000112960788385136
  p1 market_model AMZN tau=4 AR=0.0194965380655066 VarAR=0.000117106640178922
  p1 market_model AMZN car 0:4 CAR=0.173292650245959 VarCAR=0.000629960770683516 SCAR=6.90435941166167 BHAR=0.164553849087699
  p1 market_model AMZN car 0:1 CAR=0.0724740088827781 VarCAR=0.000237021869177913 SCAR=4.70747557718559 BHAR=0.0708046139422146
  p1 market_model ZM L=227 params=[0.00251653973513334, 0.306387919491648] sigma2=0.00142416270957538
  p1 market_model ZM tau=0 AR=0.0402169025183749 VarAR=0.00187517636829255
  p1 market_model ZM tau=1 AR=0.0092402010134615 VarAR=0.00152438566175303
  p1 market_model ZM tau=2 AR=0.0800429784599472 VarAR=0.0015072305087348
  p1 market_model ZM tau=3 AR=0.0377858741049384 VarAR=0.00143112248551399
  p1 market_model ZM tau=4 AR=0.0643962466230321 VarAR=0.00148358440283095
  p1 market_model ZM car 0:4 CAR=0.231682202719754 VarCAR=0.00798635773538254 SCAR=2.59249718625493 BHAR=0.251214112308952
  p1 market_model ZM car 0:1 CAR=0.0494571035318364 VarCAR=0.00300329235806041 SCAR=0.902463971145289 BHAR=0.049883884369531
  p1 market_model UBER L=212 params=[-0.00254850768521084, 1.13443388551092] sigma2=0.000781726859721453
  p1 market_model UBER tau=0 AR=0.0395397830101573 VarAR=0.00103235567412441
  p1 market_model UBER tau=1 AR=-0.133942714578428 VarAR=0.000837535249734996
  p1 market_model UBER tau=2 AR=-0.180787606264643 VarAR=0.000828070026406912
  p1 market_model UBER tau=3 AR=0.321179685235087 VarAR=0.000785792430493933
  p1 market_model UBER tau=4 AR=0.0930128368451023 VarAR=0.000814939447342934
  p1 market_model UBER car 0:4 CAR=0.139001984247276 VarCAR=0.00439463386293535 SCAR=2.09681276044234 BHAR=0.12248110550775
  p1 market_model UBER car 0:1 CAR=-0.0944029315682708 VarCAR=0.00165036631171593 SCAR=-2.32378158622051 BHAR=-0.0828379153760382
  p1 market_model NFLX L=240 params=[-0.000139928669381005, 0.958199900903876] sigma2=0.000339046426691468
  p1 market_model NFLX tau=0 AR=0.00436096838709434 VarAR=0.000446169935381536
  p1 market_model NFLX tau=1 AR=0.0119786226375086 VarAR=0.000362710912397247
  p1 market_model NFLX tau=2 AR=0.0376616574604837 VarAR=0.000358741052877902
  p1 market_model NFLX tau=3 AR=0.0468012225438556 VarAR=0.000340617379029667
  p1 market_model NFLX tau=4 AR=0.0450211405483836 VarAR=0.000353118612351714
  p1 market_model NFLX car 0:4 CAR=0.145823611577326 VarCAR=0.00189955815349076 SCAR=3.34581214482306 BHAR=0.134289784733053
  p1 market_model NFLX car 0:1 CAR=0.016339591024603 VarCAR=0.000714706129500747 SCAR=0.611191673004614 BHAR=0.0154092541249001
  p1 market_model SHOP L=240 params=[0.00295466060180173, 1.22728388012752] sigma2=0.000679261579310358
  p1 market_model SHOP tau=0 AR=-0.0392891444427871 VarAR=0.000893877861818176
  p1 market_model SHOP tau=1 AR=0.0225046027293745 VarAR=0.000726672124500095
  p1 market_model SHOP tau=2 AR=0.00957122215610479 VarAR=0.000718718720970482
  p1 market_model SHOP tau=3 AR=-0.0216573730130666 VarAR=0.000682408899211881
  p1 market_model SHOP tau=4 AR=0.0914202225448319 VarAR=0.000707454458820117
  p1 market_model SHOP car 0:4 CAR=0.0625495299744575 VarCAR=0.00380566426823358 SCAR=1.01393196382352 BHAR=0.0536782224274588
  p1 market_model SHOP car 0:1 CAR=-0.0167845417134126 VarCAR=0.00143187592037137 SCAR=-0.443564514410011 BHAR=-0.0153756001283941
  p1 market_model FB L=240 params=[0.000280158807482268, 1.03407527342128] sigma2=0.000179257816692561
  p1 market_model FB tau=0 AR=-0.022047234523439 VarAR=0.000235895270364068
  p1 market_model FB tau=1 AR=-0.0374045078258702 VarAR=0.000191769507442897
  p1 market_model FB tau=2 AR=0.0381550460684026 VarAR=0.000189670596220153
  p1 market_model FB tau=3 AR=0.0359898147152534 VarAR=0.000180088397592709
  p1 market_model FB tau=4 AR=0.0231043202363649 VarAR=0.000186697946064116
  p1 market_model FB car 0:4 CAR=0.0377974386707117 VarCAR=0.00100431864331421 SCAR=1.1926873381661 BHAR=0.0326156311808254
  p1 market_model FB car 0:1 CAR=-0.0594517423493091 VarCAR=0.000377873501282113 SCAR=-3.05837945880955 BHAR=-0.0537506119826144
  p1 market_model UPWK L=240 params=[-0.00381021497716732, 0.692841945362454] sigma2=0.000804774093782035
  p1 market_model UPWK tau=0 AR=0.0852550826817351 VarAR=0.00105904671794761
  p1 market_model UPWK tau=1 AR=-0.110855488135187 VarAR=0.000860945058993287
  p1 market_model UPWK tau=2 AR=-0.155959682452016 VarAR=0.000851522042422078
  p1 market_model UPWK tau=3 AR=0.0936874490789463 VarAR=0.000808502968782092
  p1 market_model UPWK tau=4 AR=0.0723868579625839 VarAR=0.000838176393793773
  p1 market_model UPWK car 0:4 CAR=-0.0154857808639376 VarCAR=0.00450886684304426 SCAR=-0.230621293921433 BHAR=-0.0134732273056377
  p1 market_model UPWK car 0:1 CAR=-0.0256004054534518 VarCAR=0.00169645491711033 SCAR=-0.621549443851888 BHAR=-0.0239056228927825
  p1 market_model car 0:4 N=7 CAAR=0.11066594808165 car_t=3.41347265121337 car_p=0.0142576329058086 ABHAR=0.106479925420014 bhar_t=3.15028629304924 bhar_p=0.0198075263257371 patell_z=6.36579331643061 patell_p=1.94282907592205e-10 patell_den2=7.06095687583679 d=[238, 225, 210, 238, 238, 238, 238]
  p1 market_model car 0:1 N=7 CAAR=-0.00828127394931813 car_t=-0.371510957024273 car_p=0.723023052883951 ABHAR=-0.00568171399188338 bhar_t=-0.273903294372233 bhar_p=0.793344200725419 patell_z=-0.0851045679653008 patell_p=0.932178258773831 patell_den2=7.06095687583679 d=[238, 225, 210, 238, 238, 238, 238]

  ## Part 2: eventstudies splits, 720 rows 2010-07-01..2013-03-28, 22 events; returns / 100 (simple); estimation tau -120..-11 (>= 60 complete rows), event tau -5..5
  p2 market_model regressors=['const', 'NiftyIndex'] p=2
  p2 market_model event 1 BHEL when=2011-10-03 tau0=2011-10-03 status=ok L=106 coef=[-0.00161318884760673, 0.796456756989281] sigma2=0.000209557447724726
  p2 market_model event 1 BHEL AR(tau -5..5)=[0.000621884733328941, 0.0151073051749531, -0.00110690171338241, 0.00992114908436667, -0.00562635340724189, -0.00219138840166338, 0.0189226168607123, -0.0187324383146378, nan, 0.00655835753189075, 0.0107808922487032]
  p2 market_model event 1 BHEL car -1:1 status=ok CAR=0.011104875051807 VarCAR=0.000677707303564037 SCAR=0.426572243818561 BHAR=0.0106423767304559
  p2 market_model event 1 BHEL car -5:5 status=missing_return missing_tau=[3]
  p2 market_model event 1 BHEL car 0:5 status=missing_return missing_tau=[3]
  p2 market_model event 2 Bharti.Airtel when=2009-07-24 tau0=2010-07-01 status=window_outside_data
  p2 market_model event 3 Cipla when=2004-05-11 tau0=2010-07-01 status=window_outside_data
  p2 market_model event 4 Coal.India when=2010-02-16 tau0=2010-07-01 status=window_outside_data
  p2 market_model event 5 Dr.Reddy when=2001-10-10 tau0=2010-07-01 status=window_outside_data
  p2 market_model event 6 HDFC.Bank when=2011-07-14 tau0=2011-07-14 status=ok L=106 coef=[0.00179579987901251, 0.976581601397047] sigma2=8.06447615112615e-05
  p2 market_model event 6 HDFC.Bank AR(tau -5..5)=[-0.0118114853812706, 0.00728177277008475, -0.00779608321537196, -0.00333647596192281, 0.00203302598469573, 0.00118884364241093, 0.00757985422468686, 0.0112189270260645, -0.0169420810815777, -0.00935877670936757, -0.0104324128826632]
  p2 market_model event 6 HDFC.Bank car -1:1 status=ok CAR=0.0108017238517935 VarCAR=0.000249354129072426 SCAR=0.68404518178508 BHAR=0.0109728780898775
  p2 market_model event 6 HDFC.Bank car -5:5 status=ok CAR=-0.030374891584231 VarCAR=0.000980115352554942 SCAR=-0.970233220089353 BHAR=-0.0302435582276149
  p2 market_model event 6 HDFC.Bank car 0:5 status=ok CAR=-0.0167456457804462 VarCAR=0.00051152101210876 SCAR=-0.740406395146878 BHAR=-0.0168943105151377
  p2 market_model event 7 Hero.Motocorp when=2001-03-12 tau0=2010-07-01 status=window_outside_data
  p2 market_model event 8 Hindalco.Industries when=2005-08-30 tau0=2010-07-01 status=window_outside_data
  p2 market_model event 9 HDFC when=2010-08-18 tau0=2010-08-18 status=window_outside_data
  p2 market_model event 10 ITC when=2005-09-21 tau0=2010-07-01 status=window_outside_data
  p2 market_model event 11 Jindal.Steel when=2003-12-19 tau0=2010-07-01 status=window_outside_data
  p2 market_model event 12 Jindal.Steel when=2008-01-21 tau0=2010-07-01 status=window_outside_data
  p2 market_model event 13 Mahindra.and.Mahindra when=2010-03-29 tau0=2010-07-01 status=window_outside_data
  p2 market_model event 14 Maruti.Suzuki when=2003-03-22 tau0=2010-07-01 status=window_outside_data
  p2 market_model event 15 NTPC when=2002-09-23 tau0=2010-07-01 status=window_outside_data
  p2 market_model event 16 ONGC when=2011-02-08 tau0=2011-02-08 status=ok L=107 coef=[-0.00132695411266358, 0.644437052503954] sigma2=0.00011936140222546
  p2 market_model event 16 ONGC AR(tau -5..5)=[0.0106037580069213, 0.00519834218246845, -0.000392499270370513, 0.0136654831103139, 0.00428352533315638, -0.0460671759398692, -0.0166300716730066, 0.00109433700857971, 0.00462949580941437, -0.00879389823827443, 0.00958392098341987]
  p2 market_model event 16 ONGC car -1:1 status=ok CAR=-0.0584137222797195 VarCAR=0.000375576242624118 SCAR=-3.0141566892881 BHAR=-0.0573338653440923
  p2 market_model event 16 ONGC car -5:5 status=ok CAR=-0.0228247826872469 VarCAR=0.00144860279396144 SCAR=-0.599697159933074 BHAR=-0.0238409227727485
  p2 market_model event 16 ONGC car 0:5 status=ok CAR=-0.0561833920497363 VarCAR=0.000758135610741799 SCAR=-2.04049017382709 BHAR=-0.0565712719148835
  p2 market_model event 17 Sterlite.Industries when=2006-05-05 tau0=2010-07-01 status=window_outside_data
  p2 market_model event 18 Sterlite.Industries when=2010-06-21 tau0=2010-07-01 status=window_outside_data
  p2 market_model event 19 Sun.Pharmaceutical when=2003-01-13 tau0=2010-07-01 status=window_outside_data
  p2 market_model event 20 Sun.Pharmaceutical when=2010-11-25 tau0=2010-11-25 status=window_outside_data
  p2 market_model event 21 Tata.Motors when=2011-09-12 tau0=2011-09-12 status=ok L=106 coef=[-0.0025951287424851, 1.42975653883129] sigma2=0.000303633947928382
  p2 market_model event 21 Tata.Motors AR(tau -5..5)=[0.0074209675556422, 0.00502852316508397, -0.0101725448140805, 0.0201849886434723, -0.00379938256443478, -0.00747479437273947, -0.0429163745270736, 0.00222771821577501, 0.0432949056763263, 0.0679896320601207, 0.0152118818518098]
  p2 market_model event 21 Tata.Motors car -1:1 status=ok CAR=-0.0541905514642478 VarCAR=0.000970952447761637 SCAR=-1.73910014028062 BHAR=-0.05061137622525
  p2 market_model event 21 Tata.Motors car -5:5 status=ok CAR=0.0969955208899019 VarCAR=0.00369337142062252 SCAR=1.59602682899409 BHAR=0.0928215956859778
  p2 market_model event 21 Tata.Motors car 0:5 status=ok CAR=0.0783329689042188 VarCAR=0.00192541482066792 SCAR=1.78518172325909 BHAR=0.0741813293600161
  p2 market_model event 22 Tata.Power when=2011-09-26 tau0=2011-09-26 status=ok L=104 coef=[-0.00153879710860415, 0.768179976311541] sigma2=0.000182827465501831
  p2 market_model event 22 Tata.Power AR(tau -5..5)=[0.0109029100742398, -0.00331360022074191, 0.0047818936920372, 0.0102805853414806, 0.0239406761847997, -0.0114861057216812, 0.0186042850087893, 0.00149775589639853, 0.00756919537338014, -0.0130664827725084, -0.0106919188399246]
  p2 market_model event 22 Tata.Power car -1:1 status=ok CAR=0.0310588554719077 VarCAR=0.000566780964094632 SCAR=1.30460133921289 BHAR=0.0308938777419514
  p2 market_model event 22 Tata.Power car -5:5 status=ok CAR=0.0390191940162691 VarCAR=0.00223724294004289 SCAR=0.824938782126349 BHAR=0.0367930403310592
  p2 market_model event 22 Tata.Power car 0:5 status=ok CAR=-0.00757327105554627 VarCAR=0.00116052058772018 SCAR=-0.222309015979729 BHAR=-0.00867548106056937
  p2 market_model car -1:1 N=5 events=['BHEL', 'HDFC.Bank', 'ONGC', 'Tata.Motors', 'Tata.Power'] CAAR=-0.0119277638736918 cs_t=-0.644882073261904 cs_p=0.554126963357412 patell_z=-1.03547924084022 patell_p=0.30044515626923 bmp_t=-0.571952861506268 bmp_p=0.597962027344377 ABHAR=-0.0110872218014115 bhar_t=-0.618724926130733 bhar_p=0.569592614971974 d=[104, 104, 105, 104, 102]
  p2 market_model car -5:5 N=4 events=['HDFC.Bank', 'ONGC', 'Tata.Motors', 'Tata.Power'] CAAR=0.0207037601586733 cs_t=0.694653721245776 cs_p=0.537237197882612 patell_z=0.42139581320281 patell_p=0.673466075935668 bmp_t=0.353464587965091 bmp_p=0.747120240691641 ABHAR=0.0188825387541684 bhar_t=0.653247379546526 bhar_p=0.560196250780729 d=[104, 105, 104, 102]
  p2 market_model car 0:5 N=4 events=['HDFC.Bank', 'ONGC', 'Tata.Motors', 'Tata.Power'] CAAR=-0.000542334995377505 cs_t=-0.0191453208693717 cs_p=0.98592732143438 patell_z=-0.603112699619967 patell_p=0.546433718598059 bmp_t=-0.383205747912773 bmp_p=0.727109007010647 ABHAR=-0.00198993353264362 bhar_t=-0.072469021699606 bhar_p=0.946789719866334 d=[104, 105, 104, 102]
  p2 market_model day -5 N=5 AAR=0.00354760699777233 cs_t=0.832310518971691 cs_p=0.45203913984941
  p2 market_model day -4 N=5 AAR=0.00586046861436968 cs_t=1.99366706437986 cs_p=0.116959492226372
  p2 market_model day -3 N=5 AAR=-0.00293722706423363 cs_t=-1.08947388404153 cs_p=0.337183765246939
  p2 market_model day -2 N=5 AAR=0.0101431460435421 cs_t=2.64098831137659 cs_p=0.0575208945782416
  p2 market_model day -1 N=5 AAR=0.00416629830619502 cs_t=0.790938741877523 cs_p=0.473234712949803
  p2 market_model day 0 N=5 AAR=-0.0132061241587085 cs_t=-1.55409470518441 cs_p=0.195129323525189
  p2 market_model day 1 N=5 AAR=-0.00288793802117835 cs_t=-0.242422404236193 cs_p=0.820375455319045
  p2 market_model day 2 N=5 AAR=-0.000538740033564014 cs_t=-0.109546070331534 cs_p=0.918045207008843
  p2 market_model day 3 N=4 AAR=0.00963787894438578 cs_t=0.772338616691764 cs_p=0.496179178771325
  p2 market_model day 4 N=5 AAR=0.00866576637437222 cs_t=0.569809430235001 cs_p=0.599283713203238
  p2 market_model day 5 N=5 AAR=0.002890472672269 cs_t=0.518785068628195 cs_p=0.631289919079867
  p2 factor_model regressors=['const', 'NiftyIndex', 'SP500', 'USDINR'] p=4
  p2 factor_model event 1 BHEL when=2011-10-03 tau0=2011-10-03 status=estimation_too_short L=52
  p2 factor_model event 2 Bharti.Airtel when=2009-07-24 tau0=2010-07-01 status=window_outside_data
  p2 factor_model event 3 Cipla when=2004-05-11 tau0=2010-07-01 status=window_outside_data
  p2 factor_model event 4 Coal.India when=2010-02-16 tau0=2010-07-01 status=window_outside_data
  p2 factor_model event 5 Dr.Reddy when=2001-10-10 tau0=2010-07-01 status=window_outside_data
  p2 factor_model event 6 HDFC.Bank when=2011-07-14 tau0=2011-07-14 status=ok L=75 coef=[0.00228673796770663, 0.914031362211257, -0.0666783860603826, 0.181894755570655] sigma2=8.24265462903227e-05
  p2 factor_model event 6 HDFC.Bank AR(tau -5..5)=[-0.0102755828615784, 0.00632378423361763, nan, -0.00741776970472086, 0.00264730688723733, 0.00114689863104227, 0.00638944672949294, nan, -0.0167813903226479, -0.00910729290525987, -0.0110704632592085]
  p2 factor_model event 6 HDFC.Bank car -1:1 status=ok CAR=0.0101836522477725 VarCAR=0.00025949831492043 SCAR=0.632173504068464 BHAR=0.0103370716047344
  p2 factor_model event 6 HDFC.Bank car -5:5 status=missing_return missing_tau=[-3, 2]
  p2 factor_model event 6 HDFC.Bank car 0:5 status=missing_return missing_tau=[2]
  p2 factor_model event 7 Hero.Motocorp when=2001-03-12 tau0=2010-07-01 status=window_outside_data
  p2 factor_model event 8 Hindalco.Industries when=2005-08-30 tau0=2010-07-01 status=window_outside_data
  p2 factor_model event 9 HDFC when=2010-08-18 tau0=2010-08-18 status=window_outside_data
  p2 factor_model event 10 ITC when=2005-09-21 tau0=2010-07-01 status=window_outside_data
  p2 factor_model event 11 Jindal.Steel when=2003-12-19 tau0=2010-07-01 status=window_outside_data
  p2 factor_model event 12 Jindal.Steel when=2008-01-21 tau0=2010-07-01 status=window_outside_data
  p2 factor_model event 13 Mahindra.and.Mahindra when=2010-03-29 tau0=2010-07-01 status=window_outside_data
  p2 factor_model event 14 Maruti.Suzuki when=2003-03-22 tau0=2010-07-01 status=window_outside_data
  p2 factor_model event 15 NTPC when=2002-09-23 tau0=2010-07-01 status=window_outside_data
  p2 factor_model event 16 ONGC when=2011-02-08 tau0=2011-02-08 status=ok L=75 coef=[-0.00212934240948133, 0.434027221888209, -0.0755089781779702, -0.867867972874616] sigma2=0.000114846770663063
  p2 factor_model event 16 ONGC AR(tau -5..5)=[7.37821279459712e-05, 0.0101130975672613, 0.00374732396288639, 0.00978868543524868, nan, -0.0495822337241076, -0.0124113976268079, 0.00314196070476725, nan, nan, 0.0134309626391118]
  p2 factor_model event 16 ONGC car -1:1 status=missing_return missing_tau=[-1]
  p2 factor_model event 16 ONGC car -5:5 status=missing_return missing_tau=[-1, 3, 4]
  p2 factor_model event 16 ONGC car 0:5 status=missing_return missing_tau=[3, 4]
  p2 factor_model event 17 Sterlite.Industries when=2006-05-05 tau0=2010-07-01 status=window_outside_data
  p2 factor_model event 18 Sterlite.Industries when=2010-06-21 tau0=2010-07-01 status=window_outside_data
  p2 factor_model event 19 Sun.Pharmaceutical when=2003-01-13 tau0=2010-07-01 status=window_outside_data
  p2 factor_model event 20 Sun.Pharmaceutical when=2010-11-25 tau0=2010-11-25 status=window_outside_data
  p2 factor_model event 21 Tata.Motors when=2011-09-12 tau0=2011-09-12 status=ok L=61 coef=[-0.00112582531471104, 1.08440772962735, 0.344119248393807, 0.920054010054094] sigma2=0.000290410687356188
  p2 factor_model event 21 Tata.Motors AR(tau -5..5)=[nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan]
  p2 factor_model event 21 Tata.Motors car -1:1 status=missing_return missing_tau=[-1, 0, 1]
  p2 factor_model event 21 Tata.Motors car -5:5 status=missing_return missing_tau=[-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5]
  p2 factor_model event 21 Tata.Motors car 0:5 status=missing_return missing_tau=[0, 1, 2, 3, 4, 5]
  p2 factor_model event 22 Tata.Power when=2011-09-26 tau0=2011-09-26 status=estimation_too_short L=54
  p2 factor_model car -1:1 N=1 events=['HDFC.Bank'] CAAR=0.0101836522477725 cs_t=nan cs_p=nan patell_z=0.623206049709239 patell_p=0.533149126708584 bmp_t=nan bmp_p=nan ABHAR=0.0103370716047344 bhar_t=nan bhar_p=nan d=[71]
  p2 factor_model car -5:5 N=0
  p2 factor_model car 0:5 N=0
  p2 factor_model day -5 N=2 AAR=-0.00510090036681623 cs_t=-0.985741709173335 cs_p=0.504571064719289
  p2 factor_model day -4 N=2 AAR=0.00821844090043948 cs_t=4.33769402359602 cs_p=0.144244400314704
  p2 factor_model day -3 N=1 AAR=0.00374732396288639 cs_t=nan cs_p=nan
  p2 factor_model day -2 N=2 AAR=0.00118545786526391 cs_t=0.137792224559976 cs_p=0.912827684249359
  p2 factor_model day -1 N=1 AAR=0.00264730688723733 cs_t=nan cs_p=nan
  p2 factor_model day 0 N=2 AAR=-0.0242176675465327 cs_t=-0.95478343201248 cs_p=0.514723180283559
  p2 factor_model day 1 N=2 AAR=-0.00301097544865749 cs_t=-0.32030215149868 cs_p=0.802662509207971
  p2 factor_model day 2 N=1 AAR=0.00314196070476725 cs_t=nan cs_p=nan
  p2 factor_model day 3 N=1 AAR=-0.0167813903226479 cs_t=nan cs_p=nan
  p2 factor_model day 4 N=1 AAR=-0.00910729290525987 cs_t=nan cs_p=nan
  p2 factor_model day 5 N=2 AAR=0.00118024968995164 cs_t=0.096341306408012 cs_p=0.938855926062239
  p2 factor_nifty_usdinr regressors=['const', 'NiftyIndex', 'USDINR'] p=3
  p2 factor_nifty_usdinr event 1 BHEL when=2011-10-03 tau0=2011-10-03 status=ok L=106 coef=[-0.00201033621701196, 0.907687339289524, 0.703082579247895] sigma2=0.00020695004642467
  p2 factor_nifty_usdinr event 1 BHEL AR(tau -5..5)=[0.000337326405203223, 0.0200707834374795, -0.00272359502843277, 0.0104856577101307, -0.00426206838557878, -0.00159822029087067, 0.0175414219310366, -0.0169937272579798, nan, 0.00537461190914176, 0.0100465502363363]
  p2 factor_nifty_usdinr event 1 BHEL car -1:1 status=ok CAR=0.0116811332545871 VarCAR=0.000669418721377184 SCAR=0.451477437369255 BHAR=0.0112030673292075
  p2 factor_nifty_usdinr event 1 BHEL car -5:5 status=missing_return missing_tau=[3]
  p2 factor_nifty_usdinr event 1 BHEL car 0:5 status=missing_return missing_tau=[3]
  p2 factor_nifty_usdinr event 2 Bharti.Airtel when=2009-07-24 tau0=2010-07-01 status=window_outside_data
  p2 factor_nifty_usdinr event 3 Cipla when=2004-05-11 tau0=2010-07-01 status=window_outside_data
  p2 factor_nifty_usdinr event 4 Coal.India when=2010-02-16 tau0=2010-07-01 status=window_outside_data
  p2 factor_nifty_usdinr event 5 Dr.Reddy when=2001-10-10 tau0=2010-07-01 status=window_outside_data
  p2 factor_nifty_usdinr event 6 HDFC.Bank when=2011-07-14 tau0=2011-07-14 status=ok L=106 coef=[0.0017905985966518, 0.965928461843027, -0.0934163736231882] sigma2=8.13346873767121e-05
  p2 factor_nifty_usdinr event 6 HDFC.Bank AR(tau -5..5)=[-0.0120330480917833, 0.00736991369294032, -0.0076542994290156, -0.00304243040219941, 0.00177504436156343, 0.00117940885894273, 0.00757042954464067, 0.0113126033467506, -0.0170055741946579, -0.00953671295065208, -0.0105706446903624]
  p2 factor_nifty_usdinr event 6 HDFC.Bank car -1:1 status=ok CAR=0.0105248827651468 VarCAR=0.000252137907441672 SCAR=0.662823953656662 BHAR=0.0106950459537789
  p2 factor_nifty_usdinr event 6 HDFC.Bank car -5:5 status=ok CAR=-0.030635309953833 VarCAR=0.000989075991992966 SCAR=-0.974108759178621 BHAR=-0.0304925213780932
  p2 factor_nifty_usdinr event 6 HDFC.Bank car 0:5 status=ok CAR=-0.0170504900853384 VarCAR=0.00051668592082004 SCAR=-0.750107577551494 BHAR=-0.0172008778981937
  p2 factor_nifty_usdinr event 7 Hero.Motocorp when=2001-03-12 tau0=2010-07-01 status=window_outside_data
  p2 factor_nifty_usdinr event 8 Hindalco.Industries when=2005-08-30 tau0=2010-07-01 status=window_outside_data
  p2 factor_nifty_usdinr event 9 HDFC when=2010-08-18 tau0=2010-08-18 status=window_outside_data
  p2 factor_nifty_usdinr event 10 ITC when=2005-09-21 tau0=2010-07-01 status=window_outside_data
  p2 factor_nifty_usdinr event 11 Jindal.Steel when=2003-12-19 tau0=2010-07-01 status=window_outside_data
  p2 factor_nifty_usdinr event 12 Jindal.Steel when=2008-01-21 tau0=2010-07-01 status=window_outside_data
  p2 factor_nifty_usdinr event 13 Mahindra.and.Mahindra when=2010-03-29 tau0=2010-07-01 status=window_outside_data
  p2 factor_nifty_usdinr event 14 Maruti.Suzuki when=2003-03-22 tau0=2010-07-01 status=window_outside_data
  p2 factor_nifty_usdinr event 15 NTPC when=2002-09-23 tau0=2010-07-01 status=window_outside_data
  p2 factor_nifty_usdinr event 16 ONGC when=2011-02-08 tau0=2011-02-08 status=ok L=107 coef=[-0.00136871897839526, 0.579741955973313, -0.512773317162842] sigma2=0.000116508828772502
  p2 factor_nifty_usdinr event 16 ONGC AR(tau -5..5)=[0.00538135440251651, 0.0067685758391623, 0.000711743468981882, 0.0122679573330913, 0.00150774522247305, -0.0480530669633973, -0.0140902568318112, 0.00231207634260648, 0.00525577453638521, -0.00908121339455829, 0.0107672841857439]
  p2 factor_nifty_usdinr event 16 ONGC car -1:1 status=ok CAR=-0.0606355785727354 VarCAR=0.000367982992952101 SCAR=-3.16092107579443 BHAR=-0.0595068665035855
  p2 factor_nifty_usdinr event 16 ONGC car -5:5 status=ok CAR=-0.0262520258588062 VarCAR=0.00141727264143413 SCAR=-0.697326422623431 BHAR=-0.0272832834126456
  p2 factor_nifty_usdinr event 16 ONGC car 0:5 status=ok CAR=-0.0528894021250312 VarCAR=0.000743055854983874 SCAR=-1.94025105107689 BHAR=-0.0532678405109234
  p2 factor_nifty_usdinr event 17 Sterlite.Industries when=2006-05-05 tau0=2010-07-01 status=window_outside_data
  p2 factor_nifty_usdinr event 18 Sterlite.Industries when=2010-06-21 tau0=2010-07-01 status=window_outside_data
  p2 factor_nifty_usdinr event 19 Sun.Pharmaceutical when=2003-01-13 tau0=2010-07-01 status=window_outside_data
  p2 factor_nifty_usdinr event 20 Sun.Pharmaceutical when=2010-11-25 tau0=2010-11-25 status=window_outside_data
  p2 factor_nifty_usdinr event 21 Tata.Motors when=2011-09-12 tau0=2011-09-12 status=ok L=106 coef=[-0.00257789004625298, 1.41755785385686, -0.0944102244459131] sigma2=0.000306499952926822
  p2 factor_nifty_usdinr event 21 Tata.Motors AR(tau -5..5)=[0.00777429824922414, 0.00537741962409145, -0.00994296569700376, 0.0202867526310728, -0.00342950513957834, -0.00628577350870359, -0.0422112418136828, 0.00248511257944427, 0.0432816583647669, 0.0675154008654607, 0.0160211737555301]
  p2 factor_nifty_usdinr event 21 Tata.Motors car -1:1 status=ok CAR=-0.0519265204619647 VarCAR=0.00116636362950646 SCAR=-1.52045033157855 BHAR=-0.0484466840342358
  p2 factor_nifty_usdinr event 21 Tata.Motors car -5:5 status=ok CAR=0.100872329910622 VarCAR=0.00427433278334117 SCAR=1.542900380983 BHAR=0.0966289774096326
  p2 factor_nifty_usdinr event 21 Tata.Motors car 0:5 status=ok CAR=0.0808063302428156 VarCAR=0.00216586769884055 SCAR=1.73631861716985 BHAR=0.076647782107624
  p2 factor_nifty_usdinr event 22 Tata.Power when=2011-09-26 tau0=2011-09-26 status=ok L=104 coef=[-0.000831752795268306, 0.605721823237925, -1.34041786897388] sigma2=0.000168342869643147
  p2 factor_nifty_usdinr event 22 Tata.Power AR(tau -5..5)=[0.0220417988987015, 0.00628826769935693, 0.0115038679451967, 0.036893563749102, 0.0152809248588908, -0.0105627458602706, 0.00781725758677727, 0.00488365403446521, 0.00585043358983678, -0.0148981336693691, -0.0108229339363501]
  p2 factor_nifty_usdinr event 22 Tata.Power car -1:1 status=ok CAR=0.0125354365853975 VarCAR=0.000556974257431997 SCAR=0.531155768782293 BHAR=0.0123744474050664
  p2 factor_nifty_usdinr event 22 Tata.Power car -5:5 status=ok CAR=0.0742759548963373 VarCAR=0.00218714439589707 SCAR=1.5882158129036 BHAR=0.0711159940197246
  p2 factor_nifty_usdinr event 22 Tata.Power car 0:5 status=ok CAR=-0.0177324682549106 VarCAR=0.00107913485635295 SCAR=-0.539798074097793 BHAR=-0.0184706972650056
  p2 factor_nifty_usdinr car -1:1 N=5 events=['BHEL', 'HDFC.Bank', 'ONGC', 'Tata.Motors', 'Tata.Power'] CAAR=-0.0155641292859137 cs_t=-0.932955628394893 cs_p=0.403657683487966 patell_z=-1.34442879073732 patell_p=0.178809768966257 bmp_t=-0.804758355784594 bmp_p=0.466069703695466 ABHAR=-0.0147361979699537 bhar_t=-0.914305542332393 bhar_p=0.412284428062864 d=[103, 103, 104, 103, 101]
  p2 factor_nifty_usdinr car -5:5 N=4 events=['HDFC.Bank', 'ONGC', 'Tata.Motors', 'Tata.Power'] CAAR=0.02956523724858 cs_t=0.871092351890855 cs_p=0.447806598973012 patell_z=0.722701701200138 patell_p=0.469863170177438 bmp_t=0.524650903377911 bmp_p=0.636125704029101 ABHAR=0.0274922916596546 bhar_t=0.833817526850629 bhar_p=0.465563538984538 d=[103, 104, 103, 101]
  p2 factor_nifty_usdinr car 0:5 N=4 events=['HDFC.Bank', 'ONGC', 'Tata.Motors', 'Tata.Power'] CAAR=-0.00171650755561614 cs_t=-0.0596998681909571 cs_p=0.956149037881023 patell_z=-0.739613187272578 patell_p=0.459534737591388 bmp_t=-0.486356379484585 bmp_p=0.660029505458741 ABHAR=-0.00307290839162466 bhar_t=-0.110313285900928 bhar_p=0.919126623907341 d=[103, 104, 103, 101]
  p2 factor_nifty_usdinr day -5 N=5 AAR=0.00470034597277241 cs_t=0.851321035029868 cs_p=0.442555749703676
  p2 factor_nifty_usdinr day -4 N=5 AAR=0.0091749920586061 cs_t=3.34441750160536 cs_p=0.0287174962686065
  p2 factor_nifty_usdinr day -3 N=5 AAR=-0.00162104974805472 cs_t=-0.429746825696197 cs_p=0.689518068266625
  p2 factor_nifty_usdinr day -2 N=5 AAR=0.0153783002042395 cs_t=2.34525746671137 cs_p=0.078923304185454
  p2 factor_nifty_usdinr day -1 N=5 AAR=0.00217442818355403 cs_t=0.620990517825816 cs_p=0.568241597059591
  p2 factor_nifty_usdinr day 0 N=5 AAR=-0.0130640795528599 cs_t=-1.45571540258836 cs_p=0.219176899588874
  p2 factor_nifty_usdinr day 1 N=5 AAR=-0.00467447791660789 cs_t=-0.436163553235889 cs_p=0.685226163339003
  p2 factor_nifty_usdinr day 2 N=5 AAR=0.00079994380905735 cs_t=0.168843109814208 cs_p=0.874114172550941
  p2 factor_nifty_usdinr day 3 N=4 AAR=0.00934557307408275 cs_t=0.747649175598862 cs_p=0.508941261675385
  p2 factor_nifty_usdinr day 4 N=5 AAR=0.00787479055200458 cs_t=0.515202724520467 cs_p=0.633575517116963
  p2 factor_nifty_usdinr day 5 N=5 AAR=0.00308828591017956 cs_t=0.539759828254553 cs_p=0.618007995834219

  ## Part 3: xKDR/eventstudies @ 6ad1e1ea1d37 conventions (per cent units)
  p3 toy test_functionality_inference classic=['[nan, 0, nan]', '[-0.0459535096314264, 0.00984612009294346, 0.0656457498173133]', '[-0.125491237730001, 0.00699588521385023, 0.139483008157702]']
  p3 toy test_functionality_inference wilcox=['[0, 0, 0]', '[-0.0153232381366424, 0.0170053232695686, 0.0278562751459042]', '[-0.0408950663236913, -0.00258888649946787, 0.0644716084647099]'] boot_mean=[0, 0.00984612009294346, 0.00699588521385023]
  p3 toy test_userinput_remap cumsum=[0, -0.00883936242455352, -0.0221156214636737, -0.00866697835241492, 0.00833834491715368, -0.0112558648518828, -0.0241267269375545, 0.00375234961855053, 0.019963444246633]
  p3 toy test_functionality_constantMeanReturn outcomes=['wrongspan', 'success', 'success', 'wrongspan', 'success'] cmr=[0.00102066189422878, 0.00250892908936651, 0.00102066189422878]
  p3 eventstudies None outcomes=['wdatamissing', 'wrongspan', 'wrongspan', 'wrongspan', 'wrongspan', 'success', 'wrongspan', 'wrongspan', 'success', 'wrongspan', 'wrongspan', 'wrongspan', 'wrongspan', 'wrongspan', 'wrongspan', 'success', 'wrongspan', 'wrongspan', 'wrongspan', 'success', 'success', 'success']
  p3 eventstudies None event 6 HDFC.Bank cumsum(tau -4..5)=[0, -1.37165024039057, -3.10251649191784, -1.67726667195458, -1.12822314333023, -0.517323618066978, 0.537992019221712, -0.164312857280801, -1.73293378407031, -3.04406701377973]
  p3 eventstudies None event 9 HDFC cumsum(tau -4..5)=[0, 0.237117300424927, -0.563315654614982, 0.689749827318038, 3.78115326576189, 7.40124349359323, 6.71577578391788, 4.97331044222777, 4.41500623240962, 3.5071142452284]
  p3 eventstudies None event 16 ONGC cumsum(tau -4..5)=[0, 0.942450597422528, 0.63040645675807, 0.929049364489032, -4.81478273938514, -7.33018665102377, -7.69475140040834, -6.33443297222609, -5.59854164987766, -4.47823118622016]
  p3 eventstudies None event 20 Sun.Pharmaceutical cumsum(tau -4..5)=[0, 0.519306511846906, 2.29060169709783, 2.39628435076158, 2.79598620499133, 0.658229655926948, 1.28323169044409, 1.13848969557005, 0.94889503664666, 1.98172114263917]
  p3 eventstudies None event 21 Tata.Motors cumsum(tau -4..5)=[0, 0.416965878725595, 2.9716619371115, -0.294223625897055, -4.52058141492512, -9.2409123285277, -7.22064159677575, -1.3606546397769, 5.41943509065979, 5.20275028215078]
  p3 eventstudies None event 22 Tata.Power cumsum(tau -4..5)=[0, 0.220374726070105, -2.10790131305983, -0.744844913161735, -2.55955471889644, 1.27542581859021, 0.878599901028121, 2.55434143022235, -0.0200581687565191, -2.71399490403379]
  p3 eventstudies None tau=-4 n=6 Mean=0 classic_lo=nan classic_hi=nan Median=0 wilcox_lo=0 wilcox_hi=0
  p3 eventstudies None tau=-3 n=6 Mean=0.160760795683248 classic_lo=-0.673907131796278 classic_hi=0.995428723162775 Median=0.327041589575261 wilcox_lo=-1.37165024039057 wilcox_hi=0.942450597422528
  p3 eventstudies None tau=-2 n=6 Mean=0.0198227718957907 classic_lo=-2.50139547524155 classic_hi=2.54104101903313 Median=0.033545401071544 wilcox_lo=-3.10251649191784 wilcox_hi=2.9716619371115
  p3 eventstudies None tau=-1 n=6 Mean=0.216458055259213 classic_lo=-1.28643686502655 classic_hi=1.71935297554498 Median=0.197763100710492 wilcox_lo=-1.67726667195458 wilcox_hi=2.39628435076158
  p3 eventstudies None tau=0 n=6 Mean=-1.07433375763062 classic_lo=-4.90532002025466 classic_hi=2.75665250499342 Median=-1.84388893111333 wilcox_lo=-4.81478273938514 wilcox_hi=3.78115326576189
  p3 eventstudies None tau=1 n=6 Mean=-1.29225393825134 classic_lo=-7.69660776639746 classic_hi=5.11209988989477 Median=0.0704530189299849 wilcox_lo=-9.2409123285277 wilcox_hi=7.40124349359323
  p3 eventstudies None tau=2 n=6 Mean=-0.916632267095383 classic_lo=-6.74294313006813 classic_hi=4.90967859587736 Median=0.708295960124916 wilcox_lo=-7.69475140040834 wilcox_hi=6.71577578391788
  p3 eventstudies None tau=3 n=6 Mean=0.134456849789395 classic_lo=-3.91504821657121 classic_hi=4.18396191615 Median=0.487088419144623 wilcox_lo=-6.33443297222609 wilcox_hi=4.97331044222777
  p3 eventstudies None tau=4 n=6 Mean=0.571967126168596 classic_lo=-3.68173640305754 classic_hi=4.82567065539473 Median=0.46441843394507 wilcox_lo=-5.59854164987766 wilcox_hi=5.41943509065979
  p3 eventstudies None tau=5 n=6 Mean=0.0758820943307786 classic_lo=-4.12049067163236 classic_hi=4.27225486029392 Median=-0.36613688069731 wilcox_lo=-4.47823118622016 wilcox_hi=5.20275028215078
  p3 eventstudies marketModel event 6 HDFC.Bank estimation_tau=-270..-5 n_obs=258 alpha=0.0832106421556099 beta=1.02982595101926
  p3 eventstudies marketModel event 9 HDFC estimation_tau=-34..-5 n_obs=30 alpha=-0.0123213218558079 beta=1.16539498638074
  p3 eventstudies marketModel event 16 ONGC estimation_tau=-158..-5 n_obs=150 alpha=-0.085215877257869 beta=0.622240824845734
  p3 eventstudies marketModel event 20 Sun.Pharmaceutical estimation_tau=-105..-5 n_obs=99 alpha=0.184239918599672 beta=0.540842196012768
  p3 eventstudies marketModel event 21 Tata.Motors estimation_tau=-312..-5 n_obs=297 alpha=0.0151240220241112 beta=1.344649844674
  p3 eventstudies marketModel event 22 Tata.Power estimation_tau=-322..-5 n_obs=307 alpha=-0.0807762457836603 beta=0.607896875531907
  p3 eventstudies marketModel outcomes=['wdatamissing', 'wrongspan', 'wrongspan', 'wrongspan', 'wrongspan', 'success', 'wrongspan', 'wrongspan', 'success', 'wrongspan', 'wrongspan', 'wrongspan', 'wrongspan', 'wrongspan', 'wrongspan', 'success', 'wrongspan', 'wrongspan', 'wrongspan', 'success', 'success', 'success']
  p3 eventstudies marketModel event 6 HDFC.Bank cumsum(tau -4..5)=[0, -0.641169263930686, -0.792478642831729, -0.549637756400867, -0.348045910677771, 0.524119056470662, 1.75580186985131, 0.113674311976718, -0.681545217751928, -1.60402047717101]
  p3 eventstudies marketModel event 9 HDFC cumsum(tau -4..5)=[0, -0.515088021398024, -0.57847052807274, 0.776210746128627, 2.48914349369439, 4.83022493998657, 4.35813854088543, 2.35753886899469, 2.62163775914867, 2.6345898222328]
  p3 eventstudies marketModel event 16 ONGC cumsum(tau -4..5)=[0, -0.0483465254358333, 1.21747720226499, 1.59845304044286, -3.09033911105505, -4.82561435388693, -4.7754156252515, -4.32446726325957, -5.19113138388968, -4.27007149107646]
  p3 eventstudies marketModel event 20 Sun.Pharmaceutical cumsum(tau -4..5)=[0, -0.752989914706217, 1.51551810189353, 2.06945160995851, 2.89690558728559, 1.02250392422351, 0.734315001295035, 0.102826636506943, -1.16941324721789, -0.779790834402436]
  p3 eventstudies marketModel event 21 Tata.Motors cumsum(tau -4..5)=[0, -1.19107139018795, 0.600155462452911, -0.21075900110702, -1.42450904685089, -6.00085392186383, -5.93027474254775, -1.76887022368352, 4.76978021967507, 5.92833167146256]
  p3 eventstudies marketModel event 22 Tata.Power cumsum(tau -4..5)=[0, 0.383399562725489, 0.670152633197798, 2.80810061567169, 1.47951040889502, 3.7109392365196, 3.70566875752303, 4.61330731985827, 3.00114286024336, 1.55194700243154]
  p3 eventstudies marketModel tau=-4 n=6 Mean=0 classic_lo=nan classic_hi=nan Median=0 wilcox_lo=0 wilcox_hi=0
  p3 eventstudies marketModel tau=-3 n=6 Mean=-0.460877592155537 classic_lo=-1.04271224176053 classic_hi=0.120957057449461 Median=-0.578128642664355 wilcox_lo=-1.19107139018795 wilcox_hi=0.383399562725489
  p3 eventstudies marketModel tau=-2 n=6 Mean=0.43872570481746 classic_lo=-0.545296477155598 classic_hi=1.42274788679052 Median=0.635154047825355 wilcox_lo=-0.792478642831729 wilcox_hi=1.51551810189353
  p3 eventstudies marketModel tau=-1 n=6 Mean=1.0819698757823 classic_lo=-0.298202173763738 classic_hi=2.46214192532834 Median=1.18733189328574 wilcox_lo=-0.549637756400867 wilcox_hi=2.80810061567169
  p3 eventstudies marketModel tau=0 n=6 Mean=0.333777570215213 classic_lo=-2.14115397636568 classic_hi=2.8087091167961 Median=0.565732249108622 wilcox_lo=-3.09033911105505 wilcox_hi=2.89690558728559
  p3 eventstudies marketModel tau=1 n=6 Mean=-0.123113519758403 classic_lo=-4.76034193466751 classic_hi=4.51411489515071 Median=0.773311490347085 wilcox_lo=-6.00085392186383 wilcox_hi=4.83022493998657
  p3 eventstudies marketModel tau=2 n=6 Mean=-0.0252943663740743 classic_lo=-4.58318859724085 classic_hi=4.5325998644927 Median=1.24505843557318 wilcox_lo=-5.93027474254775 wilcox_hi=4.35813854088543
  p3 eventstudies marketModel tau=3 n=6 Mean=0.182334941732255 classic_lo=-3.08592952969529 classic_hi=3.4505994131598 Median=0.10825047424183 wilcox_lo=-4.32446726325957 wilcox_hi=4.61330731985827
  p3 eventstudies marketModel tau=4 n=6 Mean=0.558411831701267 classic_lo=-3.24105479303014 classic_hi=4.35787845643268 Median=0.97004627069837 wilcox_lo=-5.19113138388968 wilcox_hi=4.76978021967507
  p3 eventstudies marketModel tau=5 n=6 Mean=0.576830948912834 classic_lo=-3.17518492539942 classic_hi=4.32884682322508 Median=0.386078084014554 wilcox_lo=-4.27007149107646 wilcox_hi=5.92833167146256
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats

HERE = Path(__file__).resolve().parent
FIXTURE_DIRS = [HERE / ".." / "fixtures", HERE / ".." / ".." / ".." / "shared" / "fixtures"]


def find_fixture(name, override=None):
    dirs = [Path(override)] if override else FIXTURE_DIRS
    for d in dirs:
        if (d / name).exists():
            return (d / name).resolve()
    raise FileNotFoundError(f"{name} not found in {[str(d) for d in dirs]}")


# ----------------------------------------------------------------------------------------------
# formatting and small statistics helpers
# ----------------------------------------------------------------------------------------------

def g(x):
    x = float(x)
    return "nan" if np.isnan(x) else f"{x:.15g}"


def gl(xs):
    return "[" + ", ".join(g(x) for x in xs) + "]"


def p_t(stat, df):
    if df < 1 or not np.isfinite(stat):
        return float("nan")
    return 2.0 * stats.t.sf(abs(stat), df)


def p_norm(stat):
    return 2.0 * stats.norm.sf(abs(stat)) if np.isfinite(stat) else float("nan")


def mean_t(x):
    """mean, sd (ddof=1), t = mean / (sd / sqrt(n)) and its two-sided t(n-1) p; nan if n < 2."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    if n == 0:
        return float("nan"), float("nan"), float("nan"), float("nan")
    m = float(x.mean())
    if n < 2:
        return m, float("nan"), float("nan"), float("nan")
    sd = float(x.std(ddof=1))
    t = m / (sd / np.sqrt(n))
    return m, sd, t, p_t(t, n - 1)


def ols(y, X):
    """statsmodels OLS of y on X (X already holds the constant column)."""
    fit = sm.OLS(y, X).fit()
    return fit.params, fit.resid


def forecast_cov(sigma2, X, Xs):
    """V = sigma2 (I + X* (X'X)^-1 X*') (MacKinlay 1997 eq. 14)."""
    return sigma2 * (np.eye(len(Xs)) + Xs @ np.linalg.inv(X.T @ X) @ Xs.T)


def rel_close(a, b, tol=1e-12):
    return abs(a - b) <= tol * max(abs(a), abs(b), 1e-300)


# ----------------------------------------------------------------------------------------------
# Part 1: estudy2 rates, three normal-return models
# ----------------------------------------------------------------------------------------------

P1_SECURITIES = ["AMZN", "ZM", "UBER", "NFLX", "SHOP", "FB", "UPWK"]
P1_MARKET = "GSPC"
P1_EVENT_DATE = pd.Timestamp("2020-03-16")
P1_EST = (-240, -1)
P1_EVENT = (0, 4)
P1_CARS = [(0, 4), (0, 1)]
P1_MODELS = ["constant_mean", "market_adjusted", "market_model"]
P1_NPARAM = {"constant_mean": 1, "market_adjusted": 0, "market_model": 2}


def part1(path):
    df = pd.read_csv(path, na_values=["NA"], parse_dates=["date"])
    assert list(df.columns) == ["date"] + P1_SECURITIES + [P1_MARKET], list(df.columns)
    assert df["date"].is_monotonic_increasing and df["date"].is_unique and len(df) == 252
    assert not df[P1_MARKET].isna().any()
    t0 = int(np.flatnonzero(df["date"] == P1_EVENT_DATE)[0])
    est = df.iloc[t0 + P1_EST[0]: t0 + P1_EST[1] + 1]
    ev = df.iloc[t0 + P1_EVENT[0]: t0 + P1_EVENT[1] + 1]
    assert len(est) == 240 and len(ev) == 5
    assert not ev[P1_SECURITIES + [P1_MARKET]].isna().any().any()
    taus = list(range(P1_EVENT[0], P1_EVENT[1] + 1))
    rm_ev = ev[P1_MARKET].to_numpy()
    N = len(P1_SECURITIES)

    print(f"## Part 1: {path.name}, tau 0 = {df['date'].iloc[t0]:%Y-%m-%d} (row {t0}), estimation tau "
          f"{P1_EST[0]}..{P1_EST[1]} = {est['date'].iloc[0]:%Y-%m-%d}..{est['date'].iloc[-1]:%Y-%m-%d}, "
          f"event tau 0..4 = {ev['date'].iloc[0]:%Y-%m-%d}..{ev['date'].iloc[-1]:%Y-%m-%d}, N = {N}")

    for model in P1_MODELS:
        p = P1_NPARAM[model]
        res = {w: {"car": [], "var": [], "scar": [], "bhar": [], "d": []} for w in P1_CARS}
        for name in P1_SECURITIES:
            e = est[[name, P1_MARKET]].dropna()
            y, x = e[name].to_numpy(), e[P1_MARKET].to_numpy()
            L = len(y)
            r_ev = ev[name].to_numpy()
            if model == "constant_mean":
                mu = float(y.mean())
                params = [mu]
                sigma2 = float(np.sum((y - mu) ** 2) / (L - 1))
                ar = r_ev - mu
                X, Xs = np.ones((L, 1)), np.ones((len(taus), 1))
                V = forecast_cov(sigma2, X, Xs)
                assert np.allclose(np.diag(V), sigma2 * (1 + 1 / L), rtol=1e-12, atol=0)
            elif model == "market_adjusted":
                params = []
                sigma2 = float(np.var(y - x, ddof=1))
                ar = r_ev - rm_ev
                V = sigma2 * np.eye(len(taus))
            else:
                X = sm.add_constant(x)
                Xs = np.column_stack([np.ones(len(taus)), rm_ev])
                params, resid = ols(y, X)
                params = list(params)
                sigma2 = float(np.sum(resid ** 2) / (L - 2))
                ar = r_ev - params[0] - params[1] * rm_ev
                V = forecast_cov(sigma2, X, Xs)
            var_ar = np.diag(V)
            rhat = r_ev - ar
            print(f"p1 {model} {name} L={L} params={gl(params)} sigma2={g(sigma2)}")
            for k, tau in enumerate(taus):
                print(f"p1 {model} {name} tau={tau} AR={g(ar[k])} VarAR={g(var_ar[k])}")
            for (a, b) in P1_CARS:
                idx = [taus.index(t) for t in range(a, b + 1)]
                l2 = len(idx)
                car = float(ar[idx].sum())
                one = np.ones(l2)
                var_car = float(one @ V[np.ix_(idx, idx)] @ one)
                # closed forms
                if model == "constant_mean":
                    assert rel_close(var_car, sigma2 * (l2 + l2 ** 2 / L))
                elif model == "market_adjusted":
                    assert rel_close(var_car, l2 * sigma2)
                else:
                    mbar = x.mean()
                    smm = np.sum((x - mbar) ** 2)
                    cf = sigma2 * (l2 + l2 ** 2 / L + np.sum(rm_ev[idx] - mbar) ** 2 / smm)
                    assert rel_close(var_car, cf)
                bhar = float(np.exp(r_ev[idx].sum()) - np.exp(rhat[idx].sum()))
                scar = car / np.sqrt(var_car)
                print(f"p1 {model} {name} car {a}:{b} CAR={g(car)} VarCAR={g(var_car)} SCAR={g(scar)} BHAR={g(bhar)}")
                r = res[(a, b)]
                r["car"].append(car); r["var"].append(var_car); r["scar"].append(scar); r["bhar"].append(bhar)
                r["d"].append(L - p if p > 0 else L - 1)
        for (a, b) in P1_CARS:
            r = res[(a, b)]
            caar, _, car_t, car_p = mean_t(r["car"])
            abhar, _, bhar_t, bhar_p = mean_t(r["bhar"])
            d = np.array(r["d"], dtype=float)
            pden = np.sum(d / (d - 2))
            pz = np.sum(r["scar"]) / np.sqrt(pden)
            print(f"p1 {model} car {a}:{b} N={N} CAAR={g(caar)} car_t={g(car_t)} car_p={g(car_p)} "
                  f"ABHAR={g(abhar)} bhar_t={g(bhar_t)} bhar_p={g(bhar_p)} "
                  f"patell_z={g(pz)} patell_p={g(p_norm(pz))} patell_den2={g(pden)} d={[int(v) for v in d]}")


# ----------------------------------------------------------------------------------------------
# Part 2: eventstudies stock splits, market model and factor models
# ----------------------------------------------------------------------------------------------

P2_EST = (-120, -11)
P2_EVENT = (-5, 5)
P2_CARS = [(-1, 1), (-5, 5), (0, 5)]
P2_MIN_EST = 60
P2_MODELS = [
    ("market_model", ["NiftyIndex"]),
    ("factor_model", ["NiftyIndex", "SP500", "USDINR"]),
    ("factor_nifty_usdinr", ["NiftyIndex", "USDINR"]),
]


def load_eventstudies(stock_path, other_path, events_path):
    s = pd.read_csv(stock_path, na_values=["NA"], parse_dates=["date"])
    o = pd.read_csv(other_path, na_values=["NA"], parse_dates=["date"])
    assert s["date"].equals(o["date"]) and s["date"].is_monotonic_increasing and s["date"].is_unique
    data = s.merge(o, on="date", how="inner", validate="one_to_one")
    assert len(data) == len(s) == len(o) == 720
    ev = pd.read_csv(events_path, parse_dates=["when"])
    return s, o, data, ev


def part2(data, stock_cols, events):
    n = len(data)
    dates = data["date"].to_numpy()
    taus = list(range(P2_EVENT[0], P2_EVENT[1] + 1))
    print(f"\n## Part 2: eventstudies splits, {n} rows {data['date'].iloc[0]:%Y-%m-%d}..{data['date'].iloc[-1]:%Y-%m-%d}, "
          f"{len(events)} events; returns / 100 (simple); estimation tau {P2_EST[0]}..{P2_EST[1]} "
          f"(>= {P2_MIN_EST} complete rows), event tau -5..5")
    for model, factors in P2_MODELS:
        p = len(factors) + 1
        cols = ["const"] + factors
        per_window = {w: [] for w in P2_CARS}
        per_day = {t: [] for t in taus}
        print(f"p2 {model} regressors={cols} p={p}")
        for i, row in events.iterrows():
            name, when = row["name"], row["when"]
            t0 = int(np.searchsorted(dates, np.datetime64(when), side="left"))
            t0_date = data["date"].iloc[t0].strftime("%Y-%m-%d") if t0 < n else "none"
            head = f"p2 {model} event {i + 1} {name} when={when:%Y-%m-%d} tau0={t0_date}"
            if name not in stock_cols:
                print(f"{head} status=security_missing")
                continue
            if t0 + P2_EST[0] < 0 or t0 + P2_EVENT[1] > n - 1:
                print(f"{head} status=window_outside_data")
                continue
            est = data.iloc[t0 + P2_EST[0]: t0 + P2_EST[1] + 1][[name] + factors].dropna() / 100.0
            L = len(est)
            if L < P2_MIN_EST:
                print(f"{head} status=estimation_too_short L={L}")
                continue
            y = est[name].to_numpy()
            X = sm.add_constant(est[factors].to_numpy(), has_constant="add")
            params, resid = ols(y, X)
            sigma2 = float(np.sum(resid ** 2) / (L - p))
            evw = data.iloc[t0 + P2_EVENT[0]: t0 + P2_EVENT[1] + 1][[name] + factors] / 100.0
            assert len(evw) == len(taus)
            R = evw[name].to_numpy()
            Xs_all = np.column_stack([np.ones(len(taus)), evw[factors].to_numpy()])
            rhat = Xs_all @ params  # nan where a regressor is missing
            ar = R - rhat
            print(f"{head} status=ok L={L} coef={gl(params)} sigma2={g(sigma2)}")
            print(f"p2 {model} event {i + 1} {name} AR(tau -5..5)={gl(ar)}")
            for k, tau in enumerate(taus):
                if np.isfinite(ar[k]):
                    per_day[tau].append(ar[k])
            for (a, b) in P2_CARS:
                idx = [taus.index(t) for t in range(a, b + 1)]
                if not np.all(np.isfinite(ar[idx])):
                    miss = [taus[k] for k in idx if not np.isfinite(ar[k])]
                    print(f"p2 {model} event {i + 1} {name} car {a}:{b} status=missing_return missing_tau={miss}")
                    continue
                Xs = Xs_all[idx]
                V = forecast_cov(sigma2, X, Xs)
                car = float(ar[idx].sum())
                var_car = float(np.ones(len(idx)) @ V @ np.ones(len(idx)))
                if p == 2:
                    x = X[:, 1]
                    mbar, smm = x.mean(), np.sum((x - x.mean()) ** 2)
                    cf = sigma2 * (len(idx) + len(idx) ** 2 / L + np.sum(Xs[:, 1] - mbar) ** 2 / smm)
                    assert rel_close(var_car, cf)
                bhar = float(np.prod(1 + R[idx]) - np.prod(1 + rhat[idx]))
                scar = car / np.sqrt(var_car)
                print(f"p2 {model} event {i + 1} {name} car {a}:{b} status=ok CAR={g(car)} VarCAR={g(var_car)} "
                      f"SCAR={g(scar)} BHAR={g(bhar)}")
                per_window[(a, b)].append((car, scar, bhar, L - p, name))
        for (a, b) in P2_CARS:
            rows = per_window[(a, b)]
            N = len(rows)
            if N == 0:
                print(f"p2 {model} car {a}:{b} N=0")
                continue
            cars = np.array([r[0] for r in rows]); scars = np.array([r[1] for r in rows])
            bhars = np.array([r[2] for r in rows]); d = np.array([r[3] for r in rows], dtype=float)
            caar, _, cs_t, cs_p = mean_t(cars)
            abhar, _, bh_t, bh_p = mean_t(bhars)
            pden = np.sum(d / (d - 2))
            pz = scars.sum() / np.sqrt(pden)
            _, _, bmp, bmp_p = mean_t(scars)
            print(f"p2 {model} car {a}:{b} N={N} events={[r[4] for r in rows]} CAAR={g(caar)} cs_t={g(cs_t)} cs_p={g(cs_p)} "
                  f"patell_z={g(pz)} patell_p={g(p_norm(pz))} bmp_t={g(bmp)} bmp_p={g(bmp_p)} "
                  f"ABHAR={g(abhar)} bhar_t={g(bh_t)} bhar_p={g(bh_p)} d={[int(v) for v in d]}")
        for tau in taus:
            x = per_day[tau]
            aar, _, t, pv = mean_t(x)
            print(f"p2 {model} day {tau} N={len(x)} AAR={g(aar)} cs_t={g(t)} cs_p={g(pv)}")


# ----------------------------------------------------------------------------------------------
# Part 3: xKDR/eventstudies @ 6ad1e1ea1d37 conventions
# ----------------------------------------------------------------------------------------------

def psignrank(q, n):
    """P(V <= q) of the Wilcoxon signed-rank statistic with n observations (R's psignrank)."""
    m = n * (n + 1) // 2
    c = np.zeros(m + 1)
    c[0] = 1.0
    for k in range(1, n + 1):
        c[k:] = c[k:] + c[:-k].copy()
    c /= 2.0 ** n
    q = int(np.floor(q))
    return float(c[: max(q, -1) + 1].sum()) if q >= 0 else 0.0


def es_phys2eventtime(z, events, width):
    """eventstudies::phys2eventtime (R/phys2eventtime.R) on a DataFrame z (index = dates,
    columns = units; rows in date order) and an event list [(name, when)].
    Returns (outcomes, columns {event number (1-based): Series indexed by event time})."""
    dates = z.index.to_numpy()
    n = len(dates)
    outcomes, cols = [], {}
    for j, (name, when) in enumerate(events, start=1):
        if name not in z.columns:
            outcomes.append("unitmissing")
            continue
        loc = int(np.searchsorted(dates, np.datetime64(when), side="right"))  # findInterval
        if loc <= width - 1 or loc > n - width:
            outcomes.append("wrongspan")
            continue
        s = pd.Series(z[name].to_numpy(dtype=float), index=np.arange(-loc + 1, n - loc + 1))
        win = s.loc[-width + 1: width]
        if win.isna().any():
            outcomes.append("wdatamissing")
            continue
        outcomes.append("success")
        cols[j] = s
    return outcomes, cols


def es_remap_cumsum(df):
    """remap.cumsum(is.pc = FALSE, base = 0): first row set to 0, then cumulative sums."""
    df = df.copy()
    df.iloc[0, :] = 0.0
    return df.cumsum()


def es_inference_classic(df):
    """inference.classic: per row, R t.test(x) 95% CI and mean (NaN CI for a constant-zero row)."""
    out = []
    for _, row in df.iterrows():
        x = row.dropna().to_numpy()
        m = x.mean()
        se = x.std(ddof=1) / np.sqrt(len(x))
        q = stats.t.ppf(0.975, len(x) - 1)
        if se == 0:
            lo = hi = float("nan")  # R: tstat = 0/0 = NaN, cint = NaN * 0
        else:
            lo, hi = m - q * se, m + q * se
        out.append((lo, m, hi))
    return np.array(out)


def es_inference_wilcox(df, prob=0.975):
    """inference.wilcox (R/inference.wilcox.R): Walsh-average interval and the median."""
    out = []
    for _, row in df.iterrows():
        x = row.to_numpy()
        n = len(x)
        m = n * (n + 1) // 2
        k = np.arange(1, m // 2 + 1)
        conf = np.array([1 - 2 * psignrank(kk, n) for kk in k])
        nof = int(np.sum(conf >= prob))
        w = np.add.outer(x, x) / 2
        w = np.sort(w[np.tril_indices(n)])
        out.append((w[nof], float(np.median(x)), w[m - nof - 1]))
    return np.array(out)


def es_toy_checks():
    """Published expected values of eventstudies' own unit tests (toy price data inline)."""
    idx = pd.to_datetime(np.array([12418, 12419, 12422, 12423, 12424, 12425, 12426, 12429, 12430, 12431, 12432]),
                         unit="D")
    itc = [33.16, 34.0967, 35.3683, 34.46, 34.17, 35.89, 36.19, 37.1317, 36.7033, 37.7933, 37.8533]
    rel = [285.325, 292.6, 290.025, 286.2, 290.075, 295.05, 289.325, 285.625, 293.7, 298.5, 289.05]

    def returns(tcs):
        px = pd.DataFrame({"ITC": itc, "Reliance": rel, "TCS": tcs}, index=idx)
        return np.log(px).diff().iloc[1:]

    ev6 = [("ITC", "2004-01-02"), ("Reliance", "2004-01-08"), ("TCS", "2004-01-14"),
           ("ITC", "2005-01-15"), ("Reliance", "2004-01-01"), ("Junk", "2005-01-01")]
    ev6 = [(a, pd.Timestamp(b)) for a, b in ev6]

    # tests/testthat/test_functionality_inference.R
    z = returns([704.5438, 708.35, 735.835, 710.625, 711.65, 731.012, 727.575, 715.0187, 724.2, 713.1875, 695.1812])
    out, cols = es_phys2eventtime(z, ev6, 1)
    assert out == ["success", "success", "success", "wrongspan", "wrongspan", "unitmissing"], out
    w = pd.DataFrame(cols).loc[-1:1]
    car = es_remap_cumsum(w)
    classic = es_inference_classic(car)
    wil = es_inference_wilcox(car)
    boot_mean = car.mean(axis=1).to_numpy()
    exp_boot = np.array([[0, 0, 0], [-0.0153232381366424, 0.00984612009294346, 0.0278562751459042],
                         [-0.0408950663236913, 0.00699588521385023, 0.0644716084647099]])
    exp_wil = np.array([[0, 0, 0], [-0.0153232381366424, 0.0170053232695686, 0.0278562751459042],
                        [-0.0408950663236913, -0.00258888649946787, 0.0644716084647099]])
    exp_cls = np.array([[np.nan, 0, np.nan], [-0.0459535096314264, 0.00984612009294346, 0.0656457498173133],
                        [-0.125491237730001, 0.00699588521385023, 0.139483008157702]])
    assert np.allclose(classic, exp_cls, rtol=1e-12, atol=1e-15, equal_nan=True), classic
    assert np.allclose(wil, exp_wil, rtol=1e-12, atol=1e-15), wil
    assert np.allclose(boot_mean, exp_boot[:, 1], rtol=1e-12, atol=1e-15)
    # with 3 units the bootstrap 2.5%/97.5% quantiles are the smallest/largest unit value
    # (P(all draws = one unit) = 1/27 > 2.5%); the published bootstrap CI equals min/max:
    assert np.allclose(car.min(axis=1), exp_boot[:, 0], rtol=1e-12, atol=1e-15)
    assert np.allclose(car.max(axis=1), exp_boot[:, 2], rtol=1e-12, atol=1e-15)
    print(f"p3 toy test_functionality_inference classic={[gl(r) for r in classic]}")
    print(f"p3 toy test_functionality_inference wilcox={[gl(r) for r in wil]} boot_mean={gl(boot_mean)}")

    # tests/testthat/test_userinput_remap.R (remap.cumsum of the single width-2 success)
    z = returns([704.5438, 708.35, 735.8375, 710.625, 711.65, 731.025, 727.575, 715.187, 724.2, 713.1875, 695.1812])
    out, cols = es_phys2eventtime(z, ev6, 2)
    assert out == ["wrongspan", "success", "wrongspan", "wrongspan", "wrongspan", "unitmissing"], out
    r0 = es_remap_cumsum(pd.DataFrame(cols).loc[-4:4]).iloc[:, 0].to_numpy()
    exp = [0, -0.00883936242455352, -0.0221156214636737, -0.00866697835241492, 0.00833834491715368,
           -0.0112558648518828, -0.0241267269375545, 0.00375234961855053, 0.019963444246633]
    assert np.allclose(r0, exp, rtol=1e-12, atol=1e-15), r0
    print(f"p3 toy test_userinput_remap cumsum={gl(r0)}")

    # tests/testthat/test_functionality_constantMeanReturn.R
    z = returns([704.5438, 708.35, 735.835, 710.6, 711.65, 731.012, 727.57, 715.0187, 724.2, 713.1875, 695.1812])
    ev5 = [("ITC", "2004-01-02"), ("Reliance", "2004-01-08"), ("TCS", "2004-01-09"),
           ("ITC", "2005-01-15"), ("Reliance", "2004-01-08")]
    out, cols = es_phys2eventtime(z, [(a, pd.Timestamp(b)) for a, b in ev5], 2)
    ze = pd.DataFrame(cols)
    cmr = ze.loc[ze.index[0]:-2].mean(axis=0).to_numpy()
    assert np.allclose(cmr, [0.00102066189422878, 0.00250892908936651, 0.00102066189422878], rtol=1e-12)
    print(f"p3 toy test_functionality_constantMeanReturn outcomes={out} cmr={gl(cmr)}")


def es_splits(stocks, other, events):
    """eventstudy(StockPriceReturns, SplitDates, event.window = 5, remap = "cumsum") for
    type = "None" and type = "marketModel" (market.returns = NiftyIndex), per cent units."""
    width = 5
    ev_list = list(zip(events["name"], events["when"]))
    period = list(range(-width + 1, width + 1))  # event.period (-4..5)
    for typ in ["None", "marketModel"]:
        ars, outcomes = {}, []
        if typ == "None":
            z = stocks.set_index("date")
            outcomes, cols = es_phys2eventtime(z, ev_list, width)
            for j, s in cols.items():
                ars[j] = s.loc[period]
        else:
            nifty = other.set_index("date")["NiftyIndex"]
            for j, (name, when) in enumerate(ev_list, start=1):
                if name not in stocks.columns:
                    outcomes.append("unitmissing")
                    continue
                merged = pd.DataFrame({"firm.returns": stocks.set_index("date")[name], "market.returns": nifty})
                o, cols = es_phys2eventtime(merged, [("firm.returns", when), ("market.returns", when)], width)
                if "unitmissing" in o:
                    outcomes.append("unitmissing"); continue
                if "wdatamissing" in o:
                    outcomes.append("wdatamissing"); continue
                if "wrongspan" in o:
                    outcomes.append("wrongspan"); continue
                outcomes.append("success")
                f, m = cols[1], cols[2]
                est = pd.DataFrame({"y": f.loc[: -width], "x": m.loc[: -width]}).dropna()
                (a, b), _ = ols(est["y"].to_numpy(), sm.add_constant(est["x"].to_numpy()))
                ars[j] = f.loc[period] - a - b * m.loc[period]
                print(f"p3 eventstudies {typ} event {j} {name} estimation_tau={int(f.index[0])}..{-width} "
                      f"n_obs={len(est)} alpha={g(a)} beta={g(b)}")
        print(f"p3 eventstudies {typ} outcomes={outcomes}")
        succ = pd.DataFrame(ars)
        car = es_remap_cumsum(succ)
        for j in car.columns:
            print(f"p3 eventstudies {typ} event {j} {ev_list[j - 1][0]} cumsum(tau -4..5)={gl(car[j])}")
        classic = es_inference_classic(car)
        wil = es_inference_wilcox(car)
        for k, tau in enumerate(car.index):
            print(f"p3 eventstudies {typ} tau={tau} n={car.shape[1]} Mean={g(classic[k, 1])} "
                  f"classic_lo={g(classic[k, 0])} classic_hi={g(classic[k, 2])} "
                  f"Median={g(wil[k, 1])} wilcox_lo={g(wil[k, 0])} wilcox_hi={g(wil[k, 2])}")


def main():
    override = sys.argv[1] if len(sys.argv) > 1 else None
    p_rates = find_fixture("estudy2_rates.csv", override)
    p_stock = find_fixture("eventstudies_StockPriceReturns_pct.csv", override)
    p_other = find_fixture("eventstudies_OtherReturns_pct.csv", override)
    p_events = find_fixture("eventstudies_SplitDates.csv", override)
    print(f"# classic_models_reference.py: numpy {np.__version__}, pandas {pd.__version__}, "
          f"scipy {scipy.__version__}, statsmodels {statsmodels.__version__}")
    part1(p_rates)
    stocks, other, data, events = load_eventstudies(p_stock, p_other, p_events)
    part2(data, [c for c in stocks.columns if c != "date"], events)
    print("\n## Part 3: xKDR/eventstudies @ 6ad1e1ea1d37 conventions (per cent units)")
    es_toy_checks()
    es_splits(stocks, other, events)


if __name__ == "__main__":
    main()

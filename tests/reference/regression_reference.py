#!/usr/bin/env python3
"""Reference values for `stats::ols_robust` (OLS with classical, HC1 and HC3 standard errors).

statsmodels' OLS with cov_type "nonrobust", "HC1" and "HC3" and use_t=True (Student's t with
n - k degrees of freedom for the p-values). Data: 12 CARs of three event groups a, b, c (the
regressors are the dummies of b and c, a the reference group) and one numeric characteristic
`size`; values written out below so the Rust test uses the same inputs.

Run: python3 tests/reference/regression_reference.py
"""
import numpy as np
import statsmodels
import statsmodels.api as sm

y = np.array([0.021, -0.013, 0.034, 0.008, 0.052, 0.047, -0.006, 0.071, -0.022, -0.031, 0.004, -0.017])
group = ["a", "a", "a", "a", "b", "b", "b", "b", "c", "c", "c", "c"]
size = np.array([1.2, 0.7, 2.5, 1.1, 3.0, 0.4, 1.9, 2.2, 0.9, 1.6, 2.8, 0.5])
b = np.array([g == "b" for g in group], dtype=float)
c = np.array([g == "c" for g in group], dtype=float)
X = sm.add_constant(np.column_stack([b, c, size]))
print(f"# statsmodels {statsmodels.__version__}, numpy {np.__version__}")
fits = {cov: sm.OLS(y, X).fit(cov_type=cov, use_t=True) for cov in ["nonrobust", "HC1", "HC3"]}
names = ["const", "b", "c", "size"]
for j, name in enumerate(names):
    print(f"{name} estimate={fits['HC3'].params[j]:.15g} se={fits['nonrobust'].bse[j]:.15g} "
          f"se_hc1={fits['HC1'].bse[j]:.15g} se_hc3={fits['HC3'].bse[j]:.15g} "
          f"t_hc3={fits['HC3'].tvalues[j]:.15g} p_hc3={fits['HC3'].pvalues[j]:.15g}")
print(f"r2={fits['HC3'].rsquared:.15g}")

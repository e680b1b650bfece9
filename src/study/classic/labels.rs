//! The cross-sectional regression of each CAR window's CARs on the events' labels.

use serde::Serialize;

use super::rows::window_str;
use crate::stats::{Regression, ols_robust};
use crate::window::EventFit;

/// One CAR window's CARs regressed on the events' labels, with HC1 and HC3 errors
/// ([`ols_robust`]).
///
/// Labels that all parse as numbers are one numeric regressor, `label`; otherwise each label
/// but the first in sort order (the reference group, absorbed by the intercept) is a dummy
/// `label=NAME`, so each coefficient is that group's mean CAR less the reference group's.
/// Events without a label, or without a CAR of the window, are left out. HC1 and HC3 treat
/// the events as independent; events that share a date (all altcoins on one crypto event) are
/// correlated, and the errors then understate the uncertainty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelRegression {
    /// The CAR window, `"a:b"` in JSON.
    #[serde(serialize_with = "window_str")]
    pub window: (i64, i64),
    /// The reference label of a dummy coding (None for a numeric label).
    pub reference: Option<String>,
    /// The fit (None when it is undefined: see `undefined`).
    pub regression: Option<Regression>,
    /// Why there is no fit, if there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
}

/// One regression per CAR window when at least two distinct labels are present; none otherwise.
pub(super) fn label_regressions(
    labels: &[Option<&str>],
    fits: &[EventFit],
    windows: &[(i64, i64)],
) -> Vec<LabelRegression> {
    let mut distinct: Vec<&str> = labels.iter().flatten().copied().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 2 {
        return Vec::new();
    }
    let numeric: Option<Vec<f64>> = distinct.iter().map(|l| l.trim().parse::<f64>().ok()).collect();
    windows
        .iter()
        .enumerate()
        .map(|(k, &window)| {
            let rows: Vec<(&str, f64)> = labels
                .iter()
                .zip(fits)
                .filter_map(|(l, f)| Some(((*l)?, f.car[k]?.car)))
                .collect();
            let y: Vec<f64> = rows.iter().map(|r| r.1).collect();
            let (reference, columns): (Option<String>, Vec<(String, Vec<f64>)>) = if numeric.is_some() {
                let x = rows
                    .iter()
                    .map(|r| r.0.trim().parse::<f64>().unwrap_or(f64::NAN))
                    .collect();
                (None, vec![("label".to_string(), x)])
            } else {
                let dummies = distinct[1..]
                    .iter()
                    .map(|g| {
                        let x = rows.iter().map(|r| f64::from(u8::from(r.0 == *g))).collect();
                        (format!("label={g}"), x)
                    })
                    .collect();
                (Some(distinct[0].to_string()), dummies)
            };
            let named: Vec<(&str, &[f64])> =
                columns.iter().map(|(n, x)| (n.as_str(), x.as_slice())).collect();
            match ols_robust(&y, &named) {
                Ok(r) => LabelRegression {
                    window,
                    reference,
                    regression: Some(r),
                    undefined: None,
                },
                Err(e) => LabelRegression {
                    window,
                    reference,
                    regression: None,
                    undefined: Some(e.to_string()),
                },
            }
        })
        .collect()
}

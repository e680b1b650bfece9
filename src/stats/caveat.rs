//! The plain-English caveat attached to every result: what this number of events can and
//! cannot show.

use serde::Serialize;

use super::inference::sign_flip_floor;

/// What n events can show at best, attached to every [`EventStats`](super::EventStats).
///
/// `Display` prints [`sentence`](Caveat::sentence).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Caveat {
    /// Number of events.
    pub n: usize,
    /// Smallest p the exact sign-flip test can give with n events: 2 / 2^n.
    pub sign_flip_floor: f64,
    /// Two-sided 5% critical t with n − 1 degrees of freedom (`None` for one event).
    pub critical_t: Option<f64>,
    /// Minimum detectable effect, in return units (0.41 = 41 pp): the placebo test's, or a
    /// t-test's ([`super::t_mde`]) where there is no placebo; NaN (null in JSON) when
    /// undefined.
    pub mde: f64,
    /// One plain-English sentence saying the above.
    pub sentence: String,
}

impl Caveat {
    /// Builds the caveat for `n` events from the critical t and the placebo MDE.
    ///
    /// ```text
    /// floor = 2 / 2^n
    /// "3 events: even a perfect record cannot reach p < 0.25 by sign-flip, a t-test needs
    ///  |t| > 4.30 (df 2), and an excess below 41 pp is detected less than 80% of the time."
    /// ```
    ///
    /// # Example
    /// ```
    /// let c = eventstudy::stats::Caveat::new(3, Some(4.302652729749462), 0.413);
    /// assert_eq!(c.sign_flip_floor, 0.25);
    /// assert!(c.to_string().starts_with("3 events: even a perfect record cannot reach p < 0.25"));
    /// ```
    pub fn new(n: usize, critical_t: Option<f64>, mde: f64) -> Caveat {
        let floor = sign_flip_floor(n);
        let events = if n == 1 {
            "1 event".to_string()
        } else {
            format!("{n} events")
        };
        let sign = if floor >= 0.05 {
            format!(
                "even a perfect record cannot reach p < {} by sign-flip",
                sig3(floor)
            )
        } else {
            format!("a perfect record reaches sign-flip p = {} at best", sig3(floor))
        };
        let t = match critical_t {
            Some(c) => format!("a t-test needs |t| > {c:.2} (df {})", n.saturating_sub(1)),
            None => "a t-test is impossible".to_string(),
        };
        let sentence = if mde.is_finite() {
            format!(
                "{events}: {sign}, {t}, and an excess below {} pp is detected less than 80% of the time.",
                percentage_points(mde)
            )
        } else {
            format!("{events}: {sign}, {t}, and no minimum detectable effect can be given.")
        };
        Caveat {
            n,
            sign_flip_floor: floor,
            critical_t,
            mde,
            sentence,
        }
    }
}

impl std::fmt::Display for Caveat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.sentence)
    }
}

/// A probability with three significant digits, trailing zeros trimmed (0.25, 0.125,
/// 0.0313); scientific below 0.001.
pub(crate) fn sig3(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    if x.abs() < 1e-3 {
        return format!("{x:.1e}");
    }
    let decimals = (2 - x.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A return as percentage points with precision suited to its size (41, 4.1, 0.41).
fn percentage_points(x: f64) -> String {
    let pp = x * 100.0;
    match pp.abs() {
        a if a >= 10.0 => format!("{pp:.0}"),
        a if a >= 1.0 => format!("{pp:.1}"),
        _ => format!("{pp:.2}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_for_three_events() {
        // critical t for df 2: scipy.stats.t.ppf(0.975, 2) in stats_reference.py
        let c = Caveat::new(3, Some(4.302652729749462), 0.4132);
        assert_eq!(
            c.to_string(),
            "3 events: even a perfect record cannot reach p < 0.25 by sign-flip, a t-test needs |t| > 4.30 \
             (df 2), and an excess below 41 pp is detected less than 80% of the time."
        );
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["n"], 3);
        assert_eq!(v["sign_flip_floor"], 0.25);
        assert_eq!(v["sentence"], c.sentence.as_str());
    }

    #[test]
    fn sentence_for_one_and_many_events() {
        let c = Caveat::new(1, None, 0.052);
        assert!(
            c.sentence
                .starts_with("1 event: even a perfect record cannot reach p < 1 by sign-flip")
        );
        assert!(c.sentence.contains("a t-test is impossible") && c.sentence.contains("below 5.2 pp"));
        let c = Caveat::new(8, Some(2.3646), 0.0071);
        assert!(
            c.sentence.contains("reaches sign-flip p = 0.00781 at best"),
            "{c}"
        );
        assert!(c.sentence.contains("below 0.71 pp"), "{c}");
        assert_eq!(sig3(2.0 / 1048576.0), "1.9e-6");
        assert_eq!(sig3(0.125), "0.125");
        assert_eq!(sig3(0.0625), "0.0625");
    }
}

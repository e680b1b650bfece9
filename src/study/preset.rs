//! The study the library was built for: Russell 2000 breakouts and crypto forward returns.

use crate::data::datasets::{self, DataSource, DatasetKind};
use crate::error::{Error, Result};
use crate::events::{BreakoutRule, DEFAULT_DROUGHT, RelativeBasis};
use crate::window::{AltBasket, BasketMeasure, PointInTime, Target};

use super::Study;
use super::family::Primary;
use super::null::Null;
use crate::window::Horizon;

/// The default targets of [`russell_crypto`]: BTC, ETH, the ETH/BTC ratio, the equal-weight
/// altcoin basket, the median altcoin (`alt_median`), the share of altcoins beating BTC
/// (`alt_season`: the claim's "altcoin season"), the equal-weight basket of the altcoins that
/// were in the CoinMarketCap top 10 at each date (`alt_top10`, point in time; see
/// [`PointInTime`](crate::PointInTime)), then every bundled altcoin (today's large
/// coins, then ten that were large in 2014–2020 and have since faded).
pub const RUSSELL_CRYPTO_ASSETS: [&str; 28] = [
    "btc",
    "eth",
    "eth_btc",
    "alt_basket",
    "alt_median",
    "alt_season",
    "alt_top10",
    "xrp",
    "doge",
    "ltc",
    "sol",
    "bnb",
    "xlm",
    "ada",
    "link",
    "trx",
    "dot",
    "avax",
    "xmr",
    "dash",
    "etc",
    "xem",
    "eos",
    "bch",
    "xtz",
    "miota",
    "neo",
    "zec",
];

/// The rules of the Russell 2000 study: ATH close after a 250-day drought (the default), ATH
/// intraday high after a 250-day drought, first close above 2,600 and above 2,700 (250 days at
/// or below), and the RUT/S&P 500 ratio above its prior 250-day high (events 250+ days apart:
/// the ratio's all-time high is at the start of the data, in 2011, so a record-after-drought
/// rule on it finds a single 2013 event, before most crypto data).
pub fn russell_crypto_rules() -> Vec<BreakoutRule> {
    vec![
        BreakoutRule::ath_close(DEFAULT_DROUGHT),
        BreakoutRule::ath_high(DEFAULT_DROUGHT),
        BreakoutRule::level_cross(2600.0),
        BreakoutRule::level_cross(2700.0),
        BreakoutRule::RelativeHigh {
            other: "gspc".into(),
            basis: RelativeBasis::RollingHigh {
                lookback: DEFAULT_DROUGHT,
                min_gap: DEFAULT_DROUGHT,
            },
        },
    ]
}

/// The placebo designs of the Russell 2000 study, the comparisons a referee would ask for:
/// random days; days at the same BTC halving phase (±60 days), since every breakout with
/// crypto data fell 128–516 days after a halving; days with the target on the same side of its
/// 200-day average (BTC for the basket); days with the Russell 2000 within 5% of its record;
/// and the whole event set shifted in time.
///
/// ```
/// let keys: Vec<String> = eventstudy::russell_crypto_nulls().iter().map(|n| n.key()).collect();
/// assert_eq!(keys, ["random", "halving_phase_60", "trend_regime_200", "near_record_5pct", "shifted_set"]);
/// ```
pub fn russell_crypto_nulls() -> Vec<Null> {
    vec![
        Null::Random,
        Null::halving_phase(60),
        Null::TrendRegime { sma_days: 200 },
        Null::NearRecord { within: 0.05 },
        Null::ShiftedSet,
    ]
}

/// The question the Russell 2000 claim asks, declared before looking: an ATH close after a
/// 250-day drought; BTC, ETH and the altcoin basket; 90 days ("within 1–3 months", at its
/// longest).
///
/// ```
/// let p = eventstudy::russell_crypto_primary();
/// assert_eq!(p.assets, ["btc", "eth", "alt_basket"]);
/// ```
pub fn russell_crypto_primary() -> Primary {
    Primary::new(
        BreakoutRule::ath_close(DEFAULT_DROUGHT),
        ["btc", "eth", "alt_basket"],
        Horizon::CalendarDays(90),
    )
}

/// When the claim was formed: its examples are the 2016–17 and 2020–21 cycles, so events up to
/// the end of 2021 built it and only later ones (2024-11 intraday, 2025-09, 2026-01) test it.
pub fn russell_crypto_claim_formed() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2021, 12, 31).unwrap_or_default()
}

/// BTC with its Mt.Gox-era history in front: the bundled `btc_mtgox` closes (Investing.com,
/// 0.1 USD, 2012-01-01..2013-04-27) followed by `btc` from 2013-04-28, named
/// `btc_with_mtgox`. A sensitivity for the 2013-01-02 breakout, which `btc` does not reach, and
/// never a default: Mt.Gox traded at a premium (median 2.3% over other venues in 2013) and the
/// early closes are coarse. The two are joined as they are, without rescaling.
///
/// ```
/// use eventstudy::{btc_with_mtgox, datasets::DataSource};
/// let s = btc_with_mtgox(&DataSource::Bundled)?;
/// assert_eq!((s.first_date().to_string(), s.symbol()), ("2012-01-01".to_string(), "btc_with_mtgox"));
/// assert_eq!(s.close_on("2013-04-28".parse().unwrap()), eventstudy::datasets::load("btc")?.close_on("2013-04-28".parse().unwrap()));
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn btc_with_mtgox(source: &DataSource) -> Result<crate::PriceSeries> {
    let early = source.load("btc_mtgox")?;
    let btc = source.load("btc")?;
    let (mut dates, mut close): (Vec<_>, Vec<_>) = early
        .dates()
        .iter()
        .zip(early.close())
        .filter(|(d, _)| **d < btc.first_date())
        .map(|(d, c)| (*d, *c))
        .unzip();
    dates.extend_from_slice(btc.dates());
    close.extend_from_slice(btc.close());
    crate::PriceSeries::from_closes("btc_with_mtgox", crate::Calendar::Continuous, dates, close)
}

/// The claim the `russell_crypto` preset was built to test, as the scorecard quotes it.
pub const RUSSELL_CLAIM_2026: &str =
    "ETH and altcoins react within one to three months of the Russell breakout (January 2026)";

/// Altcoins available from `source`: for a directory, those with a `SYMBOL.csv` file.
fn altcoins(source: &DataSource) -> Vec<&'static str> {
    datasets::all()
        .iter()
        .filter(|d| d.kind == DatasetKind::Altcoin)
        .filter(|d| match source {
            DataSource::Bundled => true,
            DataSource::Dir(dir) => dir.join(format!("{}.csv", d.symbol)).exists(),
        })
        .map(|d| d.symbol)
        .collect()
}

/// The Russell 2000 → crypto study on `source`, with the given targets (names from
/// [`RUSSELL_CRYPTO_ASSETS`], or any symbol the source has), [`russell_crypto_rules`],
/// [`russell_crypto_nulls`] (BTC is the regime series of the basket's trend-regime null), the
/// primary family [`russell_crypto_primary`] and the claim date
/// [`russell_crypto_claim_formed`].
///
/// ```
/// use eventstudy::{datasets::DataSource, russell_crypto};
/// let study = russell_crypto(&DataSource::Bundled, &["btc", "alt_basket"])?;
/// assert_eq!(study.target_list().len(), 2);
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn russell_crypto(source: &DataSource, assets: &[&str]) -> Result<Study> {
    if assets.is_empty() {
        return Err(Error::param("assets", "[]", "give at least one asset"));
    }
    let alts = altcoins(source);
    // The event series first: with a directory source, a bad rut.csv is the first error.
    let mut needed: Vec<&str> = vec!["rut"];
    for &name in assets {
        match name {
            "eth_btc" => needed.extend(["eth", "btc"]),
            "btc_with_mtgox" => {}
            "alt_basket" | "alt_median" | "alt_season" | "alt_top10" => {
                needed.extend(&alts);
                needed.push("btc"); // the season's benchmark and the basket's regime series
            }
            symbol => needed.push(symbol),
        }
    }
    // The rankings of the point-in-time basket are read while the series are.
    let top10 = assets.contains(&"alt_top10");
    let (mut cache, rankings) = rayon::join(
        || SeriesCache::load(source, needed),
        || {
            top10.then(|| {
                rayon::join(
                    || datasets::universe("cmc_top10_weekly"),
                    || datasets::universe("cmc_top200_monthly"),
                )
            })
        },
    );
    let events_on = cache.get("rut")?;
    let mut rankings = rankings;
    let mut targets = Vec::with_capacity(assets.len());
    for &name in assets {
        let target = match name {
            "eth_btc" => Target::ratio(&cache.get("eth")?, &cache.get("btc")?, "eth_btc")?,
            "btc_with_mtgox" => btc_with_mtgox(source)?.into(),
            "alt_basket" | "alt_median" | "alt_season" | "alt_top10" => {
                let members = alts.iter().map(|s| cache.get(s)).collect::<Result<Vec<_>>>()?;
                let basket = AltBasket::new("alt_basket", members)?;
                match name {
                    "alt_median" => basket.with_measure(name, BasketMeasure::Median),
                    // The weekly top 10 to 2023-07, then the monthly top 200's first ten; a
                    // snapshot serves a week (a month) after it was taken.
                    "alt_top10" => {
                        let (weekly, monthly) = rankings.take().unwrap_or_else(|| {
                            (
                                datasets::universe("cmc_top10_weekly"),
                                datasets::universe("cmc_top200_monthly"),
                            )
                        });
                        basket.point_in_time(name, PointInTime::new(vec![(weekly?, 7), (monthly?, 31)], 10))
                    }
                    "alt_season" => basket.with_measure(
                        name,
                        BasketMeasure::ShareBeating {
                            benchmark: cache.get("btc")?,
                        },
                    ),
                    _ => basket,
                }
                .into()
            }
            symbol => cache.get(symbol)?.into(),
        };
        targets.push(target);
    }
    let mut study = Study::new(events_on)
        .rules(russell_crypto_rules())
        .targets(targets)
        .nulls(russell_crypto_nulls())
        .primary(russell_crypto_primary())
        .claim_formed(russell_crypto_claim_formed());
    // The basket's trend regime is BTC's; a directory without btc.csv leaves that null
    // "not applied" for the basket, with the reason, rather than failing the study.
    let has_btc = match source {
        DataSource::Bundled => true,
        DataSource::Dir(dir) => dir.join("btc.csv").exists(),
    };
    if assets.iter().any(|a| a.starts_with("alt_")) && has_btc {
        study = study.regime_series(cache.get("btc")?);
    }
    if let DataSource::Dir(_) = source {
        study = study.denominator(cache.get("gspc")?);
    }
    Ok(study)
}

/// Each series a study needs, loaded once and in parallel; a symbol is looked up in the order
/// the study is built, so the first bad file is still the first error.
struct SeriesCache<'a> {
    source: &'a DataSource,
    loaded: std::collections::HashMap<&'a str, Result<crate::PriceSeries>>,
}

impl<'a> SeriesCache<'a> {
    fn load(source: &'a DataSource, mut symbols: Vec<&'a str>) -> Self {
        use rayon::prelude::*;
        let mut seen = std::collections::HashSet::new();
        symbols.retain(|s| seen.insert(*s));
        let loaded = symbols.par_iter().map(|&s| (s, source.load(s))).collect();
        SeriesCache { source, loaded }
    }

    fn get(&mut self, symbol: &str) -> Result<crate::PriceSeries> {
        match self.loaded.get(symbol) {
            Some(Ok(series)) => Ok(series.clone()),
            // An error is returned once, where it is first needed.
            Some(Err(_)) => self
                .loaded
                .remove(symbol)
                .unwrap_or_else(|| self.source.load(symbol)),
            None => self.source.load(symbol),
        }
    }
}

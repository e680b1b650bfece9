//! The classic study this crate ships with: did altcoins beat what their BTC beta implies
//! around Russell 2000 breakouts and around well-known crypto events?

use chrono::NaiveDate;
use serde::Serialize;

use super::ClassicStudy;
use crate::data::datasets::{self, DataSource, DatasetKind};
use crate::data::{PanelEvent, ReturnKind, ReturnsPanel};
use crate::error::Result;
use crate::events::{BreakoutRule, DEFAULT_DROUGHT};
use crate::window::EventTimeWindows;

/// A dated crypto event with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CryptoEvent {
    /// The (UTC) day it happened.
    pub date: NaiveDate,
    /// A short key, used as the events' label.
    pub label: &'static str,
    /// What happened and where the date comes from.
    pub source: &'static str,
}

/// Five well-known crypto events:
///
/// | date | label | event and source |
/// | --- | --- | --- |
/// | 2020-05-11 | `halving_2020` | third Bitcoin halving, block 630,000 (mempool.space block 630000, mined 2020-05-11 19:23 UTC) |
/// | 2022-09-15 | `eth_merge` | Ethereum's Merge to proof of stake, block 15,537,393 (ethereum.org, "The Merge") |
/// | 2022-11-08 | `ftx_collapse` | FTX halts customer withdrawals and Binance signs a letter of intent to buy it (Wikipedia, "Bankruptcy of FTX") |
/// | 2024-01-10 | `spot_btc_etf` | the SEC approves US spot bitcoin ETFs (SEC Release No. 34-99306, 10 January 2024) |
/// | 2024-04-20 | `halving_2024` | fourth Bitcoin halving, block 840,000 (mempool.space block 840000, mined 2024-04-20 00:09 UTC) |
pub fn crypto_events() -> Vec<CryptoEvent> {
    // The literal dates below are valid calendar days.
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    vec![
        CryptoEvent {
            date: day(2020, 5, 11),
            label: "halving_2020",
            source: "third Bitcoin halving, block 630,000 (mempool.space)",
        },
        CryptoEvent {
            date: day(2022, 9, 15),
            label: "eth_merge",
            source: "Ethereum's Merge, block 15,537,393 (ethereum.org, The Merge)",
        },
        CryptoEvent {
            date: day(2022, 11, 8),
            label: "ftx_collapse",
            source: "FTX halts withdrawals; Binance letter of intent (Wikipedia, Bankruptcy of FTX)",
        },
        CryptoEvent {
            date: day(2024, 1, 10),
            label: "spot_btc_etf",
            source: "SEC approves US spot bitcoin ETFs (SEC Release No. 34-99306)",
        },
        CryptoEvent {
            date: day(2024, 4, 20),
            label: "halving_2024",
            source: "fourth Bitcoin halving, block 840,000 (mempool.space)",
        },
    ]
}

/// The windows of the altcoin study, in days of the 7-day crypto calendar: estimation
/// τ = −250..−31, event −5..+90, CARs −1..+1, 0..+30 and 0..+90 (the claim's "within one to
/// three months").
pub fn altcoin_windows() -> EventTimeWindows {
    EventTimeWindows::new(-250..=-31, -5..=90).cars([-1..=1, 0..=30, 0..=90])
}

/// The two classic studies of the bundled altcoins against BTC as the market (market model,
/// simple daily returns, [`altcoin_windows`]): `rut_breakouts`, every altcoin at each Russell
/// 2000 ATH-close breakout after a 250-day drought, and `crypto_events`, every altcoin at each
/// of [`crypto_events`]. Altcoins without enough history for an event are reported with their
/// status.
///
/// ```no_run
/// let studies = eventstudy::altcoin_classic_studies(&eventstudy::datasets::DataSource::Bundled)?;
/// for (name, study) in studies {
///     println!("{name}\n{}", study.run()?.to_markdown());
/// }
/// # Ok::<(), eventstudy::Error>(())
/// ```
///
/// # Errors
/// As [`datasets::load`] and [`BreakoutRule::detect`].
pub fn altcoin_classic_studies(source: &DataSource) -> Result<Vec<(&'static str, ClassicStudy)>> {
    let alts: Vec<&str> = datasets::all()
        .iter()
        .filter(|d| d.kind == DatasetKind::Altcoin)
        .map(|d| d.symbol)
        .filter(|s| match source {
            DataSource::Bundled => true,
            DataSource::Dir(dir) => dir.join(format!("{s}.csv")).exists(),
        })
        .collect();
    let mut series = vec![source.load("btc")?];
    for a in &alts {
        series.push(source.load(a)?);
    }
    let panel = ReturnsPanel::from_prices(&series, ReturnKind::Simple)?;
    let breakouts = BreakoutRule::ath_close(DEFAULT_DROUGHT).detect(&source.load("rut")?)?;
    let around = |dates: Vec<(NaiveDate, String)>| -> Vec<PanelEvent> {
        dates
            .iter()
            .flat_map(|(date, label)| {
                alts.iter().map(move |a| PanelEvent {
                    security: a.to_string(),
                    date: *date,
                    label: Some(label.clone()),
                })
            })
            .collect()
    };
    let rut = around(
        breakouts
            .iter()
            .map(|e| (e.date, "rut_ath_close".to_string()))
            .collect(),
    );
    let crypto = around(
        crypto_events()
            .into_iter()
            .map(|e| (e.date, e.label.to_string()))
            .collect(),
    );
    let study = |events| {
        ClassicStudy::new(panel.clone(), "btc")
            .windows(altcoin_windows())
            .events(events)
    };
    Ok(vec![
        ("rut_breakouts", study(rut)),
        ("crypto_events", study(crypto)),
    ])
}

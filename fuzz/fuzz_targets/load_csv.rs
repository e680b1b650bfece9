//! The CSV loader and layout detection on arbitrary bytes: every input is either a valid
//! series or a typed error; a panic, an abort or a series that breaks an invariant is a crash.

#![no_main]

use eventstudy::{Calendar, CsvOptions, PriceSeries};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = eventstudy::detect_layout(data);
    let options = [
        CsvOptions::new(),
        CsvOptions::new().resample_daily(true).adjusted_close(false),
        CsvOptions::new().delimiter(b';').calendar(Calendar::Trading),
        CsvOptions::new().date_format("%d/%m/%Y").two_digit_year_pivot(30),
    ];
    for options in options {
        match PriceSeries::from_csv_bytes(data, "fuzz", options, "<fuzz>") {
            Ok(s) => {
                assert!(!s.is_empty());
                assert!(s.dates().windows(2).all(|w| w[0] < w[1]), "dates not ascending");
                assert!(s.close().iter().all(|c| c.is_finite() && *c > 0.0), "bad close");
                let info = s.load_info().expect("a loaded series records how it was read");
                assert!(info.rows_read >= s.len());
                let _ = s.to_string();
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
});

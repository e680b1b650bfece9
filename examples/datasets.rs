//! Lists every bundled series: symbol, name, calendar, first and last date, row count.
//!
//! ```text
//! cargo run --example datasets
//! ```

fn main() {
    match eventstudy::datasets::list() {
        Ok(list) => {
            for info in list {
                println!("{info}");
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}

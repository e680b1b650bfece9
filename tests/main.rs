//! The one integration-test binary (one link of polars instead of one per file).

mod browser;
mod classic;
mod classic_battery;
mod classic_engine;
mod classic_study;
mod data;
mod evcxr;
mod events;
mod examples;
mod loaders;
mod notebook;
mod nulls;
mod parquet;
mod reference;
mod study;
mod window;

//! The one integration-test binary (one link of polars instead of one per file).

mod classic;
mod data;
mod evcxr;
mod events;
mod examples;
mod nulls;
mod reference;
mod study;
mod window;

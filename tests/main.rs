//! The one integration-test binary (one link of polars instead of one per file).

mod data;
mod events;
mod study;
mod window;

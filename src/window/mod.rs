//! Stage 3, windows: event-aligned forward returns and paths across calendars, with windows the
//! data cannot complete kept and labelled rather than dropped; and, for the classic event
//! study, estimation and event windows in event time ([`EventTimeWindows`]).

mod engine;
mod event_time;
mod horizon;
mod target;

pub use engine::{
    ForwardReturn, ForwardReturns, PathPoint, WindowStatus, event_window, event_windows, forward_returns_all,
    target_forward_returns_all,
};
pub use event_time::{
    CarValue, CheckedEventTime, EstimationDay, EventFit, EventStatus, EventTimeWindows, fit_event,
    market_model_event,
};
pub use horizon::{Horizon, WindowOptions};
pub use target::{ALT_SEASON_THRESHOLD, AltBasket, BasketMeasure, PointInTime, Target};

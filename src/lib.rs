//! statusrapport: monthly figures and commentary into board-ready PDF
//! reports in Region Halland's layout.
//!
//! Data flows one way, one module a stage:
//! [`load`] (files → raw, with spans) → [`validate`] (raw → [`model`]) →
//! [`metrics`] (derived series) → [`chart`] (SVG + alt text) → [`render`]
//! (Typst → PDF) → [`publish`] (atomic write). [`pipeline`] runs the stages
//! for one report; the binary's subcommands are thin layers over it.

pub mod batch;
pub mod chart;
pub mod commentary;
pub mod config;
pub mod consistency;
pub mod dataset;
pub mod diagnostic;
pub mod discover;
pub mod eject;
pub mod formula;
#[doc(hidden)]
pub mod fuzzing;
pub mod load;
pub mod metrics;
pub mod model;
pub mod period;
pub mod pipeline;
pub mod publish;
pub mod render;
pub mod swedish;
pub mod synthetic;
pub mod validate;
pub mod watch;

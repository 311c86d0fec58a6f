//! statusrapport: monthly figures and commentary into board-ready PDF
//! reports in Region Halland's layout.
//!
//! Data flows one way, one module a stage:
//! [`load`] (files → raw [`config`] and [`dataset`], every value with its
//! place) → [`validate`] (raw → [`model`], names resolved) → [`metrics`]
//! (derived series) and [`consistency`] (text against data) → [`chart`]
//! (SVG + alt text) → [`render`] (Typst → PDF) → [`publish`] (atomic write).
//! [`pipeline`] is the one build path for one PDF; [`batch`] builds a tree
//! of projects, [`watch`] rebuilds one on save, [`eject`] writes one as
//! Typst files; [`approve`] marks a text approved. [`fetch`] (`statusrapport
//! hamta`) is beside the build path, not in it: it writes figures from
//! Kolada and SCB into a project as data files, which builds then read
//! offline.
//!
//! Below the stages, shared by them: [`diagnostic`] (places and messages),
//! [`context`] (a build's sources, messages and fingerprint), [`keyword`]
//! (keyword values), [`kind`] (the document kinds), [`fonts`], [`swedish`]
//! (numbers and dates), [`period`] and [`formula`]; [`error`] holds the
//! errors of a command itself.

pub mod approve;
pub mod batch;
pub mod changes;
pub mod chart;
pub mod commentary_edit;
pub mod commentary_file;
pub mod config;
pub mod consistency;
pub mod context;
pub mod dataset;
pub mod diagnostic;
pub mod discover;
pub mod eject;
pub mod error;
pub mod fetch;
pub mod fonts;
pub mod formula;
#[doc(hidden)]
pub mod fuzzing;
pub mod keyword;
pub mod kind;
pub mod load;
pub mod metrics;
pub mod model;
pub mod next_period;
pub mod period;
pub mod pipeline;
pub mod preview_server;
pub mod publish;
pub mod render;
pub mod swedish;
pub mod synthetic;
pub mod validate;
pub mod watch;

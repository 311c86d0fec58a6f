//! The integration tests, as one test binary (one link, shared fixtures):
//! each module tests one part of the product through its public surface.

mod pdf;
mod preview;
mod server;
mod support;

mod accessibility;
mod batch;
mod charts;
mod cli;
mod consistency;
mod corpus;
mod example_statusrapport;
mod exports;
mod fit;
mod fuzz_regressions;
mod hamta;
mod import;
mod kinds;
mod layout;
mod legibility;
mod messages;
mod metrics;
mod project_templates;
mod security;
mod tables;
mod windows;
mod writers;
mod yearly;

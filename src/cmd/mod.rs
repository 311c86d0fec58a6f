//! One module per subcommand, each a small function over the library.

pub mod build;
pub mod check;
pub mod eject;
pub mod new;
pub mod watch;

/// Exit code when at least one report failed (data, commentary, template).
pub const REPORT_FAILED: u8 = 1;
/// Exit code for usage and configuration errors.
pub const USAGE: u8 = 2;

//! One module per subcommand, each a small function over the library.

pub mod build;

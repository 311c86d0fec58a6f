//! The `statusrapport` binary: parse the command line, run the subcommand,
//! exit with its code (0 ok, 1 a report failed, 2 usage or configuration).

mod cli;
mod cmd;

/// Typst's layout allocates and frees many small objects; mimalloc makes a
/// report's layout about a third faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let code = match cli.command {
        cli::Command::Build(args) => cmd::build::run(&args),
        cli::Command::Check(args) => cmd::check::run(&args),
        cli::Command::Watch(args) => cmd::watch::run(&args),
        cli::Command::New(args) => cmd::new::run(&args),
        cli::Command::Eject(args) => cmd::eject::run(&args),
    };
    ExitCode::from(code)
}

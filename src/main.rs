//! The `statusrapport` binary: parse the command line, run the subcommand,
//! exit with its code (0 ok, 1 a report failed, 2 usage or configuration).

mod cli;
mod cmd;
mod console;

/// Typst's layout allocates and frees many small objects; mimalloc makes a
/// report's layout about a third faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Windows: UTF-8 console; a double-clicked program explains itself and waits.
    let _console = console::Console::open();
    if console::introduce_on_double_click() {
        return ExitCode::SUCCESS;
    }
    // try_parse, not parse: clap's own exit would skip the console's drop.
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(error.exit_code() as u8);
        }
    };
    let code = match cli.command {
        cli::Command::Build(args) => cmd::build::run(&args),
        cli::Command::Check(args) => cmd::check::run(&args),
        cli::Command::Watch(args) => cmd::watch::run(&args),
        cli::Command::New(args) => cmd::new::run(&args),
        cli::Command::Eject(args) => cmd::eject::run(&args),
    };
    ExitCode::from(code)
}

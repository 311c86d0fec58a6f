//! The `statusrapport` binary: parse the command line, run the subcommand,
//! print an application error if there is one, exit with the code (0 ok, 1 a
//! report failed, 2 usage or configuration).

mod cli;
mod cmd;
mod console;

/// Typst's layout allocates and frees many small objects; mimalloc makes a
/// report's layout about a third faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;
use statusrapport::error::AppError;

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
    let format = cli.command.format();
    // A runaway project template then stops only its own report.
    statusrapport::render::typeset::isolate_project_templates();
    let result = match cli.command {
        cli::Command::Build(args) => cmd::build::run(&args),
        cli::Command::Check(args) => cmd::check::run(&args),
        cli::Command::Watch(args) => cmd::watch::run(&args),
        cli::Command::New(args) => cmd::new::run(&args),
        cli::Command::Eject(args) => cmd::eject::run(&args),
        cli::Command::Godkann(args) => cmd::approve::run(&args),
        cli::Command::Hamta(args) => cmd::hamta::run(&args),
        cli::Command::NyPeriod(args) => cmd::next_period::run(&args),
        cli::Command::Typeset => match statusrapport::render::typeset::serve() {
            // The parent names it as that report's error.
            Ok(()) => Ok(0),
            Err(_) => Ok(2),
        },
    };
    ExitCode::from(match result {
        Ok(code) => code,
        Err(error) => {
            report(&error, format);
            error.exit_code()
        }
    })
}

/// The one place an application error is printed: a Swedish line on
/// standard error, or a JSON line on standard output for `--format json`.
fn report(error: &AppError, format: cli::OutputFormat) {
    match format {
        cli::OutputFormat::Text => {
            eprintln!("fel: {error}");
            if let Some(hint) = error.hint() {
                eprintln!("tips: {hint}");
            }
        }
        cli::OutputFormat::Json => {
            let line = serde_json::json!({
                "severity": "error",
                "message": error.to_string(),
                "file": error.path().map(statusrapport::diagnostic::slashed),
                "line": null,
                "column": null,
                "hints": error.hint().into_iter().collect::<Vec<_>>(),
                "exit_code": error.exit_code(),
            });
            println!("{line}");
        }
    }
}

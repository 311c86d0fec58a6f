//! `statusrapport ny-period MAPP ÅÅÅÅ-MM`: move a report project to the next
//! month and say what is left to do.

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use statusrapport::context::Context;
use statusrapport::diagnostic::{self, slashed};
use statusrapport::error::{AppError, REPORT_FAILED};
use statusrapport::next_period;

use crate::cli::NextPeriodArgs;

pub fn run(args: &NextPeriodArgs) -> Result<u8, AppError> {
    super::one_project(&args.path, "ny-period")?;
    let mut cx = Context::new(&args.path);
    let planned = next_period::plan(&mut cx, args.month);
    let written = planned.as_ref().is_some_and(|next| next_period::write(&mut cx, next));
    diagnostic::emit_human(&mut StandardStream::stderr(ColorChoice::Auto), &cx.sources, &cx.diagnostics);
    let Some(next) = planned.filter(|_| written) else {
        eprintln!("Inget ändrades i {}.", slashed(&args.path));
        return Ok(REPORT_FAILED);
    };
    println!("{} flyttad från {} till {}:", slashed(&args.path), next.from.long_name(), next.to.long_name());
    for line in &next.done {
        println!("  {line}");
    }
    if next.todo.is_empty() {
        println!("Inget mer att göra: inga texter nämner förra månaden och datat har siffror för den nya.");
    } else {
        println!("Att göra:");
        for line in &next.todo {
            println!("  - {line}");
        }
    }
    println!("Alla texter är nu utkast: skriv om dem, låt dem granskas och godkänn dem med statusrapport godkann.");
    Ok(0)
}

//! `statusrapport godkann FIL… --av NAMN`: approve commentary texts for
//! publishing.

use std::path::Path;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use statusrapport::context::Context;
use statusrapport::diagnostic::{self, slashed};
use statusrapport::error::{AppError, REPORT_FAILED};

use crate::cli::ApproveArgs;

pub fn run(args: &ApproveArgs) -> Result<u8, AppError> {
    let date = args.date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let mut stderr = StandardStream::stderr(ColorChoice::Auto);
    let mut failed = 0;
    for path in &args.files {
        let mut cx = Context::new(path.parent().unwrap_or(Path::new(".")));
        if statusrapport::approve::approve(&mut cx, path, &args.by, date) {
            println!("godkänd   {} (av {}, {date})", slashed(path), args.by.trim());
        } else {
            failed += 1;
        }
        diagnostic::emit_human(&mut stderr, &cx.sources, &cx.diagnostics);
    }
    Ok(if failed > 0 { REPORT_FAILED } else { 0 })
}

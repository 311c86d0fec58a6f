//! `statusrapport hamta`: fetch every `[[kalla]]` of the reports under a
//! path (Kolada, SCB) into their data files. The only command that goes
//! online; exits 1 if any source failed (its previous file is kept).

use std::io::IsTerminal;
use std::time::Duration;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use statusrapport::context::Context;
use statusrapport::diagnostic::{self, JsonDiagnostic, slashed};
use statusrapport::error::{AppError, REPORT_FAILED};
use statusrapport::fetch::{self, Options, Settings, Status};
use statusrapport::swedish;

use crate::cli::{FetchArgs, OutputFormat};

pub fn run(args: &FetchArgs) -> Result<u8, AppError> {
    let (projects, unreadable) = super::projects_under(&args.path, args.format)?;
    let options = Options {
        http: Settings { timeout: Duration::from_secs(args.timeout), ..Settings::default() },
        replace: args.ersatt,
    };
    let color = if std::io::stderr().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
    let mut stderr = StandardStream::stderr(color);
    let (mut written, mut unchanged, mut failed, mut errors) = (0, 0, 0, unreadable.len());
    for root in &projects {
        let mut cx = Context::new(root);
        let outcomes = fetch::fetch_project(&mut cx, &options).unwrap_or_default();
        for problem in cx.diagnostics.iter() {
            match args.format {
                OutputFormat::Text => diagnostic::emit_one(&mut stderr, &cx.sources, problem),
                OutputFormat::Json => {
                    let mut line = serde_json::to_value(JsonDiagnostic::new(&cx.sources, problem)).expect("serialises");
                    line["rapport"] = serde_json::Value::String(slashed(root));
                    println!("{line}");
                }
            }
        }
        errors += cx.diagnostics.errors();
        for outcome in outcomes {
            let (word, values) = match outcome.status {
                Status::Written(n) => {
                    written += 1;
                    ("hämtad", Some(n))
                }
                Status::Unchanged(n) => {
                    unchanged += 1;
                    ("oförändrad", Some(n))
                }
                Status::Failed => {
                    failed += 1;
                    ("misslyckad", None)
                }
            };
            match args.format {
                OutputFormat::Text => {
                    let count =
                        values.map(|n| format!(" ({})", swedish::count(n, "värde", "värden"))).unwrap_or_default();
                    println!("{word}: {} → {}{count}", outcome.source, slashed(&outcome.file));
                }
                OutputFormat::Json => println!(
                    "{}",
                    serde_json::json!({
                        "rapport": slashed(root),
                        "kalla": outcome.source,
                        "fil": slashed(&outcome.file),
                        "status": word,
                        "varden": values,
                    })
                ),
            }
        }
    }
    if written + unchanged + failed == 0 && errors == 0 {
        return Err(AppError::NoSources { path: args.path.clone() });
    }
    if args.format == OutputFormat::Text {
        println!("Hämtning: {} hämtade, {} oförändrade, {} misslyckade.", written, unchanged, failed);
    }
    Ok(if failed > 0 || errors > 0 { REPORT_FAILED } else { 0 })
}

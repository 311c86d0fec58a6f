//! `statusrapport build`: every report under a path into PDF files.

use std::io::Write;
use std::time::Instant;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use statusrapport::diagnostic::{self, JsonDiagnostic};
use statusrapport::discover;
use statusrapport::pipeline::{self, Options};
use statusrapport::publish;
use statusrapport::render::Engine;

use crate::cli::{BuildArgs, OutputFormat};

/// Exit code when at least one report failed.
const REPORT_FAILED: u8 = 1;
/// Exit code for usage and configuration errors.
const USAGE: u8 = 2;

pub fn run(args: &BuildArgs) -> u8 {
    let started = Instant::now();
    let projects = match discover::find_projects(&args.path) {
        Ok(projects) if projects.is_empty() => {
            eprintln!(
                "fel: inga rapporter under {} (en rapportmapp innehåller rapport.toml)",
                args.path.display()
            );
            return USAGE;
        }
        Ok(projects) => projects,
        Err(error) => {
            eprintln!("fel: {} kan inte läsas: {error}", args.path.display());
            return USAGE;
        }
    };
    let engine = Engine::new();
    let mut options = Options::from_env();
    options.accessible = !args.otillganglig;
    let mut failed = 0;
    let mut stderr = StandardStream::stderr(ColorChoice::Auto);
    for root in &projects {
        let report_started = Instant::now();
        let outcome = pipeline::build(&engine, root, &options);
        let name = root.display().to_string();
        if args.format == OutputFormat::Text {
            diagnostic::emit_human(&mut stderr, &outcome.cx.sources, &outcome.cx.diagnostics);
        }
        let result = outcome.pdf.as_ref().zip(outcome.report.as_ref()).map(|(pdf, report)| {
            publish::write_atomically(&args.out, &format!("{}.pdf", report.name), &pdf.bytes)
                .map(|path| (path, pdf.pages))
        });
        let milliseconds = report_started.elapsed().as_millis();
        let status = match &result {
            Some(Ok((path, pages))) => {
                if args.format == OutputFormat::Text {
                    println!("{name}: {pages} sidor, {milliseconds} ms → {}", path.display());
                }
                "byggd"
            }
            Some(Err(error)) => {
                eprintln!(
                    "fel: PDF-filen för {name} kan inte skrivas till {}: {error}",
                    args.out.display()
                );
                failed += 1;
                "misslyckad"
            }
            None => {
                if args.format == OutputFormat::Text {
                    println!("{name}: misslyckades ({} fel)", outcome.cx.diagnostics.errors());
                }
                failed += 1;
                "misslyckad"
            }
        };
        if args.format == OutputFormat::Json {
            let diagnostics: Vec<JsonDiagnostic> = outcome
                .cx
                .diagnostics
                .iter()
                .map(|d| JsonDiagnostic::new(&outcome.cx.sources, d))
                .collect();
            let line = serde_json::json!({
                "rapport": name,
                "status": status,
                "pdf": result.as_ref().and_then(|r| r.as_ref().ok()).map(|(path, _)| path.display().to_string()),
                "sidor": result.as_ref().and_then(|r| r.as_ref().ok()).map(|(_, pages)| pages),
                "ms": milliseconds,
                "diagnostiker": diagnostics,
            });
            println!("{line}");
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    if args.format == OutputFormat::Text {
        let built = projects.len() - failed;
        let _ = std::io::stdout().flush();
        println!(
            "Klart på {} s: {built} av {} rapporter byggda, {failed} misslyckades.",
            statusrapport::swedish::format_number(seconds, 2, false),
            projects.len()
        );
    }
    if failed > 0 { REPORT_FAILED } else { 0 }
}

//! `statusrapport check`: everything `build` does except writing. Shows all
//! problems of all reports at once, rustc-style, and exits 1 on errors.

use std::io::IsTerminal;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use statusrapport::batch;
use statusrapport::context::Context;
use statusrapport::diagnostic::{self, JsonDiagnostic};
use statusrapport::error::{AppError, REPORT_FAILED};
use statusrapport::pipeline::{self, Builder, Options, Output};
use statusrapport::render::Engine;

use crate::cli::{CheckArgs, OutputFormat};

pub fn run(args: &CheckArgs) -> Result<u8, AppError> {
    let projects = super::projects_under(&args.path)?;
    let engine = Engine::new();
    let options = Options { publishing: args.publicera, ..Options::from_env() };
    // Every PDF of every project, checked in parallel, shown in order.
    let checked: Vec<(std::path::PathBuf, Context)> = batch::parallel_map(&projects, None, |root| {
        let (cx, project) = pipeline::load(root);
        let Some(project) = project else { return vec![(root.clone(), cx)] };
        pipeline::variants(&project)
            .into_iter()
            .map(|variant| {
                let mut cx = cx.clone();
                Builder::new(&engine).build(&mut cx, &project, &variant, &options, Output::Check, &|_| false);
                (root.clone(), cx)
            })
            .collect()
    })
    .into_iter()
    .flatten()
    .collect();

    let (mut errors, mut warnings) = (0, 0);
    let color = if std::io::stderr().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
    let mut stderr = StandardStream::stderr(color);
    let mut shown = std::collections::HashSet::new();
    for (root, cx) in &checked {
        errors += cx.diagnostics.errors();
        warnings += cx.diagnostics.warnings();
        match args.format {
            OutputFormat::Text => {
                // A project's load problems are the same in each of its PDFs; show them once.
                let text = diagnostic::render_plain(&cx.sources, &cx.diagnostics);
                if shown.insert(text) {
                    diagnostic::emit_human(&mut stderr, &cx.sources, &cx.diagnostics);
                }
            }
            OutputFormat::Json => {
                for problem in cx.diagnostics.iter() {
                    let mut line = serde_json::to_value(JsonDiagnostic::new(&cx.sources, problem)).expect("serialises");
                    line["rapport"] = serde_json::Value::String(root.display().to_string());
                    println!("{line}");
                }
            }
        }
    }
    if args.format == OutputFormat::Text {
        let verdict = if errors == 0 { "inga fel" } else { "fel hittades" };
        println!(
            "Kontroll av {} rapportmappar: {verdict} ({errors} fel, {warnings} varningar). Inget skrevs.",
            projects.len()
        );
    }
    Ok(if errors > 0 { REPORT_FAILED } else { 0 })
}

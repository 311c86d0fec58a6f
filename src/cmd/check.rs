//! `statusrapport check`: everything `build` does except writing. Shows all
//! problems of all reports at once, rustc-style, and exits 1 on errors.

use std::collections::HashSet;
use std::io::IsTerminal;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use statusrapport::batch;
use statusrapport::context::Context;
use statusrapport::diagnostic::{self, JsonDiagnostic, Severity, slashed};
use statusrapport::error::{AppError, REPORT_FAILED};
use statusrapport::pipeline::{self, Builder, Options, Output};
use statusrapport::render::Engine;
use statusrapport::swedish;

use crate::cli::{CheckArgs, OutputFormat};

pub fn run(args: &CheckArgs) -> Result<u8, AppError> {
    let (projects, unreadable) = super::projects_under(&args.path, args.format)?;
    if let Some(file) = &args.visa_inlasning {
        show_reading(&projects, file);
    }
    let engine = Engine::new();
    let options = Options { publishing: args.publicera, ..Options::from_env() };
    // Every PDF of every project, checked in parallel, shown in order.
    let checked: Vec<(std::path::PathBuf, Context)> = batch::parallel_map(
        &projects,
        None,
        || Builder::new(&engine),
        |builder, root| {
            let (cx, project) = pipeline::load(root);
            let Some(project) = project else { return vec![(root.clone(), cx)] };
            pipeline::variants(&project.config)
                .into_iter()
                .map(|variant| {
                    let mut cx = cx.clone();
                    builder.build(&mut cx, &project, &variant, &options, Output::Check, &|_| false);
                    (root.clone(), cx)
                })
                .collect()
        },
    )
    .into_iter()
    .flatten()
    .collect();

    let (mut errors, mut warnings) = (unreadable.len(), 0);
    let color = if std::io::stderr().is_terminal() { ColorChoice::Auto } else { ColorChoice::Never };
    let mut stderr = StandardStream::stderr(color);
    // A project's PDFs share its files, so a problem in them shows in each
    // PDF's messages: each is shown and counted once per project.
    let mut shown = HashSet::new();
    // Messages not shown (past the limit per file) count too, once per project.
    let mut hidden: std::collections::HashMap<&std::path::Path, (usize, usize)> = Default::default();
    for (root, cx) in &checked {
        let counted = hidden.entry(root).or_default();
        let (not_shown_errors, not_shown_warnings) = cx.diagnostics.hidden();
        *counted = (counted.0.max(not_shown_errors), counted.1.max(not_shown_warnings));
        for problem in cx.diagnostics.iter() {
            let line = JsonDiagnostic::new(&cx.sources, problem);
            if !shown.insert((root.clone(), serde_json::to_string(&line).expect("serialises"))) {
                continue;
            }
            match problem.severity {
                _ if diagnostic::counts_hidden(problem) => {}
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
            match args.format {
                OutputFormat::Text => diagnostic::emit_one(&mut stderr, &cx.sources, problem),
                OutputFormat::Json => {
                    let mut line = serde_json::to_value(line).expect("serialises");
                    line["rapport"] = serde_json::Value::String(slashed(root));
                    println!("{line}");
                }
            }
        }
    }
    errors += hidden.values().map(|h| h.0).sum::<usize>();
    warnings += hidden.values().map(|h| h.1).sum::<usize>();
    if args.format == OutputFormat::Text {
        let verdict = if errors == 0 { "inga fel" } else { "fel hittades" };
        println!(
            "Kontroll av {}: {verdict} ({} fel, {}). Inget skrevs.",
            swedish::count(projects.len(), "rapportmapp", "rapportmappar"),
            errors,
            swedish::count(warnings, "varning", "varningar")
        );
    }
    Ok(if errors > 0 { REPORT_FAILED } else { 0 })
}

/// Prints how a data file of the projects was read (`--visa-inlasning`).
fn show_reading(projects: &[std::path::PathBuf], file: &str) {
    let wanted = file.replace('\\', "/");
    let mut shown = false;
    let mut known = Vec::new();
    for root in projects {
        let (_, project) = pipeline::load(root);
        let Some(project) = project else { continue };
        for (written, log) in &project.readings {
            let written_path = written.trim().replace('\\', "/");
            known.push(written_path.clone());
            let same = written_path == wanted
                || wanted.ends_with(&format!("/{written_path}"))
                || std::path::Path::new(&written_path).file_name() == std::path::Path::new(&wanted).file_name();
            if same {
                println!("{}", log.describe(&slashed(root.join(&written_path))));
                shown = true;
            }
        }
    }
    if !shown {
        println!(
            "Ingen datafil heter {file} i rapport.toml. Datafilerna är: {}.",
            if known.is_empty() { "(inga)".to_string() } else { known.join(", ") }
        );
    }
}

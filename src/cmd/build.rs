//! `statusrapport build`: every report under a path into PDF files, in
//! parallel, skipping what has not changed, with a manifest.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use statusrapport::batch::{self, BatchOptions, ReportResult, ReportStatus};
use statusrapport::diagnostic::slashed;
use statusrapport::error::{AppError, REPORT_FAILED};
use statusrapport::pipeline::Options;
use statusrapport::render::Engine;
use statusrapport::swedish;

use crate::cli::{BuildArgs, OutputFormat};

pub fn run(args: &BuildArgs) -> Result<u8, AppError> {
    let started = Instant::now();
    let (mut projects, unreadable) = super::projects_under(&args.path, args.format)?;
    if let Some((index, count)) = args.shard {
        projects = batch::shard(&args.path, projects, index, count);
    }
    if let Some(jobs) = args.jobs
        && jobs > batch::most_jobs()
    {
        eprintln!("-j {jobs} är fler än fyra per kärna; {} rapporter byggs samtidigt", batch::most_jobs());
    }
    let limit = Duration::from_secs(args.wait);
    let _lock = batch::OutputLock::acquire(&args.out, limit, |path, holder| {
        eprintln!(
            "en annan körning mot {} pågår ({holder}, låset {}); väntar högst {} s på att den blir klar …",
            slashed(&args.out),
            slashed(path),
            args.wait
        );
    })
    .map_err(|error| AppError::OutputUnusable { path: args.out.clone(), error })?;

    let pipeline = Options {
        accessible: !args.otillganglig,
        publishing: args.publicera,
        force: args.force,
        ..Options::from_env()
    };
    let options = BatchOptions { out: args.out.clone(), jobs: args.jobs, pipeline };
    let progress = (args.format == OutputFormat::Text && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(projects.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:30.blue} {pos}/{len} rapportmappar {elapsed}").expect("valid template"),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    });
    let format = args.format;
    let on_project = |results: &[ReportResult]| {
        for result in results {
            let line = match format {
                OutputFormat::Json => serde_json::to_string(&result.entry).expect("entries serialise"),
                OutputFormat::Text => describe(result, &args.out),
            };
            match &progress {
                Some(bar) => {
                    bar.println(line);
                    if !result.messages.is_empty() {
                        bar.println(result.messages.trim_end());
                    }
                }
                None => {
                    if format == OutputFormat::Text && !result.messages.is_empty() {
                        eprintln!("{}", result.messages.trim_end());
                    }
                    println!("{line}");
                }
            }
        }
        if let Some(bar) = &progress {
            bar.inc(1);
        }
    };
    let engine = Engine::new();
    let unreadable: Vec<_> = unreadable.iter().map(batch::UnreadableFolder::new).collect();
    let result = batch::run(&engine, &args.path, &projects, &unreadable, &options, &on_project);
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    let result = result.map_err(|error| AppError::ManifestUnwritable { path: args.out.clone(), error })?;
    if format == OutputFormat::Text {
        let unread = match unreadable.len() {
            0 => String::new(),
            n => format!(", {}", swedish::count(n, "oläsbar mapp", "oläsbara mappar")),
        };
        println!(
            "Klart på {} s: {}, {}, {}{unread}. Manifest: {}",
            swedish::format_number(started.elapsed().as_secs_f64(), 2, false),
            swedish::count(result.built, "byggd", "byggda"),
            swedish::count(result.unchanged, "oförändrad", "oförändrade"),
            swedish::count(result.failed, "misslyckad", "misslyckade"),
            slashed(args.out.join(batch::MANIFEST))
        );
    }
    Ok(if result.failed + unreadable.len() > 0 { REPORT_FAILED } else { 0 })
}

/// One line for people: what happened, where the PDF is, pages and time.
fn describe(result: &ReportResult, out: &std::path::Path) -> String {
    let entry = &result.entry;
    let path = out.join(&entry.pdf);
    match entry.status {
        ReportStatus::Byggd => format!(
            "byggd       {} → {} ({}, {} ms{})",
            entry.rapport,
            slashed(&path),
            swedish::count(entry.sidor.unwrap_or(0), "sida", "sidor"),
            entry.ms,
            if entry.varningar > 0 {
                format!(", {}", swedish::count(entry.varningar, "varning", "varningar"))
            } else {
                String::new()
            }
        ),
        ReportStatus::Oforandrad => format!("oförändrad  {} → {}", entry.rapport, slashed(&path)),
        ReportStatus::Misslyckad => format!(
            "misslyckad  {} ({} fel; {})",
            entry.rapport,
            entry.fel,
            if path.is_file() { format!("{} lämnas orörd", slashed(&path)) } else { "ingen PDF".to_string() }
        ),
    }
}

//! `statusrapport eject`: a report as plain Typst files for hand work.

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use statusrapport::diagnostic;
use statusrapport::eject;
use statusrapport::model::Variant;
use statusrapport::pipeline::{self, Options};

use crate::cli::EjectArgs;
use crate::cmd::{REPORT_FAILED, USAGE};

pub fn run(args: &EjectArgs) -> u8 {
    if !args.path.join(statusrapport::config::REPORT_FILE).is_file() {
        eprintln!("fel: {} är ingen rapportmapp (rapport.toml saknas)", args.path.display());
        return USAGE;
    }
    let variant = match &args.enhet {
        Some(unit) => Variant::Unit(unit.clone()),
        None => Variant::Whole,
    };
    let (mut cx, project) = pipeline::load(&args.path);
    let prepared = project.and_then(|project| pipeline::prepare(&mut cx, &project, &variant, &Options::from_env()));
    let mut stderr = StandardStream::stderr(ColorChoice::Auto);
    diagnostic::emit_human(&mut stderr, &cx.sources, &cx.diagnostics);
    let Some(prepared) = prepared else {
        eprintln!("fel: rapporten kan inte lämnas ut som Typst förrän felen ovan är rättade");
        return REPORT_FAILED;
    };
    let folder = args.out.clone().unwrap_or_else(|| format!("{}-typst", variant.pdf_stem(&args.path)).into());
    match eject::write(&prepared.bundle, &prepared.settings, &folder) {
        Ok(files) => {
            println!("{} filer skrivna i {}. Kompilera där med:", files.len(), folder.display());
            println!("    {}", eject::typst_command(&prepared.bundle, &prepared.settings));
            0
        }
        Err(error) => {
            eprintln!("fel: {} kan inte skrivas: {error}", folder.display());
            USAGE
        }
    }
}

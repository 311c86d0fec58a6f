//! `statusrapport eject`: a report as plain Typst files for hand work.

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use statusrapport::diagnostic;
use statusrapport::eject;
use statusrapport::error::AppError;
use statusrapport::model::Variant;
use statusrapport::pipeline::{self, Builder, Options, Output};
use statusrapport::render::Engine;

use crate::cli::EjectArgs;

pub fn run(args: &EjectArgs) -> Result<u8, AppError> {
    super::one_project(&args.path, "eject")?;
    let variant = match &args.enhet {
        Some(unit) => Variant::Unit(unit.clone()),
        None => Variant::Whole,
    };
    let (mut cx, project) = pipeline::load(&args.path);
    if let (Some(project), Variant::Unit(id)) = (&project, &variant) {
        let own: Vec<String> = pipeline::variants(&project.config)
            .into_iter()
            .filter_map(|v| match v {
                Variant::Unit(id) => Some(id),
                Variant::Whole => None,
            })
            .collect();
        if !own.contains(id) {
            return Err(AppError::NoSuchUnitReport { unit: id.clone(), units: own });
        }
    }
    let engine = Engine::new();
    let built = project.map(|project| {
        Builder::new(&engine).build(&mut cx, &project, &variant, &Options::from_env(), Output::Check, &|_| false)
    });
    let mut stderr = StandardStream::stderr(ColorChoice::Auto);
    diagnostic::emit_human(&mut stderr, &cx.sources, &cx.diagnostics);
    let files = built.and_then(|b| b.bundle.zip(b.settings)).filter(|_| !cx.diagnostics.has_errors());
    let Some((bundle, settings)) = files else { return Err(AppError::ReportHasErrors) };
    let folder = args.out.clone().unwrap_or_else(|| format!("{}-typst", variant.pdf_stem(&args.path)).into());
    let files = eject::write(&bundle, &settings, &folder)
        .map_err(|error| AppError::Unwritable { path: folder.clone(), error })?;
    println!(
        "{} skrivna i {}. Kompilera där med:",
        statusrapport::swedish::count(files.len(), "fil", "filer"),
        diagnostic::slashed(&folder)
    );
    println!("    {}", eject::typst_command(&bundle, &settings));
    Ok(0)
}

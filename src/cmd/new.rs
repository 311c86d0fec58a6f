//! `statusrapport new KIND DIR`: start a report project from a commented
//! example of its kind, ready to build.

use std::fs;
use std::path::Path;

use statusrapport::diagnostic::slashed;
use statusrapport::error::AppError;
use statusrapport::keyword;
use statusrapport::model::Kind;

use crate::cli::NewArgs;

pub fn run(args: &NewArgs) -> Result<u8, AppError> {
    let Some(kind) = keyword::find::<Kind>(&args.kind) else {
        return Err(AppError::UnknownKind { written: args.kind.clone(), kinds: Kind::ALL.map(Kind::name).to_vec() });
    };
    if args.dir.exists() && fs::read_dir(&args.dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(AppError::FolderNotEmpty { path: args.dir.clone() });
    }
    for (relative, text) in kind.skeleton() {
        let path = args.dir.join(relative);
        write(&path, text).map_err(|error| AppError::Unwritable { path, error })?;
    }
    println!("Ny {} i {}.", kind.name(), slashed(&args.dir));
    println!("Redigera rapport.toml och texterna, och bygg sedan med:");
    println!("    statusrapport check {}", slashed(&args.dir));
    println!("    statusrapport build {}", slashed(&args.dir));
    Ok(0)
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

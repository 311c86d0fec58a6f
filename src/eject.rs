//! Eject: a report as plain Typst files (the template, `data.json`, the
//! chart SVGs, the logo and the fonts) that the official `typst` CLI
//! compiles to the same pages, for people who need to finish a report by
//! hand in Typst.

use std::fs;
use std::path::{Path, PathBuf};

use crate::fonts::{FONTS, LICENSES};
use crate::render::{Bundle, PdfSettings};

/// The Typst command that compiles the ejected folder, run inside it.
pub fn typst_command(bundle: &Bundle, settings: &PdfSettings) -> String {
    let main = bundle.main.trim_start_matches('/');
    let output = Path::new(main).with_extension("pdf");
    let standards = if settings.accessible { " --pdf-standard ua-1,a-2a" } else { "" };
    format!(
        "typst compile --root . --font-path fonts --ignore-system-fonts{standards} --creation-timestamp {} {main} {}",
        settings.timestamp_epoch,
        output.display()
    )
}

/// Writes the bundle's files under `folder`, with the fonts and a README
/// that says how to compile. Returns the files written.
pub fn write(bundle: &Bundle, settings: &PdfSettings, folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let mut put = |relative: &str, bytes: &[u8]| -> std::io::Result<()> {
        let path = folder.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, bytes)?;
        written.push(path);
        Ok(())
    };
    for file in &bundle.files {
        put(file.path.trim_start_matches('/'), &file.bytes)?;
    }
    for (name, bytes) in FONTS {
        put(&format!("fonts/{name}"), bytes)?;
    }
    for (name, bytes) in LICENSES {
        put(&format!("fonts/{name}"), bytes)?;
    }
    let readme = format!(
        "Rapporten som vanliga Typst-filer (från `statusrapport eject`).\n\n\
         Kompilera i den här mappen med Typst {}:\n\n    {}\n\n\
         data.json innehåller rapportens text och färdigformaterade tal; diagram/ innehåller\n\
         diagrammen som SVG. Ändringar här förs inte tillbaka till rapportmappen.\n",
        "0.15",
        typst_command(bundle, settings)
    );
    put("LÄSMIG.txt", readme.as_bytes())?;
    Ok(written)
}

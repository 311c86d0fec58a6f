//! `statusrapport new KIND DIR`: start a report project from a commented
//! example of its kind, ready to build.

use std::fs;
use std::path::Path;

use statusrapport::model::Kind;

use crate::cli::NewArgs;
use crate::cmd::USAGE;

/// The example project of each kind, compiled into the binary.
const SKELETONS: [(Kind, &[(&str, &str)]); 4] = [
    (
        Kind::Statusrapport,
        &[
            ("rapport.toml", include_str!("../../report-templates/nytt/statusrapport/rapport.toml")),
            ("siffror/ekonomi.csv", include_str!("../../report-templates/nytt/statusrapport/siffror/ekonomi.csv")),
            ("kommentarer/vo1.toml", include_str!("../../report-templates/nytt/statusrapport/kommentarer/vo1.toml")),
            ("kommentarer/vo2.toml", include_str!("../../report-templates/nytt/statusrapport/kommentarer/vo2.toml")),
        ],
    ),
    (
        Kind::Tjansteskrivelse,
        &[
            ("rapport.toml", include_str!("../../report-templates/nytt/tjänsteskrivelse/rapport.toml")),
            (
                "text/arendebeskrivning.toml",
                include_str!("../../report-templates/nytt/tjänsteskrivelse/text/arendebeskrivning.toml"),
            ),
            ("text/forslag.toml", include_str!("../../report-templates/nytt/tjänsteskrivelse/text/forslag.toml")),
        ],
    ),
    (
        Kind::Skrivelse,
        &[
            ("rapport.toml", include_str!("../../report-templates/nytt/skrivelse/rapport.toml")),
            ("text/skrivelse.toml", include_str!("../../report-templates/nytt/skrivelse/text/skrivelse.toml")),
        ],
    ),
    (
        Kind::Manadsrapport,
        &[
            ("rapport.toml", include_str!("../../report-templates/nytt/månadsrapport/rapport.toml")),
            ("siffror/resultat.csv", include_str!("../../report-templates/nytt/månadsrapport/siffror/resultat.csv")),
            (
                "kommentarer/sammanfattning.toml",
                include_str!("../../report-templates/nytt/månadsrapport/kommentarer/sammanfattning.toml"),
            ),
        ],
    ),
];

pub fn run(args: &NewArgs) -> u8 {
    let Some(kind) = Kind::parse(&args.kind) else {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        eprintln!("fel: okänd rapporttyp `{}`; typerna är {}", args.kind, names.join(", "));
        return USAGE;
    };
    if args.dir.exists() && fs::read_dir(&args.dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        eprintln!("fel: {} finns redan och är inte tom; välj en ny mapp", args.dir.display());
        return USAGE;
    }
    let files = SKELETONS.iter().find(|(k, _)| *k == kind).map(|(_, files)| *files).expect("a skeleton per kind");
    for (relative, text) in files {
        if let Err(error) = write(&args.dir.join(relative), text) {
            eprintln!("fel: {} kan inte skrivas: {error}", args.dir.join(relative).display());
            return USAGE;
        }
    }
    println!("Ny {} i {}.", kind.name(), args.dir.display());
    println!("Redigera rapport.toml och texterna, och bygg sedan med:");
    println!("    statusrapport check {}", args.dir.display());
    println!("    statusrapport build {}", args.dir.display());
    0
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)
}

//! The command line as people type it (clap), with help in Swedish.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Månadsrapporter, tjänsteskrivelser och skrivelser i Region Hallands form:
/// siffror (CSV, Excel) och kommentarer (TOML med Markdown) blir tillgängliga
/// PDF-filer (PDF/UA-1 och PDF/A-2a).
///
/// Slutkoder: 0 allt gick bra; 1 minst en rapport misslyckades (fel i data
/// eller kommentarer); 2 fel i kommandoraden eller konfigurationen.
#[derive(Debug, Parser)]
#[command(name = "statusrapport", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Bygg alla rapporter under SÖKVÄG till PDF.
    Build(BuildArgs),
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// En rapportmapp (med rapport.toml) eller en mapp med flera.
    #[arg(default_value = ".", value_name = "SÖKVÄG")]
    pub path: PathBuf,
    /// Mappen som PDF-filerna skrivs till.
    #[arg(short = 'o', long = "ut", default_value = "ut", value_name = "MAPP")]
    pub out: PathBuf,
    /// Utdata för människor (text) eller maskiner (json, en rad per rapport).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Skriv PDF utan PDF/UA-1 och PDF/A-2a (bara för felsökning).
    #[arg(long, hide = true)]
    pub otillganglig: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

//! The command line as people type it (clap), with help in Swedish.

use std::path::PathBuf;

use clap::builder::TypedValueParser;
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
    /// Kontrollera alla rapporter under SÖKVÄG utan att skriva något.
    Check(CheckArgs),
    /// Bygg om en rapport varje gång en av dess filer sparas.
    Watch(WatchArgs),
    /// Starta en ny rapportmapp av en viss typ, med kommenterade exempelfiler.
    New(NewArgs),
    /// Lämna ut en rapport som vanliga Typst-filer för handarbete.
    Eject(EjectArgs),
    /// Godkänn kommentarstexter för publicering: status, vem, när och en
    /// kontrollsumma av texten skrivs i filen.
    Godkann(ApproveArgs),
    /// Hämta jämförelsetal från Kolada och SCB ([[kalla]] i rapport.toml)
    /// till datafiler i projektet; byggen läser filerna, aldrig nätet.
    #[command(alias = "hämta")]
    Hamta(FetchArgs),
    /// Flytta en rapport till en ny månad: period och datum i rapport.toml,
    /// period i varje kommentar och status tillbaka till utkast (texten
    /// lämnas kvar); skriver ut vad som återstår.
    #[command(name = "ny-period")]
    NyPeriod(NextPeriodArgs),
    /// Internal: sets one report with the project's own templates for the
    /// process that started it (statusrapport::render::typeset).
    #[command(name = statusrapport::render::typeset::CHILD_COMMAND, hide = true)]
    Typeset,
}

impl Command {
    /// How the command's output is written (errors included).
    pub fn format(&self) -> OutputFormat {
        match self {
            Command::Build(args) => args.format,
            Command::Check(args) => args.format,
            Command::Hamta(args) => args.format,
            Command::Watch(_)
            | Command::New(_)
            | Command::Eject(_)
            | Command::Godkann(_)
            | Command::NyPeriod(_)
            | Command::Typeset => OutputFormat::Text,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// Rapportmappen (med rapport.toml).
    #[arg(default_value = ".", value_name = "RAPPORTMAPP")]
    pub path: PathBuf,
    /// Mappen som PDF-filen skrivs till.
    #[arg(short = 'o', long = "ut", default_value = "ut", value_name = "MAPP")]
    pub out: PathBuf,
    /// Visa sidorna i webbläsaren (på 127.0.0.1), uppdaterade efter varje bygge.
    #[arg(long)]
    pub serve: bool,
    /// Porten för förhandsvisningen (standard: första lediga av 3000–3005).
    #[arg(long, value_name = "PORT", requires = "serve")]
    pub port: Option<u16>,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// statusrapport, tjänsteskrivelse, skrivelse eller månadsrapport.
    #[arg(value_name = "TYP")]
    pub kind: String,
    /// Den nya rapportmappen (får inte finnas, eller ska vara tom).
    #[arg(value_name = "MAPP")]
    pub dir: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct EjectArgs {
    /// Rapportmappen (med rapport.toml).
    #[arg(value_name = "RAPPORTMAPP")]
    pub path: PathBuf,
    /// Mappen som Typst-filerna skrivs till (standard: <rapport>-typst).
    #[arg(short = 'o', long = "ut", value_name = "MAPP")]
    pub out: Option<PathBuf>,
    /// En enhets egen rapport (med per_enhet) i stället för hela rapporten.
    #[arg(long, value_name = "ID")]
    pub enhet: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ApproveArgs {
    /// Kommentarsfilerna som godkänns.
    #[arg(required = true, value_name = "FIL")]
    pub files: Vec<PathBuf>,
    /// Vem som godkänner, till exempel "Karin Ek, verksamhetschef".
    #[arg(long = "av", value_name = "NAMN")]
    pub by: String,
    /// Dagen för godkännandet (standard: i dag).
    #[arg(long = "datum", value_name = "ÅÅÅÅ-MM-DD", value_parser = parse_date)]
    pub date: Option<chrono::NaiveDate>,
}

#[derive(Debug, clap::Args)]
pub struct NextPeriodArgs {
    /// Rapportmappen (med rapport.toml).
    #[arg(value_name = "RAPPORTMAPP")]
    pub path: PathBuf,
    /// Den nya månaden, till exempel 2023-10.
    #[arg(value_name = "ÅÅÅÅ-MM", value_parser = parse_month)]
    pub month: statusrapport::period::Month,
}

/// `2023-10` as a month.
fn parse_month(text: &str) -> Result<statusrapport::period::Month, String> {
    statusrapport::period::Month::parse(text)
        .ok_or_else(|| format!("`{text}` är ingen månad; skriv till exempel 2023-10"))
}

/// `2023-10-12` as a date.
fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{text}` är inget datum; skriv till exempel 2023-10-12"))
}

#[derive(Debug, clap::Args)]
pub struct FetchArgs {
    /// En rapportmapp (med rapport.toml) eller en mapp med flera.
    #[arg(default_value = ".", value_name = "SÖKVÄG")]
    pub path: PathBuf,
    /// Utdata för människor (text) eller maskiner (json, en rad per källa).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Längsta väntan på ett svar, i sekunder.
    #[arg(long = "tidsgrans", value_name = "SEKUNDER", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Ersätt filen även när svaret saknar värden som den tidigare filen har
    /// (när källan har dragit tillbaka dem).
    #[arg(long)]
    pub ersatt: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// En rapportmapp (med rapport.toml) eller en mapp med flera.
    #[arg(default_value = ".", value_name = "SÖKVÄG")]
    pub path: PathBuf,
    /// Utdata för människor (text) eller maskiner (json, en rad per problem).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Som vid publicering: kommentarer i status utkast är fel.
    #[arg(long)]
    pub publicera: bool,
    /// Visa hur en datafil lästes: rubrikraden, kolumnerna, rader som
    /// användes och hoppades över, och de första värdena.
    #[arg(long = "visa-inlasning", value_name = "FIL")]
    pub visa_inlasning: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// En rapportmapp (med rapport.toml) eller en mapp med flera.
    #[arg(default_value = ".", value_name = "SÖKVÄG")]
    pub path: PathBuf,
    /// Mappen som PDF-filerna skrivs till.
    #[arg(short = 'o', long = "ut", default_value = "ut", value_name = "MAPP")]
    pub out: PathBuf,
    /// Utdata för människor (text) eller maskiner (json, en rad per PDF).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Bygg om allt, även det som inte har ändrats.
    #[arg(long)]
    pub force: bool,
    /// Publicering: rapporter med kommentarer i status utkast byggs inte.
    #[arg(long)]
    pub publicera: bool,
    /// Bygg bara del I av N (till exempel 2/4), för att dela upp en stor
    /// körning mellan maskiner; samma uppdelning varje gång.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Antal rapporter som byggs samtidigt (standard: en per kärna; högst
    /// fyra per kärna).
    #[arg(short = 'j', long = "jobb", value_name = "ANTAL", value_parser = clap::value_parser!(u64).range(1..).map(|n| usize::try_from(n).unwrap_or(usize::MAX)))]
    pub jobs: Option<usize>,
    /// Längsta väntan, i sekunder, på en annan körning mot samma utmapp
    /// (som håller dess lås) innan körningen ger upp.
    #[arg(long = "vanta", value_name = "SEKUNDER", default_value_t = 3600)]
    pub wait: u64,
    /// Skriv PDF utan PDF/UA-1 och PDF/A-2a (bara för felsökning).
    #[arg(long, hide = true)]
    pub otillganglig: bool,
}

/// `2/4` → (2, 4), with 1 ≤ I ≤ N.
fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let invalid = || format!("`{text}` är ingen del; skriv till exempel 2/4 (del 2 av 4)");
    let (index, count) = text.split_once('/').ok_or_else(invalid)?;
    let (index, count): (usize, usize) =
        (index.trim().parse().map_err(|_| invalid())?, count.trim().parse().map_err(|_| invalid())?);
    if count == 0 || index == 0 || index > count {
        return Err(invalid());
    }
    Ok((index, count))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

//! The files people write, as they are written: the report file
//! (`rapport.toml`) and the commentary files. Values keep their place in
//! their file ([`Located`]) so that validation can point at them.
//!
//! Keys are Swedish words written without å, ä and ö (`namnd`, `matt`,
//! `forfattare`), since TOML allows only ASCII in bare keys; values may use
//! any letters.

use std::collections::BTreeMap;

use crate::diagnostic::Located;
use serde::Deserialize;

/// The name of the file that makes a folder a report project.
pub const REPORT_FILE: &str = "rapport.toml";

/// `rapport.toml`: what report this is and where its figures and texts are.
#[derive(Debug, Deserialize)]
pub struct ReportFile {
    /// `statusrapport`, `tjänsteskrivelse`, `skrivelse` or `månadsrapport`.
    pub typ: Located<String>,
    pub titel: Located<String>,
    pub undertitel: Option<Located<String>>,
    /// The nämnd the report is written for (also the PDF author unless
    /// `forvaltning` is given).
    pub namnd: Located<String>,
    pub forvaltning: Option<Located<String>>,
    /// Who the document is addressed to (skrivelse), e.g. Regionfullmäktige.
    pub mottagare: Option<Located<String>>,
    /// The report month, `2023-09`.
    pub period: Option<Located<String>>,
    /// The document date, `2023-10-12`; defaults to the last day of `period`.
    pub datum: Option<Located<String>>,
    pub diarienummer: Option<Located<String>>,
    /// A logo file (SVG or PNG) inside the project folder.
    pub logotyp: Option<Located<String>>,
    /// A folder inside the project whose `.typ` files replace the built-in
    /// templates of the same name.
    pub mallar: Option<Located<String>>,
    /// Also build one PDF per unit: `true` for every unit, or a list of unit
    /// ids. Sections with `enhet = "*"` are then about that PDF's unit.
    pub per_enhet: Option<Located<PerUnit>>,
    /// Add an appendix with the data table behind each chart.
    pub bilaga_diagramdata: Option<bool>,
    /// Statusrapport: whether the slides open with a title slide (default
    /// `true`; seed 001 opens with its first table).
    pub titelsida: Option<bool>,
    /// Statusrapport: how many of a section's charts share a slide, 1 or 2
    /// (default 1); further charts go on slides of their own.
    pub diagram_per_bild: Option<Located<i64>>,
    /// Space between paragraphs in points, as Word's "Avstånd efter"
    /// (default 6).
    pub styckeavstand: Option<Located<f64>>,
    /// What happens to content that does not fit its slide at a legible
    /// size: `fortsätt` (the default) continues it on a following slide
    /// marked "(forts.)"; `fel` makes it an error.
    pub ryms_inte: Option<Located<String>>,
    pub handlaggare: Option<Person>,
    #[serde(default)]
    pub underskrift: Vec<Person>,
    /// Text above the signatures; "I tjänsten" in a tjänsteskrivelse.
    pub underskrift_rubrik: Option<Located<String>>,
    #[serde(default)]
    pub utdrag_till: Vec<Located<String>>,
    #[serde(default)]
    pub data: Vec<DataFile>,
    #[serde(default)]
    pub enhet: Vec<UnitEntry>,
    #[serde(default)]
    pub matt: BTreeMap<String, Located<MetricEntry>>,
    #[serde(default)]
    pub avsnitt: Vec<SectionEntry>,
    /// Figures fetched from public statistics (`statusrapport hamta`).
    #[serde(default)]
    pub kalla: Vec<SourceEntry>,
}

impl ReportFile {
    /// The unit ids that `*` sections are repeated over: those of
    /// `per_enhet` if it lists them, otherwise every unit.
    pub fn star_units(&self) -> Vec<&str> {
        match self.per_enhet.as_ref().map(Located::get_ref) {
            Some(PerUnit::Listed(units)) => units.iter().map(String::as_str).collect(),
            _ => self.enhet.iter().map(|u| u.id.get_ref().as_str()).collect(),
        }
    }
}

/// The path of a commentary file for one unit: `{enhet}` in the written
/// path stands for the unit's id.
pub fn commentary_path(written: &str, unit: Option<&str>) -> String {
    match unit {
        Some(unit) => written.replace("{enhet}", unit),
        None => written.to_string(),
    }
}

/// Which units get a PDF of their own.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum PerUnit {
    All(bool),
    Listed(Vec<String>),
}

/// A person in the header or signature block.
#[derive(Debug, Deserialize)]
pub struct Person {
    pub namn: Located<String>,
    pub titel: Option<Located<String>>,
    pub telefon: Option<Located<String>>,
    pub epost: Option<Located<String>>,
}

/// A file of figures: CSV (long or wide) or an Excel sheet.
#[derive(Debug, Deserialize)]
pub struct DataFile {
    pub fil: Located<String>,
    /// Excel: the sheet to read (default: the first).
    pub blad: Option<Located<String>>,
    /// `lang` (one row per value) or `bred` (one column per month);
    /// detected from the header when left out.
    pub form: Option<Located<String>>,
    /// `;`, `,` or `\t`; detected when left out.
    pub avgransare: Option<Located<String>>,
    /// `utf-8` or `windows-1252`; detected when left out.
    pub kodning: Option<Located<String>>,
    /// For files without a unit column: the unit of every row.
    pub enhet: Option<Located<String>>,
    /// For files without a metric column: the metric of every row.
    pub matt: Option<Located<String>>,
    /// The header's row number (1 = the first row), when it is not found
    /// by itself.
    pub rubrikrad: Option<Located<i64>>,
    /// Rows to leave out at the top and at the bottom of the file.
    pub hoppa_over_borjan: Option<Located<i64>>,
    pub hoppa_over_slutet: Option<Located<i64>>,
    /// Rows left out by their first filled cell (`Summa`, `Totalt`,
    /// `Källa`); `""` leaves out rows whose first cell is empty.
    #[serde(default)]
    pub ignorera_rader: Vec<Located<String>>,
    /// Columns left out by their heading (`Summa`, `Kommentar`).
    #[serde(default)]
    pub ignorera_kolumner: Vec<Located<String>>,
    /// The export's headings of our columns: `{ enhet = "Verksamhet" }`.
    pub kolumner: Option<Located<BTreeMap<String, Located<String>>>>,
    /// An empty unit or metric cell is the one above it (merged cells).
    pub fyll_nedat: Option<bool>,
    /// The year of month headings written without one (`jan` … `dec`).
    pub ar: Option<Located<i64>>,
    /// `","` or `"."`.
    pub decimaltecken: Option<Located<String>>,
    /// `"."`, `","`, `"'"` or `" "`.
    pub tusentalsavgransare: Option<Located<String>>,
    /// `(1 234)` is −1234.
    pub parentes_negativ: Option<bool>,
    /// Excel's error values (`#DIV/0!`, `#N/A`) are missing values.
    pub felvarde_tomt: Option<bool>,
    /// Cell texts that stand for a missing value (`..` in SCB's tables).
    #[serde(default)]
    pub saknas: Vec<Located<String>>,
    /// Cell texts that stand for zero (`-` in SCB's tables and in
    /// accounting formats).
    #[serde(default)]
    pub noll: Vec<Located<String>>,
}

/// A unit: a verksamhetsområde, a förvaltning, a kommun, or "Riket".
#[derive(Debug, Deserialize)]
pub struct UnitEntry {
    pub id: Located<String>,
    pub namn: Located<String>,
    /// Short name for chart axes and legends.
    pub kortnamn: Option<Located<String>>,
    /// Other names the unit goes by in data files (`VO Kungsbacka`).
    #[serde(default)]
    pub alias: Vec<Located<String>>,
}

/// A metric: read from the data files, or computed by a formula.
#[derive(Debug, Deserialize)]
pub struct MetricEntry {
    /// The name readers see, e.g. "Budgetavvikelse".
    pub namn: Located<String>,
    /// Unit text after the number: `mnkr`, `%`, `st`, `miljoner kronor`.
    pub enhet: Option<Located<String>>,
    pub decimaler: Option<Located<i64>>,
    /// Show `+` before positive values.
    pub tecken: Option<bool>,
    /// For example `ack(utfall - budget)`; see `formula.rs`.
    pub formel: Option<Located<String>>,
    /// How months add up to a longer period: `summa`, `medel` or `senaste`.
    pub aggregering: Option<Located<String>>,
    /// Values at or above this are good (måluppfyllelse, target lines).
    pub mal: Option<Located<f64>>,
    /// Describe the metric where it is shown (e.g. its definition).
    pub beskrivning: Option<Located<String>>,
    /// Other names the metric goes by in data files (`Utfall ack`).
    #[serde(default)]
    pub alias: Vec<Located<String>>,
}

/// One section of the report: a slide in a statusrapport, a headed part of
/// an A4 document.
#[derive(Debug, Deserialize)]
pub struct SectionEntry {
    pub rubrik: Located<String>,
    /// The unit the section is about (default for charts, key figures and
    /// placeholders). `*`: the section is repeated for every unit (or, in a
    /// unit's own PDF, shown for that unit); consecutive `*` sections repeat
    /// together, unit by unit.
    pub enhet: Option<Located<String>>,
    /// A commentary file, relative to the project folder; in a `*` section
    /// `{enhet}` in the path stands for the unit's id.
    pub kommentar: Option<Located<String>>,
    #[serde(default)]
    pub diagram: Vec<ChartEntry>,
    pub tabell: Option<TableEntry>,
    #[serde(default)]
    pub nyckeltal: Vec<KeyFigureEntry>,
    pub fotnot: Option<Located<String>>,
    /// "Källa: …" under charts and tables.
    pub kalla: Option<Located<String>>,
}

/// A chart in a section.
#[derive(Debug, Deserialize)]
pub struct ChartEntry {
    /// `linje`, `stapel` or `liggande`.
    pub typ: Located<String>,
    pub rubrik: Option<Located<String>>,
    /// One metric (shorthand for a single series).
    pub matt: Option<Located<String>>,
    /// Several series in one line chart.
    #[serde(default)]
    pub serier: Vec<SeriesEntry>,
    /// Bars per unit (`liggande`): which units, in order (default: all).
    #[serde(default)]
    pub enheter: Vec<Located<String>>,
    /// First month shown, `2023-01` (default: January of the report year
    /// for bars, twelve months back for lines).
    pub fran: Option<Located<String>>,
    /// A target line at this value (default: the metric's `mal`).
    pub mal: Option<Located<f64>>,
}

#[derive(Debug, Deserialize)]
pub struct SeriesEntry {
    pub matt: Located<String>,
    pub enhet: Option<Located<String>>,
    /// Legend text (default: the unit's short name).
    pub namn: Option<Located<String>>,
}

/// A table in a section: units × metrics at the report period, or series ×
/// months.
#[derive(Debug, Deserialize)]
pub struct TableEntry {
    /// Columns of metrics, one row per unit.
    #[serde(default)]
    pub kolumner: Vec<ColumnEntry>,
    /// Rows of series, one column per month from `fran` to the report month.
    #[serde(default)]
    pub rader: Vec<SeriesEntry>,
    #[serde(default)]
    pub enheter: Vec<Located<String>>,
    pub fran: Option<Located<String>>,
    /// A sum row with this label (metrics that add up only).
    pub summa: Option<Located<String>>,
    /// Header of the first column.
    pub forsta_kolumn: Option<Located<String>>,
}

#[derive(Debug, Deserialize)]
pub struct ColumnEntry {
    pub matt: Located<String>,
    pub rubrik: Option<Located<String>>,
    /// Period of the column (`2023-08`, `2023-T2`, `2023`); default the
    /// report month.
    pub period: Option<Located<String>>,
}

/// A large figure on a slide, such as "97,2 %" with its label.
#[derive(Debug, Deserialize)]
pub struct KeyFigureEntry {
    pub matt: Located<String>,
    pub enhet: Option<Located<String>>,
    pub rubrik: Option<Located<String>>,
    /// Use the latest month with a value when the report month has none,
    /// and say so.
    pub senaste: Option<bool>,
}

/// A commentary file: text for one unit and section, by its author.
#[derive(Debug, Deserialize)]
pub struct CommentaryFile {
    /// The unit the text is about (placeholders without a unit use it).
    pub enhet: Option<Located<String>>,
    /// The month the text was written for, `2023-09`.
    pub period: Option<Located<String>>,
    pub forfattare: Option<Located<String>>,
    /// `utkast`, `granskad` or `godkänd`.
    pub status: Option<Located<String>>,
    /// Who approved the text, when, and the text's fingerprint then; written
    /// by `statusrapport godkann`, never by hand.
    pub godkand_av: Option<Located<String>>,
    pub godkand_datum: Option<Located<String>>,
    pub godkand_kontrollsumma: Option<Located<String>>,
    /// Markdown: paragraphs, lists, **fet**, *kursiv*, [länkar](https://…).
    /// Required in a TOML file; a Markdown file has its text below the
    /// front matter instead (see `commentary_file`).
    pub text: Option<Located<String>>,
}

// ---------------------------------------------------------------------------
// `[[kalla]]`: figures fetched from public statistics by `statusrapport
// hamta` into an ordinary data file, which every build reads (never the
// network). Checked in `validate/sources.rs`, fetched by `fetch/`.
// ---------------------------------------------------------------------------

/// One fetched source: a Kolada key figure or an SCB table, for one metric.
#[derive(Debug, Deserialize)]
pub struct SourceEntry {
    /// `kolada` or `scb`.
    pub typ: Located<String>,
    /// The data file `hamta` writes and `build` reads, inside the project
    /// (long form, `;`); its provenance goes beside it (`….kalla.toml`).
    pub fil: Located<String>,
    /// The report's metric the figures are for.
    pub matt: Located<String>,
    /// The source's ids (Kolada `"0013"`, SCB region code `"13"`) → the
    /// report's unit ids.
    pub enheter: Located<BTreeMap<String, Located<String>>>,
    /// Kolada: the key figure, e.g. `N70061`.
    pub nyckeltal: Option<Located<String>>,
    /// Kolada: the years, `"2019..2024"`, `"2019.."` (to this year),
    /// `2023` or `[2022, 2023]`.
    pub ar: Option<Located<Years>>,
    /// Kolada: `T` (totalt, the default), `K` (kvinnor) or `M` (män).
    pub kon: Option<Located<String>>,
    /// SCB: the table, e.g. `TAB638`.
    pub tabell: Option<Located<String>>,
    /// SCB: the values of the table's other variables, e.g.
    /// `{ ContentsCode = ["BE0101N1"], Tid = ["TOP(5)"] }`.
    #[serde(default)]
    pub urval: BTreeMap<String, Located<Vec<String>>>,
    /// SCB: the table variable whose codes are `enheter` (default `Region`).
    pub enhetsvariabel: Option<Located<String>>,
    /// The service's address, for another installation or version (default:
    /// Kolada's v3 API, SCB's PxWebApi 2).
    pub adress: Option<Located<String>>,
}

/// The years of a Kolada source as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Years {
    One(i64),
    Listed(Vec<i64>),
    /// `"2019..2024"`, `"2019.."` or `"2023"`.
    Written(String),
}

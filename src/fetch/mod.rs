//! Fetch: `statusrapport hamta`, the only part of the tool that goes online.
//! Each `[[kalla]]` of a project (a Kolada key figure, an SCB table) is
//! fetched and written into the project as an ordinary data file (long form,
//! `enhet;matt;period;varde;kalla`), with its provenance beside it
//! (`….kalla.toml`: service, addresses, time fetched, licence and the
//! citation the service asks for). Builds read the data file and never the
//! network, so they stay reproducible and work offline.
//!
//! Nothing is lost on failure: a source is fetched and checked completely
//! before its file is replaced, atomically; no network, a time-out, an error
//! answer, an answer of another shape, no values at all, or values the
//! previous file had and the new answer lacks (unless `replace`) leave the
//! previous file as it was, with a Swedish message naming the source.

mod http;
mod json;
mod kolada;
mod scb;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::PathBuf;

use chrono::{Datelike, SecondsFormat, Utc};
use serde::Serialize;

pub use http::{Failure, Settings};

use crate::context::{Context, sha256};
use crate::diagnostic::Diagnostic;
use crate::error::io_reason;
use crate::model::{Service, Source};
use crate::period::{Frequency, Month};
use crate::{load, publish, validate};
use http::Client;

/// How a service asks to be cited, and under what terms its data is used.
pub struct Terms {
    /// The line the service asks for under figures: "Källa: Kolada".
    pub citation: &'static str,
    pub licence: &'static str,
    /// The service's own words.
    pub terms: &'static str,
    pub terms_address: &'static str,
}

/// One fetched value, for one of the source's units (an index into
/// [`Source::units`]).
#[derive(Debug, Clone, PartialEq)]
pub struct FetchedValue {
    pub unit: usize,
    /// For a yearly value, December of its year.
    pub month: Month,
    pub value: Option<f64>,
}

/// What a service gave for one source.
pub struct Fetched {
    pub frequency: Frequency,
    /// A value (or a gap) for each unit and period, unit by unit.
    pub values: Vec<FetchedValue>,
    /// The first and last period asked for (Kolada: the years; SCB: the
    /// periods of the answer, since `TOP(12)` moves).
    pub covers: (Month, Month),
    /// What the service says about the figures (title, description, table).
    pub details: Vec<(&'static str, String)>,
    /// Worth knowing, not wrong: years not yet published, gaps.
    pub notes: Vec<String>,
    /// Every address asked.
    pub addresses: Vec<String>,
}

/// How fetching is done.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub http: Settings,
    /// Replace a file even when the new answer lacks values it had.
    pub replace: bool,
}

/// What became of one source.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// `Kolada N70061`, `SCB TAB638`.
    pub source: String,
    /// The data file.
    pub file: PathBuf,
    pub status: Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Written with this many values (gaps not counted).
    Written(usize),
    /// The same values as before; only the provenance (time) was renewed.
    Unchanged(usize),
    /// Not fetched or not written; the previous file is as it was.
    Failed,
}

/// Fetches every `[[kalla]]` of the project in `cx.root`; problems go to
/// `cx`. `None` if the report file cannot be read.
pub fn fetch_project(cx: &mut Context, options: &Options) -> Option<Vec<Outcome>> {
    let config = load::report_file(cx)?;
    let sources = validate::sources_of(cx, &config);
    // A report is about its year and the years before: later values would
    // be refused by its build.
    let report_year = config.period.as_ref().and_then(|p| Month::parse(p.as_str())).map(|p| p.year);
    let mut outcomes: Vec<Outcome> =
        sources.iter().map(|source| fetch_source(cx, source, report_year, options)).collect();
    // An entry that did not pass the check (reported) is a failed source.
    for entry in config.kalla.iter().filter(|e| !sources.iter().any(|s| s.file == e.fil.as_str().trim())) {
        outcomes.push(Outcome {
            source: format!("[[kalla]] {}", entry.typ.as_str()),
            file: cx.root.join(entry.fil.as_str().trim()),
            status: Status::Failed,
        });
    }
    Some(outcomes)
}

fn fetch_source(cx: &mut Context, source: &Source, report_year: Option<i32>, options: &Options) -> Outcome {
    let client = Client::new(&options.http);
    let now = Utc::now();
    let last_year = report_year.map_or(now.year(), |year| year.min(now.year()));
    let (result, terms) = match &source.service {
        Service::Kolada { key_figure, years, gender } => {
            (kolada::fetch(&client, source, key_figure, years, gender, last_year), &kolada::TERMS)
        }
        Service::Scb { table, selection, unit_variable } => {
            (scb::fetch(&client, source, table, selection, unit_variable), &scb::TERMS)
        }
    };
    let described = source.service.describe();
    let file = cx.root.join(&source.file);
    let outcome = |status| Outcome { source: described.clone(), file: file.clone(), status };
    let fetched = match result.and_then(|fetched| until(fetched, report_year)) {
        Ok(fetched) => fetched,
        Err(failure) => {
            let problem = failed(cx, source, &failure);
            cx.report(problem);
            return outcome(Status::Failed);
        }
    };
    for note in &fetched.notes {
        cx.report(Diagnostic::warning(format!("{described}: {note}")).at(source.origin));
    }
    let status = write(cx, source, &fetched, terms, &now.to_rfc3339_opts(SecondsFormat::Secs, true), options.replace);
    outcome(status)
}

/// The values up to the end of the report's year (an SCB `TOP(12)` may
/// reach past it; the build would refuse them), with a note about those
/// left out.
fn until(mut fetched: Fetched, report_year: Option<i32>) -> Result<Fetched, Failure> {
    let Some(year) = report_year else { return Ok(fetched) };
    let before = fetched.values.len();
    fetched.values.retain(|v| v.month.year <= year);
    if fetched.values.len() == before {
        return Ok(fetched);
    }
    if fetched.values.iter().all(|v| v.value.is_none()) {
        return Err(Failure::new(
            format!("svaret har inga värden för rapportåret {year} eller åren före"),
            "kontrollera rapportens period och vilka år eller perioder som hämtas",
        ));
    }
    fetched.notes.push(format!("värden efter rapportåret {year} skrivs inte, eftersom rapporten gäller {year}"));
    let end = Month { year, month: 12 };
    fetched.covers = (fetched.covers.0.min(end), fetched.covers.1.min(end));
    Ok(fetched)
}

/// A failure as a message at the `[[kalla]]`, saying the old file is kept.
fn failed(cx: &Context, source: &Source, failure: &Failure) -> Diagnostic {
    let problem = Diagnostic::error(format!("{}: {}", source.service.describe(), failure.message))
        .at(source.origin)
        .hint(failure.hint.clone());
    let kept = if cx.root.join(&source.file).exists() {
        format!("den tidigare filen {} är kvar som den var", source.file)
    } else {
        format!("ingen fil skrevs; {} finns inte än", source.file)
    };
    problem.hint(kept)
}

/// Writes the data file (only if its values changed) and its provenance.
fn write(cx: &mut Context, source: &Source, fetched: &Fetched, terms: &Terms, now: &str, replace: bool) -> Status {
    let path = match load::resolve_inside(&cx.root, &source.file) {
        Ok(path) => path,
        Err(problem) => {
            cx.report(problem.at(source.origin));
            return Status::Failed;
        }
    };
    let text = csv_text(source, fetched);
    let previous = fs::read_to_string(&path).ok();
    if let Some(previous) = &previous
        && !replace
    {
        let lost = lost_values(previous, source, fetched);
        if !lost.is_empty() {
            let failure = Failure::new(
                format!(
                    "svaret saknar {} som den tidigare filen har: {}",
                    crate::swedish::count(lost.len(), "värde", "värden"),
                    short_list(&lost)
                ),
                "om källan har dragit tillbaka värdena: hämta igen med --ersatt",
            );
            let problem = failed(cx, source, &failure);
            cx.report(problem);
            return Status::Failed;
        }
    }
    let values = fetched.values.iter().filter(|v| v.value.is_some()).count();
    let unchanged = previous.as_deref() == Some(text.as_str());
    if !unchanged && let Err(error) = publish::write_atomically(&cx.root, &source.file, text.as_bytes()) {
        let failure = Failure::new(
            format!("{} kan inte skrivas: {}", source.file, io_reason(&error)),
            "kontrollera behörigheten till mappen",
        );
        let problem = failed(cx, source, &failure);
        cx.report(problem);
        return Status::Failed;
    }
    let provenance = provenance_text(source, fetched, terms, now, &sha256(text.as_bytes()), values);
    let provenance_file = provenance_path(&source.file);
    if let Err(error) = publish::write_atomically(&cx.root, &provenance_file, provenance.as_bytes()) {
        cx.report(
            Diagnostic::error(format!(
                "{}: värdena skrevs till {}, men härkomsten kan inte skrivas till {provenance_file}: {}",
                source.service.describe(),
                source.file,
                io_reason(&error)
            ))
            .at(source.origin)
            .hint("kontrollera behörigheten till mappen och hämta igen"),
        );
        return Status::Failed;
    }
    if unchanged { Status::Unchanged(values) } else { Status::Written(values) }
}

/// The data file: long form, `;`, decimal comma, a row for every unit and
/// period (an empty value where the source has none).
fn csv_text(source: &Source, fetched: &Fetched) -> String {
    let mut text = String::from("enhet;matt;period;varde;kalla\n");
    let origin = source.service.describe();
    for value in &fetched.values {
        let number = value.value.map(|v| format!("{v}").replace('.', ",")).unwrap_or_default();
        text.push_str(&format!(
            "{};{};{};{number};{origin}\n",
            source.units[value.unit].id,
            source.metric_id,
            fetched.frequency.code(value.month)
        ));
    }
    text
}

/// Values a previous file has that the new answer lacks, among the units
/// and within the periods asked for (a moving window such as `TOP(12)`
/// drops its oldest period on purpose; a unit taken out of the report's
/// `enheter` too).
fn lost_values(previous: &str, source: &Source, fetched: &Fetched) -> Vec<String> {
    let (first, last) = (fetched.frequency.code(fetched.covers.0), fetched.frequency.code(fetched.covers.1));
    let present: BTreeSet<(String, String)> = fetched
        .values
        .iter()
        .filter(|v| v.value.is_some())
        .map(|v| (source.units[v.unit].id.clone(), fetched.frequency.code(v.month)))
        .collect();
    previous
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(';').collect();
            let (unit, period, value) = (*fields.first()?, *fields.get(2)?, fields.get(3)?.trim());
            let key = (unit.to_string(), period.to_string());
            let counted = !value.is_empty()
                && source.units.iter().any(|u| u.id == unit)
                && period >= first.as_str()
                && period <= last.as_str()
                && period.len() == first.len();
            (counted && !present.contains(&key)).then(|| format!("{unit} {period}"))
        })
        .collect()
}

/// `hamtat/nettokostnad.csv` → `hamtat/nettokostnad.kalla.toml`.
pub fn provenance_path(file: &str) -> String {
    let stem = if file.to_lowercase().ends_with(".csv") { &file[..file.len() - 4] } else { file };
    format!("{stem}.kalla.toml")
}

#[derive(Serialize)]
struct ProvenanceFile<'a> {
    kalla: &'static str,
    kallhanvisning: &'static str,
    licens: &'static str,
    villkor: &'static str,
    villkor_adress: &'static str,
    hamtad: &'a str,
    fil: &'a str,
    sha256: &'a str,
    varden: usize,
    matt: &'a str,
    adresser: &'a [String],
    uppgifter: BTreeMap<&'static str, String>,
}

fn provenance_text(source: &Source, fetched: &Fetched, terms: &Terms, now: &str, hash: &str, values: usize) -> String {
    let mut details: BTreeMap<&'static str, String> = BTreeMap::new();
    for (key, value) in &fetched.details {
        details.entry(key).and_modify(|v| *v = format!("{v}; {value}")).or_insert_with(|| value.clone());
    }
    let file = ProvenanceFile {
        kalla: source.service.name(),
        kallhanvisning: terms.citation,
        licens: terms.licence,
        villkor: terms.terms,
        villkor_adress: terms.terms_address,
        hamtad: now,
        fil: source.file.rsplit('/').next().unwrap_or(&source.file),
        sha256: hash,
        varden: values,
        matt: &source.metric_id,
        adresser: &fetched.addresses,
        uppgifter: details,
    };
    let body = toml::to_string(&file).expect("provenance serialises");
    format!(
        "# Härkomst för {}: skriven av `statusrapport hamta`, läses inte av bygget.\n# Rapporten visar \"{}\" under diagram och tabeller med värdena.\n{body}",
        source.file, terms.citation
    )
}

/// The first few items of a list, and how many more.
fn short_list(items: &[String]) -> String {
    const SHOWN: usize = 6;
    let mut text = items.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(" och {} till", items.len() - SHOWN));
    }
    text
}

//! `[[kalla]]` entries: which service, what to fetch, and which metric and
//! units of the report the figures are. The same check runs in every build
//! (so `check` shows a broken entry) and before `statusrapport hamta`
//! fetches anything.

use std::collections::BTreeSet;

use crate::config::{SourceEntry, Years as WrittenYears};
use crate::context::Context;
use crate::diagnostic::{Diagnostic, Located, Span};
use crate::keyword::{self, Keyword};
use crate::model::{Definition, Service, Source, SourceUnit, Years};
use crate::period::Month;
use crate::validate::names::Names;

/// Kolada's API, version 3 (version 2 was shut down in 2026).
pub const KOLADA_ADDRESS: &str = "https://api.kolada.se/v3";
/// SCB's statistical database through PxWebApi 2.
pub const SCB_ADDRESS: &str = "https://statistikdatabasen.scb.se/api/v2";

/// Most years asked for at once; more is a typing mistake.
const MOST_YEARS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Kolada,
    Scb,
}

impl Keyword for Kind {
    const WHAT: &'static str = "källtyp";
    const WORDS: &'static [(&'static str, Kind)] = &[("kolada", Kind::Kolada), ("scb", Kind::Scb)];
}

/// The entries that are right; the others are reported.
pub fn sources(cx: &mut Context, entries: &[SourceEntry], names: Names) -> Vec<Source> {
    let mut files = BTreeSet::new();
    let mut out = Vec::new();
    for entry in entries {
        let file = entry.fil.as_str().trim();
        if !files.insert(file.to_string()) {
            cx.report(
                entry
                    .fil
                    .error(format!("två [[kalla]] skriver till samma fil `{file}`"))
                    .hint("ge varje källa en egen fil"),
            );
            continue;
        }
        out.extend(source(cx, entry, names));
    }
    out
}

fn source(cx: &mut Context, entry: &SourceEntry, names: Names) -> Option<Source> {
    let errors_before = cx.diagnostics.errors();
    let kind = cx.take(keyword::parse::<Kind>(&entry.typ));
    let file = entry.fil.as_str().trim();
    if !file.to_lowercase().ends_with(".csv") {
        cx.report(
            entry
                .fil
                .error("filen som hämtade värden skrivs till ska vara en CSV-fil")
                .hint("till exempel fil = \"hamtat/nettokostnad.csv\""),
        );
    }
    let metric = cx.take(names.metric_at(&entry.matt));
    if let Some(metric) = metric
        && matches!(names.metrics[metric].definition, Definition::Formula(_))
    {
        cx.report(
            entry
                .matt
                .error(format!("måttet `{}` beräknas med en formel och kan inte hämtas", entry.matt.as_str()))
                .hint("hämta till ett mått utan formel, och räkna vidare på det i en formel"),
        );
    }
    let units = units(cx, &entry.enheter, names);
    let service = match kind? {
        Kind::Kolada => kolada(cx, entry),
        Kind::Scb => scb(cx, entry),
    };
    let address = match &entry.adress {
        Some(written) => address(cx, written),
        None => Some(match kind? {
            Kind::Kolada => KOLADA_ADDRESS.to_string(),
            Kind::Scb => SCB_ADDRESS.to_string(),
        }),
    };
    let origin = entry.nyckeltal.as_ref().or(entry.tabell.as_ref()).unwrap_or(&entry.typ).span;
    let (service, metric, address) = (service?, metric?, address?);
    (cx.diagnostics.errors() == errors_before).then(|| Source {
        service,
        file: file.to_string(),
        metric,
        metric_id: names.metrics[metric].id.clone(),
        units,
        address,
        origin,
    })
}

/// The source's ids and the report's units they are; each unit once.
fn units(
    cx: &mut Context,
    written: &Located<std::collections::BTreeMap<String, Located<String>>>,
    names: Names,
) -> Vec<SourceUnit> {
    if written.get_ref().is_empty() {
        cx.report(
            written
                .error("inga enheter att hämta")
                .hint("till exempel enheter = { \"0013\" = \"RH\", \"0000\" = \"Riket\" }"),
        );
    }
    let mut out: Vec<SourceUnit> = Vec::new();
    for (id, unit) in written.get_ref() {
        if !plain_code(id) {
            cx.report(
                unit.error(format!("`{id}` är ingen kod för en enhet")).hint(
                    "koderna är Koladas id (\"0013\") eller SCB:s regionkoder (\"13\"), med bokstäver och siffror",
                ),
            );
            continue;
        }
        let Some(unit_id) = cx.take(names.unit_at(unit)) else { continue };
        if let Some(other) = out.iter().find(|u| u.unit == unit_id) {
            cx.report(
                unit.error(format!("enheten `{}` har redan koden `{}`", unit.as_str(), other.code))
                    .hint("varje enhet i rapporten kan hämtas från en kod"),
            );
            continue;
        }
        out.push(SourceUnit { code: id.clone(), unit: unit_id, id: names.units[unit_id].id.clone() });
    }
    out
}

fn kolada(cx: &mut Context, entry: &SourceEntry) -> Option<Service> {
    not_used(
        cx,
        "scb",
        &[
            ("tabell", entry.tabell.as_ref().map(|t| t.span)),
            ("enhetsvariabel", entry.enhetsvariabel.as_ref().map(|v| v.span)),
            ("urval", entry.urval.values().next().map(|codes| codes.span)),
        ],
    );
    let Some(key_figure) = &entry.nyckeltal else {
        cx.report(
            entry
                .typ
                .error("nyckeltal saknas")
                .hint("ange Koladas id för nyckeltalet, till exempel nyckeltal = \"N70061\""),
        );
        return None;
    };
    if !plain_code(key_figure.as_str().trim()) {
        cx.report(
            key_figure
                .error(format!("`{}` är inget id för ett nyckeltal i Kolada", key_figure.as_str()))
                .hint("till exempel \"N70061\""),
        );
        return None;
    }
    let Some(written_years) = &entry.ar else {
        cx.report(
            entry
                .typ
                .error("år saknas")
                .hint("ange vilka år som hämtas, till exempel ar = \"2019..2024\" eller ar = \"2019..\" (till i år)"),
        );
        return None;
    };
    let years = cx.take(years(written_years))?;
    let gender = match &entry.kon {
        None => "T".to_string(),
        Some(written) => match written.as_str().trim().to_uppercase().as_str() {
            code @ ("T" | "K" | "M") => code.to_string(),
            _ => {
                cx.report(
                    written
                        .error(format!("okänt kön `{}`", written.as_str()))
                        .hint("skriv \"T\" (totalt), \"K\" (kvinnor) eller \"M\" (män)"),
                );
                return None;
            }
        },
    };
    Some(Service::Kolada { key_figure: key_figure.as_str().trim().to_string(), years, gender })
}

fn scb(cx: &mut Context, entry: &SourceEntry) -> Option<Service> {
    not_used(
        cx,
        "kolada",
        &[
            ("nyckeltal", entry.nyckeltal.as_ref().map(|n| n.span)),
            ("ar", entry.ar.as_ref().map(|a| a.span)),
            ("kon", entry.kon.as_ref().map(|k| k.span)),
        ],
    );
    let Some(table) = &entry.tabell else {
        cx.report(
            entry
                .typ
                .error("tabell saknas")
                .hint("ange tabellens id i Statistikdatabasen, till exempel tabell = \"TAB638\""),
        );
        return None;
    };
    if !plain_code(table.as_str().trim()) {
        cx.report(
            table.error(format!("`{}` är inget id för en tabell", table.as_str())).hint("till exempel \"TAB638\""),
        );
        return None;
    }
    let unit_variable = entry.enhetsvariabel.as_ref().map_or("Region", |v| v.as_str().trim()).to_string();
    let mut selection = Vec::new();
    for (variable, codes) in &entry.urval {
        if variable == &unit_variable {
            cx.report(
                codes
                    .error(format!("`{variable}` väljs med enheter, inte i urvalet"))
                    .hint("koderna i enheter = { … } är de som hämtas"),
            );
            return None;
        }
        if codes.get_ref().is_empty()
            || codes.get_ref().iter().any(|c| c.trim().is_empty() || c.contains(',') && !c.starts_with('['))
        {
            cx.report(
                codes
                    .error(format!("urvalet för `{variable}` ska vara en lista med koder"))
                    .hint("till exempel Tid = [\"2023\", \"2024\"] eller Tid = [\"TOP(5)\"]"),
            );
            return None;
        }
        selection.push((variable.clone(), codes.get_ref().iter().map(|c| c.trim().to_string()).collect()));
    }
    Some(Service::Scb { table: table.as_str().trim().to_string(), selection, unit_variable })
}

/// Keys that belong to the other kind of source are ignored, with a warning.
fn not_used(cx: &mut Context, belongs_to: &str, keys: &[(&str, Option<Span>)]) {
    for (key, span) in keys {
        if let Some(span) = span {
            cx.report(
                Diagnostic::warning(format!("`{key}` gäller bara källor av typen {belongs_to} och används inte här"))
                    .at(*span),
            );
        }
    }
}

/// An id that can go into an address as it is.
fn plain_code(code: &str) -> bool {
    !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `2023`, `[2022, 2023]`, `"2019..2024"`, `"2019.."`, `"2023"`.
fn years(written: &Located<WrittenYears>) -> Result<Years, Diagnostic> {
    let wrong = || {
        written
            .error("åren kan inte läsas")
            .hint("skriv ar = \"2019..2024\", ar = \"2019..\" (till i år), ar = 2023 eller ar = [2022, 2023]")
    };
    let year = |n: i64| i32::try_from(n).ok().filter(|y| Month::new(*y, 1).is_some());
    let parsed = match written.get_ref() {
        WrittenYears::One(n) => year(*n).map(|y| Years::Listed(vec![y])),
        WrittenYears::Listed(list) => {
            let years: Option<Vec<i32>> = list.iter().map(|n| year(*n)).collect();
            years.filter(|y| !y.is_empty()).map(Years::Listed)
        }
        WrittenYears::Written(text) => {
            let text = text.trim();
            match text.split_once("..") {
                Some((first, "")) => first.trim().parse().ok().and_then(year).map(Years::From),
                Some((first, last)) => {
                    let first = first.trim().parse().ok().and_then(year);
                    let last = last.trim().parse().ok().and_then(year);
                    if let Some((first, last)) = first.zip(last).filter(|(f, l)| f > l) {
                        return Err(written
                            .error(format!("åren går baklänges, från {first} till {last}"))
                            .hint(format!("skriv det första året först: ar = \"{last}..{first}\"")));
                    }
                    first.zip(last).map(|(f, l)| Years::Listed((f..=l).collect()))
                }
                None => text.parse().ok().and_then(year).map(|y| Years::Listed(vec![y])),
            }
        }
    };
    match parsed {
        Some(Years::Listed(years)) if years.len() > MOST_YEARS => {
            Err(written.error(format!("{} år är fler än de {MOST_YEARS} som kan hämtas på en gång", years.len())))
        }
        Some(years) => Ok(years),
        None => Err(wrong()),
    }
}

/// The service's address: `http://` or `https://`, without a final `/`.
fn address(cx: &mut Context, written: &Located<String>) -> Option<String> {
    let text = written.as_str().trim().trim_end_matches('/');
    let after_scheme = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"));
    if after_scheme
        .is_none_or(|rest| rest.is_empty() || rest.contains(char::is_whitespace) || rest.contains(['?', '#']))
    {
        cx.report(
            written
                .error(format!("`{}` är ingen adress till en tjänst", written.as_str()))
                .hint(format!("till exempel adress = \"{KOLADA_ADDRESS}\" eller \"{SCB_ADDRESS}\"")),
        );
        return None;
    }
    Some(text.to_string())
}

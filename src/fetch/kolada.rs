//! Kolada's API, version 3 (`https://api.kolada.se/v3`): a key figure's
//! yearly values for a list of municipalities or regions.
//!
//! What is relied on, from Kolada's v2 documentation (the only official
//! description of the paths) and the v3 clients that agree with it (rKolada,
//! koladapy); none of it was checked against the live service:
//!
//! * `GET /kpi/{id}` gives `{"values": [{"id", "title", "description",
//!   "is_divided_by_gender", "municipality_type", …}]}`; an unknown id gives
//!   an empty `values`.
//! * `GET /data/kpi/{kpi}/municipality/{ids}/year/{years}` gives
//!   `{"values": [{"kpi", "municipality", "period", "values": [{"gender",
//!   "value", "status", "isdeleted"}]}], "next_url": …}`; at most 25 ids in
//!   a path segment; `period` a number in v3 (a text in v2); a missing value
//!   is `null` or no entry at all; `gender` is `T`, `K` or `M`.
//! * Pages: follow `next_url` (v3) or `next_page` (v2) until it is missing,
//!   `null` or empty, or a page has no values.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;

use super::http::{Client, Failure};
use super::json::{self, changed};
use super::{Fetched, FetchedValue, Terms};
use crate::model::{Source, Years};
use crate::period::{Frequency, Month};

/// Most ids in one path segment (Kolada v3 refuses more).
const MOST_PER_SEGMENT: usize = 25;
/// A bound on pages, against a service that links a page to itself.
const MOST_PAGES: usize = 1000;

/// Kolada's terms of use ("Användarvillkor" on kolada.se/om-oss/api): no
/// licence is named; the source must be given as "Källa: Kolada", and not
/// for figures someone has processed.
pub const TERMS: Terms = Terms {
    citation: "Källa: Kolada",
    licence: "Ingen namngiven licens; Koladas användarvillkor gäller",
    terms: "Utnyttjande av data från Koladas API är avgiftsfritt och kräver inget avtal. Om du använder data från Kolada i en tjänst, ska källan anges ('Källa: Kolada'). Gör du egna bearbetningar på vår data, får inte Kolada anges som källa.",
    terms_address: "https://kolada.se/om-oss/api",
};

/// `last_year` ends an open range of years (`ar = "2019.."`): this year,
/// or the report's if earlier.
pub fn fetch(
    client: &Client,
    source: &Source,
    key_figure: &str,
    years: &Years,
    gender: &str,
    last_year: i32,
) -> Result<Fetched, Failure> {
    let base = &source.address;
    let mut details = vec![("nyckeltal", key_figure.to_string())];
    let divided_by_gender = describe(client, base, key_figure, &mut details)?;
    if gender != "T" && divided_by_gender == Some(false) {
        return Err(Failure::new(
            format!("Kolada delar inte upp nyckeltalet {key_figure} på kön"),
            "ta bort kon = … (totalt, T, är det som finns)",
        ));
    }
    details.push(("kon", gender.to_string()));

    let years = years.resolve(last_year);
    let codes: Vec<&str> = source.units.iter().map(|u| u.code.as_str()).collect();
    let mut found: BTreeMap<(usize, i32), Option<f64>> = BTreeMap::new();
    let mut notes = Vec::new();
    let mut strangers = BTreeSet::new();
    for year_chunk in years.chunks(MOST_PER_SEGMENT) {
        for code_chunk in codes.chunks(MOST_PER_SEGMENT) {
            let url = format!(
                "{base}/data/kpi/{key_figure}/municipality/{}/year/{}",
                code_chunk.join(","),
                year_chunk.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
            );
            pages(client, base, &url, |page| {
                read_values(page, key_figure, gender, &codes, &mut found, &mut strangers)
            })?;
        }
    }
    if !strangers.is_empty() {
        let list: Vec<String> = strangers.into_iter().collect();
        notes
            .push(format!("Kolada gav också värden för {}, som inte efterfrågades; de hoppades över", list.join(", ")));
    }
    if found.values().all(Option::is_none) {
        return Err(Failure::new(
            format!("Kolada har inga värden för {key_figure} för de här enheterna åren {}", year_list(&years)),
            "kontrollera nyckeltalet (gäller det kommuner eller regioner?), enheternas id och åren; ett års värden publiceras under året efter",
        ));
    }
    let with_values: BTreeSet<i32> = found.iter().filter(|(_, v)| v.is_some()).map(|((_, year), _)| *year).collect();
    let empty_years: Vec<i32> = years.iter().copied().filter(|y| !with_values.contains(y)).collect();
    if !empty_years.is_empty() {
        notes.push(format!(
            "Kolada har inga värden för {} (ännu inte publicerat?); de åren skrivs inte",
            year_list(&empty_years)
        ));
    }
    let mut values = Vec::new();
    let mut gaps = Vec::new();
    for (index, unit) in source.units.iter().enumerate() {
        for &year in &with_values {
            let value = found.get(&(index, year)).copied().flatten();
            if value.is_none() {
                gaps.push(format!("{} ({}) {year}", unit.id, unit.code));
            }
            values.push(FetchedValue { unit: index, month: Month { year, month: 12 }, value });
        }
    }
    if !gaps.is_empty() {
        notes.push(format!("värde saknas i Kolada för {}; cellen lämnas tom", super::short_list(&gaps)));
    }
    let covers = (
        Month { year: years.iter().copied().min().unwrap_or(last_year), month: 12 },
        Month { year: years.iter().copied().max().unwrap_or(last_year), month: 12 },
    );
    Ok(Fetched { frequency: Frequency::Yearly, values, covers, details, notes, addresses: client.asked() })
}

/// The key figure's title and description, for the provenance file; an
/// unknown key figure is an error. Returns whether it is divided by gender.
fn describe(
    client: &Client,
    base: &str,
    key_figure: &str,
    details: &mut Vec<(&'static str, String)>,
) -> Result<Option<bool>, Failure> {
    let answer = client.get_json(&format!("{base}/kpi/{key_figure}"))?;
    let shape = |what: String| changed("Kolada", what);
    let list = json::array(json::field(&answer, "values", "").map_err(shape)?, "values").map_err(shape)?;
    let Some(kpi) = list.iter().find(|k| k.get("id").and_then(Value::as_str) == Some(key_figure)).or(list.first())
    else {
        return Err(Failure::new(
            format!("Kolada känner inte till nyckeltalet {key_figure}"),
            "kontrollera id:t, till exempel genom att söka på kolada.se",
        ));
    };
    for (key, shown) in [("title", "titel"), ("description", "beskrivning"), ("municipality_type", "kommuntyp")] {
        if let Some(text) = json::optional(kpi, key).and_then(|v| json::text(v, key).ok()) {
            details.push((shown, text));
        }
    }
    Ok(json::optional(kpi, "is_divided_by_gender").map(|v| json::is_true(Some(v))))
}

/// Reads every page of an answer, following `next_url` (or v2's
/// `next_page`); a page is read before the next is asked for.
fn pages(
    client: &Client,
    base: &str,
    first: &str,
    mut read: impl FnMut(&Value) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut seen = HashSet::new();
    let mut url = first.to_string();
    loop {
        if !seen.insert(url.clone()) || seen.len() > MOST_PAGES {
            return Err(changed("Kolada", format!("sidorna tar inte slut (`next_url` pekar tillbaka på {url})")));
        }
        let page = client.get_json(&url)?;
        read(&page)?;
        let has_values = page.get("values").and_then(Value::as_array).is_some_and(|v| !v.is_empty());
        let next = ["next_url", "next_page"]
            .iter()
            .find_map(|key| page.get(*key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()))
            .map(|next| absolute(base, next));
        match next {
            Some(next) if has_values => url = next,
            _ => return Ok(()),
        }
    }
}

/// A link as an absolute address (Kolada sends absolute ones).
fn absolute(base: &str, link: &str) -> String {
    if link.contains("://") {
        return link.to_string();
    }
    let origin_end = base.find("://").map_or(0, |i| i + 3);
    let origin = &base[..base[origin_end..].find('/').map_or(base.len(), |i| origin_end + i)];
    format!("{origin}/{}", link.trim_start_matches('/'))
}

/// The values of one page, for the wanted gender, into `found` by (unit
/// index, year). Deleted entries are skipped.
fn read_values(
    page: &Value,
    key_figure: &str,
    gender: &str,
    codes: &[&str],
    found: &mut BTreeMap<(usize, i32), Option<f64>>,
    strangers: &mut BTreeSet<String>,
) -> Result<(), Failure> {
    let shape = |what: String| changed("Kolada", what);
    let entries = json::array(json::field(page, "values", "").map_err(shape)?, "values").map_err(shape)?;
    for (i, entry) in entries.iter().enumerate() {
        let path = format!("values[{i}]");
        if let Some(kpi) = json::optional(entry, "kpi")
            && json::text(kpi, &path).map_err(shape)? != key_figure
        {
            continue;
        }
        let code =
            json::text(json::field(entry, "municipality", &path).map_err(shape)?, &json::join(&path, "municipality"))
                .map_err(shape)?;
        let period_path = json::join(&path, "period");
        let period = json::text(json::field(entry, "period", &path).map_err(shape)?, &period_path).map_err(shape)?;
        let year: i32 = period
            .parse()
            .ok()
            .filter(|y| Month::new(*y, 12).is_some())
            .ok_or_else(|| shape(format!("`{period_path}` är inget år: `{period}`")))?;
        let Some(unit) = codes.iter().position(|c| *c == code) else {
            strangers.insert(code);
            continue;
        };
        let values_path = json::join(&path, "values");
        let values = json::array(json::field(entry, "values", &path).map_err(shape)?, &values_path).map_err(shape)?;
        for (j, value) in values.iter().enumerate() {
            let value_path = format!("{values_path}[{j}]");
            let this_gender =
                json::optional(value, "gender").map(|g| json::text(g, &value_path)).transpose().map_err(shape)?;
            // A key figure not divided by gender may leave `gender` out.
            if this_gender.as_deref().unwrap_or("T") != gender {
                continue;
            }
            if json::is_true(value.get("isdeleted")) || json::is_true(value.get("is_deleted")) {
                continue;
            }
            let number = json::number_or_null(value.get("value"), &json::join(&value_path, "value")).map_err(shape)?;
            let slot = found.entry((unit, year)).or_insert(None);
            *slot = slot.or(number);
        }
    }
    Ok(())
}

/// `2019–2024`, or `2019, 2021`.
fn year_list(years: &[i32]) -> String {
    let consecutive = years.windows(2).all(|w| w[1] == w[0] + 1);
    match (years.first(), years.last()) {
        (Some(first), Some(last)) if consecutive && first != last => format!("{first}–{last}"),
        _ => years.iter().map(i32::to_string).collect::<Vec<_>>().join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_are_made_absolute() {
        assert_eq!(absolute("https://api.kolada.se/v3", "https://x.se/a"), "https://x.se/a");
        assert_eq!(absolute("https://api.kolada.se/v3", "/v3/data?page=2"), "https://api.kolada.se/v3/data?page=2");
        assert_eq!(absolute("http://127.0.0.1:9/v3", "v3/data"), "http://127.0.0.1:9/v3/data");
    }

    #[test]
    fn years_read_as_ranges() {
        assert_eq!(year_list(&[2019, 2020, 2021]), "2019–2021");
        assert_eq!(year_list(&[2019, 2021]), "2019, 2021");
        assert_eq!(year_list(&[2024]), "2024");
    }
}

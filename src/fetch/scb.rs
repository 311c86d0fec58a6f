//! SCB's statistical database through PxWebApi 2: one table's values for
//! a list of regions, as JSON-stat 2.0.
//!
//! What is relied on, from the PxWebApi 2 specification (`PxAPI-2.yml`), the
//! server's source and its JSON-stat2 serializer; none of it was checked
//! against SCB's live service:
//!
//! * `GET {base}/tables/{id}/data?lang=sv&outputFormat=json-stat2&valueCodes[VAR]=a,b`
//!   (one parameter per variable, codes separated by commas; selection
//!   expressions such as `TOP(5)` allowed).
//! * The answer: `id` (the variables in order), `size`, `dimension.{VAR}.
//!   category.index` (code → position, or a list of codes), `value` (a list
//!   in row-major order over `id`, the last variable fastest; `null` for a
//!   missing value), `status` (position → symbol such as `..`), `role.time`.
//! * Time codes: `2024` a year, `2024M01` a month.
//! * Errors as RFC 7807 problems; `429` as plain text with `Retry-After`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::http::{Client, Failure};
use super::json::{self, changed};
use super::{Fetched, FetchedValue, Terms};
use crate::model::Source;
use crate::period::{Frequency, Month};

/// SCB's terms for open data (scb.se/vara-tjanster/oppna-data): CC0, a
/// citation not required but recommended as "Källa: SCB", and not for data
/// someone has processed.
pub const TERMS: Terms = Terms {
    citation: "Källa: SCB",
    licence: "CC0",
    terms: "Vi använder licensen CC0 för dessa data, vilket innebär att du får använda och sprida eller tillgängliggöra sådana data utan krav på att ange källa. Om du väljer att ange källa så rekommenderar vi \"Källa: SCB\", \"Källa: Statistiska centralbyrån\" eller på engelska \"Source: Statistics Sweden\". Om du själv har bearbetat data från SCB ska du inte ange källa.",
    terms_address: "https://www.scb.se/vara-tjanster/oppna-data/",
};

/// One variable of the answer: its id and codes in order.
struct Dimension {
    id: String,
    codes: Vec<String>,
    labels: Vec<String>,
}

pub fn fetch(
    client: &Client,
    source: &Source,
    table: &str,
    selection: &[(String, Vec<String>)],
    unit_variable: &str,
) -> Result<Fetched, Failure> {
    let codes: Vec<&str> = source.units.iter().map(|u| u.code.as_str()).collect();
    let mut url = format!("{}/tables/{}/data?lang=sv&outputFormat=json-stat2", source.address, encode(table));
    for (variable, values) in
        std::iter::once((unit_variable.to_string(), codes.iter().map(|c| c.to_string()).collect()))
            .chain(selection.iter().cloned())
    {
        url.push_str(&format!(
            "&valueCodes%5B{}%5D={}",
            encode(&variable),
            values.iter().map(|v| encode(v)).collect::<Vec<_>>().join(",")
        ));
    }
    let answer = client.get_json(&url)?;
    let shape = |what: String| changed("SCB", what);
    if let Some(class) = json::optional(&answer, "class").and_then(Value::as_str)
        && class != "dataset"
    {
        return Err(shape(format!("`class` är `{class}`, inte `dataset`")));
    }
    let dimensions = dimensions(&answer).map_err(shape)?;
    let cells: usize = dimensions.iter().map(|d| d.codes.len()).product();
    let values = values(&answer, cells).map_err(shape)?;
    let status_of = status(&answer);

    let names: Vec<&str> = dimensions.iter().map(|d| d.id.as_str()).collect();
    let find = |wanted: &str| dimensions.iter().position(|d| d.id.eq_ignore_ascii_case(wanted));
    let Some(unit_dim) = find(unit_variable) else {
        return Err(Failure::new(
            format!("tabellen {table} har ingen variabel `{unit_variable}`; den har {}", names.join(", ")),
            "ange vilken variabel som är enheterna med enhetsvariabel = \"…\"",
        ));
    };
    let time_id = answer
        .pointer("/role/time/0")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case("Tid")).map(|n| n.to_string()));
    let Some(time_dim) = time_id.as_deref().and_then(find).filter(|t| *t != unit_dim) else {
        return Err(shape("svaret har ingen tidsvariabel (`role.time`)".to_string()));
    };
    let mut details = vec![("tabell", table.to_string())];
    for (key, shown) in [("label", "titel"), ("source", "utgivare"), ("updated", "uppdaterad")] {
        if let Some(text) = json::optional(&answer, key).and_then(|v| json::text(v, key).ok()) {
            details.push((shown, text));
        }
    }
    let mut chosen = Vec::new();
    for (index, dimension) in dimensions.iter().enumerate() {
        if index == unit_dim || index == time_dim {
            continue;
        }
        if dimension.codes.len() != 1 {
            return Err(Failure::new(
                format!(
                    "variabeln `{}` har {} värden i svaret ({}); statusrapport läser ett värde per enhet och period",
                    dimension.id,
                    dimension.codes.len(),
                    super::short_list(&dimension.codes)
                ),
                format!(
                    "välj ett värde i urvalet, till exempel urval = {{ {} = [\"{}\"] }}",
                    dimension.id, dimension.codes[0]
                ),
            ));
        }
        chosen.push(format!("{} = {} ({})", dimension.id, dimension.codes[0], dimension.labels[0]));
        if let Some(unit) = answer
            .pointer(&format!("/dimension/{}/category/unit/{}/base", dimension.id, dimension.codes[0]))
            .and_then(Value::as_str)
        {
            details.push(("enhet", unit.to_string()));
        }
    }

    if !chosen.is_empty() {
        details.push(("urval", chosen.join("; ")));
    }
    let time = &dimensions[time_dim];
    let mut periods = Vec::new();
    for code in &time.codes {
        periods.push(period(code).ok_or_else(|| {
            Failure::new(
                format!("tidkoden `{code}` kan inte läsas; statusrapport läser år (2024) och månader (2024M01)"),
                "välj en tabell med års- eller månadsvärden (kvartal och veckor stöds inte)",
            )
        })?);
    }
    let frequency = periods.first().map_or(Frequency::Monthly, |(_, f)| *f);
    if periods.iter().any(|(_, f)| *f != frequency) {
        return Err(shape("tidsvariabeln blandar år och månader".to_string()));
    }

    // Position of a cell: Σ index · (product of the sizes after it).
    let strides: Vec<usize> =
        (0..dimensions.len()).map(|d| dimensions[d + 1..].iter().map(|x| x.codes.len()).product()).collect();
    let mut found = Vec::new();
    let mut missing = Vec::new();
    let mut symbols: BTreeMap<String, usize> = BTreeMap::new();
    let unit_codes = &dimensions[unit_dim].codes;
    for (index, unit) in source.units.iter().enumerate() {
        let Some(position) = unit_codes.iter().position(|c| *c == unit.code) else {
            missing.push(format!("{} ({})", unit.id, unit.code));
            continue;
        };
        for (t, (month, _)) in periods.iter().enumerate() {
            let cell = position * strides[unit_dim] + t * strides[time_dim];
            let value = values[cell];
            if value.is_none() {
                *symbols.entry(status_of(cell).unwrap_or_else(|| "null".to_string())).or_default() += 1;
            }
            found.push(FetchedValue { unit: index, month: *month, value });
        }
    }
    if found.iter().all(|v| v.value.is_none()) {
        return Err(Failure::new(
            format!("SCB gav inga värden ur tabellen {table} för de här enheterna och urvalet"),
            "kontrollera enheternas koder och urvalet",
        ));
    }
    let mut notes = Vec::new();
    if !missing.is_empty() {
        notes.push(format!("SCB:s svar har inga värden för {}; enheten skrivs inte", super::short_list(&missing)));
    }
    if !symbols.is_empty() {
        let counted: Vec<String> = symbols.iter().map(|(symbol, n)| format!("{n} markerade `{symbol}`")).collect();
        notes.push(format!("värde saknas i tabellen för {}; cellerna lämnas tomma", counted.join(", ")));
    }
    let months = periods.iter().map(|(month, _)| *month);
    let covers =
        months.clone().min().zip(months.max()).ok_or_else(|| shape("tidsvariabeln har inga koder".to_string()))?;
    Ok(Fetched { frequency, values: found, covers, details, notes, addresses: client.asked() })
}

/// The variables of a JSON-stat dataset, in the order of `id`.
fn dimensions(answer: &Value) -> Result<Vec<Dimension>, String> {
    let ids = json::array(json::field(answer, "id", "")?, "id")?;
    let sizes = json::array(json::field(answer, "size", "")?, "size")?;
    if ids.len() != sizes.len() || ids.is_empty() {
        return Err("`id` och `size` är olika långa".to_string());
    }
    let all = json::field(answer, "dimension", "")?;
    let mut out = Vec::new();
    for (i, (id, size)) in ids.iter().zip(sizes).enumerate() {
        let id = json::text(id, &format!("id[{i}]"))?;
        let size = size.as_u64().ok_or_else(|| format!("`size[{i}]` är inget antal"))? as usize;
        let path = format!("dimension.{id}");
        let category = json::field(json::field(all, &id, "dimension")?, "category", &path)?;
        let path = json::join(&path, "category");
        let labels = json::optional(category, "label").and_then(Value::as_object);
        // `index` is code → position, or a list of codes; left out when
        // there is one code (JSON-stat 2.0).
        let mut codes: Vec<(usize, String)> = match json::optional(category, "index") {
            Some(Value::Object(index)) => index
                .iter()
                .map(|(code, position)| {
                    let position =
                        position.as_u64().ok_or_else(|| format!("`{path}.index.{code}` är ingen position"))?;
                    Ok((position as usize, code.clone()))
                })
                .collect::<Result<_, String>>()?,
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(position, code)| Ok((position, json::text(code, &format!("{path}.index[{position}]"))?)))
                .collect::<Result<_, String>>()?,
            Some(_) => return Err(format!("`{path}.index` är varken objekt eller lista")),
            None => labels.into_iter().flat_map(|l| l.keys().cloned()).enumerate().collect(),
        };
        codes.sort();
        if codes.len() != size || codes.iter().enumerate().any(|(n, (position, _))| *position != n) {
            return Err(format!("`{path}.index` har inte {size} koder i följd"));
        }
        let codes: Vec<String> = codes.into_iter().map(|(_, code)| code).collect();
        let labels = codes
            .iter()
            .map(|code| labels.and_then(|l| l.get(code)).and_then(Value::as_str).unwrap_or(code).to_string())
            .collect();
        out.push(Dimension { id, codes, labels });
    }
    Ok(out)
}

/// The values in cell order: a list, or (JSON-stat's sparse form) an
/// object of position → value.
fn values(answer: &Value, cells: usize) -> Result<Vec<Option<f64>>, String> {
    let value = json::field(answer, "value", "")?;
    let out = match value {
        Value::Array(list) => {
            if list.len() != cells {
                return Err(format!("`value` har {} värden, men variablerna ger {cells}", list.len()));
            }
            list.iter()
                .enumerate()
                .map(|(i, v)| json::number_or_null(Some(v), &format!("value[{i}]")))
                .collect::<Result<_, _>>()?
        }
        Value::Object(sparse) => {
            let mut out = vec![None; cells];
            for (position, v) in sparse {
                let index: usize = position
                    .parse()
                    .ok()
                    .filter(|i| *i < cells)
                    .ok_or_else(|| format!("`value.{position}` ligger utanför tabellen"))?;
                out[index] = json::number_or_null(Some(v), &format!("value.{position}"))?;
            }
            out
        }
        _ => return Err("`value` är varken lista eller objekt".to_string()),
    };
    Ok(out)
}

/// The status symbol of a cell (`..` for not available), if any.
fn status(answer: &Value) -> impl Fn(usize) -> Option<String> + '_ {
    move |cell| match answer.get("status") {
        Some(Value::Object(map)) => map.get(&cell.to_string()).and_then(Value::as_str).map(str::to_string),
        Some(Value::Array(list)) => list.get(cell).and_then(Value::as_str).map(str::to_string),
        Some(Value::String(all)) => Some(all.clone()),
        _ => None,
    }
}

/// `2024` → December 2024, yearly; `2024M01` → January 2024, monthly.
fn period(code: &str) -> Option<(Month, Frequency)> {
    let code = code.trim();
    if code.len() == 4 {
        return Some((Month::new(code.parse().ok()?, 12)?, Frequency::Yearly));
    }
    let (year, month) = code.split_once(['M', 'm'])?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    Some((Month::new(year.parse().ok()?, month.parse().ok()?)?, Frequency::Monthly))
}

/// Percent-encodes a query value, keeping what selection expressions use
/// (`TOP(5)`, `*`) and the commas between codes readable.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'(' | b')' | b'*' | b',' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_codes_are_years_and_months() {
        assert_eq!(period("2024"), Some((Month::parse("2024-12").unwrap(), Frequency::Yearly)));
        assert_eq!(period("2024M03"), Some((Month::parse("2024-03").unwrap(), Frequency::Monthly)));
        assert_eq!(period("2024K1"), None);
        assert_eq!(period("2024M13"), None);
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode("TOP(5)"), "TOP(5)");
        assert_eq!(encode("Kön å"), "K%C3%B6n%20%C3%A5");
        assert_eq!(encode("[TOP(1,12)]"), "%5BTOP(1,12)%5D");
    }

    #[test]
    fn the_last_variable_varies_fastest() {
        let answer: Value = serde_json::from_str(
            r#"{"id":["Region","ContentsCode","Tid"],"size":[2,1,2],
                "dimension":{"Region":{"category":{"index":{"13":0,"00":1}}},
                             "ContentsCode":{"category":{"label":{"BE0101N1":"Folkmängd"}}},
                             "Tid":{"category":{"index":["2023","2024"]}}},
                "value":[341500,344900,10551700,10587700]}"#,
        )
        .unwrap();
        let dimensions = dimensions(&answer).unwrap();
        assert_eq!(dimensions[0].codes, ["13", "00"]);
        assert_eq!(dimensions[1].codes, ["BE0101N1"]);
        assert_eq!(dimensions[2].codes, ["2023", "2024"]);
        let values = values(&answer, 4).unwrap();
        assert_eq!(values[2 + 1], Some(10587700.0), "00/2024: 1·2 + 1");
    }
}

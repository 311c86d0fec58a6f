//! Reads a TOML file into one of the `config` types, turning the parser's
//! English messages into Swedish ones with the place and a did-you-mean.

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, SourceId, did_you_mean};

/// Parses `text` (registered as `source`) into `T`.
pub fn parse<T: DeserializeOwned>(text: &str, source: SourceId) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|error| {
        let span = error.span().unwrap_or(0..0);
        let (message, hint) = translate(error.message());
        let mut diagnostic = Diagnostic::error(message).at(source, span);
        if let Some(hint) = hint {
            diagnostic = diagnostic.hint(hint);
        }
        diagnostic
    })
}

/// Turns a message from the TOML parser or serde into Swedish, with a hint.
/// Unrecognised messages keep the original text after a Swedish lead-in.
fn translate(message: &str) -> (String, Option<String>) {
    let message = message.trim();
    let names = |text: &str| -> Vec<String> { text.split('`').skip(1).step_by(2).map(str::to_string).collect() };
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let found = names(rest);
        let key = found.first().cloned().unwrap_or_default();
        let expected: Vec<&str> = found.iter().skip(1).map(String::as_str).collect();
        let hint = match did_you_mean(&key, expected.iter().copied()) {
            Some(suggestion) => Some(format!("menade du `{suggestion}`?")),
            None if expected.is_empty() => None,
            None => Some(format!("tillåtna nycklar här: {}", expected.join(", "))),
        };
        return (format!("okänd nyckel `{key}`"), hint);
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let key = names(rest).into_iter().next().unwrap_or_default();
        return (
            format!("nyckeln `{key}` saknas"),
            Some(format!("lägg till `{key} = …`")),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let found = names(rest);
        let value = found.first().cloned().unwrap_or_default();
        let expected: Vec<&str> = found.iter().skip(1).map(String::as_str).collect();
        let hint = match did_you_mean(&value, expected.iter().copied()) {
            Some(suggestion) => format!("menade du `{suggestion}`?"),
            None => format!("tillåtna värden: {}", expected.join(", ")),
        };
        return (format!("okänt värde `{value}`"), Some(hint));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return (
            format!(
                "fel sorts värde: {} där det ska vara {}",
                kind_in_swedish(found),
                kind_in_swedish(expected)
            ),
            Some("text skrivs inom citattecken, tal utan, listor inom [ ]".to_string()),
        );
    }
    if message.starts_with("duplicate key") {
        let key = names(message).into_iter().next();
        let what = key.map_or("nyckeln".to_string(), |k| format!("nyckeln `{k}`"));
        return (
            format!("{what} förekommer två gånger"),
            Some("ta bort den ena".to_string()),
        );
    }
    if message.contains("max recursion depth") {
        return (
            "filen är för djupt nästlad".to_string(),
            Some("en rapportfil behöver bara några få nivåer av [tabeller], listor och {…}".to_string()),
        );
    }
    if message.contains("invalid table header") && message.contains("duplicate") {
        return (
            "tabellen förekommer två gånger".to_string(),
            Some("slå ihop dem, eller använd [[…]] för en lista".to_string()),
        );
    }
    (
        format!("filen kan inte läsas som TOML: {message}"),
        Some("kontrollera citattecken, = och hakparenteser på raden".to_string()),
    )
}

/// serde's type names (`a string`, `integer \`5\``) in Swedish.
fn kind_in_swedish(text: &str) -> String {
    let text = text.trim();
    let (kind, value) = match text.split_once(' ') {
        Some((kind, value)) if value.starts_with('`') => (kind, Some(value)),
        _ => (text, None),
    };
    let swedish = match kind.trim_start_matches("a ").trim_start_matches("an ") {
        "string" | "a string" => "text",
        "integer" | "i64" | "u64" | "an integer" | "i64 integer" => "heltal",
        "float" | "f64" | "a float" => "tal",
        "boolean" | "a boolean" => "true eller false",
        "sequence" | "a sequence" => "lista",
        "map" | "a map" | "struct" => "tabell",
        other => other,
    };
    match value {
        Some(value) => format!("{swedish} {value}"),
        None => swedish.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_get_a_did_you_mean() {
        let (message, hint) = translate("unknown field `titl`, expected one of `typ`, `titel`, `namnd`");
        assert_eq!(message, "okänd nyckel `titl`");
        assert_eq!(hint.as_deref(), Some("menade du `titel`?"));
        let (_, hint) = translate("unknown field `nämnd`, expected one of `typ`, `titel`, `namnd`");
        assert_eq!(hint.as_deref(), Some("menade du `namnd`?"));
    }

    #[test]
    fn missing_and_mistyped_values() {
        assert_eq!(translate("missing field `titel`").0, "nyckeln `titel` saknas");
        assert_eq!(
            translate("invalid type: integer `5`, expected a string").0,
            "fel sorts värde: heltal `5` där det ska vara text"
        );
    }
}

//! Reading the services' JSON answers by hand rather than into fixed types:
//! fields the documentation calls optional may be missing or `null`, a
//! number may come as a string, and when the shape really has changed the
//! message names the place (`values[3].period`) in Swedish.

use serde_json::Value;

use super::http::Failure;

/// An answer whose shape is not the documented one.
pub fn changed(service: &str, what: impl std::fmt::Display) -> Failure {
    Failure::new(
        format!("svaret från {service} har inte den form som dokumentationen beskriver: {what}"),
        "tjänsten kan ha ändrat sina svar; uppdatera statusrapport, eller rapportera felet",
    )
}

/// The field `key` of an object; `None` if missing or `null`.
pub fn optional<'a>(object: &'a Value, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|v| !v.is_null())
}

/// The field `key` of an object, which must be there.
pub fn field<'a>(object: &'a Value, key: &str, path: &str) -> Result<&'a Value, String> {
    optional(object, key).ok_or_else(|| format!("fältet `{}` saknas", join(path, key)))
}

pub fn array<'a>(value: &'a Value, path: &str) -> Result<&'a Vec<Value>, String> {
    value.as_array().ok_or_else(|| format!("`{path}` är ingen lista"))
}

/// A text, or a number written as text (`"0013"`, `13`).
pub fn text(value: &Value, path: &str) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.trim().to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(format!("`{path}` är ingen text")),
    }
}

/// A number, or `null` for a missing value; a number as text is read too.
pub fn number_or_null(value: Option<&Value>, path: &str) -> Result<Option<f64>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_f64().map(Some).ok_or_else(|| format!("`{path}` är inget tal")),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s.trim().parse::<f64>().map(Some).map_err(|_| format!("`{path}` är inget tal")),
        Some(_) => Err(format!("`{path}` är inget tal")),
    }
}

/// `true`, or `1`, as some versions wrote booleans.
pub fn is_true(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    }
}

/// `values[3]` + `period` → `values[3].period`.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

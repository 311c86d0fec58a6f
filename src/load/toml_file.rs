//! Reads a TOML file into one of the `config` types, turning the parser's
//! English messages into Swedish ones with the place and a did-you-mean.
//!
//! Unknown keys do not stop the reading: every one of them is reported
//! (with the keys allowed where it stands), and the rest of the file is
//! still read, so that one `check` shows all problems.

use serde::de::{self, DeserializeOwned, Visitor};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, SourceId, Span, suggest};

/// One step of a path into a TOML document.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// The keys allowed in the table at a path (array indices and map keys
/// already removed: `["avsnitt", "diagram"]`).
pub type Schema = fn(&[&str]) -> &'static [&'static str];

/// Parses `text` (registered as `source`) into `T`. Returns the value and
/// the problems that did not stop the reading (unknown keys), or every
/// problem found if one did.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    source: SourceId,
    schema: Schema,
) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
    let located = |error: toml::de::Error| {
        let span = error.span().unwrap_or(0..0);
        let (message, hint) = translate(error.message());
        let mut diagnostic = Diagnostic::error(message).at(Span::new(source, span));
        if let Some(hint) = hint {
            diagnostic = diagnostic.hint(hint);
        }
        diagnostic
    };
    let document = DeTable::parse(text).map_err(|error| {
        let span = error.span().unwrap_or(0..0);
        let problem = if error.message().starts_with("invalid unquoted key") {
            unquoted_key_problem(text, source, span)
        } else {
            syntax_problem(text, error.message(), span.clone()).map_or_else(
                || located(error.clone()),
                |(message, hint)| Diagnostic::error(message).at(Span::new(source, span)).hint(hint),
            )
        };
        vec![problem]
    })?;
    let mut unknown: Vec<Vec<Step>> = Vec::new();
    let deserializer = toml::de::Deserializer::from(document.clone());
    let value = crate::diagnostic::reading(source, || {
        serde_ignored::deserialize(deserializer, |path| unknown.push(steps(&path)))
    });
    // In file order; only those that will be shown get a suggestion (a file
    // of many unknown keys shows the first ones, see `Diagnostics`).
    let mut unknown: Vec<(std::ops::Range<usize>, &Vec<Step>)> =
        unknown.iter().map(|path| (key_span(&document, path).unwrap_or(0..0), path)).collect();
    unknown.sort_by_key(|(span, _)| span.start);
    let mut problems: Vec<Diagnostic> = unknown
        .into_iter()
        .enumerate()
        .map(|(index, (span, path))| {
            let key = match path.last() {
                Some(Step::Key(key)) => key.clone(),
                _ => String::new(),
            };
            let problem = Diagnostic::error(format!("okänd nyckel `{key}`")).at(Span::new(source, span));
            if index >= crate::diagnostic::MOST_PER_FILE {
                return problem;
            }
            let parent: Vec<&str> = path[..path.len().saturating_sub(1)]
                .iter()
                .filter_map(|step| match step {
                    Step::Key(key) => Some(key.as_str()),
                    Step::Index(_) => None,
                })
                .collect();
            let allowed = schema(&parent);
            problem.hint(suggest(
                &key,
                allowed.iter().copied(),
                format!("tillåtna nycklar här: {}", allowed.join(", ")),
            ))
        })
        .collect();
    match value {
        Ok(value) => Ok((value, problems)),
        Err(error) => {
            problems.push(located(error));
            Err(problems)
        }
    }
}

/// Typographic quotes, as Word and Outlook write them.
const CURLY_QUOTES: [char; 6] = ['“', '”', '„', '‘', '’', '«'];

/// A TOML syntax error as a Swedish message with the specific fix: the
/// mistakes people make in a text editor or when pasting from Word.
fn syntax_problem(text: &str, message: &str, span: std::ops::Range<usize>) -> Option<(String, String)> {
    let description = message.trim().split(", expected").next().unwrap_or("").trim();
    let at = text.get(span.start.min(text.len())..).unwrap_or("");
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let multi_line = |quotes: &str, what: &str| {
        let opening = text[..span.start.min(text.len())].rfind(quotes).unwrap_or(0);
        (
            format!("texten som börjar med {quotes} på rad {} avslutas aldrig", line_of(opening)),
            format!("skriv {quotes} på en egen rad efter {what}"),
        )
    };
    Some(match description {
        "string values must be quoted" if at.starts_with(CURLY_QUOTES) => (
            "texten står inom typografiska citattecken (“ ”), som Word skriver".into(),
            "skriv raka citattecken: \"…\" (skriv i Anteckningar, eller stäng av Words autokorrigering av citattecken)".into(),
        ),
        "string values must be quoted" => (
            "texten saknar citattecken".into(),
            "skriv texten inom raka citattecken: \"…\"; tal, true och false skrivs utan".into(),
        ),
        "invalid multi-line basic string" => multi_line("\"\"\"", "texten"),
        "invalid multi-line literal string" => multi_line("'''", "texten"),
        "invalid basic string" | "invalid literal string" => (
            "texten saknar avslutande citattecken på samma rad".into(),
            "avsluta texten med \" på samma rad; en text över flera rader skrivs mellan \"\"\" och \"\"\"".into(),
        ),
        "missing escaped value" | "invalid escape sequence" | "too few unicode value digits" => (
            "ett omvänt snedstreck (\\) i en text inom \" eller \"\"\" inleder ett specialtecken".into(),
            "skriv \\\\ för ett \\ (G:\\\\Ekonomi), eller skriv texten inom ''' i stället för \"\"\"; där står alla tecken som de är skrivna".into(),
        ),
        "missing assignment between key-value pairs" | "key with no value" | "missing value for key" | "missing value" => (
            "nyckeln saknar värde".into(),
            "skriv nyckel = värde, till exempel status = \"utkast\"".into(),
        ),
        "extra assignment between key-value pairs" | "unexpected content" | "unexpected key or value" => (
            "oväntad text efter värdet".into(),
            "varje rad har en nyckel = värde; text över flera rader skrivs mellan \"\"\" och \"\"\"".into(),
        ),
        "unclosed table" | "unclosed array table" => {
            ("tabellrubriken saknar ]".into(), "skriv till exempel [[avsnitt]] eller [matt.utfall]".into())
        }
        "unclosed array" | "missing comma between array elements" | "extra comma in array" => (
            "listan är inte rätt skriven".into(),
            "skriv listor inom [ ] med komma mellan värdena: [\"vch\", \"ftv\"]".into(),
        ),
        "unclosed inline table" | "missing comma between key-value pairs" | "extra comma in inline table"
        | "invalid inline table element" => (
            "{ … } är inte rätt skriven".into(),
            "skriv { matt = \"…\", enhet = \"…\" } på en rad, med komma mellan".into(),
        ),
        _ => return None,
    })
}

/// A key with letters TOML does not allow bare (usually å, ä, ö): say how
/// to write it instead.
fn unquoted_key_problem(text: &str, source: SourceId, span: std::ops::Range<usize>) -> Diagnostic {
    let is_key_char = |c: char| !c.is_whitespace() && !"=[].\"'#,{}".contains(c);
    let start = text[..span.start.min(text.len())].rfind(|c: char| !is_key_char(c)).map_or(0, |i| i + 1);
    let end = text[span.start.min(text.len())..].find(|c: char| !is_key_char(c)).map_or(text.len(), |i| span.start + i);
    let key = &text[start..end];
    let folded = crate::diagnostic::fold_swedish(key);
    Diagnostic::error(format!("nyckeln `{key}` har tecken som inte får stå i en nyckel"))
        .at(Span::new(source, start..end))
        .hint(format!("nycklar skrivs med a–z, 0–9, - och _, utan å, ä och ö: skriv `{folded}`"))
}

/// Characters in the file's strings (not its comments) that no embedded
/// font has: each run of them is an error, since the PDF could not show it.
pub fn unshowable_characters(text: &str, source: SourceId) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (range, _) in string_contents(text) {
        let mut run: Option<std::ops::Range<usize>> = None;
        for (offset, c) in text[range.clone()].char_indices() {
            let at = range.start + offset;
            if crate::fonts::covers(c) {
                if let Some(found) = run.take() {
                    problems.push(unshowable(text, source, found));
                }
            } else {
                let end = at + c.len_utf8();
                run = Some(run.map_or(at..end, |r| r.start..end));
            }
        }
        if let Some(found) = run {
            problems.push(unshowable(text, source, found));
        }
    }
    problems
}

fn unshowable(text: &str, source: SourceId, span: std::ops::Range<usize>) -> Diagnostic {
    let found = &text[span.clone()];
    let codes: Vec<String> = found.chars().take(3).map(|c| format!("U+{:04X}", c as u32)).collect();
    Diagnostic::error(format!("tecknet `{found}` ({}) finns inte i rapportens typsnitt och kan inte visas", codes.join(" ")))
        .at(Span::new(source, span))
        .hint("ta bort det eller skriv det med ord; typsnitten har latinska, grekiska, kyrilliska, hebreiska och arabiska tecken och vanliga emoji, men inte till exempel kinesiska eller japanska")
}

/// Byte ranges of the contents of every string in a TOML text (basic,
/// literal and multi-line), outside comments; `true` for a basic string
/// (`"…"`, `"""…"""`), whose backslashes are escapes.
pub fn string_contents(text: &str) -> Vec<(std::ops::Range<usize>, bool)> {
    let bytes = text.as_bytes();
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            quote @ (b'"' | b'\'') => {
                let triple = bytes[i..].starts_with(&[quote, quote, quote]);
                i += if triple { 3 } else { 1 };
                let start = i;
                while i < bytes.len() {
                    if quote == b'"' && bytes[i] == b'\\' {
                        i += 2;
                    } else if (triple && bytes[i..].starts_with(&[quote, quote, quote]))
                        || (!triple && (bytes[i] == quote || bytes[i] == b'\n'))
                    {
                        break;
                    } else {
                        i += 1;
                    }
                }
                ranges.push((start..i.min(bytes.len()), quote == b'"'));
                i += if triple { 3 } else { 1 };
            }
            _ => i += 1,
        }
    }
    ranges
}

/// serde_ignored's path as steps; wrapper steps (options, newtypes) and
/// the private keys of `Spanned` carry no key of the file.
fn steps(path: &serde_ignored::Path) -> Vec<Step> {
    use serde_ignored::Path;
    let mut out = match path {
        Path::Root => return Vec::new(),
        Path::Seq { parent, .. } | Path::Map { parent, .. } => steps(parent),
        Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => {
            return steps(parent);
        }
    };
    match path {
        Path::Seq { index, .. } => out.push(Step::Index(*index)),
        Path::Map { key, .. } if !key.starts_with("$__serde_spanned") => out.push(Step::Key(key.clone())),
        _ => {}
    }
    out
}

/// The span of the key at `path` in the parsed document.
fn key_span(document: &Spanned<DeTable>, path: &[Step]) -> Option<std::ops::Range<usize>> {
    let mut table = document.get_ref();
    let mut array: Option<&toml::de::DeArray> = None;
    for (i, step) in path.iter().enumerate() {
        let value = match (step, array) {
            (Step::Index(index), Some(items)) => items.get(*index)?,
            (Step::Key(key), None) => {
                // A map lookup: a file of many unknown keys costs no more
                // than one pass.
                let (found, value) = table.get_key_value(key.as_str())?;
                if i == path.len() - 1 {
                    return Some(found.span());
                }
                value
            }
            _ => return None,
        };
        array = None;
        match value.get_ref() {
            DeValue::Table(inner) => table = inner,
            DeValue::Array(items) => array = Some(items),
            _ => return None,
        }
    }
    None
}

/// The field names of a `Deserialize` struct, as serde declares them, for
/// schemas that stay in step with the types.
pub fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Capture(Option<&'static [&'static str]>);
    #[derive(Debug)]
    struct Captured;
    impl std::fmt::Display for Captured {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("captured")
        }
    }
    impl std::error::Error for Captured {}
    impl de::Error for Captured {
        fn custom<M: std::fmt::Display>(_: M) -> Self {
            Captured
        }
    }
    impl<'de> de::Deserializer<'de> for &mut Capture {
        type Error = Captured;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Captured> {
            Err(Captured)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Captured> {
            self.0 = Some(fields);
            Err(Captured)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    let mut capture = Capture(None);
    let _ = T::deserialize(&mut capture);
    capture.0.unwrap_or(&[])
}

/// Turns a message from the TOML parser or serde into Swedish, with a hint.
/// Unrecognised messages keep the original text after a Swedish lead-in.
fn translate(message: &str) -> (String, Option<String>) {
    let message = message.trim();
    let names = |text: &str| -> Vec<String> { text.split('`').skip(1).step_by(2).map(str::to_string).collect() };
    if let Some(rest) = message.strip_prefix("missing field ") {
        let key = names(rest).into_iter().next().unwrap_or_default();
        return (format!("nyckeln `{key}` saknas"), Some(format!("lägg till `{key} = …`")));
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let found = names(rest);
        let value = found.first().cloned().unwrap_or_default();
        let expected: Vec<&str> = found.iter().skip(1).map(String::as_str).collect();
        let hint = suggest(&value, expected.iter().copied(), format!("tillåtna värden: {}", expected.join(", ")));
        return (format!("okänt värde `{value}`"), Some(hint));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return (
            format!("fel sorts värde: {} där det ska vara {}", kind_in_swedish(found), kind_in_swedish(expected)),
            Some("text skrivs inom citattecken, tal utan, listor inom [ ] och sant/falskt som true/false".to_string()),
        );
    }
    if message.starts_with("data did not match any variant") {
        return (
            "fel sorts värde".to_string(),
            Some("skriv true, false eller en lista med enheter: [\"vch\", \"ftv\"]".to_string()),
        );
    }
    if message.starts_with("duplicate key") {
        let key = names(message).into_iter().next();
        let what = key.map_or("nyckeln".to_string(), |k| format!("nyckeln `{k}`"));
        return (format!("{what} förekommer två gånger"), Some("ta bort den ena".to_string()));
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
        format!("filen kan inte läsas som TOML ({message})"),
        Some("kontrollera citattecken, = och hakparenteser på raden".to_string()),
    )
}

/// serde's type names (`a string`, `integer \`5\``) in Swedish.
fn kind_in_swedish(text: &str) -> String {
    let text = text.trim();
    let (kind, value) = match text.split_once(' ') {
        Some((kind, value)) if value.starts_with(['`', '"']) => (kind, Some(value)),
        _ => (text, None),
    };
    let swedish = match kind.trim_start_matches("a ").trim_start_matches("an ") {
        "string" => "text",
        "integer" | "i64" | "u64" | "i64 integer" => "heltal",
        "float" | "f64" | "floating point" => "tal",
        "boolean" => "true eller false",
        "sequence" => "lista",
        "map" | "struct" => "tabell",
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
    use crate::config::{ReportFile, SectionEntry};
    use crate::diagnostic::Sources;

    #[test]
    fn field_lists_come_from_the_types() {
        assert!(fields_of::<ReportFile>().contains(&"namnd"));
        assert!(fields_of::<SectionEntry>().contains(&"rubrik"));
    }

    #[test]
    fn every_unknown_key_is_reported_with_a_did_you_mean() {
        fn schema(path: &[&str]) -> &'static [&'static str] {
            match path {
                [] => &["titel", "avsnitt"],
                _ => &["rubrik"],
            }
        }
        #[derive(serde::Deserialize)]
        struct Section {
            #[allow(dead_code)]
            rubrik: String,
        }
        #[derive(serde::Deserialize)]
        struct File {
            #[allow(dead_code)]
            titel: String,
            #[allow(dead_code)]
            avsnitt: Vec<Section>,
        }
        let text =
            "titel = \"a\"\n\"nämnd\" = 1\n[[avsnitt]]\nrubrik = \"x\"\n[[avsnitt]]\nrubrik = \"y\"\nrubrk = \"z\"\n";
        let mut sources = Sources::default();
        let source = sources.add("r.toml", text);
        let (_, problems) = parse::<File>(text, source, schema).unwrap();
        let shown: Vec<String> =
            problems.iter().map(|p| format!("{} {} {:?}", sources.position(p).unwrap(), p.message, p.hints)).collect();
        assert_eq!(
            shown,
            [
                "r.toml:2:1 okänd nyckel `nämnd` [\"tillåtna nycklar här: titel, avsnitt\"]",
                "r.toml:7:1 okänd nyckel `rubrk` [\"menade du `rubrik`?\"]",
            ]
        );
    }

    #[test]
    fn swedish_letters_in_bare_keys_get_the_folded_spelling() {
        let text = "titel = \"a\"\nnämnd = \"b\"\n";
        let mut sources = Sources::default();
        let source = sources.add("r.toml", text);
        let problems = parse::<toml::Table>(text, source, |_| &[]).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].message, "nyckeln `nämnd` har tecken som inte får stå i en nyckel");
        assert_eq!(sources.position(&problems[0]).unwrap(), "r.toml:2:1");
        assert!(problems[0].hints[0].ends_with("skriv `namnd`"), "{:?}", problems[0].hints);
    }

    #[test]
    fn characters_no_font_has_are_found_in_strings_not_comments() {
        let text = "# kommentar 漢字\ntitel = \"Hej 漢字 och 😀 مرحبا\"\ntext = '''\nrad två ひらがな\n'''\n";
        let mut sources = Sources::default();
        let source = sources.add("k.toml", text);
        let problems = unshowable_characters(text, source);
        let shown: Vec<String> =
            problems.iter().map(|p| format!("{} {}", sources.position(p).unwrap(), p.message)).collect();
        assert_eq!(
            shown,
            [
                "k.toml:2:14 tecknet `漢字` (U+6F22 U+5B57) finns inte i rapportens typsnitt och kan inte visas",
                "k.toml:4:9 tecknet `ひらがな` (U+3072 U+3089 U+304C) finns inte i rapportens typsnitt och kan inte visas",
            ]
        );
        assert!(unshowable_characters("a = \"Åsa, Ωμέγα, Жук, שלום, مرحبا, 😀🎉, −21,5 %\"", source).is_empty());
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

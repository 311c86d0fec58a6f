//! Keyword values people write in the project's files (`typ = "stapel"`,
//! `status = "godkänd"`, `form = "bred"`): one parser for all of them, which
//! forgives case and å, ä, ö, accepts the listed alternative spellings, and
//! answers a wrong value with the nearest right one or the whole list.

use crate::diagnostic::{Diagnostic, Located, fold_swedish, suggest};

/// A closed set of values written as words.
pub trait Keyword: Copy + 'static {
    /// What the value is, for messages: "rapporttyp", "status".
    const WHAT: &'static str;
    /// Every accepted spelling with its value; the first spelling of each
    /// value is the one shown in hints.
    const WORDS: &'static [(&'static str, Self)];
}

/// Reads a keyword value; a wrong one is an error at its place.
pub fn parse<K: Keyword + PartialEq>(written: &Located<String>) -> Result<K, Diagnostic> {
    if let Some(value) = find(&written.value) {
        return Ok(value);
    }
    let shown = names::<K>();
    let hint = suggest(written.value.trim(), shown.iter().copied(), format!("skriv {}", or_list(&shown)));
    Err(written.error(format!("okänd {} `{}`", K::WHAT, written.value.trim())).hint(hint))
}

/// The value a word stands for, if any (for words typed on the command line).
pub fn find<K: Keyword>(text: &str) -> Option<K> {
    let folded = fold_swedish(text.trim());
    K::WORDS.iter().find(|(word, _)| fold_swedish(word) == folded).map(|(_, value)| *value)
}

/// The name of a value as hints and documents show it.
pub fn name<K: Keyword + PartialEq>(value: K) -> &'static str {
    K::WORDS.iter().find(|(_, v)| *v == value).map_or("?", |(word, _)| word)
}

/// The shown name of every value, in order.
pub fn names<K: Keyword + PartialEq>() -> Vec<&'static str> {
    let mut shown: Vec<&'static str> = Vec::new();
    for (index, (word, value)) in K::WORDS.iter().enumerate() {
        if K::WORDS[..index].iter().all(|(_, earlier)| earlier != value) {
            shown.push(word);
        }
    }
    shown
}

/// `"a", "b" eller "c"`.
fn or_list(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} eller {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{SourceId, Span};

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Form {
        Long,
        Wide,
    }

    impl Keyword for Form {
        const WHAT: &'static str = "form";
        const WORDS: &'static [(&'static str, Form)] =
            &[("lang", Form::Long), ("lång", Form::Long), ("bred", Form::Wide)];
    }

    fn written(text: &str) -> Located<String> {
        let span = Span { source: test_source(), start: 0, end: text.len() as u32 };
        Located::new(text.to_string(), span)
    }

    fn test_source() -> SourceId {
        let mut sources = crate::diagnostic::Sources::default();
        sources.add("r.toml", "")
    }

    #[test]
    fn keywords_forgive_case_and_swedish_letters() {
        assert_eq!(parse::<Form>(&written("LÅNG")), Ok(Form::Long));
        assert_eq!(parse::<Form>(&written(" bred ")), Ok(Form::Wide));
        let problem = parse::<Form>(&written("brd")).unwrap_err();
        assert_eq!(problem.message, "okänd form `brd`");
        assert_eq!(problem.hints, ["menade du `bred`?"]);
        assert_eq!(parse::<Form>(&written("xyz")).unwrap_err().hints, ["skriv \"lang\" eller \"bred\""]);
        assert_eq!(names::<Form>(), ["lang", "bred"]);
        assert_eq!(name(Form::Wide), "bred");
    }
}

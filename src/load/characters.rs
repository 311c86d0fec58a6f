//! Characters people cannot see, in the texts they write and the data they
//! export, dealt with when a file is loaded (before anything quotes or lays
//! out the text):
//!
//! - control characters (U+0000, backspace, escape …) cannot be shown and
//!   would fail late in PDF export; in a message snippet they could drive
//!   the terminal. Each file's first one is an error at its place.
//! - invisible and reordering characters (U+202A–U+202E, U+2066–U+2069,
//!   U+200E, U+200F and the zero-width ones) hide or reverse text: U+202E
//!   turns "−12,5 mnkr" into "rknm 5,21−". They are removed, with a warning
//!   at each place. Nothing of ours is inserted before this, so every one
//!   found came with the user's text.
//! - emoji are refused: the embedded fonts have no colour emoji, and a
//!   board's paper should read the same printed and in a screen reader.
//!
//! In a TOML file only the contents of strings are text (`\u202E`, `\b` and
//! `\e` escapes count as the characters they stand for); a CSV file is text
//! throughout.

use std::ops::Range;

use crate::diagnostic::{Diagnostic, SourceId, Sources, Span};

/// What a character is, when it needs dealing with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Control,
    Invisible,
    Emoji,
}

fn kind(c: char) -> Option<Kind> {
    match c {
        '\t' | '\n' | '\r' => None,
        c if c.is_control() => Some(Kind::Control),
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' => {
            Some(Kind::Invisible)
        }
        '\u{FEFF}' => Some(Kind::Invisible),
        '\u{1F000}'..='\u{1FAFF}' | '\u{FE0F}' => Some(Kind::Emoji),
        _ => None,
    }
}

/// The Swedish name of a character this module deals with.
fn name(c: char) -> &'static str {
    match c {
        '\0' => "nolltecken",
        '\u{8}' => "backsteg",
        '\u{C}' => "sidmatning",
        '\u{1B}' => "escape, som styr terminalen",
        '\u{7F}' => "delete",
        '\u{200B}' => "blanksteg utan bredd",
        '\u{200C}' | '\u{200D}' => "sammanfogare utan bredd",
        '\u{200E}' | '\u{200F}' => "riktningsmarkering",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "ändrar läsriktningen",
        '\u{FEFF}' => "byteordningsmärke, osynligt",
        '\u{2060}'..='\u{2064}' => "osynligt tecken",
        _ => "styrtecken",
    }
}

/// `U+202E (ändrar läsriktningen)`: how a message names a character.
pub fn described(c: char) -> String {
    format!("U+{:04X} ({})", c as u32, name(c))
}

/// The characters of `text` that do not show, named (`U+FEFF
/// (byteordningsmärke, osynligt)`), for a message that quotes the text: a
/// number that looks right but is not.
pub fn hidden_in(text: &str) -> Option<String> {
    let hidden: Vec<String> = text
        .chars()
        .filter(|&c| kind(c).is_some_and(|k| k != Kind::Emoji) || (c.is_whitespace() && c != ' ') || c.is_control())
        .map(|c| match c {
            '\u{A0}' => "U+00A0 (hårt blanksteg)".to_string(),
            '\t' => "U+0009 (tabb)".to_string(),
            c if kind(c).is_some() || c.is_control() => described(c),
            c => format!("U+{:04X} (blanktecken)", c as u32),
        })
        .collect();
    (!hidden.is_empty()).then(|| hidden.join(", "))
}

/// A character found: where it was written (in the file as read), what it
/// stands for, and how many bytes of the file it takes (more for an
/// escape).
struct Found {
    at: usize,
    written: usize,
    c: char,
    kind: Kind,
}

/// The problems of a text and the text with the invisible characters
/// removed; the problems' places are in the cleaned text, which is what is
/// registered, parsed and quoted.
pub struct Cleaned {
    text: String,
    problems: Vec<(Range<usize>, Kind, Vec<char>, usize)>,
}

impl Cleaned {
    /// Registers the cleaned text under `name`; returns its id and the
    /// messages, at their places in it.
    pub fn register(self, sources: &mut Sources, name: String) -> (SourceId, Vec<Diagnostic>) {
        let source = sources.add(name, self.text);
        let problems = self.problems.iter().map(|(range, kind, chars, total)| {
            let written = &sources.text(source)[range.clone()];
            let escaped = written.len() == 2 && written.starts_with('\\');
            problem(source, range.clone(), *kind, chars, *total, escaped)
        });
        (source, problems.collect())
    }
}

/// `escaped`: the character was written as a TOML escape (`\e`), most
/// often the `\` of a Windows path.
fn problem(
    source: SourceId,
    range: Range<usize>,
    kind: Kind,
    chars: &[char],
    total: usize,
    escaped: bool,
) -> Diagnostic {
    let named = chars.iter().map(|&c| described(c)).collect::<Vec<_>>().join(", ");
    let span = Span::new(source, range);
    match kind {
        Kind::Control if escaped => Diagnostic::error(format!(
            "styrtecknet {named} kan inte stå i en text; det blev av \\ och bokstaven efter, som inom \"…\" är ett specialtecken i TOML"
        ))
        .at(span)
        .hint("en sökväg skrivs med / mellan mapparna (siffror/ekonomi.csv) eller inom enkla citattecken ('siffror\\ekonomi.csv'); ett \\ i en text skrivs \\\\"),
        Kind::Control => {
            let more = if total > 1 { format!(" (filen har {total} sådana tecken)") } else { String::new() };
            Diagnostic::error(format!("styrtecknet {named} kan inte stå i en text{more}"))
                .at(span)
                .hint("ta bort det; det syns inte och kan inte visas i en PDF (det följer ibland med vid kopiering från ett annat program)")
        }
        Kind::Invisible => Diagnostic::warning(format!("det osynliga tecknet {named} togs bort här"))
            .at(span)
            .hint("osynliga tecken kan dölja eller vända på text (−12,5 kan visas som 5,21−); de följer ofta med vid kopiering från webben eller Word"),
        Kind::Emoji => {
            let shown: String = chars.iter().collect();
            let codes: Vec<String> = chars.iter().map(|&c| format!("U+{:04X}", c as u32)).collect();
            Diagnostic::error(format!("emoji kan inte visas i rapporten: `{shown}` ({})", codes.join(" ")))
            .at(span)
            .hint("skriv med ord i stället; rapportens typsnitt har inga färgemoji, och en nämndhandling ska läsas likadant utskriven och med skärmläsare")
        }
    }
}

/// Whether a problem is that of a control character (the file cannot be
/// read further).
pub fn is_control_character(problem: &Diagnostic) -> bool {
    problem.is_error() && problem.message.starts_with("styrtecknet")
}

/// Checks a TOML file's strings.
pub fn toml(text: String) -> Cleaned {
    let mut found = Vec::new();
    for (range, basic) in super::toml_file::string_contents(&text) {
        scan(&text, range, basic, &mut found);
    }
    clean(text, found)
}

/// Checks a text that is text throughout (a CSV file, a Markdown
/// commentary).
pub fn plain(text: String) -> Cleaned {
    let mut found = Vec::new();
    scan(&text, 0..text.len(), false, &mut found);
    clean(text, found)
}

fn scan(text: &str, range: Range<usize>, escapes: bool, found: &mut Vec<Found>) {
    let part = &text[range.clone()];
    let mut chars = part.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        let at = range.start + offset;
        if escapes && c == '\\' {
            let Some(&(_, next)) = chars.peek() else { break };
            chars.next();
            let digits = match next {
                'u' => 4,
                'U' => 8,
                'b' | 'f' | 'e' => {
                    let c = match next {
                        'b' => '\u{8}',
                        'f' => '\u{C}',
                        _ => '\u{1B}',
                    };
                    found.push(Found { at, written: 2, c, kind: Kind::Control });
                    continue;
                }
                _ => continue,
            };
            let hex = part.get(offset + 2..offset + 2 + digits).unwrap_or("");
            let escaped = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
            if let Some(c) = escaped
                && hex.len() == digits
                && let Some(kind) = kind(c)
            {
                found.push(Found { at, written: 2 + digits, c, kind });
            }
            continue;
        }
        // Printable ASCII, most of any file, is never a problem.
        if c == ' ' || c.is_ascii_graphic() {
            continue;
        }
        // U+FE0F turns the character before it into an emoji (`❤️`).
        if c == '\u{FE0F}'
            && let Some(before) =
                part[..offset].chars().next_back().filter(|&b| kind(b).is_none() && !b.is_whitespace())
        {
            let start = at - before.len_utf8();
            found.push(Found { at: start, written: before.len_utf8() + c.len_utf8(), c: before, kind: Kind::Emoji });
        } else if let Some(kind) = kind(c) {
            found.push(Found { at, written: c.len_utf8(), c, kind });
        }
    }
}

/// Removes the invisible characters (runs of them give one warning) and
/// collects the problems: the first control character of the file, each
/// run of invisible characters, each run of emoji.
fn clean(text: String, found: Vec<Found>) -> Cleaned {
    if found.is_empty() {
        return Cleaned { text, problems: Vec::new() };
    }
    let controls = found.iter().filter(|f| f.kind == Kind::Control).count();
    let mut cleaned = String::with_capacity(text.len());
    let mut copied = 0;
    let mut problems: Vec<(Range<usize>, Kind, Vec<char>, usize)> = Vec::new();
    let mut first_control = true;
    for one in found {
        let contiguous = |problems: &Vec<(Range<usize>, Kind, Vec<char>, usize)>, at: usize| {
            problems.last().is_some_and(|(range, kind, _, _)| *kind == one.kind && range.end == at)
        };
        cleaned.push_str(&text[copied..one.at]);
        copied = one.at;
        let here = cleaned.len();
        match one.kind {
            Kind::Invisible => {
                copied += one.written;
                if contiguous(&problems, here) {
                    problems.last_mut().expect("checked").2.push(one.c);
                } else {
                    problems.push((here..here, Kind::Invisible, vec![one.c], 0));
                }
            }
            Kind::Emoji => {
                cleaned.push_str(&text[one.at..one.at + one.written]);
                copied += one.written;
                if contiguous(&problems, here) {
                    let last = problems.last_mut().expect("checked");
                    last.0.end = cleaned.len();
                    last.2.push(one.c);
                } else {
                    problems.push((here..cleaned.len(), Kind::Emoji, vec![one.c], 0));
                }
            }
            Kind::Control if first_control => {
                first_control = false;
                problems.push((here..here + one.written, Kind::Control, vec![one.c], controls));
            }
            Kind::Control => {}
        }
    }
    cleaned.push_str(&text[copied..]);
    // An emoji's variation selector is part of it, not another emoji.
    for (_, kind, chars, _) in &mut problems {
        if *kind == Kind::Emoji && chars.len() > 1 {
            chars.retain(|&c| c != '\u{FE0F}');
        }
    }
    Cleaned { text: cleaned, problems }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(cleaned: Cleaned) -> Vec<String> {
        let (_, problems) = cleaned.register(&mut Sources::default(), "test".into());
        problems.iter().map(|d| format!("{:?} {}", d.location.map(|s| s.range()), d.message)).collect()
    }

    #[test]
    fn reordering_characters_are_removed_with_a_warning_at_their_place() {
        let text = "text = \"Avvikelse \u{202E}−12,5 mnkr\u{202C}.\"\n";
        let cleaned = toml(text.into());
        assert_eq!(cleaned.text, "text = \"Avvikelse −12,5 mnkr.\"\n");
        let at = "text = \"Avvikelse ".len();
        let after = "text = \"Avvikelse −12,5 mnkr".len();
        assert_eq!(
            messages(cleaned),
            [
                format!("Some({at}..{at}) det osynliga tecknet U+202E (ändrar läsriktningen) togs bort här"),
                format!("Some({after}..{after}) det osynliga tecknet U+202C (ändrar läsriktningen) togs bort här"),
            ]
        );
    }

    #[test]
    fn escapes_count_as_what_they_stand_for_and_comments_are_not_text() {
        let cleaned = toml("# \u{200B} i en kommentar\na = \"x\\u200By\"\nb = 'c:\\u200B'\nc = \"d\\be\"\n".into());
        assert_eq!(cleaned.text, "# \u{200B} i en kommentar\na = \"xy\"\nb = 'c:\\u200B'\nc = \"d\\be\"\n");
        let shown = messages(cleaned);
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(shown[0].contains("U+200B (blanksteg utan bredd) togs bort"), "{shown:?}");
        assert!(shown[1].contains("styrtecknet U+0008 (backsteg) kan inte stå i en text"), "{shown:?}");
    }

    #[test]
    fn the_first_control_character_of_a_file_is_its_error_with_the_count() {
        let shown = messages(plain("enhet;matt\n\u{1B}[31mvo;x\0\n".into()));
        assert_eq!(
            shown,
            [
                "Some(11..12) styrtecknet U+001B (escape, som styr terminalen) kan inte stå i en text (filen har 2 sådana tecken)"
            ]
        );
    }

    #[test]
    fn emoji_are_refused_and_a_byte_order_mark_in_a_number_is_named() {
        let shown = messages(toml("text = \"Bra jobbat 👍🏽 och ❤\u{FE0F}!\"\n".into()));
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(shown[0].contains("emoji kan inte visas i rapporten: `👍🏽` (U+1F44D U+1F3FD)"), "{shown:?}");
        assert!(shown[1].contains("emoji kan inte visas i rapporten: `❤` (U+2764)"), "{shown:?}");
        let cleaned = plain("vo;utfall;2023-09;\u{FEFF}2,5\n".into());
        assert_eq!(cleaned.text, "vo;utfall;2023-09;2,5\n");
        assert!(messages(cleaned)[0].contains("U+FEFF (byteordningsmärke, osynligt) togs bort"));
    }
}

//! CSV files as controllers deliver them: from Excel or a finance system
//! (`;`, `,` or tab; UTF-8 with or without BOM, UTF-16, or Windows-1252;
//! CRLF), read as rows of text cells with their line and column.

use std::ops::Range;

use crate::diagnostic::{Diagnostic, SourceId, Span};
use crate::keyword::Keyword;
use crate::load::rows::{Row, Rows, Value};

/// The text encodings we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Windows1252,
}

impl Keyword for Encoding {
    const WHAT: &'static str = "kodning";
    const WORDS: &'static [(&'static str, Encoding)] = &[
        ("utf-8", Encoding::Utf8),
        ("utf8", Encoding::Utf8),
        ("utf_8", Encoding::Utf8),
        ("windows-1252", Encoding::Windows1252),
        ("windows_1252", Encoding::Windows1252),
        ("cp1252", Encoding::Windows1252),
        ("latin1", Encoding::Windows1252),
        ("iso-8859-1", Encoding::Windows1252),
    ];
}

/// The field separator of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delimiter(pub u8);

impl Keyword for Delimiter {
    const WHAT: &'static str = "avgränsare";
    const WORDS: &'static [(&'static str, Delimiter)] = &[
        (";", Delimiter(b';')),
        (",", Delimiter(b',')),
        ("\\t", Delimiter(b'\t')),
        ("\t", Delimiter(b'\t')),
        ("tab", Delimiter(b'\t')),
        ("tabb", Delimiter(b'\t')),
    ];
}

/// Turns file bytes into text: a UTF-8 BOM is dropped; UTF-16 with a BOM
/// (Excel's "Unicode text") is decoded; bytes that are not UTF-8 are read as
/// Windows-1252 (what Excel on Swedish Windows writes), unless the report
/// file declared the encoding. Binary files (NUL bytes) are refused.
/// Takes the bytes, so that UTF-8 (a file of a million rows) becomes text
/// without a copy.
pub fn decode(bytes: Vec<u8>, declared: Option<Encoding>) -> Result<String, String> {
    if let Some((encoding, rest)) = [(encoding_rs::UTF_16LE, b"\xFF\xFE"), (encoding_rs::UTF_16BE, b"\xFE\xFF")]
        .into_iter()
        .find_map(|(encoding, bom)| bytes.strip_prefix(bom.as_slice()).map(|rest| (encoding, rest)))
    {
        let (text, _) = encoding.decode_without_bom_handling(rest);
        return Ok(text.into_owned());
    }
    if bytes.contains(&0) {
        return Err("filen ser inte ut som text (den innehåller binära data); spara den som CSV (semikolonavgränsad) eller ange ett Excelblad".to_string());
    }
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    match (String::from_utf8(bytes), declared) {
        (Ok(mut text), None | Some(Encoding::Utf8)) => {
            text.drain(..bom);
            Ok(text)
        }
        (Err(error), Some(Encoding::Utf8)) => {
            let bytes = &error.as_bytes()[bom..];
            let offset = error.utf8_error().valid_up_to() - bom;
            let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(format!(
                "filen är inte giltig UTF-8 (rad {line}, byte {}); spara den som UTF-8 eller ange kodning = \"windows-1252\"",
                offset + 1
            ))
        }
        (Ok(text), Some(Encoding::Windows1252)) => {
            Ok(encoding_rs::WINDOWS_1252.decode_without_bom_handling(&text.as_bytes()[bom..]).0.into_owned())
        }
        (Err(error), None | Some(Encoding::Windows1252)) => {
            Ok(encoding_rs::WINDOWS_1252.decode_without_bom_handling(&error.as_bytes()[bom..]).0.into_owned())
        }
    }
}

/// Guesses the separator from the first lines (title lines above the
/// header may have none, and decimal commas are not separators): the one
/// of `;`, tab and `,` outside quotes that splits the most lines into the
/// same number of fields (`;` wins a tie, since Swedish Excel writes it).
pub fn detect_delimiter(text: &str) -> u8 {
    let lines: Vec<[usize; 3]> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .take(LINES_FOR_DELIMITER)
        .map(|line| {
            let mut counts = [0usize; 3];
            let mut quoted = false;
            for c in line.chars() {
                match c {
                    '"' => quoted = !quoted,
                    ';' if !quoted => counts[0] += 1,
                    '\t' if !quoted => counts[1] += 1,
                    ',' if !quoted => counts[2] += 1,
                    _ => {}
                }
            }
            counts
        })
        .collect();
    // For each candidate: how many lines share its most common (non-zero) count.
    let agreeing = |i: usize| {
        let counts: Vec<usize> = lines.iter().map(|c| c[i]).filter(|&n| n > 0).collect();
        counts.iter().map(|n| counts.iter().filter(|m| *m == n).count()).max().unwrap_or(0)
    };
    let candidates = [b';', b'\t', b','];
    let best = (0..3).max_by_key(|&i| (agreeing(i), 3 - i)).unwrap_or(0);
    candidates[best]
}

/// How many lines the separator is guessed from.
const LINES_FOR_DELIMITER: usize = 30;

/// The rows of a CSV text registered as `source`.
pub struct CsvRows<'a> {
    text: &'a str,
    source: SourceId,
    delimiter: u8,
    reader: csv::Reader<&'a [u8]>,
    record: csv::ByteRecord,
    spans: Vec<Range<usize>>,
}

impl<'a> CsvRows<'a> {
    pub fn new(text: &'a str, source: SourceId, delimiter: Option<u8>) -> CsvRows<'a> {
        let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(text));
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        CsvRows { text, source, delimiter, reader, record: csv::ByteRecord::new(), spans: Vec::new() }
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }
}

impl Rows for CsvRows<'_> {
    fn source(&self) -> SourceId {
        self.source
    }

    fn next_row(&mut self, row: &mut Row) -> Result<bool, Diagnostic> {
        row.clear();
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => return Ok(false),
            Ok(true) => {}
            Err(error) => {
                let offset = error.position().map_or(0, |p| p.byte() as usize).min(self.text.len());
                return Err(Diagnostic::error(format!("filen kan inte läsas som CSV: {error}"))
                    .at(Span::new(self.source, offset..offset)));
            }
        }
        let start = self.record.position().map_or(0, |p| p.byte() as usize);
        field_spans(self.text, start, self.delimiter, &mut self.spans);
        for (index, field) in self.record.iter().enumerate() {
            let span = self.spans.get(index).or(self.spans.last()).cloned().unwrap_or(0..0);
            let text = std::str::from_utf8(field).unwrap_or("");
            row.push(Value::Text, text, Span::new(self.source, span));
        }
        Ok(true)
    }
}

/// Byte ranges of the fields of the record starting at `start`, found by
/// scanning the text once (the CSV reader does not keep field positions).
fn field_spans(text: &str, start: usize, delimiter: u8, spans: &mut Vec<Range<usize>>) {
    spans.clear();
    let bytes = text.as_bytes();
    let mut pos = start.min(bytes.len());
    // After a CRLF the reader's record position can point at the `\n`.
    while pos < bytes.len() && (bytes[pos] == b'\n' || bytes[pos] == b'\r') {
        pos += 1;
    }
    loop {
        let field_start = pos;
        let mut quoted = false;
        while pos < bytes.len() {
            let b = bytes[pos];
            if b == b'"' {
                quoted = !quoted;
            } else if !quoted && (b == delimiter || b == b'\n' || b == b'\r') {
                break;
            }
            pos += 1;
        }
        spans.push(trim_span(text, field_start..pos));
        if pos >= bytes.len() || bytes[pos] != delimiter {
            return;
        }
        pos += 1;
    }
}

/// Narrows a span to its content without surrounding spaces and quotes;
/// an empty field keeps its position.
fn trim_span(text: &str, span: Range<usize>) -> Range<usize> {
    let pad = |c: char| c.is_whitespace() || c == '"';
    let field = &text[span.clone()];
    let after_start = field.trim_start_matches(pad);
    if after_start.is_empty() {
        return span.start..span.start;
    }
    let start = span.start + (field.len() - after_start.len());
    start..start + after_start.trim_end_matches(pad).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_delimiter() {
        assert_eq!(detect_delimiter("enhet;matt;period;varde\n"), b';');
        assert_eq!(detect_delimiter("enhet,matt,period,varde\n"), b',');
        assert_eq!(detect_delimiter("enhet\tmatt\tperiod\tvarde\n"), b'\t');
        assert_eq!(detect_delimiter("\"a,b\";c\n"), b';');
    }

    #[test]
    fn decodes_utf16_and_refuses_binary_data() {
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("enhet;vård".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(utf16, None).unwrap(), "enhet;vård");
        assert!(decode(b"a\0b".to_vec(), None).unwrap_err().starts_with("filen ser inte ut som text"));
    }

    #[test]
    fn decodes_windows_1252_and_strips_the_bom() {
        assert_eq!(decode(b"\xEF\xBB\xBFenhet".to_vec(), None).unwrap(), "enhet");
        assert_eq!(decode(b"V\xE5rdcentral".to_vec(), None).unwrap(), "Vårdcentral");
        assert!(decode(b"V\xE5rd".to_vec(), Some(Encoding::Utf8)).is_err());
        // The place of the first bad byte counts from after the BOM.
        let bad = decode(b"\xEF\xBB\xBFa\nV\xE5rd".to_vec(), Some(Encoding::Utf8)).unwrap_err();
        assert!(bad.contains("(rad 2, byte 4)"), "{bad}");
        let windows = decode(b"\xEF\xBB\xBFV\xC3\xA5rd".to_vec(), Some(Encoding::Windows1252)).unwrap();
        assert_eq!(windows, "VÃ¥rd", "declared Windows-1252 is read as such, BOM or not");
    }

    #[test]
    fn quoted_fields_keep_their_place() {
        let mut sources = crate::diagnostic::Sources::default();
        let text = "a,\"b,c\" , d\r\n";
        let source = sources.add("t.csv", text);
        let mut rows = CsvRows::new(text, source, None);
        let mut row = Row::default();
        assert!(rows.next_row(&mut row).unwrap());
        assert_eq!((row.text(0), row.text(1), row.text(2)), ("a", "b,c", "d"));
        assert_eq!(sources.place(row.cell(1).unwrap().span).to_string(), "t.csv:1:4");
        assert!(!rows.next_row(&mut row).unwrap());
    }
}

//! Texts with placeholders as validated: commentary (Markdown made into
//! paragraphs, lists and runs of styled text) and one-line templates
//! (headings, footnotes). They are data, never Typst code; the parser is in
//! `validate/text.rs`.

use crate::diagnostic::{SourceId, Span};
use crate::keyword::Keyword;
use crate::model::{MetricId, UnitId};
use crate::period::Period;

/// Review status of a commentary file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// `utkast`: not to be published; the report is marked UTKAST.
    Draft,
    /// `granskad`: checked by someone else.
    Reviewed,
    /// `godkänd`: approved for publication.
    Approved,
}

impl Keyword for Status {
    const WHAT: &'static str = "status";
    const WORDS: &'static [(&'static str, Status)] =
        &[("utkast", Status::Draft), ("granskad", Status::Reviewed), ("godkänd", Status::Approved)];
}

/// Who approved a text and when (`statusrapport godkann`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub by: String,
    /// `2023-10-12`, as written.
    pub date: String,
}

/// The fingerprint of a text as approved: the same for the same words
/// whatever the line endings or trailing spaces an editor leaves.
pub fn text_fingerprint(text: &str) -> String {
    let normalised: Vec<&str> = text.trim().lines().map(str::trim_end).collect();
    crate::context::sha256(normalised.join("\n").as_bytes())[..16].to_string()
}

/// A commentary file after parsing and checking.
#[derive(Debug, Clone)]
pub struct Commentary {
    pub source: SourceId,
    /// The status that counts: `godkänd` only with an approval whose
    /// fingerprint is the text's.
    pub status: Status,
    pub approval: Option<Approval>,
    pub author: Option<String>,
    /// The unit the text is about (the file's, or the section's).
    pub unit: Option<UnitId>,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph (or a list item's text) and where it was written, when
    /// the text is in its file as written.
    Paragraph {
        inlines: Vec<Inline>,
        span: Option<Span>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
}

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Inline {
    pub piece: Piece,
    pub strong: bool,
    pub emphasis: bool,
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String),
    Placeholder(Placeholder),
    LineBreak,
}

/// The text of each paragraph (list items included), with placeholders
/// shown as `placeholder` says and line breaks as spaces; for checks that
/// read the text as sentences.
pub fn paragraph_texts(blocks: &[Block], placeholder: &dyn Fn(&Placeholder) -> String) -> Vec<String> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Paragraph { inlines, .. } => out.push(
                inlines
                    .iter()
                    .map(|inline| match &inline.piece {
                        Piece::Text(text) => text.clone(),
                        Piece::Placeholder(p) => placeholder(p),
                        Piece::LineBreak => " ".to_string(),
                    })
                    .collect(),
            ),
            Block::List { items, .. } => items.iter().for_each(|item| out.extend(paragraph_texts(item, placeholder))),
        }
    }
    out
}

/// Text with placeholders but no Markdown: headings, footnotes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextTemplate(pub Vec<Piece>);

impl TextTemplate {
    pub fn literal(text: &str) -> TextTemplate {
        TextTemplate(vec![Piece::Text(text.to_string())])
    }
}

/// A checked placeholder and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Placeholder {
    pub kind: PlaceholderKind,
    pub span: Span,
    /// As written, for messages.
    pub written: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlaceholderKind {
    Value {
        metric: MetricId,
        unit: UnitId,
        when: When,
    },
    /// `{lägst_månad(x)}`, `{andel_minst(x; 90)@2023-T2}`: a function of the
    /// months from January to the report month, or of the period's months.
    OverMonths {
        function: crate::formula::Function,
        metric: MetricId,
        unit: UnitId,
        when: When,
        /// The target written in the placeholder (else the metric's `mal`).
        target: Option<f64>,
    },
    /// `september 2023`
    ReportPeriod,
    /// `september`
    MonthName,
    /// `augusti`
    PreviousMonthName,
    /// `2023`
    Year,
    UnitName(UnitId),
    /// `12 oktober 2023`
    Date,
    Namnd,
}

/// Which month or period a placeholder's value is taken from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    ReportMonth,
    PreviousMonth,
    LatestAvailable,
    Period(Period),
}

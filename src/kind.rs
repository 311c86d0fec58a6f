//! The document kinds, each defined once: its name, its template and the
//! example project `new` starts from. Every property is an exhaustive
//! match, so a new kind cannot be added without all of them.

use crate::keyword::Keyword;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 16:9 slides for the nämnd.
    Statusrapport,
    /// A4 decision document.
    Tjansteskrivelse,
    /// A4 letter, e.g. to regionfullmäktige.
    Skrivelse,
    /// A4 long-form monthly follow-up.
    Manadsrapport,
}

impl Keyword for Kind {
    const WHAT: &'static str = "rapporttyp";
    const WORDS: &'static [(&'static str, Kind)] = &[
        ("statusrapport", Kind::Statusrapport),
        ("tjänsteskrivelse", Kind::Tjansteskrivelse),
        ("skrivelse", Kind::Skrivelse),
        ("månadsrapport", Kind::Manadsrapport),
    ];
}

/// The template shared by every kind: colours, fonts, footer, tables,
/// charts, commentary.
pub const SHARED_TEMPLATE: (&str, &str) = ("gemensam.typ", include_str!("../report-templates/gemensam.typ"));

/// The smallest legible text sizes of a kind, in points as the text
/// stands on the page: a chart's text after the chart is scaled into its
/// slot, not its size in the chart's own coordinates ([`Kind::legibility`]).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Legibility {
    /// Running text: the commentary.
    pub body: f64,
    /// A key figure's value.
    pub key_figure: f64,
    /// Everything else: tables, captions, notes, footers, a key figure's
    /// heading.
    pub other: f64,
    /// Text in charts (ticks, legends, value labels), as it lands on the
    /// page.
    pub chart: f64,
}

impl Legibility {
    /// The smallest of the floors: no text on a page may be smaller.
    pub fn least(self) -> f64 {
        self.body.min(self.key_figure).min(self.other).min(self.chart)
    }
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Statusrapport, Kind::Tjansteskrivelse, Kind::Skrivelse, Kind::Manadsrapport];

    /// The name people write in `typ = "…"`.
    pub fn name(self) -> &'static str {
        crate::keyword::name(self)
    }

    /// Whether the kind is built from figures (and so needs a report month).
    pub fn needs_period(self) -> bool {
        match self {
            Kind::Statusrapport | Kind::Manadsrapport => true,
            Kind::Tjansteskrivelse | Kind::Skrivelse => false,
        }
    }

    /// Whether every section needs a heading (a slide, a headed part).
    pub fn needs_headings(self) -> bool {
        self.needs_period()
    }

    /// The smallest text a reader of this kind gets, in points; the one
    /// place these floors are defined (templates get them in `/data.json`,
    /// charts are drawn so that their text stands at `chart`).
    ///
    /// WCAG names no point size: its answer to small text is zooming
    /// (1.4.4), which a projected slide and a printed page do not have. So
    /// the floors follow how each kind is read. Slides are projected at the
    /// nämnd's meeting and read across the room; Typst's 16:9 slide is
    /// 842 pt wide (A4 landscape), so 12 pt here is 13,7 pt on PowerPoint's
    /// 960 pt slide, about the least presentation guidance accepts for
    /// labels: tables, notes, footers and chart text keep 12 pt, the
    /// commentary does not shrink below it either, and a key figure, read
    /// first from the back of the room, keeps 20 pt. A4 documents are read
    /// at arm's length: 9 pt is the smallest print size for fine print
    /// (footers, notes, tables, chart labels); running text is set at 11 pt.
    pub fn legibility(self) -> Legibility {
        match self {
            Kind::Statusrapport => Legibility { body: 12.0, key_figure: 20.0, other: 12.0, chart: 12.0 },
            Kind::Tjansteskrivelse | Kind::Skrivelse | Kind::Manadsrapport => {
                Legibility { body: 9.0, key_figure: 16.0, other: 9.0, chart: 9.0 }
            }
        }
    }

    /// The kind's main template: file name and the built-in text.
    pub fn template(self) -> (&'static str, &'static str) {
        match self {
            Kind::Statusrapport => ("statusrapport.typ", include_str!("../report-templates/statusrapport.typ")),
            Kind::Tjansteskrivelse => {
                ("tjänsteskrivelse.typ", include_str!("../report-templates/tjänsteskrivelse.typ"))
            }
            Kind::Skrivelse => ("skrivelse.typ", include_str!("../report-templates/skrivelse.typ")),
            Kind::Manadsrapport => ("månadsrapport.typ", include_str!("../report-templates/månadsrapport.typ")),
        }
    }

    /// The commented example project `statusrapport new` writes: relative
    /// path and text of each file. It builds as it is.
    pub fn skeleton(self) -> &'static [(&'static str, &'static str)] {
        macro_rules! files {
            ($kind:literal: $($file:literal),+) => {
                &[$(($file, include_str!(concat!("../report-templates/nytt/", $kind, "/", $file)))),+]
            };
        }
        match self {
            Kind::Statusrapport => {
                files!("statusrapport": "rapport.toml", "siffror/ekonomi.csv", "kommentarer/vo1.md", "kommentarer/vo2.md")
            }
            Kind::Tjansteskrivelse => {
                files!("tjänsteskrivelse": "rapport.toml", "text/arendebeskrivning.md", "text/forslag.md")
            }
            Kind::Skrivelse => files!("skrivelse": "rapport.toml", "text/skrivelse.md"),
            Kind::Manadsrapport => {
                files!("månadsrapport": "rapport.toml", "siffror/resultat.csv", "kommentarer/sammanfattning.md")
            }
        }
    }
}

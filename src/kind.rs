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

/// The smallest text sizes a kind's pages may show, in points as the text
/// stands on the page: a chart's text after the chart is scaled into its
/// slot, not its size in the chart's own coordinates.
///
/// WCAG sets no size in points, so the floors follow how the pages are read.
/// Slides are projected at the nämnd's meeting and read across the room:
/// presentation guidance puts running text at 18 pt and more on a
/// PowerPoint slide (960 × 540 pt) and nothing, labels included, below
/// about 12 pt there. Typst's 16:9 slide is 842 pt wide, so 12 pt here is
/// 13,7 pt on that slide: 12 pt is the floor for all text on a slide, and a
/// key figure, read first from the back of the room, keeps 20 pt. A4
/// documents are printed and read at arm's length; print guidance puts body
/// text at 10–12 pt and fine print (footers, notes, chart labels) no
/// smaller than 9 pt, the floor here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Legibility {
    /// Running text: commentary, tables, notes, headers and footers.
    pub body: f64,
    /// The value of a key figure.
    pub key_figure: f64,
    /// Text in a chart: ticks, legends, value labels.
    pub chart_text: f64,
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

    /// The smallest text sizes the kind's pages may show.
    pub fn legibility(self) -> Legibility {
        match self {
            Kind::Statusrapport => Legibility { body: 12.0, key_figure: 20.0, chart_text: 12.0 },
            Kind::Tjansteskrivelse | Kind::Skrivelse | Kind::Manadsrapport => {
                Legibility { body: 9.0, key_figure: 16.0, chart_text: 9.0 }
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

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

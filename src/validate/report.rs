//! The report file's header (kind, title, period, date), its units and the
//! units that `*` sections and per-unit PDFs are for.

use chrono::NaiveDate;

use crate::config::{PerUnit, Person as PersonEntry, ReportFile};
use crate::context::Context;
use crate::diagnostic::Located;
use crate::keyword;
use crate::model::{Kind, Layout, Overflow, Person, Unit, UnitId};
use crate::period::Month;
use crate::validate::names::{self, Names};

/// What the report is and when.
pub struct Header {
    /// `None` if the kind was wrong (reported); validation goes on to find
    /// the other problems.
    pub kind: Option<Kind>,
    pub period: Option<Month>,
    pub date: Option<NaiveDate>,
}

/// The header; `None` stops validation, when a missing or wrong period
/// would make every placeholder and chart report it again.
pub fn header(cx: &mut Context, config: &ReportFile) -> Option<Header> {
    let kind = cx.take(keyword::parse::<Kind>(&config.typ));
    if config.titel.text().is_none() {
        cx.report(
            config
                .titel
                .error("rapporten saknar titel")
                .hint("titeln blir dokumentets titel i PDF-filen; skriv titel = \"…\""),
        );
    }
    let period = match &config.period {
        Some(written) => Some(cx.take(names::month(written))?),
        None if kind.is_some_and(Kind::needs_period) => {
            cx.report(
                config
                    .typ
                    .error("rapporten saknar period")
                    .hint("ange rapportmånaden, till exempel period = \"2023-09\""),
            );
            return None;
        }
        None => None,
    };
    let date = match &config.datum {
        Some(written) => cx.take(names::date(written)),
        None => period.map(Month::last_day),
    };
    if config.datum.is_none() && period.is_none() {
        cx.report(config.titel.error("rapporten saknar datum").hint("ange datum = \"ÅÅÅÅ-MM-DD\""));
    }
    Some(Header { kind, period, date })
}

/// The most space between paragraphs, in points: more parts a text, not
/// its paragraphs.
const MOST_PARAGRAPH_SPACING: f64 = 36.0;

/// The layout keys (`titelsida`, `diagram_per_bild`, `styckeavstand`,
/// `ryms_inte`); a
/// value out of range is reported and the default used.
pub fn layout(cx: &mut Context, config: &ReportFile) -> Layout {
    let charts_per_slide = match &config.diagram_per_bild {
        Some(n) if ![1, 2].contains(n.get_ref()) => {
            cx.report(
                n.error("diagram_per_bild ska vara 1 eller 2")
                    .hint("1: varje diagram på en egen bild; 2: två diagram i ett avsnitt delar bild"),
            );
            1
        }
        Some(n) => *n.get_ref() as u8,
        None => 1,
    };
    let paragraph_spacing = match &config.styckeavstand {
        Some(space) if !(0.0..=MOST_PARAGRAPH_SPACING).contains(space.get_ref()) => {
            cx.report(
                space
                    .error(format!("styckeavstand ska vara 0–{MOST_PARAGRAPH_SPACING} punkter"))
                    .hint("som \"Avstånd efter\" i Word, till exempel styckeavstand = 6"),
            );
            6.0
        }
        Some(space) => *space.get_ref(),
        None => 6.0,
    };
    let overflow = match &config.ryms_inte {
        Some(written) => cx.take(keyword::parse(written)).unwrap_or_default(),
        None => Overflow::default(),
    };
    Layout { title_page: config.titelsida.unwrap_or(true), charts_per_slide, paragraph_spacing, overflow }
}

pub fn units(cx: &mut Context, config: &ReportFile) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    for entry in &config.enhet {
        // An invalid id is reported; the unit stays so that the data and
        // texts naming it are not reported as well.
        cx.take(names::id(&entry.id, "id för en enhet"));
        if units.iter().any(|u| &u.id == entry.id.get_ref()) {
            cx.report(
                entry
                    .id
                    .error(format!("enheten `{}` finns redan", entry.id.get_ref()))
                    .hint("varje enhet ska ha ett eget id"),
            );
            continue;
        }
        let name = entry.namn.get_ref().trim().to_string();
        let short_name = entry.kortnamn.as_ref().map_or_else(|| name.clone(), |s| s.get_ref().trim().to_string());
        let aliases = entry.alias.iter().map(|a| a.get_ref().trim().to_string()).collect();
        units.push(Unit { id: entry.id.get_ref().clone(), name, short_name, aliases });
    }
    units
}

/// The units `*` sections and per-unit PDFs are for, checked.
pub fn star_units(cx: &mut Context, config: &ReportFile, names: Names) -> Vec<UnitId> {
    match config.per_enhet.as_ref() {
        Some(Located { value: PerUnit::Listed(listed), span }) => {
            listed.iter().filter_map(|id| cx.take(names.unit(id, *span))).collect()
        }
        Some(written @ Located { value: PerUnit::All(true), .. }) if names.units.is_empty() => {
            cx.report(
                written.error("per_enhet kräver att rapporten har enheter").hint("lägg till [[enhet]] i rapport.toml"),
            );
            Vec::new()
        }
        _ => (0..names.units.len()).collect(),
    }
}

pub fn person(entry: &PersonEntry) -> Person {
    Person {
        name: entry.namn.get_ref().trim().to_string(),
        title: entry.titel.as_ref().and_then(Located::text),
        phone: entry.telefon.as_ref().and_then(Located::text),
        email: entry.epost.as_ref().and_then(Located::text),
    }
}

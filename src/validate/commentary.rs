//! A commentary file: its status, unit and month, and its text.

use crate::context::Context;
use crate::keyword;
use crate::load::LoadedCommentary;
use crate::model::{Commentary, Status, UnitId};
use crate::validate::names::{self, Scope};
use crate::validate::text::{self, TextOrigin};

/// Checks a commentary file for a section whose unit is `section_unit`.
pub fn commentary(cx: &mut Context, loaded: &LoadedCommentary, scope: Scope) -> Option<Commentary> {
    let file = &loaded.file;
    let status = match &file.status {
        None => Status::Draft,
        Some(written) => cx.take(keyword::parse::<Status>(written))?,
    };
    let unit: Option<UnitId> = match &file.enhet {
        Some(written) => Some(cx.take(scope.names.unit_at(written))?),
        None => scope.unit,
    };
    // A copied file left with a colleague's unit would show the wrong
    // unit's figures on the slide.
    if let (Some(own), Some(section), Some(written)) = (unit, scope.unit, &file.enhet)
        && own != section
    {
        let (own, section) = (&scope.units()[own], &scope.units()[section]);
        cx.report(
            written
                .error(format!(
                    "kommentaren gäller enheten `{}` ({}), men avsnittet den hör till gäller `{}` ({})",
                    own.id, own.name, section.id, section.name
                ))
                .hint(format!(
                    "är det rätt fil (en kopia av en annan enhets kommentar?): skriv enhet = \"{}\" när texten gäller {}",
                    section.id, section.name
                )),
        );
        return None;
    }
    if let (Some(written), Some(report_period)) = (&file.period, scope.period)
        && let Some(month) = cx.take(names::month(written))
        && month != report_period
    {
        cx.report(
            written
                .warning(format!("kommentaren gäller {}, rapporten {}", month.long_name(), report_period.long_name()))
                .hint(format!("uppdatera texten och skriv period = \"{report_period}\"")),
        );
    }
    let origin = TextOrigin::of(&file.text, &cx.sources);
    match text::parse_markdown(file.text.as_str(), origin, scope.for_unit(unit)) {
        Ok(blocks) => Some(Commentary {
            source: loaded.source,
            status,
            author: file.forfattare.as_ref().map(|a| a.get_ref().trim().to_string()),
            unit,
            blocks,
        }),
        Err(problems) => {
            problems.into_iter().for_each(|p| cx.report(p));
            None
        }
    }
}

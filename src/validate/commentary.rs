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

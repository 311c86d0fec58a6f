//! A commentary file: its status, unit and month, and its text.

use crate::context::Context;
use crate::keyword;
use crate::load::LoadedCommentary;
use crate::model::{Approval, Commentary, Status, UnitId, text_fingerprint};
use crate::validate::names::{self, Scope};
use crate::validate::text::{self, TextOrigin};

/// Checks a commentary file for a section whose unit is `section_unit`.
pub fn commentary(cx: &mut Context, loaded: &LoadedCommentary, scope: Scope) -> Option<Commentary> {
    let file = &loaded.file;
    let status = match &file.status {
        None => Status::Draft,
        Some(written) => cx.take(keyword::parse::<Status>(written))?,
    };
    let (status, approval) = approval(cx, loaded, status);
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
    let origin = TextOrigin::of(&loaded.text, &cx.sources);
    match text::parse_markdown(loaded.text.as_str(), origin, scope.for_unit(unit)) {
        Ok(blocks) => Some(Commentary {
            source: loaded.source,
            status,
            approval,
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

/// The status that counts and the approval: `godkänd` holds only as
/// `statusrapport godkann` wrote it, for the text as it is now; otherwise
/// the text counts as reviewed, not approved, and a warning says why.
fn approval(cx: &mut Context, loaded: &LoadedCommentary, written: Status) -> (Status, Option<Approval>) {
    let file = &loaded.file;
    let Some(status_at) = file.status.as_ref().filter(|_| written == Status::Approved) else { return (written, None) };
    let command = "statusrapport godkann FIL --av \"Namn\"";
    let (Some(by), Some(date), Some(sum)) = (&file.godkand_av, &file.godkand_datum, &file.godkand_kontrollsumma) else {
        cx.report(status_at.warning("texten är märkt godkänd för hand och räknas inte som godkänd").hint(format!(
            "den som godkänner texten gör det med {command}; då skrivs vem, när och en kontrollsumma av texten"
        )));
        return (Status::Reviewed, None);
    };
    let approval = Approval { by: by.value.trim().to_string(), date: date.value.trim().to_string() };
    if sum.value.trim() != text_fingerprint(&loaded.text.value) {
        cx.report(
            sum.warning(format!(
                "texten har ändrats efter att {} godkände den {}; den räknas inte längre som godkänd",
                approval.by, approval.date
            ))
            .hint(format!("låt ändringen granskas och godkänn texten igen med {command}")),
        );
        return (Status::Reviewed, None);
    }
    (Status::Approved, Some(approval))
}

//! The laid-out document checked as a reader sees it: nothing runs over its
//! place, into the footer, off the page or under a clip, and no text is
//! smaller than the kind's legibility floor ([`Kind::legibility`]).
//!
//! Two sources of truth, because each sees what the other cannot:
//! - The slide template marks each fitted element (commentary, table) with
//!   `<passform>` metadata: what it is, where its content came from (an
//!   index into [`Document::origins`]), the box it was given, the size it
//!   needed and the text size it chose. An element that needed more than
//!   its box (with `ryms_inte = "fel"`, or when not even its first line
//!   fits), or chose a size below the floor, is an error naming the
//!   commentary line or the section's `rubrik` and the page.
//! - The pages' frames, walked once (the final safety net): every glyph's
//!   size after all transforms, and every text run into the footer, off
//!   the page, or outside a clipping box. This catches what a template (or
//!   a project's own template) did not mark; a problem inside a marked
//!   element names that element's origin.
//!
//! Headers, footers and the page fore- and background are artifacts
//! (decoration, not content) and are not held to the floors.
//!
//! [`Document::origins`]: crate::render::document::Document::origins

use std::collections::BTreeSet;
use std::path::Path;

use typst::foundations::{Label, Selector, StyleChain, Value};
use typst::introspection::{Introspector, Tag};
use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::pdf::{ArtifactElem, ArtifactKind};

use crate::context::Context;
use crate::diagnostic::{Diagnostic, Span};
use crate::kind::{Kind, Legibility};
use crate::model::Overflow;
use crate::render::PagedDocument;

/// The label of the metadata a template places with each fitted element.
const FIT_LABEL: &str = "passform";

/// Room for rounding: a box overrun by less is not an overrun.
const SLACK: f64 = 0.5;

/// One element a template fitted into a box.
#[derive(Debug, Clone, PartialEq)]
struct Fitted {
    /// `kommentar` or `tabell`.
    element: String,
    /// The place the content first not fitting came from.
    origin: Option<usize>,
    page: usize,
    /// Top left of the box on its page, and its size, in points.
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    needed_width: f64,
    needed_height: f64,
    /// The text size chosen, for text whose size the template chose.
    size: Option<f64>,
}

impl Fitted {
    /// Whether the content needed more than its box.
    fn overflows(&self) -> bool {
        self.needed_height > self.height + SLACK || self.needed_width > self.width + SLACK
    }
}

/// What the checks need from the report besides the pages.
pub struct Subject<'a> {
    pub kind: Kind,
    pub overflow: Overflow,
    /// Where the content came from (commentary paragraphs, sections in
    /// `rapport.toml`), as the templates refer to them.
    pub origins: &'a [Span],
    /// The file named when no better place is known (`rapport.toml`).
    pub report_file: &'a Path,
}

/// Checks the laid-out pages; problems are errors in `cx`.
pub fn check(document: &PagedDocument, subject: &Subject, cx: &mut Context) {
    let floors = subject.kind.legibility();
    let fitted = fitted(document);
    for element in &fitted {
        check_fitted(element, floors, subject, cx);
    }
    // Text running out of an element already reported is that same fault.
    let reported: Vec<&Fitted> = fitted.iter().filter(|f| f.overflows()).collect();
    let mut seen = BTreeSet::new();
    for (index, page) in document.pages().iter().enumerate() {
        let size = page.frame.size();
        let footer = footer_top(&page.frame).unwrap_or(size.y).to_pt();
        let mut walk =
            Walk { page: index + 1, floor: floors.least(), problems: Vec::new(), footer, right: size.x.to_pt() };
        walk.frame(&page.frame, Transform::identity(), None, false);
        for problem in walk.problems {
            if problem.what != Trouble::TooSmall && reported.iter().any(|f| f.page == problem.page && problem.inside(f))
            {
                continue;
            }
            // One message per page and kind of problem is enough to find it.
            if !seen.insert((problem.page, problem.what as u8)) {
                continue;
            }
            let origin = fitted
                .iter()
                .filter(|f| f.page == problem.page && f.origin.is_some())
                .find(|f| problem.inside(f))
                .and_then(|f| f.origin);
            let diagnostic = Diagnostic::error(problem.message(subject.kind, floors)).hint(problem.hint());
            cx.report(locate(diagnostic, origin, subject));
        }
    }
}

fn check_fitted(element: &Fitted, floors: Legibility, subject: &Subject, cx: &mut Context) {
    let what = match element.element.as_str() {
        "kommentar" => "kommentaren",
        "tabell" => "tabellen",
        _ => "innehållet",
    };
    let floor = match element.element.as_str() {
        "kommentar" => floors.body,
        _ => floors.other,
    };
    let page = element.page;
    if element.overflows() {
        let (needed, available, direction) = if element.needed_height > element.height + SLACK {
            (element.needed_height, element.height, "på höjden")
        } else {
            (element.needed_width, element.width, "på bredden")
        };
        let mut diagnostic = Diagnostic::error(format!(
            "{what} ryms inte på sidan {page}: behöver {} cm {direction} men har {} cm",
            centimetres(needed),
            centimetres(available),
        ));
        diagnostic = match subject.overflow {
            Overflow::Error => diagnostic.hint(
                "korta texten eller dela avsnittet i två; eller ta bort ryms_inte = \"fel\" i rapport.toml, så fortsätter det som inte ryms på en ny bild märkt (forts.)",
            ),
            Overflow::Continue => diagnostic.hint("korta texten eller dela avsnittet i två"),
        };
        cx.report(locate(diagnostic, element.origin, subject));
    }
    if let Some(size) = element.size
        && size < floor - 0.01
    {
        let diagnostic = Diagnostic::error(format!(
            "{what} på sidan {page} har {} pt text, mindre än den minsta läsbara storleken {} pt i en {}",
            points(size),
            points(floor),
            subject.kind.name()
        ))
        .hint("korta texten eller dela avsnittet i två");
        cx.report(locate(diagnostic, element.origin, subject));
    }
}

fn locate(diagnostic: Diagnostic, origin: Option<usize>, subject: &Subject) -> Diagnostic {
    match origin.and_then(|index| subject.origins.get(index)) {
        Some(span) => span.locate(diagnostic),
        None => diagnostic.in_file(subject.report_file),
    }
}

/// Points to centimetres with one decimal, Swedish style.
fn centimetres(points: f64) -> String {
    format!("{:.1}", points / 72.0 * 2.54).replace('.', ",")
}

fn points(size: f64) -> String {
    let rounded = (size * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}").replace('.', ",") }
}

/// The `<passform>` marks of the laid-out document.
fn fitted(document: &PagedDocument) -> Vec<Fitted> {
    let label = Label::new(typst::utils::PicoStr::intern(FIT_LABEL)).expect("a label name");
    let introspector = document.introspector();
    let number = |value: Option<&Value>| match value {
        Some(Value::Float(f)) => Some(*f),
        Some(Value::Int(i)) => Some(*i as f64),
        _ => None,
    };
    let mut marks = Vec::new();
    for element in introspector.query(&Selector::Label(label)) {
        let Ok(Value::Dict(mark)) = element.get_by_name("value") else { continue };
        let Some(position) = element.location().and_then(|l| introspector.position(l)) else {
            continue;
        };
        let get = |key: &str| number(mark.get(key).ok());
        let (Some(width), Some(height), Some(needed_width), Some(needed_height)) =
            (get("width"), get("height"), get("needed-width"), get("needed-height"))
        else {
            continue;
        };
        let element = match mark.get("element") {
            Ok(Value::Str(s)) => s.to_string(),
            _ => continue,
        };
        marks.push(Fitted {
            element,
            origin: get("origin").map(|o| o as usize),
            page: position.page.get(),
            x: position.point.x.to_pt(),
            y: position.point.y.to_pt(),
            width,
            height,
            needed_width,
            needed_height,
            size: get("size"),
        });
    }
    marks
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trouble {
    TooSmall,
    IntoFooter,
    OffPage,
    Clipped,
}

/// One text run that a reader cannot read as it is.
struct Problem {
    page: usize,
    what: Trouble,
    /// Where the run is on the page (its top left), and its size.
    at: Point,
    size: f64,
    text: String,
}

impl Problem {
    fn inside(&self, fitted: &Fitted) -> bool {
        let (x, y) = (self.at.x.to_pt(), self.at.y.to_pt());
        x >= fitted.x - SLACK
            && x <= fitted.x + fitted.width.max(fitted.needed_width) + SLACK
            && y >= fitted.y - SLACK
            && y <= fitted.y + fitted.height.max(fitted.needed_height) + SLACK
    }

    fn message(&self, kind: Kind, floors: Legibility) -> String {
        let (page, text) = (self.page, shorten(&self.text));
        match self.what {
            Trouble::TooSmall => format!(
                "texten \"{text}\" på sidan {page} har storleken {} pt, mindre än den minsta läsbara storleken {} pt i en {}",
                points(self.size),
                points(floors.least()),
                kind.name()
            ),
            Trouble::IntoFooter => format!("texten \"{text}\" på sidan {page} går ner i sidfoten"),
            Trouble::OffPage => format!("texten \"{text}\" på sidan {page} går ut i marginalen eller utanför sidan"),
            Trouble::Clipped => format!("texten \"{text}\" på sidan {page} klipps av"),
        }
    }

    fn hint(&self) -> &'static str {
        match self.what {
            Trouble::TooSmall => "en egen mall (mallar = …) får inte göra texten mindre än så",
            _ => "korta texten eller dela avsnittet i två",
        }
    }
}

/// The first words of a run, for a message.
fn shorten(text: &str) -> String {
    let clean: String = text.chars().filter(|c| *c != '\u{200B}').collect();
    let mut shown: String = clean.chars().take(40).collect();
    if clean.chars().count() > 40 {
        shown.push('…');
    }
    shown
}

/// A walk over one page's frames.
struct Walk {
    page: usize,
    floor: f64,
    problems: Vec<Problem>,
    /// The top of the page's footer (or the page's bottom edge), and the
    /// page's right edge.
    footer: f64,
    right: f64,
}

impl Walk {
    /// `clip`: the box (left, top, right, bottom) of the nearest clipping
    /// group; `decoration`: inside a header, footer or page artifact.
    fn frame(&mut self, frame: &Frame, ts: Transform, clip: Option<[f64; 4]>, decoration: bool) {
        let mut decoration_ends = None;
        for (position, item) in frame.items() {
            let here = ts.pre_concat(Transform::translate(position.x, position.y));
            match item {
                FrameItem::Tag(Tag::Start(content, _)) => {
                    if let Some(artifact) = content.to_packed::<ArtifactElem>()
                        && is_decoration(artifact.kind.get(StyleChain::default()))
                    {
                        decoration_ends = content.location();
                    }
                }
                FrameItem::Tag(Tag::End(location, ..)) if Some(*location) == decoration_ends => {
                    decoration_ends = None;
                }
                FrameItem::Group(group) => {
                    let inner = here.pre_concat(group.transform);
                    let marginal = decoration || decoration_ends.is_some() || decoration_kind(&group.frame).is_some();
                    let clip = match &group.clip {
                        Some(_) => {
                            let corners = [
                                Point::zero().transform(inner),
                                Point::new(group.frame.width(), group.frame.height()).transform(inner),
                            ];
                            Some([
                                corners[0].x.to_pt(),
                                corners[0].y.to_pt(),
                                corners[1].x.to_pt(),
                                corners[1].y.to_pt(),
                            ])
                        }
                        None => clip,
                    };
                    self.frame(&group.frame, inner, clip, marginal);
                }
                FrameItem::Text(text) if !decoration && decoration_ends.is_none() => {
                    self.text(text, here, clip);
                }
                _ => {}
            }
        }
    }

    fn text(&mut self, text: &typst::text::TextItem, ts: Transform, clip: Option<[f64; 4]>) {
        if text.text.trim().is_empty() {
            return;
        }
        let scale = (ts.sx.get() * ts.sy.get() - ts.kx.get() * ts.ky.get()).abs().sqrt();
        let size = text.size.to_pt() * scale;
        let ascent = text.size * 0.8;
        let descent = text.size * 0.2;
        let top_left = Point::new(Abs::zero(), -ascent).transform(ts);
        let bottom_right = Point::new(text.width(), descent).transform(ts);
        let (left, top, right, bottom) =
            (top_left.x.to_pt(), top_left.y.to_pt(), bottom_right.x.to_pt(), bottom_right.y.to_pt());
        let mut problem = |what| {
            self.problems.push(Problem { page: self.page, what, at: top_left, size, text: text.text.to_string() })
        };
        if size < self.floor - 0.01 {
            problem(Trouble::TooSmall);
        }
        if let Some([clip_left, clip_top, clip_right, clip_bottom]) = clip
            && (left < clip_left - SLACK
                || top < clip_top - SLACK
                || right > clip_right + SLACK
                || bottom > clip_bottom + SLACK)
        {
            problem(Trouble::Clipped);
        }
        if left < -SLACK || top < -SLACK || right > self.right + SLACK {
            problem(Trouble::OffPage);
        } else if bottom > self.footer + SLACK {
            problem(Trouble::IntoFooter);
        }
    }
}

/// The top of a page's footer: where the group that is the footer artifact
/// is placed.
fn footer_top(page: &Frame) -> Option<Abs> {
    page.items().find_map(|(position, item)| match item {
        FrameItem::Group(group) if decoration_kind(&group.frame) == Some(ArtifactKind::Footer) => Some(position.y),
        _ => None,
    })
}

/// Whether a frame is a header, footer or page background (and which):
/// its first introspection tag starts such an artifact.
fn decoration_kind(frame: &Frame) -> Option<ArtifactKind> {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Tag(Tag::Start(content, _)) => {
                return content
                    .to_packed::<ArtifactElem>()
                    .map(|artifact| artifact.kind.get(StyleChain::default()))
                    .filter(|kind| is_decoration(*kind));
            }
            FrameItem::Group(group) => return decoration_kind(&group.frame),
            _ => {}
        }
    }
    None
}

/// Page furniture, not content: not held to the floors.
fn is_decoration(kind: ArtifactKind) -> bool {
    matches!(kind, ArtifactKind::Header | ArtifactKind::Footer | ArtifactKind::Background | ArtifactKind::Page)
}

//! The laid-out document checked as a reader sees it: no text runs into
//! the footer, off the page or out of a clipping box, and no glyph is
//! smaller than the kind's legibility floor ([`Kind::legibility`]) after
//! every transform (a project's own template may scale text down).
//!
//! The pages' frames are walked once. Headers, footers and the page
//! background are artifacts (page furniture, not content): they are not
//! held to the floors, and the footer's top is the line body text must
//! stay above.

use std::collections::BTreeSet;
use std::path::Path;

use typst::foundations::StyleChain;
use typst::introspection::Tag;
use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::pdf::{ArtifactElem, ArtifactKind};

use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::kind::Kind;
use crate::render::PagedDocument;

/// Room for rounding: text over an edge by less is not over it.
const SLACK: f64 = 0.5;

/// What the check needs from the report besides the pages.
pub struct Subject<'a> {
    pub kind: Kind,
    /// The file the messages name (`rapport.toml`).
    pub report_file: &'a Path,
}

/// Checks the laid-out pages; problems are errors in `cx`.
pub fn check(document: &PagedDocument, subject: &Subject, cx: &mut Context) {
    let floor = subject.kind.legibility().least();
    let mut seen = BTreeSet::new();
    for (index, page) in document.pages().iter().enumerate() {
        let size = page.frame.size();
        let footer = footer_top(&page.frame).unwrap_or(size.y).to_pt();
        let mut walk = Walk { page: index + 1, floor, problems: Vec::new(), footer, right: size.x.to_pt() };
        walk.frame(&page.frame, Transform::identity(), None, false);
        for problem in walk.problems {
            // One message per page and kind of problem is enough to find it.
            if seen.insert((problem.page, problem.what as u8)) {
                let diagnostic = Diagnostic::error(problem.message(subject.kind, floor)).hint(problem.hint());
                cx.report(diagnostic.in_file(subject.report_file));
            }
        }
    }
}

fn points(size: f64) -> String {
    let rounded = (size * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}").replace('.', ",") }
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
    /// The run's size on the page.
    size: f64,
    text: String,
}

impl Problem {
    fn message(&self, kind: Kind, floor: f64) -> String {
        let (page, text) = (self.page, shorten(&self.text));
        match self.what {
            Trouble::TooSmall => format!(
                "texten \"{text}\" på sidan {page} har storleken {} pt, mindre än den minsta läsbara storleken {} pt i en {}",
                points(self.size),
                points(floor),
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
        let mut problem =
            |what| self.problems.push(Problem { page: self.page, what, size, text: text.text.to_string() });
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

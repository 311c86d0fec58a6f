//! Texts people write with placeholders that bring figures from the data
//! into them: commentary in Markdown, and one-line texts (titles, headings,
//! footnotes).
//!
//! ```text
//! - Kostnaden för personal avviker med {ack_avvikelse_personal} efter {period}.
//! - Folktandvården: {ftv.ack_avvikelse} ({ftv.ack_avvikelse@augusti} efter augusti).
//! ```
//!
//! The text becomes structured data (paragraphs, lists, runs of text with
//! bold, italic or a link); it is never evaluated as Typst, so nothing the
//! user writes can run or read anything. What Markdown offers beyond that
//! (code, HTML, images) is kept as the literal text the user wrote.
//!
//! A placeholder is `{mått}`, `{enhet.mått}` or either with `@när`:
//! `@föregående` (the month before the report month), `@senaste` (the latest
//! month with a value), a month name (`@augusti`, in the report year) or a
//! period (`@2023-08`, `@2023-T2`, `@2023`). Names without a metric:
//! `{period}` (september 2023), `{månad}`, `{år}`, `{föregående_månad}`,
//! `{enhet}` (the unit's name), `{datum}`, `{nämnd}`. `{{` and `}}` are
//! literal braces.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::context::Context;
use crate::diagnostic::{Diagnostic, Located, Sources, Span, did_you_mean, fold_swedish, menade_du};
use crate::formula::Function;
use crate::model::{Block, Inline, Piece, Placeholder, PlaceholderKind, TextTemplate, When};
use crate::period::{Month, Period};
use crate::swedish;
use crate::validate::names::Scope;

/// Where a text sits in its file, to turn offsets in the text into places
/// in the file.
#[derive(Debug, Clone, Copy)]
pub struct TextOrigin {
    /// The whole TOML value (quotes included).
    pub value: Span,
    /// File offset of the text's first character, when the text appears in
    /// the file as written (no escapes), so offsets map one to one.
    pub exact_start: Option<usize>,
}

impl TextOrigin {
    /// Finds where a TOML string's decoded text (or a Markdown file's
    /// text) starts inside its literal, if it appears there unchanged.
    pub fn of(written: &Located<String>, sources: &Sources) -> TextOrigin {
        let value = written.span;
        let literal = sources.slice(value);
        let file_text = sources.text(value.source);
        let text = written.as_str();
        let exact_start = ["\"\"\"\r\n", "\"\"\"\n", "'''\r\n", "'''\n", "\"\"\"", "'''", "\"", "'", ""]
            .iter()
            .filter(|opening| literal.starts_with(**opening))
            .map(|opening| value.start as usize + opening.len())
            .find(|start| file_text.get(*start..start + text.len()) == Some(text));
        TextOrigin { value, exact_start }
    }

    /// The origin of the text after its first `bytes` bytes.
    pub fn skip(self, bytes: usize) -> TextOrigin {
        TextOrigin { exact_start: self.exact_start.map(|start| start + bytes), ..self }
    }

    /// The place of a range of the text; the whole value when the text is
    /// not in the file as written.
    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        match self.exact_start {
            Some(start) => Span::new(self.value.source, start + range.start..start + range.end),
            None => self.value,
        }
    }
}

/// A one-line text of the report file with its placeholders checked.
pub fn template(cx: &mut Context, written: &Located<String>, scope: Scope) -> Option<TextTemplate> {
    let origin = TextOrigin::of(written, &cx.sources);
    let text = written.as_str();
    let trimmed = text.trim_start();
    match parse_template(trimmed.trim_end(), origin.skip(text.len() - trimmed.len()), scope) {
        Ok(template) => Some(template),
        Err(problems) => {
            problems.into_iter().for_each(|p| cx.report(p));
            None
        }
    }
}

/// First private-use character, standing in for placeholder number 0 while
/// Markdown is parsed, so that Markdown never looks inside a placeholder.
const TOKEN_BASE: u32 = 0xE000;
const MAX_PLACEHOLDERS: usize = 4096;

/// Parses commentary Markdown, checking every placeholder.
/// Deepest nesting of lists: more than a board paper needs, and each level
/// is laid out (and dropped) recursively.
const MAX_LIST_DEPTH: usize = 8;

pub fn parse_markdown(text: &str, origin: TextOrigin, scope: Scope) -> Result<Vec<Block>, Vec<Diagnostic>> {
    let text = word_bullets(text);
    let (tokenized, placeholders, shifts) = extract_placeholders(&text, origin, scope)?;
    let mut builder = BlockBuilder { places: Some((origin, shifts)), ..BlockBuilder::default() };
    let parser = Parser::new_ext(&tokenized, Options::empty()).into_offset_iter();
    let mut literal_until = 0;
    for (event, range) in parser {
        if range.end <= literal_until && !matches!(event, Event::End(_)) {
            continue;
        }
        if let Event::Start(_) = event {
            builder.element = range.clone();
        }
        match event {
            Event::Start(Tag::Paragraph) => builder.open_paragraph(),
            Event::End(TagEnd::Paragraph) => builder.close_paragraph(),
            Event::Start(Tag::Heading { .. }) => {
                builder.open_paragraph();
                builder.strong += 1;
            }
            Event::End(TagEnd::Heading(_)) => {
                builder.strong -= 1;
                builder.close_paragraph();
            }
            Event::Start(Tag::List(_)) if builder.lists.len() >= MAX_LIST_DEPTH => {
                let at = builder.place(range.start..range.start + 1);
                return Err(vec![
                    Diagnostic::error(format!("listan är nästlad i fler än {MAX_LIST_DEPTH} nivåer"))
                        .at(at.unwrap_or(origin.value))
                        .hint("en lista i en nämndhandling har sällan mer än två nivåer; minska indraget"),
                ]);
            }
            Event::Start(Tag::List(start)) => builder.open_list(start),
            Event::End(TagEnd::List(_)) => builder.close_list(),
            Event::Start(Tag::Item) => builder.open_item(),
            Event::End(TagEnd::Item) => builder.close_item(),
            Event::Start(Tag::Strong) => builder.strong += 1,
            Event::End(TagEnd::Strong) => builder.strong -= 1,
            Event::Start(Tag::Emphasis) => builder.emphasis += 1,
            Event::End(TagEnd::Emphasis) => builder.emphasis -= 1,
            Event::Start(Tag::Link { dest_url, .. }) => {
                let safe = ["https://", "http://", "mailto:"].iter().any(|p| dest_url.starts_with(p));
                builder.link = safe.then(|| dest_url.to_string());
                if !safe {
                    builder.text(&tokenized[range.clone()], &placeholders);
                    literal_until = range.end;
                }
            }
            Event::End(TagEnd::Link) => builder.link = None,
            // Kept as the user wrote them: code, HTML, images, blocks of code.
            Event::Start(Tag::Image { .. } | Tag::CodeBlock(_) | Tag::HtmlBlock)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::Html(_) => {
                let literal = tokenized[range.clone()].trim_end_matches('\n');
                let block = matches!(event, Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) | Event::Html(_));
                if block {
                    builder.open_paragraph();
                }
                for (i, line) in literal.split('\n').enumerate() {
                    if i > 0 {
                        builder.push(Piece::LineBreak);
                    }
                    builder.text(line, &placeholders);
                }
                if block {
                    builder.close_paragraph();
                }
                literal_until = range.end;
            }
            Event::Text(text) => builder.text(&text, &placeholders),
            Event::SoftBreak => builder.text(" ", &placeholders),
            Event::HardBreak => builder.push(Piece::LineBreak),
            _ => {}
        }
    }
    Ok(builder.finish())
}

/// Parses a one-line text with placeholders (a heading, a footnote).
pub fn parse_template(text: &str, origin: TextOrigin, scope: Scope) -> Result<TextTemplate, Vec<Diagnostic>> {
    let (tokenized, placeholders, _) = extract_placeholders(text, origin, scope)?;
    let mut builder = BlockBuilder::default();
    builder.open_paragraph();
    builder.text(&tokenized, &placeholders);
    let pieces = builder.paragraph.take().unwrap_or_default().into_iter().map(|inline| inline.piece).collect();
    Ok(TextTemplate(pieces))
}

/// Where the text with placeholders replaced by tokens differs in length
/// from the text as written: (offset in the tokenised text, offset in the
/// written text) after each replacement, to find places in the file again.
type Shifts = Vec<(usize, usize)>;

/// The offset in the written text of an offset in the tokenised text.
fn written_offset(shifts: &Shifts, offset: usize) -> usize {
    match shifts.partition_point(|(tokenized, _)| *tokenized <= offset) {
        0 => offset,
        after => {
            let (tokenized, written) = shifts[after - 1];
            written + (offset - tokenized)
        }
    }
}

/// Bullets as Word pastes them (`• `, `– `, `◦ `, `▪ ` or `· ` at the start
/// of a line, then a space, tab or no-break space) as Markdown's `- `, so
/// that each becomes a list item instead of running into one paragraph.
/// Every replacement has the length of what it replaces: offsets, and so
/// the places in messages, stay those of the text as written.
fn word_bullets(text: &str) -> std::borrow::Cow<'_, str> {
    const BULLETS: [char; 5] = ['•', '–', '◦', '▪', '·'];
    let is_bullet_line = |line: &str| {
        let mut chars = line.trim_start_matches([' ', '\t']).chars();
        chars.next().is_some_and(|c| BULLETS.contains(&c))
            && chars.next().is_some_and(|c| matches!(c, ' ' | '\t' | '\u{A0}'))
    };
    if !text.split('\n').any(is_bullet_line) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if !is_bullet_line(line) {
            out.push_str(line);
            continue;
        }
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        let mut rest = line[indent..].chars();
        let (bullet, space) = (rest.next().unwrap_or('-'), rest.next().unwrap_or(' '));
        out.push_str(&line[..indent]);
        out.push('-');
        out.push_str(&" ".repeat(bullet.len_utf8() - 1 + space.len_utf8()));
        out.push_str(rest.as_str());
    }
    out.into()
}

/// Replaces each `{…}` by a private-use token and checks it; `{{`/`}}`
/// become literal braces.
fn extract_placeholders(
    text: &str,
    origin: TextOrigin,
    scope: Scope,
) -> Result<(String, Vec<Placeholder>, Shifts), Vec<Diagnostic>> {
    let mut out = String::with_capacity(text.len());
    let mut shifts = Shifts::new();
    let mut placeholders = Vec::new();
    let mut problems = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        match c {
            '{' if chars.peek().is_some_and(|(_, next)| *next == '{') => {
                chars.next();
                out.push('{');
                shifts.push((out.len(), offset + 2));
            }
            '}' if chars.peek().is_some_and(|(_, next)| *next == '}') => {
                chars.next();
                out.push('}');
                shifts.push((out.len(), offset + 2));
            }
            '{' => {
                let Some(close) = text[offset..].find(['}', '\n']).filter(|i| text[offset + i..].starts_with('}'))
                else {
                    problems.push(
                        origin
                            .span(offset..offset + 1)
                            .locate(Diagnostic::error("`{` utan avslutande `}` på samma rad"))
                            .hint("en platshållare skrivs {mått}; skriv {{ för en vanlig klammerparentes"),
                    );
                    continue;
                };
                let inner = &text[offset + 1..offset + close];
                let span = origin.span(offset..offset + close + 1);
                match resolve(inner, scope, span) {
                    Ok(kind) if placeholders.len() < MAX_PLACEHOLDERS => {
                        out.push(char::from_u32(TOKEN_BASE + placeholders.len() as u32).expect("private use area"));
                        shifts.push((out.len(), offset + close + 1));
                        placeholders.push(Placeholder { kind, span, written: format!("{{{inner}}}") });
                    }
                    Ok(_) => problems.push(span.locate(Diagnostic::error("texten har för många platshållare"))),
                    Err((message, hint)) => {
                        let mut problem = span.locate(Diagnostic::error(message));
                        if let Some(hint) = hint {
                            problem = problem.hint(hint);
                        }
                        problems.push(problem);
                    }
                }
                while chars.peek().is_some_and(|(i, _)| *i <= offset + close) {
                    chars.next();
                }
            }
            '}' => problems.push(
                origin
                    .span(offset..offset + 1)
                    .locate(Diagnostic::error("`}` utan `{` före"))
                    .hint("skriv }} för en vanlig klammerparentes"),
            ),
            c if is_token(c) => {
                problems.push(origin.span(offset..offset + c.len_utf8()).locate(Diagnostic::error(format!(
                    "tecknet U+{:04X} (privat användning) kan inte visas",
                    c as u32
                ))))
            }
            c => out.push(c),
        }
    }
    if problems.is_empty() { Ok((out, placeholders, shifts)) } else { Err(problems) }
}

fn is_token(c: char) -> bool {
    (TOKEN_BASE..TOKEN_BASE + MAX_PLACEHOLDERS as u32).contains(&(c as u32))
}

/// Names of placeholders that are not metrics (folded: without å, ä, ö).
const BUILTIN: [&str; 7] = ["period", "manad", "foregaende_manad", "ar", "datum", "namnd", "enhet"];

/// The placeholder a built-in name stands for; `written` is the name as
/// the user wrote it, for messages.
fn builtin(folded: &str, written: &str, scope: Scope) -> Option<Result<PlaceholderKind, (String, Option<String>)>> {
    let needs_period = |kind| match scope.period {
        Some(_) => Ok(kind),
        None => Err((
            format!("`{{{written}}}` kräver att rapporten har en period"),
            Some("ange period = \"ÅÅÅÅ-MM\" i rapport.toml".to_string()),
        )),
    };
    Some(match folded {
        "period" => needs_period(PlaceholderKind::ReportPeriod),
        "manad" => needs_period(PlaceholderKind::MonthName),
        "foregaende_manad" => needs_period(PlaceholderKind::PreviousMonthName),
        "ar" => needs_period(PlaceholderKind::Year),
        "datum" => Ok(PlaceholderKind::Date),
        "namnd" => Ok(PlaceholderKind::Namnd),
        "enhet" => scope
            .unit
            .map(PlaceholderKind::UnitName)
            .ok_or_else(|| ("`{enhet}` kräver att kommentaren har en enhet".to_string(), None)),
        _ => return None,
    })
}

/// Resolves the inside of a placeholder written at `span`, or says what
/// is wrong with it.
fn resolve(inner: &str, scope: Scope, span: Span) -> Result<PlaceholderKind, (String, Option<String>)> {
    let inner = inner.trim();
    let (path, when) = match inner.split_once('@') {
        Some((path, when)) => (path.trim(), Some(when.trim())),
        None => (inner, None),
    };
    let folded = fold_swedish(path);
    if when.is_none()
        && let Some(result) = builtin(&folded, path, scope)
    {
        return result;
    }
    // `{lägst_månad(x)}`, `{andel_minst(vch.telefon; 90)}`.
    let (function, path, target) = match function_call(path) {
        Some(call) => call?,
        None => (None, path, None),
    };
    let (unit_name, metric_name) = match path.split_once('.') {
        Some((unit, metric)) => (Some(unit.trim()), metric.trim()),
        None => (None, path),
    };
    let Ok(metric) = scope.names.metric(metric_name, span) else {
        let candidates = scope.metrics().iter().map(|m| m.id.as_str()).chain(BUILTIN);
        let hint = match did_you_mean(metric_name, candidates) {
            Some(suggestion) => {
                Some(menade_du(&format!("{{{}}}", unit_name.map_or(suggestion.to_string(), |u| format!("{u}.{suggestion}")))))
            }
            None => Some("platshållare är mått ur rapport.toml ([matt.…]) eller period, månad, år, föregående_månad, enhet, datum, nämnd".into()),
        };
        return Err((format!("okänd platshållare `{{{inner}}}`"), hint));
    };
    let unit = match unit_name {
        Some(name) => scope.names.unit(name, span).map_err(|problem| {
            (format!("{} i platshållaren `{{{inner}}}`", problem.message), problem.hints.into_iter().next())
        })?,
        None => scope.unit.ok_or_else(|| {
            (
                format!("platshållaren `{{{inner}}}` säger inte vilken enhet värdet gäller"),
                Some(format!("skriv {{enhet.{metric_name}}}, eller ange enhet = \"…\" i kommentarsfilen")),
            )
        })?,
    };
    let when = match when {
        None => When::ReportMonth,
        Some(text) => parse_when(text, scope.period).ok_or_else(|| {
            (
                format!("`@{text}` är ingen period"),
                Some(
                    "skriv @föregående, @senaste, en månad (@augusti) eller en period (@2023-08, @2023-T2, @2023)"
                        .into(),
                ),
            )
        })?,
    };
    if scope.period.is_none() && !matches!(when, When::Period(_)) {
        return Err((
            format!("`{{{inner}}}` kräver att rapporten har en period"),
            Some("ange period = \"ÅÅÅÅ-MM\" i rapport.toml, eller skriv @2023-08".into()),
        ));
    }
    if let Some(function) = function {
        if function.takes_target() && target.is_none() && scope.metrics()[metric].target.is_none() {
            return Err((
                format!("`{{{inner}}}` räknar mot ett mål, men måttet `{metric_name}` har inget `mal`"),
                Some(format!("skriv målet i platshållaren: {{{}({path}; 90)}}", function.name())),
            ));
        }
        return Ok(PlaceholderKind::OverMonths { function, metric, unit, when, target });
    }
    Ok(PlaceholderKind::Value { metric, unit, when })
}

/// A function call in a placeholder: the function, its metric (with
/// unit) and its target, if written.
#[allow(clippy::type_complexity)]
fn function_call(path: &str) -> Option<Result<(Option<Function>, &str, Option<f64>), (String, Option<String>)>> {
    let (name, rest) = path.split_once('(')?;
    let inside = rest.trim_end().strip_suffix(')')?;
    let allowed: Vec<&str> = Function::ALL.iter().filter(|(_, f, _)| f.of_months()).map(|(n, _, _)| *n).collect();
    let function = match Function::by_name(name.trim()) {
        Some((function, _)) if function.of_months() => function,
        _ => {
            return Some(Err((
                format!("`{}` är ingen funktion som kan stå i en platshållare", name.trim()),
                Some(format!("funktionerna här är {}", allowed.join(", "))),
            )));
        }
    };
    let (metric, target) = match inside.split_once([';', ',']) {
        Some((metric, target)) if function.takes_target() => {
            let Some(target) = swedish::parse_number(target) else {
                return Some(Err((
                    format!("`{}` är inget tal", target.trim()),
                    Some("skriv målet som ett tal, till exempel 90".into()),
                )));
            };
            (metric.trim(), Some(target))
        }
        Some(_) => {
            return Some(Err((
                format!("`{}` tar bara ett mått", function.name()),
                Some(format!("skriv {{{}(mått)}}", function.name())),
            )));
        }
        None => (inside.trim(), None),
    };
    Some(Ok((Some(function), metric, target)))
}

fn parse_when(text: &str, period: Option<Month>) -> Option<When> {
    match fold_swedish(text).as_str() {
        "foregaende" | "foregaende_manad" => return Some(When::PreviousMonth),
        "senaste" => return Some(When::LatestAvailable),
        _ => {}
    }
    if let Some(period) = Period::parse(text) {
        return Some(When::Period(period));
    }
    let month = swedish::month_from_name(text)?;
    Some(When::Period(Period::Month(Month::new(period?.year, month)?)))
}

/// Builds blocks from Markdown events; keeps lists nested and opens an
/// implicit paragraph for text directly in a list item (tight lists).
#[derive(Default)]
struct BlockBuilder {
    /// Open block containers: the root, then list items.
    containers: Vec<Vec<Block>>,
    /// Open lists: (ordered, start, finished items).
    lists: Vec<(bool, u64, Vec<Vec<Block>>)>,
    root: Vec<Block>,
    paragraph: Option<Vec<Inline>>,
    /// The tokenised text's range of the paragraph being built.
    paragraph_range: std::ops::Range<usize>,
    /// The range of the Markdown element last opened.
    element: std::ops::Range<usize>,
    /// How to turn a range of the tokenised text into a place in the file.
    places: Option<(TextOrigin, Shifts)>,
    strong: u32,
    emphasis: u32,
    link: Option<String>,
}

impl BlockBuilder {
    fn blocks(&mut self) -> &mut Vec<Block> {
        self.containers.last_mut().unwrap_or(&mut self.root)
    }

    fn open_paragraph(&mut self) {
        self.close_paragraph();
        self.paragraph = Some(Vec::new());
        self.paragraph_range = self.element.clone();
    }

    fn close_paragraph(&mut self) {
        if let Some(inlines) = self.paragraph.take()
            && !inlines.is_empty()
        {
            let span = self.place(self.paragraph_range.clone());
            self.blocks().push(Block::Paragraph { inlines, span });
        }
    }

    /// The place in the file of a range of the tokenised text, when the
    /// text is there as written.
    fn place(&self, range: std::ops::Range<usize>) -> Option<Span> {
        self.places.as_ref().and_then(|(origin, shifts)| {
            let written = written_offset(shifts, range.start)..written_offset(shifts, range.end);
            origin.exact_start.map(|_| origin.span(written))
        })
    }

    fn open_list(&mut self, start: Option<u64>) {
        self.close_paragraph();
        self.lists.push((start.is_some(), start.unwrap_or(1), Vec::new()));
    }

    fn close_list(&mut self) {
        self.close_paragraph();
        if let Some((ordered, start, items)) = self.lists.pop() {
            self.blocks().push(Block::List { ordered, start, items });
        }
    }

    fn open_item(&mut self) {
        self.close_paragraph();
        self.containers.push(Vec::new());
    }

    fn close_item(&mut self) {
        self.close_paragraph();
        let item = self.containers.pop().unwrap_or_default();
        if let Some((_, _, items)) = self.lists.last_mut() {
            items.push(item);
        }
    }

    fn push(&mut self, piece: Piece) {
        let inline = Inline { piece, strong: self.strong > 0, emphasis: self.emphasis > 0, link: self.link.clone() };
        if self.paragraph.is_none() {
            // Text directly in a list item: a paragraph of its own.
            self.paragraph_range = self.element.clone();
        }
        let paragraph = self.paragraph.get_or_insert_with(Vec::new);
        // Merge with the previous run of the same style.
        if let (Some(Inline { piece: Piece::Text(previous), strong, emphasis, link }), Piece::Text(text)) =
            (paragraph.last_mut(), &inline.piece)
            && (*strong, *emphasis, link.as_ref()) == (inline.strong, inline.emphasis, inline.link.as_ref())
        {
            previous.push_str(text);
            return;
        }
        paragraph.push(inline);
    }

    /// Adds text, turning placeholder tokens back into placeholders.
    fn text(&mut self, text: &str, placeholders: &[Placeholder]) {
        let mut run = String::new();
        for c in text.chars() {
            if is_token(c) {
                if !run.is_empty() {
                    self.push(Piece::Text(std::mem::take(&mut run)));
                }
                let placeholder = placeholders[(c as u32 - TOKEN_BASE) as usize].clone();
                self.push(Piece::Placeholder(placeholder));
            } else {
                run.push(c);
            }
        }
        if !run.is_empty() {
            self.push(Piece::Text(run));
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.close_paragraph();
        while !self.lists.is_empty() {
            self.close_item();
            self.close_list();
        }
        self.root
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Aggregation, Definition, Metric, Unit, paragraph_texts};
    use crate::swedish::NumberStyle;
    use crate::validate::names::Names;

    fn names_and_parse(text: &str) -> Result<Vec<Block>, Vec<String>> {
        let units = vec![Unit {
            id: "vch".into(),
            name: "Vårdcentralen Halland".into(),
            short_name: "VCH".into(),
            aliases: Vec::new(),
        }];
        let metrics = vec![Metric {
            id: "resultat".into(),
            name: "Resultat".into(),
            style: NumberStyle::new(1).with_unit("mnkr"),
            definition: Definition::Input,
            aggregation: Aggregation::Sum,
            target: None,
            description: None,
            aliases: Vec::new(),
            frequency: Default::default(),
        }];
        let scope =
            Scope { names: Names { units: &units, metrics: &metrics }, period: Month::parse("2023-09"), unit: Some(0) };
        let mut sources = Sources::default();
        let source = sources.add("k.toml", text);
        let origin = TextOrigin { value: Span::new(source, 0..text.len()), exact_start: Some(0) };
        parse_markdown(text, origin, scope).map_err(|problems| {
            problems.iter().map(|p| format!("{} {}", sources.position(p).unwrap(), p.message)).collect()
        })
    }

    fn texts(blocks: &[Block]) -> Vec<String> {
        paragraph_texts(blocks, &|p| format!("<{}>", p.written))
    }

    #[test]
    fn lists_nested_too_deep_are_refused_at_their_place() {
        for levels in [9, 1000, 300_000] {
            let text = "- ".repeat(levels) + "djupt\n";
            let problems = names_and_parse(&text).unwrap_err();
            assert!(problems[0].contains("listan är nästlad i fler än 8 nivåer"), "{problems:?}");
        }
        assert!(names_and_parse(&("- ".repeat(8) + "djupt\n")).is_ok());
        let indented: String = (0..9).map(|i| format!("{}- nivå {i}\n", "  ".repeat(i))).collect();
        assert!(names_and_parse(&indented).unwrap_err()[0].starts_with("k.toml:9:17 listan"), "the ninth level");
    }

    #[test]
    fn lists_and_placeholders() {
        let blocks = names_and_parse("- Resultat {resultat} i {månad}.\n- Andra punkten **fet**\n").unwrap();
        assert!(matches!(&blocks[0], Block::List { ordered: false, items, .. } if items.len() == 2));
        assert_eq!(texts(&blocks), ["Resultat <{resultat}> i <{månad}>.", "Andra punkten fet"]);
    }

    #[test]
    fn underscores_in_placeholders_are_not_emphasis() {
        let blocks = names_and_parse("Värde {vch.resultat@föregående} och _kursiv_.").unwrap();
        assert_eq!(texts(&blocks), ["Värde <{vch.resultat@föregående}> och kursiv."]);
    }

    #[test]
    fn typst_and_html_stay_literal() {
        let blocks = names_and_parse("#read(\"/etc/passwd\") <b>x</b> `kod` ![bild](x.png)").unwrap();
        assert_eq!(texts(&blocks), ["#read(\"/etc/passwd\") <b>x</b> `kod` ![bild](x.png)"]);
        let blocks = names_and_parse("[länk](javascript:alert(1))").unwrap();
        assert_eq!(texts(&blocks), ["[länk](javascript:alert(1))"]);
    }

    #[test]
    fn placeholder_errors_point_at_the_braces() {
        let problems = names_and_parse("Text {resulat} mer").unwrap_err();
        assert_eq!(problems, ["k.toml:1:6 okänd platshållare `{resulat}`"]);
        let problems = names_and_parse("a\nb {period").unwrap_err();
        assert_eq!(problems, ["k.toml:2:3 `{` utan avslutande `}` på samma rad"]);
        let problems = names_and_parse("{xyz.resultat} {resultat@igår}").unwrap_err();
        assert_eq!(problems.len(), 2);
        assert!(names_and_parse("{{inte platshållare}}").is_ok());
    }

    #[test]
    fn bullets_pasted_from_word_become_list_items_with_places_kept() {
        let blocks = names_and_parse("Inledning:\n• Första {resultat}\n–\tAndra\n\u{2022}\u{A0}Tredje\n").unwrap();
        assert!(matches!(&blocks[1], Block::List { ordered: false, items, .. } if items.len() == 3), "{blocks:?}");
        assert_eq!(texts(&blocks), ["Inledning:", "Första <{resultat}>", "Andra", "Tredje"]);
        let problems = names_and_parse("• Första {resulat}\n").unwrap_err();
        assert_eq!(problems, ["k.toml:1:10 okänd platshållare `{resulat}`"]);
        let blocks = names_and_parse("Intäkter – kostnader\n–inte en punkt\n").unwrap();
        assert_eq!(texts(&blocks), ["Intäkter – kostnader –inte en punkt"]);
    }
}

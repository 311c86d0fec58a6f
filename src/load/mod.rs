//! Load: read a report project's files (report file, data files, commentary
//! files, logo, template overrides) into their raw forms, registering every
//! text in the context's sources for messages and every byte in its digest.
//!
//! Paths written in a project's files must stay inside the project folder:
//! absolute paths, `..` and symlinks that lead out are refused, so a report
//! file cannot make the tool read (and publish) anything else on the machine.

mod characters;
mod csv;
mod rows;
mod table;
mod toml_file;
mod xlsx;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::commentary_file::Layout;
use crate::config::{CommentaryFile, DataFile, REPORT_FILE, ReportFile, SourceEntry};
use crate::context::Context;
use crate::dataset::DataSet;
use crate::diagnostic::{self, Diagnostic, Located, SourceId, Span};
use crate::error::{Said, io_reason};
use crate::keyword;

pub use csv::{CsvRows, Delimiter, Encoding, decode, detect_delimiter};
pub use rows::{Row, Rows, Value};
pub use table::{NumberFormat, ReadLog, ReadOptions, Role, Shape, read_table};
pub use xlsx::SheetRows;

/// Largest report or commentary file read; larger is not a hand-written file.
const MAX_TEXT_FILE: u64 = 4 << 20;
/// Largest data file read: a million rows is about 40 MB; the limit keeps
/// a run's memory well under a gigabyte.
const MAX_DATA_FILE: u64 = 256 << 20;

/// A logo the project supplies; never one of ours.
#[derive(Debug, Clone)]
pub struct Logo {
    /// `logo.svg` or `logo.png`, the name the template sees.
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A commentary file as read.
pub struct LoadedCommentary {
    pub source: SourceId,
    pub layout: Layout,
    /// Its keys; `file.text` is taken out into `text`.
    pub file: CommentaryFile,
    /// The text: the `text` key of a TOML file, or everything below the
    /// front matter of a Markdown file.
    pub text: Located<String>,
}

/// A project's files in their raw forms.
pub struct Project {
    pub config: ReportFile,
    pub data: DataSet,
    /// How each data file was read, by its `fil` as written.
    pub readings: Vec<(String, ReadLog)>,
    /// By the path as written in `kommentar = "…"` (with `{enhet}` replaced).
    pub commentaries: BTreeMap<String, LoadedCommentary>,
    pub logo: Option<Logo>,
    /// Template files of the project's `mallar` folder: name → (text, source).
    pub template_overrides: BTreeMap<String, (String, SourceId)>,
}

/// Reads everything a project names. Returns `None` only if the report file
/// itself cannot be read; other problems are reported and loading goes on,
/// so that one run shows them all.
pub fn load(cx: &mut Context) -> Option<Project> {
    let config = report_file(cx)?;

    let mut data = DataSet::default();
    let mut readings = Vec::new();
    let report_year = config.period.as_ref().and_then(|p| crate::period::Month::parse(p.as_str())).map(|m| m.year);
    for file in &config.data {
        let mut log = ReadLog::default();
        load_data_file(cx, file, report_year, &mut data, &mut log);
        readings.push((file.fil.get_ref().clone(), log));
    }
    for source in &config.kalla {
        load_fetched_file(cx, source, &mut data);
    }

    let mut commentaries = BTreeMap::new();
    let star_units: Vec<String> = config.star_units().into_iter().map(str::to_string).collect();
    for section in &config.avsnitt {
        let Some(named) = &section.kommentar else { continue };
        let is_star = section.enhet.as_ref().is_some_and(|u| u.get_ref() == "*");
        let units: Vec<Option<&str>> =
            if is_star { star_units.iter().map(|u| Some(u.as_str())).collect() } else { vec![None] };
        for unit in units {
            let path = crate::config::commentary_path(named.get_ref(), unit);
            if commentaries.contains_key(&path) {
                continue;
            }
            let written = Located::new(path.clone(), named.span);
            let Some((path_on_disk, bytes)) = read_named(cx, &written, MAX_TEXT_FILE) else { continue };
            if let Some(loaded) = parse_commentary(cx, &path_on_disk, &bytes) {
                commentaries.insert(path, loaded);
            }
        }
    }

    let logo = config.logotyp.as_ref().and_then(|named| {
        let extension = Path::new(named.get_ref()).extension().and_then(|e| e.to_str()).map(str::to_lowercase);
        let Some(extension @ ("svg" | "png" | "jpg" | "jpeg")) = extension.as_deref() else {
            cx.report(named.error("logotypen ska vara en SVG-, PNG- eller JPEG-fil"));
            return None;
        };
        let (_, bytes) = read_named(cx, named, MAX_TEXT_FILE)?;
        Some(Logo { file_name: format!("logo.{extension}"), bytes })
    });

    let template_overrides = match &config.mallar {
        Some(named) => load_template_overrides(cx, named),
        None => BTreeMap::new(),
    };

    Some(Project { config, data, readings, commentaries, logo, template_overrides })
}

/// Reads one commentary file on its own (for commands that work on a
/// file, such as `godkann`); problems are reported to `cx`.
pub fn commentary_file(cx: &mut Context, path: &Path) -> Option<LoadedCommentary> {
    let bytes = read(cx, path, MAX_TEXT_FILE).map_err(|message| cx.report(Diagnostic::error(message))).ok()?;
    parse_commentary(cx, path, &bytes)
}

/// Parses a commentary file in either layout; problems are reported.
fn parse_commentary(cx: &mut Context, path: &Path, bytes: &[u8]) -> Option<LoadedCommentary> {
    let source = register_text(cx, path, bytes)?;
    let layout = Layout::of(path, cx.sources.text(source), source).map_err(|problem| cx.report(problem)).ok()?;
    let toml = layout.toml_text(cx.sources.text(source));
    let mut file: CommentaryFile = parse_registered(cx, source, &toml, |_| toml_file::fields_of::<CommentaryFile>())?;
    let text = match (&layout, file.text.take()) {
        (Layout::Toml, Some(text)) => text,
        (Layout::Toml, None) => {
            cx.report(
                Diagnostic::error("nyckeln `text` saknas").at(Span::new(source, 0..0)).hint("lägg till `text = …`"),
            );
            return None;
        }
        (Layout::Markdown { body, .. }, None) => {
            Located::new(cx.sources.text(source)[body.clone()].to_string(), Span::new(source, body.clone()))
        }
        (Layout::Markdown { .. }, Some(text)) => {
            cx.report(
                text.error("i en Markdown-fil står texten under den andra raden +++, inte i `text = …`")
                    .hint("flytta texten under raden +++ och ta bort `text = …`"),
            );
            return None;
        }
    };
    Some(LoadedCommentary { source, layout, file, text })
}

/// Reads and parses the project's `rapport.toml`.
pub fn report_file(cx: &mut Context) -> Option<ReportFile> {
    let report_path = cx.root.join(REPORT_FILE);
    let bytes = match read(cx, &report_path, MAX_TEXT_FILE) {
        Ok(bytes) => bytes,
        Err(message) => {
            cx.report(Diagnostic::error(message).hint("en rapportmapp ska innehålla rapport.toml"));
            return None;
        }
    };
    let source = register_text(cx, &report_path, &bytes)?;
    let text = cx.sources.text(source).to_string();
    parse_registered(cx, source, &text, report_schema)
}

/// The path of a file named in a project file, if it stays inside the
/// project folder. Written with `\\` or `/` between folders (a Windows
/// path works everywhere). A path that exists but cannot be resolved (a
/// broken or looping symlink, a folder that cannot be entered) is refused:
/// what cannot be checked is not assumed to be inside.
pub fn resolve_inside(root: &Path, written: &str) -> Result<PathBuf, Diagnostic> {
    if written.contains(char::is_control) {
        return Err(escaped_path(written));
    }
    let normalised = written.replace('\\', "/");
    let relative = Path::new(&normalised);
    let escapes = relative.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        || normalised.split('/').next().is_some_and(|first| first.ends_with(':'));
    if written.trim().is_empty() || escapes {
        return Err(Diagnostic::error(format!("sökvägen `{normalised}` pekar utanför projektmappen"))
            .hint("skriv sökvägar relativt projektmappen, utan `..` och utan inledande `/`"));
    }
    let path = root.join(relative);
    let real_root = root.canonicalize().map_err(|error| {
        Diagnostic::error(format!("projektmappen {} kan inte läsas: {}", diagnostic::slashed(root), io_reason(&error)))
    })?;
    match path.canonicalize() {
        // A symlink inside the folder may still lead out of it.
        Ok(real_path) if !real_path.starts_with(&real_root) => {
            Err(Diagnostic::error(format!("sökvägen `{normalised}` leder via en symbolisk länk ut ur projektmappen"))
                .hint("kopiera filen in i projektmappen i stället för att länka till den"))
        }
        Ok(_) => Ok(path),
        // Nothing there, not even a broken link: reading says it is missing.
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && fs::symlink_metadata(&path).is_err() => Ok(path),
        Err(error) => Err(Diagnostic::error(format!(
            "sökvägen `{normalised}` kan inte följas till en fil ({}); en sådan sökväg läses inte",
            io_reason(&error)
        ))
        .hint("en symbolisk länk som inte leder någonstans? kopiera filen in i projektmappen i stället")),
    }
}

/// Reads a regular file, at most `limit` bytes. Anything else (a FIFO, a
/// device, a socket) is refused before it is opened: reading one may never
/// end. The open file is checked again, in case it was swapped meanwhile.
pub fn read_regular(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    is_regular(&fs::metadata(path)?)?;
    let file = fs::File::open(path)?;
    let metadata = file.metadata()?;
    is_regular(&metadata)?;
    let too_large = || {
        Said::error(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "filen är större än {} MB, gränsen för en sådan fil; det är inte en fil som hör till en rapport \
                 (dela upp den, eller lägg bara rapportens siffror i den)",
                limit >> 20
            ),
        )
    };
    // Refused before reading; and a file that grows meanwhile is cut.
    if metadata.len() > limit {
        return Err(too_large());
    }
    // Sized once: grown by doubling, a large file was held twice while read.
    let mut bytes = Vec::with_capacity(metadata.len() as usize + 1);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

fn is_regular(metadata: &fs::Metadata) -> std::io::Result<()> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return Ok(());
    }
    if kind.is_dir() {
        return Err(std::io::ErrorKind::IsADirectory.into());
    }
    Err(Said::error(
        std::io::ErrorKind::InvalidInput,
        "det är ingen vanlig fil (utan till exempel en namngiven pipe, en enhet eller en socket), och bara vanliga \
         filer läses",
    ))
}

/// A Windows path in a TOML text inside `"`: `\e`, `\r`, `\t`, `\n`, `\b`
/// and `\f` are escapes there, so `siffror\ekonomi` arrives with an escape
/// character in it. Say so, with the path as it was typed.
fn escaped_path(written: &str) -> Diagnostic {
    let escape = |c: char| match c {
        '\u{1b}' => "\\e".to_string(),
        '\r' => "\\r".to_string(),
        '\t' => "\\t".to_string(),
        '\n' => "\\n".to_string(),
        '\u{8}' => "\\b".to_string(),
        '\u{c}' => "\\f".to_string(),
        c => format!("U+{:04X}", c as u32),
    };
    let typed: String = written.chars().map(|c| if c.is_control() { escape(c) } else { c.to_string() }).collect();
    let mut escapes: Vec<String> = Vec::new();
    for c in written.chars().filter(|c| c.is_control()) {
        let shown = format!("`{}`", escape(c));
        if !escapes.contains(&shown) {
            escapes.push(shown);
        }
    }
    Diagnostic::error(format!(
        "i sökvägen `{typed}` blev {} något annat: inom \"…\" inleder \\ ett specialtecken i TOML",
        crate::swedish::list(&escapes)
    ))
    .hint(format!(
        "skriv / mellan mapparna: `{}`, eller skriv sökvägen inom enkla citattecken: '{typed}'",
        typed.replace('\\', "/")
    ))
}

/// Reads a file, at most `limit` bytes, adding it to the digest.
fn read(cx: &mut Context, path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let bytes = read_regular(path, limit).map_err(|error| read_error(path, &error))?;
    let label = diagnostic::slashed(path.strip_prefix(&cx.root).unwrap_or(path));
    cx.add_to_digest(&label, &bytes);
    Ok(bytes)
}

/// Reads a file named in a project file; problems are reported at the name.
fn read_named(cx: &mut Context, named: &Located<String>, limit: u64) -> Option<(PathBuf, Vec<u8>)> {
    let result = resolve_inside(&cx.root, named.get_ref())
        .and_then(|path| read(cx, &path, limit).map(|bytes| (path, bytes)).map_err(Diagnostic::error));
    match result {
        Ok(found) => Some(found),
        Err(problem) => {
            cx.report(problem.at(named.span));
            None
        }
    }
}

/// Registers a text file's contents (UTF-8, a byte order mark left out)
/// in the context's sources, with invisible characters removed and control
/// characters and emoji reported ([`characters`]): in a TOML file in its
/// strings, in a Markdown commentary anywhere. A file with a control
/// character is not read further (the parser would stop at it too).
fn register_text(cx: &mut Context, path: &Path, bytes: &[u8]) -> Option<SourceId> {
    let text = match String::from_utf8(bytes.to_vec()) {
        Ok(text) => text.strip_prefix('\u{FEFF}').map(str::to_string).unwrap_or(text),
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            cx.report(
                Diagnostic::error(format!("filen är inte sparad som UTF-8 (fel på rad {line})"))
                    .in_file(path)
                    .hint("spara filen som UTF-8 i textredigeraren"),
            );
            return None;
        }
    };
    let markdown = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
    let cleaned = if markdown { characters::plain(text) } else { characters::toml(text) };
    let (source, problems) = cleaned.register(&mut cx.sources, path.display().to_string());
    let control_character = problems.iter().any(characters::is_control_character);
    problems.into_iter().for_each(|problem| cx.report(problem));
    (!control_character).then_some(source)
}

/// Parses `toml`, the TOML of the registered file `source` at the same
/// offsets; keys not in `schema` are reported and the rest is read.
fn parse_registered<T: serde::de::DeserializeOwned>(
    cx: &mut Context,
    source: SourceId,
    toml: &str,
    schema: toml_file::Schema,
) -> Option<T> {
    match toml_file::parse(toml, source, schema) {
        Ok((value, problems)) => {
            problems.into_iter().for_each(|problem| cx.report(problem));
            for problem in toml_file::unshowable_characters(cx.sources.text(source), source) {
                cx.report(problem);
            }
            Some(value)
        }
        Err(problems) => {
            problems.into_iter().for_each(|problem| cx.report(problem));
            None
        }
    }
}

/// The keys allowed at each place in `rapport.toml`.
fn report_schema(path: &[&str]) -> &'static [&'static str] {
    use crate::config::*;
    use toml_file::fields_of;
    match path {
        [] => fields_of::<ReportFile>(),
        ["handlaggare"] | ["underskrift"] => fields_of::<Person>(),
        ["data"] => fields_of::<DataFile>(),
        ["enhet"] => fields_of::<UnitEntry>(),
        ["matt", _] => fields_of::<MetricEntry>(),
        ["avsnitt"] => fields_of::<SectionEntry>(),
        ["avsnitt", "diagram"] => fields_of::<ChartEntry>(),
        ["avsnitt", "diagram", "serier"] | ["avsnitt", "tabell", "rader"] => fields_of::<SeriesEntry>(),
        ["avsnitt", "tabell"] => fields_of::<TableEntry>(),
        ["avsnitt", "tabell", "kolumner"] => fields_of::<ColumnEntry>(),
        ["avsnitt", "nyckeltal"] => fields_of::<KeyFigureEntry>(),
        ["kalla"] => fields_of::<SourceEntry>(),
        _ => &[],
    }
}

fn read_error(path: &Path, error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => {
            format!("filen {} finns inte (sökvägar är relativa till projektmappen)", diagnostic::slashed(path))
        }
        std::io::ErrorKind::IsADirectory => format!("{} är en mapp, inte en fil", diagnostic::slashed(path)),
        _ => format!("filen {} kan inte läsas: {}", diagnostic::slashed(path), io_reason(error)),
    }
}

fn load_data_file(cx: &mut Context, file: &DataFile, report_year: Option<i32>, data: &mut DataSet, log: &mut ReadLog) {
    let shape = file.form.as_ref().map(keyword::parse::<Shape>).transpose();
    let delimiter = file.avgransare.as_ref().map(keyword::parse::<Delimiter>).transpose();
    let encoding = file.kodning.as_ref().map(keyword::parse::<Encoding>).transpose();
    let options = read_options(file, report_year);
    let (Some(shape), Some(delimiter), Some(encoding), Some(mut options)) =
        (cx.take(shape), cx.take(delimiter), cx.take(encoding), cx.take(options))
    else {
        return;
    };
    options.shape = shape;
    let Some((path, bytes)) = read_named(cx, &file.fil, MAX_DATA_FILE) else {
        return;
    };
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_lowercase).unwrap_or_default();
    let problems = if matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "ods") {
        let sheet = file.blad.as_ref().map(|s| s.get_ref().as_str());
        match SheetRows::open(&bytes, sheet, &path.display().to_string(), &mut cx.sources) {
            Ok(mut rows) => read_table(&mut rows, None, &options, data, &cx.sources, log),
            Err(message) => vec![Diagnostic::error(message).at(file.blad.as_ref().unwrap_or(&file.fil).span)],
        }
    } else {
        if let Some(sheet) = &file.blad {
            cx.report(sheet.warning("`blad` gäller bara Excel-filer och används inte för en CSV-fil"));
        }
        read_csv(cx, &path, bytes, encoding, delimiter.map(|d| d.0), &options, data, log)
    };
    for problem in problems {
        cx.report(problem);
    }
}

/// What a `[[data]]` declares about its file, checked.
fn read_options(file: &DataFile, report_year: Option<i32>) -> Result<ReadOptions, Diagnostic> {
    let count = |written: &Option<Located<i64>>, least: i64| -> Result<Option<usize>, Diagnostic> {
        match written {
            Some(n) if *n.get_ref() < least => Err(n.error(format!("skriv ett radantal från {least} och uppåt"))),
            Some(n) => Ok(Some(*n.get_ref() as usize)),
            None => Ok(None),
        }
    };
    let mark = |written: &Option<Located<String>>, allowed: &[(&str, char)]| -> Result<Option<char>, Diagnostic> {
        let Some(written) = written else { return Ok(None) };
        let text = written.get_ref().as_str();
        allowed
            .iter()
            .find(|(word, _)| *word == text || word.eq_ignore_ascii_case(text.trim()))
            .map(|(_, c)| Some(*c))
            .ok_or_else(|| {
                let words: Vec<String> = allowed.iter().map(|(w, _)| format!("\"{w}\"")).collect();
                written
                    .error(format!("`{text}` kan inte användas här"))
                    .hint(format!("skriv {}", words.join(" eller ")))
            })
    };
    let decimal = mark(&file.decimaltecken, &[(",", ','), (".", '.')])?;
    let grouping =
        mark(&file.tusentalsavgransare, &[(".", '.'), (",", ','), ("'", '\''), (" ", ' '), ("mellanslag", ' ')])?;
    if let (Some(d), Some(g), Some(written)) = (decimal, grouping, &file.tusentalsavgransare)
        && d == g
    {
        return Err(written.error("tusentalsavgränsaren kan inte vara samma tecken som decimaltecknet"));
    }
    let mut columns = Vec::new();
    if let Some(mapped) = &file.kolumner {
        for (key, heading) in mapped.get_ref() {
            let role = keyword::parse::<Role>(&Located::new(key.clone(), heading.span))?;
            columns.push((role, crate::swedish::normalise(heading.get_ref())));
        }
    }
    // A text read as missing and as zero would be a guess between them.
    let missing_texts: Vec<String> = file.saknas.iter().map(|t| t.get_ref().trim().to_string()).collect();
    let zero_texts: Vec<String> = file.noll.iter().map(|t| t.get_ref().trim().to_string()).collect();
    if let Some(both) = zero_texts.iter().position(|text| missing_texts.contains(text)) {
        return Err(file.noll[both].error(format!(
            "`{}` står både under saknas och under noll; en text kan bara betyda det ena",
            zero_texts[both]
        )));
    }
    if let Some(empty) = file.saknas.iter().chain(&file.noll).find(|t| t.get_ref().trim().is_empty()) {
        return Err(empty.error("en tom cell är redan ett värde som saknas; ta bort \"\" här"));
    }
    let year = match &file.ar {
        Some(year) if !(1900..=2200).contains(year.get_ref()) => {
            return Err(year.error("skriv året med fyra siffror, till exempel ar = 2023"));
        }
        Some(year) => Some(*year.get_ref() as i32),
        None => None,
    };
    Ok(ReadOptions {
        shape: None,
        unit: file.enhet.as_ref().map(|u| (u.get_ref().clone(), u.span)),
        metric: file.matt.as_ref().map(|m| (m.get_ref().clone(), m.span)),
        header_row: count(&file.rubrikrad, 1)?,
        skip_top: count(&file.hoppa_over_borjan, 0)?.unwrap_or(0),
        skip_bottom: count(&file.hoppa_over_slutet, 0)?.unwrap_or(0),
        ignore_rows: file.ignorera_rader.iter().map(|r| crate::swedish::normalise(r.get_ref())).collect(),
        ignore_columns: file.ignorera_kolumner.iter().map(|c| crate::swedish::normalise(c.get_ref())).collect(),
        columns,
        fill_down: file.fyll_nedat.unwrap_or(false),
        year,
        report_year,
        numbers: NumberFormat {
            decimal,
            grouping: grouping.filter(|g| *g != ' '),
            parentheses_negative: file.parentes_negativ.unwrap_or(false),
        },
        errors_missing: file.felvarde_tomt.unwrap_or(false),
        missing_texts,
        zero_texts,
    })
}

/// Reads a CSV file's table into `data`.
#[allow(clippy::too_many_arguments)]
fn read_csv(
    cx: &mut Context,
    path: &Path,
    bytes: Vec<u8>,
    encoding: Option<Encoding>,
    delimiter: Option<u8>,
    options: &ReadOptions,
    data: &mut DataSet,
    log: &mut ReadLog,
) -> Vec<Diagnostic> {
    match decode(bytes, encoding) {
        Ok(text) => {
            let (source, mut problems) = characters::plain(text).register(&mut cx.sources, path.display().to_string());
            // A file with control characters is no export of figures.
            if problems.iter().any(Diagnostic::is_error) {
                return problems;
            }
            let mut rows = CsvRows::new(cx.sources.text(source), source, delimiter);
            let delimiter = rows.delimiter();
            problems.extend(read_table(&mut rows, Some(delimiter), options, data, &cx.sources, log));
            problems
        }
        Err(message) => vec![Diagnostic::error(message).in_file(path)],
    }
}

/// Reads the file `statusrapport hamta` wrote for a `[[kalla]]` (long form,
/// `;`, UTF-8); never the network.
fn load_fetched_file(cx: &mut Context, source: &SourceEntry, data: &mut DataSet) {
    if resolve_inside(&cx.root, source.fil.as_str()).is_ok_and(|path| !path.exists()) {
        cx.report(
            source
                .fil
                .error(format!("de hämtade värdena, {}, finns inte än", source.fil.as_str().trim()))
                .hint(format!("hämta dem med: statusrapport hamta {}", crate::diagnostic::slashed(&cx.root))),
        );
        return;
    }
    let Some((path, bytes)) = read_named(cx, &source.fil, MAX_DATA_FILE) else { return };
    let options = ReadOptions { shape: Some(Shape::Long), ..ReadOptions::default() };
    for problem in read_csv(cx, &path, bytes, None, Some(b';'), &options, data, &mut ReadLog::default()) {
        cx.report(problem);
    }
}

/// Reads the `.typ` files of a project's template folder.
fn load_template_overrides(cx: &mut Context, named: &Located<String>) -> BTreeMap<String, (String, SourceId)> {
    let mut overrides = BTreeMap::new();
    let folder = match resolve_inside(&cx.root, named.get_ref()) {
        Ok(folder) => folder,
        Err(problem) => {
            cx.report(problem.at(named.span));
            return overrides;
        }
    };
    let entries = match fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(error) => {
            cx.report(named.error(read_error(&folder, &error)));
            return overrides;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "typ")) {
        let Some(file_name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
            continue;
        };
        let written = Located::new(format!("{}/{file_name}", named.get_ref().trim_end_matches('/')), named.span);
        let Some((path, bytes)) = read_named(cx, &written, MAX_TEXT_FILE) else {
            continue;
        };
        match String::from_utf8(bytes) {
            Ok(text) => {
                let source = cx.sources.add(path.display().to_string(), text.clone());
                overrides.insert(file_name, (text, source));
            }
            Err(_) => cx.report(Diagnostic::error("mallen är inte sparad som UTF-8").in_file(&path)),
        }
    }
    overrides
}

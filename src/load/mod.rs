//! Load: read a report project's files (report file, data files, commentary
//! files, logo, template overrides) into their raw forms, registering every
//! text in [`Sources`] for messages and every byte in the input digest.
//!
//! Paths written in a project's files must stay inside the project folder:
//! absolute paths, `..` and symlinks that lead out are refused, so a report
//! file cannot make the tool read (and publish) anything else on the machine.

mod table;
mod toml_file;
mod xlsx;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::config::{CommentaryFile, DataFile, REPORT_FILE, ReportFile};
use crate::dataset::{DataSet, Span};
use crate::diagnostic::{Diagnostic, Diagnostics, SourceId, Sources};
use crate::model::Logo;

pub use table::{Encoding, Shape, TableOptions, decode, detect_delimiter, read_table};

/// Largest report or commentary file read; larger is not a hand-written file.
const MAX_TEXT_FILE: u64 = 4 << 20;
/// Largest data file read (a million rows is about 40 MB).
const MAX_DATA_FILE: u64 = 1 << 30;

/// The messages, sources and input digest of one report's build, handed
/// from stage to stage.
#[derive(Clone)]
pub struct Context {
    /// The project folder, as the user named it (messages show paths under it).
    pub root: PathBuf,
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    digest: Sha256,
}

impl Context {
    pub fn new(root: &Path) -> Context {
        Context {
            root: root.to_path_buf(),
            sources: Sources::default(),
            diagnostics: Diagnostics::default(),
            digest: Sha256::new(),
        }
    }

    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Hex SHA-256 of everything read so far, then of `extra`: what is not
    /// a project file (tool version, options). Only the hasher is copied.
    pub fn digest_with(&self, extra: &[(&str, &[u8])]) -> String {
        let mut digest = self.digest.clone();
        for (label, bytes) in extra {
            add_labelled(&mut digest, label, bytes);
        }
        hex(&digest.finalize())
    }

    /// The path of a file named in a project file, if it stays inside the
    /// project folder.
    pub fn resolve_inside(&self, written: &str) -> Result<PathBuf, Diagnostic> {
        let relative = Path::new(written);
        let escapes = relative.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
        if written.trim().is_empty() || escapes {
            return Err(Diagnostic::error(format!("sökvägen `{written}` pekar utanför projektmappen"))
                .hint("skriv sökvägar relativt projektmappen, utan `..` och utan inledande `/`"));
        }
        let path = self.root.join(relative);
        // A symlink inside the folder may still lead out of it.
        if let (Ok(real_root), Ok(real_path)) = (self.root.canonicalize(), path.canonicalize())
            && !real_path.starts_with(&real_root)
        {
            return Err(Diagnostic::error(format!(
                "sökvägen `{written}` leder via en symbolisk länk ut ur projektmappen"
            ))
            .hint("kopiera filen in i projektmappen i stället för att länka till den"));
        }
        Ok(path)
    }

    /// Reads a file, at most `limit` bytes, adding it to the digest.
    fn read(&mut self, path: &Path, limit: u64) -> Result<Vec<u8>, String> {
        let file = fs::File::open(path).map_err(|error| read_error(path, &error))?;
        let mut bytes = Vec::new();
        file.take(limit + 1).read_to_end(&mut bytes).map_err(|error| read_error(path, &error))?;
        if bytes.len() as u64 > limit {
            return Err(format!(
                "filen {} är större än {} MB; det är inte en fil som hör till en rapport",
                path.display(),
                limit >> 20
            ));
        }
        let label = path.strip_prefix(&self.root).unwrap_or(path).to_string_lossy().into_owned();
        add_labelled(&mut self.digest, &label, &bytes);
        Ok(bytes)
    }

    /// Reads a file named in a project file at `named`; problems are
    /// reported there.
    fn read_named(&mut self, named: &Spanned<String>, in_source: SourceId, limit: u64) -> Option<(PathBuf, Vec<u8>)> {
        let span = Span::new(in_source, named.span());
        let result = self
            .resolve_inside(named.get_ref())
            .and_then(|path| self.read(&path, limit).map(|bytes| (path, bytes)).map_err(Diagnostic::error));
        match result {
            Ok(found) => Some(found),
            Err(problem) => {
                self.report(span.locate(problem));
                None
            }
        }
    }

    /// Registers a text file's contents and parses it as TOML; keys not in
    /// `schema` are reported and the rest is read.
    fn parse_toml<T: serde::de::DeserializeOwned>(
        &mut self,
        path: &Path,
        bytes: &[u8],
        schema: toml_file::Schema,
    ) -> Option<(SourceId, T)> {
        let name = path.display().to_string();
        let text = match String::from_utf8(bytes.to_vec()) {
            Ok(text) => text.strip_prefix('\u{FEFF}').map(str::to_string).unwrap_or(text),
            Err(error) => {
                let offset = error.utf8_error().valid_up_to();
                let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
                self.report(
                    Diagnostic::error(format!("filen är inte sparad som UTF-8 (fel på rad {line})"))
                        .in_file(path)
                        .hint("spara filen som UTF-8 i textredigeraren"),
                );
                return None;
            }
        };
        let source = self.sources.add(name, text);
        match toml_file::parse(self.sources.text(source), source, schema) {
            Ok((value, problems)) => {
                problems.into_iter().for_each(|problem| self.report(problem));
                for problem in toml_file::unshowable_characters(self.sources.text(source), source) {
                    self.report(problem);
                }
                Some((source, value))
            }
            Err(problems) => {
                problems.into_iter().for_each(|problem| self.report(problem));
                None
            }
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
        _ => &[],
    }
}

/// The keys allowed in a commentary file.
fn commentary_schema(_: &[&str]) -> &'static [&'static str] {
    toml_file::fields_of::<CommentaryFile>()
}

fn read_error(path: &Path, error: &std::io::Error) -> String {
    match error.kind() {
        // First: Windows refuses to open a folder as a file with "access denied".
        _ if path.is_dir() => format!("{} är en mapp, inte en fil", path.display()),
        std::io::ErrorKind::NotFound => {
            format!("filen {} finns inte (sökvägar är relativa till projektmappen)", path.display())
        }
        std::io::ErrorKind::PermissionDenied => format!("filen {} får inte läsas (behörighet saknas)", path.display()),
        _ => format!("filen {} kan inte läsas: {error}", path.display()),
    }
}

/// Adds one labelled item to a digest; the lengths keep `("ab", "c")` and
/// `("a", "bc")` apart.
fn add_labelled(digest: &mut Sha256, label: &str, bytes: &[u8]) {
    digest.update((label.len() as u64).to_le_bytes());
    digest.update(label.as_bytes());
    digest.update((bytes.len() as u64).to_le_bytes());
    digest.update(bytes);
}

/// Lower-case hex of a hash.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A commentary file as read, with the path it was named by.
pub struct LoadedCommentary {
    pub source: SourceId,
    pub file: CommentaryFile,
}

/// A project's files in their raw forms.
pub struct Project {
    pub report_source: SourceId,
    pub config: ReportFile,
    pub data: DataSet,
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
    let report_path = cx.root.join(REPORT_FILE);
    let bytes = match cx.read(&report_path, MAX_TEXT_FILE) {
        Ok(bytes) => bytes,
        Err(message) => {
            cx.report(Diagnostic::error(message).hint("en rapportmapp ska innehålla rapport.toml"));
            return None;
        }
    };
    let (report_source, config): (SourceId, ReportFile) = cx.parse_toml(&report_path, &bytes, report_schema)?;

    let mut data = DataSet::default();
    for file in &config.data {
        load_data_file(cx, file, report_source, &mut data);
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
            let written = Spanned::new(named.span(), path.clone());
            let Some((path_on_disk, bytes)) = cx.read_named(&written, report_source, MAX_TEXT_FILE) else { continue };
            if let Some((source, file)) = cx.parse_toml::<CommentaryFile>(&path_on_disk, &bytes, commentary_schema) {
                commentaries.insert(path, LoadedCommentary { source, file });
            }
        }
    }

    let logo = config.logotyp.as_ref().and_then(|named| {
        let extension = Path::new(named.get_ref()).extension().and_then(|e| e.to_str()).map(str::to_lowercase);
        let Some(extension @ ("svg" | "png" | "jpg" | "jpeg")) = extension.as_deref() else {
            cx.report(
                Span::new(report_source, named.span())
                    .locate(Diagnostic::error("logotypen ska vara en SVG-, PNG- eller JPEG-fil")),
            );
            return None;
        };
        let (_, bytes) = cx.read_named(named, report_source, MAX_TEXT_FILE)?;
        Some(Logo { file_name: format!("logo.{extension}"), bytes })
    });

    let template_overrides = match &config.mallar {
        Some(named) => load_template_overrides(cx, named, report_source),
        None => BTreeMap::new(),
    };

    Some(Project { report_source, config, data, commentaries, logo, template_overrides })
}

fn load_data_file(cx: &mut Context, file: &DataFile, report_source: SourceId, data: &mut DataSet) {
    let at = |spanned: &Spanned<String>| Span::new(report_source, spanned.span());
    let mut options = TableOptions { quoting: true, ..TableOptions::default() };
    if let Some(form) = &file.form {
        options.shape = match form.get_ref().as_str() {
            "lang" | "lång" => Some(Shape::Long),
            "bred" => Some(Shape::Wide),
            other => {
                cx.report(
                    at(form).locate(
                        Diagnostic::error(format!("okänd form `{other}`"))
                            .hint("skriv form = \"lang\" eller form = \"bred\""),
                    ),
                );
                return;
            }
        };
    }
    if let Some(separator) = &file.avgransare {
        options.delimiter = match separator.get_ref().as_str() {
            ";" => Some(b';'),
            "," => Some(b','),
            "\t" | "\\t" | "tab" => Some(b'\t'),
            other => {
                cx.report(at(separator).locate(
                    Diagnostic::error(format!("okänd avgränsare `{other}`")).hint("skriv \";\", \",\" eller \"\\t\""),
                ));
                return;
            }
        };
    }
    let mut encoding = None;
    if let Some(declared) = &file.kodning {
        encoding = match crate::diagnostic::fold_swedish(declared.get_ref()).replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "windows-1252" | "cp1252" | "latin1" | "iso-8859-1" => Some(Encoding::Windows1252),
            other => {
                cx.report(
                    at(declared).locate(
                        Diagnostic::error(format!("okänd kodning `{other}`"))
                            .hint("skriv kodning = \"utf-8\" eller \"windows-1252\""),
                    ),
                );
                return;
            }
        };
    }
    options.unit = file.enhet.as_ref().map(|u| (u.get_ref().clone(), at(u)));
    options.metric = file.matt.as_ref().map(|m| (m.get_ref().clone(), at(m)));

    let Some((path, bytes)) = cx.read_named(&file.fil, report_source, MAX_DATA_FILE) else {
        return;
    };
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_lowercase).unwrap_or_default();
    let (name, text) = if matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "ods") {
        options.delimiter = Some(b'\t');
        options.quoting = false;
        let sheet = file.blad.as_ref().map(|s| s.get_ref().as_str());
        match xlsx::sheet_as_text(&bytes, sheet) {
            Ok((sheet_name, text)) => (format!("{} [{sheet_name}]", path.display()), text),
            Err(message) => {
                let at_sheet = file.blad.as_ref().map_or(at(&file.fil), at);
                cx.report(at_sheet.locate(Diagnostic::error(message)));
                return;
            }
        }
    } else {
        if let Some(sheet) = &file.blad {
            cx.report(
                at(sheet).locate(Diagnostic::warning("`blad` gäller bara Excel-filer och används inte för en CSV-fil")),
            );
        }
        match decode(&bytes, encoding) {
            Ok(text) => (path.display().to_string(), text),
            Err(message) => {
                cx.report(Diagnostic::error(message).in_file(&path));
                return;
            }
        }
    };
    let source = cx.sources.add(name, text);
    let problems = read_table(cx.sources.text(source), source, &options, data, &cx.sources);
    for problem in problems {
        cx.report(problem);
    }
}

/// Reads the `.typ` files of a project's template folder.
fn load_template_overrides(
    cx: &mut Context,
    named: &Spanned<String>,
    report_source: SourceId,
) -> BTreeMap<String, (String, SourceId)> {
    let mut overrides = BTreeMap::new();
    let span = Span::new(report_source, named.span());
    let folder = match cx.resolve_inside(named.get_ref()) {
        Ok(folder) => folder,
        Err(problem) => {
            cx.report(span.locate(problem));
            return overrides;
        }
    };
    let entries = match fs::read_dir(&folder) {
        Ok(entries) => entries,
        Err(error) => {
            cx.report(span.locate(Diagnostic::error(read_error(&folder, &error))));
            return overrides;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "typ")) {
        let Some(file_name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
            continue;
        };
        let written = Spanned::new(named.span(), format!("{}/{file_name}", named.get_ref().trim_end_matches('/')));
        let Some((path, bytes)) = cx.read_named(&written, report_source, MAX_TEXT_FILE) else {
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

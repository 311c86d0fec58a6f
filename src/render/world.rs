//! The Typst world of a report: it sees only virtual files (the template,
//! `/data.json`, the chart SVGs, the logo) and the embedded fonts. There is no
//! way from a template to the file system, the network or the clock.

use std::collections::HashMap;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};
use typst_kit::files::{FileLoader, FileStore};

use super::Engine;

/// The id of a virtual file, e.g. `/data.json`.
pub fn file_id(path: &str) -> FileId {
    let path = VirtualPath::new(path).expect("virtual paths are ours and valid");
    RootedPath::new(VirtualRoot::Project, path).intern()
}

/// The virtual files of one report.
#[derive(Default)]
pub struct MemoryFiles(pub HashMap<FileId, Bytes>);

impl FileLoader for MemoryFiles {
    fn load(&self, id: FileId) -> FileResult<Bytes> {
        self.0.get(&id).cloned().ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }
}

/// One report's world; kept between builds in `watch` so that Typst's
/// caches and parsed sources are reused.
pub struct ReportWorld<'e> {
    engine: &'e Engine,
    main: FileId,
    files: FileStore<MemoryFiles>,
    today: Datetime,
}

impl<'e> ReportWorld<'e> {
    pub fn new(engine: &'e Engine, main: FileId, files: HashMap<FileId, Bytes>, today: Datetime) -> Self {
        ReportWorld { engine, main, files: FileStore::new(MemoryFiles(files)), today }
    }

    /// Replaces the virtual files for the next compilation; unchanged
    /// sources are edited in place, which keeps compilation incremental.
    pub fn update(&mut self, main: FileId, files: HashMap<FileId, Bytes>, today: Datetime) {
        self.main = main;
        self.today = today;
        self.files.loader_mut().0 = files;
        self.files.reset();
    }

    /// The text of a virtual file, for quoting it in a message.
    pub fn text_of(&self, id: FileId) -> Option<String> {
        self.files.loader().0.get(&id).map(|bytes| String::from_utf8_lossy(bytes.as_slice()).into_owned())
    }
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.files.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.file(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

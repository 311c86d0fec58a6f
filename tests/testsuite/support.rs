//! The one helper every test file uses to make report projects and build
//! them: a project written into a temporary folder (from files given, or a
//! copy of an example), built in-process through the one build path or run
//! through the binary as people run it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use statusrapport::context::Context;
use statusrapport::pipeline::{self, Built, Options};
use statusrapport::render::Engine;

use crate::pdf::Pdf;

/// One engine for the whole test binary, as in a real batch run.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::new)
}

/// The repository's root (where `data/` lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A report project in a temporary folder: `<temp>/<name>/rapport.toml` …
pub struct Project {
    dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl Project {
    /// A project named `projekt` with the given files.
    pub fn new(files: &[(&str, &str)]) -> Project {
        Project::named("projekt", files)
    }

    pub fn named(name: &str, files: &[(&str, &str)]) -> Project {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let project = Project { root: dir.path().join(name), dir };
        fs::create_dir_all(&project.root).expect("the project folder");
        for (path, text) in files {
            project.write(path, text);
        }
        project
    }

    /// A copy of one of the example projects under `data/`.
    pub fn example(name: &str) -> Project {
        let project = Project::named(name, &[]);
        copy_tree(&repo().join("data").join(name), &project.root);
        project
    }

    /// The temporary folder the project is in (where commands are run).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    pub fn write(&self, relative: &str, text: impl AsRef<[u8]>) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().expect("a parent")).expect("the file's folder");
        fs::write(path, text).expect("the file is written");
    }

    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).expect("the file is read")
    }

    /// Replaces the first `from` in a file, which must be there.
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} has no {from:?}");
        self.write(relative, text.replacen(from, to, 1));
    }

    /// Copies a file of `tests/fixtures/` into the project.
    pub fn fixture(&self, fixture: &str, relative: &str) {
        self.write(relative, fs::read(repo().join("tests/fixtures").join(fixture)).expect("the fixture"));
    }

    /// The whole report built in-process, writing nothing.
    pub fn build(&self) -> Build {
        build_with(&self.root, &Options::default())
    }

    /// The binary, run in the project's temporary folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run(args, self.dir())
    }
}

/// Copies a folder with everything in it.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("a folder");
    for entry in fs::read_dir(from).expect("the folder is read") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("a copy");
        }
    }
}

/// A report built in-process, with its messages.
pub struct Build {
    pub cx: Context,
    pub built: Built,
}

impl Build {
    /// The messages as `check` prints them, with the project's folder shown
    /// as `projekt` (so snapshots do not depend on the temporary path).
    pub fn messages(&self) -> String {
        let shown = statusrapport::diagnostic::render_plain(&self.cx.sources, &self.cx.diagnostics);
        let root = self.cx.root.display().to_string();
        let name = self.cx.root.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
        shown.replace(&root, if name == "projekt" { "projekt" } else { &name })
    }

    /// The PDF; fails the test with the messages if there is none.
    pub fn pdf(&self) -> Pdf {
        let pdf = self.built.pdf.as_ref().unwrap_or_else(|| panic!("no PDF:\n{}", self.messages()));
        Pdf::parse(pdf.bytes.clone())
    }

    /// The laid-out pages, laid out again from the files the build gave
    /// Typst (the build itself keeps only what its callers need of them).
    pub fn document(&self) -> statusrapport::render::PagedDocument {
        let bundle = self.built.bundle.as_ref().unwrap_or_else(|| panic!("not laid out:\n{}", self.messages()));
        let report = self.built.report.as_ref().expect("a report with its bundle");
        let world = statusrapport::render::world_for(engine(), bundle, pipeline::today(report.date));
        let mut cx = Context::new(&self.cx.root);
        statusrapport::render::layout(&world, bundle, &mut cx).expect("it was laid out before")
    }

    pub fn has_pdf(&self) -> bool {
        self.built.pdf.is_some()
    }
}

/// A project folder's whole report, built in-process, writing nothing.
pub fn build_with(root: &Path, options: &Options) -> Build {
    let (cx, built) = pipeline::build(engine(), root, options);
    Build { cx, built }
}

/// One of the examples under `data/`, built; its PDF bytes.
pub fn build_example(name: &str) -> Vec<u8> {
    let build = build_with(&repo().join("data").join(name), &Options::default());
    build.pdf().bytes
}

/// The binary's exit code and output.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary with `args` in `dir`.
pub fn run(args: &[&str], dir: &Path) -> Run {
    run_with_env(args, dir, &[])
}

/// Runs the binary with `args` in `dir` and environment variables set.
pub fn run_with_env(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_statusrapport"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

//! Entry points for fuzzing. Each takes arbitrary bytes and must return
//! without panicking, hanging or using memory out of proportion to the
//! input. The cargo-fuzz targets in `fuzz/` call them, and a regression test
//! replays the seeds and every input the fuzzer ever found a problem with.

use std::path::{Path, PathBuf};

use crate::dataset::DataSet;
use crate::diagnostic::{Sources, Span};
use crate::formula;
use crate::load::{self, CsvRows, ReadLog, ReadOptions};
use crate::model::{Aggregation, Definition, Metric, Unit};
use crate::period::Month;
use crate::pipeline::{self, Builder, Options, Output};
use crate::render::Engine;
use crate::swedish::NumberStyle;
use crate::validate::names::{Names, Scope};
use crate::validate::text::{self, TextOrigin};

/// A data file, with everything detected.
pub fn csv(bytes: &[u8]) {
    let Ok(text) = load::decode(bytes.to_vec(), None) else { return };
    let mut sources = Sources::default();
    let source = sources.add("fuzz.csv", text);
    let mut data = DataSet::default();
    let mut rows = CsvRows::new(sources.text(source), source, None);
    let _ = load::read_table(&mut rows, None, &ReadOptions::default(), &mut data, &sources, &mut ReadLog::default());
}

/// Commentary text (Markdown with placeholders).
pub fn commentary(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let units = [Unit { id: "vo".into(), name: "VO".into(), short_name: "VO".into(), aliases: Vec::new() }];
    let metric = |id: &str| Metric {
        id: id.into(),
        name: id.into(),
        style: NumberStyle::new(1).with_unit("mnkr"),
        definition: Definition::Input,
        aggregation: Aggregation::Sum,
        target: None,
        description: None,
        aliases: Vec::new(),
        frequency: Default::default(),
    };
    let metrics = [metric("utfall"), metric("ack_avvikelse")];
    let scope =
        Scope { names: Names { units: &units, metrics: &metrics }, period: Month::parse("2023-09"), unit: Some(0) };
    let mut sources = Sources::default();
    let source = sources.add("fuzz.toml", text.as_ref());
    let origin = TextOrigin { value: Span::new(source, 0..text.len()), exact_start: Some(0) };
    let _ = text::parse_markdown(&text, origin, scope);
    let _ = text::parse_template(&text, origin, scope);
}

/// A metric formula.
pub fn formula(bytes: &[u8]) {
    let _ = formula::parse(&String::from_utf8_lossy(bytes));
}

/// A whole report file, with a fixed data file and commentary beside it,
/// through the one build path (nothing written).
pub fn project(bytes: &[u8]) {
    let folder = project_folder();
    if std::fs::write(folder.join("rapport.toml"), bytes).is_err() {
        return;
    }
    let (cx, project) = pipeline::load(&folder);
    let Some(project) = project else { return };
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    let engine = ENGINE.get_or_init(Engine::new);
    for variant in pipeline::variants(&project.config) {
        let mut cx = cx.clone();
        Builder::new(engine).build(&mut cx, &project, &variant, &Options::default(), Output::Check, &|_| false);
    }
}

/// A folder per thread with a data file and a commentary file, reused
/// between inputs.
fn project_folder() -> PathBuf {
    thread_local! {
        static FOLDER: PathBuf = {
            let folder = std::env::temp_dir().join(format!("statusrapport-fuzz-{}-{:?}", std::process::id(), std::thread::current().id()));
            write_fixture(&folder);
            folder
        };
    }
    FOLDER.with(Clone::clone)
}

fn write_fixture(folder: &Path) {
    let _ = std::fs::create_dir_all(folder);
    let mut csv = String::from("enhet;matt;period;varde\n");
    for month in 1..=12 {
        csv.push_str(&format!("vo;utfall;2023-{month:02};-1,{month}\nvo;budget;2023-{month:02};-0,5\n"));
    }
    let _ = std::fs::write(folder.join("data.csv"), csv);
    let commentary =
        "enhet = \"vo\"\nperiod = \"2023-09\"\nstatus = \"godkänd\"\ntext = \"\"\"\n- {utfall} i {månad}.\n\"\"\"\n";
    let _ = std::fs::write(folder.join("kommentar.toml"), commentary);
}

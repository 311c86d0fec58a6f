//! Micro-benchmarks of the hot pieces, so that a regression shows in one
//! number: `cargo bench`. Whole-process figures against other tools are in
//! `bench/compare.sh`.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use divan::{Bencher, black_box};
use statusrapport::chart::{self, Frame};
use statusrapport::context::Context;
use statusrapport::dataset::DataSet;
use statusrapport::diagnostic::Sources;
use statusrapport::load::{self, CsvRows, Project, ReadLog, ReadOptions};
use statusrapport::metrics::Metrics;
use statusrapport::model::{Report, Variant};
use statusrapport::pipeline::{self, Built, Options};
use statusrapport::render::{self, Engine, PagedDocument};
use statusrapport::validate;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/statusrapport-2023-09")
}

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::new);

/// The seed 001 example, loaded and validated once.
static PROJECT: LazyLock<(Context, Project, Report)> = LazyLock::new(|| {
    let (mut cx, project) = pipeline::load(&example());
    let project = project.expect("the example loads");
    let report = validate::validate(&mut cx, &project, &Variant::Whole).expect("the example validates");
    (cx, project, report)
});

/// The seed 001 example through the build path: its Typst files and
/// settings, with every chart drawn for its slot.
static BUILT: LazyLock<Built> = LazyLock::new(|| pipeline::build(&ENGINE, &example(), &Options::default()).1);

/// A long-form CSV of `rows` rows.
fn csv(rows: usize) -> String {
    let mut text = String::from("enhet;matt;period;varde\n");
    for i in 0..rows {
        let month = statusrapport::period::Month { year: 2000 + (i / 12 % 100) as i32, month: (i % 12) as u32 + 1 };
        text.push_str(&format!("u{};m{};{month};{},{}\n", i / 1200, i / 12 % 100, i % 97, i % 10));
    }
    text
}

#[divan::bench(args = [10_000, 100_000])]
fn csv_load(bencher: Bencher, rows: usize) {
    let text = csv(rows);
    bencher.bench(|| {
        let mut sources = Sources::default();
        let source = sources.add("b.csv", text.clone());
        let mut data = DataSet::default();
        let mut rows = CsvRows::new(sources.text(source), source, None);
        black_box(load::read_table(
            &mut rows,
            None,
            &ReadOptions::default(),
            &mut data,
            &sources,
            &mut ReadLog::default(),
        ));
        data.len()
    });
}

#[divan::bench]
fn load_and_validate_example() -> Option<Report> {
    let (mut cx, project) = pipeline::load(&example());
    validate::validate(&mut cx, &project?, &Variant::Whole)
}

#[divan::bench]
fn derive_every_metric(bencher: Bencher) {
    let (_, project, report) = &*PROJECT;
    bencher.bench(|| {
        let metrics = Metrics::new(report, &project.data);
        let mut count = 0;
        for metric in 0..report.metrics.len() {
            for unit in 0..report.units.len() {
                count += metrics.series(metric, unit).iter().flatten().count();
            }
        }
        count
    });
}

#[divan::bench]
fn draw_every_chart(bencher: Bencher) {
    let (_, project, report) = &*PROJECT;
    let metrics = Metrics::new(report, &project.data);
    bencher.bench_local(|| {
        let mut bytes = 0;
        for section in &report.sections {
            for figure in &section.charts {
                let drawn = chart::draw(figure, "Diagram", report, &metrics, Frame { width: 450.0, height: 290.0 });
                bytes += drawn.svg.len();
            }
        }
        bytes
    });
}

/// Typst from scratch each time: its caches are emptied first.
#[divan::bench]
fn typst_layout_cold(bencher: Bencher) {
    let (bundle, date) = (BUILT.bundle.as_ref().expect("a bundle"), BUILT.report.as_ref().expect("a report").date);
    bencher.bench(|| {
        typst::comemo::evict(0);
        let world = render::world_for(&ENGINE, bundle, pipeline::today(date));
        let mut cx = Context::new(&example());
        render::layout(&world, bundle, &mut cx).map(|document| document.pages().len())
    });
}

#[divan::bench]
fn pdf_export(bencher: Bencher) {
    let (bundle, date) = (BUILT.bundle.as_ref().expect("a bundle"), BUILT.report.as_ref().expect("a report").date);
    let settings = BUILT.settings.as_ref().expect("settings");
    let world = render::world_for(&ENGINE, bundle, pipeline::today(date));
    let mut cx = Context::new(&example());
    let document: PagedDocument = render::layout(&world, bundle, &mut cx).expect("the example lays out");
    bencher.bench_local(|| render::export(&document, &world, bundle, settings, &mut cx).map(|pdf| pdf.bytes.len()));
}

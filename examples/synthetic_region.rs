//! Writes a synthetic region of report projects, for benchmarks:
//! `cargo run --release --example synthetic_region -- DIR [NÄMNDER] [ENHETER]`.

fn main() {
    let mut args = std::env::args().skip(1);
    let root = args.next().expect("usage: synthetic_region DIR [NÄMNDER] [ENHETER]");
    let namnder = args.next().map_or(10, |n| n.parse().expect("a number of nämnder"));
    let units = args.next().map_or(10, |n| n.parse().expect("a number of units"));
    let projects = statusrapport::synthetic::write_region(std::path::Path::new(&root), namnder, units)
        .expect("the region is written");
    println!("{} rapportmappar i {root}", projects.len());
}

//! Every glyph of every example PDF is at least its kind's floor
//! (`Kind::legibility`) as it stands on the page: chart text after the
//! chart is scaled into its slot, text in tables, notes and footers alike.

use crate::support::{build_with, repo};

#[test]
fn no_glyph_of_an_example_is_below_its_kinds_floor() {
    let mut examples: Vec<_> = std::fs::read_dir(repo().join("data")).unwrap().map(|e| e.unwrap().path()).collect();
    examples.sort();
    assert!(examples.len() >= 7, "{examples:?}");
    let mut small = Vec::new();
    for example in &examples {
        let build = build_with(example, &Default::default());
        let pdf = build.pdf();
        let floor = build.built.report.as_ref().unwrap().kind.legibility().least();
        let shown = pdf.shown_text();
        assert!(shown.iter().filter(|t| t.codes > 0).count() > 50, "{}: text is found", example.display());
        for text in shown.iter().filter(|t| t.codes > 0 && t.size < floor - 0.001) {
            small.push(format!("{} page {}: {:.2} pt < {floor} pt", example.display(), text.page, text.size));
        }
    }
    small.dedup();
    assert!(small.is_empty(), "text below the floor:\n{}", small.join("\n"));
}

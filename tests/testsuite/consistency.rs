//! The check of hand-typed figures against the data, measured on a labelled
//! corpus of sentences from the seeds and realistic variants
//! (`tests/fixtures/konsekvens/meningar.toml`): no false alarm on a correct
//! sentence of the seeds, and at least 90 % of the wrong figures caught, each
//! at its own place.

use std::collections::BTreeMap;

use statusrapport::context::Context;
use statusrapport::diagnostic::Span;
use statusrapport::metrics::Metrics;
use statusrapport::model::{Commentary, Report, Status, Variant};
use statusrapport::pipeline;
use statusrapport::validate::names::{Names, Scope};
use statusrapport::validate::text::{TextOrigin, parse_markdown};

use crate::support::repo;

#[derive(serde::Deserialize)]
struct Corpus {
    mening: Vec<Sentence>,
}

#[derive(serde::Deserialize)]
struct Sentence {
    rapport: String,
    enhet: String,
    avsnitt: Option<String>,
    text: String,
    ratt: bool,
    /// The figure the warning must point at, for a wrong sentence.
    fel: Option<String>,
    kalla: String,
}

/// The warnings the check gives for one sentence written as the commentary
/// of a section of an example report: (message, the text it points at).
fn warnings(
    sentence: &Sentence,
    (cx, project, report): &(Context, statusrapport::load::Project, Report),
) -> Vec<(String, String)> {
    let unit = report.units.iter().position(|u| u.id == sentence.enhet).expect("the unit");
    let mut cx = cx.clone();
    let source = cx.sources.add("kommentar.md", sentence.text.clone());
    let scope = Scope {
        names: Names { units: &report.units, metrics: &report.metrics },
        period: report.period,
        unit: Some(unit),
    };
    let origin = TextOrigin { value: Span::new(source, 0..sentence.text.len()), exact_start: Some(0) };
    let blocks = parse_markdown(&sentence.text, origin, scope).expect("the sentence parses");
    let mut section = match &sentence.avsnitt {
        Some(heading) => report
            .sections
            .iter()
            .find(|s| matches!(s.heading.0.first(), Some(statusrapport::model::Piece::Text(t)) if t.starts_with(heading.as_str())))
            .expect("the section")
            .clone(),
        None => report.sections[0].clone(),
    };
    section.commentary =
        Some(Commentary { source, status: Status::Approved, approval: None, author: None, unit: Some(unit), blocks });
    let metrics = Metrics::new(report, &project.data);
    statusrapport::consistency::check(&section, report, &metrics, &mut cx);
    cx.diagnostics
        .iter()
        .map(|d| (d.message.clone(), d.location.map(|l| cx.sources.slice(l).to_string()).unwrap_or_default()))
        .collect()
}

#[test]
fn hand_typed_figures_are_checked_against_the_data() {
    let corpus: Corpus =
        toml::from_str(&std::fs::read_to_string(repo().join("tests/fixtures/konsekvens/meningar.toml")).unwrap())
            .unwrap();
    let mut reports = BTreeMap::new();
    let (mut caught, mut missed, mut false_alarms, mut quiet) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for sentence in &corpus.mening {
        let loaded = reports.entry(sentence.rapport.clone()).or_insert_with(|| {
            let (mut cx, project) = pipeline::load(&repo().join("data").join(&sentence.rapport));
            let project = project.expect("the example loads");
            let report = statusrapport::validate::validate(&mut cx, &project, &Variant::Whole).expect("it validates");
            (cx, project, report)
        });
        let found = warnings(sentence, loaded);
        match (sentence.ratt, found.as_slice()) {
            (true, []) => quiet += 1,
            (true, _) => {
                false_alarms += 1;
                failures.push(format!("falskt larm ({}): {}\n  {found:?}", sentence.kalla, sentence.text));
            }
            (false, [(_, at)]) if Some(at) == sentence.fel.as_ref() => caught += 1,
            (false, _) => {
                missed += 1;
                failures.push(format!("missat ({}): {}\n  {found:?}", sentence.kalla, sentence.text));
            }
        }
    }
    let precision = caught as f64 / (caught + false_alarms).max(1) as f64;
    let recall = caught as f64 / (caught + missed).max(1) as f64;
    println!(
        "{} meningar: {caught} fel fångade, {missed} missade, {false_alarms} falska larm, {quiet} rätt utan larm; precision {:.0} %, recall {:.0} %",
        corpus.mening.len(),
        precision * 100.0,
        recall * 100.0
    );
    let seed_false_alarms = failures.iter().filter(|f| f.starts_with("falskt larm (förlaga")).count();
    assert!(corpus.mening.len() >= 40, "the corpus has {} sentences", corpus.mening.len());
    assert_eq!(seed_false_alarms, 0, "{}", failures.join("\n"));
    assert!(recall >= 0.9, "recall {recall:.2}\n{}", failures.join("\n"));
    assert_eq!(false_alarms, 0, "{}", failures.join("\n"));
}

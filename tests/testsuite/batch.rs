//! Nightly rebuilds: a synthetic region built in one run, rebuilt with no
//! change, and rebuilt with a failure in the middle of the batch.

use std::fs;
use std::path::Path;

use statusrapport::batch::{self, BatchOptions, ReportStatus};
use statusrapport::pipeline::Options;
use statusrapport::synthetic;

use crate::pdf::Pdf;
use crate::support::{Project, engine, repo};

fn options(out: &Path) -> BatchOptions {
    BatchOptions { out: out.to_path_buf(), jobs: Some(2), pipeline: Options::default() }
}

/// A synthetic region of `namnder` × `units` projects in a temporary folder.
fn region(namnder: usize, units: usize) -> Project {
    let region = Project::named("region", &[]);
    synthetic::write_region(&region.root, namnder, units).unwrap();
    region
}

fn run(root: &Path, out: &Path) -> batch::BatchResult {
    let projects = statusrapport::discover::find_projects(root).unwrap().projects;
    batch::run(engine(), root, &projects, &[], &options(out), &|_| {}).unwrap()
}

fn statuses(result: &batch::BatchResult) -> Vec<(String, ReportStatus)> {
    result.manifest.rapporter.iter().map(|e| (e.pdf.clone(), e.status)).collect()
}

#[test]
fn a_second_run_with_no_change_rebuilds_nothing() {
    let region = region(2, 3);
    let (root, out) = (region.root.clone(), region.dir().join("ut"));
    let first = run(&root, &out);
    assert_eq!(first.failed, 0);
    assert!(statuses(&first).iter().all(|(_, s)| *s == ReportStatus::Byggd), "{:?}", statuses(&first));
    assert_eq!(first.manifest.rapporter.len(), 6);
    let modified = fs::metadata(out.join("namnd-01/enhet-01.pdf")).unwrap().modified().unwrap();

    let second = run(&root, &out);
    assert!(statuses(&second).iter().all(|(_, s)| *s == ReportStatus::Oforandrad), "{:?}", statuses(&second));
    assert_eq!(fs::metadata(out.join("namnd-01/enhet-01.pdf")).unwrap().modified().unwrap(), modified);

    // One commentary edited: only that report is rebuilt.
    let commentary = root.join("namnd-02/enhet-03/kommentarer/ekonomi.toml");
    let text = fs::read_to_string(&commentary).unwrap().replace("Den ackumulerade", "Den samlade");
    fs::write(&commentary, text).unwrap();
    let third = run(&root, &out);
    let rebuilt: Vec<_> = statuses(&third).into_iter().filter(|(_, s)| *s == ReportStatus::Byggd).collect();
    assert_eq!(rebuilt, [("namnd-02/enhet-03.pdf".to_string(), ReportStatus::Byggd)]);
    let pdf = Pdf::parse(fs::read(out.join("namnd-02/enhet-03.pdf")).unwrap());
    assert!(pdf.text().contains("Den samlade avvikelsen"));
}

#[test]
fn a_failure_in_the_middle_leaves_every_pdf_old_or_new_and_complete() {
    let region = region(1, 5);
    let (root, out) = (region.root.clone(), region.dir().join("ut"));
    run(&root, &out);
    let before: Vec<Vec<u8>> =
        (1..=5).map(|u| fs::read(out.join(format!("namnd-01/enhet-{u:02}.pdf"))).unwrap()).collect();

    // Every report changes; the third gets a broken figure.
    for u in 1..=5 {
        let report = root.join(format!("namnd-01/enhet-{u:02}/rapport.toml"));
        let text = fs::read_to_string(&report).unwrap().replace("Statusrapport enhet", "Ny statusrapport enhet");
        fs::write(&report, text).unwrap();
    }
    let data = root.join("namnd-01/enhet-03/siffror/data.csv");
    let text = fs::read_to_string(&data).unwrap().replacen("e;utfall;2023-05;", "e;utfall;2023-05;trasig", 1);
    fs::write(&data, text).unwrap();

    let result = run(&root, &out);
    assert_eq!(result.failed, 1);
    let failed: Vec<_> = result.manifest.rapporter.iter().filter(|e| e.status == ReportStatus::Misslyckad).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].pdf, "namnd-01/enhet-03.pdf");
    assert!(
        failed[0].meddelanden[0]["message"].as_str().unwrap().contains("är inget tal"),
        "{:?}",
        failed[0].meddelanden
    );
    let broken_line = fs::read_to_string(&data).unwrap().lines().position(|l| l.contains("trasig")).unwrap() + 1;
    assert_eq!(failed[0].meddelanden[0]["line"], broken_line, "the message names the broken row");

    for u in 1..=5 {
        let path = out.join(format!("namnd-01/enhet-{u:02}.pdf"));
        let bytes = fs::read(&path).unwrap();
        let pdf = Pdf::parse(bytes.clone());
        assert_eq!(pdf.pages(), 6, "{} is a complete PDF", path.display());
        if u == 3 {
            assert_eq!(bytes, before[2], "the failed report keeps its old PDF");
        } else {
            assert_ne!(bytes, before[u - 1], "{} is the new PDF", path.display());
            assert!(pdf.text().contains("Ny statusrapport"));
        }
    }
    let leftovers: Vec<_> = fs::read_dir(out.join("namnd-01"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files are left");
}

#[test]
fn shards_split_the_tree_without_overlap() {
    let root = Path::new("region");
    let projects: Vec<_> = (0..40).map(|i| root.join(format!("p{i}"))).collect();
    let shards: Vec<_> = (1..=3).map(|i| batch::shard(root, projects.clone(), i, 3)).collect();
    assert_eq!(shards.iter().map(Vec::len).sum::<usize>(), 40);
    assert!(shards.iter().all(|s| !s.is_empty()));
    for (i, a) in shards.iter().enumerate() {
        for b in &shards[i + 1..] {
            assert!(a.iter().all(|p| !b.contains(p)));
        }
    }
    assert_eq!(batch::shard(root, projects.clone(), 2, 3), shards[1], "the same split every time");
    // The tree named another way, as on another machine: the same split.
    let elsewhere = Path::new("/srv/rapporter/region");
    let moved: Vec<_> = (0..40).map(|i| elsewhere.join(format!("p{i}"))).collect();
    let names = |paths: Vec<std::path::PathBuf>, root: &Path| -> Vec<_> {
        paths.into_iter().map(|p| p.strip_prefix(root).unwrap().to_path_buf()).collect()
    };
    assert_eq!(names(batch::shard(elsewhere, moved, 2, 3), elsewhere), names(shards[1].clone(), root));
}

/// A folder the run could not read is in the manifest as plainly as a
/// failed report, and gone from it once a run reads the tree whole.
#[test]
fn an_unreadable_folder_is_named_in_the_manifest_until_it_can_be_read() {
    let project = Project::example("skrivelse-delarsrapport-april-2023");
    let out = project.dir().join("ut");
    let closed = batch::UnreadableFolder { mapp: "region/stangd".into(), fel: "mappen kan inte läsas".into() };
    let root = std::slice::from_ref(&project.root);
    batch::run(engine(), &project.root, root, std::slice::from_ref(&closed), &options(&out), &|_| {}).unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&fs::read(out.join(batch::MANIFEST)).unwrap()).unwrap();
    assert_eq!(
        manifest["olasbara_mappar"],
        serde_json::json!([{ "mapp": "region/stangd", "fel": "mappen kan inte läsas" }])
    );
    assert_eq!(manifest["rapporter"][0]["status"], "byggd", "the other reports are built");

    batch::run(engine(), &project.root, root, &[], &options(&out), &|_| {}).unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&fs::read(out.join(batch::MANIFEST)).unwrap()).unwrap();
    assert!(manifest.get("olasbara_mappar").is_none(), "{manifest}");
}

#[test]
fn a_project_with_per_enhet_gives_one_pdf_per_unit_as_well() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ut");
    let root = repo().join("data/handlingsplan-2017-11");
    let result = batch::run(engine(), &root, std::slice::from_ref(&root), &[], &options(&out), &|_| {}).unwrap();
    let names: Vec<&str> = result.manifest.rapporter.iter().map(|e| e.pdf.as_str()).collect();
    assert_eq!(names, ["handlingsplan-2017-11-hlm.pdf", "handlingsplan-2017-11-kba.pdf", "handlingsplan-2017-11.pdf"]);
    let unit = Pdf::parse(fs::read(out.join("handlingsplan-2017-11-kba.pdf")).unwrap());
    let text = unit.text();
    assert!(text.contains("Arbetet framåt VO Kungsbacka") && !text.contains("VO Halmstad/Laholm"), "{text}");
    assert_eq!(unit.info("Title").as_deref(), Some("Handlingsplan budget i balans: VO Kungsbacka"));
}

/// A project folder named like another project's unit PDF: both would write
/// `handlingsplan-2017-11-kba.pdf`. Neither writes it, both say why, and the
/// other PDFs are built.
#[test]
fn two_reports_that_would_write_the_same_pdf_both_fail_naming_each_other() {
    let tree = Project::named("region", &[]);
    let example = repo().join("data/handlingsplan-2017-11");
    crate::support::copy_tree(&example, &tree.root.join("handlingsplan-2017-11"));
    crate::support::copy_tree(&example, &tree.root.join("handlingsplan-2017-11-kba"));
    let out = tree.dir().join("ut");
    let result = run(&tree.root, &out);
    let clashing: Vec<_> =
        result.manifest.rapporter.iter().filter(|e| e.pdf == "handlingsplan-2017-11-kba.pdf").collect();
    assert_eq!(clashing.len(), 1, "one line for the file in the manifest");
    assert_eq!(clashing[0].status, ReportStatus::Misslyckad);
    assert_eq!(clashing[0].pdf_sha256, None);
    let message = clashing[0].meddelanden[0]["message"].as_str().unwrap();
    assert!(
        message.contains("handlingsplan-2017-11 (enhet kba)")
            && message.contains("region/handlingsplan-2017-11-kba och"),
        "{message}"
    );
    assert!(!out.join("handlingsplan-2017-11-kba.pdf").exists(), "neither wrote the file");
    assert_eq!(result.failed, 2, "both reports fail");
    assert!(out.join("handlingsplan-2017-11-hlm.pdf").is_file());
    assert!(out.join("handlingsplan-2017-11.pdf").is_file());
}

/// While a run goes on, the manifest on disk names only PDFs whose
/// fingerprint matches the file: a run killed at any moment leaves no false
/// claim. Temporary files a killed run left are removed.
#[test]
fn during_a_run_the_manifest_claims_only_what_is_on_disk() {
    let region = region(1, 3);
    let (root, out) = (region.root.clone(), region.dir().join("ut"));
    run(&root, &out);
    for u in 1..=3 {
        let report = root.join(format!("namnd-01/enhet-{u:02}/rapport.toml"));
        let text = fs::read_to_string(&report).unwrap().replace("Statusrapport enhet", "Ny statusrapport enhet");
        fs::write(&report, text).unwrap();
    }
    let stale = out.join("namnd-01/.statusrapport-AbC123.tmp");
    fs::write(&stale, b"a PDF half written by a killed run").unwrap();
    let checked = std::sync::atomic::AtomicUsize::new(0);
    let check_manifest = |_: &[batch::ReportResult]| {
        let manifest: batch::Manifest = serde_json::from_slice(&fs::read(out.join(batch::MANIFEST)).unwrap()).unwrap();
        assert_eq!(manifest.slut, "", "the run is not over");
        for entry in &manifest.rapporter {
            let on_disk = fs::read(out.join(&entry.pdf)).ok().map(|b| statusrapport::context::sha256(&b));
            assert_eq!(entry.pdf_sha256, on_disk, "{} is claimed as it is on disk", entry.pdf);
        }
        checked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let projects = statusrapport::discover::find_projects(&root).unwrap().projects;
    let result = batch::run(engine(), &root, &projects, &[], &options(&out), &check_manifest).unwrap();
    assert_eq!(checked.into_inner(), 3);
    assert_eq!(result.built, 3);
    assert!(!stale.exists(), "the stale temporary file is gone");
    assert_ne!(result.manifest.slut, "");
}

//! A synthetic region for tests and benchmarks: `nämnder × enheter` report
//! projects, each a realistic statusrapport (six pages, four charts, a
//! table, commentary with placeholders) over two years of monthly figures.
//! The figures come from a fixed pseudo-random sequence, so the same call
//! always writes the same files.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// A small linear congruential generator: deterministic, no dependency.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Writes the region under `root` and returns the project folders, sorted.
pub fn write_region(root: &Path, namnder: usize, units: usize) -> std::io::Result<Vec<PathBuf>> {
    let mut projects = Vec::new();
    for n in 1..=namnder {
        for u in 1..=units {
            let folder = root.join(format!("namnd-{n:02}")).join(format!("enhet-{u:02}"));
            write_project(&folder, n, u)?;
            projects.push(folder);
        }
    }
    projects.sort();
    Ok(projects)
}

/// One unit's statusrapport.
pub fn write_project(folder: &Path, namnd: usize, unit: usize) -> std::io::Result<()> {
    fs::create_dir_all(folder.join("siffror"))?;
    fs::create_dir_all(folder.join("kommentarer"))?;
    let mut sequence = Sequence((namnd * 1000 + unit) as u64);
    let mut csv = String::from("enhet;matt;period;varde\n");
    let level = sequence.next() * 4.0 - 2.0;
    for year in [2022, 2023] {
        for month in 1..=12 {
            let period = format!("{year}-{month:02}");
            let budget = level / 12.0;
            let actual = budget + sequence.next() * 1.2 - 0.65;
            let phone = 85.0 + sequence.next() * 12.0;
            let sick = 5.0 + sequence.next() * 3.0;
            writeln!(csv, "e;budget;{period};{}", decimal(budget, 2)).expect("writing to a string");
            if (year, month) <= (2023, 9) {
                writeln!(csv, "e;utfall;{period};{}", decimal(actual, 2)).expect("writing to a string");
                writeln!(csv, "e;telefon;{period};{}", decimal(phone, 1)).expect("writing to a string");
                writeln!(csv, "e;sjukfranvaro;{period};{}", decimal(sick, 1)).expect("writing to a string");
            }
        }
    }
    fs::write(folder.join("siffror/data.csv"), csv)?;
    let report = format!(
        r#"typ = "statusrapport"
titel = "Statusrapport enhet {unit} {{period}}"
namnd = "Nämnd {namnd}"
forvaltning = "Förvaltning {namnd}"
period = "2023-09"

[[data]]
fil = "siffror/data.csv"

[[enhet]]
id = "e"
namn = "Enhet {unit}, nämnd {namnd}"

[matt.utfall]
namn = "Resultat"
enhet = "mnkr"

[matt.budget]
namn = "Budget"
enhet = "mnkr"

[matt.avvikelse]
namn = "Budgetavvikelse"
formel = "utfall - budget"
enhet = "mnkr"
tecken = true

[matt.ack_avvikelse]
namn = "Ackumulerad budgetavvikelse"
formel = "ack(utfall - budget)"
enhet = "mnkr"
tecken = true

[matt.r12]
namn = "Resultat R12"
formel = "r12(utfall)"
enhet = "mnkr"
tecken = true

[matt.telefon]
namn = "Telefontillgänglighet"
enhet = "%"
mal = 90.0

[matt.sjukfranvaro]
namn = "Sjukfrånvaro"
enhet = "%"

[[avsnitt]]
rubrik = "Ekonomi {{period}}"
enhet = "e"
kommentar = "kommentarer/ekonomi.toml"
[[avsnitt.diagram]]
typ = "stapel"
matt = "avvikelse"

[[avsnitt]]
rubrik = "Resultat rullande tolv månader"
enhet = "e"
[[avsnitt.diagram]]
typ = "linje"
matt = "r12"

[[avsnitt]]
rubrik = "Sammanställning"
[avsnitt.tabell]
kolumner = [
  {{ matt = "ack_avvikelse", rubrik = "Avvikelse ack." }},
  {{ matt = "r12", rubrik = "Resultat R12" }},
  {{ matt = "telefon", rubrik = "Telefontillgänglighet" }},
]

[[avsnitt]]
rubrik = "Telefontillgänglighet"
enhet = "e"
[[avsnitt.nyckeltal]]
matt = "telefon"
[[avsnitt.diagram]]
typ = "linje"
matt = "telefon"

[[avsnitt]]
rubrik = "Sjukfrånvaro"
enhet = "e"
[[avsnitt.diagram]]
typ = "linje"
matt = "sjukfranvaro"
"#
    );
    fs::write(folder.join("rapport.toml"), report)?;
    let commentary = r#"enhet = "e"
period = "2023-09"
forfattare = "Ekonomienheten"
status = "godkänd"
text = """
- Den ackumulerade avvikelsen är {ack_avvikelse} efter {månad} ({ack_avvikelse@föregående} efter {föregående_månad}).
- Resultatet rullande tolv månader är {r12}.
- Telefontillgängligheten var {telefon} i {månad}.
"""
"#;
    fs::write(folder.join("kommentarer/ekonomi.toml"), commentary)
}

fn decimal(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}").replace('.', ",")
}

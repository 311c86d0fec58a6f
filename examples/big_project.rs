//! Writes a report project with a large long-form CSV, for the loading
//! benchmark: `cargo run --release --example big_project -- MAPP [RADER] [export]`.
//! 1 000 units × 20 metrics × as many months as the rows need. With
//! `export`, the same figures shaped as a finance system delivers them: two
//! title rows above a header found by itself, its own column names
//! (`kolumner`), units by a second spelling of their name or by alias,
//! metrics by name in capitals, and a totals row (`ignorera_rader`).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let folder = args.next().expect("usage: big_project MAPP [RADER]");
    let rows: usize = args.next().map_or(1_000_000, |n| n.parse().expect("a number of rows"));
    let export = args.next().as_deref() == Some("export");
    let (units, metrics) = (1000, 20);
    let months = rows.div_ceil(units * metrics);
    let folder = Path::new(&folder);
    fs::create_dir_all(folder).expect("the folder");
    let first = statusrapport::period::Month { year: 2020, month: 1 };
    let last = first.plus(months as i64 - 1);
    let mut report = format!(
        "typ = \"statusrapport\"\ntitel = \"Stor datamängd\"\nnamnd = \"Nämnden\"\nperiod = \"{last}\"\n\n[[data]]\nfil = \"data.csv\"\n"
    );
    if export {
        report.push_str(
            "kolumner = { enhet = \"Verksamhet\", matt = \"Typ\", period = \"Månad\", varde = \"Belopp\" }\nignorera_rader = [\"Summa\"]\n",
        );
    }
    report.push('\n');
    for u in 0..units {
        writeln!(report, "[[enhet]]\nid = \"u{u:04}\"\nnamn = \"Enhet {u}\"\nalias = [\"VO {u}\"]\n")
            .expect("writing to a string");
    }
    for m in 0..metrics {
        writeln!(report, "[matt.m{m:02}]\nnamn = \"Mått {m}\"\nenhet = \"mnkr\"\n").expect("writing to a string");
    }
    writeln!(report, "[[avsnitt]]\nrubrik = \"Översikt\"\n[avsnitt.tabell]\nenheter = [\"u0000\", \"u0001\"]\nkolumner = [{{ matt = \"m00\" }}]").expect("writing to a string");
    fs::write(folder.join("rapport.toml"), report).expect("rapport.toml");
    let mut csv = String::with_capacity(rows * 32);
    csv.push_str(if export {
        "Resultatrapport;;;\nUtskriven 2023-10-05;;;\nVerksamhet;Typ;Månad;Belopp\n"
    } else {
        "enhet;matt;period;varde\n"
    });
    let mut written = 0;
    'all: for month in first.through(last) {
        for u in 0..units {
            for m in 0..metrics {
                if written == rows {
                    break 'all;
                }
                let value = ((u * 31 + m * 7 + written) % 2000) as f64 / 10.0 - 100.0;
                let value = format!("{value:.1}").replace('.', ",");
                if !export {
                    writeln!(csv, "u{u:04};m{m:02};{month};{value}")
                } else if written % 2 == 0 {
                    writeln!(csv, "enhet  {u};MÅTT {m};{month};{value}")
                } else {
                    writeln!(csv, "VO {u};MÅTT {m};{month};{value}")
                }
                .expect("writing to a string");
                written += 1;
            }
        }
    }
    if export {
        csv.push_str("Summa;;;0\n");
    }
    fs::write(folder.join("data.csv"), csv).expect("data.csv");
    println!("{written} rader i {}", folder.join("data.csv").display());
}

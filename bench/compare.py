#!/usr/bin/env python3
"""Speed and memory of statusrapport against what a secretariat would use
instead, measured in one run on the same machine (see bench/compare.sh).

Each case runs as a whole process several times (after a warm-up); the
table gives the median (and min–max) wall time and the peak RSS, and the
ratios asked for in the issue, and is written to bench/RESULTS.md."""
import json
import os
import pathlib
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib

REPO = pathlib.Path(__file__).resolve().parent.parent
BINARY = REPO / "target/release/statusrapport"
EXAMPLES = REPO / "target/release/examples"
TYPST = os.environ.get("TYPST", "typst")
RUNS = int(os.environ.get("RUNS", "10"))
WORK = pathlib.Path(tempfile.mkdtemp(prefix="statusrapport-bench-"))


def run(command, cwd=None, setup=None, runs=RUNS, warmup=1):
    """Wall seconds and peak RSS (MB) of `command`, per run."""
    walls, rss = [], []
    for i in range(warmup + runs):
        if setup:
            setup()
        started = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, cwd=cwd, capture_output=True, text=True)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"{' '.join(map(str, command))} failed:\n{done.stdout}\n{done.stderr}")
        if i >= warmup:
            walls.append(wall)
            rss.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
    return {"median": statistics.median(walls), "min": min(walls), "max": max(walls), "rss": max(rss)}


def run_pair(command_a, command_b, cwd_b=None, runs=RUNS):
    """Two commands in turn, A B A B …, so that drift in the machine's speed
    falls on both; returns both results and the median of the ratios A/B."""
    a, b, ratios = [], [], []
    for i in range(runs + 1):
        ra = run(command_a, runs=1, warmup=0)
        rb = run(command_b, cwd=cwd_b, runs=1, warmup=0)
        if i > 0:
            a.append(ra)
            b.append(rb)
            ratios.append(ra["median"] / rb["median"])
    summary = lambda rs: {
        "median": statistics.median(r["median"] for r in rs),
        "min": min(r["median"] for r in rs),
        "max": max(r["median"] for r in rs),
        "rss": max(r["rss"] for r in rs),
    }
    return summary(a), summary(b), statistics.median(ratios)


def ms(seconds):
    return f"{seconds * 1000:.0f} ms"


def eject(project, ejected, extra=()):
    """Ejects a report to Typst files; returns the shell command that
    compiles them with the typst CLI, as the ejected LÄSMIG.txt gives it."""
    subprocess.run([BINARY, "eject", project, "-o", ejected, *extra], check=True, capture_output=True)
    command = (ejected / "LÄSMIG.txt").read_text(encoding="utf-8").split("\n    ")[1].split("\n")[0]
    return f"cd {ejected} && {command.replace('typst ', TYPST + ' ', 1)}"


rows = []


def row(case, result, note=""):
    rows.append((case, result, note))
    print(f"{case:<58} {ms(result['median']):>9} ({ms(result['min'])}–{ms(result['max'])})  {result['rss']:.0f} MB  {note}", flush=True)


def main():
    print(f"{platform.node()}: {os.cpu_count()} kärnor, {RUNS} körningar per fall\n")
    ratios = []
    for example in sorted((REPO / "data").iterdir()):
        name = example.name
        out = WORK / "ut" / name
        # Every PDF the project gives (with per_enhet, one per unit too), as
        # Typst files; the typst CLI and the hand workflow make them all.
        config = tomllib.loads((example / "rapport.toml").read_text(encoding="utf-8"))
        per_unit = config.get("per_enhet", False)
        units = [u["id"] for u in config.get("enhet", [])] if per_unit is True else (per_unit or [])
        typst_commands, hand_commands = [], []
        for unit in [None] + units:
            ejected = WORK / "ejekt" / f"{name}-{unit or 'hela'}"
            extra = ["--enhet", unit] if unit else []
            typst_commands.append(eject(example, ejected, extra))
            hand_commands.append(f"{sys.executable} {REPO / 'bench/handarbete.py'} {ejected}")
        pdfs = f"{len(typst_commands)} PDF" if len(typst_commands) > 1 else "1 PDF"
        ours, typst, vs_typst = run_pair([BINARY, "build", example, "-o", out, "--force"], ["sh", "-c", " && ".join(typst_commands)])
        row(f"{name}: statusrapport build (kall process)", ours)
        row(f"{name}: typst compile av ejekt, {pdfs} (diagram färdiga)", typst)
        hand = run(["sh", "-c", " && ".join(hand_commands)], runs=max(3, RUNS // 3))
        row(f"{name}: matplotlib + typst compile, {pdfs}", hand)
        ratios.append((name, vs_typst, hand["median"] / ours["median"]))

    # The report the targets were set for: 6 pages, 4 charts.
    region = WORK / "region"
    subprocess.run([EXAMPLES / "synthetic_region", region, "10", "10"], check=True, capture_output=True)
    one = region / "namnd-01" / "enhet-01"
    ejected = WORK / "ejekt" / "syntetisk"
    ours, typst, vs_typst = run_pair([BINARY, "build", one, "-o", WORK / "ut" / "syntetisk", "--force"],
                                     ["sh", "-c", eject(one, ejected)])
    row("syntetisk rapport (6 sidor, 4 diagram): statusrapport build", ours)
    row("syntetisk rapport: typst compile av ejekt (diagram färdiga)", typst)
    hand = run([sys.executable, REPO / "bench/handarbete.py", ejected], runs=max(3, RUNS // 3))
    row("syntetisk rapport: matplotlib + typst compile", hand)
    ratios.append(("syntetisk rapport (6 sidor, 4 diagram)", vs_typst, hand["median"] / ours["median"]))

    rebuild = subprocess.run([EXAMPLES / "watch_rebuild", REPO / "data/statusrapport-2023-09", "40"], capture_output=True, text=True, check=True)
    watch = json.loads(rebuild.stdout)
    print(f"\nwatch, ändrad kommentarsrad: förhandsvisning median {watch['preview_median_ms']:.1f} ms "
          f"(min {watch['preview_min_ms']:.1f}, max {watch['preview_max_ms']:.1f}), med PDF {watch['total_median_ms']:.1f} ms")

    batch_out = WORK / "region-ut"
    cold = run([BINARY, "build", region, "-o", batch_out], setup=lambda: shutil.rmtree(batch_out, ignore_errors=True), runs=3)
    row("100 syntetiska rapporter, kall körning", cold)
    unchanged = run([BINARY, "build", region, "-o", batch_out], runs=5)
    row("100 syntetiska rapporter, inget ändrat", unchanged)

    big = WORK / "miljon"
    subprocess.run([EXAMPLES / "big_project", big, "1000000"], check=True, capture_output=True)
    load = run([BINARY, "check", big], runs=3)
    row("1 000 000 rader CSV: statusrapport check (läs + validera)", load)
    export = WORK / "miljon-export"
    subprocess.run([EXAMPLES / "big_project", export, "1000000", "export"], check=True, capture_output=True)
    row("samma 1 000 000 rader som en export (rubrik hittas, kolumner, alias)", run([BINARY, "check", export], runs=3))

    write_results(ratios, watch, cold, unchanged, load)
    shutil.rmtree(WORK, ignore_errors=True)


def write_results(ratios, watch, cold, unchanged, load):
    lines = [
        "# Mätresultat",
        "",
        f"Uppmätt {time.strftime('%Y-%m-%d')} med `bench/compare.sh` på {platform.node()} "
        f"({os.cpu_count()} kärnor), {RUNS} körningar per fall efter en uppvärmning; median (min–max) "
        "väggtid för hela processen och högsta RSS.",
        "",
        "| fall | median | min–max | högsta RSS |",
        "|---|---:|---:|---:|",
    ]
    for case, result, _ in rows:
        lines.append(f"| {case} | {ms(result['median'])} | {ms(result['min'])}–{ms(result['max'])} | {result['rss']:.0f} MB |")
    lines += [
        "",
        "## Kvoter",
        "",
        "Kvoten mot typst CLI är medianen av kvoterna körning för körning (de två körs växelvis); "
        "kvoten mot matplotlib + typst är kvoten mellan medianerna.",
        "",
        "| rapport | statusrapport / typst CLI (mål ≤ 1,0) | (matplotlib + typst) / statusrapport (mål ≥ 20) |",
        "|---|---:|---:|",
    ]
    for name, vs_typst, vs_hand in ratios:
        lines.append(f"| {name} | {vs_typst:.2f} | {vs_hand:.1f} |")
    lines += [
        "",
        "## Mål",
        "",
        f"- Förhandsvisning efter en ändrad kommentarsrad i `watch` (i processen, {watch['runs']} ändringar): "
        f"median {watch['preview_median_ms']:.1f} ms (mål ≤ 30 ms), med PDF skriven {watch['total_median_ms']:.1f} ms.",
        f"- 100 syntetiska rapporter kallt: {ms(cold['median'])} (mål ≤ 3 s), högsta RSS {cold['rss']:.0f} MB (mål ≤ 200 MB).",
        f"- 100 syntetiska rapporter utan ändring: {ms(unchanged['median'])} (mål ≤ 0,3 s).",
        f"- 1 000 000 rader CSV lästa och validerade: {ms(load['median'])} (mål ≤ 1 s), högsta RSS {load['rss']:.0f} MB (mål ≤ 300 MB).",
        "",
    ]
    (REPO / "bench/RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
    print("\nSkrivet till bench/RESULTS.md")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The attack suite of issue 16: every hostile input and odd operation the
attack found, repeated against a built binary with its limit asserted.

    scripts/attack.py [--binary PATH] [--kill-trials N] [CASE ...]

Each case must end within 10 s and 1 GB peak RSS (measured with
/usr/bin/time) with the outcome it names; the kill -9 trials build a tree of
30 projects, kill the run at random moments and check that every PDF is the
old or the new one, complete, that the manifest claims only what is on disk,
and that the next run leaves no temporary files. Prints a Markdown table
(case, outcome, time, peak RSS) and exits 1 if any case failed.

Linux only (FIFOs, /proc, /usr/bin/time, flock). Run it against a release
build: `cargo build --release && scripts/attack.py`.
"""

import argparse
import fcntl
import hashlib
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECONDS = 10.0
MEGABYTES = 1024
BASE = os.path.join(REPO, "tests/corpus/toml-ogiltigt-datum")

binary = os.path.join(REPO, "target/release/statusrapport")
results = []


class Run:
    def __init__(self, code, stdout, stderr, seconds, megabytes):
        self.code, self.stdout, self.stderr = code, stdout, stderr
        self.seconds, self.megabytes = seconds, megabytes
        self.output = stdout + stderr


def run(args, cwd, env=None, timeout=60.0, stdin=subprocess.DEVNULL, as_user=None):
    """Runs the binary under /usr/bin/time; a run past `timeout` is killed."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as measured:
        os.chmod(measured.name, 0o666)
        command = ["/usr/bin/time", "-f", "%e %M", "-o", measured.name, binary, *args]
        if as_user:
            command = ["setpriv", f"--reuid={as_user}", f"--regid={as_user}", "--clear-groups", *command]
        started = time.monotonic()
        child = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})}, stdin=stdin,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            stdout, stderr = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            stdout, stderr = child.communicate()
            return Run(None, stdout.decode(errors="replace"), stderr.decode(errors="replace"),
                       time.monotonic() - started, 0)
        fields = measured.read().split()
        seconds, kilobytes = (float(fields[-2]), int(fields[-1])) if len(fields) >= 2 else (0.0, 0)
        return Run(child.returncode, stdout.decode(errors="replace"), stderr.decode(errors="replace"),
                   seconds, kilobytes / 1024)


def case(name):
    def register(function):
        function.case = name
        CASES.append(function)
        return function
    return register


CASES = []


def project(folder, report_edit=None, files=None):
    """A small valid project (one unit, one chart, one commentary) in `folder`."""
    shutil.copytree(BASE, folder)
    path = os.path.join(folder, "rapport.toml")
    text = open(path, encoding="utf-8").read().replace('datum = "2023-02-30"', 'datum = "2023-10-12"')
    if report_edit:
        text = report_edit(text)
    open(path, "w", encoding="utf-8").write(text)
    for name, content in (files or {}).items():
        target = os.path.join(folder, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(target, mode) as f:
            f.write(content)
    return folder


def expect(run, condition, outcome, limit_seconds=SECONDS, limit_mb=MEGABYTES):
    """Records a case's result: the outcome and that it kept its limits."""
    within = run.code is not None and run.seconds <= limit_seconds and run.megabytes <= limit_mb
    passed = bool(condition) and within
    if run.code is None:
        outcome = f"hängde (avbruten efter {run.seconds:.0f} s)"
    elif not condition:
        outcome = f"FEL UTFALL (slutkod {run.code}): {run.output.strip()[:300]!r}"
    return passed, outcome, run.seconds, run.megabytes


def xlsx(path, sheet_xml_chunks):
    """A minimal workbook with one sheet whose XML is written in chunks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for chunk in sheet_xml_chunks:
                sheet.write(chunk)


SHEET_START = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_END = b"</sheetData></worksheet>"


def data_xlsx(text):
    return text.replace('fil = "data.csv"', 'fil = "data.xlsx"')


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


# --- Loss and escape ---------------------------------------------------------

@case("16.1 PDF-namn krockar (per_enhet-PDF och en mapp med samma namn)")
def collision(tmp):
    example = os.path.join(REPO, "data/handlingsplan-2017-11")
    shutil.copytree(example, os.path.join(tmp, "tree/handlingsplan-2017-11"))
    shutil.copytree(example, os.path.join(tmp, "tree/handlingsplan-2017-11-kba"))
    r = run(["build", "tree", "-o", "ut"], tmp, timeout=120)
    ok = r.code == 1 and "skulle skrivas både av" in r.output and not os.path.exists(f"{tmp}/ut/handlingsplan-2017-11-kba.pdf")
    return expect(r, ok, "båda misslyckas och nämner varandra; ingen PDF skrivs över", limit_seconds=60)


@case("16.1 rättigheter: umask 022 ger 0644, en ändrad rättighet behålls")
def permissions(tmp):
    project(f"{tmp}/p")
    old = os.umask(0o022)
    try:
        r1 = run(["build", "p", "-o", "ut"], tmp)
        modes = [stat.S_IMODE(os.stat(f"{tmp}/ut/{n}").st_mode) for n in ("p.pdf", "manifest.json")]
        os.chmod(f"{tmp}/ut/p.pdf", 0o640)
        r2 = run(["build", "p", "-o", "ut", "--force"], tmp)
        kept = stat.S_IMODE(os.stat(f"{tmp}/ut/p.pdf").st_mode)
    finally:
        os.umask(old)
    r2.seconds = max(r1.seconds, r2.seconds)
    r2.megabytes = max(r1.megabytes, r2.megabytes)
    return expect(r2, modes == [0o644, 0o644] and kept == 0o640 and r2.code == 0, f"{oct(modes[0])}, {oct(modes[1])}; efter ombygge {oct(kept)}")


@case("16.2 datafil är en länk till /proc/self/fd/0")
def proc_stdin(tmp):
    project(f"{tmp}/p")
    os.remove(f"{tmp}/p/data.csv")
    os.symlink("/proc/self/fd/0", f"{tmp}/p/data.csv")
    r = run(["check", "p"], tmp, stdin=subprocess.PIPE) if False else None
    with subprocess.Popen(["sleep", "30"], stdout=subprocess.PIPE) as feeder:
        r = run(["check", "p"], tmp, stdin=feeder.stdout)
        feeder.kill()
    ok = r.code == 1 and ("kan inte följas" in r.output or "ut ur projektmappen" in r.output)
    return expect(r, ok, "vägras; standard in läses inte")


@case("16.1 kvarlämnade .statusrapport-*.tmp tas bort")
def stale(tmp):
    project(f"{tmp}/p")
    os.makedirs(f"{tmp}/ut/a", exist_ok=True)
    for name in ("ut/.statusrapport-abc.tmp", "ut/a/.statusrapport-def.tmp"):
        open(f"{tmp}/{name}", "wb").write(b"x" * 1000)
    r = run(["build", "p", "-o", "ut"], tmp)
    left = [n for _, _, files in os.walk(f"{tmp}/ut") for n in files if n.endswith(".tmp")]
    return expect(r, r.code == 0 and not left, "borttagna av nästa körning")


for where in ("data.csv", "kommentar.toml", "logo.svg", "mallar/statusrapport.typ"):
    def fifo(tmp, where=where):
        edit = None
        if where == "logo.svg":
            edit = lambda t: t.replace('period = "2023-09"', 'period = "2023-09"\nlogotyp = "logo.svg"')
        if where.startswith("mallar"):
            edit = lambda t: t.replace('period = "2023-09"', 'period = "2023-09"\nmallar = "mallar"')
        project(f"{tmp}/p", edit)
        path = f"{tmp}/p/{where}"
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.exists(path):
            os.remove(path)
        os.mkfifo(path)
        r = run(["build", "p", "-o", "ut"], tmp)
        return expect(r, r.code == 1 and "ingen vanlig fil" in r.output, "vägras före öppning")
    case(f"16.2 FIFO som {where}")(fifo)


@case("16.4 låset hålls av en hängd körning (--vanta 2)")
def lock(tmp):
    project(f"{tmp}/p")
    os.makedirs(f"{tmp}/ut")
    with open(f"{tmp}/ut/.statusrapport.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("process 4242, startad 2026-12-01T23:00:00Z")
        held.flush()
        r = run(["build", "p", "-o", "ut", "--vanta", "2"], tmp)
    ok = r.code == 2 and "process 4242, startad 2026-12-01T23:00:00Z" in r.output and "i mer än 2 s" in r.output
    return expect(r, ok, "ger upp efter gränsen och säger vems låset är")


# --- Hangs, crashes and memory ---------------------------------------------

for levels in (1000, 10_000, 300_000):
    def lists(tmp, levels=levels):
        text = "- " * levels + "djupt\n"
        project(f"{tmp}/p", files={"kommentar.toml": f'enhet = "vo"\nperiod = "2023-09"\nstatus = "granskad"\ntext = """\n{text}"""\n'})
        r = run(["build", "p", "-o", "ut"], tmp)
        return expect(r, r.code == 1 and "listan är nästlad i fler än" in r.output, "fel vid platsen i kommentaren")
    case(f"16.3 Markdown-listor {levels} nivåer")(lists)


@case("16.3 formel med 200 000 led")
def formula(tmp):
    terms = " + ".join(["utfall"] * 200_000)
    project(f"{tmp}/p", lambda t: t.replace('formel = "ack(utfall - budget)"', f'formel = "{terms}"'))
    r = run(["check", "p"], tmp)
    return expect(r, r.code == 1 and "räknesätt" in r.output, "fel: för många räknesätt")


@case("16.3 CSV med 100 000 okända kolumner")
def columns(tmp):
    header = ";".join(f"okand{i}" for i in range(100_000))
    project(f"{tmp}/p", files={"data.csv": header + "\n"})
    r = run(["check", "p"], tmp)
    return expect(r, r.code == 1 and "gränsen är 1200" in r.output and len(r.output) < 20_000, "ett fel: för många kolumner")


@case("16.3 xlsx med celler bara i A1 och XFD1048576")
def sparse_xlsx(tmp):
    project(f"{tmp}/p", data_xlsx)
    cells = b'<row r="1"><c r="A1" t="inlineStr"><is><t>enhet</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    xlsx(f"{tmp}/p/data.xlsx", [SHEET_START, cells, SHEET_END])
    r = run(["check", "p"], tmp)
    return expect(r, r.code == 1 and "Blad1!XFD1048576" in r.output, "fel som namnger hörnen")


@case("16.3 xlsx vars blad packas upp till 4,2 GB")
def bomb_xlsx(tmp):
    cache = os.path.join(tempfile.gettempdir(), "statusrapport-attack-bomb.xlsx")
    if not os.path.exists(cache):
        filler = b" " * (64 << 20)
        xlsx(cache + ".tmp", [SHEET_START, *([filler] * 64), SHEET_END])
        os.rename(cache + ".tmp", cache)
    project(f"{tmp}/p", data_xlsx)
    shutil.copy(cache, f"{tmp}/p/data.xlsx")
    r = run(["check", "p"], tmp)
    return expect(r, r.code == 1 and "packas upp till mer än 256 MB" in r.output, "fel: för stor uppackad")


@case("16.3 en talcell på 300 MB")
def huge_cell(tmp):
    project(f"{tmp}/p")
    with open(f"{tmp}/p/data.csv", "a") as f:
        f.write("vo;utfall;2023-10;")
        block = "1" * (1 << 20)
        for _ in range(300):
            f.write(block)
        f.write("\n")
    r = run(["build", "p", "-o", "ut"], tmp)
    manifest = os.path.getsize(f"{tmp}/ut/manifest.json") if os.path.exists(f"{tmp}/ut/manifest.json") else 0
    return expect(r, r.code == 1 and "större än 256 MB" in r.output and manifest < 100_000, f"fel: filen för stor; manifest {manifest} byte")


@case("16.3 100 000 rader med n/a (build)")
def many_errors(tmp):
    rows = "".join(f"vo;utfall;{1900 + i // 12}-{i % 12 + 1:02};n/a\n" for i in range(100_000))
    project(f"{tmp}/p", files={"data.csv": "enhet;matt;period;varde\n" + rows})
    r = run(["build", "p", "-o", "ut"], tmp)
    return expect(r, r.code == 1 and "till om samma fil visas inte" in r.output, "100 fel visas, resten räknas")


@case("16.3 350 000 okända TOML-nycklar")
def many_keys(tmp):
    keys = "".join(f"k{i}=1\n" for i in range(350_000))  # 3 MB, under the 4 MB limit
    project(f"{tmp}/p", lambda t: keys + t)
    r = run(["check", "p"], tmp)
    return expect(r, r.code == 1 and "till om samma fil visas inte" in r.output, "100 fel visas, resten räknas")


@case("16.3 -j 10000")
def workers(tmp):
    project(f"{tmp}/p")
    r = run(["build", "p", "-o", "ut", "-j", "10000"], tmp)
    return expect(r, r.code == 0 and "fler än fyra per kärna" in r.output, "begränsas till fyra per kärna")


def runaway_template(tmp, template):
    """A batch of two: `p` with its own runaway template, `q` a normal one."""
    project(f"{tmp}/tree/p", lambda t: t.replace('period = "2023-09"', 'period = "2023-09"\nmallar = "mallar"'),
            files={"mallar/statusrapport.typ": template})
    project(f"{tmp}/tree/q")
    return run(["build", "tree", "-o", "ut"], tmp, timeout=120)


def only_its_own_report_failed(r, tmp, reason):
    """The runaway report failed with its reason; the other one was built."""
    return (r.code == 1 and f"p/rapport.toml: rapportens egen mall (mallar i rapport.toml) {reason}" in r.output
            and os.path.exists(f"{tmp}/ut/q.pdf") and not os.path.exists(f"{tmp}/ut/p.pdf"))


@case("16.7 mall med range(400000000)")
def template_memory(tmp):
    r = runaway_template(tmp, "#let d = json(\"/data.json\")\n#let x = range(400000000)\n#x.len()\n")
    ok = only_its_own_report_failed(r, tmp, "har tagit mer än 2048 MB minne")
    # Memory is caught within 20 ms of 2048 MB; the time bound of the report still applies.
    return expect(r, ok, "bara den rapporten misslyckas, vid minnesgränsen 2048 MB", limit_seconds=65, limit_mb=2600)


@case("16.7 mall som loopar länge")
def template_time(tmp):
    r = runaway_template(tmp, "#let n = 0\n#for i in range(100000) { for j in range(100000) { n += 1 } }\n#n\n")
    ok = only_its_own_report_failed(r, tmp, "har arbetat i mer än 60 s")
    return expect(r, ok, "bara den rapporten misslyckas, vid tidsgränsen 60 s", limit_seconds=65)


# --- Wrong or poor -----------------------------------------------------------

@case("16.4 en oläsbar undermapp")
def unreadable(tmp):
    project(f"{tmp}/tree/a")
    project(f"{tmp}/tree/stangd/b")
    os.chmod(f"{tmp}/tree/stangd", 0)
    for folder, _, _ in os.walk(tmp):
        os.chmod(folder, 0o777) if folder != f"{tmp}/tree/stangd" else None
    os.chmod(tmp, 0o777)
    user = "65534" if os.geteuid() == 0 else None  # nobody: root reads any folder
    r = run(["build", "tree", "-o", "ut"], tmp, as_user=user)
    os.chmod(f"{tmp}/tree/stangd", 0o755)
    manifest = json.load(open(f"{tmp}/ut/manifest.json"))
    listed = [m["mapp"] for m in manifest.get("olasbara_mappar", [])]
    ok = (r.code == 1 and "stangd: mappen kan inte läsas" in r.output and "byggd" in r.output
          and "1 oläsbar mapp" in r.output and listed == ["tree/stangd"])
    return expect(r, ok, "mappens fel, också i manifestet; de andra byggs")


@case("16.4 projekt 40 mappar djupt")
def deep(tmp):
    folder = os.path.join(tmp, "tree", *[f"m{i}" for i in range(40)])
    project(folder)
    r = run(["check", "tree"], tmp)
    return expect(r, r.code == 0 and "1 rapportmapp" in r.output, "hittas")


@case("16.4 omöjliga datum i data (2023-02-30, 2023-09-99)")
def dates(tmp):
    project(f"{tmp}/p")
    with open(f"{tmp}/p/data.csv", "a") as f:
        f.write("vo;utfall;2023-02-30;1\nvo;budget;2023-09-99;1\n")
    r = run(["check", "p"], tmp)
    return expect(r, r.code == 1 and "`2023-02-30` är inget datum som finns" in r.output and "`2023-09-99` är inget datum som finns" in r.output, "fel vid cellerna")


@case("16.4 eject --enhet finnsinte")
def eject(tmp):
    project(f"{tmp}/p")
    r = run(["eject", "p", "--enhet", "finnsinte"], tmp)
    return expect(r, r.code != 0 and "har ingen egen PDF" in r.output, "fel, inget skrivs")


for code, name in (("\\u0000", "U+0000"), ("\\b", "U+0008"), ("\\u001B", "U+001B")):
    def control(tmp, code=code, name=name):
        project(f"{tmp}/p", lambda t: t.replace('titel = "Uppföljning {period}"', f'titel = "Uppföljning{code} {{period}}"'))
        r = run(["check", "p"], tmp)
        return expect(r, r.code == 1 and f"styrtecknet {name}" in r.output and "rapport.toml:2:" in r.output, "svenskt fel vid platsen")
    case(f"16.6 styrtecken {name} i titeln")(control)


@case("16.6 ANSI-sekvenser i en datafil når inte terminalen")
def ansi(tmp):
    project(f"{tmp}/p")
    with open(f"{tmp}/p/data.csv", "a") as f:
        f.write("vo;utfall;2023-10;\x1b[2J\x1b[31m12\n")
    r = run(["check", "p"], tmp)
    return expect(r, r.code == 1 and "\x1b" not in r.output and "U+001B" in r.output, "inga styrsekvenser i utdata")


@case("16.6 U+FEFF inne i ett tal")
def bom(tmp):
    project(f"{tmp}/p")
    text = open(f"{tmp}/p/data.csv", encoding="utf-8").read().replace("-1,9", "-1\ufeff,9")
    open(f"{tmp}/p/data.csv", "w", encoding="utf-8").write(text)
    r = run(["check", "p"], tmp)
    return expect(r, "U+FEFF" in r.output, "tecknet namnges")


@case("15.4 U+202E i en kommentar")
def rtl(tmp):
    project(f"{tmp}/p")
    text = open(f"{tmp}/p/kommentar.toml", encoding="utf-8").read().replace("Avvikelsen är", "Avvikelsen \u202eär")
    open(f"{tmp}/p/kommentar.toml", "w", encoding="utf-8").write(text)
    r = run(["check", "p"], tmp)
    return expect(r, r.code == 0 and "U+202E" in r.output and "togs bort" in r.output, "tas bort med en varning")


@case("15.4 emoji i en kommentar")
def emoji(tmp):
    project(f"{tmp}/p")
    text = open(f"{tmp}/p/kommentar.toml", encoding="utf-8").read().replace("Avvikelsen är", "Avvikelsen 👍 är")
    open(f"{tmp}/p/kommentar.toml", "w", encoding="utf-8").write(text)
    r = run(["check", "p"], tmp)
    return expect(r, r.code == 1 and "emoji kan inte visas" in r.output, "vägras med förklaring")


@case('15.6 datum = "+10000-01-01"')
def far_date(tmp):
    project(f"{tmp}/p", lambda t: t.replace('datum = "2023-10-12"', 'datum = "+10000-01-01"'))
    r = run(["build", "p", "-o", "ut"], tmp)
    return expect(r, r.code == 1 and "utanför de år" in r.output and "panicked" not in r.output, "fel, ingen panik")


@case("15.6 SOURCE_DATE_EPOCH=253402300800")
def far_epoch(tmp):
    project(f"{tmp}/p")
    r = run(["build", "p", "-o", "ut"], tmp, env={"SOURCE_DATE_EPOCH": "253402300800"})
    ok = r.code == 1 and "SOURCE_DATE_EPOCH" in r.output and "panicked" not in r.output and os.path.exists(f"{tmp}/ut/manifest.json")
    return expect(r, ok, "fel, ingen panik, manifest skrivet")


# --- kill -9 -----------------------------------------------------------------

def kill_trials(trials):
    """30 projects; kill -9 at random moments; every PDF old or new."""
    tmp = tempfile.mkdtemp(prefix="statusrapport-kill-")
    examples = ["skrivelse-delarsrapport-april-2023", "statusrapport-2023-09", "uppfoljning-2018-03",
                "tjansteskrivelse-hsn-570-2023", "manadsrapport-2017-09"]
    for i in range(30):
        example = examples[i % len(examples)]
        shutil.copytree(os.path.join(REPO, "data", example), f"{tmp}/tree/g{i // 10}/{example}-{i}")

    def edit_titles(old, new):
        for folder, _, files in os.walk(f"{tmp}/tree"):
            if "rapport.toml" in files:
                path = os.path.join(folder, "rapport.toml")
                text = open(path, encoding="utf-8").read()
                open(path, "w", encoding="utf-8").write(text.replace(old, new, 1))

    def pdfs(out):
        found = {}
        for folder, _, files in os.walk(out):
            for name in files:
                if name.endswith(".pdf"):
                    found[os.path.relpath(os.path.join(folder, name), out)] = sha(os.path.join(folder, name))
        return found

    started = time.monotonic()
    full = run(["build", "tree", "-o", "old"], tmp, timeout=1200)
    old = pdfs(f"{tmp}/old")
    edit_titles('titel = "', 'titel = "Ny: ')
    run(["build", "tree", "-o", "new"], tmp, timeout=1200)
    new = pdfs(f"{tmp}/new")
    assert len(old) >= 30 and set(old) == set(new), (full.output[-2000:], sorted(old), sorted(new))
    build_time = full.seconds
    failures = []
    peak = full.megabytes
    for trial in range(trials):
        out = f"{tmp}/trial{trial}"
        shutil.copytree(f"{tmp}/old", out)
        child = subprocess.Popen([binary, "build", "tree", "-o", out], cwd=tmp, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        time.sleep(random.uniform(0.1, max(0.2, build_time)))
        child.send_signal(signal.SIGKILL)
        child.wait()
        now = pdfs(out)
        for name, digest in now.items():
            if digest not in (old.get(name), new.get(name)):
                failures.append(f"försök {trial}: {name} är varken gammal eller ny")
        manifest = json.load(open(f"{out}/manifest.json"))
        for entry in manifest["rapporter"]:
            on_disk = sha(f"{out}/{entry['pdf']}") if os.path.exists(f"{out}/{entry['pdf']}") else None
            if entry.get("pdf_sha256") and entry["pdf_sha256"] != on_disk:
                failures.append(f"försök {trial}: manifestet påstår fel om {entry['pdf']}")
        finish = run(["build", "tree", "-o", out], tmp, timeout=1200)
        peak = max(peak, finish.megabytes)
        left = [n for _, _, files in os.walk(out) for n in files if n.endswith(".tmp")]
        if left or pdfs(out) != new:
            failures.append(f"försök {trial}: efter nästa körning: {len(left)} tmp-filer, PDF:erna {'inte ' if pdfs(out) != new else ''}nya")
    shutil.rmtree(tmp, ignore_errors=True)
    outcome = f"{trials} försök, {len(old)} PDF:er: " + ("alla gamla eller nya, manifest sant, inga tmp-filer kvar" if not failures else "; ".join(failures[:5]))
    return not failures, outcome, time.monotonic() - started, peak


def main():
    global binary
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=binary)
    parser.add_argument("--kill-trials", type=int, default=20)
    parser.add_argument("cases", nargs="*", help="bara fall vars namn innehåller någon av dessa")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    chosen = [c for c in CASES if not args.cases or any(w in c.case for w in args.cases)]
    rows = []
    for function in chosen:
        with tempfile.TemporaryDirectory(prefix="statusrapport-attack-") as tmp:
            os.chmod(tmp, 0o777)
            try:
                passed, outcome, seconds, megabytes = function(tmp)
            except Exception as error:  # a broken case is a failed case
                passed, outcome, seconds, megabytes = False, f"fallet kraschade: {error!r}", 0.0, 0.0
            finally:
                for folder, dirs, _ in os.walk(tmp):
                    for d in dirs:
                        try:
                            os.chmod(os.path.join(folder, d), 0o755)
                        except OSError:
                            pass
        rows.append((function.case, passed, outcome, seconds, megabytes))
        print(f"{'ok ' if passed else 'FEL'} {function.case}: {outcome} ({seconds:.2f} s, {megabytes:.0f} MB)", file=sys.stderr)
    if args.kill_trials and (not args.cases or any("kill" in w for w in args.cases)):
        passed, outcome, seconds, megabytes = kill_trials(args.kill_trials)
        rows.append(("16.8 kill -9 över 30 projekt", passed, outcome, seconds, megabytes))
    print("| fall | utfall | tid (s) | topp-RSS (MB) | inom gränsen |")
    print("|---|---|---:|---:|---|")
    for name, passed, outcome, seconds, megabytes in rows:
        print(f"| {name} | {outcome} | {seconds:.2f} | {megabytes:.0f} | {'ja' if passed else 'NEJ'} |")
    sys.exit(0 if all(r[1] for r in rows) else 1)


if __name__ == "__main__":
    main()

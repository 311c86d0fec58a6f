#!/usr/bin/env python3
"""Skriver exporterna i tests/exports/ så som ekonomisystem, personalsystem,
telefonisystem, statistiktjänster och Excel skriver dem: titelrader,
sammanfogade celler, en överrubrik ovanför månaderna, summarader,
anteckningsrader, talformat, formler och felvärden.

Varje mapp får exporten, en rapport.toml (det enda en användare skriver) och
forvantat.csv: de värden som exporten innehåller, skrivna för hand här i
skriptet, som testet tests/testsuite/exports.rs jämför den inlästa datan med.

Kör: python3 tests/exports/skapa_exporter.py  (kräver openpyxl). Utdata
checkas in, så att cargo test inte behöver Python.
"""

import os
import re
import unicodedata
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = os.path.dirname(os.path.abspath(__file__))
MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def folder(name):
    path = os.path.join(HERE, name)
    os.makedirs(path, exist_ok=True)
    return path


def write(path, text, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write(text)


def expected(path, rows):
    """forvantat.csv: enhets-id;mått-id;period;värde (tomt = saknas)."""
    lines = ["enhet;matt;period;varde"]
    for unit, metric, period, value in rows:
        lines.append(f"{unit};{metric};{period};{'' if value is None else repr(float(value))}")
    write(os.path.join(path, "forvantat.csv"), "\n".join(lines) + "\n")


def report(path, units, metrics, data, period="2023-09", section=None):
    """rapport.toml med enheter, mått och [[data]]-avsnitt."""
    out = [
        'typ = "statusrapport"',
        'titel = "Uppföljning {period}"',
        'namnd = "Hälso- och sjukvårdsnämnden"',
        f'period = "{period}"',
        "",
    ]
    out.append(data.strip())
    out.append("")
    for unit in units:
        out.append("[[enhet]]")
        for key, value in unit.items():
            out.append(f"{key} = {toml(value)}")
        out.append("")
    for metric_id, metric in metrics.items():
        out.append(f"[matt.{metric_id}]")
        for key, value in metric.items():
            out.append(f"{key} = {toml(value)}")
        out.append("")
    if section:
        out.append(section.strip())
        out.append("")
    write(os.path.join(path, "rapport.toml"), "\n".join(out))


def toml(value):
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def with_cached_values(path, sheet, values):
    """openpyxl skriver formler utan beräknat värde; Excel sparar båda.
    Lägger till värdena (cell -> tal) så som Excel skriver dem."""
    with zipfile.ZipFile(path) as z:
        files = {name: z.read(name) for name in z.namelist()}
    name = f"xl/worksheets/{sheet}.xml"
    xml = files[name].decode("utf-8")
    for cell, value in values.items():
        xml, n = re.subn(
            rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f><v\s*/>',
            rf"\1<f>\2</f><v>{value}</v>",
            xml,
        )
        if n == 0:
            xml, n = re.subn(
                rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f>(<v></v>)?',
                rf"\1<f>\2</f><v>{value}</v>",
                xml,
            )
        assert n == 1, (cell, xml[:500])
    files[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)


# ---------------------------------------------------------------------------
# 1. Ekonomisystemets resultatrapport (issue 14): två titelrader,
#    sammanfogade celler, överrubrik, Verksamhet/Typ, jan…dec, Summa-kolumn,
#    Summa-rad, tom rad och anteckningsrad.
# ---------------------------------------------------------------------------
def resultatrapport():
    path = folder("ekonomi-resultatrapport")
    wb = Workbook()
    ws = wb.active
    ws.title = "Resultat"
    ws["A1"] = "Resultatrapport Hälso- och sjukvård"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:O1")
    ws["A2"] = "Period: januari–september, utfall och budget (mnkr)"
    ws.merge_cells("A2:O2")
    ws["A4"] = "Organisation"
    ws.merge_cells("A4:B4")
    ws["C4"] = "Utfall och budget 2023"
    ws.merge_cells("C4:N4")
    ws["C4"].alignment = Alignment(horizontal="center")
    ws.append([])  # row 3 stays blank; append goes after the last row
    header = ["Verksamhet", "Typ"] + MONTHS + ["Summa"]
    for col, text in enumerate(header, start=1):
        ws.cell(row=5, column=col, value=text).font = Font(bold=True)
    figures = {
        "VO Kungsbacka": {
            "Utfall": [-1.2, -0.8, -2.1, -2.9, -0.4, 0.3, -1.1, -0.6, -0.9],
            "Budget": [-0.5] * 9,
        },
        "VO Halmstad/Laholm": {
            "Utfall": [0.4, 0.1, -0.3, 0.2, 0.8, 1.1, -0.2, 0.0, 0.5],
            "Budget": [0.0] * 9,
        },
    }
    units = {"VO Kungsbacka": "vok", "VO Halmstad/Laholm": "voh"}
    row = 6
    rows = []
    for unit, kinds in figures.items():
        first = row
        for kind, values in kinds.items():
            ws.cell(row=row, column=1, value=unit)
            ws.cell(row=row, column=2, value=kind)
            for i, value in enumerate(values):
                cell = ws.cell(row=row, column=3 + i, value=value)
                cell.number_format = "# ##0,0;-# ##0,0"
            ws.cell(row=row, column=15, value=round(sum(values), 1))
            for i in range(12):
                value = values[i] if i < len(values) else None
                rows.append((units[unit], kind.lower(), f"2023-{i + 1:02}", value))
            row += 1
        # The unit is written once, merged over its rows, as finance
        # systems do.
        ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
    ws.cell(row=row, column=1, value="Summa")
    for i in range(9):
        total = sum(kinds[k][i] for kinds in figures.values() for k in kinds)
        ws.cell(row=row, column=3 + i, value=round(total, 1))
    row += 2
    ws.cell(row=row, column=1, value="Källa: Raindance, uttag 2023-10-05. Belopp i mnkr.")
    wb.save(os.path.join(path, "resultat.xlsx"))
    report(
        path,
        [{"id": "vok", "namn": "VO Kungsbacka"}, {"id": "voh", "namn": "VO Halmstad/Laholm", "kortnamn": "Halmstad"}],
        {"utfall": {"namn": "Utfall", "enhet": "mnkr"}, "budget": {"namn": "Budget", "enhet": "mnkr"}},
        """
[[data]]
fil = "resultat.xlsx"
kolumner = { enhet = "Verksamhet", matt = "Typ" }
ignorera_kolumner = ["Summa"]
ignorera_rader = ["Summa", "Källa"]
""",
    )
    expected(path, rows)


# ---------------------------------------------------------------------------
# 2. Personalstatistik: ett mått per kolumn, månader som Excel-datum; samma
#    fil läses två gånger, ett mått i taget.
# ---------------------------------------------------------------------------
def personalstatistik():
    import datetime

    path = folder("personalstatistik")
    wb = Workbook()
    ws = wb.active
    ws.title = "Personal"
    ws["A1"] = "Personalstatistik, månadsuttag"
    ws["A2"] = "Uttaget 2023-10-03 av HR-systemet"
    ws.append([])
    ws.append(["Förvaltning", "Månad", "Antal anställda", "Sjukfrånvaro (%)", "Övertid (timmar)"])
    rows = []
    data = {
        "Hallands sjukhus": ([4210, 4198, 4225, 4230, 4251, 4302, 4350, 4320, 4280], [6.1, 6.4, 5.9, 5.2, 5.0, 4.6, 4.1, 4.3, 5.4]),
        "Närsjukvården": ([2105, 2110, 2098, 2101, 2120, 2150, 2170, 2160, 2140], [5.5, 5.8, 5.1, 4.9, 4.7, 4.2, 3.9, 4.0, 4.8]),
    }
    ids = {"Hallands sjukhus": "hs", "Närsjukvården": "nsv"}
    for unit, (staff, sick) in data.items():
        for month in range(9):
            when = datetime.datetime(2023, month + 1, 1)
            # Sick leave as Excel keeps a percentage: the fraction, shown
            # as 6,1 % by the cell's format.
            ws.append([unit, when, staff[month], round(sick[month] / 100, 4), 100 + month])
            ws.cell(row=ws.max_row, column=2).number_format = "yyyy-mm"
            ws.cell(row=ws.max_row, column=4).number_format = "0.0%"
            rows.append((ids[unit], "anstallda", f"2023-{month + 1:02}", staff[month]))
            rows.append((ids[unit], "sjukfranvaro", f"2023-{month + 1:02}", sick[month]))
    report(
        path,
        [{"id": "hs", "namn": "Hallands sjukhus"}, {"id": "nsv", "namn": "Närsjukvården", "alias": ["NSV"]}],
        {
            "anstallda": {"namn": "Antal anställda", "enhet": "st", "decimaler": 0, "aggregering": "senaste"},
            "sjukfranvaro": {"namn": "Sjukfrånvaro", "enhet": "%"},
        },
        """
[[data]]
fil = "personal.xlsx"
matt = "anstallda"
kolumner = { enhet = "Förvaltning", period = "Månad", varde = "Antal anställda" }
ignorera_kolumner = ["Sjukfrånvaro (%)", "Övertid (timmar)"]

[[data]]
fil = "personal.xlsx"
matt = "Sjukfrånvaro"
kolumner = { enhet = "Förvaltning", period = "Månad", varde = "Sjukfrånvaro (%)" }
ignorera_kolumner = ["Antal anställda", "Övertid (timmar)"]
""",
    )
    wb.save(os.path.join(path, "personal.xlsx"))
    expected(path, rows)


# ---------------------------------------------------------------------------
# 3. Telefoni: tabbseparerad text med rapportrubrik, månader som `jan-23`,
#    procent skrivna `97,2 %`.
# ---------------------------------------------------------------------------
def telefoni():
    path = folder("telefoni")
    lines = [
        "Rapport:\tTillgänglighet per kö",
        "Skapad:\t2023-10-02 07:15",
        "",
        "Kö\tMånad\tInkommande samtal\tBesvarade inom 3 min",
    ]
    rows = []
    queues = {"1177 Halland": "v1177", "Vårdcentral Ås": "vcas"}
    shares = {"1177 Halland": [88.1, 85.4, 90.2, 91.0, 87.3, 84.9, 80.2, 83.5, 89.9], "Vårdcentral Ås": [97.2, 96.8, 95.1, 98.0, 97.7, 96.4, 94.9, 95.5, 97.1]}
    for queue, values in shares.items():
        for month, value in enumerate(values):
            name = MONTHS[month].capitalize()
            shown = f"{value:.1f}".replace(".", ",") + " %"
            lines.append(f"{queue}\t{name}-23\t{1000 + month * 7}\t{shown}")
            rows.append((queues[queue], "telefon", f"2023-{month + 1:02}", value))
    write(os.path.join(path, "telefoni.txt"), "\r\n".join(lines) + "\r\n")
    report(
        path,
        [{"id": "v1177", "namn": "1177 Vårdguiden", "alias": ["1177 Halland"]}, {"id": "vcas", "namn": "Vårdcentral Ås"}],
        {"telefon": {"namn": "Besvarade inom 3 minuter", "enhet": "%", "mal": 90.0}},
        """
[[data]]
fil = "telefoni.txt"
avgransare = "tab"
matt = "telefon"
kolumner = { enhet = "Kö", period = "Månad", varde = "Besvarade inom 3 min" }
ignorera_kolumner = ["Inkommande samtal"]
""",
    )
    expected(path, rows)


# ---------------------------------------------------------------------------
# 4. Väntetider, brett per månad, med Riket som jämförelserad.
# ---------------------------------------------------------------------------
def vantetider():
    import datetime

    path = folder("vantetider")
    wb = Workbook()
    ws = wb.active
    ws.title = "Väntetider"
    ws["A1"] = "Andel besök inom 90 dagar, första besök i specialiserad vård"
    ws["A2"] = "Källa: Väntetider i vården (SKR)"
    ws.append([])
    ws.cell(row=4, column=1, value="Region")
    for month in range(9):
        cell = ws.cell(row=4, column=2 + month, value=datetime.datetime(2023, month + 1, 1))
        cell.number_format = "mmm yyyy"
    values = {"Region Halland": [84.2, 83.9, 85.0, 86.1, 85.5, 84.8, 82.9, 83.1, 84.4], "Riket": [77.0, 76.5, 77.9, 78.2, 78.8, 77.1, 75.9, 76.3, 77.5]}
    ids = {"Region Halland": "rh", "Riket": "riket"}
    rows = []
    row = 5
    for unit, series in values.items():
        ws.cell(row=row, column=1, value=unit)
        for month, value in enumerate(series):
            ws.cell(row=row, column=2 + month, value=value).number_format = "0.0"
            rows.append((ids[unit], "vantetid", f"2023-{month + 1:02}", value))
        row += 1
    ws.cell(row=row + 1, column=1, value="Uppgifterna för de senaste månaderna är preliminära.")
    wb.save(os.path.join(path, "vantetider.xlsx"))
    report(
        path,
        [{"id": "rh", "namn": "Region Halland"}, {"id": "riket", "namn": "Riket"}],
        {"vantetid": {"namn": "Besök inom 90 dagar", "enhet": "%", "aggregering": "medel"}},
        """
[[data]]
fil = "vantetider.xlsx"
matt = "vantetid"
kolumner = { enhet = "Region" }
ignorera_rader = ["Uppgifterna"]
""",
    )
    expected(path, rows)


# ---------------------------------------------------------------------------
# 5. CSV i Windows-1252 från ett ekonomisystem: å, ä, ö, tusental med
#    mellanslag, negativa tal inom parentes, `Totalt`-rad.
# ---------------------------------------------------------------------------
def windows_1252():
    path = folder("ekonomi-windows-1252")
    lines = ["Verksamhet;Konto;Jan;Feb;Mar;Apr"]
    values = {"Vårdcentral Ås": [1234.5, -1234.0, 980.0, 1010.25], "Vårdcentral Åsa": [2100.0, 2050.0, -15.5, 1999.0]}
    ids = {"Vårdcentral Ås": "vcas", "Vårdcentral Åsa": "vcasa"}
    rows = []

    def shown(value):
        text = f"{abs(value):,.2f}".replace(",", " ").replace(".", ",")
        return f"({text})" if value < 0 else text

    for unit, series in values.items():
        lines.append(f"{unit};Personalkostnader;" + ";".join(shown(v) for v in series))
        for month, value in enumerate(series):
            rows.append((ids[unit], "personal", f"2023-{month + 1:02}", value))
    lines.append("Totalt;;" + ";".join(shown(sum(s[i] for s in values.values())) for i in range(4)))
    write(os.path.join(path, "kostnader.csv"), "\r\n".join(lines) + "\r\n", encoding="cp1252")
    report(
        path,
        [{"id": "vcas", "namn": "Vårdcentral Ås"}, {"id": "vcasa", "namn": "Vårdcentral Åsa"}],
        {"personal": {"namn": "Personalkostnader", "enhet": "tkr", "alias": ["Personalkostnader"]}},
        """
[[data]]
fil = "kostnader.csv"
kolumner = { enhet = "Verksamhet", matt = "Konto" }
ar = 2023
parentes_negativ = true
ignorera_rader = ["Totalt"]
""",
        period="2023-04",
    )
    expected(path, rows)


# ---------------------------------------------------------------------------
# 6. Excel med formler och felvärden: kvoter räknade i bladet, #DIV/0! där
#    nämnaren är noll.
# ---------------------------------------------------------------------------
def formler_och_felvarden():
    path = folder("excel-formler-felvarden")
    wb = Workbook()
    ws = wb.active
    ws.title = "Blad1"
    ws.append(["enhet", "matt", "2023-01", "2023-02", "2023-03"])
    ws.append(["vo", "besok", 120, 0, 95])
    ws.append(["vo", "kostnad", 2400, 2100, 1900])
    ws.append(["vo", "kostnad_per_besok", "=D3/C2", "=E3/D2", "=F3/E2"])
    # The formulas' columns: C..E hold months; fix the references.
    ws["C4"] = "=C3/C2"
    ws["D4"] = "#DIV/0!"
    ws["E4"] = "=E3/E2"
    wb.save(os.path.join(path, "nyckeltal.xlsx"))
    with_cached_values(os.path.join(path, "nyckeltal.xlsx"), "sheet1", {"C4": 20, "E4": 20})
    report(
        path,
        [{"id": "vo", "namn": "VO Kungsbacka"}],
        {
            "besok": {"namn": "Besök", "enhet": "st", "decimaler": 0},
            "kostnad": {"namn": "Kostnad", "enhet": "tkr", "decimaler": 0},
            "kostnad_per_besok": {"namn": "Kostnad per besök", "enhet": "tkr", "aggregering": "senaste"},
        },
        """
[[data]]
fil = "nyckeltal.xlsx"
felvarde_tomt = true
""",
        period="2023-03",
    )
    rows = [("vo", "besok", "2023-01", 120), ("vo", "besok", "2023-02", 0), ("vo", "besok", "2023-03", 95)]
    rows += [("vo", "kostnad", "2023-01", 2400), ("vo", "kostnad", "2023-02", 2100), ("vo", "kostnad", "2023-03", 1900)]
    rows += [("vo", "kostnad_per_besok", "2023-01", 20), ("vo", "kostnad_per_besok", "2023-02", None), ("vo", "kostnad_per_besok", "2023-03", 20)]
    expected(path, rows)


# ---------------------------------------------------------------------------
# 7. Statistiktjänst: månader `2023M01`, `..` för ett värde som saknas, kommaseparerat med citattecken,
#    decimalpunkt.
# ---------------------------------------------------------------------------
def statistiktjanst():
    path = folder("statistiktjanst")
    months = [f"2023M{m:02}" for m in range(1, 7)]
    lines = ['"Tabell: Befolkning efter region och månad"', "", '"region","' + '","'.join(months) + '"']
    # `..` is SCB's sign for a figure not yet published (or too uncertain).
    values = {
        "13 Hallands län": [340123, 340210, 340305, 340390, 340502, 340611],
        "06 Jönköpings län": [366210, 366301, 366355, 366420, 366498, None],
        "00 Riket": [10551707, 10552103, 10553100, 10554012, 10555200, 10556001],
    }
    ids = {"13 Hallands län": "halland", "06 Jönköpings län": "jonkoping", "00 Riket": "riket"}
    rows = []
    for unit, series in values.items():
        lines.append(f'"{unit}",' + ",".join(".." if v is None else str(v) for v in series))
        for month, value in enumerate(series):
            rows.append((ids[unit], "folkmangd", f"2023-{month + 1:02}", value))
    lines += ["", '"Källa: SCB"']
    write(os.path.join(path, "befolkning.csv"), "\n".join(lines) + "\n")
    report(
        path,
        [
            {"id": "halland", "namn": "Hallands län", "alias": ["13 Hallands län"]},
            {"id": "jonkoping", "namn": "Jönköpings län", "alias": ["06 Jönköpings län"]},
            {"id": "riket", "namn": "Riket", "alias": ["00 Riket"]},
        ],
        {"folkmangd": {"namn": "Folkmängd", "enhet": "st", "decimaler": 0, "aggregering": "senaste"}},
        """
[[data]]
fil = "befolkning.csv"
matt = "folkmangd"
kolumner = { enhet = "region" }
ignorera_rader = ["Källa"]
saknas = [".."]
""",
        period="2023-06",
    )
    expected(path, rows)


# ---------------------------------------------------------------------------
# 8. Lönesystem med punkt mellan tusental: `12.345` avgörs av att samma fil
#    skriver `1.234.567`.
# ---------------------------------------------------------------------------
def punkt_tusental():
    path = folder("lonekostnader-punkt-tusental")
    lines = ["enhet;matt;period;varde"]
    values = [("hs", "2023-01", "1.234.567", 1234567), ("hs", "2023-02", "12.345", 12345), ("hs", "2023-03", "1.250.000", 1250000), ("nsv", "2023-01", "987.654", 987654)]
    rows = []
    for unit, month, text, value in values:
        lines.append(f"{unit};lon;{month};{text}")
        rows.append((unit, "lon", month, value))
    write(os.path.join(path, "lon.csv"), "\n".join(lines) + "\n")
    report(
        path,
        [{"id": "hs", "namn": "Hallands sjukhus"}, {"id": "nsv", "namn": "Närsjukvården"}],
        {"lon": {"namn": "Lönekostnader", "enhet": "kr", "decimaler": 0}},
        """
[[data]]
fil = "lon.csv"
""",
        period="2023-03",
    )
    expected(path, rows)


# ---------------------------------------------------------------------------
# 9. Enheter skrivna som folk skriver dem: å som a + ring (NFD), versaler,
#    dubbla mellanslag, kortnamn och alias.
# ---------------------------------------------------------------------------
def namn_som_folk_skriver():
    path = folder("enhetsnamn-som-de-skrivs")
    nfd = unicodedata.normalize("NFD", "Vårdcentral Ås")
    lines = [
        "enhet;matt;period;varde",
        f"{nfd};Besök;2023-08;410",
        "  VÅRDCENTRAL   ÅS ;besök;2023-09;422",
        "VC Oskarström;BESÖK;2023-08;305",
        "Oskarström;Besök;2023-09;298",
        "Region Halland;Besök;2023-09;100500",
    ]
    write(os.path.join(path, "besok.csv"), "\n".join(lines) + "\n")
    report(
        path,
        [
            {"id": "vcas", "namn": "Vårdcentral Ås"},
            {"id": "vcos", "namn": "Vårdcentralen Oskarström", "kortnamn": "Oskarström", "alias": ["VC Oskarström"]},
            {"id": "rh", "namn": "Region Halland"},
        ],
        {"besok": {"namn": "Besök", "enhet": "st", "decimaler": 0}},
        """
[[data]]
fil = "besok.csv"
""",
    )
    expected(
        path,
        [
            ("vcas", "besok", "2023-08", 410),
            ("vcas", "besok", "2023-09", 422),
            ("vcos", "besok", "2023-08", 305),
            ("vcos", "besok", "2023-09", 298),
            ("rh", "besok", "2023-09", 100500),
        ],
    )


# ---------------------------------------------------------------------------
# 10. Två rubrikrader där överrubriken är måttet: `Sjukfrånvaro 2023` över
#     `jan` … `jun`, `Korttidssjukfrånvaro 2023` över nästa sex.
# ---------------------------------------------------------------------------
def overrubrik_ar_matt():
    path = folder("sjukfranvaro-overrubrik")
    wb = Workbook()
    ws = wb.active
    ws.title = "Sjukfrånvaro"
    ws["A1"] = "Sjukfrånvaro per förvaltning"
    ws.merge_cells("A1:M1")
    ws["B3"] = "Sjukfrånvaro 2023"
    ws.merge_cells("B3:G3")
    ws["H3"] = "Korttidssjukfrånvaro 2023"
    ws.merge_cells("H3:M3")
    ws.cell(row=4, column=1, value="Förvaltning")
    for i in range(6):
        ws.cell(row=4, column=2 + i, value=MONTHS[i])
        ws.cell(row=4, column=8 + i, value=MONTHS[i])
    values = {"Hallands sjukhus": ([6.1, 6.4, 5.9, 5.2, 5.0, 4.6], [2.9, 3.1, 2.7, 2.2, 2.0, 1.8]), "Regionkontoret": ([3.1, 3.3, 2.8, 2.6, 2.4, 2.2], [1.5, 1.6, 1.3, 1.2, 1.1, 1.0])}
    ids = {"Hallands sjukhus": "hs", "Regionkontoret": "rk"}
    rows = []
    for r, (unit, (long, short)) in enumerate(values.items()):
        ws.cell(row=5 + r, column=1, value=unit)
        for i in range(6):
            ws.cell(row=5 + r, column=2 + i, value=long[i])
            ws.cell(row=5 + r, column=8 + i, value=short[i])
            rows.append((ids[unit], "sjuk", f"2023-{i + 1:02}", long[i]))
            rows.append((ids[unit], "korttid", f"2023-{i + 1:02}", short[i]))
    wb.save(os.path.join(path, "sjukfranvaro.xlsx"))
    report(
        path,
        [{"id": "hs", "namn": "Hallands sjukhus"}, {"id": "rk", "namn": "Regionkontoret"}],
        {"sjuk": {"namn": "Sjukfrånvaro", "enhet": "%"}, "korttid": {"namn": "Korttidssjukfrånvaro", "enhet": "%"}},
        """
[[data]]
fil = "sjukfranvaro.xlsx"
kolumner = { enhet = "Förvaltning" }
""",
        period="2023-06",
    )
    expected(path, rows)


# ---------------------------------------------------------------------------
# 11. Verksamhetsstatistik med angiven rubrikrad, rader att hoppa över i
#     slutet och månader skrivna på flera sätt (`januari 2023`, `2023-feb`,
#     `mar 2023`), belopp med `tkr`.
# ---------------------------------------------------------------------------
def blandade_manader():
    path = folder("verksamhet-blandade-manader")
    lines = [
        "Verksamhetsstatistik;;;",
        "Enhet: tkr;;;",
        "enhet;matt;januari 2023;2023-feb;mar 2023",
        "vo;intakter;1 234 tkr;1 190 tkr;1 305 tkr",
        "vo;kostnader;−1 100 tkr;−1 150 tkr;−1 180 tkr",
        "*;;;",
        "Preliminära siffror;;;",
    ]
    write(os.path.join(path, "statistik.csv"), "\n".join(lines) + "\n")
    report(
        path,
        [{"id": "vo", "namn": "VO Varberg"}],
        {"intakter": {"namn": "Intäkter", "enhet": "tkr", "decimaler": 0}, "kostnader": {"namn": "Kostnader", "enhet": "tkr", "decimaler": 0}},
        """
[[data]]
fil = "statistik.csv"
rubrikrad = 3
hoppa_over_slutet = 2
""",
        period="2023-03",
    )
    expected(
        path,
        [
            ("vo", "intakter", "2023-01", 1234),
            ("vo", "intakter", "2023-02", 1190),
            ("vo", "intakter", "2023-03", 1305),
            ("vo", "kostnader", "2023-01", -1100),
            ("vo", "kostnader", "2023-02", -1150),
            ("vo", "kostnader", "2023-03", -1180),
        ],
    )


# ---------------------------------------------------------------------------
# 12. Enheter under varandra utan upprepning (tomma celler nedanför),
#     som en pivottabell kopierad ur Excel: fyll_nedat.
# ---------------------------------------------------------------------------
def pivottabell():
    path = folder("pivottabell-fyll-nedat")
    wb = Workbook()
    ws = wb.active
    ws.title = "Pivot"
    ws.append(["Verksamhet", "Mått", "2023-07", "2023-08", "2023-09"])
    ws.append(["VO Falkenberg", "Utfall", 10.5, 11.0, 9.5])
    ws.append([None, "Budget", 10.0, 10.0, 10.0])
    ws.append(["VO Laholm", "Utfall", 4.5, 4.0, 5.0])
    ws.append([None, "Budget", 4.0, 4.0, 4.0])
    ws.append(["Totalsumma", None, 29.0, 29.0, 28.5])
    wb.save(os.path.join(path, "pivot.xlsx"))
    report(
        path,
        [{"id": "vof", "namn": "VO Falkenberg"}, {"id": "vol", "namn": "VO Laholm"}],
        {"utfall": {"namn": "Utfall", "enhet": "mnkr"}, "budget": {"namn": "Budget", "enhet": "mnkr"}},
        """
[[data]]
fil = "pivot.xlsx"
kolumner = { enhet = "Verksamhet" }
fyll_nedat = true
ignorera_rader = ["Totalsumma"]
""",
    )
    rows = []
    for unit, utfall, budget in [("vof", [10.5, 11.0, 9.5], [10.0] * 3), ("vol", [4.5, 4.0, 5.0], [4.0] * 3)]:
        for i in range(3):
            rows.append((unit, "utfall", f"2023-{7 + i:02}", utfall[i]))
            rows.append((unit, "budget", f"2023-{7 + i:02}", budget[i]))
    expected(path, rows)


if __name__ == "__main__":
    resultatrapport()
    personalstatistik()
    telefoni()
    vantetider()
    windows_1252()
    formler_och_felvarden()
    statistiktjanst()
    punkt_tusental()
    namn_som_folk_skriver()
    overrubrik_ar_matt()
    blandade_manader()
    pivottabell()

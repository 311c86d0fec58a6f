#!/usr/bin/env python3
"""The usual hand workflow, as a lower bound for tools like Quarto: a Python
script draws a report's charts with matplotlib as SVG from their figures,
then the typst CLI compiles the document.

    python3 handarbete.py EJEKTMAPP

EJEKTMAPP is a report as `statusrapport eject` writes it; the charts in
diagram/N.svg are drawn again from diagram/N.json, and the PDF is compiled
with the command in LÄSMIG.txt."""
import json
import os
import pathlib
import subprocess
import sys

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

folder = pathlib.Path(sys.argv[1])
plt.rcParams["font.family"] = "DejaVu Sans"
for source in sorted((folder / "diagram").glob("*.json")):
    figures = json.loads(source.read_text(encoding="utf-8"))
    fig, ax = plt.subplots(figsize=(7.2, 4.0))
    positions = range(len(figures["labels"]))
    if figures["kind"] == "liggande":
        values = [v or 0 for v in figures["series"][0]["values"]]
        ax.barh(list(positions), values, color=["#700B1B" if v < 0 else "#004890" for v in values])
        ax.set_yticks(list(positions), figures["labels"])
        ax.invert_yaxis()
    elif figures["kind"] == "stapel":
        values = [v or 0 for v in figures["series"][0]["values"]]
        ax.bar(list(positions), values, color=["#700B1B" if v < 0 else "#004890" for v in values])
    else:
        for series, style in zip(figures["series"], ["-o", "--s", "-^", "--D"]):
            ax.plot(list(positions), series["values"], style, label=series["label"])
        if figures["target"] is not None:
            ax.axhline(figures["target"], linestyle="--", color="#2F2F2F", label="Mål")
        ax.legend()
    if figures["kind"] != "liggande":
        ax.set_xticks(list(positions), [label[5:] for label in figures["labels"]])
    ax.set_title(figures["title"])
    fig.savefig(source.with_suffix(".svg"), format="svg")
    plt.close(fig)

command = (folder / "LÄSMIG.txt").read_text(encoding="utf-8").split("\n    ")[1].split("\n")[0].split()
command[0] = os.environ.get("TYPST", "typst")
subprocess.run(command, cwd=folder, check=True)

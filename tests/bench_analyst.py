#!/usr/bin/python3
"""The script an analyst would write instead of ragpack, for make bench:
read measures.csv and kpi.csv, rate each measure's latest quarter against
its target, and write one PDF with ReportLab: a summary table, then per
measure a heading, a sentence and a matplotlib line chart embedded as
vector graphics (SVG through svglib), no chart files.

Usage: bench_analyst.py INPUT_DIR OUT.pdf
Debian: python3-matplotlib python3-reportlab python3-svglib.
"""
import csv
import io
import sys

import matplotlib
matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import getSampleStyleSheet  # noqa: E402
from reportlab.platypus import (Paragraph, SimpleDocTemplate, Table,  # noqa: E402
                                PageBreak)
from svglib.svglib import svg2rlg  # noqa: E402


def num(text):
    try:
        return float(text.replace(",", "").replace("%", "").replace("\u00a3", ""))
    except ValueError:
        return None


def period_key(p):
    # "2023/24 Q3", "Q3 2023/24", "2023/24 Quarter 3" -> (2023, 3)
    year = next(w for w in p.split() if w[:4].isdigit())
    return (int(year[:4]), int(p.strip()[-1]) if p.strip()[-1].isdigit()
            and not p.strip().endswith(year) else int(p.split()[0][-1]))


def main(indir, out):
    with open(f"{indir}/measures.csv", encoding="utf-8-sig") as f:
        measures = list(csv.DictReader(f))
    series = {}
    with open(f"{indir}/kpi.csv", encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            if (r.get("breakdown") or "").strip() or "Q" not in r["period"].upper():
                continue
            series.setdefault(r["measure"], []).append(r)
    styles = getSampleStyleSheet()
    story = [Paragraph("Integrated performance report", styles["Title"])]
    rows = [["Measure", "Latest", "Target", "RAG"]]
    body = []
    for m in measures:
        pts = sorted(series.get(m["id"], []), key=lambda r: period_key(r["period"]))
        xs = [p["period"] for p in pts]
        ys = [num(p["value"]) for p in pts]
        ts = [num(p.get("target") or "") for p in pts]
        last = next((i for i in range(len(ys) - 1, -1, -1) if ys[i] is not None), None)
        rag = "n/a"
        if last is not None and ts[last] is not None:
            good = ys[last] >= ts[last] if m["polarity"] == "higher" else ys[last] <= ts[last]
            rag = "Green" if good else "Red"
        rows.append([m["title"][:50], "" if last is None else f"{ys[last]:g}",
                     "" if last is None or ts[last] is None else f"{ts[last]:g}", rag])
        fig, ax = plt.subplots(figsize=(6.5, 2.4))
        ax.plot(xs, [y if y is not None else float("nan") for y in ys], marker="o")
        if any(t is not None for t in ts):
            ax.plot(xs, [t if t is not None else float("nan") for t in ts], linestyle="--")
        ax.tick_params(axis="x", labelrotation=45, labelsize=6)
        ax.set_title(m["title"][:80], fontsize=8)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg")
        plt.close(fig)
        drawing = svg2rlg(io.BytesIO(buf.getvalue().encode()))
        body += [Paragraph(m["title"], styles["Heading2"]),
                 Paragraph(f"Latest value {rows[-1][1]} against a target of "
                           f"{rows[-1][2] or 'none'}: {rag}.", styles["Normal"]),
                 drawing]
    story += [Table(rows, repeatRows=1), PageBreak()] + body
    SimpleDocTemplate(out, pagesize=A4).build(story)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

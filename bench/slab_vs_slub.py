#!/usr/bin/env python3
"""The table and the plot of bench/slab_vs_slub.sh.

usage: slab_vs_slub.py CSV MARKDOWN SVG MACHINE

CSV rows: group, what, unit, slub, slab (one measurement on each
allocator).  MARKDOWN gets one table with the SLAB / SLUB ratio per row;
SVG one horizontal bar per row, the ratio on a log scale around 1 (right
of the line: SLAB costs more).  Standard library only.
"""
import csv
import math
import sys

GROUPS = {
    "instructions": ("instructions (callgrind)", "#9467bd"),
    "time": ("time (slab_bench)", "#1f77b4"),
    "workload-time": ("workload time", "#2ca02c"),
    "workload-rss": ("workload memory", "#d62728"),
}


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def load(path):
    rows = []
    for r in csv.DictReader(open(path, newline="")):
        slub, slab = num(r["slub"]), num(r["slab"])
        ratio = slab / slub if slub and slab is not None else None
        rows.append((r["group"], r["what"], r["unit"], r["slub"], r["slab"], ratio))
    return rows


def markdown(path, rows, machine):
    out = ["<!-- written by bench/slab_vs_slub.sh (bench/slab_vs_slub.py): do not edit -->",
           "# SLAB and SLUB side by side",
           "",
           "The same benchmarks on umm's classic SLAB allocator (`umm.slab=slab`, "
           "mm/slab.c as Linux 6.7 had it) and on SLUB (`umm.slab=slub`, the default); "
           "%s.  SLAB / SLUB above 1: SLAB costs more.  SLAB's counts include "
           "SLUB's inlined fast paths, which always miss for a SLAB cache, and the "
           "hand-over to mm/slab.c (docs/slab.md: about half of SLAB's count for a "
           "kmem_cache_alloc+free pair)." % machine,
           "",
           "| measure | what | unit | SLUB | SLAB | SLAB / SLUB |",
           "| --- | --- | --- | ---: | ---: | ---: |"]
    for g, what, unit, slub, slab, ratio in rows:
        label = GROUPS.get(g, (g, ""))[0]
        out.append("| %s | %s | %s | %s | %s | %s |" % (
            label, what, unit, slub or "-", slab or "-",
            "%.2f" % ratio if ratio is not None else "-"))
    for g in ("workload-time", "workload-rss"):
        xs = [r[5] for r in rows if r[0] == g and r[5]]
        if xs:
            out.append("| %s | geometric mean of the %d workloads | | | | %.2f |" % (
                GROUPS[g][0], len(xs), math.exp(sum(map(math.log, xs)) / len(xs))))
    out.append("")
    out.append("![SLAB / SLUB](../docs/slab_vs_slub.svg)")
    open(path, "w").write("\n".join(out) + "\n")


def esc(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg(path, rows, machine):
    rows = [r for r in rows if r[5] is not None]
    bar_h, gap, left, width, top = 18, 6, 330, 420, 46
    height = top + len(rows) * (bar_h + gap) + 50
    lo, hi = 0.25, 4.0

    def x(v):
        v = min(max(v, lo), hi)
        return left + (math.log(v) - math.log(lo)) / (math.log(hi) - math.log(lo)) * width

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="12">' % (left + width + 70, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="20" font-size="15">SLAB / SLUB in umm (log scale; right of 1: '
           'SLAB costs more)</text>',
           '<text x="10" y="36" fill="#555">%s</text>' % esc(machine)]
    for t in (0.25, 0.5, 1, 2, 4):
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s"/>' % (
            x(t), top - 4, x(t), height - 40, "#000" if t == 1 else "#ddd"))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%g</text>' % (
            x(t), height - 26, t))
    y = top
    for g, what, unit, slub, slab, ratio in rows:
        label, color = GROUPS.get(g, (g, "#777"))
        x0, x1 = sorted((x(1), x(ratio)))
        out.append('<text x="%d" y="%d" text-anchor="end">%s: %s</text>' % (
            left - 8, y + 13, esc(label.split(" (")[0]), esc(what)))
        out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>' % (
            x0, y, max(x1 - x0, 1), bar_h, color))
        out.append('<text x="%.1f" y="%d">%.2f</text>' % (
            max(x(ratio), x(1)) + 4, y + 13, ratio))
        y += bar_h + gap
    out.append("</svg>")
    open(path, "w").write("\n".join(out) + "\n")


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    rows = load(sys.argv[1])
    markdown(sys.argv[2], rows, sys.argv[4])
    svg(sys.argv[3], rows, sys.argv[4])


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Medians, the table, geometric-mean ratios and the plot for run.sh.

usage: report.py RUNS_CSV MEDIANS_CSV SVG [CALLGRIND_TXT]

RUNS_CSV has one row per run (workload, allocator, run, status, time_s,
rss_kib, extra, note).  A workload/allocator cell with any failed run is
FAILED (the good runs' medians are still written to the CSV, but the cell
is left out of the ratios).  Standard library only.
"""
import csv
import math
import statistics
import sys

COLORS = {"glibc": "#7f7f7f", "umm": "#d62728", "jemalloc": "#1f77b4",
          "tcmalloc": "#2ca02c", "mimalloc": "#9467bd"}


def load(path):
    rows = list(csv.DictReader(open(path, newline="")))
    workloads, allocators, cells = [], [], {}
    for r in rows:
        w, a = r["workload"], r["allocator"]
        if w not in workloads:
            workloads.append(w)
        if a not in allocators:
            allocators.append(a)
        cells.setdefault((w, a), []).append(r)
    return workloads, allocators, cells


def summarize(runs):
    ok = [r for r in runs if r["status"] == "ok"]
    failed = [r for r in runs if r["status"] != "ok"]

    def med(key, scale=1.0):
        vals = [float(r[key]) / scale for r in ok if r[key] not in ("", None)]
        return statistics.median(vals) if vals else None

    extra = {}
    for r in ok:
        for kv in (r.get("extra") or "").split():
            k, _, v = kv.partition("=")
            extra.setdefault(k, []).append(float(v))
    return {
        "runs": len(runs), "ok": len(ok), "failed": len(failed),
        "time": med("time_s"), "rss": med("rss_kib", 1024.0),
        "extra": {k: statistics.median(v) for k, v in extra.items()},
        "note": failed[0]["note"] if failed else "",
    }


def ratio(a, b):
    if a is None or b is None or a["failed"] or b["failed"]:
        return None, None
    t = a["time"] / b["time"] if a["time"] and b["time"] else None
    m = a["rss"] / b["rss"] if a["rss"] and b["rss"] else None
    return t, m


def geomean(xs):
    xs = [x for x in xs if x]
    return math.exp(sum(map(math.log, xs)) / len(xs)) if xs else None


def fmt(x, spec):
    return "-" if x is None else format(x, spec)


def table(workloads, allocators, s):
    width = 18
    head = "%-14s" % "workload" + "".join("%*s" % (width, a) for a in allocators)
    print("\nmedian wall time (s) / peak RSS (MiB)")
    print(head)
    for w in workloads:
        line = "%-14s" % w
        for a in allocators:
            c = s.get((w, a))
            if c is None:
                cell = "skipped"
            elif c["failed"]:
                cell = "FAILED %d/%d" % (c["failed"], c["runs"])
            else:
                cell = "%s / %s" % (fmt(c["time"], ".2f"), fmt(c["rss"], ".1f"))
            line += "%*s" % (width, cell)
        print(line)
    redis = [(a, s[("redis", a)]["extra"]) for a in allocators
             if ("redis", a) in s and s[("redis", a)]["extra"]]
    if redis:
        print("\nredis-benchmark, median requests/s (redis-server's peak RSS above;"
              " its 'glibc' is libc.so.6 preloaded over the jemalloc it links):")
        for a, e in redis:
            print("  %-9s %s" % (a, "  ".join("%s %.0f" % kv for kv in sorted(e.items()))))


def ratios(workloads, allocators, s):
    if "umm" not in allocators:
        return
    print("\numm relative to each (geometric mean over the workloads where both"
          " ran; below 1 is better for umm)")
    print("%-12s %8s %8s %10s" % ("", "time", "RSS", "workloads"))
    for a in allocators:
        if a == "umm":
            continue
        pairs = [ratio(s.get((w, "umm")), s.get((w, a))) for w in workloads]
        ts = [t for t, _ in pairs if t]
        ms = [m for _, m in pairs if m]
        gt, gm = geomean(ts), geomean(ms)
        print("%-12s %8s %8s %10d" % ("vs " + a, fmt(gt, ".2f") + "x" * bool(gt),
                                      fmt(gm, ".2f") + "x" * bool(gm), len(ts)))


def best_of(w, allocators, s, key, exclude=()):
    """The lowest median KEY ('time' or 'rss') on W among ALLOCATORS that did not fail."""
    vals = [s[(w, a)][key] for a in allocators if a not in exclude and (w, a) in s
            and not s[(w, a)]["failed"] and s[(w, a)][key]]
    return min(vals) if vals else None


def versus_best(workloads, allocators, s):
    """umm against the best peer on each workload: the issue's yardstick."""
    if "umm" not in allocators or len(allocators) < 2:
        return
    print("\numm against the best peer on each workload (median time; RSS against"
          " glibc's)")
    print("%-14s %10s %10s %8s %10s" % ("workload", "best peer", "umm/best", "", "RSS/glibc"))
    ts, ms, over = [], [], []
    for w in workloads:
        c = s.get((w, "umm"))
        if c is None or c["failed"] or not c["time"]:
            continue
        peers = [a for a in allocators if a != "umm"]
        best = best_of(w, peers, s, "time")
        if best is None:
            continue
        who = [a for a in peers if (w, a) in s and s[(w, a)]["time"] == best][0]
        t = c["time"] / best
        m = ratio(c, s.get((w, "glibc")))[1]
        ts.append(t)
        if m:
            ms.append(m)
        if t > 1.5:
            over.append(w)
        print("%-14s %10s %9.2fx %8s %10s" % (w, who, t, "" if t <= 1.5 else "> 1.5x",
                                             fmt(m, ".2f") + "x" * bool(m)))
    print("%-14s %10s %9sx %8s %10s" % ("geomean", "", fmt(geomean(ts), ".2f"), "",
                                       fmt(geomean(ms), ".2f") + "x" * bool(ms)))
    print("workloads above 1.5x the best peer: %s" % (", ".join(over) or "none"))


def write_csv(path, workloads, allocators, s):
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["workload", "allocator", "runs", "ok_runs", "status",
                      "median_time_s", "median_rss_mib", "time_vs_glibc",
                      "rss_vs_glibc", "extra", "note"])
        for w in workloads:
            for a in allocators:
                c = s.get((w, a))
                if c is None:
                    continue
                t, m = ratio(c, s.get((w, "glibc")))
                out.writerow([w, a, c["runs"], c["ok"],
                              "FAILED" if c["failed"] else "ok",
                              fmt(c["time"], ".3f"), fmt(c["rss"], ".2f"),
                              fmt(t, ".3f"), fmt(m, ".3f"),
                              " ".join("%s=%.0f" % kv for kv in sorted(c["extra"].items())),
                              c["note"]])


def svg(path, workloads, allocators, s):
    """Two panels of grouped bars, time and peak RSS relative to the best
    allocator on each workload (1 = the best), log scale."""
    others = allocators
    if len(others) < 2:
        return
    best = {(w, k): best_of(w, allocators, s, ("time", "rss")[k])
            for w in workloads for k in (0, 1)}

    def rel(w, a, key):
        c, b = s.get((w, a)), best[(w, key)]
        if c is None or c["failed"] or not b:
            return None
        v = c[("time", "rss")[key]]
        return v / b if v else None
    group = 14 * len(others) + 14
    left, top, panel_h, gap = 60, 40, 260, 120
    width = left + group * len(workloads) + 150
    height = top + 2 * panel_h + gap + 90
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="11">' % (width, height),
           '<rect width="100%" height="100%" fill="white"/>']

    def esc(t):
        return t.replace("&", "&amp;").replace("<", "&lt;")

    for p, (key, title) in enumerate([(0, "wall time relative to the best on each workload (median; 1 = best)"),
                                      (1, "peak RSS relative to the best on each workload (median; 1 = best)")]):
        y0 = top + p * (panel_h + gap)
        vals = [rel(w, a, key) for w in workloads for a in others]
        vals = [v for v in vals if v]
        lo = 0.9
        hi = max([2.0] + vals) * 1.2
        lg0, lg1 = math.log10(lo), math.log10(hi)

        def ypos(v):
            return y0 + panel_h * (lg1 - math.log10(v)) / (lg1 - lg0)

        out.append('<text x="%d" y="%d" font-size="14">%s</text>' % (left, y0 - 12, esc(title)))
        # grid at 1-2-5 steps
        e = math.floor(lg0)
        while 10 ** e <= hi:
            for m in (1, 2, 5):
                v = m * 10 ** e
                if lo <= v <= hi:
                    y = ypos(v)
                    style = 'stroke="#000"' if v == 1 else 'stroke="#ddd"'
                    out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" %s/>'
                               % (left, left + group * len(workloads), y, y, style))
                    out.append('<text x="%d" y="%.1f" text-anchor="end">%gx</text>'
                               % (left - 4, y + 4, v))
            e += 1
        base = ypos(lo)
        for i, w in enumerate(workloads):
            gx = left + i * group + 7
            for j, a in enumerate(others):
                x = gx + 14 * j
                c = s.get((w, a))
                v = rel(w, a, key)
                if c is not None and c["failed"]:
                    out.append('<text x="%d" y="%.1f" fill="%s" font-weight="bold" '
                               'text-anchor="middle">X</text>' % (x + 6, base - 3, COLORS.get(a, "#000")))
                elif v:
                    y = ypos(v)
                    out.append('<rect x="%d" y="%.1f" width="12" height="%.1f" fill="%s">'
                               '<title>%s %s: %.2fx</title></rect>'
                               % (x, min(y, base), abs(base - y) or 0.5, COLORS.get(a, "#000"),
                                  esc(w), a, v))
            lx, ly = gx + group / 2 - 7, y0 + panel_h + 14
            out.append('<text transform="translate(%.1f %d) rotate(40)">%s</text>'
                       % (lx, ly, esc(w)))
        for j, a in enumerate(others):
            ly = y0 + 10 + 18 * j
            lx = left + group * len(workloads) + 20
            out.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>'
                       '<text x="%d" y="%d">%s</text>' % (lx, ly, COLORS.get(a, "#000"),
                                                          lx + 18, ly + 10, a))
        out.append('<text x="%d" y="%d" fill="#555">X = FAILED</text>'
                   % (left + group * len(workloads) + 20, y0 + 14 + 18 * len(others)))
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    workloads, allocators, cells = load(sys.argv[1])
    s = {k: summarize(v) for k, v in cells.items()}
    table(workloads, allocators, s)
    ratios(workloads, allocators, s)
    versus_best(workloads, allocators, s)
    if len(sys.argv) == 5:
        print("\ncallgrind (bench/allocators/callgrind.sh):")
        sys.stdout.write(open(sys.argv[4]).read())
    write_csv(sys.argv[2], workloads, allocators, s)
    svg(sys.argv[3], workloads, allocators, s)
    print("\nwrote %s, %s, %s" % (sys.argv[1], sys.argv[2], sys.argv[3]))


if __name__ == "__main__":
    main()

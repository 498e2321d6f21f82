#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The SVG pictures (fs/proc/svg.c) against what /proc says in the same
session: each must be well-formed XML; the buddy map has one cell per
pageblock of the machine, its numbers are buddyinfo's and pagetypeinfo's;
the maps picture has one bar per VMA of maps, at the VMA's range and
smaps' Rss, heights in proportion; the walk has five levels at the
indices the address gives and the entries `walk` prints.  docs/*.svg are
what docs/pictures.umm draws today.  The timeline of the schedule
(tools/timeline.c) has one row per simulated CPU, and each task's bars
add up to the run time /proc/PID/schedstat gives it, within a pixel; a
trace of 240000 switches stays under 1 MiB; a recording that fills up
ends at its last event.

usage: check_svg.py UMM DOCS_DIR [only]
       (only: buddy, maps, walk, timeline, errors, docs)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = {"s": "http://www.w3.org/2000/svg"}
failures = []


def fail(what, msg):
    failures.append(f"[{what}] {msg}")


def run(umm, args, script=None, cwd=None):
    return subprocess.run([umm] + args, input=script, capture_output=True, text=True,
                          errors="surrogateescape",
                          cwd=cwd, timeout=120)


def run_script(umm, script, cwd, cmdline=None):
    args = (["--cmdline", cmdline] if cmdline else []) + ["run-script", "-"]
    p = run(umm, args, script, cwd)
    if p.returncode:
        raise RuntimeError(f"run-script failed ({p.returncode}): {p.stderr}")
    return p.stdout


def parse(what, path_or_text, is_text=False):
    try:
        if is_text:
            return ET.fromstring(path_or_text)
        return ET.parse(path_or_text).getroot()
    except ET.ParseError as e:
        fail(what, f"not well-formed XML: {e}")
        return None


def report(out, name):
    """The lines `show NAME` printed under its '$ cat ...' header."""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("$ cat ") and line.split()[2].endswith("/" + name):
            body = []
            for l in lines[i + 1:]:
                if l.startswith("$ ") or l.startswith("draw ") or l.startswith("walk("):
                    break
                body.append(l)
            return body
    raise RuntimeError(f"no {name} in output")


# ---- buddy ----

def check_buddy(umm, tmp):
    machines = {"mem=16M": 8, "mem=64M": 32, "mem=1G": 512, "mem=1G numa=fake=2": 512,
                "mem=256M": 128}
    for cmdline, cells in machines.items():
        what = f"buddy {cmdline}"
        script = ("mm A\nexec\np = mmap NULL 3M rw- private,anonymous\ntouch p 3M write\n"
                  "munmap p+1M 20K\nshow buddyinfo\nshow pagetypeinfo\ndraw buddy > b.svg\n")
        out = run_script(umm, script, tmp, cmdline)
        root = parse(what, os.path.join(tmp, "b.svg"))
        if root is None:
            continue
        pbs = root.findall(".//s:rect[@class='pb']", NS)
        if len(pbs) != cells:
            fail(what, f"{len(pbs)} pageblock cells, {cells} expected")
        check_buddy_numbers(what, root, report(out, "buddyinfo"), report(out, "pagetypeinfo"))
    # the command-line forms: the same picture, well formed, every cell there
    for args in (["draw", "buddy"], ["cat", "--svg", "/proc/buddyinfo"],
                 ["cat", "--svg", "/proc/pagetypeinfo"]):
        p = run(umm, ["--cmdline", "mem=64M"] + args)
        root = parse(" ".join(args), p.stdout, True) if p.returncode == 0 else None
        if p.returncode:
            fail(" ".join(args), f"exit {p.returncode}: {p.stderr}")
        elif root is not None and len(root.findall(".//s:rect[@class='pb']", NS)) != 32:
            fail(" ".join(args), "not 32 cells for mem=64M")


def check_buddy_numbers(what, root, buddyinfo, pagetypeinfo):
    lines = {}
    for l in buddyinfo:
        m = re.match(r"Node (\d+), zone\s+(\S+)((?:\s+\d+){11})", l)
        lines[(m.group(1), m.group(2))] = [int(x) for x in m.group(3).split()]
    blocks = {}
    names = None
    for l in pagetypeinfo:
        if l.startswith("Number of blocks type"):
            names = l.split()[4:]
        m = re.match(r"Node (\d+), zone\s+(\S+)((?:\s+\d+)+)\s*$", l)
        if m and names and len(m.group(3).split()) == len(names):
            blocks[(m.group(1), m.group(2))] = dict(zip(names, map(int, m.group(3).split())))
    zones = root.findall(".//s:g[@class='zone']", NS)
    if len(zones) != len(lines):
        fail(what, f"{len(zones)} zones drawn, buddyinfo has {len(lines)}")
    for z in zones:
        key = (z.get("data-node"), z.get("data-zone"))
        counts = [int(x) for x in z.get("data-buddyinfo").split()]
        if counts != lines.get(key):
            fail(what, f"{key}: drawn {counts}, buddyinfo {lines.get(key)}")
            continue
        cells = z.findall(".//s:rect[@class='pb']", NS)
        free = sum(int(c.get("data-free")) for c in cells)
        if free != sum(n << o for o, n in enumerate(counts)):
            fail(what, f"{key}: cells hold {free} free pages, buddyinfo "
                 f"{sum(n << o for o, n in enumerate(counts))}")
        whole = sum(1 for c in cells if int(c.get("data-order")) >= 9)
        if whole != 2 * counts[10] + counts[9]:
            fail(what, f"{key}: {whole} wholly free pageblocks, buddyinfo says "
                 f"{2 * counts[10] + counts[9]}")
        for c in cells:
            f, o = int(c.get("data-free")), int(c.get("data-order"))
            if not 0 <= f <= 512 or not -1 <= o <= 10 or (o == -1) != (f == 0) or \
                    (o >= 0 and f < min(1 << o, 512)):
                fail(what, f"{key}: cell {c.get('data-pfn')} free {f} order {o}")
        by_type = {}
        for c in cells:
            by_type[c.get("data-mt")] = by_type.get(c.get("data-mt"), 0) + 1
        want = {k: v for k, v in blocks.get(key, {}).items() if v}
        if by_type != want:
            fail(what, f"{key}: cells by migratetype {by_type}, pagetypeinfo {want}")


# ---- maps ----

def check_maps(umm, tmp):
    what = "maps"
    odd = os.path.join(tmp, "a <b> & \"c\".txt")
    with open(odd, "w") as f:
        f.write("x" * 10000)
    # a name that is not UTF-8 and has a control character: printed as \ooo
    raw_name = os.path.join(tmp.encode(), b"bad\xff\x01name")
    with open(raw_name, "wb") as f:
        f.write(b"y" * 4096)
    quoted = odd.replace('"', '\\"')
    script = f"""mm A
exec
brk brk+64K
touch brk-64K 8K write
fd = open "{quoted}"
f = mmap NULL 12K r-- private fd 0
touch f 8K read
g = mmap NULL 1G --- private,anonymous,noreserve
h = mmap NULL 256M r-- private,anonymous,noreserve
p = mmap NULL 64K rw- private,anonymous
touch p 20K write
mprotect p+24K 4K r--
s = mmap NULL 32K rw- shared,anonymous
touch s 4K write
fd2 = open "{tmp}/bad\\xff\\x01name"
b = mmap NULL 4K r-- shared fd2 0
show maps
show smaps
draw maps A > m.svg
"""
    out = run_script(umm, script, tmp)
    root = parse(what, os.path.join(tmp, "m.svg"))
    if root is None:
        return
    maps = report(out, "maps")
    smaps = report(out, "smaps")
    rss = [int(l.split()[1]) * 1024 for l in smaps if l.startswith("Rss:")]
    vmas = root.findall(".//s:rect[@class='vma']", NS)
    if len(vmas) != len(maps):
        return fail(what, f"{len(vmas)} bars, maps has {len(maps)} lines")
    group = root.find(".//s:g[@class='vmas']", NS)
    px_per_byte = float(group.get("data-px-per-mib")) / (1 << 20)
    min_h = float(group.get("data-min-height"))
    sizes = []
    for i, (rect, line) in enumerate(zip(vmas, maps)):
        start, end = (int(x, 16) for x in line.split()[0].split("-"))
        if (int(rect.get("data-start"), 16), int(rect.get("data-end"), 16)) != (start, end):
            fail(what, f"bar {i} is {rect.get('data-start')}-{rect.get('data-end')}, maps: {line}")
        if rect.get("data-flags") != line.split()[1]:
            fail(what, f"bar {i} flags {rect.get('data-flags')}, maps: {line}")
        if int(rect.get("data-rss")) != rss[i]:
            fail(what, f"bar {i} Rss {rect.get('data-rss')}, smaps {rss[i]}")
        h = float(rect.get("height"))
        want = max(min_h, (end - start) * px_per_byte)
        if abs(h - want) > 0.01:
            fail(what, f"bar {i} is {h} px high, {want} expected")
        sizes.append((end - start, h))
    big = [(s, h) for s, h in sizes if h > min_h]
    for s, h in big:
        if abs(h / big[0][1] - s / big[0][0]) > 1e-3:
            fail(what, f"heights not in proportion: {s}/{h} vs {big[0]}")
    if len(big) < 2:
        fail(what, "fewer than two bars above the minimum height: nothing to compare")
    text = "".join(root.itertext())
    if f"{tmp}/bad\\377\\001name" not in text:
        fail(what, "a file name that is not UTF-8 is not drawn with \\ooo escapes")
    if odd not in text:
        fail(what, "the file's name <, >, & and quotes did not come back through the XML")
    with open(os.path.join(tmp, "m.svg")) as f:
        raw = f.read()
    if "a &lt;b&gt; &amp; &quot;c&quot;.txt" not in raw:
        fail(what, "the file's name is not escaped")
    gaps = root.findall(".//s:g[@class='gap']", NS)
    if not any(int(g.get("data-bytes")) > 1 << 40 for g in gaps):
        fail(what, "the heap-to-mmap gap (tebibytes) is not elided and labelled")


# ---- walk ----

def check_walk(umm, tmp):
    cases = [("p+0x1234", "present"), ("0x1000", "unmapped"), ("0x800000000000", "non-canonical"),
             ("0xffff800000001000", "kernel half")]
    for expr, kind in cases:
        what = f"walk {kind}"
        script = (f"mm A\nexec\np = mmap NULL 64K rw- private,anonymous\ntouch p 8K write\n"
                  f"a = {expr}\nwalk a\ndraw walk A a > w.svg\n")
        out = run_script(umm, script, tmp)
        addr = int(re.search(r"^walk\((0x[0-9a-f]+)\)", out, re.M).group(1), 16)
        root = parse(what, os.path.join(tmp, "w.svg"))
        if root is None:
            continue
        levels = root.findall(".//s:g[@class='level']", NS)
        if [l.get("data-level") for l in levels] != ["pgd", "p4d", "pud", "pmd", "pte"]:
            fail(what, f"levels {[l.get('data-level') for l in levels]}")
            continue
        want = [(addr >> 39) & 511, 0, (addr >> 30) & 511, (addr >> 21) & 511, (addr >> 12) & 511]
        got = [int(l.get("data-index")) for l in levels]
        if got != want:
            fail(what, f"indices {got}, the address gives {want}")
        text = dict(re.findall(r"^  (pgd|pud|pmd|pte)\[\s*\d+\] = ([0-9a-f]{16})", out, re.M))
        if kind == "kernel half":
            # walk stops at TASK_SIZE; umm's pgd has nothing in the kernel half
            text = {"pgd": "0" * 16}
        for l in levels:
            name = "pgd" if l.get("data-level") == "p4d" else l.get("data-level")
            entry = l.get("data-entry")
            if (entry is None) != (name not in text) or \
                    (entry is not None and int(entry, 16) != int(text[name], 16)):
                fail(what, f"{l.get('data-level')}: drawn {entry}, walk printed {text.get(name)}")
        frame = root.find(".//s:g[@class='frame']", NS)
        if kind == "present":
            pte = int(text.get("pte", "0"), 16)
            if frame is None or int(frame.get("data-pfn"), 16) != (pte & ((1 << 52) - 1)) >> 12:
                fail(what, "the page frame is not the PTE's")
        elif frame is not None:
            fail(what, "a page frame drawn for an address nothing maps")
        if kind == "non-canonical" and any(l.get("data-state") != "not-reached" for l in levels):
            fail(what, "a non-canonical address was walked")


# ---- timeline ----

TL_SCRIPT = """use 1
a = fork
b = fork
c = fork
a: program "loop { run 100ms }"
b: program "loop { sleep 1ms; run 100us }"
c: program "loop { run 3ms; sleep 2ms }"
b: nice 5
device 5 every 10ms 1
advance 300ms
{mid}
advance 700ms
a: show schedstat
b: show schedstat
c: show schedstat
{end}
"""


def schedstat(out, pid):
    return int(report(out, f"{pid}/schedstat")[0].split()[0])


def timeline_bars(what, root, cpus):
    """pid -> (ns, width in px) of its bars; checks the rows and the legend."""
    rows = root.findall(".//s:g[@class='cpu']", NS)
    if [r.get("data-cpu") for r in rows] != [str(i) for i in range(cpus)]:
        fail(what, f"rows {[r.get('data-cpu') for r in rows]}, {cpus} CPUs")
    tl = root.find(".//s:g[@class='timeline']", NS)
    if tl is None or tl.get("data-cpus") != str(cpus):
        fail(what, "no timeline group with data-cpus")
    bars = {}
    for rect in root.findall(".//s:rect[@class='run']", NS):
        pid = int(rect.get("data-pid"))
        ns, w = bars.get(pid, (0, 0.0))
        bars[pid] = (ns + int(rect.get("data-ns")), w + float(rect.get("width")))
    for g in root.findall(".//s:g[@class='legend']/s:g[@class='task']", NS):
        pid = int(g.get("data-pid"))
        if int(g.get("data-ns")) != bars.get(pid, (0, 0))[0]:
            fail(what, f"legend of {pid} says {g.get('data-ns')} ns, its bars "
                 f"{bars.get(pid, (0, 0))[0]}")
    return bars


def check_run_times(what, root, want):
    """want: pid -> ns it ran while the recording ran."""
    axis = root.find(".//s:g[@class='axis']", NS)
    px_per_ns = float(axis.get("data-px-per-ms")) / 1e6
    bars = timeline_bars(what, root, int(root.find(".//s:g[@class='timeline']", NS)
                                         .get("data-cpus")))
    for pid, ns in want.items():
        got_ns, width = bars.get(pid, (0, 0.0))
        if abs(width - ns * px_per_ns) > 1.0:
            fail(what, f"pid {pid}: bars {width:.3f} px wide, schedstat "
                 f"{ns} ns = {ns * px_per_ns:.3f} px")
        if got_ns != ns:
            fail(what, f"pid {pid}: bars stand for {got_ns} ns, schedstat {ns}")
    if set(bars) - set(want):
        fail(what, f"bars of tasks that did not run: {set(bars) - set(want)}")


def check_timeline(umm, tmp):
    # the whole script (run-script --timeline), on 2 and 3 CPUs
    for cpus in (2, 3):
        what = f"timeline {cpus} CPUs"
        path = os.path.join(tmp, "t.umm")
        with open(path, "w") as f:
            f.write(TL_SCRIPT.replace("{mid}", "").replace("{end}", "timeline mid.svg"))
        p = run(umm, ["--cmdline", f"umm.sim_cpus={cpus}", "run-script", "--timeline",
                      "whole.svg", "t.umm"], cwd=tmp)
        if p.returncode or p.stderr:
            fail(what, f"exit {p.returncode}: {p.stderr}")
            continue
        root = parse(what, os.path.join(tmp, "whole.svg"))
        if root is None:
            continue
        want = {pid: schedstat(p.stdout, pid) for pid in (3, 4, 5)}
        check_run_times(what, root, want)
        if not root.findall(".//s:rect[@class='irq']", NS):
            fail(what, "no interrupt marks, with a device raising line 5 every 10 ms")
        # `timeline FILE` at the end draws the same
        if open(os.path.join(tmp, "mid.svg")).read() != open(os.path.join(tmp, "whole.svg")).read():
            fail(what, "timeline FILE at the script's end differs from --timeline's picture")
    # from the middle: who runs then is drawn from the start of the recording
    what = "timeline start mid-run"
    out = run_script(umm, TL_SCRIPT.replace(
        "{mid}", "a: show schedstat\nb: show schedstat\nc: show schedstat\ntimeline start")
        .replace("{end}", "timeline late.svg"), tmp)
    root = parse(what, os.path.join(tmp, "late.svg"))
    if root is not None:
        lines = [l for l in out.splitlines()]
        runs = [int(lines[i + 1].split()[0]) for i, l in enumerate(lines)
                if l.startswith("$ cat /proc/") and l.endswith("/schedstat")]
        check_run_times(what, root, {pid: runs[i + 3] - runs[i]
                                     for i, pid in enumerate((3, 4, 5))})
    # a long trace stays small: 20 s of switches every 100 us or so
    what = "timeline big"
    script = ("use 1\na = fork\nb = fork\nc = fork\n"
              "a: program \"loop { run 150us; sleep 50us }\"\n"
              "b: program \"loop { run 120us; yield }\"\n"
              "c: program \"loop { sleep 30us; run 90us }\"\n"
              "advance 20s\na: show schedstat\nb: show schedstat\nc: show schedstat\n")
    p = run(umm, ["run-script", "--timeline", "big.svg", "-"], script, tmp)
    root = parse(what, os.path.join(tmp, "big.svg")) if not p.returncode else None
    if p.returncode:
        fail(what, f"exit {p.returncode}: {p.stderr}")
    elif root is not None:
        switches = int(root.find(".//s:g[@class='timeline']", NS).get("data-switches"))
        size = os.path.getsize(os.path.join(tmp, "big.svg"))
        rects = len(root.findall(".//s:rect", NS))
        if switches < 100000:
            fail(what, f"only {switches} switches: not a big trace")
        if size > 1 << 20 or rects > 2 * 4 * 912 * 2 + 100:
            fail(what, f"{switches} switches drawn in {size} bytes, {rects} rects")
        check_run_times(what, root, {pid: schedstat(p.stdout, pid) for pid in (3, 4, 5)})
    # a recording that fills up (1048576 events) ends at its last event, and says so
    what = "timeline full"
    p = run(umm, ["run-script", "--timeline", "full.svg", "-"],
            script.replace("advance 20s", "advance 90s"), tmp)
    root = parse(what, os.path.join(tmp, "full.svg")) if not p.returncode else None
    if p.returncode:
        fail(what, f"exit {p.returncode}: {p.stderr}")
    elif root is not None:
        tl = root.find(".//s:g[@class='timeline']", NS)
        end = int(root.find(".//s:g[@class='axis']", NS).get("data-end-ns"))
        title = root.find("s:title", NS).text
        if tl.get("data-events") != str(1 << 20) or not 60e9 < end < 90e9 or \
                "filled up" not in title:
            fail(what, f"{tl.get('data-events')} events, ending at {end} ns: {title!r}")
        # what is drawn is what ran until the last event: at most the
        # tasks' run time, less at most what two CPUs ran after it
        bars = root.findall(".//s:rect[@class='run']", NS)
        drawn = sum(int(r.get("data-ns")) for r in bars)
        ran = sum(schedstat(p.stdout, pid) for pid in (3, 4, 5))
        if not ran - 2 * (90 * 10**9 - end) <= drawn <= ran:
            fail(what, f"bars stand for {drawn} ns; the tasks ran {ran} ns, "
                 f"{90 * 10**9 - end} ns of it after the last event")
        right = max(float(r.get("x")) + float(r.get("width")) for r in bars)
        if right > 64 + 912 + 0.01:
            fail(what, f"a bar reaches x = {right}, past the axis' end")


# ---- errors ----

def check_errors(umm, tmp):
    bad = ["draw walk\n", "draw maps B\n", "draw frob\n", "draw buddy extra\n",
           "draw buddy > /nonexistent-dir/x.svg\n", "draw maps\n",
           "timeline x.svg\n", "timeline start\ntimeline /nonexistent-dir/x.svg\n",
           "timeline start extra\n", "timeline\n"]
    for line in bad:
        p = run(umm, ["run-script", "-"], line if line == "draw maps\n" or "buddy" in line
                or "timeline" in line else "mm A\n" + line, tmp)
        if p.returncode != 1 or not re.match(r"-:\d+: ", p.stderr) or len(p.stderr.splitlines()) != 1:
            fail("errors", f"{line.strip()!r}: exit {p.returncode}, stderr {p.stderr!r}")
    for args in (["draw"], ["draw", "frob"], ["draw", "maps"], ["draw", "buddy", "x"],
                 ["cat", "--svg", "/proc/meminfo"], ["cat", "--svg"],
                 ["run-script", "--timeline"], ["run-script", "--timeline", "x.svg"]):
        p = run(umm, args)
        if p.returncode != 2 or p.stdout or len(p.stderr.splitlines()) != 1:
            fail("errors", f"umm {' '.join(args)}: exit {p.returncode}, stderr {p.stderr!r}")
    # a path that cannot be written: one line, before the scenario runs
    p = run(umm, ["run-script", "--timeline", "/nonexistent-dir/x.svg", "-"], "echo ran\n", tmp)
    if p.returncode != 1 or p.stdout or len(p.stderr.splitlines()) != 1 or \
            "/nonexistent-dir/x.svg" not in p.stderr:
        fail("errors", f"--timeline to a bad path: exit {p.returncode}, stdout {p.stdout!r}, "
             f"stderr {p.stderr!r}")


# ---- docs ----

def check_docs(umm, tmp, docs):
    shutil.copy(os.path.join(docs, "pictures.umm"), tmp)
    run_script(umm, open(os.path.join(docs, "pictures.umm")).read(), tmp)
    for name in ("buddy.svg", "maps.svg", "walk.svg", "timeline.svg"):
        new = open(os.path.join(tmp, name)).read()
        if parse("docs " + name, new, True) is None:
            continue
        if new != open(os.path.join(docs, name)).read():
            fail("docs", f"docs/{name} is not what docs/pictures.umm draws now "
                 "(cd docs && ../build/umm run-script pictures.umm)")


def main():
    umm, docs = os.path.abspath(sys.argv[1]), sys.argv[2]
    only = sys.argv[3] if len(sys.argv) > 3 else None
    checks = {"buddy": check_buddy, "maps": check_maps, "walk": check_walk,
              "timeline": check_timeline,
              "errors": check_errors, "docs": lambda u, t: check_docs(u, t, docs)}
    if only is not None and only not in checks:
        print(f"check_svg.py: no check '{only}' (one of: {', '.join(checks)})",
              file=sys.stderr)
        return 2
    for name, check in checks.items():
        if only and name != only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            try:
                check(umm, tmp)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                fail(name, str(e))
    for f in failures:
        print("FAIL", f)
    if not failures:
        print("ok:", ", ".join(n for n in checks if not only or n == only))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

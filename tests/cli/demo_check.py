#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that `umm demo` tells the truth: every number and zone its
narration names agrees with the /proc/buddyinfo printed around it, for
several machines (mem=, numa=fake=), and that it refuses arguments.

usage: demo_check.py UMM
"""
import re
import subprocess
import sys

CONFIGS = ["mem=16M", "mem=64M", "mem=1G", "mem=1G numa=fake=2", "mem=64M umm.pcp=0",
           "mem=16M numa=fake=2", "mem=5G numa=fake=3"]
# Lines each run must have: a demo that narrates none of its numbers fails.
REQUIRED = ["spans", "got pfn", "free blocks in", "pages left the free lists",
            "right after boot", "free pages in all zones", "frames, in"]

failures = []


def fail(cfg, msg):
    failures.append(f"[{cfg}] {msg}")


def zone_key(label):
    """'node 1's ZONE_DMA32' or 'ZONE_DMA32' -> (node, 'DMA32')."""
    m = re.fullmatch(r"(?:node (\d+)'s )?ZONE_(\w+)", label)
    if not m:
        return None
    return (int(m.group(1) or 0), m.group(2).upper())


def parse_blocks(lines):
    """Each printed /proc/buddyinfo, with the index of the line after it."""
    blocks = []
    i = 0
    while i < len(lines):
        if lines[i] == "$ cat /proc/buddyinfo":
            zones = {}
            i += 1
            while i < len(lines) and lines[i].startswith("Node "):
                m = re.match(r"Node (\d+), zone\s+(\S+)((?:\s+\d+){11})", lines[i])
                zones[(int(m.group(1)), m.group(2).upper())] = [int(x) for x in m.group(3).split()]
                i += 1
            blocks.append((i, zones))
        else:
            i += 1
    return blocks


def free_pages(zones):
    return sum(n << o for counts in zones.values() for o, n in enumerate(counts))


def check_changes(cfg, text, before, after):
    """'free blocks in Z: order 10: 4 -> 3, orders 4..9: 0 -> 1 each'."""
    m = re.match(r"(?:compared with right after boot, )?free blocks in (.+?): (.*)$", text)
    key = zone_key(m.group(1))
    if key not in before or key not in after:
        return fail(cfg, f"no zone {m.group(1)} in buddyinfo: {text}")
    said = {}
    for part in m.group(2).split(", "):
        p = re.fullmatch(r"orders? (\d+)(?:\.\.(\d+))?: (\d+) -> (\d+)(?: each)?", part)
        if not p:
            return fail(cfg, f"cannot read '{part}' in: {text}")
        lo, hi = int(p.group(1)), int(p.group(2) or p.group(1))
        for o in range(lo, hi + 1):
            said[o] = (int(p.group(3)), int(p.group(4)))
    for o in range(11):
        real = (before[key][o], after[key][o])
        if o in said and said[o] != real:
            fail(cfg, f"order {o} of {key}: said {said[o]}, buddyinfo {real}: {text}")
        if o not in said and real[0] != real[1]:
            fail(cfg, f"order {o} of {key} changed {real} but was not named: {text}")


def check_run(cfg, out):
    lines = out.splitlines()
    blocks = parse_blocks(lines)
    spans = {}
    seen = set()
    text_lines = []
    # Join narration continued on the next line (indented, not a command).
    for i, line in enumerate(lines):
        if text_lines and line.startswith("    ") and not re.match(r"    (\S+ )?(ZONE|node|\(|pfns|got|free|\d+ (pages|frames)|all|every|expand|vmalloc|100|pages on)", line) \
                and text_lines[-1][1].startswith("    "):
            text_lines[-1] = (text_lines[-1][0], text_lines[-1][1] + " " + line.strip())
        else:
            text_lines.append((i, line))
    for i, line in text_lines:
        # the buddyinfo printed before this line, and the next one
        k = sum(1 for end, _ in blocks if end <= i)
        before = blocks[k - 1][1] if k else None
        after = blocks[k][1] if k < len(blocks) else None
        s = line.strip()
        for r in REQUIRED:
            if r in s:
                seen.add(r)
        m = re.match(r"(.+?) spans pfns (0x[0-9a-f]+|0)-(0x[0-9a-f]+) \((\d+) MiB\): (\d+) free blocks? of "
                     r"order 10 \(4 MiB each\) and (\d+) smaller ones?", s)
        if m:
            key = zone_key(m.group(1))
            spans[key] = (int(m.group(2), 16), int(m.group(3), 16))
            if key not in after:
                fail(cfg, f"{key} is not in buddyinfo")
                continue
            if int(m.group(4)) != (spans[key][1] + 1 - spans[key][0]) >> 8:
                fail(cfg, f"span and MiB disagree: {s}")
            if int(m.group(5)) != after[key][10] or int(m.group(6)) != sum(after[key][:10]):
                fail(cfg, f"said {m.group(5)}+{m.group(6)} blocks, buddyinfo {after[key]}: {s}")
        m = re.match(r"got pfn (0x[0-9a-f]+|0) from (.+?):", s)
        if m:
            pfn, key = int(m.group(1), 16), zone_key(m.group(2))
            if key not in spans or not spans[key][0] <= pfn <= spans[key][1]:
                fail(cfg, f"pfn {pfn:#x} is not in {key} {spans.get(key)}")
        if s.startswith("free blocks in "):
            check_changes(cfg, s, before, after)
        if s.startswith("compared with right after boot"):
            check_changes(cfg, s, blocks[0][1], after)
        if s.startswith("every zone's free lists are as they were right after boot") \
                and after != blocks[0][1]:
            fail(cfg, f"not as after boot: {after} vs {blocks[0][1]}")
        m = re.match(r"(\d+) pages left the free lists: (\d+) are ours(?:, (\d+) went to|, of which (\d+) came off)?", s)
        if m:
            taken = free_pages(before) - free_pages(after)
            pcp = int(m.group(3) or 0) - int(m.group(4) or 0)
            if int(m.group(1)) != taken or taken != int(m.group(2)) + pcp:
                fail(cfg, f"buddyinfo says {taken} pages left: {s}")
        m = re.match(r"expand\(\) split one order-(\d+) block in halves down to order (\d+); "
                     r"the upper halves of orders (\d+)\.\.(\d+) went back", s)
        if m:
            split, lo, hi = int(m.group(1)), int(m.group(3)), int(m.group(4))
            ok = any(after[z][split] == before[z][split] - 1 and
                     all(after[z][o] == before[z][o] + 1 for o in range(lo, hi + 1))
                     for z in before)
            if not ok:
                fail(cfg, f"no zone shows that split: {s}")
        m = re.match(r"free pages in all zones: (\d+) before vmalloc\(\), (\d+) now", s)
        if m and (int(m.group(1)), int(m.group(2))) != (free_pages(before), free_pages(after)):
            fail(cfg, f"buddyinfo says {free_pages(before)} and {free_pages(after)}: {s}")
        for label in re.findall(r"(?:from|in) ((?:node \d+'s )?ZONE_\w+)", s):
            if zone_key(label) not in blocks[0][1]:
                fail(cfg, f"{label} is not a zone buddyinfo shows: {s}")
    for r in REQUIRED:
        if r not in seen:
            fail(cfg, f"no narration line with '{r}'")


def main():
    umm = sys.argv[1]
    for cfg in CONFIGS:
        p = subprocess.run([umm, "--cmdline", cfg, "demo"], capture_output=True, text=True,
                           timeout=120)
        if p.returncode != 0:
            fail(cfg, f"exit {p.returncode}: {p.stderr.strip()}")
            continue
        check_run(cfg, p.stdout)
    for extra in (["extra"], ["--cmdline", "mem=1G"]):
        p = subprocess.run([umm, "demo"] + extra, capture_output=True, text=True, timeout=60)
        if p.returncode != 2 or p.stdout or len(p.stderr.splitlines()) != 1:
            fail("args", f"umm demo {' '.join(extra)}: exit {p.returncode}, "
                 f"stdout {len(p.stdout)} bytes, stderr {p.stderr!r}")
    for f in failures:
        print("FAIL", f)
    if not failures:
        print(f"ok: {len(CONFIGS)} machines, every narrated number matches buddyinfo")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

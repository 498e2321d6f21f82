#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""umm top in batch mode (tools/top.c) against what the scenario makes:
-n frames and no more (on a terminal too, each after a clear screen),
the simulated clock DUR further each frame, one
%Cpu line per simulated CPU, a busy task at 100.0 %CPU and TIME+ growing
by DUR, the tasks' %CPU adding up to the busy share of the %Cpu(s) line,
the load average rising as calc_load() makes it, the policy and HZ in the
header; bad use fails with one line.

usage: top_check.py UMM
"""
import os
import pty
import re
import subprocess
import sys
import tempfile

failures = []

SCENARIO = """use 1
a = fork
b = fork
c = fork
a: program "loop { run 100ms }"
b: program "loop { sleep 1ms; run 100us }"
c: program "loop { run 3ms; sleep 2ms }"
b: nice 5
advance 1s
"""


def fail(msg):
    failures.append(msg)


def top(umm, args, cmdline=None):
    pre = ["--cmdline", cmdline] if cmdline else []
    return subprocess.run([umm] + pre + ["top"] + args, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


def frames(out):
    return [f for f in re.split(r"\n(?=top - )", out) if f.strip()]


def tasks(frame):
    rows = {}
    lines = frame.splitlines()
    head = next(i for i, l in enumerate(lines) if l.split()[:2] == ["PID", "PR"])
    for l in lines[head + 1:]:
        f = l.split()
        rows[int(f[0])] = {"pr": f[1], "ni": int(f[2]), "s": f[3], "cpu": float(f[4]),
                           "time": f[5], "vrt": float(f[6]), "sw": int(f[7]), "p": int(f[8]),
                           "comm": f[9]}
    return rows


def pct(line):
    return dict((k, float(v)) for v, k in re.findall(r"([\d.]+) (us|sy|ni|id|wa|hi|si|st)", line))


def time_plus(t):
    m, s = t.split(":")
    return int(m) * 60 + float(s)


def check_frames(umm, path, cpus, policy):
    what = f"{cpus} CPUs, {policy}"
    p = top(umm, ["-n", "12", "-d", "1", path],
            f"umm.sim_cpus={cpus} umm.sched={policy}")
    if p.returncode or p.stderr:
        return fail(f"{what}: exit {p.returncode}, stderr {p.stderr!r}")
    fs = frames(p.stdout)
    if len(fs) != 12:
        return fail(f"{what}: {len(fs)} frames, -n 12")
    loads = []
    for i, fr in enumerate(fs):
        lines = fr.splitlines()
        m = re.match(r"top - (\d\d):(\d\d):(\d\d) up \d+ min, +(\S+), HZ=(\d+), +load average: "
                     r"([\d.]+), ([\d.]+), ([\d.]+)$", lines[0])
        if not m:
            return fail(f"{what}: header {lines[0]!r}")
        secs = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
        if secs != 2 + i:
            fail(f"{what}: frame {i} at {secs} s of the simulated clock, {2 + i} expected")
        if m.group(4) != policy.upper() or m.group(5) != "250":
            fail(f"{what}: header names {m.group(4)} HZ={m.group(5)}")
        loads.append(float(m.group(6)))
        if not re.match(r"Tasks: +6 total, +\d+ running, +\d+ sleeping, +0 stopped, +0 zombie",
                        lines[1]):
            fail(f"{what}: tasks line {lines[1]!r}")
        cpu_lines = [l for l in lines if re.match(r"%Cpu\d+ +:", l)]
        if len(cpu_lines) != cpus:
            fail(f"{what}: {len(cpu_lines)} per-CPU lines")
        total = pct(lines[2])
        if abs(sum(total.values()) - 100) > 0.5:
            fail(f"{what}: %Cpu(s) adds up to {sum(total.values())}")
        rows = tasks(fr)
        a = rows.get(3)
        # a runs all the time, beside b, c and d: most of a CPU, never more
        if not a or not 50 <= a["cpu"] <= 100.0 or a["s"] != "R" or a["comm"] != "init":
            fail(f"{what}: the busy task: {a}")
            continue
        if i and not 0.4 <= time_plus(a["time"]) - time_plus(tasks(fs[i - 1])[3]["time"]) <= 1.01:
            fail(f"{what}: the busy task's TIME+ {a['time']} after "
                 f"{tasks(fs[i - 1])[3]['time']}, a second later")
        if rows[4]["ni"] != 5 or rows[4]["pr"] != "25" or rows[3]["pr"] != "20":
            fail(f"{what}: NI/PR of the nice 5 task: {rows[4]}")
        busy = sum(r["cpu"] for r in rows.values())
        want = (100 - total["id"]) * cpus
        if abs(busy - want) > 4 * cpus:
            fail(f"{what}: tasks' %CPU add up to {busy:.1f}, %Cpu(s) busy x CPUs {want:.1f}")
        if i and rows[4]["sw"] <= tasks(fs[i - 1])[4]["sw"]:
            fail(f"{what}: the sleeper's switches did not grow")
    # calc_load() every LOAD_FREQ (5 s + 1 tick) from the first frame (at 1 s):
    # of the clock: frames at 2..5 s see none, 6..10 s the first, 11..13 s the second
    first = [calc_load_1(k) for k in range(1, 8)]
    if loads[:4] != [0.0] * 4 or len(set(loads[4:9])) != 1 or loads[4] not in first or \
            len(set(loads[9:])) != 1 or not loads[9] > loads[4]:
        fail(f"{what}: 1-minute load {loads}")


def calc_load_1(active):
    """The first 1-minute load of kernel/sched/loadavg.c for @active tasks, as printed."""
    load = (active * 2048 * (2048 - 1884) + 2047) // 2048
    return float(f"{load >> 11}.{((load & 2047) * 100) >> 11:02d}")


def check_tty(umm, path):
    """On a terminal: each frame clears the screen and replaces the last."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(umm, [umm, "top", "-n", "2", path])
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    text = out.decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        fail(f"on a terminal: exit status {status}")
    if text.count("\033[H\033[2J") != 2 or text.count("\033[H\033[2Jtop - ") != 2:
        fail(f"on a terminal: not two frames each after a clear screen: {text[:300]!r}")


def main():
    umm = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "s.umm")
        with open(path, "w") as f:
            f.write(SCENARIO + "d = fork\nd: program \"loop { run 1ms; yield }\"\n")
        for cpus, policy in ((2, "eevdf"), (3, "eevdf"), (2, "cfs")):
            check_frames(umm, path, cpus, policy)
        check_tty(umm, path)
        bad = os.path.join(tmp, "bad.umm")
        with open(bad, "w") as f:
            f.write("use 1\nnice 99 x\n")
        for args, rc in ((["-n", "0", path], 2), (["-d", "soon", path], 2), ([], 2),
                         (["-n", "1"], 2), (["-x", path], 2), ([path, path], 2),
                         (["-n", "1", bad], 1), (["-n", "1", "/nonexistent.umm"], 1)):
            p = top(umm, args)
            if p.returncode != rc or len(p.stderr.splitlines()) != 1 or p.stdout:
                fail(f"umm top {' '.join(args)}: exit {p.returncode} (want {rc}), "
                     f"stdout {p.stdout[:200]!r}, stderr {p.stderr!r}")
    for f in failures:
        print("FAIL", f)
    if not failures:
        print("ok: umm top")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# script_fuzz.py UMM [SEED] [SCRIPTS] - random scenarios of process commands
# (fork, clone with thread, vfork and CLONE_PARENT flags, exec of programs
# and of nothing, exit, wait, ps, pstree, /proc reports, mmap, subreapers)
# on random processes, each run by `umm run-script` under a 20 s timeout.
# A script may fail with a one-line error (exit 1); a crash (a signal, or
# any other status) or a hang fails the test, naming the seed and the
# script.  Prints its seed; the default seed is the time.
import os, random, subprocess, sys, tempfile, time

umm = sys.argv[1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else int(time.time())
count = int(sys.argv[3]) if len(sys.argv) > 3 else 150
print("script_fuzz: seed %d, %d scripts" % (seed, count), flush=True)

ACTS = ["clone CLONE_VM|CLONE_SIGHAND|CLONE_THREAD", "clone CLONE_VM|CLONE_VFORK|SIGCHLD",
        "clone CLONE_PARENT|SIGCHLD", "fork", "fork"]
CMDS = ["exec /usr/bin/true", "exec /usr/bin/env A=b", "exec /nonexistent", "exit 3",
        "wait -1 WNOHANG", "ps", "ps -L", "pstree", "show status", "show maps", "show auxv",
        "check", "vmas", "mmap 0 8192 PROT_READ|PROT_WRITE MAP_PRIVATE|MAP_ANONYMOUS",
        "prctl PR_SET_CHILD_SUBREAPER 1"]

def script(r):
    names, lines, n = [], ["use 1"], 0
    for _ in range(r.randint(10, 60)):
        who = r.choice(names) if names and r.random() < 0.8 else None
        pre = "%s: " % who if who else ""
        if r.random() < 0.35:
            n += 1
            names.append("p%d" % n)
            lines.append("%sp%d = %s" % (pre, n, r.choice(ACTS)))
        else:
            lines.append(pre + r.choice(CMDS))
    lines.append("ps -L")
    lines.append("check")
    return "\n".join(lines) + "\n"

bad = 0
outcomes = {"ok": 0, "error": 0}
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "s.umm")
    for i in range(count):
        text = script(random.Random(seed * 1000003 + i))
        with open(path, "w") as f:
            f.write(text)
        try:
            p = subprocess.run([umm, "run-script", path], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=20, text=True)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            rc = "a hang (20 s)"
        if rc == 0:
            outcomes["ok"] += 1
        elif rc == 1:
            outcomes["error"] += 1
        else:
            bad += 1
            print("seed %d, script %d: %s\n%s" % (seed, i, rc, text), file=sys.stderr)
print("script_fuzz: %d ran to the end, %d stopped at an error, %d crashed or hung"
      % (outcomes["ok"], outcomes["error"], bad))
sys.exit(1 if bad else 0)

#!/usr/bin/env python3
"""umm run on a terminal: Ctrl-C is PROGRAM's to handle; Ctrl-\\ leaves nothing.

The terminal's SIGINT reaches umm and PROGRAM (one process group).  umm
waits: a PROGRAM that handles it and exits leaves umm with its status
(umm died at once before); one that dies of it takes umm with it, by the
same signal.  (umm does not pass the terminal's signals on, to spare
PROGRAM a second copy; whether two would arrive as one is up to timing,
so that is not checked here.)

usage: run_tty.py UMM
"""
import os
import pty
import resource
import shutil
import signal
import sys
import tempfile
import time

UMM = sys.argv[1]
TMP = tempfile.mkdtemp()  # umm run's $TMPDIR: empty after every case
os.environ["TMPDIR"] = TMP
TIMEOUT = 20  # seconds for each case: a hang is a failure

COUNTER = r"""
import signal, sys, time
n = [0]
def count(sig, frame):
    n[0] += 1
signal.signal(signal.SIGINT, count)
print("ready", flush=True)
end = time.monotonic() + 10  # however late the Ctrl-C comes, up to 10 s
while n[0] == 0 and time.monotonic() < end:
    time.sleep(0.02)
print("ints", n[0], flush=True)
"""


def run_on_tty(argv):
    """Start argv on a new terminal; return (pid, master fd)."""
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    return pid, fd


def read_until(fd, text, deadline):
    """What the terminal shows until text appears, EOF, or the deadline."""
    out = b""
    while text.encode() not in out and time.time() < deadline:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        out += chunk
    return out.decode(errors="replace")


def wait_for(pid, deadline):
    while time.time() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


def case(name, argv, ready, check, key=b"\x03"):
    deadline = time.time() + TIMEOUT
    pid, fd = run_on_tty(argv)
    shown = read_until(fd, ready, deadline)
    if ready not in shown:
        print("FAIL: %s: never got ready: %r" % (name, shown))
        wait_for(pid, time.time())
        return False
    os.write(fd, key)  # Ctrl-C (or Ctrl-\), as the user types it
    shown += read_until(fd, "\0", deadline)  # everything, to EOF
    status = wait_for(pid, deadline)
    os.close(fd)
    verdict = check(shown, status)
    print("%s: %s (status %r)" % ("ok" if verdict else "FAIL", name, status))
    if not verdict:
        print(shown)
    return verdict


def main():
    counter = [UMM, "run", "--", sys.executable, "-c", COUNTER]
    good = case("Ctrl-C reaches a PROGRAM that handles it; umm exits 0",
                counter, "ready",
                lambda out, st: "ints 0" not in out and "ints" in out and st is not None
                and os.WIFEXITED(st) and os.WEXITSTATUS(st) == 0)
    sleeper = [UMM, "run", "--", "sh", "-c", "echo ready; exec sleep 15"]
    good &= case("Ctrl-C kills sleep, and umm dies of SIGINT too",
                 sleeper, "ready",
                 lambda out, st: st is not None and os.WIFSIGNALED(st)
                 and os.WTERMSIG(st) == signal.SIGINT)
    # Ctrl-\ too ends umm at once by default: its directory must go first.
    good &= case("Ctrl-\\ kills sleep, umm dies of SIGQUIT and leaves no directory",
                 sleeper, "ready",
                 lambda out, st: st is not None and os.WIFSIGNALED(st)
                 and os.WTERMSIG(st) == signal.SIGQUIT and not os.listdir(TMP),
                 key=b"\x1c")
    return 0 if good else 1


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no cores from SIGQUIT
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(TMP, ignore_errors=True)

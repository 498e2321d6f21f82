#!/usr/bin/env python3
"""umm shell on a terminal: a prompt, errors that do not end the session,
Ctrl-C that abandons the line or the running command and keeps the
session, and (with libedit) tab completion from the command table and
history kept in $HOME/.umm_history across sessions.

usage: shell_tty.py UMM"""
import os
import pty
import shutil
import select
import sys
import tempfile
import time


def main(home):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ['HOME'] = home
        os.execv(sys.argv[1], [sys.argv[1], '--cmdline', 'mem=1G', 'shell'])

    def read(seconds=10.0, until=None):
        out = b''
        end = time.time() + seconds
        while time.time() < end:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
                if until and until in out:
                    break
        return out.decode(errors='replace')

    seen = read(until=b'umm> ')
    steps = [
        ('mm A\r', 'umm> '),
        ('p = mmap NULL 8K rw- private,anonymous\r', '= 0x7ffff7ffd000'),
        ('bogus p\r', "shell:3: unknown command 'bogus'"),
        ('show maps\r', '7ffff7ffd000-7ffff7fff000 rw-p'),
    ]
    if os.environ.get('UMM_LIBEDIT') == '1':
        steps += [
            ('munm\t p 4K\r', 'munmap(0x7ffff7ffd000, 4096) = 0'),
            ('\x1b[A\x1b[A\r', '7ffff7ffe000-7ffff7fff000 rw-p'),   # history: show maps
            # lines longer than libedit's buffers, then completion after
            # "show ": libedit's rl_line_buffer was left pointing at freed
            # memory (ASan: use after free; when depends on how the pty
            # delivers the line, so three lengths)
        ]
        for n in (4000, 6000, 2500):
            steps += [
                ('x' * n + '\r', "unknown command 'xxxx"),
                ('show smaps_rol\t\r', '[rollup]'),
            ]
    # Ctrl-C abandons a half-typed line; the session goes on
    steps += [
        ('half a li', 'half a li'),
        # (a new line and prompt: libedit's own redraw of the line on the
        # signal is "umm> half a li" without one, and typing into it would
        # race the abandonment)
        ('\x03', '\numm> '),
        ('show maps\r', '7ffff7ffe000-7ffff7fff000 rw-p'),
        # ... and stops a long command (about 25M read faults) between pages
        ('q = mmap NULL 100G r-- private,anonymous,noreserve\r', '= 0x7fe'),
        # (the line's end echoed: the line is read, so Ctrl-C is the command's)
        ('touch q 100G read\r', 'touch q 100G read\r\n'),
        ('\x03', 'touch: interrupted at'),
        ('expect minflt > 0 && vmas == 2\r', 'umm> '),
        ('print 7 * 6\r', '7 * 6 = 0x2a (42)'),
    ]
    if os.environ.get('UMM_LIBEDIT') == '1':
        steps += [
            ('show pagetype\t\r', 'Free pages count per migrate type'),
            ('help mma\t\r', 'usage: mmap ADDR LEN PROT FLAGS'),
        ]
    for keys, want in steps:
        if keys == '\x03':
            time.sleep(0.1)
        os.write(fd, keys.encode())
        new = read(until=want.encode())
        seen += new
        if want not in new:
            print('FAIL: after %r, no %r in:\n%s' % (keys, want, seen))
            os.kill(pid, 9)
            return 1
    os.write(fd, b'quit\r')
    read(1.0)
    _, status = os.waitpid(pid, 0)
    if 'umm> ' not in seen or not os.WIFEXITED(status) or os.WEXITSTATUS(status):
        print('FAIL: no prompt, or exit status %r:\n%s' % (status, seen))
        return 1
    if os.environ.get('UMM_LIBEDIT') == '1':
        # the history outlives the session
        mode = os.stat(os.path.join(home, '.umm_history')).st_mode & 0o777
        if mode != 0o600:
            print('FAIL: %s/.umm_history has mode %o, not 600' % (home, mode))
            return 1
        with open(os.path.join(home, '.umm_history')) as f:
            saved = f.read()
        if 'print\\0407\\040*\\0406' not in saved and 'print 7 * 6' not in saved:
            print('FAIL: no "print 7 * 6" in %s/.umm_history:\n%s' % (home, saved))
            return 1
    print('ok: prompt, errors, Ctrl-C, completion and history on a terminal')
    return 0


def run():
    home = tempfile.mkdtemp()
    try:
        return main(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


sys.exit(run())

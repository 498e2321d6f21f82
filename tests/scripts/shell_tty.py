#!/usr/bin/env python3
"""umm shell on a terminal: a prompt, errors that do not end the session,
and (with libedit) tab completion of command names and history.

usage: shell_tty.py UMM"""
import os
import pty
import select
import sys
import time


def main():
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(sys.argv[1], [sys.argv[1], 'shell'])

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
    for keys, want in steps:
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
    print('ok: prompt, errors, completion and history on a terminal')
    return 0


sys.exit(main())

#!/usr/bin/env python3
"""Run a command on a pseudo-terminal and answer its questions.

    pty_dialog.py TRANSCRIPT QUESTION ANSWER [QUESTION ANSWER ...] -- CMD [ARGS]

The command's stdin, stdout and stderr are the terminal (so isatty() holds
and /dev/tty is that terminal).  Each ANSWER (plus a newline) is typed
only after QUESTION has appeared in the output, as a person would.
Everything the terminal showed goes to TRANSCRIPT; the exit status is the
command's.  A question that does not come within 60 s fails (exit 124).
"""
import os
import pty
import select
import sys
import time


def main():
    args = sys.argv[1:]
    sep = args.index("--")
    transcript, pairs, cmd = args[0], args[1:sep], args[sep + 1:]
    steps = list(zip(pairs[0::2], pairs[1::2]))
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    seen = b""
    done = 0  # bytes of `seen` already matched
    deadline = time.time() + 60
    while True:
        if steps:
            q = steps[0][0].encode()
            at = seen.find(q, done)
            if at >= 0:
                done = at + len(q)
                os.write(fd, steps[0][1].encode() + b"\n")
                steps.pop(0)
                continue
        if time.time() > deadline:
            os.kill(pid, 9)
            break
        r, _, _ = select.select([fd], [], [], 0.2)
        if not r:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    with open(transcript, "wb") as f:
        f.write(seen)
    if steps:
        sys.stderr.write("pty_dialog: never asked %r\n" % steps[0][0])
        sys.exit(124)
    sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode")
             else (status >> 8))


if __name__ == "__main__":
    main()

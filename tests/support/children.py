"""Child processes for the crash tests: started from the project root, their output read line by line as it comes,
killed with SIGKILL at a point they reported."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT_S = 180  # generous bound for an awaited event; no outcome depends on how long anything takes


def python(*args: str, stdin: bool = False, env: dict | None = None) -> subprocess.Popen:
    """`python *args` in the project root; `env`: variables added to this process's environment."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.PIPE if stdin else None, text=True)


class Lines:
    """A child's output lines as they come; waiting for one is bounded by a generous limit, never a guess of how
    long the work takes."""

    def __init__(self, stream):
        self.queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self.queue.put(line.rstrip("\n"))
        self.queue.put(None)

    def until(self, wanted: str) -> list[str]:
        """Lines up to and including `wanted`; fails if the child ends without printing it."""
        seen = []
        while True:
            line = self.queue.get(timeout=LIMIT_S)
            if line is None:
                raise AssertionError(f"the child ended without printing {wanted!r}: {seen[-5:]}")
            seen.append(line)
            if line == wanted:
                return seen


def sigkill(child: subprocess.Popen) -> bool:
    """True when the SIGKILL ended the child (it had not finished on its own)."""
    child.send_signal(signal.SIGKILL)
    child.wait()
    return child.returncode == -signal.SIGKILL

"""A small progress bar on stderr: runs done, runs left, elapsed and estimated time.

No dependency: it redraws one line on a terminal and prints sparse lines
otherwise (CI logs), and is silent with ``quiet``.
"""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, label: str, quiet: bool = False, stream=None):
        self.total = total
        self.label = label
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.done = 0
        self.start = time.perf_counter()
        self._last_line = 0.0
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._draw()

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._draw()

    def close(self) -> None:
        if not self.quiet and self.tty:
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self) -> None:
        if self.quiet:
            return
        now = time.perf_counter()
        elapsed = now - self.start
        finished = self.done >= self.total
        if not self.tty and not finished and self.done and now - self._last_line < 10:
            return
        self._last_line = now
        left = self.total - self.done
        eta = elapsed / self.done * left if self.done else float("nan")
        width = 28
        filled = int(width * self.done / max(self.total, 1))
        bar = "#" * filled + "-" * (width - filled)
        eta_text = "--" if eta != eta else f"{eta:5.0f}s"
        line = (f"{self.label} [{bar}] {self.done}/{self.total} runs, {left} left, "
                f"{elapsed:5.0f}s elapsed, about {eta_text} to go")
        if self.tty:
            self.stream.write("\r" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

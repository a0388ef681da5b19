"""A progress bar for long runs, on a terminal only (CI logs stay clean)."""

from __future__ import annotations

import sys
import time


class Progress:
    """Draws ``label [#####.....] n/total`` on stderr, at most ten times a second."""

    def __init__(self, total: int, label: str, *, enabled: bool | None = None, stream=None):
        self.stream = stream or sys.stderr
        self.total = total
        self.label = label
        self.done = 0
        self.enabled = (self.stream.isatty() and total >= 200) if enabled is None else enabled
        self._last = 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self.enabled and (now - self._last > 0.1 or self.done >= self.total):
            self._last = now
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

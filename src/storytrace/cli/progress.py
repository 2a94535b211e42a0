"""progress: the progress line every long command writes on stderr."""

from __future__ import annotations

import time
from typing import TextIO


class ProgressLine:
    """Progress on stderr: one rewritten line on a terminal, a line every few seconds otherwise."""

    def __init__(self, stream: TextIO, enabled: bool = True) -> None:
        self.stream = stream
        self.enabled = enabled
        self.tty = stream.isatty()
        self.last = 0.0
        self.start = time.monotonic()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        finished = total > 0 and done >= total
        if not finished and now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        if total <= 0:  # a stream of unknown length: count and rate
            rate = done / max(now - self.start, 1e-9)
            text = f"[{now - self.start:6.1f}s] {stage:<8} {done:,} ({rate:,.0f}/s)"
        else:
            pct = 100 * done // total
            text = f"[{now - self.start:6.1f}s] {stage:<8} {done}/{total} ({pct}%)"
        if self.tty:
            self.stream.write("\r" + text + ("\n" if finished else ""))
        elif finished or done:
            self.stream.write(text + "\n")
        self.stream.flush()

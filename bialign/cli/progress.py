"""Progress on stderr while a run reads and aligns: a tqdm bar on a terminal, status lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import IO

#: seconds between status lines when stderr is not a terminal
STATUS_INTERVAL = 30.0


class Progress:
    """Progress on stderr: a tqdm bar on a terminal, a status line every ``interval`` seconds otherwise.

    The bar counts bytes of input read (its total is the inputs' size on disk, unknown for
    standard input) and shows items and pairs so far; messages go through :meth:`write` so
    they never run into the bar.
    """

    def __init__(self, enabled: bool, total_bytes: int | None, command: str = "align",
                 stream: IO[str] | None = None, interval: float = STATUS_INTERVAL, tty: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.command = command
        self.total = total_bytes
        self.interval = interval
        self.items = 0
        self.pairs = 0
        self.bytes = 0
        self.start = time.monotonic()
        self.last_status = self.start
        self.bar = None
        if enabled and (self.stream.isatty() if tty is None else tty):
            from tqdm import tqdm

            self.bar = tqdm(total=total_bytes, unit="B", unit_scale=True, unit_divisor=1024, file=self.stream,
                            desc=f"bialign {command}", dynamic_ncols=True, leave=True, mininterval=0.2)

    def read(self, position: int) -> None:
        """Bytes of input read so far."""
        self.bytes = position
        if self.bar is not None and position > self.bar.n:
            self.bar.update(position - self.bar.n)

    def update(self, result: object) -> None:
        """One item done (``result.pairs``: its pairs)."""
        self.items += 1
        self.pairs += len(getattr(result, "pairs", ()) or ())
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.items} items, {self.pairs} pairs", refresh=False)
        elif self.enabled and time.monotonic() - self.last_status >= self.interval:
            self.last_status = time.monotonic()
            self.stream.write(self.status() + "\n")
            self.stream.flush()

    def status(self) -> str:
        """One line: items, pairs, bytes read of the total, rate and time left."""
        elapsed = max(time.monotonic() - self.start, 1e-9)
        line = f"bialign {self.command}: {self.items} items, {self.pairs} pairs, {self.items / elapsed:.1f} items/s"
        if self.total:
            share = min(self.bytes / self.total, 1.0)
            line += f", {_size(self.bytes)} of {_size(self.total)} read ({100 * share:.0f}%)"
            if 0 < share < 1:
                left = elapsed * (1 - share) / share
                line += f", about {_duration(left)} left"
        return line

    def write(self, message: str) -> None:
        """A message on stderr, above the bar when there is one."""
        if self.bar is not None:
            self.bar.write(message, file=self.stream)
        else:
            self.stream.write(message + "\n")
            self.stream.flush()

    def done(self) -> None:
        if self.bar is not None:
            if self.total and self.bar.n < self.total:
                self.bar.update(self.total - self.bar.n)
            self.bar.set_postfix_str(f"{self.items} items, {self.pairs} pairs")
            self.bar.close()
            self.bar = None


def _size(count: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} TiB"  # pragma: no cover


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"

"""Progress of a batch: a rich bar with rate and ETA on a terminal, a plain line every so often otherwise
(a log file or a CI console cannot redraw a bar). Progress is measured in input bytes, which are known up
front, so the ETA holds even though the number of records is not known until the end."""

from __future__ import annotations

import sys
import time

MODES = ("auto", "bar", "lines", "off")


class Progress:
    def __init__(self, mode: str | bool | None, total: int, done: int = 0, interval: float = 10.0):
        if mode is None or mode == "auto":
            mode = "bar" if sys.stderr.isatty() else "lines"
        elif mode is True or mode is False:
            mode = "bar" if mode else "off"
        self.mode = mode
        self.total = max(total, 1)
        self.done = self._first = done  # input bytes; _first: where this run began
        self.records = 0  # records briefed by this run
        self.interval = interval
        self.started = self._last = time.perf_counter()
        self._bar = None
        if mode == "bar":
            from rich.console import Console
            from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(
                TextColumn("briefing"), BarColumn(), TaskProgressColumn(),
                TextColumn("{task.fields[records]:,} articles, {task.fields[rate]} articles/s"),
                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                console=Console(stderr=True), transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("batch", total=self.total, completed=done, records=0, rate="-")

    @property
    def rate(self) -> float:
        return self.records / max(time.perf_counter() - self.started, 1e-9)

    def advance(self, records: int, nbytes: int) -> None:
        self.records += records
        self.done += nbytes
        if self._bar is not None:
            self._bar.update(self._task, advance=nbytes, records=self.records, rate=f"{self.rate:,.0f}")
        elif self.mode == "lines" and time.perf_counter() - self._last >= self.interval:
            self._last = time.perf_counter()
            print(f"newsbrief: {self.line()}", file=sys.stderr, flush=True)

    def line(self) -> str:
        fraction = min(self.done / self.total, 1.0)
        elapsed = time.perf_counter() - self.started
        text = f"{self.records:,} articles ({fraction:.0%}), {self.rate:,.0f} articles/s"
        if fraction < 1 and self.done > self._first:
            # This run's own speed over the bytes it has done (a resumed run starts part-way).
            left = elapsed * (self.total - self.done) / (self.done - self._first)
            text += f", about {_duration(left)} left"
        return text

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"

"""What commands print: JSON, tables and lines made safe for the terminal, one-line errors, and
progress (a bar with counts, rate and ETA on a terminal; one plain line per item otherwise).

Rich is imported only by what draws (tables, bars), so `--help`, `--version` and JSON output do
not pay for it. Every string from the archive goes through `text.for_terminal` and is printed
with markup off: a post that says `[/]` or `ESC]0;title` is shown, never obeyed.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ..progress import Progress
from ..text import for_terminal, json_safe, one_line

if TYPE_CHECKING:
    from rich.console import Console


@cache
def console(stderr: bool = False) -> Console:
    """The console for stdout (or stderr): markup, emoji codes and highlighting off."""
    from rich.console import Console

    return Console(stderr=stderr, markup=False, emoji=False, highlight=False, soft_wrap=True)


@contextmanager
def stdout() -> Iterator[None]:
    """Writing to stdout: a full disk there is one NoSpace line naming standard output, a
    closed pipe (`| head`) a quiet exit; stdout then points at /dev/null, so that the flush at
    exit does not fail again."""
    try:
        yield
    except OSError as exc:
        import errno

        import typer

        from ..errors import EXIT_PIPE, NoSpace

        quiet_stdout()
        if exc.errno == errno.EPIPE:
            raise typer.Exit(EXIT_PIPE) from None
        raise NoSpace(f"could not write standard output: {exc.strerror}") from None


def quiet_stdout() -> None:
    """Point stdout at /dev/null: what is left to flush at exit goes nowhere, quietly."""
    import os

    with suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def write(text: str) -> None:
    """`text` (already safe) on stdout."""
    with stdout():
        sys.stdout.write(text)


def emit_json(data: Any) -> None:
    """`data` as indented JSON on stdout; characters a terminal would obey are escaped."""
    write(json_safe(json.dumps(data, ensure_ascii=False, indent=2, default=str)) + "\n")


def line(text: str) -> None:
    """One line of data on stdout."""
    write(for_terminal(text) + "\n")


def error(prefix: str, message: str) -> None:
    """`prefix: message` as exactly one line on stderr."""
    sys.stderr.write(f"{one_line(prefix)}: {one_line(str(message))}\n")


def cell(value: object, width: int | None = None) -> str:
    """A table cell: text made visible, on one line (a file name's line break would split
    its row), cut at `width`; None is empty."""
    return "" if value is None else one_line(str(value), width)


@dataclass
class Grid:
    """A table of cells made safe; `show` draws it."""

    headers: list[str]
    rows: list[list[str]]
    title: str | None = None

    def rich(self):  # type: ignore[no-untyped-def]
        from rich.table import Table

        drawn = Table(*self.headers, title=self.title)
        for row in self.rows:
            drawn.add_row(*row)
        return drawn

    def plain(self) -> str:
        """Columns padded with spaces, one line a row: what a pipe or a file gets (Rich takes
        about a millisecond a row to draw a table, ten seconds for the summary of 10,000 posts)."""
        from rich.cells import cell_len

        lines = [self.headers, *self.rows]
        widths = [max(cell_len(line[i]) for line in lines) for i in range(len(self.headers))]
        out = [self.title] if self.title else []
        for line in lines:
            padded = [c + " " * (w - cell_len(c)) for c, w in zip(line[:-1], widths, strict=False)]
            out.append("  ".join([*padded, line[-1]]).rstrip())
        return "\n".join(out) + "\n"


def table(
    headers: Iterable[str], rows: Iterable[Iterable[object]], title: str | None = None
) -> Grid:
    """A table of cells made safe; print it with `show`."""
    return Grid(
        list(headers),
        [[cell(v) for v in row] for row in rows],
        for_terminal(title) if title else None,
    )


def show(renderable: object) -> None:
    """Print a table (drawn on a terminal, plain columns elsewhere) or any Rich renderable."""
    with stdout():
        out = console()
        if isinstance(renderable, Grid):
            if not out.is_terminal:
                sys.stdout.write(renderable.plain())
                return
            renderable = renderable.rich()
        out.print(renderable)


def rate(amount: float, seconds: float, unit: str) -> str:
    per = amount / seconds if seconds > 0 else 0.0
    if unit == "bytes":
        return f"{per / 1e6:.1f} MB/s"
    return f"{per:.1f}/s"


class Quiet(Progress):
    """No progress with -q; only what the user must see (see Progress.warn), on stderr."""

    def __init__(self, what: str) -> None:
        self.what = what

    def warn(self, line: str) -> None:
        error(f"archiver {self.what}: warning", line)


class Lines(Progress):
    """Progress as one plain line per item on stderr: `[done/total, rate, ETA] what`."""

    def __init__(self, what: str) -> None:
        self.what, self.total, self.done, self.unit = what, None, 0, "items"
        self.started = time.monotonic()

    def start(self, total: int | None = None, unit: str = "items") -> None:
        self.total, self.unit, self.started = total, unit, time.monotonic()

    def add_total(self, n: int) -> None:
        self.total = (self.total or 0) + n

    def advance(self, n: int = 1, line: str | None = None) -> None:
        self.done += n
        if line is not None:
            sys.stderr.write(f"{self.what}: [{self._where()}] {one_line(line, 200)}\n")

    def note(self, line: str) -> None:
        sys.stderr.write(f"{self.what}: {one_line(line, 200)}\n")

    def _where(self) -> str:
        elapsed = time.monotonic() - self.started
        count = f"{self.done:,}" if self.unit == "items" else f"{self.done / 1e6:,.1f} MB"
        if self.total:
            share = (
                f"{self.done:,}/{self.total:,}"
                if self.unit == "items"
                else f"{min(self.done / self.total, 1):.0%}"
            )
            left = (self.total - self.done) / (self.done / elapsed) if self.done and elapsed else 0
            return f"{share}, {rate(self.done, elapsed, self.unit)}, ETA {max(left, 0):.0f} s"
        return f"{count}, {rate(self.done, elapsed, self.unit)}"


class Bar(Progress):
    """Progress as a Rich bar on a terminal: counts (or bytes), rate and ETA; the latest item
    beside it. With `verbose`, each item's line is printed above the bar too."""

    def __init__(self, what: str, verbose: bool) -> None:
        self.what, self.verbose = what, verbose
        self.bar: Any = None
        self.task: Any = None

    def start(self, total: int | None = None, unit: str = "items") -> None:
        from rich import progress as rp

        if self.bar is not None:
            self.bar.update(self.task, total=total)
            return
        amount = (
            [rp.DownloadColumn(), rp.TransferSpeedColumn()]
            if unit == "bytes"
            else [rp.MofNCompleteColumn(), rp.TextColumn("{task.fields[rate]}")]
        )
        self.started = time.monotonic()
        self.bar = rp.Progress(
            rp.TextColumn(self.what),
            rp.BarColumn(bar_width=24),
            *amount,
            rp.TimeRemainingColumn(),
            rp.TextColumn("{task.description}"),
            console=console(stderr=True),
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task("", total=total, rate="")

    def add_total(self, n: int) -> None:
        if self.bar is None:
            self.start(0)
        total = self.bar.tasks[0].total or 0
        self.bar.update(self.task, total=total + n)

    def advance(self, n: int = 1, line: str | None = None) -> None:
        if self.bar is None:
            self.start(None)
        done = self.bar.tasks[0].completed + n
        speed = rate(done, time.monotonic() - self.started, "items")
        self.bar.update(self.task, advance=n, rate=speed, **self._said(line))

    def note(self, line: str) -> None:
        if self.bar is None:
            self.start(None)
        self.bar.update(self.task, **self._said(line))

    def _said(self, line: str | None) -> dict[str, str]:
        if line is None:
            return {}
        text = one_line(line, 60)
        if self.verbose:
            self.bar.console.print(one_line(line, 300))
        return {"description": text}

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def progress(what: str, verbosity: int) -> Iterator[Progress]:
    """The progress a command passes to the library: nothing with -q, a bar on a terminal,
    plain lines otherwise."""
    if verbosity <= 0:
        yield Quiet(what)
        return
    if not sys.stderr.isatty():
        yield Lines(what)
        return
    bar = Bar(what, verbose=verbosity > 1)
    try:
        yield bar
    finally:
        bar.stop()

"""How far a long task is. The library reports through a `Progress`; the command line draws it
(a bar with counts, rate and ETA on a terminal, one plain line per item otherwise).

A task calls, in this order:
    progress.start(total, unit)      what is to be done: a count of items, or of bytes
    progress.add_total(n)            more found on the way (a quoted post, a resolved link)
    progress.advance(n, line)        n units done; `line` says what (one item's outcome)
    progress(line)                   a note that counts nothing (the same as progress.note)
    progress.warn(line)              a note shown even to one who asked for results only
This base class does nothing, so a library caller that wants no progress passes nothing.
"""

from __future__ import annotations


class Progress:
    """The no-op reporter; the CLI's subclasses draw."""

    def start(self, total: int | None = None, unit: str = "items") -> None:
        """A task begins: `total` units to do (None: not known yet); unit "items" or "bytes"."""

    def add_total(self, n: int) -> None:
        """`n` more units to do."""

    def advance(self, n: int = 1, line: str | None = None) -> None:
        """`n` units done; `line` (optional) says what was done, already made safe to show."""

    def note(self, line: str) -> None:
        """Something worth a line that counts nothing."""

    def warn(self, line: str) -> None:
        """Something the user must see even when asking for results only (a run that no TSA
        stamped): a note where notes are shown."""
        self.note(line)

    def __call__(self, line: str) -> None:
        self.note(line)


def ensure(progress: object | None) -> Progress:
    """`progress` as a Progress: None is the no-op; a plain function of a line becomes notes."""
    if progress is None:
        return Progress()
    if isinstance(progress, Progress):
        return progress
    return _Lines(progress)  # type: ignore[arg-type]


class _Lines(Progress):
    def __init__(self, function) -> None:  # type: ignore[no-untyped-def]
        self.function = function

    def note(self, line: str) -> None:
        self.function(line)

    def advance(self, n: int = 1, line: str | None = None) -> None:
        if line:
            self.function(line)

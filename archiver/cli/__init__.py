"""The `archiver` command: parse, call the library, render. No logic lives here.

Each module registers its commands on import and imports the library only when a command runs.
"""

import logging
import signal

from ..errors import exit_on_signal
from . import archive, browse, export, extract, home, show, stamp, team, verify, wayback  # noqa: F401,I001
from .app import app

__all__ = ["app", "main"]


def not_an_interruption(record: logging.LogRecord) -> bool:
    """Whether asyncio's log record says more than that the run was stopped: a task a signal
    stopped at the run's very end (or that asked the writer, which the stop ended) is reported
    as "never retrieved", with a traceback, after the command has said `stopped` in its own
    line."""
    exc = record.exc_info[1] if record.exc_info else None
    return (
        not isinstance(exc, KeyboardInterrupt)
        and type(exc).__name__ != "CancelledError"
        and not getattr(exc, "child_gone", False)
    )


def main() -> None:
    """The command line: until a command runs, ^C or SIGTERM ends the process quietly; while it
    runs, SIGTERM stops it as ^C does (its own line, exit 143); once the command has ended and
    said so, a late signal no longer changes its exit code."""
    signal.signal(signal.SIGINT, exit_on_signal)
    signal.signal(signal.SIGTERM, exit_on_signal)
    # What reaches the terminal is the command's own lines: SQLAlchemy logs the cursor it could
    # not close when ^C lands mid-query, with a traceback, before the command says "interrupted".
    logging.getLogger("sqlalchemy").addHandler(logging.NullHandler())
    logging.getLogger("asyncio").addFilter(not_an_interruption)
    try:
        app(prog_name="archiver")
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)

"""Errors that reach the user as one line and an exit code (see DESIGN.md, Conventions).

    ArchiverError                 exit 2 (EXIT_USAGE): one line on stderr, no traceback
    ├── InputError                a bad input: a path, a URL or id, an option's value
    │   ├── InvalidDigest         a string that is not sha256:<64 lowercase hex>
    │   ├── SettingError          a bad setting in a flag, the environment or a config file
    │   └── DamagedBundle         exit 1: a zip too damaged to be read as a bundle at all
    ├── DatabaseError             the archive's database cannot be used; nothing is changed
    │   ├── SchemaError           newer than this archiver, or not an archiver database
    │   ├── DiskFailed            its file could not be read or written (a full or failing disk)
    │   ├── CannotOpen            its file cannot be opened at all (not an archive's folder)
    │   └── CorruptDatabase       not SQLite at all, truncated, or malformed
    ├── StoreError                a team archive's object store refused or could not be reached
    └── NoSpace                   a full disk (or quota, or file size limit): names what could
                                  not be written; what was committed stays, `retry` finishes

Exit codes: 0 all done; 1 verification found a problem (EXIT_PROBLEM, from a report, not an
error); 2 any error above and every usage error; 3 partly done (EXIT_PARTIAL, from a summary);
141 the reader of standard output went away (`| head`), quietly (ClosedPipe).

`explain()` turns what the system or SQLite raises (a full disk, a corrupted database, an
unreadable file) into one of these, so that no command shows a traceback for them.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable

EXIT_OK = 0
EXIT_PROBLEM = 1  # verification found a problem
EXIT_USAGE = 2  # usage or input error
EXIT_PARTIAL = 3  # some references could not be captured
EXIT_PIPE = 141  # 128 + SIGPIPE: what a shell reports of a program a closed pipe ends

FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def stops_the_run(exc: BaseException) -> bool:
    """A full disk (or quota, or file size limit), or a database file the disk failed to write
    or that is corrupted (NoSpace, DiskFailed, CorruptDatabase, as the writer process reports
    them): never an item's or a request's failure, it stops the run (exit 2); what was
    committed stays and `retry` finishes."""
    if isinstance(exc, (NoSpace, DiskFailed, CorruptDatabase)):
        return True
    return isinstance(exc, OSError) and exc.errno in FULL_ERRNOS


class ArchiverError(Exception):
    """A failure to report to the user as one line, with the exit code it maps to."""

    exit_code = EXIT_USAGE


class InputError(ArchiverError):
    """Bad input: a missing file, a malformed URL or digest, an unusable archive path."""


class InvalidDigest(InputError, ValueError):
    """A string that is not `sha256:<64 lowercase hex>`."""


class SettingError(InputError):
    """A setting that cannot be used: a bad number, an unknown key, a config file that is not
    TOML. Names where the setting came from."""


class DamagedBundle(InputError):
    """A bundle's zip damaged beyond reading its directory (cut short in transit, say): what
    verification finds, so exit 1, as for any other damage."""

    exit_code = EXIT_PROBLEM


class ClosedPipe(ArchiverError):
    """Standard output's reader went away (`archiver list | head`): the command ends quietly."""

    exit_code = EXIT_PIPE


class DatabaseError(ArchiverError):
    """The archive's database cannot be opened, read or written; nothing was changed."""


class SchemaError(DatabaseError):
    """The archive's database is newer than this archiver, or not an archiver database."""


class DiskFailed(DatabaseError):
    """The archive's database file could not be read or written: SQLite's disk I/O error (a
    full disk, a file size limit, or a failing disk)."""


class CorruptDatabase(DatabaseError):
    """The archive's database is not SQLite, is truncated, or is malformed."""


class CannotOpen(DatabaseError):
    """The archive's database file cannot be opened at all (a folder that is not an archive's,
    a read-only one): nothing began, so nothing is left for `retry`."""


class StoreError(ArchiverError):
    """The object store could not be reached or refused a request (S3-compatible), or holds an
    object that does not hash to its name."""


class NoSpace(ArchiverError):
    """The disk is full (or a quota or file size limit is reached) while writing something."""


RESUMABLE = ("archive", "retry", "work")  # commands whose queue `archiver retry` finishes


def exit_on_signal(signum: int, _frame: object) -> None:
    """The handler of ^C and SIGTERM until a command runs (while its modules load and its
    command line is read): the process ends at once, quietly, with the shell's code for the
    signal (130, 143). Nothing has begun, so nothing is left to finish."""
    raise SystemExit(128 + signum)


def stopped_run(err: ArchiverError) -> bool:
    """Whether `err` stopped a capture run part way, as a full or failing disk, or a database
    or store that refused a write does: what was committed stays and the queue stays queued.
    (A bad input, or a database that is not an archive's, stopped it before it began.)"""
    return not isinstance(err, (InputError, SchemaError, CorruptDatabase, CannotOpen))


def interruption(exc: BaseException) -> KeyboardInterrupt | None:
    """The ^C (or SIGTERM) an error wraps: one that landed in code that re-raises what it
    meets as another error (a class being made: `Error calling __set_name__`)."""
    return next((e for e in _chain(exc) if isinstance(e, KeyboardInterrupt)), None)


def _chain(exc: BaseException) -> list[BaseException]:
    """`exc` and what it wraps: SQLAlchemy's `orig`, causes and contexts."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        item = todo.pop(0)
        if item is None or any(item is s for s in seen) or len(seen) > 20:
            continue
        seen.append(item)
        todo += [getattr(item, "orig", None), item.__cause__, item.__context__]
    return seen


def explain(exc: BaseException, database: str = "the archive database") -> ArchiverError | None:
    """The one-line error for what the system or SQLite raised, or None (a bug: let it show)."""
    import sqlite3

    for item in _chain(exc):
        if isinstance(item, ArchiverError):
            return item
        if isinstance(item, OSError) and item.errno == errno.EPIPE and _stdout_gone():
            return ClosedPipe("standard output was closed")
        if isinstance(item, OSError) and item.errno is not None:
            where = item.filename if item.filename is not None else "a file"
            if item.errno in FULL_ERRNOS:
                return NoSpace(f"could not write {where}: {item.strerror} (the disk is full?)")
            return InputError(f"{where}: {item.strerror or item}")
        if isinstance(item, sqlite3.Error):
            return _sqlite(str(item), database)
        if _is_a(item, "psycopg", "Error"):  # a team archive's server
            detail = (str(item).strip().splitlines() or [type(item).__name__])[0][:300]
            return DatabaseError(f"{database}: {detail}")
        if _is_a(item, "botocore.exceptions", "BotoCoreError", "ClientError"):
            return StoreError(f"object store: {str(item).splitlines()[0][:300]}")
    return None


def _stdout_gone() -> bool:
    """Whether standard output is a pipe whose reader went away (another broken pipe, a child
    process's, is an error to report)."""
    import select
    import sys

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(event & select.POLLERR for _, event in poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


def _is_a(item: BaseException, module: str, *names: str) -> bool:
    """Whether `item` is one of `module`'s errors `names` (when that module is loaded at all)."""
    import sys

    loaded = sys.modules.get(module)
    kinds = tuple(getattr(loaded, name) for name in names if hasattr(loaded, name))
    return bool(kinds) and isinstance(item, kinds)


def _sqlite(message: str, database: str) -> ArchiverError:
    lowered = message.lower()
    if "full" in lowered:
        return NoSpace(f"could not write {database}: {message}")
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return CorruptDatabase(f"{database} is corrupted ({message}); restore it from a backup")
    if "disk i/o" in lowered:
        return DiskFailed(f"could not read or write {database}: disk I/O error (full or failing?)")
    if "readonly database" in lowered:  # a write-blocked copy, a read-only mount
        return CannotOpen(f"{database} is read-only: it can be read, verified and exported")
    if "unable to open" in lowered:
        return CannotOpen(f"{database}: {message} (is the folder an archive, and writable?)")
    return DatabaseError(f"{database}: {message}")


def summary_exit(outcomes: Iterable[str]) -> int:
    """The exit code of a run from what became of each reference: 0 when every one is done
    (captured, already archived, or gone with its state recorded), else 3 (partly done)."""
    from .vocab import DONE_VERDICTS

    return EXIT_OK if all(o in DONE_VERDICTS for o in outcomes) else EXIT_PARTIAL

"""archiver: preserve cited X/Twitter posts in a content-addressed, verifiable archive.

The library surface (each loads its modules when first used, so `import archiver` stays cheap):

    Archive        an archive home: its blob store and its database (`Archive.open(path)`)
    Settings       everything a run can be told (`Settings.load()`: flags > env > config files)
    extract        the references documents cite (`extract(paths)`, streaming)
    archive        capture what inputs name (`archive(home, settings, read_inputs(...), Options())`)
    retry          finish pending and failed jobs
    recheck        observe archived posts again
    verify         re-hash every blob and check what points at what
    check_bundle   check an exported bundle without the archive
    export         write a citation bundle (BagIt folder or zip)

`archive`, `verify` and `export` are also the names of subpackages: here they always mean the
functions (import a subpackage's contents with `from archiver.verify import …`).
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import Any

# httpx's package imports its own command-line client when click and rich are installed (as
# typer brings them): 70 ms of every start for code archiver never runs. Marked absent, httpx
# defines a stand-in instead (its __init__ catches the ImportError).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

__version__ = "0.1.0"  # the package's version (pyproject.toml reads it from here)
__all__ = [
    "Archive",
    "Settings",
    "archive",
    "check_bundle",
    "export",
    "extract",
    "recheck",
    "retry",
    "verify",
]
_WHERE = {
    "Archive": ("archive", "Archive"),
    "Settings": ("config", "Settings"),
    "extract": ("refs", "extract_paths"),
    "archive": ("capture", "archive"),
    "retry": ("capture", "retry"),
    "recheck": ("capture", "recheck"),
    "verify": ("verify", "verify"),
    "check_bundle": ("verify", "check_bundle"),
    "export": ("export", "export"),
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        module, attribute = _WHERE[name]
        value = getattr(import_module(f".{module}", __name__), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'archiver' has no attribute {name!r}")


class _Surface(types.ModuleType):
    """The package, whose surface names are not replaced by the subpackages of the same name
    when those are imported (the import system sets `archiver.verify = <module>` otherwise)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _WHERE and isinstance(value, types.ModuleType):
            return  # the subpackage stays in sys.modules; the name keeps meaning the function
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Surface


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])

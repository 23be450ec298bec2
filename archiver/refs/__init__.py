"""Finding references to posts in documents: `extract_paths` for files, `scan` for one text.

Each name loads its modules when first used, so that `import archiver.refs` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .documents import Extracted, extract_file, extract_paths
    from .ref import Ref
    from .scanner import scan

__all__ = ["Extracted", "Ref", "extract_file", "extract_paths", "scan"]
_WHERE = {
    "Extracted": "documents",
    "extract_file": "documents",
    "extract_paths": "documents",
    "Ref": "ref",
    "scan": "scanner",
}


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value

"""The `archiver` command: parse, call the library, render. No logic lives here.

Each module registers its commands on import and imports the library only when a command runs.
"""

from . import home, extract, archive, show, browse, verify, export, wayback, stamp, team  # noqa: F401,I001
from .app import app

__all__ = ["app"]

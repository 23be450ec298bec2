"""The `archiver` command: parse, call the library, render. No logic lives here."""

from . import archive, browse, export, extract, show, verify, wayback  # noqa: F401  (each registers its commands)
from .app import app

__all__ = ["app"]

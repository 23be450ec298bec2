"""Finding references to posts in documents: `extract_paths` for files, `scan` for one text."""

from .documents import Extracted, extract_file, extract_paths
from .ref import Ref
from .scan import scan

__all__ = ["Extracted", "Ref", "extract_file", "extract_paths", "scan"]

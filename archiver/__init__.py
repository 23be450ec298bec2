"""archiver: preserve cited X/Twitter posts in a content-addressed, verifiable archive."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("archiver")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

"""Errors that reach the user as one line and an exit code (see DESIGN.md, Conventions)."""

EXIT_OK = 0
EXIT_PROBLEM = 1  # verification found a problem
EXIT_USAGE = 2  # usage or input error
EXIT_PARTIAL = 3  # some references could not be captured


class ArchiverError(Exception):
    """A failure to report to the user as one line, with the exit code it maps to."""

    exit_code = EXIT_USAGE


class InputError(ArchiverError):
    """Bad input: a missing file, a malformed URL or digest, an unusable archive path."""


class InvalidDigest(InputError, ValueError):
    """A string that is not `sha256:<64 lowercase hex>`."""

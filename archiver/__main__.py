"""`python -m archiver` and the `archiver` script run the command line."""

import signal

from .errors import exit_on_signal


def main() -> None:
    """The process's entry point: a signal while the command line's modules load ends it
    quietly (no traceback from inside an import), then the command line runs."""
    signal.signal(signal.SIGINT, exit_on_signal)
    signal.signal(signal.SIGTERM, exit_on_signal)
    from .cli import main as command_line

    command_line()


if __name__ == "__main__":  # not when a worker process imports the main module
    main()

"""Processes a command starts (the writer, image checks, document reading): each ends when the
command ends, even by SIGKILL, so that none outlives a killed run."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.context import BaseContext


def die_with_parent(parent: int) -> None:
    """In a child: end when the process that started it ends, even by SIGKILL (Linux); and at
    once if it has already ended while this child was starting. ^C is the parent's to handle."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def process_pool(workers: int, context: BaseContext) -> ProcessPoolExecutor:
    """A pool of `workers` children that die with this process."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)
    )

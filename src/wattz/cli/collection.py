"""Garbage collection for a short-lived command-line process.

A command's imports (SQLAlchemy, pydantic, typer, wattz's own modules) create a few hundred
thousand objects that live until the process exits. CPython's cyclic collector walks them
again at every full collection during startup, and once more at exit, and frees nothing:
about a quarter of a second of a one-second ``wattz plan new``. So a command starts with
the collector paused; if it is still running after ``STARTUP_SECONDS`` (an audit of many
athletes, a directory of rides, a model writing a plan) the objects alive by then are frozen
out of the collector's walks and collection resumes as usual. At exit they are frozen
again, so the interpreter's last collection has nothing to walk.

Cyclic garbage made before the collector resumes is kept until exit: at most what a
second of work can make, which no wattz command comes near. A process forked meanwhile (the
ride reader's worker pool) has no timer of its own, so it starts with the collector on.
Objects frozen at exit are not finalized by a last collection; commands have committed
and closed what they opened by then.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

STARTUP_SECONDS = 1.0


@contextmanager
def collection_after_startup(startup_seconds: float = STARTUP_SECONDS) -> Iterator[None]:
    """Run the block with the cyclic collector paused for its first ``startup_seconds``."""
    if not gc.isenabled():  # a caller that switched it off keeps it off
        yield
        return
    gc.disable()
    os.register_at_fork(after_in_child=gc.enable)
    resume = threading.Timer(startup_seconds, _resume_collection)
    resume.daemon = True
    resume.start()
    try:
        yield
    finally:
        resume.cancel()
        gc.freeze()
        gc.enable()


def _resume_collection() -> None:
    """Freeze first: the collector then walks only what the command makes from now on."""
    gc.freeze()
    gc.enable()

"""Activity files on disk: finding them in folders and reading many at once, on all cores.

Reading is the expensive part of an import (decoding, building the stream, hashing), and
it is independent per file, so a bulk import reads in worker processes while the caller
writes to the store. Small batches stay in-process: starting workers costs more than a
handful of files take. One bad file never stops the rest: each result carries either the
activity or the one-line reason it could not be read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from wattz.errors import WattzError
from wattz.sources.fit_activity import FitActivity, read_fit_activity

ACTIVITY_SUFFIXES = frozenset({".fit"})
PARALLEL_MIN_FILES = 12
"""Below this, worker start-up (~0.1 s each) costs more than it saves."""
CHUNK_FILES = 4
"""Files sent to a worker at a time: fewer round trips, still balanced across workers."""


@dataclass(frozen=True)
class ReadResult:
    """One file's outcome: the activity, or why it could not be read (one line)."""

    path: Path
    activity: FitActivity | None
    error: str | None


def find_activity_files(paths: Iterable[Path]) -> tuple[list[Path], list[ReadResult]]:
    """FIT files named or found in folders (recursively), sorted, each once; and the
    paths that do not exist, as failed results."""
    found: dict[Path, None] = {}
    missing: list[ReadResult] = []
    for path in paths:
        if path.is_dir():
            for candidate in sorted(path.rglob("*")):
                if candidate.is_file() and candidate.suffix.lower() in ACTIVITY_SUFFIXES:
                    found.setdefault(candidate.resolve(), None)
        elif path.is_file():
            found.setdefault(path.resolve(), None)
        else:
            missing.append(ReadResult(path, None, f"{path} does not exist — check the path"))
    return list(found), missing


def read_activity_files(
    paths: Sequence[Path], time_zone: str | None = None, workers: int | None = None
) -> Iterator[ReadResult]:
    """Read ``paths`` in order, in ``workers`` processes (default: every core) when the
    batch is large enough to pay for them."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(paths) < PARALLEL_MIN_FILES:
        yield from map(read_one, paths, repeat(time_zone))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Workers only import this light module; "spawn" avoids forking a process that may
    # hold open database connections and threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(read_one, paths, repeat(time_zone), chunksize=CHUNK_FILES)


def read_one(path: Path, time_zone: str | None = None) -> ReadResult:
    """Read one activity file; any failure becomes the result's one-line error."""
    try:
        return ReadResult(path, read_fit_activity(path, time_zone), None)
    except WattzError as error:
        return ReadResult(path, None, str(error))
    except Exception as error:  # a decoder bug on a strange file must not end the batch
        return ReadResult(
            path, None, f"{path.name} could not be read ({type(error).__name__}: {error})"
        )

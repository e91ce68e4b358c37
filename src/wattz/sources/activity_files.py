"""Activity files on disk: finding them in folders and reading many at once, on all cores.

Reading is the expensive part of an import (decoding, building the stream, hashing), and
it is independent per file, so a bulk import reads in worker processes while the caller
writes to the store. Small batches stay in-process: starting workers costs more than a
handful of files take. One bad file never stops the rest: each result carries either the
activity or the one-line reason it could not be read.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from wattz.errors import WattzError
from wattz.sources.fit_activity import FitActivity, read_fit_activity

ACTIVITY_SUFFIXES = frozenset({".fit"})
PARALLEL_MIN_FILES = 12
"""Below this, handing files to workers and back costs more than it saves."""
T = TypeVar("T")
CHUNK_FILES = 4
"""Files sent to a worker at a time: fewer round trips, still balanced across workers."""


@dataclass(frozen=True)
class ReadResult:
    """One file's outcome: the activity, or why it could not be read (one line)."""

    path: Path
    activity: FitActivity | None
    error: str | None


def find_activity_files(paths: Iterable[Path]) -> tuple[list[Path], list[ReadResult]]:
    """FIT files named or found in folders (recursively), each once, as the caller spelled
    them (a file under a named folder is that folder joined with its relative path); and
    the paths that do not exist, as failed results."""
    found: dict[Path, Path] = {}
    missing: list[ReadResult] = []
    for path in paths:
        if path.is_dir():
            for candidate in sorted(path.rglob("*")):
                if candidate.is_file() and candidate.suffix.lower() in ACTIVITY_SUFFIXES:
                    found.setdefault(candidate.resolve(), candidate)
        elif path.is_file():
            found.setdefault(path.resolve(), path)
        else:
            missing.append(ReadResult(path, None, f"{path} does not exist — check the path"))
    return list(found.values()), missing


def read_activity_files(
    paths: Sequence[Path], time_zone: str | None = None, workers: int | None = None
) -> Iterator[ReadResult]:
    """Read ``paths`` in order, on every core when the batch is large enough to pay."""
    return map_files(partial(read_one, time_zone=time_zone), paths, workers)


def map_files(
    function: Callable[[Path], T], paths: Sequence[Path], workers: int | None = None
) -> Iterator[T]:
    """``function`` over ``paths`` in order, in ``workers`` processes (default: every core)
    for large batches. ``function`` must be picklable: a module-level function or a
    ``functools.partial`` of one."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(paths) < PARALLEL_MIN_FILES:
        yield from map(function, paths)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Fork where there is one: workers start in milliseconds and need no ``__main__``
    # guard in the caller's script. They run only pure reading code and leave with
    # os._exit, so the parent's open store connection is never touched in a child.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(function, paths, chunksize=CHUNK_FILES)


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

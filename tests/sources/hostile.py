"""Hostile input for the readers: mutations of real files, and the property every reader
owes its caller — a value or a ``WattzError``, never another exception, a hang or a
runaway allocation.

Mutations are drawn by hypothesis (so failures shrink to a small edit of a real file):
bit flips, overwritten bytes, truncation at any point, a chunk deleted, duplicated or
spliced elsewhere, random bytes inserted, and for FIT the header's size byte, declared
data size and CRC bytes set to hostile values.
"""

from __future__ import annotations

import signal
import struct
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from wattz.errors import WattzError

T = TypeVar("T")

TIME_LIMIT_S = 10.0
"""One read of a small mutated file takes milliseconds; ten seconds on a loaded 2-core
machine is a hang, not slowness."""
FUZZ = settings(
    max_examples=40,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""Moderate counts: the whole fuzz suite stays well under a minute, also in CI."""
SEED_MAX_BYTES = 120_000
"""Mutate the smaller real files: a 700 kB ride costs time without new structure."""


class Hang(Exception):
    """A reader ran past ``TIME_LIMIT_S``."""


@contextmanager
def time_limit(seconds: float = TIME_LIMIT_S) -> Iterator[None]:
    """Raise ``Hang`` in the reader if it runs longer than ``seconds`` (main thread only)."""

    def expire(_signal: int, _frame: FrameType | None) -> None:
        raise Hang(f"no answer within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def value_or_wattz_error(read: Callable[[], T]) -> T | WattzError:
    """The reader's value or the WattzError it raised; anything else fails the test."""
    with time_limit():
        try:
            return read()
        except WattzError as error:
            text = str(error)
            assert text and "\n" not in text.strip(), f"not one line: {text!r}"
            return error


def peak_megabytes(read: Callable[[], object]) -> float:
    """Peak Python allocation while ``read`` runs (its WattzError, if any, is swallowed)."""
    tracemalloc.start()
    try:
        with time_limit():
            try:
                read()
            except WattzError:
                pass
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def seeds(paths: list[Path]) -> list[bytes]:
    """The bytes of the real files to mutate (the small ones)."""
    return [p.read_bytes() for p in paths if p.stat().st_size <= SEED_MAX_BYTES]


@st.composite
def mutated(draw: st.DrawFn, originals: list[bytes], fit: bool = False) -> bytes:
    """One of ``originals`` with one to four hostile edits."""
    data = bytearray(draw(st.sampled_from(originals)))
    edits = ["flip", "byte", "truncate", "delete", "duplicate", "splice", "insert"]
    if fit:
        edits += ["header_size", "data_size", "crc", "field_size"]
    for _ in range(draw(st.integers(1, 4))):
        edit = draw(st.sampled_from(edits))
        size = len(data)
        at = draw(st.integers(0, max(size - 1, 0)))
        if edit == "flip" and size:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif edit == "byte" and size:
            data[at] = draw(st.sampled_from([0x00, 0xFF, 0x7F, 0x80, 0x40, 0x3C, 0x26]))
        elif edit == "truncate":
            del data[at:]
        elif edit in ("delete", "duplicate", "splice"):
            length = draw(st.integers(1, 256))
            chunk = bytes(data[at : at + length])
            if edit == "delete":
                del data[at : at + length]
            else:
                where = at if edit == "duplicate" else draw(st.integers(0, size))
                data[where:where] = chunk
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif edit == "header_size" and size:
            data[0] = draw(st.sampled_from([0, 1, 11, 12, 13, 15, 0x7F, 0xFF]))
        elif edit == "data_size" and size >= 8:
            declared = draw(st.sampled_from([0, 1, 0x7FFFFFFF, 0xFFFFFFFF, size * 2]))
            data[4:8] = struct.pack("<I", declared)
        elif edit == "crc" and size >= 2:
            data[-2:] = draw(st.binary(min_size=2, max_size=2))
        elif edit == "field_size" and size:
            # A definition's field size or count blown up: the decoder must not trust it.
            data[at] = 0xFF
    return bytes(data)

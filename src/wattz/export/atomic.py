"""Atomic file writes for device mounts and wattz's own records.

A head unit can be unplugged at any moment. Data is written to a hidden temporary file
in the target folder (same file system, so the rename is atomic), flushed and fsynced,
then renamed over the final name, and the folder is fsynced so the rename itself is on
the medium. Any failure removes the temporary file and raises ``ExternalError`` (exit 3):
the folder then holds either the old file or the new one, never a partial one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from wattz.errors import ExternalError

TEMP_PREFIX = ".wattz-"
TEMP_SUFFIX = ".tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once, or leave it untouched and raise."""
    folder = path.parent
    temp_name: str | None = None
    try:
        descriptor, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
        temp_name = None
        _sync_folder(folder)
    except OSError as error:
        raise ExternalError(
            f"could not write {path}: {error.strerror or error}",
            "check that the device is still connected and has space, then export again",
        ) from None
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.remove(temp_name)


def remove_file(path: Path) -> None:
    """Delete ``path`` (already gone is fine); failures are the device's: exit 3."""
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        raise ExternalError(
            f"could not remove {path}: {error.strerror or error}",
            "check that the device is still connected and writable",
        ) from None


def _sync_folder(folder: Path) -> None:
    """Persist the rename; some file systems (MTP via gvfs, FAT on some kernels) refuse."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)

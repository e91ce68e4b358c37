"""File names that are safe on any device and never leave their folder.

Titles come from people and language models. A name is built from a small alphabet
(ASCII letters, digits, ``-``, ``_``, ``.`` after accents are folded), so no title can
hold a separator, ``..``, a control character or a name FAT/exFAT (every head unit's file
system) refuses; names are cut short enough for any unit, and Windows' reserved device
names are avoided because Zwift's folder usually lives on Windows.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from wattz.errors import InvalidValue

MAX_STEM_CHARS = 60
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(10)}


def safe_stem(text: str, fallback: str = "workout") -> str:
    """``text`` folded to a safe file-name stem (never empty, never starting with a dot)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    stem = _UNSAFE.sub("_", folded).strip("._-")
    stem = re.sub(r"_{2,}", "_", stem)[:MAX_STEM_CHARS].rstrip("._-")
    if not stem:
        stem = fallback
    if stem.split(".", 1)[0].upper() in _RESERVED:
        stem = f"_{stem}"
    return stem


def workout_file_name(title: str, suffix: str, day: dt.date | None = None) -> str:
    """``2026-12-01_Threshold_Ladders.fit``: date first so a folder lists in plan order."""
    stem = safe_stem(title)
    if day is not None:
        stem = f"{day.isoformat()}_{stem}"
    return f"{stem}{suffix}"


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing any name that would land outside ``folder``."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise InvalidValue(f"{name!r} is not a plain file name", "name a file, not a path")
    path = folder / name
    if path.parent != folder:
        raise InvalidValue(f"{name!r} would leave {folder}", "name a file, not a path")
    return path

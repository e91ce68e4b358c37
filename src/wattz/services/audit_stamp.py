"""Knowing, without opening the store, that tonight's audit has nothing to do.

An audit is a function of the store's content, the files in its folder sources and
the day: run twice on the same three it changes nothing the second time (the audit is
idempotent). So after each audit wattz writes a stamp — the day, the store's files'
size and modification time (after its connections closed, so SQLite's checkpoint is
in it), and the size and modification time of every file in the folder sources — and
the next audit compares before importing anything heavy: the same stamp means the
same inputs, so the same (empty) result. Any write to the store, any new or changed
ride file, a new day or a new wattz version makes the stamps differ and the audit runs
in full.

Only the plain setup has a stamp: SQLite in the data folder and folder sources. A
mounted device or Garmin Connect can change without a trace here, and PostgreSQL is
not a file, so those always run the audit.

Standard library only: this runs before SQLAlchemy, pydantic or the rules are loaded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from pathlib import Path

from wattz import __version__
from wattz.settings import DATABASE_URL_VARIABLE, data_dir

STAMP_FILE = "audit-stamp.json"
DATABASE_FILES = ("wattz.db", "wattz.db-wal")
FIT_SUFFIX = ".fit"


def current_stamp(today: dt.date, *, single_athlete: bool = False) -> str | None:
    """The stamp of the audit's inputs now, or None when they cannot all be stamped
    (or, with ``single_athlete``, when the store holds several athletes)."""
    if os.environ.get(DATABASE_URL_VARIABLE):
        return None
    folder = data_dir()
    database = folder / DATABASE_FILES[0]
    if not database.is_file():
        return None
    sources = _sources(database, single_athlete)  # first: opening may leave an empty WAL
    if sources is None:
        return None
    digest = hashlib.sha256(f"{__version__}|{today.isoformat()}".encode())
    for name in DATABASE_FILES:
        path = folder / name
        if path.exists() and path.stat().st_size:
            stat = path.stat()
            digest.update(f"|{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for location in sources:
        digest.update(f"|source:{location}".encode())
        for root, _dirs, names in sorted(os.walk(location)):
            for name in sorted(names):
                if name.lower().endswith(FIT_SUFFIX):
                    try:
                        stat = (Path(root) / name).stat()
                    except OSError:
                        continue
                    digest.update(f"|{root}/{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def nothing_new(today: dt.date, *, single_athlete: bool = False) -> bool:
    """Whether an audit already ran today on exactly these inputs.

    ``single_athlete``: the audit is of "the only athlete", which is an error when the
    store holds several — so the fast path is not taken then, and the error is shown.
    """
    try:
        recorded = json.loads((data_dir() / STAMP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    stamp = current_stamp(today, single_athlete=single_athlete)
    return stamp is not None and recorded.get("stamp") == stamp


def record(today: dt.date) -> None:
    """Write the stamp after a full audit (its changes committed, its store closed)."""
    stamp = current_stamp(today)
    path = data_dir() / STAMP_FILE
    if stamp is None:
        path.unlink(missing_ok=True)
        return
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps({"date": today.isoformat(), "stamp": stamp}), encoding="utf-8")
    partial.replace(path)


def forget() -> None:
    """Drop the stamp (a change made outside the store's files, or a failed audit)."""
    (data_dir() / STAMP_FILE).unlink(missing_ok=True)


def _sources(database: Path, single_athlete: bool) -> list[str] | None:
    """Every folder source's location, or None when a source is not a folder (or, with
    ``single_athlete``, when there are several athletes)."""
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        rows = connection.execute(
            "SELECT kind, location FROM activity_source ORDER BY id"
        ).fetchall()
        if single_athlete:
            (athletes,) = connection.execute("SELECT count(*) FROM athlete").fetchone()
            if athletes > 1:
                return None
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    if any(kind != "folder" for kind, _ in rows):
        return None
    return [str(location) for _, location in rows]

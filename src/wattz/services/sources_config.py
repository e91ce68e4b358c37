"""Where the nightly audit finds new rides: folders, a head unit, Garmin Connect.

``wattz source add DIR|device|garmin`` records a source; the audit asks each one for
the files it has not seen (``new_files``) and imports them through the rides service.
Files seen are remembered with their size and modification time (``SourceFile``), so
a night with nothing new opens no FIT file at all, a failed file is not reported
again every night, and a file that changed is read again.

A *device* source has no fixed path: it is whatever Garmin or Wahoo unit is mounted at
audit time (``wattz.export.devices``), read from its activity folder. A *garmin* source
is synced through ``wattz.services.garmin`` (activities and wellness).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel
from sqlmodel import Session, col, select

from wattz.errors import Conflict, InvalidValue
from wattz.model.tables import ActivitySource, Athlete, SourceFile

ACTIVITY_SUFFIXES = frozenset({".fit"})
GARMIN_ACTIVITY_FOLDER = ("GARMIN", "Activity")
WAHOO_ACTIVITY_FOLDER = ("exports",)
MAX_LOCATION_CHARS = 500


class SourceKind(StrEnum):
    FOLDER = "folder"
    DEVICE = "device"
    GARMIN = "garmin"


class SourceView(BaseModel):
    """One source as ``source list --json`` prints it."""

    id: int
    kind: SourceKind
    location: str
    files_seen: int


class Outcome(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(frozen=True)
class Found:
    """A file a source offers, with what identifies this version of it."""

    source_id: int
    path: Path
    size: int
    mtime_ns: int


def add_source(session: Session, athlete: Athlete, spec: str) -> SourceView:
    """Record a source: ``device``, ``garmin`` or a folder path (made absolute)."""
    word = spec.strip().lower()
    if word in (SourceKind.DEVICE.value, SourceKind.GARMIN.value):
        kind, location = SourceKind(word), ""
    else:
        folder = Path(spec).expanduser()
        if not folder.is_dir():
            raise InvalidValue(
                f"{spec!r} is not a folder", "give a folder of FIT files, 'device' or 'garmin'"
            )
        kind, location = SourceKind.FOLDER, str(folder.resolve())
        if len(location) > MAX_LOCATION_CHARS:
            raise InvalidValue(f"the path {location!r} is too long", "use a shorter path")
    assert athlete.id is not None
    existing = session.exec(
        select(ActivitySource).where(
            ActivitySource.athlete_id == athlete.id,
            ActivitySource.kind == kind.value,
            ActivitySource.location == location,
        )
    ).first()
    if existing is not None:
        raise Conflict(
            f"{_label(kind, location)} is a source already (source {existing.id})",
            "list them with: wattz source list",
        )
    row = ActivitySource(athlete_id=athlete.id, kind=kind.value, location=location)
    session.add(row)
    session.flush()
    return _view(session, row)


def list_sources(session: Session, athlete: Athlete) -> list[SourceView]:
    rows = session.exec(
        select(ActivitySource)
        .where(ActivitySource.athlete_id == athlete.id)
        .order_by(col(ActivitySource.id))
    ).all()
    return [_view(session, row) for row in rows]


def sources_of(session: Session, athlete: Athlete) -> list[ActivitySource]:
    return list(
        session.exec(
            select(ActivitySource)
            .where(ActivitySource.athlete_id == athlete.id)
            .order_by(col(ActivitySource.id))
        ).all()
    )


def new_files(
    session: Session,
    source: ActivitySource,
    mount_roots: Sequence[Path] | None = None,
) -> list[Found]:
    """Files of a folder or device source not seen before in this version (size and
    modification time); a device that is not mounted offers nothing."""
    assert source.id is not None
    kind = SourceKind(source.kind)
    if kind is SourceKind.FOLDER:
        folders = [Path(source.location)]
    elif kind is SourceKind.DEVICE:
        folders = device_activity_folders(mount_roots)
    else:
        return []
    seen = {
        row.path: (row.size, row.mtime_ns)
        for row in session.exec(select(SourceFile).where(SourceFile.source_id == source.id))
    }
    found: list[Found] = []
    for path in _fit_files(folders):
        try:
            stat = path.stat()
        except OSError:
            continue
        if seen.get(str(path)) == (stat.st_size, stat.st_mtime_ns):
            continue
        found.append(Found(source.id, path, stat.st_size, stat.st_mtime_ns))
    return found


def remember(session: Session, found: Iterable[Found], outcomes: dict[str, Outcome]) -> None:
    """Record each file's version and what importing it did (``outcomes`` by resolved
    path, as the rides service names files)."""
    files = list(found)
    if not files:
        return
    source_ids = {f.source_id for f in files}
    rows = {
        (row.source_id, row.path): row
        for row in session.exec(select(SourceFile).where(col(SourceFile.source_id).in_(source_ids)))
    }
    for item in files:
        row = rows.get((item.source_id, str(item.path))) or SourceFile(
            source_id=item.source_id, path=str(item.path), size=0, mtime_ns=0, outcome=""
        )
        row.size = item.size
        row.mtime_ns = item.mtime_ns
        row.outcome = outcomes.get(str(item.path.resolve()), Outcome.FAILED).value
        session.add(row)
    session.flush()


def device_activity_folders(mount_roots: Sequence[Path] | None = None) -> list[Path]:
    """The activity folders of the Garmin and Wahoo units mounted now."""
    from wattz.export.devices import detect_devices

    folders: list[Path] = []
    for device in detect_devices(mount_roots):
        if device.kind == "garmin":
            folder = _child(device.root, GARMIN_ACTIVITY_FOLDER)
        elif device.kind == "wahoo":
            folder = _child(device.root, WAHOO_ACTIVITY_FOLDER)
        else:
            continue
        if folder is not None:
            folders.append(folder)
    return folders


def _fit_files(folders: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for root, _dirs, names in os.walk(folder):
            for name in names:
                if Path(name).suffix.lower() in ACTIVITY_SUFFIXES:
                    files.append(Path(root) / name)
    return sorted(files)


def _child(root: Path, parts: Sequence[str]) -> Path | None:
    """``root/parts…`` matched case-insensitively (FAT volumes keep any case)."""
    current = root
    for part in parts:
        try:
            match = next(
                (entry for entry in current.iterdir() if entry.name.lower() == part.lower()),
                None,
            )
        except OSError:
            return None
        if match is None or not match.is_dir():
            return None
        current = match
    return current


def _view(session: Session, row: ActivitySource) -> SourceView:
    assert row.id is not None
    count = len(session.exec(select(SourceFile.id).where(SourceFile.source_id == row.id)).all())
    return SourceView(id=row.id, kind=SourceKind(row.kind), location=row.location, files_seen=count)


def _label(kind: SourceKind, location: str) -> str:
    return location if kind is SourceKind.FOLDER else kind.value

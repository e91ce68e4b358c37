"""Export a selection of workouts to a folder or device, and keep that folder in step.

:func:`export_workouts` renders every file first (so a bad workout fails before the device
is touched), then writes each one atomically, skipping files whose bytes are already
there (re-exporting is idempotent). With ``keep_keys`` — every workout the plan still
holds — it also removes files it wrote earlier for workouts the plan no longer has. The
record of what it wrote (``export.record``) decides what is wattz's: a file wattz did not
write is never overwritten or removed, and one changed since wattz wrote it is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wattz.awp.models import Workout
from wattz.errors import ExternalError, InvalidValue
from wattz.export.atomic import remove_file, write_all_atomic
from wattz.export.devices import Device, ExportTarget
from wattz.export.filenames import inside, safe_stem, workout_file_name
from wattz.export.formats import ExportFormat, export_format, render_workout
from wattz.export.record import WrittenFile, load_record, sha256_of


@dataclass(frozen=True)
class ExportItem:
    """One workout to export: a stable key (its id), the AWP, and its day in the plan."""

    key: str
    workout: Workout
    date: dt.date | None = None
    title: str | None = None
    """File name and calendar title; the workout's own title when None."""
    summary: str | None = None
    """Calendar description (.ics); a line of duration and TSS when None."""

    @property
    def display_title(self) -> str:
        return self.title or self.workout.meta.title


@dataclass(frozen=True)
class ExportReport:
    """What an export did, file by file."""

    folder: Path
    format: str
    device: Device | None
    written: tuple[Path, ...] = ()
    unchanged: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "format": self.format,
            "device": self.device.to_json_dict() if self.device else None,
            "written": [str(path) for path in self.written],
            "unchanged": [str(path) for path in self.unchanged],
            "removed": [str(path) for path in self.removed],
            "warnings": list(self.warnings),
        }


@dataclass
class _Progress:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Rendered:
    name: str
    key: str
    data: bytes


def export_workouts(
    items: Sequence[ExportItem],
    format_name: str,
    target: ExportTarget | Path,
    ftp_w: int | None,
    record_dir: Path,
    keep_keys: Collection[str] | None = None,
    calendar_name: str = "wattz plan",
) -> ExportReport:
    """Write ``items`` as ``format_name`` files into ``target``; see the module docstring.

    ``keep_keys`` None removes nothing but this export's own renamed files; with the
    plan's live workout keys, files of workouts no longer in the plan are removed too.
    Errors: InvalidValue (a format the device cannot read, .erg without FTP, .ics without
    dates), ExternalError (the folder or device failed mid-way: no partial file is left).
    """
    fmt = export_format(format_name)
    export_target = target if isinstance(target, ExportTarget) else ExportTarget(target)
    device = export_target.device
    if device is not None and fmt.name not in device.formats:
        raise InvalidValue(
            f"{device.name} does not read .{fmt.name} files",
            f"use --format {' or '.join(device.formats)}",
        )
    rendered = _render(items, fmt, ftp_w, calendar_name)
    folder = export_target.folder
    _ensure_folder(folder)
    record = load_record(record_dir)
    progress = _Progress()
    if record.unreadable:
        progress.warnings.append(
            f"wattz's record {record.path} is unreadable; no old file was removed"
        )
    try:
        produced = _write_all(rendered, fmt, folder, record.files(export_target.key), progress)
        if not record.unreadable:
            item_keys = {item.key for item in rendered}
            kept = item_keys | set(keep_keys) if keep_keys is not None else None
            _remove_stale(
                record.files(export_target.key), produced, item_keys, kept, fmt, folder, progress
            )
    finally:
        if not record.unreadable:
            record.save()
    return ExportReport(
        folder=folder,
        format=fmt.name,
        device=device,
        written=tuple(progress.written),
        unchanged=tuple(progress.unchanged),
        removed=tuple(progress.removed),
        warnings=tuple(progress.warnings),
    )


def _render(
    items: Sequence[ExportItem], fmt: ExportFormat, ftp_w: int | None, calendar_name: str
) -> list[_Rendered]:
    if not fmt.per_workout:
        from wattz.export.ics import CalendarEntry, sessions_to_ics

        undated = [item.display_title for item in items if item.date is None]
        if undated:
            raise InvalidValue(
                f"a calendar needs dated workouts; {undated[0]!r} has no date",
                "export a plan's weeks or a date range",
            )
        entries = [
            CalendarEntry(item.date, item.display_title, item.summary or _summary(item), item.key)
            for item in items
            if item.date is not None
        ]
        name = f"{safe_stem(calendar_name, 'plan')}{fmt.suffix}"
        return [_Rendered(name, f"calendar:{name}", sessions_to_ics(entries, calendar_name))]
    rendered: list[_Rendered] = []
    taken: set[str] = set()
    for item in items:
        name = workout_file_name(item.display_title, fmt.suffix, item.date)
        name = _unique(name, taken)
        taken.add(name.lower())
        rendered.append(_Rendered(name, item.key, render_workout(item.workout, fmt.name, ftp_w)))
    return rendered


def _write_all(
    rendered: Sequence[_Rendered],
    fmt: ExportFormat,
    folder: Path,
    recorded: dict[str, WrittenFile],
    progress: _Progress,
) -> set[str]:
    """Write what changed in one atomic batch; record each file as it lands."""
    produced: set[str] = set()
    to_write: list[tuple[Path, bytes]] = []
    pending: dict[Path, WrittenFile] = {}
    for item in rendered:
        name = item.name
        path = inside(folder, name)
        while _exists(path) and name not in recorded:
            # Someone else's file: never overwrite it, take the next free name.
            name = _unique(name, {name.lower()} | {p.lower() for p in produced})
            path = inside(folder, name)
        written = WrittenFile(item.key, fmt.name, sha256_of(item.data))
        if _exists(path) and _read(path) == item.data:
            progress.unchanged.append(path)
            recorded[name] = written
        else:
            to_write.append((path, item.data))
            pending[path] = written
        produced.add(name)
        if name != item.name:
            progress.warnings.append(f"{item.name} belongs to someone else; wrote {name} instead")

    def landed(path: Path) -> None:
        recorded[path.name] = pending[path]
        progress.written.append(path)

    write_all_atomic(to_write, landed)
    return produced


def _remove_stale(
    recorded: dict[str, WrittenFile],
    produced: set[str],
    item_keys: set[str],
    kept_keys: set[str] | None,
    fmt: ExportFormat,
    folder: Path,
    progress: _Progress,
) -> None:
    """Remove wattz's earlier files the plan no longer holds (or renamed since)."""
    for name, written in sorted(recorded.items()):
        if name in produced:
            continue
        renamed = written.key in item_keys and written.format == fmt.name
        gone = kept_keys is not None and written.key not in kept_keys
        if not (renamed or gone):
            continue
        path = inside(folder, name)
        if not _exists(path):
            del recorded[name]  # the unit took it (Garmin moves NewFiles) or it was deleted
            continue
        if sha256_of(_read(path)) != written.sha256:
            progress.warnings.append(f"left {path}: it changed since wattz wrote it")
            del recorded[name]
            continue
        remove_file(path)
        del recorded[name]
        progress.removed.append(path)


def _unique(name: str, taken: Collection[str]) -> str:
    if name.lower() not in taken:
        return name
    stem, dot, suffix = name.rpartition(".")
    base, ext = (stem, f".{suffix}") if dot else (name, "")
    number = 2
    while f"{base}_{number}{ext}".lower() in taken:
        number += 1
    return f"{base}_{number}{ext}"


def _summary(item: ExportItem) -> str:
    """Duration and load for the calendar: the document's own estimate when it has one."""
    meta = item.workout.meta
    minutes = round(meta.total_duration_seconds / 60)
    if meta.estimated_tss is not None:
        line = f"{minutes} min · TSS {meta.estimated_tss:.0f}"
    else:
        from wattz.awp.metrics import workout_metrics

        metrics = workout_metrics(item.workout)
        line = f"{minutes} min · TSS {metrics.tss:.0f} · IF {metrics.intensity_factor:.2f}"
    return f"{line}\n{meta.description}" if meta.description else line


def _ensure_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InvalidValue(f"{folder} is a file, not a folder", "give a folder") from None
    except OSError as error:
        raise ExternalError(
            f"could not create {folder}: {error.strerror or error}",
            "check that the device is connected and writable",
        ) from None


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError as error:
        raise ExternalError(
            f"could not read {path.parent}: {error.strerror or error}",
            "check that the device is still connected",
        ) from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ExternalError(
            f"could not read {path}: {error.strerror or error}",
            "check that the device is still connected",
        ) from None

"""The export formats: name → suffix and writer, so callers never branch on a format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from wattz.awp.models import Workout
from wattz.errors import InvalidValue

FormatName = Literal["zwo", "mrc", "erg", "fit", "plan", "json", "ics"]
FORMAT_NAMES: tuple[FormatName, ...] = ("zwo", "mrc", "erg", "fit", "plan", "json", "ics")


@dataclass(frozen=True)
class ExportFormat:
    name: FormatName
    suffix: str
    per_workout: bool
    """False for .ics: the whole selection is one calendar file."""
    needs_ftp: bool
    description: str


FORMATS: dict[str, ExportFormat] = {
    "zwo": ExportFormat("zwo", ".zwo", True, False, "Zwift workout"),
    "mrc": ExportFormat("mrc", ".mrc", True, False, "TrainerRoad-layout course, % FTP"),
    "erg": ExportFormat("erg", ".erg", True, True, "TrainerRoad-layout course, watts"),
    "fit": ExportFormat("fit", ".fit", True, False, "FIT workout (Garmin, Wahoo, Hammerhead)"),
    "plan": ExportFormat("plan", ".plan", True, False, "Wahoo ELEMNT plan"),
    "json": ExportFormat("json", ".json", True, False, "AWP 1.0 document"),
    "ics": ExportFormat("ics", ".ics", False, False, "calendar of all-day events"),
}


def export_format(name: str) -> ExportFormat:
    """The format called ``name`` (case-insensitive); an unknown name is the user's error."""
    found = FORMATS.get(name.strip().lower())
    if found is None:
        raise InvalidValue(f"unknown export format {name!r}", f"use one of {', '.join(FORMATS)}")
    return found


def render_workout(workout: Workout, format_name: str, ftp_w: int | None = None) -> bytes:
    """One workout in a per-workout format (every format but ``ics``)."""
    fmt = export_format(format_name)
    if fmt.name == "zwo":
        from wattz.export.zwo import workout_to_zwo

        return workout_to_zwo(workout)
    if fmt.name == "mrc":
        from wattz.export.ergmrc import workout_to_mrc

        return workout_to_mrc(workout)
    if fmt.name == "erg":
        if not ftp_w:
            raise InvalidValue("an .erg holds watts, so it needs an FTP", "set the athlete's FTP")
        from wattz.export.ergmrc import workout_to_erg

        return workout_to_erg(workout, ftp_w)
    if fmt.name == "fit":
        from wattz.export.fit_workout import workout_to_fit

        return workout_to_fit(workout)
    if fmt.name == "plan":
        from wattz.export.wahoo_plan import workout_to_plan

        return workout_to_plan(workout)
    if fmt.name == "json":
        return (workout.model_dump_json(by_alias=True, exclude_none=True, indent=2) + "\n").encode(
            "utf-8"
        )
    raise InvalidValue(
        f"{fmt.name} is a calendar of many workouts, not one workout file",
        "export a plan or a date range with --format ics",
    )

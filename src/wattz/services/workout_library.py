"""The athlete's own workouts: imported from files or typed in the text syntax, and listed.

``wattz workout import FILE...`` is all or nothing: every file is read before anything is
stored, and the first unreadable one is the error (naming the file), so a batch never half
lands. Warnings about repairs the readers made come back with each workout for the CLI
to show on stderr.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from sqlmodel import Session, col, select

from wattz.awp.metrics import workout_metrics
from wattz.awp.models import Workout
from wattz.errors import NotFound, WattzError
from wattz.model.tables import Athlete, UserWorkout
from wattz.services.athletes import ftp_history, ftp_on
from wattz.sources.workout_files import ImportedWorkout, read_workout_file


class UserWorkoutView(BaseModel):
    """What ``workout import/new/list --json`` print for each workout."""

    model_config = ConfigDict(frozen=True)

    id: int
    title: str
    source: str
    origin: str | None
    duration_s: int
    tss: float
    primary_zone: int
    created_at: dt.datetime
    warnings: list[str] = []


def import_workout_files(
    session: Session, athlete: Athlete, paths: Sequence[Path], today: dt.date
) -> list[UserWorkoutView]:
    """Read every file (watts use the athlete's FTP today), then store them all."""
    ftp_w = ftp_on(ftp_history(session, athlete), today)
    imported: list[tuple[Path, ImportedWorkout]] = []
    failures: list[WattzError] = []
    for path in paths:
        try:
            imported.append((path, read_workout_file(path, ftp_w)))
        except WattzError as error:
            failures.append(error)
    if failures:
        first = failures[0]
        if len(failures) > 1:
            first.message = f"{first.message} (and {len(failures) - 1} more files failed)"
        raise first
    return [
        _store(session, athlete, item.workout, "imported", str(path.resolve()), item.warnings)
        for path, item in imported
    ]


def add_text_workout(
    session: Session, athlete: Athlete, text: str, title: str, today: dt.date
) -> UserWorkoutView:
    """Store a workout typed in the text syntax (``sources.workout_text``)."""
    from wattz.sources.workout_text import parse_workout_text

    ftp_w = ftp_on(ftp_history(session, athlete), today)
    parsed = parse_workout_text(text, title, ftp_w)
    return _store(session, athlete, parsed.workout, "user", None, parsed.warnings)


def list_user_workouts(session: Session, athlete: Athlete) -> list[UserWorkoutView]:
    """The athlete's own workouts, newest first."""
    rows = session.exec(
        select(UserWorkout)
        .where(UserWorkout.athlete_id == athlete.id)
        .order_by(col(UserWorkout.created_at).desc(), col(UserWorkout.id).desc())
    ).all()
    return [_view(row, ()) for row in rows]


def user_workout(
    session: Session, athlete: Athlete, workout_id: int
) -> tuple[UserWorkout, Workout]:
    """One of the athlete's own workouts and its AWP document."""
    row = session.get(UserWorkout, workout_id)
    if row is None or row.athlete_id != athlete.id:
        raise NotFound(f"no workout {workout_id} in your library", "see: wattz workout list")
    return row, Workout.model_validate(row.awp)


def _store(
    session: Session,
    athlete: Athlete,
    workout: Workout,
    source: str,
    origin: str | None,
    warnings: Sequence[str],
) -> UserWorkoutView:
    metrics = workout_metrics(workout)
    row = UserWorkout(
        athlete_id=athlete.id,
        title=workout.meta.title,
        source=source,
        origin=origin[:500] if origin else None,
        duration_s=metrics.duration_s,
        tss=round(metrics.tss, 1),
        primary_zone=metrics.primary_zone,
        awp=workout.to_json_dict(),
    )
    session.add(row)
    session.flush()
    return _view(row, warnings)


def _view(row: UserWorkout, warnings: Sequence[str]) -> UserWorkoutView:
    assert row.id is not None
    return UserWorkoutView(
        id=row.id,
        title=row.title,
        source=row.source,
        origin=row.origin,
        duration_s=row.duration_s,
        tss=row.tss,
        primary_zone=row.primary_zone,
        created_at=row.created_at,
        warnings=list(warnings),
    )

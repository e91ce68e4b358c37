"""The export service: selection from the plan, and files of dropped workouts removed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from tests.cli.test_export import build_plan, workouts_of
from wattz.errors import InvalidValue
from wattz.model.store import session_scope
from wattz.model.tables import PlannedWorkout
from wattz.services.athletes import resolve_athlete
from wattz.services.exports import export_plan

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def plan() -> dict[str, Any]:
    return build_plan()


def test_week_selection_is_monday_to_sunday(plan: dict[str, Any], tmp_path: Path) -> None:
    day = dt.date.fromisoformat(workouts_of(plan)[0]["date"])
    monday = day - dt.timedelta(days=day.weekday())
    expected = [
        w
        for w in workouts_of(plan)
        if monday <= dt.date.fromisoformat(w["date"]) < monday + dt.timedelta(days=7)
    ]
    with session_scope() as session:
        report = export_plan(
            session,
            resolve_athlete(session, None),
            to=str(tmp_path),
            today=TODAY,
            format_name="json",
            week=day,
            record_dir=tmp_path / "rec",
        )
    assert len(report.written) == len(expected)
    assert all(path.name.startswith(tuple(w["date"] for w in expected)) for path in report.written)


def test_a_cancelled_workout_s_file_is_removed_on_the_next_export(
    plan: dict[str, Any],
    tmp_path: Path,
) -> None:
    out = tmp_path / "zwift"
    with session_scope() as session:
        athlete = resolve_athlete(session, None)
        first = export_plan(
            session,
            athlete,
            to=str(out),
            today=TODAY,
            format_name="zwo",
            record_dir=tmp_path / "rec",
        )
        workout = session.exec(
            select(PlannedWorkout).where(PlannedWorkout.date >= TODAY).order_by(PlannedWorkout.date)
        ).first()
        assert workout is not None
        workout.status = "cancelled"
        session.add(workout)
        session.flush()
        second = export_plan(
            session,
            athlete,
            to=str(out),
            today=TODAY,
            format_name="zwo",
            record_dir=tmp_path / "rec",
        )
    assert len(second.removed) == 1 and second.removed[0] in first.written
    assert not second.removed[0].exists()
    assert len(second.unchanged) == len(first.written) - 1


def test_selections_exclude_each_other(plan: dict[str, Any], tmp_path: Path) -> None:
    with session_scope() as session, pytest.raises(InvalidValue, match="give only one"):
        export_plan(
            session,
            resolve_athlete(session, None),
            to=str(tmp_path),
            today=TODAY,
            format_name="zwo",
            workout_id=1,
            week=TODAY,
        )

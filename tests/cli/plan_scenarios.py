"""A stored plan and the day-to-day of an athlete, for the audit's scenario tests.

The plan is built the way a person builds one (``wattz plan new --yes`` on the grid of
``tests/cli/test_plan.py``); rides are stored through the store the way the rides
service leaves them once matched (planned workout and compliance set), so a scenario
says exactly what was ridden.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

import pytest

from tests.cli.helpers import run

GRID = ["mon=0", "tue=60:indoor", "wed=45", "thu=60:indoor", "fri=0", "sat=180:outdoor", "sun=120"]
EVENT = "2027-03-14"
DAY = dt.timedelta(days=1)
_hashes = itertools.count(1)


def build_plan() -> dict[str, Any]:
    """Athlete, grid, goal and a LINEAR 3:1 plan from today (2026-11-25), as JSON."""
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    assert run("availability", "set", *GRID).exit_code == 0
    assert run("goal", "add", "Marmotte", "--date", EVENT).exit_code == 0
    result = run("plan", "new", "--goal", "Marmotte", "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    plan: dict[str, Any] = json.loads(result.stdout)["plan"]
    return plan


def show() -> dict[str, Any]:
    result = run("plan", "show", "--json")
    assert result.exit_code == 0, result.stderr
    plan: dict[str, Any] = json.loads(result.stdout)["plan"]
    return plan


def on(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    """Make ``day`` today for every command that follows."""
    monkeypatch.setenv("WATTZ_TODAY", day.isoformat())


def weeks(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [week | {"block": block["type"]} for block in plan["blocks"] for week in block["weeks"]]


def workouts(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for week in weeks(plan) for w in week["workouts"]]


def workout(plan: dict[str, Any], workout_id: int) -> dict[str, Any]:
    return next(w for w in workouts(plan) if w["id"] == workout_id)


def loading_weeks(plan: dict[str, Any], block: str = "BASE") -> list[dict[str, Any]]:
    return [
        w for w in weeks(plan) if w["block"] == block and not w["is_recovery"] and not w["is_taper"]
    ]


def keys(week: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for w in week["workouts"] if w["role"] == "key"]


def day_of(item: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(item["date"] if "date" in item else item["start"])


def audit(*extra: str) -> Any:
    result = run("audit", *extra)
    assert result.exit_code == 0, result.stderr
    return result


def settle(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    """Every workout before ``day`` ridden to the letter and audited on ``day``, so a
    scenario starts from a plan with nothing left to repair."""
    for item in workouts(show()):
        if day_of(item) < day and item["status"] in ("pending", "moved"):
            add_ride(day_of(item), item["id"], tss=item["tss"], duration_s=item["duration_s"])
    on(monkeypatch, day)
    audit()


def changes() -> list[dict[str, Any]]:
    result = run("changes", "--json")
    assert result.exit_code == 0, result.stderr
    listed: list[dict[str, Any]] = json.loads(result.stdout)
    return listed


def new_changes(before: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen = {c["id"] for c in before}
    return [c for c in changes() if c["id"] not in seen]


def add_ride(
    day: dt.date,
    workout_id: int | None = None,
    *,
    tss: float = 60.0,
    duration_s: int = 3600,
    intensity_factor: float = 0.75,
    compliance: float | None = 0.95,
    duration_ratio: float = 1.0,
) -> int:
    """A ride in the store as the rides service leaves it (matched, scored)."""
    from sqlmodel import select

    from wattz.model.store import session_scope
    from wattz.model.tables import Activity, Athlete

    with session_scope() as session:
        athlete = session.exec(select(Athlete)).one()
        assert athlete.id is not None
        start = dt.datetime.combine(day, dt.time(17, 0), tzinfo=dt.UTC)
        row = Activity(
            athlete_id=athlete.id,
            content_hash=f"scenario-{next(_hashes)}-{day.isoformat()}",
            start=start,
            local_date=day,
            duration_s=duration_s,
            moving_s=duration_s,
            tss=tss,
            tss_source="power",
            intensity_factor=intensity_factor,
            planned_workout_id=workout_id,
            compliance=compliance if workout_id is not None else None,
            compliance_detail=(
                {"duration_ratio": duration_ratio, "score": compliance}
                if workout_id is not None
                else None
            ),
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def add_wellness(day: dt.date, hrv_ms: float | None = None, sick: bool = False) -> None:
    from sqlmodel import select

    from wattz.model.store import session_scope
    from wattz.model.tables import Athlete, WellnessEntry

    with session_scope() as session:
        athlete = session.exec(select(Athlete)).one()
        assert athlete.id is not None
        session.add(WellnessEntry(athlete_id=athlete.id, date=day, hrv_ms=hrv_ms, sick=sick))

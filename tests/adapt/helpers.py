"""Small builders for adapt tests: planned workouts and rides as plain values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from wattz.adapt.matching import Planned, Ridden
from wattz.awp.models import Workout
from wattz.plan.domain import Role, Status

MONDAY = dt.date(2026, 11, 23)


def workout(steps: list[dict[str, Any]], sport: str = "bike") -> Workout:
    total = sum(step["duration"] * step.get("repeats", 1) for step in steps)
    return Workout.model_validate(
        {
            "meta": {"title": "test", "sport": sport, "totalDurationSeconds": total},
            "steps": steps,
        }
    )


def steady(duration_s: int, fraction: float, intensity: str | None = None) -> dict[str, Any]:
    step: dict[str, Any] = {
        "type": "SteadyState",
        "duration": duration_s,
        "power": {"type": "steady", "value": fraction},
    }
    if intensity:
        step["intensity"] = intensity
    return step


THRESHOLD = workout(
    [
        {"type": "Warmup", "duration": 600, "power": {"type": "ramp", "start": 0.5, "end": 0.7}},
        steady(600, 1.0),
        steady(300, 0.5, "rest"),
        steady(600, 1.0),
        {"type": "Cooldown", "duration": 300, "power": {"type": "steady", "value": 0.5}},
    ]
)


def planned(
    workout_id: int,
    day: dt.date = MONDAY,
    document: Workout = THRESHOLD,
    status: Status = Status.PENDING,
    role: Role = Role.KEY,
) -> Planned:
    return Planned(workout_id, day, status, role, document)


def ridden(
    activity_id: int,
    day: dt.date = MONDAY,
    moving_s: int = 2400,
    tss: float | None = None,
    power_w: Sequence[int | None] = (),
    is_bike: bool = True,
) -> Ridden:
    return Ridden(activity_id, day, is_bike, moving_s, tss, power_w)


def follow(document: Workout, ftp_w: int, scale: float = 1.0) -> list[int | None]:
    """The 1 Hz power of an athlete riding ``document`` exactly (times ``scale``)."""
    from wattz.awp.metrics import power_samples
    from wattz.awp.timeline import unroll

    return [round(f * ftp_w * scale) for f in power_samples(unroll(document))]

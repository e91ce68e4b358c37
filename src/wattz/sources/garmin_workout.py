"""An AWP workout as Garmin Connect's workout JSON (``/workout-service/workout``).

Garmin's workout service takes steps of type ``ExecutableStepDTO`` (warm-up, interval,
recovery, cool-down) ending on time, and ``RepeatGroupDTO`` for repeats. Power targets
are sent as a watt range at the athlete's FTP (``targetValueOne``–``targetValueTwo``
with ``power.zone`` and no zone number, as Connect's own editor writes custom ranges).
Garmin has no ramp target, so a ramp becomes the range it sweeps; a steady step gets
±``STEADY_RANGE`` around its target so a head unit does not nag at every pedal stroke.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wattz.awp.models import FreeRide, Repeat, Step, Workout

STEADY_RANGE = 0.03
"""±3 % of the target, in the range head units show for a custom power target."""
CYCLING = {"sportTypeId": 2, "sportTypeKey": "cycling"}
STEP_TYPES = {
    "warmup": {"stepTypeId": 1, "stepTypeKey": "warmup"},
    "cooldown": {"stepTypeId": 2, "stepTypeKey": "cooldown"},
    "interval": {"stepTypeId": 3, "stepTypeKey": "interval"},
    "recovery": {"stepTypeId": 4, "stepTypeKey": "recovery"},
    "repeat": {"stepTypeId": 6, "stepTypeKey": "repeat"},
}
TIME_CONDITION = {"conditionTypeId": 2, "conditionTypeKey": "time"}
ITERATIONS_CONDITION = {"conditionTypeId": 7, "conditionTypeKey": "iterations"}
NO_TARGET = {"workoutTargetTypeId": 1, "workoutTargetTypeKey": "no.target"}
POWER_TARGET = {"workoutTargetTypeId": 2, "workoutTargetTypeKey": "power.zone"}
NAME_MAX_CHARS = 80
"""Connect truncates longer workout names in lists; keep them whole."""


def garmin_workout(workout: Workout, ftp_w: int, name: str | None = None) -> dict[str, Any]:
    """The JSON document Garmin Connect's workout service accepts for ``workout``."""
    counter = _Counter()
    return {
        "workoutName": (name or workout.meta.title)[:NAME_MAX_CHARS],
        "description": (workout.meta.description or "")[:1000] or None,
        "sportType": CYCLING,
        "workoutSegments": [
            {
                "segmentOrder": 1,
                "sportType": CYCLING,
                "workoutSteps": _steps(workout.steps, ftp_w, counter),
            }
        ],
    }


class _Counter:
    """Garmin numbers every step, repeats and their children alike, in document order."""

    def __init__(self) -> None:
        self.value = 0

    def next(self) -> int:
        self.value += 1
        return self.value


def _steps(steps: Sequence[Step], ftp_w: int, counter: _Counter) -> list[dict[str, Any]]:
    return [_step(step, ftp_w, counter) for step in steps]


def _step(step: Step, ftp_w: int, counter: _Counter) -> dict[str, Any]:
    order = counter.next()
    if isinstance(step, Repeat):
        content = list(step.content)
        if step.rest_between is not None:
            # Garmin rests after every repetition; the last rest is a small price.
            content.append(step.rest_between)
        return {
            "type": "RepeatGroupDTO",
            "stepOrder": order,
            "stepType": STEP_TYPES["repeat"],
            "numberOfIterations": step.repeats,
            "endCondition": ITERATIONS_CONDITION,
            "endConditionValue": float(step.repeats),
            "smartRepeat": False,
            "workoutSteps": _steps(content, ftp_w, counter),
        }
    document: dict[str, Any] = {
        "type": "ExecutableStepDTO",
        "stepOrder": order,
        "stepType": STEP_TYPES[_kind(step)],
        "endCondition": TIME_CONDITION,
        "endConditionValue": float(step.duration),
        "description": step.instruction[:500] if step.instruction else None,
    }
    if isinstance(step, FreeRide):
        document["targetType"] = NO_TARGET
        return document
    power = step.power
    if power.type == "steady":
        low = power.value * (1 - STEADY_RANGE)
        high = power.value * (1 + STEADY_RANGE)
    else:
        low, high = sorted((power.start, power.end))
    document["targetType"] = POWER_TARGET
    document["targetValueOne"] = round(low * ftp_w)
    document["targetValueTwo"] = round(high * ftp_w)
    return document


def _kind(step: Step) -> str:
    if step.type == "Warmup":
        return "warmup"
    if step.type == "Cooldown":
        return "cooldown"
    if step.intensity == "rest":
        return "recovery"
    return "interval"

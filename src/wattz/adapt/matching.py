"""Which ride was which planned workout: same day first, else a workout moved nearby.

The inputs are plain values, not store rows, so the rule reads (and tests) on its own:

- Only bike activities match bike workouts (``meta.sport == "bike"``): a run on a bike
  day leaves the workout unmatched, and so skipped once the day is past.
- Cancelled and skipped workouts take no ride.
- Pairs are taken best first: the smaller day distance, then the closer duration
  (``|log(moving / planned)|``); each ride and each workout is used once.
- A ride on another day than its workout (within ``NEARBY_DAYS``) only matches when its
  duration is within the yellow band of the plan's (50–150 %): a long weekend ride is not
  Thursday's intervals done late.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from wattz.awp.models import Workout
from wattz.plan.domain import Role, Status

NEARBY_DAYS = 2
"""How far from its date a workout may have been ridden and still be recognised."""
NEARBY_DURATION_RATIO = (0.5, 1.5)
UNMATCHABLE = frozenset({Status.CANCELLED, Status.SKIPPED})
BIKE_SPORT = "bike"


@dataclass(frozen=True)
class Planned:
    """A planned workout as matching and compliance see it."""

    workout_id: Hashable
    date: dt.date
    status: Status
    role: Role
    workout: Workout

    @property
    def duration_s(self) -> int:
        return self.workout.meta.total_duration_seconds

    @property
    def is_bike(self) -> bool:
        return self.workout.meta.sport == BIKE_SPORT


@dataclass(frozen=True)
class Ridden:
    """An activity as matching and compliance see it: its day, size and power stream."""

    activity_id: Hashable
    date: dt.date
    """The local date it counts on."""
    is_bike: bool
    moving_s: int
    tss: float | None
    power_w: Sequence[int | None] = ()
    """1 Hz moving-time power, for per-interval compliance (empty when none)."""


def match_activities(
    activities: Sequence[Ridden], planned: Sequence[Planned]
) -> dict[Hashable, Hashable]:
    """``{activity_id: workout_id}`` for every ride that did a planned workout."""
    candidates: list[tuple[int, float, int, int]] = []
    for a_index, activity in enumerate(activities):
        if not activity.is_bike or activity.moving_s <= 0:
            continue
        for w_index, workout in enumerate(planned):
            if workout.status in UNMATCHABLE or not workout.is_bike or workout.duration_s <= 0:
                continue
            days = abs((activity.date - workout.date).days)
            if days > NEARBY_DAYS:
                continue
            ratio = activity.moving_s / workout.duration_s
            low, high = NEARBY_DURATION_RATIO
            if days and not low <= ratio <= high:
                continue
            candidates.append((days, abs(math.log(ratio)), a_index, w_index))
    candidates.sort()
    matches: dict[Hashable, Hashable] = {}
    used_workouts: set[int] = set()
    for _, _, a_index, w_index in candidates:
        activity_id = activities[a_index].activity_id
        if activity_id in matches or w_index in used_workouts:
            continue
        matches[activity_id] = planned[w_index].workout_id
        used_workouts.add(w_index)
    return matches

"""The vocabulary of a season: enums whose spellings are a contract (DESIGN.md), and the
plain values the skeleton, placement and library pass between each other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from wattz.awp.models import Workout


class Strategy(StrEnum):
    LINEAR = "LINEAR"
    UNDULATING = "UNDULATING"
    BLOCK = "BLOCK"
    POLARIZED = "POLARIZED"


class Rhythm(StrEnum):
    THREE_ONE = "3:1"
    TWO_ONE = "2:1"

    @property
    def loading_weeks(self) -> int:
        return 3 if self is Rhythm.THREE_ONE else 2


class BlockType(StrEnum):
    PREP = "PREP"
    BASE = "BASE"
    BUILD = "BUILD"
    PEAK = "PEAK"
    RACE = "RACE"
    TRANSITION = "TRANSITION"


class BlockFocus(StrEnum):
    AEROBIC_ENDURANCE = "AEROBIC_ENDURANCE"
    TEMPO = "TEMPO"
    SWEET_SPOT = "SWEET_SPOT"
    THRESHOLD = "THRESHOLD"
    VO2_MAX = "VO2_MAX"
    ANAEROBIC_CAPACITY = "ANAEROBIC_CAPACITY"
    NEUROMUSCULAR_POWER = "NEUROMUSCULAR_POWER"


class Role(StrEnum):
    KEY = "key"
    SUPPORT = "support"
    RECOVERY = "recovery"


class Status(StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"
    PARTIAL = "partial"
    FAILED = "failed"
    SKIPPED = "skipped"
    MOVED = "moved"
    CANCELLED = "cancelled"

    @property
    def is_live(self) -> bool:
        """Live workouts count in the plan's invariants (DESIGN.md coaching rules)."""
        return self in (Status.PENDING, Status.MOVED, Status.COMPLETED, Status.PARTIAL)


class Source(StrEnum):
    BUILTIN = "builtin"
    LLM = "llm"
    USER = "user"
    IMPORTED = "imported"


class Priority(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class Discipline(StrEnum):
    ROAD = "road"
    GRAVEL = "gravel"
    MTB = "mtb"
    TT = "tt"


class Reason(StrEnum):
    BUSY = "busy"
    TRAVEL = "travel"
    NO_TIME = "no-time"
    SICK = "sick"
    INJURED = "injured"
    TOO_HARD = "too-hard"
    FATIGUE = "fatigue"
    EASY = "easy"
    OK = "ok"
    EQUIPMENT = "equipment"


Venue = Literal["indoor", "outdoor", "any"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class DaySlot:
    """Time the athlete can ride on a day, and where."""

    minutes: int
    venue: Venue = "any"


@dataclass(frozen=True)
class Availability:
    """Seven weekday slots (Monday first) plus dated overrides."""

    weekly: tuple[DaySlot, ...]
    overrides: Mapping[dt.date, DaySlot] = field(default_factory=dict)

    def slot_on(self, day: dt.date) -> DaySlot:
        return self.overrides.get(day, self.weekly[day.weekday()])

    @property
    def weekly_minutes(self) -> int:
        return sum(slot.minutes for slot in self.weekly)


@dataclass(frozen=True)
class Event:
    """A goal event inside the plan's range; the A event is the plan's target."""

    name: str
    date: dt.date
    priority: Priority
    discipline: Discipline = Discipline.ROAD
    hours: float | None = None
    """How long the race lasts, when the athlete said (a one-hour criterium is not a
    3.5-hour road race); else the discipline's typical race."""

    @property
    def expected_tss(self) -> int:
        """The race's own load, estimated from its length and its discipline's intensity
        (``RACE_DEMANDS``): a B or C race is training stress the plan must count, not a
        blank day."""
        typical_hours, intensity = RACE_DEMANDS[self.discipline]
        hours = typical_hours if self.hours is None else self.hours
        return round(hours * intensity**2 * 100)


RACE_DEMANDS: Mapping[Discipline, tuple[float, float]] = {
    Discipline.ROAD: (3.5, 0.82),
    Discipline.GRAVEL: (4.5, 0.75),
    Discipline.MTB: (2.0, 0.85),
    Discipline.TT: (1.0, 0.92),
}
"""Expected hours and IF of a race by discipline: a road race of ~3.5 h ridden hard
(IF 0.82, TSS ≈ 235), a long steadier gravel event (≈ 253), a ~2 h cross-country race
(≈ 145) and a ~40 km time trial near threshold (≈ 85): what the projection counts on
the race day, an estimate rather than a prescription."""


@dataclass(frozen=True)
class WeekPlan:
    """One microcycle of the skeleton: its targets before any workout is chosen."""

    start: dt.date
    number: int
    block_type: BlockType
    focus: BlockFocus
    is_recovery: bool
    tss_target: int
    volume_target_minutes: int
    loading_index: int
    """1-based position among the block's loading weeks (progression), 0 in recovery."""
    is_taper: bool = False
    light_days: tuple[dt.date, ...] = ()
    """Days kept light: the 2–3 days before a B/C event (its mini-taper, about −30 %)
    and, in the A event's week, the two days before the event (openers only). Event
    days themselves have no availability: no workout goes there."""
    race_tss: int = 0
    """The expected load of the week's B/C races (``Event.expected_tss``), projected on
    their days. Not a workout: ``tss_target`` is what the workouts carry, so the ±10 %
    check keeps its meaning; the week's load is the two together."""


@dataclass(frozen=True)
class BlockPlan:
    """One mesocycle: a type, a focus and its weeks."""

    order: int
    name: str
    type: BlockType
    focus: BlockFocus
    start: dt.date
    weeks: tuple[WeekPlan, ...]
    recovery_week_index: int | None
    progression: str

    @property
    def duration_weeks(self) -> int:
        return len(self.weeks)


@dataclass(frozen=True)
class PlannedSession:
    """A workout chosen for a day, with the metrics the plan stores beside its AWP."""

    date: dt.date
    workout: Workout
    role: Role
    library_id: str
    level: int
    primary_zone: int
    tss: float
    intensity_factor: float
    duration_s: int
    venue: Venue = "any"
    source: Source = Source.BUILTIN
    """Who wrote the workout: the built-in library, or a model (``llm``) inside the fences."""
    replaced_reason: str | None = None
    """Why the library's workout stands where a model's was asked for and never passed."""

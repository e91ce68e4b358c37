"""The vocabulary the built-in library is written in: efforts, repeats, main sets, templates.

A template is *parametric*: its main set is a function of the progression level (1–10,
in the spirit of TrainerRoad's progression levels), and the library stretches or
shrinks the warm-up, cool-down and endurance filler around it to fit the minutes a day
offers. The parts here are plain frozen values so that the catalogue reads as data and
the library can turn them into AWP steps and metrics without pydantic in the hot path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from wattz.plan.domain import BlockFocus, Role

LEVELS = range(1, 11)
"""Progression levels: 1 is a first session of a kind, 10 the hardest version of it."""

EASY_POWER = 0.50
"""Power of recoveries between efforts: mid Coggan Z1, easy enough to clear lactate."""

FREE_RIDE_POWER = 0.55
"""What metrics assume for a FreeRide step (``wattz.awp.timeline.FREE_RIDE_ASSUMED_POWER``)."""


class Specialty(StrEnum):
    """What a template is for, beyond its zone: terrain, taper or a deload week."""

    CLIMBING = "climbing"
    FLAT = "flat"
    LONG = "long"
    OPENER = "opener"
    RACE_PACE = "race-pace"
    BRIEF_EFFORTS = "brief-efforts"


TERRAIN = frozenset({Specialty.CLIMBING, Specialty.FLAT})


@dataclass(frozen=True, slots=True)
class Effort:
    """One leaf step: steady (``end`` None), a ramp, or a free ride (no power target)."""

    seconds: int
    power: float
    end: float | None = None
    cadence: int | None = None
    say: str | None = None
    rest: bool = False
    free: bool = False

    @property
    def total_s(self) -> int:
        return self.seconds


@dataclass(frozen=True, slots=True)
class Reps:
    """``content`` done ``repeats`` times with ``between`` only between repetitions."""

    repeats: int
    content: tuple[Part, ...]
    between: Effort | None = None

    @property
    def total_s(self) -> int:
        body = sum(part.total_s for part in self.content)
        gap = self.between.seconds if self.between else 0
        return body * self.repeats + gap * max(self.repeats - 1, 0)


Part = Effort | Reps


@dataclass(frozen=True, slots=True)
class MainSet:
    """What a level asks for: the parts and a short label for the title ("3×15 min")."""

    label: str
    parts: tuple[Part, ...]

    @property
    def seconds(self) -> int:
        return sum(part.total_s for part in self.parts)


@dataclass(frozen=True, slots=True)
class Template:
    """A parametric workout: a family (its focus), a role, venues and a main set per level.

    ``filler_power`` is the endurance riding that pads the main set to the minutes
    available; ``pre_share`` is the part of that padding ridden before the main set
    (0: all after it, as on a trainer; 0.5: intervals in the middle of a long road ride).
    """

    id: str
    name: str
    focus: BlockFocus
    role: Role
    description: str
    main: Callable[[int], MainSet]
    indoor: bool = True
    outdoor: bool = True
    specialty: Specialty | None = None
    zone: int = 2
    """The Coggan zone the main set trains (what "time in target zone" counts)."""
    filler: Callable[[int], float] | None = None
    """Filler power by level; None means steady endurance at ``ENDURANCE_FILLER_POWER``."""
    filler_say: str = "Endurance: steady, conversational pace."
    pre_share: float = 0.0
    warmup_s: int = 600
    cooldown_s: int = 600
    compact_warmup_s: int = 360
    compact_cooldown_s: int = 300
    warmup_say: str = "Ease in; spin 85–95 rpm and let the legs wake up."
    cooldown_say: str = "Spin easy to finish; drink something."

    def filler_power(self, level: int) -> float:
        return ENDURANCE_FILLER_POWER if self.filler is None else self.filler(level)

    def suits(self, venue: str) -> bool:
        """Whether the template can be ridden at a venue ("indoor", "outdoor" or "any")."""
        if venue == "indoor":
            return self.indoor
        if venue == "outdoor":
            return self.outdoor
        return True


ENDURANCE_FILLER_POWER = 0.65
"""Padding around a main set: Coggan Z2, the middle of endurance."""


def steady(
    seconds: int, power: float, *, cadence: int | None = None, say: str | None = None
) -> Effort:
    return Effort(seconds, power, cadence=cadence, say=say)


def ramp(
    seconds: int, start: float, end: float, *, cadence: int | None = None, say: str | None = None
) -> Effort:
    return Effort(seconds, start, end=end, cadence=cadence, say=say)


def easy(
    seconds: int,
    power: float = EASY_POWER,
    *,
    cadence: int | None = None,
    say: str = "Easy spin; let the breathing settle.",
) -> Effort:
    """A recovery inside a set: marked ``rest`` so metrics and charts treat it as one."""
    return Effort(seconds, power, cadence=cadence, say=say, rest=True)


def free(seconds: int, say: str) -> Effort:
    return Effort(seconds, FREE_RIDE_POWER, say=say, free=True)


def reps(repeats: int, *content: Part, between: Effort | None = None) -> Reps:
    return Reps(repeats, tuple(content), between)


def minutes_label(seconds: int) -> str:
    """ "45 s", "3 min", "1:30 min" — how interval lengths read in a title."""
    if seconds < 60:
        return f"{seconds} s"
    whole, rest = divmod(seconds, 60)
    return f"{whole} min" if rest == 0 else f"{whole}:{rest:02d} min"

"""The engine's fences around a model's workout, and around the week it lands in.

A document that passes the AWP validator is well formed; these checks decide whether it
is the *right* workout for its day (DESIGN.md principle 1: the engine enforces
physiology). Each failure is one sentence written to be fed back to the model:

- it fits the day's slot (a workout never exceeds its day's availability);
- its TSS is within ±15 % of the day's share of the week's target;
- its primary zone is one the block allows (BASE allows Z2–Z4, sweet spot included).

After a week's model workouts are in, the week itself must still land within ±10 % of
its TSS target (the plans issue's invariant) and, in POLARIZED plans, keep ≥ 75 % of its
riding in Z1–Z2 and ≤ 10 % in Z3.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wattz.awp.metrics import workout_metrics
from wattz.awp.models import Workout
from wattz.awp.zones import POWER_ZONES
from wattz.plan.domain import BlockType, PlannedSession, Role, Strategy, Venue, WeekPlan

DAY_TSS_TOLERANCE = 0.15
"""A model's workout may miss the day's share of the week's TSS by at most 15 %."""
WEEK_TSS_TOLERANCE = 0.10
"""A week lands within ±10 % of its target (the plans issue's invariant)."""
POLARIZED_EASY_SHARE = 0.75
POLARIZED_TEMPO_SHARE = 0.10
"""POLARIZED weeks: ≥ 75 % of riding time in Z1–Z2 and ≤ 10 % in Z3 (DESIGN.md)."""

ALLOWED_ZONES: Mapping[BlockType, tuple[int, int]] = {
    BlockType.PREP: (1, 3),
    BlockType.BASE: (2, 4),
    BlockType.BUILD: (3, 6),
    BlockType.PEAK: (3, 7),
    BlockType.RACE: (3, 7),
    BlockType.TRANSITION: (1, 2),
}
"""Primary zones a block's workouts may have: BASE builds aerobic power up to threshold
(sweet spot sits on the Z3/Z4 line); BUILD adds VO2max and anaerobic work; PEAK and the
taper keep race-specific efforts of any kind; PREP and TRANSITION stay easy."""

POLARIZED_BARRED_ZONE = 3
"""POLARIZED plans have no tempo days: their hard days are well above threshold."""


@dataclass(frozen=True)
class DayBrief:
    """One day the model is asked to write: its limits, and the library's choice for it."""

    date: dt.date
    week: WeekPlan
    block_type: BlockType
    role: Role
    slot_minutes: int
    venue: Venue
    share_tss: float
    """The day's share of the week's TSS target."""
    allowed_zones: tuple[int, ...]
    reference: PlannedSession
    """The built-in library's workout for the day: the fallback, and a sense of size."""

    @property
    def tss_range(self) -> tuple[float, float]:
        return (
            self.share_tss * (1 - DAY_TSS_TOLERANCE),
            self.share_tss * (1 + DAY_TSS_TOLERANCE),
        )

    @property
    def max_seconds(self) -> int:
        return self.slot_minutes * 60


def allowed_zones(block_type: BlockType, strategy: Strategy) -> tuple[int, ...]:
    """The primary zones a block of this type allows under a strategy."""
    low, high = ALLOWED_ZONES[block_type]
    zones = tuple(range(low, high + 1))
    if strategy is Strategy.POLARIZED:
        zones = tuple(zone for zone in zones if zone != POLARIZED_BARRED_ZONE)
    return zones


def zone_label(zones: Sequence[int]) -> str:
    """ "Z2–Z4 (endurance, tempo, threshold)" — how a zone range reads in a sentence."""
    names = ", ".join(POWER_ZONES[zone - 1].name.lower() for zone in zones)
    if len(zones) > 1 and list(zones) == list(range(zones[0], zones[-1] + 1)):
        return f"Z{zones[0]}–Z{zones[-1]} ({names})"
    return f"{', '.join(f'Z{zone}' for zone in zones)} ({names})"


def workout_findings(workout: Workout, day: DayBrief, block_name: str) -> list[str]:
    """What keeps a valid workout from its day: the slot, its TSS share, its zone."""
    metrics = workout_metrics(workout)
    findings: list[str] = []
    minutes = metrics.duration_s / 60
    if metrics.duration_s > day.max_seconds:
        findings.append(
            f"the workout lasts {minutes:.0f} min but {day.date:%A} has {day.slot_minutes} min; "
            f"make it at most {day.max_seconds} s in all"
        )
    low, high = day.tss_range
    if not low <= metrics.tss <= high:
        advice = (
            "shorten the hard parts or lower their power"
            if metrics.tss > high
            else "lengthen the hard parts or raise their power"
        )
        findings.append(
            f"its training load is TSS {metrics.tss:.0f} (IF {metrics.intensity_factor:.2f} "
            f"over {minutes:.0f} min) but the day needs TSS {low:.0f}–{high:.0f}; {advice}"
        )
    if metrics.primary_zone not in day.allowed_zones:
        zone = POWER_ZONES[metrics.primary_zone - 1]
        findings.append(
            f"its main work is in Z{zone.number} ({zone.name.lower()}); the {block_name} block "
            f"allows {zone_label(day.allowed_zones)}"
        )
    return findings


def week_tss(sessions: Sequence[PlannedSession]) -> float:
    return sum(session.tss for session in sessions)


def week_miss(sessions: Sequence[PlannedSession], target_tss: float) -> float:
    """How far a week's TSS is from its target, as a share of it (0.08 = 8 % off)."""
    if target_tss <= 0:
        return 0.0
    return abs(week_tss(sessions) - target_tss) / target_tss


def polarized_miss(sessions: Sequence[PlannedSession]) -> float:
    """How far a week is from the POLARIZED distribution (0 when it keeps it)."""
    zones = [0.0] * len(POWER_ZONES)
    for session in sessions:
        for index, seconds in enumerate(workout_metrics(session.workout).zone_seconds):
            zones[index] += seconds
    total = sum(zones)
    if total <= 0:
        return 0.0
    easy = (zones[0] + zones[1]) / total
    tempo = zones[2] / total
    return max(POLARIZED_EASY_SHARE - easy, 0.0) + max(tempo - POLARIZED_TEMPO_SHARE, 0.0)


def week_findings(
    sessions: Sequence[PlannedSession],
    library_week: Sequence[PlannedSession],
    target_tss: float,
    strategy: Strategy,
) -> list[str]:
    """Why a week with model workouts breaks the plan's rules, if it does.

    A rule the library's own week already misses (a slot too short for the target, say)
    only asks the model's week to miss it by no more.
    """
    findings: list[str] = []
    miss = week_miss(sessions, target_tss)
    if miss > max(WEEK_TSS_TOLERANCE, week_miss(library_week, target_tss) + 1e-9):
        findings.append(
            f"the week would carry TSS {week_tss(sessions):.0f} against a target of "
            f"{target_tss:.0f} ({miss:.0%} off; at most {WEEK_TSS_TOLERANCE:.0%})"
        )
    if strategy is Strategy.POLARIZED:
        excess = polarized_miss(sessions)
        if excess > polarized_miss(library_week) + 1e-9:
            findings.append(
                "the week would no longer be polarized (≥ 75 % of riding in Z1–Z2, ≤ 10 % in Z3)"
            )
    return findings

"""The season: the skeleton with a workout on every riding day (pure).

Composition, block by block and week by week: the skeleton (``wattz.plan.skeleton``)
lays out the blocks and the rules; placement (``wattz.plan.placement``) fills each week
with built-in workouts. Targets are re-derived from what is *placed*, not from the
skeleton's projection: each week's target follows from the CTL and ATL the placed
workouts before it leave, and every rule — the ramp, the recovery share, event-day
form — is checked on the placed week, with a corrected target when it misses. So the
invariants hold for the workouts the athlete will ride, and the fitness figures are
those of their TSS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from wattz.plan.course import CourseDemands
from wattz.plan.domain import (
    Availability,
    BlockPlan,
    BlockType,
    Event,
    PlannedSession,
    Rhythm,
    Strategy,
    WeekPlan,
)
from wattz.plan.fitness import FitnessDay, daily_totals
from wattz.plan.library_parts import Specialty
from wattz.plan.placement import last_key_day, place_week, week_level
from wattz.plan.skeleton import (
    Form,
    PlanSettings,
    Skeleton,
    assess_feasibility,
    build_skeleton,
    crowding_cause,
    misses_event_day,
    races_crowding_the_taper,
    realize,
)

__all__ = ["Season", "build_season"]

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Season:
    """A whole season: blocks and weeks with their final targets, the placed workouts,
    and the fitness those workouts project."""

    skeleton: Skeleton
    blocks: tuple[BlockPlan, ...]
    sessions: tuple[PlannedSession, ...]
    """Every placed workout, in date order."""
    projection: tuple[FitnessDay, ...]
    """CTL/ATL/TSB from the start to the event day (and any transition weeks), from the
    sessions' TSS and the B/C races' expected TSS on their days."""
    event_day: Form
    """Form on the morning of the A event."""
    peak_ctl: float
    """Highest projected CTL from the start to the eve of the event."""
    feasibility: str | None
    """The feasibility line, when the hours or the taper fall short of the rules."""

    @property
    def settings(self) -> PlanSettings:
        return self.skeleton.settings

    @property
    def weeks(self) -> tuple[WeekPlan, ...]:
        return tuple(week for block in self.blocks for week in block.weeks)

    @property
    def ramp(self) -> float:
        """The chosen ramp, CTL/week."""
        return self.settings.ramp

    @property
    def start_ctl(self) -> float:
        return self.settings.start_ctl

    @property
    def availability(self) -> Availability:
        """The grid workouts were placed on: zero before the start and on event days."""
        return self.skeleton.availability

    def sessions_in(self, week: WeekPlan) -> tuple[PlannedSession, ...]:
        end = week.start + 6 * _DAY
        return tuple(s for s in self.sessions if week.start <= s.date <= end)


def build_season(
    *,
    start: dt.date,
    event: Event,
    availability: Availability,
    today: dt.date,
    strategy: Strategy = Strategy.LINEAR,
    rhythm: Rhythm = Rhythm.THREE_ONE,
    ramp: float | None = None,
    start_ctl: float | None = None,
    start_atl: float | None = None,
    other_events: Sequence[Event] = (),
    transition_weeks: int = 0,
    course: CourseDemands | None = None,
) -> Season:
    """The season from ``start`` to the A event: skeleton, then placement week by week.

    Arguments as ``wattz.plan.skeleton.build_skeleton`` (which raises InvalidValue for
    bad input). ``course`` (the event's course demands) sets the specialty block's
    focus and the terrain its key workouts are chosen for. Pure and deterministic: the
    same arguments give the same season.
    """

    def skeleton_with(events: Sequence[Event]) -> Skeleton:
        return build_skeleton(
            start=start,
            event=event,
            availability=availability,
            today=today,
            strategy=strategy,
            rhythm=rhythm,
            ramp=ramp,
            start_ctl=start_ctl,
            start_atl=start_atl,
            other_events=events,
            transition_weeks=transition_weeks,
            specialty_focus=course.focus if course is not None else None,
        )

    def season_with(events: Sequence[Event]) -> Season:
        return _placed(skeleton_with(events), availability, course)

    season = season_with(other_events)
    cause = _miss_cause(season, season_with)
    if cause is None:
        return season
    return replace(season, feasibility=_feasibility_line(season, availability, cause))


def _placed(skeleton: Skeleton, availability: Availability, course: CourseDemands | None) -> Season:
    """The skeleton's weeks placed on the grid, and the feasibility of what was placed."""
    placer = _Placer(skeleton, terrain=course.terrain if course is not None else None)
    realization = realize(skeleton, placer)
    sessions = tuple(s for week in realization.weeks for s in placer.kept.get(week.start, ()))
    season = Season(
        skeleton=skeleton,
        blocks=realization.blocks,
        sessions=sessions,
        projection=realization.projection,
        event_day=realization.event_day,
        peak_ctl=realization.peak_ctl,
        feasibility=None,
    )
    return replace(season, feasibility=_feasibility_line(season, availability))


def _feasibility_line(
    season: Season, availability: Availability, miss_cause: str | None = None
) -> str | None:
    return assess_feasibility(
        season.skeleton.settings,
        availability,
        season.event_day,
        season.peak_ctl,
        season.skeleton.feasibility.uncapped_ctl,
        miss_cause,
    ).line


def _miss_cause(season: Season, season_with: Callable[[list[Event]], Season]) -> str | None:
    """When event-day form misses and B/C races sit close before the event: the season
    built again without them tells whether they, and not the hours, cost the taper its aim."""
    settings = season.skeleton.settings
    crowding = races_crowding_the_taper(settings, season.event_day, season.peak_ctl)
    if not crowding:
        return None
    without = season_with([e for e in settings.events if e not in crowding])
    if misses_event_day(without.skeleton.settings, without.event_day, without.peak_ctl):
        return None
    return crowding_cause(crowding, settings.target)


@dataclass
class _Placer:
    """Places each week the skeleton's engine asks for, and remembers the kept ones."""

    skeleton: Skeleton
    terrain: Specialty | None = None
    """Climbing or flat: what the course asks of PEAK and taper key sessions."""
    blocks: dict[dt.date, tuple[BlockPlan, int]] = field(default_factory=dict)
    """Week start → the block placement sees, and how many blocks of its type came before."""
    attempts: dict[tuple[dt.date, int], tuple[PlannedSession, ...]] = field(default_factory=dict)
    kept: dict[dt.date, tuple[PlannedSession, ...]] = field(default_factory=dict)
    last_key: dt.date | None = None

    def __post_init__(self) -> None:
        seen: dict[BlockType, int] = {}
        for spec in self.skeleton.layout:
            block = BlockPlan(
                order=spec.order,
                name=spec.name,
                type=spec.type,
                focus=spec.focus,
                start=spec.weeks[0].start,
                weeks=(),
                recovery_week_index=None,
                progression=spec.progression,
            )
            earlier = seen.get(spec.type, 0)
            seen[spec.type] = earlier + 1
            for week in spec.weeks:
                self.blocks[week.start] = (block, earlier)

    def realize(self, week: WeekPlan) -> Mapping[dt.date, float]:
        settings = self.skeleton.settings
        block, earlier = self.blocks[week.start]
        days = [
            day
            for day in (week.start + offset * _DAY for offset in range(7))
            if day >= settings.start
        ]
        after = days[-1] + _DAY
        events = [e for e in (*settings.events, settings.target) if days[0] <= e.date <= after]
        sessions = tuple(
            place_week(
                week,
                block,
                self.skeleton.availability,
                days,
                settings.strategy,
                events,
                previous_key_day=self.last_key,
                level=week_level(block, week, earlier_blocks=earlier),
                terrain=self.terrain,
            )
        )
        self.attempts[(week.start, week.tss_target)] = sessions
        return daily_totals((s.date, s.tss) for s in sessions)

    def keep(self, week: WeekPlan) -> None:
        sessions = self.attempts.get((week.start, week.tss_target), ())
        self.kept[week.start] = sessions
        self.last_key = last_key_day(sessions) or self.last_key
        self.attempts = {key: value for key, value in self.attempts.items() if key[0] != week.start}

"""The plan as the adaptation rules see it: plain frozen values, no store rows.

The audit service turns the stored plan into a ``PlanState``; the rules return
``ProposedChange`` values (``wattz.adapt.proposal``) that ``PlanState.apply`` folds in, so
each rule of a night sees the plan the rules before it left. Workouts a proposal creates
carry negative ids until the store gives them real ones.

Which days belong to a sickness and the graduated return after it (``recovery``) is
not stored with the plan: wellness's sick and injured days are the record, and the
audit derives the days from them every night (``wattz.adapt.deload.recovery_days``),
so undoing a deload or recording another sick day never leaves a stale copy behind.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, TypeVar

from wattz.awp.metrics import workout_metrics
from wattz.awp.models import Workout
from wattz.plan.domain import (
    Availability,
    BlockFocus,
    BlockType,
    Event,
    PlannedSession,
    Reason,
    Rhythm,
    Role,
    Source,
    Status,
    Strategy,
    Venue,
)

DAY = dt.timedelta(days=1)
LIVE = frozenset(status for status in Status if status.is_live)
OPEN = frozenset({Status.PENDING, Status.MOVED})


class JsonDocument(Mapping[str, Any]):
    """A JSON object kept as its text until something looks inside it.

    The audit reads every workout's AWP document with the plan, but the rules look inside
    only the few a night transforms: decoding them all was a tenth of an athlete's audit.
    Equal to any mapping with the same content (to a plain ``dict`` too).
    """

    __slots__ = ("_data", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._data: dict[str, Any] | None = None

    @property
    def data(self) -> dict[str, Any]:
        """The decoded object (decoded once)."""
        if self._data is None:
            self._data = json.loads(self._text)
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, JsonDocument) and other._text == self._text:
            return True
        return isinstance(other, Mapping) and self.data == dict(other.items())

    __hash__ = None  # type: ignore[assignment]  # as a dict's: its content is not frozen

    def __repr__(self) -> str:
        return repr(self.data)


@dataclass(frozen=True)
class WorkoutState:
    """One planned workout with the metric columns the store keeps beside its AWP."""

    id: int
    date: dt.date
    week_id: int
    title: str
    role: Role
    status: Status
    duration_s: int
    tss: float
    intensity_factor: float
    primary_zone: int
    awp: Mapping[str, Any]
    """The AWP 1.0 document as JSON data (wire keys); from the store, a ``JsonDocument``."""
    description: str | None = None
    source: Source = Source.BUILTIN
    library_id: str | None = None
    level: int | None = None
    venue: Venue = "any"
    forced: bool = False
    skip_reason: Reason | None = None
    audited: bool = False

    @classmethod
    def from_session(cls, session: PlannedSession, workout_id: int, week_id: int) -> WorkoutState:
        """A freshly placed session as a pending workout of the plan."""
        return cls(
            id=workout_id,
            date=session.date,
            week_id=week_id,
            title=session.workout.meta.title,
            role=session.role,
            status=Status.PENDING,
            duration_s=session.duration_s,
            tss=session.tss,
            intensity_factor=session.intensity_factor,
            primary_zone=session.primary_zone,
            awp=session.workout.to_json_dict(),
            description=session.workout.meta.description,
            source=session.source,
            library_id=session.library_id,
            level=session.level,
            venue=session.venue,
        )

    @cached_property
    def workout(self) -> Workout:
        """The parsed document (parsed once, on first use: most rules never need it)."""
        return Workout.model_validate(dict(self.awp))

    @property
    def is_live(self) -> bool:
        return self.status in LIVE

    @property
    def is_key(self) -> bool:
        return self.role is Role.KEY

    @property
    def is_open(self) -> bool:
        """Still to be ridden: the rules may change it."""
        return self.status in OPEN

    def with_workout(self, workout: Workout, **changes: Any) -> WorkoutState:
        """This workout with another document, its metric columns recomputed from it."""
        metrics = workout_metrics(workout)
        document = workout.to_json_dict()
        fields: dict[str, Any] = {
            "awp": document,
            "title": workout.meta.title,
            "description": workout.meta.description,
            "duration_s": metrics.duration_s,
            "tss": round(metrics.tss, 1),
            "intensity_factor": round(metrics.intensity_factor, 3),
            "primary_zone": metrics.primary_zone,
        }
        fields.update(changes)
        return replace(self, **fields)


@dataclass(frozen=True)
class WeekState:
    """One microcycle's targets and place in the rhythm."""

    id: int
    block_id: int
    start: dt.date
    number: int
    is_recovery: bool
    is_taper: bool
    tss_target: int
    volume_target_minutes: int
    focus: BlockFocus | None
    loading_index: int

    @property
    def end(self) -> dt.date:
        return self.start + 6 * DAY

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class BlockState:
    """One mesocycle."""

    id: int
    order: int
    name: str
    type: BlockType
    focus: BlockFocus
    start: dt.date
    duration_weeks: int
    recovery_week_index: int | None
    progression: str | None


@dataclass(frozen=True)
class PlanState:
    """The whole plan: settings, blocks, weeks and every workout (any status)."""

    id: int
    start: dt.date
    target: Event
    """The A event the plan aims at; its day is not a workout."""
    strategy: Strategy
    rhythm: Rhythm
    ramp: float
    start_ctl: float
    availability: Availability
    """The athlete's grid as it is now (weekly slots and dated overrides)."""
    blocks: tuple[BlockState, ...]
    weeks: tuple[WeekState, ...]
    workouts: tuple[WorkoutState, ...]
    other_events: tuple[Event, ...] = ()
    """B and C events inside the plan's range."""
    recovery: Mapping[dt.date, int] = field(default_factory=dict)
    """Days the athlete is unwell or on the graduated return after it, with the minutes
    of easy riding each allows (0: none). The return prescribes these days, so no rule
    and no re-projection puts other work on them (see the module docstring)."""
    _by_week: dict[int, tuple[WorkoutState, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Figures derived from this (immutable) plan, computed once: its daily TSS, fitness."""

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.workouts, key=lambda w: (w.date, w.id < 0, abs(w.id))))
        object.__setattr__(self, "workouts", ordered)
        object.__setattr__(self, "weeks", tuple(sorted(self.weeks, key=lambda w: w.start)))
        object.__setattr__(self, "blocks", tuple(sorted(self.blocks, key=lambda b: b.order)))
        by_week: dict[int, list[WorkoutState]] = {}
        for workout in ordered:
            by_week.setdefault(workout.week_id, []).append(workout)
        object.__setattr__(self, "_by_week", {k: tuple(v) for k, v in by_week.items()})
        object.__setattr__(self, "memo", {})

    # --- looking things up ------------------------------------------------------------

    @property
    def end(self) -> dt.date:
        return self.weeks[-1].end if self.weeks else self.target.date

    def week_of(self, day: dt.date) -> WeekState | None:
        for week in self.weeks:
            if week.holds(day):
                return week
        return None

    def week(self, week_id: int) -> WeekState:
        for week in self.weeks:
            if week.id == week_id:
                return week
        raise KeyError(week_id)

    def block(self, block_id: int) -> BlockState:
        for block in self.blocks:
            if block.id == block_id:
                return block
        raise KeyError(block_id)

    def block_of_week(self, week: WeekState) -> BlockState:
        return self.block(week.block_id)

    def workout(self, workout_id: int) -> WorkoutState:
        for workout in self.workouts:
            if workout.id == workout_id:
                return workout
        raise KeyError(workout_id)

    def workouts_of(self, week: WeekState) -> tuple[WorkoutState, ...]:
        return self._by_week.get(week.id, ())

    def live_on(self, day: dt.date) -> tuple[WorkoutState, ...]:
        return tuple(w for w in self.workouts if w.date == day and w.is_live)

    def live_between(self, first: dt.date, last: dt.date) -> Iterator[WorkoutState]:
        return (w for w in self.workouts if first <= w.date <= last and w.is_live)

    def live_tss(self, week: WeekState) -> float:
        """What the week's live workouts carry (DESIGN.md: invariants count only these)."""
        return sum(w.tss for w in self._by_week.get(week.id, ()) if w.status in LIVE)

    def holds_race(self, week: WeekState) -> bool:
        """Whether a B or C race falls in ``week`` (its load is the race's, not a workout's)."""
        last = week.start + dt.timedelta(days=6)
        return any(week.start <= race.date <= last for race in self.other_events)

    def is_recovering(self, day: dt.date) -> bool:
        """Whether ``day`` belongs to a sickness or the graduated return after it."""
        return day in self.recovery

    def is_key_day(self, day: dt.date, *, ignoring: Iterable[int] = ()) -> bool:
        skip = set(ignoring)
        return any(w.is_key and w.id not in skip for w in self.live_on(day))

    def daily_tss(self) -> Mapping[dt.date, float]:
        """Planned TSS per day over live workouts and B/C races: the plan's own projection."""
        cached: Mapping[dt.date, float] | None = self.memo.get("daily_tss")
        if cached is not None:
            return cached
        totals: dict[dt.date, float] = {}
        for workout in self.workouts:
            if workout.status in LIVE:
                totals[workout.date] = totals.get(workout.date, 0.0) + workout.tss
        for race in self.other_events:
            # A B or C race is load the engine projected on its day (Event.expected_tss):
            # the audit's projection must see the season the engine planned.
            totals[race.date] = totals.get(race.date, 0.0) + race.expected_tss
        self.memo["daily_tss"] = totals
        return totals

    @property
    def events(self) -> tuple[Event, ...]:
        return (*self.other_events, self.target)

    def next_temp_id(self) -> int:
        """A fresh negative id for a workout or block a proposal creates."""
        lowest = min(
            (item for item in (*(w.id for w in self.workouts), *(b.id for b in self.blocks))),
            default=0,
        )
        return min(lowest, 0) - 1

    # --- folding a change in ----------------------------------------------------------

    def with_items(
        self,
        workouts: Sequence[WorkoutState] = (),
        weeks: Sequence[WeekState] = (),
        blocks: Sequence[BlockState] = (),
        removed_workouts: Iterable[int] = (),
        removed_blocks: Iterable[int] = (),
        availability: Availability | None = None,
    ) -> PlanState:
        """The plan with these items replaced (matched by id), added (new ids) or removed."""
        gone_workouts = set(removed_workouts)
        gone_blocks = set(removed_blocks)
        return replace(
            self,
            workouts=_merged(self.workouts, workouts, gone_workouts),
            weeks=_merged(self.weeks, weeks, set()),
            blocks=_merged(self.blocks, blocks, gone_blocks),
            availability=availability or self.availability,
        )


_Item = TypeVar("_Item", WorkoutState, WeekState, BlockState)
_Dated = TypeVar("_Dated", "RideState", "WellnessDay")


def _merged(
    current: Sequence[_Item], updates: Sequence[_Item], removed: set[int]
) -> tuple[_Item, ...]:
    by_id = {item.id: item for item in current if item.id not in removed}
    for item in updates:
        by_id[item.id] = item
    return tuple(by_id.values())


@dataclass(frozen=True)
class RideState:
    """A ride as the rules see it: its day, load and survey, and what it matched."""

    id: int
    date: dt.date
    duration_s: int
    tss: float | None
    intensity_factor: float | None
    is_bike: bool = True
    planned_workout_id: int | None = None
    compliance: float | None = None
    duration_ratio: float | None = None
    """Moving time / planned duration, from the compliance detail."""
    interval_score: float | None = None
    rpe: int | None = None
    reason: Reason | None = None


@dataclass(frozen=True)
class WellnessDay:
    """One morning: HRV (rMSSD, ms) and whether the athlete was sick or injured."""

    date: dt.date
    hrv_ms: float | None = None
    sick: bool = False
    injured: bool = False

    @property
    def unwell(self) -> bool:
        return self.sick or self.injured


def days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Every day from ``first`` to ``last`` inclusive."""
    day = first
    while day <= last:
        yield day
        day += DAY


def by_date(items: Iterable[_Dated]) -> Mapping[dt.date, list[_Dated]]:
    grouped: dict[dt.date, list[_Dated]] = {}
    for item in items:
        grouped.setdefault(item.date, []).append(item)
    return grouped

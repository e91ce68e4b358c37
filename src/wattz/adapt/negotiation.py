"""Impact analysis for a moved workout (blueprint §5.1): what a move would break, and
the ways out — scale it down, swap with that day's workout, or force it.

The conflicts are the plan's own rules: a workout no longer than its day's
availability, no key days side by side, no key workout in a recovery (or taper) week,
nothing on an event day. The audit's reschedule rule uses ``is_legal_slot`` with the
same rules, so the athlete and the engine negotiate by one set of terms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from wattz.adapt.plan_state import DAY, PlanState, WeekState, WorkoutState
from wattz.adapt.proposal import Action, ProposedChange, Trigger
from wattz.adapt.replan import retargeted
from wattz.awp.transforms import scale_to_duration, shortest_duration_s
from wattz.errors import WattzError
from wattz.plan.domain import BlockType, Status, Strategy
from wattz.plan.skeleton import MINI_TAPER_DAYS, OPENER_DAYS

POLARIZED_HARD_DAYS = 2
POLARIZED_HARD_DAYS_AT_8H = 3
POLARIZED_MORE_HOURS = 8.0
"""POLARIZED: at most two hard days a week, three from 8 h a week (DESIGN.md)."""


class ConflictKind(StrEnum):
    PAST = "past"
    OUTSIDE_PLAN = "outside-plan"
    EVENT_DAY = "event-day"
    TOO_LONG = "too-long"
    KEY_SIDE_BY_SIDE = "key-side-by-side"
    RECOVERY_WEEK = "recovery-week"
    TAPER_WEEK = "taper-week"
    HARD_DAYS = "hard-days"
    OCCUPIED = "occupied"


class Resolution(StrEnum):
    """The athlete's answer to a conflict (``--scale-down | --swap | --force``)."""

    SCALE_DOWN = "scale-down"
    SWAP = "swap"
    FORCE = "force"


UNFORCEABLE = frozenset({ConflictKind.PAST, ConflictKind.OUTSIDE_PLAN, ConflictKind.EVENT_DAY})
"""Conflicts not even --force overrides: the past, days outside the plan, the event."""


@dataclass(frozen=True)
class MoveConflict:
    kind: ConflictKind
    message: str


@dataclass(frozen=True)
class MoveImpact:
    """What moving ``workout`` to ``day`` would do, and which answers resolve it."""

    workout: WorkoutState
    day: dt.date
    conflicts: tuple[MoveConflict, ...]
    occupant: WorkoutState | None
    """The live workout already on ``day`` (a swap trades places with it)."""
    options: tuple[Resolution, ...]
    """The answers that leave no conflict (force is offered whenever it may be used)."""
    scaled_minutes: int | None = None
    """The length a scale-down would give it."""

    @property
    def ok(self) -> bool:
        return not self.conflicts


def light_days(plan: PlanState) -> frozenset[dt.date]:
    """Days kept light: the mini-taper before B/C events and the A event's openers."""
    days: set[dt.date] = set()
    for event in plan.other_events:
        days.update(event.date - k * DAY for k in range(1, MINI_TAPER_DAYS[event.priority] + 1))
    days.update(plan.target.date - k * DAY for k in range(1, OPENER_DAYS + 1))
    return frozenset(days)


def slot_conflicts(
    plan: PlanState,
    workout: WorkoutState,
    day: dt.date,
    today: dt.date,
    *,
    ignoring: Collection[int] = (),
    duration_s: int | None = None,
) -> list[MoveConflict]:
    """What putting ``workout`` on ``day`` would break (the day's own workouts aside).

    ``ignoring`` lists workouts to leave out of the key-day check (the one moving and
    any that moves with it in a swap).
    """
    conflicts: list[MoveConflict] = []
    label = day.strftime("%a %d %b")
    if day < today:
        conflicts.append(MoveConflict(ConflictKind.PAST, f"{label} is in the past"))
    week = plan.week_of(day)
    if week is None or day < plan.start or day >= plan.target.date:
        conflicts.append(MoveConflict(ConflictKind.OUTSIDE_PLAN, f"{label} is outside the plan"))
        return conflicts
    if any(event.date == day for event in plan.events):
        conflicts.append(MoveConflict(ConflictKind.EVENT_DAY, f"{label} is an event day"))
    slot = plan.availability.slot_on(day)
    length_s = workout.duration_s if duration_s is None else duration_s
    if length_s > slot.minutes * 60:
        conflicts.append(
            MoveConflict(
                ConflictKind.TOO_LONG,
                f"{workout.title!r} lasts {_clock(length_s)} but you have "
                f"{_clock(slot.minutes * 60)} on {day.strftime('%A')}s"
                if day not in plan.availability.overrides
                else f"{workout.title!r} lasts {_clock(length_s)} but you have "
                f"{_clock(slot.minutes * 60)} on {label}",
            )
        )
    if workout.is_key:
        skip = {workout.id, *ignoring}
        for neighbour in (day - DAY, day + DAY):
            if plan.is_key_day(neighbour, ignoring=skip):
                conflicts.append(
                    MoveConflict(
                        ConflictKind.KEY_SIDE_BY_SIDE,
                        f"{neighbour.strftime('%a %d %b')} is a key day: two key days "
                        "would sit side by side",
                    )
                )
                break
        if week.is_recovery:
            conflicts.append(
                MoveConflict(
                    ConflictKind.RECOVERY_WEEK,
                    f"the week of {week.start.strftime('%d %b')} is a recovery week",
                )
            )
        elif week.is_taper:
            conflicts.append(
                MoveConflict(
                    ConflictKind.TAPER_WEEK,
                    f"the week of {week.start.strftime('%d %b')} is the taper",
                )
            )
        if _over_hard_budget(plan, week, workout, skip):
            conflicts.append(
                MoveConflict(
                    ConflictKind.HARD_DAYS,
                    "a POLARIZED week keeps to its hard days; this would add one",
                )
            )
    return conflicts


def is_legal_slot(
    plan: PlanState, workout: WorkoutState, day: dt.date, today: dt.date, *, keep_light: bool
) -> bool:
    """Whether the audit may reschedule ``workout`` to ``day``: no conflict, not a day
    of a sickness or the graduated return after it, no key work on the days kept light
    before an event, and no key workout there already."""
    if plan.is_recovering(day) or slot_conflicts(plan, workout, day, today):
        return False
    if keep_light and workout.is_key and day in light_days(plan):
        return False
    block_type = _block_type(plan, day)
    if workout.is_key and block_type in (BlockType.PREP, BlockType.TRANSITION):
        return False
    return not plan.is_key_day(day, ignoring={workout.id})


def analyze_move(plan: PlanState, workout_id: int, day: dt.date, today: dt.date) -> MoveImpact:
    """The impact of moving one workout to ``day``: conflicts and the answers that
    resolve them."""
    workout = plan.workout(workout_id)
    occupant = next((w for w in plan.live_on(day) if w.id != workout.id and w.is_open), None)
    conflicts = slot_conflicts(plan, workout, day, today)
    if occupant is not None:
        conflicts.append(
            MoveConflict(
                ConflictKind.OCCUPIED,
                f"{day.strftime('%a %d %b')} already holds {occupant.title!r}",
            )
        )
    options: list[Resolution] = []
    scaled: int | None = None
    if conflicts:
        blocking = {c.kind for c in conflicts}
        slot_s = plan.availability.slot_on(day).minutes * 60
        if blocking == {ConflictKind.TOO_LONG} and slot_s > 0:
            try:
                if shortest_duration_s(workout.workout) <= slot_s:
                    options.append(Resolution.SCALE_DOWN)
                    scaled = slot_s // 60
            except WattzError:
                pass
        if occupant is not None and not _swap_conflicts(plan, workout, occupant, today):
            options.append(Resolution.SWAP)
        if not blocking & UNFORCEABLE:
            options.append(Resolution.FORCE)
    return MoveImpact(workout, day, tuple(conflicts), occupant, tuple(options), scaled)


def move_change(plan: PlanState, impact: MoveImpact, answer: Resolution | None) -> ProposedChange:
    """The change that makes the move with ``answer`` (None when there is no conflict).

    Raises ValueError when the answer does not resolve the conflicts; the service turns
    that into a message that lists the answers that do.
    """
    workout, day = impact.workout, impact.day
    if impact.conflicts and (answer is None or answer not in impact.options):
        raise ValueError("the answer does not resolve the move's conflicts")
    week = plan.week_of(day)
    assert week is not None
    label = f"{workout.title!r} from {_day(workout.date)} to {_day(day)}"
    moved = replace(workout, date=day, week_id=week.id, status=Status.MOVED)
    changed: list[WorkoutState] = []
    if answer is Resolution.SCALE_DOWN:
        slot_s = plan.availability.slot_on(day).minutes * 60
        document = scale_to_duration(workout.workout, slot_s)
        moved = moved.with_workout(document, title=workout.title)
        action, reason = (
            Action.SCALE_DOWN,
            (
                f"moved {label}, scaled down to {_clock(moved.duration_s)} to fit the day "
                "(intervals kept, endurance and recoveries cut)"
            ),
        )
    elif answer is Resolution.SWAP:
        assert impact.occupant is not None
        other = impact.occupant
        source_week = plan.week(workout.week_id)
        changed.append(
            replace(other, date=workout.date, week_id=source_week.id, status=Status.MOVED)
        )
        action, reason = (
            Action.SWAP,
            (
                f"swapped {workout.title!r} ({_day(workout.date)}) with {other.title!r} "
                f"({_day(day)})"
            ),
        )
    elif answer is Resolution.FORCE:
        moved = replace(moved, forced=True)
        conflicts = "; ".join(c.message for c in impact.conflicts)
        action, reason = Action.FORCE, f"moved {label}, forced by the athlete over: {conflicts}"
    else:
        action, reason = Action.MOVE, f"moved {label}"
    changed.insert(0, moved)
    after = plan.with_items(changed)
    weeks = _retarget({workout.week_id, week.id}, after)
    if weeks:
        reason += "; " + ", ".join(
            f"week of {_day(w.start)} target {plan.week(w.id).tss_target} → {w.tss_target} TSS"
            for w in weeks
        )
    return ProposedChange(Trigger.USER_MOVE, action, reason, tuple(changed), weeks)


def _retarget(week_ids: Iterable[int], plan: PlanState) -> tuple[WeekState, ...]:
    result: list[WeekState] = []
    for week_id in sorted(set(week_ids)):
        week = plan.week(week_id)
        new = retargeted(plan, week)
        if new != week:
            result.append(new)
    return tuple(result)


def _swap_conflicts(
    plan: PlanState, workout: WorkoutState, occupant: WorkoutState, today: dt.date
) -> list[MoveConflict]:
    swapped = plan.with_items(
        [replace(workout, date=occupant.date), replace(occupant, date=workout.date)]
    )
    there = slot_conflicts(swapped, workout, occupant.date, today)
    back = slot_conflicts(swapped, occupant, workout.date, today)
    return there + back


def _over_hard_budget(
    plan: PlanState, week: WeekState, workout: WorkoutState, skip: Collection[int]
) -> bool:
    if plan.strategy is not Strategy.POLARIZED or workout.week_id == week.id:
        return False
    hours = plan.availability.weekly_minutes / 60
    budget = POLARIZED_HARD_DAYS_AT_8H if hours >= POLARIZED_MORE_HOURS else POLARIZED_HARD_DAYS
    hard = {w.date for w in plan.workouts_of(week) if w.is_live and w.is_key and w.id not in skip}
    return len(hard) + 1 > budget


def _block_type(plan: PlanState, day: dt.date) -> BlockType | None:
    week = plan.week_of(day)
    return None if week is None else plan.block_of_week(week).type


def _clock(seconds: int) -> str:
    hours, rest = divmod(round(seconds / 60), 60)
    return f"{hours}:{rest:02d} h" if hours else f"{rest} min"


def _day(day: dt.date) -> str:
    return day.strftime("%a %d %b")

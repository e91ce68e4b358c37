"""Sick or injured: deload as DESIGN.md's rules say, then re-plan the rest of the season.

For a spell of ``n`` unwell days (from wellness, ``wattz sick``, or a workout skipped
as sick or injured):

- the workouts still to come on unwell days are cancelled;
- then ``max(3, n)`` easy or rest days: the first is rest, the second a short recovery
  spin (no intensity until two symptom-free days), the rest easy Z2 rides whose length
  grows day by day — a graduated return;
- key work resumes a level lower for a week;
- the weeks touched get their TSS targets rewritten to what they now carry;
- when the spell cost a loading week enough of its load to stand as a recovery week
  (under 65 % of the week before), it becomes the block's recovery week: the block ends
  there, and the rhythm of the weeks up to the taper is laid out again (at most 3 — or
  2 — loading weeks before each recovery week, counted back from the taper), the blocks
  regrouped around it; BASE or BUILD weeks give way, the taper never does;
- the rest of the season is re-projected by the plans engine (``wattz.adapt.replan``)
  so the event date holds, the ramp is never exceeded and event-day form is aimed at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from wattz.adapt.adjust import REGRESS_FATIGUE_PERCENT, easy_ride, regressed
from wattz.adapt.plan_state import DAY, BlockState, PlanState, WeekState, WorkoutState
from wattz.adapt.proposal import Action, ProposedChange, Trigger
from wattz.adapt.replan import reproject, retargeted, week_kind
from wattz.plan.domain import BlockFocus, BlockType, Role, Status
from wattz.plan.skeleton import WeekKind

MIN_EASY_DAYS = 3
"""Easy or rest days after a sickness: max(3, days sick) (DESIGN.md)."""
SYMPTOM_FREE_DAYS = 2
"""No intensity until two symptom-free days (DESIGN.md)."""
RETURN_FIRST_MINUTES = 45
RETURN_STEP_MINUTES = 15
RETURN_MAX_MINUTES = 90
"""A graduated return: 45 minutes on the first ride, 15 more each day, 90 at most."""
LEVEL_DOWN_DAYS = 7
"""Key work resumes a level lower for a week after the easy days."""
RECOVERY_SHARE_MAX = 0.65
"""A week carrying at most 65 % of the week before can stand as its recovery week."""
RETURN_NOTES = ("Back from being unwell", "Easing back after being unwell")
"""What a ride of the graduated return tells the athlete (its description)."""


@dataclass(frozen=True)
class Deload:
    """A sick spell's change, and the plan after it."""

    change: ProposedChange
    plan: PlanState


def return_end(unwell: Sequence[dt.date]) -> dt.date:
    """The last of the easy or rest days after a spell of unwell days."""
    return unwell[-1] + max(MIN_EASY_DAYS, len(unwell)) * DAY


def return_minutes(day_back: int) -> int:
    """The most riding the ``day_back``-th day after a spell allows (1-based; 0: rest):
    rest, a recovery spin, then easy rides growing by ``RETURN_STEP_MINUTES`` a day."""
    if day_back <= 1:
        return 0
    if day_back <= SYMPTOM_FREE_DAYS:
        return RETURN_FIRST_MINUTES
    return min(
        RETURN_MAX_MINUTES,
        RETURN_FIRST_MINUTES + RETURN_STEP_MINUTES * (day_back - SYMPTOM_FREE_DAYS),
    )


def recovery_days(spells: Iterable[Sequence[dt.date]]) -> dict[dt.date, int]:
    """Every unwell day (0 minutes) and every day of the graduated return after each
    spell (``return_minutes``): ``PlanState.recovery``. Where spells overlap, the
    stricter day wins."""
    days: dict[dt.date, int] = {}
    for spell in spells:
        allowed = dict.fromkeys(spell, 0)
        last = spell[-1]
        for back in range(1, (return_end(spell) - last).days + 1):
            allowed[last + back * DAY] = return_minutes(back)
        for day, minutes in allowed.items():
            days[day] = min(minutes, days.get(day, minutes))
    return days


def with_recovery(plan: PlanState, spells: Iterable[Sequence[dt.date]]) -> PlanState:
    """The plan knowing which days the sick spells and their returns take."""
    return replace(plan, recovery=recovery_days(spells))


def spells(unwell: Iterable[dt.date]) -> list[list[dt.date]]:
    """Unwell days grouped into spells of consecutive days, in order."""
    grouped: list[list[dt.date]] = []
    for day in sorted(set(unwell)):
        if grouped and (day - grouped[-1][-1]).days == 1:
            grouped[-1].append(day)
        else:
            grouped.append([day])
    return grouped


def unwell_weeks(plan: PlanState, spells: Iterable[Sequence[dt.date]]) -> set[dt.date]:
    """Starts of the weeks a spell or its easy days touch: weeks the athlete did not
    choose their load in (``wattz.adapt.invariants`` exempts them from the recovery
    share)."""
    starts: set[dt.date] = set()
    for spell in spells:
        first, last = spell[0], return_end(spell)
        starts.update(w.start for w in plan.weeks if w.start <= last and w.end >= first)
    return starts


def deload(
    plan: PlanState,
    unwell: Sequence[dt.date],
    today: dt.date,
    *,
    extends: bool = False,
) -> Deload | None:
    """The deload for one spell of consecutive unwell days (sorted), or None when the
    spell leaves nothing to change. ``extends``: an earlier deload covered the start of
    this spell (the athlete is still unwell), so key work was already set a level lower
    and is not lowered again."""
    first, last = unwell[0], unwell[-1]
    sick_days = len(unwell)
    easy_days = max(MIN_EASY_DAYS, sick_days)
    easy_end = return_end(unwell)
    notes: list[str] = []
    changed: dict[int, WorkoutState] = {}

    for workout in plan.workouts:
        if not workout.is_open or workout.date < today:
            continue
        if first <= workout.date <= last:
            changed[workout.id] = replace(workout, status=Status.CANCELLED)
        elif last < workout.date <= easy_end:
            changed[workout.id] = _return_ride(plan, workout, (workout.date - last).days)
    cancelled = sum(1 for w in changed.values() if w.status is Status.CANCELLED)
    if cancelled:
        notes.append(f"{cancelled} workout{'s' * (cancelled != 1)} cancelled")
    if easy_end >= today:
        notes.append(f"{easy_days} easy or rest days to {_day(easy_end)}")

    level_down_end = easy_end + LEVEL_DOWN_DAYS * DAY
    lowered = 0
    for workout in () if extends else plan.workouts:
        if (
            workout.is_open
            and workout.is_key
            and easy_end < workout.date <= level_down_end
            and workout.date >= today
            and workout.id not in changed
        ):
            easier = regressed(
                workout, REGRESS_FATIGUE_PERCENT, f"Back from {sick_days} days unwell"
            )
            if easier is not None:
                changed[workout.id] = easier
                lowered += 1
    if lowered:
        notes.append(f"key work a level lower to {_day(level_down_end)}")

    edited = plan.with_items(list(changed.values()))
    week_updates: dict[int, WeekState] = {}
    blocks: tuple[BlockState, ...] = ()
    removed_blocks: tuple[int, ...] = ()
    fresh: set[dt.date] = set()
    relaid = _relayout(edited, easy_end)
    if relaid is not None:
        weeks, blocks, removed_blocks, fresh = relaid
        for week in weeks:
            week_updates[week.id] = week
        edited = edited.with_items(weeks=weeks, blocks=blocks, removed_blocks=removed_blocks)
        sick_week = edited.week_of(easy_end)
        assert sick_week is not None
        notes.append(
            f"the week of {_day(sick_week.start)} becomes the block's recovery week and the "
            "blocks are laid out again around it"
        )
    for week in edited.weeks:
        if week.end >= first and week.start <= easy_end:
            new = retargeted(edited, week)
            if new != week:
                week_updates[week.id] = new
    edited = edited.with_items(weeks=list(week_updates.values()))

    cut = max(today, easy_end + DAY)
    offsets = {w.start: -1 for w in edited.weeks if w.holds(easy_end + DAY)}
    projection = reproject(edited, cut, fresh_weeks=fresh, level_offsets=offsets, today=today)
    projected = edited.with_items(
        projection.workouts, projection.weeks, removed_workouts=projection.removed_workouts
    )
    for workout in projection.workouts:
        changed[workout.id] = workout
    for week in projection.weeks:
        week_updates[week.id] = week
    form = projection.event_day
    notes.append(
        f"the rest of the season re-projected to the event on {_day(plan.target.date)} "
        f"(taper kept; event-day TSB {form.tsb:+.0f}, CTL {form.ctl:.0f})"
    )
    removed = tuple(projection.removed_workouts)
    for workout_id in removed:
        changed.pop(workout_id, None)
    change = ProposedChange(
        Trigger.SICK,
        Action.DELOAD,
        f"unwell {_span(first, last)}: " + "; ".join(notes),
        workouts=tuple(changed.values()),
        weeks=tuple(week_updates.values()),
        blocks=blocks,
        removed_workouts=removed,
        removed_blocks=removed_blocks,
        cause={"sick_days": [day.isoformat() for day in unwell]},
    ).only_differences(plan)
    if change.is_empty:
        return None
    return Deload(change, projected)


def _return_ride(plan: PlanState, workout: WorkoutState, day_back: int) -> WorkoutState:
    """The ``day_back``-th day after the spell (1-based): rest, then a recovery spin,
    then easy rides growing by ``RETURN_STEP_MINUTES`` a day (``return_minutes``).

    A ride already easy enough stays: not key, Z1–Z2 (a recovery ride while intensity
    waits for two symptom-free days), no more load than the easy ride and no longer
    than the day allows — a two-hour "recovery" spin is not a return."""
    minutes = return_minutes(day_back)
    if minutes == 0:
        return replace(workout, status=Status.CANCELLED)
    slot = plan.availability.slot_on(workout.date).minutes
    if day_back <= SYMPTOM_FREE_DAYS:
        role, note = Role.RECOVERY, RETURN_NOTES[0]
    else:
        role, note = Role.SUPPORT, RETURN_NOTES[1]
    easy = easy_ride(workout, slot, role, minutes, note)
    if easy is None:
        return replace(workout, status=Status.CANCELLED)
    easy_enough = (
        not workout.is_key
        and workout.primary_zone <= 2
        and (role is Role.SUPPORT or workout.role is Role.RECOVERY)
        and workout.tss <= easy.tss
        and workout.duration_s <= minutes * 60
    )
    return workout if easy_enough else easy


# --- the rhythm laid out again -------------------------------------------------------------------


def _relayout(
    plan: PlanState, easy_end: dt.date
) -> tuple[tuple[WeekState, ...], tuple[BlockState, ...], tuple[int, ...], set[dt.date]] | None:
    """Weeks and blocks once the week the spell (with its easy days) ends in becomes a
    recovery week, or None when it stays as it is.

    It becomes one when it is a loading week and either lost enough load to stand as a
    recovery week (≤ 65 % of the week before) or is followed by a recovery week — a
    recovery week right after a sickness would only rest a rested athlete.
    """
    sick_week = plan.week_of(easy_end)
    if sick_week is None or week_kind(plan, sick_week) is not WeekKind.LOADING:
        return None
    index = plan.weeks.index(sick_week)
    previous = plan.weeks[index - 1] if index else None
    following = plan.weeks[index + 1] if index + 1 < len(plan.weeks) else None
    recovery_next = following is not None and week_kind(plan, following) is WeekKind.RECOVERY
    before = plan.live_tss(previous) if previous is not None else 0.0
    lost = bool(before) and plan.live_tss(sick_week) <= RECOVERY_SHARE_MAX * before
    if previous is None or previous.is_recovery or not (lost or recovery_next):
        return None
    tail_end = index + 1
    while tail_end < len(plan.weeks) and week_kind(plan, plan.weeks[tail_end]) in (
        WeekKind.LOADING,
        WeekKind.RECOVERY,
    ):
        tail_end += 1
    tail = plan.weeks[index + 1 : tail_end]
    kinds = _kinds(len(tail), plan.rhythm.loading_weeks)
    flags = {sick_week.start: True} | {
        week.start: kind is WeekKind.RECOVERY for week, kind in zip(tail, kinds, strict=True)
    }
    fresh = {week.start for week in (sick_week, *tail) if week.is_recovery != flags[week.start]}
    if not fresh:
        return None
    weeks, blocks, removed = _regroup(plan, index, flags)
    return weeks, blocks, removed, fresh


def _kinds(count: int, loading: int) -> list[WeekKind]:
    """Recovery every ``loading + 1`` weeks counted back from the taper (so the taper
    follows a full run of loading weeks), unless that would put a recovery week right
    after the sick one — then counted forward from it."""
    cycle = loading + 1
    back = [
        WeekKind.RECOVERY if (count - i) % cycle == 0 else WeekKind.LOADING for i in range(count)
    ]
    if not back or back[0] is WeekKind.LOADING:
        return back
    return [WeekKind.RECOVERY if (i + 1) % cycle == 0 else WeekKind.LOADING for i in range(count)]


def _regroup(
    plan: PlanState, sick_index: int, recovery: dict[dt.date, bool]
) -> tuple[tuple[WeekState, ...], tuple[BlockState, ...], tuple[int, ...]]:
    """Blocks from the sick week's block on, regrouped: a block runs over weeks of one
    type and closes with its recovery week. Earlier blocks keep their ids and weeks."""
    sick_block = plan.block_of_week(plan.weeks[sick_index])
    first = next(i for i, w in enumerate(plan.weeks) if w.block_id == sick_block.id)
    groups: list[list[WeekState]] = []
    types: list[BlockType] = []
    source: list[BlockState] = []
    for week in plan.weeks[first:]:
        block = plan.block_of_week(week)
        is_recovery = recovery.get(week.start, week.is_recovery)
        week = replace(week, is_recovery=is_recovery)
        closes = bool(groups) and (groups[-1][-1].is_recovery or types[-1] is not block.type)
        if not groups or closes:
            groups.append([])
            types.append(block.type)
            source.append(block)
        groups[-1].append(week)
    old_ids = [b.id for b in plan.blocks if b.order >= sick_block.order]
    next_id = plan.next_temp_id()
    earlier = [b for b in plan.blocks if b.order < sick_block.order]
    new_blocks: list[BlockState] = []
    new_weeks: list[WeekState] = []
    for number, (group, block_type, origin) in enumerate(
        zip(groups, types, source, strict=True), start=sick_block.order
    ):
        if old_ids:
            block_id = old_ids.pop(0)
        else:
            block_id, next_id = next_id, next_id - 1
        loading = 0
        recovery_index: int | None = None
        for position, week in enumerate(group, start=1):
            was_recovery = plan.week(week.id).is_recovery
            focus = week.focus
            if block_type in (BlockType.RACE, BlockType.TRANSITION):
                index = week.loading_index
            elif week.is_recovery:
                index, focus = 0, BlockFocus.AEROBIC_ENDURANCE
                recovery_index = position
            else:
                loading += 1
                index = loading
                if was_recovery:
                    focus = origin.focus
            new_weeks.append(
                replace(week, block_id=block_id, number=position, loading_index=index, focus=focus)
            )
        new_blocks.append(
            BlockState(
                id=block_id,
                order=number,
                name=origin.name,
                type=block_type,
                focus=origin.focus,
                start=group[0].start,
                duration_weeks=len(group),
                recovery_week_index=recovery_index,
                progression=origin.progression,
            )
        )
    return tuple(new_weeks), tuple(_renamed(earlier + new_blocks)), tuple(old_ids)


def _renamed(blocks: list[BlockState]) -> list[BlockState]:
    """Names as the skeleton gives them: "Base 1", "Base 2", a lone recovery week
    "Recovery"."""
    recovery_only = {
        block.id for block in blocks if block.duration_weeks == 1 and block.recovery_week_index == 1
    }
    named = [b for b in blocks if b.id not in recovery_only]
    totals = {t: sum(1 for b in named if b.type is t) for t in BlockType}
    seen: dict[BlockType, int] = {}
    result: list[BlockState] = []
    for block in sorted(blocks, key=lambda b: b.order):
        name = block.type.value.title()
        if block.id in recovery_only:
            name = "Recovery"
        elif totals[block.type] > 1:
            seen[block.type] = seen.get(block.type, 0) + 1
            name = f"{name} {seen[block.type]}"
        result.append(replace(block, name=name))
    return result


def _day(day: dt.date) -> str:
    return day.strftime("%a %d %b")


def _span(first: dt.date, last: dt.date) -> str:
    if first == last:
        return _day(first)
    return f"{_day(first)} – {_day(last)} ({(last - first).days + 1} days)"

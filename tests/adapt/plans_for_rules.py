"""Seasons for the adaptation rules' tests: ``build_season`` turned into a ``PlanState``.

The same engine ``wattz plan new`` uses, so the rules are specified on real plans; ids
are numbered the way a fresh store would number them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import cache

from wattz.adapt.plan_state import BlockState, PlanState, WeekState, WorkoutState
from wattz.plan.domain import (
    Availability,
    DaySlot,
    Event,
    Priority,
    Rhythm,
    Status,
    Strategy,
)
from wattz.plan.season import build_season

DAY = dt.timedelta(days=1)
SIX_HOURS = (0, 60, 60, 0, 60, 120, 60)
"""Minutes Monday to Sunday: a 6 h/week athlete, weeknights and a long Saturday."""
TEN_HOURS = (0, 90, 60, 90, 0, 180, 180)


@cache
def season_plan(
    start: dt.date = dt.date(2026, 11, 23),
    weeks: int = 16,
    grid: tuple[int, ...] = SIX_HOURS,
    strategy: Strategy = Strategy.LINEAR,
    rhythm: Rhythm = Rhythm.THREE_ONE,
    start_ctl: float = 35.0,
    other_events: tuple[Event, ...] = (),
) -> PlanState:
    """A fresh season of ``weeks`` weeks from ``start`` (a Monday) to a Sunday A event,
    with ``other_events`` (B and C races) inside it."""
    availability = Availability(tuple(DaySlot(minutes) for minutes in grid))
    event = Event("A race", start + (7 * weeks - 1) * DAY, Priority.A)
    season = build_season(
        start=start,
        event=event,
        availability=availability,
        today=start,
        strategy=strategy,
        rhythm=rhythm,
        start_ctl=start_ctl,
        other_events=list(other_events),
    )
    blocks: list[BlockState] = []
    weeks_out: list[WeekState] = []
    workouts: list[WorkoutState] = []
    week_id = 0
    for block_id, block in enumerate(season.blocks, start=1):
        blocks.append(
            BlockState(
                id=block_id,
                order=block.order,
                name=block.name,
                type=block.type,
                focus=block.focus,
                start=block.start,
                duration_weeks=block.duration_weeks,
                recovery_week_index=block.recovery_week_index,
                progression=block.progression,
            )
        )
        for week in block.weeks:
            week_id += 1
            weeks_out.append(
                WeekState(
                    id=week_id,
                    block_id=block_id,
                    start=week.start,
                    number=week.number,
                    is_recovery=week.is_recovery,
                    is_taper=week.is_taper,
                    tss_target=week.tss_target,
                    volume_target_minutes=week.volume_target_minutes,
                    focus=week.focus,
                    loading_index=week.loading_index,
                )
            )
            for session in season.sessions_in(week):
                workouts.append(WorkoutState.from_session(session, len(workouts) + 1, week_id))
    return PlanState(
        id=1,
        start=start,
        target=event,
        strategy=strategy,
        rhythm=rhythm,
        ramp=season.ramp,
        start_ctl=season.start_ctl,
        availability=availability,
        blocks=tuple(blocks),
        weeks=tuple(weeks_out),
        workouts=tuple(workouts),
        other_events=other_events,
    )


def with_status(plan: PlanState, workout_id: int, status: Status, **changes: object) -> PlanState:
    """The plan with one workout's status (and any other field) set."""
    workout = replace(plan.workout(workout_id), status=status, **changes)  # type: ignore[arg-type]
    return plan.with_items([workout])

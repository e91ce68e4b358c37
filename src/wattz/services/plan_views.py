"""The plan as a document: the ``plan show --json`` contract of DESIGN.md, as pydantic models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from wattz.model.tables import Block, Goal, Plan, PlannedWorkout, Week
from wattz.plan.domain import (
    BlockFocus,
    BlockType,
    Priority,
    Role,
    Source,
    Status,
    Strategy,
)
from wattz.services.goals import as_event


class _View(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class GoalRef(_View):
    name: str
    date: dt.date
    priority: Priority


class WorkoutView(_View):
    id: int
    date: dt.date
    title: str
    description: str | None = None
    role: Role
    status: Status
    source: Source
    duration_s: int
    tss: float
    intensity_factor: float = Field(alias="if")
    primary_zone: int
    level: int | None = None
    replaced_reason: str | None = None
    """Why the model's proposal for this day gave way to the library's (else null)."""
    awp: dict[str, Any]


class WeekView(_View):
    start: dt.date
    number: int
    is_recovery: bool
    is_taper: bool
    tss_target: int
    volume_target_minutes: int
    planned_tss: float
    race_tss: int = 0
    """The expected load of the week's B/C races (not workouts; the week's load is both)."""
    workouts: list[WorkoutView]


class BlockView(_View):
    order: int
    name: str
    type: BlockType
    focus: BlockFocus
    start: dt.date
    duration_weeks: int
    progression: str | None
    weeks: list[WeekView]


class PlanView(_View):
    id: int
    athlete: str
    goal: GoalRef
    start: dt.date
    target_date: dt.date
    strategy: Strategy
    rhythm: str
    ramp: float
    start_ctl: float
    generator: str
    feasibility: str | None
    events: list[GoalRef] = []
    """The athlete's other goals inside the plan (as they are now): each a race with a
    mini-taper before it, its load in its week's ``race_tss``."""
    blocks: list[BlockView]


class PlanDocument(_View):
    plan: PlanView


def workout_view(workout: PlannedWorkout, replaced_reason: str | None = None) -> WorkoutView:
    assert workout.id is not None
    return WorkoutView(
        id=workout.id,
        date=workout.date,
        title=workout.title,
        description=workout.description,
        role=Role(workout.role),
        status=Status(workout.status),
        source=Source(workout.source),
        duration_s=workout.duration_s,
        tss=round(workout.tss, 1),
        intensity_factor=round(workout.intensity_factor, 3),
        primary_zone=workout.primary_zone,
        level=workout.level,
        replaced_reason=replaced_reason if workout.source == Source.BUILTIN else None,
        awp=workout.awp,
    )


def plan_view(
    plan: Plan,
    athlete_name: str,
    goal: Goal,
    blocks: list[Block],
    weeks: list[Week],
    workouts: list[PlannedWorkout],
    replaced: Mapping[int, str] | None = None,
    events: Sequence[Goal] = (),
) -> PlanView:
    """Assemble the document from rows already loaded (no N+1); ``replaced`` maps a
    workout's id to why the model's proposal for it was replaced by the library's;
    ``events`` are the other goals inside the plan (``goals.races_in_plan``)."""
    by_week: dict[int, list[PlannedWorkout]] = {}
    for workout in sorted(workouts, key=lambda w: (w.date, w.id or 0)):
        by_week.setdefault(workout.week_id, []).append(workout)
    by_block: dict[int, list[Week]] = {}
    for week in sorted(weeks, key=lambda w: w.start):
        by_block.setdefault(week.block_id, []).append(week)
    assert plan.id is not None
    return PlanView(
        id=plan.id,
        athlete=athlete_name,
        goal=_goal_ref(goal),
        start=plan.start,
        target_date=plan.target_date,
        strategy=Strategy(plan.strategy),
        rhythm=plan.rhythm,
        ramp=plan.ramp,
        start_ctl=round(plan.start_ctl, 1),
        generator=plan.generator,
        feasibility=plan.feasibility,
        events=[_goal_ref(event) for event in sorted(events, key=lambda g: g.date)],
        blocks=[
            BlockView(
                order=block.order,
                name=block.name,
                type=BlockType(block.type),
                focus=BlockFocus(block.focus),
                start=block.start,
                duration_weeks=block.duration_weeks,
                progression=block.progression,
                weeks=[
                    _week_view(
                        week,
                        by_week.get(week.id or -1, []),
                        replaced or {},
                        _race_tss(week, events),
                    )
                    for week in by_block.get(block.id or -1, [])
                ],
            )
            for block in sorted(blocks, key=lambda b: b.order)
        ],
    )


def _goal_ref(goal: Goal) -> GoalRef:
    return GoalRef(name=goal.name, date=goal.date, priority=Priority(goal.priority))


def _race_tss(week: Week, events: Sequence[Goal]) -> int:
    """What the engine counts for the week's races (``Event.expected_tss``)."""
    end = week.start + dt.timedelta(days=7)
    return sum(as_event(g).expected_tss for g in events if week.start <= g.date < end)


def _week_view(
    week: Week, workouts: list[PlannedWorkout], replaced: Mapping[int, str], race_tss: int
) -> WeekView:
    live = [w for w in workouts if Status(w.status).is_live]
    return WeekView(
        start=week.start,
        number=week.number,
        is_recovery=week.is_recovery,
        is_taper=week.is_taper,
        tss_target=week.tss_target,
        volume_target_minutes=week.volume_target_minutes,
        planned_tss=round(sum(w.tss for w in live), 1),
        race_tss=race_tss,
        workouts=[workout_view(w, replaced.get(w.id or -1)) for w in workouts],
    )

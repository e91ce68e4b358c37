"""The change log: every change to a plan, stored with the state before and after, and
undone by putting the state before back exactly.

A proposal from the rules (``wattz.adapt.proposal.ProposedChange``) is applied here to
the store's rows: blocks first (a re-laid season may create or retire some), then
weeks, then workouts (created ones get their real ids), and a ``PlanChange`` records
the rows it touched as they were and as they are (every column, so ``plan show --json``
comes back to the byte). The audit's own bookkeeping — which workouts it has acted on
— stays out of the snapshots, so undoing a change never makes the audit redo it.

Undo refuses what it cannot do cleanly: a change undone already, or one whose rows a
later change (still in force) has touched — that one must be undone first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from wattz.adapt.plan_state import BlockState, PlanState, WeekState, WorkoutState
from wattz.adapt.proposal import ProposedChange
from wattz.errors import Conflict, NotFound
from wattz.model.tables import (
    Activity,
    Athlete,
    Block,
    Goal,
    Plan,
    PlanChange,
    PlannedWorkout,
    Week,
)
from wattz.plan.domain import (
    BlockFocus,
    BlockType,
    Priority,
    Reason,
    Rhythm,
    Role,
    Source,
    Status,
    Strategy,
)

BOOKKEEPING = frozenset({"audited"})
"""Columns the snapshots leave out: the audit's record of what it has acted on."""


class ChangeView(BaseModel):
    """One entry of ``changes --json`` (keys are the DESIGN.md contract)."""

    id: int
    created_at: dt.datetime
    trigger: str
    action: str
    workout_ids: list[int]
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str
    undone: bool


# --- reading the plan as the rules see it ---------------------------------------------------------


def plan_state(session: Session, athlete: Athlete, plan: Plan) -> PlanState:
    """The stored plan as a ``PlanState``: settings, grid, events, blocks, weeks, workouts."""
    from wattz.services.goals import as_event, list_goals, load_availability

    goal = session.get(Goal, plan.goal_id)
    assert goal is not None and plan.id is not None
    others = tuple(
        as_event(g)
        for g in list_goals(session, athlete)
        if g.id != goal.id and plan.start <= g.date < goal.date and g.priority != Priority.A
    )
    blocks = session.exec(
        select(Block).where(Block.plan_id == plan.id).order_by(col(Block.id))
    ).all()
    weeks = session.exec(select(Week).where(Week.plan_id == plan.id).order_by(col(Week.id))).all()
    workouts = session.exec(
        select(PlannedWorkout)
        .where(PlannedWorkout.plan_id == plan.id)
        .order_by(col(PlannedWorkout.id))
    ).all()
    return PlanState(
        id=plan.id,
        start=plan.start,
        target=as_event(goal),
        strategy=Strategy(plan.strategy),
        rhythm=Rhythm(plan.rhythm),
        ramp=plan.ramp,
        start_ctl=plan.start_ctl,
        availability=load_availability(session, athlete),
        blocks=tuple(block_state(b) for b in blocks),
        weeks=tuple(week_state(w) for w in weeks),
        workouts=tuple(workout_state(w) for w in workouts),
        other_events=others,
    )


def workout_state(row: PlannedWorkout) -> WorkoutState:
    assert row.id is not None
    return WorkoutState(
        id=row.id,
        date=row.date,
        week_id=row.week_id,
        title=row.title,
        role=Role(row.role),
        status=Status(row.status),
        duration_s=row.duration_s,
        tss=row.tss,
        intensity_factor=row.intensity_factor,
        primary_zone=row.primary_zone,
        awp=row.awp,
        description=row.description,
        source=Source(row.source),
        library_id=row.library_id,
        level=row.level,
        venue=row.venue,  # type: ignore[arg-type]
        forced=row.forced,
        skip_reason=Reason(row.skip_reason) if row.skip_reason else None,
        audited=row.audited,
    )


def week_state(row: Week) -> WeekState:
    assert row.id is not None
    return WeekState(
        id=row.id,
        block_id=row.block_id,
        start=row.start,
        number=row.number,
        is_recovery=row.is_recovery,
        is_taper=row.is_taper,
        tss_target=row.tss_target,
        volume_target_minutes=row.volume_target_minutes,
        focus=BlockFocus(row.focus) if row.focus else None,
        loading_index=row.loading_index,
    )


def block_state(row: Block) -> BlockState:
    assert row.id is not None
    return BlockState(
        id=row.id,
        order=row.order,
        name=row.name,
        type=BlockType(row.type),
        focus=BlockFocus(row.focus),
        start=row.start,
        duration_weeks=row.duration_weeks,
        recovery_week_index=row.recovery_week_index,
        progression=row.progression,
    )


# --- applying a change ----------------------------------------------------------------------------


def apply_change(
    session: Session,
    plan: Plan,
    change: ProposedChange,
    as_of: dt.date,
    ids: dict[int, int] | None = None,
) -> PlanChange:
    """Write ``change`` to the plan's rows and log it; ``ids`` maps the temporary ids of
    created items to their rows' ids (filled in, and read for items created earlier in
    the same audit)."""
    assert plan.id is not None
    ids = {} if ids is None else ids
    now = dt.datetime.now(dt.UTC)
    before: dict[str, list[dict[str, Any]]] = {"blocks": [], "weeks": [], "workouts": []}
    after: dict[str, Any] = {"blocks": [], "weeks": [], "workouts": []}

    block_rows: list[Block] = []
    for block in change.blocks:
        real = ids.get(block.id, block.id)
        row = session.get(Block, real) if real > 0 else None
        if row is None:
            row = Block(
                plan_id=plan.id,
                order=0,
                name="",
                type="",
                focus="",
                start=block.start,
                duration_weeks=0,
            )
        else:
            before["blocks"].append(_snapshot(row))
        _fill_block(row, block)
        session.add(row)
        block_rows.append(row)
    session.flush()
    for block, row in zip(change.blocks, block_rows, strict=True):
        assert row.id is not None
        if block.id < 0:
            ids[block.id] = row.id

    week_rows: list[Week] = []
    for week in change.weeks:
        week_row = session.get(Week, week.id)
        if week_row is None:
            raise NotFound(f"week {week.id} is not in the plan", "run the audit again")
        before["weeks"].append(_snapshot(week_row))
        _fill_week(week_row, week, ids)
        session.add(week_row)
        week_rows.append(week_row)

    workout_rows: list[PlannedWorkout] = []
    for workout in change.workouts:
        real = ids.get(workout.id, workout.id)
        workout_row = session.get(PlannedWorkout, real) if real > 0 else None
        if workout_row is None:
            workout_row = PlannedWorkout(
                plan_id=plan.id,
                week_id=0,
                date=workout.date,
                title="",
                duration_s=0,
                tss=0.0,
                intensity_factor=0.0,
                primary_zone=1,
                role=workout.role.value,
                awp={},
            )
        else:
            before["workouts"].append(_snapshot(workout_row))
        _fill_workout(workout_row, workout, ids, now)
        session.add(workout_row)
        workout_rows.append(workout_row)
    session.flush()
    for workout, workout_row in zip(change.workouts, workout_rows, strict=True):
        assert workout_row.id is not None
        if workout.id < 0:
            ids[workout.id] = workout_row.id

    for workout_id in change.removed_workouts:
        real = ids.get(workout_id, workout_id)
        removed = session.get(PlannedWorkout, real)
        if removed is None:
            continue
        before["workouts"].append(_snapshot(removed))
        _unmatch_rides(session, [real])
        session.delete(removed)
    session.flush()
    for block_id in change.removed_blocks:
        retired = session.get(Block, ids.get(block_id, block_id))
        if retired is None:
            continue
        before["blocks"].append(_snapshot(retired))
        session.delete(retired)
    session.flush()

    after["blocks"] = [_snapshot(row) for row in block_rows]
    after["weeks"] = [_snapshot(row) for row in week_rows]
    after["workouts"] = [_snapshot(row) for row in workout_rows]
    if change.cause:
        after["cause"] = dict(change.cause)
    workout_ids = [ids.get(w, w) for w in change.workout_ids]
    entry = PlanChange(
        plan_id=plan.id,
        created_at=now,
        trigger=change.trigger.value,
        action=change.action.value,
        workout_ids=workout_ids,
        before=before,
        after=after,
        reason=change.reason[:1000],
        as_of=as_of,
    )
    session.add(entry)
    session.flush()
    return entry


def _fill_block(row: Block, block: BlockState) -> None:
    row.order = block.order
    row.name = block.name
    row.type = block.type.value
    row.focus = block.focus.value
    row.start = block.start
    row.duration_weeks = block.duration_weeks
    row.recovery_week_index = block.recovery_week_index
    row.progression = block.progression


def _fill_week(row: Week, week: WeekState, ids: dict[int, int]) -> None:
    row.block_id = ids.get(week.block_id, week.block_id)
    row.number = week.number
    row.start = week.start
    row.is_recovery = week.is_recovery
    row.is_taper = week.is_taper
    row.tss_target = week.tss_target
    row.volume_target_minutes = week.volume_target_minutes
    row.focus = week.focus.value if week.focus is not None else None
    row.loading_index = week.loading_index


def _fill_workout(
    row: PlannedWorkout, workout: WorkoutState, ids: dict[int, int], now: dt.datetime
) -> None:
    row.week_id = ids.get(workout.week_id, workout.week_id)
    row.date = workout.date
    row.title = workout.title[:120]
    row.description = workout.description[:2000] if workout.description else None
    row.duration_s = workout.duration_s
    row.tss = workout.tss
    row.intensity_factor = workout.intensity_factor
    row.primary_zone = workout.primary_zone
    row.role = workout.role.value
    row.status = workout.status.value
    row.source = workout.source.value
    row.library_id = workout.library_id
    row.level = workout.level
    row.venue = workout.venue
    row.forced = workout.forced
    row.awp = dict(workout.awp)
    row.skip_reason = workout.skip_reason.value if workout.skip_reason else None
    row.updated_at = now


def _snapshot(row: Block | Week | PlannedWorkout) -> dict[str, Any]:
    data = row.model_dump(mode="json")
    for name in BOOKKEEPING:
        data.pop(name, None)
    return data


def _unmatch_rides(session: Session, workout_ids: Sequence[int]) -> set[dt.date]:
    """Rides matched to workouts about to go lose the match; their days are returned so
    compliance can be worked out again."""
    days: set[dt.date] = set()
    for ride in session.exec(
        select(Activity).where(col(Activity.planned_workout_id).in_(list(workout_ids)))
    ):
        ride.planned_workout_id = None
        ride.compliance = None
        ride.compliance_detail = None
        session.add(ride)
        days.add(ride.local_date)
    session.flush()
    return days


# --- reading and undoing the log ------------------------------------------------------------------


def list_changes(session: Session, athlete: Athlete) -> list[ChangeView]:
    """The active plan's change log, oldest first."""
    from wattz.services.plans import active_plan

    plan = active_plan(session, athlete)
    rows = session.exec(
        select(PlanChange).where(PlanChange.plan_id == plan.id).order_by(col(PlanChange.id))
    ).all()
    return [change_view(row) for row in rows]


def get_change(session: Session, athlete: Athlete, change_id: int) -> PlanChange:
    """A change of one of the athlete's plans (any plan, active or not)."""
    row = session.get(PlanChange, change_id)
    if row is not None:
        plan = session.get(Plan, row.plan_id)
        if plan is not None and plan.athlete_id == athlete.id:
            return row
    raise NotFound(f"no change {change_id}", "list the changes with: wattz changes")


def change_view(row: PlanChange) -> ChangeView:
    assert row.id is not None
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=dt.UTC)
    return ChangeView(
        id=row.id,
        created_at=created,
        trigger=row.trigger,
        action=row.action,
        workout_ids=list(row.workout_ids),
        before=row.before,
        after=row.after,
        reason=row.reason,
        undone=row.undone_at is not None,
    )


def undo_change(session: Session, athlete: Athlete, change_id: int) -> ChangeView:
    """Put back the rows a change touched exactly as they were before it."""
    row = get_change(session, athlete, change_id)
    if row.undone_at is not None:
        when = row.undone_at.strftime("%Y-%m-%d %H:%M")
        raise Conflict(
            f"change {change_id} was undone already ({when} UTC)",
            "nothing to do; list the changes with: wattz changes",
        )
    plan = session.get(Plan, row.plan_id)
    assert plan is not None
    if plan.deleted_at is not None:
        raise Conflict(
            f"change {change_id} belongs to a deleted plan ({plan.id})",
            "only changes of the active plan can be undone",
        )
    _refuse_if_overlapped(session, row)
    before = row.before or {}
    after = row.after or {}
    touched_days: set[dt.date] = set()
    for data in before.get("blocks", []):
        _restore(session, Block, data)
    session.flush()
    for data in before.get("weeks", []):
        _restore(session, Week, data)
    session.flush()
    for data in before.get("workouts", []):
        _restore(session, PlannedWorkout, data)
        touched_days.add(dt.date.fromisoformat(data["date"]))
    session.flush()
    kept_workouts = {data["id"] for data in before.get("workouts", [])}
    created_workouts = [
        data["id"] for data in after.get("workouts", []) if data["id"] not in kept_workouts
    ]
    if created_workouts:
        touched_days |= _unmatch_rides(session, created_workouts)
        for workout_id in created_workouts:
            created = session.get(PlannedWorkout, workout_id)
            if created is not None:
                touched_days.add(created.date)
                session.delete(created)
        session.flush()
    kept_blocks = {data["id"] for data in before.get("blocks", [])}
    for data in after.get("blocks", []):
        if data["id"] not in kept_blocks:
            created_block = session.get(Block, data["id"])
            if created_block is not None:
                session.delete(created_block)
    session.flush()
    row.undone_at = dt.datetime.now(dt.UTC)
    session.add(row)
    session.flush()
    if touched_days:
        from wattz.services.rides import refresh_compliance

        refresh_compliance(session, athlete, touched_days)
    return change_view(row)


def _keys(change: PlanChange) -> set[tuple[str, int]]:
    """What a change touched or was about: its rows before and after, and its workouts
    (a move is about the missed workout it copies, though it leaves that row alone)."""
    keys = {("workouts", int(workout_id)) for workout_id in change.workout_ids}
    for document in (change.before or {}, change.after or {}):
        for kind in ("blocks", "weeks", "workouts"):
            for data in document.get(kind, []):
                keys.add((kind, int(data["id"])))
    return keys


def _refuse_if_overlapped(session: Session, row: PlanChange) -> None:
    mine = _keys(row)
    later = session.exec(
        select(PlanChange)
        .where(
            PlanChange.plan_id == row.plan_id,
            col(PlanChange.id) > row.id,
            col(PlanChange.undone_at).is_(None),
        )
        .order_by(col(PlanChange.id).desc())
    ).all()
    for other in later:
        shared = mine & _keys(other)
        if shared:
            kind, item = sorted(shared)[0]
            noun = {"blocks": "block", "weeks": "week", "workouts": "workout"}[kind]
            raise Conflict(
                f"change {other.id} ({other.trigger} → {other.action}) changed {noun} {item} "
                f"after change {row.id}",
                f"undo it first: wattz changes undo {other.id}",
            )


def _restore(
    session: Session, model: type[Block] | type[Week] | type[PlannedWorkout], data: dict[str, Any]
) -> None:
    restored = model.model_validate(data)
    existing = session.get(model, data["id"])
    if existing is None:
        session.add(restored)
        return
    for name in data:
        setattr(existing, name, getattr(restored, name))
    session.add(existing)


def changes_of(session: Session, plan: Plan) -> Iterable[PlanChange]:
    return session.exec(
        select(PlanChange).where(PlanChange.plan_id == plan.id).order_by(col(PlanChange.id))
    ).all()

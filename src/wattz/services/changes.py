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
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Text, cast
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from wattz.adapt.plan_state import BlockState, JsonDocument, PlanState, WeekState, WorkoutState
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
    core_table,
)
from wattz.plan.domain import (
    BlockFocus,
    BlockType,
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

Row = TypeVar("Row", Block, Week, PlannedWorkout)


@dataclass
class PlanRows:
    """The plan's rows by id, held while its changes are applied.

    The session's identity map keeps rows only while something refers to them, so a row
    read for the ``PlanState`` and dropped would be read again, one query per row; kept
    here, applying a change finds it without a query. Rows not here yet are read in one
    query per table (``get``).
    """

    blocks: dict[int, Block] = field(default_factory=dict)
    weeks: dict[int, Week] = field(default_factory=dict)
    workouts: dict[int, PlannedWorkout] = field(default_factory=dict)
    workout_columns: dict[int, Sequence[Any]] = field(default_factory=dict)
    """Workouts read as plain columns (``load_plan``), every column: made rows of the
    session only when a change writes them, without reading them again."""

    def table(self, model: type[Row]) -> dict[int, Row]:
        tables: dict[type[Any], dict[int, Any]] = {
            Block: self.blocks,
            Week: self.weeks,
            PlannedWorkout: self.workouts,
        }
        return tables[model]

    def get(self, session: Session, model: type[Row], ids: Iterable[int]) -> dict[int, Row]:
        """The rows of ``ids`` that exist, reading those not held yet in one query.

        Without autoflush: a row pending in the session is held here already, and an
        unflushed change to a held row is kept either way (a query never overwrites it).
        """
        held = self.table(model)
        wanted = {i for i in ids if i > 0}
        if model is PlannedWorkout:
            for item in wanted & (self.workout_columns.keys() - self.workouts.keys()):
                self.workouts[item] = _attached(session, self.workout_columns.pop(item))
        missing = sorted(wanted - held.keys())
        if missing:
            with session.no_autoflush:
                for row in session.exec(select(model).where(col(model.id).in_(missing))):
                    assert row.id is not None
                    held[row.id] = row
        return {i: held[i] for i in wanted if i in held}

    def hold(self, row: Row) -> None:
        assert row.id is not None
        self.table(type(row))[row.id] = row

    def drop(self, row: Row) -> None:
        assert row.id is not None
        self.table(type(row)).pop(row.id, None)


def _attached(session: Session, values: Sequence[Any]) -> PlannedWorkout:
    """The session's row of a workout read as ``values`` (``WORKOUT_COLUMNS``): the one
    it holds, else one made of them and attached as loaded (``make_transient_to_detached``:
    its values are the stored ones, so a flush writes only what a change sets)."""
    from sqlalchemy.orm import make_transient_to_detached
    from sqlalchemy.orm.util import identity_key

    columns = dict(zip(WORKOUT_FIELDS, values, strict=True))
    held = session.identity_map.get(identity_key(PlannedWorkout, columns["id"]))
    if isinstance(held, PlannedWorkout):
        return held
    row = PlannedWorkout(**{**columns, "awp": json.loads(columns["awp"])})
    make_transient_to_detached(row)
    session.add(row)
    return row


def plan_state(session: Session, athlete: Athlete, plan: Plan) -> PlanState:
    """The stored plan as a ``PlanState``: settings, grid, events, blocks, weeks, workouts."""
    return load_plan(session, athlete, plan)[0]


def load_plan(session: Session, athlete: Athlete, plan: Plan) -> tuple[PlanState, PlanRows]:
    """The plan as a ``PlanState`` and the rows it was read from (for ``apply_changes``)."""
    from wattz.services.goals import as_event, list_goals, load_availability, races_in_plan

    goals = list_goals(session, athlete)
    goal = next((g for g in goals if g.id == plan.goal_id), None) or session.get(Goal, plan.goal_id)
    assert goal is not None and plan.id is not None
    others = tuple(as_event(g) for g in races_in_plan(goals, goal, plan.start))
    blocks = session.exec(
        select(Block).where(Block.plan_id == plan.id).order_by(col(Block.id))
    ).all()
    weeks = session.exec(select(Week).where(Week.plan_id == plan.id).order_by(col(Week.id))).all()
    # The workouts as plain columns, their documents undecoded: a plan holds ~80, a night
    # writes a few, and only those become rows of the session (``PlanRows.get``).
    workouts = session.execute(
        select_columns(*WORKOUT_COLUMNS)
        .where(col(PlannedWorkout.plan_id) == plan.id)
        .order_by(col(PlannedWorkout.id))
    ).all()
    rows = PlanRows(
        blocks={b.id: b for b in blocks if b.id is not None},
        weeks={w.id: w for w in weeks if w.id is not None},
        workout_columns={w.id: tuple(w) for w in workouts},
    )
    state = PlanState(
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
        workouts=tuple(_workout_state(values) for values in workouts),
        other_events=others,
    )
    return state, rows


_WORKOUT_TABLE = core_table(PlannedWorkout)
WORKOUT_COLUMNS = tuple(
    cast(column, Text).label(column.name) if column.name == "awp" else column
    for column in _WORKOUT_TABLE.c
)
"""Every column of a workout, the AWP document as its JSON text (decoded only if a rule
looks inside, ``JsonDocument``, or a change writes it): made a ``WorkoutState``, and
made a row only for the workouts a night writes (``PlanRows.get``)."""
WORKOUT_FIELDS = tuple(column.name for column in WORKOUT_COLUMNS)


_STATE_COLUMNS = itemgetter(
    *(
        WORKOUT_FIELDS.index(name)
        for name in (
            "id",
            "date",
            "week_id",
            "title",
            "role",
            "status",
            "duration_s",
            "tss",
            "intensity_factor",
            "primary_zone",
            "awp",
            "description",
            "source",
            "library_id",
            "level",
            "venue",
            "forced",
            "skip_reason",
            "audited",
        )
    )
)
"""``WorkoutState``'s columns, in its order (a plan's ~80 workouts are read every night)."""


def _workout_state(values: Sequence[Any]) -> WorkoutState:
    """A workout as the rules see it, from its ``WORKOUT_COLUMNS``."""
    (
        workout_id,
        date,
        week_id,
        title,
        role,
        status,
        duration_s,
        tss,
        intensity_factor,
        primary_zone,
        awp,
        description,
        source,
        library_id,
        level,
        venue,
        forced,
        skip_reason,
        audited,
    ) = _STATE_COLUMNS(values)
    return WorkoutState(
        id=workout_id,
        date=date,
        week_id=week_id,
        title=title,
        role=Role(role),
        status=Status(status),
        duration_s=duration_s,
        tss=tss,
        intensity_factor=intensity_factor,
        primary_zone=primary_zone,
        awp=JsonDocument(awp),
        description=description,
        source=Source(source),
        library_id=library_id,
        level=level,
        venue=venue,
        forced=forced,
        skip_reason=Reason(skip_reason) if skip_reason else None,
        audited=audited,
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
    rows: PlanRows | None = None,
) -> PlanChange:
    """Write ``change`` to the plan's rows and log it (see ``apply_changes``)."""
    return apply_changes(session, plan, [change], as_of, ids, rows)[0]


def apply_changes(
    session: Session,
    plan: Plan,
    changes: Iterable[ProposedChange],
    as_of: dt.date,
    ids: dict[int, int] | None = None,
    rows: PlanRows | None = None,
) -> list[PlanChange]:
    """Write ``changes`` to the plan's rows in order and log each; ``ids`` maps the
    temporary ids of created items to their rows' ids (filled in, and read for items
    created earlier in the same audit).

    ``rows`` are the rows the changes were computed from (``load_plan``): held ones, and
    workouts read as columns, are not read again; the others are read in one query per
    table. The session
    is flushed where a created row's id is needed and once at the end, so the updates of
    all the changes go out together and the log rows in one insert.
    """
    ids = {} if ids is None else ids
    rows = PlanRows() if rows is None else rows
    changes = list(changes)
    read_rows(session, rows, changes, ids)
    entries = [_apply(session, plan, change, as_of, ids, rows) for change in changes]
    session.add_all(entries)  # after the changes' own flushes: the log rows in one insert
    session.flush()
    return entries


def read_rows(
    session: Session,
    rows: PlanRows,
    changes: Sequence[ProposedChange],
    ids: dict[int, int],
    workouts: Iterable[int] = (),
) -> None:
    """Hold the rows ``changes`` write, and ``workouts``, reading those not held yet in
    one query per table (not one per change): ``load_plan`` holds no workout rows."""
    blocks: list[int] = []
    weeks: list[int] = []
    written = list(workouts)
    for change in changes:
        blocks += [block.id for block in change.blocks] + list(change.removed_blocks)
        weeks += [week.id for week in change.weeks]
        written += [workout.id for workout in change.workouts] + list(change.removed_workouts)
    rows.get(session, Block, [ids.get(item, item) for item in blocks])
    rows.get(session, Week, weeks)
    rows.get(session, PlannedWorkout, [ids.get(item, item) for item in written])


def _apply(
    session: Session,
    plan: Plan,
    change: ProposedChange,
    as_of: dt.date,
    ids: dict[int, int],
    rows: PlanRows,
) -> PlanChange:
    """One change written to the rows; its log row is returned, not yet added."""
    assert plan.id is not None
    now = dt.datetime.now(dt.UTC)
    before: dict[str, list[dict[str, Any]]] = {"blocks": [], "weeks": [], "workouts": []}
    after: dict[str, Any] = {"blocks": [], "weeks": [], "workouts": []}

    def real(item_id: int) -> int:
        return ids.get(item_id, item_id)

    held_blocks = rows.get(
        session,
        Block,
        [real(b.id) for b in change.blocks] + [real(b) for b in change.removed_blocks],
    )
    held_weeks = rows.get(session, Week, [w.id for w in change.weeks])
    held_workouts = rows.get(
        session,
        PlannedWorkout,
        [real(w.id) for w in change.workouts] + [real(w) for w in change.removed_workouts],
    )

    block_rows: list[Block] = []
    for block in change.blocks:
        row = held_blocks.get(real(block.id))
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
    if any(row.id is None for row in block_rows):
        session.flush()
    for block, row in zip(change.blocks, block_rows, strict=True):
        rows.hold(row)
        assert row.id is not None
        if block.id < 0:
            ids[block.id] = row.id

    week_rows: list[Week] = []
    for week in change.weeks:
        week_row = held_weeks.get(week.id)
        if week_row is None:
            raise NotFound(f"week {week.id} is not in the plan", "run the audit again")
        before["weeks"].append(_snapshot(week_row))
        _fill_week(week_row, week, ids)
        session.add(week_row)
        week_rows.append(week_row)

    workout_rows: list[PlannedWorkout] = []
    for workout in change.workouts:
        workout_row = held_workouts.get(real(workout.id))
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
    if any(row.id is None for row in workout_rows):
        session.flush()
    for workout, workout_row in zip(change.workouts, workout_rows, strict=True):
        rows.hold(workout_row)
        assert workout_row.id is not None
        if workout.id < 0:
            ids[workout.id] = workout_row.id

    removed = _in_order(
        rows.get(session, PlannedWorkout, map(real, change.removed_workouts)),
        map(real, change.removed_workouts),
    )
    if removed:
        before["workouts"] += [_snapshot(row) for row in removed]
        _unmatch_rides(session, [row.id for row in removed if row.id is not None])
        for gone in removed:
            rows.drop(gone)
            session.delete(gone)
        session.flush()
    retired = _in_order(
        rows.get(session, Block, map(real, change.removed_blocks)), map(real, change.removed_blocks)
    )
    if retired:
        session.flush()  # the weeks moved off these blocks first
        for row in retired:
            before["blocks"].append(_snapshot(row))
            rows.drop(row)
            session.delete(row)
        session.flush()

    after["blocks"] = [_snapshot(row) for row in block_rows]
    after["weeks"] = [_snapshot(row) for row in week_rows]
    after["workouts"] = [_snapshot(row) for row in workout_rows]
    if change.cause:
        after["cause"] = dict(change.cause)
    workout_ids = [real(w) for w in change.workout_ids]
    return PlanChange(
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


def _in_order(found: dict[int, Row], ids: Iterable[int]) -> list[Row]:
    """The rows found, in the order of ``ids``, each once."""
    rows: list[Row] = []
    for item in dict.fromkeys(ids):
        if item in found:
            rows.append(found[item])
    return rows


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

"""``wattz export`` and ``wattz device list``: the plan's workouts onto a folder or device.

Selection (one of): a planned workout by id, the Monday–Sunday week containing a day, a
date range, or — by default — the active plan from today on. Only workouts still to ride
(pending or moved) are written. Every export also passes the keys of all such workouts in
the active plan, so files wattz wrote earlier for workouts the plan no longer holds
(cancelled, skipped, replaced by a new plan) are removed from that folder; files for
other weeks of the plan stay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from sqlmodel import Session, col, select

from wattz.awp.models import Workout
from wattz.errors import InvalidValue, NotFound
from wattz.export.devices import Device, detect_devices, resolve_target
from wattz.export.exporter import ExportItem, ExportReport, export_workouts
from wattz.export.formats import export_format
from wattz.model.tables import Athlete, Goal, Plan, PlannedWorkout
from wattz.services.athletes import ftp_history, ftp_on
from wattz.services.plans import active_plan

EXPORTABLE_STATUSES = ("pending", "moved")


def workout_key(workout_id: int) -> str:
    """The stable identity of a planned workout in wattz's record of exported files."""
    return f"workout-{workout_id}"


def export_plan(
    session: Session,
    athlete: Athlete,
    *,
    to: str,
    today: dt.date,
    format_name: str | None = None,
    workout_id: int | None = None,
    week: dt.date | None = None,
    date_from: dt.date | None = None,
    date_until: dt.date | None = None,
    record_dir: Path | None = None,
    mount_roots: Sequence[Path] | None = None,
    home: Path | None = None,
) -> ExportReport:
    """Export the selected workouts of the active plan; see the module docstring."""
    from wattz.settings import data_dir

    chosen = [workout_id is not None, week is not None, bool(date_from or date_until)]
    if sum(chosen) > 1:
        raise InvalidValue(
            "--workout, --week and --from/--until choose differently", "give only one of them"
        )
    target = resolve_target(to, mount_roots, home)
    if format_name is None:
        if target.device is None:
            raise InvalidValue(
                f"{target.folder} is a plain folder, so the format is not implied",
                "add --format zwo|mrc|erg|fit|plan|json|ics",
            )
        format_name = target.device.default_format
    fmt = export_format(format_name)
    plan = active_plan(session, athlete)
    live = _live_workouts(session, plan)
    selected = _select(session, plan, live, today, workout_id, week, date_from, date_until)
    ftp_w = ftp_on(ftp_history(session, athlete), today)
    goal = session.get(Goal, plan.goal_id)
    calendar_name = f"{goal.name} plan" if goal is not None else "wattz plan"
    return export_workouts(
        [_item(workout) for workout in selected],
        fmt.name,
        target,
        ftp_w,
        record_dir if record_dir is not None else data_dir(),
        keep_keys={workout_key(w.id) for w in live if w.id is not None},
        calendar_name=calendar_name,
    )


def list_devices(
    mount_roots: Sequence[Path] | None = None, home: Path | None = None
) -> list[Device]:
    """Head units and Zwift folders found under the usual mount roots."""
    return detect_devices(mount_roots, home)


def _live_workouts(session: Session, plan: Plan) -> list[PlannedWorkout]:
    return list(
        session.exec(
            select(PlannedWorkout)
            .where(
                PlannedWorkout.plan_id == plan.id,
                col(PlannedWorkout.status).in_(EXPORTABLE_STATUSES),
            )
            .order_by(col(PlannedWorkout.date), col(PlannedWorkout.id))
        )
    )


def _select(
    session: Session,
    plan: Plan,
    live: list[PlannedWorkout],
    today: dt.date,
    workout_id: int | None,
    week: dt.date | None,
    date_from: dt.date | None,
    date_until: dt.date | None,
) -> list[PlannedWorkout]:
    if workout_id is not None:
        found = session.get(PlannedWorkout, workout_id)
        if found is None or found.plan_id != plan.id:
            raise NotFound(f"no workout {workout_id} in the active plan", "see: wattz plan show")
        return [found]
    if week is not None:
        first = week - dt.timedelta(days=week.weekday())
        last = first + dt.timedelta(days=6)
    elif date_from is not None or date_until is not None:
        first = date_from or dt.date.min
        last = date_until or dt.date.max
        if first > last:
            raise InvalidValue(
                f"--from {first} is after --until {last}", "swap them or widen the range"
            )
    else:
        first, last = today, dt.date.max
    selected = [workout for workout in live if first <= workout.date <= last]
    if not selected:
        raise NotFound("no workouts to export in that range", "see: wattz calendar")
    return selected


def _item(workout: PlannedWorkout) -> ExportItem:
    assert workout.id is not None
    document = Workout.model_validate(workout.awp)
    minutes = round(workout.duration_s / 60)
    summary = f"{minutes} min · TSS {workout.tss:.0f} · IF {workout.intensity_factor:.2f}"
    if workout.description:
        summary = f"{summary}\n{workout.description}"
    return ExportItem(
        key=workout_key(workout.id),
        workout=document,
        date=workout.date,
        title=workout.title,
        summary=summary,
    )

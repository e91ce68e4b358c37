"""The fitness chart from the store: every activity's TSS and the active plan's workouts."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlmodel import Session, col, select

from wattz.adapt.fitness import fitness_chart
from wattz.errors import InvalidValue
from wattz.model.tables import Activity, Athlete, PlannedWorkout
from wattz.plan.domain import Status

DEFAULT_HISTORY_DAYS = 90
DEFAULT_PROJECTION_DAYS = 42


class FitnessRow(BaseModel):
    """One day of ``wattz fitness --json``."""

    date: dt.date
    tss: float
    ctl: float
    atl: float
    tsb: float
    projected: bool
    planned_tss: float | None
    planned_ctl: float | None
    planned_atl: float | None
    planned_tsb: float | None


class FitnessReport(BaseModel):
    start: dt.date
    until: dt.date
    today: dt.date
    has_plan: bool
    days: list[FitnessRow]


def fitness_report(
    session: Session,
    athlete: Athlete,
    today: dt.date,
    start: dt.date | None = None,
    until: dt.date | None = None,
) -> FitnessReport:
    """CTL/ATL/TSB per day; by default the last 90 days and, with a plan, six weeks ahead
    (or to the plan's target date when sooner)."""
    from wattz.services.plans import active_plan_or_none

    plan = active_plan_or_none(session, athlete)
    start = start or today - dt.timedelta(days=DEFAULT_HISTORY_DAYS)
    if until is None:
        until = today
        if plan is not None:
            until = min(plan.target_date, today + dt.timedelta(days=DEFAULT_PROJECTION_DAYS))
            until = max(until, today)
    if until < start:
        raise InvalidValue(
            f"--until {until.isoformat()} is before --from {start.isoformat()}",
            "give a window that ends after it starts",
        )
    rides = session.exec(
        select(col(Activity.local_date), col(Activity.tss)).where(Activity.athlete_id == athlete.id)
    ).all()
    planned: list[tuple[dt.date, float]] = []
    if plan is not None:
        planned = [
            (day, tss)
            for day, tss in session.exec(
                select(col(PlannedWorkout.date), col(PlannedWorkout.tss)).where(
                    PlannedWorkout.plan_id == plan.id,
                    PlannedWorkout.status != Status.CANCELLED.value,
                )
            ).all()
        ]
    points = fitness_chart(
        [(day, tss) for day, tss in rides if tss is not None], planned, start, until, today
    )
    return FitnessReport(
        start=start,
        until=until,
        today=today,
        has_plan=bool(planned),
        days=[
            FitnessRow(
                date=p.date,
                tss=round(p.tss, 1),
                ctl=round(p.ctl, 1),
                atl=round(p.atl, 1),
                tsb=round(p.tsb, 1),
                projected=p.projected,
                planned_tss=_round(p.planned_tss),
                planned_ctl=_round(p.planned_ctl),
                planned_atl=_round(p.planned_atl),
                planned_tsb=_round(p.planned_tsb),
            )
            for p in points
        ],
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)

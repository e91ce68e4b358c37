"""The built-in demo: a demo athlete, goal, grid and plan, built fresh on every run."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from wattz.model.tables import Athlete, AvailabilitySlot, Goal
from wattz.plan.availability import parse_weekly
from wattz.plan.domain import Discipline, Priority, Strategy
from wattz.services.athletes import add_athlete, set_athlete
from wattz.services.goals import add_goal, set_weekly
from wattz.services.plan_views import PlanView
from wattz.services.plans import PlanRequest, create_plan

DEMO_ATHLETE = "demo"
DEMO_GOAL = "Demo Gran Fondo"
DEMO_WEEKS_TO_EVENT = 16
DEMO_GRID = (
    "mon=0",
    "tue=60:indoor",
    "wed=45",
    "thu=75:indoor",
    "fri=0",
    "sat=180:outdoor",
    "sun=120",
)


def build_demo(session: Session, today: dt.date) -> PlanView:
    """Rebuild the demo athlete's season (a 16-week plan for a Sunday gran fondo)."""
    athlete = session.exec(select(Athlete).where(Athlete.name == DEMO_ATHLETE)).first()
    if athlete is None:
        athlete = add_athlete(session, DEMO_ATHLETE)
    set_athlete(session, name=DEMO_ATHLETE, ftp_w=250, weight_kg=72, lthr_bpm=168)
    event_day = today + dt.timedelta(weeks=DEMO_WEEKS_TO_EVENT)
    event_day += dt.timedelta(days=(6 - event_day.weekday()))
    goal = session.exec(
        select(Goal).where(Goal.athlete_id == athlete.id, Goal.name == DEMO_GOAL)
    ).first()
    if goal is None:
        add_goal(
            session,
            athlete,
            name=DEMO_GOAL,
            date=event_day,
            priority=Priority.A,
            discipline=Discipline.ROAD,
            today=today,
        )
    else:
        goal.date = event_day
        session.add(goal)
    if (
        session.exec(
            select(AvailabilitySlot).where(AvailabilitySlot.athlete_id == athlete.id)
        ).first()
        is None
    ):
        set_weekly(session, athlete, parse_weekly(DEMO_GRID))
    return create_plan(
        session,
        athlete,
        PlanRequest(goal_name=DEMO_GOAL, strategy=Strategy.LINEAR, replace=True),
        today,
    )

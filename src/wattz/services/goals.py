"""Goals (the events a season aims at) and the weekly availability grid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel
from sqlmodel import Session, col, select

from wattz.errors import Conflict, InvalidValue, NotFound
from wattz.model.tables import Athlete, AvailabilityOverride, AvailabilitySlot, Goal
from wattz.plan.availability import require_riding_day
from wattz.plan.domain import WEEKDAYS, Availability, DaySlot, Discipline, Event, Priority

MAX_GOAL_NAME_CHARS = 120
MIN_RACE_HOURS = 0.25
MAX_RACE_HOURS = 24.0


class GoalView(BaseModel):
    name: str
    date: dt.date
    priority: Priority
    discipline: Discipline
    hours: float | None
    """The race's expected length (null: the discipline's typical race)."""


class SlotView(BaseModel):
    day: str
    minutes: int
    venue: str


class OverrideView(BaseModel):
    date: dt.date
    minutes: int
    venue: str


class AvailabilityView(BaseModel):
    """What ``availability show --json`` prints."""

    weekly: list[SlotView]
    weekly_minutes: int
    overrides: list[OverrideView]


def add_goal(
    session: Session,
    athlete: Athlete,
    *,
    name: str,
    date: dt.date,
    priority: Priority,
    discipline: Discipline,
    today: dt.date,
    hours: float | None = None,
) -> Goal:
    """A new goal event; ``hours`` is how long the athlete expects to race."""
    name = name.strip()
    if hours is not None and not MIN_RACE_HOURS <= hours <= MAX_RACE_HOURS:
        raise InvalidValue(
            f"--hours {hours:g} is not a race length",
            f"give the hours you expect to race, {MIN_RACE_HOURS:g}–{MAX_RACE_HOURS:g}",
        )
    if not name or len(name) > MAX_GOAL_NAME_CHARS:
        raise InvalidValue("a goal needs a name", f"use 1–{MAX_GOAL_NAME_CHARS} characters")
    if date <= today:
        raise InvalidValue(
            f"the event date {date.isoformat()} is not in the future (today is "
            f"{today.isoformat()})",
            "give a date after today",
        )
    existing = session.exec(
        select(Goal).where(Goal.athlete_id == athlete.id, Goal.name == name)
    ).first()
    if existing is not None:
        raise Conflict(f"a goal named {name!r} exists already", "choose another name")
    assert athlete.id is not None
    goal = Goal(
        athlete_id=athlete.id,
        name=name,
        date=date,
        priority=priority.value,
        discipline=discipline.value,
        race_hours=hours,
    )
    session.add(goal)
    session.flush()
    return goal


def find_goal(session: Session, athlete: Athlete, name: str) -> Goal:
    goal = session.exec(
        select(Goal).where(Goal.athlete_id == athlete.id, Goal.name == name)
    ).first()
    if goal is None:
        names = [g.name for g in list_goals(session, athlete)]
        hint = (
            f"goals: {', '.join(names)}" if names else "add one with: wattz goal add NAME --date D"
        )
        raise NotFound(f"no goal named {name!r}", hint)
    return goal


def list_goals(session: Session, athlete: Athlete) -> list[Goal]:
    return list(
        session.exec(select(Goal).where(Goal.athlete_id == athlete.id).order_by(col(Goal.date)))
    )


def races_in_plan(goals: Sequence[Goal], target: Goal, start: dt.date) -> list[Goal]:
    """The athlete's other goals a plan for ``target`` from ``start`` holds: each between
    the start and the event gets a mini-taper and counts as load. Building, auditing and
    showing a plan all ask this one question."""
    return [g for g in goals if g.id != target.id and start <= g.date < target.date]


def goal_view(goal: Goal) -> GoalView:
    return GoalView(
        name=goal.name,
        date=goal.date,
        priority=Priority(goal.priority),
        discipline=Discipline(goal.discipline),
        hours=goal.race_hours,
    )


def as_event(goal: Goal) -> Event:
    return Event(
        goal.name, goal.date, Priority(goal.priority), Discipline(goal.discipline), goal.race_hours
    )


def set_weekly(session: Session, athlete: Athlete, slots: dict[int, DaySlot]) -> Availability:
    """Update the given weekdays (others keep their value); the grid must keep a riding day."""
    current = load_availability(session, athlete)
    merged = [slots.get(index, current.weekly[index]) for index in range(7)]
    require_riding_day(merged)
    rows = {
        row.weekday: row
        for row in session.exec(
            select(AvailabilitySlot).where(AvailabilitySlot.athlete_id == athlete.id)
        )
    }
    assert athlete.id is not None
    for index, slot in enumerate(merged):
        row = rows.get(index) or AvailabilitySlot(athlete_id=athlete.id, weekday=index, minutes=0)
        row.minutes = slot.minutes
        row.venue = slot.venue
        session.add(row)
    session.flush()
    return load_availability(session, athlete)


def set_overrides(
    session: Session, athlete: Athlete, overrides: dict[dt.date, DaySlot]
) -> Availability:
    assert athlete.id is not None
    for date, slot in overrides.items():
        row = session.exec(
            select(AvailabilityOverride).where(
                AvailabilityOverride.athlete_id == athlete.id, AvailabilityOverride.date == date
            )
        ).first() or AvailabilityOverride(athlete_id=athlete.id, date=date, minutes=0)
        row.minutes = slot.minutes
        row.venue = slot.venue
        session.add(row)
    session.flush()
    return load_availability(session, athlete)


def load_availability(session: Session, athlete: Athlete) -> Availability:
    """The athlete's grid; days never set are rest days (0 minutes)."""
    weekly = [DaySlot(0)] * 7
    for row in session.exec(
        select(AvailabilitySlot).where(AvailabilitySlot.athlete_id == athlete.id)
    ):
        weekly[row.weekday] = DaySlot(row.minutes, row.venue)  # type: ignore[arg-type]
    overrides = {
        row.date: DaySlot(row.minutes, row.venue)  # type: ignore[arg-type]
        for row in session.exec(
            select(AvailabilityOverride).where(AvailabilityOverride.athlete_id == athlete.id)
        )
    }
    return Availability(tuple(weekly), overrides)


def availability_view(availability: Availability) -> AvailabilityView:
    return AvailabilityView(
        weekly=[
            SlotView(day=day, minutes=slot.minutes, venue=slot.venue)
            for day, slot in zip(WEEKDAYS, availability.weekly, strict=True)
        ],
        weekly_minutes=availability.weekly_minutes,
        overrides=[
            OverrideView(date=date, minutes=slot.minutes, venue=slot.venue)
            for date, slot in sorted(availability.overrides.items())
        ],
    )

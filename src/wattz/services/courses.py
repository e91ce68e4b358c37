"""Courses: a goal's route from a GPX file, kept with the goal so its plan can follow it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import ValidationError
from sqlmodel import Session

from wattz.errors import InvalidValue, NotFound
from wattz.model.tables import Athlete, Goal
from wattz.plan.course import CourseDemands, CourseProfile, course_demands
from wattz.plan.domain import Priority
from wattz.services.goals import find_goal, list_goals


def add_course(
    session: Session,
    athlete: Athlete,
    path: Path,
    today: dt.date,
    goal_name: str | None = None,
    name: str | None = None,
) -> tuple[Goal, CourseProfile]:
    """Read a GPX file and make it the course of a goal (by default the next A event).

    A goal's earlier course is replaced. The profile is stored whole (``Goal.course``),
    so the plan and ``course show`` never need the file again.
    """
    from wattz.sources.gpx_course import read_gpx_course

    goal = _goal(session, athlete, goal_name, today)
    profile = read_gpx_course(path, name)
    goal.course = profile.model_dump(mode="json")
    session.add(goal)
    session.flush()
    return goal, profile


def show_course(
    session: Session, athlete: Athlete, today: dt.date, goal_name: str | None = None
) -> tuple[Goal, CourseProfile]:
    """The course stored with a goal (by default the next A event); NotFound without one."""
    goal = _goal(session, athlete, goal_name, today)
    profile = course_of(goal)
    if profile is None:
        raise NotFound(
            f"goal {goal.name!r} has no course",
            f"add one with: wattz course add FILE.gpx --goal {_quoted(goal.name)}",
        )
    return goal, profile


def course_of(goal: Goal) -> CourseProfile | None:
    """The goal's course profile, or None when it has none (or one wattz can no longer read)."""
    if not goal.course:
        return None
    try:
        return CourseProfile.model_validate(goal.course)
    except ValidationError:
        return None


def course_demands_of(goal: Goal) -> CourseDemands | None:
    """What the goal's course asks of the specialty block, or None without a course."""
    profile = course_of(goal)
    return course_demands(profile) if profile is not None else None


def _goal(session: Session, athlete: Athlete, goal_name: str | None, today: dt.date) -> Goal:
    if goal_name is not None:
        return find_goal(session, athlete, goal_name)
    upcoming = [
        g for g in list_goals(session, athlete) if g.date > today and g.priority == Priority.A
    ]
    if not upcoming:
        raise NotFound(
            "no upcoming A goal to attach a course to",
            "add one with: wattz goal add NAME --date D, or name one with --goal",
        )
    if len(upcoming) > 1:
        raise InvalidValue(
            f"{len(upcoming)} upcoming A goals: {', '.join(g.name for g in upcoming)}",
            "choose one with --goal NAME",
        )
    return upcoming[0]


def _quoted(name: str) -> str:
    return name if name.replace("-", "").replace("_", "").isalnum() else f"'{name}'"

"""The ``plan new`` wizard: goal, FTP, strategy and the painted availability grid.

Answers are only collected while the person types; everything is written in one
transaction after the summary is confirmed, so Ctrl-C at any prompt leaves nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer
from rich.prompt import Confirm, IntPrompt, Prompt

from wattz.cli.console import note, out
from wattz.errors import WattzError
from wattz.plan.domain import WEEKDAYS, DaySlot, Priority, Rhythm, Strategy

if TYPE_CHECKING:
    from sqlmodel import Session

    from wattz.model.tables import Athlete
    from wattz.plan.domain import Availability

STRATEGY_HELP = {
    Strategy.LINEAR: "base → build → peak: the classic for one big event",
    Strategy.UNDULATING: "varied intensities within each week",
    Strategy.BLOCK: "one energy system per block, for trained riders",
    Strategy.POLARIZED: "mostly easy, a little very hard (80/20)",
}


@dataclass
class WizardAnswers:
    goal_name: str
    goal_date: dt.date | None
    goal_is_new: bool
    ftp_w: int
    strategy: Strategy
    rhythm: Rhythm
    weekly: dict[int, DaySlot]


def run_wizard(athlete_name: str | None) -> None:
    """Ask, preview, confirm, then store everything at once."""
    from wattz.cli.render.availability import availability_table
    from wattz.cli.render.calendar import season_table
    from wattz.model.store import session_scope
    from wattz.services.athletes import ftp_history, ftp_on, resolve_athlete, set_athlete
    from wattz.services.goals import (
        add_goal,
        availability_view,
        list_goals,
        load_availability,
        set_weekly,
    )
    from wattz.services.plans import (
        PlanRequest,
        active_plan_or_none,
        draft_plan,
        load_plan_view,
        store_plan,
    )
    from wattz.settings import today

    now = today()
    out().print("[bold]New training plan[/] — Ctrl-C at any time leaves everything as it was.")
    with session_scope() as session:
        try:
            record = resolve_athlete(session, athlete_name)
            current_ftp = ftp_on(ftp_history(session, record), now)
            goals = [g for g in list_goals(session, record) if g.date > now]
            grid = load_availability(session, record)
        except WattzError:
            record, current_ftp, goals, grid = None, None, [], None
    answers = _ask(now, [g.name for g in goals], current_ftp, grid.weekly if grid else None)

    def store_answers(session: Session) -> tuple[Athlete, Availability]:
        set_athlete(session, name=athlete_name, ftp_w=answers.ftp_w)
        record = resolve_athlete(session, athlete_name)
        if answers.goal_is_new:
            assert answers.goal_date is not None
            from wattz.plan.domain import Discipline

            add_goal(
                session,
                record,
                name=answers.goal_name,
                date=answers.goal_date,
                priority=Priority.A,
                discipline=Discipline.ROAD,
                today=now,
            )
        return record, set_weekly(session, record, answers.weekly)

    # The preview is built and rolled back, so no write lock is held while the person reads;
    # the confirmed answers are stored again with the same draft, all in one transaction.
    with session_scope() as session:
        record, grid = store_answers(session)
        existing = active_plan_or_none(session, record)
        request = PlanRequest(
            goal_name=answers.goal_name,
            strategy=answers.strategy,
            rhythm=answers.rhythm,
            replace=existing is not None,
        )
        draft = draft_plan(session, record, request, now)
        view = load_plan_view(session, record, store_plan(session, record, draft, now))
        replaced = existing.id if existing is not None else None
        session.rollback()
    out().print(availability_table(availability_view(grid)))
    out().print(season_table(view, now))
    if view.feasibility:
        note(view.feasibility)
    if replaced is not None:
        note(f"this replaces plan {replaced}")
    if not Confirm.ask("Store this plan?", default=True):
        raise typer.Abort()
    with session_scope() as session:
        record, _ = store_answers(session)
        stored = store_plan(session, record, draft, now)
    out().print(f"plan {stored.id} stored — see it with: wattz calendar")


def _ask(
    today: dt.date,
    goal_names: list[str],
    current_ftp: int | None,
    weekly: tuple[DaySlot, ...] | None,
) -> WizardAnswers:
    from wattz.cli.options import parse_date
    from wattz.plan.availability import parse_slot, require_riding_day
    from wattz.services.athletes import FTP_RANGE_W

    goal_date: dt.date | None = None
    if goal_names:
        out().print("Your goals: " + ", ".join(goal_names))
    goal_name = Prompt.ask("Goal event (name)", default=goal_names[0] if goal_names else None)
    while not goal_name or not goal_name.strip():
        goal_name = Prompt.ask("Goal event (name)")
    goal_name = goal_name.strip()
    goal_is_new = goal_name not in goal_names
    if goal_is_new:
        while goal_date is None:
            text = Prompt.ask("Event date (YYYY-MM-DD)")
            try:
                goal_date = parse_date(text, "date")
            except WattzError as error:
                out().print(f"[red]{error}[/]")
                continue
            if goal_date <= today:
                out().print("[red]the event must be after today[/]")
                goal_date = None
    low, high = FTP_RANGE_W
    ftp_w = 0
    while not low <= ftp_w <= high:
        ftp_w = IntPrompt.ask("FTP in watts", default=current_ftp or 200)
        if not low <= ftp_w <= high:
            out().print(f"[red]FTP must be {low}–{high} W[/]")
    for strategy, text in STRATEGY_HELP.items():
        out().print(f"  [bold]{strategy.value.lower()}[/]: {text}")
    strategy = Strategy(
        Prompt.ask(
            "Strategy", choices=[s.value.lower() for s in Strategy], default="linear"
        ).upper()
    )
    rhythm = Rhythm(
        Prompt.ask("Rhythm (loading:recovery weeks)", choices=["3:1", "2:1"], default="3:1")
    )
    out().print(
        "Paint your week: minutes you can ride each day, e.g. 60, 90:indoor, 240:outdoor, 0."
    )
    slots: dict[int, DaySlot] = {}
    while True:
        for index, day in enumerate(WEEKDAYS):
            previous = weekly[index] if weekly else DaySlot(0)
            default = f"{previous.minutes}" + (
                f":{previous.venue}" if previous.venue != "any" else ""
            )
            while True:
                text = Prompt.ask(f"  {day.capitalize()}", default=default)
                try:
                    slots[index] = parse_slot(text, day)
                    break
                except WattzError as error:
                    out().print(f"[red]{error}[/]")
        try:
            require_riding_day(slots.values())
            break
        except WattzError as error:
            out().print(f"[red]{error}[/]")
    return WizardAnswers(goal_name, goal_date, goal_is_new, ftp_w, strategy, rhythm, slots)

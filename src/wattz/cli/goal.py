"""``wattz goal``: the events a season aims at (A races shape the plan; B/C get mini-tapers)."""

from __future__ import annotations

from typing import Annotated

import typer

from wattz.cli.console import out, print_json
from wattz.cli.options import AthleteOption, JsonOption, command_group, parse_date, parse_enum
from wattz.plan.domain import Discipline, Priority

app = command_group("Goal events: add, list.")


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The event's name, e.g. 'Marmotte'.")],
    date: Annotated[str, typer.Option("--date", help="Event date, YYYY-MM-DD.")],
    priority: Annotated[str, typer.Option("--priority", help="A, B or C.")] = "A",
    discipline: Annotated[
        str, typer.Option("--discipline", help="road, gravel, mtb or tt.")
    ] = "road",
    hours: Annotated[
        float | None,
        typer.Option(
            "--hours", help="How long you expect to race (default: the discipline's typical)."
        ),
    ] = None,
    athlete: AthleteOption = None,
) -> None:
    """Add a goal event; a B/C race counts as load, estimated from its length."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.goals import add_goal
    from wattz.settings import today

    event_date = parse_date(date, "--date")
    level = parse_enum(Priority, priority, "--priority")
    kind = parse_enum(Discipline, discipline, "--discipline")
    with session_scope() as session:
        goal = add_goal(
            session,
            resolve_athlete(session, athlete),
            name=name,
            date=event_date,
            priority=level,
            discipline=kind,
            today=today(),
            hours=hours,
        )
    out().print(f"goal {goal.name!r} on {goal.date.isoformat()} (priority {goal.priority})")


@app.command("list")
def list_(json: JsonOption = False, athlete: AthleteOption = None) -> None:
    """List the athlete's goal events, soonest first."""
    from rich.table import Table

    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.goals import goal_view, list_goals

    with session_scope() as session:
        goals = [goal_view(g) for g in list_goals(session, resolve_athlete(session, athlete))]
    if json:
        print_json([g.model_dump(mode="json") for g in goals])
        return
    table = Table(show_edge=False)
    for column in ("Goal", "Date", "Priority", "Discipline", "Hours"):
        table.add_column(column)
    for goal in goals:
        hours = "" if goal.hours is None else f"{goal.hours:g}"
        table.add_row(goal.name, goal.date.isoformat(), goal.priority, goal.discipline, hours)
    out().print(table)

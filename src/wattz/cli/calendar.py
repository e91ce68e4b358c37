"""``wattz calendar``: the plan as a week, a month or the whole season."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from wattz.cli.console import note, out
from wattz.cli.options import AthleteOption, parse_optional_date
from wattz.errors import InvalidValue

if TYPE_CHECKING:
    from wattz.services.plan_views import PlanView


def calendar(
    week: Annotated[
        str | None, typer.Option("--week", help="The Monday–Sunday week holding this date.")
    ] = None,
    month: Annotated[
        str | None, typer.Option("--month", help="The month holding this date (or YYYY-MM).")
    ] = None,
    season: Annotated[bool, typer.Option("--season", help="A row per week of the plan.")] = False,
    athlete: AthleteOption = None,
) -> None:
    """Show the plan as a calendar (default: this week)."""
    from wattz.cli.render.calendar import month_table, season_table, week_table
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.plans import active_plan, load_plan_view
    from wattz.settings import today

    if sum((week is not None, month is not None, season)) > 1:
        raise InvalidValue("choose one of --week, --month or --season", "give only one view")
    now = today()
    with session_scope() as session:
        record = resolve_athlete(session, athlete)
        view = load_plan_view(session, record, active_plan(session, record))
    if season:
        out().print(season_table(view, now))
    elif month is not None:
        month_text = f"{month}-01" if len(month) == 7 else month
        month_day = parse_optional_date(month_text, "--month") or now
        out().print(month_table(view, month_day, now))
        first = month_day.replace(day=1)
        last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        _say_if_outside(view, first, last, f"{first:%B %Y}")
    else:
        day = parse_optional_date(week, "--week") or now
        monday = day - dt.timedelta(days=day.weekday())
        out().print(week_table(view, monday, now))
        _say_if_outside(
            view, monday, monday + dt.timedelta(days=6), f"the week of {monday.isoformat()}"
        )
    if view.feasibility:
        note(view.feasibility)


def _say_if_outside(view: PlanView, first: dt.date, last: dt.date, what: str) -> None:
    """An empty calendar far from the plan should say why it is empty."""
    if last < view.start or first > view.goal.date:
        note(
            f"{what} is outside the plan ({view.start.isoformat()} → {view.goal.date.isoformat()})"
        )


def register(app: typer.Typer) -> None:
    app.command("calendar")(calendar)

"""``wattz availability``: the weekly grid of riding time and dated exceptions."""

from __future__ import annotations

from typing import Annotated

import typer

from wattz.cli.console import note, print_json
from wattz.cli.options import AthleteOption, JsonOption, command_group

app = command_group("Weekly availability: set, override, show.")


@app.command("set")
def set_(
    days: Annotated[
        list[str], typer.Argument(help="day=minutes[:indoor|outdoor], e.g. tue=60:indoor sat=240")
    ],
    athlete: AthleteOption = None,
) -> None:
    """Set minutes (and indoor/outdoor) for weekdays; days not named keep their value."""
    from wattz.cli.render.availability import render_availability
    from wattz.model.store import session_scope
    from wattz.plan.availability import parse_weekly
    from wattz.services.athletes import resolve_athlete
    from wattz.services.goals import availability_view, set_weekly
    from wattz.services.negotiation import replace_for_availability
    from wattz.settings import today

    slots = parse_weekly(days)
    with session_scope() as session:
        record = resolve_athlete(session, athlete)
        grid = set_weekly(session, record, slots)
        change = replace_for_availability(session, record, today())
    render_availability(availability_view(grid))
    if change is not None:
        note(f"change #{change.id}: {change.reason} (undo: wattz changes undo {change.id})")


@app.command("override")
def override(
    dates: Annotated[
        list[str], typer.Argument(help="date=minutes[:venue], e.g. 2027-03-14=0 2027-03-15=90")
    ],
    athlete: AthleteOption = None,
) -> None:
    """Change the time available on particular dates (0 = no riding that day)."""
    from wattz.cli.render.availability import render_availability
    from wattz.model.store import session_scope
    from wattz.plan.availability import parse_overrides
    from wattz.services.athletes import resolve_athlete
    from wattz.services.goals import availability_view, set_overrides

    overrides = parse_overrides(dates)
    with session_scope() as session:
        grid = set_overrides(session, resolve_athlete(session, athlete), overrides)
    render_availability(availability_view(grid))


@app.command("show")
def show(json: JsonOption = False, athlete: AthleteOption = None) -> None:
    """Show the weekly grid and dated overrides."""
    from wattz.cli.render.availability import render_availability
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.goals import availability_view, load_availability

    with session_scope() as session:
        view = availability_view(load_availability(session, resolve_athlete(session, athlete)))
    if json:
        print_json(view.model_dump(mode="json"))
    else:
        render_availability(view)

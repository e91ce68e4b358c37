"""``wattz fitness``: CTL, ATL and TSB over time, planned against actual."""

from __future__ import annotations

from typing import Annotated

import typer

from wattz.cli.console import note, out, print_json
from wattz.cli.options import AthleteOption, JsonOption, parse_optional_date


def fitness(
    since: Annotated[
        str | None, typer.Option("--from", help="First day (default: 90 days ago).")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="Last day (default: today, or six weeks on with a plan)."),
    ] = None,
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Draw fitness (CTL), fatigue (ATL) and form (TSB) from rides and the plan."""
    from wattz.cli.render.fitness import fitness_chart
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.fitness import fitness_report
    from wattz.settings import today

    first = parse_optional_date(since, "--from")
    last = parse_optional_date(until, "--until")
    with session_scope() as session:
        report = fitness_report(session, resolve_athlete(session, athlete), today(), first, last)
    if json:
        print_json(report.model_dump(mode="json"))
        return
    out().print(fitness_chart(report, out().width))
    if not report.has_plan:
        note("no plan: actual fitness only (build one with: wattz plan new)")


def register(app: typer.Typer) -> None:
    app.command("fitness")(fitness)

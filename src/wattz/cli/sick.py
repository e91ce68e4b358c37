"""``wattz sick``: report being sick or injured; the audit deloads the plan."""

from __future__ import annotations

from typing import Annotated

import typer

from wattz.cli.console import out, print_json
from wattz.cli.options import AthleteOption, JsonOption, parse_date, parse_optional_date


def sick(
    first: Annotated[str, typer.Option("--from", help="First day unwell (YYYY-MM-DD, today).")],
    last: Annotated[
        str | None, typer.Option("--to", help="Last day unwell (default: through today).")
    ] = None,
    injured: Annotated[bool, typer.Option("--injured", help="Injured rather than sick.")] = False,
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Record sick (or injured) days; the next audit deloads the plan, today included."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.negotiation import record_sick
    from wattz.settings import today

    start = parse_date(first, "--from")
    end = parse_optional_date(last, "--to")
    with session_scope() as session:
        days = record_sick(
            session, resolve_athlete(session, athlete), start, end, today(), injured=injured
        )
    if json:
        print_json({"days": [day.isoformat() for day in days], "injured": injured})
        return
    word = "injured" if injured else "sick"
    span = days[0].isoformat() if len(days) == 1 else f"{days[0]} to {days[-1]}"
    out().print(
        f"{word}: {span} ({len(days)} day{'s' * (len(days) != 1)}) — the next audit "
        "deloads the plan (run it now with: wattz audit)",
        markup=False,
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    app.command("sick")(sick)

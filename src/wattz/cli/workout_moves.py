"""``wattz workout move`` and ``workout skip``: negotiating with the plan (blueprint §5).

A move is checked first; a conflict (longer than the day's time, key days side by side,
a key workout into a recovery week) is explained with the answers that resolve it.
On a terminal wattz asks; scripts pass ``--scale-down``, ``--swap`` or ``--force``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from wattz.cli.console import err, note, out, print_json
from wattz.cli.options import AthleteOption, JsonOption, parse_date, parse_enum
from wattz.errors import InvalidValue

if TYPE_CHECKING:
    from wattz.adapt.negotiation import Resolution
    from wattz.services.negotiation import ImpactView

ANSWER_WORDS = {
    "scale-down": "scale it down",
    "swap": "swap with that day's workout",
    "force": "force it",
}


def move(
    workout_id: Annotated[int, typer.Argument(metavar="ID", help="The workout's id.")],
    day: Annotated[str, typer.Argument(metavar="DATE", help="The day to move it to.")],
    scale_down: Annotated[
        bool, typer.Option("--scale-down", help="Shorten it to the day's time, intervals kept.")
    ] = False,
    swap: Annotated[bool, typer.Option("--swap", help="Swap it with that day's workout.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Move it over the conflict.")] = False,
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Move a workout to another day, with an impact check."""
    from wattz.adapt.negotiation import Resolution
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.negotiation import check_move, move_workout
    from wattz.settings import today

    chosen = [
        r
        for r, flag in (
            (Resolution.SCALE_DOWN, scale_down),
            (Resolution.SWAP, swap),
            (Resolution.FORCE, force),
        )
        if flag
    ]
    if len(chosen) > 1:
        raise InvalidValue("choose one of --scale-down, --swap or --force", "give only one")
    answer = chosen[0] if chosen else None
    target = parse_date(day, "--date")
    now = today()
    with session_scope() as session:
        record = resolve_athlete(session, athlete)
        if answer is None and sys.stdin.isatty() and not json:
            impact = check_move(session, record, workout_id, target, now)
            if impact.conflicts:
                answer = _ask(impact)
        result = move_workout(session, record, workout_id, target, answer, now)
    if json:
        print_json(result.model_dump(mode="json"))
        return
    out().print(f"#{result.change.id} {result.change.reason}", markup=False, soft_wrap=True)


def _ask(impact: ImpactView) -> Resolution:
    from rich.prompt import Prompt

    from wattz.adapt.negotiation import Resolution

    console = err()
    console.print(f"Moving {impact.title!r} to {impact.to_date:%a %d %b}:", markup=False)
    for conflict in impact.conflicts:
        console.print(f"  · {conflict.message}", markup=False)
    if not impact.options:
        raise InvalidValue("no answer resolves this move", "pick another day")
    for number, option in enumerate(impact.options, start=1):
        extra = f" (to {impact.scaled_minutes} min)" if option is Resolution.SCALE_DOWN else ""
        console.print(f"  {number}. {ANSWER_WORDS[option.value]}{extra}", markup=False)
    choices = [str(n) for n in range(1, len(impact.options) + 1)] + ["q"]
    picked = Prompt.ask(
        "What would you like to do? (q to keep it where it is)", choices=choices, console=console
    )
    if picked == "q":
        raise typer.Exit(0)
    return impact.options[int(picked) - 1]


def skip(
    workout_id: Annotated[int, typer.Argument(metavar="ID", help="The workout's id.")],
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            help="busy, travel, no-time, sick, injured, too-hard, fatigue, equipment …",
        ),
    ],
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Record that a workout is skipped and why; the next audit decides what follows."""
    from wattz.model.store import session_scope
    from wattz.plan.domain import Reason
    from wattz.services.athletes import resolve_athlete
    from wattz.services.negotiation import skip_workout
    from wattz.settings import today

    why = parse_enum(Reason, reason, "--reason")
    with session_scope() as session:
        view = skip_workout(session, resolve_athlete(session, athlete), workout_id, why, today())
    if json:
        print_json(view.model_dump(mode="json"))
        return
    out().print(f"#{view.id} {view.reason}", markup=False, soft_wrap=True)
    note("the next audit decides what follows (wattz audit)")


def register(app: typer.Typer) -> None:
    """Add ``move`` and ``skip`` to the ``workout`` group."""
    app.command("move")(move)
    app.command("skip")(skip)

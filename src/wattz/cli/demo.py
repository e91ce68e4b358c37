"""``wattz demo``: wattz's main job on a built-in example, with no setup and no network."""

from __future__ import annotations

import datetime as dt

import typer

from wattz.cli.console import note, out

NEXT_STEPS = (
    "Next:",
    "  wattz calendar --athlete demo --month",
    "  wattz plan show --athlete demo --json",
    "  wattz plan new                 (your own plan: a wizard on a terminal)",
)
"""One command a line, so no terminal width cuts a command in two."""


def demo() -> None:
    """Build a demo athlete's 16-week plan and show its season and first two weeks."""
    from wattz.cli.render.calendar import season_table, week_table
    from wattz.model.store import session_scope
    from wattz.services.demo import DEMO_ATHLETE, build_demo
    from wattz.settings import today

    now = today()
    with session_scope() as session:
        view = build_demo(session, now)
    out().print(
        f"[bold]wattz demo[/] — athlete '{DEMO_ATHLETE}', FTP 250 W, "
        f"{view.goal.name} on {view.goal.date.isoformat()}"
    )
    out().print(season_table(view, now))
    if view.feasibility:
        note(view.feasibility)
    monday = now - dt.timedelta(days=now.weekday())
    for offset in (0, 1):
        out().print()
        out().print(week_table(view, monday + dt.timedelta(weeks=offset), now))
    out().print()
    for line in NEXT_STEPS:
        out().print(line, markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)

"""``wattz source``: where the nightly audit finds new rides."""

from __future__ import annotations

from typing import Annotated

import typer

from wattz.cli.console import note, out, print_json
from wattz.cli.options import AthleteOption, JsonOption, command_group

app = command_group("Ride sources for the nightly audit: a folder, a head unit, Garmin.")


@app.command("add")
def add(
    where: Annotated[
        str,
        typer.Argument(
            metavar="DIR|device|garmin",
            help="A folder of FIT files, 'device' (a mounted Garmin or Wahoo), or 'garmin'.",
        ),
    ],
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Add a source the audit imports new rides from."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.sources_config import add_source

    with session_scope() as session:
        view = add_source(session, resolve_athlete(session, athlete), where)
    if json:
        print_json(view.model_dump(mode="json"))
        return
    where_text = view.location or view.kind.value
    out().print(f"source {view.id}: {where_text}", markup=False, soft_wrap=True)


@app.command("list")
def list_(json: JsonOption = False, athlete: AthleteOption = None) -> None:
    """The sources the audit reads, and how many files each has shown it."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.sources_config import list_sources

    with session_scope() as session:
        views = list_sources(session, resolve_athlete(session, athlete))
    if json:
        print_json([view.model_dump(mode="json") for view in views])
        return
    if not views:
        note("no sources yet: add one with: wattz source add DIR|device|garmin")
        return
    for view in views:
        where = (
            view.location or "(whatever is mounted)"
            if view.kind.value == "device"
            else (view.location or "Garmin Connect")
        )
        out().print(
            f"{view.id}  {view.kind.value:<6}  {where}  ({view.files_seen} files seen)",
            markup=False,
            soft_wrap=True,
        )

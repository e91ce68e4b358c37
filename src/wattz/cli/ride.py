"""``wattz ride``: import activity files, list and show rides, log the ride survey."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wattz.cli.console import err, note, out, print_json
from wattz.cli.options import (
    AthleteOption,
    JsonOption,
    command_group,
    parse_date,
    parse_enum,
    parse_optional_date,
)

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

app = command_group("Rides: import FIT files, list, show, and log how they felt.")

PROGRESS_MIN_FILES = 5
"""Fewer files than this import too fast for a progress bar to help."""


@app.command("import")
def import_(
    paths: Annotated[
        list[Path], typer.Argument(help="FIT files or folders (searched recursively).")
    ],
    athlete: AthleteOption = None,
) -> None:
    """Import rides (any sport) from FIT files; duplicates are recognised and skipped."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.rides import import_rides

    with session_scope() as session, _progress() as progress:
        record = resolve_athlete(session, athlete)
        report = import_rides(session, record, paths, progress=progress)
    for ride in report.imported:
        line = f"imported ride {ride.id}: {ride.start:%Y-%m-%d %H:%M} {ride.sport}"
        if ride.tss is not None:
            line += f", TSS {ride.tss:.0f} ({ride.tss_source})"
        out().print(line, soft_wrap=True)
        if ride.note:
            note(f"note: {Path(ride.path).name}: {ride.note} — the part before it was imported")
    for skipped in report.duplicates:
        note(f"skipped {Path(skipped.path).name}: {skipped.reason}")
    for failed in report.failed:
        note(f"error: {failed.reason}")
    out().print(
        f"{len(report.imported)} imported, {len(report.duplicates)} already there, "
        f"{len(report.failed)} failed"
    )
    if report.ftp_suggestion is not None:
        tip = report.ftp_suggestion
        note(
            f"ride {tip.ride_id} on {tip.date.isoformat()}: best 20 min "
            f"{tip.best_20min_power_w:.0f} W × 0.95 = {tip.suggested_ftp_w} W beats your FTP "
            f"of {tip.ftp_w} W — "
            f"to use it: {tip.command}"
        )
    if report.failed and not report.imported and not report.duplicates:
        raise typer.Exit(1)


@app.command("list")
def list_(
    sport: Annotated[
        str | None, typer.Option("--sport", help="Only this sport (cycling, running, bike…).")
    ] = None,
    since: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last day (YYYY-MM-DD).")] = None,
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """List rides, oldest first."""
    from wattz.cli.render.ride import rides_table
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.rides import list_rides

    first = parse_optional_date(since, "--from")
    last = parse_optional_date(until, "--until")
    with session_scope() as session:
        rides = list_rides(session, resolve_athlete(session, athlete), sport, first, last)
    if json:
        print_json([ride.model_dump(mode="json") for ride in rides])
    elif not rides:
        note("no rides yet — import some with: wattz ride import PATH")
    else:
        out().print(rides_table(rides))


@app.command("show")
def show(
    ride_id: Annotated[int, typer.Argument(help="The ride's id (see: wattz ride list).")],
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Show a ride: summary, time in zones, and its power over the planned workout."""
    from wattz.cli.render.ride import render_ride
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.rides import ride_detail

    with session_scope() as session:
        detail = ride_detail(session, resolve_athlete(session, athlete), ride_id)
    if json:
        print_json(detail.model_dump(mode="json"))
    else:
        render_ride(detail)


@app.command("log")
def log(
    ride: Annotated[str, typer.Argument(help="A ride id, or a date with one ride.")],
    rpe: Annotated[
        int | None, typer.Option("--rpe", help="How hard it felt, 1 (easy) to 10 (maximal).")
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="busy|travel|no-time|sick|injured|too-hard|fatigue|easy|ok|equipment",
        ),
    ] = None,
    athlete: AthleteOption = None,
) -> None:
    """Log the ride survey: RPE and the reason it went as it did."""
    from wattz.model.store import session_scope
    from wattz.plan.domain import Reason
    from wattz.services.athletes import resolve_athlete
    from wattz.services.rides import log_ride

    target: int | dt.date = int(ride) if ride.isdigit() else parse_date(ride, "RIDE")
    why = parse_enum(Reason, reason, "--reason") if reason is not None else None
    with session_scope() as session:
        row = log_ride(session, resolve_athlete(session, athlete), target, rpe, why)
    facts = [f"ride {row.id} ({row.date.isoformat()})"]
    if row.rpe is not None:
        facts.append(f"RPE {row.rpe}")
    if row.reason is not None:
        facts.append(row.reason)
    if row.tss is not None:
        facts.append(f"TSS {row.tss:.0f} ({row.tss_source})")
    out().print("logged " + ", ".join(facts))


@app.command("recompute")
def recompute(
    since: Annotated[
        str | None, typer.Option("--from", help="Only rides from this day on (YYYY-MM-DD).")
    ] = None,
    athlete: AthleteOption = None,
) -> None:
    """Recompute stored rides' NP, IF, TSS and compliance at the FTP of each ride's day
    (after `athlete set --ftp N --from D` or a new LTHR)."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.rides import recompute_metrics

    first = parse_optional_date(since, "--from")
    with session_scope() as session:
        count = recompute_metrics(session, resolve_athlete(session, athlete), first)
    out().print(f"recomputed {count} ride{'s' if count != 1 else ''}")


class _progress:
    """A progress bar on stderr for long imports; silent for a few files or off a terminal."""

    def __init__(self) -> None:
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> _progress:
        return self

    def __exit__(self, *_: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_MIN_FILES:
            return
        if self._bar is None:
            from rich.progress import Progress

            console = err()
            if not console.is_terminal:
                return
            self._bar = Progress(console=console, transient=True)
            self._task = self._bar.add_task("importing rides", total=total)
            self._bar.start()
        if self._task is not None:
            self._bar.update(self._task, completed=done)

"""``wattz export``: the plan's workouts as files, in a folder or straight onto a device."""

from __future__ import annotations

from typing import Annotated

import typer

from wattz.cli.console import note, out, print_json
from wattz.cli.device import RootOption
from wattz.cli.options import AthleteOption, JsonOption, parse_optional_date


def register(app: typer.Typer) -> None:
    """Add ``wattz export`` (a single command, not a group) to the root app."""
    app.command("export")(export)


def export(
    to: Annotated[
        str, typer.Option("--to", help="garmin, wahoo, zwift, or a folder (a device's root too).")
    ],
    format: Annotated[
        str | None,
        typer.Option("--format", help="zwo|mrc|erg|fit|plan|json|ics (default: the device's own)."),
    ] = None,
    workout: Annotated[
        int | None, typer.Option("--workout", help="One planned workout, by id.")
    ] = None,
    week: Annotated[
        str | None, typer.Option("--week", help="The Monday–Sunday week containing this day.")
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    date_until: Annotated[str | None, typer.Option("--until", help="Last day, YYYY-MM-DD.")] = None,
    root: RootOption = None,
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Write workouts (default: the active plan from today on) and remove stale ones."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.exports import export_plan
    from wattz.settings import today

    with session_scope() as session:
        report = export_plan(
            session,
            resolve_athlete(session, athlete),
            to=to,
            today=today(),
            format_name=format,
            workout_id=workout,
            week=parse_optional_date(week, "--week"),
            date_from=parse_optional_date(date_from, "--from"),
            date_until=parse_optional_date(date_until, "--until"),
            mount_roots=root or None,
        )
    for warning in report.warnings:
        note(f"warning: {warning}")
    if json:
        print_json(report.to_json_dict())
        return
    where = report.device.name if report.device else "folder"
    out().print(
        f"{len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed — {report.format} to {report.folder} ({where})",
        soft_wrap=True,
    )

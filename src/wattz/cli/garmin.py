"""``wattz garmin``: log in to Garmin Connect once, then sync rides, wellness and workouts."""

from __future__ import annotations

from typing import Annotated

import typer

from wattz.cli.console import note, out
from wattz.cli.options import AthleteOption, command_group

app = command_group("Garmin Connect: log in, then sync rides, HRV/resting HR and workouts.")


@app.command("login")
def login(
    email: Annotated[str | None, typer.Option("--email", help="Garmin Connect email.")] = None,
    athlete: AthleteOption = None,
) -> None:
    """Log in (the password is asked, never echoed); tokens are kept in the data dir."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.garmin import garmin_login
    from wattz.settings import data_dir

    with session_scope() as session:  # first, so a wrong --athlete never costs a password
        record = resolve_athlete(session, athlete)
    address = email or typer.prompt("Garmin Connect email")
    password = typer.prompt("Password", hide_input=True)
    folder = garmin_login(
        data_dir(),
        record,
        address,
        password,
        prompt_mfa=lambda: typer.prompt("Code from Garmin (two-factor)"),
    )
    out().print(f"logged in to Garmin Connect; tokens saved in {folder} (readable by you only)")


@app.command("sync")
def sync(
    days: Annotated[
        int, typer.Option("--days", min=1, max=365, help="How many days back to look.")
    ] = 14,
    athlete: AthleteOption = None,
) -> None:
    """Download new activities, HRV and resting HR; upload the coming week's workouts."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.garmin import garmin_sync
    from wattz.settings import data_dir, today

    with session_scope() as session:
        record = resolve_athlete(session, athlete)
        report = garmin_sync(session, record, data_dir(), today(), days_back=days)
    rides = report.rides
    for ride in rides.imported:
        out().print(f"imported ride {ride.id}: {ride.start:%Y-%m-%d %H:%M} {ride.sport}")
    for failed in rides.failed:
        note(f"error: {failed.reason}")
    for workout in report.uploaded:
        out().print(f"scheduled on Garmin: {workout.date.isoformat()} {workout.title}")
    out().print(
        f"{report.downloaded} activities on Garmin, {len(rides.imported)} new; "
        f"{report.wellness_days} days of wellness; {len(report.uploaded)} workouts uploaded"
        f" ({report.already_uploaded} already there)"
    )
    if rides.ftp_suggestion is not None:
        note(f"your FTP may have gone up — to use it: {rides.ftp_suggestion.command}")

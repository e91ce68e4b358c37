"""``wattz athlete``: FTP (with history), weight, heart-rate anchors, time zone, zones."""

from __future__ import annotations

from typing import Annotated

import typer

from wattz.cli.console import note, out, print_json
from wattz.cli.options import AthleteOption, JsonOption, command_group, parse_optional_date

app = command_group("The athlete: FTP history, weight, heart rate, zones.")


@app.command("set")
def set_(
    ftp: Annotated[int | None, typer.Option("--ftp", help="Functional threshold power, W.")] = None,
    weight: Annotated[float | None, typer.Option("--weight", help="Body weight, kg.")] = None,
    lthr: Annotated[
        int | None, typer.Option("--lthr", help="Lactate-threshold heart rate, bpm.")
    ] = None,
    max_hr: Annotated[int | None, typer.Option("--max-hr", help="Maximum heart rate, bpm.")] = None,
    hrv_baseline: Annotated[
        float | None, typer.Option("--hrv-baseline", help="Resting HRV (rMSSD) baseline, ms.")
    ] = None,
    tz: Annotated[
        str | None, typer.Option("--tz", help="IANA time zone, e.g. Europe/Paris.")
    ] = None,
    valid_from: Annotated[
        str | None,
        typer.Option("--from", help="Date the new FTP holds from (default: all history)."),
    ] = None,
    athlete: AthleteOption = None,
) -> None:
    """Create or update the athlete (the first call creates one named 'default')."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import set_athlete
    from wattz.settings import today

    since = parse_optional_date(valid_from, "--from")
    with session_scope() as session:
        record = set_athlete(
            session,
            name=athlete,
            ftp_w=ftp,
            valid_from=since,
            weight_kg=weight,
            lthr_bpm=lthr,
            max_hr_bpm=max_hr,
            hrv_baseline_ms=hrv_baseline,
            time_zone=tz,
        )
        recomputed = 0
        if ftp is not None or lthr is not None:
            from wattz.services.rides import recompute_metrics

            recomputed = recompute_metrics(session, record, since)
        from wattz.services.athletes import athlete_profile

        profile = athlete_profile(session, record, today())
    if recomputed:
        note(f"{recomputed} ride(s) rescored at the new FTP/LTHR")
    out().print(
        f"athlete {profile.name}: FTP {profile.ftp_w} W"
        + (f", {profile.weight_kg:g} kg ({profile.w_per_kg} W/kg)" if profile.weight_kg else "")
    )


@app.command("show")
def show(json: JsonOption = False, athlete: AthleteOption = None) -> None:
    """Show the athlete, FTP history and training zones."""
    from wattz.cli.render.athlete import render_profile
    from wattz.model.store import session_scope
    from wattz.services.athletes import athlete_profile, resolve_athlete
    from wattz.settings import today

    with session_scope() as session:
        profile = athlete_profile(session, resolve_athlete(session, athlete), today())
    if json:
        print_json(profile.model_dump(mode="json"))
    else:
        render_profile(profile)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The new athlete's name.")],
    ftp: Annotated[int | None, typer.Option("--ftp", help="Their FTP, W.")] = None,
) -> None:
    """Add another athlete to this store (then pick one with --athlete NAME)."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import add_athlete, set_athlete

    with session_scope() as session:
        add_athlete(session, name)
        if ftp is not None:
            set_athlete(session, name=name, ftp_w=ftp)
    out().print(f"athlete {name} added")


@app.command("rename")
def rename(
    old: Annotated[str, typer.Argument(help="The athlete's current name.")],
    new: Annotated[str, typer.Argument(help="The new name (not taken by another athlete).")],
) -> None:
    """Rename an athlete; plans, rides and the Garmin Connect login stay theirs."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import rename_athlete
    from wattz.settings import data_dir

    with session_scope() as session:
        renamed = rename_athlete(session, old, new, data_dir())
    out().print(f"athlete {old} is now {renamed.name}", markup=False, soft_wrap=True)

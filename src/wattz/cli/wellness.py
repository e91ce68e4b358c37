"""``wattz wellness``: morning HRV and resting heart rate, sleep, sick and injured days."""

from __future__ import annotations

from typing import Annotated

import typer

from wattz.cli.console import note, out, print_json
from wattz.cli.options import (
    AthleteOption,
    JsonOption,
    command_group,
    parse_date,
    parse_optional_date,
)

app = command_group("Wellness: HRV, resting heart rate, sleep, sick and injured days.")


@app.command("log")
def log(
    day: Annotated[str, typer.Argument(help="The day (YYYY-MM-DD, today, yesterday).")],
    hrv: Annotated[float | None, typer.Option("--hrv", help="Morning HRV (rMSSD), ms.")] = None,
    rhr: Annotated[int | None, typer.Option("--rhr", help="Resting heart rate, bpm.")] = None,
    sleep: Annotated[float | None, typer.Option("--sleep", help="Hours slept.")] = None,
    sick: Annotated[bool, typer.Option("--sick", help="Sick that day.")] = False,
    injured: Annotated[bool, typer.Option("--injured", help="Injured that day.")] = False,
    athlete: AthleteOption = None,
) -> None:
    """Record a day's wellness (logging a day again updates what is given)."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.wellness import log_wellness

    date = parse_date(day, "DATE")
    with session_scope() as session:
        row = log_wellness(
            session,
            resolve_athlete(session, athlete),
            date,
            hrv_ms=hrv,
            rhr_bpm=rhr,
            sleep_h=sleep,
            sick=True if sick else None,
            injured=True if injured else None,
        )
    out().print(f"wellness {row.date.isoformat()}: {_facts(row)}")


@app.command("list")
def list_(
    since: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last day (YYYY-MM-DD).")] = None,
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """List wellness days, oldest first."""
    from rich.table import Table

    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.wellness import list_wellness

    first = parse_optional_date(since, "--from")
    last = parse_optional_date(until, "--until")
    with session_scope() as session:
        rows = list_wellness(session, resolve_athlete(session, athlete), first, last)
    if json:
        print_json([row.model_dump(mode="json") for row in rows])
        return
    if not rows:
        note("no wellness logged yet — wattz wellness log today --hrv 62 --rhr 48")
        return
    table = Table(show_edge=False)
    for name in ("Date", "HRV ms", "RHR bpm", "Sleep h", "Flags"):
        table.add_column(name, justify="left" if name in ("Date", "Flags") else "right")
    for row in rows:
        flags = " ".join(flag for flag, on in (("sick", row.sick), ("injured", row.injured)) if on)
        table.add_row(
            row.date.isoformat(),
            "–" if row.hrv_ms is None else f"{row.hrv_ms:g}",
            "–" if row.rhr_bpm is None else str(row.rhr_bpm),
            "–" if row.sleep_h is None else f"{row.sleep_h:g}",
            flags,
        )
    out().print(table)


def _facts(row: object) -> str:
    parts = []
    for label, name, unit in (
        ("HRV", "hrv_ms", " ms"),
        ("RHR", "rhr_bpm", " bpm"),
        ("sleep", "sleep_h", " h"),
    ):
        value = getattr(row, name)
        if value is not None:
            parts.append(f"{label} {value:g}{unit}")
    for flag in ("sick", "injured"):
        if getattr(row, flag):
            parts.append(flag)
    return ", ".join(parts) or "nothing"

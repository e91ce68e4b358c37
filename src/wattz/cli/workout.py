"""``wattz workout``: the AWP schema, validating and showing workout files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from wattz.cli.console import out, print_json
from wattz.cli.options import AthleteOption, JsonOption, command_group

app = command_group("Structured workouts: schema, validate, show.")

FtpOption = Annotated[
    int | None, typer.Option("--ftp", help="FTP in W for watts and kJ (default: the athlete's).")
]


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of AWP 1.0, the workout document wattz stores."""
    from wattz.awp.models import json_schema

    print_json(json_schema())


@app.command("validate")
def validate(file: Annotated[Path, typer.Argument(help="An AWP JSON document.")]) -> None:
    """Check an AWP document (syntax → schema → logic); exit 1 with every finding."""
    from wattz.cli.console import report_error
    from wattz.errors import InvalidWorkout
    from wattz.sources.awp_file import load_awp_file

    try:
        workout = load_awp_file(file)
    except InvalidWorkout as error:
        report_error(error)
        for finding in error.findings[1:]:
            print(f"  {finding}", file=sys.stderr)
        raise typer.Exit(1) from None
    out().print(f"{file.name}: valid AWP 1.0 — {workout.meta.title}", markup=False)


@app.command("show")
def show(
    file: Annotated[Path, typer.Argument(help="An AWP JSON document.")],
    ftp: FtpOption = None,
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Metrics, the steps and the power profile of a workout file."""
    from wattz.awp.metrics import workout_metrics
    from wattz.awp.timeline import unroll
    from wattz.cli.render.workout import metrics_line, profile_lines, steps_table, zones_line
    from wattz.services.workouts import workout_summary
    from wattz.sources.awp_file import load_awp_file

    workout = load_awp_file(file)
    ftp_w = _ftp_for_display(ftp, athlete)
    if json:
        print_json(workout_summary(workout, ftp_w).model_dump(mode="json"))
        return
    metrics = workout_metrics(workout)
    out().print(f"[bold]{workout.meta.title}[/]", soft_wrap=True)
    if workout.meta.description:
        out().print(workout.meta.description, soft_wrap=False, markup=False)
    out().print(metrics_line(metrics, ftp_w))
    width = max(20, min(out().width, 160) - 1)
    for line in profile_lines(unroll(workout), width, height=8):
        out().print(line, no_wrap=True, crop=True)
    out().print(zones_line(metrics))
    out().print(steps_table(workout, ftp_w))


def _ftp_for_display(ftp: int | None, athlete: str | None) -> int:
    """The --ftp given, else the athlete's FTP today, else 250 W as a neutral example."""
    from wattz.errors import InvalidValue, NotFound
    from wattz.services.athletes import FTP_RANGE_W

    if ftp is not None:
        low, high = FTP_RANGE_W
        if not low <= ftp <= high:
            raise InvalidValue(f"--ftp {ftp} W is out of range", f"use {low}–{high} W")
        return ftp
    from wattz.model.store import session_scope
    from wattz.services.athletes import require_ftp, resolve_athlete
    from wattz.settings import today

    try:
        with session_scope() as session:
            return require_ftp(session, resolve_athlete(session, athlete), today())
    except NotFound:
        if athlete is not None:
            raise
        return 250

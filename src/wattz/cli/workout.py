"""``wattz workout``: the AWP schema, validating and showing workout files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wattz.cli.console import note, out, print_json
from wattz.cli.options import AthleteOption, JsonOption, command_group

if TYPE_CHECKING:
    from wattz.awp.models import Workout
    from wattz.services.workout_library import UserWorkoutView

app = command_group("Structured workouts: show, validate, import, new, list, schema.")

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
    file: Annotated[Path, typer.Argument(help="A .json (AWP), .zwo, .mrc, .erg or .fit file.")],
    ftp: FtpOption = None,
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Metrics, the steps and the power profile of a workout file."""
    from wattz.awp.metrics import workout_metrics
    from wattz.awp.timeline import unroll
    from wattz.cli.render.workout import metrics_line, profile_lines, steps_table, zones_line
    from wattz.services.workouts import workout_summary

    ftp_w = _ftp_for_display(ftp, athlete)
    workout = _read_any(file, ftp_w)
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


def _read_any(file: Path, ftp_w: int) -> Workout:
    """AWP JSON through the validator (every finding); other formats through their reader."""
    if file.suffix.lower() == ".json" or not file.suffix:
        from wattz.sources.awp_file import load_awp_file

        return load_awp_file(file)
    from wattz.sources.workout_files import read_workout_file

    imported = read_workout_file(file, ftp_w)
    for warning in imported.warnings:
        note(f"{file.name}: {warning}")
    return imported.workout


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


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help=".zwo, .mrc, .erg, .fit or AWP .json files.")],
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Add workout files to your library (all or nothing; repairs are reported)."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.workout_library import import_workout_files
    from wattz.settings import today

    with session_scope() as session:
        views = import_workout_files(session, resolve_athlete(session, athlete), files, today())
    _report_library(views, json)


@app.command("new")
def new(
    text: Annotated[str, typer.Argument(help="e.g. '10m ramp 50-75%; 3x(8m 100% 95rpm, 4m 55%)'")],
    title: Annotated[str, typer.Option("--title", help="The workout's title.")],
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Add a workout typed in the short text syntax (intervals.icu style)."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.workout_library import add_text_workout
    from wattz.settings import today

    with session_scope() as session:
        view = add_text_workout(session, resolve_athlete(session, athlete), text, title, today())
    _report_library([view], json)


@app.command("list")
def list_(json: JsonOption = False, athlete: AthleteOption = None) -> None:
    """List the workouts you added (imported files and typed workouts)."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.workout_library import list_user_workouts

    with session_scope() as session:
        views = list_user_workouts(session, resolve_athlete(session, athlete))
    _report_library(views, json)


def _report_library(views: list[UserWorkoutView], json: bool) -> None:
    from rich.table import Table

    from wattz.cli.render.workout import format_duration

    for view in views:
        for warning in view.warnings:
            note(f"{view.title}: {warning}")
    if json:
        print_json([view.model_dump(mode="json") for view in views])
        return
    table = Table(show_edge=False)
    for column in ("ID", "Title", "Time", "TSS", "Zone", "Source"):
        table.add_column(column, no_wrap=column != "Title")
    for view in views:
        table.add_row(
            str(view.id),
            view.title,
            format_duration(view.duration_s),
            f"{view.tss:.0f}",
            f"Z{view.primary_zone}",
            view.source,
        )
    out().print(table)


def _register_moves() -> None:
    """``move`` and ``skip`` live in their own module (negotiation) but belong here."""
    from wattz.cli import workout_moves

    workout_moves.register(app)


_register_moves()

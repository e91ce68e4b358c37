"""``wattz workout``: the AWP schema, validating and showing workout files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wattz.cli.console import print_json

app = typer.Typer(help="Structured workouts: schema, validate, show.", no_args_is_help=True)


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema of AWP 1.0, the workout document wattz stores."""
    from wattz.awp.models import json_schema

    print_json(json_schema())


@app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="An AWP JSON document.")],
) -> None:
    """Check an AWP document (syntax → schema → logic); exit 1 with the findings."""
    from wattz.services.workout_files import load_awp_file

    workout = load_awp_file(file)
    typer.echo(f"{file.name}: valid AWP 1.0 ({workout.meta.title})")

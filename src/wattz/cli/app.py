"""The ``wattz`` entry point: composes the command groups and maps errors to exit codes.

Only this package prints or exits. Sub-apps are imported here, but each keeps its heavy
imports (SQLAlchemy, ollama, FIT libraries) inside its commands so ``--help`` is instant.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from wattz import __version__
from wattz.cli import (
    athlete,
    audit,
    availability,
    calendar,
    changes,
    coach,
    course,
    db,
    demo,
    device,
    export,
    fitness,
    garmin,
    goal,
    plan,
    ride,
    sick,
    source,
    wellness,
    workout,
    workout_moves,
)
from wattz.cli.console import report_error, report_line
from wattz.errors import WattzError
from wattz.settings import DEBUG_VARIABLE, debug_enabled


class WattzGroup(TyperGroup):
    """The root group: every WattzError from any command ends here as one line."""

    def invoke(self, ctx: Any) -> Any:  # click.Context (vendored by typer)
        try:
            return super().invoke(ctx)
        except WattzError as error:
            if debug_enabled():
                raise
            report_error(error)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            report_line("interrupted — nothing was saved")
            raise typer.Exit(130) from None


app = typer.Typer(
    name="wattz",
    cls=WattzGroup,
    help="A local-first cycling coach: periodized plans, structured workouts, head-unit "
    "export and a nightly audit that repairs the plan.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(workout.app, name="workout")
app.add_typer(athlete.app, name="athlete")
app.add_typer(goal.app, name="goal")
app.add_typer(availability.app, name="availability")
app.add_typer(plan.app, name="plan")
app.add_typer(ride.app, name="ride")
app.add_typer(wellness.app, name="wellness")
app.add_typer(garmin.app, name="garmin")
app.add_typer(device.app, name="device")
app.add_typer(changes.app, name="changes")
app.add_typer(source.app, name="source")
app.add_typer(course.app, name="course")
app.add_typer(coach.app, name="coach")
app.add_typer(db.app, name="db")
workout_moves.register(workout.app)
calendar.register(app)
export.register(app)
fitness.register(app)
demo.register(app)
audit.register(app)
sick.register(app)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"wattz {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks (also WATTZ_DEBUG=1).")
    ] = False,
) -> None:
    """wattz: plan, ride, audit."""
    if debug:
        os.environ[DEBUG_VARIABLE] = "1"


def main() -> None:
    """Console-script entry point."""
    app()

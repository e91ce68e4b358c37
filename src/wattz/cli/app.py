"""The ``wattz`` entry point: composes the command groups and maps errors to exit codes.

Only this package prints or exits. Each command's module is imported only when that
command runs (or when help lists it): a nightly ``wattz audit`` or a scripted ``plan new``
should not pay for building twenty command groups it never uses. Each module also keeps its
heavy imports (SQLAlchemy, ollama, FIT libraries) inside its commands.
"""

from __future__ import annotations

import importlib
import os
import sys
from functools import cache
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from wattz import __version__
from wattz.cli.collection import collection_after_startup
from wattz.cli.console import report_error, report_line
from wattz.errors import ExternalError, WattzError
from wattz.settings import DEBUG_VARIABLE, debug_enabled

COMMAND_GROUPS: dict[str, str] = {
    "workout": "wattz.cli.workout",
    "athlete": "wattz.cli.athlete",
    "goal": "wattz.cli.goal",
    "availability": "wattz.cli.availability",
    "plan": "wattz.cli.plan",
    "calendar": "wattz.cli.calendar",
    "ride": "wattz.cli.ride",
    "audit": "wattz.cli.audit",
    "changes": "wattz.cli.changes",
    "sick": "wattz.cli.sick",
    "wellness": "wattz.cli.wellness",
    "fitness": "wattz.cli.fitness",
    "export": "wattz.cli.export",
    "device": "wattz.cli.device",
    "garmin": "wattz.cli.garmin",
    "source": "wattz.cli.source",
    "course": "wattz.cli.course",
    "coach": "wattz.cli.coach",
    "db": "wattz.cli.db",
    "demo": "wattz.cli.demo",
}
"""Every top-level command and the module that defines it, in the order help lists them.

A module defines either ``app`` (a group of sub-commands) or ``register(app)`` (one
command added to the root)."""


@cache
def load_command(name: str) -> Any:  # a click.Command (vendored by typer)
    """The click command for ``name``, built from its module on first use."""
    module = importlib.import_module(COMMAND_GROUPS[name])
    sub_app = getattr(module, "app", None)
    command: Any
    if isinstance(sub_app, typer.Typer):
        command = typer.main.get_group(sub_app)  # a group even with one sub-command
    else:
        single = typer.Typer(rich_markup_mode=None)
        module.register(single)
        command = typer.main.get_command(single)
    command.name = name
    return command


class WattzGroup(TyperGroup):
    """The root group: lazy sub-commands, and every WattzError ends here as one line."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *COMMAND_GROUPS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in COMMAND_GROUPS:
            return load_command(cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: Any) -> Any:
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
        except Exception as error:
            store_error = _store_failure(error)
            if store_error is None or debug_enabled():
                raise
            report_error(store_error)
            raise typer.Exit(store_error.exit_code) from None


def _store_failure(error: Exception) -> ExternalError | None:
    """A database that is locked, full, read-only or gone is an outside failure (exit 3).

    The transaction was rolled back, so nothing was stored; the line says what the
    driver said. SQLAlchemy is only looked up if a command loaded it.
    """
    exc = sys.modules.get("sqlalchemy.exc")
    if exc is None or not isinstance(error, exc.OperationalError):
        return None
    reason = str(error.orig if error.orig is not None else error).splitlines()[0]
    hint = "nothing was stored; try again"
    if "locked" in reason:
        hint = "another wattz command is writing; nothing was stored — try again in a moment"
    return ExternalError(f"the store failed: {reason}", hint)


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
    with collection_after_startup():
        app()

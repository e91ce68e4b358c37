"""Running the CLI in-process the way a person would, with stdout and stderr apart."""

from __future__ import annotations

from typer.testing import CliRunner, Result

from wattz.cli.app import app


def run(*args: str, input: str | None = None, width: int = 100) -> Result:
    """Invoke ``wattz ARGS`` in-process; stdout and stderr come back separately."""
    runner = CliRunner()
    return runner.invoke(
        app, list(args), input=input, env={"COLUMNS": str(width)}, catch_exceptions=False
    )

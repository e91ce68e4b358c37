"""``wattz db``: the store itself — check that it is whole, back it up."""

from __future__ import annotations

import typer

from wattz.cli.console import out, print_json
from wattz.cli.options import JsonOption, command_group

app = command_group("The store: check that it is consistent, back it up.")


@app.command("check")
def check(json: JsonOption = False) -> None:
    """Check the store: the engine's integrity, the schema revision and wattz's own rules.

    Prints one line per finding and exits 1 when there is any; one "ok" line otherwise.
    """
    from wattz.services.db_check import check_store

    report = check_store()
    if json:
        print_json(report.model_dump(mode="json"))
    elif report.ok:
        out().print(
            f"ok: {report.database} is consistent (schema {report.schema_revision}, "
            f"{report.plans} plan(s), {report.workouts} workout(s))",
            markup=False,
            soft_wrap=True,
        )
    else:
        for finding in report.findings:
            out().print(f"{finding.check}: {finding.message}", markup=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)

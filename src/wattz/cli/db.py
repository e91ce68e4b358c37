"""``wattz db``: the store itself — check that it is whole, back it up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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


@app.command("backup")
def backup(
    file: Annotated[Path, typer.Argument(help="The backup file to write.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
    json: JsonOption = False,
) -> None:
    """Copy the store to FILE while wattz may be using it (SQLite: a consistent snapshot,
    checked; PostgreSQL: pg_dump's custom format, for pg_restore)."""
    from wattz.services.db_backup import BackupMethod, backup_store

    report = backup_store(file, force=force)
    if json:
        print_json(report.model_dump(mode="json"))
    else:
        size = f"{report.size_bytes / 1_000_000:.1f} MB"
        if report.method is BackupMethod.PG_DUMP:
            out().print(
                f"backup: {report.path} ({size}, pg_dump archive — restore with pg_restore)",
                markup=False,
                soft_wrap=True,
            )
        elif report.check is not None and report.check.ok:
            out().print(
                f"backup: {report.path} ({size}, checked: consistent)", markup=False, soft_wrap=True
            )
        else:
            out().print(
                f"backup: {report.path} ({size}) — the copy, like the store, has these findings:",
                markup=False,
                soft_wrap=True,
            )
    if report.check is not None and not report.check.ok:
        if not json:
            for finding in report.check.findings:
                out().print(f"{finding.check}: {finding.message}", markup=False, soft_wrap=True)
        raise typer.Exit(1)

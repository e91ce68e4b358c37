"""``wattz audit``: the nightly job — new rides in, the plan repaired, the change log written.

Cron-friendly: a night with nothing to do prints nothing and exits 0; a second audit
started while one runs waits briefly, then says so and exits 0. ``--all`` audits every
athlete with a plan; one whose audit fails gets one ``error:`` line, the others are still
audited, and the run exits 1.
"""

from __future__ import annotations

from typing import Annotated

import typer

from wattz.cli.console import note, out, print_json, report_line
from wattz.cli.options import AthleteOption, JsonOption, parse_optional_date


def audit(
    date: Annotated[
        str | None, typer.Option("--date", help="Audit as of this day (default today).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; change nothing.")
    ] = False,
    all_athletes: Annotated[
        bool,
        typer.Option(
            "--all", help="Every athlete with a plan, each on its own (a coach's nightly run)."
        ),
    ] = False,
    generator: Annotated[
        str,
        typer.Option(
            "--generator", help="Who writes weeks filled just in time: builtin, auto or ollama."
        ),
    ] = "builtin",
    model: Annotated[
        str | None,
        typer.Option("--model", help="Ollama model for auto|ollama (default: WATTZ_MODEL)."),
    ] = None,
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Import new rides, classify the days, apply the adaptation rules, log the changes."""
    from wattz.cli.plan import GENERATORS
    from wattz.services.audit_stamp import nothing_new
    from wattz.settings import today

    if generator.lower() not in GENERATORS:
        from wattz.errors import InvalidValue

        raise InvalidValue(
            f"--generator {generator!r} is not one of builtin|auto|ollama", "use builtin"
        )
    day = parse_optional_date(date, "--date") or today()
    default_scope = athlete is None and not all_athletes
    if not dry_run and not json and nothing_new(day, single_athlete=default_scope):
        return  # an audit already ran today on exactly this store and these files

    from wattz.cli.render.audit import audit_lines
    from wattz.services.audit import run_audit

    report = run_audit(
        athlete,
        day,
        all_athletes=all_athletes,
        dry_run=dry_run,
        generator=generator.lower(),
        model=model,
    )
    if json:
        print_json(report.model_dump(mode="json"))
    elif report.locked:
        note("another wattz audit is running; it does tonight's work — this one did nothing")
    else:
        for line in audit_lines(report):
            out().print(line, markup=False, soft_wrap=True)
    for failure in report.failed:
        report_line(f"athlete {failure.athlete}: {failure.error}")
    if report.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)

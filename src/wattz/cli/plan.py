"""``wattz plan``: build a season (wizard or flags), show it, list plans, delete one."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from wattz.cli.console import line, note, out, print_json
from wattz.cli.options import (
    AthleteOption,
    JsonOption,
    command_group,
    parse_enum,
    parse_optional_date,
)
from wattz.plan.domain import Rhythm, Strategy

if TYPE_CHECKING:
    from sqlmodel import Session

    from wattz.model.tables import Athlete

app = command_group("Training plans: new (wizard or flags), show, list, delete.")

GENERATORS = ("builtin", "auto", "ollama")


@app.command("new")
def new(
    goal: Annotated[str | None, typer.Option("--goal", help="The A event's goal name.")] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="First day of the plan (default today).")
    ] = None,
    strategy: Annotated[
        str, typer.Option("--strategy", help="LINEAR, UNDULATING, BLOCK or POLARIZED.")
    ] = "LINEAR",
    rhythm: Annotated[str, typer.Option("--rhythm", help="Loading rhythm: 3:1 or 2:1.")] = "3:1",
    ramp: Annotated[
        float | None, typer.Option("--ramp", help="CTL rise per week, 1–8 (default 3–5).")
    ] = None,
    start_ctl: Annotated[
        float | None,
        typer.Option("--start-ctl", help="Fitness now (default: from rides, else estimated)."),
    ] = None,
    ftp: Annotated[
        int | None, typer.Option("--ftp", help="Set the athlete's FTP first, W.")
    ] = None,
    generator: Annotated[
        str, typer.Option("--generator", help="builtin, auto or ollama.")
    ] = "builtin",
    model: Annotated[
        str | None,
        typer.Option("--model", help="Ollama model for auto|ollama (default: WATTZ_MODEL)."),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace an active plan for the same goal.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Build without asking.")] = False,
    wizard: Annotated[
        bool, typer.Option("--wizard", help="Ask questions even when stdin is not a terminal.")
    ] = False,
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Build a periodized plan for a goal: a wizard on a terminal, or flags for scripts."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete, set_athlete
    from wattz.services.plans import (
        PlanRequest,
        create_plan,
        draft_plan,
        load_plan_view,
        store_plan,
    )
    from wattz.settings import today

    if goal is None and (wizard or sys.stdin.isatty()):
        from wattz.cli.wizard import run_wizard

        run_wizard(athlete)
        return
    if goal is None:
        from wattz.errors import InvalidValue

        raise InvalidValue(
            "no goal given", "pass --goal NAME (or run on a terminal for the wizard)"
        )
    if generator.lower() not in GENERATORS:
        from wattz.errors import InvalidValue

        raise InvalidValue(
            f"--generator {generator!r} is not one of builtin|auto|ollama", "use builtin"
        )
    request = PlanRequest(
        goal_name=goal,
        start=parse_optional_date(start, "--start"),
        strategy=parse_enum(Strategy, strategy, "--strategy"),
        rhythm=parse_enum(Rhythm, rhythm, "--rhythm"),
        ramp=ramp,
        start_ctl=start_ctl,
        generator=generator.lower(),
        replace=replace,
        model=model,
    )
    now = today()

    def athlete_record(session: Session) -> Athlete:
        if ftp is not None:
            set_athlete(session, name=athlete, ftp_w=ftp)
        return resolve_athlete(session, athlete)

    if json:
        with session_scope() as session:
            view = create_plan(session, athlete_record(session), request, now, progress=note)
        print_json({"plan": view.model_dump(mode="json")})
        return
    if yes:
        with session_scope() as session:
            record = athlete_record(session)
            draft = draft_plan(session, record, request, now, progress=note)
            stored = store_plan(session, record, draft, now, progress=note)
    else:
        # Show the plan and ask before storing it, holding no write lock while the person
        # reads: the preview is stored and rolled back, the answer stores the same draft.
        with session_scope() as session:
            record = athlete_record(session)
            draft = draft_plan(session, record, request, now, progress=note)
            preview = load_plan_view(
                session, record, store_plan(session, record, draft, now, progress=note)
            )
            session.rollback()
        from wattz.cli.render.calendar import season_table

        out().print(season_table(preview, now))
        if preview.feasibility:
            note(preview.feasibility)
        if not typer.confirm("Store this plan?", default=True):
            raise typer.Abort()
        with session_scope() as session:
            stored = store_plan(session, athlete_record(session), draft, now)
    season = draft.season
    weeks = sum(len(block.weeks) for block in season.blocks)
    line(
        f"plan {stored.id}: {draft.request.goal_name} on {stored.target_date.isoformat()} — "
        f"{weeks} weeks, {len(season.blocks)} blocks, {len(draft.sessions)} workouts "
        f"({stored.strategy} {stored.rhythm})"
    )
    if season.feasibility:
        note(season.feasibility)


@app.command("show")
def show(json: JsonOption = False, athlete: AthleteOption = None) -> None:
    """Show the active plan (the season table), or its whole document with --json."""
    from wattz.cli.render.calendar import season_table
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.plans import active_plan, load_plan_view
    from wattz.settings import today

    with session_scope() as session:
        record = resolve_athlete(session, athlete)
        view = load_plan_view(session, record, active_plan(session, record))
    if json:
        print_json({"plan": view.model_dump(mode="json")})
        return
    out().print(season_table(view, today()))
    if view.feasibility:
        note(view.feasibility)


@app.command("list")
def list_(json: JsonOption = False, athlete: AthleteOption = None) -> None:
    """List the athlete's plans, newest first (deleted ones are marked)."""
    from rich.table import Table

    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.plans import list_plans

    with session_scope() as session:
        rows = list_plans(session, resolve_athlete(session, athlete))
    items = [
        {
            "id": plan.id,
            "goal": goal.name,
            "start": plan.start.isoformat(),
            "target_date": plan.target_date.isoformat(),
            "strategy": plan.strategy,
            "rhythm": plan.rhythm,
            "active": plan.deleted_at is None and index == 0,
            "deleted": plan.deleted_at is not None,
        }
        for index, (plan, goal) in enumerate(rows)
    ]
    if json:
        print_json(items)
        return
    if not items:
        note("no plans yet — build one with: wattz plan new")
        return
    table = Table(show_edge=False)
    for column in ("Plan", "Goal", "Start", "Event", "Strategy", "State"):
        table.add_column(column, no_wrap=column != "Goal")
    for item in items:
        state = "active" if item["active"] else ("deleted" if item["deleted"] else "")
        table.add_row(
            str(item["id"]),
            str(item["goal"]),
            str(item["start"]),
            str(item["target_date"]),
            f"{item['strategy']} {item['rhythm']}",
            state,
        )
    out().print(table)


@app.command("delete")
def delete(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
    athlete: AthleteOption = None,
) -> None:
    """Delete the active plan (it stays listed as deleted)."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.plans import delete_plan

    with session_scope() as session:
        record = resolve_athlete(session, athlete)
        if not yes and not typer.confirm("Delete the active plan?", default=False):
            raise typer.Abort()
        plan = delete_plan(session, record)
    out().print(f"plan {plan.id} deleted")

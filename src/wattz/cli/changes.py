"""``wattz changes``: the plan's change log — list, show one, undo one."""

from __future__ import annotations

from typing import Annotated

import typer

from wattz.cli.console import note, out, print_json
from wattz.cli.options import AthleteOption, JsonOption

app = typer.Typer(
    help="The plan's change log: every change, why it was made, and undo.",
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)


@app.callback()
def changes(
    ctx: typer.Context,
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """List the active plan's changes, oldest first."""
    if ctx.invoked_subcommand is not None:
        return
    from wattz.cli.render.changes import changes_table
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.changes import list_changes

    with session_scope() as session:
        listed = list_changes(session, resolve_athlete(session, athlete))
    if json:
        print_json([change.model_dump(mode="json") for change in listed])
        return
    if not listed:
        note("no changes yet: the nightly audit (wattz audit) logs every change it makes")
        return
    out().print(changes_table(listed))


@app.command("show")
def show(
    change_id: Annotated[int, typer.Argument(metavar="ID", help="The change's id.")],
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """One change: why, and each workout and week before and after."""
    from wattz.cli.render.changes import change_lines
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.changes import change_view, get_change

    with session_scope() as session:
        view = change_view(get_change(session, resolve_athlete(session, athlete), change_id))
    if json:
        print_json(view.model_dump(mode="json"))
        return
    for line in change_lines(view):
        out().print(line, markup=False, soft_wrap=True)


@app.command("undo")
def undo(
    change_id: Annotated[int, typer.Argument(metavar="ID", help="The change's id.")],
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Put the plan back exactly as it was before a change."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.changes import undo_change

    with session_scope() as session:
        view = undo_change(session, resolve_athlete(session, athlete), change_id)
    if json:
        print_json(view.model_dump(mode="json"))
        return
    out().print(f"undone: #{view.id} {view.trigger} → {view.action}", markup=False)

"""The change log as a table, and one change in full."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from wattz.services.changes import ChangeView

if TYPE_CHECKING:
    from rich.table import Table


def changes_table(changes: Sequence[ChangeView]) -> Table:
    from rich.table import Table

    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("when", no_wrap=True)
    table.add_column("trigger → action", no_wrap=True)
    table.add_column("why", overflow="fold")
    for change in changes:
        action = f"{change.trigger} → {change.action}"
        if change.undone:
            action += " (undone)"
        table.add_row(
            str(change.id), change.created_at.strftime("%Y-%m-%d %H:%M"), action, change.reason
        )
    return table


def change_lines(change: ChangeView) -> Iterator[str]:
    state = " (undone)" if change.undone else ""
    yield f"change {change.id}{state}: {change.trigger} → {change.action}"
    yield f"  when: {change.created_at.strftime('%Y-%m-%d %H:%M %Z')}"
    yield f"  why: {change.reason}"
    before = {item["id"]: item for item in change.before.get("workouts", [])}
    after = {item["id"]: item for item in change.after.get("workouts", [])}
    for workout_id in dict.fromkeys([*before, *after]):
        yield f"  workout {workout_id}: {_workout(before.get(workout_id))} → " + _workout(
            after.get(workout_id)
        )
    weeks_before = {item["id"]: item for item in change.before.get("weeks", [])}
    for item in change.after.get("weeks", []):
        old = weeks_before.get(item["id"], {})
        yield (
            f"  week of {item['start']}: target {old.get('tss_target', '—')} → "
            f"{item['tss_target']} TSS" + (", recovery week" if item.get("is_recovery") else "")
        )
    if change.after.get("blocks"):
        names = ", ".join(f"{b['name']} from {b['start']}" for b in change.after["blocks"])
        yield f"  blocks: {names}"


def _workout(item: dict[str, Any] | None) -> str:
    if item is None:
        return "(none)"
    minutes = round(item["duration_s"] / 60)
    return (
        f"{item['date']} {item['title']} [{item['role']}, {item['status']}, "
        f"{minutes} min, {item['tss']:.0f} TSS]"
    )

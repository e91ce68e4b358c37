"""The availability grid as a one-row table (the wizard paints the same picture)."""

from __future__ import annotations

from rich.table import Table

from wattz.cli.console import out
from wattz.services.goals import AvailabilityView

VENUE_MARK = {"indoor": "in", "outdoor": "out", "any": ""}


def availability_table(view: AvailabilityView) -> Table:
    table = Table(show_edge=False, title="Weekly availability", title_justify="left")
    for slot in view.weekly:
        table.add_column(slot.day.capitalize(), justify="center")
    table.add_column("Week", justify="right")
    cells = [
        f"{slot.minutes // 60}:{slot.minutes % 60:02d} {VENUE_MARK[slot.venue]}".strip()
        if slot.minutes
        else "[dim]rest[/]"
        for slot in view.weekly
    ]
    hours = view.weekly_minutes / 60
    table.add_row(*cells, f"{hours:.1f} h")
    return table


def render_availability(view: AvailabilityView) -> None:
    out().print(availability_table(view))
    for item in view.overrides:
        minutes = f"{item.minutes} min" if item.minutes else "no riding"
        venue = f" ({item.venue})" if item.venue != "any" else ""
        out().print(f"  {item.date.isoformat()}: {minutes}{venue}")

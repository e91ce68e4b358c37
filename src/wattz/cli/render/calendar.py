"""Calendars: a week (a row per day), a month grid and the season (a row per week).

Columns carry no text that Rich would have to cut: titles wrap at word boundaries,
numbers never wrap, and profiles are drawn at a fixed small width.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.table import Table
from rich.text import Text

from wattz.awp.models import Workout
from wattz.awp.timeline import unroll
from wattz.cli.render.colors import ZONE_COLORS
from wattz.cli.render.workout import format_duration, profile_lines
from wattz.services.plan_views import BlockView, PlanView, WeekView, WorkoutView

FOCUS_LABELS = {
    "AEROBIC_ENDURANCE": "Endurance",
    "TEMPO": "Tempo",
    "SWEET_SPOT": "Sweet spot",
    "THRESHOLD": "Threshold",
    "VO2_MAX": "VO2max",
    "ANAEROBIC_CAPACITY": "Anaerobic",
    "NEUROMUSCULAR_POWER": "Sprint",
}
STATUS_MARKS = {
    "completed": "[green]✓[/]",
    "partial": "[yellow]◐[/]",
    "failed": "[red]✗[/]",
    "skipped": "[dim]skipped[/]",
    "moved": "[cyan]→[/]",
    "cancelled": "[dim]cancelled[/]",
    "pending": "",
}
PROFILE_WIDTH = 14
LOAD_BAR_WIDTH = 18


def week_table(plan: PlanView, week_start: dt.date, today: dt.date) -> Table:
    """One Monday–Sunday week: each day's workout, duration, TSS and a small profile."""
    week_end = week_start + dt.timedelta(days=6)
    workouts = _workouts_between(plan, week_start, week_end)
    planned = sum(w.tss for w in workouts if w.status.value not in ("skipped", "cancelled"))
    title = f"Week of {week_start.isoformat()} · planned {planned:.0f} TSS"
    located = _find_week(plan, week_start)
    if located is not None:
        block, week = located
        kind = "recovery" if week.is_recovery else ("taper" if week.is_taper else "loading")
        title += f" · {block.name} wk {week.number} ({kind})"
        if week.start == week_start:
            title += f", target {week.tss_target}"
            if week.race_tss:
                title += f" + race ≈{week.race_tss}"
    elif not workouts:
        title += " · outside the plan"
    table = Table(title=title, title_justify="left", show_edge=False, expand=False)
    table.add_column("Day", no_wrap=True)
    table.add_column("Workout", ratio=1, min_width=14)
    table.add_column("Time", justify="right", no_wrap=True)
    table.add_column("TSS", justify="right", no_wrap=True)
    table.add_column("Profile", no_wrap=True, width=PROFILE_WIDTH)
    for offset in range(7):
        day = week_start + dt.timedelta(days=offset)
        label = Text(day.strftime("%a %d"), style="bold" if day == today else "")
        todays = [w for w in workouts if w.date == day]
        if day == plan.goal.date:
            table.add_row(label, Text(f"🏁 {plan.goal.name}", style="bold"), "", "", "")
            continue
        races = [e for e in plan.events if e.date == day]
        for race in races:
            table.add_row(label, Text(f"🏁 {race.name} ({race.priority.value} race)"), "", "", "")
            label = Text("")
        if races and not todays:
            continue
        if not todays:
            table.add_row(label, Text("rest", style="dim"), "", "", "")
            continue
        for index, workout in enumerate(todays):
            table.add_row(
                label if index == 0 else "",
                _workout_label(workout),
                format_duration(workout.duration_s),
                f"{workout.tss:.0f}",
                _mini_profile(workout),
            )
    return table


def month_table(plan: PlanView, month_day: dt.date, today: dt.date) -> Table:
    """A month grid, Monday first; each day shows a zone mark, duration and TSS."""
    first = month_day.replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    grid_start = first - dt.timedelta(days=first.weekday())
    workouts = _workouts_between(plan, grid_start, next_month + dt.timedelta(days=6))
    table = Table(title=first.strftime("%B %Y"), title_justify="left", show_lines=True)
    for name in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"):
        table.add_column(name, no_wrap=True, min_width=7)
    table.add_column("Week", justify="right", no_wrap=True)
    start = grid_start
    while start < next_month:
        cells: list[Text] = []
        week_tss = 0.0
        for offset in range(7):
            day = start + dt.timedelta(days=offset)
            cell = Text(
                f"{day.day:>2}",
                style="bold" if day == today else ("" if day.month == first.month else "dim"),
            )
            if day == plan.goal.date:
                cell.append("\n🏁 race", style="bold")
            for race in (e for e in plan.events if e.date == day):
                cell.append(f"\n🏁 {race.priority.value}")
            for workout in (w for w in workouts if w.date == day):
                live = workout.status not in ("skipped", "cancelled")
                color = ZONE_COLORS[workout.primary_zone - 1] if live else "dim"
                cell.append("\n■ ", style=color)
                cell.append(
                    format_duration(workout.duration_s)[:-3]
                    if workout.duration_s >= 3600
                    else f"{workout.duration_s // 60}m"
                )
                cell.append(f"\n  {workout.tss:.0f}", style="dim")
                if live:
                    week_tss += workout.tss
            cells.append(cell)
        cells.append(Text(f"{week_tss:.0f}"))
        table.add_row(*cells)
        start += dt.timedelta(days=7)
    return table


def season_table(plan: PlanView, today: dt.date) -> Table:
    """A row per week: block, focus, TSS target and planned, volume and a load bar."""
    weeks = [(block, week) for block in plan.blocks for week in block.weeks]
    peak = max((week.tss_target for _, week in weeks), default=1) or 1
    table = Table(
        title=f"{plan.goal.name} · {plan.goal.date.isoformat()} · {plan.strategy} {plan.rhythm}",
        title_justify="left",
        show_edge=False,
    )
    table.add_column("Week", no_wrap=True)
    table.add_column("Block", no_wrap=True)
    table.add_column("Focus", no_wrap=True)
    table.add_column("TSS", justify="right", no_wrap=True)
    table.add_column("Hours", justify="right", no_wrap=True)
    table.add_column("Load", no_wrap=True, width=LOAD_BAR_WIDTH)
    previous_block = -1
    for block, week in weeks:
        marker = "▶" if week.start <= today < week.start + dt.timedelta(days=7) else " "
        block_label = (
            f"{block.type.value.title()} {block.order}" if block.order != previous_block else ""
        )
        previous_block = block.order
        filled = round(week.tss_target / peak * LOAD_BAR_WIDTH)
        style = "cyan" if week.is_recovery else ("magenta" if week.is_taper else "yellow")
        table.add_row(
            f"{marker}{week.start.strftime('%d %b')}",
            block_label,
            "recovery"
            if week.is_recovery
            else FOCUS_LABELS.get(block.focus.value, block.focus.value),
            f"{week.tss_target}",
            f"{week.volume_target_minutes / 60:.1f}",
            Text("█" * filled, style=style),
        )
    return table


def _workout_label(workout: WorkoutView) -> Text:
    label = Text(workout.title)
    role = {"key": " ★", "recovery": " ·"}.get(workout.role.value, "")
    label.append(role, style="yellow")
    mark = STATUS_MARKS.get(workout.status.value, "")
    if mark:
        label.append(" ")
        label.append(Text.from_markup(mark))
    return label


def _mini_profile(workout: WorkoutView) -> Text:
    document = Workout.model_validate(workout.awp)
    return profile_lines(unroll(document), PROFILE_WIDTH, height=1)[0]


def _find_week(plan: PlanView, week_start: dt.date) -> tuple[BlockView, WeekView] | None:
    for block in plan.blocks:
        for week in block.weeks:
            if week.start <= week_start < week.start + dt.timedelta(days=7):
                return block, week
    return None


def _workouts_between(plan: PlanView, first: dt.date, last: dt.date) -> list[WorkoutView]:
    return sorted(
        (w for w in _all_workouts(plan) if first <= w.date <= last), key=lambda w: (w.date, w.id)
    )


def _all_workouts(plan: PlanView) -> Iterable[WorkoutView]:
    for block in plan.blocks:
        for week in block.weeks:
            yield from week.workouts

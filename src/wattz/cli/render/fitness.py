"""The fitness chart: CTL, ATL and TSB as lines of dots, planned CTL beside actual."""

from __future__ import annotations

from rich.text import Text

from wattz.services.fitness import FitnessReport, FitnessRow

CHART_ROWS = 14
SERIES = (
    ("CTL fitness", "●", "dodger_blue2"),
    ("ATL fatigue", "•", "magenta"),
    ("TSB form", "◆", "yellow3"),
    ("planned CTL", "○", "grey62"),
)


def fitness_chart(report: FitnessReport, width: int) -> Text:
    """One column per day (or per few days when the window is wider than the terminal)."""
    days = report.days
    text = Text()
    if not days:
        return Text("no days to draw")
    columns = max(10, min(len(days), width - 10))
    step = len(days) / columns
    picked = [days[min(len(days) - 1, int(i * step))] for i in range(columns)]
    values = [_values(day) for day in picked]
    flat = [v for row in values for v in row if v is not None]
    top, bottom = max(flat + [1.0]), min(flat + [0.0])
    span = (top - bottom) or 1.0
    grid = [[" "] * columns for _ in range(CHART_ROWS)]
    styles: list[list[str | None]] = [[None] * columns for _ in range(CHART_ROWS)]
    for column, row_values in enumerate(values):
        # Draw planned first so actual lines sit on top of it.
        for index in (3, 2, 1, 0):
            value = row_values[index]
            if value is None:
                continue
            row = CHART_ROWS - 1 - round((value - bottom) / span * (CHART_ROWS - 1))
            grid[row][column] = SERIES[index][1]
            styles[row][column] = SERIES[index][2]
    zero = CHART_ROWS - 1 - round((0 - bottom) / span * (CHART_ROWS - 1))
    for row in range(CHART_ROWS):
        label = top - row * span / (CHART_ROWS - 1)
        text.append(f"{label:6.0f} ┤")
        for column in range(columns):
            char = grid[row][column]
            if char == " " and row == zero:
                char = "┈"
            if picked[column].projected and char == " ":
                char = "·" if row % 4 == 0 else " "
            text.append(char, style=styles[row][column] or ("grey42" if char != " " else None))
        text.append("\n")
    first, last = picked[0].date.isoformat(), picked[-1].date.isoformat()
    text.append(f"{'':8}{first}{' ' * max(1, columns - 20)}{last}\n")
    for name, mark, style in SERIES:
        if name == "planned CTL" and not report.has_plan:
            continue
        text.append(f"  {mark} {name}", style=style)
    today = next((day for day in report.days if day.date == report.today), report.days[-1])
    text.append(
        f"\n  {today.date.isoformat()}: CTL {today.ctl:.0f} · ATL {today.atl:.0f} · "
        f"TSB {today.tsb:+.0f}"
    )
    if report.has_plan:
        text.append("  (dotted columns: the plan's projection)")
    return text


def _values(day: FitnessRow) -> tuple[float | None, ...]:
    return (day.ctl, day.atl, day.tsb, day.planned_ctl)

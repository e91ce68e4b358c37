"""``wattz course``: a goal's route from a GPX file — add it, show its profile."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wattz.cli.console import note, out, print_json
from wattz.cli.options import AthleteOption, JsonOption, command_group

if TYPE_CHECKING:
    from rich.console import RenderableType

    from wattz.plan.course import CourseProfile

app = command_group("Event courses from GPX: add one to a goal, show its profile.")

GoalOption = Annotated[
    str | None,
    typer.Option("--goal", help="The goal the course belongs to (default: the next A event)."),
]

PROFILE_ROWS = 8
EIGHTHS = " ▁▂▃▄▅▆▇█"
"""A cell is filled in eighths, so an 8-row chart resolves 64 levels."""
MAX_CHART_WIDTH = 100
BAR_WIDTH = 30


@app.command("add")
def add(
    file: Annotated[Path, typer.Argument(help="The course as a .gpx file.")],
    goal: GoalOption = None,
    name: Annotated[
        str | None, typer.Option("--name", help="What to call the course (default: the file's).")
    ] = None,
    json: JsonOption = False,
    athlete: AthleteOption = None,
) -> None:
    """Read a GPX course and attach it to a goal; its plan's specialty block follows it."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.courses import add_course
    from wattz.settings import today

    with session_scope() as session:
        record = resolve_athlete(session, athlete)
        stored, profile = add_course(session, record, file, today(), goal, name)
    if json:
        print_json({"goal": stored.name, "course": profile.model_dump(mode="json")})
        return
    out().print(f"course {profile.name!r} added to goal {stored.name!r}")
    _render(profile)
    note(
        f"plans built from now on follow the course; rebuild one with: "
        f"wattz plan new --goal {stored.name!r} --replace"
    )


@app.command("show")
def show(goal: GoalOption = None, json: JsonOption = False, athlete: AthleteOption = None) -> None:
    """Show a goal's course: distance, climbing, gradients, climbs and its profile."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.courses import show_course
    from wattz.settings import today

    with session_scope() as session:
        record = resolve_athlete(session, athlete)
        stored, profile = show_course(session, record, today(), goal)
    if json:
        print_json({"goal": stored.name, "course": profile.model_dump(mode="json")})
        return
    _render(profile)


def _render(profile: CourseProfile) -> None:
    console = out()
    for part in course_view(profile, console.width):
        console.print(part)
    for text in profile.notes:
        note(f"note: {text}")


def course_view(profile: CourseProfile, width: int) -> list[RenderableType]:
    """The summary line, the elevation profile, the gradient bands and the climbs."""
    from rich.table import Table
    from rich.text import Text

    from wattz.plan.course import course_summary

    parts: list[RenderableType] = [Text(course_summary(profile))]
    hours, rest = divmod(profile.estimated_time_s // 60, 60)
    parts.append(
        Text(
            f"about {hours}:{rest:02d} h at {profile.reference_power_w:.0f} W "
            f"(an 80 kg rider and bike)"
        )
    )
    if profile.profile:
        parts.append(Text(elevation_chart(profile.profile, min(width, MAX_CHART_WIDTH))))
    bands = Table(show_edge=False, title="Gradient", title_justify="left")
    bands.add_column("Band", no_wrap=True)
    bands.add_column("Distance", justify="right", no_wrap=True)
    bands.add_column("Time", justify="right", no_wrap=True)
    bands.add_column("", no_wrap=True)
    for band in profile.gradient:
        bands.add_row(
            band.label,
            f"{band.distance_share:4.0%}",
            f"{band.time_share:4.0%}",
            "█" * round(band.time_share * BAR_WIDTH),
        )
    parts.append(bands)
    if profile.climbs:
        climbs = Table(show_edge=False, title="Climbs", title_justify="left")
        for column in ("From km", "Length", "Gain", "Mean", "Max", "Cat", "Time"):
            climbs.add_column(column, justify="right", no_wrap=True)
        for climb in profile.climbs:
            climbs.add_row(
                f"{climb.start_m / 1000:.1f}",
                f"{climb.length_m / 1000:.1f} km",
                f"{climb.gain_m:.0f} m",
                f"{climb.mean_gradient_pct:.1f} %",
                f"{climb.max_gradient_pct:.1f} %",
                climb.category or "–",
                f"{climb.estimated_s // 60} min",
            )
        parts.append(climbs)
    return parts


def elevation_chart(points: Sequence[tuple[float, float]], width: int) -> str:
    """An area chart of elevation over distance, ``PROFILE_ROWS`` high, in eighth blocks."""
    low = min(e for _, e in points)
    high = max(e for _, e in points)
    top_label, bottom_label = f"{high:.0f} m", f"{low:.0f} m"
    margin = max(len(top_label), len(bottom_label)) + 1
    columns = max(width - margin - 1, 10)
    end_m = points[-1][0] or 1.0
    heights = [0.0] * columns
    seen = [False] * columns
    for distance, elevation in points:
        column = min(int(distance / end_m * columns), columns - 1)
        heights[column] = max(heights[column], elevation) if seen[column] else elevation
        seen[column] = True
    for column in range(columns):
        if not seen[column]:
            heights[column] = heights[column - 1] if column else low
    span = high - low or 1.0
    levels = [round((h - low) / span * (PROFILE_ROWS * 8 - 1)) + 1 for h in heights]
    lines = []
    for row in range(PROFILE_ROWS - 1, -1, -1):
        cells = "".join(EIGHTHS[min(max(level - row * 8, 0), 8)] for level in levels)
        label = top_label if row == PROFILE_ROWS - 1 else bottom_label if row == 0 else ""
        lines.append(f"{label:>{margin - 1}} │{cells}")
    axis_end = f"{end_m / 1000:.1f} km"
    lines.append(" " * margin + "└" + "─" * (columns - 1))
    lines.append(" " * (margin + 1) + "0 km" + axis_end.rjust(columns - 4))
    return "\n".join(lines)

"""A workout on the terminal: metrics, a steps table and a zone-coloured power profile."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from wattz.awp.metrics import WorkoutMetrics, power_samples
from wattz.awp.models import FreeRide, Repeat, Step, Workout
from wattz.awp.timeline import Segment
from wattz.awp.zones import POWER_ZONES, power_zone
from wattz.cli.render.colors import ZONE_COLORS

BAR_EIGHTHS = " ▁▂▃▄▅▆▇█"
PROFILE_CEILING = 1.5
"""Profiles are drawn on a 0–150 % FTP scale (higher efforts clip), as Zwift's graph does."""


def format_duration(seconds: float) -> str:
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def profile_lines(segments: Sequence[Segment], width: int, height: int) -> list[Text]:
    """The power profile as ``height`` rows of ``width`` zone-coloured block characters."""
    samples = power_samples(segments)
    if not samples or width <= 0:
        return [Text("")]
    ceiling = max(PROFILE_CEILING, max(samples))
    columns: list[float] = []
    for column in range(width):
        first = column * len(samples) // width
        last = max(first + 1, (column + 1) * len(samples) // width)
        chunk = samples[first:last]
        columns.append(sum(chunk) / len(chunk))
    rows: list[Text] = []
    for row in range(height - 1, -1, -1):
        line = Text()
        for value in columns:
            filled = value / ceiling * height - row
            eighths = max(0, min(8, round(filled * 8)))
            color = ZONE_COLORS[power_zone(value) - 1]
            line.append(BAR_EIGHTHS[eighths], style=color)
        rows.append(line)
    return rows


def metrics_line(metrics: WorkoutMetrics, ftp_w: int) -> str:
    return (
        f"{format_duration(metrics.duration_s)} · TSS {metrics.tss:.1f} · "
        f"IF {metrics.intensity_factor:.2f} · NP {metrics.np_w(ftp_w)} W · "
        f"{metrics.kilojoules(ftp_w):.0f} kJ · primary Z{metrics.primary_zone} "
        f"({POWER_ZONES[metrics.primary_zone - 1].name}) · at FTP {ftp_w} W"
    )


def zones_line(metrics: WorkoutMetrics) -> Text:
    line = Text("Time in zone: ")
    for zone, seconds in zip(POWER_ZONES, metrics.zone_seconds, strict=True):
        if seconds >= 1:
            line.append(
                f"Z{zone.number} {format_duration(seconds)}  ", style=ZONE_COLORS[zone.number - 1]
            )
    return line


def steps_table(workout: Workout, ftp_w: int) -> Table:
    table = Table(show_edge=False, pad_edge=False, expand=False)
    table.add_column("#", justify="right")
    table.add_column("Step")
    table.add_column("Time", justify="right")
    table.add_column("Target", justify="right")
    table.add_column("Cue", overflow="fold", max_width=40)
    for number, (depth, step) in enumerate(_flatten(workout.steps), start=1):
        indent = "  " * depth
        if isinstance(step, Repeat):
            rest = (
                f", {format_duration(step.rest_between.duration)} between"
                if step.rest_between and not isinstance(step.rest_between, Repeat)
                else ""
            )
            table.add_row(str(number), f"{indent}{step.repeats} ×{rest}", "", "", step.instruction)
            continue
        table.add_row(
            str(number),
            f"{indent}{step.type}",
            format_duration(step.duration),
            _target(step, ftp_w),
            _cue(step),
        )
    return table


def _flatten(steps: Sequence[Step], depth: int = 0) -> list[tuple[int, Step]]:
    flat: list[tuple[int, Step]] = []
    for step in steps:
        flat.append((depth, step))
        if isinstance(step, Repeat):
            flat.extend(_flatten(step.content, depth + 1))
    return flat


def _target(step: Step, ftp_w: int) -> Text:
    if isinstance(step, Repeat | FreeRide):
        return Text("free" if isinstance(step, FreeRide) else "")
    power = step.power
    if power.type == "steady":
        color = ZONE_COLORS[power_zone(power.value) - 1]
        return Text(f"{power.value:.0%} {round(power.value * ftp_w)} W", style=color)
    color = ZONE_COLORS[power_zone(max(power.start, power.end)) - 1]
    return Text(
        f"{power.start:.0%}→{power.end:.0%} "
        f"{round(power.start * ftp_w)}→{round(power.end * ftp_w)} W",
        style=color,
    )


def _cue(step: Step) -> str:
    parts = []
    if step.cadence:
        parts.append(f"{step.cadence} rpm")
    if step.instruction:
        parts.append(step.instruction)
    return " · ".join(parts)

"""Rides in the terminal: the list, and one ride with its zones and power trace."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from wattz.awp.zones import HEART_RATE_ZONES, POWER_ZONES, power_zone
from wattz.cli.console import out
from wattz.cli.render.colors import ZONE_COLORS
from wattz.services.rides import RideDetail, RideRow

TRACE_ROWS = 10
TRACE_MAX_COLUMNS = 96
BLOCKS = " ▁▂▃▄▅▆▇█"
BAND_COLORS = {"green": "green3", "yellow": "yellow3", "red": "red3"}


def rides_table(rides: Sequence[RideRow]) -> Table:
    table = Table(show_edge=False)
    for name, justify in (
        ("ID", "right"),
        ("Start", "left"),
        ("Sport", "left"),
        ("Time", "right"),
        ("Avg W", "right"),
        ("NP", "right"),
        ("IF", "right"),
        ("TSS", "right"),
        ("HR", "right"),
        ("Plan", "right"),
        ("Compl.", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for ride in rides:
        table.add_row(
            str(ride.id),
            f"{ride.start:%Y-%m-%d %H:%M}",
            ride.sport,
            _duration(ride.moving_s or ride.duration_s),
            _number(ride.avg_power_w),
            _number(ride.np_w),
            f"{ride.intensity_factor:.2f}" if ride.intensity_factor is not None else "–",
            f"{ride.tss:.0f} {ride.tss_source}" if ride.tss is not None else "–",
            _number(ride.avg_hr_bpm),
            str(ride.planned_workout_id) if ride.planned_workout_id else "–",
            _compliance(ride.compliance),
        )
    return table


def render_ride(detail: RideDetail) -> None:
    ride = detail.ride
    console = out()
    facts = [
        f"[bold]ride {ride.id}[/] {ride.start:%Y-%m-%d %H:%M} UTC",
        ride.sport + (f"/{detail.sub_sport}" if detail.sub_sport else ""),
    ]
    if detail.device:
        facts.append(detail.device)
    console.print(" · ".join(facts), soft_wrap=True)
    numbers = [
        f"moving {_duration(ride.moving_s or 0)} of {_duration(ride.duration_s)}",
        f"TSS {ride.tss:.0f} ({ride.tss_source})" if ride.tss is not None else "TSS –",
    ]
    if ride.np_w is not None:
        numbers.append(f"avg {_number(ride.avg_power_w)} W, NP {ride.np_w:.0f} W")
    if ride.intensity_factor is not None:
        numbers.append(f"IF {ride.intensity_factor:.2f} at FTP {detail.ftp_w} W")
    if ride.avg_hr_bpm is not None:
        numbers.append(f"HR {ride.avg_hr_bpm:.0f} bpm")
    if detail.best_20min_power_w is not None:
        numbers.append(f"best 20 min {detail.best_20min_power_w:.0f} W")
    if ride.rpe is not None:
        numbers.append(f"RPE {ride.rpe}" + (f" ({ride.reason})" if ride.reason else ""))
    console.print(" · ".join(numbers), soft_wrap=True)
    if detail.planned_title:
        console.print(
            f"planned: {detail.planned_title} (workout {ride.planned_workout_id}) · "
            f"compliance {_compliance(ride.compliance).markup}",
            soft_wrap=True,
        )
    if any(detail.power_zone_s):
        console.print(_zones_table("Time in power zones", detail.power_zone_s, POWER_ZONES))
    if any(detail.hr_zone_s):
        console.print(_zones_table("Time in heart-rate zones", detail.hr_zone_s, HEART_RATE_ZONES))
    if any(value is not None for value in detail.power_w):
        console.print(power_trace(detail, min(TRACE_MAX_COLUMNS, console.width - 8)))
    if detail.intervals:
        console.print(_intervals_table(detail))


def power_trace(detail: RideDetail, columns: int) -> Text:
    """The ride's power as bars (coloured by zone) with the planned target as a line."""
    power = detail.power_w
    planned = detail.planned_w
    length = max(len(power), len(planned))
    columns = max(10, min(columns, length))
    bucket = length / columns
    averages = [_mean(power, int(i * bucket), int((i + 1) * bucket)) for i in range(columns)]
    targets = [_mean(planned, int(i * bucket), int((i + 1) * bucket)) for i in range(columns)]
    top = max([v for v in averages + targets if v is not None] or [1.0]) * 1.05
    text = Text()
    for row in range(TRACE_ROWS, 0, -1):
        low, high = (row - 1) * top / TRACE_ROWS, row * top / TRACE_ROWS
        for average, target in zip(averages, targets, strict=True):
            if target is not None and low <= target < high:
                text.append("━", style="bold white")
            elif average is not None and average >= high:
                text.append("█", style=_zone_style(average, detail.ftp_w))
            elif average is not None and average > low:
                level = int((average - low) / (high - low) * (len(BLOCKS) - 1))
                text.append(BLOCKS[level], style=_zone_style(average, detail.ftp_w))
            else:
                text.append(" ")
        if row == TRACE_ROWS:
            text.append(f" {top:.0f} W")
        text.append("\n")
    text.append(f"0{' ' * (columns - 8)}{_duration(length)}")
    if planned:
        text.append("\n━ planned target", style="bold white")
    return text


def _zones_table(title: str, seconds: Sequence[int], zones: Sequence[object]) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False, show_header=False)
    total = sum(seconds) or 1
    for index, value in enumerate(seconds):
        color = ZONE_COLORS[min(index, len(ZONE_COLORS) - 1)]
        name = getattr(zones[index], "name", "")
        share = value / total
        table.add_row(
            f"[{color}]Z{index + 1}[/]",
            name,
            _duration(value),
            f"{share:4.0%}",
            Text("█" * round(share * 40), style=color),
        )
    return table


def _intervals_table(detail: RideDetail) -> Table:
    table = Table(title="Intervals", title_justify="left", show_edge=False)
    for name in ("Start", "Length", "Target W", "Avg W", "On target"):
        table.add_column(name, justify="right")
    for interval in detail.intervals:
        color = BAND_COLORS.get(interval.band, "white")
        table.add_row(
            _duration(interval.start_s),
            _duration(interval.duration_s),
            f"{interval.target_w:.0f}",
            Text(_number(interval.avg_power_w), style=color),
            f"{interval.in_band_share:.0%}",
        )
    return table


def _zone_style(power_w: float, ftp_w: int) -> str:
    return ZONE_COLORS[power_zone(power_w / ftp_w) - 1]


def _mean(values: Sequence[float | int | None], start: int, end: int) -> float | None:
    seen = [v for v in values[start:end] if v is not None]
    return sum(seen) / len(seen) if seen else None


def _duration(seconds: int) -> str:
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def _compliance(value: float | None) -> Text:
    if value is None:
        return Text("–")
    color = "green3" if value >= 0.8 else "yellow3" if value >= 0.5 else "red3"
    return Text(f"{value:.0%}", style=color)

"""The athlete page: anchors, FTP history and zone tables."""

from __future__ import annotations

from rich.table import Table

from wattz.cli.console import out
from wattz.cli.render.colors import ZONE_COLORS
from wattz.services.athletes import AthleteProfile, ZoneBand


def render_profile(profile: AthleteProfile) -> None:
    facts = [f"[bold]{profile.name}[/]", f"FTP {profile.ftp_w} W"]
    if profile.weight_kg:
        facts.append(f"{profile.weight_kg:g} kg · {profile.w_per_kg} W/kg")
    if profile.lthr_bpm:
        facts.append(f"LTHR {profile.lthr_bpm} bpm")
    if profile.max_hr_bpm:
        facts.append(f"max HR {profile.max_hr_bpm} bpm")
    if profile.hrv_baseline_ms:
        facts.append(f"HRV baseline {profile.hrv_baseline_ms:g} ms")
    if profile.time_zone:
        facts.append(profile.time_zone)
    out().print(" · ".join(facts))
    if len(profile.ftp_history) > 1:
        history = ", ".join(
            f"{c.ftp_w} W from {c.valid_from.isoformat() if c.valid_from else 'the start'}"
            for c in profile.ftp_history
        )
        out().print(f"FTP history: {history}")
    out().print(_zone_table("Power zones (Coggan)", profile.power_zones, "W"))
    if profile.heart_rate_zones:
        out().print(_zone_table("Heart-rate zones (Friel)", profile.heart_rate_zones, "bpm"))


def _zone_table(title: str, zones: list[ZoneBand], unit: str) -> Table:
    table = Table(title=title, title_justify="left", show_edge=False)
    table.add_column("Zone")
    table.add_column("Name")
    table.add_column(f"Range ({unit})", justify="right")
    for band in zones:
        color = ZONE_COLORS[min(band.zone, len(ZONE_COLORS)) - 1]
        upper = f"{band.high}" if band.high is not None else "+"
        span = f"{band.low + (1 if band.zone > 1 else 0)}–{upper}" if band.high else f"> {band.low}"
        table.add_row(f"[{color}]Z{band.zone}[/]", band.name, span)
    return table

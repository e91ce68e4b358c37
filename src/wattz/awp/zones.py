"""Training zones: Coggan's seven power zones and Friel's heart-rate zones.

Power zones are fractions of FTP (Allen & Coggan, *Training and Racing with a Power
Meter*); heart-rate zones are fractions of lactate-threshold heart rate (Joe Friel,
cycling zones). Each zone's ``upper`` bound is inclusive; the last zone is open.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Zone:
    number: int
    name: str
    lower: float
    upper: float | None


POWER_ZONES: tuple[Zone, ...] = (
    Zone(1, "Active recovery", 0.0, 0.55),
    Zone(2, "Endurance", 0.55, 0.75),
    Zone(3, "Tempo", 0.75, 0.90),
    Zone(4, "Threshold", 0.90, 1.05),
    Zone(5, "VO2max", 1.05, 1.20),
    Zone(6, "Anaerobic capacity", 1.20, 1.50),
    Zone(7, "Neuromuscular power", 1.50, None),
)

HEART_RATE_ZONES: tuple[Zone, ...] = (
    Zone(1, "Recovery", 0.0, 0.81),
    Zone(2, "Aerobic", 0.81, 0.89),
    Zone(3, "Tempo", 0.89, 0.93),
    Zone(4, "Sub-threshold", 0.93, 0.99),
    Zone(5, "Super-threshold (5a)", 0.99, 1.02),
    Zone(6, "Aerobic capacity (5b)", 1.02, 1.06),
    Zone(7, "Anaerobic capacity (5c)", 1.06, None),
)


def power_zone(fraction_of_ftp: float) -> int:
    """Coggan zone (1–7) of a power given as a fraction of FTP."""
    for zone in POWER_ZONES:
        if zone.upper is None or fraction_of_ftp <= zone.upper:
            return zone.number
    return POWER_ZONES[-1].number


def heart_rate_zone(fraction_of_lthr: float) -> int:
    """Friel zone (1–7, where 5–7 are 5a–5c) of a heart rate as a fraction of LTHR."""
    for zone in HEART_RATE_ZONES:
        if zone.upper is None or fraction_of_lthr <= zone.upper:
            return zone.number
    return HEART_RATE_ZONES[-1].number


def power_zone_watts(ftp_w: int) -> list[tuple[Zone, int, int | None]]:
    """Each power zone with its bounds in watts at ``ftp_w``."""
    return [
        (zone, round(zone.lower * ftp_w), None if zone.upper is None else round(zone.upper * ftp_w))
        for zone in POWER_ZONES
    ]


def heart_rate_zone_bpm(lthr_bpm: int) -> list[tuple[Zone, int, int | None]]:
    """Each heart-rate zone with its bounds in beats per minute at ``lthr_bpm``."""
    return [
        (
            zone,
            round(zone.lower * lthr_bpm),
            None if zone.upper is None else round(zone.upper * lthr_bpm),
        )
        for zone in HEART_RATE_ZONES
    ]

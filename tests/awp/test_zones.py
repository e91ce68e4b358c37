"""Coggan power zones and Friel heart-rate zones: upper bounds inclusive, last zone open."""

from __future__ import annotations

import pytest

from wattz.awp.zones import (
    HEART_RATE_ZONES,
    POWER_ZONES,
    Zone,
    heart_rate_zone,
    heart_rate_zone_bpm,
    power_zone,
    power_zone_watts,
)


@pytest.mark.parametrize(
    ("fraction", "zone"),
    [
        (0.0, 1),
        (0.55, 1),
        (0.551, 2),
        (0.75, 2),
        (0.8, 3),
        (0.90, 3),
        (1.0, 4),
        (1.05, 4),
        (1.2, 5),
        (1.5, 6),
        (1.51, 7),
        (3.0, 7),
    ],
)
def test_power_zone_of_a_fraction_of_ftp(fraction: float, zone: int) -> None:
    assert power_zone(fraction) == zone


@pytest.mark.parametrize(
    ("fraction", "zone"),
    [(0.7, 1), (0.81, 1), (0.85, 2), (0.9, 3), (0.95, 4), (1.0, 5), (1.04, 6), (1.1, 7)],
)
def test_heart_rate_zone_of_a_fraction_of_lthr(fraction: float, zone: int) -> None:
    assert heart_rate_zone(fraction) == zone


@pytest.mark.parametrize("zones", [POWER_ZONES, HEART_RATE_ZONES])
def test_zones_are_numbered_one_to_seven_and_meet_without_gaps(zones: tuple[Zone, ...]) -> None:
    assert [zone.number for zone in zones] == list(range(1, 8))
    assert zones[0].lower == 0.0 and zones[-1].upper is None
    for below, above in zip(zones, zones[1:], strict=False):
        assert below.upper == above.lower


def test_power_zones_in_watts_at_250_w() -> None:
    bounds = [(lower, upper) for _, lower, upper in power_zone_watts(250)]
    assert bounds == [
        (0, 138),
        (138, 188),
        (188, 225),
        (225, 262),
        (262, 300),
        (300, 375),
        (375, None),
    ]


def test_heart_rate_zones_in_bpm_at_lthr_170() -> None:
    bounds = [(lower, upper) for _, lower, upper in heart_rate_zone_bpm(170)]
    assert bounds[0] == (0, 138)
    assert bounds[3] == (158, 168)
    assert bounds[-1] == (180, None)

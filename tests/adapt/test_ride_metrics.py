"""A ride's worth at an FTP: NP, IF and TSS by Coggan's definitions; hrTSS without power;
an RPE estimate with neither; the best 20 minutes and the FTP they suggest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wattz.adapt.ride_metrics import (
    DEFAULT_RPE,
    RPE_INTENSITY,
    TssSource,
    best_average_power,
    ride_metrics,
    suggested_ftp_w,
)


@dataclass(frozen=True)
class Samples:
    power_w: Sequence[int | None]
    hr_bpm: Sequence[int | None]


def steady(seconds: int, power_w: int | None, hr_bpm: int | None = None) -> Samples:
    return Samples([power_w] * seconds, [hr_bpm] * seconds)


def test_an_hour_at_ftp_is_one_hundred_tss() -> None:
    metrics = ride_metrics(steady(3600, 250, 150), ftp_w=250, lthr_bpm=160)

    assert metrics.np_w == pytest.approx(250)
    assert metrics.intensity_factor == pytest.approx(1.0)
    assert metrics.tss == pytest.approx(100)
    assert metrics.tss_source is TssSource.POWER
    assert metrics.avg_power_w == pytest.approx(250)
    assert metrics.avg_hr_bpm == pytest.approx(150)


def test_np_rewards_variability_over_the_average() -> None:
    # 30 s at 400 W, 30 s at 100 W, for an hour: average 250 W, NP well above it.
    power = ([400] * 30 + [100] * 30) * 60
    metrics = ride_metrics(Samples(power, [None] * len(power)), ftp_w=250)

    assert metrics.avg_power_w == pytest.approx(250)
    assert metrics.np_w is not None and metrics.np_w > 280


def test_without_power_the_heart_rate_gives_hr_tss() -> None:
    metrics = ride_metrics(steady(3600, None, 160), ftp_w=250, lthr_bpm=160)

    assert metrics.tss_source is TssSource.HR
    assert metrics.tss == pytest.approx(100)
    assert metrics.np_w is None and metrics.intensity_factor is None


def test_a_power_meter_that_mostly_dropped_out_does_not_define_tss() -> None:
    samples = Samples([300] * 600 + [None] * 3000, [140] * 3600)

    metrics = ride_metrics(samples, ftp_w=250, lthr_bpm=160)

    assert metrics.tss_source is TssSource.HR


def test_with_neither_the_rpe_estimates_tss() -> None:
    nothing = steady(3600, None)

    logged = ride_metrics(nothing, ftp_w=250, rpe=8)
    assumed = ride_metrics(nothing, ftp_w=250)

    assert logged.tss_source is TssSource.RPE
    assert logged.tss == pytest.approx(RPE_INTENSITY[8] ** 2 * 100)
    assert assumed.tss == pytest.approx(RPE_INTENSITY[DEFAULT_RPE] ** 2 * 100)


def test_hr_without_an_lthr_falls_back_to_rpe() -> None:
    assert ride_metrics(steady(1800, None, 150), ftp_w=250).tss_source is TssSource.RPE


def test_running_power_is_not_on_the_cycling_ftp_scale() -> None:
    run = ride_metrics(steady(3600, 300, 150), ftp_w=250, lthr_bpm=160, is_bike=False)

    assert run.tss_source is TssSource.HR
    assert run.np_w == pytest.approx(300)
    assert run.intensity_factor is None
    assert run.ftp_suggestion_w is None


def test_best_twenty_minutes_beating_ftp_suggests_a_new_one() -> None:
    power = [200] * 600 + [300] * 1200 + [150] * 600
    metrics = ride_metrics(Samples(power, [None] * len(power)), ftp_w=250)

    assert metrics.best_20min_power_w == pytest.approx(300)
    assert metrics.ftp_suggestion_w == 285
    assert suggested_ftp_w(300, 285) is None
    assert suggested_ftp_w(None, 200) is None


def test_a_ride_shorter_than_twenty_minutes_has_no_best_twenty() -> None:
    assert best_average_power([300] * 1199, 1200) is None
    assert ride_metrics(steady(600, 500), ftp_w=200).ftp_suggestion_w is None


def test_time_in_zones_adds_up_to_the_samples() -> None:
    power = [100] * 100 + [200] * 100 + [280] * 100 + [None] * 50
    metrics = ride_metrics(Samples(power, [155] * 350), ftp_w=250, lthr_bpm=160)

    assert metrics.power_zone_s == (100, 0, 100, 0, 100, 0, 0)
    assert sum(metrics.hr_zone_s) == 350


@given(
    power=st.lists(st.integers(0, 1500), min_size=30, max_size=400),
    ftp_w=st.integers(100, 400),
)
def test_tss_falls_with_the_square_of_ftp(power: list[int], ftp_w: int) -> None:
    samples = Samples(power, [None] * len(power))

    at_ftp = ride_metrics(samples, ftp_w=ftp_w).tss
    at_double = ride_metrics(samples, ftp_w=2 * ftp_w).tss

    assert at_double == pytest.approx(at_ftp / 4, abs=1e-9)


@given(
    power=st.lists(st.integers(0, 2000), max_size=200),
    ftp_w=st.integers(100, 400),
    lthr_bpm=st.integers(120, 200),
)
def test_zone_seconds_agree_with_the_zone_of_each_sample(
    power: list[int], ftp_w: int, lthr_bpm: int
) -> None:
    from wattz.adapt.ride_metrics import hr_zone_seconds, power_zone_seconds
    from wattz.awp.zones import heart_rate_zone, power_zone

    by_sample = [0] * 7
    for value in power:
        by_sample[power_zone(value / ftp_w) - 1] += 1
    hearts = [value % 220 + 1 for value in power]
    by_heart = [0] * 7
    for value in hearts:
        by_heart[heart_rate_zone(value / lthr_bpm) - 1] += 1

    assert power_zone_seconds(power, ftp_w) == tuple(by_sample)
    assert hr_zone_seconds(hearts, lthr_bpm) == tuple(by_heart)

"""Metrics of a workout at any FTP: duration, NP, IF, TSS, kJ, time in zone, primary zone.

Definitions (Coggan): NP is the 4th root of the mean 4th power of the 30 s rolling mean;
IF = NP / FTP; TSS = hours × IF² × 100.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.awp.strategies import workouts
from wattz.awp.metrics import (
    ROLLING_WINDOW_S,
    normalized_power,
    power_samples,
    timeline_metrics,
    workout_metrics,
)
from wattz.awp.models import (
    Cooldown,
    FreeRide,
    Meta,
    RampPower,
    Repeat,
    SteadyPower,
    SteadyState,
    Step,
    Warmup,
    Workout,
)
from wattz.awp.timeline import unroll
from wattz.awp.validate import steps_extent


def workout_of(*steps: Step) -> Workout:
    return Workout(
        meta=Meta(title="test", total_duration_seconds=steps_extent(steps).seconds),
        steps=list(steps),
    )


def steady(duration_s: int, value: float, **extras: object) -> SteadyState:
    return SteadyState(duration=duration_s, power=SteadyPower(value=value), **extras)


def ramp_mean_fourth_power(start: float, end: float) -> float:
    """Mean of p⁴ over a linear ramp: ∫p⁴ dp / (end − start) = (end⁵ − start⁵) / 5(end − start)."""
    return (end**5 - start**5) / (5 * (end - start))


class TestTheBars:
    def test_an_hour_at_ftp_is_tss_100_and_if_1(self) -> None:
        metrics = workout_metrics(workout_of(steady(3600, 1.0)))
        assert metrics.duration_s == 3600
        assert round(metrics.tss, 1) == 100.0
        assert f"{metrics.intensity_factor:.2f}" == "1.00"
        assert metrics.np_w(250) == 250
        assert metrics.kilojoules(250) == pytest.approx(900.0)
        assert metrics.primary_zone == 4

    def test_two_by_twenty_matches_a_hand_computation(self) -> None:
        """10' warm-up ramp 50→75 %, 2×20' at 95 % with 5' at 50 % between, 10' ramp down.

        By hand, ignoring the 30 s smoothing at the four changes of target:
        Σ p⁴·t = 2 · 600 · (0.75⁵ − 0.5⁵)/1.25 + 2400 · 0.95⁴ + 300 · 0.5⁴ = 2171.38;
        NP = (2171.38 / 3900)^¼ = 0.8638; TSS = 65/60 · 0.8638² · 100 = 80.84.
        Smoothing moves NP by well under 0.2 %.
        """
        workout = workout_of(
            Warmup(duration=600, power=RampPower(start=0.5, end=0.75)),
            Repeat(
                repeats=2,
                content=[steady(1200, 0.95)],
                rest_between=steady(300, 0.5, intensity="rest"),
            ),
            Cooldown(duration=600, power=RampPower(start=0.75, end=0.5)),
        )
        fourth_power_seconds = (
            2 * 600 * ramp_mean_fourth_power(0.5, 0.75) + 2400 * 0.95**4 + 300 * 0.5**4
        )
        hand_np = (fourth_power_seconds / 3900) ** 0.25
        hand_tss = 3900 / 3600 * hand_np**2 * 100
        assert hand_np == pytest.approx(0.8638, abs=1e-4)
        assert hand_tss == pytest.approx(80.84, abs=0.01)

        metrics = workout_metrics(workout)
        assert metrics.duration_s == 3900
        assert metrics.np_fraction == pytest.approx(hand_np, rel=0.002)
        assert metrics.intensity_factor == metrics.np_fraction
        assert metrics.tss == pytest.approx(hand_tss, rel=0.004)
        # Each ramp spends its first (or last) fifth below 0.55: 2 min in Z1, 8 in Z2.
        assert metrics.zone_seconds == pytest.approx((540, 960, 0, 2400, 0, 0, 0))
        assert metrics.primary_zone == 4
        # Mean power: (1200 · 0.625 + 2400 · 0.95 + 300 · 0.5) / 3900 = 0.8154 → 795 kJ at 250 W.
        assert metrics.kilojoules(250) == pytest.approx(795.0)


class TestNormalizedPower:
    def test_a_constant_effort_normalizes_to_itself(self) -> None:
        assert normalized_power([0.8] * 600) == pytest.approx(0.8)

    def test_a_ride_shorter_than_the_window_is_its_mean(self) -> None:
        assert normalized_power([1.0] * 10 + [0.0] * 10) == pytest.approx(0.5)
        assert normalized_power([]) == 0.0

    def test_surges_weigh_more_than_their_mean(self) -> None:
        on_off = ([1.5] * 60 + [0.5] * 60) * 10
        assert normalized_power(on_off) > sum(on_off) / len(on_off) + 0.05

    def test_thirty_second_surges_are_smoothed_more_than_minute_long_ones(self) -> None:
        short = ([1.5] * 15 + [0.5] * 15) * 40
        long = ([1.5] * 60 + [0.5] * 60) * 10
        assert normalized_power(short) < normalized_power(long)

    @settings(max_examples=100, deadline=None)
    @given(st.lists(st.floats(0, 3), min_size=ROLLING_WINDOW_S, max_size=400))
    def test_np_lies_between_the_mean_of_30_s_averages_and_the_peak(
        self, samples: list[float]
    ) -> None:
        """A 4th-power mean is at least the plain mean of the same 30 s rolling averages.

        Not at least the ride's plain mean: the first and last seconds fall in fewer
        windows, so a lone spike at the very start can leave NP below the mean.
        """
        windows = [
            sum(samples[i : i + ROLLING_WINDOW_S]) / ROLLING_WINDOW_S
            for i in range(len(samples) - ROLLING_WINDOW_S + 1)
        ]
        np_value = normalized_power(samples)
        assert sum(windows) / len(windows) <= np_value + 1e-9
        assert np_value <= max(samples) + 1e-9


class TestTimeInZones:
    def test_a_ramp_is_split_exactly_where_it_crosses_zone_bounds(self) -> None:
        metrics = workout_metrics(
            workout_of(SteadyState(duration=1000, power=RampPower(start=0.45, end=0.95)))
        )
        # 0.45–0.55 Z1, 0.55–0.75 Z2, 0.75–0.90 Z3, 0.90–0.95 Z4 over a 0.50 span.
        assert metrics.zone_seconds == pytest.approx((200, 400, 300, 100, 0, 0, 0))

    def test_free_ride_counts_as_zone_one(self) -> None:
        assert workout_metrics(workout_of(FreeRide(duration=600))).zone_seconds[0] == 600

    @settings(max_examples=75, deadline=None)
    @given(workouts())
    def test_zone_seconds_add_up_to_the_duration(self, workout: Workout) -> None:
        metrics = workout_metrics(workout)
        assert sum(metrics.zone_seconds) == pytest.approx(metrics.duration_s)
        assert 1 <= metrics.primary_zone <= 7
        assert metrics.tss >= 0
        assert metrics.tss == pytest.approx(
            metrics.duration_s / 3600 * metrics.intensity_factor**2 * 100
        )


class TestPrimaryZone:
    def test_an_endurance_ride_is_zone_two(self) -> None:
        ride = workout_of(Warmup(duration=600, power=SteadyPower(value=0.5)), steady(7200, 0.68))
        assert workout_metrics(ride).primary_zone == 2

    def test_warmup_cooldown_and_rest_do_not_count_as_work(self) -> None:
        vo2 = workout_of(
            Warmup(duration=1200, power=RampPower(start=0.4, end=0.7)),
            Repeat(
                repeats=5,
                content=[steady(180, 1.15), steady(180, 0.5, intensity="rest")],
            ),
            Cooldown(duration=1200, power=SteadyPower(value=0.5)),
        )
        assert workout_metrics(vo2).primary_zone == 5

    def test_the_highest_zone_with_a_fifth_of_the_work_wins(self) -> None:
        tempo_with_bursts = workout_of(steady(2400, 0.85), steady(600, 1.25))
        assert workout_metrics(tempo_with_bursts).primary_zone == 6
        tempo_with_a_spark = workout_of(steady(2400, 0.85), steady(300, 1.25))
        assert workout_metrics(tempo_with_a_spark).primary_zone == 3


def test_samples_are_one_per_second_ramps_at_each_seconds_midpoint() -> None:
    segments = unroll(workout_of(SteadyState(duration=4, power=RampPower(start=0.0, end=0.4))))
    assert power_samples(segments) == pytest.approx([0.05, 0.15, 0.25, 0.35])


def test_an_empty_timeline_has_zero_metrics() -> None:
    metrics = timeline_metrics(())
    assert (metrics.duration_s, metrics.tss, metrics.primary_zone) == (0, 0.0, 1)


def test_metrics_do_not_depend_on_ftp_but_watts_and_kilojoules_do() -> None:
    metrics = workout_metrics(workout_of(steady(1800, 0.9)))
    assert metrics.np_w(200) == 180 and metrics.np_w(300) == 270
    assert metrics.kilojoules(300) == pytest.approx(1.5 * metrics.kilojoules(200))

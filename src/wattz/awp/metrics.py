"""Workout metrics from the unrolled timeline: duration, NP, IF, TSS, kJ, time in zone.

Definitions (Coggan; GoldenCheetah's ``src/Metrics/Coggan.cpp``):
NP = 4th root of the mean of the 4th power of the 30 s rolling mean power;
IF = NP / FTP; TSS = hours × IF² × 100. Power in a workout is a fraction of FTP, so NP
and IF come out as fractions and watts follow from the athlete's FTP.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, repeat

from wattz.awp.models import Workout
from wattz.awp.timeline import Segment, unroll
from wattz.awp.zones import POWER_ZONES, power_zone

ROLLING_WINDOW_S = 30
PRIMARY_ZONE_MIN_SHARE = 0.2
"""A zone is a workout's primary zone when it holds at least this share of the work."""
MAIN_SET_MIN_S = 300
"""Five minutes above Z2 make a main set that decides the primary zone."""


@dataclass(frozen=True)
class WorkoutMetrics:
    """What a structured workout asks of an athlete, independent of the day it is ridden."""

    duration_s: int
    np_fraction: float
    intensity_factor: float
    tss: float
    mean_fraction: float
    zone_seconds: tuple[float, ...]
    primary_zone: int

    def np_w(self, ftp_w: int) -> int:
        return round(self.np_fraction * ftp_w)

    def kilojoules(self, ftp_w: int) -> float:
        """Work at ``ftp_w``: mean watts × seconds / 1000."""
        return self.mean_fraction * ftp_w * self.duration_s / 1000


def workout_metrics(workout: Workout) -> WorkoutMetrics:
    """Metrics of a workout; cached, since plans score the same documents many times."""
    return _metrics_of_json(workout.to_json())


@lru_cache(maxsize=4096)
def _metrics_of_json(document: str) -> WorkoutMetrics:
    return timeline_metrics(unroll(Workout.model_validate_json(document)))


def timeline_metrics(segments: Sequence[Segment]) -> WorkoutMetrics:
    """Metrics of an unrolled timeline."""
    samples = power_samples(segments)
    duration_s = len(samples)
    if duration_s == 0:
        return WorkoutMetrics(0, 0.0, 0.0, 0.0, 0.0, (0.0,) * len(POWER_ZONES), 1)
    np_fraction = normalized_power(samples)
    tss = duration_s / 3600 * np_fraction**2 * 100
    zone_seconds = time_in_zones(segments)
    return WorkoutMetrics(
        duration_s=duration_s,
        np_fraction=np_fraction,
        intensity_factor=np_fraction,
        tss=tss,
        mean_fraction=sum(samples) / duration_s,
        zone_seconds=zone_seconds,
        primary_zone=primary_zone(segments),
    )


def power_samples(segments: Sequence[Segment]) -> list[float]:
    """1 Hz power targets (fractions of FTP), ramps sampled at each second's midpoint."""
    samples: list[float] = []
    for segment in segments:
        if segment.power_start == segment.power_end or segment.is_free:
            samples.extend(repeat(segment.power_at(0), segment.duration_s))
        else:
            samples.extend(segment.power_at(second + 0.5) for second in range(segment.duration_s))
    return samples


def normalized_power(samples: Sequence[float]) -> float:
    """Coggan NP of 1 Hz samples; the plain mean for rides shorter than the window."""
    if len(samples) < ROLLING_WINDOW_S:
        return sum(samples) / len(samples) if samples else 0.0
    sums = list(accumulate(samples, initial=0.0))
    window_sums = map(operator.sub, sums[ROLLING_WINDOW_S:], sums[:-ROLLING_WINDOW_S])
    fourth_powers = sum(map(pow, window_sums, repeat(4)))
    windows = len(samples) - ROLLING_WINDOW_S + 1
    mean_fourth: float = fourth_powers / windows
    return float(mean_fourth**0.25 / ROLLING_WINDOW_S)


def time_in_zones(segments: Sequence[Segment]) -> tuple[float, ...]:
    """Seconds in each Coggan zone; ramps split exactly by where they cross zone bounds."""
    seconds = [0.0] * len(POWER_ZONES)
    for segment in segments:
        low = segment.power_at(0)
        high = segment.power_end if segment.power_end is not None else low
        if low == high:
            seconds[power_zone(low) - 1] += segment.duration_s
            continue
        bottom, top = sorted((low, high))
        for index, zone in enumerate(POWER_ZONES):
            upper = top if zone.upper is None else min(zone.upper, top)
            overlap = upper - max(zone.lower, bottom)
            if overlap > 0:
                seconds[index] += segment.duration_s * overlap / (top - bottom)
    return tuple(seconds)


def primary_zone(segments: Sequence[Segment]) -> int:
    """The zone the workout is about: the highest zone holding ≥ 20 % of the work time.

    Work is everything but warm-up, cool-down and rest; a ride with no work (an easy
    spin) is judged on all of it.
    """
    work = [s for s in segments if s.intensity == "active"] or list(segments)
    return primary_zone_of(time_in_zones(work))


def primary_zone_of(work_zone_seconds: Sequence[float]) -> int:
    """The highest zone holding ≥ 20 % of the work (1 when empty).

    When the work holds at least ``MAIN_SET_MIN_S`` above Z2, only that part is judged:
    a 4×6 min VO2max set inside a 3 h ride is a VO2max session, not an endurance ride.
    """
    hard = [0.0, 0.0, *work_zone_seconds[2:]]
    if sum(hard) >= MAIN_SET_MIN_S:
        work_zone_seconds = hard
    total = sum(work_zone_seconds)
    if total <= 0:
        return 1
    for index in range(len(work_zone_seconds) - 1, -1, -1):
        if work_zone_seconds[index] / total >= PRIMARY_ZONE_MIN_SHARE:
            return index + 1
    return max(range(len(work_zone_seconds)), key=work_zone_seconds.__getitem__) + 1

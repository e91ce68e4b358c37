"""What a ride was worth at the athlete's FTP and LTHR: NP, IF, TSS, zones, best 20 minutes.

Everything here reads the 1 Hz *moving-time* channels of an activity (pauses already cut
out, nothing zero-filled), so metrics can be recomputed whenever FTP or LTHR change.

Training Stress Score, in order of preference:

- **power** (bike rides with power): Coggan/Allen, *Training and Racing with a Power Meter*;
  GoldenCheetah ``src/Metrics/Coggan.cpp``. NP = 4th root of the mean 4th power of the
  30 s rolling mean (``wattz.awp.metrics.normalized_power``, over the seconds that carry
  power, joined across pauses); IF = NP / FTP; TSS = hours of power data × IF² × 100.
  Power TSS is for bikes only: running power (Stryd) is not on the cycling FTP's scale.
- **hr** (no usable power, a heart-rate strap and an LTHR): TrainingPeaks' hrTSS in its
  usual closed form, IF_hr = mean HR / LTHR, hrTSS = hours of HR data × IF_hr² × 100.
  It understates short intervals, where heart rate lags the effort.
- **rpe** (neither): session RPE (Foster 2001) mapped onto an IF per point of the CR-10
  scale (``RPE_INTENSITY``, after TrainingPeaks' RPE-to-zone guidance), TSS = moving
  hours × IF² × 100. With no RPE logged, ``DEFAULT_RPE`` ("moderate") stands in until the
  athlete logs one (``ride log --rpe``), so the ride still counts in fitness.
"""

from __future__ import annotations

import bisect
import operator
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from itertools import accumulate
from typing import Protocol

from wattz.awp.metrics import normalized_power
from wattz.awp.zones import HEART_RATE_ZONES, POWER_ZONES

BEST_EFFORT_WINDOW_S = 20 * 60
FTP_FROM_20_MIN = 0.95
"""FTP ≈ 95 % of the best 20-minute power (Allen & Coggan's 20-minute test)."""
DEFAULT_RPE = 5
RPE_INTENSITY: dict[int, float] = {
    1: 0.45,
    2: 0.55,
    3: 0.62,
    4: 0.68,
    5: 0.74,
    6: 0.80,
    7: 0.87,
    8: 0.94,
    9: 1.02,
    10: 1.10,
}
"""Intensity factor per CR-10 RPE point: 1–2 recovery, 3–4 endurance, 5–6 tempo,
7 sweet spot, 8 threshold, 9–10 VO2max and above."""
MIN_POWER_SHARE = 0.5
"""A power meter that recorded less than half the moving time does not define TSS."""


class TssSource(StrEnum):
    POWER = "power"
    HR = "hr"
    RPE = "rpe"


class MovingStream(Protocol):
    """The 1 Hz moving-time channels of an activity (``ActivityStream`` is one)."""

    @property
    def power_w(self) -> Sequence[int | None]: ...

    @property
    def hr_bpm(self) -> Sequence[int | None]: ...


@dataclass(frozen=True)
class RideMetrics:
    """A ride's summary at one FTP/LTHR. Power figures are ``None`` without power data."""

    moving_s: int
    avg_power_w: float | None
    np_w: float | None
    intensity_factor: float | None
    tss: float
    tss_source: TssSource
    avg_hr_bpm: float | None
    max_hr_bpm: int | None
    best_20min_power_w: float | None
    power_zone_s: tuple[int, ...]
    """Seconds in each Coggan zone (all zeros without power)."""
    hr_zone_s: tuple[int, ...]
    """Seconds in each Friel zone (all zeros without heart rate or LTHR)."""
    ftp_suggestion_w: int | None
    """A new FTP when the best 20 minutes × 0.95 beat the one in force; else ``None``."""


def ride_metrics(
    stream: MovingStream,
    *,
    ftp_w: int,
    lthr_bpm: int | None = None,
    rpe: int | None = None,
    is_bike: bool = True,
) -> RideMetrics:
    """Summarise a ride at ``ftp_w`` (and ``lthr_bpm`` for hrTSS; ``rpe`` 1–10 if logged)."""
    if ftp_w <= 0:
        raise ValueError("FTP must be positive")
    moving_s = len(stream.power_w)
    power = [value for value in stream.power_w if value is not None]
    heart = [value for value in stream.hr_bpm if value is not None]

    avg_power_w = sum(power) / len(power) if power else None
    np_w = normalized_power(power) if power else None
    best_20 = best_average_power(power, BEST_EFFORT_WINDOW_S)
    avg_hr = sum(heart) / len(heart) if heart else None

    uses_power = (
        is_bike and np_w is not None and moving_s > 0 and len(power) >= MIN_POWER_SHARE * moving_s
    )
    intensity: float | None = None
    if uses_power and np_w is not None:
        intensity = np_w / ftp_w
        tss = power_tss(len(power), np_w, ftp_w)
        source = TssSource.POWER
    elif avg_hr is not None and lthr_bpm:
        tss = hr_tss(len(heart), avg_hr, lthr_bpm)
        source = TssSource.HR
    else:
        tss = rpe_tss(moving_s, rpe if rpe is not None else DEFAULT_RPE)
        source = TssSource.RPE

    return RideMetrics(
        moving_s=moving_s,
        avg_power_w=avg_power_w,
        np_w=np_w,
        intensity_factor=intensity,
        tss=tss,
        tss_source=source,
        avg_hr_bpm=avg_hr,
        max_hr_bpm=max(heart) if heart else None,
        best_20min_power_w=best_20,
        power_zone_s=power_zone_seconds(power, ftp_w),
        hr_zone_s=hr_zone_seconds(heart, lthr_bpm) if lthr_bpm else (0,) * len(HEART_RATE_ZONES),
        ftp_suggestion_w=suggested_ftp_w(best_20, ftp_w) if is_bike else None,
    )


def power_tss(seconds: int, np_w: float, ftp_w: int) -> float:
    """Coggan TSS: hours × IF² × 100, with IF = NP / FTP."""
    return seconds / 3600 * (np_w / ftp_w) ** 2 * 100


def hr_tss(seconds: int, avg_hr_bpm: float, lthr_bpm: int) -> float:
    """hrTSS: hours × (mean HR / LTHR)² × 100 (an hour at LTHR scores 100)."""
    return seconds / 3600 * (avg_hr_bpm / lthr_bpm) ** 2 * 100


def rpe_tss(seconds: int, rpe: int) -> float:
    """TSS estimated from session RPE (CR-10): hours × IF(RPE)² × 100."""
    if rpe not in RPE_INTENSITY:
        raise ValueError(f"RPE {rpe} is outside 1–10")
    return seconds / 3600 * RPE_INTENSITY[rpe] ** 2 * 100


def best_average_power(power_w: Sequence[int], window_s: int) -> float | None:
    """Best mean power over ``window_s`` consecutive samples; ``None`` if the ride is shorter."""
    if len(power_w) < window_s:
        return None
    sums: list[int] = list(accumulate(power_w, initial=0))
    best: int = max(map(operator.sub, sums[window_s:], sums[:-window_s]))
    return best / window_s


def power_zone_seconds(power_w: Sequence[int], ftp_w: int) -> tuple[int, ...]:
    """Seconds in each Coggan zone at ``ftp_w`` (upper bounds inclusive, as ``power_zone``)."""
    uppers_w = [zone.upper * ftp_w for zone in POWER_ZONES if zone.upper is not None]
    return _zone_counts(power_w, uppers_w, len(POWER_ZONES))


def hr_zone_seconds(hr_bpm: Sequence[int], lthr_bpm: int) -> tuple[int, ...]:
    """Seconds in each Friel zone at ``lthr_bpm`` (upper bounds inclusive)."""
    uppers = [zone.upper * lthr_bpm for zone in HEART_RATE_ZONES if zone.upper is not None]
    return _zone_counts(hr_bpm, uppers, len(HEART_RATE_ZONES))


def _zone_counts(values: Sequence[int], uppers: list[float], zones: int) -> tuple[int, ...]:
    # bisect_left counts the bounds strictly below a value: its 0-based zone.
    counts = Counter(map(partial(bisect.bisect_left, uppers), values))
    return tuple(counts.get(index, 0) for index in range(zones))


def suggested_ftp_w(best_20min_power_w: float | None, ftp_w: int) -> int | None:
    """The FTP a ride suggests: best 20 min × 0.95, when it beats ``ftp_w``."""
    if best_20min_power_w is None or best_20min_power_w * FTP_FROM_20_MIN <= ftp_w:
        return None
    return round(best_20min_power_w * FTP_FROM_20_MIN)

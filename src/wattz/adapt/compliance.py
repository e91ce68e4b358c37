"""How well a ride did its planned workout, and what that makes the workout.

Scored on three things, each a ratio turned into a score with TrainingPeaks' colours
(TrainingPeaks Help, "Compliance: what do the colors mean"): 80–120 % of the plan is
green, 50–150 % yellow, anything else red. A ratio ``r`` scores ``1 − |1 − r|`` so the
band edges fall on the same numbers (0.8 and 0.5) whichever side of the plan it lies.

- **duration**: moving time / planned duration;
- **TSS**: the ride's TSS / the workout's TSS (power fractions make it FTP-free);
- **intervals**: the power stream laid over the unrolled plan (``wattz.awp.timeline``),
  second by second; for each powered step, the share of its seconds whose smoothed power
  (``SMOOTHING_S`` rolling mean, to look through pedal-stroke noise) is within
  ``TARGET_BAND`` of the target. Work steps (not warm-up, cool-down or rest) make the
  score; every powered step is reported. A ride longer than the plan is aligned where the
  workout fits best (warm-up laps before pressing start), within ``MAX_ALIGN_OFFSET_S``.

The compliance score is the mean of the scores available; its colour classifies the
workout: green completed, yellow partial, red failed (blueprint §6.2: attempted but
stopped early or eased off). No ride at all, once the day is past, is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from itertools import accumulate
from typing import Any

from wattz.adapt.matching import Planned, Ridden
from wattz.awp.metrics import workout_metrics
from wattz.awp.timeline import Segment, unroll
from wattz.plan.domain import Status

GREEN_SCORE = 0.8
"""80–120 % of plan."""
YELLOW_SCORE = 0.5
"""50–150 % of plan."""
TARGET_BAND = 0.10
"""±10 % of the target power counts as on target."""
SMOOTHING_S = 10
MAX_ALIGN_OFFSET_S = 900
ALIGN_STEP_S = 15
"""Alignment precision: finer than the smoothing window is noise."""


class Band(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


def ratio_score(ratio: float) -> float:
    """1 at the plan, 0.8 at 80 % or 120 %, 0.5 at 50 % or 150 %, never below 0."""
    return max(0.0, 1.0 - abs(1.0 - ratio))


def band_of(score: float) -> Band:
    if score >= GREEN_SCORE - 1e-9:
        return Band.GREEN
    if score >= YELLOW_SCORE - 1e-9:
        return Band.YELLOW
    return Band.RED


@dataclass(frozen=True)
class IntervalCompliance:
    """One powered step of the plan against what the power meter saw."""

    index: int
    start_s: int
    duration_s: int
    step_type: str
    intensity: str
    target_w: float
    """Mean target over the step, in watts at the day's FTP."""
    avg_power_w: float | None
    in_band_share: float
    band: Band
    """Colour of the step's average power against its mean target."""


@dataclass(frozen=True)
class Compliance:
    """A ride scored against its planned workout."""

    score: float
    band: Band
    status: Status
    duration_ratio: float
    tss_ratio: float | None
    interval_score: float | None
    offset_s: int
    """Seconds of riding before the workout's first step (alignment)."""
    intervals: tuple[IntervalCompliance, ...]

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON data, for the store and ``--json``."""
        document = asdict(self)
        document["band"] = self.band.value
        document["status"] = self.status.value
        for interval in document["intervals"]:
            interval["band"] = interval["band"].value
        return document


def score_ride(planned: Planned, ridden: Ridden, ftp_w: int) -> Compliance:
    """Compliance of ``ridden`` against ``planned`` at the FTP in force on the day."""
    if ftp_w <= 0:
        raise ValueError("FTP must be positive")
    duration_ratio = ridden.moving_s / planned.duration_s if planned.duration_s else 0.0
    scores = [ratio_score(duration_ratio)]

    planned_tss = workout_metrics(planned.workout).tss
    tss_ratio = None
    if ridden.tss is not None and planned_tss > 0:
        tss_ratio = ridden.tss / planned_tss
        scores.append(ratio_score(tss_ratio))

    intervals: tuple[IntervalCompliance, ...] = ()
    interval_score = None
    offset_s = 0
    if any(value is not None for value in ridden.power_w):
        segments = unroll(planned.workout)
        smoothed = _smoothed(ridden.power_w)
        offset_s = _best_offset(segments, smoothed, ftp_w)
        intervals = _intervals(segments, smoothed[offset_s:], ftp_w)
        interval_score = _interval_score(intervals)
        if interval_score is not None:
            scores.append(interval_score)

    score = sum(scores) / len(scores)
    band = band_of(score)
    return Compliance(
        score=score,
        band=band,
        status=_STATUS_OF_BAND[band],
        duration_ratio=duration_ratio,
        tss_ratio=tss_ratio,
        interval_score=interval_score,
        offset_s=offset_s,
        intervals=intervals,
    )


_STATUS_OF_BAND = {
    Band.GREEN: Status.COMPLETED,
    Band.YELLOW: Status.PARTIAL,
    Band.RED: Status.FAILED,
}


def classify(planned: Planned, compliance: Compliance | None, today: dt.date) -> Status:
    """The workout's status: from its ride's compliance, skipped when the day passed
    without one, else unchanged (still to come, or today with time left)."""
    if compliance is not None:
        return compliance.status
    if planned.date < today and planned.status in (Status.PENDING, Status.MOVED):
        return Status.SKIPPED
    return planned.status


def _smoothed(power_w: Sequence[int | None]) -> list[float | None]:
    """Trailing ``SMOOTHING_S`` mean of the seconds with power; ``None`` where none was."""
    values = [0 if value is None else value for value in power_w]
    counts = list(accumulate((value is not None for value in power_w), initial=0))
    sums = list(accumulate(values, initial=0))
    smoothed: list[float | None] = []
    for index in range(len(values)):
        start = max(0, index + 1 - SMOOTHING_S)
        seen = counts[index + 1] - counts[start]
        if power_w[index] is None or seen == 0:
            smoothed.append(None)
        else:
            smoothed.append((sums[index + 1] - sums[start]) / seen)
    return smoothed


def _targets(segments: Sequence[Segment], ftp_w: int) -> list[float | None]:
    """Target watts for every second of the plan; ``None`` in free-ride steps."""
    targets: list[float | None] = []
    for segment in segments:
        if segment.is_free:
            targets.extend([None] * segment.duration_s)
        else:
            targets.extend(
                segment.power_at(second + 0.5) * ftp_w for second in range(segment.duration_s)
            )
    return targets


def _in_band(power_w: float | None, target_w: float | None) -> bool:
    return (
        power_w is not None
        and target_w is not None
        and abs(power_w - target_w) <= TARGET_BAND * target_w
    )


def _best_offset(segments: Sequence[Segment], smoothed: Sequence[float | None], ftp_w: int) -> int:
    """Where the workout starts in a ride longer than it: the offset with most time on target."""
    targets = _targets(segments, ftp_w)
    spare_s = min(len(smoothed) - len(targets), MAX_ALIGN_OFFSET_S)
    if spare_s <= 0:
        return 0
    best_offset, best_hits = 0, -1
    for offset in range(0, spare_s + 1, ALIGN_STEP_S):
        hits = sum(map(_in_band, smoothed[offset : offset + len(targets)], targets))
        if hits > best_hits:
            best_offset, best_hits = offset, hits
    return best_offset


def _intervals(
    segments: Sequence[Segment], power_w: Sequence[float | None], ftp_w: int
) -> tuple[IntervalCompliance, ...]:
    result: list[IntervalCompliance] = []
    for index, segment in enumerate(segments):
        if segment.is_free:
            continue
        window = power_w[segment.start_s : segment.end_s]
        targets = [segment.power_at(second + 0.5) * ftp_w for second in range(segment.duration_s)]
        hits = sum(map(_in_band, window, targets))
        seen = [value for value in window if value is not None]
        average = sum(seen) / len(seen) if seen else None
        target_w = segment.mean_power * ftp_w
        ratio = (average or 0.0) / target_w if target_w else 0.0
        result.append(
            IntervalCompliance(
                index=index,
                start_s=segment.start_s,
                duration_s=segment.duration_s,
                step_type=segment.step_type,
                intensity=segment.intensity,
                target_w=target_w,
                avg_power_w=average,
                in_band_share=hits / segment.duration_s if segment.duration_s else 0.0,
                band=band_of(ratio_score(ratio)),
            )
        )
    return tuple(result)


def _interval_score(intervals: Sequence[IntervalCompliance]) -> float | None:
    """Duration-weighted time on target over the work steps (all steps if none is work)."""
    work = [i for i in intervals if i.intensity == "active"] or list(intervals)
    total_s = sum(i.duration_s for i in work)
    if total_s == 0:
        return None
    return sum(i.in_band_share * i.duration_s for i in work) / total_s

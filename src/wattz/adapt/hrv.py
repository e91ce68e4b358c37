"""The HRV red flag: the 7-day mean of ln rMSSD below the athlete's normal range.

Following Plews et al. (2012, 2013) and HRV4Training's practice (Altini): a single
morning's rMSSD is noise, its weekly rolling mean of logs is the signal. The normal
range is the mean of daily ln rMSSD over the 60 days before the week being judged,
minus half its standard deviation (the smallest worthwhile change), so a dip never
drags its own baseline down; a 7-day mean below it on three mornings running flags
accumulated fatigue or an illness coming on (blueprint §6.1, DESIGN.md).

With too few readings for a 60-day range, the athlete's stated baseline (``athlete set
--hrv-baseline``) stands in for the mean, with a typical day-to-day spread assumed.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wattz.adapt.plan_state import DAY, WellnessDay

ROLLING_DAYS = 7
NORMAL_RANGE_DAYS = 60
NORMAL_RANGE_SD_SHARE = 0.5
"""The lower edge of normal: mean − 0.5 SD (Plews 2012: the smallest worthwhile change)."""
RUNNING_DAYS = 3
"""Days in a row below the normal range that make a red flag (DESIGN.md)."""
MIN_ROLLING_READINGS = 4
"""A 7-day mean needs at least 4 mornings measured."""
MIN_RANGE_READINGS = 30
"""A 60-day range needs at least 30 mornings; with fewer, the stated baseline is used."""
EPISODE_LOOKBACK_DAYS = 28
"""A flag still on is named by the morning it started, looked for up to four weeks back."""
ASSUMED_LN_RMSSD_SD = 0.25
"""Day-to-day SD of ln rMSSD assumed around a stated baseline (Plews 2012 report
coefficients of variation of lnRMSSD of 5–7 %, about 0.2–0.3 at typical values)."""


@dataclass(frozen=True)
class HrvDay:
    """Where one morning stood: the 7-day mean of ln rMSSD against the normal floor."""

    date: dt.date
    rolling_ln: float | None
    floor_ln: float | None

    @property
    def below(self) -> bool:
        return (
            self.rolling_ln is not None
            and self.floor_ln is not None
            and self.rolling_ln < self.floor_ln
        )


def hrv_days(
    wellness: Iterable[WellnessDay],
    first: dt.date,
    last: dt.date,
    baseline_ms: float | None = None,
) -> list[HrvDay]:
    """Each morning from ``first`` to ``last`` with its rolling mean and normal floor."""
    logs: dict[dt.date, float] = {
        entry.date: math.log(entry.hrv_ms)
        for entry in wellness
        if entry.hrv_ms is not None and entry.hrv_ms > 0
    }
    result: list[HrvDay] = []
    day = first
    while day <= last:
        result.append(HrvDay(day, _rolling(logs, day), _floor(logs, day, baseline_ms)))
        day += DAY
    return result


def red_flags(
    wellness: Iterable[WellnessDay],
    first: dt.date,
    last: dt.date,
    baseline_ms: float | None = None,
) -> list[dt.date]:
    """The red flags still on between ``first`` and ``last``, each named by the morning
    it started (the third running below the normal range), so a flag that lasts a week
    is acted on once however many audits see it."""
    entries = [entry for entry in wellness if entry.hrv_ms is not None]
    if len(entries) < MIN_ROLLING_READINGS:
        return []
    start = first - EPISODE_LOOKBACK_DAYS * DAY
    mornings = hrv_days(entries, start, last, baseline_ms)
    flags: list[dt.date] = []
    run = 0
    began: dt.date | None = None
    for morning in mornings:
        run = run + 1 if morning.below else 0
        if run == RUNNING_DAYS:
            began = morning.date
        if run >= RUNNING_DAYS and morning.date >= first and began is not None:
            if not flags or flags[-1] != began:
                flags.append(began)
    return flags


def _rolling(logs: Mapping[dt.date, float], day: dt.date) -> float | None:
    values = [logs[d] for d in (day - k * DAY for k in range(ROLLING_DAYS)) if d in logs]
    if len(values) < MIN_ROLLING_READINGS:
        return None
    return statistics.fmean(values)


def _floor(logs: Mapping[dt.date, float], day: dt.date, baseline_ms: float | None) -> float | None:
    window = [
        logs[d]
        for d in (day - k * DAY for k in range(ROLLING_DAYS, ROLLING_DAYS + NORMAL_RANGE_DAYS))
        if d in logs
    ]
    if len(window) >= MIN_RANGE_READINGS:
        return statistics.fmean(window) - NORMAL_RANGE_SD_SHARE * statistics.stdev(window)
    if baseline_ms is not None and baseline_ms > 0:
        return math.log(baseline_ms) - NORMAL_RANGE_SD_SHARE * ASSUMED_LN_RMSSD_SD
    return None

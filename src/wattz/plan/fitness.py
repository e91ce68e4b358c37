"""The performance-management model: CTL, ATL and TSB from daily TSS.

CTL and ATL are exponentially weighted averages of daily TSS with 42- and 7-day time
constants (Coggan/Allen; GoldenCheetah's PMCData uses the same form):
``load_today = load_yesterday + (tss_today − load_yesterday) / constant``.
TSB on a day is yesterday's CTL − ATL, i.e. the form you wake up with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

CTL_TIME_CONSTANT_DAYS = 42
ATL_TIME_CONSTANT_DAYS = 7


@dataclass(frozen=True)
class FitnessDay:
    date: dt.date
    tss: float
    ctl: float
    atl: float
    tsb: float


def fitness_series(
    daily_tss: Mapping[dt.date, float],
    start: dt.date,
    end: dt.date,
    start_ctl: float = 0.0,
    start_atl: float | None = None,
) -> list[FitnessDay]:
    """CTL/ATL/TSB for every day from ``start`` to ``end`` inclusive.

    ``start_ctl``/``start_atl`` are the loads on the evening before ``start``; ATL
    defaults to CTL (a steady state).
    """
    ctl = start_ctl
    atl = start_ctl if start_atl is None else start_atl
    days: list[FitnessDay] = []
    day = start
    while day <= end:
        tsb = ctl - atl
        tss = daily_tss.get(day, 0.0)
        ctl += (tss - ctl) / CTL_TIME_CONSTANT_DAYS
        atl += (tss - atl) / ATL_TIME_CONSTANT_DAYS
        days.append(FitnessDay(day, tss, ctl, atl, tsb))
        day += dt.timedelta(days=1)
    return days


def daily_totals(entries: Iterable[tuple[dt.date, float]]) -> dict[dt.date, float]:
    """Sum TSS per day (several rides on a day add up)."""
    totals: dict[dt.date, float] = {}
    for day, tss in entries:
        totals[day] = totals.get(day, 0.0) + tss
    return totals

"""The fitness chart's data: CTL/ATL/TSB from what was ridden, and where the plan leads.

A view over ``wattz.plan.fitness`` (the one EWMA implementation, 42/7-day constants):

- **actual**: every activity counts (runs and unplanned group rides too), up to today;
- **projection**: after today, the plan's remaining workouts carry the actual loads on;
- **planned**: the plan as written, from its first day, starting from the actual loads of
  the evening before — the line the athlete would be on had every workout been ridden.

Loads build up from the first activity (CTL 0 before it), so a window that opens late
still shows the fitness the history built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from wattz.plan.fitness import FitnessDay, daily_totals, fitness_series


@dataclass(frozen=True)
class FitnessPoint:
    """One day of the chart. ``planned_*`` is ``None`` without a plan covering the day."""

    date: dt.date
    tss: float
    """TSS ridden on the day (today and before) or planned (after today)."""
    ctl: float
    atl: float
    tsb: float
    projected: bool
    """After today: ``tss``/``ctl``/``atl``/``tsb`` are the plan's projection."""
    planned_tss: float | None = None
    planned_ctl: float | None = None
    planned_atl: float | None = None
    planned_tsb: float | None = None


def fitness_chart(
    actual: Iterable[tuple[dt.date, float]],
    planned: Iterable[tuple[dt.date, float]],
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> list[FitnessPoint]:
    """Daily points from ``start`` to ``end`` inclusive.

    ``actual`` is (local date, TSS) per activity; ``planned`` is (date, TSS) per planned
    workout that is not cancelled (skipped ones lie in the past, so they shape the
    planned line but not the projection). With no plan, ``planned`` is empty and the
    chart is actuals only: it stops at today.
    """
    if end < start:
        raise ValueError("the chart ends before it starts")
    ridden = daily_totals((day, tss) for day, tss in actual if day <= today)
    plan = daily_totals(planned)
    origin = min([start, *ridden, *plan])

    to_come = {day: tss for day, tss in plan.items() if day > today} if plan else {}
    combined = {**ridden, **to_come}
    main = _by_date(fitness_series(combined, origin, end))

    planned_line: dict[dt.date, FitnessDay] = {}
    if plan:
        plan_start = min(plan)
        seed = main.get(plan_start - dt.timedelta(days=1))
        planned_line = _by_date(
            fitness_series(
                plan,
                plan_start,
                end,
                start_ctl=seed.ctl if seed else 0.0,
                start_atl=seed.atl if seed else 0.0,
            )
        )

    points: list[FitnessPoint] = []
    day = start
    while day <= end:
        point = main[day]
        line = planned_line.get(day)
        points.append(
            FitnessPoint(
                date=day,
                tss=point.tss,
                ctl=point.ctl,
                atl=point.atl,
                tsb=point.tsb,
                projected=day > today and bool(plan),
                planned_tss=line.tss if line else None,
                planned_ctl=line.ctl if line else None,
                planned_atl=line.atl if line else None,
                planned_tsb=line.tsb if line else None,
            )
        )
        day += dt.timedelta(days=1)
    if not plan:
        return [point for point in points if point.date <= today]
    return points


def _by_date(days: Iterable[FitnessDay]) -> dict[dt.date, FitnessDay]:
    return {day.date: day for day in days}

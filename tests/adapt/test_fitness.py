"""The fitness chart: CTL/ATL/TSB from every activity, the plan's projection after today
and the plan as written, checked against a hand computation over a 60-day history."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from wattz.adapt.fitness import fitness_chart

TODAY = dt.date(2026, 11, 25)
DAY = dt.timedelta(days=1)


def history(days: int, tss_of_day: list[float]) -> list[tuple[dt.date, float]]:
    first = TODAY - (days - 1) * DAY
    return [(first + i * DAY, tss_of_day[i % len(tss_of_day)]) for i in range(days)]


def test_sixty_days_at_a_constant_load_follow_the_closed_form() -> None:
    rides = history(60, [100.0])

    last = fitness_chart(rides, [], TODAY - 59 * DAY, TODAY, TODAY)[-1]

    # After n days at load L from zero: L × (1 − (1 − 1/τ)^n).
    assert last.ctl == pytest.approx(100 * (1 - (41 / 42) ** 60))
    assert last.atl == pytest.approx(100 * (1 - (6 / 7) ** 60))


def test_a_varied_sixty_day_history_matches_a_hand_computation() -> None:
    week = [0.0, 80.0, 45.0, 120.0, 0.0, 200.0, 60.0]
    rides = history(60, week) + [(TODAY - 10 * DAY, 35.0)]  # a second ride on one day
    ctl = atl = 0.0
    expected = []
    for day, tss in history(60, week):
        tss += 35.0 if day == TODAY - 10 * DAY else 0.0
        tsb = ctl - atl
        ctl += (tss - ctl) / 42
        atl += (tss - atl) / 7
        expected.append((day, ctl, atl, tsb))

    points = fitness_chart(rides, [], TODAY - 59 * DAY, TODAY, TODAY)

    assert [(p.date, p.ctl, p.atl, p.tsb) for p in points] == [
        (day, pytest.approx(c), pytest.approx(a), pytest.approx(b)) for day, c, a, b in expected
    ]


def test_a_late_window_still_carries_the_fitness_the_history_built() -> None:
    rides = history(60, [100.0])

    whole = fitness_chart(rides, [], TODAY - 59 * DAY, TODAY, TODAY)
    window = fitness_chart(rides, [], TODAY - 6 * DAY, TODAY, TODAY)

    assert len(window) == 7
    assert window[0].ctl == pytest.approx(whole[-7].ctl)


def test_without_a_plan_the_chart_is_actuals_only_and_stops_today() -> None:
    points = fitness_chart(history(10, [50.0]), [], TODAY - 9 * DAY, TODAY + 14 * DAY, TODAY)

    assert points[-1].date == TODAY
    assert not any(p.projected or p.planned_ctl is not None for p in points)


def test_the_plan_projects_after_today_from_the_actual_loads() -> None:
    rides = history(30, [60.0])
    plan = [(TODAY + i * DAY, 90.0) for i in range(1, 15)]

    points = fitness_chart(rides, plan, TODAY - 29 * DAY, TODAY + 14 * DAY, TODAY)

    by_day = {p.date: p for p in points}
    tomorrow = by_day[TODAY + DAY]
    assert tomorrow.projected and tomorrow.tss == 90.0
    assert tomorrow.ctl == pytest.approx(by_day[TODAY].ctl + (90 - by_day[TODAY].ctl) / 42)
    assert not by_day[TODAY].projected


def test_planned_versus_actual_shows_missed_load() -> None:
    start = TODAY - 13 * DAY
    plan = [(start + i * DAY, 80.0) for i in range(28)]
    rides = [(start + i * DAY, 80.0) for i in range(14) if i % 2 == 0]  # half skipped

    points = fitness_chart(rides, plan, start, start + 27 * DAY, TODAY)

    today = next(p for p in points if p.date == TODAY)
    assert today.planned_ctl is not None and today.planned_ctl > today.ctl
    assert today.planned_tss == 80.0
    assert all(math.isfinite(p.tsb) for p in points)


def test_rides_after_today_do_not_count() -> None:
    points = fitness_chart([(TODAY + DAY, 500.0)], [], TODAY - DAY, TODAY, TODAY)

    assert all(p.ctl == 0 for p in points)


def test_a_window_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        fitness_chart([], [], TODAY, TODAY - DAY, TODAY)

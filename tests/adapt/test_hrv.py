"""The HRV red flag: the 7-day mean of ln rMSSD under the 60-day normal range (mean −
0.5 SD) three mornings running, else under the athlete's stated baseline."""

from __future__ import annotations

import datetime as dt
import math
import random

from wattz.adapt.hrv import (
    ASSUMED_LN_RMSSD_SD,
    MIN_RANGE_READINGS,
    hrv_days,
    red_flags,
)
from wattz.adapt.plan_state import WellnessDay

DAY = dt.timedelta(days=1)
TODAY = dt.date(2027, 1, 20)


def mornings(values: dict[int, float]) -> list[WellnessDay]:
    """``{days before today: rMSSD}``."""
    return [WellnessDay(TODAY - back * DAY, hrv_ms=ms) for back, ms in values.items()]


def steady(days: range, ms: float = 70.0, spread: float = 4.0, seed: int = 1) -> dict[int, float]:
    rng = random.Random(seed)
    return {back: ms + rng.uniform(-spread, spread) for back in days}


def test_a_normal_spell_raises_no_flag() -> None:
    assert red_flags(mornings(steady(range(80))), TODAY - 10 * DAY, TODAY) == []


def test_three_mornings_of_a_low_weekly_mean_raise_one_flag_named_by_its_first_day() -> None:
    values = steady(range(10, 80)) | dict.fromkeys(range(10), 45.0)
    flags = red_flags(mornings(values), TODAY - 12 * DAY, TODAY)
    assert len(flags) == 1, "one flag however long it lasts"
    (first,) = flags
    days = {d.date: d for d in hrv_days(mornings(values), first - 2 * DAY, first)}
    assert all(day.below for day in days.values()), "the third morning running below"
    before = hrv_days(mornings(values), first - 3 * DAY, first - 3 * DAY)[0]
    assert not before.below


def test_two_low_mornings_are_not_a_flag() -> None:
    values = steady(range(80))
    values[0] = values[1] = 30.0
    assert red_flags(mornings(values), TODAY - 3 * DAY, TODAY) == []


def test_the_range_is_the_60_days_before_the_week_judged_not_the_dip_itself() -> None:
    values = steady(range(7, 80)) | dict.fromkeys(range(7), 40.0)
    (today,) = hrv_days(mornings(values), TODAY, TODAY)
    window = [math.log(values[back]) for back in range(7, 67) if back in values]
    mean = sum(window) / len(window)
    sd = (sum((v - mean) ** 2 for v in window) / (len(window) - 1)) ** 0.5
    assert today.floor_ln is not None
    assert math.isclose(today.floor_ln, mean - 0.5 * sd)


def test_without_enough_history_the_stated_baseline_stands_in() -> None:
    short = dict.fromkeys(range(MIN_RANGE_READINGS - 20), 50.0)
    (without,) = hrv_days(mornings(short), TODAY, TODAY)
    assert without.floor_ln is None, "no range, no baseline: no judgement"
    (day,) = hrv_days(mornings(short), TODAY, TODAY, baseline_ms=70.0)
    assert day.floor_ln is not None
    assert math.isclose(day.floor_ln, math.log(70.0) - 0.5 * ASSUMED_LN_RMSSD_SD)
    assert day.below
    assert red_flags(mornings(short), TODAY - 3 * DAY, TODAY, baseline_ms=70.0)


def test_a_week_with_too_few_readings_has_no_mean() -> None:
    sparse = steady(range(10, 80)) | {0: 30.0, 3: 30.0, 6: 30.0}
    (today,) = hrv_days(mornings(sparse), TODAY, TODAY)
    assert today.rolling_ln is None and not today.below

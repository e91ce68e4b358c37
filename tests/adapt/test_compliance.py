"""Compliance: duration, TSS and time on target per interval, in TrainingPeaks' colours
(80–120 % green, 50–150 % yellow, else red), and the status they give the workout."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.adapt.helpers import MONDAY, THRESHOLD, follow, planned, ridden
from wattz.adapt.compliance import Band, band_of, classify, ratio_score, score_ride
from wattz.awp.metrics import workout_metrics
from wattz.plan.domain import Status

FTP_W = 250
PLANNED_TSS = workout_metrics(THRESHOLD).tss


@pytest.mark.parametrize(
    ("ratio", "band"),
    [
        (1.0, Band.GREEN),
        (0.8, Band.GREEN),
        (1.2, Band.GREEN),
        (0.79, Band.YELLOW),
        (1.21, Band.YELLOW),
        (0.5, Band.YELLOW),
        (1.5, Band.YELLOW),
        (0.49, Band.RED),
        (1.51, Band.RED),
        (0.0, Band.RED),
        (3.0, Band.RED),
    ],
)
def test_trainingpeaks_bands(ratio: float, band: Band) -> None:
    assert band_of(ratio_score(ratio)) is band


def test_a_workout_ridden_as_planned_is_completed_with_every_interval_on_target() -> None:
    power = follow(THRESHOLD, FTP_W)

    result = score_ride(planned(1), ridden(1, moving_s=2400, tss=PLANNED_TSS, power_w=power), FTP_W)

    assert result.status is Status.COMPLETED
    assert result.score > 0.95
    assert result.duration_ratio == pytest.approx(1.0)
    assert result.tss_ratio == pytest.approx(1.0)
    work = [i for i in result.intervals if i.intensity == "active"]
    assert len(work) == 2
    assert all(i.band is Band.GREEN and i.in_band_share > 0.95 for i in work)
    assert result.intervals[1].target_w == pytest.approx(FTP_W)


def test_intervals_ridden_well_below_target_fail_the_intervals() -> None:
    power = follow(THRESHOLD, FTP_W, scale=0.6)

    result = score_ride(
        planned(1), ridden(1, moving_s=2400, tss=PLANNED_TSS * 0.36, power_w=power), FTP_W
    )

    assert result.interval_score == pytest.approx(0.0)
    assert result.intervals[1].band is Band.YELLOW  # 60 % of target
    assert result.status is Status.FAILED


def test_easing_off_a_little_over_the_whole_workout_is_partial() -> None:
    power = follow(THRESHOLD, FTP_W, scale=0.85)

    result = score_ride(
        planned(1), ridden(1, moving_s=2400, tss=PLANNED_TSS * 0.72, power_w=power), FTP_W
    )

    assert result.interval_score == pytest.approx(0.0)  # 85 % is outside the ±10 % band
    assert result.intervals[1].band is Band.GREEN  # …though still green on average
    assert result.status is Status.PARTIAL


def test_stopping_half_way_fails() -> None:
    power = follow(THRESHOLD, FTP_W)[:1200]

    result = score_ride(planned(1), ridden(1, moving_s=1200, tss=20, power_w=power), FTP_W)

    assert result.duration_ratio == pytest.approx(0.5)
    assert result.status is Status.FAILED
    assert result.intervals[3].in_band_share == 0  # never reached


def test_a_ten_minute_ride_for_a_forty_minute_workout_fails() -> None:
    result = score_ride(planned(1), ridden(1, moving_s=600, tss=8), FTP_W)

    assert result.status is Status.FAILED
    assert result.interval_score is None  # no power: scored on duration and TSS alone


def test_warm_up_laps_before_pressing_start_are_aligned_away() -> None:
    power = [150] * 300 + follow(THRESHOLD, FTP_W)

    result = score_ride(planned(1), ridden(1, moving_s=2700, tss=PLANNED_TSS, power_w=power), FTP_W)

    assert result.offset_s == 300
    assert result.interval_score is not None and result.interval_score > 0.95


def test_dropouts_count_as_off_target_not_as_zero_watts() -> None:
    power: list[int | None] = list(follow(THRESHOLD, FTP_W))
    power[600:900] = [None] * 300  # half the first interval lost

    result = score_ride(planned(1), ridden(1, moving_s=2400, power_w=power), FTP_W)

    first = result.intervals[1]
    assert first.in_band_share == pytest.approx(0.5, abs=0.02)
    assert first.avg_power_w == pytest.approx(FTP_W, rel=0.01)


def test_the_detail_is_plain_json() -> None:
    import json

    result = score_ride(planned(1), ridden(1, power_w=follow(THRESHOLD, FTP_W)), FTP_W)

    document = json.loads(json.dumps(result.to_json_dict()))
    assert document["status"] == "completed"
    assert document["intervals"][1]["band"] == "green"


def test_no_ride_once_the_day_is_past_is_skipped() -> None:
    workout = planned(1)

    assert classify(workout, None, today=MONDAY + dt.timedelta(days=1)) is Status.SKIPPED
    assert classify(workout, None, today=MONDAY) is Status.PENDING
    cancelled = planned(1, status=Status.CANCELLED)
    assert classify(cancelled, None, today=MONDAY + dt.timedelta(days=5)) is Status.CANCELLED


@given(st.floats(min_value=0.0, max_value=5.0))
def test_a_score_is_a_fraction(ratio: float) -> None:
    assert 0.0 <= ratio_score(ratio) <= 1.0

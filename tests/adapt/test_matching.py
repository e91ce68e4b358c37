"""Matching rides to planned workouts: the same day first, else a workout moved nearby."""

from __future__ import annotations

import datetime as dt

from tests.adapt.helpers import MONDAY, THRESHOLD, planned, ridden, steady, workout
from wattz.adapt.matching import match_activities
from wattz.plan.domain import Status

TUESDAY = MONDAY + dt.timedelta(days=1)


def test_a_ride_matches_the_workout_of_its_day() -> None:
    assert match_activities([ridden(1)], [planned(10), planned(11, TUESDAY)]) == {1: 10}


def test_a_workout_ridden_a_day_late_is_still_recognised() -> None:
    assert match_activities([ridden(1, TUESDAY)], [planned(10)]) == {1: 10}


def test_the_same_day_wins_over_a_nearby_day() -> None:
    rides = [ridden(1, TUESDAY)]

    assert match_activities(rides, [planned(10), planned(11, TUESDAY)]) == {1: 11}


def test_a_long_ride_on_another_day_is_not_a_late_workout() -> None:
    assert match_activities([ridden(1, TUESDAY, moving_s=4 * 3600)], [planned(10)]) == {}


def test_a_ride_far_from_any_workout_matches_nothing() -> None:
    assert match_activities([ridden(1, MONDAY + dt.timedelta(days=3))], [planned(10)]) == {}


def test_two_rides_on_a_day_the_closer_duration_takes_the_workout() -> None:
    rides = [ridden(1, moving_s=900), ridden(2, moving_s=2500)]

    assert match_activities(rides, [planned(10)]) == {2: 10}


def test_two_workouts_and_two_rides_pair_by_duration() -> None:
    short = workout([steady(1800, 0.6)])
    rides = [ridden(1, moving_s=1750), ridden(2, moving_s=2450)]

    assert match_activities(rides, [planned(10), planned(11, document=short)]) == {1: 11, 2: 10}


def test_runs_do_not_match_bike_workouts_and_cancelled_workouts_take_no_ride() -> None:
    assert match_activities([ridden(1, is_bike=False)], [planned(10)]) == {}
    assert match_activities([ridden(1)], [planned(10, status=Status.CANCELLED)]) == {}
    assert match_activities([ridden(1)], [planned(10, status=Status.SKIPPED)]) == {}


def test_a_run_workout_is_not_a_bike_match() -> None:
    run = workout([steady(2400, 0.7)], sport="run")

    assert match_activities([ridden(1)], [planned(10, document=run)]) == {}


def test_matching_is_stable_when_run_again_on_completed_workouts() -> None:
    done = planned(10, status=Status.COMPLETED)

    assert match_activities([ridden(1)], [done]) == {1: 10}
    assert THRESHOLD.meta.total_duration_seconds == 2400

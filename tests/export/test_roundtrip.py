"""Round trips: a workout written as .zwo or .fit and read back is the same ride.

Duration is kept to the second and TSS within 0.5; in FIT, ramps come back as the short
steps a head unit rides (the allowed difference).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tests.export.strategies import workouts
from wattz.awp.metrics import workout_metrics
from wattz.awp.models import Workout
from wattz.export.ergmrc import workout_to_erg, workout_to_mrc
from wattz.export.fit_workout import workout_to_fit
from wattz.export.zwo import workout_to_zwo
from wattz.sources.ergmrc import read_ergmrc
from wattz.sources.fit_workout import read_fit_workout
from wattz.sources.workout_text import format_workout_text, parse_workout_text
from wattz.sources.zwo import read_zwo

TSS_TOLERANCE = 0.5
HAND_WRITTEN = {
    "threshold ladders": "10m ramp 45-75%; 3x(8m 100% 90rpm, 4m 55% rest); 5m free; "
    "cooldown 10m ramp 50-40%",
    "vo2 with rest between": "15m 60%; 5x(3m 120%, 3m 50%); 10m 50%",
    "sweet spot long": "20m ramp 40-70%; 2x(20m 90%, 5m 55%); 15m ramp 70-40%",
    "nested": "10m 55%; 2x(3x(30s 150%, 30s 50%), 5m 55%); 5m 50%",
    "one-second steps": "1s 50%; 2s ramp 50-60%; 3x(1s 300%, 1s 0%); 1m 50%",
}
ROUND_TRIPS = {
    "zwo": lambda workout: read_zwo(workout_to_zwo(workout), "w.zwo").workout,
    "fit": lambda workout: read_fit_workout(workout_to_fit(workout), "w.fit").workout,
    "mrc": lambda workout: read_ergmrc(workout_to_mrc(workout), "w.mrc").workout,
    "erg": lambda workout: read_ergmrc(workout_to_erg(workout, 250), "w.erg").workout,
}


def assert_same_ride(before: Workout, after: Workout, tolerance: float = TSS_TOLERANCE) -> None:
    first, second = workout_metrics(before), workout_metrics(after)
    assert second.duration_s == first.duration_s
    assert after.meta.total_duration_seconds == before.meta.total_duration_seconds
    assert abs(second.tss - first.tss) <= tolerance, (first.tss, second.tss)


def format_tolerance(workout: Workout) -> float:
    """0.5 TSS, or what whole-percent targets allow on a longer, harder ride.

    FIT and .plan hold % FTP in whole numbers, so a stepped ramp's piece can be off by
    0.25 % FTP: at most 2 × IF × 0.0025 × hours × 100 TSS. Library sessions stay well
    inside 0.5 (``test_library_roundtrip``); random ones can be longer and harder.
    """
    metrics = workout_metrics(workout)
    return max(TSS_TOLERANCE, 0.5 * metrics.intensity_factor * metrics.duration_s / 3600)


@pytest.mark.parametrize("fmt", ["zwo", "fit"])
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(workout=workouts())
def test_generated_workouts_survive_zwo_and_fit(fmt: str, workout: Workout) -> None:
    tolerance = TSS_TOLERANCE if fmt == "zwo" else format_tolerance(workout)
    assert_same_ride(workout, ROUND_TRIPS[fmt](workout), tolerance)


@pytest.mark.parametrize("fmt", sorted(ROUND_TRIPS))
@pytest.mark.parametrize("name", sorted(HAND_WRITTEN))
def test_hand_written_workouts_survive_every_format(name: str, fmt: str) -> None:
    workout = parse_workout_text(HAND_WRITTEN[name], name).workout
    assert_same_ride(workout, ROUND_TRIPS[fmt](workout))


def test_zwo_keeps_titles_cadence_and_cues() -> None:
    workout = parse_workout_text('5m 60% 85rpm "spin up"; 3x(1m 120% 100rpm, 1m 50%)', "T").workout
    back = read_zwo(workout_to_zwo(workout), "t.zwo").workout
    assert back.meta.title == "T"
    assert back.steps[0].cadence == 85
    assert back.steps[0].text_events is not None
    assert back.steps[0].text_events[0].message == "spin up"
    assert back.steps[1].type == "Repeat"


@settings(max_examples=40, deadline=None)
@given(workout=workouts())
def test_text_syntax_round_trips(workout: Workout) -> None:
    back = parse_workout_text(format_workout_text(workout), workout.meta.title).workout
    assert_same_ride(workout, back)

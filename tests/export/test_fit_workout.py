"""Writing FIT workouts: Garmin's own SDK decodes every file, CRC included."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from tests.export.reference import reference_workout
from tests.export.strategies import workouts
from wattz.awp.models import Workout
from wattz.export.fit_workout import workout_to_fit
from wattz.sources.workout_text import parse_workout_text

garmin_fit_sdk = pytest.importorskip("garmin_fit_sdk", reason="Garmin's FIT SDK (test dep)")


def garmin_decode(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """Decode with Garmin's SDK; fail on a bad CRC or any decoding error."""
    assert garmin_fit_sdk.Decoder(garmin_fit_sdk.Stream.from_byte_array(bytearray(data))).is_fit()
    checker = garmin_fit_sdk.Decoder(garmin_fit_sdk.Stream.from_byte_array(bytearray(data)))
    assert checker.check_integrity(), "header or file CRC is wrong"
    decoder = garmin_fit_sdk.Decoder(garmin_fit_sdk.Stream.from_byte_array(bytearray(data)))
    messages, errors = decoder.read(convert_datetimes_to_dates=False)
    assert errors == []
    return messages  # type: ignore[no-any-return]


def test_reference_workout_is_a_garmin_workout_file() -> None:
    messages = garmin_decode(workout_to_fit(reference_workout()))
    (file_id,) = messages["file_id_mesgs"]
    assert file_id["type"] == "workout"
    (workout,) = messages["workout_mesgs"]
    steps = messages["workout_step_mesgs"]
    assert workout["wkt_name"] == "Threshold Ladders" and workout["sport"] == "cycling"
    assert workout["num_valid_steps"] == len(steps)
    assert [step["message_index"] for step in steps] == list(range(len(steps)))
    intensities = {step.get("intensity") for step in steps}
    assert {"warmup", "active", "rest", "cooldown"} <= intensities


def test_repeats_point_back_with_their_count() -> None:
    workout = parse_workout_text("5m 50%; 4x(1m 120%, 1m 50%); 5m 50%", "R").workout
    steps = garmin_decode(workout_to_fit(workout))["workout_step_mesgs"]
    repeat = steps[3]
    assert repeat["duration_type"] == "repeat_until_steps_cmplt"
    assert (repeat["duration_step"], repeat["repeat_steps"]) == (1, 4)
    assert steps[1]["custom_target_power_low"] == 120
    assert steps[1]["duration_time"] == 60.0


def test_ramps_become_short_steps_a_unit_can_follow() -> None:
    workout = parse_workout_text("warmup 10m ramp 40-70%", "W").workout
    steps = garmin_decode(workout_to_fit(workout))["workout_step_mesgs"]
    assert len(steps) == 6
    assert sum(step["duration_time"] for step in steps) == 600
    assert [(s["custom_target_power_low"], s["custom_target_power_high"]) for s in steps] == [
        (40, 45),
        (45, 50),
        (50, 55),
        (55, 60),
        (60, 65),
        (65, 70),
    ]
    assert {step["intensity"] for step in steps} == {"warmup"}


def test_cadence_and_notes_are_carried() -> None:
    workout = parse_workout_text('5m 72.5% 90rpm "Stay seated"', "N").workout
    (step,) = garmin_decode(workout_to_fit(workout))["workout_step_mesgs"]
    assert step["secondary_target_type"] == "cadence"
    assert step["secondary_custom_target_cadence_low"] == 90
    assert step["notes"] == "Stay seated"
    assert (step["custom_target_power_low"], step["custom_target_power_high"]) == (72, 73)


def test_same_workout_same_bytes_different_workout_different_serial() -> None:
    first = workout_to_fit(reference_workout())
    assert workout_to_fit(reference_workout()) == first
    other = parse_workout_text("5m 50%", "Other").workout
    serials = {
        garmin_decode(data)["file_id_mesgs"][0]["serial_number"]
        for data in (first, workout_to_fit(other))
    }
    assert len(serials) == 2


@settings(max_examples=15, deadline=None)
@given(workout=workouts())
def test_every_fit_written_decodes_in_garmin_s_sdk(workout: Workout) -> None:
    garmin_decode(workout_to_fit(workout))

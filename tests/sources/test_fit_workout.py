"""Reading FIT workout files: repeats, targets, and steps that are not timed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS, requires_corpus
from wattz.awp.models import FreeRide, Repeat
from wattz.errors import InvalidWorkout
from wattz.export.fit_workout import workout_to_fit
from wattz.sources.fit_workout import read_fit_workout
from wattz.sources.workout_text import parse_workout_text

WORKOUTS = CORPUS / "fit" / "workouts"


@requires_corpus
def test_a_counted_repeat_nests_the_steps_it_goes_back_to() -> None:
    imported = read_fit_workout((WORKOUTS / "WorkoutRepeatSteps.fit").read_bytes(), "r.fit")
    workout = imported.workout
    assert workout.meta.title == "Example 2"
    warmup, repeat, cooldown = workout.steps
    assert isinstance(warmup, FreeRide)  # a heart-rate target is not carried
    assert isinstance(repeat, Repeat) and repeat.repeats == 3 and len(repeat.content) == 2
    assert cooldown.type == "Cooldown"
    warnings = " | ".join(imported.warnings)
    assert "500 m" in warnings and "heart-rate" in warnings and "power zone 5" in warnings


@requires_corpus
def test_custom_targets_in_watts_use_the_athlete_s_ftp() -> None:
    data = (WORKOUTS / "WorkoutCustomTargetValues.fit").read_bytes()
    workout = read_fit_workout(data, "c.fit", ftp_w=300).workout
    assert workout.steps[1].power.value == pytest.approx(305 / 300, abs=1e-3)  # type: ignore[union-attr]
    with pytest.raises(Exception, match="no FTP"):
        read_fit_workout(data, "c.fit")


@requires_corpus
def test_a_conditional_repeat_runs_once_with_a_warning() -> None:
    data = (WORKOUTS / "WorkoutRepeatGreaterThanStep.fit").read_bytes()
    imported = read_fit_workout(data, "g.fit")
    assert not any(isinstance(step, Repeat) for step in imported.workout.steps)
    assert any("done once" in warning for warning in imported.warnings)


def test_wattz_s_own_files_come_back_with_notes_cadence_and_sport() -> None:
    workout = parse_workout_text('5m 60% 90rpm "smooth"; 2x(1m 120%, 1m 50%)', "Own").workout
    back = read_fit_workout(workout_to_fit(workout), "own.fit").workout
    first = back.steps[0]
    assert (first.instruction, first.cadence, back.meta.sport) == ("smooth", 90, "bike")
    assert isinstance(back.steps[1], Repeat) and back.steps[1].repeats == 2


def test_a_truncated_file_is_refused_in_one_line() -> None:
    data = workout_to_fit(parse_workout_text("10m 50%", "T").workout)
    for cut in (len(data) - 1, len(data) // 2, 3):
        with pytest.raises(InvalidWorkout) as raised:
            read_fit_workout(data[:cut], "cut.fit")
        assert str(raised.value).startswith("cut.fit: not a readable FIT file")
        assert "\n" not in str(raised.value)


def test_a_damaged_byte_fails_the_crc() -> None:
    data = bytearray(workout_to_fit(parse_workout_text("10m 50%", "T").workout))
    data[20] ^= 0xFF
    with pytest.raises(InvalidWorkout, match="not a readable FIT file"):
        read_fit_workout(bytes(data), "crc.fit")


@requires_corpus
def test_an_activity_is_not_a_workout() -> None:
    activity = (
        CORPUS / "fit" / "activities" / "elemnt-bolt-no-application-id-inside-developer-data-id.fit"
    )
    with pytest.raises(InvalidWorkout, match="no workout steps"):
        read_fit_workout(Path(activity).read_bytes(), activity.name)

"""Hostile FIT workout files: arbitrary bytes and damaged real workouts give a workout or
one ``InvalidWorkout`` line — fit-tool's own exceptions never reach the caller."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import corpus_files, requires_corpus
from tests.sources.hostile import FUZZ, mutated, seeds, value_or_wattz_error
from wattz.sources.fit_workout import read_fit_workout
from wattz.sources.workout_files import ImportedWorkout

WORKOUTS = seeds(corpus_files("fit/workouts", ".fit"))


def reads_or_refuses(data: bytes) -> None:
    result = value_or_wattz_error(lambda: read_fit_workout(data, "hostile.fit", 250))
    if isinstance(result, ImportedWorkout):
        assert result.workout.meta.total_duration_seconds > 0


@FUZZ
@given(st.binary(max_size=1000))
def test_any_bytes_are_a_workout_or_one_line(data: bytes) -> None:
    reads_or_refuses(data)


@requires_corpus
@FUZZ
@given(mutated(WORKOUTS or [b""], fit=True))
def test_a_damaged_real_workout_is_read_or_refused(data: bytes) -> None:
    reads_or_refuses(data)

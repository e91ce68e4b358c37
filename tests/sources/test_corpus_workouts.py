"""Every real workout file in ../shared/corpus imports, or is refused in one line.

The files are listed, not named here: a new file in the corpus adds a case by itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import corpus_files, requires_corpus
from wattz.awp.metrics import workout_metrics
from wattz.awp.validate import validate_workout
from wattz.errors import WattzError
from wattz.sources.workout_files import read_workout_file

WORKOUT_FILES = (
    corpus_files("zwo", ".zwo")
    + corpus_files("ergmrc", ".erg", ".mrc")
    + corpus_files("fit/workouts", ".fit")
)
BROKEN_FILES = [
    path
    for path in corpus_files("fit/activities", ".fit")
    if path.name in ("activity-unexpected-eof.fit", "activity-settings-corruptheader.fit")
]
ATHLETE_FTP_W = 250

# Durations the corpus manifest measured independently (minutes, rounded as it prints them).
MANIFEST_MINUTES = {
    "Easy_intervals.zwo": 51.0,
    "FTPTest.zwo": 73.0,
    "HIIT_Anaerobic_Sprint.zwo": 60.2,
    "Mayfield.zwo": 29.5,
    "zwiftout-ftp-test.zwo": 45.0,
    "30MinsOfPowerV1.erg": 52.67,
    "ERG_03_75%.mrc": 60.5,
    "TRwithTextCues.mrc": 51.88,
    "fightclub.erg": 59.05,
}


@requires_corpus
@pytest.mark.parametrize("path", WORKOUT_FILES, ids=lambda path: path.name)
def test_every_corpus_workout_imports_or_fails_in_one_line(path: Path) -> None:
    try:
        imported = read_workout_file(path, ftp_w=ATHLETE_FTP_W)
    except WattzError as error:
        assert error.exit_code == 1
        assert "\n" not in str(error) and path.name in str(error)
        return
    workout = imported.workout
    assert validate_workout(workout) == ()
    assert workout.meta.title
    assert workout.meta.estimated_tss is not None and workout.meta.estimated_tss > 0
    if path.name in MANIFEST_MINUTES:
        assert workout_metrics(workout).duration_s / 60 == pytest.approx(
            MANIFEST_MINUTES[path.name], abs=0.05
        )
    assert all("\n" not in warning for warning in imported.warnings)


@requires_corpus
def test_the_corpus_has_workouts_of_every_format() -> None:
    assert {path.suffix.lower() for path in WORKOUT_FILES} == {".zwo", ".erg", ".mrc", ".fit"}


@requires_corpus
@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda path: path.name)
def test_damaged_fit_files_are_refused_in_one_line(path: Path) -> None:
    with pytest.raises(WattzError) as raised:
        read_workout_file(path)
    assert raised.value.exit_code == 1
    assert "\n" not in str(raised.value) and path.name in str(raised.value)

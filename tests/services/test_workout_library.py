"""The athlete's own workouts: import from files (all or nothing) and typed text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import corpus_files, requires_corpus
from wattz.errors import InvalidWorkout, NotFound
from wattz.model.store import session_scope
from wattz.services.athletes import set_athlete
from wattz.services.workout_library import (
    add_text_workout,
    import_workout_files,
    list_user_workouts,
    user_workout,
)

TODAY = dt.date(2026, 11, 25)


@requires_corpus
def test_imported_files_are_listed_newest_first() -> None:
    files = corpus_files("zwo", ".zwo")[:2] + corpus_files("ergmrc", ".erg")[:1]
    with session_scope() as session:
        athlete = set_athlete(session, name=None, ftp_w=250)
        views = import_workout_files(session, athlete, files, TODAY)
        assert [view.source for view in views] == ["imported"] * 3
        assert views[0].origin is not None and views[0].origin.endswith(files[0].name)
        listed = list_user_workouts(session, athlete)
        assert [view.id for view in listed] == sorted((view.id for view in views), reverse=True)
        row, workout = user_workout(session, athlete, views[0].id)
        assert workout.meta.title == row.title


def test_one_bad_file_stores_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.zwo"
    good.write_text(
        "<workout_file><name>G</name><workout><SteadyState Duration='60' Power='0.5'/>"
        "</workout></workout_file>"
    )
    bad = tmp_path / "bad.zwo"
    bad.write_text("<workout_file><workout>")
    with session_scope() as session:
        athlete = set_athlete(session, name=None, ftp_w=250)
        with pytest.raises(InvalidWorkout, match="bad.zwo"):
            import_workout_files(session, athlete, [good, bad], TODAY)
        assert list_user_workouts(session, athlete) == []


def test_typed_workouts_carry_warnings() -> None:
    with session_scope() as session:
        athlete = set_athlete(session, name=None, ftp_w=200)
        view = add_text_workout(session, athlete, "10m 50%; 10s 700w", "Sprint", TODAY)
        assert (view.title, view.source, view.duration_s) == ("Sprint", "user", 610)
        assert view.warnings and "clamped" in view.warnings[0]
        with pytest.raises(NotFound):
            user_workout(session, athlete, view.id + 100)

"""Safe file names: no title ever escapes its folder or trips a device's file system."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wattz.errors import InvalidValue
from wattz.export.filenames import inside, safe_stem, workout_file_name


@pytest.mark.parametrize(
    ("title", "stem"),
    [
        ("Threshold Ladders", "Threshold_Ladders"),
        ("../../etc/passwd", "etc_passwd"),
        ("C:\\Windows\\evil", "C_Windows_evil"),
        (".hidden", "hidden"),
        ("Vo₂max – Étape 2", "Vo2max_Etape_2"),
        ("CON", "_CON"),
        ("   ", "workout"),
        ("日本語", "workout"),
    ],
)
def test_titles_become_safe_stems(title: str, stem: str) -> None:
    assert safe_stem(title) == stem


def test_names_start_with_the_date() -> None:
    assert workout_file_name("Sweet Spot", ".fit", dt.date(2026, 12, 1)) == (
        "2026-12-01_Sweet_Spot.fit"
    )


@given(title=st.text(max_size=300))
def test_no_title_leaves_the_folder(title: str) -> None:
    folder = Path("/device/NewFiles")
    name = workout_file_name(title, ".zwo", dt.date(2026, 1, 1))
    assert inside(folder, name).parent == folder
    assert len(name) <= 80 and name.isascii() and not name.startswith(".")


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "a\\b", "x\x00y"])
def test_inside_refuses_anything_but_a_plain_name(name: str) -> None:
    with pytest.raises(InvalidValue):
        inside(Path("/device"), name)

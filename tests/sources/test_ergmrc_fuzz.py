"""Hostile .erg/.mrc files: arbitrary bytes, damaged real files and absurd numbers give a
workout or one ``InvalidWorkout``/``InvalidValue`` line, never another exception."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import corpus_files, requires_corpus
from tests.sources.hostile import FUZZ, mutated, seeds, value_or_wattz_error
from wattz.errors import InvalidWorkout
from wattz.sources.ergmrc import read_ergmrc
from wattz.sources.workout_files import ImportedWorkout

FILES = seeds(corpus_files("ergmrc", ".erg", ".mrc"))
NUMBERS = ["inf", "-inf", "nan", "1e308", "-1", "0", "1e-300", "9" * 400, "5", "100"]


def erg(points: str, ftp: str = "250", text: str = "") -> bytes:
    return (
        f"[COURSE HEADER]\nFTP = {ftp}\nMINUTES WATTS\n[END COURSE HEADER]\n"
        f"[COURSE DATA]\n{points}\n[END COURSE DATA]\n{text}"
    ).encode()


def reads_or_refuses(data: bytes, name: str = "hostile.erg") -> None:
    result = value_or_wattz_error(lambda: read_ergmrc(data, name, 250))
    if isinstance(result, ImportedWorkout):
        assert result.workout.meta.total_duration_seconds > 0


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["a.erg", "a.mrc"]))
def test_any_bytes_are_a_workout_or_one_line(data: bytes, name: str) -> None:
    reads_or_refuses(data, name)


@FUZZ
@given(
    st.lists(st.tuples(st.sampled_from(NUMBERS), st.sampled_from(NUMBERS)), max_size=6),
    st.sampled_from(NUMBERS),
    st.sampled_from(NUMBERS),
)
def test_absurd_numbers_anywhere_are_a_workout_or_one_line(
    points: list[tuple[str, str]], ftp: str, cue: str
) -> None:
    lines = "\n".join(f"{minutes}\t{target}" for minutes, target in points)
    reads_or_refuses(erg(lines, ftp, f"[COURSE TEXT]\n{cue}\tgo\n[END COURSE TEXT]\n"))


@requires_corpus
@FUZZ
@given(mutated(FILES or [b""]), st.sampled_from(["a.erg", "a.mrc"]))
def test_a_damaged_real_file_is_read_or_refused(data: bytes, name: str) -> None:
    reads_or_refuses(data, name)


@pytest.mark.parametrize("minutes", ["inf", "nan", "-inf"])
def test_a_point_at_an_infinite_or_undefined_minute_is_refused_naming_its_line(
    minutes: str,
) -> None:
    with pytest.raises(InvalidWorkout, match="line 7"):
        read_ergmrc(erg(f"0\t100\n{minutes}\t100\n5\t100"), "a.erg")

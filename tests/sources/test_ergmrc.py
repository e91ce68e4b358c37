"""Reading TrainerRoad-style .erg (watts) and .mrc (% FTP) files."""

from __future__ import annotations

import pytest

from wattz.awp.models import Ramp, SteadyState
from wattz.errors import InvalidValue, InvalidWorkout
from wattz.sources.ergmrc import read_ergmrc

ERG = b"""[COURSE HEADER]\r
FTP = 200\r
VERSION = 2\r
DESCRIPTION = Short ERG\r
MINUTES WATTS\r
[END COURSE HEADER]\r
[COURSE DATA]\r
0.00\t100\r
5.00\t100\r
5.00\t200\r
6.00\t200\r
6.00\t LAP\r
6.00\t100\r
8.00\t150\r
[END COURSE DATA]\r
"""


def test_erg_watts_become_fractions_of_the_file_s_own_ftp() -> None:
    workout = read_ergmrc(ERG, "short.erg", ftp_w=300).workout
    assert workout.meta.title == "Short ERG"
    first, second, third = workout.steps
    assert isinstance(first, SteadyState) and first.power.value == 0.5  # type: ignore[union-attr]
    assert second.power.value == 1.0  # type: ignore[union-attr]
    assert isinstance(third, Ramp)
    assert (third.power.start, third.power.end) == (0.5, 0.75)  # type: ignore[union-attr]
    assert workout.meta.total_duration_seconds == 480


def test_erg_without_an_ftp_header_uses_the_athlete_s_ftp() -> None:
    data = ERG.replace(b"FTP = 200\r\n", b"")
    workout = read_ergmrc(data, "short.erg", ftp_w=250).workout
    assert workout.steps[0].power.value == 0.4  # type: ignore[union-attr]


def test_erg_without_any_ftp_is_refused() -> None:
    with pytest.raises(InvalidValue, match="no FTP"):
        read_ergmrc(ERG.replace(b"FTP = 200\r\n", b""), "short.erg")


def test_mrc_percent_and_course_text_cues() -> None:
    data = (
        b"[COURSE HEADER]\nDESCRIPTION = Cued\nMINUTES PERCENT\n[END COURSE HEADER]\n"
        b"[COURSE DATA]\n0 50\n10 50\n10 100\n20 100\n[END COURSE DATA]\n"
        b"[COURSE TEXT]\n630\tHold it\t10\n[END COURSE TEXT]\n"
    )
    workout = read_ergmrc(data, "cued.mrc").workout
    assert [step.duration for step in workout.steps] == [600, 600]
    events = workout.steps[1].text_events
    assert events is not None and (events[0].offset, events[0].message) == (30, "Hold it")


def test_points_at_the_same_minute_and_repeated_points_make_no_empty_steps() -> None:
    data = (
        b"[COURSE HEADER]\nMINUTES PERCENT\n[END COURSE HEADER]\n[COURSE DATA]\n"
        b"0.0 0\n0.0 47\n10.0 47\n10.0 47\n12.0 47\n[END COURSE DATA]\n"
    )
    workout = read_ergmrc(data, "a.mrc").workout
    assert [step.duration for step in workout.steps] == [720]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "no [COURSE DATA]"),
        (b"\x00\x01binary", "binary"),
        (b"[COURSE DATA]\n0 50\n[END COURSE DATA]\n", "fewer than two"),
        (b"[COURSE DATA]\n0 50\nten 60\n[END COURSE DATA]\n", "line 3"),
    ],
)
def test_unreadable_files_are_refused_in_one_line(data: bytes, problem: str) -> None:
    with pytest.raises(InvalidWorkout) as raised:
        read_ergmrc(data, "bad.mrc")
    assert problem in str(raised.value) and "\n" not in str(raised.value)

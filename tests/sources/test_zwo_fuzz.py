"""Hostile .zwo files: arbitrary bytes, damaged real workouts, absurd numbers and XML
attacks all give a workout or one ``InvalidWorkout`` line — quickly, in little memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import corpus_files, requires_corpus
from tests.sources import xml_attacks
from tests.sources.hostile import FUZZ, mutated, peak_megabytes, seeds, value_or_wattz_error
from wattz.errors import InvalidWorkout
from wattz.sources.workout_files import ImportedWorkout
from wattz.sources.zwo import read_zwo

WORKOUTS = seeds(corpus_files("zwo", ".zwo"))
NUMBERS = ["inf", "-inf", "nan", "1e308", "1e12", "-1", "0", "1e-300", "", "x", "9" * 400, "60"]
BLOCKS = ["SteadyState", "Warmup", "Cooldown", "Ramp", "IntervalsT", "FreeRide", "MaxEffort"]
ATTRIBUTES = [
    "Duration",
    "Power",
    "PowerLow",
    "PowerHigh",
    "Cadence",
    "Repeat",
    "OnDuration",
    "OffDuration",
    "OnPower",
    "OffPower",
    "CadenceResting",
]


def reads_or_refuses(data: bytes) -> None:
    result = value_or_wattz_error(lambda: read_zwo(data, "hostile.zwo"))
    if isinstance(result, ImportedWorkout):
        assert result.workout.meta.total_duration_seconds > 0


@st.composite
def hostile_blocks(draw: st.DrawFn) -> bytes:
    """Known blocks whose attributes are absurd numbers (inf, nan, 1e308, a 400-digit one)."""
    blocks = []
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(BLOCKS))
        attributes = draw(st.dictionaries(st.sampled_from(ATTRIBUTES), st.sampled_from(NUMBERS)))
        text = " ".join(f'{key}="{value}"' for key, value in attributes.items())
        cue = draw(st.sampled_from(["", '<textevent timeoffset="{}" message="go"/>']))
        blocks.append(f"<{name} {text}>{cue.format(draw(st.sampled_from(NUMBERS)))}</{name}>")
    return f"<workout_file><workout>{''.join(blocks)}</workout></workout_file>".encode()


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_are_a_workout_or_one_line(data: bytes) -> None:
    reads_or_refuses(data)


@FUZZ
@given(hostile_blocks())
def test_absurd_numbers_in_any_block_are_a_workout_or_one_line(data: bytes) -> None:
    reads_or_refuses(data)


@requires_corpus
@FUZZ
@given(mutated(WORKOUTS or [b""]))
def test_a_damaged_real_workout_is_read_or_refused(data: bytes) -> None:
    reads_or_refuses(data)


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        ('<IntervalsT Repeat="1e12" OnDuration="30" OnPower="1"/>', "at most 2,000 segments"),
        (
            '<IntervalsT Repeat="1e12" OnDuration="30" OnPower="1"><textevent timeoffset="1" '
            'message="go"/></IntervalsT>',
            r"repeats 1e\+12 times",
        ),
        ('<SteadyState Duration="1e300" Power="1"/>', "no usable duration"),
    ],
    ids=["a-trillion-repeats", "a-trillion-repeats-with-cues", "a-duration-of-1e300-s"],
)
def test_absurd_counts_and_durations_are_refused_in_a_short_line(block: str, problem: str) -> None:
    with pytest.raises(InvalidWorkout, match=problem) as refused:
        read_zwo(f"<workout_file><workout>{block}</workout></workout_file>".encode(), "a.zwo")
    assert len(str(refused.value)) < 200


def test_inf_and_nan_are_no_numbers_a_repeat_cadence_or_cue_offset_could_use() -> None:
    imported = read_zwo(
        b'<workout_file><workout><SteadyState Duration="60" Power="1" Cadence="inf">'
        b'<textevent timeoffset="nan" message="go"/></SteadyState><IntervalsT Repeat="inf" '
        b'OnDuration="30" OffDuration="30" OnPower="1" OffPower="0.5"/></workout></workout_file>',
        "a.zwo",
    )
    steady, on, off = imported.workout.steps  # an unreadable repeat count means once
    assert steady.cadence is None and steady.text_events is None
    assert imported.workout.meta.total_duration_seconds == 120


@pytest.mark.parametrize(
    "attack",
    [xml_attacks.billion_laughs, xml_attacks.quadratic_blowup, xml_attacks.deeply_nested],
    ids=["billion-laughs", "quadratic-blowup", "deep-nesting"],
)
def test_xml_attacks_are_refused_quickly_in_little_memory(attack: object) -> None:
    data = attack("workout_file")  # type: ignore[operator]
    assert peak_megabytes(lambda: reads_or_refuses(data)) < 100


def test_an_external_entity_is_never_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    result = value_or_wattz_error(
        lambda: read_zwo(xml_attacks.external_entity("workout_file", secret), "a.zwo")
    )
    assert "SECRET-CONTENT" not in str(result)

"""Reading Zwift .zwo files: what each block means, and what is repaired or refused."""

from __future__ import annotations

import pytest

from wattz.awp.models import Cooldown, FreeRide, Repeat, SteadyState, Warmup
from wattz.errors import InvalidWorkout
from wattz.sources.zwo import read_zwo


def zwo(blocks: str, head: str = "<name>Test</name><sportType>bike</sportType>") -> bytes:
    return f"<workout_file>{head}<workout>{blocks}</workout></workout_file>".encode()


def test_warmup_and_cooldown_go_from_power_low_to_power_high() -> None:
    workout = read_zwo(
        zwo(
            '<Warmup Duration="600" PowerLow="0.45" PowerHigh="0.75"/>'
            '<Cooldown Duration="300" PowerLow="0.7" PowerHigh="0.4"/>'
        ),
        "t.zwo",
    ).workout
    warmup, cooldown = workout.steps
    assert isinstance(warmup, Warmup) and isinstance(cooldown, Cooldown)
    assert (warmup.power.start, warmup.power.end) == (0.45, 0.75)  # type: ignore[union-attr]
    assert (cooldown.power.start, cooldown.power.end) == (0.7, 0.4)  # type: ignore[union-attr]


def test_steady_state_reads_power_or_a_low_high_pair() -> None:
    workout = read_zwo(
        zwo(
            '<SteadyState Duration="60" Power="0.9" Cadence="95"/>'
            '<SteadyState Duration="60" PowerLow="0.8" PowerHigh="1.0"/>'
        ),
        "t.zwo",
    ).workout
    steady, moving = workout.steps
    assert isinstance(steady, SteadyState) and steady.power.value == 0.9  # type: ignore[union-attr]
    assert steady.cadence == 95
    assert moving.power.type == "ramp"  # type: ignore[union-attr]


def test_intervals_t_is_a_repeat_of_on_and_off() -> None:
    workout = read_zwo(
        zwo(
            '<IntervalsT Repeat="3" OnDuration="60" OffDuration="180" OnPower="1.25" '
            'OffPower="0.73" Cadence="100" CadenceResting="85"/>'
        ),
        "t.zwo",
    ).workout
    (repeat,) = workout.steps
    assert isinstance(repeat, Repeat) and repeat.repeats == 3
    on, off = repeat.content
    assert (on.duration, off.duration) == (60, 180)
    assert (on.cadence, off.cadence) == (100, 85)
    assert off.intensity == "rest"
    assert workout.meta.total_duration_seconds == 720


def test_intervals_t_cues_stay_where_zwift_shows_them() -> None:
    workout = read_zwo(
        zwo(
            '<IntervalsT Repeat="2" OnDuration="60" OffDuration="30" OnPower="1.2" OffPower="0.5">'
            '<textevent timeoffset="100" message="second effort"/></IntervalsT>'
        ),
        "t.zwo",
    ).workout
    assert [step.duration for step in workout.steps] == [60, 30, 60, 30]
    third = workout.steps[2]
    assert third.text_events is not None
    assert (third.text_events[0].offset, third.text_events[0].message) == (10, "second effort")


def test_free_ride_spellings_and_cues() -> None:
    workout = read_zwo(
        zwo(
            '<Freeride Duration="1200" FlatRoad="1"><textevent timeoffset="10" message="go"/>'
            '</Freeride><FreeRide Duration="60"/><MaxEffort Duration="20"/>'
        ),
        "t.zwo",
    ).workout
    assert all(isinstance(step, FreeRide) for step in workout.steps)
    assert workout.steps[0].text_events is not None


def test_real_world_mess_is_repaired_with_warnings() -> None:
    imported = read_zwo(
        zwo(
            '<SteadyState Duration="180.00002" Power="0.6"><textevent timeoffset="500" '
            'message="too late"/></SteadyState>'
            '<SteadyState Duration="0" Power="0.6"/>'
            '<SteadyState Duration="10" Power="4.5"/>'
        ),
        "messy.zwo",
    )
    workout = imported.workout
    assert [step.duration for step in workout.steps] == [180, 10]
    assert workout.steps[1].power.value == 3.0  # type: ignore[union-attr]
    warnings = " | ".join(imported.warnings)
    assert "too late" in warnings and "dropped" in warnings and "clamped" in warnings


def test_metadata_is_kept() -> None:
    workout = read_zwo(
        zwo(
            '<SteadyState Duration="60" Power="0.5"/>',
            head="<author> Jo </author><name>Easy</name><description>Spin.</description>"
            "<sportType>run</sportType>",
        ),
        "t.zwo",
    ).workout
    assert (workout.meta.title, workout.meta.author, workout.meta.sport) == ("Easy", "Jo", "run")
    assert workout.meta.description == "Spin."


def test_a_missing_name_falls_back_to_the_file_name() -> None:
    workout = read_zwo(zwo('<SteadyState Duration="60" Power="0.5"/>', head=""), "My Ride.zwo")
    assert workout.workout.meta.title == "My Ride"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"<workout_file><name>x</name><workout><SteadyState", "not valid XML"),
        (b"", "not valid XML"),
        (b"<workout_file><name>x</name></workout_file>", "no <workout>"),
        (b"<workout_file><workout></workout></workout_file>", "no workout steps"),
        (b"<gpx><trk/></gpx>", "root element is <gpx>"),
        (zwo('<SteadyState Power="0.5"/>'), "has no Duration"),
        (zwo('<SteadyState Duration="ten" Power="0.5"/>'), "not a number"),
    ],
)
def test_unreadable_files_are_refused_in_one_line(data: bytes, problem: str) -> None:
    with pytest.raises(InvalidWorkout) as raised:
        read_zwo(data, "bad.zwo")
    message = str(raised.value)
    assert message.startswith("bad.zwo: ") and problem in message and "\n" not in message


def test_an_entity_bomb_is_refused_quickly() -> None:
    entities = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e0 "lol">{entities}]>'
    bomb += "<workout_file><name>&e9;</name></workout_file>"
    with pytest.raises(InvalidWorkout, match="not valid XML"):
        read_zwo(bomb.encode(), "bomb.zwo")

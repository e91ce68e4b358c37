"""Writing .zwo: valid XML with the elements and attributes Zwift reads."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from hypothesis import given, settings

from tests.export.reference import reference_workout
from tests.export.strategies import workouts
from wattz.awp.models import Workout
from wattz.export.zwo import workout_to_zwo
from wattz.sources.workout_text import parse_workout_text

ZWIFT_BLOCKS = {"Warmup", "Cooldown", "Ramp", "SteadyState", "FreeRide", "IntervalsT"}
BLOCK_ATTRIBUTES = {
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
}


def assert_zwift_readable(data: bytes) -> ElementTree.Element:
    root = ElementTree.fromstring(data)
    assert root.tag == "workout_file"
    for name in ("name", "author", "description", "sportType", "workout"):
        assert root.find(name) is not None, name
    assert root.findtext("sportType") in ("bike", "run")
    blocks = list(root.find("workout"))  # type: ignore[arg-type]
    assert blocks
    for block in blocks:
        assert block.tag in ZWIFT_BLOCKS
        assert set(block.attrib) <= BLOCK_ATTRIBUTES
        assert int(block.get("Duration") or block.get("OnDuration") or 0) > 0
        for cue in block:
            assert cue.tag == "textevent"
            assert set(cue.attrib) == {"timeoffset", "message"}
    return root


def test_reference_workout_uses_zwift_s_elements() -> None:
    root = assert_zwift_readable(workout_to_zwo(reference_workout()))
    tags = [block.tag for block in root.find("workout")]  # type: ignore[union-attr]
    assert tags[:2] == ["Warmup", "IntervalsT"] and tags[-1] == "Cooldown"


def test_cooldown_keeps_zwift_s_order_start_in_power_low() -> None:
    workout = parse_workout_text("5m 60%; cooldown 10m ramp 70-40%", "C").workout
    cooldown = ElementTree.fromstring(workout_to_zwo(workout)).find("workout/Cooldown")
    assert cooldown is not None
    assert (cooldown.get("PowerLow"), cooldown.get("PowerHigh")) == ("0.7", "0.4")


def test_on_off_repeats_become_intervals_t_and_others_are_spelled_out() -> None:
    workout = parse_workout_text(
        "3x(1m 120% 100rpm, 2m 50% 85rpm); 2x(1m 100%, 1m 90%, 1m 50%)", "I"
    ).workout
    blocks = list(ElementTree.fromstring(workout_to_zwo(workout)).find("workout"))  # type: ignore[arg-type]
    intervals = blocks[0]
    assert intervals.tag == "IntervalsT"
    assert intervals.attrib == {
        "Repeat": "3",
        "OnDuration": "60",
        "OffDuration": "120",
        "OnPower": "1.2",
        "OffPower": "0.5",
        "Cadence": "100",
        "CadenceResting": "85",
    }
    assert [block.tag for block in blocks[1:]] == ["SteadyState"] * 6


def test_titles_with_markup_are_escaped() -> None:
    workout = parse_workout_text('5m 50% "<b>&go</b>"', 'Over & <Under> "1"').workout
    root = assert_zwift_readable(workout_to_zwo(workout))
    assert root.findtext("name") == 'Over & <Under> "1"'
    assert root.find("workout/SteadyState/textevent").get("message") == "<b>&go</b>"  # type: ignore[union-attr]


@settings(max_examples=25, deadline=None)
@given(workout=workouts())
def test_every_zwo_parses_as_zwift_xml(workout: Workout) -> None:
    assert_zwift_readable(workout_to_zwo(workout))

"""The three-layer validator: syntax (JSON) → schema (pydantic) → logic.

Each finding is a JSON path and one plain sentence a person or a language model can act
on; hostile input is refused arithmetically, before anything is parsed or unrolled.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.awp.strategies import json_values, workouts
from wattz.awp.models import Workout
from wattz.awp.validate import (
    MAX_DOCUMENT_BYTES,
    MAX_NESTING_DEPTH,
    ValidationReport,
    nesting_depth,
    steps_extent,
    validate_data,
    validate_document,
    validate_workout,
)

PROPERTY_SETTINGS = settings(max_examples=100, deadline=None)


def steady(duration: Any = 600, value: Any = 1.0) -> dict[str, Any]:
    return {
        "type": "SteadyState",
        "duration": duration,
        "power": {"type": "steady", "value": value},
    }


def document(*steps: dict[str, Any], total: int | None = None, **meta: Any) -> dict[str, Any]:
    """A JSON document whose declared total is the plain sum of its top-level durations."""
    declared = total if total is not None else sum(step.get("duration", 0) for step in steps)
    return {
        "schemaVersion": "1.0",
        "meta": {"title": "Test", "totalDurationSeconds": declared, **meta},
        "steps": list(steps),
    }


def nested(depth: int) -> dict[str, Any]:
    """A step wrapped in ``depth`` single-repetition Repeat blocks."""
    step = steady(60)
    for _ in range(depth):
        step = {"type": "Repeat", "repeats": 1, "content": [step]}
    return step


def only_finding(report: ValidationReport) -> tuple[str, str, str]:
    assert report.workout is None and not report.ok
    assert len(report.findings) == 1, report.findings
    finding = report.findings[0]
    return finding.layer, finding.path, finding.message


THRESHOLD_LADDERS = {
    "schemaVersion": "1.0",
    "meta": {
        "title": "Threshold Ladders",
        "description": "…",
        "author": "wattz",
        "sport": "bike",
        "totalDurationSeconds": 3660,
        "estimatedTSS": 65,
    },
    "steps": [
        {"type": "Warmup", "duration": 600, "power": {"type": "ramp", "start": 0.45, "end": 0.75}},
        {
            "type": "Repeat",
            "repeats": 3,
            "content": [
                {
                    "type": "SteadyState",
                    "duration": 480,
                    "power": {"type": "steady", "value": 1.0},
                    "cadence": 90,
                    "instruction": "Hold it smooth",
                },
                {
                    "type": "SteadyState",
                    "duration": 240,
                    "power": {"type": "steady", "value": 0.55},
                    "intensity": "rest",
                },
            ],
            "restBetween": None,
        },
        {"type": "FreeRide", "duration": 300},
        {
            "type": "Cooldown",
            "duration": 600,
            "power": {"type": "ramp", "start": 0.5, "end": 0.4},
            "instruction": "Easy spin to finish.",
        },
    ],
}


class TestValidDocuments:
    def test_the_design_example_is_valid_once_its_total_is_the_unrolled_sum(self) -> None:
        report = validate_document(json.dumps(THRESHOLD_LADDERS))
        assert report.ok and report.findings == ()
        assert report.workout is not None
        assert report.workout.meta.title == "Threshold Ladders"
        assert steps_extent(report.workout.steps).seconds == 600 + 3 * 720 + 300 + 600

    def test_bytes_and_text_are_both_accepted(self) -> None:
        text = json.dumps(document(steady()))
        assert validate_document(text).ok
        assert validate_document(text.encode()).ok

    @PROPERTY_SETTINGS
    @given(workouts())
    def test_every_generated_workout_survives_a_round_trip_through_its_json(
        self, workout: Workout
    ) -> None:
        report = validate_document(workout.to_json())
        assert report.ok, report.findings
        assert report.workout == workout
        assert validate_workout(workout) == ()


class TestBadInput:
    """The bars of issue 3: each bad input gives findings, one plain line each."""

    def test_an_empty_file(self) -> None:
        assert only_finding(validate_document(b"")) == (
            "syntax",
            "$",
            "the document is empty; expected a JSON object",
        )
        assert only_finding(validate_document("  \n"))[0] == "syntax"

    def test_not_json(self) -> None:
        layer, path, message = only_finding(validate_document("steps: [warmup]"))
        assert (layer, path) == ("syntax", "$")
        assert message.startswith("the document is not valid JSON: ")
        assert "line 1 column 1" in message

    def test_not_utf8(self) -> None:
        assert only_finding(validate_document(b"\xff\xfe{}"))[2] == (
            "the document is not UTF-8 text (byte 0)"
        )

    @pytest.mark.parametrize(
        ("data", "kind"), [([1, 2], "a list"), ("workout", "a string"), (3, "a number")]
    )
    def test_json_that_is_not_an_object(self, data: Any, kind: str) -> None:
        assert only_finding(validate_document(json.dumps(data))) == (
            "schema",
            "$",
            f"the document must be a JSON object, got {kind}",
        )

    def test_json_of_the_wrong_shape_names_every_field_at_fault(self) -> None:
        report = validate_document(json.dumps({"steps": 3}))
        assert {(f.path, f.message) for f in report.findings} == {
            ("meta", "meta is required"),
            ("steps", "steps must be a list, got a number"),
        }

    def test_a_zero_duration(self) -> None:
        report = validate_data(document(steady(0), total=0))
        assert only_finding(report) == (
            "logic",
            "steps[0].duration",
            "steps[0].duration must be > 0, got 0",
        )

    def test_a_negative_duration_deep_inside_a_repeat(self) -> None:
        repeat = {"type": "Repeat", "repeats": 2, "content": [steady(-30)]}
        report = validate_data(document(steady(60), steady(60), repeat, total=60))
        paths = [finding.path for finding in report.findings]
        assert "steps[2].content[0].duration" in paths
        assert "steps[2].content[0].duration must be > 0, got -30" in [
            f.message for f in report.findings
        ]

    def test_power_fifty_times_ftp(self) -> None:
        assert only_finding(validate_data(document(steady(600, 50.0)))) == (
            "logic",
            "steps[0].power.value",
            "steps[0].power.value must be between 0 and 3.0 (a fraction of FTP, 1.0 = 100 %), "
            "got 50",
        )

    def test_a_negative_ramp_end(self) -> None:
        ramp = {"type": "Ramp", "duration": 60, "power": {"type": "ramp", "start": 0.5, "end": -1}}
        assert only_finding(validate_data(document(ramp)))[1] == "steps[0].power.end"

    def test_a_billion_repeats_is_refused_without_unrolling(self) -> None:
        repeat = {"type": "Repeat", "repeats": 10**9, "content": [steady(60)]}
        report = validate_data(document(repeat, total=60))
        messages = [finding.message for finding in report.findings]
        assert "steps unroll to 1,000,000,000 segments; at most 2,000 are allowed" in messages
        assert any("a workout may last at most 86,400 s (24 h)" in m for m in messages)

    def test_more_than_two_thousand_segments(self) -> None:
        repeat = {"type": "Repeat", "repeats": 1001, "content": [steady(1), steady(1)]}
        report = validate_data(document(repeat, total=2002))
        assert [f.message for f in report.findings] == [
            "steps unroll to 2,002 segments; at most 2,000 are allowed"
        ]

    def test_more_than_a_day(self) -> None:
        report = validate_data(document(steady(86_401), total=86_401))
        assert only_finding(report)[2] == (
            "steps add up to 86,401 s; a workout may last at most 86,400 s (24 h)"
        )

    @pytest.mark.parametrize("depth", [MAX_NESTING_DEPTH + 1, 50, 400])
    def test_nesting_too_deep(self, depth: int) -> None:
        opening = '{"type": "Repeat", "repeats": 1, "content": [' * depth
        closing = "]}" * depth
        text = json.dumps(document(total=60)).replace(
            '"steps": []', f'"steps": [{opening}{json.dumps(steady(60))}{closing}]'
        )
        report = validate_document(text)
        assert only_finding(report) == (
            "logic",
            "steps",
            "steps nest Repeat blocks more than 4 levels deep; flatten them",
        )

    def test_nesting_four_deep_is_allowed(self) -> None:
        report = validate_data(document(nested(MAX_NESTING_DEPTH), total=60))
        assert report.ok
        assert report.workout is not None and nesting_depth(report.workout.steps) == 4

    def test_json_nested_past_the_parser_is_a_syntax_finding(self) -> None:
        assert only_finding(validate_document("[" * 100_000 + "]" * 100_000)) == (
            "syntax",
            "$",
            "the document nests too deeply to read; flatten it",
        )

    def test_an_odd_key_is_quoted_in_the_path(self) -> None:
        report = validate_data({**document(steady()), "a\nb": 1})
        assert only_finding(report)[1:] == (
            '["a\\nb"]',
            '["a\\nb"] is not a field of AWP 1.0; remove it',
        )

    def test_a_two_hundred_megabyte_file_is_refused_before_parsing(self) -> None:
        huge = b" " * (200 * 1024 * 1024)
        assert only_finding(validate_document(huge)) == (
            "syntax",
            "$",
            "the document is 209,715,200 bytes; at most 1,000,000 are accepted",
        )

    def test_one_byte_over_the_limit_is_refused_and_the_limit_itself_is_read(self) -> None:
        padded = json.dumps(document(steady()))
        at_limit = padded + " " * (MAX_DOCUMENT_BYTES - len(padded))
        assert validate_document(at_limit).ok
        assert only_finding(validate_document(at_limit + " "))[0] == "syntax"

    def test_a_declared_total_that_disagrees_with_the_steps(self) -> None:
        assert only_finding(validate_data(document(steady(600), total=3600))) == (
            "logic",
            "meta.totalDurationSeconds",
            "meta.totalDurationSeconds is 3600 but the steps add up to 600 s; make them equal",
        )

    def test_an_unknown_step_type_names_the_type(self) -> None:
        assert only_finding(validate_data(document({"type": "Jump", "duration": 60}))) == (
            "schema",
            "steps[0].type",
            "steps[0].type must be one of 'Warmup', 'Cooldown', 'SteadyState', 'Ramp', "
            "'FreeRide', 'Repeat', got \"Jump\"",
        )

    def test_a_missing_power(self) -> None:
        step = {"type": "Warmup", "duration": 60}
        assert only_finding(validate_data(document(step)))[1:] == (
            "steps[0].power",
            "steps[0].power is required",
        )

    def test_a_fractional_duration(self) -> None:
        assert only_finding(validate_data(document(steady(60.5), total=60)))[2] == (
            "steps[0].duration must be a whole number, got 60.5"
        )

    def test_an_unknown_field(self) -> None:
        step = {**steady(), "watts": 250}
        assert only_finding(validate_data(document(step)))[2] == (
            "steps[0].watts is not a field of AWP 1.0; remove it"
        )

    def test_another_schema_version(self) -> None:
        report = validate_data({**document(steady()), "schemaVersion": "2.0"})
        assert only_finding(report)[2] == "schemaVersion must be '1.0', got \"2.0\""

    def test_an_empty_repeat_and_zero_repeats(self) -> None:
        repeat = {"type": "Repeat", "repeats": 0, "content": []}
        report = validate_data(document(steady(), repeat, total=600))
        assert {f.message for f in report.findings} == {
            "steps[1].repeats must be >= 1, got 0",
            "steps[1].content must hold at least one step",
        }

    def test_a_cue_outside_its_step(self) -> None:
        step = {**steady(60), "textEvents": [{"offset": 60, "message": "go"}]}
        assert only_finding(validate_data(document(step)))[2] == (
            "steps[0].textEvents[0].offset must lie within the step (0 to 59 s), got 60"
        )

    def test_an_implausible_cadence(self) -> None:
        step = {**steady(60), "cadence": 400}
        assert only_finding(validate_data(document(step)))[2] == (
            "steps[0].cadence must be between 20 and 200 rpm, got 400"
        )

    def test_an_overlong_title(self) -> None:
        report = validate_data(document(steady(), title="x" * 500))
        assert only_finding(report)[2] == "meta.title must be at most 120 characters long"


class TestNeverRaises:
    @PROPERTY_SETTINGS
    @given(st.binary(max_size=300))
    def test_any_byte_string_gives_a_report(self, data: bytes) -> None:
        _assert_consistent(validate_document(data))

    @PROPERTY_SETTINGS
    @given(st.text(max_size=300))
    def test_any_text_gives_a_report(self, text: str) -> None:
        _assert_consistent(validate_document(text))

    @PROPERTY_SETTINGS
    @given(json_values())
    def test_any_json_value_gives_a_report(self, data: Any) -> None:
        _assert_consistent(validate_document(json.dumps(data)))

    @PROPERTY_SETTINGS
    @given(workouts(), st.data())
    def test_a_valid_document_with_one_value_replaced_gives_a_report(
        self, workout: Workout, data: st.DataObject
    ) -> None:
        tree = workout.to_json_dict()
        _replace_somewhere(tree, data)
        _assert_consistent(validate_data(tree))

    @PROPERTY_SETTINGS
    @given(workouts(), st.data())
    def test_a_truncated_valid_document_gives_a_report(
        self, workout: Workout, data: st.DataObject
    ) -> None:
        text = workout.to_json()
        cut = data.draw(st.integers(0, len(text) - 1))
        report = validate_document(text[:cut])
        _assert_consistent(report)
        assert not report.ok


def _assert_consistent(report: ValidationReport) -> None:
    assert isinstance(report, ValidationReport)
    assert report.ok == (report.workout is not None)
    assert report.ok == (not report.findings)
    for finding in report.findings:
        assert finding.layer in {"syntax", "schema", "logic"}
        assert finding.message and "\n" not in finding.message
        assert finding.path


def _replace_somewhere(tree: Any, data: st.DataObject) -> None:
    """Swap one value anywhere in ``tree`` for arbitrary JSON."""
    containers: list[tuple[Any, Any]] = []

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                containers.append((node, key))
                collect(value)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                containers.append((node, index))
                collect(value)

    collect(tree)
    parent, key = data.draw(st.sampled_from(containers))
    parent[key] = data.draw(json_values())

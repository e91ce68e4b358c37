"""The schema a model codifies against: AWP 1.0, narrowed, every string bounded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from tests.coach.conftest import as_reply
from wattz.awp.validate import validate_document
from wattz.coach.schema import day_schema, generation_schema, work_powers
from wattz.plan import library


def _nodes(node: Any, path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _nodes(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nodes(value, f"{path}[{index}]")


def test_every_string_has_a_max_length() -> None:
    strings = [
        (path, node)
        for path, node in _nodes(generation_schema())
        if node.get("type") == "string" and "const" not in node and "enum" not in node
    ]
    assert strings, "the schema has free strings (the title at least)"
    for path, node in strings:
        assert isinstance(node.get("maxLength"), int), path


def test_step_and_power_types_are_required() -> None:
    definitions = generation_schema()["$defs"]
    for name in ("Warmup", "Cooldown", "SteadyState", "Ramp", "FreeRide", "Repeat"):
        assert definitions[name]["required"][0] == "type", name
    for name in ("SteadyPower", "RampPower"):
        assert "type" in definitions[name]["required"], name


def test_lists_are_bounded_and_free_text_is_left_out() -> None:
    schema = generation_schema()
    assert schema["properties"]["steps"]["maxItems"] <= 16
    fields = {
        name
        for _, node in _nodes(schema)
        if isinstance(node.get("properties"), dict)
        for name in node["properties"]
    }
    assert {"title", "totalDurationSeconds", "duration", "power", "cadence"} <= fields
    assert not {"instruction", "textEvents", "description", "estimatedTSS"} & fields


def test_the_schema_is_a_fresh_copy() -> None:
    generation_schema()["properties"].clear()
    assert generation_schema()["properties"]


def test_what_the_schema_shapes_is_awp() -> None:
    for template_id in ("ss-steady", "vo2-classic", "end-steady", "thr-over-under"):
        try:
            template = library.template(template_id)
        except Exception:
            continue
        workout = library.build(template.id, 3, 75)
        report = validate_document(as_reply(workout))
        assert report.ok, (template_id, report.findings)


def test_steps_come_before_meta_so_the_total_is_written_after_them() -> None:
    schema = generation_schema()
    assert list(schema["properties"]) == ["steps", "meta"]
    assert schema["required"] == ["steps", "meta"]


def test_a_repeat_holds_efforts_and_recoveries_one_level_deep() -> None:
    repeat = generation_schema()["$defs"]["Repeat"]["properties"]
    kinds = {ref["$ref"].rsplit("/", 1)[1] for ref in repeat["content"]["items"]["oneOf"]}
    assert kinds == {"SteadyState", "Ramp", "FreeRide"}
    assert "restBetween" not in repeat


def test_a_day_schema_fixes_the_skeleton_and_bounds_every_number() -> None:
    schema = day_schema(3600, (2, 3, 4))
    warmup, repeat, cooldown = schema["properties"]["steps"]["prefixItems"]
    assert [node["properties"]["type"]["const"] for node in (warmup, repeat, cooldown)] == [
        "Warmup",
        "Repeat",
        "Cooldown",
    ]
    effort, rest = repeat["properties"]["content"]["prefixItems"]
    assert rest["properties"]["intensity"] == {"const": "rest"}
    powers = effort["properties"]["power"]["properties"]["value"]["enum"]
    assert min(powers) > 0.75 and max(powers) <= 1.05, "tempo to threshold in a BASE block"
    total = schema["properties"]["meta"]["properties"]["totalDurationSeconds"]
    assert total["type"] == "integer" and total["maximum"] == 3600
    repeats = repeat["properties"]["repeats"]
    assert repeats["type"] == "integer" and repeats["minimum"] == 1
    for path, node in _nodes(schema):
        if node.get("type") == "string":
            assert isinstance(node.get("maxLength"), int), path
        if node.get("type") == "object":
            assert node["additionalProperties"] is False, path
            assert node["required"] == list(node["properties"]), path


def test_every_document_a_day_schema_admits_is_awp() -> None:
    schema = day_schema(2700, (3, 4, 5, 6))

    def first(node: dict[str, Any]) -> Any:
        if "const" in node:
            return node["const"]
        if "enum" in node:
            return node["enum"][0]
        if node.get("type") == "integer":
            return node["minimum"]
        if node.get("type") == "string":
            return "x"
        if "prefixItems" in node:
            return [first(item) for item in node["prefixItems"]]
        return {key: first(value) for key, value in node["properties"].items()}

    document = first(schema)
    document["meta"]["totalDurationSeconds"] = 300 + 30 + 30 + 300
    report = validate_document(json.dumps(document))
    assert report.ok, report.findings
    assert max(work_powers((1, 2))) <= 0.75 and min(work_powers((1, 2))) >= 0.5

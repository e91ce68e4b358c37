"""The schema a model codifies against: AWP 1.0, narrowed, every string bounded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tests.coach.conftest import as_reply
from wattz.awp.validate import validate_document
from wattz.coach.schema import generation_schema
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

"""The JSON Schema a model codifies a workout against: AWP 1.0, narrowed for generation.

It is ``wattz.awp.models.json_schema()`` with these changes, each making the model's job
smaller without admitting anything that is not AWP 1.0 (sets of sets, which AWP allows,
are for people and the library to write):

- the ``type`` keys that tell steps and power targets apart are required (AWP lets them
  default, but a grammar built from the schema would then let the model leave them out,
  and the validator could not tell a ramp from a steady step);
- free text other than the title is left out (instructions, cues, description, author):
  the description is the model's own strategy from the first step, added by the
  engine, and every string a grammar allows costs decoding time on a small model;
- the title is capped at ``TITLE_MAX_CHARS`` and step lists at a few items, and a
  Repeat holds efforts and recoveries only (no nested Repeat, no warm-up, no
  ``restBetween``: the rest is a step of its own), so a model that loops (a 135M model
  nests Repeats until the token limit) reaches the end of the schema instead;
- ``schemaVersion`` is left to its default;
- ``steps`` come before ``meta``: a grammar writes keys in the schema's order, and a
  model that must state ``totalDurationSeconds`` before writing the steps is guessing
  the sum it is about to make; after them it can add them up (any model does better).

Every string keeps a ``maxLength``: without one a model may repeat text until the
token limit (``tests/coach/test_schema.py`` walks the schema to check).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from wattz.awp.models import json_schema
from wattz.awp.zones import POWER_ZONES

TITLE_MAX_CHARS = 60
MAX_STEPS = 8
MAX_REPEAT_STEPS = 6
REPEATED_KINDS = ("SteadyState", "Ramp", "FreeRide")
"""What a Repeat may hold when a model writes it: efforts and recoveries, one level deep."""
DROPPED_FIELDS = ("instruction", "textEvents", "description", "author", "sport", "estimatedTSS")


@cache
def _generation_schema() -> dict[str, Any]:
    schema = json_schema()
    schema.pop("$schema", None)
    schema["properties"].pop("schemaVersion", None)
    schema["properties"]["steps"]["maxItems"] = MAX_STEPS
    schema["properties"] = {key: schema["properties"][key] for key in ("steps", "meta")}
    schema["required"] = ["steps", "meta"]
    for name, definition in schema["$defs"].items():
        properties: dict[str, Any] = definition.get("properties", {})
        for field in DROPPED_FIELDS:
            properties.pop(field, None)
        tag = properties.get("type")
        if isinstance(tag, dict) and "const" in tag:
            tag.pop("default", None)
            required: list[str] = definition.setdefault("required", [])
            if "type" not in required:
                required.insert(0, "type")
        if name == "Meta":
            properties["title"]["maxLength"] = TITLE_MAX_CHARS
        if name == "Repeat":
            properties.pop("restBetween", None)
            properties["content"]["maxItems"] = MAX_REPEAT_STEPS
            properties["content"]["items"] = {
                "oneOf": [{"$ref": f"#/$defs/{kind}"} for kind in REPEATED_KINDS]
            }
    return schema


def generation_schema() -> dict[str, Any]:
    """The schema passed as ``format`` when a model codifies a workout (a fresh copy)."""
    return copy.deepcopy(_generation_schema())


WARMUP_SECONDS = (300, 600, 900)
COOLDOWN_SECONDS = (300, 600, 900)
WORK_SECONDS = (30, 60, 120, 180, 240, 300, 360, 420, 480, 600, 720, 900, 1200)
REST_SECONDS = (30, 60, 120, 180, 240, 300)
MAX_REPEATS = 10
WARMUP_START = (0.4, 0.45, 0.5)
WARMUP_END = (0.6, 0.65, 0.7, 0.75)
COOLDOWN_START = (0.5, 0.55, 0.6)
COOLDOWN_END = (0.4, 0.45)
REST_POWERS = (0.4, 0.45, 0.5, 0.55)
POWER_STEP = 0.05
TOP_POWER = 1.6
"""The highest work power a day schema offers (Z7 is open-ended; sprints above this are
the library's to write)."""
MIN_WORK_POWER = 0.5
DAY_TITLE_MAX_CHARS = 40
MIN_TOTAL_SECONDS = 600


def day_schema(max_seconds: int, zones: tuple[int, ...]) -> dict[str, Any]:
    """The ``format`` of one day's codification: AWP 1.0 with a fixed skeleton.

    Warm-up, one Repeat of an effort and a recovery, cool-down, then meta: the model
    decides the minutes, the number of repeats and the powers, each from a short list
    (``enum``) or a bounded integer that a grammar-constrained decoder enforces, and a
    short title. The work power is offered only inside the zones the block allows, and
    no total is offered beyond the day's slot. llama.cpp's grammar honours ``enum``,
    ``const``, ``prefixItems`` and integer ``minimum``/``maximum`` but not bounds on
    decimals, hence the power lists. The fences still check everything: the sum of the
    steps against the total, the slot, the day's TSS share and the primary zone.
    """
    work = _step("SteadyState", _enum(WORK_SECONDS), _steady(work_powers(zones)))
    rest = _step("SteadyState", _enum(REST_SECONDS), _steady(REST_POWERS), rest=True)
    repeat = _object(
        {
            "type": {"const": "Repeat"},
            "repeats": {"type": "integer", "minimum": 1, "maximum": MAX_REPEATS},
            "content": _tuple([work, rest]),
        }
    )
    warmup = _step("Warmup", _enum(WARMUP_SECONDS), _ramp(WARMUP_START, WARMUP_END))
    cooldown = _step("Cooldown", _enum(COOLDOWN_SECONDS), _ramp(COOLDOWN_START, COOLDOWN_END))
    meta = _object(
        {
            "title": {"type": "string", "minLength": 1, "maxLength": DAY_TITLE_MAX_CHARS},
            "totalDurationSeconds": {
                "type": "integer",
                "minimum": min(MIN_TOTAL_SECONDS, max_seconds),
                "maximum": max_seconds,
            },
        }
    )
    return _object({"steps": _tuple([warmup, repeat, cooldown]), "meta": meta})


def pinned(
    schema: Mapping[str, Any], pins: Sequence[tuple[tuple[str | int, ...], float]]
) -> dict[str, Any]:
    """``schema`` (a day schema) with each pinned place allowing its one value only.

    A place is a document path (``("steps", 1, "repeats")``): a key is a property, an
    index an item of a ``prefixItems`` list. Paths the schema does not have are left
    alone.
    """
    narrowed = copy.deepcopy(dict(schema))
    for path, value in pins:
        node: dict[str, Any] | None = narrowed
        for key in path[:-1]:
            node = _child(node, key)
        last = path[-1]
        if node is not None and isinstance(last, str) and last in node.get("properties", {}):
            node["properties"][last] = {"const": value}
    return narrowed


def _child(node: dict[str, Any] | None, key: str | int) -> dict[str, Any] | None:
    if node is None:
        return None
    if isinstance(key, int):
        items = node.get("prefixItems", [])
        return items[key] if key < len(items) else None
    child = node.get("properties", {}).get(key)
    return child if isinstance(child, dict) else None


def work_powers(zones: tuple[int, ...]) -> list[float]:
    """The effort powers a day offers: steps of 0.05 FTP inside the block's zones, from
    tempo up when the block allows harder work (a key session's main set is not Z1–Z2)."""
    hard = [zone for zone in zones if zone >= 3]
    low, high = (min(hard), max(hard)) if hard else (min(zones), max(zones))
    floor = max(POWER_ZONES[low - 1].lower, MIN_WORK_POWER)
    ceiling = POWER_ZONES[high - 1].upper or TOP_POWER
    return [
        round(k * POWER_STEP, 2)
        for k in range(1, round(ceiling / POWER_STEP) + 1)
        if k * POWER_STEP > floor + 1e-9
    ]


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _tuple(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "array", "prefixItems": items, "minItems": len(items), "maxItems": len(items)}


def _enum(values: tuple[int, ...] | list[float] | tuple[float, ...]) -> dict[str, Any]:
    return {"enum": list(values)}


def _steady(values: list[float] | tuple[float, ...]) -> dict[str, Any]:
    return _object({"type": {"const": "steady"}, "value": _enum(values)})


def _ramp(starts: tuple[float, ...], ends: tuple[float, ...]) -> dict[str, Any]:
    return _object({"type": {"const": "ramp"}, "start": _enum(starts), "end": _enum(ends)})


def _step(
    kind: str, duration: dict[str, Any], power: dict[str, Any], rest: bool = False
) -> dict[str, Any]:
    properties = {"type": {"const": kind}, "duration": duration, "power": power}
    if rest:
        properties["intensity"] = {"const": "rest"}
    return _object(properties)

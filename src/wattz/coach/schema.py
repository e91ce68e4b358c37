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
from functools import cache
from typing import Any

from wattz.awp.models import json_schema

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

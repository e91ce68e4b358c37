"""The JSON Schema a model codifies a workout against: AWP 1.0, narrowed for generation.

It is ``wattz.awp.models.json_schema()`` with four changes, each making the model's job
smaller without admitting anything that is not AWP 1.0:

- the ``type`` keys that tell steps and power targets apart are required (AWP lets them
  default, but a grammar built from the schema would then let the model leave them out,
  and the validator could not tell a ramp from a steady step);
- free text other than the title is left out (instructions, cues, description, author):
  the description is the model's own strategy from the first step, added by the
  engine, and every string a grammar allows costs decoding time on a small model;
- the title is capped at ``TITLE_MAX_CHARS`` and step lists at a few items, so a model
  that loops (a 135M model does) reaches the end of the schema, not the token limit;
- ``schemaVersion`` is left to its default.

Every string keeps a ``maxLength``: without one a model may repeat text until the
token limit (``tests/coach/test_schema.py`` walks the schema to check).
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from wattz.awp.models import json_schema

TITLE_MAX_CHARS = 60
MAX_STEPS = 12
MAX_REPEAT_STEPS = 6
DROPPED_FIELDS = ("instruction", "textEvents", "description", "author", "sport", "estimatedTSS")


@cache
def _generation_schema() -> dict[str, Any]:
    schema = json_schema()
    schema.pop("$schema", None)
    schema["properties"].pop("schemaVersion", None)
    schema["properties"]["steps"]["maxItems"] = MAX_STEPS
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
            properties["content"]["maxItems"] = MAX_REPEAT_STEPS
    return schema


def generation_schema() -> dict[str, Any]:
    """The schema passed as ``format`` when a model codifies a workout (a fresh copy)."""
    return copy.deepcopy(_generation_schema())

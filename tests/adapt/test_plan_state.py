"""A workout's AWP document as the audit reads it from the store: kept as JSON text and
decoded only when a rule looks inside, yet the same mapping as the decoded document."""

from __future__ import annotations

import json

import pytest

from wattz.adapt.plan_state import JsonDocument

DOCUMENT = {"awp_version": "1.0", "meta": {"title": "Sweet spot"}, "steps": [{"s": 60}]}


def test_a_json_document_reads_as_the_object_it_encodes() -> None:
    document = JsonDocument(json.dumps(DOCUMENT))
    assert document["meta"] == {"title": "Sweet spot"}
    assert list(document) == list(DOCUMENT)
    assert len(document) == len(DOCUMENT)
    assert dict(document) == DOCUMENT
    assert repr(document) == repr(DOCUMENT)


def test_a_json_document_equals_any_mapping_with_its_content() -> None:
    text = json.dumps(DOCUMENT)
    assert JsonDocument(text) == DOCUMENT
    assert DOCUMENT == JsonDocument(text), "a plain dict on the left sees it equal too"
    assert JsonDocument(text) == JsonDocument(json.dumps(DOCUMENT, indent=2))
    assert JsonDocument(text) != {**DOCUMENT, "steps": []}
    assert JsonDocument(text) != [DOCUMENT]


def test_a_json_document_is_decoded_only_when_looked_into() -> None:
    broken = JsonDocument("{not json")
    assert broken == JsonDocument("{not json"), "the same text is the same document"
    with pytest.raises(json.JSONDecodeError):
        broken["meta"]


def test_a_json_document_is_not_hashable_like_the_dict_it_stands_for() -> None:
    with pytest.raises(TypeError):
        hash(JsonDocument(json.dumps(DOCUMENT)))

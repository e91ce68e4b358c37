"""``wattz audit --generator auto|ollama``: weeks filled just in time get the model's key
workouts, inside the same fences as ``plan new`` — against a scripted 127.0.0.1 server.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import select

from tests.cli.helpers import run
from tests.cli.plan_scenarios import (
    DAY,
    add_ride,
    build_plan,
    changes,
    day_of,
    loading_weeks,
    on,
    show,
    weeks,
    workouts,
)
from tests.coach.ollama_server import Script, serve, unused_port_url
from wattz.model.store import session_scope
from wattz.model.tables import PlannedWorkout

FIRST_TRY = {
    "steps": [
        {"type": "Warmup", "duration": 600, "power": {"type": "ramp", "start": 0.5, "end": 0.75}},
        {
            "type": "Repeat",
            "repeats": 3,
            "content": [
                {"type": "SteadyState", "duration": 600, "power": {"type": "steady", "value": 0.9}},
                {
                    "type": "SteadyState",
                    "duration": 300,
                    "power": {"type": "steady", "value": 0.5},
                    "intensity": "rest",
                },
            ],
        },
        {"type": "Cooldown", "duration": 300, "power": {"type": "ramp", "start": 0.6, "end": 0.4}},
    ],
    "meta": {"title": "Model threshold", "totalDurationSeconds": 3600},
}


def obeyed(schema: dict[str, Any], document: Any) -> Any:
    """``document`` with every value the schema pins (``const``) written as pinned: a
    model that copies its last reply and makes exactly the changes it is held to."""
    if "const" in schema:
        return schema["const"]
    if isinstance(document, dict):
        properties = schema.get("properties", {})
        return {k: obeyed(properties.get(k, {}), v) for k, v in document.items()}
    if isinstance(document, list):
        items = schema.get("prefixItems", [])
        return [obeyed(items[i] if i < len(items) else {}, v) for i, v in enumerate(document)]
    return document


def obedient_model() -> Script:
    return Script(respond=lambda request: _answer(request))


def _answer(request: dict[str, Any]) -> str:
    if not request.get("format"):
        return "Warm up, three threshold efforts with easy spinning between, cool down."
    return json.dumps(obeyed(request["format"], FIRST_TRY))


@pytest.fixture
def empty_week(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A plan whose second loading week has no workouts yet, every earlier one ridden,
    and today three days before that week: the audit fills it."""
    plan = build_plan()
    week = loading_weeks(plan)[1]
    with session_scope() as session:
        for row in session.exec(
            select(PlannedWorkout).where(PlannedWorkout.date >= day_of(week))
        ).all():
            if row.date <= day_of(week) + 6 * DAY:
                session.delete(row)
    today = day_of(week) - 3 * DAY
    for item in workouts(show()):
        if day_of(item) < today and item["status"] in ("pending", "moved"):
            add_ride(day_of(item), item["id"], tss=item["tss"], duration_s=item["duration_s"])
    on(monkeypatch, today)
    monkeypatch.setenv("WATTZ_OLLAMA_TIMEOUT", "5")
    return week


def filled(week: dict[str, Any]) -> list[dict[str, Any]]:
    found = next(w for w in weeks(show()) if w["start"] == week["start"])
    return list(found["workouts"])


def test_the_model_writes_the_key_workouts_of_a_week_filled_just_in_time(
    empty_week: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    script = obedient_model()
    with serve(script) as url:
        monkeypatch.setenv("OLLAMA_HOST", url)
        result = run("audit", "--generator", "ollama", "--model", "qwen2.5:3b")
    assert result.exit_code == 0, result.stderr
    assert script.chat_requests, "the model was asked"
    placed = filled(empty_week)
    keys = [w for w in placed if w["role"] == "key"]
    assert keys and any(w["source"] == "llm" for w in keys)
    for workout in keys:
        assert workout["source"] == "llm" or workout["replaced_reason"]
    for workout in placed:
        assert workout["duration_s"] <= 4 * 3600
    logged = changes()
    assert any(c["action"] == "fill" and c["trigger"] == "fill" for c in logged)
    (model_change,) = [c for c in logged if "qwen2.5:3b wrote workouts" in c["reason"]]
    llm_ids = {w["id"] for w in placed if w["source"] == "llm"}
    assert llm_ids <= set(model_change["workout_ids"])
    assert "qwen2.5:3b wrote" in result.stdout + result.stderr


def test_a_model_that_never_passes_leaves_the_librarys_fill_with_reasons(
    empty_week: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    script = Script(codify=['{"steps": [], "meta": {"title": "x", "totalDurationSeconds": 1}}'])
    with serve(script) as url:
        monkeypatch.setenv("OLLAMA_HOST", url)
        result = run("audit", "--generator", "auto")
    assert result.exit_code == 0, result.stderr
    placed = filled(empty_week)
    keys = [w for w in placed if w["role"] == "key"]
    assert keys and all(w["source"] == "builtin" for w in keys)
    assert all(w["replaced_reason"].startswith("the model's workout never passed") for w in keys)
    replaced = [c for c in changes() if c["trigger"] == "generation"]
    assert {c["workout_ids"][0] for c in replaced} == {w["id"] for w in keys}


def test_builtin_never_asks_and_ollama_without_a_server_exits_3(
    empty_week: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OLLAMA_HOST", unused_port_url())
    result = run("audit", "--generator", "ollama")
    assert result.exit_code == 3, result.stderr
    assert filled(empty_week) == [], "nothing stored"
    result = run("audit")
    assert result.exit_code == 0, result.stderr
    assert all(w["source"] == "builtin" for w in filled(empty_week))


def test_an_unknown_generator_is_a_user_error() -> None:
    result = run("audit", "--generator", "gpt")
    assert result.exit_code == 1
    assert "--generator 'gpt' is not one of builtin|auto|ollama" in result.stderr

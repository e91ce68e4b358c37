"""``wattz plan new --generator auto|ollama`` end to end, against a scripted Ollama server.

Whatever the model says, the stored plan keeps the plans issue's rules; a server that is
down or hangs never hangs the command: ``auto`` falls back to the library and says so,
``ollama`` exits 3 with nothing stored.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

from tests.cli.helpers import run
from tests.coach.ollama_server import HANG, Reply, Script, serve, unused_port_url
from tests.coach.stored_plans import GRID, assert_keeps_the_rules, workouts

EVENT = "2026-12-20"
DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


@pytest.fixture(autouse=True)
def athlete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATTZ_OLLAMA_TIMEOUT", "2")
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    assert run("availability", "set", *GRID).exit_code == 0
    assert run("goal", "add", "Short", "--date", EVENT).exit_code == 0


def plan_new(*args: str) -> Any:
    return run("plan", "new", "--goal", "Short", "--yes", "--replace", *args)


def shown() -> dict[str, Any]:
    result = run("plan", "show", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def builtin_plan() -> dict[str, Any]:
    assert plan_new().exit_code == 0
    return shown()


def library_answers(reference: dict[str, Any]) -> Script:
    """A model that writes, for the day it is asked about, the library's own workout."""
    by_date = {w["date"]: w["awp"] for w in workouts(reference)}

    def respond(request: dict[str, Any]) -> str | Reply:
        text = request["messages"][-1]["content"]
        if not request.get("format"):
            day = DATE.findall(text.split("workout for", 1)[1])[0]
            return f"For {day}: warm up, then the main set, then cool down."
        day = DATE.findall(text)[0]
        document = dict(by_date[day])
        document.pop("schemaVersion", None)
        document["meta"] = {
            "title": "Model " + document["meta"]["title"][:40],
            "totalDurationSeconds": document["meta"]["totalDurationSeconds"],
        }
        return json.dumps(document)

    return Script(respond=respond)


def test_a_model_that_writes_valid_workouts_fills_the_current_and_next_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reference = builtin_plan()
    script = library_answers(reference)
    with serve(script) as url:
        monkeypatch.setenv("OLLAMA_HOST", url)
        result = plan_new("--generator", "ollama", "--model", "qwen2.5:3b", "--json")
    assert result.exit_code == 0, result.stderr
    assert "ollama: qwen2.5:3b on Ollama at" in result.stderr
    document = json.loads(result.stdout)
    assert document["plan"]["generator"] == "ollama"
    blocks = document["plan"]["blocks"]
    by_block = [
        {w["source"] for week in b["weeks"] for w in week["workouts"] if w["role"] == "key"}
        for b in blocks
    ]
    assert by_block[0] | by_block[1] == {"llm"}
    assert all(sources <= {"builtin"} for sources in by_block[2:])
    llm = [w for w in workouts(document) if w["source"] == "llm"]
    assert all(w["awp"]["meta"]["title"].startswith("Model ") for w in llm)
    assert all(w["awp"]["meta"]["author"] == "wattz with qwen2.5:3b" for w in llm)
    assert re.search(r"wrote (\d+) of \1 key workouts", result.stderr)
    assert_keeps_the_rules(document, reference)


def test_a_model_that_never_passes_is_replaced_and_the_reason_recorded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reference = builtin_plan()
    script = Script(codify=['{"meta": {"title": "x", "totalDurationSeconds": 60}, "steps": []}'])
    with serve(script) as url:
        monkeypatch.setenv("OLLAMA_HOST", url)
        result = plan_new("--generator", "ollama")
    assert result.exit_code == 0, result.stderr
    assert "3 replaced by the library" in result.stderr
    assert "stopped: 3 workouts in a row never passed" in result.stderr
    document = shown()
    assert {w["source"] for w in workouts(document)} == {"builtin"}
    assert_keeps_the_rules(document, reference)
    changes = json.loads(run("changes", "--json").stdout)
    replaced = [c for c in changes if c["trigger"] == "generation"]
    assert len(replaced) == 3
    for change in replaced:
        assert change["action"] == "replace" and len(change["workout_ids"]) == 1
        assert "never passed (4 attempts)" in change["reason"]
        assert "steps must hold at least one item" in change["reason"]
    stored = {w["id"]: w for w in workouts(document)}
    replaced_ids = {c["workout_ids"][0] for c in replaced}
    for workout_id, workout in stored.items():
        reason = workout["replaced_reason"]
        if workout_id in replaced_ids:
            assert reason.startswith("the model's workout never passed (4 attempts): ")
        else:
            assert reason is None


def test_whatever_the_model_says_the_plan_keeps_its_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    reference = builtin_plan()
    nonsense = [
        "not json at all",
        Reply('{"meta": {"title": "cut', "length"),
        '{"meta": {"title": "Huge", "totalDurationSeconds": 36000}, "steps": [{"type": '
        '"SteadyState", "duration": 36000, "power": {"type": "steady", "value": 100}}]}',
        '{"meta": {"title": "Tiny", "totalDurationSeconds": 60}, "steps": [{"type": '
        '"SteadyState", "duration": 60, "power": {"type": "steady", "value": 0.5}}]}',
    ]
    with serve(Script(codify=nonsense)) as url:
        monkeypatch.setenv("OLLAMA_HOST", url)
        result = plan_new("--generator", "ollama")
    assert result.exit_code == 0, result.stderr
    assert_keeps_the_rules(shown(), reference)


def test_auto_falls_back_to_the_library_when_the_server_is_down(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OLLAMA_HOST", unused_port_url())
    result = plan_new("--generator", "auto", "--json")
    assert result.exit_code == 0, result.stderr
    assert "auto: Ollama at" in result.stderr and "not reachable" in result.stderr
    assert "the built-in library writes the plan" in result.stderr
    document = json.loads(result.stdout)
    assert document["plan"]["generator"] == "builtin"
    assert {w["source"] for w in workouts(document)} == {"builtin"}


def test_ollama_exits_3_when_the_server_is_down_and_stores_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OLLAMA_HOST", unused_port_url())
    result = plan_new("--generator", "ollama")
    assert result.exit_code == 3
    assert result.stderr.startswith("error: Ollama at")
    assert "not reachable" in result.stderr and "--generator builtin" in result.stderr
    assert json.loads(run("plan", "list", "--json").stdout) == []


def test_auto_falls_back_when_the_server_lacks_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(Script(models=("other:1b",))) as url:
        monkeypatch.setenv("OLLAMA_HOST", url)
        result = plan_new("--generator", "auto", "--model", "smollm2")
        refused = plan_new("--generator", "ollama", "--model", "smollm2")
    assert result.exit_code == 0
    assert "has no model smollm2:latest (it has: other:1b)" in result.stderr
    assert refused.exit_code == 3
    assert "pull it with: ollama pull smollm2:latest" in refused.stderr


@pytest.mark.parametrize("generator", ["auto", "ollama"])
def test_a_server_that_hangs_on_the_probe_never_hangs_the_command(
    monkeypatch: pytest.MonkeyPatch, generator: str
) -> None:
    monkeypatch.setenv("WATTZ_OLLAMA_TIMEOUT", "0.5")
    with serve(Script(hang_tags=True)) as url:
        monkeypatch.setenv("OLLAMA_HOST", url)
        started = time.monotonic()
        result = plan_new("--generator", generator)
        elapsed = time.monotonic() - started
    assert elapsed < 10
    assert "did not answer within 0.5 s" in result.stderr
    assert result.exit_code == (0 if generator == "auto" else 3)


def test_a_chat_that_hangs_ends_in_exit_3_with_nothing_stored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WATTZ_OLLAMA_TIMEOUT", "0.5")
    with serve(Script(strategy=[HANG])) as url:
        monkeypatch.setenv("OLLAMA_HOST", url)
        started = time.monotonic()
        result = plan_new("--generator", "ollama")
        elapsed = time.monotonic() - started
    assert elapsed < 10
    assert result.exit_code == 3
    assert "did not answer within 0.5 s" in result.stderr
    assert json.loads(run("plan", "list", "--json").stdout) == []


def test_auto_keeps_the_library_when_the_chat_hangs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATTZ_OLLAMA_TIMEOUT", "0.5")
    with serve(Script(strategy=[HANG])) as url:
        monkeypatch.setenv("OLLAMA_HOST", url)
        result = plan_new("--generator", "auto")
    assert result.exit_code == 0
    assert "stopped: Ollama at" in result.stderr
    assert {w["source"] for w in workouts(shown())} == {"builtin"}


def test_an_unknown_generator_is_a_user_error() -> None:
    result = plan_new("--generator", "gpt")
    assert result.exit_code == 1
    assert "--generator 'gpt' is not one of builtin|auto|ollama" in result.stderr


def test_a_model_too_slow_to_finish_leaves_the_library_plan_stored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WATTZ_OLLAMA_TIMEOUT", "0.3")
    slow = Reply("Warm up, then work, then cool down. " * 4, "stop", pause_s=0.1)
    with serve(Script(strategy=[slow], codify=[slow])) as url:
        monkeypatch.setenv("OLLAMA_HOST", url)
        result = plan_new("--generator", "ollama")
    assert result.exit_code == 0, result.stderr
    assert "1 replaced by the library" in result.stderr and "is too slow" in result.stderr
    [change] = [
        c for c in json.loads(run("changes", "--json").stdout) if c["trigger"] == "generation"
    ]
    assert "the model was too slow" in change["reason"]

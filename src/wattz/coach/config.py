"""Which Ollama server and model the coach uses, and how long it waits for them.

``OLLAMA_HOST`` is read as Ollama's own clients read it; ``WATTZ_MODEL`` names the model
when ``--model`` does not; ``WATTZ_OLLAMA_TIMEOUT`` (seconds) bounds every call, so a
server that hangs costs at most that long before wattz says so; ``WATTZ_OLLAMA_BUDGET``
(seconds) bounds a whole run: once spent, the model is not asked again and the library's
workouts stand, so a run lasts at most the budget and one call.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from wattz.errors import InvalidValue

HOST_VARIABLE = "OLLAMA_HOST"
MODEL_VARIABLE = "WATTZ_MODEL"
TIMEOUT_VARIABLE = "WATTZ_OLLAMA_TIMEOUT"
BUDGET_VARIABLE = "WATTZ_OLLAMA_BUDGET"

DEFAULT_HOST = "http://127.0.0.1:11434"
"""Where ``ollama serve`` listens unless told otherwise."""
DEFAULT_MODEL = "qwen2.5:3b"
"""A small instruct model (1.9 GB) that follows a JSON Schema well and runs on a laptop
CPU; any model the server has can be named instead."""
DEFAULT_TAG = "latest"
"""A model named without a tag is ``NAME:latest``, as Ollama resolves it."""

CALL_TIMEOUT_S = 300.0
"""The longest one model call may take, first byte to last: a 3B model on a laptop CPU
writes a workout in well under a minute, so five minutes means something is wrong."""
STALL_TIMEOUT_S = 120.0
"""The longest a call may go without a byte arriving (loading a model counts)."""
PROBE_TIMEOUT_S = 3.0
"""``--generator auto`` uses Ollama only when it answers this fast: it must never make
a plan that the built-in library could write at once wait on an absent server."""
CONNECT_TIMEOUT_S = 3.0
RUN_BUDGET_S = 3600.0
"""The longest a run may keep asking the model: two blocks of key workouts from a 3B
model on a laptop CPU take 15–30 minutes; past an hour the library writes the rest."""
MAX_SECONDS = 86400.0


@dataclass(frozen=True)
class CoachConfig:
    """The server, the model (always with a tag) and the time limits of every call."""

    host: str
    model: str
    call_timeout_s: float = CALL_TIMEOUT_S
    stall_timeout_s: float = STALL_TIMEOUT_S
    probe_timeout_s: float = PROBE_TIMEOUT_S
    connect_timeout_s: float = CONNECT_TIMEOUT_S
    run_budget_s: float = RUN_BUDGET_S


def model_name(name: str) -> str:
    """``NAME`` → ``NAME:latest``; a name with a tag (``smollm2:135m``) is kept."""
    name = name.strip()
    if not name:
        raise InvalidValue("the model name is empty", f"name a model, e.g. {DEFAULT_MODEL}")
    last = name.rsplit("/", 1)[-1]
    return name if ":" in last else f"{name}:{DEFAULT_TAG}"


def coach_config(model: str | None = None) -> CoachConfig:
    """The configuration from ``--model`` and the environment."""
    host = os.environ.get(HOST_VARIABLE, "").strip() or DEFAULT_HOST
    chosen = model or os.environ.get(MODEL_VARIABLE, "").strip() or DEFAULT_MODEL
    budget = _seconds(BUDGET_VARIABLE, RUN_BUDGET_S, MAX_SECONDS, "use e.g. 1800 (1–86400)")
    limit = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if not limit:
        return CoachConfig(host, model_name(chosen), run_budget_s=budget)
    seconds = _seconds(TIMEOUT_VARIABLE, CALL_TIMEOUT_S, 3600, "use e.g. 60 (1–3600)")
    return CoachConfig(
        host,
        model_name(chosen),
        call_timeout_s=seconds,
        stall_timeout_s=min(STALL_TIMEOUT_S, seconds),
        probe_timeout_s=min(PROBE_TIMEOUT_S, seconds),
        connect_timeout_s=min(CONNECT_TIMEOUT_S, seconds),
        run_budget_s=budget,
    )


def _seconds(variable: str, default: float, most: float, hint: str) -> float:
    """A positive number of seconds from the environment (``default`` when unset)."""
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= most:
        raise InvalidValue(f"{variable}={text!r} is not a number of seconds", hint)
    return seconds

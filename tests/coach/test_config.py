"""Which server, which model, how long to wait: from --model and the environment."""

from __future__ import annotations

import pytest

from wattz.coach.config import (
    DEFAULT_HOST,
    DEFAULT_MODEL,
    RUN_BUDGET_S,
    coach_config,
    model_name,
)
from wattz.errors import InvalidValue


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("qwen2.5", "qwen2.5:latest"),
        ("smollm2:135m", "smollm2:135m"),
        ("library/llama3.2", "library/llama3.2:latest"),
        ("registry.example:5000/team/model", "registry.example:5000/team/model:latest"),
        (" phi3:mini ", "phi3:mini"),
    ],
)
def test_a_model_without_a_tag_means_latest(given: str, expected: str) -> None:
    assert model_name(given) == expected


def test_defaults_without_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OLLAMA_HOST", "WATTZ_MODEL", "WATTZ_OLLAMA_TIMEOUT", "WATTZ_OLLAMA_BUDGET"):
        monkeypatch.delenv(name, raising=False)
    config = coach_config()
    assert config.host == DEFAULT_HOST
    assert config.model == DEFAULT_MODEL
    assert config.probe_timeout_s <= 3.0
    assert config.run_budget_s == RUN_BUDGET_S


def test_environment_and_option(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_HOST", "http://10.0.0.2:11434")
    monkeypatch.setenv("WATTZ_MODEL", "llama3.2")
    monkeypatch.setenv("WATTZ_OLLAMA_TIMEOUT", "1.5")
    assert coach_config().model == "llama3.2:latest"
    config = coach_config("smollm2:135m")
    assert config.model == "smollm2:135m"
    assert config.host == "http://10.0.0.2:11434"
    assert config.call_timeout_s == 1.5
    assert config.stall_timeout_s == 1.5 and config.probe_timeout_s == 1.5
    monkeypatch.setenv("WATTZ_OLLAMA_BUDGET", "600")
    assert coach_config().run_budget_s == 600


@pytest.mark.parametrize("value", ["later", "0", "-1", "1e9"])
def test_a_bad_budget_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("WATTZ_OLLAMA_BUDGET", value)
    with pytest.raises(InvalidValue, match="WATTZ_OLLAMA_BUDGET"):
        coach_config()


@pytest.mark.parametrize("value", ["soon", "0", "-3", "99999"])
def test_a_bad_timeout_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("WATTZ_OLLAMA_TIMEOUT", value)
    with pytest.raises(InvalidValue, match="WATTZ_OLLAMA_TIMEOUT"):
        coach_config()


def test_an_empty_model_name_is_refused() -> None:
    with pytest.raises(InvalidValue):
        model_name("  ")

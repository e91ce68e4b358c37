"""The Ollama client over a real socket: probing, streaming, and every call time-limited."""

from __future__ import annotations

import dataclasses
import time
from contextlib import closing

import pytest

from tests.coach.conftest import config_for
from tests.coach.ollama_server import HANG, Reply, Script, serve, unused_port_url
from wattz.coach.client import CoachUnavailable, OllamaClient, probe

MESSAGES = [{"role": "user", "content": "hello"}]


def test_probe_lists_the_models_with_their_tags() -> None:
    with serve(Script(models=("qwen2.5:3b", "llama3.2:latest"))) as url:
        status = probe(config_for(url, "llama3.2:latest"))
    assert status.reachable and status.error is None
    assert status.models == ("llama3.2:latest", "qwen2.5:3b")
    assert status.has_model


def test_probe_of_a_server_that_is_down() -> None:
    url = unused_port_url()
    status = probe(config_for(url))
    assert not status.reachable
    assert status.error == f"Ollama at {url} is not reachable (connection refused)"


def test_probe_of_a_server_that_hangs_gives_up_at_the_limit() -> None:
    with serve(Script(hang_tags=True)) as url:
        started = time.monotonic()
        status = probe(config_for(url, timeout_s=0.5))
        elapsed = time.monotonic() - started
    assert not status.reachable
    assert status.error is not None and "did not answer within 0.5 s" in status.error
    assert elapsed < 3


def test_chat_streams_the_reply_and_passes_the_format() -> None:
    script = Script(codify=[Reply('{"a": 1}' * 20, "stop")])
    with serve(script) as url:
        with closing(OllamaClient(config_for(url))) as client:
            reply = client.chat(MESSAGES, schema={"type": "object"}, max_tokens=50, temperature=0.1)
    assert reply.content == '{"a": 1}' * 20
    assert reply.done_reason == "stop" and not reply.truncated
    [request] = script.chat_requests
    assert request["format"] == {"type": "object"}
    assert request["options"] == {"num_predict": 50, "temperature": 0.1}
    assert request["stream"] is True


def test_a_reply_cut_at_the_token_limit_is_marked() -> None:
    with serve(Script(strategy=[Reply("and so on and so on", "length")])) as url:
        with closing(OllamaClient(config_for(url))) as client:
            reply = client.chat(MESSAGES, schema=None, max_tokens=5, temperature=0.1)
    assert reply.truncated


def test_a_chat_that_hangs_times_out() -> None:
    with serve(Script(strategy=[HANG])) as url:
        started = time.monotonic()
        with closing(OllamaClient(config_for(url, timeout_s=0.5))) as client:
            with pytest.raises(CoachUnavailable, match="did not answer within 0.5 s"):
                client.chat(MESSAGES, schema=None, max_tokens=5, temperature=0.1)
        assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    ("script", "message"),
    [
        (Script(chat_status=500), "answered HTTP 500"),
        (Script(models=("other:1b",)), "has no model qwen2.5:3b"),
    ],
)
def test_server_errors_are_external_errors(script: Script, message: str) -> None:
    with serve(script) as url:
        with closing(OllamaClient(config_for(url))) as client:
            with pytest.raises(CoachUnavailable, match=message) as caught:
                client.chat(MESSAGES, schema=None, max_tokens=5, temperature=0.1)
    assert caught.value.exit_code == 3


def test_a_server_that_is_down_is_an_external_error() -> None:
    with closing(OllamaClient(config_for(unused_port_url()))) as client:
        with pytest.raises(CoachUnavailable, match="not reachable"):
            client.chat(MESSAGES, schema=None, max_tokens=5, temperature=0.1)


def test_a_model_still_writing_at_the_call_limit_is_cut_off_then_given_up() -> None:
    slow = Reply('{"steps": []}' * 10, "stop", pause_s=0.1)
    config = dataclasses.replace(config_for("", timeout_s=2.0), call_timeout_s=0.3)
    with serve(Script(strategy=[slow])) as url:
        config = dataclasses.replace(config, host=url)
        with closing(OllamaClient(config)) as client:
            reply = client.chat(MESSAGES, schema=None, max_tokens=50, temperature=0.1)
            assert reply.done_reason == "overrun" and reply.truncated
            assert 0.3 <= reply.seconds < 1.5
            with pytest.raises(CoachUnavailable, match="too slow: 2 calls ran past the 0.3 s"):
                client.chat(MESSAGES, schema=None, max_tokens=50, temperature=0.1)

"""The seam between the coach and a language model, and its Ollama implementation.

``LLMClient`` is what the generator needs: one chat call with a JSON Schema ``format``
and a token limit. ``OllamaClient`` speaks to a server through the official ``ollama``
client, streaming, so that two limits hold on every call: no gap between bytes longer
than the stall limit (a server that accepts and never answers) and no call longer than
the call limit (a server that trickles). Whatever goes wrong on the way — refused
connection, timeout, an HTTP error, a broken stream — becomes ``CoachUnavailable``
(exit 3) with one line saying what and where; what a model *writes* is never an error
here, only text for the validator.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from wattz.coach.config import CoachConfig, model_name
from wattz.errors import ExternalError

if TYPE_CHECKING:
    import ollama

Message = Mapping[str, str]
"""``{"role": "system" | "user" | "assistant", "content": "…"}``"""


OVERRUN = "overrun"
"""``done_reason`` of a reply cut off at the call limit while the model was still writing."""
MAX_OVERRUNS = 2
"""A model that outruns the call limit twice in a run is too slow for this machine: the
run stops asking it rather than spend the limit on every remaining attempt."""


class CoachUnavailable(ExternalError):
    """The Ollama server could not be used: unreachable, silent, missing the model."""


class ModelTooSlow(CoachUnavailable):
    """The server answers, but the model writes too slowly to finish within the call
    limit: the run stops asking it, and the library's workouts stand (not an error)."""


@dataclass(frozen=True)
class ChatReply:
    """What a model wrote, why it stopped, and what the call cost."""

    content: str
    done_reason: str | None
    tokens: int | None
    seconds: float

    @property
    def truncated(self) -> bool:
        """Cut off at the token limit or the call limit: a document so cut is a failed attempt."""
        return self.done_reason in ("length", OVERRUN)


class LLMClient(Protocol):
    """One chat call: messages in, text out (shaped by ``schema`` when given)."""

    @property
    def model(self) -> str: ...

    def chat(
        self,
        messages: Sequence[Message],
        *,
        schema: Mapping[str, Any] | None,
        max_tokens: int,
        temperature: float,
    ) -> ChatReply: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class ServerStatus:
    """What ``wattz coach status`` reports and ``--generator auto`` decides on."""

    host: str
    model: str
    reachable: bool
    models: tuple[str, ...]
    error: str | None

    @property
    def has_model(self) -> bool:
        return self.model in self.models


def probe(config: CoachConfig) -> ServerStatus:
    """Ask the server for its models within the probe limit; never raises."""
    client = _ollama_client(config, config.probe_timeout_s)
    try:
        listed = client.list()
    except Exception as error:  # any failure means: not usable now, and why
        return ServerStatus(config.host, config.model, False, (), _describe(error, config, "probe"))
    finally:
        _close(client)
    names = tuple(sorted({model_name(m.model) for m in listed.models if m.model}))
    return ServerStatus(config.host, config.model, True, names, None)


class OllamaClient:
    """``LLMClient`` over a real (or Ollama-compatible) server."""

    def __init__(self, config: CoachConfig) -> None:
        self.config = config
        self._client = _ollama_client(config, config.stall_timeout_s)
        self.calls = 0
        self.overruns = 0

    @property
    def model(self) -> str:
        return self.config.model

    def chat(
        self,
        messages: Sequence[Message],
        *,
        schema: Mapping[str, Any] | None,
        max_tokens: int,
        temperature: float,
    ) -> ChatReply:
        """One streamed chat call within the stall and call limits.

        No byte for the stall limit (or no connection, an HTTP error) is CoachUnavailable.
        Still writing at the call limit, the reply is cut off there (``OVERRUN``) and is a
        failed attempt like one cut at the token limit — until it happens a second time.
        """
        self.calls += 1
        started = time.monotonic()
        deadline = started + self.config.call_timeout_s
        parts: list[str] = []
        done_reason: str | None = None
        tokens: int | None = None
        finished = False
        stream: Iterator[ollama.ChatResponse] | None = None
        try:
            stream = self._client.chat(
                model=self.config.model,
                messages=[dict(m) for m in messages],
                format=dict(schema) if schema is not None else None,
                options={"num_predict": max_tokens, "temperature": temperature},
                stream=True,
            )
            for chunk in stream:
                if chunk.message is not None and chunk.message.content:
                    parts.append(chunk.message.content)
                if chunk.done:
                    done_reason = chunk.done_reason
                    tokens = chunk.eval_count
                    finished = True
                    break
                if time.monotonic() > deadline:
                    done_reason = OVERRUN
                    finished = True
                    break
        except Exception as error:
            raise CoachUnavailable(
                _describe(error, self.config, "chat"), _hint(error, self.config)
            ) from None
        finally:
            if stream is not None and hasattr(stream, "close"):
                stream.close()
        if not finished:
            raise CoachUnavailable(
                f"Ollama at {self.config.host} ended its reply without finishing it",
                "check the server's log",
            )
        if done_reason == OVERRUN:
            self.overruns += 1
            if self.overruns >= MAX_OVERRUNS:
                raise ModelTooSlow(
                    f"{self.config.model} at {self.config.host} is too slow: {self.overruns} "
                    f"calls ran past the {self.config.call_timeout_s:g} s limit",
                    "raise WATTZ_OLLAMA_TIMEOUT, choose a smaller model, or use builtin",
                )
        return ChatReply("".join(parts), done_reason, tokens, time.monotonic() - started)

    def close(self) -> None:
        _close(self._client)


def _ollama_client(config: CoachConfig, read_timeout_s: float) -> ollama.Client:
    import httpx
    import ollama

    timeout = httpx.Timeout(
        read_timeout_s,
        connect=min(config.connect_timeout_s, read_timeout_s),
        write=read_timeout_s,
        pool=read_timeout_s,
    )
    return ollama.Client(host=config.host, timeout=timeout)


def _close(client: Any) -> None:
    """Release the HTTP connections (``ollama.Client.close`` is untyped)."""
    client.close()


def _describe(error: BaseException, config: CoachConfig, what: str) -> str:
    """One line: what failed, talking to which server."""
    import httpx
    import ollama

    where = f"Ollama at {config.host}"
    if isinstance(error, TimeoutError | httpx.TimeoutException):
        limit = config.probe_timeout_s if what == "probe" else config.stall_timeout_s
        return f"{where} did not answer within {limit:g} s"
    if isinstance(error, ConnectionError | httpx.ConnectError):
        return f"{where} is not reachable (connection refused)"
    if isinstance(error, ollama.ResponseError):
        text = " ".join(str(error.error).split())[:160]
        if error.status_code == 404:
            return f"{where} has no model {config.model} ({text})"
        return f"{where} answered HTTP {error.status_code}: {text}"
    if isinstance(error, httpx.HTTPError):
        return f"{where} broke off the exchange ({type(error).__name__})"
    if isinstance(error, json.JSONDecodeError | ValueError):
        return f"{where} sent something that is not Ollama's API ({type(error).__name__})"
    return f"{where} failed: {type(error).__name__}: {error}"


def _hint(error: BaseException, config: CoachConfig) -> str:
    import ollama

    if isinstance(error, ollama.ResponseError) and error.status_code == 404:
        return f"pull it with: ollama pull {config.model}"
    return "start it with: ollama serve (or set OLLAMA_HOST), or use --generator builtin"

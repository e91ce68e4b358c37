"""A real HTTP server on 127.0.0.1 that speaks the part of Ollama's API wattz uses.

Not a patched client: the official ``ollama`` client talks to it over a socket, so
timeouts, streaming and HTTP errors are exercised for real. Replies are scripted:
``strategy`` answers calls without a ``format`` (the step in words), ``codify`` answers
calls with a JSON Schema ``format``, one item per call (the last repeats). A reply is a
string (the model's text, ``done_reason`` "stop"), a ``Reply`` (text and done_reason),
or ``HANG`` (accept the request and never answer); ``respond`` answers from the request
itself when a test needs replies that depend on the day asked about. Every request is kept in
``requests`` for assertions.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HANG = "<hang>"


@dataclass(frozen=True)
class Reply:
    content: str
    done_reason: str = "stop"
    pause_s: float = 0.0
    """Pause before each streamed piece: a model that writes slowly."""


@dataclass
class Script:
    """What the server answers; mutable so a test can change it between calls."""

    models: Sequence[str] = ("qwen2.5:3b",)
    strategy: Sequence[str | Reply] = ("Warm up 10 min, three sweet-spot efforts, cool down.",)
    codify: Sequence[str | Reply] = ()
    respond: Callable[[dict[str, Any]], str | Reply] | None = None
    """When set, answers every chat call from its request (overrides the lists)."""
    hang_tags: bool = False
    chat_status: int = 200
    requests: list[dict[str, Any]] = field(default_factory=list)
    _strategy_calls: int = 0
    _codify_calls: int = 0

    def next_reply(self, request: dict[str, Any]) -> str | Reply:
        if self.respond is not None:
            return self.respond(request)
        if request.get("format") in (None, ""):
            reply = _pick(self.strategy, self._strategy_calls)
            self._strategy_calls += 1
        else:
            reply = _pick(self.codify, self._codify_calls)
            self._codify_calls += 1
        return reply

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r.get("path") == "/api/chat"]


def _pick(replies: Sequence[str | Reply], index: int) -> str | Reply:
    if not replies:
        return Reply("", "stop")
    return replies[min(index, len(replies) - 1)]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_GET(self) -> None:
        script = self.server.script
        script.requests.append({"path": self.path})
        if self.path == "/":
            self._send(200, b"Ollama is running", "text/plain")
        elif self.path == "/api/version":
            self._json(200, {"version": "0.0.0-test"})
        elif self.path == "/api/tags":
            if script.hang_tags:
                self.server.stopping.wait()
                return
            self._json(200, {"models": [{"name": m, "model": m} for m in script.models]})
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        script = self.server.script
        script.requests.append({"path": self.path, **body})
        if self.path != "/api/chat":
            self._json(404, {"error": "not found"})
            return
        if script.chat_status != 200:
            self._json(script.chat_status, {"error": "scripted failure"})
            return
        if body.get("model") not in script.models:
            self._json(404, {"error": f"model '{body.get('model')}' not found"})
            return
        reply = script.next_reply(body)
        if reply == HANG:
            self.server.stopping.wait()
            return
        if isinstance(reply, str):
            reply = Reply(reply)
        final = {
            "model": body["model"],
            "created_at": "2026-11-25T00:00:00Z",
            "done": True,
            "done_reason": reply.done_reason,
            "eval_count": max(len(reply.content) // 4, 1),
        }
        if not body.get("stream", True):
            final["message"] = {"role": "assistant", "content": reply.content}
            self._json(200, final)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for piece in _pieces(reply.content):
            if reply.pause_s and self.server.stopping.wait(reply.pause_s):
                return
            self._chunk(
                {
                    "model": body["model"],
                    "created_at": "2026-11-25T00:00:00Z",
                    "message": {"role": "assistant", "content": piece},
                    "done": False,
                }
            )
        self._chunk({**final, "message": {"role": "assistant", "content": ""}})
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _chunk(self, obj: dict[str, Any]) -> None:
        data = (json.dumps(obj) + "\n").encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _json(self, status: int, obj: dict[str, Any]) -> None:
        self._send(status, json.dumps(obj).encode(), "application/json")

    def _send(self, status: int, data: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _pieces(text: str, size: int = 40) -> Iterator[str]:
    for start in range(0, len(text), size):
        yield text[start : start + size]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script: Script) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = script
        self.stopping = threading.Event()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-reply (a time limit did its job) is not news."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


@contextmanager
def serve(script: Script) -> Iterator[str]:
    """Run the scripted server in a thread; yields its URL (for OLLAMA_HOST)."""
    server = _Server(script)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def unused_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (a server that is down)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"

"""A recorded Garmin Connect, for tests and offline demos: a ``requests`` transport adapter
that answers from recorded responses instead of the network (like httpx's MockTransport).

Mount it through ``GarminConnect.login(..., transport=)`` / ``GarminConnect.resume``;
every request is kept in ``requests`` so a test can check what was sent. A request with
no recording raises ``requests.exceptions.ConnectionError``, exactly what an unreachable
Garmin looks like, so a missing recording can never reach the real service.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from requests import PreparedRequest, Response
from requests.adapters import BaseAdapter
from requests.exceptions import ConnectionError as RequestsConnectionError
from requests.structures import CaseInsensitiveDict


@dataclass(frozen=True)
class Recorded:
    """One recorded answer: a status and a JSON document, raw bytes or form text."""

    status: int = 200
    json: Any = None
    body: bytes | None = None
    content_type: str | None = None

    def content(self) -> bytes:
        if self.body is not None:
            return self.body
        if self.json is None:
            return b""
        return json.dumps(self.json).encode()


@dataclass
class ReplayTransport(BaseAdapter):
    """Answers ``METHOD host/path`` from ``routes``: a route may name the query
    (``…?date=2026-11-24``), or end in ``*`` to answer every path it begins. A route may
    hold a list of answers, given in turn (the last one repeats).
    """

    routes: Mapping[str, Recorded | Sequence[Recorded]]
    requests: list[PreparedRequest] = field(default_factory=list)
    _served: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__()

    def send(self, request: PreparedRequest, *args: object, **kwargs: object) -> Response:
        self.requests.append(request)
        parts = urlsplit(request.url or "")
        route = f"{request.method} {parts.netloc}{parts.path}"
        key = self._route_for(route, parts.query)
        if key is None:
            raise RequestsConnectionError(f"no recording for {route}", request=request)
        answers = self.routes[key]
        if isinstance(answers, Recorded):
            answer = answers
        else:
            index = self._served.get(key, 0)
            answer = answers[min(index, len(answers) - 1)]
            self._served[key] = index + 1
        return _response(request, answer)

    def close(self) -> None:
        """Nothing to release."""

    def _route_for(self, route: str, query: str) -> str | None:
        """The exact route with its query, else without, else the longest ``prefix*``."""
        for key in (f"{route}?{query}", route):
            if key in self.routes:
                return key
        prefixes = [k for k in self.routes if k.endswith("*") and route.startswith(k[:-1])]
        return max(prefixes, key=len) if prefixes else None

    def sent(self, method: str, path_part: str) -> list[PreparedRequest]:
        """The requests made with ``method`` whose URL contains ``path_part``."""
        return [r for r in self.requests if r.method == method and path_part in (r.url or "")]


class Unreachable(BaseAdapter):
    """Every request fails as if the network were down."""

    def send(self, request: PreparedRequest, *args: object, **kwargs: object) -> Response:
        raise RequestsConnectionError("network is unreachable", request=request)

    def close(self) -> None:
        """Nothing to release."""


def _response(request: PreparedRequest, answer: Recorded) -> Response:
    response = Response()
    response.status_code = answer.status
    response._content = answer.content()
    content_type = answer.content_type or (
        "application/json" if answer.json is not None else "application/octet-stream"
    )
    response.headers = CaseInsensitiveDict({"Content-Type": content_type})
    response.encoding = "utf-8"
    response.url = request.url or ""
    response.request = request
    response.reason = "OK" if answer.status < 400 else "Error"
    return response

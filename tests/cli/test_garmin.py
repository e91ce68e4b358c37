"""``wattz garmin``: the password is never echoed nor printed, tokens stay private, and
Garmin being unreachable or the login expired exits 3 with one line."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.sources.test_garmin import (  # noqa: F401 - fixture
    API,
    LOGIN_ROUTES,
    SECRET_ACCESS,
    SECRET_OAUTH1,
    no_network,
)
from wattz.model.store import dispose_engines
from wattz.sources.garmin import GarminConnect
from wattz.sources.garmin_replay import Recorded, ReplayTransport, Unreachable


@pytest.fixture(autouse=True)
def athlete() -> Iterator[None]:
    dispose_engines()
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    yield
    dispose_engines()


ORIGINAL_LOGIN = GarminConnect.__dict__["login"].__func__
ORIGINAL_RESUME = GarminConnect.__dict__["resume"].__func__


def replay_garmin(monkeypatch: pytest.MonkeyPatch, transport: object) -> None:
    """Route the commands' Garmin traffic to ``transport`` instead of the network."""
    login, resume = ORIGINAL_LOGIN, ORIGINAL_RESUME
    monkeypatch.setattr(
        GarminConnect,
        "login",
        classmethod(lambda cls, *a, **k: login(cls, *a, **{**k, "transport": transport})),
    )
    monkeypatch.setattr(
        GarminConnect,
        "resume",
        classmethod(lambda cls, *a, **k: resume(cls, *a, **{**k, "transport": transport})),
    )


def test_login_prompts_hides_the_password_and_keeps_tokens_private(
    monkeypatch: pytest.MonkeyPatch, wattz_home: Path
) -> None:
    replay_garmin(monkeypatch, ReplayTransport(LOGIN_ROUTES))

    result = run("garmin", "login", "--email", "rider@example.com", input="hunter2\n")

    assert result.exit_code == 0, result.stderr
    everything = result.stdout + result.stderr
    assert "hunter2" not in everything
    assert SECRET_ACCESS not in everything and SECRET_OAUTH1 not in everything
    tokens = wattz_home / "garmin" / "default" / "tokens"
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in tokens.glob("*.json"))


def test_sync_without_login_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("garmin", "sync")

    assert result.exit_code == 1
    assert "wattz garmin login" in result.stderr


def test_sync_with_garmin_unreachable_exits_3(monkeypatch: pytest.MonkeyPatch) -> None:
    replay_garmin(monkeypatch, ReplayTransport(LOGIN_ROUTES))
    run("garmin", "login", "--email", "a@b.c", input="pw\n")
    replay_garmin(monkeypatch, Unreachable())

    result = run("garmin", "sync")

    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "unreachable" in result.stderr


def test_sync_with_an_expired_login_exits_3(monkeypatch: pytest.MonkeyPatch) -> None:
    replay_garmin(monkeypatch, ReplayTransport(LOGIN_ROUTES))
    run("garmin", "login", "--email", "a@b.c", input="pw\n")
    replay_garmin(
        monkeypatch,
        ReplayTransport(
            {f"GET {API}/activitylist-service/activities/search/activities": Recorded(status=401)}
        ),
    )

    result = run("garmin", "sync")

    assert result.exit_code == 3
    assert "expired" in result.stderr and "wattz garmin login" in result.stderr


def test_a_quiet_sync_says_what_it_did(monkeypatch: pytest.MonkeyPatch) -> None:
    replay_garmin(monkeypatch, ReplayTransport(LOGIN_ROUTES))
    run("garmin", "login", "--email", "a@b.c", input="pw\n")
    replay_garmin(
        monkeypatch,
        ReplayTransport(
            {
                f"GET {API}/activitylist-service/activities/search/activities": Recorded(json=[]),
                f"GET {API}/hrv-service/hrv/*": Recorded(status=204),
                f"GET {API}/wellness-service/wellness/dailyHeartRate/": Recorded(json={}),
            }
        ),
    )

    result = run("garmin", "sync", "--days", "3")

    assert result.exit_code == 0, result.stderr
    assert "0 activities on Garmin, 0 new; 0 days of wellness; 0 workouts uploaded" in result.stdout

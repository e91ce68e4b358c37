"""Garmin Connect through garth, replayed at the HTTP edge: login saves tokens 0600, data
comes back typed, and an unreachable Garmin or an expired login is one line, exit 3."""

from __future__ import annotations

import io
import stat
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.adapt.helpers import THRESHOLD
from tests.conftest import CORPUS, requires_corpus
from wattz.errors import ExternalError, InvalidValue, NotFound
from wattz.sources.garmin import GarminConnect
from wattz.sources.garmin_replay import Recorded, ReplayTransport, Unreachable
from wattz.sources.garmin_workout import garmin_workout

API = "connectapi.garmin.com"
SECRET_ACCESS = "access-token-secret-value"
SECRET_OAUTH1 = "oauth1-secret-value"


def oauth2(expires_in: int = 3600) -> dict[str, Any]:
    return {
        "scope": "CONNECT_READ CONNECT_WRITE",
        "jti": "jti-1",
        "token_type": "Bearer",
        "access_token": SECRET_ACCESS,
        "refresh_token": "refresh-token-value",
        "expires_in": expires_in,
        "refresh_token_expires_in": 30 * 86400,
    }


LOGIN_ROUTES: dict[str, Recorded] = {
    "GET sso.garmin.com/mobile/sso/en/sign-in": Recorded(body=b"<html></html>"),
    "POST sso.garmin.com/mobile/api/login": Recorded(
        json={"responseStatus": {"type": "SUCCESSFUL"}, "serviceTicketId": "ST-0001"}
    ),
    "GET sso.garmin.com/portal/sso/embed": Recorded(body=b"<html></html>"),
    f"GET {API}/oauth-service/oauth/preauthorized": Recorded(
        body=f"oauth_token=oauth1-token&oauth_token_secret={SECRET_OAUTH1}".encode(),
        content_type="text/plain",
    ),
    f"POST {API}/oauth-service/oauth/exchange/user/2.0": Recorded(json=oauth2()),
}


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """garth fetches its OAuth consumer with a bare requests.get; the real network is
    never reached: anything not replayed fails like a dead connection."""
    import requests
    from requests.adapters import HTTPAdapter

    from wattz.sources.garmin import load_garth

    garth = load_garth()
    monkeypatch.setattr(garth.sso, "OAUTH_CONSUMER", {"consumer_key": "k", "consumer_secret": "s"})

    def refuse(*_: object, **__: object) -> None:
        raise requests.exceptions.ConnectionError("tests never reach the network")

    monkeypatch.setattr(HTTPAdapter, "send", refuse)
    monkeypatch.setattr(requests, "get", refuse)
    yield


def logged_in(
    tmp_path: Path, routes: dict[str, Recorded] | None = None
) -> tuple[Path, ReplayTransport]:
    folder = tmp_path / "tokens"
    GarminConnect.login(
        "rider@example.com", "hunter2", folder, transport=ReplayTransport(LOGIN_ROUTES)
    )
    return folder, ReplayTransport(routes or {})


def test_login_saves_the_tokens_readable_by_the_owner_only(tmp_path: Path) -> None:
    transport = ReplayTransport(LOGIN_ROUTES)
    folder = tmp_path / "tokens"

    GarminConnect.login("rider@example.com", "hunter2", folder, transport=transport)

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in ("oauth1_token.json", "oauth2_token.json"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    assert SECRET_ACCESS in (folder / "oauth2_token.json").read_text()
    assert b"rider@example.com" in (transport.sent("POST", "/mobile/api/login")[0].body or b"")


def test_refused_credentials_are_an_external_error(tmp_path: Path) -> None:
    routes = {**LOGIN_ROUTES, "POST sso.garmin.com/mobile/api/login": Recorded(status=401)}

    with pytest.raises(ExternalError, match="refused the login") as caught:
        GarminConnect.login("a@b.c", "wrong", tmp_path / "t", transport=ReplayTransport(routes))

    assert caught.value.exit_code == 3
    assert not (tmp_path / "t").exists()


def test_without_a_login_the_athlete_is_told_to_log_in(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="wattz garmin login"):
        GarminConnect.resume(tmp_path / "nothing")


def test_damaged_tokens_ask_for_a_new_login(tmp_path: Path) -> None:
    folder, _ = logged_in(tmp_path)
    (folder / "oauth2_token.json").write_text("{not json")

    with pytest.raises(InvalidValue, match="log in again"):
        GarminConnect.resume(folder)


def test_activities_since_a_day_stop_at_older_ones(tmp_path: Path) -> None:
    listing = [
        {"activityId": 3, "activityName": "Intervals", "startTimeGMT": "2026-11-24 07:00:00",
         "activityType": {"typeKey": "indoor_cycling"}},
        {"activityId": 2, "activityName": "Run", "startTimeGMT": "2026-11-20 18:00:00",
         "activityType": {"typeKey": "running"}},
        {"activityId": 1, "activityName": "Old", "startTimeGMT": "2026-10-01 09:00:00",
         "activityType": {"typeKey": "road_biking"}},
    ]  # fmt: skip
    folder, transport = logged_in(
        tmp_path,
        {f"GET {API}/activitylist-service/activities/search/activities": Recorded(json=listing)},
    )
    import datetime as dt

    found = GarminConnect.resume(folder, transport=transport).activities(dt.date(2026, 11, 11))

    assert [(a.activity_id, a.sport) for a in found] == [(3, "indoor_cycling"), (2, "running")]
    assert found[0].start == dt.datetime(2026, 11, 24, 7, tzinfo=dt.UTC)
    authorization = transport.requests[0].headers["Authorization"]
    assert authorization == f"Bearer {SECRET_ACCESS}"


@requires_corpus
def test_a_download_is_unzipped_to_the_original_fit(tmp_path: Path) -> None:
    fit = (CORPUS / "fit" / "activities" / "Garmin830_with_Stages.fit").read_bytes()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("123_ACTIVITY.fit", fit)
    folder, transport = logged_in(
        tmp_path,
        {f"GET {API}/download-service/files/activity/123": Recorded(body=archive.getvalue())},
    )

    assert GarminConnect.resume(folder, transport=transport).download_fit(123) == fit


def test_hrv_and_resting_heart_rate_read_or_none(tmp_path: Path) -> None:
    import datetime as dt

    folder, transport = logged_in(
        tmp_path,
        {
            f"GET {API}/hrv-service/hrv/2026-11-24": Recorded(
                json={"hrvSummary": {"calendarDate": "2026-11-24", "lastNightAvg": 61}}
            ),
            f"GET {API}/hrv-service/hrv/*": Recorded(status=204),
            f"GET {API}/wellness-service/wellness/dailyHeartRate/?date=2026-11-24": Recorded(
                json={"calendarDate": "2026-11-24", "restingHeartRate": 47}
            ),
            f"GET {API}/wellness-service/wellness/dailyHeartRate/": Recorded(
                json={"restingHeartRate": None}
            ),
        },
    )
    connect = GarminConnect.resume(folder, transport=transport)

    assert connect.hrv_ms(dt.date(2026, 11, 24)) == 61.0
    assert connect.resting_hr_bpm(dt.date(2026, 11, 24)) == 47
    assert connect.hrv_ms(dt.date(2026, 11, 23)) is None
    assert connect.resting_hr_bpm(dt.date(2026, 11, 23)) is None


def test_an_unreachable_garmin_is_one_line_exit_3(tmp_path: Path) -> None:
    import datetime as dt

    folder, _ = logged_in(tmp_path)
    connect = GarminConnect.resume(folder, transport=Unreachable())

    with pytest.raises(ExternalError) as caught:
        connect.activities(dt.date(2026, 11, 1))

    assert caught.value.exit_code == 3
    assert "unreachable" in str(caught.value) and "\n" not in str(caught.value)


def test_an_expired_login_is_exit_3_and_asks_for_a_new_one(tmp_path: Path) -> None:
    import datetime as dt
    import json

    folder, _ = logged_in(tmp_path)
    tokens = json.loads((folder / "oauth2_token.json").read_text())
    tokens["expires_at"] = int(time.time()) - 60
    (folder / "oauth2_token.json").write_text(json.dumps(tokens))
    transport = ReplayTransport(
        {f"POST {API}/oauth-service/oauth/exchange/user/2.0": Recorded(status=401)}
    )

    with pytest.raises(ExternalError, match="expired") as caught:
        GarminConnect.resume(folder, transport=transport).hrv_ms(dt.date(2026, 11, 24))

    assert caught.value.exit_code == 3
    assert "wattz garmin login" in str(caught.value)
    assert SECRET_ACCESS not in str(caught.value)


def test_an_api_refusal_of_a_valid_looking_token_is_an_expired_login(tmp_path: Path) -> None:
    import datetime as dt

    folder, _ = logged_in(tmp_path)
    transport = ReplayTransport({f"GET {API}/hrv-service/hrv/*": Recorded(status=401)})

    with pytest.raises(ExternalError, match="expired"):
        GarminConnect.resume(folder, transport=transport).hrv_ms(dt.date(2026, 11, 24))


def test_a_workout_uploads_and_is_scheduled(tmp_path: Path) -> None:
    import datetime as dt
    import json

    folder, transport = logged_in(
        tmp_path,
        {
            f"POST {API}/workout-service/workout": Recorded(json={"workoutId": 9001}),
            f"POST {API}/workout-service/schedule/*": Recorded(json={"workoutScheduleId": 5}),
        },
    )
    connect = GarminConnect.resume(folder, transport=transport)

    workout_id = connect.upload_workout(garmin_workout(THRESHOLD, 250))
    connect.schedule_workout(workout_id, dt.date(2026, 11, 26))

    assert workout_id == 9001
    scheduled = transport.sent("POST", "/workout-service/schedule/9001")
    assert json.loads(scheduled[0].body or b"{}") == {"date": "2026-11-26"}


def test_an_awp_workout_becomes_garmin_steps_in_watts() -> None:
    from tests.adapt.helpers import steady
    from wattz.awp.models import Workout

    steps = [
        {"type": "Warmup", "duration": 600, "power": {"type": "ramp", "start": 0.5, "end": 0.7}},
        {"type": "Repeat", "repeats": 3, "content": [steady(300, 1.05), steady(180, 0.5, "rest")]},
        {"type": "FreeRide", "duration": 300},
    ]
    document = Workout.model_validate(
        {"meta": {"title": "VO2", "totalDurationSeconds": 2340}, "steps": steps}
    )

    sent = garmin_workout(document, 250)

    steps = sent["workoutSegments"][0]["workoutSteps"]
    assert [s["stepOrder"] for s in steps] == [1, 2, 5]
    assert (steps[0]["targetValueOne"], steps[0]["targetValueTwo"]) == (125, 175)
    repeat = steps[1]
    assert repeat["type"] == "RepeatGroupDTO" and repeat["numberOfIterations"] == 3
    work, rest = repeat["workoutSteps"]
    assert work["stepType"]["stepTypeKey"] == "interval"
    assert (work["targetValueOne"], work["targetValueTwo"]) == (255, 270)  # 262 W ± 3 %
    assert rest["stepType"]["stepTypeKey"] == "recovery"
    assert steps[2]["targetType"]["workoutTargetTypeKey"] == "no.target"

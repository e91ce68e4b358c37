"""Garmin Connect through garth: log in once, then download activities and wellness and
upload workouts with the saved tokens.

The seam is the HTTP transport: garth speaks through a ``requests.Session``, and a
``requests`` transport adapter mounted on it (``transport=``) replaces the network —
tests replay recorded responses with ``wattz.sources.garmin_replay``. Every failure of
Garmin or the network is an ``ExternalError`` (exit 3) in one line; a missing login is
a ``NotFound`` (exit 1: run ``wattz garmin login``).

Tokens are garth's two JSON files in a folder of their own, created 0700 with files
0600 before anything is written into them; they are never printed or logged.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wattz.errors import ExternalError, InvalidValue, NotFound

if TYPE_CHECKING:
    from requests.adapters import BaseAdapter

TOKEN_FILES = ("oauth1_token.json", "oauth2_token.json")
TOKEN_FILE_MODE = 0o600
TOKEN_DIR_MODE = 0o700
ACTIVITY_PAGE_SIZE = 50
LOGIN_AGAIN = "log in again: wattz garmin login"


@dataclass(frozen=True)
class GarminActivity:
    """One entry of Garmin Connect's activity list."""

    activity_id: int
    name: str | None
    start: dt.datetime | None
    """Start time, UTC."""
    sport: str | None


class GarminConnect:
    """A logged-in Garmin Connect account (a thin, typed face over ``garth.Client``)."""

    def __init__(self, client: Any, token_dir: Path) -> None:
        self._client = client
        self._token_dir = token_dir

    @classmethod
    def resume(cls, token_dir: Path, transport: BaseAdapter | None = None) -> GarminConnect:
        """The account whose tokens were saved in ``token_dir`` by ``login``."""
        if not all((token_dir / name).is_file() for name in TOKEN_FILES):
            raise NotFound("not logged in to Garmin Connect", "log in with: wattz garmin login")
        client = _client(transport)
        try:
            client.load(str(token_dir))
        except (OSError, ValueError, TypeError) as error:
            raise InvalidValue(
                f"the saved Garmin Connect login is damaged ({type(error).__name__})", LOGIN_AGAIN
            ) from None
        if transport is not None:
            # load() reconfigures the session and mounts garth's own adapter again.
            client.sess.mount("https://", transport)
        return cls(client, token_dir)

    @classmethod
    def login(
        cls,
        email: str,
        password: str,
        token_dir: Path,
        transport: BaseAdapter | None = None,
        prompt_mfa: Callable[[], str] | None = None,
    ) -> GarminConnect:
        """Log in with Garmin's SSO and save the tokens in ``token_dir`` (mode 0600)."""
        client = _client(transport)
        with _garmin_errors(logging_in=True):
            result = client.login(email, password, prompt_mfa=prompt_mfa)
        if result and result[0] == "needs_mfa":
            raise InvalidValue(
                "Garmin Connect asks for a two-factor code", "run the login in a terminal"
            )
        connect = cls(client, token_dir)
        connect.save_tokens()
        return connect

    def save_tokens(self) -> None:
        """Write the tokens (refreshed ones too) readable by the owner only."""
        directory = self._token_dir
        directory.mkdir(parents=True, exist_ok=True, mode=TOKEN_DIR_MODE)
        os.chmod(directory, TOKEN_DIR_MODE)
        for name in TOKEN_FILES:
            path = directory / name
            # Create (or narrow) the file first, so the secret never sits in a 0644 file.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, TOKEN_FILE_MODE)
            os.close(descriptor)
            os.chmod(path, TOKEN_FILE_MODE)
        self._client.dump(str(directory))

    def activities(self, since: dt.date) -> list[GarminActivity]:
        """Activities started on or after ``since``, newest first."""
        found: list[GarminActivity] = []
        start = 0
        while True:
            with _garmin_errors():
                page = self._client.connectapi(
                    "/activitylist-service/activities/search/activities",
                    params={"start": start, "limit": ACTIVITY_PAGE_SIZE},
                )
            if not isinstance(page, list) or not page:
                return found
            for entry in page:
                activity = _activity(entry)
                if activity is None:
                    continue
                if activity.start is not None and activity.start.date() < since:
                    return found
                found.append(activity)
            if len(page) < ACTIVITY_PAGE_SIZE:
                return found
            start += ACTIVITY_PAGE_SIZE

    def download_fit(self, activity_id: int) -> bytes:
        """The activity's original FIT file (Connect wraps it in a zip)."""
        with _garmin_errors():
            payload: bytes = self._client.download(
                f"/download-service/files/activity/{activity_id}"
            )
        if payload[:2] != b"PK":
            return payload
        try:
            with zipfile.ZipFile(io.BytesIO(payload)) as archive:
                names = [n for n in archive.namelist() if n.lower().endswith(".fit")]
                if not names:
                    raise ExternalError(
                        f"Garmin Connect sent activity {activity_id} without a FIT file",
                        "download it from the web site instead",
                    )
                return archive.read(names[0])
        except zipfile.BadZipFile:
            raise ExternalError(
                f"Garmin Connect sent a damaged download for activity {activity_id}",
                "try the sync again",
            ) from None

    def hrv_ms(self, day: dt.date) -> float | None:
        """Last night's average HRV (rMSSD, ms) for ``day``, if the watch measured it."""
        with _garmin_errors():
            data = self._client.connectapi(f"/hrv-service/hrv/{day.isoformat()}")
        summary = data.get("hrvSummary") if isinstance(data, dict) else None
        value = summary.get("lastNightAvg") if isinstance(summary, dict) else None
        return float(value) if isinstance(value, int | float) else None

    def resting_hr_bpm(self, day: dt.date) -> int | None:
        """The day's resting heart rate, if the watch measured it."""
        with _garmin_errors():
            data = self._client.connectapi(
                "/wellness-service/wellness/dailyHeartRate/", params={"date": day.isoformat()}
            )
        value = data.get("restingHeartRate") if isinstance(data, dict) else None
        return int(value) if isinstance(value, int | float) else None

    def upload_workout(self, document: dict[str, Any]) -> int:
        """Create a workout in the account's library; returns Garmin's workout id."""
        with _garmin_errors():
            created = self._client.connectapi(
                "/workout-service/workout", method="POST", json=document
            )
        workout_id = created.get("workoutId") if isinstance(created, dict) else None
        if not isinstance(workout_id, int):
            raise ExternalError(
                "Garmin Connect did not return the new workout's id", "try the sync again"
            )
        return workout_id

    def schedule_workout(self, workout_id: int, day: dt.date) -> None:
        """Put a library workout on the account's calendar (the watch picks it up)."""
        with _garmin_errors():
            self._client.connectapi(
                f"/workout-service/schedule/{workout_id}",
                method="POST",
                json={"date": day.isoformat()},
            )


def load_garth() -> Any:
    """Import garth, quieting the DeprecationWarning it raises on import.

    garth 0.8 announces on import that it is no longer maintained (its discussion #222:
    Garmin's SSO changes broke it once too often for its author). It still works for the
    endpoints used here; the warning is for the project to weigh (a successor library, or
    Garmin's own export), not for every user's terminal.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="garth")
        warnings.filterwarnings(
            "ignore", message="Garth is deprecated", category=DeprecationWarning
        )
        import garth
        import garth.exc
        import garth.sso
    return garth


def _client(transport: BaseAdapter | None) -> Any:
    garth = load_garth()
    client = garth.Client()
    if transport is not None:
        client.sess.mount("https://", transport)
    return client


def _activity(entry: Any) -> GarminActivity | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("activityId"), int):
        return None
    start: dt.datetime | None = None
    raw = entry.get("startTimeGMT")
    if isinstance(raw, str):
        try:
            start = dt.datetime.fromisoformat(raw).replace(tzinfo=dt.UTC)
        except ValueError:
            start = None
    kind = entry.get("activityType")
    sport = kind.get("typeKey") if isinstance(kind, dict) else None
    name = entry.get("activityName")
    return GarminActivity(
        activity_id=entry["activityId"],
        name=name if isinstance(name, str) else None,
        start=start,
        sport=sport if isinstance(sport, str) else None,
    )


@contextmanager
def _garmin_errors(logging_in: bool = False) -> Iterator[None]:
    """Garmin's and the network's failures as one-line ExternalErrors (exit 3)."""
    import requests

    garth = load_garth()
    GarthException, GarthHTTPError = garth.exc.GarthException, garth.exc.GarthHTTPError
    try:
        yield
    except GarthHTTPError as error:
        status = getattr(error.error.response, "status_code", None)
        if status in (401, 403):
            if logging_in:
                raise ExternalError(
                    "Garmin Connect refused the login", "check the email and password"
                ) from None
            raise ExternalError(
                "Garmin Connect refused the saved login (it expired or was revoked)", LOGIN_AGAIN
            ) from None
        if status == 429:
            raise ExternalError(
                "Garmin Connect is limiting requests", "wait a while and sync again"
            ) from None
        raise ExternalError(f"Garmin Connect failed (HTTP {status})", "try again later") from None
    except requests.exceptions.HTTPError as error:
        status = getattr(error.response, "status_code", None)
        if status in (401, 403):
            raise ExternalError(
                "Garmin Connect refused the saved login (it expired or was revoked)", LOGIN_AGAIN
            ) from None
        raise ExternalError(f"Garmin Connect failed (HTTP {status})", "try again later") from None
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
        raise ExternalError(
            f"Garmin Connect is unreachable ({type(error).__name__})",
            "check the network connection and try again",
        ) from None
    except requests.exceptions.RequestException as error:
        raise ExternalError(
            f"Garmin Connect request failed ({type(error).__name__})", "try again later"
        ) from None
    except GarthException as error:
        raise ExternalError(f"Garmin Connect: {error.msg}", LOGIN_AGAIN) from None
    except AssertionError:
        # garth asserts an OAuth1 token before API calls.
        raise ExternalError("the saved Garmin Connect login is incomplete", LOGIN_AGAIN) from None
    except ValueError:
        # A body that is not the JSON Connect promised (a maintenance page, a proxy).
        raise ExternalError(
            "Garmin Connect answered with something other than JSON", "try again later"
        ) from None

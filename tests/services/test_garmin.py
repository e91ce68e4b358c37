"""``garmin sync``: new activities in as FIT files, HRV and resting HR into wellness, the
coming week's workouts uploaded once — all against recorded Garmin responses."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from tests.conftest import CORPUS, requires_corpus
from tests.services.test_rides import _plan_with_workout
from tests.sources.test_garmin import API, LOGIN_ROUTES, no_network  # noqa: F401 - fixture
from wattz.errors import ExternalError, NotFound
from wattz.model.store import dispose_engines, session_scope
from wattz.model.tables import Athlete
from wattz.services.athletes import set_athlete
from wattz.services.garmin import garmin_login, garmin_sync
from wattz.services.rides import list_rides
from wattz.services.wellness import list_wellness
from wattz.sources.garmin_replay import Recorded, ReplayTransport, Unreachable

TODAY = dt.date(2026, 11, 25)
RIDE = CORPUS / "fit" / "activities" / "Garmin830_with_Stages.fit"


@pytest.fixture
def session() -> Iterator[Session]:
    dispose_engines()
    with session_scope() as session:
        yield session
    dispose_engines()


@pytest.fixture
def athlete(session: Session, tmp_path: Path) -> Athlete:
    record = set_athlete(session, name=None, ftp_w=250, lthr_bpm=165, time_zone="UTC")
    garmin_login(
        tmp_path, record, "rider@example.com", "pw", transport=ReplayTransport(LOGIN_ROUTES)
    )
    return record


def zipped(data: bytes) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("77_ACTIVITY.fit", data)
    return archive.getvalue()


def garmin(fit: bytes) -> ReplayTransport:
    return ReplayTransport(
        {
            f"GET {API}/activitylist-service/activities/search/activities": Recorded(
                json=[
                    {
                        "activityId": 77,
                        "activityName": "Trainer",
                        "startTimeGMT": "2026-11-24 07:00:00",
                        "activityType": {"typeKey": "indoor_cycling"},
                    },
                ]
            ),  # fmt: skip
            f"GET {API}/download-service/files/activity/77": Recorded(body=zipped(fit)),
            f"GET {API}/hrv-service/hrv/2026-11-24": Recorded(
                json={"hrvSummary": {"lastNightAvg": 58}}
            ),
            f"GET {API}/hrv-service/hrv/*": Recorded(status=204),
            f"GET {API}/wellness-service/wellness/dailyHeartRate/?date=2026-11-24": Recorded(
                json={"restingHeartRate": 49}
            ),
            f"GET {API}/wellness-service/wellness/dailyHeartRate/": Recorded(json={}),
            f"POST {API}/workout-service/workout": Recorded(json={"workoutId": 555}),
            f"POST {API}/workout-service/schedule/*": Recorded(json={}),
        }
    )


@requires_corpus
def test_a_sync_brings_rides_and_wellness_in_and_puts_workouts_out(
    session: Session, athlete: Athlete, tmp_path: Path
) -> None:
    workout_id = _plan_with_workout(session, athlete, TODAY + dt.timedelta(days=2), minutes=45)
    transport = garmin(RIDE.read_bytes())

    first = garmin_sync(session, athlete, tmp_path, TODAY, transport=transport)
    second = garmin_sync(session, athlete, tmp_path, TODAY, transport=garmin(RIDE.read_bytes()))

    assert first.downloaded == 1 and len(first.rides.imported) == 1
    assert [u.planned_workout_id for u in first.uploaded] == [workout_id]
    assert transport.sent("POST", "/workout-service/schedule/555")
    assert first.wellness_days == 1
    assert [(w.date, w.hrv_ms, w.rhr_bpm) for w in list_wellness(session, athlete)] == [
        (dt.date(2026, 11, 24), 58.0, 49)
    ]
    assert not second.rides.imported and len(second.rides.duplicates) == 1
    assert not second.uploaded and second.already_uploaded == 1
    assert len(list_rides(session, athlete)) == 1


def test_sync_without_a_login_asks_for_one(session: Session, tmp_path: Path) -> None:
    record = set_athlete(session, name=None, ftp_w=250)

    with pytest.raises(NotFound, match="wattz garmin login"):
        garmin_sync(session, record, tmp_path, TODAY)


def test_an_unreachable_garmin_stops_the_sync_with_exit_3(
    session: Session, athlete: Athlete, tmp_path: Path
) -> None:
    with pytest.raises(ExternalError) as caught:
        garmin_sync(session, athlete, tmp_path, TODAY, transport=Unreachable())

    assert caught.value.exit_code == 3

"""Importing rides: every corpus file in, damaged ones noted in one line, a bad file never
stops the rest, importing twice adds nothing; rides listed with the contract's keys,
matched to the plan with their compliance, surveyed, recomputed when FTP changes."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from tests.adapt.helpers import steady, workout
from tests.conftest import CORPUS, requires_corpus
from wattz.errors import Conflict, InvalidValue, NotFound
from wattz.model.store import dispose_engines, session_scope
from wattz.model.tables import Athlete, Block, Goal, Plan, PlannedWorkout, Week
from wattz.plan.domain import Reason
from wattz.services.athletes import set_athlete
from wattz.services.rides import (
    import_rides,
    list_rides,
    log_ride,
    recompute_metrics,
    ride_detail,
)

ACTIVITIES = CORPUS / "fit" / "activities"
CONTRACT_KEYS = {
    "id",
    "start",
    "sport",
    "duration_s",
    "avg_power_w",
    "np_w",
    "if",
    "tss",
    "tss_source",
    "avg_hr_bpm",
    "planned_workout_id",
    "compliance",
}


@pytest.fixture
def session() -> Iterator[Session]:
    dispose_engines()
    with session_scope() as session:
        yield session
    dispose_engines()


@pytest.fixture
def athlete(session: Session) -> Athlete:
    return set_athlete(session, name=None, ftp_w=250, lthr_bpm=165, time_zone="UTC")


def copy_rides(folder: Path, *names: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(ACTIVITIES / name, folder / name)
    return folder


@requires_corpus
def test_the_whole_corpus_imports_once(session: Session, athlete: Athlete) -> None:
    seen: list[tuple[int, int]] = []

    first = import_rides(session, athlete, [ACTIVITIES], progress=lambda *p: seen.append(p))
    second = import_rides(session, athlete, [ACTIVITIES], workers=1)

    # The truncated and the corrupt-header files are two broken copies of one recording
    # (same start, same sport): the second is recognised, not counted twice in fitness.
    assert len(first.imported) == 14 and not first.failed
    assert [Path(d.path).name for d in first.duplicates] == ["activity-unexpected-eof.fit"]
    assert "same running start" in first.duplicates[0].reason
    notes = [ride.note for ride in first.imported if ride.note]
    assert len(notes) == 2 and all("\n" not in note for note in notes)
    assert seen[-1] == (15, 15)
    assert not second.imported and len(second.duplicates) == 15
    assert len(list_rides(session, athlete)) == 14


@requires_corpus
def test_a_bad_file_is_reported_in_one_line_and_the_rest_import(
    session: Session, athlete: Athlete, tmp_path: Path
) -> None:
    folder = copy_rides(tmp_path / "rides", "Garmin830_with_Stages.fit", "SigmaRox11_1.fit")
    (folder / "broken.fit").write_bytes(b"\x0e\x10garbage that is not a FIT file")

    report = import_rides(session, athlete, [folder, tmp_path / "nowhere"], workers=1)

    assert len(report.imported) == 2
    assert [Path(f.path).name for f in report.failed] == ["nowhere", "broken.fit"]
    assert all("\n" not in f.reason for f in report.failed)
    assert "broken.fit" in report.failed[1].reason


@requires_corpus
def test_the_same_ride_from_another_export_is_a_duplicate(
    session: Session, athlete: Athlete, tmp_path: Path
) -> None:
    original = ACTIVITIES / "Garmin830_with_Stages.fit"
    import_rides(session, athlete, [original], workers=1)
    # Same ride, different bytes (a re-export appends nothing a ride needs).
    other = tmp_path / "export.fit"
    other.write_bytes(original.read_bytes() + b"\0\0")

    report = import_rides(session, athlete, [other], workers=1)

    assert not report.imported
    assert "same cycling start" in report.duplicates[0].reason


@requires_corpus
def test_rides_list_with_the_contract_keys_and_filter_by_sport(
    session: Session, athlete: Athlete, tmp_path: Path
) -> None:
    folder = copy_rides(
        tmp_path / "mixed", "Garmin830_with_Stages.fit", "developer-types-sample.fit"
    )
    import_rides(session, athlete, [folder], workers=1)

    rides = list_rides(session, athlete)
    document = rides[0].model_dump(mode="json")

    assert CONTRACT_KEYS <= set(document)
    assert {r.sport for r in rides} == {"cycling", "running"}
    assert [r.sport for r in list_rides(session, athlete, sport="running")] == ["running"]
    assert [r.sport for r in list_rides(session, athlete, sport="bike")] == ["cycling"]
    bike = list_rides(session, athlete, sport="bike")[0]
    assert bike.tss_source == "power" and bike.intensity_factor is not None


@requires_corpus
def test_a_ride_beating_ftp_suggests_the_new_value(session: Session, tmp_path: Path) -> None:
    athlete = set_athlete(session, name=None, ftp_w=200)

    report = import_rides(
        session, athlete, [ACTIVITIES / "Edge810-Vector-2013-08-16-15-35-10.fit"], workers=1
    )

    suggestion = report.ftp_suggestion
    assert suggestion is not None and suggestion.suggested_ftp_w == 297  # 312 W × 0.95
    assert suggestion.command == "wattz athlete set --ftp 297 --from 2013-08-16"


@requires_corpus
def test_the_survey_is_logged_and_re_estimates_an_rpe_based_tss(
    session: Session, athlete: Athlete
) -> None:
    swim = import_rides(session, athlete, [ACTIVITIES / "event_timestamp.fit"], workers=1)
    swim_id = swim.imported[0].id
    assumed = list_rides(session, athlete)[0].tss

    logged = log_ride(session, athlete, swim_id, rpe=9, reason=Reason.TOO_HARD)

    assert logged.rpe == 9 and logged.reason == "too-hard"
    assert logged.tss_source == "rpe"
    assert logged.tss is not None and assumed is not None and logged.tss > assumed
    assert log_ride(session, athlete, dt.date(2017, 6, 13), rpe=4, reason=None).rpe == 4
    with pytest.raises(InvalidValue):
        log_ride(session, athlete, swim_id, rpe=11, reason=None)
    with pytest.raises(NotFound):
        log_ride(session, athlete, dt.date(2030, 1, 1), rpe=5, reason=None)


@requires_corpus
def test_a_date_with_two_rides_asks_for_the_id(session: Session, athlete: Athlete) -> None:
    from wattz.model.tables import Activity

    report = import_rides(session, athlete, [ACTIVITIES / "SigmaRox11_1.fit"], workers=1)
    first = session.get(Activity, report.imported[0].id)
    assert first is not None
    second = Activity(**first.model_dump(exclude={"id"}))
    second.content_hash = "0" * 64
    second.start = first.start + dt.timedelta(hours=3)
    session.add(second)
    session.flush()

    with pytest.raises(Conflict, match=r"2 rides on 2024-09-19"):
        log_ride(session, athlete, dt.date(2024, 9, 19), rpe=6, reason=None)


def _plan_with_workout(session: Session, athlete: Athlete, day: dt.date, minutes: int) -> int:
    assert athlete.id is not None
    goal = Goal(athlete_id=athlete.id, name="race", date=day + dt.timedelta(days=60))
    session.add(goal)
    session.flush()
    assert goal.id is not None
    plan = Plan(
        athlete_id=athlete.id,
        goal_id=goal.id,
        start=day,
        target_date=goal.date,
        strategy="LINEAR",
        rhythm="3:1",
        ramp=5,
        start_ctl=40,
    )
    session.add(plan)
    session.flush()
    assert plan.id is not None
    block = Block(
        plan_id=plan.id, order=1, name="Base", type="BASE", focus="AEROBIC_ENDURANCE",
        start=day, duration_weeks=4,
    )  # fmt: skip
    session.add(block)
    session.flush()
    assert block.id is not None
    week = Week(
        plan_id=plan.id, block_id=block.id, number=1, start=day, tss_target=300,
        volume_target_minutes=300,
    )  # fmt: skip
    session.add(week)
    session.flush()
    assert week.id is not None
    document = workout([steady(minutes * 60, 0.7)])
    planned = PlannedWorkout(
        plan_id=plan.id, week_id=week.id, date=day, title="Endurance", duration_s=minutes * 60,
        tss=minutes / 60 * 49, intensity_factor=0.7, primary_zone=2, role="support",
        awp=document.to_json_dict(),
    )  # fmt: skip
    session.add(planned)
    session.flush()
    assert planned.id is not None
    return planned.id


@requires_corpus
def test_a_ride_is_matched_to_the_planned_workout_of_its_day_and_scored(
    session: Session, athlete: Athlete
) -> None:
    workout_id = _plan_with_workout(session, athlete, dt.date(2020, 1, 26), minutes=30)

    report = import_rides(session, athlete, [ACTIVITIES / "Garmin830_with_Stages.fit"], workers=1)
    ride = list_rides(session, athlete)[0]
    detail = ride_detail(session, athlete, report.imported[0].id)

    assert ride.planned_workout_id == workout_id
    assert ride.compliance is not None and 0 < ride.compliance <= 1
    assert detail.planned_title == "Endurance"
    assert len(detail.planned_w) >= 1800
    assert detail.intervals and detail.intervals[0].target_w == pytest.approx(175)


@requires_corpus
def test_metrics_are_recomputed_when_ftp_changes(session: Session, athlete: Athlete) -> None:
    import_rides(session, athlete, [ACTIVITIES / "Garmin830_with_Stages.fit"], workers=1)
    before = list_rides(session, athlete)[0]

    set_athlete(session, name=None, ftp_w=200)
    assert recompute_metrics(session, athlete) == 1
    after = list_rides(session, athlete)[0]

    assert before.tss is not None and after.tss is not None
    assert after.tss == pytest.approx(before.tss * (250 / 200) ** 2, rel=0.01)
    assert after.np_w == before.np_w


@requires_corpus
def test_bulk_imports_read_on_every_core_with_the_same_result(
    session: Session, athlete: Athlete
) -> None:
    report = import_rides(session, athlete, [ACTIVITIES], workers=2)

    names = sorted(p.name for p in ACTIVITIES.glob("*.fit"))
    names.remove("activity-unexpected-eof.fit")  # the same recording as the corrupt-header one
    assert [Path(r.path).name for r in report.imported] == names


@requires_corpus
def test_outcomes_tell_the_audit_what_each_workout_became(
    session: Session, athlete: Athlete
) -> None:
    from wattz.services.rides import workout_outcomes

    ridden_id = _plan_with_workout(session, athlete, dt.date(2020, 1, 26), minutes=30)
    plan_id = session.get(PlannedWorkout, ridden_id).plan_id  # type: ignore[union-attr]
    week_id = session.get(PlannedWorkout, ridden_id).week_id  # type: ignore[union-attr]
    missed = PlannedWorkout(
        plan_id=plan_id, week_id=week_id, date=dt.date(2020, 1, 29), title="Missed",
        duration_s=1800, tss=25, intensity_factor=0.7, primary_zone=2, role="key",
        awp=workout([steady(1800, 0.7)]).to_json_dict(),
    )  # fmt: skip
    session.add(missed)
    session.flush()
    import_rides(session, athlete, [ACTIVITIES / "Garmin830_with_Stages.fit"], workers=1)

    outcomes = workout_outcomes(
        session, athlete, dt.date(2020, 1, 20), dt.date(2020, 2, 2), today=dt.date(2020, 2, 1)
    )

    assert [(o.planned_workout_id, o.outcome) for o in outcomes][1] == (missed.id, "skipped")
    first = outcomes[0]
    assert first.ride_id is not None and first.outcome in ("completed", "partial", "failed")
    assert first.status == "pending"  # the audit, not the import, changes statuses


@requires_corpus
def test_reports_name_files_as_the_caller_gave_them(
    session: Session, athlete: Athlete, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_rides(tmp_path / "rides", "Garmin830_with_Stages.fit")
    monkeypatch.chdir(tmp_path)
    given = Path("rides") / "Garmin830_with_Stages.fit"

    report = import_rides(session, athlete, [given, Path("rides")], workers=1)

    assert [ride.path for ride in report.imported] == [str(given)]
    assert not report.duplicates  # the same file named twice is read once

"""``wattz audit``: one scenario per rule and trigger, through the CLI, on a stored plan.

Each scenario settles the plan up to a day (every earlier workout ridden to the letter),
then lives one thing — a skip and its reason, a failed or easy ride, a sick spell, an
HRV dip, an unplanned race — and reads what the nightly audit did in ``wattz changes``
and ``wattz plan show --json``.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.cli.helpers import run
from tests.cli.plan_scenarios import (
    DAY,
    add_ride,
    add_wellness,
    audit,
    build_plan,
    changes,
    day_of,
    keys,
    loading_weeks,
    new_changes,
    on,
    settle,
    show,
    weeks,
    workout,
    workouts,
)


@pytest.fixture
def plan() -> dict:  # type: ignore[type-arg]
    return build_plan()


def first_key(plan: dict) -> dict:  # type: ignore[type-arg]
    return keys(loading_weeks(plan)[0])[0]


def by_action(listed: list[dict], action: str) -> list[dict]:  # type: ignore[type-arg]
    return [c for c in listed if c["action"] == action]


# --- skipped ------------------------------------------------------------------------------------


def test_skipped_busy_moves_the_key_workout_keeping_its_title(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    key = first_key(plan)
    settle(monkeypatch, day_of(key))
    assert run("workout", "skip", str(key["id"]), "--reason", "busy").exit_code == 0
    before = changes()
    audit()
    (move,) = by_action(new_changes(before), "move")
    assert move["trigger"] == "skipped" and key["id"] in move["workout_ids"]
    assert "busy" in move["reason"]
    after = show()
    assert workout(after, key["id"])["status"] == "skipped"
    (copy,) = [w for w in workouts(after) if w["status"] == "moved" and w["title"] == key["title"]]
    assert day_of(key) < day_of(copy) <= day_of(key) + 7 * DAY
    assert copy["awp"] == key["awp"]


def test_a_key_workout_missed_with_no_ride_and_no_answer_is_moved(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    key = first_key(plan)
    settle(monkeypatch, day_of(key))
    on(monkeypatch, day_of(key) + DAY)
    result = audit()
    assert "skipped → move" in result.stdout
    assert "no answer" in result.stdout


def test_misses_older_than_two_days_are_classified_not_moved(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    key = first_key(plan)
    settle(monkeypatch, day_of(key))
    on(monkeypatch, day_of(key) + 3 * DAY)
    before = changes()
    result = audit("--json")
    listed = new_changes(before)
    assert not [c for c in by_action(listed, "move") if key["id"] in c["workout_ids"]]
    assert workout(show(), key["id"])["status"] == "skipped"
    notes = json.loads(result.stdout)["athletes"][0]["notes"]
    assert any("not moved" in note for note in notes)


def test_with_no_legal_slot_the_miss_is_dropped_and_logged(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    key = first_key(plan)
    settle(monkeypatch, day_of(key))
    closed = [f"{(day_of(key) + k * DAY).isoformat()}=0" for k in range(1, 8)]
    assert run("availability", "override", *closed).exit_code == 0
    assert run("workout", "skip", str(key["id"]), "--reason", "travel").exit_code == 0
    before = changes()
    audit()
    (change,) = [c for c in new_changes(before) if c["trigger"] == "skipped"]
    assert change["action"] in ("drop", "replace")
    assert "no legal slot" in change["reason"] or "replaces" in change["reason"]


def test_a_missed_support_ride_changes_nothing_but_its_status(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    week = loading_weeks(plan)[0]
    support = next(w for w in week["workouts"] if w["role"] == "support")
    settle(monkeypatch, day_of(support))
    on(monkeypatch, day_of(support) + DAY)
    before = changes()
    audit()
    listed = new_changes(before)
    assert [c["action"] for c in listed if c["action"] != "re-project"] == ["classify"]
    assert workout(show(), support["id"])["status"] == "skipped"


# --- sick ---------------------------------------------------------------------------------------


def test_wattz_sick_deloads_from_today_and_keeps_the_event_and_the_taper(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    week = loading_weeks(plan)[1]
    today = day_of(week)
    settle(monkeypatch, today)
    result = run("sick", "--from", today.isoformat(), "--to", (today + DAY).isoformat())
    assert result.exit_code == 0, result.stderr
    assert "next audit" in result.stdout
    before_plan = show()
    before = changes()
    audit()
    (deload,) = by_action(new_changes(before), "deload")
    assert deload["trigger"] == "sick" and "unwell" in deload["reason"]
    after = show()
    for item in workouts(after):
        if day_of(item) in (today, today + DAY):
            assert item["status"] == "cancelled", "today included"
    for item in workouts(after):
        if today + 2 * DAY <= day_of(item) <= today + 4 * DAY and item["status"] == "pending":
            assert item["role"] != "key" and item["primary_zone"] <= 2
    assert after["goal"] == before_plan["goal"]
    taper = [(w["start"], w["is_taper"]) for w in weeks(before_plan) if w["is_taper"]]
    assert [(w["start"], w["is_taper"]) for w in weeks(after) if w["is_taper"]] == taper
    touched = next(w for w in weeks(after) if w["start"] == week["start"])
    live = sum(
        w["tss"] for w in touched["workouts"] if w["status"] in ("pending", "moved", "completed")
    )
    assert abs(live - touched["tss_target"]) <= 0.1 * touched["tss_target"] + 1


def test_a_workout_skipped_as_sick_deloads_rather_than_moves(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    key = first_key(plan)
    settle(monkeypatch, day_of(key))
    assert run("workout", "skip", str(key["id"]), "--reason", "sick").exit_code == 0
    before = changes()
    audit()
    listed = new_changes(before)
    assert by_action(listed, "deload")
    assert not by_action(listed, "move")


# --- failed and easy ----------------------------------------------------------------------------


def test_failed_too_hard_regresses_the_next_similar_workout(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    key = first_key(plan)
    settle(monkeypatch, day_of(key))
    ride = add_ride(day_of(key), key["id"], tss=20, compliance=0.3, duration_ratio=0.5)
    assert run("ride", "log", str(ride), "--reason", "too-hard").exit_code == 0
    on(monkeypatch, day_of(key) + DAY)
    before = changes()
    audit()
    (regress,) = by_action(new_changes(before), "regress")
    assert regress["trigger"] == "failed" and "10 %" in regress["reason"]
    after = show()
    assert workout(after, key["id"])["status"] == "failed"
    changed = [i for i in regress["workout_ids"] if i != key["id"]]
    (easier,) = [workout(after, i) for i in changed if workout(plan, i)["role"] == "key"]
    assert easier["if"] < workout(plan, easier["id"])["if"]


def test_failed_for_lack_of_time_changes_nothing(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    key = first_key(plan)
    settle(monkeypatch, day_of(key))
    ride = add_ride(day_of(key), key["id"], tss=20, compliance=0.3, duration_ratio=0.4)
    assert run("ride", "log", str(ride), "--reason", "no-time").exit_code == 0
    on(monkeypatch, day_of(key) + DAY)
    before = changes()
    audit()
    listed = new_changes(before)
    assert not by_action(listed, "regress")
    assert workout(show(), key["id"])["status"] == "failed"


def test_completed_easy_progresses_the_next_key_workout(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    key = first_key(plan)
    settle(monkeypatch, day_of(key))
    ride = add_ride(day_of(key), key["id"], tss=key["tss"], compliance=0.96)
    assert run("ride", "log", str(ride), "--rpe", "3").exit_code == 0
    on(monkeypatch, day_of(key) + DAY)
    before = changes()
    audit()
    (progress,) = by_action(new_changes(before), "progress")
    assert progress["trigger"] == "completed-easy"
    assert progress["workout_ids"][0] == key["id"], "the easy workout it is about comes first"
    target_id = progress["workout_ids"][1]
    old, new = workout(plan, target_id), workout(show(), target_id)
    assert old["role"] == "key"
    assert (new["level"] or 0) > (old["level"] or 0)


# --- HRV and unplanned rides ---------------------------------------------------------------------


def test_an_hrv_red_flag_makes_the_next_key_workout_a_recovery_ride(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    key = keys(loading_weeks(plan)[1])[0]
    today = day_of(key) - DAY
    settle(monkeypatch, today)
    for back in range(10, 75):
        add_wellness(today - back * DAY, hrv_ms=72.0 + (back % 5))
    for back in range(10):
        add_wellness(today - back * DAY, hrv_ms=42.0)
    before = changes()
    audit()
    (flag,) = by_action(new_changes(before), "recovery")
    assert flag["trigger"] == "hrv-red-flag"
    assert workout(show(), key["id"])["role"] == "recovery"
    again = changes()
    audit()
    assert not new_changes(again), "a flag is acted on once"


def test_an_unplanned_hard_ride_moves_or_eases_the_next_days_key_workout(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    key = keys(loading_weeks(plan)[1])[0]
    race_day = day_of(key) - DAY
    settle(monkeypatch, race_day)
    add_ride(race_day, None, tss=185, duration_s=3 * 3600, intensity_factor=0.83)
    on(monkeypatch, day_of(key))
    before = changes()
    audit()
    (change,) = [c for c in new_changes(before) if c["trigger"] == "unplanned-ride"]
    assert change["action"] in ("move", "ease")
    moved = workout(show(), key["id"])
    if change["action"] == "move":
        assert day_of(moved) > day_of(key)
    else:
        assert moved["if"] < key["if"]


# --- the nightly job ------------------------------------------------------------------------------


def test_a_night_with_nothing_to_do_prints_nothing(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    result = audit()
    assert result.stdout == "" and result.stderr == ""


def test_dry_run_says_what_would_change_and_changes_nothing(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    key = first_key(plan)
    settle(monkeypatch, day_of(key))
    on(monkeypatch, day_of(key) + DAY)
    before_plan, before = show(), changes()
    result = audit("--dry-run")
    assert result.stdout.startswith("dry run — would change")
    assert show() == before_plan and changes() == before


def test_audit_json_reports_each_athletes_night(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    key = first_key(plan)
    settle(monkeypatch, day_of(key))
    on(monkeypatch, day_of(key) + DAY)
    report = json.loads(audit("--json").stdout)
    assert report["date"] == (day_of(key) + DAY).isoformat() and report["dry_run"] is False
    (night,) = report["athletes"]
    assert night["plan_id"] == plan["id"] and night["classified"] >= 1
    assert {c["action"] for c in night["changes"]} >= {"classify", "move"}


def test_audit_date_option_audits_as_of_that_day(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    key = first_key(plan)
    settle(monkeypatch, day_of(key))
    report = json.loads(audit("--date", (day_of(key) + DAY).isoformat(), "--json").stdout)
    assert report["date"] == (day_of(key) + DAY).isoformat()
    assert workout(show(), key["id"])["status"] == "skipped"


def test_a_week_about_to_start_with_no_workouts_is_filled(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    from sqlmodel import select

    from wattz.model.store import session_scope
    from wattz.model.tables import PlannedWorkout

    week = loading_weeks(plan)[1]
    with session_scope() as session:
        for row in session.exec(
            select(PlannedWorkout).where(PlannedWorkout.date >= day_of(week))
        ).all():
            if row.date <= day_of(week) + 6 * DAY:
                session.delete(row)
    settle(monkeypatch, day_of(week) - 3 * DAY)
    filled = next(w for w in weeks(show()) if w["start"] == week["start"])
    assert filled["workouts"], "placed about a week before it starts"
    assert any(c["action"] == "fill" for c in changes())


def test_audit_with_no_plan_is_quiet() -> None:
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    result = run("audit")
    assert result.exit_code == 0 and result.stdout == ""


def test_audit_help_is_plain() -> None:
    result = run("audit", "--help")
    assert result.exit_code == 0 and "--dry-run" in result.stdout


def test_changes_are_listed_after_an_audit(
    plan: dict,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    key = first_key(plan)
    settle(monkeypatch, day_of(key))
    on(monkeypatch, day_of(key) + DAY)
    audit()
    assert any(c["action"] == "move" for c in changes())
    assert dt.date.fromisoformat(changes()[-1]["created_at"][:10])


# --- audit --all: a coach's nightly run -------------------------------------------------------


def plan_for(name: str, *, first: bool = False) -> None:
    """An athlete with the scenarios' grid, goal and plan (the store's first is made by set)."""
    from tests.cli.plan_scenarios import EVENT, GRID

    create = ("set", "--ftp", "250", "--athlete", name) if first else ("add", name, "--ftp", "250")
    assert run("athlete", *create).exit_code == 0
    assert run("availability", "set", *GRID, "--athlete", name).exit_code == 0
    assert run("goal", "add", "Marmotte", "--date", EVENT, "--athlete", name).exit_code == 0
    assert run("plan", "new", "--goal", "Marmotte", "--yes", "--athlete", name).exit_code == 0


NIGHT = "2026-11-30"


@pytest.fixture
def coach() -> None:
    """ann and bob with plans from 2026-11-25, carl without one."""
    plan_for("ann", first=True)
    plan_for("bob")
    assert run("athlete", "add", "carl", "--ftp", "250").exit_code == 0


def test_audit_all_audits_every_athlete_with_a_plan_and_skips_the_others(coach: None) -> None:
    result = run("audit", "--all", "--date", NIGHT, "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [a["athlete"] for a in report["athletes"]] == ["ann", "bob"]
    assert report["skipped"] == ["carl"] and report["failed"] == []
    assert all(a["classified"] > 0 for a in report["athletes"])


def test_audit_all_is_quiet_when_the_night_is_already_done(coach: None) -> None:
    first = run("audit", "--all", "--date", NIGHT)
    assert first.exit_code == 0
    assert "(ann)" in first.stdout and "(bob)" in first.stdout and "carl" not in first.stdout
    again = run("audit", "--all", "--date", NIGHT)
    assert again.exit_code == 0
    assert again.stdout == "" and again.stderr == ""


def test_one_athletes_failure_is_one_line_and_the_others_are_still_audited(coach: None) -> None:
    from sqlmodel import select

    from wattz.model.store import session_scope
    from wattz.model.tables import Athlete, Plan, PlannedWorkout

    with session_scope() as session:
        bob = session.exec(select(Athlete).where(Athlete.name == "bob")).one()
        plan = session.exec(select(Plan).where(Plan.athlete_id == bob.id)).one()
        row = session.exec(select(PlannedWorkout).where(PlannedWorkout.plan_id == plan.id)).first()
        assert row is not None
        row.status = "lost"  # a row no wattz writes: bob's audit cannot read his plan
        session.add(row)
    result = run("audit", "--all", "--date", NIGHT, "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [a["athlete"] for a in report["athletes"]] == ["ann"]
    assert [f["athlete"] for f in report["failed"]] == ["bob"]
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: athlete bob: ") and "lost" in line
    assert run("changes", "--athlete", "ann", "--json").stdout.count('"classify"') > 0
    assert json.loads(run("changes", "--athlete", "bob", "--json").stdout) == []


def test_audit_all_dry_run_changes_nothing(coach: None) -> None:
    result = run("audit", "--all", "--date", NIGHT, "--dry-run", "--json")
    assert result.exit_code == 0
    assert all(a["changes"] for a in json.loads(result.stdout)["athletes"])
    for name in ("ann", "bob"):
        assert json.loads(run("changes", "--athlete", name, "--json").stdout) == []


def test_audit_all_and_athlete_exclude_each_other(coach: None) -> None:
    result = run("audit", "--all", "--athlete", "ann")
    assert result.exit_code == 1
    assert "--all and --athlete" in result.stderr


def test_audit_without_athlete_in_a_shared_store_names_the_athletes_even_after_a_night(
    coach: None,
) -> None:
    assert run("audit", "--all").exit_code == 0
    result = run("audit")
    assert result.exit_code == 1
    assert "ann, bob, carl" in result.stderr and "--athlete" in result.stderr


# --- B and C races ---------------------------------------------------------------------------


def test_b_and_c_races_are_load_the_audit_counts_as_the_engine_planned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The engine plans a B/C race as load on its day; the nightly audit must see the same
    season, or it would 're-project' every race week the engine shaped on purpose."""
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    assert (
        run(
            "availability",
            "set",
            "mon=0",
            "tue=60:indoor",
            "wed=45",
            "thu=60:indoor",
            "fri=0",
            "sat=180:outdoor",
            "sun=120",
        ).exit_code
        == 0
    )
    assert run("goal", "add", "Marmotte", "--date", "2027-03-14").exit_code == 0
    for name, day, priority in (("Omloop", "2027-01-23", "B"), ("Kermesse", "2027-02-13", "C")):
        added = run("goal", "add", name, "--date", day, "--priority", priority)
        assert added.exit_code == 0, added.stderr
    built = run("plan", "new", "--goal", "Marmotte", "--yes", "--json")
    assert built.exit_code == 0, built.stderr
    plan = json.loads(built.stdout)["plan"]
    on_race_days = [w for w in workouts(plan) if w["date"] in ("2027-01-23", "2027-02-13")]
    assert on_race_days == []
    first = keys(loading_weeks(plan)[0])[0]
    settle(monkeypatch, day_of(first) + DAY)
    assert [c for c in changes() if c["action"] == "reproject"] == []

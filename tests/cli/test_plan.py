"""``wattz plan`` and ``wattz calendar``: building, showing and refusing plans."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import select
import subprocess
import sys
import time
from typing import IO, Any

import pytest

from tests.cli.helpers import run

GRID = ["mon=0", "tue=60:indoor", "wed=45", "thu=60:indoor", "fri=0", "sat=180:outdoor", "sun=120"]


@pytest.fixture
def athlete() -> None:
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    assert run("availability", "set", *GRID).exit_code == 0
    assert run("goal", "add", "Marmotte", "--date", "2027-03-14").exit_code == 0


def new_plan(*extra: str) -> Any:
    result = run("plan", "new", "--goal", "Marmotte", "--yes", "--json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["plan"]


def plans() -> list[dict[str, Any]]:
    result = run("plan", "list", "--json")
    assert result.exit_code == 0, result.stderr
    listed: list[dict[str, Any]] = json.loads(result.stdout)
    return listed


@pytest.mark.usefixtures("athlete")
def test_plan_show_json_follows_the_contract() -> None:
    new_plan()
    result = run("plan", "show", "--json")
    assert result.exit_code == 0
    plan = json.loads(result.stdout)["plan"]
    assert {"id", "goal", "start", "target_date", "strategy", "rhythm", "ramp", "blocks"} <= set(
        plan
    )
    assert plan["goal"] == {"name": "Marmotte", "date": "2027-03-14", "priority": "A"}
    assert plan["strategy"] == "LINEAR" and plan["rhythm"] == "3:1"
    block = plan["blocks"][0]
    assert {"order", "name", "type", "focus", "start", "duration_weeks", "weeks"} <= set(block)
    week = block["weeks"][0]
    assert {
        "start",
        "number",
        "is_recovery",
        "tss_target",
        "volume_target_minutes",
        "workouts",
    } <= set(week)
    workouts = [w for b in plan["blocks"] for wk in b["weeks"] for w in wk["workouts"]]
    assert workouts
    keys = {
        "id",
        "date",
        "title",
        "role",
        "status",
        "source",
        "duration_s",
        "tss",
        "if",
        "primary_zone",
        "awp",
    }
    assert all(keys <= set(w) for w in workouts)
    assert {w["source"] for w in workouts} == {"builtin"}
    assert {w["status"] for w in workouts} == {"pending"}
    assert all(w["date"] != "2027-03-14" for w in workouts), "the event day is not a workout"
    assert all(w["date"] >= "2026-11-25" for w in workouts)


@pytest.mark.usefixtures("athlete")
def test_a_second_plan_for_the_same_goal_needs_replace() -> None:
    first = new_plan()
    result = run("plan", "new", "--goal", "Marmotte", "--yes")
    assert result.exit_code == 1
    assert "--replace" in result.stderr
    second = new_plan("--replace")
    assert second["id"] != first["id"]
    listed = plans()
    assert [p["active"] for p in listed] == [True, False]
    assert listed[1]["deleted"] is True


@pytest.mark.usefixtures("athlete")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--goal", "Nope"], "no goal named 'Nope'"),
        (["--goal", "Marmotte", "--strategy", "random"], "--strategy 'random' is not one of"),
        (["--goal", "Marmotte", "--rhythm", "4:1"], "--rhythm '4:1' is not one of"),
        (["--goal", "Marmotte", "--ftp", "0"], "--ftp 0 W is out of range"),
        (["--goal", "Marmotte", "--ftp", "2000"], "--ftp 2000 W is out of range"),
        (["--goal", "Marmotte", "--start", "2027-04-01"], "is not before the event"),
        (["--goal", "Marmotte", "--ramp", "12"], "ramp"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_stored(args: list[str], message: str) -> None:
    result = run("plan", "new", "--yes", *args)
    assert result.exit_code == 1, result.stdout
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert plans() == []


def test_a_grid_with_no_riding_day_is_refused() -> None:
    run("athlete", "set", "--ftp", "250")
    run("goal", "add", "Marmotte", "--date", "2027-03-14")
    result = run("plan", "new", "--goal", "Marmotte", "--yes")
    assert result.exit_code == 1
    assert "no riding day" in result.stderr
    assert plans() == []


@pytest.mark.usefixtures("athlete")
def test_an_event_in_the_past_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATTZ_TODAY", "2027-03-20")
    result = run("plan", "new", "--goal", "Marmotte", "--yes")
    assert result.exit_code == 1
    assert "is in the past" in result.stderr
    assert plans() == []


@pytest.mark.usefixtures("athlete")
def test_plan_delete_removes_the_active_plan() -> None:
    new_plan()
    assert run("plan", "delete", "--yes").exit_code == 0
    assert run("plan", "show").exit_code == 1
    assert plans()[0]["deleted"] is True


WORD = re.compile(r"[A-Za-z][A-Za-z0-9%×-]+")


@pytest.mark.usefixtures("athlete")
@pytest.mark.parametrize(
    "view", [[], ["--week", "2026-12-02"], ["--month", "2026-12"], ["--season"]]
)
def test_calendars_fit_80_columns_without_cutting_words(view: list[str]) -> None:
    plan = new_plan()
    result = run("calendar", *view, width=80)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert "…" not in result.stdout
    if view and view[0] in ("--month", "--season"):
        return
    text = " ".join(result.stdout.split())
    first, last = ("2026-11-30", "2026-12-06") if view else ("2026-11-23", "2026-11-29")
    titles = {
        w["title"]
        for b in plan["blocks"]
        for wk in b["weeks"]
        for w in wk["workouts"]
        if first <= w["date"] <= last
    }
    assert titles
    for title in titles:
        for word in WORD.findall(title):
            assert word in text, f"{word!r} of {title!r} was cut"


@pytest.mark.usefixtures("athlete")
def test_calendar_without_a_plan_says_how_to_make_one() -> None:
    result = run("calendar")
    assert result.exit_code == 1
    assert "wattz plan new" in result.stderr


@pytest.mark.usefixtures("athlete")
def test_plan_list_without_plans_says_how_to_make_one() -> None:
    result = run("plan", "list")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "wattz plan new" in result.stderr
    assert plans() == []


@pytest.mark.usefixtures("athlete")
@pytest.mark.parametrize(
    ("view", "said"),
    [
        (["--week", "2028-01-05"], "the week of 2028-01-03 is outside the plan"),
        (["--month", "2026-10"], "October 2026 is outside the plan"),
    ],
)
def test_a_calendar_outside_the_plan_says_so(view: list[str], said: str) -> None:
    new_plan()
    result = run("calendar", *view)
    assert result.exit_code == 0, result.stderr
    assert f"{said} (2026-11-25 → 2027-03-14)" in result.stderr


@pytest.mark.usefixtures("athlete")
def test_a_calendar_inside_the_plan_says_nothing_about_its_range() -> None:
    new_plan()
    assert "outside the plan" not in run("calendar", "--week", "2027-03-10").stderr


@pytest.mark.usefixtures("athlete")
def test_b_and_c_races_show_in_the_plan_document_and_on_the_calendars() -> None:
    """A C race inside the plan is part of it: listed in ``events``, its expected load in
    its week's ``race_tss`` (no workout that day), and a row of its own on the week."""
    crit = run("goal", "add", "Crit", "--date", "2027-01-16", "--priority", "C", "--hours", "1")
    assert crit.exit_code == 0
    assert run("goal", "add", "Club race", "--date", "2027-02-20", "--priority", "C").exit_code == 0
    assert (
        run("goal", "add", "Next season", "--date", "2027-06-01", "--priority", "B").exit_code == 0
    )
    plan = new_plan()
    assert plan["events"] == [
        {"name": "Crit", "date": "2027-01-16", "priority": "C"},
        {"name": "Club race", "date": "2027-02-20", "priority": "C"},
    ]
    weeks = [week for block in plan["blocks"] for week in block["weeks"]]
    race_week = next(w for w in weeks if w["start"] == "2027-02-15")
    crit_week = next(w for w in weeks if w["start"] == "2027-01-11")
    assert race_week["race_tss"] == 235  # a typical road race: 3.5 h at IF 0.82
    assert crit_week["race_tss"] == 67  # an hour at IF 0.82
    assert all(w["race_tss"] == 0 for w in weeks if w not in (race_week, crit_week))
    assert not [w for w in race_week["workouts"] if w["date"] == "2027-02-20"]
    week = run("calendar", "--week", "2027-02-15", width=80)
    assert "🏁 Club race (C race)" in week.stdout
    assert "+ race ≈235" in week.stdout
    assert all(len(line) <= 80 for line in week.stdout.splitlines())
    month = run("calendar", "--month", "2027-02", width=80)
    assert "🏁 C" in month.stdout
    assert all(len(line) <= 80 for line in month.stdout.splitlines())


def test_demo_builds_a_plan_and_can_run_twice() -> None:
    for _ in range(2):
        result = run("demo", width=80)
        assert result.exit_code == 0, result.stderr
        assert "Demo Gran Fondo" in result.stdout
        lines = result.stdout.splitlines()
        assert all(len(line) <= 80 for line in lines), max(lines, key=len)
        assert "  wattz plan show --athlete demo --json" in lines
    listed = json.loads(run("plan", "list", "--athlete", "demo", "--json").stdout)
    assert sum(p["active"] for p in listed) == 1


@pytest.mark.usefixtures("athlete")
def test_a_new_grid_replaces_the_future_workouts_and_can_be_undone() -> None:
    before = new_plan()
    result = run("availability", "set", "sat=60", "sun=240:outdoor")
    assert result.exit_code == 0, result.stderr
    assert "undo" in result.stderr
    after = json.loads(run("plan", "show", "--json").stdout)["plan"]
    saturdays = [
        w
        for b in after["blocks"]
        for wk in b["weeks"]
        for w in wk["workouts"]
        if w["date"] > "2026-11-25"
        and w["status"] in ("pending", "moved")
        and dt.date.fromisoformat(w["date"]).weekday() == 5
    ]
    assert saturdays
    assert all(w["duration_s"] <= 60 * 60 for w in saturdays)
    changes = json.loads(run("changes", "--json").stdout)
    assert run("changes", "undo", str(changes[0]["id"])).exit_code == 0
    restored = json.loads(run("plan", "show", "--json").stdout)["plan"]
    assert restored["blocks"] == before["blocks"]


def _read_until(stream: IO[bytes], marker: bytes, timeout_s: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout_s
    while marker not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, seen.decode(errors="replace")
        ready, _, _ = select.select([stream], [], [], remaining)
        if ready:
            chunk = os.read(stream.fileno(), 4096)
            assert chunk, seen.decode(errors="replace")
            seen += chunk
    return seen


@pytest.mark.usefixtures("athlete")
def test_a_plan_waiting_for_its_yes_holds_no_lock_on_the_store() -> None:
    """A person reading the preview must not block the nightly audit or any other writer."""
    command = [sys.executable, "-m", "wattz", "plan", "new", "--goal", "Marmotte"]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as waiting:
        assert waiting.stdin is not None and waiting.stdout is not None
        _read_until(waiting.stdout, b"Store this plan?", timeout_s=120)
        other = subprocess.run(
            [
                sys.executable,
                "-m",
                "wattz",
                "goal",
                "add",
                "Criterium",
                "--date",
                "2027-02-07",
                "--priority",
                "C",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert other.returncode == 0, other.stderr
        waiting.stdin.write(b"y\n")
        waiting.stdin.close()
        assert waiting.wait(timeout=120) == 0
    assert [p["active"] for p in plans()] == [True]


@pytest.mark.usefixtures("athlete")
def test_plan_new_yes_sums_up_the_stored_plan_in_one_line() -> None:
    result = run("plan", "new", "--goal", "Marmotte", "--yes")
    assert result.exit_code == 0, result.stderr
    stored = json.loads(run("plan", "show", "--json").stdout)["plan"]
    weeks = [week for block in stored["blocks"] for week in block["weeks"]]
    workouts = [w for week in weeks for w in week["workouts"]]
    assert result.stdout == (
        f"plan {stored['id']}: Marmotte on 2027-03-14 — {len(weeks)} weeks, "
        f"{len(stored['blocks'])} blocks, {len(workouts)} workouts (LINEAR 3:1)\n"
    )

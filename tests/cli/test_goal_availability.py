"""``wattz goal`` and ``wattz availability``: the inputs a plan is built from."""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import run


@pytest.fixture(autouse=True)
def athlete() -> None:
    assert run("athlete", "set", "--ftp", "250").exit_code == 0


def test_goals_are_listed_soonest_first() -> None:
    assert run("goal", "add", "Marmotte", "--date", "2027-07-04").exit_code == 0
    assert (
        run("goal", "add", "Spring classic", "--date", "2027-04-11", "--priority", "b").exit_code
        == 0
    )
    result = run("goal", "list", "--json")
    assert result.exit_code == 0
    goals = json.loads(result.stdout)
    assert [g["name"] for g in goals] == ["Spring classic", "Marmotte"]
    assert goals[0]["priority"] == "B"
    assert goals[1]["discipline"] == "road"
    assert goals[1]["hours"] is None  # the discipline's typical race


def test_a_race_may_say_how_long_it_lasts() -> None:
    """A one-hour criterium is not a 3.5-hour road race: its length sets its load."""
    added = run("goal", "add", "Crit", "--date", "2027-04-11", "--priority", "C", "--hours", "1")
    assert added.exit_code == 0, added.stderr
    assert json.loads(run("goal", "list", "--json").stdout)[0]["hours"] == 1.0
    assert "Hours" in run("goal", "list").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["X", "--date", "2026-11-01"], "is not in the future"),
        (["X", "--date", "someday"], "is not a date"),
        (["X", "--date", "2027-05-01", "--priority", "Z"], "--priority 'Z' is not one of A|B|C"),
        (["X", "--date", "2027-05-01", "--discipline", "bmx"], "is not one of road|gravel|mtb|tt"),
        (["X", "--date", "2027-05-01", "--hours", "0"], "--hours 0 is not a race length"),
        (["X", "--date", "2027-05-01", "--hours", "30"], "--hours 30 is not a race length"),
        (["X", "--date", "2027-05-01", "--hours", "nan"], "--hours nan is not a race length"),
    ],
)
def test_bad_goals_are_refused(args: list[str], message: str) -> None:
    result = run("goal", "add", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert json.loads(run("goal", "list", "--json").stdout) == []


def test_a_goal_name_is_unique() -> None:
    run("goal", "add", "Marmotte", "--date", "2027-07-04")
    result = run("goal", "add", "Marmotte", "--date", "2027-07-05")
    assert result.exit_code == 1
    assert "exists already" in result.stderr


def test_availability_set_keeps_days_not_named() -> None:
    run("availability", "set", "tue=60:indoor", "sat=240:outdoor")
    run("availability", "set", "sun=90")
    grid = json.loads(run("availability", "show", "--json").stdout)
    by_day = {slot["day"]: slot for slot in grid["weekly"]}
    assert by_day["tue"] == {"day": "tue", "minutes": 60, "venue": "indoor"}
    assert by_day["sat"]["venue"] == "outdoor"
    assert by_day["sun"]["minutes"] == 90
    assert by_day["mon"]["minutes"] == 0
    assert grid["weekly_minutes"] == 390


def test_dated_overrides_are_kept_beside_the_grid() -> None:
    run("availability", "set", "sat=240")
    result = run("availability", "override", "2027-03-14=0", "2027-03-15=90:indoor")
    assert result.exit_code == 0
    grid = json.loads(run("availability", "show", "--json").stdout)
    assert grid["overrides"] == [
        {"date": "2027-03-14", "minutes": 0, "venue": "any"},
        {"date": "2027-03-15", "minutes": 90, "venue": "indoor"},
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["mon=0", "tue=0"], "no riding day"),
        (["funday=60"], "is not a day's availability"),
        (["tue=sixty"], "is not a number of minutes"),
        (["tue=900"], "out of range"),
        (["tue=60:garage"], "is not a venue"),
    ],
)
def test_bad_grids_are_refused_and_nothing_is_stored(args: list[str], message: str) -> None:
    result = run("availability", "set", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    grid = json.loads(run("availability", "show", "--json").stdout)
    assert grid["weekly_minutes"] == 0


def test_the_grid_fits_80_columns() -> None:
    run(
        "availability",
        "set",
        "mon=0",
        "tue=60:indoor",
        "wed=45",
        "thu=60:indoor",
        "sat=240:outdoor",
        "sun=120",
    )
    result = run("availability", "show", width=80)
    assert result.exit_code == 0
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert "4:00 out" in result.stdout

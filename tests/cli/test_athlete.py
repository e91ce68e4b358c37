"""``wattz athlete``: the first set creates 'default'; FTP has a history; zones follow."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import run


def show() -> dict[str, object]:
    result = run("athlete", "show", "--json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    return document


def test_first_set_creates_the_default_athlete() -> None:
    result = run("athlete", "set", "--ftp", "250", "--weight", "72")
    assert result.exit_code == 0
    profile = show()
    assert profile["name"] == "default"
    assert profile["ftp_w"] == 250
    assert profile["w_per_kg"] == pytest.approx(3.47)


def test_power_zones_follow_coggan_at_the_ftp() -> None:
    run("athlete", "set", "--ftp", "300")
    zones = show()["power_zones"]
    assert isinstance(zones, list)
    assert [z["zone"] for z in zones] == [1, 2, 3, 4, 5, 6, 7]
    assert zones[1]["high"] == 225  # Z2 tops out at 75 % FTP
    assert zones[3]["high"] == 315  # Z4 at 105 %
    assert zones[6]["high"] is None


def test_heart_rate_zones_appear_with_lthr() -> None:
    run(
        "athlete", "set", "--ftp", "250", "--lthr", "170", "--max-hr", "190", "--tz", "Europe/Paris"
    )
    profile = show()
    zones = profile["heart_rate_zones"]
    assert isinstance(zones, list) and len(zones) == 7
    assert profile["time_zone"] == "Europe/Paris"


def test_dated_ftp_changes_apply_from_their_day(monkeypatch: pytest.MonkeyPatch) -> None:
    run("athlete", "set", "--ftp", "240")
    run("athlete", "set", "--ftp", "260", "--from", "2026-12-01")
    assert show()["ftp_w"] == 240  # today is pinned to 2026-11-25
    monkeypatch.setenv("WATTZ_TODAY", "2026-12-02")
    assert show()["ftp_w"] == 260
    history = show()["ftp_history"]
    assert history == [
        {"ftp_w": 240, "valid_from": None},
        {"ftp_w": 260, "valid_from": "2026-12-01"},
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ftp", "0"], "--ftp 0 W is out of range"),
        (["--ftp", "2000"], "--ftp 2000 W is out of range"),
        (["--ftp", "250", "--weight", "5"], "--weight 5.0 kg is out of range"),
        (["--ftp", "250", "--tz", "Mars/Olympus"], "is not a time zone"),
        (["--ftp", "250", "--from", "01/12/2026"], "--from '01/12/2026' is not a date"),
        (["--weight", "70"], "has no FTP yet"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_stored(args: list[str], message: str) -> None:
    result = run("athlete", "set", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert run("athlete", "show").exit_code == 1


def test_show_renders_zones_as_a_table() -> None:
    run("athlete", "set", "--ftp", "250", "--lthr", "165")
    result = run("athlete", "show", width=80)
    assert result.exit_code == 0
    assert "Power zones" in result.stdout
    assert "Threshold" in result.stdout


# --- several athletes -----------------------------------------------------------------------

ATHLETE_FREE = {
    "workout schema": "prints the AWP schema",
    "workout validate": "checks a file",
    "athlete add": "names a new athlete",
    "athlete rename": "names the athlete as an argument",
    "device": "lists mounted head units (the whole group)",
    "coach": "asks the Ollama server (the whole group)",
    "db check": "the whole store",
    "db backup": "the whole store",
    "demo": "builds its own demo athlete",
}
"""Commands that act on no athlete (or name one as an argument), and why."""

WORKOUT_FILE = "workout.json"
AWP = {
    "schemaVersion": "1.0",
    "meta": {"title": "Tempo", "totalDurationSeconds": 600},
    "steps": [{"type": "SteadyState", "duration": 600, "power": {"type": "steady", "value": 0.8}}],
}
INVOCATIONS: dict[str, list[str]] = {
    "workout show": [WORKOUT_FILE],
    "workout import": [WORKOUT_FILE],
    "workout new": ["10m 80%", "--title", "Tempo"],
    "workout list": [],
    "workout move": ["1", "2026-11-27"],
    "workout skip": ["1", "--reason", "busy"],
    "athlete set": ["--weight", "70"],
    "athlete show": [],
    "goal add": ["Marmotte", "--date", "2027-07-04"],
    "goal list": [],
    "availability set": ["sat=120"],
    "availability override": ["2026-11-28=0"],
    "availability show": [],
    "plan new": ["--goal", "Marmotte", "--yes"],
    "plan show": [],
    "plan list": [],
    "plan delete": ["--yes"],
    "calendar": [],
    "ride import": [WORKOUT_FILE],
    "ride list": [],
    "ride show": ["1"],
    "ride log": ["1", "--rpe", "5"],
    "ride recompute": [],
    "audit": [],
    "changes show": ["1"],
    "changes undo": ["1"],
    "sick": ["--from", "today"],
    "wellness log": ["today", "--hrv", "60"],
    "wellness list": [],
    "fitness": [],
    "export": ["--to", "out"],
    "garmin login": ["--email", "a@b.c"],
    "garmin sync": [],
    "source add": ["."],
    "source list": [],
    "course add": ["course.gpx"],
    "course show": [],
}
"""A call of each athlete command that gets as far as choosing the athlete."""


def leaf_commands() -> dict[str, set[str]]:
    """Every command of the app ('plan new', 'audit', …) and its options, from Typer."""
    import typer.main
    from typer import Context

    from wattz.cli.app import app

    found: dict[str, set[str]] = {}

    def walk(command: Any, path: list[str], parent: Any) -> None:
        if hasattr(command, "list_commands"):
            context = Context(command, parent=parent, info_name=path[-1] if path else "wattz")
            for name in command.list_commands(context):
                walk(command.get_command(context, name), [*path, name], context)
        else:
            found[" ".join(path)] = {o for p in command.params for o in getattr(p, "opts", [])}

    walk(typer.main.get_command(app), [], None)
    return found


def acts_on_an_athlete(command: str) -> bool:
    return command not in ATHLETE_FREE and command.split()[0] not in ATHLETE_FREE


def test_every_command_that_acts_on_an_athlete_takes_athlete() -> None:
    commands = leaf_commands()
    missing = [
        name
        for name, options in commands.items()
        if acts_on_an_athlete(name) and "--athlete" not in options
    ]
    assert missing == []
    assert set(INVOCATIONS) == {name for name in commands if acts_on_an_athlete(name)}


@pytest.fixture
def two_athletes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("athlete", "set", "--ftp", "250", "--athlete", "ann").exit_code == 0
    assert run("athlete", "add", "bob", "--ftp", "260").exit_code == 0
    monkeypatch.chdir(tmp_path)
    (tmp_path / WORKOUT_FILE).write_text(json.dumps(AWP))


@pytest.mark.parametrize("command", sorted(INVOCATIONS))
def test_with_several_athletes_a_command_names_them_when_none_is_chosen(
    two_athletes: None, command: str
) -> None:
    result = run(*command.split(), *INVOCATIONS[command])
    assert result.exit_code == 1, result.stdout
    assert "ann" in result.stderr and "bob" in result.stderr and "--athlete" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# --- rename ---------------------------------------------------------------------------------


def test_rename_keeps_the_athletes_goals_and_garmin_login(
    two_athletes: None, wattz_home: Path
) -> None:
    assert run("goal", "add", "Marmotte", "--date", "2027-07-04", "--athlete", "ann").exit_code == 0
    tokens = wattz_home / "garmin" / "ann" / "tokens"
    tokens.mkdir(parents=True)
    (tokens / "oauth.json").write_text("{}")
    result = run("athlete", "rename", "ann", "anna")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "athlete ann is now anna"
    goals = run("goal", "list", "--athlete", "anna", "--json")
    assert goals.exit_code == 0 and "Marmotte" in goals.stdout
    assert (wattz_home / "garmin" / "anna" / "tokens" / "oauth.json").is_file()
    assert not (wattz_home / "garmin" / "ann").exists()
    assert run("athlete", "show", "--athlete", "ann").exit_code == 1


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("carl", "carla", "no athlete named 'carl' — athletes here: ann, bob"),
        ("ann", "bob", "an athlete named 'bob' exists already"),
        ("ann", "  ", "an athlete needs a name"),
        ("ann", "x" * 81, "an athlete needs a name"),
    ],
)
def test_rename_refuses_an_unknown_athlete_or_a_taken_name_in_one_line(
    two_athletes: None, old: str, new: str, words: str
) -> None:
    result = run("athlete", "rename", old, new)
    assert result.exit_code == 1
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    names = [run("athlete", "show", "--athlete", n).exit_code for n in ("ann", "bob")]
    assert names == [0, 0]

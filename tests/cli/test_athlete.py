"""``wattz athlete``: the first set creates 'default'; FTP has a history; zones follow."""

from __future__ import annotations

import json

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

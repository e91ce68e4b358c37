"""``wattz workout schema | validate | show``: good documents shown, bad ones refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import run


def awp(steps: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    return {
        "schemaVersion": "1.0",
        "meta": {"title": "Test", "totalDurationSeconds": total if total is not None else 3600},
        "steps": steps,
    }


def steady(duration: int, value: float) -> dict[str, Any]:
    return {
        "type": "SteadyState",
        "duration": duration,
        "power": {"type": "steady", "value": value},
    }


TWO_BY_TWENTY = {
    "schemaVersion": "1.0",
    "meta": {"title": "2x20 at 95%", "totalDurationSeconds": 3900},
    "steps": [
        {"type": "Warmup", "duration": 600, "power": {"type": "ramp", "start": 0.5, "end": 0.75}},
        {
            "type": "Repeat",
            "repeats": 2,
            "content": [steady(1200, 0.95)],
            "restBetween": {**steady(300, 0.5), "intensity": "rest"},
        },
        {"type": "Cooldown", "duration": 600, "power": {"type": "ramp", "start": 0.6, "end": 0.4}},
    ],
}


def write(tmp_path: Path, document: Any, name: str = "w.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def test_schema_is_a_json_schema_with_every_step_type() -> None:
    result = run("workout", "schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    text = json.dumps(schema)
    for step_type in ("Warmup", "Cooldown", "SteadyState", "Ramp", "FreeRide", "Repeat"):
        assert step_type in text
    assert "maxLength" in text


def test_a_valid_document_validates(tmp_path: Path) -> None:
    result = run("workout", "validate", str(write(tmp_path, TWO_BY_TWENTY)))
    assert result.exit_code == 0
    assert "valid AWP 1.0" in result.stdout


def test_show_json_gives_the_hand_computed_metrics(tmp_path: Path) -> None:
    result = run("workout", "show", str(write(tmp_path, TWO_BY_TWENTY)), "--ftp", "300", "--json")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert summary["duration_s"] == 3900
    assert summary["ftp_w"] == 300
    assert summary["primary_zone"] == 4
    assert summary["zone_seconds"]["z4"] == 2400


def test_steady_hour_at_ftp_shows_tss_100_and_if_1(tmp_path: Path) -> None:
    path = write(tmp_path, awp([steady(3600, 1.0)]))
    result = run("workout", "show", str(path), "--ftp", "250")
    assert result.exit_code == 0
    assert "TSS 100.0" in result.stdout
    assert "IF 1.00" in result.stdout


@pytest.mark.parametrize("width", [80, 120])
def test_show_draws_the_profile_within_the_terminal_width(tmp_path: Path, width: int) -> None:
    result = run(
        "workout", "show", str(write(tmp_path, TWO_BY_TWENTY)), "--ftp", "250", width=width
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= width for line in lines)
    assert any("█" in line for line in lines)


BAD_DOCUMENTS: dict[str, tuple[Any, str]] = {
    "empty file": ("", "empty"),
    "not JSON": ("{steps: nope", "not valid JSON"),
    "wrong shape": ([1, 2, 3], "must be a JSON object"),
    "missing steps": (
        {"schemaVersion": "1.0", "meta": {"title": "x", "totalDurationSeconds": 1}},
        "steps is required",
    ),
    "zero duration": (awp([steady(0, 0.5)], total=0), "steps[0].duration must be > 0, got 0"),
    "negative duration": (
        awp([steady(-60, 0.5)], total=-60),
        "steps[0].duration must be > 0, got -60",
    ),
    "power 50.0": (awp([steady(3600, 50.0)]), "steps[0].power.value must be between 0 and 3.0"),
    "10^9 repeats": (
        awp([{"type": "Repeat", "repeats": 10**9, "content": [steady(60, 1.0)]}]),
        "segments",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_bad_documents_fail_with_one_line_and_exit_1(tmp_path: Path, case: str) -> None:
    document, expected = BAD_DOCUMENTS[case]
    for command in ("validate", "show"):
        result = run("workout", command, str(write(tmp_path, document)))
        assert result.exit_code == 1, result.stdout
        assert result.stdout == ""
        first = result.stderr.splitlines()[0]
        assert first.startswith("error: w.json: ")
        assert expected in first
        assert "Traceback" not in result.stderr


def test_nesting_depth_50_is_refused(tmp_path: Path) -> None:
    step: dict[str, Any] = steady(60, 0.5)
    for _ in range(50):
        step = {"type": "Repeat", "repeats": 1, "content": [step]}
    result = run("workout", "validate", str(write(tmp_path, awp([step], total=60))))
    assert result.exit_code == 1
    assert "nest Repeat blocks more than 4 levels deep" in result.stderr


def test_a_200_megabyte_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    result = run("workout", "validate", str(path))
    assert result.exit_code == 1
    assert "209,715,200 bytes" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_file_is_a_user_error(tmp_path: Path) -> None:
    result = run("workout", "show", str(tmp_path / "nope.json"))
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_validate_lists_every_finding(tmp_path: Path) -> None:
    document = awp([steady(0, 5.0), steady(-1, 0.5)], total=99)
    result = run("workout", "validate", str(write(tmp_path, document)))
    assert result.exit_code == 1
    assert "(+" in result.stderr.splitlines()[0]
    assert "steps[1].duration must be > 0, got -1" in result.stderr

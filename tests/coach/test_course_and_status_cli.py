"""``wattz course add|show`` and ``wattz coach status`` as a person runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.coach.ollama_server import Script, serve, unused_port_url
from tests.conftest import CORPUS, requires_corpus

GPX = CORPUS / "gpx"
STELVIO = GPX / "Italy_-_Passo_dello_Stelvio.gpx"
RICHMOND = GPX / "Richmond_Park.gpx"
GRID = ("mon=0", "tue=60:indoor", "wed=90", "thu=60:indoor", "fri=0", "sat=240:outdoor", "sun=120")


@pytest.fixture(autouse=True)
def athlete() -> None:
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    assert run("availability", "set", *GRID).exit_code == 0


@requires_corpus
def test_course_add_attaches_to_the_next_a_goal_and_shows_its_profile() -> None:
    run("goal", "add", "Stelvio day", "--date", "2027-06-20")
    result = run("course", "add", str(STELVIO), width=80)
    assert result.exit_code == 0, result.stderr
    assert "course 'Italy - Passo dello Stelvio' added to goal 'Stelvio day'" in result.stdout
    assert "mountainous" in result.stdout and "HC" in result.stdout
    assert "█" in result.stdout and "20.8 km" in result.stdout
    for line in result.stdout.splitlines():
        assert len(line) <= 80
    shown = run("course", "show", "--json")
    assert shown.exit_code == 0
    document = json.loads(shown.stdout)
    assert document["goal"] == "Stelvio day"
    course = document["course"]
    assert course["character"] == "mountainous"
    assert course["distance_m"] == pytest.approx(20_796, rel=0.01)
    assert [band["label"] for band in course["gradient"]] == [
        "<2 %",
        "2–4 %",
        "4–6 %",
        "6–8 %",
        ">8 %",
    ]
    assert course["climbs"][0]["category"] == "HC"


@requires_corpus
def test_a_file_with_no_elevation_is_added_with_a_note() -> None:
    run("goal", "add", "Long ride", "--date", "2027-06-20")
    result = run("course", "add", str(GPX / "A_ride_mapped_on_11_22_2011.gpx"))
    assert result.exit_code == 0
    assert "elevation unknown" in result.stdout
    assert "note: the file has no elevation" in result.stderr


def test_a_corrupt_gpx_is_one_line_and_exit_1(tmp_path: Path) -> None:
    run("goal", "add", "Race", "--date", "2027-06-20")
    broken = tmp_path / "broken.gpx"
    broken.write_bytes(b"<gpx><trk><trkseg><trkpt lat='46' lon='10'><ele>1")
    result = run("course", "add", str(broken))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: broken.gpx is not valid XML")
    assert result.stderr.count("\n") == 1
    assert run("course", "show").exit_code == 1


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ([], ["course", "show"], "no upcoming A goal"),
        ([("A1", "2027-05-01"), ("A2", "2027-06-01")], ["course", "show"], "2 upcoming A goals"),
        ([("Race", "2027-05-01")], ["course", "show"], "goal 'Race' has no course"),
        ([("Race", "2027-05-01")], ["course", "show", "--goal", "Nope"], "no goal named 'Nope'"),
        ([("Race", "2027-05-01")], ["course", "add", "/no/such.gpx"], "no file '/no/such.gpx'"),
    ],
)
def test_what_cannot_be_done_is_said_in_one_line(
    setup: list[tuple[str, str]], args: list[str], message: str
) -> None:
    for name, date in setup:
        run("goal", "add", name, "--date", date)
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.stderr


@requires_corpus
def test_two_goals_differing_only_in_course_get_different_specialty_blocks() -> None:
    def specialty(course: Path) -> tuple[str, set[str]]:
        run("goal", "add", course.stem, "--date", "2027-03-14")
        assert run("course", "add", str(course), "--goal", course.stem).exit_code == 0
        result = run("plan", "new", "--goal", course.stem, "--yes", "--replace", "--json")
        assert result.exit_code == 0, result.stderr
        [peak] = [b for b in json.loads(result.stdout)["plan"]["blocks"] if b["type"] == "PEAK"]
        titles = {
            w["title"] for week in peak["weeks"] for w in week["workouts"] if w["role"] == "key"
        }
        return peak["focus"], titles

    hilly_focus, hilly_titles = specialty(STELVIO)
    flat_focus, flat_titles = specialty(RICHMOND)
    assert (hilly_focus, flat_focus) == ("THRESHOLD", "VO2_MAX")
    assert hilly_titles and flat_titles and not hilly_titles & flat_titles


def test_coach_status_lists_the_models_and_the_configured_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with serve(Script(models=("smollm2:135m", "qwen2.5:3b"))) as url:
        monkeypatch.setenv("OLLAMA_HOST", url)
        result = run("coach", "status")
        missing = run("coach", "status", "--model", "llama3.2", "--json")
    assert result.exit_code == 0
    assert f"server: {url} (reachable)" in result.stdout
    assert "models: qwen2.5:3b, smollm2:135m" in result.stdout
    assert "model:  qwen2.5:3b (present)" in result.stdout
    assert missing.exit_code == 0
    document = json.loads(missing.stdout)
    assert document["model"] == "llama3.2:latest" and document["has_model"] is False


def test_coach_status_exits_3_when_the_server_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    url = unused_port_url()
    monkeypatch.setenv("OLLAMA_HOST", url)
    result = run("coach", "status", "--json")
    assert result.exit_code == 3
    assert json.loads(result.stdout)["reachable"] is False
    assert result.stderr.startswith(f"error: Ollama at {url} is not reachable")


def test_coach_status_of_a_hanging_server_ends_at_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WATTZ_OLLAMA_TIMEOUT", "0.5")
    with serve(Script(hang_tags=True)) as url:
        monkeypatch.setenv("OLLAMA_HOST", url)
        result = run("coach", "status")
    assert result.exit_code == 3
    assert "did not answer within 0.5 s" in result.stderr

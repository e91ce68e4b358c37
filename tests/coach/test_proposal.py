"""One workout through every fence: strategy, codification, validation, correction, fallback.

The model is a scripted HTTP server speaking Ollama's API; each test scripts what the
model writes and checks what the engine keeps.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import closing

import pytest

from tests.coach.conftest import GRID, as_reply, config_for, draft
from tests.coach.ollama_server import Reply, Script, serve
from wattz.awp.metrics import workout_metrics
from wattz.coach.client import OllamaClient
from wattz.coach.fences import DayBrief, allowed_zones
from wattz.coach.prompting import BlockBrief
from wattz.coach.proposal import (
    HINTED_TEMPERATURE,
    MAX_CORRECTIONS,
    Proposal,
    Verdict,
    propose,
)
from wattz.coach.schema import day_schema
from wattz.plan import library
from wattz.plan.domain import Strategy

DRAFT = draft()
BLOCK = DRAFT.blocks[0]
WEEK = BLOCK.weeks[0]
KEY = DRAFT.sessions[0]
"""Tuesday's key session: the library's sweet spot hour (the reference and fallback)."""
SLOTS = [
    (
        WEEK.start + dt.timedelta(days=k),
        GRID.slot_on(WEEK.start + dt.timedelta(days=k)).minutes,
        "any",
    )
    for k in range(7)
]
DAY = DayBrief(
    date=KEY.date,
    week=WEEK,
    block_type=BLOCK.type,
    role=KEY.role,
    slot_minutes=GRID.slot_on(KEY.date).minutes,
    venue=KEY.venue,
    share_tss=KEY.tss,
    allowed_zones=allowed_zones(BLOCK.type, Strategy.LINEAR),
    reference=KEY,
)
BRIEF = BlockBrief(BLOCK, 1, Strategy.LINEAR, DRAFT.rhythm, 40.0, DRAFT.discipline)
GOOD = as_reply(KEY.workout)
OFF_BY_300 = as_reply(KEY.workout).replace(
    f'"totalDurationSeconds": {KEY.duration_s}', f'"totalDurationSeconds": {KEY.duration_s + 300}'
)


Ask = Callable[[], Proposal]


@pytest.fixture
def ask(script: Script) -> Iterator[Ask]:
    with serve(script) as url, closing(OllamaClient(config_for(url))) as client:

        def run() -> Proposal:
            return propose(client, BRIEF, DAY, SLOTS)

        yield run


def codify_requests(script: Script) -> list[dict[str, object]]:
    return [r for r in script.chat_requests if r.get("format")]


def test_valid_the_first_time(script: Script, ask: Ask) -> None:
    script.codify = [GOOD]
    proposal = ask()
    assert proposal.verdict is Verdict.FIRST
    assert proposal.calls == 2 and proposal.rounds == 0
    assert proposal.workout is not None
    meta = proposal.workout.meta
    assert meta.author == "wattz with qwen2.5:3b"
    assert meta.description and "sweet-spot" in meta.description
    assert meta.estimated_tss == pytest.approx(workout_metrics(proposal.workout).tss, abs=0.1)
    strategy_call, codify_call = script.chat_requests
    assert strategy_call.get("format") is None
    schema = codify_call["format"]
    assert schema == day_schema(DAY.max_seconds, DAY.allowed_zones)
    assert len(schema["properties"]["steps"]["prefixItems"]) == 3


def test_a_skeleton_document_gets_the_exact_change_and_a_schema_held_to_it(
    script: Script, ask: Ask
) -> None:
    first = {
        "steps": [
            {
                "type": "Warmup",
                "duration": 600,
                "power": {"type": "ramp", "start": 0.5, "end": 0.75},
            },
            {
                "type": "Repeat",
                "repeats": 1,
                "content": [
                    {
                        "type": "SteadyState",
                        "duration": 600,
                        "power": {"type": "steady", "value": 0.8},
                    },
                    {
                        "type": "SteadyState",
                        "duration": 300,
                        "power": {"type": "steady", "value": 0.5},
                        "intensity": "rest",
                    },
                ],
            },
            {
                "type": "Cooldown",
                "duration": 300,
                "power": {"type": "ramp", "start": 0.6, "end": 0.4},
            },
        ],
        "meta": {"title": "Too little", "totalDurationSeconds": 1800},
    }
    script.codify = [json.dumps(first), GOOD]
    proposal = ask()
    assert proposal.verdict is Verdict.CORRECTED
    request = codify_requests(script)[1]
    fed_back = request["messages"][-1]["content"]
    assert "Change exactly these numbers and it passes:" in fed_back
    assert "meta.totalDurationSeconds: " in fed_back
    meta = request["format"]["properties"]["meta"]["properties"]
    assert set(meta["totalDurationSeconds"]) == {"const"}
    assert request["options"]["temperature"] == HINTED_TEMPERATURE


def test_not_json_then_valid(script: Script, ask: Ask) -> None:
    script.codify = ["Sure! Here is a lovely sweet spot workout for you.", GOOD]
    proposal = ask()
    assert proposal.verdict is Verdict.CORRECTED and proposal.rounds == 1
    correction = codify_requests(script)[1]["messages"]
    assert correction[-2]["role"] == "assistant"
    assert "is not valid JSON" in correction[-1]["content"]


def test_schema_violations_are_fed_back(script: Script, ask: Ask) -> None:
    broken = json.loads(GOOD)
    broken["steps"][0]["duration"] = "ten minutes"
    del broken["meta"]["title"]
    script.codify = [json.dumps(broken), GOOD]
    proposal = ask()
    assert proposal.verdict is Verdict.CORRECTED
    fed_back = codify_requests(script)[1]["messages"][-1]["content"]
    assert "steps[0].duration must be a whole number" in fed_back
    assert "meta.title is required" in fed_back


def test_a_duration_sum_that_is_off_is_repaired_in_round_two(script: Script, ask: Ask) -> None:
    script.codify = [OFF_BY_300, GOOD]
    proposal = ask()
    assert proposal.verdict is Verdict.CORRECTED
    assert proposal.rounds == 1 and proposal.calls == 3
    fed_back = codify_requests(script)[1]["messages"][-1]["content"]
    assert (
        f"meta.totalDurationSeconds is {KEY.duration_s + 300} but the steps add up to "
        f"{KEY.duration_s} s" in fed_back
    )


def test_never_valid_is_replaced_after_one_attempt_and_three_corrections(
    script: Script, ask: Ask
) -> None:
    script.codify = [OFF_BY_300]
    proposal = ask()
    assert proposal.verdict is Verdict.REPLACED
    assert proposal.workout is None
    assert proposal.calls == 1 + 1 + MAX_CORRECTIONS
    assert len(codify_requests(script)) == 1 + MAX_CORRECTIONS
    assert any("totalDurationSeconds" in finding for finding in proposal.findings)


def test_a_reply_cut_at_the_token_limit_is_a_failed_attempt(script: Script, ask: Ask) -> None:
    script.codify = [Reply(GOOD, "length"), GOOD]
    proposal = ask()
    assert proposal.verdict is Verdict.CORRECTED
    assert "cut off at the token limit" in codify_requests(script)[1]["messages"][-1]["content"]


def test_the_engine_refuses_a_workout_longer_than_the_slot(script: Script, ask: Ask) -> None:
    script.codify = [as_reply(library.build("ss-steady", 3, 120)), GOOD]
    proposal = ask()
    assert proposal.verdict is Verdict.CORRECTED
    fed_back = codify_requests(script)[1]["messages"][-1]["content"]
    assert f"has {DAY.slot_minutes} min" in fed_back


def test_the_engine_refuses_a_workout_far_from_the_days_load(script: Script, ask: Ask) -> None:
    script.codify = [as_reply(library.build("end-steady", 2, 30)), GOOD]
    proposal = ask()
    assert proposal.verdict is Verdict.CORRECTED
    fed_back = codify_requests(script)[1]["messages"][-1]["content"]
    low, high = DAY.tss_range
    assert f"the day needs TSS {low:.0f}–{high:.0f}" in fed_back


def test_the_engine_refuses_a_zone_the_block_does_not_allow(script: Script, ask: Ask) -> None:
    script.codify = [as_reply(library.build("vo2-classic", 3, 60)), GOOD]
    proposal = ask()
    fed_back = codify_requests(script)[1]["messages"][-1]["content"]
    assert "the Base 1 block allows Z2–Z4" in fed_back
    assert proposal.verdict is Verdict.CORRECTED


def test_powers_a_hundred_times_too_big_never_pass(script: Script, ask: Ask) -> None:
    bad = GOOD.replace('"value": 0.', '"value": 9')
    script.codify = [bad]
    proposal = ask()
    assert proposal.verdict is Verdict.REPLACED
    assert any("must be between 0 and 3" in finding for finding in proposal.findings)


def test_a_reply_still_being_written_at_the_call_limit_is_a_failed_attempt() -> None:
    script = Script(codify=[Reply(GOOD, "stop", pause_s=0.05), GOOD])
    with serve(script) as url:
        config = dataclasses.replace(config_for(url), call_timeout_s=0.5)
        with closing(OllamaClient(config)) as client:
            proposal = propose(client, BRIEF, DAY, SLOTS)
    assert proposal.verdict is Verdict.CORRECTED
    fed_back = codify_requests(script)[1]["messages"][-1]["content"]
    assert "still being written at the time limit" in fed_back

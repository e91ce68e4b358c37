"""What the model is told: the block's constraints (blueprint §2.4) and the course's demands."""

from __future__ import annotations

import dataclasses
import datetime as dt
from contextlib import closing

from tests.coach.conftest import GRID, config_for, draft
from tests.coach.ollama_server import Script, serve
from wattz.coach.client import OllamaClient
from wattz.coach.fences import DayBrief, allowed_zones
from wattz.coach.generator import generate
from wattz.coach.prompting import (
    BlockBrief,
    codify_prompt,
    correction_prompt,
    strategy_prompt,
    system_prompt,
    template,
)
from wattz.plan.course import ProfilePoint, course_demands, course_profile
from wattz.plan.domain import Strategy

DRAFT = draft(weeks=2)
BLOCK = DRAFT.blocks[0]
KEY = DRAFT.sessions[0]
HILLY = course_demands(
    course_profile("Col", [[ProfilePoint(i * 50.0, 500 + i * 50.0 * 0.07) for i in range(300)]])
)
DAY = DayBrief(
    date=KEY.date,
    week=BLOCK.weeks[0],
    block_type=BLOCK.type,
    role=KEY.role,
    slot_minutes=75,
    venue="indoor",
    share_tss=60.0,
    allowed_zones=allowed_zones(BLOCK.type, Strategy.LINEAR),
    reference=KEY,
)
SLOTS = [
    (BLOCK.start + dt.timedelta(days=k), GRID.weekly[k].minutes, GRID.weekly[k].venue)
    for k in range(7)
]


def test_the_system_prompt_carries_the_blocks_constraints() -> None:
    text = system_prompt(
        BlockBrief(BLOCK, 5, Strategy.LINEAR, DRAFT.rhythm, 42.4, DRAFT.discipline)
    )
    assert 'block 1 of 5: "Base 1", a BASE block of 2 week(s)' in text
    assert "Rhythm: 3:1 (3 loading weeks, then a recovery week)" in text
    assert "Primary focus: sweet spot" in text
    assert "CTL 42" in text
    targets = ", ".join(f"week {w.number} {w.tss_target}" for w in BLOCK.weeks)
    assert f"Weekly TSS targets of this block: {targets}." in text
    assert "fraction of the athlete's FTP" in text
    assert "course" not in text.lower()


def test_the_course_and_its_demands_are_in_the_prompt() -> None:
    text = system_prompt(
        BlockBrief(BLOCK, 5, Strategy.LINEAR, DRAFT.rhythm, 40.0, DRAFT.discipline, HILLY)
    )
    assert "The event's course: Col:" in text
    assert "low-cadence (60–75 rpm) torque" in text
    day = strategy_prompt(DAY, SLOTS, HILLY)
    assert "The course asks for efforts at 60–75 rpm." in day


def test_the_day_prompt_gives_the_slot_the_load_and_the_zones() -> None:
    text = strategy_prompt(DAY, SLOTS, None)
    assert (
        f"workout for Tue {KEY.date.isoformat()}: at most 75 minutes (indoors on a trainer)" in text
    )
    assert "a training load of TSS 51–69" in text
    assert "main work in Z2–Z4 (endurance, tempo, threshold)" in text
    assert (
        "Riding days this week: Tue 75 min indoor, Wed 60 min, Thu 75 min, "
        "Sat 240 min outdoor, Sun 60 min." in text
    )
    assert f'"{KEY.workout.meta.title}"' in text


def test_codify_and_correction_prompts() -> None:
    text = codify_prompt(DAY, "Warm up, 3×12 min at 0.9, cool down.")
    assert "Warm up, 3×12 min at 0.9, cool down." in text
    assert "at most 4500 s" in text
    findings = [f"finding {n}" for n in range(12)]
    fed = correction_prompt(findings)
    assert fed.count("\n- finding") == 8 and "finding 8" not in fed


def test_every_prompt_file_fills_without_leftover_names() -> None:
    for name in ("system", "block", "course", "strategy", "codify", "correction"):
        assert template(name).template.strip()
    text = (
        system_prompt(
            BlockBrief(BLOCK, 5, Strategy.LINEAR, DRAFT.rhythm, 40.0, DRAFT.discipline, HILLY)
        )
        + strategy_prompt(DAY, SLOTS, HILLY)
        + codify_prompt(DAY, "x")
    )
    assert "$" not in text


def test_the_generator_sends_the_course_with_every_call() -> None:
    season = dataclasses.replace(draft(), course=HILLY)
    script = Script(codify=["no"])
    with serve(script) as url, closing(OllamaClient(config_for(url))) as client:
        generate(season, client, dt.date(2026, 11, 25))
    assert script.chat_requests
    for request in script.chat_requests:
        assert "torque" in request["messages"][0]["content"]

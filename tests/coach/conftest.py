"""A small season the library has filled, and the documents a scripted model answers with."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.coach.ollama_server import Script, serve
from wattz.awp.models import Workout
from wattz.coach.config import CoachConfig
from wattz.coach.generator import SeasonDraft
from wattz.plan import library
from wattz.plan.domain import (
    Availability,
    BlockFocus,
    BlockPlan,
    BlockType,
    DaySlot,
    PlannedSession,
    Rhythm,
    Role,
    Strategy,
    WeekPlan,
)

MONDAY = dt.date(2026, 11, 30)
"""The Monday after the pinned today (2026-11-25)."""
GRID = Availability(
    (
        DaySlot(0),
        DaySlot(75, "indoor"),
        DaySlot(60),
        DaySlot(75),
        DaySlot(0),
        DaySlot(240, "outdoor"),
        DaySlot(60),
    )
)
WEEK_DAYS: tuple[tuple[int, BlockFocus, Role, int, float], ...] = (
    (1, BlockFocus.SWEET_SPOT, Role.KEY, 60, 60.0),
    (2, BlockFocus.AEROBIC_ENDURANCE, Role.SUPPORT, 60, 40.0),
    (3, BlockFocus.TEMPO, Role.KEY, 60, 55.0),
    (5, BlockFocus.AEROBIC_ENDURANCE, Role.SUPPORT, 180, 125.0),
    (6, BlockFocus.AEROBIC_ENDURANCE, Role.RECOVERY, 45, 16.0),
)
"""(weekday, focus, role, minutes, TSS) of a BASE week: two key days, easy rides between."""


def session_for(
    day: dt.date, focus: BlockFocus, role: Role, minutes: int, tss: float
) -> PlannedSession:
    pick = library.choose(focus, role, 3, minutes, tss)
    assert pick is not None
    return PlannedSession(
        date=day,
        workout=pick.workout,
        role=role,
        library_id=pick.template.id,
        level=pick.level,
        primary_zone=pick.metrics.primary_zone,
        tss=round(pick.metrics.tss, 1),
        intensity_factor=round(pick.metrics.intensity_factor, 3),
        duration_s=pick.metrics.duration_s,
        venue=GRID.slot_on(day).venue,
    )


def base_week(start: dt.date, number: int) -> tuple[WeekPlan, list[PlannedSession]]:
    sessions = [
        session_for(start + dt.timedelta(days=weekday), focus, role, minutes, tss)
        for weekday, focus, role, minutes, tss in WEEK_DAYS
    ]
    total = round(sum(s.tss for s in sessions))
    week = WeekPlan(
        start=start,
        number=number,
        block_type=BlockType.BASE,
        focus=BlockFocus.SWEET_SPOT,
        is_recovery=False,
        tss_target=total,
        volume_target_minutes=round(sum(s.duration_s for s in sessions) / 60),
        loading_index=number,
    )
    return week, sessions


def draft(weeks: int = 1, blocks: int = 1, strategy: Strategy = Strategy.LINEAR) -> SeasonDraft:
    """``blocks`` BASE blocks of ``weeks`` loading weeks each, filled by the library."""
    plans: list[BlockPlan] = []
    sessions: list[PlannedSession] = []
    start = MONDAY
    for order in range(1, blocks + 1):
        block_weeks = []
        for number in range(1, weeks + 1):
            week, placed = base_week(start, number)
            block_weeks.append(week)
            sessions += placed
            start += dt.timedelta(weeks=1)
        plans.append(
            BlockPlan(
                order=order,
                name=f"Base {order}",
                type=BlockType.BASE,
                focus=BlockFocus.SWEET_SPOT,
                start=block_weeks[0].start,
                weeks=tuple(block_weeks),
                recovery_week_index=None,
                progression="Longer rides each loading week",
            )
        )
    return SeasonDraft(
        blocks=tuple(plans),
        sessions=tuple(sessions),
        availability=GRID,
        strategy=strategy,
        rhythm=Rhythm.THREE_ONE,
        start=MONDAY,
        start_ctl=40.0,
    )


def as_reply(workout: Workout, **meta: Any) -> str:
    """A model's document: the workout's structure with only what the schema lets it say."""
    document = workout.to_json_dict()
    document.pop("schemaVersion", None)
    document["meta"] = {
        "title": document["meta"]["title"][:60],
        "totalDurationSeconds": document["meta"]["totalDurationSeconds"],
        **meta,
    }
    _strip(document["steps"])
    return json.dumps(document)


def _strip(steps: list[dict[str, Any]]) -> None:
    for step in steps:
        step.pop("instruction", None)
        step.pop("textEvents", None)
        if "content" in step:
            _strip(step["content"])
        if isinstance(step.get("restBetween"), dict):
            _strip([step["restBetween"]])


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
def ollama_url(script: Script, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The scripted server, with OLLAMA_HOST pointing at it and short time limits."""
    with serve(script) as url:
        monkeypatch.setenv("OLLAMA_HOST", url)
        monkeypatch.setenv("WATTZ_OLLAMA_TIMEOUT", "2")
        yield url


def config_for(url: str, model: str = "qwen2.5:3b", timeout_s: float = 2.0) -> CoachConfig:
    return CoachConfig(
        url,
        model,
        call_timeout_s=timeout_s,
        stall_timeout_s=timeout_s,
        probe_timeout_s=timeout_s,
        connect_timeout_s=timeout_s,
    )

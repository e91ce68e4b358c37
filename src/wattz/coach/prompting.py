"""The prompts: text files in ``prompts/`` filled with a block's and a day's constraints.

Blueprint §2.4: the model writes one block at a time and is told that block's limits —
its type, weeks, rhythm, focus, the starting CTL, the weekly TSS targets, the week's
slots and minutes, and the course's demands. Blueprint §3.4: each workout is asked for
twice, first as a strategy in words, then as JSON against the schema, and refused
documents come back with the findings, one per line. The wording lives in the files so
it can be read and changed without touching code; ``$names`` are filled here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template

from wattz.coach.fences import DayBrief, zone_label
from wattz.plan.course import CourseDemands
from wattz.plan.domain import (
    WEEKDAYS,
    BlockPlan,
    Discipline,
    Rhythm,
    Role,
    Strategy,
)

MAX_FINDINGS_FED_BACK = 8
"""A model fixes a few problems at a time; the rest come back in the next round."""

EVENT_WORDS = {
    Discipline.ROAD: "a road race or sportive",
    Discipline.GRAVEL: "a gravel event: long steady power on loose ground",
    Discipline.MTB: "a mountain-bike race: repeated short, hard efforts",
    Discipline.TT: "a time trial: steady power at threshold in an aero position",
}
VENUE_WORDS = {
    "indoor": "indoors on a trainer",
    "outdoor": "outdoors on the road",
    "any": "indoors or outdoors",
}
ROLE_WORDS = {
    Role.KEY: "key (the week's hard session)",
    Role.SUPPORT: "support (steady riding)",
    Role.RECOVERY: "recovery (very easy)",
}


@dataclass(frozen=True)
class BlockBrief:
    """What the model is told about the block it writes in (blueprint §2.4)."""

    block: BlockPlan
    count: int
    strategy: Strategy
    rhythm: Rhythm
    start_ctl: float
    discipline: Discipline
    course: CourseDemands | None = None


@cache
def template(name: str) -> Template:
    """A prompt file of ``wattz/coach/prompts`` as a ``string.Template``."""
    text = resources.files("wattz.coach").joinpath("prompts", f"{name}.txt").read_text("utf-8")
    return Template(text.strip())


def system_prompt(brief: BlockBrief) -> str:
    return template("system").substitute(block=block_prompt(brief))


def block_prompt(brief: BlockBrief) -> str:
    block = brief.block
    targets = ", ".join(
        f"week {week.number} {week.tss_target}" + (" (recovery)" if week.is_recovery else "")
        for week in block.weeks
    )
    course = ""
    if brief.course is not None and brief.course.emphasis:
        course = template("course").substitute(
            summary=brief.course.summary, emphasis=brief.course.emphasis
        )
    loading = brief.rhythm.loading_weeks
    return (
        template("block")
        .substitute(
            order=block.order,
            count=brief.count,
            name=block.name,
            type=block.type.value,
            weeks=block.duration_weeks,
            start=block.start.isoformat(),
            rhythm=f"{brief.rhythm.value} ({loading} loading weeks, then a recovery week)",
            focus=block.focus.value.replace("_", " ").lower(),
            progression=block.progression,
            strategy=brief.strategy.value,
            ctl=f"{brief.start_ctl:.0f}",
            targets=targets,
            event=EVENT_WORDS[brief.discipline],
            course=course,
        )
        .strip()
    )


def strategy_prompt(
    day: DayBrief, slots: Sequence[tuple[dt.date, int, str]], course: CourseDemands | None
) -> str:
    reference = day.reference
    minutes = round(reference.duration_s / 60)
    low, high = day.tss_range
    cadence = ""
    if course is not None and course.cadence_rpm is not None:
        cadence = (
            f" The course asks for efforts at {course.cadence_rpm[0]}–{course.cadence_rpm[1]} rpm."
        )
    return template("strategy").substitute(
        week_number=day.week.number,
        week_kind=_week_kind(day),
        week_tss=day.week.tss_target,
        slots=_slots(slots),
        role=ROLE_WORDS[day.role],
        weekday=WEEKDAYS[day.date.weekday()].title(),
        date=day.date.isoformat(),
        max_minutes=day.slot_minutes,
        venue=VENUE_WORDS[day.venue],
        minutes=minutes,
        tss_low=f"{low:.0f}",
        tss_high=f"{high:.0f}",
        zones=zone_label(day.allowed_zones),
        reference_title=reference.workout.meta.title,
        reference_minutes=minutes,
        reference_tss=f"{reference.tss:.0f}",
        cadence=cadence,
    )


def codify_prompt(day: DayBrief, strategy: str) -> str:
    seconds = min(int(math.ceil(day.reference.duration_s / 60) * 60), day.max_seconds)
    low, high = day.tss_range
    return template("codify").substitute(
        strategy=strategy,
        max_seconds=day.max_seconds,
        seconds=seconds,
        minutes=seconds // 60,
        zones=zone_label(day.allowed_zones),
        tss_low=f"{low:.0f}",
        tss_high=f"{high:.0f}",
    )


def correction_prompt(findings: Sequence[str], hints: Sequence[str] = ()) -> str:
    """The findings, one per line, and the engine's exact changes when it found some."""
    shown = list(findings[:MAX_FINDINGS_FED_BACK])
    fix = ""
    if hints:
        fix = "Change exactly these numbers and it passes:\n" + "\n".join(f"- {h}" for h in hints)
    return template("correction").substitute(
        findings="\n".join(f"- {line}" for line in shown), hints=fix
    )


def _week_kind(day: DayBrief) -> str:
    if day.week.is_taper:
        return "taper week: volume cut, intensity kept"
    if day.week.is_recovery:
        return "recovery week"
    return f"loading week {day.week.loading_index}"


def _slots(slots: Sequence[tuple[dt.date, int, str]]) -> str:
    riding = [
        f"{WEEKDAYS[day.weekday()].title()} {minutes} min" + ("" if venue == "any" else f" {venue}")
        for day, minutes, venue in slots
        if minutes > 0
    ]
    return ", ".join(riding) or "none"

"""One workout from the model, through every fence: strategy → codify → validate → correct.

Blueprint §3.4. The model first designs the workout in words (free text, a short token
limit), then writes it as JSON with ``format`` = the generation schema. The reply goes
through the three-layer AWP validator and then the engine's fences for the day; while
anything fails, the findings go back for another try, at most ``MAX_CORRECTIONS`` times.
A reply cut off at the token limit (``done_reason == "length"``) or at the call limit is
a failed attempt.

What the engine adds to an accepted document is disclosed, never hidden in the model's
name: the strategy becomes the description, the author says which model wrote it, and
``estimatedTSS`` is the engine's own figure. Transport failures (``CoachUnavailable``)
are not attempts: they propagate so the generator can stop asking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from wattz.awp.metrics import workout_metrics
from wattz.awp.models import TEXT_MAX_CHARS, Workout
from wattz.awp.validate import validate_document
from wattz.coach.client import ChatReply, LLMClient, Message
from wattz.coach.fences import DayBrief, workout_findings
from wattz.coach.hints import Correction, correction_hints
from wattz.coach.prompting import (
    BlockBrief,
    codify_prompt,
    correction_prompt,
    strategy_prompt,
    system_prompt,
)
from wattz.coach.schema import day_schema, pinned

MAX_CORRECTIONS = 3
"""Correction rounds after the first codification (blueprint §3.4; issue 8)."""
STRATEGY_MAX_TOKENS = 120
"""Three to five short sentences; a small model that loops stops here."""
CODIFY_MAX_TOKENS = 600
"""A day's document (``day_schema``) is 150–300 tokens even pretty-printed; twice that
means the model is padding with whitespace or looping."""
STRATEGY_TEMPERATURE = 0.7
"""Some variety in what is proposed…"""
CODIFY_TEMPERATURES = (0.2, 0.5, 0.7, 0.9)
"""…and little in how it is written down, at first. A correction round without the
engine's exact changes samples warmer: a model that wrote a wrong document at a low
temperature tends to write the same one again, findings or not (SmolLM2-135M does,
word for word)."""
HINTED_TEMPERATURE = 0.2
"""A correction that names the numbers to change wants the same document back with
those numbers changed: copying is what a low temperature is good at."""
STRATEGY_MAX_CHARS = 1200
ECHO_MAX_CHARS = 4000
"""A refused reply is shown back to the model in full up to this length."""
AUTHOR_MAX_CHARS = 80
TRUNCATED = (
    "the reply was cut off at the token limit before the document ended; write it "
    "shorter: fewer steps (use a Repeat for intervals) and a short title"
)
TOO_SLOW = (
    "the reply was still being written at the time limit; write a shorter document: "
    "fewer steps (use a Repeat for intervals) and a short title"
)
EMPTY_STRATEGY = "A workout of about {minutes} minutes with its main work in {zones}."


class Verdict(StrEnum):
    FIRST = "first"
    """Accepted as first written."""
    CORRECTED = "corrected"
    """Accepted after one to three correction rounds."""
    REPLACED = "replaced"
    """Never passed: the library's workout stands, with the reason recorded."""


@dataclass(frozen=True)
class Proposal:
    """The outcome for one day: the accepted workout (or None), and what it cost."""

    date: dt.date
    verdict: Verdict
    workout: Workout | None
    calls: int
    rounds: int
    findings: tuple[str, ...]
    """The last refusal's findings (why it was replaced; empty when accepted)."""
    strategy: str


def propose(
    client: LLMClient, block: BlockBrief, day: DayBrief, slots: Sequence[tuple[dt.date, int, str]]
) -> Proposal:
    """Ask for a day's workout and carry it through validation and the fences."""
    system: Message = {"role": "system", "content": system_prompt(block)}
    asked: Message = {"role": "user", "content": strategy_prompt(day, slots, block.course)}
    calls = 1
    reply = client.chat(
        [system, asked],
        schema=None,
        max_tokens=STRATEGY_MAX_TOKENS,
        temperature=STRATEGY_TEMPERATURE,
    )
    strategy = _strategy_text(reply, day)
    codify: Message = {"role": "user", "content": codify_prompt(day, strategy)}
    messages: list[Message] = [system, codify]
    findings: list[str] = []
    base = day_schema(day.max_seconds, day.allowed_zones)
    schema = base
    temperature = CODIFY_TEMPERATURES[0]
    for round_ in range(MAX_CORRECTIONS + 1):
        calls += 1
        reply = client.chat(
            messages, schema=schema, max_tokens=CODIFY_MAX_TOKENS, temperature=temperature
        )
        workout, findings = _check(reply, day, block.block.name)
        if workout is not None:
            verdict = Verdict.FIRST if round_ == 0 else Verdict.CORRECTED
            finished = _finish(workout, strategy, client.model)
            return Proposal(day.date, verdict, finished, calls, round_, (), strategy)
        correction = (
            Correction()
            if reply.truncated
            else correction_hints(reply.content, day, block.block.name)
        )
        warmer = CODIFY_TEMPERATURES[min(round_ + 1, len(CODIFY_TEMPERATURES) - 1)]
        temperature = HINTED_TEMPERATURE if correction else warmer
        schema = pinned(base, correction.pins)
        messages = [
            system,
            codify,
            {"role": "assistant", "content": reply.content[:ECHO_MAX_CHARS]},
            {"role": "user", "content": correction_prompt(findings, correction.lines)},
        ]
    return Proposal(
        day.date, Verdict.REPLACED, None, calls, MAX_CORRECTIONS, tuple(findings), strategy
    )


def _strategy_text(reply: ChatReply, day: DayBrief) -> str:
    """The model's words, tidied and bounded; a reply cut short is still a strategy."""
    text = " ".join(reply.content.split())[:STRATEGY_MAX_CHARS]
    if text:
        return text
    minutes = round(day.reference.duration_s / 60)
    zones = ", ".join(f"Z{zone}" for zone in day.allowed_zones)
    return EMPTY_STRATEGY.format(minutes=minutes, zones=zones)


def _check(reply: ChatReply, day: DayBrief, block_name: str) -> tuple[Workout | None, list[str]]:
    """The validated workout, or the findings that refuse it (validator, then fences)."""
    if reply.truncated:
        return None, [TRUNCATED if reply.done_reason == "length" else TOO_SLOW]
    report = validate_document(reply.content)
    if report.workout is None or report.findings:
        return None, [finding.message for finding in report.findings]
    findings = workout_findings(report.workout, day, block_name)
    return (report.workout, []) if not findings else (None, findings)


def _finish(workout: Workout, strategy: str, model: str) -> Workout:
    """The accepted document with the engine's additions: description, author, TSS."""
    document = workout.to_json_dict()
    meta = dict(document["meta"])
    meta.setdefault("description", strategy[: TEXT_MAX_CHARS * 2])
    meta["author"] = f"wattz with {model}"[:AUTHOR_MAX_CHARS]
    meta["estimatedTSS"] = round(workout_metrics(workout).tss, 1)
    document["meta"] = meta
    return Workout.model_validate(document)

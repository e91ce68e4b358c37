"""Corrections that name the number to change: the engine's arithmetic for the model.

A small model reads "its training load is TSS 38 but the day needs TSS 45–61" and
rewrites the document at random — or, SmolLM2-135M, writes the same one again. The
engine can do better: it tries the single changes a day's schema allows (one duration,
the repeats, the effort's power, or the repeats with the power) on the refused
document, keeps the smallest one after which the document would pass every fence, and
says exactly that — "the effort's power: 0.85 → 0.95", "meta.totalDurationSeconds:
3300". The correction round's schema then allows only the named values in those places
(``Correction.pins``), so a model that copies its last reply still makes the change.
The model still writes the whole document and every fence still checks it; what the
engine chose is on record (the verdict is ``corrected``, never ``first``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from wattz.awp.models import Workout
from wattz.awp.validate import steps_extent, validate_data
from wattz.coach.fences import DayBrief, workout_findings
from wattz.coach.schema import (
    COOLDOWN_SECONDS,
    MAX_REPEATS,
    REST_SECONDS,
    WARMUP_SECONDS,
    WORK_SECONDS,
    work_powers,
)

TOTAL_KEY = "meta.totalDurationSeconds"
TOTAL_PATH: tuple[str | int, ...] = ("meta", "totalDurationSeconds")
POWER_LABEL = "the effort's power"
REPEATS_LABEL = "repeats"


@dataclass(frozen=True)
class _Knob:
    """One number of the skeleton: where it is, what it is called, what it may be."""

    label: str
    path: tuple[str | int, ...]
    values: Sequence[float]


Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Correction:
    """The engine's exact changes: in words for the prompt, as pins for the schema."""

    lines: tuple[str, ...] = ()
    pins: tuple[tuple[Path, float], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.lines)


def correction_hints(content: str, day: DayBrief, block_name: str) -> Correction:
    """The smallest change after which the refused document passes (or no correction)."""
    try:
        document = json.loads(content)
    except ValueError:
        return Correction()
    if not isinstance(document, dict) or not _has_skeleton(document):
        return Correction()
    knobs = tuple(k for k in _knobs(day) if _get(document, k.path) is not None)
    best: tuple[float, Correction] | None = None
    for cost, changes in _candidates(document, knobs):
        if best is not None and cost >= best[0]:
            continue
        changed = copy.deepcopy(document)
        for knob, value in changes:
            _set(changed, knob.path, value)
        total = _total(changed)
        if total is None:
            continue
        changed["meta"]["totalDurationSeconds"] = total
        if _passes(changed, day, block_name):
            words = [
                f"{knob.label}: {_show(_get(document, knob.path))} → {_show(value)}"
                for knob, value in changes
            ]
            pins: list[tuple[Path, float]] = [(knob.path, value) for knob, value in changes]
            if document["meta"].get("totalDurationSeconds") != total:
                words.append(f"{TOTAL_KEY}: {total} (the sum of the steps)")
            pins.append((TOTAL_PATH, total))
            best = (cost, Correction(tuple(words), tuple(pins)))
    return best[1] if best is not None else Correction()


def _knobs(day: DayBrief) -> tuple[_Knob, ...]:
    return (
        _Knob(
            "the effort's power",
            ("steps", 1, "content", 0, "power", "value"),
            work_powers(day.allowed_zones),
        ),
        _Knob(REPEATS_LABEL, ("steps", 1, "repeats"), range(1, MAX_REPEATS + 1)),
        _Knob("the effort's duration", ("steps", 1, "content", 0, "duration"), WORK_SECONDS),
        _Knob("the recovery's duration", ("steps", 1, "content", 1, "duration"), REST_SECONDS),
        _Knob("the cool-down's duration", ("steps", 2, "duration"), COOLDOWN_SECONDS),
        _Knob("the warm-up's duration", ("steps", 0, "duration"), WARMUP_SECONDS),
    )


def _candidates(
    document: dict[str, Any], knobs: Sequence[_Knob]
) -> Iterator[tuple[float, list[tuple[_Knob, float]]]]:
    """No change (the total only), then each single change, then repeats with power."""
    yield 0.0, []
    for knob in knobs:
        now = _get(document, knob.path)
        for value in knob.values:
            if value != now:
                yield 1.0 + _distance(now, value), [(knob, value)]
    named = {knob.label: knob for knob in knobs}
    power, repeats = named.get(POWER_LABEL), named.get(REPEATS_LABEL)
    if power is None or repeats is None:
        return
    for count in repeats.values:
        for value in power.values:
            if count != _get(document, repeats.path) and value != _get(document, power.path):
                cost = 2.0 + _distance(_get(document, repeats.path), count)
                yield (
                    cost + _distance(_get(document, power.path), value),
                    [
                        (repeats, count),
                        (power, value),
                    ],
                )


def _distance(now: Any, value: float) -> float:
    if not isinstance(now, int | float) or now == 0:
        return 1.0
    return min(abs(value - now) / abs(now), 1.0)


def _passes(document: dict[str, Any], day: DayBrief, block_name: str) -> bool:
    report = validate_data(document)
    return report.workout is not None and not workout_findings(report.workout, day, block_name)


def _total(document: dict[str, Any]) -> int | None:
    """The seconds the steps add up to (None when they are not AWP steps)."""
    try:
        parsed = Workout.model_validate(
            {**document, "meta": {**document["meta"], "totalDurationSeconds": 0}}
        )
    except ValidationError:
        return None
    return steps_extent(parsed.steps).seconds


def _has_skeleton(document: dict[str, Any]) -> bool:
    return all(
        _get(document, path) is not None
        for path in (
            ("steps", 1, "repeats"),
            ("steps", 1, "content", 0, "power", "value"),
            ("steps", 2, "duration"),
            ("meta",),
        )
    ) and isinstance(document["meta"], dict)


def _get(node: Any, path: Sequence[str | int]) -> Any:
    for key in path:
        if isinstance(key, int):
            if not isinstance(node, list) or key >= len(node):
                return None
        elif not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _set(node: Any, path: Sequence[str | int], value: float) -> None:
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _show(value: Any) -> str:
    return json.dumps(value)

"""Zwift .zwo workout files into AWP.

A .zwo is XML: ``<workout_file>`` holding ``name``, ``author``, ``description``,
``sportType`` and a ``<workout>`` of blocks. Zwift publishes no schema; what is read here
follows Zwift's own files and the readers that have matched them for years
(GoldenCheetah ``src/Train/ZwoParser.cpp``, nene/zwiftout):

- ``Warmup``, ``Cooldown`` and ``Ramp`` go from ``PowerLow`` (start) to ``PowerHigh`` (end),
  whatever the names suggest: Zwift's cool-downs are written ``PowerLow="0.7"
  PowerHigh="0.3"``.
- ``SteadyState`` takes ``Power``, or ``PowerLow``/``PowerHigh``; when those differ the
  block moves between them over its duration, as Zwift rides it.
- ``IntervalsT`` is ``Repeat`` × (on, off): ``OnDuration``/``OffDuration``,
  ``OnPower``/``OffPower`` or ``PowerOnLow``…``PowerOffHigh``, ``Cadence`` (on) and
  ``CadenceResting`` (off). Its cues count from the start of the whole block, so a block
  with cues is spelled out as single steps to keep them where Zwift shows them.
- ``FreeRide``/``Freeride`` has no target; ``MaxEffort`` is an all-out free ride.
- ``<textevent timeoffset=… message=…>`` children are cues, offset from their block.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ElementTree

from wattz.awp.models import Step
from wattz.sources.workout_files import ImportedWorkout, Normaliser, RawStep

_SIMPLE_BLOCKS = {
    "warmup": "Warmup",
    "cooldown": "Cooldown",
    "ramp": "Ramp",
    "steadystate": "SteadyState",
    "solidstate": "SteadyState",
    "freeride": "FreeRide",
    "maxeffort": "FreeRide",
}


def read_zwo(data: bytes, source_name: str) -> ImportedWorkout:
    """Parse .zwo bytes; unreadable XML or a file with no workout is refused in one line."""
    normaliser = Normaliser(source_name)
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        line, column = error.position
        raise normaliser.refuse(
            f"not valid XML (line {line}, column {column})", "is it really a Zwift .zwo file?"
        ) from None
    if _tag(root) != "workout_file":
        raise normaliser.refuse(
            f"the root element is <{_tag(root)}>, not <workout_file>",
            "is it really a Zwift .zwo file?",
        )
    workout_element = _child(root, "workout")
    if workout_element is None:
        raise normaliser.refuse("has no <workout> element", "a .zwo needs its blocks")
    steps: list[Step] = []
    for index, block in enumerate(workout_element):
        steps.extend(_block_steps(block, index, normaliser))
    workout = normaliser.finish(
        steps,
        title=_text(root, "name"),
        description=_text(root, "description"),
        author=_text(root, "author"),
        sport=_text(root, "sportType"),
    )
    return normaliser.imported(workout, "zwo")


def _block_steps(block: ElementTree.Element, index: int, normaliser: Normaliser) -> list[Step]:
    name = _tag(block)
    where = f"block {index + 1} <{name}>"
    kind = _SIMPLE_BLOCKS.get(name.lower())
    if kind is not None:
        low, high = _power_pair(block, "Power", "PowerLow", "PowerHigh")
        raw = RawStep(
            kind=kind,
            duration_s=_number(block, "Duration", normaliser, where) or 0.0,
            power_start=None if kind == "FreeRide" else low,
            power_end=None if kind == "FreeRide" else high,
            cadence=_optional_number(block, "Cadence"),
            instruction="Max effort" if name.lower() == "maxeffort" else None,
            text_events=_cues(block),
        )
        if kind != "FreeRide" and low is None:
            normaliser.warn(f"{where} has no power target and was read as a free ride")
        step = normaliser.leaf(raw, where)
        return [step] if step is not None else []
    if name.lower() == "intervalst":
        return _intervals(block, where, normaliser)
    if name.lower() == "textevent":
        normaliser.warn(f"{where}: a cue outside any block was dropped")
        return []
    if block.get("Duration") is not None:
        normaliser.warn(f"{where} is not a block wattz knows; it was read as a free ride")
        raw = RawStep(
            "FreeRide",
            _number(block, "Duration", normaliser, where) or 0.0,
            text_events=_cues(block),
        )
        step = normaliser.leaf(raw, where)
        return [step] if step is not None else []
    normaliser.warn(f"{where} is not a block wattz knows and has no duration; it was skipped")
    return []


def _intervals(block: ElementTree.Element, where: str, normaliser: Normaliser) -> list[Step]:
    count = _optional_number(block, "Repeat") or 1
    normaliser.check_repeats(count, where)
    repeats = round(count)
    on_low, on_high = _power_pair(block, "OnPower", "PowerOnLow", "PowerOnHigh")
    off_low, off_high = _power_pair(block, "OffPower", "PowerOffLow", "PowerOffHigh")
    on_s = _optional_number(block, "OnDuration") or 0.0
    off_s = _optional_number(block, "OffDuration") or 0.0
    on = RawStep(
        "SteadyState" if on_low is not None else "FreeRide",
        on_s,
        on_low,
        on_high,
        cadence=_optional_number(block, "Cadence"),
    )
    off = RawStep(
        "SteadyState" if off_low is not None else "FreeRide",
        off_s,
        off_low,
        off_high,
        cadence=_optional_number(block, "CadenceResting"),
        intensity="rest",
    )
    cues = _cues(block)
    if cues:
        return _spelled_out(on, off, repeats, cues, where, normaliser)
    content = [
        step
        for step in (
            normaliser.leaf(on, f"{where} (on)"),
            normaliser.leaf(off, f"{where} (off)"),
        )
        if step is not None
    ]
    return normaliser.repeat(repeats, content, where)


def _spelled_out(
    on: RawStep,
    off: RawStep,
    repeats: int,
    cues: list[tuple[float, str]],
    where: str,
    normaliser: Normaliser,
) -> list[Step]:
    """IntervalsT with cues as single steps, each cue moved into the step it falls in."""
    steps: list[Step] = []
    clock = 0.0
    remaining = sorted(cues)
    for repetition in range(max(repeats, 0)):
        for part, raw in (("on", on), ("off", off)):
            end = clock + raw.duration_s
            inside = [(t - clock, m) for t, m in remaining if clock <= t < end]
            remaining = [(t, m) for t, m in remaining if not clock <= t < end]
            label = f"{where} repetition {repetition + 1} ({part})"
            step = normaliser.leaf(
                RawStep(
                    raw.kind,
                    raw.duration_s,
                    raw.power_start,
                    raw.power_end,
                    raw.cadence,
                    text_events=inside,
                    intensity=raw.intensity,
                ),
                label,
            )
            if step is not None:
                steps.append(step)
            clock = end
    for offset, message in remaining:
        normaliser.warn(f"{where}: the cue “{message}” at {offset:g} s lies past the block")
    return steps


def _power_pair(
    block: ElementTree.Element, single: str, low_name: str, high_name: str
) -> tuple[float | None, float | None]:
    """Start and end power: the single attribute wins, a missing high repeats the low."""
    value = _optional_number(block, single)
    if value is not None:
        return value, value
    low = _optional_number(block, low_name)
    high = _optional_number(block, high_name)
    if low is None:
        return high, high
    return low, high if high is not None else low


def _cues(block: ElementTree.Element) -> list[tuple[float, str]]:
    cues = []
    for child in block:
        if _tag(child).lower() == "textevent":
            offset = _optional_number(child, "timeoffset")
            message = child.get("message") or (child.text or "")
            if offset is not None and message.strip():
                cues.append((offset, message))
    return cues


def _number(
    element: ElementTree.Element, name: str, normaliser: Normaliser, where: str
) -> float | None:
    raw = element.get(name)
    if raw is None:
        raise normaliser.refuse(f"{where} has no {name}")
    try:
        return float(raw)
    except ValueError:
        raise normaliser.refuse(f"{where} has {name}={raw!r}, not a number") from None


def _optional_number(element: ElementTree.Element, name: str) -> float | None:
    raw = element.get(name)
    if raw is None or not raw.strip():
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None  # "inf" and "nan" parse as floats


def _tag(element: ElementTree.Element) -> str:
    """The element name without any XML namespace."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _child(element: ElementTree.Element, name: str) -> ElementTree.Element | None:
    for child in element:
        if _tag(child) == name:
            return child
    return None


def _text(element: ElementTree.Element, name: str) -> str | None:
    child = _child(element, name)
    return child.text.strip() if child is not None and child.text else None

"""AWP → Zwift .zwo workout file.

The elements are the ones Zwift's own workouts use and ``sources.zwo`` reads back
(see there for the sources): ``Warmup``/``Cooldown``/``Ramp`` with ``PowerLow`` = start and
``PowerHigh`` = end — so a cool-down is written ``PowerLow="0.7" PowerHigh="0.4"``, as Zwift
writes it — ``SteadyState Power=…``, ``FreeRide``, ``IntervalsT`` for a plain on/off
repeat, ``Cadence`` attributes and ``<textevent timeoffset=… message=…>`` cues (a step's
instruction becomes a cue at its start). Zwift has no general repeat, so any other
Repeat is spelled out step by step; durations are kept to the second.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from xml.sax.saxutils import escape, quoteattr

from wattz.awp.models import FreeRide, Repeat, SteadyState, Step, TextEvent, Workout

ZWIFT_SPORTS = ("bike", "run")
_INDENT = "    "


def workout_to_zwo(workout: Workout) -> bytes:
    """The workout as .zwo XML bytes (UTF-8, LF line ends, deterministic)."""
    meta = workout.meta
    lines = ["<workout_file>"]
    lines.append(f"{_INDENT}<author>{escape(meta.author or 'wattz')}</author>")
    lines.append(f"{_INDENT}<name>{escape(meta.title)}</name>")
    lines.append(f"{_INDENT}<description>{escape(meta.description or '')}</description>")
    sport = meta.sport if meta.sport in ZWIFT_SPORTS else "bike"
    lines.append(f"{_INDENT}<sportType>{sport}</sportType>")
    lines.append(f"{_INDENT}<tags/>")
    lines.append(f"{_INDENT}<workout>")
    lines.extend(f"{_INDENT * 2}{line}" for line in _blocks(workout.steps))
    lines.append(f"{_INDENT}</workout>")
    lines.append("</workout_file>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _blocks(steps: Sequence[Step]) -> Iterator[str]:
    for step in steps:
        if isinstance(step, Repeat):
            yield from _repeat(step)
        else:
            yield from _leaf(step)


def _repeat(step: Repeat) -> Iterator[str]:
    if _is_on_off(step):
        on, off = step.content
        assert isinstance(on, SteadyState) and isinstance(off, SteadyState)
        assert on.power.type == "steady" and off.power.type == "steady"
        attributes = [
            ("Repeat", str(step.repeats)),
            ("OnDuration", str(on.duration)),
            ("OffDuration", str(off.duration)),
            ("OnPower", _fraction(on.power.value)),
            ("OffPower", _fraction(off.power.value)),
        ]
        if on.cadence is not None:
            attributes.append(("Cadence", str(on.cadence)))
        if off.cadence is not None:
            attributes.append(("CadenceResting", str(off.cadence)))
        yield f"<IntervalsT {_attributes(attributes)}/>"
        return
    for repetition in range(step.repeats):
        if repetition and step.rest_between is not None:
            yield from _blocks([step.rest_between])
        yield from _blocks(step.content)


def _is_on_off(step: Repeat) -> bool:
    """A repeat Zwift's IntervalsT says exactly: two steady steps, nothing in between."""
    if step.rest_between is not None or step.repeats < 2 or len(step.content) != 2:
        return False
    on, off = step.content
    return (
        all(
            isinstance(part, SteadyState)
            and part.power.type == "steady"
            and not part.text_events
            and not part.instruction
            for part in (on, off)
        )
        and on.intensity != "rest"
    )


def _leaf(step: Step) -> Iterator[str]:
    assert not isinstance(step, Repeat)
    attributes = [("Duration", str(step.duration))]
    if isinstance(step, FreeRide):
        tag = "FreeRide"
    else:
        power = step.power
        if power.type == "steady" and step.type in ("SteadyState", "Ramp"):
            tag = "SteadyState" if step.type == "SteadyState" else "Ramp"
            if tag == "SteadyState":
                attributes.append(("Power", _fraction(power.value)))
            else:
                attributes += [
                    ("PowerLow", _fraction(power.value)),
                    ("PowerHigh", _fraction(power.value)),
                ]
        else:
            tag = step.type if step.type in ("Warmup", "Cooldown") else "Ramp"
            start, end = (
                (power.value, power.value) if power.type == "steady" else (power.start, power.end)
            )
            attributes += [("PowerLow", _fraction(start)), ("PowerHigh", _fraction(end))]
    if step.cadence is not None:
        attributes.append(("Cadence", str(step.cadence)))
    cues = _cues(step.instruction, step.text_events or [])
    if not cues:
        yield f"<{tag} {_attributes(attributes)}/>"
        return
    yield f"<{tag} {_attributes(attributes)}>"
    for offset, message in cues:
        cue = _attributes([("timeoffset", str(offset)), ("message", message)])
        yield f"{_INDENT}<textevent {cue}/>"
    yield f"</{tag}>"


def _cues(instruction: str | None, events: Sequence[TextEvent]) -> list[tuple[int, str]]:
    cues = [(event.offset, " ".join(event.message.split())) for event in events]
    if instruction:
        text = " ".join(instruction.split())
        if (0, text) not in cues:
            cues.insert(0, (0, text))
    return sorted(cues, key=lambda cue: cue[0])


def _attributes(pairs: Sequence[tuple[str, str]]) -> str:
    return " ".join(f"{name}={quoteattr(value)}" for name, value in pairs)


def _fraction(value: float) -> str:
    """Fraction of FTP with at most four decimals and no trailing zeros."""
    text = f"{round(value, 4):.4f}".rstrip("0").rstrip(".")
    return text or "0"

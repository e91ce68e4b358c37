"""A short text syntax for typing workouts, in the style of intervals.icu's builder.

    10m ramp 50-75%; 3x(8m 100% 95rpm, 4m 55%); 10m 50%

Steps are separated by ``;``, ``,`` or new lines. A step is a duration (``30s``, ``8m``,
``1h30m``, ``1m30``), then in any order: a power — ``100%``, a range ``88-94%`` (ridden at
its middle), ``ramp 50-75%``, watts ``250w`` (needs an FTP), a Coggan zone ``z2`` (its
middle) or ``free`` — a cadence ``95rpm`` (or ``90-100rpm``), the words ``warmup``,
``cooldown`` or ``rest``, and a ``"quoted instruction"``. No power means a free ride.
``Nx(…)`` repeats the steps inside N times (nesting allowed); ``Nx step`` repeats one.
A ramp up that opens the workout is its warm-up, a ramp down that closes it its
cool-down. :func:`format_workout_text` writes the same syntax back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from wattz.awp.models import Cooldown, FreeRide, Ramp, Repeat, Step, Warmup, Workout
from wattz.awp.zones import POWER_ZONES
from wattz.errors import InvalidValue
from wattz.sources.workout_files import ImportedWorkout, Normaliser, RawStep

MAX_TEXT_CHARS = 10_000
EXAMPLE = "10m ramp 50-75%; 3x(8m 100% 95rpm, 4m 55%); 10m 50%"

_TOKEN = re.compile(
    r"""(?P<space>[ \t\r]+)
      | (?P<zone>[zZ][1-7](?![0-9A-Za-z]))
      | (?P<number>\d+(?:\.\d+)?)
      | (?P<word>[A-Za-z]+)
      | (?P<text>"[^"\n]*"|“[^”\n]*”)
      | (?P<symbol>[%()\-–;,\n×*])""",
    re.VERBOSE,
)
_UNITS_S = {"h": 3600, "hr": 3600, "m": 60, "min": 60, "s": 1, "sec": 1}
_LABELS = {
    "warmup": "Warmup",
    "cooldown": "Cooldown",
    "rest": "rest",
    "recovery": "rest",
    "easy": "rest",
}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    column: int


def parse_workout_text(
    text: str,
    title: str,
    ftp_w: int | None = None,
    description: str | None = None,
) -> ImportedWorkout:
    """The workout the text describes; anything unreadable is refused with its column."""
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidValue(
            f"the workout text is {len(text):,} characters; at most {MAX_TEXT_CHARS:,}",
            "write it shorter, with repeats",
        )
    parser = _Parser(_tokens(text), ftp_w, Normaliser("workout text"))
    steps = parser.sequence(closing=None)
    _mark_warmup_cooldown(steps)
    workout = parser.normaliser.finish(
        steps, title=title or "Workout", description=description, author=None
    )
    return parser.normaliser.imported(workout, "text")


def format_workout_text(workout: Workout) -> str:
    """The workout in the text syntax (ramps and targets to the nearest 0.1 %)."""
    return "; ".join(_format_step(step) for step in workout.steps)


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _error(position + 1, f"unexpected {text[position]!r}")
        kind = match.lastgroup or "space"
        if kind != "space":
            value = match.group()
            if kind in ("word", "zone"):
                value = value.lower()
            elif kind == "symbol":
                value = {"–": "-", "×": "x", "*": "x", ",": ";", "\n": ";"}.get(value, value)
                if value == "x":
                    kind = "word"
            tokens.append(_Token(kind, value, position + 1))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token], ftp_w: int | None, normaliser: Normaliser) -> None:
        self.tokens = tokens
        self.position = 0
        self.ftp_w = ftp_w
        self.normaliser = normaliser
        self.count = 0

    def peek(self, ahead: int = 0) -> _Token | None:
        index = self.position + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise _error(self._end_column(), "the text ends too early")
        self.position += 1
        return token

    def sequence(self, closing: str | None) -> list[Step]:
        steps: list[Step] = []
        while True:
            while self._is(";"):
                self.take()
            token = self.peek()
            if token is None:
                if closing is not None:
                    raise _error(self._end_column(), f"a {closing!r} is missing")
                break
            if closing is not None and token.text == closing:
                self.take()
                break
            steps.extend(self.item())
            following = self.peek()
            if following is not None and following.text not in (";", closing):
                raise _error(following.column, f"expected ';' before {following.text!r}")
        if not steps:
            raise _error(self._end_column(), "no steps were given")
        return steps

    def item(self) -> list[Step]:
        first, second = self.peek(), self.peek(1)
        if first is not None and first.kind == "number" and second is not None:
            if second.text == "x":
                return self.repeat()
        return [self.step()]

    def repeat(self) -> list[Step]:
        count_token = self.take()
        self.take()  # the x
        times = float(count_token.text)
        if times != int(times) or times < 1:
            raise _error(count_token.column, f"{count_token.text}x is not a whole repeat count")
        if self._is("("):
            self.take()
            content = self.sequence(closing=")")
        else:
            content = [self.step()]
        where = f"the repeat at column {count_token.column}"
        return self.normaliser.repeat(int(times), content, where)

    def step(self) -> Step:
        start = self.peek()
        column = start.column if start is not None else self._end_column()
        labels = self._labels()
        seconds = self._duration(column)
        kind = "SteadyState"
        low: float | None = None
        high: float | None = None
        power_seen = False
        cadence: float | None = None
        instruction: str | None = None
        while True:
            token = self.peek()
            if token is None or token.text in (";", ")"):
                break
            if token.kind == "text":
                self.take()
                instruction = token.text[1:-1].strip() or None
            elif token.kind == "word" and token.text in _LABELS:
                labels.append(self.take().text)
            elif token.kind == "word" and token.text in ("free", "freeride"):
                self.take()
                power_seen = True
            elif token.kind == "word" and token.text == "ramp":
                self.take()
                low, high = self._power_range(token.column, ramp=True)
                kind, power_seen = "Ramp", True
            elif token.kind == "zone":
                self.take()
                zone = POWER_ZONES[int(token.text[1]) - 1]
                upper = zone.upper if zone.upper is not None else zone.lower + 0.3
                low = high = round((zone.lower + upper) / 2, 3)
                power_seen = True
            elif token.kind == "number":
                if self._is_cadence():
                    cadence = self._cadence()
                else:
                    if power_seen:
                        raise _error(token.column, "a step has one power target")
                    low, high = self._power_range(token.column, ramp=False)
                    power_seen = True
            else:
                raise _error(token.column, f"{token.text!r} is not part of a step")
        self.count += 1
        for label in labels:
            mapped = _LABELS[label]
            if mapped in ("Warmup", "Cooldown"):
                kind = mapped
        return self._leaf(
            RawStep(
                kind="FreeRide" if low is None else kind,
                duration_s=seconds,
                power_start=low,
                power_end=high,
                cadence=cadence,
                instruction=instruction,
                intensity="rest" if "rest" in (_LABELS[label] for label in labels) else None,
            ),
            column,
        )

    def _leaf(self, raw: RawStep, column: int) -> Step:
        step = self.normaliser.leaf(raw, f"the step at column {column}")
        if step is None:
            raise _error(column, "a step must last at least one second")
        return step

    def _labels(self) -> list[str]:
        labels = []
        while (token := self.peek()) is not None and token.kind == "word":
            if token.text not in _LABELS:
                break
            labels.append(self.take().text)
        return labels

    def _duration(self, column: int) -> float:
        seconds = 0.0
        last_unit: str | None = None
        unit_end = 0
        while (token := self.peek()) is not None and token.kind == "number":
            unit = self.peek(1)
            if unit is not None and unit.kind == "word" and unit.text in _UNITS_S:
                self.take()
                self.take()
                seconds += float(token.text) * _UNITS_S[unit.text]
                last_unit = unit.text
                unit_end = unit.column + len(unit.text)
                continue
            if last_unit in ("m", "min") and token.column == unit_end:
                if not self._starts_target(1):
                    seconds += float(self.take().text)  # 1m30 is 1 min 30 s
            break
        if last_unit is None:
            token = self.peek()
            what = f"{token.text!r}" if token is not None else "the end"
            raise _error(column, f"a step starts with a duration like 30s or 8m, not {what}")
        return seconds

    def _starts_target(self, ahead: int) -> bool:
        following = self.peek(ahead)
        return following is not None and (
            following.text in ("%", "-", "w", "rpm") or following.text in _UNITS_S
        )

    def _is_cadence(self) -> bool:
        one, three = self.peek(1), self.peek(3)
        if one is not None and one.text == "rpm":
            return True
        return one is not None and one.text == "-" and three is not None and three.text == "rpm"

    def _cadence(self) -> float:
        low = float(self.take().text)
        high = low
        if self._is("-"):
            self.take()
            high = float(self._number("a cadence").text)
        self.take()  # rpm
        return (low + high) / 2

    def _power_range(self, column: int, ramp: bool) -> tuple[float, float]:
        low_token = self._number("a power")
        low = float(low_token.text)
        high = low
        if self._is("-"):
            self.take()
            high = float(self._number("a power").text)
        elif ramp:
            raise _error(low_token.column, "a ramp goes from one power to another, e.g. 50-75%")
        unit = self.peek()
        if unit is None or unit.text not in ("%", "w"):
            raise _error(low_token.column, "a power needs % (of FTP) or w (watts)")
        self.take()
        if unit.text == "w":
            if not self.ftp_w:
                raise InvalidValue(
                    f"the step at column {column} is in watts and no FTP is known",
                    "set the athlete's FTP, or write the power in % of FTP",
                )
            low, high = low * 100 / self.ftp_w, high * 100 / self.ftp_w
        if ramp:
            return low / 100, high / 100
        middle = (low + high) / 200
        return middle, middle

    def _number(self, what: str) -> _Token:
        token = self.peek()
        if token is None or token.kind != "number":
            column = token.column if token is not None else self._end_column()
            raise _error(column, f"expected {what} here")
        return self.take()

    def _is(self, text: str) -> bool:
        token = self.peek()
        return token is not None and token.text == text

    def _end_column(self) -> int:
        if not self.tokens:
            return 1
        last = self.tokens[-1]
        return last.column + len(last.text)


def _mark_warmup_cooldown(steps: list[Step]) -> None:
    """An opening ramp up is the warm-up and a closing ramp down the cool-down."""
    first, last = steps[0], steps[-1]
    if isinstance(first, Ramp) and first.power.type == "ramp":
        if first.power.end > first.power.start:
            steps[0] = _retype(first, "Warmup")
    if len(steps) > 1 and isinstance(last, Ramp) and last.power.type == "ramp":
        if last.power.end < last.power.start:
            steps[-1] = _retype(last, "Cooldown")


def _retype(step: Ramp, step_type: str) -> Step:
    data = step.model_dump(exclude={"type"})
    return Warmup.model_validate(data) if step_type == "Warmup" else Cooldown.model_validate(data)


def _format_step(step: Step) -> str:
    if isinstance(step, Repeat):
        content = list(step.content)
        inner: Sequence[Step] = content
        if step.rest_between is not None:
            return "; ".join(
                _format_step(part)
                for part in _spell_rest_between(step.repeats, content, step.rest_between)
            )
        return f"{step.repeats}x({', '.join(_format_step(part) for part in inner)})"
    parts = [_format_duration(step.duration)]
    if step.type == "Warmup":
        parts.insert(0, "warmup")
    elif step.type == "Cooldown":
        parts.insert(0, "cooldown")
    if isinstance(step, FreeRide):
        parts.append("free")
    elif step.power.type == "ramp":
        parts.append(f"ramp {_percent(step.power.start)}-{_percent(step.power.end)}%")
    else:
        parts.append(f"{_percent(step.power.value)}%")
    if step.cadence is not None:
        parts.append(f"{step.cadence}rpm")
    if step.intensity == "rest":
        parts.append("rest")
    if step.instruction:
        parts.append('"' + " ".join(step.instruction.replace('"', "'").split()) + '"')
    return " ".join(parts)


def _spell_rest_between(repeats: int, content: list[Step], rest: Step) -> list[Step]:
    if repeats <= 1:
        return content
    return [Repeat(repeats=repeats - 1, content=[*content, rest]), *content]


def _format_duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = ""
    if hours:
        text += f"{hours}h"
    if minutes:
        text += f"{minutes}m"
    if secs or not text:
        text += f"{secs}s"
    return text


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.1f}".rstrip("0").rstrip(".")


def _error(column: int, problem: str) -> InvalidValue:
    return InvalidValue(
        f"cannot read the workout text at column {column}: {problem}",
        f"write steps like `{EXAMPLE}`",
    )

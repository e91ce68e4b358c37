"""AWP → Wahoo ELEMNT .plan workout file.

Wahoo publishes no specification; this is the plain-text layout the ELEMNT reads from
its ``plans/`` folder, as written by the tools that have fed it for years: a
``=HEADER=`` of ``KEY=value`` lines (``NAME``, ``DURATION`` in seconds, ``PLAN_TYPE=0``,
``WORKOUT_TYPE=0`` for a bike workout, one ``DESCRIPTION=`` per line of text), then
``=STREAM=`` with an ``=INTERVAL=`` per step — ``INTERVAL_NAME``, ``PERCENT_FTP_LO``/``HI``,
``CAD_LO``/``HI`` and ``MESG_DURATION_SEC>=N?EXIT`` — and, for a repeat, an ``=INTERVAL=``
with ``REPEAT=n`` followed by its ``=SUBINTERVAL=`` steps. Only one level of repeat is
understood, so deeper repeats are spelled out; ramps are stepped (``export.headunit``).
"""

from __future__ import annotations

from wattz.awp.models import Workout
from wattz.export.headunit import UnitRepeat, UnitStep, head_unit_steps, percent_range

WAHOO_WORKOUT_TYPES = {"bike": 0, "run": 1}


def workout_to_plan(workout: Workout) -> bytes:
    """The workout as .plan bytes (UTF-8, LF line ends)."""
    meta = workout.meta
    lines = ["=HEADER=", "", f"NAME={_one_line(meta.title)}"]
    lines.append(f"DURATION={meta.total_duration_seconds}")
    lines.append("PLAN_TYPE=0")
    lines.append(f"WORKOUT_TYPE={WAHOO_WORKOUT_TYPES.get(meta.sport, 0)}")
    for text in (meta.description or "").splitlines():
        if text.strip():
            lines.append(f"DESCRIPTION={_one_line(text)}")
    lines += ["", "=STREAM=", ""]
    for node in head_unit_steps(workout, max_depth=1):
        if isinstance(node, UnitRepeat):
            lines += ["=INTERVAL=", "INTERVAL_NAME=Repeat", f"REPEAT={node.repeats}"]
            lines += ["MESG_DURATION_SEC>=0?EXIT", ""]
            for child in node.content:
                assert isinstance(child, UnitStep)
                lines += _interval("=SUBINTERVAL=", child)
        else:
            lines += _interval("=INTERVAL=", node)
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")


def _interval(tag: str, step: UnitStep) -> list[str]:
    lines = [tag, f"INTERVAL_NAME={_one_line(step.name)}"]
    if step.power_low is not None and step.power_high is not None:
        low, high = percent_range(step.power_low, step.power_high)
        lines += [f"PERCENT_FTP_LO={low}", f"PERCENT_FTP_HI={high}"]
    if step.cadence is not None:
        lines += [f"CAD_LO={step.cadence}", f"CAD_HI={step.cadence}"]
    lines += [f"MESG_DURATION_SEC>={step.duration_s}?EXIT", ""]
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())

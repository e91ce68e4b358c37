"""Adjusting one workout: a level down or up, eased, or swapped for an easy ride.

The AWP transforms (``wattz.awp.transforms``) do the arithmetic and always return a
valid document; this module decides how much, keeps the title recognisable and says
what changed in the workout's description, so the athlete sees why it differs from the
library's version.
"""

from __future__ import annotations

from wattz.adapt.plan_state import WorkoutState
from wattz.awp.transforms import scale_intensity
from wattz.errors import WattzError
from wattz.plan import library
from wattz.plan.domain import BlockFocus, Role, Status

REGRESS_TOO_HARD_PERCENT = 10.0
REGRESS_FATIGUE_PERCENT = 5.0
"""Blueprint §6.2: lower the next similar workout 5–10 %. "Too hard" says the level is
wrong (the full 10 %); "fatigue" says the day was (5 %)."""
EASE_PERCENT = 10.0
"""After an unplanned hard ride, a key workout that cannot move is eased by 10 %."""
PROGRESS_TSS_SHARE = 1.05
"""A progression rides the next level at about 5 % more TSS (accelerated progression)."""
PROGRESS_FALLBACK_PERCENT = 5.0
"""A workout with no library level to climb is made 5 % harder instead."""
RECOVERY_MAX_MINUTES = 60
RECOVERY_TARGET_TSS_PER_HOUR = 30.0
"""A recovery spin: Z1, about 30 TSS an hour (IF ≈ 0.55)."""
RECOVERY_LEVEL = 4
EASY_ENDURANCE_LEVEL = 3
EASY_TARGET_TSS_PER_HOUR = 45.0
"""An easy endurance ride: Z2 at IF ≈ 0.65, about 42–45 TSS an hour."""
MAX_DESCRIPTION_CHARS = 2000


def regressed(workout: WorkoutState, percent: float, why: str) -> WorkoutState | None:
    """The workout ``percent`` easier in its work steps and a level lower, or None when
    it cannot be made easier."""
    try:
        document = scale_intensity(workout.workout, -percent, "work")
    except WattzError:
        return None
    level = None if workout.level is None else max(min(library.LEVELS), workout.level - 1)
    return workout.with_workout(
        document,
        level=level,
        title=workout.title,
        description=_noted(workout, f"{why}: work {percent:g} % easier."),
    )


def progressed(workout: WorkoutState, why: str) -> WorkoutState | None:
    """The workout one level up (the library's next main set at about the same TSS and
    no longer), else 5 % harder; None at the top level."""
    if workout.level is not None and workout.level >= max(library.LEVELS):
        return None
    if workout.library_id is not None and workout.level is not None:
        try:
            template = library.template(workout.library_id)
        except WattzError:
            template = None
        if template is not None:
            pick = library.fit(
                template,
                (workout.level + 1,),
                max(1, workout.duration_s // 60),
                workout.tss * PROGRESS_TSS_SHARE,
            )
            if pick is not None:
                document = pick.workout
                return workout.with_workout(
                    document,
                    level=pick.level,
                    description=_noted_text(
                        document.meta.description, f"{why}: progressed to level {pick.level}."
                    ),
                )
    try:
        document = scale_intensity(workout.workout, PROGRESS_FALLBACK_PERCENT, "work")
    except WattzError:
        return None
    level = None if workout.level is None else workout.level + 1
    return workout.with_workout(
        document,
        level=level,
        title=workout.title,
        description=_noted(workout, f"{why}: work {PROGRESS_FALLBACK_PERCENT:g} % harder."),
    )


def eased(workout: WorkoutState, why: str) -> WorkoutState | None:
    return regressed(workout, EASE_PERCENT, why)


def easy_ride(
    workout: WorkoutState, slot_minutes: int, role: Role, max_minutes: int, why: str
) -> WorkoutState | None:
    """The day's workout replaced by an easy ride of the same day: a recovery spin
    (``Role.RECOVERY``, Z1) or easy endurance (``Role.SUPPORT``, Z2), never longer than
    ``max_minutes`` or the slot. None when no easy ride fits."""
    minutes = min(slot_minutes, max_minutes)
    if role is Role.RECOVERY:
        per_hour, level = RECOVERY_TARGET_TSS_PER_HOUR, RECOVERY_LEVEL
    else:
        per_hour, level = EASY_TARGET_TSS_PER_HOUR, EASY_ENDURANCE_LEVEL
    pick = library.choose(
        BlockFocus.AEROBIC_ENDURANCE,
        role,
        level,
        minutes,
        per_hour * minutes / 60,
        workout.venue,
    )
    if pick is None:
        return None
    document = pick.workout
    return workout.with_workout(
        document,
        role=role,
        status=Status.PENDING if workout.status is Status.PENDING else workout.status,
        library_id=pick.template.id,
        level=pick.level,
        forced=False,
        description=_noted_text(document.meta.description, f"{why}."),
    )


def _noted(workout: WorkoutState, note: str) -> str:
    return _noted_text(workout.description, note)


def _noted_text(description: str | None, note: str) -> str:
    text = f"{description} {note}" if description else note
    return text[-MAX_DESCRIPTION_CHARS:] if len(text) > MAX_DESCRIPTION_CHARS else text

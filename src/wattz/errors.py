"""The one exception tree of wattz.

Everything below ``wattz.cli`` raises these instead of printing or exiting; the CLI
catches them once and turns them into ``error: <what> — <what to do>`` and an exit code.

    WattzError                 exit 1 unless a subclass says otherwise
    ├── UserError              exit 1: bad input, a value out of range, something not found
    │   ├── InvalidValue       an option or argument whose value is wrong
    │   ├── NotFound           a named thing (athlete, goal, plan, workout, file) is missing
    │   ├── Conflict           the request clashes with what exists (an active plan, …)
    │   └── InvalidWorkout     an AWP document failed validation; carries the findings
    └── ExternalError          exit 3: a part outside wattz failed (Ollama, Garmin, a device)
"""

from __future__ import annotations

from collections.abc import Sequence


class WattzError(Exception):
    """Base of every error wattz raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class UserError(WattzError):
    """Bad input from the person at the keyboard: fix the input and try again."""


class InvalidValue(UserError):
    """An option or argument has a value wattz refuses."""


class NotFound(UserError):
    """Something named on the command line does not exist."""


class Conflict(UserError):
    """The request clashes with what the store already holds."""


class InvalidWorkout(UserError):
    """An AWP document failed validation; ``findings`` says where and why."""

    def __init__(self, message: str, findings: Sequence[str] = (), hint: str | None = None):
        super().__init__(message, hint)
        self.findings = tuple(findings)


class ExternalError(WattzError):
    """A part outside wattz failed: Ollama, Garmin Connect, a device mount."""

    exit_code = 3

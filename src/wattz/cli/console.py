"""Two consoles: data on stdout, everything else (errors, progress, notes) on stderr."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from wattz.errors import WattzError

if TYPE_CHECKING:
    from rich.console import Console


def out() -> Console:
    """The data console (stdout), sized to the terminal now; Rich loads only when used."""
    from rich.console import Console

    return Console(highlight=False)


def err() -> Console:
    """The console for everything that is not data (stderr)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def report_line(message: str) -> None:
    """One ``error: …`` line on stderr, never wrapped or styled."""
    print(f"error: {message}", file=sys.stderr)


def report_error(error: WattzError) -> None:
    report_line(str(error))


def note(message: str) -> None:
    """A remark for the person (never data): stderr, so --json output stays clean.

    Plain text, not Rich: a note is one unstyled line, and a scripted command that only
    reports should not pay for loading Rich (nor have ``[...]`` in a name read as markup).
    """
    print(message, file=sys.stderr)


def line(text: str) -> None:
    """One plain line of data on stdout, never wrapped, styled or read as markup."""
    print(text)


def print_json(document: Any) -> None:
    """One JSON document on stdout and nothing else."""
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")

"""Options every command group shares, and parsing of their values into domain values.

Values are parsed here (not by Typer) so that a bad value is a WattzError with exit 1,
leaving Typer's exit 2 for unknown options and missing arguments.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, TypeVar

import typer

from wattz.errors import InvalidValue

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
AthleteOption = Annotated[
    str | None,
    typer.Option("--athlete", help="The athlete to act on (default: the only one)."),
]

EnumT = TypeVar("EnumT", bound=StrEnum)


def parse_date(value: str, option: str) -> dt.date:
    """An ISO date (YYYY-MM-DD) or the words today / tomorrow / yesterday."""
    from wattz.settings import today

    words = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if value.lower() in words:
        return today() + dt.timedelta(days=words[value.lower()])
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidValue(f"{option} {value!r} is not a date", "use the form YYYY-MM-DD") from None


def parse_optional_date(value: str | None, option: str) -> dt.date | None:
    return None if value is None else parse_date(value, option)


def parse_enum(kind: type[EnumT], value: str, option: str) -> EnumT:
    """A contract enum value, matched case-insensitively."""
    for member in kind:
        if member.value.lower() == value.lower() or member.name.lower() == value.lower():
            return member
    choices = "|".join(m.value for m in kind)
    raise InvalidValue(f"{option} {value!r} is not one of {choices}", "pick one of those")


def command_group(help: str) -> typer.Typer:
    """A sub-app for one command group, with the same plain, fast help as the root."""
    return typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None)

"""Where wattz keeps its data and what day it is, read from the environment.

This is the edge that turns environment variables into plain values; the core never
reads the environment or the clock itself (today's date is a parameter everywhere).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from wattz.errors import InvalidValue

HOME_VARIABLE = "WATTZ_HOME"
DATABASE_URL_VARIABLE = "WATTZ_DATABASE_URL"
TODAY_VARIABLE = "WATTZ_TODAY"
DEBUG_VARIABLE = "WATTZ_DEBUG"


def data_dir() -> Path:
    """The folder holding wattz.db and wattz's own records (WATTZ_HOME overrides it)."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("wattz"))


def database_url() -> str:
    """SQLAlchemy URL of the store: WATTZ_DATABASE_URL, else SQLite in the data dir."""
    override = os.environ.get(DATABASE_URL_VARIABLE)
    if override:
        return override
    return f"sqlite:///{data_dir() / 'wattz.db'}"


def today() -> dt.date:
    """Today's date, pinned by WATTZ_TODAY=YYYY-MM-DD when set (tests and scripts do)."""
    pinned = os.environ.get(TODAY_VARIABLE)
    if not pinned:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise InvalidValue(
            f"{TODAY_VARIABLE}={pinned!r} is not a date", "use the form YYYY-MM-DD"
        ) from None


def debug_enabled() -> bool:
    """Whether tracebacks are shown (WATTZ_DEBUG=1)."""
    return os.environ.get(DEBUG_VARIABLE, "") not in ("", "0", "false", "no")

"""The environment a user's shell gives wattz, for the benches that time whole processes.

Some sandboxes and CI images export PYTHONDONTWRITEBYTECODE, which makes every run compile
wattz's own modules from source (~0.1 s a process); no installed program runs so (pip
compiles a package's bytecode when it installs it). The benches time what users get.
"""

from __future__ import annotations

import os
import subprocess
import sys
from functools import cache
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "wattz"


@cache
def _compiled_environment() -> tuple[tuple[str, str], ...]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(SOURCE)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return tuple(env.items())


def user_environment() -> dict[str, str]:
    """os.environ without PYTHONDONTWRITEBYTECODE, with wattz's bytecode compiled (once)."""
    return dict(_compiled_environment())

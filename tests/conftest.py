"""Shared fixtures: every test runs with its own WATTZ_HOME and a pinned today."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests explore new examples on a developer's machine, but CI must be repeatable:
# a red build should never depend on the day's random seed.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"

TODAY = "2026-11-25"


@pytest.fixture(autouse=True)
def wattz_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No test touches the real data dir; today is pinned so dates are reproducible."""
    home = tmp_path / "wattz-home"
    monkeypatch.setenv("WATTZ_HOME", str(home))
    monkeypatch.setenv("WATTZ_TODAY", TODAY)
    monkeypatch.delenv("WATTZ_DATABASE_URL", raising=False)
    monkeypatch.delenv("WATTZ_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    yield home


def corpus_files(folder: str, *suffixes: str) -> list[Path]:
    """Files of ../shared/corpus/<folder> with the given suffixes (empty when absent)."""
    base = CORPUS / folder
    if not base.is_dir():
        return []
    wanted = {suffix.lower() for suffix in suffixes}
    return sorted(p for p in base.rglob("*") if p.is_file() and p.suffix.lower() in wanted)


requires_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus is absent (a fresh clone has no ../shared)"
)

"""The nightly audit's round trips: how many SQL statements one athlete's night costs.

On PostgreSQL each statement is a round trip, so a coach's ``audit --all`` of many
athletes is bounded by them. The audit reads each table it needs once (the rows a change
touches are found among the rows already read) and writes a night's changes together;
these bounds fail when a statement per row (N+1) comes back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.cli.plan_scenarios import DAY, build_plan, day_of, keys, loading_weeks, settle
from wattz.services.audit import run_audit

QUIET_NIGHT_STATEMENTS = 14
"""Finding the athlete (3), then their sources, plan, goals, blocks, weeks, workouts,
grid (2), rides, wellness and change log: one statement each."""


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every SQL statement sent to the store inside the block (an executemany is one),
    by any engine; the store's engine is opened (and migrated) before."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from wattz.model.store import engine

    engine()
    sent: list[str] = []

    def record(*args: Any) -> None:
        sent.append(" ".join(args[2].split()))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def repeated(sent: list[str], verb: str) -> list[str]:
    return [text for text, times in Counter(sent).items() if times > 1 and text.startswith(verb)]


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A plan settled (every earlier workout ridden and audited) up to its first key day."""
    first: dict[str, Any] = keys(loading_weeks(build_plan())[0])[0]
    settle(monkeypatch, day_of(first))
    return first


def test_a_quiet_night_reads_each_table_once(key: dict[str, Any]) -> None:
    with statements() as sent:
        report = run_audit(None, day_of(key))
    assert report.nothing_to_do
    assert any("FROM planned_workout" in text for text in sent), "the audit was seen"
    assert len(sent) <= QUIET_NIGHT_STATEMENTS, "\n".join(sent)
    assert not repeated(sent, ""), "a statement per row"


def test_a_night_with_changes_reads_no_row_twice_and_writes_rows_together(
    key: dict[str, Any],
) -> None:
    with statements() as sent:
        report = run_audit(None, day_of(key) + DAY)
    (night,) = report.athletes
    assert night.classified and any(c.action == "move" for c in night.changes)
    logged = [c.id for c in night.changes]
    assert logged == sorted(logged), "the log rows, inserted together, keep the night's order"
    selects = [text for text in sent if text.startswith("SELECT")]
    assert len(selects) <= QUIET_NIGHT_STATEMENTS, "\n".join(selects)
    assert not repeated(sent, "SELECT"), "a query per row"
    created = sum(
        len({w["id"] for w in c.after["workouts"]} - {w["id"] for w in c.before["workouts"]})
        for c in night.changes
    )
    inserts = [text for text in sent if text.startswith("INSERT")]
    assert len(inserts) <= len(night.changes) + created, "\n".join(inserts)

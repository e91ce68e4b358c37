"""The entry point pauses the cyclic collector while a command starts up."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator

import pytest

from wattz.cli.collection import collection_after_startup


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


def test_a_short_command_runs_with_the_collector_paused() -> None:
    with collection_after_startup(startup_seconds=30):
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_long_command_collects_again_once_startup_is_over() -> None:
    with collection_after_startup(startup_seconds=0.05):
        deadline = time.monotonic() + 5
        while not gc.isenabled() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # startup's objects are out of the walks


def test_at_exit_everything_alive_is_frozen_so_the_last_collection_is_short() -> None:
    with collection_after_startup(startup_seconds=30):
        kept = [object() for _ in range(1000)]
    assert gc.get_freeze_count() >= len(kept)


def test_a_failing_command_still_restores_the_collector() -> None:
    with pytest.raises(SystemExit), collection_after_startup(startup_seconds=30):
        raise SystemExit(2)
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    with collection_after_startup(startup_seconds=30):
        pass
    assert not gc.isenabled()


# Python 3.12+ warns about forking while a thread (the timer) runs; the child only reports.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_process_forked_during_startup_collects_in_the_child() -> None:
    """The ride reader's worker pool forks: its workers have no timer to resume them."""
    with collection_after_startup(startup_seconds=30):
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - runs in the child
            os.write(write, b"1" if gc.isenabled() else b"0")
            os._exit(0)
        os.waitpid(child, 0)
        assert os.read(read, 1) == b"1"
        os.close(read)
        os.close(write)
        assert not gc.isenabled()

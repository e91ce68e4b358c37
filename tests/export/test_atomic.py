"""Atomic writes: the old file or the new one, never a partial one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wattz.errors import ExternalError
from wattz.export.atomic import remove_file, write_all_atomic, write_atomic


def test_writes_and_replaces_whole_files(tmp_path: Path) -> None:
    path = tmp_path / "w.fit"
    write_atomic(path, b"first")
    write_atomic(path, b"second")
    assert path.read_bytes() == b"second"
    assert os.listdir(tmp_path) == ["w.fit"]


@pytest.mark.parametrize("failing", ["sync", "replace"])
def test_a_failure_mid_write_keeps_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "w.fit"
    path.write_bytes(b"old")

    def broken(*args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, failing, broken)
    with pytest.raises(ExternalError) as raised:
        write_atomic(path, b"new" * 1000)
    assert raised.value.exit_code == 3
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["w.fit"]


def test_a_missing_folder_is_an_external_error(tmp_path: Path) -> None:
    with pytest.raises(ExternalError, match="could not write"):
        write_atomic(tmp_path / "unplugged" / "w.fit", b"data")


def test_remove_tolerates_a_file_already_gone(tmp_path: Path) -> None:
    remove_file(tmp_path / "absent.fit")
    (tmp_path / "busy").mkdir()
    with pytest.raises(ExternalError, match="could not remove"):
        remove_file(tmp_path / "busy")


def test_a_batch_failing_midway_keeps_the_files_already_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    landed: list[Path] = []

    def third_fails(source: str, destination: str) -> None:
        if len(landed) == 2:
            raise OSError(19, "No such device")
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", third_fails)
    files = [(tmp_path / f"{index}.zwo", b"<workout_file/>") for index in range(4)]
    with pytest.raises(ExternalError, match="2.zwo: No such device"):
        write_all_atomic(files, landed.append)
    assert landed == [tmp_path / "0.zwo", tmp_path / "1.zwo"]
    assert sorted(os.listdir(tmp_path)) == ["0.zwo", "1.zwo"]

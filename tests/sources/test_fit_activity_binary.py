"""The FIT decoder under the activity reader: protocol details, checked on hand-made bytes
and against fitparse (an independent implementation) on real corpus files."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tests.conftest import CORPUS, requires_corpus
from wattz.sources.fit_binary import decode

RECORD = 20
PROFILE = {RECORD: {3: "heart_rate", 7: "power"}, 21: {0: "event"}}
ACTIVITIES = CORPUS / "fit" / "activities"


def fit_file(records: bytes, data_size: int | None = None) -> bytes:
    """A FIT file around ``records``: 14-byte header (CRC 0) and a 2-byte trailing CRC."""
    size = len(records) if data_size is None else data_size
    header = struct.pack("<BBHI4sH", 14, 0x20, 2132, size, b".FIT", 0)
    return header + records + b"\0\0"


def definition(
    local: int,
    global_number: int,
    fields: list[tuple[int, int, int]],
    big_endian: bool = False,
    developer: list[tuple[int, int, int]] | None = None,
) -> bytes:
    header = 0x40 | local | (0x20 if developer is not None else 0)
    body = struct.pack(
        (">" if big_endian else "<") + "BBHB", 0, int(big_endian), global_number, len(fields)
    )
    body += b"".join(bytes(field) for field in fields)
    if developer is not None:
        body += bytes([len(developer)]) + b"".join(bytes(field) for field in developer)
    return bytes([header]) + body


TIMESTAMP = (253, 4, 0x86)
HEART_RATE = (3, 1, 0x02)
POWER = (7, 2, 0x84)


def test_a_record_is_read_with_its_fields_and_invalid_values_become_none() -> None:
    records = definition(0, RECORD, [TIMESTAMP, HEART_RATE, POWER])
    records += b"\x00" + struct.pack("<IBH", 1_000_000_000, 140, 250)
    records += b"\x00" + struct.pack("<IBH", 1_000_000_001, 0xFF, 0xFFFF)

    decoded = decode(fit_file(records), PROFILE)

    assert decoded.problem is None
    assert decoded.messages[RECORD] == [
        {"timestamp": 1_000_000_000, "heart_rate": 140, "power": 250},
        {"timestamp": 1_000_000_001, "heart_rate": None, "power": None},
    ]


def test_big_endian_definitions_are_honoured() -> None:
    records = definition(0, RECORD, [TIMESTAMP, POWER], big_endian=True)
    records += b"\x00" + struct.pack(">IH", 1_000_000_000, 300)

    assert decode(fit_file(records), PROFILE).messages[RECORD] == [
        {"timestamp": 1_000_000_000, "power": 300}
    ]


def test_compressed_timestamps_count_on_from_the_last_full_one_and_roll_over() -> None:
    full = 1_000_000_030  # low 5 bits: 30
    records = definition(0, RECORD, [TIMESTAMP, POWER]) + definition(1, RECORD, [POWER])
    records += b"\x00" + struct.pack("<IH", full, 100)
    # Compressed header: bit 7, local type 1 in bits 5–6, time offset in bits 0–4.
    records += bytes([0x80 | (1 << 5) | 31]) + struct.pack("<H", 101)  # +1 s
    records += bytes([0x80 | (1 << 5) | 2]) + struct.pack("<H", 102)  # rolls over: +3 s

    times = [m["timestamp"] for m in decode(fit_file(records), PROFILE).messages[RECORD]]

    assert times == [full, full + 1, full + 4]


def test_developer_fields_and_misaligned_fields_are_skipped_not_fatal() -> None:
    odd_sized_uint32 = (5, 1, 0x86)  # COROS writes fields whose size fits no base type
    records = definition(
        0, RECORD, [TIMESTAMP, odd_sized_uint32, POWER], developer=[(0, 3, 0), (1, 2, 0)]
    )
    records += b"\x00" + struct.pack("<IBH", 1_000_000_000, 7, 222) + b"dev" + b"xy"
    records += b"\x00" + struct.pack("<IBH", 1_000_000_001, 7, 223) + b"dev" + b"xy"

    decoded = decode(fit_file(records), PROFILE)

    assert [m["power"] for m in decoded.messages[RECORD]] == [222, 223]


def test_a_truncated_file_keeps_what_came_before_the_break() -> None:
    records = definition(0, RECORD, [TIMESTAMP, POWER])
    records += b"\x00" + struct.pack("<IH", 1_000_000_000, 100)
    records += b"\x00" + struct.pack("<IH", 1_000_000_001, 101)
    whole = fit_file(records)

    decoded = decode(whole[:-5], PROFILE)

    assert [m["power"] for m in decoded.messages[RECORD]] == [100]
    assert decoded.problem is not None and "ends early" in decoded.problem


@pytest.mark.parametrize(
    "data",
    [b"", b"hello world, not a fit file", fit_file(b"")[:10], fit_file(b"\x00\x01\x02")],
    ids=["empty", "text", "cut-header", "undefined-message"],
)
def test_bytes_with_nothing_readable_are_refused(data: bytes) -> None:
    with pytest.raises(ValueError):
        decode(data, PROFILE)


def test_an_undefined_local_message_after_good_data_is_a_problem_not_an_error() -> None:
    records = definition(0, RECORD, [TIMESTAMP, POWER])
    records += b"\x00" + struct.pack("<IH", 1_000_000_000, 100) + b"\x05garbage"

    decoded = decode(fit_file(records), PROFILE)

    assert len(decoded.messages[RECORD]) == 1
    assert decoded.problem is not None and "local message 5" in decoded.problem


def test_chained_files_are_both_read() -> None:
    first = definition(0, RECORD, [TIMESTAMP, POWER])
    first += b"\x00" + struct.pack("<IH", 1_000_000_000, 100)
    second = definition(0, RECORD, [TIMESTAMP, POWER])
    second += b"\x00" + struct.pack("<IH", 1_000_000_100, 200)

    decoded = decode(fit_file(first) + fit_file(second), PROFILE)

    assert [m["power"] for m in decoded.messages[RECORD]] == [100, 200]
    assert decoded.problem is None


@requires_corpus
@pytest.mark.parametrize(
    "name",
    [
        "Garmin830_with_Stages.fit",
        "elemnt-bolt-no-application-id-inside-developer-data-id.fit",
        "compressed-speed-distance.fit",
    ],
)
def test_records_match_fitparse_on_real_files(name: str) -> None:
    import fitparse

    path = ACTIVITIES / name
    fields = {3: "heart_rate", 4: "cadence", 7: "power"}
    ours = decode(path.read_bytes(), {RECORD: fields}).messages[RECORD]
    theirs = [
        message.get_values() for message in fitparse.FitFile(str(path)).get_messages("record")
    ]

    def seconds(value: object) -> object:
        # fitparse turns absolute times into datetimes and leaves relative ones as ints.
        return int(value.timestamp()) - 631065600 if hasattr(value, "timestamp") else value

    assert len(ours) == len(theirs)
    for mine, reference in zip(ours, theirs, strict=True):
        for name_ in ("heart_rate", "cadence", "power"):
            assert mine.get(name_) == reference.get(name_)
        assert mine["timestamp"] == seconds(reference["timestamp"])


def test_the_corpus_folder_is_where_the_tests_expect_it() -> None:
    assert isinstance(ACTIVITIES, Path)

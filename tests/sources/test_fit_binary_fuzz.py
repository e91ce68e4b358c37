"""Hostile FIT activity bytes: the decoder raises nothing but ValueError (its documented
"nothing readable"), and the activity reader turns every file into a ride or one
``InvalidValue`` line — arbitrary bytes, and real rides bit-flipped, truncated, spliced,
with wrong header sizes, CRCs and declared lengths."""

from __future__ import annotations

import struct

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import corpus_files, requires_corpus
from tests.sources.hostile import FUZZ, mutated, peak_megabytes, seeds, value_or_wattz_error
from tests.sources.test_fit_activity_binary import TIMESTAMP, definition, fit_file
from wattz.sources.fit_activity import PROFILE, FitActivity, parse_fit_activity
from wattz.sources.fit_binary import DecodedFit, decode

RIDES = seeds(corpus_files("fit/activities", ".fit"))
FIT_HEADER = struct.pack("<BBHI4sH", 14, 0x20, 2132, 0, b".FIT", 0)


def decodes_or_refuses(data: bytes) -> None:
    try:
        decoded = decode(data, PROFILE)
    except ValueError as error:
        assert str(error)
        return
    assert isinstance(decoded, DecodedFit)
    assert 0 <= decoded.bytes_read <= len(data)


def reads_or_refuses(data: bytes) -> None:
    result = value_or_wattz_error(lambda: parse_fit_activity(data, "hostile.fit", "UTC"))
    if isinstance(result, FitActivity):
        assert result.elapsed_s >= 1
        assert result.stream.moving_s >= 0


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_are_a_ride_or_one_line(data: bytes) -> None:
    reads_or_refuses(data)


@FUZZ
@given(st.binary(max_size=600))
def test_any_records_after_a_valid_header_are_a_ride_or_one_line(records: bytes) -> None:
    reads_or_refuses(fit_file(records))


@requires_corpus
@FUZZ
@given(mutated(RIDES or [b""], fit=True))
def test_a_damaged_real_ride_decodes_or_is_refused(data: bytes) -> None:
    decodes_or_refuses(data)
    reads_or_refuses(data)


def test_a_declared_data_size_of_four_gigabytes_reads_what_is_there() -> None:
    records = definition(0, 20, [TIMESTAMP]) + b"\x00" + struct.pack("<I", 1_000_000_000)
    data = fit_file(records, data_size=0xFFFFFFFF)

    assert peak_megabytes(lambda: parse_fit_activity(data, "huge.fit", "UTC")) < 20
    assert "ends early" in str(parse_fit_activity(data, "huge.fit", "UTC").problem)


def test_a_definition_with_255_fields_of_255_bytes_allocates_no_more_than_the_file() -> None:
    fields = [(number, 255, 0x0D) for number in range(255)]
    data = fit_file(definition(0, 20, fields) + b"\x00" * 100)

    assert peak_megabytes(lambda: decodes_or_refuses(data)) < 20
    reads_or_refuses(data)


def test_a_header_that_claims_to_be_smaller_than_a_header_is_refused() -> None:
    reads_or_refuses(bytes([11]) + FIT_HEADER[1:] + b"\0\0")

"""Reading FIT activities: every corpus file reads or is refused in one line; pauses are cut
out, never filled; the ride's day is its local date; damaged files keep what is readable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import CORPUS, corpus_files, requires_corpus
from wattz.errors import InvalidValue, NotFound
from wattz.sources.activity_stream import ActivityStream
from wattz.sources.fit_activity import FitActivity, parse_fit_activity, read_fit_activity

ACTIVITIES = CORPUS / "fit" / "activities"
DAMAGED = {
    "activity-unexpected-eof.fit": "ends early",
    "activity-settings-corruptheader.fit": "byte 771",
    "strava-android-app-201.10-b1218918.fit": "local message 11",
}


def read(name: str, time_zone: str | None = "UTC") -> FitActivity:
    return read_fit_activity(ACTIVITIES / name, time_zone)


@requires_corpus
@pytest.mark.parametrize("path", corpus_files("fit/activities", ".fit"), ids=lambda path: path.name)
def test_every_corpus_activity_reads_and_damage_is_named(path: Path) -> None:
    activity = read_fit_activity(path, "UTC")

    assert activity.elapsed_s >= activity.stream.moving_s > 0
    assert activity.start.tzinfo is not None
    assert len(activity.content_sha256) == 64
    if path.name in DAMAGED:
        assert activity.problem is not None and DAMAGED[path.name] in activity.problem
        assert "\n" not in activity.problem
    else:
        assert activity.problem is None


@requires_corpus
@pytest.mark.parametrize(
    ("name", "sport", "device", "moving_s", "elapsed_s", "power", "heart_rate"),
    [
        # moving time agrees with the device's own total_timer_time (session) within 0.2 %
        ("2019-02-17-062644-ELEMNT-297E-195-0.fit", "cycling", "wahoo", 13471, 23591, 1, 1),
        ("Edge810-Vector-2013-08-16-15-35-10.fit", "cycling", "edge810", 4700, 4699, 1, 1),
        ("garmin-edge-500-activity.fit", "cycling", "edge500", 10641, 12691, 0, 1),
        ("coros-pace-2-cycling-misaligned-fields.fit", "cycling", "COROS", 11287, 12718, 0, 1),
        ("developer-types-sample.fit", "running", "stryd", 3424, 3423, 1, 1),
        ("event_timestamp.fit", "swimming", "garmin", 4372, 4443, 0, 0),
        ("compressed-speed-distance.fit", "running", "fr70", 3773, 3880, 0, 1),
    ],
)
def test_what_a_ride_is_read_as(
    name: str,
    sport: str,
    device: str,
    moving_s: int,
    elapsed_s: int,
    power: int,
    heart_rate: int,
) -> None:
    activity = read(name)

    assert activity.sport == sport
    assert activity.device is not None and device in activity.device
    assert activity.stream.moving_s == pytest.approx(moving_s, rel=0.002)
    assert activity.elapsed_s == pytest.approx(elapsed_s, abs=2)
    assert activity.stream.has_power == bool(power)
    assert activity.stream.has_heart_rate == bool(heart_rate)


@requires_corpus
def test_pauses_are_cut_out_never_zero_filled() -> None:
    activity = read("2019-02-17-062644-ELEMNT-297E-195-0.fit")  # 57 timer stops
    stream = activity.stream
    offsets = list(stream.offsets_s())

    assert len(stream.runs) > 40
    assert len(offsets) == stream.moving_s == len(set(offsets))
    assert offsets == sorted(offsets)
    # Between two runs there is a gap in time, and nothing was stored for it.
    for (start, length), (next_start, _) in zip(stream.runs, stream.runs[1:], strict=False):
        assert next_start > start + length
    assert activity.elapsed_s - stream.moving_s > 2 * 3600


@requires_corpus
def test_the_local_date_comes_from_the_file_when_it_has_one() -> None:
    # ELEMNT: local_timestamp − timestamp = +8 h; the zone given is ignored.
    activity = read("2019-02-17-062644-ELEMNT-297E-195-0.fit", "America/Los_Angeles")

    assert activity.utc_offset_s == 8 * 3600
    assert activity.local_date == dt.date(2019, 2, 17)


@requires_corpus
def test_without_a_local_time_the_athletes_zone_gives_the_day() -> None:
    # Edge 810: started 18:05 UTC on 16 August, already the 17th in Auckland.
    assert read("Edge810-Vector-2013-08-16-15-35-10.fit", "UTC").local_date == dt.date(2013, 8, 16)
    in_auckland = read("Edge810-Vector-2013-08-16-15-35-10.fit", "Pacific/Auckland")
    assert in_auckland.local_date == dt.date(2013, 8, 17)
    assert in_auckland.utc_offset_s is None


@requires_corpus
def test_relative_device_clocks_are_anchored_on_local_time() -> None:
    # Forerunner 70: every record has a compressed, device-relative timestamp.
    utc = read("compressed-speed-distance.fit", "UTC")
    paris = read("compressed-speed-distance.fit", "Europe/Paris")

    assert utc.local_date == paris.local_date == dt.date(2012, 2, 13)
    assert utc.start - paris.start == dt.timedelta(hours=1)


@requires_corpus
def test_a_truncated_file_keeps_its_records_and_says_so() -> None:
    activity = read("activity-unexpected-eof.fit")

    assert activity.stream.moving_s == 14
    assert activity.problem == "the file ends early (byte 768 of 771)"


@requires_corpus
def test_a_crashed_recorders_last_record_from_the_future_is_dropped() -> None:
    activity = read("strava-android-app-201.10-b1218918.fit")

    assert activity.dropped_records == 1
    assert activity.elapsed_s < 3600


@requires_corpus
@pytest.mark.parametrize("cut_at", [0, 5, 13, 20])
def test_a_file_broken_before_any_data_is_refused_in_one_line(cut_at: int) -> None:
    data = (ACTIVITIES / "activity-unexpected-eof.fit").read_bytes()[:cut_at]

    with pytest.raises(InvalidValue) as caught:
        parse_fit_activity(data, "ride.fit")

    assert str(caught.value).startswith("ride.fit ")
    assert "\n" not in str(caught.value)


@requires_corpus
@pytest.mark.parametrize("path", corpus_files("fit/workouts", ".fit"), ids=lambda p: p.name)
def test_a_workout_file_is_not_an_activity(path: Path) -> None:
    with pytest.raises(InvalidValue, match="workout file, not an activity"):
        read_fit_activity(path)


def test_a_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        read_fit_activity(tmp_path / "nope.fit")


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(InvalidValue, match="time zone"):
        parse_fit_activity(b"", "x.fit", "Mars/Olympus_Mons")


@requires_corpus
def test_the_content_hash_recognises_the_same_file() -> None:
    name = "Garmin830_with_Stages.fit"
    data = (ACTIVITIES / name).read_bytes()

    assert parse_fit_activity(data, "a.fit").content_sha256 == read(name).content_sha256
    assert read(name).content_sha256 != read("SigmaRox11_1.fit").content_sha256


@requires_corpus
def test_laps_start_where_the_device_put_them() -> None:
    laps = read("Edge810-Vector-2013-08-16-15-35-10.fit").laps

    assert len(laps) == 8
    assert laps[0].start_offset_s == 0
    assert [lap.start_offset_s for lap in laps] == sorted(lap.start_offset_s for lap in laps)
    assert sum(lap.elapsed_s for lap in laps) == pytest.approx(4700, abs=8)


channel = st.one_of(st.none(), st.integers(min_value=0, max_value=3000))


@given(
    runs=st.lists(st.tuples(st.integers(0, 10), st.integers(1, 30)), max_size=6),
    data=st.data(),
)
def test_a_stream_survives_storage(runs: list[tuple[int, int]], data: st.DataObject) -> None:
    starts: list[tuple[int, int]] = []
    clock = 0
    for gap, length in runs:
        clock += gap
        starts.append((clock, length))
        clock += length
    moving_s = sum(length for _, length in starts)
    values = [
        tuple(data.draw(st.lists(channel, min_size=moving_s, max_size=moving_s))) for _ in range(5)
    ]
    stream = ActivityStream(tuple(starts), *values)

    assert ActivityStream.from_bytes(stream.to_bytes()) == stream
    assert ActivityStream.from_json_dict(stream.to_json_dict()) == stream


def test_a_damaged_stored_stream_is_an_invalid_value() -> None:
    with pytest.raises(InvalidValue, match="damaged"):
        ActivityStream.from_bytes(b"not zlib")
    with pytest.raises(InvalidValue, match="format"):
        ActivityStream.from_json_dict({"version": 99})

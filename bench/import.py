"""bench/import: how fast rides come in.

Makes 200 one-hour 1 Hz rides (the first hour of a corpus ride, each copy's clock shifted
by a whole number of days, valid CRCs), then prints rides/second for:

- ``wattz import``: ``services.rides.import_rides`` into a fresh store — reading in worker
  processes on every core, metrics, streams and duplicate checks written to SQLite;
- ``wattz read``: reading alone (decode + 1 Hz stream + hash), one process and all cores;
- ``fitparse``: a plain single-process fitparse decode of the record messages of the same
  files (a sample of them by default: fitparse needs ~1.5 s a ride here).

Target (issue 6): ≥ 6 rides/s on 2 cores and ≥ 4× the fitparse figure.

    .venv/bin/python bench/rides.py [--rides 200] [--fitparse-files 20]
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
import tempfile
import time
from pathlib import Path

CORPUS_RIDE = (
    Path(__file__).resolve().parents[1].parent
    / "shared/corpus/fit/activities/Edge810-Vector-2013-08-16-15-35-10.fit"
)
RIDE_S = 3600
DAY_S = 86_400  # a multiple of 32, so compressed timestamps stay valid when shifted
DATE_FIELDS = {0: {4}, 18: {2}, 19: {2}, 34: {5}}  # time_created, start_time, local_timestamp


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return table


CRC_TABLE = _crc_table()


def fit_crc(data: bytes) -> int:
    """FIT's CRC-16 (CRC-16/ARC, polynomial 0xA001 reflected)."""
    crc = 0
    for byte in data:
        crc = (crc >> 8) ^ CRC_TABLE[(crc ^ byte) & 0xFF]
    return crc


def one_hour_copy(source: bytes, shift_s: int) -> bytes:
    """The first ``RIDE_S`` seconds of records of ``source``, every date shifted by ``shift_s``.

    Walks the file's definition and data messages, copies them, adds ``shift_s`` to
    timestamp fields (253 everywhere, and the date fields of DATE_FIELDS) and drops
    records after the first hour. Other messages (laps, session) are kept as they are.
    """
    header_size = source[0]
    (data_size,) = struct.unpack_from("<I", source, 4)
    end = header_size + data_size
    out = bytearray()
    layouts: dict[int, tuple[int, int, str, list[int]]] = {}
    position = header_size
    first_record_s: int | None = None
    while position < end:
        start = position
        header = source[position]
        position += 1
        if header & 0x80:
            local = (header >> 5) & 0x03
        elif header & 0x40:
            local = header & 0x0F
            endian = ">" if source[position + 1] else "<"
            (global_number,) = struct.unpack_from(endian + "H", source, position + 2)
            count = source[position + 4]
            position += 5
            offset = 0
            dates: list[int] = []
            for _ in range(count):
                number, size = source[position], source[position + 1]
                if size == 4 and (number == 253 or number in DATE_FIELDS.get(global_number, set())):
                    dates.append(offset)
                offset += size
                position += 3
            if header & 0x20:
                developer_count = source[position]
                position += 1
                for _ in range(developer_count):
                    offset += source[position + 1]
                    position += 3
            layouts[local] = (global_number, offset, endian, dates)
            out += source[start:position]
            continue
        else:
            local = header & 0x0F
        global_number, size, endian, dates = layouts[local]
        message = bytearray(source[position : position + size])
        position += size
        keep = True
        for offset in dates:
            (value,) = struct.unpack_from(endian + "I", message, offset)
            if value == 0xFFFFFFFF:
                continue
            if global_number == 20 and offset == dates[0]:
                first_record_s = value if first_record_s is None else first_record_s
                keep = value < first_record_s + RIDE_S
            struct.pack_into(endian + "I", message, offset, value + shift_s)
        if keep:
            out += source[start : start + 1] + message
    body = bytes(out)
    head = bytearray(source[:header_size])
    struct.pack_into("<I", head, 4, len(body))
    if header_size >= 14:
        struct.pack_into("<H", head, 12, fit_crc(bytes(head[:12])))
    whole = bytes(head) + body
    return whole + struct.pack("<H", fit_crc(whole))


def make_rides(folder: Path, count: int) -> list[Path]:
    source = CORPUS_RIDE.read_bytes()
    paths = []
    for index in range(count):
        path = folder / f"ride-{index:04d}.fit"
        path.write_bytes(one_hour_copy(source, (index + 1) * DAY_S))
        paths.append(path)
    return paths


def bench_import(folder: Path, home: Path, workers: int | None) -> tuple[float, int]:
    os.environ["WATTZ_HOME"] = str(home)
    from wattz.model.store import dispose_engines, session_scope
    from wattz.services.athletes import set_athlete
    from wattz.services.rides import import_rides

    dispose_engines()
    with session_scope() as session:
        athlete = set_athlete(session, name=None, ftp_w=250, lthr_bpm=165, time_zone="UTC")
    began = time.perf_counter()
    with session_scope() as session:
        report = import_rides(session, athlete, [folder], workers=workers)
    elapsed = time.perf_counter() - began
    dispose_engines()
    return elapsed, len(report.imported)


def bench_read(paths: list[Path], workers: int) -> float:
    from wattz.sources.activity_files import read_activity_files

    began = time.perf_counter()
    results = list(read_activity_files(paths, "UTC", workers))
    elapsed = time.perf_counter() - began
    assert all(r.activity is not None for r in results), [r.error for r in results if r.error]
    return elapsed


def bench_fitparse(paths: list[Path]) -> tuple[float, int]:
    import fitparse

    began = time.perf_counter()
    records = 0
    for path in paths:
        for message in fitparse.FitFile(str(path)).get_messages("record"):
            message.get_values()
            records += 1
    return time.perf_counter() - began, records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rides", type=int, default=200)
    parser.add_argument("--fitparse-files", type=int, default=20)
    args = parser.parse_args()
    if not CORPUS_RIDE.is_file():
        sys.exit(f"bench/import: {CORPUS_RIDE} is missing (../shared/corpus)")
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="wattz-bench-") as scratch:
        root = Path(scratch)
        folder = root / "rides"
        folder.mkdir()
        began = time.perf_counter()
        paths = make_rides(folder, args.rides)
        made = time.perf_counter() - began
        mb = sum(p.stat().st_size for p in paths) / 1e6
        print(f"made {len(paths)} one-hour rides ({mb:.1f} MB) in {made:.1f} s")

        print(f"load average before: {os.getloadavg()[0]:.2f} on {cores} cores")
        rates = {}
        for workers in (cores, 1):
            home = root / f"home-{workers}"
            elapsed, imported = bench_import(folder, home, workers)
            assert imported == len(paths), imported
            rates[workers] = imported / elapsed
            print(
                f"wattz import   {workers} core{'s' if workers > 1 else ' '}   "
                f"{rates[workers]:6.1f} rides/s  ({elapsed:.2f} s)"
            )
        import_rate = rates[cores]
        again, _ = bench_import(folder, root / f"home-{cores}", None)
        print(f"wattz re-import (all duplicates)  {len(paths) / again:6.1f} rides/s")

        for workers in (1, cores):
            elapsed = bench_read(paths, workers)
            print(
                f"wattz read     {workers} core{'s' if workers > 1 else ' '}   "
                f"{len(paths) / elapsed:6.1f} rides/s  ({elapsed:.2f} s)"
            )

        sample = paths[: args.fitparse_files]
        elapsed, records = bench_fitparse(sample)
        fitparse_rate = len(sample) / elapsed
        print(
            f"fitparse       1 core    {fitparse_rate:6.2f} rides/s  ({records / elapsed:,.0f}"
            f" records/s over {len(sample)} of the rides)"
        )
        ratio = import_rate / fitparse_rate
        verdict = "ok" if import_rate >= 6 and ratio >= 4 else "BELOW TARGET"
        print(f"import is {ratio:.1f}x fitparse; target >= 6 rides/s and >= 4x: {verdict}")


if __name__ == "__main__":
    main()

"""GPX files into course profiles: gpxpy reads the file and measures the ground, the pure
``wattz.plan.course`` does the rest.

Tracks are read segment by segment (a course drawn in several tracks, or a recording
paused and resumed, stays in pieces so no climbing is invented across a gap); a file
with no track points falls back to its routes. Distances are gpxpy's own (3-D where
the points carry elevation, as ``GPX.length_3d`` measures), so a profile and gpxpy
agree on how far a course goes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wattz.errors import InvalidValue, NotFound
from wattz.plan.course import CourseProfile, ProfilePoint, course_profile

MAX_GPX_BYTES = 50_000_000
"""Fifty megabytes: a week-long ride recorded every second is a tenth of that."""


def read_gpx_course(path: Path, name: str | None = None) -> CourseProfile:
    """The course profile of a GPX file; a missing, unreadable or empty file is refused."""
    if not path.is_file():
        raise NotFound(f"no file {str(path)!r}", "give the path of a .gpx file")
    size = path.stat().st_size
    if size > MAX_GPX_BYTES:
        raise InvalidValue(
            f"{path.name} is {size:,} bytes; at most {MAX_GPX_BYTES:,} are read",
            "simplify the route in a GPX editor",
        )
    return gpx_course(path.read_bytes(), name or path.stem.replace("_", " "), path.name)


def gpx_course(data: bytes, name: str, source_name: str = "the GPX file") -> CourseProfile:
    """The course profile of GPX bytes, named ``name`` (GPX names are often a tool's)."""
    import gpxpy
    import gpxpy.gpx

    try:
        document = gpxpy.parse(data)
    except gpxpy.gpx.GPXXMLSyntaxException as error:
        raise InvalidValue(
            f"{source_name} is not valid XML ({_first_line(error)})",
            "is it really a GPX file?",
        ) from None
    except (gpxpy.gpx.GPXException, ValueError, UnicodeDecodeError) as error:
        raise InvalidValue(
            f"{source_name} is not a readable GPX file ({_first_line(error)})",
            "export the route again from the planner or head unit",
        ) from None
    segments: list[list[Any]] = [
        segment.points for track in document.tracks for segment in track.segments if segment.points
    ]
    if not segments:
        segments = [route.points for route in document.routes if route.points]
    if not segments:
        raise InvalidValue(
            f"{source_name} holds no track or route points",
            "export the course as a track (or route) with its points",
        )
    return course_profile(name.strip()[:120] or "course", _profile_segments(segments))


def _profile_segments(segments: list[list[Any]]) -> list[list[ProfilePoint]]:
    """Points with the distance along the course; gaps between segments add nothing."""
    result: list[list[ProfilePoint]] = []
    distance_m = 0.0
    for points in segments:
        converted: list[ProfilePoint] = []
        previous = None
        for point in points:
            if previous is not None:
                step = point.distance_3d(previous)
                distance_m += step if step is not None else 0.0
            converted.append(ProfilePoint(distance_m, _elevation(point.elevation)))
            previous = point
        result.append(converted)
    return result


def _elevation(value: Any) -> float | None:
    if value is None:
        return None
    elevation = float(value)
    return elevation if elevation == elevation else None  # NaN means absent


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:120] if text else type(error).__name__

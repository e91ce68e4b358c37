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
MAX_COURSE_M = 2_000_000.0
"""Two thousand kilometres, longer than Paris–Brest–Paris: a longer "course" is a GPS
glitch (one point a continent away) or not a course, and profiling it costs minutes."""
ELEVATION_RANGE_M = (-1_000.0, 10_000.0)
"""Below the Dead Sea shore to above Everest: an elevation outside is a glitch, read as absent."""


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
    profile_segments = _profile_segments(segments, source_name)
    length_m = max((points[-1].distance_m for points in profile_segments), default=0.0)
    if length_m > MAX_COURSE_M:
        raise InvalidValue(
            f"{source_name} runs {length_m / 1000:,.0f} km; at most "
            f"{MAX_COURSE_M / 1000:,.0f} km are profiled",
            "check the track for a point far off the route",
        )
    return course_profile(name.strip()[:120] or "course", profile_segments)


def _profile_segments(segments: list[list[Any]], source_name: str) -> list[list[ProfilePoint]]:
    """Points with the distance along the course; gaps between segments add nothing.

    gpxpy accepts any float as a coordinate ("inf", "1e308"), and its distances then
    fail or become infinite: a point off the globe refuses the file, naming the point.
    """
    result: list[list[ProfilePoint]] = []
    distance_m = 0.0
    for points in segments:
        converted: list[ProfilePoint] = []
        previous = None
        for point in points:
            if not (_within(point.latitude, 90.0) and _within(point.longitude, 180.0)):
                raise InvalidValue(
                    f"{source_name} has a point at latitude {point.latitude}, "
                    f"longitude {point.longitude}, which is not on the globe",
                    "export the course again from the planner or head unit",
                )
            point.elevation = _elevation(point.elevation)
            if previous is not None:
                step = point.distance_3d(previous)
                distance_m += step if step is not None else 0.0
            converted.append(ProfilePoint(distance_m, _elevation(point.elevation)))
            previous = point
        result.append(converted)
    return result


def _within(value: Any, limit: float) -> bool:
    return isinstance(value, (int, float)) and -limit <= value <= limit  # False for NaN


def _elevation(value: Any) -> float | None:
    """Metres, or None for a missing, NaN, infinite or impossible elevation."""
    if value is None:
        return None
    elevation = float(value)
    low, high = ELEVATION_RANGE_M
    return elevation if low <= elevation <= high else None


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0][:120] if text else type(error).__name__

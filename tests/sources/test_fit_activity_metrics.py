"""The bar: NP, IF and TSS of corpus rides equal an independent computation within 1 %.

The reference is computed here straight from the FIT records that carry power, with
numpy: a 30-sample rolling mean, the 4th root of the mean 4th power, IF = NP / FTP,
TSS = samples / 3600 × IF² × 100. The reader's path (pauses cut, smart-recording gaps
held, duplicates merged) must not move the figures by more than 1 %. Without numpy the
same reference runs as a plain sliding window, so the bar is never skipped.
"""

from __future__ import annotations

import pytest

from tests.conftest import CORPUS, requires_corpus
from wattz.adapt.ride_metrics import TssSource, ride_metrics
from wattz.sources.fit_activity import read_fit_activity
from wattz.sources.fit_binary import decode

FTP_W = 250
ACTIVITIES = CORPUS / "fit" / "activities"
BIKE_RIDES_WITH_POWER = [
    "2019-02-17-062644-ELEMNT-297E-195-0.fit",
    "Edge810-Vector-2013-08-16-15-35-10.fit",
    "Garmin830_with_Stages.fit",
    "Karoo-Botley_BW_Swanmore_Wickham-2025-05-09-1238.fit",
    "SigmaRox11_1.fit",
    "sample-activity-indoor-trainer.fit",
    "elemnt-bolt-no-application-id-inside-developer-data-id.fit",
]


def reference(name: str) -> tuple[float, float, float]:
    records = decode((ACTIVITIES / name).read_bytes(), {20: {7: "power"}}).messages[20]
    power = [float(r["power"]) for r in records if r.get("power") is not None]  # type: ignore[arg-type]
    np_w = _normalized_power(power)
    intensity = np_w / FTP_W
    return np_w, intensity, len(power) / 3600 * intensity**2 * 100


def _normalized_power(power: list[float]) -> float:
    try:
        import numpy as np
    except ImportError:
        window = sum(power[:30])
        fourth = [window / 30]
        for index in range(30, len(power)):
            window += power[index] - power[index - 30]
            fourth.append(window / 30)
        return float((sum(v**4 for v in fourth) / len(fourth)) ** 0.25)
    rolling = np.convolve(np.array(power), np.ones(30) / 30, mode="valid")
    return float(np.mean(rolling**4) ** 0.25)


@requires_corpus
@pytest.mark.parametrize("name", BIKE_RIDES_WITH_POWER)
def test_np_if_and_tss_match_an_independent_computation(name: str) -> None:
    activity = read_fit_activity(ACTIVITIES / name, "UTC")
    metrics = ride_metrics(activity.stream, ftp_w=FTP_W, is_bike=activity.is_bike)
    np_w, intensity, tss = reference(name)

    assert metrics.tss_source is TssSource.POWER
    assert metrics.np_w == pytest.approx(np_w, rel=0.01)
    assert metrics.intensity_factor == pytest.approx(intensity, rel=0.01)
    assert metrics.tss == pytest.approx(tss, rel=0.01)


@requires_corpus
@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("garmin-edge-500-activity.fit", TssSource.HR),
        ("coros-pace-2-cycling-misaligned-fields.fit", TssSource.HR),
        ("developer-types-sample.fit", TssSource.HR),  # a run: Stryd power is not bike power
        ("event_timestamp.fit", TssSource.RPE),  # a swim with no sensors
    ],
)
def test_rides_without_usable_power_fall_back(name: str, source: TssSource) -> None:
    activity = read_fit_activity(ACTIVITIES / name, "UTC")

    metrics = ride_metrics(activity.stream, ftp_w=FTP_W, lthr_bpm=165, is_bike=activity.is_bike)

    assert metrics.tss_source is source
    assert metrics.tss > 0

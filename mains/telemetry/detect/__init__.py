"""The detectors of the network watch; ``detect`` runs those that apply to a meter's kind.

Each detector module has ``KIND`` (the alarm kind), ``METER_KINDS`` (the meter kinds it
watches) and ``find(series, settings) -> list[Finding]``.
"""

from mains.telemetry.detect import burst, household, low_pressure, night_flow
from mains.telemetry.detect.series import Finding, MeterSettings, Series

DETECTORS = [burst, night_flow, low_pressure, household]


def detect(series: Series, settings: MeterSettings, kinds: set[str] | None = None) -> list[Finding]:
    """Every finding of every detector for this meter (only those of ``kinds`` when given),
    in order of time."""
    if len(series) == 0:
        return []
    findings: list[Finding] = []
    for detector in DETECTORS:
        if settings.kind in detector.METER_KINDS and (kinds is None or detector.KIND in kinds):
            findings.extend(detector.find(series, settings))
    return sorted(findings, key=lambda f: (f.raised_at_us, f.kind))


__all__ = ["DETECTORS", "Finding", "MeterSettings", "Series", "detect"]

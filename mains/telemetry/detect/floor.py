"""The burst floor: a rule that does not depend on any model of the noise.

A burst a person sees at a glance on the chart — the flow a quarter or more above what it
usually is at that time of day, from one reading to the next, and staying there — must
alarm within the hour, whatever the pressure does, from a meter's third day on. The
statistical test (``burst``) finds smaller bursts sooner where it knows the meter; this
rule is the floor under it for the weeks it does not, for demand it was not tuned on, and
for districts whose pressure hardly moves.

*Usual flow* at a slot: the mean of the same slot on the ``DAYS`` previous days of the same
kind (working day or weekend, and the nights between: ``profile.kinds``), the highest and
lowest dropped once there are three. Four weeks of memory let a holiday week pass without
making the first working day after it a burst. Where the meter has not seen that kind yet
(a new meter's first Monday small hours, its first Friday evening) the days of the same
sort — working day or weekend day — stand in for it; a weekend not seen yet is not judged.
It is taken as the highest of the ``ENVELOPE_MINUTES`` around the slot, so that a day whose
morning starts a quarter of an hour early is not a burst either. The meter's first
``MIN_DAYS`` days are not judged.

*Rise*: the flow above that usual, less the excess of the hour before the reading when
there was one (a hot day raises every hour alike: that is not a rise). A burst begins at a
reading from which every reading of ``HOLD_MINUTES`` rises by at least ``RISE_SHARE`` of the
usual flow; it is confirmed at the last of them. A missing reading breaks the run.

It clears, as the burst's other rules do, at the first of ``burst.SUSTAINED_READINGS``
readings whose rise is back under half the rise at the onset.
"""

from dataclasses import dataclass

import numpy as np

from mains.telemetry.detect import grid as grids
from mains.telemetry.detect import profile
from mains.telemetry.detect.series import US_PER_DAY

RISE_SHARE = 0.25
DAYS = 28
MIN_DAYS = 2  # from the third day of data on
ENVELOPE_MINUTES = 15
HOLD_MINUTES = 30
US_PER_MINUTE = 60_000_000


@dataclass(frozen=True)
class Floor:
    usual: np.ndarray  # per slot, the usual flow at that time of day (NaN: not known yet)
    before: np.ndarray  # per slot, the excess over the usual in the hour before (≥ 0)
    run: int  # readings that must rise together

    def rise(self, flow: np.ndarray, onset: int) -> np.ndarray:
        """The rise of every reading from ``onset`` on, against the excess before it."""
        return flow[onset:] - self.usual[onset:] - self.before[onset]

    def onsets(self, flow: np.ndarray) -> np.ndarray:
        """Slots where a run of ``run`` readings begins, each rising by the floor's share
        over the excess of the hour before the first."""
        n = len(flow)
        if n < self.run:
            return np.zeros(0, dtype=np.int64)
        starts = n - self.run + 1
        hit = np.ones(starts, dtype=bool)
        with np.errstate(invalid="ignore"):
            for k in range(self.run):
                usual = self.usual[k : k + starts]
                risen = flow[k : k + starts] - usual - self.before[:starts]
                hit &= (risen >= RISE_SHARE * usual) & (usual > 0)
        return np.flatnonzero(hit)


def of(g: grids.Grid, first_reading_us: int) -> Floor | None:
    """The floor of a meter's grid, or None when the grid has no days to compare."""
    if not g.per_day:
        return None
    n = len(g)
    step_minutes = g.step_us / US_PER_MINUTE
    days = g.by_day(g.flow)
    kind = profile.kinds(g, len(days))
    usual_days = profile.mean_of_earlier_days(days, DAYS, 1, kind).astype(np.float64)
    unseen = np.isnan(usual_days)
    sort_of_day = kind & 1  # a working day or a weekend day
    usual_days[unseen] = profile.mean_of_earlier_days(days, DAYS, 1, sort_of_day)[unseen]
    usual = usual_days.reshape(-1)[g.day_offset : g.day_offset + n]
    usual = _highest_around(usual, max(0, int(ENVELOPE_MINUTES // step_minutes)))
    grown = first_reading_us + MIN_DAYS * US_PER_DAY
    young = max(0, -(-(grown - g.start_us) // g.step_us))
    usual[: min(n, young)] = np.nan
    with np.errstate(invalid="ignore"):
        excess = np.fmax(g.flow - usual, 0.0)
    before = grids.Sums(excess).before(g.per_hour, 1)
    before = np.where(np.isnan(before), 0.0, before)
    run = max(2, int(HOLD_MINUTES // step_minutes) + 1)
    return Floor(usual=usual, before=before, run=run)


def _highest_around(values: np.ndarray, width: int) -> np.ndarray:
    """Per slot, the highest of the slots within ``width`` of it (NaN where it is NaN)."""
    out = values.copy()
    n = len(values)
    for by in range(1, min(width, n - 1) + 1):
        np.fmax(out[by:], values[:-by], out=out[by:])
        np.fmax(out[:-by], values[by:], out=out[:-by])
    out[np.isnan(values)] = np.nan
    return out

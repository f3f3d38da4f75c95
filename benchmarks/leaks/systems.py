"""The systems scored: the product's leak detectors (burst + night_flow) and the baselines.

Every system's alarms go through the same CSV the product's back-test writes:
``meter_id,kind,raised_at,cleared_at,detail``. The product's are made by
``mains telemetry backtest`` over the telemetry files when that command is in the
repository (``--use-backtest auto``), else by ``detect()`` per meter here, with the default
settings of an inlet meter (what the back-test gives a meter it does not know).
Only ``burst`` and ``night_flow`` alarms count as leak alarms.
"""

import csv
import json
import subprocess
import sys
from pathlib import Path

from tqdm import tqdm

from benchmarks.leaks import baselines
from mains.telemetry.detect import MeterSettings, Series, detect
from mains.telemetry.detect.series import iso

SYSTEMS = ("mains", "mnf_10", "mnf_20", "cusum")
LEAK_KINDS = {"burst", "night_flow"}
ROOT = Path(__file__).resolve().parents[2]
SETTINGS = MeterSettings(kind="inlet")


def backtest_available() -> bool:
    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", "mains/telemetry/cli/backtest.py"],
        cwd=ROOT,
        capture_output=True,
    )
    return tracked.returncode == 0


def _series(t) -> Series:
    return Series.of(t.meter_id, t.ts_us, t.flow_m3h, t.pressure_mpa)


def _rows(meter_id: str, alarms) -> list[list[str]]:
    return [
        [meter_id, kind, iso(raised), "" if cleared is None else iso(cleared), json.dumps(detail)]
        for kind, raised, cleared, detail in alarms
    ]


def run_system(system: str, meters, path: Path, use_backtest: str = "auto") -> None:
    """Write ``system``'s alarms over every meter's telemetry to ``path``."""
    if system == "mains" and (
        use_backtest == "yes" or (use_backtest == "auto" and backtest_available())
    ):
        _through_backtest(meters, path)
        return
    rows: list[list[str]] = []
    for _, series in tqdm(meters, desc=system, unit="district-year", leave=False):
        for t in series:
            s = _series(t)
            if system == "mains":
                found = [
                    (f.kind, f.raised_at_us, f.cleared_at_us, f.detail)
                    for f in detect(s, SETTINGS)
                    if f.kind in LEAK_KINDS
                ]
            elif system == "cusum":
                found = baselines.cusum(s)
            else:
                found = baselines.mnf_fixed(s, int(system.split("_")[1]) / 100)
            rows.extend(_rows(t.meter_id, found))
    _write(path, rows)


def _write(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["meter_id", "kind", "raised_at", "cleared_at", "detail"])
        writer.writerows(rows)


def _through_backtest(meters, path: Path) -> None:
    """`mains telemetry backtest` over each district-year's telemetry file (it takes one CSV
    at a time); the leak alarms kept."""
    rows: list[list[str]] = []
    for csv_path, _ in tqdm(meters, desc="mains (backtest)", unit="district-year", leave=False):
        part = path.with_suffix(f".{csv_path.stem}.csv")
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "telemetry", "backtest",
             "--input", str(csv_path), "--out", str(part)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )  # fmt: skip
        with open(part, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader)
            rows.extend(r for r in reader if r[1] in LEAK_KINDS)
        part.unlink()
    _write(path, rows)

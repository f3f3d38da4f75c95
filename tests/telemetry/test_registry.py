"""One entry per alarm kind: the registry is all that differs between kinds, and the
detectors stay pure (no Django, nothing of mains beyond mains.telemetry.detect)."""

import ast
import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mains.desk.models import WorkOrder
from mains.telemetry import detect
from mains.telemetry.alarms import registry
from mains.telemetry.alarms.actions import do_raise_alarm
from mains.telemetry.alarms.evidence import evidence, summary
from mains.telemetry.alarms.live_detection import meter_settings
from mains.telemetry.detect import household
from mains.telemetry.detect.series import MeterSettings
from mains.telemetry.models import Alarm, Meter
from mains.telemetry.store.days import write_readings
from mains.telemetry.store.schema import Reading

RAISED = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
STEP = timedelta(minutes=15)
DETECT = Path(detect.__file__).parent


def test_every_alarm_kind_has_one_entry_and_every_entry_is_an_alarm_kind():
    assert set(registry.KINDS) == set(Alarm.Kind.values)
    for kind, entry in registry.KINDS.items():
        assert entry.kind == kind == entry.detector.KIND
        assert entry.defaults == entry.detector.DEFAULTS


def test_the_registry_names_every_detector_that_runs_and_no_other():
    assert {entry.detector for entry in registry.KINDS.values()} == set(detect.DETECTORS)


def test_the_defaults_of_meter_settings_are_the_detectors_defaults():
    plain = MeterSettings()
    for entry in registry.KINDS.values():
        for name, default in entry.defaults.items():
            if hasattr(plain, name):
                assert getattr(plain, name) == default, name


def test_a_site_without_its_own_thresholds_gets_the_detectors_defaults(city, settings):
    del settings.TELEMETRY_HOUSEHOLD_LOW_LITRES
    settings.TELEMETRY_HOUSEHOLD_HIGH_LITRES = 800
    meter = Meter.objects.create(code="XG-H1", kind=Meter.Kind.HOUSEHOLD, community=city.xingguang)
    judged = meter_settings(meter, RAISED)
    assert judged.household_low_litres == household.DEFAULTS["household_low_litres"]
    assert judged.household_high_litres == 800
    meter.household_low_litres = 25.0
    assert meter_settings(meter, RAISED).household_low_litres == 25.0


@pytest.fixture
def master(city):
    return Meter.objects.create(code="XG-M1", kind=Meter.Kind.MASTER, community=city.xingguang)


def test_the_entry_alone_decides_category_text_and_readings_of_an_order(master, monkeypatch):
    """Change a kind's entry and nothing else: its orders follow it."""
    entry = registry.KINDS[Alarm.Kind.BURST]
    monkeypatch.setitem(
        registry.KINDS,
        Alarm.Kind.BURST,
        dataclasses.replace(
            entry,
            category="W-LEAK",
            evidence_before=timedelta(minutes=30),
            summary=lambda detail, show: f"Seen with {show('flow_m3h', detail['flow_m3h'])}.",
            order_lines=lambda detail, show: ["One line more."],
        ),
    )
    write_readings(
        [Reading("XG-M1", RAISED + i * STEP, 40.0, 0.3) for i in range(-8, 8)]  # ±2 hours
    )
    alarm = do_raise_alarm(master, Alarm.Kind.BURST, RAISED, {"flow_m3h": 95.6907})
    order = WorkOrder.objects.get()
    assert alarm.work_order == order
    assert order.category.code == "W-LEAK"
    assert "Seen with 95.7 m³/h." in order.description  # an order's figures, rounded
    assert order.description.endswith("One line more.")
    rows = order.attachments.get().file.read().decode("utf-8").splitlines()
    assert len(rows) == 1 + 2 + 4  # half an hour before the alarm, an hour after
    assert summary(Alarm.Kind.BURST, alarm.detail) == "Seen with 95.69 m³/h."
    assert evidence(Alarm.Kind.BURST, alarm.detail).summary == "Seen with 95.69 m³/h."


def test_a_kind_without_an_evidence_window_attaches_no_readings(master, monkeypatch):
    entry = registry.KINDS[Alarm.Kind.BURST]
    monkeypatch.setitem(
        registry.KINDS, Alarm.Kind.BURST, dataclasses.replace(entry, evidence_before=None)
    )
    write_readings([Reading("XG-M1", RAISED + i * STEP, 40.0, 0.3) for i in range(-8, 8)])
    do_raise_alarm(master, Alarm.Kind.BURST, RAISED, {})
    assert not WorkOrder.objects.get().attachments.exists()


def test_a_summary_missing_its_keys_gives_none_and_the_page_a_plain_sentence():
    assert summary(Alarm.Kind.NIGHT_FLOW, {}) is None
    assert summary("no_such_kind", {"readings": []}) is None
    assert evidence(Alarm.Kind.BURST, {}).summary == "The detector recorded the figures below."


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add(node.module or "")
    return found


@pytest.mark.parametrize("path", sorted(DETECT.glob("*.py")), ids=lambda p: p.name)
def test_a_detector_imports_no_django_and_nothing_of_mains_beyond_detect(path):
    for module in _imports(path):
        assert not module.startswith("django"), module
        if module.startswith("mains"):
            assert module == "mains.telemetry.detect" or module.startswith(
                "mains.telemetry.detect."
            ), module


def test_the_reading_schema_needs_no_django():
    """The back-test's workers read the schema as ingestion and the store do."""
    schema = Path(registry.__file__).parents[1] / "store" / "schema.py"
    assert not any(m.startswith(("django", "mains")) for m in _imports(schema))

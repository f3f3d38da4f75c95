"""Issue 10, item 14: readings are JSON numbers. `true`, `false`, `"12"`, NaN and Infinity
are refused (422 naming the field on the API, quarantined with the reason from MQTT),
never stored as 1.0, 0.0 or 12.0 (a `false` pressure would raise a false low-pressure
alarm); integers are numbers and stay accepted."""

import json
from datetime import UTC, datetime

import pytest
from django.utils import translation

from mains.telemetry.ingest import duplicates as ingest_store
from mains.telemetry.ingest.mqtt import readings_of, store_messages
from mains.telemetry.models import IngestBatch, Meter, QuarantinedReading
from mains.telemetry.store.reader import read_readings

URL = "/api/v1/telemetry/batches"
TS = "2026-03-01T22:00:00+08:00"
NOT_NUMBERS = [True, False, "12", "0.3", "", [], {"value": 1}]


@pytest.fixture(autouse=True)
def _telemetry_in_tmp(settings, tmp_path):
    settings.TELEMETRY_DIR = tmp_path / "telemetry"


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def meter(city):
    return Meter.objects.create(code="XG-M1", community=city.xingguang)


def reading(minute: int, **values) -> dict:
    return {"meter_id": "XG-M1", "ts": f"2026-03-01T22:{minute:02d}:00+08:00", **values}


def stored(meter_id: str = "XG-M1"):
    return read_readings(
        [meter_id], datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    )


def nothing_was_stored() -> bool:
    return not IngestBatch.objects.exists() and not QuarantinedReading.objects.exists()


@pytest.mark.parametrize("field", ["flow_m3h", "pressure_mpa"])
@pytest.mark.parametrize("value", NOT_NUMBERS, ids=repr)
def test_the_api_refuses_a_reading_that_is_not_a_json_number_naming_its_place(
    city, meter, api_as, field, value
):
    readings = [reading(m, flow_m3h=1.0, pressure_mpa=0.3) for m in range(4)]
    readings[3][field] = value
    response = api_as("engineer").post(URL, {"batch_id": "b-1", "readings": readings})
    assert response.status_code == 422, response.content
    assert f"readings.3.{field}" in response.json()["fields"]
    assert f"readings.3.{field}" in response.json()["detail"]
    assert nothing_was_stored()


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_the_api_refuses_nan_and_infinity(city, meter, api_as, token):
    client = api_as("engineer")
    body = (
        '{"batch_id": "b-2", "readings": ['
        f'{{"meter_id": "XG-M1", "ts": "{TS}", "flow_m3h": 1, "pressure_mpa": {token}}}]}}'
    )
    response = client.client.post(
        URL, body, content_type="application/json", headers=client._headers(None)
    )
    assert response.status_code == 422, response.content
    assert "readings.0.pressure_mpa" in response.json()["fields"]
    assert nothing_was_stored()


def test_integers_are_numbers_and_are_stored(city, meter, api_as):
    readings = [reading(0, flow_m3h=12, pressure_mpa=0), reading(15, flow_m3h=0, pressure_mpa=1)]
    response = api_as("engineer").post(URL, {"batch_id": "b-3", "readings": readings})
    assert response.status_code == 201, response.content
    assert response.json()["stored"] == 2
    assert sorted(r.flow_m3h for r in stored()) == [0.0, 12.0]


def test_the_schema_says_readings_are_numbers(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["ReadingIn"]
    for field in ("flow_m3h", "pressure_mpa"):
        types = {option.get("type") for option in schema["properties"][field]["anyOf"]}
        assert types == {"number", "null"}


PREFIX = "mains/telemetry"


@pytest.mark.parametrize("value", NOT_NUMBERS, ids=repr)
def test_an_mqtt_reading_that_is_not_a_json_number_is_refused_with_the_reason(value):
    payload = json.dumps({"ts": TS, "flow_m3h": 2.5, "pressure_mpa": value}).encode()
    records, reasons = readings_of(PREFIX, f"{PREFIX}/XG-M1", payload)
    assert records == []
    assert len(reasons) == 1 and "pressure_mpa must be a JSON number or null" in reasons[0]


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_an_mqtt_reading_of_nan_or_infinity_is_refused(token):
    payload = f'{{"ts": "{TS}", "flow_m3h": {token}}}'.encode()
    records, reasons = readings_of(PREFIX, f"{PREFIX}/XG-M1", payload)
    assert records == [] and "flow_m3h must be a finite number" in reasons[0]


def test_mqtt_quarantines_the_bad_reading_of_a_list_and_stores_the_good_ones(city, meter):
    payload = json.dumps(
        [
            {"ts": "2026-03-01T22:00:00+08:00", "flow_m3h": 3, "pressure_mpa": 0.3},
            {"ts": "2026-03-01T22:15:00+08:00", "flow_m3h": 3.1, "pressure_mpa": False},
        ]
    ).encode()
    result, _line = store_messages(
        PREFIX, [(f"{PREFIX}/XG-M1", payload)], ingest_store.StoreState(), detect=False
    )
    assert (result.stored, result.quarantined) == (1, 1)
    kept = QuarantinedReading.objects.get()
    assert kept.source == f"mqtt:{PREFIX}/XG-M1"
    assert kept.reason == "reading 2: pressure_mpa must be a JSON number or null, not false"
    assert [r.pressure_mpa for r in stored()] == [0.3]

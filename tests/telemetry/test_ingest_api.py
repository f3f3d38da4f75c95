"""POST /api/v1/telemetry/batches: readings checked like a file, idempotent per batch id."""

from datetime import UTC, datetime, timedelta

import pytest

from mains.api.tokens import create_token
from mains.telemetry.models import IngestBatch, Meter, QuarantinedReading
from mains.telemetry.store.reader import read_readings
from mains.telemetry.store.schema import Reading
from tests.api.conftest import ApiClient
from tests.concurrent_posts import post_at_once

URL = "/api/v1/telemetry/batches"
EN = {"Accept-Language": "en"}
T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)


@pytest.fixture
def api_as(city):
    def make(role: str) -> ApiClient:
        user = getattr(city, role)
        return ApiClient(user, create_token(user, f"test {role}")[1])

    return make


@pytest.fixture
def meters(city):
    Meter.objects.create(code="XG-M1", community=city.xingguang)


def batch(batch_id="gw-7/0001", **changes):
    readings = [
        {
            "meter_id": "XG-M1",
            "ts": "2026-03-01T22:00:00+08:00",
            "flow_m3h": 12.5,
            "pressure_mpa": 0.31,
        },
        {
            "meter_id": "XG-M1",
            "ts": "2026-03-01T22:15:00+08:00",
            "flow_m3h": None,
            "pressure_mpa": 0.3,
        },
        {"meter_id": "NOPE", "ts": "2026-03-01T22:15:00+08:00", "flow_m3h": 1, "pressure_mpa": 0.3},
        {"meter_id": "XG-M1", "ts": "2026-03-01T22:30:00", "flow_m3h": 1, "pressure_mpa": 0.3},
        {"meter_id": "XG-M1", "ts": "2026-03-01T22:45:00Z", "flow_m3h": 1, "pressure_mpa": 9},
    ]
    return {"batch_id": batch_id, "readings": readings, **changes}


def test_an_engineer_sends_a_batch_and_learns_what_was_stored_and_why_the_rest_was_not(
    city,
    meters,
    api_as,
):
    answer = api_as("engineer").post(URL, batch(), headers=EN)
    assert answer.status_code == 201
    assert answer.json() == {
        "batch_id": "gw-7/0001",
        "stored": 2,
        "quarantined": 3,
        "source": "api:gw-7/0001",
        "refused": [
            {"index": 2, "reason": "unknown meter"},
            {"index": 3, "reason": "time without a zone"},
            {"index": 4, "reason": "impossible pressure"},
        ],
    }
    assert read_readings(["XG-M1"], T0, T0 + timedelta(hours=1)) == [
        Reading("XG-M1", T0, 12.5, 0.31),
        Reading("XG-M1", T0 + timedelta(minutes=15), None, 0.3),
    ]
    refused = QuarantinedReading.objects.get(line_number=3)
    assert refused.source == "api:gw-7/0001"
    assert '"meter_id": "NOPE"' in refused.raw


def test_a_repeated_batch_answers_the_first_result_and_stores_nothing_twice(
    city,
    meters,
    api_as,
):
    client = api_as("engineer")
    first = client.post(URL, batch())
    again = client.post(URL, batch())
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert len(read_readings(["XG-M1"], T0, T0 + timedelta(hours=1))) == 2
    assert QuarantinedReading.objects.count() == 3
    assert IngestBatch.objects.get().stored == 2


def test_the_same_batch_id_with_other_readings_is_refused_with_409(
    city,
    meters,
    api_as,
):
    client = api_as("engineer")
    client.post(URL, batch())
    other = batch()
    other["readings"][0]["flow_m3h"] = 13.0
    answer = client.post(URL, other)
    assert answer.status_code == 409
    assert answer.json()["error"] == "batch_id_reused"
    assert read_readings(["XG-M1"], T0, T0 + timedelta(minutes=1))[0].flow_m3h == 12.5


def test_a_new_batch_with_readings_already_stored_quarantines_them_as_duplicates(
    city,
    meters,
    api_as,
):
    client = api_as("engineer")
    client.post(URL, batch())
    answer = client.post(URL, batch("gw-7/0002"), headers=EN).json()
    assert answer["stored"] == 0
    assert [r["reason"] for r in answer["refused"][:2]] == ["duplicate reading"] * 2


@pytest.mark.parametrize(
    "payload",
    [
        {"readings": []},
        {"batch_id": "x", "readings": []},
        {"batch_id": "x", "readings": "lots"},
        {"batch_id": "x", "readings": [{"meter_id": "XG-M1"}]},
        {"batch_id": "x", "readings": [{"meter_id": "XG-M1", "ts": 5, "flow_m3h": 1}]},
        {"batch_id": "x", "readings": [{"meter_id": "XG-M1", "ts": "t", "flow_m3h": "lots"}]},
        {"batch_id": "x\x00", "readings": [{"meter_id": "XG-M1", "ts": "t"}]},
    ],
)
def test_a_malformed_batch_is_refused_with_a_reason_and_nothing_is_stored(
    city,
    meters,
    api_as,
    payload,
):
    answer = api_as("engineer").post(URL, payload)
    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid" and answer.json()["detail"]
    assert not IngestBatch.objects.exists() and not QuarantinedReading.objects.exists()


def test_a_body_that_is_not_json_is_refused_with_a_reason(city, meters, api_as):
    client = api_as("engineer")
    answer = client.client.post(
        URL,
        "not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {client.key}"},
    )
    assert 400 <= answer.status_code < 500
    assert answer.json()["detail"]


def test_only_engineers_and_administrators_may_send_readings(city, meters, api_as):
    assert api_as("dispatcher").post(URL, batch()).status_code == 403
    assert api_as("admin").post(URL, batch()).status_code == 201
    from django.test import Client

    assert Client().post(URL, batch(), content_type="application/json").status_code == 401


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    post = schema["paths"][URL]["post"]
    assert {"201", "403", "409", "422"} <= set(post["responses"])


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_copies_of_a_batch_store_it_once_and_answer_alike(city, meters):
    key = create_token(city.engineer, "race")[1]
    headers = {"Authorization": f"Bearer {key}", **EN}
    answers = post_at_once(URL, batch(), headers)
    assert [status for status, _body in answers] == [201, 201, 201], answers
    assert len({str(body) for _status, body in answers}) == 1
    assert len(read_readings(["XG-M1"], T0, T0 + timedelta(hours=1))) == 2
    assert QuarantinedReading.objects.count() == 3


def test_an_administrator_reads_the_batches_in_the_admin(city, meters, api_as):
    api_as("engineer").post(URL, batch())
    from django.test import Client

    browser = Client()
    browser.force_login(city.admin)
    page = browser.get("/admin/telemetry/ingestbatch/")
    assert page.status_code == 200 and "gw-7/0001" in page.content.decode()

from mains.api.models import IdempotencyKey
from mains.desk.models import WorkOrder

from .test_orders import payload


def test_a_retried_create_returns_the_first_answer_and_makes_no_second_order(city, api_as):
    client = api_as("agent")
    headers = {"Idempotency-Key": "call-4711"}
    first = client.post("/api/v1/orders", payload(city), headers=headers)
    again = client.post("/api/v1/orders", payload(city), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert WorkOrder.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_with_422(city, api_as):
    client = api_as("agent")
    headers = {"Idempotency-Key": "call-4712"}
    client.post("/api/v1/orders", payload(city), headers=headers)
    other = client.post("/api/v1/orders", payload(city, description="另一件事"), headers=headers)
    assert other.status_code == 422
    assert other.json()["error"] == "idempotency_key_reused"
    assert WorkOrder.objects.count() == 1


def test_without_a_key_each_request_makes_an_order(city, api_as):
    client = api_as("agent")
    client.post("/api/v1/orders", payload(city))
    client.post("/api/v1/orders", payload(city))
    assert WorkOrder.objects.count() == 2


def test_keys_belong_to_one_token(city, api_as):
    headers = {"Idempotency-Key": "shared-name"}
    api_as("agent").post("/api/v1/orders", payload(city), headers=headers)
    api_as("dispatcher").post("/api/v1/orders", payload(city), headers=headers)
    assert WorkOrder.objects.count() == 2


def test_a_refused_request_leaves_the_key_free_for_the_corrected_one(city, api_as):
    client = api_as("agent")
    headers = {"Idempotency-Key": "call-4713"}
    wrong = client.post("/api/v1/orders", payload(city, category="NOPE"), headers=headers)
    assert wrong.status_code == 422
    assert not IdempotencyKey.objects.exists()
    right = client.post("/api/v1/orders", payload(city), headers=headers)
    assert right.status_code == 201
    assert WorkOrder.objects.count() == 1

"""Issue 10, item 12: an API client that omits `version` must not overwrite silently.

Every action of /api/v1/orders/{id}/actions/ requires the version the client read; without
it the answer is 422 naming `version`, with an old one 409, and nothing is written.
"""

import datetime

import pytest
from django.utils import timezone

from mains.api.tokens import create_token
from mains.desk.action_forms import ACTIONS
from mains.desk.models import OrderEvent, WorkOrder
from tests.concurrent_posts import post_at_once

from .conftest import EVERY_FIELD


def url(order, action: str) -> str:
    return f"/api/v1/orders/{order.pk}/actions/{action}"


@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_action_without_a_version_is_a_422_naming_it_and_writes_nothing(
    city, api_as, new_order, action
):
    order = new_order()
    events = OrderEvent.objects.filter(order=order).count()
    body = {name: value for name, value in EVERY_FIELD(city).items() if name != "version"}
    response = api_as("dispatcher").post(url(order, action), body)
    assert response.status_code == 422, response.content
    assert response.json()["error"] == "invalid"
    assert "version" in response.json()["fields"]
    assert "version" in response.json()["detail"]
    after = WorkOrder.objects.get(pk=order.pk)
    assert (after.state, after.version) == (order.state, order.version)
    assert OrderEvent.objects.filter(order=order).count() == events


def test_a_second_client_acting_on_the_version_the_first_changed_gets_409(city, api_as, new_order):
    order = new_order()
    read = order.version
    accepted = api_as("sam").post(url(order, "accept"), {"version": read})
    assert accepted.status_code == 200, accepted.content
    transfer = {"version": read, "specialist": city.tom.specialist.pk, "note": "西边的"}
    late = api_as("dispatcher").post(url(order, "transfer"), transfer)
    assert late.status_code == 409
    assert late.json()["error"] == "conflict"
    order.refresh_from_db()
    assert order.state == "accepted" and order.specialist == city.sam.specialist


def test_remind_and_supervise_need_the_current_version_too(city, api_as, new_order):
    order = new_order()
    dispatcher = api_as("dispatcher")
    stale = dispatcher.post(url(order, "remind"), {"version": order.version + 1, "note": "快"})
    assert stale.status_code == 409
    reminded = dispatcher.post(url(order, "remind"), {"version": order.version, "note": "快"})
    assert reminded.status_code == 200, reminded.content
    # A reminder adds to the order and leaves its version: a second one on the same read lands.
    assert reminded.json()["version"] == order.version
    until = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    body = {"version": order.version, "until": until, "note": "督办"}
    assert dispatcher.post(url(order, "supervise"), body).status_code == 200


def test_the_schema_requires_the_version_of_every_action(client):
    schema = client.get("/api/v1/openapi.json").json()
    for action in ACTIONS:
        body = schema["paths"][f"/api/v1/orders/{{order_id}}/actions/{action}"]["post"]
        ref = body["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        required = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["required"]
        assert "version" in required, action


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_four_dispatchers_transferring_on_the_same_version_at_once_one_wins(city, new_order):
    """A transfer is allowed again right after a transfer: only the version tells them apart."""
    order = new_order()
    headers = {"Authorization": f"Bearer {create_token(city.dispatcher, 'race')[1]}"}
    body = {"version": order.version, "specialist": city.tom.specialist.pk, "note": "改派"}
    answers = post_at_once(url(order, "transfer"), body, headers, copies=4)
    assert sorted(status for status, _body in answers) == [200, 409, 409, 409], answers
    assert OrderEvent.objects.filter(order=order, action="transfer").count() == 1
    assert WorkOrder.objects.get(pk=order.pk).version == order.version + 1

"""Two copies of one create request arriving at the same moment make one order."""

import pytest

from mains.api.tokens import create_token
from mains.desk.models import WorkOrder
from tests.concurrent_posts import post_at_once

from .test_orders import payload


@pytest.fixture
def defaults(db):
    from django.apps import apps

    from mains.desk.defaults import install

    install(apps)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_retries_with_one_key_make_one_order_and_one_answer(defaults, city):
    key = create_token(city.agent, "race")[1]
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": "same-call"}
    answers = post_at_once("/api/v1/orders", payload(city), headers)
    assert [status for status, _body in answers] == [201, 201, 201], answers
    assert len({body["number"] for _status, body in answers}) == 1
    assert WorkOrder.objects.count() == 1

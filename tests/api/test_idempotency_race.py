"""Two copies of one create request arriving at the same moment make one order."""

import threading

import pytest
from django.db import connection
from django.test import Client

from mains.api.tokens import create_token
from mains.desk.models import WorkOrder

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
    barrier = threading.Barrier(3)
    answers: list = []

    def post():
        try:
            barrier.wait(timeout=10)
            response = Client().post(
                "/api/v1/orders", payload(city), content_type="application/json", headers=headers
            )
            answers.append((response.status_code, response.json()))
        except Exception as exc:  # reported by the test, not lost in the thread
            answers.append(("error", repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [status for status, _body in answers] == [201, 201, 201], answers
    assert len({body["number"] for _status, body in answers}) == 1
    assert WorkOrder.objects.count() == 1

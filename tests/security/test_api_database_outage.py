"""Issue 10, item 13: a database outage answers JSON 503s, and a create answers from what
it wrote: a 201 means the order is committed, and no read after the commit can fail it.

The outage is simulated with Django's execute_wrapper: every query on the connection fails
with OperationalError, as it does while PostgreSQL restarts.
"""

import logging
import os
import subprocess
import sys
from contextlib import contextmanager
from unittest import mock
from xml.etree import ElementTree as ET

import pytest
from django.db import OperationalError, connection
from django.test import Client

from mains.desk.models import WorkOrder
from tests.api.test_orders import payload

GONE = "server closed the connection unexpectedly"


@contextmanager
def database_down(only=lambda sql: True):
    def refuse(execute, sql, params, many, context):
        if only(sql):
            raise OperationalError(GONE)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


def browser(user=None) -> Client:
    client = Client(raise_request_exception=False)  # as a real server: the handler answers
    if user is not None:
        client.force_login(user)
    return client


def bearer(api_client) -> dict:
    return {"Authorization": f"Bearer {api_client.key}"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_api_answers_a_json_503_with_retry_after_while_the_database_is_down(
    city, api_as, method
):
    agent = api_as("agent")
    with database_down():
        if method == "get":
            response = browser().get("/api/v1/orders", headers=bearer(agent))
        else:
            response = browser().post(
                "/api/v1/orders", payload(city), "application/json", headers=bearer(agent)
            )
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "database_unavailable"
    assert response.json()["detail"]
    assert int(response["Retry-After"]) > 0


def test_open311_answers_its_own_error_list_with_503_in_json_and_xml(city):
    with database_down():
        as_json = browser().get("/open311/v2/requests.json")
        as_xml = browser().get("/open311/v2/requests.xml")
    assert as_json.status_code == 503 and int(as_json["Retry-After"]) > 0
    assert as_json.json()[0]["code"] == 503 and as_json.json()[0]["description"]
    assert as_xml.status_code == 503 and as_xml["Content-Type"].startswith("text/xml")
    assert ET.fromstring(as_xml.content).findtext("error/code") == "503"


def test_a_page_answers_a_translated_503_page_instead_of_a_500(city):
    client = browser(city.dispatcher)
    with database_down():
        response = client.get("/desk/board/")
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert response["Content-Type"].startswith("text/html")
    assert "暂时无法使用" in response.content.decode()


class Kept(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_an_unexpected_error_is_a_json_500_with_the_error_id_it_was_logged_with(city, api_as):
    agent = api_as("agent")
    kept = Kept()
    logging.getLogger("mains.errors").addHandler(kept)
    try:
        with mock.patch("mains.api.orders.orders_for", side_effect=RuntimeError("bug")):
            response = browser().get("/api/v1/orders", headers=bearer(agent))
    finally:
        logging.getLogger("mains.errors").removeHandler(kept)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == "server_error" and body["error_id"] in body["detail"]
    assert any(body["error_id"] in record.getMessage() for record in kept.records)
    assert any(record.exc_info for record in kept.records)


def test_open311_and_pages_answer_an_unexpected_error_in_their_own_format(city):
    with mock.patch("mains.api.open311.requests._search", side_effect=RuntimeError("bug")):
        open311 = browser().get("/open311/v2/requests.json")
    assert open311.status_code == 500 and open311.json()[0]["code"] == 500
    with mock.patch("mains.desk.views.board.render", side_effect=RuntimeError("bug")):
        page = browser(city.dispatcher).get("/desk/board/")
    assert page.status_code == 500 and "Retry-After" not in page
    assert "<html" in page.content.decode()


def reads_the_order(sql: str) -> bool:
    return sql.lstrip().upper().startswith("SELECT") and '"desk_workorder"' in sql


@pytest.mark.parametrize("key", [None, "call-4711"])
def test_a_create_answers_from_what_it_wrote_without_reading_the_order_back(city, api_as, key):
    agent = api_as("agent")
    headers = bearer(agent) | ({"Idempotency-Key": key} if key else {})
    # Reading orders fails from the start: only the writes (and the lookups of category,
    # community and routing) may run, as when the database goes away right after the commit.
    with database_down(only=reads_the_order):
        response = browser().post(
            "/api/v1/orders", payload(city), "application/json", headers=headers
        )
    assert response.status_code == 201, response.content
    created = response.json()
    stored = agent.get(f"/api/v1/orders/{created['id']}").json()
    assert created == stored
    if key:
        replayed = agent.post("/api/v1/orders", payload(city), headers={"Idempotency-Key": key})
        assert replayed["Idempotent-Replayed"] == "true" and replayed.json() == created
        assert WorkOrder.objects.count() == 1


def test_an_order_whose_answer_could_not_be_made_is_not_saved(city, api_as):
    """The answer is made inside the transaction: an error there rolls the order back, so a
    client that saw no 201 and sends the order again makes one order, not two."""
    agent = api_as("agent")
    with mock.patch("mains.api.orders.order_out", side_effect=OperationalError(GONE)):
        response = browser().post(
            "/api/v1/orders", payload(city), "application/json", headers=bearer(agent)
        )
    assert response.status_code == 503
    assert not WorkOrder.objects.exists()


def test_persistent_connections_are_checked_before_they_are_reused():
    env = {**os.environ, "DATABASE_URL": "postgres://mains@127.0.0.1:5432/mains"}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'mains.settings'; "
        "django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "True", result.stderr
